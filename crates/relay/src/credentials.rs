//! The credentials that let software in: a person's SMTP app passwords (the relay checks
//! them at SMTP AUTH and the older `/api/v1` routes at HTTP Basic) and the organisation's
//! API keys (the REST API checks them). Creating, listing and revoking them lives here once,
//! for `carepost user app-password` / `carepost api-key …`, the REST API and the console.
//!
//! **What it does not do:** check a presented credential (the relay's
//! [`crate::SubmissionService`] and the binary's REST layer do), or decide who may ask for
//! one (the callers check roles and step-up first).
//!
//! **Security:** a secret (app password or API token) is returned once, to be shown once;
//! only its hash is stored (argon2id for app passwords, which people may reuse or type;
//! SHA-256 for 256-bit API tokens). Secrets are `Zeroizing` and never logged. Every
//! creation and revocation is recorded in the audit trail in the same transaction.
//! Consent-phishing defence: API keys are for named scopes, named senders and at most
//! [`MAX_KEY_DAYS`] days; the callers let only owners and admins make them.
//!
//! **PHI:** none. Labels and key names are staff-chosen descriptions (size-limited, no
//! control characters).

use std::net::IpAddr;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind, Subject};
use identity::api_keys::{ApiScope, new_api_token};
use model::{ApiKeyId, Clock, TenantId, Timestamp, UserId};
use serde::Serialize;
use smtp_gateway::SenderRules;
use storage::{ApiKey, AppPassword, SharedStore, StorageError, User};
use zeroize::Zeroizing;

/// Longest a key may live (a year): keys that never expire outlive the people who know
/// what they were for.
pub const MAX_KEY_DAYS: u32 = 366;
/// Longest key name.
const MAX_NAME_CHARS: usize = 80;
/// Longest app password label.
pub const MAX_LABEL_CHARS: usize = 80;
/// Most live (unrevoked) app passwords a person may hold: each is a way in, and a
/// forgotten one is a risk, so a person with this many revokes one first.
pub const MAX_LIVE_APP_PASSWORDS: usize = 20;
/// Longest sender list of a key, in bytes.
const MAX_SENDERS_BYTES: usize = 2048;

/// Why a credential could not be made or revoked (safe to show).
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// A field is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The organisation has a key with this name.
    #[error("the organisation already has an API key named like this")]
    DuplicateName,
    /// The person already has [`MAX_LIVE_APP_PASSWORDS`] live app passwords.
    #[error("you have {MAX_LIVE_APP_PASSWORDS} app passwords; revoke one you no longer use first")]
    TooMany,
    /// No such credential (or not the caller's).
    #[error("no such credential")]
    NotFound,
    /// Storage failed.
    #[error("storage unavailable")]
    Storage(#[from] StorageError),
    /// The random number generator or the password hash failed.
    #[error("random number generator or hashing failed")]
    Crypto,
}

/// The older name of [`CredentialError`], for API key callers.
pub type KeyError = CredentialError;

// ── SMTP app passwords ────────────────────────────────────────────────────────────────

/// An app password just made: its record and the secret (shown once).
pub struct NewAppPassword {
    /// The stored record (hash only).
    pub record: AppPassword,
    /// The secret, for the person's mail client.
    pub secret: Zeroizing<String>,
}

