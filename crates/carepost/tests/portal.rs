//! The secure portal end to end over real HTTPS (curl) with a real Postfix as everyone's
//! mail server:
//!
//! * a message with an SSN to an outside recipient becomes a portal copy; the recipient
//!   gets a notification with a link and no PHI (neither subject nor body);
//! * the link alone shows no content; a code mailed to the recipient opens a session; the
//!   message is shown sanitised (XSS payloads in the subject and HTML inert), the
//!   attachment downloads with safe headers, and a reply (with an attachment) reaches the
//!   sender through the gateway;
//! * the sender sees every step (`carepost portal list`, the API) and the audit trail
//!   holds each event;
//! * attacks: guessed links, code brute force (lockout), session fixation, reading another
//!   recipient's or another organisation's copy, forged (cross-site) posts, a tampered
//!   sealed copy, an expired link and a revoked one — each refused with a clear page and an
//!   audit event;
//! * a code by text message: the sender gives the recipient's mobile number in
//!   `X-Carepost-Portal-Sms`, carepost sends the code through a Twilio-compatible provider
//!   (a loopback HTTPS server the test runs: the real provider cannot be reached here), the
//!   recipient reads with it; wrong, used and expired SMS codes get the generic answer; the
//!   number is in no log, audit record, delivered copy or file in the clear; a copy without
//!   a number offers no text message.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, curl, python3).

mod support;

use std::process::Command;
use std::time::Duration;

use support::portal::{Browser, PortalFixture, SENDER, SmsProvider, mime_message};
use support::{run, unique_token};

const OUTSIDE: &str = "jdoe@dest.test";
const OTHER: &str = "mary@dest.test";

/// Synthetic PHI: the SSN is an example number, the name invented.
fn phi_text(tag: &str) -> String {
    format!(
        "Patient: Maria Testcase\nSSN: 219-09-9999\nMRN: 00456712\nLab results attached. {tag}\n"
    )
}

const XSS_SUBJECT: &str = "Results <script>alert('subj')</script> <img src=x onerror=alert(2)>";

fn xss_html(tag: &str) -> String {
    format!(
        "<p>Hello {tag}</p><script>alert(1)</script><img src=\"https://tracker.example/pixel.gif\">\
         <a href=\"javascript:alert(3)\">click</a><a href=\"https://example.org/info\">info</a>\
         <svg onload=alert(4)></svg><iframe src=\"https://evil.example\"></iframe>\
         <p>SSN 219-09-9999</p>"
    )
}

fn sql(cp: &support::Carepost, statement: &str) {
    let db = cp.data_dir.join("carepost.db");
    run(
        Command::new("python3").arg("-c").arg(format!(
            "import sqlite3; c = sqlite3.connect({:?}); c.execute({statement:?}); c.commit()",
            db.display().to_string()
        )),
        Duration::from_secs(30),
    )
    .assert_success();
}

fn audit_kinds(cp: &support::Carepost, message: &str) -> String {
    cp.cli_ok(&["audit", "search", "--message", message])
        .stdout_text()
}

fn portal_list(cp: &support::Carepost) -> Vec<serde_json::Value> {
    cp.cli_ok(&["portal", "list", "--json"])
        .stdout_text()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn copy_for<'a>(list: &'a [serde_json::Value], address: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|c| c["recipient"] == address)
        .unwrap_or_else(|| panic!("no portal copy for {address} in {list:?}"))
}

/// Sign in behind `link` with the newest code; returns the message page's URL.
fn sign_in(
    fx: &PortalFixture,
    browser: &Browser,
    link: &str,
    to: &str,
    code_index: usize,
) -> String {
    let landing = browser.get(link);
    assert_eq!(landing.status, 200, "{}", landing.body);
    let sent = browser.post(&format!("{link}/code"), &[("csrf", &landing.csrf())]);
    assert_eq!(sent.status, 303, "{}", sent.body);
    let code = fx.code(to, code_index);
    let form = browser.get(&format!("{link}/code"));
    let verified = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("code", &code)],
    );
    assert_eq!(verified.status, 303, "{}", verified.body);
    let location = verified.header("location").expect("redirect");
    assert!(location.starts_with("/m/"), "{location}");
    let base = link.split("/p/").next().expect("base");
    format!("{base}{location}")
}

