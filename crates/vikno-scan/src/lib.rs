//! Reading the customer's code: the one code rule, keyboard-wedge framing, serial scanners, webcam decode.
//!
//! Every input path ends in [`classify`]: keyboard wedge ([`WedgeDetector`] + [`classify_wedge`]),
//! serial/CDC-ACM scanners ([`SerialScanner`]), the webcam ([`CameraWorker`] over a
//! [`FrameSource`]) and typed text. No Tauri here: plain types and channels for the shell to wire.

pub mod camera;
pub mod code;
pub mod decode;
pub mod live;
pub mod locate;
#[cfg(feature = "camera-native")]
pub mod native;
pub mod serial;
pub mod wedge;

pub use camera::{FileSource, Frame, FrameError, FrameSource, Pacing, SequenceSource};
pub use code::{Code, CodeError, ReadSnippet, classify, ean13_check_digit};
pub use decode::{EnhancedPass, Pass, Pipeline, PipelineConfig, Read, Symbology};
pub use live::{
    ACCEPT_FEEDBACK, AcceptConfig, Acceptance, Acceptor, CameraConfig, CameraEvent, CameraStatus,
    CameraWorker, Feedback, Outline, PreviewFrame, SimAcceptance, SimReport, simulate_live,
};
#[cfg(feature = "camera-native")]
pub use native::{CameraDevice, NokhwaSource, list_cameras};
pub use serial::{
    LineFramer, PortInfo, PortOpener, SerialConfig, SerialError, SerialEvent, SerialPortOpener,
    SerialScanner, SerialStatus, list_ports,
};
pub use wedge::{
    Key, KeyEvent, LayoutError, WedgeConfig, WedgeDetector, WedgeError, WedgeOutcome, WedgeScan,
    classify_wedge, recover_us_layout,
};
