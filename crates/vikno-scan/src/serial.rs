//! Serial / CDC-ACM scanners: listing ports, a reader thread owned by a handle that frames the byte
//! stream by CR / LF / CRLF, applies the code rule, reconnects with backoff after an unplug and
//! reports its status through a channel.

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::code::{Code, CodeError, classify};

/// Errors of the serial path.
#[derive(Debug, thiserror::Error)]
pub enum SerialError {
    /// The OS could not list serial ports.
    #[error("cannot list serial ports: {0}")]
    List(String),
    /// The configured port could not be opened.
    #[error("cannot open serial port {path}: {reason}")]
    Open {
        /// Port path as configured.
        path: String,
        /// OS reason.
        reason: String,
    },
    /// The reader thread could not be started.
    #[error("cannot start the serial reader thread: {0}")]
    Thread(String),
}

/// One serial port the OS knows about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// Path or name to put into [`SerialConfig::path`] (`/dev/ttyACM0`, `COM3`).
    pub path: String,
    /// Kind of port as far as the OS tells (`usb`, `pci`, `bluetooth`, `unknown`). Without the
    /// `libudev` feature of `serialport` Linux reports no USB details.
    pub kind: String,
}

/// List the serial ports of this machine.
pub fn list_ports() -> Result<Vec<PortInfo>, SerialError> {
    let ports = serialport::available_ports().map_err(|e| SerialError::List(e.to_string()))?;
    Ok(ports
        .into_iter()
        .map(|p| PortInfo {
            path: p.port_name,
            kind: match p.port_type {
                serialport::SerialPortType::UsbPort(_) => "usb",
                serialport::SerialPortType::PciPort => "pci",
                serialport::SerialPortType::BluetoothPort => "bluetooth",
                serialport::SerialPortType::Unknown => "unknown",
            }
            .to_owned(),
        })
        .collect())
}

/// Settings of a serial scanner connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialConfig {
    /// Port path (`/dev/ttyACM0`, `COM3`).
    pub path: String,
    /// Baud rate (CDC-ACM ignores it; RS-232 scanners usually use 9600).
    pub baud_rate: u32,
    /// First reconnect delay after a failure, in ms (doubles up to `reconnect_max_ms`).
    pub reconnect_min_ms: u64,
    /// Upper bound of the reconnect delay, in ms.
    pub reconnect_max_ms: u64,
    /// Longest accepted line; longer garbage is dropped and reported.
    pub max_line_len: usize,
}

impl SerialConfig {
    /// Defaults for a port path: 9600 baud, reconnect 200 ms … 5 s, lines up to 512 bytes.
    pub fn new(path: impl Into<String>) -> Self {
        SerialConfig {
            path: path.into(),
            baud_rate: 9600,
            reconnect_min_ms: 200,
            reconnect_max_ms: 5000,
            max_line_len: 512,
        }
    }
}

/// Connection state for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialStatus {
    /// The port is open and being read.
    Connected,
    /// The port went away (unplugged) or is not there yet; reconnecting with backoff.
    Disconnected {
        /// Short reason (OS error text, no data).
        reason: String,
    },
    /// A problem that does not end the connection (an over-long line was dropped).
    Error {
        /// Short description.
        message: String,
    },
}

/// What the serial reader reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialEvent {
    /// Status change.
    Status(SerialStatus),
    /// One framed line, already judged by the code rule.
    Scan(Result<Code, CodeError>),
}

/// Opens the byte stream of a scanner. The real one is [`SerialPortOpener`]; tests substitute
/// their own (a pty path cannot be reopened after its master end is gone, so an unplug/replug is
/// simulated by handing out a fresh pty).
pub trait PortOpener: Send + 'static {
    /// Open the port. The returned reader should time out (`ErrorKind::TimedOut`/`WouldBlock`)
    /// every few hundred ms at most so the reader thread can notice a shutdown request.
    fn open(&mut self) -> Result<Box<dyn Read + Send>, SerialError>;
}

/// Opens a real port with the `serialport` crate.
#[derive(Debug, Clone)]
pub struct SerialPortOpener {
    config: SerialConfig,
}

impl SerialPortOpener {
    /// Opener for the given configuration.
    pub fn new(config: SerialConfig) -> Self {
        SerialPortOpener { config }
    }
}

impl PortOpener for SerialPortOpener {
    fn open(&mut self) -> Result<Box<dyn Read + Send>, SerialError> {
        let port = serialport::new(&self.config.path, self.config.baud_rate)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(|e| SerialError::Open {
                path: self.config.path.clone(),
                reason: e.to_string(),
            })?;
        Ok(Box::new(port))
    }
}

/// Splits a byte stream into lines at CR, LF or CRLF; empty lines are skipped.
#[derive(Debug, Clone)]
pub struct LineFramer {
    buf: Vec<u8>,
    max_len: usize,
    overflowed: bool,
}

/// A framed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete line (lossy UTF-8; scanners send ASCII).
    Line(String),
    /// A line longer than the limit was dropped.
    Overflow,
}

