//! Audit log: append-only, hash-chained entries for every request, delivery and document access.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and a canonical JSON encoding of
//! the entry (fixed field order, including its sequence number), so editing, inserting or deleting
//! any row breaks the chain at that row. SQL triggers refuse UPDATE and DELETE on the table; the
//! chain is what still detects changes made by someone who drops the triggers. The head (last
//! sequence number and hash) is also kept in `settings`, so deleting trailing rows is detected.
//! FIXME: a writer with full database access can rebuild the whole chain; anchoring the head
//! outside the database (printed receipts, a remote log) would close that gap.
//! Entries hold ids, codes and the accountable context only, never personal data.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Who does something, where: recorded on every audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AuditContext {
    /// The clerk's login (or `system:receiver` for the delivery receiver).
    pub clerk: String,
    /// The workstation's name.
    pub workstation: String,
    /// The branch id.
    pub branch: String,
}

impl AuditContext {
    /// A context for the given clerk, workstation and branch.
    pub fn new(clerk: &str, workstation: &str, branch: &str) -> Self {
        Self {
            clerk: clerk.to_owned(),
            workstation: workstation.to_owned(),
            branch: branch.to_owned(),
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEvent {
    /// A document request was sent to Diia.
    RequestSent,
    /// A request's status changed.
    StatusChanged,
    /// A delivery arrived.
    DeliveryReceived,
    /// A delivery's signatures and envelopes verified and it was stored.
    DeliveryVerified,
    /// A delivery for a known request was refused.
    DeliveryRejected,
    /// A clerk or operator listed stored documents.
    DocumentsListed,
    /// A document was shown.
    DocumentViewed,
    /// A document was printed.
    DocumentPrinted,
    /// A document was exported (saved to a file or passed to another system).
    DocumentExported,
    /// A metadata field was copied to the clipboard.
    FieldCopied,
    /// A legal hold was set or lifted.
    LegalHoldChanged,
    /// Expired documents were purged (the purge receipt).
    Purge,
    /// A document's validity was checked (outcome only).
    ValidationChecked,
}

impl AuditEvent {
    /// The stable code stored in the log.
    pub fn code(self) -> &'static str {
        match self {
            Self::RequestSent => "request_sent",
            Self::StatusChanged => "status_changed",
            Self::DeliveryReceived => "delivery_received",
            Self::DeliveryVerified => "delivery_verified",
            Self::DeliveryRejected => "delivery_rejected",
            Self::DocumentsListed => "documents_listed",
            Self::DocumentViewed => "document_viewed",
            Self::DocumentPrinted => "document_printed",
            Self::DocumentExported => "document_exported",
            Self::FieldCopied => "field_copied",
            Self::LegalHoldChanged => "legal_hold_changed",
            Self::Purge => "purge",
            Self::ValidationChecked => "validation_checked",
        }
    }
}

/// One entry to append; sequence, time and hashes are filled in by [`append`].
#[derive(Debug, Clone, Default)]
pub(crate) struct NewEntry<'a> {
    pub(crate) purpose: Option<&'a str>,
    pub(crate) legal_ground: Option<&'a str>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) document_id: Option<&'a str>,
    pub(crate) delivery_id: Option<i64>,
    /// Non-personal JSON detail (codes, counts, ids).
    pub(crate) detail: serde_json::Value,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unix time (UTC seconds).
    pub at: i64,
    /// Event code (see [`AuditEvent::code`]).
    pub event: String,
    /// Clerk.
    pub clerk: String,
    /// Workstation.
    pub workstation: String,
    /// Branch.
    pub branch: String,
    /// Purpose of the request concerned.
    pub purpose: Option<String>,
    /// Legal ground of the request concerned.
    pub legal_ground: Option<String>,
    /// Request id concerned.
    pub request_id: Option<String>,
    /// Document id concerned.
    pub document_id: Option<String>,
    /// Delivery id concerned.
    pub delivery_id: Option<i64>,
    /// Canonical JSON detail.
    pub detail: String,
    /// Hex SHA-256 of the previous entry (zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this entry.
    pub hash: String,
}

#[derive(Serialize)]
struct Canonical<'a> {
    v: u32,
    seq: i64,
    at: i64,
    event: &'a str,
    clerk: &'a str,
    workstation: &'a str,
    branch: &'a str,
    purpose: Option<&'a str>,
    legal_ground: Option<&'a str>,
    request_id: Option<&'a str>,
    document_id: Option<&'a str>,
    delivery_id: Option<i64>,
    detail: &'a str,
}

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit_head";

fn entry_hash(prev_hash: &str, c: &Canonical<'_>) -> String {
    let mut h = Sha256::new();
    // prev_hash is always our own hex; hashing the text form keeps verification independent of
    // how a tampered row's hex might fail to decode.
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    // Serialising a struct of strings and integers cannot fail.
    let canon = serde_json::to_vec(c).unwrap_or_default();
    h.update(&canon);
    hex::encode(&h.finalize()[..])
}

