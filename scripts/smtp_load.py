#!/usr/bin/env python3
"""Submit test messages to an SMTP server with Python's smtplib (standard library only).

Used by carepost's integration tests (crates/carepost/tests/) as the "Python smtplib" peer
and as the fast multi-connection client of the crash test; usable by hand as well:

    scripts/smtp_load.py --port 2587 --tls starttls --user a@clinic.test --password PW \
        --from a@clinic.test --to b@dest.test --count 100 --connections 4 --tag run1

Every message i carries a unique header `X-Carepost-Test-Id: <tag>-<i>`, the same id in
the Subject, and ends with the line `END-OF-TEST-MESSAGE <tag>-<i>`, so a receiver can
count complete messages and duplicates by id. Ids accepted with 250 are appended (and
flushed) one per line to --accepted-file as they are accepted, so a test that kills the
server mid-run still knows exactly what was accepted.

Bounded: each socket operation times out (--timeout), each message is tried once, and the
whole run stops after --deadline seconds. Only talks to the host given (default 127.0.0.1).
Exit status: 0 if every message was accepted, 1 otherwise; a JSON summary goes to stdout.
"""
import argparse
import email.utils
import json
import smtplib
import ssl
import sys
import threading
import time


def build_message(a, mid):
    body_lines = []
    filler = (a.body_text or "Synthetic test message; no PHI.") + "\r\n"
    size = 0
    while size < a.size:
        body_lines.append(filler)
        size += len(filler)
    body = "".join(body_lines)
    subject = f"{a.subject} {mid}".strip()
    headers = [
        f"From: <{a.sender}>",
        f"To: <{a.to}>",
        f"Subject: {subject}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: <{mid}@smtp-load.test>",
        f"X-Carepost-Test-Id: {mid}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
    ]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + f"END-OF-TEST-MESSAGE {mid}\r\n").encode()


class Worker(threading.Thread):
    def __init__(self, a, ids, results, lock, deadline):
        super().__init__(daemon=True)
        self.a, self.ids, self.results, self.lock, self.deadline = a, ids, results, lock, deadline
        self.conn = None
        self.sent_on_conn = 0

    def connect(self):
        a = self.a
        ctx = ssl.create_default_context(cafile=a.cafile) if a.cafile else ssl._create_unverified_context()
        if a.tls == "implicit":
            conn = smtplib.SMTP_SSL(a.host, a.port, local_hostname="smtp-load.test",
                                    timeout=a.timeout, context=ctx)
        else:
            conn = smtplib.SMTP(a.host, a.port, local_hostname="smtp-load.test", timeout=a.timeout)
            if a.tls == "starttls":
                conn.starttls(context=ctx)
        conn.ehlo("smtp-load.test")
        if a.user:
            conn.login(a.user, a.password)
        self.conn, self.sent_on_conn = conn, 0

    def close(self, polite=True):
        if self.conn is not None:
            try:
                if polite:
                    self.conn.quit()
                else:
                    self.conn.close()
            except Exception:
                pass
        self.conn = None

    def run(self):
        a = self.a
        for mid in self.ids:
            if time.monotonic() > self.deadline:
                self.record(mid, "deadline")
                continue
            try:
                if self.conn is None or self.sent_on_conn >= a.per_connection:
                    self.close()
                    self.connect()
                self.conn.sendmail(a.sender, [a.to], build_message(a, mid))
                self.sent_on_conn += 1
                self.record(mid, None)
            except Exception as e:  # any failure: record it, drop the connection, go on
                self.record(mid, f"{type(e).__name__}: {e}"[:200])
                self.close(polite=False)
        self.close()

    def record(self, mid, error):
        with self.lock:
            if error is None:
                self.results["accepted"] += 1
                if self.results["accepted_file"]:
                    self.results["accepted_file"].write(mid + "\n")
                    self.results["accepted_file"].flush()
            else:
                self.results["failed"] += 1
                errs = self.results["errors"]
                if len(errs) < 20:
                    errs.append({"id": mid, "error": error})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls", choices=["starttls", "implicit", "none"], default="starttls")
    p.add_argument("--cafile", help="verify the server certificate against this CA file")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--first", type=int, default=0, help="index of the first message")
    p.add_argument("--ids-file", help="send exactly these ids (one per line) instead of a range")
    p.add_argument("--tag", default="smtp-load")
    p.add_argument("--subject", default="smtp-load")
    p.add_argument("--body-text", default="", help="text repeated in the body")
    p.add_argument("--size", type=int, default=200, help="approximate body bytes")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--per-connection", type=int, default=50, help="messages per connection")
    p.add_argument("--timeout", type=float, default=30, help="per socket operation")
    p.add_argument("--deadline", type=float, default=300, help="seconds for the whole run")
    p.add_argument("--accepted-file", help="append accepted ids here, one per line")
    a = p.parse_args()
    if a.ids_file:
        with open(a.ids_file) as f:
            ids = [line.strip() for line in f if line.strip()]
    else:
        ids = [f"{a.tag}-{i}" for i in range(a.first, a.first + a.count)]
    results = {"accepted": 0, "failed": 0, "errors": [],
               "accepted_file": open(a.accepted_file, "a") if a.accepted_file else None}
    lock = threading.Lock()
    n = max(1, min(a.connections, len(ids) or 1))
    t0 = time.monotonic()
    deadline = t0 + a.deadline
    workers = [Worker(a, ids[i::n], results, lock, deadline) for i in range(n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(max(0.0, deadline - time.monotonic()) + 2 * a.timeout + 5)
    if results["accepted_file"]:
        results["accepted_file"].close()
    hung = sum(1 for w in workers if w.is_alive())
    summary = {"total": len(ids), "accepted": results["accepted"], "failed": results["failed"],
               "hung_workers": hung, "seconds": round(time.monotonic() - t0, 2),
               "errors": results["errors"]}
    print(json.dumps(summary), flush=True)
    ok = results["accepted"] == len(ids) and not hung
    # daemon threads that are still stuck die with the process
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
