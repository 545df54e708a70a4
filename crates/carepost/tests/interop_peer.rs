//! Self-test of the Postfix peer harness (tests/support/postfix.rs), independent of
//! carepost: swaks and openssl talk to the private Postfix instance directly. If these
//! fail, the other interop tests' failures say nothing about carepost.

mod support;

use std::process::Command;
use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls};
use support::{run, unique_token};

/// `openssl s_client -starttls smtp` with full verification against the peer's test CA
/// for `127.0.0.1`; true when the handshake verifies.
fn openssl_verifies(peer: &PostfixPeer) -> (bool, String) {
    let out = run(
        Command::new("openssl")
            .args(["s_client", "-starttls", "smtp", "-connect", &peer.addr()])
            .arg("-CAfile")
            .arg(peer.ca_file())
            .args(["-verify_ip", "127.0.0.1", "-verify_return_error", "-brief"])
            .stdin(std::process::Stdio::null()),
        Duration::from_secs(30),
    );
    (out.success(), out.all_text())
}

#[test]
fn postfix_peer_receives_over_verified_starttls() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let id = unique_token("peer-selftest-");
    let out = run(
        Command::new("swaks")
            .args(["--server", "127.0.0.1", "--port", &peer.port.to_string()])
            .args(["--tls", "--tls-verify", "--tls-ca-path"])
            .arg(peer.ca_file())
            .args([
                "--from",
                "a@clinic.test",
                "--to",
                "b@dest.test",
                "--timeout",
                "20",
            ])
            .args(["--header", &format!("X-Carepost-Test-Id: {id}")]),
        Duration::from_secs(60),
    );
    out.assert_success();
    let msg = peer.wait_for_message(&id, Duration::from_secs(20));
    assert_eq!(msg.test_ids(), vec![id]);
    assert!(
        msg.contains("with ESMTPS"),
        "Postfix's Received: should say ESMTPS:\n{}",
        msg.text()
    );
    assert_eq!(peer.tls_sessions(), 1, "{}", peer.describe());
    let (verified, text) = openssl_verifies(&peer);
    assert!(
        verified,
        "openssl should verify the peer for IP 127.0.0.1:\n{text}"
    );
}

#[test]
fn postfix_peer_without_tls_offers_no_starttls() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Off);
    let refused = Swaks::new(peer.port, "a@clinic.test", "b@dest.test")
        .tls(SwaksTls::Starttls)
        .run();
    assert!(
        !refused.success(),
        "swaks --tls must fail without STARTTLS:\n{}",
        refused.describe()
    );
    assert!(peer.messages().is_empty(), "{}", peer.describe());
    let id = unique_token("peer-plain-");
    let plain = Swaks::new(peer.port, "a@clinic.test", "b@dest.test")
        .tls(SwaksTls::None)
        .header(&format!("X-Carepost-Test-Id: {id}"))
        .run();
    assert!(plain.success(), "{}", plain.describe());
    peer.wait_for_message(&id, Duration::from_secs(20));
    assert_eq!(peer.tls_sessions(), 0);
}

#[test]
fn postfix_peer_with_wrong_name_fails_verification() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::WrongName);
    let (verified, text) = openssl_verifies(&peer);
    assert!(
        !verified,
        "the wrong-name certificate must not verify for 127.0.0.1:\n{text}"
    );
}
