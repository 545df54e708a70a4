//! The organisation's policy decides each copy at intake, with a real Postfix as next hop:
//!
//! * under the default policy, a message with an SSN to an outside recipient is not sent
//!   over SMTP at all (it waits for the portal), while a clean message is delivered; the
//!   audit log records the scan (categories and counts only) and each decision with the
//!   policy version it used;
//! * a stored policy that quarantines SSNs holds the copy, tells compliance (a notice with
//!   no content), and a reviewer's release delivers it and tells the sender; a rejection
//!   tells the sender the reason and the copy is never sent;
//! * a policy `reject` refuses the message at DATA with 550 5.7.1 and the policy's reason.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks).

mod support;

use std::fs;
use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksOutput, SwaksTls};
use support::{Carepost, Config, poll_for, unique_token};

const SENDER: &str = "frontdesk@clinic.test";
const COMPLIANCE: &str = "privacy@clinic.test";
const OUTSIDE: &str = "jdoe@dest.test";

/// Synthetic test data: the SSN is from the never-issued 9xx range's neighbour used in
/// examples, the name is invented.
fn ssn_body(tag: &str) -> String {
    format!(
        "Patient: Maria Testcase\nDOB: 03/14/1962\nSSN: 219-09-9999\nMRN: 00456712\n\
         Please update the intake record. {tag}\n"
    )
}

fn send(cp: &Carepost, password: &str, to: &str, subject: &str, body: &str) -> SwaksOutput {
    Swaks::new(cp.submission_port, SENDER, to)
        .tls(SwaksTls::Starttls)
        .auth(SENDER, password)
        .header(&format!("Subject: {subject}"))
        .body(body)
        .run()
}

fn setup(peer: &PostfixPeer) -> (Carepost, String) {
    let mut cfg = Config::delivering_to("dest.test", peer);
    // Notices to staff go to the same peer.
    cfg.routes.push(("clinic.test".into(), peer.addr()));
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    cp.cli_ok(&["user", "add", COMPLIANCE, "--role", "compliance"]);
    (cp, password)
}

fn audit_kinds(cp: &Carepost, message: &str) -> String {
    cp.cli_ok(&["audit", "search", "--message", message])
        .stdout_text()
}

fn message_of(listing: &serde_json::Value, status: &str) -> String {
    support::records(listing)
        .into_iter()
        .find(|r| r.get("status").and_then(|s| s.as_str()) == Some(status))
        .and_then(|r| {
            r.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| panic!("no copy with status {status}: {listing}"))
}

#[test]
fn default_policy_sends_ssn_to_the_portal_and_clean_mail_over_tls() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let (cp, password) = setup(&peer);

    let tag = unique_token("SSN-MAIL");
    let out = send(&cp, &password, OUTSIDE, "Intake update", &ssn_body(&tag));
    assert!(out.success(), "{}", out.transcript());
    let listing = cp.wait_for_status("awaiting-portal", 1, Duration::from_secs(30));
    let ssn_message = message_of(&listing, "awaiting-portal");

    let clean_tag = unique_token("CLEAN-MAIL");
    let out = send(
        &cp,
        &password,
        OUTSIDE,
        "Toner order",
        &format!("Two boxes of toner please. {clean_tag}\n"),
    );
    assert!(out.success(), "{}", out.transcript());
    peer.wait_for_message(&clean_tag, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !peer.messages().iter().any(|m| m.contains(&tag)),
        "the SSN message must not travel by SMTP"
    );

    let events = audit_kinds(&cp, &ssn_message);
    assert!(events.contains("\"kind\":\"message.scanned\""), "{events}");
    assert!(events.contains("SSN:1"), "{events}");
    assert!(events.contains("\"kind\":\"policy.decided\""), "{events}");
    assert!(events.contains("\"action\":\"portal\""), "{events}");
    assert!(events.contains("\"policy_version\":0"), "{events}");
    assert!(events.contains("ssn-external-portal"), "{events}");
    assert!(
        !events.contains("219-09-9999") && !events.contains("Testcase"),
        "{events}"
    );
}

