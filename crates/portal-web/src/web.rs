//! The recipient's pages.
//!
//! | route | what |
//! |---|---|
//! | `GET /p/{token}` | landing behind the link: who sent it, "email me a code" (no content), "text me a code instead" when the copy has a number and SMS is on |
//! | `POST /p/{token}/code` | send a one-time code to the recipient's address (`via=sms`: by text message) |
//! | `GET /p/{token}/code` | the code form (`?via=sms`: after a text message) |
//! | `POST /p/{token}/verify` | check the code; start a session |
//! | `GET /m/{copy}` | the message (sanitised), attachments, replies, reply form |
//! | `GET /m/{copy}/print` | print view |
//! | `GET /m/{copy}/attachments/{n}` | one attachment, as a download |
//! | `POST /m/{copy}/reply` | a reply, with attachments, through the gateway to the sender |
//! | `POST /portal/sign-out` | end the session |
//! | `GET /portal/static/*` | the stylesheet and the passkey script |
//!
//! Forms before a session carry a token that must match a cookie set with the page
//! (double submit); forms in a session carry the session's own token. Cross-site posts
//! (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not this host) are refused.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use model::{PortalCopyId, PortalItemId, Principal, SubmissionChannel};
use portal::content::parse_message;
use portal::i18n::Lang;
use portal::pages::{self, Brand, CodeProblem, Ctx, Notice, ReplyView};
use portal::sanitize::body_html;
use portal::secrets;
use queue::Submission;
use serde::Deserialize;
use storage::{
    PortalCode, PortalCodeChannel, PortalCopy, PortalLanding, PortalMilestone, PortalReply,
    PortalSession, StorageError,
};

use crate::Portal;
use crate::publish::copy_event;
use crate::views::Shown;

/// The client's address, put into each request's extensions by whoever serves the router
/// (the binary knows its listener; this crate does not).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

pub(crate) type IpLimiter = DefaultKeyedRateLimiter<IpAddr>;

/// A copy that may not be opened, and why (boxed: it travels in `Err`).
pub(crate) type Closed = Box<(Option<PortalCopy>, Refusal)>;

pub(crate) fn ip_limiter(per_minute: u32) -> IpLimiter {
    let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n))
}

const SESSION_COOKIE: &str = "cp_session";
const PRE_COOKIE: &str = "cp_pre";
const LANG_COOKIE: &str = "cp_lang";
/// How often a session's activity is written (see `Portal::session`).
const TOUCH_EVERY: Duration = Duration::from_secs(30);
/// Openings remembered per node before the memory is cleared (see `Portal::openings`).
const MAX_REMEMBERED_OPENINGS: usize = 50_000;
/// Sealed copies up to this size are opened for display on the async worker; larger ones
/// on a blocking thread (parsing and sanitising them takes a while).
const OPEN_INLINE_BYTES: usize = 64 * 1024;
/// Most attachments on one reply.
const MAX_REPLY_FILES: usize = 10;

pub(crate) fn router(portal: Arc<Portal>) -> Router {
    let reply_limit = portal.settings.max_reply_bytes + 64 * 1024;
    Router::new()
        .route("/p/{token}", get(landing))
        .route("/p/{token}/code", get(code_form).post(send_code))
        .route("/p/{token}/verify", post(verify))
        .route("/m/{copy}", get(read))
        .route("/m/{copy}/print", get(print))
        .route("/m/{copy}/attachments/{index}", get(download))
        .route(
            "/m/{copy}/reply",
            post(reply).layer(DefaultBodyLimit::max(reply_limit)),
        )
        .route("/portal/sign-out", post(sign_out))
        .route(
            "/p/{token}/passkey/options",
            post(crate::passkey::sign_in_options),
        )
        .route(
            "/p/{token}/passkey/finish",
            post(crate::passkey::sign_in_finish),
        )
        .route(
            "/m/{copy}/passkey/options",
            post(crate::passkey::register_options),
        )
        .route(
            "/m/{copy}/passkey/finish",
            post(crate::passkey::register_finish),
        )
        .route("/portal/static/portal.css", get(css))
        .route("/portal/static/passkey.js", get(js))
        // Browsers ask for it on every page; "no content" keeps their consoles clean.
        .route("/favicon.ico", get(|| async { asset("image/x-icon", "") }))
        .with_state(portal)
}

/// Language choice in any URL (`?lang=es`) and the "show remote images" switch.
#[derive(Deserialize, Default)]
pub(crate) struct PageQuery {
    lang: Option<String>,
    remote: Option<String>,
    /// `sms` on the code form after a code went by text message.
    via: Option<String>,
}

