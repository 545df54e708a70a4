//! Outbound SMTP delivery over enforced, verified TLS.
//!
//! **What it does:** given an envelope and a message for recipients of one domain, finds
//! the next hop (a configured route, else MX, else the domain's address records), opens an
//! SMTP session, *requires* STARTTLS with a certificate verified for the next hop's name,
//! sends the message, and reports one [`DeliveryResult`] per recipient, with a
//! [`model::TlsRecord`] describing how each delivered copy travelled. Sessions are pooled
//! per next hop and reused (RSET between transactions), with a cap on simultaneous
//! connections per next hop. DNS questions go to the system resolver, or only to
//! [`DeliveryConfig::dns_servers`] when set; MX and implicit-MX hosts are tried on
//! [`DeliveryConfig::smtp_port`] (25 unless changed for tests).
//!
//! **What it does not do:** no queueing, no retries, no storage, no DKIM signing, no
//! DSNs: the queue worker decides what a [`DeliveryResult`] means for the copy (the retry
//! schedule lives in `queue::retry`). No MTA-STS or DANE yet (see "Open" below).
//!
//! **Security posture:** runs in the delivery process (`carepost serve` / a delivery
//! worker). It reads message bytes handed to it by the worker (already unsealed) and
//! writes them only to a TLS session whose certificate chains to the WebPKI roots (or the
//! configured extra CA bundle) and matches the next hop's name. *Plaintext delivery does
//! not exist in this crate*: before TLS, only `EHLO`, `STARTTLS` and `QUIT` are ever
//! written. A next hop without STARTTLS, a refused STARTTLS, a failed handshake, an
//! untrusted or mismatched certificate, or plaintext bytes injected after the STARTTLS
//! reply all end that host's session before `MAIL`; the next MX host is tried, and if no
//! host gives verified TLS the copy is [`DeliveryResult::NoVerifiedTls`] (the portal
//! path), never deferred forever and never bounced. TLS is 1.2 or 1.3 only (RFC 8314
//! section 5 minimums), through rustls with the aws-lc-rs provider.
//!
//! `require_verified_tls = false` (default `true`) weakens only the certificate check:
//! TLS is still mandatory, and the copy's record says `verified: false`.
//!
//! **PHI:** message content and recipient addresses never reach logs or error values'
//! `Display` in this crate's own text. Logs carry next-hop host, IP, port, reply codes
//! and TLS details. Remote reply *text* can echo an address, so it goes only into
//! [`DeliveryResult`] strings (stored with the recipient row, which holds the address
//! anyway) and [`model::TlsRecord::remote_reply`], escaped with
//! [`model::escape_for_log`] and cut to 200 bytes; it is never logged.
//!
//! **Standards:**
//! - RFC 5321: 3.3 (transactions), 4.1.1.1 (EHLO), 4.2 (replies), 4.5.2 (dot-stuffing;
//!   the payload is normalised to CRLF first, so bare CR/LF cannot smuggle an end of
//!   data), 4.5.3.2 (timeouts, defaults in [`CommandTimeouts`]), 5.1 (MX ordering,
//!   shuffling equal preferences, implicit MX).
//! - RFC 3207 (STARTTLS), including discarding anything received before the handshake.
//! - RFC 8314 (TLS 1.2+), RFC 6125 (name checks, via rustls/webpki; IP SANs for IP
//!   routes).
//! - RFC 2920 (PIPELINING: RSET, MAIL, RCPT…, DATA in one write), RFC 6152 (8BITMIME),
//!   RFC 6531 (SMTPUTF8; refused next hop → permanent failure 5.6.7), RFC 1870 (SIZE).
//! - RFC 7505 (null MX → permanent failure 5.1.10).
//!
//! **Errors:** results, not errors: [`DeliveryResult`] separates delivered, temporary
//! failure, permanent failure and "no verified TLS". [`ConfigError`] covers bad routes,
//! HELO names and CA bundles at start-up.
//!
//! **Open:** MTA-STS / DANE policies, per-destination rate limits, BDAT/CHUNKING, and
//! trying the next MX after a mid-transaction connection loss are not implemented.

mod config;
mod nexthop;
mod pool;
mod reply;
mod session;
mod tls;

use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use tokio::sync::OnceCell;
use tracing::{info, warn};

use model::{Clock, EmailAddress, SystemClock, Timestamp, TlsRecord};
use storage::AttemptOutcome;

