//! Storage traits per aggregate, their records, and one conformance suite that every
//! backend must pass.
//!
//! **What it does:** defines what carepost keeps ([`TenantStore`], [`UserStore`],
//! [`KeyStore`], [`QueueStore`], [`AuditStore`], [`PolicyStore`], [`PortalStore`],
//! [`GroupStore`], [`AccessPolicyStore`], …) as async
//! traits over plain records. Backends live in `storage-sqlite` (the default, one machine)
//! and `storage-postgres` (several nodes); the binary picks one through [`Store`].
//!
//! **What it does not do:** no SQL, no I/O. Migrations and row types belong to each backend.
//!
//! **Security and PHI:** message bodies arrive here already sealed (see the `crypto` crate);
//! storage never sees plaintext content. Recipient addresses are stored in clear so the
//! queue can route and operators can see per-recipient status; they never enter logs.
//! Password and app-password hashes are argon2id PHC strings, never passwords.
//!
//! **Durability contract:** [`QueueStore::enqueue`] returns only after the message and
//! every recipient entry are committed to stable storage. Backends may batch concurrent
//! calls into one transaction (group commit), but none may return early.
//!
//! **Errors:** [`StorageError`] keeps "not found", constraint conflicts, an unavailable
//! backend and everything else apart, so callers can map them to SMTP and HTTP replies.

mod accounts;
mod api;
#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "conformance")]
pub mod conformance_groups;
mod groups;
mod portal;
mod records;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use model::{EmailAddress, MessageId, RecipientId, RecipientStatus, TenantId, Timestamp, UserId};

pub use accounts::*;
pub use api::*;
pub use groups::*;
pub use portal::*;
pub use records::*;

/// Result of a storage call.
pub type Result<T> = std::result::Result<T, StorageError>;

/// What went wrong in a storage call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or state constraint refused the write.
    #[error("conflict on {constraint}")]
    Conflict {
        /// Which constraint (e.g. `users.address`, `lease`).
        constraint: String,
    },
    /// The backend cannot be reached or is shutting down; the caller may retry later.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else (corrupt row, driver error). The text never holds PHI.
    #[error("storage error: {0}")]
    Other(String),
}

/// Audit events to record with a change, in the same transaction (see [`AuditStore`]).
/// Their `seq` is ignored: the store numbers them.
pub type AuditEvents<'a> = &'a [audit::AuditEvent];

