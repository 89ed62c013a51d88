//! Shared setup of the fuzz targets: the published Diia SDK samples, read in place at run
//! time (never copied into the repository), and the keys and trust policy built from them.

use std::path::PathBuf;
use std::sync::LazyLock;

use time::macros::datetime;
use ua_crypto::{Certificate, KeyContainer, TrustPolicy};

/// The sample directory: `$VIKNO_FIXTURES` or `shared/fixtures/diia-sdk-js` beside the checkout.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("VIKNO_FIXTURES").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/fixtures/diia-sdk-js"))
    })
}

/// Reads one sample file; a missing sample is a setup error, so it panics before fuzzing.
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = fixtures_dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|err| panic!("fixture {}: {err}", path.display()))
}

/// The key6 partner keys (PBKDF2 with 10 000 rounds: opened once per process).
pub static KEYS: LazyLock<KeyContainer> = LazyLock::new(|| {
    KeyContainer::open(&fixture("key6-set/Key-6.dat"), "12345677").expect("sample keys open")
});

/// Trusts the key6 signer at the time the samples were made, so valid inputs get past the
/// trust check and mutations exercise everything after it.
pub static POLICY: LazyLock<TrustPolicy> = LazyLock::new(|| {
    let signer = Certificate::from_der(&fixture(
        "key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer",
    ))
    .expect("sample certificate parses");
    TrustPolicy { trusted_signers: vec![signer], at: datetime!(2024-10-24 10:22:56 UTC) }
});
