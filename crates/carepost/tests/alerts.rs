//! Security alerts end to end (issue 6 item 11): failed SMTP AUTH attempts are recorded as
//! `auth.login_failed`, the alert task reads them from the audit log, and a burst raises
//! one alert e-mail to the organisation's admins, delivered over TLS to a private Postfix
//! peer. Pair: a burst alerts once; fewer failures than the threshold alert nobody. Also:
//! break-glass use in the console is e-mailed to the admins and the compliance officer,
//! and an administrator's reset of someone's second factors to the admins (a sender of the
//! same domain hears of neither).
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks, openssl, curl).

mod support;

use std::fs;
use std::time::{Duration, Instant};

use support::console::{ConsoleClient, NEW_PASSWORD};
use support::postfix::{PeerTls, PostfixPeer, SinkMessage};
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config};

/// The admins' domain: routed to the Postfix peer, so their alerts land in its sink.
const ADMIN_DOMAIN: &str = "dest.test";
const ADMIN: &str = "security-admin@dest.test";
/// A member of staff at the same domain who is not an admin: must get nothing.
const CLERK: &str = "clerk@dest.test";
/// The compliance officer: told of break-glass use, not of other alerts.
const COMPLIANCE: &str = "privacy@dest.test";
/// Whose password is guessed (10 times: the default threshold).
const TARGET: &str = "nurse@clinic.test";
/// Whose password is mistyped 9 times (one fewer than the threshold).
const MISTYPER: &str = "doctor@clinic.test";
const WRONG_PASSWORD: &str = "Wrong-Password-Canary-7d41";
const ALERT_TIMEOUT: Duration = Duration::from_secs(90);
const SUBJECT_MARK: &str = "Security alert";

fn failed_logins(cp: &Carepost, user: &str, from_ip: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    for i in 0..n {
        assert!(
            Instant::now() < deadline,
            "{n} failed logins took longer than 120 s"
        );
        let out = Swaks::new(cp.submission_port, user, "someone@example.test")
            .tls(SwaksTls::Starttls)
            .auth(user, WRONG_PASSWORD)
            .local_interface(from_ip)
            .run();
        assert!(
            !out.success() && out.refused_with(535, Some("5.7")),
            "attempt {i} with a wrong password must be refused with 535 5.7.x\n{}",
            out.transcript()
        );
    }
}

fn alert_mails(peer: &PostfixPeer) -> Vec<SinkMessage> {
    peer.messages()
        .into_iter()
        .filter(|m| m.contains(SUBJECT_MARK))
        .collect()
}

#[test]
fn a_burst_of_failed_logins_emails_the_admins_once_and_fewer_failures_email_nobody() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to(ADMIN_DOMAIN, &peer);
    cfg.extra_toml = "[alerts]\npoll_interval_secs = 1\n".to_owned();
    let mut cp = Carepost::new(&cfg);
    cp.start();
    cp.cli_ok(&["user", "add", ADMIN, "--role", "admin"]);
    cp.cli_ok(&["user", "add", CLERK, "--role", "sender"]);
    let _ = cp.user_with_app_password(TARGET);
    let _ = cp.user_with_app_password(MISTYPER);

    // Bad case first, from its own address: 9 failures for one user alert nobody. The task
    // reads the log in order, so once the burst below has alerted, these were read too.
    failed_logins(&cp, MISTYPER, "127.0.0.2", 9);
    // Good case: 12 failures (threshold 10) for one user from one address.
    failed_logins(&cp, TARGET, "127.0.0.3", 12);

    let mail = peer.wait_for_message(SUBJECT_MARK, ALERT_TIMEOUT);
    let text = mail.text();
    let ctx = || format!("alert mail:\n{text}\n{}", cp.describe());
    assert!(
        text.contains(&format!("<{ADMIN}>")),
        "sent to the admin\n{}",
        ctx()
    );
    assert!(text.contains("failed sign-ins"), "{}", ctx());
    assert!(text.contains(TARGET), "names the user\n{}", ctx());
    assert!(
        text.contains("From address:  127.0.0.3"),
        "names the address\n{}",
        ctx()
    );
    assert!(
        text.contains("carepost audit search --kind auth.login_failed"),
        "{}",
        ctx()
    );
    assert!(text.contains("What to do:"), "{}", ctx());
    assert!(!text.contains(WRONG_PASSWORD), "no password\n{}", ctx());
    assert!(
        !text.contains(MISTYPER),
        "the 9 failures are not alerted\n{}",
        ctx()
    );
    assert!(!text.contains(CLERK), "a sender is not told\n{}", ctx());
    assert!(text.contains("Auto-Submitted: auto-generated"), "{}", ctx());

    // Exactly one: the two failures past the threshold raise nothing, and neither does the
    // other user's 9. Give the task several polls (and the notice time to be delivered).
    std::thread::sleep(Duration::from_secs(8));
    let all = alert_mails(&peer);
    assert_eq!(
        all.len(),
        1,
        "one alert per burst, got {}:\n{}\n{}",
        all.len(),
        all.iter()
            .map(SinkMessage::text)
            .collect::<Vec<_>>()
            .join("\n-----\n"),
        peer.describe()
    );

    // The carepost logs name neither the password nor the staff addresses.
    let logs = String::from_utf8_lossy(&cp.logs()).into_owned();
    assert!(logs.contains("security alert queued"), "{}", cp.describe());
    for secret in [WRONG_PASSWORD, TARGET, ADMIN] {
        assert!(
            !logs.contains(secret),
            "{secret} in the logs\n{}",
            cp.describe()
        );
    }
}

