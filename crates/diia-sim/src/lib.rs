//! A faithful Diia simulator: the app's sandbox mode and the tests' HTTP server.
//!
//! Diia's acquirer routes live under `/api/v{n}/…` with the real auth rules and error bodies
//! (see [`api`]); the test-only "customer phone" lives under `/sim/v1/…` (see [`phone`]).
//! Start it embedded with [`Simulator::start`] or standalone with the `diia-sim` binary.

pub mod api;
pub mod codes;
pub mod config;
mod customer;
pub mod error;
pub mod images;
mod keys;
pub mod pdf;
pub mod persons;
pub mod phone;
mod state;
mod test_routes;
mod validate;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

pub use config::{RequestStatus, RetryPolicy, Script, SimConfig};
pub use error::{ApiError, FieldError, SimError};
pub use keys::{DiiaCertificates, PartnerIdentity};
pub use phone::IssuedCode;
pub use state::{Branch, DocRequest, Offer, OfferRequest, Scopes};

use state::{Inner, Shared};

/// Entry point of the simulator.
#[derive(Debug)]
pub struct Simulator;

/// A running simulator; dropping it without [`SimHandle::shutdown`] leaves the server running
/// until the runtime ends.
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown_tx: tokio::sync::watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Simulator {
    /// Binds `config.listen` (port 0 = random free port), loads or creates the state, loads the
    /// Diia keys from the state file (or generates them, and keeps them there when a state file
    /// is configured) and serves until [`SimHandle::shutdown`].
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let persisted = match &config.state_file {
            Some(path) => state::read_state(path)?,
            None => None,
        };
        let (token, default_branch_id, branches, offers, identity) = match persisted {
            Some(p) => (p.acquirer_token, p.default_branch_id, p.branches, p.offers, p.identity),
            None => {
                let b = state::default_branch();
                let token = config.acquirer_token.clone().unwrap_or_else(|| state::random_hex(24));
                (token, b.id.clone(), vec![b], vec![], None)
            }
        };
        // An explicitly configured token wins over the persisted one.
        let token = config.acquirer_token.clone().unwrap_or(token);
        let partner_cert = config.partner_cert.clone();
        let keys = tokio::task::spawn_blocking(move || {
            keys::Keys::load_or_generate(partner_cert.as_deref(), identity)
        })
        .await
        .map_err(|e| SimError::Crypto(format!("key generation task failed: {e}")))??;
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| SimError::Server(format!("http client: {e}")))?;
        let inner = Inner {
            acquirer_token: token,
            default_branch_id,
            sessions: HashMap::new(),
            branches,
            offers,
            codes: HashMap::new(),
            otps: HashMap::new(),
            requests: HashMap::new(),
            offer_requests: HashMap::new(),
            doc_request_ids: HashMap::new(),
            person_scripts: HashMap::new(),
            deliver_to: config.deliver_to.clone(),
        };
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| SimError::Server(format!("cannot bind {}: {e}", config.listen)))?;
        let addr = listener.local_addr().map_err(|e| SimError::Server(e.to_string()))?;
        let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
        let shared = Shared::new(config, inner, keys, http, shutdown_rx.clone());
        shared.persist()?;
        let app = api::routes()
            .merge(test_routes::routes())
            .merge(phone::routes())
            .fallback(|| async { ApiError::route_not_found() })
            .with_state(shared.clone());
        let mut rx = shutdown_rx;
        let server = tokio::spawn(async move {
            let result = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(e) = result {
                tracing::error!(error = %e, "simulator server stopped");
            }
        });
        tracing::info!(%addr, "diia simulator listening");
        Ok(SimHandle { shared, addr, shutdown_tx, server })
    }
}

impl SimHandle {
    /// `http://127.0.0.1:<port>` — the Diia host to configure in the client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The acquirer token accepted by `GET /api/v1/auth/acquirer/{token}`.
    pub fn acquirer_token(&self) -> String {
        self.shared.lock().acquirer_token.clone()
    }

    /// Id of the built-in branch (every sharing and validation scope allowed).
    pub fn branch_id(&self) -> String {
        self.shared.lock().default_branch_id.clone()
    }

    /// Diia's signing and key-agreement certificates (and their test CA) a receiver must trust.
    pub fn diia_certificates(&self) -> DiiaCertificates {
        self.shared.keys.diia.clone()
    }

    /// The generated partner identity (when no partner certificate was configured).
    pub fn partner_identity(&self) -> Option<PartnerIdentity> {
        self.shared.keys.partner.clone()
    }

    /// Sets (or clears) the receiver URL deliveries are POSTed to.
    pub fn set_deliver_to(&self, url: Option<String>) {
        self.shared.lock().deliver_to = url;
    }

    /// Ends every session now (test hook: the next call gets 401 and must log in again).
    pub fn expire_sessions(&self) {
        self.shared.lock().sessions.clear();
    }

    /// Moves a share code's expiration into the past; false if the code is unknown.
    pub fn expire_code(&self, barcode: &str) -> bool {
        phone::expire_code_now(&self.shared, barcode)
    }

    /// The test persons and their documents.
    pub fn persons(&self) -> &[persons::Person] {
        &self.shared.persons
    }

    /// Issues a share code for a document as the customer's app would, optionally with a script
    /// for the request made with it.
    pub fn issue_code(&self, doc_id: &str, script: Option<Script>) -> Result<IssuedCode, SimError> {
        phone::issue(&self.shared, doc_id, script)
    }

    /// Sets the script of every request for a person's documents (`None` = default script).
    pub fn set_person_script(&self, person_id: &str, script: Option<Script>) {
        let mut inner = self.shared.lock();
        match script {
            Some(sc) => inner.person_scripts.insert(person_id.to_string(), sc),
            None => inner.person_scripts.remove(person_id),
        };
    }

    /// A document request's record (status, attempts, reason), if it exists.
    pub fn request(&self, barcode: &str, request_id: &str) -> Option<DocRequest> {
        let mut inner = self.shared.lock();
        let req = inner.requests.get_mut(&(barcode.to_string(), request_id.to_string()))?;
        customer::expire_if_due(req, api::now());
        Some(req.clone())
    }

    /// The customer `person_id` opens a deeplink (or its otp) returned by an offer request; the
    /// script (else the person's, else the default) decides the answer, and on confirm the
    /// offer's documents are delivered in the deeplink layout.
    pub fn open_deeplink(
        &self,
        deeplink: &str,
        person_id: &str,
        script: Option<Script>,
    ) -> Result<(), SimError> {
        phone::open_deeplink(&self.shared, deeplink, person_id, script)
    }

    /// An offer (deeplink) request's record by the partner's request id, if it exists.
    pub fn offer_request(&self, request_id: &str) -> Option<OfferRequest> {
        let mut inner = self.shared.lock();
        let req = inner.offer_requests.values_mut().find(|r| r.request_id == request_id)?;
        customer::expire_if_due(req, api::now());
        Some(req.clone())
    }

    /// Stops the server and the customers' background tasks, and waits for the server to end.
    pub async fn shutdown(self) {
        let _ = self.shutdown_tx.send(true);
        let _ = self.server.await;
    }
}
