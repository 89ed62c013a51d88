//! Diia's deliveries to the partner's receiver: parsing the multipart POST (both layouts) and
//! opening every envelope through an [`EnvelopeOpener`] (diia-api.md §6, ua-crypto.md §1.1–1.2).

use std::time::SystemTime;

use base64::Engine as _;
use bytes::Bytes;
use futures_util::FutureExt as _;
use serde::Serialize;
use serde_json::Value;
use tracing::{debug, warn};

use crate::metadata::{Metadata, MetadataError};

/// Header carrying the partner's request id on every delivery (matched case-insensitively).
pub const TRACE_ID_HEADER: &str = "x-document-request-trace-id";

/// Text field naming the document file in the barcode layout.
const ENCRYPTED_FILE_NAME: &str = "encryptedFileName";
/// File part of the barcode layout.
const ENCRYPTED_FILE: &str = "encryptedFile";
/// The metadata envelope (text field, sometimes sent as a file part).
const ENCODE_DATA: &str = "encodeData";

/// Size limits for a delivery; exceeding one gives [`DeliveryError::TooLarge`] (answer 413).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryLimits {
    /// Largest single part, in bytes.
    pub max_part_bytes: u64,
    /// Largest whole body, in bytes.
    pub max_total_bytes: u64,
    /// Most parts accepted (a deeplink pack has one per document plus `encodeData`).
    pub max_parts: usize,
}

impl Default for DeliveryLimits {
    /// 20 MiB per part, 64 MiB in total, 40 parts: a Diia PDF copy in base64 is a few hundred
    /// KiB (the SDK sample is 190 KiB), so this leaves ample room without inviting abuse.
    fn default() -> Self {
        Self { max_part_bytes: 20 << 20, max_total_bytes: 64 << 20, max_parts: 40 }
    }
}

/// Which of Diia's two multipart layouts a delivery used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryLayout {
    /// Barcode/QR flow: `encryptedFile` + `encryptedFileName` + `encodeData`.
    Barcode,
    /// Deeplink flow: one file part per document type + `encodeData`.
    Deeplink,
}

/// One still-sealed document part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFilePart {
    /// Multipart field name (`encryptedFile`, a document type id, or anything else).
    pub part_name: String,
    /// File name from `encryptedFileName` (barcode) or the part's own `filename`, as sent.
    pub file_name: Option<String>,
    /// Document type id, from the part name (deeplink) or the file name, when recognisable.
    pub document_type: Option<String>,
    /// The part body as sent: base64 text of a CMS EnvelopedData.
    pub body: Bytes,
}

/// A parsed, still-sealed delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDelivery {
    /// The partner's request id from `X-Document-Request-Trace-Id`.
    pub trace_id: String,
    /// The layout Diia used.
    pub layout: DeliveryLayout,
    /// Document parts, in the order received.
    pub files: Vec<RawFilePart>,
    /// The `encryptedFileName` text field, if any (barcode layout).
    pub encrypted_file_name: Option<String>,
    /// The sealed metadata (`encodeData`).
    pub encode_data: Bytes,
    /// Names of text fields that were neither known nor looked like envelopes (ignored).
    pub ignored_fields: Vec<String>,
}

/// Who signed an opened part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerSummary {
    /// Signer's subject (distinguished name, as text).
    pub subject: String,
    /// Signer certificate serial, hex.
    pub serial_hex: String,
    /// Signer certificate issuer, as text.
    pub issuer: String,
}

/// The plaintext of one envelope and what is known about its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedPart {
    /// The content: PDF bytes or UTF-8 JSON metadata.
    pub content: Vec<u8>,
    /// The verified signer, when the opener checks signatures.
    pub signer: Option<SignerSummary>,
    /// The signed `signingTime` attribute, when present.
    pub signing_time: Option<SystemTime>,
}

/// Why an envelope could not be opened. Texts come from the opener and must carry no secrets
/// or personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// Not base64 / not CMS / unsupported structure.
    #[error("not a diia envelope: {0}")]
    Format(String),
    /// Not addressed to our key, or decryption failed.
    #[error("cannot decrypt: {0}")]
    Decrypt(String),
    /// The inner signature does not verify.
    #[error("signature does not verify: {0}")]
    Signature(String),
    /// The signature verifies but the signer is not one we trust.
    #[error("signer is not trusted: {0}")]
    Untrusted(String),
}

