//! Records and the trait for the secure portal: sealed copies waiting for their recipient,
//! the one-time codes that prove a recipient controls their mailbox, recipient sessions,
//! recipients' passkeys, and replies written on the portal.
//!
//! **PHI:** a copy's content and a reply's content are sealed before they reach the store
//! (each with its own data key; see the `crypto` crate). Link tokens, codes and session ids
//! are secrets: the store keeps only their hashes, so a copy of the database opens nothing.
//! The recipient's address is kept in clear: it decides who may read a copy.

use async_trait::async_trait;
use model::{
    EmailAddress, MessageId, PortalCopyId, PortalItemId, RecipientId, TenantId, Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::{AuditEvents, RecipientRecord, Result};

/// A message copy waiting on the portal for its recipient (without its sealed content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalCopy {
    /// Identifier (also the associated data its content is sealed with).
    pub id: PortalCopyId,
    /// Organisation.
    pub tenant: TenantId,
    /// The queued message it was made from.
    pub message: MessageId,
    /// The queue's recipient copy it stands for (at most one portal copy per recipient copy).
    pub recipient: RecipientId,
    /// Who may read it: the recipient's address.
    pub address: EmailAddress,
    /// Who sent it (`MAIL FROM`), where replies and read notices go; `None` for the null sender.
    pub sender: Option<EmailAddress>,
    /// SHA-256 (hex) of the link token in the notification; the token itself is never stored.
    pub token_hash: String,
    /// When it was made.
    pub created: Timestamp,
    /// After this time the link opens nothing.
    pub expires: Timestamp,
    /// The sender asked to be told when it is first opened.
    pub read_notice: bool,
    /// Keyed hash (hex) of a passcode the sender chose and gave the recipient another
    /// way; when set, the recipient must type it as well as the code. Never stored clear.
    pub passcode_hash: Option<String>,
    /// When the notification was queued (`None` until then).
    pub notified: Option<Timestamp>,
    /// When the recipient first proved who they are for this copy.
    pub verified: Option<Timestamp>,
    /// When it was first opened.
    pub opened: Option<Timestamp>,
    /// When an attachment was first downloaded.
    pub downloaded: Option<Timestamp>,
    /// When the recipient first replied.
    pub replied: Option<Timestamp>,
    /// When the sender or an administrator revoked it.
    pub revoked: Option<Timestamp>,
    /// When its expiry was recorded (in the audit trail) by the sweeper.
    pub expiry_recorded: Option<Timestamp>,
}

impl PortalCopy {
    /// Where the copy stands, for people: the furthest step reached, or why it is closed.
    pub fn state(&self, now: Timestamp) -> PortalCopyState {
        if self.revoked.is_some() {
            PortalCopyState::Revoked
        } else if self.expires <= now {
            PortalCopyState::Expired
        } else if self.replied.is_some() {
            PortalCopyState::Replied
        } else if self.downloaded.is_some() {
            PortalCopyState::Downloaded
        } else if self.opened.is_some() {
            PortalCopyState::Opened
        } else if self.verified.is_some() {
            PortalCopyState::Verified
        } else if self.notified.is_some() {
            PortalCopyState::Notified
        } else {
            PortalCopyState::Pending
        }
    }

    /// Whether the copy may still be opened (neither revoked nor expired).
    pub fn is_open(&self, now: Timestamp) -> bool {
        self.revoked.is_none() && self.expires > now
    }
}

/// Where a portal copy stands (see [`PortalCopy::state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortalCopyState {
    /// Made, notification not yet queued.
    Pending,
    /// The recipient was sent the link.
    Notified,
    /// The recipient proved who they are.
    Verified,
    /// The recipient opened it.
    Opened,
    /// The recipient downloaded an attachment.
    Downloaded,
    /// The recipient replied.
    Replied,
    /// The link expired.
    Expired,
    /// The sender or an administrator revoked it.
    Revoked,
}

impl PortalCopyState {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Notified => "notified",
            Self::Verified => "verified",
            Self::Opened => "opened",
            Self::Downloaded => "downloaded",
            Self::Replied => "replied",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

impl std::fmt::Display for PortalCopyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step in a copy's life that the store stamps once (the first time) while every
/// occurrence is recorded in the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortalMilestone {
    /// The notification was queued (`notified`).
    Notified,
    /// The recipient proved who they are (`verified`).
    Verified,
    /// The recipient opened it (`opened`).
    Opened,
    /// The recipient downloaded an attachment (`downloaded`).
    Downloaded,
    /// The recipient replied (`replied`).
    Replied,
    /// The sweeper recorded the expiry (`expiry_recorded`).
    ExpiryRecorded,
}

