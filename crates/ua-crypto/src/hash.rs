//! GOST 34.311-95 hashing and everything built on it: HMAC (32-byte block), PBKDF2, the
//! RFC 7292 appendix B PKCS#12 KDF, the legacy IIT password key and the CMS key-agreement KDF.

mod gost34311;

use zeroize::Zeroizing;

pub use gost34311::Gost34311;

/// Output and block size of GOST 34.311-95.
pub const HASH_LEN: usize = 32;

/// GOST 34.311-95 (DKE No.1 S-box, H0 = 0) of one byte string.
pub fn gost34311(data: &[u8]) -> [u8; HASH_LEN] {
    let mut hasher = Gost34311::new();
    hasher.update(data);
    hasher.finalize()
}

/// GOST 34.311-95 of several concatenated byte strings.
pub fn gost34311_parts(parts: &[&[u8]]) -> [u8; HASH_LEN] {
    let mut hasher = Gost34311::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()
}

/// An HMAC-GOST34311 key with the inner and outer pads already absorbed, so that each MAC
/// costs only the message and finalisation compressions (PBKDF2 runs 10 000 of them).
#[derive(Clone)]
pub struct HmacKey {
    inner: Gost34311,
    outer: Gost34311,
}

impl HmacKey {
    /// Prepares an HMAC key (keys longer than the 32-byte block are hashed first).
    pub fn new(key: &[u8]) -> HmacKey {
        let mut block = Zeroizing::new([0u8; HASH_LEN]);
        if key.len() > HASH_LEN {
            block.copy_from_slice(&gost34311(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut ipad = Zeroizing::new([0x36u8; HASH_LEN]);
        let mut opad = Zeroizing::new([0x5cu8; HASH_LEN]);
        for idx in 0..HASH_LEN {
            ipad[idx] ^= block[idx];
            opad[idx] ^= block[idx];
        }
        let mut inner = Gost34311::new();
        inner.update(&ipad[..]);
        let mut outer = Gost34311::new();
        outer.update(&opad[..]);
        HmacKey { inner, outer }
    }

    /// HMAC of the concatenation of `parts`.
    pub fn mac_parts(&self, parts: &[&[u8]]) -> [u8; HASH_LEN] {
        let mut inner = self.inner.clone();
        for part in parts {
            inner.update(part);
        }
        let inner_hash = inner.finalize();
        let mut outer = self.outer.clone();
        outer.update(&inner_hash);
        outer.finalize()
    }

    /// HMAC of one message.
    pub fn mac(&self, data: &[u8]) -> [u8; HASH_LEN] {
        self.mac_parts(&[data])
    }
}

/// PBKDF2 (RFC 8018) with HMAC-GOST34311, producing `out.len()` bytes.
pub fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let key = HmacKey::new(password);
    for (block_idx, chunk) in out.chunks_mut(HASH_LEN).enumerate() {
        let counter = (block_idx as u32 + 1).to_be_bytes();
        let mut u = Zeroizing::new(key.mac_parts(&[salt, &counter]));
        let mut t = Zeroizing::new(*u);
        for _ in 1..iterations {
            *u = key.mac(&u[..]);
            for (acc, byte) in t.iter_mut().zip(u.iter()) {
                *acc ^= byte;
            }
        }
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
}

/// Encodes a password the way PKCS#12 MACs expect it: UTF-16BE plus a terminating 00 00.
pub fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// The RFC 7292 appendix B.2 key derivation with GOST 34.311 (u = v = 32 bytes).
/// `id` is 1 (key), 2 (IV) or 3 (MAC key); `password` is already encoded (see [`bmp_password`]).
pub fn pkcs12_kdf(id: u8, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    const V: usize = HASH_LEN;
    let d = [id; V];
    let fill = |source: &[u8]| -> Zeroizing<Vec<u8>> {
        let len = source.len().div_ceil(V) * V;
        Zeroizing::new((0..len).map(|idx| source[idx % source.len()]).collect())
    };
    let mut i_block = fill(salt);
    i_block.extend_from_slice(&fill(password));
    for chunk in out.chunks_mut(HASH_LEN) {
        let mut a = Zeroizing::new(gost34311_parts(&[&d, &i_block]));
        for _ in 1..iterations {
            *a = gost34311(&a[..]);
        }
        chunk.copy_from_slice(&a[..chunk.len()]);
        // I_j = (I_j + A + 1) mod 2^(8v) for each v-byte block of I, so that the next output
        // block differs (only needed when more than one block is requested).
        for block in i_block.chunks_mut(V) {
            let mut carry = 1u16;
            for idx in (0..V).rev() {
                let sum = u16::from(block[idx]) + u16::from(a[idx]) + carry;
                block[idx] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
}

/// The legacy IIT container key: GOST 34.311 applied 10 000 times to the password bytes.
pub fn iit_password_key(password: &[u8]) -> Zeroizing<[u8; HASH_LEN]> {
    let mut key = Zeroizing::new(gost34311(password));
    for _ in 1..10_000 {
        *key = gost34311(&key[..]);
    }
    key
}

/// The CMS key-agreement KDF with GOST 34.311: H(Zx without leading zero bytes ‖ 00000001 ‖
/// SharedInfo). `zx_be` is the big-endian x-coordinate of the shared point.
pub fn kdf_gost34311(zx_be: &[u8], shared_info_der: &[u8]) -> Zeroizing<[u8; HASH_LEN]> {
    let first_nonzero = zx_be.iter().position(|&b| b != 0).unwrap_or(zx_be.len());
    Zeroizing::new(gost34311_parts(&[&zx_be[first_nonzero..], &[0, 0, 0, 1], shared_info_der]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_kat() {
        assert_eq!(
            hex::encode(gost34311(b"LA LA LA SHTIRLITZ KURWA VODKA MATRIOSKA")),
            "0a327f3bcee1f3de0f40612ec3ced0a32951b8b2168e9a010f5b1546c0a91d93"
        );
    }

    #[test]
    fn hmac_matches_definition() {
        let key = b"some key";
        let mut k = [0u8; 32];
        k[..key.len()].copy_from_slice(key);
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = gost34311_parts(&[&ipad, b"message"]);
        let expected = gost34311_parts(&[&opad, &inner]);
        assert_eq!(HmacKey::new(key).mac(b"message"), expected);
    }

    #[test]
    fn kdf_strips_leading_zero_bytes() {
        let shared_info = [0x30, 0x00];
        let with_zeros = [0u8, 0, 0x4b, 0x36, 0x87];
        let without = [0x4bu8, 0x36, 0x87];
        assert_eq!(
            *kdf_gost34311(&with_zeros, &shared_info),
            *kdf_gost34311(&without, &shared_info)
        );
        let expected = gost34311_parts(&[&without, &[0, 0, 0, 1], &shared_info]);
        assert_eq!(*kdf_gost34311(&with_zeros, &shared_info), expected);
        // A zero byte inside the value is kept.
        let inner_zero = [0x4bu8, 0x00, 0x87];
        assert_ne!(
            *kdf_gost34311(&inner_zero, &shared_info),
            *kdf_gost34311(&without, &shared_info)
        );
    }

    #[test]
    fn iit_password_key_kat() {
        assert_eq!(
            hex::encode(*iit_password_key(b"12345677")),
            "835779ba27c432a20b4a742f69626d4967cc184f1ce3c281a8ba84f783bc2220"
        );
    }
}
