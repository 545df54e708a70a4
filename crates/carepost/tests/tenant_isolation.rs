//! Tenant isolation (issue 6, item 1): every `/api/v1` and `/audit/v1` route is tried by
//! organisation B against organisation A's objects (policy, portal copies, messages, API
//! keys, audit receipts and events, console sessions and users), with B's strongest
//! credentials. Each attempt gets B's own data, "not found" or a refusal, and A's data is
//! unchanged afterwards. The route list is checked against the OpenAPI document, so a new
//! route without a cross-organisation check fails this test.
//!
//! Needs CAREPOST_INTEROP=1 (curl).

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};

use support::console::{ConsoleClient, csrf_header};
use support::http::{basic_auth, bearer};
use support::{Carepost, Config, TestDir};

const JSON: &str = "Content-Type: application/json";

/// One organisation's credentials.
struct Org {
    admin: String,
    compliance: String,
    auditor: String,
    key: String,
    key_id: String,
    /// A console session of the auditor (cookie jar), and its anti-forgery token.
    jar: std::path::PathBuf,
    csrf: String,
}

fn organisation(
    http: &ConsoleClient<'_>,
    cp: &Carepost,
    name: &str,
    domain: &str,
    dir: &TestDir,
) -> Org {
    let tenant = ["--tenant", name];
    let user = |local: &str, role: &str| {
        let address = format!("{local}@{domain}");
        let mut args = vec!["user", "add", &address, "--role", role];
        args.extend_from_slice(&tenant);
        cp.cli_ok(&args);
        address
    };
    let admin = user("it", "admin");
    let compliance = user("privacy", "compliance");
    let auditor = user("audit", "auditor");
    let key = cp.cli_ok(&[
        "api-key",
        "create",
        "--json",
        "--name",
        "EHR",
        "--scopes",
        "messages:send messages:read",
        "--senders",
        &format!("@{domain}"),
        "--organisation",
        name,
    ]);
    let key: Value = serde_json::from_str(key.stdout_text().trim()).expect("key json");
    let jar = dir.join(&format!("{name}.jar"));
    // The console session is the auditor's: it may see the figures, not the users.
    let csrf = http.first_sign_in_after_reset(None, &auditor, &jar).csrf;
    Org {
        admin: basic_auth(&admin, &cp.app_password(&admin)),
        compliance: basic_auth(&compliance, &cp.app_password(&compliance)),
        auditor: basic_auth(&auditor, &cp.app_password(&auditor)),
        key: key["token"].as_str().expect("token").to_string(),
        key_id: key["id"].as_str().expect("id").to_string(),
        jar,
        csrf,
    }
}

