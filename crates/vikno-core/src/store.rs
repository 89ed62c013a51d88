//! The document store: one SQLite database (WAL, foreign keys, synchronous=FULL, versioned
//! migrations) holding requests and their status history, deliveries, documents, deliveries for
//! unknown trace ids, settings and the audit log.
//!
//! Document contents (PDF, file name, metadata JSON) are encrypted per document, see
//! [`crate::fieldcrypt`] for the design and why it was chosen over SQLCipher. Only non-personal
//! columns (ids, document type, purpose, times, status, sizes) are stored in clear. Every change
//! and its audit entry commit in one transaction; with synchronous=FULL a commit that returned is
//! on disk, which is what the receiver waits for before acknowledging a delivery.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use zeroize::Zeroizing;

use crate::audit::{self, AuditContext, AuditEntry, AuditEvent, ChainReport, NewEntry};
use crate::fieldcrypt::{FieldCryptoError, SecretKey, field_aad};
use crate::secrets::{SecretError, SecretStore, names};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "vikno.sqlite3";
/// Purpose recorded for documents of deliveries whose trace id matched no request.
pub const UNMATCHED_PURPOSE: &str = "unmatched-delivery";
const UNMATCHED_GROUND: &str = "none (unmatched delivery, kept for a supervisor)";

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (the message never contains row values: all values are bound parameters).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data directory could not be created or read.
    #[error("data directory error: {0}")]
    Io(#[from] std::io::Error),
    /// The keychain failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// Field encryption failed (a wrong master key or tampered ciphertext).
    #[error(transparent)]
    Crypto(#[from] FieldCryptoError),
    /// The store exists but its master key is not in the keychain.
    #[error("master key of store {0} is not in the keychain")]
    MasterKeyMissing(String),
    /// The master key given does not open this store.
    #[error("master key does not match store {0}")]
    MasterKeyMismatch(String),
    /// The database was written by a newer Vikno.
    #[error("database schema version {0} is newer than this program supports ({1})")]
    SchemaTooNew(i64, i64),
    /// No such row.
    #[error("{0} {1} not found")]
    NotFound(&'static str, String),
    /// The caller's input was refused.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// A stored value does not decode (corruption).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// A thread panicked while holding the connection.
    #[error("store connection poisoned")]
    Poisoned,
}

/// Where the store's master key comes from.
pub enum MasterKeySource<'a> {
    /// The keychain: the key is created there for a new store and read from it afterwards.
    Secrets(&'a dyn SecretStore),
    /// A key given directly (headless servers and tests: `--master-key-env`).
    Fixed(SecretKey),
}

/// The status of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Sent to Diia, waiting for the customer and the delivery.
    Pending,
    /// A verified delivery was stored.
    Delivered,
    /// Diia or the network refused the request.
    Failed,
    /// The clerk cancelled.
    Cancelled,
    /// Nothing arrived in time.
    Expired,
}

impl RequestStatus {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "pending" => Self::Pending,
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            "expired" => Self::Expired,
            other => return Err(StoreError::Corrupt(format!("request status {other:?}"))),
        })
    }
}

/// A new request to record (after Diia accepted it).
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The request id sent to Diia; Diia echoes it as `X-Document-Request-Trace-Id`.
    pub id: String,
    /// Purpose code (retention is configured per purpose).
    pub purpose: String,
    /// Legal ground (Law 2297-VI Art. 11), e.g. `consent` or `contract`.
    pub legal_ground: String,
    /// Document type ids requested.
    pub document_types: Vec<String>,
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// Request id (= Diia trace id).
    pub id: String,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Purpose code.
    pub purpose: String,
    /// Legal ground.
    pub legal_ground: String,
    /// Document types requested.
    pub document_types: Vec<String>,
    /// Current status.
    pub status: RequestStatus,
    /// Who created it.
    pub context: AuditContext,
}

/// One entry of a request's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// New status.
    pub status: RequestStatus,
    /// Non-personal detail (an error code, a delivery id).
    pub detail: Option<String>,
}

