//! Live webcam scanning: a capture thread feeding a single-slot mailbox (the decoder always takes
//! the newest frame, nothing queues up), a decode thread running the pipeline, the acceptance rule
//! (1-D codes need two agreeing frames, the same code is suppressed for 3 s), preview frames for the
//! UI with the found code's outline, and a deterministic simulated-clock replay for measurements.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use crate::camera::{Frame, FrameError, FrameSource};
use crate::code::Code;
use crate::decode::{EnhancedPass, Pipeline, PipelineConfig, Read, Symbology};

/// Acceptance rule settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptConfig {
    /// A code seen again within this many ms of its last sighting is not reported again
    /// (default 3000). Every sighting refreshes the timer, so a phone left in view fires once.
    pub dedup_ms: u64,
    /// Two agreeing 1-D reads must be at most this far apart in frame time (default 1000 ms).
    pub agree_window_ms: u64,
}

impl Default for AcceptConfig {
    fn default() -> Self {
        AcceptConfig { dedup_ms: 3000, agree_window_ms: 1000 }
    }
}

/// Decides when reads become accepted codes.
///
/// A QR (link with Reed–Solomon protection, checked by the code rule) is accepted on one frame;
/// an EAN-13 / Code 128 read only when the previous rule-passing 1-D read (within
/// `agree_window_ms`) carried the same code — a different code in between restarts the count, so a
/// sequence of disagreeing reads is never accepted. Reads refused by the code rule are ignored.
#[derive(Debug, Clone)]
pub struct Acceptor {
    config: AcceptConfig,
    pending: Option<(Code, u64)>,
    recent: Vec<(Code, u64)>,
}

impl Acceptor {
    /// An acceptor with the given settings.
    pub fn new(config: AcceptConfig) -> Self {
        Acceptor { config, pending: None, recent: Vec::new() }
    }

    /// Offer one frame's read taken at `at_ms`; returns the code if it is accepted now.
    pub fn offer(&mut self, read: &Read, at_ms: u64) -> Option<Code> {
        let Ok(code) = &read.verdict else { return None };
        let dedup = self.config.dedup_ms;
        self.recent.retain(|(_, t)| at_ms.saturating_sub(*t) < dedup);
        if let Some(entry) = self.recent.iter_mut().find(|(c, _)| c == code) {
            entry.1 = at_ms;
            return None;
        }
        let agreed = !read.symbology.is_linear()
            || self.pending.as_ref().is_some_and(|(c, t)| {
                c == code && at_ms.saturating_sub(*t) <= self.config.agree_window_ms
            });
        if agreed {
            self.pending = None;
            self.recent.push((code.clone(), at_ms));
            Some(code.clone())
        } else {
            self.pending = Some((code.clone(), at_ms));
            None
        }
    }
}

impl Default for Acceptor {
    fn default() -> Self {
        Acceptor::new(AcceptConfig::default())
    }
}

/// Settings of the live camera scanner.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraConfig {
    /// Decode pipeline (default: [`PipelineConfig::default`] plus the whole-frame enhanced pass on
    /// alternate frames).
    pub pipeline: PipelineConfig,
    /// Acceptance rule.
    pub accept: AcceptConfig,
    /// Preview frames are box-downscaled by an integer factor to at most this width (default 480).
    pub preview_max_width: u32,
    /// At most this many preview frames per second (default 30; the camera's rate bounds it too).
    pub preview_max_fps: u32,
}

impl Default for CameraConfig {
    fn default() -> Self {
        CameraConfig {
            pipeline: PipelineConfig {
                enhanced: EnhancedPass::AlternateFrames,
                ..Default::default()
            },
            accept: AcceptConfig::default(),
            preview_max_width: 480,
            preview_max_fps: 30,
        }
    }
}

/// Camera state for the UI; all of these are normal states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraStatus {
    /// No camera attached.
    NoCamera,
    /// Frames are flowing and being decoded.
    Running,
    /// The camera failed (message has no personal data).
    Error(String),
    /// The source ended or the worker was stopped.
    Stopped,
}

