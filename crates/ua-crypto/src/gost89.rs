//! GOST 28147-89 in the Ukrainian little-endian profile: S-box from a 64-byte DKE, ECB, CFB,
//! the 16-round MAC ("imitovstavka") and the DSTU key wrap used by CMS key agreement.

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The standard Ukrainian S-box "DKE No.1" in its 64-byte packed form (row i = bytes 8i..8i+8,
/// high nibble first; row 0 substitutes the lowest nibble).
pub const DKE1: [u8; 64] = [
    0xa9, 0xd6, 0xeb, 0x45, 0xf1, 0x3c, 0x70, 0x82, 0x80, 0xc4, 0x96, 0x7b, 0x23, 0x1f, 0x5e, 0xad,
    0xf6, 0x58, 0xeb, 0xa4, 0xc0, 0x37, 0x29, 0x1d, 0x38, 0xd9, 0x6b, 0xf0, 0x25, 0xca, 0x4e, 0x17,
    0xf8, 0xe9, 0x72, 0x0d, 0xc6, 0x15, 0xb4, 0x3a, 0x28, 0x97, 0x5f, 0x0b, 0xc1, 0xde, 0xa3, 0x64,
    0x38, 0xb5, 0x64, 0xea, 0x2c, 0x17, 0x9f, 0xd0, 0x12, 0x3e, 0x6d, 0xb8, 0xfa, 0xc5, 0x79, 0x04,
];

/// Fixed IV of the Ukrainian GOST 28147 key wrap (first, outer CFB pass).
const WRAP_IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];

/// Length of a wrapped 256-bit key: IV (8) + key (32) + MAC (4).
pub const WRAPPED_KEY_LEN: usize = 44;

/// Errors of the symmetric layer; mapped to the crate error by the callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymError {
    /// An argument has the wrong length.
    BadLength,
    /// The key wrap's integrity code does not match (wrong KEK or damaged data).
    MacMismatch,
}

/// An expanded S-box: four 256-entry tables with the 11-bit rotation already applied.
#[derive(Clone)]
pub struct SBox {
    tables: [[u32; 256]; 4],
}

impl SBox {
    /// Expands a packed 64-byte DKE: each table maps one byte of the round input through two
    /// S-box rows and the 11-bit rotation, so a round costs four lookups instead of eight
    /// nibble substitutions and a rotate.
    pub const fn from_dke(dke: &[u8; 64]) -> SBox {
        let mut tables = [[0u32; 256]; 4];
        let mut pair = 0;
        while pair < 4 {
            let mut value = 0;
            while value < 256 {
                // Row r's entry e sits in byte 8r + e/2, high nibble for even e.
                let low = nibble(dke, 2 * pair, value & 0x0f);
                let high = nibble(dke, 2 * pair + 1, value >> 4);
                tables[pair][value] =
                    ((high << 4) | low).wrapping_shl(8 * pair as u32).rotate_left(11);
                value += 1;
            }
            pair += 1;
        }
        SBox { tables }
    }

    /// The DKE No.1 S-box.
    pub fn dke1() -> SBox {
        DKE1_SBOX.clone()
    }

    /// The DKE No.1 S-box without a copy (GOST 34.311 hashing uses it for every block).
    pub(crate) fn dke1_ref() -> &'static SBox {
        &DKE1_SBOX
    }

    /// Reads a DKE from a slice, which must be exactly 64 bytes long.
    pub fn from_dke_slice(dke: &[u8]) -> Option<SBox> {
        let dke: &[u8; 64] = dke.try_into().ok()?;
        Some(SBox::from_dke(dke))
    }

    #[inline(always)]
    fn f(&self, x: u32) -> u32 {
        self.tables[0][(x & 0xff) as usize]
            ^ self.tables[1][((x >> 8) & 0xff) as usize]
            ^ self.tables[2][((x >> 16) & 0xff) as usize]
            ^ self.tables[3][(x >> 24) as usize]
    }

    /// The 32 encryption rounds on the words (N1, N2) of one block under key words `key`;
    /// returns the output words in storage order. Rounds go in pairs, each half updating the
    /// other register, so no swap is needed: after an even number the roles are back.
    #[inline(always)]
    pub(crate) fn encrypt_words(&self, key: &[u32; 8], mut n1: u32, mut n2: u32) -> (u32, u32) {
        for _ in 0..3 {
            for pair in 0..4 {
                n2 ^= self.f(n1.wrapping_add(key[2 * pair]));
                n1 ^= self.f(n2.wrapping_add(key[2 * pair + 1]));
            }
        }
        for pair in 0..4 {
            n2 ^= self.f(n1.wrapping_add(key[7 - 2 * pair]));
            n1 ^= self.f(n2.wrapping_add(key[6 - 2 * pair]));
        }
        // The last round does not swap.
        (n2, n1)
    }
}

