//! Console sessions: cookies, anti-forgery tokens, the session behind a request, and the
//! checks every page makes (live, not pending, same device, recent step-up).

use std::net::IpAddr;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use model::{Role, Timestamp};
use portal::secrets;
use sha2::{Digest, Sha256};
use storage::{User, UserSession};

use crate::Console;

/// The session cookie (path `/`, so the JSON twins under `/api/v1` see it too).
pub(crate) const SESSION_COOKIE: &str = "cp_console";
/// The anti-forgery cookie of the sign-in form (double submit: no session exists yet).
pub(crate) const PRE_COOKIE: &str = "cp_console_pre";
/// A half-finished sign-in lives this long.
pub(crate) const PENDING_TTL: Duration = Duration::from_secs(10 * 60);

/// The client's address, put in the request by the binary's listener.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

/// Where a session is in signing in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The generated first password must be changed.
    Password,
    /// The password was right; a second factor is needed.
    Factor,
    /// There is no second factor yet: set one up.
    Enrol,
    /// Signed in.
    Full,
}

impl Stage {
    pub(crate) fn of(method: &str) -> Stage {
        match method {
            "pending:password" => Stage::Password,
            "pending:factor" => Stage::Factor,
            "pending:enrol" => Stage::Enrol,
            _ => Stage::Full,
        }
    }

    pub(crate) fn method(self) -> &'static str {
        match self {
            Stage::Password => "pending:password",
            Stage::Factor => "pending:factor",
            Stage::Enrol => "pending:enrol",
            Stage::Full => "full",
        }
    }
}

/// What a request carries that handlers need.
pub(crate) struct Visit {
    pub(crate) ip: IpAddr,
    pub(crate) user_agent: String,
    cookies: Vec<(String, String)>,
    /// Sessions issued for this visit are bound to no device (an e-mailed link is opened
    /// wherever the mail is read; the session it starts is replaced at the next step by
    /// one bound to that device).
    unbound: bool,
}

impl Visit {
    pub(crate) fn new(headers: &HeaderMap, ip: Option<&ClientIp>) -> Self {
        let cookies = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .take(32)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self {
            ip: ip.map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(512)
                .collect(),
            cookies,
            unbound: false,
        }
    }

    /// This visit, for a session bound to no device (see `unbound`).
    pub(crate) fn unbound(&self) -> Self {
        Self {
            ip: self.ip,
            user_agent: String::new(),
            cookies: Vec::new(),
            unbound: true,
        }
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && v.len() <= 128)
    }

    /// SHA-256 (hex) of the user agent: the device part of the session fingerprint.
    pub(crate) fn device(&self) -> String {
        hex::encode(Sha256::digest(self.user_agent.as_bytes()))
    }

    /// A short description of the browser for the session list.
    pub(crate) fn device_label(&self) -> String {
        device_label(&self.user_agent)
    }
}

/// "Chrome on Linux": enough for a person to recognise their own sessions.
pub(crate) fn device_label(ua: &str) -> String {
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("HeadlessChrome") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.starts_with("curl/") {
        "curl"
    } else {
        "a browser"
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "an unknown system"
    };
    format!("{browser} on {system}")
}

pub(crate) fn set_cookie(name: &str, value: &str, path: &str, max_age: Duration) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={}; Secure; HttpOnly; SameSite=Strict",
        max_age.as_secs()
    )
}

pub(crate) fn clear_cookie(name: &str, path: &str) -> String {
    format!("{name}=; Path={path}; Max-Age=0; Secure; HttpOnly; SameSite=Strict")
}

/// A post from another site (`Sec-Fetch-Site`, else an `Origin` naming another host).
pub(crate) fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !(site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none"));
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null") | None, _) => false,
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .unwrap_or(origin);
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
    }
}

/// A redirect that sets or clears cookies.
pub(crate) fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// A session and its person, checked.
pub(crate) struct Signed {
    pub(crate) session: UserSession,
    pub(crate) user: User,
}

impl Signed {
    pub(crate) fn stage(&self) -> Stage {
        Stage::of(&self.session.method)
    }

    /// An audit event of `kind` done by this person at `at` from `ip`, in their
    /// organisation's trail: the start of every record of what someone did in the console.
    pub(crate) fn event(&self, kind: EventKind, at: Timestamp, ip: IpAddr) -> AuditEvent {
        AuditEvent::new(0, at, Actor::User { id: self.user.id }, kind)
            .with_tenant(self.user.tenant)
            .with_source_ip(ip)
    }

