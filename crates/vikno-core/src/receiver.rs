//! The delivery receiver: an axum endpoint taking Diia's multipart deliveries (both layouts),
//! opening and verifying every part with ua-crypto, storing them durably, and only then
//! answering `{"success":true}`.
//!
//! Status codes let Diia retry what is worth retrying: 4xx for input that will never be accepted
//! (malformed multipart, missing parts, bad envelopes, wrong recipient, untrusted signer: 400,
//! 413, 415 or 422) and 503 for our own transient failures (the store could not commit).
//! Redelivery of the same content for the same trace id is acknowledged and stored once.
//! Unknown trace ids: the delivery is still fully verified and, if genuine, stored in
//! `unknown_deliveries` and acknowledged. Rejecting it would make Diia retry a delivery that can
//! never match, or tell the customer sharing failed, while the verified copy is exactly what a
//! supervisor needs to resolve the mismatch (a request row lost, or made at another desk); it is
//! kept encrypted under the `unmatched-delivery` retention purpose.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use diia::{DeliveryError, DeliveryLimits, EnvelopeOpener, OpenError, OpenedPart};
use futures_util::StreamExt as _;
use time::OffsetDateTime;
use tokio::sync::{broadcast, oneshot};
use ua_crypto::{Certificate, KeyContainer, TrustPolicy};

use crate::audit::AuditContext;
use crate::store::{
    DeliveryEvent, IncomingDelivery, IncomingDocument, RECEIVER_CLERK, Store, StoreError,
    StoreOutcome, valid_id,
};

/// Default path of the delivery endpoint.
pub const DEFAULT_PATH: &str = "/diia/delivery";

/// Errors starting the receiver.
#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    /// The listen address could not be bound.
    #[error("cannot listen: {0}")]
    Bind(#[from] std::io::Error),
    /// The path is not an absolute URL path.
    #[error("invalid endpoint path")]
    BadPath,
}

/// Where verification time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationTime {
    /// The current time (production).
    Now,
    /// A fixed time (tests with real samples whose certificates have expired).
    Fixed(OffsetDateTime),
}

/// Everything the receiver needs.
#[derive(Clone)]
pub struct ReceiverConfig {
    /// URL path of the endpoint.
    pub path: String,
    /// Body and part limits.
    pub limits: DeliveryLimits,
    /// The partner's key container (decrypts the envelopes).
    pub keys: Arc<KeyContainer>,
    /// Diia's key-agreement certificate(s), used when an envelope does not carry the sender's.
    pub sender_certs: Vec<Certificate>,
    /// Pinned Diia signing certificate(s) or their issuing CA.
    pub trusted_signers: Vec<Certificate>,
    /// Time at which certificates must be valid.
    pub verification_time: VerificationTime,
    /// Workstation name written on the receiver's audit entries.
    pub workstation: String,
    /// Branch written on the receiver's audit entries.
    pub branch: String,
}

impl std::fmt::Debug for ReceiverConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverConfig")
            .field("path", &self.path)
            .field("limits", &self.limits)
            .field("sender_certs", &self.sender_certs.len())
            .field("trusted_signers", &self.trusted_signers.len())
            .field("verification_time", &self.verification_time)
            .finish_non_exhaustive()
    }
}

impl ReceiverConfig {
    /// A configuration with the default path and limits, verifying at the current time.
    pub fn new(
        keys: KeyContainer,
        sender_certs: Vec<Certificate>,
        trusted_signers: Vec<Certificate>,
    ) -> Self {
        Self {
            path: DEFAULT_PATH.to_owned(),
            limits: DeliveryLimits::default(),
            keys: Arc::new(keys),
            sender_certs,
            trusted_signers,
            verification_time: VerificationTime::Now,
            workstation: "receiver".to_owned(),
            branch: "receiver".to_owned(),
        }
    }

    fn audit_context(&self) -> AuditContext {
        AuditContext::new(RECEIVER_CLERK, &self.workstation, &self.branch)
    }
}

/// Opens Diia envelopes with ua-crypto under a trust policy.
pub struct UaOpener<'a> {
    keys: &'a KeyContainer,
    sender_certs: &'a [Certificate],
    policy: TrustPolicy,
}

impl<'a> UaOpener<'a> {
    /// An opener with the receiver's keys and certificates, verifying at `at`.
    pub fn new(config: &'a ReceiverConfig, at: OffsetDateTime) -> Self {
        Self {
            keys: &config.keys,
            sender_certs: &config.sender_certs,
            policy: TrustPolicy { trusted_signers: config.trusted_signers.clone(), at },
        }
    }
}

