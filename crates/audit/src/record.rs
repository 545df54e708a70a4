//! Builders for the events carepost records, so every component describes the same fact
//! the same way (and none can slip free text into an event).
//!
//! Values that could carry PHI never enter: recipients are named by their copy id (the
//! queue holds the address), errors by their SMTP reply code and enhanced status code,
//! hosts by their DNS name (a token), patients only through `patient_refs` keyed hashes.

use std::net::IpAddr;

use model::{
    MessageId, Principal, Priority, RecipientId, SubmissionChannel, TenantId, Timestamp, TlsRecord,
};

use crate::event::{Actor, AuditEvent, EventKind, Subject, is_token};

/// The actor for a principal recorded on a queued message.
pub fn actor_for(principal: &Principal) -> Actor {
    match principal {
        Principal::User { user_id, .. } => Actor::User { id: *user_id },
        Principal::Device { name } => Actor::Device {
            name: token_or_placeholder(name),
        },
        Principal::System => Actor::System {
            component: "carepost".to_string(),
        },
        Principal::PortalRecipient { recipient } => Actor::PortalRecipient {
            recipient: *recipient,
        },
        Principal::ApiKey { key } => Actor::ApiKey { id: *key },
    }
}

/// A carepost component as actor (`delivery`, `retention`, `cli`).
pub fn system(component: &str) -> Actor {
    Actor::System {
        component: token_or_placeholder(component),
    }
}

/// `message.submitted`: who handed in which message, from where, how.
#[allow(clippy::too_many_arguments)] // one call site per channel; a struct would only rename them
pub fn message_submitted(
    at: Timestamp,
    tenant: TenantId,
    principal: &Principal,
    client_ip: &str,
    channel: SubmissionChannel,
    message: MessageId,
    size: u64,
    recipients: usize,
    priority: Priority,
) -> AuditEvent {
    let mut event = AuditEvent::new(0, at, actor_for(principal), EventKind::MessageSubmitted)
        .with_tenant(tenant)
        .with_subject(Subject {
            message: Some(message),
            api_key: match principal {
                Principal::User { credential, .. } => Some(*credential),
                Principal::ApiKey { key } => Some(*key),
                _ => None,
            },
            ..Subject::default()
        })
        .with_detail("channel", channel.as_str())
        .with_detail("auth", auth_method(principal, channel))
        .with_detail("size", size)
        .with_detail("recipients", recipients as u64)
        .with_detail("priority", priority.as_str());
    if let Ok(ip) = client_ip.parse::<IpAddr>() {
        event = event.with_source_ip(ip);
    }
    event
}

fn auth_method(principal: &Principal, channel: SubmissionChannel) -> &'static str {
    match (principal, channel) {
        (Principal::User { .. }, SubmissionChannel::Api) => "api-key",
        (Principal::User { .. }, _) => "app-password",
        (Principal::Device { .. }, _) => "trusted-network",
        (Principal::System, _) => "none",
        (Principal::PortalRecipient { .. }, _) => "portal-session",
        (Principal::ApiKey { .. }, _) => "api-key",
    }
}

