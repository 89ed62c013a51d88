//! DSTU 4145-2002 elliptic curves over GF(2^m): curve table, points, keys, signatures and ECDH.
//!
//! Conventions (pinned by real data, see `shared/docs/ua-crypto.md` §1.4–§1.5 and
//! `key-containers.md` §3.4, §5–§6): curve y² + xy = x³ + A·x² + B with A ∈ {0, 1}; field
//! elements and scalars travel little-endian; public keys are compressed points (x with bit 0
//! replaced by Tr(y/x)); the public key is Q = −d·G; signatures are r ‖ s, each little-endian in
//! ⌈bitlen(n)/8⌉ bytes; the ECDH secret is x(h·d·Q) big-endian in ⌈m/8⌉ bytes.
//!
//! Private scalars go through a constant-time Montgomery ladder in López–Dahab x-only
//! coordinates; verification uses a faster variable-time double-scalar multiplication.
//!
//! FIXME(perf): signing and −d·G run the generic ladder (6M + 5S per bit); a constant-time
//! fixed-base comb over a cached table of multiples of G would make them several times faster.
//! FIXME(validation): `from_explicit` does not test n for primality, and peer keys are not
//! checked for membership in the order-n subgroup (cofactor ECDH and the verify equation make
//! small-subgroup components harmless, but a stricter policy could reject them).

mod params;
mod scalar;
mod vartime;

use std::fmt;
use std::sync::{Mutex, OnceLock};

use rand::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::gf2m::{Fe, Field};
use scalar::Uint;

/// Errors of the elliptic-curve layer. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EcError {
    /// The bytes do not decode to a point of the curve (or decode to the point at infinity).
    #[error("invalid curve point")]
    InvalidPoint,
    /// A private scalar is zero or not below the group order.
    #[error("invalid private scalar")]
    InvalidScalar,
    /// The explicit curve parameters are unusable; the text says which check failed.
    #[error("invalid curve parameters: {0}")]
    InvalidParameters(String),
    /// The two keys are on different curves.
    #[error("keys are on different curves")]
    CurveMismatch,
    /// The signature does not verify, or its r or s is out of range.
    #[error("invalid signature")]
    InvalidSignature,
    /// An input has the wrong length.
    #[error("wrong input length")]
    BadLength,
}

/// An affine point (never the point at infinity; that is `None` where it can occur).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Affine {
    x: Fe,
    y: Fe,
}

/// A DSTU 4145 curve in polynomial basis with its base point.
#[derive(Clone)]
pub struct Curve {
    field: Field,
    a: u8,
    b: Fe,
    n: Uint,
    n_bits: usize,
    g: Affine,
    cofactor: u32,
    oid: Option<&'static str>,
}

impl PartialEq for Curve {
    /// Curves are equal when their parameters are, whether named or explicit.
    fn eq(&self, other: &Curve) -> bool {
        self.field == other.field
            && self.a == other.a
            && self.b == other.b
            && self.n == other.n
            && self.g == other.g
    }
}

impl fmt::Debug for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Curve")
            .field("field", &self.field)
            .field("a", &self.a)
            .field("order_bits", &self.n_bits)
            .field("cofactor", &self.cofactor)
            .field("oid", &self.oid)
            .finish()
    }
}

/// Decodes a hex constant of the built-in table.
fn table_hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("curve table hex is valid"))
        .collect()
}

/// Little-endian bytes of any length with zero high bytes beyond the field: lenient decoding of
/// curve parameters whose encoders may pad or trim.
fn fe_from_le_lenient(field: &Field, bytes: &[u8]) -> Option<Fe> {
    let significant = bytes.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
    if significant > field.byte_len() {
        return None;
    }
    let mut padded = bytes[..significant].to_vec();
    padded.resize(field.byte_len(), 0);
    field.from_le_bytes(&padded)
}