impl EnvelopeOpener for UaOpener<'_> {
    fn open(&self, part: &[u8]) -> Result<OpenedPart, OpenError> {
        let der = diia::decode_part(part)?;
        let opened = ua_crypto::open_envelope(&der, self.keys, self.sender_certs, &self.policy)
            .map_err(|e| {
                use ua_crypto::Error as E;
                let code = e.code().to_owned();
                match e {
                    E::RecipientNotFound
                    | E::SenderCertificateNotFound
                    | E::MacMismatch
                    | E::KeyMismatch
                    | E::WrongPassword => OpenError::Decrypt(code),
                    E::DigestMismatch | E::BadSignature => OpenError::Signature(code),
                    E::UntrustedSigner | E::CertificateNotValidAt => OpenError::Untrusted(code),
                    _ => OpenError::Format(code),
                }
            })?;
        Ok(OpenedPart {
            content: opened.content,
            signer: Some(diia::SignerSummary {
                subject: opened.signer.subject,
                serial_hex: opened.signer.serial_hex,
                issuer: opened.signer.issuer,
            }),
            signing_time: opened.signing_time.map(SystemTime::from),
        })
    }
}

/// A refusal: HTTP status, stable code and a message without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }

    fn from_delivery(e: &DeliveryError) -> Self {
        use DeliveryError as D;
        let (status, code) = match e {
            D::NotMultipart => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_multipart"),
            D::Empty => (StatusCode::BAD_REQUEST, "empty_body"),
            D::MissingTraceId => (StatusCode::BAD_REQUEST, "missing_trace_id"),
            D::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            D::MissingPart(_) => (StatusCode::BAD_REQUEST, "missing_part"),
            D::EmptyPart(_) => (StatusCode::BAD_REQUEST, "empty_part"),
            D::DuplicatePart(_) => (StatusCode::BAD_REQUEST, "duplicate_part"),
            D::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_multipart"),
            D::Open { source, .. } => match source {
                OpenError::Format(_) => (StatusCode::BAD_REQUEST, "malformed_envelope"),
                OpenError::Decrypt(_) => (StatusCode::UNPROCESSABLE_ENTITY, "cannot_decrypt"),
                OpenError::Signature(_) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_signature"),
                OpenError::Untrusted(_) => (StatusCode::UNPROCESSABLE_ENTITY, "untrusted_signer"),
            },
            D::Metadata(_) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_metadata"),
        };
        let message = match e {
            D::Open { source, .. } => format!("{e}: {source}"),
            _ => e.to_string(),
        };
        Self::new(status, code, message)
    }

    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "success": false,
            "error": { "code": self.code, "message": self.message },
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// Outcome of processing one delivery body (independent of HTTP, for tests and benchmarks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// Stored now.
    Stored(DeliveryEvent),
    /// Already stored earlier.
    Duplicate(i64),
}

/// Parses, opens, verifies and durably stores one delivery. Blocking and CPU-heavy.
pub fn process_delivery(
    config: &ReceiverConfig,
    store: &Store,
    content_type: &str,
    trace_id: Option<&str>,
    body: &[u8],
) -> Result<Accepted, Refusal> {
    let raw = diia::parse_delivery(content_type, trace_id, body, &config.limits)
        .map_err(|e| Refusal::from_delivery(&e))?;
    if !valid_id(&raw.trace_id) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "invalid_trace_id",
            "trace id must be 1-128 chars of [A-Za-z0-9._:-]",
        ));
    }
    let now = OffsetDateTime::now_utc();
    let at = match config.verification_time {
        VerificationTime::Now => now,
        VerificationTime::Fixed(t) => t,
    };
    let ctx = config.audit_context();
    let opened = match diia::open_delivery(&raw, &UaOpener::new(config, at)) {
        Ok(o) => o,
        Err(e) => {
            let refusal = Refusal::from_delivery(&e);
            tracing::warn!(code = refusal.code, "delivery refused");
            if let Err(se) = store.record_rejection(&raw.trace_id, refusal.code, &ctx) {
                tracing::error!(error = %se, "cannot audit a refused delivery");
            }
            return Err(refusal);
        }
    };
    let signer = opened.metadata_signer.clone().ok_or_else(|| {
        Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_signature", "metadata is not signed")
    })?;
    let trust_anchor = trust_anchor_of(&config.trusted_signers, &signer);
    let signing_time = opened.metadata_signing_time.map(OffsetDateTime::from);
    let mut documents = Vec::with_capacity(opened.documents.len());
    for d in opened.documents {
        if d.signer.is_none() {
            return Err(Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_signature",
                "document is not signed",
            ));
        }
        documents.push(IncomingDocument {
            doc_type: d.document_type.unwrap_or_else(|| "unknown".to_owned()),
            file_name: d.file_name.unwrap_or_default(),
            pdf: d.content,
        });
    }
    let metadata = serde_json::to_vec(&opened.metadata_json).map_err(|_| {
        Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_metadata",
            "metadata does not serialise",
        )
    })?;
    let incoming = IncomingDelivery {
        trace_id: raw.trace_id,
        layout: match opened.layout {
            diia::DeliveryLayout::Barcode => "barcode",
            diia::DeliveryLayout::Deeplink => "deeplink",
        }
        .to_owned(),
        documents,
        metadata,
        signer_serial: signer.serial_hex,
        signer_subject: signer.subject,
        signing_time,
        trust_anchor,
        received_at: now,
    };
    match store.store_delivery(&incoming, &ctx) {
        Ok(StoreOutcome::Stored(ev)) => Ok(Accepted::Stored(ev)),
        Ok(StoreOutcome::Duplicate { delivery_id }) => Ok(Accepted::Duplicate(delivery_id)),
        Err(e @ StoreError::Invalid(_)) => {
            Err(Refusal::new(StatusCode::BAD_REQUEST, "invalid_delivery", e.to_string()))
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store a verified delivery");
            Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the delivery could not be stored; retry later",
            ))
        }
    }
}

