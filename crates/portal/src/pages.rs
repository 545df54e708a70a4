//! Server-rendered portal pages (askama templates under `templates/`).
//!
//! Every value is HTML-escaped by askama, in text and in attributes. The only unescaped
//! insertion is the message body, and only as a [`SanitizedHtml`] (made by
//! [`crate::sanitize`]). Pages carry no inline script or style: the stylesheet and the
//! passkey script are separate files ([`PORTAL_CSS`], [`PASSKEY_JS`]), so the strict CSP of
//! [`crate::headers::security_headers`] holds.

use askama::Template;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::content::MessageView;
use crate::i18n::Lang;
use crate::sanitize::SanitizedHtml;

/// The portal stylesheet, without the brand colour; serve [`stylesheet`] instead.
pub const PORTAL_CSS: &str = include_str!("../static/portal.css");
/// The passkey (WebAuthn) script, served as `application/javascript` at [`PASSKEY_JS_PATH`].
pub const PASSKEY_JS: &str = include_str!("../static/passkey.js");
/// Where pages link the stylesheet; the adapter serves [`stylesheet`] there (`text/css`).
pub const PORTAL_CSS_PATH: &str = "/portal/static/portal.css";
/// Where pages load the passkey script; the adapter serves [`PASSKEY_JS`] there.
pub const PASSKEY_JS_PATH: &str = "/portal/static/passkey.js";
/// The accent used when none (or an invalid one) is configured.
pub const DEFAULT_ACCENT: &str = "#1f4e79";
/// WCAG 2.1 AA minimum contrast for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The sending organisation as shown on every page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    /// Name shown in the header bar and in texts ("a secure message from {org}").
    pub org_name: String,
    /// Header bar colour, `#rrggbb`. Invalid values fall back to [`DEFAULT_ACCENT`]; colours
    /// too light for white text are darkened (see [`Brand::header_colour`]).
    pub accent: String,
}

impl Default for Brand {
    fn default() -> Self {
        Self {
            org_name: String::new(),
            accent: DEFAULT_ACCENT.to_string(),
        }
    }
}

impl Brand {
    /// A brand with the accent already checked and, if needed, darkened.
    pub fn new(org_name: &str, accent: &str) -> Brand {
        let b = Brand {
            org_name: org_name.trim().to_string(),
            accent: accent.to_string(),
        };
        Brand {
            accent: b.header_colour(),
            ..b
        }
    }

    /// The colour actually used behind the header bar: the accent if valid, darkened in
    /// small steps until white text on it has a contrast of at least 4.5:1.
    pub fn header_colour(&self) -> String {
        let rgb = parse_hex(&self.accent)
            .or_else(|| parse_hex(DEFAULT_ACCENT))
            .unwrap_or([0x1f, 0x4e, 0x79]);
        to_hex(darken_for_white_text(rgb))
    }
}

/// What every page needs about the request.
pub struct Ctx<'a> {
    /// The negotiated language.
    pub lang: &'a Lang,
    /// The organisation.
    pub brand: &'a Brand,
    /// The CSRF token for forms and the passkey script.
    pub csrf: &'a str,
    /// The current path without query, for the language switcher's links.
    pub path: &'a str,
}

/// Why the code page is shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    /// Wrong, expired or used-up code: one message that does not say which.
    Wrong,
    /// Too many codes sent this hour.
    TooManyCodes,
    /// The text message could not be handed to the SMS provider (try again, or by e-mail).
    SmsNotSent,
}

/// What the code page offers and says beyond the e-mail code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeOptions<'a> {
    /// Ask for the passcode the sender chose, too.
    pub ask_passcode: bool,
    /// The last two digits of the number a code can be texted to (`None`: e-mail only).
    /// Never more of the number: it is PHI.
    pub sms_digits: Option<&'a str>,
    /// The newest code went by text message (the page says so, and a wrong answer points
    /// at the text message rather than the mailbox).
    pub sent_by_sms: bool,
}

/// One earlier reply shown under the message.
#[derive(Clone, PartialEq, Eq)]
pub struct ReplyView {
    /// When it was sent, already formatted for display.
    pub when: String,
    /// What the reader wrote (plain text).
    pub text: String,
    /// Names of the files sent with it.
    pub attachments: Vec<String>,
}

impl std::fmt::Debug for ReplyView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyView")
            .field("when", &self.when)
            .finish_non_exhaustive()
    }
}

/// A full-page message for the person: what happened and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// No such link, or a malformed one (the same page for both).
    LinkInvalid,
    /// The message's time is over.
    Expired,
    /// The sender withdrew the message.
    Revoked,
    /// Too many wrong codes; try later.
    Locked,
    /// The content could not be opened (tampered data, missing key). No technical detail.
    Unavailable,
    /// The reader signed out.
    SignedOut,
    /// The session ended (idle or absolute limit).
    SessionEnded,
    /// A reply went out; offers a link back to the message.
    ReplySent {
        /// The portal copy to go back to.
        copy_id: String,
    },
    /// A reply could not be taken (too large, too many files, refused); nothing was sent.
    ReplyNotSent {
        /// The portal copy to go back to.
        copy_id: String,
    },
    /// A request was refused (e.g. a failed CSRF check).
    Forbidden,
}

