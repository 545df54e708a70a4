//! Single sign-on into the console (issue 6, item 7) against a real OpenID provider: the
//! certified `oidc-provider` package from npm, running on loopback over HTTPS
//! (tests/oidc/provider.mjs). curl plays the browser, with one cookie jar for carepost and
//! one for the provider.
//!
//! A member of `staff` signs in and is created as a sender; a member of `carepost-admins`
//! becomes an admin but must still register a passkey; a member of no mapped group, a
//! tampered `state`, a replayed callback and a provider that is down are refused with a
//! generic page and an `auth.sso_failed` event naming the reason.
//!
//! Needs CAREPOST_INTEROP=1 (node with tests/oidc installed, curl).

mod support;

use serde_json::json;

use support::Carepost;
use support::console::{encode, field};
use support::oidc::SsoWorld;

const SECRET: &str = "console-sso-test-secret-0123456789";

fn world() -> SsoWorld {
    let accounts = json!({
        "bob": {"password": "bob-pw", "email": "bob@clinic.test", "name": "Bob Sender",
                "groups": ["staff"]},
        "alice": {"password": "alice-pw", "email": "alice@clinic.test", "name": "Alice Admin",
                  "groups": ["staff", "carepost-admins"]},
        "carol": {"password": "carol-pw", "email": "carol@clinic.test", "name": "Carol Visitor",
                  "groups": ["visitors"]},
    });
    SsoWorld::start(
        SECRET,
        &accounts,
        "\"carepost-admins\" = \"admin\", \"staff\" = \"sender\"",
    )
}

fn sso_failures(cp: &Carepost) -> String {
    cp.audit_search("auth.sso_failed")
}

#[test]
fn staff_sign_in_with_the_organisations_openid_provider() {
    require_interop!();
    let w = world();

    // The sign-in page offers it.
    let page = w.request("x", "/console/sign-in", None);
    assert!(page.body.contains("/console/sso"), "{}", page.body);

    // A member of `staff`: created as a sender and signed in.
    let callback = w.to_callback("bob", "bob", "bob-pw");
    let done = w.callback("bob", &callback);
    assert_eq!(done.status, 200, "{}\n{}", done.body, w.cp.describe());
    assert!(
        done.headers.contains("set-cookie: cp_console="),
        "{}",
        done.headers
    );
    assert!(
        done.headers.contains("refresh: 0;url=/console"),
        "{}",
        done.headers
    );
    let me = w.me("bob");
    assert_eq!(me["address"], "bob@clinic.test");
    assert_eq!(me["role"], "sender");
    assert_eq!(me["method"], "sso");
    // The same callback again: the pending sign-in was used up.
    let again = w.callback("bob", &callback);
    assert_eq!(again.status, 401, "a replayed callback is refused");

    // A member of `carepost-admins` is an admin, and must still register a passkey.
    let callback = w.to_callback("alice", "alice", "alice-pw");
    let done = w.callback("alice", &callback);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/console/enrol"));
    let users = w.cp.users();
    assert!(
        users
            .iter()
            .any(|u| u["address"] == "alice@clinic.test" && u["role"] == "admin"),
        "{users:?}"
    );

    // A member of no mapped group is refused.
    let callback = w.to_callback("carol", "carol", "carol-pw");
    let refused = w.callback("carol", &callback);
    assert_eq!(refused.status, 401);
    assert!(refused.body.contains("did not work"), "{}", refused.body);
    assert!(
        !w.cp
            .cli_ok(&["user", "list"])
            .stdout_text()
            .contains("carol@")
    );

    // A tampered state is refused, and the code is never spent.
    let callback = w.to_callback("mallory", "bob", "bob-pw");
    let state = callback
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .expect("state")
        .to_string();
    let forged = callback.replace(&format!("state={state}"), "state=AAAAforgedAAAA");
    assert_eq!(w.callback("mallory", &forged).status, 401);

    let failures = sso_failures(&w.cp);
    for reason in ["no_role", "state_mismatch"] {
        assert!(
            failures.contains(reason),
            "{reason} not audited:\n{failures}"
        );
    }
    let logins = w.cp.audit_search("auth.login");
    assert!(logins.contains("console-sso"), "{logins}");
    let trail = w.cp.audit_trail();
    assert!(
        !trail.contains(SECRET) && !trail.contains("bob-pw"),
        "no secret in the trail"
    );
}

#[test]
fn a_provider_that_is_down_fails_with_a_generic_page_and_break_glass_still_works() {
    require_interop!();
    let mut w = world();
    let _ = w.provider.child.kill();
    let _ = w.provider.child.wait();
    let r = w.request("down", "/console/sso", None);
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("cannot be reached"), "{}", r.body);
    let failures = sso_failures(&w.cp);
    assert!(failures.contains("provider_unreachable"), "{failures}");
    // Password sign-in is unaffected.
    let page = w.request("down", "/console/sign-in", None);
    assert_eq!(page.status, 200);

    // Break-glass works while the provider is down: a single-use code and a reason.
    let code =
        w.cp.cli_ok(&["user", "break-glass", "admin@localhost"])
            .stdout_text()
            .trim()
            .to_string();
    let reason = "Provider outage; urgent referral release for the oncology clinic";
    let attempt = |jar: &str, code: &str, reason: &str| {
        let page = w.request(jar, "/console/break-glass", None);
        assert_eq!(page.status, 200);
        let csrf = field(&page.body, "name=\"csrf\" value=\"");
        let form = format!(
            "csrf={csrf}&address=admin%40localhost&code={}&reason={}",
            encode(code),
            encode(reason)
        );
        w.request(jar, "/console/break-glass", Some(&form))
    };
    let wrong = attempt("bg-wrong", "not-the-code-at-all", reason);
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    let short = attempt("bg-short", &code, "because");
    assert_eq!(short.status, 422, "a reason is required");
    let used = attempt("bg", &code, reason);
    assert_eq!(used.status, 303, "{}\n{}", used.body, w.cp.describe());
    let me = w.me("bg");
    assert_eq!(me["method"], "break-glass");
    let again = attempt("bg-again", &code, reason);
    assert_eq!(again.status, 401, "a break-glass code works once");
    let glass = w.cp.audit_search("auth.break_glass");
    assert_eq!(glass.lines().count(), 1, "{glass}");
    assert!(glass.contains("reason_chars"), "{glass}");
    let trail = w.cp.audit_trail();
    assert!(
        !trail.contains("oncology"),
        "the reason is sealed, not in the trail"
    );
    assert!(!trail.contains(&code), "the code never reaches the trail");
}
