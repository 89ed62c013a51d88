//! Share-code pictures the customer's phone shows: EAN-13 (Android), Code 128 (iOS) and the QR
//! link, rendered as PNG. The two linear encoders are written here; QR uses the `qrcode` crate.

use image::{ExtendedColorType, GrayImage, ImageEncoder, Luma, codecs::png::PngEncoder};
use qrcode::{Color, EcLevel, QrCode};

use crate::SimError;

/// Which picture of a share code to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbology {
    /// EAN-13 of the 13 digits, as the Android app draws it.
    Ean13,
    /// Code 128 of the same 13 digits, as the iOS app draws it.
    Code128,
    /// QR of the verification link, error correction H as on Android.
    Qr,
}

/// Left-hand odd-parity ("L") patterns of EAN-13 digits, 7 modules each.
const EAN_L: [&str; 10] = [
    "0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
    "0110111", "0001011",
];
/// Right-hand ("R") patterns; the even-parity "G" patterns are these reversed.
const EAN_R: [&str; 10] = [
    "1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100",
    "1001000", "1110100",
];
/// Parity of the six left digits selected by the first digit (`G` = even parity).
const EAN_PARITY: [&str; 10] = [
    "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL",
    "LGGLGL",
];

/// Bar/space widths of the 107 Code 128 symbols (values 0–102, Start A/B/C, Stop).
const CODE128: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];
const C128_CODE_C: usize = 99;
const C128_START_B: usize = 104;
const C128_START_C: usize = 105;
const C128_STOP: usize = 106;

fn push_bits(out: &mut Vec<bool>, bits: &str) {
    out.extend(bits.bytes().map(|b| b == b'1'));
}

/// EAN-13 modules (95, `true` = bar) for 13 digits; the check digit must be correct.
pub fn ean13_modules(code: &str) -> Result<Vec<bool>, SimError> {
    if !crate::codes::is_valid_ean13(code) {
        return Err(SimError::BadInput("ean-13 needs 13 digits with a valid check digit"));
    }
    let d: Vec<usize> = code.bytes().map(|b| usize::from(b - b'0')).collect();
    let mut m = Vec::with_capacity(95);
    push_bits(&mut m, "101");
    for (i, p) in EAN_PARITY[d[0]].bytes().enumerate() {
        let digit = d[i + 1];
        if p == b'L' {
            push_bits(&mut m, EAN_L[digit]);
        } else {
            let rev: String = EAN_R[digit].chars().rev().collect();
            push_bits(&mut m, &rev);
        }
    }
    push_bits(&mut m, "01010");
    for &digit in &d[7..13] {
        push_bits(&mut m, EAN_R[digit]);
    }
    push_bits(&mut m, "101");
    Ok(m)
}

/// Code 128 modules for a string of ASCII digits (Code C for pairs; an odd leading digit in
/// Code B), with checksum and stop pattern.
pub fn code128_modules(digits: &str) -> Result<Vec<bool>, SimError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SimError::BadInput("code 128 encoder here takes digits only"));
    }
    let bytes = digits.as_bytes();
    let mut values = Vec::new();
    let rest = if bytes.len() % 2 == 1 {
        values.push(C128_START_B);
        values.push(usize::from(bytes[0] - b' '));
        values.push(C128_CODE_C);
        &bytes[1..]
    } else {
        values.push(C128_START_C);
        bytes
    };
    for pair in rest.chunks(2) {
        values.push(usize::from(pair[0] - b'0') * 10 + usize::from(pair[1] - b'0'));
    }
    let checksum = values.iter().enumerate().map(|(i, v)| i.max(1) * v).sum::<usize>() % 103;
    values.push(checksum);
    values.push(C128_STOP);
    let mut m = Vec::new();
    for v in values {
        for (i, w) in CODE128[v].bytes().enumerate() {
            let bar = i % 2 == 0;
            m.extend(std::iter::repeat_n(bar, usize::from(w - b'0')));
        }
    }
    Ok(m)
}

/// Renders linear modules with a quiet zone of `quiet` modules on each side.
fn render_linear(modules: &[bool], module_px: u32, height: u32, quiet: u32) -> GrayImage {
    let total = u32::try_from(modules.len()).unwrap_or(u32::MAX / 8) + 2 * quiet;
    let mut img = GrayImage::from_pixel(total * module_px, height, Luma([255]));
    for (i, &bar) in modules.iter().enumerate() {
        if !bar {
            continue;
        }
        let x0 = (u32::try_from(i).unwrap_or(0) + quiet) * module_px;
        for x in x0..x0 + module_px {
            for y in 0..height {
                img.put_pixel(x, y, Luma([0]));
            }
        }
    }
    img
}

/// Renders a QR code for `text` (EC level H) with a 4-module quiet zone.
fn render_qr(text: &str, module_px: u32) -> Result<GrayImage, SimError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::H)
        .map_err(|_| SimError::BadInput("text does not fit a qr code"))?;
    let width = u32::try_from(code.width()).unwrap_or(0);
    let colors = code.to_colors();
    let quiet = 4;
    let side = (width + 2 * quiet) * module_px;
    let mut img = GrayImage::from_pixel(side, side, Luma([255]));
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let i = u32::try_from(i).unwrap_or(0);
        let (mx, my) = (i % width + quiet, i / width + quiet);
        for y in my * module_px..(my + 1) * module_px {
            for x in mx * module_px..(mx + 1) * module_px {
                img.put_pixel(x, y, Luma([0]));
            }
        }
    }
    Ok(img)
}

/// Renders a share code as a grey-scale image; `payload` is the 13 digits for the linear codes
/// and the verification link for QR.
pub fn render(symbology: Symbology, payload: &str) -> Result<GrayImage, SimError> {
    match symbology {
        Symbology::Ean13 => Ok(render_linear(&ean13_modules(payload)?, 3, 120, 11)),
        Symbology::Code128 => Ok(render_linear(&code128_modules(payload)?, 3, 120, 10)),
        Symbology::Qr => render_qr(payload, 6),
    }
}

/// Renders a share code and encodes it as PNG bytes.
pub fn render_png(symbology: Symbology, payload: &str) -> Result<Vec<u8>, SimError> {
    let img = render(symbology, payload)?;
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::L8)
        .map_err(|e| SimError::Render(format!("png encoding failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_has_95_modules_and_guards() {
        let m = ean13_modules("4006381333931").expect("valid code");
        assert_eq!(m.len(), 95);
        assert_eq!(&m[..3], &[true, false, true]);
        assert_eq!(&m[45..50], &[false, true, false, true, false]);
        assert!(ean13_modules("4006381333932").is_err());
    }

    #[test]
    fn code128_length_and_checksum() {
        // Start B + 1 digit + Code C + 6 pairs + checksum = 10 symbols of 11 modules, stop 13.
        let m = code128_modules("2858364170864").expect("digits");
        assert_eq!(m.len(), 10 * 11 + 13);
        let even = code128_modules("12").expect("digits");
        assert_eq!(even.len(), 3 * 11 + 13);
        assert!(code128_modules("12a").is_err());
    }

    #[test]
    fn png_signature() {
        let png = render_png(Symbology::Qr, "https://diia.app/x").expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
