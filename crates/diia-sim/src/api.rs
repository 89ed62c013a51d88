//! Diia's acquirer routes (diia-api.md §1–§9): login, branches, offers, offer requests (v1 and
//! v2) and their status, document request by barcode/QR and its status, document identification
//! (plain and age) and scopes. The non-production test routes of §4.4 are in `test_routes`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::codes::otp_from_qr;
use crate::config::RequestStatus;
use crate::error::ApiError;
use crate::persons::{DocState, SHARING_TYPES, age_on, scope_allows};
use crate::state::{Branch, DocRequest, Offer, OfferRequest, Scopes, Shared, random_hex};
use crate::validate::{Validator, one_of_required};

type S = State<Arc<Shared>>;
type ApiResult = Result<Response, ApiError>;

pub(crate) const V1: &[&str] = &["v1"];
const V2: &[&str] = &["v2"];
const V12: &[&str] = &["v1", "v2"];

/// Extra type ids accepted in branch scopes besides the 15 of §7 (seen in a third-party
/// integration).
const EXTRA_SCOPE_TYPES: [&str; 3] =
    ["user-birth-record", "residence-permit-permanent", "residence-permit-temporary"];

/// Body of `POST /api/v1/acquirers/document-identification/age`: the real body is not public
/// (diia-api.md §5). The simulator assumes `{"branchId": string, "barcode": string, "age": int}`
/// with `age` the minimum age in full years (1–150), and answers `{"success": true}` only when the
/// document is valid and its holder is at least `age` years old today.
pub const AGE_BODY_ASSUMPTION: &str =
    r#"{"branchId": "<branchId>", "barcode": "<13 digits>", "age": 18}"#;

/// Validation answers (assumption, diia-api.md §5 leaves it open): after the code checks pass the
/// code is consumed and the answer is HTTP 200 `{"success": true}` for a valid document and HTTP
/// 200 `{"success": false}` for an expired or revoked one. A document type outside the branch's
/// `scopes.documentIdentification` (or `scopes.sharing` for document requests) is a 403 with
/// message `Document type <type> is not allowed for this branch`.
pub const VALIDATION_ANSWERS: &str =
    "200 {success:true} valid; 200 {success:false} expired/revoked";

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// JavaScript `Date.toJSON()` form: `2026-12-03T16:30:00.000Z`.
pub(crate) fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

pub(crate) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/api/{v}/auth/acquirer/{token}", get(login))
        .route("/api/{v}/acquirers/branch", post(branch_create))
        .route(
            "/api/{v}/acquirers/branch/{id}",
            get(branch_get).put(branch_update).delete(branch_delete),
        )
        .route("/api/{v}/acquirers/branches", get(branch_list))
        .route("/api/{v}/acquirers/branch/{id}/offer", post(offer_create))
        .route("/api/{v}/acquirers/branch/{id}/offers", get(offer_list))
        .route("/api/{v}/acquirers/branch/{id}/offer/{offer}", axum::routing::delete(offer_delete))
        .route("/api/{v}/acquirers/branch/{id}/offer-request", post(offer_request_v1))
        .route("/api/{v}/acquirers/branch/{id}/offer-request/{kind}", post(offer_request))
        .route("/api/{v}/acquirers/offer-request/status", get(offer_request_status))
        .route("/api/{v}/acquirers/document-request", post(document_request))
        .route("/api/{v}/acquirers/document-request/status", get(document_request_status))
        .route("/api/{v}/acquirers/document-identification", post(identification))
        .route("/api/{v}/acquirers/document-identification/age", post(identification_age))
        .route("/api/{v}/acquirers/scopes", get(scopes))
}

pub(crate) fn ok(v: Value) -> ApiResult {
    Ok(Json(v).into_response())
}

fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Route auth as the gateway does it: the API version first, then the Bearer session.
fn auth(s: &Shared, headers: &HeaderMap, version: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if !allowed.contains(&version) {
        return Err(ApiError::unauthorized("Unexpected action token"));
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim().to_string())
        .ok_or_else(|| ApiError::unauthorized("Empty token"))?;
    let inner = s.lock();
    match inner.sessions.get(&token) {
        Some(exp) if *exp > now() => Ok(()),
        // The real check lives in a closed crypto library; 401 with the default message.
        _ => Err(ApiError::unauthorized("Not authorized")),
    }
}