/// `via=sms` in a form or query: the person chose (or got) a code by text message.
fn via_sms(via: Option<&str>) -> bool {
    via == Some("sms")
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
struct SendCodeForm {
    #[serde(default)]
    csrf: String,
    /// `sms` for a code by text message; anything else (or nothing) is e-mail.
    #[serde(default)]
    via: Option<String>,
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    /// `sms` when the code being answered went by text message (only the wording of a
    /// wrong answer depends on it).
    #[serde(default)]
    via: Option<String>,
    #[serde(default)]
    code: String,
    /// Only on copies whose sender chose a passcode.
    #[serde(default)]
    passcode: String,
}

/// What a request carries that every handler needs.
pub(crate) struct Visit {
    pub(crate) ip: Option<IpAddr>,
    lang: Lang,
    set_lang: Option<String>,
    cookies: Vec<(String, String)>,
    path: String,
}

impl Visit {
    pub(crate) fn new(
        portal: &Portal,
        headers: &HeaderMap,
        ext: Option<&ClientIp>,
        query: &PageQuery,
        path: String,
    ) -> Self {
        let cookies = parse_cookies(headers);
        let chosen = query
            .lang
            .as_deref()
            .filter(|l| portal.catalogs.get(l).is_some());
        let remembered = cookie(&cookies, LANG_COOKIE);
        let lang = portal.catalogs.negotiate(
            chosen.or(remembered),
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        Self {
            ip: ext.map(|c| c.0),
            set_lang: chosen.map(|l| l.to_string()),
            lang,
            cookies,
            path,
        }
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        cookie(&self.cookies, name)
    }
}

/// The hash of the session id in the request's cookie, if it carries a well-formed one.
fn session_hash(visit: &Visit) -> Option<String> {
    secrets::token_hash(visit.cookie(SESSION_COOKIE)?)
}

fn parse_cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .take(32)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn cookie<'a>(cookies: &'a [(String, String)], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty() && v.len() <= 128)
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

/// A page with the portal's security headers.
fn page(status: StatusCode, html: String, remote_images: bool, cookies: &[String]) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    for (name, value) in portal::headers::security_headers(remote_images) {
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

fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A post from another site. Browsers that send `Sec-Fetch-Site` say so directly; for
/// others an `Origin` naming another host gives it away. `Origin: null` is what our own
/// pages send (their `Referrer-Policy: no-referrer` hides the origin of form posts), so it
/// proves nothing either way: the anti-forgery token decides.
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

/// Why a request gets a notice page instead of what it asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    UnknownLink,
    Expired,
    Revoked,
    Locked,
    Unavailable(&'static str),
    Forbidden,
    SessionEnded,
    Throttled,
    CrossSite,
    /// A form without the right anti-forgery token.
    BadToken,
}

impl Refusal {
    fn reason(self) -> &'static str {
        match self {
            Refusal::UnknownLink => "unknown_link",
            Refusal::Expired => "expired",
            Refusal::Revoked => "revoked",
            Refusal::Locked => "locked",
            Refusal::Unavailable(_) => "unavailable",
            Refusal::Forbidden => "forbidden",
            Refusal::SessionEnded => "session_ended",
            Refusal::Throttled => "throttled",
            Refusal::CrossSite => "cross_site",
            Refusal::BadToken => "bad_token",
        }
    }

    fn notice(self) -> Notice {
        match self {
            // A copy the session may not read looks like one that does not exist.
            Refusal::UnknownLink | Refusal::Forbidden => Notice::LinkInvalid,
            Refusal::Expired => Notice::Expired,
            Refusal::Revoked => Notice::Revoked,
            Refusal::Locked | Refusal::Throttled => Notice::Locked,
            Refusal::Unavailable(_) => Notice::Unavailable,
            Refusal::SessionEnded => Notice::SessionEnded,
            Refusal::CrossSite | Refusal::BadToken => Notice::Forbidden,
        }
    }
}

impl Portal {
    fn brand(&self, org: &str) -> Brand {
        Brand::new(org, &self.settings.accent)
    }

    /// The organisation's name and colours for its pages.
    async fn brand_of(&self, tenant: model::TenantId) -> Brand {
        self.brand(&self.org_name(tenant).await)
    }

    /// The notice page for a refusal, with its audit event (none for throttled requests:
    /// a flood must not become a flood of events).
    async fn refuse(&self, visit: &Visit, copy: Option<&PortalCopy>, refusal: Refusal) -> Response {
        let now = self.clock.now();
        tracing::info!(reason = refusal.reason(), "portal request refused");
        if let (Some(c), Refusal::Revoked | Refusal::Expired) = (copy, refusal) {
            // Never shown again: nothing of it stays in memory.
            self.views.forget(c.id);
        }
        if refusal != Refusal::Throttled {
            let actor = copy.map_or(
                Actor::System {
                    component: "portal".into(),
                },
                |c| Actor::PortalRecipient {
                    recipient: c.recipient,
                },
            );
            let mut event = match copy {
                Some(c) => copy_event(c, actor, EventKind::PortalAccessRefused, now),
                None => AuditEvent::new(0, now, actor, EventKind::PortalAccessRefused),
            }
            .with_detail("reason", refusal.reason());
            if let Refusal::Unavailable(cause) = refusal {
                event = event.with_detail("cause", cause);
            }
            if let Some(ip) = visit.ip {
                event = event.with_source_ip(ip);
            }
            if let Err(e) = self.store.append_audit(&[event]).await {
                tracing::error!(error = %e, "recording a portal refusal failed");
            }
        }
        let brand = match copy {
            Some(c) => self.brand_of(c.tenant).await,
            None => self.brand("carepost"),
        };
        let ctx = Ctx {
            lang: &visit.lang,
            brand: &brand,
            csrf: "",
            path: &visit.path,
        };
        let notice = refusal.notice();
        let status =
            StatusCode::from_u16(pages::status_code(&notice)).unwrap_or(StatusCode::NOT_FOUND);
        page(
            status,
            pages::notice_page(&ctx, notice),
            false,
            &visit.lang_cookie(),
        )
    }

    pub(crate) fn throttled(&self, visit: &Visit) -> bool {
        visit
            .ip
            .is_some_and(|ip| self.limiter.check_key(&ip).is_err())
    }

    /// The copy behind a link, if it may still be opened.
    pub(crate) async fn copy_by_link(&self, token: &str) -> Result<PortalCopy, Closed> {
        let hash =
            secrets::token_hash(token).ok_or_else(|| Box::new((None, Refusal::UnknownLink)))?;
        let copy = match self.store.portal_copy_by_token(&hash).await {
            Ok(c) => c,
            Err(StorageError::NotFound) => return Err(Box::new((None, Refusal::UnknownLink))),
            Err(e) => {
                tracing::error!(error = %e, "portal lookup failed");
                return Err(Box::new((None, Refusal::Unavailable("storage"))));
            }
        };
        self.still_open(copy)
    }

    /// The landing page's reads behind a link (one read of the store): throttled per
    /// address, refused (with its page and event) if unknown, expired, revoked or locked,
    /// as [`Portal::open_link`] and the lockout check would.
    async fn open_landing(&self, visit: &Visit, token: &str) -> Result<PortalLanding, Response> {
        if self.throttled(visit) {
            return Err(self.refuse(visit, None, Refusal::Throttled).await);
        }
        let Some(hash) = secrets::token_hash(token) else {
            return Err(self.refuse(visit, None, Refusal::UnknownLink).await);
        };
        let since = self.clock.now().minus(Duration::from_secs(3600));
        let landing = match self.store.portal_landing(&hash, since).await {
            Ok(l) => l,
            Err(StorageError::NotFound) => {
                return Err(self.refuse(visit, None, Refusal::UnknownLink).await);
            }
            Err(e) => {
                tracing::error!(error = %e, "portal lookup failed");
                return Err(self
                    .refuse(visit, None, Refusal::Unavailable("storage"))
                    .await);
            }
        };
        let refusal = if landing.copy.revoked.is_some() {
            Some(Refusal::Revoked)
        } else if landing.copy.expires <= self.clock.now() {
            Some(Refusal::Expired)
        } else if self.settings.codes.locked(landing.failed_attempts) {
            Some(Refusal::Locked)
        } else {
            None
        };
        match refusal {
            Some(r) => Err(self.refuse(visit, Some(&landing.copy), r).await),
            None => Ok(landing),
        }
    }

    fn still_open(&self, copy: PortalCopy) -> Result<PortalCopy, Closed> {
        let now = self.clock.now();
        if copy.revoked.is_some() {
            Err(Box::new((Some(copy), Refusal::Revoked)))
        } else if copy.expires <= now {
            Err(Box::new((Some(copy), Refusal::Expired)))
        } else {
            Ok(copy)
        }
    }

    /// The copy behind a link, for a page: throttled per address, refused (with its page
    /// and event) if unknown, expired or revoked.
    async fn open_link(&self, visit: &Visit, token: &str) -> Result<PortalCopy, Response> {
        if self.throttled(visit) {
            return Err(self.refuse(visit, None, Refusal::Throttled).await);
        }
        match self.copy_by_link(token).await {
            Ok(c) => Ok(c),
            Err(closed) => {
                let (copy, refusal) = *closed;
                Err(self.refuse(visit, copy.as_ref(), refusal).await)
            }
        }
    }

    /// The copy behind a link, for a form posted before sign-in: as [`Portal::open_link`],
    /// and the post must come from our own page with the page's anti-forgery token.
    async fn link_form(
        &self,
        visit: &Visit,
        headers: &HeaderMap,
        token: &str,
        csrf: &str,
    ) -> Result<PortalCopy, Response> {
        if cross_site(headers) {
            return Err(self.refuse(visit, None, Refusal::CrossSite).await);
        }
        if !visit.pre_token_matches(csrf) {
            return Err(self.refuse(visit, None, Refusal::BadToken).await);
        }
        self.open_link(visit, token).await
    }

    async fn locked(&self, copy: &PortalCopy) -> bool {
        let since = self.clock.now().minus(Duration::from_secs(3600));
        match self
            .store
            .portal_failed_attempts_since(copy.id, since)
            .await
        {
            Ok(n) => self.settings.codes.locked(n),
            // Fail closed.
            Err(_) => true,
        }
    }

    /// The live session on this request, touched; or why there is none.
    async fn session(&self, visit: &Visit) -> Option<(PortalSession, String)> {
        let hash = session_hash(visit)?;
        let session = self.store.portal_session(&hash).await.ok()?;
        self.live_session(session, hash).await
    }

    /// A session as read from the store, if it is a live sign-in (touched), or `None`
    /// (ended here if it timed out).
    async fn live_session(
        &self,
        session: PortalSession,
        hash: String,
    ) -> Option<(PortalSession, String)> {
        // A passkey ceremony waiting to finish is not a sign-in.
        if session.method == crate::passkey::PENDING {
            return None;
        }
        let now = self.clock.now();
        if !self
            .settings
            .sessions
            .session_alive(session.created, session.last_seen, now)
            || session.expires <= now
        {
            let _ = self.store.end_portal_session(&hash, &[]).await;
            return None;
        }
        // Activity is recorded at most every 30 s: the idle limit keeps its meaning (to
        // within 30 s) and a busy reader does not cost a write per page.
        if now.since(session.last_seen) >= TOUCH_EVERY
            && let Err(e) = self.store.touch_portal_session(&hash, now).await
        {
            tracing::warn!(error = %e, "touching a portal session failed");
        }
        Some((session, hash))
    }

    /// The copy a session asks for, if the session may read it.
    pub(crate) async fn readable(
        &self,
        visit: &Visit,
        copy: &str,
    ) -> Result<(PortalSession, PortalCopy), Response> {
        let Some((session, _)) = self.session(visit).await else {
            return Err(self.refuse(visit, None, Refusal::SessionEnded).await);
        };
        let Ok(id) = PortalCopyId::from_str(copy) else {
            return Err(self.refuse(visit, None, Refusal::UnknownLink).await);
        };
        let copy = self.store.portal_copy(id).await.ok();
        let copy = self.may_read(visit, &session, copy).await?;
        Ok((session, copy))
    }

    /// The copy a session asks for, if the session may read it: the session's address in
    /// the session's organisation, neither revoked nor expired. Otherwise the refusal page.
    async fn may_read(
        &self,
        visit: &Visit,
        session: &PortalSession,
        copy: Option<PortalCopy>,
    ) -> Result<PortalCopy, Response> {
        let Some(copy) = copy else {
            return Err(self.refuse(visit, None, Refusal::UnknownLink).await);
        };
        // Another recipient's copy, or another organisation's: refused, and it looks
        // exactly like a copy that does not exist.
        if copy.tenant != session.tenant || copy.address != session.address {
            return Err(self.refuse(visit, Some(&copy), Refusal::Forbidden).await);
        }
        match self.still_open(copy) {
            Ok(copy) => Ok(copy),
            Err(closed) => {
                let (copy, refusal) = *closed;
                Err(self.refuse(visit, copy.as_ref(), refusal).await)
            }
        }
    }

    /// As [`Portal::readable`], for the message page: the session, the copy, whether the
    /// recipient has a passkey, how many replies the copy has and its sealed content, in
    /// one read of the store. The same checks in the same order, with the same refusals.
    async fn readable_page(
        &self,
        visit: &Visit,
        copy_id: &str,
    ) -> Result<(PortalSession, PortalCopy, bool, u32, Option<Vec<u8>>), Response> {
        let Some(hash) = session_hash(visit) else {
            return Err(self.refuse(visit, None, Refusal::SessionEnded).await);
        };
        let Ok(id) = PortalCopyId::from_str(copy_id) else {
            // As `readable`: a live session hears "no such copy", any other "signed out".
            let refusal = match self.session(visit).await {
                Some(_) => Refusal::UnknownLink,
                None => Refusal::SessionEnded,
            };
            return Err(self.refuse(visit, None, refusal).await);
        };
        let Ok(reading) = self.store.portal_reading(&hash, id).await else {
            return Err(self.refuse(visit, None, Refusal::SessionEnded).await);
        };
        let Some((session, _)) = self.live_session(reading.session, hash).await else {
            return Err(self.refuse(visit, None, Refusal::SessionEnded).await);
        };
        let copy = self.may_read(visit, &session, reading.copy).await?;
        let has_passkey = self.webauthn.is_some() && reading.has_passkey;
        Ok((session, copy, has_passkey, reading.replies, reading.sealed))
    }

    /// Open a copy's content, or say why it cannot be opened.
    async fn open_copy(&self, copy: &PortalCopy) -> Result<zeroize::Zeroizing<Vec<u8>>, Refusal> {
        let sealed = self
            .store
            .portal_content(copy.id)
            .await
            .map_err(|_| Refusal::Unavailable("storage"))?;
        open_sealed(&self.keys, copy.id, &sealed)
    }

    pub(crate) fn recipient_event(
        &self,
        copy: &PortalCopy,
        kind: EventKind,
        visit: &Visit,
    ) -> AuditEvent {
        let mut event = copy_event(
            copy,
            Actor::PortalRecipient {
                recipient: copy.recipient,
            },
            kind,
            self.clock.now(),
        );
        if let Some(ip) = visit.ip {
            event = event.with_source_ip(ip);
        }
        event
    }
}

/// A copy opened, parsed and sanitised for display (without remote images).
fn open_for_display(
    keys: &crypto::KeyRing,
    id: PortalCopyId,
    sealed: &[u8],
) -> Result<Shown, Refusal> {
    let raw = open_sealed(keys, id, sealed)?;
    let view = parse_message(&raw).map_err(|_| Refusal::Unavailable("unparseable"))?;
    let body = body_html(&view, false);
    Ok(Shown { view, body })
}

/// A copy's sealed content, opened (associated data: the copy id).
fn open_sealed(
    keys: &crypto::KeyRing,
    id: PortalCopyId,
    sealed: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>, Refusal> {
    keys.open(id.0.as_bytes(), sealed).map_err(|e| match e {
        crypto::CryptoError::UnknownKey(_) | crypto::CryptoError::NoActiveKey => {
            Refusal::Unavailable("missing_key")
        }
        _ => Refusal::Unavailable("integrity"),
    })
}

impl Visit {
    fn lang_cookie(&self) -> Vec<String> {
        self.set_lang
            .iter()
            .map(|l| set_cookie(LANG_COOKIE, l, "/", Duration::from_secs(365 * 24 * 3600)))
            .collect()
    }

    /// The pre-session anti-forgery token: the one in the cookie, or a new one to set.
    fn pre_token(&self) -> (String, Option<String>) {
        match self.cookie(PRE_COOKIE).filter(|v| v.len() >= 32) {
            Some(v) => (v.to_string(), None),
            None => {
                let t = secrets::new_csrf_token();
                let c = set_cookie(PRE_COOKIE, &t, "/p/", Duration::from_secs(3600));
                (t, Some(c))
            }
        }
    }

    pub(crate) fn pre_token_matches(&self, submitted: &str) -> bool {
        self.cookie(PRE_COOKIE)
            .is_some_and(|c| !submitted.is_empty() && secrets::constant_time_eq(c, submitted))
    }
}

async fn landing(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &query,
        format!("/p/{token}"),
    );
    let landing = match portal.open_landing(&visit, &token).await {
        Ok(l) => l,
        Err(refused) => return refused,
    };
    let copy = &landing.copy;
    let (csrf, pre_cookie) = visit.pre_token();
    let brand = portal.brand_of(copy.tenant).await;
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: &csrf,
        path: &visit.path,
    };
    let number = match &landing.sms_number {
        Some(sealed) => portal.open_sms_number(copy, sealed),
        None => None,
    };
    let html = pages::landing_page_with_sms(
        &ctx,
        &token,
        &secrets::mask_address(&copy.address.to_string()),
        // A copy with the sender's passcode always asks for it (with the code).
        copy.passcode_hash.is_none() && portal.webauthn.is_some() && landing.has_passkey,
        number.as_ref().map(sms::PhoneNumber::last_two),
    );
    let mut cookies = visit.lang_cookie();
    cookies.extend(pre_cookie);
    page(StatusCode::OK, html, false, &cookies)
}

