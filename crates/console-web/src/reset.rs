//! A forgotten password: a link e-mailed to the person (NIST SP 800-63B-4: a short-lived,
//! single-use secret sent to an address the account already has).
//!
//! `POST /console/forgot` answers the same whether or not the address has an account (no
//! enumeration). For a real, enabled person it starts a pending session at the "choose a
//! password" stage and e-mails its id in a link: `/console/reset/{token}` turns it into
//! the session cookie, the person chooses a new password and then still proves their
//! second factor, so control of the mailbox alone never signs anyone in. The link works
//! once (changing the password ends that session) and for 10 minutes; at most 3 links are
//! live per person, so the form cannot be used to flood a mailbox.

use std::sync::Arc;

use audit::{Actor, AuditEvent, EventKind};
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use model::EmailAddress;
use portal::secrets;
use serde::Deserialize;

use crate::Console;
use crate::pages::{self, ForgotPage, Frame, html};
use crate::session::{
    ClientIp, PENDING_TTL, PRE_COOKIE, SESSION_COOKIE, Stage, Visit, cross_site, see_other,
    set_cookie,
};

/// Live reset links per person at most.
const MAX_LIVE_LINKS: usize = 3;

#[derive(Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
}

fn form(sent: bool) -> Response {
    let csrf = secrets::new_csrf_token();
    let cookie = set_cookie(PRE_COOKIE, &csrf, "/console", PENDING_TTL);
    html(
        StatusCode::OK,
        &ForgotPage {
            title: "Forgot your password?",
            script: false,
            frame: Frame::anonymous_with(csrf),
            sent,
        },
        &[cookie],
    )
}

/// `GET /console/forgot`.
pub(crate) async fn page() -> Response {
    form(false)
}

/// `POST /console/forgot`: the same answer for every address.
pub(crate) async fn send(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(f): Form<ForgotForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let pre = visit.cookie(PRE_COOKIE).unwrap_or_default();
    if cross_site(&headers) || pre.is_empty() || !secrets::constant_time_eq(pre, &f.csrf) {
        return pages::forbidden();
    }
    let typed: String = f.address.trim().chars().take(320).collect();
    if let Ok(address) = EmailAddress::parse(&typed)
        && let Ok(user) = console.store.user_by_address(&address).await
        && !user.disabled
    {
        console.send_reset_link(&visit, &user).await;
    }
    form(true)
}

impl Console {
    async fn send_reset_link(&self, visit: &Visit, user: &storage::User) {
        let Some((intake, hostname)) = &self.mail else {
            tracing::warn!("a password reset was asked for, but the console sends no e-mail");
            return;
        };
        let now = self.clock.now();
        let live = self
            .store
            .user_sessions(user.id)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| Stage::of(&s.method) == Stage::Password && s.live_at(now, PENDING_TTL))
            .count();
        if live >= MAX_LIVE_LINKS {
            return;
        }
        let event = AuditEvent::new(
            0,
            now,
            Actor::User { id: user.id },
            EventKind::AuthPasswordResetSent,
        )
        .with_tenant(user.tenant)
        .with_source_ip(visit.ip);
        let Ok((token, _)) = self
            .issue_session(
                &visit.unbound(),
                user,
                Stage::Password,
                Stage::Password.method(),
                &[event],
            )
            .await
        else {
            return;
        };
        let link = format!(
            "{}/console/reset/{token}",
            self.settings.public_url.trim_end_matches('/')
        );
        let body = format!(
            "Someone (we hope you) asked to choose a new password for the carepost console.\n\n\
             To choose one, open this link within 10 minutes:\n\n{link}\n\n\
             After the new password you will still confirm with your passkey or \
             authenticator app.\n\n\
             If you did not ask for this, ignore this e-mail: your password stays as it is. \
             Tell your administrator if it keeps happening.\n"
        );
        let data = message::notice::plain_text(
            hostname,
            std::slice::from_ref(&user.address),
            "Choose a new password for the carepost console",
            &body,
        );
        if let Err(e) =
            relay::notices::submit_notice(intake, user.tenant, vec![user.address.clone()], data)
                .await
        {
            tracing::error!(error = %e, "the password-reset e-mail could not be queued");
        }
    }
}

/// `GET /console/reset/{token}`: the link from the e-mail becomes the session cookie.
pub(crate) async fn open(
    State(console): State<Arc<Console>>,
    Path(token): Path<String>,
) -> Response {
    let now = console.clock.now();
    let live = match secrets::token_hash(&token) {
        Some(hash) => console
            .store
            .user_session(&hash)
            .await
            .ok()
            .filter(|s| Stage::of(&s.method) == Stage::Password && s.live_at(now, PENDING_TTL)),
        None => None,
    };
    if live.is_none() {
        return pages::notice(
            StatusCode::NOT_FOUND,
            Frame::anonymous(""),
            "This link no longer works",
            "Password links work once, for 10 minutes. Ask for a new one.",
            "/console/forgot",
            "Ask for a new link",
        );
    }
    see_other(
        "/console/password",
        &[set_cookie(SESSION_COOKIE, &token, "/", PENDING_TTL)],
    )
}
