//! `DiiaClient`: the acquirer API over HTTPS, with session handling, retries where they are safe,
//! and typed answers.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tracing::{debug, instrument, warn};

use crate::api::{
    AgeIdentificationBody, Branch, BranchDetails, BranchList, DocumentRequestAccepted,
    DocumentRequestBody, DynamicOfferRequest, IdResponse, Identification, IdentificationBody,
    OfferDetails, OfferList, OfferRequestCreated, Page, RequestStatus, ShareCode, StatusResponse,
    SuccessResponse,
};
use crate::config::ClientConfig;
use crate::error::DiiaError;
use crate::secret::Secret;
use crate::session::{SessionCache, SessionToken, renew_at};

/// Whether a call may be sent again automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    /// Reads and login: retry on network errors, timeouts and 5xx/429.
    Safe,
    /// PUT/DELETE: retry only on 503 or when the connection was never made.
    Idempotent,
    /// Creates, document requests, identifications: never repeated (except after a 401, which
    /// the gateway answers before the action runs).
    Never,
}

/// A document request to send; see [`DiiaClient::request_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequest {
    /// Branch on whose behalf the documents are requested.
    pub branch_id: String,
    /// The customer's barcode or QR content.
    pub code: ShareCode,
    /// Partner request id; a UUIDv4 is generated when `None`.
    pub request_id: Option<String>,
    /// Ask Diia to require the customer's Diia.Signature (`useDiiaId`); `None` omits the field.
    pub use_diia_id: Option<bool>,
}

impl DocumentRequest {
    /// A request with a generated request id and no `useDiiaId`.
    pub fn new(branch_id: impl Into<String>, code: ShareCode) -> Self {
        Self { branch_id: branch_id.into(), code, request_id: None, use_diia_id: None }
    }
}

/// Client of the Diia acquirer API. Cheap to clone; clones share the session.
#[derive(Debug, Clone)]
pub struct DiiaClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    session: SessionCache,
}

impl DiiaClient {
    /// Builds a client (rustls, configured timeouts). No request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, DiiaError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|err| DiiaError::Config(format!("cannot build http client: {err}")))?;
        Ok(Self { inner: Arc::new(Inner { config, http, session: SessionCache::default() }) })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Makes sure a session exists (logs in unless a fresh token is cached). Useful as a
    /// credentials check at startup; other calls log in on their own.
    #[instrument(skip_all)]
    pub async fn ensure_session(&self) -> Result<(), DiiaError> {
        self.session_token().await.map(|_| ())
    }

    // ---- branches (v2) -------------------------------------------------------------------

    /// `POST /api/v2/acquirers/branch`: creates a branch, returns its id.
    #[instrument(skip_all)]
    pub async fn create_branch(&self, branch: &BranchDetails) -> Result<String, DiiaError> {
        let body = to_json(branch)?;
        let bytes = self
            .call(
                Method::POST,
                &["api", "v2", "acquirers", "branch"],
                &[],
                Some(body),
                Replay::Never,
            )
            .await?;
        Ok(decode::<IdResponse>("create branch", &bytes)?.id)
    }

    /// `GET /api/v2/acquirers/branch/{id}`.
    #[instrument(skip_all)]
    pub async fn get_branch(&self, branch_id: &str) -> Result<Branch, DiiaError> {
        non_empty("branch id", branch_id)?;
        let path = ["api", "v2", "acquirers", "branch", branch_id];
        let bytes = self.call(Method::GET, &path, &[], None, Replay::Safe).await?;
        decode("get branch", &bytes)
    }

    /// `GET /api/v2/acquirers/branches?skip=&limit=`.
    #[instrument(skip_all)]
    pub async fn list_branches(&self, page: Page) -> Result<BranchList, DiiaError> {
        let query = page_query(page);
        let path = ["api", "v2", "acquirers", "branches"];
        let bytes = self.call(Method::GET, &path, &query, None, Replay::Safe).await?;
        decode("list branches", &bytes)
    }

    /// `PUT /api/v2/acquirers/branch/{id}` with the full branch (including `_id`); returns the id.
    #[instrument(skip_all)]
    pub async fn update_branch(
        &self,
        branch_id: &str,
        branch: &BranchDetails,
    ) -> Result<String, DiiaError> {
        non_empty("branch id", branch_id)?;
        let body = to_json(&Branch { id: branch_id.to_owned(), details: branch.clone() })?;
        let path = ["api", "v2", "acquirers", "branch", branch_id];
        let bytes = self.call(Method::PUT, &path, &[], Some(body), Replay::Idempotent).await?;
        if bytes.is_empty() {
            // The gateway answers 204 when an update returns nothing.
            return Ok(branch_id.to_owned());
        }
        Ok(decode::<IdResponse>("update branch", &bytes)?.id)
    }

