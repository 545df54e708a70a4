//! The small part of JOSE an OpenID relying party needs: parse a compact JWS (RFC 7515
//! §7.1), pick the provider's public key from its JWK Set (RFC 7517) and verify the
//! signature with aws-lc-rs (RFC 7518 §3.3 RS*, §3.5 PS*, §3.4 ES*; RFC 8037 EdDSA, and the
//! fully specified `Ed25519` of RFC 9864). No I/O.
//!
//! Deliberately absent: `none`, the HMAC algorithms (HS*: they would make the client
//! secret a signing key, and a confused verifier accepts tokens "signed" with a public
//! key), encrypted ID tokens (JWE), and any `crit` header extension (refused, RFC 7515
//! §4.1.11).

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Reason};

/// The largest ID token we parse (the provider's tokens are a few kilobytes).
pub(crate) const MAX_TOKEN_LEN: usize = 16 * 1024;
/// The most keys we keep from one JWK Set.
const MAX_KEYS: usize = 64;

/// A JWS signature algorithm we can verify. `none` and HS* have no variant on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// EdDSA (RFC 8037); we accept only the Ed25519 curve.
    EdDSA,
    /// Ed25519, the fully specified name (RFC 9864).
    Ed25519,
}

impl Algorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: &'static [Algorithm] = &[
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::ES256,
        Self::ES384,
        Self::EdDSA,
        Self::Ed25519,
    ];

    /// The default allow-list: what current providers sign ID tokens with.
    pub const DEFAULT: &'static [Algorithm] = &[
        Self::RS256,
        Self::PS256,
        Self::ES256,
        Self::EdDSA,
        Self::Ed25519,
    ];

    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::EdDSA => "EdDSA",
            Self::Ed25519 => "Ed25519",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                format!("unsupported JWS algorithm {s:?} (none and HS* are never accepted)")
            })
    }
}

/// The protected header fields we look at.
#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

/// A compact JWS split and decoded, its signature not yet checked.
pub(crate) struct Jws {
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what the signature covers.
    signing_input: Vec<u8>,
    signature: Vec<u8>,
    /// The decoded payload (claims), parsed only after the signature verifies.
    pub(crate) payload: Vec<u8>,
}

impl Jws {
    /// Splits and decodes `token`, refusing algorithms outside `allowed`.
    pub(crate) fn parse(token: &str, allowed: &[Algorithm]) -> Result<Self, Error> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::new(Reason::MalformedToken, "ID token too long"));
        }
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::new(
                Reason::MalformedToken,
                "ID token is not a compact JWS (three parts); JWE is not supported",
            ));
        };
        let header_bytes = b64(h)?;
        let header: RawHeader = serde_json::from_slice(&header_bytes)
            .map_err(|_| Error::new(Reason::MalformedToken, "JWS header is not a JSON object"))?;
        if header.crit.is_some() {
            return Err(Error::new(
                Reason::MalformedToken,
                "JWS header has `crit` extensions we do not understand",
            ));
        }
        if let Some(typ) = &header.typ {
            // OIDC ID tokens are typed JWT or not typed at all; refuse e.g. `at+jwt` or
            // `logout+jwt` so another kind of token cannot stand in for an ID token.
            if !typ.eq_ignore_ascii_case("JWT") && !typ.eq_ignore_ascii_case("application/jwt") {
                return Err(Error::new(Reason::MalformedToken, "JWS `typ` is not JWT"));
            }
        }
        let alg = Algorithm::from_str(&header.alg).map_err(|_| {
            Error::new(
                Reason::AlgorithmNotAllowed,
                format!(
                    "JWS alg {:?} is never accepted",
                    crate::error::sanitise_code(&header.alg)
                ),
            )
        })?;
        if !allowed.contains(&alg) {
            return Err(Error::new(
                Reason::AlgorithmNotAllowed,
                format!("JWS alg {alg} is not in allowed_algorithms"),
            ));
        }
        let payload = b64(p)?;
        let signature = b64(s)?;
        let signing_input = token.as_bytes()[..h.len() + 1 + p.len()].to_vec();
        Ok(Self {
            alg,
            kid: header.kid,
            signing_input,
            signature,
            payload,
        })
    }

    /// Verifies the signature with `key`, which must fit the algorithm.
    pub(crate) fn verify(&self, key: &Jwk) -> Result<(), Error> {
        key.verify(self.alg, &self.signing_input, &self.signature)
    }
}

fn b64(part: &str) -> Result<Vec<u8>, Error> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Error::new(Reason::MalformedToken, "JWS part is not base64url"))
}

