//! A private Postfix instance acting as the RECEIVING MTA of a test.
//!
//! Layout (all under one temp dir, mode 0755):
//!
//! ```text
//! conf/   main.cf, master.cf, cert.pem, key.pem      (postfix -c conf)
//! queue/  queue_directory (stays empty: nothing is queued, see below)
//! data/   data_directory (owned by postfix)
//! ca/     ca.pem (give this to carepost as extra_ca_file), ca.key
//! sink/   one file per received message (smtp-sink -d)
//! maillog Postfix's log (maillog_file): shows "TLS connection established from ..."
//! ```
//!
//! smtpd listens on 127.0.0.1:<port> (a free port picked at runtime) and hands every
//! transaction, before queueing, to `smtp-sink` on another free port through
//! `smtpd_proxy_filter` -- the same front as the bench's `conf/tlssink.*`. Postfix only
//! answers 250 to carepost after smtp-sink has the whole message, so a message carepost
//! considers delivered is already a file in `sink/`.
//!
//! TLS: a test CA (openssl) issues a leaf for `localhost` and `IP:127.0.0.1`; smtpd offers
//! STARTTLS (`smtpd_tls_security_level = may`), or not at all ([`PeerTls::Off`]), or with a
//! leaf whose name does not match ([`PeerTls::WrongName`]).
//!
//! Needs root (`postfix -c DIR start`; smtp-sink drops to the postfix user). `Drop` stops
//! the instance (`postfix -c DIR stop`, then SIGKILL of its master by PID if needed) and
//! its smtp-sink.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{TestDir, contains_bytes, free_port, kill_child, poll_for, run, wait_for_port, which};

/// How the peer's smtpd does TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PeerTls {
    /// STARTTLS offered, certificate for `localhost` + `IP:127.0.0.1` from the test CA.
    Offered,
    /// No STARTTLS in the EHLO reply.
    Off,
    /// STARTTLS offered, certificate from the test CA but only for `wrong-name.test`.
    WrongName,
}

/// One received message, as smtp-sink dumped it (its own `X-*`/`Received:` lines first).
#[derive(Clone, Debug)]
pub(crate) struct SinkMessage {
    pub(crate) path: PathBuf,
    pub(crate) bytes: Vec<u8>,
}

impl SinkMessage {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub(crate) fn contains(&self, needle: &str) -> bool {
        contains_bytes(&self.bytes, needle.as_bytes())
    }

    /// Values of `X-Carepost-Test-Id:` headers (scripts/smtp_load.py and the tests set it).
    pub(crate) fn test_ids(&self) -> Vec<String> {
        self.text()
            .lines()
            .take_while(|l| !l.is_empty())
            .filter_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("X-Carepost-Test-Id")
                    .then(|| value.trim().to_owned())
            })
            .collect()
    }

    /// True when the body's end marker (`END-OF-TEST-MESSAGE <id>`) arrived, i.e. this is
    /// not the remains of a transaction cut off mid-DATA.
    pub(crate) fn is_complete(&self) -> bool {
        self.contains("END-OF-TEST-MESSAGE")
    }
}

/// A running private Postfix instance plus its smtp-sink.
pub(crate) struct PostfixPeer {
    dir: TestDir,
    pub(crate) port: u16,
    pub(crate) sink_port: u16,
    pub(crate) tls: PeerTls,
    conf: PathBuf,
    sink: Option<Child>,
    started: bool,
    extra_main_cf: String,
}

impl PostfixPeer {
    /// Creates the instance and starts it; waits (bounded) until smtpd accepts.
    pub(crate) fn start(tls: PeerTls) -> Self {
        Self::start_with(tls, "")
    }

    /// Like [`PostfixPeer::start`], with extra main.cf lines (e.g. recipient restrictions).
    pub(crate) fn start_with(tls: PeerTls, extra_main_cf: &str) -> Self {
        let dir = TestDir::new("pf");
        let (port, sink_port) = (free_port(), free_port());
        let conf = dir.join("conf");
        for sub in ["conf", "queue", "ca"] {
            fs::create_dir_all(dir.join(sub)).expect("mkdir");
        }
        for sub in ["data", "sink"] {
            fs::create_dir_all(dir.join(sub)).expect("mkdir");
            chown_postfix(&dir.join(sub));
        }
        let mut peer = Self {
            dir,
            port,
            sink_port,
            tls,
            conf,
            sink: None,
            started: false,
            extra_main_cf: extra_main_cf.to_owned(),
        };
        // Certificates in every mode, so `ca_file()` always exists (with TLS off the test
        // is then purely "no STARTTLS offered", not "unreadable CA file").
        peer.make_certificates();
        peer.write_config();
        peer.start_sink();
        peer.start_postfix();
        peer
    }

