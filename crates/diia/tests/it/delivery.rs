//! Delivery parsing and opening with the real envelopes of Diia's JS SDK as part bodies.

use std::borrow::Cow;

use diia::{
    DeliveryError, DeliveryLayout, DeliveryLimits, DocumentMetadata, EnvelopeOpener, Metadata,
    OpenError, OpenedPart, SignerSummary, open_delivery, parse_delivery,
};

const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/key6-set");
const PDF_NAME: &str = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf";
const TRACE_ID: &str = "0b6c3c8e-8f7e-4c1e-9b1a-1f2e3d4c5b6a";
const BOUNDARY: &str = "----diia-boundary-7MA4YWxkTrZu0gW";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}"))
        .unwrap_or_else(|err| panic!("fixture {name}: {err}"))
}

fn meta_envelope() -> Vec<u8> {
    fixture("encodedData.json.p7s.p7e")
}

fn pdf_envelope() -> Vec<u8> {
    fixture(&format!("{PDF_NAME}.p7s.p7e"))
}

/// Opens the two published envelopes by recognising them, yielding the published plaintexts
/// beside them: the crypto itself is ua-crypto's job and tested there.
struct FixtureOpener;

impl EnvelopeOpener for FixtureOpener {
    fn open(&self, part: &[u8]) -> Result<OpenedPart, OpenError> {
        let content = if part == meta_envelope().as_slice() {
            fixture("encodedData.json")
        } else if part == pdf_envelope().as_slice() {
            fixture(PDF_NAME)
        } else {
            return Err(OpenError::Decrypt("not addressed to the test key".into()));
        };
        Ok(OpenedPart {
            content,
            signer: Some(SignerSummary {
                subject: "CN=Тестовий Користувач 1".into(),
                serial_hex: "5b63d88375d9201804000000e0ba0500fa8f0e00".into(),
                issuer: "CN=Тестовий ЦСК".into(),
            }),
            signing_time: None,
        })
    }
}

enum Part<'a> {
    Text(&'a str, &'a [u8]),
    File(&'a str, &'a str, &'a [u8]),
}

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let content = match part {
            Part::Text(name, content) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                content
            }
            Part::File(name, file_name, content) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .as_bytes(),
                );
                content
            }
        };
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

fn parse(body: &[u8]) -> Result<diia::RawDelivery, DeliveryError> {
    parse_delivery(&content_type(), Some(TRACE_ID), body, &DeliveryLimits::default())
}

#[test]
fn barcode_layout_parses_and_opens_to_the_published_plaintext() {
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    let body = multipart(&[
        Part::File("encryptedFile", "blob", &pdf),
        Part::Text("encryptedFileName", format!("{PDF_NAME}.p7s.p7e").as_bytes()),
        Part::Text("encodeData", &meta),
    ]);
    let raw = parse(&body).unwrap();
    assert_eq!(raw.layout, DeliveryLayout::Barcode);
    assert_eq!(raw.trace_id, TRACE_ID);
    assert_eq!(raw.files.len(), 1);
    assert_eq!(raw.files[0].document_type.as_deref(), Some("internal-passport"));
    assert_eq!(raw.files[0].body.as_ref(), pdf.as_slice());

    let opened = open_delivery(&raw, &FixtureOpener).unwrap();
    assert_eq!(opened.metadata.barcode.as_deref(), Some("2858364170864"));
    assert_eq!(opened.metadata.document_types, ["internal-passport"]);
    let document = &opened.documents[0];
    assert_eq!(document.file_name.as_deref(), Some(PDF_NAME));
    assert!(document.is_pdf());
    assert_eq!(document.content, fixture(PDF_NAME));
    assert!(opened.metadata_signer.is_some());

    let passport = &opened.metadata.documents[0];
    assert_eq!(passport.full_name().as_deref(), Some("Дія Надія Володимирівна"));
    assert_eq!(passport.doc_number().as_deref(), Some("002307001"));
    assert_eq!(passport.birth_date().as_deref(), Some("17.01.1997"));
    let DocumentMetadata::InternalPassport(fields) = passport else { panic!("typed passport") };
    assert_eq!(fields.record_number.as_deref(), Some("19970117-7001"));
    assert_eq!(fields.taxpayer_number.as_deref(), Some("1234567001"));
    assert!(passport.fields().contains(&(Cow::Borrowed("last_name_en"), "Diia".to_owned())));
}

#[test]
fn real_metadata_fields_snapshot() {
    let metadata = Metadata::from_json(&fixture("encodedData.json")).unwrap();
    let fields: Vec<String> = metadata.documents[0]
        .fields()
        .into_iter()
        .map(|(key, value)| format!("{key}: {value}"))
        .collect();
    insta::assert_json_snapshot!("key6_internal_passport_fields", fields);
}

