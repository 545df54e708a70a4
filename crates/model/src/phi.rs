//! Markers for values that may hold PHI, and escaping of untrusted bytes for logs.

use std::fmt;

/// A value that may hold protected health information. It prints as `[redacted]` in both
/// `Debug` and `Display`; reach the value only through [`Phi::expose`], which makes every
/// place that handles PHI easy to find.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Phi<T>(T);

impl<T> Phi<T> {
    /// Wrap a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }
    /// The wrapped value. Callers must not log it.
    pub fn expose(&self) -> &T {
        &self.0
    }
    /// Unwrap the value. Callers must not log it.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Phi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Phi<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Escape untrusted protocol bytes for a log line: printable ASCII passes, everything else
/// becomes `\xNN`, and the result is cut at `max` input bytes with a trailing `...`.
/// Use it only for bytes that cannot hold PHI (SMTP verbs, extension names), never bodies.
pub fn escape_for_log(bytes: &[u8], max: usize) -> String {
    let mut out = String::with_capacity(bytes.len().min(max) + 4);
    for &b in bytes.iter().take(max) {
        if (0x20..0x7f).contains(&b) && b != b'\\' {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if bytes.len() > max {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_never_prints_its_value() {
        let p = Phi::new("123-45-6789".to_string());
        assert_eq!(format!("{p:?} {p}"), "[redacted] [redacted]");
        assert_eq!(p.expose(), "123-45-6789");
    }

    #[test]
    fn escape_for_log_hides_control_bytes_and_truncates() {
        assert_eq!(escape_for_log(b"EHLO\r\n", 10), "EHLO\\x0d\\x0a");
        assert_eq!(escape_for_log(b"abcdef", 3), "abc...");
        assert_eq!(escape_for_log(b"a\\b", 10), "a\\x5cb");
    }
}
