//! Errors: `SimError` for the library API, `ApiError` for Diia-shaped HTTP error bodies (§9).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

/// Errors of the simulator library (start-up, rendering, persistence, delivery).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Input that the simulator cannot use (bad barcode, unknown id …).
    #[error("bad input: {0}")]
    BadInput(&'static str),
    /// Binding or serving the HTTP listener failed.
    #[error("server error: {0}")]
    Server(String),
    /// Reading or writing the state file failed.
    #[error("state file error: {0}")]
    State(String),
    /// PDF or image rendering failed.
    #[error("rendering failed: {0}")]
    Render(String),
    /// Generating keys, loading certificates or sealing an envelope failed.
    #[error("crypto error: {0}")]
    Crypto(String),
    /// A delivery could not be posted to the receiver.
    #[error("delivery failed: {0}")]
    Delivery(String),
}

/// One entry of a 422 ValidationError's `data` array (fastest-validator shape, `params.` stripped).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldError {
    /// Rule that failed: `required`, `string`, `stringMin`, `stringMax`, `array`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// What the rule expected (omitted when the rule has no parameter, like JSON `undefined`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// What was received (omitted when the field was absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// Field path without the `params.` prefix.
    pub field: String,
    /// Human-readable message in fastest-validator wording.
    pub message: String,
}

/// A Diia gateway error: serialised as the pretty-printed JSON body of §9, HTTP status = `code`.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    /// `Error` for ApiError subclasses, `ValidationError`, `ServiceNotAvailableError`.
    pub name: String,
    /// Message text.
    pub message: String,
    /// HTTP status.
    pub code: u16,
    /// `operated` for expected business errors.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Extra data (field errors, `{now, expirationDate}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl ApiError {
    fn new(code: u16, message: impl Into<String>) -> Self {
        Self { name: "Error".into(), message: message.into(), code, kind: None, data: None }
    }

    fn operated(mut self) -> Self {
        self.kind = Some("operated".into());
        self
    }

    /// 400 BadRequestError.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message).operated()
    }

    /// 401 UnauthorizedError.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, message).operated()
    }

    /// 404 ModelNotFoundError with the backend's message template.
    pub fn model_not_found(model: &str, what: &str) -> Self {
        Self::new(404, format!("The requested model {model} {what} could not be found.")).operated()
    }

    /// 404 for a path no route serves.
    pub fn route_not_found() -> Self {
        Self::new(404, "Route not found").operated()
    }

    /// 422 ValidationError with the field list.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let data = serde_json::to_value(errors).unwrap_or(Value::Null);
        Self {
            name: "ValidationError".into(),
            message: "Validation failed".into(),
            code: 422,
            kind: None,
            data: Some(data),
        }
    }

    /// 503 ServiceNotAvailableError (type and data removed, as the gateway does).
    pub fn unavailable() -> Self {
        Self {
            name: "ServiceNotAvailableError".into(),
            message: "Service not available".into(),
            code: 503,
            kind: None,
            data: None,
        }
    }

    /// Adds `data` to the error.
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string_pretty(&self)
            .unwrap_or_else(|_| String::from("{\"name\":\"Error\"}"));
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        resp
    }
}
