//! The single-frame decode pipeline shared by the webcam worker and `decode-bench`.
//!
//! Work is spent where a symbol probably is (barcode.md §3.5: in live video most frames are
//! misses, and a miss pays for every attempt):
//! 1. whole frame, cheap: rxing's QR readers, and the 1-D readers on a few dozen rows spread over
//!    the frame;
//! 2. the regions the gradient locator ([`crate::locate`]) finds: linear ones are resampled so
//!    that rows run across the bars (any rotation), averaged along the bars against noise, and
//!    every row is tried; square ones are cropped, smoothed and contrast-stretched for the QR
//!    readers;
//! 3. optionally the old whole-frame pass on a smoothed, contrast-stretched copy.
//!
//! A 1-D symbol counts only when two different rows decode to the same text (one row can be a
//! checksum-valid misread; EAN-13 has a single mod-10 digit), and every read is judged by the
//! code rule.

use std::collections::HashSet;

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::oned::{MultiFormatOneDReader, OneDReader};
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, MultiFormatReader,
    RXingResult, Reader,
};

use crate::code::{Code, CodeError, classify};
use crate::locate::{CELL, LinearCrop, Locator, Region, RegionKind, sample_linear};

/// The symbologies the pipeline looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// EAN-13 (Diia for Android).
    Ean13,
    /// Code 128 (Diia for iOS).
    Code128,
    /// QR (the verification link).
    Qr,
}

impl Symbology {
    /// Stable name for the UI and the benchmark.
    pub fn name(self) -> &'static str {
        match self {
            Symbology::Ean13 => "ean13",
            Symbology::Code128 => "code128",
            Symbology::Qr => "qr",
        }
    }

    /// One-dimensional symbols have a weak checksum and need two agreeing frames.
    pub fn is_linear(self) -> bool {
        !matches!(self, Symbology::Qr)
    }
}

/// Which pass produced a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The whole frame, raw luma.
    Raw,
    /// A region found by the locator.
    Located,
    /// The whole frame, smoothed and contrast-stretched.
    Enhanced,
}

/// One symbol found in a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// Decoded text exactly as the decoder returned it.
    pub text: String,
    /// Symbology.
    pub symbology: Symbology,
    /// Result points in frame pixels (QR: finder centres; 1-D: ends of the scan line), for the
    /// preview outline.
    pub points: Vec<(f32, f32)>,
    /// Which pass found it.
    pub pass: Pass,
    /// The code rule's verdict on `text`.
    pub verdict: Result<Code, CodeError>,
}

/// When the whole-frame enhanced pass (step 3) runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnhancedPass {
    /// Never.
    Never,
    /// After every frame without an accepted read.
    Always,
    /// Only on frames with an odd sequence number (live video: halves its cost).
    AlternateFrames,
}

/// Pipeline settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineConfig {
    /// rxing TryHarder for the whole-frame QR search (denser finder-pattern scan).
    pub qr_try_harder: bool,
    /// Rows of the whole frame tried by the 1-D readers, spread evenly (default 48).
    pub frame_rows: usize,
    /// At most this many linear regions from the locator are decoded (default 3).
    pub linear_regions: usize,
    /// At most this many square (QR) regions from the locator are decoded (default 1).
    pub square_regions: usize,
    /// How linear regions are resampled.
    pub linear_crop: LinearCrop,
    /// Different rows that must agree before a 1-D read counts (default 2; 1 trusts one row).
    pub agreeing_rows: usize,
    /// When to run the whole-frame enhanced pass.
    pub enhanced: EnhancedPass,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            qr_try_harder: true,
            frame_rows: 48,
            linear_regions: 3,
            square_regions: 1,
            linear_crop: LinearCrop::default(),
            agreeing_rows: 2,
            enhanced: EnhancedPass::Never,
        }
    }
}

/// The decode pipeline; cheap to create, reusable (buffers are kept), single-threaded.
#[derive(Debug, Clone)]
pub struct Pipeline {
    config: PipelineConfig,
    locator: Locator,
    scratch: Vec<u8>,
    scratch2: Vec<u8>,
    crop: Vec<u8>,
}