/// A new portal copy with its sealed content.
#[derive(Clone, Debug)]
pub struct NewPortalCopy {
    /// The copy (its milestones all `None`).
    pub copy: PortalCopy,
    /// The message, sealed with the copy's own data key (associated data: the copy id).
    pub sealed: Vec<u8>,
    /// The recipient's mobile number for codes by text message, when the sender gave one:
    /// PHI, so sealed with its own data key (associated data: the copy id and `/sms`).
    pub sms_number: Option<Vec<u8>>,
}

/// Which portal copies to list.
#[derive(Clone, Debug, Default)]
pub struct PortalFilter {
    /// Only this organisation.
    pub tenant: Option<TenantId>,
    /// Only copies of this message.
    pub message: Option<MessageId>,
    /// Only copies for this address.
    pub address: Option<EmailAddress>,
    /// At most this many (0 = a default of 100); newest first.
    pub limit: u32,
}

/// How a one-time code reached the recipient.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortalCodeChannel {
    /// By e-mail to the copy's address (proves control of the mailbox).
    #[default]
    Email,
    /// By text message to the number the sender gave (proves control of the phone).
    Sms,
}

impl PortalCodeChannel {
    /// Stable text form (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// The stored form back; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Self::Email),
            "sms" => Some(Self::Sms),
            _ => None,
        }
    }
}

/// A one-time code sent to a recipient (by e-mail or text message) for one copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalCode {
    /// Identifier.
    pub id: PortalItemId,
    /// The copy it opens.
    pub copy: PortalCopyId,
    /// Keyed hash (hex) of the code; the code itself is never stored.
    pub code_hash: String,
    /// When it was sent.
    pub created: Timestamp,
    /// After this time it is refused.
    pub expires: Timestamp,
    /// Wrong guesses so far (the store counts them atomically).
    pub attempts: u32,
    /// When it was used (a code works once).
    pub used: Option<Timestamp>,
    /// How it was sent.
    pub channel: PortalCodeChannel,
}

/// A recipient's session on the portal, after they proved who they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSession {
    /// SHA-256 (hex) of the session id in the cookie; the id itself is never stored.
    pub id_hash: String,
    /// Organisation of the copy they verified for.
    pub tenant: TenantId,
    /// The address they proved control of: the session reads only this address's copies
    /// in this organisation.
    pub address: EmailAddress,
    /// How they proved it (`email-code`, `sms`, `passkey`).
    pub method: String,
    /// The anti-forgery token every form of this session must carry.
    pub csrf_token: String,
    /// When it began.
    pub created: Timestamp,
    /// Last request (idle timeout counts from here).
    pub last_seen: Timestamp,
    /// Absolute end, whatever the activity.
    pub expires: Timestamp,
    /// Passkey registration in progress (the WebAuthn ceremony state, JSON), if any.
    pub ceremony: Option<String>,
}

/// A passkey a portal recipient registered, so they can skip codes next time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPasskey {
    /// The credential id (base64url), unique.
    pub credential_id: String,
    /// Organisation.
    pub tenant: TenantId,
    /// The recipient's address.
    pub address: EmailAddress,
    /// The credential as the WebAuthn library serialises it (public key and counter; no secret).
    pub passkey: String,
    /// When it was registered.
    pub created: Timestamp,
    /// When it was last used to sign in.
    pub last_used: Option<Timestamp>,
}

/// A reply a recipient wrote on the portal (its content sealed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalReply {
    /// Identifier (also the associated data its content is sealed with).
    pub id: PortalItemId,
    /// The copy it answers.
    pub copy: PortalCopyId,
    /// The queued message that carries it to the sender.
    pub message: MessageId,
    /// When it was written.
    pub created: Timestamp,
}

/// What the landing page behind a link needs, read together (see
/// [`PortalStore::portal_landing`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalLanding {
    /// The copy whose link it is.
    pub copy: PortalCopy,
    /// Wrong guesses over all codes of the copy created since the time asked for (lockout).
    pub failed_attempts: u32,
    /// Whether the copy's recipient has at least one passkey in its organisation.
    pub has_passkey: bool,
    /// The copy's sealed mobile number, if the sender gave one.
    pub sms_number: Option<Vec<u8>>,
}

