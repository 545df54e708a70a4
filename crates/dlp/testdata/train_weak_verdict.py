#!/usr/bin/env python3
"""Trains the weak-verdict model (crates/dlp/src/weak_verdict.rs) and writes its weights.

The model sees every message (`weak_rule` in the predictions: the rules' decision), with strong
evidence (`strong`), with weak evidence only, or with none, and learns, from the gold labels,
whether it is a patient's. Its inputs: the rules' decision (`rule`), whether there was weak
evidence and no strong evidence (`weak`), whether there was strong evidence (`strong`), each
rule that fired with a score of at least 0.5 on a non-clinical label (`F:<rule>`), and each
word of the text present
(`W:<word>`, ASCII lower-cased, `[a-z][a-z']+`). Words enter the vocabulary only when they occur
in at least MIN_SETS different sets (authors), and not when they are in the detector's name
lists (or are a first name with 's) and mostly written capitalised (people's names and\ntheir possessives; titles kept), nor when the gold labels them PERSON in most of their
mentions, however written (names the lists lack: "bernie", "tunde").

The detector takes the rules' PHI verdict back under VETO_BELOW (under VETO_STRONG_BELOW where
there was strong evidence, which it judges only with at most STRONG_FINDINGS_JUDGED strong
findings) and gives one the rules did not
at GIVE_AT or over in a text with at least GIVE_MIN_WORDS distinct words of its vocabulary (the
model was trained on whole e-mails; on a short note its few words cannot outweigh the rules that
fired). `--cv` says, for eight folds by set (each author's messages judged by a
model trained without them), what each would have done.

Usage (from the repository's root):

    PREDICT_ALL=1 cargo run --release -p dlp --example predict -- \
        crates/dlp/testdata/styles.jsonl > /tmp/styles.all
    python3 crates/dlp/testdata/train_weak_verdict.py crates/dlp/testdata/styles.jsonl \
        /tmp/styles.all > crates/dlp/data/weak_verdict.tsv
    # the same with --cv: eight folds by set, prints the rules' errors and the model's

The predictions' `weak_rule` is the rules' own decision, before the model: retraining does not
depend on the weights in use. Deterministic (fixed shuffle seed). Pure Python, no packages.
"""
import json
import math
import random
import re
import sys
from collections import defaultdict

CLINICAL = {"NPI", "DEA", "ICD10", "MEDICATION"}
# Rules whose findings come after the verdict (see `load`).
AFTER_VERDICT = {"person.model"}
WORD = re.compile(rb"[a-z][a-z']+")
CASED_WORD = re.compile(rb"[A-Za-z][A-Za-z']+")
TITLES = {b"mr", b"mrs", b"ms", b"dr", b"miss"}
MIN_SETS = 5
L2 = 3.0
EPOCHS = 30
RATE = 0.1
FOLDS = 8
VETO_BELOW = 0.05
VETO_STRONG_BELOW = 0.005
STRONG_FINDINGS_JUDGED = 1
GIVE_AT = 0.7
GIVE_MIN_WORDS = 30
MIN_WEIGHT = 0.005
DATA = __file__.rsplit("/", 2)[0] + "/data/"


def set_of(doc_id):
    return re.match(r"[A-Za-z]+", doc_id).group(0)


def load(gold_path, pred_path):
    gold = {}
    for line in open(gold_path, encoding="utf-8"):
        d = json.loads(line)
        gold[d["id"]] = d
    docs = []
    for line in open(pred_path, encoding="utf-8"):
        p = json.loads(line)
        if p.get("weak_rule") is None:
            continue
        d = gold[p["id"]]
        text = d["text"].encode("utf-8")
        docs.append(
            {
                "id": p["id"],
                "text": text,
                # (The gold names' text, for the vocabulary: see `vocabulary`.)
                "persons": [
                    d["text"][s["start"]:s["end"]].encode("utf-8")
                    for s in d["spans"]
                    if s["label"] == "PERSON"
                ],
                "y": int(any(s["label"] not in CLINICAL for s in d["spans"])),
                "rule": int(p["weak_rule"]),
                "weak": bool(p["weak"]) and not p["strong"],
                "strong": bool(p["strong"]),
                "strong_findings": p.get("strong_findings") or 0,
                # (Not the person-name model's findings: it runs after this model, only on
                # messages already called PHI, so its rule would stand for the verdict itself
                # and is never there when this model judges.)
                "rules": sorted(
                    {
                        s["rule"]
                        for s in p["all"]
                        if s["label"] not in CLINICAL
                        and s["score"] >= 0.5
                        and s["rule"] not in AFTER_VERDICT
                    }
                ),
            }
        )
    return docs


