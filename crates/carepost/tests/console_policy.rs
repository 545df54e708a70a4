//! The console's policy editor, dry run, quarantine review and queue actions in a real
//! browser (Debian's chromium, headless, driven by playwright-core:
//! tests/browser/console_policy.mjs), with a real Postfix as the next hop.
//!
//! The operator stores policy version 1 at the command line (SSN mail to three review
//! addresses is quarantined) and three such messages are submitted over SMTP. In the
//! browser the first admin (an owner, signed in with a passkey) saves an invalid document
//! (line and column shown, version 1 stays), saves a valid one (version 2; an edit of
//! version 1 saved afterwards in another tab is refused, not stored over it), runs a dry run
//! of a synthetic SSN to an outside address (the portal, and the rule that decided), sees
//! the three quarantined messages, releases one, rejects one with a reason, and releases
//! the third from the queue page; a compliance officer of another organisation finds none
//! of them ("not found", pages and JSON). Screenshots go to target/test-artifacts/console/.
//!
//! Afterwards: both released messages reach Postfix and the sender is told; the rejected
//! one never does, and the sender's notice has the reason but not the subject; the audit
//! trail holds the policy change by the admin, the dry run's look at the message, the
//! release, the rejection and the refused cross-organisation attempts; with the admin's
//! session cookie the JSON twins answer, and a write without `x-csrf-token` is refused.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, chromium, node with tests/browser installed,
//! certutil, curl).

mod support;

use std::time::Duration;

use serde_json::Value;

use support::browser::{
    artifacts, assert_screenshots, chrome_home, first_admin_script, require_browser_tools,
    run_to_done,
};
use support::console::{BrowserSession, ConsoleClient, csrf_header};
use support::portal::{PortalFixture, SENDER};
use support::{TestDir, poll_for, unique_token};

/// The quarantined messages go to these two (dest.test is the Postfix peer).
const HOLD: [&str; 2] = ["hold.one@dest.test", "hold.two@dest.test"];
/// A recipient whose next hop refuses connections: its copy is deferred.
const DEFERRED: &str = "someone@dead.test";
/// Appended right after the fixture's `[delivery.routes]` entries, so its first line is one
/// more route (dead.test goes to a closed port); and a short step-up window, so the browser
/// can wait it out and see a save refused.
const EXTRA_TOML: &str = "\"dead.test\" = \"127.0.0.1:1\"\n\n[console]\nstep_up_secs = 20\n";
/// Longer than the step-up window.
const STEP_UP_WAIT_MS: &str = "21000";
/// The auditor of the organisation (looks at the policy, may not change it).
const AUDITOR: &str = "audit@clinic.test";
/// Screenshots this test makes (removed first, so old ones cannot pass for new).
const SHOTS: [&str; 12] = [
    "p01-policy",
    "p02-policy-step-up-needed",
    "p03-policy-invalid",
    "p04-policy-saved",
    "p05-dry-run",
    "p06-policy-version-1",
    "q01-quarantine",
    "q02-detail",
    "q03-rejected",
    "q04-queue",
    "q05-queue-released",
    "q06-other-organisation",
];
const OTHER: &str = "privacy@other.test";
/// Synthetic: the SSN is the SSA's well-known invalid example range, the name invented.
const SSN: &str = "219-09-9999";
const SUBJECT: &str = "Zebra intake follow-up";
const REASON: &str = "Please send identifiers through the portal";

fn policy_v1() -> String {
    format!(
        "format = 1\ndescription = \"console test: quarantine for review\"\n\n[[rule]]\n\
         name = \"review-desk-quarantine\"\n\
         when = {{ categories = [\"SSN\"], recipient_addresses = [\"{}\", \"{}\"] }}\n\
         action = \"quarantine\"\n\n[[rule]]\nname = \"ssn-external-portal\"\n\
         when = {{ categories = [\"SSN\"], recipient = \"external\" }}\naction = \"portal\"\n\n\
         [[rule]]\nname = \"clean-any-tls\"\nwhen = {{ phi = false }}\naction = \"deliver_any_tls\"\n",
        HOLD[0], HOLD[1]
    )
}

/// Line 5, column 24 is the unknown category.
const INVALID: &str = "format = 1\n\n[[rule]]\nname = \"bad\"\nwhen = { categories = [\"SOCIAL\"] }\n\
action = \"portal\"\n";