    /// "127.0.0.1:<port>" (for `[delivery.routes]`).
    pub(crate) fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The test CA that issued the peer's certificate (for `[delivery] extra_ca_file`).
    pub(crate) fn ca_file(&self) -> PathBuf {
        self.dir.join("ca/ca.pem")
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// SHA-256 of the peer's leaf certificate (DER), lower-case hex without separators --
    /// what carepost records as `peer_cert_sha256`.
    pub(crate) fn leaf_cert_sha256(&self) -> String {
        let out = run(
            Command::new("openssl")
                .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
                .arg(self.conf.join("cert.pem")),
            Duration::from_secs(30),
        );
        out.assert_success();
        let text = out.stdout_text();
        let hex = text.split_once('=').map_or("", |(_, h)| h.trim());
        hex.replace(':', "").to_ascii_lowercase()
    }

    /// Postfix's log file.
    pub(crate) fn maillog(&self) -> String {
        fs::read_to_string(self.dir.join("maillog")).unwrap_or_default()
    }

    /// Inbound TLS sessions Postfix logged ("... TLS connection established from ...").
    pub(crate) fn tls_sessions(&self) -> usize {
        self.maillog()
            .lines()
            .filter(|l| l.contains("TLS connection established from"))
            .count()
    }

    /// Every message in the sink so far, oldest file name first.
    pub(crate) fn messages(&self) -> Vec<SinkMessage> {
        super::files_under(&self.dir.join("sink"))
            .into_iter()
            .filter_map(|path| {
                Some(SinkMessage {
                    bytes: fs::read(&path).ok()?,
                    path,
                })
            })
            .collect()
    }

    /// Waits (bounded) for a message containing `needle`; panics with the logs if none.
    pub(crate) fn wait_for_message(&self, needle: &str, timeout: Duration) -> SinkMessage {
        poll_for(timeout, Duration::from_millis(100), || {
            self.messages().into_iter().find(|m| m.contains(needle))
        })
        .unwrap_or_else(|| {
            panic!(
                "no message containing {needle:?} reached the Postfix peer within {timeout:?} \
                 ({} other messages)\n--- peer maillog ---\n{}",
                self.messages().len(),
                self.maillog()
            )
        })
    }

    /// Failure-message context.
    pub(crate) fn describe(&self) -> String {
        format!(
            "--- Postfix peer {} ({:?}): {} message(s) in sink ---\n{}",
            self.addr(),
            self.tls,
            self.messages().len(),
            self.maillog()
        )
    }

    // ---------------------------------------------------------------------------- setup

    fn make_certificates(&self) {
        let ca = self.dir.join("ca");
        let openssl = |args: &[&str]| {
            run(
                Command::new("openssl").args(args).current_dir(&ca),
                Duration::from_secs(60),
            )
            .assert_success();
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=carepost interop test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
        ]);
        let san = match self.tls {
            PeerTls::WrongName => "DNS:wrong-name.test",
            _ => "DNS:localhost,IP:127.0.0.1",
        };
        fs::write(
            ca.join("leaf.ext"),
            format!(
                "subjectAltName={san}\nbasicConstraints=CA:FALSE\n\
                 keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
            ),
        )
        .expect("write leaf.ext");
        openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
            "-out",
            "leaf.pem",
        ]);
        fs::copy(ca.join("leaf.pem"), self.conf.join("cert.pem")).expect("copy cert");
        fs::copy(ca.join("leaf.key"), self.conf.join("key.pem")).expect("copy key");
    }

    fn write_config(&self) {
        let d = self.dir.path().display();
        let tls = match self.tls {
            PeerTls::Off => "smtpd_tls_security_level = none\n".to_owned(),
            PeerTls::Offered | PeerTls::WrongName => format!(
                "smtpd_tls_security_level = may\n\
                 smtpd_tls_loglevel = 1\n\
                 smtpd_tls_cert_file = {d}/conf/cert.pem\n\
                 smtpd_tls_key_file = {d}/conf/key.pem\n\
                 smtpd_tls_session_cache_database = btree:${{data_directory}}/smtpd_scache\n"
            ),
        };
        let main_cf = format!(
            "# Private receiving MTA of a carepost integration test (see tests/support/postfix.rs)\n\
             compatibility_level = 3.6\n\
             queue_directory = {d}/queue\n\
             data_directory = {d}/data\n\
             maillog_file = {d}/maillog\n\
             maillog_file_prefixes = {d}\n\
             myhostname = peer.test\n\
             mydomain = peer.test\n\
             mydestination =\n\
             local_transport = error:local delivery disabled\n\
             alias_maps =\n\
             alias_database =\n\
             inet_interfaces = 127.0.0.1\n\
             inet_protocols = ipv4\n\
             mynetworks = 127.0.0.0/8\n\
             smtpd_relay_restrictions = permit_mynetworks, reject\n\
             smtpd_banner = $myhostname ESMTP\n\
             biff = no\n\
             {tls}\
             # Before-queue hand-off of every transaction to smtp-sink (dumps one file each).\n\
             smtpd_proxy_filter = 127.0.0.1:{sink}\n{extra}\n",
            sink = self.sink_port,
            extra = self.extra_main_cf
        );
        fs::write(self.conf.join("main.cf"), main_cf).expect("write main.cf");
        let master_cf = MASTER_CF.replace("{SMTPD}", &format!("127.0.0.1:{}", self.port));
        fs::write(self.conf.join("master.cf"), master_cf).expect("write master.cf");
    }

    fn start_sink(&mut self) {
        let log = |name: &str| fs::File::create(self.dir.join(name)).expect("create sink log");
        let sink = Command::new(which("smtp-sink").expect("smtp-sink installed"))
            .args(["-u", "postfix", "-d"])
            .arg(format!("{}/sink/%H%M%S.", self.dir.path().display()))
            .arg(format!("127.0.0.1:{}", self.sink_port))
            .arg("256")
            .stdin(Stdio::null())
            .stdout(log("smtp-sink.out"))
            .stderr(log("smtp-sink.err"))
            .spawn()
            .expect("spawn smtp-sink");
        self.sink = Some(sink);
        assert!(
            wait_for_port(self.sink_port, Duration::from_secs(15)),
            "smtp-sink did not listen on 127.0.0.1:{}: {}",
            self.sink_port,
            fs::read_to_string(self.dir.join("smtp-sink.err")).unwrap_or_default()
        );
    }

    fn start_postfix(&mut self) {
        let postfix = |action: &str| {
            run(
                Command::new(which("postfix").expect("postfix installed"))
                    .arg("-c")
                    .arg(&self.conf)
                    .arg(action),
                Duration::from_secs(60),
            )
        };
        // `check` creates the queue's subdirectories with the right owners.
        postfix("check").assert_success();
        let out = postfix("start");
        self.started = true;
        out.assert_success();
        assert!(
            wait_for_port(self.port, Duration::from_secs(30)),
            "Postfix peer did not listen on {}\n{}",
            self.addr(),
            self.describe()
        );
    }

    fn master_pid(&self) -> Option<u32> {
        fs::read_to_string(self.dir.join("queue/pid/master.pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for PostfixPeer {
    fn drop(&mut self) {
        if self.started {
            let master = self.master_pid();
            let _ = Command::new(which("postfix").unwrap_or_else(|| "postfix".into()))
                .arg("-c")
                .arg(&self.conf)
                .arg("stop")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if let Some(pid) = master {
                let gone = poll_for(Duration::from_secs(10), Duration::from_millis(50), || {
                    (!Path::new(&format!("/proc/{pid}")).exists()).then_some(())
                });
                if gone.is_none() {
                    let _ = Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status();
                }
            }
        }
        if let Some(mut sink) = self.sink.take() {
            kill_child(&mut sink);
        }
    }
}

fn chown_postfix(path: &Path) {
    run(
        Command::new("chown").arg("postfix").arg(path),
        Duration::from_secs(10),
    )
    .assert_success();
}

/// Upstream default master.cf services (chroot off), smtpd on `{SMTPD}` only; the same
/// as the bench's conf/tlssink.master.cf.
const MASTER_CF: &str = "\
# service type  private unpriv  chroot  wakeup  maxproc command + args
{SMTPD} inet    n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
";