async fn code_form(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &query,
        format!("/p/{token}/code"),
    );
    let copy = match portal.open_link(&visit, &token).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    portal
        .code_page(&visit, &copy, &token, None, via_sms(query.via.as_deref()))
        .await
}

impl Portal {
    /// The recipient's mobile number, when the copy has one and SMS is configured. `None`
    /// too when it cannot be opened (logged without the number; codes still go by e-mail).
    pub(crate) async fn sms_number(&self, copy: &PortalCopy) -> Option<sms::PhoneNumber> {
        self.sms.as_ref()?;
        let sealed = match self.store.portal_sms_number(copy.id).await {
            Ok(Some(sealed)) => sealed,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!(portal_copy = %copy.id, error = %e, "reading a portal copy's SMS number failed");
                return None;
            }
        };
        self.open_sms_number(copy, &sealed)
    }

    /// A copy's sealed mobile number, opened, when SMS is configured (`None` otherwise, or
    /// when it cannot be opened: logged without the number).
    pub(crate) fn open_sms_number(
        &self,
        copy: &PortalCopy,
        sealed: &[u8],
    ) -> Option<sms::PhoneNumber> {
        self.sms.as_ref()?;
        let opened = match self
            .keys
            .open(crate::publish::sms_aad(copy.id).as_bytes(), sealed)
        {
            Ok(opened) => opened,
            Err(e) => {
                tracing::warn!(portal_copy = %copy.id, error = %e, "a portal copy's SMS number cannot be opened");
                return None;
            }
        };
        std::str::from_utf8(&opened)
            .ok()
            .and_then(|n| sms::PhoneNumber::parse(n).ok())
    }

    async fn code_page(
        &self,
        visit: &Visit,
        copy: &PortalCopy,
        token: &str,
        problem: Option<CodeProblem>,
        sent_by_sms: bool,
    ) -> Response {
        let (csrf, pre_cookie) = visit.pre_token();
        let brand = self.brand_of(copy.tenant).await;
        let ctx = Ctx {
            lang: &visit.lang,
            brand: &brand,
            csrf: &csrf,
            path: &format!("/p/{token}/code"),
        };
        let status = if problem.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let number = self.sms_number(copy).await;
        let html = pages::code_page_with_options(
            &ctx,
            token,
            &secrets::mask_address(&copy.address.to_string()),
            problem,
            pages::CodeOptions {
                ask_passcode: copy.passcode_hash.is_some(),
                sms_digits: number.as_ref().map(sms::PhoneNumber::last_two),
                sent_by_sms,
            },
        );
        let mut cookies = visit.lang_cookie();
        cookies.extend(pre_cookie);
        page(status, html, false, &cookies)
    }
}

