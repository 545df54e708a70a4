//! Plain records passed through the storage traits.

use serde::{Deserialize, Serialize};

use model::{
    ApiKeyId, EmailAddress, MessageId, Principal, Priority, RecipientId, RecipientStatus, Role,
    SubmissionChannel, TenantId, Timestamp, TlsRecord, UserId,
};

/// An organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Identifier.
    pub id: TenantId,
    /// Display name (unique).
    pub name: String,
    /// When it was created.
    pub created: Timestamp,
}

/// A person who signs in or sends mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Organisation.
    pub tenant: TenantId,
    /// Login and sender address (unique).
    pub address: EmailAddress,
    /// What the user may do.
    pub role: Role,
    /// argon2id PHC string of the login password, if one is set.
    pub password_hash: Option<String>,
    /// The password was generated (first admin) and must be changed at first login.
    pub must_change_password: bool,
    /// A disabled user can neither sign in nor send.
    pub disabled: bool,
    /// When it was created.
    pub created: Timestamp,
}

/// An SMTP app password: a random secret for one client, never the login password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPassword {
    /// Identifier.
    pub id: ApiKeyId,
    /// Owner.
    pub user: UserId,
    /// Owner's organisation.
    pub tenant: TenantId,
    /// Free text shown to the user ("scanner", "Thunderbird").
    pub label: String,
    /// argon2id PHC string of the secret.
    pub hash: String,
    /// When it was created.
    pub created: Timestamp,
    /// Revoked passwords never authenticate.
    pub revoked: bool,
}

/// What a key is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyPurpose {
    /// A tenant key that wraps per-object data keys.
    TenantData,
    /// A tenant's DKIM signing key (PKCS#8).
    Dkim,
}

impl KeyPurpose {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TenantData => "tenant-data",
            Self::Dkim => "dkim",
        }
    }
    /// Parse the text form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "tenant-data" => Some(Self::TenantData),
            "dkim" => Some(Self::Dkim),
            _ => None,
        }
    }
}

/// Key material wrapped (encrypted) by the master key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// Key id (also written into every object it seals).
    pub id: String,
    /// Owning tenant.
    pub tenant: TenantId,
    /// What the key is for.
    pub purpose: KeyPurpose,
    /// The sealed key bytes.
    pub wrapped: Vec<u8>,
    /// Id of the master key that wrapped it.
    pub wrapping_key_id: String,
    /// Whether new objects use this key.
    pub active: bool,
    /// When it was created.
    pub created: Timestamp,
}

impl std::fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedKey")
            .field("id", &self.id)
            .field("tenant", &self.tenant)
            .field("purpose", &self.purpose)
            .field("wrapping_key_id", &self.wrapping_key_id)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// A message to commit to the queue.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// The message's metadata.
    pub record: MessageRecord,
    /// The sealed body (see `crypto`).
    pub sealed_body: Vec<u8>,
    /// One entry per recipient copy.
    pub recipients: Vec<NewRecipient>,
}

/// One recipient copy to commit.
#[derive(Clone, Debug)]
pub struct NewRecipient {
    /// Identifier.
    pub id: RecipientId,
    /// Where it goes.
    pub address: EmailAddress,
    /// Initial status: `queued`, or what policy decided (`awaiting-portal`, `quarantined`).
    pub status: RecipientStatus,
    /// When it is first due.
    pub next_attempt: Timestamp,
}

/// A queued message's envelope and metadata (no content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// Identifier.
    pub id: MessageId,
    /// Organisation.
    pub tenant: TenantId,
    /// Who submitted it.
    pub principal: Principal,
    /// How it came in.
    pub channel: SubmissionChannel,
    /// The submitting client's IP address.
    pub client_ip: String,
    /// `MAIL FROM`, or `None` for the null sender `<>`.
    pub envelope_from: Option<EmailAddress>,
    /// Size of the message as received, in bytes.
    pub size: u64,
    /// Delivery priority.
    pub priority: Priority,
    /// When it was accepted.
    pub received: Timestamp,
    /// After this time, copies still undelivered bounce.
    pub expires: Timestamp,
    /// SHA-256 of the message as received (hex), for proofs and deduplication.
    pub body_sha256: String,
}

/// One recipient copy as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientRecord {
    /// Identifier.
    pub id: RecipientId,
    /// Its message.
    pub message: MessageId,
    /// Organisation.
    pub tenant: TenantId,
    /// Where it goes.
    pub address: EmailAddress,
    /// Where it stands.
    pub status: RecipientStatus,
    /// Priority (copied from the message so claims can order by it).
    pub priority: Priority,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it is next due.
    pub next_attempt: Timestamp,
    /// The last failure, escaped and without PHI.
    pub last_error: Option<String>,
    /// The worker holding the lease while `delivering`.
    pub lease_owner: Option<String>,
    /// When the lease runs out.
    pub lease_until: Option<Timestamp>,
    /// How it travelled, once delivered.
    pub tls: Option<TlsRecord>,
    /// Last change.
    pub updated: Timestamp,
}

/// The result of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum AttemptOutcome {
    /// The next hop accepted it over TLS.
    Delivered {
        /// How it travelled.
        tls: TlsRecord,
    },
    /// A temporary failure; try again at `next_attempt`.
    Deferred {
        /// When to retry.
        next_attempt: Timestamp,
        /// What failed (no PHI).
        error: String,
    },
    /// A permanent failure or the lifetime ran out.
    Bounced {
        /// What failed (no PHI).
        error: String,
    },
    /// Verified TLS could not be had: the copy waits for the portal.
    AwaitingPortal {
        /// Why (no PHI).
        reason: String,
    },
}

impl AttemptOutcome {
    /// The status this outcome leaves the copy in.
    pub fn status(&self) -> RecipientStatus {
        match self {
            Self::Delivered { .. } => RecipientStatus::Delivered,
            Self::Deferred { .. } => RecipientStatus::Deferred,
            Self::Bounced { .. } => RecipientStatus::Bounced,
            Self::AwaitingPortal { .. } => RecipientStatus::AwaitingPortal,
        }
    }
}

/// One attempt in a copy's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// The copy.
    pub recipient: RecipientId,
    /// When the attempt ended.
    pub at: Timestamp,
    /// The worker that made it.
    pub worker: String,
    /// What happened.
    pub outcome: AttemptOutcome,
}

/// Which recipient copies to list.
#[derive(Clone, Debug, Default)]
pub struct RecipientFilter {
    /// Only this organisation.
    pub tenant: Option<TenantId>,
    /// Only these statuses (empty = all).
    pub statuses: Vec<RecipientStatus>,
    /// Only this message.
    pub message: Option<MessageId>,
    /// At most this many (0 = a default of 100).
    pub limit: u32,
}
