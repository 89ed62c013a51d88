//! The client against a local Diia stand-in: every call, every error kind, sessions, retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diia::{
    BranchDetails, BranchScopes, ClientConfig, DiiaClient, DiiaError, DocumentRequest,
    DynamicOfferRequest, ErrorKind, OfferDetails, OfferScopes, Page, RequestStatus, RetryPolicy,
    Secret, ShareCode,
};
use serde_json::{Value, json};

use crate::mock::{MockDiia, Recorded, Reply};

const ACQUIRER_TOKEN: &str = "acq-S3CRET-token";
const SESSION_TOKEN: &str = "session-S3CRET-1";

fn config(base_url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base_url, Secret::new(ACQUIRER_TOKEN)).unwrap();
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    };
    config.request_timeout = Duration::from_millis(800);
    config
}

fn client(mock: &MockDiia) -> DiiaClient {
    DiiaClient::new(config(&mock.base_url)).unwrap()
}

fn login_path() -> String {
    format!("/api/v1/auth/acquirer/{ACQUIRER_TOKEN}")
}

fn login_ok() -> Reply {
    Reply::json(200, json!({ "token": SESSION_TOKEN }))
}

fn branch_json(id: &str) -> Value {
    json!({"_id": id, "name": "Відділення №1", "email": "branch@example.ua", "region": "Київська обл.",
        "district": "Бучанський р-н", "location": "Буча", "street": "вул. Вокзальна", "house": "1",
        "deliveryTypes": ["api"], "offerRequestType": "dynamic",
        "scopes": {"sharing": ["internal-passport"], "identification": [], "documentIdentification": ["internal-passport"]}})
}

fn branch_details() -> BranchDetails {
    BranchDetails {
        name: "Відділення №1".into(),
        email: "branch@example.ua".into(),
        region: "Київська обл.".into(),
        district: "Бучанський р-н".into(),
        location: "Буча".into(),
        street: "вул. Вокзальна".into(),
        house: "1".into(),
        custom_full_name: Some("ТОВ «Вікно»".into()),
        custom_full_address: None,
        delivery_types: vec!["api".into()],
        offer_request_type: "dynamic".into(),
        scopes: BranchScopes {
            sharing: vec!["internal-passport".into(), "taxpayer-card".into()],
            identification: vec![],
            document_identification: vec!["internal-passport".into()],
            diia_id: vec![],
        },
    }
}

/// A Diia that logs in and answers every acquirer route with a success body.
fn happy(request: &Recorded, _seen: usize) -> Reply {
    if request.is_login() {
        return login_ok();
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/api/v2/acquirers/branch") => Reply::json(200, json!({"_id": "br-1"})),
        ("GET", "/api/v2/acquirers/branch/br-1") => Reply::json(200, branch_json("br-1")),
        ("GET", "/api/v2/acquirers/branches") => {
            Reply::json(200, json!({"total": 3, "branches": [branch_json("br-1")]}))
        }
        ("PUT", "/api/v2/acquirers/branch/br-1") => Reply::json(200, json!({"_id": "br-1"})),
        ("DELETE", "/api/v2/acquirers/branch/br-1") => Reply::empty(204),
        ("POST", "/api/v1/acquirers/branch/br-1/offer") => Reply::json(200, json!({"_id": "of-1"})),
        ("GET", "/api/v1/acquirers/branch/br-1/offers") => Reply::json(
            200,
            json!({"total": 1, "offers": [{"_id": "of-1", "name": "Кредит", "scopes": {"sharing": ["passport"]}}]}),
        ),
        ("DELETE", "/api/v1/acquirers/branch/br-1/offer/of-1") => Reply::empty(204),
        ("POST", "/api/v2/acquirers/branch/br-1/offer-request/dynamic") => Reply::json(
            200,
            json!({"deeplink": "https://diia.app/acquirers/offer-request/dynamic/1/abc"}),
        ),
        ("POST", "/api/v1/acquirers/branch/br-1/offer-request") => {
            Reply::json(200, json!({"deeplink": "https://diia.app/acquirers/offer-request/abc"}))
        }
        ("GET", "/api/v1/acquirers/offer-request/status") => {
            Reply::json(200, json!({"status": "done"}))
        }
        ("POST", "/api/v1/acquirers/document-request") => {
            Reply::json(200, json!({"success": true}))
        }
        ("GET", "/api/v1/acquirers/document-request/status") => {
            Reply::json(200, json!({"status": "processing"}))
        }
        ("POST", "/api/v1/acquirers/document-identification") => {
            Reply::json(200, json!({"success": true}))
        }
        ("POST", "/api/v1/acquirers/document-identification/age") => {
            Reply::json(200, json!({"success": true}))
        }
        ("GET", "/api/v1/acquirers/scopes") => {
            Reply::json(200, json!({"sharing": ["internal-passport"]}))
        }
        _ => Reply::json(404, json!({"name": "Error", "message": "Route not found", "code": 404})),
    }
}

