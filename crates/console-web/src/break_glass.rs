//! Break-glass access: an emergency way into the console when the organisation's sign-in
//! service or a person's second factor is unavailable.
//!
//! An operator issues a person a single-use code (`carepost user break-glass ADDRESS`,
//! kept as an argon2id hash; the person keeps the code somewhere safe). Using it needs the
//! address, the code and a reason of at least 20 characters. It opens a session of at most
//! one hour, records `auth.break_glass` (the alerts task e-mails the organisation's
//! administrators and compliance officers at once) and keeps the reason sealed: it is free
//! text and might name a patient, so the audit event holds only its length. Failed
//! attempts count toward the same throttle and lockout as passwords.

use std::sync::Arc;

use audit::{Actor, AuditEvent, EventKind};
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use model::EmailAddress;
use portal::secrets;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::Console;
use crate::pages::{self, BreakGlassPage, Frame, html};
use crate::session::{
    ClientIp, PENDING_TTL, PRE_COOKIE, Stage, Visit, clear_cookie, cross_site, see_other,
    set_cookie,
};

/// The session method of an emergency session (its lifetime is capped, see `session.rs`).
pub(crate) const METHOD: &str = "break-glass";
/// Shortest reason accepted.
const MIN_REASON_CHARS: usize = 20;
/// Longest reason accepted.
const MAX_REASON_CHARS: usize = 1000;
/// The one answer to a wrong address or code.
const WRONG: &str = "The e-mail address or break-glass code is not right.";

#[derive(Deserialize)]
pub(crate) struct BreakGlassForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    code: Zeroizing<String>,
    #[serde(default)]
    reason: Zeroizing<String>,
}

fn form(csrf: String, problem: Option<&str>, address: &str, status: StatusCode) -> Response {
    let cookie = set_cookie(PRE_COOKIE, &csrf, "/console", PENDING_TTL);
    html(
        status,
        &BreakGlassPage {
            title: "Emergency access",
            script: false,
            frame: Frame::anonymous_with(csrf),
            problem,
            address,
        },
        &[cookie],
    )
}

/// `GET /console/break-glass`.
pub(crate) async fn page() -> Response {
    form(secrets::new_csrf_token(), None, "", StatusCode::OK)
}

impl Console {
    async fn refuse_break_glass(
        &self,
        visit: &Visit,
        user: Option<&storage::User>,
        reason: &'static str,
        shown: &str,
        address: &str,
    ) -> Response {
        self.record_failed_sign_in(visit, user, "console-break-glass", reason)
            .await;
        form(
            secrets::new_csrf_token(),
            Some(shown),
            address,
            StatusCode::UNAUTHORIZED,
        )
    }
}

/// `POST /console/break-glass`.
pub(crate) async fn use_code(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(f): Form<BreakGlassForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let pre = visit.cookie(PRE_COOKIE).unwrap_or_default();
    if cross_site(&headers) || pre.is_empty() || !secrets::constant_time_eq(pre, &f.csrf) {
        return pages::forbidden();
    }
    let typed: String = f.address.trim().chars().take(320).collect();
    let reason_chars = f.reason.trim().chars().count();
    if !(MIN_REASON_CHARS..=MAX_REASON_CHARS).contains(&reason_chars) {
        return form(
            secrets::new_csrf_token(),
            Some("Say why you need emergency access: 20 to 1000 characters."),
            &typed,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let user = match EmailAddress::parse(&typed) {
        Ok(a) => console.store.user_by_address(&a).await.ok(),
        Err(_) => None,
    };
    let hash = match &user {
        Some(u) if !u.disabled => console.store.unused_break_glass(u.id).await.ok().flatten(),
        _ => None,
    };
    let (Some(user), Some(hash)) = (user, hash) else {
        // Spend the time of a real check, so timing does not tell who has a code.
        let decoy = console.decoy_hash.clone();
        let code = f.code.clone();
        let _ = tokio::task::spawn_blocking(move || auth::verify_secret(&code, &decoy)).await;
        return console
            .refuse_break_glass(&visit, None, "no_break_glass_code", WRONG, &typed)
            .await;
    };
    let now = console.clock.now();
    let (failures, last) = console
        .store
        .sign_in_failures(user.id)
        .await
        .unwrap_or((0, None));
    let waiting = last.is_some_and(|l| now.since(l) < console.throttle.delay(failures));
    if console.throttle.locked(failures) || waiting {
        return console
            .refuse_break_glass(&visit, Some(&user), "throttled", WRONG, &typed)
            .await;
    }
    let code = f.code.clone();
    let right = tokio::task::spawn_blocking(move || auth::verify_secret(code.trim(), &hash))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(false);
    if !right {
        let _ = console.store.record_sign_in_failure(user.id, now).await;
        return console
            .refuse_break_glass(&visit, Some(&user), "bad_break_glass_code", WRONG, &typed)
            .await;
    }
    let aad = format!("{}/break-glass", user.id);
    let Ok(sealed) = console
        .keys
        .seal(user.tenant, aad.as_bytes(), f.reason.trim().as_bytes())
    else {
        return pages::unavailable();
    };
    let event = AuditEvent::new(
        0,
        now,
        Actor::User { id: user.id },
        EventKind::AuthBreakGlass,
    )
    .with_tenant(user.tenant)
    .with_source_ip(visit.ip)
    .with_detail("reason_chars", reason_chars as u64);
    match console
        .store
        .use_break_glass(user.id, now, &sealed, &[event])
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return console
                .refuse_break_glass(&visit, Some(&user), "break_glass_code_used", WRONG, &typed)
                .await;
        }
        Err(_) => return pages::unavailable(),
    }
    let _ = console.store.clear_sign_in_failures(user.id).await;
    let login = AuditEvent::new(0, now, Actor::User { id: user.id }, EventKind::AuthLogin)
        .with_tenant(user.tenant)
        .with_source_ip(visit.ip)
        .with_detail("method", "console-break-glass");
    match console
        .start_session(&visit, &user, Stage::Full, METHOD, &[login])
        .await
    {
        Ok(cookie) => see_other("/console", &[cookie, clear_cookie(PRE_COOKIE, "/console")]),
        Err(r) => r,
    }
}
