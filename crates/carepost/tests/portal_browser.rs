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

use std::time::Duration;

use support::browser::{
    artifacts, assert_screenshots, chrome_home, require_browser_tools, run_to_done, script,
};
use support::portal::{PortalFixture, SENDER, mime_message};
use support::{TestDir, unique_token};

const OUTSIDE: &str = "pat.example@dest.test";

#[test]
fn a_recipient_reads_replies_and_signs_in_with_a_passkey_in_chromium() {
    require_interop!();
    require_browser_tools(&["chromium", "node", "certutil"]);
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

    let home = chrome_home(&fx.cafile);
    let work = TestDir::new("browser");
    let attachment = work.join("expected.pdf");
    std::fs::write(&attachment, &pdf).expect("write");
    let reply_file = work.join("question.txt");
    let reply_tag = unique_token("reply");
    std::fs::write(&reply_file, format!("a question {reply_tag}")).expect("write");
    let artifacts = artifacts("portal");
    run_to_done(
        script("portal.mjs")
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
        &fx.cp,
    );

    // The reply, with its attachment, reached the sender through the gateway.
    let reply = fx.wait_for_mail(SENDER, &reply_tag, 0);
    assert!(reply.contains("question.txt"), "{}", reply.text());
    assert_screenshots(
        &artifacts,
        &[
            "01-landing",
            "03-message",
            "05-passkey-registered",
            "06-passkey-sign-in",
            "07-phone-es",
        ],
    );
    let verified = fx.cp.audit_search("portal.verified");
    assert!(verified.contains("\"email-code\""), "{verified}");
    assert!(verified.contains("\"passkey\""), "{verified}");
    let registered = fx.cp.audit_search("portal.passkey_registered");
    assert_eq!(registered.lines().count(), 1, "{registered}");
}