impl SBox {
    /// [`SBox::encrypt_words`] on four independent blocks in lockstep, each under its own key.
    /// One block's rounds form a dependency chain of table loads; four chains side by side let
    /// the loads of one hide the latency of the others (CFB decryption and the GOST 34.311 step
    /// both have four blocks whose inputs are known in advance).
    #[inline(always)]
    pub(crate) fn encrypt_words_x4(
        &self,
        keys: [&[u32; 8]; 4],
        mut n1: [u32; 4],
        mut n2: [u32; 4],
    ) -> ([u32; 4], [u32; 4]) {
        let half = |from: &[u32; 4], to: &mut [u32; 4], word: usize| {
            for ((to, from), key) in to.iter_mut().zip(from).zip(keys) {
                *to ^= self.f(from.wrapping_add(key[word]));
            }
        };
        for _ in 0..3 {
            for pair in 0..4 {
                half(&n1, &mut n2, 2 * pair);
                half(&n2, &mut n1, 2 * pair + 1);
            }
        }
        for pair in 0..4 {
            half(&n1, &mut n2, 7 - 2 * pair);
            half(&n2, &mut n1, 6 - 2 * pair);
        }
        (n2, n1)
    }
}

/// Entry `index` of S-box row `row` in a packed DKE.
const fn nibble(dke: &[u8; 64], row: usize, index: usize) -> u32 {
    let byte = dke[row * 8 + index / 2];
    (if index & 1 == 0 { byte >> 4 } else { byte & 0x0f }) as u32
}

/// DKE No.1 expanded at compile time.
static DKE1_SBOX: SBox = SBox::from_dke(&DKE1);

/// A GOST 28147-89 key schedule bound to an S-box. The key words are wiped on drop.
#[derive(Clone)]
pub struct Gost89 {
    key: [u32; 8],
    sbox: SBox,
}

impl Zeroize for Gost89 {
    fn zeroize(&mut self) {
        self.key.zeroize();
    }
}
impl Drop for Gost89 {
    fn drop(&mut self) {
        self.zeroize();
    }
}
impl ZeroizeOnDrop for Gost89 {}

impl std::fmt::Debug for Gost89 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gost89 { key: <redacted> }")
    }
}

impl Gost89 {
    /// Creates the cipher from a 32-byte key (little-endian words) and an S-box.
    pub fn new(key: &[u8; 32], sbox: &SBox) -> Gost89 {
        let mut words = [0u32; 8];
        for (idx, word) in words.iter_mut().enumerate() {
            *word = u32::from_le_bytes([
                key[4 * idx],
                key[4 * idx + 1],
                key[4 * idx + 2],
                key[4 * idx + 3],
            ]);
        }
        Gost89 { key: words, sbox: sbox.clone() }
    }

    /// Creates the cipher from a key slice, which must be 32 bytes long.
    pub fn from_slice(key: &[u8], sbox: &SBox) -> Result<Gost89, SymError> {
        let key: &[u8; 32] = key.try_into().map_err(|_| SymError::BadLength)?;
        Ok(Gost89::new(key, sbox))
    }

    fn load(block: &[u8; 8]) -> (u32, u32) {
        (
            u32::from_le_bytes([block[0], block[1], block[2], block[3]]),
            u32::from_le_bytes([block[4], block[5], block[6], block[7]]),
        )
    }

    fn store(n1: u32, n2: u32) -> [u8; 8] {
        let mut out = [0u8; 8];
        out[..4].copy_from_slice(&n1.to_le_bytes());
        out[4..].copy_from_slice(&n2.to_le_bytes());
        out
    }

    /// Encrypts one block (32 rounds).
    pub fn encrypt_block(&self, block: &[u8; 8]) -> [u8; 8] {
        let (n1, n2) = Gost89::load(block);
        let (out1, out2) = self.sbox.encrypt_words(&self.key, n1, n2);
        Gost89::store(out1, out2)
    }

    /// Decrypts one block (32 rounds).
    pub fn decrypt_block(&self, block: &[u8; 8]) -> [u8; 8] {
        let (mut n1, mut n2) = Gost89::load(block);
        for round in 0..32 {
            let key_idx = if round < 8 { round } else { 7 - (round % 8) };
            let t = n2 ^ self.sbox.f(n1.wrapping_add(self.key[key_idx]));
            n2 = n1;
            n1 = t;
        }
        Gost89::store(n2, n1)
    }

