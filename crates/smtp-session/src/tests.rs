//! Session transcripts, limits, and the smuggling attack table.

use std::sync::Arc;

use model::EmailAddress;
use proptest::prelude::*;

use crate::{
    Action, AuthMechanism, AuthRequest, AuthVerdict, ConnectionInfo, Delivery, Reply, Session,
    SessionConfig, TrustedClient,
};

/// Drives a session the way an adapter does, answering every action in memory.
struct Harness {
    s: Session,
    delivered: Vec<Delivery>,
    senders: Vec<Option<EmailAddress>>,
    auths: Vec<AuthRequest>,
    /// Refuse every sender with this reply.
    refuse_sender: Option<Reply>,
    starttls: Option<usize>,
    closed: bool,
    greeting: String,
}

impl Harness {
    fn with(config: SessionConfig, conn: ConnectionInfo) -> Self {
        let mut s = Session::new(Arc::new(config), conn);
        let greeting = String::from_utf8_lossy(s.output()).into_owned();
        s.clear_output();
        Self {
            s,
            greeting,
            delivered: Vec::new(),
            senders: Vec::new(),
            auths: Vec::new(),
            refuse_sender: None,
            starttls: None,
            closed: false,
        }
    }

    /// Plaintext port with STARTTLS, untrusted client.
    fn plaintext() -> Self {
        Self::with(
            SessionConfig::default(),
            ConnectionInfo {
                tls: false,
                starttls_available: true,
                trusted: None,
            },
        )
    }

    /// Implicit TLS, untrusted client.
    fn tls() -> Self {
        Self::with(
            SessionConfig::default(),
            ConnectionInfo {
                tls: true,
                ..Default::default()
            },
        )
    }

