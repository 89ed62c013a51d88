//! Opens arbitrary bytes as a delivery (base64 or DER EnvelopedData) with the key6 sample keys:
//! the envelope parser, recipient matching, key agreement, unwrap, decryption and the inner
//! SignedData verification. Any outcome but a panic, hang or runaway allocation is fine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ua_crypto_fuzz::{KEYS, POLICY};

fuzz_target!(|data: &[u8]| {
    let _ = ua_crypto::open_envelope(data, &KEYS, &[], &POLICY);
});
