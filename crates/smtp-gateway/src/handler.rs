//! The interface the binary implements: credential checks and durable submission.

use std::net::IpAddr;

use async_trait::async_trait;
use model::{EmailAddress, MessageId, Principal, SubmissionChannel, TenantId};

use crate::config::SenderRules;

/// What the gateway needs from the rest of carepost.
#[async_trait]
pub trait SubmissionHandler: Send + Sync + 'static {
    /// Verify an app password presented from `client_ip`. `None` = invalid (the gateway
    /// replies `535 5.7.8` and counts a failure). Called only over TLS.
    async fn authenticate(
        &self,
        username: &str,
        secret: &str,
        client_ip: IpAddr,
    ) -> Option<SenderIdentity>;

    /// Commit the message durably (only return `Ok` after commit). The gateway replies
    /// `250 2.0.0 Ok: queued as <id>`.
    async fn submit(&self, envelope: Envelope, data: Vec<u8>) -> Result<MessageId, SubmitError>;
}

/// Who is sending, and what they may use as sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderIdentity {
    /// Tenant the message belongs to.
    pub tenant: TenantId,
    /// The user (and app password) or the trusted device.
    pub principal: Principal,
    /// MAIL FROM addresses this identity may use (normally just the user's own).
    pub allowed_senders: SenderRules,
    /// Key for the per-user message rate limit (e.g. the user id). Not logged.
    pub rate_key: String,
}

/// Everything about one accepted message except its bytes.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// Who submitted it.
    pub identity: SenderIdentity,
    /// How it came in.
    pub channel: SubmissionChannel,
    /// Client address (IPv4-mapped addresses already unmapped).
    pub client_ip: IpAddr,
    /// The EHLO/HELO argument (visible ASCII only; safe for a `Received:` header).
    pub helo: String,
    /// MAIL FROM (always `Some` today: submission refuses the null sender).
    pub mail_from: Option<EmailAddress>,
    /// RCPT TO, in order.
    pub recipients: Vec<EmailAddress>,
    /// The client asked for SMTPUTF8.
    pub smtputf8: bool,
    /// The client declared BODY=8BITMIME.
    pub body_8bit: bool,
}

/// Why [`SubmissionHandler::submit`] did not commit. The text goes to the client, so it
/// must not hold PHI or internals.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// Try again later: `451 4.3.0 <text>`.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Refused for good: `554 5.6.0 <text>`.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// Refused by the organisation's policy: `550 5.7.1 <reason>` (the reason is the
    /// policy's text for the sender, without PHI).
    #[error("refused by policy: {0}")]
    PolicyRefused(String),
}