/// The HTTP status to send with a notice page.
pub fn status_code(notice: &Notice) -> u16 {
    match notice {
        Notice::LinkInvalid => 404,
        Notice::Expired | Notice::Revoked => 410,
        Notice::Locked => 429,
        Notice::Unavailable => 503,
        Notice::Forbidden => 403,
        Notice::SignedOut | Notice::SessionEnded | Notice::ReplySent { .. } => 200,
        Notice::ReplyNotSent { .. } => 422,
    }
}

/// The stylesheet to serve at [`PORTAL_CSS_PATH`]: the brand's header colour, then
/// [`PORTAL_CSS`]. (The colour cannot go into the page: the CSP forbids inline styles.)
pub fn stylesheet(brand: &Brand) -> String {
    format!(
        ":root {{ --accent: {}; }}\n{PORTAL_CSS}",
        brand.header_colour()
    )
}

/// The first page behind a link: who sent a message, and how to prove it is you. Shows no
/// message content.
pub fn landing_page(
    ctx: &Ctx<'_>,
    token: &str,
    masked_address: &str,
    passkey_available: bool,
) -> String {
    landing_page_with_sms(ctx, token, masked_address, passkey_available, None)
}

/// The landing page, also offering a code by text message to the number ending in
/// `sms_digits` (the last two digits; e-mail stays the default, the first button).
pub fn landing_page_with_sms(
    ctx: &Ctx<'_>,
    token: &str,
    masked_address: &str,
    passkey_available: bool,
    sms_digits: Option<&str>,
) -> String {
    let lang = ctx.lang;
    let org = org_name(ctx);
    let base = format!("/p/{}", seg(token));
    let passkey = passkey_available.then(|| Passkey {
        mode: "sign-in",
        heading: None,
        explain: lang.t("landing.passkey_or").to_string(),
        button: lang.t("landing.passkey").to_string(),
        options_url: format!("{base}/passkey/options"),
        finish_url: format!("{base}/passkey/finish"),
        done: None,
    });
    LandingPage {
        l: layout(ctx, lang.t("landing.title"), passkey_available),
        heading: lang.t_args("landing.heading", &[("org", org)]),
        code_explain: lang.t_args("landing.code_explain", &[("address", masked_address)]),
        code_action: format!("{base}/code"),
        sms_explain: sms_digits.map(|d| lang.t_args("landing.sms_explain", &[("digits", d)])),
        passkey,
    }
    .render_page()
}

/// The page where the person types the code they were sent.
pub fn code_page(
    ctx: &Ctx<'_>,
    token: &str,
    masked_address: &str,
    problem: Option<CodeProblem>,
) -> String {
    code_page_with_passcode(ctx, token, masked_address, problem, false)
}

/// The code form, also asking for the passcode the sender chose when `ask_passcode`. A
/// wrong answer never says whether the code or the passcode was wrong.
pub fn code_page_with_passcode(
    ctx: &Ctx<'_>,
    token: &str,
    masked_address: &str,
    problem: Option<CodeProblem>,
    ask_passcode: bool,
) -> String {
    code_page_with_options(
        ctx,
        token,
        masked_address,
        problem,
        CodeOptions {
            ask_passcode,
            ..CodeOptions::default()
        },
    )
}

/// The code form with everything it may offer: the sender's passcode, and a code by text
/// message. A wrong answer never says whether the code or the passcode was wrong, nor
/// whether the code had expired.
pub fn code_page_with_options(
    ctx: &Ctx<'_>,
    token: &str,
    masked_address: &str,
    problem: Option<CodeProblem>,
    options: CodeOptions<'_>,
) -> String {
    let lang = ctx.lang;
    let base = format!("/p/{}", seg(token));
    let by_sms = options.sent_by_sms && options.sms_digits.is_some();
    let sent = match (by_sms, options.sms_digits) {
        (true, Some(d)) => lang.t_args("code.sent_sms", &[("digits", d)]),
        _ => lang.t_args("code.sent", &[("address", masked_address)]),
    };
    CodePage {
        l: layout(ctx, lang.t("code.title"), false),
        sent,
        problem: problem.map(|p| {
            match (p, options.ask_passcode, by_sms) {
                (CodeProblem::Wrong, false, false) => lang.t("code.wrong"),
                (CodeProblem::Wrong, true, false) => lang.t("code.wrong_with_passcode"),
                (CodeProblem::Wrong, false, true) => lang.t("code.wrong_sms"),
                (CodeProblem::Wrong, true, true) => lang.t("code.wrong_with_passcode_sms"),
                (CodeProblem::TooManyCodes, ..) => lang.t("code.too_many"),
                (CodeProblem::SmsNotSent, ..) => lang.t("code.sms_failed"),
            }
            .to_string()
        }),
        verify_action: format!("{base}/verify"),
        resend_action: format!("{base}/code"),
        ask_passcode: options.ask_passcode,
        offer_sms: options.sms_digits.is_some(),
        by_sms,
    }
    .render_page()
}

