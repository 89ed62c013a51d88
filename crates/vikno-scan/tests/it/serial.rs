//! Serial reader against real pseudo-terminals: framing, unplug (master end dropped) and
//! reconnect. A pty path cannot be reopened once its master is gone, so the "replugged" scanner
//! is a fresh pty handed out by a test `PortOpener` (the opening itself is real `serialport` code).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serialport::{SerialPort, TTYPort};
use vikno_scan::{PortOpener, SerialConfig, SerialError, SerialEvent, SerialScanner, SerialStatus};

/// Hands out the slave paths queued by the test, opening them with `serialport`.
struct QueueOpener(Arc<Mutex<VecDeque<String>>>);

impl PortOpener for QueueOpener {
    fn open(&mut self) -> Result<Box<dyn Read + Send>, SerialError> {
        let path = self.0.lock().expect("queue lock").pop_front().ok_or_else(|| {
            SerialError::Open { path: "(none queued)".into(), reason: "not plugged in".into() }
        })?;
        let port = serialport::new(&path, 9600)
            .timeout(Duration::from_millis(50))
            .open_native()
            .map_err(|e| SerialError::Open { path: path.clone(), reason: e.to_string() })?;
        Ok(Box::new(port))
    }
}

/// A pty pair whose slave end is closed again so the reader can open it by path.
fn pty() -> (TTYPort, String) {
    let (master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().expect("slave has a path");
    drop(slave);
    (master, path)
}

fn next_event(rx: &Receiver<SerialEvent>) -> SerialEvent {
    rx.recv_timeout(Duration::from_secs(5)).expect("serial event within 5 s")
}

fn expect_status(rx: &Receiver<SerialEvent>, want: fn(&SerialStatus) -> bool) {
    loop {
        if let SerialEvent::Status(s) = next_event(rx)
            && want(&s)
        {
            return;
        }
    }
}

#[test]
fn framing_unplug_and_reconnect() {
    let queue = Arc::new(Mutex::new(VecDeque::new()));
    let (mut master, path) = pty();
    queue.lock().expect("lock").push_back(path);
    let mut cfg = SerialConfig::new("pty");
    cfg.reconnect_min_ms = 20;
    cfg.reconnect_max_ms = 100;
    let (scanner, rx) = SerialScanner::start_with(cfg, QueueOpener(queue.clone())).expect("start");
    expect_status(&rx, |s| *s == SerialStatus::Connected);

    // CRLF, a bare CR, a bare LF and a line split across writes.
    master.write_all(b"4006381333931\r\n5901234").expect("write");
    master.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(30));
    master.write_all(b"123457\r4006381333930\n").expect("write");
    let mut scans = Vec::new();
    while scans.len() < 3 {
        if let SerialEvent::Scan(r) = next_event(&rx) {
            scans.push(r.map(|c| c.as_str().to_owned()).map_err(|e| e.code()));
        }
    }
    assert_eq!(
        scans,
        vec![
            Ok("4006381333931".to_owned()),
            Ok("5901234123457".to_owned()),
            Err("bad_check_digit")
        ]
    );

    // Unplug: the master end disappears; the reader reports it and keeps retrying.
    drop(master);
    expect_status(&rx, |s| matches!(s, SerialStatus::Disconnected { .. }));

    // Replug as a new device node.
    let (mut master2, path2) = pty();
    queue.lock().expect("lock").push_back(path2);
    expect_status(&rx, |s| *s == SerialStatus::Connected);
    master2.write_all(b"9780201379624\r\n").expect("write");
    loop {
        if let SerialEvent::Scan(r) = next_event(&rx) {
            assert_eq!(r.map(|c| c.as_str().to_owned()).ok().as_deref(), Some("9780201379624"));
            break;
        }
    }
    // Clean shutdown while connected.
    scanner.stop();
    drop(master2);
}

#[test]
fn missing_port_is_a_status_not_a_failure() {
    let mut cfg = SerialConfig::new("/dev/vikno-no-such-port");
    cfg.reconnect_min_ms = 10;
    let (scanner, rx) = SerialScanner::start(cfg).expect("start");
    expect_status(&rx, |s| matches!(s, SerialStatus::Disconnected { .. }));
    drop(scanner);
    assert!(vikno_scan::list_ports().is_ok());
}