fn parse_body(body: &Bytes) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|_| ApiError::bad_request("Invalid JSON body"))
}

async fn login(
    State(s): S,
    Path((v, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    if !V1.contains(&v.as_str()) {
        return Err(ApiError::unauthorized("Unexpected action token"));
    }
    if let Some(expected) = &s.config.basic_auth {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .map(|(_, cred)| cred.trim().to_string());
        if given.as_deref() != Some(expected.as_str()) {
            // The Basic layer sits in front of the gateway; its answer is not public.
            return Err(ApiError::unauthorized("Not authorized"));
        }
    }
    let mut inner = s.lock();
    if token != inner.acquirer_token {
        return Err(ApiError::unauthorized(format!(
            "Acquirer not found by the provided token {token}"
        )));
    }
    let session = format!("sim.{}", random_hex(32));
    let ttl = time::Duration::try_from(s.config.session_ttl).unwrap_or(time::Duration::HOUR);
    let now = now();
    inner.sessions.retain(|_, exp| *exp > now);
    inner.sessions.insert(session.clone(), now + ttl);
    drop(inner);
    ok(json!({ "token": session }))
}

const SCOPE_TYPES: [&str; 18] = {
    let mut all = [""; 18];
    let mut i = 0;
    while i < 15 {
        all[i] = SHARING_TYPES[i];
        i += 1;
    }
    all[15] = EXTRA_SCOPE_TYPES[0];
    all[16] = EXTRA_SCOPE_TYPES[1];
    all[17] = EXTRA_SCOPE_TYPES[2];
    all
};

/// Validates a Branch body (limits of the Python SDK model, diia-api.md §2).
fn validate_branch(body: &Value, id: String) -> Result<Branch, ApiError> {
    let mut v = Validator::new(body);
    let name = v.string("name", 1, 32, false);
    let email = v.string("email", 6, 100, false);
    let region = v.string("region", 4, 100, false);
    let district = v.string("district", 4, 100, false);
    let location = v.string("location", 2, 100, false);
    let street = v.string("street", 4, 100, false);
    let house = v.string("house", 1, 20, false);
    let custom_full_name = v.string("customFullName", 1, 100, true);
    let custom_full_address = v.string("customFullAddress", 1, 200, true);
    let delivery_types = v.string_array("deliveryTypes", &["api"], false);
    let offer_request_type = v.enum_str("offerRequestType", &["dynamic", "static"], false);
    let mut scopes = None;
    if let Some(sc) = v.object("scopes", false) {
        let mut n = Validator::new(sc);
        let sharing = n.string_array("sharing", &SCOPE_TYPES, false);
        let identification = n.string_array("identification", &[], true);
        let document_identification = n.string_array("documentIdentification", &SCOPE_TYPES, true);
        let diia_id = n.string_array("diiaId", &["auth", "hashedFilesSigning"], true);
        scopes = sharing.map(|sharing| Scopes {
            sharing,
            identification: identification.unwrap_or_default(),
            document_identification: document_identification.unwrap_or_default(),
            diia_id,
        });
        v.absorb("scopes", n);
    }
    v.finish()?;
    match (
        name,
        email,
        region,
        district,
        location,
        street,
        house,
        delivery_types,
        offer_request_type,
        scopes,
    ) {
        (
            Some(name),
            Some(email),
            Some(region),
            Some(district),
            Some(location),
            Some(street),
            Some(house),
            Some(delivery_types),
            Some(offer_request_type),
            Some(scopes),
        ) => Ok(Branch {
            id,
            name,
            email,
            region,
            district,
            location,
            street,
            house,
            custom_full_name,
            custom_full_address,
            delivery_types,
            offer_request_type,
            scopes,
        }),
        // Every None above has recorded an error, so finish() returned already.
        _ => Err(ApiError::validation(vec![])),
    }
}

fn persist(s: &Shared) -> Result<(), ApiError> {
    s.persist().map_err(|e| {
        tracing::error!(error = %e, "state file not written");
        ApiError::unavailable()
    })
}

fn branch_missing(id: &str) -> ApiError {
    ApiError::model_not_found("Branch", id)
}

async fn branch_create(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V12)?;
    let body = parse_body(&body)?;
    let branch = validate_branch(&body, random_hex(32))?;
    let id = branch.id.clone();
    s.lock().branches.push(branch);
    persist(&s)?;
    ok(json!({ "_id": id }))
}

async fn branch_get(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    auth(&s, &headers, &v, V12)?;
    let inner = s.lock();
    let b = inner.branches.iter().find(|b| b.id == id).ok_or_else(|| branch_missing(&id))?;
    ok(serde_json::to_value(b).unwrap_or(Value::Null))
}

async fn branch_update(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V12)?;
    let body = parse_body(&body)?;
    let branch = validate_branch(&body, id.clone())?;
    {
        let mut inner = s.lock();
        let slot =
            inner.branches.iter_mut().find(|b| b.id == id).ok_or_else(|| branch_missing(&id))?;
        *slot = branch;
    }
    persist(&s)?;
    ok(json!({ "_id": id }))
}

