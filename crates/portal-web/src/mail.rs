//! The e-mails the portal sends on its own behalf: the notification that a secure message
//! waits, the one-time code, and the read notice to the sender; and the text of the
//! one-time code sent by text message.
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
                // Any identifier at all: these texts go to everyone.
                if holds_an_identifier(&found) {
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

    /// Scan every language's text message with a code, as it would be sent for an example
    /// organisation's name, with the code left out. A text that looks like it holds PHI
    /// stops the start.
    pub(crate) fn check_sms_texts(&self) -> Result<(), SetupError> {
        for (code, _) in self.catalogs.languages() {
            let lang = self.catalogs.negotiate(Some(code.as_str()), None);
            let text = sms_code_text(&lang, "Example Home Care", "(code)");
            let found = self.scanner.scan(&text);
            if holds_an_identifier(&found) {
                return Err(SetupError::SmsTextHoldsPhi {
                    lang: code,
                    categories: found
                        .categories
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if sms::check_body(&sms_code_text(&lang, &"x".repeat(100), "123456")).is_err() {
                return Err(SetupError::Setting(format!(
                    "the text message with a code in language {code} is too long"
                )));
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
        let data = message::notice::plain_text(
            &self.settings.hostname,
            std::slice::from_ref(to),
            subject,
            body,
        );
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

/// Does a fixed text (a template as it would be sent) hold an identifier
/// ([`dlp::holds_identifier`], weak evidence included)? Not the detector's verdict alone: its
/// weak-verdict model may call a text about care PHI with no identifier in it ("... sent you a
/// secure message. To read it, open this link"), and a template has no patient to name.
fn holds_an_identifier(found: &dlp::ScanResult) -> bool {
    found.weak_phi || dlp::holds_identifier(&found.findings)
}

fn notice_text(lang: &Lang, org: &str, link: &str, expires: &str) -> String {
    lang.t_args(
        "mail.notice.body",
        &[("org", org), ("link", link), ("expires", expires)],
    )
}

/// The text message with a code: the organisation's name and the code, nothing else.
pub(crate) fn sms_code_text(lang: &Lang, org: &str, code: &str) -> String {
    lang.t_args("sms.code.body", &[("org", org), ("code", code)])
}

fn code_text(lang: &Lang, org: &str, code: &str) -> String {
    lang.t_args("mail.code.body", &[("org", org), ("code", code)])
}

#[cfg(test)]
mod tests {
    use portal::i18n::Catalogs;

    use super::*;

    #[test]
    fn the_built_in_text_messages_hold_no_phi_and_fit_the_provider_limit() {
        let catalogs = Catalogs::builtin();
        let scanner = dlp::Scanner::new();
        for (code, _) in catalogs.languages() {
            let lang = catalogs.negotiate(Some(code.as_str()), None);
            let text = sms_code_text(&lang, "Example Home Care", "123456");
            assert!(text.contains("Example Home Care") && text.contains("123456"));
            assert!(!scanner.scan(&text).contains_phi, "{code}: {text}");
            assert!(!holds_an_identifier(&scanner.scan(&text)), "{code}: {text}");
            assert!(sms::check_body(&text).is_ok(), "{code}");
        }
    }

    /// Every built-in notification and code e-mail, as the start-up check scans it, holds no
    /// identifier (a start fails otherwise).
    #[test]
    fn the_built_in_notification_texts_hold_no_identifier() {
        let catalogs = Catalogs::builtin();
        let scanner = dlp::Scanner::new();
        for (code, _) in catalogs.languages() {
            let lang = catalogs.negotiate(Some(code.as_str()), None);
            for text in [
                notice_text(&lang, "Example Home Care", PLACEHOLDER, PLACEHOLDER),
                code_text(&lang, "Example Home Care", "(code)"),
            ] {
                assert!(!holds_an_identifier(&scanner.scan(&text)), "{code}: {text}");
            }
        }
    }

    #[test]
    fn a_text_message_template_with_phi_is_caught_by_the_scanner() {
        let catalogs = Catalogs::builtin()
            .with_extra(
                "fr",
                "sms.code.body = \"{org}: code {code} pour le patient SSN 219-09-9999\"\n",
            )
            .expect("catalog");
        let lang = catalogs.negotiate(Some("fr"), None);
        let text = sms_code_text(&lang, "Example Home Care", "(code)");
        let found = dlp::Scanner::new().scan(&text);
        assert!(found.contains_phi, "{text}");
        assert!(holds_an_identifier(&found), "{text}");
    }
}
