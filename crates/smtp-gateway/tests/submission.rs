//! The gateway over real loopback sockets, driven by a tokio-rustls client, with an
//! in-memory `SubmissionHandler` that records what it commits (the gateway's real peer
//! interface).
#![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use model::{ApiKeyId, EmailAddress, MessageId, Principal, SubmissionChannel, TenantId, UserId};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use smtp_gateway::{
    Cidr, Envelope, Gateway, GatewayConfig, Listeners, SenderIdentity, SenderRules,
    SubmissionHandler, SubmitError, TrustedNetwork,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

// ── The in-memory handler ────────────────────────────────────────────────────────────

#[derive(Default)]
struct MemoryHandler {
    /// user name -> (app password, identity)
    users: HashMap<String, (String, SenderIdentity)>,
    queued: Mutex<Vec<(Envelope, Vec<u8>, MessageId)>>,
}

#[async_trait]
impl SubmissionHandler for MemoryHandler {
    async fn authenticate(
        &self,
        username: &str,
        secret: &str,
        _client_ip: IpAddr,
    ) -> Option<SenderIdentity> {
        let (password, identity) = self.users.get(username)?;
        (password == secret).then(|| identity.clone())
    }

    async fn submit(&self, envelope: Envelope, data: Vec<u8>) -> Result<MessageId, SubmitError> {
        let id = MessageId::new();
        self.queued.lock().unwrap().push((envelope, data, id));
        Ok(id)
    }
}

impl MemoryHandler {
    fn queued(&self) -> Vec<(Envelope, Vec<u8>, MessageId)> {
        self.queued.lock().unwrap().clone()
    }
}

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

const USER: &str = "jane@clinic.example";
const PASSWORD: &str = "app-password-1";
/// base64("\0jane@clinic.example\0app-password-1")
fn auth_plain(user: &str, password: &str) -> String {
    use base64_lite::encode;
    format!(
        "AUTH PLAIN {}\r\n",
        encode(format!("\0{user}\0{password}").as_bytes())
    )
}

/// A tiny base64 encoder so the test needs no extra dependency.
mod base64_lite {
    pub(crate) fn encode(input: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in input.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

// ── Test rig ─────────────────────────────────────────────────────────────────────────

struct Rig {
    starttls_addr: SocketAddr,
    implicit_addr: SocketAddr,
    handler: Arc<MemoryHandler>,
    connector: TlsConnector,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
    tenant: TenantId,
}

fn test_config() -> GatewayConfig {
    GatewayConfig {
        auth_failure_delay: Duration::from_millis(10),
        shutdown_grace: Duration::from_secs(1),
        ..Default::default()
    }
}

fn device(cidr: &str, senders: &[&str], plaintext: bool, tenant: TenantId) -> TrustedNetwork {
    TrustedNetwork {
        cidr: Cidr::parse(cidr).unwrap(),
        name: "scanner-2nd-floor".to_string(),
        tenant,
        allowed_senders: SenderRules::parse(senders).unwrap(),
        max_messages_per_minute: 600,
        insecure_allow_plaintext: plaintext,
    }
}

impl Rig {
    async fn start(configure: impl FnOnce(&mut GatewayConfig, TenantId)) -> Self {
        let tenant = TenantId::new();
        let mut config = test_config();
        configure(&mut config, tenant);
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let key = PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
        let cert_der: CertificateDer<'static> = cert.cert.der().clone();
        let tls = smtp_gateway::tls_server_config(vec![cert_der.clone()], key).unwrap();

        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert_der).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let client = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();

        let identity = SenderIdentity {
            tenant,
            principal: Principal::User {
                user_id: UserId::new(),
                credential: ApiKeyId::new(),
            },
            allowed_senders: SenderRules::only(addr(USER)),
            rate_key: "user:jane".to_string(),
        };
        let handler = Arc::new(MemoryHandler {
            users: HashMap::from([(USER.to_string(), (PASSWORD.to_string(), identity))]),
            ..Default::default()
        });
        let starttls = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let implicit = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (starttls_addr, implicit_addr) = (
            starttls.local_addr().unwrap(),
            implicit.local_addr().unwrap(),
        );
        let gateway = Gateway::new(config, tls, Arc::clone(&handler));
        let (stop, stopped) = oneshot::channel::<()>();
        let listeners = Listeners {
            starttls: Some(starttls),
            implicit_tls: Some(implicit),
        };
        let server = tokio::spawn(gateway.serve(listeners, async {
            let _ = stopped.await;
        }));
        Self {
            starttls_addr,
            implicit_addr,
            handler,
            connector: TlsConnector::from(Arc::new(client)),
            stop: Some(stop),
            server,
            tenant,
        }
    }

    /// A plaintext client on the STARTTLS port, from 127.0.0.1.
    async fn plain(&self) -> Client {
        self.plain_from("127.0.0.1").await
    }

    async fn plain_from(&self, source: &str) -> Client {
        let socket = TcpSocket::new_v4().unwrap();
        socket
            .bind(SocketAddr::new(source.parse().unwrap(), 0))
            .unwrap();
        let tcp = socket.connect(self.starttls_addr).await.unwrap();
        Client {
            stream: ClientStream::Plain(tcp),
            buf: Vec::new(),
            connector: self.connector.clone(),
        }
    }

    /// Plaintext, greeting read, EHLO, STARTTLS, EHLO again.
    async fn starttls(&self) -> Client {
        self.starttls_from("127.0.0.1").await
    }

    async fn starttls_from(&self, source: &str) -> Client {
        let mut c = self.plain_from(source).await;
        c.expect("220 ").await;
        c.cmd("EHLO client.example\r\n", "250 ").await;
        c.cmd("STARTTLS\r\n", "220 2.0.0").await;
        c.upgrade().await;
        c.cmd("EHLO client.example\r\n", "250 ").await;
        c
    }

    async fn implicit(&self) -> Client {
        let tcp = TcpStream::connect(self.implicit_addr).await.unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let tls = self.connector.connect(name, tcp).await.unwrap();
        Client {
            stream: ClientStream::Tls(Box::new(tls)),
            buf: Vec::new(),
            connector: self.connector.clone(),
        }
    }

    async fn shutdown(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    }
}

enum ClientStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Gone,
}

