//! Tauri commands: each a few lines that take state, call a library crate and convert its error.

pub(crate) mod app;
pub(crate) mod code;
