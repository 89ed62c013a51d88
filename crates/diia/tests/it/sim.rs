//! The client against the project's Diia simulator (diia-sim), started on a random port.

use diia::{
    ClientConfig, DiiaClient, DocumentRequest, ErrorKind, Page, RequestStatus, Secret, ShareCode,
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