/// Make an app password for `user` labelled `label`, with its audit event
/// (`admin.app_password_created`, from `source_ip` if a request made it) in the same
/// transaction.
pub async fn create_app_password(
    store: &SharedStore,
    now: Timestamp,
    actor: Actor,
    source_ip: Option<IpAddr>,
    user: &User,
    label: &str,
) -> Result<NewAppPassword, CredentialError> {
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > MAX_LABEL_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(CredentialError::Invalid(format!(
            "a label is 1 to {MAX_LABEL_CHARS} characters without control characters"
        )));
    }
    let live = store
        .app_passwords(user.id)
        .await?
        .iter()
        .filter(|p| !p.revoked)
        .count();
    if live >= MAX_LIVE_APP_PASSWORDS {
        return Err(CredentialError::TooMany);
    }
    let secret = auth::generate_app_password().map_err(|_| CredentialError::Crypto)?;
    // argon2id takes tens of milliseconds of CPU: off the async workers.
    let to_hash = secret.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_secret(&to_hash))
        .await
        .map_err(|_| CredentialError::Crypto)?
        .map_err(|_| CredentialError::Crypto)?;
    let record = AppPassword {
        id: ApiKeyId::new(),
        user: user.id,
        tenant: user.tenant,
        label: label.to_string(),
        hash,
        created: now,
        revoked: false,
    };
    let mut event = AuditEvent::new(0, now, actor, EventKind::AdminAppPasswordCreated)
        .with_tenant(user.tenant)
        .with_subject(Subject {
            user: Some(user.id),
            api_key: Some(record.id),
            ..Subject::default()
        });
    if let Some(ip) = source_ip {
        event = event.with_source_ip(ip);
    }
    store.add_app_password(&record, &[event]).await?;
    Ok(NewAppPassword { record, secret })
}

