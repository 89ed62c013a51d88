//! Access to the published Diia SDK test data (read in place, never copied into the repo).

use std::path::PathBuf;

/// Path of a fixture file under `shared/fixtures/diia-sdk-js`.
pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js"))
        .join(relative)
}

/// Reads a fixture file.
pub fn read(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path).unwrap_or_else(|err| panic!("fixture {}: {err}", path.display()))
}

/// Decodes hex test vectors.
pub fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text.replace([' ', '\n'], "")).expect("test vector is hex")
}
