//! Scores the detector on `testdata/dev.jsonl` (500 synthetic e-mails) exactly as
//! `testdata/score.py` does, prints the table, and fails below the floors.
//!
//! Matching rules (from score.py): labels must match except PHONE~FAX and DATE~AGE; a prediction
//! is correct if it overlaps a compatible gold span; a gold span is found if a compatible
//! prediction overlaps it; document recall over `phi: true`, false-positive rate over `phi: false`.
//! Run with `cargo test -p dlp --test dev_corpus -- --nocapture` to see the table.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
struct Gold {
    id: String,
    phi: bool,
    text: String,
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    start: usize,
    end: usize,
    label: String,
}

fn compatible(a: &str, b: &str) -> bool {
    match a {
        "PHONE" | "FAX" => b == "PHONE" || b == "FAX",
        "DATE" | "AGE" => b == "DATE" || b == "AGE",
        _ => a == b,
    }
}

#[derive(Default)]
struct Counts {
    gold: usize,
    found: usize,
    pred: usize,
    correct: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Floors: the targets (doc recall >= 0.99, FPR <= 0.05, typed F1 >= 0.90 overall and
/// >= 0.85 per label). All are met on this corpus; see the crate README for the achieved numbers.
const DOC_RECALL_FLOOR: f64 = 0.99;
const DOC_FPR_CEILING: f64 = 0.05;
const TYPED_F1_FLOOR: f64 = 0.90;
const LABEL_F1_FLOOR: f64 = 0.85;

#[test]
fn dev_corpus_meets_the_accuracy_floors() {
    let data = include_str!("../testdata/dev.jsonl");
    let scanner = dlp::Scanner::new();
    let (mut pos, mut tp, mut neg, mut fp) = (0usize, 0usize, 0usize, 0usize);
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    let mut docs = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let g: Gold = serde_json::from_str(line).expect("corpus line is JSON");
        docs += 1;
        let r = scanner.scan(&g.text);
        if g.phi {
            pos += 1;
            tp += usize::from(r.contains_phi);
        } else {
            neg += 1;
            fp += usize::from(r.contains_phi);
        }
        let preds: Vec<(usize, usize, &str)> = r
            .findings
            .iter()
            .map(|f| (f.start_char, f.end_char, f.label.as_str()))
            .collect();
        for s in &g.spans {
            let c = per.entry(s.label.clone()).or_default();
            c.gold += 1;
            if preds
                .iter()
                .any(|&(x, y, l)| x < s.end && s.start < y && compatible(&s.label, l))
            {
                c.found += 1;
            }
        }
        for &(x, y, l) in &preds {
            let c = per.entry(l.to_string()).or_default();
            c.pred += 1;
            if g.spans
                .iter()
                .any(|s| x < s.end && s.start < y && compatible(&s.label, l))
            {
                c.correct += 1;
            }
        }
        let _ = &g.id;
    }
    assert_eq!(docs, 500, "corpus line count changed");
    let recall = tp as f64 / pos as f64;
    let fpr = fp as f64 / neg as f64;
    let (g, f, p, c) = per.values().fold((0, 0, 0, 0), |a, x| {
        (a.0 + x.gold, a.1 + x.found, a.2 + x.pred, a.3 + x.correct)
    });
    let (tp_, tr_) = (c as f64 / p as f64, f as f64 / g as f64);
    let typed = f1(tp_, tr_);
    println!("documents {docs}: recall {recall:.3}  false-positive rate {fpr:.3}");
    println!("spans: typed P {tp_:.3} R {tr_:.3} F1 {typed:.3}");
    println!(
        "{:<11}{:>6}{:>6}{:>7}{:>7}{:>7}",
        "label", "gold", "pred", "P", "R", "F1"
    );
    let mut failures = Vec::new();
    for (label, x) in &per {
        let lp = if x.pred > 0 {
            x.correct as f64 / x.pred as f64
        } else {
            0.0
        };
        let lr = if x.gold > 0 {
            Some(x.found as f64 / x.gold as f64)
        } else {
            None
        };
        let lf = lr.map(|r| f1(lp, r));
        let fmt = |v: Option<f64>| v.map_or("  -  ".to_string(), |v| format!("{v:.3}"));
        println!(
            "{label:<11}{:>6}{:>6}{:>7}{:>7}{:>7}",
            x.gold,
            x.pred,
            fmt((x.pred > 0).then_some(lp)),
            fmt(lr),
            fmt(lf)
        );
        if let Some(lf) = lf
            && lf < LABEL_F1_FLOOR
        {
            failures.push(format!("{label} F1 {lf:.3} < {LABEL_F1_FLOOR}"));
        }
    }
    if recall < DOC_RECALL_FLOOR {
        failures.push(format!("doc recall {recall:.3} < {DOC_RECALL_FLOOR}"));
    }
    if fpr > DOC_FPR_CEILING {
        failures.push(format!("doc FPR {fpr:.3} > {DOC_FPR_CEILING}"));
    }
    if typed < TYPED_F1_FLOOR {
        failures.push(format!("typed F1 {typed:.3} < {TYPED_F1_FLOOR}"));
    }
    assert!(
        failures.is_empty(),
        "accuracy below the floors: {failures:?}"
    );
}
