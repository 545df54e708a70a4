//! A small SMTP + STARTTLS test peer on 127.0.0.1:0, and an rcgen PKI for it.
//!
//! It records every command line it receives, tagged with whether TLS was up, so tests
//! can assert that nothing but EHLO/STARTTLS/QUIT ever travelled in plaintext.

#![allow(dead_code)] // reason: each test binary uses a different subset of the helpers

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use std::sync::atomic::{AtomicUsize, Ordering};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A test certificate authority.
pub(crate) struct Ca {
    issuer: Issuer<'static, KeyPair>,
    pub(crate) pem: String,
}

impl Ca {
    pub(crate) fn new() -> Self {
        let key = KeyPair::generate().expect("ca key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // Distinct names, so a chain is never matched to another test's CA by subject.
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        params
            .distinguished_name
            .push(DnType::CommonName, format!("carepost test CA {n}"));
        let cert = params.self_signed(&key).expect("ca cert");
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A leaf certificate for `sans` (DNS names or IP addresses), and its key.
    pub(crate) fn leaf(&self, sans: &[&str]) -> Leaf {
        let key = KeyPair::generate().expect("leaf key");
        let params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
        let cert = params.signed_by(&key, &self.issuer).expect("leaf cert");
        Leaf {
            der: cert.der().clone(),
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }
}

/// A server certificate and key.
pub(crate) struct Leaf {
    pub(crate) der: CertificateDer<'static>,
    pub(crate) key: PrivateKeyDer<'static>,
}

impl Leaf {
    pub(crate) fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(vec![self.der.clone()], self.key.clone_key())
            .expect("server config");
        Arc::new(config)
    }
}

/// How the peer behaves.
#[derive(Clone)]
pub(crate) struct Behaviour {
    /// Offer STARTTLS (with this server config).
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    pub(crate) pipelining: bool,
    pub(crate) mail_reply: String,
    /// Reply to `RCPT TO:<addr>`, by address.
    pub(crate) rcpt_reply: Arc<dyn Fn(&str) -> String + Send + Sync>,
    pub(crate) data_end_reply: String,
    /// Send a forged reply in plaintext right behind the STARTTLS 220 (CVE-2011-0411).
    pub(crate) inject_after_starttls: bool,
    /// Drop the connection right after replying to the end of DATA.
    pub(crate) close_after_message: bool,
}

impl Behaviour {
    pub(crate) fn tls(config: Arc<rustls::ServerConfig>) -> Self {
        Self {
            tls: Some(config),
            pipelining: true,
            mail_reply: "250 2.1.0 Ok".into(),
            rcpt_reply: Arc::new(|_| "250 2.1.5 Ok".into()),
            data_end_reply: "250 2.0.0 Ok: queued as TEST1".into(),
            inject_after_starttls: false,
            close_after_message: false,
        }
    }

    pub(crate) fn plaintext_only() -> Self {
        Self {
            tls: None,
            ..Self::tls(Leaf::dummy_config())
        }
    }
}

impl Leaf {
    fn dummy_config() -> Arc<rustls::ServerConfig> {
        Ca::new().leaf(&["localhost"]).server_config()
    }
}

/// What the peer saw.
#[derive(Default, Debug)]
pub(crate) struct Seen {
    pub(crate) connections: usize,
    /// (TLS up?, command line).
    pub(crate) commands: Vec<(bool, String)>,
    /// Received messages, dot-unstuffed, CRLF, without the final `.` line.
    pub(crate) messages: Vec<Vec<u8>>,
}

impl Seen {
    pub(crate) fn plaintext_transaction_commands(&self) -> Vec<String> {
        self.commands
            .iter()
            .filter(|(tls, c)| {
                let c = c.to_ascii_uppercase();
                !(*tls || c.starts_with("EHLO") || c == "STARTTLS" || c == "QUIT")
            })
            .map(|(_, c)| c.clone())
            .collect()
    }

    pub(crate) fn count(&self, verb: &str) -> usize {
        self.commands
            .iter()
            .filter(|(_, c)| c.to_ascii_uppercase().starts_with(verb))
            .count()
    }
}

/// A running peer.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) seen: Arc<Mutex<Seen>>,
}

impl Server {
    pub(crate) async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let s = seen.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                s.lock().expect("lock").connections += 1;
                tokio::spawn(handle(tcp, behaviour.clone(), s.clone()));
            }
        });
        Self { addr, seen }
    }

    pub(crate) fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().expect("lock")
    }
}

