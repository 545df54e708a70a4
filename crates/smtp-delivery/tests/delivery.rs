//! Delivery against an in-test SMTP + STARTTLS peer on loopback.

mod common;

use std::sync::Arc;

use common::{Behaviour, Ca, Server};
use model::EmailAddress;
use sha2::{Digest, Sha256};
use smtp_delivery::{Deliverer, DeliveryConfig, DeliveryResult, TlsRequirement};

const MSG: &[u8] = b"From: doctor@clinic.test\r\nTo: lab@dest.test\r\nSubject: t\r\n\r\nHello\r\n";

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid address")
}

fn deliverer(ca: &Ca, route: &str) -> Deliverer {
    let config = DeliveryConfig {
        extra_ca_pem: Some(ca.pem.clone().into_bytes()),
        ..DeliveryConfig::new("gw.clinic.test")
    }
    .with_route("dest.test", route)
    .expect("route");
    Deliverer::new(config).expect("deliverer")
}

fn sender() -> EmailAddress {
    addr("doctor@clinic.test")
}

#[tokio::test]
async fn delivers_over_verified_tls_and_records_how() {
    let ca = Ca::new();
    let leaf = ca.leaf(&["localhost"]);
    let server = Server::start(Behaviour::tls(leaf.server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    let out = d
        .deliver(Some(&sender()), &[addr("lab@dest.test")], MSG)
        .await;

    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    assert_eq!(rec.next_hop_host, "localhost");
    assert_eq!(rec.next_hop_addr, server.addr.to_string());
    assert_eq!(rec.tls_version, "TLSv1.3");
    assert!(rec.cipher.starts_with("TLS13_"), "{}", rec.cipher);
    assert_eq!(
        rec.peer_cert_sha256,
        hex::encode(Sha256::digest(leaf.der.as_ref()))
    );
    assert!(rec.verified);
    assert_eq!(rec.remote_reply, "250 2.0.0 Ok: queued as TEST1");
    assert!(rec.at.as_millis() > 0);

    let seen = server.seen();
    assert_eq!(seen.messages, vec![MSG.to_vec()]);
    assert!(seen.plaintext_transaction_commands().is_empty());
    let mail = format!("MAIL FROM:<doctor@clinic.test> SIZE={}", MSG.len());
    assert!(
        seen.commands.iter().any(|(tls, c)| *tls && *c == mail),
        "{:?}",
        seen.commands
    );
}

#[tokio::test]
async fn next_hop_without_starttls_gets_nothing_and_goes_to_the_portal() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::plaintext_only()).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    let out = d
        .deliver(
            Some(&sender()),
            &[addr("a@dest.test"), addr("b@dest.test")],
            MSG,
        )
        .await;

    assert_eq!(out.len(), 2);
    for r in &out {
        let DeliveryResult::NoVerifiedTls(why) = r else {
            panic!("expected NoVerifiedTls, got {r:?}");
        };
        assert!(why.contains("next hop offers no STARTTLS"), "{why}");
    }
    let seen = server.seen();
    assert_eq!(seen.plaintext_transaction_commands(), Vec::<String>::new());
    assert_eq!(seen.count("MAIL"), 0);
    assert_eq!(seen.count("RCPT"), 0);
    assert!(seen.messages.is_empty());
}

/// The only outcome is NoVerifiedTls with `reason`, and no MAIL command reached the server.
fn assert_refused_without_mail(out: &[DeliveryResult], server: &Server, reason: &str) {
    let [DeliveryResult::NoVerifiedTls(why)] = out else {
        panic!("expected NoVerifiedTls, got {out:?}");
    };
    assert!(why.contains(reason), "{why}");
    assert_eq!(server.seen().count("MAIL"), 0);
}

#[tokio::test]
async fn certificate_from_an_untrusted_ca_is_refused() {
    let trusted = Ca::new();
    let other = Ca::new();
    let server = Server::start(Behaviour::tls(other.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&trusted, &format!("localhost:{}", server.addr.port()));

    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;

    assert_refused_without_mail(
        &out,
        &server,
        "no verified TLS: certificate issuer not trusted",
    );
}

#[tokio::test]
async fn certificate_for_the_wrong_name_is_refused() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["other.example"]).server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;

    assert_refused_without_mail(
        &out,
        &server,
        "no verified TLS: certificate not valid for name",
    );
}

