//! The connection to the SIEM: TCP, then TLS verified against the webpki roots and the
//! configured extra CAs (RFC 5425), or plain TCP when explicitly allowed.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::config::{ConfigError, SyslogConfig};
use crate::forwarder::ErrorCategory;

/// Why a connection, handshake or write failed. `Display` names the failure class and, for
/// TLS, the precise reason; never any event content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The TCP connection could not be made (refused, unreachable, name not resolved).
    #[error("connecting to the SIEM failed: {0}")]
    Connect(io::ErrorKind),
    /// The TLS session failed or was refused: certificate not trusted or not valid for the
    /// name, protocol mismatch, an alert from the server, or the server closing right after
    /// the handshake (a refused client certificate).
    #[error("TLS with the SIEM failed: {0}")]
    Tls(String),
    /// Writing to an established connection failed.
    #[error("writing to the SIEM failed: {0}")]
    Write(io::ErrorKind),
    /// The SIEM closed the connection (or sent data, which a syslog receiver never does).
    #[error("the SIEM closed the connection")]
    Closed,
    /// Connecting (TCP and TLS) or writing a batch took longer than its bound.
    #[error("{0} timed out")]
    Timeout(&'static str),
}

impl SendError {
    /// The category reported in [`crate::SyslogStatus`].
    pub fn category(&self) -> ErrorCategory {
        match self {
            SendError::Connect(_) => ErrorCategory::Connect,
            SendError::Tls(_) => ErrorCategory::Tls,
            SendError::Write(_) | SendError::Closed => ErrorCategory::Write,
            SendError::Timeout(_) => ErrorCategory::Timeout,
        }
    }
}

/// How long a new connection is watched before anything is sent on it. In TLS 1.3 the
/// client's handshake is over before the server has checked the client certificate; a
/// server that refuses it (or is out of connection slots) says so with an alert or a close
/// right away, and events written before that would be lost while counting as sent.
const ACCEPT_GRACE: Duration = Duration::from_millis(250);

/// Opens connections as configured.
pub(crate) struct Connector {
    address: String,
    server_name: ServerName<'static>,
    tls: Option<TlsConnector>,
    connect_timeout: Duration,
}

impl Connector {
    pub(crate) fn new(config: &SyslogConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let tls = if config.insecure_plaintext {
            None
        } else {
            Some(TlsConnector::from(Arc::new(client_config(config)?)))
        };
        Ok(Self {
            address: config.address.clone(),
            server_name: config.tls_server_name()?,
            tls,
            connect_timeout: config.connect_timeout(),
        })
    }

    pub(crate) fn is_plaintext(&self) -> bool {
        self.tls.is_none()
    }

    /// TCP connect and, unless plaintext, the TLS handshake, within the connect timeout;
    /// then [`ACCEPT_GRACE`] for the server to refuse the session.
    pub(crate) async fn connect(&self) -> Result<Connection, SendError> {
        let mut conn = timeout(self.connect_timeout, self.connect_unbounded())
            .await
            .map_err(|_| SendError::Timeout("connecting to the SIEM"))??;
        conn.settle(ACCEPT_GRACE).await?;
        Ok(conn)
    }

    async fn connect_unbounded(&self) -> Result<Connection, SendError> {
        let tcp = TcpStream::connect(self.address.as_str())
            .await
            .map_err(|e| SendError::Connect(e.kind()))?;
        // Batches are written whole and flushed; Nagle would only delay the last segment.
        let _ = tcp.set_nodelay(true);
        match &self.tls {
            None => Ok(Connection::Plain(tcp)),
            Some(tls) => {
                let stream = tls
                    .connect(self.server_name.clone(), tcp)
                    .await
                    .map_err(|e| SendError::Tls(describe_tls_error(&e)))?;
                Ok(Connection::Tls(Box::new(stream)))
            }
        }
    }
}

/// An established connection to the SIEM.
pub(crate) enum Connection {
    Tls(Box<TlsStream<TcpStream>>),
    Plain(TcpStream),
}

impl Connection {
    /// Write `bytes` and flush them to the socket, within `limit`.
    pub(crate) async fn send(&mut self, bytes: &[u8], limit: Duration) -> Result<(), SendError> {
        let write = async {
            match self {
                Connection::Tls(s) => {
                    s.write_all(bytes).await?;
                    s.flush().await
                }
                Connection::Plain(s) => {
                    s.write_all(bytes).await?;
                    s.flush().await
                }
            }
        };
        timeout(limit, write)
            .await
            .map_err(|_| SendError::Timeout("writing a batch"))?
            .map_err(|e| SendError::Write(e.kind()))
    }

    /// Wait up to `wait` for the server to end the session; `Ok` if it did not.
    async fn settle(&mut self, wait: Duration) -> Result<(), SendError> {
        let mut byte = [0u8; 1];
        match self {
            Connection::Plain(s) => match timeout(wait, s.peek(&mut byte)).await {
                Err(_) => Ok(()),
                Ok(_) => Err(SendError::Connect(io::ErrorKind::ConnectionAborted)),
            },
            // Reading through rustls consumes post-handshake messages (session tickets)
            // and keeps waiting; only EOF, an alert or data end the wait early.
            Connection::Tls(s) => match timeout(wait, s.read(&mut byte)).await {
                Err(_) => Ok(()),
                Ok(Err(e)) if is_rustls_error(&e) => Err(SendError::Tls(describe_tls_error(&e))),
                // A close without an alert is how rsyslog (GnuTLS) refuses a client
                // certificate in TLS 1.3.
                Ok(_) => Err(SendError::Tls(
                    "server closed the session right after the handshake (client \
                     certificate required or refused?)"
                        .into(),
                )),
            },
        }
    }

