//! Plain records passed through the storage traits.

use serde::{Deserialize, Serialize};

use model::{
    ApiKeyId, DeliveryRoute, EmailAddress, MessageId, Principal, Priority, RecipientId,
    RecipientStatus, Role, SubmissionChannel, TenantId, Timestamp, TlsRecord, UserId,
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

/// One version of an organisation's policy document (see the `policy` crate). Versions are
/// numbered by the store, per tenant, from 1 without gaps; a stored version never changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    /// Organisation.
    pub tenant: TenantId,
    /// The version the store assigned (1 for the first).
    pub version: u64,
    /// The TOML document as the administrator wrote it (validated before it was stored).
    pub document: String,
    /// Who stored it, as an actor key ([`actor_key`]: `system:cli`, `user:ID`, ...).
    pub author: String,
    /// When it was stored.
    pub created: Timestamp,
}

/// A sealed body a store made durable ahead of the transaction that will reference it
/// ([`crate::QueueStore::stage_body`]). Opaque: only the store that staged it knows what
/// the token is (another store refuses it), and it holds no bytes of the body.
#[derive(Clone)]
pub struct StagedBody {
    token: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

impl StagedBody {
    /// Wrap a store's own reference to a body it staged.
    pub fn new<T: std::any::Any + Send + Sync>(token: T) -> Self {
        Self {
            token: std::sync::Arc::new(token),
        }
    }

    /// The store's reference, if this body was staged by a store of that kind.
    pub fn token<T: std::any::Any>(&self) -> Option<&T> {
        self.token.downcast_ref()
    }
}

impl std::fmt::Debug for StagedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedBody").finish_non_exhaustive()
    }
}

/// What [`crate::QueueStore::stage_body`] did with a sealed body.
#[derive(Debug)]
pub enum Staging {
    /// The store keeps bodies in the enqueue's transaction (or could not stage this one):
    /// it goes into [`NewMessage::sealed_body`], as before.
    Kept(Vec<u8>),
    /// Durable already: it goes into [`NewMessage::staged_body`].
    Staged(StagedBody),
}

/// A message to commit to the queue.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// The message's metadata.
    pub record: MessageRecord,
    /// The sealed body (see `crypto`). Empty when [`NewMessage::staged_body`] holds it.
    pub sealed_body: Vec<u8>,
    /// The sealed body, when the store already made it durable
    /// ([`crate::QueueStore::stage_body`]); then `sealed_body` is empty.
    pub staged_body: Option<StagedBody>,
    /// One entry per recipient copy.
    pub recipients: Vec<NewRecipient>,
    /// Audit events recorded in the same transaction (submission, scan, decisions).
    pub audit: Vec<audit::AuditEvent>,
    /// The REST client's idempotency key, committed with the message; a second message
    /// with the same key (and API key) is refused with `Conflict` on
    /// [`crate::SUBMISSION_KEY_CONSTRAINT`].
    pub idempotency: Option<crate::SubmissionKey>,
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
    /// How policy lets it travel once delivered.
    pub route: DeliveryRoute,
    /// When it is first due.
    pub next_attempt: Timestamp,
    /// Committed already leased to a delivery worker, which takes the copy straight from
    /// intake instead of claiming it (`status` is then `delivering`, whatever the field above
    /// says). If that worker never records an outcome, the lease runs out and any worker
    /// claims the copy, as after a crash.
    pub lease: Option<Lease>,
}

/// Who holds a copy and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// The worker (`lease_owner`).
    pub owner: String,
    /// When another worker may take the copy over (`lease_until`).
    pub until: Timestamp,
}

impl NewRecipient {
    /// The status the copy is stored with: `delivering` when it is leased. A `delivering`
    /// copy without a lease is stored as `queued`, since no lease would ever run out to
    /// free it.
    pub fn stored_status(&self) -> RecipientStatus {
        match (&self.lease, self.status) {
            (Some(_), _) => RecipientStatus::Delivering,
            (None, RecipientStatus::Delivering) => RecipientStatus::Queued,
            (None, status) => status,
        }
    }

    /// The copy as the store holds it once `message` is committed (`updated` is the commit
    /// time).
    pub fn stored_record(&self, message: &MessageRecord, updated: Timestamp) -> RecipientRecord {
        RecipientRecord {
            id: self.id,
            message: message.id,
            tenant: message.tenant,
            address: self.address.clone(),
            status: self.stored_status(),
            route: self.route,
            priority: message.priority,
            attempts: 0,
            next_attempt: self.next_attempt,
            last_error: None,
            lease_owner: self.lease.as_ref().map(|l| l.owner.clone()),
            lease_until: self.lease.as_ref().map(|l| l.until),
            tls: None,
            updated,
        }
    }
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
    /// How policy lets it travel.
    pub route: DeliveryRoute,
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

/// One event as the audit store holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAuditEvent {
    /// Its position in the log (Merkle leaf index).
    pub seq: u64,
    /// SHA-256 leaf hash of its canonical bytes (RFC 9162 `0x00 || bytes`), as stored.
    pub leaf_hash: [u8; 32],
    /// The event's canonical JSON as stored, or `None` once retention purged its content
    /// (the leaf hash stays, so later proofs still verify). Kept as text so a verifier
    /// hashes exactly what is stored, and so reading a million events does not parse them.
    pub line: Option<String>,
}

