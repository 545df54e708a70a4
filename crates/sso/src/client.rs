//! The relying party: discovery, the authorization request, the callback, the code
//! exchange, ID token validation and the group → role mapping.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::constant_time;
use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use model::{Clock, Role, SystemClock, Timestamp};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use zeroize::Zeroizing;

use crate::claims::{self, IdTokenClaims};
use crate::config::{PENDING_LIFETIME, SsoConfig};
use crate::error::{Error, Reason, sanitise_code};
use crate::http;
use crate::jose::{self, Jwk, Jws};

/// JWKS older than this is refetched before use.
const JWKS_MAX_AGE: Duration = Duration::from_secs(60 * 60);
/// At most one refetch for an unknown `kid` per this interval: a stream of forged tokens
/// with random key ids must not turn us into a load generator against the provider.
const JWKS_MIN_REFETCH: Duration = Duration::from_secs(30);

/// A relying party for one OpenID provider, ready after discovery.
///
/// Cheap to share (`Arc` it); [`SsoClient::finish`] may run concurrently.
pub struct SsoClient {
    config: SsoConfig,
    secret: Zeroizing<String>,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    metadata: ProviderMetadata,
    jwks: Mutex<JwksCache>,
    rng: SystemRandom,
}

/// What discovery told us (OpenID Connect Discovery 1.0 §3), checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// The issuer, equal to the configured one.
    pub issuer: String,
    /// Where the browser is sent.
    pub authorization_endpoint: Url,
    /// Where we exchange the code.
    pub token_endpoint: Url,
    /// The provider's public keys.
    pub jwks_uri: Url,
    /// The provider puts `iss` in the authorization response (RFC 9207), so we require it.
    pub authorization_response_iss_parameter_supported: bool,
}

#[derive(Deserialize)]
struct RawMetadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    response_types_supported: Vec<String>,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    id_token_signing_alg_values_supported: Option<Vec<String>>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

/// The provider's keys and when we fetched them.
struct JwksCache {
    keys: Vec<Jwk>,
    fetched: Timestamp,
}

/// What to do for one token's key.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    Found(Box<Jwk>),
    /// The cache is stale, or the `kid` is unknown and we may refetch now.
    Refetch,
    /// Unknown `kid`, and we refetched too recently to ask again.
    Unknown,
}

impl JwksCache {
    fn lookup(&self, jws: &Jws, now: Timestamp) -> Lookup {
        let age = now.since(self.fetched);
        if age > JWKS_MAX_AGE {
            return Lookup::Refetch;
        }
        match jose::select_key(&self.keys, jws) {
            Some(key) => Lookup::Found(Box::new(key.clone())),
            // Unknown kid: the provider may have rotated its keys.
            None if age >= JWKS_MIN_REFETCH => Lookup::Refetch,
            None => Lookup::Unknown,
        }
    }
}

/// The start of a sign-in: send the browser to `authorize_url` and keep `pending` in the
/// server-side pre-sign-in session (never in a cookie the browser can read or change).
#[derive(Debug)]
pub struct SignInStart {
    /// The provider's authorization endpoint with our request (redirect the browser here).
    pub authorize_url: Url,
    /// What [`SsoClient::finish`] needs to check the callback.
    pub pending: PendingSignIn,
}

/// The secrets of one sign-in in flight: `state`, `nonce` and the PKCE verifier (each from
/// 256 random bits), and when it began. Serialisable so the console can keep it in its
/// server-side session; it expires after [`PENDING_LIFETIME`]. Use it once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    /// Binds the callback to this browser's session (CSRF).
    pub state: String,
    /// Binds the ID token to this request (replay).
    pub nonce: String,
    /// The PKCE code verifier (RFC 7636); the provider saw only its SHA-256.
    pub code_verifier: String,
    /// When the sign-in began.
    pub created_at: Timestamp,
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("state", &"[redacted]")
            .field("nonce", &"[redacted]")
            .field("code_verifier", &"[redacted]")
            .field("created_at", &self.created_at)
            .finish()
    }
}

impl Drop for PendingSignIn {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.code_verifier.zeroize();
        self.nonce.zeroize();
        self.state.zeroize();
    }
}

/// The query parameters of the redirect back from the provider.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CallbackParams {
    /// The authorization code.
    pub code: Option<String>,
    /// Our `state`, echoed.
    pub state: Option<String>,
    /// The issuer (RFC 9207), when the provider sends it.
    pub iss: Option<String>,
    /// An error code instead of a code (RFC 6749 §4.1.2.1).
    pub error: Option<String>,
}