    /// `DELETE /api/v2/acquirers/branch/{id}` (204).
    #[instrument(skip_all)]
    pub async fn delete_branch(&self, branch_id: &str) -> Result<(), DiiaError> {
        non_empty("branch id", branch_id)?;
        let path = ["api", "v2", "acquirers", "branch", branch_id];
        self.call(Method::DELETE, &path, &[], None, Replay::Idempotent).await.map(|_| ())
    }

    // ---- offers (v1) and deeplinks (v2) ---------------------------------------------------

    /// `POST /api/v1/acquirers/branch/{branchId}/offer`: returns the offer id.
    #[instrument(skip_all)]
    pub async fn create_offer(
        &self,
        branch_id: &str,
        offer: &OfferDetails,
    ) -> Result<String, DiiaError> {
        non_empty("branch id", branch_id)?;
        let body = to_json(offer)?;
        let path = ["api", "v1", "acquirers", "branch", branch_id, "offer"];
        let bytes = self.call(Method::POST, &path, &[], Some(body), Replay::Never).await?;
        Ok(decode::<IdResponse>("create offer", &bytes)?.id)
    }

    /// `GET /api/v1/acquirers/branch/{branchId}/offers?skip=&limit=`.
    #[instrument(skip_all)]
    pub async fn list_offers(&self, branch_id: &str, page: Page) -> Result<OfferList, DiiaError> {
        non_empty("branch id", branch_id)?;
        let query = page_query(page);
        let path = ["api", "v1", "acquirers", "branch", branch_id, "offers"];
        let bytes = self.call(Method::GET, &path, &query, None, Replay::Safe).await?;
        decode("list offers", &bytes)
    }

    /// `DELETE /api/v1/acquirers/branch/{branchId}/offer/{offerId}` (204).
    #[instrument(skip_all)]
    pub async fn delete_offer(&self, branch_id: &str, offer_id: &str) -> Result<(), DiiaError> {
        non_empty("branch id", branch_id)?;
        non_empty("offer id", offer_id)?;
        let path = ["api", "v1", "acquirers", "branch", branch_id, "offer", offer_id];
        self.call(Method::DELETE, &path, &[], None, Replay::Idempotent).await.map(|_| ())
    }

    /// `POST /api/v2/acquirers/branch/{branchId}/offer-request/dynamic`: returns the deeplink.
    /// Never repeated automatically.
    #[instrument(skip_all)]
    pub async fn request_offer_dynamic(
        &self,
        branch_id: &str,
        request: &DynamicOfferRequest,
    ) -> Result<OfferRequestCreated, DiiaError> {
        non_empty("branch id", branch_id)?;
        let path = ["api", "v2", "acquirers", "branch", branch_id, "offer-request", "dynamic"];
        self.offer_request(&path, request).await
    }

    /// `POST /api/v1/acquirers/branch/{branchId}/offer-request`: the older, v1-only route of the
    /// same action (diia-api.md §3); returns the deeplink. Never repeated automatically.
    ///
    /// FIXME(#4): no public client sends this route; its body is assumed to be the v2 body.
    #[instrument(skip_all)]
    pub async fn request_offer_v1(
        &self,
        branch_id: &str,
        request: &DynamicOfferRequest,
    ) -> Result<OfferRequestCreated, DiiaError> {
        non_empty("branch id", branch_id)?;
        let path = ["api", "v1", "acquirers", "branch", branch_id, "offer-request"];
        self.offer_request(&path, request).await
    }

    async fn offer_request(
        &self,
        path: &[&str],
        request: &DynamicOfferRequest,
    ) -> Result<OfferRequestCreated, DiiaError> {
        non_empty("offer id", &request.offer_id)?;
        let mut request = request.clone();
        let request_id = request.request_id.get_or_insert_with(new_request_id).clone();
        let body = to_json(&request)?;
        let bytes = self.call(Method::POST, path, &[], Some(body), Replay::Never).await?;
        let mut created: OfferRequestCreated = decode("offer request", &bytes)?;
        created.request_id = request_id;
        Ok(created)
    }