/// The message itself, with attachments, earlier replies, the reply form, an optional passkey
/// offer and sign-out. `body_html` must come from [`crate::sanitize`].
pub fn message_page(
    ctx: &Ctx<'_>,
    copy_id: &str,
    view: &MessageView,
    body_html: &SanitizedHtml,
    replies: &[ReplyView],
    remote_allowed: bool,
    offer_passkey: bool,
) -> String {
    let lang = ctx.lang;
    let base = format!("/m/{}", seg(copy_id));
    let subject = subject_or_default(lang, view);
    let passkey = offer_passkey.then(|| Passkey {
        mode: "register",
        heading: Some(lang.t("message.passkey_heading").to_string()),
        explain: lang.t("message.passkey_explain").to_string(),
        button: lang.t("message.passkey").to_string(),
        options_url: format!("{base}/passkey/options"),
        finish_url: format!("{base}/passkey/finish"),
        done: Some(lang.t("message.passkey_done").to_string()),
    });
    MessagePage {
        l: layout(ctx, &subject, offer_passkey),
        subject,
        from: view.from.clone(),
        date: view
            .date
            .as_deref()
            .map(|d| (d.to_string(), display_date(d))),
        show_remote_link: body_html.remote_blocked > 0 && !remote_allowed,
        remote_href: format!("{base}?remote=1&lang={}", seg(lang.code())),
        body: body_html,
        plain: view.html.is_none(),
        files: files(lang, &base, view),
        print_href: format!("{base}/print"),
        replies,
        reply_note: lang.t_args("message.reply_note", &[("org", org_name(ctx))]),
        reply_action: format!("{base}/reply"),
        passkey,
    }
    .render_page()
}

/// A plain version of the message for printing: no forms, no buttons.
pub fn print_page(ctx: &Ctx<'_>, view: &MessageView, body_html: &SanitizedHtml) -> String {
    let lang = ctx.lang;
    let subject = subject_or_default(lang, view);
    PrintPage {
        l: layout(ctx, &subject, false),
        subject,
        from: view.from.clone(),
        date: view
            .date
            .as_deref()
            .map(|d| (d.to_string(), display_date(d))),
        body: body_html,
        plain: view.html.is_none(),
        files: files(lang, "", view),
    }
    .render_page()
}

/// A full-page notice (errors and confirmations).
pub fn notice_page(ctx: &Ctx<'_>, notice: Notice) -> String {
    let lang = ctx.lang;
    let key = match &notice {
        Notice::LinkInvalid => "link_invalid",
        Notice::Expired => "expired",
        Notice::Revoked => "revoked",
        Notice::Locked => "locked",
        Notice::Unavailable => "unavailable",
        Notice::SignedOut => "signed_out",
        Notice::SessionEnded => "session_ended",
        Notice::ReplySent { .. } => "reply_sent",
        Notice::ReplyNotSent { .. } => "reply_not_sent",
        Notice::Forbidden => "forbidden",
    };
    let back = match &notice {
        Notice::ReplySent { copy_id } | Notice::ReplyNotSent { copy_id } => Some((
            format!("/m/{}", seg(copy_id)),
            lang.t("notice.reply_sent.back").to_string(),
        )),
        _ => None,
    };
    NoticePage {
        l: layout(ctx, lang.t(&format!("notice.{key}.title")), false),
        body: lang.t_args(&format!("notice.{key}.body"), &[("org", org_name(ctx))]),
        back,
    }
    .render_page()
}

/// A size in human units (`512 bytes`, `1.5 KB`, `12 MB`) with the language's decimal mark.
pub fn human_size(lang: &Lang, bytes: usize) -> String {
    const UNITS: [&str; 3] = ["size.kb", "size.mb", "size.gb"];
    if bytes < 1024 {
        return lang.t_args("size.bytes", &[("n", &bytes.to_string())]);
    }
    // Tenths of a unit, in integers (no float formatting surprises).
    let mut tenths = (bytes as u128 * 10) / 1024;
    let mut unit = 0;
    while tenths >= 10_240 && unit < UNITS.len() - 1 {
        tenths /= 1024;
        unit += 1;
    }
    let n = if tenths < 100 {
        format!("{}{}{}", tenths / 10, lang.t("size.decimal"), tenths % 10)
    } else {
        ((tenths + 5) / 10).to_string()
    };
    lang.t_args(UNITS[unit], &[("n", &n)])
}