#[test]
fn deeplink_layout_with_any_part_names() {
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    let body = multipart(&[
        Part::File("internal-passport", &format!("{PDF_NAME}.p7s.p7e"), &pdf),
        // A file part under an unexpected name is still a document (ua-crypto.md §1.1).
        Part::File("file1", "some-copy.pdf.p7s.p7e", &pdf),
        Part::Text("encodeData", &meta),
        Part::Text("comment", b"not an envelope"),
    ]);
    let raw = parse(&body).unwrap();
    assert_eq!(raw.layout, DeliveryLayout::Deeplink);
    assert_eq!(raw.files.len(), 2);
    assert_eq!(raw.files[0].document_type.as_deref(), Some("internal-passport"));
    assert_eq!(raw.files[1].document_type, None);
    assert_eq!(raw.ignored_fields, ["comment"]);
    let opened = open_delivery(&raw, &FixtureOpener).unwrap();
    assert_eq!(opened.documents[0].file_name.as_deref(), Some(PDF_NAME));
    assert_eq!(opened.documents[1].file_name.as_deref(), Some("some-copy.pdf"));
    assert!(opened.documents.iter().all(|doc| doc.is_pdf()));
}

#[test]
fn multipart_mixed_is_read_like_form_data() {
    // SDK receivers split multipart/mixed callbacks by hand (diia-api.md §10.4): the same
    // parts must give the same delivery whichever multipart subtype Diia uses.
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    let body = multipart(&[
        Part::File("encryptedFile", "blob", &pdf),
        Part::Text("encryptedFileName", PDF_NAME.as_bytes()),
        Part::Text("encodeData", &meta),
    ]);
    let mixed = format!("multipart/mixed; boundary=\"{BOUNDARY}\"");
    let raw = parse_delivery(&mixed, Some(TRACE_ID), &body, &DeliveryLimits::default()).unwrap();
    assert_eq!(raw, parse(&body).unwrap());
    assert_eq!(raw.layout, DeliveryLayout::Barcode);
    let opened = open_delivery(&raw, &FixtureOpener).unwrap();
    assert_eq!(opened.documents[0].content, fixture(PDF_NAME));
}

#[test]
fn encode_data_as_file_part_and_trace_id_is_trimmed() {
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    let body = multipart(&[
        Part::File("encryptedFile", "x.p7e", &pdf),
        Part::File("encodeData", "encodedData.json.p7s.p7e", &meta),
    ]);
    let raw = parse_delivery(&content_type(), Some("  r-1 \t"), &body, &DeliveryLimits::default())
        .unwrap();
    assert_eq!(raw.trace_id, "r-1");
    assert_eq!(raw.layout, DeliveryLayout::Barcode);
    // No encryptedFileName: the document type comes from the metadata's single type.
    let opened = open_delivery(&raw, &FixtureOpener).unwrap();
    assert_eq!(opened.documents[0].document_type.as_deref(), Some("internal-passport"));
}

