//! Single sign-on for the admin console with OpenID Connect: the authorization code flow
//! with PKCE, ID token validation, and the mapping of the provider's groups to carepost
//! roles.
//!
//! **What it does.** [`SsoClient::discover`] reads the `[sso]` configuration
//! ([`SsoConfig`]), the client secret from its file, the provider's discovery document
//! and its JWK Set. [`SsoClient::begin`] makes a [`PendingSignIn`] (state, nonce and PKCE
//! verifier, 256 random bits each) and the authorization URL; the console keeps the
//! pending value in its server-side pre-sign-in session and redirects the browser.
//! [`SsoClient::finish`] takes the callback's parameters ([`CallbackParams`]), checks
//! them, exchanges the code at the token endpoint (`client_secret_basic` plus the PKCE
//! verifier), validates the ID token and returns a [`SignedInIdentity`] with the most
//! privileged [`model::Role`] the user's groups map to, or refuses.
//!
//! **What it does not do.** No sessions, cookies, MFA, accounts or audit events: the
//! console owns those and records [`Error::reason`]. No userinfo call, refresh tokens,
//! logout, dynamic registration, JWE, or HMAC-signed tokens. One provider per
//! [`SsoClient`].
//!
//! **Security.** Runs in the web process (`server web`), with access to the client secret
//! file and the network path to the provider only; it touches no database or key. It
//! trusts the provider's TLS certificate (system roots plus `extra_root_certificates`),
//! the keys the provider publishes at its `jwks_uri`, and nothing the browser sends:
//! `state`, `iss` and the code are checked, the ID token must be signed with an allowed
//! asymmetric algorithm (`none` and HS* can never be configured) and carry our issuer,
//! audience, nonce and valid times (skew configurable, default 60 s). HTTPS is required
//! (loopback HTTP only behind `insecure_allow_http_loopback`); requests have timeouts, no
//! redirects are followed, responses are capped at 256 KiB and ID tokens at 16 KiB. The
//! JWKS is cached for an hour and refetched for an unknown `kid` at most every 30 s. A
//! pending sign-in expires after 10 minutes. Nothing here logs; errors never carry
//! tokens, codes, verifiers, nonces, state values or the secret, and secrets are zeroised
//! on drop.
//!
//! **Standards.** OpenID Connect Core 1.0 §3.1 (code flow; ID token validation
//! §3.1.3.7), Discovery 1.0 §3–4 (issuer must match exactly), RFC 6749 §2.3.1 and §4.1,
//! RFC 7636 (PKCE, S256 only), RFC 9207 (`iss` in the authorization response), RFC 7515,
//! 7517, 7518, 8037 and 9864 (JWS, JWK, algorithms).
//!
//! **PHI.** None. The identity carries a staff member's e-mail address and name (personal
//! data): log the `subject`, not those.
//!
//! **Errors.** One [`Error`] whose [`Reason`] is precise (state_mismatch, nonce_mismatch,
//! bad_signature, expired, wrong_audience, wrong_issuer, no_role, provider_unreachable,
//! tls_untrusted, …) and whose `Display` is one of three generic sentences safe to show
//! the user.

#![warn(missing_docs)]

mod claims;
mod client;
mod config;
mod error;
mod http;
mod jose;

pub use claims::IdTokenClaims;
pub use client::{
    CallbackParams, PendingSignIn, ProviderMetadata, SignInStart, SignedInIdentity, SsoClient,
};
pub use config::{PENDING_LIFETIME, SsoConfig};
pub use error::{Error, Reason};
pub use jose::Algorithm;
