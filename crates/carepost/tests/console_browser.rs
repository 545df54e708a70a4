//! Staff use the admin console in a real browser (Debian's chromium, headless, driven by
//! playwright-core: tests/browser/console.mjs): the first admin signs in with the
//! generated password, must replace it (a breached one is refused), must register a
//! passkey (Chromium's virtual authenticator; an admin is never offered TOTP), signs out
//! and in again with it (the signed assertion, replayed in a fresh sign-in by someone who
//! knows the password, is refused and audited); a sender sets up an authenticator app (a wrong code and then a
//! replayed code are refused), keeps the recovery codes and signs in with one; the admin
//! ends all the sender's sessions. Screenshots go to target/test-artifacts/console/.
//!
//! Afterwards, with the admin's session cookie: the same cookie from another network and
//! browser must step up (token replay defence); a form without the anti-forgery token is
//! refused; another organisation's user is "not found" and the attempt is audited; and
//! the audit trail holds every sign-in, failure, password change and ended session.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, chromium, node with tests/browser installed,
//! certutil).

mod support;

use std::time::Duration;

use serde_json::Value;

use support::TestDir;
use support::browser::{
    ADMIN_NEW_PASSWORD, artifacts, assert_screenshots, chrome_home, first_admin_script,
    require_browser_tools, run_to_done,
};
use support::console::{BrowserSession, ConsoleClient, csrf_header};
use support::portal::PortalFixture;

const NURSE: &str = "nurse@clinic.test";

