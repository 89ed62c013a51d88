//! The Vikno desktop shell: builds the Tauri app, registers state and commands, owns logging.

mod commands;
mod error;
mod logging;
mod state;

use std::path::PathBuf;

use anyhow::Context as _;
use tauri::Manager as _;

pub use error::IpcError;
pub use state::{AppState, Mode};

/// The data directory: `VIKNO_DATA_DIR` when set (tests start each run with a fresh one), else
/// the OS application-data directory.
fn data_dir(app: &tauri::App) -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("VIKNO_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    app.path().app_data_dir().context("no application data directory on this system")
}

fn setup(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = data_dir(app)?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let guard = logging::init(&data_dir.join("logs"))?;
    app.manage(guard);
    tracing::info!(data_dir = %data_dir.display(), version = env!("CARGO_PKG_VERSION"), "vikno starting");
    app.manage(AppState { data_dir, mode: Mode::Sandbox });
    Ok(())
}

/// Builds and runs the app until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .setup(setup)
        .invoke_handler(tauri::generate_handler![commands::app::app_info])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        // The subscriber may not exist yet (setup failed), so say it on stderr as well.
        tracing::error!(error = %err, "vikno stopped with an error");
        #[allow(clippy::print_stderr)]
        {
            eprintln!("vikno: {err}");
        }
        std::process::exit(1);
    }
}
