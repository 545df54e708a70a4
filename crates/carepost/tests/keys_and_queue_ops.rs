//! Key rotation and the operator's queue actions, end to end through the binary: a message
//! sealed before `carepost keys rotate` (master and tenant keys, while `serve` runs) can
//! still be opened and delivered afterwards; `queue hold`, `release` and `retry` move a
//! copy as documented. Needs no peers: the route points at a closed port, so the copy is
//! deferred, and Python's smtplib (always on these machines) submits.

mod support;

use std::fs;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{Carepost, Config, poll_for, run};

const SEND: &str = r#"
import smtplib, ssl, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE  # carepost's self-signed listener certificate
with smtplib.SMTP_SSL("127.0.0.1", port, context=ctx, timeout=30) as s:
    s.login(user, pw)
    s.sendmail(user, ["patient@nowhere.test"],
               "From: %s\r\nTo: patient@nowhere.test\r\nSubject: rotation test\r\n\r\nbody\r\n" % user)
"#;

/// A port nothing listens on for the whole test. Binding an ephemeral port and dropping it
/// is not enough: under a parallel test run another test's TLS server took the port back
/// (CI, 2026-12-04) and the copy met a certificate instead of a closed port. Port 1
/// (tcpmux) is privileged and unused on these machines, as in `console_policy.rs`.
fn closed_port() -> u16 {
    1
}

/// Submit one message over implicit TLS with AUTH (Python smtplib).
fn submit(cp: &Carepost, password: &str) {
    let out = run(
        Command::new("python3").args([
            "-c",
            SEND,
            &cp.submissions_port.to_string(),
            "nurse@clinic.test",
            password,
        ]),
        Duration::from_secs(60),
    );
    assert!(out.success(), "submission failed: {}", out.describe());
}

fn copies(cp: &Carepost) -> Vec<Value> {
    // One JSON object per line; a single line parses as one object.
    match cp.queue_json() {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

fn only_copy(cp: &Carepost) -> Value {
    let all = copies(cp);
    assert_eq!(all.len(), 1, "expected one copy: {all:?}");
    all[0].clone()
}

fn wait_for(cp: &Carepost, what: &str, f: impl Fn(&Value) -> bool) -> Value {
    poll_for(Duration::from_secs(60), Duration::from_millis(300), || {
        let c = only_copy(cp);
        f(&c).then_some(c)
    })
    .unwrap_or_else(|| {
        panic!(
            "timed out waiting for {what}: {:?}\n{}",
            copies(cp),
            cp.describe()
        )
    })
}

#[test]
fn sealed_mail_survives_key_rotation_and_queue_actions_move_copies() {
    let port = closed_port();
    let mut cp = Carepost::new(&Config {
        routes: vec![("nowhere.test".into(), format!("127.0.0.1:{port}"))],
        ..Config::default()
    });
    cp.start();
    let password = cp.user_with_app_password("nurse@clinic.test");
    submit(&cp, &password);

    // The next hop is down: the copy is deferred, with a reason and no plaintext attempt.
    let copy = wait_for(&cp, "a deferred copy", |c| c["status"] == "deferred");
    let id = copy["id"].as_str().expect("id").to_string();
    assert_eq!(copy["attempts"], 1);

    // Hold, then release: the copy goes back to queued and is attempted again.
    cp.cli_ok(&["queue", "hold", &id]);
    assert_eq!(only_copy(&cp)["status"], "held");
    let again = cp.cli(&["queue", "hold", &id]);
    assert!(!again.success(), "holding a held copy must be refused");

    // Rotate both keys while serve runs; the master key file changes.
    let key_file = cp.data_dir.join("master.key");
    let before = fs::read_to_string(&key_file).expect("master key");
    let rotated = cp.cli_ok(&["keys", "rotate"]);
    let after = fs::read_to_string(&key_file).expect("master key");
    assert_ne!(
        before,
        after,
        "master key file must change: {}",
        rotated.describe()
    );
    assert!(!cp.data_dir.join("master.key.new").exists());

    // Restart with only the new master key: the old message must still open (its data key
    // was wrapped by the old tenant key, which is now wrapped by the new master key).
    cp.stop();
    cp.start();
    cp.cli_ok(&["queue", "release", &id]);
    let retried = wait_for(&cp, "a second attempt", |c| {
        c["status"] == "deferred" && c["attempts"].as_u64() >= Some(2)
    });
    let error = retried["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !error.contains("sealed") && !error.contains("key"),
        "the body must open after rotation; last error: {error}"
    );
    assert!(
        error.contains("connect"),
        "expected a connection failure, got: {error}"
    );

    // retry: deferred → queued now.
    cp.cli_ok(&["queue", "retry", &id]);
    wait_for(&cp, "a third attempt", |c| {
        c["attempts"].as_u64() >= Some(3)
    });
    cp.stop();
}

#[test]
fn a_copy_past_its_lifetime_bounces_and_the_sender_gets_a_dsn() {
    let port = closed_port();
    let mut cp = Carepost::new(&Config {
        routes: vec![
            ("nowhere.test".into(), format!("127.0.0.1:{port}")),
            // The DSN to the sender goes nowhere too; it only has to be queued.
            ("clinic.test".into(), format!("127.0.0.1:{port}")),
        ],
        ..Config::default()
    });
    // A two-second lifetime: the first attempt defers, the forced retry gives up.
    let text = cp
        .config_text()
        .replace("[delivery]\n", "[delivery]\nmax_lifetime_secs = 2\n");
    fs::write(&cp.config_file, text).expect("rewrite config");
    cp.start();
    let password = cp.user_with_app_password("nurse@clinic.test");
    submit(&cp, &password);
    let copy = wait_for(&cp, "a deferred copy", |c| c["status"] == "deferred");
    let id = copy["id"].as_str().expect("id").to_string();
    std::thread::sleep(Duration::from_millis(2500));
    cp.cli_ok(&["queue", "retry", &id]);

    // The original copy bounces; a DSN (null sender) to the sender is queued.
    let all = poll_for(Duration::from_secs(60), Duration::from_millis(300), || {
        let all = copies(&cp);
        let bounced = all
            .iter()
            .any(|c| c["id"] == id.as_str() && c["status"] == "bounced");
        let dsn = all.iter().any(|c| c["address"] == "nurse@clinic.test");
        (bounced && dsn).then_some(all)
    })
    .unwrap_or_else(|| panic!("no bounce + DSN: {:?}\n{}", copies(&cp), cp.describe()));
    let bounced = all.iter().find(|c| c["id"] == id.as_str()).expect("copy");
    let error = bounced["last_error"].as_str().unwrap_or_default();
    assert!(
        error.contains("lifetime") || error.contains("expired"),
        "reason: {error}"
    );
    let dsn = all
        .iter()
        .find(|c| c["address"] == "nurse@clinic.test")
        .expect("dsn");
    let shown = cp.queue_show_json(dsn["message"].as_str().expect("message id"));
    assert_eq!(
        shown["message"]["envelope_from"],
        Value::Null,
        "DSNs use the null sender"
    );
    assert_eq!(shown["message"]["principal"], "system");
    cp.stop();
}
