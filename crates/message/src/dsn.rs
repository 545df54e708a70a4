//! Delivery status notifications (RFC 3464) for failed and delayed recipient copies.
//!
//! A DSN is a `multipart/report; report-type=delivery-status` (RFC 6522) with three parts:
//!
//! 1. a short human-readable explanation (`text/plain`), which names the recipients and
//!    the reasons but never quotes the message;
//! 2. the machine-readable `message/delivery-status` part: `Reporting-MTA`,
//!    `Arrival-Date`, and per recipient `Final-Recipient`, `Action`, `Status`,
//!    `Diagnostic-Code`, `Last-Attempt-Date` (and `Will-Retry-Until` when delayed);
//! 3. `text/rfc822-headers`: the original message's header block only.
//!
//! **PHI:** the original *body* never enters a DSN: [`build_dsn`] takes the original
//! message and cuts it at the end of its header block itself, so a caller cannot pass the
//! body by mistake. The header block (Subject included) goes back to the original sender
//! only, as RFC 3464 intends. Remote replies are reduced to printable ASCII and truncated
//! before they are written, so a hostile next hop cannot inject header lines or MIME
//! boundaries.
//!
//! The DSN must be sent with the null envelope sender (`MAIL FROM:<>`, RFC 5321 section
//! 4.5.5) so that it can never cause another DSN; [`Dsn::envelope_from`] is `None` to make
//! that explicit to the queue.

use model::{EmailAddress, Timestamp};

/// Longest header block copied into a DSN; longer blocks are cut at a line boundary.
pub const MAX_ORIGINAL_HEADERS: usize = 64 * 1024;
/// Longest diagnostic text copied into a DSN, per recipient.
pub const MAX_DIAGNOSTIC: usize = 400;

/// What happened to a recipient (RFC 3464 section 2.3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DsnAction {
    /// Delivery failed permanently or the copy's lifetime ran out.
    Failed,
    /// Delivery is still being retried.
    Delayed,
}

impl DsnAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Failed => "failed",
            Self::Delayed => "delayed",
        }
    }
}

/// One recipient to report on.
#[derive(Clone, Debug)]
pub struct DsnRecipient {
    /// The recipient address.
    pub address: EmailAddress,
    /// Failed or delayed.
    pub action: DsnAction,
    /// Enhanced status code (RFC 3463) such as `5.1.1`. If `None` or malformed, it is
    /// taken from the diagnostic when that starts with one, else `5.0.0` / `4.0.0`.
    pub status: Option<String>,
    /// The next hop's reply (`smtp;` diagnostic), or our own reason. Sanitised here.
    pub diagnostic: Option<String>,
    /// The host that gave the reply (`Remote-MTA: dns; host`).
    pub remote_mta: Option<String>,
    /// When the last attempt ended.
    pub last_attempt: Option<Timestamp>,
    /// For delayed copies: when carepost stops retrying.
    pub will_retry_until: Option<Timestamp>,
}

/// Everything needed to build a DSN.
#[derive(Clone, Debug)]
pub struct DsnParams<'a> {
    /// Our host name (`Reporting-MTA`, `From: MAILER-DAEMON@…`, Message-ID domain).
    pub reporting_mta: &'a str,
    /// The original envelope sender: the DSN's recipient.
    pub original_sender: &'a EmailAddress,
    /// When the original message was accepted.
    pub arrival_date: Timestamp,
    /// Now (the DSN's `Date`).
    pub now: Timestamp,
    /// The recipients being reported on (at least one).
    pub recipients: &'a [DsnRecipient],
    /// The original message; only its header block is used.
    pub original_message: &'a [u8],
}

/// A built DSN: envelope and bytes.
#[derive(Clone, Debug)]
pub struct Dsn {
    /// Always `None`: DSNs are sent with the null sender `<>`.
    pub envelope_from: Option<EmailAddress>,
    /// The one envelope recipient: the original sender.
    pub envelope_to: EmailAddress,
    /// The message, CRLF line endings.
    pub message: Vec<u8>,
}

/// Build a DSN and its envelope.
pub fn build(params: &DsnParams<'_>) -> Dsn {
    Dsn {
        envelope_from: None,
        envelope_to: params.original_sender.clone(),
        message: build_dsn(params),
    }
}

