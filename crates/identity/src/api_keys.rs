//! Organisation API keys for systems (an EHR, a billing service): their scopes and the
//! token a system presents.
//!
//! A key is created only by an admin (consent-phishing defence: no user can grant a third
//! party access to mail), for named scopes, with an expiry. The token is
//! `cpk_<key id, 32 hex>_<secret, 43 base64url>`: the id finds the stored key with one
//! look-up, and the 256-bit secret is checked against its SHA-256. A slow password hash
//! is not needed for a secret with 256 bits of entropy, and a fast check keeps the REST
//! API's cost per request low.

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::digest;
use model::ApiKeyId;
use zeroize::Zeroizing;

use crate::Error;

/// What a key may do on the REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiScope {
    /// Submit messages (`POST /api/v1/messages`).
    MessagesSend,
    /// Read the per-recipient status of messages this organisation submitted
    /// (`GET /api/v1/messages/{id}`).
    MessagesRead,
}

impl ApiScope {
    /// Every scope, in declaration order.
    ///
    /// Only scopes a route honours exist: a key is for a system submitting mail (an EHR, a
    /// billing service). People's programs (audit exports, policy tooling) use a person's
    /// app password or console session, so the person's role decides, and a key can never
    /// do what the administrator who made it may not (an admin does not edit the policy).
    pub const ALL: &'static [ApiScope] = &[ApiScope::MessagesSend, ApiScope::MessagesRead];

    /// The stable text form (`messages:send`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::MessagesSend => "messages:send",
            ApiScope::MessagesRead => "messages:read",
        }
    }

    /// What the scope allows, for the console and `api-key create --help`.
    pub fn description(self) -> &'static str {
        match self {
            ApiScope::MessagesSend => "submit messages",
            ApiScope::MessagesRead => "read the status of the organisation's messages",
        }
    }

    /// Parse a space- or comma-separated list; duplicates are dropped, order is kept
    /// sorted. An empty list is refused: a key that can do nothing is a mistake.
    pub fn parse_list(text: &str) -> Result<Vec<ApiScope>, UnknownScope> {
        let mut scopes: Vec<ApiScope> = text
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(UnknownScope(String::new()));
        }
        Ok(scopes)
    }

    /// The space-separated text form of a list (as stored).
    pub fn join(scopes: &[ApiScope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for ApiScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that is not one of [`ApiScope::ALL`] (the name, at most 40 characters of
/// it, is kept for the error message; scope names carry no secrets). Empty for an empty list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown API scope {0:?} (known: messages:send, messages:read)")]
pub struct UnknownScope(pub String);

impl FromStr for ApiScope {
    type Err = UnknownScope;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApiScope::ALL
            .iter()
            .copied()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| UnknownScope(s.chars().take(40).collect()))
    }
}

const TOKEN_PREFIX: &str = "cpk_";
const SECRET_BYTES: usize = 32;
/// base64url without padding of 32 bytes.
const SECRET_CHARS: usize = 43;

/// A newly made key: its id, the token to hand to the system once, and the hash to store.
pub struct NewApiToken {
    /// The key's id (also inside the token).
    pub id: ApiKeyId,
    /// The whole token, shown once.
    pub token: Zeroizing<String>,
    /// Lower-case hex SHA-256 of the secret part, for storage.
    pub secret_sha256: String,
}

impl fmt::Debug for NewApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApiToken")
            .field("id", &self.id)
            .field("token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Make a key id and a token with 256 random bits.
pub fn new_api_token() -> Result<NewApiToken, Error> {
    use base64::Engine;
    let mut secret = Zeroizing::new([0u8; SECRET_BYTES]);
    aws_lc_rs::rand::fill(secret.as_mut()).map_err(|_| Error::Random)?;
    let encoded = Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(*secret));
    let id = ApiKeyId::new();
    let token = Zeroizing::new(format!("{TOKEN_PREFIX}{}_{}", id.0.simple(), *encoded));
    Ok(NewApiToken {
        id,
        secret_sha256: secret_sha256(&encoded),
        token,
    })
}

/// A token as presented, split into the key id and the secret part (still unverified).
pub struct PresentedToken<'a> {
    /// The key it names.
    pub id: ApiKeyId,
    secret: &'a str,
}

