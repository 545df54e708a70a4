//! Signed-in pages: the home page, a person's own sessions, and (for owners and admins)
//! the organisation's users; with their JSON twins under `/api/v1`.
//!
//! Ending someone else's sessions and resetting their second factors are sensitive: they
//! need a step-up in the last few minutes, and they act only on users of the admin's own
//! organisation (another organisation's user is "not found", and the attempt is audited).

use std::sync::Arc;

use audit::{EventKind, Subject};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::{Role, UserId};
use portal::secrets;
use serde::Deserialize;
use serde_json::json;
use storage::User;

use crate::Console;
use crate::guard::{ANYONE, Guard};
use crate::pages::{self, HomePage, SessionRow, SessionsPage, UserRow, UsersPage, html};
use crate::session::{
    ClientIp, NoSession, SESSION_COOKIE, Signed, Stage, Visit, clear_cookie, cross_site, see_other,
};

#[derive(Deserialize)]
pub(crate) struct EndForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Who may manage the organisation's users: owners and admins.
pub(crate) const ADMINS: Guard = Guard::new(
    |signed| matches!(signed.user.role, Role::Owner | Role::Admin),
    "Only owners and administrators manage users.",
);

/// Owners and admins, for an action that also needs a recent step-up (every change to a
/// person).
pub(crate) const ADMINS_STEPPED_UP: Guard = ADMINS.stepped_up();

/// A full session for a page, or where to go instead.
pub(crate) async fn signed_in(console: &Console, visit: &Visit) -> Result<Signed, Response> {
    match console.session_of(visit).await {
        Ok(s) if s.stage() == Stage::Full => Ok(s),
        Ok(s) => Err(see_other(
            match s.stage() {
                Stage::Password => "/console/password",
                Stage::Factor => "/console/factor",
                _ => "/console/enrol",
            },
            &[],
        )),
        Err(NoSession::StepUp) => Err(see_other("/console/step-up", &[])),
        Err(NoSession::SignIn) => Err(see_other(
            "/console/sign-in",
            &[clear_cookie(SESSION_COOKIE, "/")],
        )),
    }
}

/// A full session for a JSON twin, or the JSON refusal.
pub(crate) async fn signed_in_json(console: &Console, visit: &Visit) -> Result<Signed, Response> {
    match console.session_of(visit).await {
        Ok(s) if s.stage() == Stage::Full => Ok(s),
        Err(NoSession::StepUp) => Err(json_error(StatusCode::UNAUTHORIZED, "step_up_required")),
        _ => Err(json_error(StatusCode::UNAUTHORIZED, "unauthorised")),
    }
}

pub(crate) fn json_error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}

/// A JSON refusal with a message for people as well as its code (the person's mistake,
/// never an internal detail).
pub(crate) fn json_problem(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": code, "message": message }))).into_response()
}

/// A refused policy document (mail or access policy) with where its first fault is.
pub(crate) fn invalid_policy_json(message: &str, line: usize, column: usize) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "invalid_policy",
            "message": message,
            "line": line,
            "column": column,
        })),
    )
        .into_response()
}

pub(crate) fn csrf_ok(headers: &HeaderMap, signed: &Signed, token: &str) -> bool {
    !cross_site(headers) && secrets::constant_time_eq(token, &signed.session.csrf_token)
}

pub(crate) fn header_csrf(headers: &HeaderMap) -> &str {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// `GET /console`.
pub(crate) async fn home(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match signed_in(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let organisation = console
        .store
        .tenant(signed.user.tenant)
        .await
        .map(|t| t.name)
        .unwrap_or_default();
    let queue = console
        .store
        .count_by_status(Some(signed.user.tenant))
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    let frame = crate::signin::frame(&signed);
    html(
        StatusCode::OK,
        &HomePage {
            title: "Console",
            script: false,
            frame,
            address: signed.user.address.to_string(),
            role: signed.user.role.to_string(),
            organisation,
            method: signed.session.method.replace('-', " "),
            queue,
        },
        &[],
    )
}

/// `GET /api/v1/me`: who is signed in.
pub(crate) async fn me_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match signed_in_json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    Json(json!({
        "id": signed.user.id,
        "address": signed.user.address,
        "role": signed.user.role,
        "organisation": signed.user.tenant,
        "method": signed.session.method,
        "session_expires": signed.session.expires.to_rfc3339(),
        "csrf_token": signed.session.csrf_token,
    }))
    .into_response()
}

fn session_rows(signed: &Signed, sessions: &[storage::UserSession]) -> Vec<SessionRow> {
    sessions
        .iter()
        .map(|s| SessionRow {
            handle: s.id_hash.clone(),
            device: s.device_label.clone(),
            ip: s.ip.clone(),
            created: pages::when(s.created),
            last_seen: pages::when(s.last_seen),
            current: s.id_hash == signed.session.id_hash,
        })
        .collect()
}

/// A person's live sessions (pending sign-ins are not shown).
async fn live_sessions(console: &Console, user: UserId) -> Vec<storage::UserSession> {
    let now = console.clock.now();
    console
        .store
        .user_sessions(user)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|s| {
            Stage::of(&s.method) == Stage::Full && s.live_at(now, console.settings.session_idle)
        })
        .collect()
}