/// WCAG 2.1 contrast ratio between two sRGB colours (1.0 to 21.0).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Parses `#rrggbb` (case-insensitive).
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.trim().strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([c(0)?, c(2)?, c(4)?])
}

// ── helpers ────────────────────────────────────────────────────────────────────────────

/// Characters percent-encoded in a path segment we build (ids and tokens are base64url or
/// UUIDs, so this only matters for a confused caller).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'&')
    .add(b'\'')
    .add(b'=')
    .add(b'+')
    .add(b';');

fn seg(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

fn org_name<'a>(ctx: &'a Ctx<'a>) -> &'a str {
    let n = ctx.brand.org_name.trim();
    if n.is_empty() {
        ctx.lang.t("layout.org_fallback")
    } else {
        n
    }
}

fn subject_or_default(lang: &Lang, view: &MessageView) -> String {
    if view.subject.trim().is_empty() {
        lang.t("message.no_subject").to_string()
    } else {
        view.subject.clone()
    }
}

/// `2026-11-29T20:00:00Z` → `2026-11-29 20:00 UTC`; `…+01:00` → `2026-11-29 20:00 (+01:00)`.
/// Numeric and unambiguous in every language.
fn display_date(rfc3339: &str) -> String {
    let ok = rfc3339.len() >= 16
        && rfc3339.is_char_boundary(10)
        && rfc3339.is_char_boundary(16)
        && rfc3339.as_bytes().get(10) == Some(&b'T');
    if !ok {
        return rfc3339.to_string();
    }
    let (day, time) = (&rfc3339[..10], &rfc3339[11..16]);
    let zone = if rfc3339.ends_with('Z') {
        " UTC".to_string()
    } else if rfc3339.len() >= 6 && rfc3339.is_char_boundary(rfc3339.len() - 6) {
        format!(" ({})", &rfc3339[rfc3339.len() - 6..])
    } else {
        String::new()
    };
    format!("{day} {time}{zone}")
}

fn layout<'a>(ctx: &'a Ctx<'a>, title: &str, script: bool) -> Layout<'a> {
    let path = safe_path(ctx.path);
    let switcher = ctx
        .lang
        .languages()
        .iter()
        .map(|(code, name)| Switch {
            href: format!("{path}?lang={}", seg(code)),
            code: code.clone(),
            name: name.clone(),
            current: code == ctx.lang.code(),
        })
        .collect();
    Layout {
        lang: ctx.lang,
        org: org_name(ctx),
        csrf: ctx.csrf,
        title: title.to_string(),
        switcher,
        css_path: PORTAL_CSS_PATH,
        js_path: PASSKEY_JS_PATH,
        script,
    }
}

/// A same-origin absolute path for the switcher links; anything else becomes `/`.
/// (`//host` and `/\host` would leave the site.)
fn safe_path(p: &str) -> String {
    let p = p.split(['?', '#']).next().unwrap_or("");
    let ok = p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.len() <= 512
        && !p.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok { p.to_string() } else { "/".to_string() }
}

fn files(lang: &Lang, base: &str, view: &MessageView) -> Vec<FileLink> {
    view.attachments
        .iter()
        .map(|a| FileLink {
            href: format!("{base}/attachments/{}", a.index),
            label: lang.t_args("message.download", &[("name", &a.filename)]),
            name: a.filename.clone(),
            size: human_size(lang, a.size),
        })
        .collect()
}

fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let ch = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

fn darken_for_white_text(mut rgb: [u8; 3]) -> [u8; 3] {
    const WHITE: [u8; 3] = [255, 255, 255];
    // 5 % darker per step; black (21:1) is reached long before 100 steps.
    for _ in 0..100 {
        if contrast_ratio(rgb, WHITE) >= MIN_CONTRAST {
            break;
        }
        rgb = rgb.map(|c| ((u16::from(c) * 95) / 100) as u8);
    }
    rgb
}

fn to_hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

// ── templates ──────────────────────────────────────────────────────────────────────────

struct Layout<'a> {
    lang: &'a Lang,
    org: &'a str,
    csrf: &'a str,
    title: String,
    switcher: Vec<Switch>,
    css_path: &'static str,
    js_path: &'static str,
    script: bool,
}

struct Switch {
    href: String,
    code: String,
    name: String,
    current: bool,
}

struct Passkey {
    mode: &'static str,
    heading: Option<String>,
    explain: String,
    button: String,
    options_url: String,
    finish_url: String,
    done: Option<String>,
}