pub use config::{CommandTimeouts, ConfigError, DeliveryConfig, Route};

use nexthop::{Hop, Plan};
use pool::{Checkout, Pool};
use reply::encode_data;
use session::{Envelope, OpenError, RcptResult, Session};
use tls::TlsSetup;

/// What happened to one recipient copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryResult {
    /// The next hop accepted it over TLS; how it travelled.
    Delivered(TlsRecord),
    /// Try again later (4xx, connection failure, timeout, DNS failure). No PHI of ours;
    /// may contain the escaped remote reply.
    TempFailure(String),
    /// Bounce (5xx, null MX, non-existent domain, SMTPUTF8 or size refused).
    PermFailure(String),
    /// No next hop offered verified TLS: the copy waits for the portal.
    NoVerifiedTls(String),
}

/// The per-recipient outcome of [`Deliverer::deliver`] (one per recipient, same order).
pub type RcptOutcome = DeliveryResult;

impl DeliveryResult {
    /// The storage outcome; `next_attempt` is used for [`DeliveryResult::TempFailure`]
    /// only (from the retry schedule).
    pub fn into_attempt_outcome(self, next_attempt: Timestamp) -> AttemptOutcome {
        match self {
            Self::Delivered(tls) => AttemptOutcome::Delivered { tls },
            Self::TempFailure(error) => AttemptOutcome::Deferred {
                next_attempt,
                error,
            },
            Self::PermFailure(error) => AttemptOutcome::Bounced { error },
            Self::NoVerifiedTls(reason) => AttemptOutcome::AwaitingPortal { reason },
        }
    }

    /// True for [`DeliveryResult::TempFailure`].
    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::TempFailure(_))
    }
}

/// What a copy's policy demands of the TLS session that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlsRequirement {
    /// TLS with a certificate verified for the next hop (the default).
    #[default]
    Verified,
    /// TLS with any certificate (encrypted, not authenticated); still never plaintext.
    AnyCertificate,
}

/// Delivers messages to next hops over verified TLS, reusing sessions. Cheap to clone.
#[derive(Clone)]
pub struct Deliverer {
    inner: Arc<Inner>,
}

struct Inner {
    config: DeliveryConfig,
    tls: TlsSetup,
    /// For copies whose policy allows any certificate (`TlsRequirement::AnyCertificate`):
    /// TLS is still required; the certificate is recorded, not enforced.
    tls_any: TlsSetup,
    pool: Pool,
    resolver: OnceCell<Option<TokioResolver>>,
    clock: Arc<dyn Clock>,
}

