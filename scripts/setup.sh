#!/usr/bin/env bash
# Installs what building, running and testing Vikno needs on Debian 12, and nothing more.
# Idempotent: a second run only checks. Works as root (CI) and as a user with sudo.
# Everything comes from Debian's archive, crates.io or the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: WebKitGTK 4.1 (Tauri v2), its WebDriver and Xvfb (end-to-end tests), xdotool
# (scanner simulation), libclang (nokhwa's bindgen), gnome-keyring + keyutils (keychain tests),
# libudev (serial ports), imagemagick (screenshots), poppler-utils (PDF checks), fonts.
PACKAGES=(
  build-essential pkg-config libssl-dev curl dbus dbus-daemon
  libwebkit2gtk-4.1-dev webkit2gtk-driver xvfb xauth xdotool imagemagick
  libclang1-14 gnome-keyring keyutils libsecret-tools libudev-dev
  poppler-utils fonts-dejavu-core
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all present"
fi

command -v cargo >/dev/null || { say "cargo not found: install the Rust toolchain (1.95) first"; exit 1; }
command -v npm >/dev/null || { say "npm not found: install Node.js 20 first"; exit 1; }

# UI dependencies, exactly as locked. Re-run only when the lockfile changed.
stamp=ui/node_modules/.vikno-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  say "npm ci (ui/)"
  (cd ui && npm ci --no-audit --no-fund)
  cp ui/package-lock.json "$stamp"
else
  say "UI dependencies: up to date"
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests. Pin v2: crates.io
# also serves a 3.0 alpha.
if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "cargo install tauri-driver (v2)"
  cargo install tauri-driver --version '^2' --locked
else
  say "tauri-driver: present"
fi
say "done"
