//! Parses arbitrary bytes as an X.509 certificate with DSTU 4145 parameters (named or
//! explicit curves, compressed keys) and, when that succeeds, checks it against itself.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = ua_crypto::Certificate::from_der(data) {
        let _ = cert.verify_issued_by(&cert);
        let _ = cert.computed_key_id();
    }
});
