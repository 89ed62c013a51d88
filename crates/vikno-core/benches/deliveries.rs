//! Benchmark: deliveries per second (parse + open + verify + durable commit) with the real
//! 190 KB passport delivery, through `process_delivery` (no HTTP). Prints a table and writes
//! `target/vikno-core-deliveries.csv`. Run: `cargo bench -p vikno-core --bench deliveries`.

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use time::macros::datetime;
use ua_crypto::{Certificate, KeyContainer};
use vikno_core::{
    MasterKeySource, ReceiverConfig, SecretKey, Store, VerificationTime, process_delivery,
};

const FIX: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/diia-sdk-js/key6-set");
const PDF: &str = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf";
const B: &str = "vikno-bench-boundary";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIX).join(name)).expect("fixture")
}

fn part(out: &mut Vec<u8>, name: &str, file: Option<&str>, body: &[u8]) {
    out.extend_from_slice(
        format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
    );
    if let Some(f) = file {
        out.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
    }
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

fn main() {
    let cert = |n: &str| Certificate::from_pem_or_der(&read(n)).expect("cert");
    let signer = cert("EU-5B63D88375D9201804000000E0BA0500B4810D00.cer");
    let keys = KeyContainer::open(&read("Key-6.dat"), "12345677").expect("keys");
    let mut config = ReceiverConfig::new(keys, vec![signer.clone()], vec![signer]);
    config.verification_time = VerificationTime::Fixed(datetime!(2024-10-24 10:22:56 UTC));
    let mut body = Vec::new();
    let name = format!("{PDF}.p7s.p7e");
    part(&mut body, "encryptedFile", Some(&name), &read(&name));
    part(&mut body, "encryptedFileName", None, name.as_bytes());
    part(&mut body, "encodeData", None, &read("encodedData.json.p7s.p7e"));
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={B}");

    let dir = tempfile::tempdir().expect("tempdir");
    let key = SecretKey::generate().expect("rng");
    let store = Store::open(dir.path(), MasterKeySource::Fixed(key)).expect("store");
    let n: usize = std::env::var("VIKNO_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    // Warm-up (page cache, lazy statics).
    process_delivery(&config, &store, &ct, Some("warmup"), &body).expect("warm-up delivery");
    let start = Instant::now();
    for i in 0..n {
        process_delivery(&config, &store, &ct, Some(&format!("bench-{i}")), &body)
            .expect("delivery");
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = n as f64 / secs;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "| deliveries | body bytes | seconds | deliveries/s | ms/delivery |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    let _ = writeln!(
        out,
        "| {n} | {} | {secs:.2} | {rate:.1} | {:.2} |",
        body.len(),
        1000.0 * secs / n as f64
    );
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/vikno-core-deliveries.csv");
    let _ = std::fs::write(
        csv,
        format!(
            "deliveries,body_bytes,seconds,per_second\n{n},{},{secs:.3},{rate:.1}\n",
            body.len()
        ),
    );
}
