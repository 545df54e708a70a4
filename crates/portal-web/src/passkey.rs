//! Passkeys for portal recipients (WebAuthn): a recipient who proved their mailbox with a
//! code may register one, and next time sign in with it instead of waiting for a code.
//!
//! | route | what |
//! |---|---|
//! | `POST /m/{copy}/passkey/options` | start registering (in a session) |
//! | `POST /m/{copy}/passkey/finish` | store the new passkey |
//! | `POST /p/{token}/passkey/options` | start signing in behind a link |
//! | `POST /p/{token}/passkey/finish` | check the assertion; start a session |
//!
//! Every call carries the anti-forgery token in `x-csrf-token` (the session's, or before
//! a session the one in the page's cookie). The ceremony state waits server-side: in the
//! session while registering, and before sign-in in a short-lived pending session row
//! whose id is in its own cookie and which never reads anything.
//!
//! **Security:** the relying party is the portal's public origin; user verification is
//! required; a passkey signs in only the address and organisation it was registered for,
//! and only behind a link to one of that address's copies.

use std::sync::Arc;
use std::time::Duration;

use audit::EventKind;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};
use storage::{PortalCopy, PortalPasskey, PortalSession};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

use crate::Portal;
use crate::web::{ClientIp, PageQuery, Visit};

/// The method of a pending (pre-sign-in) ceremony row: never a readable session.
pub(crate) const PENDING: &str = "passkey-pending";
const CEREMONY_COOKIE: &str = "cp_ceremony";
/// How long a sign-in ceremony may take.
const CEREMONY_TTL: Duration = Duration::from_secs(300);

/// The relying party for the portal's public origin.
pub(crate) fn relying_party(public_url: &str) -> Result<Webauthn, String> {
    let origin = Url::parse(public_url).map_err(|e| format!("public_url: {e}"))?;
    let host = origin
        .host_str()
        .ok_or_else(|| "public_url has no host".to_string())?
        .to_string();
    WebauthnBuilder::new(&host, &origin)
        .and_then(|b| b.rp_name("carepost secure messages").build())
        .map_err(|e| format!("passkeys for {public_url}: {e}"))
}

/// A stable, opaque WebAuthn user handle for an address in an organisation (the address
/// itself never goes to the authenticator as an id).
fn user_handle(copy: &PortalCopy) -> uuid::Uuid {
    let digest = Sha256::new()
        .chain_update(copy.tenant.0.as_bytes())
        .chain_update(
            copy.address
                .to_string()
                .as_str()
                .to_ascii_lowercase()
                .as_bytes(),
        )
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The credential id as stored (base64url, no padding).
fn credential_id(id: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

fn json_error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

fn csrf_header(headers: &HeaderMap) -> &str {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

impl Portal {
    async fn passkeys_of(&self, copy: &PortalCopy) -> Vec<(PortalPasskey, Passkey)> {
        self.store
            .portal_passkeys(copy.tenant, &copy.address)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| {
                let key = serde_json::from_str::<Passkey>(&p.passkey).ok()?;
                Some((p, key))
            })
            .collect()
    }
}

/// What registering needs: passkeys on, a live session that may read the copy, and a
/// same-origin call carrying the session's anti-forgery token.
async fn register_guard<'p>(
    portal: &'p Portal,
    visit: &Visit,
    headers: &HeaderMap,
    copy_id: &str,
) -> Result<(&'p Webauthn, PortalSession, PortalCopy), Response> {
    let Some(webauthn) = &portal.webauthn else {
        return Err(json_error(StatusCode::NOT_FOUND, "passkeys_unavailable"));
    };
    let Ok((session, copy)) = portal.readable(visit, copy_id).await else {
        return Err(json_error(StatusCode::FORBIDDEN, "no_session"));
    };
    if crate::web::cross_site(headers)
        || !portal::secrets::constant_time_eq(csrf_header(headers), &session.csrf_token)
    {
        return Err(json_error(StatusCode::FORBIDDEN, "forgery"));
    }
    Ok((webauthn, session, copy))
}

/// What signing in needs: within the per-address limit, passkeys on, a same-origin call
/// carrying the page's anti-forgery token, a live link, and no sender's passcode (a
/// passkey does not replace it: that copy is opened with a code and the passcode).
async fn sign_in_guard<'p>(
    portal: &'p Portal,
    visit: &Visit,
    headers: &HeaderMap,
    token: &str,
) -> Result<(&'p Webauthn, PortalCopy), Response> {
    if portal.throttled(visit) {
        return Err(json_error(StatusCode::TOO_MANY_REQUESTS, "throttled"));
    }
    let Some(webauthn) = &portal.webauthn else {
        return Err(json_error(StatusCode::NOT_FOUND, "passkeys_unavailable"));
    };
    if crate::web::cross_site(headers) || !visit.pre_token_matches(csrf_header(headers)) {
        return Err(json_error(StatusCode::FORBIDDEN, "forgery"));
    }
    let Ok(copy) = portal.copy_by_link(token).await else {
        return Err(json_error(StatusCode::NOT_FOUND, "no_link"));
    };
    if copy.passcode_hash.is_some() {
        return Err(json_error(StatusCode::FORBIDDEN, "passcode_required"));
    }
    Ok((webauthn, copy))
}

