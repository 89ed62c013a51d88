//! The one code rule shared by every input path (wedge, serial, webcam, typing): what counts as a
//! Diia share code or a Diia verification link, and why anything else is refused.
//!
//! Rule (barcode.md §1): a share code is 13 ASCII digits, the first one 1–9, with a valid EAN-13
//! check digit — for EAN-13 *and* Code 128 renderings alike, because the backend always generates
//! it that way. A QR is only accepted as `https://diia.app/documents/{type}/{id}/verify/{uuid}`.

use std::fmt;

/// A code accepted by the rule, ready to be used in a Diia request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code {
    /// The 13-digit share code (first digit 1–9, EAN-13 check digit valid).
    ShareCode(String),
    /// A Diia verification link read from the QR; `url` goes into the request's `qrcode` field.
    DiiaQr {
        /// The link exactly as accepted (whitespace around it trimmed).
        url: String,
        /// The `{type}` path segment, e.g. `driver-license`.
        doc_type: String,
        /// The `{id}` path segment.
        doc_id: String,
        /// The final UUID segment (lower-case hex with dashes, as read).
        uuid: String,
    },
}

impl Code {
    /// The text to put into a request: the 13 digits or the link.
    pub fn as_str(&self) -> &str {
        match self {
            Code::ShareCode(s) => s,
            Code::DiiaQr { url, .. } => url,
        }
    }

    /// `"share_code"` or `"diia_qr"`, stable for the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            Code::ShareCode(_) => "share_code",
            Code::DiiaQr { .. } => "diia_qr",
        }
    }
}

/// What was read, in a form safe for messages and logs: at most 64 characters, control
/// characters replaced, and long digit runs partly masked (a share code is not a secret, but it
/// identifies a customer's pending request, so only trace-level logs should carry it whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSnippet(String);

impl ReadSnippet {
    const MAX_CHARS: usize = 64;

    /// Build the safe rendering of raw input.
    pub fn of(raw: &str) -> Self {
        let mut out = String::new();
        let total = raw.chars().count();
        for (i, c) in raw.chars().enumerate() {
            if i >= Self::MAX_CHARS {
                out.push('…');
                break;
            }
            // Keep the first 3 and last 2 digits of a long digit string, mask the middle.
            let masked =
                raw.chars().all(|d| d.is_ascii_digit()) && total >= 8 && i >= 3 && i + 2 < total;
            if masked {
                out.push('•');
            } else if c.is_control() {
                out.push('␣');
            } else {
                out.push(c);
            }
        }
        ReadSnippet(out)
    }

    /// The safe text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReadSnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a read was refused. Every variant carries the safe rendering of what was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Nothing (or only whitespace) was read.
    #[error("nothing was read")]
    Empty,
    /// Digits only, but not 13 of them.
    #[error("read \"{read}\": {len} digits, a Diia code has 13")]
    WrongLength {
        /// Safe rendering of the input.
        read: ReadSnippet,
        /// Number of digits read.
        len: usize,
    },
    /// 13 digits starting with 0; Diia never issues those.
    #[error("read \"{read}\": a Diia code never starts with 0")]
    LeadingZero {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
    /// 13 digits whose last digit does not match the EAN-13 check.
    #[error("read \"{read}\": check digit is {found}, expected {expected} (misread or mistyped)")]
    BadCheckDigit {
        /// Safe rendering of the input.
        read: ReadSnippet,
        /// The last digit as read.
        found: u8,
        /// The digit the first 12 require.
        expected: u8,
    },
    /// Mostly digits but with other characters mixed in.
    #[error("read \"{read}\": contains characters other than digits")]
    NonDigit {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
    /// A link, but not a Diia verification link.
    #[error(
        "read \"{read}\": not a Diia verification link (https://diia.app/documents/…/verify/…)"
    )]
    NotDiiaLink {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
    /// A diia.app documents link whose last segment is not a UUID.
    #[error("read \"{read}\": the Diia link does not end with a valid UUID")]
    BadUuid {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
    /// Neither digits nor a link.
    #[error("read \"{read}\": neither a 13-digit Diia code nor a Diia link")]
    Unrecognised {
        /// Safe rendering of the input.
        read: ReadSnippet,
    },
}

impl CodeError {
    /// Stable machine-readable identifier for the UI (never changes meaning).
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Empty => "empty",
            CodeError::WrongLength { .. } => "wrong_length",
            CodeError::LeadingZero { .. } => "leading_zero",
            CodeError::BadCheckDigit { .. } => "bad_check_digit",
            CodeError::NonDigit { .. } => "non_digit",
            CodeError::NotDiiaLink { .. } => "not_diia_link",
            CodeError::BadUuid { .. } => "bad_uuid",
            CodeError::Unrecognised { .. } => "unrecognised",
        }
    }
}