/// One opened, verified document of a delivery, ready to store.
#[derive(Debug, Clone)]
pub struct IncomingDocument {
    /// Document type id (`internal-passport`, ...).
    pub doc_type: String,
    /// File name as sent by Diia.
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// An opened, verified delivery, ready to store.
#[derive(Debug, Clone)]
pub struct IncomingDelivery {
    /// `X-Document-Request-Trace-Id`.
    pub trace_id: String,
    /// `barcode` or `deeplink`.
    pub layout: String,
    /// The documents.
    pub documents: Vec<IncomingDocument>,
    /// The decoded metadata JSON (UTF-8), stored with every document of the delivery.
    pub metadata: Vec<u8>,
    /// Serial (hex) of the certificate that signed the parts (Diia's seal, not personal).
    pub signer_serial: String,
    /// Subject of that certificate (Diia's seal, not personal).
    pub signer_subject: String,
    /// Signing time the metadata signature carries, if any.
    pub signing_time: Option<OffsetDateTime>,
    /// Subject of the configured trusted certificate the signer was verified against.
    pub trust_anchor: String,
    /// When it arrived (and was verified).
    pub received_at: OffsetDateTime,
}

impl IncomingDelivery {
    /// Hash identifying the delivered content regardless of envelope randomness: SHA-256 over the
    /// layout, each document's type, name and PDF, and the metadata, length-prefixed.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut put = |b: &[u8]| {
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        };
        put(self.layout.as_bytes());
        let mut docs: Vec<&IncomingDocument> = self.documents.iter().collect();
        docs.sort_by(|a, b| (&a.doc_type, &a.file_name).cmp(&(&b.doc_type, &b.file_name)));
        for d in docs {
            put(d.doc_type.as_bytes());
            put(d.file_name.as_bytes());
            put(&d.pdf);
        }
        put(&self.metadata);
        hex::encode(&h.finalize()[..])
    }
}

/// What storing a delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOutcome {
    /// Newly stored.
    Stored(DeliveryEvent),
    /// The same content for the same trace id was already stored; nothing changed.
    Duplicate {
        /// The existing delivery's id.
        delivery_id: i64,
    },
}

/// Broadcast after a delivery is durably stored, so the clerk's screen updates at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryEvent {
    /// Delivery row id.
    pub delivery_id: i64,
    /// The trace id it arrived with.
    pub trace_id: String,
    /// The matching request, or `None` when kept as an unknown delivery.
    pub request_id: Option<String>,
    /// Stored document ids.
    pub document_ids: Vec<String>,
}

/// A document as listed (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// Request id, `None` for an unmatched delivery.
    pub request_id: Option<String>,
    /// Delivery row id.
    pub delivery_id: i64,
    /// Trace id of the delivery.
    pub trace_id: String,
    /// Document type id.
    pub doc_type: String,
    /// Purpose code (from the request).
    pub purpose: String,
    /// Arrival time.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// PDF size in bytes.
    pub pdf_size: u64,
    /// Purge is blocked while set.
    pub legal_hold: bool,
}

/// A decrypted document.
#[derive(Clone)]
pub struct Document {
    /// Listing fields.
    pub summary: DocumentSummary,
    /// File name as sent by Diia.
    pub file_name: String,
    /// The PDF (wiped from memory on drop).
    pub pdf: Zeroizing<Vec<u8>>,
    /// Metadata JSON as delivered (wiped from memory on drop).
    pub metadata: Zeroizing<Vec<u8>>,
    /// How the delivery was verified (the clerk's badge).
    pub verification: Verification,
}

/// How a stored delivery was verified: Diia's seal and the configured trust anchor, never
/// personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Subject of the signing certificate.
    pub signer_subject: String,
    /// Its serial number, hex.
    pub signer_serial: String,
    /// The signing time the signature carries.
    #[serde(with = "time::serde::rfc3339::option")]
    pub signing_time: Option<OffsetDateTime>,
    /// Subject of the trusted certificate it chained to.
    pub trust_anchor: String,
    /// When the receiver verified and stored it.
    #[serde(with = "time::serde::rfc3339")]
    pub verified_at: OffsetDateTime,
}

/// Filter for [`Store::list_requests`]; every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    /// Substring of the request id, purpose or a document type (no personal data is searchable).
    pub text: Option<String>,
    /// Only requests in this status.
    pub status: Option<RequestStatus>,
    /// Created at or after.
    pub from: Option<OffsetDateTime>,
    /// Created before.
    pub to: Option<OffsetDateTime>,
    /// At most this many, newest first (default 200).
    pub limit: Option<u32>,
}

/// A request as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestOverview {
    /// The request.
    pub request: RequestRecord,
    /// Detail of the latest status change (an error code for failures).
    pub last_detail: Option<String>,
    /// Stored documents `(id, doc_type)`, oldest first; empty once purged.
    pub documents: Vec<(String, String)>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print personal data.
        f.debug_struct("Document").field("summary", &self.summary).finish_non_exhaustive()
    }
}

/// How a document is being accessed (each is a different audit event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentAccess {
    /// Shown on screen.
    View,
    /// Printed.
    Print,
    /// Exported to a file or another system.
    Export,
}

/// A delivery kept because its trace id matched no request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownDelivery {
    /// Delivery row id.
    pub delivery_id: i64,
    /// The unmatched trace id.
    pub trace_id: String,
    /// Arrival time.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// Versioned schema migrations; `PRAGMA user_version` holds how many were applied.