/// Revoke one of `user`'s app passwords (`admin.app_password_revoked`). Another
/// person's app password is [`CredentialError::NotFound`], like an unknown one. Returns
/// whether it was live until now.
pub async fn revoke_app_password(
    store: &SharedStore,
    now: Timestamp,
    actor: Actor,
    source_ip: Option<IpAddr>,
    user: &User,
    id: ApiKeyId,
) -> Result<bool, CredentialError> {
    // The store revokes by id alone: ownership is checked here, against the person's own
    // list, so nobody revokes someone else's credential by guessing an id.
    let Some(found) = store
        .app_passwords(user.id)
        .await?
        .into_iter()
        .find(|p| p.id == id && p.tenant == user.tenant)
    else {
        return Err(CredentialError::NotFound);
    };
    if found.revoked {
        return Ok(false);
    }
    let mut event = AuditEvent::new(0, now, actor, EventKind::AdminAppPasswordRevoked)
        .with_tenant(user.tenant)
        .with_subject(Subject {
            user: Some(user.id),
            api_key: Some(id),
            ..Subject::default()
        });
    if let Some(ip) = source_ip {
        event = event.with_source_ip(ip);
    }
    match store.revoke_app_password(id, &[event]).await {
        Ok(()) => Ok(true),
        Err(StorageError::NotFound) => Err(CredentialError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// An app password as listed (never its hash).
#[derive(Clone, Debug, Serialize)]
pub struct AppPasswordView {
    /// Its id (for revoking).
    pub id: ApiKeyId,
    /// The person's label.
    pub label: String,
    /// When it was made (RFC 3339).
    pub created: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

impl AppPasswordView {
    /// The listed form of a record.
    pub fn of(p: &AppPassword) -> Self {
        Self {
            id: p.id,
            label: p.label.clone(),
            created: p.created.to_rfc3339(),
            revoked: p.revoked,
        }
    }
}

// ── Organisation API keys ─────────────────────────────────────────────────────────────

/// What an admin asks for.
pub struct KeyRequest {
    /// Organisation.
    pub tenant: TenantId,
    /// What the key is for.
    pub name: String,
    /// Scope list (`messages:send messages:read`).
    pub scopes: String,
    /// Sender rules (`billing@clinic.example @lab.clinic.example`); needed for `messages:send`.
    pub senders: String,
    /// Days until it expires (1..=366).
    pub days: u32,
    /// The admin, or `None` for the command line.
    pub created_by: Option<UserId>,
}

/// A key just made: the stored record and the token (shown once).
pub struct CreatedKey {
    /// The record.
    pub key: ApiKey,
    /// The token to give the system.
    pub token: Zeroizing<String>,
}

/// Check a request and store the key, with its audit event in the same transaction.
pub async fn create_key(
    store: &SharedStore,
    clock: &dyn Clock,
    actor: Actor,
    request: KeyRequest,
) -> Result<CreatedKey, CredentialError> {
    let name = request.name.trim().to_string();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(CredentialError::Invalid(format!(
            "name must be 1 to {MAX_NAME_CHARS} characters without control characters"
        )));
    }
    let scopes = ApiScope::parse_list(&request.scopes)
        .map_err(|e| CredentialError::Invalid(e.to_string()))?;
    if request.senders.len() > MAX_SENDERS_BYTES {
        return Err(CredentialError::Invalid(format!(
            "the sender list is at most {MAX_SENDERS_BYTES} bytes"
        )));
    }
    let sender_entries: Vec<&str> = request
        .senders
        .split([' ', ',', '\n', '\r', '\t'])
        .filter(|s| !s.is_empty())
        .collect();
    let rules = SenderRules::parse(&sender_entries).map_err(|_| {
        CredentialError::Invalid("senders must be addresses or @domains".to_string())
    })?;
    if scopes.contains(&ApiScope::MessagesSend) && rules.is_empty() {
        return Err(CredentialError::Invalid(
            "a key with messages:send needs at least one sender address or @domain".to_string(),
        ));
    }
    if request.days == 0 || request.days > MAX_KEY_DAYS {
        return Err(CredentialError::Invalid(format!(
            "expiry must be 1 to {MAX_KEY_DAYS} days"
        )));
    }
    let made = new_api_token().map_err(|_| CredentialError::Crypto)?;
    let now = clock.now();
    let key = ApiKey {
        id: made.id,
        tenant: request.tenant,
        name,
        scopes: ApiScope::join(&scopes),
        senders: sender_entries.join(" "),
        secret_sha256: made.secret_sha256.clone(),
        created_by: request.created_by,
        created: now,
        expires: now.plus(Duration::from_secs(u64::from(request.days) * 86_400)),
        revoked: None,
    };
    let event = AuditEvent::new(0, now, actor, EventKind::AdminApiKeyCreated)
        .with_tenant(key.tenant)
        .with_subject(Subject {
            api_key: Some(key.id),
            ..Subject::default()
        })
        .with_detail(
            "scopes",
            key.scopes
                .split(' ')
                .map(serde_json::Value::from)
                .collect::<Vec<_>>(),
        )
        .with_detail("expires", key.expires.to_rfc3339());
    match store.create_api_key(&key, &[event]).await {
        Ok(()) => Ok(CreatedKey {
            key,
            token: made.token,
        }),
        Err(StorageError::Conflict { .. }) => Err(CredentialError::DuplicateName),
        Err(e) => Err(CredentialError::Storage(e)),
    }
}

/// Revoke a key of `tenant` (with its audit event). `NotFound` for another
/// organisation's key or an unknown one.
pub async fn revoke_key(
    store: &SharedStore,
    clock: &dyn Clock,
    actor: Actor,
    tenant: TenantId,
    id: ApiKeyId,
) -> Result<(), StorageError> {
    let now = clock.now();
    let event = AuditEvent::new(0, now, actor, EventKind::AdminApiKeyRevoked)
        .with_tenant(tenant)
        .with_subject(Subject {
            api_key: Some(id),
            ..Subject::default()
        });
    store.revoke_api_key(tenant, id, now, &[event]).await
}

/// A key as listed (never its hash).
#[derive(Clone, Debug, Serialize)]
pub struct KeyView {
    /// Its id.
    pub id: ApiKeyId,
    /// What it is for.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// Addresses and @domains it may send as.
    pub senders: Vec<String>,
    /// When it was made (RFC 3339).
    pub created: String,
    /// Who made it (`None`: the command line).
    pub created_by: Option<UserId>,
    /// When it stops working (RFC 3339).
    pub expires: String,
    /// When it was revoked.
    pub revoked: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
}

impl KeyView {
    /// The listed form of a key at `now`.
    pub fn of(key: &ApiKey, now: Timestamp) -> Self {
        Self {
            id: key.id,
            name: key.name.clone(),
            scopes: key.scopes.split(' ').map(str::to_string).collect(),
            senders: key
                .senders
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            created: key.created.to_rfc3339(),
            created_by: key.created_by,
            expires: key.expires.to_rfc3339(),
            revoked: key.revoked.map(|t| t.to_rfc3339()),
            state: if key.revoked.is_some() {
                "revoked"
            } else if now >= key.expires {
                "expired"
            } else {
                "active"
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use model::{EmailAddress, Role, SystemClock};
    use storage::{AuditFilter, Tenant};

    use super::*;

    struct World {
        _dir: tempfile::TempDir,
        store: SharedStore,
        clinic: TenantId,
        other: TenantId,
    }

    async fn world() -> World {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("c.db"))
                .await
                .expect("open"),
        );
        let mut ids = Vec::new();
        for name in ["Clinic", "Other"] {
            let id = TenantId::new();
            store
                .create_tenant(
                    &Tenant {
                        id,
                        name: name.into(),
                        created: Timestamp::from_millis(0),
                    },
                    &[],
                )
                .await
                .expect("tenant");
            ids.push(id);
        }
        World {
            _dir: dir,
            store,
            clinic: ids[0],
            other: ids[1],
        }
    }

    async fn person(w: &World, tenant: TenantId, address: &str) -> User {
        let user = User {
            id: UserId::new(),
            tenant,
            address: EmailAddress::parse(address).expect("address"),
            role: Role::Sender,
            password_hash: None,
            must_change_password: false,
            disabled: false,
            created: Timestamp::from_millis(0),
        };
        w.store.create_user(&user, &[]).await.expect("user");
        user
    }

    fn actor(user: &User) -> Actor {
        Actor::User { id: user.id }
    }

    async fn count(w: &World, kind: EventKind) -> usize {
        w.store
            .find_audit(&AuditFilter {
                kinds: vec![kind],
                limit: 1000,
                ..AuditFilter::default()
            })
            .await
            .expect("audit")
            .len()
    }

    #[tokio::test]
    async fn an_app_password_is_stored_hashed_and_revoked_only_by_its_owner() {
        let w = world().await;
        let nurse = person(&w, w.clinic, "nurse@clinic.test").await;
        let clerk = person(&w, w.clinic, "clerk@clinic.test").await;
        let now = SystemClock.now();
        let made = create_app_password(&w.store, now, actor(&nurse), None, &nurse, " Laptop ")
            .await
            .expect("made");
        assert_eq!(made.record.label, "Laptop", "trimmed");
        let stored = w.store.app_passwords(nurse.id).await.expect("list");
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].hash.contains(made.secret.as_str()));
        assert!(auth::verify_secret(&made.secret, &stored[0].hash).expect("hash"));
        assert_eq!(count(&w, EventKind::AdminAppPasswordCreated).await, 1);

        // Someone else's id is not found, and nothing changes.
        let theirs =
            revoke_app_password(&w.store, now, actor(&clerk), None, &clerk, made.record.id).await;
        assert!(
            matches!(theirs, Err(CredentialError::NotFound)),
            "{theirs:?}"
        );
        assert!(!w.store.app_passwords(nurse.id).await.expect("list")[0].revoked);
        let unknown =
            revoke_app_password(&w.store, now, actor(&nurse), None, &nurse, ApiKeyId::new()).await;
        assert!(matches!(unknown, Err(CredentialError::NotFound)));

        let first = revoke_app_password(&w.store, now, actor(&nurse), None, &nurse, made.record.id)
            .await
            .expect("revoked");
        let again = revoke_app_password(&w.store, now, actor(&nurse), None, &nurse, made.record.id)
            .await
            .expect("already");
        assert!(first && !again);
        assert!(w.store.app_passwords(nurse.id).await.expect("list")[0].revoked);
        assert_eq!(count(&w, EventKind::AdminAppPasswordRevoked).await, 1);
    }

    #[tokio::test]
    async fn app_password_labels_and_counts_are_limited() {
        let w = world().await;
        let nurse = person(&w, w.clinic, "nurse@clinic.test").await;
        let now = SystemClock.now();
        for bad in ["", "   ", "tab\there", &"x".repeat(MAX_LABEL_CHARS + 1)] {
            let r = create_app_password(&w.store, now, actor(&nurse), None, &nurse, bad).await;
            assert!(matches!(r, Err(CredentialError::Invalid(_))), "{bad:?}");
        }
        let ok = "x".repeat(MAX_LABEL_CHARS);
        for _ in 0..MAX_LIVE_APP_PASSWORDS {
            create_app_password(&w.store, now, actor(&nurse), None, &nurse, &ok)
                .await
                .expect("within the limit");
        }
        let over =
            create_app_password(&w.store, now, actor(&nurse), None, &nurse, "one more").await;
        assert!(matches!(over, Err(CredentialError::TooMany)));
        // Revoking one makes room.
        let id = w.store.app_passwords(nurse.id).await.expect("list")[0].id;
        revoke_app_password(&w.store, now, actor(&nurse), None, &nurse, id)
            .await
            .expect("revoked");
        create_app_password(&w.store, now, actor(&nurse), None, &nurse, "one more")
            .await
            .expect("room again");
    }

    fn request(tenant: TenantId, name: &str, scopes: &str, senders: &str, days: u32) -> KeyRequest {
        KeyRequest {
            tenant,
            name: name.to_string(),
            scopes: scopes.to_string(),
            senders: senders.to_string(),
            days,
            created_by: None,
        }
    }

    #[tokio::test]
    async fn api_keys_need_scopes_senders_and_an_expiry_of_at_most_a_year() {
        let w = world().await;
        let cli = audit::record::system("test");
        for (scopes, senders, days) in [
            ("messages:read", "", 0),
            ("messages:read", "", MAX_KEY_DAYS + 1),
            ("", "", 30),
            ("messages:delete", "", 30),
            ("messages:send", "", 30),
            ("messages:send", "not an address", 30),
        ] {
            let r = create_key(
                &w.store,
                &SystemClock,
                cli.clone(),
                request(w.clinic, "EHR", scopes, senders, days),
            )
            .await;
            assert!(
                matches!(r, Err(CredentialError::Invalid(_))),
                "{scopes:?} {senders:?} {days}"
            );
        }
        let long = "@clinic.test ".repeat(200);
        let r = create_key(
            &w.store,
            &SystemClock,
            cli.clone(),
            request(w.clinic, "EHR", "messages:send", &long, 30),
        )
        .await;
        assert!(
            matches!(r, Err(CredentialError::Invalid(_))),
            "sender list too long"
        );

        let made = create_key(
            &w.store,
            &SystemClock,
            cli.clone(),
            request(
                w.clinic,
                "EHR",
                "messages:send",
                "@clinic.test",
                MAX_KEY_DAYS,
            ),
        )
        .await
        .expect("made");
        assert!(made.token.starts_with("cpk_"));
        let view = KeyView::of(&made.key, SystemClock.now());
        assert_eq!(view.state, "active");
        assert!(
            !serde_json::to_string(&view)
                .expect("json")
                .contains(&made.key.secret_sha256)
        );
        let dup = create_key(
            &w.store,
            &SystemClock,
            cli.clone(),
            request(w.clinic, "EHR", "messages:read", "", 30),
        )
        .await;
        assert!(matches!(dup, Err(CredentialError::DuplicateName)));

        // Another organisation cannot revoke it; its own can.
        let other = revoke_key(&w.store, &SystemClock, cli.clone(), w.other, made.key.id).await;
        assert!(matches!(other, Err(StorageError::NotFound)), "{other:?}");
        revoke_key(&w.store, &SystemClock, cli, w.clinic, made.key.id)
            .await
            .expect("revoked");
        let key = w.store.api_key(made.key.id).await.expect("key");
        assert_eq!(KeyView::of(&key, SystemClock.now()).state, "revoked");
        assert_eq!(count(&w, EventKind::AdminApiKeyCreated).await, 1);
        assert_eq!(count(&w, EventKind::AdminApiKeyRevoked).await, 1);
    }
}
