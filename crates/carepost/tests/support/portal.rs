//! Shared pieces of the portal tests: a carepost whose outside recipients (`dest.test`)
//! and staff (`clinic.test`) both live on one real Postfix peer, a message sender that
//! builds real MIME (python's smtplib over STARTTLS with AUTH), and a curl client with its
//! own cookie jar.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::postfix::{PeerTls, PostfixPeer, SinkMessage};
use super::{Carepost, Config, TestDir, poll_for, run};

/// How long a test waits for a mail to reach the peer: long enough for a copy whose first
/// attempt was deferred (a busy CI machine's TLS handshake timing out, say) to go again, as the
/// queue's first retry comes after one minute plus up to 10% jitter (`queue::retry`). A wait of
/// 60 s ended just before that retry (a portal test's code mail, session 56's CI).
const MAIL_WAIT: Duration = Duration::from_secs(90);

pub(crate) const SENDER: &str = "frontdesk@clinic.test";

pub(crate) struct PortalFixture {
    pub(crate) peer: PostfixPeer,
    pub(crate) cp: Carepost,
    pub(crate) password: String,
    /// The CA that carepost's listener certificate chains to.
    pub(crate) cafile: PathBuf,
}

impl PortalFixture {
    /// carepost with its own self-signed listener certificate.
    pub(crate) fn start(extra_toml: &str) -> Self {
        Self::start_with(extra_toml, false)
    }

    /// carepost whose listeners use the Postfix peer's certificate, issued by the peer's
    /// test CA for `localhost` (a browser can be made to trust that CA).
    pub(crate) fn start_with_peer_certificate(extra_toml: &str) -> Self {
        Self::start_with(extra_toml, true)
    }

    fn start_with(extra_toml: &str, peer_cert: bool) -> Self {
        let peer = PostfixPeer::start(PeerTls::Offered);
        let mut cfg = Config::delivering_to("dest.test", &peer);
        cfg.routes.push(("clinic.test".into(), peer.addr()));
        cfg.extra_toml = extra_toml.to_string();
        if peer_cert {
            cfg.tls_cert = Some((
                peer.dir().join("conf").join("cert.pem"),
                peer.dir().join("conf").join("key.pem"),
            ));
        }
        let mut cp = Carepost::new(&cfg);
        cp.start();
        let password = cp.user_with_app_password(SENDER);
        let cafile = if peer_cert {
            peer.ca_file()
        } else {
            cp.data_dir.join("tls").join("cert.pem")
        };
        Self {
            peer,
            cp,
            password,
            cafile,
        }
    }

    /// Submit a raw message as the staff sender; panics if it is refused.
    pub(crate) fn send(&self, to: &str, raw: &str) {
        let dir = TestDir::new("mail");
        let file = dir.join("message.eml");
        // SMTP wants CRLF everywhere (carepost refuses bare LF).
        let crlf = raw.replace("\r\n", "\n").replace('\n', "\r\n");
        fs::write(&file, crlf).expect("write message");
        let cafile = &self.cafile;
        let script = "import smtplib, ssl, sys\n\
            port, cafile, user, pw, to, path = sys.argv[1:7]\n\
            ctx = ssl.create_default_context(cafile=cafile)\n\
            s = smtplib.SMTP('localhost', int(port), timeout=30)\n\
            s.starttls(context=ctx)\n\
            s.login(user, pw)\n\
            s.sendmail(user, [to], open(path, 'rb').read())\n\
            s.quit()\n";
        run(
            Command::new("python3")
                .arg("-c")
                .arg(script)
                .arg(self.cp.submission_port.to_string())
                .arg(cafile)
                .arg(SENDER)
                .arg(&self.password)
                .arg(to)
                .arg(&file),
            Duration::from_secs(60),
        )
        .assert_success();
    }

    /// The newest message in the sink for `to` whose text contains `needle`, waiting for it.
    pub(crate) fn wait_for_mail(&self, to: &str, needle: &str, skip: usize) -> SinkMessage {
        let rcpt = format!("<{to}>");
        poll_for(MAIL_WAIT, Duration::from_millis(100), || {
            let found: Vec<SinkMessage> = self
                .peer
                .messages()
                .into_iter()
                .filter(|m| m.contains(&rcpt) && m.contains(needle))
                .collect();
            found.into_iter().nth(skip)
        })
        .unwrap_or_else(|| {
            panic!(
                "no mail for {to} containing {needle:?}\n{}\n{}",
                self.peer.describe(),
                self.cp.describe()
            )
        })
    }

    /// The portal link in the `n`th notification to `to`.
    pub(crate) fn portal_link(&self, to: &str, n: usize) -> String {
        let mail = self.wait_for_mail(to, "/p/", n);
        link_in(&mail.text()).unwrap_or_else(|| panic!("no link in {}", mail.text()))
    }

