//! Identity and zero-trust access rules (issue 6): who may sign in, how, and what they may
//! then do.
//!
//! **What it does:**
//!
//! * [`password`]: NIST SP 800-63B-4 password rules: length in code points after NFKC
//!   (15, or 8 with a second factor, at most 256, never truncated), no composition rules, a
//!   shipped breached-password list, context words, repetition and sequences.
//! * [`throttle`]: login throttling by consecutive failures: growing delays and a lock at 100.
//! * [`totp`]: RFC 6238 TOTP (SHA-1, 6 digits, 30 s, ±1 step, replay refused) and single-use
//!   recovery codes stored as argon2id hashes.
//! * [`api_keys`]: organisation API keys for systems: scopes, and a `cpk_` token whose
//!   256-bit secret is checked against a stored SHA-256.
//! * [`roles`]: the [`Permission`](roles::Permission) matrix for each
//!   [`model::Role`], and which roles need phishing-resistant MFA.
//!
//! **What it does not do:** no storage, no HTTP, no clock, no async, no logging. Callers
//! keep the failure counters, the last accepted TOTP step, the sealed TOTP secret and the
//! recovery-code hashes, and pass the current time in. Password hashing for login lives
//! in the `auth` crate; passkeys (WebAuthn) are not here.
//!
//! **Security:** runs in the web process (sign-in, enrolment, administration). It trusts
//! nothing it is given: every input may come from an attacker, and every check returns a
//! value rather than panicking. Randomness comes from the system CSPRNG (aws-lc-rs for
//! recovery codes, `rand` through totp-rs for TOTP secrets). Comparisons of TOTP codes are
//! constant-time (totp-rs), recovery codes are checked by the argon2 verifier.
//!
//! **Where secrets flow:** passwords, codes and typed recovery codes are only borrowed and
//! never stored, logged or put in an error. A TOTP secret leaves [`totp::TotpSecret`] only
//! through `to_base32` (for the caller to seal before storage) and `otpauth_url` (shown
//! once at enrolment); recovery codes leave only through `RecoveryCodes::codes` (shown
//! once). These return [`zeroize::Zeroizing`] strings, and the types print `[redacted]`
//! in `Debug`.
//!
//! **PHI:** none passes through. Context words (an e-mail local part, an organisation's
//! name) are used for one comparison and dropped.
//!
//! **Standards:** NIST SP 800-63B-4 §3.1.1.2 (passwords), §3.2.2 (rate limiting);
//! RFC 6238 (TOTP), RFC 4226 §4 (secret length), the Key Uri Format for `otpauth://`.
//!
//! **Errors:** [`password::PasswordProblem`] tells a person why a new password was
//! refused; [`Error`] covers the rest (bad stored secret, bad enrolment label, RNG or
//! hashing failure).

#![warn(missing_docs)]

pub mod api_keys;
pub mod password;
pub mod roles;
pub mod throttle;
pub mod totp;

/// What went wrong outside password rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A stored TOTP secret is not base32 or is shorter than 128 bits.
    #[error("TOTP secret is malformed or too short")]
    InvalidTotpSecret,
    /// The issuer or account name for an `otpauth://` URL is empty or contains ':'.
    #[error("issuer and account name must be non-empty and must not contain ':'")]
    InvalidOtpauthLabel,
    /// The system random number generator failed.
    #[error("random number generator failed")]
    Random,
    /// Hashing a recovery code failed.
    #[error("hashing failed")]
    Hashing,
}
