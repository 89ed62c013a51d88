//! The receiver over real HTTP with the real Diia sample delivery, and malformed input.

use std::net::SocketAddr;
use std::sync::Arc;

use ua_crypto::{KeyContainer, testca};
use vikno_core::{DocumentAccess, NewRequest, Receiver, ReceiverConfig, Store, StoreCounts};

use crate::common::*;

async fn post(
    addr: SocketAddr,
    trace: Option<&str>,
    ct: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let client = reqwest::Client::new();
    let mut req =
        client.post(format!("http://{addr}/diia/delivery")).header("content-type", ct).body(body);
    if let Some(t) = trace {
        req = req.header("X-Document-Request-Trace-Id", t);
    }
    let resp = req.send().await.expect("http");
    let status = resp.status().as_u16();
    let json = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, json)
}

fn new_request(store: &Store, id: &str) {
    store
        .create_request(
            &NewRequest {
                id: id.to_owned(),
                purpose: "kyc".to_owned(),
                legal_ground: "contract".to_owned(),
                document_types: vec!["internal-passport".to_owned()],
            },
            &ctx(),
        )
        .expect("request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_sample_is_acknowledged_stored_and_reads_back_byte_equal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_store(dir.path());
    new_request(&store, "req-sample-1");
    let handle =
        Receiver::bind("127.0.0.1:0".parse().expect("addr"), sample_config(), Arc::clone(&store))
            .await
            .expect("bind");
    let mut events = handle.events();
    let body = multipart(&sample_parts());
    let (status, json) =
        post(handle.local_addr(), Some("req-sample-1"), &content_type(), body.clone()).await;
    assert_eq!((status, json.clone()), (200, serde_json::json!({ "success": true })), "{json}");
    let ev = events.try_recv().expect("delivery event");
    assert_eq!(ev.request_id.as_deref(), Some("req-sample-1"));
    assert_eq!(ev.document_ids.len(), 1);

    let docs = store.list_documents(&ctx()).expect("list");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].doc_type, "internal-passport");
    let doc = store.read_document(&docs[0].id, DocumentAccess::View, &ctx()).expect("read");
    assert_eq!(doc.pdf.as_slice(), fixture(PDF_NAME).as_slice(), "pdf byte-equal");
    assert_eq!(doc.file_name, PDF_NAME);
    let meta: serde_json::Value = serde_json::from_slice(&doc.metadata).expect("json");
    let expected: serde_json::Value =
        serde_json::from_slice(&fixture("encodedData.json")).expect("json");
    assert_eq!(meta, expected);
    let req = store.get_request("req-sample-1").expect("get").expect("exists");
    assert_eq!(req.status, vikno_core::RequestStatus::Delivered);

    // Redelivery of the same content: acknowledged, stored once.
    let before = store.counts().expect("counts");
    let (status, _) = post(handle.local_addr(), Some("req-sample-1"), &content_type(), body).await;
    assert_eq!(status, 200);
    let after = store.counts().expect("counts");
    assert_eq!((before.deliveries, before.documents), (after.deliveries, after.documents));

    // Unknown trace id: verified, kept for a supervisor, acknowledged.
    let (status, _) = post(
        handle.local_addr(),
        Some("nobody-asked"),
        &content_type(),
        multipart(&sample_parts()),
    )
    .await;
    assert_eq!(status, 200);
    let unknown = store.unknown_deliveries().expect("unknown");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].trace_id, "nobody-asked");

    // Nothing personal is stored in clear: the PDF's and the metadata's bytes are not in the file.
    handle.shutdown().await.expect("shutdown");
    let db = std::fs::read(store.path()).expect("db");
    let wal = std::fs::read(store.path().with_extension("sqlite3-wal")).unwrap_or_default();
    let needle = &fixture(PDF_NAME)[200..264];
    for hay in [&db, &wal] {
        assert!(!hay.windows(needle.len()).any(|w| w == needle), "pdf bytes in clear");
        assert!(!hay.windows(13).any(|w| w == b"2858364170864"), "barcode in clear");
    }
    let report = store.verify_audit_chain().expect("verify");
    assert!(report.is_intact(), "{report:?}");
}