const MIGRATIONS: &[&str] = &[
    // 1: initial schema.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
     CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        legal_ground TEXT NOT NULL,
        document_types TEXT NOT NULL,
        clerk TEXT NOT NULL,
        workstation TEXT NOT NULL,
        branch TEXT NOT NULL,
        status TEXT NOT NULL,
        updated_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE request_status_history (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        status TEXT NOT NULL,
        detail TEXT
     ) STRICT;
     CREATE INDEX request_status_history_request ON request_status_history(request_id);
     CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        trace_id TEXT NOT NULL,
        request_id TEXT REFERENCES requests(id),
        content_hash TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        layout TEXT NOT NULL,
        signer_serial TEXT NOT NULL,
        UNIQUE (trace_id, content_hash)
     ) STRICT;
     CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        request_id TEXT REFERENCES requests(id),
        doc_type TEXT NOT NULL,
        purpose TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        pdf_size INTEGER NOT NULL,
        legal_hold INTEGER NOT NULL DEFAULT 0,
        wrapped_key BLOB NOT NULL,
        file_name BLOB NOT NULL,
        pdf BLOB NOT NULL,
        metadata BLOB NOT NULL
     ) STRICT;
     CREATE INDEX documents_delivery ON documents(delivery_id);
     CREATE INDEX documents_request ON documents(request_id);
     CREATE TABLE unknown_deliveries (
        delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
        trace_id TEXT NOT NULL,
        received_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        clerk TEXT NOT NULL,
        workstation TEXT NOT NULL,
        branch TEXT NOT NULL,
        purpose TEXT,
        legal_ground TEXT,
        request_id TEXT,
        document_id TEXT,
        delivery_id INTEGER,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
     ) STRICT;
     CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
     CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    // 2: the verification badge (who signed, when, against which trusted certificate) and the
    // history's newest-first listing.
    "ALTER TABLE deliveries ADD COLUMN signer_subject TEXT NOT NULL DEFAULT '';
     ALTER TABLE deliveries ADD COLUMN signing_time INTEGER;
     ALTER TABLE deliveries ADD COLUMN trust_anchor TEXT NOT NULL DEFAULT '';
     CREATE INDEX requests_created ON requests(created_at);",
];

const KEY_CHECK_AAD: &[u8] = b"vikno/key-check/v1";
const KEY_CHECK_PLAIN: &[u8] = b"vikno store master key";
/// The audit actor the receiver writes as.
pub const RECEIVER_CLERK: &str = "system:receiver";

/// The encrypted document store. Cheap to share behind an `Arc`; all methods are blocking (call
/// them from `spawn_blocking` inside async code).
pub struct Store {
    conn: Mutex<Connection>,
    master: SecretKey,
    store_id: String,
    path: PathBuf,
    events: broadcast::Sender<DeliveryEvent>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("store_id", &self.store_id).field("path", &self.path).finish()
    }
}

pub(crate) fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

pub(crate) fn from_unix(s: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|_| StoreError::Corrupt("timestamp".into()))
}

fn now() -> i64 {
    unix(OffsetDateTime::now_utc())
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Invalid(format!("journal mode {mode} instead of wal")));
    }
    // FULL: a commit that returned has its WAL frames fsynced, so an acknowledged delivery
    // survives power loss, not only a process crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted content is overwritten with zeros, so purge leaves no readable ciphertext or
    // wrapped key in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(StoreError::SchemaTooNew(version, latest));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tracing::info!(version = i + 1, "store schema migrated");
    }
    tx.commit()?;
    Ok(())
}

fn get_setting(tx: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()
}