    /// `GET /api/v1/acquirers/offer-request/status?otp=&requestId=` (status word, verbatim map).
    /// `otp` is the deeplink's last path segment (an assumption, diia-api.md §3); an empty `otp`
    /// is left out of the query, as one third-party client asks by `requestId` alone.
    #[instrument(skip_all)]
    pub async fn offer_request_status(
        &self,
        otp: &str,
        request_id: &str,
    ) -> Result<RequestStatus, DiiaError> {
        non_empty("request id", request_id)?;
        let mut query = Vec::with_capacity(2);
        if !otp.trim().is_empty() {
            query.push(("otp", otp.to_owned()));
        }
        query.push(("requestId", request_id.to_owned()));
        let path = ["api", "v1", "acquirers", "offer-request", "status"];
        let bytes = self.call(Method::GET, &path, &query, None, Replay::Safe).await?;
        status_of("offer request status", &bytes)
    }

    // ---- offline sharing and validation (v1) ---------------------------------------------

    /// `POST /api/v1/acquirers/document-request` by barcode or QR. Diia answering
    /// `{"success": true}` means the customer was asked; documents arrive at the receiver
    /// later with `X-Document-Request-Trace-Id` = the returned request id.
    ///
    /// Never sent twice automatically: a timeout or 503 is returned to the caller, who can ask
    /// the status or the customer before trying again (the code may already be consumed).
    #[instrument(skip_all, fields(request_id))]
    pub async fn request_document(
        &self,
        request: &DocumentRequest,
    ) -> Result<DocumentRequestAccepted, DiiaError> {
        non_empty("branch id", &request.branch_id)?;
        let request_id = match &request.request_id {
            Some(id) => {
                non_empty("request id", id)?;
                id.clone()
            }
            None => new_request_id(),
        };
        tracing::Span::current().record("request_id", request_id.as_str());
        let (barcode, qrcode) = match &request.code {
            ShareCode::Barcode(digits) => {
                non_empty("barcode", digits)?;
                warn_on_odd_barcode(digits);
                (Some(digits.as_str()), None)
            }
            ShareCode::Qr(content) => {
                non_empty("qr code", content)?;
                (None, Some(content.as_str()))
            }
        };
        let body = to_json(&DocumentRequestBody {
            branch_id: &request.branch_id,
            barcode,
            qrcode,
            request_id: &request_id,
            use_diia_id: request.use_diia_id,
        })?;
        let path = ["api", "v1", "acquirers", "document-request"];
        let bytes = self.call(Method::POST, &path, &[], Some(body), Replay::Never).await?;
        expect_success("document request", &bytes)?;
        Ok(DocumentRequestAccepted { request_id })
    }

    /// `GET /api/v1/acquirers/document-request/status?barcode=&requestId=`.
    #[instrument(skip_all)]
    pub async fn document_request_status(
        &self,
        barcode: &str,
        request_id: &str,
    ) -> Result<RequestStatus, DiiaError> {
        non_empty("barcode", barcode)?;
        non_empty("request id", request_id)?;
        let query = [("barcode", barcode.to_owned()), ("requestId", request_id.to_owned())];
        let path = ["api", "v1", "acquirers", "document-request", "status"];
        let bytes = self.call(Method::GET, &path, &query, None, Replay::Safe).await?;
        status_of("document request status", &bytes)
    }

    /// `POST /api/v1/acquirers/document-identification`: Ok means the document behind the
    /// code is valid. The code is consumed; never sent twice automatically.
    #[instrument(skip_all)]
    pub async fn identify_document(
        &self,
        branch_id: &str,
        barcode: &str,
    ) -> Result<Identification, DiiaError> {
        non_empty("branch id", branch_id)?;
        non_empty("barcode", barcode)?;
        warn_on_odd_barcode(barcode);
        let body = to_json(&IdentificationBody { branch_id, barcode })?;
        let path = ["api", "v1", "acquirers", "document-identification"];
        let bytes = self.call(Method::POST, &path, &[], Some(body), Replay::Never).await?;
        Ok(Identification { extra: expect_success("document identification", &bytes)? })
    }

    /// `POST /api/v1/acquirers/document-identification/age` with the assumed body
    /// [`AgeIdentificationBody`]: Ok means the document is valid and its holder is at least
    /// `age` years old. Never sent twice automatically.
    #[instrument(skip_all, fields(age))]
    pub async fn identify_document_age(
        &self,
        branch_id: &str,
        barcode: &str,
        age: u8,
    ) -> Result<Identification, DiiaError> {
        non_empty("branch id", branch_id)?;
        non_empty("barcode", barcode)?;
        warn_on_odd_barcode(barcode);
        let body = to_json(&AgeIdentificationBody {
            branch_id: branch_id.to_owned(),
            barcode: barcode.to_owned(),
            age,
        })?;
        let path = ["api", "v1", "acquirers", "document-identification", "age"];
        let bytes = self.call(Method::POST, &path, &[], Some(body), Replay::Never).await?;
        Ok(Identification { extra: expect_success("age identification", &bytes)? })
    }

