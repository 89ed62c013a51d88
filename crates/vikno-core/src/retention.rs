//! Retention: a storage period per purpose from configuration, and the purge that deletes
//! expired documents irreversibly and writes a purge receipt to the audit log.
//!
//! Expiry is computed at purge time from the document's arrival and the policy in force, so a
//! changed policy applies to documents already stored. Documents whose purpose has no period and
//! no default are kept (and counted in the receipt): deleting on a guess is worse than keeping,
//! because sector rules (AML law 361-IX) may require keeping copies for years.

use std::collections::BTreeMap;

use rusqlite::TransactionBehavior;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audit::{self, AuditContext, AuditEvent, NewEntry};
use crate::store::{Store, StoreError, unix};

/// Storage periods, in days, per purpose code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// Days to keep documents of each purpose.
    #[serde(default)]
    pub purposes: BTreeMap<String, u32>,
    /// Days for purposes not listed; `None` keeps them.
    #[serde(default)]
    pub default_days: Option<u32>,
}

impl RetentionPolicy {
    /// The period for `purpose`, if any.
    pub fn days_for(&self, purpose: &str) -> Option<u32> {
        self.purposes.get(purpose).copied().or(self.default_days)
    }
}

/// What a purge did (also written, as ids only, into the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReceipt {
    /// Ids of purged documents.
    pub purged: Vec<String>,
    /// Ids of expired documents kept because of a legal hold.
    pub held: Vec<String>,
    /// Documents kept because their purpose has no retention period.
    pub unconfigured: u64,
    /// Audit sequence number of the receipt, `None` when nothing was due.
    pub audit_seq: Option<i64>,
}

impl Store {
    /// Deletes every document expired at `now` under `policy` and not on legal hold, with its
    /// wrapped key (crypto-shredding), then deliveries left without documents; writes the receipt
    /// to the audit log in the same transaction. Afterwards checkpoints and truncates the WAL so
    /// no deleted page lingers there (`secure_delete` already zeroes the freed pages).
    pub fn purge(
        &self,
        now: OffsetDateTime,
        policy: &RetentionPolicy,
        ctx: &AuditContext,
    ) -> Result<PurgeReceipt, StoreError> {
        let now_s = unix(now);
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rows = {
            let mut stmt = tx.prepare(
                "SELECT id, purpose, received_at, legal_hold FROM documents ORDER BY received_at, id",
            )?;
            stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)? != 0,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?
        };
        let mut receipt =
            PurgeReceipt { purged: Vec::new(), held: Vec::new(), unconfigured: 0, audit_seq: None };
        let mut by_purpose: BTreeMap<String, u64> = BTreeMap::new();
        for (id, purpose, received, hold) in rows {
            let Some(days) = policy.days_for(&purpose) else {
                receipt.unconfigured += 1;
                continue;
            };
            if received.saturating_add(i64::from(days) * 86_400) > now_s {
                continue;
            }
            if hold {
                receipt.held.push(id);
                continue;
            }
            tx.execute("DELETE FROM documents WHERE id = ?1", [&id])?;
            *by_purpose.entry(purpose).or_default() += 1;
            receipt.purged.push(id);
        }
        if !receipt.purged.is_empty() {
            // Deliveries (and unknown-delivery records, by cascade) with nothing left to keep.
            tx.execute(
                "DELETE FROM deliveries WHERE NOT EXISTS
                    (SELECT 1 FROM documents d WHERE d.delivery_id = deliveries.id)",
                [],
            )?;
        }
        if !receipt.purged.is_empty() || !receipt.held.is_empty() {
            let seq = audit::append(
                &tx,
                now_s,
                AuditEvent::Purge,
                ctx,
                &NewEntry {
                    detail: serde_json::json!({
                        "purged": receipt.purged,
                        "purged_by_purpose": by_purpose,
                        "held": receipt.held,
                        "unconfigured": receipt.unconfigured,
                        "policy": policy,
                    }),
                    ..NewEntry::default()
                },
            )?;
            receipt.audit_seq = Some(seq);
        }
        tx.commit()?;
        if !receipt.purged.is_empty() {
            // Best effort: a reader holding an old snapshot can keep the WAL from truncating;
            // the freed pages are zeroed by secure_delete regardless.
            if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
                tracing::warn!(error = %e, "wal checkpoint after purge failed");
            }
        }
        Ok(receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_lookup_and_serde() {
        let p: RetentionPolicy =
            serde_json::from_str(r#"{"purposes":{"kyc":1825,"sim-card":30},"default_days":7}"#)
                .expect("policy json");
        assert_eq!(p.days_for("kyc"), Some(1825));
        assert_eq!(p.days_for("other"), Some(7));
        let keep = RetentionPolicy::default();
        assert_eq!(keep.days_for("kyc"), None);
    }
}
