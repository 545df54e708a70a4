//! Listeners, connection tasks, and the loop that drives one [`Session`] over a socket.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use model::{Principal, SubmissionChannel};
use smtp_session::{
    Action, AuthVerdict, ConnectionInfo, Delivery, Reply, Session, SessionConfig, TrustedClient,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::config::{GatewayConfig, TrustedNetwork};
use crate::handler::{Envelope, SenderIdentity, SubmissionHandler, SubmitError};
use crate::limits::{ConnectionTracker, RateLimits};

/// The bound sockets to serve. Bind them first (port 0 in tests), then hand them over.
#[derive(Debug, Default)]
pub struct Listeners {
    /// Submission with STARTTLS (RFC 6409; port 587 by convention).
    pub starttls: Option<TcpListener>,
    /// Submission with implicit TLS (RFC 8314; port 465 by convention).
    pub implicit_tls: Option<TcpListener>,
}

/// The submission gateway. Cheap to clone; all clones share limits and counters.
pub struct Gateway<H: SubmissionHandler> {
    inner: Arc<Inner<H>>,
}

impl<H: SubmissionHandler> Clone for Gateway<H> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<H> {
    config: GatewayConfig,
    session_config: Arc<SessionConfig>,
    acceptor: TlsAcceptor,
    handler: Arc<H>,
    connections: Arc<ConnectionTracker>,
    limits: RateLimits,
    next_session: AtomicU64,
}

/// Which listener a connection came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    StartTls,
    ImplicitTls,
}

impl Port {
    fn name(self) -> &'static str {
        match self {
            Port::StartTls => "submission",
            Port::ImplicitTls => "submissions",
        }
    }
}

/// How often rate-limiter state is pruned.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(60);
/// Bytes read per call; one buffer per connection.
const READ_BUFFER: usize = 16 * 1024;

impl<H: SubmissionHandler> Gateway<H> {
    /// A gateway with the given settings, TLS configuration and handler. The TLS config is
    /// used as is: rustls offers only TLS 1.2 and 1.3. Build it with
    /// [`crate::tls_server_config`] to get session resumption.
    pub fn new(config: GatewayConfig, tls: Arc<rustls::ServerConfig>, handler: Arc<H>) -> Self {
        let limits = RateLimits::new(&config);
        let connections =
            ConnectionTracker::new(config.max_connections, config.max_connections_per_ip);
        Self {
            inner: Arc::new(Inner {
                session_config: Arc::new(config.session.clone()),
                config,
                acceptor: TlsAcceptor::from(tls),
                handler,
                connections,
                limits,
                next_session: AtomicU64::new(1),
            }),
        }
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> usize {
        self.inner.connections.open()
    }

    /// Accept and serve connections until `shutdown` completes. Then stop accepting, tell
    /// every session to finish its current transaction and close (`421 4.3.2`), and return
    /// once all sessions are gone. Sessions idle in the middle of a transaction are bounded
    /// by the idle timeout; wrap the call in `tokio::time::timeout` for a hard deadline.
    pub async fn serve(
        self,
        listeners: Listeners,
        shutdown: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = JoinSet::new();
        let mut housekeeping = tokio::time::interval(HOUSEKEEPING_EVERY);
        let mut shutdown = std::pin::pin!(shutdown);
        for (l, port) in [
            (&listeners.starttls, Port::StartTls),
            (&listeners.implicit_tls, Port::ImplicitTls),
        ] {
            if let Some(l) = l {
                info!(event = "listening", port = port.name(), addr = %l.local_addr()?);
            }
        }
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                r = accept(listeners.starttls.as_ref()) => {
                    self.accepted(r, Port::StartTls, &stop_rx, &mut tasks).await;
                }
                r = accept(listeners.implicit_tls.as_ref()) => {
                    self.accepted(r, Port::ImplicitTls, &stop_rx, &mut tasks).await;
                }
                _ = housekeeping.tick() => self.inner.limits.housekeeping(),
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        info!(event = "shutdown_started", sessions = tasks.len());
        drop(listeners);
        // Receivers only fail to get this if they are gone already.
        let _ = stop_tx.send(true);
        while tasks.join_next().await.is_some() {}
        info!(event = "shutdown_complete");
        Ok(())
    }

    async fn accepted(
        &self,
        result: io::Result<(TcpStream, SocketAddr)>,
        port: Port,
        stop: &watch::Receiver<bool>,
        tasks: &mut JoinSet<()>,
    ) {
        let (tcp, peer) = match result {
            Ok(pair) => pair,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                warn!(event = "accept_failed", port = port.name(), error = %e);
                tokio::time::sleep(Duration::from_millis(100)).await;
                return;
            }
        };
        let ip = peer.ip().to_canonical();
        let id = self.inner.next_session.fetch_add(1, Ordering::Relaxed);
        let span = info_span!("smtp", session = id, client_ip = %ip, port = port.name());
        let Some(slot) = self.inner.connections.try_acquire(ip) else {
            span.in_scope(|| warn!(event = "connection_refused", code = 421, reason = "cap"));
            if port == Port::StartTls {
                // Plaintext greeting port: say why. On the implicit-TLS port a handshake just
                // to refuse would cost the CPU the cap is there to protect; close instead.
                tasks.spawn(async move {
                    let mut tcp = tcp;
                    let bytes = Reply::too_many_connections().to_bytes();
                    let _ =
                        tokio::time::timeout(Duration::from_secs(5), tcp.write_all(&bytes)).await;
                });
            }
            return;
        };
        let inner = Arc::clone(&self.inner);
        let stop = stop.clone();
        tasks.spawn(
            async move {
                let _slot = slot;
                let _ = tcp.set_nodelay(true);
                debug!(event = "connection_accepted");
                let outcome = serve_connection(&inner, tcp, ip, port, stop).await;
                match outcome {
                    Ok(()) => debug!(event = "connection_closed"),
                    Err(e) => debug!(event = "connection_closed", error = %e),
                }
            }
            .instrument(span),
        );
    }
}

