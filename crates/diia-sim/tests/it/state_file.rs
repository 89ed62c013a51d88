//! Persistence: branches, offers and the acquirer token survive a restart; writes are atomic.

use diia_sim::SimConfig;
use serde_json::json;

use crate::support::{Clerk, fast_config, start};

#[tokio::test]
async fn branches_and_token_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim-state.json");
    let config = SimConfig { state_file: Some(path.clone()), ..fast_config() };

    let sim = start(config.clone()).await;
    let token = sim.acquirer_token();
    let default_branch = sim.branch_id();
    let clerk = Clerk::login(&sim).await;
    let a = clerk
        .call("POST", "/api/v2/acquirers/branch", Some(json!({
            "name": "Збережена", "email": "keep@example.com", "region": "Львівська обл.",
            "district": "Львівський р-н", "location": "м. Львів", "street": "пл. Ринок", "house": "1",
            "deliveryTypes": ["api"], "offerRequestType": "dynamic",
            "scopes": {"sharing": ["passport"], "identification": [], "documentIdentification": []}
        })))
        .await;
    let kept = a.body["_id"].as_str().unwrap().to_string();
    sim.shutdown().await;

    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["branches"].as_array().unwrap().len(), 2);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left behind");

    let sim = start(config).await;
    assert_eq!(sim.acquirer_token(), token);
    assert_eq!(sim.branch_id(), default_branch);
    let clerk = Clerk::login(&sim).await;
    let a = clerk.call("GET", &format!("/api/v2/acquirers/branch/{kept}"), None).await;
    assert_eq!((a.status, a.body["name"].clone()), (200, json!("Збережена")));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, b"{ not json").unwrap();
    let err = diia_sim::Simulator::start(SimConfig { state_file: Some(path), ..fast_config() })
        .await
        .expect_err("must fail");
    assert!(matches!(err, diia_sim::SimError::State(_)), "{err}");
}

#[tokio::test]
async fn diia_and_partner_identity_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim-state.json");
    let rx = crate::support::receiver().await;
    let config = SimConfig {
        state_file: Some(path.clone()),
        deliver_to: Some(rx.url.clone()),
        ..fast_config()
    };

    let sim = start(config.clone()).await;
    let certs = sim.diia_certificates();
    let partner = sim.partner_identity().expect("partner identity generated");
    sim.shutdown().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the state file holds private keys");
    }

    // After a restart the receiver's configuration from the first run still opens deliveries.
    let sim = start(config.clone()).await;
    assert_eq!(sim.diia_certificates(), certs, "same Diia certificates");
    let again = sim.partner_identity().expect("partner identity kept");
    assert_eq!(
        (again.pkcs12.as_slice(), again.pkcs12_password.as_str()),
        (partner.pkcs12.as_slice(), partner.pkcs12_password.as_str()),
        "same partner container and password"
    );
    let clerk = Clerk::login(&sim).await;
    let code = sim.issue_code("d102", None).unwrap();
    let a = clerk
        .call(
            "POST",
            "/api/v1/acquirers/document-request",
            Some(json!({"branchId": sim.branch_id(), "barcode": code.barcode, "requestId": "r"})),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.raw);
    let req = crate::support::wait_final(&sim, &code.barcode, "r").await;
    assert_eq!(req.status, diia_sim::RequestStatus::Delivered, "{:?}", req.reason);
    let keys = ua_crypto::KeyContainer::open(&partner.pkcs12, &partner.pkcs12_password).unwrap();
    let ka = ua_crypto::Certificate::from_pem_or_der(certs.key_agreement_pem.as_bytes()).unwrap();
    let signer = ua_crypto::Certificate::from_pem_or_der(certs.signing_pem.as_bytes()).unwrap();
    let policy = ua_crypto::TrustPolicy {
        trusted_signers: vec![signer],
        at: time::OffsetDateTime::now_utc(),
    };
    let delivered = rx.received();
    ua_crypto::open_envelope(delivered[0].encode_data.as_bytes(), &keys, &[ka], &policy)
        .expect("first-run partner key and Diia certificates open a second-run delivery");
    sim.shutdown().await;

    // A configured partner certificate wins but the stored partner identity is not lost.
    let sim = start(SimConfig {
        partner_cert: Some(partner.key_agreement_cert_pem.clone().into_bytes()),
        ..config.clone()
    })
    .await;
    assert!(sim.partner_identity().is_none());
    sim.shutdown().await;
    let sim = start(config).await;
    assert_eq!(sim.partner_identity().unwrap().pkcs12, partner.pkcs12);
    sim.shutdown().await;
    rx.stop();
}

#[tokio::test]
async fn a_tampered_identity_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim-state.json");
    let config = SimConfig { state_file: Some(path.clone()), ..fast_config() };
    start(config.clone()).await.shutdown().await;
    let mut state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    // Swap the two Diia keys: each no longer matches its certificate.
    let diia = &mut state["identity"]["diia"];
    let signing = diia["signingKeyHex"].clone();
    diia["signingKeyHex"] = diia["keyAgreementKeyHex"].clone();
    diia["keyAgreementKeyHex"] = signing;
    std::fs::write(&path, serde_json::to_vec(&state).unwrap()).unwrap();
    let err = diia_sim::Simulator::start(config).await.expect_err("must fail");
    assert!(matches!(err, diia_sim::SimError::State(_)), "{err}");
}
