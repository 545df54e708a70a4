//! The `[sso]` configuration section: every key, its default and what it means.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use model::Role;
use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Reason};
use crate::jose::Algorithm;

/// How long a pending sign-in (state, nonce, PKCE verifier) stays usable.
pub const PENDING_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// Single sign-on with one OpenID provider.
///
/// ```toml
/// [sso]
/// issuer = "https://login.example-idp.com/tenant-1"
/// client_id = "carepost"
/// client_secret_file = "/etc/carepost/sso-client-secret"
/// redirect_uri = "https://carepost.clinic.example/admin/sso/callback"
/// [sso.group_roles]
/// "carepost-owners" = "owner"
/// "carepost-admins" = "admin"
/// "compliance" = "compliance"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoConfig {
    /// The provider's issuer identifier. Discovery reads
    /// `{issuer}/.well-known/openid-configuration`, whose `issuer` must equal this string
    /// exactly, and so must every ID token's `iss`. HTTPS only (see
    /// `insecure_allow_http_loopback`).
    pub issuer: String,
    /// Our client id at the provider.
    pub client_id: String,
    /// File holding the client secret (first line; surrounding whitespace trimmed).
    /// Secrets are never written inline in the configuration.
    pub client_secret_file: PathBuf,
    /// Where the provider sends the browser back (registered at the provider).
    pub redirect_uri: String,
    /// Scopes requested; `openid` is always sent. Default: openid, email, profile, groups.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The ID token claim that lists the user's groups. Default `groups`.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// IdP group name → carepost role. A user gets the most privileged role any of their
    /// groups maps to; a user none of whose groups is listed is refused. Empty by default,
    /// so nobody can sign in until the operator maps at least one group.
    #[serde(default)]
    pub group_roles: BTreeMap<String, Role>,
    /// Extra trust anchors (PEM file, one or more certificates) for a private provider, in
    /// addition to the system's roots.
    #[serde(default)]
    pub extra_root_certificates: Option<PathBuf>,
    /// Clock difference tolerated for `exp`, `iat` and `nbf`, in seconds. Default 60.
    #[serde(default = "default_skew")]
    pub allowed_clock_skew_secs: u64,
    /// JWS algorithms accepted for ID tokens. Default RS256, PS256, ES256, EdDSA, Ed25519.
    /// `none` and HS* cannot be configured.
    #[serde(default = "default_algorithms")]
    pub allowed_algorithms: Vec<Algorithm>,
    /// Timeout of each request to the provider, in seconds. Default 10.
    #[serde(default = "default_timeout")]
    pub http_timeout_secs: u64,
    /// Tests only: allow an `http://` issuer on a loopback address. Never in production.
    #[serde(default)]
    pub insecure_allow_http_loopback: bool,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile", "groups"]
        .into_iter()
        .map(String::from)
        .collect()
}
fn default_groups_claim() -> String {
    "groups".into()
}
fn default_skew() -> u64 {
    60
}
fn default_algorithms() -> Vec<Algorithm> {
    Algorithm::DEFAULT.to_vec()
}
fn default_timeout() -> u64 {
    10
}

