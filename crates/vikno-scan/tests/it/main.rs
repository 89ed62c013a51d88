//! Integration tests for vikno-scan: the code rule (data-driven), wedge timing (property tests),
//! the serial reader against a pseudo-terminal (unplug + reconnect), and the camera pipeline over
//! frames rendered inside the test (no committed images).

mod camera;
mod code_rule;
mod serial;
mod wedge;