async fn branch_delete(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    auth(&s, &headers, &v, V12)?;
    {
        let mut inner = s.lock();
        let before = inner.branches.len();
        inner.branches.retain(|b| b.id != id);
        if inner.branches.len() == before {
            return Err(branch_missing(&id));
        }
        inner.offers.retain(|o| o.branch_id != id);
    }
    persist(&s)?;
    no_content()
}

/// Reads `skip`/`limit` query parameters (defaults 0 and 100).
fn paging(q: &std::collections::HashMap<String, String>) -> Result<(usize, usize), ApiError> {
    let body = json!({
        "skip": q.get("skip").map(|s| s.parse::<i64>().map(Value::from).unwrap_or(json!(s))),
        "limit": q.get("limit").map(|s| s.parse::<i64>().map(Value::from).unwrap_or(json!(s))),
    });
    let mut v = Validator::new(&body);
    let skip = v.integer("skip", 0, i64::from(i32::MAX), true);
    let limit = v.integer("limit", 1, 1000, true);
    v.finish()?;
    let skip = usize::try_from(skip.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(limit.unwrap_or(100)).unwrap_or(100);
    Ok((skip, limit))
}

async fn branch_list(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> ApiResult {
    auth(&s, &headers, &v, V12)?;
    let (skip, limit) = paging(&q)?;
    let inner = s.lock();
    let page: Vec<&Branch> = inner.branches.iter().skip(skip).take(limit).collect();
    ok(json!({ "total": inner.branches.len(), "branches": page }))
}

async fn offer_create(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = parse_body(&body)?;
    let mut val = Validator::new(&body);
    let name = val.string("name", 1, 100, false);
    let return_link = val.string("returnLink", 1, 2048, true);
    let scopes = val.object("scopes", false).cloned();
    if let Some(sc) = &scopes {
        let mut n = Validator::new(sc);
        let sharing = n.string_array("sharing", &SCOPE_TYPES, true);
        let diia_id = n.string_array("diiaId", &["auth", "hashedFilesSigning"], true);
        val.absorb("scopes", n);
        if sharing.is_none() && diia_id.is_none() {
            val.push(one_of_required(&["scopes.sharing", "scopes.diiaId"]));
        }
    }
    val.finish()?;
    let (Some(name), Some(scopes)) = (name, scopes) else {
        return Err(ApiError::validation(vec![]));
    };
    let offer_id = random_hex(32);
    {
        let mut inner = s.lock();
        if !inner.branches.iter().any(|b| b.id == id) {
            return Err(branch_missing(&id));
        }
        inner.offers.push(Offer { id: offer_id.clone(), branch_id: id, name, scopes, return_link });
    }
    persist(&s)?;
    ok(json!({ "_id": offer_id }))
}

async fn offer_list(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let (skip, limit) = paging(&q)?;
    let inner = s.lock();
    if !inner.branches.iter().any(|b| b.id == id) {
        return Err(branch_missing(&id));
    }
    let all: Vec<&Offer> = inner.offers.iter().filter(|o| o.branch_id == id).collect();
    let page: Vec<&&Offer> = all.iter().skip(skip).take(limit).collect();
    ok(json!({ "total": all.len(), "offers": page }))
}

async fn offer_delete(
    State(s): S,
    Path((v, id, offer)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    {
        let mut inner = s.lock();
        let before = inner.offers.len();
        inner.offers.retain(|o| !(o.branch_id == id && o.id == offer));
        if inner.offers.len() == before {
            return Err(ApiError::model_not_found("Offer", &offer));
        }
    }
    persist(&s)?;
    no_content()
}

/// `POST /api/v2/acquirers/branch/{id}/offer-request/{kind}` (only `dynamic` is simulated).
async fn offer_request(
    State(s): S,
    Path((v, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V2)?;
    if kind != "dynamic" {
        // FIXME(#4): `static` offer requests exist in Diia's enum but nothing public says how
        // they differ; the simulator refuses them.
        return Err(ApiError::bad_request(format!("Unsupported offer request type {kind}")));
    }
    create_offer_request(&s, &id, &body, "https://diia.app/acquirers/offer-request/dynamic")
}

/// `POST /api/v1/acquirers/branch/{id}/offer-request`: the older, v1-only route of the same
/// action (diia-api.md §3).
// FIXME(#4): no SDK calls the v1 route; its body is assumed to be the v2 body and its deeplink
// the v2 one without the request type.
async fn offer_request_v1(
    State(s): S,
    Path((v, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    create_offer_request(&s, &id, &body, "https://diia.app/acquirers/offer-request")
}

/// Validates an offer-request body, records the request and answers its deeplink
/// `<link_base>/<otp>`; a customer opens it through the phone API (`/sim/v1/deeplinks/open`).
// FIXME(#4): real deeplinks are not public (only SDK mocks); the last path segment is taken to
// be the `otp` of the status route.
fn create_offer_request(
    s: &Arc<Shared>,
    branch_id: &str,
    body: &Bytes,
    link_base: &str,
) -> ApiResult {
    let body = parse_body(body)?;
    let mut val = Validator::new(&body);
    let offer_id = val.string("offerId", 1, 200, false);
    let request_id = val.string("requestId", 1, 1024, false);
    val.string("returnLink", 1, 2048, true);
    val.boolean("useDiiaId", true);
    val.object("data", true);
    val.finish()?;
    let (Some(offer_id), Some(request_id)) = (offer_id, request_id) else {
        return Err(ApiError::validation(vec![]));
    };
    let mut inner = s.lock();
    if !inner.branches.iter().any(|b| b.id == branch_id) {
        return Err(branch_missing(branch_id));
    }
    let offer = inner
        .offers
        .iter()
        .find(|o| o.branch_id == branch_id && o.id == offer_id)
        .ok_or_else(|| ApiError::model_not_found("Offer", &offer_id))?;
    let requested_types: Vec<String> = offer
        .scopes
        .get("sharing")
        .and_then(Value::as_array)
        .map(|types| types.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let otp = uuid::Uuid::new_v4().to_string();
    let deeplink = format!("{link_base}/{otp}");
    let now = now();
    let deadline =
        now + time::Duration::try_from(s.config.answer_timeout).unwrap_or(time::Duration::MINUTE);
    inner
        .offer_requests
        .retain(|_, r| !r.status.is_final() || r.answer_deadline > now - time::Duration::DAY);
    inner.offer_requests.insert(
        otp.clone(),
        OfferRequest {
            otp,
            deeplink: deeplink.clone(),
            request_id,
            branch_id: branch_id.to_string(),
            offer_id,
            requested_types,
            person_id: None,
            doc_ids: vec![],
            status: RequestStatus::Processing,
            reason: None,
            attempts: 0,
            file_names: vec![],
            answer_deadline: deadline,
        },
    );
    drop(inner);
    ok(json!({ "deeplink": deeplink }))
}

/// `GET /api/v1/acquirers/offer-request/status?otp=&requestId=` → `{"status": …}` with the
/// same words as the document-request status ([`RequestStatus`]).
// FIXME(#4): the parameters come from third-party clients only (diia-api.md §3) and one of them
// sends `requestId` alone; the simulator requires `requestId` and takes `otp` (the deeplink's
// last segment) as optional, checking it when given.
async fn offer_request_status(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = json!({ "otp": q.get("otp"), "requestId": q.get("requestId") });
    let mut val = Validator::new(&body);
    let otp = val.string("otp", 1, 200, true);
    let request_id = val.string("requestId", 1, 1024, false);
    val.finish()?;
    let request_id = request_id.unwrap_or_default();
    let mut inner = s.lock();
    let req = inner
        .offer_requests
        .values_mut()
        .find(|r| r.request_id == request_id && otp.as_ref().is_none_or(|otp| *otp == r.otp))
        .ok_or_else(|| {
            ApiError::model_not_found("OfferRequest", "with presented otp and requestId")
        })?;
    crate::customer::expire_if_due(req, now());
    ok(json!({ "status": req.status.as_str() }))
}

/// Outcome of looking a code up: the record's barcode, or the Diia error for its state.
fn check_code(
    inner: &crate::state::Inner,
    barcode: Option<&str>,
    qrcode: Option<&str>,
) -> Result<String, ApiError> {
    let not_found = |what: &str| {
        ApiError::model_not_found(
            "DocumentVerificationOtp",
            &format!("No otp record with presented {what}!"),
        )
    };
    let key = match (barcode, qrcode) {
        (Some(b), _) => b.to_string(),
        (None, Some(q)) => otp_from_qr(q)
            .and_then(|otp| inner.otps.get(&otp).cloned())
            .ok_or_else(|| not_found("otp"))?,
        (None, None) => {
            return Err(ApiError::validation(vec![one_of_required(&["barcode", "qrcode"])]));
        }
    };
    let code = inner.codes.get(&key).ok_or_else(|| not_found("barcode"))?;
    if code.used_at.is_some() {
        return Err(ApiError::bad_request("This code has been used already!"));
    }
    let now = now();
    if code.expires_at <= now {
        return Err(ApiError::bad_request("Code has been expired!")
            .with_data(json!({ "now": iso(now), "expirationDate": iso(code.expires_at) })));
    }
    Ok(key)
}

fn scope_denied(doc_type: &str) -> ApiError {
    let mut e =
        ApiError::bad_request(format!("Document type {doc_type} is not allowed for this branch"));
    e.code = 403;
    e
}

async fn document_request(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = parse_body(&body)?;
    let mut val = Validator::new(&body);
    let branch_id = val.string("branchId", 1, 200, false);
    let request_id = val.string("requestId", 1, 1024, false);
    let barcode = val.string("barcode", 1, 64, true);
    let qrcode = val.string("qrcode", 1, 2048, true);
    val.boolean("useDiiaId", true);
    if body.is_object() && barcode.is_none() && qrcode.is_none() {
        val.push(one_of_required(&["barcode", "qrcode"]));
    }
    val.finish()?;
    let (Some(branch_id), Some(request_id)) = (branch_id, request_id) else {
        return Err(ApiError::validation(vec![]));
    };

    let (key, script) = {
        let mut inner = s.lock();
        let branch = inner
            .branches
            .iter()
            .find(|b| b.id == branch_id)
            .cloned()
            .ok_or_else(|| branch_missing(&branch_id))?;
        let key = check_code(&inner, barcode.as_deref(), qrcode.as_deref())?;
        let now = now();
        let code = inner.codes.get_mut(&key).ok_or_else(ApiError::unavailable)?;
        if !scope_allows(&branch.scopes.sharing, &code.doc_type) {
            return Err(scope_denied(&code.doc_type));
        }
        code.used_at = Some(now);
        let code = code.clone();
        let script = code
            .script
            .or_else(|| inner.person_scripts.get(&code.person_id).copied())
            .unwrap_or(s.config.default_script);
        let deadline = now
            + time::Duration::try_from(s.config.answer_timeout).unwrap_or(time::Duration::MINUTE);
        let req = DocRequest {
            request_id: request_id.clone(),
            barcode: code.barcode.clone(),
            branch_id,
            doc_id: code.doc_id.clone(),
            doc_type: code.doc_type.clone(),
            person_id: code.person_id.clone(),
            status: RequestStatus::Processing,
            reason: None,
            attempts: 0,
            file_name: None,
            answer_deadline: deadline,
        };
        let key = (code.barcode.clone(), request_id);
        inner.requests.insert(key.clone(), req);
        // Diia's own id of the request (a Mongo ObjectId), for the test route of §4.4.
        inner.doc_request_ids.insert(code.barcode.clone(), random_hex(12));
        (key, script)
    };
    crate::customer::start(s.clone(), crate::customer::Key::Code(key.0, key.1), script);
    ok(json!({ "success": true }))
}

async fn document_request_status(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = json!({ "barcode": q.get("barcode"), "requestId": q.get("requestId") });
    let mut val = Validator::new(&body);
    let barcode = val.string("barcode", 1, 64, false);
    let request_id = val.string("requestId", 1, 1024, false);
    val.finish()?;
    let key = (barcode.unwrap_or_default(), request_id.unwrap_or_default());
    let mut inner = s.lock();
    let req = inner.requests.get_mut(&key).ok_or_else(|| {
        ApiError::model_not_found("DocumentRequest", "with presented barcode and requestId")
    })?;
    crate::customer::expire_if_due(req, now());
    ok(json!({ "status": req.status.as_str() }))
}

/// Shared part of both identification routes: checks, consumes the code, returns the document
/// state and the holder's birthday.
fn identify(s: &Shared, branch_id: &str, barcode: &str) -> Result<(DocState, String), ApiError> {
    let mut inner = s.lock();
    let branch = inner
        .branches
        .iter()
        .find(|b| b.id == branch_id)
        .cloned()
        .ok_or_else(|| branch_missing(branch_id))?;
    let key = check_code(&inner, Some(barcode), None)?;
    let code = inner.codes.get_mut(&key).ok_or_else(ApiError::unavailable)?;
    if !scope_allows(&branch.scopes.document_identification, &code.doc_type) {
        return Err(scope_denied(&code.doc_type));
    }
    code.used_at = Some(now());
    let doc_id = code.doc_id.clone();
    drop(inner);
    let (person, doc) = s.find_document(&doc_id).ok_or_else(ApiError::unavailable)?;
    Ok((doc.state, person.birthday.clone()))
}

async fn identification(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = parse_body(&body)?;
    let mut val = Validator::new(&body);
    let branch_id = val.string("branchId", 1, 200, false);
    let barcode = val.string("barcode", 1, 64, false);
    val.finish()?;
    let (state, _) = identify(&s, &branch_id.unwrap_or_default(), &barcode.unwrap_or_default())?;
    ok(json!({ "success": state == DocState::Valid }))
}

async fn identification_age(
    State(s): S,
    Path(v): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    let body = parse_body(&body)?;
    let mut val = Validator::new(&body);
    let branch_id = val.string("branchId", 1, 200, false);
    let barcode = val.string("barcode", 1, 64, false);
    let age = val.integer("age", 1, 150, false);
    val.finish()?;
    let (state, birthday) =
        identify(&s, &branch_id.unwrap_or_default(), &barcode.unwrap_or_default())?;
    let old_enough = age_on(&birthday, now().date())
        .zip(age)
        .is_some_and(|(years, min)| i64::from(years) >= min);
    ok(json!({ "success": state == DocState::Valid && old_enough }))
}

/// `GET /api/v1/acquirers/scopes`: the real shape is not public; the simulator answers the
/// acquirer's allowed scopes as one scopes object (the same keys as a branch's `scopes`).
async fn scopes(State(s): S, Path(v): Path<String>, headers: HeaderMap) -> ApiResult {
    auth(&s, &headers, &v, V1)?;
    ok(json!({
        "sharing": SHARING_TYPES,
        "identification": [],
        "documentIdentification": SHARING_TYPES,
        "diiaId": ["auth", "hashedFilesSigning"],
    }))
}