impl AsyncRead for ClientStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            ClientStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            ClientStream::Gone => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for ClientStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            ClientStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            ClientStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            ClientStream::Gone => Poll::Ready(Ok(0)),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(s) => Pin::new(s).poll_flush(cx),
            ClientStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            ClientStream::Gone => Poll::Ready(Ok(())),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            ClientStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            ClientStream::Gone => Poll::Ready(Ok(())),
        }
    }
}

struct Client {
    stream: ClientStream,
    buf: Vec<u8>,
    connector: TlsConnector,
}

impl Client {
    async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
        self.stream.flush().await.unwrap();
    }

    /// Read one complete (possibly multi-line) reply; "" if the server closed.
    async fn reply(&mut self) -> String {
        let mut text = String::new();
        loop {
            let line = self.line().await;
            let Some(line) = line else { return text };
            text.push_str(&line);
            text.push_str("\r\n");
            if line.len() < 4 || line.as_bytes()[3] == b' ' {
                return text;
            }
        }
    }

    async fn line(&mut self) -> Option<String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..i]).into_owned();
                self.buf.drain(..i + 2);
                return Some(line);
            }
            let mut chunk = [0u8; 4096];
            let read = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut chunk))
                .await
                .expect("server answered within 10 s");
            match read {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Read a reply and check its start.
    async fn expect(&mut self, prefix: &str) -> String {
        let r = self.reply().await;
        let last = r.lines().last().unwrap_or_default().to_string();
        assert!(
            r.starts_with(prefix) || last.starts_with(prefix),
            "expected {prefix:?}, got {r:?}"
        );
        r
    }

    async fn cmd(&mut self, line: &str, prefix: &str) -> String {
        self.send(line.as_bytes()).await;
        self.expect(prefix).await
    }

    async fn upgrade(&mut self) {
        assert!(
            self.buf.is_empty(),
            "no plaintext may be pending at the TLS switch"
        );
        let ClientStream::Plain(tcp) = std::mem::replace(&mut self.stream, ClientStream::Gone)
        else {
            panic!("already TLS");
        };
        let name = ServerName::try_from("localhost").unwrap();
        let tls = self.connector.connect(name, tcp).await.unwrap();
        self.stream = ClientStream::Tls(Box::new(tls));
    }

    async fn login(&mut self) {
        self.cmd(&auth_plain(USER, PASSWORD), "235 2.7.0").await;
    }

    /// MAIL, RCPT, DATA, body; returns the reply to the end of data.
    async fn send_message(&mut self, from: &str, to: &str, body: &[u8]) -> String {
        self.cmd(&format!("MAIL FROM:<{from}>\r\n"), "250 2.1.0")
            .await;
        self.cmd(&format!("RCPT TO:<{to}>\r\n"), "250 2.1.5").await;
        self.cmd("DATA\r\n", "354").await;
        self.send(body).await;
        self.reply().await
    }
}