impl Curve {
    /// The named curve with this dotted OID (`1.2.804.2.1.1.1.1.3.1.1.2.0` … `.2.9`).
    pub fn named(oid: &str) -> Option<Curve> {
        let idx = params::NAMED.iter().position(|c| c.oid == oid)?;
        Some(Curve::named_cached(idx).clone())
    }

    /// The named curve at `idx` in the table, built once: every certificate names or spells
    /// out its curve, and building one runs the field's irreducibility test.
    fn named_cached(idx: usize) -> &'static Curve {
        static BUILT: [OnceLock<Curve>; 10] = [const { OnceLock::new() }; 10];
        BUILT[idx].get_or_init(|| Curve::from_table(&params::NAMED[idx]))
    }

    /// The named curve whose parameters these explicit ones spell out, if any. Certificates
    /// usually carry the full parameters of a named curve; recognising them spares the n·G
    /// ladder that validating unknown parameters needs (the table is trusted).
    fn named_match(
        m: u32,
        poly: &[u32],
        a: u8,
        b_le: &[u8],
        n_be: &[u8],
        g_compressed_le: &[u8],
    ) -> Option<Curve> {
        let n = scalar::from_be_bytes(n_be)?;
        let idx = params::NAMED.iter().position(|nc| nc.m == m && nc.poly == poly && nc.a == a)?;
        let named = Curve::named_cached(idx);
        let same_b = fe_from_le_lenient(&named.field, b_le) == Some(named.b);
        // Compression is injective on curve points, so equal encodings mean the same G.
        let same_g = fe_from_le_lenient(&named.field, g_compressed_le)
            .is_some_and(|g| named.field.to_le_bytes(&g) == named.compress(&named.g));
        (same_b && n == named.n && same_g).then(|| named.clone())
    }

    /// Builds a curve from a built-in table entry (trusted: no base-point order check).
    fn from_table(nc: &params::NamedCurve) -> Curve {
        let field = Field::new(nc.m, nc.poly).expect("built-in curve field is valid");
        let fe = |s: &str| field.from_le_bytes(&table_hex(s)).expect("built-in element fits");
        let n = scalar::from_le_bytes(&table_hex(nc.n)).expect("built-in order fits");
        let g = Affine { x: fe(nc.gx), y: fe(nc.gy) };
        Curve {
            a: nc.a,
            b: fe(nc.b),
            n_bits: scalar::bit_len(&n),
            n,
            g,
            cofactor: if nc.a == 1 { 2 } else { 4 },
            oid: (!nc.oid.is_empty()).then_some(nc.oid),
            field,
        }
    }

    /// The OID of the named curve with exactly these parameters, if there is one (also for
    /// curves built from explicit parameters).
    pub fn named_oid(&self) -> Option<&'static str> {
        self.oid
    }

    /// A curve from explicit DSTU 4145 parameters as certificates carry them: degree `m`, the
    /// reduction polynomial's middle exponents ascending (`[k]` or `[k1, k2, k3]`), A, B as
    /// little-endian bytes, the order n as big-endian bytes (an INTEGER's content), and the
    /// compressed base point as little-endian bytes.
    ///
    /// Checks: prime m ≤ 509 with an irreducible trinomial/pentanomial, A ∈ {0, 1}, B ≠ 0, G
    /// decodes to a curve point, n·G = O, and h·n within the Hasse bound for the DSTU cofactor
    /// h (2 for A = 1, 4 for A = 0). The primality of n is not tested.
    pub fn from_explicit(
        m: u32,
        poly: &[u32],
        a: u8,
        b_le: &[u8],
        n_be: &[u8],
        g_compressed_le: &[u8],
    ) -> Result<Curve, EcError> {
        if let Some(named) = Curve::named_match(m, poly, a, b_le, n_be, g_compressed_le) {
            return Ok(named);
        }
        let bad = |what: &str| EcError::InvalidParameters(what.to_string());
        let field = Field::new(m, poly).map_err(|e| bad(&e.to_string()))?;
        if a > 1 {
            return Err(bad("coefficient a must be 0 or 1"));
        }
        let b = fe_from_le_lenient(&field, b_le).ok_or_else(|| bad("b does not fit the field"))?;
        if b.is_zero() {
            return Err(bad("b is zero"));
        }
        let n = scalar::from_be_bytes(n_be).ok_or_else(|| bad("order too large"))?;
        let n_bits = scalar::bit_len(&n);
        let cofactor: u32 = if a == 1 { 2 } else { 4 };
        // #E = h·n must lie in the Hasse interval 2^m + 1 ± 2^(m/2 + 1).
        if n_bits > m as usize || n[0] & 1 == 0 || n_bits < 2 {
            return Err(bad("order does not match the field size"));
        }
        let hn = scalar::mul_small(&n, cofactor);
        let mut q_plus_1 = scalar::pow2(m as usize);
        q_plus_1[0] |= 1;
        let bound = scalar::pow2((m as usize + 3) / 2);
        if scalar::cmp(&scalar::abs_diff(&hn, &q_plus_1), &bound) == std::cmp::Ordering::Greater {
            return Err(bad("order and cofactor do not match the field size"));
        }
        let mut curve = Curve {
            field,
            a,
            b,
            n,
            n_bits,
            g: Affine { x: Fe::ZERO, y: Fe::ZERO },
            cofactor,
            oid: None,
        };
        let g_bytes = fe_from_le_lenient(&curve.field, g_compressed_le)
            .map(|x| curve.field.to_le_bytes(&x))
            .ok_or_else(|| bad("base point does not fit the field"))?;
        curve.g = curve.decompress(&g_bytes).map_err(|_| bad("base point is not on the curve"))?;
        let (_, z1, _, _) = curve.ladder(&curve.n, curve.n_bits, &curve.g);
        if !z1.is_zero() {
            return Err(bad("base point order is not n"));
        }
        // Parameters equal to a named curve's were returned above, so this curve has no OID.
        Ok(curve)
    }

    /// Extension degree m.
    pub fn m(&self) -> u32 {
        self.field.m()
    }

    /// Middle exponents of the reduction polynomial, ascending.
    pub fn poly(&self) -> &[u32] {
        self.field.poly()
    }

    /// Coefficient A (0 or 1).
    pub fn a(&self) -> u8 {
        self.a
    }

    /// Coefficient B, little-endian, ⌈m/8⌉ bytes.
    pub fn b_le(&self) -> Vec<u8> {
        self.field.to_le_bytes(&self.b)
    }

    /// The base point order n, big-endian without leading zero bytes (INTEGER content minus a
    /// sign byte).
    pub fn n_be(&self) -> Vec<u8> {
        scalar::to_be_bytes_min(&self.n)
    }

    /// The compressed base point, little-endian, ⌈m/8⌉ bytes.
    pub fn g_compressed_le(&self) -> Vec<u8> {
        self.compress(&self.g)
    }

    /// Bytes in a field element: ⌈m/8⌉.
    pub fn field_len(&self) -> usize {
        self.field.byte_len()
    }

    /// Bit length of n.
    pub fn order_bits(&self) -> usize {
        self.n_bits
    }

    /// The cofactor h (#E = h·n): 2 when A = 1, 4 when A = 0.
    pub fn cofactor(&self) -> u32 {
        self.cofactor
    }

    /// Bytes in each signature half and in a private scalar: ⌈bitlen(n)/8⌉.
    fn scalar_len(&self) -> usize {
        self.n_bits.div_ceil(8)
    }

    fn is_on_curve(&self, p: &Affine) -> bool {
        let f = &self.field;
        let x2 = f.sqr(&p.x);
        let lhs = f.sqr(&p.y).add(&f.mul_vartime(&p.x, &p.y));
        let mut rhs = f.mul_vartime(&x2, &p.x).add(&self.b);
        if self.a == 1 {
            rhs = rhs.add(&x2);
        }
        lhs == rhs
    }

    /// DSTU 4145 point compression: x with bit 0 replaced by Tr(y/x).
    fn compress(&self, p: &Affine) -> Vec<u8> {
        let f = &self.field;
        if p.x.is_zero() {
            return vec![0; f.byte_len()];
        }
        let k = f.trace(&f.mul_vartime(&p.y, &f.inv_vartime(&p.x)));
        let mut x = p.x;
        x.0[0] = (x.0[0] & !1) | u64::from(k);
        f.to_le_bytes(&x)
    }

    /// DSTU 4145 point decompression. Points of odd order satisfy Tr(x) = A, which restores the
    /// overwritten bit 0; then y = x·z with z² + z = x + A + B/x² and Tr(z) = the stored bit.
    fn decompress(&self, bytes: &[u8]) -> Result<Affine, EcError> {
        let f = &self.field;
        if bytes.len() != f.byte_len() {
            return Err(EcError::BadLength);
        }
        let mut x = f.from_le_bytes(bytes).ok_or(EcError::InvalidPoint)?;
        let k = (x.0[0] & 1) as u8;
        x.0[0] &= !1;
        if f.trace(&x) != self.a {
            x.0[0] |= 1;
        }
        if x.is_zero() {
            return Err(EcError::InvalidPoint);
        }
        let mut w = f.mul_vartime(&self.b, &f.inv_vartime(&f.sqr(&x))).add(&x);
        if self.a == 1 {
            w = w.add(&Fe::ONE);
        }
        let mut z = f.solve_quadratic(&w).ok_or(EcError::InvalidPoint)?;
        if f.trace(&z) != k {
            z = z.add(&Fe::ONE);
        }
        let p = Affine { x, y: f.mul_vartime(&x, &z) };
        debug_assert!(self.is_on_curve(&p));
        Ok(p)
    }

    /// −P = (x, x + y).
    fn neg(p: &Affine) -> Affine {
        Affine { x: p.x, y: p.x.add(&p.y) }
    }

    /// Affine addition (variable time; public points only).
    fn add_affine(&self, p: Option<Affine>, q: Option<Affine>) -> Option<Affine> {
        let f = &self.field;
        let (p, q) = match (p, q) {
            (None, q) => return q,
            (p, None) => return p,
            (Some(p), Some(q)) => (p, q),
        };
        let lambda = if p.x == q.x {
            if p.y != q.y || p.x.is_zero() {
                return None; // q = −p (or p of order two doubled)
            }
            p.x.add(&f.mul_vartime(&p.y, &f.inv_vartime(&p.x)))
        } else {
            f.mul_vartime(&p.y.add(&q.y), &f.inv_vartime(&p.x.add(&q.x)))
        };
        let mut x3 = f.sqr(&lambda).add(&lambda).add(&p.x).add(&q.x);
        if self.a == 1 {
            x3 = x3.add(&Fe::ONE);
        }
        let y3 = f.mul_vartime(&lambda, &p.x.add(&x3)).add(&x3).add(&p.y);
        Some(Affine { x: x3, y: y3 })
    }

    /// Montgomery ladder over the low `bits` bits of k in López–Dahab x-only coordinates.
    /// Returns (X1, Z1, X2, Z2) with X1/Z1 = x(k·P) and X2/Z2 = x((k+1)·P); Z = 0 means the
    /// point at infinity. The operation sequence depends only on `bits`.
    fn ladder(&self, k: &Uint, bits: usize, p: &Affine) -> (Fe, Fe, Fe, Fe) {
        let f = &self.field;
        let (mut x1, mut z1) = (Fe::ONE, Fe::ZERO);
        let (mut x2, mut z2) = (p.x, Fe::ONE);
        let mut prev = 0u64;
        for i in (0..bits).rev() {
            let bit = scalar::bit(k, i);
            Fe::cswap(&mut x1, &mut x2, bit ^ prev);
            Fe::cswap(&mut z1, &mut z2, bit ^ prev);
            prev = bit;
            // (R0, R1) ← (2·R0, R0 + R1); the difference R1 − R0 stays ±P.
            let t1 = f.mul(&x1, &z2);
            let t2 = f.mul(&x2, &z1);
            z2 = f.sqr(&t1.add(&t2));
            // p.x and b are public: the table-driven product is safe with them as the indexing
            // operand, and cheaper than the constant-time one.
            x2 = f.mul_vartime(&z2, &p.x).add(&f.mul(&t1, &t2));
            let xx = f.sqr(&x1);
            let zz = f.sqr(&z1);
            z1 = f.mul(&xx, &zz);
            x1 = f.sqr(&xx).add(&f.mul_vartime(&f.sqr(&zz), &self.b));
        }
        Fe::cswap(&mut x1, &mut x2, prev);
        Fe::cswap(&mut z1, &mut z2, prev);
        (x1, z1, x2, z2)
    }

    /// k·P with the y-coordinate recovered (López–Dahab), `None` for the point at infinity.
    /// Constant time in k for a fixed `bits`, except for the k·P = O outcome.
    fn mul(&self, k: &Uint, bits: usize, p: &Affine) -> Option<Affine> {
        let f = &self.field;
        let (x1, z1, x2, z2) = self.ladder(k, bits, p);
        if z1.is_zero() {
            return None;
        }
        // (k+1)·P = O means k·P = −P; computed for every k and selected without branching.
        let z2_zero = u64::from(z2.is_zero());
        let xz1 = f.mul(&p.x, &z1);
        let xz2 = f.mul(&p.x, &z2);
        let z1z2 = f.mul(&z1, &z2);
        let inv = f.inv(&f.mul(&p.x, &z1z2));
        let x3 = f.mul(&f.mul(&x1, &xz2), &inv);
        let num = f.mul(&x1.add(&xz1), &x2.add(&xz2)).add(&f.mul(&f.sqr(&p.x).add(&p.y), &z1z2));
        let y3 = f.mul(&f.mul(&p.x.add(&x3), &num), &inv).add(&p.y);
        let minus_p = Curve::neg(p);
        Some(Affine {
            x: Fe::select(&x3, &minus_p.x, z2_zero),
            y: Fe::select(&y3, &minus_p.y, z2_zero),
        })
    }

    /// x(k·P) only, `None` for infinity (one inversion, no y recovery).
    fn mul_x(&self, k: &Uint, bits: usize, p: &Affine) -> Option<Fe> {
        let (x1, z1, _, _) = self.ladder(k, bits, p);
        if z1.is_zero() {
            return None;
        }
        Some(self.field.mul(&x1, &self.field.inv(&z1)))
    }

    /// The hash as a field element: little-endian, low m bits, zero replaced by one.
    fn hash_to_field(&self, hash: &[u8]) -> Fe {
        let h = self.field.truncate_le_bytes(hash);
        if h.is_zero() { Fe::ONE } else { h }
    }

    /// The field element as an integer, keeping its low bitlen(n) − 1 bits.
    fn fe_to_r(&self, y: &Fe) -> Uint {
        scalar::truncate(&y.0, self.n_bits - 1)
    }

    /// Uniform scalar in [1, n − 1] by rejection sampling.
    fn random_scalar(&self, rng: &mut impl CryptoRng) -> Zeroizing<Uint> {
        let mut buf = Zeroizing::new(vec![0u8; self.scalar_len()]);
        loop {
            rng.fill_bytes(&mut buf);
            let k = Zeroizing::new(scalar::truncate(
                &scalar::from_le_bytes(&buf).expect("scalar_len ≤ 64 bytes"),
                self.n_bits,
            ));
            if !scalar::is_zero(&k) && scalar::cmp(&k, &self.n) == std::cmp::Ordering::Less {
                return k;
            }
        }
    }
}

