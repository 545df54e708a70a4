//! The admin console (issue 6): people of an organisation sign in and run carepost for it:
//! their own sessions and credentials, people and groups, conditional access, the policy,
//! quarantine, the queue, the audit trail and today's figures, each by role.
//!
//! **What it does:** server-rendered pages under `/console` (no JavaScript framework; one
//! small script for WebAuthn) and their JSON twins under `/api/v1`:
//!
//! * sign-in with a password (NIST SP 800-63B-4 rules, throttling with growing delays and a
//!   lock after 100 consecutive failures) and always a second factor: a passkey or security
//!   key (WebAuthn), or a TOTP code (RFC 6238) with single-use recovery codes. Owners,
//!   admins and compliance officers must use a phishing-resistant factor (a passkey);
//!   TOTP is refused to them. A person with no second factor yet is taken straight to
//!   setting one up, and a generated first password must be changed first;
//! * conditional access (`access::AccessPolicy`: networks, countries, hours, impossible
//!   travel) at sign-in and again on every use of a session (a denied use ends the
//!   session), each decision audited with its reasons; the organisation's own stored
//!   policy, edited on `/console/access`, else the server's file, else the default;
//! * groups of people (`/console/groups`), which policy rules match with `sender_groups`;
//! * server-side sessions: 256-bit ids in `HttpOnly; Secure; SameSite=Strict` cookies,
//!   a new id at sign-in and at every step-up, 15-minute idle and 12-hour absolute limits
//!   by default; a cookie replayed from another network and browser must step up
//!   (prove a factor again) before it is honoured; sensitive actions need a step-up in the
//!   last 5 minutes;
//! * today's mail as counts and SVG charts (by channel, delivery, TLS version, DLP
//!   category, failures), for every role (no per-message data);
//! * the queue with each recipient copy's status (owners, admins, compliance), and retry,
//!   hold and release of copies (owners, admins; audited);
//! * the policy: the document in force, an editor that validates before storing (a
//!   sensitive action: step-up), the stored versions, and a dry run of a pasted message
//!   that explains which rules fire and why (owners and compliance edit; admins and
//!   auditors look; every dry run audited before anything is shown);
//! * quarantine review: the organisation's quarantined copies, why they were held (scan
//!   categories, policy rules), release, and reject with a reason for the sender, who is
//!   told without the subject (owners, compliance officers; audited);
//! * the audit trail: search by kind, message and day, and a message's delivery receipt
//!   with its proofs (owners, admins, compliance officers, auditors; every search audited);
//! * a person lists and ends their own sessions; an administrator ends all of a user's
//!   sessions and resets their second factors (audited; the reset is alerted);
//! * owners and admins add people (a one-time password shown once), change roles and
//!   disable or enable people, under the owner rules (`user_admin`);
//! * a person makes, lists and revokes their own SMTP app passwords, and owners and admins
//!   the organisation's API keys, each secret shown once (`credentials_page`);
//! * the binary's older API routes accept a console session with the same checks as the
//!   JSON twins (`Console::api_user`);
//! * single sign-on with the organisation's OpenID provider (`sso` crate), groups mapped
//!   to roles (and to the organisation's groups of the same name), accounts created on
//!   first sign-in; privileged roles still prove a passkey;
//! * a forgotten password is reset by a link e-mailed to the person (10 minutes, once),
//!   which leads to choosing a new password and then still to the second factor;
//! * break-glass access with a single-use emergency code and a reason, for when the
//!   provider or a second factor is unavailable: at most an hour, alerted, audited.
//!
//! **What it does not do:** the policy, quarantine and queue logic is not here but in the
//! `operations` crate (shared with the CLI and the REST API); these pages only check who
//! asks and render the answers.
//!
//! **Security:** every form carries an anti-forgery token (double-submit before sign-in,
//! the session's token after) and cross-site posts are refused (`Sec-Fetch-Site`, `Origin`);
//! failures say only "the address or password is not right" or "the code is not right",
//! with the reason in the audit trail. Session ids, recovery codes and TOTP secrets are
//! stored only hashed or sealed (see `storage::AccountStore`). A user of one organisation
//! never sees another organisation's users or sessions.
//!
//! **PHI:** the sign-in, session and user pages carry none (staff accounts). The queue and
//! quarantine pages show recipient addresses (roles that see message details), never a
//! subject or body; a policy dry run reads a pasted message in memory only, records the
//! look in the audit trail first, and shows rules, categories and counts, never a value.