async fn sessions_view(console: &Console, signed: &Signed, note: Option<String>) -> Response {
    let sessions = live_sessions(console, signed.user.id).await;
    let frame = crate::signin::frame(signed);
    html(
        StatusCode::OK,
        &SessionsPage {
            title: "Your sessions",
            script: false,
            frame,
            note,
            sessions: session_rows(signed, &sessions),
        },
        &[],
    )
}

/// `GET /console/sessions`.
pub(crate) async fn sessions_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match signed_in(&console, &visit).await {
        Ok(signed) => sessions_view(&console, &signed, None).await,
        Err(r) => r,
    }
}

/// `GET /api/v1/me/sessions`.
pub(crate) async fn sessions_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match signed_in_json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let sessions = live_sessions(&console, signed.user.id).await;
    Json(
        sessions
            .iter()
            .map(|s| {
                json!({
                    "id": s.id_hash,
                    "device": s.device_label,
                    "ip": s.ip,
                    "method": s.method,
                    "created": s.created.to_rfc3339(),
                    "last_seen": s.last_seen.to_rfc3339(),
                    "expires": s.expires.to_rfc3339(),
                    "current": s.id_hash == signed.session.id_hash,
                })
            })
            .collect::<Vec<_>>(),
    )
    .into_response()
}

impl Console {
    /// End one of the caller's own sessions.
    async fn end_own(&self, signed: &Signed, handle: &str, ip: std::net::IpAddr) -> Option<bool> {
        let now = self.clock.now();
        let event = signed
            .event(EventKind::AuthSessionEnded, now, ip)
            .with_detail("why", "ended_by_user");
        self.store
            .end_user_session(signed.user.id, handle, now, &[event])
            .await
            .ok()
    }
}

/// `POST /console/sessions/end`.
pub(crate) async fn end_session_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<EndForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ANYONE.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let note = match console.end_own(&signed, &form.session, visit.ip).await {
        Some(true) => "That session has ended.",
        _ => "That session had already ended.",
    };
    sessions_view(&console, &signed, Some(note.to_string())).await
}

#[derive(Deserialize)]
pub(crate) struct EndJson {
    id: String,
}

/// `POST /api/v1/me/sessions/end` `{"id": …}` (with `x-csrf-token`).
pub(crate) async fn end_session_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(body): Json<EndJson>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ANYONE.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.end_own(&signed, &body.id, visit.ip).await {
        Some(ended) => Json(json!({ "id": body.id, "ended": ended })).into_response(),
        None => json_error(StatusCode::NOT_FOUND, "no_such_session"),
    }
}

/// `POST /console/sessions/end-others`.
pub(crate) async fn end_other_sessions_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ANYONE.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let now = console.clock.now();
    let event = signed
        .event(EventKind::AuthSessionEnded, now, visit.ip)
        .with_detail("why", "ended_by_user");
    let n = console
        .store
        .end_user_sessions(signed.user.id, Some(&signed.session.id_hash), now, &[event])
        .await
        .unwrap_or(0);
    let note = format!("{n} other session{} ended.", if n == 1 { "" } else { "s" });
    sessions_view(&console, &signed, Some(note)).await
}

impl Console {
    /// A user of the admin's own organisation; another organisation's user (or an unknown
    /// id) is `None`, and asking for one is audited.
    pub(crate) async fn managed_user(
        &self,
        admin: &Signed,
        id: &str,
        ip: std::net::IpAddr,
    ) -> Option<User> {
        let user = match id.parse::<UserId>() {
            Ok(id) => self.store.user(id).await.ok(),
            Err(_) => None,
        };
        match user {
            Some(u) if u.tenant == admin.user.tenant => Some(u),
            Some(u) => {
                self.record(
                    admin
                        .refusal(self.clock.now(), ip, "other_organisation")
                        .with_subject(Subject {
                            user: Some(u.id),
                            ..Subject::default()
                        }),
                )
                .await;
                None
            }
            None => None,
        }
    }

    async fn users_view(&self, signed: &Signed, note: Option<String>) -> Response {
        self.users_view_with(signed, note.map_or(UsersNote::None, UsersNote::Note))
            .await
    }

