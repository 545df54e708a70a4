#!/usr/bin/env bash
# Anchor benchmark: how fast stock Postfix relays mail on this machine,
# measured with Postfix's own load tools (smtp-source, smtp-sink).
# All traffic is on 127.0.0.1; every run is bounded in count and time;
# the script stops everything it started when it exits.
#
# Usage:  sudo ./run_anchor.sh            (full bench: ~9-10 min on an idle machine;
#                                          longer while other processes keep it busy)
#         QUICK=1 ./run_anchor.sh         (tiny counts, smoke test)
# Knobs (environment): MODES SIZES SESSIONS COUNTS BUDGET RUN_TIMEOUT OUT REPORT
#   INSTALL QUIET_WAIT QUIET_BUDGET REPASS_BUDGET CASES (e.g. tls:20k:10,plain:1k:1),
#   ACCUMULATE=1 (keep earlier passes, report medians over all of them),
#   and EXT_PORT EXT_PID EXT_NAME for MODES=...,ext
# Added for carepost (bench/run.sh): EXT_START (command run after both instances are up, with
#   TLS_CONF exported; it must print shell assignments EXT_PORT=.. EXT_PID=.. [EXT_NAME=..]),
#   EXT_STOP (command run at exit), EXT_PENDING_CMD (prints how many messages the gateway still
#   has to deliver; bench.py drains on it before each ext run).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"

MODES=${MODES:-sink,plain,tls,tlsreuse,plainhop}
SIZES=${SIZES:-1k,20k,200k}
SESSIONS=${SESSIONS:-1,10,50}
# Message counts: mode:size[:sessions]=N, '*' = any relay mode. The first
# match wins in the order mode:size:sess, mode:size, *:size:sess, *:size.
COUNTS_FULL='sink:1k=20000,sink:20k=20000,sink:200k=5000,*:1k:1=1000,*:20k:1=1000,*:200k:1=500,*:1k=3000,*:20k=3000,*:200k=1000'
COUNTS_QUICK='sink:1k=500,sink:20k=500,sink:200k=200,*:1k=200,*:20k=200,*:200k=100'
if [ "${QUICK:-0}" = 1 ]; then COUNTS=${COUNTS:-$COUNTS_QUICK}; else COUNTS=${COUNTS:-$COUNTS_FULL}; fi
BUDGET=${BUDGET:-840}          # seconds of measured runs before the rest is skipped
RUN_TIMEOUT=${RUN_TIMEOUT:-90} # seconds per run
OUT=${OUT:-results/anchor.jsonl}
INSTALL=${INSTALL:-1}

# Two Postfix instances, laid out like postmulti would (standard FHS paths).
RELAY_CONF=/etc/postfix-bench-relay
RELAY_Q=/var/spool/postfix-bench-relay
RELAY_DATA=/var/lib/postfix-bench-relay
RELAY_LOG=/var/log/postfix-bench-relay.log
TLS_CONF=/etc/postfix-bench-tlssink
TLS_Q=/var/spool/postfix-bench-tlssink
TLS_DATA=/var/lib/postfix-bench-tlssink
TLS_LOG=/var/log/postfix-bench-tlssink.log
PORTS="2525 2526 2527 2528"

say() { echo "[$(date +%H:%M:%S)] $*"; }

[ "$(id -u)" = 0 ] || { echo "run as root (Postfix instances, smtp-sink -u postfix)"; exit 1; }

install_pkgs() {
  if command -v postfix >/dev/null && command -v smtp-source >/dev/null && command -v swaks >/dev/null \
     && command -v openssl >/dev/null; then
    return
  fi
  say "installing postfix (no configuration), swaks, openssl from Debian"
  apt-get update -qq
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix swaks openssl >/dev/null
}

stop_instance() { # conf-dir
  if [ -f "$1/main.cf" ] && postfix -c "$1" status >/dev/null 2>&1; then
    postfix -c "$1" stop >/dev/null 2>&1 || true
  fi
}

WORK=""
teardown() {
  if [ -n "${EXT_STOP:-}" ]; then $EXT_STOP || true; fi
  stop_instance "$RELAY_CONF"
  stop_instance "$TLS_CONF"
  [ -n "$WORK" ] && rm -rf "$WORK"
  say "stopped both Postfix instances"
}

setup_instance() { # name conf queue data log
  local name=$1 conf=$2 q=$3 data=$4 logf=$5
  stop_instance "$conf"
  install -d -m 755 "$conf"
  install -m 644 "conf/$name.main.cf" "$conf/main.cf"
  install -m 644 "conf/$name.master.cf" "$conf/master.cf"
  postconf -c "$conf" -e "queue_directory=$q" "data_directory=$data" "maillog_file=$logf"
  install -d -m 755 "$q"
  install -d -m 700 -o postfix "$data"
  : > "$logf"
  postfix -c "$conf" check
}

