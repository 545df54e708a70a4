//! Throughput and latency on the dev corpus (release: `cargo run --release -p dlp --example bench`).
//! Prints MB/s over all 500 texts (one core) and p50/p99 latency for ~100 KB e-mails built by
//! concatenating corpus texts.
use std::time::Instant;

fn main() {
    let data = include_str!("../testdata/dev.jsonl");
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let t = Instant::now();
    let scanner = dlp::Scanner::new();
    println!("Scanner::new: {:?}", t.elapsed());
    let bytes: usize = texts.iter().map(String::len).sum();
    let rounds = 20;
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for s in &texts {
            n += scanner.scan(s).findings.len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "corpus: {} texts, {} bytes x {rounds}: {:.1} MB/s ({n} findings)",
        texts.len(),
        bytes,
        (bytes * rounds) as f64 / secs / 1e6
    );
    // ~100 KB messages.
    let mut msgs = Vec::new();
    let mut cur = String::new();
    for s in texts.iter().cycle().take(5000) {
        cur.push_str(s);
        cur.push_str("\n\n");
        if cur.len() >= 100 * 1024 {
            msgs.push(std::mem::take(&mut cur));
        }
    }
    let mut lat = Vec::new();
    for m in &msgs {
        let t = Instant::now();
        let r = scanner.scan(m);
        lat.push(t.elapsed());
        std::hint::black_box(r);
    }
    lat.sort();
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q) as usize];
    let total: usize = msgs.iter().map(String::len).sum();
    let sum: f64 = lat.iter().map(|d| d.as_secs_f64()).sum();
    println!(
        "100 KB messages: {} of them, p50 {:?}, p99 {:?}, max {:?}, {:.1} MB/s",
        msgs.len(),
        p(0.5),
        p(0.99),
        lat[lat.len() - 1],
        total as f64 / sum / 1e6
    );
}
