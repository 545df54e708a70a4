//! Single sign-on into the console with the organisation's OpenID provider (the `sso`
//! crate: authorization code + PKCE, ID token validation, groups → role).
//!
//! `GET /console/sso` starts a pending session holding the state, nonce and PKCE verifier
//! and sends the browser to the provider; `GET /console/sso/callback` checks the answer
//! (once: the pending value is cleared as it is read) and signs the person in. Accounts
//! are matched by the provider's verified e-mail address in the configured organisation;
//! a person new to carepost is created there with the role their groups map to, and an
//! existing person's role follows their groups at every sign-in (changes are audited).
//! Owners, admins and compliance officers still prove a passkey after the provider (the
//! provider's own factors cannot be checked from here), unless configured otherwise.
//!
//! The provider is discovered on first use, not at start-up, so the console (and
//! break-glass access) work while the provider is down; every failure is audited as
//! `auth.sso_failed` with its precise reason, and the person sees one generic sentence.

use std::sync::Arc;

use audit::{Actor, AuditEvent, EventKind, Subject};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use model::{EmailAddress, TenantId, UserId};
use storage::User;
use tokio::sync::Mutex;

use crate::Console;
use crate::pages::{self, Frame};
use crate::session::{ClientIp, Stage, Visit, clear_cookie, needs_passkey, see_other};

/// Single sign-on as configured: the provider settings and the organisation it signs
/// people into.
pub struct SsoSetup {
    /// The provider and client settings.
    pub config: sso::SsoConfig,
    /// The organisation people signing in this way belong to.
    pub tenant: TenantId,
    /// Whether owners, admins and compliance officers must also prove a passkey.
    pub passkey_for_privileged: bool,
    client: Mutex<Option<Arc<sso::SsoClient>>>,
}

impl SsoSetup {
    /// Settings for `tenant`; the provider is contacted on first use.
    pub fn new(config: sso::SsoConfig, tenant: TenantId, passkey_for_privileged: bool) -> Self {
        Self {
            config,
            tenant,
            passkey_for_privileged,
            client: Mutex::new(None),
        }
    }

    /// The discovered client (discovering now if it has not been, or failed before).
    async fn client(&self) -> Result<Arc<sso::SsoClient>, sso::Error> {
        let mut slot = self.client.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let client = Arc::new(sso::SsoClient::discover(self.config.clone()).await?);
        *slot = Some(client.clone());
        Ok(client)
    }
}

/// The cookie that carries the pending sign-in (state, nonce, PKCE verifier) to the
/// callback, sealed with the organisation's data key. `SameSite=Lax`, because the
/// provider sends the browser back with a cross-site navigation, which a `Strict` cookie
/// would not survive; it is scoped to `/console/sso` and lives 10 minutes.
const SSO_COOKIE: &str = "cp_sso";
const SSO_COOKIE_PATH: &str = "/console/sso";
/// Associated data of the sealed pending sign-in.
const SSO_AAD: &[u8] = b"carepost-console-sso-pending";

impl Console {
    async fn sso_failed(
        &self,
        visit: &Visit,
        reason: sso::Reason,
        user: Option<UserId>,
    ) -> Response {
        let mut event = AuditEvent::new(
            0,
            self.clock.now(),
            user.map_or_else(|| audit::record::system("console"), |id| Actor::User { id }),
            EventKind::AuthSsoFailed,
        )
        .with_source_ip(visit.ip)
        .with_detail("reason", reason.as_str());
        if let Some(s) = &self.sso {
            event = event.with_tenant(s.tenant);
        }
        self.record(event).await;
        let text = if reason.is_unavailable() {
            "Your organisation's sign-in service cannot be reached just now. Try again in a few minutes; in an emergency, ask for break-glass access."
        } else {
            "Signing in with your organisation's account did not work. Please start again."
        };
        pages::notice(
            StatusCode::UNAUTHORIZED,
            Frame::anonymous(""),
            "Single sign-on did not work",
            text,
            "/console/sign-in",
            "Back to sign-in",
        )
    }
}