[ "$INSTALL" = 1 ] && install_pkgs

stop_instance "$RELAY_CONF"; stop_instance "$TLS_CONF"   # leftovers of an earlier run of this script
for p in $PORTS; do
  if ss -Hltn "sport = :$p" | grep -q .; then
    echo "port $p on this machine is already in use; stop that listener first"; exit 1
  fi
done

trap teardown EXIT INT TERM
WORK=$(mktemp -d)
chmod 755 "$WORK"

say "setting up relay instance ($RELAY_CONF) and TLS-terminating sink front ($TLS_CONF)"
setup_instance relay "$RELAY_CONF" "$RELAY_Q" "$RELAY_DATA" "$RELAY_LOG"
setup_instance tlssink "$TLS_CONF" "$TLS_Q" "$TLS_DATA" "$TLS_LOG"
if [ ! -s "$TLS_CONF/ca.pem" ]; then
  # A test CA and a leaf for 127.0.0.1 / localhost, so a relay under test can VERIFY the next hop
  # by trusting $TLS_CONF/ca.pem (as carepost's [delivery] extra_ca_file) with a route to 127.0.0.1:2527.
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=bench test CA" \
    -keyout "$TLS_CONF/ca.key" -out "$TLS_CONF/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=tlssink.bench.test" \
    -keyout "$TLS_CONF/key.pem" -out "$TLS_CONF/leaf.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:tlssink.bench.test\n' > "$TLS_CONF/leaf.ext"
  openssl x509 -req -in "$TLS_CONF/leaf.csr" -CA "$TLS_CONF/ca.pem" -CAkey "$TLS_CONF/ca.key" \
    -CAcreateserial -days 365 -extfile "$TLS_CONF/leaf.ext" -out "$TLS_CONF/cert.pem" 2>/dev/null
  chmod 600 "$TLS_CONF/key.pem" "$TLS_CONF/ca.key"
fi
postconf -c "$TLS_CONF" -e "smtpd_tls_cert_file=$TLS_CONF/cert.pem" "smtpd_tls_key_file=$TLS_CONF/key.pem"
postfix -c "$RELAY_CONF" start 2>/dev/null
postfix -c "$TLS_CONF" start 2>/dev/null
sleep 1

# Smoke test with swaks: one message through the relay with STARTTLS on the
# outbound hop, counted by a short-lived smtp-sink.
say "swaks smoke test: relay -> STARTTLS -> tlssink -> smtp-sink"
postconf -c "$RELAY_CONF" -e "relayhost=[127.0.0.1]:2527" "smtp_tls_security_level=encrypt"
postfix -c "$RELAY_CONF" reload 2>/dev/null
timeout 20 smtp-sink -u postfix -c 127.0.0.1:2526 16 > "$WORK/smoke.out" 2>/dev/null &
SMOKE_PID=$!
sleep 0.5
timeout 20 swaks --server 127.0.0.1 --port 2525 --from sender@origin.bench.test \
  --to rcpt@dest.bench.test --header "Subject: anchor smoke" --body "hello" >/dev/null
for _ in $(seq 1 100); do
  grep -q 'mesg=1' "$WORK/smoke.out" 2>/dev/null && break; sleep 0.1
done
sleep 2.5
kill "$SMOKE_PID" 2>/dev/null || true
wait "$SMOKE_PID" 2>/dev/null || true
if grep -q 'mesg=1' "$WORK/smoke.out" && grep -q 'TLS connection established to' "$RELAY_LOG"; then
  say "smoke test ok: $(grep -o 'TLS connection established to.*' "$RELAY_LOG" | head -1 | sed 's/.*: TLS/TLS/')"
else
  say "smoke test FAILED"; tail -20 "$RELAY_LOG"; exit 1
fi