impl CallbackParams {
    /// Parses a query string (`code=…&state=…`, with or without the leading `?`). Repeated
    /// parameters are refused (RFC 6749 §3.1: they must not be included more than once).
    pub fn from_query(query: &str) -> Result<Self, Error> {
        let url = Url::parse(&format!(
            "http://callback.invalid/?{}",
            query.trim_start_matches('?')
        ))
        .map_err(|_| Error::new(Reason::MissingCode, "callback query is malformed"))?;
        let mut params = Self::default();
        for (name, value) in url.query_pairs() {
            let slot = match name.as_ref() {
                "code" => &mut params.code,
                "state" => &mut params.state,
                "iss" => &mut params.iss,
                "error" => &mut params.error,
                _ => continue,
            };
            if slot.is_some() {
                return Err(Error::new(
                    Reason::MissingCode,
                    "callback repeats a parameter",
                ));
            }
            *slot = Some(value.into_owned());
        }
        Ok(params)
    }
}

impl fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackParams")
            .field("code", &self.code.as_ref().map(|_| "[redacted]"))
            .field("state", &self.state.as_ref().map(|_| "[redacted]"))
            .field("iss", &self.iss)
            .field("error", &self.error.as_deref().map(sanitise_code))
            .finish()
    }
}

/// Who signed in, after every check passed.
///
/// `email` and `name` identify a staff member (personal data, not PHI); log the
/// `subject`, not these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInIdentity {
    /// The provider (`iss`).
    pub issuer: String,
    /// The provider's stable user id (`sub`); (issuer, subject) is the account key.
    pub subject: String,
    /// `email`, if the provider released it.
    pub email: Option<String>,
    /// Whether the provider vouches for the address.
    pub email_verified: bool,
    /// `name`, if released.
    pub name: Option<String>,
    /// The user's groups at the provider.
    pub groups: Vec<String>,
    /// The carepost role the groups map to (the most privileged one).
    pub role: Role,
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Characters escaped in `application/x-www-form-urlencoded` values: all but unreserved.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl SsoClient {
    /// Reads the client secret, checks the configuration, fetches the provider's discovery
    /// document (its `issuer` must equal `config.issuer` exactly) and its JWKS.
    pub async fn discover(config: SsoConfig) -> Result<Self, Error> {
        config.validate()?;
        let secret = read_secret(&config)?;
        let http = http::client(&config)?;
        let discovery_url = Url::parse(&format!(
            "{}/.well-known/openid-configuration",
            config.issuer.trim_end_matches('/')
        ))
        .map_err(|_| Error::new(Reason::Config, "sso.issuer cannot take a discovery path"))?;
        let body = get(&http, "discovery", &discovery_url).await?;
        let raw: RawMetadata = serde_json::from_slice(&body).map_err(|_| {
            Error::new(
                Reason::ProviderResponseInvalid,
                format!(
                    "discovery {}: not a provider metadata document",
                    http::origin(&discovery_url)
                ),
            )
        })?;
        if raw.issuer != config.issuer {
            return Err(Error::new(
                Reason::DiscoveryIssuerMismatch,
                format!(
                    "discovery {}: issuer {:?} is not the configured {:?}",
                    http::origin(&discovery_url),
                    raw.issuer.chars().take(200).collect::<String>(),
                    config.issuer
                ),
            ));
        }
        let endpoint = |key: &str, value: &str| {
            config.check_url(key, value).map_err(|_| {
                Error::new(
                    Reason::ProviderResponseInvalid,
                    format!("discovery: {key} is not an https URL"),
                )
            })
        };
        let metadata = ProviderMetadata {
            issuer: raw.issuer.clone(),
            authorization_endpoint: endpoint(
                "authorization_endpoint",
                &raw.authorization_endpoint,
            )?,
            token_endpoint: endpoint("token_endpoint", &raw.token_endpoint)?,
            jwks_uri: endpoint("jwks_uri", &raw.jwks_uri)?,
            authorization_response_iss_parameter_supported: raw
                .authorization_response_iss_parameter_supported,
        };
        if !raw.response_types_supported.iter().any(|t| t == "code") {
            return Err(Error::new(
                Reason::ProviderResponseInvalid,
                "discovery: the provider does not support the code flow",
            ));
        }
        if let Some(methods) = &raw.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            return Err(Error::new(
                Reason::ProviderResponseInvalid,
                "discovery: the provider does not support PKCE S256",
            ));
        }
        if let Some(methods) = &raw.token_endpoint_auth_methods_supported
            && !methods.iter().any(|m| m == "client_secret_basic")
        {
            return Err(Error::new(
                Reason::ProviderResponseInvalid,
                "discovery: the provider does not support client_secret_basic",
            ));
        }
        if let Some(algs) = &raw.id_token_signing_alg_values_supported
            && !algs.iter().any(|a| {
                config
                    .allowed_algorithms
                    .iter()
                    .any(|ours| ours.as_str() == a)
            })
        {
            return Err(Error::new(
                Reason::ProviderResponseInvalid,
                "discovery: the provider signs ID tokens with no algorithm in allowed_algorithms",
            ));
        }
        let keys = fetch_jwks(&http, &metadata.jwks_uri).await?;
        Ok(Self {
            config,
            secret,
            http,
            clock: Arc::new(SystemClock),
            metadata,
            jwks: Mutex::new(JwksCache {
                keys,
                fetched: SystemClock.now(),
            }),
            rng: SystemRandom::new(),
        })
    }

    /// Replaces the clock (tests; the default is the system clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The checked discovery document.
    pub fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    /// The configuration in force.
    pub fn config(&self) -> &SsoConfig {
        &self.config
    }

    /// Starts a sign-in: fresh `state`, `nonce` and PKCE verifier, and the authorization
    /// URL (response_type=code, code_challenge_method=S256).
    pub fn begin(&self) -> Result<SignInStart, Error> {
        let pending = PendingSignIn {
            state: self.random_token()?,
            nonce: self.random_token()?,
            code_verifier: self.random_token()?,
            created_at: self.clock.now(),
        };
        let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, pending.code_verifier.as_bytes()));
        let mut scopes = vec!["openid".to_string()];
        scopes.extend(
            self.config
                .scopes
                .iter()
                .filter(|s| *s != "openid")
                .cloned(),
        );
        let mut url = self.metadata.authorization_endpoint.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &pending.state)
            .append_pair("nonce", &pending.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(SignInStart {
            authorize_url: url,
            pending,
        })
    }

    /// Completes a sign-in from the browser's callback: checks the pending state's age, the
    /// `state` and `iss` parameters, exchanges the code (client_secret_basic, with the PKCE
    /// verifier), validates the ID token and maps the groups to a role.
    ///
    /// The caller must drop `pending` from its session whatever the outcome: a pending
    /// sign-in is good for one attempt.
    pub async fn finish(
        &self,
        pending: &PendingSignIn,
        callback: &CallbackParams,
    ) -> Result<SignedInIdentity, Error> {
        let now = self.clock.now();
        if now.since(pending.created_at) > PENDING_LIFETIME
            || pending.created_at > now.plus(self.config.allowed_clock_skew())
        {
            return Err(Error::new(
                Reason::PendingExpired,
                "pending sign-in is too old",
            ));
        }
        let state_ok = callback.state.as_deref().is_some_and(|s| {
            constant_time::verify_slices_are_equal(s.as_bytes(), pending.state.as_bytes()).is_ok()
        });
        if !state_ok {
            return Err(Error::new(
                Reason::StateMismatch,
                "callback state is missing or not ours",
            ));
        }
        // RFC 9207: when the provider names itself in the response, it must be our issuer
        // (mix-up defence); when it says it always does, the parameter must be there.
        match &callback.iss {
            Some(iss) if *iss != self.metadata.issuer => {
                return Err(Error::new(
                    Reason::WrongIssuer,
                    "callback iss is not our issuer",
                ));
            }
            None if self.metadata.authorization_response_iss_parameter_supported => {
                return Err(Error::new(Reason::WrongIssuer, "callback has no iss"));
            }
            _ => {}
        }
        if let Some(error) = &callback.error {
            return Err(Error::new(
                Reason::ProviderDenied,
                format!("provider returned error {:?}", sanitise_code(error)),
            ));
        }
        let code = callback
            .code
            .as_deref()
            .filter(|c| !c.is_empty() && c.len() <= 4096)
            .ok_or_else(|| Error::new(Reason::MissingCode, "callback has no usable code"))?;
        let id_token = self.exchange(code, &pending.code_verifier).await?;
        let claims = self.validate_id_token(&id_token, &pending.nonce).await?;
        let role = self.map_role(&claims.groups).ok_or_else(|| {
            Error::new(
                Reason::NoRole,
                format!(
                    "none of the user's {} groups maps to a role",
                    claims.groups.len()
                ),
            )
        })?;
        Ok(SignedInIdentity {
            issuer: claims.issuer,
            subject: claims.subject,
            email: claims.email,
            email_verified: claims.email_verified,
            name: claims.name,
            groups: claims.groups,
            role,
        })
    }

    /// Validates an ID token: algorithm allowed, signature by a key the provider publishes
    /// (refetching the JWKS once, rate-limited, for an unknown `kid`), then `iss`, `aud`,
    /// `azp`, `exp`, `iat`, `nbf` (with the allowed skew) and `nonce`.
    pub async fn validate_id_token(
        &self,
        id_token: &str,
        expected_nonce: &str,
    ) -> Result<IdTokenClaims, Error> {
        let jws = Jws::parse(id_token, &self.config.allowed_algorithms)?;
        let key = self.key_for(&jws).await?;
        jws.verify(&key)?;
        claims::check(
            &jws.payload,
            &claims::Expected {
                issuer: &self.metadata.issuer,
                client_id: &self.config.client_id,
                nonce: expected_nonce,
                now: self.clock.now(),
                skew: self.config.allowed_clock_skew(),
                groups_claim: &self.config.groups_claim,
            },
        )
    }

    /// The most privileged role any of `groups` maps to (privilege in the declaration
    /// order of [`Role`]: owner, admin, compliance, sender, marketer, auditor), or `None`.
    pub fn map_role(&self, groups: &[String]) -> Option<Role> {
        groups
            .iter()
            .filter_map(|g| self.config.group_roles.get(g).copied())
            .min_by_key(|r| Role::ALL.iter().position(|x| x == r))
    }

    async fn key_for(&self, jws: &Jws) -> Result<Jwk, Error> {
        let unknown = || {
            Error::new(
                Reason::UnknownKey,
                "no published key matches the ID token's kid and algorithm",
            )
        };
        let mut cache = self.jwks.lock().await;
        match cache.lookup(jws, self.clock.now()) {
            Lookup::Found(key) => Ok(*key),
            Lookup::Unknown => Err(unknown()),
            Lookup::Refetch => {
                // The lock is held across the fetch on purpose: concurrent sign-ins wait
                // for one refetch instead of each starting their own.
                cache.keys = fetch_jwks(&self.http, &self.metadata.jwks_uri).await?;
                cache.fetched = self.clock.now();
                jose::select_key(&cache.keys, jws)
                    .cloned()
                    .ok_or_else(unknown)
            }
        }
    }

    async fn exchange(&self, code: &str, verifier: &str) -> Result<String, Error> {
        let url = &self.metadata.token_endpoint;
        // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding.
        let user = utf8_percent_encode(&self.config.client_id, FORM).to_string();
        let pass = Zeroizing::new(utf8_percent_encode(&self.secret, FORM).to_string());
        let basic = Zeroizing::new(format!(
            "Basic {}",
            STANDARD.encode(format!("{user}:{}", *pass))
        ));
        let body = Zeroizing::new(format!(
            "grant_type=authorization_code&code={}&redirect_uri={}&code_verifier={}",
            utf8_percent_encode(code, FORM),
            utf8_percent_encode(&self.config.redirect_uri, FORM),
            utf8_percent_encode(verifier, FORM),
        ));
        let resp = self
            .http
            .post(url.clone())
            .header(reqwest::header::AUTHORIZATION, basic.as_str())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body.as_bytes().to_vec())
            .send()
            .await
            .map_err(|e| http::transport_error("token", url, &e))?;
        let status = resp.status();
        let bytes = Zeroizing::new(http::read_limited("token", url, resp).await?);
        let parsed: Option<TokenResponse> = serde_json::from_slice(&bytes).ok();
        if !status.is_success() {
            let code = parsed
                .and_then(|r| r.error)
                .map(|e| sanitise_code(&e))
                .unwrap_or_default();
            let reason = if status.is_client_error() {
                Reason::CodeRejected
            } else {
                Reason::ProviderUnreachable
            };
            return Err(Error::new(
                reason,
                format!("token endpoint answered {} {code:?}", status.as_u16()),
            ));
        }
        parsed.and_then(|r| r.id_token).ok_or_else(|| {
            Error::new(
                Reason::ProviderResponseInvalid,
                "token response has no id_token",
            )
        })
    }

    fn random_token(&self) -> Result<String, Error> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        self.rng
            .fill(bytes.as_mut())
            .map_err(|_| Error::new(Reason::Config, "system random generator failed"))?;
        Ok(URL_SAFE_NO_PAD.encode(bytes.as_ref()))
    }
}

