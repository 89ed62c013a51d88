//! A cheap gradient-energy locator: where in a frame a 1-D barcode or a QR probably sits, and which
//! way the bars run, so the expensive decode attempts run on small crops instead of whole frames.
//!
//! Why: whole-frame TryHarder passes scan every row twice (and again rotated by 90°) and cost
//! 20–90 ms on frames without a readable code, which is most live frames. A structure tensor per
//! 8×8 cell costs about a millisecond and tells bars (strong, coherent gradient) from QR modules
//! and text (strong, incoherent gradient) and from flat or noisy background.

/// Cell side in pixels.
pub const CELL: usize = 8;

/// What a region looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// Strong gradient in one direction: a 1-D barcode candidate.
    Linear,
    /// Strong gradient in all directions: a QR (or text) candidate.
    Square,
}

/// One candidate region.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Linear or square.
    pub kind: RegionKind,
    /// Centre in frame pixels.
    pub cx: f32,
    /// Centre in frame pixels.
    pub cy: f32,
    /// Direction across the bars (the dominant gradient), radians.
    pub angle: f32,
    /// Half extent across the bars (along `angle`), frame pixels, no margin.
    pub half_u: f32,
    /// Half extent along the bars, frame pixels, no margin.
    pub half_v: f32,
    /// Axis-aligned bounding box `(x0, y0, x1, y1)` in frame pixels, end exclusive, no margin.
    pub bbox: (usize, usize, usize, usize),
    /// Summed gradient energy; larger is more likely a symbol.
    pub score: f32,
}

/// Reusable buffers for [`Locator::locate`].
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// Per cell: Σgx², Σgy², Σgx·gy, Σgx, Σgy, Σ|gx|, Σ|gy|.
    raw: [Vec<i64>; 7],
    /// The same, summed over 3×3 cells.
    sm: [Vec<f32>; 7],
    count: Vec<f32>,
    label: Vec<u32>,
    stack: Vec<usize>,
}

// Thresholds in mean squared central-difference gradient per sample (8-bit luma). The floors let
// low-contrast symbols (bar amplitude ≈ 35 grey levels) through; the median-relative terms keep
// sensor noise and busy backgrounds out. Chosen from the physics, checked on the bench corpus.
const LINEAR_FLOOR: f32 = 60.0;
const LINEAR_VS_MEDIAN: f32 = 1.5;
const MIN_COHERENCE: f32 = 0.45;
const BUSY_FLOOR: f32 = 150.0;
const BUSY_VS_MEDIAN: f32 = 2.5;
const MIN_LINEAR_CELLS: usize = 6;
const MIN_SQUARE_CELLS: usize = 9;
const MIN_HALF_LENGTH: f32 = 48.0;
const MAX_NET_GRADIENT: f32 = 0.5;
// Neighbouring cells join one linear region only if their bar directions agree within ≈18°
// (cosine of the doubled angle).
const SAME_DIRECTION: f32 = 0.8;

