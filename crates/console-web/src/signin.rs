//! Signing in: the password, a first-time password change, the second factor (passkey,
//! TOTP or a recovery code), setting one up, stepping up, and signing out.
//!
//! Every step after the password runs in a short-lived pending session (its own id, its
//! own anti-forgery token, 10 minutes) that opens nothing but the next step; completing
//! sign-in or a step-up replaces it with a new session id.

use std::sync::Arc;

use audit::{Actor, AuditEvent, EventKind};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::password::PasswordPolicy;
use identity::totp::{RecoveryCodes, TotpSecret};
use model::{EmailAddress, Role};
use portal::secrets;
use serde::Deserialize;
use serde_json::json;
use storage::{User, UserPasskey, UserTotp};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};
use zeroize::Zeroizing;

use crate::Console;
use crate::pages::{
    self, CodesPage, EnrolPage, FactorPage, Frame, PasswordPage, SignInPage, TotpSetup, html,
};
use crate::session::{
    ClientIp, NoSession, PENDING_TTL, PRE_COOKIE, SESSION_COOKIE, Signed, Stage, Visit,
    clear_cookie, cross_site, needs_passkey, see_other, set_cookie,
};

/// The one answer to a wrong address or password.
const WRONG: &str = "The e-mail address or password is not right.";
/// The one answer to a wrong code.
const WRONG_CODE: &str = "That code is not right. Check it and try again.";
/// Recovery codes made at TOTP enrolment.
const RECOVERY_CODES: usize = 10;

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    password: Zeroizing<String>,
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: Zeroizing<String>,
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    new: Zeroizing<String>,
    #[serde(default)]
    again: Zeroizing<String>,
}

pub(crate) fn frame(signed: &Signed) -> Frame {
    let full = signed.stage() == Stage::Full;
    Frame {
        who: full.then(|| signed.user.address.to_string()),
        admin: full && matches!(signed.user.role, Role::Owner | Role::Admin),
        figures: full
            && identity::roles::allows(
                signed.user.role,
                identity::roles::Permission::ViewAggregates,
            ),
        details: full
            && identity::roles::allows(
                signed.user.role,
                identity::roles::Permission::ViewMessageDetails,
            ),
        trail: full
            && identity::roles::allows(
                signed.user.role,
                identity::roles::Permission::ReadAuditTrail,
            ),
        policy: full && crate::policy_page::may_view(signed),
        quarantine: full
            && identity::roles::allows(
                signed.user.role,
                identity::roles::Permission::ReviewQuarantine,
            ),
        groups: full
            && identity::roles::allows(signed.user.role, identity::roles::Permission::ManageUsers),
        access: full && crate::access_page::may_view(signed),
        csrf: signed.session.csrf_token.clone(),
    }
}

/// Where a session at `stage` belongs.
fn stage_path(stage: Stage) -> &'static str {
    match stage {
        Stage::Password => "/console/password",
        Stage::Factor => "/console/factor",
        Stage::Enrol => "/console/enrol",
        Stage::Full => "/console",
    }
}

fn sign_in_form(
    console: &Console,
    csrf: String,
    problem: Option<&str>,
    address: &str,
    status: StatusCode,
) -> Response {
    let cookie = set_cookie(PRE_COOKIE, &csrf, "/console", PENDING_TTL);
    html(
        status,
        &SignInPage {
            title: "Sign in",
            script: false,
            frame: Frame::anonymous_with(csrf),
            problem,
            address,
            sso: crate::sso_signin::offered(console),
        },
        &[cookie],
    )
}

/// `GET /console/sign-in`.
pub(crate) async fn sign_in_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    if let Ok(signed) = console.session_of(&visit).await {
        return see_other(stage_path(signed.stage()), &[]);
    }
    sign_in_form(
        &console,
        secrets::new_csrf_token(),
        None,
        "",
        StatusCode::OK,
    )
}

impl Console {
    /// Record a refused sign-in (`auth.login_failed`) with its reason; never what was typed.
    pub(crate) async fn record_failed_sign_in(
        &self,
        visit: &Visit,
        user: Option<&User>,
        method: &'static str,
        reason: &'static str,
    ) {
        let mut event = AuditEvent::new(
            0,
            self.clock.now(),
            user.map_or_else(
                || audit::record::system("console"),
                |u| Actor::User { id: u.id },
            ),
            EventKind::AuthLoginFailed,
        )
        .with_source_ip(visit.ip)
        .with_detail("method", method)
        .with_detail("reason", reason);
        if let Some(u) = user {
            event = event.with_tenant(u.tenant);
        }
        self.record(event).await;
    }

