//! The clerk's desk: a copy request from code to stored documents (send, poll, delivery events,
//! cancel, expiry) and the validity check, each recorded in the store and audited.
//!
//! The request row is written before Diia is asked, so a delivery that outruns Diia's answer still
//! finds its request; the watcher subscribes to delivery events before the request is sent, so no
//! delivery can slip between the two. Polling is only a second source: the delivery event is what
//! turns a request "delivered", because only a verified, committed delivery may show documents.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diia::{
    DiiaClient, DiiaError, DocumentRequest, ErrorKind, RequestStatus as DiiaStatus, ShareCode,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::{Notify, broadcast};

use crate::audit::AuditContext;
use crate::config::Purpose;
use crate::store::{NewRequest, RequestOverview, RequestStatus, Store, StoreError};

/// Desk errors; [`DeskError::code`] is what the UI's message table is keyed by.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// Diia refused or could not be reached.
    #[error(transparent)]
    Diia(#[from] DiiaError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Validation takes the 13-digit code only (the QR link carries no barcode).
    #[error("a validity check needs the 13-digit code, not a QR link")]
    NeedsBarcode,
    /// The purpose is not configured.
    #[error("unknown purpose")]
    UnknownPurpose,
    /// No such request.
    #[error("no such request")]
    NotFound,
    /// The export file could not be written.
    #[error("the document could not be exported")]
    Export,
    /// A background task failed.
    #[error("internal: {0}")]
    Internal(&'static str),
}

impl DeskError {
    /// Stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Diia(e) => diia_code(e.kind()),
            Self::Store(StoreError::NotFound(..)) | Self::NotFound => "not_found",
            Self::Store(_) => "store_unavailable",
            Self::NeedsBarcode => "validate_needs_barcode",
            Self::UnknownPurpose => "config_invalid",
            Self::Export => "export_failed",
            Self::Internal(_) => "internal",
        }
    }
}

/// The UI code of a Diia error kind.
pub fn diia_code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::CodeExpired => "diia_code_expired",
        ErrorKind::CodeUsed => "diia_code_used",
        ErrorKind::CodeUnknown => "diia_code_unknown",
        ErrorKind::TypeNotAllowed => "diia_type_not_allowed",
        ErrorKind::Unauthorized => "diia_unauthorized",
        ErrorKind::Unavailable => "diia_unavailable",
        ErrorKind::Network => "diia_network",
        ErrorKind::Timeout => "diia_timeout",
        ErrorKind::Validation => "diia_validation",
        ErrorKind::Unexpected => "diia_unexpected",
    }
}

/// A copy request as the clerk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Being sent to Diia.
    Sending,
    /// Diia asked the customer; waiting.
    Waiting,
    /// The customer confirmed; the delivery is on its way.
    Confirmed,
    /// A verified delivery is stored.
    Delivered,
    /// The customer refused.
    Refused,
    /// The customer's app could not provide the document.
    DocumentMissing,
    /// Nothing arrived in time.
    Expired,
    /// Diia refused the request or could not deliver.
    Failed,
    /// The clerk cancelled.
    Cancelled,
}

impl RequestState {
    /// True when nothing more will happen.
    pub fn is_terminal(self) -> bool {
        !matches!(self, Self::Sending | Self::Waiting | Self::Confirmed)
    }

    /// The state a stored request shows (after a restart, or in the history).
    pub fn from_store(status: RequestStatus, last_detail: Option<&str>) -> Self {
        match status {
            RequestStatus::Pending => Self::Waiting,
            RequestStatus::Delivered => Self::Delivered,
            RequestStatus::Cancelled => Self::Cancelled,
            RequestStatus::Expired => Self::Expired,
            RequestStatus::Failed => match last_detail {
                Some("request_refused") => Self::Refused,
                Some("request_document_missing") => Self::DocumentMissing,
                _ => Self::Failed,
            },
        }
    }
}

