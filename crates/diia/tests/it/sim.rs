//! The client against the project's Diia simulator (diia-sim), started on a random port.

use diia::{
    BranchDetails, BranchScopes, ClientConfig, DiiaClient, DocumentRequest, DynamicOfferRequest,
    ErrorKind, OfferDetails, OfferScopes, Page, RequestStatus, Secret, ShareCode,
};
use diia_sim::{Script, SimConfig, SimHandle, Simulator};

async fn start() -> (SimHandle, DiiaClient) {
    let config = SimConfig { default_script: Script::NeverAnswer, ..SimConfig::default() };
    let sim = Simulator::start(config).await.unwrap();
    let client_config =
        ClientConfig::new(&sim.base_url(), Secret::new(sim.acquirer_token())).unwrap();
    (sim, DiiaClient::new(client_config).unwrap())
}

fn valid_document(sim: &SimHandle, doc_type: &str) -> String {
    sim.persons()
        .iter()
        .flat_map(|person| person.documents.iter())
        .find(|doc| doc.doc_type == doc_type && doc.state == diia_sim::persons::DocState::Valid)
        .map(|doc| doc.id.clone())
        .unwrap()
}

#[tokio::test]
async fn client_against_the_simulator() {
    let (sim, diia) = start().await;
    let branch_id = sim.branch_id();
    let branches = diia.list_branches(Page::default()).await.unwrap();
    assert!(branches.branches.iter().any(|branch| branch.id == branch_id));
    let branch = diia.get_branch(&branch_id).await.unwrap();
    assert!(branch.details.scopes.sharing.iter().any(|t| t == "internal-passport"));

    // Document request and its status.
    let passport = valid_document(&sim, "internal-passport");
    let code = sim.issue_code(&passport, Some(Script::NeverAnswer)).unwrap();
    let accepted = diia
        .request_document(&DocumentRequest::new(
            &branch_id,
            ShareCode::Barcode(code.barcode.clone()),
        ))
        .await
        .unwrap();
    let status = diia.document_request_status(&code.barcode, &accepted.request_id).await.unwrap();
    assert_eq!(status, RequestStatus::Processing);

    // Validation: valid once, then used.
    let code = sim.issue_code(&passport, None).unwrap();
    diia.identify_document(&branch_id, &code.barcode).await.unwrap();
    let err = diia.identify_document(&branch_id, &code.barcode).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CodeUsed, "{err}");

    // Expired and unknown codes.
    let code = sim.issue_code(&passport, None).unwrap();
    assert!(sim.expire_code(&code.barcode));
    let err = diia.identify_document(&branch_id, &code.barcode).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CodeExpired, "{err}");
    let err = diia.identify_document(&branch_id, "1234567890128").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CodeUnknown, "{err}");

    // Sessions revoked by Diia are renewed invisibly.
    sim.expire_sessions();
    diia.get_branch(&branch_id).await.unwrap();

    // A wrong acquirer token.
    let wrong = ClientConfig::new(&sim.base_url(), Secret::new("not-the-token")).unwrap();
    let err = DiiaClient::new(wrong).unwrap().scopes().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(!err.to_string().contains("not-the-token"), "{err}");
    sim.shutdown().await;
}

#[tokio::test]
async fn management_calls_against_the_simulator() {
    let (sim, diia) = start().await;
    let details = BranchDetails {
        name: "Відділення 2".into(),
        email: "branch2@example.com".into(),
        region: "Київська обл.".into(),
        district: "Бучанський р-н".into(),
        location: "Буча".into(),
        street: "вул. Вокзальна".into(),
        house: "1".into(),
        delivery_types: vec!["api".into()],
        offer_request_type: "dynamic".into(),
        scopes: BranchScopes {
            sharing: vec!["taxpayer-card".into()],
            document_identification: vec!["taxpayer-card".into()],
            ..BranchScopes::default()
        },
        ..BranchDetails::default()
    };
    let id = diia.create_branch(&details).await.unwrap();
    assert_eq!(diia.get_branch(&id).await.unwrap().details.name, "Відділення 2");
    let mut changed = details.clone();
    changed.house = "2".into();
    diia.update_branch(&id, &changed).await.unwrap();
    assert_eq!(diia.get_branch(&id).await.unwrap().details.house, "2");
    let page = diia.list_branches(Page { skip: Some(0), limit: Some(1) }).await.unwrap();
    assert_eq!((page.total, page.branches.len()), (2, 1), "skip/limit are honoured");

    // The new branch may share taxpayer cards only: a passport code is refused by scope.
    let passport = valid_document(&sim, "internal-passport");
    let code = sim.issue_code(&passport, Some(Script::NeverAnswer)).unwrap();
    let err = diia
        .request_document(&DocumentRequest::new(&id, ShareCode::Barcode(code.barcode.clone())))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeNotAllowed, "{err}");

    // Offers and a dynamic offer request.
    let offer = OfferDetails {
        name: "Відкриття рахунку".into(),
        return_link: None,
        scopes: OfferScopes { sharing: vec!["taxpayer-card".into()], ..OfferScopes::default() },
    };
    let offer_id = diia.create_offer(&id, &offer).await.unwrap();
    let offers = diia.list_offers(&id, Page::default()).await.unwrap();
    assert!(offers.offers.iter().any(|o| o.id == offer_id), "{offers:?}");
    let request = DynamicOfferRequest { offer_id: offer_id.clone(), ..Default::default() };
    let link = diia.request_offer_dynamic(&id, &request).await.unwrap();
    assert!(link.deeplink.starts_with("https://diia.app/"), "{}", link.deeplink);
    diia.delete_offer(&id, &offer_id).await.unwrap();
    assert!(diia.list_offers(&id, Page::default()).await.unwrap().offers.is_empty());

    // The age check on the built-in branch, and the acquirer's scopes.
    let code = sim.issue_code(&passport, None).unwrap();
    diia.identify_document_age(&sim.branch_id(), &code.barcode, 18).await.unwrap();
    let scopes = diia.scopes().await.unwrap();
    assert!(scopes.get("sharing").is_some(), "{scopes}");

    diia.delete_branch(&id).await.unwrap();
    let err = diia.get_branch(&id).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    sim.shutdown().await;
}