    /// Implicit TLS, untrusted, already authenticated and greeted.
    fn authenticated() -> Self {
        let mut h = Self::tls();
        h.run(b"EHLO client.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
        assert!(h.s.is_authenticated());
        h
    }

    /// Feed bytes, answer actions until the session needs input, return the replies.
    fn run(&mut self, input: &[u8]) -> String {
        self.s.feed(input);
        let mut out = Vec::new();
        loop {
            match self.s.poll() {
                Action::NeedInput => break,
                Action::Close => {
                    self.closed = true;
                    break;
                }
                Action::StartTls { discarded } => {
                    self.starttls = Some(discarded);
                    break;
                }
                Action::VerifyAuth(req) => {
                    let ok = req.secret.expose() == "right";
                    self.auths.push(req);
                    self.s.auth_verified(if ok {
                        AuthVerdict::Accepted
                    } else {
                        AuthVerdict::Refused
                    });
                }
                Action::CheckSender(sender) => {
                    self.senders.push(sender);
                    self.s.sender_checked(match &self.refuse_sender {
                        Some(r) => Err(r.clone()),
                        None => Ok(()),
                    });
                }
                Action::Deliver(d) => {
                    self.delivered.push(d);
                    self.s.delivered(Reply::queued(self.delivered.len()));
                }
            }
        }
        out.extend_from_slice(self.s.output());
        self.s.clear_output();
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The reply codes (first 3 chars + enhanced code) of each reply line, in order.
    fn codes(&mut self, input: &[u8]) -> Vec<String> {
        reply_codes(&self.run(input))
    }
}

fn reply_codes(out: &str) -> Vec<String> {
    out.split("\r\n")
        .filter(|l| l.len() >= 3 && l.as_bytes()[3] != b'-')
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("test address")
}

// ── Transcripts ──────────────────────────────────────────────────────────────────────

#[test]
fn full_submission_over_tls_with_auth_plain_is_delivered() {
    let mut h = Harness::tls();
    assert_eq!(h.greeting, "220 localhost ESMTP carepost\r\n");
    let ehlo = h.run(b"EHLO client.example\r\n");
    assert_eq!(
        ehlo,
        "250-localhost\r\n250-PIPELINING\r\n250-SIZE 26214400\r\n250-8BITMIME\r\n\
         250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 AUTH PLAIN LOGIN\r\n"
    );
    // base64("\0user\0right")
    assert_eq!(
        h.run(b"AUTH PLAIN AHVzZXIAcmlnaHQ=\r\n"),
        "235 2.7.0 Authentication successful\r\n"
    );
    assert_eq!(h.auths[0].mechanism, AuthMechanism::Plain);
    assert_eq!(h.auths[0].username, "user");
    assert_eq!(format!("{:?}", h.auths[0].secret), "[redacted]");
    assert_eq!(
        h.run(b"MAIL FROM:<jane@clinic.example> BODY=8BITMIME\r\n"),
        "250 2.1.0 Sender OK\r\n"
    );
    assert_eq!(
        h.run(b"RCPT TO:<dr@example.org>\r\n"),
        "250 2.1.5 Recipient OK\r\n"
    );
    assert_eq!(
        h.run(b"DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    assert_eq!(
        h.run(b"Subject: hi\r\n\r\n..dot\r\n.\r\n"),
        "250 2.0.0 Ok: queued as 1\r\n"
    );
    assert_eq!(h.run(b"QUIT\r\n"), "221 2.0.0 Bye\r\n");
    assert!(h.closed);
    let d = &h.delivered[0];
    assert_eq!(d.data, b"Subject: hi\r\n\r\n.dot\r\n");
    assert_eq!(d.transaction.mail_from, Some(addr("jane@clinic.example")));
    assert_eq!(d.transaction.recipients, vec![addr("dr@example.org")]);
    assert!(d.transaction.body_8bit && !d.transaction.smtputf8);
    assert_eq!(h.s.helo(), Some("client.example"));
}

#[test]
fn pipelined_commands_get_replies_in_order_in_one_write() {
    let mut h = Harness::authenticated();
    let codes = h.codes(
        b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\n\
          DATA\r\nhello\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n",
    );
    assert_eq!(
        codes,
        [
            "250 2.1.0",
            "250 2.1.5",
            "250 2.1.5",
            "354 End",
            "250 2.0.0",
            "250 2.0.0",
            "250 2.0.0",
            "221 2.0.0"
        ]
    );
    assert_eq!(h.delivered.len(), 1);
    assert!(h.closed);
}

#[test]
fn ehlo_offers_starttls_before_tls_and_auth_only_after() {
    let mut h = Harness::plaintext();
    let before = h.run(b"EHLO c.example\r\n");
    assert!(before.contains("250-STARTTLS\r\n") || before.contains("250 STARTTLS\r\n"));
    assert!(!before.contains("AUTH"));
    assert!(!before.contains("CHUNKING"));
    assert_eq!(h.run(b"STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
    h.s.tls_established();
    let after = h.run(b"EHLO c.example\r\n");
    assert!(after.contains("AUTH PLAIN LOGIN"));
    assert!(!after.contains("STARTTLS"));
    assert!(!after.contains("CHUNKING"));
}

#[test]
fn helo_gets_a_plain_reply_and_no_esmtp_parameters() {
    let mut h = Harness::with(
        SessionConfig::default(),
        ConnectionInfo {
            tls: true,
            trusted: Some(TrustedClient::default()),
            ..Default::default()
        },
    );
    assert_eq!(h.run(b"HELO old.example\r\n"), "250 localhost\r\n");
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> BODY=8BITMIME\r\n"),
        ["555 5.5.4"]
    );
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["250 2.1.0"]);
}

#[test]
fn simple_commands_answer_with_enhanced_codes() {
    let mut h = Harness::plaintext();
    assert_eq!(h.codes(b"NOOP\r\n"), ["250 2.0.0"]);
    assert_eq!(h.codes(b"RSET\r\n"), ["250 2.0.0"]);
    assert_eq!(h.codes(b"HELP\r\n"), ["214 2.0.0"]);
    assert_eq!(h.codes(b"VRFY someone\r\n"), ["252 2.0.0"]);
    assert_eq!(h.codes(b"EXPN staff\r\n"), ["502 5.5.1"]);
    assert_eq!(h.codes(b"BDAT 10 LAST\r\n"), ["502 5.5.1"]);
    assert_eq!(h.codes(b"FROB\r\n"), ["500 5.5.2"]);
    assert_eq!(h.codes(b"EHLO\r\n"), ["501 5.5.4"]);
}

// ── Ordering ─────────────────────────────────────────────────────────────────────────

#[test]
fn commands_out_of_order_get_503_bad_sequence() {
    let mut h = Harness::tls();
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["503 5.5.1"]);
    h.run(b"EHLO c.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    assert_eq!(h.codes(b"RCPT TO:<b@example.org>\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes(b"DATA\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["250 2.1.0"]);
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes(b"DATA\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes(b"AUTH PLAIN AHVzZXIAcmlnaHQ=\r\n"), ["503 5.5.1"]);
    assert!(
        h.auths.len() == 1,
        "AUTH inside a transaction is not verified"
    );
}

#[test]
fn rset_ends_the_transaction_but_keeps_authentication() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(h.codes(b"RSET\r\nDATA\r\n"), ["250 2.0.0", "503 5.5.1"]);
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["250 2.1.0"]);
}

// ── Authentication and authorisation ─────────────────────────────────────────────────

#[test]
fn auth_before_tls_is_refused_with_530_and_not_verified() {
    let mut h = Harness::plaintext();
    h.run(b"EHLO c.example\r\n");
    let out = h.run(b"AUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    assert_eq!(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
    assert!(h.auths.is_empty());
}

#[test]
fn mail_without_auth_from_an_untrusted_client_is_refused() {
    for mut h in [Harness::plaintext(), Harness::tls()] {
        h.run(b"EHLO c.example\r\n");
        let out = h.run(b"MAIL FROM:<a@clinic.example>\r\n");
        assert_eq!(out, "530 5.7.0 Authentication required\r\n");
        // ... so no RCPT can ever be accepted: no open relay.
        assert_eq!(h.codes(b"RCPT TO:<x@elsewhere.example>\r\n"), ["503 5.5.1"]);
        assert!(h.senders.is_empty());
    }
}

#[test]
fn trusted_client_sends_without_auth_over_tls() {
    let conn = ConnectionInfo {
        tls: true,
        trusted: Some(TrustedClient::default()),
        ..Default::default()
    };
    let mut h = Harness::with(SessionConfig::default(), conn);
    h.run(b"EHLO scanner\r\n");
    assert_eq!(
        h.codes(b"MAIL FROM:<scan@clinic.example>\r\n"),
        ["250 2.1.0"]
    );
    assert_eq!(h.senders, vec![Some(addr("scan@clinic.example"))]);
}

#[test]
fn trusted_client_without_tls_must_starttls_unless_plaintext_is_allowed() {
    let strict = ConnectionInfo {
        tls: false,
        starttls_available: true,
        trusted: Some(TrustedClient {
            insecure_allow_plaintext: false,
        }),
    };
    let mut h = Harness::with(SessionConfig::default(), strict);
    h.run(b"EHLO scanner\r\n");
    assert_eq!(
        h.run(b"MAIL FROM:<scan@clinic.example>\r\n"),
        "530 5.7.0 Must issue a STARTTLS command first\r\n"
    );

    let lax = ConnectionInfo {
        trusted: Some(TrustedClient {
            insecure_allow_plaintext: true,
        }),
        ..strict
    };
    let mut h = Harness::with(SessionConfig::default(), lax);
    h.run(b"EHLO scanner\r\n");
    assert_eq!(
        h.codes(b"MAIL FROM:<scan@clinic.example>\r\n"),
        ["250 2.1.0"]
    );
}

#[test]
fn refused_sender_gets_the_adapters_reply_and_no_transaction() {
    let mut h = Harness::authenticated();
    h.refuse_sender = Some(Reply::sender_not_allowed());
    assert_eq!(
        h.run(b"MAIL FROM:<boss@other.example>\r\nRCPT TO:<b@example.org>\r\n"),
        "553 5.7.1 Sender address not allowed for this login/device\r\n\
         503 5.5.1 Bad sequence of commands: need MAIL before RCPT\r\n"
    );
    h.refuse_sender = Some(Reply::rate_limited());
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["451 4.7.1"]);
}

#[test]
fn null_sender_is_passed_to_the_adapter_as_none() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<>\r\n");
    assert_eq!(h.senders, vec![None]);
}

#[test]
fn auth_login_works_in_steps_and_with_an_initial_response() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.run(b"AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(h.run(b"dXNlcg==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(h.codes(b"cmlnaHQ=\r\n"), ["235 2.7.0"]);
    assert_eq!(
        (h.auths[0].mechanism, h.auths[0].username.as_str()),
        (AuthMechanism::Login, "user")
    );

    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.run(b"AUTH LOGIN dXNlcg==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(h.codes(b"cmlnaHQ=\r\n"), ["235 2.7.0"]);
}

#[test]
fn auth_plain_without_initial_response_gets_an_empty_challenge() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.run(b"AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(h.codes(b"AHVzZXIAcmlnaHQ=\r\n"), ["235 2.7.0"]);
}

#[test]
fn auth_plain_with_the_empty_equals_form_is_malformed_not_verified() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.codes(b"AUTH PLAIN =\r\n"), ["501 5.5.2"]);
    assert!(h.auths.is_empty());
    // LOGIN with "=" is an empty user name, then the password prompt.
    assert_eq!(h.run(b"AUTH LOGIN =\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(h.codes(b"cmlnaHQ=\r\n"), ["535 5.7.8"]);
    assert!(
        h.auths.is_empty(),
        "an empty user name is refused without asking the adapter"
    );
}

#[test]
fn auth_can_be_cancelled_and_bad_base64_is_refused() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    h.run(b"AUTH LOGIN\r\n");
    assert_eq!(h.codes(b"*\r\n"), ["501 5.7.0"]);
    assert_eq!(h.codes(b"AUTH PLAIN !!!\r\n"), ["501 5.5.2"]);
    assert_eq!(h.codes(b"AUTH CRAM-MD5\r\n"), ["504 5.5.4"]);
    assert_eq!(h.codes(b"NOOP\r\n"), ["250 2.0.0"]);
}

#[test]
fn wrong_password_gets_535_and_proxy_authorization_is_refused() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    // base64("\0user\0wrong")
    assert_eq!(
        h.run(b"AUTH PLAIN AHVzZXIAd3Jvbmc=\r\n"),
        "535 5.7.8 Authentication credentials invalid\r\n"
    );
    // base64("admin\0user\0right"): authzid differs from authcid.
    assert_eq!(
        h.codes(b"AUTH PLAIN YWRtaW4AdXNlcgByaWdodA==\r\n"),
        ["535 5.7.8"]
    );
    assert_eq!(h.auths.len(), 1);
    assert!(!h.s.is_authenticated());
}

#[test]
fn third_auth_failure_closes_the_session_but_two_do_not() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    let bad = b"AUTH PLAIN AHVzZXIAd3Jvbmc=\r\n";
    h.run(bad);
    h.run(bad);
    assert!(!h.closed);
    assert_eq!(h.codes(bad), ["535 5.7.8", "421 4.7.0"]);
    assert!(h.closed);
}

