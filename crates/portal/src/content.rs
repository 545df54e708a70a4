//! What the reader sees: a parsed, size-limited view of a stored message.
//!
//! The raw message bytes are decrypted by the adapter and handed in; nothing here keeps them.
//! Every string shown is bounded, and `html` is returned **raw**: it must go through
//! [`crate::sanitize::sanitize_html`] before it reaches a page.

use std::fmt;

use mail_parser::{MessageParser, MessagePart, MimeHeaders, PartType};

/// Subject characters shown (RFC 5322's line limit; longer subjects are cut).
pub const MAX_SUBJECT_CHARS: usize = 998;
/// Sender display characters shown.
pub const MAX_FROM_CHARS: usize = 320;
/// Attachments listed (and downloadable) per message.
pub const MAX_ATTACHMENTS: usize = 100;
/// Characters of an attachment's file name.
pub const MAX_FILENAME_CHARS: usize = 120;
/// Characters of a declared content type shown.
const MAX_CONTENT_TYPE_CHARS: usize = 100;
/// Characters of a Message-ID kept.
const MAX_MESSAGE_ID_CHARS: usize = 998;
/// Bytes of a text or HTML body passed on (larger bodies are cut at a character boundary).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A message as the portal shows it. Contains PHI: never log it (its `Debug` is redacted).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MessageView {
    /// Subject, at most [`MAX_SUBJECT_CHARS`] characters; empty when there is none.
    pub subject: String,
    /// Sender for display: `Name <address>`, or the address alone.
    pub from: String,
    /// Date header in RFC 3339, when present and valid.
    pub date: Option<String>,
    /// The first text/plain body, if the message has one.
    pub text: Option<String>,
    /// The first text/html body, raw and unsanitised.
    pub html: Option<String>,
    /// Attachments, in order, at most [`MAX_ATTACHMENTS`].
    pub attachments: Vec<AttachmentInfo>,
    /// Message-ID without angle brackets, for threading replies.
    pub message_id: Option<String>,
}

impl fmt::Debug for MessageView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageView")
            .field("subject", &"[redacted]")
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

/// One attachment as listed on the page.
#[derive(Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// Position in the list; the download URL uses it.
    pub index: usize,
    /// Safe file name: no path separators or control characters, at most
    /// [`MAX_FILENAME_CHARS`] characters, `attachment-N` when missing.
    pub filename: String,
    /// The content type as declared by the sender: for display only, never for serving.
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
}

impl fmt::Debug for AttachmentInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachmentInfo")
            .field("index", &self.index)
            .field("filename", &"[redacted]")
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .finish()
    }
}

/// Why a message could not be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentError {
    /// The bytes are not a parseable message.
    Unparseable,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentError::Unparseable => f.write_str("stored message could not be parsed"),
        }
    }
}

impl std::error::Error for ContentError {}

/// Parses a stored message into what the page shows.
pub fn parse_message(raw: &[u8]) -> Result<MessageView, ContentError> {
    let msg = MessageParser::default()
        .parse(raw)
        .ok_or(ContentError::Unparseable)?;
    // mail-parser accepts almost anything; a message with no headers at all is not one of ours.
    if msg.headers().is_empty() {
        return Err(ContentError::Unparseable);
    }

    let subject = clean_line(msg.subject().unwrap_or(""), MAX_SUBJECT_CHARS);
    let from = msg
        .from()
        .and_then(|a| a.first())
        .map(|a| {
            let addr = a.address.as_deref().unwrap_or("");
            match a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) if !addr.is_empty() => format!("{n} <{addr}>"),
                Some(n) => n.to_string(),
                None => addr.to_string(),
            }
        })
        .map(|s| clean_line(&s, MAX_FROM_CHARS))
        .unwrap_or_default();
    let date = msg.date().map(|d| d.to_rfc3339());

    // mail-parser lists the HTML part as a text body when there is no text/plain (and vice
    // versa, converting on the fly); take only parts that really are of the kind.
    let text = msg.text_bodies().find_map(|p| match &p.body {
        PartType::Text(t) => Some(cut_bytes(t, MAX_BODY_BYTES)),
        _ => None,
    });
    let html = msg.html_bodies().find_map(|p| match &p.body {
        PartType::Html(h) => Some(cut_bytes(h, MAX_BODY_BYTES)),
        _ => None,
    });

    let attachments = msg
        .attachments()
        .take(MAX_ATTACHMENTS)
        .enumerate()
        .map(|(i, p)| info(i, p))
        .collect();
    let message_id = msg
        .message_id()
        .map(|m| clean_line(m, MAX_MESSAGE_ID_CHARS))
        .filter(|m| !m.is_empty());

    Ok(MessageView {
        subject,
        from,
        date,
        text,
        html,
        attachments,
        message_id,
    })
}