/// Subject of the configured trusted certificate a verified signer chained to: the pinned
/// certificate itself when its serial matches, else the one that issued it.
fn trust_anchor_of(trusted: &[Certificate], signer: &diia::SignerSummary) -> String {
    trusted
        .iter()
        .find(|c| c.serial_hex().eq_ignore_ascii_case(&signer.serial_hex))
        .or_else(|| trusted.iter().find(|c| c.subject() == signer.issuer))
        .map(|c| c.subject().to_owned())
        .unwrap_or_default()
}

#[derive(Clone)]
struct AppState {
    config: Arc<ReceiverConfig>,
    store: Arc<Store>,
    /// Caps concurrent opens at the number of cores: a burst of deliveries queues here (each
    /// holding only its body) instead of starving the blocking pool and the clerk's screen.
    opening: Arc<tokio::sync::Semaphore>,
}

/// The receiver's router, for embedding into another axum app.
pub fn router(config: ReceiverConfig, store: Arc<Store>) -> Router {
    let path = config.path.clone();
    Router::new().route(&path, post(handle)).with_state(AppState {
        config: Arc::new(config),
        store,
        opening: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
        )),
    })
}

async fn read_limited(body: Body, limit: u64) -> Result<Vec<u8>, Refusal> {
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "body_read_failed",
                "request body could not be read",
            )
        })?;
        if (out.len() + chunk.len()) as u64 > limit {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("delivery too large: body exceeds {limit}"),
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

async fn handle(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if !content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        return Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_multipart",
            "delivery is not multipart/form-data",
        )
        .into_response();
    }
    let trace_id =
        headers.get(diia::TRACE_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if trace_id.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "missing_trace_id",
            "delivery has no x-document-request-trace-id header",
        )
        .into_response();
    }
    let limit = state.config.limits.max_total_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("delivery too large: body exceeds {limit}"),
        )
        .into_response();
    }
    let body = match read_limited(body, limit).await {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let Ok(_permit) = Arc::clone(&state.opening).acquire_owned().await else {
        return Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "shutting_down", "retry later")
            .into_response();
    };
    let result = tokio::task::spawn_blocking(move || {
        process_delivery(&state.config, &state.store, &content_type, trace_id.as_deref(), &body)
    })
    .await;
    match result {
        Ok(Ok(_)) => {
            (StatusCode::OK, axum::Json(serde_json::json!({ "success": true }))).into_response()
        }
        Ok(Err(refusal)) => refusal.into_response(),
        Err(_) => Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "delivery processing failed; retry later",
        )
        .into_response(),
    }
}

/// The receiver entry point.
#[derive(Debug)]
pub struct Receiver;

/// A running receiver.
#[derive(Debug)]
pub struct ReceiverHandle {
    local_addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    store: Arc<Store>,
}

impl Receiver {
    /// Binds `addr` and serves the delivery endpoint until shut down. Must be called inside a
    /// tokio runtime.
    pub async fn bind(
        addr: SocketAddr,
        config: ReceiverConfig,
        store: Arc<Store>,
    ) -> Result<ReceiverHandle, ReceiverError> {
        if !config.path.starts_with('/') {
            return Err(ReceiverError::BadPath);
        }
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let app = router(config, Arc::clone(&store));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await
        });
        tracing::info!(%local_addr, "delivery receiver listening");
        Ok(ReceiverHandle { local_addr, shutdown: Some(tx), task, store })
    }
}

impl ReceiverHandle {
    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Subscribes to "delivery stored" events.
    pub fn events(&self) -> broadcast::Receiver<DeliveryEvent> {
        self.store.subscribe()
    }

    /// Stops accepting connections, lets in-flight deliveries finish, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }

    /// Waits until the server stops (it runs until [`ReceiverHandle::shutdown`] or an error).
    pub async fn wait(mut self) -> std::io::Result<()> {
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }
}
