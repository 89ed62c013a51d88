//! The IPC commands, grouped by screen; each is a few lines over vikno-core.

pub(crate) mod app;
pub(crate) mod code;
pub(crate) mod desk;
pub(crate) mod documents;
pub(crate) mod phone;
pub(crate) mod scanner;
pub(crate) mod settings;
