//! The MX path (RFC 5321 section 5.1, RFC 7505) against a tiny authoritative DNS server
//! and the STARTTLS peer, all on loopback.
//!
//! The zone, served by [`Dns`] on 127.0.0.1 (UDP, random port):
//!
//! ```text
//! mx.test.            MX 20 mail2.mx.test.   ; listed first, tried second
//! mx.test.            MX 10 mail1.mx.test.
//! mail1.mx.test.      A  127.0.0.2           ; nothing listens there
//! mail2.mx.test.      A  127.0.0.1           ; the peer, on smtp_port
//! nomx.test.          A  127.0.0.1           ; no MX: the domain is its own host
//! null.test.          MX 0 .                 ; RFC 7505 null MX
//! wrong.test.         MX 10 mail.wrong.test.
//! mail.wrong.test.    A  127.0.0.1
//! (anything else under test.: NXDOMAIN)
//! ```
//!
//! Every MX and implicit-MX host is tried on `smtp_port`, set to the peer's port.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Behaviour, Ca, Server};
use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, MX, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use model::EmailAddress;
use smtp_delivery::{Deliverer, DeliveryConfig, DeliveryResult};
use tokio::net::UdpSocket;

const MSG: &[u8] = b"From: doctor@clinic.test\r\nTo: lab@mx.test\r\nSubject: t\r\n\r\nHello\r\n";

/// Upper bound for one delivery, so a broken resolver setup fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(30);

fn name(s: &str) -> Name {
    Name::from_ascii(s).expect("name")
}

/// The zone above: answers for `(qname, qtype)`, or `None` for NXDOMAIN.
fn zone(qname: &str, qtype: RecordType) -> Option<Vec<RData>> {
    let mx = |pref, host: &str| RData::MX(MX::new(pref, name(host)));
    let a = |ip: [u8; 4]| RData::A(A(Ipv4Addr::from(ip)));
    let (mx_records, a_records) = match qname {
        "mx.test." => (
            vec![mx(20, "mail2.mx.test."), mx(10, "mail1.mx.test.")],
            vec![],
        ),
        "mail1.mx.test." => (vec![], vec![a([127, 0, 0, 2])]),
        "mail2.mx.test." => (vec![], vec![a([127, 0, 0, 1])]),
        "nomx.test." => (vec![], vec![a([127, 0, 0, 1])]),
        "null.test." => (vec![mx(0, ".")], vec![]),
        "wrong.test." => (vec![mx(10, "mail.wrong.test.")], vec![]),
        "mail.wrong.test." => (vec![], vec![a([127, 0, 0, 1])]),
        _ => return None,
    };
    Some(match qtype {
        RecordType::MX => mx_records,
        RecordType::A => a_records,
        _ => vec![],
    })
}

/// A tiny authoritative server for [`zone`]; it logs every question it gets.
struct Dns {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<(String, RecordType)>>>,
}

impl Dns {
    async fn start() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind dns");
        let addr = socket.local_addr().expect("dns addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                let Ok((n, from)) = socket.recv_from(&mut buf).await else {
                    return;
                };
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let Some(reply) = answer(&query, &seen) else {
                    continue;
                };
                let _ = socket.send_to(&reply, from).await;
            }
        });
        Self { addr, log }
    }

    /// The questions asked so far, as `(name without trailing dot, type)`.
    fn questions(&self) -> Vec<(String, RecordType)> {
        self.log.lock().expect("lock").clone()
    }
}

fn answer(query: &Message, log: &Mutex<Vec<(String, RecordType)>>) -> Option<Vec<u8>> {
    let q = query.queries.first()?.clone();
    let qname = q.name().to_ascii().to_ascii_lowercase();
    let qtype = q.query_type();
    log.lock()
        .expect("lock")
        .push((qname.trim_end_matches('.').to_string(), qtype));

    let mut reply = Message::new(query.metadata.id, MessageType::Response, OpCode::Query);
    reply.metadata.authoritative = true;
    reply.metadata.recursion_desired = query.metadata.recursion_desired;
    reply.add_query(q.clone());
    match zone(&qname, qtype) {
        Some(records) => {
            for rdata in records {
                reply.add_answer(Record::from_rdata(q.name().clone(), 60, rdata));
            }
        }
        None => reply.metadata.response_code = ResponseCode::NXDomain,
    }
    if reply.answers.is_empty() {
        // Negative answers carry the zone's SOA (RFC 2308).
        let soa = SOA::new(
            name("ns.test."),
            name("hostmaster.test."),
            1,
            60,
            60,
            60,
            60,
        );
        reply.add_authority(Record::from_rdata(name("test."), 60, RData::SOA(soa)));
    }
    reply.to_vec().ok()
}

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid address")
}

/// A deliverer that resolves through `dns` and connects to MX hosts on `smtp_port`.
fn deliverer(ca: &Ca, dns: &Dns, smtp_port: u16) -> Deliverer {
    let config = DeliveryConfig {
        extra_ca_pem: Some(ca.pem.clone().into_bytes()),
        dns_servers: vec![dns.addr],
        smtp_port,
        connect_timeout: Duration::from_secs(5),
        ..DeliveryConfig::new("gw.clinic.test")
    };
    Deliverer::new(config).expect("deliverer")
}

