//! Store, audit chain and retention against a real SQLite database in a temp dir.

use rusqlite::Connection;
use time::{Duration, OffsetDateTime};
use vikno_core::{
    BreakKind, DocumentAccess, IncomingDelivery, IncomingDocument, MasterKeySource,
    MemorySecretStore, NewRequest, RetentionPolicy, SecretKey, Store, StoreError, StoreOutcome,
};

use crate::common::*;

fn request(store: &Store, id: &str, purpose: &str) {
    store
        .create_request(
            &NewRequest {
                id: id.to_owned(),
                purpose: purpose.to_owned(),
                legal_ground: "consent".to_owned(),
                document_types: vec!["internal-passport".to_owned()],
            },
            &ctx(),
        )
        .expect("request");
}

fn delivery(trace: &str, pdf: &[u8], at: OffsetDateTime) -> IncomingDelivery {
    IncomingDelivery {
        trace_id: trace.to_owned(),
        layout: "barcode".to_owned(),
        documents: vec![IncomingDocument {
            doc_type: "internal-passport".to_owned(),
            file_name: format!("internal-passport-{trace}.pdf"),
            pdf: pdf.to_vec(),
        }],
        metadata: br#"{"documentTypes":["internal-passport"]}"#.to_vec(),
        signer_serial: "5B63".to_owned(),
        signer_subject: "Diia test seal".to_owned(),
        signing_time: Some(at),
        trust_anchor: "Diia test seal".to_owned(),
        received_at: at,
    }
}

fn stored_doc(store: &Store, d: &IncomingDelivery) -> String {
    match store.store_delivery(d, &ctx()).expect("store") {
        StoreOutcome::Stored(ev) => ev.document_ids[0].clone(),
        StoreOutcome::Duplicate { .. } => panic!("unexpected duplicate"),
    }
}

#[test]
fn master_key_from_secret_store_and_mismatch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = MemorySecretStore::new();
    let id = {
        let s = Store::open(dir.path(), MasterKeySource::Secrets(&secrets)).expect("create");
        request(&s, "r1", "kyc");
        stored_doc(&s, &delivery("r1", b"%PDF-1.4 one", OffsetDateTime::now_utc()));
        s.store_id().to_owned()
    };
    // Same keychain: opens and decrypts.
    let s = Store::open(dir.path(), MasterKeySource::Secrets(&secrets)).expect("reopen");
    let docs = s.list_documents(&ctx()).expect("list");
    let doc = s.read_document(&docs[0].id, DocumentAccess::Print, &ctx()).expect("read");
    assert_eq!(doc.pdf.as_slice(), b"%PDF-1.4 one");
    drop(s);
    // Empty keychain: the key is missing, not silently replaced.
    let empty = MemorySecretStore::new();
    assert!(matches!(
        Store::open(dir.path(), MasterKeySource::Secrets(&empty)),
        Err(StoreError::MasterKeyMissing(x)) if x == id
    ));
    // A wrong key is refused.
    let wrong = SecretKey::generate().expect("rng");
    assert!(matches!(
        Store::open(dir.path(), MasterKeySource::Fixed(wrong)),
        Err(StoreError::MasterKeyMismatch(_))
    ));
}

#[test]
fn requests_have_status_history_and_audit_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open_store(dir.path());
    request(&s, "r-hist", "sim-card");
    s.set_request_status(
        "r-hist",
        vikno_core::RequestStatus::Cancelled,
        Some("clerk cancelled"),
        &ctx(),
    )
    .expect("status");
    let hist = s.status_history("r-hist").expect("history");
    assert_eq!(hist.len(), 2);
    assert_eq!(hist[1].status, vikno_core::RequestStatus::Cancelled);
    assert!(
        s.create_request(
            &NewRequest {
                id: "bad id!".into(),
                purpose: "x".into(),
                legal_ground: "y".into(),
                document_types: vec![]
            },
            &ctx()
        )
        .is_err()
    );
    let entries = s.audit_entries().expect("entries");
    let events: Vec<&str> = entries.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["request_sent", "status_changed"]);
    for e in &entries {
        assert_eq!(
            (e.clerk.as_str(), e.workstation.as_str(), e.branch.as_str()),
            ("clerk-7", "ws-12", "branch-3")
        );
        assert_eq!(e.purpose.as_deref(), Some("sim-card"));
        assert_eq!(e.legal_ground.as_deref(), Some("consent"));
    }
    // Field copy and legal hold are audited too.
    let doc = stored_doc(&s, &delivery("r-hist", b"%PDF-x", OffsetDateTime::now_utc()));
    s.record_field_copied(&doc, "docNumber", &ctx()).expect("copy");
    let last = s.audit_entries().expect("entries").pop().expect("entry");
    assert_eq!(last.event, "field_copied");
    assert!(last.detail.contains("docNumber"));
    assert!(s.verify_audit_chain().expect("verify").is_intact());
}

fn raw(store: &Store) -> Connection {
    let c = Connection::open(store.path()).expect("raw open");
    c.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )
    .expect("drop triggers");
    c
}

