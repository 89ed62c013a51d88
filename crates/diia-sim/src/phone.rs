//! The test-only "customer phone" API under `/sim/v1/…` (not a Diia route): list persons and
//! documents, issue share codes exactly as the app gets them, render them as images, script the
//! customer, open deeplinks as the customer, and test hooks (expire sessions/codes, inspect requests, certificates).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::SimError;
use crate::api::{iso, now};
use crate::codes::{generate_barcode, verification_link};
use crate::config::Script;
use crate::error::ApiError;
use crate::images::{Symbology, render_png};
use crate::persons::{DocState, scope_allows};
use crate::state::{DocRequest, OfferRequest, ShareCode, Shared};

type S = State<Arc<Shared>>;
type R = Result<Response, ApiError>;

/// What the customer's app receives when it shares a document (Diia's share answer plus the
/// expiration time and the simulator's image links).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCode {
    /// Record id (the QR otp).
    pub id: String,
    /// QR link `https://diia.app/documents/{type}/{id}/verify/{uuid}`.
    pub link: String,
    /// 13-digit share code.
    pub barcode: String,
    /// `Код діятиме ще`.
    pub timer_text: String,
    /// Seconds the code lives (180 by default).
    pub timer_time: u64,
    /// When the code expires (ISO 8601).
    pub expiration_date: String,
    /// Document type.
    pub document_type: String,
    /// Document id.
    pub document_id: String,
}

pub(crate) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/sim/v1/persons", get(persons))
        .route("/sim/v1/persons/{id}", get(person))
        .route("/sim/v1/persons/{id}/script", put(set_script).delete(clear_script))
        .route("/sim/v1/documents/{id}/share", post(share))
        .route("/sim/v1/codes/{barcode}/expire", post(expire_code))
        .route("/sim/v1/codes/{barcode}/{image}", get(code_image))
        .route("/sim/v1/sessions/expire", post(expire_sessions))
        .route("/sim/v1/requests", get(requests))
        .route("/sim/v1/deeplinks/open", post(open_deeplink_route))
        .route("/sim/v1/certificates", get(certificates))
}

fn person_missing(id: &str) -> ApiError {
    ApiError::model_not_found("Person", id)
}

async fn persons(State(s): S) -> R {
    let list: Vec<Value> = s
        .persons
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "fullName": p.full_name,
                "birthday": p.birthday,
                "documents": p.documents.iter().map(|d| json!({
                    "id": d.id, "type": d.doc_type, "state": d.state
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({ "persons": list })).into_response())
}

async fn person(State(s): S, Path(id): Path<String>) -> R {
    let p = s.persons.iter().find(|p| p.id == id).ok_or_else(|| person_missing(&id))?;
    Ok(Json(serde_json::to_value(p).unwrap_or(Value::Null)).into_response())
}

fn parse_script(body: &Bytes) -> Result<Script, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("invalid script: {e}")))
}

