//! Shared harness for the integration tests of the `carepost` binary.
//!
//! What it does: runs the real binary (`CARGO_BIN_EXE_carepost`) as a child process with
//! its own temp directory, config file and free loopback ports ([`Carepost`]); starts
//! private Postfix instances as receiving MTAs ([`postfix::PostfixPeer`]); drives SMTP by
//! hand ([`smtp::SmtpClient`]), with swaks ([`smtp::Swaks`]) and with Python's smtplib
//! (`scripts/smtp_load.py`).
//!
//! What it does not do: talk to anything but 127.0.0.0/8, or wait without a bound. Every
//! loop has a deadline; every process it starts is stopped in `Drop`, by PID.
//!
//! Tests that need the external peers (Postfix, swaks, Python) start with
//! `require_interop!()`, which returns early unless `CAREPOST_INTEROP=1`.
//! `KEEP_TEST_DIRS=1` keeps each test's temp directory (its path is printed).
#![allow(dead_code)] // each test binary uses a different subset of this harness

pub(crate) mod browser;
pub(crate) mod console;
pub(crate) mod http;
// The one MaxMind DB writer of the workspace's tests lives with the access crate's tests.
#[path = "../../../access/tests/support/mmdb_writer.rs"]
pub(crate) mod mmdb;
pub(crate) mod oidc;
// The /proc listener check is siem-syslog's tests' too; it lives with them.
pub(crate) mod portal;
pub(crate) mod postfix;
#[path = "../../../siem-syslog/tests/support/proc_listener.rs"]
mod proc_listener;
pub(crate) mod smtp;

use std::fs;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// The binary under test.
pub(crate) const CAREPOST: &str = env!("CARGO_BIN_EXE_carepost");

/// Role given to the test users created with `carepost user add`.
pub(crate) const USER_ROLE: &str = "sender";

/// Returns from the test early (with a note) unless the interop peers are enabled.
#[macro_export]
macro_rules! require_interop {
    () => {
        if !$crate::support::interop_enabled() {
            return;
        }
    };
}

/// True when `CAREPOST_INTEROP=1`. Panics when it is set but the peers cannot work here,
/// so a misconfigured CI fails loudly instead of silently skipping.
pub(crate) fn interop_enabled() -> bool {
    if std::env::var("CAREPOST_INTEROP").as_deref() != Ok("1") {
        println!("interop peers disabled (set CAREPOST_INTEROP=1)");
        return false;
    }
    // Private Postfix instances need root (`postfix -c DIR start`, smtp-sink -u postfix).
    let uid = run(Command::new("id").arg("-u"), Duration::from_secs(10)).stdout_text();
    assert_eq!(
        uid.trim(),
        "0",
        "CAREPOST_INTEROP=1 needs root (private Postfix instances are started with \
         `postfix -c DIR start`)"
    );
    for tool in [
        "postfix",
        "postconf",
        "smtp-sink",
        "smtp-source",
        "swaks",
        "openssl",
        "python3",
    ] {
        assert!(
            which(tool).is_some(),
            "CAREPOST_INTEROP=1 but `{tool}` is not installed (see docs/TESTING.md)"
        );
    }
    true
}

/// Absolute path of a program on PATH or in /usr/sbin (where Postfix's tools live).
pub(crate) fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    path.split(':')
        .chain(["/usr/sbin", "/sbin", "/usr/bin"])
        .map(|dir| Path::new(dir).join(tool))
        .find(|p| p.is_file())
}

/// The workspace root (for `scripts/`).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file in the workspace's `scripts/` directory.
pub(crate) fn script(name: &str) -> PathBuf {
    workspace_root().join("scripts").join(name)
}

// ------------------------------------------------------------------------------------------
// Temp directories, ports, waiting

/// A per-test temp directory under /tmp (short paths: Postfix puts UNIX sockets in it),
/// mode 0755 so Postfix's unprivileged daemons can reach their queue inside it.
pub(crate) struct TestDir {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl TestDir {
    pub(crate) fn new(prefix: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in("/tmp")
            .expect("create temp dir in /tmp");
        let path = dir.path().to_path_buf();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod temp dir");
        Self {
            dir: Some(dir),
            path,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        if std::env::var("KEEP_TEST_DIRS").as_deref() == Ok("1")
            && let Some(dir) = self.dir.take()
        {
            let kept = dir.keep();
            eprintln!("KEEP_TEST_DIRS=1: kept {}", kept.display());
        }
    }
}

static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());

/// A loopback TCP port that was free a moment ago (bound to 127.0.0.1:0, then released).
/// Ports are never handed out twice within one test process.
pub(crate) fn free_port() -> u16 {
    let mut handed = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..100 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("bind 127.0.0.1:0")
            .port();
        if !handed.contains(&port) {
            handed.push(port);
            return port;
        }
    }
    panic!("no free loopback port after 100 tries");
}

