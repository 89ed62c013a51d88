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