    /// The users page with a note, a problem, or a new person's one-time password.
    pub(crate) async fn users_view_with(&self, signed: &Signed, note: UsersNote) -> Response {
        let users = self
            .store
            .users(signed.user.tenant)
            .await
            .unwrap_or_default();
        let mut rows = Vec::with_capacity(users.len());
        for u in &users {
            rows.push(UserRow {
                id: u.id.to_string(),
                address: u.address.to_string(),
                role: u.role.to_string(),
                disabled: u.disabled,
                factors: self.factor_summary(u).await,
                sessions: live_sessions(self, u.id).await.len(),
                is_self: u.id == signed.user.id,
                role_offered: u.role != Role::Owner || signed.user.role == Role::Owner,
            });
        }
        let frame = crate::signin::frame(signed);
        let (status, note, problem, revealed) = match note {
            UsersNote::None => (StatusCode::OK, None, None, None),
            UsersNote::Note(n) => (StatusCode::OK, Some(n), None, None),
            UsersNote::Problem(p) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(p), None),
            UsersNote::Added { address, password } => (
                StatusCode::OK,
                Some(format!(
                    "{address} was added. Give them this one-time password by a separate \
                     channel (phone, in person): it is shown only now, and they choose their \
                     own at their first sign-in."
                )),
                None,
                Some(password),
            ),
        };
        // An admin may give every role but owner; an owner every role.
        let roles = Role::ALL
            .iter()
            .filter(|r| **r != Role::Owner || signed.user.role == Role::Owner)
            .map(|r| r.as_str())
            .collect();
        html(
            status,
            &UsersPage {
                title: "Users",
                script: false,
                frame,
                note,
                problem,
                revealed,
                roles,
                users: rows,
            },
            &[],
        )
    }

    async fn factor_summary(&self, u: &User) -> String {
        let passkeys = self
            .store
            .user_passkeys(u.id)
            .await
            .unwrap_or_default()
            .len();
        let totp = self
            .store
            .user_totp(u.id)
            .await
            .ok()
            .flatten()
            .is_some_and(|t| t.confirmed.is_some());
        match (passkeys, totp) {
            (0, false) => "none yet".to_string(),
            (0, true) => "authenticator app".to_string(),
            (n, false) => format!("{n} passkey{}", if n == 1 { "" } else { "s" }),
            (n, true) => format!(
                "{n} passkey{} and an authenticator app",
                if n == 1 { "" } else { "s" }
            ),
        }
    }
}

/// What the users page says besides the list.
pub(crate) enum UsersNote {
    /// Nothing.
    None,
    /// What was done.
    Note(String),
    /// Why it was not done.
    Problem(String),
    /// A person was added: their one-time password, shown once.
    Added {
        address: String,
        password: zeroize::Zeroizing<String>,
    },
}

/// `GET /console/users`.
pub(crate) async fn users_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match ADMINS.page(&console, &visit).await {
        Ok(signed) => console.users_view(&signed, None).await,
        Err(r) => r,
    }
}

/// `GET /api/v1/users`: the organisation's users (owners and admins).
pub(crate) async fn users_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ADMINS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let users = console
        .store
        .users(signed.user.tenant)
        .await
        .unwrap_or_default();
    let mut out = Vec::with_capacity(users.len());
    for u in &users {
        out.push(json!({
            "id": u.id,
            "address": u.address,
            "role": u.role,
            "disabled": u.disabled,
            "second_factors": console.factor_summary(u).await,
            "sessions": live_sessions(&console, u.id).await.len(),
        }));
    }
    Json(out).into_response()
}

impl Console {
    /// End every session of a user of the admin's organisation (step-up needed).
    pub(crate) async fn end_all_of(
        &self,
        admin: &Signed,
        target: &User,
        ip: std::net::IpAddr,
    ) -> u64 {
        let now = self.clock.now();
        let event = admin
            .event(EventKind::AuthSessionEnded, now, ip)
            .with_subject(Subject {
                user: Some(target.id),
                ..Subject::default()
            })
            .with_detail("why", "ended_by_admin");
        // An admin ending their own sessions keeps the one they are using.
        let keep = (target.id == admin.user.id).then_some(admin.session.id_hash.as_str());
        self.store
            .end_user_sessions(target.id, keep, now, &[event])
            .await
            .unwrap_or(0)
    }
}

/// The guard of an admin's form action on a user: an admin's full session, the form's
/// anti-forgery token, a recent step-up (else off to prove a factor), and a user of the
/// admin's own organisation.
pub(crate) async fn admin_action(
    console: &Console,
    visit: &Visit,
    headers: &HeaderMap,
    csrf: &str,
    id: &str,
) -> Result<(Signed, User), Response> {
    let signed = ADMINS_STEPPED_UP
        .form(console, visit, headers, csrf)
        .await?;
    match console.managed_user(&signed, id, visit.ip).await {
        Some(target) => Ok((signed, target)),
        None => Err(console
            .users_view(&signed, Some("No such user.".to_string()))
            .await),
    }
}