fn zero(c: StoreCounts) -> (u64, u64, u64) {
    (c.deliveries, c.documents, c.unknown_deliveries)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_gets_typed_4xx_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_store(dir.path());
    new_request(&store, "req-bad");
    let mut rng = rand::rng();
    let stranger = testca::generate_identity("Stranger", &mut rng).expect("identity");
    let wrong_keys = KeyContainer::from_keys(vec![stranger.ka_key], vec![stranger.ka_cert]);

    let mut small = sample_config();
    small.limits.max_part_bytes = 4096;
    let mut tiny_body = sample_config();
    tiny_body.limits.max_total_bytes = 8192;
    let mut wrong_recipient = sample_config();
    wrong_recipient.keys = Arc::new(wrong_keys);
    let mut untrusted = sample_config();
    untrusted.trusted_signers = vec![stranger.signing_cert.clone()];

    let good = sample_parts();
    let full = multipart(&good);
    let mut tampered = good.clone();
    {
        let b = &mut tampered[0].2;
        let mid = b.len() / 2;
        b[mid] = if b[mid] == b'A' { b'B' } else { b'A' };
    }
    let mut misnamed = good.clone();
    misnamed[2].0 = "encodedData".to_owned();
    let mut not_b64 = good.clone();
    not_b64[0].2 = b"this is !!! not base64 ***".to_vec();

    type Case =
        (&'static str, ReceiverConfig, String, Option<&'static str>, Vec<u8>, u16, &'static str);
    let cases: Vec<Case> = vec![
        (
            "truncated",
            sample_config(),
            content_type(),
            Some("req-bad"),
            full[..full.len() / 2].to_vec(),
            400,
            "malformed_multipart",
        ),
        (
            "missing encodeData",
            sample_config(),
            content_type(),
            Some("req-bad"),
            multipart(&good[..2]),
            400,
            "missing_part",
        ),
        (
            "missing file",
            sample_config(),
            content_type(),
            Some("req-bad"),
            multipart(&good[1..]),
            400,
            "missing_part",
        ),
        (
            "misnamed encodeData",
            sample_config(),
            content_type(),
            Some("req-bad"),
            multipart(&misnamed),
            400,
            "missing_part",
        ),
        (
            "not base64",
            sample_config(),
            content_type(),
            Some("req-bad"),
            multipart(&not_b64),
            400,
            "malformed_envelope",
        ),
        ("tampered", sample_config(), content_type(), Some("req-bad"), multipart(&tampered), 0, ""),
        (
            "wrong recipient",
            wrong_recipient,
            content_type(),
            Some("req-bad"),
            full.clone(),
            422,
            "cannot_decrypt",
        ),
        (
            "untrusted signer",
            untrusted,
            content_type(),
            Some("req-bad"),
            full.clone(),
            422,
            "untrusted_signer",
        ),
        ("oversized part", small, content_type(), Some("req-bad"), full.clone(), 413, "too_large"),
        (
            "oversized body",
            tiny_body,
            content_type(),
            Some("req-bad"),
            full.clone(),
            413,
            "too_large",
        ),
        (
            "wrong content type",
            sample_config(),
            "application/json".to_owned(),
            Some("req-bad"),
            full.clone(),
            415,
            "not_multipart",
        ),
        (
            "no trace id",
            sample_config(),
            content_type(),
            None,
            full.clone(),
            400,
            "missing_trace_id",
        ),
        (
            "bad trace id",
            sample_config(),
            content_type(),
            Some("../etc passwd"),
            full.clone(),
            400,
            "invalid_trace_id",
        ),
    ];
    for (name, config, ct, trace, body, want_status, want_code) in cases {
        let handle =
            Receiver::bind("127.0.0.1:0".parse().expect("addr"), config, Arc::clone(&store))
                .await
                .expect("bind");
        let (status, json) = post(handle.local_addr(), trace, &ct, body).await;
        handle.shutdown().await.expect("shutdown");
        assert_eq!(json["success"], serde_json::json!(false), "{name}: {json}");
        let code = json["error"]["code"].as_str().unwrap_or_default().to_owned();
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{name}");
        if want_status == 0 {
            assert!((400..500).contains(&status), "{name}: {status} {json}");
        } else {
            assert_eq!((status, code.as_str()), (want_status, want_code), "{name}: {json}");
        }
        assert_eq!(zero(store.counts().expect("counts")), (0, 0, 0), "{name}: store changed");
    }
    // Refusals for a known request are audited; the chain still verifies.
    let rejected = store
        .audit_entries()
        .expect("entries")
        .iter()
        .filter(|e| e.event == "delivery_rejected")
        .count();
    assert!(rejected >= 4, "rejections audited: {rejected}");
    assert!(store.verify_audit_chain().expect("verify").is_intact());
}