#[test]
fn a_recipient_reads_downloads_and_replies_and_the_sender_sees_every_step() {
    require_interop!();
    let fx = PortalFixture::start("[portal]\nread_notice = true\n");
    let tag = unique_token("portal");
    let pdf = b"%PDF-1.4 synthetic lab report for a test\n".to_vec();
    fx.send(
        OUTSIDE,
        &mime_message(
            OUTSIDE,
            XSS_SUBJECT,
            &phi_text(&tag),
            &xss_html(&tag),
            ("lab-report.pdf", &pdf),
        ),
    );

    // The notification: a link, the organisation, no PHI, no subject.
    let link = fx.portal_link(OUTSIDE, 0);
    let notice = fx.wait_for_mail(OUTSIDE, "/p/", 0).text();
    for secret in [tag.as_str(), "219-09-9999", "Maria", "Results", "00456712"] {
        assert!(
            !notice.contains(secret),
            "the notification leaks {secret:?}:\n{notice}"
        );
    }
    let token = link.rsplit('/').next().expect("token");
    assert!(
        token.len() >= 22,
        "a link carries at least 128 random bits: {token}"
    );

    let browser = Browser::new(&fx);
    // The link alone shows nothing of the message.
    let landing = browser.get(&link);
    assert_eq!(landing.status, 200);
    assert!(!landing.body.contains(&tag) && !landing.body.contains("Results"));
    let csp = landing.header("content-security-policy").expect("csp");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(
        landing.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert!(landing.header("strict-transport-security").is_some());

    // Session fixation: a planted session id is never the signed-in one.
    let planted = "A".repeat(43);
    std::fs::write(
        browser.jar(),
        format!(
            "{}localhost\tFALSE\t/\tTRUE\t0\tcp_session\t{planted}\n",
            std::fs::read_to_string(browser.jar()).unwrap_or_default()
        ),
    )
    .expect("plant cookie");
    let message_url = sign_in(&fx, &browser, &link, OUTSIDE, 0);
    let jar = std::fs::read_to_string(browser.jar()).expect("jar");
    assert!(
        !jar.contains(&planted),
        "the planted id survived sign-in:\n{jar}"
    );

    // The message, sanitised.
    let page = browser.get(&message_url);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("Hello {tag}")), "{}", page.body);
    // The subject is shown as text (escaped); nothing in the page is executable.
    assert!(page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"));
    let unescaped = page
        .body
        .replace("&#60;img src=x onerror=alert(2)&#62;", "")
        .replace("&lt;img src=x onerror=alert(2)&gt;", "");
    for bad in [
        "<script>alert",
        "onerror=",
        "javascript:",
        "<iframe",
        "onload=",
        "<svg",
        "tracker.example",
    ] {
        assert!(
            !unescaped.contains(bad),
            "{bad:?} reached the page:\n{}",
            page.body
        );
    }
    assert!(page.body.contains("https://example.org/info"));
    assert!(page.body.contains("lab-report.pdf"));
    assert!(
        !page
            .header("content-security-policy")
            .unwrap_or_default()
            .contains("https:")
    );
    // Remote images only when the reader asks.
    let remote = browser.get(&format!("{message_url}?remote=1"));
    assert!(
        remote.body.contains("tracker.example"),
        "asked-for remote image missing"
    );
    assert!(
        remote
            .header("content-security-policy")
            .unwrap_or_default()
            .contains("img-src 'self' data: https:")
    );

    // The print view and the attachment.
    assert_eq!(browser.get(&format!("{message_url}/print")).status, 200);
    let download = browser.get(&format!("{message_url}/attachments/0"));
    assert_eq!(download.status, 200);
    assert_eq!(download.body.as_bytes(), &pdf[..]);
    let disposition = download.header("content-disposition").expect("disposition");
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("lab-report.pdf"),
        "{disposition}"
    );
    assert_eq!(
        download.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(
        download.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );

    // A reply with an attachment reaches the sender through the gateway.
    let reply_tag = unique_token("reply");
    let dir = support::TestDir::new("reply");
    let file = dir.join("insurance-card.txt");
    std::fs::write(&file, format!("card {reply_tag}")).expect("write");
    let csrf = page.csrf();
    let replied = browser.request(&[
        "-F",
        &format!("csrf={csrf}"),
        "-F",
        &format!("text=Thank you, see attached. {reply_tag}"),
        "-F",
        &format!("files=@{}", file.display()),
        &format!("{message_url}/reply"),
    ]);
    assert_eq!(replied.status, 200, "{}", replied.body);
    let reply_mail = fx.wait_for_mail(SENDER, &reply_tag, 0);
    assert!(
        reply_mail.contains("X-Carepost-Portal-Reply"),
        "{}",
        reply_mail.text()
    );
    // The thread stays on the portal.
    let again = browser.get(&message_url);
    assert!(
        again.body.contains(&reply_tag),
        "the reply is not in the thread"
    );

    // A reply without the session's token is refused (forged post).
    let forged = browser.request(&[
        "-F",
        "csrf=wrong",
        "-F",
        "text=forged",
        &format!("{message_url}/reply"),
    ]);
    assert_eq!(forged.status, 403, "{}", forged.body);

    // The sender's view: every step, and a read notice.
    let list = portal_list(&fx.cp);
    let copy = copy_for(&list, OUTSIDE);
    assert_eq!(copy["state"], "replied", "{copy}");
    for step in ["notified", "verified", "opened", "downloaded", "replied"] {
        assert!(copy[step].is_string(), "{step} missing: {copy}");
    }
    fx.wait_for_mail(SENDER, "was opened on the carepost portal", 0);
    let message = copy["message"].as_str().expect("message id");
    let kinds = audit_kinds(&fx.cp, message);
    for kind in [
        "portal.notified",
        "portal.code_sent",
        "portal.verified",
        "portal.opened",
        "portal.downloaded",
        "portal.replied",
    ] {
        assert!(
            kinds.contains(kind),
            "{kind} not in the audit trail:\n{kinds}"
        );
    }
    assert!(!kinds.contains(&tag) && !kinds.contains("219-09-9999"));
    // The sender's receipt shows how the portal copy was picked up, with its proof.
    let receipt = fx.cp.cli_ok(&["audit", "proof", message]).stdout_text();
    for line in [
        "portal: notification sent to jdoe@dest.test",
        "portal: recipient to jdoe@dest.test proved who they are (email-code)",
        "portal: opened to jdoe@dest.test",
        "proof:",
    ] {
        assert!(
            receipt.contains(line),
            "{line:?} not in the receipt:\n{receipt}"
        );
    }

    // Canary: the message's and the reply's text are nowhere in clear on disk (database,
    // WAL, head file, keys) nor in carepost's logs.
    for file in support::files_under(&fx.cp.data_dir) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for canary in [tag.as_str(), reply_tag.as_str()] {
            assert!(
                !support::contains_bytes(&bytes, canary.as_bytes()),
                "{canary} in clear in {}",
                file.display()
            );
        }
    }
    let logs = fx.cp.logs();
    assert!(
        !support::contains_bytes(&logs, tag.as_bytes())
            && !support::contains_bytes(&logs, reply_tag.as_bytes())
    );

    // Sign-out ends the session.
    let out = browser.post(
        &format!(
            "{}/portal/sign-out",
            link.split("/p/").next().expect("base")
        ),
        &[("csrf", &csrf)],
    );
    assert_eq!(out.status, 200);
    let after = browser.get(&message_url);
    assert!(
        !after.body.contains(&format!("Hello {tag}")),
        "signed out, yet shown"
    );
}