struct FileLink {
    href: String,
    label: String,
    name: String,
    size: String,
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage<'a> {
    l: Layout<'a>,
    heading: String,
    code_explain: String,
    code_action: String,
    sms_explain: Option<String>,
    passkey: Option<Passkey>,
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage<'a> {
    l: Layout<'a>,
    sent: String,
    problem: Option<String>,
    verify_action: String,
    resend_action: String,
    ask_passcode: bool,
    offer_sms: bool,
    by_sms: bool,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    l: Layout<'a>,
    subject: String,
    from: String,
    date: Option<(String, String)>,
    show_remote_link: bool,
    remote_href: String,
    body: &'a SanitizedHtml,
    plain: bool,
    files: Vec<FileLink>,
    print_href: String,
    replies: &'a [ReplyView],
    reply_note: String,
    reply_action: String,
    passkey: Option<Passkey>,
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintPage<'a> {
    l: Layout<'a>,
    subject: String,
    from: String,
    date: Option<(String, String)>,
    body: &'a SanitizedHtml,
    plain: bool,
    files: Vec<FileLink>,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage<'a> {
    l: Layout<'a>,
    body: String,
    back: Option<(String, String)>,
}

trait RenderPage: Template {
    fn render_page(&self) -> String {
        // Our templates only format Strings and call infallible methods; rendering can fail
        // only on a bug in a template, which the tests render in every variant.
        self.render().expect("portal templates render infallibly")
    }
}

