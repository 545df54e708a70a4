//! Preparing a submitted message for the queue.
//!
//! The gateway hands over the bytes exactly as received (already checked for bare CR/LF
//! and size). Here we check that the header block parses, add the trace and identity
//! headers a submission server must add (RFC 6409 section 8: `Message-ID` and `Date` when
//! missing; RFC 5321 section 4.4: a `Received:` line), and read the few header facts the
//! queue needs (the `From:` domain for DKIM, bulk markers for priority). Nothing here is
//! logged; [`Prepared`]'s `Debug` omits the bytes.

use std::fmt;

use mail_parser::MessageParser;

use model::{Domain, EmailAddress, MessageId, Priority, Timestamp};

/// Why a submitted message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmissionError {
    /// The message has no header block that parses.
    #[error("message headers could not be parsed")]
    Unparseable,
    /// The header block exceeds the limit.
    #[error("header block larger than {0} bytes")]
    HeadersTooLarge(usize),
    /// There is no valid `From:` address (RFC 5322 section 3.6 requires one).
    #[error("message has no valid From: address")]
    NoFrom,
}

/// Facts about the submission, for the trace header.
#[derive(Clone, Debug)]
pub struct TraceInfo<'a> {
    /// Our host name.
    pub hostname: &'a str,
    /// The client's HELO/EHLO name (escaped before use).
    pub helo: &'a str,
    /// The client's IP address.
    pub client_ip: &'a str,
    /// `ESMTPSA`, `ESMTPS`, `ESMTP` or `HTTPS` (RFC 3848).
    pub protocol: &'a str,
    /// The queue id.
    pub id: MessageId,
    /// Arrival time.
    pub at: Timestamp,
}

/// A message ready to seal.
#[derive(Clone)]
pub struct Prepared {
    /// The bytes to seal and later deliver (trace headers prepended).
    pub bytes: Vec<u8>,
    /// Domain of the `From:` address (DKIM `d=`).
    pub from_domain: Domain,
    /// Priority suggested by the headers (`Precedence: bulk|list|junk` → bulk).
    pub priority: Priority,
    /// Length of the trace headers prepended to the submitted bytes.
    added: usize,
}

impl Prepared {
    /// The message as it was submitted: `bytes` without the trace headers.
    pub fn submitted(&self) -> &[u8] {
        &self.bytes[self.added..]
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("len", &self.bytes.len())
            .field("from_domain", &self.from_domain)
            .field("priority", &self.priority)
            .finish()
    }
}

/// Largest header block accepted (Postfix's `header_size_limit` is 100 KiB too).
pub const MAX_HEADER_BYTES: usize = 102_400;

/// Check and prepare a submitted message.
pub fn prepare(raw: &[u8], trace: &TraceInfo<'_>) -> Result<Prepared, SubmissionError> {
    let header_len = header_block_len(raw);
    if header_len > MAX_HEADER_BYTES {
        return Err(SubmissionError::HeadersTooLarge(MAX_HEADER_BYTES));
    }
    let parsed = MessageParser::default()
        .parse_headers(raw)
        .ok_or(SubmissionError::Unparseable)?;
    let from = parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .and_then(|a| EmailAddress::parse(a).ok())
        .ok_or(SubmissionError::NoFrom)?;
    let priority = match parsed
        .header_raw("Precedence")
        .map(|v| v.trim().to_ascii_lowercase())
    {
        Some(v) if v == "bulk" || v == "list" || v == "junk" => Priority::Bulk,
        _ => Priority::Clinical,
    };

    let mut added = String::with_capacity(256);
    added.push_str(&format!(
        "Received: from {helo} ([{ip}])\r\n\tby {host} (carepost) with {proto}\r\n\tid {id}; {date}\r\n",
        helo = header_safe(trace.helo, 64),
        ip = header_safe(trace.client_ip, 64),
        host = header_safe(trace.hostname, 255),
        proto = header_safe(trace.protocol, 16),
        id = trace.id,
        date = trace.at.to_rfc5322(),
    ));
    if parsed.message_id().is_none() {
        added.push_str(&format!(
            "Message-ID: <{}@{}>\r\n",
            trace.id,
            header_safe(trace.hostname, 255)
        ));
    }
    if parsed.date().is_none() {
        added.push_str(&format!("Date: {}\r\n", trace.at.to_rfc5322()));
    }
    let mut bytes = Vec::with_capacity(added.len() + raw.len());
    bytes.extend_from_slice(added.as_bytes());
    bytes.extend_from_slice(raw);
    Ok(Prepared {
        bytes,
        from_domain: from.domain().clone(),
        priority,
        added: added.len(),
    })
}

/// Length of the header block (up to and including the blank line), or the whole input.
fn header_block_len(raw: &[u8]) -> usize {
    raw.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .unwrap_or(raw.len())
}

/// Keep only characters that cannot break a header line.
fn header_safe(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .filter(|c| !matches!(c, '(' | ')' | ';' | '[' | ']'))
        .take(max)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace() -> TraceInfo<'static> {
        TraceInfo {
            hostname: "gw.clinic.test",
            helo: "client\r\nInjected: yes",
            client_ip: "127.0.0.1",
            protocol: "ESMTPSA",
            id: MessageId::new(),
            at: Timestamp::from_millis(1_796_000_000_000),
        }
    }

    #[test]
    fn adds_received_message_id_and_date_when_missing() {
        let raw = b"From: Nurse <nurse@clinic.test>\r\nTo: a@b.test\r\nSubject: hi\r\n\r\nbody\r\n";
        let p = prepare(raw, &trace()).expect("prepared");
        assert_eq!(p.submitted(), raw);
        let text = String::from_utf8(p.bytes).expect("utf8");
        assert!(text.starts_with("Received: from client"));
        assert!(text.contains("Message-ID: <"));
        assert!(text.contains("Date: "));
        assert!(text.ends_with("\r\nbody\r\n"));
        assert_eq!(p.from_domain.as_str(), "clinic.test");
        assert_eq!(p.priority, Priority::Clinical);
    }

    #[test]
    fn helo_cannot_inject_headers() {
        let raw = b"From: nurse@clinic.test\r\n\r\nx\r\n";
        let p = prepare(raw, &trace()).expect("prepared");
        let text = String::from_utf8(p.bytes).expect("utf8");
        assert!(!text.contains("\r\nInjected: yes"));
    }

    #[test]
    fn keeps_existing_message_id_and_marks_bulk() {
        let raw = b"From: news@clinic.test\r\nMessage-ID: <x@y>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\nPrecedence: bulk\r\n\r\nx\r\n";
        let p = prepare(raw, &trace()).expect("prepared");
        assert_eq!(p.submitted(), raw);
        let text = String::from_utf8(p.bytes).expect("utf8");
        assert_eq!(text.matches("Message-ID").count(), 1);
        assert_eq!(text.matches("Date:").count(), 1);
        assert_eq!(p.priority, Priority::Bulk);
    }

    #[test]
    fn refuses_messages_without_from_or_with_huge_headers() {
        assert_eq!(
            prepare(b"Subject: x\r\n\r\nbody\r\n", &trace()).err(),
            Some(SubmissionError::NoFrom)
        );
        let mut big = b"From: a@b.test\r\n".to_vec();
        for _ in 0..3000 {
            big.extend_from_slice(b"X-Filler: 0123456789012345678901234567890123456789\r\n");
        }
        big.extend_from_slice(b"\r\nbody");
        assert!(matches!(
            prepare(&big, &trace()),
            Err(SubmissionError::HeadersTooLarge(_))
        ));
    }
}
