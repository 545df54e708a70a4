//! The server session: bytes in, [`Action`]s and reply bytes out.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use model::EmailAddress;

use crate::command::{self, Command, Path, SyntaxError};
use crate::config::{ConnectionInfo, SessionConfig};
use crate::data::DataReceiver;
use crate::reply::{Reply, write_code};

/// What the adapter must do next. Returned by [`Session::poll`].
#[derive(Debug)]
pub enum Action {
    /// Write [`Session::output`] to the peer, then read more bytes and [`Session::feed`]
    /// them.
    NeedInput,
    /// Verify credentials, then call [`Session::auth_verified`].
    VerifyAuth(AuthRequest),
    /// Decide whether this sender may be used (and whether a rate limit allows another
    /// message), then call [`Session::sender_checked`]. `None` is the null sender `<>`.
    CheckSender(Option<EmailAddress>),
    /// Commit the message durably, then call [`Session::delivered`].
    Deliver(Delivery),
    /// Write [`Session::output`] (it ends with `220 2.0.0 Ready to start TLS`), run the TLS
    /// handshake, then call [`Session::tls_established`]. Every byte received after the
    /// STARTTLS line was already discarded (`discarded` counts them, for logging): the
    /// adapter must not keep any plaintext of its own either (RFC 3207 section 4.2,
    /// CVE-2011-0411).
    StartTls {
        /// Bytes pipelined after STARTTLS and thrown away.
        discarded: usize,
    },
    /// Write [`Session::output`], then close the connection.
    Close,
}

/// A request to verify credentials (AUTH PLAIN or LOGIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// Which mechanism the client used.
    pub mechanism: AuthMechanism,
    /// The authentication identity (login).
    pub username: String,
    /// The password. Its `Debug` is redacted.
    pub secret: Secret,
}

/// SASL mechanisms we offer (after TLS only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMechanism {
    /// RFC 4616.
    Plain,
    /// The de-facto LOGIN mechanism (draft-murchison-sasl-login).
    Login,
}

/// A password. Prints as `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The password. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The adapter's answer to [`Action::VerifyAuth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVerdict {
    /// `235 2.7.0`: the client is authenticated for the rest of the session.
    Accepted,
    /// `535 5.7.8`: wrong credentials; counts toward `max_auth_attempts`.
    Refused,
    /// `454 4.7.0`: cannot verify now (backend down, throttled); not counted.
    Deferred,
}

/// A complete, accepted message to commit.
#[derive(Debug)]
pub struct Delivery {
    /// The envelope.
    pub transaction: Transaction,
    /// The message bytes, dot-unstuffed, lines ending in CRLF, without the final `.`.
    pub data: Vec<u8>,
}

/// The envelope of one mail transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// `None` for the null reverse-path `<>`.
    pub mail_from: Option<EmailAddress>,
    /// Accepted recipients, in order.
    pub recipients: Vec<EmailAddress>,
    /// `SMTPUTF8` was given on MAIL (RFC 6531).
    pub smtputf8: bool,
    /// `BODY=8BITMIME` was given on MAIL (RFC 6152).
    pub body_8bit: bool,
    /// The client's `SIZE=` estimate (RFC 1870), 0 if none.
    pub declared_size: usize,
}

/// Protocol states, each named for what it waits for.
#[derive(Debug)]
enum SessionState {
    /// Greeting sent; waits for EHLO or HELO.
    ExpectEhlo,
    /// Greeted; waits for MAIL (or AUTH, STARTTLS ...).
    ExpectMailFrom,
    /// Waits for the adapter's [`Session::sender_checked`].
    AwaitSenderCheck(Transaction),
    /// In a transaction; waits for RCPT or DATA.
    ExpectRcptOrData(Transaction),
    /// Reading the body.
    ExpectDataEnd(Transaction, DataReceiver),
    /// Waits for the adapter's [`Session::delivered`].
    AwaitDelivery,
    /// Sent a 334 challenge; waits for the client's SASL response line.
    ExpectAuthResponse(AuthStep),
    /// Waits for the adapter's [`Session::auth_verified`].
    AwaitAuthVerdict,
    /// Sent 220 to STARTTLS; waits for [`Session::tls_established`].
    AwaitTls,
    /// Done; no more input is read.
    Closed,
}

