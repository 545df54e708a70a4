//! Staff use the admin console in a real browser (Debian's chromium, headless, driven by
//! playwright-core: tests/browser/console.mjs): the first admin signs in with the
//! generated password, must replace it (a breached one is refused), must register a
//! passkey (Chromium's virtual authenticator; an admin is never offered TOTP), signs out
//! and in again with it; a sender sets up an authenticator app (a wrong code and then a
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

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use support::http;
use support::portal::PortalFixture;
use support::{TestDir, run, which, workspace_root};

const NURSE: &str = "nurse@clinic.test";

fn require_browser_tools() {
    for tool in ["chromium", "node", "certutil", "curl"] {
        assert!(
            which(tool).is_some(),
            "CAREPOST_INTEROP=1 but `{tool}` is missing (scripts/setup-peers.sh installs it)"
        );
    }
    assert!(
        workspace_root()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "tests/browser is not installed: run `npm ci` in tests/browser (scripts/setup-peers.sh does)"
    );
}

/// A HOME whose NSS database trusts the test CA (WebAuthn needs a certificate the browser
/// really trusts).
fn chrome_home(ca: &std::path::Path) -> TestDir {
    let home = TestDir::new("chrome-home");
    let nssdb = home.join(".pki/nssdb");
    std::fs::create_dir_all(&nssdb).expect("nssdb dir");
    let db = format!("sql:{}", nssdb.display());
    run(
        Command::new("certutil").args(["-d", &db, "-N", "--empty-password"]),
        Duration::from_secs(30),
    )
    .assert_success();
    run(
        Command::new("certutil")
            .args(["-d", &db, "-A", "-t", "C,,", "-n", "carepost-test-ca", "-i"])
            .arg(ca),
        Duration::from_secs(30),
    )
    .assert_success();
    home
}