const BODY: &[u8] = b"Subject: test\r\n\r\nHello\r\n.\r\n";

// ── Tests ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn starttls_auth_plain_and_send_is_queued() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.plain().await;
    c.expect("220 localhost").await;
    let ehlo = c.cmd("EHLO client.example\r\n", "250").await;
    assert!(
        ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
        "{ehlo}"
    );
    c.cmd("STARTTLS\r\n", "220 2.0.0").await;
    c.upgrade().await;
    let ehlo = c.cmd("EHLO client.example\r\n", "250").await;
    assert!(
        ehlo.contains("AUTH PLAIN LOGIN") && !ehlo.contains("STARTTLS"),
        "{ehlo}"
    );
    c.login().await;
    let reply = c.send_message(USER, "dr@example.org", BODY).await;
    assert!(reply.starts_with("250 2.0.0 Ok: queued as "), "{reply}");
    c.cmd("QUIT\r\n", "221 2.0.0").await;

    let queued = rig.handler.queued();
    assert_eq!(queued.len(), 1);
    let (env, data, id) = &queued[0];
    assert!(reply.contains(&id.to_string()));
    assert_eq!(data, b"Subject: test\r\n\r\nHello\r\n");
    assert_eq!(env.channel, SubmissionChannel::SmtpStarttls);
    assert_eq!(env.client_ip, "127.0.0.1".parse::<IpAddr>().unwrap());
    assert_eq!(env.helo, "client.example");
    assert_eq!(env.mail_from, Some(addr(USER)));
    assert_eq!(env.recipients, vec![addr("dr@example.org")]);
    assert!(matches!(env.identity.principal, Principal::User { .. }));
    assert_eq!(env.identity.tenant, rig.tenant);
    rig.shutdown().await;
}

#[tokio::test]
async fn implicit_tls_submission_is_queued_with_its_channel() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.implicit().await;
    c.expect("220 ").await;
    let ehlo = c.cmd("EHLO client.example\r\n", "250").await;
    assert!(ehlo.contains("AUTH PLAIN LOGIN") && !ehlo.contains("STARTTLS"));
    // AUTH LOGIN in steps, for variety.
    c.cmd("AUTH LOGIN\r\n", "334 VXNlcm5hbWU6").await;
    c.cmd(
        &format!("{}\r\n", base64_lite::encode(USER.as_bytes())),
        "334 UGFzc3dvcmQ6",
    )
    .await;
    c.cmd(
        &format!("{}\r\n", base64_lite::encode(PASSWORD.as_bytes())),
        "235 2.7.0",
    )
    .await;
    let reply = c.send_message(USER, "dr@example.org", BODY).await;
    assert!(reply.starts_with("250 2.0.0"), "{reply}");
    assert_eq!(
        rig.handler.queued()[0].0.channel,
        SubmissionChannel::SmtpImplicitTls
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn auth_before_starttls_is_refused() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.plain().await;
    c.expect("220").await;
    c.cmd("EHLO client.example\r\n", "250").await;
    let r = c.cmd(&auth_plain(USER, PASSWORD), "530 5.7.0").await;
    assert_eq!(r, "530 5.7.0 Must issue a STARTTLS command first\r\n");
    rig.shutdown().await;
}