/// A DSTU 4145 public key (a point of the curve, not the point at infinity).
#[derive(Clone, Debug, PartialEq)]
pub struct PublicKey {
    curve: Curve,
    q: Affine,
}

impl PublicKey {
    /// Decodes a compressed little-endian point of ⌈m/8⌉ bytes (the OCTET STRING inside a
    /// certificate's subjectPublicKey).
    pub fn from_compressed_le(curve: &Curve, bytes: &[u8]) -> Result<PublicKey, EcError> {
        let q = curve.decompress(bytes)?;
        Ok(PublicKey { curve: curve.clone(), q })
    }

    /// The compressed little-endian encoding, ⌈m/8⌉ bytes.
    pub fn to_compressed_le(&self) -> Vec<u8> {
        self.curve.compress(&self.q)
    }

    /// The curve of this key.
    pub fn curve(&self) -> &Curve {
        &self.curve
    }
}

/// A DSTU 4145 private key d with 0 < d < n. The scalar is wiped on drop and never printed.
pub struct PrivateKey {
    curve: Curve,
    d: Uint,
    public: PublicKey,
    /// x-coordinates of recent static–static agreements, by the peer's public point. Diia
    /// seals every delivery with the same key-agreement certificate, so after the first
    /// delivery the ladder is skipped. The values are as secret as d and are wiped with it.
    agreed: Mutex<Agreed>,
}