#[test]
fn deferred_auth_verdict_gets_454_and_is_not_counted() {
    let mut h = Harness::tls();
    h.s.clear_output();
    h.s.feed(b"EHLO c.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    assert!(matches!(h.s.poll(), Action::VerifyAuth(_)));
    h.s.auth_verified(AuthVerdict::Deferred);
    assert!(matches!(h.s.poll(), Action::NeedInput));
    assert!(
        h.s.output()
            .ends_with(b"454 4.7.0 Temporary authentication failure\r\n")
    );
}

// ── Parameters ───────────────────────────────────────────────────────────────────────

#[test]
fn mail_parameters_are_checked() {
    let mut h = Harness::authenticated();
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> RET=HDRS\r\n"),
        ["555 5.5.4"]
    );
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> BODY=BINARYMIME\r\n"),
        ["555 5.5.4"]
    );
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> SIZE=abc\r\n"),
        ["555 5.5.4"]
    );
    assert_eq!(h.codes(b"MAIL FROM:<not an address>\r\n"), ["501 5.1.7"]);
    assert_eq!(
        h.codes(b"MAIL FROM:<j\xc3\xb6rg@clinic.example>\r\n"),
        ["553 5.6.7"]
    );
    assert_eq!(
        h.codes(b"MAIL FROM:<j\xc3\xb6rg@clinic.example> SMTPUTF8 BODY=8BITMIME SIZE=10\r\n"),
        ["250 2.1.0"]
    );
    assert_eq!(
        h.codes(b"RCPT TO:<b@example.org> NOTIFY=NEVER\r\n"),
        ["555 5.5.4"]
    );
    assert_eq!(h.codes(b"RCPT TO:<>\r\n"), ["501 5.1.3"]);
    assert_eq!(
        h.codes(b"RCPT TO:<\xc3\xbc@example.org>\r\n"),
        ["250 2.1.5"]
    );
    h.run(b"DATA\r\nx\r\n.\r\n");
    assert!(h.delivered[0].transaction.smtputf8);
    assert_eq!(h.delivered[0].transaction.declared_size, 10);
}

