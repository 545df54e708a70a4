//! The Twilio adapter against a real HTTPS server on 127.0.0.1 (axum + rustls, with a
//! certificate from a test CA the client is told to trust): what it sends (Basic auth,
//! form fields, path), how it reads each kind of answer, and that it refuses a server whose
//! certificate it does not trust. The real provider cannot be reached from a test; this
//! server speaks its API.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use zeroize::Zeroizing;

use sms::twilio::{TwilioConfig, TwilioSender};
use sms::{PhoneNumber, SmsError, SmsSender, Transport};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "test-auth-token";
const NUMBER: &str = "+15555550123";

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    account: String,
    authorization: String,
    content_type: String,
    form: Vec<(String, String)>,
}

#[derive(Default)]
struct Shared {
    seen: Vec<Seen>,
    /// The answer to give: status and body.
    answer: Option<(u16, String)>,
    /// Wait this long before answering.
    delay: Option<Duration>,
}

type SharedState = Arc<Mutex<Shared>>;

async fn messages(
    State(state): State<SharedState>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let form: Vec<(String, String)> = body
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect();
    let get = |h: &str| {
        headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (answer, delay) = {
        let mut s = state.lock().expect("state");
        s.seen.push(Seen {
            account,
            authorization: get("authorization"),
            content_type: get("content-type"),
            form,
        });
        (s.answer.clone(), s.delay)
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let (status, body) = answer.unwrap_or((
        201,
        r#"{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}"#.into(),
    ));
    (
        StatusCode::from_u16(status).expect("status"),
        [("content-type", "application/json")],
        body,
    )
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf8")
}

/// A test CA and a server certificate for 127.0.0.1 signed by it.
struct Pki {
    ca_pem: String,
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn pki(name: &str) -> Pki {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, format!("sms test CA {name}"));
    let ca = params.self_signed(&ca_key).expect("ca");
    let issuer = Issuer::new(params, ca_key);
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("leaf params")
        .signed_by(&key, &issuer)
        .expect("leaf");
    Pki {
        ca_pem: ca.pem(),
        cert: leaf.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, peer)) = self.tcp.accept().await else {
                continue;
            };
            // A client that refuses our certificate ends its handshake; wait for the next.
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, peer);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A Twilio-compatible server on 127.0.0.1 and the CA its certificate chains to.
struct Provider {
    base: String,
    ca_pem: String,
    state: SharedState,
}

impl Provider {
    async fn start() -> Self {
        let pki = pki("provider");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(vec![pki.cert.clone()], pki.key.clone_key())
            .expect("server config");
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = tcp.local_addr().expect("addr");
        let state = SharedState::default();
        let app = Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Messages.json",
                post(messages),
            )
            .with_state(state.clone());
        let listener = TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        };
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            base: format!("https://127.0.0.1:{}", addr.port()),
            ca_pem: pki.ca_pem,
            state,
        }
    }

    fn config(&self) -> TwilioConfig {
        TwilioConfig {
            api_base: self.base.clone(),
            account_sid: SID.into(),
            auth_token: Zeroizing::new(TOKEN.into()),
            from: "+15005550006".into(),
            extra_roots_pem: Some(self.ca_pem.as_bytes().to_vec()),
            timeout: Duration::from_secs(5),
        }
    }

    fn sender(&self) -> TwilioSender {
        TwilioSender::new(&self.config()).expect("sender")
    }

    fn answer(&self, status: u16, body: &str) {
        self.state.lock().expect("state").answer = Some((status, body.to_string()));
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.lock().expect("state").seen.clone()
    }
}

fn number() -> PhoneNumber {
    PhoneNumber::parse(NUMBER).expect("number")
}

fn field<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.form
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_text_is_posted_with_basic_auth_and_the_form_fields_and_its_sid_returned() {
    let provider = Provider::start().await;
    let id = provider
        .sender()
        .send(&number(), "Example Clinic: your code is 123456 & ok")
        .await
        .expect("sent");
    assert_eq!(id.as_str(), "SM0123456789abcdef0123456789abcdef");
    let seen = provider.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.account, SID);
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"))
    );
    assert_eq!(s.authorization, expected);
    assert!(
        s.content_type
            .starts_with("application/x-www-form-urlencoded"),
        "{}",
        s.content_type
    );
    assert_eq!(field(s, "To"), Some(NUMBER));
    assert_eq!(field(s, "From"), Some("+15005550006"));
    assert_eq!(field(s, "MessagingServiceSid"), None);
    assert_eq!(
        field(s, "Body"),
        Some("Example Clinic: your code is 123456 & ok")
    );
}