#[test]
fn guessed_links_brute_forced_codes_and_foreign_copies_get_nothing() {
    require_interop!();
    let fx = PortalFixture::start("");
    let tag = unique_token("attack");
    fx.send(
        OUTSIDE,
        &mime_message(
            OUTSIDE,
            "Lab results",
            &phi_text(&tag),
            "<p>x</p>",
            ("a.pdf", b"x"),
        ),
    );
    fx.send(
        OTHER,
        &mime_message(
            OTHER,
            "Lab results",
            &phi_text(&tag),
            "<p>y</p>",
            ("b.pdf", b"y"),
        ),
    );
    let link = fx.portal_link(OUTSIDE, 0);
    let other_link = fx.portal_link(OTHER, 0);
    let base = link.split("/p/").next().expect("base").to_string();
    let browser = Browser::new(&fx);

    // Guessed and malformed links: the same page, 404.
    for guess in [
        "A".repeat(43),
        "short".into(),
        "../../etc/passwd".into(),
        format!("{}x", "B".repeat(42)),
    ] {
        let page = browser.get(&format!("{base}/p/{guess}"));
        assert_eq!(page.status, 404, "{guess}: {}", page.body);
    }

    // Open redirect: no route takes a destination, and every redirect is a local path.
    for probe in [
        format!("{base}//evil.example/"),
        format!("{link}?next=https://evil.example"),
        format!("{base}/p/x?redirect=https://evil.example"),
        format!("{base}/portal/sign-out?next=https://evil.example"),
    ] {
        let page = browser.get(&probe);
        let location = page.header("location");
        assert!(
            location
                .as_deref()
                .is_none_or(|l| l.starts_with('/') && !l.starts_with("//")),
            "{probe} redirects to {location:?}"
        );
    }

    // A forged (cross-site) code request is refused.
    let forged = browser.request(&[
        "-H",
        "Origin: https://evil.example",
        "--data-urlencode",
        "csrf=whatever",
        &format!("{link}/code"),
    ]);
    assert_eq!(forged.status, 403);

    // Code brute force: five wrong guesses use up a code (even the right one is then
    // refused); five more on a new code lock the copy.
    let landing = browser.get(&link);
    browser.post(&format!("{link}/code"), &[("csrf", &landing.csrf())]);
    let right = fx.code(OUTSIDE, 0);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let form = browser.get(&format!("{link}/code"));
        let page = browser.post(
            &format!("{link}/verify"),
            &[("csrf", &form.csrf()), ("code", wrong)],
        );
        assert_eq!(page.status, 422, "{}", page.body);
    }
    let form = browser.get(&format!("{link}/code"));
    let page = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("code", &right)],
    );
    assert_eq!(page.status, 422, "a used-up code must not open the copy");
    let form = browser.get(&format!("{link}/code"));
    browser.post(&format!("{link}/code"), &[("csrf", &form.csrf())]);
    let right2 = fx.code(OUTSIDE, 1);
    let wrong2 = if right2 == "000000" {
        "111111"
    } else {
        "000000"
    };
    let mut last = 0;
    for _ in 0..5 {
        let form = browser.get(&format!("{link}/code"));
        last = browser
            .post(
                &format!("{link}/verify"),
                &[("csrf", &form.csrf()), ("code", wrong2)],
            )
            .status;
    }
    assert_eq!(last, 429, "ten wrong codes lock the copy");
    assert_eq!(browser.get(&link).status, 429, "a locked copy stays locked");

    // Another recipient's copy: with OTHER's session, OUTSIDE's copy looks like nothing.
    let other_browser = Browser::new(&fx);
    let other_url = sign_in(&fx, &other_browser, &other_link, OTHER, 0);
    let list = portal_list(&fx.cp);
    let outside_copy = copy_for(&list, OUTSIDE)["id"]
        .as_str()
        .expect("id")
        .to_string();
    let foreign = other_browser.get(&format!("{base}/m/{outside_copy}"));
    assert_eq!(foreign.status, 404, "{}", foreign.body);
    assert!(!foreign.body.contains(&tag));
    assert_eq!(
        other_browser
            .get(&format!("{base}/m/{outside_copy}/attachments/0"))
            .status,
        404
    );

    // Another organisation's copy at the same address: also nothing.
    let other_copy = copy_for(&list, OTHER)["id"]
        .as_str()
        .expect("id")
        .to_string();
    sql(
        &fx.cp,
        "INSERT INTO tenants (id, name, created) SELECT '00000000-0000-4000-8000-000000000001', 'Other Org', created FROM tenants LIMIT 1",
    );
    sql(
        &fx.cp,
        &format!(
            "UPDATE portal_copies SET tenant = '00000000-0000-4000-8000-000000000001' WHERE id = '{other_copy}'"
        ),
    );
    assert_eq!(
        other_browser.get(&other_url).status,
        404,
        "a copy of another organisation"
    );
    let kinds = fx
        .cp
        .cli_ok(&[
            "audit",
            "search",
            "--kind",
            "portal.access_refused",
            "--limit",
            "1000",
        ])
        .stdout_text();
    assert!(kinds.contains("\"forbidden\""), "{kinds}");
    assert!(kinds.contains("\"unknown_link\""), "{kinds}");
    assert!(kinds.contains("\"locked\""), "{kinds}");
    let failed = fx
        .cp
        .cli_ok(&[
            "audit",
            "search",
            "--kind",
            "portal.code_failed",
            "--limit",
            "1000",
        ])
        .stdout_text();
    assert_eq!(failed.lines().count(), 10, "{failed}");
}