/// Remembered agreements: the peer's point (x ‖ y) and the shared x-coordinate.
type Agreed = Vec<(Vec<u8>, Zeroizing<Vec<u8>>)>;

/// Peers whose agreement a private key remembers (a partner talks to one or two Diia keys).
const AGREED_CACHE: usize = 8;

impl Drop for PrivateKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey").field("curve", &self.curve).field("d", &"<redacted>").finish()
    }
}

impl PrivateKey {
    /// Reads d from little-endian bytes (a PKCS#8 privateKey value); requires 0 < d < n.
    pub fn from_le_bytes(curve: &Curve, d_le: &[u8]) -> Result<PrivateKey, EcError> {
        let d = Zeroizing::new(scalar::from_le_bytes(d_le).ok_or(EcError::InvalidScalar)?);
        if scalar::is_zero(&d) || scalar::cmp(&d, &curve.n) != std::cmp::Ordering::Less {
            return Err(EcError::InvalidScalar);
        }
        Ok(PrivateKey::with_scalar(curve, &d))
    }

    fn with_scalar(curve: &Curve, d: &Uint) -> PrivateKey {
        // DSTU convention: Q = −d·G. d < n, so d·G is never infinity.
        let dg = curve.mul(d, curve.n_bits, &curve.g).expect("0 < d < n gives a finite point");
        let public = PublicKey { curve: curve.clone(), q: Curve::neg(&dg) };
        PrivateKey { curve: curve.clone(), d: *d, public, agreed: Mutex::new(Vec::new()) }
    }