/// One HTTPS request with curl: (status, body). `from` picks the local source address.
fn curl(
    fx: &PortalFixture,
    from: &str,
    method: &str,
    path: &str,
    headers: &[String],
    body: Option<&str>,
) -> (u16, String) {
    let url = format!("https://localhost:{}{path}", fx.cp.http_port);
    let mut cmd = Command::new("curl");
    cmd.args([
        "-sS",
        "-w",
        "\n%{http_code}",
        "-X",
        method,
        "--interface",
        from,
    ])
    .arg("--cacert")
    .arg(fx.peer.ca_file());
    for h in headers {
        cmd.args(["-H", h]);
    }
    if let Some(b) = body {
        cmd.args(["--data-binary", b]);
    }
    cmd.arg(&url);
    let out = run(&mut cmd, Duration::from_secs(30));
    let text = out.stdout_text();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

#[test]
fn staff_sign_in_with_passkeys_and_totp_and_manage_sessions_in_chromium() {
    require_interop!();
    require_browser_tools();
    let fx = PortalFixture::start_with_peer_certificate("");
    let stdout = std::fs::read_to_string(&fx.cp.stdout_log).expect("stdout log");
    let admin_password = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("admin password:"))
        .map(|p| p.trim().to_string())
        .expect("serve printed the first admin's password");
    fx.cp.cli_ok(&["user", "add", NURSE, "--role", "sender"]);
    let nurse_password = fx
        .cp
        .cli_ok(&["user", "reset-password", NURSE])
        .stdout_text()
        .trim()
        .to_string();
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
    let home = chrome_home(&fx.peer.ca_file());
    let work = TestDir::new("console");
    let out_file = work.join("admin-session.json");
    let receipt_file = work.join("receipt.json");
    let artifacts = workspace_root().join("target/test-artifacts/console");
    let out = run(
        Command::new("node")
            .arg(workspace_root().join("tests/browser/console.mjs"))
            .current_dir(workspace_root().join("tests/browser"))
            .env(
                "CONSOLE_URL",
                format!("https://localhost:{}", fx.cp.http_port),
            )
            .env("ADMIN_ADDRESS", "admin@localhost")
            .env("ADMIN_PASSWORD", &admin_password)
            .env("ADMIN_NEW_PASSWORD", "violet harbour lantern 1947")
            .env("NURSE_ADDRESS", NURSE)
            .env("NURSE_PASSWORD", &nurse_password)
            .env("NURSE_NEW_PASSWORD", "quiet meadow bicycle 2031")
            .env("ARTIFACTS", &artifacts)
            .env("CHROME_HOME", home.path())
            .env("OUT_FILE", &out_file)
            .env("RECEIPT_FILE", &receipt_file),
        Duration::from_secs(240),
    );
    assert!(
        out.success(),
        "the browser run failed:\n{}\n{}",
        out.all_text(),
        fx.cp.describe()
    );
    assert!(
        out.stdout_text().contains("step: done"),
        "{}",
        out.all_text()
    );
    for shot in [
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
    ] {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "{shot}.png missing"
        );
    }

    // The receipt downloaded from the console checks offline.
    let receipt_arg = receipt_file.to_str().expect("utf8").to_string();
    let checked = fx.cp.cli_ok(&["audit", "verify-proof", &receipt_arg]);
    assert!(
        checked.stdout_text().contains("OK"),
        "{}",
        checked.describe()
    );

    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).expect("state")).expect("json");
    let cookie = format!(
        "Cookie: cp_console={}",
        state["cookie"].as_str().expect("cookie")
    );
    let browser_ua = format!("User-Agent: {}", state["user_agent"].as_str().expect("ua"));

    // The cookie from the browser's own network and user agent works...
    let (code, me) = curl(
        &fx,
        "127.0.0.1",
        "GET",
        "/api/v1/me",
        &[cookie.clone(), browser_ua.clone()],
        None,
    );
    assert_eq!(code, 200, "{me}");
    let me: Value = serde_json::from_str(&me).expect("json");
    assert_eq!(me["address"], "admin@localhost");
    let csrf = format!("x-csrf-token: {}", me["csrf_token"].as_str().expect("csrf"));
    // ...from another network and browser it must step up first (token replay defence).
    let (code, body) = curl(
        &fx,
        "127.0.1.1",
        "GET",
        "/api/v1/me",
        &[cookie.clone(), "User-Agent: curl/replayed".to_string()],
        None,
    );
    assert_eq!(code, 401, "{body}");
    assert!(body.contains("step_up_required"), "{body}");
    let (code, _) = curl(
        &fx,
        "127.0.1.1",
        "GET",
        "/console/sessions",
        &[cookie.clone(), "User-Agent: curl/replayed".to_string()],
        None,
    );
    assert_eq!(code, 303, "the page sends a replayed cookie to step up");

    // A form without the session's anti-forgery token is refused.
    let (code, _) = curl(
        &fx,
        "127.0.0.1",
        "POST",
        "/console/sessions/end-others",
        &[
            cookie.clone(),
            browser_ua.clone(),
            "Content-Type: application/x-www-form-urlencoded".to_string(),
        ],
        Some("csrf=forged"),
    );
    assert_eq!(code, 403);
    // A cross-site post is refused even with the token.
    let (code, _) = curl(
        &fx,
        "127.0.0.1",
        "POST",
        "/api/v1/me/sessions/end",
        &[
            cookie.clone(),
            browser_ua.clone(),
            csrf.clone(),
            "Sec-Fetch-Site: cross-site".to_string(),
            "Content-Type: application/json".to_string(),
        ],
        Some("{\"id\": \"x\"}"),
    );
    assert_eq!(code, 403);

    // The JSON twins: the users of the admin's organisation only.
    let (code, users) = curl(
        &fx,
        "127.0.0.1",
        "GET",
        "/api/v1/users",
        &[cookie.clone(), browser_ua.clone()],
        None,
    );
    assert_eq!(code, 200, "{users}");
    assert!(
        users.contains(NURSE) && !users.contains("someone@other.test"),
        "{users}"
    );
    let listed = fx.cp.cli_ok(&["user", "list", "--json"]).stdout_text();
    let other_id = listed
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|u| u["address"] == "someone@other.test")
        .and_then(|u| u["id"].as_str().map(str::to_string))
        .expect("other user id");
    let (code, body) = curl(
        &fx,
        "127.0.0.1",
        "POST",
        &format!("/api/v1/users/{other_id}/end-sessions"),
        &[cookie.clone(), browser_ua.clone(), csrf],
        None,
    );
    assert_eq!(
        code, 404,
        "another organisation's user is not found: {body}"
    );
    let (code, sessions) = curl(
        &fx,
        "127.0.0.1",
        "GET",
        "/api/v1/me/sessions",
        &[cookie, browser_ua],
        None,
    );
    assert_eq!(code, 200);
    let sessions: Value = serde_json::from_str(&sessions).expect("json");
    assert!(
        sessions
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["current"] == true)),
        "{sessions}"
    );

    // A forgotten password: a link by e-mail, once, then still the second factor.
    let jars = TestDir::new("reset");
    let base = format!("https://localhost:{}", fx.cp.http_port);
    let ca = fx.peer.ca_file();
    let form = "Content-Type: application/x-www-form-urlencoded".to_string();
    let csrf_of = |page: &http::Reply| {
        page.body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf field")
            .to_string()
    };
    let forgot = |address: &str| {
        let jar = jars.join("forgot");
        let page = http::request(
            "GET",
            &format!("{base}/console/forgot"),
            &ca,
            &[],
            None,
            Some(&jar),
        );
        let body = format!(
            "csrf={}&address={}",
            csrf_of(&page),
            address.replace('@', "%40")
        );
        http::request(
            "POST",
            &format!("{base}/console/forgot"),
            &ca,
            std::slice::from_ref(&form),
            Some(&body),
            Some(&jar),
        )
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
    let jar = jars.join("link");
    let opened = http::request("GET", &format!("{base}{path}"), &ca, &[], None, Some(&jar));
    assert_eq!(opened.status, 303, "{}", opened.body);
    assert_eq!(opened.location.as_deref(), Some("/console/password"));
    let page = http::request(
        "GET",
        &format!("{base}/console/password"),
        &ca,
        &[],
        None,
        Some(&jar),
    );
    let body = format!(
        "csrf={}&new=lilac+ferry+window+8120&again=lilac+ferry+window+8120",
        csrf_of(&page)
    );
    let changed = http::request(
        "POST",
        &format!("{base}/console/password"),
        &ca,
        std::slice::from_ref(&form),
        Some(&body),
        Some(&jar),
    );
    assert_eq!(
        changed.location.as_deref(),
        Some("/console/factor"),
        "a new password still needs the second factor: {}",
        changed.body
    );
    let again = http::request(
        "GET",
        &format!("{base}{path}"),
        &ca,
        &[],
        None,
        Some(&jars.join("again")),
    );
    assert_eq!(again.status, 404, "the link works once");
    let sent = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "auth.password_reset_sent"])
        .stdout_text();
    assert_eq!(
        sent.lines().count(),
        1,
        "one link, for the real address only: {sent}"
    );

    // The trail has it all, with no password in it.
    let trail = fx
        .cp
        .cli_ok(&["audit", "search", "--limit", "10000"])
        .stdout_text();
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
    for secret in [
        admin_password.as_str(),
        nurse_password.as_str(),
        "violet harbour lantern 1947",
        "quiet meadow bicycle 2031",
    ] {
        assert!(!trail.contains(secret), "a password reached the trail");
    }
    let logs = String::from_utf8_lossy(&fx.cp.logs()).to_string();
    assert!(
        !logs.contains("violet harbour lantern 1947") && !logs.contains(&nurse_password),
        "a password reached the logs"
    );
}
