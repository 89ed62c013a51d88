//! The simulator's state: acquirer, sessions, branches, offers, share codes and document
//! requests; branches/offers/acquirer token and the Diia identity optionally persisted to a JSON
//! file (atomic, owner-only write).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::SimError;
use crate::config::{RequestStatus, Script, SimConfig};
use crate::keys::{Keys, StoredIdentity};
use crate::persons::Person;

/// A branch's scopes object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Scopes {
    /// Document types the branch may request.
    pub sharing: Vec<String>,
    /// Old person-identification flow (always empty in SDKs).
    #[serde(default)]
    pub identification: Vec<String>,
    /// Document types the branch may validate.
    #[serde(default)]
    pub document_identification: Vec<String>,
    /// Diia.Signature products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diia_id: Option<Vec<String>>,
}

/// A branch as stored and returned (with `_id`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    /// Opaque id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Region.
    pub region: String,
    /// District.
    pub district: String,
    /// City or village.
    pub location: String,
    /// Street.
    pub street: String,
    /// House.
    pub house: String,
    /// Requester name shown to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_full_name: Option<String>,
    /// Requester address shown to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_full_address: Option<String>,
    /// Delivery types (`api`).
    pub delivery_types: Vec<String>,
    /// `dynamic` or `static`.
    pub offer_request_type: String,
    /// Scopes.
    pub scopes: Scopes,
}

/// An offer of a branch.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// Opaque id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Owning branch (not part of the API answer).
    #[serde(skip_serializing, default)]
    pub branch_id: String,
    /// Name.
    pub name: String,
    /// Scopes object as given.
    pub scopes: serde_json::Value,
    /// Optional return link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_link: Option<String>,
}

/// One share code record: the barcode and the QR otp are two handles of it.
#[derive(Debug, Clone)]
pub(crate) struct ShareCode {
    pub barcode: String,
    pub otp: Uuid,
    pub link: String,
    pub doc_id: String,
    pub doc_type: String,
    pub person_id: String,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub script: Option<Script>,
}

/// A document request made by a partner with a share code.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocRequest {
    /// Partner's request id.
    pub request_id: String,
    /// Share code used.
    pub barcode: String,
    /// Branch that asked.
    pub branch_id: String,
    /// Requested document.
    pub doc_id: String,
    /// Its type.
    pub doc_type: String,
    /// Holder.
    pub person_id: String,
    /// Current status.
    pub status: RequestStatus,
    /// Why the request ended the way it did (simulator detail, not in the Diia answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Delivery attempts made.
    pub attempts: u32,
    /// File name of the delivered copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// When the customer must have answered.
    #[serde(with = "time::serde::rfc3339")]
    pub answer_deadline: OffsetDateTime,
}

/// A deeplink (offer) request made by a partner: the customer opens the deeplink in the app,
/// and the documents of the offer are delivered in the deeplink layout (diia-api.md §3, §6.3).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferRequest {
    /// The request's handle in the deeplink and in the status query (`otp`).
    pub otp: String,
    /// The link the partner shows the customer.
    pub deeplink: String,
    /// Partner's request id.
    pub request_id: String,
    /// Branch that asked.
    pub branch_id: String,
    /// Offer requested.
    pub offer_id: String,
    /// Document types the offer asks for (`scopes.sharing`, may include `passport`).
    pub requested_types: Vec<String>,
    /// The person who opened the deeplink, once someone has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The concrete documents chosen for delivery, once opened.
    pub doc_ids: Vec<String>,
    /// Current status.
    pub status: RequestStatus,
    /// Why the request ended the way it did (simulator detail, not in the Diia answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Delivery attempts made.
    pub attempts: u32,
    /// File names of the delivered copies, one per document.
    pub file_names: Vec<String>,
    /// When the customer must have answered (opened and confirmed).
    #[serde(with = "time::serde::rfc3339")]
    pub answer_deadline: OffsetDateTime,
}

/// What is persisted to the state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Persisted {
    pub acquirer_token: String,
    pub default_branch_id: String,
    pub branches: Vec<Branch>,
    pub offers: Vec<Offer>,
    /// Diia's (and the generated partner's) keys; absent in files written before they were
    /// kept, in which case they are generated once and then kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<StoredIdentity>,
}

