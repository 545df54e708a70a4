//! SMTP clients for the tests: a raw line client over plain TCP (for exact protocol
//! probes such as AUTH before STARTTLS), swaks (STARTTLS, implicit TLS, AUTH, local
//! interface), smtp-source (Postfix's plain-SMTP load tool) and Python's smtplib
//! (`scripts/smtp_load.py`).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;

use super::{CmdOutput, run, script, which};

/// One SMTP reply (all lines of a multi-line reply).
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) code: u16,
    pub(crate) lines: Vec<String>,
}

impl Reply {
    /// Text of the first line after the code, e.g. "5.7.0 Authentication required".
    pub(crate) fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Enhanced status code of the first line ("5.7.0"), if present.
    pub(crate) fn enhanced(&self) -> Option<String> {
        let first = self.lines.first()?.get(4..)?;
        let token = first.split_whitespace().next()?;
        let parts: Vec<&str> = token.split('.').collect();
        (parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
            .then(|| token.to_owned())
    }

    pub(crate) fn is_positive(&self) -> bool {
        (200..400).contains(&self.code)
    }

    pub(crate) fn is_permanent_failure(&self) -> bool {
        (500..600).contains(&self.code)
    }
}

/// A plaintext SMTP client over TCP, one command at a time (no pipelining).
pub(crate) struct SmtpClient {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// Transcript for failure messages ("C: ..." / "S: ...").
    pub(crate) transcript: Vec<String>,
}

impl SmtpClient {
    /// Connects to 127.0.0.1:port and reads the greeting (10 s timeouts throughout).
    pub(crate) fn connect(port: u16) -> (Self, Reply) {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set read timeout");
        stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .expect("set write timeout");
        let writer = stream.try_clone().expect("clone stream");
        let mut client = Self {
            reader: BufReader::new(stream),
            writer,
            transcript: Vec::new(),
        };
        let greeting = client.reply();
        (client, greeting)
    }

    /// Reads one (possibly multi-line) reply; code 0 if the server closed or timed out.
    pub(crate) fn reply(&mut self) -> Reply {
        let mut lines = Vec::new();
        for _ in 0..200 {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    self.transcript
                        .push("S: <connection closed or timed out>".into());
                    return Reply { code: 0, lines };
                }
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']).to_owned();
            self.transcript.push(format!("S: {line}"));
            let last = line.as_bytes().get(3) != Some(&b'-');
            let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            lines.push(line);
            if last {
                return Reply { code, lines };
            }
        }
        Reply { code: 0, lines }
    }

    /// Sends one command line (CRLF added) and reads the reply.
    pub(crate) fn cmd(&mut self, line: &str) -> Reply {
        self.transcript.push(format!("C: {line}"));
        if self
            .writer
            .write_all(format!("{line}\r\n").as_bytes())
            .is_err()
        {
            self.transcript.push("C: <write failed>".into());
            return Reply {
                code: 0,
                lines: Vec::new(),
            };
        }
        self.reply()
    }

    /// `AUTH PLAIN <base64(\0user\0password)>`.
    pub(crate) fn auth_plain(&mut self, user: &str, password: &str) -> Reply {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
        self.cmd(&format!("AUTH PLAIN {token}"))
    }

    pub(crate) fn transcript(&self) -> String {
        self.transcript.join("\n")
    }
}

/// How swaks connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SwaksTls {
    /// `--tls`: STARTTLS required (swaks fails if it is not offered).
    Starttls,
    /// `--tlsc`: TLS on connect (the implicit-TLS submissions port).
    Implicit,
    /// Plain SMTP.
    None,
}

/// A swaks invocation (one message), run with a time limit.
#[derive(Clone, Debug)]
pub(crate) struct Swaks {
    pub(crate) port: u16,
    pub(crate) tls: SwaksTls,
    pub(crate) auth: Option<(String, String)>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) headers: Vec<String>,
    pub(crate) body: String,
    pub(crate) local_interface: Option<String>,
}

impl Swaks {
    pub(crate) fn new(port: u16, from: &str, to: &str) -> Self {
        Self {
            port,
            tls: SwaksTls::Starttls,
            auth: None,
            from: from.to_owned(),
            to: to.to_owned(),
            headers: Vec::new(),
            body: "Synthetic test message; no PHI.".to_owned(),
            local_interface: None,
        }
    }

    pub(crate) fn tls(mut self, tls: SwaksTls) -> Self {
        self.tls = tls;
        self
    }

    pub(crate) fn auth(mut self, user: &str, password: &str) -> Self {
        self.auth = Some((user.to_owned(), password.to_owned()));
        self
    }

    pub(crate) fn header(mut self, header: &str) -> Self {
        self.headers.push(header.to_owned());
        self
    }

    pub(crate) fn body(mut self, body: &str) -> Self {
        self.body = body.to_owned();
        self
    }

    pub(crate) fn local_interface(mut self, ip: &str) -> Self {
        self.local_interface = Some(ip.to_owned());
        self
    }

