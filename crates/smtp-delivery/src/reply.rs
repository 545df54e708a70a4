//! SMTP replies, EHLO capabilities and DATA encoding: pure functions, no I/O.

use model::escape_for_log;

/// Longest reply line accepted (RFC 5321 4.5.3.1.5 says 512; some servers send more).
pub(crate) const MAX_REPLY_LINE: usize = 2048;
/// Most lines in one multi-line reply.
pub(crate) const MAX_REPLY_LINES: usize = 128;
/// Longest escaped reply text kept for records and error strings.
pub(crate) const MAX_REPLY_TEXT: usize = 200;

/// One complete SMTP reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    /// The three-digit code.
    pub(crate) code: u16,
    /// The text of each line, after the code and separator, without CRLF.
    pub(crate) lines: Vec<Vec<u8>>,
}

/// The next hop sent something that is not an SMTP reply.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReplyError {
    #[error("reply line too long")]
    LineTooLong,
    #[error("too many reply lines")]
    TooManyLines,
    #[error("malformed reply line")]
    Malformed,
    #[error("inconsistent codes in multi-line reply")]
    InconsistentCode,
}

impl Reply {
    pub(crate) fn class(&self) -> u16 {
        self.code / 100
    }

    pub(crate) fn is_positive(&self) -> bool {
        self.class() == 2
    }

    /// The enhanced status code (RFC 3463) at the start of the first line, if any.
    pub(crate) fn enhanced(&self) -> Option<String> {
        let first = self.lines.first()?;
        let word = first.split(|&b| b == b' ').next()?;
        let text = std::str::from_utf8(word).ok()?;
        let mut parts = text.split('.');
        let ok = matches!(parts.next(), Some("2" | "4" | "5"))
            && parts.clone().count() == 2
            && parts.all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| text.to_string())
    }

    /// `code text`, lines joined with ` / `, escaped and cut to [`MAX_REPLY_TEXT`]:
    /// safe to store and show. It may still echo an address, so it is never logged.
    pub(crate) fn escaped(&self) -> String {
        let mut raw = self.code.to_string().into_bytes();
        for (i, line) in self.lines.iter().enumerate() {
            raw.extend_from_slice(if i == 0 { b" " } else { b" / " });
            raw.extend_from_slice(line);
        }
        escape_for_log(&raw, MAX_REPLY_TEXT)
    }

    /// Code and enhanced code only: what may go into logs.
    pub(crate) fn code_for_log(&self) -> String {
        match self.enhanced() {
            Some(e) => format!("{} {e}", self.code),
            None => self.code.to_string(),
        }
    }
}

/// Parse one complete reply from the front of `buf`. `Ok(None)` means more bytes are
/// needed; `Ok(Some((reply, used)))` consumed `used` bytes.
pub(crate) fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, ReplyError> {
    let mut pos = 0;
    let mut lines = Vec::new();
    let mut code = None;
    loop {
        let rest = &buf[pos..];
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            if rest.len() > MAX_REPLY_LINE {
                return Err(ReplyError::LineTooLong);
            }
            return Ok(None);
        };
        if nl > MAX_REPLY_LINE {
            return Err(ReplyError::LineTooLong);
        }
        let mut line = &rest[..nl];
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        pos += nl + 1;
        if line.len() < 3 || !line[..3].iter().all(u8::is_ascii_digit) {
            return Err(ReplyError::Malformed);
        }
        let this_code = u16::from(line[0] - b'0') * 100
            + u16::from(line[1] - b'0') * 10
            + u16::from(line[2] - b'0');
        if !(200..600).contains(&this_code) {
            return Err(ReplyError::Malformed);
        }
        if *code.get_or_insert(this_code) != this_code {
            return Err(ReplyError::InconsistentCode);
        }
        let (last, text) = match line.get(3) {
            None => (true, &b""[..]),
            Some(b' ') => (true, &line[4..]),
            Some(b'-') => (false, &line[4..]),
            Some(_) => return Err(ReplyError::Malformed),
        };
        lines.push(text.to_vec());
        if last {
            return Ok(Some((
                Reply {
                    code: this_code,
                    lines,
                },
                pos,
            )));
        }
        if lines.len() >= MAX_REPLY_LINES {
            return Err(ReplyError::TooManyLines);
        }
    }
}

/// What a next hop offers in its EHLO reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Capabilities {
    pub(crate) starttls: bool,
    pub(crate) pipelining: bool,
    pub(crate) smtputf8: bool,
    pub(crate) eightbitmime: bool,
    /// `SIZE` was offered; `Some(0)` means no fixed limit.
    pub(crate) size: Option<u64>,
}

impl Capabilities {
    /// From a 250 EHLO reply (the first line is the server's name, not a keyword).
    pub(crate) fn from_ehlo(reply: &Reply) -> Self {
        let mut caps = Self::default();
        for line in reply.lines.iter().skip(1) {
            let text = String::from_utf8_lossy(line);
            let mut words = text.split_ascii_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            match keyword.to_ascii_uppercase().as_str() {
                "STARTTLS" => caps.starttls = true,
                "PIPELINING" => caps.pipelining = true,
                "SMTPUTF8" => caps.smtputf8 = true,
                "8BITMIME" => caps.eightbitmime = true,
                "SIZE" => caps.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0)),
                _ => {}
            }
        }
        caps
    }
}

