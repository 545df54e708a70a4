//! One SMTP client session: connect, greeting, EHLO, STARTTLS, EHLO again, then any
//! number of mail transactions over the verified TLS channel.
//!
//! Nothing but EHLO, STARTTLS and QUIT is ever written before TLS is up: a session that
//! cannot get verified TLS ends before MAIL.

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tracing::debug;

use model::EmailAddress;

use crate::config::{CommandTimeouts, DeliveryConfig};
use crate::reply::{Capabilities, Reply, ReplyError, parse_reply};
use crate::tls::{TlsFailure, TlsInfo, TlsSetup, describe_tls_error};

/// Why a session could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// Worth retrying later or on another host (connection refused, timeout, 4xx).
    Transient(String),
    /// This host will not give us verified TLS (no STARTTLS, bad certificate, ...).
    NoTls(String),
}

/// Why a session failed mid-way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SessionError {
    Io(std::io::ErrorKind),
    Closed,
    Timeout(&'static str),
    Protocol(ReplyError),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(kind) => write!(f, "connection error: {kind}"),
            Self::Closed => f.write_str("connection closed by next hop"),
            Self::Timeout(stage) => write!(f, "timed out waiting for {stage}"),
            Self::Protocol(e) => write!(f, "protocol error: {e}"),
        }
    }
}

impl From<std::io::Error> for SessionError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.kind())
    }
}

impl From<ReplyError> for SessionError {
    fn from(e: ReplyError) -> Self {
        Self::Protocol(e)
    }
}

/// A stream with a read buffer for replies.
struct Io<S> {
    stream: S,
    buf: Vec<u8>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Io<S> {
    fn new(stream: S) -> Self {
        Self {
            stream,
            buf: Vec::with_capacity(4096),
        }
    }

    async fn read_reply(
        &mut self,
        limit: Duration,
        stage: &'static str,
    ) -> Result<Reply, SessionError> {
        match timeout(limit, self.read_reply_inner()).await {
            Ok(r) => r,
            Err(_) => Err(SessionError::Timeout(stage)),
        }
    }

    async fn read_reply_inner(&mut self) -> Result<Reply, SessionError> {
        loop {
            if let Some((reply, used)) = parse_reply(&self.buf)? {
                self.buf.drain(..used);
                return Ok(reply);
            }
            self.buf.reserve(4096);
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Err(SessionError::Closed);
            }
        }
    }

    async fn send(
        &mut self,
        bytes: &[u8],
        limit: Duration,
        stage: &'static str,
    ) -> Result<(), SessionError> {
        let write = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        match timeout(limit, write).await {
            Ok(r) => Ok(r?),
            Err(_) => Err(SessionError::Timeout(stage)),
        }
    }
}

/// An open session over verified (or, if so configured, recorded) TLS, ready for MAIL.
pub(crate) struct Session {
    io: Io<TlsStream<TcpStream>>,
    caps: Capabilities,
    /// The name the certificate was checked against (route host or MX name).
    pub(crate) host: String,
    pub(crate) addr: SocketAddr,
    pub(crate) tls: TlsInfo,
    pub(crate) transactions: u32,
    pub(crate) idle_since: Instant,
    /// Holds one of the destination's connection slots for as long as the session lives.
    _permit: OwnedSemaphorePermit,
}

/// One recipient's result in a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RcptResult {
    /// The final reply to DATA accepted the message for this recipient.
    Delivered(Reply),
    /// A 4xx reply or an unexpected one: try again later.
    Temp(String),
    /// A 5xx reply: bounce.
    Perm(String),
}

/// A finished transaction.
pub(crate) struct TxnResult {
    pub(crate) results: Vec<RcptResult>,
    /// False after a 421 or anything else that leaves the session in doubt.
    pub(crate) reusable: bool,
    /// Reply codes for logging (never the text).
    pub(crate) last_code: Option<String>,
}

/// A transaction that did not finish.
pub(crate) struct TxnError {
    pub(crate) error: SessionError,
    /// The session was a reused one and broke before the next hop replied to anything:
    /// nothing can have been accepted, so the caller may retry on a fresh session.
    pub(crate) retry_fresh: bool,
}