    async fn refuse_sign_in(
        &self,
        visit: &Visit,
        user: Option<&User>,
        reason: &'static str,
        shown: &str,
        address: &str,
    ) -> Response {
        self.record_failed_sign_in(visit, user, "console-password", reason)
            .await;
        sign_in_form(
            self,
            secrets::new_csrf_token(),
            Some(shown),
            address,
            StatusCode::UNAUTHORIZED,
        )
    }

    /// The factors a person may use: (passkeys, TOTP allowed and set up, recovery codes).
    async fn factors(&self, user: &User) -> (Vec<UserPasskey>, bool, bool) {
        let passkeys = self.store.user_passkeys(user.id).await.unwrap_or_default();
        let totp = !needs_passkey(user.role)
            && self
                .store
                .user_totp(user.id)
                .await
                .ok()
                .flatten()
                .is_some_and(|t| t.confirmed.is_some());
        let recovery = totp
            && !self
                .store
                .unused_recovery_codes(user.id)
                .await
                .unwrap_or_default()
                .is_empty();
        (passkeys, totp, recovery)
    }

    /// The stage after the password: change it, prove a factor, or set one up.
    async fn next_stage(&self, user: &User) -> Stage {
        if user.must_change_password {
            return Stage::Password;
        }
        let (passkeys, totp, _) = self.factors(user).await;
        if passkeys.is_empty() && !totp {
            Stage::Enrol
        } else {
            Stage::Factor
        }
    }

    /// Finish signing in (or a step-up): end the pending or old session, start a full one
    /// with a new id, record the sign-in with where it came from.
    async fn complete(&self, visit: &Visit, signed: &Signed, method: &str) -> Response {
        let now = self.clock.now();
        let (country, _) = self.country_of(visit.ip);
        let step_up = signed.stage() == Stage::Full;
        let mut events = vec![
            signed
                .event(EventKind::AuthMfa, now, visit.ip)
                .with_detail("method", method.to_string())
                .with_detail("outcome", "ok"),
        ];
        if !step_up {
            let mut login = signed
                .event(EventKind::AuthLogin, now, visit.ip)
                .with_detail("method", format!("console-{method}"));
            if let Some(c) = &country {
                login = login.with_detail("country", c.clone());
                if self.new_country(&signed.user, c).await {
                    login = login.with_detail("new_country", true);
                }
            }
            events.push(login);
        }
        self.end_session(
            &signed.session,
            if step_up { "stepped-up" } else { "signed-in" },
        )
        .await;
        match self
            .start_session(visit, &signed.user, Stage::Full, method, &events)
            .await
        {
            Ok(cookie) => see_other("/console", &[cookie]),
            Err(r) => r,
        }
    }

    /// Whether `country` is new for this person: none of their earlier sign-ins
    /// recorded it.
    async fn new_country(&self, user: &User, country: &str) -> bool {
        let earlier = self
            .store
            .find_audit(&storage::AuditFilter {
                kinds: vec![EventKind::AuthLogin],
                actor: Some(format!("user:{}", user.id)),
                tenant: Some(user.tenant),
                limit: 1000,
                ..storage::AuditFilter::default()
            })
            .await
            .unwrap_or_default();
        let seen_any = !earlier.is_empty();
        let seen_here = earlier.iter().any(|e| {
            e.details
                .get("country")
                .and_then(|v| v.as_str())
                .is_some_and(|c| c == country)
        });
        seen_any && !seen_here
    }

