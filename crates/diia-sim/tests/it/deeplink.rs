//! Deeplink (offer) requests: created by the partner, opened by a scripted customer, delivered
//! in the deeplink layout (one part per document type + `encodeData`), and their status route.

use std::time::Duration;

use diia_sim::{RequestStatus, Script, SimConfig, SimHandle};
use serde_json::{Value, json};

use crate::support::{Clerk, fast_config, partner_opening, receiver, start};

/// Creates an offer for `types` on the built-in branch and a dynamic offer request for it;
/// returns the deeplink.
async fn offer_request(clerk: &Clerk, sim: &SimHandle, types: &[&str], request_id: &str) -> String {
    let branch = sim.branch_id();
    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer"),
            Some(json!({"name": "Відкриття рахунку", "scopes": {"sharing": types}})),
        )
        .await;
    let offer = a.body["_id"].as_str().expect("offer id").to_string();
    let a = clerk
        .call(
            "POST",
            &format!("/api/v2/acquirers/branch/{branch}/offer-request/dynamic"),
            Some(json!({"offerId": offer, "requestId": request_id})),
        )
        .await;
    a.body["deeplink"].as_str().expect("deeplink").to_string()
}

async fn status(clerk: &Clerk, otp: Option<&str>, request_id: &str) -> (u16, Value) {
    let query = match otp {
        Some(otp) => format!("otp={otp}&requestId={request_id}"),
        None => format!("requestId={request_id}"),
    };
    let a =
        clerk.call("GET", &format!("/api/v1/acquirers/offer-request/status?{query}"), None).await;
    (a.status, a.body)
}

async fn wait_final(sim: &SimHandle, request_id: &str) -> diia_sim::OfferRequest {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let req = sim.offer_request(request_id).expect("offer request exists");
        if req.status.is_final() || tokio::time::Instant::now() > deadline {
            return req;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn confirmed_deeplink_is_delivered_in_the_deeplink_layout() {
    let rx = receiver().await;
    let sim = start(SimConfig { deliver_to: Some(rx.url.clone()), ..fast_config() }).await;
    let clerk = Clerk::login(&sim).await;
    let rid = "5d0f3c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    let deeplink = offer_request(&clerk, &sim, &["passport", "taxpayer-card"], rid).await;
    let otp = deeplink.rsplit('/').next().unwrap().to_string();
    assert!(deeplink.starts_with("https://diia.app/acquirers/offer-request/dynamic/"));
    assert_eq!(status(&clerk, Some(&otp), rid).await.1, json!({"status": "processing"}));

    sim.open_deeplink(&deeplink, "p1", Some(Script::Confirm { after_ms: 50 })).unwrap();
    let err = sim.open_deeplink(&deeplink, "p2", None).expect_err("a deeplink opens once");
    assert!(err.to_string().contains("already"), "{err}");
    let req = wait_final(&sim, rid).await;
    assert_eq!(req.status, RequestStatus::Delivered, "{:?}", req.reason);
    assert_eq!(req.doc_ids, ["d101", "d102"], "passport = the ID card; then the tax card");
    assert_eq!(status(&clerk, Some(&otp), rid).await.1, json!({"status": "delivered"}));
    assert_eq!(status(&clerk, None, rid).await.1, json!({"status": "delivered"}));

    let got = rx.received();
    assert_eq!(got.len(), 1);
    let d = &got[0];
    assert_eq!(d.trace_id, rid);
    let names: Vec<&str> = d.parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names, ["internal-passport", "taxpayer-card", "encodeData"]);
    let (keys, ka, policy) = partner_opening(&sim);
    for (idx, (field, file_name, content_type, text)) in d.parts[..2].iter().enumerate() {
        let file_name = file_name.as_deref().expect("file parts have a filename");
        assert!(file_name.starts_with(&format!("{field}-")), "{file_name}");
        assert!(file_name.ends_with(".pdf.p7s.p7e"), "{file_name}");
        assert_eq!(content_type, "application/octet-stream");
        assert_eq!(file_name.strip_suffix(".p7s.p7e"), Some(req.file_names[idx].as_str()));
        let pdf =
            ua_crypto::open_envelope(text.as_bytes(), &keys, std::slice::from_ref(&ka), &policy)
                .expect("copy opens and verifies")
                .content;
        assert!(pdf.starts_with(b"%PDF-"));
    }
    let meta = ua_crypto::open_envelope(d.encode_data.as_bytes(), &keys, &[ka], &policy)
        .expect("metadata opens and verifies");
    let meta: Value = serde_json::from_slice(&meta.content).unwrap();
    assert_eq!(meta["requestId"], json!(rid));
    assert_eq!(meta["documentTypes"], json!(["internal-passport", "taxpayer-card"]));
    let passport = &meta["data"]["internal-passport"];
    assert!(passport.is_array(), "deeplink metadata lists arrays: {meta}");
    assert_eq!(passport[0]["fileName"], json!(req.file_names[0]));
    assert!(meta.get("barcode").is_none());
    sim.shutdown().await;
    rx.stop();
}

#[tokio::test]
async fn deeplink_outcomes_show_in_the_status_route() {
    let rx = receiver().await;
    let sim = start(SimConfig {
        deliver_to: Some(rx.url.clone()),
        answer_timeout: Duration::from_millis(800),
        ..fast_config()
    })
    .await;
    let clerk = Clerk::login(&sim).await;
    let p1 = sim.persons().iter().find(|p| p.id == "p1").unwrap();
    assert!(p1.documents.iter().all(|d| d.doc_type != "pension-card"), "fixture precondition");

    let refused = offer_request(&clerk, &sim, &["taxpayer-card"], "dl-refuse").await;
    sim.open_deeplink(&refused, "p1", Some(Script::Refuse { after_ms: 0 })).unwrap();
    // A confirm script cannot share a document the person lacks.
    let missing = offer_request(&clerk, &sim, &["passport", "pension-card"], "dl-missing").await;
    sim.open_deeplink(&missing, "p1", Some(Script::Confirm { after_ms: 0 })).unwrap();
    // Nobody opens this one.
    offer_request(&clerk, &sim, &["taxpayer-card"], "dl-unopened").await;

    for (rid, expected) in
        [("dl-refuse", "refused"), ("dl-missing", "document-missing"), ("dl-unopened", "expired")]
    {
        let req = wait_final(&sim, rid).await;
        assert_eq!(req.status.as_str(), expected, "{rid}: {:?}", req.reason);
        assert_eq!(status(&clerk, None, rid).await.1, json!({ "status": expected }), "{rid}");
    }
    let http = reqwest::Client::new();
    let a = crate::support::answer(
        http.post(format!("{}/sim/v1/deeplinks/open", sim.base_url()))
            .json(&json!({"deeplink": "https://diia.app/acquirers/offer-request/dynamic/nope", "personId": "p1"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 404, "{}", a.raw);
    assert_eq!(*rx.state.hits.lock().unwrap(), 0, "nothing is delivered for these outcomes");
    sim.shutdown().await;
    rx.stop();
}
