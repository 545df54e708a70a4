//! No open relay, no credentials in clear. Pairs: an authenticated session submits (see
//! delivery.rs); without AUTH from a non-trusted address, MAIL/RCPT are refused; AUTH
//! before STARTTLS is refused and not even advertised; a wrong app password gets 535.
//!
//! The raw-protocol tests need only the binary and run in the default `cargo test`; the
//! swaks ones need CAREPOST_INTEROP=1.

mod support;

use std::time::Duration;

use support::smtp::{SmtpClient, Swaks, SwaksTls};
use support::{Carepost, Config, TrustedNetwork, records};

const USER: &str = "alice@clinic.test";

/// carepost with no trusted networks (or one that does not cover 127.0.0.1) and one user.
fn server(trusted: Option<&str>) -> (Carepost, String) {
    let mut cfg = Config::default();
    if let Some(cidr) = trusted {
        cfg.trusted_networks
            .push(TrustedNetwork::new(cidr, &["@clinic.test"]));
    }
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(USER);
    (cp, password)
}

fn assert_queue_empty(cp: &Carepost) {
    let q = cp.queue_json();
    assert!(records(&q).is_empty(), "nothing may be queued: {q:#}");
}

#[test]
fn unauthenticated_plaintext_mail_from_an_untrusted_address_is_refused() {
    // 127.0.0.1 is not trusted here (only 10.9.8.0/24 is).
    let (cp, _) = server(Some("10.9.8.0/24"));
    let (mut c, greeting) = SmtpClient::connect(cp.submission_port);
    assert_eq!(greeting.code, 220, "{}", c.transcript());
    assert_eq!(
        c.cmd("EHLO relay-probe.test").code,
        250,
        "{}",
        c.transcript()
    );
    let mail = c.cmd("MAIL FROM:<spammer@evil.test>");
    let rcpt = c.cmd("RCPT TO:<victim@elsewhere.test>");
    let data = c.cmd("DATA");
    assert!(
        mail.is_permanent_failure() || rcpt.is_permanent_failure(),
        "MAIL or RCPT must be refused with 5xx without AUTH:\n{}",
        c.transcript()
    );
    assert_ne!(
        data.code,
        354,
        "DATA must not be accepted:\n{}",
        c.transcript()
    );
    let refused = if mail.is_permanent_failure() {
        &mail
    } else {
        &rcpt
    };
    assert!(
        refused.enhanced().is_some_and(|e| e.starts_with("5.7.")),
        "refusal should carry a 5.7.x enhanced code:\n{}",
        c.transcript()
    );
    c.cmd("QUIT");
    assert_queue_empty(&cp);
}

#[test]
fn auth_before_starttls_is_not_advertised_and_is_refused() {
    let (cp, password) = server(None);
    let (mut c, greeting) = SmtpClient::connect(cp.submission_port);
    assert_eq!(greeting.code, 220);
    let ehlo = c.cmd("EHLO auth-probe.test");
    assert_eq!(ehlo.code, 250, "{}", c.transcript());
    assert!(
        ehlo.lines
            .iter()
            .any(|l| l.to_ascii_uppercase().contains("STARTTLS")),
        "submission port must offer STARTTLS:\n{}",
        c.transcript()
    );
    assert!(
        !ehlo.lines.iter().any(|l| l
            .get(4..)
            .is_some_and(|w| w.to_ascii_uppercase().starts_with("AUTH"))),
        "AUTH must not be advertised before STARTTLS (a client would send its password in clear):\n{}",
        c.transcript()
    );
    // Even with the right password, AUTH in clear is refused.
    let auth = c.auth_plain(USER, &password);
    assert!(
        auth.is_permanent_failure(),
        "AUTH before STARTTLS must be refused with 5xx (530 5.7.0 or 538 5.7.11):\n{}",
        c.transcript()
    );
    assert!(
        auth.enhanced().is_some_and(|e| e.starts_with("5.7.")),
        "{}",
        c.transcript()
    );
    // And the session is still not authenticated.
    let mail = c.cmd(&format!("MAIL FROM:<{USER}>"));
    let rcpt = c.cmd("RCPT TO:<someone@elsewhere.test>");
    assert!(
        mail.is_permanent_failure() || rcpt.is_permanent_failure(),
        "after a refused AUTH the session must not relay:\n{}",
        c.transcript()
    );
    c.cmd("QUIT");
    assert_queue_empty(&cp);
}

#[test]
fn unauthenticated_starttls_session_from_an_untrusted_address_is_refused() {
    require_interop!();
    let (cp, _) = server(None);
    let out = Swaks::new(
        cp.submission_port,
        "spammer@evil.test",
        "victim@elsewhere.test",
    )
    .tls(SwaksTls::Starttls)
    .run();
    assert!(
        !out.success(),
        "must not relay without AUTH\n{}",
        out.describe()
    );
    let reply = out.error_reply().unwrap_or_default();
    assert!(
        reply.starts_with('5') && reply.contains(" 5.7."),
        "expected 5xx 5.7.x, got {reply:?}\n{}",
        out.describe()
    );
    assert_queue_empty(&cp);
}

#[test]
fn wrong_app_password_is_refused_with_535() {
    require_interop!();
    let (cp, password) = server(None);
    let wrong = format!("{password}x");
    let out = Swaks::new(cp.submission_port, USER, "bob@dest.test")
        .tls(SwaksTls::Starttls)
        .auth(USER, &wrong)
        .run();
    assert!(
        !out.success(),
        "wrong password must fail\n{}",
        out.describe()
    );
    assert!(
        out.refused_with(535, Some("5.7.8")),
        "expected 535 5.7.8, got {:?}\n{}",
        out.error_reply(),
        out.describe()
    );
    assert_queue_empty(&cp);
}

#[test]
fn implicit_tls_port_does_not_speak_plaintext() {
    let (cp, _) = server(None);
    // A plaintext client on the implicit-TLS port gets no SMTP greeting.
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], cp.submissions_port));
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .expect("connect 465-style port");
    s.set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let mut buf = [0u8; 64];
    let n = std::io::Read::read(&mut s, &mut buf).unwrap_or(0);
    assert!(
        !buf[..n].starts_with(b"220"),
        "implicit-TLS port sent a plaintext greeting: {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
}
