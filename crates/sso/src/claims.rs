//! ID token claim checks (OpenID Connect Core 1.0 §3.1.3.7), after the signature has
//! verified. No I/O; time is passed in.

use std::time::Duration;

use aws_lc_rs::constant_time;
use model::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Reason};

/// The most groups we read from one token, and the longest group name.
const MAX_GROUPS: usize = 1000;
const MAX_GROUP_LEN: usize = 256;

/// The claims of a validated ID token that carepost uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdTokenClaims {
    /// `iss`: the provider.
    pub issuer: String,
    /// `sub`: the provider's stable id for the user.
    pub subject: String,
    /// `email`, if released.
    pub email: Option<String>,
    /// `email_verified` (false when absent).
    pub email_verified: bool,
    /// `name`, if released.
    pub name: Option<String>,
    /// The groups claim (configured name), as strings; empty when absent.
    pub groups: Vec<String>,
    /// `exp`, seconds since the epoch.
    pub expires_at: i64,
    /// `iat`, seconds since the epoch.
    pub issued_at: i64,
}

/// What the claims are checked against.
pub(crate) struct Expected<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) nonce: &'a str,
    pub(crate) now: Timestamp,
    pub(crate) skew: Duration,
    pub(crate) groups_claim: &'a str,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Checks `payload` (the verified JWS payload) and extracts the claims.
pub(crate) fn check(payload: &[u8], expected: &Expected<'_>) -> Result<IdTokenClaims, Error> {
    let claims: serde_json::Map<String, Value> = serde_json::from_slice(payload).map_err(|_| {
        Error::new(
            Reason::MalformedToken,
            "ID token payload is not a JSON object",
        )
    })?;

    // iss: exact match (§3.1.3.7 item 2).
    let issuer = required_str(&claims, "iss")?;
    if issuer != expected.issuer {
        return Err(Error::new(
            Reason::WrongIssuer,
            "ID token iss is not the configured issuer",
        ));
    }

    // aud must contain our client id; with several audiences azp must be us (items 3–5).
    let aud: OneOrMany = match claims.get("aud") {
        None => return Err(missing("aud")),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|_| Error::new(Reason::MalformedToken, "ID token aud has the wrong type"))?,
    };
    let audiences = match aud {
        OneOrMany::One(a) => vec![a],
        OneOrMany::Many(v) => v,
    };
    if !audiences.iter().any(|a| a == expected.client_id) {
        return Err(Error::new(
            Reason::WrongAudience,
            "ID token aud does not contain our client id",
        ));
    }
    let azp = optional_str(&claims, "azp")?;
    if audiences.len() > 1 && azp.is_none() {
        return Err(Error::new(
            Reason::WrongAuthorizedParty,
            "ID token has several audiences and no azp",
        ));
    }
    if let Some(azp) = azp
        && azp != expected.client_id
    {
        return Err(Error::new(
            Reason::WrongAuthorizedParty,
            "ID token azp is not our client id",
        ));
    }

    // Times, with the allowed skew (items 9–10; nbf from RFC 7519 §4.1.5).
    let now_ms = i128::from(expected.now.as_millis());
    let skew_ms = i128::try_from(expected.skew.as_millis()).unwrap_or(i128::MAX);
    let exp = required_time(&claims, "exp")?;
    if now_ms >= i128::from(exp) * 1000 + skew_ms {
        return Err(Error::new(Reason::Expired, "ID token has expired"));
    }
    let iat = required_time(&claims, "iat")?;
    if i128::from(iat) * 1000 > now_ms + skew_ms {
        return Err(Error::new(
            Reason::IssuedInFuture,
            "ID token iat is in the future",
        ));
    }
    if let Some(nbf) = optional_time(&claims, "nbf")?
        && i128::from(nbf) * 1000 > now_ms + skew_ms
    {
        return Err(Error::new(
            Reason::NotYetValid,
            "ID token nbf is in the future",
        ));
    }

    // nonce: must be present and ours (item 11); compared in constant time.
    let nonce = optional_str(&claims, "nonce")?
        .ok_or_else(|| Error::new(Reason::NonceMismatch, "ID token has no nonce"))?;
    if constant_time::verify_slices_are_equal(nonce.as_bytes(), expected.nonce.as_bytes()).is_err()
    {
        return Err(Error::new(
            Reason::NonceMismatch,
            "ID token nonce is not ours",
        ));
    }

    let subject = required_str(&claims, "sub")?;
    if subject.is_empty() || subject.len() > 255 {
        return Err(Error::new(
            Reason::MalformedToken,
            "ID token sub is empty or too long",
        ));
    }

    let groups = match claims.get(expected.groups_claim) {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let g: OneOrMany = serde_json::from_value(v.clone()).map_err(|_| {
                Error::new(
                    Reason::MalformedToken,
                    "ID token groups claim is not string(s)",
                )
            })?;
            match g {
                OneOrMany::One(s) => vec![s],
                OneOrMany::Many(v) => v,
            }
        }
    };
    if groups.len() > MAX_GROUPS || groups.iter().any(|g| g.len() > MAX_GROUP_LEN) {
        return Err(Error::new(
            Reason::MalformedToken,
            "ID token groups claim is too large",
        ));
    }

    let email_verified = match claims.get("email_verified") {
        Some(Value::Bool(b)) => *b,
        // Some providers send the string "true".
        Some(Value::String(s)) => s == "true",
        _ => false,
    };

    Ok(IdTokenClaims {
        issuer: issuer.to_string(),
        subject: subject.to_string(),
        email: optional_str(&claims, "email")?.map(str::to_string),
        email_verified,
        name: optional_str(&claims, "name")?.map(str::to_string),
        groups,
        expires_at: exp,
        issued_at: iat,
    })
}

