//! The sender's and administrator's side: where every portal copy stands, and revoking one.

use audit::{Actor, EventKind};
use model::{MessageId, PortalCopyId, TenantId, Timestamp};
use serde::Serialize;
use storage::{PortalCopy, PortalFilter, StorageError};

use crate::publish::copy_event;

/// One portal copy as the sender sees it: its state and when each step happened.
#[derive(Clone, Debug, Serialize)]
pub struct CopyStatus {
    /// The portal copy.
    pub id: PortalCopyId,
    /// The message.
    pub message: MessageId,
    /// The organisation.
    pub tenant: TenantId,
    /// The recipient's address (the sender chose it; shown to staff, never logged).
    pub recipient: String,
    /// `notified`, `verified`, `opened`, `downloaded`, `replied`, `expired`, `revoked`
    /// (or `pending` before the notification is queued).
    pub state: String,
    /// When it was made.
    pub created: String,
    /// When the link stops working.
    pub expires: String,
    /// When each step first happened (RFC 3339), if it did.
    pub notified: Option<String>,
    /// First verification.
    pub verified: Option<String>,
    /// First opening.
    pub opened: Option<String>,
    /// First download.
    pub downloaded: Option<String>,
    /// First reply.
    pub replied: Option<String>,
    /// Revocation.
    pub revoked: Option<String>,
}

impl CopyStatus {
    fn of(copy: &PortalCopy, now: Timestamp) -> Self {
        let t = |x: Option<Timestamp>| x.map(Timestamp::to_rfc3339);
        Self {
            id: copy.id,
            message: copy.message,
            tenant: copy.tenant,
            recipient: copy.address.to_string(),
            state: copy.state(now).to_string(),
            created: copy.created.to_rfc3339(),
            expires: copy.expires.to_rfc3339(),
            notified: t(copy.notified),
            verified: t(copy.verified),
            opened: t(copy.opened),
            downloaded: t(copy.downloaded),
            replied: t(copy.replied),
            revoked: t(copy.revoked),
        }
    }
}

/// Why a revocation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    /// No such copy (in the caller's organisation).
    #[error("no such portal copy")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Storage(StorageError),
}

/// Portal copies matching a filter, newest first, with their state at `now`.
pub async fn copies(
    store: &dyn storage::Store,
    filter: &PortalFilter,
    now: Timestamp,
) -> Result<Vec<CopyStatus>, StorageError> {
    Ok(store
        .portal_copies(filter)
        .await?
        .iter()
        .map(|c| CopyStatus::of(c, now))
        .collect())
}

/// Revoke a copy: its link and any session stop showing it. `tenant` limits the caller to
/// their organisation (`None`: an operator on the machine). Returns false if it was
/// already revoked.
pub async fn revoke(
    store: &dyn storage::Store,
    id: PortalCopyId,
    tenant: Option<TenantId>,
    actor: Actor,
    now: Timestamp,
) -> Result<bool, RevokeError> {
    let copy = match store.portal_copy(id).await {
        Ok(c) if tenant.is_none_or(|t| t == c.tenant) => c,
        Ok(_) | Err(StorageError::NotFound) => return Err(RevokeError::NotFound),
        Err(e) => return Err(RevokeError::Storage(e)),
    };
    let event = copy_event(&copy, actor, EventKind::PortalRevoked, now);
    store
        .revoke_portal_copy(id, now, &[event])
        .await
        .map_err(|e| match e {
            StorageError::NotFound => RevokeError::NotFound,
            e => RevokeError::Storage(e),
        })
}
