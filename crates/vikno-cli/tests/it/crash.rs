//! Crash safety of the headless receiver: `vikno-cli receiver` in a child process takes 500
//! deliveries while being SIGKILLed at random moments and restarted. Every delivery that was
//! answered `success:true` must be in the store, intact and stored once, and the audit chain
//! must verify.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use vikno_core::{AuditContext, DocumentAccess, MasterKeySource, NewRequest, SecretKey, Store};

use super::{fixture, path};

const N_DELIVERIES: usize = 500;
const MASTER_KEY: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
const PDF: &str = "key6-set/internal-passport-2858364170864-02.04.2021-09_48_26.pdf";
const BOUNDARY: &str = "vikno-crash-test-boundary";

fn store(dir: &Path) -> Store {
    let key = SecretKey::from_hex(MASTER_KEY).expect("hex key");
    Store::open(dir, MasterKeySource::Fixed(key)).expect("store opens")
}

fn spawn_receiver(dir: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vikno-cli"))
        .args(["receiver", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--data-dir", &dir.to_string_lossy(), "--master-key-env", "CRASH_MASTER_KEY"])
        .args(["--key", &path("key6-set/Key-6.dat"), "--password-env", "CRASH_KEY_PASSWORD"])
        .args(["--cert", &path("key6-set/EU-KEP-5B63D88375D9201804000000E0BA0500B5810D00.cer")])
        .args(["--trust", &path("key6-set/EU-5B63D88375D9201804000000E0BA0500B4810D00.cer")])
        .args(["--verify-at", "2024-10-24T10:22:56Z", "--clerk", "crash-test"])
        .env("CRASH_MASTER_KEY", MASTER_KEY)
        .env("CRASH_KEY_PASSWORD", "12345677")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("receiver starts")
}

fn wait_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "receiver never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The real sample in Diia's barcode layout.
fn body() -> Vec<u8> {
    let b64 = |rel: &str| {
        let raw = std::fs::read(fixture(rel)).expect("fixture");
        if raw.first() == Some(&0x30) {
            base64::engine::general_purpose::STANDARD.encode(raw).into_bytes()
        } else {
            raw
        }
    };
    let name = "internal-passport-2858364170864-02.04.2021-09_48_26.pdf.p7s.p7e";
    let mut out = Vec::new();
    let mut part = |disposition: String, content: Vec<u8>| {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n{disposition}\r\n\r\n").as_bytes());
        out.extend_from_slice(&content);
        out.extend_from_slice(b"\r\n");
    };
    part(
        format!(
            "Content-Disposition: form-data; name=\"encryptedFile\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream"
        ),
        b64(&format!("key6-set/{name}")),
    );
    part(
        "Content-Disposition: form-data; name=\"encryptedFileName\"".into(),
        name.as_bytes().to_vec(),
    );
    part(
        "Content-Disposition: form-data; name=\"encodeData\"".into(),
        b64("key6-set/encodedData.json.p7s.p7e"),
    );
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// One POST over a fresh connection; `Some(true)` only for a 200 with `"success":true`,
/// `None` when the connection broke (the receiver was killed under it).
fn post(port: u16, trace_id: &str, body: &[u8]) -> Option<bool> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!(
        "POST /diia/delivery HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         X-Document-Request-Trace-Id: {trace_id}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    if response.is_empty() {
        return None;
    }
    let ok = response.starts_with("HTTP/1.1 200") && response.contains("\"success\":true");
    Some(ok)
}

#[test]
fn receiver_killed_at_random_loses_no_acknowledged_delivery() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = AuditContext::new("crash-test", "ws-1", "branch-1");
    {
        let store = store(dir.path());
        for i in 0..N_DELIVERIES {
            let req = NewRequest {
                id: format!("crash-{i:04}"),
                purpose: "kyc".into(),
                legal_ground: "contract".into(),
                document_types: vec!["internal-passport".into()],
            };
            store.create_request(&req, &ctx).expect("request row");
        }
    }
    let port = TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let child = Arc::new(Mutex::new(spawn_receiver(dir.path(), port)));
    wait_listening(port);

    // The killer: SIGKILL at pseudo-random moments (xorshift, seeded from the clock and printed
    // so a failure can be replayed), then restart and wait until it listens again.
    let done = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicUsize::new(0));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock");
    let seed = now.as_nanos() as u64 ^ u64::from(std::process::id());
    println!("crash test seed {seed}");
    let killer = {
        let (child, done, kills, dir) =
            (child.clone(), done.clone(), kills.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            let mut x = seed | 1;
            while !done.load(Ordering::SeqCst) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                std::thread::sleep(Duration::from_millis(150 + x % 900));
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let mut c = child.lock().expect("child lock");
                c.kill().expect("SIGKILL");
                c.wait().expect("reaped");
                kills.fetch_add(1, Ordering::SeqCst);
                *c = spawn_receiver(&dir, port);
                drop(c);
                wait_listening(port);
            }
        })
    };

    let body = body();
    let mut acknowledged = Vec::new();
    for i in 0..N_DELIVERIES {
        let trace_id = format!("crash-{i:04}");
        // Like Diia, retry until acknowledged; a broken connection or a 5xx is worth retrying.
        for attempt in 0.. {
            assert!(attempt < 200, "{trace_id} was never acknowledged");
            match post(port, &trace_id, &body) {
                Some(true) => {
                    acknowledged.push(trace_id.clone());
                    break;
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
    done.store(true, Ordering::SeqCst);
    killer.join().expect("killer thread");
    {
        let mut c = child.lock().expect("child lock");
        c.kill().expect("SIGKILL");
        c.wait().expect("reaped");
    }
    let n_kills = kills.load(Ordering::SeqCst);
    println!("crash test: {} acknowledged, {n_kills} kills", acknowledged.len());
    assert!(n_kills >= 5, "the receiver was killed only {n_kills} times");

    let store = store(dir.path());
    let expected = std::fs::read(fixture(PDF)).expect("plaintext pdf");
    let docs = store.list_documents(&ctx).expect("list");
    for trace_id in &acknowledged {
        let mine: Vec<_> =
            docs.iter().filter(|d| d.request_id.as_deref() == Some(trace_id.as_str())).collect();
        assert_eq!(mine.len(), 1, "{trace_id}: acknowledged, so stored exactly once");
        let doc = store.read_document(&mine[0].id, DocumentAccess::View, &ctx).expect("reads");
        assert!(doc.pdf.as_slice() == expected.as_slice(), "{trace_id}: stored copy is intact");
    }
    let report = store.verify_audit_chain().expect("chain readable");
    assert!(report.first_broken.is_none(), "audit chain broken: {:?}", report.first_broken);
}
