//! The forwarder against a real receiver: a private rsyslogd from Debian (`imtcp` with the
//! GnuTLS stream driver, RFC 5425) on a free loopback port, writing what it receives to a
//! file in the test's temp directory.
//!
//! Runs whenever `/usr/sbin/rsyslogd` and its gtls driver are installed (Debian packages
//! `rsyslog` and `rsyslog-gnutls`; `scripts/setup-peers.sh` installs them). Without them
//! each test prints a SKIPPED line to stderr and returns, unless `CAREPOST_INTEROP=1`, in
//! which case it fails. No system rsyslog service is used or needed. `KEEP_TEST_DIRS=1`
//! keeps each test's directory (config, certificates, rsyslog's output and stderr).
//!
//! Every wait has a deadline; every rsyslogd started is stopped by its PID.

#[path = "support/proc_listener.rs"]
mod proc_listener;

use proc_listener::{listener_inode, process_owns_socket};
use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use audit::{Actor, AuditEvent, EventKind, Subject};
use model::{MessageId, TenantId, Timestamp, UserId};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use siem_syslog::{
    AuditFeed, ErrorCategory, FeedError, SyslogConfig, SyslogForwarder, SyslogStatus,
};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

const RSYSLOGD: &str = "/usr/sbin/rsyslogd";
/// rsyslog's GnuTLS stream driver (package rsyslog-gnutls), under `/usr/lib/<multiarch>/`.
const GTLS_DRIVER: &str = "rsyslog/lmnsd_gtls.so";
/// Bound on every wait for rsyslog or the forwarder.
const DEADLINE: Duration = Duration::from_secs(30);

/// Returns from the test early, with a visible SKIPPED note, when rsyslogd is absent and
/// `CAREPOST_INTEROP` is not `1`; fails the test when `CAREPOST_INTEROP=1` and it is absent.
/// (Unlike the carepost binary's `require_interop!`, rsyslog needs no root and no setup,
/// so these tests run by default wherever it is installed.)
macro_rules! require_rsyslogd {
    () => {
        if !rsyslogd_available() {
            return;
        }
    };
}

fn rsyslogd_available() -> bool {
    let installed = Path::new(RSYSLOGD).is_file() && gtls_driver_installed();
    if installed {
        return true;
    }
    assert!(
        std::env::var("CAREPOST_INTEROP").as_deref() != Ok("1"),
        "CAREPOST_INTEROP=1 but {RSYSLOGD} or its GnuTLS driver ({GTLS_DRIVER}) is not \
         installed: apt-get install rsyslog rsyslog-gnutls (scripts/setup-peers.sh)"
    );
    // Written to the real stderr: libtest captures print!/eprint! but not this.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {RSYSLOGD} with the gtls driver is not installed \
         (apt-get install rsyslog rsyslog-gnutls; set CAREPOST_INTEROP=1 to make this fatal)"
    );
    false
}

fn gtls_driver_installed() -> bool {
    let multiarch = fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path());
    std::iter::once(PathBuf::from("/usr/lib"))
        .chain(multiarch)
        .any(|dir| dir.join(GTLS_DRIVER).is_file())
}