impl Pipeline {
    /// A pipeline with the given settings.
    pub fn new(config: PipelineConfig) -> Self {
        Pipeline {
            config,
            locator: Locator::default(),
            scratch: Vec::new(),
            scratch2: Vec::new(),
            crop: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// Decode one frame. Returns the first read the code rule accepts; failing that, the last
    /// read refused by the rule (so the UI can say why), or `None` if nothing was found.
    /// `seq` selects alternate-frame behaviour. Bad sizes give `None`, never a panic.
    pub fn decode(&mut self, luma: &[u8], width: u32, height: u32, seq: u64) -> Option<Read> {
        if width == 0 || height == 0 || luma.len() != width as usize * height as usize {
            return None;
        }
        let (w, h) = (width as usize, height as usize);
        let mut refused = None;
        let keep = |r: Option<Read>, refused: &mut Option<Read>| match r {
            Some(r) if r.verdict.is_ok() => Some(r),
            Some(r) => {
                *refused = Some(r);
                None
            }
            None => None,
        };
        let cfg = self.config.clone();
        let mut votes = Votes::new(cfg.agreeing_rows);
        if let Some(r) = keep(whole_frame(luma, w, h, &cfg, Pass::Raw, &mut votes), &mut refused) {
            return Some(r);
        }
        let regions = self.locator.locate(luma, w, h, cfg.linear_regions, cfg.square_regions);
        for region in &regions {
            let t0 = std::time::Instant::now();
            let r = match region.kind {
                RegionKind::Linear => {
                    linear_region(luma, w, h, region, &cfg, &mut self.crop, &mut votes)
                }
                RegionKind::Square => {
                    square_region(luma, w, h, region, &mut self.crop, &mut self.scratch).or_else(
                        // Small, blurred or noisy bars can look busy rather than coherent.
                        || linear_region(luma, w, h, region, &cfg, &mut self.crop, &mut votes),
                    )
                }
            };
            tracing::trace!(
                kind = ?region.kind,
                ms = t0.elapsed().as_secs_f64() * 1e3,
                found = r.is_some(),
                "located region decoded"
            );
            if let Some(r) = keep(r, &mut refused) {
                return Some(r);
            }
        }
        let run_enhanced = match cfg.enhanced {
            EnhancedPass::Never => false,
            EnhancedPass::Always => true,
            EnhancedPass::AlternateFrames => seq % 2 == 1,
        };
        if run_enhanced {
            enhance(luma, w, h, &mut self.scratch, &mut self.scratch2);
            if let Some(r) = keep(
                whole_frame(&self.scratch, w, h, &cfg, Pass::Enhanced, &mut votes),
                &mut refused,
            ) {
                return Some(r);
            }
        }
        refused
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new(PipelineConfig::default())
    }
}

fn hints(formats: &[BarcodeFormat], try_harder: bool) -> DecodeHints {
    DecodeHints {
        PossibleFormats: Some(formats.iter().copied().collect::<HashSet<_>>()),
        TryHarder: Some(try_harder),
        ..Default::default()
    }
}

const LINEAR: [BarcodeFormat; 2] = [BarcodeFormat::EAN_13, BarcodeFormat::CODE_128];

/// Step 1: QR readers and sparse 1-D rows over the whole frame.
fn whole_frame(
    luma: &[u8],
    w: usize,
    h: usize,
    cfg: &PipelineConfig,
    pass: Pass,
    votes: &mut Votes,
) -> Option<Read> {
    let src = Luma8Source::new_with_slice(luma, w as u32, h as u32).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(src));
    let lin_hints = hints(&LINEAR, false);
    let mut reader = MultiFormatOneDReader::new(&lin_hints);
    let rows = spread_rows(h, cfg.frame_rows);
    let refused = match scan_rows(&bitmap, &mut reader, &lin_hints, &rows, votes, pass, |p| p) {
        Some(r) if r.verdict.is_ok() => return Some(r),
        other => other,
    };
    let qr_hints = hints(&[BarcodeFormat::QR_CODE], cfg.qr_try_harder);
    let res = MultiFormatReader::default().decode_with_hints(&mut bitmap, &qr_hints).ok();
    match res.and_then(|res| to_read(&res, pass, |p| p)) {
        Some(r) if r.verdict.is_ok() => Some(r),
        other => other.or(refused),
    }
}

/// At most `n` of `0..h`, evenly spread, middle first (a code held up to the camera is usually
/// near the centre, and a region's middle rows cross the symbol).
fn spread_rows(h: usize, n: usize) -> Vec<usize> {
    let n = n.clamp(1, h.max(1));
    let mut rows: Vec<usize> = (0..n).map(|i| (2 * i + 1) * h / (2 * n)).collect();
    rows.sort_by_key(|&y| y.abs_diff(h / 2));
    rows
}

/// Step 2 for a linear region: rows across the bars, all of them, middle out.
fn linear_region(
    luma: &[u8],
    w: usize,
    h: usize,
    region: &Region,
    cfg: &PipelineConfig,
    crop: &mut Vec<u8>,
    votes: &mut Votes,
) -> Option<Read> {
    let (ow, oh, warp) = sample_linear(luma, w, h, region, &cfg.linear_crop, crop);
    let src = Luma8Source::new_with_slice(crop, ow as u32, oh as u32).ok()?;
    let bitmap = BinaryBitmap::new(GlobalHistogramBinarizer::new(src));
    let lin_hints = hints(&LINEAR, true);
    let mut reader = MultiFormatOneDReader::new(&lin_hints);
    let mut rows: Vec<usize> = (0..oh).collect();
    rows.sort_by_key(|&y| y.abs_diff(oh / 2));
    scan_rows(&bitmap, &mut reader, &lin_hints, &rows, votes, Pass::Located, |(x, y)| {
        warp.map(x, y)
    })
}

/// Step 2 for a square region: an axis-aligned crop with a margin, smoothed and stretched on its
/// own histogram (local contrast beats the frame's under glare), for the QR readers.
fn square_region(
    luma: &[u8],
    w: usize,
    h: usize,
    region: &Region,
    crop: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> Option<Read> {
    let (x0, y0, x1, y1) = region.bbox;
    let m = ((x1 - x0).max(y1 - y0) / 4).max(2 * CELL);
    let (x0, y0, x1, y1) =
        (x0.saturating_sub(m), y0.saturating_sub(m), (x1 + m).min(w), (y1 + m).min(h));
    let (cw, ch) = (x1 - x0, y1 - y0);
    if cw < 21 || ch < 21 {
        return None;
    }
    crop.clear();
    for y in y0..y1 {
        crop.extend_from_slice(&luma[y * w + x0..y * w + x1]);
    }
    let mut tmp = Vec::new();
    enhance(crop, cw, ch, out, &mut tmp);
    let src = Luma8Source::new_with_slice(out, cw as u32, ch as u32).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(src));
    let qr_hints = hints(&[BarcodeFormat::QR_CODE], true);
    let res = MultiFormatReader::default().decode_with_hints(&mut bitmap, &qr_hints).ok()?;
    to_read(&res, Pass::Located, |(x, y)| (x + x0 as f32, y + y0 as f32))
}

/// 1-D reads of one frame, by text. Rows of one symbol are not independent evidence (a blurred
/// symbol misreads the same way on neighbouring rows, and crop rows are averaged along the bars),
/// so a 1-D read counts only once `need` rows agree on it *and* no row of the frame produced a
/// different code the rule would accept; a frame with disagreeing reads gives no 1-D read.
#[derive(Debug)]
struct Votes {
    need: usize,
    seen: Vec<(usize, Read)>,
}

impl Votes {
    fn new(need: usize) -> Self {
        Votes { need: need.max(1), seen: Vec::new() }
    }

