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
