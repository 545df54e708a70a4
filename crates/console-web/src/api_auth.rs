//! A console session as the credential of the older `/api/v1` and `/audit/v1` routes (the
//! policy, portal copies, API keys and the audit trail), which the binary serves and which
//! otherwise take HTTP Basic with an app password.
//!
//! **What it does:** [`Console::api_user`] checks the session cookie of a request exactly
//! as the console's own JSON twins do: a live full session of an enabled person, the
//! token-replay defence (a cookie used from another network and browser must step up),
//! for a write the `x-csrf-token` header and no cross-site request, and for a sensitive
//! write a step-up within the window. It does not check roles: each route knows which
//! roles it admits.
//!
//! **Security:** the session cookie is `SameSite=Strict` and `HttpOnly`; the anti-forgery
//! header is required on every write as well, since a browser attaches the cookie by
//! itself. Refusals are generic (`unauthorised`, `step_up_required`, `forgery`), like the
//! JSON twins'.
//!
//! **PHI:** none passes through here.

use std::net::IpAddr;

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use portal::secrets;
use serde_json::json;
use storage::User;

use crate::Console;
use crate::session::{ClientIp, NoSession, SESSION_COOKIE, Stage, Visit, cross_site};

/// What a route does with the caller's authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiNeed {
    /// Reads: a live session is enough.
    Read,
    /// Writes: the session's anti-forgery token in `x-csrf-token` too.
    Write,
    /// Sensitive writes (the policy, API keys): also a step-up within the window.
    Sensitive,
}

/// Why a console session was not accepted as an API credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiRefusal {
    /// No session, or one that ended, idled out, is not fully signed in, or whose person
    /// was disabled (401).
    Unauthorised,
    /// The cookie came from another network and browser than it was issued to, or a
    /// sensitive write without a recent step-up: prove a factor again (401 / 403).
    StepUpRequired {
        /// Whether the session itself is not honoured (401) or only the action needs a
        /// fresher proof (403).
        session: bool,
    },
    /// A write without the session's `x-csrf-token`, or from another site (403).
    Forgery,
}

impl IntoResponse for ApiRefusal {
    fn into_response(self) -> Response {
        let (status, code) = match self {
            ApiRefusal::Unauthorised => (StatusCode::UNAUTHORIZED, "unauthorised"),
            ApiRefusal::StepUpRequired { session: true } => {
                (StatusCode::UNAUTHORIZED, "step_up_required")
            }
            ApiRefusal::StepUpRequired { session: false } => {
                (StatusCode::FORBIDDEN, "step_up_required")
            }
            ApiRefusal::Forgery => (StatusCode::FORBIDDEN, "forgery"),
        };
        (status, Json(json!({ "error": code }))).into_response()
    }
}

impl Console {
    /// Whether a request carries a console session cookie at all (so a caller can tell
    /// "no credential" from "a session that is not accepted").
    pub fn has_session_cookie(headers: &HeaderMap) -> bool {
        Visit::new(headers, None).cookie(SESSION_COOKIE).is_some()
    }

    /// The person behind the console session of a request to one of the binary's API
    /// routes, checked for `need` (see the module doc). `ip` is the client's address.
    pub async fn api_user(
        &self,
        headers: &HeaderMap,
        ip: Option<IpAddr>,
        need: ApiNeed,
    ) -> Result<User, ApiRefusal> {
        let client = ip.map(ClientIp);
        let visit = Visit::new(headers, client.as_ref());
        let signed = match self.session_of(&visit).await {
            Ok(s) if s.stage() == Stage::Full => s,
            Ok(_) | Err(NoSession::SignIn) => return Err(ApiRefusal::Unauthorised),
            Err(NoSession::StepUp) => return Err(ApiRefusal::StepUpRequired { session: true }),
        };
        if need != ApiNeed::Read {
            let token = headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if cross_site(headers) || !secrets::constant_time_eq(token, &signed.session.csrf_token)
            {
                return Err(ApiRefusal::Forgery);
            }
        }
        if need == ApiNeed::Sensitive
            && !self.recently_stepped_up(&signed.session, self.clock.now())
        {
            return Err(ApiRefusal::StepUpRequired { session: false });
        }
        Ok(signed.user)
    }
}
