#!/usr/bin/env python3
"""Turn style-corpus markup (see README.md) into score.py's corpus format (JSONL on stdout).

    [[LABEL|value]]  -> a gold span; the text keeps `value`.
A message starts with '=== <id> <kind>'. Exits non-zero on malformed markup.
"""
import json, re, sys

LABELS = {"PERSON", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "MEMBER_ID", "ACCOUNT",
          "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "ADDRESS", "ZIP", "OTHER_ID",
          "NPI", "DEA", "ICD10", "MEDICATION"}
CLINICAL = {"NPI", "DEA", "ICD10", "MEDICATION"}
MARK = re.compile(r"\[\[([A-Z_0-9]+)\|(.*?)\]\]", re.S)


def convert(mid, kind, body):
    text, spans, pos = [], [], 0
    out_len = 0
    for m in MARK.finditer(body):
        label, value = m.group(1), m.group(2)
        if label not in LABELS:
            sys.exit(f"{mid}: unknown label {label}")
        if "[[" in value or "]]" in value or "|" in value:
            sys.exit(f"{mid}: nested or broken markup near {value[:40]!r}")
        chunk = body[pos:m.start()]
        text.append(chunk); out_len += len(chunk)
        spans.append({"start": out_len, "end": out_len + len(value), "label": label})
        text.append(value); out_len += len(value)
        pos = m.end()
    text.append(body[pos:])
    t = "".join(text)
    if "[[" in t or "]]" in t:
        sys.exit(f"{mid}: unclosed markup")
    phi = any(s["label"] not in CLINICAL for s in spans)
    return {"id": mid, "kind": kind, "phi": phi, "text": t, "spans": spans, "decoys": []}


def main():
    docs = []
    for path in sys.argv[1:]:
        cur = None
        for line in open(path, encoding="utf-8"):
            if line.startswith("=== "):
                if cur:
                    docs.append(cur)
                parts = line[4:].split()
                cur = [parts[0], parts[1] if len(parts) > 1 else "other", []]
            elif cur is not None:
                cur[2].append(line)
        if cur:
            docs.append(cur)
    seen = set()
    for mid, kind, lines in docs:
        if mid in seen:
            sys.exit(f"duplicate id {mid}")
        seen.add(mid)
        body = "".join(lines).strip("\n") + "\n"
        print(json.dumps(convert(mid, kind, body), ensure_ascii=False))


if __name__ == "__main__":
    main()
