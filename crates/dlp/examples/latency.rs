//! Latency for one ~100 KB e-mail (release: `cargo run --release -p dlp --example latency`).
//! Scans the same message 500 times and prints min, median, p99 and max, plus MB/s at the
//! median. The message is corpus texts joined by blank lines (as in `benches/scan.rs`).
use std::time::{Duration, Instant};

fn main() {
    let texts: Vec<String> = include_str!("../testdata/dev.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let mut msg = String::new();
    for t in texts.iter().cycle() {
        if msg.len() >= 100 * 1024 {
            break;
        }
        msg.push_str(t);
        msg.push_str("\n\n");
    }
    let scanner = dlp::Scanner::new();
    // Warm up caches and lazy statics.
    for _ in 0..20 {
        std::hint::black_box(scanner.scan(&msg));
    }
    let runs = 500;
    let mut lat: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(scanner.scan(std::hint::black_box(&msg)));
            t.elapsed()
        })
        .collect();
    lat.sort();
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{} bytes x {runs} runs: min {:?}, p50 {:?}, p99 {:?}, max {:?}; {:.1} MB/s at p50",
        msg.len(),
        lat[0],
        q(0.5),
        q(0.99),
        lat[lat.len() - 1],
        msg.len() as f64 / q(0.5).as_secs_f64() / 1e6
    );
}
