#!/usr/bin/env bash
# End-to-end load benchmark: carepost next to stock Postfix, same load, same sink, same run.
#
#   sudo bench/run.sh            full matrix (1 KB / 20 KB / 200 KB x 1 / 10 / 50 sessions),
#                                modes sink,tls,ext; ~15-25 min on an idle 2-core machine
#   sudo QUICK=1 bench/run.sh    smoke run with tiny counts (~3-5 min)
#
# Modes (see bench/postfix-anchor/README.md):
#   sink  smtp-source -> smtp-sink                      (ceiling of the load tools)
#   tls   smtp-source -> Postfix relay -> STARTTLS (encrypt, unverified) -> tlssink -> smtp-sink
#   ext   smtp-source -> carepost (trusted 127.0.0.1, plain in) -> STARTTLS, certificate
#         VERIFIED against the tlssink test CA -> tlssink -> smtp-sink
#
# Writes bench/results/bench-<UTC stamp>.jsonl (raw runs) and .md (tables), and links
# bench/results/latest.md. Knobs: QUICK=1, SKIP_BUILD=1, MODES, SIZES, SESSIONS, COUNTS,
# BUDGET, RUN_TIMEOUT, QUIET_WAIT, QUIET_BUDGET, REPASS_BUDGET, EXT_PORT (default 2600),
# plus everything run_anchor.sh reads. Needs root (Postfix instances, smtp-sink -u postfix).
# Every run is bounded in count and time; everything started is stopped on exit.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
say() { echo "[bench $(date +%H:%M:%S)] $*"; }
[ "$(id -u)" = 0 ] || { echo "run as root (Postfix instances, smtp-sink -u postfix)"; exit 1; }
export PATH="$PATH:/usr/sbin:/sbin"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$HERE/results"
mkdir -p "$RESULTS"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "building carepost (release)"
  (cd "$ROOT" && cargo build --release -p carepost)
fi
export CAREPOST_BIN="${CAREPOST_BIN:-$ROOT/target/release/carepost}"
[ -x "$CAREPOST_BIN" ] || { say "no carepost binary at $CAREPOST_BIN"; exit 1; }

export MODES="${MODES:-sink,tls,ext}"
export EXT_DIR="$RESULTS/carepost-ext-$STAMP"
export EXT_START="$HERE/carepost-ext.sh start"
export EXT_STOP="$HERE/carepost-ext.sh stop"
export EXT_PENDING_CMD="$HERE/carepost-ext.sh pending"
export OUT="$RESULTS/bench-$STAMP.jsonl"
export REPORT="$RESULTS/bench-$STAMP.md"
if [ "${QUICK:-0}" = 1 ]; then
  export QUICK=1
  # A smoke run should not sit waiting for other sessions' builds to finish.
  export QUIET_WAIT="${QUIET_WAIT:-5}" QUIET_BUDGET="${QUIET_BUDGET:-60}" REPASS_BUDGET="${REPASS_BUDGET:-0}"
  export BUDGET="${BUDGET:-300}" RUN_TIMEOUT="${RUN_TIMEOUT:-60}"
fi

say "modes=$MODES quick=${QUICK:-0}; results -> $OUT, $REPORT"
(cd "$HERE/postfix-anchor" && ./run_anchor.sh)
ln -sfn "$(basename "$REPORT")" "$RESULTS/latest.md"
ln -sfn "$(basename "$OUT")" "$RESULTS/latest.jsonl"
say "done: $REPORT"
sed -n '/^## Summary/,/^## /p' "$REPORT" | sed '$d'