/// True once something accepts TCP connections on 127.0.0.1:port (polled, bounded).
pub(crate) fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Who listens on 127.0.0.1:`port` once `pid` has had `timeout` to bind it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PortListener {
    /// Process `pid` holds the listening socket.
    Own,
    /// Another process does: `free_port` released the port and someone else (another test
    /// binary running at the same time) took it before `pid` bound it. rsyslogd, for one, then
    /// runs on without a listener of its own.
    Other,
    /// No one listens.
    Nobody,
}

/// Waits (bounded by `timeout`) until process `pid` listens on 127.0.0.1:`port`, reading
/// /proc (no probing connection a daemon would log): the listener's socket inode must be one of
/// `pid`'s open files, not merely a listener on the port.
pub(crate) fn wait_for_own_listener(pid: u32, port: u16, timeout: Duration) -> PortListener {
    let deadline = Instant::now() + timeout;
    let mut last = PortListener::Nobody;
    while Instant::now() < deadline {
        last = match proc_listener::listener_inode(port) {
            Some(inode) if proc_listener::process_owns_socket(pid, inode) => {
                return PortListener::Own;
            }
            Some(_) => PortListener::Other,
            None => PortListener::Nobody,
        };
        std::thread::sleep(Duration::from_millis(50));
    }
    last
}

/// Polls `f` every `every` until it returns `Some`, for at most `timeout`; panics with
/// `what` (and the last value `describe` gives) on timeout.
pub(crate) fn wait_until<T>(
    what: &str,
    timeout: Duration,
    every: Duration,
    mut f: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(every);
    }
}

/// Like [`wait_until`], but returns `None` on timeout instead of panicking.
pub(crate) fn poll_for<T>(
    timeout: Duration,
    every: Duration,
    mut f: impl FnMut() -> Option<T>,
) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(every);
    }
}

/// A token unique to this process and moment, e.g. for canaries and message ids.
pub(crate) fn unique_token(prefix: &str) -> String {
    static COUNTER: Mutex<u64> = Mutex::new(0);
    let mut n = COUNTER.lock().unwrap_or_else(|e| e.into_inner());
    *n += 1;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{prefix}{:x}{:x}{:x}",
        std::process::id(),
        nanos & 0xffff_ffff_ffff,
        *n
    )
}

// ------------------------------------------------------------------------------------------
// Running commands with a time limit

/// Output of a finished command.
#[derive(Debug)]
pub(crate) struct CmdOutput {
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) timed_out: bool,
    pub(crate) command: String,
}

impl CmdOutput {
    pub(crate) fn success(&self) -> bool {
        !self.timed_out && self.status.is_some_and(|s| s.success())
    }

    pub(crate) fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    pub(crate) fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub(crate) fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// stdout followed by stderr.
    pub(crate) fn all_text(&self) -> String {
        format!("{}{}", self.stdout_text(), self.stderr_text())
    }

    /// Panics with the command and its output unless it succeeded.
    pub(crate) fn assert_success(&self) -> &Self {
        assert!(
            self.success(),
            "command failed: {}\n{}",
            self.command,
            self.describe()
        );
        self
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "$ {}\nexit: {:?}{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command,
            self.status,
            if self.timed_out {
                " (TIMED OUT, killed)"
            } else {
                ""
            },
            self.stdout_text(),
            self.stderr_text()
        )
    }
}

/// Runs `cmd` to completion with stdin closed, killing it after `timeout`.
pub(crate) fn run(cmd: &mut Command, timeout: Duration) -> CmdOutput {
    let command = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {command}: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("wait for {command}: {e}"),
        }
    };
    CmdOutput {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        timed_out,
        command,
    }
}

/// Sends SIGKILL to a child we started and reaps it (bounded by the kernel, not by us).
pub(crate) fn kill_child(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Sends SIGTERM to a child we started, waits up to `grace`, then SIGKILL.
pub(crate) fn terminate_child(child: &mut Child, grace: Duration) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_child(child);
}

// ------------------------------------------------------------------------------------------
// Files

