//! The Vikno desktop shell: builds the Tauri app, registers state and commands.

/// Builds and runs the app until its window closes.
pub fn run() {}
