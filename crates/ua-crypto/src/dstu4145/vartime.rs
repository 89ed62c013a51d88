//! Variable-time double-scalar multiplication s·G + r·Q for signature verification (public
//! inputs only): interleaved width-w NAF in López–Dahab projective coordinates with mixed
//! additions, odd multiples of G cached once per named curve.

use std::sync::OnceLock;

use super::params::NAMED;
use super::scalar::{self, Uint};
use super::{Affine, Curve};
use crate::gf2m::Fe;

/// Window for the cached base-point table (16 odd multiples).
const W_G: u32 = 6;
/// Window for the per-call public-key table (4 odd multiples).
const W_Q: u32 = 4;

/// López–Dahab projective point: x = X/Z, y = Y/Z²; Z = 0 is the point at infinity.
#[derive(Clone, Copy)]
struct Ld {
    x: Fe,
    y: Fe,
    z: Fe,
}

const INFINITY: Ld = Ld { x: Fe::ONE, y: Fe::ZERO, z: Fe::ZERO };

/// Width-w NAF digits of k, least significant first.
fn wnaf(k: &Uint, w: u32) -> Vec<i8> {
    let mut k = *k;
    let mut out = Vec::with_capacity(64 * scalar::SLIMBS + 1);
    let window = 1u64 << w;
    while !scalar::is_zero(&k) {
        let mut d = 0i64;
        if k[0] & 1 == 1 {
            let low = (k[0] & (window - 1)) as i64;
            d = if low >= (window / 2) as i64 { low - window as i64 } else { low };
            // k ← k − d: the low w bits become zero.
            k = if d > 0 { sub_small(&k, d as u64) } else { add_small(&k, (-d) as u64) };
        }
        out.push(d as i8);
        shr1(&mut k);
    }
    out
}

fn sub_small(a: &Uint, v: u64) -> Uint {
    let mut r = *a;
    let mut borrow = v;
    for w in r.iter_mut() {
        let (d, b) = w.overflowing_sub(borrow);
        *w = d;
        borrow = u64::from(b);
    }
    r
}

fn add_small(a: &Uint, v: u64) -> Uint {
    let mut r = *a;
    let mut carry = v;
    for w in r.iter_mut() {
        let (s, c) = w.overflowing_add(carry);
        *w = s;
        carry = u64::from(c);
    }
    r
}

fn shr1(a: &mut Uint) {
    for i in 0..scalar::SLIMBS {
        let next = if i + 1 < scalar::SLIMBS { a[i + 1] << 63 } else { 0 };
        a[i] = (a[i] >> 1) | next;
    }
}

/// Cached odd multiples of G for the named curves, indexed like `NAMED`.
static G_TABLES: [OnceLock<Vec<Affine>>; 10] = [const { OnceLock::new() }; 10];

impl Curve {
    fn ld_double(&self, p: &Ld) -> Ld {
        let f = &self.field;
        if p.z.is_zero() {
            return INFINITY;
        }
        let xx = f.sqr(&p.x);
        let zz = f.sqr(&p.z);
        let z3 = f.mul_vartime(&xx, &zz);
        let bz4 = f.mul_vartime(&self.b, &f.sqr(&zz));
        let x3 = f.sqr(&xx).add(&bz4);
        let mut t = f.sqr(&p.y).add(&bz4);
        if self.a == 1 {
            t = t.add(&z3);
        }
        let y3 = f.mul_vartime(&bz4, &z3).add(&f.mul_vartime(&x3, &t));
        Ld { x: x3, y: y3, z: z3 }
    }

    /// P + Q with P projective, Q affine.
    fn ld_add_mixed(&self, p: &Ld, q: &Affine) -> Ld {
        let f = &self.field;
        if p.z.is_zero() {
            return Ld { x: q.x, y: q.y, z: Fe::ONE };
        }
        let zz = f.sqr(&p.z);
        let a = f.mul_vartime(&zz, &q.y).add(&p.y);
        let b = f.mul_vartime(&p.z, &q.x).add(&p.x);
        if b.is_zero() {
            return if a.is_zero() {
                self.ld_double(&Ld { x: q.x, y: q.y, z: Fe::ONE })
            } else {
                INFINITY
            };
        }
        let c = f.mul_vartime(&p.z, &b);
        let c_plus = if self.a == 1 { c.add(&zz) } else { c };
        let d = f.mul_vartime(&f.sqr(&b), &c_plus);
        let z3 = f.sqr(&c);
        let e = f.mul_vartime(&a, &c);
        let x3 = f.sqr(&a).add(&d).add(&e);
        let ff = x3.add(&f.mul_vartime(&q.x, &z3));
        let g = f.mul_vartime(&q.x.add(&q.y), &f.sqr(&z3));
        let y3 = f.mul_vartime(&e.add(&z3), &ff).add(&g);
        Ld { x: x3, y: y3, z: z3 }
    }

