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
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use support::http::{self, Reply};
use support::{Carepost, Config, TestDir};

struct Http<'a> {
    cp: &'a Carepost,
    ca: std::path::PathBuf,
}

impl Http<'_> {
    fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[String],
        body: Option<&str>,
        jar: Option<&Path>,
    ) -> Reply {
        let url = format!("https://localhost:{}{path}", self.cp.http_port);
        http::request(method, &url, &self.ca, headers, body, jar)
    }
}

fn basic(address: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Authorization: Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{address}:{password}"))
    )
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

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

fn field<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split(marker)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("{marker} not in\n{html}"))
}

/// Sign a person in to the console with curl: one-time password, new password, an
/// authenticator app (the code computed from the secret on the page).
fn console_session(http: &Http<'_>, cp: &Carepost, address: &str, jar: &Path) -> String {
    let one_time = cp
        .cli_ok(&["user", "reset-password", address])
        .stdout_text()
        .trim()
        .to_string();
    let form = "Content-Type: application/x-www-form-urlencoded".to_string();
    let page = http.call("GET", "/console/sign-in", &[], None, Some(jar));
    let csrf = field(&page.body, "name=\"csrf\" value=\"").to_string();
    let r = http.call(
        "POST",
        "/console/sign-in",
        std::slice::from_ref(&form),
        Some(&format!(
            "csrf={csrf}&address={}&password={}",
            address.replace('@', "%40"),
            one_time.replace('-', "%2D")
        )),
        Some(jar),
    );
    assert_eq!(
        r.location.as_deref(),
        Some("/console/password"),
        "{}",
        r.body
    );
    let page = http.call("GET", "/console/password", &[], None, Some(jar));
    let csrf = field(&page.body, "name=\"csrf\" value=\"").to_string();
    let new = "amber+kettle+orchard+5521";
    let r = http.call(
        "POST",
        "/console/password",
        std::slice::from_ref(&form),
        Some(&format!("csrf={csrf}&new={new}&again={new}")),
        Some(jar),
    );
    assert_eq!(r.location.as_deref(), Some("/console/enrol"), "{}", r.body);
    let page = http.call("GET", "/console/enrol", &[], None, Some(jar));
    let csrf = field(&page.body, "name=\"csrf\" value=\"").to_string();
    let secret = page
        .body
        .split("<code id=\"totp-secret\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("secret")
        .to_string();
    let totp = identity::totp::TotpSecret::from_base32(&secret).expect("secret");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let r = http.call(
        "POST",
        "/console/enrol/totp",
        &[form],
        Some(&format!("csrf={csrf}&code={}", totp.code_at(now).as_str())),
        Some(jar),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let me = http.call("GET", "/api/v1/me", &[], None, Some(jar)).json();
    me["csrf_token"].as_str().expect("csrf").to_string()
}

fn organisation(http: &Http<'_>, cp: &Carepost, name: &str, domain: &str, dir: &TestDir) -> Org {
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
        "messages:send messages:read audit:read policy:read policy:write portal:manage",
        "--senders",
        &format!("@{domain}"),
        "--organisation",
        name,
    ]);
    let key: Value = serde_json::from_str(key.stdout_text().trim()).expect("key json");
    let jar = dir.join(&format!("{name}.jar"));
    // The console session is the auditor's: it may see the figures, not the users.
    let csrf = console_session(http, cp, &auditor, &jar);
    Org {
        admin: basic(&admin, &cp.app_password(&admin)),
        compliance: basic(&compliance, &cp.app_password(&compliance)),
        auditor: basic(&auditor, &cp.app_password(&auditor)),
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
    let http = Http {
        cp: &cp,
        ca: cp.data_dir.join("tls").join("cert.pem"),
    };
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
    let r = http.call(
        "POST",
        "/api/v1/me/sessions/end",
        &[format!("x-csrf-token: {}", b.csrf), JSON.to_string()],
        Some(&json!({"id": a_session}).to_string()),
        Some(&b.jar),
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
        &[format!("x-csrf-token: {}", b.csrf)],
        None,
        Some(&b.jar),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = http.call("GET", "/api/v1/me", &[], None, Some(&a.jar));
    assert_eq!(r.status, 200, "A's session is still alive");

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