impl LineFramer {
    /// A framer dropping lines longer than `max_len` bytes.
    pub fn new(max_len: usize) -> Self {
        LineFramer { buf: Vec::new(), max_len, overflowed: false }
    }

    /// Feed bytes; returns the complete lines they finished.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                if self.overflowed {
                    out.push(Frame::Overflow);
                } else if !self.buf.is_empty() {
                    out.push(Frame::Line(String::from_utf8_lossy(&self.buf).into_owned()));
                }
                self.buf.clear();
                self.overflowed = false;
            } else if self.buf.len() >= self.max_len {
                self.overflowed = true;
            } else {
                self.buf.push(b);
            }
        }
        out
    }
}

/// A running serial reader. Dropping it (or calling [`SerialScanner::stop`]) stops the thread.
#[derive(Debug)]
pub struct SerialScanner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SerialScanner {
    /// Start reading the configured port; events arrive on the returned receiver.
    pub fn start(config: SerialConfig) -> Result<(Self, Receiver<SerialEvent>), SerialError> {
        let opener = SerialPortOpener::new(config.clone());
        Self::start_with(config, opener)
    }

    /// Start with a custom opener (tests, or platform-specific ports).
    pub fn start_with(
        config: SerialConfig,
        opener: impl PortOpener,
    ) -> Result<(Self, Receiver<SerialEvent>), SerialError> {
        let (tx, rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("vikno-serial".into())
            .spawn(move || reader_loop(config, opener, tx, stop2))
            .map_err(|e| SerialError::Thread(e.to_string()))?;
        Ok((SerialScanner { stop, thread: Some(thread) }, rx))
    }

    /// Ask the reader to stop and wait for it (at most about one read timeout).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take()
            && t.join().is_err()
        {
            tracing::error!("serial reader thread panicked");
        }
    }
}

impl Drop for SerialScanner {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Sleep in small steps so a shutdown request is honoured quickly; false if stopped.
fn sleep_unless_stopped(stop: &AtomicBool, ms: u64) -> bool {
    let mut left = ms;
    while left > 0 {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        let step = left.min(20);
        std::thread::sleep(Duration::from_millis(step));
        left -= step;
    }
    !stop.load(Ordering::SeqCst)
}

fn reader_loop(
    config: SerialConfig,
    mut opener: impl PortOpener,
    tx: Sender<SerialEvent>,
    stop: Arc<AtomicBool>,
) {
    let mut backoff = config.reconnect_min_ms;
    let mut last_status: Option<SerialStatus> = None;
    let mut send_status = |s: SerialStatus, tx: &Sender<SerialEvent>| {
        if last_status.as_ref() != Some(&s) {
            last_status = Some(s.clone());
            // A closed receiver only means nobody listens any more; the stop flag ends us.
            let _ = tx.send(SerialEvent::Status(s));
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let mut port = match opener.open() {
            Ok(p) => p,
            Err(e) => {
                tracing::debug!(error = %e, "serial port not available");
                send_status(SerialStatus::Disconnected { reason: e.to_string() }, &tx);
                if !sleep_unless_stopped(&stop, backoff) {
                    break;
                }
                backoff = (backoff * 2).min(config.reconnect_max_ms);
                continue;
            }
        };
        tracing::info!("serial scanner connected");
        send_status(SerialStatus::Connected, &tx);
        backoff = config.reconnect_min_ms;
        let mut framer = LineFramer::new(config.max_line_len);
        let mut chunk = [0u8; 256];
        let reason = loop {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            match port.read(&mut chunk) {
                Ok(0) => break "end of stream".to_owned(),
                Ok(n) => {
                    for f in framer.push(&chunk[..n]) {
                        let ev = match f {
                            Frame::Line(line) => {
                                tracing::trace!(line = %line, "serial line");
                                SerialEvent::Scan(classify(&line))
                            }
                            Frame::Overflow => SerialEvent::Status(SerialStatus::Error {
                                message: format!(
                                    "dropped a line longer than {} bytes",
                                    config.max_line_len
                                ),
                            }),
                        };
                        let _ = tx.send(ev);
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted
                    ) => {}
                Err(e) => break e.to_string(),
            }
        };
        drop(port);
        tracing::info!(reason = %reason, "serial scanner disconnected");
        send_status(SerialStatus::Disconnected { reason }, &tx);
        if !sleep_unless_stopped(&stop, backoff) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_cr_lf_crlf() {
        let mut f = LineFramer::new(16);
        let mut out = f.push(b"4006381333931\r\n59012341");
        out.extend(f.push(b"23457\rABC\n\n\r\n"));
        assert_eq!(
            out,
            vec![
                Frame::Line("4006381333931".into()),
                Frame::Line("5901234123457".into()),
                Frame::Line("ABC".into()),
            ]
        );
        let over = f.push(b"0123456789abcdefXYZ\rok\n");
        assert_eq!(over, vec![Frame::Overflow, Frame::Line("ok".into())]);
    }
}