fn missing(name: &'static str) -> Error {
    Error::new(Reason::MissingClaim, format!("ID token has no {name}"))
}

fn required_str<'c>(
    claims: &'c serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<&'c str, Error> {
    optional_str(claims, name)?.ok_or_else(|| missing(name))
}

fn optional_str<'c>(
    claims: &'c serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<Option<&'c str>, Error> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::new(
            Reason::MalformedToken,
            format!("ID token {name} is not a string"),
        )),
    }
}

fn required_time(
    claims: &serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<i64, Error> {
    optional_time(claims, name)?.ok_or_else(|| missing(name))
}

/// NumericDate (RFC 7519 §2): seconds, possibly with a fraction (truncated).
fn optional_time(
    claims: &serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<Option<i64>, Error> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let secs = n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && f.abs() < 1e15)
                    // Truncation toward zero is what we want for a fractional NumericDate.
                    .map(|f| f as i64)
            });
            secs.map(Some).ok_or_else(|| {
                Error::new(
                    Reason::MalformedToken,
                    format!("ID token {name} is not a NumericDate"),
                )
            })
        }
        Some(_) => Err(Error::new(
            Reason::MalformedToken,
            format!("ID token {name} is not a NumericDate"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://idp.test",
            client_id: "carepost",
            nonce: "n-123",
            now: Timestamp::from_millis(NOW * 1000),
            skew: Duration::from_secs(60),
            groups_claim: "groups",
        }
    }

    fn good() -> Value {
        json!({
            "iss": "https://idp.test", "sub": "alice", "aud": "carepost",
            "exp": NOW + 300, "iat": NOW - 5, "nonce": "n-123",
            "email": "alice@clinic.test", "email_verified": true, "name": "Alice",
            "groups": ["carepost-admins", "staff"],
        })
    }

    fn run(v: &Value) -> Result<IdTokenClaims, Error> {
        check(v.to_string().as_bytes(), &expected())
    }

    fn with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
        let mut v = good();
        edit(v.as_object_mut().expect("object"));
        v
    }

    #[test]
    fn a_good_token_yields_its_claims() {
        let c = run(&good()).expect("valid");
        assert_eq!(c.subject, "alice");
        assert_eq!(c.email.as_deref(), Some("alice@clinic.test"));
        assert!(c.email_verified);
        assert_eq!(c.groups, vec!["carepost-admins", "staff"]);
    }

    #[test]
    fn each_bad_claim_fails_with_its_reason() {
        let rows: Vec<(&str, Value, Reason)> = vec![
            (
                "other issuer",
                with(|m| {
                    m.insert("iss".into(), json!("https://evil.test"));
                }),
                Reason::WrongIssuer,
            ),
            (
                "issuer with trailing slash",
                with(|m| {
                    m.insert("iss".into(), json!("https://idp.test/"));
                }),
                Reason::WrongIssuer,
            ),
            (
                "no iss",
                with(|m| {
                    m.remove("iss");
                }),
                Reason::MissingClaim,
            ),
            (
                "other audience",
                with(|m| {
                    m.insert("aud".into(), json!("other-app"));
                }),
                Reason::WrongAudience,
            ),
            (
                "audience list without us",
                with(|m| {
                    m.insert("aud".into(), json!(["a", "b"]));
                }),
                Reason::WrongAudience,
            ),
            (
                "no aud",
                with(|m| {
                    m.remove("aud");
                }),
                Reason::MissingClaim,
            ),
            (
                "aud a number",
                with(|m| {
                    m.insert("aud".into(), json!(5));
                }),
                Reason::MalformedToken,
            ),
            (
                "several audiences, no azp",
                with(|m| {
                    m.insert("aud".into(), json!(["carepost", "other"]));
                }),
                Reason::WrongAuthorizedParty,
            ),
            (
                "several audiences, azp other",
                with(|m| {
                    m.insert("aud".into(), json!(["carepost", "other"]));
                    m.insert("azp".into(), json!("other"));
                }),
                Reason::WrongAuthorizedParty,
            ),
            (
                "single audience, azp other",
                with(|m| {
                    m.insert("azp".into(), json!("other"));
                }),
                Reason::WrongAuthorizedParty,
            ),
            (
                "expired beyond skew",
                with(|m| {
                    m.insert("exp".into(), json!(NOW - 61));
                }),
                Reason::Expired,
            ),
            (
                "expired exactly at skew",
                with(|m| {
                    m.insert("exp".into(), json!(NOW - 60));
                }),
                Reason::Expired,
            ),
            (
                "no exp",
                with(|m| {
                    m.remove("exp");
                }),
                Reason::MissingClaim,
            ),
            (
                "exp a string",
                with(|m| {
                    m.insert("exp".into(), json!("tomorrow"));
                }),
                Reason::MalformedToken,
            ),
            (
                "iat in the future",
                with(|m| {
                    m.insert("iat".into(), json!(NOW + 61));
                }),
                Reason::IssuedInFuture,
            ),
            (
                "no iat",
                with(|m| {
                    m.remove("iat");
                }),
                Reason::MissingClaim,
            ),
            (
                "nbf in the future",
                with(|m| {
                    m.insert("nbf".into(), json!(NOW + 61));
                }),
                Reason::NotYetValid,
            ),
            (
                "other nonce",
                with(|m| {
                    m.insert("nonce".into(), json!("n-124"));
                }),
                Reason::NonceMismatch,
            ),
            (
                "nonce prefix",
                with(|m| {
                    m.insert("nonce".into(), json!("n-12"));
                }),
                Reason::NonceMismatch,
            ),
            (
                "no nonce",
                with(|m| {
                    m.remove("nonce");
                }),
                Reason::NonceMismatch,
            ),
            (
                "no sub",
                with(|m| {
                    m.remove("sub");
                }),
                Reason::MissingClaim,
            ),
            (
                "empty sub",
                with(|m| {
                    m.insert("sub".into(), json!(""));
                }),
                Reason::MalformedToken,
            ),
            (
                "groups an object",
                with(|m| {
                    m.insert("groups".into(), json!({"a": 1}));
                }),
                Reason::MalformedToken,
            ),
            (
                "too many groups",
                with(|m| {
                    m.insert("groups".into(), json!(vec!["g"; MAX_GROUPS + 1]));
                }),
                Reason::MalformedToken,
            ),
        ];
        for (name, claims, reason) in rows {
            let err = run(&claims).expect_err(name);
            assert_eq!(err.reason(), reason, "{name}: {err:?}");
        }
        assert!(check(b"[1,2]", &expected()).is_err());
        assert!(check(b"not json", &expected()).is_err());
    }

    #[test]
    fn skew_tolerates_small_clock_differences() {
        let ok = [
            with(|m| {
                m.insert("exp".into(), json!(NOW - 59));
            }),
            with(|m| {
                m.insert("iat".into(), json!(NOW + 59));
            }),
            with(|m| {
                m.insert("nbf".into(), json!(NOW + 59));
            }),
            with(|m| {
                m.insert("exp".into(), json!(NOW as f64 + 10.5));
            }),
            with(|m| {
                m.insert("aud".into(), json!(["carepost", "other"]));
                m.insert("azp".into(), json!("carepost"));
            }),
            with(|m| {
                m.insert("groups".into(), json!("single-group"));
            }),
            with(|m| {
                m.remove("groups");
            }),
        ];
        for claims in ok {
            run(&claims).unwrap_or_else(|e| panic!("{claims}: {e:?}"));
        }
    }
}
