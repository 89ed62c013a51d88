//! Field encryption at rest: XChaCha20-Poly1305 with a master key from the keychain wrapping
//! one random data key per document.
//!
//! Why field encryption and not SQLCipher: it needs no OpenSSL/SQLCipher build dependency (the
//! bundled SQLite and pure-Rust RustCrypto suffice on every platform); each document has its own
//! data key wrapped by the master key, so purging a document crypto-shreds it by deleting its
//! wrapped key (copies of old pages in backups or free blocks stay unreadable); and the
//! non-personal columns needed for listing (request id, document type, times, status, purpose)
//! stay queryable in SQL. Every ciphertext is bound by its associated data to the row and field it
//! belongs to, so swapping ciphertexts between rows or fields fails authentication.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

const NONCE_LEN: usize = 24;
/// Length of every key used here.
pub const KEY_LEN: usize = 32;

/// Errors of field encryption.
#[derive(Debug, thiserror::Error)]
pub enum FieldCryptoError {
    /// The operating system's random generator failed.
    #[error("random generator unavailable")]
    Random,
    /// A ciphertext failed authentication: wrong key, or tampered or misplaced data.
    #[error("encrypted field failed authentication")]
    Authentication,
    /// A key is not 32 bytes of hex.
    #[error("key is not {KEY_LEN} bytes of hex")]
    BadKey,
}

/// A 256-bit symmetric key, wiped from memory on drop.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, FieldCryptoError> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(k.as_mut_slice()).map_err(|_| FieldCryptoError::Random)?;
        Ok(Self(k))
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Result<Self, FieldCryptoError> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        hex::decode_to_slice(s.trim(), k.as_mut_slice()).map_err(|_| FieldCryptoError::BadKey)?;
        Ok(Self(k))
    }

    /// The key as 64 hex digits (for the keychain only).
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_slice()))
    }

    fn from_bytes(b: &[u8]) -> Result<Self, FieldCryptoError> {
        let arr: [u8; KEY_LEN] = b.try_into().map_err(|_| FieldCryptoError::BadKey)?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// Encrypts `plaintext` bound to `aad`; output is nonce || ciphertext || tag.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, FieldCryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| FieldCryptoError::Random)?;
        let cipher = XChaCha20Poly1305::new(self.0.as_slice().into());
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
            .map_err(|_| FieldCryptoError::Authentication)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`SecretKey::seal`] produced with the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, FieldCryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(FieldCryptoError::Authentication);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(self.0.as_slice().into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
            .map(Zeroizing::new)
            .map_err(|_| FieldCryptoError::Authentication)
    }

    /// Wraps (encrypts) `data_key` under this key, bound to `owner_id`.
    pub fn wrap(&self, owner_id: &str, data_key: &SecretKey) -> Result<Vec<u8>, FieldCryptoError> {
        self.seal(&wrap_aad(owner_id), data_key.0.as_slice())
    }

    /// Unwraps a data key wrapped by [`SecretKey::wrap`] for `owner_id`.
    pub fn unwrap_key(
        &self,
        owner_id: &str,
        wrapped: &[u8],
    ) -> Result<SecretKey, FieldCryptoError> {
        let raw = self.open(&wrap_aad(owner_id), wrapped)?;
        SecretKey::from_bytes(&raw)
    }
}

fn wrap_aad(owner_id: &str) -> Vec<u8> {
    format!("vikno/wrapped-key/v1/{owner_id}").into_bytes()
}

/// Associated data binding a field's ciphertext to its row and field name.
pub fn field_aad(table: &str, row_id: &str, field: &str) -> Vec<u8> {
    format!("vikno/field/v1/{table}/{row_id}/{field}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let k = SecretKey::generate().expect("rng");
        let aad = field_aad("documents", "d1", "pdf");
        let sealed = k.seal(&aad, b"hello").expect("seal");
        assert_eq!(k.open(&aad, &sealed).expect("open").as_slice(), b"hello");
        // Moved to another row or field: refused.
        assert!(k.open(&field_aad("documents", "d2", "pdf"), &sealed).is_err());
        assert!(k.open(&field_aad("documents", "d1", "metadata"), &sealed).is_err());
        // Another key: refused.
        let other = SecretKey::generate().expect("rng");
        assert!(other.open(&aad, &sealed).is_err());
        // Any flipped bit: refused.
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 1;
            assert!(k.open(&aad, &t).is_err(), "flip at {i} accepted");
        }
        assert!(k.open(&aad, &sealed[..10]).is_err());
    }

    #[test]
    fn wrap_unwrap_and_hex() {
        let master = SecretKey::generate().expect("rng");
        let dek = SecretKey::generate().expect("rng");
        let w = master.wrap("doc-1", &dek).expect("wrap");
        let back = master.unwrap_key("doc-1", &w).expect("unwrap");
        assert_eq!(back.to_hex(), dek.to_hex());
        assert!(master.unwrap_key("doc-2", &w).is_err());
        let parsed = SecretKey::from_hex(&master.to_hex()).expect("hex");
        assert_eq!(parsed.to_hex(), master.to_hex());
        assert!(SecretKey::from_hex("abcd").is_err());
        assert!(SecretKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
