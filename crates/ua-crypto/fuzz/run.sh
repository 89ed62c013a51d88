#!/usr/bin/env bash
# Fuzzes ua-crypto's parsers: writes seed corpora from the published samples (fuzz_seeds
# example), then runs each cargo-fuzz target for SECONDS (default 300) and prints libFuzzer's
# last status line per target. A finding stops the run with libFuzzer's report and a crash file
# under fuzz/artifacts/<target>/.
#
#   crates/ua-crypto/fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs the nightly toolchain (rustup) and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
FUZZ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$FUZZ/../../.." && pwd)"
SECONDS_EACH="${1:-300}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(envelope signed certificate container)

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz --locked" >&2; exit 1; }
(cd "$ROOT" && cargo run -q -p ua-crypto --example fuzz_seeds -- "$FUZZ/corpus")

cd "$FUZZ/.."
for target in "${TARGETS[@]}"; do
  log="$FUZZ/artifacts/$target.log"
  mkdir -p "$FUZZ/artifacts/$target"
  start=$SECONDS
  if ! cargo +nightly fuzz run "$target" "$FUZZ/corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
      >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $target: FINDING (log $log)" >&2
    exit 1
  fi
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+' || true)
  echo "fuzz $target: $((SECONDS - start)) s, ${runs:-?} executions, ${cov:-cov: ?}, no finding"
done
