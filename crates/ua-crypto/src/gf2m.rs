//! Arithmetic in GF(2^m) with a polynomial basis, for the DSTU 4145 binary curves (m = 163 … 509).
//!
//! Elements are fixed arrays of eight 64-bit limbs, least significant limb first (bit i of the
//! array is the coefficient of t^i), so no operation allocates. The reduction polynomial is a
//! trinomial or pentanomial t^m + t^k3 + t^k2 + t^k1 + 1 whose middle exponents are below m − 64,
//! which lets reduction fold whole limbs. Multiplication is a López–Dahab left-to-right comb with a
//! 4-bit window, specialised per limb count so the inner loops unroll.
//!
//! Timing: add, square, reduction, trace, half-trace and inverse (Itoh–Tsujii) run in time that
//! depends only on m. Multiplication has no secret-dependent branches, but indexes a 16-entry
//! table (1 KiB, a few cache lines) by nibbles of one operand, like most portable GF(2^m) code.

use std::fmt;

/// Largest supported extension degree: eight 64-bit limbs minus room for the reduction to fold.
pub const MAX_M: u32 = 509;

/// Calls the product kernel instantiated for the field's limb count (2 to 8).
macro_rules! by_limbs {
    ($nw:expr, $kernel:ident, $a:expr, $b:expr) => {
        match $nw {
            2 => $kernel::<2>($a, $b),
            3 => $kernel::<3>($a, $b),
            4 => $kernel::<4>($a, $b),
            5 => $kernel::<5>($a, $b),
            6 => $kernel::<6>($a, $b),
            7 => $kernel::<7>($a, $b),
            _ => $kernel::<8>($a, $b),
        }
    };
}

/// Number of 64-bit limbs in an element.
pub const LIMBS: usize = 8;

/// An element of GF(2^m), or a raw polynomial of degree < 512 before it is checked.
///
/// Values produced by [`Field`] operations are always reduced (degree < m).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Fe(pub [u64; LIMBS]);

impl fmt::Debug for Fe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Big-endian hex, the way the polynomial is usually written.
        f.write_str("Fe(0x")?;
        for w in self.0.iter().rev() {
            write!(f, "{w:016x}")?;
        }
        f.write_str(")")
    }
}

impl Fe {
    /// The zero element.
    pub const ZERO: Fe = Fe([0; LIMBS]);
    /// The unit element.
    pub const ONE: Fe = Fe([1, 0, 0, 0, 0, 0, 0, 0]);

    /// True when every coefficient is zero (constant time).
    pub fn is_zero(&self) -> bool {
        self.0.iter().fold(0u64, |acc, w| acc | w) == 0
    }

    /// Sum (= difference) of two elements: coefficient-wise XOR.
    #[inline]
    pub fn add(&self, other: &Fe) -> Fe {
        let mut r = [0u64; LIMBS];
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = self.0[i] ^ other.0[i];
        }
        Fe(r)
    }

    /// Coefficient of t^i.
    pub fn bit(&self, i: usize) -> bool {
        i < 64 * LIMBS && (self.0[i / 64] >> (i % 64)) & 1 == 1
    }

    /// Degree + 1 of the polynomial (0 for zero). Not constant time; for public values.
    pub fn bit_len(&self) -> usize {
        for i in (0..LIMBS).rev() {
            if self.0[i] != 0 {
                return 64 * i + 64 - self.0[i].leading_zeros() as usize;
            }
        }
        0
    }

    /// Selects `b` when `choice` is 1 and `a` when it is 0, without branching.
    #[inline]
    pub fn select(a: &Fe, b: &Fe, choice: u64) -> Fe {
        let mask = 0u64.wrapping_sub(choice & 1);
        let mut r = [0u64; LIMBS];
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = a.0[i] ^ (mask & (a.0[i] ^ b.0[i]));
        }
        Fe(r)
    }

    /// Swaps `a` and `b` when `choice` is 1, without branching.
    #[inline]
    pub fn cswap(a: &mut Fe, b: &mut Fe, choice: u64) {
        let mask = 0u64.wrapping_sub(choice & 1);
        for i in 0..LIMBS {
            let t = mask & (a.0[i] ^ b.0[i]);
            a.0[i] ^= t;
            b.0[i] ^= t;
        }
    }
}