    pub(crate) fn run(&self) -> SwaksOutput {
        let mut cmd = Command::new(which("swaks").expect("swaks installed"));
        cmd.args(["--server", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--timeout", "20", "--helo", "client.test"])
            .args(["--from", &self.from, "--to", &self.to]);
        match self.tls {
            SwaksTls::Starttls => {
                cmd.arg("--tls");
            }
            SwaksTls::Implicit => {
                cmd.arg("--tlsc");
            }
            SwaksTls::None => {}
        }
        if let Some((user, password)) = &self.auth {
            cmd.args([
                "--auth",
                "PLAIN",
                "--auth-user",
                user,
                "--auth-password",
                password,
            ]);
        }
        if let Some(ip) = &self.local_interface {
            cmd.args(["--local-interface", ip]);
        }
        for h in &self.headers {
            cmd.args(["--header", h]);
        }
        cmd.args(["--body", &self.body]);
        SwaksOutput(run(&mut cmd, Duration::from_secs(90)))
    }
}

/// swaks' exit status and transcript. swaks marks server error replies with `<**`/`<~*`.
#[derive(Debug)]
pub(crate) struct SwaksOutput(pub(crate) CmdOutput);

impl SwaksOutput {
    pub(crate) fn success(&self) -> bool {
        self.0.success()
    }

    pub(crate) fn transcript(&self) -> String {
        self.0.all_text()
    }

    /// The first error reply swaks printed, without its marker: `<** 530 5.7.0 ...` in
    /// plaintext, `<~* 530 5.7.0 ...` inside TLS.
    pub(crate) fn error_reply(&self) -> Option<String> {
        self.transcript().lines().find_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("<**")
                .or_else(|| l.strip_prefix("<~*"))
                .map(|r| r.trim().to_owned())
        })
    }

    /// True when the first error reply has this basic code (e.g. 530) and, if given, this
    /// enhanced code class/subject (e.g. "5.7").
    pub(crate) fn refused_with(&self, code: u16, enhanced_prefix: Option<&str>) -> bool {
        let Some(reply) = self.error_reply() else {
            return false;
        };
        let mut words = reply.split_whitespace();
        let code_ok = words
            .next()
            .and_then(|c| c.get(..3))
            .and_then(|c| c.parse::<u16>().ok())
            == Some(code);
        let enh_ok = enhanced_prefix.is_none_or(|p| words.next().is_some_and(|e| e.starts_with(p)));
        code_ok && enh_ok
    }

    pub(crate) fn describe(&self) -> String {
        self.0.describe()
    }
}

/// `smtp-source`: one plain-SMTP session per message, no TLS, no AUTH.
pub(crate) fn smtp_source(port: u16, from: &str, to: &str, count: u32, subject: &str) -> CmdOutput {
    run(
        Command::new(which("smtp-source").expect("smtp-source installed"))
            .args([
                "-f",
                from,
                "-t",
                to,
                "-m",
                &count.to_string(),
                "-s",
                "1",
                "-l",
                "1024",
            ])
            .args(["-S", subject, "-M", "smtp-source.test"])
            .arg(format!("127.0.0.1:{port}")),
        Duration::from_secs(60),
    )
}

/// Options for `scripts/smtp_load.py` (Python smtplib).
#[derive(Clone, Debug)]
pub(crate) struct PyLoad {
    pub(crate) port: u16,
    pub(crate) tls: &'static str,
    pub(crate) auth: Option<(String, String)>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) tag: String,
    pub(crate) count: usize,
    pub(crate) connections: usize,
    pub(crate) subject: String,
    pub(crate) body_text: String,
    pub(crate) accepted_file: Option<std::path::PathBuf>,
    pub(crate) ids_file: Option<std::path::PathBuf>,
    pub(crate) deadline_secs: u64,
}

impl PyLoad {
    pub(crate) fn new(port: u16, from: &str, to: &str, tag: &str) -> Self {
        Self {
            port,
            tls: "starttls",
            auth: None,
            from: from.to_owned(),
            to: to.to_owned(),
            tag: tag.to_owned(),
            count: 1,
            connections: 1,
            subject: "smtp-load".to_owned(),
            body_text: String::new(),
            accepted_file: None,
            ids_file: None,
            deadline_secs: 300,
        }
    }

    /// Starts the script; the caller waits for (or kills) the child.
    pub(crate) fn command(&self) -> Command {
        let mut cmd = Command::new("python3");
        cmd.arg(script("smtp_load.py"))
            .args(["--port", &self.port.to_string(), "--tls", self.tls])
            .args(["--from", &self.from, "--to", &self.to, "--tag", &self.tag])
            .args(["--count", &self.count.to_string()])
            .args(["--connections", &self.connections.to_string()])
            .args(["--subject", &self.subject])
            .args(["--deadline", &self.deadline_secs.to_string()]);
        if !self.body_text.is_empty() {
            cmd.args(["--body-text", &self.body_text]);
        }
        if let Some((user, password)) = &self.auth {
            cmd.args(["--user", user, "--password", password]);
        }
        if let Some(f) = &self.accepted_file {
            cmd.arg("--accepted-file").arg(f);
        }
        if let Some(f) = &self.ids_file {
            cmd.arg("--ids-file").arg(f);
        }
        cmd
    }

    /// Runs it to completion (deadline + 60 s limit).
    pub(crate) fn run(&self) -> CmdOutput {
        run(
            &mut self.command(),
            Duration::from_secs(self.deadline_secs + 60),
        )
    }
}

/// Reads an accepted-ids file written by `scripts/smtp_load.py`.
pub(crate) fn read_ids(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
