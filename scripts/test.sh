#!/usr/bin/env bash
# THE test command of carepost (see docs/TESTING.md).
#
#   scripts/test.sh            fmt check, clippy (-D warnings), cargo test --workspace
#
# Interop tests (real Postfix / swaks / Python smtplib peers on loopback) run when
# CAREPOST_INTEROP=1. If CAREPOST_INTEROP is unset, this script enables them by itself
# when the peers are installed and we are root (private Postfix instances need root);
# CAREPOST_INTEROP=0 turns them off explicitly.
#
# Environment knobs:
#   CAREPOST_INTEROP=0|1     see above
#   TEST_DATABASE_URL=...    PostgreSQL for the storage conformance / story tests (CI sets it)
#   KEEP_TEST_DIRS=1         keep each integration test's temp dir (printed) for inspection
#   SKIP_FMT=1 SKIP_CLIPPY=1 skip a step (dev machines only; CI runs everything)
#   CARGO_TEST_ARGS="..."    extra arguments for `cargo test` (e.g. "-p carepost")
#
# Every step runs even if an earlier one failed; the summary lists each step's result and
# the exit status is non-zero if any step failed.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

say() { echo "[test.sh $(date +%H:%M:%S)] $*"; }

# ---------------------------------------------------------------- interop peers
peers_missing() {
  local missing=()
  for tool in postfix postconf smtp-sink smtp-source swaks openssl python3 curl rsyslogd \
              chromium node certutil; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
  done
  compgen -G "/usr/lib/*/rsyslog/lmnsd_gtls.so" >/dev/null || missing+=("rsyslog-gnutls")
  [ -d "$HERE/../tests/browser/node_modules/playwright-core" ] || missing+=("tests/browser (npm ci)")
  [ -d "$HERE/../tests/oidc/node_modules/oidc-provider" ] || missing+=("tests/oidc (npm ci)")
  [ "$(id -u)" = 0 ] || missing+=("root (private Postfix instances are started with 'postfix -c DIR start')")
  echo "${missing[*]:-}"
}

# On a fresh machine, as root: install and start what the tests need (idempotent).
if [ "$(id -u)" = 0 ] && [ "${CAREPOST_INTEROP:-}" != 0 ] \
   && { [ -n "$(peers_missing)" ] || [ -z "${TEST_DATABASE_URL:-}" ]; }; then
  say "setting up test peers and PostgreSQL (scripts/setup-peers.sh)"
  if PEERS_OUT=$("$HERE/setup-peers.sh"); then
    eval "$(grep '^export TEST_DATABASE_URL=' <<<"$PEERS_OUT")"
  else
    echo "$PEERS_OUT"
    say "scripts/setup-peers.sh failed; continuing with what is installed"
  fi
fi

MISSING="$(peers_missing)"
if [ -z "${CAREPOST_INTEROP:-}" ]; then
  if [ -z "$MISSING" ]; then
    export CAREPOST_INTEROP=1
    INTEROP_NOTE="enabled (peers found; set CAREPOST_INTEROP=0 to skip)"
  else
    export CAREPOST_INTEROP=0
    INTEROP_NOTE="DISABLED: missing $MISSING"
  fi
elif [ "$CAREPOST_INTEROP" = 1 ]; then
  if [ -n "$MISSING" ]; then
    say "CAREPOST_INTEROP=1 but the interop peers are not usable: missing $MISSING"
    say "install them (see docs/TESTING.md) or run with CAREPOST_INTEROP=0"
    exit 2
  fi
  INTEROP_NOTE="enabled (CAREPOST_INTEROP=1)"
else
  INTEROP_NOTE="disabled (CAREPOST_INTEROP=$CAREPOST_INTEROP)"
fi
# smtp-sink/smtp-source/postfix live in /usr/sbin, which is not on every user's PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac

# In CI the lock file must be up to date; on a dev machine cargo may update it.
LOCKED=()
[ "${CI:-}" = true ] && LOCKED=(--locked)
# A clean clone gains nothing from incremental compilation, and its caches roughly double
# the size of target/ (a CI run on a nearly full disk once died of it mid-link).
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"; fi
say "disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free where target/ is built"