impl StoredAuditEvent {
    /// The event, parsed (`None` when purged).
    pub fn event(&self) -> Option<crate::Result<audit::AuditEvent>> {
        self.line.as_deref().map(AuditRow::parse_line)
    }
}

/// Which audit events to find. Every set field must match.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// At or after this time.
    pub from: Option<Timestamp>,
    /// Before this time.
    pub until: Option<Timestamp>,
    /// Only these kinds (empty = all).
    pub kinds: Vec<audit::EventKind>,
    /// Only this actor, in its key form ([`actor_key`]: `user:ID`, `device:NAME`, ...).
    pub actor: Option<String>,
    /// Only events about this message.
    pub message: Option<MessageId>,
    /// Only events about this recipient copy.
    pub recipient: Option<RecipientId>,
    /// Only this organisation.
    pub tenant: Option<TenantId>,
    /// Only events whose details carry this keyed hash (see `audit::keyed_hash`) in their
    /// `patient_refs` array: how the accounting of disclosures finds a patient's events.
    pub patient_ref: Option<String>,
    /// Only events with a larger sequence number (paging).
    pub after_seq: Option<u64>,
    /// At most this many, in sequence order (0 = a default of 1000).
    pub limit: u32,
}

/// The text form of an actor used for filtering and indexing: `user:ID`, `device:NAME`,
/// `system:COMPONENT` or `api_key:ID`.
pub fn actor_key(actor: &audit::Actor) -> String {
    match actor {
        audit::Actor::User { id } => format!("user:{id}"),
        audit::Actor::Device { name } => format!("device:{name}"),
        audit::Actor::System { component } => format!("system:{component}"),
        audit::Actor::ApiKey { id } => format!("api_key:{id}"),
        audit::Actor::PortalRecipient { recipient } => format!("portal_recipient:{recipient}"),
    }
}

/// The detail key whose array holds keyed hashes of the patients an event concerns.
pub const PATIENT_REFS_DETAIL: &str = "patient_refs";

/// The patient references (keyed hashes) an event carries, for indexing.
pub fn patient_refs(event: &audit::AuditEvent) -> Vec<String> {
    match event.details.get(PATIENT_REFS_DETAIL) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A signed tree head and the witness cosignatures gathered for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTreeHead {
    /// The head the log signed.
    pub head: audit::SignedTreeHead,
    /// Witnesses' countersignatures, possibly none.
    pub cosignatures: Vec<audit::Cosignature>,
}

/// An audit event ready to insert: numbered, validated, hashed, with the columns backends
/// index. Both backends build rows here so they hash and index identically.
#[derive(Clone, Debug)]
pub struct AuditRow {
    /// Its number.
    pub seq: u64,
    /// `at` in milliseconds.
    pub at: i64,
    /// The kind's text form.
    pub kind: &'static str,
    /// Tenant id text.
    pub tenant: Option<String>,
    /// [`actor_key`].
    pub actor: String,
    /// Subject message id text.
    pub message: Option<String>,
    /// Subject recipient id text.
    pub recipient: Option<String>,
    /// The RFC 9162 leaf hash of `line`.
    pub leaf_hash: [u8; 32],
    /// The canonical JSON of the numbered event.
    pub line: String,
    /// Keyed patient hashes from the `patient_refs` detail.
    pub patient_refs: Vec<String>,
}

impl AuditRow {
    /// Number `event` as `seq`, validate and hash it. The error names the schema rule
    /// broken, never a value.
    pub fn new(event: &audit::AuditEvent, seq: u64) -> crate::Result<Self> {
        let mut numbered = event.clone();
        numbered.seq = seq;
        let bytes = numbered
            .canonical_bytes()
            .map_err(|e| crate::StorageError::Other(e.to_string()))?;
        let leaf_hash = audit::leaf_hash(&bytes);
        let line = String::from_utf8(bytes)
            .map_err(|_| crate::StorageError::Other("audit event is not UTF-8".to_string()))?;
        Ok(Self {
            seq,
            at: numbered.at.as_millis(),
            kind: numbered.kind.as_str(),
            tenant: numbered.tenant.map(|t| t.to_string()),
            actor: actor_key(&numbered.actor),
            message: numbered.subject.message.map(|m| m.to_string()),
            recipient: numbered.subject.recipient.map(|r| r.to_string()),
            leaf_hash,
            patient_refs: patient_refs(&numbered),
            line,
        })
    }

    /// Read a stored line back into an event.
    pub fn parse_line(line: &str) -> crate::Result<audit::AuditEvent> {
        serde_json::from_str(line)
            .map_err(|_| crate::StorageError::Other("stored audit event is malformed".to_string()))
    }

    /// A stored leaf hash column back into 32 bytes.
    pub fn leaf_hash_from(bytes: &[u8]) -> crate::Result<[u8; 32]> {
        bytes
            .try_into()
            .map_err(|_| crate::StorageError::Other("stored leaf hash is not 32 bytes".to_string()))
    }
}
