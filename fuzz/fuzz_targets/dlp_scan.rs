//! The PHI detector never panics, and its spans are valid, ordered and on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SCANNER: OnceLock<dlp::Scanner> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let scanner = SCANNER.get_or_init(dlp::Scanner::new);
    let result = scanner.scan(&text);
    let mut last_end = 0;
    for f in &result.findings {
        assert!(f.start_byte < f.end_byte && f.end_byte <= text.len());
        assert!(f.start_byte >= last_end, "findings overlap or are out of order");
        assert!(text.is_char_boundary(f.start_byte) && text.is_char_boundary(f.end_byte));
        assert!((0.0..=1.0).contains(&f.score));
        last_end = f.end_byte;
    }
});