/// One public key from the provider's JWK Set (only the members we use).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub(crate) struct Jwk {
    kty: String,
    #[serde(default)]
    pub(crate) kid: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    x: Option<String>,
    #[serde(default)]
    y: Option<String>,
}

#[derive(Deserialize)]
struct RawJwkSet {
    keys: Vec<serde_json::Value>,
}

/// Parses a JWK Set, keeping the signature keys we understand and skipping the rest
/// (encryption keys, unknown key types), as RFC 7517 §5 asks.
pub(crate) fn parse_jwk_set(body: &[u8]) -> Result<Vec<Jwk>, Error> {
    let set: RawJwkSet = serde_json::from_slice(body)
        .map_err(|_| Error::new(Reason::ProviderResponseInvalid, "JWKS is not a JWK Set"))?;
    let keys: Vec<Jwk> = set
        .keys
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Jwk>(v).ok())
        .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
        .take(MAX_KEYS)
        .collect();
    Ok(keys)
}

impl Jwk {
    /// True when this key can verify `alg`: its type and curve fit, and its own `alg`, if
    /// it names one, is the same.
    pub(crate) fn fits(&self, alg: Algorithm) -> bool {
        if let Some(own) = &self.alg {
            // A key published for EdDSA may verify Ed25519-named tokens and vice versa.
            let same = own == alg.as_str()
                || (matches!(alg, Algorithm::EdDSA | Algorithm::Ed25519)
                    && matches!(own.as_str(), "EdDSA" | "Ed25519"));
            if !same {
                return false;
            }
        }
        match alg {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => self.kty == "RSA",
            Algorithm::ES256 => self.kty == "EC" && self.crv.as_deref() == Some("P-256"),
            Algorithm::ES384 => self.kty == "EC" && self.crv.as_deref() == Some("P-384"),
            Algorithm::EdDSA | Algorithm::Ed25519 => {
                self.kty == "OKP" && self.crv.as_deref() == Some("Ed25519")
            }
        }
    }

    fn verify(&self, alg: Algorithm, message: &[u8], sig: &[u8]) -> Result<(), Error> {
        if !self.fits(alg) {
            return Err(Error::new(
                Reason::AlgorithmNotAllowed,
                format!("JWS alg {alg} does not fit the key's type"),
            ));
        }
        let bad_key = || Error::new(Reason::ProviderResponseInvalid, "JWK has malformed members");
        let field = |v: &Option<String>| -> Result<Vec<u8>, Error> {
            let v = v.as_deref().ok_or_else(bad_key)?;
            URL_SAFE_NO_PAD.decode(v).map_err(|_| bad_key())
        };
        let ok = match alg {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => {
                let params: &'static signature::RsaParameters = match alg {
                    Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
                    _ => &signature::RSA_PSS_2048_8192_SHA512,
                };
                let (n, e) = (field(&self.n)?, field(&self.e)?);
                RsaPublicKeyComponents { n: &n, e: &e }
                    .verify(params, message, sig)
                    .is_ok()
            }
            Algorithm::ES256 | Algorithm::ES384 => {
                let (params, len) = if alg == Algorithm::ES256 {
                    (&signature::ECDSA_P256_SHA256_FIXED, 32)
                } else {
                    (&signature::ECDSA_P384_SHA384_FIXED, 48)
                };
                let (x, y) = (field(&self.x)?, field(&self.y)?);
                if x.len() != len || y.len() != len {
                    return Err(bad_key());
                }
                // SEC 1 uncompressed point: 0x04 || X || Y.
                let mut point = Vec::with_capacity(1 + 2 * len);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                UnparsedPublicKey::new(params, &point)
                    .verify(message, sig)
                    .is_ok()
            }
            Algorithm::EdDSA | Algorithm::Ed25519 => {
                let x = field(&self.x)?;
                if x.len() != 32 {
                    return Err(bad_key());
                }
                UnparsedPublicKey::new(&signature::ED25519, &x)
                    .verify(message, sig)
                    .is_ok()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                Reason::BadSignature,
                "ID token signature does not verify",
            ))
        }
    }
}