#[test]
fn revoked_expired_and_tampered_copies_get_a_clear_page_and_an_audit_event() {
    require_interop!();
    let fx = PortalFixture::start("");
    let tag = unique_token("closed");
    for to in [OUTSIDE, OTHER, "lee@dest.test", "kim@dest.test"] {
        fx.send(
            to,
            &mime_message(
                to,
                "Visit summary",
                &phi_text(&tag),
                "<p>z</p>",
                ("c.pdf", b"z"),
            ),
        );
    }
    let revoked_link = fx.portal_link(OUTSIDE, 0);
    let expired_link = fx.portal_link(OTHER, 0);
    let tampered_link = fx.portal_link("lee@dest.test", 0);
    let keyless_link = fx.portal_link("kim@dest.test", 0);
    let list = portal_list(&fx.cp);
    let id = |a: &str| copy_for(&list, a)["id"].as_str().expect("id").to_string();

    // Revoked by the sender's administrator.
    let out = fx
        .cp
        .cli_ok(&["portal", "revoke", &id(OUTSIDE)])
        .stdout_text();
    assert!(out.contains("revoked"), "{out}");
    let browser = Browser::new(&fx);
    let page = browser.get(&revoked_link);
    assert_eq!(page.status, 410, "{}", page.body);
    assert!(!page.body.contains(&tag));

    // Expired.
    sql(
        &fx.cp,
        &format!(
            "UPDATE portal_copies SET expires = 0 WHERE id = '{}'",
            id(OTHER)
        ),
    );
    assert_eq!(browser.get(&expired_link).status, 410);

    // Tampered: signed in, then the sealed content changes under the session.
    let url = sign_in(&fx, &browser, &tampered_link, "lee@dest.test", 0);
    assert_eq!(browser.get(&url).status, 200);
    let db = fx.cp.data_dir.join("carepost.db");
    let flip = format!(
        "import sqlite3\nc = sqlite3.connect({:?})\n\
         b = bytearray(c.execute(\"SELECT sealed FROM portal_contents WHERE copy = ?\", ({:?},)).fetchone()[0])\n\
         b[-20] ^= 1\nc.execute(\"UPDATE portal_contents SET sealed = ? WHERE copy = ?\", (bytes(b), {:?}))\nc.commit()\n",
        db.display().to_string(),
        id("lee@dest.test"),
        id("lee@dest.test")
    );
    run(
        Command::new("python3").arg("-c").arg(flip),
        Duration::from_secs(30),
    )
    .assert_success();
    let page = browser.get(&url);
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(!page.body.contains(&tag));

    // A missing key: the sealed copy names a key this installation does not have.
    let keyless = Browser::new(&fx);
    let url = sign_in(&fx, &keyless, &keyless_link, "kim@dest.test", 0);
    let rename_key = format!(
        "import sqlite3\nc = sqlite3.connect({:?})\n\
         b = bytearray(c.execute(\"SELECT sealed FROM portal_contents WHERE copy = ?\", ({:?},)).fetchone()[0])\n\
         assert bytes(b[:4]) == b'CPS1'\nn = b[4]\nb[4 + n] = ord('x') if b[4 + n] != ord('x') else ord('y')\n\
         c.execute(\"UPDATE portal_contents SET sealed = ? WHERE copy = ?\", (bytes(b), {:?}))\nc.commit()\n",
        db.display().to_string(),
        id("kim@dest.test"),
        id("kim@dest.test")
    );
    run(
        Command::new("python3").arg("-c").arg(rename_key),
        Duration::from_secs(30),
    )
    .assert_success();
    let page = keyless.get(&url);
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(!page.body.contains(&tag));

    let list = portal_list(&fx.cp);
    assert_eq!(copy_for(&list, OUTSIDE)["state"], "revoked");
    assert_eq!(copy_for(&list, OTHER)["state"], "expired");
    let refused = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.access_refused"])
        .stdout_text();
    for reason in [
        "\"revoked\"",
        "\"expired\"",
        "\"integrity\"",
        "\"missing_key\"",
    ] {
        assert!(refused.contains(reason), "{reason} missing:\n{refused}");
    }
    let revoked = fx
        .cp
        .cli_ok(&[
            "audit",
            "search",
            "--kind",
            "portal.revoked",
            "--limit",
            "1000",
        ])
        .stdout_text();
    assert!(revoked.contains("\"system\""), "{revoked}");
}