/// One delivery POST exactly as the receiver got it: content type, trace id header, body.
type Captured = (String, Option<String>, Vec<u8>);

/// A receiver that keeps the raw deliveries (parsing is what the test exercises).
async fn raw_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Captured>>>) {
    use axum::http::HeaderMap;
    let got: std::sync::Arc<std::sync::Mutex<Vec<Captured>>> = Default::default();
    let state = got.clone();
    let app = axum::Router::new().route(
        "/diia",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let state = state.clone();
            async move {
                let header =
                    |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let content_type = header("content-type").unwrap_or_default();
                state.lock().unwrap().push((
                    content_type,
                    header(diia::TRACE_ID_HEADER),
                    body.to_vec(),
                ));
                axum::Json(serde_json::json!({"success": true}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/diia", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

fn opener(sim: &SimHandle) -> diia::UaCryptoOpener {
    let partner = sim.partner_identity().unwrap();
    let certs = sim.diia_certificates();
    let pem = |pem: &str| ua_crypto::Certificate::from_pem_or_der(pem.as_bytes()).unwrap();
    diia::UaCryptoOpener {
        keys: ua_crypto::KeyContainer::open(&partner.pkcs12, &partner.pkcs12_password).unwrap(),
        sender_certs: vec![pem(&certs.key_agreement_pem)],
        policy: ua_crypto::TrustPolicy {
            trusted_signers: vec![pem(&certs.signing_pem)],
            at: time::OffsetDateTime::now_utc(),
        },
    }
}

#[tokio::test]
async fn deeplink_request_status_and_delivery_through_the_client() {
    let (url, got) = raw_receiver().await;
    let config = SimConfig {
        default_script: Script::Confirm { after_ms: 0 },
        deliver_to: Some(url),
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await.unwrap();
    let client_config =
        ClientConfig::new(&sim.base_url(), Secret::new(sim.acquirer_token())).unwrap();
    let diia = DiiaClient::new(client_config).unwrap();
    let branch_id = sim.branch_id();
    let offer = OfferDetails {
        name: "Відкриття рахунку".into(),
        return_link: None,
        scopes: OfferScopes {
            sharing: vec!["passport".into(), "taxpayer-card".into()],
            ..OfferScopes::default()
        },
    };
    let offer_id = diia.create_offer(&branch_id, &offer).await.unwrap();
    let created = diia
        .request_offer_dynamic(
            &branch_id,
            &DynamicOfferRequest { offer_id: offer_id.clone(), ..Default::default() },
        )
        .await
        .unwrap();
    let otp = created.deeplink.rsplit('/').next().unwrap();
    let status = diia.offer_request_status(otp, &created.request_id).await.unwrap();
    assert_eq!(status, RequestStatus::Processing, "nobody opened the deeplink yet");
    let err = diia.offer_request_status(otp, "another-request").await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    let by_request_id = diia.offer_request_status("", &created.request_id).await.unwrap();
    assert_eq!(by_request_id, RequestStatus::Processing, "otp may be left out");

    // The v1 route answers a deeplink too.
    let v1 = diia
        .request_offer_v1(&branch_id, &DynamicOfferRequest { offer_id, ..Default::default() })
        .await
        .unwrap();
    assert!(
        v1.deeplink.starts_with("https://diia.app/acquirers/offer-request/"),
        "{}",
        v1.deeplink
    );

    sim.open_deeplink(&created.deeplink, "p1", None).unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        let status = diia.offer_request_status(otp, &created.request_id).await.unwrap();
        if !matches!(status, RequestStatus::Processing | RequestStatus::Confirmed)
            || tokio::time::Instant::now() > deadline
        {
            break status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(status, RequestStatus::Done);

    // The client's own parser and opener take the simulator's deeplink delivery.
    let (content_type, trace_id, body) = got.lock().unwrap().pop().unwrap();
    let raw = diia::parse_delivery(
        &content_type,
        trace_id.as_deref(),
        &body,
        &diia::DeliveryLimits::default(),
    )
    .unwrap();
    assert_eq!(raw.layout, diia::DeliveryLayout::Deeplink);
    assert_eq!(raw.trace_id, created.request_id);
    let opened = diia::open_delivery(&raw, &opener(&sim)).unwrap();
    assert_eq!(opened.metadata.request_id.as_deref(), Some(created.request_id.as_str()));
    assert_eq!(opened.metadata.document_types, ["internal-passport", "taxpayer-card"]);
    let types: Vec<_> = opened.documents.iter().map(|d| d.document_type.as_deref()).collect();
    assert_eq!(types, [Some("internal-passport"), Some("taxpayer-card")]);
    assert!(opened.documents.iter().all(|d| d.is_pdf()));
    assert_eq!(opened.metadata.documents.len(), 2);
    assert!(opened.metadata_signer.as_ref().unwrap().subject.contains("ДІЯ"));
    sim.shutdown().await;
}