impl Deliverer {
    /// A deliverer with the system clock. Call from within a tokio runtime to get the
    /// background sweep of idle sessions (otherwise they are swept on use).
    pub fn new(config: DeliveryConfig) -> Result<Self, ConfigError> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A deliverer whose [`TlsRecord::at`] comes from `clock`.
    pub fn with_clock(config: DeliveryConfig, clock: Arc<dyn Clock>) -> Result<Self, ConfigError> {
        config.validate()?;
        let tls = TlsSetup::new(config.extra_ca_pem.as_deref(), config.require_verified_tls)?;
        let tls_any = TlsSetup::new(config.extra_ca_pem.as_deref(), false)?;
        let inner = Arc::new(Inner {
            pool: Pool::new(config.max_connections_per_destination),
            config,
            tls,
            tls_any,
            resolver: OnceCell::new(),
            clock,
        });
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(sweeper(Arc::downgrade(&inner)));
        }
        Ok(Self { inner })
    }

    /// Deliver `data` from `mail_from` (`None` = the null sender `<>`, for DSNs) to
    /// `rcpts`, which must all be in the same domain. Returns one result per recipient,
    /// in the order of `rcpts`.
    pub async fn deliver(
        &self,
        mail_from: Option<&EmailAddress>,
        rcpts: &[EmailAddress],
        data: &[u8],
    ) -> Vec<DeliveryResult> {
        self.deliver_with(mail_from, rcpts, data, TlsRequirement::Verified)
            .await
    }

    /// [`Deliverer::deliver`] with the TLS requirement the copies' policy set. TLS is
    /// mandatory either way; [`TlsRequirement::AnyCertificate`] only stops the certificate
    /// check from refusing the session (the record says `verified: false`). Sessions opened
    /// under either requirement are pooled apart, so a copy that needs verified TLS never
    /// rides on a session whose certificate was not verified.
    pub async fn deliver_with(
        &self,
        mail_from: Option<&EmailAddress>,
        rcpts: &[EmailAddress],
        data: &[u8],
        requirement: TlsRequirement,
    ) -> Vec<DeliveryResult> {
        let Some(first) = rcpts.first() else {
            return Vec::new();
        };
        debug_assert!(
            rcpts.iter().all(|r| r.domain() == first.domain()),
            "deliver() takes recipients of one domain"
        );
        let all = |r: DeliveryResult| vec![r; rcpts.len()];
        let hops = match self.plan(first).await {
            Plan::Hops(h) => h,
            Plan::Permanent(e) => return all(DeliveryResult::PermFailure(e)),
            Plan::Temporary(e) => return all(DeliveryResult::TempFailure(e)),
        };

        let mut encoded = Vec::new();
        encode_data(data, &mut encoded);
        let env = Envelope {
            mail_from,
            rcpts,
            encoded: &encoded,
            size: data.len(),
            eight_bit: !data.is_ascii(),
            needs_smtputf8: mail_from.is_some_and(EmailAddress::needs_smtputf8)
                || rcpts.iter().any(EmailAddress::needs_smtputf8),
        };

        let cfg = &self.inner.config;
        let mut no_tls: Option<String> = None;
        let mut transient: Option<String> = None;
        let mut addresses_tried = 0usize;
        for hop in &hops {
            let Some(name) = hop.server_name() else {
                transient = Some(format!("{}: not a valid host name", hop.name));
                continue;
            };
            let (tls, pool_key) = match requirement {
                TlsRequirement::Verified => (&self.inner.tls, hop.key()),
                TlsRequirement::AnyCertificate => (
                    &self.inner.tls_any,
                    format!("{}#any-certificate", hop.key()),
                ),
            };
            let dest = self.inner.pool.destination(&pool_key);
            let mut addrs: Option<std::vec::IntoIter<_>> = None;
            loop {
                let (mut session, reused) = match dest.checkout(cfg.idle_connection_ttl).await {
                    Checkout::Idle(s) => (s, true),
                    Checkout::New(permit) => {
                        if addrs.is_none() {
                            match hop.addresses(self.resolver().await).await {
                                Ok(a) => addrs = Some(a.into_iter()),
                                Err(e) => {
                                    transient = Some(e);
                                    break;
                                }
                            }
                        }
                        let Some(addr) = addrs.as_mut().and_then(Iterator::next) else {
                            break;
                        };
                        if addresses_tried >= cfg.max_addresses {
                            break;
                        }
                        addresses_tried += 1;
                        match session::open(&hop.name, name.clone(), addr, cfg, tls, permit).await {
                            Ok(s) => (Box::new(s), false),
                            Err(OpenError::NoTls(why)) => {
                                warn!(next_hop = %hop.name, addr = %addr, reason = %why, "no verified TLS");
                                no_tls.get_or_insert(why);
                                continue;
                            }
                            Err(OpenError::Transient(why)) => {
                                warn!(next_hop = %hop.name, addr = %addr, reason = %why, "session failed");
                                transient = Some(why);
                                continue;
                            }
                        }
                    }
                };
                match session.transact(&env, reused, &cfg.timeouts).await {
                    Ok(txn) => {
                        let results = self.results(&session, txn.results);
                        log_transaction(&session, reused, txn.last_code.as_deref(), &results);
                        if txn.reusable
                            && session.transactions < cfg.max_transactions_per_connection
                        {
                            dest.put_back(session);
                        } else {
                            tokio::spawn(session.quit());
                        }
                        return results;
                    }
                    Err(e) if e.retry_fresh => {
                        // A pooled session the next hop had already closed: nothing was
                        // accepted, open another one.
                        continue;
                    }
                    Err(e) => {
                        warn!(
                            next_hop = %session.host,
                            addr = %session.addr,
                            error = %e.error,
                            "transaction failed"
                        );
                        let why = format!("{} ({}[{}])", e.error, session.host, session.addr.ip());
                        return all(DeliveryResult::TempFailure(why));
                    }
                }
            }
        }
        match (no_tls, transient) {
            (Some(why), _) => all(DeliveryResult::NoVerifiedTls(why)),
            (None, Some(why)) => all(DeliveryResult::TempFailure(why)),
            (None, None) => all(DeliveryResult::TempFailure("no next hop reachable".into())),
        }
    }

    /// Number of idle pooled sessions (for metrics and tests).
    pub fn idle_connections(&self) -> usize {
        self.inner.pool.idle_count()
    }

    /// Close every idle session politely (QUIT). For shutdown.
    pub async fn close_idle(&self) {
        for s in self.inner.pool.drain() {
            s.quit().await;
        }
    }

    async fn plan(&self, rcpt: &EmailAddress) -> Plan {
        if let Some(route) = self.inner.config.routes.get(rcpt.domain()) {
            return Plan::Hops(vec![Hop::from_route(route)]);
        }
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos().into())
            .unwrap_or(0);
        let port = self.inner.config.smtp_port;
        nexthop::plan_by_dns(rcpt.domain(), self.resolver().await, seed, port).await
    }

    /// The DNS resolver (the configured servers, else the system configuration), created
    /// on first use.
    async fn resolver(&self) -> Option<&TokioResolver> {
        self.inner
            .resolver
            .get_or_init(|| async {
                match build_resolver(&self.inner.config.dns_servers) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        warn!(error = %e, "DNS resolver unavailable");
                        None
                    }
                }
            })
            .await
            .as_ref()
    }

    fn results(&self, session: &Session, results: Vec<RcptResult>) -> Vec<DeliveryResult> {
        let at = self.inner.clock.now();
        results
            .into_iter()
            .map(|r| match r {
                RcptResult::Delivered(reply) => DeliveryResult::Delivered(TlsRecord {
                    next_hop_host: session.host.clone(),
                    next_hop_addr: session.addr.to_string(),
                    tls_version: session.tls.version.clone(),
                    cipher: session.tls.cipher.clone(),
                    peer_cert_sha256: session.tls.peer_cert_sha256.clone(),
                    verified: session.tls.verified,
                    remote_reply: reply.escaped(),
                    at,
                }),
                RcptResult::Temp(e) => DeliveryResult::TempFailure(e),
                RcptResult::Perm(e) => DeliveryResult::PermFailure(e),
            })
            .collect()
    }
}

