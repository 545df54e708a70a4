//! The Twilio Messages API (and providers that accept it): one `POST` per text.
//!
//! `POST {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json` with HTTP Basic
//! `account_sid:auth_token` and the form fields `To`, `From` (or `MessagingServiceSid`) and
//! `Body`. A `201` reply carries the message's `sid`; an error reply carries a numeric
//! `code` (kept) and a `message` (dropped: it may repeat the number).

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::{PhoneNumber, ProviderMessageId, SmsError, SmsSender, Transport, check_body};

/// The public Twilio API.
pub const DEFAULT_API_BASE: &str = "https://api.twilio.com";
/// Largest provider reply we read (a Twilio message resource is about 1.5 KiB).
pub const MAX_REPLY_BYTES: usize = 64 * 1024;
/// Default limit for one exchange, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Limit for opening the connection (TCP and TLS).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How to reach the provider.
#[derive(Clone)]
pub struct TwilioConfig {
    /// `https://` and a host (and port): [`DEFAULT_API_BASE`], another provider's, or a
    /// test server's. Plain `http://` is refused.
    pub api_base: String,
    /// The account (`AC…` at Twilio): the user name for Basic auth and part of the path.
    pub account_sid: String,
    /// The account's secret (the Basic auth password).
    pub auth_token: Zeroizing<String>,
    /// Who the text comes from: an E.164 number we own, or a Messaging Service (`MG…`).
    pub from: String,
    /// Extra trusted roots (PEM), on top of the platform's: a private gateway's CA, or a
    /// test's. Never a way to turn verification off.
    pub extra_roots_pem: Option<Vec<u8>>,
    /// Limit for one exchange.
    pub timeout: Duration,
}

impl std::fmt::Debug for TwilioConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioConfig")
            .field("api_base", &self.api_base)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"[redacted]")
            .field("from", &self.from)
            .field(
                "extra_roots_pem",
                &self.extra_roots_pem.as_ref().map(Vec::len),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Who a text comes from, as the API names it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    /// `From`: a number.
    Number(String),
    /// `MessagingServiceSid`: the provider picks the number.
    Service(String),
}

/// Sends texts through a Twilio-compatible API.
#[derive(Clone)]
pub struct TwilioSender {
    http: reqwest::Client,
    url: String,
    account_sid: String,
    auth_token: Zeroizing<String>,
    origin: Origin,
}

impl std::fmt::Debug for TwilioSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioSender")
            .field("url", &self.url)
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

impl TwilioSender {
    /// Check the settings and build the HTTPS client. `SmsError::Config` says which
    /// setting is wrong (never the token).
    pub fn new(config: &TwilioConfig) -> Result<Self, SmsError> {
        let base = config.api_base.trim_end_matches('/');
        let host = base.strip_prefix("https://").ok_or_else(|| {
            SmsError::Config("api_base must start with https:// (TLS is required)".into())
        })?;
        if host.is_empty() || host.contains(['/', '?', '#', '@']) {
            return Err(SmsError::Config(
                "api_base must be https://host[:port] with no path".into(),
            ));
        }
        if !is_sid(&config.account_sid) {
            return Err(SmsError::Config(
                "account_sid must be 1 to 64 letters and digits".into(),
            ));
        }
        if config.auth_token.trim().is_empty() {
            return Err(SmsError::Config("auth_token is empty".into()));
        }
        let origin = origin(&config.from)?;
        let mut builder = reqwest::Client::builder()
            .https_only(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT.min(config.timeout))
            .timeout(config.timeout)
            .user_agent("carepost-sms");
        if let Some(pem) = &config.extra_roots_pem {
            let roots = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
                SmsError::Config("the extra CA file holds no PEM certificate".into())
            })?;
            if roots.is_empty() {
                return Err(SmsError::Config(
                    "the extra CA file holds no PEM certificate".into(),
                ));
            }
            builder = builder.tls_certs_merge(roots);
        }
        let http = builder
            .build()
            .map_err(|_| SmsError::Config("cannot build the HTTPS client".into()))?;
        Ok(Self {
            http,
            url: format!(
                "{base}/2010-04-01/Accounts/{}/Messages.json",
                config.account_sid
            ),
            account_sid: config.account_sid.clone(),
            auth_token: config.auth_token.clone(),
            origin,
        })
    }

    /// Where texts are posted (no secret in it).
    pub fn url(&self) -> &str {
        &self.url
    }
}

#[async_trait]
impl SmsSender for TwilioSender {
    async fn send(&self, to: &PhoneNumber, body: &str) -> Result<ProviderMessageId, SmsError> {
        check_body(body)?;
        let (origin_field, origin_value) = match &self.origin {
            Origin::Number(n) => ("From", n.as_str()),
            Origin::Service(s) => ("MessagingServiceSid", s.as_str()),
        };
        let form = [
            ("To", to.as_e164()),
            (origin_field, origin_value),
            ("Body", body),
        ];
        let mut response = self
            .http
            .post(&self.url)
            .basic_auth(&self.account_sid, Some(self.auth_token.as_str()))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| SmsError::Unreachable(transport(&e)))?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > MAX_REPLY_BYTES as u64)
        {
            return Err(SmsError::ReplyTooLarge(MAX_REPLY_BYTES));
        }
        let mut reply = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if reply.len() + chunk.len() > MAX_REPLY_BYTES {
                        return Err(SmsError::ReplyTooLarge(MAX_REPLY_BYTES));
                    }
                    reply.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(SmsError::Unreachable(transport(&e))),
            }
        }
        interpret(status, &reply)
    }
}

