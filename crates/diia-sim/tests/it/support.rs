//! Test helpers: a fast simulator config, an HTTP client with Diia's headers, a recording
//! multipart receiver and JSON redaction for snapshots.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use diia_sim::{DocRequest, RetryPolicy, Script, SimConfig, SimHandle, Simulator};
use serde_json::{Value, json};

pub(crate) fn fast_config() -> SimConfig {
    SimConfig {
        default_script: Script::Confirm { after_ms: 0 },
        answer_timeout: Duration::from_secs(3),
        retry: RetryPolicy {
            attempts: 4,
            initial: Duration::from_millis(20),
            max: Duration::from_millis(100),
        },
        delivery_timeout: Duration::from_secs(10),
        ..SimConfig::default()
    }
}

pub(crate) async fn start(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

/// Minimal acquirer client speaking the documented wire format.
pub(crate) struct Clerk {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) token: String,
}

/// Status and parsed body (Null when empty) of a response.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) raw: String,
    pub(crate) content_type: String,
}

/// Sends a request and reads its answer.
pub(crate) async fn send(request: reqwest::RequestBuilder) -> Answer {
    answer(request.send().await.expect("request sent")).await
}

pub(crate) async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let content_type =
        resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let raw = resp.text().await.expect("body");
    let body = if raw.is_empty() { Value::Null } else { serde_json::from_str(&raw).expect("json") };
    Answer { status, body, raw, content_type }
}

impl Clerk {
    pub(crate) async fn login(sim: &SimHandle) -> Self {
        let http = reqwest::Client::new();
        let base = sim.base_url();
        let a = answer(
            http.get(format!("{base}/api/v1/auth/acquirer/{}", sim.acquirer_token()))
                .send()
                .await
                .expect("login"),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.raw);
        let token = a.body["token"].as_str().expect("token").to_string();
        Self { http, base, token }
    }

    pub(crate) async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let url = format!("{}{path}", self.base);
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req =
            self.http.request(m, url).header("Accept", "application/json").bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().await.expect("request")).await
    }
}

/// Replaces run-dependent values (ids, tokens, times, codes) so snapshots are stable.
pub(crate) fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                match k.as_str() {
                    "_id" | "token" | "now" | "expirationDate" | "deeplink" | "barcode"
                    | "link" | "id" => {
                        if val.is_string() {
                            *val = json!(format!("[{k}]"));
                        }
                    }
                    _ => redact(val),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::String(s) => {
            // Ids inside messages (e.g. "The requested model Branch <id> …").
            let words: Vec<String> = s
                .split(' ')
                .map(|w| {
                    if w.len() >= 24 && w.chars().all(|c| c.is_ascii_hexdigit()) {
                        "[hex]".to_string()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            *s = words.join(" ");
        }
        _ => {}
    }
}

/// One delivery as the receiver saw it.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) trace_id: String,
    pub(crate) encrypted_file: String,
    pub(crate) encrypted_file_content_type: String,
    pub(crate) encrypted_file_name: String,
    pub(crate) encode_data: String,
    /// Every part in order: (field name, file name, content type, text).
    pub(crate) parts: Vec<(String, Option<String>, String, String)>,
}

#[derive(Default)]
pub(crate) struct ReceiverState {
    pub(crate) received: Mutex<Vec<Received>>,
    /// Number of upcoming requests to answer with HTTP 500.
    pub(crate) fail_next: Mutex<u32>,
    pub(crate) hits: Mutex<u32>,
}

pub(crate) struct Receiver {
    pub(crate) url: String,
    pub(crate) state: Arc<ReceiverState>,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Receiver {
    pub(crate) fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }
    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
    }
}

async fn receive(
    State(st): State<Arc<ReceiverState>>,
    headers: HeaderMap,
    mut mp: Multipart,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    *st.hits.lock().expect("lock") += 1;
    {
        let mut fail = st.fail_next.lock().expect("lock");
        if *fail > 0 {
            *fail -= 1;
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "try later").into_response();
        }
    }
    let trace_id = headers
        .get("x-document-request-trace-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut fields: HashMap<String, (String, String)> = HashMap::new();
    let mut parts = Vec::new();
    while let Ok(Some(field)) = mp.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let ct = field.content_type().unwrap_or("").to_string();
        let text = field.text().await.unwrap_or_default();
        parts.push((name.clone(), file_name, ct.clone(), text.clone()));
        fields.insert(name, (ct, text));
    }
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    st.received.lock().expect("lock").push(Received {
        trace_id,
        encrypted_file: get("encryptedFile").1,
        encrypted_file_content_type: get("encryptedFile").0,
        encrypted_file_name: get("encryptedFileName").1,
        encode_data: get("encodeData").1,
        parts,
    });
    axum::Json(json!({"success": true})).into_response()
}