/// The message id of the quarantined copy to `address`.
fn quarantined_message(fx: &PortalFixture, address: &str) -> String {
    poll_for(Duration::from_secs(60), Duration::from_millis(300), || {
        let listing = fx.cp.queue_json();
        support::records(&listing)
            .into_iter()
            .filter(|r| r.get("status").and_then(Value::as_str) == Some("quarantined"))
            .filter(|r| r.get("address").and_then(Value::as_str) == Some(address))
            .find_map(|r| r.get("message").and_then(Value::as_str).map(str::to_string))
    })
    .unwrap_or_else(|| panic!("no quarantined copy to {address}\n{}", fx.cp.describe()))
}

#[test]
fn the_policy_editor_dry_run_and_quarantine_review_work_in_chromium() {
    require_interop!();
    require_browser_tools(&["chromium", "node", "certutil", "curl"]);
    let fx = PortalFixture::start_with_peer_certificate(EXTRA_TOML);
    fx.cp.cli_ok(&["org", "add", "Other Clinic"]);
    fx.cp.cli_ok(&[
        "user",
        "add",
        OTHER,
        "--role",
        "compliance",
        "--tenant",
        "Other Clinic",
    ]);
    fx.cp.cli_ok(&["user", "add", AUDITOR, "--role", "auditor"]);
    let other_password = fx.cp.reset_password(OTHER);

    // Version 1 by the operator; two messages quarantined under it, and a clean one whose
    // copy is deferred.
    let work = TestDir::new("console-policy");
    let v1 = work.join("policy-v1.toml");
    std::fs::write(&v1, policy_v1()).expect("write policy");
    fx.cp.cli_ok(&["policy", "set", v1.to_str().expect("utf8")]);
    let markers: Vec<String> = (0..2).map(|i| unique_token(&format!("HELD{i}"))).collect();
    for (to, marker) in HOLD.iter().zip(&markers) {
        fx.send(
            to,
            &format!(
                "From: {SENDER}\r\nTo: <{to}>\r\nSubject: {SUBJECT}\r\nContent-Type: text/plain\r\n\r\n\
                 Patient: Maria Testcase\r\nSSN: {SSN}\r\nPlease update the record. {marker}\r\n"
            ),
        );
    }
    let ids: Vec<String> = HOLD.iter().map(|a| quarantined_message(&fx, a)).collect();
    let (release_id, reject_id) = (&ids[0], &ids[1]);
    fx.send(
        DEFERRED,
        &format!(
            "From: {SENDER}\r\nTo: <{DEFERRED}>\r\nSubject: Printer toner\r\n\r\n\
             Two boxes of toner, please.\r\n"
        ),
    );
    let queue_id = &poll_for(Duration::from_secs(90), Duration::from_millis(300), || {
        let listing = fx.cp.queue_json();
        support::records(&listing)
            .into_iter()
            .filter(|r| r.get("status").and_then(Value::as_str) == Some("deferred"))
            .filter(|r| r.get("address").and_then(Value::as_str) == Some(DEFERRED))
            .find_map(|r| r.get("message").and_then(Value::as_str).map(str::to_string))
    })
    .unwrap_or_else(|| panic!("no deferred copy\n{}", fx.cp.describe()));

    let home = chrome_home(&fx.cafile);
    let out_file = work.join("admin-session.json");
    let artifacts = artifacts("console");
    for shot in SHOTS {
        let _ = std::fs::remove_file(artifacts.join(format!("{shot}.png")));
    }
    let valid = policy_v1().replace(
        "console test: quarantine for review",
        "console test: second version",
    );
    let test_message = format!(
        "From: {SENDER}\nTo: pat.example@dest.test\nSubject: Lab results\nContent-Type: text/plain\n\n\
         Patient: Maria Testcase\nSSN: {SSN}\nResults attached.\n"
    );
    run_to_done(
        first_admin_script(
            "console_policy.mjs",
            &fx.cp,
            home.path(),
            &artifacts,
            &out_file,
        )
        .env("OTHER_ADDRESS", OTHER)
        .env("OTHER_PASSWORD", &other_password)
        .env("OTHER_NEW_PASSWORD", "copper willow canyon 5510")
        .env("INVALID_POLICY", INVALID)
        .env("VALID_POLICY", &valid)
        .env("TEST_MESSAGE", &test_message)
        .env("TEST_TO", "pat.example@dest.test")
        .env("TEST_SECRET", SSN)
        .env("STEP_UP_WAIT_MS", STEP_UP_WAIT_MS)
        .env("RELEASE_ID", release_id)
        .env("REJECT_ID", reject_id)
        .env("QUEUE_ID", queue_id)
        .env("REJECT_REASON", REASON),
        Duration::from_secs(300),
        &fx.cp,
    );
    assert_screenshots(&artifacts, &SHOTS);

    // Released from the quarantine page: delivered to Postfix, and the sender is told.
    fx.peer
        .wait_for_message(&markers[0], Duration::from_secs(90));
    let told = fx.wait_for_mail(SENDER, "was released after compliance review", 0);
    assert!(told.text().contains(release_id.as_str()), "{}", told.text());
    assert!(!told.text().contains(SUBJECT), "{}", told.text());
    // Rejected: the sender is told the reason, never the subject; the copy is not sent.
    let notice = fx.wait_for_mail(SENDER, "will not be delivered", 0);
    let text = notice.text();
    assert!(
        text.contains(reject_id.as_str()) && text.contains(REASON),
        "{text}"
    );
    assert!(
        !text.contains(SUBJECT) && !text.contains(SSN) && !text.contains("Testcase"),
        "the notice carries no subject or content: {text}"
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !fx.peer.messages().iter().any(|m| m.contains(&markers[1])),
        "a rejected copy was sent"
    );

    // Policy: version 2 is in force, stored by the admin, audited with their address.
    let shown = fx.cp.cli_ok(&["policy", "show"]);
    assert!(
        shown.stderr_text().contains("policy version 2") && shown.stdout_text() == valid,
        "{}",
        shown.describe()
    );
    let changed = fx.cp.audit_events("admin.policy_changed");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(changed[1]["actor"]["type"], "user", "{}", changed[1]);
    assert_eq!(
        changed[1]["details"]["previous_version"], 1,
        "{}",
        changed[1]
    );
    assert_eq!(changed[1]["source_ip"], "127.0.0.1", "{}", changed[1]);
    let queried = fx.cp.audit_events("audit.queried");
    assert!(
        queried
            .iter()
            .any(|e| e["details"]["query"] == "policy_test" && e["actor"]["type"] == "user"),
        "{queried:?}"
    );
    assert!(
        queried
            .iter()
            .any(|e| e["details"]["query"] == "quarantine_detail"),
        "{queried:?}"
    );
    let released = fx.cp.audit_events("quarantine.released");
    assert_eq!(released.len(), 1, "{released:?}");
    let queue_changes = fx.cp.audit_events("admin.queue_changed");
    let actions: Vec<&str> = queue_changes
        .iter()
        .filter(|e| e["actor"]["type"] == "user")
        .filter_map(|e| e["details"]["action"].as_str())
        .collect();
    assert_eq!(actions, ["hold", "release"], "{queue_changes:?}");
    assert_eq!(fx.cp.audit_events("quarantine.rejected").len(), 1);
    let refused = fx.cp.audit_events("auth.access_decided");
    assert!(
        refused
            .iter()
            .filter(|e| e["details"]["reasons"][0] == "other_organisation")
            .count()
            >= 4,
        "every cross-organisation attempt is audited: {refused:?}"
    );
    let trail = fx.cp.audit_trail();
    assert!(
        !trail.contains(SSN) && !trail.contains(SUBJECT) && !trail.contains(REASON),
        "no PHI or free text in the trail"
    );

    // The JSON twins with the admin's session cookie.
    let c = ConsoleClient::trusting(&fx.cp, &fx.cafile);
    let session = BrowserSession::from_state_file(&c, &out_file);
    let json = "Content-Type: application/json".to_string();
    let csrf = session.csrf_header();
    let (code, listing) = session
        .request("GET", "/api/v1/quarantine", &[], None)
        .status_and_body();
    assert_eq!(code, 200, "{listing}");
    assert_eq!(listing.trim(), "[]", "nothing is left in quarantine");
    let (code, detail) = session
        .request(
            "GET",
            &format!("/api/v1/quarantine/{release_id}"),
            &[],
            None,
        )
        .status_and_body();
    assert_eq!(code, 200, "{detail}");
    assert!(
        detail.contains("review-desk-quarantine")
            && detail.contains("SSN")
            && detail.contains("\"phi_basis\":[\"identifier\"]")
            && !detail.contains(SUBJECT),
        "{detail}"
    );
    let dry_run = serde_json::json!({
        "message": test_message.replace('\n', "\r\n"),
        "to": HOLD[0],
    })
    .to_string();
    let (code, answer) = session
        .request(
            "POST",
            "/api/v1/policy/dry-run",
            &[csrf.clone(), json.clone()],
            Some(&dry_run),
        )
        .status_and_body();
    assert_eq!(code, 200, "{answer}");
    let answer: Value = serde_json::from_str(&answer).expect("json");
    assert_eq!(answer["policy_version"], 2, "{answer}");
    assert_eq!(answer["action"]["kind"], "quarantine", "{answer}");
    assert_eq!(answer["decided_by"], "review-desk-quarantine", "{answer}");
    assert!(!answer.to_string().contains(SSN), "{answer}");
    // A draft instead of the version in force: an invalid one answers with its line.
    let draft = serde_json::json!({
        "message": test_message.replace('\n', "\r\n"),
        "to": HOLD[0],
        "document": INVALID,
    })
    .to_string();
    let (code, answer) = session
        .request(
            "POST",
            "/api/v1/policy/dry-run",
            &[csrf.clone(), json.clone()],
            Some(&draft),
        )
        .status_and_body();
    assert_eq!(code, 422, "{answer}");
    let answer: Value = serde_json::from_str(&answer).expect("json");
    assert_eq!(
        (answer["line"].as_u64(), answer["column"].as_u64()),
        (Some(5), Some(24))
    );
    // Writes without the anti-forgery token are refused, and change nothing.
    let (code, body) = session
        .request(
            "POST",
            "/api/v1/policy/dry-run",
            std::slice::from_ref(&json),
            Some(&dry_run),
        )
        .status_and_body();
    assert_eq!(code, 403, "{body}");
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/queue/{release_id}/hold"),
            &[],
            None,
        )
        .status_and_body();
    assert_eq!(code, 403, "{body}");
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/quarantine/{release_id}/reject"),
            &[json],
            Some("{\"reason\": \"forged\"}"),
        )
        .status_and_body();
    assert_eq!(code, 403, "{body}");
    // With the token: the delivered copy cannot be held (nothing changes), an unknown id is
    // not found.
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/queue/{release_id}/hold"),
            std::slice::from_ref(&csrf),
            None,
        )
        .status_and_body();
    assert_eq!(code, 200, "{body}");
    let held: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(held["copies"][0]["changed"], false, "{held}");
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/queue/{}/retry", uuid_like()),
            &[csrf],
            None,
        )
        .status_and_body();
    assert_eq!(code, 404, "{body}");
    // The console's own forms refuse a forged anti-forgery token.
    let form = "Content-Type: application/x-www-form-urlencoded".to_string();
    for (path, body) in [
        ("/console/policy", "csrf=forged&document=format+%3D+1%0A"),
        (
            "/console/policy/test",
            "csrf=forged&message=x&to=a%40b.test",
        ),
        (
            &*format!("/console/quarantine/{release_id}/reject"),
            "csrf=forged&reason=x",
        ),
        (&*format!("/console/queue/{queue_id}/hold"), "csrf=forged"),
    ] {
        let code = session
            .request("POST", path, std::slice::from_ref(&form), Some(body))
            .status;
        assert_eq!(code, 403, "{path} with a forged token");
    }

    // An auditor looks at the policy and may test a message, but stores nothing, reviews no
    // quarantine and acts on no copy.
    let jar = c.jar("auditor");
    let auditor_csrf = c.first_sign_in_after_reset(None, AUDITOR, &jar).csrf;
    let as_auditor = |method: &str, path: &str, headers: &[String], body: Option<&str>| {
        c.call(method, path, headers, body, Some(&jar))
    };
    let page = as_auditor("GET", "/console/policy", &[], None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("readonly") && !page.body.contains("id=\"save\""),
        "{}",
        page.body
    );
    let r = as_auditor(
        "POST",
        "/console/policy",
        std::slice::from_ref(&form),
        Some(&format!(
            "csrf={auditor_csrf}&document=format+%3D+1%0Adescription+%3D+%22mine%22%0A"
        )),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let shown = fx.cp.cli_ok(&["policy", "show"]);
    assert!(
        shown.stderr_text().contains("policy version 2"),
        "{}",
        shown.describe()
    );
    let r = as_auditor(
        "POST",
        "/api/v1/policy/dry-run",
        &[csrf_header(&auditor_csrf), json_type()],
        Some(&dry_run),
    );
    assert_eq!(r.status, 200, "an auditor may test a message: {}", r.body);
    assert_eq!(
        as_auditor("GET", "/console/quarantine", &[], None).status,
        403
    );
    assert_eq!(
        as_auditor("GET", "/api/v1/quarantine", &[], None).status,
        403
    );
    let r = as_auditor(
        "POST",
        &format!("/api/v1/queue/{queue_id}/hold"),
        &[csrf_header(&auditor_csrf)],
        None,
    );
    assert_eq!(r.status, 403, "{}", r.body);

    let logs = String::from_utf8_lossy(&fx.cp.logs()).to_string();
    assert!(!logs.contains(SSN), "PHI reached the logs");
}

fn json_type() -> String {
    "Content-Type: application/json".to_string()
}

/// An id nobody has.
fn uuid_like() -> String {
    "00000000-0000-4000-8000-000000000000".to_string()
}