    /// `GET /api/v1/acquirers/scopes`; the answer's shape is not public, so it is raw JSON.
    #[instrument(skip_all)]
    pub async fn scopes(&self) -> Result<Value, DiiaError> {
        let path = ["api", "v1", "acquirers", "scopes"];
        let bytes = self.call(Method::GET, &path, &[], None, Replay::Safe).await?;
        decode("scopes", &bytes)
    }

    // ---- plumbing ------------------------------------------------------------------------

    /// The current session token, logging in (once, for all waiting callers) if needed.
    async fn session_token(&self) -> Result<Secret, DiiaError> {
        self.inner.session.get_or_login(|| self.login()).await
    }

    /// `GET /api/v1/auth/acquirer/{acquirer_token}` with retries for network errors and 5xx.
    #[instrument(skip_all)]
    async fn login(&self) -> Result<SessionToken, DiiaError> {
        let config = &self.inner.config;
        let url =
            self.endpoint(&["api", "v1", "auth", "acquirer", config.acquirer_token.expose()], &[]);
        let mut retry_idx = 0;
        loop {
            let mut builder = self.inner.http.get(url.clone()).header(ACCEPT, "application/json");
            if let Some(basic) = &config.basic_auth {
                builder = builder.header(AUTHORIZATION, sensitive_header("Basic", basic)?);
            }
            let err = match self.exchange(builder).await {
                Ok((200..=299, bytes)) => {
                    #[derive(serde::Deserialize)]
                    struct LoginResponse {
                        token: String,
                    }
                    let token = decode::<LoginResponse>("login", &bytes)?.token;
                    if token.is_empty() {
                        return Err(DiiaError::Unexpected("login: empty token".to_owned()));
                    }
                    let renew_at =
                        renew_at(&token, config.session_lifetime, config.session_refresh_margin);
                    debug!("logged in");
                    return Ok(SessionToken { token: Secret::new(token), renew_at });
                }
                Ok((status, bytes)) => {
                    DiiaError::from_response(status, &bytes, &self.secrets(None))
                }
                Err(err) => err,
            };
            if !self.may_retry(&err, Replay::Safe, retry_idx) {
                return Err(err);
            }
            self.back_off("login", &err, retry_idx).await;
            retry_idx += 1;
        }
    }

