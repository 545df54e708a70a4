#!/usr/bin/env python3
"""Trains the person-name model (`crates/dlp/src/person_model.rs`): a logistic regression that
reads a word the rules left alone, in a message they call PHI, and says whether it is part of a
person's name (a patient's or a relative's: the style corpus's gold PERSON spans).

    cargo build --release -p dlp --example predict
    PREDICT_ALL=1 target/release/examples/predict crates/dlp/testdata/styles.jsonl > ALL
    python3 crates/dlp/testdata/train_person_model.py crates/dlp/testdata/styles.jsonl ALL \\
        > crates/dlp/data/person_model.tsv

Train it after the weak-verdict model (`train_weak_verdict.py`): a word of that model's
vocabulary (read from `crates/dlp/data/weak_verdict.tsv`, which leaves people's names out) is
no candidate. The person model's own
findings in ALL (rule `person.model`) are left out: it learns from the rules' findings only.

`--cases WEIGHTS` writes `testdata/person_model_cases.jsonl` (from ALL made with the weights in
WEIGHTS): which words the model calls names in 300 messages, computed here, for the Rust
test that reads the same messages to match (regenerate it after retraining or a rule change).

`--heldout GOLD ALL2 [SETS]`: train without the sets named (comma-separated prefixes, e.g.
`UO,UP`) and print PERSON precision, recall and F1 on GOLD (scored with ALL2's findings) for a
range of thresholds: the first-contact measure the threshold was chosen on.

Candidates (the Rust code reads the same): ASCII words (a letter, then letters, apostrophes and
hyphens, ending on a letter), at least two letters, capitalised or in the name lists (names
typed in lower case, "hey its marcus": without them the model's gain in F1 on batches 23 and 24
is 0.024 instead of 0.038), not in the weak-verdict model's vocabulary (everyday words: four in five capitalised words, and one in
seven of the names it found on batches 23 and 24), that no finding of the rules overlaps.
Features: the word's shape, whether the name lists know it, its last three letters, its length, whether it starts or ends
its line, and the two words on each side (with the punctuation between, a line break ending the
look).
"""
import collections
import json
import math
import random
import re
import sys

DATA = __file__.rsplit("/", 2)[0] + "/data/"
FIRST = set(l.strip().lower() for l in open(DATA + "first_names.txt"))
SUR = set(l.strip().lower() for l in open(DATA + "surnames.txt"))
VOCAB = set()
for line in open(DATA + "weak_verdict.tsv"):
    if line.startswith("W:"):
        VOCAB.add(line.split("\t")[0][2:])
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
ASCII_WS = " \t\r\n\x0b\x0c"
THRESHOLD = 0.6
EPOCHS = 6
MIN_COUNT = 3
KEEP_ABOVE = 0.05


def shape(w):
    if not any(c.islower() for c in w):
        return "XX" if len(w) > 1 else "X"
    return "Xx" if w[0].isupper() else "xx"


def punct(gap, n):
    g = gap.strip(ASCII_WS)[:n]
    return "".join(" " if ord(c) < 32 else c if ord(c) < 128 else "~" for c in g)


def features(text, words, i):
    s, e, w = words[i]
    lw = w.lower()
    sh = shape(w)
    f = ["b", "s:" + sh]
    if lw in FIRST:
        f.append("fn")
    if lw in SUR:
        f.append("sn")
    f.append("suf:" + lw[-3:])
    f.append("len:%d" % min(len(w), 10))
    line_start = text.rfind("\n", 0, s) + 1
    if not text[line_start:s].strip(ASCII_WS):
        f.append("ls")
    line_end = text.find("\n", e)
    if not text[e:len(text) if line_end < 0 else line_end].strip(ASCII_WS):
        f.append("le")
    for tag, j, gap_from, gap_to in (
        ("p1", i - 1, lambda: words[i - 1][1], lambda: s),
        ("p2", i - 2, lambda: words[i - 2][1], lambda: words[i - 1][0]),
        ("n1", i + 1, lambda: e, lambda: words[i + 1][0]),
        ("n2", i + 2, lambda: words[i + 1][1], lambda: words[i + 2][0]),
    ):
        if not 0 <= j < len(words):
            f.append(tag + ":NONE")
            continue
        gap = text[gap_from():gap_to()]
        if "\n" in gap:
            f.append(tag + ":NL")
            continue
        jw = words[j][2]
        f.append(tag + ":" + jw.lower())
        f.append(tag + "s:" + shape(jw))
        if tag in ("p1", "n1"):
            f.append(tag + "g:" + punct(gap, 3))
            f.append(tag + ":" + jw.lower() + "|" + punct(gap, 2))
    f.append("s:" + sh + "|p1:" + (words[i - 1][2].lower() if i > 0 else ""))
    return f


def candidates(text, findings, staff=()):
    """Words the model reads: as the Rust model, none inside a rule's finding (but its own) or
    inside a name the rules judged staff (`staff`, the predict example's "staff" ranges)."""
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    spans = [(a["start"], a["end"]) for a in findings if a.get("rule") != "person.model"]
    spans += [(a, b) for a, b in staff]
    out = []
    for i, (s, e, w) in enumerate(words):
        lw = w.lower()
        if len(w) < 2 or lw in VOCAB or not (w[0].isupper() or lw in FIRST or lw in SUR):
            continue
        if any(a < e and s < b for a, b in spans):
            continue
        out.append(i)
    return words, out