#[tokio::test]
async fn every_call_sends_the_documented_request_and_types_the_answer() {
    let mock = MockDiia::start(happy).await;
    let mut config = config(&mock.base_url);
    config.basic_auth = Some(Secret::basic_from_parts("acquirer_42", &Secret::new(ACQUIRER_TOKEN)));
    let diia = DiiaClient::new(config).unwrap();

    assert_eq!(diia.create_branch(&branch_details()).await.unwrap(), "br-1");
    let branch = diia.get_branch("br-1").await.unwrap();
    assert_eq!(branch.details.location, "Буча");
    let page = diia.list_branches(Page { skip: Some(0), limit: Some(1) }).await.unwrap();
    assert_eq!((page.total, page.branches.len()), (3, 1));
    assert_eq!(diia.update_branch("br-1", &branch_details()).await.unwrap(), "br-1");
    diia.delete_branch("br-1").await.unwrap();

    let offer = OfferDetails {
        name: "Кредит".into(),
        return_link: Some("https://bank.example/return".into()),
        scopes: OfferScopes { sharing: vec!["passport".into()], diia_id: vec![] },
    };
    assert_eq!(diia.create_offer("br-1", &offer).await.unwrap(), "of-1");
    let offers = diia.list_offers("br-1", Page::default()).await.unwrap();
    assert_eq!(offers.offers[0].id, "of-1");
    diia.delete_offer("br-1", "of-1").await.unwrap();
    let deeplink = diia
        .request_offer_dynamic(
            "br-1",
            &DynamicOfferRequest {
                offer_id: "of-1".into(),
                request_id: Some("8d1f8a8e-2f0b-4a52-9b0b-2d2c4a5b6c7d".into()),
                ..DynamicOfferRequest::default()
            },
        )
        .await
        .unwrap();
    assert!(deeplink.deeplink.starts_with("https://diia.app/"));
    assert_eq!(diia.offer_request_status("otp-1", "r-1").await.unwrap(), RequestStatus::Done);

    let mut by_barcode = DocumentRequest::new("br-1", ShareCode::Barcode("2858364170864".into()));
    by_barcode.request_id = Some("0b6c3c8e-8f7e-4c1e-9b1a-1f2e3d4c5b6a".into());
    let accepted = diia.request_document(&by_barcode).await.unwrap();
    assert_eq!(accepted.request_id, "0b6c3c8e-8f7e-4c1e-9b1a-1f2e3d4c5b6a");
    let mut by_qr = DocumentRequest::new(
        "br-1",
        ShareCode::Qr("https://diia.app/documents/internal-passport/123/verify/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f".into()),
    );
    by_qr.request_id = Some("1c7d4d9f-9a8f-4d2f-8c2b-2a3f4e5d6c7b".into());
    by_qr.use_diia_id = Some(false);
    diia.request_document(&by_qr).await.unwrap();
    let status = diia
        .document_request_status("2858364170864", "0b6c3c8e-8f7e-4c1e-9b1a-1f2e3d4c5b6a")
        .await
        .unwrap();
    assert_eq!(status, RequestStatus::Processing);
    diia.identify_document("br-1", "2858364170864").await.unwrap();
    diia.identify_document_age("br-1", "2858364170864", 18).await.unwrap();
    assert_eq!(diia.scopes().await.unwrap()["sharing"][0], "internal-passport");
    let v1 = diia
        .request_offer_v1(
            "br-1",
            &DynamicOfferRequest {
                offer_id: "of-1".into(),
                request_id: Some("3e0c1b7a-5d4f-4c2b-9a1e-7f6d5c4b3a29".into()),
                ..DynamicOfferRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(v1.deeplink, "https://diia.app/acquirers/offer-request/abc");

    let requests = mock.requests();
    assert_eq!(mock.logins(), 1, "one session serves every call");
    let login = &requests[0];
    assert_eq!(login.path, login_path());
    assert_eq!(
        login.header("authorization").as_deref(),
        Some("Basic YWNxdWlyZXJfNDI6YWNxLVMzQ1JFVC10b2tlbg==")
    );
    for request in requests.iter().filter(|r| !r.is_login()) {
        assert_eq!(
            request.header("authorization").as_deref(),
            Some(format!("Bearer {SESSION_TOKEN}").as_str()),
            "{} {}",
            request.method,
            request.path
        );
        let accept = if request.method == "DELETE" { "*/*" } else { "application/json" };
        assert_eq!(request.header("accept").as_deref(), Some(accept));
    }
    let sent: Vec<Value> = requests
        .iter()
        .filter(|r| !r.is_login())
        .map(|r| json!({"method": r.method, "path": r.path, "query": r.query, "body": r.json()}))
        .collect();
    insta::assert_json_snapshot!("requests_sent", sent);
}

#[tokio::test]
async fn generated_request_ids_are_uuid_v4() {
    let mock = MockDiia::start(happy).await;
    let diia = client(&mock);
    let request = DocumentRequest::new("br-1", ShareCode::Barcode("2858364170864".into()));
    let first = diia.request_document(&request).await.unwrap().request_id;
    let second = diia.request_document(&request).await.unwrap().request_id;
    assert_ne!(first, second);
    for id in [&first, &second] {
        let uuid = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
    }
    let bodies: Vec<Value> =
        mock.requests().iter().filter(|r| !r.is_login()).map(Recorded::json).collect();
    assert_eq!(bodies[0]["requestId"], first.as_str());
    assert_eq!(bodies[1]["requestId"], second.as_str());
}

/// (status, body, expected kind) for a document request.
fn error_cases() -> Vec<(u16, Value, ErrorKind)> {
    vec![
        (
            400,
            json!({"name":"Error","message":"Code has been expired!","code":400,"data":{"now":"2026-12-03T16:00:00.000Z","expirationDate":"2026-12-03T15:59:00.000Z"}}),
            ErrorKind::CodeExpired,
        ),
        (
            400,
            json!({"name":"Error","message":"This code has been used already!","code":400}),
            ErrorKind::CodeUsed,
        ),
        (
            404,
            json!({"name":"ModelNotFoundError","message":"The requested model DocumentVerificationOtp No otp record with presented barcode! could not be found.","code":404}),
            ErrorKind::CodeUnknown,
        ),
        (
            400,
            json!({"name":"Error","message":"Document type must be internal-passport","code":400}),
            ErrorKind::TypeNotAllowed,
        ),
        (
            422,
            json!({"name":"ValidationError","message":"Validation failed","code":422,"data":[{"type":"required","field":"barcode","message":"The 'barcode' field is required.","expected":null,"actual":null}]}),
            ErrorKind::Validation,
        ),
        (
            503,
            json!({"name":"ServiceNotAvailableError","message":"Service not available","code":503}),
            ErrorKind::Unavailable,
        ),
        (403, json!({"name":"Error","message":"Forbidden","code":403}), ErrorKind::Unauthorized),
        (
            200,
            json!({"success":false,"name":"Error","message":"This code has been used already!","code":400}),
            ErrorKind::CodeUsed,
        ),
        (200, json!({"unexpected":"shape"}), ErrorKind::Unexpected),
        (418, json!({"message":"I'm a teapot"}), ErrorKind::Unexpected),
    ]
}

#[tokio::test]
async fn each_diia_error_maps_to_its_kind() {
    for (status, body, expected) in error_cases() {
        let reply_body = body.clone();
        let mock = MockDiia::start(move |request, _| {
            if request.is_login() { login_ok() } else { Reply::json(status, reply_body.clone()) }
        })
        .await;
        let err = client(&mock)
            .request_document(&DocumentRequest::new(
                "br-1",
                ShareCode::Barcode("2858364170864".into()),
            ))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), expected, "{status} {body}: {err}");
        assert_eq!(mock.count("POST", "/api/v1/acquirers/document-request"), 1, "never resent");
        if expected == ErrorKind::Validation {
            let fields = err.field_errors();
            assert_eq!(fields.len(), 1);
            assert_eq!(fields[0].field, "barcode");
            assert!(err.to_string().contains("barcode"), "{err}");
        }
        if expected == ErrorKind::CodeExpired {
            let DiiaError::Api { body, .. } = &err else { panic!("api error expected") };
            assert_eq!(body.expiration_date().as_deref(), Some("2026-12-03T15:59:00.000Z"));
        }
    }
}