    /// The 16-round transformation of the MAC mode (no final swap).
    fn mac_rounds(&self, block: &[u8; 8]) -> [u8; 8] {
        let (mut n1, mut n2) = Gost89::load(block);
        for round in 0..16 {
            let t = n2 ^ self.sbox.f(n1.wrapping_add(self.key[round % 8]));
            n2 = n1;
            n1 = t;
        }
        Gost89::store(n1, n2)
    }

    /// ECB encryption; the input length must be a multiple of 8.
    pub fn ecb_encrypt(&self, data: &[u8]) -> Result<Vec<u8>, SymError> {
        self.ecb(data, true)
    }

    /// ECB decryption; the input length must be a multiple of 8.
    pub fn ecb_decrypt(&self, data: &[u8]) -> Result<Vec<u8>, SymError> {
        self.ecb(data, false)
    }

    fn ecb(&self, data: &[u8], encrypt: bool) -> Result<Vec<u8>, SymError> {
        if !data.len().is_multiple_of(8) {
            return Err(SymError::BadLength);
        }
        let mut out = Vec::with_capacity(data.len());
        for chunk in data.chunks_exact(8) {
            let block: &[u8; 8] = chunk.try_into().map_err(|_| SymError::BadLength)?;
            let processed =
                if encrypt { self.encrypt_block(block) } else { self.decrypt_block(block) };
            out.extend_from_slice(&processed);
        }
        Ok(out)
    }

    /// CFB-64 encryption; any length, the last block may be partial (no padding).
    pub fn cfb_encrypt(&self, iv: &[u8; 8], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        let mut register = *iv;
        for chunk in data.chunks(8) {
            let gamma = self.encrypt_block(&register);
            let start = out.len();
            out.extend(chunk.iter().zip(gamma.iter()).map(|(p, g)| p ^ g));
            if chunk.len() == 8 {
                register.copy_from_slice(&out[start..]);
            }
        }
        out
    }

    /// CFB-64 decryption; any length, the last block may be partial. The register is kept
    /// as two words so that whole blocks never go through byte arrays.
    pub fn cfb_decrypt(&self, iv: &[u8; 8], data: &[u8]) -> Vec<u8> {
        let word = |bytes: &[u8]| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let mut out = vec![0u8; data.len()];
        let (mut r1, mut r2) = Gost89::load(iv);
        // Every keystream block is the encryption of the previous ciphertext block, which is
        // already at hand: four blocks at a time go through the rounds side by side.
        let mut groups = data.chunks_exact(32);
        let mut out_groups = out.chunks_exact_mut(32);
        for (group, out_group) in (&mut groups).zip(&mut out_groups) {
            let mut c1 = [0u32; 4];
            let mut c2 = [0u32; 4];
            for ((block, c1), c2) in group.chunks_exact(8).zip(&mut c1).zip(&mut c2) {
                *c1 = word(&block[..4]);
                *c2 = word(&block[4..]);
            }
            let (g1, g2) = self.sbox.encrypt_words_x4(
                [&self.key; 4],
                [r1, c1[0], c1[1], c1[2]],
                [r2, c2[0], c2[1], c2[2]],
            );
            for (lane, block) in out_group.chunks_exact_mut(8).enumerate() {
                block[..4].copy_from_slice(&(c1[lane] ^ g1[lane]).to_le_bytes());
                block[4..].copy_from_slice(&(c2[lane] ^ g2[lane]).to_le_bytes());
            }
            (r1, r2) = (c1[3], c2[3]);
        }
        let done = data.len() - groups.remainder().len();
        let mut blocks = data[done..].chunks_exact(8);
        let mut out_blocks = out[done..].chunks_exact_mut(8);
        for (chunk, out_chunk) in (&mut blocks).zip(&mut out_blocks) {
            let (g1, g2) = self.sbox.encrypt_words(&self.key, r1, r2);
            let (c1, c2) = (word(&chunk[..4]), word(&chunk[4..]));
            out_chunk[..4].copy_from_slice(&(c1 ^ g1).to_le_bytes());
            out_chunk[4..].copy_from_slice(&(c2 ^ g2).to_le_bytes());
            (r1, r2) = (c1, c2);
        }
        let tail = blocks.remainder();
        if !tail.is_empty() {
            let gamma = Gost89::store(r1, r2);
            let gamma = self.encrypt_block(&gamma);
            let start = data.len() - tail.len();
            for ((o, c), g) in out[start..].iter_mut().zip(tail).zip(gamma.iter()) {
                *o = c ^ g;
            }
        }
        out
    }