/// Why a field could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// m is not a prime in 64 < m ≤ 509.
    #[error("unsupported field degree {0}")]
    Degree(u32),
    /// The middle exponents are not 1 or 3 ascending values in 0 < k < m − 64, or the
    /// polynomial is reducible.
    #[error("unsupported reduction polynomial")]
    Polynomial,
}

/// GF(2^m) defined by a trinomial or pentanomial.
#[derive(Clone, PartialEq, Eq)]
pub struct Field {
    m: u32,
    /// Middle exponents, ascending; only the first `nterms` are used.
    terms: [u32; 3],
    nterms: usize,
    /// Limbs that carry coefficients: ⌈m/64⌉.
    nw: usize,
    /// Bit i set iff Tr(t^i) = 1, so Tr(a) = parity(a & mask).
    trace_mask: Fe,
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GF(2^{}) mod t^{}", self.m, self.m)?;
        for k in self.poly().iter().rev() {
            write!(f, " + t^{k}")?;
        }
        f.write_str(" + 1")
    }
}

impl Field {
    /// Sets up GF(2^m) mod t^m + Σ t^k (k in `middle`, ascending) + 1.
    pub fn new(m: u32, middle: &[u32]) -> Result<Field, FieldError> {
        // DSTU 4145 uses prime degrees only; that also makes the irreducibility test below short.
        if !(65..=MAX_M).contains(&m)
            || !(2..m).take_while(|d| d * d <= m).all(|d| !m.is_multiple_of(d))
        {
            return Err(FieldError::Degree(m));
        }
        if !(middle.len() == 1 || middle.len() == 3) {
            return Err(FieldError::Polynomial);
        }
        let mut terms = [0u32; 3];
        let mut prev = 0u32;
        for (i, &k) in middle.iter().enumerate() {
            // Folding a whole limb in one step needs every term at least 64 below t^m.
            if k <= prev || k + 64 >= m {
                return Err(FieldError::Polynomial);
            }
            terms[i] = k;
            prev = k;
        }
        let mut field = Field {
            m,
            terms,
            nterms: middle.len(),
            nw: (m as usize).div_ceil(64),
            trace_mask: Fe::ZERO,
        };
        // For prime m, an odd-weight polynomial with constant term (no roots in GF(2)) is
        // irreducible exactly when t^(2^m) ≡ t (mod f) (Rabin's test).
        let mut t = Fe::ZERO;
        t.0[0] = 2;
        if field.sqr_n(&t, m as usize) != t {
            return Err(FieldError::Polynomial);
        }
        field.trace_mask = field.compute_trace_mask();
        Ok(field)
    }

    /// Extension degree m.
    pub fn m(&self) -> u32 {
        self.m
    }

    /// Middle exponents of the reduction polynomial, ascending (one or three values).
    pub fn poly(&self) -> &[u32] {
        &self.terms[..self.nterms]
    }

    /// Bytes in an encoded element: ⌈m/8⌉.
    pub fn byte_len(&self) -> usize {
        (self.m as usize).div_ceil(8)
    }

    /// Power sums of the roots of the reduction polynomial (Newton's identities) give the trace
    /// of every basis element without m² squarings.
    fn compute_trace_mask(&self) -> Fe {
        let m = self.m as usize;
        // e_j (elementary symmetric polynomial j) is the coefficient of t^(m−j); over GF(2) the
        // signs vanish: p_k = Σ_{j<k} e_j p_{k−j} + k·e_k.
        let mut e_idx: Vec<usize> = self.poly().iter().map(|&k| m - k as usize).collect();
        e_idx.push(m);
        let mut p = vec![0u8; m];
        p[0] = (m & 1) as u8; // Tr(1) = m mod 2
        for k in 1..m {
            let mut v = 0u8;
            for &j in &e_idx {
                if j < k {
                    v ^= p[k - j];
                } else if j == k {
                    v ^= (k & 1) as u8;
                }
            }
            p[k] = v;
        }
        let mut mask = Fe::ZERO;
        for (i, &bit) in p.iter().enumerate() {
            mask.0[i / 64] |= u64::from(bit) << (i % 64);
        }
        mask
    }