/// Build the bytes of an RFC 3464 DSN.
pub fn build_dsn(params: &DsnParams<'_>) -> Vec<u8> {
    let host = sanitize(params.reporting_mta, 255);
    let boundary = format!("carepost-dsn-{}", uuid::Uuid::new_v4().simple());
    let any_failed = params
        .recipients
        .iter()
        .any(|r| r.action == DsnAction::Failed);
    let subject = if any_failed {
        "Undelivered Mail Returned to Sender"
    } else {
        "Delayed Mail (still being retried)"
    };
    let headers = original_header_block(params.original_message);
    let headers = crate::dkim::normalize_crlf(headers);
    let headers_8bit = !headers.is_ascii();

    let mut m = String::with_capacity(2048);
    // Top-level header.
    m.push_str(&format!(
        "From: Mail Delivery System <MAILER-DAEMON@{host}>\r\n"
    ));
    m.push_str(&format!("To: <{}>\r\n", params.original_sender));
    m.push_str(&format!("Subject: {subject}\r\n"));
    m.push_str(&format!("Date: {}\r\n", params.now.to_rfc5322()));
    m.push_str(&format!(
        "Message-ID: <{}@{host}>\r\n",
        uuid::Uuid::new_v4().simple()
    ));
    m.push_str("Auto-Submitted: auto-replied\r\n");
    m.push_str("MIME-Version: 1.0\r\n");
    m.push_str(&format!(
        "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n"
    ));
    m.push_str("\r\nThis is a MIME-encapsulated delivery status notification.\r\n");

    // 1. Human-readable part.
    m.push_str(&format!("\r\n--{boundary}\r\n"));
    m.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    m.push_str("Content-Description: Notification\r\n\r\n");
    m.push_str(&format!("This is the mail system at host {host}.\r\n\r\n"));
    if any_failed {
        m.push_str(
            "Your message could not be delivered to one or more recipients. It has not\r\n\
             been sent to them and will not be retried.\r\n\r\n",
        );
    } else {
        m.push_str(
            "Your message has not yet been delivered to one or more recipients. Delivery\r\n\
             is still being retried; you do not need to send it again.\r\n\r\n",
        );
    }
    for r in params.recipients {
        let reason = r
            .diagnostic
            .as_deref()
            .map(|d| sanitize(d, MAX_DIAGNOSTIC))
            .unwrap_or_else(|| "no further detail".to_string());
        m.push_str(&format!(
            "<{}>: {}: {reason}\r\n",
            r.address,
            r.action.as_str()
        ));
    }

    // 2. Machine-readable part.
    m.push_str(&format!("\r\n--{boundary}\r\n"));
    m.push_str("Content-Type: message/delivery-status\r\n");
    m.push_str("Content-Description: Delivery report\r\n\r\n");
    m.push_str(&format!("Reporting-MTA: dns; {host}\r\n"));
    m.push_str(&format!(
        "Arrival-Date: {}\r\n",
        params.arrival_date.to_rfc5322()
    ));
    for r in params.recipients {
        m.push_str("\r\n");
        let addr_type = if r.address.needs_smtputf8() {
            "utf-8"
        } else {
            "rfc822"
        };
        m.push_str(&format!("Final-Recipient: {addr_type}; {}\r\n", r.address));
        m.push_str(&format!("Action: {}\r\n", r.action.as_str()));
        m.push_str(&format!("Status: {}\r\n", status_code(r)));
        if let Some(mta) = &r.remote_mta {
            m.push_str(&format!("Remote-MTA: dns; {}\r\n", sanitize(mta, 255)));
        }
        if let Some(d) = &r.diagnostic {
            m.push_str(&format!(
                "Diagnostic-Code: smtp; {}\r\n",
                sanitize(d, MAX_DIAGNOSTIC)
            ));
        }
        if let Some(t) = r.last_attempt {
            m.push_str(&format!("Last-Attempt-Date: {}\r\n", t.to_rfc5322()));
        }
        if let (DsnAction::Delayed, Some(t)) = (r.action, r.will_retry_until) {
            m.push_str(&format!("Will-Retry-Until: {}\r\n", t.to_rfc5322()));
        }
    }

    // 3. The original header block, never the body.
    m.push_str(&format!("\r\n--{boundary}\r\n"));
    m.push_str("Content-Type: text/rfc822-headers\r\n");
    if headers_8bit {
        m.push_str("Content-Transfer-Encoding: 8bit\r\n");
    }
    m.push_str("Content-Description: Undelivered message headers\r\n\r\n");

    let mut out = m.into_bytes();
    out.extend_from_slice(&headers);
    if !headers.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}

