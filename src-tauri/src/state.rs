//! `AppState`: what the shell holds for the life of the window — configuration, the running desk
//! (replaced when settings change), the PIN guard, the camera worker.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};

use vikno_core::{AppConfig, Runtime, SecretStore};
use zeroize::Zeroizing;

use crate::error::IpcError;

/// Failed PIN attempts before a pause, and the pause.
const PIN_FAILURES_BEFORE_LOCKOUT: u32 = 5;
const PIN_LOCKOUT: Duration = Duration::from_secs(60);

/// Counts wrong PINs; five in a row lock PIN entry for a minute (Argon2id slows each guess,
/// this bounds how many a passer-by gets).
#[derive(Debug, Default)]
pub struct PinGuard {
    failures: u32,
    locked_until: Option<Instant>,
}

impl PinGuard {
    /// Refuses while locked out.
    pub fn check_open(&self) -> Result<(), IpcError> {
        match self.locked_until {
            Some(t) if Instant::now() < t => Err(IpcError::new(
                "pin_locked",
                "too many wrong PINs; PIN entry is paused for a minute",
            )),
            _ => Ok(()),
        }
    }

    /// Records an attempt's result.
    pub fn record(&mut self, ok: bool) {
        if ok {
            self.failures = 0;
            self.locked_until = None;
        } else {
            self.failures += 1;
            if self.failures >= PIN_FAILURES_BEFORE_LOCKOUT {
                self.failures = 0;
                self.locked_until = Some(Instant::now() + PIN_LOCKOUT);
            }
        }
    }
}

/// Shared state behind `tauri::State`.
pub struct AppState {
    /// Where the store, configuration and logs live (`VIKNO_DATA_DIR` overrides the OS default).
    pub data_dir: PathBuf,
    /// The OS keychain.
    pub secrets: Arc<dyn SecretStore>,
    /// The configuration in force (std mutex: never held across an await).
    pub config: Mutex<AppConfig>,
    /// The running desk, or why it could not start. Async lock: settings replace it while
    /// commands wait.
    pub runtime: Arc<tokio::sync::RwLock<Result<Runtime, IpcError>>>,
    /// Wrong-PIN counter.
    pub pins: Mutex<PinGuard>,
    /// The PDF of the document last opened, handed once to `document_pdf` so one view is one
    /// audit entry.
    pub opened_pdf: Mutex<Option<(String, Zeroizing<Vec<u8>>)>>,
    /// The webcam worker while it runs.
    pub camera: Mutex<Option<vikno_scan::CameraWorker>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("data_dir", &self.data_dir).finish_non_exhaustive()
    }
}

impl AppState {
    /// A handle on the running desk, or `desk_not_ready` with the reason it did not start.
    pub async fn desk(&self) -> Result<vikno_core::Desk, IpcError> {
        match &*self.runtime.read().await {
            Ok(rt) => Ok(rt.desk.clone()),
            Err(e) => Err(IpcError::new("desk_not_ready", format!("{}: {}", e.code, e.message))),
        }
    }

    /// A copy of the configuration in force.
    pub fn config(&self) -> Result<AppConfig, IpcError> {
        self.config
            .lock()
            .map(|c| c.clone())
            .map_err(|_| IpcError::new("internal", "configuration lock poisoned"))
    }

    /// Checks `pin` against the supervisor PIN, counting failures.
    pub fn check_supervisor(&self, pin: &str) -> Result<(), IpcError> {
        let hash = self.config()?.supervisor_pin;
        self.check_pin(pin, hash.as_ref())
    }

    /// Checks `pin` against `hash` (no hash configured: refused), counting failures.
    pub fn check_pin(&self, pin: &str, hash: Option<&vikno_core::PinHash>) -> Result<(), IpcError> {
        let mut guard =
            self.pins.lock().map_err(|_| IpcError::new("internal", "PIN guard poisoned"))?;
        guard.check_open()?;
        let ok = hash.is_some_and(|h| h.matches(pin));
        guard.record(ok);
        if ok {
            Ok(())
        } else {
            tracing::warn!("wrong PIN entered");
            Err(IpcError::new("pin_wrong", "the PIN is not correct"))
        }
    }
}
