//! Records and the trait for people signing in to the admin console: server-side sessions,
//! consecutive sign-in failures (throttling and lockout), TOTP second factors and their
//! recovery codes.
//!
//! **Secrets:** session ids and recovery codes are kept only as hashes (SHA-256 of a
//! 256-bit id; argon2id of a recovery code); a TOTP secret arrives sealed (see `crypto`).
//! A copy of the database therefore opens no session and yields no second factor.
//! **PHI:** none; these are staff accounts.

use async_trait::async_trait;
use model::{Role, TenantId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::{AuditEvents, Result};

/// A signed-in person's session (the cookie holds the id; the store its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSession {
    /// SHA-256 (hex) of the session id in the cookie.
    pub id_hash: String,
    /// Organisation.
    pub tenant: TenantId,
    /// Who.
    pub user: UserId,
    /// How they signed in: `password`, `password+totp`, `password+recovery-code`,
    /// `passkey`, `sso`, `break-glass`.
    pub method: String,
    /// The anti-forgery token every form and state-changing request must carry.
    pub csrf_token: String,
    /// When it began (sign-in).
    pub created: Timestamp,
    /// Last request (the idle limit counts from here).
    pub last_seen: Timestamp,
    /// Absolute end, whatever the activity.
    pub expires: Timestamp,
    /// The last time the person proved a factor again (step-up for sensitive actions).
    pub stepped_up: Option<Timestamp>,
    /// Where it began: the client's IP address (shown to the person in their session list).
    pub ip: String,
    /// SHA-256 (hex) of the device fingerprint it began on (the user agent); a request from
    /// another fingerprint is treated as a replayed cookie.
    pub device: String,
    /// A short description of the browser for the session list ("Chrome on Linux").
    pub device_label: String,
    /// When it ended (sign-out, idle, ended by the person or an administrator).
    pub ended: Option<Timestamp>,
    /// A WebAuthn ceremony in progress (its state, JSON), if any.
    pub ceremony: Option<String>,
}

impl UserSession {
    /// Whether it may be used at `now` with the given idle limit.
    pub fn live_at(&self, now: Timestamp, idle: std::time::Duration) -> bool {
        self.ended.is_none() && now < self.expires && now < self.last_seen.plus(idle)
    }
}

/// A person's TOTP second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTotp {
    /// Who.
    pub user: UserId,
    /// The base32 secret, sealed (associated data: the user id and `/totp`).
    pub sealed_secret: Vec<u8>,
    /// The last time step accepted (a code is never accepted twice).
    pub last_step: Option<u64>,
    /// When it was set up.
    pub created: Timestamp,
    /// When the person proved they had it (a first good code); until then it is not a
    /// factor and sign-in does not ask for it.
    pub confirmed: Option<Timestamp>,
}

/// A passkey or security key a console user registered (WebAuthn).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPasskey {
    /// The credential id (base64url), unique.
    pub credential_id: String,
    /// Organisation.
    pub tenant: TenantId,
    /// Who.
    pub user: UserId,
    /// The name the person gave it ("YubiKey", "laptop").
    pub name: String,
    /// The credential (webauthn-rs `Passkey`, JSON: public key and signature counter).
    pub passkey: String,
    /// When it was registered.
    pub created: Timestamp,
    /// When it last signed in.
    pub last_used: Option<Timestamp>,
}

