//! The scripted customer behind each document request and deeplink (offer) request, and the
//! delivery of a confirmed pack: PDF copies + metadata sealed, POSTed as multipart in the barcode
//! layout (diia-api.md §6.2) or the deeplink layout (§6.3), retried with exponential backoff; the
//! request status follows every step.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::SimError;
use crate::api::now;
use crate::config::{RequestStatus, Script};
use crate::pdf::{CopyContext, render_copy};
use crate::state::{DocRequest, Inner, OfferRequest, Shared};

/// Which request a customer task works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// A document request by barcode or QR: (barcode, partner request id).
    Code(String, String),
    /// A deeplink offer request, by its otp.
    Offer(String),
}

impl Key {
    fn request_id(&self, inner: &Inner) -> Option<String> {
        match self {
            Key::Code(_, request_id) => Some(request_id.clone()),
            Key::Offer(otp) => inner.offer_requests.get(otp).map(|r| r.request_id.clone()),
        }
    }
}

/// The progress fields both kinds of request share.
pub(crate) trait Progress {
    fn status(&self) -> RequestStatus;
    fn set_status(&mut self, status: RequestStatus, reason: Option<String>);
    fn deadline(&self) -> OffsetDateTime;
    fn set_attempts(&mut self, attempts: u32);
}

/// Both request kinds keep their progress in fields of the same names.
macro_rules! progress_by_fields {
    ($($kind:ty),+) => {$(
        impl Progress for $kind {
            fn status(&self) -> RequestStatus {
                self.status
            }
            fn set_status(&mut self, status: RequestStatus, reason: Option<String>) {
                self.status = status;
                self.reason = reason;
            }
            fn deadline(&self) -> OffsetDateTime {
                self.answer_deadline
            }
            fn set_attempts(&mut self, attempts: u32) {
                self.attempts = attempts;
            }
        }
    )+};
}

progress_by_fields!(DocRequest, OfferRequest);

/// Runs `f` on the request behind `key`, if it still exists.
fn with_request<R>(s: &Shared, key: &Key, f: impl FnOnce(&mut dyn Progress) -> R) -> Option<R> {
    let mut inner = s.lock();
    match key {
        Key::Code(barcode, request_id) => inner
            .requests
            .get_mut(&(barcode.clone(), request_id.clone()))
            .map(|r| f(r as &mut dyn Progress)),
        Key::Offer(otp) => inner.offer_requests.get_mut(otp).map(|r| f(r as &mut dyn Progress)),
    }
}

/// Marks a still-unanswered request expired once its deadline has passed.
pub(crate) fn expire_if_due(req: &mut dyn Progress, now: OffsetDateTime) {
    if req.status() == RequestStatus::Processing && req.deadline() <= now {
        req.set_status(
            RequestStatus::Expired,
            Some("customer did not answer in time (process code 12201002)".into()),
        );
    }
}

fn set_status(s: &Shared, key: &Key, status: RequestStatus, reason: Option<&str>) {
    with_request(s, key, |req| {
        // A request that already reached a final state (e.g. expired lazily) stays there.
        if !req.status().is_final() {
            req.set_status(status, reason.map(str::to_string));
        }
    });
}

/// Starts the customer's side of a request in the background.
pub(crate) fn start(s: Arc<Shared>, key: Key, script: Script) {
    tokio::spawn(async move {
        let mut shutdown = s.shutdown.clone();
        tokio::select! {
            () = run(&s, &key, script) => {}
            _ = shutdown.changed() => {}
        }
    });
}

