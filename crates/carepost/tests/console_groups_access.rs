//! An administrator manages groups and the organisation's conditional access in a real
//! browser (Debian's chromium, headless, driven by playwright-core:
//! tests/browser/console_admin.mjs): creates a group and adds a sender; saves an invalid
//! access policy (refused with its reason, nothing stored), then one that denies senders
//! from 127.0.0.0/8; asks "what if"; the sender's sign-in from loopback is then denied
//! while the admin still gets in. Screenshots go to target/test-artifacts/console/.
//!
//! Afterwards, with the admin's session cookie and curl: the JSON twins (groups, access
//! policy, history, check), a write without the anti-forgery token refused, another
//! organisation's group "not found"; and the audit trail holds the denial with its reason
//! and rule (`auth.access_decided`), the group changes and the stored version.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, chromium, node with tests/browser installed,
//! certutil, curl).

mod support;

use std::time::Duration;

use serde_json::{Value, json};

use support::TestDir;
use support::browser::{
    artifacts, assert_screenshots, chrome_home, first_admin_script, require_browser_tools,
    run_to_done,
};
use support::console::{BrowserSession, ConsoleClient};
use support::portal::PortalFixture;

const SENDER: &str = "biller@clinic.test";

#[test]
fn an_admin_manages_groups_and_conditional_access_in_chromium() {
    require_interop!();
    require_browser_tools(&["chromium", "node", "certutil", "curl"]);
    let fx = PortalFixture::start_with_peer_certificate("");
    fx.cp.cli_ok(&["user", "add", SENDER, "--role", "sender"]);
    let sender_password = fx.cp.reset_password(SENDER);
    // Another organisation with a group, for the cross-organisation checks.
    fx.cp.cli_ok(&["org", "add", "Other Clinic"]);
    fx.cp
        .cli_ok(&["group", "add", "billing", "--tenant", "Other Clinic"]);
    let other: Value = serde_json::from_str(
        fx.cp
            .cli_ok(&["group", "list", "--json", "--tenant", "Other Clinic"])
            .stdout_text()
            .trim(),
    )
    .expect("other group");
    let other_group = other["id"].as_str().expect("id").to_string();

    let home = chrome_home(&fx.cafile);
    let work = TestDir::new("console-admin");
    let out_file = work.join("admin-session.json");
    let artifacts = artifacts("console");
    run_to_done(
        first_admin_script(
            "console_admin.mjs",
            &fx.cp,
            home.path(),
            &artifacts,
            &out_file,
        )
        .env("SENDER_ADDRESS", SENDER)
        .env("SENDER_PASSWORD", &sender_password),
        Duration::from_secs(240),
        &fx.cp,
    );
    assert_screenshots(
        &artifacts,
        &[
            "21-groups",
            "22-access-invalid",
            "23-access-saved",
            "24-access-what-if",
            "25-sender-denied",
            "26-access-admin-again",
        ],
    );

    // The sender's denial is in the trail with its reason and rule; the admin's sign-ins
    // were not denied.
    let (sender_id, admin_id) = (fx.cp.user_id(SENDER), fx.cp.user_id("admin@localhost"));
    let decided = fx.cp.audit_events("auth.access_decided");
    let denial = decided
        .iter()
        .find(|e| e["actor"]["id"] == sender_id.as_str() && e["details"]["outcome"] == "deny")
        .unwrap_or_else(|| panic!("no denial of the sender in {decided:#?}"));
    // Its first sign-in is also from a new device (a step-up reason); the denial's is the
    // address.
    let reasons = denial["details"]["reasons"].as_array().expect("reasons");
    assert!(reasons.contains(&json!("ip_denied")), "{denial}");
    assert_eq!(
        denial["details"]["rules"],
        json!(["senders-not-from-loopback"])
    );
    assert!(
        !decided
            .iter()
            .any(|e| e["actor"]["id"] == admin_id.as_str() && e["details"]["outcome"] == "deny"),
        "the admin was never denied: {decided:#?}"
    );
    let stored = fx.cp.audit_events("admin.access_policy_changed");
    assert_eq!(stored.len(), 1, "only the valid document was stored");
    assert_eq!(stored[0]["details"]["previous_version"], 0);
    let changed = fx.cp.audit_events("admin.group_changed");
    let actions: Vec<&str> = changed
        .iter()
        .filter(|e| e["actor"]["id"] == admin_id.as_str())
        .filter_map(|e| e["details"]["action"].as_str())
        .collect();
    assert_eq!(actions, vec!["created", "member_added"]);

    // The JSON twins with the admin's session cookie.
    let c = ConsoleClient::trusting(&fx.cp, &fx.cafile);
    let session = BrowserSession::from_state_file(&c, &out_file);
    let json_type = "Content-Type: application/json".to_string();
    let csrf = session.csrf_header();
    let with_csrf = [csrf, json_type.clone()];
    let without_csrf = [json_type];

    let (code, listed) = session
        .request("GET", "/api/v1/groups", &[], None)
        .status_and_body();
    assert_eq!(code, 200, "{listed}");
    let listed: Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(listed["groups"][0]["name"], "billing");
    assert_eq!(listed["groups"][0]["members"][0]["address"], SENDER);
    assert_eq!(
        listed["groups"].as_array().map(Vec::len),
        Some(1),
        "not the other organisation's billing group: {listed}"
    );
    let radiology = json!({"name": "radiology"}).to_string();
    let (code, body) = session
        .request("POST", "/api/v1/groups", &without_csrf, Some(&radiology))
        .status_and_body();
    assert_eq!(code, 403, "a write without x-csrf-token: {body}");
    assert!(body.contains("forgery"), "{body}");
    let (code, body) = session
        .request("POST", "/api/v1/groups", &with_csrf, Some(&radiology))
        .status_and_body();
    assert_eq!(code, 201, "{body}");
    let radiology_id = serde_json::from_str::<Value>(&body).expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (code, body) = session
        .request("POST", "/api/v1/groups", &with_csrf, Some(&radiology))
        .status_and_body();
    assert_eq!(code, 409, "{body}");
    let sender = json!({"address": SENDER}).to_string();
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/groups/{radiology_id}/members"),
            &with_csrf,
            Some(&sender),
        )
        .status_and_body();
    assert_eq!(
        (code, body.contains("\"added\":true")),
        (200, true),
        "{body}"
    );
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/groups/{radiology_id}/members/remove"),
            &with_csrf,
            Some(&sender),
        )
        .status_and_body();
    assert_eq!(
        (code, body.contains("\"removed\":true")),
        (200, true),
        "{body}"
    );
    // Another organisation's group: not found, for every write; and it stays.
    for route in ["members", "members/remove"] {
        let (code, body) = session
            .request(
                "POST",
                &format!("/api/v1/groups/{other_group}/{route}"),
                &with_csrf,
                Some(&sender),
            )
            .status_and_body();
        assert_eq!(code, 404, "{route}: {body}");
    }
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/groups/{other_group}/delete"),
            &with_csrf,
            None,
        )
        .status_and_body();
    assert_eq!(code, 404, "{body}");
    assert!(
        fx.cp
            .cli_ok(&["group", "list", "--tenant", "Other Clinic"])
            .stdout_text()
            .contains("billing")
    );
    // A person of another organisation cannot be added to this one's group.
    fx.cp.cli_ok(&[
        "user",
        "add",
        "someone@other.test",
        "--tenant",
        "Other Clinic",
    ]);
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/groups/{radiology_id}/members"),
            &with_csrf,
            Some(&json!({"address": "someone@other.test"}).to_string()),
        )
        .status_and_body();
    assert_eq!(code, 404, "{body}");
    assert!(body.contains("unknown_person"), "{body}");
    // Each of those attempts left a refused access in the trail: three on the other
    // organisation's group, one for its person.
    let refused: Vec<Value> = fx
        .cp
        .audit_events("auth.access_decided")
        .into_iter()
        .filter(|e| e["details"]["reasons"][0] == "not_in_organisation")
        .collect();
    let count = |object: &str| {
        refused
            .iter()
            .filter(|e| e["details"]["object"] == object)
            .count()
    };
    assert_eq!((count("group"), count("person")), (3, 1), "{refused:?}");
    let (code, body) = session
        .request(
            "POST",
            &format!("/api/v1/groups/{radiology_id}/delete"),
            &with_csrf,
            None,
        )
        .status_and_body();
    assert_eq!(code, 200, "{body}");

    // The access policy's twins.
    let (code, body) = session
        .request("GET", "/api/v1/access-policy", &[], None)
        .status_and_body();
    assert_eq!(code, 200, "{body}");
    let in_force: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (in_force["source"].as_str(), in_force["version"].as_u64()),
        (Some("stored"), Some(1))
    );
    let (code, body) = session
        .request("GET", "/api/v1/access-policy/history", &[], None)
        .status_and_body();
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("json")["versions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let invalid =
        json!({"document": "[[rule]]\nname = \"x\"\ndeny_ip = [\"not-a-network\"]\n"}).to_string();
    let (code, body) = session
        .request(
            "PUT",
            "/api/v1/access-policy",
            &without_csrf,
            Some(&invalid),
        )
        .status_and_body();
    assert_eq!(code, 403, "{body}");
    let (code, body) = session
        .request("PUT", "/api/v1/access-policy", &with_csrf, Some(&invalid))
        .status_and_body();
    assert_eq!(code, 422, "{body}");
    assert!(
        body.contains("invalid_policy") && body.contains("\"line\":3"),
        "{body}"
    );
    for (role, outcome) in [("sender", "deny"), ("admin", "allow")] {
        let (code, body) = session
            .request(
                "POST",
                "/api/v1/access-policy/check",
                &with_csrf,
                Some(&json!({"role": role, "ip": "127.0.0.1"}).to_string()),
            )
            .status_and_body();
        assert_eq!(code, 200, "{body}");
        let answer: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(answer["outcome"], outcome, "{role}: {body}");
        assert_eq!(answer["source"], "stored");
    }
    let (code, body) = session
        .request(
            "POST",
            "/api/v1/access-policy/check",
            &without_csrf,
            Some(&json!({"role": "sender", "ip": "127.0.0.1"}).to_string()),
        )
        .status_and_body();
    assert_eq!(code, 403, "{body}");
    assert_eq!(
        fx.cp.audit_events("admin.access_policy_changed").len(),
        1,
        "refused documents stored nothing"
    );
}
