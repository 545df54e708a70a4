//! Building an RFC 5322 message from the fields of a REST submission (`POST
//! /api/v1/messages`): sender, recipients, subject, text and/or HTML body, attachments and
//! a few carepost headers.
//!
//! Everything here is checked before anything is built, and each refusal names the field
//! (never its value, which may be PHI). Header values cannot carry CR or LF, so a caller
//! cannot inject headers; only the carepost headers in [`ALLOWED_EXTRA_HEADERS`] may be
//! set, so a client cannot forge `Received`, `DKIM-Signature` or authentication results.

use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::address::Address;
use mail_builder::headers::text::Text;

use model::EmailAddress;

/// Most recipients (to + cc + bcc) in one submission, as for SMTP's default.
pub const MAX_RECIPIENTS: usize = 100;
/// Most attachments.
pub const MAX_ATTACHMENTS: usize = 50;
/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 998;
/// Longest attachment file name, in characters.
pub const MAX_FILENAME_CHARS: usize = 255;
/// Longest extra header value, in characters.
pub const MAX_HEADER_CHARS: usize = 998;

/// The headers a client may set besides the usual ones: the carepost controls the SMTP
/// path also reads (patient reference and purpose for the disclosure log, the portal
/// passcode and read notice, the portal's SMS number).
pub const ALLOWED_EXTRA_HEADERS: &[&str] = &[
    "X-Carepost-Patient",
    "X-Carepost-Purpose",
    "X-Carepost-Portal-Passcode",
    "X-Carepost-Read-Notice",
    "X-Carepost-Portal-Sms",
    "Reply-To",
    "In-Reply-To",
    "References",
];

/// A file to attach.
#[derive(Clone, Debug)]
pub struct ComposeAttachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// MIME type (`application/pdf`); anything that is not `type/subtype` becomes
    /// `application/octet-stream`.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// The fields of one message.
#[derive(Clone, Debug)]
pub struct Compose {
    /// The sender (`From:` and the envelope sender).
    pub from: EmailAddress,
    /// Optional display name for `From:`.
    pub from_name: Option<String>,
    /// Visible recipients.
    pub to: Vec<EmailAddress>,
    /// Copied recipients.
    pub cc: Vec<EmailAddress>,
    /// Blind copies: envelope only, never in a header.
    pub bcc: Vec<EmailAddress>,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: Option<String>,
    /// HTML body.
    pub html: Option<String>,
    /// Attachments.
    pub attachments: Vec<ComposeAttachment>,
    /// Extra headers, each named in [`ALLOWED_EXTRA_HEADERS`].
    pub headers: Vec<(String, String)>,
}

/// Why the fields do not make a message (each names the field, never its value).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// No recipient at all.
    #[error("at least one recipient (to, cc or bcc) is required")]
    NoRecipients,
    /// Too many recipients.
    #[error("at most {MAX_RECIPIENTS} recipients are allowed")]
    TooManyRecipients,
    /// Neither text nor HTML.
    #[error("a text or html body is required")]
    NoBody,
    /// A field is too long or has characters a header cannot carry.
    #[error("{0} is too long or contains line breaks or control characters")]
    BadField(&'static str),
    /// Too many attachments.
    #[error("at most {MAX_ATTACHMENTS} attachments are allowed")]
    TooManyAttachments,
    /// A header that a client may not set.
    #[error(
        "header {0:?} may not be set (allowed: X-Carepost-Patient, X-Carepost-Purpose, X-Carepost-Portal-Passcode, X-Carepost-Read-Notice, X-Carepost-Portal-Sms, Reply-To, In-Reply-To, References)"
    )]
    HeaderNotAllowed(String),
}

impl Compose {
    /// Every envelope recipient (to, cc, bcc), each once, in that order.
    pub fn envelope_recipients(&self) -> Vec<EmailAddress> {
        let mut all: Vec<EmailAddress> = Vec::new();
        for a in self.to.iter().chain(&self.cc).chain(&self.bcc) {
            if !all.contains(a) {
                all.push(a.clone());
            }
        }
        all
    }

    /// Check the fields and build the message (CRLF line ends). `hostname` names the
    /// Message-ID's domain; `message_id_local` its random left part (the caller's RNG).
    pub fn build(&self, hostname: &str, message_id_local: &str) -> Result<Vec<u8>, ComposeError> {
        let recipients = self.envelope_recipients();
        if recipients.is_empty() {
            return Err(ComposeError::NoRecipients);
        }
        if recipients.len() > MAX_RECIPIENTS {
            return Err(ComposeError::TooManyRecipients);
        }
        if self.text.is_none() && self.html.is_none() {
            return Err(ComposeError::NoBody);
        }
        if self.attachments.len() > MAX_ATTACHMENTS {
            return Err(ComposeError::TooManyAttachments);
        }
        header_text(&self.subject, MAX_SUBJECT_CHARS, "subject")?;
        if let Some(name) = &self.from_name {
            header_text(name, 200, "from_name")?;
        }
        for a in &self.attachments {
            header_text(&a.filename, MAX_FILENAME_CHARS, "attachments[].filename")?;
        }
        let mut extra = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let Some(canonical) = ALLOWED_EXTRA_HEADERS
                .iter()
                .find(|allowed| allowed.eq_ignore_ascii_case(name))
            else {
                return Err(ComposeError::HeaderNotAllowed(
                    name.chars().filter(|c| !c.is_control()).take(60).collect(),
                ));
            };
            header_text(value, MAX_HEADER_CHARS, "headers")?;
            extra.push((*canonical, value.as_str()));
        }