/// Every regular file under `dir`, recursively (symlinks not followed).
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                todo.push(entry.path());
            } else if ft.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// True when `needle` occurs in `haystack`.
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Number of ESTABLISHED IPv4 TCP connections whose remote end is 127.0.0.1:`port`
/// (from /proc/net/tcp), i.e. connections some local client has open to that server.
pub(crate) fn established_connections_to(port: u16) -> usize {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return 0;
    };
    let remote = format!("0100007F:{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            cols.len() > 3 && cols[2] == remote && cols[3] == "01"
        })
        .count()
}

// ------------------------------------------------------------------------------------------
// The carepost binary

/// A `[[smtp.trusted_networks]]` entry.
#[derive(Clone, Debug)]
pub(crate) struct TrustedNetwork {
    pub(crate) cidr: String,
    pub(crate) name: String,
    pub(crate) allowed_senders: Vec<String>,
    pub(crate) insecure_allow_plaintext: bool,
}

impl TrustedNetwork {
    pub(crate) fn new(cidr: &str, allowed_senders: &[&str]) -> Self {
        Self {
            cidr: cidr.to_owned(),
            name: "test-device".to_owned(),
            allowed_senders: allowed_senders.iter().map(|s| (*s).to_owned()).collect(),
            insecure_allow_plaintext: false,
        }
    }
}

/// What goes into a test's carepost config file (the rest stays at its defaults).
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    /// `[delivery.routes]`: domain -> "host:port".
    pub(crate) routes: Vec<(String, String)>,
    /// `[delivery] extra_ca_file`.
    pub(crate) extra_ca_file: Option<PathBuf>,
    pub(crate) trusted_networks: Vec<TrustedNetwork>,
    /// `[database] url`; `None` = SQLite in the data dir.
    pub(crate) database_url: Option<String>,
    /// Extra TOML appended verbatim at the end.
    pub(crate) extra_toml: String,
    /// `[smtp] tls_cert_file` and `tls_key_file` (also the HTTPS listener's).
    pub(crate) tls_cert: Option<(PathBuf, PathBuf)>,
}

impl Config {
    /// Routes `domain` to a Postfix peer and trusts the peer's test CA.
    pub(crate) fn delivering_to(domain: &str, peer: &postfix::PostfixPeer) -> Self {
        Self {
            routes: vec![(domain.to_owned(), peer.addr())],
            extra_ca_file: Some(peer.ca_file()),
            ..Self::default()
        }
    }
}

