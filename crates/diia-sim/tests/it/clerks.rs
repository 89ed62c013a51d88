//! Fifty concurrent clerks requesting documents: each delivery arrives exactly once and opens.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diia_sim::{RequestStatus, SimConfig};
use serde_json::json;

use crate::support::{Clerk, fast_config, partner_opening, receiver, start, wait_final};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_clerks_each_delivery_arrives_once() {
    let rx = receiver().await;
    let sim = start(SimConfig {
        deliver_to: Some(rx.url.clone()),
        answer_timeout: Duration::from_secs(60),
        ..fast_config()
    })
    .await;
    let docs: Vec<String> =
        sim.persons().iter().flat_map(|p| p.documents.iter().map(|d| d.id.clone())).collect();
    let clerk = std::sync::Arc::new(Clerk::login(&sim).await);
    let branch = sim.branch_id();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let code = sim.issue_code(&docs[i % docs.len()], None).unwrap();
        let clerk = clerk.clone();
        let branch = branch.clone();
        tasks.push(tokio::spawn(async move {
            let rid = uuid::Uuid::new_v4().to_string();
            let a = clerk
                .call(
                    "POST",
                    "/api/v1/acquirers/document-request",
                    Some(json!({"branchId": branch, "barcode": code.barcode, "requestId": rid})),
                )
                .await;
            assert_eq!(a.body, json!({"success": true}));
            (code.barcode, rid)
        }));
    }
    let mut requests = Vec::new();
    for t in tasks {
        requests.push(t.await.unwrap());
    }
    let mut finals = Vec::new();
    for (barcode, rid) in &requests {
        finals.push(wait_final(&sim, barcode, rid).await.status);
    }
    let elapsed = started.elapsed();

    assert!(finals.iter().all(|s| *s == RequestStatus::Delivered), "{finals:?}");
    let mut per_trace: HashMap<String, usize> = HashMap::new();
    for d in rx.received() {
        *per_trace.entry(d.trace_id).or_default() += 1;
    }
    assert_eq!(per_trace.len(), 50);
    for (_, rid) in &requests {
        assert_eq!(per_trace.get(rid), Some(&1), "{rid} delivered exactly once");
    }
    // Every delivery also opens: decrypted with the partner key, Diia's signature verified.
    let (keys, ka, policy) = partner_opening(&sim);
    for d in rx.received() {
        let pdf = ua_crypto::open_envelope(
            d.encrypted_file.as_bytes(),
            &keys,
            std::slice::from_ref(&ka),
            &policy,
        )
        .expect("every delivered copy opens and verifies");
        assert!(pdf.content.starts_with(b"%PDF-"), "{} is not a PDF", d.trace_id);
        let meta = ua_crypto::open_envelope(
            d.encode_data.as_bytes(),
            &keys,
            std::slice::from_ref(&ka),
            &policy,
        )
        .expect("every delivered metadata opens and verifies");
        let meta: serde_json::Value = serde_json::from_slice(&meta.content).expect("json");
        let (barcode, _) =
            requests.iter().find(|(_, rid)| *rid == d.trace_id).expect("a request of ours");
        assert_eq!(meta["barcode"], json!(barcode), "metadata belongs to its request");
    }
    let rate = 50.0 / elapsed.as_secs_f64();
    println!(
        "THROUGHPUT: 50 sealed deliveries in {:.2} s = {rate:.1} deliveries/s",
        elapsed.as_secs_f64()
    );
    sim.shutdown().await;
    rx.stop();
}