#[test]
fn a_passcode_the_sender_chose_is_asked_with_the_code_and_never_leaves() {
    require_interop!();
    let fx = PortalFixture::start("");
    let tag = unique_token("passcode");
    let with_passcode = |raw: String| {
        raw.replacen(
            "MIME-Version:",
            "X-Carepost-Portal-Passcode: Blue Heron 42\r\nMIME-Version:",
            1,
        )
    };
    // PHI: to the portal, with a passcode the sender will phone through.
    fx.send(
        OUTSIDE,
        &with_passcode(mime_message(
            OUTSIDE,
            "Results",
            &phi_text(&tag),
            "<p>p</p>",
            ("r.pdf", b"r"),
        )),
    );
    // A clean message with the same header travels by e-mail: without the header.
    let clean_tag = unique_token("clean");
    fx.send(
        OTHER,
        &format!(
            "From: <{SENDER}>\r\nTo: <{OTHER}>\r\nSubject: Parking\r\n\
             X-Carepost-Portal-Passcode: Blue Heron 42\r\n\r\n\
             The car park is open on Sunday. {clean_tag}\r\n"
        ),
    );
    let delivered = fx.wait_for_mail(OTHER, &clean_tag, 0);
    assert!(
        !delivered.contains("X-Carepost-Portal-Passcode") && !delivered.contains("Blue Heron"),
        "the passcode left with a delivered copy:\n{}",
        delivered.text()
    );

    let link = fx.portal_link(OUTSIDE, 0);
    let browser = Browser::new(&fx);
    let landing = browser.get(&link);
    browser.post(&format!("{link}/code"), &[("csrf", &landing.csrf())]);
    let code = fx.code(OUTSIDE, 0);
    let form = browser.get(&format!("{link}/code"));
    assert!(
        form.body.contains("name=\"passcode\""),
        "no passcode field:\n{}",
        form.body
    );
    // The code alone, or with a wrong passcode: the same vague answer.
    for passcode in ["", "Red Heron 42"] {
        let form = browser.get(&format!("{link}/code"));
        let page = browser.post(
            &format!("{link}/verify"),
            &[
                ("csrf", &form.csrf()),
                ("code", &code),
                ("passcode", passcode),
            ],
        );
        assert_eq!(page.status, 422, "{passcode:?}: {}", page.body);
        assert!(!page.body.to_lowercase().contains("passcode was wrong"));
    }
    let form = browser.get(&format!("{link}/code"));
    let page = browser.post(
        &format!("{link}/verify"),
        &[
            ("csrf", &form.csrf()),
            ("code", &code),
            ("passcode", "  blue heron 42 "),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let base = link.split("/p/").next().expect("base");
    let message = browser.get(&format!(
        "{base}{}",
        page.header("location").expect("location")
    ));
    assert_eq!(message.status, 200);
    assert!(
        !message.body.contains("Blue Heron")
            && !message.body.contains("X-Carepost-Portal-Passcode")
    );
    let failed = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.code_failed"])
        .stdout_text();
    assert_eq!(failed.lines().count(), 2, "{failed}");
}

/// The recipient's mobile number in the tests (a fictional 555-01xx number); its digits
/// must appear nowhere but in the provider's request.
const MOBILE: &str = "+1 555 555 0123";
const MOBILE_DIGITS: [&str; 3] = ["5555550123", "555 555 0123", "555-555-0123"];

/// A message with the sender's `X-Carepost-Portal-Sms` header.
fn with_sms_header(raw: String, value: &str) -> String {
    raw.replacen(
        "MIME-Version:",
        &format!("X-Carepost-Portal-Sms: {value}\r\nMIME-Version:"),
        1,
    )
}

/// The six-digit code in a text message.
fn code_in_text(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in the text {body:?}"))
        .to_string()
}

#[test]
fn a_code_by_text_message_opens_the_copy_and_the_number_never_leaks() {
    require_interop!();
    let provider = SmsProvider::start();
    let fx = PortalFixture::start(&provider.config_toml());
    let tag = unique_token("sms");
    fx.send(
        OUTSIDE,
        &with_sms_header(
            mime_message(
                OUTSIDE,
                "Results",
                &phi_text(&tag),
                &format!("<p>Hello {tag}</p>"),
                ("r.pdf", b"r"),
            ),
            MOBILE,
        ),
    );
    // A clean message with the header travels by e-mail, without it.
    let clean_tag = unique_token("clean");
    fx.send(
        OTHER,
        &format!(
            "From: <{SENDER}>\r\nTo: <{OTHER}>\r\nSubject: Parking\r\n\
             X-Carepost-Portal-Sms: {MOBILE}\r\n\r\n\
             The car park is open on Sunday. {clean_tag}\r\n"
        ),
    );
    let delivered = fx.wait_for_mail(OTHER, &clean_tag, 0);
    assert!(
        !delivered.contains("X-Carepost-Portal-Sms"),
        "the number's header left with a delivered copy:\n{}",
        delivered.text()
    );

    let link = fx.portal_link(OUTSIDE, 0);
    let browser = Browser::new(&fx);
    let landing = browser.get(&link);
    assert_eq!(landing.status, 200, "{}", landing.body);
    // E-mail stays the default; the text message is offered, showing two digits only.
    assert!(
        landing.body.contains("name=\"via\" value=\"email\"")
            && landing.body.contains("name=\"via\" value=\"sms\""),
        "{}",
        landing.body
    );
    assert!(landing.body.contains("ending 23"), "{}", landing.body);
    let sent = browser.post(
        &format!("{link}/code"),
        &[("csrf", &landing.csrf()), ("via", "sms")],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        sent.header("location")
            .is_some_and(|l| l.ends_with("/code?via=sms")),
        "{}",
        sent.headers
    );
    let text = provider.wait_for_text(0);
    assert_eq!(text.to, "+15555550123");
    assert_eq!(text.from, "+15005550006");
    // The organisation's name and the code: no PHI, no subject, no link.
    for secret in [
        tag.as_str(),
        "219-09-9999",
        "Maria",
        "Results",
        "/p/",
        "jdoe",
    ] {
        assert!(
            !text.body.contains(secret),
            "the text leaks {secret:?}: {}",
            text.body
        );
    }
    let code = code_in_text(&text.body);
    let form = browser.get(&format!("{link}/code?via=sms"));
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("by text message") && form.body.contains("ending 23"),
        "{}",
        form.body
    );

    // A wrong code: the generic answer, counted.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("via", "sms"), ("code", wrong)],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("That code did not work"),
        "{}",
        page.body
    );

    // The right one opens the copy; the session's method is "sms".
    let form = browser.get(&format!("{link}/code?via=sms"));
    let page = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("via", "sms"), ("code", &code)],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let base = link.split("/p/").next().expect("base");
    let message = browser.get(&format!(
        "{base}{}",
        page.header("location").expect("location")
    ));
    assert_eq!(message.status, 200);
    assert!(
        message.body.contains(&format!("Hello {tag}")),
        "{}",
        message.body
    );
    assert!(!message.body.contains("X-Carepost-Portal-Sms"));

    // The same code again (another browser): used, so the same generic answer.
    let other = Browser::new(&fx);
    let landing = other.get(&link);
    let page = other.post(
        &format!("{link}/verify"),
        &[("csrf", &landing.csrf()), ("via", "sms"), ("code", &code)],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("That code did not work"),
        "{}",
        page.body
    );

    // An expired code: the same answer.
    let sent = other.post(
        &format!("{link}/code"),
        &[("csrf", &landing.csrf()), ("via", "sms")],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let late = code_in_text(&provider.wait_for_text(1).body);
    sql(&fx.cp, "UPDATE portal_codes SET expires = 0");
    let form = other.get(&format!("{link}/code?via=sms"));
    let page = other.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("via", "sms"), ("code", &late)],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("That code did not work"),
        "{}",
        page.body
    );
    assert_eq!(provider.texts().len(), 2, "one text per request");

    // The provider refuses: the person is told and offered e-mail; the log says why
    // without the number the provider's answer repeats.
    provider.refuse_with(400);
    let form = other.get(&format!("{link}/code?via=sms"));
    let page = other.post(
        &format!("{link}/code"),
        &[("csrf", &form.csrf()), ("via", "sms")],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("could not send a text message"),
        "{}",
        page.body
    );
    let logs = String::from_utf8_lossy(&fx.cp.logs()).into_owned();
    assert!(
        logs.contains("sending a portal code by text message failed")
            && logs.contains("provider code 21211"),
        "{}",
        fx.cp.describe()
    );
    provider.refuse_with(0);
    let refused = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.access_refused"])
        .stdout_text();
    assert!(refused.contains("\"cause\":\"sms\""), "{refused}");
    // No code went to the mailbox.
    assert!(
        fx.peer
            .messages()
            .iter()
            .all(|m| !(m.contains(&format!("<{OUTSIDE}>"))
                && support::portal::code_in(&m.text()).is_some()
                && !m.contains("/p/"))),
        "a code was mailed"
    );

    // The audit trail says "sms" (the method), never the number.
    let verified = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.verified"])
        .stdout_text();
    assert!(verified.contains("sms"), "{verified}");
    let sent_events = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.code_sent"])
        .stdout_text();
    assert_eq!(sent_events.lines().count(), 2, "{sent_events}");
    let list = portal_list(&fx.cp);
    let message_id = copy_for(&list, OUTSIDE)["message"]
        .as_str()
        .expect("message id")
        .to_string();
    let receipt = fx.cp.cli_ok(&["audit", "proof", &message_id]).stdout_text();
    assert!(receipt.contains("proved who they are (sms)"), "{receipt}");

    // The number: in no log line, audit record, listing, delivered copy or mail, and
    // nowhere in clear on disk.
    let export = fx.cp.dir().join("audit-export.jsonl");
    fx.cp
        .cli_ok(&["audit", "export", "--out", export.to_str().expect("utf8")]);
    let exported = std::fs::read(&export).expect("export");
    assert!(!exported.is_empty());
    let searched = fx
        .cp
        .cli_ok(&["audit", "search", "--limit", "10000"])
        .all_text();
    let listed = fx.cp.cli_ok(&["portal", "list", "--json"]).all_text();
    let logs = fx.cp.logs();
    for digits in MOBILE_DIGITS {
        let d = digits.as_bytes();
        assert!(!support::contains_bytes(&logs, d), "{digits} in the logs");
        assert!(
            !support::contains_bytes(&exported, d),
            "{digits} in the audit export"
        );
        assert!(!searched.contains(digits), "{digits} in audit search");
        assert!(!listed.contains(digits), "{digits} in portal list");
        for m in fx.peer.messages() {
            assert!(!m.contains(digits), "{digits} in a mail:\n{}", m.text());
        }
        for file in support::files_under(&fx.cp.data_dir) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !support::contains_bytes(&bytes, d),
                "{digits} in clear in {}",
                file.display()
            );
        }
        for page in [&landing.body, &form.body, &message.body] {
            assert!(!page.contains(digits), "{digits} on a page");
        }
    }
}