/// What to send.
pub(crate) struct Envelope<'a> {
    pub(crate) mail_from: Option<&'a EmailAddress>,
    pub(crate) rcpts: &'a [EmailAddress],
    /// Dot-stuffed, CRLF, ending in `.` CRLF (see `reply::encode_data`).
    pub(crate) encoded: &'a [u8],
    /// Size of the message before encoding (for `SIZE=`).
    pub(crate) size: usize,
    pub(crate) eight_bit: bool,
    pub(crate) needs_smtputf8: bool,
}

/// Open a session to `addr`, verifying TLS for `name`.
pub(crate) async fn open(
    host: &str,
    name: ServerName<'static>,
    addr: SocketAddr,
    config: &DeliveryConfig,
    tls: &TlsSetup,
    permit: OwnedSemaphorePermit,
) -> Result<Session, OpenError> {
    let hop = format!("{host}[{}]:{}", addr.ip(), addr.port());
    let transient = |what: String| OpenError::Transient(format!("{hop}: {what}"));
    let t = &config.timeouts;

    let tcp = match timeout(config.connect_timeout, TcpStream::connect(addr)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(e)) => return Err(transient(format!("connect failed: {}", e.kind()))),
        Err(_) => return Err(transient("connect timed out".into())),
    };
    // Pipelined commands go out as one segment; don't let Nagle hold the next one back.
    let _ = tcp.set_nodelay(true);
    let mut io = Io::new(tcp);

    let greeting = io
        .read_reply(t.greeting, "greeting")
        .await
        .map_err(|e| transient(e.to_string()))?;
    if greeting.code != 220 {
        return Err(transient(format!("greeting {}", greeting.escaped())));
    }
    let ehlo = format!("EHLO {}\r\n", config.helo_name);
    io.send(ehlo.as_bytes(), t.ehlo, "EHLO")
        .await
        .map_err(|e| transient(e.to_string()))?;
    let reply = io
        .read_reply(t.ehlo, "EHLO reply")
        .await
        .map_err(|e| transient(e.to_string()))?;
    match reply.class() {
        2 => {}
        4 => return Err(transient(format!("EHLO {}", reply.escaped()))),
        // No ESMTP means no STARTTLS.
        _ => {
            return Err(OpenError::NoTls(format!(
                "next hop offers no STARTTLS ({hop})"
            )));
        }
    }
    if !Capabilities::from_ehlo(&reply).starttls {
        let _ = io.send(b"QUIT\r\n", Duration::from_secs(2), "QUIT").await;
        return Err(OpenError::NoTls(format!(
            "next hop offers no STARTTLS ({hop})"
        )));
    }
    io.send(b"STARTTLS\r\n", t.starttls, "STARTTLS")
        .await
        .map_err(|e| transient(e.to_string()))?;
    let reply = io
        .read_reply(t.starttls, "STARTTLS reply")
        .await
        .map_err(|e| transient(e.to_string()))?;
    match reply.class() {
        2 => {}
        4 => return Err(transient(format!("STARTTLS {}", reply.escaped()))),
        _ => {
            return Err(OpenError::NoTls(format!(
                "next hop refused STARTTLS with {} ({hop})",
                reply.code
            )));
        }
    }
    // Anything already buffered arrived in plaintext after the 220: an injection attempt
    // (CVE-2011-0411 class). Never let it be read as if it came over TLS.
    if !io.buf.is_empty() {
        return Err(OpenError::NoTls(format!(
            "no verified TLS: plaintext data after STARTTLS reply ({hop})"
        )));
    }

    let connector = TlsConnector::from(tls.client.clone());
    let stream = match timeout(t.starttls, connector.connect(name.clone(), io.stream)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            return Err(match describe_tls_error(&e) {
                TlsFailure::Policy(why) => {
                    OpenError::NoTls(format!("no verified TLS: {why} ({hop})"))
                }
                TlsFailure::Network(why) => transient(why),
            });
        }
        Err(_) => return Err(transient("TLS handshake timed out".into())),
    };
    let info = tls.info(stream.get_ref().1, &name);
    let mut io = Io::new(stream);

    io.send(ehlo.as_bytes(), t.ehlo, "EHLO")
        .await
        .map_err(|e| transient(e.to_string()))?;
    let reply = io
        .read_reply(t.ehlo, "EHLO reply")
        .await
        .map_err(|e| transient(e.to_string()))?;
    if !reply.is_positive() {
        return Err(transient(format!(
            "EHLO after STARTTLS {}",
            reply.escaped()
        )));
    }
    debug!(
        next_hop = %host,
        addr = %addr,
        tls_version = %info.version,
        cipher = %info.cipher,
        verified = info.verified,
        "TLS session established"
    );
    Ok(Session {
        io,
        caps: Capabilities::from_ehlo(&reply),
        host: host.to_string(),
        addr,
        tls: info,
        transactions: 0,
        idle_since: Instant::now(),
        _permit: permit,
    })
}

