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
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "[run] no display: starting under Xvfb (screen :99)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" target/debug/vikno "$@"
fi
exec target/debug/vikno "$@"