impl AuditEntry {
    fn canonical(&self) -> Canonical<'_> {
        Canonical {
            v: 1,
            seq: self.seq,
            at: self.at,
            event: &self.event,
            clerk: &self.clerk,
            workstation: &self.workstation,
            branch: &self.branch,
            purpose: self.purpose.as_deref(),
            legal_ground: self.legal_ground.as_deref(),
            request_id: self.request_id.as_deref(),
            document_id: self.document_id.as_deref(),
            delivery_id: self.delivery_id,
            detail: &self.detail,
        }
    }
}

/// Appends one entry inside the caller's transaction, so the entry commits with the change it
/// records or not at all.
pub(crate) fn append(
    tx: &Transaction<'_>,
    at: i64,
    event: AuditEvent,
    ctx: &AuditContext,
    e: &NewEntry<'_>,
) -> rusqlite::Result<i64> {
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let detail = e.detail.to_string();
    let mut entry = AuditEntry {
        seq,
        at,
        event: event.code().to_owned(),
        clerk: ctx.clerk.clone(),
        workstation: ctx.workstation.clone(),
        branch: ctx.branch.clone(),
        purpose: e.purpose.map(str::to_owned),
        legal_ground: e.legal_ground.map(str::to_owned),
        request_id: e.request_id.map(str::to_owned),
        document_id: e.document_id.map(str::to_owned),
        delivery_id: e.delivery_id,
        detail,
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry.prev_hash, &entry.canonical());
    tx.execute(
        "INSERT INTO audit_log (seq, at, event, clerk, workstation, branch, purpose, legal_ground,
            request_id, document_id, delivery_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            entry.seq,
            entry.at,
            entry.event,
            entry.clerk,
            entry.workstation,
            entry.branch,
            entry.purpose,
            entry.legal_ground,
            entry.request_id,
            entry.document_id,
            entry.delivery_id,
            entry.detail,
            entry.prev_hash,
            entry.hash
        ],
    )?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![HEAD_KEY, format!("{}:{}", entry.seq, entry.hash)],
    )?;
    Ok(seq)
}

/// Why a link of the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry with this sequence number is missing (deleted).
    Missing,
    /// The entry's `prev_hash` is not the previous entry's hash.
    PrevHashMismatch,
    /// The entry's content does not match its hash (edited).
    Altered,
    /// Entries after this sequence number were deleted (the recorded head is further on).
    TruncatedTail,
}

/// The first broken link of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// Sequence number where the chain breaks.
    pub seq: i64,
    /// What is wrong there.
    pub kind: BreakKind,
}

/// Result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Entries read.
    pub entries: u64,
    /// Hash of the last entry read.
    pub head: String,
    /// The first broken link, if any.
    pub first_broken: Option<BrokenLink>,
}

impl ChainReport {
    /// True when the whole chain verified.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

pub(crate) fn read_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        event: r.get(2)?,
        clerk: r.get(3)?,
        workstation: r.get(4)?,
        branch: r.get(5)?,
        purpose: r.get(6)?,
        legal_ground: r.get(7)?,
        request_id: r.get(8)?,
        document_id: r.get(9)?,
        delivery_id: r.get(10)?,
        detail: r.get(11)?,
        prev_hash: r.get(12)?,
        hash: r.get(13)?,
    })
}

pub(crate) const SELECT_ENTRIES: &str =
    "SELECT seq, at, event, clerk, workstation, branch, purpose,
    legal_ground, request_id, document_id, delivery_id, detail, prev_hash, hash FROM audit_log";

/// Walks the whole chain and reports the first broken link.
pub(crate) fn verify(conn: &rusqlite::Connection) -> rusqlite::Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("{SELECT_ENTRIES} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_owned();
    let mut entries = 0u64;
    let mut first_broken = None;
    while let Some(row) = rows.next()? {
        let e = read_entry(row)?;
        entries += 1;
        if first_broken.is_none() {
            let kind = if e.seq != expected_seq {
                Some((expected_seq, BreakKind::Missing))
            } else if e.prev_hash != prev {
                Some((e.seq, BreakKind::PrevHashMismatch))
            } else if entry_hash(&e.prev_hash, &e.canonical()) != e.hash {
                Some((e.seq, BreakKind::Altered))
            } else {
                None
            };
            if let Some((seq, kind)) = kind {
                first_broken = Some(BrokenLink { seq, kind });
            }
        }
        expected_seq = e.seq + 1;
        prev = e.hash;
    }
    if first_broken.is_none() {
        let head: Option<String> = conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [HEAD_KEY], |r| r.get(0))
            .optional()?;
        let recorded = head.as_deref().and_then(|h| h.split_once(':'));
        match recorded {
            Some((seq, hash)) => {
                let seq: i64 = seq.parse().unwrap_or(-1);
                if seq >= expected_seq {
                    first_broken =
                        Some(BrokenLink { seq: expected_seq, kind: BreakKind::TruncatedTail });
                } else if seq != expected_seq - 1 || hash != prev {
                    first_broken =
                        Some(BrokenLink { seq: expected_seq - 1, kind: BreakKind::Altered });
                }
            }
            None if entries > 0 => {
                first_broken = Some(BrokenLink { seq: 1, kind: BreakKind::TruncatedTail });
            }
            None => {}
        }
    }
    Ok(ChainReport { entries, head: prev, first_broken })
}