    /// A refused access by this person (`auth.access_decided`, outcome `deny`) for one
    /// `reason` token, e.g. an id of another organisation.
    pub(crate) fn refusal(&self, at: Timestamp, ip: IpAddr, reason: &str) -> AuditEvent {
        self.event(EventKind::AuthAccessDecided, at, ip)
            .with_detail("outcome", "deny")
            .with_detail("reasons", vec![serde_json::Value::from(reason)])
    }
}

/// Why a request has no usable session.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NoSession {
    /// No cookie, unknown, ended, idle or past its end: sign in.
    SignIn,
    /// The cookie came from another network and browser than it was issued to: prove a
    /// factor again before it is honoured.
    StepUp,
}

impl Console {
    /// The session behind a request, live and of an enabled user. Notes activity.
    pub(crate) async fn session_of(&self, visit: &Visit) -> Result<Signed, NoSession> {
        let id = visit.cookie(SESSION_COOKIE).ok_or(NoSession::SignIn)?;
        let hash = secrets::token_hash(id).ok_or(NoSession::SignIn)?;
        let session = self
            .store
            .user_session(&hash)
            .await
            .map_err(|_| NoSession::SignIn)?;
        let now = self.clock.now();
        let idle = if Stage::of(&session.method) == Stage::Full {
            self.settings.session_idle
        } else {
            PENDING_TTL
        };
        if !session.live_at(now, idle) {
            return Err(NoSession::SignIn);
        }
        let user = self
            .store
            .user(session.user)
            .await
            .map_err(|_| NoSession::SignIn)?;
        if user.disabled || user.tenant != session.tenant {
            return Err(NoSession::SignIn);
        }
        // Token replay defence: compare where the session began with where it is used.
        let began = session
            .ip
            .parse::<IpAddr>()
            .ok()
            .zip(hex_digest(&session.device));
        if let Some((ip, digest)) = began {
            let policy = self.access_policy_for(user.tenant).await;
            let (then_country, then_location) = self.country_of(ip);
            let (now_country, now_location) = self.country_of(visit.ip);
            // Conditional access applies on every use of a full session too, not only at
            // sign-in: a network or country the organisation denies, hours outside the
            // role's window, or a cookie that "travelled" faster than a plane since the
            // session began end the session.
            //
            // Except a break-glass session: it is the emergency way in past these controls
            // (its sign-in checks no conditional access either), and ending it at its first
            // use would spend the single-use code for nothing and leave no way in to undo an
            // access policy that shuts everyone out. It lasts at most an hour, is alerted at
            // once and audited; the replay defence below still applies to it.
            if Stage::of(&session.method) == Stage::Full
                && session.method != crate::break_glass::METHOD
            {
                let decision = policy.evaluate(&access::SignInContext {
                    role: user.role,
                    ip: visit.ip,
                    country: now_country.clone(),
                    location: now_location,
                    device_known: true,
                    at: now,
                    previous: Some(access::PreviousSignIn {
                        at: session.created,
                        location: then_location,
                        country: then_country.clone(),
                        ip,
                    }),
                });
                if decision.outcome == access::Outcome::Deny {
                    self.denied_on_use(&session, &user, visit, &decision).await;
                    return Err(NoSession::SignIn);
                }
            }
            let then = access::SessionFingerprint::from_parts(ip, digest, then_country.as_deref());
            let now_fp = access::SessionFingerprint::new(
                visit.ip,
                &visit.user_agent,
                now_country.as_deref(),
            );
            let decision = policy.on_use(&then, &now_fp);
            if decision.outcome == access::UseOutcome::StepUp {
                self.record(
                    AuditEvent::new(
                        0,
                        now,
                        Actor::User { id: user.id },
                        EventKind::AuthAccessDecided,
                    )
                    .with_tenant(user.tenant)
                    .with_source_ip(visit.ip)
                    .with_detail("outcome", "step_up")
                    .with_detail(
                        "reasons",
                        decision
                            .reasons
                            .iter()
                            .map(|r| serde_json::Value::from(r.as_str()))
                            .collect::<Vec<_>>(),
                    ),
                )
                .await;
                return Err(NoSession::StepUp);
            }
        }
        // Activity is written at most every 30 s: the idle limit keeps its meaning to
        // within that, and a busy page does not write on every request.
        if now.since(session.last_seen) > Duration::from_secs(30) {
            let _ = self.store.touch_user_session(&hash, now).await;
        }
        Ok(Signed { session, user })
    }

