//! Binary entry point of the Vikno desktop app; everything else lives in the library.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    vikno_app::run();
}