def names(files=("first_names.txt", "surnames.txt")):
    out = set()
    for f in files:
        for line in open(DATA + f, encoding="utf-8"):
            w = line.strip()
            if w and not w.startswith("#"):
                out.add(w.lower().encode())
    return out


M64 = (1 << 64) - 1


def word_key(word):
    """The Rust model's key for a word (`word_key` in weak_verdict.rs: the crate's FxHasher over
    the length, then eight bytes at a time with bit 5 of each set): two words of the vocabulary
    must not share one."""
    def add(h, x):
        h = ((h << 5) | (h >> 59)) & M64
        return ((h ^ x) * 0x517CC1B727220A95) & M64
    h = add(0, len(word))
    lower = 0x2020202020202020
    n = len(word) // 8
    for i in range(n):
        h = add(h, int.from_bytes(word[8 * i:8 * i + 8], "little") | lower)
    rest = word[8 * n:]
    if rest:
        mask = M64 >> (8 * (8 - len(rest)))
        h = add(h, (int.from_bytes(rest.ljust(8, b"\0"), "little") | lower) & mask)
    return h


def vocabulary(docs, name_words, first_names):
    sets = defaultdict(set)
    cased = defaultdict(int)
    seen = defaultdict(int)
    # How often each word stands inside a gold PERSON span: a word the corpus's authors label a
    # name most of the time is one, whether or not the name lists know it ("Bernie", "Tunde",
    # "Redcloud": written once into the vocabulary, the person-name model passed over them;
    # session 58).
    in_person = defaultdict(int)
    for d in docs:
        for w in CASED_WORD.findall(d["text"]):
            lw = w.lower()
            seen[lw] += 1
            cased[lw] += w[:1].isupper()
        for name in d.get("persons", ()):
            for w in CASED_WORD.findall(name):
                in_person[w.lower()] += 1
        for w in set(WORD.findall(d["text"].lower())):
            sets[w].add(set_of(d["id"]))
    vocab = {
        w
        for w, s in sets.items()
        if len(s) >= MIN_SETS
        # ("Zoe's", a first name's possessive, stays out too; "Monday's" and "Parkinson's",
        # surnames', stay in.)
        and not (
            (w in name_words or w.endswith(b"'s") and w[:-2] in first_names)
            and cased[w] > 0.6 * seen[w]
            and w not in TITLES
        )
        # (A name however written: "my dad bernie".)
        and not (in_person[w] > 0.5 * seen[w] and w not in TITLES)
    }
    # Two words with one key ("continues" and "continuum", a collision of the 64-bit hash): the
    # Rust model could not tell them apart, so neither enters.
    keys = defaultdict(list)
    for w in vocab:
        keys[word_key(w)].append(w)
    vocab = {w for ws in keys.values() if len(ws) == 1 for w in ws}
    # Words mostly written in lower case: everyday words, written out whatever their weight
    # (see `written`).
    # And the days and months, with their possessives ("Monday's"): capitalised, but no one's
    # name, and a light "Monday's" left out once let the person-name model judge it (session 53).
    everyday = {
        w
        for w in vocab
        if cased[w] < 0.5 * seen[w] or (w[:-2] if w.endswith(b"'s") else w) in CALENDAR
    }
    return vocab, everyday


CALENDAR = {
    w.encode()
    for w in "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december".split()
}


def written(k, w, everyday):
    """Is feature `k` written out? A light word only when it is an everyday one: the person-name
    model passes over the words the detector's vocabulary knows, and leaving out a light "will"
    once named Will in "PT will see her". (A light word mostly written capitalised, "Otieno",
    stays out: the name lists lack many surnames, and the person-name model should judge it.)"""
    if k in ("bias", "rule", "weak", "strong") or abs(w[k]) >= MIN_WEIGHT:
        return True
    return k.startswith("W:") and k[2:].encode() in everyday


def features(d, vocab):
    f = ["bias"]
    if d["rule"]:
        f.append("rule")
    if d["weak"]:
        f.append("weak")
    if d["strong"]:
        f.append("strong")
    f += ["F:" + r for r in d["rules"]]
    f += ["W:" + w.decode() for w in sorted(set(WORD.findall(d["text"].lower()))) if w in vocab]
    return f


