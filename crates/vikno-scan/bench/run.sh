#!/usr/bin/env bash
# vikno-scan benchmark: generates the synthetic corpus (never committed), runs decode-bench and the
# zxing-cpp / pyzbar peers over it, prints one side-by-side table, writes a combined CSV, then runs
# the live-time check on generated "phone moving into view" clips.
#
#   crates/vikno-scan/bench/run.sh            # full run (552 frames + 12 clips)
#   PER_CELL=4 NEGATIVES=8 CLIPS=6 crates/vikno-scan/bench/run.sh   # quick run
#
# Outputs under $BENCH_OUT (default target/bench-scan): corpus/, live/, vikno.csv, zxingcpp.csv,
# pyzbar.csv, combined.csv, live.csv, table.txt. The Python venv lives in target/bench-venv.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
GEN="${GEN_CORPUS:-$ROOT/../shared/tools/barcode-corpus/gen_corpus.py}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="${BENCH_OUT:-$ROOT/target/bench-scan}"
VENV="${BENCH_VENV:-$ROOT/target/bench-venv}"
PER_CELL="${PER_CELL:-16}"
NEGATIVES="${NEGATIVES:-24}"
SEED="${SEED:-20240613}"
CLIPS="${CLIPS:-12}"

[ -f "$GEN" ] || { echo "gen_corpus.py not found at $GEN (set GEN_CORPUS)" >&2; exit 1; }
mkdir -p "$OUT"

# pyzbar loads Debian's libzbar0 at import time; install it only if it is missing.
if ! dpkg-query -W -f='${Status}' libzbar0 2>/dev/null | grep -q 'install ok installed'; then
    echo "libzbar0 missing: installing it with apt-get" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y libzbar0; else sudo apt-get install -y libzbar0; fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check \
    python-barcode qrcode pillow numpy opencv-python-headless zxing-cpp pyzbar
PY="$VENV/bin/python"
"$PY" -c 'import zxingcpp, pyzbar, importlib.metadata as m; print("peers: zxing-cpp", m.version("zxing-cpp"), "/ pyzbar", m.version("pyzbar"))'

STAMP="seed=$SEED per_cell=$PER_CELL negatives=$NEGATIVES"
if [ "$(cat "$OUT/corpus/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$OUT/corpus"
    "$PY" "$GEN" --out "$OUT/corpus" --per-cell "$PER_CELL" --negatives "$NEGATIVES" --seed "$SEED"
    echo "$STAMP" > "$OUT/corpus/.stamp"
fi

(cd "$ROOT" && cargo build --release -q -p vikno-scan --bin decode-bench)
BENCH="$TARGET/release/decode-bench"

echo "decode-bench over $(ls "$OUT/corpus/img" | wc -l) frames..."
"$BENCH" --corpus "$OUT/corpus" --csv "$OUT/vikno.csv"
(cd "$HERE" && "$PY" peers.py --corpus "$OUT/corpus" --out-dir "$OUT")

"$PY" "$HERE/report.py" --truth "$OUT/corpus/truth.csv" \
    --decoder "vikno=$OUT/vikno.csv" --decoder "zxingcpp=$OUT/zxingcpp.csv" \
    --decoder "pyzbar=$OUT/pyzbar.csv" --combined "$OUT/combined.csv" | tee "$OUT/table.txt"

LSTAMP="seed=$SEED clips=$CLIPS"
if [ "$(cat "$OUT/live/.stamp" 2>/dev/null)" != "$LSTAMP" ]; then
    rm -rf "$OUT/live"
    "$PY" "$HERE/live_seq.py" --gen "$GEN" --out "$OUT/live" --clips "$CLIPS" --seed "$SEED"
    echo "$LSTAMP" > "$OUT/live/.stamp"
fi
"$BENCH" --live "$OUT/live" --fps 30 --csv "$OUT/live.csv" | tee -a "$OUT/table.txt"