/// Opens one sealed part (EnvelopedData around SignedData around the content). The crypto
/// crate provides the real implementation; tests use fakes.
pub trait EnvelopeOpener {
    /// Opens `part`, the part body as delivered: base64 text (possibly with line breaks) of a
    /// CMS EnvelopedData; implementations should also accept raw DER (see
    /// [`OpenedPart`] and `decode_part`).
    fn open(&self, part: &[u8]) -> Result<OpenedPart, OpenError>;
}

impl<T: EnvelopeOpener + ?Sized> EnvelopeOpener for &T {
    fn open(&self, part: &[u8]) -> Result<OpenedPart, OpenError> {
        (**self).open(part)
    }
}

/// Decodes a part body to DER: base64 text with any whitespace, or DER as is (starts with a
/// SEQUENCE tag). For [`EnvelopeOpener`] implementations.
pub fn decode_part(part: &[u8]) -> Result<Vec<u8>, OpenError> {
    if part.first() == Some(&0x30) {
        return Ok(part.to_vec());
    }
    let compact: Vec<u8> = part.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|err| OpenError::Format(format!("part is not base64: {err}")))
}

/// An opened document of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedDocument {
    /// Multipart field name it came in.
    pub part_name: String,
    /// File name without the `.p7s.p7e` suffix (e.g. `internal-passport-…-09_48_26.pdf`).
    pub file_name: Option<String>,
    /// Document type id, when known.
    pub document_type: Option<String>,
    /// The plaintext, normally a PDF.
    pub content: Vec<u8>,
    /// Signer of this part.
    pub signer: Option<SignerSummary>,
    /// Signing time of this part.
    pub signing_time: Option<SystemTime>,
}

impl OpenedDocument {
    /// Whether the content starts like a PDF file.
    pub fn is_pdf(&self) -> bool {
        self.content.starts_with(b"%PDF-")
    }
}

/// A fully opened delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedDelivery {
    /// The partner's request id from the header.
    pub trace_id: String,
    /// The layout Diia used.
    pub layout: DeliveryLayout,
    /// Typed metadata.
    pub metadata: Metadata,
    /// The metadata JSON as received, for storage and audit.
    pub metadata_json: Value,
    /// Signer of the metadata envelope.
    pub metadata_signer: Option<SignerSummary>,
    /// Signing time of the metadata envelope.
    pub metadata_signing_time: Option<SystemTime>,
    /// The documents, in the order received.
    pub documents: Vec<OpenedDocument>,
}