impl Session {
    /// Run one mail transaction. `reused` sends RSET first (pipelined when possible).
    pub(crate) async fn transact(
        &mut self,
        env: &Envelope<'_>,
        reused: bool,
        t: &CommandTimeouts,
    ) -> Result<TxnResult, TxnError> {
        let n = env.rcpts.len();
        // Checks that need no round trip; the session stays usable.
        if env.needs_smtputf8 && !self.caps.smtputf8 {
            let e = "5.6.7 next hop does not support SMTPUTF8 (RFC 6531)".to_string();
            return Ok(self.all(RcptResult::Perm(e), n, true));
        }
        if let Some(limit) = self.caps.size.filter(|&l| l > 0 && env.size as u64 > l) {
            let e = format!("5.3.4 message size exceeds next hop limit of {limit} bytes");
            return Ok(self.all(RcptResult::Perm(e), n, true));
        }
        self.transactions += 1;

        let mut mail = format!("MAIL FROM:<{}>", DisplayOpt(env.mail_from));
        if self.caps.size.is_some() {
            mail.push_str(&format!(" SIZE={}", env.size));
        }
        if env.eight_bit && self.caps.eightbitmime {
            mail.push_str(" BODY=8BITMIME");
        }
        if env.needs_smtputf8 {
            mail.push_str(" SMTPUTF8");
        }
        mail.push_str("\r\n");

        let mut replies_seen = 0usize;
        let outcome = self
            .exchange(env, &mail, reused, t, &mut replies_seen)
            .await;
        outcome.map_err(|error| TxnError {
            retry_fresh: reused
                && replies_seen == 0
                && matches!(
                    error,
                    SessionError::Io(_)
                        | SessionError::Closed
                        | SessionError::Timeout("RSET reply")
                ),
            error,
        })
    }

    /// Send QUIT and drop the session (best effort, short timeout).
    pub(crate) async fn quit(mut self) {
        let limit = Duration::from_secs(2);
        if self.io.send(b"QUIT\r\n", limit, "QUIT").await.is_ok() {
            let _ = self.io.read_reply(limit, "QUIT reply").await;
        }
    }

    fn all(&self, r: RcptResult, n: usize, reusable: bool) -> TxnResult {
        TxnResult {
            results: vec![r; n],
            reusable,
            last_code: None,
        }
    }

    fn describe(&self, reply: &Reply, stage: &str) -> String {
        format!(
            "{} (in reply to {stage}, from {}[{}])",
            reply.escaped(),
            self.host,
            self.addr.ip()
        )
    }

    fn classify(&self, reply: &Reply, stage: &str) -> RcptResult {
        match reply.class() {
            5 => RcptResult::Perm(self.describe(reply, stage)),
            _ => RcptResult::Temp(self.describe(reply, stage)),
        }
    }