#[test]
fn every_api_route_keeps_organisations_apart() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["org", "add", "Clinic A"]);
    cp.cli_ok(&["org", "add", "Clinic B"]);
    cp.start();
    let dir = TestDir::new("isolation");
    let http = ConsoleClient::new(&cp);
    let a = organisation(&http, &cp, "Clinic A", "a.test", &dir);
    let b = organisation(&http, &cp, "Clinic B", "b.test", &dir);
    let mut tried: BTreeSet<(String, String)> = BTreeSet::new();
    let mut try_route = |method: &str, template: &str| {
        tried.insert((method.to_ascii_lowercase(), template.to_string()));
    };

    // A's objects: a policy, a message with PHI (a portal copy), a clean message.
    let a_policy = "[[rule]]\nname = \"clinic-a-only\"\nwhen = { categories = [\"SSN\"] }\naction = \"portal\"\n";
    let r = http.call(
        "PUT",
        "/api/v1/policy",
        std::slice::from_ref(&a.compliance),
        Some(a_policy),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let send = |org: &Org, key: &str, from: &str, text: &str| {
        http.call(
            "POST",
            "/api/v1/messages",
            &[
                bearer(&org.key),
                format!("Idempotency-Key: {key}"),
                JSON.to_string(),
            ],
            Some(
                &json!({"from": from, "to": ["pat@dest.test"], "subject": "Results",
                        "text": text})
                .to_string(),
            ),
            None,
        )
    };
    let phi = send(
        &a,
        "a-1",
        "lab@a.test",
        "Patient SSN 219-09-9999, results normal.",
    );
    assert_eq!(phi.status, 202, "{}\n{}", phi.body, cp.describe());
    let a_message = phi.json()["id"].as_str().expect("id").to_string();
    // The portal copy appears once the publisher has run.
    let a_copy = support::wait_until(
        "A's portal copy",
        Duration::from_secs(60),
        Duration::from_millis(500),
        || {
            let r = http.call(
                "GET",
                &format!("/api/v1/portal/copies?message={a_message}"),
                std::slice::from_ref(&a.admin),
                None,
                None,
            );
            r.json()
                .as_array()
                .and_then(|l| l.first())
                .and_then(|c| c["id"].as_str().map(str::to_string))
        },
    );
    let a_session = http
        .call("GET", "/api/v1/me/sessions", &[], None, Some(&a.jar))
        .json()[0]["id"]
        .as_str()
        .expect("A's session id")
        .to_string();
    let a_user = http
        .call("GET", "/api/v1/me", &[], None, Some(&a.jar))
        .json()["id"]
        .as_str()
        .expect("A's user id")
        .to_string();

    // Policy: B reads, lists and changes only its own.
    try_route("get", "/api/v1/policy");
    let r = http.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&b.compliance),
        None,
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["version"], 0, "B does not see A's policy");
    try_route("get", "/api/v1/policy/history");
    let r = http.call(
        "GET",
        "/api/v1/policy/history",
        std::slice::from_ref(&b.compliance),
        None,
        None,
    );
    assert!(!r.body.contains("clinic-a-only"), "{}", r.body);
    try_route("put", "/api/v1/policy");
    let b_policy = "[[rule]]\nname = \"clinic-b-only\"\nwhen = { categories = [\"SSN\"] }\naction = \"quarantine\"\n";
    let r = http.call(
        "PUT",
        "/api/v1/policy",
        std::slice::from_ref(&b.compliance),
        Some(b_policy),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = http.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&a.compliance),
        None,
        None,
    );
    assert_eq!(r.json()["document"], a_policy, "A's policy is unchanged");

    // Portal copies.
    try_route("get", "/api/v1/portal/copies");
    let r = http.call(
        "GET",
        "/api/v1/portal/copies",
        std::slice::from_ref(&b.admin),
        None,
        None,
    );
    assert!(!r.body.contains(&a_copy), "{}", r.body);
    let r = http.call(
        "GET",
        &format!("/api/v1/portal/copies?message={a_message}"),
        std::slice::from_ref(&b.admin),
        None,
        None,
    );
    assert!(!r.body.contains(&a_copy), "{}", r.body);
    try_route("post", "/api/v1/portal/copies/{id}/revoke");
    let r = http.call(
        "POST",
        &format!("/api/v1/portal/copies/{a_copy}/revoke"),
        std::slice::from_ref(&b.admin),
        None,
        None,
    );
    assert_eq!(r.status, 404, "{}", r.body);

    // Messages.
    try_route("post", "/api/v1/messages");
    let r = send(&b, "b-1", "lab@a.test", "Spoofing clinic A.");
    assert_eq!(r.status, 403, "B's key cannot send as A: {}", r.body);
    try_route("get", "/api/v1/messages/{id}");
    let r = http.call(
        "GET",
        &format!("/api/v1/messages/{a_message}"),
        &[bearer(&b.key)],
        None,
        None,
    );
    assert_eq!(r.status, 404, "{}", r.body);
    // B reusing A's idempotency key is a new, separate message of B's.
    let r = send(&b, "a-1", "lab@b.test", "Clinic B's own message.");
    assert_eq!(r.status, 202, "{}", r.body);
    assert_ne!(r.json()["id"].as_str(), Some(a_message.as_str()));

    // API keys.
    try_route("get", "/api/v1/api-keys");
    let r = http.call(
        "GET",
        "/api/v1/api-keys",
        std::slice::from_ref(&b.admin),
        None,
        None,
    );
    assert!(!r.body.contains(&a.key_id), "{}", r.body);
    try_route("post", "/api/v1/api-keys");
    let r = http.call(
        "POST",
        "/api/v1/api-keys",
        &[b.admin.clone(), JSON.to_string()],
        Some(&json!({"name": "x", "scopes": "messages:read", "days": 1}).to_string()),
        None,
    );
    assert_eq!(r.status, 201, "B makes keys for B: {}", r.body);
    try_route("post", "/api/v1/api-keys/{id}/revoke");
    let r = http.call(
        "POST",
        &format!("/api/v1/api-keys/{}/revoke", a.key_id),
        std::slice::from_ref(&b.admin),
        None,
        None,
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let r = http.call(
        "GET",
        &format!("/api/v1/messages/{a_message}"),
        &[bearer(&a.key)],
        None,
        None,
    );
    assert_eq!(r.status, 200, "A's key still works");

    // The audit trail.
    try_route("get", "/audit/v1/proof/{message}");
    let r = http.call(
        "GET",
        &format!("/audit/v1/proof/{a_message}"),
        std::slice::from_ref(&b.auditor),
        None,
        None,
    );
    assert_eq!(
        r.status, 404,
        "B's auditor gets no receipt of A's message: {}",
        r.body
    );
    let r = http.call(
        "GET",
        &format!("/audit/v1/proof/{a_message}"),
        std::slice::from_ref(&a.auditor),
        None,
        None,
    );
    assert_eq!(r.status, 200, "A's auditor does: {}", r.body);
    try_route("get", "/audit/v1/events");
    let r = http.call(
        "GET",
        &format!("/audit/v1/events?message={a_message}&limit=1000"),
        std::slice::from_ref(&b.auditor),
        None,
        None,
    );
    assert_eq!(r.status, 200);
    assert!(!r.body.contains(&a_message), "{}", r.body);
    let r = http.call(
        "GET",
        "/audit/v1/events?limit=10000",
        std::slice::from_ref(&b.auditor),
        None,
        None,
    );
    let orgs = cp.cli_ok(&["org", "list", "--json"]).stdout_text();
    let a_tenant = orgs
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|o| o["name"] == "Clinic A")
        .and_then(|o| o["id"].as_str().map(str::to_string))
        .expect("A's id");
    let events: Vec<Value> = r
        .body
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!events.is_empty(), "B's auditor sees B's own events");
    let leaked: Vec<&Value> = events
        .iter()
        .filter(|e| e["tenant"] == a_tenant.as_str() || e["actor"]["id"] == a_user.as_str())
        .collect();
    assert!(
        leaked.is_empty(),
        "A's events reached B's auditor: {leaked:#?}"
    );

    // Console twins.
    try_route("get", "/api/v1/me");
    let me = http
        .call("GET", "/api/v1/me", &[], None, Some(&b.jar))
        .json();
    assert_ne!(me["id"].as_str(), Some(a_user.as_str()));
    try_route("get", "/api/v1/me/sessions");
    let r = http.call("GET", "/api/v1/me/sessions", &[], None, Some(&b.jar));
    assert!(!r.body.contains(&a_session), "{}", r.body);
    try_route("post", "/api/v1/me/sessions/end");
    let r = http.post_json(
        "/api/v1/me/sessions/end",
        &b.jar,
        Some(&b.csrf),
        &json!({"id": a_session}),
    );
    assert_eq!(r.status, 404, "B cannot end A's session: {}", r.body);
    let r = http.call("GET", "/api/v1/me", &[], None, Some(&a.jar));
    assert_eq!(r.status, 200, "A's session is alive");
    try_route("get", "/api/v1/dashboard");
    let r = http.call("GET", "/api/v1/dashboard", &[], None, Some(&a.jar));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["messages_with_phi"].as_u64() >= Some(1),
        "A sees its own PHI message"
    );
    let r = http.call("GET", "/api/v1/dashboard", &[], None, Some(&b.jar));
    assert_eq!(
        r.json()["messages_with_phi"],
        0,
        "B's day has no PHI message: {}",
        r.body
    );
    try_route("get", "/api/v1/queue");
    let r = http.call("GET", "/api/v1/queue", &[], None, Some(&b.jar));
    assert_eq!(
        r.status, 403,
        "an auditor sees no message details: {}",
        r.body
    );
    try_route("get", "/api/v1/audit/events");
    let r = http.call(
        "GET",
        &format!("/api/v1/audit/events?message={a_message}"),
        &[],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let leaked: Vec<Value> = r
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["tenant"] == a_tenant.as_str())
        .collect();
    assert!(leaked.is_empty(), "none of A's events: {leaked:#?}");
    let r = http.call(
        "GET",
        &format!("/api/v1/audit/events?message={a_message}"),
        &[],
        None,
        Some(&a.jar),
    );
    assert!(
        r.json().as_array().is_some_and(|l| !l.is_empty()),
        "A's auditor finds them"
    );
    try_route("get", "/api/v1/users");
    let r = http.call("GET", "/api/v1/users", &[], None, Some(&b.jar));
    assert_eq!(r.status, 403, "an auditor lists no users: {}", r.body);
    try_route("post", "/api/v1/users/{id}/end-sessions");
    let r = http.call(
        "POST",
        &format!("/api/v1/users/{a_user}/end-sessions"),
        &[csrf_header(&b.csrf)],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    try_route("post", "/api/v1/users/{id}/reset-mfa");
    let r = http.call(
        "POST",
        &format!("/api/v1/users/{a_user}/reset-mfa"),
        &[csrf_header(&b.csrf)],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = http.call("GET", "/api/v1/me", &[], None, Some(&a.jar));
    assert_eq!(r.status, 200, "A's session is still alive");

    // Policy dry run, quarantine review and queue actions (crates/operations). B's auditor
    // may run a dry run: it is evaluated against B's own policy, never A's. The quarantine and
    // queue writes are refused to an auditor's role; a reviewer of another organisation
    // gets "not found" (crates/carepost/tests/console_policy.rs, the operations unit tests).
    try_route("post", "/api/v1/policy/dry-run");
    let r = http.post_json(
        "/api/v1/policy/dry-run",
        &b.jar,
        Some(&b.csrf),
        &json!({"message": "From: lab@b.test\r\nSubject: x\r\n\r\nSSN 219-09-9999\r\n",
                "to": "pat@dest.test"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["decided_by"],
        "clinic-b-only",
        "B's own policy decides: {}",
        r.body
    );
    assert!(!r.body.contains("clinic-a-only"), "A's rule: {}", r.body);
    let r = http.call(
        "POST",
        "/api/v1/policy/dry-run",
        &[JSON.to_string()],
        Some(&json!({"message": "From: lab@b.test\r\n\r\nx\r\n", "to": "p@dest.test"}).to_string()),
        Some(&b.jar),
    );
    assert_eq!(r.status, 403, "no anti-forgery token: {}", r.body);
    try_route("get", "/api/v1/quarantine");
    let r = http.call("GET", "/api/v1/quarantine", &[], None, Some(&b.jar));
    assert_eq!(
        r.status, 403,
        "an auditor reviews no quarantine: {}",
        r.body
    );
    try_route("get", "/api/v1/quarantine/{id}");
    let r = http.call(
        "GET",
        &format!("/api/v1/quarantine/{a_message}"),
        &[],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!r.body.contains("pat@dest.test"), "{}", r.body);
    for action in ["release", "reject"] {
        try_route("post", &format!("/api/v1/quarantine/{{id}}/{action}"));
        let r = http.post_json(
            &format!("/api/v1/quarantine/{a_message}/{action}"),
            &b.jar,
            Some(&b.csrf),
            &json!({"reason": "not ours"}),
        );
        assert_eq!(r.status, 403, "{action}: {}", r.body);
    }
    for action in ["retry", "hold", "release"] {
        try_route("post", &format!("/api/v1/queue/{{id}}/{action}"));
        let r = http.call(
            "POST",
            &format!("/api/v1/queue/{a_message}/{action}"),
            &[csrf_header(&b.csrf)],
            None,
            Some(&b.jar),
        );
        assert_eq!(r.status, 403, "{action}: {}", r.body);
    }
    let held = cp.cli_ok(&["queue", "show", &a_message, "--json"]);
    assert!(
        !held.stdout_text().contains("\"status\":\"held\""),
        "A's message was not held: {}",
        held.stdout_text()
    );

    // Groups (crates/operations/src/groups.rs): managing them needs ManageUsers, which an
    // auditor lacks, so B's session is refused before anything is looked up; A's group is
    // untouched. (An administrator of another organisation gets "not found": the store and
    // console_groups_access.rs check that with a real admin session.)
    cp.cli_ok(&["group", "add", "billing", "--tenant", "Clinic A"]);
    let a_group = cp
        .cli_ok(&["group", "list", "--json", "--tenant", "Clinic A"])
        .stdout_text();
    let a_group: Value = serde_json::from_str(a_group.trim()).expect("group json");
    let a_group = a_group["id"].as_str().expect("group id").to_string();
    try_route("get", "/api/v1/groups");
    let r = http.call("GET", "/api/v1/groups", &[], None, Some(&b.jar));
    assert_eq!(r.status, 403, "an auditor manages no groups: {}", r.body);
    try_route("post", "/api/v1/groups");
    let r = http.post_json(
        "/api/v1/groups",
        &b.jar,
        Some(&b.csrf),
        &json!({"name": "billing"}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    for (route, body) in [
        ("delete", None),
        ("members", Some(json!({"address": "audit@b.test"}))),
        ("members/remove", Some(json!({"address": "audit@a.test"}))),
    ] {
        try_route("post", &format!("/api/v1/groups/{{id}}/{route}"));
        let r = http.call(
            "POST",
            &format!("/api/v1/groups/{a_group}/{route}"),
            &[csrf_header(&b.csrf), JSON.to_string()],
            body.map(|b| b.to_string()).as_deref(),
            Some(&b.jar),
        );
        assert_eq!(r.status, 403, "{route}: {}", r.body);
    }
    let listed = cp
        .cli_ok(&["group", "list", "--json", "--tenant", "Clinic A"])
        .stdout_text();
    assert!(listed.contains("\"billing\""), "A's group stays: {listed}");

    // Conditional access: an auditor may look (at B's own policy only) and ask "what if";
    // it may not store a version. (Stored policies per organisation: the storage conformance
    // story and console_groups_access.rs.)
    try_route("get", "/api/v1/access-policy");
    try_route("get", "/api/v1/access-policy/history");
    try_route("put", "/api/v1/access-policy");
    try_route("post", "/api/v1/access-policy/check");
    let r = http.call("GET", "/api/v1/access-policy", &[], None, Some(&b.jar));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["source"], "configured", "{}", r.body);
    let r = http.call(
        "PUT",
        "/api/v1/access-policy",
        &[csrf_header(&b.csrf), JSON.to_string()],
        Some(
            &json!({"document": "[[rule]]\nname = \"x\"\ndeny_ip = [\"0.0.0.0/0\"]\n"}).to_string(),
        ),
        Some(&b.jar),
    );
    assert_eq!(
        r.status, 403,
        "an auditor stores no access policy: {}",
        r.body
    );
    let r = http.call(
        "GET",
        "/api/v1/access-policy/history",
        &[],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["versions"], json!([]), "{}", r.body);
    let r = http.post_json(
        "/api/v1/access-policy/check",
        &b.jar,
        Some(&b.csrf),
        &json!({"role": "sender", "ip": "127.0.0.1"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["outcome"], "allow", "{}", r.body);

    // App passwords: each person sees, makes and revokes only their own.
    let a_password = http
        .call("GET", "/api/v1/me/app-passwords", &[], None, Some(&a.jar))
        .json()[0]["id"]
        .as_str()
        .expect("A's auditor's app password")
        .to_string();
    try_route("get", "/api/v1/me/app-passwords");
    let r = http.call("GET", "/api/v1/me/app-passwords", &[], None, Some(&b.jar));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains(&a_password), "{}", r.body);
    try_route("post", "/api/v1/me/app-passwords");
    let r = http.post_json(
        "/api/v1/me/app-passwords",
        &b.jar,
        Some(&b.csrf),
        &json!({"label": "B's scanner"}),
    );
    assert_eq!(r.status, 201, "B makes its own: {}", r.body);
    let r = http.call("GET", "/api/v1/me/app-passwords", &[], None, Some(&a.jar));
    assert!(!r.body.contains("B's scanner"), "{}", r.body);
    try_route("post", "/api/v1/me/app-passwords/{id}/revoke");
    let r = http.call(
        "POST",
        &format!("/api/v1/me/app-passwords/{a_password}/revoke"),
        &[csrf_header(&b.csrf)],
        None,
        Some(&b.jar),
    );
    assert_eq!(
        r.status, 404,
        "B cannot revoke A's app password: {}",
        r.body
    );
    let r = http.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&a.auditor),
        None,
        None,
    );
    assert_eq!(r.status, 200, "A's app password still works");

    // People: B's admin (a break-glass session: admins need a passkey otherwise) cannot
    // touch A's people, nor take an address of A's.
    let b_admin = dir.join("b-admin.jar");
    let b_admin_csrf = http.break_glass("it@b.test", &b_admin);
    let b_admin_post =
        |path: &str, body: Value| http.post_json(path, &b_admin, Some(&b_admin_csrf), &body);
    try_route("post", "/api/v1/users");
    let r = b_admin_post(
        "/api/v1/users",
        json!({"address": "audit@a.test", "role": "admin"}),
    );
    assert_eq!(r.status, 409, "A's address stays A's: {}", r.body);
    let r = http.post_json(
        "/api/v1/users",
        &b.jar,
        Some(&b.csrf),
        &json!({"address": "new@b.test", "role": "sender"}),
    );
    assert_eq!(r.status, 403, "an auditor adds nobody: {}", r.body);
    try_route("post", "/api/v1/users/{id}/role");
    let r = b_admin_post(
        &format!("/api/v1/users/{a_user}/role"),
        json!({"role": "sender"}),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    try_route("post", "/api/v1/users/{id}/disable");
    let r = b_admin_post(&format!("/api/v1/users/{a_user}/disable"), json!({}));
    assert_eq!(r.status, 404, "{}", r.body);
    try_route("post", "/api/v1/users/{id}/enable");
    let r = b_admin_post(&format!("/api/v1/users/{a_user}/enable"), json!({}));
    assert_eq!(r.status, 404, "{}", r.body);
    let me = http
        .call("GET", "/api/v1/me", &[], None, Some(&a.jar))
        .json();
    assert_eq!(
        me["role"], "auditor",
        "A's person is unchanged and signed in: {me}"
    );

    // Public routes hold no organisation's data; note them as tried.
    for (method, path) in [
        ("get", "/healthz"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/audit/v1/head"),
        ("get", "/audit/v1/consistency"),
    ] {
        try_route(method, path);
    }

    // Every route in the OpenAPI document was tried.
    let doc = http
        .call("GET", "/api/v1/openapi.json", &[], None, None)
        .json();
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("ops").keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let untried: Vec<_> = documented.difference(&tried).collect();
    assert!(
        untried.is_empty(),
        "routes without a cross-organisation check: {untried:?}"
    );
}
