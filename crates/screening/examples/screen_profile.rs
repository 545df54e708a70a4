//! Instruction counts for screening the relay benchmark's message (what Postfix's `smtp-source
//! -l 204800` sends: a plain header, then lines of a digit and 77 `X`, the digits counting 1 to
//! 0 over and over):
//!
//! ```text
//! cargo build --release -p screening --example screen_profile
//! valgrind --tool=callgrind --toggle-collect='screen_profile::measured' target/release/examples/screen_profile
//! ```
fn main() {
    let kb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let mut raw = String::from(
        "From: <foo@example.test>\r\nTo: <bar@example.test>\r\nDate: Thu, 3 Dec 2026 07:00:00 +0000\r\n\
         Message-Id: <1.2@example.test>\r\n\r\n",
    );
    let xs = "X".repeat(77);
    for n in 1.. {
        if raw.len() >= kb * 1024 {
            break;
        }
        raw.push_str(&format!("{}{xs}\r\n", n % 10));
    }
    let screener = screening::Screener::new();
    let warm = screener.screen(raw.as_bytes());
    let v = measured(&screener, raw.as_bytes());
    assert_eq!(warm, v);
    println!("{} bytes, phi {}", raw.len(), v.phi);
}

/// The screening that is counted.
#[inline(never)]
fn measured(s: &screening::Screener, raw: &[u8]) -> screening::MessageVerdict {
    std::hint::black_box(s.screen(std::hint::black_box(raw)))
}