async fn run(s: &Arc<Shared>, key: &Key, script: Script) {
    // The customer has until the request's deadline (for a deeplink it started running when
    // the partner created the request, not when the customer opened it).
    let Some(deadline) = with_request(s, key, |req| req.deadline()) else { return };
    let timeout = Duration::try_from(deadline - now()).unwrap_or(Duration::ZERO);
    let (after, outcome) = match script {
        Script::Confirm { after_ms } => (after_ms, RequestStatus::Confirmed),
        Script::Refuse { after_ms } => (after_ms, RequestStatus::Refused),
        Script::MissingDocument { after_ms } => (after_ms, RequestStatus::DocumentMissing),
        Script::NeverAnswer => (u64::MAX, RequestStatus::Expired),
    };
    let after = Duration::from_millis(after);
    if after >= timeout {
        tokio::time::sleep(timeout).await;
        with_request(s, key, |req| {
            let deadline = req.deadline();
            expire_if_due(req, deadline);
        });
        return;
    }
    tokio::time::sleep(after).await;
    match outcome {
        RequestStatus::Refused => set_status(s, key, outcome, Some("customer refused")),
        RequestStatus::DocumentMissing => set_status(
            s,
            key,
            outcome,
            Some(
                "requested document is not available in the customer's app (process code 12141002)",
            ),
        ),
        _ => {
            set_status(s, key, RequestStatus::Confirmed, None);
            deliver(s, key).await;
        }
    }
}

/// One file part of a delivery: the base64 text of a sealed copy.
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    /// Multipart field name: `encryptedFile` (barcode) or the document type (deeplink).
    pub field: String,
    /// The part's `filename` (`….pdf.p7s.p7e`).
    pub file_name: String,
    pub base64: String,
}

/// A sealed delivery as multipart fields, in the order they are sent.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub files: Vec<FilePart>,
    /// Text fields: `encryptedFileName` (barcode only) and `encodeData`.
    pub texts: Vec<(String, String)>,
    /// Names of the delivered copies (`….pdf`), for the request record.
    pub copy_names: Vec<String>,
}

fn stamp(t: OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{}-{:02}_{:02}_{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `<docType>-<barcode>-<dd.MM.yyyy>-<HH_mm_ss>.pdf` (time in UTC).
pub(crate) fn file_name(doc_type: &str, barcode: &str, t: OffsetDateTime) -> String {
    format!("{doc_type}-{barcode}-{}.pdf", stamp(t))
}

/// `<docType>-<dd.MM.yyyy>-<HH_mm_ss>.pdf`: a deeplink request has no barcode.
// FIXME(#4): real deeplink file names are not public (diia-api.md §6.3 only says they end in
// `.pdf.p7s.p7e`); this mirrors the barcode pattern without the code.
pub(crate) fn deeplink_file_name(doc_type: &str, t: OffsetDateTime) -> String {
    format!("{doc_type}-{}.pdf", stamp(t))
}

/// The metadata JSON of the barcode layout: `data` keyed by type with a single object.
pub(crate) fn metadata_json(
    barcode: &str,
    doc_type: &str,
    metadata: &Value,
    file_name: &str,
) -> Value {
    json!({
        "barcode": barcode,
        "documentTypes": [doc_type],
        "data": { doc_type: with_file_name(metadata, file_name) },
    })
}

/// The metadata JSON of the deeplink layout (diia-api.md §6.5): `requestId`, and `data` keyed
/// by type with an array of objects. `docs` are (type, metadata, file name).
pub(crate) fn deeplink_metadata_json(request_id: &str, docs: &[(&str, &Value, &str)]) -> Value {
    let mut types: Vec<&str> = Vec::new();
    let mut data = serde_json::Map::new();
    for (doc_type, metadata, file_name) in docs {
        if !types.contains(doc_type) {
            types.push(doc_type);
        }
        let list = data.entry(doc_type.to_string()).or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(with_file_name(metadata, file_name));
        }
    }
    json!({ "requestId": request_id, "documentTypes": types, "data": data })
}

fn with_file_name(metadata: &Value, file_name: &str) -> Value {
    let mut doc = metadata.clone();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("fileName".into(), json!(file_name));
    }
    doc
}

fn seal_b64(s: &Shared, content: &[u8], t: OffsetDateTime) -> Result<String, SimError> {
    Ok(base64::engine::general_purpose::STANDARD.encode(s.keys.sealer.seal(content, t)?))
}

fn render(
    s: &Shared,
    doc_id: &str,
    request_id: &str,
    barcode: &str,
    t: OffsetDateTime,
) -> Result<Vec<u8>, SimError> {
    let (person, doc) =
        s.find_document(doc_id).ok_or(SimError::BadInput("request names an unknown document"))?;
    render_copy(
        doc,
        &CopyContext { holder: &person.full_name, request_id, barcode, generated_at: t },
    )
}