#![warn(missing_docs)]

mod access_page;
mod api_auth;
mod audit_page;
mod break_glass;
mod credentials_page;
mod dashboard;
mod groups_page;
mod guard;
mod pages;
mod policy_page;
mod quarantine_page;
mod queue_page;
mod reset;
mod session;
mod signin;
mod sso_signin;
mod user_admin;
mod users;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use crypto::KeyRing;
use model::Clock;
use storage::SharedStore;
use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

pub use api_auth::{ApiNeed, ApiRefusal};
pub use session::ClientIp;
pub use sso_signin::SsoSetup;

/// Settings from `[console]`.
#[derive(Clone, Debug)]
pub struct ConsoleSettings {
    /// The console's public origin (`https://mail.clinic.example:8443`), for passkeys.
    pub public_url: String,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever the activity.
    pub session_max: Duration,
    /// How recent a step-up must be for a sensitive action.
    pub step_up_window: Duration,
    /// The name shown in authenticator apps (`otpauth://` issuer).
    pub issuer: String,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self {
            public_url: "https://localhost:8443".to_string(),
            session_idle: Duration::from_secs(15 * 60),
            session_max: Duration::from_secs(12 * 3600),
            step_up_window: Duration::from_secs(5 * 60),
            issuer: "carepost".to_string(),
        }
    }
}

/// The console: shared state of its handlers.
pub struct Console {
    store: SharedStore,
    keys: Arc<KeyRing>,
    clock: Arc<dyn Clock>,
    settings: ConsoleSettings,
    webauthn: Webauthn,
    /// The configured access policy (`console.access_policy_file`, or the default): it
    /// decides for organisations that stored none (see `access_page`).
    access: Arc<access::AccessPolicy>,
    /// Each organisation's access policy in force, briefly cached (see `access_page`).
    org_access: access_page::OrgAccessCache,
    geo: Option<access::geo::GeoDb>,
    throttle: identity::throttle::LoginThrottle,
    /// Where the console's own e-mails (password-reset links) are queued, and our host
    /// name for them; `None`: no e-mail, resets only by `carepost user reset-password`.
    mail: Option<(Arc<queue::Intake>, String)>,
    /// The audit trail, for delivery receipts (`None`: receipts are not offered).
    trail: Option<Arc<audit_trail::AuditTrail>>,
    /// Single sign-on with the organisation's OpenID provider, if configured.
    sso: Option<SsoSetup>,
    /// An argon2id hash checked when the address is unknown, so a wrong address takes as
    /// long as a wrong password (no address enumeration by timing).
    decoy_hash: String,
}

impl Console {
    /// A console over the store and key ring. `access` is the conditional-access policy
    /// (default: allow, step up on new devices, deny impossible travel); `geo` a MaxMind
    /// database for countries and locations, if the operator has one.
    pub fn new(
        store: SharedStore,
        keys: Arc<KeyRing>,
        clock: Arc<dyn Clock>,
        settings: ConsoleSettings,
        access: access::AccessPolicy,
        geo: Option<access::geo::GeoDb>,
    ) -> Result<Self, String> {
        let origin =
            Url::parse(&settings.public_url).map_err(|e| format!("console public_url: {e}"))?;
        let host = origin
            .host_str()
            .ok_or_else(|| "console public_url has no host".to_string())?
            .to_string();
        let webauthn = WebauthnBuilder::new(&host, &origin)
            .and_then(|b| b.rp_name("carepost console").build())
            .map_err(|e| format!("passkeys for {}: {e}", settings.public_url))?;
        let decoy_hash = auth::hash_secret("carepost decoy password, never a real one")
            .map_err(|e| format!("hashing: {e}"))?;
        Ok(Self {
            store,
            keys,
            clock,
            settings,
            webauthn,
            access: Arc::new(access),
            org_access: access_page::OrgAccessCache::default(),
            geo,
            throttle: identity::throttle::LoginThrottle::default(),
            sso: None,
            mail: None,
            trail: None,
            decoy_hash,
        })
    }

