//! Notices carepost sends on its own behalf: to compliance when policy quarantines a
//! message or asks to be told, and to a sender when a reviewer releases or rejects their
//! quarantined message.
//!
//! **PHI:** a notice never carries the message's subject, body or recipients' addresses
//! (a recipient address can identify a patient): only ids, times, counts, rule names and
//! the policy's own texts. The sender's address appears in the compliance notice (it is a
//! member of staff). Notices go through the normal intake path (sealed, queued, delivered
//! over verified TLS) with the null sender, so they can never bounce back into a loop.

use model::{EmailAddress, MessageId, Principal, SubmissionChannel, TenantId, Timestamp};
use policy::Decision;
use queue::{Intake, IntakeError, Submission};

/// Text of the notice to compliance about one screened message.
pub fn compliance_notice(
    hostname: &str,
    to: &[EmailAddress],
    message: MessageId,
    sender: Option<&EmailAddress>,
    decisions: &[Decision],
    now: Timestamp,
) -> Vec<u8> {
    let quarantined = decisions
        .iter()
        .filter(|d| matches!(d.action, policy::Action::Quarantine))
        .count();
    let mut rules: Vec<&str> = decisions
        .iter()
        .flat_map(|d| d.fired.iter().map(|r| r.name.as_str()))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let version = decisions.first().map_or(0, |d| d.version);
    let subject = if quarantined > 0 {
        "[carepost] A message is waiting for compliance review"
    } else {
        "[carepost] Policy notice"
    };
    let mut body = String::new();
    body.push_str(&format!(
        "Message {message}, submitted {} by {}, was screened under policy version {version}.\r\n\r\n",
        now.to_rfc3339(),
        sender.map_or("(no sender)".to_string(), |s| s.to_string()),
    ));
    for (i, d) in decisions.iter().enumerate() {
        body.push_str(&format!(
            "  copy {}: {}\r\n",
            i + 1,
            screening::action_token(&d.action)
        ));
    }
    body.push_str(&format!("\r\nRules that fired: {}\r\n", rules.join(", ")));
    if quarantined > 0 {
        body.push_str(&format!(
            "\r\n{quarantined} cop{} will not be sent until a reviewer decides:\r\n  carepost quarantine show {message}\r\n  carepost quarantine release {message}\r\n  carepost quarantine reject {message} --reason \"...\"\r\n",
            if quarantined == 1 { "y" } else { "ies" }
        ));
    }
    body.push_str("\r\nThis notice holds no message content; the subject is withheld.\r\n");
    message::notice::plain_text(hostname, to, subject, &body)
}

/// Text of the notice to a sender that their quarantined message was released or rejected.
pub fn sender_notice(
    hostname: &str,
    to: &EmailAddress,
    message: MessageId,
    received: Timestamp,
    released: bool,
    copies: usize,
    reason: Option<&str>,
) -> Vec<u8> {
    let (subject, what) = if released {
        (
            "[carepost] Your message was released after review",
            "was released after compliance review and is being delivered",
        )
    } else {
        (
            "[carepost] Your message was not sent",
            "was stopped by compliance review and will not be delivered",
        )
    };
    let mut body = format!(
        "Your message {message} (submitted {}) {what} ({copies} recipient cop{}).\r\n",
        received.to_rfc3339(),
        if copies == 1 { "y" } else { "ies" }
    );
    if let Some(reason) = reason {
        body.push_str(&format!("\r\nReason given: {}\r\n", one_line(reason)));
    }
    body.push_str("\r\nThe subject and content are not repeated here.\r\n");
    message::notice::plain_text(hostname, std::slice::from_ref(to), subject, &body)
}

/// Queue a notice (null sender, system principal).
pub async fn submit_notice(
    intake: &Intake,
    tenant: TenantId,
    to: Vec<EmailAddress>,
    data: Vec<u8>,
) -> Result<MessageId, IntakeError> {
    intake
        .accept(Submission {
            tenant,
            principal: Principal::System,
            channel: SubmissionChannel::Internal,
            client_ip: "127.0.0.1".to_string(),
            helo: "localhost".to_string(),
            envelope_from: None,
            recipients: to,
            data,
            priority: None,
            route: None,
        })
        .await
        .map(|a| a.message_id)
}

fn one_line(text: &str) -> String {
    text.chars()
        .take(300)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_notice_names_ids_not_content() {
        let to = EmailAddress::parse("nurse@clinic.example").expect("addr");
        let text = String::from_utf8(sender_notice(
            "mail.clinic.example",
            &to,
            MessageId::new(),
            Timestamp::from_millis(1_800_000_000_000),
            false,
            2,
            Some("Too many SSNs\nfor e-mail"),
        ))
        .expect("utf8");
        assert!(text.contains("will not be delivered"), "{text}");
        assert!(
            text.contains("Reason given: Too many SSNs for e-mail"),
            "{text}"
        );
        assert!(text.contains("Auto-Submitted: auto-generated"));
    }
}