/// How one delivery attempt ended, for [`delivery_outcome`].
#[derive(Clone, Copy, Debug)]
pub enum DeliveryOutcome<'a> {
    /// The next hop accepted the copy over TLS.
    Delivered(&'a TlsRecord),
    /// A temporary failure (the error text is reduced to its reply codes).
    Deferred(&'a str),
    /// A permanent failure.
    Bounced(&'a str),
    /// No verified TLS: the copy waits for the portal.
    AwaitingPortal(&'a str),
}

/// `delivery.*`: the outcome of one attempt for one recipient copy.
pub fn delivery_outcome(
    at: Timestamp,
    tenant: TenantId,
    message: MessageId,
    recipient: RecipientId,
    attempt: u32,
    outcome: DeliveryOutcome<'_>,
) -> AuditEvent {
    let kind = match outcome {
        DeliveryOutcome::Delivered(_) => EventKind::DeliveryDelivered,
        DeliveryOutcome::Deferred(_) => EventKind::DeliveryDeferred,
        DeliveryOutcome::Bounced(_) => EventKind::DeliveryBounced,
        DeliveryOutcome::AwaitingPortal(_) => EventKind::DeliveryAwaitingPortal,
    };
    let mut event = AuditEvent::new(0, at, system("delivery"), kind)
        .with_tenant(tenant)
        .with_subject(Subject {
            message: Some(message),
            recipient: Some(recipient),
            ..Subject::default()
        })
        .with_detail("attempt", u64::from(attempt));
    match outcome {
        DeliveryOutcome::Delivered(tls) => {
            event = event
                .with_detail("next_hop", token_or_placeholder(&tls.next_hop_host))
                .with_detail("next_hop_addr", token_or_placeholder(&tls.next_hop_addr))
                .with_detail("tls_version", token_or_placeholder(&tls.tls_version))
                .with_detail("cipher", token_or_placeholder(&tls.cipher))
                .with_detail(
                    "peer_cert_sha256",
                    token_or_placeholder(&tls.peer_cert_sha256),
                )
                .with_detail("tls_verified", tls.verified)
                .with_detail("delivered_at", tls.at.as_millis());
            if let Some(code) = reply_code(&tls.remote_reply) {
                event = event.with_detail("reply_code", code);
            }
        }
        DeliveryOutcome::Deferred(error)
        | DeliveryOutcome::Bounced(error)
        | DeliveryOutcome::AwaitingPortal(error) => {
            if let Some(code) = reply_code(error) {
                event = event.with_detail("reply_code", code);
            }
            if let Some(status) = enhanced_status(error) {
                event = event.with_detail("status_code", status);
            }
        }
    }
    event
}

/// The first three-digit SMTP reply code in `text`, if any.
pub fn reply_code(text: &str) -> Option<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 3 && matches!(w.as_bytes()[0], b'2'..=b'5'))
        .and_then(|w| w.parse().ok())
}

/// The first RFC 3463 enhanced status code (`4.4.1`) in `text`, if any.
pub fn enhanced_status(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 3
                && matches!(parts[0], "2" | "4" | "5")
                && parts[1..]
                    .iter()
                    .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_string)
}

/// `text` if it is a token, otherwise `unrepresentable` (it would not validate, and the
/// event must still be written). For names and ids that are tokens in practice.
pub fn token_or_placeholder(text: &str) -> String {
    if is_token(text) {
        text.to_string()
    } else {
        "unrepresentable".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{ApiKeyId, UserId};

    #[test]
    fn submitted_event_validates_and_names_the_credential() {
        let user = UserId::new();
        let credential = ApiKeyId::new();
        let e = message_submitted(
            Timestamp::from_millis(5),
            TenantId::new(),
            &Principal::User {
                user_id: user,
                credential,
            },
            "192.0.2.7",
            SubmissionChannel::SmtpStarttls,
            MessageId::new(),
            1234,
            2,
            Priority::Normal,
        );
        e.validate().expect("valid");
        assert_eq!(e.actor, Actor::User { id: user });
        assert_eq!(e.subject.api_key, Some(credential));
        assert_eq!(e.details["auth"], "app-password");
        assert_eq!(e.source_ip, "192.0.2.7".parse().ok());
    }

    #[test]
    fn a_device_name_with_spaces_still_gives_a_valid_event() {
        let e = message_submitted(
            Timestamp::from_millis(5),
            TenantId::new(),
            &Principal::Device {
                name: "Fax 3rd floor".into(),
            },
            "not-an-ip",
            SubmissionChannel::SmtpPlaintext,
            MessageId::new(),
            1,
            1,
            Priority::Clinical,
        );
        e.validate().expect("valid");
        assert_eq!(e.source_ip, None);
    }

    #[test]
    fn failures_keep_codes_only() {
        let e = delivery_outcome(
            Timestamp::from_millis(5),
            TenantId::new(),
            MessageId::new(),
            RecipientId::new(),
            2,
            DeliveryOutcome::Bounced("550 5.1.1 <jane.doe@example.net>: user unknown"),
        );
        e.validate().expect("valid");
        assert_eq!(e.details["reply_code"], 550);
        assert_eq!(e.details["status_code"], "5.1.1");
        let line = String::from_utf8(e.canonical_bytes().expect("bytes")).expect("utf8");
        assert!(!line.contains("jane"), "{line}");
        assert_eq!(reply_code("connection refused"), None);
        assert_eq!(enhanced_status("451 4.4.1 timeout"), Some("4.4.1".into()));
        assert_eq!(enhanced_status("version 1.2.3"), None);
    }
}