    /// d as little-endian bytes, ⌈bitlen(n)/8⌉ long.
    pub fn to_le_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(scalar::to_le_bytes(&self.d, self.curve.scalar_len()))
    }

    /// A fresh key, d uniform in [1, n − 1]. Takes rand 0.9's `CryptoRng` (which implies
    /// `RngCore`), e.g. `rand::rng()` or a seeded `StdRng` in tests.
    pub fn generate(curve: &Curve, rng: &mut impl CryptoRng) -> PrivateKey {
        let d = curve.random_scalar(rng);
        PrivateKey::with_scalar(curve, &d)
    }

    /// The public key Q = −d·G (computed once, at construction).
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The curve of this key.
    pub fn curve(&self) -> &Curve {
        &self.curve
    }

    /// DSTU 4145 signature of a hash (any length; 32 bytes for GOST 34.311): r ‖ s, each
    /// little-endian in ⌈bitlen(n)/8⌉ bytes.
    pub fn sign(&self, hash: &[u8], rng: &mut impl CryptoRng) -> Vec<u8> {
        loop {
            let e = self.curve.random_scalar(rng);
            if let Some(sig) = self.sign_with_nonce(hash, &e) {
                return sig;
            }
        }
    }

    /// One signing attempt with nonce e; `None` when r or s comes out zero (retry).
    fn sign_with_nonce(&self, hash: &[u8], e: &Uint) -> Option<Vec<u8>> {
        let c = &self.curve;
        let h = c.hash_to_field(hash);
        let fe = c.mul_x(e, c.n_bits, &c.g)?;
        if fe.is_zero() {
            return None;
        }
        let r = c.fe_to_r(&c.field.mul(&h, &fe));
        if scalar::is_zero(&r) {
            return None;
        }
        let dr = Zeroizing::new(scalar::mul_mod(&self.d, &r, &c.n, c.n_bits));
        let s = scalar::add_mod(e, &dr, &c.n);
        if scalar::is_zero(&s) {
            return None;
        }
        let mut out = scalar::to_le_bytes(&r, c.scalar_len());
        out.extend(scalar::to_le_bytes(&s, c.scalar_len()));
        Some(out)
    }

    /// Cofactor static–static ECDH: x(h·d·Q_peer) big-endian, ⌈m/8⌉ bytes, leading zero bytes
    /// kept (the GOST 34.311 KDF strips them).
    pub fn ecdh_cofactor_x_be(&self, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>, EcError> {
        let c = &self.curve;
        if *c != peer.curve {
            return Err(EcError::CurveMismatch);
        }
        // The affine coordinates identify the peer without the inversion compression costs.
        let peer_key = [c.field.to_le_bytes(&peer.q.x), c.field.to_le_bytes(&peer.q.y)].concat();
        // A poisoned lock only means another thread panicked mid-lookup; the list is still whole.
        let mut agreed = self.agreed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, x)) = agreed.iter().find(|(key, _)| *key == peer_key) {
            return Ok(x.clone());
        }
        let k = Zeroizing::new(scalar::mul_small(&self.d, c.cofactor));
        // h ≤ 4, so h·d < 2^(bitlen(n) + 2): a fixed ladder length for every key.
        let x = c.mul_x(&k, c.n_bits + 2, &peer.q).ok_or(EcError::InvalidPoint)?;
        let x = Zeroizing::new(c.field.to_be_bytes(&x));
        if agreed.len() == AGREED_CACHE {
            agreed.remove(0);
        }
        agreed.push((peer_key, x.clone()));
        Ok(x)
    }
}