/// The provider's answer, as an id or a precise error.
fn interpret(status: u16, reply: &[u8]) -> Result<ProviderMessageId, SmsError> {
    match status {
        200..=299 => {
            #[derive(Deserialize)]
            struct Created {
                sid: String,
            }
            let created: Created =
                serde_json::from_slice(reply).map_err(|_| SmsError::MalformedReply { status })?;
            if !is_sid(&created.sid) {
                return Err(SmsError::MalformedReply { status });
            }
            Ok(ProviderMessageId(created.sid))
        }
        401 | 403 => Err(SmsError::Unauthorized { status }),
        429 => Err(SmsError::RateLimited),
        400..=499 => {
            #[derive(Deserialize)]
            struct Problem {
                code: Option<i64>,
            }
            let code = serde_json::from_slice::<Problem>(reply)
                .ok()
                .and_then(|p| p.code);
            Err(SmsError::Rejected { status, code })
        }
        500..=599 => Err(SmsError::ProviderFailed { status }),
        _ => Err(SmsError::MalformedReply { status }),
    }
}

/// Letters and digits only, 1 to 64: safe in a URL path and in a log line.
fn is_sid(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn origin(from: &str) -> Result<Origin, SmsError> {
    let from = from.trim();
    if from.starts_with("MG") && is_sid(from) {
        return Ok(Origin::Service(from.to_string()));
    }
    PhoneNumber::parse(from)
        .map(|n| Origin::Number(n.as_e164().to_string()))
        .map_err(|_| {
            SmsError::Config(
                "from must be an E.164 number (+…) or a Messaging Service sid (MG…)".into(),
            )
        })
}

/// What kind of transport fault `e` is. A refused certificate shows as a rustls error
/// somewhere in the chain (inside nested `io::Error`s from the TLS stream).
fn transport(e: &reqwest::Error) -> Transport {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if is_certificate_error(err) {
            return Transport::Certificate;
        }
        // `io::Error::source` skips the error it wraps; look inside it instead.
        source = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    if e.is_timeout() {
        Transport::Timeout
    } else if e.is_connect() {
        Transport::Connect
    } else {
        Transport::Broken
    }
}

fn is_certificate_error(err: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        err.downcast_ref::<rustls::Error>(),
        Some(
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::UnsupportedNameType
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TwilioConfig {
        TwilioConfig {
            api_base: DEFAULT_API_BASE.into(),
            account_sid: "AC0123456789abcdef0123456789abcdef".into(),
            auth_token: Zeroizing::new("secret-token".into()),
            from: "+15005550006".into(),
            extra_roots_pem: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    #[test]
    fn the_url_follows_the_messages_api() {
        let s = TwilioSender::new(&config()).expect("sender");
        assert_eq!(
            s.url(),
            "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"
        );
    }

    #[test]
    fn bad_settings_are_refused_without_echoing_the_token() {
        for (change, want) in [
            (
                Box::new(|c: &mut TwilioConfig| c.api_base = "http://api.twilio.com".into())
                    as Box<dyn Fn(&mut TwilioConfig)>,
                "https://",
            ),
            (
                Box::new(|c: &mut TwilioConfig| c.api_base = "https://h/x".into()),
                "no path",
            ),
            (
                Box::new(|c: &mut TwilioConfig| c.account_sid = "AC/../x".into()),
                "account_sid",
            ),
            (
                Box::new(|c: &mut TwilioConfig| c.auth_token = Zeroizing::new(" ".into())),
                "auth_token",
            ),
            (
                Box::new(|c: &mut TwilioConfig| c.from = "Clinic".into()),
                "from",
            ),
            (
                Box::new(|c: &mut TwilioConfig| c.extra_roots_pem = Some(b"nope".to_vec())),
                "CA file",
            ),
        ] {
            let mut c = config();
            change(&mut c);
            let err = TwilioSender::new(&c).expect_err(want).to_string();
            assert!(err.contains(want), "{err}");
            assert!(!err.contains("secret-token"), "{err}");
        }
        let debug = format!("{:?}", config());
        assert!(!debug.contains("secret-token"), "{debug}");
    }

    #[test]
    fn a_messaging_service_may_send_instead_of_a_number() {
        assert_eq!(
            origin("MG0123456789abcdef0123456789abcdef"),
            Ok(Origin::Service("MG0123456789abcdef0123456789abcdef".into()))
        );
        assert_eq!(
            origin("+1 500 555 0006"),
            Ok(Origin::Number("+15005550006".into()))
        );
    }

    #[test]
    fn replies_map_to_precise_errors() {
        assert_eq!(
            interpret(201, br#"{"sid":"SM123","status":"queued"}"#),
            Ok(ProviderMessageId("SM123".into()))
        );
        assert_eq!(
            interpret(201, b"{}"),
            Err(SmsError::MalformedReply { status: 201 })
        );
        assert_eq!(
            interpret(201, br#"{"sid":"SM<script>"}"#),
            Err(SmsError::MalformedReply { status: 201 })
        );
        assert_eq!(
            interpret(
                400,
                br#"{"code":21211,"message":"The 'To' number +15555550123 is not valid."}"#
            ),
            Err(SmsError::Rejected {
                status: 400,
                code: Some(21211)
            })
        );
        assert_eq!(
            interpret(404, b"not json"),
            Err(SmsError::Rejected {
                status: 404,
                code: None
            })
        );
        assert_eq!(
            interpret(401, b""),
            Err(SmsError::Unauthorized { status: 401 })
        );
        assert_eq!(interpret(429, b""), Err(SmsError::RateLimited));
        assert_eq!(
            interpret(503, b""),
            Err(SmsError::ProviderFailed { status: 503 })
        );
        assert_eq!(
            interpret(302, b""),
            Err(SmsError::MalformedReply { status: 302 })
        );
    }
}