impl<T: Template> RenderPage for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::AttachmentInfo;
    use crate::i18n::Catalogs;
    use crate::sanitize::{sanitize_html, text_to_html};

    fn with_ctx<R>(code: &str, f: impl FnOnce(&Ctx<'_>) -> R) -> R {
        let cats = Catalogs::builtin();
        let lang = cats.negotiate(Some(code), None);
        let brand = Brand::new("Sunny Vale Clinic", "#1f4e79");
        let ctx = Ctx {
            lang: &lang,
            brand: &brand,
            csrf: "CSRF123",
            path: "/p/tok",
        };
        f(&ctx)
    }

    fn view() -> MessageView {
        MessageView {
            subject: "Your lab results".into(),
            from: "Dr. Ada Quill <ada.quill@sunnyvale.example>".into(),
            date: Some("2026-11-29T20:00:00Z".into()),
            text: None,
            html: Some("<p>All normal.</p>".into()),
            attachments: vec![AttachmentInfo {
                index: 0,
                filename: "results.pdf".into(),
                content_type: "application/pdf".into(),
                size: 1536,
            }],
            message_id: None,
        }
    }

    fn assert_common(page: &str, lang: &str) {
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains(&format!("<html lang=\"{lang}\">")));
        assert!(page.contains("name=\"viewport\""));
        assert!(page.contains("<a class=\"skip\" href=\"#main\">"));
        assert!(page.contains("<main id=\"main\""));
        assert!(page.contains(&format!("href=\"{PORTAL_CSS_PATH}\"")));
        assert!(!page.contains(" style="), "inline style attribute");
        assert!(!page.contains("<style"), "inline stylesheet");
        assert!(!page.contains("<script>"), "inline script");
        assert!(page.contains("Sunny Vale Clinic"));
        // Language switcher.
        assert!(page.contains("?lang=es") || page.contains("?lang=en"));
    }

    #[test]
    fn landing_page_offers_code_and_optional_passkey_but_no_content() {
        with_ctx("en", |ctx| {
            let p = landing_page(ctx, "tok", "p•••@e•••.org", false);
            assert_common(&p, "en");
            assert!(p.contains("You have a secure message from Sunny Vale Clinic"));
            assert!(p.contains("<form method=\"post\" action=\"/p/tok/code\">"));
            assert!(p.contains("name=\"csrf\" value=\"CSRF123\""));
            assert!(p.contains("p•••@e•••.org"));
            assert!(!p.contains("data-passkey"));
            assert!(!p.contains("<script"));

            let p = landing_page(ctx, "tok", "p•••@e•••.org", true);
            assert!(p.contains("data-passkey=\"sign-in\""));
            assert!(p.contains("data-options-url=\"/p/tok/passkey/options\""));
            assert!(p.contains("data-finish-url=\"/p/tok/passkey/finish\""));
            assert!(p.contains(&format!(
                "<script src=\"{PASSKEY_JS_PATH}\" defer></script>"
            )));
        });
    }

    #[test]
    fn code_page_has_an_accessible_code_field_and_one_vague_error() {
        with_ctx("en", |ctx| {
            let p = code_page(ctx, "tok", "p•••@e•••.org", None);
            assert_common(&p, "en");
            assert!(p.contains("action=\"/p/tok/verify\""));
            assert!(p.contains("action=\"/p/tok/code\""));
            assert!(p.contains("<label for=\"code\">"));
            assert!(p.contains("id=\"code\" name=\"code\""));
            assert!(p.contains("autocomplete=\"one-time-code\""));
            assert!(p.contains("inputmode=\"numeric\""));
            assert!(!p.contains("role=\"alert\""));

            let p = code_page(ctx, "tok", "x", Some(CodeProblem::Wrong));
            assert!(p.contains(
                "That code did not work. Check the newest email from us, or ask for a new code."
            ));
            assert!(p.contains("aria-invalid=\"true\""));
            let p = code_page(ctx, "tok", "x", Some(CodeProblem::TooManyCodes));
            assert!(p.contains("several codes"));
        });
    }

    #[test]
    fn a_text_message_is_offered_only_with_a_number_and_shows_two_digits_at_most() {
        with_ctx("en", |ctx| {
            let p = landing_page_with_sms(ctx, "tok", "p•••@e•••.org", false, Some("23"));
            assert_common(&p, "en");
            // E-mail stays the default: the first submit button.
            let email = p
                .find("name=\"via\" value=\"email\"")
                .expect("email button");
            let sms = p.find("name=\"via\" value=\"sms\"").expect("sms button");
            assert!(email < sms);
            assert!(p.contains("your phone number ending 23"));
            assert!(p.contains("Text me a code instead"));
            let p = landing_page(ctx, "tok", "p•••@e•••.org", false);
            assert!(!p.contains("value=\"sms\""), "no number, no offer");

            let texted = CodeOptions {
                sms_digits: Some("23"),
                sent_by_sms: true,
                ..CodeOptions::default()
            };
            let p = code_page_with_options(ctx, "tok", "p•••@e•••.org", None, texted);
            assert!(p.contains("by text message to your phone number ending 23"));
            assert!(p.contains("<input type=\"hidden\" name=\"via\" value=\"sms\">"));
            assert!(p.contains("Email me a new code") && p.contains("Text me a new code"));
            let p = code_page_with_options(ctx, "tok", "x", Some(CodeProblem::Wrong), texted);
            assert!(p.contains("That code did not work. Check the newest text message from us"));
            let p = code_page_with_options(
                ctx,
                "tok",
                "x",
                Some(CodeProblem::Wrong),
                CodeOptions {
                    ask_passcode: true,
                    ..texted
                },
            );
            assert!(p.contains("That did not work."));
            assert!(!p.to_lowercase().contains("passcode was wrong"));
            let p = code_page_with_options(ctx, "tok", "x", Some(CodeProblem::SmsNotSent), texted);
            assert!(p.contains("could not send a text message"));
            // Mailed code on a copy that could also text: the mailbox is named.
            let p = code_page_with_options(
                ctx,
                "tok",
                "p•••@e•••.org",
                None,
                CodeOptions {
                    sent_by_sms: false,
                    ..texted
                },
            );
            assert!(p.contains("We emailed a 6-digit code to p•••@e•••.org"));
            assert!(!p.contains("<input type=\"hidden\" name=\"via\""));
        });
        with_ctx("es", |ctx| {
            let p = landing_page_with_sms(ctx, "tok", "x", false, Some("23"));
            assert!(p.contains("terminado en 23"));
            assert!(p.contains("Enviarme el código por mensaje de texto"));
        });
    }

    #[test]
    fn message_page_shows_message_files_replies_and_forms() {
        with_ctx("en", |ctx| {
            let v = view();
            let body = sanitize_html(
                "<p>All normal.</p><img src=\"https://t.example/x.gif\">",
                false,
            );
            let replies = vec![ReplyView {
                when: "2026-11-30 09:00".into(),
                text: "Thanks!\nSee you.".into(),
                attachments: vec!["insurance card.jpg".into()],
            }];
            let p = message_page(ctx, "copy-1", &v, &body, &replies, false, true);
            assert_common(&p, "en");
            assert!(p.contains("<h1>Your lab results</h1>"));
            assert!(p.contains("Dr. Ada Quill &#60;ada.quill@sunnyvale.example&#62;"));
            assert!(
                p.contains("<time datetime=\"2026-11-29T20:00:00Z\">2026-11-29 20:00 UTC</time>")
            );
            assert!(p.contains("<article class=\"body\""));
            assert!(p.contains("<p>All normal.</p>"));
            assert!(p.contains("href=\"/m/copy-1?remote=1&#38;lang=en\""));
            assert!(p.contains("href=\"/m/copy-1/attachments/0\""));
            assert!(p.contains("1.5 KB"));
            assert!(p.contains("href=\"/m/copy-1/print\""));
            assert!(p.contains("insurance card.jpg"));
            assert!(p.contains(
                "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/m/copy-1/reply\""
            ));
            assert!(p.contains("<label for=\"reply-text\">"));
            assert!(p.contains("<textarea id=\"reply-text\" name=\"text\""));
            assert!(p.contains("<label for=\"reply-files\">"));
            assert!(p.contains("name=\"files\" type=\"file\" multiple"));
            assert!(p.contains("data-passkey=\"register\""));
            assert!(p.contains("data-options-url=\"/m/copy-1/passkey/options\""));
            assert!(p.contains("action=\"/portal/sign-out\""));
            assert_eq!(p.matches("name=\"csrf\" value=\"CSRF123\"").count(), 2);

            // Remote images allowed, or none blocked: no "show pictures" link.
            let p = message_page(ctx, "copy-1", &v, &body, &[], true, false);
            assert!(!p.contains("remote=1"));
            assert!(!p.contains("data-passkey"));
            assert!(!p.contains("<script"));
            let clean = sanitize_html("<p>x</p>", false);
            assert!(!message_page(ctx, "c", &v, &clean, &[], false, false).contains("remote=1"));
        });
    }

    #[test]
    fn plain_text_bodies_keep_their_lines() {
        with_ctx("es", |ctx| {
            let mut v = view();
            v.html = None;
            v.subject = String::new();
            let body = SanitizedHtml {
                html: text_to_html("line 1\nline 2"),
                remote_blocked: 0,
            };
            let p = message_page(ctx, "c", &v, &body, &[], false, false);
            assert_common(&p, "es");
            assert!(p.contains("class=\"body plain\""));
            assert!(p.contains("line 1<br>line 2"));
            assert!(p.contains("(sin asunto)"));
            assert!(p.contains("1,5 KB"));
            let empty = message_page(ctx, "c", &v, &SanitizedHtml::default(), &[], false, false);
            assert!(empty.contains("Este mensaje no tiene texto."));
        });
    }

    #[test]
    fn print_page_has_no_forms() {
        with_ctx("en", |ctx| {
            let v = view();
            let p = print_page(ctx, &v, &sanitize_html("<p>All normal.</p>", false));
            assert_common(&p, "en");
            assert!(p.contains("<p>All normal.</p>"));
            assert!(p.contains("results.pdf"));
            assert!(!p.contains("<form"));
            assert!(!p.contains("<button"));
            assert!(!p.contains("<script"));
        });
    }

    #[test]
    fn every_notice_renders_kindly_in_both_languages() {
        let all = [
            Notice::LinkInvalid,
            Notice::Expired,
            Notice::Revoked,
            Notice::Locked,
            Notice::Unavailable,
            Notice::SignedOut,
            Notice::SessionEnded,
            Notice::ReplySent {
                copy_id: "copy-1".into(),
            },
            Notice::ReplyNotSent {
                copy_id: "copy-1".into(),
            },
            Notice::Forbidden,
        ];
        for code in ["en", "es"] {
            with_ctx(code, |ctx| {
                for n in &all {
                    let p = notice_page(ctx, n.clone());
                    assert_common(&p, code);
                    assert!(!p.contains("notice."), "missing text for {n:?}");
                    assert!(!p.contains('{'), "unfilled placeholder in {n:?}");
                }
            });
        }
        with_ctx("en", |ctx| {
            let p = notice_page(ctx, Notice::Expired);
            assert!(p.contains(
                "This secure message is no longer available. Please contact Sunny Vale Clinic \
                 and ask them to send it again."
            ));
            let p = notice_page(
                ctx,
                Notice::ReplySent {
                    copy_id: "copy-1".into(),
                },
            );
            assert!(p.contains("href=\"/m/copy-1\""));
            let p = notice_page(ctx, Notice::Unavailable);
            assert!(!p.to_lowercase().contains("error"));
        });
        assert_eq!(status_code(&Notice::LinkInvalid), 404);
        assert_eq!(status_code(&Notice::Expired), 410);
        assert_eq!(status_code(&Notice::Revoked), 410);
        assert_eq!(status_code(&Notice::Locked), 429);
        assert_eq!(status_code(&Notice::Unavailable), 503);
        assert_eq!(status_code(&Notice::Forbidden), 403);
        assert_eq!(status_code(&Notice::SignedOut), 200);
    }

    #[test]
    fn switcher_links_stay_on_site() {
        let cats = Catalogs::builtin();
        let lang = cats.english();
        let brand = Brand::default();
        for (path, want) in [
            ("/m/copy-1", "/m/copy-1?lang=es"),
            ("//evil.example/x", "/?lang=es"),
            ("/\\evil.example", "/?lang=es"),
            ("https://evil.example/", "/?lang=es"),
            ("/m/c?remote=1", "/m/c?lang=es"),
        ] {
            let ctx = Ctx {
                lang: &lang,
                brand: &brand,
                csrf: "c",
                path,
            };
            let p = notice_page(&ctx, Notice::SignedOut);
            assert!(p.contains(&format!("href=\"{want}\"")), "{path}: {p}");
            assert!(p.contains("the sender"), "fallback org name");
        }
    }

    #[test]
    fn human_sizes() {
        let cats = Catalogs::builtin();
        let en = cats.english();
        assert_eq!(human_size(&en, 0), "0 bytes");
        assert_eq!(human_size(&en, 1023), "1023 bytes");
        assert_eq!(human_size(&en, 1024), "1.0 KB");
        assert_eq!(human_size(&en, 15 * 1024), "15 KB");
        assert_eq!(human_size(&en, 5 * 1024 * 1024 / 2), "2.5 MB");
        assert_eq!(human_size(&en, 3 * 1024 * 1024 * 1024), "3.0 GB");
    }

    #[test]
    fn accent_is_validated_and_darkened_for_white_text() {
        const WHITE: [u8; 3] = [255, 255, 255];
        assert_eq!(Brand::default().header_colour(), DEFAULT_ACCENT);
        assert_eq!(Brand::new("X", "not a colour").accent, DEFAULT_ACCENT);
        assert_eq!(Brand::new("X", "#1F4E79").accent, "#1f4e79");
        for accent in [
            "#ffff00", "#ffffff", "#00ff00", "#87ceeb", "#ff8800", "#777777",
        ] {
            let c = Brand::new("X", accent).accent;
            let rgb = parse_hex(&c).expect("hex");
            assert!(
                contrast_ratio(rgb, WHITE) >= MIN_CONTRAST,
                "{accent} -> {c}"
            );
            assert_ne!(c, accent, "{accent} should have been darkened");
        }
        // Good colours are kept as they are.
        assert_eq!(Brand::new("X", "#004d40").accent, "#004d40");
        assert!(stylesheet(&Brand::new("X", "#ffff00")).starts_with(":root { --accent: #"));
    }

    #[test]
    fn contrast_ratio_matches_wcag_examples() {
        let r = contrast_ratio([0, 0, 0], [255, 255, 255]);
        assert!((r - 21.0).abs() < 0.01);
        let r = contrast_ratio([0x76, 0x76, 0x76], [255, 255, 255]);
        assert!((4.5..4.6).contains(&r), "{r}");
    }

    /// Every colour pair the stylesheet uses for text meets 4.5:1.
    #[test]
    fn stylesheet_text_colours_meet_wcag_aa() {
        let var = |name: &str| {
            let start = PORTAL_CSS
                .find(&format!("--{name}:"))
                .unwrap_or_else(|| panic!("--{name} missing"));
            let v = PORTAL_CSS[start..].split(':').nth(1).expect("value");
            parse_hex(v.split(';').next().expect("value")).expect("hex colour")
        };
        let bg = var("bg");
        for fg in ["text", "muted", "link"] {
            assert!(contrast_ratio(var(fg), bg) >= MIN_CONTRAST, "{fg} on bg");
            assert!(
                contrast_ratio(var(fg), var("panel")) >= MIN_CONTRAST,
                "{fg} on panel"
            );
        }
        assert!(contrast_ratio(var("button-text"), var("button")) >= MIN_CONTRAST);
        assert!(contrast_ratio(var("button"), bg) >= MIN_CONTRAST);
        assert!(contrast_ratio(var("error"), var("error-bg")) >= MIN_CONTRAST);
        assert!(contrast_ratio(var("ok"), var("ok-bg")) >= MIN_CONTRAST);
        assert!(contrast_ratio([255, 255, 255], var("accent-fallback")) >= MIN_CONTRAST);
        // Input borders and focus outline: 3:1 for non-text contrast (WCAG 1.4.11).
        assert!(contrast_ratio(var("line"), bg) >= 3.0);
    }

    /// Every text key the templates and this module ask for exists in the English catalog
    /// (an unknown key would show up on the page as the key itself).
    #[test]
    fn every_key_used_exists() {
        let sources = [
            include_str!("../templates/base.html"),
            include_str!("../templates/landing.html"),
            include_str!("../templates/passkey.html"),
            include_str!("../templates/code.html"),
            include_str!("../templates/message.html"),
            include_str!("../templates/print.html"),
            include_str!("../templates/notice.html"),
            include_str!("pages.rs"),
        ];
        let cats = Catalogs::builtin();
        let en = cats.english();
        let mut checked = 0;
        for src in sources {
            for call in ["t(\"", "t_args(\""] {
                for (i, _) in src.match_indices(call) {
                    let rest = &src[i + call.len()..];
                    let key = &rest[..rest.find('"').expect("closing quote")];
                    if key.contains('{') || key.is_empty() || !key.contains('.') {
                        continue; // built with format!, or this test's own text
                    }
                    assert_ne!(en.t(key), key, "missing key {key}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "only {checked} keys found");
    }

    #[test]
    fn css_and_script_have_the_promised_hooks() {
        assert!(PORTAL_CSS.contains("article a[href]::after { content: \" (\" attr(href) \")\""));
        assert!(PORTAL_CSS.contains("min-height: 48px"));
        assert!(PORTAL_CSS.contains(":focus-visible"));
        assert!(PASSKEY_JS.contains("navigator.credentials.create"));
        assert!(PASSKEY_JS.contains("navigator.credentials.get"));
        assert!(PASSKEY_JS.contains("\"x-csrf-token\""));
        assert!(PASSKEY_JS.contains("data-options-url"));
        assert!(PASSKEY_JS.contains("data-finish-url"));
        assert!(!PASSKEY_JS.contains("eval("));
        assert!(!PASSKEY_JS.contains("innerHTML"));
    }
}
