//! End to end: a client submits to carepost (swaks, Python smtplib), carepost delivers to a
//! private Postfix peer -- only over TLS verified against the route host -- and the queue
//! tools report how it travelled. Pairs: verified TLS delivers; no STARTTLS, an untrusted
//! CA or a wrong certificate name never deliver (the copy waits for the portal).
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks, python3, openssl).

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{PyLoad, Swaks, SwaksTls};
use support::{Carepost, Config, find_field, records, run, unique_token};

const DOMAIN: &str = "dest.test";
const SENDER: &str = "alice@clinic.test";
const RCPT: &str = "bob@dest.test";
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(90);

/// A Postfix peer, carepost routing `dest.test` to it, and a user with an app password.
struct World {
    peer: PostfixPeer,
    cp: Carepost,
    password: String,
}

fn world(tls: PeerTls, trust_peer_ca: bool) -> World {
    let peer = PostfixPeer::start(tls);
    let mut cfg = Config::delivering_to(DOMAIN, &peer);
    if !trust_peer_ca {
        cfg.extra_ca_file = None;
    }
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    World { peer, cp, password }
}

fn submit_swaks(w: &World, tls: SwaksTls, id: &str) {
    let port = if tls == SwaksTls::Implicit {
        w.cp.submissions_port
    } else {
        w.cp.submission_port
    };
    let out = Swaks::new(port, SENDER, RCPT)
        .tls(tls)
        .auth(SENDER, &w.password)
        .header(&format!("X-Carepost-Test-Id: {id}"))
        .header(&format!("Subject: delivery test {id}"))
        .body(&format!(
            "Synthetic test message.\nEND-OF-TEST-MESSAGE {id}\n"
        ))
        .run();
    assert!(
        out.success(),
        "submission refused\n{}\n{}",
        out.describe(),
        w.cp.describe()
    );
}

/// Asserts that one delivered copy's `tls` record shows verified TLS 1.2+ to this peer, and
/// returns the record.
fn assert_delivered_over_verified_tls(w: &World) -> Value {
    let listing = w.cp.wait_for_status("delivered", 1, DELIVERY_TIMEOUT);
    let rec = records(&listing)
        .into_iter()
        .find(|r| r["status"] == "delivered")
        .cloned()
        .expect("a delivered record");
    let ctx = || format!("record: {rec:#}\n{}", w.peer.describe());
    let tls = find_field(&rec, "tls").unwrap_or_else(|| panic!("no tls in record\n{}", ctx()));
    let version = find_field(tls, "tls_version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(
        version == "TLSv1.3" || version == "TLSv1.2",
        "delivered copy must record TLS 1.2 or 1.3, got {version:?}\n{}",
        ctx()
    );
    assert_eq!(
        find_field(tls, "verified"),
        Some(&Value::Bool(true)),
        "{}",
        ctx()
    );
    let hash = find_field(tls, "peer_cert_sha256")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert_eq!(
        hash.to_ascii_lowercase().replace(':', ""),
        w.peer.leaf_cert_sha256(),
        "peer_cert_sha256 must be the SHA-256 of the peer's certificate\n{}",
        ctx()
    );
    assert!(
        w.peer.tls_sessions() >= 1,
        "Postfix logged no TLS session\n{}",
        ctx()
    );
    rec
}

#[test]
fn swaks_starttls_auth_submission_is_delivered_over_verified_tls() {
    require_interop!();
    let w = world(PeerTls::Offered, true);
    let id = unique_token("swaks-");
    submit_swaks(&w, SwaksTls::Starttls, &id);
    let msg = w.peer.wait_for_message(&id, DELIVERY_TIMEOUT);
    assert_eq!(msg.test_ids(), vec![id]);
    assert!(
        msg.is_complete(),
        "message arrived truncated:\n{}",
        msg.text()
    );
    assert!(
        msg.contains("with ESMTPS"),
        "Postfix did not receive it over TLS:\n{}",
        msg.text()
    );
    let rec = assert_delivered_over_verified_tls(&w);

    // `queue show` by message id and by recipient id report the same delivery.
    let message_id = rec["message"]
        .as_str()
        .expect("record has a message id")
        .to_owned();
    let recipient_id = rec["id"].as_str().expect("record has an id").to_owned();
    for show_id in [&message_id, &recipient_id] {
        let shown = w.cp.queue_show_json(show_id);
        let copies = records(&shown);
        assert_eq!(copies.len(), 1, "one recipient copy expected: {shown:#}");
        assert_eq!(copies[0]["status"], "delivered", "{shown:#}");
        let version = find_field(copies[0], "tls_version")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            version.starts_with("TLSv1."),
            "queue show lacks the TLS version: {shown:#}"
        );
        let hash = find_field(&shown, "peer_cert_sha256")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert_eq!(hash, w.peer.leaf_cert_sha256(), "{shown:#}");
    }
}