/// One carepost installation: temp dir, config file, data dir, free ports, and (while
/// started) a `carepost serve` child process whose stdout/stderr are appended to
/// `stdout.log`/`stderr.log` in the temp dir.
pub(crate) struct Carepost {
    dir: TestDir,
    pub(crate) config_file: PathBuf,
    pub(crate) data_dir: PathBuf,
    pub(crate) submission_port: u16,
    pub(crate) submissions_port: u16,
    pub(crate) http_port: u16,
    pub(crate) stdout_log: PathBuf,
    pub(crate) stderr_log: PathBuf,
    /// Extra environment for `carepost serve` (e.g. `CAREPOST_LOG=debug`).
    pub(crate) serve_env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Carepost {
    /// Writes the config file; does not start anything.
    pub(crate) fn new(cfg: &Config) -> Self {
        let dir = TestDir::new("cp");
        let data_dir = dir.join("carepost-data");
        let config_file = dir.join("carepost.toml");
        let (submission_port, submissions_port, http_port) =
            (free_port(), free_port(), free_port());
        let mut toml = String::new();
        toml += &format!(
            "data_dir = {}\nhostname = \"localhost\"\n\n",
            quote_path(&data_dir)
        );
        if let Some(url) = &cfg.database_url {
            toml += &format!("[database]\nurl = {}\n\n", quote(url));
        }
        toml += &format!(
            "[smtp]\nsubmission_listen = \"127.0.0.1:{submission_port}\"\n\
             submissions_listen = \"127.0.0.1:{submissions_port}\"\n"
        );
        if let Some((cert, key)) = &cfg.tls_cert {
            toml += &format!(
                "tls_cert_file = {}\ntls_key_file = {}\n",
                quote_path(cert),
                quote_path(key)
            );
        }
        toml += "\n";
        for tn in &cfg.trusted_networks {
            let senders: Vec<String> = tn.allowed_senders.iter().map(|s| quote(s)).collect();
            toml += &format!(
                "[[smtp.trusted_networks]]\ncidr = {}\nname = {}\nallowed_senders = [{}]\n\
                 insecure_allow_plaintext = {}\n\n",
                quote(&tn.cidr),
                quote(&tn.name),
                senders.join(", "),
                tn.insecure_allow_plaintext
            );
        }
        toml += &format!("[http]\nlisten = \"127.0.0.1:{http_port}\"\n\n[delivery]\n");
        if let Some(ca) = &cfg.extra_ca_file {
            toml += &format!("extra_ca_file = {}\n", quote_path(ca));
        }
        toml += "\n[delivery.routes]\n";
        for (domain, target) in &cfg.routes {
            toml += &format!("{} = {}\n", quote(domain), quote(target));
        }
        toml += "\n";
        toml += &cfg.extra_toml;
        fs::write(&config_file, toml).expect("write carepost config");
        Self {
            stdout_log: dir.join("stdout.log"),
            stderr_log: dir.join("stderr.log"),
            dir,
            config_file,
            data_dir,
            submission_port,
            submissions_port,
            http_port,
            serve_env: Vec::new(),
            child: None,
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn config_text(&self) -> String {
        fs::read_to_string(&self.config_file).unwrap_or_default()
    }

    /// Starts `carepost serve --config FILE` and waits (bounded) until the submission
    /// port accepts connections. Panics with the captured logs if it exits or times out.
    pub(crate) fn start(&mut self) {
        assert!(self.child.is_none(), "carepost already started");
        let append = |p: &Path| {
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .expect("open log file")
        };
        let child = carepost_command()
            .arg("--config")
            .arg(&self.config_file)
            .arg("serve")
            .current_dir(self.dir.path())
            .envs(self.serve_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(append(&self.stdout_log))
            .stderr(append(&self.stderr_log))
            .spawn()
            .expect("spawn carepost serve");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(90);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.submission_port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
                return;
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                panic!(
                    "carepost serve exited ({status}) before listening on {addr}\n{}",
                    self.describe()
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "carepost serve did not listen on {addr} within 90 s\n{}",
                    self.describe()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// PID of the running `carepost serve`.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// `kill -9` the server and reap it.
    pub(crate) fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_child(&mut child);
        }
    }

    /// SIGTERM the server, SIGKILL after 10 s.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate_child(&mut child, Duration::from_secs(10));
        }
    }

    /// True while the server process is alive.
    pub(crate) fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Runs `carepost --config FILE ARGS...` (60 s limit).
    pub(crate) fn cli(&self, args: &[&str]) -> CmdOutput {
        run(
            carepost_command()
                .arg("--config")
                .arg(&self.config_file)
                .args(args)
                .current_dir(self.dir.path()),
            Duration::from_secs(60),
        )
    }

    /// Like [`Carepost::cli`], panicking (with the output) unless it succeeded.
    pub(crate) fn cli_ok(&self, args: &[&str]) -> CmdOutput {
        let out = self.cli(args);
        out.assert_success();
        out
    }

    /// `user add ADDRESS --role user`.
    pub(crate) fn add_user(&self, address: &str) {
        self.cli_ok(&["user", "add", address, "--role", USER_ROLE]);
    }

    /// `user app-password ADDRESS --label test`: the new app password (its only output).
    pub(crate) fn app_password(&self, address: &str) -> String {
        let out = self.cli_ok(&[
            "user",
            "app-password",
            address,
            "--label",
            "integration-test",
        ]);
        let pw = out.stdout_text().trim().to_owned();
        assert!(
            !pw.is_empty() && !pw.contains('\n'),
            "`user app-password` must print only the password on stdout\n{}",
            out.describe()
        );
        pw
    }

    /// Adds a user and returns a fresh app password for it.
    pub(crate) fn user_with_app_password(&self, address: &str) -> String {
        self.add_user(address);
        self.app_password(address)
    }

    /// `queue list --json --limit 100000` (one JSON object per line), as a JSON array.
    pub(crate) fn queue_json(&self) -> Value {
        let out = self.cli_ok(&["queue", "list", "--json", "--limit", "100000"]);
        parse_json_or_lines(&out)
    }

    /// `queue show ID --json`, parsed.
    pub(crate) fn queue_show_json(&self, id: &str) -> Value {
        let out = self.cli_ok(&["queue", "show", id, "--json"]);
        parse_json_or_lines(&out)
    }

    /// `audit search --kind KIND` (up to 10,000 events), as printed: one JSON event a line.
    pub(crate) fn audit_search(&self, kind: &str) -> String {
        self.cli_ok(&["audit", "search", "--kind", kind, "--limit", "10000"])
            .stdout_text()
    }

    /// The events of [`Carepost::audit_search`], parsed.
    pub(crate) fn audit_events(&self, kind: &str) -> Vec<Value> {
        self.audit_search(kind)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The whole audit trail (up to 10,000 events), one JSON event a line: for checking
    /// that no secret or PHI reached it.
    pub(crate) fn audit_trail(&self) -> String {
        self.cli_ok(&["audit", "search", "--limit", "10000"])
            .stdout_text()
    }

    /// `user list --json`, parsed (one object a person).
    pub(crate) fn users(&self) -> Vec<Value> {
        self.cli_ok(&["user", "list", "--json"])
            .stdout_text()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The id of the person with `address` (in any organisation).
    pub(crate) fn user_id(&self, address: &str) -> String {
        let users = self.users();
        users
            .iter()
            .find(|u| u["address"] == address)
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("{address} not in {users:?}"))
            .to_string()
    }

    /// `user reset-password ADDRESS`: the new one-time password (its only output).
    pub(crate) fn reset_password(&self, address: &str) -> String {
        self.cli_ok(&["user", "reset-password", address])
            .stdout_text()
            .trim()
            .to_string()
    }

    /// The first admin's generated password, which `serve` prints once on a new
    /// installation.
    pub(crate) fn first_admin_password(&self) -> String {
        let stdout = fs::read_to_string(&self.stdout_log).expect("stdout log");
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix("admin password:"))
            .map(|p| p.trim().to_string())
            .expect("serve printed the first admin's password")
    }

    /// Waits (bounded) until `queue list --json` shows at least `n` recipients with
    /// `status`; returns the listing.
    pub(crate) fn wait_for_status(&self, status: &str, n: usize, timeout: Duration) -> Value {
        let mut last = Value::Null;
        let got = poll_for(timeout, Duration::from_millis(500), || {
            last = self.queue_json();
            (count_status(&last, status) >= n).then(|| last.clone())
        });
        got.unwrap_or_else(|| {
            panic!(
                "timed out after {timeout:?} waiting for {n} queue entries with status \
                 {status:?}; last `queue list --json`:\n{}\n{}",
                serde_json::to_string_pretty(&last).unwrap_or_default(),
                self.describe()
            )
        })
    }

    /// Everything carepost wrote to stdout and stderr so far (all runs).
    pub(crate) fn logs(&self) -> Vec<u8> {
        let mut v = fs::read(&self.stdout_log).unwrap_or_default();
        v.extend(fs::read(&self.stderr_log).unwrap_or_default());
        v
    }

    /// Config and the tail of the logs, for failure messages.
    pub(crate) fn describe(&self) -> String {
        let tail = |p: &Path| {
            let s = fs::read_to_string(p).unwrap_or_default();
            let lines: Vec<&str> = s.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        };
        format!(
            "--- carepost config {} ---\n{}--- carepost stdout (tail) ---\n{}\n\
             --- carepost stderr (tail) ---\n{}",
            self.config_file.display(),
            self.config_text(),
            tail(&self.stdout_log),
            tail(&self.stderr_log)
        )
    }
}

impl Drop for Carepost {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// `carepost` with the environment cleaned of settings that would change what a test
/// means (`CAREPOST_CONFIG`, `CAREPOST_DATA_DIR`, `CAREPOST_LOG`).
pub(crate) fn carepost_command() -> Command {
    let mut cmd = Command::new(CAREPOST);
    cmd.env_remove("CAREPOST_CONFIG")
        .env_remove("CAREPOST_DATA_DIR")
        .env_remove("CAREPOST_LOG")
        .env("RUST_BACKTRACE", "1");
    cmd
}

fn quote(s: &str) -> String {
    // TOML basic string: JSON escaping is a valid subset.
    serde_json::to_string(s).expect("string serialises")
}

fn quote_path(p: &Path) -> String {
    quote(p.to_str().expect("test paths are UTF-8"))
}

/// One JSON document, or JSON lines collected into an array.
pub(crate) fn parse_json_or_lines(out: &CmdOutput) -> Value {
    if let Ok(v) = serde_json::from_slice::<Value>(&out.stdout) {
        return v;
    }
    let items: Result<Vec<Value>, _> = out
        .stdout_text()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str::<Value>)
        .collect();
    Value::Array(items.unwrap_or_else(|e| panic!("not JSON (lines): {e}\n{}", out.describe())))
}

// ------------------------------------------------------------------------------------------
// Reading `queue list --json` / `queue show --json` loosely
//
// The exact JSON shape belongs to the binary; these helpers only rely on field *names*
// (`status`, `id`, ...) anywhere in the document, so the tests survive reshaping.

/// Every (key, scalar-as-string) pair in the document, depth first.
pub(crate) fn json_fields(v: &Value) -> Vec<(String, String)> {
    fn walk(key: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, out)),
            Value::Array(items) => items.iter().for_each(|v| walk(key, v, out)),
            Value::String(s) => out.push((key.to_owned(), s.clone())),
            Value::Number(n) => out.push((key.to_owned(), n.to_string())),
            Value::Bool(b) => out.push((key.to_owned(), b.to_string())),
            Value::Null => {}
        }
    }
    let mut out = Vec::new();
    walk("", v, &mut out);
    out
}