pub(crate) async fn receiver() -> Receiver {
    let state = Arc::new(ReceiverState::default());
    let app = axum::Router::new()
        .route("/diia/callback", axum::routing::post(receive))
        .with_state(state.clone());
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
    });
    Receiver { url: format!("http://{addr}/diia/callback"), state, stop: tx }
}

/// Polls a request until it reaches a final state (or 15 s pass).
pub(crate) async fn wait_final(sim: &SimHandle, barcode: &str, request_id: &str) -> DocRequest {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let req = sim.request(barcode, request_id).expect("request exists");
        if req.status.is_final() || tokio::time::Instant::now() > deadline {
            return req;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A document id of the given type and state from the built-in persons.
pub(crate) fn doc_of(
    sim: &SimHandle,
    doc_type: &str,
    state: diia_sim::persons::DocState,
) -> String {
    sim.persons()
        .iter()
        .flat_map(|p| p.documents.iter())
        .find(|d| d.doc_type == doc_type && d.state == state)
        .map(|d| d.id.clone())
        .expect("fixture document exists")
}

/// What the partner needs to open the simulator's deliveries: its generated key container,
/// Diia's key-agreement certificate, and a policy trusting Diia's signing certificate now.
pub(crate) fn partner_opening(
    sim: &SimHandle,
) -> (ua_crypto::KeyContainer, ua_crypto::Certificate, ua_crypto::TrustPolicy) {
    let partner = sim.partner_identity().expect("a partner identity was generated");
    let keys = ua_crypto::KeyContainer::open(&partner.pkcs12, &partner.pkcs12_password)
        .expect("partner container opens");
    let certs = sim.diia_certificates();
    let ka = ua_crypto::Certificate::from_pem_or_der(certs.key_agreement_pem.as_bytes())
        .expect("ka pem");
    let signer =
        ua_crypto::Certificate::from_pem_or_der(certs.signing_pem.as_bytes()).expect("signing pem");
    let policy = ua_crypto::TrustPolicy {
        trusted_signers: vec![signer],
        at: time::OffsetDateTime::now_utc(),
    };
    (keys, ka, policy)
}

/// Opens a delivery with the generated partner key, verifies Diia's signature, and checks that
/// the metadata and the PDF are exactly what the simulator renders for `doc_id`.
pub(crate) fn open_and_check(sim: &SimHandle, d: &Received, barcode: &str, doc_id: &str) {
    let (keys, ka, policy) = partner_opening(sim);
    let person = sim
        .persons()
        .iter()
        .find(|p| p.documents.iter().any(|doc| doc.id == doc_id))
        .expect("holder");
    let doc = person.documents.iter().find(|doc| doc.id == doc_id).expect("document");

    let meta = ua_crypto::open_envelope(
        d.encode_data.as_bytes(),
        &keys,
        std::slice::from_ref(&ka),
        &policy,
    )
    .expect("metadata envelope opens and verifies");
    assert!(meta.signer.subject.contains("ДІЯ"), "{}", meta.signer.subject);
    let meta: Value = serde_json::from_slice(&meta.content).expect("metadata is json");
    let mut expected_doc = doc.metadata.clone();
    expected_doc["fileName"] = json!(d.encrypted_file_name);
    assert_eq!(
        meta,
        json!({
            "barcode": barcode,
            "documentTypes": [doc.doc_type],
            "data": { doc.doc_type.clone(): expected_doc },
        })
    );

    let pdf = ua_crypto::open_envelope(d.encrypted_file.as_bytes(), &keys, &[ka], &policy)
        .expect("pdf envelope opens and verifies")
        .content;
    // `<type>-<barcode>-dd.MM.yyyy-HH_mm_ss.pdf`: the copy shows the same second.
    let stamp = d
        .encrypted_file_name
        .strip_prefix(&format!("{}-{barcode}-", doc.doc_type))
        .and_then(|s| s.strip_suffix(".pdf"))
        .expect("file name pattern");
    let format = time::macros::format_description!("[day].[month].[year]-[hour]_[minute]_[second]");
    let at = time::PrimitiveDateTime::parse(stamp, &format).expect("timestamp").assume_utc();
    let rendered = diia_sim::pdf::render_copy(
        doc,
        &diia_sim::pdf::CopyContext {
            holder: &person.full_name,
            request_id: &d.trace_id,
            barcode,
            generated_at: at,
        },
    )
    .expect("renders");
    assert_eq!(pdf, rendered, "delivered pdf equals the rendered copy");
}