/// Where a multi-step AUTH exchange is.
#[derive(Debug)]
enum AuthStep {
    PlainResponse,
    LoginUsername,
    LoginPassword(String),
}

/// One SMTP server session. See the crate docs for the driving loop.
pub struct Session {
    config: Arc<SessionConfig>,
    conn: ConnectionInfo,
    state: SessionState,
    input: Vec<u8>,
    pos: usize,
    output: Vec<u8>,
    helo: Option<String>,
    esmtp: bool,
    tls: bool,
    authenticated: bool,
    errors: u32,
    auth_failures: u32,
    /// An over-long line was refused; skip bytes up to its LF.
    discarding_line: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("state", &self.state_name())
            .field("tls", &self.tls)
            .field("authenticated", &self.authenticated)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A new session; the greeting (`220 host ESMTP`) is already in [`Session::output`].
    pub fn new(config: Arc<SessionConfig>, conn: ConnectionInfo) -> Self {
        let mut output = Vec::with_capacity(512);
        // RFC 2034 section 3: the greeting carries no enhanced status code.
        Reply::new(220, "", format!("{} ESMTP carepost", config.hostname)).write_to(&mut output);
        Self {
            tls: conn.tls,
            config,
            conn,
            state: SessionState::ExpectEhlo,
            input: Vec::with_capacity(4096),
            pos: 0,
            output,
            helo: None,
            esmtp: false,
            authenticated: false,
            errors: 0,
            auth_failures: 0,
            discarding_line: false,
        }
    }

    /// Append bytes read from the peer. Ignored once the session is closed or while it
    /// waits for the TLS handshake.
    pub fn feed(&mut self, bytes: &[u8]) {
        if matches!(self.state, SessionState::Closed | SessionState::AwaitTls) {
            return;
        }
        if self.pos > 0 && self.pos == self.input.len() {
            self.input.clear();
            self.pos = 0;
        }
        self.input.extend_from_slice(bytes);
    }

    /// Reply bytes to send. Write them before reading again, then [`Session::clear_output`].
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// Forget the reply bytes once written.
    pub fn clear_output(&mut self) {
        self.output.clear();
    }

    /// Process buffered input until the adapter must act. Complete commands are handled in
    /// order (RFC 2920 pipelining); replies accumulate in order in [`Session::output`].
    pub fn poll(&mut self) -> Action {
        loop {
            match &mut self.state {
                SessionState::Closed => {
                    self.purge_input();
                    return Action::Close;
                }
                SessionState::AwaitSenderCheck(_)
                | SessionState::AwaitDelivery
                | SessionState::AwaitAuthVerdict
                | SessionState::AwaitTls => {
                    // The adapter polled without answering: a bug in the adapter. Fail
                    // closed rather than panic inside a network task.
                    debug_assert!(false, "poll() while waiting for the adapter's answer");
                    self.close(Reply::new(421, "4.3.0", "Internal error, closing"));
                }
                SessionState::ExpectDataEnd(_, rx) => {
                    let (used, done) = rx.consume(&self.input[self.pos..]);
                    self.pos += used;
                    if !done {
                        self.compact();
                        return Action::NeedInput;
                    }
                    let state = std::mem::replace(&mut self.state, SessionState::AwaitDelivery);
                    let SessionState::ExpectDataEnd(transaction, rx) = state else {
                        unreachable!("matched ExpectDataEnd above");
                    };
                    match rx.finish() {
                        Ok(data) => return Action::Deliver(Delivery { transaction, data }),
                        Err(reply) => {
                            self.state = SessionState::ExpectMailFrom;
                            self.reply(reply);
                        }
                    }
                }
                _ => {
                    let Some((start, end)) = self.next_line() else {
                        if matches!(self.state, SessionState::Closed) {
                            continue;
                        }
                        self.compact();
                        return Action::NeedInput;
                    };
                    // Take the buffer out so the line can be borrowed while handling it.
                    let input = std::mem::take(&mut self.input);
                    let action = self.handle_line(&input[start..end]);
                    self.input = input;
                    match action {
                        // The injection defence: nothing sent in plaintext after the
                        // STARTTLS line survives the switch.
                        Some(Action::StartTls { .. }) => {
                            let discarded = self.purge_input();
                            return Action::StartTls { discarded };
                        }
                        Some(action) => return action,
                        None => {}
                    }
                }
            }
        }
    }

