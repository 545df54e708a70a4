//! One error type: a precise [`Reason`] for the audit trail and the operator's log, a
//! generic `Display` for the person signing in.

use std::borrow::Cow;
use std::fmt;

/// Why single sign-on failed. Stable snake_case names ([`Reason::as_str`]) for audit events.
///
/// Grouped by who is at fault: our configuration, the network or the provider, the
/// browser's callback (an attacker can forge it), and the ID token (an attacker can forge
/// or replay it). Every variant fails closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    // ── configuration ──────────────────────────────────────────────────────────────
    /// The `[sso]` configuration is invalid (bad URL, unreadable secret file, plain HTTP,
    /// unknown algorithm, …).
    Config,
    // ── network and provider ───────────────────────────────────────────────────────
    /// The provider could not be reached, timed out or answered with an HTTP error.
    ProviderUnreachable,
    /// The provider's TLS certificate is not trusted (or not valid for its name).
    TlsUntrusted,
    /// A provider response was larger than our limit.
    ResponseTooLarge,
    /// The discovery document, JWKS or token response is malformed or lacks what we need.
    ProviderResponseInvalid,
    /// The discovery document names another issuer than the configured one.
    DiscoveryIssuerMismatch,
    // ── the browser's callback ─────────────────────────────────────────────────────
    /// The pre-sign-in state is older than its lifetime (10 minutes).
    PendingExpired,
    /// The callback's `state` is missing or is not the one we issued (CSRF, mix-up).
    StateMismatch,
    /// The provider sent the browser back with an error (e.g. `access_denied`).
    ProviderDenied,
    /// The callback carries no authorization code.
    MissingCode,
    /// The token endpoint refused the code (expired, replayed, wrong verifier, …).
    CodeRejected,
    // ── the ID token ───────────────────────────────────────────────────────────────
    /// The ID token is not a well-formed JWS, or a required claim has the wrong type.
    MalformedToken,
    /// The token's `alg` is not allowed (`none`, HS*, or not configured), or does not fit
    /// the key.
    AlgorithmNotAllowed,
    /// No published key matches the token's `kid`, even after refetching the JWKS.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// `iss` (in the token or the callback) is not the configured issuer.
    WrongIssuer,
    /// `aud` does not contain our client id.
    WrongAudience,
    /// Several audiences and `azp` missing, or `azp` is not our client id.
    WrongAuthorizedParty,
    /// `exp` has passed (beyond the allowed clock skew).
    Expired,
    /// `nbf` is in the future (beyond the allowed clock skew).
    NotYetValid,
    /// `iat` is in the future (beyond the allowed clock skew).
    IssuedInFuture,
    /// `nonce` is missing or is not the one we issued (replayed token).
    NonceMismatch,
    /// A required claim (`sub`, `exp`, `iat`, …) is missing.
    MissingClaim,
    // ── authorisation ──────────────────────────────────────────────────────────────
    /// The user's groups map to no carepost role: sign-in refused.
    NoRole,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: &'static [Reason] = &[
        Self::Config,
        Self::ProviderUnreachable,
        Self::TlsUntrusted,
        Self::ResponseTooLarge,
        Self::ProviderResponseInvalid,
        Self::DiscoveryIssuerMismatch,
        Self::PendingExpired,
        Self::StateMismatch,
        Self::ProviderDenied,
        Self::MissingCode,
        Self::CodeRejected,
        Self::MalformedToken,
        Self::AlgorithmNotAllowed,
        Self::UnknownKey,
        Self::BadSignature,
        Self::WrongIssuer,
        Self::WrongAudience,
        Self::WrongAuthorizedParty,
        Self::Expired,
        Self::NotYetValid,
        Self::IssuedInFuture,
        Self::NonceMismatch,
        Self::MissingClaim,
        Self::NoRole,
    ];

    /// The stable name used in audit events (`sso.failed` with `reason = …`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::ProviderUnreachable => "provider_unreachable",
            Self::TlsUntrusted => "tls_untrusted",
            Self::ResponseTooLarge => "response_too_large",
            Self::ProviderResponseInvalid => "provider_response_invalid",
            Self::DiscoveryIssuerMismatch => "discovery_issuer_mismatch",
            Self::PendingExpired => "pending_expired",
            Self::StateMismatch => "state_mismatch",
            Self::ProviderDenied => "provider_denied",
            Self::MissingCode => "missing_code",
            Self::CodeRejected => "code_rejected",
            Self::MalformedToken => "malformed_token",
            Self::AlgorithmNotAllowed => "algorithm_not_allowed",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::WrongAuthorizedParty => "wrong_authorized_party",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::IssuedInFuture => "issued_in_future",
            Self::NonceMismatch => "nonce_mismatch",
            Self::MissingClaim => "missing_claim",
            Self::NoRole => "no_role",
        }
    }

    /// True when the fault is ours or the provider's rather than the user's or an
    /// attacker's: the console may say "single sign-on is unavailable" and point to
    /// break-glass access.
    pub fn is_unavailable(self) -> bool {
        matches!(
            self,
            Self::Config
                | Self::ProviderUnreachable
                | Self::TlsUntrusted
                | Self::ResponseTooLarge
                | Self::ProviderResponseInvalid
                | Self::DiscoveryIssuerMismatch
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A single sign-on failure.
///
/// `Display` is the same generic sentence for every sign-in failure (safe to show to the
/// person signing in, and it tells an attacker nothing). [`Error::reason`] is precise, for
/// the audit event; [`Error::detail`] adds an internal note for the operator's log. Neither
/// ever contains a token, an authorization code, a PKCE verifier, a nonce, a state value or
/// the client secret: details are built only from our own words, URLs of the provider's
/// endpoints, claim names and sanitised provider error codes.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    reason: Reason,
    detail: Cow<'static, str>,
}

impl Error {
    pub(crate) fn new(reason: Reason, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }

    /// Why it failed (for the audit event).
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// An internal note for the operator's log; never shown to the user, never secret.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reason == Reason::Config {
            f.write_str("single sign-on is not configured correctly")
        } else if self.reason.is_unavailable() {
            f.write_str("single sign-on is unavailable; try again later")
        } else {
            f.write_str("sign-in failed")
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sso::Error({}: {})", self.reason, self.detail)
    }
}

impl std::error::Error for Error {}

/// Keeps only characters that cannot smuggle anything into a log line, and at most 64 of
/// them: for error codes the provider chose (`invalid_grant`, `access_denied`).
pub(crate) fn sanitise_code(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_distinct_snake_case_name() {
        let mut names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Reason::ALL.len());
    }

    #[test]
    fn display_is_generic_and_never_shows_the_detail() {
        let e = Error::new(Reason::NonceMismatch, "nonce differs");
        assert_eq!(e.to_string(), "sign-in failed");
        assert_eq!(
            Error::new(Reason::BadSignature, "x").to_string(),
            e.to_string()
        );
        assert!(format!("{e:?}").contains("nonce_mismatch"));
    }

    #[test]
    fn sanitise_code_drops_control_and_markup() {
        assert_eq!(
            sanitise_code("invalid_grant\r\n<script>"),
            "invalid_grantscript"
        );
        assert_eq!(sanitise_code(&"a".repeat(500)).len(), 64);
    }
}