#[tokio::test]
async fn unauthorized_after_relogin_and_bad_acquirer_token_never_leak_tokens() {
    let mock = MockDiia::start(|request, _| {
        if request.is_login() {
            Reply::json(401, json!({"name":"Error","message":format!("Acquirer not found by the provided token {ACQUIRER_TOKEN}"),"code":401,"type":"operated"}))
        } else {
            Reply::json(500, json!({}))
        }
    })
    .await;
    let err = client(&mock).list_branches(Page::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(mock.logins(), 1, "a refused login is not retried");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("S3CRET"), "token leaked: {text}");
    }
    assert!(err.to_string().contains("[redacted]"));

    // A session Diia keeps refusing: one re-login, then the 401 surfaces.
    let mock = MockDiia::start(|request, _| {
        if request.is_login() {
            login_ok()
        } else {
            Reply::json(401, json!({"name":"Error","message":"Empty token","code":401}))
        }
    })
    .await;
    let err = client(&mock).get_branch("br-1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(mock.logins(), 2);
    assert_eq!(mock.count("GET", "/api/v2/acquirers/branch/br-1"), 2);
    assert!(!format!("{err:?}").contains("S3CRET"));
}

#[tokio::test]
async fn network_and_timeout_errors() {
    // A port that was just free: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let diia = DiiaClient::new(config(&format!("http://{addr}"))).unwrap();
    let err = diia.scopes().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    let chain = format!("{err:?} {}", err);
    assert!(!chain.contains("S3CRET"), "login url leaked: {chain}");

    let mock = MockDiia::start(|request, _| {
        if request.is_login() {
            login_ok()
        } else {
            happy(request, 0).after(Duration::from_secs(3))
        }
    })
    .await;
    let err = client(&mock).identify_document("br-1", "2858364170864").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(mock.count("POST", "/api/v1/acquirers/document-identification"), 1);
}