    /// The 4-byte GOST 28147 MAC (16 rounds per block, zero-padded last block; a single block
    /// is followed by a zero block, as the standard requires at least two).
    pub fn mac(&self, data: &[u8]) -> [u8; 4] {
        let mut state = [0u8; 8];
        let mut n_blocks = 0usize;
        for chunk in data.chunks(8) {
            for (s, d) in state.iter_mut().zip(chunk) {
                *s ^= d;
            }
            state = self.mac_rounds(&state);
            n_blocks += 1;
        }
        if n_blocks < 2 {
            state = self.mac_rounds(&state);
        }
        [state[0], state[1], state[2], state[3]]
    }
}

/// Wraps a 32-byte content key under a KEK (Ukrainian GOST 28147 key wrap) with the given
/// random 8-byte IV; returns the 44-byte wrapped key.
pub fn wrap_key(kek: &Gost89, cek: &[u8; 32], iv: &[u8; 8]) -> [u8; WRAPPED_KEY_LEN] {
    let mac = kek.mac(cek);
    let mut inner = Zeroizing::new([0u8; 36]);
    inner[..32].copy_from_slice(cek);
    inner[32..].copy_from_slice(&mac);
    let encrypted = kek.cfb_encrypt(iv, &inner[..]);
    let mut buffer = [0u8; WRAPPED_KEY_LEN];
    buffer[..8].copy_from_slice(iv);
    buffer[8..].copy_from_slice(&encrypted);
    buffer.reverse();
    let outer = kek.cfb_encrypt(&WRAP_IV, &buffer);
    let mut out = [0u8; WRAPPED_KEY_LEN];
    out.copy_from_slice(&outer);
    out
}

/// Unwraps a 44-byte wrapped key under a KEK and checks its MAC.
pub fn unwrap_key(kek: &Gost89, wrapped: &[u8]) -> Result<Zeroizing<[u8; 32]>, SymError> {
    if wrapped.len() != WRAPPED_KEY_LEN {
        return Err(SymError::BadLength);
    }
    let mut buffer = Zeroizing::new(kek.cfb_decrypt(&WRAP_IV, wrapped));
    buffer.reverse();
    let mut iv = [0u8; 8];
    iv.copy_from_slice(&buffer[..8]);
    let inner = Zeroizing::new(kek.cfb_decrypt(&iv, &buffer[8..]));
    let mut cek = Zeroizing::new([0u8; 32]);
    cek.copy_from_slice(&inner[..32]);
    let expected = kek.mac(&cek[..]);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], &inner[32..36])) {
        return Err(SymError::MacMismatch);
    }
    Ok(cek)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecb_round_trip() {
        let cipher = Gost89::new(&[7u8; 32], &SBox::dke1());
        let data: Vec<u8> = (0u8..64).collect();
        let encrypted = cipher.ecb_encrypt(&data).unwrap();
        assert_ne!(encrypted, data, "ECB must change the data");
        assert_eq!(cipher.ecb_decrypt(&encrypted).unwrap(), data);
        assert_eq!(cipher.ecb_encrypt(&data[..5]), Err(SymError::BadLength));
    }

    #[test]
    fn cfb_round_trip_with_partial_block() {
        let cipher = Gost89::new(&[3u8; 32], &SBox::dke1());
        // Lengths around the four-block groups of the decryption, against the block-by-block
        // encryption.
        for len in [0usize, 1, 7, 8, 9, 23, 31, 32, 33, 40, 64, 71, 96, 100, 255] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let encrypted = cipher.cfb_encrypt(&[1; 8], &data);
            assert_eq!(encrypted.len(), len, "CFB keeps the length");
            assert_eq!(cipher.cfb_decrypt(&[1; 8], &encrypted), data);
        }
    }

    #[test]
    fn wrap_round_trip_and_tamper() {
        let kek = Gost89::new(&[9u8; 32], &SBox::dke1());
        let cek = [0x5au8; 32];
        let wrapped = wrap_key(&kek, &cek, &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(*unwrap_key(&kek, &wrapped).unwrap(), cek);
        let mut bad = wrapped;
        bad[20] ^= 1;
        assert_eq!(unwrap_key(&kek, &bad).err(), Some(SymError::MacMismatch));
    }
}
