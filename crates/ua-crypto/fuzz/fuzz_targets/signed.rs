//! Verifies arbitrary bytes as a signed-only CMS message (attached, and detached over a fixed
//! content): SignedData and CAdES attribute parsing, embedded certificates, time-stamp tokens.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ua_crypto_fuzz::POLICY;

fuzz_target!(|data: &[u8]| {
    let _ = ua_crypto::verify_signed(data, None, &POLICY);
    let _ = ua_crypto::verify_signed(data, Some(b"detached content"), &POLICY);
});
