//! Scanner and camera: the webcam decode worker (started on request, its reads and previews
//! pushed as events) and the scanner status line.

use base64::Engine as _;
use serde::Serialize;
use tauri::{AppHandle, Emitter as _, State};
use vikno_scan::{CameraConfig, CameraEvent, CameraStatus, CameraWorker, Code, FrameSource};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScannerStatus {
    wedge: &'static str,
    serial: &'static str,
    camera: &'static str,
}

fn status(state: &AppState) -> ScannerStatus {
    let camera_on = state.camera.lock().map(|c| c.is_some()).unwrap_or(false);
    let serial = if state.config().ok().and_then(|c| c.scanner_serial_port).is_some() {
        "disconnected"
    } else {
        "off"
    };
    ScannerStatus { wedge: "ready", serial, camera: if camera_on { "on" } else { "off" } }
}

#[tauri::command]
pub(crate) fn scanner_status(state: State<'_, AppState>) -> IpcResult<ScannerStatus> {
    Ok(status(&state))
}

/// Starts the webcam worker. `VIKNO_CAMERA_FRAMES` (a directory of PNG frames) replaces the
/// webcam, for machines without one and for tests.
#[tauri::command]
pub(crate) fn camera_start(app: AppHandle, state: State<'_, AppState>) -> IpcResult<()> {
    let mut slot = state.camera.lock().map_err(|_| IpcError::new("internal", "camera lock"))?;
    if slot.is_some() {
        return Ok(());
    }
    let index = state.config()?.camera_index.unwrap_or(0);
    let open = move || -> Result<Box<dyn FrameSource>, vikno_scan::FrameError> {
        match std::env::var_os("VIKNO_CAMERA_FRAMES") {
            Some(dir) => {
                let mut files: Vec<_> = std::fs::read_dir(dir)
                    .map_err(|e| vikno_scan::FrameError::Camera(e.to_string()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "png"))
                    .collect();
                files.sort();
                Ok(Box::new(vikno_scan::FileSource::new(files, 66)))
            }
            None => Ok(Box::new(vikno_scan::NokhwaSource::open(index)?)),
        }
    };
    let (worker, events) = CameraWorker::start(open, CameraConfig::default());
    *slot = Some(worker);
    drop(slot);
    std::thread::spawn(move || forward(app, events));
    Ok(())
}

fn forward(app: AppHandle, events: std::sync::mpsc::Receiver<CameraEvent>) {
    for event in events {
        let sent = match event {
            CameraEvent::Accepted(a) => {
                let raw = match a.code {
                    Code::ShareCode(code) => code,
                    Code::DiiaQr { url, .. } => url,
                };
                tracing::info!("camera read a code");
                app.emit("scanned-code", raw)
            }
            CameraEvent::Preview(p) => app.emit(
                "camera-preview",
                format!(
                    "data:image/png;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(&p.png)
                ),
            ),
            CameraEvent::Status(s) => {
                let camera = match s {
                    CameraStatus::Running => "on",
                    CameraStatus::Stopped => "off",
                    CameraStatus::NoCamera | CameraStatus::Error(_) => "unavailable",
                };
                if let CameraStatus::Error(e) = &s {
                    tracing::warn!(error = %e, "camera failed");
                }
                app.emit("scanner-status", ScannerStatus { wedge: "ready", serial: "off", camera })
            }
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "cannot emit a camera event");
        }
    }
}

#[tauri::command]
pub(crate) fn camera_stop(state: State<'_, AppState>) -> IpcResult<()> {
    let worker = state.camera.lock().map_err(|_| IpcError::new("internal", "camera lock"))?.take();
    if let Some(w) = worker {
        w.stop();
    }
    Ok(())
}