/// Builds the sealed barcode-layout delivery of request `req` (blocking: rendering and crypto).
pub(crate) fn build_delivery(s: &Shared, req: &DocRequest) -> Result<Delivery, SimError> {
    let (_, doc) = s
        .find_document(&req.doc_id)
        .ok_or(SimError::BadInput("request names an unknown document"))?;
    let t = now();
    let name = file_name(&req.doc_type, &req.barcode, t);
    let pdf = render(s, &req.doc_id, &req.request_id, &req.barcode, t)?;
    let meta = metadata_json(&req.barcode, &req.doc_type, &doc.metadata, &name);
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| SimError::Render(e.to_string()))?;
    Ok(Delivery {
        files: vec![FilePart {
            field: "encryptedFile".into(),
            file_name: format!("{name}.p7s.p7e"),
            base64: seal_b64(s, &pdf, t)?,
        }],
        texts: vec![
            ("encryptedFileName".into(), name.clone()),
            ("encodeData".into(), seal_b64(s, &meta_bytes, t)?),
        ],
        copy_names: vec![name],
    })
}

/// Builds the sealed deeplink-layout delivery of an opened offer request: one file part per
/// document named by its type, plus `encodeData` (blocking: rendering and crypto).
pub(crate) fn build_offer_delivery(s: &Shared, req: &OfferRequest) -> Result<Delivery, SimError> {
    let t = now();
    let mut files = Vec::new();
    let mut names = Vec::new();
    let mut docs = Vec::new();
    for doc_id in &req.doc_ids {
        let (_, doc) = s
            .find_document(doc_id)
            .ok_or(SimError::BadInput("request names an unknown document"))?;
        let name = deeplink_file_name(&doc.doc_type, t);
        let pdf = render(s, doc_id, &req.request_id, "", t)?;
        files.push(FilePart {
            field: doc.doc_type.clone(),
            file_name: format!("{name}.p7s.p7e"),
            base64: seal_b64(s, &pdf, t)?,
        });
        docs.push((doc.doc_type.as_str(), &doc.metadata, name.clone()));
        names.push(name);
    }
    let refs: Vec<(&str, &Value, &str)> =
        docs.iter().map(|(t, m, n)| (*t, *m, n.as_str())).collect();
    let meta = deeplink_metadata_json(&req.request_id, &refs);
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| SimError::Render(e.to_string()))?;
    Ok(Delivery {
        files,
        texts: vec![("encodeData".into(), seal_b64(s, &meta_bytes, t)?)],
        copy_names: names,
    })
}

/// One POST of a delivery; Ok when the receiver answered 2xx and not `{"success": false}`.
async fn post_once(s: &Shared, url: &str, request_id: &str, d: &Delivery) -> Result<(), SimError> {
    let mut form = reqwest::multipart::Form::new();
    for file in &d.files {
        let part = reqwest::multipart::Part::bytes(file.base64.clone().into_bytes())
            .file_name(file.file_name.clone())
            .mime_str("application/octet-stream")
            .map_err(|e| SimError::Delivery(e.to_string()))?;
        form = form.part(file.field.clone(), part);
    }
    for (name, value) in &d.texts {
        form = form.text(name.clone(), value.clone());
    }
    let resp = s
        .http
        .post(url)
        .header("X-Document-Request-Trace-Id", request_id)
        .timeout(s.config.delivery_timeout)
        .multipart(form)
        .send()
        .await
        .map_err(|e| SimError::Delivery(format!("receiver unreachable: {e}")))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(SimError::Delivery(format!("receiver answered http {}", status.as_u16())));
    }
    let body = resp.bytes().await.unwrap_or_default();
    let refused = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("success").and_then(Value::as_bool))
        == Some(false);
    if refused {
        return Err(SimError::Delivery("receiver answered success:false".into()));
    }
    Ok(())
}