#[tokio::test]
async fn document_requests_and_identifications_are_never_resent() {
    let mock = MockDiia::start(|request, _| {
        if request.is_login() {
            login_ok()
        } else if request.path.ends_with("/age") {
            happy(request, 0).after(Duration::from_secs(3))
        } else {
            Reply::json(503, json!({"name":"ServiceNotAvailableError","message":"Service not available","code":503}))
        }
    })
    .await;
    let diia = client(&mock);
    let request = DocumentRequest::new("br-1", ShareCode::Barcode("2858364170864".into()));
    assert_eq!(diia.request_document(&request).await.unwrap_err().kind(), ErrorKind::Unavailable);
    assert_eq!(
        diia.identify_document("br-1", "2858364170864").await.unwrap_err().kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        diia.identify_document_age("br-1", "2858364170864", 18).await.unwrap_err().kind(),
        ErrorKind::Timeout
    );
    let offer = DynamicOfferRequest { offer_id: "of-1".into(), ..DynamicOfferRequest::default() };
    assert!(diia.request_offer_dynamic("br-1", &offer).await.is_err());
    assert!(diia.create_branch(&branch_details()).await.is_err());
    for path in [
        "/api/v1/acquirers/document-request",
        "/api/v1/acquirers/document-identification",
        "/api/v1/acquirers/document-identification/age",
        "/api/v2/acquirers/branch/br-1/offer-request/dynamic",
        "/api/v2/acquirers/branch",
    ] {
        assert_eq!(mock.count("POST", path), 1, "{path} must be sent exactly once");
    }
}

#[tokio::test]
async fn safe_calls_retry_503_with_backoff() {
    let mock = MockDiia::start(|request, seen| {
        if request.is_login() {
            // The login itself also recovers from a 503.
            return if seen == 0 { Reply::json(503, json!({"code":503})) } else { login_ok() };
        }
        if seen < 2 {
            return Reply::json(503, json!({"name":"ServiceNotAvailableError","message":"Service not available","code":503}));
        }
        happy(request, seen)
    })
    .await;
    let diia = client(&mock);
    let status = diia.document_request_status("2858364170864", "r-1").await.unwrap();
    assert_eq!(status, RequestStatus::Processing);
    assert_eq!(mock.logins(), 2);
    assert_eq!(mock.count("GET", "/api/v1/acquirers/document-request/status"), 3);
    // PUT and DELETE are idempotent: a 503 is retried too.
    diia.delete_branch("br-1").await.unwrap();
    assert_eq!(mock.count("DELETE", "/api/v2/acquirers/branch/br-1"), 3);

    // Three attempts at most.
    let always = MockDiia::start(|request, _| {
        if request.is_login() { login_ok() } else { Reply::json(503, json!({"code":503})) }
    })
    .await;
    let err = client(&always).scopes().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(always.count("GET", "/api/v1/acquirers/scopes"), 3);
}