impl fmt::Debug for SsoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoClient")
            .field("issuer", &self.metadata.issuer)
            .field("client_id", &self.config.client_id)
            .field("secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

fn read_secret(config: &SsoConfig) -> Result<Zeroizing<String>, Error> {
    let path = &config.client_secret_file;
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            Reason::Config,
            format!("sso.client_secret_file {}: {}", path.display(), e.kind()),
        )
    })?);
    let secret = Zeroizing::new(text.lines().next().unwrap_or_default().trim().to_string());
    if secret.is_empty() {
        return Err(Error::new(
            Reason::Config,
            format!("sso.client_secret_file {} is empty", path.display()),
        ));
    }
    Ok(secret)
}

async fn get(http: &reqwest::Client, what: &str, url: &Url) -> Result<Vec<u8>, Error> {
    let resp = http
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| http::transport_error(what, url, &e))?;
    if !resp.status().is_success() {
        return Err(Error::new(
            Reason::ProviderUnreachable,
            format!(
                "{what} {}: HTTP {}",
                http::origin(url),
                resp.status().as_u16()
            ),
        ));
    }
    http::read_limited(what, url, resp).await
}

async fn fetch_jwks(http: &reqwest::Client, url: &Url) -> Result<Vec<Jwk>, Error> {
    let body = get(http, "jwks", url).await?;
    jose::parse_jwk_set(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_cache_refetches_when_stale_or_for_an_unknown_kid_at_most_every_30_seconds() {
        use crate::jose::Algorithm;
        use crate::jose::testkeys::TestKey;

        let known = TestKey::es256();
        let rotated = TestKey::es256();
        let t0 = Timestamp::from_millis(1_800_000_000_000);
        let cache = JwksCache {
            keys: vec![known.jwk("k1")],
            fetched: t0,
        };
        let claims = serde_json::json!({"sub": "alice"});
        let jws_known = Jws::parse(&known.sign("k1", &claims), Algorithm::DEFAULT).expect("jws");
        let jws_new = Jws::parse(&rotated.sign("k2", &claims), Algorithm::DEFAULT).expect("jws");
        let at = |secs: u64| t0.plus(Duration::from_secs(secs));

        assert_eq!(
            cache.lookup(&jws_known, at(5)),
            Lookup::Found(Box::new(known.jwk("k1")))
        );
        // Unknown kid right after a fetch: no refetch (a stream of forged kids must not
        // hammer the provider) ...
        assert_eq!(cache.lookup(&jws_new, at(5)), Lookup::Unknown);
        assert_eq!(cache.lookup(&jws_new, at(29)), Lookup::Unknown);
        // ... but after 30 s it may have rotated: refetch.
        assert_eq!(cache.lookup(&jws_new, at(30)), Lookup::Refetch);
        // Known keys are served from the cache for an hour, then refetched.
        assert_eq!(
            cache.lookup(&jws_known, at(3599)),
            Lookup::Found(Box::new(known.jwk("k1")))
        );
        assert_eq!(cache.lookup(&jws_known, at(3601)), Lookup::Refetch);
    }

    #[test]
    fn callback_query_parsing() {
        let p = CallbackParams::from_query("?code=abc&state=xyz&iss=https%3A%2F%2Fidp.test&x=1")
            .expect("parses");
        assert_eq!(p.code.as_deref(), Some("abc"));
        assert_eq!(p.state.as_deref(), Some("xyz"));
        assert_eq!(p.iss.as_deref(), Some("https://idp.test"));
        assert!(CallbackParams::from_query("code=a&code=b&state=s").is_err());
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("abc") && !dbg.contains("xyz"), "{dbg}");
    }

    #[test]
    fn pending_debug_redacts_its_secrets_and_round_trips_through_json() {
        let p = PendingSignIn {
            state: "s3cr3t-state".into(),
            nonce: "s3cr3t-nonce".into(),
            code_verifier: "s3cr3t-verifier".into(),
            created_at: Timestamp::from_millis(5),
        };
        assert!(!format!("{p:?}").contains("s3cr3t"));
        let json = serde_json::to_string(&p).expect("serialises");
        let back: PendingSignIn = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, p);
    }

    #[test]
    fn form_encoding_escapes_everything_but_unreserved() {
        let s = utf8_percent_encode("a b:c/d+e%f~g.h-i_j", FORM).to_string();
        assert_eq!(s, "a%20b%3Ac%2Fd%2Be%25f~g.h-i_j");
    }
}