        let from = match &self.from_name {
            Some(name) => Address::new_address(Some(name.as_str()), self.from.to_string()),
            None => Address::new_address(None::<&str>, self.from.to_string()),
        };
        let list = |addresses: &[EmailAddress]| {
            Address::new_list(
                addresses
                    .iter()
                    .map(|a| Address::new_address(None::<&str>, a.to_string()))
                    .collect(),
            )
        };
        let mut b = MessageBuilder::new()
            .from(from)
            .subject(self.subject.as_str())
            .message_id(format!("{message_id_local}@{hostname}"));
        if !self.to.is_empty() {
            b = b.to(list(&self.to));
        }
        if !self.cc.is_empty() {
            b = b.cc(list(&self.cc));
        }
        for (name, value) in extra {
            b = b.header(name, HeaderType::Text(Text::new(value)));
        }
        if let Some(text) = &self.text {
            b = b.text_body(text.as_str());
        }
        if let Some(html) = &self.html {
            b = b.html_body(html.as_str());
        }
        for a in &self.attachments {
            b = b.attachment(
                content_type_or_octets(&a.content_type),
                a.filename.as_str(),
                a.content.as_slice(),
            );
        }
        Ok(b.write_to_vec()
            .expect("writing a message to memory cannot fail"))
    }
}

fn header_text(value: &str, max_chars: usize, field: &'static str) -> Result<(), ComposeError> {
    if value.chars().count() > max_chars || value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(ComposeError::BadField(field));
    }
    Ok(())
}

fn content_type_or_octets(ct: &str) -> String {
    let ct = ct.trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&c))
    };
    if ct.len() <= 100
        && ct
            .split_once('/')
            .is_some_and(|(a, b)| token(a) && token(b))
    {
        ct
    } else {
        "application/octet-stream".to_string()
    }
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders};

    use super::*;

    fn addr(s: &str) -> EmailAddress {
        EmailAddress::parse(s).expect("address")
    }

    fn sample() -> Compose {
        Compose {
            from: addr("billing@clinic.example"),
            from_name: Some("Sunnyvale Billing".into()),
            to: vec![addr("pat@example.org")],
            cc: vec![addr("guardian@example.org")],
            bcc: vec![addr("archive@clinic.example"), addr("pat@example.org")],
            subject: "Your statement".into(),
            text: Some("Hello,\nyour statement is attached.".into()),
            html: Some("<p>Hello, your statement is attached.</p>".into()),
            attachments: vec![ComposeAttachment {
                filename: "statement.pdf".into(),
                content_type: "application/pdf".into(),
                content: b"%PDF-1.4 synthetic".to_vec(),
            }],
            headers: vec![("x-carepost-purpose".into(), "payment".into())],
        }
    }

    #[test]
    fn builds_a_message_that_parses_with_every_part_and_no_bcc_header() {
        let c = sample();
        let raw = c.build("gw.clinic.example", "abc123").expect("builds");
        let text = String::from_utf8_lossy(&raw);
        assert!(
            !text.contains("archive@clinic.example"),
            "bcc must not be in a header"
        );
        assert!(text.contains("X-Carepost-Purpose: payment"));
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(parsed.subject(), Some("Your statement"));
        assert_eq!(parsed.message_id(), Some("abc123@gw.clinic.example"));
        assert_eq!(parsed.attachment_count(), 1);
        assert_eq!(
            parsed.attachment(0).and_then(|a| a.attachment_name()),
            Some("statement.pdf")
        );
        assert!(
            parsed
                .body_text(0)
                .expect("text")
                .contains("statement is attached")
        );
        assert_eq!(
            c.envelope_recipients(),
            vec![
                addr("pat@example.org"),
                addr("guardian@example.org"),
                addr("archive@clinic.example")
            ]
        );
    }

    #[test]
    fn refuses_injection_forbidden_headers_and_missing_parts() {
        let mut c = sample();
        c.subject = "Hi\r\nBcc: attacker@evil.example".into();
        assert_eq!(c.build("h", "1"), Err(ComposeError::BadField("subject")));
        let mut c = sample();
        c.headers = vec![("Received".into(), "from forged".into())];
        assert!(matches!(
            c.build("h", "1"),
            Err(ComposeError::HeaderNotAllowed(_))
        ));
        let mut c = sample();
        c.headers = vec![("X-Carepost-Patient".into(), "MRN 1\nX-Evil: 1".into())];
        assert_eq!(c.build("h", "1"), Err(ComposeError::BadField("headers")));
        let mut c = sample();
        c.to.clear();
        c.cc.clear();
        c.bcc.clear();
        assert_eq!(c.build("h", "1"), Err(ComposeError::NoRecipients));
        let mut c = sample();
        c.text = None;
        c.html = None;
        assert_eq!(c.build("h", "1"), Err(ComposeError::NoBody));
        let mut c = sample();
        c.attachments[0].filename = "a\u{0}b.pdf".into();
        assert_eq!(
            c.build("h", "1"),
            Err(ComposeError::BadField("attachments[].filename"))
        );
    }

    #[test]
    fn errors_never_echo_a_value() {
        let mut c = sample();
        c.subject = "SSN 123-45-6789\n".into();
        let e = c.build("h", "1").expect_err("refused").to_string();
        assert!(!e.contains("123-45-6789"));
    }

    #[test]
    fn odd_content_types_become_octet_stream() {
        assert_eq!(content_type_or_octets("Application/PDF"), "application/pdf");
        assert_eq!(
            content_type_or_octets("text/html\r\nX: y"),
            "application/octet-stream"
        );
        assert_eq!(
            content_type_or_octets("nonsense"),
            "application/octet-stream"
        );
    }
}
