//! Fixed-width unsigned integers (eight 64-bit limbs) for DSTU 4145 scalars modulo the order n.
//!
//! Only what signing, key checks and curve validation need. Operations that touch private
//! scalars (`mul_mod`, `add_mod`, `lt`) have no data-dependent branches or indexing.

use std::cmp::Ordering;

/// Limbs in a scalar: n < 2^509 and h·d < 2^511 both fit.
pub(crate) const SLIMBS: usize = 8;

/// Little-endian limbs.
pub(crate) type Uint = [u64; SLIMBS];

/// Parses little-endian bytes; `None` when the value needs more than 512 bits.
pub(crate) fn from_le_bytes(bytes: &[u8]) -> Option<Uint> {
    let mut r = [0u64; SLIMBS];
    for (i, &b) in bytes.iter().enumerate() {
        if i >= 8 * SLIMBS {
            if b != 0 {
                return None;
            }
            continue;
        }
        r[i / 8] |= u64::from(b) << (8 * (i % 8));
    }
    Some(r)
}

/// Parses big-endian bytes (leading zero bytes allowed).
pub(crate) fn from_be_bytes(bytes: &[u8]) -> Option<Uint> {
    let le: Vec<u8> = bytes.iter().rev().copied().collect();
    from_le_bytes(&le)
}

/// Encodes the low `len` bytes, little-endian.
pub(crate) fn to_le_bytes(a: &Uint, len: usize) -> Vec<u8> {
    (0..len).map(|i| if i < 8 * SLIMBS { (a[i / 8] >> (8 * (i % 8))) as u8 } else { 0 }).collect()
}

/// Encodes as big-endian bytes without leading zero bytes (one zero byte for zero).
pub(crate) fn to_be_bytes_min(a: &Uint) -> Vec<u8> {
    let len = bit_len(a).div_ceil(8).max(1);
    let mut v = to_le_bytes(a, len);
    v.reverse();
    v
}

/// Number of significant bits (not constant time; for public values).
pub(crate) fn bit_len(a: &Uint) -> usize {
    for i in (0..SLIMBS).rev() {
        if a[i] != 0 {
            return 64 * i + 64 - a[i].leading_zeros() as usize;
        }
    }
    0
}

/// Bit i.
#[inline]
pub(crate) fn bit(a: &Uint, i: usize) -> u64 {
    if i >= 64 * SLIMBS { 0 } else { (a[i / 64] >> (i % 64)) & 1 }
}

/// True when zero (constant time).
pub(crate) fn is_zero(a: &Uint) -> bool {
    a.iter().fold(0, |acc, w| acc | w) == 0
}

