//! The scripted customer behind each document request, and the delivery of a confirmed copy:
//! PDF + metadata sealed, POSTed as multipart in the barcode layout (diia-api.md §6.2), retried
//! with exponential backoff; the request status follows every step.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::SimError;
use crate::api::now;
use crate::config::{RequestStatus, Script};
use crate::pdf::{CopyContext, render_copy};
use crate::state::{DocRequest, Shared};

type Key = (String, String);

/// Marks a still-unanswered request expired once its deadline has passed.
pub(crate) fn expire_if_due(req: &mut DocRequest, now: OffsetDateTime) {
    if req.status == RequestStatus::Processing && req.answer_deadline <= now {
        req.status = RequestStatus::Expired;
        req.reason = Some("customer did not answer in time (process code 12201002)".into());
    }
}

fn set_status(s: &Shared, key: &Key, status: RequestStatus, reason: Option<&str>) {
    let mut inner = s.lock();
    if let Some(req) = inner.requests.get_mut(key) {
        // A request that already reached a final state (e.g. expired lazily) stays there.
        if req.status.is_final() {
            return;
        }
        req.status = status;
        req.reason = reason.map(str::to_string);
    }
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
    let timeout = s.config.answer_timeout;
    let (after, outcome) = match script {
        Script::Confirm { after_ms } => (after_ms, RequestStatus::Confirmed),
        Script::Refuse { after_ms } => (after_ms, RequestStatus::Refused),
        Script::MissingDocument { after_ms } => (after_ms, RequestStatus::DocumentMissing),
        Script::NeverAnswer => (u64::MAX, RequestStatus::Expired),
    };
    let after = Duration::from_millis(after);
    if after >= timeout {
        tokio::time::sleep(timeout).await;
        let mut inner = s.lock();
        if let Some(req) = inner.requests.get_mut(key) {
            let deadline = req.answer_deadline;
            expire_if_due(req, deadline);
        }
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

/// The three multipart fields of a barcode-flow delivery.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub file_name: String,
    pub encrypted_file_b64: String,
    pub encode_data_b64: String,
}

/// `<docType>-<barcode>-<dd.MM.yyyy>-<HH_mm_ss>.pdf` (time in UTC).
pub(crate) fn file_name(doc_type: &str, barcode: &str, t: OffsetDateTime) -> String {
    format!(
        "{doc_type}-{barcode}-{:02}.{:02}.{}-{:02}_{:02}_{:02}.pdf",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The metadata JSON of the barcode layout: `data` keyed by type with a single object.
pub(crate) fn metadata_json(
    barcode: &str,
    doc_type: &str,
    metadata: &Value,
    file_name: &str,
) -> Value {
    let mut doc = metadata.clone();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("fileName".into(), json!(file_name));
    }
    json!({
        "barcode": barcode,
        "documentTypes": [doc_type],
        "data": { doc_type: doc },
    })
}

/// Builds the sealed delivery of request `req` (blocking: rendering and crypto).
pub(crate) fn build_delivery(s: &Shared, req: &DocRequest) -> Result<Delivery, SimError> {
    let sealer = &s.keys.sealer;
    let (person, doc) = s
        .find_document(&req.doc_id)
        .ok_or(SimError::BadInput("request names an unknown document"))?;
    let t = now();
    let name = file_name(&req.doc_type, &req.barcode, t);
    let pdf = render_copy(
        doc,
        &CopyContext {
            holder: &person.full_name,
            request_id: &req.request_id,
            barcode: &req.barcode,
            generated_at: t,
        },
    )?;
    let meta = metadata_json(&req.barcode, &req.doc_type, &doc.metadata, &name);
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| SimError::Render(e.to_string()))?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(Delivery {
        file_name: name,
        encrypted_file_b64: b64.encode(sealer.seal(&pdf, t)?),
        encode_data_b64: b64.encode(sealer.seal(&meta_bytes, t)?),
    })
}

/// One POST of a delivery; Ok when the receiver answered 2xx and not `{"success": false}`.
async fn post_once(s: &Shared, url: &str, request_id: &str, d: &Delivery) -> Result<(), SimError> {
    let file = reqwest::multipart::Part::bytes(d.encrypted_file_b64.clone().into_bytes())
        .file_name(format!("{}.p7s.p7e", d.file_name))
        .mime_str("application/octet-stream")
        .map_err(|e| SimError::Delivery(e.to_string()))?;
    let form = reqwest::multipart::Form::new()
        .part("encryptedFile", file)
        .text("encryptedFileName", d.file_name.clone())
        .text("encodeData", d.encode_data_b64.clone());
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

async fn deliver(s: &Arc<Shared>, key: &Key) {
    let Some(req) = s.lock().requests.get(key).cloned() else { return };
    let built = {
        let s = s.clone();
        tokio::task::spawn_blocking(move || build_delivery(&s, &req)).await
    };
    let delivery = match built {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "delivery not built");
            return finish(s, key, RequestStatus::DeliveryFailed, Some(e.to_string()));
        }
        Err(e) => {
            return finish(
                s,
                key,
                RequestStatus::DeliveryFailed,
                Some(format!("build task failed: {e}")),
            );
        }
    };
    if let Some(req) = s.lock().requests.get_mut(key) {
        req.file_name = Some(delivery.file_name.clone());
    }
    let policy = s.config.retry;
    let mut delay = policy.initial;
    let mut last_error = String::new();
    for attempt in 1..=policy.attempts.max(1) {
        if let Some(req) = s.lock().requests.get_mut(key) {
            req.attempts = attempt;
        }
        let url = s.lock().deliver_to.clone();
        let result = match url {
            Some(url) => post_once(s, &url, &key.1, &delivery).await,
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
    let mut inner = s.lock();
    if let Some(req) = inner.requests.get_mut(key) {
        req.status = status;
        req.reason = reason;
    }
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
    fn metadata_barcode_layout() {
        let m =
            metadata_json("2858364170864", "taxpayer-card", &json!({"docNumber": "1"}), "f.pdf");
        assert_eq!(m["documentTypes"], json!(["taxpayer-card"]));
        assert!(m["data"]["taxpayer-card"].is_object());
        assert_eq!(m["data"]["taxpayer-card"]["fileName"], json!("f.pdf"));
    }
}
