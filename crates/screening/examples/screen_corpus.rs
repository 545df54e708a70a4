//! Screens each text of a JSONL corpus (`{"id": ..., "text": ...}`) as a whole message, the way
//! the gateway does, and writes `{"id": ..., "phi": ...}` a line (for `dlp/testdata/score.py`'s
//! document scores): `cargo run --release -p screening --example screen_corpus -- FILE.jsonl`.
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: screen_corpus FILE.jsonl")?;
    let screener = screening::Screener::new();
    let out = std::io::stdout();
    let mut out = out.lock();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().unwrap_or("");
        let verdict = screener.screen(text.as_bytes());
        writeln!(
            out,
            "{}",
            serde_json::json!({"id": v["id"], "phi": verdict.phi, "spans": []})
        )?;
    }
    Ok(())
}