    /// The one-time code in the `n`th code mail to `to` (counting from 0).
    pub(crate) fn code(&self, to: &str, n: usize) -> String {
        let rcpt = format!("<{to}>");
        let mail = poll_for(MAIL_WAIT, Duration::from_millis(100), || {
            self.peer
                .messages()
                .into_iter()
                .filter(|m| m.contains(&rcpt) && !m.contains("/p/") && code_in(&m.text()).is_some())
                .nth(n)
        })
        .unwrap_or_else(|| {
            panic!(
                "no code mail #{n} for {to}\n{}\n{}",
                self.peer.describe(),
                self.cp.describe()
            )
        });
        code_in(&mail.text()).unwrap_or_default()
    }
}

/// The first `https://…/p/TOKEN` in a text.
pub(crate) fn link_in(text: &str) -> Option<String> {
    let start = text.find("https://")?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let link = &rest[..end];
    link.contains("/p/").then(|| link.to_string())
}

/// The code in a code mail: the line that ends in exactly six digits ("Your code is:
/// 123456"). Header lines never end that way (ids are bracketed, dates carry a zone).
pub(crate) fn code_in(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let last = line.trim().rsplit(' ').next()?;
        (last.len() == 6 && last.bytes().all(|b| b.is_ascii_digit()) && line.contains(": "))
            .then(|| last.to_string())
    })
}

/// A multipart/mixed message with a text part, an HTML part and one attachment.
pub(crate) fn mime_message(
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
    attachment: (&str, &[u8]),
) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(attachment.1);
    format!(
        "From: Front Desk <{SENDER}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
         Message-ID: <{}@clinic.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n\
         --outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--alt--\r\n\
         --outer\r\nContent-Type: application/pdf\r\n\
         Content-Disposition: attachment; filename=\"{}\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--outer--\r\n",
        uuid::Uuid::new_v4().simple(),
        attachment.0
    )
}

/// curl with a cookie jar of its own: one browser.
pub(crate) struct Browser {
    jar: PathBuf,
    cacert: PathBuf,
    _dir: TestDir,
}

/// One HTTP response as curl saw it.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Page {
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.headers.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| l[prefix.len()..].trim().to_string())
        })
    }

    /// The value of the first hidden `csrf` field.
    pub(crate) fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\"")
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body));
        let tag_start = self.body[..at].rfind('<').unwrap_or(0);
        let tag_end = at + self.body[at..].find('>').unwrap_or(0);
        let tag = &self.body[tag_start..tag_end];
        let v = tag.find("value=\"").expect("csrf value") + 7;
        tag[v..v + tag[v..].find('"').expect("quote")].to_string()
    }
}

impl Browser {
    pub(crate) fn new(fx: &PortalFixture) -> Self {
        let dir = TestDir::new("jar");
        Self {
            jar: dir.join("cookies.txt"),
            cacert: fx.cafile.clone(),
            _dir: dir,
        }
    }

    pub(crate) fn jar(&self) -> &Path {
        &self.jar
    }

    pub(crate) fn request(&self, args: &[&str]) -> Page {
        let dir = TestDir::new("resp");
        let headers = dir.join("headers.txt");
        let out = run(
            Command::new("curl")
                .args(["-sS", "-o", "-", "-w", "\n%{http_code}", "--cacert"])
                .arg(&self.cacert)
                .arg("-D")
                .arg(&headers)
                .arg("-b")
                .arg(&self.jar)
                .arg("-c")
                .arg(&self.jar)
                .args(args),
            Duration::from_secs(30),
        );
        let text = out.stdout_text();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
        Page {
            status: code.trim().parse().unwrap_or(0),
            headers: fs::read_to_string(&headers).unwrap_or_default(),
            body: body.to_string(),
        }
    }

    pub(crate) fn get(&self, url: &str) -> Page {
        self.request(&[url])
    }

    pub(crate) fn post(&self, url: &str, fields: &[(&str, &str)]) -> Page {
        let mut args: Vec<String> = Vec::new();
        for (k, v) in fields {
            args.push("--data-urlencode".into());
            args.push(format!("{k}={v}"));
        }
        args.push(url.to_string());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.request(&refs)
    }
}

/// One text message as the SMS provider received it.
#[derive(Clone, Debug)]
pub(crate) struct Text {
    pub(crate) to: String,
    pub(crate) from: String,
    pub(crate) body: String,
}

/// A Twilio-compatible SMS provider on 127.0.0.1 over HTTPS (a certificate from its own
/// test CA, which carepost is told to trust with `sms.extra_ca_file`). The real provider
/// cannot be reached from a test; this server speaks its Messages API, checks the Basic
/// credentials and records every text.
pub(crate) struct SmsProvider {
    base: String,
    ca_file: PathBuf,
    token_file: PathBuf,
    texts: std::sync::Arc<std::sync::Mutex<Vec<Text>>>,
    /// Non-zero: refuse every text with this HTTP status.
    refuse: std::sync::Arc<std::sync::atomic::AtomicU16>,
    _runtime: tokio::runtime::Runtime,
    _dir: TestDir,
}