/// Why a delivery was refused. [`DeliveryError::is_too_large`] tells the receiver to answer 413.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The content type is not `multipart/form-data` or `multipart/mixed` with a boundary.
    #[error("delivery is not multipart/form-data or multipart/mixed")]
    NotMultipart,
    /// Nothing was sent.
    #[error("delivery body is empty")]
    Empty,
    /// `X-Document-Request-Trace-Id` is missing or blank.
    #[error("delivery has no x-document-request-trace-id header")]
    MissingTraceId,
    /// A part, the whole body or the number of parts is over the limit.
    #[error("delivery too large: {what} exceeds {limit}")]
    TooLarge {
        /// `part`, `body` or `parts`.
        what: &'static str,
        /// The limit exceeded (bytes, or parts).
        limit: u64,
    },
    /// A required part is absent (`encodeData`, or any document part).
    #[error("delivery has no {0} part")]
    MissingPart(&'static str),
    /// A part has no content.
    #[error("delivery part {0} is empty")]
    EmptyPart(String),
    /// A part that must be unique was sent twice.
    #[error("delivery part {0} appears more than once")]
    DuplicatePart(String),
    /// The multipart body is broken.
    #[error("malformed multipart body: {0}")]
    Malformed(String),
    /// An envelope did not open.
    #[error("cannot open delivery part {part}")]
    Open {
        /// Field name of the part (`encodeData`, `encryptedFile`, …).
        part: String,
        /// What the opener said.
        #[source]
        source: OpenError,
    },
    /// The metadata is not in a shape we understand.
    #[error("delivery metadata is unusable")]
    Metadata(#[from] MetadataError),
}

impl DeliveryError {
    /// Whether a size limit was exceeded (the receiver answers 413).
    pub fn is_too_large(&self) -> bool {
        matches!(self, DeliveryError::TooLarge { .. })
    }
}

/// Removes the envelope suffixes `.p7e` and then `.p7s` (as whole suffixes, any case):
/// `a.pdf.p7s.p7e` → `a.pdf`, `x.p7s` → `x`, `scope.pdf` unchanged.
pub fn strip_envelope_suffix(file_name: &str) -> &str {
    let mut name = file_name;
    for suffix in [".p7e", ".p7s"] {
        if name.len() > suffix.len() {
            let split = name.len() - suffix.len();
            if name.is_char_boundary(split) && name[split..].eq_ignore_ascii_case(suffix) {
                name = &name[..split];
            }
        }
    }
    name
}

/// Parses Diia's multipart POST. `content_type` is the request's `Content-Type`, `trace_id`
/// the value of [`TRACE_ID_HEADER`] if present, `body` the whole request body.
///
/// Any file part name is accepted (ua-crypto.md §1.1); the layout is barcode when
/// `encryptedFileName` or an `encryptedFile` part is present, deeplink otherwise.
///
/// `multipart/mixed` is read like `multipart/form-data` (part names from `Content-Disposition`):
/// Diia's signing callbacks use it and the SDKs' receivers split it by hand (diia-api.md §6.1,
/// §10.4), so a sharing callback in that form must not be lost.
///
/// FIXME(#4): in the deeplink layout documents are matched to metadata by part name only, not
/// by the metadata's optional `fileName`.
pub fn parse_delivery(
    content_type: &str,
    trace_id: Option<&str>,
    body: &[u8],
    limits: &DeliveryLimits,
) -> Result<RawDelivery, DeliveryError> {
    let boundary = boundary_of(content_type)?;
    if body.is_empty() {
        return Err(DeliveryError::Empty);
    }
    if body.len() as u64 > limits.max_total_bytes {
        return Err(DeliveryError::TooLarge { what: "body", limit: limits.max_total_bytes });
    }
    let trace_id = trace_id.map(str::trim).filter(|id| !id.is_empty());
    let trace_id = trace_id.ok_or(DeliveryError::MissingTraceId)?.to_owned();

    let parts = read_parts(boundary, Bytes::copy_from_slice(body), limits)?;
    let mut encode_data: Option<Bytes> = None;
    let mut encrypted_file_name: Option<String> = None;
    let mut files = Vec::new();
    let mut ignored_fields = Vec::new();
    for part in parts {
        let name = part.name.clone().unwrap_or_default();
        if name.eq_ignore_ascii_case(ENCODE_DATA) {
            if encode_data.is_some() {
                return Err(DeliveryError::DuplicatePart(ENCODE_DATA.to_owned()));
            }
            if is_blank(&part.body) {
                return Err(DeliveryError::EmptyPart(ENCODE_DATA.to_owned()));
            }
            encode_data = Some(part.body);
        } else if name.eq_ignore_ascii_case(ENCRYPTED_FILE_NAME) && part.file_name.is_none() {
            if encrypted_file_name.is_some() {
                return Err(DeliveryError::DuplicatePart(ENCRYPTED_FILE_NAME.to_owned()));
            }
            let text = String::from_utf8_lossy(&part.body).trim().to_owned();
            encrypted_file_name = (!text.is_empty()).then_some(text);
        } else if part.file_name.is_some()
            || name.eq_ignore_ascii_case(ENCRYPTED_FILE)
            || looks_like_envelope(&part.body)
        {
            if is_blank(&part.body) {
                return Err(DeliveryError::EmptyPart(display_name(&name)));
            }
            files.push(RawFilePart {
                document_type: None,
                part_name: name,
                file_name: part.file_name,
                body: part.body,
            });
        } else {
            debug!(field = %display_name(&name), "ignoring unknown text field in delivery");
            ignored_fields.push(name);
        }
    }

    let encode_data = encode_data.ok_or(DeliveryError::MissingPart(ENCODE_DATA))?;
    let layout = if encrypted_file_name.is_some()
        || files.iter().any(|file| file.part_name.eq_ignore_ascii_case(ENCRYPTED_FILE))
    {
        DeliveryLayout::Barcode
    } else {
        DeliveryLayout::Deeplink
    };
    if files.is_empty() {
        return Err(DeliveryError::MissingPart(match layout {
            DeliveryLayout::Barcode => ENCRYPTED_FILE,
            DeliveryLayout::Deeplink => "document",
        }));
    }
    let single_barcode_file = layout == DeliveryLayout::Barcode && files.len() == 1;
    for file in &mut files {
        if single_barcode_file && encrypted_file_name.is_some() {
            // The text field names the file in this layout; the part's own filename is often a
            // placeholder.
            file.file_name = encrypted_file_name.clone();
        }
        file.document_type = if is_document_type_id(&file.part_name) {
            Some(file.part_name.clone())
        } else {
            file.file_name.as_deref().and_then(document_type_from_file_name)
        };
    }
    Ok(RawDelivery { trace_id, layout, files, encrypted_file_name, encode_data, ignored_fields })
}

/// Opens every part and the metadata, and types the metadata. CPU-heavy with real crypto:
/// call it from a blocking thread in async code.
pub fn open_delivery(
    raw: &RawDelivery,
    opener: &impl EnvelopeOpener,
) -> Result<OpenedDelivery, DeliveryError> {
    let opened_meta = opener
        .open(&raw.encode_data)
        .map_err(|source| DeliveryError::Open { part: ENCODE_DATA.to_owned(), source })?;
    let metadata_json: Value = serde_json::from_slice(&opened_meta.content)
        .map_err(|err| MetadataError::NotJson(crate::metadata::describe_json_error(&err)))?;
    let metadata = Metadata::from_value(&metadata_json)?;
    if metadata.request_id.as_deref().is_some_and(|id| id != raw.trace_id) {
        warn!("metadata requestId differs from the trace id header");
    }

    let mut documents = Vec::with_capacity(raw.files.len());
    for file in &raw.files {
        let opened = opener.open(&file.body).map_err(|source| DeliveryError::Open {
            part: display_name(&file.part_name),
            source,
        })?;
        let document_type = file.document_type.clone().or_else(|| {
            // A barcode delivery carries one document; its type is the only one listed.
            match (raw.layout, metadata.document_types.as_slice()) {
                (DeliveryLayout::Barcode, [only]) if raw.files.len() == 1 => Some(only.clone()),
                _ => None,
            }
        });
        documents.push(OpenedDocument {
            part_name: file.part_name.clone(),
            file_name: file.file_name.as_deref().map(|name| strip_envelope_suffix(name).to_owned()),
            document_type,
            content: opened.content,
            signer: opened.signer,
            signing_time: opened.signing_time,
        });
    }
    Ok(OpenedDelivery {
        trace_id: raw.trace_id.clone(),
        layout: raw.layout,
        metadata,
        metadata_json,
        metadata_signer: opened_meta.signer,
        metadata_signing_time: opened_meta.signing_time,
        documents,
    })
}

/// The boundary of a `multipart/form-data` or `multipart/mixed` content type.
fn boundary_of(content_type: &str) -> Result<String, DeliveryError> {
    if let Ok(boundary) = multer::parse_boundary(content_type) {
        return Ok(boundary);
    }
    let (essence, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !essence.trim().eq_ignore_ascii_case("multipart/mixed") {
        return Err(DeliveryError::NotMultipart);
    }
    // Same parameter syntax: let multer read the boundary (quoting included).
    multer::parse_boundary(format!("multipart/form-data;{params}"))
        .map_err(|_| DeliveryError::NotMultipart)
}

struct Part {
    name: Option<String>,
    file_name: Option<String>,
    body: Bytes,
}

/// Runs multer over the in-memory body. The stream is a single ready chunk, so every future
/// completes on its first poll; `now_or_never` keeps this function synchronous.
fn read_parts(
    boundary: String,
    body: Bytes,
    limits: &DeliveryLimits,
) -> Result<Vec<Part>, DeliveryError> {
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limits.max_total_bytes)
            .per_field(limits.max_part_bytes),
    );
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);
    let max_parts = limits.max_parts;
    let parse = async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(multer_error)? {
            if parts.len() >= max_parts {
                return Err(DeliveryError::TooLarge { what: "parts", limit: max_parts as u64 });
            }
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            let body = field.bytes().await.map_err(multer_error)?;
            parts.push(Part { name, file_name, body });
        }
        Ok(parts)
    };
    parse.now_or_never().unwrap_or_else(|| {
        Err(DeliveryError::Malformed("multipart parser did not complete".to_owned()))
    })
}