#[test]
fn quarantine_notifies_compliance_and_the_reviewer_decides() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let (cp, password) = setup(&peer);
    let policy = cp.dir().join("policy.toml");
    fs::write(
        &policy,
        "[[rule]]\nname = \"ssn-review\"\nwhen = { categories = [\"SSN\"], recipient = \"external\" }\naction = \"quarantine\"\n\n\
         [[rule]]\nname = \"clean-any-tls\"\nwhen = { phi = false }\naction = \"deliver_any_tls\"\n",
    )
    .expect("write policy");
    cp.cli_ok(&["policy", "set", policy.to_str().expect("utf8")]);

    // First message: quarantined, compliance told, then released and delivered.
    let first = unique_token("REVIEW-ONE");
    assert!(send(&cp, &password, OUTSIDE, "Intake", &ssn_body(&first)).success());
    let listing = cp.wait_for_status("quarantined", 1, Duration::from_secs(30));
    let held = message_of(&listing, "quarantined");
    let notice = peer.wait_for_message("waiting for compliance review", Duration::from_secs(60));
    let text = notice.text();
    assert!(
        text.contains(&held) && text.contains("ssn-review"),
        "{text}"
    );
    assert!(
        text.contains(COMPLIANCE),
        "sent to the compliance officer: {text}"
    );
    assert!(
        !text.contains("219-09-9999") && !text.contains("Intake") && !text.contains(OUTSIDE),
        "{text}"
    );

    let shown = cp.cli_ok(&["quarantine", "show", &held]).stdout_text();
    assert!(
        shown.contains("SSN:1") && shown.contains("quarantine") && shown.contains("ssn-review"),
        "{shown}"
    );
    assert!(shown.contains("PHI on: a patient's identifier"), "{shown}");
    cp.cli_ok(&["quarantine", "release", &held]);
    peer.wait_for_message(&first, Duration::from_secs(60));
    let released = peer.wait_for_message(
        "was released after compliance review",
        Duration::from_secs(60),
    );
    assert!(released.text().contains(&held), "{}", released.text());

    // Second message: rejected with a reason; never sent.
    let second = unique_token("REVIEW-TWO");
    assert!(send(&cp, &password, OUTSIDE, "Intake", &ssn_body(&second)).success());
    let held_two = poll_for(Duration::from_secs(30), Duration::from_millis(300), || {
        let l = cp.queue_json();
        support::records(&l)
            .into_iter()
            .filter(|r| r.get("status").and_then(|s| s.as_str()) == Some("quarantined"))
            .find_map(|r| {
                r.get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
    })
    .expect("second message quarantined");
    cp.cli_ok(&[
        "quarantine",
        "reject",
        &held_two,
        "--reason",
        "Send identifiers through the portal",
    ]);
    let rejected = peer.wait_for_message("will not be delivered", Duration::from_secs(60));
    assert!(
        rejected
            .text()
            .contains("Send identifiers through the portal"),
        "{}",
        rejected.text()
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !peer.messages().iter().any(|m| m.contains(&second)),
        "a rejected copy was sent"
    );
    let events = audit_kinds(&cp, &held_two);
    assert!(events.contains("quarantine.rejected"), "{events}");
    let events = audit_kinds(&cp, &held);
    assert!(
        events.contains("quarantine.released") && events.contains("\"policy_version\":1"),
        "{events}"
    );
}

#[test]
fn a_policy_reject_refuses_the_message_at_data_with_its_reason() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let (cp, password) = setup(&peer);
    let policy = cp.dir().join("policy.toml");
    fs::write(
        &policy,
        "[[rule]]\nname = \"no-ssn-by-mail\"\nwhen = { categories = [\"SSN\"] }\naction = \"reject\"\n\
         reject_reason = \"Social Security numbers may not be e-mailed; use the portal\"\n",
    )
    .expect("write policy");
    cp.cli_ok(&["policy", "set", policy.to_str().expect("utf8")]);
    let out = send(&cp, &password, OUTSIDE, "Intake", &ssn_body("x"));
    assert!(!out.success());
    let reply = out.error_reply().unwrap_or_default();
    assert!(out.refused_with(550, Some("5.7.1")), "{}", out.transcript());
    assert!(reply.contains("may not be e-mailed"), "{reply}");
    assert!(
        !reply.contains("219-09"),
        "the reply must not echo values: {reply}"
    );
    assert_eq!(
        support::records(&cp.queue_json()).len(),
        0,
        "nothing was queued"
    );
}

#[test]
fn clean_mail_may_use_any_tls_but_phi_needs_a_verified_certificate() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    // The peer's test CA is NOT trusted here: its certificate cannot be verified.
    let mut cfg = Config::default();
    cfg.routes.push(("dest.test".into(), peer.addr()));
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    // The organisation opts in to any TLS for clean mail (the default policy does not).
    let policy = cp.dir().join("policy.toml");
    let default = cp.cli_ok(&["policy", "show"]).stdout_text();
    let relaxed = default.replace(
        "# [[rule]]\n# name = \"clean-any-tls\"\n# description = \"No PHI and nothing unscanned: TLS with any certificate\"\n# when = { phi = false, unscannable = false }\n# action = \"deliver_any_tls\"",
        "[[rule]]\nname = \"clean-any-tls\"\nwhen = { phi = false, unscannable = false }\naction = \"deliver_any_tls\"",
    );
    assert_ne!(
        relaxed, default,
        "the shipped example is where the test expects it"
    );
    fs::write(&policy, relaxed).expect("write policy");
    cp.cli_ok(&["policy", "set", policy.to_str().expect("utf8")]);

    let clean = unique_token("CLEAN-ANY-TLS");
    assert!(
        send(
            &cp,
            &password,
            OUTSIDE,
            "Toner",
            &format!("Two boxes of toner. {clean}\n")
        )
        .success()
    );
    peer.wait_for_message(&clean, Duration::from_secs(60));
    let listing = cp.wait_for_status("delivered", 1, Duration::from_secs(30));
    let delivered = support::records(&listing)
        .into_iter()
        .find(|r| r.get("status").and_then(|s| s.as_str()) == Some("delivered"))
        .expect("delivered copy");
    assert_eq!(delivered["route"], "any-tls", "{delivered}");
    assert_eq!(delivered["tls"]["verified"], false, "{delivered}");
    assert!(
        delivered["tls"]["tls_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("TLSv1.")),
        "{delivered}"
    );

    let phi = unique_token("PHI-NEEDS-VERIFIED");
    let body = format!(
        "Patient: Maria Testcase\nMRN: 00456712\nDOB: 03/14/1962\nFollow-up visit. {phi}\n"
    );
    assert!(send(&cp, &password, OUTSIDE, "Follow-up", &body).success());
    cp.wait_for_status("awaiting-portal", 1, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !peer.messages().iter().any(|m| m.contains(&phi)),
        "PHI went over an unverified session"
    );
}
