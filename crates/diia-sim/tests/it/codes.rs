//! Share-code issuance properties and the phone API's images, decoded back with rxing.

use std::time::Duration;

use diia_sim::codes::is_valid_ean13;
use diia_sim::persons::DocState;
use serde_json::{Value, json};

use crate::support::{Clerk, answer, doc_of, fast_config, start};

fn parse_iso(s: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .expect("iso date")
}

#[tokio::test]
async fn share_codes_are_issued_like_the_app_gets_them() {
    let sim = start(fast_config()).await;
    let http = reqwest::Client::new();
    let doc = doc_of(&sim, "taxpayer-card", DocState::Valid);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let before = time::OffsetDateTime::now_utc();
        let a = answer(
            http.post(format!("{}/sim/v1/documents/{doc}/share", sim.base_url()))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.raw);
        let b = &a.body;
        let barcode = b["barcode"].as_str().unwrap();
        assert_eq!(barcode.len(), 13);
        assert!(matches!(barcode.as_bytes()[0], b'1'..=b'9'), "first digit 1-9: {barcode}");
        assert!(is_valid_ean13(barcode), "check digit: {barcode}");
        assert!(seen.insert(barcode.to_string()), "unique among live codes");
        assert_eq!(b["timerTime"], json!(180));
        assert_eq!(b["timerText"], json!("Код діятиме ще"));
        let ttl = parse_iso(b["expirationDate"].as_str().unwrap()) - before;
        assert!(
            ttl <= time::Duration::seconds(181) && ttl >= time::Duration::seconds(179),
            "{ttl}"
        );
        let link = b["link"].as_str().unwrap();
        let prefix = format!("https://diia.app/documents/taxpayer-card/{doc}/verify/");
        assert!(link.starts_with(&prefix), "{link}");
        let otp = uuid::Uuid::parse_str(&link[prefix.len()..]).expect("uuid");
        assert_eq!(otp.get_version_num(), 4);
        assert_eq!(b["id"].as_str(), Some(otp.to_string().as_str()));
    }
    let a = answer(
        http.post(format!("{}/sim/v1/documents/nope/share", sim.base_url())).send().await.unwrap(),
    )
    .await;
    assert_eq!(a.status, 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn barcode_and_qr_are_one_single_use_record() {
    let sim = start(fast_config()).await;
    let clerk = Clerk::login(&sim).await;
    let branch = sim.branch_id();
    let doc = doc_of(&sim, "internal-passport", DocState::Valid);
    sim.set_person_script("p1", Some(diia_sim::Script::NeverAnswer));

    // Using the barcode consumes the QR, and the other way round.
    let code = sim.issue_code(&doc, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": branch, "barcode": code.barcode})),
        )
        .await;
    assert_eq!(a.body, json!({"success": true}));
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "qrcode": code.link, "requestId": "q1"})),
        )
        .await;
    assert_eq!(
        (a.status, a.body["message"].clone()),
        (400, json!("This code has been used already!"))
    );

    let code = sim.issue_code(&doc, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "qrcode": code.link, "requestId": "q2"})),
        )
        .await;
    assert_eq!(a.body, json!({"success": true}));
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": code.barcode, "requestId": "q3"})),
        )
        .await;
    assert_eq!(a.status, 400);
    // The status of the QR request is found under the record's barcode.
    let a = clerk
        .call(
            "GET",
            &format!(
                "/api/v1/acquirers/document-request/status?barcode={}&requestId=q2",
                code.barcode
            ),
            None,
        )
        .await;
    assert_eq!(a.body, json!({"status": "processing"}));
    sim.shutdown().await;
}

#[tokio::test]
async fn codes_run_out_after_their_lifetime() {
    let sim =
        start(diia_sim::SimConfig { code_ttl: Duration::from_millis(300), ..fast_config() }).await;
    let clerk = Clerk::login(&sim).await;
    let code = sim.issue_code(&doc_of(&sim, "taxpayer-card", DocState::Valid), None).unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": sim.branch_id(), "barcode": code.barcode})),
        )
        .await;
    assert_eq!((a.status, a.body["message"].clone()), (400, json!("Code has been expired!")));
    assert!(a.body["data"]["expirationDate"].is_string());
    sim.shutdown().await;
}

fn decode(png: &[u8], format: rxing::BarcodeFormat) -> String {
    let img = image::load_from_memory(png).expect("png decodes").to_luma8();
    let (w, h) = img.dimensions();
    rxing::helpers::detect_in_luma(img.into_raw(), w, h, Some(format))
        .unwrap_or_else(|e| panic!("{format:?} not decoded: {e:?}"))
        .getText()
        .to_string()
}

#[tokio::test]
async fn code_images_decode_with_rxing() {
    let sim = start(fast_config()).await;
    let http = reqwest::Client::new();
    for doc in ["d101", "d201", "d303", "d501"] {
        let a = answer(
            http.post(format!("{}/sim/v1/documents/{doc}/share", sim.base_url()))
                .send()
                .await
                .unwrap(),
        )
        .await;
        let b: Value = a.body;
        let barcode = b["barcode"].as_str().unwrap();
        let link = b["link"].as_str().unwrap();
        for (kind, format, expected) in [
            ("ean13", rxing::BarcodeFormat::EAN_13, barcode),
            ("code128", rxing::BarcodeFormat::CODE_128, barcode),
            ("qr", rxing::BarcodeFormat::QR_CODE, link),
        ] {
            let url = format!("{}{}", sim.base_url(), b["images"][kind].as_str().unwrap());
            let resp = http.get(url).send().await.unwrap();
            assert_eq!(resp.headers()["content-type"], "image/png");
            let png = resp.bytes().await.unwrap();
            assert_eq!(decode(&png, format), expected, "{kind}");
        }
    }
    let a = answer(
        http.get(format!("{}/sim/v1/codes/1234567890128/qr.png", sim.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 404);
    sim.shutdown().await;
}