// ------------------------------------------------------------------------------------------
// The tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_arrives_once_in_order_over_verified_tls() {
    require_rsyslogd!();
    let dir = TestDir::new("siem-once");
    let ca = Ca::new();
    let rsyslog = Rsyslog::start_tls(&dir, &ca.leaf(&["localhost"]), free_port());
    let feed = MemFeed::with_events(0..25);

    let mut config = tls_config(&rsyslog, &ca);
    config.batch_size = 7; // several batches, the last one partial
    let fwd = Running::start(config.clone(), feed.clone());
    let lines = rsyslog.wait_for_lines(25).await;
    assert_lines_are_events(&lines, &feed, 0..25);
    rsyslog.assert_parsed_by_rsyslog(&feed, 0..25).await;

    // A nudge sends new events without waiting for the (long) poll interval.
    feed.append(25..30);
    fwd.nudge.notify_one();
    let lines = rsyslog.wait_for_lines(30).await;
    assert_lines_are_events(&lines, &feed, 0..30);

    let status = fwd.stop().await;
    assert_eq!(status.last_sent_seq, Some(29));
    assert_eq!(status.saved_cursor, Some(29));
    assert_eq!(status.events_sent, 30);
    assert_eq!(status.connections, 1);
    assert_eq!(status.consecutive_failures, 0, "{status:?}");
    assert!(!status.insecure_plaintext && !status.connected && status.stopped);
    assert_eq!(feed.cursor(), Some(29));

    // A new forwarder (a restarted process) starts after the saved cursor.
    feed.append(30..33);
    let fwd = Running::start(config, feed.clone());
    let lines = rsyslog.wait_for_lines(33).await;
    assert_lines_are_events(&lines, &feed, 0..33);
    let status = fwd.stop().await;
    assert_eq!(status.events_sent, 3);
    // Nothing more turns up after the forwarder stopped.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rsyslog.lines().len(), 33);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_event_is_lost_when_rsyslog_restarts() {
    require_rsyslogd!();
    let dir = TestDir::new("siem-restart");
    let ca = Ca::new();
    let leaf = ca.leaf(&["localhost"]);
    let port = free_port();
    let mut rsyslog = Rsyslog::start_tls(&dir, &leaf, port);
    let feed = MemFeed::with_events(0..10);
    let mut config = tls_config(&rsyslog, &ca);
    config.batch_size = 4;
    let fwd = Running::start(config, feed.clone());
    rsyslog.wait_for_lines(10).await;

    rsyslog.stop();
    feed.append(10..20);
    fwd.nudge.notify_one();
    // The forwarder notices the closed connection and fails to reconnect.
    wait_until("the forwarder reports the SIEM down", || {
        let s = fwd.status();
        !s.connected && s.consecutive_failures > 0
    })
    .await;
    let down = fwd.status();
    assert!(
        matches!(
            down.last_error,
            Some(ErrorCategory::Connect | ErrorCategory::Write)
        ),
        "{down:?}"
    );
    assert_eq!(
        down.saved_cursor,
        Some(9),
        "nothing counts as sent while rsyslog is down"
    );

    rsyslog.restart();
    let lines = wait_until_seqs(&rsyslog, 20).await;
    let status = fwd.stop().await;
    assert_eq!(status.saved_cursor, Some(19));
    assert_eq!(feed.cursor(), Some(19));
    assert!(status.connections >= 2, "{status:?}");

    // Every event arrived; any repeat is a resend of an earlier seq (same bytes), and the
    // first arrivals are in order.
    let seqs: Vec<u64> = lines.iter().map(|l| parse_line(l).seq).collect();
    let mut first_seen = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let parsed = parse_line(line);
        assert_eq!(parsed.json, feed.canonical(parsed.seq), "line {i}");
        if !first_seen.contains(&parsed.seq) {
            first_seen.push(parsed.seq);
        }
    }
    assert_eq!(
        first_seen,
        (0..20).collect::<Vec<_>>(),
        "seqs received: {seqs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_the_client_does_not_trust_is_refused() {
    require_rsyslogd!();
    let dir = TestDir::new("siem-untrusted");
    let trusted = Ca::new();
    let other = Ca::new();
    let rsyslog = Rsyslog::start_tls(&dir, &other.leaf(&["localhost"]), free_port());
    let feed = MemFeed::with_events(0..3);

    // Signed by a CA the client does not trust.
    let fwd = Running::start(tls_config(&rsyslog, &trusted), feed.clone());
    wait_until("a TLS failure", || fwd.status().last_error.is_some()).await;
    let status = fwd.stop().await;
    assert_eq!(status.last_error, Some(ErrorCategory::Tls), "{status:?}");
    assert_eq!(status.last_error_seq, Some(0));
    assert_eq!((status.last_sent_seq, status.events_sent), (None, 0));
    assert_eq!(feed.cursor(), None);

    // Trusted CA, but the certificate is not valid for the name the client expects.
    let mut config = tls_config(&rsyslog, &other);
    config.server_name = Some("siem.example".into());
    let fwd = Running::start(config, feed.clone());
    wait_until("a TLS failure", || fwd.status().last_error.is_some()).await;
    let status = fwd.stop().await;
    assert_eq!(status.last_error, Some(ErrorCategory::Tls), "{status:?}");
    assert_eq!(feed.cursor(), None);

    // The good case on the same server: trusted CA, right name.
    let fwd = Running::start(tls_config(&rsyslog, &other), feed.clone());
    let lines = rsyslog.wait_for_lines(3).await;
    assert_lines_are_events(&lines, &feed, 0..3);
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_certificate_is_presented_when_configured() {
    require_rsyslogd!();
    let dir = TestDir::new("siem-mtls");
    let ca = Ca::new();
    let rsyslog = Rsyslog::start_tls_client_auth(&dir, &ca.leaf(&["localhost"]), &ca, free_port());
    let feed = MemFeed::with_events(0..3);

    // The server requires a client certificate and we have none: refused, nothing sent.
    let mut config = tls_config(&rsyslog, &ca);
    let fwd = Running::start(config.clone(), feed.clone());
    wait_until("a refusal", || fwd.status().last_error.is_some()).await;
    let status = fwd.stop().await;
    assert_eq!(status.last_error, Some(ErrorCategory::Tls), "{status:?}");
    assert_eq!((status.events_sent, feed.cursor()), (0, None));
    assert!(rsyslog.lines().is_empty());

    // With a certificate from the CA the server trusts, events arrive.
    let client = ca.leaf(&["carepost-client.example"]);
    config.client_cert_pem = Some(client.cert_pem);
    config.client_key_pem = Some(client.key_pem);
    let fwd = Running::start(config, feed.clone());
    let lines = rsyslog.wait_for_lines(3).await;
    assert_lines_are_events(&lines, &feed, 0..3);
    assert_eq!(fwd.stop().await.consecutive_failures, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plaintext_is_used_only_when_insecure_plaintext_is_set() {
    require_rsyslogd!();
    let dir = TestDir::new("siem-plain");
    let rsyslog = Rsyslog::start_plain(&dir, free_port());
    let feed = MemFeed::with_events(0..4);

    // The default (TLS) against a plaintext listener: no handshake, nothing sent.
    let mut config = SyslogConfig::new(format!("127.0.0.1:{}", rsyslog.port));
    config.server_name = Some("localhost".into());
    config.hostname = "gw-test".into();
    config.connect_timeout_secs = 2;
    let fwd = Running::start(config.clone(), feed.clone());
    assert!(!fwd.plaintext);
    wait_until("a failed handshake", || fwd.status().last_error.is_some()).await;
    let status = fwd.stop().await;
    assert!(
        matches!(
            status.last_error,
            Some(ErrorCategory::Tls | ErrorCategory::Timeout)
        ),
        "{status:?}"
    );
    assert_eq!((status.events_sent, feed.cursor()), (0, None));
    // rsyslog may have logged the ClientHello as garbage; no event went out.
    assert!(
        rsyslog
            .lines()
            .iter()
            .all(|l| !l.contains("carepost@32473"))
    );

    // Opted in: events go out in plaintext, and the forwarder says so.
    config.insecure_plaintext = true;
    let fwd = Running::start(config, feed.clone());
    assert!(fwd.plaintext);
    let lines = wait_until_seqs(&rsyslog, 4).await;
    assert_lines_are_events(&lines, &feed, 0..4);
    let status = fwd.stop().await;
    assert!(status.insecure_plaintext);
    assert_eq!(feed.cursor(), Some(3));
}

// ------------------------------------------------------------------------------------------
// Assertions on what rsyslog wrote

/// One raw RFC 5424 line, split into the fields the tests check.
struct Line {
    pri: u16,
    timestamp: String,
    msgid: String,
    seq: u64,
    sd: String,
    json: String,
}

fn parse_line(line: &str) -> Line {
    let mut parts = line.splitn(7, ' ');
    let mut next = || parts.next().unwrap_or_else(|| panic!("short line: {line}"));
    let pri_version = next();
    let pri = pri_version
        .strip_prefix('<')
        .and_then(|p| p.strip_suffix(">1"))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad PRI/VERSION: {line}"));
    let timestamp = next().to_string();
    assert!(
        timestamp.len() == 24 && timestamp.ends_with('Z') && timestamp.as_bytes()[19] == b'.',
        "timestamp {timestamp}"
    );
    assert_eq!(next(), "gw-test", "HOSTNAME");
    assert_eq!(next(), "carepost", "APP-NAME");
    assert_eq!(next(), "-", "PROCID");
    let msgid = next().to_string();
    let rest = next();
    let (sd, json) = rest
        .split_once("] ")
        .unwrap_or_else(|| panic!("no SD: {line}"));
    let sd = format!("{sd}]");
    let seq = sd
        .split("seq=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no seq in {sd}"));
    Line {
        pri,
        timestamp,
        msgid,
        seq,
        sd,
        json: json.to_string(),
    }
}

/// The lines are exactly the events `seqs`, once each, in order.
fn assert_lines_are_events(lines: &[String], feed: &MemFeed, seqs: std::ops::Range<u64>) {
    let expected: Vec<u64> = seqs.collect();
    let got: Vec<u64> = lines.iter().map(|l| parse_line(l).seq).collect();
    assert_eq!(got, expected, "seqs as received");
    for line in lines {
        let parsed = parse_line(line);
        let event = feed.event(parsed.seq);
        let kind = event.kind.as_str();
        assert_eq!(parsed.msgid, kind);
        assert_eq!(parsed.timestamp, expected_timestamp(event.at));
        let severity = if kind == "auth.login_failed" { 4 } else { 5 };
        assert_eq!(parsed.pri, 10 * 8 + severity, "{kind}");
        let mut sd = format!("[carepost@32473 seq=\"{}\" kind=\"{kind}\"", parsed.seq);
        if let Some(tenant) = &event.tenant {
            sd.push_str(&format!(" tenant=\"{tenant}\""));
        }
        sd.push(']');
        assert_eq!(parsed.sd, sd);
        // MSG is the canonical JSON: it parses back to the event and re-hashes to its leaf.
        assert_eq!(parsed.json, feed.canonical(parsed.seq));
        let back: AuditEvent = serde_json::from_str(&parsed.json).expect("MSG is event JSON");
        assert_eq!(back, event);
        assert_eq!(
            audit::leaf_hash(parsed.json.as_bytes()),
            event.leaf_hash().expect("valid")
        );
    }
}

/// `at` as RFC 3339 UTC with exactly three fractional digits.
fn expected_timestamp(at: Timestamp) -> String {
    // jiff writes whole seconds without a fraction; the seconds part is what we compare.
    let text = at.to_rfc3339();
    format!("{}.{:03}Z", &text[..19], at.as_millis().rem_euclid(1000))
}

fn tls_config(rsyslog: &Rsyslog, ca: &Ca) -> SyslogConfig {
    let mut config = SyslogConfig::new(format!("127.0.0.1:{}", rsyslog.port));
    config.server_name = Some("localhost".into());
    config.ca_pem = Some(ca.pem.clone());
    config.hostname = "gw-test".into();
    // Long enough that the tests only pass if batches follow one another without polling
    // and nudges work; short enough that a missed nudge does not hang a test.
    config.poll_interval_ms = 5_000;
    config.connect_timeout_secs = 5;
    config.write_timeout_secs = 5;
    config
}

// ------------------------------------------------------------------------------------------
// A feed in memory

#[derive(Default)]
struct MemFeedInner {
    events: Vec<AuditEvent>,
    cursor: Option<u64>,
}

#[derive(Clone, Default)]
struct MemFeed(Arc<Mutex<MemFeedInner>>);

impl MemFeed {
    fn with_events(seqs: std::ops::Range<u64>) -> Self {
        let feed = Self::default();
        feed.append(seqs);
        feed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemFeedInner> {
        self.0.lock().expect("feed lock")
    }

    fn append(&self, seqs: std::ops::Range<u64>) {
        let mut inner = self.lock();
        for seq in seqs {
            assert_eq!(inner.events.len() as u64, seq, "appended in order");
            inner.events.push(sample_event(seq));
        }
    }

    fn event(&self, seq: u64) -> AuditEvent {
        self.lock().events[seq as usize].clone()
    }

    fn canonical(&self, seq: u64) -> String {
        String::from_utf8(self.event(seq).canonical_bytes().expect("valid")).expect("utf-8")
    }

    fn cursor(&self) -> Option<u64> {
        self.lock().cursor
    }
}

#[async_trait]
impl AuditFeed for MemFeed {
    async fn events_after(
        &self,
        after_seq: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, FeedError> {
        let start = after_seq.map_or(0, |s| s as usize + 1);
        let inner = self.lock();
        Ok(inner
            .events
            .iter()
            .skip(start)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn load_cursor(&self) -> Result<Option<u64>, FeedError> {
        Ok(self.lock().cursor)
    }

    async fn save_cursor(&self, seq: u64) -> Result<(), FeedError> {
        self.lock().cursor = Some(seq);
        Ok(())
    }
}

/// Synthetic events (no PHI): several kinds, with and without tenant, subject and details.
fn sample_event(seq: u64) -> AuditEvent {
    let kinds = [
        EventKind::MessageSubmitted,
        EventKind::AuthLoginFailed,
        EventKind::DeliveryDelivered,
        EventKind::PortalOpened,
        EventKind::AdminConfigChanged,
    ];
    let kind = kinds[(seq % kinds.len() as u64) as usize];
    let mut event = AuditEvent::new(
        seq,
        Timestamp::from_millis(1_796_000_000_000 + seq as i64 * 1_001),
        Actor::User {
            id: id::<UserId>(seq + 1),
        },
        kind,
    )
    .with_source_ip(Ipv4Addr::new(192, 0, 2, (seq % 250) as u8 + 1).into())
    .with_detail("attempt", seq % 3)
    .with_detail("channel", "smtp");
    if seq % 5 != 4 {
        event = event
            .with_tenant(id::<TenantId>(1000 + seq % 2))
            .with_subject(Subject {
                message: Some(id::<MessageId>(5000 + seq)),
                ..Subject::default()
            });
    }
    event
}

fn id<T: FromStr>(n: u64) -> T
where
    T::Err: std::fmt::Debug,
{
    format!("00000000-0000-4000-8000-{n:012x}")
        .parse()
        .expect("uuid")
}

// ------------------------------------------------------------------------------------------
// The forwarder under test

struct Running {
    task: JoinHandle<()>,
    shutdown: watch::Sender<bool>,
    status: siem_syslog::StatusHandle,
    nudge: Arc<Notify>,
    plaintext: bool,
}

impl Running {
    fn start(config: SyslogConfig, feed: MemFeed) -> Self {
        let fwd = SyslogForwarder::new(config).expect("valid config");
        let status = fwd.status();
        let nudge = fwd.nudger();
        let plaintext = fwd.insecure_plaintext();
        let (shutdown, rx) = watch::channel(false);
        let task = tokio::spawn(fwd.run(Arc::new(feed), rx));
        Self {
            task,
            shutdown,
            status,
            nudge,
            plaintext,
        }
    }

    fn status(&self) -> SyslogStatus {
        self.status.snapshot()
    }

    /// Ask it to stop; it must stop promptly, even in a backoff wait.
    async fn stop(self) -> SyslogStatus {
        self.shutdown.send(true).expect("forwarder alive");
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("forwarder stops within 10 s")
            .expect("forwarder did not panic");
        self.status.snapshot()
    }
}

async fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait until every seq in `0..n` has arrived (repeats allowed); the carepost lines.
async fn wait_until_seqs(rsyslog: &Rsyslog, n: u64) -> Vec<String> {
    let mut lines = Vec::new();
    wait_until("all events at rsyslog", || {
        lines = rsyslog.lines();
        let seen: BTreeSet<u64> = lines.iter().map(|l| parse_line(l).seq).collect();
        (0..n).all(|s| seen.contains(&s))
    })
    .await;
    lines
}

// ------------------------------------------------------------------------------------------
// A test PKI

struct Ca {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

struct Leaf {
    cert_pem: String,
    key_pem: String,
}

impl Ca {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let key = KeyPair::generate().expect("ca key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(
            DnType::CommonName,
            format!(
                "carepost siem test CA {}",
                N.fetch_add(1, Ordering::Relaxed)
            ),
        );
        let cert = params.self_signed(&key).expect("ca cert");
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    fn leaf(&self, sans: &[&str]) -> Leaf {
        let key = KeyPair::generate().expect("leaf key");
        let params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("leaf params");
        let cert = params.signed_by(&key, &self.issuer).expect("leaf cert");
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

// ------------------------------------------------------------------------------------------
// A private rsyslogd

/// A per-test directory; kept (and its path printed) with `KEEP_TEST_DIRS=1`.
struct TestDir {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl TestDir {
    fn new(prefix: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .expect("temp dir");
        let path = dir.path().to_path_buf();
        Self {
            dir: Some(dir),
            path,
        }
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        if std::env::var("KEEP_TEST_DIRS").as_deref() == Ok("1")
            && let Some(dir) = self.dir.take()
        {
            let _ = writeln!(std::io::stderr(), "kept {}", dir.keep().display());
        }
    }
}

/// A free loopback port (bound, then released for rsyslog to bind).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

struct Rsyslog {
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl Rsyslog {
    /// rsyslogd with an RFC 5425 TLS listener (gtls, no client authentication) on `port`.
    fn start_tls(dir: &TestDir, leaf: &Leaf, port: u16) -> Self {
        Self::start_gtls(dir, leaf, None, port)
    }

    /// rsyslogd whose TLS listener requires a client certificate issued by `client_ca`.
    fn start_tls_client_auth(dir: &TestDir, leaf: &Leaf, client_ca: &Ca, port: u16) -> Self {
        Self::start_gtls(dir, leaf, Some(client_ca), port)
    }

    fn start_gtls(dir: &TestDir, leaf: &Leaf, client_ca: Option<&Ca>, port: u16) -> Self {
        let d = &dir.path;
        fs::write(d.join("server.pem"), &leaf.cert_pem).expect("write cert");
        fs::write(d.join("server.key"), &leaf.key_pem).expect("write key");
        // The CA file is what client certificates are checked against; with anonymous
        // client auth it is unused but must name a readable certificate.
        let ca_pem = client_ca.map_or(leaf.cert_pem.as_str(), |ca| ca.pem.as_str());
        fs::write(d.join("client-ca.pem"), ca_pem).expect("write ca");
        let global_tls = format!(
            "DefaultNetstreamDriver=\"gtls\"\n  \
             DefaultNetstreamDriverCAFile=\"{d}/client-ca.pem\"\n  \
             DefaultNetstreamDriverCertFile=\"{d}/server.pem\"\n  \
             DefaultNetstreamDriverKeyFile=\"{d}/server.key\"",
            d = d.display()
        );
        let authmode = if client_ca.is_some() {
            "x509/certvalid"
        } else {
            "anon"
        };
        let module = format!(
            "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" \
             StreamDriver.Authmode=\"{authmode}\")"
        );
        Self::start(d, port, &global_tls, &module)
    }

    /// rsyslogd with a plain TCP listener on `port`.
    fn start_plain(dir: &TestDir, port: u16) -> Self {
        Self::start(&dir.path, port, "", "module(load=\"imtcp\")")
    }

    fn start(dir: &Path, port: u16, global_extra: &str, module: &str) -> Self {
        let d = dir.display();
        fs::create_dir_all(dir.join("work")).expect("work dir");
        let conf = format!(
            r#"global(workDirectory="{d}/work" maxMessageSize="64k"
  {global_extra})
{module}
input(type="imtcp" port="{port}" address="127.0.0.1" ruleset="siem")
template(name="raw" type="list") {{ property(name="rawmsg") constant(value="\n") }}
template(name="fields" type="string"
  string="%pri%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\n")
ruleset(name="siem") {{
  action(type="omfile" file="{d}/raw.log" template="raw" flushOnTXEnd="on")
  action(type="omfile" file="{d}/fields.log" template="fields" flushOnTXEnd="on")
}}
"#
        );
        fs::write(dir.join("rsyslog.conf"), &conf).expect("write rsyslog.conf");
        let mut rsyslog = Self {
            dir: dir.to_path_buf(),
            port,
            child: None,
        };
        // A port `free_port` released can be taken again by another test (in this process
        // or another) before rsyslogd binds it; rsyslogd then runs on without a listener
        // while the other test's listener answers. Try a few fresh ports before failing.
        for _ in 0..5 {
            match rsyslog.try_restart() {
                Ok(()) => return rsyslog,
                Err(PortTaken) => {
                    rsyslog.port = free_port();
                    fs::write(
                        dir.join("rsyslog.conf"),
                        conf.replace(
                            &format!("port=\"{port}\""),
                            &format!("port=\"{}\"", rsyslog.port),
                        ),
                    )
                    .expect("write rsyslog.conf");
                }
            }
        }
        panic!("five ports in a row were taken by other processes");
    }

    /// Start rsyslogd (again) with the same configuration and output files, and wait until
    /// it listens.
    fn restart(&mut self) {
        if self.try_restart().is_err() {
            panic!("port {} was taken by another process", self.port);
        }
    }

    /// Start rsyslogd and wait until it (not another process) listens on the port.
    fn try_restart(&mut self) -> Result<(), PortTaken> {
        assert!(self.child.is_none(), "already running");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("rsyslogd.stderr"))
            .expect("stderr file");
        let child = Command::new(RSYSLOGD)
            .arg("-n")
            .arg("-f")
            .arg(self.dir.join("rsyslog.conf"))
            .arg("-i")
            .arg(self.dir.join("rsyslogd.pid"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("dup"))
            .stderr(log)
            .spawn()
            .expect("spawn rsyslogd");
        self.child = Some(child);
        let start = Instant::now();
        loop {
            let pid = self.child.as_ref().map(Child::id).expect("spawned");
            match listener_inode(self.port) {
                Some(inode) if process_owns_socket(pid, inode) => return Ok(()),
                // Someone else's listener: give rsyslogd a moment in case the other
                // listener is just closing, then give the port up.
                Some(_) if start.elapsed() > Duration::from_secs(3) => {
                    self.stop();
                    return Err(PortTaken);
                }
                _ => {}
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "rsyslogd exited with {status}: {}",
                    fs::read_to_string(self.dir.join("rsyslogd.stderr")).unwrap_or_default()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "rsyslogd did not listen on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stop rsyslogd (SIGTERM, then SIGKILL after 10 s) and wait for it to exit.
    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let start = Instant::now();
        while child.try_wait().ok().flatten().is_none() {
            if start.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The carepost lines received so far (rsyslog may add its own, e.g. for a garbled
    /// session; those are left out).
    fn lines(&self) -> Vec<String> {
        // Lossy: a garbled session (the plaintext test) leaves bytes that are not UTF-8.
        let bytes = fs::read(self.dir.join("raw.log")).unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| l.contains("[carepost@32473 "))
            .map(str::to_string)
            .collect()
    }

    async fn wait_for_lines(&self, n: usize) -> Vec<String> {
        let mut lines = Vec::new();
        wait_until(&format!("{n} lines at rsyslog"), || {
            lines = self.lines();
            lines.len() >= n
        })
        .await;
        lines
    }

    /// rsyslog's own RFC 5424 parser sees the fields we meant. (Its second action writes
    /// `fields.log` on its own schedule: under load it can lag `raw.log`, so wait for it.)
    async fn assert_parsed_by_rsyslog(&self, feed: &MemFeed, seqs: std::ops::Range<u64>) {
        let path = self.dir.join("fields.log");
        let want = seqs.clone().count();
        let mut text = String::new();
        wait_until("every event in rsyslog's fields.log", || {
            text = fs::read_to_string(&path).unwrap_or_default();
            text.lines().count() >= want
        })
        .await;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), seqs.clone().count());
        for (line, seq) in lines.iter().zip(seqs) {
            let event = feed.event(seq);
            let f: Vec<&str> = line.splitn(8, '|').collect();
            assert_eq!(f.len(), 8, "{line}");
            let severity = if event.kind == EventKind::AuthLoginFailed {
                4
            } else {
                5
            };
            assert_eq!(f[0], (80 + severity).to_string(), "PRI");
            assert_eq!(
                f[1],
                expected_timestamp(event.at),
                "TIMESTAMP as rsyslog read it"
            );
            assert_eq!(&f[2..6], ["gw-test", "carepost", "-", event.kind.as_str()]);
            assert!(
                f[6].starts_with(&format!("[carepost@32473 seq=\"{seq}\" ")),
                "{}",
                f[6]
            );
            assert_eq!(f[7], feed.canonical(seq), "MSG");
        }
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The port rsyslogd was to listen on is another process's.
struct PortTaken;
