//! Single-byte corruption of every sample envelope (DER after base64 decoding), of a
//! certificate and of a generated key container: each gives a typed error or, when the byte
//! is outside everything authenticated, exactly the original content; never a panic.
//! Also a bounded random-input smoke run of the same parsers the fuzz targets cover.

use base64::Engine as _;
use ua_crypto::{Certificate, KeyContainer, verify_signed};

use crate::fixtures::read;
use crate::samples::{SAMPLES, cert};

/// A small deterministic generator (xorshift) so failures are reproducible.
struct Positions(u64);

impl Positions {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn flipped_envelope_bytes_never_yield_wrong_content() {
    for (sample_idx, sample) in SAMPLES.iter().enumerate() {
        let der = base64::engine::general_purpose::STANDARD.decode(read(sample.envelope)).unwrap();
        let expected = sample.expected.bytes();
        let mut rng = Positions(0x9e37_79b9_7f4a_7c15 + sample_idx as u64);
        // Half the probes hit the first 4 KB (structure, keys, certificates), half anywhere.
        // Few probes: every one that reaches the cipher costs an M431 scalar multiplication,
        // and this crate runs unoptimised in debug test builds.
        let n_probes = if der.len() > 100_000 { 12 } else { 30 };
        let (mut n_errors, mut n_same) = (0, 0);
        for probe in 0..n_probes {
            let span = if probe % 2 == 0 { der.len().min(4096) } else { der.len() };
            let position = (rng.next() % span as u64) as usize;
            let mask = (rng.next() % 255 + 1) as u8;
            let mut corrupted = der.clone();
            corrupted[position] ^= mask;
            match sample.open(&corrupted) {
                Err(_) => n_errors += 1,
                Ok(opened) => {
                    assert!(
                        opened.content == expected,
                        "{} byte {position} ^ {mask:#x}: wrong content",
                        sample.envelope
                    );
                    n_same += 1;
                }
            }
        }
        // Bytes outside everything authenticated (a version number, say) may leave the content
        // intact; most flips must be rejected.
        assert!(n_errors > n_same, "{}: {n_errors} errors, {n_same} same", sample.envelope);
    }
}

#[test]
fn flipped_certificate_bytes_are_typed_errors_or_different_certificates() {
    let der = read("key6-set/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer");
    let original = cert("key6-set/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer");
    let root = crate::samples::key6_keys()
        .certificates()
        .iter()
        .find(|c| c.issuer() == c.subject())
        .unwrap()
        .clone();
    for position in (0..der.len()).step_by(13) {
        let mut corrupted = der.clone();
        corrupted[position] ^= 0x41;
        if let Ok(parsed) = Certificate::from_der(&corrupted) {
            assert_ne!(parsed, original);
            // Any change of the signed part or the signature breaks the CA signature.
            assert!(parsed.verify_issued_by(&root).is_err(), "byte {position}");
        }
    }
}

#[test]
fn random_and_truncated_inputs_do_not_panic() {
    let mut rng = Positions(42);
    let samples: Vec<Vec<u8>> = SAMPLES
        .iter()
        .map(|sample| {
            base64::engine::general_purpose::STANDARD.decode(read(sample.envelope)).unwrap()
        })
        .collect();
    let policy = SAMPLES[1].policy();
    for round in 0..60 {
        let base = &samples[round % samples.len()];
        let cut = (rng.next() % base.len().min(8192) as u64) as usize;
        let mut input = base[..cut].to_vec();
        for _ in 0..(rng.next() % 4) {
            if !input.is_empty() {
                let idx = (rng.next() % input.len() as u64) as usize;
                input[idx] = rng.next() as u8;
            }
        }
        assert!(SAMPLES[1].open(&input).is_err());
        assert!(verify_signed(&input, None, &policy).is_err());
        let _ = Certificate::from_der(&input);
        let garbage: Vec<u8> = (0..(rng.next() % 64)).map(|_| rng.next() as u8).collect();
        let _ = Certificate::from_pem_or_der(&garbage);
        let _ = KeyContainer::open(&garbage, "x");
    }
}