/// Ordinary comparison (not constant time; for public values).
pub(crate) fn cmp(a: &Uint, b: &Uint) -> Ordering {
    for i in (0..SLIMBS).rev() {
        match a[i].cmp(&b[i]) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// a + b and the carry out.
fn add(a: &Uint, b: &Uint) -> (Uint, u64) {
    let mut r = [0u64; SLIMBS];
    let mut carry = 0u64;
    for i in 0..SLIMBS {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(carry);
        r[i] = s2;
        carry = u64::from(c1) | u64::from(c2);
    }
    (r, carry)
}

/// a − b and the borrow out.
fn sub(a: &Uint, b: &Uint) -> (Uint, u64) {
    let mut r = [0u64; SLIMBS];
    let mut borrow = 0u64;
    for i in 0..SLIMBS {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        r[i] = d2;
        borrow = u64::from(b1) | u64::from(b2);
    }
    (r, borrow)
}

/// Returns `b` when `choice` is 1, `a` when 0, without branching.
fn select(a: &Uint, b: &Uint, choice: u64) -> Uint {
    let mask = 0u64.wrapping_sub(choice & 1);
    let mut r = [0u64; SLIMBS];
    for i in 0..SLIMBS {
        r[i] = a[i] ^ (mask & (a[i] ^ b[i]));
    }
    r
}

/// (a + b) mod n for a, b < n (constant time).
pub(crate) fn add_mod(a: &Uint, b: &Uint, n: &Uint) -> Uint {
    let (s, carry) = add(a, b);
    let (d, borrow) = sub(&s, n);
    // Subtract n when the sum overflowed or is ≥ n.
    select(&s, &d, carry | (borrow ^ 1))
}

/// a · small (no overflow check: callers keep the product below 2^512).
pub(crate) fn mul_small(a: &Uint, k: u32) -> Uint {
    let mut r = [0u64; SLIMBS];
    let mut carry = 0u128;
    for i in 0..SLIMBS {
        let t = u128::from(a[i]) * u128::from(k) + carry;
        r[i] = t as u64;
        carry = t >> 64;
    }
    r
}

/// (a · b) mod n, with `n_bits` = bit length of n (public). Bit-serial reduction of the double
/// width product: the same work for every a, b.
pub(crate) fn mul_mod(a: &Uint, b: &Uint, n: &Uint, n_bits: usize) -> Uint {
    let mut wide = [0u64; 2 * SLIMBS];
    for i in 0..SLIMBS {
        let mut carry = 0u128;
        for j in 0..SLIMBS {
            let t = u128::from(a[i]) * u128::from(b[j]) + u128::from(wide[i + j]) + carry;
            wide[i + j] = t as u64;
            carry = t >> 64;
        }
        wide[i + SLIMBS] = carry as u64;
    }
    // Both factors are < 2^n_bits, so the product has at most 2·n_bits bits.
    let mut r = [0u64; SLIMBS];
    for i in (0..2 * n_bits).rev() {
        // r < n < 2^511, so doubling cannot lose a bit beyond the top limb's carry.
        let top = r[SLIMBS - 1] >> 63;
        let mut carry = (wide[i / 64] >> (i % 64)) & 1;
        for w in r.iter_mut() {
            let next = *w >> 63;
            *w = (*w << 1) | carry;
            carry = next;
        }
        let (d, borrow) = sub(&r, n);
        r = select(&r, &d, top | (borrow ^ 1));
    }
    r
}

/// Keeps the low `bits` bits.
pub(crate) fn truncate(a: &Uint, bits: usize) -> Uint {
    let mut r = *a;
    for (i, w) in r.iter_mut().enumerate() {
        if 64 * i >= bits {
            *w = 0;
        } else if 64 * i + 64 > bits {
            *w &= (1u64 << (bits - 64 * i)) - 1;
        }
    }
    r
}

/// 2^k (k < 512).
pub(crate) fn pow2(k: usize) -> Uint {
    let mut r = [0u64; SLIMBS];
    r[k / 64] = 1u64 << (k % 64);
    r
}

/// |a − b| (not constant time).
pub(crate) fn abs_diff(a: &Uint, b: &Uint) -> Uint {
    if cmp(a, b) == Ordering::Less { sub(b, a).0 } else { sub(a, b).0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn to_u128(a: &Uint) -> u128 {
        u128::from(a[0]) | (u128::from(a[1]) << 64)
    }

    proptest! {
        #[test]
        fn small_values_match_u128(a in 0u64.., b in 0u64.., n in 3u64..) {
            let nn = [n, 0, 0, 0, 0, 0, 0, 0];
            let (a, b) = (a % n, b % n);
            let (ua, ub) = ([a, 0, 0, 0, 0, 0, 0, 0], [b, 0, 0, 0, 0, 0, 0, 0]);
            let nb = bit_len(&nn);
            prop_assert_eq!(to_u128(&mul_mod(&ua, &ub, &nn, nb)), (u128::from(a) * u128::from(b)) % u128::from(n));
            prop_assert_eq!(to_u128(&add_mod(&ua, &ub, &nn)), (u128::from(a) + u128::from(b)) % u128::from(n));
        }
    }

    #[test]
    fn byte_codecs() {
        let a = from_be_bytes(&[0, 0, 1, 2, 3]).expect("fits");
        assert_eq!(a[0], 0x010203);
        assert_eq!(to_be_bytes_min(&a), vec![1, 2, 3]);
        assert_eq!(to_le_bytes(&a, 4), vec![3, 2, 1, 0]);
        assert_eq!(from_le_bytes(&[1; 65]), None);
        assert_eq!(bit_len(&pow2(300)), 301);
        assert_eq!(truncate(&[u64::MAX; 8], 70), [u64::MAX, 0x3F, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn mul_mod_large() {
        // (n − 1)² ≡ 1 (mod n) for the M431 order.
        let n = from_be_bytes(&[
            0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xba,
            0x31, 0x75, 0x45, 0x80, 0x09, 0xa8, 0xc0, 0xa7, 0x24, 0xf0, 0x2f, 0x81, 0xaa, 0x8a,
            0x1f, 0xcb, 0xaf, 0x80, 0xd9, 0x0c, 0x7a, 0x95, 0x11, 0x05, 0x04, 0xcf,
        ])
        .expect("fits");
        let nm1 = sub(&n, &[1, 0, 0, 0, 0, 0, 0, 0]).0;
        let nb = bit_len(&n);
        assert_eq!(mul_mod(&nm1, &nm1, &n, nb), [1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(add_mod(&nm1, &nm1, &n), sub(&nm1, &[1, 0, 0, 0, 0, 0, 0, 0]).0);
    }
}
