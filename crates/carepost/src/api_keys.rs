//! Organisation API keys: creating, listing and revoking them (`carepost api-key …` and
//! `/api/v1/api-keys`, admins only), and checking the key a REST request presents.
//!
//! Consent-phishing defence: only an owner or admin makes a key, for named scopes, for
//! named senders, with an expiry; keys are listed and revocable, and every creation,
//! revocation and refused use is in the audit trail. A refused request gets one generic
//! answer whatever the reason (unknown, expired, revoked, wrong scope, another
//! organisation); the reason goes only to the audit trail.

use std::net::IpAddr;

use audit::{Actor, AuditEvent, EventKind, Subject};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use identity::api_keys::{ApiScope, PresentedToken};
use model::Clock;
use serde_json::json;
use smtp_gateway::SenderRules;
use storage::{ApiKey, SharedStore, StorageError};

// Creating, revoking and listing keys is shared with the console: it lives in
// `relay::credentials`, and is re-exported here for the command line and the REST API.
pub use relay::credentials::{KeyError, KeyRequest, KeyView, create_key, revoke_key};

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