    /// True when `a` has degree < m (is a valid reduced element).
    pub fn is_reduced(&self, a: &Fe) -> bool {
        a.bit_len() <= self.m as usize
    }

    /// Decodes ⌈m/8⌉ little-endian bytes; `None` on a wrong length or a value ≥ 2^m.
    pub fn from_le_bytes(&self, bytes: &[u8]) -> Option<Fe> {
        if bytes.len() != self.byte_len() {
            return None;
        }
        let mut r = Fe::ZERO;
        for (i, &b) in bytes.iter().enumerate() {
            r.0[i / 8] |= u64::from(b) << (8 * (i % 8));
        }
        self.is_reduced(&r).then_some(r)
    }

    /// Decodes ⌈m/8⌉ big-endian bytes; `None` on a wrong length or a value ≥ 2^m.
    pub fn from_be_bytes(&self, bytes: &[u8]) -> Option<Fe> {
        let mut le = bytes.to_vec();
        le.reverse();
        self.from_le_bytes(&le)
    }

    /// Reduces an arbitrary little-endian byte string of any length modulo t^m by truncation
    /// (keeps the low m bits), as DSTU 4145 does with a hash value.
    pub fn truncate_le_bytes(&self, bytes: &[u8]) -> Fe {
        let mut r = Fe::ZERO;
        for (i, &b) in bytes.iter().take(8 * LIMBS).enumerate() {
            r.0[i / 8] |= u64::from(b) << (8 * (i % 8));
        }
        self.truncate(&r)
    }

    /// Keeps the low m coefficients.
    pub fn truncate(&self, a: &Fe) -> Fe {
        let mut r = *a;
        let m = self.m as usize;
        for i in 0..LIMBS {
            if 64 * i >= m {
                r.0[i] = 0;
            } else if 64 * i + 64 > m {
                r.0[i] &= (1u64 << (m - 64 * i)) - 1;
            }
        }
        r
    }

    /// Encodes as ⌈m/8⌉ little-endian bytes.
    pub fn to_le_bytes(&self, a: &Fe) -> Vec<u8> {
        (0..self.byte_len()).map(|i| (a.0[i / 8] >> (8 * (i % 8))) as u8).collect()
    }

    /// Encodes as ⌈m/8⌉ big-endian bytes (leading zero bytes kept).
    pub fn to_be_bytes(&self, a: &Fe) -> Vec<u8> {
        let mut v = self.to_le_bytes(a);
        v.reverse();
        v
    }

    /// Product a·b mod f, in constant time (no operand-dependent branch or memory access): the
    /// one to use whenever an operand derives from a private key or a nonce.
    #[inline]
    pub fn mul(&self, a: &Fe, b: &Fe) -> Fe {
        self.reduce(by_limbs!(self.nw, ct_mul, a, b))
    }

    /// Product a·b mod f through a table built from `a` and indexed by the bits of `b`: faster
    /// than [`Field::mul`]. Its memory accesses depend on `b` only (the table is built the same
    /// way for every `a`), so `b` must be public; `a` may be secret. Used for signature
    /// verification and public-key checks, and in the ladder for products with the input
    /// point's x and the curve's b.
    #[inline]
    pub fn mul_vartime(&self, a: &Fe, b: &Fe) -> Fe {
        self.reduce(by_limbs!(self.nw, comb_mul, a, b))
    }

    /// Square a² mod f (bit interleaving, constant time).
    #[inline]
    pub fn sqr(&self, a: &Fe) -> Fe {
        let mut c = [0u64; 2 * LIMBS];
        for i in 0..self.nw {
            c[2 * i] = spread(a.0[i] as u32);
            c[2 * i + 1] = spread((a.0[i] >> 32) as u32);
        }
        self.reduce(c)
    }

    /// a^(2^n).
    pub fn sqr_n(&self, a: &Fe, n: usize) -> Fe {
        let mut r = *a;
        for _ in 0..n {
            r = self.sqr(&r);
        }
        r
    }