#[test]
fn malformed_deliveries_are_typed_errors() {
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    type Check = fn(&DeliveryError) -> bool;
    /// (case, content type, trace id, body, expected error)
    type Case = (&'static str, String, Option<&'static str>, Vec<u8>, Check);
    let cases: Vec<Case> = vec![
        ("json body", "application/json".into(), Some(TRACE_ID), b"{}".to_vec(), |e| {
            matches!(e, DeliveryError::NotMultipart)
        }),
        ("no boundary", "multipart/form-data".into(), Some(TRACE_ID), b"x".to_vec(), |e| {
            matches!(e, DeliveryError::NotMultipart)
        }),
        ("empty body", content_type(), Some(TRACE_ID), Vec::new(), |e| {
            matches!(e, DeliveryError::Empty)
        }),
        (
            "no trace id",
            content_type(),
            None,
            multipart(&[Part::File("encryptedFile", "a", &pdf), Part::Text("encodeData", &meta)]),
            |e| matches!(e, DeliveryError::MissingTraceId),
        ),
        (
            "blank trace id",
            content_type(),
            Some(" "),
            multipart(&[Part::File("encryptedFile", "a", &pdf), Part::Text("encodeData", &meta)]),
            |e| matches!(e, DeliveryError::MissingTraceId),
        ),
        (
            "no encodeData",
            content_type(),
            Some(TRACE_ID),
            multipart(&[Part::File("encryptedFile", "a", &pdf)]),
            |e| matches!(e, DeliveryError::MissingPart("encodeData")),
        ),
        (
            "misnamed encodeData",
            content_type(),
            Some(TRACE_ID),
            multipart(&[
                Part::File("encryptedFile", "a", &pdf),
                Part::Text("encodedData", b"hello"),
            ]),
            |e| matches!(e, DeliveryError::MissingPart("encodeData")),
        ),
        (
            "no file (barcode)",
            content_type(),
            Some(TRACE_ID),
            multipart(&[
                Part::Text("encryptedFileName", PDF_NAME.as_bytes()),
                Part::Text("encodeData", &meta),
            ]),
            |e| matches!(e, DeliveryError::MissingPart("encryptedFile")),
        ),
        (
            "no file (deeplink)",
            content_type(),
            Some(TRACE_ID),
            multipart(&[Part::Text("encodeData", &meta)]),
            |e| matches!(e, DeliveryError::MissingPart("document")),
        ),
        (
            "empty file",
            content_type(),
            Some(TRACE_ID),
            multipart(&[Part::File("encryptedFile", "a", b""), Part::Text("encodeData", &meta)]),
            |e| matches!(e, DeliveryError::EmptyPart(name) if name == "encryptedFile"),
        ),
        (
            "empty encodeData",
            content_type(),
            Some(TRACE_ID),
            multipart(&[Part::File("encryptedFile", "a", &pdf), Part::Text("encodeData", b"  ")]),
            |e| matches!(e, DeliveryError::EmptyPart(_)),
        ),
        (
            "two encodeData",
            content_type(),
            Some(TRACE_ID),
            multipart(&[
                Part::File("encryptedFile", "a", &pdf),
                Part::Text("encodeData", &meta),
                Part::Text("encodeData", &meta),
            ]),
            |e| matches!(e, DeliveryError::DuplicatePart(_)),
        ),
        (
            "truncated",
            content_type(),
            Some(TRACE_ID),
            multipart(&[Part::File("encryptedFile", "a", &pdf), Part::Text("encodeData", &meta)])
                [..4000]
                .to_vec(),
            |e| matches!(e, DeliveryError::Malformed(_)),
        ),
        (
            "garbage",
            content_type(),
            Some(TRACE_ID),
            b"\x00\x01garbage without boundary".to_vec(),
            |e| matches!(e, DeliveryError::Malformed(_)),
        ),
    ];
    for (name, content_type, trace_id, body, check) in cases {
        let err = parse_delivery(&content_type, trace_id, &body, &DeliveryLimits::default())
            .expect_err(name);
        assert!(check(&err), "{name}: got {err:?}");
        assert!(!err.is_too_large(), "{name}");
    }
}

#[test]
fn size_limits_have_their_own_error() {
    let (meta, pdf) = (meta_envelope(), pdf_envelope());
    let body =
        multipart(&[Part::File("encryptedFile", "a", &pdf), Part::Text("encodeData", &meta)]);
    let part_limit = DeliveryLimits { max_part_bytes: 100_000, ..DeliveryLimits::default() };
    let err = parse_delivery(&content_type(), Some(TRACE_ID), &body, &part_limit).unwrap_err();
    assert!(matches!(err, DeliveryError::TooLarge { what: "part", limit: 100_000 }), "{err:?}");
    assert!(err.is_too_large());
    let total_limit = DeliveryLimits { max_total_bytes: 150_000, ..DeliveryLimits::default() };
    let err = parse_delivery(&content_type(), Some(TRACE_ID), &body, &total_limit).unwrap_err();
    assert!(matches!(err, DeliveryError::TooLarge { what: "body", .. }), "{err:?}");
    let few_parts = DeliveryLimits { max_parts: 1, ..DeliveryLimits::default() };
    let err = parse_delivery(&content_type(), Some(TRACE_ID), &body, &few_parts).unwrap_err();
    assert!(matches!(err, DeliveryError::TooLarge { what: "parts", limit: 1 }), "{err:?}");
}

#[test]
fn opening_failures_name_the_part() {
    let meta = meta_envelope();
    let body = multipart(&[
        Part::File("encryptedFile", "a", b"MIIforeign"),
        Part::Text("encodeData", &meta),
    ]);
    let raw = parse(&body).unwrap();
    let err = open_delivery(&raw, &FixtureOpener).unwrap_err();
    assert!(
        matches!(&err, DeliveryError::Open { part, source: OpenError::Decrypt(_) } if part == "encryptedFile"),
        "{err:?}"
    );

    let body = multipart(&[
        Part::File("encryptedFile", "a", &pdf_envelope()),
        Part::Text("encodeData", b"MIIforeign"),
    ]);
    let err = open_delivery(&parse(&body).unwrap(), &FixtureOpener).unwrap_err();
    assert!(matches!(&err, DeliveryError::Open { part, .. } if part == "encodeData"), "{err:?}");

    // Metadata that opens but is not JSON.
    struct PdfOpener;
    impl EnvelopeOpener for PdfOpener {
        fn open(&self, _: &[u8]) -> Result<OpenedPart, OpenError> {
            Ok(OpenedPart { content: b"%PDF-1.4".to_vec(), signer: None, signing_time: None })
        }
    }
    let err = open_delivery(&parse(&body).unwrap(), &PdfOpener).unwrap_err();
    assert!(matches!(err, DeliveryError::Metadata(_)), "{err:?}");
}
