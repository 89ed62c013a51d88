//! Every Diia route and error body, as one redacted transcript pinned with insta.

use diia_sim::persons::DocState;
use diia_sim::{Script, SimConfig};
use serde_json::{Value, json};

use crate::support::{Clerk, doc_of, fast_config, redact, send, start};

struct Transcript(Vec<Value>);

impl Transcript {
    fn add(&mut self, case: &str, a: &crate::support::Answer) -> Value {
        let mut body = a.body.clone();
        redact(&mut body);
        self.0.push(json!({ "case": case, "status": a.status, "body": body }));
        a.body.clone()
    }
}

fn branch_body(name: &str, sharing: &[&str], ident: &[&str]) -> Value {
    json!({
        "name": name,
        "email": "test@example.com",
        "region": "Київська обл.",
        "district": "Києво-Святошинський р-н",
        "location": "м. Вишневе",
        "street": "вул. Святошинська",
        "house": "27",
        "deliveryTypes": ["api"],
        "offerRequestType": "dynamic",
        "scopes": { "sharing": sharing, "identification": [], "documentIdentification": ident }
    })
}

#[tokio::test]
async fn routes_and_error_bodies() {
    let sim =
        start(SimConfig { acquirer_token: Some("sandbox-token".into()), ..fast_config() }).await;
    let base = sim.base_url();
    let http = reqwest::Client::new();
    let mut t = Transcript(Vec::new());

    // Login.
    let a = send(http.get(format!("{base}/api/v1/auth/acquirer/wrong-token"))).await;
    t.add("login with unknown token", &a);
    assert_eq!(a.content_type, "application/json; charset=utf-8");
    assert!(a.raw.starts_with("{\n  \"name\": \"Error\",\n"), "pretty-printed: {}", a.raw);
    let a = send(http.get(format!("{base}/api/v2/auth/acquirer/sandbox-token"))).await;
    t.add("login on v2", &a);
    let clerk = Clerk::login(&sim).await;
    assert!(clerk.token.len() > 32);

    // Auth rules.
    let a = send(http.get(format!("{base}/api/v2/acquirers/branches"))).await;
    t.add("no bearer", &a);
    let a = send(
        http.get(format!("{base}/api/v2/acquirers/branches")).header("Authorization", "Basic abc"),
    )
    .await;
    t.add("basic instead of bearer", &a);
    let a = clerk.call("GET", "/api/v3/acquirers/branches", None).await;
    t.add("branches on v3", &a);
    let a = clerk.call("POST", "/api/v2/acquirers/document-request", Some(json!({}))).await;
    t.add("document-request on v2", &a);
    let a =
        send(http.get(format!("{base}/api/v2/acquirers/branches")).bearer_auth("not-a-session"))
            .await;
    t.add("unknown session", &a);

    // Branches.
    let a = clerk
        .call("POST", "/api/v2/acquirers/branch", Some(json!({"name": "", "email": "a@b", "region": 5, "deliveryTypes": ["email"], "offerRequestType": "x", "scopes": {"sharing": ["passport", "bogus"]}})))
        .await;
    t.add("create branch: validation errors", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v2/acquirers/branch",
            Some(branch_body("Каса 2", &["taxpayer-card"], &["taxpayer-card"])),
        )
        .await;
    let created = t.add("create branch", &a);
    let limited = created["_id"].as_str().unwrap().to_string();
    let a = clerk.call("GET", &format!("/api/v2/acquirers/branch/{limited}"), None).await;
    t.add("get branch", &a);
    let a = clerk.call("GET", "/api/v2/acquirers/branches?skip=1&limit=1", None).await;
    t.add("list branches skip=1 limit=1", &a);
    let a = clerk.call("GET", "/api/v1/acquirers/branches?limit=abc", None).await;
    t.add("list branches bad limit", &a);
    let a = clerk
        .call(
            "PUT",
            &format!("/api/v2/acquirers/branch/{limited}"),
            Some(branch_body("Каса 2 нова", &["taxpayer-card"], &["taxpayer-card"])),
        )
        .await;
    t.add("update branch", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v2/acquirers/branch",
            Some(branch_body("На видалення", &["passport"], &[])),
        )
        .await;
    let doomed = a.body["_id"].as_str().unwrap().to_string();
    let a = clerk.call("DELETE", &format!("/api/v2/acquirers/branch/{doomed}"), None).await;
    t.add("delete branch", &a);
    assert_eq!(a.status, 204);
    let a = clerk.call("GET", &format!("/api/v2/acquirers/branch/{doomed}"), None).await;
    t.add("get deleted branch", &a);

    // Offers and the deeplink offer-request.
    let branch = sim.branch_id();
    let a = clerk
        .call("POST", &format!("/api/v1/acquirers/branch/{branch}/offer"), Some(json!({"name": "Відкриття рахунку", "scopes": {"sharing": ["passport", "taxpayer-card"]}})))
        .await;
    let offer = t.add("create offer", &a)["_id"].as_str().unwrap().to_string();
    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer"),
            Some(json!({"scopes": {}})),
        )
        .await;
    t.add("create offer: validation errors", &a);
    let a = clerk.call("GET", &format!("/api/v1/acquirers/branch/{branch}/offers"), None).await;
    t.add("list offers", &a);
    let a = clerk
        .call(
            "POST",
            &format!("/api/v2/acquirers/branch/{branch}/offer-request/dynamic"),
            Some(json!({"offerId": offer, "requestId": "6f1f4f0e-6e0f-4c39-9f77-0c6b2f4c2a11"})),
        )
        .await;
    let deeplink = t.add("dynamic offer-request", &a)["deeplink"].as_str().unwrap().to_string();
    assert!(deeplink.starts_with("https://diia.app/acquirers/offer-request/dynamic/"));
    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer-request/dynamic"),
            Some(json!({"offerId": offer, "requestId": "x"})),
        )
        .await;
    t.add("offer-request on v1", &a);
    let a = clerk
        .call("DELETE", &format!("/api/v1/acquirers/branch/{branch}/offer/{offer}"), None)
        .await;
    t.add("delete offer", &a);
    let a = clerk
        .call("DELETE", &format!("/api/v1/acquirers/branch/{branch}/offer/{offer}"), None)
        .await;
    t.add("delete offer again", &a);

    // Scopes.
    let a = clerk.call("GET", "/api/v1/acquirers/scopes", None).await;
    t.add("scopes", &a);

    // Document request.
    sim.set_person_script("p1", Some(Script::NeverAnswer));
    let passport = doc_of(&sim, "internal-passport", DocState::Valid);
    let a = clerk
        .call("POST", "/api/v1/acquirers/document-request", Some(json!({"branchId": branch})))
        .await;
    t.add("document-request: validation errors", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": "1234567890128", "requestId": "r-unknown"})),
        )
        .await;
    t.add("document-request: unknown barcode", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": "nope", "barcode": "1234567890128", "requestId": "r-1"})),
        )
        .await;
    t.add("document-request: unknown branch", &a);
    let code = sim.issue_code(&passport, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": limited, "barcode": code.barcode, "requestId": "r-scope"})),
        )
        .await;
    t.add("document-request: type outside branch scopes", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": code.barcode, "requestId": "r-ok"})),
        )
        .await;
    t.add("document-request by barcode", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": code.barcode, "requestId": "r-again"})),
        )
        .await;
    t.add("document-request: used code", &a);
    let a = clerk
        .call(
            "GET",
            &format!(
                "/api/v1/acquirers/document-request/status?barcode={}&requestId=r-ok",
                code.barcode
            ),
            None,
        )
        .await;
    t.add("status", &a);
    let a =
        clerk.call("GET", "/api/v1/acquirers/document-request/status?requestId=r-ok", None).await;
    t.add("status: missing barcode", &a);
    let a = clerk
        .call("GET", "/api/v1/acquirers/document-request/status?barcode=1&requestId=none", None)
        .await;
    t.add("status: unknown request", &a);
    let qr = sim.issue_code(&passport, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "qrcode": qr.link, "requestId": "r-qr"})),
        )
        .await;
    t.add("document-request by qrcode", &a);
    let late = sim.issue_code(&passport, None).unwrap();
    assert!(sim.expire_code(&late.barcode));
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": late.barcode, "requestId": "r-late"})),
        )
        .await;
    let body = t.add("document-request: expired code", &a);
    assert!(
        body["data"]["now"].as_str().unwrap() > body["data"]["expirationDate"].as_str().unwrap()
    );

    // Validation.
    let ok = sim.issue_code(&passport, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": branch, "barcode": ok.barcode})),
        )
        .await;
    t.add("identification: valid document", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": branch, "barcode": ok.barcode})),
        )
        .await;
    t.add("identification: used code", &a);
    let exp = sim.issue_code(&doc_of(&sim, "internal-passport", DocState::Expired), None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": branch, "barcode": exp.barcode})),
        )
        .await;
    t.add("identification: expired document", &a);
    let rev = sim.issue_code(&doc_of(&sim, "internal-passport", DocState::Revoked), None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": branch, "barcode": rev.barcode})),
        )
        .await;
    t.add("identification: revoked document", &a);
    let scoped = sim.issue_code(&passport, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification",
            Some(json!({"branchId": limited, "barcode": scoped.barcode})),
        )
        .await;
    t.add("identification: type outside branch scopes", &a);
    let a = clerk
        .call("POST", "/api/v1/acquirers/document-identification", Some(json!({"barcode": 5})))
        .await;
    t.add("identification: validation errors", &a);

    // Age check: Мар'яна (1992) is over 18, Ярослава (2009) is not.
    let adult = sim.issue_code(&passport, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification/age",
            Some(json!({"branchId": branch, "barcode": adult.barcode, "age": 18})),
        )
        .await;
    t.add("age 18: adult", &a);
    let minor_doc = sim.persons().iter().find(|p| p.id == "p3").unwrap().documents[0].id.clone();
    let minor = sim.issue_code(&minor_doc, None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification/age",
            Some(json!({"branchId": branch, "barcode": minor.barcode, "age": 18})),
        )
        .await;
    t.add("age 18: minor", &a);
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-identification/age",
            Some(json!({"branchId": branch, "barcode": minor.barcode})),
        )
        .await;
    t.add("age: validation errors", &a);
    let a = send(
        clerk
            .http
            .post(format!("{base}/api/v1/acquirers/document-identification"))
            .bearer_auth(&clerk.token)
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    t.add("identification: malformed json", &a);

    // Unknown route, then an expired session.
    let a = clerk.call("GET", "/api/v1/acquirers/nothing-here", None).await;
    t.add("unknown route", &a);
    sim.expire_sessions();
    let a = clerk.call("GET", "/api/v2/acquirers/branches", None).await;
    t.add("expired session", &a);

    insta::assert_json_snapshot!("routes", t.0);
    sim.shutdown().await;
}

