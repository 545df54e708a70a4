#!/usr/bin/env bash
# The pure crates (levels 0 and 1, see docs/ARCHITECTURE.md) must not depend on an async
# runtime, a database driver or an HTTP framework. `message` is the one documented
# exception: mail-auth (DKIM) links hickory/tokio for its DNS verifier, which message never
# calls; message's own code does no I/O.
set -euo pipefail
cd "$(dirname "$0")/.."
PURE=(model crypto auth smtp-session)
for extra in dlp audit policy portal identity access alerts; do
  [ -f "crates/$extra/Cargo.toml" ] && PURE+=("$extra")
done
args=()
for c in "${PURE[@]}"; do args+=(-p "$c"); done
if cargo tree "${args[@]}" -e normal --prefix none 2>/dev/null | grep -E '^(tokio|sqlx|axum|hyper|reqwest|hickory)[ -]' | sort -u | grep .; then
  echo "layering violated: a pure crate (${PURE[*]}) depends on the crates listed above"
  exit 1
fi
echo "layering ok: ${PURE[*]} are free of tokio, sqlx, axum, hyper, reqwest and hickory"
