#!/usr/bin/env bash
# Command one: installs what is missing, builds Vikno and starts it in sandbox mode (embedded Diia
# simulator and receiver on loopback; no credentials asked). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run build --silent)
cargo build -p vikno
export VIKNO_DATA_DIR="${VIKNO_DATA_DIR:-$PWD/.vikno-dev}"
echo "[run] data and logs in $VIKNO_DATA_DIR"
run_app() {
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "[run] no display: starting under Xvfb"
    exec xvfb-run -a -s "-screen 0 1280x800x24" "${CARGO_TARGET_DIR:-target}/debug/vikno" "$@"
  fi
  exec "${CARGO_TARGET_DIR:-target}/debug/vikno" "$@"
}
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # No desktop session, so no keychain: start a private one with gnome-keyring whose keyring
  # (holding the store's master key) lives beside the sandbox data. Sandbox use only; a real
  # workstation uses the desktop's own keychain.
  echo "[run] no D-Bus session: starting a private one with gnome-keyring"
  export XDG_DATA_HOME="$VIKNO_DATA_DIR/keyring"
  mkdir -p "$XDG_DATA_HOME"
  export -f run_app
  exec dbus-run-session -- bash -c '
    echo -n vikno-sandbox | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
    run_app "$@"
  ' run "$@"
fi
run_app "$@"