pub(crate) async fn register_options(
    State(portal): State<Arc<Portal>>,
    Path(copy_id): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/m/{copy_id}"),
    );
    let (webauthn, session, copy) = match register_guard(&portal, &visit, &headers, &copy_id).await
    {
        Ok(x) => x,
        Err(refused) => return refused,
    };
    let exclude: Vec<_> = portal
        .passkeys_of(&copy)
        .await
        .iter()
        .map(|(_, k)| k.cred_id().clone())
        .collect();
    let name = copy.address.to_string();
    let (options, state) = match webauthn.start_passkey_registration(
        user_handle(&copy),
        &name,
        &name,
        Some(exclude),
    ) {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!(error = %e, "passkey registration could not start");
            return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
        }
    };
    let Ok(state) = serde_json::to_string(&state) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    if portal
        .store
        .set_portal_ceremony(&session.id_hash, Some(&state))
        .await
        .is_err()
    {
        return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    }
    Json(options).into_response()
}

pub(crate) async fn register_finish(
    State(portal): State<Arc<Portal>>,
    Path(copy_id): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    Json(credential): Json<RegisterPublicKeyCredential>,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/m/{copy_id}"),
    );
    let (webauthn, session, copy) = match register_guard(&portal, &visit, &headers, &copy_id).await
    {
        Ok(x) => x,
        Err(refused) => return refused,
    };
    let Some(state) = session
        .ceremony
        .as_deref()
        .and_then(|s| serde_json::from_str::<PasskeyRegistration>(s).ok())
    else {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    };
    // One try per ceremony.
    let _ = portal
        .store
        .set_portal_ceremony(&session.id_hash, None)
        .await;
    let passkey = match webauthn.finish_passkey_registration(&credential, &state) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(error = %e, "a passkey registration was refused");
            return json_error(StatusCode::BAD_REQUEST, "refused");
        }
    };
    let Ok(serialised) = serde_json::to_string(&passkey) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    let record = PortalPasskey {
        credential_id: credential_id(passkey.cred_id()),
        tenant: copy.tenant,
        address: copy.address.clone(),
        passkey: serialised,
        created: portal.clock.now(),
        last_used: None,
    };
    let event = portal.recipient_event(&copy, EventKind::PortalPasskeyRegistered, &visit);
    match portal.store.add_portal_passkey(&record, &[event]).await {
        Ok(()) => Json(json!({ "redirect": format!("/m/{}?passkey=1", copy.id) })).into_response(),
        Err(storage::StorageError::Conflict { .. }) => {
            json_error(StatusCode::CONFLICT, "already_registered")
        }
        Err(_) => json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}

pub(crate) async fn sign_in_options(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/p/{token}"),
    );
    let (webauthn, copy) = match sign_in_guard(&portal, &visit, &headers, &token).await {
        Ok(x) => x,
        Err(refused) => return refused,
    };
    let keys: Vec<Passkey> = portal
        .passkeys_of(&copy)
        .await
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    if keys.is_empty() {
        return json_error(StatusCode::NOT_FOUND, "no_passkey");
    }
    let Ok((options, state)) = webauthn.start_passkey_authentication(&keys) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    let Ok(state) = serde_json::to_string(&state) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    let now = portal.clock.now();
    let id = portal::secrets::new_session_id();
    let pending = PortalSession {
        id_hash: id.hash,
        tenant: copy.tenant,
        address: copy.address.clone(),
        method: PENDING.to_string(),
        csrf_token: portal::secrets::new_csrf_token(),
        created: now,
        last_seen: now,
        expires: now.plus(CEREMONY_TTL),
        ceremony: Some(state),
    };
    if portal
        .store
        .create_portal_session(&pending, &[])
        .await
        .is_err()
    {
        return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    }
    let mut res = Json(options).into_response();
    let cookie = crate::web::set_cookie(CEREMONY_COOKIE, &id.secret, "/p/", CEREMONY_TTL);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub(crate) async fn sign_in_finish(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    Json(assertion): Json<PublicKeyCredential>,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/p/{token}"),
    );
    let (webauthn, copy) = match sign_in_guard(&portal, &visit, &headers, &token).await {
        Ok(x) => x,
        Err(refused) => return refused,
    };
    let Some(pending_hash) = visit
        .cookie(CEREMONY_COOKIE)
        .and_then(portal::secrets::token_hash)
    else {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    };
    let Ok(pending) = portal.store.portal_session(&pending_hash).await else {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    };
    // One try per ceremony.
    let _ = portal.store.end_portal_session(&pending_hash, &[]).await;
    let now = portal.clock.now();
    if pending.method != PENDING
        || pending.expires <= now
        || pending.tenant != copy.tenant
        || pending.address != copy.address
    {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    }
    let Some(state) = pending
        .ceremony
        .as_deref()
        .and_then(|s| serde_json::from_str::<PasskeyAuthentication>(s).ok())
    else {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    };
    let result = match webauthn.finish_passkey_authentication(&assertion, &state) {
        Ok(r) => r,
        Err(e) => {
            tracing::info!(error = %e, "a passkey sign-in was refused");
            let event = portal
                .recipient_event(&copy, EventKind::PortalAccessRefused, &visit)
                .with_detail("reason", "passkey_refused");
            let _ = portal.store.append_audit(&[event]).await;
            return json_error(StatusCode::FORBIDDEN, "refused");
        }
    };
    // Keep the signature counter current (a cloned authenticator shows up as a counter
    // that goes backwards, which webauthn-rs refuses).
    for (record, mut key) in portal.passkeys_of(&copy).await {
        if key.update_credential(&result).is_some()
            && let Ok(text) = serde_json::to_string(&key)
        {
            let _ = portal
                .store
                .update_portal_passkey(&record.credential_id, &text, now)
                .await;
        }
    }
    match portal.new_session(&visit, &copy, "passkey").await {
        Ok(cookies) => {
            let mut res = Json(json!({ "redirect": format!("/m/{}", copy.id) })).into_response();
            let mut all = cookies;
            all.push(crate::web::clear_cookie(CEREMONY_COOKIE, "/p/"));
            for c in all {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            res
        }
        Err(()) => json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}