async fn deliver(d: &Deliverer, rcpt: &str) -> Vec<DeliveryResult> {
    let from = addr("doctor@clinic.test");
    tokio::time::timeout(LIMIT, d.deliver(Some(&from), &[addr(rcpt)], MSG))
        .await
        .expect("delivery finished in time")
}

/// Position of the first question for `(qname, qtype)` in the log.
fn asked(questions: &[(String, RecordType)], qname: &str, qtype: RecordType) -> Option<usize> {
    questions
        .iter()
        .position(|(n, t)| n == qname && *t == qtype)
}

#[tokio::test]
async fn mx_hosts_are_tried_by_preference_and_fail_over_to_the_next() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["mail2.mx.test"]).server_config())).await;
    let dns = Dns::start().await;
    let d = deliverer(&ca, &dns, server.addr.port());

    let out = deliver(&d, "lab@mx.test").await;

    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    // Verified for the MX host's name, not the recipient domain's.
    assert_eq!(rec.next_hop_host, "mail2.mx.test");
    assert_eq!(
        rec.next_hop_addr,
        SocketAddr::from(([127, 0, 0, 1], server.addr.port())).to_string()
    );
    assert!(rec.verified);
    assert_eq!(server.seen().messages, vec![MSG.to_vec()]);

    // mail1 (preference 10, listed second in the answer) was looked up, and so tried,
    // before mail2 (preference 20); its address refused the connection.
    let q = dns.questions();
    let mx = asked(&q, "mx.test", RecordType::MX).expect("MX asked");
    let mail1 = asked(&q, "mail1.mx.test", RecordType::A).expect("mail1 looked up");
    let mail2 = asked(&q, "mail2.mx.test", RecordType::A).expect("mail2 looked up");
    assert!(mx < mail1 && mail1 < mail2, "{q:?}");
    // The domain itself was never used as a host while it has MX records.
    assert_eq!(asked(&q, "mx.test", RecordType::A), None, "{q:?}");
}

#[tokio::test]
async fn a_domain_without_mx_is_its_own_host() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["nomx.test"]).server_config())).await;
    let dns = Dns::start().await;
    let d = deliverer(&ca, &dns, server.addr.port());

    let out = deliver(&d, "lab@nomx.test").await;

    let [DeliveryResult::Delivered(rec)] = out.as_slice() else {
        panic!("expected delivery, got {out:?}");
    };
    assert_eq!(rec.next_hop_host, "nomx.test");
    assert!(rec.verified);
    assert_eq!(server.seen().messages.len(), 1);
    let q = dns.questions();
    assert!(
        asked(&q, "nomx.test", RecordType::MX) < asked(&q, "nomx.test", RecordType::A),
        "{q:?}"
    );
}

#[tokio::test]
async fn null_mx_is_a_permanent_failure() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["null.test"]).server_config())).await;
    let dns = Dns::start().await;
    let d = deliverer(&ca, &dns, server.addr.port());

    let out = deliver(&d, "lab@null.test").await;

    assert!(
        matches!(out.as_slice(), [DeliveryResult::PermFailure(e)] if e.starts_with("5.1.10") && e.contains("null MX")),
        "{out:?}"
    );
    // No fallback to the domain's address records, no connection.
    assert_eq!(asked(&dns.questions(), "null.test", RecordType::A), None);
    assert_eq!(server.seen().connections, 0);
}

#[tokio::test]
async fn a_nonexistent_domain_is_a_permanent_failure() {
    let ca = Ca::new();
    let server = Server::start(Behaviour::tls(ca.leaf(&["gone.test"]).server_config())).await;
    let dns = Dns::start().await;
    let d = deliverer(&ca, &dns, server.addr.port());

    let out = deliver(&d, "lab@gone.test").await;

    assert!(
        matches!(out.as_slice(), [DeliveryResult::PermFailure(e)] if e.starts_with("5.1.2") && e.contains("does not exist")),
        "{out:?}"
    );
    assert_eq!(
        dns.questions(),
        vec![("gone.test".to_string(), RecordType::MX)]
    );
    assert_eq!(server.seen().connections, 0);
}

#[tokio::test]
async fn a_certificate_for_the_recipient_domain_does_not_cover_its_mx_host() {
    let ca = Ca::new();
    // Valid for the recipient domain, not for the MX host "mail.wrong.test".
    let server = Server::start(Behaviour::tls(ca.leaf(&["wrong.test"]).server_config())).await;
    let dns = Dns::start().await;
    let d = deliverer(&ca, &dns, server.addr.port());

    let out = deliver(&d, "lab@wrong.test").await;

    let [DeliveryResult::NoVerifiedTls(why)] = out.as_slice() else {
        panic!("expected NoVerifiedTls, got {out:?}");
    };
    assert!(why.contains("certificate not valid for name"), "{why}");
    let seen = server.seen();
    assert_eq!(seen.connections, 1);
    assert_eq!(seen.count("MAIL"), 0);
    assert!(seen.messages.is_empty());
}
