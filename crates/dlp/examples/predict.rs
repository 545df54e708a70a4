//! Writes predictions for a corpus (`cargo run -p dlp --example predict -- testdata/dev.jsonl`),
//! for quick scoring without building the whole `carepost` binary.
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: predict FILE.jsonl")?;
    let scanner = dlp::Scanner::new();
    let out = std::io::stdout();
    let mut out = out.lock();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().unwrap_or("");
        let r = scanner.scan(text);
        let spans: Vec<_> = r
            .phi_findings()
            .map(|f| serde_json::json!({"start": f.start_char, "end": f.end_char, "label": f.label.as_str(), "score": f.score, "rule": f.rule}))
            .collect();
        writeln!(
            out,
            "{}",
            if std::env::var_os("PREDICT_ALL").is_some() {
                // Every finding, also those of a message judged not PHI (for studying the verdict).
                let all: Vec<_> = r.findings.iter().map(|f| serde_json::json!({"start": f.start_char, "end": f.end_char, "label": f.label.as_str(), "score": f.score, "rule": f.rule, "why": f.reason})).collect();
                serde_json::json!({"id": v["id"], "phi": r.contains_phi, "weak": r.weak_phi, "weak_rule": r.weak_verdict.map(|w| w.rules_say_phi), "strong": r.weak_verdict.map(|w| w.strong_evidence), "strong_findings": r.weak_verdict.map(|w| w.strong_findings), "weak_p": r.weak_verdict.and_then(|w| w.model_probability), "spans": spans, "all": all, "staff": scanner.staff_names(text)})
            } else {
                serde_json::json!({"id": v["id"], "phi": r.contains_phi, "spans": spans})
            }
        )?;
    }
    Ok(())
}