impl Locator {
    /// Candidate regions, best first within each kind: at most `max_linear` linear and
    /// `max_square` square ones. Frames smaller than three cells either way give none.
    pub fn locate(
        &mut self,
        luma: &[u8],
        w: usize,
        h: usize,
        max_linear: usize,
        max_square: usize,
    ) -> Vec<Region> {
        let (cw, ch) = (w / CELL, h / CELL);
        if cw < 3 || ch < 3 || luma.len() != w * h {
            return Vec::new();
        }
        let n = cw * ch;
        self.accumulate(luma, w, h, cw, ch);
        self.smooth(cw, ch);
        let [sxx, syy, sxy, sx, sy, ax, ay] = &self.sm;
        // Per-sample energy and coherent energy of each smoothed cell.
        let mut e = vec![0f32; n];
        let mut d = vec![0f32; n];
        for i in 0..n {
            let c = self.count[i].max(1.0);
            e[i] = (sxx[i] + syy[i]) / c;
            let a = sxx[i] - syy[i];
            d[i] = (a * a + 4.0 * sxy[i] * sxy[i]).sqrt() / c;
        }
        let mut tmp = e.clone();
        let mid = n / 2;
        let median_e = *tmp.select_nth_unstable_by(mid, f32::total_cmp).1;
        let lin_thr = LINEAR_FLOOR.max(LINEAR_VS_MEDIAN * median_e);
        let busy_thr = BUSY_FLOOR.max(BUSY_VS_MEDIAN * median_e);
        // Bars alternate dark-light-dark, so their gradients cancel when summed; a lone edge (the
        // phone's border, a paper's side) does not. Without this test such edges glue a small
        // symbol into a large, tall region that then fails the shape test.
        let alternating =
            |i: usize| (sx[i] * sx[i] + sy[i] * sy[i]).sqrt() < MAX_NET_GRADIENT * (ax[i] + ay[i]);
        let linear: Vec<bool> = (0..n)
            .map(|i| d[i] > lin_thr && d[i] > MIN_COHERENCE * e[i] && alternating(i))
            .collect();
        let busy: Vec<bool> = (0..n).map(|i| e[i] > busy_thr).collect();

        let mut out = Vec::new();
        let mut lin = self.components(cw, ch, &linear, true, RegionKind::Linear, &d);
        // A Diia symbol has ≈100 modules of ≥ 1 px across the bars and is not much taller than
        // wide; long thin strips are edges of the phone, papers or text lines.
        lin.retain(|r| {
            r.1 >= MIN_LINEAR_CELLS
                && r.0.half_u >= MIN_HALF_LENGTH
                && r.0.half_v <= 1.5 * r.0.half_u
        });
        lin.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        out.extend(lin.into_iter().take(max_linear).map(|r| r.0));
        let mut sq = self.components(cw, ch, &busy, false, RegionKind::Square, &e);
        // A QR filling a quarter of the frame or more is read by the whole-frame pass; blobs that
        // large are clutter, and so are long thin ones.
        let quarter = (w * h / 4) as f32;
        sq.retain(|r| {
            let (x0, y0, x1, y1) = r.0.bbox;
            let (bw, bh) = ((x1 - x0) as f32, (y1 - y0) as f32);
            r.1 >= MIN_SQUARE_CELLS && bw * bh <= quarter && bw.min(bh) >= 0.5 * bw.max(bh)
        });
        // Prefer compact, square-ish blobs: a QR is square; text lines and edges are long.
        for r in &mut sq {
            let (x0, y0, x1, y1) = r.0.bbox;
            let (bw, bh) = ((x1 - x0) as f32, (y1 - y0) as f32);
            r.0.score *= bw.min(bh) / bw.max(bh);
        }
        sq.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        out.extend(sq.into_iter().take(max_square).map(|r| r.0));
        out
    }

    /// Structure tensor sums per cell over every other row (rows are highly correlated; half the
    /// rows halve the cost).
    fn accumulate(&mut self, luma: &[u8], w: usize, h: usize, cw: usize, ch: usize) {
        for v in &mut self.raw {
            v.clear();
            v.resize(cw * ch, 0);
        }
        let [rxx, ryy, rxy, rsx, rsy, rax, ray] = &mut self.raw;
        let xe = (cw * CELL).min(w - 1);
        let ye = (ch * CELL).min(h - 1);
        for y in (1..ye).step_by(2) {
            let up = &luma[(y - 1) * w..y * w];
            let row = &luma[y * w..(y + 1) * w];
            let down = &luma[(y + 1) * w..(y + 2) * w];
            let base = (y / CELL) * cw;
            for cx in 0..cw {
                let (mut xx, mut yy, mut xy) = (0i32, 0i32, 0i32);
                let (mut gsx, mut gsy, mut gax, mut gay) = (0i32, 0i32, 0i32, 0i32);
                for x in (cx * CELL).max(1)..((cx + 1) * CELL).min(xe) {
                    let gx = i32::from(row[x + 1]) - i32::from(row[x - 1]);
                    let gy = i32::from(down[x]) - i32::from(up[x]);
                    xx += gx * gx;
                    yy += gy * gy;
                    xy += gx * gy;
                    gsx += gx;
                    gsy += gy;
                    gax += gx.abs();
                    gay += gy.abs();
                }
                rxx[base + cx] += i64::from(xx);
                ryy[base + cx] += i64::from(yy);
                rxy[base + cx] += i64::from(xy);
                rsx[base + cx] += i64::from(gsx);
                rsy[base + cx] += i64::from(gsy);
                rax[base + cx] += i64::from(gax);
                ray[base + cx] += i64::from(gay);
            }
        }
    }

