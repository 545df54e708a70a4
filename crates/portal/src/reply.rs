//! Building the e-mail that carries a reader's reply back to the original sender.

use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::text::Text;

use crate::content::{MessageView, sanitize_filename};
use crate::secrets;

/// Characters of reply text accepted.
pub const MAX_REPLY_CHARS: usize = 100_000;
/// Files attached to one reply.
pub const MAX_REPLY_ATTACHMENTS: usize = 10;
/// The header that marks a portal reply (for routing, policy and loop checks).
pub const REPLY_HEADER: &str = "X-Carepost-Portal-Reply";

/// Builds the reply message: `from` is the reader's address, `to` the original sender.
/// Text beyond [`MAX_REPLY_CHARS`] and attachments beyond [`MAX_REPLY_ATTACHMENTS`] are
/// dropped (the adapter refuses such input before calling; this is the last guard). The
/// Date header is the current time (mail-builder's default); Message-ID is random at
/// `hostname`. No `Auto-Submitted`: a person wrote it.
pub fn build_reply(
    from: &str,
    to: &str,
    original: &MessageView,
    text: &str,
    attachments: &[(String, String, Vec<u8>)],
    hostname: &str,
) -> Vec<u8> {
    let subject = reply_subject(&original.subject);
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .take(MAX_REPLY_CHARS)
        .collect();
    let host = hostname
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .take(253)
        .collect::<String>();
    let host = if host.is_empty() {
        "localhost".to_string()
    } else {
        host
    };
    let message_id = format!("{}@{host}", secrets::new_csrf_token());

    let mut b = MessageBuilder::new()
        .from(header_safe(from))
        .to(header_safe(to))
        .subject(subject)
        .message_id(message_id)
        .header(REPLY_HEADER, HeaderType::Text(Text::new("1")))
        .text_body(text);
    if let Some(id) = &original.message_id {
        b = b.in_reply_to(id.clone()).references(id.clone());
    }
    for (i, (name, ctype, bytes)) in attachments.iter().take(MAX_REPLY_ATTACHMENTS).enumerate() {
        b = b.attachment(
            safe_content_type(ctype),
            sanitize_filename(name, i),
            bytes.clone(),
        );
    }
    // Writing into a Vec cannot fail.
    b.write_to_vec()
        .expect("writing a message to memory cannot fail")
}

/// `Re: ` + subject, without stacking prefixes (`Re:`, `RE:`, `Fwd: Re:` keep one `Re:`
/// at the front).
pub fn reply_subject(subject: &str) -> String {
    let s = subject.trim();
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("re:") {
        format!("Re: {}", s[3..].trim_start())
    } else if s.is_empty() {
        "Re:".to_string()
    } else {
        format!("Re: {s}")
    }
}

/// An address for a header: control characters (CR, LF, …) removed so a confused caller
/// cannot inject headers, and bounded.
fn header_safe(addr: &str) -> String {
    addr.chars()
        .filter(|c| !c.is_control())
        .take(320)
        .collect::<String>()
        .trim()
        .to_string()
}

/// A declared upload type if it looks like `type/subtype`, else octet-stream.
fn safe_content_type(ct: &str) -> String {
    let ct = ct.trim().to_ascii_lowercase();
    let ok = ct.len() <= 100
        && ct.split_once('/').is_some_and(|(a, b)| {
            let tok = |s: &str| {
                !s.is_empty()
                    && s.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&c))
            };
            tok(a) && tok(b)
        });
    if ok {
        ct
    } else {
        "application/octet-stream".to_string()
    }
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders};

    use super::*;

    fn original() -> MessageView {
        MessageView {
            subject: "Your lab results".into(),
            from: "Dr. Ada Quill <ada.quill@sunnyvale.example>".into(),
            message_id: Some("abc123@sunnyvale.example".into()),
            ..MessageView::default()
        }
    }

    #[test]
    fn reply_round_trips_through_mail_parser() {
        let raw = build_reply(
            "pat@example.org",
            "ada.quill@sunnyvale.example",
            &original(),
            "Thank you, doctor.\nSee you Tuesday.",
            &[(
                "../my notes.txt".into(),
                "text/plain".into(),
                b"notes".to_vec(),
            )],
            "portal.sunnyvale.example",
        );
        let m = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(m.subject(), Some("Re: Your lab results"));
        assert_eq!(m.in_reply_to().as_text(), Some("abc123@sunnyvale.example"));
        assert_eq!(m.references().as_text(), Some("abc123@sunnyvale.example"));
        assert_eq!(m.header_raw(REPLY_HEADER).map(str::trim), Some("1"));
        assert!(m.header_raw("Auto-Submitted").is_none());
        assert_eq!(
            m.from().and_then(|a| a.first()).and_then(|a| a.address()),
            Some("pat@example.org")
        );
        assert_eq!(
            m.to().and_then(|a| a.first()).and_then(|a| a.address()),
            Some("ada.quill@sunnyvale.example")
        );
        assert!(
            m.message_id()
                .is_some_and(|id| id.ends_with("@portal.sunnyvale.example"))
        );
        assert!(
            m.body_text(0)
                .is_some_and(|t| t.contains("See you Tuesday."))
        );
        let att = m.attachment(0).expect("attachment");
        assert_eq!(att.attachment_name(), Some("my notes.txt"));
        assert_eq!(att.contents(), b"notes");
    }

    #[test]
    fn limits_are_applied() {
        let files: Vec<_> = (0..12)
            .map(|i| (format!("f{i}.txt"), "bad type".to_string(), vec![b'x']))
            .collect();
        let long = "y".repeat(MAX_REPLY_CHARS + 50);
        let raw = build_reply(
            "a@example.org",
            "b@example.org",
            &original(),
            &long,
            &files,
            "h",
        );
        let m = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(m.attachment_count(), MAX_REPLY_ATTACHMENTS);
        let ct = m.attachment(0).and_then(|a| a.content_type()).expect("ct");
        assert_eq!(
            (ct.ctype(), ct.subtype()),
            ("application", Some("octet-stream"))
        );
        let body = m.body_text(0).expect("text");
        assert_eq!(
            body.trim_end().chars().filter(|c| *c == 'y').count(),
            MAX_REPLY_CHARS
        );
    }

    #[test]
    fn addresses_cannot_inject_headers() {
        let raw = build_reply(
            "pat@example.org\r\nBcc: spy@evil.example",
            "b@example.org",
            &original(),
            "hi",
            &[],
            "h\r\nX-Evil: 1",
        );
        let m = MessageParser::default().parse(&raw).expect("parses");
        assert!(m.bcc().is_none());
        assert!(m.header_raw("X-Evil").is_none());
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("\r\nBcc:"));
    }

    #[test]
    fn subject_gets_one_re_prefix() {
        assert_eq!(reply_subject("Results"), "Re: Results");
        assert_eq!(reply_subject("Re: Results"), "Re: Results");
        assert_eq!(reply_subject("RE:Results"), "Re: Results");
        assert_eq!(reply_subject(""), "Re:");
    }

    #[test]
    fn reply_without_message_id_has_no_threading_headers() {
        let mut o = original();
        o.message_id = None;
        let raw = build_reply("a@example.org", "b@example.org", &o, "hi", &[], "h");
        let m = MessageParser::default().parse(&raw).expect("parses");
        assert!(m.header_raw("In-Reply-To").is_none());
    }
}