/// Encode a message for DATA: line endings normalised to CRLF (bare CR and bare LF
/// included, so no `\r.\r` or `\n.\n` smuggling can reach the next hop), lines starting
/// with `.` doubled (RFC 5321 4.5.2), a final CRLF added if missing, then `.` CRLF.
pub(crate) fn encode_data(payload: &[u8], out: &mut Vec<u8>) {
    out.reserve(payload.len() + payload.len() / 64 + 8);
    // Line by line: memchr finds each line end (CR, LF or CRLF, all written as CRLF) and the
    // line is copied in one piece, with a leading dot doubled (RFC 5321 section 4.5.2).
    let mut rest = payload;
    let mut at_line_start = true;
    while let Some(&first) = rest.first() {
        if first == b'.' {
            out.push(b'.');
        }
        match memchr::memchr2(b'\r', b'\n', rest) {
            Some(end) => {
                out.extend_from_slice(&rest[..end]);
                out.extend_from_slice(b"\r\n");
                let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
                rest = &rest[end + if crlf { 2 } else { 1 }..];
                at_line_start = true;
            }
            None => {
                out.extend_from_slice(rest);
                rest = &[];
                at_line_start = false;
            }
        }
    }
    if !at_line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Option<(Reply, usize)>, ReplyError> {
        parse_reply(s.as_bytes())
    }

    #[test]
    fn parses_single_and_multi_line_replies() {
        let (r, used) = parse("250 OK\r\nextra").expect("ok").expect("complete");
        assert_eq!((r.code, used), (250, 8));
        let (r, _) = parse("250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
            .expect("ok")
            .expect("complete");
        assert_eq!(r.lines.len(), 3);
        let caps = Capabilities::from_ehlo(&r);
        assert!(caps.starttls && caps.pipelining && !caps.smtputf8);
        let (r, _) = parse("220\n").expect("ok").expect("complete");
        assert_eq!(r.code, 220);
    }

    #[test]
    fn waits_for_more_bytes_on_partial_replies() {
        assert_eq!(parse("250-a\r\n250 b"), Ok(None));
        assert_eq!(parse("25"), Ok(None));
    }

    #[test]
    fn refuses_malformed_replies() {
        assert_eq!(parse("hello\r\n"), Err(ReplyError::Malformed));
        assert_eq!(parse("250xOK\r\n"), Err(ReplyError::Malformed));
        assert_eq!(parse("999 no\r\n"), Err(ReplyError::Malformed));
        assert_eq!(
            parse("250-a\r\n251 b\r\n"),
            Err(ReplyError::InconsistentCode)
        );
        let long = format!("250 {}\r\n", "x".repeat(MAX_REPLY_LINE));
        assert_eq!(parse(&long), Err(ReplyError::LineTooLong));
        assert_eq!(
            parse(&"x".repeat(MAX_REPLY_LINE + 1)),
            Err(ReplyError::LineTooLong)
        );
        let many = "250-a\r\n".repeat(MAX_REPLY_LINES + 1);
        assert_eq!(parse(&many), Err(ReplyError::TooManyLines));
    }

    #[test]
    fn extracts_enhanced_codes_and_escapes_text() {
        let (r, _) = parse("550-5.1.1 no such\r\n550 user\x1b\r\n")
            .expect("ok")
            .expect("c");
        assert_eq!(r.enhanced().as_deref(), Some("5.1.1"));
        assert_eq!(r.escaped(), "550 5.1.1 no such / user\\x1b");
        assert_eq!(r.code_for_log(), "550 5.1.1");
        let (r, _) = parse("250 OK\r\n").expect("ok").expect("c");
        assert_eq!(r.enhanced(), None);
    }

    #[test]
    fn reads_size_limits() {
        let (r, _) = parse("250-x\r\n250 SIZE 1000\r\n").expect("ok").expect("c");
        assert_eq!(Capabilities::from_ehlo(&r).size, Some(1000));
        let (r, _) = parse("250-x\r\n250 SIZE\r\n").expect("ok").expect("c");
        assert_eq!(Capabilities::from_ehlo(&r).size, Some(0));
    }

    fn encode(s: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        encode_data(s, &mut out);
        out
    }

    #[test]
    fn dot_stuffs_and_normalises_line_endings() {
        assert_eq!(encode(b"a\r\n.b\r\n"), b"a\r\n..b\r\n.\r\n".to_vec());
        assert_eq!(encode(b".\r\n"), b"..\r\n.\r\n".to_vec());
        assert_eq!(encode(b"no newline"), b"no newline\r\n.\r\n".to_vec());
        assert_eq!(encode(b""), b".\r\n".to_vec());
        // Smuggling attempts: bare LF / bare CR dot lines become stuffed CRLF lines.
        assert_eq!(encode(b"a\n.\nb"), b"a\r\n..\r\nb\r\n.\r\n".to_vec());
        assert_eq!(encode(b"a\r.\rb"), b"a\r\n..\r\nb\r\n.\r\n".to_vec());
    }
}