async fn set_script(State(s): S, Path(id): Path<String>, body: Bytes) -> R {
    if !s.persons.iter().any(|p| p.id == id) {
        return Err(person_missing(&id));
    }
    let script = parse_script(&body)?;
    s.lock().person_scripts.insert(id, script);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn clear_script(State(s): S, Path(id): Path<String>) -> R {
    s.lock().person_scripts.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Issues a share code for a document (the app's `GET /api/v1/documents/{type}/{id}/share`).
pub(crate) fn issue(
    s: &Shared,
    doc_id: &str,
    script: Option<Script>,
) -> Result<IssuedCode, SimError> {
    let (person, doc) = s.find_document(doc_id).ok_or(SimError::BadInput("unknown document id"))?;
    let otp = Uuid::new_v4();
    let link = verification_link(&doc.doc_type, &doc.id, otp);
    let ttl = time::Duration::try_from(s.config.code_ttl).unwrap_or(time::Duration::minutes(3));
    let expires_at = now() + ttl;
    let mut inner = s.lock();
    // Like the backend's unique index: draw again on a collision with a live record.
    let mut rng = rand::rng();
    let mut barcode = generate_barcode(&mut rng);
    while inner.codes.contains_key(&barcode) {
        barcode = generate_barcode(&mut rng);
    }
    // Forget records that expired long ago (the backend purges after a day).
    let horizon = now() - time::Duration::DAY;
    inner.codes.retain(|_, c| c.expires_at > horizon);
    let live: std::collections::HashSet<Uuid> = inner.codes.values().map(|c| c.otp).collect();
    inner.otps.retain(|otp, _| live.contains(otp));
    inner.codes.insert(
        barcode.clone(),
        ShareCode {
            barcode: barcode.clone(),
            otp,
            link: link.clone(),
            doc_id: doc.id.clone(),
            doc_type: doc.doc_type.clone(),
            person_id: person.id.clone(),
            expires_at,
            used_at: None,
            script,
        },
    );
    inner.otps.insert(otp, barcode.clone());
    Ok(IssuedCode {
        id: otp.to_string(),
        link,
        barcode,
        timer_text: "Код діятиме ще".into(),
        timer_time: s.config.code_ttl.as_secs(),
        expiration_date: iso(expires_at),
        document_type: doc.doc_type.clone(),
        document_id: doc.id.clone(),
    })
}

async fn share(State(s): S, Path(id): Path<String>, body: Bytes) -> R {
    let script = if body.is_empty() {
        None
    } else {
        let v: Value = serde_json::from_slice(&body)
            .map_err(|_| ApiError::bad_request("Invalid JSON body"))?;
        match v.get("script") {
            Some(sc) if !sc.is_null() => Some(
                serde_json::from_value::<Script>(sc.clone())
                    .map_err(|e| ApiError::bad_request(format!("invalid script: {e}")))?,
            ),
            _ => None,
        }
    };
    let issued = issue(&s, &id, script).map_err(|_| ApiError::model_not_found("Document", &id))?;
    let images = json!({
        "ean13": format!("/sim/v1/codes/{}/ean13.png", issued.barcode),
        "code128": format!("/sim/v1/codes/{}/code128.png", issued.barcode),
        "qr": format!("/sim/v1/codes/{}/qr.png", issued.barcode),
    });
    let mut v = serde_json::to_value(&issued).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("images".into(), images);
    }
    Ok(Json(v).into_response())
}

async fn code_image(State(s): S, Path((barcode, image)): Path<(String, String)>) -> R {
    let link = s
        .lock()
        .codes
        .get(&barcode)
        .map(|c| c.link.clone())
        .ok_or_else(|| ApiError::model_not_found("ShareCode", &barcode))?;
    let (sym, payload) = match image.as_str() {
        "ean13.png" => (Symbology::Ean13, barcode.as_str()),
        "code128.png" => (Symbology::Code128, barcode.as_str()),
        "qr.png" => (Symbology::Qr, link.as_str()),
        _ => return Err(ApiError::route_not_found()),
    };
    let png = render_png(sym, payload).map_err(|_| ApiError::unavailable())?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// Moves a code's expiration into the past (test hook).
pub(crate) fn expire_code_now(s: &Shared, barcode: &str) -> bool {
    let mut inner = s.lock();
    match inner.codes.get_mut(barcode) {
        Some(c) => {
            c.expires_at = now() - time::Duration::SECOND;
            true
        }
        None => false,
    }
}

async fn expire_code(State(s): S, Path(barcode): Path<String>) -> R {
    if expire_code_now(&s, &barcode) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::model_not_found("ShareCode", &barcode))
    }
}

async fn expire_sessions(State(s): S) -> R {
    s.lock().sessions.clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn requests(State(s): S) -> R {
    let now = now();
    let mut inner = s.lock();
    let mut list: Vec<DocRequest> = inner
        .requests
        .values_mut()
        .map(|r| {
            crate::customer::expire_if_due(r, now);
            r.clone()
        })
        .collect();
    list.sort_by_key(|a| a.answer_deadline);
    let mut offers: Vec<OfferRequest> = inner
        .offer_requests
        .values_mut()
        .map(|r| {
            crate::customer::expire_if_due(r, now);
            r.clone()
        })
        .collect();
    offers.sort_by_key(|a| a.answer_deadline);
    Ok(Json(json!({ "requests": list, "offerRequests": offers })).into_response())
}

async fn certificates(State(s): S) -> R {
    let c = &s.keys.diia;
    let diia =
        json!({ "signing": c.signing_pem, "keyAgreement": c.key_agreement_pem, "ca": c.ca_pem });
    let partner =
        s.keys.partner.as_ref().map(|p| json!({ "keyAgreement": p.key_agreement_cert_pem }));
    Ok(Json(json!({ "diia": diia, "partner": partner })).into_response())
}

/// The customer opens a deeplink in the app (the offer-request flow, diia-api.md §3): the
/// person's documents of the offer's types are chosen (a valid one first; `passport` is the ID
/// card, else the foreign passport) and the script runs; on confirm they are delivered in the
/// deeplink layout. A person lacking a requested type cannot confirm: a confirm script becomes
/// "document missing" (process code 12141002). `deeplink` may also be the bare otp.
pub(crate) fn open_deeplink(
    s: &Arc<Shared>,
    deeplink: &str,
    person_id: &str,
    script: Option<Script>,
) -> Result<(), SimError> {
    let otp = deeplink.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let person = s
        .persons
        .iter()
        .find(|p| p.id == person_id)
        .ok_or(SimError::BadInput("unknown person id"))?;
    let mut inner = s.lock();
    let script = script
        .or_else(|| inner.person_scripts.get(person_id).copied())
        .unwrap_or(s.config.default_script);
    let req = inner.offer_requests.get_mut(otp).ok_or(SimError::BadInput("unknown deeplink"))?;
    crate::customer::expire_if_due(req, now());
    if req.person_id.is_some() {
        return Err(SimError::BadInput("deeplink was already opened"));
    }
    if req.status != crate::config::RequestStatus::Processing {
        return Err(SimError::BadInput("deeplink is no longer valid"));
    }
    if req.requested_types.is_empty() {
        // FIXME(#4): Diia.ID offers (auth, hashedFilesSigning) are not simulated.
        return Err(SimError::BadInput("offer shares no documents (diia.id is not simulated)"));
    }
    let mut doc_ids: Vec<String> = Vec::new();
    let mut missing = false;
    for requested in &req.requested_types {
        let allowed = [requested.clone()];
        let mut candidates: Vec<_> =
            person.documents.iter().filter(|d| scope_allows(&allowed, &d.doc_type)).collect();
        // Valid documents first; among them the ID card before the foreign passport.
        candidates.sort_by_key(|d| (d.state != DocState::Valid, d.doc_type != "internal-passport"));
        match candidates.first() {
            Some(doc) if !doc_ids.contains(&doc.id) => doc_ids.push(doc.id.clone()),
            Some(_) => {}
            None => missing = true,
        }
    }
    req.person_id = Some(person_id.to_string());
    req.doc_ids = doc_ids;
    let script = match script {
        Script::Confirm { after_ms } if missing => Script::MissingDocument { after_ms },
        other => other,
    };
    drop(inner);
    crate::customer::start(s.clone(), crate::customer::Key::Offer(otp.to_string()), script);
    Ok(())
}

async fn open_deeplink_route(State(s): S, body: Bytes) -> R {
    let v: Value =
        serde_json::from_slice(&body).map_err(|_| ApiError::bad_request("Invalid JSON body"))?;
    let deeplink = v.get("deeplink").and_then(Value::as_str);
    let person_id = v.get("personId").and_then(Value::as_str);
    let (Some(deeplink), Some(person_id)) = (deeplink, person_id) else {
        return Err(ApiError::bad_request("deeplink and personId are required"));
    };
    let script = match v.get("script") {
        Some(sc) if !sc.is_null() => Some(
            serde_json::from_value::<Script>(sc.clone())
                .map_err(|e| ApiError::bad_request(format!("invalid script: {e}")))?,
        ),
        _ => None,
    };
    match open_deeplink(&s, deeplink, person_id, script) {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(SimError::BadInput(msg)) if msg.starts_with("unknown") => {
            Err(ApiError::model_not_found("OfferRequest", msg))
        }
        Err(e) => Err(ApiError::bad_request(e.to_string())),
    }
}