/// Builds the delivery for `key` on a blocking thread and records the copies' names.
async fn build(s: &Arc<Shared>, key: &Key) -> Option<Result<Delivery, String>> {
    let task = {
        let s = s.clone();
        let inner = s.lock();
        match key {
            Key::Code(barcode, request_id) => {
                let req = inner.requests.get(&(barcode.clone(), request_id.clone()))?.clone();
                drop(inner);
                tokio::task::spawn_blocking(move || build_delivery(&s, &req))
            }
            Key::Offer(otp) => {
                let req = inner.offer_requests.get(otp)?.clone();
                drop(inner);
                tokio::task::spawn_blocking(move || build_offer_delivery(&s, &req))
            }
        }
    };
    let built = match task.await {
        Ok(Ok(d)) => Ok(d),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "delivery not built");
            Err(e.to_string())
        }
        Err(e) => Err(format!("build task failed: {e}")),
    };
    if let Ok(d) = &built {
        let mut inner = s.lock();
        match key {
            Key::Code(barcode, request_id) => {
                if let Some(req) = inner.requests.get_mut(&(barcode.clone(), request_id.clone())) {
                    req.file_name = d.copy_names.first().cloned();
                }
            }
            Key::Offer(otp) => {
                if let Some(req) = inner.offer_requests.get_mut(otp) {
                    req.file_names = d.copy_names.clone();
                }
            }
        }
    }
    Some(built)
}

async fn deliver(s: &Arc<Shared>, key: &Key) {
    let Some(request_id) = key.request_id(&s.lock()) else { return };
    let delivery = match build(s, key).await {
        None => return,
        Some(Ok(d)) => d,
        Some(Err(reason)) => return finish(s, key, RequestStatus::DeliveryFailed, Some(reason)),
    };
    let policy = s.config.retry;
    let mut delay = policy.initial;
    let mut last_error = String::new();
    for attempt in 1..=policy.attempts.max(1) {
        with_request(s, key, |req| req.set_attempts(attempt));
        let url = s.lock().deliver_to.clone();
        let result = match url {
            Some(url) => post_once(s, &url, &request_id, &delivery).await,
            None => Err(SimError::Delivery("no receiver url configured".into())),
        };
        match result {
            Ok(()) => {
                tracing::info!(attempt, "delivery accepted");
                return finish(s, key, RequestStatus::Delivered, None);
            }
            Err(e) => {
                tracing::warn!(attempt, error = %e, "delivery attempt failed");
                last_error = e.to_string();
            }
        }
        if attempt < policy.attempts {
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(policy.max);
        }
    }
    finish(s, key, RequestStatus::DeliveryFailed, Some(last_error));
}

fn finish(s: &Shared, key: &Key, status: RequestStatus, reason: Option<String>) {
    with_request(s, key, |req| req.set_status(status, reason));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_pattern() {
        let t = time::macros::datetime!(2021-04-02 09:48:26 UTC);
        assert_eq!(
            file_name("internal-passport", "2858364170864", t),
            "internal-passport-2858364170864-02.04.2021-09_48_26.pdf"
        );
    }

    #[test]
    fn metadata_deeplink_layout_lists_arrays() {
        let a = json!({"docNumber": "1"});
        let b = json!({"docNumber": "2"});
        let m = deeplink_metadata_json(
            "r-1",
            &[("internal-passport", &a, "p.pdf"), ("taxpayer-card", &b, "t.pdf")],
        );
        assert_eq!(m["requestId"], json!("r-1"));
        assert_eq!(m["documentTypes"], json!(["internal-passport", "taxpayer-card"]));
        assert_eq!(m["data"]["taxpayer-card"], json!([{"docNumber": "2", "fileName": "t.pdf"}]));
    }

    #[test]
    fn metadata_barcode_layout() {
        let m =
            metadata_json("2858364170864", "taxpayer-card", &json!({"docNumber": "1"}), "f.pdf");
        assert_eq!(m["documentTypes"], json!(["taxpayer-card"]));
        assert!(m["data"]["taxpayer-card"].is_object());
        assert_eq!(m["data"]["taxpayer-card"]["fileName"], json!("f.pdf"));
    }
}