    /// One authorised call with re-login on 401 (once) and retries per `replay`. Returns the
    /// body of a 2xx answer.
    async fn call(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, String)],
        body: Option<Value>,
        replay: Replay,
    ) -> Result<Bytes, DiiaError> {
        let url = self.endpoint(path, query);
        let accept = if method == Method::DELETE { "*/*" } else { "application/json" };
        let mut relogged = false;
        let mut retry_idx = 0;
        loop {
            let token = self.session_token().await?;
            let mut builder = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .header(ACCEPT, accept)
                .header(AUTHORIZATION, sensitive_header("Bearer", &token)?);
            if let Some(body) = &body {
                builder = builder.json(body);
            }
            let err = match self.exchange(builder).await {
                Ok((status @ 200..=299, bytes)) => {
                    debug!(%method, status, "diia answered");
                    return Ok(bytes);
                }
                Ok((401, _)) if !relogged => {
                    // Expired or revoked session: the gateway rejects before the action runs,
                    // so logging in again and resending is safe even for document requests.
                    debug!(%method, "session rejected, logging in again");
                    self.inner.session.invalidate(&token).await;
                    relogged = true;
                    continue;
                }
                Ok((status, bytes)) => {
                    DiiaError::from_response(status, &bytes, &self.secrets(Some(&token)))
                }
                Err(err) => err,
            };
            if !self.may_retry(&err, replay, retry_idx) {
                debug!(%method, kind = ?err.kind(), "diia call failed");
                return Err(err);
            }
            self.back_off(method.as_str(), &err, retry_idx).await;
            retry_idx += 1;
        }
    }

    /// Sends and reads the whole answer; transport errors become `Network`/`Timeout` with the
    /// URL (which may hold the acquirer token) removed.
    async fn exchange(&self, builder: reqwest::RequestBuilder) -> Result<(u16, Bytes), DiiaError> {
        let timeout = self.inner.config.request_timeout;
        let transport = |err: reqwest::Error| {
            if err.is_timeout() {
                DiiaError::Timeout(timeout)
            } else {
                DiiaError::Network(err.without_url())
            }
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        Ok((status, bytes))
    }

    fn may_retry(&self, err: &DiiaError, replay: Replay, retry_idx: u32) -> bool {
        if retry_idx + 1 >= self.inner.config.retry.max_attempts {
            return false;
        }
        match replay {
            Replay::Never => false,
            Replay::Safe => matches!(
                err.kind(),
                crate::ErrorKind::Network
                    | crate::ErrorKind::Timeout
                    | crate::ErrorKind::Unavailable
            ),
            Replay::Idempotent => match err {
                DiiaError::Api { status, .. } => *status == 503,
                DiiaError::Network(source) => source.is_connect(),
                _ => false,
            },
        }
    }

    async fn back_off(&self, what: &str, err: &DiiaError, retry_idx: u32) {
        let delay = self.inner.config.retry.delay(retry_idx);
        warn!(what, kind = ?err.kind(), retry = retry_idx + 1, ?delay, "diia call failed, retrying");
        tokio::time::sleep(delay).await;
    }

    fn secrets<'a>(&'a self, session: Option<&'a Secret>) -> Vec<&'a str> {
        let config = &self.inner.config;
        let mut secrets = vec![config.acquirer_token.expose()];
        secrets.extend(config.basic_auth.as_ref().map(Secret::expose));
        secrets.extend(session.map(Secret::expose));
        secrets
    }

    /// `base_url` + percent-encoded path segments + query.
    fn endpoint(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.inner.config.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (k, v.as_str())));
        }
        url
    }
}

fn sensitive_header(scheme: &str, secret: &Secret) -> Result<HeaderValue, DiiaError> {
    let mut value = HeaderValue::from_str(&format!("{scheme} {}", secret.expose()))
        .map_err(|_| DiiaError::Config(format!("{scheme} credential is not a valid header")))?;
    value.set_sensitive(true);
    Ok(value)
}

fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn non_empty(what: &str, value: &str) -> Result<(), DiiaError> {
    if value.trim().is_empty() {
        return Err(DiiaError::InvalidRequest(format!("{what} is empty")));
    }
    Ok(())
}

/// Diia decides validity; SDK test codes are not always checksum-valid (diia-api.md §8), so an
/// odd code is only logged (without the code itself), never refused.
fn warn_on_odd_barcode(barcode: &str) {
    if !crate::ean13_is_valid(barcode) {
        warn!(len = barcode.len(), "barcode is not a valid ean-13; sending it anyway");
    }
}

fn page_query(page: Page) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(skip) = page.skip {
        query.push(("skip", skip.to_string()));
    }
    if let Some(limit) = page.limit {
        query.push(("limit", limit.to_string()));
    }
    query
}

fn to_json(value: &impl Serialize) -> Result<Value, DiiaError> {
    serde_json::to_value(value)
        .map_err(|err| DiiaError::InvalidRequest(format!("cannot encode body: {err}")))
}

/// Decodes a 2xx body. The error text names only the place of the mismatch, never values
/// (they may be tokens or personal data).
fn decode<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, DiiaError> {
    serde_json::from_slice(bytes).map_err(|err| {
        DiiaError::Unexpected(format!(
            "{what}: body does not match the contract ({:?} at line {}, column {})",
            err.classify(),
            err.line(),
            err.column()
        ))
    })
}

/// `{"success": true, …}` → the other fields; `success: false` → an API error built from the
/// same body (the .NET SDK expects error fields beside it).
fn expect_success(what: &str, bytes: &[u8]) -> Result<Map<String, Value>, DiiaError> {
    let response: SuccessResponse = decode(what, bytes)?;
    match response.success {
        Some(true) => Ok(response.rest),
        Some(false) => Err(DiiaError::from_response(200, bytes, &[])),
        None => Err(DiiaError::Unexpected(format!("{what}: answer has no success flag"))),
    }
}

fn status_of(what: &str, bytes: &[u8]) -> Result<RequestStatus, DiiaError> {
    let response: StatusResponse = decode(what, bytes)?;
    match response.status {
        Some(status) => Ok(RequestStatus::from_wire(&status)),
        None => Err(DiiaError::Unexpected(format!("{what}: answer has no status"))),
    }
}