/// `GET /console/sso`: off to the provider.
pub(crate) async fn start(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let Some(setup) = console.sso.as_ref() else {
        return see_other("/console/sign-in", &[]);
    };
    let client = match setup.client().await {
        Ok(c) => c,
        Err(e) => return console.sso_failed(&visit, e.reason(), None).await,
    };
    let started = match client.begin() {
        Ok(s) => s,
        Err(e) => return console.sso_failed(&visit, e.reason(), None).await,
    };
    let Ok(pending) = serde_json::to_vec(&started.pending) else {
        return pages::unavailable();
    };
    let Ok(sealed) = console.keys.seal(setup.tenant, SSO_AAD, &pending) else {
        return pages::unavailable();
    };
    use base64::Engine as _;
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sealed);
    let cookie = format!(
        "{SSO_COOKIE}={value}; Path={SSO_COOKIE_PATH}; Max-Age={}; Secure; HttpOnly; SameSite=Lax",
        sso::PENDING_LIFETIME.as_secs()
    );
    see_other(started.authorize_url.as_str(), &[cookie])
}

/// `GET /console/sso/callback?code=…&state=…&iss=…`.
pub(crate) async fn callback(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let Some(setup) = console.sso.as_ref() else {
        return see_other("/console/sign-in", &[]);
    };
    let done = finish(&console, setup, &visit, &headers, query.as_deref()).await;
    with_cookie(done, &clear_cookie(SSO_COOKIE, SSO_COOKIE_PATH))
}