/// Accept on a listener, or wait forever if there is none.
async fn accept(listener: Option<&TcpListener>) -> io::Result<(TcpStream, SocketAddr)> {
    match listener {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

/// A socket before or after TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Per-connection state the adapter keeps next to the session.
struct Conn<'a, H> {
    inner: &'a Inner<H>,
    ip: IpAddr,
    port: Port,
    /// Index into `trusted_networks` of the first entry covering `ip`.
    trusted: Option<usize>,
    /// Set by a successful AUTH.
    authenticated: Option<SenderIdentity>,
    /// The identity of the current transaction (chosen at MAIL).
    sending_as: Option<(SenderIdentity, Option<usize>)>,
}

async fn serve_connection<H: SubmissionHandler>(
    inner: &Inner<H>,
    tcp: TcpStream,
    ip: IpAddr,
    port: Port,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let trusted = inner
        .config
        .trusted_networks
        .iter()
        .position(|t| t.cidr.contains(ip));
    let trusted_client = trusted.map(|i| TrustedClient {
        insecure_allow_plaintext: inner.config.trusted_networks[i].insecure_allow_plaintext,
    });
    if let Some(i) = trusted {
        debug!(event = "trusted_network", device = %inner.config.trusted_networks[i].name);
    }
    let mut stream = match port {
        Port::StartTls => Stream::Plain(tcp),
        Port::ImplicitTls => Stream::Tls(Box::new(handshake(inner, tcp).await?)),
    };
    let info = ConnectionInfo {
        tls: port == Port::ImplicitTls,
        starttls_available: port == Port::StartTls,
        trusted: trusted_client,
    };
    let mut session = Session::new(Arc::clone(&inner.session_config), info);
    let mut conn = Conn {
        inner,
        ip,
        port,
        trusted,
        authenticated: None,
        sending_as: None,
    };
    let mut buf = vec![0u8; READ_BUFFER];
    // Set when shutdown is seen: the instant by which a transaction must be finished.
    let mut stopping: Option<tokio::time::Instant> = None;
    loop {
        match session.poll() {
            Action::NeedInput => {
                flush(&mut stream, &mut session).await?;
                if stopping.is_none() && *stop.borrow() {
                    stopping = Some(tokio::time::Instant::now() + inner.config.shutdown_grace);
                }
                if stopping.is_some() && !session.in_transaction() {
                    session.close(Reply::shutting_down());
                    continue;
                }
                let idle = inner.config.idle_timeout;
                let grace_over = async {
                    match stopping {
                        Some(deadline) => tokio::time::sleep_until(deadline).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    r = tokio::time::timeout(idle, stream.read(&mut buf)) => match r {
                        Ok(Ok(0)) => return Ok(()),
                        Ok(Ok(n)) => session.feed(&buf[..n]),
                        Ok(Err(e)) => return Err(e),
                        Err(_) => {
                            debug!(event = "idle_timeout", code = 421);
                            session.close(Reply::idle_timeout());
                        }
                    },
                    // Shutdown: between transactions the loop closes at once (above); inside
                    // one, the client gets `shutdown_grace` to finish it.
                    r = stop.wait_for(|s| *s), if stopping.is_none() => {
                        let _ = r;
                        stopping = Some(tokio::time::Instant::now() + inner.config.shutdown_grace);
                    }
                    () = grace_over => {
                        debug!(event = "shutdown_grace_expired", code = 421);
                        session.close(Reply::shutting_down());
                    }
                }
            }
            Action::VerifyAuth(request) => {
                let verdict = conn
                    .verify(&request.username, request.secret.expose())
                    .await;
                session.auth_verified(verdict);
            }
            Action::CheckSender(sender) => {
                let decision = conn.check_sender(sender.as_ref());
                if let Err(reply) = &decision {
                    info!(event = "sender_refused", code = reply.code());
                }
                session.sender_checked(decision);
            }
            Action::Deliver(delivery) => {
                let reply = conn.deliver(&session, delivery).await;
                session.delivered(reply);
            }
            Action::StartTls { discarded } => {
                if discarded > 0 {
                    warn!(event = "starttls_injection_discarded", bytes = discarded);
                }
                flush(&mut stream, &mut session).await?;
                let Stream::Plain(tcp) = stream else {
                    // The session offers STARTTLS only while not under TLS.
                    unreachable!("STARTTLS on a TLS stream");
                };
                stream = Stream::Tls(Box::new(handshake(inner, tcp).await?));
                session.tls_established();
                debug!(event = "starttls_established");
            }
            Action::Close => {
                flush(&mut stream, &mut session).await?;
                let _ = tokio::time::timeout(Duration::from_secs(5), stream.shutdown()).await;
                return Ok(());
            }
        }
    }
}

async fn handshake<H>(inner: &Inner<H>, tcp: TcpStream) -> io::Result<TlsStream<TcpStream>> {
    match tokio::time::timeout(
        inner.config.tls_handshake_timeout,
        inner.acceptor.accept(tcp),
    )
    .await
    {
        Ok(Ok(tls)) => {
            let (_, conn) = tls.get_ref();
            debug!(
                event = "tls_established",
                version = ?conn.protocol_version(),
                resumed = matches!(conn.handshake_kind(), Some(rustls::HandshakeKind::Resumed)),
            );
            Ok(tls)
        }
        Ok(Err(e)) => {
            debug!(event = "tls_failed", error = %e);
            Err(e)
        }
        Err(_) => {
            debug!(event = "tls_failed", error = "timeout");
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "TLS handshake timed out",
            ))
        }
    }
}

