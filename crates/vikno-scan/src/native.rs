//! The real webcam through nokhwa (V4L2 / Media Foundation / AVFoundation). Hardware-only: no
//! camera exists on the development or CI machines, so this is compile-tested and every failure is
//! an ordinary `FrameError`.

use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{ApiBackend, CameraIndex, RequestedFormat, RequestedFormatType, Resolution};

use crate::camera::{Frame, FrameError, FrameSource};

/// A camera the OS reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraDevice {
    /// Index to pass to [`NokhwaSource::open`].
    pub index: u32,
    /// Human-readable name.
    pub name: String,
}

/// List cameras; an empty list is the normal "no camera" state.
pub fn list_cameras() -> Result<Vec<CameraDevice>, FrameError> {
    let infos = nokhwa::query(ApiBackend::Auto).map_err(|e| FrameError::Camera(e.to_string()))?;
    Ok(infos
        .into_iter()
        .enumerate()
        .map(|(i, info)| CameraDevice {
            index: match info.index() {
                CameraIndex::Index(n) => *n,
                CameraIndex::String(_) => i as u32,
            },
            name: info.human_name(),
        })
        .collect())
}

/// A webcam delivering luma frames. Not `Send` on every platform: create it on the thread that
/// reads it (the camera worker takes a factory closure for that reason).
pub struct NokhwaSource {
    camera: nokhwa::Camera,
    seq: u64,
    started: std::time::Instant,
}

impl NokhwaSource {
    /// Open camera `index`, asking for the highest resolution of at least 1280×720 the camera
    /// offers (barcode.md §1/§5: ≥ 2 px per module needs 720p), and start streaming.
    pub fn open(index: u32) -> Result<Self, FrameError> {
        let cameras = list_cameras()?;
        if cameras.is_empty() {
            return Err(FrameError::NoCamera);
        }
        let want = RequestedFormat::new::<LumaFormat>(RequestedFormatType::HighestResolution(
            Resolution::new(1280, 720),
        ));
        let mut camera = nokhwa::Camera::new(CameraIndex::Index(index), want)
            .map_err(|e| FrameError::Camera(e.to_string()))?;
        camera.open_stream().map_err(|e| FrameError::Camera(e.to_string()))?;
        let res = camera.resolution();
        if res.width() < 1280 || res.height() < 720 {
            // FIXME: untested on hardware — a camera below 720p works but reads small codes badly.
            tracing::warn!(width = res.width(), height = res.height(), "camera below 1280x720");
        }
        Ok(NokhwaSource { camera, seq: 0, started: std::time::Instant::now() })
    }
}

impl FrameSource for NokhwaSource {
    fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        let buf = self.camera.frame().map_err(|e| FrameError::Camera(e.to_string()))?;
        let img =
            buf.decode_image::<LumaFormat>().map_err(|e| FrameError::Camera(e.to_string()))?;
        let (w, h) = (img.width(), img.height());
        let seq = self.seq;
        self.seq += 1;
        let at_ms = self.started.elapsed().as_millis() as u64;
        Frame::new(w, h, img.into_raw(), seq, at_ms).map(Some)
    }
}

impl Drop for NokhwaSource {
    fn drop(&mut self) {
        if let Err(e) = self.camera.stop_stream() {
            tracing::debug!(error = %e, "stopping camera stream failed");
        }
    }
}
