//! Where camera frames come from: the `FrameSource` trait, the 8-bit luma `Frame`, and the file /
//! in-memory sources used by tests and the benchmark. The real webcam lives in `native.rs`.

use std::path::{Path, PathBuf};

/// One 8-bit greyscale frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major luma, `width * height` bytes.
    pub luma: Vec<u8>,
    /// Frame number from the source, increasing.
    pub seq: u64,
    /// Capture time in ms on the source's clock (real or simulated).
    pub at_ms: u64,
}

impl Frame {
    /// Build a frame, checking the buffer size.
    pub fn new(
        width: u32,
        height: u32,
        luma: Vec<u8>,
        seq: u64,
        at_ms: u64,
    ) -> Result<Self, FrameError> {
        let expected = width as usize * height as usize;
        if width == 0 || height == 0 || luma.len() != expected {
            return Err(FrameError::BadSize { width, height, len: luma.len() });
        }
        Ok(Frame { width, height, luma, seq, at_ms })
    }
}

/// Frame source failures. "No camera" is an ordinary state the UI shows, not a crash.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// No camera is attached (or none matches the request).
    #[error("no camera found")]
    NoCamera,
    /// The camera exists but failed (busy, unplugged, driver error).
    #[error("camera error: {0}")]
    Camera(String),
    /// A frame file could not be read or decoded.
    #[error("cannot read frame file {path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A buffer does not match its declared size.
    #[error("frame buffer of {len} bytes does not match {width}x{height}")]
    BadSize {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// Actual buffer length.
        len: usize,
    },
}

/// Anything that yields frames: a webcam, files, a generated sequence.
pub trait FrameSource {
    /// The next frame; `Ok(None)` at the end of a finite source. A live camera blocks until its
    /// next frame is ready.
    fn next_frame(&mut self) -> Result<Option<Frame>, FrameError>;
}

/// Load one PNG (any colour type) as 8-bit luma.
pub fn load_png_luma(path: &Path) -> Result<(u32, u32, Vec<u8>), FrameError> {
    let err = |reason: String| FrameError::File { path: path.to_owned(), reason };
    let img = image::ImageReader::open(path)
        .map_err(|e| err(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?
        .decode()
        .map_err(|e| err(e.to_string()))?;
    let g = img.into_luma8();
    Ok((g.width(), g.height(), g.into_raw()))
}

/// List `*.png` files of a directory, sorted by name.
pub fn png_files(dir: &Path) -> Result<Vec<PathBuf>, FrameError> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| FrameError::File { path: dir.to_owned(), reason: e.to_string() })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("png")))
        .collect();
    files.sort();
    Ok(files)
}

/// Frames read from a list of PNG files, one per call, timestamps spaced by `interval_ms`.
#[derive(Debug, Clone)]
pub struct FileSource {
    files: Vec<PathBuf>,
    next: usize,
    interval_ms: u64,
}

impl FileSource {
    /// Source over the given files (in order), `interval_ms` apart on the frame clock.
    pub fn new(files: Vec<PathBuf>, interval_ms: u64) -> Self {
        FileSource { files, next: 0, interval_ms }
    }

    /// Source over all `*.png` of a directory, sorted by name.
    pub fn from_dir(dir: &Path, interval_ms: u64) -> Result<Self, FrameError> {
        Ok(Self::new(png_files(dir)?, interval_ms))
    }
}

impl FrameSource for FileSource {
    fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        let Some(path) = self.files.get(self.next) else { return Ok(None) };
        let (w, h, luma) = load_png_luma(path)?;
        let seq = self.next as u64;
        self.next += 1;
        Frame::new(w, h, luma, seq, seq * self.interval_ms).map(Some)
    }
}

/// How a [`SequenceSource`] paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// Return frames immediately; only the timestamps follow the frame rate (simulated clock).
    Simulated,
    /// Sleep so frames come out at the frame rate in wall-clock time (like a camera).
    RealTime,
}

/// An in-memory sequence of luma frames at a fixed frame rate.
#[derive(Debug, Clone)]
pub struct SequenceSource {
    frames: Vec<(u32, u32, Vec<u8>)>,
    next: usize,
    fps: f64,
    pacing: Pacing,
    started: Option<std::time::Instant>,
}

impl SequenceSource {
    /// A sequence from `(width, height, luma)` triples played at `fps`.
    pub fn new(frames: Vec<(u32, u32, Vec<u8>)>, fps: f64, pacing: Pacing) -> Self {
        SequenceSource { frames, next: 0, fps: fps.max(0.001), pacing, started: None }
    }

    /// A sequence of all `*.png` files of a directory (sorted by name).
    pub fn from_dir(dir: &Path, fps: f64, pacing: Pacing) -> Result<Self, FrameError> {
        let frames =
            png_files(dir)?.iter().map(|p| load_png_luma(p)).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(frames, fps, pacing))
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// True when the sequence has no frames.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Capture time of frame `i` on the sequence clock, in ms.
    pub fn time_of(&self, i: usize) -> u64 {
        (i as f64 * 1000.0 / self.fps).round() as u64
    }
}

impl FrameSource for SequenceSource {
    fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        let i = self.next;
        let Some((w, h, luma)) = self.frames.get(i) else { return Ok(None) };
        let at_ms = self.time_of(i);
        if self.pacing == Pacing::RealTime {
            let start = *self.started.get_or_insert_with(std::time::Instant::now);
            let due = std::time::Duration::from_millis(at_ms);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        self.next += 1;
        Frame::new(*w, *h, luma.clone(), i as u64, at_ms).map(Some)
    }
}