#[tokio::test]
async fn plaintext_injected_after_starttls_reply_aborts_the_session() {
    let ca = Ca::new();
    let mut b = Behaviour::tls(ca.leaf(&["localhost"]).server_config());
    b.inject_after_starttls = true;
    let server = Server::start(b).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;

    assert!(
        matches!(out.as_slice(), [DeliveryResult::NoVerifiedTls(w)] if w.contains("plaintext data after STARTTLS")),
        "{out:?}"
    );
    assert_eq!(server.seen().count("MAIL"), 0);
}

#[tokio::test]
async fn ip_route_verifies_the_ip_san() {
    let ca = Ca::new();
    let good = Server::start(Behaviour::tls(ca.leaf(&["127.0.0.1"]).server_config())).await;
    let d = deliverer(&ca, &good.addr.to_string());
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    assert_eq!(rec.next_hop_host, "127.0.0.1");

    // A certificate naming only "localhost" does not cover the IP route.
    let bad = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&ca, &bad.addr.to_string());
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::NoVerifiedTls(w)] if w.contains("not valid for name")),
        "{out:?}"
    );
}

#[tokio::test]
async fn transient_replies_defer_and_permanent_rcpt_replies_bounce_per_recipient() {
    for pipelining in [true, false] {
        let ca = Ca::new();
        let leaf = ca.leaf(&["localhost"]);
        let mut b = Behaviour::tls(leaf.server_config());
        b.pipelining = pipelining;
        b.rcpt_reply = Arc::new(|a: &str| {
            if a.starts_with("gone") {
                "550 5.1.1 <gone@dest.test>: Recipient address rejected".into()
            } else if a.starts_with("busy") {
                "452 4.2.2 Mailbox full".into()
            } else {
                "250 2.1.5 Ok".into()
            }
        });
        let server = Server::start(b).await;
        let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

        let rcpts = [
            addr("ok@dest.test"),
            addr("gone@dest.test"),
            addr("busy@dest.test"),
        ];
        let out = d.deliver(Some(&sender()), &rcpts, MSG).await;

        assert!(
            matches!(out[0], DeliveryResult::Delivered(_)),
            "{pipelining}: {out:?}"
        );
        let DeliveryResult::PermFailure(e) = &out[1] else {
            panic!("{pipelining}: expected PermFailure, got {:?}", out[1]);
        };
        assert!(e.starts_with("550 5.1.1"), "{e}");
        assert!(e.contains("in reply to RCPT TO"), "{e}");
        assert!(matches!(&out[2], DeliveryResult::TempFailure(e) if e.starts_with("452 4.2.2")));
        assert_eq!(server.seen().messages.len(), 1);
    }
}

#[tokio::test]
async fn a_4xx_to_mail_or_end_of_data_defers_every_recipient() {
    let ca = Ca::new();
    let leaf = ca.leaf(&["localhost"]);
    let mut b = Behaviour::tls(leaf.server_config());
    b.mail_reply = "451 4.3.0 Try again later".into();
    let server = Server::start(b).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));
    let out = d
        .deliver(
            Some(&sender()),
            &[addr("a@dest.test"), addr("b@dest.test")],
            MSG,
        )
        .await;
    assert!(
        out.iter()
            .all(|r| matches!(r, DeliveryResult::TempFailure(e) if e.starts_with("451 4.3.0"))),
        "{out:?}"
    );
    assert!(server.seen().messages.is_empty());

    let mut b = Behaviour::tls(leaf.server_config());
    b.data_end_reply = "554 5.7.1 Rejected by content filter".into();
    let server = Server::start(b).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::PermFailure(e)] if e.contains("end of DATA")),
        "{out:?}"
    );
}

#[tokio::test]
async fn unreachable_next_hop_is_a_temporary_failure() {
    let ca = Ca::new();
    // Bind and drop to get a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let d = deliverer(&ca, &format!("127.0.0.1:{port}"));
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::TempFailure(e)] if e.contains("connect failed")),
        "{out:?}"
    );
}