# ---------------------------------------------------------------- steps
LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/carepost-test.XXXXXX")"
NAMES=()
RESULTS=()
TIMES=()
step() { # name, command...  (output also goes to $LOGDIR/<name>.log)
  local name=$1; shift
  say "== $name: $*"
  local t0=$SECONDS rc
  "$@" 2>&1 | tee "$LOGDIR/$name.log"
  rc=${PIPESTATUS[0]}
  NAMES+=("$name"); RESULTS+=("$rc"); TIMES+=("$((SECONDS - t0))")
  if [ "$rc" = 0 ]; then say "== $name: ok"; else say "== $name: FAILED (exit $rc)"; fi
  return 0
}

tool_ok() { # cargo subcommand
  cargo "$1" --version >/dev/null 2>&1 && return 0
  say "cargo $1 is not installed; trying 'rustup component add'"
  rustup component add "$( [ "$1" = fmt ] && echo rustfmt || echo "$1")" >/dev/null 2>&1 \
    && cargo "$1" --version >/dev/null 2>&1
}

say "interop tests: $INTEROP_NOTE"
say "TEST_DATABASE_URL: $([ -n "${TEST_DATABASE_URL:-}" ] && echo set || echo 'unset (PostgreSQL tests skip)')"

if [ "${SKIP_FMT:-0}" != 1 ] || [ "${CI:-}" = true ]; then
  if tool_ok fmt; then step "fmt" cargo fmt --all -- --check
  else NAMES+=(fmt); RESULTS+=(127); TIMES+=(0); say "== fmt: rustfmt unavailable"; fi
fi
if [ "${SKIP_CLIPPY:-0}" != 1 ] || [ "${CI:-}" = true ]; then
  if tool_ok clippy; then
    step "clippy" cargo clippy "${LOCKED[@]}" --workspace --all-targets -- -D warnings
  else NAMES+=(clippy); RESULTS+=(127); TIMES+=(0); say "== clippy: clippy unavailable"; fi
fi
step "licences" python3 scripts/check_licences.py
step "layering" scripts/check_layering.sh
# --no-fail-fast: run every test binary even if an earlier one failed, so the summary is
# complete. CARGO_TEST_ARGS is a word list on purpose.
# shellcheck disable=SC2086
step "test" cargo test "${LOCKED[@]}" --workspace --no-fail-fast ${CARGO_TEST_ARGS:-}
LOG="$LOGDIR/test.log"

# ---------------------------------------------------------------- summary
passed=0; failed=0; ignored=0
while read -r p f i; do
  passed=$((passed + p)); failed=$((failed + f)); ignored=$((ignored + i))
done < <(sed -n 's/.*test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored.*/\1 \2 \3/p' "$LOG")

echo
echo "================================ carepost test summary ================================"
overall=0
for i in "${!NAMES[@]}"; do
  if [ "${RESULTS[$i]}" = 0 ]; then r=ok; else r="FAILED (exit ${RESULTS[$i]})"; overall=1; fi
  printf '  %-8s %-22s %5ss\n' "${NAMES[$i]}" "$r" "${TIMES[$i]}"
  if [ "${RESULTS[$i]}" != 0 ] && [ -f "$LOGDIR/${NAMES[$i]}.log" ]; then
    # The first problems, so the summary alone says what to look at.
    grep -E '^(error(\[E[0-9]+\])?:|Diff in )' "$LOGDIR/${NAMES[$i]}.log" | sed -E 's/^(Diff in [^:]+):[0-9]+:.*/\1/' | sort | uniq -c | sort -rn \
      | head -5 | sed 's/^/             /'
    grep -E '^ *--> ' "$LOGDIR/${NAMES[$i]}.log" | head -3 | sed 's/^/             /'
  fi
done
echo "tests: $passed passed, $failed failed, $ignored skipped"
if grep -q '^failures:$' "$LOG"; then
  echo "  failed tests:"
  # The second "failures:" block of each test binary lists the failed test names.
  awk '/^failures:$/{n++; next} /^test result:/{n=0} n>=2 && /^    /{print "    " $1}' "$LOG" | sort -u
fi
echo "  interop: $INTEROP_NOTE"
echo "  logs:    $LOGDIR/{$(IFS=,; echo "${NAMES[*]}")}.log"
echo "======================================================================================="
exit "$overall"
