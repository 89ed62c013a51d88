//! Opens arbitrary bytes as a key container (PKCS#12, legacy IIT, bare PBES2/PKCS#8), detected
//! by content, with the sample password.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ua_crypto::KeyContainer::open(data, "12345677");
});