    /// Answer to [`Action::CheckSender`]: `Ok` accepts the sender (`250 2.1.0`); `Err`
    /// sends the given refusal (e.g. [`Reply::sender_not_allowed`], [`Reply::rate_limited`]).
    pub fn sender_checked(&mut self, decision: Result<(), Reply>) {
        let state = std::mem::replace(&mut self.state, SessionState::ExpectMailFrom);
        let SessionState::AwaitSenderCheck(transaction) = state else {
            self.state = state;
            debug_assert!(false, "sender_checked() without CheckSender");
            return;
        };
        match decision {
            Ok(()) => {
                self.state = SessionState::ExpectRcptOrData(transaction);
                self.reply(Reply::new(250, "2.1.0", "Sender OK"));
            }
            Err(reply) => self.reply(reply),
        }
    }

    /// Answer to [`Action::Deliver`]: the reply to the end of DATA, normally
    /// [`Reply::queued`]. The transaction is over either way.
    pub fn delivered(&mut self, reply: Reply) {
        if !matches!(self.state, SessionState::AwaitDelivery) {
            debug_assert!(false, "delivered() without Deliver");
            return;
        }
        self.state = SessionState::ExpectMailFrom;
        self.reply(reply);
    }

    /// Answer to [`Action::VerifyAuth`].
    pub fn auth_verified(&mut self, verdict: AuthVerdict) {
        if !matches!(self.state, SessionState::AwaitAuthVerdict) {
            debug_assert!(false, "auth_verified() without VerifyAuth");
            return;
        }
        self.state = SessionState::ExpectMailFrom;
        match verdict {
            AuthVerdict::Accepted => {
                self.authenticated = true;
                self.reply(Reply::new(235, "2.7.0", "Authentication successful"));
            }
            AuthVerdict::Refused => self.auth_failed(),
            AuthVerdict::Deferred => {
                self.reply(Reply::new(454, "4.7.0", "Temporary authentication failure"))
            }
        }
    }

    /// The TLS handshake after STARTTLS succeeded. The session forgets everything learned
    /// before (RFC 3207 section 4.2) and waits for a new EHLO.
    pub fn tls_established(&mut self) {
        if !matches!(self.state, SessionState::AwaitTls) {
            debug_assert!(false, "tls_established() without StartTls");
            return;
        }
        self.purge_input();
        self.tls = true;
        self.helo = None;
        self.esmtp = false;
        self.authenticated = false;
        self.discarding_line = false;
        self.state = SessionState::ExpectEhlo;
    }

    /// End the session with `reply` (idle timeout, shutdown, rate limits); [`Session::poll`]
    /// returns [`Action::Close`] from now on.
    pub fn close(&mut self, reply: Reply) {
        self.reply_no_count(reply);
        self.state = SessionState::Closed;
        self.purge_input();
    }

    /// True between an accepted MAIL and the reply to the end of DATA (graceful shutdown
    /// lets these finish).
    pub fn in_transaction(&self) -> bool {
        matches!(
            self.state,
            SessionState::AwaitSenderCheck(_)
                | SessionState::ExpectRcptOrData(_)
                | SessionState::ExpectDataEnd(..)
                | SessionState::AwaitDelivery
        )
    }

