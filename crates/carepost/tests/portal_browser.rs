//! A recipient uses the portal in a real browser: Debian's chromium, headless, driven by
//! playwright-core (tests/browser/portal.mjs). They open the link from the notification,
//! get a code from the mail carepost sent (read from a real Postfix's sink), read the
//! message, download the attachment, reply with a file, register a passkey with
//! Chromium's virtual authenticator, sign out, sign in again with the passkey instead of a
//! code, and open the link on a phone-sized screen in Spanish. Screenshots are saved in
//! target/test-artifacts/portal/.
//!
//! The browser trusts carepost's certificate for real (WebAuthn refuses pages with
//! certificate errors): carepost serves a certificate from the Postfix peer's test CA, and
//! that CA is added to an NSS database in the browser's own HOME.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, chromium, node with tests/browser installed,
//! certutil).

mod support;

use std::process::Command;
use std::time::Duration;

use support::portal::{PortalFixture, SENDER, mime_message};
use support::{TestDir, run, unique_token, which, workspace_root};

const OUTSIDE: &str = "pat.example@dest.test";

fn require_browser_tools() {
    for tool in ["chromium", "node", "certutil"] {
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

#[test]
fn a_recipient_reads_replies_and_signs_in_with_a_passkey_in_chromium() {
    require_interop!();
    require_browser_tools();
    let fx = PortalFixture::start_with_peer_certificate("");
    let marker = unique_token("browser");
    let pdf = format!("%PDF-1.4 synthetic report {marker}\n").into_bytes();
    fx.send(
        OUTSIDE,
        &mime_message(
            OUTSIDE,
            "Your lab results",
            &format!("Patient: Pat Example\nSSN: 219-09-9999\nResults are normal. {marker}\n"),
            &format!("<p>Dear Pat, your results are normal. {marker}</p>"),
            ("results.pdf", &pdf),
        ),
    );
    let link = fx.portal_link(OUTSIDE, 0);

    // A HOME whose NSS database trusts the test CA.
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
            .arg(fx.peer.ca_file()),
        Duration::from_secs(30),
    )
    .assert_success();

    let work = TestDir::new("browser");
    let attachment = work.join("expected.pdf");
    std::fs::write(&attachment, &pdf).expect("write");
    let reply_file = work.join("question.txt");
    let reply_tag = unique_token("reply");
    std::fs::write(&reply_file, format!("a question {reply_tag}")).expect("write");
    let artifacts = workspace_root().join("target/test-artifacts/portal");
    let out = run(
        Command::new("node")
            .arg(workspace_root().join("tests/browser/portal.mjs"))
            .current_dir(workspace_root().join("tests/browser"))
            .env("PORTAL_LINK", &link)
            .env("SINK_DIR", fx.peer.dir().join("sink"))
            .env("RECIPIENT", OUTSIDE)
            .env("BODY_MARKER", &marker)
            .env("ATTACHMENT_FILE", &attachment)
            .env("REPLY_TEXT", format!("Thank you! {reply_tag}"))
            .env("REPLY_FILE", &reply_file)
            .env("ARTIFACTS", &artifacts)
            .env("CHROME_HOME", home.path()),
        Duration::from_secs(240),
    );
    assert!(
        out.success(),
        "the browser run failed:\n{}\n{}",
        out.all_text(),
        fx.cp.describe()
    );
    let steps = out.stdout_text();
    assert!(steps.contains("step: done"), "{steps}");

    // The reply, with its attachment, reached the sender through the gateway.
    let reply = fx.wait_for_mail(SENDER, &reply_tag, 0);
    assert!(reply.contains("question.txt"), "{}", reply.text());
    for shot in [
        "01-landing",
        "03-message",
        "05-passkey-registered",
        "06-passkey-sign-in",
        "07-phone-es",
    ] {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "{shot}.png missing"
        );
    }
    let verified = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.verified"])
        .stdout_text();
    assert!(verified.contains("\"email-code\""), "{verified}");
    assert!(verified.contains("\"passkey\""), "{verified}");
    let registered = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.passkey_registered"])
        .stdout_text();
    assert_eq!(registered.lines().count(), 1, "{registered}");
}