#[tokio::test]
async fn a_messaging_service_is_named_instead_of_a_from_number() {
    let provider = Provider::start().await;
    let mut config = provider.config();
    config.from = "MG0123456789abcdef0123456789abcdef".into();
    TwilioSender::new(&config)
        .expect("sender")
        .send(&number(), "code 123456")
        .await
        .expect("sent");
    let s = &provider.seen()[0];
    assert_eq!(field(s, "From"), None);
    assert_eq!(
        field(s, "MessagingServiceSid"),
        Some("MG0123456789abcdef0123456789abcdef")
    );
}

#[tokio::test]
async fn each_provider_answer_maps_to_its_error_and_none_names_the_number() {
    let provider = Provider::start().await;
    let sender = provider.sender();
    let cases = [
        (
            400,
            r#"{"code":21211,"message":"The 'To' number +15555550123 is not a valid phone number.","status":400}"#,
            SmsError::Rejected {
                status: 400,
                code: Some(21211),
            },
        ),
        (
            401,
            r#"{"code":20003,"message":"Authenticate"}"#,
            SmsError::Unauthorized { status: 401 },
        ),
        (403, "", SmsError::Unauthorized { status: 403 }),
        (429, r#"{"code":20429}"#, SmsError::RateLimited),
        (500, "oops", SmsError::ProviderFailed { status: 500 }),
        (503, "", SmsError::ProviderFailed { status: 503 }),
        (
            201,
            r#"{"status":"queued"}"#,
            SmsError::MalformedReply { status: 201 },
        ),
        (200, "not json", SmsError::MalformedReply { status: 200 }),
    ];
    for (status, body, want) in cases {
        provider.answer(status, body);
        let err = sender
            .send(&number(), "code 123456")
            .await
            .expect_err("refused");
        assert_eq!(err, want, "HTTP {status}");
        let text = format!("{err} {err:?}");
        for secret in ["5555550123", "0123", "123456", TOKEN] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[tokio::test]
async fn an_oversized_reply_is_not_read() {
    let provider = Provider::start().await;
    provider.answer(
        201,
        &format!(r#"{{"sid":"SM1","pad":"{}"}}"#, "x".repeat(100_000)),
    );
    let err = provider
        .sender()
        .send(&number(), "code 123456")
        .await
        .expect_err("too large");
    assert_eq!(err, SmsError::ReplyTooLarge(sms::twilio::MAX_REPLY_BYTES));
}

#[tokio::test]
async fn a_slow_provider_times_out() {
    let provider = Provider::start().await;
    provider.state.lock().expect("state").delay = Some(Duration::from_secs(3));
    let mut config = provider.config();
    config.timeout = Duration::from_millis(500);
    let err = TwilioSender::new(&config)
        .expect("sender")
        .send(&number(), "code 123456")
        .await
        .expect_err("timeout");
    assert_eq!(err, SmsError::Unreachable(Transport::Timeout));
    assert!(err.is_temporary());
}

#[tokio::test]
async fn a_server_whose_certificate_we_do_not_trust_is_refused() {
    let provider = Provider::start().await;
    // Trusting another CA (or only the platform's roots) must not reach the test server.
    let other = pki("other");
    for roots in [None, Some(other.ca_pem.into_bytes())] {
        let mut config = provider.config();
        config.extra_roots_pem = roots;
        let err = TwilioSender::new(&config)
            .expect("sender")
            .send(&number(), "code 123456")
            .await
            .expect_err("untrusted");
        assert_eq!(err, SmsError::Unreachable(Transport::Certificate));
        assert!(!err.is_temporary());
    }
    assert!(provider.seen().is_empty(), "a request got through");
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = tcp.local_addr().expect("addr").port();
    drop(tcp);
    let provider = Provider::start().await;
    let mut config = provider.config();
    config.api_base = format!("https://127.0.0.1:{port}");
    let err = TwilioSender::new(&config)
        .expect("sender")
        .send(&number(), "code 123456")
        .await
        .expect_err("closed");
    assert_eq!(err, SmsError::Unreachable(Transport::Connect));
}

#[tokio::test]
async fn bodies_are_checked_before_anything_is_sent() {
    let provider = Provider::start().await;
    let err = provider
        .sender()
        .send(&number(), &"x".repeat(2000))
        .await
        .expect_err("too long");
    assert_eq!(err, SmsError::BodyRejected);
    assert!(provider.seen().is_empty());
}