impl fmt::Debug for PresentedToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresentedToken")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl<'a> PresentedToken<'a> {
    /// Split a presented token; `None` if it does not have the token's shape.
    pub fn parse(token: &'a str) -> Option<Self> {
        let rest = token.strip_prefix(TOKEN_PREFIX)?;
        let (id, secret) = rest.split_once('_')?;
        if id.len() != 32 || secret.len() != SECRET_CHARS {
            return None;
        }
        if !secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return None;
        }
        let id = uuid_from_simple(id)?;
        Some(Self { id, secret })
    }

    /// Whether the secret matches the stored hash (constant-time comparison).
    pub fn matches(&self, stored_sha256: &str) -> bool {
        let presented = secret_sha256(self.secret);
        aws_lc_rs::constant_time::verify_slices_are_equal(
            presented.as_bytes(),
            stored_sha256.as_bytes(),
        )
        .is_ok()
    }
}

fn uuid_from_simple(hex: &str) -> Option<ApiKeyId> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    hex.parse().ok()
}

fn secret_sha256(secret: &str) -> String {
    let d = digest::digest(&digest::SHA256, secret.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_parses_and_matches_its_own_hash_only() {
        let made = new_api_token().expect("token");
        let presented = PresentedToken::parse(&made.token).expect("parses");
        assert_eq!(presented.id, made.id);
        assert!(presented.matches(&made.secret_sha256));
        let other = new_api_token().expect("token");
        assert!(!presented.matches(&other.secret_sha256));
        assert_ne!(*made.token, *other.token);
    }

    #[test]
    fn a_changed_secret_does_not_match() {
        let made = new_api_token().expect("token");
        let mut bytes = made.token.as_bytes().to_vec();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).expect("ascii");
        let presented = PresentedToken::parse(&changed).expect("same shape");
        assert!(!presented.matches(&made.secret_sha256));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let made = new_api_token().expect("token");
        for bad in [
            "",
            "cpk_",
            "Bearer x",
            &made.token[4..],
            &made.token[..made.token.len() - 1],
            &format!("{}=", &*made.token),
            &made.token.replace("cpk_", "cpx_"),
            "cpk_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "cpk_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
        ] {
            assert!(PresentedToken::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let made = new_api_token().expect("token");
        // `cpk_<id>_<secret>`: the secret is base64url and may itself contain `_`.
        let secret_part = made
            .token
            .splitn(3, '_')
            .nth(2)
            .expect("secret")
            .to_string();
        assert_eq!(secret_part.len(), 43);
        assert!(!format!("{made:?}").contains(&secret_part));
        let presented = PresentedToken::parse(&made.token).expect("parses");
        assert!(!format!("{presented:?}").contains(&secret_part));
    }

    #[test]
    fn scopes_parse_sorted_without_duplicates_and_refuse_unknown_or_empty() {
        assert_eq!(
            ApiScope::parse_list("messages:read, messages:send messages:read"),
            Ok(vec![ApiScope::MessagesSend, ApiScope::MessagesRead])
        );
        assert!(ApiScope::parse_list("messages:send admin").is_err());
        assert!(ApiScope::parse_list(" , ").is_err());
        for scope in ApiScope::ALL {
            assert_eq!(scope.as_str().parse::<ApiScope>(), Ok(*scope));
        }
        assert_eq!(
            ApiScope::join(&[ApiScope::MessagesSend, ApiScope::MessagesRead]),
            "messages:send messages:read"
        );
        // A scope no route honours is not offered (a key never does more than a message
        // system needs, nor what its maker's role may not).
        for unknown in ["audit:read", "policy:write", "portal:manage"] {
            assert!(ApiScope::parse_list(unknown).is_err(), "{unknown}");
        }
    }
}