/// The header block of a message (without the empty line that ends it), cut to at most
/// [`MAX_ORIGINAL_HEADERS`] bytes at a line boundary.
fn original_header_block(message: &[u8]) -> &[u8] {
    let mut end = message.len();
    let mut line_start = 0;
    while line_start < message.len() {
        let rest = &message[line_start..];
        if rest.starts_with(b"\r\n") || rest.starts_with(b"\n") {
            end = line_start;
            break;
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(off) => line_start += off + 1,
            None => break,
        }
    }
    let block = &message[..end];
    if block.len() <= MAX_ORIGINAL_HEADERS {
        return block;
    }
    let cut = &block[..MAX_ORIGINAL_HEADERS];
    match cut.iter().rposition(|&b| b == b'\n') {
        Some(nl) => &cut[..=nl],
        None => b"",
    }
}

/// The recipient's status code: the given one if well formed, else one from the start of
/// the diagnostic (`550 5.1.1 ...`), else a generic one for the action.
fn status_code(r: &DsnRecipient) -> String {
    let class = match r.action {
        DsnAction::Failed => '5',
        DsnAction::Delayed => '4',
    };
    let from_diag = r.diagnostic.as_deref().and_then(|d| {
        d.split_ascii_whitespace()
            .take(2)
            .find(|w| valid_status(w))
            .map(str::to_string)
    });
    r.status
        .clone()
        .filter(|s| valid_status(s))
        .or(from_diag)
        .filter(|s| s.starts_with(class))
        .unwrap_or_else(|| format!("{class}.0.0"))
}

