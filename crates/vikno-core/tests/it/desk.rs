//! The desk over a sandbox runtime: the embedded simulator, the real receiver and store, real
//! sealed deliveries. Requests, verdicts, refusals, cancel, history, export and a restart.

use std::sync::Arc;
use std::time::Duration;

use diia::ShareCode;
use diia_sim::Script;
use time::OffsetDateTime;
use vikno_core::{
    AppConfig, DocumentAccess, MemorySecretStore, RequestQuery, RequestState, RequestView, Runtime,
    SecretStore, VerdictOutcome,
};

async fn sandbox(dir: &std::path::Path, secrets: Arc<dyn SecretStore>) -> Runtime {
    Runtime::start(dir, &AppConfig::default(), secrets).await.expect("sandbox runtime starts")
}

fn code(rt: &Runtime, doc: &str, script: Option<Script>) -> ShareCode {
    let sim = rt.simulator().expect("sandbox has a simulator");
    ShareCode::Barcode(sim.issue_code(doc, script).expect("code issued").barcode)
}

/// Waits for the request to end, returning its final view.
async fn settle(rt: &Runtime, first: RequestView) -> RequestView {
    let mut updates = rt.desk.subscribe();
    let mut view = rt.desk.request(&first.request_id).await.expect("view");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !view.state.is_terminal() {
        match tokio::time::timeout_at(deadline, updates.recv()).await {
            Ok(Ok(v)) if v.request_id == first.request_id => view = v,
            Ok(_) => {}
            Err(_) => panic!("request did not settle: {view:?}"),
        }
    }
    view
}

fn purpose(rt_config: &AppConfig) -> vikno_core::Purpose {
    rt_config.purposes[0].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn copies_are_requested_delivered_verified_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecretStore::new());
    let config = AppConfig::default();
    let rt = sandbox(dir.path(), Arc::clone(&secrets)).await;
    assert!(rt.branch.sharing.contains(&"internal-passport".to_owned()), "{:?}", rt.branch);

    let c = code(&rt, "d101", Some(Script::Confirm { after_ms: 100 }));
    let ShareCode::Barcode(barcode) = c.clone() else { unreachable!() };
    let first = rt
        .desk
        .request_copies(
            c,
            &purpose(&config),
            vec!["internal-passport".into()],
            OffsetDateTime::now_utc(),
        )
        .await
        .expect("accepted");
    assert_eq!(first.state, RequestState::Waiting);
    assert_eq!(first.code_expires_at - first.code_read_at, 180_000);
    let done = settle(&rt, first).await;
    assert_eq!(done.state, RequestState::Delivered, "{done:?}");
    assert_eq!(done.document_ids.len(), 1);

    let (view, pdf) =
        rt.desk.open_document(&done.document_ids[0], DocumentAccess::View).await.expect("opens");
    assert!(pdf.starts_with(b"%PDF"));
    let value = |k: &str| view.fields.iter().find(|f| f.key == k).map(|f| f.value.clone());
    assert_eq!(value("doc_number").as_deref(), Some("004817263"));
    assert_eq!(value("last_name").as_deref(), Some("Коваль-Петренко"));
    assert!(!view.badge.signer.is_empty() && !view.badge.verified_against.is_empty());
    assert!(view.badge.signed_at.is_some());
    assert!(!format!("{view:?}").contains("Коваль"), "Debug shows no personal data");

    let out = dir.path().join("exports");
    let path = rt.desk.export_document(&done.document_ids[0], &out).await.expect("exported");
    assert_eq!(std::fs::read(&path).unwrap(), pdf.to_vec());
    assert!(!path.display().to_string().contains(&barcode), "no code in the export name");

    // Restart: the history and the document survive.
    rt.stop().await;
    let rt = sandbox(dir.path(), secrets).await;
    let history = rt.desk.history(RequestQuery::default()).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].state, RequestState::Delivered);
    assert_eq!(history[0].documents.len(), 1);
    rt.desk
        .open_document(&history[0].documents[0].id, DocumentAccess::View)
        .await
        .expect("reopens");
    let audit = rt.desk.store().verify_audit_chain().expect("chain");
    assert!(audit.first_broken.is_none());
    rt.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_cancel_and_verdicts_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig::default();
    let rt = sandbox(dir.path(), Arc::new(MemorySecretStore::new())).await;
    let p = purpose(&config);
    let now = OffsetDateTime::now_utc;

    for (script, want, detail) in [
        (Script::Refuse { after_ms: 50 }, RequestState::Refused, "request_refused"),
        (
            Script::MissingDocument { after_ms: 50 },
            RequestState::DocumentMissing,
            "request_document_missing",
        ),
    ] {
        let first = rt
            .desk
            .request_copies(code(&rt, "d101", Some(script)), &p, vec![], now())
            .await
            .unwrap();
        let done = settle(&rt, first).await;
        assert_eq!(done.state, want);
        assert_eq!(done.error.as_ref().map(|e| e.code.as_str()), Some(detail));
        // The stored request reads back the same after the live view is gone.
        let history = rt.desk.history(RequestQuery::default()).await.unwrap();
        let row = history.iter().find(|h| h.request_id == done.request_id).unwrap();
        assert_eq!(row.state, want);
    }

    let first = rt
        .desk
        .request_copies(code(&rt, "d101", Some(Script::NeverAnswer)), &p, vec![], now())
        .await
        .unwrap();
    rt.desk.cancel(&first.request_id).await.unwrap();
    assert_eq!(settle(&rt, first).await.state, RequestState::Cancelled);

    // A used code is refused by Diia before anything is recorded as sent successfully.
    let c = code(&rt, "d102", Some(Script::NeverAnswer));
    rt.desk.request_copies(c.clone(), &p, vec![], now()).await.unwrap();
    let err = rt.desk.request_copies(c, &p, vec![], now()).await.unwrap_err();
    assert_eq!(err.code(), "diia_code_used");

    let valid = code(&rt, "d101", None);
    assert_eq!(rt.desk.validate(&valid, None).await.unwrap().outcome, VerdictOutcome::Valid);
    assert_eq!(rt.desk.validate(&valid, None).await.unwrap().outcome, VerdictOutcome::CodeUsed);
    let sim = rt.simulator().unwrap();
    let invalid_doc = sim
        .persons()
        .iter()
        .flat_map(|p| p.documents.iter())
        .find(|d| d.state != diia_sim::persons::DocState::Valid)
        .map(|d| d.id.clone())
        .unwrap();
    let invalid = code(&rt, &invalid_doc, None);
    assert_eq!(rt.desk.validate(&invalid, None).await.unwrap().outcome, VerdictOutcome::NotValid);
    let expired = code(&rt, "d102", None);
    let ShareCode::Barcode(b) = &expired else { unreachable!() };
    assert!(sim.expire_code(b));
    assert_eq!(
        rt.desk.validate(&expired, None).await.unwrap().outcome,
        VerdictOutcome::CodeExpired
    );
    assert_eq!(
        rt.desk.validate(&ShareCode::Barcode("2074752044627".into()), None).await.unwrap().outcome,
        VerdictOutcome::CodeUnknown
    );
    let aged = code(&rt, "d101", None);
    let verdict = rt.desk.validate(&aged, Some(18)).await.unwrap();
    assert_eq!((verdict.outcome, verdict.age_checked), (VerdictOutcome::Valid, Some(18)));
    let qr = ShareCode::Qr("https://diia.app/documents/internal-passport/d101/verify/x".into());
    assert_eq!(rt.desk.validate(&qr, None).await.unwrap_err().code(), "validate_needs_barcode");
    rt.stop().await;
}
