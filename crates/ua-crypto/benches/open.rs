//! Opening the published deliveries with keys already loaded, verifying a signature, and
//! loading each key container. Target: the 190 KB passport delivery opens in under 5 ms.
//! `passport_190k` is the steady state (the key remembers its agreement with Diia's
//! key-agreement key after the first delivery); `passport_190k_first` is the first delivery
//! after the container was opened, key agreement included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use time::macros::datetime;
use ua_crypto::{Certificate, KeyContainer, TrustPolicy, open_envelope};

fn fixture(relative: &str) -> Vec<u8> {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/");
    std::fs::read(format!("{base}{relative}")).expect("fixture present")
}

fn bench(c: &mut Criterion) {
    let keys = KeyContainer::open(&fixture("key6-set/Key-6.dat"), "12345677").unwrap();
    let signer =
        Certificate::from_der(&fixture("key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer"))
            .unwrap();
    let policy = TrustPolicy {
        trusted_signers: vec![signer.clone()],
        at: datetime!(2024-10-24 10:22:56 UTC),
    };
    let passport =
        fixture("key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf.p7s.p7e");
    let metadata = fixture("key6-set/encodedData.json.p7s.p7e");
    let mut group = c.benchmark_group("open");
    group.sample_size(20);
    group.bench_function("passport_190k", |b| {
        b.iter(|| open_envelope(&passport, &keys, &[], &policy).unwrap())
    });
    let key6 = fixture("key6-set/Key-6.dat");
    let fresh_keys = || KeyContainer::open(&key6, "12345677").unwrap();
    group.bench_function("passport_190k_first", |b| {
        b.iter_batched(
            fresh_keys,
            |keys| open_envelope(&passport, &keys, &[], &policy).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("metadata_8k", |b| {
        b.iter(|| open_envelope(&metadata, &keys, &[], &policy).unwrap())
    });
    // A signed-only message: the simulator's signature over the metadata JSON.
    let mut rng = rand::rng();
    let ca = ua_crypto::testca::TestCa::generate("Bench CA", &mut rng).unwrap();
    let identity = ca.generate_identity("Bench", &mut rng).unwrap();
    let signed = ua_crypto::sign_attached(
        &fixture("key6-set/encodedData.json"),
        &identity.signing_key,
        &identity.signing_cert,
        time::OffsetDateTime::now_utc(),
        &mut rng,
    )
    .unwrap();
    let signed_policy = TrustPolicy {
        trusted_signers: vec![identity.signing_cert.clone()],
        at: time::OffsetDateTime::now_utc(),
    };
    group.bench_function("verify_signed_808b", |b| {
        b.iter(|| ua_crypto::verify_signed(&signed, None, &signed_policy).unwrap())
    });
    group.finish();
    let mut group = c.benchmark_group("container");
    group.sample_size(10);
    group.bench_function("key6_pkcs12", |b| {
        b.iter(|| KeyContainer::open(&key6, "12345677").unwrap())
    });
    let pfx = fixture("pfx-set/DiiaTest.pfx");
    group.bench_function("diia_test_pfx", |b| b.iter(|| KeyContainer::open(&pfx, "Test").unwrap()));
    let iit = ua_crypto::write_iit_container(&identity.signing_key, &identity.ka_key, "12345677");
    group
        .bench_function("iit_legacy", |b| b.iter(|| KeyContainer::open(&iit, "12345677").unwrap()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