    /// A use of a session that conditional access denies: recorded with its reasons and
    /// rules (`auth.access_decided`, `on_use = true`, alerted when the policy says so) and
    /// the session ended, so the cookie is worthless from then on.
    async fn denied_on_use(
        &self,
        session: &UserSession,
        user: &User,
        visit: &Visit,
        decision: &access::Decision,
    ) {
        let mut event = AuditEvent::new(
            0,
            self.clock.now(),
            Actor::User { id: user.id },
            EventKind::AuthAccessDecided,
        )
        .with_tenant(user.tenant)
        .with_source_ip(visit.ip)
        .with_detail("outcome", decision.outcome.as_str())
        .with_detail("on_use", true)
        .with_detail(
            "reasons",
            decision
                .reasons
                .iter()
                .map(|r| serde_json::Value::from(r.as_str()))
                .collect::<Vec<_>>(),
        );
        let rules: Vec<serde_json::Value> = decision
            .rules
            .iter()
            .filter(|r| audit::is_token(r))
            .map(|r| serde_json::Value::from(r.as_str()))
            .collect();
        if !rules.is_empty() {
            event = event.with_detail("rules", rules);
        }
        if decision.alert {
            event = event.with_detail("alert", true);
        }
        self.record(event).await;
        self.end_session(session, "access_denied").await;
    }

    /// Start a session at `stage` for `user` (a new id every time: sign-in and every
    /// step-up rotate it). Returns the cookie to set.
    pub(crate) async fn start_session(
        &self,
        visit: &Visit,
        user: &User,
        stage: Stage,
        method: &str,
        audit: &[AuditEvent],
    ) -> Result<String, Response> {
        let (secret, lifetime) = self
            .issue_session(visit, user, stage, method, audit)
            .await?;
        Ok(set_cookie(SESSION_COOKIE, &secret, "/", lifetime))
    }

    /// Store a new session and return its secret id and lifetime (for a cookie, or for
    /// the link of a password-reset e-mail).
    pub(crate) async fn issue_session(
        &self,
        visit: &Visit,
        user: &User,
        stage: Stage,
        method: &str,
        audit: &[AuditEvent],
    ) -> Result<(String, Duration), Response> {
        let now = self.clock.now();
        let issued = secrets::new_session_id();
        let lifetime = match stage {
            // An emergency session is short, whatever the usual limit.
            Stage::Full if method == crate::break_glass::METHOD => {
                self.settings.session_max.min(Duration::from_secs(3600))
            }
            Stage::Full => self.settings.session_max,
            _ => PENDING_TTL,
        };
        let session = UserSession {
            id_hash: issued.hash,
            tenant: user.tenant,
            user: user.id,
            method: if stage == Stage::Full {
                method.to_string()
            } else {
                stage.method().to_string()
            },
            csrf_token: secrets::new_csrf_token(),
            created: now,
            last_seen: now,
            expires: now.plus(lifetime),
            stepped_up: (stage == Stage::Full).then_some(now),
            ip: if visit.unbound {
                String::new()
            } else {
                visit.ip.to_string()
            },
            device: if visit.unbound {
                String::new()
            } else {
                visit.device()
            },
            device_label: if visit.unbound {
                "a link sent by e-mail".to_string()
            } else {
                visit.device_label()
            },
            ended: None,
            ceremony: None,
        };
        if self
            .store
            .create_user_session(&session, audit)
            .await
            .is_err()
        {
            return Err(crate::pages::unavailable());
        }
        Ok((issued.secret, lifetime))
    }

    /// End a session (sign-out, or replaced by a new one).
    pub(crate) async fn end_session(&self, session: &UserSession, why: &str) {
        let now = self.clock.now();
        let event = AuditEvent::new(
            0,
            now,
            Actor::User { id: session.user },
            EventKind::AuthSessionEnded,
        )
        .with_tenant(session.tenant)
        .with_detail("why", why.to_string());
        let _ = self
            .store
            .end_user_session(session.user, &session.id_hash, now, &[event])
            .await;
    }