#[test]
fn non_ascii_recipient_needs_smtputf8_on_mail() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\n");
    assert_eq!(
        h.codes(b"RCPT TO:<\xc3\xbc@example.org>\r\n"),
        ["553 5.6.7"]
    );
}

// ── Limits: good case and bad case for each ──────────────────────────────────────────

#[test]
fn declared_size_over_the_limit_is_refused_at_mail() {
    let config = SessionConfig {
        max_message_size: 1000,
        ..Default::default()
    };
    let mut h = Harness::with(
        config,
        ConnectionInfo {
            tls: true,
            ..Default::default()
        },
    );
    h.run(b"EHLO c.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> SIZE=1000\r\n"),
        ["250 2.1.0"]
    );
    h.run(b"RSET\r\n");
    assert_eq!(
        h.run(b"MAIL FROM:<a@clinic.example> SIZE=1001\r\n"),
        "552 5.3.4 Message size exceeds fixed limit\r\n"
    );
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example> SIZE=99999999999999999999999\r\n"),
        ["552 5.3.4"]
    );
}

#[test]
fn message_over_the_size_limit_is_read_to_the_end_and_refused_with_552() {
    let config = SessionConfig {
        max_message_size: 1000,
        ..Default::default()
    };
    let mut h = Harness::with(
        config,
        ConnectionInfo {
            tls: true,
            ..Default::default()
        },
    );
    h.run(b"EHLO c.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    let line = [b'x'; 98];
    for _ in 0..10 {
        assert_eq!(h.run(&[&line[..], b"\r\n"].concat()), "");
    }
    // Exactly at the limit so far; one more byte is over it.
    assert_eq!(h.codes(b"y\r\n.\r\nNOOP\r\n"), ["552 5.3.4", "250 2.0.0"]);
    assert!(h.delivered.is_empty());
    // The good case: at the limit.
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    let body = [&line[..], b"\r\n"].concat().repeat(10);
    assert_eq!(h.codes(&[&body[..], b".\r\n"].concat()), ["250 2.0.0"]);
    assert_eq!(h.delivered[0].data.len(), 1000);
}

#[test]
fn data_line_over_the_limit_is_refused_at_the_end_of_data() {
    let config = SessionConfig {
        max_data_line: 50,
        ..Default::default()
    };
    let mut h = Harness::with(
        config,
        ConnectionInfo {
            tls: true,
            ..Default::default()
        },
    );
    h.run(b"EHLO c.example\r\nAUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    let long = [&[b'z'; 51][..], b"\r\n.\r\n"].concat();
    assert_eq!(h.codes(&long), ["554 5.6.0"]);
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    let ok = [&[b'z'; 50][..], b"\r\n.\r\n"].concat();
    assert_eq!(h.codes(&ok), ["250 2.0.0"]);
}

#[test]
fn command_line_over_the_limit_is_refused_and_skipped() {
    let config = SessionConfig {
        max_command_line: 64,
        ..Default::default()
    };
    let mut h = Harness::with(
        config,
        ConnectionInfo {
            tls: true,
            ..Default::default()
        },
    );
    let ok = [b"NOOP ", &[b'a'; 57][..], b"\r\n"].concat();
    assert_eq!(ok.len(), 64);
    assert_eq!(h.codes(&ok), ["250 2.0.0"]);
    let long = [b"NOOP ", &[b'a'; 58][..], b"\r\n"].concat();
    assert_eq!(h.codes(&long), ["500 5.5.2"]);
    // A line that never ends is cut off without buffering it, then skipped up to its LF.
    assert_eq!(h.codes(&[b'b'; 100]), ["500 5.5.2"]);
    assert_eq!(h.codes(&[b'b'; 100]), Vec::<String>::new());
    assert_eq!(h.codes(b"bbb\r\nNOOP\r\n"), ["250 2.0.0"]);
}

#[test]
fn recipient_over_the_limit_gets_452_and_the_rest_are_delivered() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\n");
    for i in 0..100 {
        let codes = h.codes(format!("RCPT TO:<r{i}@example.org>\r\n").as_bytes());
        assert_eq!(codes, ["250 2.1.5"], "recipient {i}");
    }
    assert_eq!(
        h.run(b"RCPT TO:<r100@example.org>\r\n"),
        "452 4.5.3 Too many recipients\r\n"
    );
    h.run(b"DATA\r\nx\r\n.\r\n");
    assert_eq!(h.delivered[0].transaction.recipients.len(), 100);
}

#[test]
fn tenth_error_closes_the_session_with_421_and_nine_do_not() {
    let mut h = Harness::plaintext();
    for _ in 0..9 {
        h.run(b"FROB\r\n");
    }
    assert!(!h.closed);
    assert_eq!(h.codes(b"FROB\r\nNOOP\r\n"), ["500 5.5.2", "421 4.7.0"]);
    assert!(h.closed);
    assert_eq!(h.run(b"NOOP\r\n"), "", "nothing is read after close");
}

// ── Framing and smuggling ────────────────────────────────────────────────────────────

#[test]
fn commands_with_bare_lf_bare_cr_or_nul_are_refused() {
    let mut h = Harness::authenticated();
    assert_eq!(h.codes(b"NOOP\n"), ["500 5.5.2"]);
    assert_eq!(h.codes(b"NOOP\rNOOP\r\n"), ["500 5.5.2"]);
    assert_eq!(h.codes(b"NO\0OP\r\n"), ["500 5.5.2"]);
    // The bare-LF-terminated MAIL is refused, so the RCPT after it has no transaction.
    assert_eq!(
        h.codes(b"MAIL FROM:<a@clinic.example>\nRCPT TO:<b@example.org>\r\n"),
        ["500 5.5.2", "503 5.5.1"]
    );
    assert!(h.senders.is_empty());
}

/// Each row: what the client sends inside DATA where a naive server might see an end.
/// After it come forged commands, then the real `<CR><LF>.<CR><LF>`.
const SMUGGLING_ROWS: &[(&str, &[u8], &str)] = &[
    ("bare LF does not end a line", b"\n", "5.6.0"),
    ("LF dot LF does not end data", b"\n.\n", "5.6.0"),
    ("LF dot CR LF does not end data", b"\n.\r\n", "5.6.0"),
    ("CR LF dot LF does not end data", b"\r\n.\n", "5.6.0"),
    ("CR dot CR does not end data", b"\r.\r", "5.6.0"),
    ("CR dot LF does not end data", b"\r.\n", "5.6.0"),
    (
        "CR LF dot CR then another byte does not end data",
        b"\r\n.\rX",
        "5.6.0",
    ),
    ("bare CR does not end a line", b"\r", "5.6.0"),
    (
        "CR LF dot CR CR LF does not end data",
        b"\r\n.\r\r\n",
        "5.6.0",
    ),
    ("NUL does not end data", b"\0", "5.6.0"),
    (
        "CR LF dot NUL CR LF does not end data",
        b"\r\n.\0\r\n",
        "5.6.0",
    ),
];

#[test]
fn smuggled_end_of_data_sequences_never_end_data_and_the_message_is_refused() {
    for &(name, variant, enhanced) in SMUGGLING_ROWS {
        for chunk in [usize::MAX, 1] {
            let mut h = Harness::authenticated();
            h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            let senders_before = h.senders.len();
            let attack = [
                b"Subject: x\r\n\r\nline1",
                variant,
                b"MAIL FROM:<evil@clinic.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n\
                  forged\r\n",
                b"\r\n.\r\n",
            ]
            .concat();
            let mut out = String::new();
            for piece in attack.chunks(chunk.min(attack.len())) {
                out.push_str(&h.run(piece));
            }
            assert_eq!(
                reply_codes(&out),
                [format!("554 {enhanced}")],
                "row: {name}"
            );
            assert!(h.delivered.is_empty(), "row {name}: nothing is queued");
            assert_eq!(
                h.senders.len(),
                senders_before,
                "row {name}: no forged MAIL was read"
            );
            // The session is back at ExpectMailFrom and still works.
            assert_eq!(h.codes(b"NOOP\r\n"), ["250 2.0.0"], "row: {name}");
        }
    }
}

#[test]
fn bare_cr_or_lf_reply_names_the_reason() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    assert_eq!(
        h.run(b"a\nb\r\n.\r\n"),
        "554 5.6.0 Message contains bare CR or LF\r\n"
    );
}