/// The outline of the most recent read, for drawing on the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Frame the read came from.
    pub frame_seq: u64,
    /// Result points in *preview* pixels.
    pub points: Vec<(f32, f32)>,
    /// Symbology.
    pub symbology: Symbology,
    /// Whether the read passed the code rule (the UI may draw refused reads differently).
    pub valid: bool,
}

/// A downscaled frame for the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewFrame {
    /// Source frame number.
    pub seq: u64,
    /// Source frame time, ms.
    pub at_ms: u64,
    /// Preview width.
    pub width: u32,
    /// Preview height.
    pub height: u32,
    /// Greyscale PNG bytes.
    pub png: Vec<u8>,
    /// Outline of the latest read at most 500 ms old, if any.
    pub outline: Option<Outline>,
}

/// What the UI should do on acceptance (it plays the sound and draws the flash itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feedback {
    /// Sound cue name: `"accept"` (a short high beep).
    pub sound: &'static str,
    /// Flash colour, RGB.
    pub flash_rgb: [u8; 3],
    /// Flash duration, ms.
    pub flash_ms: u32,
}

/// The feedback used for every acceptance.
pub const ACCEPT_FEEDBACK: Feedback =
    Feedback { sound: "accept", flash_rgb: [0x2e, 0xb8, 0x5c], flash_ms: 400 };

/// An accepted code from the camera.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptance {
    /// The code (already passed the code rule).
    pub code: Code,
    /// Symbology it was read from.
    pub symbology: Symbology,
    /// Frame that completed the acceptance.
    pub frame_seq: u64,
    /// That frame's time, ms.
    pub at_ms: u64,
    /// Outline in preview pixels.
    pub outline: Vec<(f32, f32)>,
    /// Sound + flash to play.
    pub feedback: Feedback,
}

/// Events from the camera worker.
#[derive(Debug, Clone, PartialEq)]
pub enum CameraEvent {
    /// Status change.
    Status(CameraStatus),
    /// A preview frame.
    Preview(PreviewFrame),
    /// An accepted code.
    Accepted(Acceptance),
}

#[derive(Default)]
struct Slot {
    frame: Option<Frame>,
    closed: bool,
}

/// Single-slot mailbox: `put` replaces any frame not yet taken.
#[derive(Default)]
struct Mailbox {
    slot: Mutex<Slot>,
    cv: Condvar,
}

impl Mailbox {
    fn put(&self, f: Frame) {
        let mut s = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = s.frame.replace(f) {
            tracing::trace!(seq = old.seq, "frame dropped, decoder busy");
        }
        self.cv.notify_one();
    }

    fn close(&self) {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        self.cv.notify_all();
    }