/// An admin may not end an owner's sessions or reset an owner's second factors: only an
/// owner acts on an owner (as for role changes and disabling), so a compromised admin
/// account cannot strip the owners' passkeys.
const OWNERS_ONLY: &str =
    "Only an owner can end an owner's sessions or reset their second factors.";

fn acts_on_owner_without_being_one(signed: &Signed, target: &User) -> bool {
    target.role == Role::Owner && signed.user.role != Role::Owner
}

/// `POST /console/users/{id}/end-sessions`.
pub(crate) async fn end_user_sessions_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let (signed, target) = match admin_action(&console, &visit, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if acts_on_owner_without_being_one(&signed, &target) {
        return console
            .users_view(&signed, Some(OWNERS_ONLY.to_string()))
            .await;
    }
    let n = console.end_all_of(&signed, &target, visit.ip).await;
    console
        .users_view(
            &signed,
            Some(format!(
                "{n} session{} of {} ended.",
                if n == 1 { "" } else { "s" },
                target.address
            )),
        )
        .await
}

/// `POST /api/v1/users/{id}/end-sessions` (with `x-csrf-token`; step-up needed).
pub(crate) async fn end_user_sessions_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ADMINS_STEPPED_UP
        .json_write(&console, &visit, &headers)
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(target) = console.managed_user(&signed, &id, visit.ip).await else {
        return json_error(StatusCode::NOT_FOUND, "no_such_user");
    };
    if acts_on_owner_without_being_one(&signed, &target) {
        return json_problem(StatusCode::FORBIDDEN, "owners_only", OWNERS_ONLY);
    }
    let n = console.end_all_of(&signed, &target, visit.ip).await;
    Json(json!({ "user": target.id, "ended": n })).into_response()
}

impl Console {
    /// Remove `target`'s passkeys, TOTP and recovery codes (audited as `auth.mfa_reset`,
    /// which alerts the admins) and end their sessions. `Ok(sessions ended)`; `Err` when
    /// the store failed and nothing changed.
    async fn reset_factors_of(
        &self,
        admin: &Signed,
        target: &User,
        ip: std::net::IpAddr,
    ) -> Result<u64, ()> {
        let event = admin
            .event(EventKind::AuthMfaReset, self.clock.now(), ip)
            .with_subject(Subject {
                user: Some(target.id),
                ..Subject::default()
            });
        self.store
            .reset_user_factors(target.id, &[event])
            .await
            .map_err(|_| ())?;
        Ok(self.end_all_of(admin, target, ip).await)
    }
}

/// `POST /console/users/{id}/reset-mfa`: remove a user's passkeys, TOTP and recovery
/// codes, and end their sessions; at their next sign-in they set up a factor again.
pub(crate) async fn reset_mfa_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let (signed, target) = match admin_action(&console, &visit, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if target.id == signed.user.id {
        return console
            .users_view(
                &signed,
                Some("Ask another administrator to reset your own second factors.".to_string()),
            )
            .await;
    }
    if acts_on_owner_without_being_one(&signed, &target) {
        return console
            .users_view(&signed, Some(OWNERS_ONLY.to_string()))
            .await;
    }
    if console
        .reset_factors_of(&signed, &target, visit.ip)
        .await
        .is_err()
    {
        return pages::unavailable();
    }
    console
        .users_view(
            &signed,
            Some(format!(
                "The second factors of {} were removed; they set up a new one at their next sign-in.",
                target.address
            )),
        )
        .await
}

/// `POST /api/v1/users/{id}/reset-mfa` (with `x-csrf-token`; a step-up within the
/// window): the JSON twin of the form above.
pub(crate) async fn reset_mfa_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ADMINS_STEPPED_UP
        .json_write(&console, &visit, &headers)
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(target) = console.managed_user(&signed, &id, visit.ip).await else {
        return json_error(StatusCode::NOT_FOUND, "no_such_user");
    };
    if target.id == signed.user.id {
        return json_problem(
            StatusCode::CONFLICT,
            "own_factors",
            "Ask another administrator to reset your own second factors.",
        );
    }
    if acts_on_owner_without_being_one(&signed, &target) {
        return json_problem(StatusCode::FORBIDDEN, "owners_only", OWNERS_ONLY);
    }
    match console.reset_factors_of(&signed, &target, visit.ip).await {
        Ok(ended) => Json(json!({ "user": target.id, "reset": true, "sessions_ended": ended }))
            .into_response(),
        Err(()) => json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    }
}