#[test]
fn a_copy_without_a_number_offers_no_text_message() {
    require_interop!();
    let provider = SmsProvider::start();
    let fx = PortalFixture::start(&provider.config_toml());
    let tag = unique_token("nosms");
    // A number for another recipient only: this one gets codes by e-mail.
    fx.send(
        OUTSIDE,
        &with_sms_header(
            mime_message(
                OUTSIDE,
                "Results",
                &phi_text(&tag),
                "<p>p</p>",
                ("r.pdf", b"r"),
            ),
            &format!("{OTHER}=+15555550100"),
        ),
    );
    let link = fx.portal_link(OUTSIDE, 0);
    let browser = Browser::new(&fx);
    let landing = browser.get(&link);
    assert_eq!(landing.status, 200);
    assert!(
        !landing.body.contains("value=\"sms\"") && !landing.body.contains("text message"),
        "{}",
        landing.body
    );
    // Asking for a text anyway gets the code by e-mail, and no text is sent.
    let sent = browser.post(
        &format!("{link}/code"),
        &[("csrf", &landing.csrf()), ("via", "sms")],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        sent.header("location")
            .is_some_and(|l| l.ends_with("/code")),
        "{}",
        sent.headers
    );
    let code = fx.code(OUTSIDE, 0);
    let form = browser.get(&format!("{link}/code"));
    assert!(!form.body.contains("value=\"sms\""), "{}", form.body);
    let page = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("code", &code)],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(provider.texts().is_empty(), "{:?}", provider.texts());
}