    /// True once TLS is active (implicit, or after STARTTLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// True once AUTH succeeded.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// The EHLO/HELO argument (visible ASCII only), once greeted.
    pub fn helo(&self) -> Option<&str> {
        self.helo.as_deref()
    }

    /// True once the session is closed.
    pub fn is_closed(&self) -> bool {
        matches!(self.state, SessionState::Closed)
    }

    /// Name of the current state, for logs.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            SessionState::ExpectEhlo => "ExpectEhlo",
            SessionState::ExpectMailFrom => "ExpectMailFrom",
            SessionState::AwaitSenderCheck(_) => "AwaitSenderCheck",
            SessionState::ExpectRcptOrData(_) => "ExpectRcptOrData",
            SessionState::ExpectDataEnd(..) => "ExpectDataEnd",
            SessionState::AwaitDelivery => "AwaitDelivery",
            SessionState::ExpectAuthResponse(_) => "ExpectAuthResponse",
            SessionState::AwaitAuthVerdict => "AwaitAuthVerdict",
            SessionState::AwaitTls => "AwaitTls",
            SessionState::Closed => "Closed",
        }
    }

    // ── Line framing ──────────────────────────────────────────────────────────────────

    /// The next complete, well-formed command line as a range of `input` (CRLF removed).
    /// Malformed lines are answered here and skipped.
    fn next_line(&mut self) -> Option<(usize, usize)> {
        loop {
            if self.is_closed() {
                return None;
            }
            let buf = &self.input[self.pos..];
            let lf = buf.iter().position(|&b| b == b'\n');
            if self.discarding_line {
                match lf {
                    Some(i) => {
                        self.pos += i + 1;
                        self.discarding_line = false;
                        continue;
                    }
                    None => {
                        self.pos = self.input.len();
                        return None;
                    }
                }
            }
            let Some(i) = lf else {
                if buf.len() >= self.config.max_command_line {
                    self.pos = self.input.len();
                    self.discarding_line = true;
                    self.reply(Reply::new(500, "5.5.2", "Line too long"));
                    continue;
                }
                return None;
            };
            let start = self.pos;
            self.pos += i + 1;
            if i + 1 > self.config.max_command_line {
                self.reply(Reply::new(500, "5.5.2", "Line too long"));
                continue;
            }
            let line = &buf[..i];
            // Only CRLF ends a command; a bare CR or LF anywhere refuses the line
            // (RFC 5321 section 2.3.8), as does NUL.
            let Some(body) = line.strip_suffix(b"\r") else {
                self.reply(Reply::new(500, "5.5.2", "Syntax error: bare LF in command"));
                continue;
            };
            if body.contains(&b'\r') {
                self.reply(Reply::new(500, "5.5.2", "Syntax error: bare CR in command"));
                continue;
            }
            if body.contains(&0) {
                self.reply(Reply::new(500, "5.5.2", "Syntax error: NUL in command"));
                continue;
            }
            return Some((start, start + body.len()));
        }
    }

    fn compact(&mut self) {
        if self.pos == self.input.len() {
            self.input.clear();
            self.pos = 0;
        } else if self.pos > 0 && self.pos >= self.input.len() / 2 {
            self.input.drain(..self.pos);
            self.pos = 0;
        }
    }

    fn purge_input(&mut self) -> usize {
        // Saturating: `handle_line` runs while the buffer is taken out (and empty).
        let discarded = self.input.len().saturating_sub(self.pos);
        self.input.clear();
        self.pos = 0;
        discarded
    }

    // ── Commands ──────────────────────────────────────────────────────────────────────

    fn handle_line(&mut self, line: &[u8]) -> Option<Action> {
        if let SessionState::ExpectAuthResponse(_) = self.state {
            return self.handle_auth_response(line);
        }
        let cmd = match command::parse(line) {
            Ok(cmd) => cmd,
            Err(e) => {
                self.reply(syntax_reply(e));
                return None;
            }
        };
        match cmd {
            Command::Ehlo(host) => self.handle_helo(host, true),
            Command::Helo(host) => self.handle_helo(host, false),
            Command::Mail { path, params } => return self.handle_mail(path, params),
            Command::Rcpt { path, params } => self.handle_rcpt(path, params),
            Command::Data { has_args } => self.handle_data(has_args),
            Command::Rset => {
                if !matches!(self.state, SessionState::ExpectEhlo) {
                    self.state = SessionState::ExpectMailFrom;
                }
                self.reply(Reply::new(250, "2.0.0", "Ok"));
            }
            Command::Noop => self.reply(Reply::new(250, "2.0.0", "Ok")),
            Command::Quit => {
                self.close(Reply::new(221, "2.0.0", "Bye"));
                return Some(Action::Close);
            }
            Command::Help => self.reply(Reply::new(
                214,
                "2.0.0",
                "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT HELP VRFY STARTTLS AUTH",
            )),
            // RFC 5321 section 3.5.3: 252 when we will not verify.
            Command::Vrfy => self.reply(Reply::new(
                252,
                "2.0.0",
                "Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Command::StartTls { has_args } => return self.handle_starttls(has_args),
            Command::Auth { mechanism, initial } => return self.handle_auth(mechanism, initial),
            Command::NotImplemented => {
                self.reply(Reply::new(502, "5.5.1", "Command not implemented"))
            }
            Command::Unknown(_) => self.reply(Reply::new(
                500,
                "5.5.2",
                "Syntax error, command unrecognized",
            )),
        }
        None
    }

    fn handle_helo(&mut self, host: &str, esmtp: bool) {
        // RFC 5321 section 4.1.4: EHLO/HELO anywhere resets the transaction.
        self.state = SessionState::ExpectMailFrom;
        self.helo = Some(host.to_string());
        self.esmtp = esmtp;
        let out = &mut self.output;
        if !esmtp {
            // RFC 2034 section 3: no enhanced code in the HELO/EHLO reply.
            Reply::new(250, "", self.config.hostname.clone()).write_to(out);
            return;
        }
        let mut lines: Vec<&[u8]> = Vec::with_capacity(9);
        let size = format!("SIZE {}", self.config.max_message_size);
        lines.extend([
            self.config.hostname.as_bytes(),
            b"PIPELINING",
            size.as_bytes(),
            b"8BITMIME",
            b"SMTPUTF8",
            b"ENHANCEDSTATUSCODES",
        ]);
        if !self.tls && self.conn.starttls_available {
            lines.push(b"STARTTLS");
        }
        if self.tls {
            // RFC 8314 section 3 / RFC 4954 section 4: no AUTH over plaintext.
            lines.push(b"AUTH PLAIN LOGIN");
        }
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            write_code(out, 250, if i == last { b' ' } else { b'-' });
            out.extend_from_slice(line);
            out.extend_from_slice(b"\r\n");
        }
    }

    fn handle_mail(&mut self, path: Path<'_>, params: &str) -> Option<Action> {
        match self.state {
            SessionState::ExpectEhlo => {
                self.reply(bad_sequence("send EHLO first"));
                return None;
            }
            SessionState::ExpectRcptOrData(_) => {
                self.reply(bad_sequence("nested MAIL command"));
                return None;
            }
            _ => {}
        }
        if !self.authenticated {
            match self.conn.trusted {
                Some(t) if self.tls || t.insecure_allow_plaintext => {}
                Some(_) => {
                    self.reply(must_starttls());
                    return None;
                }
                None => {
                    self.reply(Reply::new(530, "5.7.0", "Authentication required"));
                    return None;
                }
            }
        }
        let mut tx = Transaction {
            mail_from: None,
            recipients: Vec::new(),
            smtputf8: false,
            body_8bit: false,
            declared_size: 0,
        };
        for (key, value) in command::params(params) {
            if !self.esmtp {
                self.reply(unsupported_parameter());
                return None;
            }
            match (key.to_ascii_uppercase().as_str(), value) {
                ("SIZE", Some(v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                    // An absurd number parses as "too big", never as an error of ours.
                    tx.declared_size = v.parse().unwrap_or(usize::MAX);
                }
                ("BODY", Some(v)) if v.eq_ignore_ascii_case("8BITMIME") => tx.body_8bit = true,
                ("BODY", Some(v)) if v.eq_ignore_ascii_case("7BIT") => tx.body_8bit = false,
                ("SMTPUTF8", None) => tx.smtputf8 = true,
                _ => {
                    self.reply(unsupported_parameter());
                    return None;
                }
            }
        }
        if tx.declared_size > self.config.max_message_size {
            self.reply(Reply::new(552, "5.3.4", "Message size exceeds fixed limit"));
            return None;
        }
        if let Path::Address(addr) = path {
            let Ok(addr) = EmailAddress::parse(addr) else {
                self.reply(Reply::new(501, "5.1.7", "Bad sender address syntax"));
                return None;
            };
            if addr.needs_smtputf8() && !tx.smtputf8 {
                self.reply(non_ascii_needs_smtputf8());
                return None;
            }
            tx.mail_from = Some(addr);
        }
        let sender = tx.mail_from.clone();
        self.state = SessionState::AwaitSenderCheck(tx);
        Some(Action::CheckSender(sender))
    }

    fn handle_rcpt(&mut self, path: Path<'_>, params: &str) {
        let SessionState::ExpectRcptOrData(tx) = &mut self.state else {
            self.reply(bad_sequence("need MAIL before RCPT"));
            return;
        };
        let smtputf8 = tx.smtputf8;
        if tx.recipients.len() >= self.config.max_recipients {
            self.reply(Reply::new(452, "4.5.3", "Too many recipients"));
            return;
        }
        if !params.is_empty() {
            self.reply(unsupported_parameter());
            return;
        }
        let Path::Address(addr) = path else {
            self.reply(Reply::new(501, "5.1.3", "Bad recipient address syntax"));
            return;
        };
        let Ok(addr) = EmailAddress::parse(addr) else {
            self.reply(Reply::new(501, "5.1.3", "Bad recipient address syntax"));
            return;
        };
        if addr.needs_smtputf8() && !smtputf8 {
            self.reply(non_ascii_needs_smtputf8());
            return;
        }
        tx.recipients.push(addr);
        self.reply(Reply::new(250, "2.1.5", "Recipient OK"));
    }

    fn handle_data(&mut self, has_args: bool) {
        if has_args {
            self.reply(Reply::new(
                501,
                "5.5.4",
                "Syntax error: DATA takes no parameters",
            ));
            return;
        }
        let state = std::mem::replace(&mut self.state, SessionState::ExpectMailFrom);
        let tx = match state {
            SessionState::ExpectRcptOrData(tx) if !tx.recipients.is_empty() => tx,
            other => {
                let need_mail = !matches!(other, SessionState::ExpectRcptOrData(_));
                self.state = other;
                self.reply(bad_sequence(if need_mail {
                    "need MAIL before DATA"
                } else {
                    "need RCPT before DATA"
                }));
                return;
            }
        };
        let rx = DataReceiver::new(
            self.config.max_message_size,
            self.config.max_data_line,
            tx.declared_size,
        );
        self.state = SessionState::ExpectDataEnd(tx, rx);
        // RFC 2034 section 3: 354 is intermediate and carries no enhanced code.
        self.reply(Reply::new(354, "", "End data with <CR><LF>.<CR><LF>"));
    }

    fn handle_starttls(&mut self, has_args: bool) -> Option<Action> {
        if has_args {
            self.reply(Reply::new(
                501,
                "5.5.4",
                "Syntax error: STARTTLS takes no parameters",
            ));
            return None;
        }
        if self.tls {
            self.reply(bad_sequence("TLS already active"));
            return None;
        }
        if !self.conn.starttls_available {
            self.reply(Reply::new(502, "5.5.1", "STARTTLS not available"));
            return None;
        }
        match self.state {
            SessionState::ExpectEhlo => {
                self.reply(bad_sequence("send EHLO first"));
                return None;
            }
            SessionState::ExpectMailFrom => {}
            _ => {
                self.reply(bad_sequence(
                    "STARTTLS not permitted during a mail transaction",
                ));
                return None;
            }
        }
        self.reply(Reply::new(220, "2.0.0", "Ready to start TLS"));
        self.state = SessionState::AwaitTls;
        // `poll` purges the input buffer and fills in the count.
        Some(Action::StartTls { discarded: 0 })
    }

    fn handle_auth(&mut self, mechanism: &str, initial: Option<&str>) -> Option<Action> {
        if !self.tls {
            self.reply(must_starttls());
            return None;
        }
        match self.state {
            SessionState::ExpectEhlo => {
                self.reply(bad_sequence("send EHLO first"));
                return None;
            }
            SessionState::ExpectMailFrom => {}
            _ => {
                self.reply(bad_sequence("AUTH not permitted during a mail transaction"));
                return None;
            }
        }
        if !self.esmtp {
            self.reply(bad_sequence("send EHLO first"));
            return None;
        }
        if self.authenticated {
            self.reply(bad_sequence("already authenticated"));
            return None;
        }
        let step = if mechanism.eq_ignore_ascii_case("PLAIN") {
            AuthStep::PlainResponse
        } else if mechanism.eq_ignore_ascii_case("LOGIN") {
            AuthStep::LoginUsername
        } else {
            self.reply(Reply::new(504, "5.5.4", "Unrecognized authentication type"));
            return None;
        };
        match initial {
            // RFC 4954 section 4: "=" is an empty initial response.
            Some(initial) => self.auth_step(step, initial.as_bytes()),
            None => {
                self.state = SessionState::ExpectAuthResponse(step);
                self.send_challenge();
                None
            }
        }
    }

    fn handle_auth_response(&mut self, line: &[u8]) -> Option<Action> {
        let state = std::mem::replace(&mut self.state, SessionState::ExpectMailFrom);
        let SessionState::ExpectAuthResponse(step) = state else {
            unreachable!("only called in ExpectAuthResponse");
        };
        if line == b"*" {
            self.reply(Reply::new(501, "5.7.0", "Authentication cancelled"));
            return None;
        }
        self.auth_step(step, line)
    }

    /// Feed one base64 SASL response into the exchange.
    fn auth_step(&mut self, step: AuthStep, response: &[u8]) -> Option<Action> {
        let decoded = if response == b"=" {
            Vec::new()
        } else {
            match BASE64.decode(response) {
                Ok(d) => d,
                Err(_) => {
                    self.reply(Reply::new(501, "5.5.2", "Invalid base64 data"));
                    return None;
                }
            }
        };
        match step {
            AuthStep::PlainResponse => {
                // RFC 4616 section 2: [authzid] NUL authcid NUL passwd.
                let mut parts = decoded.split(|&b| b == 0);
                let (Some(authzid), Some(authcid), Some(passwd), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    self.reply(Reply::new(501, "5.5.2", "Malformed AUTH PLAIN response"));
                    return None;
                };
                // We do not support acting for someone else.
                if !authzid.is_empty() && authzid != authcid {
                    self.auth_failed();
                    return None;
                }
                self.verify(AuthMechanism::Plain, authcid, passwd)
            }
            AuthStep::LoginUsername => {
                let Ok(username) = String::from_utf8(decoded) else {
                    self.reply(Reply::new(501, "5.5.2", "Malformed AUTH LOGIN response"));
                    return None;
                };
                self.state = SessionState::ExpectAuthResponse(AuthStep::LoginPassword(username));
                self.send_challenge();
                None
            }
            AuthStep::LoginPassword(username) => {
                self.verify(AuthMechanism::Login, username.as_bytes(), &decoded)
            }
        }
    }

    fn verify(&mut self, mechanism: AuthMechanism, user: &[u8], pass: &[u8]) -> Option<Action> {
        let (Ok(username), Ok(secret)) = (std::str::from_utf8(user), std::str::from_utf8(pass))
        else {
            self.reply(Reply::new(501, "5.5.2", "Credentials must be UTF-8"));
            return None;
        };
        if username.is_empty() {
            self.auth_failed();
            return None;
        }
        self.state = SessionState::AwaitAuthVerdict;
        Some(Action::VerifyAuth(AuthRequest {
            mechanism,
            username: username.to_string(),
            secret: Secret(secret.to_string()),
        }))
    }

    /// The 334 challenge for the current AUTH step.
    fn send_challenge(&mut self) {
        let text = match &self.state {
            SessionState::ExpectAuthResponse(AuthStep::LoginUsername) => "VXNlcm5hbWU6",
            SessionState::ExpectAuthResponse(AuthStep::LoginPassword(_)) => "UGFzc3dvcmQ6",
            _ => "",
        };
        self.output.extend_from_slice(b"334 ");
        self.output.extend_from_slice(text.as_bytes());
        self.output.extend_from_slice(b"\r\n");
    }

    fn auth_failed(&mut self) {
        self.auth_failures += 1;
        self.reply(Reply::new(
            535,
            "5.7.8",
            "Authentication credentials invalid",
        ));
        if self.auth_failures >= self.config.max_auth_attempts && !self.is_closed() {
            self.close(Reply::new(
                421,
                "4.7.0",
                "Too many authentication failures, closing",
            ));
        }
    }

    // ── Replies ───────────────────────────────────────────────────────────────────────

    /// Queue a reply; 5xx replies count toward `max_errors`.
    fn reply(&mut self, reply: Reply) {
        let is_error = reply.is_permanent();
        self.reply_no_count(reply);
        if is_error {
            self.errors += 1;
            if self.errors >= self.config.max_errors && !self.is_closed() {
                self.close(Reply::new(421, "4.7.0", "Too many errors, closing"));
            }
        }
    }

    fn reply_no_count(&mut self, reply: Reply) {
        if !self.is_closed() {
            reply.write_to(&mut self.output);
        }
    }
}

fn syntax_reply(e: SyntaxError) -> Reply {
    match e {
        SyntaxError::NotUtf8 => Reply::new(500, "5.5.2", "Syntax error: invalid UTF-8"),
        SyntaxError::BadHelo => Reply::new(501, "5.5.4", "Syntax: EHLO hostname"),
        SyntaxError::BadMailFrom => Reply::new(501, "5.5.4", "Syntax: MAIL FROM:<address>"),
        SyntaxError::BadRcptTo => Reply::new(501, "5.5.4", "Syntax: RCPT TO:<address>"),
        SyntaxError::BadAuth => {
            Reply::new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]")
        }
        SyntaxError::UnexpectedArguments => {
            Reply::new(501, "5.5.4", "Syntax error: no parameters allowed")
        }
    }
}

fn bad_sequence(why: &str) -> Reply {
    Reply::new(503, "5.5.1", format!("Bad sequence of commands: {why}"))
}

fn must_starttls() -> Reply {
    Reply::new(530, "5.7.0", "Must issue a STARTTLS command first")
}

fn unsupported_parameter() -> Reply {
    Reply::new(555, "5.5.4", "Unsupported parameter")
}

fn non_ascii_needs_smtputf8() -> Reply {
    // RFC 6531 section 3.6.
    Reply::new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8")
}
