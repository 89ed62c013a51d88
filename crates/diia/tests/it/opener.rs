//! The full pipeline with real crypto: Diia's published key6 delivery parsed, decrypted with
//! the published test key container and verified against the published signer certificate.

use diia::{
    DeliveryLayout, DeliveryLimits, OpenError, UaCryptoOpener, open_delivery, parse_delivery,
};
use time::macros::datetime;
use ua_crypto::{Certificate, KeyContainer, TrustPolicy};

const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/key6-set");
const PDF_NAME: &str = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn opener(at: time::OffsetDateTime) -> UaCryptoOpener {
    UaCryptoOpener {
        keys: KeyContainer::open(&fixture("Key-6.dat"), "12345677").unwrap(),
        sender_certs: Vec::new(),
        policy: TrustPolicy {
            trusted_signers: vec![
                Certificate::from_pem_or_der(&fixture(
                    "EU-5B63D88375D9201804000000E0BA0500B4810D00.cer",
                ))
                .unwrap(),
            ],
            at,
        },
    }
}

#[test]
fn key6_delivery_opens_with_ua_crypto() {
    let boundary = "b0undary";
    let mut body = Vec::new();
    let mut part = |head: String, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"encryptedFile\"; filename=\"f\"".into(),
        &fixture(&format!("{PDF_NAME}.p7s.p7e")),
    );
    part(
        "Content-Disposition: form-data; name=\"encryptedFileName\"".into(),
        format!("{PDF_NAME}.p7s.p7e").as_bytes(),
    );
    part(
        "Content-Disposition: form-data; name=\"encodeData\"".into(),
        &fixture("encodedData.json.p7s.p7e"),
    );
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let raw = parse_delivery(
        &format!("multipart/form-data; boundary={boundary}"),
        Some("trace-1"),
        &body,
        &DeliveryLimits::default(),
    )
    .unwrap();
    assert_eq!(raw.layout, DeliveryLayout::Barcode);

    let opened = open_delivery(&raw, &opener(datetime!(2024-10-24 10:22:56 UTC))).unwrap();
    assert_eq!(opened.documents[0].content, fixture(PDF_NAME));
    assert_eq!(opened.documents[0].file_name.as_deref(), Some(PDF_NAME));
    let passport = &opened.metadata.documents[0];
    assert_eq!(passport.full_name().as_deref(), Some("Дія Надія Володимирівна"));
    assert_eq!(passport.doc_number().as_deref(), Some("002307001"));
    let signer = opened.metadata_signer.as_ref().unwrap();
    assert!(signer.subject.contains("Тестовий Користувач 1"), "{}", signer.subject);
    assert!(opened.metadata_signing_time.is_some());

    // The same delivery checked at a time its signer certificate was not valid.
    let late = opener(datetime!(2030-01-01 00:00:00 UTC));
    let err = open_delivery(&raw, &late).unwrap_err();
    assert!(
        matches!(&err, diia::DeliveryError::Open { part, source: OpenError::Untrusted(_) } if part == "encodeData"),
        "{err:?}"
    );
}