#[test]
fn data_after_the_smuggled_sequence_is_never_interpreted_as_commands() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    // Everything up to the real end is one (refused) body, including a QUIT.
    let out = h.run(b"hello\n.\nQUIT\r\nRSET\r\nMAIL FROM:<x@clinic.example>\r\n");
    assert_eq!(out, "", "still inside DATA");
    assert!(!h.closed);
    assert_eq!(h.codes(b".\r\n"), ["554 5.6.0"]);
}

#[test]
fn the_real_end_sequence_ends_data_and_what_follows_is_a_command() {
    let mut h = Harness::authenticated();
    h.run(b"MAIL FROM:<a@clinic.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    assert_eq!(
        h.codes(b"hello\r\n.\r\nNOOP\r\n"),
        ["250 2.0.0", "250 2.0.0"]
    );
    assert_eq!(h.delivered[0].data, b"hello\r\n");
}

#[test]
fn commands_pipelined_after_starttls_are_discarded() {
    let mut h = Harness::plaintext();
    h.run(b"EHLO c.example\r\n");
    let injected = b"MAIL FROM:<evil@clinic.example>\r\nRCPT TO:<v@example.org>\r\n";
    let out = h.run(&[&b"STARTTLS\r\n"[..], injected].concat());
    assert_eq!(out, "220 2.0.0 Ready to start TLS\r\n");
    assert_eq!(h.starttls, Some(injected.len()));
    // Bytes arriving before the handshake finishes are ignored too.
    h.s.feed(b"NOOP\r\n");
    h.s.tls_established();
    assert!(h.s.is_tls());
    assert!(h.senders.is_empty());
    // The session starts over: EHLO is needed again.
    assert_eq!(h.codes(b"MAIL FROM:<a@clinic.example>\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes(b"EHLO c.example\r\n"), ["250 AUTH"]);
}

#[test]
fn starttls_is_refused_when_unavailable_already_active_or_mid_transaction() {
    let mut h = Harness::tls();
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.codes(b"STARTTLS\r\n"), ["503 5.5.1"]);
    let mut h = Harness::with(SessionConfig::default(), ConnectionInfo::default());
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.codes(b"STARTTLS\r\n"), ["502 5.5.1"]);
    let mut h = Harness::plaintext();
    assert_eq!(h.codes(b"STARTTLS\r\n"), ["503 5.5.1"]);
    h.run(b"EHLO c.example\r\n");
    assert_eq!(h.codes(b"STARTTLS now\r\n"), ["501 5.5.4"]);
}