/// A resolver for `servers` (UDP, TCP for truncated answers), or the system configuration
/// when there are none.
fn build_resolver(servers: &[SocketAddr]) -> Result<TokioResolver, NetError> {
    if servers.is_empty() {
        return TokioResolver::builder_tokio()?.build();
    }
    let name_servers = servers
        .iter()
        .map(|s| {
            let mut udp = ConnectionConfig::udp();
            udp.port = s.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = s.port();
            NameServerConfig::new(s.ip(), true, vec![udp, tcp])
        })
        .collect();
    let mut builder = TokioResolver::builder_with_config(
        ResolverConfig::from_name_servers(name_servers),
        TokioRuntimeProvider::default(),
    );
    let opts = builder.options_mut();
    // Only the configured servers answer: no /etc/hosts, no TTL floors.
    opts.use_hosts_file = ResolveHosts::Never;
    opts.positive_min_ttl = None;
    opts.negative_min_ttl = None;
    builder.build()
}

fn log_transaction(
    session: &Session,
    reused: bool,
    code: Option<&str>,
    results: &[DeliveryResult],
) {
    let count = |f: fn(&DeliveryResult) -> bool| results.iter().filter(|r| f(r)).count();
    info!(
        next_hop = %session.host,
        addr = %session.addr,
        tls_version = %session.tls.version,
        cipher = %session.tls.cipher,
        reused,
        reply_code = code.unwrap_or(""),
        delivered = count(|r| matches!(r, DeliveryResult::Delivered(_))),
        deferred = count(|r| matches!(r, DeliveryResult::TempFailure(_))),
        bounced = count(|r| matches!(r, DeliveryResult::PermFailure(_))),
        "transaction finished"
    );
}

/// Drop expired idle sessions in the background until the deliverer is gone.
async fn sweeper(inner: Weak<Inner>) {
    let period = match inner.upgrade() {
        Some(i) => i.config.idle_connection_ttl.max(Duration::from_secs(1)),
        None => return,
    };
    loop {
        tokio::time::sleep(period).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        inner.pool.sweep(inner.config.idle_connection_ttl);
    }
}