/// An error as the UI shows it: code for the message table, technical message for the log view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// Stable code.
    pub code: String,
    /// Technical message without personal data.
    pub message: String,
}

/// A copy request's live view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    /// Request id (= Diia trace id).
    pub request_id: String,
    /// Where it is.
    pub state: RequestState,
    /// When the code was read, ms since the epoch.
    pub code_read_at: i64,
    /// When the code stops working, ms since the epoch.
    pub code_expires_at: i64,
    /// Types the clerk expects.
    pub document_types: Vec<String>,
    /// Purpose id.
    pub purpose: String,
    /// Stored documents once delivered.
    pub document_ids: Vec<String>,
    /// Why it ended badly.
    pub error: Option<ErrorInfo>,
}

/// Answer of a validity check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictOutcome {
    /// The document is valid (and, when asked, its holder is of age).
    Valid,
    /// Diia says no.
    NotValid,
    /// The code ran out.
    CodeExpired,
    /// The code was used before.
    CodeUsed,
    /// Diia does not know the code.
    CodeUnknown,
    /// The branch may not check this document type.
    TypeNotAllowed,
}

impl VerdictOutcome {
    /// Stable code (audit detail).
    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::NotValid => "not_valid",
            Self::CodeExpired => "code_expired",
            Self::CodeUsed => "code_used",
            Self::CodeUnknown => "code_unknown",
            Self::TypeNotAllowed => "type_not_allowed",
        }
    }
}

/// A validity verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The answer.
    pub outcome: VerdictOutcome,
    /// Minimum age asked, if any.
    pub age_checked: Option<u8>,
    /// Milliseconds from sending to Diia's answer.
    pub elapsed_ms: u64,
}

/// Desk timing and identity.
#[derive(Debug, Clone)]
pub struct DeskSettings {
    /// The branch requests are made for.
    pub branch_id: String,
    /// Who is at the desk (audit).
    pub ctx: AuditContext,
    /// Life of a customer's code after it is read (Diia: 3 minutes).
    pub code_ttl: Duration,
    /// How often Diia's request status is asked.
    pub poll_interval: Duration,
    /// How long after the code's end a confirmed delivery is still awaited.
    pub delivery_grace: Duration,
}

impl DeskSettings {
    /// Diia's timings for `branch_id`.
    pub fn new(branch_id: impl Into<String>, ctx: AuditContext) -> Self {
        Self {
            branch_id: branch_id.into(),
            ctx,
            code_ttl: Duration::from_secs(180),
            poll_interval: Duration::from_secs(1),
            delivery_grace: Duration::from_secs(60),
        }
    }
}

struct Live {
    view: RequestView,
    cancel: Arc<Notify>,
}

struct Inner {
    store: Arc<Store>,
    client: DiiaClient,
    settings: DeskSettings,
    live: Mutex<HashMap<String, Live>>,
    updates: broadcast::Sender<RequestView>,
}

/// The desk. Cheap to clone.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk").field("branch_id", &self.inner.settings.branch_id).finish()
    }
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, DeskError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| DeskError::Internal("store task failed"))?
        .map_err(DeskError::from)
}

impl Desk {
    /// A desk over `store`, talking to Diia through `client`. Requests left pending by an
    /// earlier run whose codes have run out are marked expired (must run inside tokio).
    pub async fn new(
        store: Arc<Store>,
        client: DiiaClient,
        settings: DeskSettings,
    ) -> Result<Self, DeskError> {
        let (updates, _) = broadcast::channel(256);
        let desk = Self {
            inner: Arc::new(Inner { store, client, settings, live: Mutex::default(), updates }),
        };
        desk.expire_stale().await?;
        Ok(desk)
    }

    /// Live request updates (every state change).
    pub fn subscribe(&self) -> broadcast::Receiver<RequestView> {
        self.inner.updates.subscribe()
    }

    /// The store behind the desk.
    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// The branch.
    pub fn branch_id(&self) -> &str {
        &self.inner.settings.branch_id
    }

