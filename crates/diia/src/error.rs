//! Errors of the Diia client: Diia's own error body, and the kinds a clerk's screen tells apart.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What went wrong, in the terms the app shows to a clerk (diia-api.md §5, §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The customer's code ran out (older than 180 s): ask for a fresh one.
    CodeExpired,
    /// The code was already used for a request or a check.
    CodeUsed,
    /// Diia does not know the code (mistyped or never issued).
    CodeUnknown,
    /// The document type behind the code is not allowed for this branch.
    TypeNotAllowed,
    /// Diia refused our credentials or session (even after logging in again).
    Unauthorized,
    /// Diia answered 5xx / 429: try again later.
    Unavailable,
    /// No connection to Diia.
    Network,
    /// Diia did not answer in time.
    Timeout,
    /// Diia rejected the request's fields (422 / 400), or we refused to send it.
    Validation,
    /// Anything else: an answer the client cannot make sense of.
    Unexpected,
}

/// Error of any client call. Messages carry no tokens: Diia's own texts are scrubbed of the
/// acquirer and session tokens before they are stored here.
#[derive(Debug, thiserror::Error)]
pub enum DiiaError {
    /// Diia answered with an error status (or `200 {"success": false}`).
    #[error("diia answered {status}: {}", body.summary())]
    Api {
        /// HTTP status (200 for a `success: false` answer).
        status: u16,
        /// The kind derived from status and message.
        kind: ErrorKind,
        /// Diia's error body, as far as it could be parsed (boxed: it is large and rare).
        body: Box<ApiErrorBody>,
    },
    /// The connection failed (DNS, refused, reset, TLS); the URL is stripped from the source.
    #[error("cannot reach diia")]
    Network(#[source] reqwest::Error),
    /// No answer within the configured time.
    #[error("diia did not answer within {0:?}")]
    Timeout(Duration),
    /// A success status with a body that does not match the contract.
    #[error("unexpected answer from diia: {0}")]
    Unexpected(String),
    /// The client configuration is unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The caller's input was refused before sending (e.g. an empty branch id).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl DiiaError {
    /// The kind of failure, for the UI's wording and next action.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DiiaError::Api { kind, .. } => *kind,
            DiiaError::Network(_) => ErrorKind::Network,
            DiiaError::Timeout(_) => ErrorKind::Timeout,
            DiiaError::Unexpected(_) | DiiaError::Config(_) => ErrorKind::Unexpected,
            DiiaError::InvalidRequest(_) => ErrorKind::Validation,
        }
    }

    /// HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            DiiaError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Field errors of a validation answer (empty for other errors).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            DiiaError::Api { body, .. } => body.field_errors(),
            _ => Vec::new(),
        }
    }

    /// Builds the API error for `status` and a raw body (JSON or not).
    pub(crate) fn from_response(status: u16, raw: &[u8], secrets: &[&str]) -> Self {
        let mut body = serde_json::from_slice::<ApiErrorBody>(raw).unwrap_or_else(|_| {
            // Gateways in front of Diia answer HTML or text; keep a short, printable excerpt.
            let text = String::from_utf8_lossy(raw);
            let excerpt: String = text.chars().take(200).collect();
            ApiErrorBody {
                message: (!excerpt.trim().is_empty()).then(|| excerpt.trim().to_owned()),
                ..ApiErrorBody::default()
            }
        });
        body.scrub(secrets);
        let kind = classify(status, &body);
        DiiaError::Api { status, kind, body: Box::new(body) }
    }
}

/// Diia's error body (gateway `onError`, diia-api.md §9); every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// Error class name, usually `Error`, `ValidationError`, `ModelNotFoundError`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Human-readable message (English backend text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// HTTP status repeated in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Value>,
    /// Error type, e.g. `operated`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// Details: validation field list, or `{now, expirationDate}` for an expired code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Diia's process error code, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Value>,
    /// Longer description, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One invalid field of a 422 answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Field path as Diia names it (`params.` prefix already stripped by Diia).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
    /// Validator type, e.g. `required`, `string`.
    pub rule: Option<String>,
    /// Expected value/shape, as text.
    pub expected: Option<String>,
    /// Actual value, as text.
    pub actual: Option<String>,
}

impl ApiErrorBody {
    /// Field errors from `data` (a list) or `data.errors` (.NET SDK's model).
    pub fn field_errors(&self) -> Vec<FieldError> {
        let list = match &self.data {
            Some(Value::Array(items)) => items.as_slice(),
            Some(Value::Object(map)) => match map.get("errors") {
                Some(Value::Array(items)) => items.as_slice(),
                _ => &[],
            },
            _ => &[],
        };
        list.iter()
            .filter_map(Value::as_object)
            .map(|item| FieldError {
                field: text_of(item.get("field")).unwrap_or_default(),
                message: text_of(item.get("message")).unwrap_or_default(),
                rule: text_of(item.get("type")),
                expected: text_of(item.get("expected")),
                actual: text_of(item.get("actual")),
            })
            .collect()
    }

    /// The expiry time Diia reports for an expired code (`data.expirationDate`), as given.
    pub fn expiration_date(&self) -> Option<String> {
        text_of(self.data.as_ref()?.get("expirationDate"))
    }

    /// One-line summary for error messages.
    fn summary(&self) -> String {
        let mut summary = self.message.clone().unwrap_or_else(|| "no message".to_owned());
        if let Some(name) = &self.name {
            summary = format!("{name}: {summary}");
        }
        let fields = self.field_errors();
        if !fields.is_empty() {
            let listed: Vec<String> =
                fields.iter().map(|field| format!("{} ({})", field.field, field.message)).collect();
            summary.push_str(&format!("; fields: {}", listed.join(", ")));
        }
        summary
    }