impl SsoConfig {
    /// A configuration with the defaults for everything optional.
    pub fn new(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret_file: impl Into<PathBuf>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            client_id: client_id.into(),
            client_secret_file: client_secret_file.into(),
            redirect_uri: redirect_uri.into(),
            scopes: default_scopes(),
            groups_claim: default_groups_claim(),
            group_roles: BTreeMap::new(),
            extra_root_certificates: None,
            allowed_clock_skew_secs: default_skew(),
            allowed_algorithms: default_algorithms(),
            http_timeout_secs: default_timeout(),
            insecure_allow_http_loopback: false,
        }
    }

    /// The allowed clock skew.
    pub fn allowed_clock_skew(&self) -> Duration {
        Duration::from_secs(self.allowed_clock_skew_secs)
    }

    /// Checks everything that can be checked without the network.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |msg: String| Err(Error::new(Reason::Config, msg));
        self.check_url("issuer", &self.issuer)?;
        if self.issuer.contains('?') || self.issuer.contains('#') {
            return bad("sso.issuer must not have a query or fragment".into());
        }
        if self.client_id.is_empty() || self.client_id.len() > 255 {
            return bad("sso.client_id must be 1 to 255 characters".into());
        }
        // The redirect URI is where the browser carries the code; it must be HTTPS too
        // (loopback HTTP only with the test flag).
        self.check_url("redirect_uri", &self.redirect_uri)?;
        if self.groups_claim.is_empty() {
            return bad("sso.groups_claim must not be empty".into());
        }
        if self.group_roles.is_empty() {
            return bad("sso.group_roles is empty: no one could sign in".into());
        }
        if self.allowed_algorithms.is_empty() {
            return bad("sso.allowed_algorithms is empty".into());
        }
        if self.http_timeout_secs == 0 || self.http_timeout_secs > 120 {
            return bad("sso.http_timeout_secs must be 1 to 120".into());
        }
        if self.allowed_clock_skew_secs > 600 {
            return bad("sso.allowed_clock_skew_secs must be at most 600".into());
        }
        if self.scopes.iter().any(|s| {
            s.is_empty()
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        }) {
            return bad("sso.scopes has an empty or invalid scope".into());
        }
        Ok(())
    }

    /// Parses `url` and requires HTTPS, or HTTP to a loopback address when
    /// `insecure_allow_http_loopback` is set.
    pub(crate) fn check_url(&self, key: &str, url: &str) -> Result<Url, Error> {
        let parsed = Url::parse(url)
            .map_err(|_| Error::new(Reason::Config, format!("sso.{key} is not a URL")))?;
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if self.insecure_allow_http_loopback && is_loopback(&parsed) => Ok(parsed),
            _ => Err(Error::new(
                Reason::Config,
                format!(
                    "sso.{key} must be https:// (http only on loopback with insecure_allow_http_loopback)"
                ),
            )),
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SsoConfig {
        let mut c = SsoConfig::new(
            "https://idp.test",
            "carepost",
            "/nonexistent",
            "https://carepost.test/sso/callback",
        );
        c.group_roles.insert("admins".into(), Role::Admin);
        c
    }

    #[test]
    fn defaults_from_a_minimal_toml_section() {
        let c: SsoConfig = toml::from_str(
            r#"
            issuer = "https://idp.test"
            client_id = "carepost"
            client_secret_file = "/etc/carepost/sso-secret"
            redirect_uri = "https://carepost.test/sso/callback"
            [group_roles]
            "carepost-admins" = "admin"
            "carepost-auditors" = "auditor"
            "#,
        )
        .expect("parses");
        assert_eq!(c.scopes, ["openid", "email", "profile", "groups"]);
        assert_eq!(c.groups_claim, "groups");
        assert_eq!(c.allowed_clock_skew(), Duration::from_secs(60));
        assert_eq!(c.allowed_algorithms, Algorithm::DEFAULT);
        assert_eq!(c.group_roles.get("carepost-auditors"), Some(&Role::Auditor));
        assert!(!c.insecure_allow_http_loopback);
        c.validate().expect("valid");
    }

    #[test]
    fn unknown_keys_inline_secrets_and_weak_algorithms_are_refused() {
        let base = r#"
            issuer = "https://idp.test"
            client_id = "carepost"
            client_secret_file = "/x"
            redirect_uri = "https://carepost.test/cb"
        "#;
        assert!(toml::from_str::<SsoConfig>(&format!("{base}\nclient_secret = \"s\"")).is_err());
        for alg in ["none", "HS256"] {
            let doc = format!("{base}\nallowed_algorithms = [\"{alg}\"]");
            assert!(toml::from_str::<SsoConfig>(&doc).is_err(), "{alg}");
        }
        let doc = format!("{base}\n[group_roles]\n\"g\" = \"superuser\"");
        assert!(toml::from_str::<SsoConfig>(&doc).is_err());
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_and_flagged() {
        let mut c = config();
        c.issuer = "http://idp.test".into();
        assert_eq!(c.validate().expect_err("http").reason(), Reason::Config);
        c.issuer = "http://127.0.0.1:8080".into();
        assert!(c.validate().is_err(), "loopback http still needs the flag");
        c.insecure_allow_http_loopback = true;
        c.validate().expect("loopback http with the flag");
        c.issuer = "http://10.0.0.1".into();
        assert!(c.validate().is_err(), "the flag covers loopback only");
    }

    #[test]
    fn other_invalid_settings_are_refused() {
        type Edit = Box<dyn Fn(&mut SsoConfig)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("no roles", Box::new(|c| c.group_roles.clear())),
            ("empty client id", Box::new(|c| c.client_id.clear())),
            (
                "issuer with query",
                Box::new(|c| c.issuer = "https://idp.test/?a=b".into()),
            ),
            ("not a url", Box::new(|c| c.issuer = "idp.test".into())),
            (
                "http redirect",
                Box::new(|c| c.redirect_uri = "http://carepost.test/cb".into()),
            ),
            ("no algorithms", Box::new(|c| c.allowed_algorithms.clear())),
            ("zero timeout", Box::new(|c| c.http_timeout_secs = 0)),
            ("huge skew", Box::new(|c| c.allowed_clock_skew_secs = 3600)),
            ("bad scope", Box::new(|c| c.scopes.push("a b".into()))),
        ];
        for (name, edit) in cases {
            let mut c = config();
            edit(&mut c);
            assert_eq!(
                c.validate().expect_err(name).reason(),
                Reason::Config,
                "{name}"
            );
        }
    }
}