/// One attachment's listing and decoded bytes, or `None` when there is no such index (or it
/// is beyond [`MAX_ATTACHMENTS`]).
pub fn attachment(raw: &[u8], index: usize) -> Option<(AttachmentInfo, Vec<u8>)> {
    if index >= MAX_ATTACHMENTS {
        return None;
    }
    let msg = MessageParser::default().parse(raw)?;
    let part = msg.attachments().nth(index)?;
    Some((info(index, part), part.contents().to_vec()))
}

/// Makes a file name safe to show and to offer for download: the last path component only,
/// no control or format characters, no leading dots, at most [`MAX_FILENAME_CHARS`]
/// characters (keeping the extension when it is short). `attachment-N` (1-based) when
/// nothing usable is left.
pub fn sanitize_filename(name: &str, index: usize) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if is_unsafe_char(c) || c == ':' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    let cleaned = if cleaned.chars().count() > MAX_FILENAME_CHARS {
        // Keep a short extension so the file still opens with the right program.
        match cleaned.rsplit_once('.') {
            Some((stem, ext)) if !ext.is_empty() && ext.chars().count() <= 10 => {
                let keep = MAX_FILENAME_CHARS - ext.chars().count() - 1;
                format!("{}.{ext}", stem.chars().take(keep).collect::<String>())
            }
            _ => cleaned.chars().take(MAX_FILENAME_CHARS).collect(),
        }
    } else {
        cleaned
    };
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '_' || c == '.') {
        format!("attachment-{}", index + 1)
    } else {
        cleaned
    }
}

fn info(index: usize, part: &MessagePart<'_>) -> AttachmentInfo {
    let content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_string(),
        })
        .map(|s| clean_line(&s.to_ascii_lowercase(), MAX_CONTENT_TYPE_CHARS))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "application/octet-stream".to_string());
    let name = part
        .attachment_name()
        .map(str::to_string)
        .or_else(|| match &part.body {
            PartType::Message(m) => m.subject().map(|s| format!("{s}.eml")),
            _ => None,
        })
        .unwrap_or_default();
    AttachmentInfo {
        index,
        filename: sanitize_filename(&name, index),
        content_type,
        size: part.contents().len(),
    }
}

/// Control and invisible formatting characters that could hide or reorder text
/// (bidi overrides, zero-width characters).
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// One line of display text: unsafe characters become spaces, whitespace runs collapse,
/// at most `max` characters.
fn clean_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut space = false;
    let mut n = 0;
    for c in s.chars() {
        let c = if is_unsafe_char(c) { ' ' } else { c };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            if n + 1 >= max {
                break;
            }
            out.push(' ');
            n += 1;
        }
        space = false;
        if n >= max {
            break;
        }
        out.push(c);
        n += 1;
    }
    out
}

