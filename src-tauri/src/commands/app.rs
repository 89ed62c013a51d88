//! Commands about the app itself: what the UI needs to draw its screens.

use serde::Serialize;
use tauri::State;
use vikno_core::{Environment, Purpose};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// What the UI shows in its header and offers on the scan screen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppInfo {
    version: &'static str,
    mode: Environment,
    data_dir: String,
    ready: bool,
    startup_error: Option<IpcError>,
    branch_id: Option<String>,
    branch_name: Option<String>,
    sharing_types: Vec<String>,
    validation_types: Vec<String>,
    purposes: Vec<Purpose>,
    idle_lock_seconds: u32,
    receiver_url: Option<String>,
    code_ttl_seconds: u32,
}

pub(crate) async fn info(state: &AppState) -> IpcResult<AppInfo> {
    let config = state.config()?;
    let rt = state.runtime.read().await;
    let (ready, startup_error, branch, receiver_url) = match &*rt {
        Ok(rt) => (
            true,
            None,
            Some(rt.branch.clone()),
            Some(format!("http://{}/diia/delivery", rt.receiver_addr)),
        ),
        Err(e) => (false, Some(e.clone()), None, None),
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        mode: config.environment,
        data_dir: state.data_dir.display().to_string(),
        ready,
        startup_error,
        branch_id: branch.as_ref().map(|b| b.id.clone()).or(config.branch_id.clone()),
        branch_name: branch.as_ref().and_then(|b| b.name.clone()),
        sharing_types: branch.as_ref().map(|b| b.sharing.clone()).unwrap_or_default(),
        validation_types: branch.map(|b| b.validation).unwrap_or_default(),
        purposes: config.purposes,
        idle_lock_seconds: config.idle_lock_seconds,
        receiver_url,
        code_ttl_seconds: 180,
    })
}

#[tauri::command]
pub(crate) async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    info(&state).await
}