#[test]
fn close_sends_the_reply_and_stops_reading() {
    let mut h = Harness::plaintext();
    h.s.close(Reply::idle_timeout());
    assert_eq!(
        h.run(b"NOOP\r\n"),
        "421 4.4.2 Idle timeout, closing connection\r\n"
    );
    assert!(h.closed);
}

#[test]
fn in_transaction_is_true_from_mail_to_the_end_of_data() {
    let mut h = Harness::authenticated();
    assert!(!h.s.in_transaction());
    h.run(b"MAIL FROM:<a@clinic.example>\r\n");
    assert!(h.s.in_transaction());
    h.run(b"RCPT TO:<b@example.org>\r\nDATA\r\npart");
    assert!(h.s.in_transaction());
    h.run(b"\r\n.\r\n");
    assert!(!h.s.in_transaction());
}

// ── Never panics ─────────────────────────────────────────────────────────────────────

const TOKENS: &[&[u8]] = &[
    b"EHLO x\r\n",
    b"HELO x\r\n",
    b"MAIL FROM:<a@b.example>\r\n",
    b"MAIL FROM:<>\r\n",
    b"RCPT TO:<c@d.example>\r\n",
    b"DATA\r\n",
    b"\r\n.\r\n",
    b".\r\n",
    b"\n.\n",
    b"\r",
    b"\n",
    b"\0",
    b".",
    b"..",
    b"AUTH PLAIN AHVzZXIAcmlnaHQ=\r\n",
    b"AUTH LOGIN\r\n",
    b"dXNlcg==\r\n",
    b"*\r\n",
    b"=\r\n",
    b"STARTTLS\r\n",
    b"RSET\r\n",
    b"QUIT\r\n",
    b"NOOP\r\n",
    b" SIZE=9\r\n",
    b"\xff\xfe",
    b"\xc3\xa9",
];

