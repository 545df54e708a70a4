//! Receiving the DATA body: end-of-data detection, dot-unstuffing and the SMTP smuggling
//! defence (RFC 5321 sections 2.3.8, 4.1.1.4 and 4.5.2; CVE-2023-51764/51765/51766).
//!
//! Only `<CR><LF>.<CR><LF>` ends the body (the CRLF of the DATA command line counts as the
//! first CRLF, so `.<CR><LF>` right after DATA is an empty message). A line starts only
//! after a real CRLF: a bare LF or bare CR never starts a line, so `<LF>.<LF>`,
//! `<LF>.<CR><LF>`, `<CR><LF>.<LF>`, `<CR>.<CR>` and friends are body bytes, never an end.
//! A body that holds any bare CR, bare LF or NUL is refused after the real end, so a
//! downstream server that *would* read such a sequence as an end never receives it.
//!
//! The scanner copies runs of ordinary bytes with one `extend_from_slice` and steps through
//! special bytes with a small state machine; it keeps its state across calls, so a sequence
//! split over reads is handled exactly like one in a single read.

use crate::reply::Reply;

/// Scanner state between bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// At the start of a line (after CRLF, or right after the DATA command).
    LineStart,
    /// Inside a line.
    Mid,
    /// Saw CR inside a line; LF completes the line ending.
    Cr,
    /// Saw `.` at the start of a line.
    Dot,
    /// Saw `.` then CR at the start of a line; LF ends the body.
    DotCr,
}

/// What the body contained that makes us refuse it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Faults {
    bare_cr: bool,
    bare_lf: bool,
    nul: bool,
    line_too_long: bool,
    oversize: bool,
}

/// Receives one message body.
#[derive(Debug)]
pub(crate) struct DataReceiver {
    data: Vec<u8>,
    scan: Scan,
    line_len: usize,
    max_line: usize,
    max_size: usize,
    faults: Faults,
}

/// The body is complete: either the bytes to deliver, or the reply that refuses them.
pub(crate) type DataVerdict = Result<Vec<u8>, Reply>;

impl DataReceiver {
    /// Start a body. `size_hint` is the client's `SIZE=` (capped before allocating).
    pub(crate) fn new(max_size: usize, max_line: usize, size_hint: usize) -> Self {
        // Never trust a declared size for the allocation beyond 1 MiB; grow from there.
        let capacity = size_hint.clamp(4096, 1024 * 1024).min(max_size.max(4096));
        Self {
            data: Vec::with_capacity(capacity),
            scan: Scan::LineStart,
            line_len: 0,
            max_line,
            max_size,
            faults: Faults::default(),
        }
    }

    /// Consume bytes. Returns how many were used, and whether the end of data was seen
    /// (the bytes after it are not consumed: they are the next commands).
    pub(crate) fn consume(&mut self, input: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < input.len() {
            let b = input[i];
            match self.scan {
                Scan::LineStart if b == b'.' => {
                    // The leading dot is always removed (section 4.5.2).
                    self.scan = Scan::Dot;
                    self.line_len += 1;
                    i += 1;
                }
                Scan::LineStart | Scan::Mid => {
                    let rest = &input[i..];
                    // memchr: SIMD search for the next byte that needs a decision.
                    let run = memchr::memchr3(b'\r', b'\n', 0, rest).unwrap_or(rest.len());
                    if run > 0 {
                        self.push(&rest[..run]);
                        self.line_len += run;
                        i += run;
                        self.scan = Scan::Mid;
                        continue;
                    }
                    i += 1;
                    match b {
                        b'\r' => self.scan = Scan::Cr,
                        b'\n' => {
                            self.faults.bare_lf = true;
                            self.push(b"\n");
                            self.scan = Scan::Mid;
                        }
                        _ => {
                            self.faults.nul = true;
                            self.scan = Scan::Mid;
                        }
                    }
                }
                Scan::Cr => {
                    if b == b'\n' {
                        self.end_line();
                        self.push(b"\r\n");
                        self.scan = Scan::LineStart;
                        i += 1;
                    } else {
                        // Bare CR; the current byte is looked at again as line content.
                        self.faults.bare_cr = true;
                        self.push(b"\r");
                        self.scan = Scan::Mid;
                    }
                }
                Scan::Dot => {
                    if b == b'\r' {
                        self.scan = Scan::DotCr;
                        i += 1;
                    } else {
                        self.scan = Scan::Mid;
                    }
                }
                Scan::DotCr => {
                    if b == b'\n' {
                        return (i + 1, true);
                    }
                    // `.<CR>` + anything but LF: not an end. The CR is bare.
                    self.faults.bare_cr = true;
                    self.push(b"\r");
                    self.scan = Scan::Mid;
                }
            }
        }
        (i, false)
    }