#[tokio::test]
async fn bad_password_gets_535_and_good_one_still_works() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.starttls().await;
    let r = c.cmd(&auth_plain(USER, "wrong"), "535").await;
    assert_eq!(r, "535 5.7.8 Authentication credentials invalid\r\n");
    c.cmd(&auth_plain("nobody@clinic.example", PASSWORD), "535 5.7.8")
        .await;
    c.login().await;
    rig.shutdown().await;
}

#[tokio::test]
async fn user_may_not_send_as_someone_else_or_as_the_null_sender() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.starttls().await;
    c.login().await;
    let r = c.cmd("MAIL FROM:<boss@clinic.example>\r\n", "553").await;
    assert_eq!(
        r,
        "553 5.7.1 Sender address not allowed for this login/device\r\n"
    );
    c.cmd("MAIL FROM:<>\r\n", "553 5.7.1").await;
    c.cmd("MAIL FROM:<Jane@Clinic.Example>\r\n", "250 2.1.0")
        .await;
    rig.shutdown().await;
}

#[tokio::test]
async fn untrusted_client_without_auth_cannot_relay() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.starttls().await;
    c.cmd(
        "MAIL FROM:<jane@clinic.example>\r\n",
        "530 5.7.0 Authentication required",
    )
    .await;
    c.cmd("RCPT TO:<anyone@elsewhere.example>\r\n", "503 5.5.1")
        .await;
    assert!(rig.handler.queued().is_empty());
    rig.shutdown().await;
}

#[tokio::test]
async fn trusted_network_device_sends_without_auth_over_tls() {
    let rig = Rig::start(|c, t| {
        c.trusted_networks = vec![device("127.0.0.1/32", &["@clinic.example"], false, t)];
    })
    .await;
    let mut c = rig.starttls().await;
    let reply = c
        .send_message("scanner@clinic.example", "dr@example.org", BODY)
        .await;
    assert!(reply.starts_with("250 2.0.0"), "{reply}");
    let (env, _, _) = &rig.handler.queued()[0];
    assert_eq!(
        env.identity.principal,
        Principal::Device {
            name: "scanner-2nd-floor".into()
        }
    );
    assert_eq!(env.identity.tenant, rig.tenant);
    assert_eq!(env.channel, SubmissionChannel::SmtpStarttls);
    rig.shutdown().await;
}

#[tokio::test]
async fn client_outside_the_trusted_network_must_authenticate() {
    let rig = Rig::start(|c, t| {
        c.trusted_networks = vec![device("127.0.0.1/32", &["@clinic.example"], true, t)];
    })
    .await;
    // 127.0.0.2 is local on Linux but not in 127.0.0.1/32.
    let mut c = rig.starttls_from("127.0.0.2").await;
    c.cmd(
        "MAIL FROM:<scanner@clinic.example>\r\n",
        "530 5.7.0 Authentication required",
    )
    .await;
    let mut c = rig.plain_from("127.0.0.2").await;
    c.expect("220").await;
    c.cmd("EHLO x\r\n", "250").await;
    c.cmd(
        "MAIL FROM:<scanner@clinic.example>\r\n",
        "530 5.7.0 Authentication required",
    )
    .await;
    assert!(rig.handler.queued().is_empty());
    rig.shutdown().await;
}

#[tokio::test]
async fn trusted_device_with_a_foreign_sender_is_refused() {
    let rig = Rig::start(|c, t| {
        c.trusted_networks = vec![device("127.0.0.0/8", &["scanner@clinic.example"], false, t)];
    })
    .await;
    let mut c = rig.starttls().await;
    let r = c.cmd("MAIL FROM:<ceo@clinic.example>\r\n", "553").await;
    assert_eq!(
        r,
        "553 5.7.1 Sender address not allowed for this login/device\r\n"
    );
    c.cmd("MAIL FROM:<scanner@clinic.example>\r\n", "250 2.1.0")
        .await;
    rig.shutdown().await;
}

