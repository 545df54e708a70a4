//! Organisation API keys: creating, listing and revoking them (`carepost api-key …` and
//! `/api/v1/api-keys`, admins only), and checking the key a REST request presents.
//!
//! Consent-phishing defence: only an owner or admin makes a key, for named scopes, for
//! named senders, with an expiry; keys are listed and revocable, and every creation,
//! revocation and refused use is in the audit trail. A refused request gets one generic
//! answer whatever the reason (unknown, expired, revoked, wrong scope, another
//! organisation); the reason goes only to the audit trail.

use std::net::IpAddr;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind, Subject};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use identity::api_keys::{ApiScope, PresentedToken, new_api_token};
use model::{ApiKeyId, Clock, TenantId, Timestamp, UserId};
use serde::Serialize;
use serde_json::json;
use smtp_gateway::SenderRules;
use storage::{ApiKey, SharedStore, StorageError};
use zeroize::Zeroizing;

/// Longest a key may live (a year): keys that never expire outlive the people who know
/// what they were for.
pub const MAX_KEY_DAYS: u32 = 366;
/// Longest key name.
const MAX_NAME_CHARS: usize = 80;

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

/// Why a key could not be made (safe to show).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A field is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The organisation has a key with this name.
    #[error("the organisation already has an API key named like this")]
    DuplicateName,
    /// Storage failed.
    #[error("storage unavailable")]
    Storage(#[from] StorageError),
    /// The random number generator failed.
    #[error("random number generator failed")]
    Random,
}

/// Check a request and store the key, with its audit event in the same transaction.
pub async fn create_key(
    store: &SharedStore,
    clock: &dyn Clock,
    actor: Actor,
    request: KeyRequest,
) -> Result<CreatedKey, KeyError> {
    let name = request.name.trim().to_string();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(KeyError::Invalid(format!(
            "name must be 1 to {MAX_NAME_CHARS} characters without control characters"
        )));
    }
    let scopes =
        ApiScope::parse_list(&request.scopes).map_err(|e| KeyError::Invalid(e.to_string()))?;
    let sender_entries: Vec<&str> = request
        .senders
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    let rules = SenderRules::parse(&sender_entries)
        .map_err(|_| KeyError::Invalid("senders must be addresses or @domains".to_string()))?;
    if scopes.contains(&ApiScope::MessagesSend) && rules.is_empty() {
        return Err(KeyError::Invalid(
            "a key with messages:send needs at least one sender address or @domain".to_string(),
        ));
    }
    if request.days == 0 || request.days > MAX_KEY_DAYS {
        return Err(KeyError::Invalid(format!(
            "expiry must be 1 to {MAX_KEY_DAYS} days"
        )));
    }
    let made = new_api_token().map_err(|_| KeyError::Random)?;
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
        Err(StorageError::Conflict { .. }) => Err(KeyError::DuplicateName),
        Err(e) => Err(KeyError::Storage(e)),
    }
}

/// Revoke a key of `tenant` (with its audit event).
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
#[derive(Serialize)]
pub struct KeyView {
    pub id: ApiKeyId,
    pub name: String,
    pub scopes: Vec<String>,
    pub senders: Vec<String>,
    pub created: String,
    pub created_by: Option<UserId>,
    pub expires: String,
    pub revoked: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
}

impl KeyView {
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

/// A REST caller whose key checked out.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub key: ApiKey,
    pub senders: SenderRules,
}

/// Check the bearer key of a request for `scope`. Every refusal is one generic 401/403
/// and an `api.access_refused` event with the reason.
pub async fn authorise(
    store: &SharedStore,
    clock: &dyn Clock,
    headers: &HeaderMap,
    client_ip: IpAddr,
    route: &'static str,
    scope: ApiScope,
) -> Result<ApiCaller, Response> {
    let now = clock.now();
    let refuse = |status: StatusCode, reason: &'static str, key: Option<&ApiKey>| {
        let store = store.clone();
        let mut event = AuditEvent::new(
            0,
            now,
            key.map_or_else(
                || audit::record::system("api"),
                |k| Actor::ApiKey { id: k.id },
            ),
            EventKind::ApiAccessRefused,
        )
        .with_source_ip(client_ip)
        .with_detail("reason", reason)
        .with_detail("route", route);
        if let Some(k) = key {
            event = event.with_tenant(k.tenant).with_subject(Subject {
                api_key: Some(k.id),
                ..Subject::default()
            });
        }
        async move {
            if let Err(e) = store.append_audit(&[event]).await {
                tracing::error!(error = %e, "recording a refused API request failed");
            }
            refusal(status)
        }
    };
    let Some(token) = bearer(headers) else {
        return Err(refuse(StatusCode::UNAUTHORIZED, "no_key", None).await);
    };
    let Some(presented) = PresentedToken::parse(token) else {
        return Err(refuse(StatusCode::UNAUTHORIZED, "malformed_key", None).await);
    };
    let key = match store.api_key(presented.id).await {
        Ok(k) => k,
        Err(StorageError::NotFound) => {
            return Err(refuse(StatusCode::UNAUTHORIZED, "unknown_key", None).await);
        }
        Err(_) => return Err(crate::http::unavailable()),
    };
    if !presented.matches(&key.secret_sha256) {
        return Err(refuse(StatusCode::UNAUTHORIZED, "wrong_secret", Some(&key)).await);
    }
    if key.revoked.is_some() {
        return Err(refuse(StatusCode::UNAUTHORIZED, "revoked", Some(&key)).await);
    }
    if !key.usable_at(now) {
        return Err(refuse(StatusCode::UNAUTHORIZED, "expired", Some(&key)).await);
    }
    if !key.scopes.split(' ').any(|s| s == scope.as_str()) {
        return Err(refuse(StatusCode::FORBIDDEN, "missing_scope", Some(&key)).await);
    }
    let entries: Vec<&str> = key.senders.split(' ').filter(|s| !s.is_empty()).collect();
    let senders = SenderRules::parse(&entries).unwrap_or_default();
    Ok(ApiCaller { key, senders })
}

/// Record that a caller asked for another organisation's object (answered as not found).
pub async fn refuse_other_organisation(
    store: &SharedStore,
    clock: &dyn Clock,
    caller: &ApiCaller,
    client_ip: IpAddr,
    route: &'static str,
) {
    let event = AuditEvent::new(
        0,
        clock.now(),
        Actor::ApiKey { id: caller.key.id },
        EventKind::ApiAccessRefused,
    )
    .with_tenant(caller.key.tenant)
    .with_subject(Subject {
        api_key: Some(caller.key.id),
        ..Subject::default()
    })
    .with_source_ip(client_ip)
    .with_detail("reason", "other_organisation")
    .with_detail("route", route);
    if let Err(e) = store.append_audit(&[event]).await {
        tracing::error!(error = %e, "recording a refused API request failed");
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}

/// The one answer to a refused key.
pub fn refusal(status: StatusCode) -> Response {
    let mut r = (status, Json(json!({"error": "unauthorised"}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"carepost\""),
        );
    }
    r
}
