//! carepost's own plain-text notices (portal notifications and codes, compliance and
//! sender notices): one builder, so every notice has the same headers.
//!
//! **PHI:** none by construction of the callers; this only formats. Control characters in
//! the subject are dropped (no header injection); a non-ASCII subject is RFC 2047-encoded.

use base64::Engine as _;
use model::EmailAddress;

/// A notice from `postmaster@hostname` to `to`, marked `Auto-Submitted: auto-generated`,
/// with the body's line ends made CRLF.
pub fn plain_text(hostname: &str, to: &[EmailAddress], subject: &str, body: &str) -> Vec<u8> {
    let to: Vec<String> = to.iter().map(|a| format!("<{a}>")).collect();
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    let end = if body.ends_with("\r\n") { "" } else { "\r\n" };
    format!(
        "From: carepost <postmaster@{hostname}>\r\nTo: {}\r\nSubject: {}\r\n\
         Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}{end}",
        to.join(", "),
        encode_header(subject)
    )
    .into_bytes()
}

/// RFC 2047 B-encoding when the text is not plain ASCII; control characters dropped.
pub fn encode_header(text: &str) -> String {
    let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.is_ascii() {
        return clean;
    }
    // Encoded words are at most 75 characters: split on character boundaries.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in clean.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?utf-8?B?{}?=", encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?utf-8?B?{}?=", encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_subjects_are_encoded_words_that_decode_back() {
        let s = encode_header("Mensaje seguro de Clínica Ejemplo — ñandú");
        assert!(s.starts_with("=?utf-8?B?"), "{s}");
        for line in s.split("\r\n ") {
            assert!(line.len() <= 75, "{line}");
        }
        let raw = format!("Subject: {s}\r\n\r\n");
        let parsed = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .expect("parses");
        assert_eq!(
            parsed.subject(),
            Some("Mensaje seguro de Clínica Ejemplo — ñandú")
        );
    }

    #[test]
    fn ascii_subjects_stay_as_they_are_without_control_characters() {
        assert_eq!(
            encode_header("Secure message\r\nBcc: x"),
            "Secure messageBcc: x"
        );
    }
}
