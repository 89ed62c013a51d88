//! Commands about the customer's code: the one code rule from vikno-scan, applied to typed or
//! scanned text before anything is sent.

use serde::Serialize;
use vikno_scan::{Code, CodeError};

use crate::error::{IpcError, IpcResult};

/// A code that passed the rule, as the UI needs it.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum CheckedCode {
    #[serde(rename_all = "camelCase")]
    ShareCode { code: String },
    #[serde(rename_all = "camelCase")]
    DiiaQr { url: String, doc_type: String },
}

impl From<CodeError> for IpcError {
    fn from(err: CodeError) -> Self {
        // The message carries only the masked snippet of what was read (ReadSnippet).
        tracing::info!(reason = err.code(), "code refused");
        IpcError::new(format!("code_{}", err.code()), err.to_string())
    }
}

#[tauri::command]
pub(crate) fn check_code(raw: String) -> IpcResult<CheckedCode> {
    Ok(match vikno_scan::classify(&raw)? {
        Code::ShareCode(code) => CheckedCode::ShareCode { code },
        Code::DiiaQr { url, doc_type, .. } => CheckedCode::DiiaQr { url, doc_type },
    })
}