    /// Newest frame, or `None` once closed and empty.
    fn take(&self) -> Option<Frame> {
        let mut s = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(f) = s.frame.take() {
                return Some(f);
            }
            if s.closed {
                return None;
            }
            s = self.cv.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Integer box-downscale factor so the width fits `max_width`.
fn preview_factor(width: u32, max_width: u32) -> u32 {
    width.div_ceil(max_width.max(1)).max(1)
}

/// Box-downscale a frame by `k` and encode it as greyscale PNG.
fn make_preview(f: &Frame, k: u32) -> Option<(u32, u32, Vec<u8>)> {
    let (w, h) = (f.width as usize, f.height as usize);
    let k = k as usize;
    let (pw, ph) = (w / k, h / k);
    if pw == 0 || ph == 0 {
        return None;
    }
    let mut small = vec![0u8; pw * ph];
    let area = (k * k) as u32;
    for py in 0..ph {
        for px in 0..pw {
            let mut s = 0u32;
            for y in py * k..py * k + k {
                let row = &f.luma[y * w + px * k..y * w + px * k + k];
                s += row.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
            small[py * pw + px] = ((s + area / 2) / area) as u8;
        }
    }
    let mut png = Vec::new();
    let enc = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Sub,
    );
    image::ImageEncoder::write_image(
        enc,
        &small,
        pw as u32,
        ph as u32,
        image::ExtendedColorType::L8,
    )
    .ok()?;
    Some((pw as u32, ph as u32, png))
}

/// A running camera scanner (capture + decode threads). Stop it with [`CameraWorker::stop`] or
/// by dropping it.
#[derive(Debug)]
pub struct CameraWorker {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl CameraWorker {
    /// Start scanning. `open` runs on the capture thread (camera handles are not always `Send`);
    /// events arrive on the returned receiver. The worker ends by itself when the source ends.
    pub fn start<F>(open: F, config: CameraConfig) -> (Self, Receiver<CameraEvent>)
    where
        F: FnOnce() -> Result<Box<dyn FrameSource>, FrameError> + Send + 'static,
    {
        let (tx, rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let mailbox = Arc::new(Mailbox::default());
        let outline: Arc<Mutex<Option<(Outline, u64)>>> = Arc::new(Mutex::new(None));
        let k_cell = Arc::new(Mutex::new(1u32));
        let mut threads = Vec::new();

        let (c_stop, c_mail, c_tx, c_outline, c_k, c_cfg) = (
            stop.clone(),
            mailbox.clone(),
            tx.clone(),
            outline.clone(),
            k_cell.clone(),
            config.clone(),
        );
        let capture = std::thread::Builder::new().name("vikno-camera".into()).spawn(move || {
            capture_loop(open, &c_cfg, &c_stop, &c_mail, &c_tx, &c_outline, &c_k);
            c_mail.close();
        });
        let (d_stop, d_mail, d_tx) = (stop.clone(), mailbox.clone(), tx.clone());
        let decode = std::thread::Builder::new().name("vikno-decode".into()).spawn(move || {
            decode_loop(&config, &d_stop, &d_mail, &d_tx, &outline, &k_cell);
        });
        for t in [capture, decode] {
            match t {
                Ok(h) => threads.push(h),
                Err(e) => {
                    let _ = tx.send(CameraEvent::Status(CameraStatus::Error(format!(
                        "cannot start camera thread: {e}"
                    ))));
                    stop.store(true, Ordering::SeqCst);
                    mailbox.close();
                }
            }
        }
        (CameraWorker { stop, threads }, rx)
    }

    /// Stop both threads and wait for them. A camera blocked in `next_frame` delays this by at
    /// most one frame interval.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Wait for the worker to finish by itself (finite sources).
    pub fn join(mut self) {
        for t in self.threads.drain(..) {
            if t.join().is_err() {
                tracing::error!("camera thread panicked");
            }
        }
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            if t.join().is_err() {
                tracing::error!("camera thread panicked");
            }
        }
    }
}

impl Drop for CameraWorker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

type SharedOutline = Mutex<Option<(Outline, u64)>>;

fn capture_loop<F>(
    open: F,
    cfg: &CameraConfig,
    stop: &AtomicBool,
    mail: &Mailbox,
    tx: &Sender<CameraEvent>,
    outline: &SharedOutline,
    k_cell: &Mutex<u32>,
) where
    F: FnOnce() -> Result<Box<dyn FrameSource>, FrameError>,
{
    let mut source = match open() {
        Ok(s) => s,
        Err(FrameError::NoCamera) => {
            let _ = tx.send(CameraEvent::Status(CameraStatus::NoCamera));
            return;
        }
        Err(e) => {
            let _ = tx.send(CameraEvent::Status(CameraStatus::Error(e.to_string())));
            return;
        }
    };
    let _ = tx.send(CameraEvent::Status(CameraStatus::Running));
    let min_gap_ms = 1000 / u64::from(cfg.preview_max_fps.max(1));
    let mut last_preview: Option<u64> = None;
    while !stop.load(Ordering::SeqCst) {
        match source.next_frame() {
            Ok(Some(frame)) => {
                let due = last_preview.is_none_or(|t| frame.at_ms.saturating_sub(t) >= min_gap_ms);
                if due {
                    last_preview = Some(frame.at_ms);
                    let k = preview_factor(frame.width, cfg.preview_max_width);
                    *k_cell.lock().unwrap_or_else(PoisonError::into_inner) = k;
                    if let Some((width, height, png)) = make_preview(&frame, k) {
                        let outline = outline
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .as_ref()
                            .filter(|(_, t)| frame.at_ms.saturating_sub(*t) <= 500)
                            .map(|(o, _)| o.clone());
                        let _ = tx.send(CameraEvent::Preview(PreviewFrame {
                            seq: frame.seq,
                            at_ms: frame.at_ms,
                            width,
                            height,
                            png,
                            outline,
                        }));
                    }
                }
                mail.put(frame);
            }
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "camera frame failed");
                let _ = tx.send(CameraEvent::Status(CameraStatus::Error(e.to_string())));
                return;
            }
        }
    }
    let _ = tx.send(CameraEvent::Status(CameraStatus::Stopped));
}

fn decode_loop(
    cfg: &CameraConfig,
    stop: &AtomicBool,
    mail: &Mailbox,
    tx: &Sender<CameraEvent>,
    outline: &SharedOutline,
    k_cell: &Mutex<u32>,
) {
    let mut pipeline = Pipeline::new(cfg.pipeline.clone());
    let mut acceptor = Acceptor::new(cfg.accept.clone());
    while let Some(frame) = mail.take() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Some(read) = pipeline.decode(&frame.luma, frame.width, frame.height, frame.seq) else {
            continue;
        };
        let k = *k_cell.lock().unwrap_or_else(PoisonError::into_inner) as f32;
        let pts: Vec<(f32, f32)> = read.points.iter().map(|&(x, y)| (x / k, y / k)).collect();
        *outline.lock().unwrap_or_else(PoisonError::into_inner) = Some((
            Outline {
                frame_seq: frame.seq,
                points: pts.clone(),
                symbology: read.symbology,
                valid: read.verdict.is_ok(),
            },
            frame.at_ms,
        ));
        if let Err(e) = &read.verdict {
            tracing::debug!(reason = e.code(), symbology = read.symbology.name(), "read refused");
        }
        if let Some(code) = acceptor.offer(&read, frame.at_ms) {
            tracing::info!(kind = code.kind(), symbology = read.symbology.name(), "code accepted");
            let _ = tx.send(CameraEvent::Accepted(Acceptance {
                code,
                symbology: read.symbology,
                frame_seq: frame.seq,
                at_ms: frame.at_ms,
                outline: pts,
                feedback: ACCEPT_FEEDBACK,
            }));
        }
    }
}