/// `class.subject.detail` with class 2, 4 or 5 (RFC 3463).
fn valid_status(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(c), Some(sub), Some(det), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(c, "2" | "4" | "5")
        && [sub, det]
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Printable ASCII only (anything else becomes a space, runs collapsed), at most `max`
/// characters, so untrusted text cannot break header or MIME structure.
fn sanitize(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    for c in s.chars() {
        if out.len() >= max {
            out.push_str("...");
            break;
        }
        let c = if c.is_ascii_graphic() { c } else { ' ' };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    use super::*;

    const CANARY: &str = "CANARY-PHI-7f3a9c-DIAGNOSIS";

    fn original() -> Vec<u8> {
        format!(
            "From: doctor@clinic.example\r\nTo: lab@lab.example\r\nSubject: Results\r\n\
             Message-ID: <orig@clinic.example>\r\n\r\nPatient body {CANARY}\r\n"
        )
        .into_bytes()
    }

    fn recipient(action: DsnAction, diag: &str) -> DsnRecipient {
        DsnRecipient {
            address: EmailAddress::parse("lab@lab.example").expect("valid"),
            action,
            status: None,
            diagnostic: Some(diag.to_string()),
            remote_mta: Some("mx.lab.example".into()),
            last_attempt: Some(Timestamp(1_796_000_100_000)),
            will_retry_until: Some(Timestamp(1_796_400_000_000)),
        }
    }

    fn params<'a>(
        sender: &'a EmailAddress,
        rcpts: &'a [DsnRecipient],
        orig: &'a [u8],
    ) -> DsnParams<'a> {
        DsnParams {
            reporting_mta: "gw.clinic.example",
            original_sender: sender,
            arrival_date: Timestamp(1_796_000_000_000),
            now: Timestamp(1_796_000_200_000),
            recipients: rcpts,
            original_message: orig,
        }
    }

    #[test]
    fn failed_dsn_parses_as_multipart_report_with_three_parts() {
        let sender = EmailAddress::parse("doctor@clinic.example").expect("valid");
        let rcpts = [recipient(
            DsnAction::Failed,
            "550 5.1.1 <lab@lab.example>: no such user",
        )];
        let orig = original();
        let dsn = build(&params(&sender, &rcpts, &orig));
        assert_eq!(dsn.envelope_from, None);
        assert_eq!(dsn.envelope_to, sender);

        let msg = MessageParser::default()
            .parse(&dsn.message)
            .expect("parses");
        let ct = msg.content_type().expect("content type");
        assert_eq!(ct.ctype(), "multipart");
        assert_eq!(ct.subtype(), Some("report"));
        assert_eq!(ct.attribute("report-type"), Some("delivery-status"));
        assert_eq!(
            msg.from().and_then(|a| a.first()).and_then(|a| a.address()),
            Some("MAILER-DAEMON@gw.clinic.example")
        );
        assert_eq!(msg.subject(), Some("Undelivered Mail Returned to Sender"));

        let root = &msg.parts[0];
        let PartType::Multipart(children) = &root.body else {
            panic!("root is not multipart");
        };
        assert_eq!(children.len(), 3);
        let types: Vec<String> = children
            .iter()
            .map(|&i| {
                let ct = msg.parts[i as usize].content_type().expect("part type");
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or(""))
            })
            .collect();
        assert_eq!(
            types,
            [
                "text/plain",
                "message/delivery-status",
                "text/rfc822-headers"
            ]
        );

        let text = String::from_utf8_lossy(&dsn.message);
        assert!(text.contains("Reporting-MTA: dns; gw.clinic.example\r\n"));
        assert!(text.contains("Final-Recipient: rfc822; lab@lab.example\r\n"));
        assert!(text.contains("Action: failed\r\n"));
        assert!(text.contains("Status: 5.1.1\r\n"));
        assert!(text.contains("Diagnostic-Code: smtp; 550 5.1.1 <lab@lab.example>: no such"));
        assert!(text.contains("Remote-MTA: dns; mx.lab.example\r\n"));
        assert!(text.contains("Arrival-Date: "));
        assert!(
            text.contains("Subject: Results\r\n"),
            "original headers are included"
        );
        assert!(!text.contains("Will-Retry-Until"), "only for delayed");
    }

    #[test]
    fn the_original_body_never_appears_in_the_dsn() {
        let sender = EmailAddress::parse("doctor@clinic.example").expect("valid");
        let rcpts = [recipient(DsnAction::Failed, "554 rejected")];
        for orig in [
            original(),
            String::from_utf8(original())
                .expect("ascii")
                .replace("\r\n", "\n")
                .into_bytes(),
        ] {
            let dsn = build_dsn(&params(&sender, &rcpts, &orig));
            let text = String::from_utf8_lossy(&dsn);
            assert!(!text.contains(CANARY), "body leaked into DSN:\n{text}");
            assert!(!text.contains("Patient body"));
            assert!(text.contains("Message-ID: <orig@clinic.example>"));
        }
    }

    #[test]
    fn delayed_dsn_carries_retry_until_and_a_4xx_status() {
        let sender = EmailAddress::parse("doctor@clinic.example").expect("valid");
        let rcpts = [recipient(DsnAction::Delayed, "451 4.7.1 greylisted")];
        let orig = original();
        let dsn = build_dsn(&params(&sender, &rcpts, &orig));
        let text = String::from_utf8_lossy(&dsn);
        assert!(text.contains("Action: delayed\r\n"));
        assert!(text.contains("Status: 4.7.1\r\n"));
        assert!(text.contains("Will-Retry-Until: "));
        assert!(text.contains("Subject: Delayed Mail"));
    }

    #[test]
    fn hostile_remote_reply_cannot_inject_lines_or_boundaries() {
        let sender = EmailAddress::parse("doctor@clinic.example").expect("valid");
        let evil = "550 oops\r\nAction: delivered\r\n--carepost-dsn-x--\r\n\u{1b}[31m";
        let rcpts = [recipient(DsnAction::Failed, evil)];
        let orig = original();
        let dsn = build_dsn(&params(&sender, &rcpts, &orig));
        let text = String::from_utf8_lossy(&dsn);
        assert!(!text.contains("\r\nAction: delivered"));
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("Status: 5.0.0\r\n"));
        let msg = MessageParser::default().parse(&dsn).expect("parses");
        let PartType::Multipart(children) = &msg.parts[0].body else {
            panic!("root is not multipart");
        };
        assert_eq!(children.len(), 3);
    }

    #[test]
    fn status_codes_are_validated_and_match_the_action() {
        let mut r = recipient(DsnAction::Failed, "550 5.7.1 policy");
        r.status = Some("5.1.10".into());
        assert_eq!(status_code(&r), "5.1.10");
        r.status = Some("bogus".into());
        assert_eq!(status_code(&r), "5.7.1");
        r.diagnostic = Some("451 4.4.1 try later".into());
        assert_eq!(
            status_code(&r),
            "5.0.0",
            "a 4xx code cannot describe a failure"
        );
        assert!(valid_status("2.0.0") && !valid_status("3.0.0") && !valid_status("5.1"));
        assert!(!valid_status("5.1234.1"));
    }

    #[test]
    fn header_block_is_cut_at_the_blank_line_and_capped() {
        assert_eq!(
            original_header_block(b"A: 1\r\nB: 2\r\n\r\nbody"),
            b"A: 1\r\nB: 2\r\n"
        );
        assert_eq!(
            original_header_block(b"A: 1\nB: 2\n\nbody"),
            b"A: 1\nB: 2\n"
        );
        assert_eq!(original_header_block(b"A: 1\r\n"), b"A: 1\r\n");
        let big = "X: y\r\n".repeat(20_000) + "\r\nbody";
        let block = original_header_block(big.as_bytes());
        assert!(block.len() <= MAX_ORIGINAL_HEADERS && block.ends_with(b"\r\n"));
    }
}