    /// Folds a product of two reduced elements (degree < 2m − 1) back below t^m.
    fn reduce(&self, mut c: [u64; 2 * LIMBS]) -> Fe {
        let m = self.m as usize;
        let wm = m / 64;
        let bm = m % 64;
        let top = 2 * self.nw; // limbs that may be non-zero
        // Whole limbs entirely at or above t^m: t^(64i) = t^(64i−m)·(1 + Σ t^k).
        let first_full = if bm == 0 { wm } else { wm + 1 };
        for i in (first_full..top).rev() {
            let w = c[i];
            c[i] = 0;
            let base = 64 * i - m;
            xor_at(&mut c, base, w);
            for &k in &self.terms[..self.nterms] {
                xor_at(&mut c, base + k as usize, w);
            }
        }
        if bm != 0 {
            let w = c[wm] >> bm;
            c[wm] &= (1u64 << bm) - 1;
            xor_at(&mut c, 0, w);
            for &k in &self.terms[..self.nterms] {
                xor_at(&mut c, k as usize, w);
            }
        }
        let mut r = [0u64; LIMBS];
        r.copy_from_slice(&c[..LIMBS]);
        Fe(r)
    }

    /// Absolute trace Tr(a) = a + a² + … + a^(2^(m−1)) ∈ {0, 1} (constant time).
    pub fn trace(&self, a: &Fe) -> u8 {
        let mut acc = 0u64;
        for i in 0..LIMBS {
            acc ^= a.0[i] & self.trace_mask.0[i];
        }
        (acc.count_ones() & 1) as u8
    }

    /// Half-trace H(a) = Σ_{i=0}^{(m−1)/2} a^(4^i), for odd m; when Tr(a) = 0 it solves
    /// z² + z = a. For even m the result is meaningless (DSTU fields all have odd m).
    pub fn half_trace(&self, a: &Fe) -> Fe {
        let mut h = *a;
        for _ in 0..(self.m - 1) / 2 {
            h = self.sqr(&self.sqr(&h)).add(a);
        }
        h
    }

    /// A root z of z² + z = c, if one exists (m odd); the other root is z + 1.
    pub fn solve_quadratic(&self, c: &Fe) -> Option<Fe> {
        let z = self.half_trace(c);
        (self.sqr(&z).add(&z) == *c).then_some(z)
    }

    /// Multiplicative inverse by Itoh–Tsujii (a^(2^m − 2)); the same sequence of operations for
    /// every input. The inverse of zero is returned as zero.
    pub fn inv(&self, a: &Fe) -> Fe {
        self.inv_with(a, Field::mul)
    }

    /// [`Field::inv`] through [`Field::mul_vartime`]: for public values only.
    pub fn inv_vartime(&self, a: &Fe) -> Fe {
        self.inv_with(a, Field::mul_vartime)
    }

    fn inv_with(&self, a: &Fe, mul: fn(&Field, &Fe, &Fe) -> Fe) -> Fe {
        // beta = a^(2^k − 1), built along the binary expansion of m − 1.
        let e = self.m - 1;
        let nbits = 32 - e.leading_zeros();
        let mut beta = *a;
        let mut k: usize = 1;
        for i in (0..nbits - 1).rev() {
            beta = mul(self, &self.sqr_n(&beta, k), &beta);
            k *= 2;
            if (e >> i) & 1 == 1 {
                beta = mul(self, &self.sqr(&beta), a);
                k += 1;
            }
        }
        self.sqr(&beta)
    }
}

/// XORs `w` into `c` starting at bit position `pos`.
#[inline(always)]
fn xor_at(c: &mut [u64; 2 * LIMBS], pos: usize, w: u64) {
    let (q, r) = (pos / 64, pos % 64);
    c[q] ^= w << r;
    if r != 0 {
        c[q + 1] ^= w >> (64 - r);
    }
}

/// Spreads the 32 bits of `x` to the even bit positions of a u64 (the square of a polynomial).
#[inline(always)]
fn spread(x: u32) -> u64 {
    let mut x = u64::from(x);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    x = (x | (x << 1)) & 0x5555_5555_5555_5555;
    x
}