if [ -n "${EXT_START:-}" ]; then
  say "starting the relay under test: $EXT_START"
  export TLS_CONF
  EXT_ENV="$($EXT_START)" || { say "EXT_START failed"; exit 1; }
  eval "$EXT_ENV"
  { [ -n "${EXT_PORT:-}" ] && [ -n "${EXT_PID:-}" ]; } || { say "EXT_START did not print EXT_PORT/EXT_PID"; exit 1; }
  say "relay under test: ${EXT_NAME:-gateway} pid $EXT_PID on 127.0.0.1:$EXT_PORT"
  # Same smoke test through it: plain SMTP in (like smtp-source), STARTTLS to tlssink out.
  : > "$WORK/smoke-ext.out"
  tls_before=$(grep -c 'TLS connection established from' "$TLS_LOG" || true)
  timeout 60 smtp-sink -u postfix -c 127.0.0.1:2526 16 > "$WORK/smoke-ext.out" 2>/dev/null &
  SMOKE_PID=$!
  sleep 0.5
  timeout 30 swaks --server 127.0.0.1 --port "$EXT_PORT" --from sender@origin.bench.test \
    --to rcpt@dest.bench.test --header "Subject: ext smoke" --body "hello" >"$WORK/swaks-ext.out" 2>&1 \
    || { say "ext smoke: swaks was refused:"; tail -5 "$WORK/swaks-ext.out"; }
  for _ in $(seq 1 300); do
    grep -q 'mesg=1' "$WORK/smoke-ext.out" 2>/dev/null && break; sleep 0.1
  done
  sleep 1
  kill "$SMOKE_PID" 2>/dev/null || true
  wait "$SMOKE_PID" 2>/dev/null || true
  tls_after=$(grep -c 'TLS connection established from' "$TLS_LOG" || true)
  if grep -q 'mesg=1' "$WORK/smoke-ext.out" && [ "$tls_after" -gt "$tls_before" ]; then
    say "ext smoke test ok: ${EXT_NAME:-gateway} -> STARTTLS -> tlssink -> smtp-sink"
  else
    say "ext smoke test FAILED (sink: $(tr '\r' '\n' < "$WORK/smoke-ext.out" | tail -1); TLS sessions at tlssink: $tls_before -> $tls_after)"
    exit 1
  fi
fi

mkdir -p "$(dirname "$OUT")"
# A default pass starts a new result set. ACCUMULATE=1 keeps the earlier passes
# instead (results/earlier/*.jsonl) and reports the median over all of them:
# only do that on the same machine and configuration.
if [ "$OUT" = results/anchor.jsonl ]; then
  if [ "${ACCUMULATE:-0}" = 1 ]; then
    mkdir -p results/earlier
    [ -f results/anchor.jsonl ] && mv results/anchor.jsonl "results/earlier/pass-$(date -u +%Y%m%dT%H%M%S).jsonl"
    for f in results/anchor-rerun*.jsonl; do [ -f "$f" ] && mv "$f" results/earlier/; done
  else
    rm -f results/anchor-rerun*.jsonl
  fi
fi
say "running bench: modes=$MODES sizes=$SIZES sessions=$SESSIONS budget=${BUDGET}s"
python3 bench.py --relay-conf "$RELAY_CONF" --relay-queue "$RELAY_Q" --relay-log "$RELAY_LOG" \
  --tlssink-queue "$TLS_Q" --tlssink-log "$TLS_LOG" --workdir "$WORK" --out "$OUT" \
  --modes "$MODES" --sizes "$SIZES" --sessions "$SESSIONS" --counts "$COUNTS" \
  --budget "$BUDGET" --run-timeout "$RUN_TIMEOUT" \
  --quiet-wait "${QUIET_WAIT:-120}" --quiet-budget "${QUIET_BUDGET:-600}" \
  --repass-budget "${REPASS_BUDGET:-600}" --cases "${CASES:-}" \
  --ext-port "${EXT_PORT:-0}" --ext-pid "${EXT_PID:-0}" --ext-name "${EXT_NAME:-gateway}" \
  --ext-pending-cmd "${EXT_PENDING_CMD:-}"

# The report merges the main pass with any re-measure passes written as
# results/anchor-rerun*.jsonl (OUT=results/anchor-rerun-1.jsonl MODES=... ./run_anchor.sh).
EARLIER=()
[ "${ACCUMULATE:-0}" = 1 ] && EARLIER=($(ls results/earlier/*.jsonl 2>/dev/null | sort -V || true))
if [ "$OUT" = results/anchor.jsonl ]; then
  INPUTS=("${EARLIER[@]}" results/anchor.jsonl)
elif [[ "$OUT" == results/anchor-rerun* ]]; then
  INPUTS=("${EARLIER[@]}" results/anchor.jsonl $(ls results/anchor-rerun*.jsonl 2>/dev/null | sort -V || true))
  [ -f results/anchor.jsonl ] || INPUTS=("$OUT")
else
  # A result file of its own (e.g. bench/run.sh): report just that pass.
  INPUTS=("$OUT")
fi
python3 report.py "${INPUTS[@]}" > "${REPORT:-results.md}"
say "wrote $OUT and ${REPORT:-results.md} (from ${INPUTS[*]})"
