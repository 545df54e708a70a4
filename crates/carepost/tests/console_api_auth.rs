//! The older `/api/v1` and `/audit/v1` routes (policy, API keys, audit trail) accept a
//! console session as well as HTTP Basic with an app password (issue 6 item 6). With a
//! session, writes need the session's `x-csrf-token` and no cross-site origin, sensitive
//! writes (the policy, API keys) a step-up within the window, and the token-replay defence
//! applies, exactly as for the console's JSON twins. Each property has its refused case.
//!
//! Needs CAREPOST_INTEROP=1 (curl).

mod support;

use std::time::Duration;

use serde_json::json;

use support::console::{ConsoleClient, csrf_header};
use support::http::basic_auth;
use support::{Carepost, Config};

const POLICY: &str =
    "[[rule]]\nname = \"ssn-to-portal\"\nwhen = { categories = [\"SSN\"] }\naction = \"portal\"\n";
const POLICY_2: &str = "[[rule]]\nname = \"ssn-to-quarantine\"\nwhen = { categories = [\"SSN\"] }\naction = \"quarantine\"\n";
/// The step-up window of these tests: short, so the "too old" case needs little waiting.
const STEP_UP_SECS: u64 = 20;

#[test]
fn older_api_routes_accept_console_sessions_with_the_console_rules() {
    require_interop!();
    let cfg = Config {
        extra_toml: format!("[console]\nstep_up_secs = {STEP_UP_SECS}\n"),
        ..Config::default()
    };
    let mut cp = Carepost::new(&cfg);
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["user", "add", "privacy@localhost", "--role", "compliance"]);
    cp.cli_ok(&["user", "add", "audit@localhost", "--role", "auditor"]);
    cp.start();
    let c = ConsoleClient::new(&cp);

    // A compliance officer's session (break-glass: their role needs a passkey otherwise).
    let jar = c.jar("compliance");
    let csrf = c.break_glass("privacy@localhost", &jar);

    // Reads work with the session alone.
    let r = c.call("GET", "/api/v1/policy", &[], None, Some(&jar));
    assert_eq!(r.status, 200, "{}\n{}", r.body, cp.describe());
    assert_eq!(r.json()["version"], 0);

    // A write without the anti-forgery header is refused, and changes nothing.
    let r = c.call("PUT", "/api/v1/policy", &[], Some(POLICY), Some(&jar));
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"], "forgery");
    let wrong = csrf_header("not-the-token");
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        std::slice::from_ref(&wrong),
        Some(POLICY),
        Some(&jar),
    );
    assert_eq!(r.status, 403, "a wrong token: {}", r.body);
    // The right header from another site is refused too.
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        &[csrf_header(&csrf), "Sec-Fetch-Site: cross-site".to_string()],
        Some(POLICY),
        Some(&jar),
    );
    assert_eq!(r.status, 403, "cross-site: {}", r.body);
    let r = c.call("GET", "/api/v1/policy", &[], None, Some(&jar));
    assert_eq!(r.json()["version"], 0, "nothing changed");

    // With the header it works, and the change is the person's in the audit trail.
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        &[csrf_header(&csrf)],
        Some(POLICY),
        Some(&jar),
    );
    assert_eq!(r.status, 200, "{}\n{}", r.body, cp.describe());
    assert_eq!(r.json()["version"], 1);
    let me = c.me(&jar).json();
    let trail = cp.audit_search("admin.policy_changed");
    assert!(
        trail.contains(me["id"].as_str().expect("id")),
        "the change names the person: {trail}"
    );

    // The audit trail over the session: the search is itself audited.
    let r = c.call("GET", "/audit/v1/events?limit=5", &[], None, Some(&jar));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.lines().count() >= 1, "{}", r.body);

    // Token replay: the same cookie from another network (another /24) and browser must
    // step up first.
    let r = c.call_from(
        Some("127.0.1.2"),
        "GET",
        "/api/v1/policy",
        &["User-Agent: Mozilla/5.0 (Windows NT 10.0) Firefox/133.0".to_string()],
        None,
        Some(&jar),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"], "step_up_required");

    // HTTP Basic with an app password still works, reads and writes (no CSRF: no cookie).
    let password = cp.app_password("privacy@localhost");
    let auth = basic_auth("privacy@localhost", &password);
    let r = c.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&auth),
        None,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        std::slice::from_ref(&auth),
        Some(POLICY_2),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = c.call(
        "GET",
        "/api/v1/policy",
        &[basic_auth("privacy@localhost", "wrong-password")],
        None,
        None,
    );
    assert_eq!(r.status, 401, "a wrong app password: {}", r.body);

    // Roles still apply to sessions: an auditor reads the policy but cannot change it,
    // and never sees the API keys.
    let auditor = c.jar("auditor");
    let enrolled = c.first_sign_in_after_reset(None, "audit@localhost", &auditor);
    let r = c.call("GET", "/api/v1/policy", &[], None, Some(&auditor));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        &[csrf_header(&enrolled.csrf)],
        Some(POLICY),
        Some(&auditor),
    );
    assert_eq!(
        r.status, 403,
        "an auditor cannot change the policy: {}",
        r.body
    );
    let r = c.call("GET", "/api/v1/api-keys", &[], None, Some(&auditor));
    assert_eq!(r.status, 403, "{}", r.body);

    // API keys with an owner's session: listed, and made with the header while the
    // step-up is fresh.
    let owner = c.jar("owner");
    let owner_csrf = c.break_glass("admin@localhost", &owner);
    let r = c.call("GET", "/api/v1/api-keys", &[], None, Some(&owner));
    assert_eq!(r.status, 200, "{}", r.body);
    let key_request = json!({"name": "EHR", "scopes": "messages:read", "days": 30});
    let r = c.post_json("/api/v1/api-keys", &owner, None, &key_request);
    assert_eq!(r.status, 403, "no header: {}", r.body);
    let r = c.post_json("/api/v1/api-keys", &owner, Some(&owner_csrf), &key_request);
    assert_eq!(r.status, 201, "{}", r.body);
    let key_id = r.json()["id"].as_str().expect("id").to_string();

    // Once the step-up is older than the window, sensitive writes are refused until the
    // person proves a factor again; reads still work.
    std::thread::sleep(Duration::from_secs(STEP_UP_SECS + 1));
    let r = c.call(
        "PUT",
        "/api/v1/policy",
        &[csrf_header(&csrf)],
        Some(POLICY),
        Some(&jar),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"], "step_up_required");
    let r = c.post_json(
        &format!("/api/v1/api-keys/{key_id}/revoke"),
        &owner,
        Some(&owner_csrf),
        &json!({}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"], "step_up_required");
    let r = c.call("GET", "/api/v1/policy", &[], None, Some(&jar));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["version"], 2, "the refused write changed nothing");

    // An ended session (signed out) is no credential at all. curl's jar forgets a
    // cleared cookie, so the old cookie is replayed by hand (it worked just before).
    let cookie = format!("Cookie: cp_console={}", session_cookie(&jar));
    let r = c.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&cookie),
        None,
        None,
    );
    assert_eq!(
        r.status, 200,
        "the cookie by hand works while live: {}",
        r.body
    );
    let r = c.form(None, "/console/sign-out", &jar, &[("csrf", &csrf)]);
    assert!(matches!(r.status, 200 | 303), "signed out: {}", r.body);
    let r = c.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&cookie),
        None,
        None,
    );
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"], "unauthorised");
    let r = c.call(
        "GET",
        "/audit/v1/events",
        std::slice::from_ref(&cookie),
        None,
        None,
    );
    assert_eq!(r.status, 401, "{}", r.body);
}

/// The console session cookie's value in a curl cookie jar (Netscape format).
fn session_cookie(jar: &std::path::Path) -> String {
    let text = std::fs::read_to_string(jar).expect("cookie jar");
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 7 && f[5] == "cp_console").then(|| f[6].to_string())
        })
        .next_back()
        .unwrap_or_else(|| panic!("no session cookie in\n{text}"))
}