/// Every fifth bit of a limb, from bit 0: a limb splits into five such sparse words.
const SPARSE: u64 = 0x1084_2108_4210_8421;
/// Every fifth bit of a 128-bit product, from bit 0.
const KEEP: u128 = 0x2108_4210_8421_0842_1084_2108_4210_8421;

/// The five sparse words of a limb (bits at positions ≡ 0, 1, 2, 3, 4 mod 5).
#[inline(always)]
fn sparse(w: u64) -> [u64; 5] {
    [w & SPARSE, w & (SPARSE << 1), w & (SPARSE << 2), w & (SPARSE << 3), w & (SPARSE << 4)]
}

/// Adds the integer products of two limbs' sparse words into the five residue classes of the
/// product (word i times word j lands in class (i + j) mod 5), written out so that the 25
/// multiplications are independent instructions.
#[inline(always)]
fn accumulate(by_class: &mut [u128; 5], x: &[u64; 5], y: &[u64; 5]) {
    let m = |i: usize, j: usize| u128::from(x[i]) * u128::from(y[j]);
    by_class[0] ^= m(0, 0) ^ m(1, 4) ^ m(2, 3) ^ m(3, 2) ^ m(4, 1);
    by_class[1] ^= m(0, 1) ^ m(1, 0) ^ m(2, 4) ^ m(3, 3) ^ m(4, 2);
    by_class[2] ^= m(0, 2) ^ m(1, 1) ^ m(2, 0) ^ m(3, 4) ^ m(4, 3);
    by_class[3] ^= m(0, 3) ^ m(1, 2) ^ m(2, 1) ^ m(3, 0) ^ m(4, 4);
    by_class[4] ^= m(0, 4) ^ m(1, 3) ^ m(2, 2) ^ m(3, 1) ^ m(4, 0);
}

/// Carry-less product of two N-limb polynomials in constant time: no table, no branch, no
/// operand-dependent memory access. Integer products of sparse words stand in for carry-less
/// ones: a sparse word has at most 13 bits, so a coefficient of their integer product sums at
/// most 13 terms and its carries stay within the four bits below the next coefficient of the
/// same residue class mod 5; keeping only that class's positions leaves exactly the carry-less
/// coefficients.
#[inline(always)]
fn ct_mul<const N: usize>(a: &Fe, b: &Fe) -> [u64; 2 * LIMBS] {
    let mut xa = [[0u64; 5]; N];
    let mut xb = [[0u64; 5]; N];
    for i in 0..N {
        xa[i] = sparse(a.0[i]);
        xb[i] = sparse(b.0[i]);
    }
    let mut c = [0u64; 2 * LIMBS];
    for (i, x) in xa.iter().enumerate() {
        for (j, y) in xb.iter().enumerate() {
            let mut by_class = [0u128; 5];
            accumulate(&mut by_class, x, y);
            let mut product = 0u128;
            for (class, z) in by_class.iter().enumerate() {
                product |= z & (KEEP << class);
            }
            c[i + j] ^= product as u64;
            c[i + j + 1] ^= (product >> 64) as u64;
        }
    }
    c
}

