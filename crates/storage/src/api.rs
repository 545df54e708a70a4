//! Records and the trait for the REST API: organisation API keys, and the idempotency keys
//! that make a retried `POST /api/v1/messages` return the first answer instead of sending
//! twice.
//!
//! **Secrets:** an API key's secret is kept only as its SHA-256 (it has 256 random bits, so
//! a fast hash is enough). **PHI:** none. An idempotency key is the client's own string
//! (bounded, printable ASCII); clients are told not to put PHI in it, and it is never
//! logged or audited. The request fingerprint is a SHA-256, so it reveals nothing.

use async_trait::async_trait;
use model::{ApiKeyId, MessageId, TenantId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::{AuditEvents, Result};

/// An organisation API key (for a system, not a person).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// Identifier (also inside the token).
    pub id: ApiKeyId,
    /// Organisation.
    pub tenant: TenantId,
    /// What the key is for ("Epic interface", "billing export"); unique per organisation.
    pub name: String,
    /// Space-separated scopes (`messages:send messages:read`), see `identity::api_keys`.
    pub scopes: String,
    /// Space-separated sender rules for `messages:send`: addresses and whole domains
    /// (`billing@clinic.example @lab.clinic.example`). A key sends only as these.
    pub senders: String,
    /// Lower-case hex SHA-256 of the secret part of the token.
    pub secret_sha256: String,
    /// The admin who created it (`None` when made with the command line).
    pub created_by: Option<UserId>,
    /// When it was created.
    pub created: Timestamp,
    /// After this time the key authenticates nothing.
    pub expires: Timestamp,
    /// When it was revoked, if it was.
    pub revoked: Option<Timestamp>,
}

impl ApiKey {
    /// Whether the key may be used at `now`.
    pub fn usable_at(&self, now: Timestamp) -> bool {
        self.revoked.is_none() && now < self.expires
    }
}

/// A client's idempotency key on a submission, committed in the same transaction as the
/// message (see [`crate::NewMessage::idempotency`]), so a retry can never commit a second
/// message, whatever fails in between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionKey {
    /// The API key that submitted (idempotency keys are per API key).
    pub credential: ApiKeyId,
    /// The client's `Idempotency-Key` header.
    pub key: String,
    /// Lower-case hex SHA-256 of the request body, to tell a retry from a different
    /// request that reuses the key.
    pub request_sha256: String,
}

/// A stored idempotency key and the message it produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedKey {
    /// The key as submitted.
    pub key: SubmissionKey,
    /// The message committed with it.
    pub message: MessageId,
    /// When.
    pub created: Timestamp,
}

/// The constraint named in [`crate::StorageError::Conflict`] when a submission reuses an
/// idempotency key already committed.
pub const SUBMISSION_KEY_CONSTRAINT: &str = "submission_keys";

/// API keys and idempotency keys.
#[async_trait]
pub trait ApiStore: Send + Sync {
    /// Store a new key. `Conflict` if its id, or its name in the organisation, exists.
    async fn create_api_key(&self, key: &ApiKey, audit: AuditEvents<'_>) -> Result<()>;
    /// One key by id (any organisation: the caller checks the tenant it needs).
    async fn api_key(&self, id: ApiKeyId) -> Result<ApiKey>;
    /// An organisation's keys, newest first, revoked ones included.
    async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKey>>;
    /// Revoke a key of `tenant` at `at`. `NotFound` if the organisation has no such key;
    /// revoking a revoked key changes nothing and succeeds.
    async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// The message committed with an idempotency key of `credential`, if any.
    async fn submitted_key(&self, credential: ApiKeyId, key: &str) -> Result<Option<SubmittedKey>>;
}