#[test]
fn implicit_tls_submission_is_delivered_over_verified_tls() {
    require_interop!();
    let w = world(PeerTls::Offered, true);
    let id = unique_token("implicit-");
    submit_swaks(&w, SwaksTls::Implicit, &id);
    w.peer.wait_for_message(&id, DELIVERY_TIMEOUT);
    assert_delivered_over_verified_tls(&w);
}

#[test]
fn python_smtplib_starttls_login_submission_is_delivered() {
    require_interop!();
    let w = world(PeerTls::Offered, true);
    let tag = unique_token("py-");
    let mut load = PyLoad::new(w.cp.submission_port, SENDER, RCPT, &tag);
    load.auth = Some((SENDER.to_owned(), w.password.clone()));
    load.count = 3;
    load.deadline_secs = 60;
    let out = load.run();
    assert!(
        out.success(),
        "smtplib submission failed\n{}\n{}",
        out.describe(),
        w.cp.describe()
    );
    for i in 0..3 {
        let id = format!("{tag}-{i}");
        let msg = w
            .peer
            .wait_for_message(&format!("X-Carepost-Test-Id: {id}"), DELIVERY_TIMEOUT);
        assert!(msg.is_complete(), "{}", msg.text());
    }
    w.cp.wait_for_status("delivered", 3, DELIVERY_TIMEOUT);
    assert_delivered_over_verified_tls(&w);
}

/// Submits one message and checks it never reaches the peer: the copy ends up
/// `awaiting-portal`, and all the peer may receive is the portal's notification (a link,
/// no content, no subject).
fn assert_not_delivered(w: &World, why: &str) {
    let id = unique_token("nodeliver-");
    submit_swaks(w, SwaksTls::Starttls, &id);
    let listing = w.cp.wait_for_status("awaiting-portal", 1, DELIVERY_TIMEOUT);
    // Give a (wrong) retry or fallback a moment to show itself.
    std::thread::sleep(Duration::from_secs(3));
    for m in w.peer.messages() {
        assert!(
            !m.contains(&id),
            "{why}: the message reached the peer:\n{}",
            m.text()
        );
        assert!(
            m.contains("/p/") && m.contains("Auto-Submitted: auto-generated"),
            "{why}: the peer received something other than the portal notification:\n{}",
            m.text()
        );
    }
    // The message's own copy stayed awaiting-portal (the notification's copy may be
    // delivered: it is another message).
    assert!(
        listing.to_string().contains("awaiting-portal"),
        "{why}: {listing:#}"
    );
}

#[test]
fn peer_without_starttls_gets_nothing_and_the_copy_awaits_the_portal() {
    require_interop!();
    let w = world(PeerTls::Off, true);
    assert_not_delivered(&w, "peer offers no STARTTLS");
}

#[test]
fn peer_with_untrusted_certificate_gets_nothing() {
    require_interop!();
    // The peer offers STARTTLS, but carepost is not told about the test CA.
    let w = world(PeerTls::Offered, false);
    assert_not_delivered(&w, "peer certificate from an unknown CA");
}

#[test]
fn peer_certificate_for_another_name_gets_nothing() {
    require_interop!();
    // Trusted CA, but the certificate names wrong-name.test, not 127.0.0.1.
    let w = world(PeerTls::WrongName, true);
    assert_not_delivered(&w, "peer certificate for another host name");
}

/// The same story on PostgreSQL (`[database] url`), in a fresh database created for this
/// test from TEST_DATABASE_URL (CI sets it; skipped otherwise).
#[test]
fn delivery_story_on_postgres() {
    require_interop!();
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        println!("TEST_DATABASE_URL not set: skipping the PostgreSQL story");
        return;
    };
    let db = TempDatabase::create(&admin_url);
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to(DOMAIN, &peer);
    cfg.database_url = Some(db.url.clone());
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    let w = World { peer, cp, password };
    let id = unique_token("pg-");
    submit_swaks(&w, SwaksTls::Starttls, &id);
    w.peer.wait_for_message(&id, DELIVERY_TIMEOUT);
    assert_delivered_over_verified_tls(&w);
    assert!(
        !w.cp.data_dir.join("carepost.db").exists(),
        "PostgreSQL configured, but SQLite used"
    );
}

/// A database created with psql for one test and dropped afterwards.
struct TempDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TempDatabase {
    fn create(admin_url: &str) -> Self {
        let name = unique_token("carepost_it_").to_ascii_lowercase();
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("TEST_DATABASE_URL has a /database part");
        let db = Self {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        };
        db.psql(&format!("CREATE DATABASE {}", db.name))
            .assert_success();
        db
    }

    fn psql(&self, sql: &str) -> support::CmdOutput {
        run(
            Command::new("psql").args([
                &self.admin_url,
                "-v",
                "ON_ERROR_STOP=1",
                "-qtAX",
                "-c",
                sql,
            ]),
            Duration::from_secs(60),
        )
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if std::env::var("KEEP_TEST_DIRS").as_deref() != Ok("1") {
            let _ = self.psql(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
