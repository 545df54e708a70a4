//! # portal — the pure core of carepost's secure portal
//!
//! When policy will not let a message travel by e-mail, the recipient gets a link instead and
//! reads the message here: proves who they are with a one-time code sent to their address (or
//! a passkey), reads the message and its attachments, replies securely, and signs out.
//!
//! ## What this crate does
//!
//! - [`secrets`]: link tokens, session ids, CSRF tokens and 6-digit codes, and the hashes the
//!   database keeps instead of them; address masking ("j•••@e•••.org").
//! - [`rules`]: verification limits as data (code TTL, tries, codes per hour, lockout; session
//!   idle and absolute lifetimes) and the pure decisions made from counters the adapter keeps.
//! - [`i18n`]: English and Spanish catalogs built in; more languages from TOML files an
//!   operator supplies, falling back to English per key; `Accept-Language` negotiation.
//! - [`content`]: a bounded, display-ready view of a stored message (mail-parser) and
//!   attachment extraction with safe file names.
//! - [`sanitize`]: the message body made safe for a page (ammonia), remote images blocked and
//!   counted; plain text escaped.
//! - [`pages`]: every portal page as a complete HTML string (askama), the stylesheet and the
//!   passkey script, and WCAG contrast checks for the organisation's colour.
//! - [`reply`]: the e-mail that carries a reply back to the sender (mail-builder).
//! - [`headers`]: the HTTP security headers for pages and downloads.
//!
//! ## What it does not do
//!
//! No I/O of any kind: no sockets, no disk, no database, no clock (callers pass
//! [`model::Timestamp`]s), no async. The HTTP adapter (in the web crate) routes requests,
//! keeps sessions and counters in storage, decrypts the stored message, sends the code e-mail,
//! serves [`pages::stylesheet`] and [`pages::PASSKEY_JS`], and sends the headers from
//! [`headers`] with each response. WebAuthn ceremony verification also lives there; this
//! crate only ships the browser half ([`pages::PASSKEY_JS`]).
//!
//! ## Security posture
//!
//! Runs inside the public-facing web process, which sees decrypted message content for the
//! one copy a verified reader is entitled to.
//!
//! - **Escaping everywhere.** Templates are compiled askama templates with HTML auto-escaping;
//!   every value (subject, sender, file names, organisation name, translations, URLs) is
//!   escaped. The only `|safe` insertion is the message body, and the only way to make one is
//!   [`sanitize::SanitizedHtml`] from [`sanitize`]. The CSS and JavaScript are separate files,
//!   not inlined, so the CSP can forbid inline script and style (`script-src 'self'`,
//!   `style-src 'self'`, no `unsafe-inline`).
//! - **Sanitizing as an allow-list**, on the same HTML5 parser browsers follow; tested
//!   against a corpus of more than 100 classic and mutation XSS payloads (`tests/xss.rs`).
//! - **Secrets** come from the OS CSPRNG; only hashes are stored; codes are HMAC-keyed so a
//!   stolen table does not reveal them; comparisons are constant-time.
//! - **Limits on every input**: subject, sender, file names, bodies, attachment count, reply
//!   text and files, catalog size, `Accept-Language` items.
//! - **One vague answer** for a wrong, expired or used-up code, and the same page for an
//!   unknown and a malformed link, so the portal does not confirm what exists.
//!
//! ## PHI
//!
//! Message content, addresses and file names pass through [`content`], [`sanitize`],
//! [`pages`] and [`reply`] in memory only and are returned to the caller; nothing is stored
//! or logged here. `Debug` on [`content::MessageView`], [`content::AttachmentInfo`],
//! [`sanitize::SanitizedHtml`], [`pages::ReplyView`] and [`secrets::Issued`] redacts
//! content and secrets so they do not end up in logs by accident.
//!
//! ## Standards
//!
//! WCAG 2.1 AA (1.4.3 contrast, 2.4.1 skip link, 2.4.7 focus visible, 2.5.5 target size,
//! 3.3.2 labels); RFC 6266/8187 (download file names); RFC 5322 §3.6.4 (In-Reply-To,
//! References); WebAuthn Level 2 (browser side, base64url JSON as webauthn-rs expects).
//!
//! ## Errors
//!
//! [`content::ContentError`] says a stored message could not be parsed (show
//! [`pages::Notice::Unavailable`]); [`i18n::Catalogs::with_extra`] returns a message for the
//! operator naming the file's problem. Page rendering cannot fail.

pub mod content;
pub mod headers;
pub mod i18n;
pub mod pages;
pub mod reply;
pub mod rules;
pub mod sanitize;
pub mod secrets;

pub use headers::{download_headers, security_headers};
