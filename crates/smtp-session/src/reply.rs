//! SMTP replies with enhanced status codes (RFC 5321 section 4.2, RFC 3463, RFC 2034).

use std::fmt;

/// One single-line SMTP reply: a three-digit code, an enhanced status code and text.
///
/// The text is sanitised on construction (control characters become spaces, length is
/// capped), so text that came from a handler can never inject a second reply line.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    code: u16,
    enhanced: &'static str,
    text: String,
}

/// Longest reply text we send (RFC 5321 section 4.5.3.1.5 allows 512 octets per line).
const MAX_TEXT: usize = 400;

impl Reply {
    /// A reply. `code` is 200..=599; `enhanced` is an RFC 3463 code whose class matches the
    /// first digit of `code` (e.g. `"2.1.0"`), or `""` for replies that carry none.
    pub fn new(code: u16, enhanced: &'static str, text: impl Into<String>) -> Self {
        debug_assert!(
            (200..=599).contains(&code),
            "reply code {code} out of range"
        );
        debug_assert!(
            enhanced.is_empty() || enhanced.as_bytes()[0] == b'0' + (code / 100) as u8,
            "enhanced code {enhanced} does not match {code}"
        );
        let mut text: String = text.into();
        if text.len() > MAX_TEXT {
            let mut cut = MAX_TEXT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        if text.chars().any(char::is_control) {
            text = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
        }
        Self {
            code,
            enhanced,
            text,
        }
    }

    /// The three-digit reply code.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The enhanced status code (`"5.7.1"`), empty if the reply has none.
    pub fn enhanced(&self) -> &'static str {
        self.enhanced
    }

    /// The reply text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True for 4xx replies.
    pub fn is_temporary(&self) -> bool {
        (400..500).contains(&self.code)
    }

    /// True for 5xx replies.
    pub fn is_permanent(&self) -> bool {
        self.code >= 500
    }

    /// Append the wire form (`code SP enhanced SP text CRLF`) to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_code(out, self.code, b' ');
        if !self.enhanced.is_empty() {
            out.extend_from_slice(self.enhanced.as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(self.text.as_bytes());
        out.extend_from_slice(b"\r\n");
    }

    /// The wire form as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 16);
        self.write_to(&mut out);
        out
    }

    // ── Replies an adapter commonly needs ─────────────────────────────────────────────

    /// `250 2.0.0 Ok: queued as <id>`: the message is durably committed.
    pub fn queued(id: impl fmt::Display) -> Self {
        Self::new(250, "2.0.0", format!("Ok: queued as {id}"))
    }

    /// `553 5.7.1`: the login or device may not use this sender address.
    pub fn sender_not_allowed() -> Self {
        Self::new(
            553,
            "5.7.1",
            "Sender address not allowed for this login/device",
        )
    }

    /// `451 4.7.1`: a message rate limit was hit.
    pub fn rate_limited() -> Self {
        Self::new(451, "4.7.1", "Rate limit exceeded, try again later")
    }

    /// `451 4.3.0` with the given reason: a temporary local failure (queue unavailable).
    pub fn temporary_failure(reason: impl Into<String>) -> Self {
        Self::new(451, "4.3.0", reason)
    }

    /// `554 5.6.0` with the given reason: the message is refused for good.
    pub fn permanent_failure(reason: impl Into<String>) -> Self {
        Self::new(554, "5.6.0", reason)
    }

    /// `550 5.7.1 <reason>`: the organisation's policy refuses the message.
    pub fn refused_by_policy(reason: impl Into<String>) -> Self {
        Self::new(550, "5.7.1", reason)
    }

    /// `421 4.7.0 Too many connections`: sent on accept when a connection cap is reached.
    pub fn too_many_connections() -> Self {
        Self::new(421, "4.7.0", "Too many connections, try again later")
    }

    /// `421 4.4.2`: the client was idle too long.
    pub fn idle_timeout() -> Self {
        Self::new(421, "4.4.2", "Idle timeout, closing connection")
    }

    /// `421 4.3.2`: the server is shutting down.
    pub fn shutting_down() -> Self {
        Self::new(421, "4.3.2", "Service shutting down, closing connection")
    }

    /// `454 4.7.0`: too many recent authentication failures from this client address.
    pub fn auth_throttled() -> Self {
        Self::new(
            454,
            "4.7.0",
            "Too many authentication failures, try again later",
        )
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reply({} {} {:?})", self.code, self.enhanced, self.text)
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.enhanced.is_empty() {
            write!(f, "{} {}", self.code, self.text)
        } else {
            write!(f, "{} {} {}", self.code, self.enhanced, self.text)
        }
    }
}

/// Append a reply code and its separator (`' '` for the last line, `'-'` otherwise).
pub(crate) fn write_code(out: &mut Vec<u8>, code: u16, sep: u8) {
    out.extend_from_slice(&[
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
        sep,
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_code_enhanced_code_and_text() {
        assert_eq!(
            Reply::queued("abc").to_bytes(),
            b"250 2.0.0 Ok: queued as abc\r\n"
        );
        assert_eq!(
            Reply::new(354, "", "Go ahead").to_bytes(),
            b"354 Go ahead\r\n"
        );
    }

    #[test]
    fn handler_text_cannot_inject_a_second_line() {
        let r = Reply::temporary_failure("db down\r\n250 2.0.0 Ok");
        assert_eq!(r.to_bytes(), b"451 4.3.0 db down  250 2.0.0 Ok\r\n");
    }

    #[test]
    fn long_text_is_truncated_on_a_char_boundary() {
        let r = Reply::permanent_failure("é".repeat(500));
        assert!(r.text().len() <= MAX_TEXT);
    }
}