fn cut_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &[u8] = b"From: Dr. Ada Quill <ada.quill@sunnyvale.example>\r\n\
To: Pat Example <pat@example.org>\r\n\
Subject: Your lab results\r\n\
Date: Sun, 29 Nov 2026 20:00:00 +0000\r\n\
Message-ID: <abc123@sunnyvale.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: multipart/alternative; boundary=\"b2\"\r\n\
\r\n\
--b2\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Hello Pat, all normal.\r\n\
--b2\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Hello Pat, <b>all normal</b>.</p><script>alert(1)</script>\r\n\
--b2--\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"results.pdf\"\r\n\
Content-Disposition: attachment; filename=\"../../etc/results.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1\r\n\
Content-Type: application/octet-stream\r\n\
Content-Disposition: attachment\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAEC\r\n\
--b1--\r\n";

    #[test]
    fn parses_headers_bodies_and_attachments() {
        let v = parse_message(MULTI).expect("parses");
        assert_eq!(v.subject, "Your lab results");
        assert_eq!(v.from, "Dr. Ada Quill <ada.quill@sunnyvale.example>");
        assert_eq!(v.date.as_deref(), Some("2026-11-29T20:00:00Z"));
        assert_eq!(
            v.text.as_deref().map(str::trim),
            Some("Hello Pat, all normal.")
        );
        assert!(
            v.html.as_deref().is_some_and(|h| h.contains("<script>")),
            "html stays raw"
        );
        assert_eq!(v.message_id.as_deref(), Some("abc123@sunnyvale.example"));
        assert_eq!(v.attachments.len(), 2);
        assert_eq!(v.attachments[0].filename, "results.pdf");
        assert_eq!(v.attachments[0].content_type, "application/pdf");
        assert_eq!(v.attachments[0].size, 9);
        assert_eq!(v.attachments[1].filename, "attachment-2");
        assert!(!format!("{v:?}").contains("lab results"));
    }

    #[test]
    fn attachment_returns_decoded_bytes_by_index() {
        let (info, bytes) = attachment(MULTI, 1).expect("second attachment");
        assert_eq!(info.index, 1);
        assert_eq!(bytes, vec![0, 1, 2]);
        assert_eq!(
            attachment(MULTI, 0).expect("first").1,
            b"%PDF-1.4\n".to_vec()
        );
        assert!(attachment(MULTI, 2).is_none());
        assert!(attachment(MULTI, 10_000).is_none());
    }

    #[test]
    fn text_only_message_has_no_html() {
        let raw = b"From: a@example.org\r\nSubject: hi\r\n\r\nplain <b>text</b>\r\n";
        let v = parse_message(raw).expect("parses");
        assert!(v.html.is_none());
        assert!(v.text.is_some_and(|t| t.contains("<b>text</b>")));
        assert!(v.date.is_none());
        assert!(v.message_id.is_none());
    }

    #[test]
    fn html_only_message_has_no_text() {
        let raw = b"From: a@example.org\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n";
        let v = parse_message(raw).expect("parses");
        assert!(v.text.is_none());
        assert!(v.html.is_some());
        assert_eq!(v.subject, "");
    }

    #[test]
    fn garbage_is_an_error() {
        assert_eq!(parse_message(b""), Err(ContentError::Unparseable));
    }

    #[test]
    fn subject_is_one_bounded_line() {
        let long = "x".repeat(5000);
        let raw = format!("From: a@example.org\r\nSubject: a\u{202E}b\t c {long}\r\n\r\nhi\r\n");
        let v = parse_message(raw.as_bytes()).expect("parses");
        assert!(v.subject.starts_with("a b c x"));
        assert_eq!(v.subject.chars().count(), MAX_SUBJECT_CHARS);
    }

    #[test]
    fn at_most_100_attachments_are_listed() {
        let mut raw = String::from(
            "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"z\"\r\n\r\n",
        );
        for i in 0..150 {
            raw.push_str(&format!(
                "--z\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; \
                 filename=\"f{i}.csv\"\r\n\r\na,b\r\n"
            ));
        }
        raw.push_str("--z--\r\n");
        let v = parse_message(raw.as_bytes()).expect("parses");
        assert_eq!(v.attachments.len(), MAX_ATTACHMENTS);
        assert!(attachment(raw.as_bytes(), 99).is_some());
        assert!(attachment(raw.as_bytes(), 100).is_none());
    }

    #[test]
    fn filenames_are_sanitised() {
        assert_eq!(sanitize_filename("../../etc/passwd", 0), "passwd");
        assert_eq!(sanitize_filename("C:\\Users\\x\\a.doc", 0), "a.doc");
        assert_eq!(sanitize_filename("a\u{0}b\r\nc.txt", 0), "a_b__c.txt");
        assert_eq!(
            sanitize_filename("invoice\u{202E}fdp.exe", 0),
            "invoice_fdp.exe"
        );
        assert_eq!(sanitize_filename("..", 3), "attachment-4");
        assert_eq!(sanitize_filename(".bashrc", 0), "bashrc");
        assert_eq!(sanitize_filename("", 0), "attachment-1");
        assert_eq!(sanitize_filename("C:evil", 0), "C_evil");
        let long = format!("{}.pdf", "n".repeat(300));
        let s = sanitize_filename(&long, 0);
        assert_eq!(s.chars().count(), MAX_FILENAME_CHARS);
        assert!(s.ends_with(".pdf"));
    }
}