def train(docs, vocab):
    w = defaultdict(float)
    rows = [(features(d, vocab), d["y"]) for d in docs]
    n = len(rows)
    rnd = random.Random(1)
    for epoch in range(EPOCHS):
        rnd.shuffle(rows)
        eta = RATE / (1 + epoch * 0.2)
        for f, y in rows:
            z = max(-30.0, min(30.0, sum(w[k] for k in f)))
            g = 1 / (1 + math.exp(-z)) - y
            for k in f:
                w[k] -= eta * (g + L2 * w[k] / n)
    return w


def words_known(d, vocab, everyday, w):
    """Distinct words of the text that are written out (as the detector counts)."""
    return sum(
        written("W:" + x.decode(), w, everyday)
        for x in set(WORD.findall(d["text"].lower())) & vocab
    )


def probability(w, d, vocab):
    z = max(-30.0, min(30.0, sum(w.get(k, 0.0) for k in features(d, vocab))))
    return 1 / (1 + math.exp(-z))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    docs = load(args[0], args[1])
    name_words = names()
    first_names = names(("first_names.txt",))
    if "--cv" in sys.argv:
        sets = sorted({set_of(d["id"]) for d in docs})
        random.Random(7).shuffle(sets)
        fold = {s: i % FOLDS for i, s in enumerate(sets)}
        judged = []
        for k in range(FOLDS):
            train_docs = [d for d in docs if fold[set_of(d["id"])] != k]
            vocab, everyday = vocabulary(train_docs, name_words, first_names)
            w = train(train_docs, vocab)
            judged += [
                (d, probability(w, d, vocab), words_known(d, vocab, everyday, w))
                for d in docs
                if fold[set_of(d["id"])] == k
            ]
        print(f"{len(docs)} messages, {FOLDS} folds by set")
        for kind, veto in (
            ("with strong evidence", VETO_STRONG_BELOW),
            ("with weak evidence only", VETO_BELOW),
            ("with no evidence", VETO_BELOW),
        ):
            part = [
                (d, p)
                for d, p, n in judged
                if kind
                == (
                    "with strong evidence"
                    if d["strong"]
                    else "with weak evidence only"
                    if d["weak"]
                    else "with no evidence"
                )
            ]
            gives = {d["id"] for d, p, n in judged if n >= GIVE_MIN_WORDS and p >= GIVE_AT}
            said_all = [(d, p) for d, p in part if d["rule"]]
            said = [(d, p) for d, p in said_all if d["strong_findings"] <= STRONG_FINDINGS_JUDGED]
            unsaid = [(d, p) for d, p in part if not d["rule"]]
            print(
                f"{kind}: {len(part)} messages, {sum(d['y'] for d, _ in part)} with PHI; the rules"
                f" call {len(said_all)} PHI ({sum(not d['y'] for d, _ in said_all)} false alarms)"
                f" and miss {sum(d['y'] for d, _ in unsaid)}"
            )
            print(
                f"  judged: {len(said)} of those ({sum(not d['y'] for d, _ in said)} false alarms);"
                f" veto under {veto}: takes back"
                f" {sum(not d['y'] and p < veto for d, p in said)} false alarms, loses"
                f" {sum(d['y'] and p < veto for d, p in said)} with PHI"
            )
            print(
                f"  at {GIVE_AT} or over, {GIVE_MIN_WORDS} words or more: finds"
                f" {sum(d['y'] and d['id'] in gives for d, _ in unsaid)} missed, raises"
                f" {sum(not d['y'] and d['id'] in gives for d, _ in unsaid)} false alarms"
            )
        return
    vocab, everyday = vocabulary(docs, name_words, first_names)
    w = train(docs, vocab)
    print("# Weights of the weak-verdict model (crates/dlp/src/weak_verdict.rs): feature<TAB>weight.")
    print("# Generated by crates/dlp/testdata/train_weak_verdict.py from testdata/styles.jsonl;")
    print(f"# {len(docs)} messages, {len(vocab)} words. Do not edit by hand.")
    for k in sorted(w, key=lambda k: (k != "bias", k != "rule", k != "weak", k != "strong", k)):
        if written(k, w, everyday):
            print(f"{k}\t{w[k]:.4f}")


if __name__ == "__main__":
    main()