    /// Conditional access at sign-in. `Err` holds the refusal page.
    async fn decide_access(
        &self,
        visit: &Visit,
        user: &User,
        address: &str,
    ) -> Result<(), Response> {
        let now = self.clock.now();
        let (country, location) = self.country_of(visit.ip);
        let sessions = self.store.user_sessions(user.id).await.unwrap_or_default();
        let device = visit.device();
        let previous = sessions.first().and_then(|s| {
            let ip = s.ip.parse().ok()?;
            let (c, l) = self.country_of(ip);
            Some(access::PreviousSignIn {
                at: s.created,
                location: l,
                country: c,
                ip,
            })
        });
        let policy = self.access_policy_for(user.tenant).await;
        let decision = policy.evaluate(&access::SignInContext {
            role: user.role,
            ip: visit.ip,
            country,
            location,
            device_known: sessions.iter().any(|s| s.device == device),
            at: now,
            previous,
        });
        if decision.outcome == access::Outcome::Allow && !decision.alert {
            return Ok(());
        }
        let mut event = AuditEvent::new(
            0,
            now,
            Actor::User { id: user.id },
            EventKind::AuthAccessDecided,
        )
        .with_tenant(user.tenant)
        .with_source_ip(visit.ip)
        .with_detail("outcome", decision.outcome.as_str())
        .with_detail(
            "reasons",
            decision
                .reasons
                .iter()
                .map(|r| serde_json::Value::from(r.as_str()))
                .collect::<Vec<_>>(),
        );
        if !decision.rules.is_empty() {
            let rules: Vec<serde_json::Value> = decision
                .rules
                .iter()
                .filter(|r| audit::is_token(r))
                .map(|r| serde_json::Value::from(r.as_str()))
                .collect();
            event = event.with_detail("rules", rules);
        }
        if decision.alert {
            event = event.with_detail("alert", true);
        }
        self.record(event).await;
        if decision.outcome == access::Outcome::Deny {
            return Err(self
                .refuse_sign_in(
                    visit,
                    Some(user),
                    "access_denied",
                    "Your organisation does not allow signing in from here or at this time.",
                    address,
                )
                .await);
        }
        // Step-up: every console sign-in proves a second factor anyway.
        Ok(())
    }
}

/// `POST /console/sign-in`: the address and password.
pub(crate) async fn sign_in(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let pre = visit.cookie(PRE_COOKIE).unwrap_or_default();
    if cross_site(&headers) || pre.is_empty() || !secrets::constant_time_eq(pre, &form.csrf) {
        return pages::forbidden();
    }
    let typed: String = form.address.trim().chars().take(320).collect();
    let user = match EmailAddress::parse(&typed) {
        Ok(address) => console.store.user_by_address(&address).await.ok(),
        Err(_) => None,
    };
    let Some(user) = user else {
        // Spend the same time as a real check, so timing does not reveal addresses.
        let decoy = console.decoy_hash.clone();
        let password = form.password.clone();
        let _ = tokio::task::spawn_blocking(move || auth::verify_secret(&password, &decoy)).await;
        return console
            .refuse_sign_in(&visit, None, "unknown_user", WRONG, &typed)
            .await;
    };
    if user.disabled {
        return console
            .refuse_sign_in(&visit, Some(&user), "disabled", WRONG, &typed)
            .await;
    }
    let now = console.clock.now();
    let (failures, last) = console
        .store
        .sign_in_failures(user.id)
        .await
        .unwrap_or((0, None));
    if console.throttle.locked(failures) {
        return console
            .refuse_sign_in(
                &visit,
                Some(&user),
                "locked",
                "This account is locked after too many attempts. Ask an administrator to unlock it.",
                &typed,
            )
            .await;
    }
    let wait = console.throttle.delay(failures);
    if let Some(last) = last
        && now.since(last) < wait
    {
        return console
            .refuse_sign_in(
                &visit,
                Some(&user),
                "throttled",
                "Too many attempts. Wait a minute, then try again.",
                &typed,
            )
            .await;
    }
    let Some(hash) = user.password_hash.clone() else {
        return console
            .refuse_sign_in(&visit, Some(&user), "no_password", WRONG, &typed)
            .await;
    };
    let password = form.password.clone();
    let right = tokio::task::spawn_blocking(move || auth::verify_secret(&password, &hash))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(false);
    if !right {
        let _ = console.store.record_sign_in_failure(user.id, now).await;
        return console
            .refuse_sign_in(&visit, Some(&user), "bad_password", WRONG, &typed)
            .await;
    }
    if let Err(refused) = console.decide_access(&visit, &user, &typed).await {
        return refused;
    }
    let _ = console.store.clear_sign_in_failures(user.id).await;
    let stage = console.next_stage(&user).await;
    match console
        .start_session(&visit, &user, stage, stage.method(), &[])
        .await
    {
        Ok(cookie) => see_other(
            stage_path(stage),
            &[cookie, clear_cookie(PRE_COOKIE, "/console")],
        ),
        Err(r) => r,
    }
}

/// The session of a request at one of `stages`, or where to go instead.
async fn at_stage(console: &Console, visit: &Visit, stages: &[Stage]) -> Result<Signed, Response> {
    match console.session_of(visit).await {
        Ok(signed) if stages.contains(&signed.stage()) => Ok(signed),
        Ok(signed) => Err(see_other(stage_path(signed.stage()), &[])),
        Err(NoSession::StepUp) => Err(see_other("/console/step-up", &[])),
        Err(NoSession::SignIn) => Err(see_other(
            "/console/sign-in",
            &[clear_cookie(SESSION_COOKIE, "/")],
        )),
    }
}