async fn handle(mut tcp: tokio::net::TcpStream, b: Behaviour, seen: Arc<Mutex<Seen>>) {
    if tcp.write_all(b"220 fake.test ESMTP\r\n").await.is_err() {
        return;
    }
    let Some(tcp) = serve(tcp, &b, &seen, false).await else {
        return;
    };
    let Some(config) = b.tls.clone() else {
        return;
    };
    let Ok(tls) = TlsAcceptor::from(config).accept(tcp).await else {
        return;
    };
    let _ = serve(tls, &b, &seen, true).await;
}

/// Serve commands; returns the raw stream when the client starts TLS.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    b: &Behaviour,
    seen: &Mutex<Seen>,
    tls: bool,
) -> Option<S> {
    let mut r = BufReader::new(stream);
    let mut accepted = 0usize;
    let mut in_mail = false;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        seen.lock()
            .expect("lock")
            .commands
            .push((tls, text.clone()));
        let upper = text.to_ascii_uppercase();
        let reply = if upper.starts_with("EHLO") {
            let mut caps = vec!["250-fake.test".to_string()];
            if !tls && b.tls.is_some() {
                caps.push("250-STARTTLS".into());
            }
            if b.pipelining {
                caps.push("250-PIPELINING".into());
            }
            caps.push("250-8BITMIME".into());
            caps.push("250 SIZE 10240000".into());
            caps.join("\r\n")
        } else if upper == "STARTTLS" {
            if tls || b.tls.is_none() {
                "502 5.5.1 no".into()
            } else {
                let ready: &[u8] = if b.inject_after_starttls {
                    b"220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 STARTTLS\r\n"
                } else {
                    b"220 2.0.0 Ready to start TLS\r\n"
                };
                r.get_mut().write_all(ready).await.ok()?;
                return Some(r.into_inner());
            }
        } else if upper.starts_with("MAIL FROM:") {
            accepted = 0;
            in_mail = b.mail_reply.starts_with('2');
            b.mail_reply.clone()
        } else if upper.starts_with("RCPT TO:") && !in_mail {
            "503 5.5.1 Error: need MAIL command".into()
        } else if upper.starts_with("RCPT TO:") {
            let addr = text[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>');
            let reply = (b.rcpt_reply)(addr);
            if reply.starts_with('2') {
                accepted += 1;
            }
            reply
        } else if upper == "DATA" {
            if accepted == 0 {
                "554 5.5.1 Error: no valid recipients".into()
            } else {
                r.get_mut()
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .ok()?;
                let mut msg = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if r.read_until(b'\n', &mut l).await.ok()? == 0 {
                        return None;
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    let l = if l.starts_with(b".") { &l[1..] } else { &l[..] };
                    msg.extend_from_slice(l);
                }
                seen.lock().expect("lock").messages.push(msg);
                accepted = 0;
                in_mail = false;
                if b.close_after_message {
                    let reply = format!("{}\r\n", b.data_end_reply);
                    let _ = r.get_mut().write_all(reply.as_bytes()).await;
                    return None;
                }
                b.data_end_reply.clone()
            }
        } else if upper == "RSET" {
            accepted = 0;
            in_mail = false;
            "250 2.0.0 Ok".into()
        } else if upper == "QUIT" {
            let _ = r.get_mut().write_all(b"221 2.0.0 Bye\r\n").await;
            return None;
        } else {
            "502 5.5.2 Error: command not recognized".into()
        };
        let reply = format!("{reply}\r\n");
        r.get_mut().write_all(reply.as_bytes()).await.ok()?;
    }
}
