//! Writes seed corpora for the fuzz targets in `fuzz/` into the directory given as the only
//! argument (one subdirectory per target). Seeds are DER, since byte mutations of base64 text
//! mostly just break the base64; containers use few KDF rounds so that mutants run fast.
//! The published samples are read in place and only written, decoded, under that directory,
//! which `fuzz/.gitignore` keeps out of the repository.
//!
//! `cargo run -p ua-crypto --example fuzz_seeds -- crates/ua-crypto/fuzz/corpus`

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use base64::Engine as _;

fn fixture(relative: &str) -> Vec<u8> {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/");
    std::fs::read(format!("{base}{relative}")).expect("fixture present")
}

fn der_of(base64_text: &[u8]) -> Vec<u8> {
    let text: Vec<u8> =
        base64_text.iter().copied().filter(|byte| !byte.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(text).expect("sample is base64")
}

fn write(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let target_dir = dir.join(target);
    std::fs::create_dir_all(&target_dir).expect("create corpus directory");
    std::fs::write(target_dir.join(name), bytes).expect("write seed");
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: fuzz_seeds OUTPUT_DIR"));
    let mut rng = rand::rng();

    // Envelopes: the small key6 delivery (the passport one is 190 KB, too slow to mutate)
    // and the pfx-set one (not addressed to the key6 keys: exercises recipient matching).
    write(
        &dir,
        "envelope",
        "key6-metadata.der",
        &der_of(&fixture("key6-set/encodedData.json.p7s.p7e")),
    );
    write(&dir, "envelope", "pfx-set.der", &der_of(&fixture("pfx-set/EnvelopedData")));

    // Signed-only messages from a generated identity, over the metadata JSON.
    let ca = ua_crypto::testca::TestCa::generate("Fuzz CA", &mut rng).expect("test CA");
    let identity = ca.generate_identity("Fuzz", &mut rng).expect("identity");
    let content = fixture("key6-set/encodedData.json");
    let now = time::OffsetDateTime::now_utc();
    let signed = ua_crypto::sign_attached(
        &content,
        &identity.signing_key,
        &identity.signing_cert,
        now,
        &mut rng,
    )
    .expect("sign");
    write(&dir, "signed", "attached.der", &signed);
    let short = ua_crypto::sign_attached(
        b"detached content",
        &identity.signing_key,
        &identity.signing_cert,
        now,
        &mut rng,
    )
    .expect("sign");
    write(&dir, "signed", "short.der", &short);

    // Certificates: the samples (named and explicit curves) and generated ones.
    for (idx, name) in [
        "key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer",
        "key6-set/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer",
        "pfx-set/DiiaKey1.cer",
        "pfx-set/DiiaKey2.cer",
        "pfx-set/user_cert.crt",
        "pfx-set/user_cert_enc.crt",
    ]
    .iter()
    .enumerate()
    {
        write(&dir, "certificate", &format!("sample-{idx}.der"), &fixture(name));
    }
    write(&dir, "certificate", "generated-signing.der", identity.signing_cert.der());
    write(&dir, "certificate", "generated-ka.der", identity.ka_cert.der());
    write(&dir, "certificate", "generated-ca.der", identity.ca_cert.der());

    // Containers with the fuzz target's password and 2 KDF rounds (the samples' 10 000 would
    // make every mutant cost a third of a second).
    let pkcs12 = ua_crypto::write_pkcs12(
        &[&identity.signing_key, &identity.ka_key],
        &[&identity.signing_cert, &identity.ka_cert],
        "12345677",
        2,
        &mut rng,
    );
    write(&dir, "container", "pkcs12.der", &pkcs12);
    let iit = ua_crypto::write_iit_container(&identity.signing_key, &identity.ka_key, "12345677");
    write(&dir, "container", "iit.der", &iit);
}