    /// The end of data was seen: the body, or why it is refused.
    pub(crate) fn finish(self) -> DataVerdict {
        let f = self.faults;
        if f.oversize {
            return Err(Reply::new(552, "5.3.4", "Message size exceeds fixed limit"));
        }
        if f.bare_cr || f.bare_lf {
            // RFC 5321 section 2.3.8: CR and LF may only appear together as CRLF.
            return Err(Reply::new(554, "5.6.0", "Message contains bare CR or LF"));
        }
        if f.nul {
            return Err(Reply::new(554, "5.6.0", "Message contains NUL bytes"));
        }
        if f.line_too_long {
            return Err(Reply::new(
                554,
                "5.6.0",
                format!("Message line longer than {} bytes", self.max_line),
            ));
        }
        Ok(self.data)
    }

    fn end_line(&mut self) {
        if self.line_len > self.max_line {
            self.faults.line_too_long = true;
        }
        self.line_len = 0;
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.faults.oversize {
            return;
        }
        if self.data.len() + bytes.len() > self.max_size {
            // Stop buffering and give the memory back; keep scanning for the end.
            self.faults.oversize = true;
            self.data = Vec::new();
            return;
        }
        self.data.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receive_in_chunks(input: &[u8], chunk: usize) -> (Option<DataVerdict>, usize) {
        let mut rx = DataReceiver::new(1000, 100, 0);
        let mut used = 0;
        for piece in input.chunks(chunk) {
            let (n, done) = rx.consume(piece);
            used += n;
            if done {
                return (Some(rx.finish()), used);
            }
            assert_eq!(n, piece.len(), "consumes everything until the end");
        }
        (None, used)
    }

    #[test]
    fn crlf_dot_crlf_ends_data_whatever_the_read_boundaries() {
        let input = b"Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n";
        for chunk in 1..input.len() {
            let (verdict, used) = receive_in_chunks(input, chunk);
            assert_eq!(verdict, Some(Ok(b"Subject: x\r\n\r\nhello\r\n".to_vec())));
            assert_eq!(used, input.len() - b"QUIT\r\n".len());
        }
    }

    #[test]
    fn dot_right_after_data_is_an_empty_message() {
        assert_eq!(receive_in_chunks(b".\r\n", 3).0, Some(Ok(Vec::new())));
    }

    #[test]
    fn leading_dots_are_unstuffed() {
        let (verdict, _) = receive_in_chunks(b"..hidden\r\n...\r\n.x\r\n.\r\n", 64);
        assert_eq!(verdict, Some(Ok(b".hidden\r\n..\r\nx\r\n".to_vec())));
    }

    #[test]
    fn oversize_message_is_read_to_the_end_then_refused_with_552() {
        let mut body = b"a".repeat(90);
        body.extend_from_slice(b"\r\n");
        let mut input = body.repeat(20);
        input.extend_from_slice(b".\r\n");
        let (verdict, used) = receive_in_chunks(&input, 100);
        let reply = verdict.expect("ended").expect_err("too big");
        assert_eq!((reply.code(), reply.enhanced()), (552, "5.3.4"));
        assert_eq!(used, input.len());
    }

    #[test]
    fn message_at_the_size_limit_is_accepted() {
        let mut input = b"b".repeat(98);
        input.extend_from_slice(b"\r\n");
        let mut input = input.repeat(10);
        input.extend_from_slice(b".\r\n");
        let (verdict, _) = receive_in_chunks(&input, 7);
        assert_eq!(verdict.expect("ended").expect("fits").len(), 1000);
    }

    #[test]
    fn over_long_line_is_refused_at_the_end_not_hung() {
        let mut input = b"c".repeat(101);
        input.extend_from_slice(b"\r\n.\r\n");
        let reply = receive_in_chunks(&input, 10)
            .0
            .expect("ended")
            .expect_err("line");
        assert_eq!((reply.code(), reply.enhanced()), (554, "5.6.0"));
        let mut ok = b"c".repeat(100);
        ok.extend_from_slice(b"\r\n.\r\n");
        assert!(receive_in_chunks(&ok, 10).0.expect("ended").is_ok());
    }

    #[test]
    fn nul_does_not_end_data_and_is_refused() {
        let reply = receive_in_chunks(b"a\0b\r\n\0.\r\n.\r\n", 4)
            .0
            .expect("ended");
        assert_eq!(reply.expect_err("nul").code(), 554);
    }
}
