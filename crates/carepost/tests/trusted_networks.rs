//! Issue 7: devices on `[[smtp.trusted_networks]]` (scanners, fax servers) submit without
//! AUTH. Pairs: inside the network with an allowed sender over STARTTLS is accepted and
//! delivered over verified TLS; plain SMTP is refused unless the entry says
//! `insecure_allow_plaintext = true`; the same session from outside the network is refused
//! (530); a foreign sender from inside is refused (553).
//!
//! Needs CAREPOST_INTEROP=1 (swaks, smtp-source, Postfix peer).

mod support;

use std::time::Duration;

use serde_json::Value;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls, smtp_source};
use support::{Carepost, Config, TrustedNetwork, find_field, records, unique_token};

const DEVICE_SENDER: &str = "scanner@clinic.test";
const RCPT: &str = "doctor@dest.test";
const TIMEOUT: Duration = Duration::from_secs(90);

fn world(insecure_allow_plaintext: bool) -> (PostfixPeer, Carepost) {
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to("dest.test", &peer);
    let mut tn = TrustedNetwork::new("127.0.0.1/32", &["@clinic.test"]);
    tn.name = "scanner-2nd-floor".into();
    tn.insecure_allow_plaintext = insecure_allow_plaintext;
    cfg.trusted_networks.push(tn);
    let mut cp = Carepost::new(&cfg);
    cp.start();
    (peer, cp)
}

fn assert_delivered_verified(cp: &Carepost, n: usize) {
    let listing = cp.wait_for_status("delivered", n, TIMEOUT);
    for rec in records(&listing)
        .into_iter()
        .filter(|r| r["status"] == "delivered")
    {
        assert_eq!(
            find_field(rec, "verified"),
            Some(&Value::Bool(true)),
            "{rec:#}"
        );
    }
}

/// Nothing reached the peer and carepost queued nothing.
fn assert_nothing_accepted(peer: &PostfixPeer, cp: &Carepost, why: &str) {
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        peer.messages().is_empty(),
        "{why}: the peer received mail\n{}",
        peer.describe()
    );
    let q = cp.queue_json();
    assert!(
        records(&q).is_empty(),
        "{why}: carepost queued something: {q:#}"
    );
}

#[test]
fn trusted_device_without_auth_over_starttls_is_accepted_and_delivered_over_verified_tls() {
    require_interop!();
    let (peer, cp) = world(false);
    let id = unique_token("device-");
    let out = Swaks::new(cp.submission_port, DEVICE_SENDER, RCPT)
        .tls(SwaksTls::Starttls)
        .header(&format!("X-Carepost-Test-Id: {id}"))
        .run();
    assert!(
        out.success(),
        "trusted device refused\n{}\n{}",
        out.describe(),
        cp.describe()
    );
    let msg = peer.wait_for_message(&id, TIMEOUT);
    assert!(msg.contains("with ESMTPS"), "{}", msg.text());
    assert_delivered_verified(&cp, 1);
    let (principal, channel) = attribution(&cp);
    assert_eq!(
        (principal.as_str(), channel.as_str()),
        ("device:scanner-2nd-floor", "smtp-starttls")
    );
}

#[test]
fn trusted_device_plain_smtp_is_refused_without_insecure_allow_plaintext() {
    require_interop!();
    let (peer, cp) = world(false);
    let subject = unique_token("plain-refused-");
    let out = smtp_source(cp.submission_port, DEVICE_SENDER, RCPT, 1, &subject);
    assert!(
        !out.success(),
        "plain SMTP from a trusted device must be refused\n{}",
        out.describe()
    );
    let text = out.all_text();
    assert!(
        text.contains("rejected: 5") || text.contains(": 5"),
        "expected a 5xx refusal from smtp-source's session:\n{text}"
    );
    assert_nothing_accepted(&peer, &cp, "plain SMTP without insecure_allow_plaintext");
}

#[test]
fn trusted_device_plain_smtp_is_accepted_with_insecure_allow_plaintext_and_still_leaves_over_tls() {
    require_interop!();
    let (peer, cp) = world(true);
    let subject = unique_token("plain-allowed-");
    let out = smtp_source(cp.submission_port, DEVICE_SENDER, RCPT, 1, &subject);
    assert!(
        out.success(),
        "insecure_allow_plaintext = true must accept smtp-source\n{}\n{}",
        out.describe(),
        cp.describe()
    );
    let msg = peer.wait_for_message(&subject, TIMEOUT);
    assert!(
        msg.contains("with ESMTPS"),
        "outbound must still be TLS:\n{}",
        msg.text()
    );
    assert_delivered_verified(&cp, 1);
    // Recorded per message: it arrived in plaintext, from the named device.
    let (principal, channel) = attribution(&cp);
    assert_eq!(
        (principal.as_str(), channel.as_str()),
        ("device:scanner-2nd-floor", "smtp-plaintext")
    );
    let logs = String::from_utf8_lossy(&cp.logs()).to_string();
    assert!(
        logs.contains("insecure_allow_plaintext is set"),
        "start-up must warn about the plaintext network:\n{logs}"
    );
}

/// The principal and channel `queue show` records for the only message in the queue.
fn attribution(cp: &Carepost) -> (String, String) {
    let listing = cp.queue_json();
    let rec = records(&listing)
        .first()
        .map(|r| r["message"].as_str().unwrap_or_default().to_string())
        .expect("one queued message");
    let shown = cp.queue_show_json(&rec);
    let m = &shown["message"];
    (
        m["principal"].as_str().unwrap_or_default().to_string(),
        m["channel"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn same_session_from_outside_the_trusted_network_is_refused_with_530() {
    require_interop!();
    let (peer, cp) = world(false);
    let out = Swaks::new(cp.submission_port, DEVICE_SENDER, RCPT)
        .tls(SwaksTls::Starttls)
        .local_interface("127.0.0.2")
        .run();
    assert!(
        !out.success(),
        "127.0.0.2 is not trusted\n{}",
        out.describe()
    );
    assert!(
        out.refused_with(530, Some("5.7.")),
        "expected 530 5.7.x, got {:?}\n{}",
        out.error_reply(),
        out.describe()
    );
    assert_nothing_accepted(&peer, &cp, "untrusted 127.0.0.2");
}

#[test]
fn trusted_device_with_a_foreign_sender_is_refused_with_553() {
    require_interop!();
    let (peer, cp) = world(false);
    let out = Swaks::new(cp.submission_port, "someone@elsewhere.test", RCPT)
        .tls(SwaksTls::Starttls)
        .run();
    assert!(
        !out.success(),
        "foreign sender must be refused\n{}",
        out.describe()
    );
    assert!(
        out.refused_with(553, Some("5.7.")),
        "expected 553 5.7.x, got {:?}\n{}",
        out.error_reply(),
        out.describe()
    );
    assert_nothing_accepted(&peer, &cp, "foreign sender");
}