fn store_with_entries(dir: &std::path::Path) -> std::sync::Arc<Store> {
    let s = open_store(dir);
    for i in 0..5 {
        request(&s, &format!("r{i}"), "kyc");
    }
    assert_eq!(s.verify_audit_chain().expect("verify").entries, 5);
    s
}

#[test]
fn audit_log_refuses_update_and_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store_with_entries(dir.path());
    let c = Connection::open(s.path()).expect("raw");
    assert!(c.execute("UPDATE audit_log SET clerk = 'x' WHERE seq = 2", []).is_err());
    assert!(c.execute("DELETE FROM audit_log WHERE seq = 2", []).is_err());
    assert!(s.verify_audit_chain().expect("verify").is_intact());
}

#[test]
fn audit_chain_reports_first_broken_link() {
    type Tamper = (&'static str, &'static str, i64, BreakKind);
    let cases: [Tamper; 5] = [
        (
            "edit clerk",
            "UPDATE audit_log SET clerk = 'mallory' WHERE seq = 3",
            3,
            BreakKind::Altered,
        ),
        ("edit detail", "UPDATE audit_log SET detail = '{}' WHERE seq = 2", 2, BreakKind::Altered),
        (
            "edit prev hash",
            "UPDATE audit_log SET prev_hash = hash WHERE seq = 4",
            4,
            BreakKind::PrevHashMismatch,
        ),
        ("delete middle", "DELETE FROM audit_log WHERE seq = 3", 3, BreakKind::Missing),
        ("delete tail", "DELETE FROM audit_log WHERE seq = 5", 5, BreakKind::TruncatedTail),
    ];
    for (name, sql, seq, kind) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = store_with_entries(dir.path());
        raw(&s).execute(sql, []).expect(name);
        let report = s.verify_audit_chain().expect("verify");
        let broken = report.first_broken.expect(name);
        assert_eq!((broken.seq, broken.kind), (seq, kind), "{name}");
    }
}

#[test]
fn retention_purges_expired_keeps_held_and_chains_receipts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open_store(dir.path());
    let now = OffsetDateTime::now_utc();
    request(&s, "short", "sim-card");
    request(&s, "long", "kyc");
    request(&s, "held", "sim-card");
    let old = now - Duration::days(40);
    let d_short = stored_doc(&s, &delivery("short", b"%PDF-short", old));
    let d_long = stored_doc(&s, &delivery("long", b"%PDF-long", old));
    let d_held = stored_doc(&s, &delivery("held", b"%PDF-held", old));
    let d_unknown = stored_doc(&s, &delivery("stray", b"%PDF-stray", old));
    let d_fresh = stored_doc(&s, &delivery("short", b"%PDF-fresh", now));
    s.set_legal_hold(&d_held, true, &ctx()).expect("hold");
    let policy: RetentionPolicy = serde_json::from_value(serde_json::json!({
        "purposes": { "sim-card": 30, "kyc": 1825, "unmatched-delivery": 14 }
    }))
    .expect("policy");

    let receipt = s.purge(now, &policy, &ctx()).expect("purge");
    let mut purged = receipt.purged.clone();
    purged.sort();
    let mut want = vec![d_short.clone(), d_unknown.clone()];
    want.sort();
    assert_eq!(purged, want);
    assert_eq!(receipt.held, vec![d_held.clone()]);
    for gone in [&d_short, &d_unknown] {
        assert!(matches!(
            s.read_document(gone, DocumentAccess::View, &ctx()),
            Err(StoreError::NotFound(..))
        ));
    }
    for kept in [&d_long, &d_held, &d_fresh] {
        s.read_document(kept, DocumentAccess::View, &ctx()).expect("kept");
    }
    assert!(s.unknown_deliveries().expect("unknown").is_empty());
    let seq = receipt.audit_seq.expect("receipt in audit");
    let entries = s.audit_entries().expect("entries");
    let receipt_entry = entries.iter().find(|e| e.seq == seq).expect("entry");
    assert_eq!(receipt_entry.event, "purge");
    assert!(receipt_entry.detail.contains(&d_short));

    // Lifting the hold lets the next purge take it; the second receipt chains on the first.
    s.set_legal_hold(&d_held, false, &ctx()).expect("unhold");
    let second = s.purge(now, &policy, &ctx()).expect("purge");
    assert_eq!(second.purged, vec![d_held.clone()]);
    assert!(second.audit_seq.expect("seq") > seq);
    let report = s.verify_audit_chain().expect("verify");
    assert!(report.is_intact(), "{report:?}");
    // Purged ciphertext is gone from the database file (secure_delete + WAL truncate).
    drop(s);
    let db = std::fs::read(dir.path().join(vikno_core::store::DB_FILE)).expect("db");
    let c = Connection::open(dir.path().join(vikno_core::store::DB_FILE)).expect("raw");
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM documents WHERE id IN (?1, ?2, ?3)",
            [&d_short, &d_unknown, &d_held],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(n, 0);
    assert!(!db.is_empty());
}
