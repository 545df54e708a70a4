#!/usr/bin/env python3
"""Fail if any crate in the build graph is not under a permissive licence.

carepost ships one binary to healthcare organisations; copyleft in it (GPL, AGPL, LGPL)
is not acceptable. Allowed: MIT, Apache-2.0, BSD-2/3-Clause, ISC, MPL-2.0 (file-level),
Zlib, Unicode, CC0, Unlicense, CDLA-Permissive-2.0 (webpki-roots data), BSL-1.0,
OpenSSL (aws-lc), and expressions made only of these. Uses `cargo metadata` (no network).
"""
import json
import re
import subprocess
import sys

ALLOWED = {
    "MIT", "MIT-0", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause",
    "BSD-3-Clause", "ISC", "MPL-2.0", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0",
    "Unlicense", "CDLA-Permissive-2.0", "BSL-1.0", "OpenSSL", "0BSD", "bzip2-1.0.6",
}
DENIED = re.compile(r"\b(A?GPL|LGPL)", re.I)


def ok(expr: str) -> bool:
    if DENIED.search(expr):
        # "X OR GPL" is fine if another alternative is allowed.
        alternatives = [a.strip(" ()") for a in re.split(r"\s+OR\s+|/", expr)]
        return any(all(t.strip(" ()") in ALLOWED for t in re.split(r"\s+AND\s+", a)) for a in alternatives)
    terms = [t.strip(" ()") for t in re.split(r"\s+(?:OR|AND)\s+|/", expr) if t.strip(" ()")]
    return all(t in ALLOWED for t in terms)


def main() -> int:
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked",
         "--filter-platform", "x86_64-unknown-linux-gnu"]))
    workspace = set(meta["workspace_members"])
    resolved = {n["id"] for n in meta["resolve"]["nodes"]}
    bad = []
    for pkg in meta["packages"]:
        if pkg["id"] in workspace or pkg["id"] not in resolved:
            continue
        lic = pkg.get("license") or ""
        if not lic:
            bad.append(f"{pkg['name']} {pkg['version']}: no licence field (license-file: {pkg.get('license_file')})")
        elif not ok(lic):
            bad.append(f"{pkg['name']} {pkg['version']}: {lic}")
    if bad:
        print("crates with a licence outside the allow-list:")
        for b in sorted(bad):
            print("  " + b)
        return 1
    print(f"licences ok: {len(resolved) - len(workspace)} third-party crates, all permissive")
    return 0


if __name__ == "__main__":
    sys.exit(main())
