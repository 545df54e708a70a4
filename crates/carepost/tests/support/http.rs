//! HTTPS requests with curl for the tests: one request, no redirects followed, cookies in
//! an optional jar; the status, `Location` and body come back. The `Authorization` headers
//! (Basic with an app password, Bearer with an API key). And a throwaway CA with a leaf
//! certificate for `127.0.0.1`, for test peers that speak HTTPS.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;

use super::run;

/// What a request answered.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    /// Response headers, lower-cased.
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Reply {
    /// The body as JSON (`Null` if it is not).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The status and the body, for tests that look at both.
    pub(crate) fn status_and_body(self) -> (u16, String) {
        (self.status, self.body)
    }

    /// The status with the JSON body's `error` field (`Null` if there is none), for
    /// asserting a refusal and its reason at once.
    pub(crate) fn status_and_error(&self) -> (u16, Value) {
        (self.status, self.json()["error"].clone())
    }
}

/// An `Authorization` header for HTTP Basic.
pub(crate) fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Authorization: Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// An `Authorization` header with a bearer token (an API key).
pub(crate) fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

/// One request: `method` to `url`, trusting `ca`, with `headers`, an optional `body` and
/// an optional cookie `jar`.
pub(crate) fn request(
    method: &str,
    url: &str,
    ca: &Path,
    headers: &[String],
    body: Option<&str>,
    jar: Option<&Path>,
) -> Reply {
    request_via(None, method, url, ca, headers, body, jar)
}

/// [`request`] from a given local address (`curl --interface`, e.g. `127.0.1.1`: any
/// 127.0.0.0/8 address is the loopback interface on Linux).
pub(crate) fn request_via(
    from: Option<&str>,
    method: &str,
    url: &str,
    ca: &Path,
    headers: &[String],
    body: Option<&str>,
    jar: Option<&Path>,
) -> Reply {
    let mut cmd = Command::new("curl");
    if let Some(ip) = from {
        cmd.args(["--interface", ip]);
    }
    cmd.args([
        "-sS",
        "-D",
        "-",
        "--max-time",
        "20",
        "-X",
        method,
        "--cacert",
    ])
    .arg(ca);
    if let Some(j) = jar {
        cmd.arg("-c").arg(j).arg("-b").arg(j);
    }
    for h in headers {
        cmd.args(["-H", h]);
    }
    if let Some(b) = body {
        cmd.args(["--data-binary", b]);
    }
    cmd.arg(url);
    let text = run(&mut cmd, Duration::from_secs(30)).stdout_text();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let location = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
            .map(|(_, v)| v.trim().to_string())
    });
    Reply {
        status,
        location,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

/// A new CA and a leaf certificate for `127.0.0.1` signed by it: (CA PEM, leaf PEM, leaf
/// key PEM).
pub(crate) fn loopback_pki(name: &str) -> (String, String, String) {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, format!("carepost test CA {name}"));
    let ca = params.self_signed(&ca_key).expect("ca");
    let issuer = Issuer::new(params, ca_key);
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("leaf params")
        .signed_by(&key, &issuer)
        .expect("leaf");
    (ca.pem(), leaf.pem(), key.serialize_pem())
}