    /// The Diia client.
    pub fn client(&self) -> &DiiaClient {
        &self.inner.client
    }

    async fn expire_stale(&self) -> Result<(), DeskError> {
        let store = Arc::clone(&self.inner.store);
        let ctx = self.inner.settings.ctx.clone();
        let window = self.inner.settings.code_ttl + self.inner.settings.delivery_grace;
        blocking(move || {
            let q = crate::store::RequestQuery {
                status: Some(RequestStatus::Pending),
                limit: Some(5000),
                ..Default::default()
            };
            let cutoff = OffsetDateTime::now_utc() - window;
            for r in store.list_requests(&q)? {
                if r.request.created_at < cutoff {
                    store.set_request_status(
                        &r.request.id,
                        RequestStatus::Expired,
                        Some("request_expired"),
                        &ctx,
                    )?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Asks Diia for the documents behind `code`. The code was read at `read_at` (its three
    /// minutes run from then). Returns once Diia has accepted; the view then changes through
    /// [`Desk::subscribe`]. A Diia refusal is returned as the error and recorded as failed.
    pub async fn request_copies(
        &self,
        code: ShareCode,
        purpose: &Purpose,
        document_types: Vec<String>,
        read_at: OffsetDateTime,
    ) -> Result<RequestView, DeskError> {
        let s = &self.inner.settings;
        let id = uuid::Uuid::new_v4().to_string();
        let new = NewRequest {
            id: id.clone(),
            purpose: purpose.id.clone(),
            legal_ground: purpose.legal_ground.clone(),
            document_types: document_types.clone(),
        };
        let (store, ctx) = (Arc::clone(&self.inner.store), s.ctx.clone());
        blocking(move || store.create_request(&new, &ctx)).await?;
        // Subscribe before sending: a fast delivery must not fall between send and watch.
        let deliveries = self.inner.store.subscribe();
        let expires = read_at + s.code_ttl;
        let cancel = Arc::new(Notify::new());
        let mut view = RequestView {
            request_id: id.clone(),
            state: RequestState::Sending,
            code_read_at: ms(read_at),
            code_expires_at: ms(expires),
            document_types,
            purpose: purpose.id.clone(),
            document_ids: Vec::new(),
            error: None,
        };
        self.publish(&view, Some(Arc::clone(&cancel)));
        let mut request = DocumentRequest::new(s.branch_id.clone(), code.clone());
        request.request_id = Some(id.clone());
        if let Err(e) = self.inner.client.request_document(&request).await {
            let code = diia_code(e.kind());
            tracing::warn!(request_id = %id, code, "document request refused");
            view.state = RequestState::Failed;
            view.error = Some(ErrorInfo { code: code.to_owned(), message: e.to_string() });
            self.finish(&view, RequestStatus::Failed, code).await;
            return Err(e.into());
        }
        tracing::info!(request_id = %id, "document request accepted");
        view.state = RequestState::Waiting;
        self.publish(&view, None);
        let barcode = match code {
            ShareCode::Barcode(b) => Some(b),
            ShareCode::Qr(_) => None,
        };
        let desk = self.clone();
        let watched = view.clone();
        tokio::spawn(
            async move { desk.watch(watched, barcode, deliveries, cancel, expires).await },
        );
        Ok(view)
    }

    fn publish(&self, view: &RequestView, cancel: Option<Arc<Notify>>) {
        if let Ok(mut live) = self.inner.live.lock() {
            match live.get_mut(&view.request_id) {
                Some(l) => l.view = view.clone(),
                None => {
                    let cancel = cancel.unwrap_or_default();
                    live.insert(view.request_id.clone(), Live { view: view.clone(), cancel });
                }
            }
        }
        let _ = self.inner.updates.send(view.clone());
    }

    /// Records a terminal state in the store (delivered is recorded by the store itself).
    async fn finish(&self, view: &RequestView, status: RequestStatus, detail: &'static str) {
        self.publish(view, None);
        let (store, ctx, id) = (
            Arc::clone(&self.inner.store),
            self.inner.settings.ctx.clone(),
            view.request_id.clone(),
        );
        if let Err(e) =
            blocking(move || store.set_request_status(&id, status, Some(detail), &ctx)).await
        {
            tracing::error!(error = %e, "cannot record a request's end");
        }
    }

    async fn stored_documents(&self, id: &str) -> Vec<String> {
        let (store, id) = (Arc::clone(&self.inner.store), id.to_owned());
        match blocking(move || store.request_documents(&id)).await {
            Ok(docs) => docs.into_iter().map(|(id, _)| id).collect(),
            Err(e) => {
                tracing::error!(error = %e, "cannot read a request's documents");
                Vec::new()
            }
        }
    }

    async fn watch(
        self,
        mut view: RequestView,
        barcode: Option<String>,
        mut deliveries: broadcast::Receiver<crate::DeliveryEvent>,
        cancel: Arc<Notify>,
        expires: OffsetDateTime,
    ) {
        let s = &self.inner.settings;
        let id = view.request_id.clone();
        let to_deadline = |t: OffsetDateTime| {
            let left = t - OffsetDateTime::now_utc();
            tokio::time::Instant::now() + Duration::try_from(left).unwrap_or(Duration::ZERO)
        };
        let mut deadline = to_deadline(expires);
        let mut poll = tokio::time::interval(s.poll_interval);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        poll.tick().await;
        loop {
            tokio::select! {
                () = cancel.notified() => {
                    view.state = RequestState::Cancelled;
                    view.error = Some(ErrorInfo { code: "request_cancelled".into(), message: "cancelled by the clerk".into() });
                    self.finish(&view, RequestStatus::Cancelled, "request_cancelled").await;
                    return;
                }
                event = deliveries.recv() => {
                    let docs = match event {
                        Ok(ev) if ev.request_id.as_deref() == Some(id.as_str()) => ev.document_ids,
                        Ok(_) => continue,
                        // Missed events: the store is the truth.
                        Err(broadcast::error::RecvError::Lagged(_)) => self.stored_documents(&id).await,
                        Err(broadcast::error::RecvError::Closed) => return,
                    };
                    if !docs.is_empty() {
                        view.state = RequestState::Delivered;
                        view.document_ids = docs;
                        self.publish(&view, None);
                        return;
                    }
                }
                _ = poll.tick(), if barcode.is_some() => {
                    let Some(code) = barcode.as_deref() else { continue };
                    let status = match self.inner.client.document_request_status(code, &id).await {
                        Ok(status) => status,
                        Err(e) => {
                            tracing::warn!(request_id = %id, code = diia_code(e.kind()), "status poll failed");
                            continue;
                        }
                    };
                    let (state, detail) = match status {
                        DiiaStatus::Processing | DiiaStatus::Other(_) => continue,
                        DiiaStatus::Confirmed | DiiaStatus::Done => {
                            if view.state != RequestState::Confirmed {
                                view.state = RequestState::Confirmed;
                                self.publish(&view, None);
                                // Once confirmed, the delivery is awaited past the code's end.
                                deadline = to_deadline(expires + s.delivery_grace);
                            }
                            continue;
                        }
                        DiiaStatus::Refused => (RequestState::Refused, "request_refused"),
                        DiiaStatus::DocumentMissing => (RequestState::DocumentMissing, "request_document_missing"),
                        DiiaStatus::Expired => (RequestState::Expired, "request_expired"),
                        DiiaStatus::DeliveryFailed => (RequestState::Failed, "request_delivery_failed"),
                    };
                    // A delivery may have landed between the event and this answer.
                    let docs = self.stored_documents(&id).await;
                    if !docs.is_empty() {
                        view.state = RequestState::Delivered;
                        view.document_ids = docs;
                        self.publish(&view, None);
                        return;
                    }
                    view.state = state;
                    view.error = Some(ErrorInfo { code: detail.into(), message: format!("diia status: {detail}") });
                    let status = if state == RequestState::Expired { RequestStatus::Expired } else { RequestStatus::Failed };
                    self.finish(&view, status, detail).await;
                    return;
                }
                () = tokio::time::sleep_until(deadline) => {
                    let docs = self.stored_documents(&id).await;
                    if !docs.is_empty() {
                        view.state = RequestState::Delivered;
                        view.document_ids = docs;
                        self.publish(&view, None);
                        return;
                    }
                    let (state, status, detail) = if view.state == RequestState::Confirmed {
                        (RequestState::Failed, RequestStatus::Failed, "request_delivery_failed")
                    } else {
                        (RequestState::Expired, RequestStatus::Expired, "request_expired")
                    };
                    view.state = state;
                    view.error = Some(ErrorInfo { code: detail.into(), message: "nothing arrived in time".into() });
                    self.finish(&view, status, detail).await;
                    return;
                }
            }
        }
    }

    /// Cancels a request still in progress (the documents, should they still arrive, are
    /// stored: the customer consented). Returns the current view.
    pub async fn cancel(&self, request_id: &str) -> Result<RequestView, DeskError> {
        let found =
            self.inner.live.lock().ok().and_then(|live| {
                live.get(request_id).map(|l| (l.view.clone(), Arc::clone(&l.cancel)))
            });
        let Some((view, cancel)) = found else { return self.request(request_id).await };
        if !view.state.is_terminal() {
            cancel.notify_one();
        }
        Ok(view)
    }

    /// The current view of a request: live if it is being watched, else from the store.
    pub async fn request(&self, request_id: &str) -> Result<RequestView, DeskError> {
        if let Some(view) = self
            .inner
            .live
            .lock()
            .ok()
            .and_then(|live| live.get(request_id).map(|l| l.view.clone()))
        {
            return Ok(view);
        }
        let (store, id) = (Arc::clone(&self.inner.store), request_id.to_owned());
        let (record, docs, history) = blocking(move || {
            let record = store.get_request(&id)?;
            Ok((record, store.request_documents(&id)?, store.status_history(&id)?))
        })
        .await?;
        let record = record.ok_or(DeskError::NotFound)?;
        let detail = history.last().and_then(|h| h.detail.clone());
        Ok(self.view_of(&RequestOverview { request: record, last_detail: detail, documents: docs }))
    }

    /// The view of a stored request.
    pub fn view_of(&self, r: &RequestOverview) -> RequestView {
        let state = RequestState::from_store(r.request.status, r.last_detail.as_deref());
        let error = match state {
            RequestState::Refused
            | RequestState::DocumentMissing
            | RequestState::Expired
            | RequestState::Failed
            | RequestState::Cancelled => {
                let code = r
                    .last_detail
                    .clone()
                    .filter(|d| !d.contains(' '))
                    .unwrap_or_else(|| format!("request_{}", r.request.status.code()));
                Some(ErrorInfo { message: format!("request {}", r.request.status.code()), code })
            }
            _ => None,
        };
        RequestView {
            request_id: r.request.id.clone(),
            state,
            code_read_at: ms(r.request.created_at),
            code_expires_at: ms(r.request.created_at + self.inner.settings.code_ttl),
            document_types: r.request.document_types.clone(),
            purpose: r.request.purpose.clone(),
            document_ids: r.documents.iter().map(|(id, _)| id.clone()).collect(),
            error,
        }
    }

    /// Checks the validity of the document behind a 13-digit code, optionally that its holder
    /// is at least `age`. Diia's "no" and the code's problems are verdicts; anything else
    /// (network, credentials, outage) is an error, never shown as "not valid".
    // FIXME: no name-match check. Diia's name variant of document identification is known only
    // as a third-party SDK's wrapper (diia-api.md §5, product.md); its route and body are not
    // public, and an invented call could show a clerk a wrong "match". Age is offered because
    // its route is confirmed.
    pub async fn validate(&self, code: &ShareCode, age: Option<u8>) -> Result<Verdict, DeskError> {
        let ShareCode::Barcode(barcode) = code else { return Err(DeskError::NeedsBarcode) };
        let branch = &self.inner.settings.branch_id;
        let started = std::time::Instant::now();
        let answer = match age {
            Some(age) => self.inner.client.identify_document_age(branch, barcode, age).await,
            None => self.inner.client.identify_document(branch, barcode).await,
        };
        let elapsed_ms = started.elapsed().as_millis().min(u128::from(u64::MAX)) as u64;
        let outcome = match answer {
            Ok(_) => VerdictOutcome::Valid,
            Err(e) => match (e.status(), e.kind()) {
                // `200 {"success": false}`: Diia looked and said no.
                (Some(200), _) => VerdictOutcome::NotValid,
                (_, ErrorKind::CodeExpired) => VerdictOutcome::CodeExpired,
                (_, ErrorKind::CodeUsed) => VerdictOutcome::CodeUsed,
                (_, ErrorKind::CodeUnknown) => VerdictOutcome::CodeUnknown,
                (_, ErrorKind::TypeNotAllowed) => VerdictOutcome::TypeNotAllowed,
                _ => {
                    tracing::warn!(code = diia_code(e.kind()), "validity check failed");
                    return Err(e.into());
                }
            },
        };
        tracing::info!(outcome = outcome.code(), elapsed_ms, "validity checked");
        let (store, ctx) = (Arc::clone(&self.inner.store), self.inner.settings.ctx.clone());
        blocking(move || store.record_validation(outcome.code(), age, &ctx)).await?;
        Ok(Verdict { outcome, age_checked: age, elapsed_ms })
    }
}

/// A stored document's reference in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocRef {
    /// Document id.
    pub id: String,
    /// Its type.
    pub doc_type: String,
}

/// One history row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryItem {
    /// Request id.
    pub request_id: String,
    /// Creation time, RFC 3339.
    pub created_at: String,
    /// Purpose id.
    pub purpose: String,
    /// Types expected.
    pub document_types: Vec<String>,
    /// State.
    pub state: RequestState,
    /// Documents still stored.
    pub documents: Vec<DocRef>,
    /// Delivered, but the documents have since been purged.
    pub purged: bool,
}

/// The verification badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// Signer's subject.
    pub signer: String,
    /// Signer's serial, hex.
    pub signer_serial: String,
    /// Signing time, RFC 3339.
    pub signed_at: Option<String>,
    /// Trusted certificate's subject.
    pub verified_against: String,
    /// When it was verified, RFC 3339.
    pub verified_at: String,
}

/// A document as the documents screen shows it (personal data: never log it).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// Document id.
    pub id: String,
    /// Request, if matched.
    pub request_id: Option<String>,
    /// Type.
    pub doc_type: String,
    /// File name as Diia sent it.
    pub file_name: String,
    /// Arrival, RFC 3339.
    pub received_at: String,
    /// Labelled metadata fields.
    pub fields: Vec<crate::fields::LabelledField>,
    /// Verification badge.
    pub badge: Badge,
}

impl std::fmt::Debug for DocumentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentView").field("id", &self.id).finish_non_exhaustive()
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl Desk {
    /// History rows, newest first.
    pub async fn history(
        &self,
        q: crate::store::RequestQuery,
    ) -> Result<Vec<HistoryItem>, DeskError> {
        let store = Arc::clone(&self.inner.store);
        let rows = blocking(move || store.list_requests(&q)).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let state = match self
                    .inner
                    .live
                    .lock()
                    .ok()
                    .and_then(|l| l.get(&r.request.id).map(|x| x.view.state))
                {
                    Some(live) => live,
                    None => RequestState::from_store(r.request.status, r.last_detail.as_deref()),
                };
                HistoryItem {
                    request_id: r.request.id.clone(),
                    created_at: rfc3339(r.request.created_at),
                    purpose: r.request.purpose.clone(),
                    document_types: r.request.document_types.clone(),
                    state,
                    purged: state == RequestState::Delivered && r.documents.is_empty(),
                    documents: r
                        .documents
                        .iter()
                        .map(|(id, t)| DocRef { id: id.clone(), doc_type: t.clone() })
                        .collect(),
                }
            })
            .collect())
    }

    /// Decrypts a document for `access` (audited before anything is returned) and returns its
    /// screen view and the PDF.
    pub async fn open_document(
        &self,
        id: &str,
        access: crate::store::DocumentAccess,
    ) -> Result<(DocumentView, zeroize::Zeroizing<Vec<u8>>), DeskError> {
        let (store, ctx, id) =
            (Arc::clone(&self.inner.store), self.inner.settings.ctx.clone(), id.to_owned());
        let doc = blocking(move || store.read_document(&id, access, &ctx)).await?;
        let fields = crate::fields::document_fields(&doc.metadata, &doc.summary.doc_type)
            .unwrap_or_else(|e| {
                // Stored metadata passed the receiver's checks; a failure here is corruption.
                tracing::error!(error = %e, "stored metadata does not parse");
                Vec::new()
            });
        let v = &doc.verification;
        let view = DocumentView {
            id: doc.summary.id.clone(),
            request_id: doc.summary.request_id.clone(),
            doc_type: doc.summary.doc_type.clone(),
            file_name: doc.file_name.clone(),
            received_at: rfc3339(doc.summary.received_at),
            fields,
            badge: Badge {
                signer: v.signer_subject.clone(),
                signer_serial: v.signer_serial.clone(),
                signed_at: v.signing_time.map(rfc3339),
                verified_against: v.trust_anchor.clone(),
                verified_at: rfc3339(v.verified_at),
            },
        };
        Ok((view, doc.pdf.clone()))
    }

    /// Records that field `key` of a document was copied.
    pub async fn copy_field(&self, id: &str, key: &str) -> Result<(), DeskError> {
        let (store, ctx, id, key) = (
            Arc::clone(&self.inner.store),
            self.inner.settings.ctx.clone(),
            id.to_owned(),
            key.to_owned(),
        );
        blocking(move || store.record_field_copied(&id, &key, &ctx)).await
    }

    /// Writes a document's PDF into `dir` (audited as an export) under a name that carries no
    /// personal data, without overwriting; returns the path. Owner-only permissions on Unix.
    pub async fn export_document(
        &self,
        id: &str,
        dir: &std::path::Path,
    ) -> Result<std::path::PathBuf, DeskError> {
        let (view, pdf) = self.open_document(id, crate::store::DocumentAccess::Export).await?;
        let dir = dir.to_owned();
        let short: String = view.id.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
        let stamp = OffsetDateTime::now_utc().unix_timestamp();
        let name = format!("{}-{stamp}-{short}.pdf", view.doc_type.replace(['/', '\\', '.'], "_"));
        tokio::task::spawn_blocking(move || {
            use std::io::Write as _;
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(name);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&path)?;
            f.write_all(&pdf)?;
            f.sync_all()?;
            Ok::<_, std::io::Error>(path)
        })
        .await
        .map_err(|_| DeskError::Internal("export task failed"))?
        .map_err(|e| {
            tracing::error!(error = %e, "export failed");
            DeskError::Export
        })
    }

    /// Purges what the retention policy says has expired.
    pub async fn purge(
        &self,
        policy: crate::RetentionPolicy,
    ) -> Result<crate::PurgeReceipt, DeskError> {
        let (store, ctx) = (Arc::clone(&self.inner.store), self.inner.settings.ctx.clone());
        blocking(move || store.purge(OffsetDateTime::now_utc(), &policy, &ctx)).await
    }
}
