//! The console's pages (askama templates, escaped by default) and the response helpers
//! that send them with the console's security headers.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const CONSOLE_CSS: &str = include_str!("../static/console.css");

/// What the page header needs about who is signed in.
pub(crate) struct Frame {
    pub(crate) who: Option<String>,
    pub(crate) admin: bool,
    /// Whether the person may see the organisation's figures (the dashboard).
    pub(crate) figures: bool,
    /// Whether the person may see message details (the queue).
    pub(crate) details: bool,
    /// Whether the person may read the audit trail.
    pub(crate) trail: bool,
    /// Whether the person may see the policy (and run dry runs).
    pub(crate) policy: bool,
    /// Whether the person reviews quarantine.
    pub(crate) quarantine: bool,
    /// Whether the person manages groups (`Permission::ManageUsers`).
    pub(crate) groups: bool,
    /// Whether the person may see the conditional-access policy.
    pub(crate) access: bool,
    pub(crate) csrf: String,
}

impl Frame {
    pub(crate) fn anonymous(csrf: &str) -> Self {
        Self::anonymous_with(csrf.to_string())
    }

    /// A page before sign-in completes: no navigation, the given anti-forgery token.
    pub(crate) fn anonymous_with(csrf: String) -> Self {
        Self {
            who: None,
            admin: false,
            figures: false,
            details: false,
            trail: false,
            policy: false,
            quarantine: false,
            groups: false,
            access: false,
            csrf,
        }
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
pub(crate) struct SignInPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) problem: Option<&'a str>,
    pub(crate) address: &'a str,
    pub(crate) sso: bool,
}

#[derive(Template)]
#[template(path = "forgot.html")]
pub(crate) struct ForgotPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) sent: bool,
}

#[derive(Template)]
#[template(path = "break_glass.html")]
pub(crate) struct BreakGlassPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) problem: Option<&'a str>,
    pub(crate) address: &'a str,
}

#[derive(Template)]
#[template(path = "password.html")]
pub(crate) struct PasswordPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) problem: Option<String>,
    pub(crate) rule: String,
}

#[derive(Template)]
#[template(path = "factor.html")]
pub(crate) struct FactorPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) heading: &'a str,
    pub(crate) explanation: &'a str,
    pub(crate) problem: Option<&'a str>,
    pub(crate) passkey: bool,
    pub(crate) totp: bool,
    pub(crate) recovery: bool,
}

pub(crate) struct TotpSetup {
    pub(crate) secret: String,
    pub(crate) url: String,
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub(crate) struct EnrolPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) explanation: &'a str,
    pub(crate) problem: Option<&'a str>,
    pub(crate) totp: Option<TotpSetup>,
}

#[derive(Template)]
#[template(path = "codes.html")]
pub(crate) struct CodesPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) address: String,
    pub(crate) role: String,
    pub(crate) organisation: String,
    pub(crate) method: String,
    pub(crate) queue: Vec<(String, u64)>,
}

pub(crate) struct SessionRow {
    pub(crate) handle: String,
    pub(crate) device: String,
    pub(crate) ip: String,
    pub(crate) created: String,
    pub(crate) last_seen: String,
    pub(crate) current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
pub(crate) struct SessionsPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) note: Option<String>,
    pub(crate) sessions: Vec<SessionRow>,
}

pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) address: String,
    pub(crate) role: String,
    pub(crate) disabled: bool,
    pub(crate) factors: String,
    pub(crate) sessions: usize,
    /// The signed-in admin's own row (no "disable" button).
    pub(crate) is_self: bool,
    /// Whether this admin may give the person's current role (an admin's list has no
    /// "owner"; an owner's row then shows it alone as the selected option).
    pub(crate) role_offered: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
pub(crate) struct UsersPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) note: Option<String>,
    pub(crate) problem: Option<String>,
    /// A new person's one-time password, shown once.
    pub(crate) revealed: Option<zeroize::Zeroizing<String>>,
    /// The roles this admin may give.
    pub(crate) roles: Vec<&'static str>,
    pub(crate) users: Vec<UserRow>,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub(crate) struct NoticePage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) heading: &'a str,
    pub(crate) text: &'a str,
    pub(crate) next: &'a str,
    pub(crate) next_label: &'a str,
}

/// An HTML page with the console's security headers and any cookies to set.
pub(crate) fn html(status: StatusCode, page: &impl Template, cookies: &[String]) -> Response {
    let Ok(body) = page.render() else {
        return unavailable();
    };
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    for (name, value) in portal::headers::security_headers(false) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// A full-page notice.
pub(crate) fn notice(
    status: StatusCode,
    frame: Frame,
    heading: &str,
    text: &str,
    next: &str,
    next_label: &str,
) -> Response {
    html(
        status,
        &NoticePage {
            title: heading,
            script: false,
            frame,
            heading,
            text,
            next,
            next_label,
        },
        &[],
    )
}

/// Storage is down: say so, without detail.
pub(crate) fn unavailable() -> Response {
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        "The console is unavailable for a moment. Please try again.",
    )
        .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    r
}

/// A refused form (another site's post, or an expired form).
pub(crate) fn forbidden() -> Response {
    notice(
        StatusCode::FORBIDDEN,
        Frame::anonymous(""),
        "This form has expired",
        "For your safety the form could not be accepted. Please go back and try again.",
        "/console",
        "Back to the console",
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

pub(crate) async fn css() -> Response {
    asset("text/css; charset=utf-8", CONSOLE_CSS)
}

pub(crate) async fn passkey_js() -> Response {
    asset("text/javascript; charset=utf-8", portal::pages::PASSKEY_JS)
}

/// A timestamp for people: `2026-11-30 14:05 UTC`.
pub(crate) fn when(t: model::Timestamp) -> String {
    let s = t.to_rfc3339();
    format!(
        "{} {} UTC",
        &s[..10.min(s.len())],
        s.get(11..16).unwrap_or("")
    )
}