    /// 3×3 box sum of the cell tensors: noise averages towards isotropy, bars add up.
    fn smooth(&mut self, cw: usize, ch: usize) {
        let n = cw * ch;
        for v in &mut self.sm {
            v.clear();
            v.resize(n, 0.0);
        }
        self.count.clear();
        self.count.resize(n, 0.0);
        let per_cell = (CELL * CELL / 2) as f32;
        for y in 0..ch {
            for x in 0..cw {
                let i = y * cw + x;
                let mut acc = [0i64; 7];
                let mut k = 0f32;
                for yy in y.saturating_sub(1)..(y + 2).min(ch) {
                    for xx in x.saturating_sub(1)..(x + 2).min(cw) {
                        let j = yy * cw + xx;
                        for (a, r) in acc.iter_mut().zip(&self.raw) {
                            *a += r[j];
                        }
                        k += per_cell;
                    }
                }
                for (s, a) in self.sm.iter_mut().zip(acc) {
                    s[i] = a as f32;
                }
                self.count[i] = k;
            }
        }
    }

    /// 4-connected components of `mask` (linear ones also need agreeing bar directions); each
    /// with its region and cell count.
    fn components(
        &mut self,
        cw: usize,
        ch: usize,
        mask: &[bool],
        same_direction: bool,
        kind: RegionKind,
        weight: &[f32],
    ) -> Vec<(Region, usize)> {
        let n = cw * ch;
        self.label.clear();
        self.label.resize(n, 0);
        // Unit doubled-angle vectors of each cell's dominant gradient.
        let dir = |i: usize, sm: &[Vec<f32>; 7]| {
            let a = sm[0][i] - sm[1][i];
            let b = 2.0 * sm[2][i];
            let m = (a * a + b * b).sqrt().max(1e-6);
            (a / m, b / m)
        };
        let mut out = Vec::new();
        let mut next = 0u32;
        for seed in 0..n {
            if !mask[seed] || self.label[seed] != 0 {
                continue;
            }
            next += 1;
            self.label[seed] = next;
            self.stack.clear();
            self.stack.push(seed);
            let mut cells = Vec::new();
            while let Some(i) = self.stack.pop() {
                cells.push(i);
                let (x, y) = (i % cw, i / cw);
                let di = dir(i, &self.sm);
                let visit = |j: usize, label: &mut Vec<u32>, stack: &mut Vec<usize>| {
                    if !mask[j] || label[j] != 0 {
                        return;
                    }
                    if same_direction {
                        let dj = dir(j, &self.sm);
                        if di.0 * dj.0 + di.1 * dj.1 < SAME_DIRECTION {
                            return;
                        }
                    }
                    label[j] = next;
                    stack.push(j);
                };
                if x > 0 {
                    visit(i - 1, &mut self.label, &mut self.stack);
                }
                if x + 1 < cw {
                    visit(i + 1, &mut self.label, &mut self.stack);
                }
                if y > 0 {
                    visit(i - cw, &mut self.label, &mut self.stack);
                }
                if y + 1 < ch {
                    visit(i + cw, &mut self.label, &mut self.stack);
                }
            }
            out.push((self.region(&cells, cw, kind, weight), cells.len()));
        }
        out
    }

