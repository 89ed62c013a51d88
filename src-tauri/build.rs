//! Build script: lets tauri-build embed the config, capabilities and the built UI.

fn main() {
    tauri_build::build();
}
