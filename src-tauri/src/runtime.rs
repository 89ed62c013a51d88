//! Starting and replacing the desk runtime, and forwarding its request updates to the window.

use std::path::Path;

use tauri::{AppHandle, Emitter as _, Manager as _};
use vikno_core::{AppConfig, Runtime};

use crate::error::IpcError;
use crate::state::AppState;

/// Starts a runtime for `config`; on success its updates are forwarded to the window and, in
/// sandbox mode, `sandbox.json` says where the simulator listens (tools and tests read it).
pub(crate) async fn start(app: &AppHandle, config: &AppConfig) -> Result<Runtime, IpcError> {
    let state = app.state::<AppState>();
    let started = std::time::Instant::now();
    let rt = Runtime::start(&state.data_dir, config, state.secrets.clone()).await.map_err(|e| {
        tracing::error!(code = e.code(), error = %e, "desk did not start");
        IpcError::from(e)
    })?;
    tracing::info!(ms = started.elapsed().as_millis() as u64, "desk started");
    if let Some(sim) = rt.simulator() {
        let about = serde_json::json!({
            "simulatorUrl": sim.base_url(),
            "branchId": rt.branch.id,
            "receiverUrl": format!("http://{}/diia/delivery", rt.receiver_addr),
        });
        if let Err(e) = write_atomically(&state.data_dir.join("sandbox.json"), &about.to_string()) {
            tracing::warn!(error = %e, "cannot write sandbox.json");
        }
    }
    let mut updates = rt.desk.subscribe();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match updates.recv().await {
                Ok(view) => {
                    if let Err(e) = handle.emit("request-update", &view) {
                        tracing::warn!(error = %e, "cannot emit a request update");
                    }
                }
                // The UI also polls; a missed update is caught up on its next poll.
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "request updates lagged"),
                Err(RecvError::Closed) => break,
            }
        }
    });
    Ok(rt)
}

/// Replaces the running desk with one for `config` (the old one stops first: it holds the
/// receiver's port and the store).
pub(crate) async fn restart(app: &AppHandle, config: &AppConfig) {
    let state = app.state::<AppState>();
    let mut slot = state.runtime.write().await;
    let old = std::mem::replace(&mut *slot, Err(IpcError::new("desk_not_ready", "restarting")));
    if let Ok(rt) = old {
        rt.stop().await;
    }
    *slot = start(app, config).await;
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
