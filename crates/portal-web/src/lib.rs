//! The secure portal over HTTPS: where a recipient reads a message that policy would not
//! let travel by e-mail, after proving who they are, and replies to it.
//!
//! **What it does:** [`Portal::publish_once`] turns recipient copies that wait for the
//! portal into portal copies (the message sealed again with the copy's own data key) and
//! queues a notification with a fresh link (≥ 128 random bits; only its hash is stored).
//! [`Portal::router`] serves the recipient's pages: the landing page behind the link, the
//! one-time code sent to the recipient's mailbox or, when the sender gave the recipient's
//! mobile number and SMS is configured ([`Portal::with_sms`]), by text message (with the
//! sender's passcode when the message carries one), passkey registration and sign-in (WebAuthn), the message
//! (sanitised), attachments, the print view, the reply form, and sign-out. [`copies`] and [`revoke`]
//! are the sender's and administrator's side (the CLI and the API call them).
//!
//! **What it does not do:** no page templates, translations, HTML sanitising or secret
//! generation of its own: those are the pure `portal` crate. Sign-in for staff is
//! elsewhere.
//!
//! **Security posture:** the link alone never shows content; a code proves control of the
//! mailbox; codes expire, are counted atomically and lock out; sessions are server-side
//! (the cookie holds a random id, the store its hash), rotated at verification, bounded by
//! idle and absolute limits; every form carries an anti-forgery token and cross-site
//! posts are refused; a session reads only its own address's copies in its own
//! organisation, and a copy it may not read looks exactly like one that does not exist.
//! Every refusal is an audit event and a clear page for the person, never a technical
//! error.
//!
//! **PHI:** message content is opened only to render a page or a download and is never
//! logged; notifications carry the organisation's name and a link, never the subject
//! (their text is checked by the DLP scanner). Audit events name copies by id. The
//! recipient's mobile number (header `X-Carepost-Portal-Sms`) is sealed like the content,
//! opened only to send a code or to show its last two digits, and never logged or audited;
//! the text message holds the organisation's name and the code only.

mod mail;
mod passkey;
mod publish;
mod sender;
mod views;
mod web;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crypto::KeyRing;
use model::Clock;
use portal::i18n::Catalogs;
use portal::rules::{CodeRules, SessionRules};
use queue::Intake;
use storage::SharedStore;

pub use sender::{CopyStatus, RevokeError, copies, revoke};
/// The SMS crate, for the binary that builds the sender it hands to [`Portal::with_sms`].
pub use sms;
pub use web::ClientIp;

/// How the portal behaves.
#[derive(Clone, Debug)]
pub struct PortalSettings {
    /// The portal's address as recipients reach it, e.g. `https://mail.example.org:8443`
    /// (no trailing slash). Links in notifications start with it.
    pub public_url: String,
    /// How long a link works.
    pub link_ttl: Duration,
    /// Code lifetime, attempts and lockout.
    pub codes: CodeRules,
    /// Session idle and absolute limits.
    pub sessions: SessionRules,
    /// The organisation's colour for the page header (`#rrggbb`).
    pub accent: String,
    /// Tell senders when a recipient first opens a copy, for every message (a message can
    /// also ask with `X-Carepost-Read-Notice: yes`).
    pub read_notice: bool,
    /// Largest reply (text and attachments together), in bytes.
    pub max_reply_bytes: usize,
    /// Our host name (notices' From, generated Message-IDs).
    pub hostname: String,
    /// Requests per minute one IP address may make to the pages behind a link (link
    /// guessing and code floods meet this before anything else).
    pub requests_per_minute_per_ip: u32,
}

impl Default for PortalSettings {
    fn default() -> Self {
        Self {
            public_url: "https://localhost:8443".to_string(),
            link_ttl: Duration::from_secs(30 * 24 * 3600),
            codes: CodeRules::default(),
            sessions: SessionRules::default(),
            accent: "#1f4e79".to_string(),
            read_notice: false,
            max_reply_bytes: 25 * 1024 * 1024,
            hostname: "localhost".to_string(),
            requests_per_minute_per_ip: 120,
        }
    }
}

/// Why the portal could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// An extra language file is unreadable or invalid.
    #[error("portal language file {file}: {reason}")]
    Language {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The text message with a code would carry PHI-like content.
    #[error(
        "the portal's text message with a code in language {lang} looks like it holds PHI ({categories}); change it"
    )]
    SmsTextHoldsPhi {
        /// The language.
        lang: String,
        /// The categories the scanner found.
        categories: String,
    },
    /// A notification text would carry PHI-like content.
    #[error(
        "the portal notification text in language {lang} looks like it holds PHI ({categories}); change it"
    )]
    NotificationHoldsPhi {
        /// The language.
        lang: String,
        /// The categories the scanner found.
        categories: String,
    },
    /// A setting is invalid.
    #[error("portal setting {0}")]
    Setting(String),
}

