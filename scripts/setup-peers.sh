#!/usr/bin/env bash
# Installs and starts everything the tests need on a fresh Debian 12 machine (as root):
# Postfix (no configuration; the tests start private instances), swaks, openssl, python3,
# curl (HTTPS API tests), rsyslog with its TLS driver (the SIEM peer; the tests start
# private rsyslogd instances), Debian's chromium with certutil (portal tests in a real
# browser) and playwright-core from the npm registry (tests/browser, pinned by its
# package-lock.json), oidc-provider from the npm registry (tests/oidc, the OpenID provider
# peer of crates/sso, pinned by its package-lock.json), wrk (portal benchmark), and the
# PostgreSQL 15 server that the machine already has, with a `carepost` role.
# Idempotent. Prints the TEST_DATABASE_URL line to export. Called by scripts/test.sh (when
# root and something is missing) and by .ci/run.
set -euo pipefail
exec </dev/null
say() { echo "[setup-peers $(date +%H:%M:%S)] $*"; }
[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }

# ---------------------------------------------------------------- packages
say "apt-get update"
apt-get update -qq
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
say "installing postfix swaks openssl python3 curl rsyslog rsyslog-gnutls chromium libnss3-tools wrk"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix swaks openssl python3 curl \
  rsyslog rsyslog-gnutls chromium libnss3-tools wrk >/dev/null
# Node.js and npm come with the machine; Debian's packages are the fallback.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "installing nodejs npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
fi
ROOT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
say "installing tests/browser (playwright-core, from package-lock.json)"
(cd "$ROOT_DIR/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
say "installing tests/oidc (oidc-provider, the OpenID provider peer, from package-lock.json)"
(cd "$ROOT_DIR/tests/oidc" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- system Postfix off
# The tests start private Postfix instances (postfix -c DIR) on free loopback ports; the
# default system instance must not run (nor listen on :25).
if [ -f /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then
  say "stopping the default system Postfix instance"
  postfix stop >/dev/null 2>&1 || true
fi
if command -v service >/dev/null 2>&1; then service postfix stop >/dev/null 2>&1 || true; fi
for _ in $(seq 1 50); do
  ss -Hltn 'sport = :25' | grep -q . || break
  sleep 0.2
done
if ss -Hltn 'sport = :25' | grep -q .; then
  say "something still listens on port 25:"; ss -Hltnp 'sport = :25' || true
  exit 1
fi

# ---------------------------------------------------------------- PostgreSQL 15
if ! pg_lsclusters -h 2>/dev/null | awk '$1 == 15 && $2 == "main"' | grep -q online; then
  say "starting PostgreSQL 15 (cluster main)"
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p 5432
psql_admin() { su postgres -s /bin/sh -c "cd / && psql -v ON_ERROR_STOP=1 -qtAX -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'carepost'")" = 1 ]; then
  psql_admin "ALTER ROLE carepost WITH LOGIN SUPERUSER PASSWORD 'carepost'"
else
  say "creating role carepost"
  psql_admin "CREATE ROLE carepost WITH LOGIN SUPERUSER PASSWORD 'carepost'"
fi
export TEST_DATABASE_URL=postgres://carepost:carepost@127.0.0.1:5432/postgres
PGPASSWORD=carepost psql -h 127.0.0.1 -U carepost -d postgres -qtAX -c 'SELECT 1' >/dev/null \
  || { say "cannot log in to PostgreSQL as carepost over TCP"; exit 1; }

echo "export TEST_DATABASE_URL=$TEST_DATABASE_URL"