/// EAN-13 check digit of 12 digits (weights 1,3,1,3,… from the left).
///
/// Returns `None` unless `d12` is exactly 12 ASCII digits.
pub fn ean13_check_digit(d12: &str) -> Option<u8> {
    if d12.len() != 12 || !d12.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = d12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 3 } else { 1 })
        .sum();
    Some(((10 - sum % 10) % 10) as u8)
}

const DIIA_PREFIX: &str = "https://diia.app/documents/";

/// Apply the code rule to raw text from any input path.
pub fn classify(raw: &str) -> Result<Code, CodeError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(CodeError::Empty);
    }
    let read = || ReadSnippet::of(s);
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return classify_digits(s);
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.contains("diia.app") {
        return classify_link(s);
    }
    // Digits with separators (spaces in a hand-typed "4 006381 333931", dashes) or stray letters.
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    if digits * 2 >= s.chars().count() {
        return Err(CodeError::NonDigit { read: read() });
    }
    Err(CodeError::Unrecognised { read: read() })
}

fn classify_digits(s: &str) -> Result<Code, CodeError> {
    if s.len() != 13 {
        return Err(CodeError::WrongLength { read: ReadSnippet::of(s), len: s.len() });
    }
    if s.starts_with('0') {
        return Err(CodeError::LeadingZero { read: ReadSnippet::of(s) });
    }
    let expected = ean13_check_digit(&s[..12]).expect("13 ASCII digits were checked just above");
    let found = s.as_bytes()[12] - b'0';
    if found != expected {
        return Err(CodeError::BadCheckDigit { read: ReadSnippet::of(s), found, expected });
    }
    Ok(Code::ShareCode(s.to_owned()))
}