    async fn exchange(
        &mut self,
        env: &Envelope<'_>,
        mail: &str,
        reused: bool,
        t: &CommandTimeouts,
        seen: &mut usize,
    ) -> Result<TxnResult, SessionError> {
        let n = env.rcpts.len();
        let rcpt_cmd = |r: &EmailAddress| format!("RCPT TO:<{r}>\r\n");
        let mut rcpt_replies: Vec<Reply> = Vec::with_capacity(n);
        let mail_reply;
        let data_reply: Option<Reply>;

        if self.caps.pipelining {
            // RFC 2920: RSET, MAIL, every RCPT and DATA in one write; replies in order.
            let mut batch = String::with_capacity(64 + 64 * n);
            if reused {
                batch.push_str("RSET\r\n");
            }
            batch.push_str(mail);
            for r in env.rcpts {
                batch.push_str(&rcpt_cmd(r));
            }
            batch.push_str("DATA\r\n");
            self.io.send(batch.as_bytes(), t.mail, "MAIL").await?;
            if reused {
                let rset = self.io.read_reply(t.rset, "RSET reply").await?;
                if !rset.is_positive() {
                    return Err(SessionError::Closed);
                }
                *seen += 1;
            }
            mail_reply = self.io.read_reply(t.mail, "MAIL reply").await?;
            *seen += 1;
            for _ in env.rcpts {
                rcpt_replies.push(self.io.read_reply(t.rcpt, "RCPT reply").await?);
            }
            data_reply = Some(self.io.read_reply(t.data_init, "DATA reply").await?);
        } else {
            if reused {
                self.io.send(b"RSET\r\n", t.rset, "RSET").await?;
                let rset = self.io.read_reply(t.rset, "RSET reply").await?;
                if !rset.is_positive() {
                    return Err(SessionError::Closed);
                }
                *seen += 1;
            }
            self.io.send(mail.as_bytes(), t.mail, "MAIL").await?;
            mail_reply = self.io.read_reply(t.mail, "MAIL reply").await?;
            *seen += 1;
            if mail_reply.is_positive() {
                for r in env.rcpts {
                    self.io.send(rcpt_cmd(r).as_bytes(), t.rcpt, "RCPT").await?;
                    rcpt_replies.push(self.io.read_reply(t.rcpt, "RCPT reply").await?);
                }
            }
            data_reply = if rcpt_replies.iter().any(Reply::is_positive) {
                self.io.send(b"DATA\r\n", t.data_init, "DATA").await?;
                Some(self.io.read_reply(t.data_init, "DATA reply").await?)
            } else {
                None
            };
        }

        let mut reusable = !mail_reply.code.eq(&421)
            && !rcpt_replies.iter().any(|r| r.code == 421)
            && data_reply.as_ref().is_none_or(|d| d.code != 421);

        // The per-recipient picture before DATA.
        let mut results: Vec<Option<RcptResult>> = if mail_reply.is_positive() {
            rcpt_replies
                .iter()
                .map(|r| (!r.is_positive()).then(|| self.classify(r, "RCPT TO")))
                .collect()
        } else {
            vec![Some(self.classify(&mail_reply, "MAIL FROM")); n]
        };
        let any_accepted = results.iter().any(Option::is_none);
        let mut last_code = Some(mail_reply.code_for_log());

        match data_reply {
            Some(d) if d.code == 354 && any_accepted => {
                self.io
                    .send(env.encoded, t.data_block, "message data")
                    .await?;
                let fin = self
                    .io
                    .read_reply(t.data_end, "reply to end of DATA")
                    .await?;
                reusable &= fin.code != 421;
                last_code = Some(fin.code_for_log());
                for slot in results.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(if fin.is_positive() {
                        RcptResult::Delivered(fin.clone())
                    } else {
                        self.classify(&fin, "end of DATA")
                    });
                }
            }
            Some(d) if d.code == 354 => {
                // A server that answers DATA with 354 although no recipient was accepted
                // (RFC 2920 section 3.1 forbids it): send an empty message's end at once.
                self.io.send(b".\r\n", t.data_block, "message data").await?;
                let _ = self
                    .io
                    .read_reply(t.data_end, "reply to end of DATA")
                    .await?;
            }
            Some(d) => {
                last_code = Some(d.code_for_log());
                for slot in results.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(self.classify(&d, "DATA"));
                }
            }
            None => {}
        }
        let results = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| RcptResult::Temp("no reply for recipient".into())))
            .collect();
        self.idle_since = Instant::now();
        Ok(TxnResult {
            results,
            reusable,
            last_code,
        })
    }
}

/// `<>` for the null sender.
struct DisplayOpt<'a>(Option<&'a EmailAddress>);

impl fmt::Display for DisplayOpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(a) => a.fmt(f),
            None => Ok(()),
        }
    }
}