    fn region(&self, cells: &[usize], cw: usize, kind: RegionKind, weight: &[f32]) -> Region {
        let (mut a, mut b, mut c, mut score) = (0f64, 0f64, 0f64, 0f32);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &i in cells {
            a += f64::from(self.sm[0][i]);
            b += f64::from(self.sm[1][i]);
            c += f64::from(self.sm[2][i]);
            score += weight[i];
            let (x, y) = (i % cw, i / cw);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
        }
        let angle = (0.5 * (2.0 * c).atan2(a - b)) as f32;
        let (ux, uy) = (angle.cos(), angle.sin());
        let (mut umin, mut umax, mut vmin, mut vmax) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &i in cells {
            let px = ((i % cw) * CELL) as f32 + CELL as f32 / 2.0;
            let py = ((i / cw) * CELL) as f32 + CELL as f32 / 2.0;
            let u = px * ux + py * uy;
            let v = -px * uy + py * ux;
            umin = umin.min(u);
            umax = umax.max(u);
            vmin = vmin.min(v);
            vmax = vmax.max(v);
        }
        let (uc, vc) = ((umin + umax) / 2.0, (vmin + vmax) / 2.0);
        Region {
            kind,
            cx: uc * ux - vc * uy,
            cy: uc * uy + vc * ux,
            angle,
            half_u: (umax - umin) / 2.0 + CELL as f32 / 2.0,
            half_v: (vmax - vmin) / 2.0 + CELL as f32 / 2.0,
            bbox: (x0 * CELL, y0 * CELL, x1 * CELL, y1 * CELL),
            score,
        }
    }
}

/// Maps crop pixels back to frame pixels: frame = origin + x·u + y·v.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warp {
    /// Frame position of crop pixel (0, 0).
    pub origin: (f32, f32),
    /// Frame step per crop column.
    pub u: (f32, f32),
    /// Frame step per crop row.
    pub v: (f32, f32),
}

impl Warp {
    /// Frame position of crop point `(x, y)`.
    pub fn map(&self, x: f32, y: f32) -> (f32, f32) {
        (self.origin.0 + x * self.u.0 + y * self.v.0, self.origin.1 + x * self.u.1 + y * self.v.1)
    }
}

/// Settings for [`sample_linear`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearCrop {
    /// At most this many crop rows; rows are spread over the region's height and each averages
    /// the frame along the bars over the whole gap to the next row. Averaging along the bars
    /// removes noise without blurring the edges between bars, and sampling only the rows the
    /// readers will try keeps the cost at about one pass over the region.
    pub rows: usize,
    /// Below this estimated module size (frame pixels) the crop is sampled at twice the density
    /// across the bars, which helps the row decoder place thin bars.
    pub upsample_below_px: f32,
    /// Quiet-zone margin added at both ends, as a fraction of the region's length (the locator
    /// can miss a noisy or blurred end of the symbol, and the readers need white before it).
    pub margin: f32,
}

impl Default for LinearCrop {
    fn default() -> Self {
        LinearCrop { rows: 32, upsample_below_px: 2.5, margin: 0.2 }
    }
}

