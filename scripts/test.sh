#!/usr/bin/env bash
# Command two: installs what is missing, then runs every check and test — formatting, lints, the
# dependency guard, the UI's typecheck/lint/tests, Rust unit and integration tests (with a real
# Secret Service), and the end-to-end tests in the real webview under Xvfb. Exits non-zero on any
# failure and prints how long each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export PATH="$HOME/.cargo/bin:$PATH"

declare -a TIMES=()
stage() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== stage: $name"
  "$@"
  local took=$((SECONDS - start))
  TIMES+=("$(printf '%-28s %5ss' "$name" "$took")")
  echo "=== stage: $name ok (${took}s)"
}
report() {
  echo "=== stage timings"
  for t in "${TIMES[@]}"; do echo "  $t"; done
}
trap report EXIT

guard_tauri() {
  # Only the shell (vikno) and the end-to-end crate (vikno-e2e) may depend on tauri.
  local bad=0 pkg
  for pkg in $(cargo metadata --no-deps --format-version 1 | python3 -c \
      'import json,sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["packages"]))'); do
    case $pkg in vikno|vikno-e2e) continue ;; esac
    if cargo tree -p "$pkg" -e normal,build,dev --prefix none --offline 2>/dev/null | grep -qE '^tauri v'; then
      echo "dependency guard: $pkg depends on tauri"; bad=1
    fi
  done
  return $bad
}

guard_markers() {
  # No todo!/unimplemented!/dbg! outside tests.
  local hits
  hits=$(git grep -nE '\b(todo|unimplemented|dbg)!\(' -- '*.rs' ':!tests/**' ':!**/tests/**' || true)
  if [ -n "$hits" ]; then echo "$hits"; return 1; fi
}

ui_checks() {
  (cd ui && npm run --silent check && npm run --silent lint && npm run --silent test && npm run --silent build)
}

with_keyring() {
  # A private D-Bus session with an unlocked gnome-keyring: a real Secret Service for the
  # keychain tests and for the app under test. Its keyring lives in a throw-away XDG_DATA_HOME,
  # so no real keyring is touched; HOME stays, so cargo sees the same environment as the build
  # stages and rebuilds nothing.
  local data
  data=$(mktemp -d)
  XDG_DATA_HOME="$data" dbus-run-session -- bash -c '
    set -euo pipefail
    echo -n vikno-ci | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
    "$@"
  ' with_keyring "$@"
}

rust_tests() {
  with_keyring env VIKNO_KEYRING_IT=1 cargo test --workspace --exclude vikno-e2e --locked
}

e2e_tests() {
  with_keyring xvfb-run -a -s "-screen 0 1280x800x24" \
    cargo test -p vikno-e2e --locked -- --test-threads=1
}

stage setup bash scripts/setup.sh
stage fmt cargo fmt --all --check
stage "dependency guard" guard_tauri
stage "marker guard" guard_markers
stage "ui check+lint+test+build" ui_checks
stage clippy cargo clippy --workspace --all-targets --locked -- -D warnings
stage "build app" cargo build --workspace --all-targets --locked
stage "unit+integration tests" rust_tests
stage "end-to-end tests" e2e_tests
echo "all checks and tests passed"