#[tokio::test]
async fn expired_session_is_renewed_invisibly() {
    // Diia stops accepting the first session after two calls (it "expired").
    let logins = Arc::new(AtomicUsize::new(0));
    let counter = logins.clone();
    let mock = MockDiia::start(move |request, _| {
        if request.is_login() {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(200, json!({ "token": format!("session-{n}") }));
        }
        let bearer = request.header("authorization").unwrap_or_default();
        let served_by_first = request.path == "/api/v1/acquirers/scopes";
        if bearer == "Bearer session-1" && !served_by_first {
            return Reply::json(401, json!({"name":"Error","message":"Not authorized","code":401}));
        }
        happy(request, 0)
    })
    .await;
    let diia = client(&mock);
    diia.scopes().await.unwrap();
    diia.scopes().await.unwrap();
    // The document request hits the expired session, re-logs in, and goes through once.
    let request = DocumentRequest::new("br-1", ShareCode::Barcode("2858364170864".into()));
    diia.request_document(&request).await.unwrap();
    diia.get_branch("br-1").await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    let doc_requests: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/acquirers/document-request")
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_eq!(doc_requests, ["Bearer session-1", "Bearer session-2"]);
}

fn jwt(exp: u64) -> String {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims = json!({ "exp": exp, "sessionType": "Acquirer" }).to_string();
    format!("{}.{}.c2ln", engine.encode(r#"{"alg":"HS256","typ":"JWT"}"#), engine.encode(claims))
}

#[tokio::test]
async fn session_is_renewed_before_its_jwt_exp() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    // Expires in 4 min: inside the 5 min margin, so every call logs in afresh.
    let short = MockDiia::start(move |request, _| {
        if request.is_login() {
            Reply::json(200, json!({"token": jwt(now + 240)}))
        } else {
            happy(request, 0)
        }
    })
    .await;
    let diia = client(&short);
    diia.scopes().await.unwrap();
    diia.scopes().await.unwrap();
    assert_eq!(short.logins(), 2);

    // Expires in 1 h: cached.
    let long = MockDiia::start(move |request, _| {
        if request.is_login() {
            Reply::json(200, json!({"token": jwt(now + 3600)}))
        } else {
            happy(request, 0)
        }
    })
    .await;
    let diia = client(&long);
    diia.scopes().await.unwrap();
    diia.scopes().await.unwrap();
    assert_eq!(long.logins(), 1);

    // No readable exp: the configured lifetime applies.
    let opaque = MockDiia::start(happy).await;
    let mut config = config(&opaque.base_url);
    // Renewed 1 s after login: ample time for the second call even on a loaded machine.
    config.session_lifetime = Duration::from_millis(1500);
    config.session_refresh_margin = Duration::from_millis(500);
    let diia = DiiaClient::new(config).unwrap();
    diia.scopes().await.unwrap();
    diia.scopes().await.unwrap();
    assert_eq!(opaque.logins(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    diia.scopes().await.unwrap();
    assert_eq!(opaque.logins(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_login() {
    let mock = MockDiia::start(|request, seen| {
        if request.is_login() {
            login_ok().after(Duration::from_millis(150))
        } else {
            happy(request, seen)
        }
    })
    .await;
    let diia = client(&mock);
    let calls = (0..24).map(|_| {
        let diia = diia.clone();
        tokio::spawn(async move { diia.list_branches(Page::default()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(mock.logins(), 1);
    assert_eq!(mock.count("GET", "/api/v2/acquirers/branches"), 24);
}

#[tokio::test]
async fn refuses_empty_inputs_without_calling_diia() {
    let mock = MockDiia::start(happy).await;
    let diia = client(&mock);
    let err = diia.get_branch(" ").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let err = diia
        .request_document(&DocumentRequest::new("br-1", ShareCode::Barcode(String::new())))
        .await
        .unwrap_err();
    assert!(matches!(err, DiiaError::InvalidRequest(_)));
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn path_segments_are_encoded_and_base_path_kept() {
    let mock = MockDiia::start(|request, _| {
        if request.is_login() { login_ok() } else { Reply::json(200, branch_json("a/b c")) }
    })
    .await;
    let diia = DiiaClient::new(config(&format!("{}/prefix/", mock.base_url))).unwrap();
    diia.get_branch("a/b c").await.unwrap();
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths[0], format!("/prefix/api/v1/auth/acquirer/{ACQUIRER_TOKEN}"));
    assert_eq!(paths[1], "/prefix/api/v2/acquirers/branch/a%2Fb%20c");
}
