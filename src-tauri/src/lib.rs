//! The Vikno desktop shell: builds the Tauri app, registers state and commands, owns logging.

mod commands;
mod error;
mod logging;
mod runtime;
mod state;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use tauri::Manager as _;
use vikno_core::{AppConfig, KeyringSecretStore};

pub use error::IpcError;
pub use state::AppState;

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
    // A broken configuration file must not keep the clerk out: the desk reports it and only
    // Settings work until it is fixed (the file is left as it is for the IT team to inspect).
    let (config, config_error) = match AppConfig::load(&data_dir) {
        Ok(c) => (c, None),
        Err(e) => {
            tracing::error!(error = %e, "configuration refused");
            (AppConfig::default(), Some(IpcError::from(e)))
        }
    };
    let runtime =
        Arc::new(tokio::sync::RwLock::new(Err(IpcError::new("desk_not_ready", "starting"))));
    // Taken before the window can ask anything, so the first app_info waits for the start
    // instead of seeing "not ready".
    let Ok(mut slot) = Arc::clone(&runtime).try_write_owned() else {
        return Err("runtime lock busy at start".into());
    };
    app.manage(AppState {
        data_dir,
        secrets: Arc::new(KeyringSecretStore::default()),
        config: Mutex::new(config.clone()),
        runtime,
        pins: Mutex::default(),
        opened_pdf: Mutex::default(),
        camera: Mutex::default(),
    });
    let handle = app.handle().clone();
    tauri::async_runtime::spawn(async move {
        *slot = match config_error {
            Some(e) => Err(e),
            None => runtime::start(&handle, &config).await,
        };
    });
    Ok(())
}

/// Builds and runs the app until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .setup(setup)
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::code::check_code,
            commands::desk::request_copies,
            commands::desk::get_request,
            commands::desk::cancel_request,
            commands::desk::validate_code,
            commands::documents::history,
            commands::documents::open_document,
            commands::documents::document_pdf,
            commands::documents::copy_field,
            commands::documents::print_document,
            commands::documents::export_document,
            commands::documents::purge_now,
            commands::settings::unlock_screen,
            commands::settings::settings_open,
            commands::settings::settings_save,
            commands::settings::settings_set_pin,
            commands::settings::branches,
            commands::settings::create_branch,
            commands::phone::phone_persons,
            commands::phone::phone_share,
            commands::scanner::camera_start,
            commands::scanner::camera_stop,
            commands::scanner::scanner_status,
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

/// Stops the camera, the receiver (in-flight deliveries finish) and the sandbox simulator.
fn shutdown(handle: &tauri::AppHandle) {
    let Some(state) = handle.try_state::<AppState>() else { return };
    if let Some(camera) = state.camera.lock().ok().and_then(|mut c| c.take()) {
        camera.stop();
    }
    let runtime = Arc::clone(&state.runtime);
    tauri::async_runtime::block_on(async move {
        let mut slot = runtime.write().await;
        let old = std::mem::replace(&mut *slot, Err(IpcError::new("desk_not_ready", "stopped")));
        if let Ok(rt) = old {
            rt.stop().await;
        }
    });
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
