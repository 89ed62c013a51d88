//! The Vikno desktop shell: builds the Tauri app, registers state and commands, owns logging.

mod commands;
mod error;
mod logging;
mod sandbox;
mod state;

use std::path::PathBuf;
use std::sync::Mutex;

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
    let sandbox = tauri::async_runtime::block_on(sandbox::Sandbox::start(&data_dir))?;
    app.manage(AppState { data_dir, mode: Mode::Sandbox, sandbox: Mutex::new(Some(sandbox)) });
    Ok(())
}

/// Builds and runs the app until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .setup(setup)
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::code::check_code
        ])
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(err) => fail(&err),
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            shutdown(handle);
        }
    });
}

/// Stops the sandbox services so their sockets and tasks end with the window.
fn shutdown(handle: &tauri::AppHandle) {
    let Some(state) = handle.try_state::<AppState>() else { return };
    let sandbox = state.sandbox.lock().ok().and_then(|mut s| s.take());
    if let Some(sandbox) = sandbox {
        tauri::async_runtime::block_on(sandbox.stop());
    }
    tracing::info!("vikno stopped");
}

fn fail(err: &tauri::Error) -> ! {
    // The subscriber may not exist yet (setup failed), so say it on stderr as well.
    tracing::error!(error = %err, "vikno stopped with an error");
    #[allow(clippy::print_stderr)]
    {
        eprintln!("vikno: {err}");
    }
    std::process::exit(1);
}