/// `awaiting-portal`, `awaiting_portal` and `AwaitingPortal` compare equal.
pub(crate) fn normalize_status(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Number of `status` fields equal (normalised) to `status`.
pub(crate) fn count_status(v: &Value, status: &str) -> usize {
    let want = normalize_status(status);
    json_fields(v)
        .iter()
        .filter(|(k, val)| {
            k.to_ascii_lowercase().ends_with("status") && normalize_status(val) == want
        })
        .count()
}

/// The first value of a field with this exact name, anywhere in the document.
pub(crate) fn find_field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v {
        Value::Object(map) => map
            .get(name)
            .or_else(|| map.values().find_map(|child| find_field(child, name))),
        Value::Array(items) => items.iter().find_map(|child| find_field(child, name)),
        _ => None,
    }
}

/// The queue records (objects with a `status` field) of a listing, in order.
pub(crate) fn records(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(map) if map.contains_key("status") => out.push(v),
            Value::Object(map) => map.values().for_each(|c| walk(c, out)),
            Value::Array(items) => items.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

/// All values of `status` fields.
pub(crate) fn statuses(v: &Value) -> Vec<String> {
    json_fields(v)
        .into_iter()
        .filter(|(k, _)| k.to_ascii_lowercase().ends_with("status"))
        .map(|(_, v)| v)
        .collect()
}

/// The first id-like field (`id`, `message_id`, `recipient_id`, `queue_id`).
pub(crate) fn first_id(v: &Value) -> Option<String> {
    let fields = json_fields(v);
    ["id", "message_id", "queue_id", "recipient_id"]
        .iter()
        .find_map(|want| {
            fields
                .iter()
                .find(|(k, _)| k == want)
                .map(|(_, val)| val.clone())
        })
}

/// A TLS protocol version mentioned anywhere (`TLSv1.3`, `TLS1.2`, or a `tls*` field "1.3").
pub(crate) fn tls_version(v: &Value) -> Option<String> {
    json_fields(v).into_iter().find_map(|(k, val)| {
        let lv = val.to_ascii_lowercase().replace([' ', '_'], "");
        let by_value = lv.starts_with("tlsv1.") || lv.starts_with("tls1.");
        let by_key = k.to_ascii_lowercase().contains("tls") && (lv == "1.2" || lv == "1.3");
        (by_value || by_key).then_some(val)
    })
}

/// A certificate hash: a field whose name mentions `cert` (or `fingerprint`/`spki`)
/// holding at least 32 hex digits (separators and an `algo:` prefix allowed).
pub(crate) fn cert_hash(v: &Value) -> Option<String> {
    json_fields(v).into_iter().find_map(|(k, val)| {
        let lk = k.to_ascii_lowercase();
        let named = lk.contains("cert") || lk.contains("fingerprint") || lk.contains("spki");
        // Optional "sha256:" style prefix, then hex (with ':' separators) or base64.
        let body = match val.split_once(':') {
            Some((algo, rest))
                if algo.chars().all(|c| c.is_ascii_alphanumeric()) && algo.len() <= 10 =>
            {
                rest
            }
            _ => val.as_str(),
        };
        let hex_digits = body.chars().filter(char::is_ascii_hexdigit).count();
        let looks_hex = hex_digits >= 32
            && body
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '-');
        let looks_b64 = body.len() >= 40
            && body
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c));
        (named && (looks_hex || looks_b64)).then_some(val)
    })
}