#[tokio::test]
async fn sessions_are_reused_with_rset_between_transactions() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    for _ in 0..3 {
        let out = d
            .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
            .await;
        assert!(
            matches!(out.as_slice(), [DeliveryResult::Delivered(_)]),
            "{out:?}"
        );
    }
    assert_eq!(d.idle_connections(), 1);
    let seen = server.seen();
    assert_eq!(seen.connections, 1, "one TCP connection for three messages");
    assert_eq!(seen.messages.len(), 3);
    assert_eq!(seen.count("RSET"), 2);
    assert_eq!(seen.count("STARTTLS"), 1);
}

#[tokio::test]
async fn a_pooled_session_closed_by_the_peer_is_replaced_transparently() {
    let ca = Ca::new();
    let leaf = ca.leaf(&["localhost"]);
    let mut b = Behaviour::tls(leaf.server_config());
    b.close_after_message = true;
    let server = Server::start(b).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    for _ in 0..2 {
        let out = d
            .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
            .await;
        let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
            panic!("expected delivery, got {out:?}");
        };
        // The second session may resume the first's TLS session: the record must still
        // name the certificate.
        assert!(rec.verified);
        assert_eq!(
            rec.peer_cert_sha256,
            hex::encode(Sha256::digest(leaf.der.as_ref()))
        );
    }
    let seen = server.seen();
    assert_eq!(seen.connections, 2);
    assert_eq!(seen.messages.len(), 2);
}

#[tokio::test]
async fn concurrent_deliveries_respect_the_per_destination_cap() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let config = DeliveryConfig {
        extra_ca_pem: Some(ca.pem.clone().into_bytes()),
        max_connections_per_destination: 2,
        ..DeliveryConfig::new("gw.clinic.test")
    }
    .with_route("dest.test", &format!("localhost:{}", server.addr.port()))
    .expect("route");
    let d = Deliverer::new(config).expect("deliverer");

    let mut tasks = Vec::new();
    for i in 0..10 {
        let d = d.clone();
        tasks.push(tokio::spawn(async move {
            let rcpt = addr(&format!("r{i}@dest.test"));
            d.deliver(Some(&sender()), &[rcpt], MSG).await
        }));
    }
    for t in tasks {
        let out = t.await.expect("task");
        assert!(
            matches!(out.as_slice(), [DeliveryResult::Delivered(_)]),
            "{out:?}"
        );
    }
    let seen = server.seen();
    assert!(seen.connections <= 2, "{} connections", seen.connections);
    assert_eq!(seen.messages.len(), 10);
}

#[tokio::test]
async fn dot_stuffing_and_line_endings_round_trip() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));

    let payload = b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nmiddle\n.\nbare lf\rbare cr\r\nno final newline";
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], payload)
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::Delivered(_)]),
        "{out:?}"
    );

    let expected = b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nmiddle\r\n.\r\nbare lf\r\nbare cr\r\nno final newline\r\n";
    let seen = server.seen();
    assert_eq!(
        String::from_utf8_lossy(&seen.messages[0]),
        String::from_utf8_lossy(expected)
    );
}

#[tokio::test]
async fn null_sender_is_sent_as_empty_path() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));
    let out = d.deliver(None, &[addr("a@dest.test")], MSG).await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::Delivered(_)]),
        "{out:?}"
    );
    assert!(
        server
            .seen()
            .commands
            .iter()
            .any(|(_, c)| c.starts_with("MAIL FROM:<> "))
    );
}

#[tokio::test]
async fn unverified_certificate_is_recorded_as_such_when_verification_is_not_required() {
    let trusted = Ca::new();
    let other = Ca::new();
    let server = Server::start(Behaviour::tls(other.leaf(&["localhost"]).server_config())).await;
    let config = DeliveryConfig {
        extra_ca_pem: Some(trusted.pem.clone().into_bytes()),
        require_verified_tls: false,
        ..DeliveryConfig::new("gw.clinic.test")
    }
    .with_route("dest.test", &format!("localhost:{}", server.addr.port()))
    .expect("route");
    let d = Deliverer::new(config).expect("deliverer");
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    assert!(!rec.verified);
    assert!(server.seen().plaintext_transaction_commands().is_empty());

    // Still no plaintext: a peer without STARTTLS gets nothing.
    let plain = Server::start(Behaviour::plaintext_only()).await;
    let config = DeliveryConfig {
        require_verified_tls: false,
        ..DeliveryConfig::new("gw.clinic.test")
    }
    .with_route("dest.test", &format!("localhost:{}", plain.addr.port()))
    .expect("route");
    let d = Deliverer::new(config).expect("deliverer");
    let out = d
        .deliver(Some(&sender()), &[addr("a@dest.test")], MSG)
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::NoVerifiedTls(_)]),
        "{out:?}"
    );
    assert_eq!(plain.seen().count("MAIL"), 0);
}

