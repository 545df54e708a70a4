//! Throughput of [`dlp::Scanner::scan`] (release, one thread): `cargo bench -p dlp`.
//!
//! `corpus`: every text of `testdata/dev.jsonl` in turn (about 320 KB of mail-sized texts).
//! `email_100kb`: one ~100 KB message built by concatenating corpus texts.
//! The latency distribution (p50/p99) is printed by `cargo run --release -p dlp --example latency`.

use divan::counter::BytesCount;

fn main() {
    divan::main();
}

fn corpus() -> Vec<String> {
    include_str!("../testdata/dev.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect()
}

/// About 100 KB of mail: corpus texts joined by blank lines.
fn email_100kb(texts: &[String]) -> String {
    let mut m = String::new();
    for t in texts.iter().cycle() {
        if m.len() >= 100 * 1024 {
            break;
        }
        m.push_str(t);
        m.push_str("\n\n");
    }
    m
}

static SCANNER: std::sync::LazyLock<dlp::Scanner> = std::sync::LazyLock::new(dlp::Scanner::new);
static TEXTS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(corpus);

#[divan::bench(sample_count = 50)]
fn corpus_all(b: divan::Bencher<'_, '_>) {
    let texts = &*TEXTS;
    let bytes: usize = texts.iter().map(String::len).sum();
    let s = &*SCANNER;
    b.counter(BytesCount::new(bytes)).bench(|| {
        let mut n = 0;
        for t in texts {
            n += s.scan(divan::black_box(t)).findings.len();
        }
        n
    });
}

#[divan::bench(sample_count = 200)]
fn email_100kb_one(b: divan::Bencher<'_, '_>) {
    let m = email_100kb(&TEXTS);
    let s = &*SCANNER;
    b.counter(BytesCount::new(m.len()))
        .bench(|| s.scan(divan::black_box(&m)));
}
