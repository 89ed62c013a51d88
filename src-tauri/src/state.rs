//! `AppState`: what the shell holds for the life of the window, registered once in `setup`.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::sandbox::Sandbox;

/// Where the app runs and against what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// The embedded Diia simulator on loopback; the default.
    Sandbox,
}

/// Shared state behind `tauri::State`.
#[derive(Debug)]
pub struct AppState {
    /// Where the store, configuration and logs live (`VIKNO_DATA_DIR` overrides the OS default).
    pub data_dir: PathBuf,
    /// Sandbox or a real Diia environment.
    pub mode: Mode,
    /// The sandbox services while they run; taken out and stopped when the app exits. A std
    /// mutex: it is never held across an await.
    pub sandbox: Mutex<Option<Sandbox>>,
}