/// Organisations.
#[async_trait]
pub trait TenantStore: Send + Sync {
    /// Create a tenant. `Conflict` if the id or name exists.
    async fn create_tenant(&self, tenant: &Tenant, audit: AuditEvents<'_>) -> Result<()>;
    /// One tenant.
    async fn tenant(&self, id: TenantId) -> Result<Tenant>;
    /// All tenants, oldest first.
    async fn tenants(&self) -> Result<Vec<Tenant>>;
}

/// Users and their SMTP app passwords.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Create a user. `Conflict { constraint: "users.address" }` if the address exists.
    async fn create_user(&self, user: &User, audit: AuditEvents<'_>) -> Result<()>;
    /// The user with this address (addresses are unique across tenants: they are logins).
    async fn user_by_address(&self, address: &EmailAddress) -> Result<User>;
    /// One user.
    async fn user(&self, id: UserId) -> Result<User>;
    /// A tenant's users, oldest first.
    async fn users(&self, tenant: TenantId) -> Result<Vec<User>>;
    /// Replace a user's login password hash (and whether it must change at next login).
    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        must_change: bool,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// Add an app password.
    async fn add_app_password(&self, password: &AppPassword, audit: AuditEvents<'_>) -> Result<()>;
    /// A user's app passwords, including revoked ones, oldest first.
    async fn app_passwords(&self, user: UserId) -> Result<Vec<AppPassword>>;
    /// Revoke an app password. `NotFound` if it does not exist.
    async fn revoke_app_password(&self, id: model::ApiKeyId, audit: AuditEvents<'_>) -> Result<()>;
}

/// Wrapped key material (tenant data keys, DKIM keys), never in clear.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Store a new key. If `key.active`, every other key of the same tenant and purpose
    /// becomes inactive in the same transaction.
    async fn put_key(&self, key: &WrappedKey, audit: AuditEvents<'_>) -> Result<()>;
    /// One key by id.
    async fn key(&self, id: &str) -> Result<WrappedKey>;
    /// All keys, oldest first.
    async fn all_keys(&self) -> Result<Vec<WrappedKey>>;
    /// Replace the wrapping of several keys in one transaction (master key rotation):
    /// `wrapped` and `wrapping_key_id` are updated, nothing else.
    async fn rewrap_keys(&self, keys: &[WrappedKey], audit: AuditEvents<'_>) -> Result<()>;
}

/// The durable outbound queue: one message row, one row per recipient copy.
#[async_trait]
pub trait QueueStore: Send + Sync {
    /// Commit a message and its recipients. Returns only once they are durable.
    async fn enqueue(&self, message: NewMessage) -> Result<()>;
    /// Make a sealed body durable before the message that holds it is enqueued, so that
    /// the wait for the disk can overlap other work (the intake stages a body while its
    /// message is screened). Stores that keep bodies in the enqueue's own transaction, or
    /// cannot stage this one (too small to be worth it, a disk error), give it back as
    /// [`Staging::Kept`]. A staged body that is never enqueued is never read; see
    /// [`QueueStore::discard_staged`]. An error: the store cannot take bodies now.
    async fn stage_body(&self, sealed: Vec<u8>) -> Result<Staging> {
        Ok(Staging::Kept(sealed))
    }
    /// Forget a staged body whose message will not be enqueued (refused by policy, or
    /// screening failed): its sealed bytes are overwritten where the store can do that, so
    /// a refused message does not stay on disk, even sealed. Best effort: a failure is the
    /// store's to log, and the bytes stay unreferenced.
    async fn discard_staged(&self, _staged: StagedBody) {}
    /// One message's envelope and metadata.
    async fn message(&self, id: MessageId) -> Result<MessageRecord>;
    /// One message's sealed body.
    async fn message_body(&self, id: MessageId) -> Result<Vec<u8>>;
    /// A message's envelope and metadata with its sealed body: what a delivery attempt
    /// reads. A backend may answer both in one round trip.
    async fn message_with_body(&self, id: MessageId) -> Result<(MessageRecord, Vec<u8>)> {
        let message = self.message(id).await?;
        let body = self.message_body(id).await?;
        Ok((message, body))
    }
    /// One recipient copy.
    async fn recipient(&self, id: RecipientId) -> Result<RecipientRecord>;
    /// All recipient copies of a message.
    async fn recipients_of(&self, id: MessageId) -> Result<Vec<RecipientRecord>>;
    /// Recipient copies matching a filter, newest first.
    async fn list_recipients(&self, filter: &RecipientFilter) -> Result<Vec<RecipientRecord>>;
    /// Claim up to `limit` copies that are due: `queued` or `deferred` with
    /// `next_attempt <= now`, or `delivering` whose lease ran out (a crashed worker's
    /// claim). Claimed copies become `delivering` with `lease_owner = worker` and
    /// `lease_until = now + lease`. Clinical mail first, then by `next_attempt`. Two
    /// concurrent claimers never receive the same copy.
    async fn claim_due(
        &self,
        worker: &str,
        now: Timestamp,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<RecipientRecord>>;
    /// Record the outcome of an attempt by the worker holding the lease, and append it to
    /// the attempt history. `Conflict { constraint: "lease" }` if the worker no longer
    /// holds the lease (it expired and someone else claimed the copy).
    async fn complete(
        &self,
        id: RecipientId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// Give a claimed copy back without an attempt (shutdown): it becomes due at `at`.
    async fn release_claim(&self, id: RecipientId, worker: &str, at: Timestamp) -> Result<()>;
    /// Give back every claim whose lease owner starts with `owner_prefix`, due at `at`.
    /// A node calls this when it starts: none of its earlier process's attempts can still
    /// be in flight, so its copies need not wait for their leases to run out. Returns how
    /// many copies were released.
    async fn release_claims_by_owner_prefix(
        &self,
        owner_prefix: &str,
        at: Timestamp,
    ) -> Result<u64>;
    /// Operator action: move a copy from one of `from` to `to`, due at `next_attempt`.
    /// Returns false (and changes nothing) if its status is not in `from`.
    async fn transition(
        &self,
        id: RecipientId,
        from: &[RecipientStatus],
        to: RecipientStatus,
        next_attempt: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// The attempt history of a copy, oldest first.
    async fn attempts(&self, id: RecipientId) -> Result<Vec<AttemptRecord>>;
    /// Number of copies per status (for a tenant, or all).
    async fn count_by_status(
        &self,
        tenant: Option<TenantId>,
    ) -> Result<Vec<(RecipientStatus, u64)>>;
    /// The earliest `next_attempt` (or lease expiry) among copies that could become due.
    async fn next_due(&self) -> Result<Option<Timestamp>>;
}

/// The audit trail's storage: events numbered without gaps, their leaf hashes, signed tree
/// heads, and cursors of the consumers that stream events elsewhere (a SIEM).
///
/// **Same transaction:** every write method of the other traits takes the audit events
/// that record it ([`AuditEvents`]) and commits them in the same transaction as the change,
/// so a change is never durable without its events nor the events without the change.
/// The store assigns `seq` (the next number, without gaps, in commit order: concurrent
/// writers on several nodes serialise on the log's counter), validates each event
/// (`audit::AuditEvent::validate`) and stores its canonical bytes and leaf hash. An
/// invalid event fails the whole write.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Record events that accompany no other change (a failed login, an export). Returns
    /// the sequence number given to the first.
    async fn append_audit(&self, events: &[audit::AuditEvent]) -> Result<u64>;
    /// Number of events ever appended (purged ones included): the tree size.
    async fn audit_size(&self) -> Result<u64>;
    /// Events `from_seq..`, at most `limit`, in sequence order, purged ones included
    /// (with `event: None`).
    async fn audit_range(&self, from_seq: u64, limit: u32) -> Result<Vec<StoredAuditEvent>>;
    /// Leaf hashes of events `from_seq..`, at most `limit`, in order (to rebuild the tree).
    async fn audit_leaf_hashes(&self, from_seq: u64, limit: u32) -> Result<Vec<[u8; 32]>>;
    /// Events matching a filter, in sequence order (purged events never match).
    async fn find_audit(&self, filter: &AuditFilter) -> Result<Vec<audit::AuditEvent>>;
    /// Every event matching a filter (its `limit` and `after_seq` ignored), read page by
    /// page, in sequence order.
    async fn find_audit_all(&self, filter: &AuditFilter) -> Result<Vec<audit::AuditEvent>> {
        const PAGE: u32 = 1000;
        let mut out = Vec::new();
        let mut page_filter = AuditFilter {
            limit: PAGE,
            after_seq: None,
            ..filter.clone()
        };
        loop {
            let page = self.find_audit(&page_filter).await?;
            let done = page.len() < PAGE as usize;
            page_filter.after_seq = page.last().map(|e| e.seq);
            out.extend(page);
            if done {
                return Ok(out);
            }
        }
    }
    /// Keep a signed head (and any cosignatures). Replaces the cosignatures of a head of
    /// the same size and timestamp.
    async fn put_tree_head(&self, head: &StoredTreeHead) -> Result<()>;
    /// The newest head (largest size, then latest timestamp).
    async fn latest_tree_head(&self) -> Result<Option<StoredTreeHead>>;
    /// Heads with `tree_size >= min_size`, oldest first, at most `limit`.
    async fn tree_heads(&self, min_size: u64, limit: u32) -> Result<Vec<StoredTreeHead>>;
    /// Retention: drop the content of events older than `before` whose seq is below
    /// `below_seq`, keeping their leaf hashes. Returns how many were purged. Records the
    /// `events` (what was purged, by whom) in the same transaction.
    async fn purge_audit(
        &self,
        before: Timestamp,
        below_seq: u64,
        events: &[audit::AuditEvent],
    ) -> Result<u64>;
    /// A consumer's position (the last seq it has fully handed on), if it has one.
    async fn audit_cursor(&self, consumer: &str) -> Result<Option<u64>>;
    /// Save a consumer's position.
    async fn set_audit_cursor(&self, consumer: &str, seq: u64) -> Result<()>;
}

/// The organisations' policy documents, versioned. The store keeps every version and never
/// changes one; the document in force is the highest version. Storage does not parse the
/// documents: callers validate them (`policy::PolicyDocument::parse`) before storing.
#[async_trait]
pub trait PolicyStore: Send + Sync {
    /// Store a new version of `tenant`'s policy and return its number: the tenant's previous
    /// highest version plus one (1 for the first), assigned inside the transaction, so
    /// concurrent puts (on any number of nodes) get distinct, consecutive versions. The
    /// `audit` events are committed in the same transaction. `Conflict { constraint:
    /// "foreign_key" }` if the tenant does not exist.
    async fn put_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<u64>;
    /// The version in force (the highest), or `None` if the tenant has stored none.
    async fn current_policy(&self, tenant: TenantId) -> Result<Option<PolicyRecord>>;
    /// One version. `NotFound` if the tenant has no such version.
    async fn policy_version(&self, tenant: TenantId, version: u64) -> Result<PolicyRecord>;
    /// Every version of the tenant's policy, oldest (version 1) first.
    async fn policy_history(&self, tenant: TenantId) -> Result<Vec<PolicyRecord>>;
}

/// Everything one backend provides. The binary holds an `Arc<dyn Store>`.
pub trait Store:
    TenantStore
    + UserStore
    + KeyStore
    + QueueStore
    + AuditStore
    + PolicyStore
    + PortalStore
    + ApiStore
    + AccountStore
    + GroupStore
    + AccessPolicyStore
{
    /// Short backend name for logs (`sqlite`, `postgres`).
    fn backend_name(&self) -> &'static str;
}

/// The shared handle the services use.
pub type SharedStore = Arc<dyn Store>;