/// A session and the copy it asks to read, read together (see
/// [`PortalStore::portal_reading`]). Whether the session may read the copy is for the
/// caller to decide: this is only what the store holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalReading {
    /// The session.
    pub session: PortalSession,
    /// The copy asked for; `None` if there is no such copy.
    pub copy: Option<PortalCopy>,
    /// Whether the copy's recipient has at least one passkey in the copy's organisation
    /// (false when there is no copy).
    pub has_passkey: bool,
    /// How many replies the copy has (0 when there is no copy).
    pub replies: u32,
    /// The copy's sealed content (`None` when there is no copy).
    pub sealed: Option<Vec<u8>>,
}

/// The secure portal's storage. Every write takes the audit events that record it and
/// commits them in the same transaction (see [`crate::AuditStore`]).
#[async_trait]
pub trait PortalStore: Send + Sync {
    /// Recipient copies in status `awaiting-portal` that have no portal copy yet, oldest
    /// first, at most `limit`.
    async fn portal_pending(&self, limit: u32) -> Result<Vec<RecipientRecord>>;
    /// Store a new copy. `Conflict { constraint: "portal_copies.recipient" }` if the
    /// recipient copy already has one.
    async fn create_portal_copy(&self, copy: &NewPortalCopy, audit: AuditEvents<'_>) -> Result<()>;
    /// One copy. `NotFound` if there is none.
    async fn portal_copy(&self, id: PortalCopyId) -> Result<PortalCopy>;
    /// The copy whose link token hashes to `token_hash`. `NotFound` if none.
    async fn portal_copy_by_token(&self, token_hash: &str) -> Result<PortalCopy>;
    /// A copy's sealed content.
    async fn portal_content(&self, id: PortalCopyId) -> Result<Vec<u8>>;
    /// A copy's sealed mobile number (see [`NewPortalCopy::sms_number`]), `None` if the
    /// sender gave none. `NotFound` if no copy.
    async fn portal_sms_number(&self, id: PortalCopyId) -> Result<Option<Vec<u8>>>;
    /// Copies matching a filter, newest first.
    async fn portal_copies(&self, filter: &PortalFilter) -> Result<Vec<PortalCopy>>;
    /// Copies not yet notified and not revoked, oldest first (a crash between queuing the
    /// notification and recording it leaves them here: they get a fresh link).
    async fn portal_unnotified(&self, limit: u32) -> Result<Vec<PortalCopy>>;
    /// Copies whose expiry has passed and is not yet recorded, oldest first.
    async fn portal_expired_unrecorded(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<PortalCopy>>;
    /// Replace a copy's link token (the old link stops working). `NotFound` if no copy.
    async fn set_portal_token(
        &self,
        id: PortalCopyId,
        token_hash: &str,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// Stamp a milestone if it is not stamped yet (the first time counts) and record the
    /// events either way. Returns whether this call stamped it. `NotFound` if no copy.
    async fn mark_portal_copy(
        &self,
        id: PortalCopyId,
        milestone: PortalMilestone,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// Revoke a copy. Returns false (and records nothing) if it was already revoked.
    /// `NotFound` if no copy.
    async fn revoke_portal_copy(
        &self,
        id: PortalCopyId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;

    /// Store a new code for a copy.
    async fn create_portal_code(&self, code: &PortalCode, audit: AuditEvents<'_>) -> Result<()>;
    /// How many codes were sent for a copy since `since` (rate limit).
    async fn portal_codes_since(&self, copy: PortalCopyId, since: Timestamp) -> Result<u32>;
    /// The newest code of a copy that is unused, unexpired at `now`, and has fewer than
    /// `max_attempts` wrong guesses.
    async fn live_portal_code(
        &self,
        copy: PortalCopyId,
        now: Timestamp,
        max_attempts: u32,
    ) -> Result<Option<PortalCode>>;
    /// Count one guess against a code, atomically: returns the attempts so far including
    /// this one, or `None` if the code already had `max_attempts` (it is locked, and this
    /// guess must not even be compared).
    async fn count_portal_code_attempt(
        &self,
        id: PortalItemId,
        max_attempts: u32,
    ) -> Result<Option<u32>>;
    /// Wrong guesses over all codes of a copy created since `since` (lockout).
    async fn portal_failed_attempts_since(
        &self,
        copy: PortalCopyId,
        since: Timestamp,
    ) -> Result<u32>;
    /// Mark a code used. Returns false if it was already used (two tabs, one code).
    async fn use_portal_code(
        &self,
        id: PortalItemId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;

    /// Start a session.
    async fn create_portal_session(
        &self,
        session: &PortalSession,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// One session by the hash of its id. `NotFound` if none.
    async fn portal_session(&self, id_hash: &str) -> Result<PortalSession>;
    /// Record activity on a session.
    async fn touch_portal_session(&self, id_hash: &str, at: Timestamp) -> Result<()>;
    /// Keep (or clear) a passkey ceremony's state on the session.
    async fn set_portal_ceremony(&self, id_hash: &str, ceremony: Option<&str>) -> Result<()>;
    /// End a session (sign-out, timeout). Ending a missing session is not an error.
    async fn end_portal_session(&self, id_hash: &str, audit: AuditEvents<'_>) -> Result<()>;
    /// Delete sessions whose absolute end or idle limit has passed; returns how many.
    async fn purge_portal_sessions(&self, now: Timestamp, idle: std::time::Duration)
    -> Result<u64>;

    /// Register a passkey. `Conflict { constraint: "portal_passkeys.credential_id" }` if
    /// the credential is already registered.
    async fn add_portal_passkey(
        &self,
        passkey: &PortalPasskey,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// A recipient's passkeys in an organisation, oldest first.
    async fn portal_passkeys(
        &self,
        tenant: TenantId,
        address: &EmailAddress,
    ) -> Result<Vec<PortalPasskey>>;
    /// Save a passkey's updated state (signature counter) after a sign-in.
    async fn update_portal_passkey(
        &self,
        credential_id: &str,
        passkey: &str,
        at: Timestamp,
    ) -> Result<()>;

    /// Keep a reply (its content sealed with its own key; associated data: its id).
    async fn add_portal_reply(
        &self,
        reply: &PortalReply,
        sealed: &[u8],
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// The replies to a copy, oldest first.
    async fn portal_replies(&self, copy: PortalCopyId) -> Result<Vec<PortalReply>>;
    /// A reply's sealed content.
    async fn portal_reply_content(&self, id: PortalItemId) -> Result<Vec<u8>>;

    /// Everything the landing page behind a link reads, in one go: the copy whose link
    /// token hashes to `token_hash`, its wrong guesses since `failed_since` (as
    /// [`PortalStore::portal_failed_attempts_since`]), whether its recipient has a passkey
    /// and its sealed mobile number. `NotFound` if no copy has that token.
    ///
    /// The default answers with the single reads; a backend may do it in one query (a busy
    /// portal serves this page more than any other).
    async fn portal_landing(
        &self,
        token_hash: &str,
        failed_since: Timestamp,
    ) -> Result<PortalLanding> {
        let copy = self.portal_copy_by_token(token_hash).await?;
        let failed_attempts = self
            .portal_failed_attempts_since(copy.id, failed_since)
            .await?;
        let has_passkey = !self
            .portal_passkeys(copy.tenant, &copy.address)
            .await?
            .is_empty();
        let sms_number = self.portal_sms_number(copy.id).await?;
        Ok(PortalLanding {
            copy,
            failed_attempts,
            has_passkey,
            sms_number,
        })
    }

    /// A session by the hash of its id with the copy it asks for and its sealed content, in
    /// one go (the message page's reads): the copy is `None` if there is none, and whether
    /// the session may read it is the caller's decision. `NotFound` if there is no such
    /// session.
    ///
    /// The default answers with the single reads; a backend may do it in one query.
    async fn portal_reading(
        &self,
        session_hash: &str,
        copy: PortalCopyId,
    ) -> Result<PortalReading> {
        let session = self.portal_session(session_hash).await?;
        let copy = match self.portal_copy(copy).await {
            Ok(c) => Some(c),
            Err(crate::StorageError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let (has_passkey, replies, sealed) = match &copy {
            Some(c) => (
                !self.portal_passkeys(c.tenant, &c.address).await?.is_empty(),
                u32::try_from(self.portal_replies(c.id).await?.len()).unwrap_or(u32::MAX),
                Some(self.portal_content(c.id).await?),
            ),
            None => (false, 0, None),
        };
        Ok(PortalReading {
            session,
            copy,
            has_passkey,
            replies,
            sealed,
        })
    }
}