async fn send_code(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SendCodeForm>,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/p/{token}"),
    );
    let copy = match portal.link_form(&visit, &headers, &token, &form.csrf).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    // A text message only where one is on offer (the copy has a number and SMS is on);
    // otherwise the code goes to the mailbox, as it always could.
    let number = if via_sms(form.via.as_deref()) {
        portal.sms_number(&copy).await
    } else {
        None
    };
    let channel = if number.is_some() {
        PortalCodeChannel::Sms
    } else {
        PortalCodeChannel::Email
    };
    let by_sms = channel == PortalCodeChannel::Sms;
    let now = portal.clock.now();
    let hour_ago = now.minus(Duration::from_secs(3600));
    let (Ok(sent), Ok(failures)) = (
        portal.store.portal_codes_since(copy.id, hour_ago).await,
        portal
            .store
            .portal_failed_attempts_since(copy.id, hour_ago)
            .await,
    ) else {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
            .await;
    };
    match portal.settings.codes.may_issue(sent, failures) {
        portal::rules::IssueDecision::Send => {}
        portal::rules::IssueDecision::TooManyCodes => {
            return portal
                .code_page(
                    &visit,
                    &copy,
                    &token,
                    Some(CodeProblem::TooManyCodes),
                    by_sms,
                )
                .await;
        }
        portal::rules::IssueDecision::Locked => {
            return portal.refuse(&visit, Some(&copy), Refusal::Locked).await;
        }
    }
    let code = secrets::new_code();
    let record = PortalCode {
        id: PortalItemId::new(),
        copy: copy.id,
        code_hash: secrets::code_hash(&portal.code_key, &copy.id.to_string(), &code),
        created: now,
        expires: now.plus(portal.settings.codes.ttl),
        attempts: 0,
        used: None,
        channel,
    };
    // The method, never the number. An e-mail code is recorded as sent with the code (the
    // queue takes the mail durably right after); a text message only once the provider
    // took it, below. The code counts toward the hourly limit either way, so a failing
    // provider cannot be asked again and again.
    let event = portal
        .recipient_event(&copy, EventKind::PortalCodeSent, &visit)
        .with_detail("method", channel.as_str());
    let (now_events, sms_event) = if by_sms {
        (Vec::new(), Some(event))
    } else {
        (vec![event], None)
    };
    if portal
        .store
        .create_portal_code(&record, &now_events)
        .await
        .is_err()
    {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
            .await;
    }
    let org = portal.org_name(copy.tenant).await;
    if let (Some(number), Some(sender)) = (&number, &portal.sms) {
        let text = zeroize::Zeroizing::new(crate::mail::sms_code_text(&visit.lang, &org, &code));
        return match sender.send(number, &text).await {
            Ok(id) => {
                tracing::info!(portal_copy = %copy.id, provider_message = %id, "portal code sent by text message");
                if let Some(event) = sms_event
                    && let Err(e) = portal.store.append_audit(&[event]).await
                {
                    tracing::error!(portal_copy = %copy.id, error = %e, "recording a portal code sent by text message failed");
                }
                see_other(&format!("/p/{token}/code?via=sms"), &[])
            }
            Err(e) => {
                // The error holds neither the number nor the text (see the sms crate).
                tracing::warn!(portal_copy = %copy.id, error = %e, temporary = e.is_temporary(), "sending a portal code by text message failed");
                let event = portal
                    .recipient_event(&copy, EventKind::PortalAccessRefused, &visit)
                    .with_detail("reason", "unavailable")
                    .with_detail("cause", "sms");
                if let Err(e) = portal.store.append_audit(&[event]).await {
                    tracing::error!(error = %e, "recording a portal refusal failed");
                }
                portal
                    .code_page(&visit, &copy, &token, Some(CodeProblem::SmsNotSent), true)
                    .await
            }
        };
    }
    if let Err(e) = portal
        .send_code(&visit.lang, copy.tenant, &org, &copy.address, &code)
        .await
    {
        tracing::error!(portal_copy = %copy.id, error = %e, "queuing a portal code failed");
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("queue"))
            .await;
    }
    see_other(&format!("/p/{token}/code"), &[])
}