    /// Replaces every occurrence of the given secrets in all texts (Diia echoes the acquirer
    /// token in `Acquirer not found by the provided token …`).
    pub(crate) fn scrub(&mut self, secrets: &[&str]) {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        if secrets.is_empty() {
            return;
        }
        let scrub_text = |text: &mut String| {
            for secret in &secrets {
                if text.contains(secret) {
                    *text = text.replace(secret, "[redacted]");
                }
            }
        };
        for text in [&mut self.name, &mut self.message, &mut self.error_type, &mut self.description]
            .into_iter()
            .flatten()
        {
            scrub_text(text);
        }
        for value in [&mut self.data, &mut self.code, &mut self.error_code].into_iter().flatten() {
            scrub_value(value, &scrub_text);
        }
    }
}

fn scrub_value(value: &mut Value, scrub_text: &impl Fn(&mut String)) {
    match value {
        Value::String(text) => scrub_text(text),
        Value::Array(items) => items.iter_mut().for_each(|item| scrub_value(item, scrub_text)),
        Value::Object(map) => map.values_mut().for_each(|item| scrub_value(item, scrub_text)),
        _ => {}
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// Derives the clerk-facing kind from the status and Diia's message (diia-api.md §5, §9).
pub(crate) fn classify(status: u16, body: &ApiErrorBody) -> ErrorKind {
    let message = body.message.as_deref().unwrap_or_default().to_lowercase();
    let name = body.name.as_deref().unwrap_or_default();
    if message.contains("has been expired") || message.contains("code expired") {
        return ErrorKind::CodeExpired;
    }
    if message.contains("has been used already") || message.contains("already used") {
        return ErrorKind::CodeUsed;
    }
    if message.contains("no otp record") {
        return ErrorKind::CodeUnknown;
    }
    // The documents service says "Document type must be <type>" (diia-api.md §5); how the
    // acquirers service words a branch-scope refusal is not public, so any "document type …
    // not allowed" wording counts too (the simulator uses it).
    if message.contains("document type")
        && (message.contains("must be") || message.contains("not allowed"))
    {
        return ErrorKind::TypeNotAllowed;
    }
    match status {
        401 | 403 => ErrorKind::Unauthorized,
        404 if name == "ModelNotFoundError" && message.contains("documentverificationotp") => {
            ErrorKind::CodeUnknown
        }
        400 | 422 => ErrorKind::Validation,
        429 | 500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::Unexpected,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn kind_of(status: u16, body: Value) -> ErrorKind {
        DiiaError::from_response(status, body.to_string().as_bytes(), &[]).kind()
    }

    #[test]
    fn classifies_diia_messages() {
        let cases = [
            (
                400,
                json!({"name":"Error","message":"Code has been expired!","code":400}),
                ErrorKind::CodeExpired,
            ),
            (
                400,
                json!({"message":"This code has been used already!","code":400}),
                ErrorKind::CodeUsed,
            ),
            (
                404,
                json!({"name":"ModelNotFoundError","message":"The requested model DocumentVerificationOtp No otp record with presented barcode! could not be found.","code":404}),
                ErrorKind::CodeUnknown,
            ),
            (
                400,
                json!({"message":"Document type must be internal-passport","code":400}),
                ErrorKind::TypeNotAllowed,
            ),
            (401, json!({"message":"Empty token","code":401}), ErrorKind::Unauthorized),
            (403, json!({"message":"Forbidden","code":403}), ErrorKind::Unauthorized),
            (
                422,
                json!({"name":"ValidationError","message":"Validation failed","code":422}),
                ErrorKind::Validation,
            ),
            (
                503,
                json!({"name":"ServiceNotAvailableError","message":"Service not available","code":503}),
                ErrorKind::Unavailable,
            ),
            (404, json!({"message":"Branch not found","code":404}), ErrorKind::Unexpected),
            (418, json!({}), ErrorKind::Unexpected),
        ];
        for (status, body, expected) in cases {
            assert_eq!(kind_of(status, body.clone()), expected, "{status} {body}");
        }
    }

    #[test]
    fn lists_field_errors_from_both_shapes() {
        let plain = ApiErrorBody {
            data: Some(
                json!([{"type":"required","field":"barcode","message":"The 'barcode' field is required.","expected":null,"actual":null}]),
            ),
            ..ApiErrorBody::default()
        };
        let nested = ApiErrorBody {
            data: Some(
                json!({"errors":[{"type":"string","field":"branchId","message":"must be string","actual":5}]}),
            ),
            ..ApiErrorBody::default()
        };
        assert_eq!(plain.field_errors()[0].field, "barcode");
        assert_eq!(plain.field_errors()[0].rule.as_deref(), Some("required"));
        assert_eq!(nested.field_errors()[0].actual.as_deref(), Some("5"));
    }

    #[test]
    fn non_json_bodies_and_secrets() {
        let err = DiiaError::from_response(
            401,
            br#"{"message":"Acquirer not found by the provided token abc123","data":{"t":"abc123"}}"#,
            &["abc123"],
        );
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert!(!err.to_string().contains("abc123"));
        assert!(!format!("{err:?}").contains("abc123"));
        let html = DiiaError::from_response(502, b"<html>Bad gateway</html>", &[]);
        assert_eq!(html.kind(), ErrorKind::Unavailable);
        assert!(html.to_string().contains("Bad gateway"));
    }
}