#[test]
fn staff_sign_in_with_passkeys_and_totp_and_manage_sessions_in_chromium() {
    require_interop!();
    require_browser_tools(&["chromium", "node", "certutil", "curl"]);
    let fx = PortalFixture::start_with_peer_certificate("");
    let admin_password = fx.cp.first_admin_password();
    fx.cp.cli_ok(&["user", "add", NURSE, "--role", "sender"]);
    let nurse_password = fx.cp.reset_password(NURSE);
    // Another organisation with a user, for the cross-organisation check.
    fx.cp.cli_ok(&["org", "add", "Other Clinic"]);
    fx.cp.cli_ok(&[
        "user",
        "add",
        "someone@other.test",
        "--role",
        "sender",
        "--tenant",
        "Other Clinic",
    ]);

    // One message of the organisation, delivered, for the queue page.
    let marker = support::unique_token("queue");
    fx.send(
        "pat.example@dest.test",
        &format!(
            "From: {}\r\nTo: <pat.example@dest.test>\r\nSubject: Appointment reminder\r\n\r\nSee you on Tuesday. {marker}\r\n",
            support::portal::SENDER
        ),
    );
    fx.peer.wait_for_message(&marker, Duration::from_secs(90));
    let home = chrome_home(&fx.cafile);
    let work = TestDir::new("console");
    let out_file = work.join("admin-session.json");
    let receipt_file = work.join("receipt.json");
    let artifacts = artifacts("console");
    run_to_done(
        first_admin_script("console.mjs", &fx.cp, home.path(), &artifacts, &out_file)
            .env("NURSE_ADDRESS", NURSE)
            .env("NURSE_PASSWORD", &nurse_password)
            .env("NURSE_NEW_PASSWORD", "quiet meadow bicycle 2031")
            .env("RECEIPT_FILE", &receipt_file),
        Duration::from_secs(240),
        &fx.cp,
    );
    assert_screenshots(
        &artifacts,
        &[
            "01-sign-in",
            "02-wrong-password",
            "03-enrol-passkey",
            "04-home",
            "05-sessions",
            "06-factor-passkey",
            "07-nurse-enrol",
            "08-nurse-recovery-codes",
            "09-users",
            "10-dashboard",
            "11-queue",
            "12-audit",
        ],
    );

    // The receipt downloaded from the console checks offline.
    let receipt_arg = receipt_file.to_str().expect("utf8").to_string();
    let checked = fx.cp.cli_ok(&["audit", "verify-proof", &receipt_arg]);
    assert!(
        checked.stdout_text().contains("OK"),
        "{}",
        checked.describe()
    );

    let c = ConsoleClient::trusting(&fx.cp, &fx.cafile);
    let session = BrowserSession::from_state_file(&c, &out_file);

    // The cookie from the browser's own network and user agent works...
    let me = session.me();
    assert_eq!(me["address"], "admin@localhost");
    let csrf = csrf_header(me["csrf_token"].as_str().expect("csrf"));
    // ...from another network and browser it must step up first (token replay defence).
    let replayed = |path: &str| {
        let headers = [
            session.cookie.clone(),
            "User-Agent: curl/replayed".to_string(),
        ];
        c.call_from(Some("127.0.1.1"), "GET", path, &headers, None, None)
    };
    let (code, body) = replayed("/api/v1/me").status_and_body();
    assert_eq!(code, 401, "{body}");
    assert!(body.contains("step_up_required"), "{body}");
    let code = replayed("/console/sessions").status;
    assert_eq!(code, 303, "the page sends a replayed cookie to step up");

    // A form without the session's anti-forgery token is refused.
    let code = session
        .request(
            "POST",
            "/console/sessions/end-others",
            &["Content-Type: application/x-www-form-urlencoded".to_string()],
            Some("csrf=forged"),
        )
        .status;
    assert_eq!(code, 403);
    // A cross-site post is refused even with the token.
    let code = session
        .request(
            "POST",
            "/api/v1/me/sessions/end",
            &[
                csrf.clone(),
                "Sec-Fetch-Site: cross-site".to_string(),
                "Content-Type: application/json".to_string(),
            ],
            Some("{\"id\": \"x\"}"),
        )
        .status;
    assert_eq!(code, 403);

    // The JSON twins: the users of the admin's organisation only.
    let (code, users) = session
        .request("GET", "/api/v1/users", &[], None)
        .status_and_body();
    assert_eq!(code, 200, "{users}");
    assert!(
        users.contains(NURSE) && !users.contains("someone@other.test"),
        "{users}"
    );
    let other_id = fx.cp.user_id("someone@other.test");
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/users/{other_id}/end-sessions"),
            &[csrf],
            None,
        )
        .status_and_body();
    assert_eq!(
        code, 404,
        "another organisation's user is not found: {body}"
    );
    let (code, sessions) = session
        .request("GET", "/api/v1/me/sessions", &[], None)
        .status_and_body();
    assert_eq!(code, 200);
    let sessions: Value = serde_json::from_str(&sessions).expect("json");
    assert!(
        sessions
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["current"] == true)),
        "{sessions}"
    );

    // A forgotten password: a link by e-mail, once, then still the second factor.
    let forgot = |address: &str| {
        let jar = c.jar("forgot");
        c.fill_in(None, "/console/forgot", &jar, &[("address", address)])
            .body
    };
    let unknown = forgot("nobody@clinic.test");
    let known = forgot(NURSE);
    assert!(
        known.contains("on its way") && unknown.contains("on its way"),
        "{known}"
    );
    let mail = fx.wait_for_mail(NURSE, "/console/reset/", 0);
    let text = mail.text();
    let path = text
        .split_whitespace()
        .find_map(|w| {
            w.split_once("/console/reset/")
                .map(|(_, t)| format!("/console/reset/{t}"))
        })
        .expect("the link");
    let jar = c.jar("link");
    let opened = c.call("GET", &path, &[], None, Some(&jar));
    assert_eq!(opened.status, 303, "{}", opened.body);
    assert_eq!(opened.location.as_deref(), Some("/console/password"));
    let new = "lilac ferry window 8120";
    let changed = c.fill_in(
        None,
        "/console/password",
        &jar,
        &[("new", new), ("again", new)],
    );
    assert_eq!(
        changed.location.as_deref(),
        Some("/console/factor"),
        "a new password still needs the second factor: {}",
        changed.body
    );
    let again = c.call("GET", &path, &[], None, Some(&c.jar("again")));
    assert_eq!(again.status, 404, "the link works once");
    let sent = fx.cp.audit_search("auth.password_reset_sent");
    assert_eq!(
        sent.lines().count(),
        1,
        "one link, for the real address only: {sent}"
    );

    // The trail has it all, with no password in it.
    let trail = fx.cp.audit_trail();
    for needle in [
        "\"auth.login_failed\"",
        "\"bad_password\"",
        "\"auth.password_changed\"",
        "\"console-passkey\"",
        "\"console-recovery-code\"",
        "\"wrong_code\"",
        "\"ended_by_admin\"",
        "\"other_organisation\"",
        "\"session_replay\"",
        "\"auth.logout\"",
    ] {
        assert!(
            trail.contains(needle),
            "{needle} not in the trail:\n{trail}"
        );
    }
    // The replayed passkey assertion (console.mjs step 6b) is a refused second factor.
    let refused_passkeys: Vec<Value> = fx
        .cp
        .audit_events("auth.mfa")
        .into_iter()
        .filter(|e| {
            e["details"]["method"] == "passkey" && e["details"]["outcome"] == "bad_assertion"
        })
        .collect();
    assert_eq!(refused_passkeys.len(), 1, "{refused_passkeys:?}");
    for secret in [
        admin_password.as_str(),
        nurse_password.as_str(),
        ADMIN_NEW_PASSWORD,
        "quiet meadow bicycle 2031",
    ] {
        assert!(!trail.contains(secret), "a password reached the trail");
    }
    let logs = String::from_utf8_lossy(&fx.cp.logs()).to_string();
    assert!(
        !logs.contains(ADMIN_NEW_PASSWORD) && !logs.contains(&nurse_password),
        "a password reached the logs"
    );
}