    fn ld_to_affine(&self, p: &Ld) -> Option<Affine> {
        let f = &self.field;
        if p.z.is_zero() {
            return None;
        }
        let zi = f.inv_vartime(&p.z);
        Some(Affine { x: f.mul_vartime(&p.x, &zi), y: f.mul_vartime(&p.y, &f.sqr(&zi)) })
    }

    /// P, 3P, 5P, …, (2^(w−1) − 1)P in affine form; `None` entries cannot occur for points of
    /// odd order, but a malformed key of small order gives them, and the sum then just skips.
    fn odd_multiples(&self, p: &Affine, w: u32) -> Vec<Option<Affine>> {
        let count = 1usize << (w - 2);
        let two_p = self.add_affine(Some(*p), Some(*p));
        let mut out = Vec::with_capacity(count);
        out.push(Some(*p));
        for i in 1..count {
            let next = self.add_affine(out[i - 1], two_p);
            out.push(next);
        }
        out
    }

    fn g_multiples(&self) -> Vec<Option<Affine>> {
        let named = self.oid.and_then(|oid| NAMED.iter().position(|nc| nc.oid == oid));
        match named {
            Some(i) => G_TABLES[i]
                .get_or_init(|| self.odd_multiples(&self.g, W_G).into_iter().flatten().collect())
                .iter()
                .map(|p| Some(*p))
                .collect(),
            None => self.odd_multiples(&self.g, W_Q),
        }
    }

    /// s·G + r·Q, `None` for the point at infinity. Variable time: public scalars only.
    pub(super) fn double_mul_vartime(&self, s: &Uint, r: &Uint, q: &Affine) -> Option<Affine> {
        let g_tab = self.g_multiples();
        let w_g = if g_tab.len() == 1 << (W_G - 2) { W_G } else { W_Q };
        let q_tab = self.odd_multiples(q, W_Q);
        let ds = wnaf(s, w_g);
        let dr = wnaf(r, W_Q);
        let mut acc = INFINITY;
        for i in (0..ds.len().max(dr.len())).rev() {
            acc = self.ld_double(&acc);
            for (digits, table) in [(&ds, &g_tab), (&dr, &q_tab)] {
                let d = digits.get(i).copied().unwrap_or(0);
                if d == 0 {
                    continue;
                }
                if let Some(pt) = table[(d.unsigned_abs() as usize) / 2] {
                    let pt = if d < 0 { Curve::neg(&pt) } else { pt };
                    acc = self.ld_add_mixed(&acc, &pt);
                }
            }
        }
        self.ld_to_affine(&acc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dstu4145::PrivateKey;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn wnaf_reconstructs() {
        let k: Uint = [0xdead_beef_1234_5677, 0x0123_4567_89ab_cdef, 5, 0, 0, 0, 0, 0];
        for w in [2, 4, 6] {
            let digits = wnaf(&k, w);
            // Horner evaluation of Σ d_i·2^i.
            let mut acc: Uint = [0; 8];
            for (i, &d) in digits.iter().enumerate().rev() {
                // acc ← 2·acc + d
                let mut carry = 0u64;
                for limb in acc.iter_mut() {
                    let next = *limb >> 63;
                    *limb = (*limb << 1) | carry;
                    carry = next;
                }
                acc = if d >= 0 { add_small(&acc, d as u64) } else { sub_small(&acc, (-d) as u64) };
                assert!(d == 0 || d % 2 != 0, "digit {i} is odd or zero");
            }
            assert_eq!(acc, k);
        }
    }

    #[test]
    fn matches_ladder_based_sum() {
        let mut rng = StdRng::seed_from_u64(99);
        for oid in ["1.2.804.2.1.1.1.1.3.1.1.2.6", "1.2.804.2.1.1.1.1.3.1.1.2.2"] {
            let curve = Curve::named(oid).expect("curve");
            let explicit = Curve { oid: None, ..curve.clone() }; // exercises the uncached path
            for _ in 0..3 {
                let q = PrivateKey::generate(&curve, &mut rng).public_key().q;
                let s = *curve.random_scalar(&mut rng);
                let r = *curve.random_scalar(&mut rng);
                let reference = curve.add_affine(
                    curve.mul(&s, curve.n_bits, &curve.g),
                    curve.mul(&r, curve.n_bits, &q),
                );
                assert_eq!(curve.double_mul_vartime(&s, &r, &q), reference);
                assert_eq!(explicit.double_mul_vartime(&s, &r, &q), reference);
            }
            // r·Q = −s·G gives infinity.
            let s = *curve.random_scalar(&mut rng);
            let one: Uint = [1, 0, 0, 0, 0, 0, 0, 0];
            let minus_sg = Curve::neg(&curve.mul(&s, curve.n_bits, &curve.g).expect("finite"));
            assert_eq!(curve.double_mul_vartime(&s, &one, &minus_sg), None);
        }
    }
}