#[tokio::test]
async fn trusted_plaintext_is_refused_unless_the_entry_allows_it() {
    let strict = Rig::start(|c, t| {
        c.trusted_networks = vec![device("127.0.0.1/32", &["@clinic.example"], false, t)];
    })
    .await;
    let mut c = strict.plain().await;
    c.expect("220").await;
    c.cmd("EHLO scanner\r\n", "250").await;
    c.cmd(
        "MAIL FROM:<scanner@clinic.example>\r\n",
        "530 5.7.0 Must issue a STARTTLS command first",
    )
    .await;
    strict.shutdown().await;

    let lax = Rig::start(|c, t| {
        c.trusted_networks = vec![device("127.0.0.1/32", &["@clinic.example"], true, t)];
    })
    .await;
    let mut c = lax.plain().await;
    c.expect("220").await;
    c.cmd("EHLO scanner\r\n", "250").await;
    let reply = c
        .send_message("scanner@clinic.example", "dr@example.org", BODY)
        .await;
    assert!(reply.starts_with("250 2.0.0"), "{reply}");
    assert_eq!(
        lax.handler.queued()[0].0.channel,
        SubmissionChannel::SmtpPlaintext
    );
    lax.shutdown().await;
}

#[tokio::test]
async fn smuggled_end_of_data_over_a_socket_is_refused_and_nothing_is_queued() {
    let rig = Rig::start(|_, _| {}).await;
    for variant in [&b"\n.\n"[..], b"\n.\r\n", b"\r\n.\n", b"\r.\r", b"\r\n.\rX"] {
        let mut c = rig.starttls().await;
        c.login().await;
        c.cmd(&format!("MAIL FROM:<{USER}>\r\n"), "250").await;
        c.cmd("RCPT TO:<dr@example.org>\r\n", "250").await;
        c.cmd("DATA\r\n", "354").await;
        let attack = [
            &b"Subject: hi\r\n\r\nhello"[..],
            variant,
            b"MAIL FROM:<jane@clinic.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n",
            b"Subject: forged\r\n\r\nforged\r\n.\r\n",
        ]
        .concat();
        c.send(&attack).await;
        let r = c.reply().await;
        assert_eq!(
            r, "554 5.6.0 Message contains bare CR or LF\r\n",
            "variant {variant:?}"
        );
        // The forged commands were body bytes: the next reply answers our NOOP.
        c.cmd("NOOP\r\n", "250 2.0.0").await;
    }
    assert!(rig.handler.queued().is_empty());
    rig.shutdown().await;
}