#[test]
fn history_is_never_alerted_and_a_restart_does_not_alert_twice() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to(ADMIN_DOMAIN, &peer);
    cfg.extra_toml = "[alerts]\nenabled = false\npoll_interval_secs = 1\n".to_owned();
    let mut cp = Carepost::new(&cfg);
    cp.start();
    cp.cli_ok(&["user", "add", ADMIN, "--role", "admin"]);
    let _ = cp.user_with_app_password(TARGET);
    let _ = cp.user_with_app_password(MISTYPER);

    // A burst while alerts are off is history once they are turned on.
    failed_logins(&cp, TARGET, "127.0.0.4", 10);
    cp.stop();
    let text = cp
        .config_text()
        .replace("enabled = false", "enabled = true");
    fs::write(&cp.config_file, text).expect("rewrite config");
    cp.start();
    std::thread::sleep(Duration::from_secs(5));
    assert!(
        alert_mails(&peer).is_empty(),
        "events from before the first start are not alerted\n{}",
        cp.describe()
    );

    // A new burst alerts once, about the new burst only.
    failed_logins(&cp, MISTYPER, "127.0.0.5", 10);
    let mail = peer.wait_for_message(SUBJECT_MARK, ALERT_TIMEOUT);
    assert!(mail.contains(MISTYPER), "{}", mail.text());
    assert!(!mail.contains(TARGET), "{}", mail.text());

    // The cursor was saved after the alert was queued: a restart sends nothing again.
    cp.stop();
    cp.start();
    std::thread::sleep(Duration::from_secs(5));
    let all = alert_mails(&peer);
    assert_eq!(
        all.len(),
        1,
        "a restart must not repeat alerts\n{}\n{}",
        all.iter()
            .map(SinkMessage::text)
            .collect::<Vec<_>>()
            .join("\n-----\n"),
        cp.describe()
    );
}

/// Break-glass use is e-mailed to the admins and the compliance officer, and an
/// administrator's reset of someone's second factors to the admins (issue 6 items 8 and
/// 11). Pair: the same organisation's sender is told of neither.
#[test]
fn break_glass_and_an_mfa_reset_email_the_people_who_must_know() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to(ADMIN_DOMAIN, &peer);
    cfg.extra_toml = "[alerts]\npoll_interval_secs = 1\n".to_owned();
    let mut cp = Carepost::new(&cfg);
    cp.start();
    cp.cli_ok(&["user", "add", ADMIN, "--role", "admin"]);
    cp.cli_ok(&["user", "add", COMPLIANCE, "--role", "compliance"]);
    cp.cli_ok(&["user", "add", CLERK, "--role", "sender"]);
    cp.cli_ok(&["user", "add", TARGET, "--role", "sender"]);
    let c = ConsoleClient::new(&cp);
    let nurse = c.jar("nurse");
    c.first_sign_in_after_reset(None, TARGET, &nurse);

    // The admin's authenticator is unavailable: break-glass, with a reason.
    let admin = c.jar("admin");
    let csrf = c.break_glass(ADMIN, &admin);
    let glass = peer.wait_for_message("break-glass access was used", ALERT_TIMEOUT);
    let text = glass.text();
    let ctx = || format!("alert mail:\n{text}\n{}", cp.describe());
    for (who, told) in [(ADMIN, true), (COMPLIANCE, true), (CLERK, false)] {
        assert_eq!(
            text.contains(&format!("<{who}>")),
            told,
            "{who} told of break-glass: {told}\n{}",
            ctx()
        );
    }
    assert!(text.contains(ADMIN), "names who used it\n{}", ctx());

    // In that session (stepped up when it began) the admin resets the nurse's factors.
    let nurse_id = cp.user_id(TARGET);
    let reset = c.post_json(
        &format!("/api/v1/users/{nurse_id}/reset-mfa"),
        &admin,
        Some(&csrf),
        &serde_json::json!({}),
    );
    assert_eq!(reset.status, 200, "{}\n{}", reset.body, cp.describe());
    let mail = peer.wait_for_message("second factors were reset", ALERT_TIMEOUT);
    let text = mail.text();
    let ctx = || format!("alert mail:\n{text}\n{}", cp.describe());
    assert!(text.contains(TARGET), "names whose factors\n{}", ctx());
    for (who, told) in [(ADMIN, true), (COMPLIANCE, false), (CLERK, false)] {
        assert_eq!(
            text.contains(&format!("<{who}>")),
            told,
            "{who} told of the reset: {told}\n{}",
            ctx()
        );
    }
    // Only an owner acts on an owner: the admin may neither reset the owner's factors nor
    // end the owner's sessions.
    let owner_id = cp
        .users()
        .iter()
        .find(|u| u["role"] == "owner")
        .and_then(|u| u["id"].as_str())
        .expect("the first owner")
        .to_string();
    for action in ["reset-mfa", "end-sessions"] {
        let r = c.post_json(
            &format!("/api/v1/users/{owner_id}/{action}"),
            &admin,
            Some(&csrf),
            &serde_json::json!({}),
        );
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (403, Some("owners_only")),
            "{action}: {}",
            r.body
        );
    }
    // The reset took effect: the nurse's sessions ended and their next sign-in sets up a
    // new second factor.
    assert_eq!(c.me(&nurse).status, 401, "the nurse's session ended");
    let again = c.fill_in(
        None,
        "/console/sign-in",
        &c.jar("nurse-again"),
        &[("address", TARGET), ("password", NEW_PASSWORD)],
    );
    assert_eq!(
        again.location.as_deref(),
        Some("/console/enrol"),
        "{}",
        again.body
    );
}
