//! Shared helpers: fixture loading, receiver configuration, multipart bodies.

use std::path::Path;
use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;
use ua_crypto::{Certificate, KeyContainer};
use vikno_core::{
    AuditContext, MasterKeySource, ReceiverConfig, SecretKey, Store, VerificationTime,
};

pub(crate) const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/key6-set");
pub(crate) const PDF_NAME: &str = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf";
pub(crate) const SIGNER_CERT: &str = "EU-5B63D88375D9201804000000E0BA0500B4810D00.cer";
pub(crate) const OTHER_CERT: &str = "EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer";
pub(crate) const VERIFY_AT: OffsetDateTime = datetime!(2024-10-24 10:22:56 UTC);

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).expect("fixture present")
}

pub(crate) fn cert(name: &str) -> Certificate {
    Certificate::from_pem_or_der(&fixture(name)).expect("fixture certificate")
}

pub(crate) fn ctx() -> AuditContext {
    AuditContext::new("clerk-7", "ws-12", "branch-3")
}

pub(crate) fn open_store(dir: &Path) -> Arc<Store> {
    let key = SecretKey::from_hex(&"11".repeat(32)).expect("key");
    Arc::new(Store::open(dir, MasterKeySource::Fixed(key)).expect("store opens"))
}

pub(crate) fn sample_config() -> ReceiverConfig {
    let keys = KeyContainer::open(&fixture("Key-6.dat"), "12345677").expect("key container");
    let mut c = ReceiverConfig::new(
        keys,
        vec![cert(SIGNER_CERT), cert(OTHER_CERT)],
        vec![cert(SIGNER_CERT)],
    );
    c.verification_time = VerificationTime::Fixed(VERIFY_AT);
    c
}

pub(crate) const BOUNDARY: &str = "----vikno-test-boundary-7MA4YWxkTrZu0gW";

pub(crate) fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// One multipart part: (name, file name, body).
pub(crate) type Part = (String, Option<String>, Vec<u8>);

pub(crate) fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, body) in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some(f) => out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// The barcode-layout parts of the real sample (envelopes as base64 text, as Diia sends them).
pub(crate) fn sample_parts() -> Vec<Part> {
    use base64::Engine as _;
    let b64 = |name: &str| {
        let raw = fixture(name);
        // The fixtures may be DER or base64 text already; Diia sends base64 text.
        if raw.first() == Some(&0x30) {
            base64::engine::general_purpose::STANDARD.encode(raw).into_bytes()
        } else {
            raw
        }
    };
    vec![
        (
            "encryptedFile".to_owned(),
            Some(format!("{PDF_NAME}.p7s.p7e")),
            b64(&format!("{PDF_NAME}.p7s.p7e")),
        ),
        ("encryptedFileName".to_owned(), None, format!("{PDF_NAME}.p7s.p7e").into_bytes()),
        ("encodeData".to_owned(), None, b64("encodedData.json.p7s.p7e")),
    ]
}
