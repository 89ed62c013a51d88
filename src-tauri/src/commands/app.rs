//! Commands about the app itself: version, mode, data directory.

use serde::Serialize;
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, Mode};

/// What the UI shows in its header and settings.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppInfo {
    version: &'static str,
    mode: Mode,
    data_dir: String,
}

#[tauri::command]
pub(crate) fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        mode: state.mode,
        data_dir: state.data_dir.display().to_string(),
    })
}
