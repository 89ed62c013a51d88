//! Scripted customers and deliveries to a real multipart receiver, including retries.

use std::time::Duration;

use diia_sim::persons::DocState;
use diia_sim::{RequestStatus, Script, SimConfig};
use serde_json::json;

use crate::support::{Clerk, doc_of, fast_config, receiver, start, wait_final};

async fn request(clerk: &Clerk, branch: &str, barcode: &str, request_id: &str) {
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": barcode, "requestId": request_id})),
        )
        .await;
    assert_eq!(a.body, json!({"success": true}), "{}", a.raw);
}

async fn status(clerk: &Clerk, barcode: &str, request_id: &str) -> String {
    let a = clerk
        .call(
            "GET",
            &format!(
                "/api/v1/acquirers/document-request/status?barcode={barcode}&requestId={request_id}"
            ),
            None,
        )
        .await;
    a.body["status"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn scripted_outcomes_show_in_the_status_route() {
    let rx = receiver().await;
    let sim = start(SimConfig {
        deliver_to: Some(rx.url.clone()),
        answer_timeout: Duration::from_millis(1000),
        ..fast_config()
    })
    .await;
    let clerk = Clerk::login(&sim).await;
    let branch = sim.branch_id();
    let doc = doc_of(&sim, "driver-license", DocState::Valid);

    let cases = [
        (Script::Refuse { after_ms: 50 }, RequestStatus::Refused, "refused"),
        (
            Script::MissingDocument { after_ms: 0 },
            RequestStatus::DocumentMissing,
            "document-missing",
        ),
        (Script::NeverAnswer, RequestStatus::Expired, "expired"),
        // Confirming later than the answer timeout is the same as never answering.
        (Script::Confirm { after_ms: 10_000 }, RequestStatus::Expired, "expired"),
    ];
    for (i, (script, expected, wire)) in cases.into_iter().enumerate() {
        let code = sim.issue_code(&doc, Some(script)).unwrap();
        let rid = format!("scripted-{i}");
        request(&clerk, &branch, &code.barcode, &rid).await;
        if script == Script::NeverAnswer {
            assert_eq!(status(&clerk, &code.barcode, &rid).await, "processing");
        }
        let req = wait_final(&sim, &code.barcode, &rid).await;
        assert_eq!(req.status, expected, "{script:?}");
        assert!(req.reason.is_some());
        assert_eq!(status(&clerk, &code.barcode, &rid).await, wire);
    }

    // A per-person script applies when the code has none.
    sim.set_person_script("p1", Some(Script::Refuse { after_ms: 0 }));
    let code = sim.issue_code(&doc, None).unwrap();
    request(&clerk, &branch, &code.barcode, "person-script").await;
    assert_eq!(
        wait_final(&sim, &code.barcode, "person-script").await.status,
        RequestStatus::Refused
    );
    assert_eq!(*rx.state.hits.lock().unwrap(), 0, "nothing is delivered for these outcomes");
    sim.shutdown().await;
    rx.stop();
}

#[tokio::test]
async fn confirmed_request_is_delivered_in_the_barcode_layout() {
    let rx = receiver().await;
    let sim = start(SimConfig { deliver_to: Some(rx.url.clone()), ..fast_config() }).await;
    let clerk = Clerk::login(&sim).await;
    let code = sim.issue_code("d101", Some(Script::Confirm { after_ms: 100 })).unwrap();
    let rid = "0f8e5a40-2b7c-4d0e-9a51-6b3c8f2d1e77";
    request(&clerk, &sim.branch_id(), &code.barcode, rid).await;
    assert_eq!(status(&clerk, &code.barcode, rid).await, "processing");
    let req = wait_final(&sim, &code.barcode, rid).await;

    assert_eq!(req.status, RequestStatus::Delivered, "{:?}", req.reason);
    assert_eq!(status(&clerk, &code.barcode, rid).await, "delivered");
    let got = rx.received();
    assert_eq!(got.len(), 1);
    let d = &got[0];
    assert_eq!(d.trace_id, rid);
    assert_eq!(d.encrypted_file_content_type, "application/octet-stream");
    let prefix = format!("internal-passport-{}-", code.barcode);
    assert!(d.encrypted_file_name.starts_with(&prefix) && d.encrypted_file_name.ends_with(".pdf"));
    assert!(d.encrypted_file.starts_with("MI"), "base64 DER text");
    assert!(d.encode_data.starts_with("MI"));
    crate::support::open_and_check(&sim, d, &code.barcode, "d101");
    sim.shutdown().await;
    rx.stop();
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff() {
    let rx = receiver().await;
    let sim = start(SimConfig { deliver_to: Some(rx.url.clone()), ..fast_config() }).await;
    let clerk = Clerk::login(&sim).await;
    *rx.state.fail_next.lock().unwrap() = 2;
    let code = sim.issue_code("d102", None).unwrap();
    request(&clerk, &sim.branch_id(), &code.barcode, "retry-ok").await;
    let req = wait_final(&sim, &code.barcode, "retry-ok").await;
    assert_eq!((req.status, req.attempts), (RequestStatus::Delivered, 3));
    assert_eq!(rx.received().len(), 1);

    *rx.state.fail_next.lock().unwrap() = 100;
    let code = sim.issue_code("d102", None).unwrap();
    request(&clerk, &sim.branch_id(), &code.barcode, "retry-fail").await;
    let req = wait_final(&sim, &code.barcode, "retry-fail").await;
    assert_eq!((req.status, req.attempts), (RequestStatus::DeliveryFailed, 4));
    assert_eq!(status(&clerk, &code.barcode, "retry-fail").await, "delivery-failed");
    assert_eq!(rx.received().len(), 1);

    sim.set_deliver_to(None);
    let code = sim.issue_code("d102", None).unwrap();
    request(&clerk, &sim.branch_id(), &code.barcode, "no-receiver").await;
    let req = wait_final(&sim, &code.barcode, "no-receiver").await;
    assert_eq!(req.status, RequestStatus::DeliveryFailed);
    sim.shutdown().await;
    rx.stop();
}