/// One acceptance in a simulated-clock replay.
#[derive(Debug, Clone, PartialEq)]
pub struct SimAcceptance {
    /// The accepted code.
    pub code: Code,
    /// Index of the frame that completed it.
    pub frame_index: usize,
    /// Simulated time when its decode finished, ms (frame clock + measured decode times).
    pub accepted_at_ms: f64,
}

/// Result of a replay.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimReport {
    /// Acceptances in order.
    pub accepted: Vec<SimAcceptance>,
    /// Indices of the frames the decoder actually took (the others were overwritten in the slot).
    pub decoded_frames: Vec<usize>,
    /// Measured decode time of each decoded frame, ms.
    pub decode_ms: Vec<f64>,
}

/// Replay frames (with their `at_ms` as capture times) through the real pipeline and acceptor
/// with the mailbox rule on a simulated clock: whenever the decoder is free it takes the newest
/// frame captured so far, and it stays busy for the *measured* decode time. Deterministic apart
/// from the measured durations; used by the live-time check and tests.
pub fn simulate_live(frames: &[Frame], cfg: &CameraConfig) -> SimReport {
    let mut pipeline = Pipeline::new(cfg.pipeline.clone());
    let mut acceptor = Acceptor::new(cfg.accept.clone());
    let mut report = SimReport::default();
    let mut now = 0.0f64;
    let mut next_unseen = 0usize;
    while next_unseen < frames.len() {
        // Newest frame captured by `now`; if none is new, wait for the next capture.
        let mut idx = None;
        for (i, f) in frames.iter().enumerate().skip(next_unseen) {
            if (f.at_ms as f64) <= now {
                idx = Some(i);
            } else {
                break;
            }
        }
        let i = match idx {
            Some(i) => i,
            None => {
                now = frames[next_unseen].at_ms as f64;
                next_unseen
            }
        };
        next_unseen = i + 1;
        let f = &frames[i];
        let t0 = Instant::now();
        let read = pipeline.decode(&f.luma, f.width, f.height, f.seq);
        let d = t0.elapsed().as_secs_f64() * 1000.0;
        now += d;
        report.decoded_frames.push(i);
        report.decode_ms.push(d);
        if let Some(read) = read
            && let Some(code) = acceptor.offer(&read, f.at_ms)
        {
            report.accepted.push(SimAcceptance { code, frame_index: i, accepted_at_ms: now });
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::classify;
    use crate::decode::Pass;

    fn read(text: &str, sym: Symbology) -> Read {
        Read {
            text: text.into(),
            symbology: sym,
            points: vec![],
            pass: Pass::Raw,
            verdict: classify(text),
        }
    }

    #[test]
    fn linear_needs_two_agreeing_frames_and_dedups() {
        let mut a = Acceptor::default();
        let r = read("4006381333931", Symbology::Ean13);
        assert_eq!(a.offer(&r, 0), None);
        assert!(a.offer(&r, 33).is_some());
        assert_eq!(a.offer(&r, 66), None, "duplicate within 3 s");
        assert_eq!(a.offer(&r, 2900), None, "refreshed by the sighting at 66 ms");
        assert_eq!(a.offer(&read("5901234123457", Symbology::Code128), 3000), None);
        assert!(a.offer(&read("5901234123457", Symbology::Code128), 3033).is_some());
        // Long gone: the first code may fire again (after two frames).
        assert_eq!(a.offer(&r, 9000), None);
        assert!(a.offer(&r, 9033).is_some());
    }

    #[test]
    fn disagreeing_reads_never_accept() {
        let mut a = Acceptor::default();
        let x = read("4006381333931", Symbology::Ean13);
        let y = read("5901234123457", Symbology::Ean13);
        for i in 0..20 {
            let r = if i % 2 == 0 { &x } else { &y };
            assert_eq!(a.offer(r, i * 33), None);
        }
    }

    #[test]
    fn qr_accepts_on_one_frame_refused_reads_ignored() {
        let mut a = Acceptor::default();
        let url =
            "https://diia.app/documents/id-card/42/verify/0f1e2d3c-4b5a-4978-8abc-def012345678";
        assert!(a.offer(&read(url, Symbology::Qr), 0).is_some());
        assert_eq!(a.offer(&read("4006381333932", Symbology::Ean13), 10), None);
        assert_eq!(a.offer(&read("4006381333932", Symbology::Ean13), 20), None);
    }

    #[test]
    fn mailbox_keeps_only_newest() {
        let m = Mailbox::default();
        for s in 0..5 {
            m.put(Frame::new(1, 1, vec![0], s, s).expect("1x1"));
        }
        assert_eq!(m.take().map(|f| f.seq), Some(4));
        m.close();
        assert_eq!(m.take(), None);
    }

    #[test]
    fn preview_downscales_and_encodes() {
        let f = Frame::new(1280, 720, vec![100; 1280 * 720], 0, 0).expect("size");
        let k = preview_factor(1280, 480);
        assert_eq!(k, 3);
        let (w, h, png) = make_preview(&f, k).expect("preview");
        assert_eq!((w, h), (426, 240));
        assert_eq!(&png[1..4], b"PNG");
    }
}