async fn finish(
    console: &Console,
    setup: &SsoSetup,
    visit: &Visit,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Response {
    // The pending sign-in, used once whatever the outcome (the caller clears its cookie).
    let Some(pending) = pending_from(console, setup, headers) else {
        return console
            .sso_failed(visit, sso::Reason::StateMismatch, None)
            .await;
    };
    let params = match sso::CallbackParams::from_query(query.unwrap_or_default()) {
        Ok(p) => p,
        Err(e) => return console.sso_failed(visit, e.reason(), None).await,
    };
    let client = match setup.client().await {
        Ok(c) => c,
        Err(e) => return console.sso_failed(visit, e.reason(), None).await,
    };
    let identity = match client.finish(&pending, &params).await {
        Ok(i) => i,
        Err(e) => return console.sso_failed(visit, e.reason(), None).await,
    };
    let Some(Ok(address)) = identity
        .email
        .as_deref()
        .filter(|_| identity.email_verified)
        .map(EmailAddress::parse)
    else {
        return console
            .sso_failed(visit, sso::Reason::MissingClaim, None)
            .await;
    };
    let user = match console.sso_account(setup, &address, &identity, visit).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    // Memberships of the organisation's groups follow the provider's groups of the same
    // name (audited as `admin.group_changed` by `sso`), before the session starts, so the
    // policy's `sender_groups` sees what the provider says now.
    let request = operations::Request {
        actor: audit::record::system("sso"),
        source_ip: Some(visit.ip),
        now: console.clock.now(),
    };
    if let Err(e) = operations::groups::sync_with_claims(
        &console.store,
        user.tenant,
        user.id,
        &identity.groups,
        &request,
    )
    .await
    {
        tracing::error!(error = %e, "keeping group memberships in step with single sign-on failed");
        return pages::unavailable();
    }
    let stage = if setup.passkey_for_privileged && needs_passkey(user.role) {
        let passkeys = console
            .store
            .user_passkeys(user.id)
            .await
            .unwrap_or_default();
        if passkeys.is_empty() {
            Stage::Enrol
        } else {
            Stage::Factor
        }
    } else {
        Stage::Full
    };
    if stage != Stage::Full {
        return match console
            .start_session(visit, &user, stage, stage.method(), &[])
            .await
        {
            Ok(cookie) => with_cookie(
                see_other(
                    if stage == Stage::Enrol {
                        "/console/enrol"
                    } else {
                        "/console/factor"
                    },
                    &[],
                ),
                &cookie,
            ),
            Err(r) => r,
        };
    }
    let now = console.clock.now();
    let login = AuditEvent::new(0, now, Actor::User { id: user.id }, EventKind::AuthLogin)
        .with_tenant(user.tenant)
        .with_source_ip(visit.ip)
        .with_detail("method", "console-sso");
    match console
        .start_session(visit, &user, Stage::Full, "sso", &[login])
        .await
    {
        Ok(cookie) => continue_page(&cookie),
        Err(r) => r,
    }
}

/// The answer to the provider's redirect: a page that moves on to the console by itself.
/// A plain redirect would not do: after a cross-site redirect chain the browser does not
/// send the new `SameSite=Strict` session cookie, and the console would ask to sign in.
fn continue_page(cookie: &str) -> Response {
    let mut res = pages::notice(
        StatusCode::OK,
        Frame::anonymous(""),
        "Signed in",
        "You are signed in with your organisation's account.",
        "/console",
        "Continue to the console",
    );
    if let Ok(v) = axum::http::HeaderValue::from_str("0;url=/console") {
        res.headers_mut().insert("refresh", v);
    }
    with_cookie(res, cookie)
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = axum::http::HeaderValue::from_str(cookie) {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    res
}

/// The sealed pending sign-in from its cookie, if present, intact and of this
/// organisation's key.
fn pending_from(
    console: &Console,
    setup: &SsoSetup,
    headers: &HeaderMap,
) -> Option<sso::PendingSignIn> {
    use base64::Engine as _;
    let value = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SSO_COOKIE)
        .map(|(_, v)| v)
        .filter(|v| v.len() <= 4096)?;
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    let _ = setup;
    let plain = console.keys.open(SSO_AAD, &sealed).ok()?;
    serde_json::from_slice(&plain).ok()
}

impl Console {
    /// The person signing in: found by address in the organisation (their role follows
    /// their groups), or created there. A disabled person, or one of another organisation,
    /// is refused.
    async fn sso_account(
        &self,
        setup: &SsoSetup,
        address: &EmailAddress,
        identity: &sso::SignedInIdentity,
        visit: &Visit,
    ) -> Result<User, Response> {
        let now = self.clock.now();
        match self.store.user_by_address(address).await {
            Ok(user) if user.tenant != setup.tenant || user.disabled => Err(self
                .sso_failed(visit, sso::Reason::NoRole, Some(user.id))
                .await),
            Ok(user) if user.role != identity.role => {
                let event = AuditEvent::new(
                    0,
                    now,
                    audit::record::system("sso"),
                    EventKind::AdminRoleChanged,
                )
                .with_tenant(user.tenant)
                .with_subject(Subject {
                    user: Some(user.id),
                    ..Subject::default()
                })
                .with_detail("from", user.role.as_str())
                .with_detail("to", identity.role.as_str());
                if self
                    .store
                    .set_user_role(user.id, identity.role, &[event])
                    .await
                    .is_err()
                {
                    return Err(pages::unavailable());
                }
                Ok(User {
                    role: identity.role,
                    ..user
                })
            }
            Ok(user) => Ok(user),
            Err(storage::StorageError::NotFound) => {
                let user = User {
                    id: UserId::new(),
                    tenant: setup.tenant,
                    address: address.clone(),
                    role: identity.role,
                    password_hash: None,
                    must_change_password: false,
                    disabled: false,
                    created: now,
                };
                let event = AuditEvent::new(
                    0,
                    now,
                    audit::record::system("sso"),
                    EventKind::AdminUserCreated,
                )
                .with_tenant(user.tenant)
                .with_subject(Subject {
                    user: Some(user.id),
                    ..Subject::default()
                })
                .with_detail("role", user.role.as_str())
                .with_detail("how", "sso");
                match self.store.create_user(&user, &[event]).await {
                    Ok(()) => Ok(user),
                    Err(_) => Err(pages::unavailable()),
                }
            }
            Err(_) => Err(pages::unavailable()),
        }
    }
}

/// The sign-in page's link, when single sign-on is configured.
pub(crate) fn offered(console: &Console) -> bool {
    console.sso.is_some()
}