async fn verify(
    State(portal): State<Arc<Portal>>,
    Path(token): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CodeForm>,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/p/{token}/code"),
    );
    let copy = match portal.link_form(&visit, &headers, &token, &form.csrf).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    if portal.locked(&copy).await {
        return portal.refuse(&visit, Some(&copy), Refusal::Locked).await;
    }
    let by_sms = via_sms(form.via.as_deref());
    let now = portal.clock.now();
    let max = portal.settings.codes.max_attempts_per_code;
    let Ok(live) = portal.store.live_portal_code(copy.id, now, max).await else {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
            .await;
    };
    let Some(live) = live else {
        // No code outstanding (expired, used up, never sent): the same answer as a wrong
        // code, so nobody learns which part was wrong.
        return portal
            .code_page(&visit, &copy, &token, Some(CodeProblem::Wrong), by_sms)
            .await;
    };
    // Count the guess before comparing it: concurrent guesses cannot exceed the limit.
    let attempts = match portal.store.count_portal_code_attempt(live.id, max).await {
        Ok(Some(n)) => n,
        Ok(None) => {
            return portal
                .code_page(&visit, &copy, &token, Some(CodeProblem::Wrong), by_sms)
                .await;
        }
        Err(_) => {
            return portal
                .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
                .await;
        }
    };
    let code_right = secrets::normalise_code(&form.code).is_some_and(|code| {
        secrets::constant_time_eq(
            &secrets::code_hash(&portal.code_key, &copy.id.to_string(), &code),
            &live.code_hash,
        )
    });
    // The sender's passcode, when there is one, counts as part of the same answer: a
    // wrong one is a wrong guess, and the page never says which part was wrong.
    let passcode_right = copy.passcode_hash.as_deref().is_none_or(|expected| {
        secrets::constant_time_eq(
            &secrets::passcode_hash(&portal.code_key, &copy.id.to_string(), &form.passcode),
            expected,
        )
    });
    let right = code_right & passcode_right;
    if !right {
        let locked_now = portal.locked(&copy).await;
        let event = portal
            .recipient_event(&copy, EventKind::PortalCodeFailed, &visit)
            .with_detail("attempts", u64::from(attempts))
            .with_detail("locked", locked_now);
        if let Err(e) = portal.store.append_audit(&[event]).await {
            tracing::error!(error = %e, "recording a wrong portal code failed");
        }
        if locked_now {
            return portal.refuse(&visit, Some(&copy), Refusal::Locked).await;
        }
        return portal
            .code_page(&visit, &copy, &token, Some(CodeProblem::Wrong), by_sms)
            .await;
    }
    match portal.store.use_portal_code(live.id, now, &[]).await {
        Ok(true) => {}
        _ => {
            return portal
                .code_page(&visit, &copy, &token, Some(CodeProblem::Wrong), by_sms)
                .await;
        }
    }
    let method = match live.channel {
        PortalCodeChannel::Email => "email-code",
        PortalCodeChannel::Sms => "sms",
    };
    portal.start_session(&visit, &copy, method).await
}

