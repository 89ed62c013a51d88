//! Diia's non-production test routes (diia-api.md §4.4): the document-request id behind a
//! barcode, and Diia's own fake partner receivers, which answer like a partner would and let
//! the simulator deliver to itself in demos.

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;

use crate::api::{V1, ok};
use crate::error::{ApiError, FieldError};
use crate::state::Shared;

type S = State<Arc<Shared>>;
type ApiResult = Result<Response, ApiError>;

pub(crate) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/api/{v}/test/acquirers/document-request/{barcode}", get(document_request_id))
        .route("/api/{v}/acquirer-provider/test", post(provider_test))
        .route("/api/{v}/acquirer-provider/share-app-app", post(provider_share_app_app))
        .route("/api/{v}/acquirer-provider/share-encoded-data", post(provider_share_encoded_data))
}

fn version(v: &str) -> Result<(), ApiError> {
    if V1.contains(&v) { Ok(()) } else { Err(ApiError::unauthorized("Unexpected action token")) }
}

/// `GET /api/v1/test/acquirers/document-request/{barcode}` → `{"id": "<document request id>"}`.
// FIXME(#4): Diia's route needs a customer's app session and app headers (the simulator has no
// customer sessions, so it is open, like `/sim/v1`), and its answer is not public: `{"id"}`
// holding Diia's own 24-hex request id is a guess.
async fn document_request_id(State(s): S, Path((v, barcode)): Path<(String, String)>) -> ApiResult {
    version(&v)?;
    let inner = s.lock();
    let id =
        inner.doc_request_ids.get(&barcode).cloned().ok_or_else(|| {
            ApiError::model_not_found("DocumentRequest", "with presented barcode")
        })?;
    drop(inner);
    ok(json!({ "id": id }))
}

/// Field names and sizes of a multipart body (contents are sealed; only their presence matters).
async fn fields(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Vec<(String, bool, usize)>, ApiError> {
    let mut multipart =
        multipart.map_err(|_| ApiError::bad_request("Request body must be multipart/form-data"))?;
    let mut out = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let len = field.bytes().await.map(|b| b.len()).unwrap_or(0);
        out.push((name, is_file, len));
    }
    Ok(out)
}

fn require(fields: &[(String, bool, usize)], names: &[&str]) -> Result<(), ApiError> {
    let missing: Vec<_> = names
        .iter()
        .filter(|name| !fields.iter().any(|(field, _, len)| field == *name && *len > 0))
        .map(|name| FieldError {
            kind: "required".into(),
            expected: None,
            actual: None,
            field: (*name).to_string(),
            message: format!("The '{name}' field is required."),
        })
        .collect();
    if missing.is_empty() { Ok(()) } else { Err(ApiError::validation(missing)) }
}

fn trace_id(headers: &HeaderMap) -> bool {
    headers.get("x-document-request-trace-id").is_some()
}

/// `POST /api/v1/acquirer-provider/test`: the barcode layout (`encryptedFile`,
/// `encryptedFileName`, `encodeData`) → `{"success": true, "error": ""}`.
// FIXME(#4): what Diia's fake receiver does with a bad body is not public; the simulator
// answers a 422 naming the missing fields.
async fn provider_test(
    Path(v): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    version(&v)?;
    let fields = fields(multipart).await?;
    require(&fields, &["encryptedFile", "encryptedFileName", "encodeData"])?;
    tracing::info!(parts = fields.len(), trace_id = trace_id(&headers), "fake receiver: barcode");
    ok(json!({ "success": true, "error": "" }))
}

/// `POST /api/v1/acquirer-provider/share-app-app`: the deeplink layout (file parts
/// `internal-passport`/`foreign-passport`, up to 5 each, and `encodeData`) → `{"success": true}`.
async fn provider_share_app_app(
    Path(v): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    version(&v)?;
    let fields = fields(multipart).await?;
    require(&fields, &["encodeData"])?;
    for kind in ["internal-passport", "foreign-passport"] {
        if fields.iter().filter(|(name, _, _)| name == kind).count() > 5 {
            return Err(ApiError::bad_request(format!("Too many files in field {kind}")));
        }
    }
    tracing::info!(parts = fields.len(), trace_id = trace_id(&headers), "fake receiver: deeplink");
    ok(json!({ "success": true }))
}

/// `POST /api/v1/acquirer-provider/share-encoded-data`: the signing flow's receiver →
/// `{"success": true}`.
// FIXME(#4): the signing flow's body is not described; any multipart body is accepted.
async fn provider_share_encoded_data(
    Path(v): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    version(&v)?;
    let fields = fields(multipart).await?;
    tracing::info!(parts = fields.len(), "fake receiver: encoded data");
    ok(json!({ "success": true }))
}