/// Verifies a DSTU 4145 signature r ‖ s (two little-endian halves of equal length) over a hash:
/// h = hash read little-endian, low m bits, 0 → 1; R = s·G + r·Q; valid iff the low
/// bitlen(n) − 1 bits of h·x(R) equal r, with 0 < r, s < n.
pub fn verify(public: &PublicKey, hash: &[u8], signature: &[u8]) -> Result<(), EcError> {
    let c = &public.curve;
    if signature.is_empty() || !signature.len().is_multiple_of(2) {
        return Err(EcError::BadLength);
    }
    let (r_bytes, s_bytes) = signature.split_at(signature.len() / 2);
    let r = scalar::from_le_bytes(r_bytes).ok_or(EcError::InvalidSignature)?;
    let s = scalar::from_le_bytes(s_bytes).ok_or(EcError::InvalidSignature)?;
    let in_range =
        |v: &Uint| !scalar::is_zero(v) && scalar::cmp(v, &c.n) == std::cmp::Ordering::Less;
    if !in_range(&r) || !in_range(&s) {
        return Err(EcError::InvalidSignature);
    }
    let h = c.hash_to_field(hash);
    let big_r = c.double_mul_vartime(&s, &r, &public.q).ok_or(EcError::InvalidSignature)?;
    let r2 = c.fe_to_r(&c.field.mul_vartime(&h, &big_r.x));
    if r2 == r { Ok(()) } else { Err(EcError::InvalidSignature) }
}

#[cfg(test)]
mod tests;
