//! The SMTP submission server: tokio listeners and TLS around the pure `smtp-session`
//! state machine, with connection caps, rate limits and trusted networks.
//!
//! **What it does:** accepts on a STARTTLS submission listener and an implicit-TLS listener
//! (both bound by the caller), runs one [`smtp_session::Session`] per connection, answers
//! its actions (AUTH through [`SubmissionHandler::authenticate`], sender rules and rate
//! limits itself, messages through [`SubmissionHandler::submit`]), and shuts down
//! gracefully.
//!
//! **What it does not do:** no queueing, storage, sealing or policy: the binary's
//! [`SubmissionHandler`] does that, and the gateway replies `250` only after `submit`
//! returned `Ok` (durable). No delivery, no DKIM, no `Received:` header (the handler gets
//! the HELO name and client IP to write one).
//!
//! **Security:** runs in the network-facing gateway process; it needs the TLS key and a
//! handler that can write to the queue, never the master key. Trusts nothing it reads.
//! - No open relay: MAIL needs AUTH (offered only under TLS, RFC 8314) or a client address
//!   inside a [`TrustedNetwork`]; both are limited to their [`SenderRules`]
//!   (`553 5.7.1`), and the null sender is refused. Everyone else gets
//!   `530 5.7.0 Authentication required`.
//! - Trusted networks still need TLS (`530 5.7.0 Must issue a STARTTLS command first`)
//!   unless the entry sets `insecure_allow_plaintext`.
//! - SMTP smuggling and STARTTLS injection are handled in `smtp-session`; this adapter
//!   keeps no read-ahead buffer of its own, so purging the session's buffer at STARTTLS
//!   purges everything.
//! - Limits: idle timeout per read, TLS handshake timeout, total and per-IP connection caps
//!   (`421 4.7.0` on accept), GCRA message rates per IP, per user and per device
//!   (`451 4.7.1`), AUTH failure delay and per-IP AUTH throttling (`454 4.7.0`).
//!
//! **Standards:** RFC 6409 (submission), RFC 8314 (implicit TLS, no plaintext AUTH),
//! RFC 3207 (STARTTLS), RFC 4954 (AUTH); protocol details in `smtp-session`.
//!
//! **TLS and performance:** build the `rustls::ServerConfig` with [`tls_server_config`]: TLS
//! 1.2 and 1.3 only, stateless session tickets (a rotating ticketer) and a 4096-entry
//! session cache, so reconnecting clients resume instead of paying for a full handshake.
//! The connection loop reads 16 KiB at a time into one buffer per connection, keeps one
//! `Vec` per message (moved, never copied, into `submit`) and batches pipelined replies
//! into one write.
//!
//! **PHI:** message bodies and addresses pass through memory to the handler and are never
//! logged. Logs carry the session id, client IP, listener, event names, reply codes, message
//! ids, sizes and counts; untrusted protocol bytes only through `model::escape_for_log`.
//!
//! **Errors:** peer mistakes become SMTP replies; I/O errors end the connection (logged at
//! debug). [`SubmitError`] tells temporary (`451 4.3.0`) from permanent (`554 5.6.0`)
//! refusals. [`ConfigError`] covers unparseable trusted-network settings.

mod config;
mod handler;
mod limits;
mod server;

use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use config::{Cidr, ConfigError, GatewayConfig, SenderRules, TrustedNetwork};
pub use handler::{Envelope, SenderIdentity, SubmissionHandler, SubmitError};
pub use server::{Gateway, Listeners};
pub use smtp_session::SessionConfig;

/// A `rustls` server configuration for the listeners: TLS 1.3 and 1.2 only (aws-lc-rs
/// provider), no client certificates, session tickets and a session cache for resumption.
pub fn tls_server_config(
    cert_chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<ServerConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_single_cert(cert_chain, key)?;
    config.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new()?;
    config.session_storage = rustls::server::ServerSessionMemoryCache::new(4096);
    Ok(Arc::new(config))
}