/// Finds the key for a token: by `kid` when the token names one; otherwise the only key
/// that fits the algorithm (several candidates without a `kid` are ambiguous: refused).
pub(crate) fn select_key<'k>(keys: &'k [Jwk], jws: &Jws) -> Option<&'k Jwk> {
    match &jws.kid {
        Some(kid) => keys
            .iter()
            .find(|k| k.kid.as_deref() == Some(kid.as_str()) && k.fits(jws.alg)),
        None => {
            let mut fitting = keys.iter().filter(|k| k.fits(jws.alg));
            match (fitting.next(), fitting.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testkeys {
    //! Signing keys and a token minter for tests (ours, not the provider's).

    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair,
    };

    use super::*;

    /// A key pair that signs tokens and publishes its JWK.
    pub(crate) enum TestKey {
        Es256(EcdsaKeyPair),
        Ed25519(Ed25519KeyPair),
    }

    impl TestKey {
        pub(crate) fn es256() -> Self {
            let rng = SystemRandom::new();
            let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .expect("key generation works");
            Self::Es256(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
                    .expect("own key parses"),
            )
        }

        pub(crate) fn ed25519() -> Self {
            let rng = SystemRandom::new();
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("key generation works");
            Self::Ed25519(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("own key parses"))
        }

        pub(crate) fn alg(&self) -> &'static str {
            match self {
                Self::Es256(_) => "ES256",
                Self::Ed25519(_) => "EdDSA",
            }
        }

        pub(crate) fn jwk_json(&self, kid: &str) -> serde_json::Value {
            match self {
                Self::Es256(k) => {
                    let p = k.public_key().as_ref();
                    serde_json::json!({
                        "kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
                        "x": URL_SAFE_NO_PAD.encode(&p[1..33]),
                        "y": URL_SAFE_NO_PAD.encode(&p[33..65]),
                    })
                }
                Self::Ed25519(k) => serde_json::json!({
                    "kty": "OKP", "crv": "Ed25519", "kid": kid,
                    "x": URL_SAFE_NO_PAD.encode(k.public_key().as_ref()),
                }),
            }
        }

        pub(crate) fn jwk(&self, kid: &str) -> Jwk {
            serde_json::from_value(self.jwk_json(kid)).expect("test JWK parses")
        }

        /// A compact JWS over `claims` with the given header.
        pub(crate) fn sign_with_header(
            &self,
            header: &serde_json::Value,
            claims: &serde_json::Value,
        ) -> String {
            let h = URL_SAFE_NO_PAD.encode(header.to_string());
            let p = URL_SAFE_NO_PAD.encode(claims.to_string());
            let input = format!("{h}.{p}");
            let sig = match self {
                Self::Es256(k) => k
                    .sign(&SystemRandom::new(), input.as_bytes())
                    .expect("signing works")
                    .as_ref()
                    .to_vec(),
                Self::Ed25519(k) => k.sign(input.as_bytes()).as_ref().to_vec(),
            };
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
        }

        pub(crate) fn sign(&self, kid: &str, claims: &serde_json::Value) -> String {
            let header = serde_json::json!({"alg": self.alg(), "kid": kid, "typ": "JWT"});
            self.sign_with_header(&header, claims)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testkeys::TestKey;
    use super::*;

    fn claims() -> serde_json::Value {
        serde_json::json!({"sub": "alice", "iss": "https://idp.test"})
    }

    #[test]
    fn es256_and_ed25519_tokens_verify_with_their_key_and_not_with_another() {
        for key in [TestKey::es256(), TestKey::ed25519()] {
            let token = key.sign("k1", &claims());
            let jws = Jws::parse(&token, Algorithm::DEFAULT).expect("parses");
            assert!(jws.verify(&key.jwk("k1")).is_ok());
            let other = if key.alg() == "ES256" {
                TestKey::es256()
            } else {
                TestKey::ed25519()
            };
            let err = jws.verify(&other.jwk("k1")).expect_err("wrong key");
            assert_eq!(err.reason(), Reason::BadSignature);
        }
    }

    #[test]
    fn a_tampered_payload_fails_the_signature() {
        let key = TestKey::es256();
        let token = key.sign("k1", &claims());
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(r#"{"sub":"mallory","iss":"https://idp.test"}"#);
        let jws = Jws::parse(&parts.join("."), Algorithm::DEFAULT).expect("parses");
        assert_eq!(
            jws.verify(&key.jwk("k1")).expect_err("tampered").reason(),
            Reason::BadSignature
        );
    }

    #[test]
    fn none_and_hmac_algorithms_are_never_accepted() {
        let key = TestKey::es256();
        for alg in ["none", "HS256", "HS384", "HS512", "None", "", "RS256 "] {
            let token = key.sign_with_header(&serde_json::json!({"alg": alg}), &claims());
            let err = Jws::parse(&token, Algorithm::ALL).err().expect("refused");
            assert_eq!(err.reason(), Reason::AlgorithmNotAllowed, "{alg}");
        }
        // An unsigned token (empty signature part) with alg none.
        let h = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        let p = URL_SAFE_NO_PAD.encode(claims().to_string());
        let err = Jws::parse(&format!("{h}.{p}."), Algorithm::ALL)
            .err()
            .expect("refused");
        assert_eq!(err.reason(), Reason::AlgorithmNotAllowed);
        assert!("HS256".parse::<Algorithm>().is_err());
        assert!("none".parse::<Algorithm>().is_err());
    }

    #[test]
    fn an_algorithm_outside_the_allow_list_is_refused() {
        let key = TestKey::es256();
        let token = key.sign("k1", &claims());
        let err = Jws::parse(&token, &[Algorithm::RS256])
            .err()
            .expect("refused");
        assert_eq!(err.reason(), Reason::AlgorithmNotAllowed);
    }

    #[test]
    fn an_algorithm_that_does_not_fit_the_key_is_refused() {
        // Token claims ES256 but the published key with that kid is Ed25519.
        let ec = TestKey::es256();
        let ed = TestKey::ed25519();
        let token = ec.sign("k1", &claims());
        let jws = Jws::parse(&token, Algorithm::DEFAULT).expect("parses");
        assert_eq!(
            jws.verify(&ed.jwk("k1")).expect_err("mismatch").reason(),
            Reason::AlgorithmNotAllowed
        );
        assert!(select_key(&[ed.jwk("k1")], &jws).is_none());
    }

    #[test]
    fn malformed_tokens_are_refused_without_panicking() {
        let key = TestKey::es256();
        let good = key.sign("k1", &claims());
        let crit = key.sign_with_header(
            &serde_json::json!({"alg": "ES256", "crit": ["exp"], "exp": 1}),
            &claims(),
        );
        let at_jwt = key.sign_with_header(
            &serde_json::json!({"alg": "ES256", "typ": "at+jwt"}),
            &claims(),
        );
        let too_long = "a".repeat(MAX_TOKEN_LEN + 1);
        let cases = [
            "",
            ".",
            "..",
            "a.b",
            "a.b.c.d.e",
            "!!!.###.$$$",
            &good[..good.len() / 2],
            crit.as_str(),
            at_jwt.as_str(),
            too_long.as_str(),
        ];
        for case in cases {
            let Err(err) = Jws::parse(case, Algorithm::DEFAULT) else {
                // Half a token may still split into three base64 parts; then the
                // signature must fail.
                let jws = Jws::parse(case, Algorithm::DEFAULT).expect("parsed");
                assert!(jws.verify(&key.jwk("k1")).is_err(), "{case}");
                continue;
            };
            assert!(
                matches!(
                    err.reason(),
                    Reason::MalformedToken | Reason::AlgorithmNotAllowed
                ),
                "{case}: {err:?}"
            );
        }
    }

    #[test]
    fn key_selection_by_kid_and_without_kid() {
        let a = TestKey::es256();
        let b = TestKey::es256();
        let keys = vec![a.jwk("a"), b.jwk("b")];
        let token = b.sign("b", &claims());
        let jws = Jws::parse(&token, Algorithm::DEFAULT).expect("parses");
        assert_eq!(
            select_key(&keys, &jws).and_then(|k| k.kid.clone()),
            Some("b".into())
        );
        let unknown = Jws::parse(&b.sign("zzz", &claims()), Algorithm::DEFAULT).expect("parses");
        assert!(select_key(&keys, &unknown).is_none());
        // Without kid: ambiguous with two EC keys, fine with one.
        let no_kid = b.sign_with_header(&serde_json::json!({"alg": "ES256"}), &claims());
        let jws = Jws::parse(&no_kid, Algorithm::DEFAULT).expect("parses");
        assert!(select_key(&keys, &jws).is_none());
        assert!(select_key(&keys[1..], &jws).is_some());
    }

    #[test]
    fn jwk_set_skips_encryption_and_unknown_keys() {
        let ec = TestKey::es256();
        let mut enc = ec.jwk_json("enc");
        enc["use"] = "enc".into();
        let set = serde_json::json!({"keys": [
            ec.jwk_json("sig"), enc, {"kty": "oct", "k": "c2VjcmV0"}, {"nonsense": true}
        ]});
        let keys = parse_jwk_set(set.to_string().as_bytes()).expect("parses");
        let kids: Vec<_> = keys.iter().map(|k| k.kid.clone()).collect();
        assert_eq!(kids, vec![Some("sig".to_string()), None]);
        // The symmetric key fits no algorithm we accept.
        assert!(Algorithm::ALL.iter().all(|a| !keys[1].fits(*a)));
        assert!(parse_jwk_set(b"[]").is_err());
    }
}