impl Portal {
    /// A new session for the copy's recipient (any session this browser had ends: the id
    /// is always fresh, so a planted id never becomes a signed-in one).
    async fn start_session(&self, visit: &Visit, copy: &PortalCopy, method: &str) -> Response {
        match self.new_session(visit, copy, method).await {
            Ok(cookies) => see_other(&format!("/m/{}", copy.id), &cookies),
            Err(()) => {
                self.refuse(visit, Some(copy), Refusal::Unavailable("storage"))
                    .await
            }
        }
    }

    /// Store a new session and return the cookies that carry it.
    pub(crate) async fn new_session(
        &self,
        visit: &Visit,
        copy: &PortalCopy,
        method: &str,
    ) -> Result<Vec<String>, ()> {
        if let Some(old) = visit.cookie(SESSION_COOKIE).and_then(secrets::token_hash) {
            let _ = self.store.end_portal_session(&old, &[]).await;
        }
        let now = self.clock.now();
        let id = secrets::new_session_id();
        let session = PortalSession {
            id_hash: id.hash.clone(),
            tenant: copy.tenant,
            address: copy.address.clone(),
            method: method.to_string(),
            csrf_token: secrets::new_csrf_token(),
            created: now,
            last_seen: now,
            expires: now.plus(self.settings.sessions.absolute),
            ceremony: None,
        };
        let event = self
            .recipient_event(copy, EventKind::PortalVerified, visit)
            .with_detail("method", method);
        if self
            .store
            .create_portal_session(&session, &[])
            .await
            .is_err()
            || self
                .store
                .mark_portal_copy(copy.id, PortalMilestone::Verified, now, &[event])
                .await
                .is_err()
        {
            return Err(());
        }
        let mut cookies = vec![
            set_cookie(
                SESSION_COOKIE,
                &id.secret,
                "/",
                self.settings.sessions.absolute,
            ),
            clear_cookie(PRE_COOKIE, "/p/"),
        ];
        cookies.extend(visit.lang_cookie());
        Ok(cookies)
    }

    /// Everything the message page shows, opened and sanitised (without remote images).
    /// Only for a copy the session was found to be allowed to read: from the memory of
    /// recently opened copies when it is there (see `views.rs`), else opened now (off the
    /// async workers when it is large: it takes a while to parse and sanitise) and kept.
    ///
    /// `sealed` is the copy's sealed content when the caller read it already (the message
    /// page's single read); the memory is used only if the view was opened from exactly
    /// these bytes, so a copy changed in the store is opened (and refused) again.
    async fn shown(
        &self,
        copy: &PortalCopy,
        sealed: Option<Vec<u8>>,
    ) -> Result<Arc<Shown>, Refusal> {
        let sealed = match sealed {
            Some(s) => s,
            None => self
                .store
                .portal_content(copy.id)
                .await
                .map_err(|_| Refusal::Unavailable("storage"))?,
        };
        if let Some(shown) = self.views.get(copy.id, &sealed) {
            return Ok(shown);
        }
        let id = copy.id;
        let (shown, sealed) = if sealed.len() <= OPEN_INLINE_BYTES {
            // Small: cheaper here than a hand-off to another thread.
            (open_for_display(&self.keys, id, &sealed), sealed)
        } else {
            let keys = self.keys.clone();
            tokio::task::spawn_blocking(move || (open_for_display(&keys, id, &sealed), sealed))
                .await
                .map_err(|_| Refusal::Unavailable("unparseable"))?
        };
        let shown = Arc::new(shown?);
        self.views.put(copy.id, &sealed, shown.clone());
        Ok(shown)
    }

    /// The copy a session asks for, opened for display (or the page that says why not).
    async fn readable_view(
        &self,
        visit: &Visit,
        copy_id: &str,
    ) -> Result<(PortalSession, PortalCopy, Arc<Shown>), Response> {
        let (session, copy) = self.readable(visit, copy_id).await?;
        match self.shown(&copy, None).await {
            Ok(shown) => Ok((session, copy, shown)),
            Err(refusal) => Err(self.refuse(visit, Some(&copy), refusal).await),
        }
    }

    async fn replies(&self, copy: &PortalCopy) -> Vec<ReplyView> {
        let Ok(replies) = self.store.portal_replies(copy.id).await else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in replies {
            let opened = match self.store.portal_reply_content(r.id).await {
                Ok(sealed) => self.keys.open(r.id.0.as_bytes(), &sealed).ok(),
                Err(_) => None,
            };
            let Some(view) = opened.and_then(|raw| parse_message(&raw).ok()) else {
                continue;
            };
            out.push(ReplyView {
                when: r.created.to_rfc3339(),
                text: view.text.unwrap_or_default(),
                attachments: view.attachments.into_iter().map(|a| a.filename).collect(),
            });
        }
        out
    }
}

