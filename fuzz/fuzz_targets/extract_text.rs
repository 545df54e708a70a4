//! Text extraction from a whole message (MIME, HTML, PDF, DOCX, XLSX) never panics and
//! stays within its limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = message::extract::ExtractLimits::default();
    let out = message::extract::extract_text(data, &limits);
    let total: usize = out.parts.iter().map(|p| p.text.len()).sum();
    assert!(total <= limits.max_total_bytes);
});
