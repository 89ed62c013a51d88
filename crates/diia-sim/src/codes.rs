//! Share codes as the Diia app receives them: 12 random digits (first 1–9) plus the EAN-13 check
//! digit, and the paired QR verification link; both are handles of one record.

use rand::Rng;
use uuid::Uuid;

/// EAN-13 check digit of the first 12 digits (weights 1,3,1,3,… from the left).
///
/// Returns `None` if `digits` is not exactly 12 ASCII digits.
pub fn ean13_check_digit(digits: &str) -> Option<u8> {
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    // The result is always 0..=9, so the narrowing cannot lose information.
    Some(((10 - sum % 10) % 10) as u8)
}

/// True when `code` is 13 ASCII digits with a correct EAN-13 check digit.
pub fn is_valid_ean13(code: &str) -> bool {
    code.len() == 13
        && code.is_char_boundary(12)
        && ean13_check_digit(&code[..12]).is_some_and(|c| code.as_bytes()[12] == b'0' + c)
}

/// A fresh share code: a random integer in [100000000000, 999999999999] plus its check digit,
/// exactly as Diia's documents service generates it (diia-api.md §8).
pub fn generate_barcode<R: Rng + ?Sized>(rng: &mut R) -> String {
    let n: u64 = rng.random_range(100_000_000_000..=999_999_999_999);
    let body = n.to_string();
    let check = ean13_check_digit(&body).unwrap_or(0);
    format!("{body}{check}")
}

/// The QR verification link shown next to the barcode.
pub fn verification_link(doc_type: &str, doc_id: &str, otp: Uuid) -> String {
    format!("https://diia.app/documents/{doc_type}/{doc_id}/verify/{otp}")
}

/// Extracts the otp UUID from a scanned QR string (a full link, or just the UUID).
pub fn otp_from_qr(qr: &str) -> Option<Uuid> {
    let trimmed = qr.trim().trim_end_matches('/');
    let last = trimmed.rsplit('/').next()?;
    if trimmed.contains('/') && !trimmed.contains("/verify/") {
        return None;
    }
    Uuid::parse_str(last).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_check_digits() {
        // 4006381333931 is a textbook EAN-13; 2858364170864 is the barcode in a Diia SDK file name.
        assert!(is_valid_ean13("4006381333931"));
        assert!(is_valid_ean13("2858364170864"));
        assert!(!is_valid_ean13("4006381333932"));
        assert!(!is_valid_ean13("400638133393"));
        assert!(!is_valid_ean13("40063813339x1"));
        assert!(!is_valid_ean13("тест"));
    }

    #[test]
    fn generated_codes_are_valid() {
        let mut rng = rand::rng();
        for _ in 0..1000 {
            let c = generate_barcode(&mut rng);
            assert_eq!(c.len(), 13);
            assert_ne!(c.as_bytes()[0], b'0');
            assert!(is_valid_ean13(&c), "{c}");
        }
    }

    #[test]
    fn qr_otp_parsing() {
        let id = Uuid::new_v4();
        let link = verification_link("internal-passport", "doc-1", id);
        assert_eq!(otp_from_qr(&link), Some(id));
        assert_eq!(otp_from_qr(&id.to_string()), Some(id));
        assert_eq!(otp_from_qr("https://example.com/x"), None);
        assert_eq!(otp_from_qr(""), None);
    }
}