fn multer_error(err: multer::Error) -> DeliveryError {
    match err {
        multer::Error::FieldSizeExceeded { limit, .. } => {
            DeliveryError::TooLarge { what: "part", limit }
        }
        multer::Error::StreamSizeExceeded { limit } => {
            DeliveryError::TooLarge { what: "body", limit }
        }
        other => DeliveryError::Malformed(other.to_string()),
    }
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Base64 of a DER SEQUENCE starts with `MI` (long form length); raw DER with 0x30.
fn looks_like_envelope(body: &[u8]) -> bool {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|idx| &body[idx..]) {
        Some(rest) => rest.starts_with(b"MI") || rest.starts_with(&[0x30]),
        None => false,
    }
}

fn display_name(name: &str) -> String {
    if name.is_empty() { "(unnamed)".to_owned() } else { name.chars().take(64).collect() }
}

/// Document type ids are lowercase words joined by hyphens (`internal-passport`).
fn is_document_type_id(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// `internal-passport-2858364170864-02.04.2021-09_48_26.pdf.p7s.p7e` → `internal-passport`:
/// the hyphen-joined words before the first all-digit segment.
fn document_type_from_file_name(file_name: &str) -> Option<String> {
    let base = strip_envelope_suffix(file_name);
    let mut words = Vec::new();
    for segment in base.split('-') {
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        words.push(segment);
    }
    let candidate = words.join("-");
    let candidate = candidate.strip_suffix(".pdf").unwrap_or(&candidate);
    (is_document_type_id(candidate) && words.len() < base.split('-').count())
        .then(|| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_envelope_suffix_as_suffix() {
        let cases = [
            ("internal-passport-1.pdf.p7s.p7e", "internal-passport-1.pdf"),
            ("a.pdf.P7S.P7E", "a.pdf"),
            ("metadata.json.p7s", "metadata.json"),
            ("x.p7e", "x"),
            ("scope.pdf", "scope.pdf"),
            // rstrip(".p7se") would eat these letters; a suffix strip must not.
            ("passport-es.pdf", "passport-es.pdf"),
            ("sp7e", "sp7e"),
            (".p7e", ".p7e"),
            ("документ.p7e", "документ"),
        ];
        for (input, expected) in cases {
            assert_eq!(strip_envelope_suffix(input), expected, "{input}");
        }
    }

    #[test]
    fn document_type_from_names() {
        let cases = [
            ("internal-passport-2858364170864-02.04.2021-09_48_26.pdf", Some("internal-passport")),
            ("taxpayer-card-1234567890123-01.01.2024-10_00_00.pdf.p7s.p7e", Some("taxpayer-card")),
            ("reference-internally-displaced-person.pdf.p7s.p7e", None),
            ("document.pdf", None),
            ("ДОК-1.pdf", None),
        ];
        for (input, expected) in cases {
            assert_eq!(document_type_from_file_name(input).as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn boundary_of_form_data_and_mixed() {
        assert_eq!(boundary_of("multipart/form-data; boundary=abc").unwrap(), "abc");
        assert_eq!(boundary_of("Multipart/Mixed; boundary=\"a b\"").unwrap(), "a b");
        assert_eq!(boundary_of("multipart/mixed;boundary=x; charset=utf-8").unwrap(), "x");
        for refused in ["multipart/mixed", "multipart/related; boundary=x", "text/plain", ""] {
            assert!(matches!(boundary_of(refused), Err(DeliveryError::NotMultipart)), "{refused}");
        }
    }

    #[test]
    fn decode_part_accepts_base64_with_breaks_and_der() {
        assert_eq!(decode_part(b"MIIB\r\nAA==\n").unwrap(), [0x30, 0x82, 0x01, 0x00]);
        assert_eq!(decode_part(&[0x30, 0x03]).unwrap(), [0x30, 0x03]);
        assert!(matches!(decode_part(b"not base64!"), Err(OpenError::Format(_))));
    }
}