/// The portal: shared by the publisher loop and the web handlers.
pub struct Portal {
    pub(crate) store: SharedStore,
    pub(crate) keys: Arc<KeyRing>,
    pub(crate) intake: Arc<Intake>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: PortalSettings,
    pub(crate) catalogs: Catalogs,
    pub(crate) code_key: zeroize::Zeroizing<[u8; 32]>,
    pub(crate) scanner: dlp::Scanner,
    /// Sends codes by text message; `None` when SMS is not configured (only e-mail codes).
    pub(crate) sms: Option<Arc<dyn sms::SmsSender>>,
    pub(crate) limiter: web::IpLimiter,
    /// `None` when the public URL cannot be a WebAuthn relying party (passkeys are then
    /// not offered; codes still work).
    pub(crate) webauthn: Option<webauthn_rs::prelude::Webauthn>,
    /// Organisation names (they never change once created): one query saved per page.
    pub(crate) org_names: std::sync::Mutex<std::collections::HashMap<model::TenantId, String>>,
    /// (session, copy, remote images) already recorded as opened on this node: reloading
    /// a page in the same session is not a new opening.
    pub(crate) openings:
        std::sync::Mutex<std::collections::HashSet<(String, model::PortalCopyId, bool)>>,
    /// Copies opened for display in the last minute (see `views.rs`): consulted only after
    /// the session and access checks.
    pub(crate) views: views::Views,
}

impl Portal {
    /// Set up the portal. `code_key` keys the hashes of one-time codes (every node of a
    /// cluster needs the same one). Extra languages are read from `*.toml` files in
    /// `languages_dir` if it exists. Every language's notification text is checked by the
    /// DLP scanner here, so a text that would carry PHI stops the start.
    pub fn new(
        store: SharedStore,
        keys: Arc<KeyRing>,
        intake: Arc<Intake>,
        clock: Arc<dyn Clock>,
        settings: PortalSettings,
        code_key: [u8; 32],
        languages_dir: Option<&Path>,
    ) -> Result<Self, SetupError> {
        let mut catalogs = Catalogs::builtin();
        if let Some(dir) = languages_dir.filter(|d| d.is_dir()) {
            let entries = std::fs::read_dir(dir).map_err(|e| SetupError::Language {
                file: dir.display().to_string(),
                reason: e.kind().to_string(),
            })?;
            let mut files: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for file in files {
                let lang = file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string();
                let text = std::fs::read_to_string(&file).map_err(|e| SetupError::Language {
                    file: file.display().to_string(),
                    reason: e.kind().to_string(),
                })?;
                catalogs =
                    catalogs
                        .with_extra(&lang, &text)
                        .map_err(|reason| SetupError::Language {
                            file: file.display().to_string(),
                            reason,
                        })?;
            }
        }
        if !settings.public_url.starts_with("https://") {
            return Err(SetupError::Setting(
                "public_url must start with https:// (the portal is HTTPS only)".into(),
            ));
        }
        let webauthn = match passkey::relying_party(&settings.public_url) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!(error = %e, "passkeys are off for the portal");
                None
            }
        };
        let portal = Self {
            webauthn,
            org_names: std::sync::Mutex::default(),
            openings: std::sync::Mutex::default(),
            views: views::Views::default(),
            store,
            keys,
            intake,
            clock,
            limiter: web::ip_limiter(settings.requests_per_minute_per_ip),
            settings,
            catalogs,
            code_key: zeroize::Zeroizing::new(code_key),
            scanner: dlp::Scanner::new(),
            sms: None,
        };
        portal.check_notification_texts()?;
        Ok(portal)
    }

    /// Offer codes by text message (for copies whose sender gave the recipient's number),
    /// sent through `sender`. Every language's text message is checked by the DLP scanner
    /// here, as the notification texts are in [`Portal::new`].
    pub fn with_sms(mut self, sender: Arc<dyn sms::SmsSender>) -> Result<Self, SetupError> {
        self.check_sms_texts()?;
        self.sms = Some(sender);
        Ok(self)
    }

    /// The pages, to mount on the HTTPS listener.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        web::router(self.clone())
    }

    /// Publish, notify and sweep until `shutdown` turns true: every two seconds, or sooner
    /// when `wake` is notified (the delivery worker moved a copy to the portal).
    pub async fn run(
        self: Arc<Self>,
        wake: Arc<tokio::sync::Notify>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut last_sweep = None::<model::Timestamp>;
        loop {
            if let Err(e) = self.publish_once().await {
                tracing::warn!(error = %e, "portal publishing failed; will retry");
            }
            let now = self.clock.now();
            if last_sweep.is_none_or(|t| now.since(t) >= Duration::from_secs(60)) {
                if let Err(e) = self.sweep_once().await {
                    tracing::warn!(error = %e, "portal sweep failed; will retry");
                }
                last_sweep = Some(now);
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                _ = wake.notified() => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}