fn put_setting(tx: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

struct RequestInfo {
    purpose: String,
    legal_ground: String,
}

fn request_info(tx: &Connection, id: &str) -> rusqlite::Result<Option<RequestInfo>> {
    tx.query_row("SELECT purpose, legal_ground FROM requests WHERE id = ?1", [id], |r| {
        Ok(RequestInfo { purpose: r.get(0)?, legal_ground: r.get(1)? })
    })
    .optional()
}

const SUMMARY_COLUMNS: &str = "d.id, d.request_id, d.delivery_id, dl.trace_id, d.doc_type,
    d.purpose, d.received_at, d.pdf_size, d.legal_hold";

fn read_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<(DocumentSummary, i64)> {
    let received: i64 = r.get(6)?;
    Ok((
        DocumentSummary {
            id: r.get(0)?,
            request_id: r.get(1)?,
            delivery_id: r.get(2)?,
            trace_id: r.get(3)?,
            doc_type: r.get(4)?,
            purpose: r.get(5)?,
            received_at: OffsetDateTime::UNIX_EPOCH,
            pdf_size: r.get::<_, i64>(7)?.max(0) as u64,
            legal_hold: r.get::<_, i64>(8)? != 0,
        },
        received,
    ))
}

fn finish_summary(
    (mut s, received): (DocumentSummary, i64),
) -> Result<DocumentSummary, StoreError> {
    s.received_at = from_unix(received)?;
    Ok(s)
}

/// Limits on ids coming from outside (trace ids are echoed by Diia from our request ids).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, migrating its schema and loading the
    /// master key from `keys`.
    pub fn open(data_dir: &Path, keys: MasterKeySource<'_>) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let mut conn = open_connection(&path)?;
        migrate(&mut conn)?;

        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing_id = get_setting(&tx, "store_id")?;
        let key_check = get_setting(&tx, "key_check")?;
        let store_id = existing_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let master = match keys {
            MasterKeySource::Fixed(k) => k,
            MasterKeySource::Secrets(s) => match s.get(&names::store_master_key(&store_id))? {
                Some(hex) => SecretKey::from_hex(&hex)?,
                None if key_check.is_none() => {
                    // New store: the key goes to the keychain before the store that needs it
                    // commits, so a crash in between leaves at worst an unused keychain entry.
                    let k = SecretKey::generate()?;
                    s.set(&names::store_master_key(&store_id), &k.to_hex())?;
                    k
                }
                None => return Err(StoreError::MasterKeyMissing(store_id)),
            },
        };
        match key_check {
            Some(check) => {
                let sealed =
                    hex::decode(check).map_err(|_| StoreError::Corrupt("key check".into()))?;
                let matches = master
                    .open(KEY_CHECK_AAD, &sealed)
                    .is_ok_and(|p| p.as_slice() == KEY_CHECK_PLAIN);
                if !matches {
                    return Err(StoreError::MasterKeyMismatch(store_id));
                }
            }
            None => {
                put_setting(
                    &tx,
                    "key_check",
                    &hex::encode(master.seal(KEY_CHECK_AAD, KEY_CHECK_PLAIN)?),
                )?;
            }
        }
        if existing_id.is_none() {
            put_setting(&tx, "store_id", &store_id)?;
        }
        tx.commit()?;
        let (events, _) = broadcast::channel(256);
        Ok(Store { conn: Mutex::new(conn), master, store_id, path, events })
    }

    /// The store's id (names its master key in the keychain).
    pub fn store_id(&self) -> &str {
        &self.store_id
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Subscribes to "delivery stored" events.
    pub fn subscribe(&self) -> broadcast::Receiver<DeliveryEvent> {
        self.events.subscribe()
    }

    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Records a request sent to Diia (status `pending`, audit `request_sent`).
    pub fn create_request(&self, req: &NewRequest, ctx: &AuditContext) -> Result<(), StoreError> {
        if !valid_id(&req.id) {
            return Err(StoreError::Invalid(
                "request id must be 1-128 chars of [A-Za-z0-9._:-]".into(),
            ));
        }
        if req.purpose.is_empty() || req.legal_ground.is_empty() {
            return Err(StoreError::Invalid("purpose and legal ground are required".into()));
        }
        let types = serde_json::to_string(&req.document_types)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = now();
        tx.execute(
            "INSERT INTO requests (id, created_at, purpose, legal_ground, document_types, clerk,
                workstation, branch, status, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?2)",
            params![
                req.id,
                at,
                req.purpose,
                req.legal_ground,
                types,
                ctx.clerk,
                ctx.workstation,
                ctx.branch
            ],
        )?;
        tx.execute(
            "INSERT INTO request_status_history (request_id, at, status) VALUES (?1, ?2, 'pending')",
            params![req.id, at],
        )?;
        audit::append(
            &tx,
            at,
            AuditEvent::RequestSent,
            ctx,
            &NewEntry {
                purpose: Some(&req.purpose),
                legal_ground: Some(&req.legal_ground),
                request_id: Some(&req.id),
                detail: serde_json::json!({ "document_types": req.document_types }),
                ..NewEntry::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Changes a request's status, with history and audit.
    pub fn set_request_status(
        &self,
        id: &str,
        status: RequestStatus,
        detail: Option<&str>,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        change_status(&tx, id, status, detail, ctx, now())?;
        tx.commit()?;
        Ok(())
    }

    /// A request by id.
    pub fn get_request(&self, id: &str) -> Result<Option<RequestRecord>, StoreError> {
        let conn = self.conn()?;
        let row = conn
            .query_row(
                "SELECT id, created_at, purpose, legal_ground, document_types, status, clerk,
                    workstation, branch FROM requests WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        AuditContext {
                            clerk: r.get(6)?,
                            workstation: r.get(7)?,
                            branch: r.get(8)?,
                        },
                    ))
                },
            )
            .optional()?;
        let Some((id, created, purpose, legal_ground, types, status, context)) = row else {
            return Ok(None);
        };
        Ok(Some(RequestRecord {
            id,
            created_at: from_unix(created)?,
            purpose,
            legal_ground,
            document_types: serde_json::from_str(&types)
                .map_err(|_| StoreError::Corrupt("document types".into()))?,
            status: RequestStatus::parse(&status)?,
            context,
        }))
    }

    /// A request's status history, oldest first.
    pub fn status_history(&self, id: &str) -> Result<Vec<StatusChange>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT at, status, detail FROM request_status_history WHERE request_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?
            .collect::<Result<Vec<(i64, String, Option<String>)>, _>>()?;
        rows.into_iter()
            .map(|(at, s, detail)| {
                Ok(StatusChange { at: from_unix(at)?, status: RequestStatus::parse(&s)?, detail })
            })
            .collect()
    }

    /// True when a delivery with this trace id and content hash is already stored.
    pub fn find_delivery(
        &self,
        trace_id: &str,
        content_hash: &str,
    ) -> Result<Option<i64>, StoreError> {
        let conn = self.conn()?;
        Ok(conn
            .query_row(
                "SELECT id FROM deliveries WHERE trace_id = ?1 AND content_hash = ?2",
                params![trace_id, content_hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Durably stores an opened, verified delivery in one transaction (synchronous=FULL): the
    /// delivery, its encrypted documents, the request's new status and the audit entries; a
    /// delivery whose trace id matches no request is kept in `unknown_deliveries`. Redelivery of
    /// the same content is a no-op. Subscribers are notified after the commit.
    pub fn store_delivery(
        &self,
        d: &IncomingDelivery,
        ctx: &AuditContext,
    ) -> Result<StoreOutcome, StoreError> {
        if !valid_id(&d.trace_id) {
            return Err(StoreError::Invalid(
                "trace id must be 1-128 chars of [A-Za-z0-9._:-]".into(),
            ));
        }
        let hash = d.content_hash();
        // Encrypt before taking the connection: it is the slow part and needs no lock.
        struct Sealed {
            id: String,
            doc_type: String,
            size: i64,
            wrapped: Vec<u8>,
            name: Vec<u8>,
            pdf: Vec<u8>,
            meta: Vec<u8>,
        }
        let mut sealed = Vec::with_capacity(d.documents.len());
        for doc in &d.documents {
            let id = uuid::Uuid::new_v4().to_string();
            let dek = SecretKey::generate()?;
            sealed.push(Sealed {
                wrapped: self.master.wrap(&id, &dek)?,
                name: dek
                    .seal(&field_aad("documents", &id, "file_name"), doc.file_name.as_bytes())?,
                pdf: dek.seal(&field_aad("documents", &id, "pdf"), &doc.pdf)?,
                meta: dek.seal(&field_aad("documents", &id, "metadata"), &d.metadata)?,
                doc_type: doc.doc_type.clone(),
                size: doc.pdf.len() as i64,
                id,
            });
        }
        let at = unix(d.received_at);
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM deliveries WHERE trace_id = ?1 AND content_hash = ?2",
                params![d.trace_id, hash],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(delivery_id) = existing {
            return Ok(StoreOutcome::Duplicate { delivery_id });
        }
        let info = request_info(&tx, &d.trace_id)?;
        let request_id = info.as_ref().map(|_| d.trace_id.as_str());
        let (purpose, ground) = match &info {
            Some(i) => (i.purpose.as_str(), i.legal_ground.as_str()),
            None => (UNMATCHED_PURPOSE, UNMATCHED_GROUND),
        };
        tx.execute(
            "INSERT INTO deliveries (trace_id, request_id, content_hash, received_at, layout,
                signer_serial, signer_subject, signing_time, trust_anchor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                d.trace_id,
                request_id,
                hash,
                at,
                d.layout,
                d.signer_serial,
                d.signer_subject,
                d.signing_time.map(unix),
                d.trust_anchor
            ],
        )?;
        let delivery_id = tx.last_insert_rowid();
        let types: Vec<&str> = d.documents.iter().map(|x| x.doc_type.as_str()).collect();
        let entry = NewEntry {
            purpose: Some(purpose),
            legal_ground: Some(ground),
            request_id,
            delivery_id: Some(delivery_id),
            detail: serde_json::json!({
                "trace_id": d.trace_id,
                "layout": d.layout,
                "document_types": types,
                "content_sha256": hash,
                "matched": info.is_some(),
            }),
            ..NewEntry::default()
        };
        audit::append(&tx, at, AuditEvent::DeliveryReceived, ctx, &entry)?;
        for s in &sealed {
            tx.execute(
                "INSERT INTO documents (id, delivery_id, request_id, doc_type, purpose, received_at,
                    pdf_size, legal_hold, wrapped_key, file_name, pdf, metadata)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11)",
                params![s.id, delivery_id, request_id, s.doc_type, purpose, at, s.size, s.wrapped, s.name, s.pdf, s.meta],
            )?;
        }
        let document_ids: Vec<String> = sealed.iter().map(|s| s.id.clone()).collect();
        audit::append(
            &tx,
            at,
            AuditEvent::DeliveryVerified,
            ctx,
            &NewEntry {
                detail: serde_json::json!({
                    "signer_serial": d.signer_serial,
                    "document_ids": document_ids,
                }),
                ..entry
            },
        )?;
        match request_id {
            Some(rid) => {
                change_status(
                    &tx,
                    rid,
                    RequestStatus::Delivered,
                    Some(&format!("delivery {delivery_id}")),
                    ctx,
                    at,
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO unknown_deliveries (delivery_id, trace_id, received_at) VALUES (?1, ?2, ?3)",
                    params![delivery_id, d.trace_id, at],
                )?;
            }
        }
        tx.commit()?;
        let event = DeliveryEvent {
            delivery_id,
            trace_id: d.trace_id.clone(),
            request_id: request_id.map(str::to_owned),
            document_ids,
        };
        // No subscriber is fine (headless receiver).
        let _ = self.events.send(event.clone());
        Ok(StoreOutcome::Stored(event))
    }

    /// Records that a delivery for a known request was refused (audit `delivery_rejected`);
    /// deliveries for unknown trace ids are only logged, so junk posts cannot grow the audit log.
    pub fn record_rejection(
        &self,
        trace_id: &str,
        code: &str,
        ctx: &AuditContext,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(info) = request_info(&tx, trace_id)? else {
            return Ok(false);
        };
        audit::append(
            &tx,
            now(),
            AuditEvent::DeliveryRejected,
            ctx,
            &NewEntry {
                purpose: Some(&info.purpose),
                legal_ground: Some(&info.legal_ground),
                request_id: Some(trace_id),
                detail: serde_json::json!({ "code": code }),
                ..NewEntry::default()
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Lists stored documents (audited as `documents_listed`).
    pub fn list_documents(&self, ctx: &AuditContext) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rows = {
            let mut stmt = tx.prepare(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM documents d JOIN deliveries dl ON dl.id = d.delivery_id
                 ORDER BY d.received_at, d.id"
            ))?;
            stmt.query_map([], read_summary)?.collect::<Result<Vec<_>, _>>()?
        };
        let docs = rows.into_iter().map(finish_summary).collect::<Result<Vec<_>, _>>()?;
        audit::append(
            &tx,
            now(),
            AuditEvent::DocumentsListed,
            ctx,
            &NewEntry { detail: serde_json::json!({ "count": docs.len() }), ..NewEntry::default() },
        )?;
        tx.commit()?;
        Ok(docs)
    }

    /// Decrypts a document for `access`; the audit entry commits before any content is returned.
    pub fn read_document(
        &self,
        id: &str,
        access: DocumentAccess,
        ctx: &AuditContext,
    ) -> Result<Document, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = tx
            .query_row(
                &format!(
                    "SELECT {SUMMARY_COLUMNS}, d.wrapped_key, d.file_name, d.pdf, d.metadata,
                        dl.signer_subject, dl.signer_serial, dl.signing_time, dl.trust_anchor
                     FROM documents d JOIN deliveries dl ON dl.id = d.delivery_id WHERE d.id = ?1"
                ),
                [id],
                |r| {
                    Ok((
                        read_summary(r)?,
                        r.get::<_, Vec<u8>>(9)?,
                        r.get::<_, Vec<u8>>(10)?,
                        r.get::<_, Vec<u8>>(11)?,
                        r.get::<_, Vec<u8>>(12)?,
                        (
                            r.get::<_, String>(13)?,
                            r.get::<_, String>(14)?,
                            r.get::<_, Option<i64>>(15)?,
                            r.get::<_, String>(16)?,
                        ),
                    ))
                },
            )
            .optional()?;
        let Some((summary, wrapped, name, pdf, meta, (subject, serial, signed, anchor))) = row
        else {
            return Err(StoreError::NotFound("document", id.to_owned()));
        };
        let summary = finish_summary(summary)?;
        let dek = self.master.unwrap_key(id, &wrapped)?;
        let file_name = dek.open(&field_aad("documents", id, "file_name"), &name)?;
        let file_name = String::from_utf8(file_name.to_vec())
            .map_err(|_| StoreError::Corrupt("file name".into()))?;
        let pdf = dek.open(&field_aad("documents", id, "pdf"), &pdf)?;
        let metadata = dek.open(&field_aad("documents", id, "metadata"), &meta)?;
        let event = match access {
            DocumentAccess::View => AuditEvent::DocumentViewed,
            DocumentAccess::Print => AuditEvent::DocumentPrinted,
            DocumentAccess::Export => AuditEvent::DocumentExported,
        };
        document_audit(
            &tx,
            event,
            ctx,
            &summary,
            serde_json::json!({ "doc_type": summary.doc_type }),
        )?;
        tx.commit()?;
        let verification = Verification {
            signer_subject: subject,
            signer_serial: serial,
            signing_time: signed.map(from_unix).transpose()?,
            trust_anchor: anchor,
            verified_at: summary.received_at,
        };
        Ok(Document { summary, file_name, pdf, metadata, verification })
    }

    /// Records that a clerk copied metadata field `field` (its name, not its value) of a document.
    pub fn record_field_copied(
        &self,
        document_id: &str,
        field: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let summary = summary_of(&tx, document_id)?;
        document_audit(
            &tx,
            AuditEvent::FieldCopied,
            ctx,
            &summary,
            serde_json::json!({ "field": field }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets or lifts the legal hold on a document (a held document is never purged).
    pub fn set_legal_hold(
        &self,
        document_id: &str,
        hold: bool,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let summary = summary_of(&tx, document_id)?;
        tx.execute(
            "UPDATE documents SET legal_hold = ?2 WHERE id = ?1",
            params![document_id, hold as i64],
        )?;
        document_audit(
            &tx,
            AuditEvent::LegalHoldChanged,
            ctx,
            &summary,
            serde_json::json!({ "hold": hold }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Requests for the history screen, newest first, with their stored documents. Lists no
    /// personal data (types, ids, purposes, statuses), so it is not audited as a document access.
    pub fn list_requests(&self, q: &RequestQuery) -> Result<Vec<RequestOverview>, StoreError> {
        let conn = self.conn()?;
        let mut sql = String::from(
            "SELECT r.id, r.created_at, r.purpose, r.legal_ground, r.document_types, r.status,
                r.clerk, r.workstation, r.branch,
                (SELECT h.detail FROM request_status_history h WHERE h.request_id = r.id
                    ORDER BY h.id DESC LIMIT 1)
             FROM requests r WHERE 1 = 1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // LIKE wildcards in the clerk's text are matched literally.
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let pattern = format!("%{escaped}%");
            sql.push_str(
                " AND (r.id LIKE ?1 ESCAPE '\\' OR r.purpose LIKE ?1 ESCAPE '\\'
                   OR r.document_types LIKE ?1 ESCAPE '\\'
                   OR EXISTS (SELECT 1 FROM documents d WHERE d.request_id = r.id
                              AND d.doc_type LIKE ?1 ESCAPE '\\'))",
            );
            args.push(pattern.into());
        }
        if let Some(status) = q.status {
            args.push(status.code().to_owned().into());
            sql.push_str(&format!(" AND r.status = ?{}", args.len()));
        }
        if let Some(from) = q.from {
            args.push(unix(from).into());
            sql.push_str(&format!(" AND r.created_at >= ?{}", args.len()));
        }
        if let Some(to) = q.to {
            args.push(unix(to).into());
            sql.push_str(&format!(" AND r.created_at < ?{}", args.len()));
        }
        args.push(i64::from(q.limit.unwrap_or(200).min(5000)).into());
        sql.push_str(&format!(" ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?{}", args.len()));
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    AuditContext { clerk: r.get(6)?, workstation: r.get(7)?, branch: r.get(8)? },
                    r.get::<_, Option<String>>(9)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut docs = conn.prepare(
            "SELECT id, doc_type FROM documents WHERE request_id = ?1 ORDER BY received_at, id",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, created, purpose, legal_ground, types, status, context, last_detail) in rows {
            let documents = docs
                .query_map([&id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            out.push(RequestOverview {
                request: RequestRecord {
                    created_at: from_unix(created)?,
                    purpose,
                    legal_ground,
                    document_types: serde_json::from_str(&types)
                        .map_err(|_| StoreError::Corrupt("document types".into()))?,
                    status: RequestStatus::parse(&status)?,
                    context,
                    id,
                },
                last_detail,
                documents,
            });
        }
        Ok(out)
    }

    /// Stored documents of a request, `(id, doc_type)`, oldest first.
    pub fn request_documents(&self, request_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT id, doc_type FROM documents WHERE request_id = ?1 ORDER BY received_at, id",
        )?;
        let rows = stmt
            .query_map([request_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Records a validity check and its outcome code (audit `validation_checked`). The code
    /// itself is not kept: it is the customer's, and useless once answered.
    pub fn record_validation(
        &self,
        outcome: &str,
        age: Option<u8>,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(
            &tx,
            now(),
            AuditEvent::ValidationChecked,
            ctx,
            &NewEntry {
                detail: serde_json::json!({ "outcome": outcome, "age": age }),
                ..NewEntry::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Deliveries kept because their trace id matched no request.
    pub fn unknown_deliveries(&self) -> Result<Vec<UnknownDelivery>, StoreError> {
        let conn = self.conn()?;
        let mut stmt =
            conn.prepare("SELECT delivery_id, trace_id, received_at FROM unknown_deliveries ORDER BY delivery_id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(delivery_id, trace_id, at)| {
                Ok(UnknownDelivery { delivery_id, trace_id, received_at: from_unix(at)? })
            })
            .collect()
    }

    /// Counts of rows per table (for tests and status screens).
    pub fn counts(&self) -> Result<StoreCounts, StoreError> {
        let conn = self.conn()?;
        let c = |t: &str| -> Result<u64, StoreError> {
            Ok(conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0))?
                .max(0) as u64)
        };
        Ok(StoreCounts {
            requests: c("requests")?,
            deliveries: c("deliveries")?,
            documents: c("documents")?,
            unknown_deliveries: c("unknown_deliveries")?,
            audit_entries: c("audit_log")?,
        })
    }

    /// Verifies the audit chain and reports the first broken link.
    pub fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        let conn = self.conn()?;
        Ok(audit::verify(&conn)?)
    }

    /// All audit entries, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&format!("{} ORDER BY seq", audit::SELECT_ENTRIES))?;
        Ok(stmt.query_map([], audit::read_entry)?.collect::<Result<Vec<_>, _>>()?)
    }
}

/// Row counts of the store's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StoreCounts {
    /// Requests.
    pub requests: u64,
    /// Deliveries (matched and unmatched).
    pub deliveries: u64,
    /// Documents.
    pub documents: u64,
    /// Unmatched deliveries.
    pub unknown_deliveries: u64,
    /// Audit entries.
    pub audit_entries: u64,
}

fn summary_of(tx: &Transaction<'_>, id: &str) -> Result<DocumentSummary, StoreError> {
    let row = tx
        .query_row(
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM documents d JOIN deliveries dl ON dl.id = d.delivery_id
                 WHERE d.id = ?1"
            ),
            [id],
            read_summary,
        )
        .optional()?;
    finish_summary(row.ok_or_else(|| StoreError::NotFound("document", id.to_owned()))?)
}

fn document_audit(
    tx: &Transaction<'_>,
    event: AuditEvent,
    ctx: &AuditContext,
    s: &DocumentSummary,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    let info = match &s.request_id {
        Some(r) => request_info(tx, r)?,
        None => None,
    };
    audit::append(
        tx,
        now(),
        event,
        ctx,
        &NewEntry {
            purpose: Some(info.as_ref().map_or(s.purpose.as_str(), |i| i.purpose.as_str())),
            legal_ground: Some(info.as_ref().map_or(UNMATCHED_GROUND, |i| i.legal_ground.as_str())),
            request_id: s.request_id.as_deref(),
            document_id: Some(&s.id),
            delivery_id: Some(s.delivery_id),
            detail,
        },
    )?;
    Ok(())
}

fn change_status(
    tx: &Transaction<'_>,
    id: &str,
    status: RequestStatus,
    detail: Option<&str>,
    ctx: &AuditContext,
    at: i64,
) -> Result<(), StoreError> {
    let info =
        request_info(tx, id)?.ok_or_else(|| StoreError::NotFound("request", id.to_owned()))?;
    let old: String =
        tx.query_row("SELECT status FROM requests WHERE id = ?1", [id], |r| r.get(0))?;
    tx.execute(
        "UPDATE requests SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.code(), at],
    )?;
    tx.execute(
        "INSERT INTO request_status_history (request_id, at, status, detail) VALUES (?1, ?2, ?3, ?4)",
        params![id, at, status.code(), detail],
    )?;
    audit::append(
        tx,
        at,
        AuditEvent::StatusChanged,
        ctx,
        &NewEntry {
            purpose: Some(&info.purpose),
            legal_ground: Some(&info.legal_ground),
            request_id: Some(id),
            detail: serde_json::json!({ "from": old, "to": status.code(), "detail": detail }),
            ..NewEntry::default()
        },
    )?;
    Ok(())
}