def rows_of(gold_path, all_path, keep=lambda st: True):
    gold = {}
    for line in open(gold_path):
        d = json.loads(line)
        gold[d["id"]] = d
    rows = []
    for line in open(all_path):
        p = json.loads(line)
        st = p["id"].split("-")[0]
        if not p["phi"] or not keep(st):
            continue
        g = gold[p["id"]]
        names = [(x["start"], x["end"]) for x in g["spans"] if x["label"] == "PERSON"]
        words, cand = candidates(g["text"], p["all"], p.get("staff", ()))
        for i in cand:
            s, e, _ = words[i]
            y = any(a < e and s < b for a, b in names)
            rows.append((p["id"], s, e, y, features(g["text"], words, i)))
    return rows


def train(rows):
    count = collections.Counter(f for r in rows for f in set(r[4]))
    w = collections.defaultdict(float)
    order = list(range(len(rows)))
    random.seed(7)
    for epoch in range(EPOCHS):
        random.shuffle(order)
        rate = 0.1 / (1 + epoch)
        for k in order:
            _, _, _, y, fs = rows[k]
            fs = [f for f in fs if count[f] >= MIN_COUNT]
            p = probability(w, fs)
            for f in fs:
                w[f] -= rate * (p - y)
    return {f: v for f, v in w.items() if abs(v) >= KEEP_ABOVE}


def probability(w, fs):
    z = sum(w.get(f, 0.0) for f in fs)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def heldout(train_gold, train_all, gold_path, all_path, sets):
    w = train(rows_of(train_gold, train_all, lambda st: st not in sets))
    gold = [json.loads(l) for l in open(gold_path)]
    pred = {json.loads(l)["id"]: json.loads(l) for l in open(all_path)}
    rows = rows_of(gold_path, all_path)
    for th in (None, 0.4, 0.5, 0.6, 0.7, 0.8):
        extra = collections.defaultdict(list)
        if th is not None:
            for r in rows:
                if probability(w, r[4]) >= th:
                    extra[r[0]].append((r[1], r[2]))
        tp = fp = found = total = 0
        for g in gold:
            names = [(x["start"], x["end"]) for x in g["spans"] if x["label"] == "PERSON"]
            said = [(x["start"], x["end"]) for x in pred[g["id"]]["spans"] if x["label"] == "PERSON"]
            said += extra[g["id"]]
            for s, e in said:
                if any(a < e and s < b for a, b in names):
                    tp += 1
                else:
                    fp += 1
            total += len(names)
            found += sum(1 for a, b in names if any(s < b and a < e for s, e in said))
        p, r = tp / max(1, tp + fp), found / max(1, total)
        print(f"threshold {th}: {sum(map(len, extra.values()))} added; PERSON P {p:.3f} R {r:.3f} F1 {2*p*r/max(1e-9, p+r):.3f}")


def cases(gold_path, all_path, weights_path, n=300):
    """The test cases of `tests/person_model.rs`: for `n` messages of GOLD that the detector
    calls PHI and that have candidates, the words this script's model (the weights file) calls
    names, as code-point offsets; half with names, half without."""
    w, th = {}, THRESHOLD
    for line in open(weights_path):
        if line.startswith("#"):
            continue
        k, v = line.rstrip("\n").rsplit("\t", 1)
        if k == "threshold":
            th = float(v)
        else:
            w[k] = float(v)
    gold = {}
    for line in open(gold_path):
        d = json.loads(line)
        gold[d["id"]] = d
    with_names, without = [], []
    for line in open(all_path):
        p = json.loads(line)
        if not p["phi"]:
            continue
        text = gold[p["id"]]["text"]
        words, cand = candidates(text, p["all"], p.get("staff", ()))
        if not cand:
            continue
        names = []
        covered = 0
        for i in cand:
            s, e = words[i][0], words[i][1]
            if s < covered or probability(w, features(text, words, i)) < th:
                continue
            # As the Rust model: a name takes the rest of its word, the letters on either side
            # that run on past ASCII ("Sofía", "Calderón").
            if s > 0 and not text[s - 1].isascii() and text[s - 1].isalpha():
                while s > 0 and text[s - 1].isalpha():
                    s -= 1
            if e < len(text) and not text[e].isascii() and text[e].isalpha():
                while e < len(text) and text[e].isalpha():
                    e += 1
            covered = e
            names.append([s, e])
        (with_names if names else without).append({"id": p["id"], "names": names})
    random.seed(11)
    picked = random.sample(with_names, min(n // 2, len(with_names)))
    picked += random.sample(without, min(n - len(picked), len(without)))
    for c in sorted(picked, key=lambda c: c["id"]):
        print(json.dumps(c))


def main():
    if "--cases" in sys.argv:
        k = sys.argv.index("--cases")
        cases(sys.argv[1], sys.argv[2], sys.argv[k + 1])
        return
    if "--heldout" in sys.argv:
        k = sys.argv.index("--heldout")
        sets = set(sys.argv[k + 3].split(",")) if len(sys.argv) > k + 3 else set()
        heldout(sys.argv[1], sys.argv[2], sys.argv[k + 1], sys.argv[k + 2], sets)
        return
    rows = rows_of(sys.argv[1], sys.argv[2])
    w = train(rows)
    n = sum(1 for line in open(sys.argv[1]) if line.strip())
    print("# Weights of the person-name model (crates/dlp/src/person_model.rs): feature<TAB>weight.")
    print(f"# Generated by crates/dlp/testdata/train_person_model.py from testdata/styles.jsonl;")
    print(f"# {n} messages, {len(rows)} candidate words, {sum(r[3] for r in rows)} of them names. Do not edit by hand.")
    print(f"threshold\t{THRESHOLD}")
    for f in sorted(w):
        print(f"{f}\t{w[f]:.6f}")


if __name__ == "__main__":
    main()