async fn read(
    State(portal): State<Arc<Portal>>,
    Path(copy_id): Path<String>,
    Query(query): Query<PageQuery>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &query,
        format!("/m/{copy_id}"),
    );
    let (session, copy, has_passkey, replies, sealed) =
        match portal.readable_page(&visit, &copy_id).await {
            Ok(x) => x,
            Err(res) => return res,
        };
    let shown = match portal.shown(&copy, sealed).await {
        Ok(shown) => shown,
        Err(refusal) => return portal.refuse(&visit, Some(&copy), refusal).await,
    };
    let view = &shown.view;
    let remote = query.remote.as_deref() == Some("1");
    // Remote images are the exception: sanitised again, with them, for this page only.
    let with_remote;
    let body = if remote {
        with_remote = body_html(view, true);
        &with_remote
    } else {
        &shown.body
    };
    let replies = if replies == 0 {
        Vec::new()
    } else {
        portal.replies(&copy).await
    };
    let now = portal.clock.now();
    let remote_shown = remote && body.remote_blocked == 0;
    // Each session's first opening of a copy (and first with remote images) is recorded;
    // a reload in the same session is not a new opening.
    let first_in_session = portal.openings.lock().is_ok_and(|mut seen| {
        if seen.len() >= MAX_REMEMBERED_OPENINGS {
            seen.clear();
        }
        seen.insert((session.id_hash.clone(), copy.id, remote_shown))
    });
    let recorded = if first_in_session {
        let event = portal
            .recipient_event(&copy, EventKind::PortalOpened, &visit)
            .with_detail("remote_images", remote_shown);
        portal
            .store
            .mark_portal_copy(copy.id, PortalMilestone::Opened, now, &[event])
            .await
    } else {
        Ok(false)
    };
    match recorded {
        Ok(first) => {
            if first
                && copy.read_notice
                && let (Some(sender), Ok(message)) =
                    (&copy.sender, portal.store.message(copy.message).await)
                && let Err(e) = portal
                    .send_read_notice(copy.tenant, sender, copy.message, message.received, now)
                    .await
            {
                tracing::warn!(portal_copy = %copy.id, error = %e, "read notice not queued");
            }
        }
        Err(_) => {
            // Not recorded, so not remembered: the next load records it.
            if let Ok(mut seen) = portal.openings.lock() {
                seen.remove(&(session.id_hash.clone(), copy.id, remote_shown));
            }
            return portal
                .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
                .await;
        }
    }
    let brand = portal.brand_of(copy.tenant).await;
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: &session.csrf_token,
        path: &visit.path,
    };
    let offer_passkey = portal.webauthn.is_some() && !has_passkey;
    let html = pages::message_page(
        &ctx,
        &copy.id.to_string(),
        view,
        body,
        &replies,
        remote,
        offer_passkey,
    );
    page(StatusCode::OK, html, remote, &visit.lang_cookie())
}

async fn print(
    State(portal): State<Arc<Portal>>,
    Path(copy_id): Path<String>,
    Query(query): Query<PageQuery>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &query,
        format!("/m/{copy_id}/print"),
    );
    let (session, copy, shown) = match portal.readable_view(&visit, &copy_id).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let brand = portal.brand_of(copy.tenant).await;
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: &session.csrf_token,
        path: &visit.path,
    };
    page(
        StatusCode::OK,
        pages::print_page(&ctx, &shown.view, &shown.body),
        false,
        &[],
    )
}

async fn download(
    State(portal): State<Arc<Portal>>,
    Path((copy_id, index)): Path<(String, usize)>,
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
    let (_session, copy) = match portal.readable(&visit, &copy_id).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let raw = match portal.open_copy(&copy).await {
        Ok(r) => r,
        Err(refusal) => return portal.refuse(&visit, Some(&copy), refusal).await,
    };
    let Some((info, bytes)) = portal::content::attachment(&raw, index) else {
        return portal
            .refuse(&visit, Some(&copy), Refusal::UnknownLink)
            .await;
    };
    let event = portal
        .recipient_event(&copy, EventKind::PortalDownloaded, &visit)
        .with_detail("attachment", index as u64)
        .with_detail("size", bytes.len() as u64);
    if portal
        .store
        .mark_portal_copy(
            copy.id,
            PortalMilestone::Downloaded,
            portal.clock.now(),
            &[event],
        )
        .await
        .is_err()
    {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
            .await;
    }
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    for (name, value) in portal::headers::download_headers(&info.filename, info.size) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    res
}