#[tokio::test]
async fn results_map_to_storage_outcomes() {
    use model::Timestamp;
    use storage::AttemptOutcome;
    let t = Timestamp(5);
    assert_eq!(
        DeliveryResult::TempFailure("x".into()).into_attempt_outcome(t),
        AttemptOutcome::Deferred {
            next_attempt: t,
            error: "x".into()
        }
    );
    assert_eq!(
        DeliveryResult::NoVerifiedTls("y".into()).into_attempt_outcome(t),
        AttemptOutcome::AwaitingPortal { reason: "y".into() }
    );
    assert_eq!(
        DeliveryResult::PermFailure("z".into()).into_attempt_outcome(t),
        AttemptOutcome::Bounced { error: "z".into() }
    );
}

/// Rough client throughput against the in-test peer (both in this process, debug build):
/// `cargo test -p smtp-delivery --test delivery throughput -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "timing, not a correctness test"]
async fn throughput_smoke() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["localhost"]).server_config())).await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));
    let body = vec![b'x'; 1000];
    let mut msg = MSG.to_vec();
    msg.extend_from_slice(&body);
    let msg = Arc::new(msg);
    let n = 2000;
    let start = std::time::Instant::now();
    let mut tasks = Vec::new();
    for w in 0..16 {
        let d = d.clone();
        let msg = msg.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..n / 16 {
                let rcpt = addr(&format!("r{w}x{i}@dest.test"));
                let out = d.deliver(Some(&sender()), &[rcpt], &msg).await;
                assert!(matches!(out.as_slice(), [DeliveryResult::Delivered(_)]));
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let secs = start.elapsed().as_secs_f64();
    let seen = server.seen();
    println!(
        "{n} messages in {secs:.2}s = {:.0} msg/s over {} connections",
        f64::from(n) / secs,
        seen.connections
    );
}

/// A copy whose policy allows any certificate is delivered over TLS to a host whose
/// certificate does not verify (recorded as unverified); a copy that needs verified TLS to
/// the same host is not, and never rides on the unverified pooled session; a host without
/// STARTTLS gets neither.
#[tokio::test]
async fn any_certificate_requirement_still_needs_tls_and_is_pooled_apart() {
    let ca = Ca::new();
    let other_ca = Ca::new();
    let server = Server::start(Behaviour::tls(
        other_ca.leaf(&["localhost"]).server_config(),
    ))
    .await;
    let d = deliverer(&ca, &format!("localhost:{}", server.addr.port()));
    let out = d
        .deliver_with(
            Some(&sender()),
            &[addr("a@dest.test")],
            MSG,
            TlsRequirement::AnyCertificate,
        )
        .await;
    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    assert!(!rec.verified);
    assert!(!rec.peer_cert_sha256.is_empty());
    // The unverified session is pooled now; a verified-only copy must not use it.
    let out = d
        .deliver_with(
            Some(&sender()),
            &[addr("b@dest.test")],
            MSG,
            TlsRequirement::Verified,
        )
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::NoVerifiedTls(_)]),
        "{out:?}"
    );
    assert_eq!(
        server.seen().count("MAIL"),
        1,
        "only the any-certificate copy was sent"
    );

    let plain = Server::start(Behaviour::plaintext_only()).await;
    let d = deliverer(&ca, &format!("localhost:{}", plain.addr.port()));
    let out = d
        .deliver_with(
            Some(&sender()),
            &[addr("a@dest.test")],
            MSG,
            TlsRequirement::AnyCertificate,
        )
        .await;
    assert!(
        matches!(out.as_slice(), [DeliveryResult::NoVerifiedTls(_)]),
        "{out:?}"
    );
    assert_eq!(plain.seen().count("MAIL"), 0);
}
