//! The e-mails the portal sends on its own behalf: the notification that a secure message
//! waits, the one-time code, and the read notice to the sender.
//!
//! **PHI:** none of them carries the message's subject, body, attachments or the
//! recipient's name. The notification and code texts come from the language catalogs and
//! are checked by the DLP scanner when the portal starts ([`crate::Portal::new`]), with
//! the organisation's name in place; the link, code and dates are filled in afterwards
//! (they are ours, not the sender's).

use model::{
    DeliveryRoute, EmailAddress, MessageId, Principal, SubmissionChannel, TenantId, Timestamp,
};
use portal::i18n::Lang;
use queue::{IntakeError, Submission};

use crate::{Portal, SetupError};

/// Stands in for the link and the date when the texts are checked.
const PLACEHOLDER: &str = "(link)";

impl Portal {
    /// Scan every language's notification and code texts, as they would be sent for the
    /// first organisation's name, with the link, code and date left out.
    pub(crate) fn check_notification_texts(&self) -> Result<(), SetupError> {
        for (code, _) in self.catalogs.languages() {
            let lang = self.catalogs.negotiate(Some(code.as_str()), None);
            for text in [
                notice_text(&lang, "Example Home Care", PLACEHOLDER, PLACEHOLDER),
                code_text(&lang, "Example Home Care", "(code)"),
            ] {
                let found = self.scanner.scan(&text);
                if found.contains_phi {
                    return Err(SetupError::NotificationHoldsPhi {
                        lang: code,
                        categories: found
                            .categories
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        Ok(())
    }

    /// Queue the notification for a copy (every language the portal speaks, English first).
    pub(crate) async fn send_notification(
        &self,
        tenant: TenantId,
        org: &str,
        to: &EmailAddress,
        link: &str,
        expires: Timestamp,
    ) -> Result<MessageId, IntakeError> {
        let mut subjects = Vec::new();
        let mut bodies = Vec::new();
        for (code, _) in self.catalogs.languages() {
            let lang = self.catalogs.negotiate(Some(code.as_str()), None);
            subjects.push(lang.t_args("mail.notice.subject", &[("org", org)]));
            bodies.push(notice_text(&lang, org, link, &expires.to_rfc3339()[..10]));
        }
        let subject = subjects.join(" / ");
        let body = bodies.join("\r\n\r\n-----\r\n\r\n");
        self.submit(tenant, to, &subject, &body).await
    }

    /// Queue a one-time code, in the language the person asked in.
    pub(crate) async fn send_code(
        &self,
        lang: &Lang,
        tenant: TenantId,
        org: &str,
        to: &EmailAddress,
        code: &str,
    ) -> Result<MessageId, IntakeError> {
        let subject = lang.t_args("mail.code.subject", &[("org", org)]);
        self.submit(tenant, to, &subject, &code_text(lang, org, code))
            .await
    }

    /// Queue the read notice to the sender: ids and times only.
    pub(crate) async fn send_read_notice(
        &self,
        tenant: TenantId,
        to: &EmailAddress,
        message: MessageId,
        sent: Timestamp,
        opened: Timestamp,
    ) -> Result<MessageId, IntakeError> {
        let body = format!(
            "Your secure message {message} (sent {}) was opened on the carepost portal by its \
             recipient at {}.\r\n\r\nThe subject and content are not repeated here. \
             `carepost portal list --message {message}` shows every copy's status.\r\n",
            sent.to_rfc3339(),
            opened.to_rfc3339()
        );
        self.submit(
            tenant,
            to,
            "[carepost] Your secure message was opened",
            &body,
        )
        .await
    }

    async fn submit(
        &self,
        tenant: TenantId,
        to: &EmailAddress,
        subject: &str,
        body: &str,
    ) -> Result<MessageId, IntakeError> {
        let data = build(&self.settings.hostname, to, subject, body);
        self.intake
            .accept(Submission {
                tenant,
                principal: Principal::System,
                channel: SubmissionChannel::Internal,
                client_ip: "127.0.0.1".to_string(),
                helo: "localhost".to_string(),
                envelope_from: None,
                recipients: vec![to.clone()],
                data,
                priority: None,
                // Verified TLS when offered, any TLS otherwise; never the portal itself.
                route: Some(DeliveryRoute::Notice),
            })
            .await
            .map(|a| a.message_id)
    }
}

fn notice_text(lang: &Lang, org: &str, link: &str, expires: &str) -> String {
    lang.t_args(
        "mail.notice.body",
        &[("org", org), ("link", link), ("expires", expires)],
    )
}

fn code_text(lang: &Lang, org: &str, code: &str) -> String {
    lang.t_args("mail.code.body", &[("org", org), ("code", code)])
}

/// A plain-text message with an RFC 2047-encoded subject (the Spanish text is not ASCII).
fn build(hostname: &str, to: &EmailAddress, subject: &str, body: &str) -> Vec<u8> {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "From: carepost <postmaster@{hostname}>\r\nTo: <{to}>\r\nSubject: {}\r\n\
         Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        encode_header(subject)
    )
    .into_bytes()
}

/// RFC 2047 B-encoding when the text is not plain ASCII.
fn encode_header(text: &str) -> String {
    use base64::Engine as _;
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