/// Carry-less product of two N-limb polynomials: López–Dahab comb, window 4. The table index
/// is a nibble of `b`, so cache timing could reveal `b`: public operands only (see
/// [`Field::mul_vartime`]).
#[inline(always)]
fn comb_mul<const N: usize>(a: &Fe, b: &Fe) -> [u64; 2 * LIMBS] {
    // table[u] = u(t)·a(t) for every 4-bit u; N + 1 limbs each.
    let mut table = [[0u64; LIMBS + 1]; 16];
    table[1][..N].copy_from_slice(&a.0[..N]);
    for u in 1..8 {
        let src = table[u];
        let mut dbl = [0u64; LIMBS + 1];
        let mut carry = 0u64;
        for i in 0..=N {
            dbl[i] = (src[i] << 1) | carry;
            carry = src[i] >> 63;
        }
        let mut inc = dbl;
        for (w, aw) in inc.iter_mut().zip(&a.0[..N]) {
            *w ^= aw;
        }
        table[2 * u] = dbl;
        table[2 * u + 1] = inc;
    }
    let mut c = [0u64; 2 * LIMBS];
    for k in (0..16).rev() {
        for j in 0..N {
            let u = ((b.0[j] >> (4 * k)) & 0xF) as usize;
            let row = &table[u];
            for i in 0..=N {
                c[i + j] ^= row[i];
            }
        }
        if k != 0 {
            let mut carry = 0u64;
            for w in c.iter_mut().take(2 * N) {
                let next = *w >> 60;
                *w = (*w << 4) | carry;
                carry = next;
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The DSTU polynomial-basis fields plus a trinomial at the top of the supported range.
    fn fields() -> Vec<Field> {
        [
            (163, vec![3, 6, 7]),
            (167, vec![6]),
            (173, vec![1, 2, 10]),
            (179, vec![1, 2, 4]),
            (191, vec![9]),
            (233, vec![1, 4, 9]),
            (257, vec![12]),
            (307, vec![2, 4, 8]),
            (367, vec![21]),
            (431, vec![1, 3, 5]),
            (509, vec![1, 13, 26]),
        ]
        .into_iter()
        .map(|(m, p)| Field::new(m, &p).expect("valid test field"))
        .collect()
    }

    /// Bit-serial shift-and-add reference multiplication.
    fn slow_mul(f: &Field, a: &Fe, b: &Fe) -> Fe {
        let mut r = Fe::ZERO;
        let mut x = *a;
        let mut fpoly = Fe::ZERO;
        fpoly.0[0] = 1;
        for &k in f.poly() {
            fpoly.0[k as usize / 64] |= 1 << (k % 64);
        }
        let m = f.m() as usize;
        for i in 0..m {
            if b.bit(i) {
                r = r.add(&x);
            }
            // x ← x·t mod f
            let top = x.bit(m - 1);
            let mut carry = 0u64;
            for w in x.0.iter_mut() {
                let next = *w >> 63;
                *w = (*w << 1) | carry;
                carry = next;
            }
            x.0[m / 64] &= !(1u64 << (m % 64));
            if top {
                x = x.add(&fpoly);
            }
        }
        r
    }

    fn elem(f: &Field, seed: [u64; 8]) -> Fe {
        f.truncate(&Fe(seed))
    }

    fn arb_pair() -> impl Strategy<Value = (usize, [u64; 8], [u64; 8], [u64; 8])> {
        (0usize..11, any::<[u64; 8]>(), any::<[u64; 8]>(), any::<[u64; 8]>())
    }

    #[test]
    fn dense_operands_match_reference() {
        // All-ones operands put the most terms on every coefficient of the sparse integer
        // products: the worst case for carries in the constant-time multiplication.
        for f in &fields() {
            let ones = elem(f, [u64::MAX; 8]);
            let alternating = elem(f, [0xAAAA_AAAA_AAAA_AAAA; 8]);
            for (a, b) in [(ones, ones), (ones, alternating), (alternating, alternating)] {
                assert_eq!(f.mul(&a, &b), slow_mul(f, &a, &b));
                assert_eq!(f.mul_vartime(&a, &b), slow_mul(f, &a, &b));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn mul_matches_reference((fi, a, b, _c) in arb_pair()) {
            let f = &fields()[fi];
            let (a, b) = (elem(f, a), elem(f, b));
            prop_assert_eq!(f.mul(&a, &b), slow_mul(f, &a, &b));
            prop_assert_eq!(f.mul_vartime(&a, &b), slow_mul(f, &a, &b));
        }

        #[test]
        fn ring_laws((fi, a, b, c) in arb_pair()) {
            let f = &fields()[fi];
            let (a, b, c) = (elem(f, a), elem(f, b), elem(f, c));
            prop_assert_eq!(f.mul(&a, &b), f.mul(&b, &a));
            prop_assert_eq!(f.mul(&f.mul(&a, &b), &c), f.mul(&a, &f.mul(&b, &c)));
            prop_assert_eq!(f.mul(&a, &b.add(&c)), f.mul(&a, &b).add(&f.mul(&a, &c)));
            prop_assert_eq!(f.sqr(&a), f.mul(&a, &a));
            prop_assert!(f.is_reduced(&f.mul(&a, &b)));
        }

        #[test]
        fn inverse((fi, a, _b, _c) in arb_pair()) {
            let f = &fields()[fi];
            let a = elem(f, a);
            prop_assume!(!a.is_zero());
            prop_assert_eq!(f.mul(&a, &f.inv(&a)), Fe::ONE);
            prop_assert_eq!(f.inv_vartime(&a), f.inv(&a));
        }

        #[test]
        fn trace_and_half_trace((fi, a, b, _c) in arb_pair()) {
            let f = &fields()[fi];
            let (a, b) = (elem(f, a), elem(f, b));
            // Definition: Tr(a) = Σ a^(2^i); linearity.
            let mut t = a;
            let mut acc = a;
            for _ in 1..f.m() {
                t = f.sqr(&t);
                acc = acc.add(&t);
            }
            prop_assert!(acc == Fe::ZERO || acc == Fe::ONE);
            prop_assert_eq!(f.trace(&a), acc.0[0] as u8);
            prop_assert_eq!(f.trace(&a.add(&b)), f.trace(&a) ^ f.trace(&b));
            // z² + z = c is solvable exactly when Tr(c) = 0, and the half-trace solves it.
            let c = f.sqr(&a).add(&a);
            prop_assert_eq!(f.trace(&c), 0);
            let z = f.solve_quadratic(&c).expect("Tr(c) = 0 has a root");
            prop_assert!(z == a || z == a.add(&Fe::ONE));
            if f.trace(&b) == 1 {
                prop_assert!(f.solve_quadratic(&b).is_none());
            }
        }

        #[test]
        fn byte_round_trips((fi, a, _b, _c) in arb_pair()) {
            let f = &fields()[fi];
            let a = elem(f, a);
            let le = f.to_le_bytes(&a);
            let be = f.to_be_bytes(&a);
            prop_assert_eq!(le.len(), f.byte_len());
            prop_assert_eq!(f.from_le_bytes(&le), Some(a));
            prop_assert_eq!(f.from_be_bytes(&be), Some(a));
            prop_assert_eq!(be.iter().rev().copied().collect::<Vec<_>>(), le);
        }
    }

    #[test]
    fn rejects_bad_fields_and_encodings() {
        assert_eq!(Field::new(64, &[1]), Err(FieldError::Degree(64)));
        assert_eq!(Field::new(510, &[1]), Err(FieldError::Degree(510)));
        assert_eq!(Field::new(255, &[1]), Err(FieldError::Degree(255)));
        assert_eq!(Field::new(509, &[2, 5, 7]), Err(FieldError::Polynomial));
        assert_eq!(Field::new(257, &[1, 2]), Err(FieldError::Polynomial));
        assert_eq!(Field::new(257, &[5, 3, 1]), Err(FieldError::Polynomial));
        assert_eq!(Field::new(257, &[200]), Err(FieldError::Polynomial));
        let f = Field::new(257, &[12]).expect("M257 field");
        assert!(f.from_le_bytes(&[0u8; 32]).is_none());
        let mut over = vec![0u8; 33];
        over[32] = 2; // t^257 is not reduced
        assert!(f.from_le_bytes(&over).is_none());
        over[32] = 1;
        assert!(f.from_le_bytes(&over).is_some());
        assert_eq!(f.inv(&Fe::ZERO), Fe::ZERO);
        assert_eq!(format!("{f:?}"), "GF(2^257) mod t^257 + t^12 + 1");
    }

    #[test]
    fn cswap_and_select() {
        let (mut a, mut b) = (Fe([1; 8]), Fe([2; 8]));
        Fe::cswap(&mut a, &mut b, 0);
        assert_eq!((a, b), (Fe([1; 8]), Fe([2; 8])));
        Fe::cswap(&mut a, &mut b, 1);
        assert_eq!((a, b), (Fe([2; 8]), Fe([1; 8])));
        assert_eq!(Fe::select(&a, &b, 1), b);
        assert_eq!(Fe::select(&a, &b, 0), a);
    }
}