    /// Records one row's read; returns the read once it is trusted.
    fn add(&mut self, read: Read) -> Option<Read> {
        let i = match self.seen.iter().position(|(_, r)| r.text == read.text) {
            Some(i) => {
                self.seen[i].0 += 1;
                i
            }
            None => {
                self.seen.push((1, read));
                self.seen.len() - 1
            }
        };
        let (n, r) = &self.seen[i];
        let conflict = self
            .seen
            .iter()
            .enumerate()
            .any(|(j, (_, o))| j != i && o.verdict.is_ok() && r.verdict.is_ok());
        if *n >= self.need && !conflict { Some(r.clone()) } else { None }
    }
}

/// Tries `rows` in order (each forwards, then reversed for upside-down symbols), recording every
/// decoded row in `votes`, and returns the first read `votes` trusts. `map` takes bitmap points
/// to frame pixels.
fn scan_rows<B: Binarizer>(
    bitmap: &BinaryBitmap<B>,
    reader: &mut MultiFormatOneDReader,
    hints: &DecodeHints,
    rows: &[usize],
    votes: &mut Votes,
    pass: Pass,
    map: impl Fn((f32, f32)) -> (f32, f32),
) -> Option<Read> {
    let width = bitmap.get_width() as f32;
    for &y in rows {
        let Ok(row) = bitmap.get_black_row(y) else { continue };
        let res = match reader.decode_row(y as u32, &row, hints) {
            Ok(r) => r,
            Err(_) => {
                let mut rev = row.into_owned();
                rev.reverse();
                let Ok(mut r) = reader.decode_row(y as u32, &rev, hints) else { continue };
                for p in r.getPointsMut() {
                    p.x = width - p.x - 1.0;
                }
                r
            }
        };
        let Some(read) = to_read(&res, pass, &map) else { continue };
        if let Some(r) = votes.add(read) {
            return Some(r);
        }
    }
    None
}

/// Turns an rxing result into a [`Read`] judged by the code rule; `map` takes result points to
/// frame pixels. Symbols of other formats and too-small EAN-13 reads give `None`.
fn to_read(res: &RXingResult, pass: Pass, map: impl Fn((f32, f32)) -> (f32, f32)) -> Option<Read> {
    let symbology = match res.getBarcodeFormat() {
        BarcodeFormat::EAN_13 => Symbology::Ean13,
        BarcodeFormat::CODE_128 => Symbology::Code128,
        BarcodeFormat::QR_CODE => Symbology::Qr,
        // Formats are restricted by the hints; anything else is not ours to accept.
        _ => return None,
    };
    let text = res.getText().to_owned();
    let verdict = match (symbology, classify(&text)) {
        // A QR must carry the link and a 1-D symbol the digits; a QR holding 13 digits is not Diia.
        (Symbology::Qr, Ok(Code::ShareCode(_))) => {
            Err(CodeError::NotDiiaLink { read: crate::code::ReadSnippet::of(&text) })
        }
        (s, Ok(Code::DiiaQr { .. })) if s.is_linear() => {
            Err(CodeError::Unrecognised { read: crate::code::ReadSnippet::of(&text) })
        }
        (_, v) => v,
    };
    let points: Vec<(f32, f32)> = res.getPoints().iter().map(|p| map((p.x, p.y))).collect();
    if symbology == Symbology::Ean13 && ean_too_small(&points) {
        tracing::trace!("EAN-13 read below the trusted module size dropped");
        return None;
    }
    Some(Read { text, symbology, points, pass, verdict })
}

/// Narrowest EAN-13 module (pixels) whose reads are trusted. Below ≈1.4 px/module every decoder
/// finds almost nothing (barcode.md §3.4) and the rare hits include checksum-valid misreads, so a
/// read whose end points span fewer than 95 × this pixels is dropped.
pub const MIN_EAN_MODULE_PX: f32 = 1.4;

fn ean_too_small(points: &[(f32, f32)]) -> bool {
    let (Some(a), Some(b)) = (points.first(), points.last()) else { return false };
    let span = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    span < 95.0 * MIN_EAN_MODULE_PX
}

/// 3×3 binomial smoothing followed by a 1 %–99 % contrast stretch, into `out`.
pub fn enhance(luma: &[u8], w: usize, h: usize, out: &mut Vec<u8>, tmp: &mut Vec<u8>) {
    out.clear();
    out.resize(w * h, 0);
    tmp.clear();
    tmp.resize(w * h, 0);
    if w < 3 || h < 3 {
        out.copy_from_slice(luma);
        return;
    }
    // Horizontal [1 2 1] into tmp, vertical [1 2 1] into out (edges copied).
    for y in 0..h {
        let row = &luma[y * w..(y + 1) * w];
        let t = &mut tmp[y * w..(y + 1) * w];
        t[0] = row[0];
        t[w - 1] = row[w - 1];
        for x in 1..w - 1 {
            let s = u16::from(row[x - 1]) + 2 * u16::from(row[x]) + u16::from(row[x + 1]);
            t[x] = ((s + 2) >> 2) as u8;
        }
    }
    out[..w].copy_from_slice(&tmp[..w]);
    out[(h - 1) * w..].copy_from_slice(&tmp[(h - 1) * w..]);
    for y in 1..h - 1 {
        let (a, b, c) =
            (&tmp[(y - 1) * w..y * w], &tmp[y * w..(y + 1) * w], &tmp[(y + 1) * w..(y + 2) * w]);
        let o = &mut out[y * w..(y + 1) * w];
        for x in 0..w {
            let s = u16::from(a[x]) + 2 * u16::from(b[x]) + u16::from(c[x]);
            o[x] = ((s + 2) >> 2) as u8;
        }
    }
    stretch_in_place(out);
}

/// Linear stretch mapping the 1st percentile to 0 and the 99th to 255.
pub fn stretch_in_place(px: &mut [u8]) {
    if px.is_empty() {
        return;
    }
    let mut hist = [0usize; 256];
    for &p in px.iter() {
        hist[p as usize] += 1;
    }
    let n = px.len();
    let cut = n / 100;
    let mut acc = 0;
    let mut lo = 0usize;
    for (i, &c) in hist.iter().enumerate() {
        acc += c;
        if acc > cut {
            lo = i;
            break;
        }
    }
    acc = 0;
    let mut hi = 255usize;
    for (i, &c) in hist.iter().enumerate().rev() {
        acc += c;
        if acc > cut {
            hi = i;
            break;
        }
    }
    if hi <= lo {
        return;
    }
    let span = (hi - lo) as u32;
    let mut lut = [0u8; 256];
    for (i, v) in lut.iter_mut().enumerate() {
        let x = i.clamp(lo, hi) - lo;
        *v = ((x as u32 * 255 + span / 2) / span) as u8;
    }
    for p in px.iter_mut() {
        *p = lut[*p as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretch_maps_range() {
        let mut v: Vec<u8> = (0..1000).map(|i| 100 + (i % 50) as u8).collect();
        stretch_in_place(&mut v);
        assert_eq!(*v.iter().min().expect("non-empty"), 0);
        assert_eq!(*v.iter().max().expect("non-empty"), 255);
    }

    fn read(text: &str) -> Read {
        Read {
            text: text.to_owned(),
            symbology: Symbology::Ean13,
            points: Vec::new(),
            pass: Pass::Located,
            verdict: classify(text),
        }
    }

    #[test]
    fn one_row_is_not_enough_and_disagreement_blocks() {
        let mut v = Votes::new(2);
        assert!(v.add(read("4006381333931")).is_none());
        assert_eq!(v.add(read("4006381333931")).map(|r| r.text), Some("4006381333931".into()));
        let mut v = Votes::new(2);
        assert!(v.add(read("4006381333931")).is_none());
        assert!(v.add(read("5901234123457")).is_none());
        assert!(v.add(read("4006381333931")).is_none(), "a different valid code was seen");
        assert!(v.add(read("5901234123457")).is_none());
    }

    /// An EAN-13 at 3 px/module rotated by `deg` about the centre of a grey 640×480 frame.
    fn rotated_ean(text: &str, deg: f32) -> Vec<u8> {
        use rxing::{MultiFormatWriter, Writer};
        let m = MultiFormatWriter.encode(text, &BarcodeFormat::EAN_13, 0, 0).expect("encodable");
        let (w, h, ppm, bar_h) = (640usize, 480usize, 3.0f32, 90.0f32);
        let sw = m.width() as f32 * ppm;
        let (c, s) = (deg.to_radians().cos(), deg.to_radians().sin());
        let mut img = vec![170u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - 320.0, y as f32 - 240.0);
                let (u, v) = (dx * c + dy * s + sw / 2.0, -dx * s + dy * c + bar_h / 2.0);
                let quiet = 10.0 * ppm;
                if u < -quiet || u >= sw + quiet || v < -quiet || v >= bar_h + quiet {
                    continue;
                }
                let dark = (0.0..sw).contains(&u)
                    && (0.0..bar_h).contains(&v)
                    && m.get((u / ppm) as u32, 0);
                img[y * w + x] = if dark { 35 } else { 225 };
            }
        }
        img
    }

    #[test]
    fn rotated_linear_code_is_read_through_the_locator() {
        let text = "4006381333931";
        let mut p = Pipeline::default();
        for deg in [30.0, 60.0, 135.0] {
            let r = p.decode(&rotated_ean(text, deg), 640, 480, 0).expect("decodes");
            assert_eq!((r.text.as_str(), r.pass), (text, Pass::Located), "at {deg}°");
            assert!(r.verdict.is_ok());
        }
        // Without the locator the whole-frame rows cannot cross a tilted symbol.
        let mut p = Pipeline::new(PipelineConfig { linear_regions: 0, ..Default::default() });
        assert!(p.decode(&rotated_ean(text, 30.0), 640, 480, 0).is_none());
    }

    #[test]
    fn bad_sizes_give_none() {
        let mut p = Pipeline::default();
        assert!(p.decode(&[0u8; 10], 4, 4, 0).is_none());
        assert!(p.decode(&[], 0, 0, 0).is_none());
        assert!(p.decode(&[128u8; 64 * 48], 64, 48, 1).is_none());
    }
}