fn drive_to_completion(config: SessionConfig, conn: ConnectionInfo, pieces: &[Vec<u8>]) {
    let mut h = Harness::with(config, conn);
    for piece in pieces {
        h.run(piece);
        if h.starttls.take().is_some() {
            h.s.tls_established();
        }
        if h.closed {
            break;
        }
    }
}

proptest! {
    #[test]
    fn never_panics_on_random_bytes(pieces in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20), tls: bool, trusted: bool) {
        let conn = ConnectionInfo { tls, starttls_available: !tls, trusted: trusted.then(TrustedClient::default) };
        let config = SessionConfig { max_command_line: 64, max_data_line: 40, max_message_size: 500, max_recipients: 3, ..Default::default() };
        drive_to_completion(config, conn, &pieces);
    }

    #[test]
    fn never_panics_on_random_command_sequences(idx in prop::collection::vec(prop::collection::vec(0..TOKENS.len(), 1..8), 0..40), tls: bool, trusted: bool) {
        let conn = ConnectionInfo { tls, starttls_available: !tls, trusted: trusted.then(TrustedClient::default) };
        let pieces: Vec<Vec<u8>> = idx.iter().map(|p| p.iter().flat_map(|&i| TOKENS[i].iter().copied()).collect()).collect();
        drive_to_completion(SessionConfig::default(), conn, &pieces);
    }
}