/// Sign-in, session and second-factor state of console users.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Store a new session (with its audit events: the sign-in).
    async fn create_user_session(
        &self,
        session: &UserSession,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// A session by the hash of its id (ended ones too: the caller checks).
    async fn user_session(&self, id_hash: &str) -> Result<UserSession>;
    /// A person's sessions that have not ended, newest first.
    async fn user_sessions(&self, user: UserId) -> Result<Vec<UserSession>>;
    /// Note activity at `at`.
    async fn touch_user_session(&self, id_hash: &str, at: Timestamp) -> Result<()>;
    /// Note that the person proved a factor again at `at`.
    async fn step_up_user_session(
        &self,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// End one session of `user`. `Ok(false)` (and no events recorded) if it had ended
    /// already; `NotFound` if it is not theirs.
    async fn end_user_session(
        &self,
        user: UserId,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// End every live session of `user` except `keep` (the caller's own); returns how many
    /// ended (events are recorded only when at least one did).
    async fn end_user_sessions(
        &self,
        user: UserId,
        keep: Option<&str>,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<u64>;

    /// Count one more consecutive failed sign-in at `at`; returns the new count.
    async fn record_sign_in_failure(&self, user: UserId, at: Timestamp) -> Result<u32>;
    /// Consecutive failed sign-ins and when the last one was.
    async fn sign_in_failures(&self, user: UserId) -> Result<(u32, Option<Timestamp>)>;
    /// Reset the count (a good sign-in, or an administrator unlocking the account).
    async fn clear_sign_in_failures(&self, user: UserId) -> Result<()>;

    /// Set up (or replace, unconfirmed) a person's TOTP factor.
    async fn put_user_totp(&self, totp: &UserTotp, audit: AuditEvents<'_>) -> Result<()>;
    /// A person's TOTP factor, if any.
    async fn user_totp(&self, user: UserId) -> Result<Option<UserTotp>>;
    /// Accept time step `step`: `Ok(true)` only if it is later than the last accepted one
    /// (checked and written atomically, so a code raced twice is accepted once); confirms
    /// the factor at `at` if it was not yet.
    async fn accept_totp_step(&self, user: UserId, step: u64, at: Timestamp) -> Result<bool>;
    /// Remove all of a person's second factors: TOTP, recovery codes and passkeys (an
    /// administrator's MFA reset).
    async fn reset_user_factors(&self, user: UserId, audit: AuditEvents<'_>) -> Result<()>;
    /// Give a person a new single-use break-glass code (its argon2id hash), replacing any
    /// earlier one, used or not.
    async fn put_break_glass(
        &self,
        user: UserId,
        hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// The hash of a person's unused break-glass code, if they have one.
    async fn unused_break_glass(&self, user: UserId) -> Result<Option<String>>;
    /// Use the person's break-glass code at `at`, keeping the sealed reason: `Ok(true)`
    /// only the first time (one conditional write, so two racing uses cannot both pass).
    async fn use_break_glass(
        &self,
        user: UserId,
        at: Timestamp,
        sealed_reason: &[u8],
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// Change a person's role (single sign-on follows the provider's groups; an
    /// administrator changes it in the console). `NotFound` for an unknown person.
    async fn set_user_role(&self, user: UserId, role: Role, audit: AuditEvents<'_>) -> Result<()>;
    /// Disable (`true`) or enable (`false`) a person. Disabling also ends every live session
    /// of theirs in the same transaction, at the time of the first audit event (the change's
    /// time; the wall clock if no event is given), so a disabled person is signed out at
    /// once and not only refused at their next request. `NotFound` for an unknown person.
    /// The audit events are recorded even when the flag already had that value (an
    /// administrator's repeated action is still an action).
    async fn set_user_disabled(
        &self,
        user: UserId,
        disabled: bool,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// Keep a WebAuthn ceremony's state in a session (`None` clears it).
    async fn set_user_session_ceremony(&self, id_hash: &str, ceremony: Option<&str>) -> Result<()>;
    /// Register a passkey. `Conflict` if the credential id exists.
    async fn add_user_passkey(&self, passkey: &UserPasskey, audit: AuditEvents<'_>) -> Result<()>;
    /// A person's passkeys, oldest first.
    async fn user_passkeys(&self, user: UserId) -> Result<Vec<UserPasskey>>;
    /// Store a passkey's updated state (its counter) after a sign-in at `at`.
    async fn update_user_passkey(
        &self,
        credential_id: &str,
        passkey: &str,
        at: Timestamp,
    ) -> Result<()>;

    /// Replace a person's recovery codes with these argon2id hashes.
    async fn put_recovery_codes(
        &self,
        user: UserId,
        hashes: &[String],
        at: Timestamp,
    ) -> Result<()>;
    /// A person's unused recovery codes: (index, hash).
    async fn unused_recovery_codes(&self, user: UserId) -> Result<Vec<(u32, String)>>;
    /// Use recovery code `index` at `at`: `Ok(true)` only the first time.
    async fn use_recovery_code(&self, user: UserId, index: u32, at: Timestamp) -> Result<bool>;
}