/// A form post's guard: same site, and the session's anti-forgery token.
fn form_ok(headers: &HeaderMap, signed: &Signed, csrf: &str) -> bool {
    !cross_site(headers) && secrets::constant_time_eq(csrf, &signed.session.csrf_token)
}

fn password_form(signed: &Signed, problem: Option<String>, status: StatusCode) -> Response {
    html(
        status,
        &PasswordPage {
            title: "Choose your own password",
            script: false,
            frame: Frame::anonymous_with(signed.session.csrf_token.clone()),
            problem,
            rule: "at least 8 characters (you will also use a second factor), at most 256"
                .to_string(),
        },
        &[],
    )
}

/// `GET /console/password`.
pub(crate) async fn password_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match at_stage(&console, &visit, &[Stage::Password]).await {
        Ok(signed) => password_form(&signed, None, StatusCode::OK),
        Err(r) => r,
    }
}

/// `POST /console/password`: the generated first password is replaced.
pub(crate) async fn change_password(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match at_stage(&console, &visit, &[Stage::Password]).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !form_ok(&headers, &signed, &form.csrf) {
        return pages::forbidden();
    }
    if *form.new != *form.again {
        return password_form(
            &signed,
            Some("The two passwords are not the same.".to_string()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let org = console
        .store
        .tenant(signed.user.tenant)
        .await
        .map(|t| t.name)
        .unwrap_or_default();
    let address = signed.user.address.to_string();
    if let Err(problem) = PasswordPolicy::default().check(&form.new, true, &[&address, &org]) {
        return password_form(
            &signed,
            Some(format!("{problem}.")),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let new = form.new.clone();
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || auth::hash_secret(&new)).await else {
        return pages::unavailable();
    };
    let event = signed.event(
        EventKind::AuthPasswordChanged,
        console.clock.now(),
        visit.ip,
    );
    if console
        .store
        .set_password_hash(signed.user.id, &hash, false, &[event])
        .await
        .is_err()
    {
        return pages::unavailable();
    }
    let user = User {
        must_change_password: false,
        ..signed.user.clone()
    };
    let stage = console.next_stage(&user).await;
    console
        .end_session(&signed.session, "password-changed")
        .await;
    match console
        .start_session(&visit, &user, stage, stage.method(), &[])
        .await
    {
        Ok(cookie) => see_other(stage_path(stage), &[cookie]),
        Err(r) => r,
    }
}

async fn factor_form(
    console: &Console,
    signed: &Signed,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let (passkeys, totp, recovery) = console.factors(&signed.user).await;
    let step_up = signed.stage() == Stage::Full;
    let explanation = if needs_passkey(signed.user.role) {
        "Your role needs a passkey or security key: a fake sign-in page cannot use it."
    } else {
        "Use your passkey, or the code your authenticator app shows."
    };
    html(
        status,
        &FactorPage {
            title: if step_up {
                "Confirm it is you"
            } else {
                "Second step"
            },
            script: !passkeys.is_empty(),
            frame: Frame::anonymous_with(signed.session.csrf_token.clone()),
            heading: if step_up {
                "Confirm it is you"
            } else {
                "Second step"
            },
            explanation,
            problem,
            passkey: !passkeys.is_empty(),
            totp,
            recovery,
        },
        &[],
    )
}

/// `GET /console/factor`.
pub(crate) async fn factor_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match at_stage(&console, &visit, &[Stage::Factor]).await {
        Ok(signed) => factor_form(&console, &signed, None, StatusCode::OK).await,
        Err(r) => r,
    }
}

/// `GET /console/step-up`: prove a factor again (a sensitive action, or the session cookie
/// came from another network and browser).
pub(crate) async fn step_up_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match console.step_up_session(&visit).await {
        Some(signed) => factor_form(&console, &signed, None, StatusCode::OK).await,
        None => see_other("/console/sign-in", &[clear_cookie(SESSION_COOKIE, "/")]),
    }
}

impl Console {
    /// The session for a factor check: a pending one at the factor stage, or a full one
    /// stepping up (also one whose cookie moved: proving a factor is what it needs).
    async fn step_up_session(&self, visit: &Visit) -> Option<Signed> {
        match self.session_of(visit).await {
            Ok(signed) if matches!(signed.stage(), Stage::Factor | Stage::Full) => Some(signed),
            Ok(_) | Err(NoSession::SignIn) => None,
            Err(NoSession::StepUp) => self.session_ignoring_device(visit).await,
        }
    }

    /// A full session looked up without the device check (only to step it up).
    async fn session_ignoring_device(&self, visit: &Visit) -> Option<Signed> {
        let id = visit.cookie(SESSION_COOKIE)?;
        let hash = secrets::token_hash(id)?;
        let session = self.store.user_session(&hash).await.ok()?;
        if Stage::of(&session.method) != Stage::Full
            || !session.live_at(self.clock.now(), self.settings.session_idle)
        {
            return None;
        }
        let user = self.store.user(session.user).await.ok()?;
        (!user.disabled && user.tenant == session.tenant).then_some(Signed { session, user })
    }

    async fn code_refused(&self, visit: &Visit, signed: &Signed, method: &str, reason: &str) {
        let now = self.clock.now();
        let _ = self.store.record_sign_in_failure(signed.user.id, now).await;
        self.record(
            signed
                .event(EventKind::AuthMfa, now, visit.ip)
                .with_detail("method", method.to_string())
                .with_detail("outcome", reason.to_string()),
        )
        .await;
    }

    /// Too many wrong codes lock like wrong passwords (the count is shared).
    async fn code_locked(&self, signed: &Signed) -> bool {
        let (failures, _) = self
            .store
            .sign_in_failures(signed.user.id)
            .await
            .unwrap_or((0, None));
        self.throttle.locked(failures)
    }

    fn open_totp(&self, user: &User, totp: &UserTotp) -> Option<TotpSecret> {
        let plain = self.keys.open(&totp_aad(user), &totp.sealed_secret).ok()?;
        let text = std::str::from_utf8(&plain).ok()?;
        TotpSecret::from_base32(text).ok()
    }
}

impl Console {
    /// Whether `code` is a good TOTP code of the person's factor (a confirmed one unless
    /// `enrolling`): checked against the sealed secret, then its time step accepted in one
    /// conditional write, so a code is never accepted twice, even when raced.
    async fn accept_totp(&self, user: &User, code: &str, confirmed_only: bool) -> bool {
        let Some(totp) = self.store.user_totp(user.id).await.ok().flatten() else {
            return false;
        };
        if confirmed_only && totp.confirmed.is_none() {
            return false;
        }
        let Some(secret) = self.open_totp(user, &totp) else {
            return false;
        };
        let now = self.clock.now();
        let unix = u64::try_from(now.as_millis() / 1000).unwrap_or(0);
        match secret.verify(code, unix, totp.last_step) {
            Some(step) => self
                .store
                .accept_totp_step(user.id, step, now)
                .await
                .unwrap_or(false),
            None => false,
        }
    }

    /// The guard of a code form (TOTP or recovery code): a session at the factor stage or
    /// stepping up, the form's anti-forgery token, a role that may use codes, and an
    /// account not locked. A refusal is audited and answers the factor page again.
    async fn code_form_guard(
        &self,
        visit: &Visit,
        headers: &HeaderMap,
        csrf: &str,
        method: &str,
    ) -> Result<Signed, Response> {
        let Some(signed) = self.step_up_session(visit).await else {
            return Err(see_other("/console/sign-in", &[]));
        };
        if !form_ok(headers, &signed, csrf) {
            return Err(pages::forbidden());
        }
        if needs_passkey(signed.user.role) || self.code_locked(&signed).await {
            self.code_refused(visit, &signed, method, "not_allowed")
                .await;
            return Err(
                factor_form(self, &signed, Some(WRONG_CODE), StatusCode::UNAUTHORIZED).await,
            );
        }
        Ok(signed)
    }
}

fn totp_aad(user: &User) -> Vec<u8> {
    format!("{}/totp", user.id).into_bytes()
}

/// `POST /console/factor/totp`.
pub(crate) async fn factor_totp(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match console
        .code_form_guard(&visit, &headers, &form.csrf, "totp")
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let accepted = console.accept_totp(&signed.user, &form.code, true).await;
    if !accepted {
        console
            .code_refused(&visit, &signed, "totp", "wrong_code")
            .await;
        return factor_form(
            &console,
            &signed,
            Some(WRONG_CODE),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let _ = console.store.clear_sign_in_failures(signed.user.id).await;
    console.complete(&visit, &signed, "totp").await
}

/// `POST /console/factor/recovery`.
pub(crate) async fn factor_recovery(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match console
        .code_form_guard(&visit, &headers, &form.csrf, "recovery-code")
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let codes = console
        .store
        .unused_recovery_codes(signed.user.id)
        .await
        .unwrap_or_default();
    let hashes: Vec<String> = codes.iter().map(|(_, h)| h.clone()).collect();
    let typed = form.code.clone();
    let found = tokio::task::spawn_blocking(move || RecoveryCodes::verify(&typed, &hashes))
        .await
        .ok()
        .flatten();
    let now = console.clock.now();
    let used = match found.and_then(|i| codes.get(i)) {
        Some((index, _)) => console
            .store
            .use_recovery_code(signed.user.id, *index, now)
            .await
            .unwrap_or(false),
        None => false,
    };
    if !used {
        console
            .code_refused(&visit, &signed, "recovery-code", "wrong_code")
            .await;
        return factor_form(
            &console,
            &signed,
            Some(WRONG_CODE),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let _ = console.store.clear_sign_in_failures(signed.user.id).await;
    console.complete(&visit, &signed, "recovery-code").await
}

fn json_error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

/// A script's call: same site, and the session's anti-forgery token in `x-csrf-token`.
fn json_call_ok(headers: &HeaderMap, signed: &Signed) -> bool {
    !cross_site(headers)
        && secrets::constant_time_eq(csrf_header(headers), &signed.session.csrf_token)
}

/// Keep a WebAuthn ceremony's state in the session and answer with its options.
async fn keep_ceremony(
    console: &Console,
    signed: &Signed,
    state: &impl serde::Serialize,
    options: &impl serde::Serialize,
) -> Response {
    let Ok(state) = serde_json::to_string(state) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    if console
        .store
        .set_user_session_ceremony(&signed.session.id_hash, Some(&state))
        .await
        .is_err()
    {
        return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    }
    Json(options).into_response()
}

/// The ceremony kept in the session, cleared as it is read: it is used once, whatever
/// the outcome (a replayed response finds none).
async fn take_ceremony(console: &Console, signed: &Signed) -> Option<String> {
    let state = signed.session.ceremony.clone();
    let _ = console
        .store
        .set_user_session_ceremony(&signed.session.id_hash, None)
        .await;
    state
}

fn csrf_header(headers: &HeaderMap) -> &str {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// A stable, opaque WebAuthn user handle for a person (their id never goes to the
/// authenticator as is).
fn user_handle(user: &User) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"carepost-console-user\0")
        .chain_update(user.id.0.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn credential_id(id: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

/// `POST /console/factor/passkey/options`: a challenge for the person's passkeys.
pub(crate) async fn passkey_sign_in_options(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let Some(signed) = console.step_up_session(&visit).await else {
        return json_error(StatusCode::UNAUTHORIZED, "no_session");
    };
    if !json_call_ok(&headers, &signed) {
        return json_error(StatusCode::FORBIDDEN, "forgery");
    }
    let keys: Vec<Passkey> = console
        .store
        .user_passkeys(signed.user.id)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|k| serde_json::from_str(&k.passkey).ok())
        .collect();
    if keys.is_empty() {
        return json_error(StatusCode::NOT_FOUND, "no_passkey");
    }
    let Ok((options, state)) = console.webauthn.start_passkey_authentication(&keys) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    keep_ceremony(&console, &signed, &state, &options).await
}

/// `POST /console/factor/passkey/finish`: check the assertion; sign in or step up.
pub(crate) async fn passkey_sign_in_finish(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(credential): Json<PublicKeyCredential>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let Some(signed) = console.step_up_session(&visit).await else {
        return json_error(StatusCode::UNAUTHORIZED, "no_session");
    };
    if !json_call_ok(&headers, &signed) {
        return json_error(StatusCode::FORBIDDEN, "forgery");
    }
    let state = take_ceremony(&console, &signed).await;
    let Some(state) = state.and_then(|s| serde_json::from_str::<PasskeyAuthentication>(&s).ok())
    else {
        console
            .code_refused(&visit, &signed, "passkey", "no_ceremony")
            .await;
        return json_error(StatusCode::UNAUTHORIZED, "refused");
    };
    let Ok(result) = console
        .webauthn
        .finish_passkey_authentication(&credential, &state)
    else {
        console
            .code_refused(&visit, &signed, "passkey", "bad_assertion")
            .await;
        return json_error(StatusCode::UNAUTHORIZED, "refused");
    };
    let now = console.clock.now();
    let stored = console
        .store
        .user_passkeys(signed.user.id)
        .await
        .unwrap_or_default();
    let id = credential_id(result.cred_id().as_ref());
    let Some(entry) = stored.iter().find(|k| k.credential_id == id) else {
        console
            .code_refused(&visit, &signed, "passkey", "unknown_key")
            .await;
        return json_error(StatusCode::UNAUTHORIZED, "refused");
    };
    if let Ok(mut key) = serde_json::from_str::<Passkey>(&entry.passkey) {
        key.update_credential(&result);
        if let Ok(updated) = serde_json::to_string(&key) {
            let _ = console
                .store
                .update_user_passkey(&entry.credential_id, &updated, now)
                .await;
        }
    }
    let _ = console.store.clear_sign_in_failures(signed.user.id).await;
    let done = console.complete(&visit, &signed, "passkey").await;
    redirect_json(done)
}

/// Turn a redirect response into `{"redirect": …}` for the passkey script (keeping its
/// cookies).
fn redirect_json(done: Response) -> Response {
    let location = done
        .headers()
        .get(axum::http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("/console")
        .to_string();
    let cookies: Vec<_> = done
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    let mut res = Json(json!({ "redirect": location })).into_response();
    for c in cookies {
        res.headers_mut().append(axum::http::header::SET_COOKIE, c);
    }
    res
}

fn enrol_explanation(role: Role) -> &'static str {
    if needs_passkey(role) {
        "Your role needs a passkey or security key."
    } else {
        "Add a passkey or security key, or use an authenticator app."
    }
}

/// `GET /console/enrol`: set up a first second factor.
pub(crate) async fn enrol_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match at_stage(&console, &visit, &[Stage::Enrol]).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    enrol_form(&console, &signed, None, StatusCode::OK).await
}

async fn enrol_form(
    console: &Console,
    signed: &Signed,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let totp = if needs_passkey(signed.user.role) {
        None
    } else {
        match console.pending_totp(signed).await {
            Some(t) => Some(t),
            None => return pages::unavailable(),
        }
    };
    html(
        status,
        &EnrolPage {
            title: "Set up a second way to sign in",
            script: true,
            frame: Frame::anonymous_with(signed.session.csrf_token.clone()),
            explanation: enrol_explanation(signed.user.role),
            problem,
            totp,
        },
        &[],
    )
}

impl Console {
    /// The unconfirmed TOTP secret offered on the enrolment page (made once, kept sealed
    /// until the person confirms it with a code).
    async fn pending_totp(&self, signed: &Signed) -> Option<TotpSetup> {
        let user = &signed.user;
        let existing = self.store.user_totp(user.id).await.ok()?;
        let secret = match existing.as_ref().and_then(|t| self.open_totp(user, t)) {
            Some(s) => s,
            None => {
                let s = TotpSecret::generate();
                let sealed = self
                    .keys
                    .seal(user.tenant, &totp_aad(user), s.to_base32().as_bytes())
                    .ok()?;
                let record = UserTotp {
                    user: user.id,
                    sealed_secret: sealed,
                    last_step: None,
                    created: self.clock.now(),
                    confirmed: None,
                };
                self.store.put_user_totp(&record, &[]).await.ok()?;
                s
            }
        };
        let account = user.address.to_string().replace(':', "");
        let url = secret.otpauth_url(&self.settings.issuer, &account).ok()?;
        Some(TotpSetup {
            secret: secret.to_base32().to_string(),
            url: url.to_string(),
        })
    }
}

/// `POST /console/enrol/totp`: confirm the authenticator app with a first code; show the
/// recovery codes once; signed in.
pub(crate) async fn enrol_totp(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match at_stage(&console, &visit, &[Stage::Enrol]).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !form_ok(&headers, &signed, &form.csrf) {
        return pages::forbidden();
    }
    if needs_passkey(signed.user.role) {
        return enrol_form(&console, &signed, None, StatusCode::FORBIDDEN).await;
    }
    let accepted = console.accept_totp(&signed.user, &form.code, false).await;
    let now = console.clock.now();
    if !accepted {
        console
            .code_refused(&visit, &signed, "totp-enrolment", "wrong_code")
            .await;
        return enrol_form(
            &console,
            &signed,
            Some(WRONG_CODE),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let Ok(codes) = tokio::task::spawn_blocking(|| RecoveryCodes::generate(RECOVERY_CODES))
        .await
        .map_err(|_| ())
        .and_then(|r| r.map_err(|_| ()))
    else {
        return pages::unavailable();
    };
    if console
        .store
        .put_recovery_codes(signed.user.id, codes.hashes(), now)
        .await
        .is_err()
    {
        return pages::unavailable();
    }
    let shown: Vec<String> = codes.codes().iter().map(|c| c.to_string()).collect();
    let done = console.complete(&visit, &signed, "totp").await;
    // Show the codes on the page that the new session opens with.
    let cookies: Vec<String> = done
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    if done.status() != StatusCode::SEE_OTHER {
        return done;
    }
    html(
        StatusCode::OK,
        &CodesPage {
            title: "Your recovery codes",
            script: false,
            frame: Frame::anonymous_with(String::new()),
            codes: shown,
        },
        &cookies,
    )
}

/// `POST /console/enrol/passkey/options`: start registering a passkey (at enrolment, or
/// adding another one in a full session that stepped up recently).
pub(crate) async fn passkey_register_options(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match console.session_of(&visit).await {
        Ok(s) if s.stage() == Stage::Enrol => s,
        Ok(s)
            if s.stage() == Stage::Full
                && console.recently_stepped_up(&s.session, console.clock.now()) =>
        {
            s
        }
        _ => return json_error(StatusCode::UNAUTHORIZED, "no_session"),
    };
    if !json_call_ok(&headers, &signed) {
        return json_error(StatusCode::FORBIDDEN, "forgery");
    }
    let exclude: Vec<_> = console
        .store
        .user_passkeys(signed.user.id)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|k| serde_json::from_str::<Passkey>(&k.passkey).ok())
        .map(|k| k.cred_id().clone())
        .collect();
    let name = signed.user.address.to_string();
    let Ok((options, state)) = console.webauthn.start_passkey_registration(
        user_handle(&signed.user),
        &name,
        &name,
        Some(exclude),
    ) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    keep_ceremony(&console, &signed, &state, &options).await
}

/// `POST /console/enrol/passkey/finish`: store the new passkey; at enrolment this signs in.
pub(crate) async fn passkey_register_finish(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(credential): Json<RegisterPublicKeyCredential>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let Ok(signed) = console.session_of(&visit).await else {
        return json_error(StatusCode::UNAUTHORIZED, "no_session");
    };
    if !matches!(signed.stage(), Stage::Enrol | Stage::Full) || !json_call_ok(&headers, &signed) {
        return json_error(StatusCode::FORBIDDEN, "forgery");
    }
    let state = take_ceremony(&console, &signed).await;
    let Some(state) = state.and_then(|s| serde_json::from_str::<PasskeyRegistration>(&s).ok())
    else {
        return json_error(StatusCode::BAD_REQUEST, "no_ceremony");
    };
    let Ok(key) = console
        .webauthn
        .finish_passkey_registration(&credential, &state)
    else {
        return json_error(StatusCode::BAD_REQUEST, "refused");
    };
    let Ok(serialised) = serde_json::to_string(&key) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable");
    };
    let now = console.clock.now();
    let record = UserPasskey {
        credential_id: credential_id(key.cred_id().as_ref()),
        tenant: signed.user.tenant,
        user: signed.user.id,
        name: visit.device_label(),
        passkey: serialised,
        created: now,
        last_used: Some(now),
    };
    let event = signed
        .event(EventKind::AuthMfa, now, visit.ip)
        .with_detail("method", "passkey-registered")
        .with_detail("outcome", "ok");
    if console
        .store
        .add_user_passkey(&record, &[event])
        .await
        .is_err()
    {
        return json_error(StatusCode::CONFLICT, "already_registered");
    }
    if signed.stage() == Stage::Enrol {
        redirect_json(console.complete(&visit, &signed, "passkey").await)
    } else {
        Json(json!({ "redirect": "/console/sessions" })).into_response()
    }
}

/// `POST /console/sign-out`.
pub(crate) async fn sign_out(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    if let Ok(signed) = console.session_of(&visit).await {
        if !form_ok(&headers, &signed, &form.csrf) {
            return pages::forbidden();
        }
        let now = console.clock.now();
        let event = signed.event(EventKind::AuthLogout, now, visit.ip);
        let _ = console
            .store
            .end_user_session(signed.user.id, &signed.session.id_hash, now, &[event])
            .await;
    }
    let cookies = [clear_cookie(SESSION_COOKIE, "/")];
    pages::notice(
        StatusCode::OK,
        Frame::anonymous(""),
        "You have signed out",
        "Your session has ended on this device.",
        "/console/sign-in",
        "Sign in again",
    )
    .into_response()
    .map_cookies(&cookies)
}

trait WithCookies {
    fn map_cookies(self, cookies: &[String]) -> Response;
}

impl WithCookies for Response {
    fn map_cookies(mut self, cookies: &[String]) -> Response {
        for c in cookies {
            if let Ok(v) = axum::http::HeaderValue::from_str(c) {
                self.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
        }
        self
    }
}