/// Resamples a linear region into `out` so that crop rows run across the bars (whatever the
/// code's rotation), with a quiet-zone margin on both ends. Returns the crop size and its warp.
pub fn sample_linear(
    luma: &[u8],
    w: usize,
    h: usize,
    r: &Region,
    cfg: &LinearCrop,
    out: &mut Vec<u8>,
) -> (usize, usize, Warp) {
    let (ux, uy) = (r.angle.cos(), r.angle.sin());
    let (vx, vy) = (-uy, ux);
    // ≈100 modules across a Diia symbol (EAN-13: 95, Code 128 with 13 digits: ≈120).
    let module = 2.0 * r.half_u / 100.0;
    let step_u = if module < cfg.upsample_below_px { 0.5 } else { 1.0 };
    let margin = (cfg.margin * 2.0 * r.half_u).max(3.0 * CELL as f32);
    let len_u = 2.0 * (r.half_u + margin);
    let len_v = 2.0 * r.half_v;
    let ow = ((len_u / step_u) as usize).clamp(16, 4096);
    let oh = cfg.rows.clamp(1, 256).min((len_v / 2.0) as usize).max(1);
    let row_step = len_v / oh as f32;
    // One tap per frame pixel along the bars, at most 16.
    let taps = (row_step.ceil() as usize).clamp(1, 16);
    let origin = (
        r.cx - ux * len_u / 2.0 - vx * len_v / 2.0 + vx * row_step / 2.0,
        r.cy - uy * len_u / 2.0 - vy * len_v / 2.0 + vy * row_step / 2.0,
    );
    let warp = Warp { origin, u: (ux * step_u, uy * step_u), v: (vx * row_step, vy * row_step) };
    out.clear();
    out.resize(ow * oh, 0);
    let tap_step = row_step / taps as f32;
    let tap0 = -row_step / 2.0 + tap_step / 2.0;
    for j in 0..oh {
        for i in 0..ow {
            let (px, py) = warp.map(i as f32, j as f32);
            let mut acc = 0f32;
            for t in 0..taps {
                let o = tap0 + t as f32 * tap_step;
                acc += bilinear(luma, w, h, px + vx * o, py + vy * o);
            }
            out[j * ow + i] = (acc / taps as f32 + 0.5) as u8;
        }
    }
    (ow, oh, warp)
}

fn bilinear(luma: &[u8], w: usize, h: usize, x: f32, y: f32) -> f32 {
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |xx: usize, yy: usize| f32::from(luma[yy * w + xx]);
    let top = p(x0, y0) + (p(x1, y0) - p(x0, y0)) * fx;
    let bot = p(x0, y1) + (p(x1, y1) - p(x0, y1)) * fx;
    top + (bot - top) * fy
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vertical bars of width 3 in a band, on grey.
    fn bars(w: usize, h: usize) -> Vec<u8> {
        let mut v = vec![180u8; w * h];
        for y in h / 3..2 * h / 3 {
            for x in w / 4..3 * w / 4 {
                v[y * w + x] = if (x / 3) % 2 == 0 { 20 } else { 230 };
            }
        }
        v
    }

    #[test]
    fn finds_vertical_bars_with_horizontal_gradient() {
        let (w, h) = (320, 240);
        let regions = Locator::default().locate(&bars(w, h), w, h, 2, 0);
        let r = regions.first().expect("a region");
        assert_eq!(r.kind, RegionKind::Linear);
        assert!(r.angle.cos().abs() > 0.95, "angle {}", r.angle);
        assert!((r.cx - 160.0).abs() < 12.0 && (r.cy - 120.0).abs() < 12.0, "{r:?}");
    }

    #[test]
    fn flat_frame_has_no_regions() {
        let regions = Locator::default().locate(&vec![128u8; 320 * 240], 320, 240, 3, 3);
        assert!(regions.is_empty());
    }

    #[test]
    fn crop_rows_run_across_the_bars() {
        let (w, h) = (320, 240);
        let luma = bars(w, h);
        let r = Locator::default().locate(&luma, w, h, 1, 0).remove(0);
        let mut crop = Vec::new();
        let (ow, oh, warp) = sample_linear(&luma, w, h, &r, &LinearCrop::default(), &mut crop);
        assert!(ow > 100 && oh >= 4);
        let row = &crop[(oh / 2) * ow..(oh / 2 + 1) * ow];
        let transitions = row.windows(2).filter(|p| (p[0] > 128) != (p[1] > 128)).count();
        assert!(transitions > 20, "{transitions}");
        let (x, _) = warp.map(ow as f32 / 2.0, oh as f32 / 2.0);
        assert!((x - 160.0).abs() < 12.0);
    }
}