fn is_segment(seg: &str) -> bool {
    !seg.is_empty()
        && seg.len() <= 128
        && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn classify_link(s: &str) -> Result<Code, CodeError> {
    let not_diia = || CodeError::NotDiiaLink { read: ReadSnippet::of(s) };
    let rest = s.strip_prefix(DIIA_PREFIX).ok_or_else(not_diia)?;
    let parts: Vec<&str> = rest.split('/').collect();
    let [doc_type, doc_id, verify, uuid] = parts.as_slice() else {
        return Err(not_diia());
    };
    if *verify != "verify" || !is_segment(doc_type) || !is_segment(doc_id) {
        return Err(not_diia());
    }
    if !is_uuid(uuid) {
        return Err(CodeError::BadUuid { read: ReadSnippet::of(s) });
    }
    Ok(Code::DiiaQr {
        url: s.to_owned(),
        doc_type: (*doc_type).to_owned(),
        doc_id: (*doc_id).to_owned(),
        uuid: (*uuid).to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_check(d12: &str) -> String {
        format!("{d12}{}", ean13_check_digit(d12).expect("12 digits"))
    }

    #[test]
    fn known_vectors() {
        assert_eq!(classify("4006381333931"), Ok(Code::ShareCode("4006381333931".into())));
        assert_eq!(classify(" 5901234123457\r\n").map(|c| c.kind()), Ok("share_code"));
        let e = classify("4006381333932").expect_err("bad check");
        assert_eq!(e.code(), "bad_check_digit");
        assert!(matches!(e, CodeError::BadCheckDigit { found: 2, expected: 1, .. }));
        assert_eq!(classify("0006381333931").expect_err("zero").code(), "leading_zero");
        assert_eq!(classify("400638133393").expect_err("12").code(), "wrong_length");
        assert_eq!(classify("4006 381333931").expect_err("space").code(), "non_digit");
        assert_eq!(classify("").expect_err("empty").code(), "empty");
        assert_eq!(classify("hello world").expect_err("text").code(), "unrecognised");
        assert_eq!(classify("https://example.com/x").expect_err("link").code(), "not_diia_link");
    }

    #[test]
    fn diia_link() {
        let url = "https://diia.app/documents/driver-license/123456789/verify/\
                   3f1e2d4c-5b6a-4789-8abc-def012345678";
        match classify(url) {
            Ok(Code::DiiaQr { doc_type, doc_id, uuid, url: u }) => {
                assert_eq!(doc_type, "driver-license");
                assert_eq!(doc_id, "123456789");
                assert_eq!(uuid, "3f1e2d4c-5b6a-4789-8abc-def012345678");
                assert_eq!(u, url);
            }
            other => panic!("unexpected {other:?}"),
        }
        let bad = "https://diia.app/documents/driver-license/1/verify/not-a-uuid";
        assert_eq!(classify(bad).expect_err("uuid").code(), "bad_uuid");
        let extra = format!("{url}/x");
        assert_eq!(classify(&extra).expect_err("extra").code(), "not_diia_link");
        let http = url.replacen("https", "http", 1);
        assert_eq!(classify(&http).expect_err("http").code(), "not_diia_link");
    }

    #[test]
    fn snippet_masks_and_truncates() {
        assert_eq!(ReadSnippet::of("4006381333931").as_str(), "400••••••••31");
        assert_eq!(ReadSnippet::of("12345").as_str(), "12345");
        let long = "x".repeat(200);
        assert_eq!(ReadSnippet::of(&long).as_str().chars().count(), 65);
        assert_eq!(ReadSnippet::of("a\u{1b}b").as_str(), "a␣b");
        let msg = classify("4006381333932").expect_err("bad").to_string();
        assert!(!msg.contains("4006381333932"), "{msg}");
    }

    proptest! {
        #[test]
        fn valid_codes_accepted(first in 1u8..=9, rest in "[0-9]{11}") {
            let code = with_check(&format!("{first}{rest}"));
            prop_assert_eq!(classify(&code), Ok(Code::ShareCode(code.clone())));
        }

        #[test]
        fn any_single_digit_change_rejected(first in 1u8..=9, rest in "[0-9]{11}",
                                            pos in 0usize..13, delta in 1u8..=9) {
            let code = with_check(&format!("{first}{rest}"));
            let mut b = code.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(b).expect("ascii");
            prop_assert!(classify(&changed).is_err());
        }

        #[test]
        fn leading_zero_rejected(rest in "[0-9]{11}") {
            let code = with_check(&format!("0{rest}"));
            prop_assert_eq!(classify(&code).map_err(|e| e.code()), Err("leading_zero"));
        }

        #[test]
        fn wrong_lengths_rejected(s in "[1-9][0-9]{0,30}") {
            prop_assume!(s.len() != 13);
            prop_assert_eq!(classify(&s).map_err(|e| e.code()), Err("wrong_length"));
        }

        #[test]
        fn never_panics_and_accepts_only_rule(s in "\\PC{0,80}") {
            if let Ok(c) = classify(&s) {
                match c {
                    Code::ShareCode(d) => prop_assert!(d.len() == 13 && !d.starts_with('0')),
                    Code::DiiaQr { url, .. } => prop_assert!(url.starts_with(DIIA_PREFIX)),
                }
            }
        }

        #[test]
        fn generated_links_accepted(t in "[a-z]{3,12}(-[a-z]{3,8})?", id in "[0-9a-f]{1,40}",
                                    u in "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}") {
            let url = format!("{DIIA_PREFIX}{t}/{id}/verify/{u}");
            let ok = matches!(classify(&url), Ok(Code::DiiaQr { .. }));
            prop_assert!(ok);
        }
    }
}