#[tokio::test]
async fn commands_injected_before_the_tls_switch_are_discarded() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.plain().await;
    c.expect("220").await;
    c.cmd("EHLO client.example\r\n", "250").await;
    // STARTTLS and a forged login attempt in one packet.
    c.send(
        format!(
            "STARTTLS\r\n{}MAIL FROM:<{USER}>\r\n",
            auth_plain(USER, PASSWORD)
        )
        .as_bytes(),
    )
    .await;
    c.expect("220 2.0.0").await;
    c.upgrade().await;
    // The first reply under TLS answers our EHLO, not the injected commands.
    let ehlo = c.cmd("EHLO client.example\r\n", "250").await;
    assert!(ehlo.starts_with("250-localhost"), "{ehlo}");
    // And the injected AUTH did not authenticate this session.
    c.cmd(
        &format!("MAIL FROM:<{USER}>\r\n"),
        "530 5.7.0 Authentication required",
    )
    .await;
    rig.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_per_ip_cap_get_421() {
    let rig = Rig::start(|c, _| c.max_connections_per_ip = 2).await;
    let mut a = rig.plain().await;
    let mut b = rig.plain().await;
    a.expect("220").await;
    b.expect("220").await;
    let mut c = rig.plain().await;
    assert_eq!(
        c.reply().await,
        "421 4.7.0 Too many connections, try again later\r\n"
    );
    // Another address still gets in.
    let mut d = rig.plain_from("127.0.0.3").await;
    d.expect("220").await;
    a.cmd("QUIT\r\n", "221").await;
    drop(a);
    // The freed slot is reusable (the server notices the close asynchronously).
    let mut ok = false;
    for _ in 0..50 {
        let mut e = rig.plain().await;
        if e.reply().await.starts_with("220") {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "slot was freed");
    rig.shutdown().await;
}

#[tokio::test]
async fn device_over_its_message_rate_gets_451() {
    let rig = Rig::start(|c, t| {
        let mut d = device("127.0.0.1/32", &["@clinic.example"], false, t);
        d.max_messages_per_minute = 1;
        c.trusted_networks = vec![d];
    })
    .await;
    let mut c = rig.starttls().await;
    assert!(
        c.send_message("scanner@clinic.example", "a@example.org", BODY)
            .await
            .starts_with("250")
    );
    let r = c.cmd("MAIL FROM:<scanner@clinic.example>\r\n", "451").await;
    assert_eq!(r, "451 4.7.1 Rate limit exceeded, try again later\r\n");
    rig.shutdown().await;
}

#[tokio::test]
async fn repeated_auth_failures_from_one_address_are_throttled() {
    let rig = Rig::start(|c, _| c.auth_failures_per_minute_per_ip = 2).await;
    let mut c = rig.starttls().await;
    c.cmd(&auth_plain(USER, "x"), "535").await;
    c.cmd(&auth_plain(USER, "y"), "535").await;
    let mut c = rig.starttls().await;
    c.cmd(&auth_plain(USER, "z"), "535").await;
    // Now even the right password is not checked for a while.
    c.cmd(&auth_plain(USER, PASSWORD), "454 4.7.0").await;
    rig.shutdown().await;
}

#[tokio::test]
async fn idle_client_is_disconnected_with_421() {
    let rig = Rig::start(|c, _| c.idle_timeout = Duration::from_millis(200)).await;
    let mut c = rig.plain().await;
    c.expect("220").await;
    assert_eq!(
        c.reply().await,
        "421 4.4.2 Idle timeout, closing connection\r\n"
    );
    assert_eq!(c.reply().await, "", "connection closed");
    rig.shutdown().await;
}

#[tokio::test]
async fn shutdown_lets_the_current_transaction_finish_then_closes() {
    let rig = Rig::start(|_, _| {}).await;
    let mut busy = rig.starttls().await;
    busy.login().await;
    busy.cmd(&format!("MAIL FROM:<{USER}>\r\n"), "250").await;
    busy.cmd("RCPT TO:<dr@example.org>\r\n", "250").await;
    busy.cmd("DATA\r\n", "354").await;
    busy.send(b"Subject: partial\r\n").await;
    let mut idle = rig.plain().await;
    idle.expect("220").await;

    let Rig {
        stop,
        server,
        handler,
        ..
    } = rig;
    stop.unwrap().send(()).unwrap();
    // The idle session is told at once.
    assert_eq!(
        idle.reply().await,
        "421 4.3.2 Service shutting down, closing connection\r\n"
    );
    // The busy one finishes its message, then is told.
    busy.send(b"\r\nbody\r\n.\r\n").await;
    assert!(busy.reply().await.starts_with("250 2.0.0 Ok: queued"));
    assert!(busy.reply().await.starts_with("421 4.3.2"));
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(handler.queued().len(), 1);
}

#[tokio::test]
async fn many_pipelined_messages_on_one_connection_are_all_queued() {
    let rig = Rig::start(|_, _| {}).await;
    let mut c = rig.implicit().await;
    c.expect("220").await;
    c.cmd("EHLO client.example\r\n", "250").await;
    c.login().await;
    let mut batch = Vec::new();
    for i in 0..20 {
        batch.extend_from_slice(
            format!("MAIL FROM:<{USER}>\r\nRCPT TO:<r{i}@example.org>\r\nDATA\r\n").as_bytes(),
        );
        batch.extend_from_slice(
            format!("Subject: {i}\r\n\r\n{}\r\n.\r\n", "x".repeat(1000)).as_bytes(),
        );
    }
    c.send(&batch).await;
    for _ in 0..20 {
        c.expect("250 2.1.0").await;
        c.expect("250 2.1.5").await;
        c.expect("354").await;
        c.expect("250 2.0.0").await;
    }
    assert_eq!(rig.handler.queued().len(), 20);
    rig.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_a_stalled_transaction_after_the_grace_period() {
    let rig = Rig::start(|c, _| c.shutdown_grace = Duration::from_millis(300)).await;
    let mut stalled = rig.starttls().await;
    stalled.login().await;
    stalled.cmd(&format!("MAIL FROM:<{USER}>\r\n"), "250").await;
    let Rig { stop, server, .. } = rig;
    stop.unwrap().send(()).unwrap();
    assert!(stalled.reply().await.starts_with("421 4.3.2"));
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