    /// Send password-reset links through the intake path (`hostname` names the sender).
    pub fn with_mail(mut self, intake: Arc<queue::Intake>, hostname: &str) -> Self {
        self.mail = Some((intake, hostname.to_string()));
        self
    }

    /// Offer delivery receipts from this audit trail.
    pub fn with_trail(mut self, trail: Arc<audit_trail::AuditTrail>) -> Self {
        self.trail = Some(trail);
        self
    }

    /// Offer single sign-on with an OpenID provider.
    pub fn with_sso(mut self, sso: SsoSetup) -> Self {
        self.sso = Some(sso);
        self
    }

    /// The routes: pages under `/console`, JSON twins under `/api/v1`.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/console", get(users::home))
            .route("/console/", get(users::home))
            .route(
                "/console/sign-in",
                get(signin::sign_in_page).post(signin::sign_in),
            )
            .route(
                "/console/password",
                get(signin::password_page).post(signin::change_password),
            )
            .route("/console/factor", get(signin::factor_page))
            .route("/console/factor/totp", post(signin::factor_totp))
            .route("/console/factor/recovery", post(signin::factor_recovery))
            .route(
                "/console/factor/passkey/options",
                post(signin::passkey_sign_in_options),
            )
            .route(
                "/console/factor/passkey/finish",
                post(signin::passkey_sign_in_finish),
            )
            .route("/console/enrol", get(signin::enrol_page))
            .route("/console/enrol/totp", post(signin::enrol_totp))
            .route(
                "/console/enrol/passkey/options",
                post(signin::passkey_register_options),
            )
            .route(
                "/console/enrol/passkey/finish",
                post(signin::passkey_register_finish),
            )
            .route("/console/step-up", get(signin::step_up_page))
            .route("/console/sign-out", post(signin::sign_out))
            .route(
                "/console/break-glass",
                get(break_glass::page).post(break_glass::use_code),
            )
            .route("/console/forgot", get(reset::page).post(reset::send))
            .route("/console/reset/{token}", get(reset::open))
            .route("/console/sso", get(sso_signin::start))
            .route("/console/sso/callback", get(sso_signin::callback))
            .route("/console/dashboard", get(dashboard::page))
            .route("/console/queue", get(queue_page::page))
            .route(
                "/console/queue/{id}/{action}",
                post(queue_page::action_form),
            )
            .route(
                "/console/policy",
                get(policy_page::page)
                    .post(policy_page::save_form)
                    .layer(DefaultBodyLimit::max(policy_page::MAX_POLICY_BODY_BYTES)),
            )
            .route(
                "/console/policy/test",
                post(policy_page::test_form)
                    .layer(DefaultBodyLimit::max(policy_page::MAX_POLICY_BODY_BYTES)),
            )
            .route("/console/quarantine", get(quarantine_page::page))
            .route(
                "/console/quarantine/{id}",
                get(quarantine_page::detail_page),
            )
            .route(
                "/console/quarantine/{id}/release",
                post(quarantine_page::release_form),
            )
            .route(
                "/console/quarantine/{id}/reject",
                post(quarantine_page::reject_form),
            )
            .route("/console/audit", get(audit_page::page))
            .route("/console/audit/proof/{message}", get(audit_page::proof))
            .route("/console/sessions", get(users::sessions_page))
            .route("/console/sessions/end", post(users::end_session_form))
            .route(
                "/console/sessions/end-others",
                post(users::end_other_sessions_form),
            )
            .route("/console/credentials", get(credentials_page::page))
            .route(
                "/console/credentials/app-passwords",
                post(credentials_page::create_app_password_form),
            )
            .route(
                "/console/credentials/app-passwords/{id}/revoke",
                post(credentials_page::revoke_app_password_form),
            )
            .route(
                "/console/credentials/api-keys",
                post(credentials_page::create_api_key_form),
            )
            .route(
                "/console/credentials/api-keys/{id}/revoke",
                post(credentials_page::revoke_api_key_form),
            )
            .route("/console/users", get(users::users_page))
            .route(
                "/console/users/{id}/end-sessions",
                post(users::end_user_sessions_form),
            )
            .route("/console/users/{id}/reset-mfa", post(users::reset_mfa_form))
            .route("/console/users/add", post(user_admin::add_form))
            .route("/console/users/{id}/role", post(user_admin::role_form))
            .route(
                "/console/users/{id}/disable",
                post(user_admin::disable_form),
            )
            .route("/console/users/{id}/enable", post(user_admin::enable_form))
            .route(
                "/console/groups",
                get(groups_page::page).post(groups_page::create_form),
            )
            .route(
                "/console/groups/{id}/delete",
                post(groups_page::delete_form),
            )
            .route(
                "/console/groups/{id}/members",
                post(groups_page::add_member_form),
            )
            .route(
                "/console/groups/{id}/members/remove",
                post(groups_page::remove_member_form),
            )
            .route(
                "/console/access",
                get(access_page::page).post(access_page::save_form),
            )
            .route("/console/access/check", post(access_page::check_form))
            .route("/console/static/console.css", get(pages::css))
            .route("/console/static/passkey.js", get(pages::passkey_js))
            .route("/api/v1/dashboard", get(dashboard::json))
            .route("/api/v1/queue", get(queue_page::json))
            .route("/api/v1/queue/{id}/retry", post(queue_page::retry_json))
            .route("/api/v1/queue/{id}/hold", post(queue_page::hold_json))
            .route("/api/v1/queue/{id}/release", post(queue_page::release_json))
            .route(
                "/api/v1/policy/dry-run",
                post(policy_page::dry_run_json)
                    .layer(DefaultBodyLimit::max(policy_page::MAX_POLICY_BODY_BYTES)),
            )
            .route("/api/v1/quarantine", get(quarantine_page::list_json))
            .route("/api/v1/quarantine/{id}", get(quarantine_page::detail_json))
            .route(
                "/api/v1/quarantine/{id}/release",
                post(quarantine_page::release_json),
            )
            .route(
                "/api/v1/quarantine/{id}/reject",
                post(quarantine_page::reject_json),
            )
            .route("/api/v1/audit/events", get(audit_page::json))
            .route("/api/v1/me", get(users::me_json))
            .route("/api/v1/me/sessions", get(users::sessions_json))
            .route("/api/v1/me/sessions/end", post(users::end_session_json))
            .route(
                "/api/v1/me/app-passwords",
                get(credentials_page::list_json).post(credentials_page::create_json),
            )
            .route(
                "/api/v1/me/app-passwords/{id}/revoke",
                post(credentials_page::revoke_json),
            )
            .route(
                "/api/v1/users",
                get(users::users_json).post(user_admin::add_json),
            )
            .route("/api/v1/users/{id}/role", post(user_admin::role_json))
            .route("/api/v1/users/{id}/disable", post(user_admin::disable_json))
            .route("/api/v1/users/{id}/enable", post(user_admin::enable_json))
            .route(
                "/api/v1/users/{id}/end-sessions",
                post(users::end_user_sessions_json),
            )
            .route("/api/v1/users/{id}/reset-mfa", post(users::reset_mfa_json))
            .route(
                "/api/v1/groups",
                get(groups_page::list_json).post(groups_page::create_json),
            )
            .route("/api/v1/groups/{id}/delete", post(groups_page::delete_json))
            .route(
                "/api/v1/groups/{id}/members",
                post(groups_page::add_member_json),
            )
            .route(
                "/api/v1/groups/{id}/members/remove",
                post(groups_page::remove_member_json),
            )
            .route(
                "/api/v1/access-policy",
                get(access_page::get_json).put(access_page::put_json),
            )
            .route(
                "/api/v1/access-policy/history",
                get(access_page::history_json),
            )
            .route("/api/v1/access-policy/check", post(access_page::check_json))
            .with_state(self.clone())
    }

    fn country_of(&self, ip: IpAddr) -> (Option<String>, Option<(f64, f64)>) {
        match self.geo.as_ref().and_then(|g| g.lookup(ip)) {
            Some(info) => (Some(info.country), info.location),
            None => (None, None),
        }
    }
}