pub(crate) const SMS_ACCOUNT: &str = "ACtest0123456789abcdef0123456789ab";
const SMS_TOKEN: &str = "sms-test-auth-token";

impl SmsProvider {
    pub(crate) fn start() -> Self {
        use std::sync::{Arc, Mutex};

        use axum::extract::{Path as UrlPath, State};
        use axum::http::{HeaderMap, StatusCode};
        use axum::routing::post;
        use base64::Engine as _;
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

        type Texts = Arc<Mutex<Vec<Text>>>;
        type Refuse = Arc<std::sync::atomic::AtomicU16>;

        async fn messages(
            State((texts, refuse)): State<(Texts, Refuse)>,
            UrlPath(account): UrlPath<String>,
            headers: HeaderMap,
            axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
        ) -> (StatusCode, String) {
            let expected = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{SMS_ACCOUNT}:{SMS_TOKEN}"))
            );
            let auth = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if account != SMS_ACCOUNT || auth != expected {
                return (
                    StatusCode::UNAUTHORIZED,
                    r#"{"code":20003,"message":"Authenticate"}"#.into(),
                );
            }
            let field = |k: &str| form.get(k).cloned().unwrap_or_default();
            let refused = refuse.load(std::sync::atomic::Ordering::SeqCst);
            if refused != 0 {
                // As Twilio does, the error message repeats the number: carepost must not
                // pass it on.
                return (
                    StatusCode::from_u16(refused).expect("status"),
                    format!(
                        r#"{{"code":21211,"message":"The 'To' number {} is not a valid phone number.","status":{refused}}}"#,
                        field("To")
                    ),
                );
            }
            let mut texts = texts.lock().expect("texts");
            texts.push(Text {
                to: field("To"),
                from: field("From"),
                body: field("Body"),
            });
            (
                StatusCode::CREATED,
                format!(r#"{{"sid":"SM{:032x}","status":"queued"}}"#, texts.len()),
            )
        }

        let dir = TestDir::new("sms-provider");
        let ca_key = KeyPair::generate().expect("ca key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "carepost test SMS provider CA");
        let ca = params.self_signed(&ca_key).expect("ca");
        let issuer = Issuer::new(params, ca_key);
        let key = KeyPair::generate().expect("key");
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
            .expect("leaf params")
            .signed_by(&key, &issuer)
            .expect("leaf");
        let ca_file = dir.join("ca.pem");
        fs::write(&ca_file, ca.pem()).expect("write ca");
        let token_file = dir.join("token");
        fs::write(&token_file, format!("{SMS_TOKEN}\n")).expect("write token");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let texts = Texts::default();
        let refuse = Refuse::default();
        let app = axum::Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Messages.json",
                post(messages),
            )
            .with_state((texts.clone(), refuse.clone()));
        let tcp = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let port = tcp.local_addr().expect("addr").port();
        /// TCP accept and TLS handshake; a failed handshake waits for the next client.
        struct TlsListener {
            tcp: tokio::net::TcpListener,
            acceptor: tokio_rustls::TlsAcceptor,
        }
        impl axum::serve::Listener for TlsListener {
            type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
            type Addr = std::net::SocketAddr;
            async fn accept(&mut self) -> (Self::Io, Self::Addr) {
                loop {
                    let Ok((tcp, peer)) = self.tcp.accept().await else {
                        continue;
                    };
                    if let Ok(tls) = self.acceptor.accept(tcp).await {
                        return (tls, peer);
                    }
                }
            }
            fn local_addr(&self) -> std::io::Result<Self::Addr> {
                self.tcp.local_addr()
            }
        }
        let listener = TlsListener { tcp, acceptor };
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            base: format!("https://127.0.0.1:{port}"),
            ca_file,
            token_file,
            texts,
            refuse,
            _runtime: runtime,
            _dir: dir,
        }
    }

    /// The `[sms]` section that points carepost at this provider.
    pub(crate) fn config_toml(&self) -> String {
        format!(
            "[sms]\nenabled = true\napi_base = {:?}\naccount_sid = {SMS_ACCOUNT:?}\n\
             auth_token_file = {:?}\nfrom = \"+15005550006\"\nextra_ca_file = {:?}\n",
            self.base,
            self.token_file.display().to_string(),
            self.ca_file.display().to_string()
        )
    }

    /// Refuse every text from now on with HTTP `status` (0: accept again).
    pub(crate) fn refuse_with(&self, status: u16) {
        self.refuse
            .store(status, std::sync::atomic::Ordering::SeqCst);
    }

    /// Every text received so far.
    pub(crate) fn texts(&self) -> Vec<Text> {
        self.texts.lock().expect("texts").clone()
    }

    /// The `n`th text (counting from 0), waiting for it.
    pub(crate) fn wait_for_text(&self, n: usize) -> Text {
        poll_for(Duration::from_secs(30), Duration::from_millis(50), || {
            self.texts().into_iter().nth(n)
        })
        .unwrap_or_else(|| panic!("no text #{n}; got {:?}", self.texts()))
    }
}