    /// Whether the session proved a factor recently enough for a sensitive action.
    pub(crate) fn recently_stepped_up(&self, session: &UserSession, now: Timestamp) -> bool {
        session
            .stepped_up
            .is_some_and(|t| now.since(t) <= self.settings.step_up_window)
    }

    /// Record an audit event; a failure is logged (the action itself already happened or
    /// was refused).
    pub(crate) async fn record(&self, event: AuditEvent) {
        if let Err(e) = self.store.append_audit(std::slice::from_ref(&event)).await {
            tracing::error!(error = %e, kind = %event.kind, "recording an audit event failed");
        }
    }
}

fn hex_digest(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text).ok()?;
    bytes.try_into().ok()
}

/// Roles that must sign in with a phishing-resistant factor (a passkey).
pub(crate) fn needs_passkey(role: Role) -> bool {
    identity::roles::requires_phishing_resistant_mfa(role)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::http::{HeaderMap, HeaderValue, header};
    use model::{EmailAddress, Role, TenantId, Timestamp, UserId};
    use storage::{SharedStore, Tenant, User};

    use super::*;

    const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0";

    fn visit(ip: IpAddr, cookie: Option<&str>) -> Visit {
        let mut headers = HeaderMap::new();
        headers.insert(header::USER_AGENT, HeaderValue::from_static(BROWSER));
        if let Some(c) = cookie {
            let value = format!("{SESSION_COOKIE}={c}");
            headers.insert(
                header::COOKIE,
                HeaderValue::from_str(&value).expect("cookie"),
            );
        }
        Visit::new(&headers, Some(&ClientIp(ip)))
    }

    /// Conditional access on use: a network the organisation's policy denies ends a
    /// signed-in session at its next request; a break-glass session (the emergency way in,
    /// which checks no conditional access at sign-in) is not ended by it.
    #[tokio::test]
    async fn a_denied_use_ends_a_session_but_not_a_break_glass_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("s.db"))
                .await
                .expect("open"),
        );
        let tenant = TenantId::new();
        store
            .create_tenant(
                &Tenant {
                    id: tenant,
                    name: "Clinic".into(),
                    created: Timestamp::from_millis(0),
                },
                &[],
            )
            .await
            .expect("tenant");
        let owner = User {
            id: UserId::new(),
            tenant,
            address: EmailAddress::parse("owner@clinic.test").expect("address"),
            role: Role::Owner,
            password_hash: None,
            must_change_password: false,
            disabled: false,
            created: Timestamp::from_millis(0),
        };
        store.create_user(&owner, &[]).await.expect("user");
        let keys = Arc::new(crypto::KeyRing::new(
            crypto::MasterKey::generate().expect("rng"),
        ));
        let console = Console::new(
            store.clone(),
            keys,
            Arc::new(model::SystemClock),
            crate::ConsoleSettings::default(),
            access::AccessPolicy::default(),
            None,
        )
        .expect("console");
        // The organisation allows only its office network.
        store
            .put_access_policy(
                tenant,
                "[[rule]]\nname = \"office-only\"\nallow_ip = [\"10.0.0.0/8\"]\n",
                "system:test",
                Timestamp::from_millis(0),
                &[],
            )
            .await
            .expect("policy");
        let office: IpAddr = [10, 1, 2, 3].into();
        let home: IpAddr = [198, 51, 100, 7].into();
        let there = visit(office, None);
        let (normal, _) = console
            .issue_session(&there, &owner, Stage::Full, "passkey", &[])
            .await
            .expect("session");
        let (emergency, _) = console
            .issue_session(&there, &owner, Stage::Full, crate::break_glass::METHOD, &[])
            .await
            .expect("session");
        for secret in [&normal, &emergency] {
            assert!(
                console
                    .session_of(&visit(office, Some(secret)))
                    .await
                    .is_ok()
            );
        }

        // The same browser, from home: outside the allowed network.
        assert_eq!(
            console.session_of(&visit(home, Some(&normal))).await.err(),
            Some(NoSession::SignIn)
        );
        let hash = secrets::token_hash(&normal).expect("hash");
        let ended = store.user_session(&hash).await.expect("stored");
        assert!(ended.ended.is_some(), "the denied session was ended");

        let signed = console
            .session_of(&visit(home, Some(&emergency)))
            .await
            .expect("a break-glass session stays usable");
        assert_eq!(signed.session.method, crate::break_glass::METHOD);
    }
}