async fn reply(
    State(portal): State<Arc<Portal>>,
    Path(copy_id): Path<String>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        format!("/m/{copy_id}"),
    );
    let (session, copy) = match portal.readable(&visit, &copy_id).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    if cross_site(&headers) {
        return portal.refuse(&visit, Some(&copy), Refusal::CrossSite).await;
    }
    let mut csrf = String::new();
    let mut text = String::new();
    let mut files: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return reply_refused(&portal, &visit, &copy, &session).await,
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let Ok(bytes) = field.bytes().await else {
            return reply_refused(&portal, &visit, &copy, &session).await;
        };
        total += bytes.len();
        if total > portal.settings.max_reply_bytes {
            return reply_refused(&portal, &visit, &copy, &session).await;
        }
        match (name.as_str(), filename) {
            ("csrf", _) => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            ("text", _) => text = String::from_utf8_lossy(&bytes).into_owned(),
            // A file input with nothing chosen still sends an empty part.
            ("files", Some(f)) if !bytes.is_empty() => {
                if files.len() >= MAX_REPLY_FILES {
                    return reply_refused(&portal, &visit, &copy, &session).await;
                }
                files.push((f, content_type, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !secrets::constant_time_eq(&csrf, &session.csrf_token) {
        return portal.refuse(&visit, Some(&copy), Refusal::BadToken).await;
    }
    if text.trim().is_empty() && files.is_empty() {
        return see_other(&format!("/m/{}", copy.id), &[]);
    }
    let Some(sender) = copy.sender.clone() else {
        return reply_refused(&portal, &visit, &copy, &session).await;
    };
    let shown = match portal.shown(&copy, None).await {
        Ok(v) => v,
        Err(refusal) => return portal.refuse(&visit, Some(&copy), refusal).await,
    };
    let data = portal::reply::build_reply(
        copy.address.to_string().as_str(),
        &sender.to_string(),
        &shown.view,
        &text,
        &files,
        &portal.settings.hostname,
    );
    let accepted = portal
        .intake
        .accept(Submission {
            tenant: copy.tenant,
            principal: Principal::PortalRecipient {
                recipient: copy.recipient,
            },
            channel: SubmissionChannel::Portal,
            client_ip: visit
                .ip
                .map_or("127.0.0.1".to_string(), |ip| ip.to_string()),
            helo: "portal".to_string(),
            envelope_from: Some(copy.address.clone()),
            recipients: vec![sender],
            data: data.clone(),
            priority: None,
            route: None,
        })
        .await;
    let message = match accepted {
        Ok(a) => a.message_id,
        Err(e) => {
            tracing::warn!(portal_copy = %copy.id, error = %e, "a portal reply was not accepted");
            return reply_refused(&portal, &visit, &copy, &session).await;
        }
    };
    let reply = PortalReply {
        id: PortalItemId::new(),
        copy: copy.id,
        message,
        created: portal.clock.now(),
    };
    let Ok(sealed) = portal.keys.seal(copy.tenant, reply.id.0.as_bytes(), &data) else {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("missing_key"))
            .await;
    };
    let event = portal
        .recipient_event(&copy, EventKind::PortalReplied, &visit)
        .with_detail("reply_message", message.to_string())
        .with_detail("attachments", files.len() as u64);
    let stored = portal
        .store
        .add_portal_reply(&reply, &sealed, &[])
        .await
        .and(
            portal
                .store
                .mark_portal_copy(copy.id, PortalMilestone::Replied, reply.created, &[event])
                .await,
        );
    if stored.is_err() {
        return portal
            .refuse(&visit, Some(&copy), Refusal::Unavailable("storage"))
            .await;
    }
    let brand = portal.brand_of(copy.tenant).await;
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: &session.csrf_token,
        path: &visit.path,
    };
    page(
        StatusCode::OK,
        pages::notice_page(
            &ctx,
            Notice::ReplySent {
                copy_id: copy.id.to_string(),
            },
        ),
        false,
        &[],
    )
}

/// A reply that could not be taken (too big, too many files, refused by policy): the
/// person is told, nothing is half-sent.
async fn reply_refused(
    portal: &Portal,
    visit: &Visit,
    copy: &PortalCopy,
    session: &PortalSession,
) -> Response {
    let brand = portal.brand_of(copy.tenant).await;
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: &session.csrf_token,
        path: &visit.path,
    };
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        pages::notice_page(
            &ctx,
            Notice::ReplyNotSent {
                copy_id: copy.id.to_string(),
            },
        ),
        false,
        &[],
    )
}

async fn sign_out(
    State(portal): State<Arc<Portal>>,
    ext: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let visit = Visit::new(
        &portal,
        &headers,
        ext.as_deref(),
        &PageQuery::default(),
        "/portal/sign-out".into(),
    );
    if let Some((session, hash)) = portal.session(&visit).await {
        if cross_site(&headers) {
            return portal.refuse(&visit, None, Refusal::CrossSite).await;
        }
        if !secrets::constant_time_eq(&form.csrf, &session.csrf_token) {
            return portal.refuse(&visit, None, Refusal::BadToken).await;
        }
        let now = portal.clock.now();
        let mut event = AuditEvent::new(
            0,
            now,
            Actor::System {
                component: "portal".into(),
            },
            EventKind::PortalSignedOut,
        )
        .with_tenant(session.tenant);
        if let Some(ip) = visit.ip {
            event = event.with_source_ip(ip);
        }
        if let Err(e) = portal.store.end_portal_session(&hash, &[event]).await {
            tracing::warn!(error = %e, "ending a portal session failed");
        }
    }
    let brand = portal.brand("carepost");
    let ctx = Ctx {
        lang: &visit.lang,
        brand: &brand,
        csrf: "",
        path: &visit.path,
    };
    page(
        StatusCode::OK,
        pages::notice_page(&ctx, Notice::SignedOut),
        false,
        &[clear_cookie(SESSION_COOKIE, "/")],
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
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

async fn css(State(portal): State<Arc<Portal>>) -> Response {
    // The organisation's colour lives in the stylesheet (the CSP allows no inline style).
    let mut res = asset("text/css; charset=utf-8", "");
    *res.body_mut() = axum::body::Body::from(pages::stylesheet(&portal.brand("")));
    res
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", pages::PASSKEY_JS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[
            ("origin", "https://evil.test"),
            ("host", "portal.test")
        ])));
        // Our own pages post with `Origin: null` (no-referrer); the token decides.
        assert!(!cross_site(&headers(&[
            ("origin", "null"),
            ("host", "portal.test")
        ])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!cross_site(&headers(&[
            ("origin", "https://portal.test:8443"),
            ("host", "portal.test:8443")
        ])));
        assert!(!cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!cross_site(&headers(&[])));
    }

    #[test]
    fn cookies_are_parsed_and_bounded() {
        let h = headers(&[("cookie", "a=1; cp_session=abc; cp_lang=es")]);
        let c = parse_cookies(&h);
        assert_eq!(cookie(&c, "cp_session"), Some("abc"));
        assert_eq!(cookie(&c, "cp_lang"), Some("es"));
        assert_eq!(cookie(&c, "missing"), None);
        let long = format!("cp_session={}", "x".repeat(500));
        assert_eq!(
            cookie(&parse_cookies(&headers(&[("cookie", &long)])), "cp_session"),
            None
        );
    }

    #[test]
    fn session_cookies_are_secure_httponly_and_strict() {
        let c = set_cookie("cp_session", "v", "/", Duration::from_secs(60));
        assert!(c.contains("Secure") && c.contains("HttpOnly") && c.contains("SameSite=Strict"));
    }
}
