//! The offline verifier never panics on any export file and never says "ok" to lines it
//! did not check against a trusted head.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let trusted = audit::TrustedKeys::new();
    // No key is trusted, so nothing may verify.
    assert!(audit::verify_export(text.lines(), &trusted).is_err());
});