/// Mutable state behind one lock (never held across an await).
pub(crate) struct Inner {
    pub acquirer_token: String,
    pub default_branch_id: String,
    pub sessions: HashMap<String, OffsetDateTime>,
    pub branches: Vec<Branch>,
    pub offers: Vec<Offer>,
    pub codes: HashMap<String, ShareCode>,
    pub otps: HashMap<Uuid, String>,
    pub requests: HashMap<(String, String), DocRequest>,
    /// Diia's internal id of the document request made with each barcode (one use per code).
    pub doc_request_ids: HashMap<String, String>,
    /// Deeplink requests by otp.
    pub offer_requests: HashMap<String, OfferRequest>,
    pub person_scripts: HashMap<String, Script>,
    pub deliver_to: Option<String>,
}

impl Inner {
    pub(crate) fn persisted(&self) -> Persisted {
        Persisted {
            acquirer_token: self.acquirer_token.clone(),
            default_branch_id: self.default_branch_id.clone(),
            branches: self.branches.clone(),
            offers: self.offers.clone(),
            identity: None,
        }
    }
}

/// Everything the handlers and background tasks share.
pub(crate) struct Shared {
    pub config: SimConfig,
    pub inner: Mutex<Inner>,
    persist_lock: Mutex<()>,
    pub persons: Vec<Person>,
    pub keys: Keys,
    pub http: reqwest::Client,
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn new(
        config: SimConfig,
        inner: Inner,
        keys: Keys,
        http: reqwest::Client,
        shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Arc<Self> {
        Arc::new(Self {
            config,
            inner: Mutex::new(inner),
            persist_lock: Mutex::new(()),
            persons: crate::persons::test_persons(),
            keys,
            http,
            shutdown,
        })
    }

    /// Locks the state; a poisoned lock is recovered since every mutation is a single step.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes branches/offers/token and the identity to the state file, if one is configured.
    pub(crate) fn persist(&self) -> Result<(), SimError> {
        let Some(path) = &self.config.state_file else { return Ok(()) };
        // Serialise writers so a later snapshot never lands before an earlier one.
        let _guard = self.persist_lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut snapshot = self.lock().persisted();
        snapshot.identity = Some(self.keys.stored.clone());
        write_atomic(path, &snapshot)
    }

    /// Finds a document and its holder.
    pub(crate) fn find_document(
        &self,
        doc_id: &str,
    ) -> Option<(&Person, &crate::persons::Document)> {
        self.persons
            .iter()
            .find_map(|p| p.documents.iter().find(|d| d.id == doc_id).map(|d| (p, d)))
    }
}

/// Writes JSON to a temp file beside `path`, syncs it and renames it over `path`.
pub(crate) fn write_atomic(path: &Path, value: &Persisted) -> Result<(), SimError> {
    use std::io::Write;
    let json = serde_json::to_vec_pretty(value)
        .map_err(|e| SimError::State(format!("cannot serialise state: {e}")))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", Uuid::new_v4().simple()));
    let result = (|| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The file holds the simulator's private keys: owner-only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(SimError::State(format!("cannot write state file: {e}")));
    }
    Ok(())
}

/// Reads a state file; `Ok(None)` when it does not exist.
pub(crate) fn read_state(path: &Path) -> Result<Option<Persisted>, SimError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| SimError::State(format!("state file is not valid: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SimError::State(format!("cannot read state file: {e}"))),
    }
}

/// A random opaque id of `bytes` random bytes in lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// The branch created at first start: every sharing type and every validation type allowed.
pub(crate) fn default_branch() -> Branch {
    let all: Vec<String> = crate::persons::SHARING_TYPES.iter().map(|s| s.to_string()).collect();
    Branch {
        id: random_hex(32),
        name: "Відділення №1 (симулятор)".into(),
        email: "branch1@example.com".into(),
        region: "Київська обл.".into(),
        district: "Бучанський р-н".into(),
        location: "м. Ірпінь".into(),
        street: "вул. Університетська".into(),
        house: "2/1".into(),
        custom_full_name: Some("Тестовий партнер Вікно".into()),
        custom_full_address: None,
        delivery_types: vec!["api".into()],
        offer_request_type: "dynamic".into(),
        scopes: Scopes {
            sharing: all.clone(),
            identification: vec![],
            document_identification: all,
            diia_id: None,
        },
    }
}