    /// `Ok` while the session looks open; otherwise why it is over. Checked without
    /// blocking.
    ///
    /// RFC 5425 receivers send no application data, so anything readable ends the session:
    /// EOF or a reset (`Closed`), a TLS alert (`Tls`: for instance the server refusing our
    /// client certificate, which TLS 1.3 reports only after the client's handshake is done),
    /// or stray data (`Closed`). Over TLS the bytes go through rustls, so post-handshake
    /// messages such as TLS 1.3 session tickets are consumed and do not count.
    pub(crate) fn check_alive(&mut self) -> Result<(), SendError> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        match self {
            Connection::Plain(s) => match s.poll_peek(&mut cx, &mut buf) {
                Poll::Pending => Ok(()),
                Poll::Ready(_) => Err(SendError::Closed),
            },
            Connection::Tls(s) => match Pin::new(s.as_mut()).poll_read(&mut cx, &mut buf) {
                Poll::Pending => Ok(()),
                Poll::Ready(Ok(())) => Err(SendError::Closed),
                Poll::Ready(Err(e)) if is_rustls_error(&e) => {
                    Err(SendError::Tls(describe_tls_error(&e)))
                }
                Poll::Ready(Err(_)) => Err(SendError::Closed),
            },
        }
    }

    /// End the session politely (TLS close_notify, then FIN), within `limit`.
    pub(crate) async fn close(mut self, limit: Duration) {
        let _ = timeout(limit, async {
            match &mut self {
                Connection::Tls(s) => Pin::new(s.as_mut()).shutdown().await,
                Connection::Plain(s) => s.shutdown().await,
            }
        })
        .await;
    }
}

/// The TLS 1.2/1.3 client configuration: webpki roots plus `ca_pem`, optional client
/// certificate.
fn client_config(config: &SyslogConfig) -> Result<ClientConfig, ConfigError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = &config.ca_pem {
        let certs = read_certs(pem).map_err(ConfigError::BadCaBundle)?;
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| ConfigError::BadCaBundle(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .with_root_certificates(roots);
    match (&config.client_cert_pem, &config.client_key_pem) {
        (Some(cert), Some(key)) => {
            let chain = read_certs(cert).map_err(ConfigError::BadClientCert)?;
            let key = rustls_pemfile::private_key(&mut key.as_bytes())
                .ok()
                .flatten()
                .ok_or_else(|| ConfigError::BadClientCert("no private key found".into()))?;
            builder
                .with_client_auth_cert(chain, key)
                // rustls's error says why the pair is unusable, not what the key is.
                .map_err(|e| ConfigError::BadClientCert(e.to_string()))
        }
        (None, None) => Ok(builder.with_no_client_auth()),
        _ => Err(ConfigError::BadClientCert(
            "client_cert_pem and client_key_pem must be set together".into(),
        )),
    }
}

fn read_certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = rustls_pemfile::certs(&mut pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    if certs.is_empty() {
        return Err("no certificates found".into());
    }
    Ok(certs)
}

fn is_rustls_error(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|e| e.downcast_ref::<rustls::Error>().is_some())
}

/// A precise, PHI-free reason for a failed handshake.
fn describe_tls_error(err: &io::Error) -> String {
    let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof => "connection closed during the handshake".into(),
            kind => format!("I/O error during the handshake: {kind}"),
        };
    };
    match tls {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => "certificate issuer not trusted".into(),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "certificate not valid for the server name".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "certificate expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "certificate not yet valid".into()
            }
            CertificateError::BadSignature => "certificate signature invalid".into(),
            other => format!("certificate invalid ({other:?})"),
        },
        rustls::Error::NoCertificatesPresented => "no certificate presented".into(),
        rustls::Error::AlertReceived(alert) => format!("server sent TLS alert {alert:?}"),
        rustls::Error::PeerIncompatible(why) => format!("server TLS incompatible ({why:?})"),
        rustls::Error::PeerMisbehaved(why) => format!("server TLS misbehaved ({why:?})"),
        other => format!("TLS error ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_bundle_without_certificates_is_refused() {
        let mut config = SyslogConfig::new("127.0.0.1:6514");
        config.ca_pem = Some("not a pem".into());
        assert!(matches!(
            Connector::new(&config),
            Err(ConfigError::BadCaBundle(_))
        ));
    }

    #[test]
    fn tls_is_the_default_and_plaintext_is_opt_in() {
        let mut config = SyslogConfig::new("127.0.0.1:6514");
        assert!(!Connector::new(&config).expect("tls").is_plaintext());
        config.insecure_plaintext = true;
        assert!(Connector::new(&config).expect("plain").is_plaintext());
    }
}