#[tokio::test]
async fn basic_auth_on_login_when_configured() {
    let sim =
        start(SimConfig { basic_auth: Some("YWNxdWlyZXJfMTpzZWNyZXQ=".into()), ..fast_config() })
            .await;
    let url = format!("{}/api/v1/auth/acquirer/{}", sim.base_url(), sim.acquirer_token());
    let http = reqwest::Client::new();
    let a = send(http.get(&url)).await;
    assert_eq!((a.status, a.body["message"].as_str()), (401, Some("Not authorized")));
    let a = send(http.get(&url).header("Authorization", "Basic YWNxdWlyZXJfMTpzZWNyZXQ=")).await;
    assert_eq!(a.status, 200);
    assert!(a.body["token"].is_string());
    sim.shutdown().await;
}

#[tokio::test]
async fn session_lifetime_is_configurable() {
    let sim =
        start(SimConfig { session_ttl: std::time::Duration::from_millis(200), ..fast_config() })
            .await;
    let clerk = Clerk::login(&sim).await;
    assert_eq!(clerk.call("GET", "/api/v2/acquirers/branches", None).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let a = clerk.call("GET", "/api/v2/acquirers/branches", None).await;
    assert_eq!(a.status, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn offer_request_status_v1_offer_request_and_test_routes() {
    let sim = start(SimConfig { default_script: Script::NeverAnswer, ..fast_config() }).await;
    let base = sim.base_url();
    let http = reqwest::Client::new();
    let clerk = Clerk::login(&sim).await;
    let branch = sim.branch_id();
    let mut t = Transcript(Vec::new());

    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer"),
            Some(json!({"name": "Кредит", "scopes": {"sharing": ["passport"]}})),
        )
        .await;
    let offer = a.body["_id"].as_str().unwrap().to_string();

    // The v1 route of the offer request, and its version rule.
    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer-request"),
            Some(json!({"offerId": offer, "requestId": "v1-request"})),
        )
        .await;
    let deeplink = t.add("v1 offer-request", &a)["deeplink"].as_str().unwrap().to_string();
    assert!(deeplink.starts_with("https://diia.app/acquirers/offer-request/"), "{deeplink}");
    let a = clerk
        .call(
            "POST",
            &format!("/api/v2/acquirers/branch/{branch}/offer-request"),
            Some(json!({"offerId": offer, "requestId": "x"})),
        )
        .await;
    t.add("v1 offer-request on v2", &a);
    let a = clerk
        .call(
            "POST",
            &format!("/api/v1/acquirers/branch/{branch}/offer-request"),
            Some(json!({"offerId": "unknown", "requestId": "x"})),
        )
        .await;
    t.add("offer-request: unknown offer", &a);
    let a = clerk
        .call(
            "POST",
            &format!("/api/v2/acquirers/branch/{branch}/offer-request/static"),
            Some(json!({"offerId": offer, "requestId": "x"})),
        )
        .await;
    t.add("offer-request: static type", &a);

    // Offer-request status.
    let otp = deeplink.rsplit('/').next().unwrap().to_string();
    let a = clerk
        .call(
            "GET",
            &format!("/api/v1/acquirers/offer-request/status?otp={otp}&requestId=v1-request"),
            None,
        )
        .await;
    t.add("offer-request status", &a);
    let a = clerk
        .call("GET", "/api/v1/acquirers/offer-request/status?requestId=v1-request", None)
        .await;
    t.add("offer-request status without otp", &a);
    let a = clerk
        .call("GET", "/api/v1/acquirers/offer-request/status?otp=other&requestId=v1-request", None)
        .await;
    t.add("offer-request status: otp of another request", &a);
    let a =
        clerk.call("GET", &format!("/api/v1/acquirers/offer-request/status?otp={otp}"), None).await;
    t.add("offer-request status: missing requestId", &a);
    let a = clerk
        .call("GET", "/api/v2/acquirers/offer-request/status?requestId=v1-request", None)
        .await;
    t.add("offer-request status on v2", &a);
    let a = send(
        http.get(format!("{base}/api/v1/acquirers/offer-request/status?requestId=v1-request")),
    )
    .await;
    t.add("offer-request status without a session", &a);

    // Test route: Diia's id of the document request made with a barcode.
    let passport = doc_of(&sim, "internal-passport", DocState::Valid);
    let code = sim.issue_code(&passport, None).unwrap();
    let a =
        send(http.get(format!("{base}/api/v1/test/acquirers/document-request/{}", code.barcode)))
            .await;
    t.add("test route: no request yet", &a);
    clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": branch, "barcode": code.barcode, "requestId": "r-test"})),
        )
        .await;
    let a =
        send(http.get(format!("{base}/api/v1/test/acquirers/document-request/{}", code.barcode)))
            .await;
    let id = t.add("test route: document request id", &a)["id"].as_str().unwrap().to_string();
    assert!(id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");

    // Diia's fake partner receivers.
    let form = reqwest::multipart::Form::new()
        .part(
            "encryptedFile",
            reqwest::multipart::Part::bytes(b"MIIB".to_vec())
                .file_name("a.pdf.p7s.p7e")
                .mime_str("application/octet-stream")
                .unwrap(),
        )
        .text("encryptedFileName", "a.pdf")
        .text("encodeData", "MIIB");
    let a = send(
        http.post(format!("{base}/api/v1/acquirer-provider/test"))
            .header("X-Document-Request-Trace-Id", "r-1")
            .multipart(form),
    )
    .await;
    t.add("fake receiver test: barcode layout", &a);
    let form = reqwest::multipart::Form::new().text("encryptedFileName", "a.pdf");
    let a = send(http.post(format!("{base}/api/v1/acquirer-provider/test")).multipart(form)).await;
    t.add("fake receiver test: missing parts", &a);
    let a = send(http.post(format!("{base}/api/v1/acquirer-provider/test")).json(&json!({}))).await;
    t.add("fake receiver test: not multipart", &a);
    let form = reqwest::multipart::Form::new()
        .part(
            "internal-passport",
            reqwest::multipart::Part::bytes(b"MIIB".to_vec()).file_name("p.pdf.p7s.p7e"),
        )
        .text("encodeData", "MIIB");
    let a =
        send(http.post(format!("{base}/api/v1/acquirer-provider/share-app-app")).multipart(form))
            .await;
    t.add("fake receiver share-app-app: deeplink layout", &a);
    let form = reqwest::multipart::Form::new().text("encodeData", "MIIB");
    let a = send(
        http.post(format!("{base}/api/v1/acquirer-provider/share-encoded-data")).multipart(form),
    )
    .await;
    t.add("fake receiver share-encoded-data", &a);

    insta::assert_json_snapshot!("offer_and_test_routes", t.0);
    sim.shutdown().await;
}