/// Write pending replies. Only reply codes are logged (4xx/5xx), never text or arguments.
async fn flush(stream: &mut Stream, session: &mut Session) -> io::Result<()> {
    let out = session.output();
    if out.is_empty() {
        return Ok(());
    }
    let lines = tracing::enabled!(tracing::Level::DEBUG).then(|| out.split(|&b| b == b'\n'));
    for line in lines.into_iter().flatten() {
        if let Some(&first) = line.first()
            && (first == b'4' || first == b'5')
        {
            // Code and enhanced code only: fixed text chosen by us, never PHI.
            let head = &line[..line.len().min(9)];
            debug!(event = "reply", code = %model::escape_for_log(head, 9));
        }
    }
    stream.write_all(out).await?;
    stream.flush().await?;
    session.clear_output();
    Ok(())
}

impl<H: SubmissionHandler> Conn<'_, H> {
    async fn verify(&mut self, username: &str, secret: &str) -> AuthVerdict {
        let limits = &self.inner.limits;
        if limits.auth_blocked(self.ip) {
            warn!(event = "auth_throttled", code = 454);
            return AuthVerdict::Deferred;
        }
        match self
            .inner
            .handler
            .authenticate(username, secret, self.ip)
            .await
        {
            Some(identity) => {
                info!(event = "auth_ok", principal = %identity.principal);
                self.authenticated = Some(identity);
                AuthVerdict::Accepted
            }
            None => {
                // Never log the user name: it is usually an address.
                warn!(event = "auth_failed", code = 535);
                tokio::time::sleep(self.inner.config.auth_failure_delay).await;
                if limits.auth_failed(self.ip) {
                    warn!(event = "auth_throttle_started");
                }
                AuthVerdict::Refused
            }
        }
    }

    fn check_sender(&mut self, sender: Option<&model::EmailAddress>) -> Result<(), Reply> {
        self.sending_as = None;
        let (identity, device) = match (&self.authenticated, self.trusted) {
            (Some(id), _) => (id.clone(), None),
            (None, Some(i)) => (
                device_identity(&self.inner.config.trusted_networks[i]),
                Some(i),
            ),
            // The session refuses MAIL without AUTH or trust before asking; fail closed.
            (None, None) => return Err(Reply::new(530, "5.7.0", "Authentication required")),
        };
        // Submission never uses the null sender; bounces come from carepost itself.
        let Some(sender) = sender else {
            return Err(Reply::sender_not_allowed());
        };
        if !identity.allowed_senders.allows(sender) {
            return Err(Reply::sender_not_allowed());
        }
        let limits = &self.inner.limits;
        let within = limits.allow_ip(self.ip)
            && match device {
                Some(i) => limits.allow_device(i),
                None => limits.allow_user(&identity.rate_key),
            };
        if !within {
            return Err(Reply::rate_limited());
        }
        self.sending_as = Some((identity, device));
        Ok(())
    }

    async fn deliver(&mut self, session: &Session, delivery: Delivery) -> Reply {
        let Some((identity, _)) = self.sending_as.take() else {
            // Deliver without an accepted MAIL cannot happen; refuse rather than guess.
            return Reply::temporary_failure("Internal error");
        };
        let channel = match (session.is_tls(), self.port) {
            (false, _) => SubmissionChannel::SmtpPlaintext,
            (true, Port::StartTls) => SubmissionChannel::SmtpStarttls,
            (true, Port::ImplicitTls) => SubmissionChannel::SmtpImplicitTls,
        };
        let tx = delivery.transaction;
        let recipients = tx.recipients.len();
        let size = delivery.data.len();
        let envelope = Envelope {
            identity,
            channel,
            client_ip: self.ip,
            helo: session.helo().unwrap_or_default().to_string(),
            mail_from: tx.mail_from,
            recipients: tx.recipients,
            smtputf8: tx.smtputf8,
            body_8bit: tx.body_8bit,
        };
        match self.inner.handler.submit(envelope, delivery.data).await {
            Ok(id) => {
                info!(event = "message_queued", message_id = %id, recipients, size, channel = %channel);
                Reply::queued(id)
            }
            Err(SubmitError::Temporary(text)) => {
                warn!(event = "submit_failed", code = 451);
                Reply::temporary_failure(text)
            }
            Err(SubmitError::Permanent(text)) => {
                warn!(event = "submit_refused", code = 554);
                Reply::permanent_failure(text)
            }
            Err(SubmitError::PolicyRefused(text)) => {
                warn!(event = "submit_refused_by_policy", code = 550);
                Reply::refused_by_policy(text)
            }
        }
    }
}

fn device_identity(entry: &TrustedNetwork) -> SenderIdentity {
    SenderIdentity {
        tenant: entry.tenant,
        principal: Principal::Device {
            name: entry.name.clone(),
        },
        allowed_senders: entry.allowed_senders.clone(),
        rate_key: format!("device:{}", entry.name),
    }
}
