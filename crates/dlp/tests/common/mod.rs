//! Scores the detector on a labelled corpus exactly as `testdata/score.py` does and prints the
//! table (shared by the corpus tests).
//!
//! Matching rules (from score.py): labels must match except PHONE~FAX and DATE~AGE; a prediction
//! is correct if it overlaps a compatible gold span; a gold span is found if a compatible
//! prediction overlaps it; document recall over `phi: true`, false-positive rate over `phi: false`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
struct Gold {
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

/// What a corpus scored.
pub(crate) struct Report {
    pub(crate) docs: usize,
    pub(crate) doc_recall: f64,
    pub(crate) doc_fpr: f64,
    pub(crate) typed_f1: f64,
    /// Typed F1 of each label that has gold spans.
    pub(crate) label_f1: BTreeMap<String, f64>,
}

/// Scan every line of `data` (score.py's corpus format), print the table, return the scores.
pub(crate) fn score(data: &str) -> Report {
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
            .phi_findings()
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
    }
    let doc_recall = tp as f64 / pos as f64;
    let doc_fpr = fp as f64 / neg as f64;
    let (g, f, p, c) = per.values().fold((0, 0, 0, 0), |a, x| {
        (a.0 + x.gold, a.1 + x.found, a.2 + x.pred, a.3 + x.correct)
    });
    let (tp_, tr_) = (c as f64 / p as f64, f as f64 / g as f64);
    let typed_f1 = f1(tp_, tr_);
    println!("documents {docs}: recall {doc_recall:.3}  false-positive rate {doc_fpr:.3}");
    println!("spans: typed P {tp_:.3} R {tr_:.3} F1 {typed_f1:.3}");
    println!(
        "{:<11}{:>6}{:>6}{:>7}{:>7}{:>7}",
        "label", "gold", "pred", "P", "R", "F1"
    );
    let mut label_f1 = BTreeMap::new();
    for (label, x) in &per {
        let lp = if x.pred > 0 {
            x.correct as f64 / x.pred as f64
        } else {
            0.0
        };
        let lr = (x.gold > 0).then(|| x.found as f64 / x.gold as f64);
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
        if let Some(lf) = lf {
            label_f1.insert(label.clone(), lf);
        }
    }
    Report {
        docs,
        doc_recall,
        doc_fpr,
        typed_f1,
        label_f1,
    }
}

/// The floors a corpus must meet; `label_f1: None` sets no per-label floor.
pub(crate) struct Floors {
    pub(crate) doc_recall: f64,
    pub(crate) doc_fpr: f64,
    pub(crate) typed_f1: f64,
    pub(crate) label_f1: Option<f64>,
}

/// Panics with every floor `r` is under.
pub(crate) fn assert_floors(r: &Report, f: &Floors) {
    let mut failures: Vec<String> = Vec::new();
    if let Some(floor) = f.label_f1 {
        failures.extend(
            r.label_f1
                .iter()
                .filter(|&(_, &v)| v < floor)
                .map(|(l, v)| format!("{l} F1 {v:.3} < {floor}")),
        );
    }
    if r.doc_recall < f.doc_recall {
        failures.push(format!("doc recall {:.3} < {}", r.doc_recall, f.doc_recall));
    }
    if r.doc_fpr > f.doc_fpr {
        failures.push(format!("doc FPR {:.3} > {}", r.doc_fpr, f.doc_fpr));
    }
    if r.typed_f1 < f.typed_f1 {
        failures.push(format!("typed F1 {:.3} < {}", r.typed_f1, f.typed_f1));
    }
    assert!(
        failures.is_empty(),
        "accuracy below the floors: {failures:?}"
    );
}
