//! Commands of the scan, progress and verdict screens: request copies, follow, cancel, validate.

use diia::ShareCode;
use tauri::State;
use time::OffsetDateTime;
use vikno_core::{RequestView, Verdict};
use vikno_scan::Code;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The one code rule, then the form Diia takes.
fn share_code(raw: &str) -> IpcResult<ShareCode> {
    Ok(match vikno_scan::classify(raw)? {
        Code::ShareCode(code) => ShareCode::Barcode(code),
        Code::DiiaQr { url, .. } => ShareCode::Qr(url),
    })
}

#[tauri::command]
pub(crate) async fn request_copies(
    state: State<'_, AppState>,
    code: String,
    document_types: Vec<String>,
    purpose: String,
) -> IpcResult<RequestView> {
    let read_at = OffsetDateTime::now_utc();
    let code = share_code(&code)?;
    let purpose = state
        .config()?
        .purpose(&purpose)
        .cloned()
        .ok_or_else(|| IpcError::new("config_invalid", "the purpose is not configured"))?;
    Ok(state.desk().await?.request_copies(code, &purpose, document_types, read_at).await?)
}

#[tauri::command]
pub(crate) async fn get_request(
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<RequestView> {
    Ok(state.desk().await?.request(&request_id).await?)
}

#[tauri::command]
pub(crate) async fn cancel_request(
    state: State<'_, AppState>,
    request_id: String,
) -> IpcResult<RequestView> {
    Ok(state.desk().await?.cancel(&request_id).await?)
}

#[tauri::command]
pub(crate) async fn validate_code(
    state: State<'_, AppState>,
    code: String,
    age: Option<u8>,
) -> IpcResult<Verdict> {
    let code = share_code(&code)?;
    Ok(state.desk().await?.validate(&code, age).await?)
}
