//! Commands of the documents and history screens: list, open (audited), copy, print, export,
//! purge.

use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::Response;
use time::OffsetDateTime;
use vikno_core::{
    DocumentAccess, DocumentView, HistoryItem, RequestQuery, RequestState, RequestStatus,
};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The history screen's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HistoryFilter {
    text: Option<String>,
    state: Option<RequestState>,
    from: Option<String>,
    to: Option<String>,
}

fn day(s: Option<&str>, end: bool) -> IpcResult<Option<OffsetDateTime>> {
    let Some(s) = s.filter(|s| !s.is_empty()) else { return Ok(None) };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(s, &format)
        .map_err(|_| IpcError::new("config_invalid", "dates are YYYY-MM-DD"))?;
    let date = if end { date.next_day().unwrap_or(date) } else { date };
    Ok(Some(date.midnight().assume_utc()))
}

fn store_status(s: RequestState) -> RequestStatus {
    match s {
        RequestState::Sending | RequestState::Waiting | RequestState::Confirmed => {
            RequestStatus::Pending
        }
        RequestState::Delivered => RequestStatus::Delivered,
        RequestState::Refused | RequestState::DocumentMissing | RequestState::Failed => {
            RequestStatus::Failed
        }
        RequestState::Expired => RequestStatus::Expired,
        RequestState::Cancelled => RequestStatus::Cancelled,
    }
}

#[tauri::command]
pub(crate) async fn history(
    state: State<'_, AppState>,
    query: HistoryFilter,
) -> IpcResult<Vec<HistoryItem>> {
    let q = RequestQuery {
        text: query.text.clone(),
        status: query.state.map(store_status),
        from: day(query.from.as_deref(), false)?,
        to: day(query.to.as_deref(), true)?,
        limit: Some(500),
    };
    let mut items = state.desk().await?.history(q).await?;
    if let Some(want) = query.state {
        items.retain(|i| i.state == want);
    }
    Ok(items)
}

#[tauri::command]
pub(crate) async fn open_document(
    state: State<'_, AppState>,
    document_id: String,
) -> IpcResult<DocumentView> {
    let (view, pdf) = state.desk().await?.open_document(&document_id, DocumentAccess::View).await?;
    if let Ok(mut slot) = state.opened_pdf.lock() {
        *slot = Some((document_id, pdf));
    }
    Ok(view)
}

/// The PDF of the document just opened (handed over once), else read again as a new view.
#[tauri::command]
pub(crate) async fn document_pdf(
    state: State<'_, AppState>,
    document_id: String,
) -> IpcResult<Response> {
    let cached = state
        .opened_pdf
        .lock()
        .ok()
        .and_then(|mut slot| slot.take_if(|(id, _)| *id == document_id).map(|(_, pdf)| pdf));
    let pdf = match cached {
        Some(pdf) => pdf,
        None => state.desk().await?.open_document(&document_id, DocumentAccess::View).await?.1,
    };
    Ok(Response::new(pdf.to_vec()))
}

#[tauri::command]
pub(crate) async fn copy_field(
    state: State<'_, AppState>,
    document_id: String,
    key: String,
) -> IpcResult<()> {
    Ok(state.desk().await?.copy_field(&document_id, &key).await?)
}

#[tauri::command]
pub(crate) async fn print_document(
    state: State<'_, AppState>,
    document_id: String,
) -> IpcResult<()> {
    state.desk().await?.open_document(&document_id, DocumentAccess::Print).await?;
    Ok(())
}

/// Exports into `VIKNO_EXPORT_DIR`, else `<data dir>/exports` (inside the protected data
/// directory; a bank's IT team points it at its document system's drop folder).
#[tauri::command]
pub(crate) async fn export_document(
    state: State<'_, AppState>,
    document_id: String,
) -> IpcResult<String> {
    let dir = std::env::var_os("VIKNO_EXPORT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| state.data_dir.join("exports"));
    let path = state.desk().await?.export_document(&document_id, &dir).await?;
    Ok(path.display().to_string())
}

#[derive(Debug, Serialize)]
pub(crate) struct Purged {
    purged: usize,
}

#[tauri::command]
pub(crate) async fn purge_now(state: State<'_, AppState>) -> IpcResult<Purged> {
    let policy = state.config()?.retention();
    let receipt = state.desk().await?.purge(policy).await?;
    Ok(Purged { purged: receipt.purged.len() })
}
