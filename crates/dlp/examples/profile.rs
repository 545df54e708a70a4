//! A driver for instruction counts, steadier than timings on a shared machine. It scans the dev
//! corpus (or the ~100 KB message of the benchmarks) once to warm up, then once more inside
//! `measured`, so that only the second pass is counted:
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-release cargo build --release -p dlp --example profile
//! valgrind --tool=callgrind --toggle-collect='profile::measured' \
//!     /work/target-release/release/examples/profile [corpus|100k|xlines]
//! ```
//!
//! Instructions per byte = callgrind's "Collected" / the byte count printed.
fn main() {
    let texts: Vec<String> = include_str!("../testdata/dev.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let texts = if std::env::args().nth(1).as_deref() == Some("xlines") {
        // The relay benchmark's body as Postfix's `smtp-source -l 204800` writes it: lines of a
        // digit and 77 `X`, the digits counting 1 to 0 over and over. (Until 2026-12-03 this
        // was 70 lower-case `x` a line, which costs the detector less: 5.3 against 7.0 million
        // instructions.)
        let xs = "X".repeat(77);
        vec![(1..=2560).map(|n| format!("{}{xs}\r\n", n % 10)).collect()]
    } else if std::env::args().nth(1).as_deref() == Some("100k") {
        let mut m = String::new();
        for t in texts.iter().cycle() {
            if m.len() >= 100 * 1024 {
                break;
            }
            m.push_str(t);
            m.push_str("\n\n");
        }
        vec![m]
    } else {
        texts
    };
    let scanner = dlp::Scanner::new();
    // Warm-up (lazy statics, per-thread buffers), outside `measured`.
    let warm: usize = texts.iter().map(|t| scanner.scan(t).findings.len()).sum();
    let n = measured(&scanner, &texts);
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("{n} findings ({warm} warm), {bytes} bytes");
}

/// The scans that are counted.
#[inline(never)]
fn measured(scanner: &dlp::Scanner, texts: &[String]) -> usize {
    let mut n = 0;
    for t in texts {
        n += std::hint::black_box(scanner.scan(std::hint::black_box(t)))
            .findings
            .len();
    }
    n
}
