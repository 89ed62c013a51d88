//! The sandbox "customer phone": the simulator's test persons, and a fresh code with its images
//! for a document, as the Diia app would show it.

use base64::Engine as _;
use diia_sim::images::{Symbology, render_png};
use serde::Serialize;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhoneDocument {
    id: String,
    doc_type: String,
    state: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PhonePerson {
    id: String,
    name: String,
    documents: Vec<PhoneDocument>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SharedCode {
    barcode: String,
    link: String,
    expires_at: i64,
    ean13_png: String,
    qr_png: String,
}

fn sandbox_only() -> IpcError {
    IpcError::new("sandbox_only", "the customer phone exists only in sandbox mode")
}

#[tauri::command]
pub(crate) async fn phone_persons(state: State<'_, AppState>) -> IpcResult<Vec<PhonePerson>> {
    let rt = state.runtime.read().await;
    let sim = rt.as_ref().ok().and_then(|rt| rt.simulator()).ok_or_else(sandbox_only)?;
    Ok(sim
        .persons()
        .iter()
        .map(|p| PhonePerson {
            id: p.id.clone(),
            name: p.full_name.clone(),
            documents: p
                .documents
                .iter()
                .map(|d| PhoneDocument {
                    id: d.id.clone(),
                    doc_type: d.doc_type.clone(),
                    state: serde_json::to_value(d.state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect())
}

#[tauri::command]
pub(crate) async fn phone_share(
    state: State<'_, AppState>,
    document_id: String,
) -> IpcResult<SharedCode> {
    let rt = state.runtime.read().await;
    let sim = rt.as_ref().ok().and_then(|rt| rt.simulator()).ok_or_else(sandbox_only)?;
    let code = sim
        .issue_code(&document_id, None)
        .map_err(|e| IpcError::new("not_found", e.to_string()))?;
    let png = |s: Symbology, payload: &str| {
        render_png(s, payload)
            .map(|b| {
                format!(
                    "data:image/png;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(b)
                )
            })
            .map_err(|e| IpcError::new("internal", e.to_string()))
    };
    let expires_at = time::OffsetDateTime::now_utc().unix_timestamp() * 1000
        + i64::try_from(code.timer_time).unwrap_or(180) * 1000;
    Ok(SharedCode {
        ean13_png: png(Symbology::Ean13, &code.barcode)?,
        qr_png: png(Symbology::Qr, &code.link)?,
        barcode: code.barcode,
        link: code.link,
        expires_at,
    })
}
