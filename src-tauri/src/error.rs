//! `IpcError`: how every failure crosses into the UI — a stable code and a technical message.

use serde::Serialize;

/// The error object every command rejects with. The UI maps `code` to text through one table
/// (ui/src/lib/errors.ts) and never parses `message`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IpcError {
    /// Stable snake_case code, e.g. `code_check_digit`.
    pub code: String,
    /// Technical detail for the log and support; free of secrets and personal data.
    pub message: String,
}

impl IpcError {
    pub(crate) fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into() }
    }
}

/// Result type of every command.
pub(crate) type IpcResult<T> = Result<T, IpcError>;
