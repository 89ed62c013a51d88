//! `IpcError`: how every failure crosses into the UI — a stable code and a technical message.

use serde::Serialize;

/// The error object every command rejects with. The UI maps `code` to text through one table
/// (ui/src/lib/errors.ts) and never parses `message`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IpcError {
    /// Stable snake_case code, e.g. `code_bad_check_digit`.
    pub code: String,
    /// Technical detail for the log and support; free of secrets and personal data.
    pub message: String,
}

impl IpcError {
    pub(crate) fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into() }
    }
}

impl From<vikno_core::DeskError> for IpcError {
    fn from(e: vikno_core::DeskError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<vikno_core::RuntimeError> for IpcError {
    fn from(e: vikno_core::RuntimeError) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<vikno_core::ConfigError> for IpcError {
    fn from(e: vikno_core::ConfigError) -> Self {
        IpcError::new("config_invalid", e.to_string())
    }
}

impl From<vikno_core::SecretError> for IpcError {
    fn from(e: vikno_core::SecretError) -> Self {
        IpcError::new("keychain_unavailable", e.to_string())
    }
}

/// Result type of every command.
pub(crate) type IpcResult<T> = Result<T, IpcError>;
