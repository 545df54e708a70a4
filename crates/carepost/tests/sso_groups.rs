//! Single sign-on keeps a person's carepost group memberships in step with the provider's
//! groups (crates/console-web/src/sso_signin.rs, operations::groups::sync_with_claims):
//! a claimed group that is one of the organisation's groups adds the person, a group no
//! longer claimed removes them, a claim naming no carepost group creates nothing; each
//! change is audited (`admin.group_changed` by `system:sso`). Against the certified
//! `oidc-provider` package (tests/oidc/provider.mjs) on loopback, curl as the browser
//! (the provider set-up of support/oidc.rs, shared with console_sso.rs).
//!
//! Needs CAREPOST_INTEROP=1 (node with tests/oidc installed, curl).

mod support;

use serde_json::{Value, json};

use support::Carepost;
use support::oidc::SsoWorld;

const SECRET: &str = "sso-groups-test-secret-0123456789";

fn groups(cp: &Carepost) -> Vec<Value> {
    cp.cli_ok(&["group", "list", "--json"])
        .stdout_text()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn members_of(cp: &Carepost, group: &str) -> Vec<String> {
    groups(cp)
        .iter()
        .find(|g| g["name"] == group)
        .and_then(|g| g["members"].as_array())
        .map(|m| {
            m.iter()
                .filter_map(|m| m["address"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sign_in_brings_group_memberships_in_line_with_the_provider() {
    require_interop!();
    let accounts = json!({
        "bob": {"password": "bob-pw", "email": "bob@clinic.test", "name": "Bob Sender",
                "groups": ["staff", "billing", "idp-only-group"]},
    });
    let w = SsoWorld::start(SECRET, &accounts, "\"staff\" = \"sender\"");
    let cp = &w.cp;

    // Bob exists already and is in night-shift, which the provider no longer claims; the
    // organisation has billing (claimed) and staff (claimed) too.
    cp.cli_ok(&["user", "add", "bob@clinic.test", "--role", "sender"]);
    for g in ["billing", "night-shift", "staff"] {
        cp.cli_ok(&["group", "add", g]);
    }
    cp.cli_ok(&["group", "add-member", "night-shift", "bob@clinic.test"]);

    let done = w.sign_in("bob", "bob", "bob-pw");
    assert_eq!(done.status, 200, "{}\n{}", done.body, cp.describe());
    assert_eq!(members_of(cp, "billing"), vec!["bob@clinic.test"]);
    assert_eq!(members_of(cp, "staff"), vec!["bob@clinic.test"]);
    assert!(
        members_of(cp, "night-shift").is_empty(),
        "no longer claimed"
    );
    assert!(
        !groups(cp).iter().any(|g| g["name"] == "idp-only-group"),
        "no group is created from a claim"
    );
    let by_sso: Vec<Value> = cp
        .audit_events("admin.group_changed")
        .into_iter()
        .filter(|e| e["actor"]["component"] == "sso")
        .collect();
    let mut seen: Vec<(String, String)> = by_sso
        .iter()
        .map(|e| {
            (
                e["details"]["action"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                e["details"]["group"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("member_added".to_string(), "billing".to_string()),
            ("member_added".to_string(), "staff".to_string()),
            ("member_removed".to_string(), "night-shift".to_string()),
        ]
    );

    // Signing in again with the same claims changes (and records) nothing.
    let done = w.sign_in("bob", "bob", "bob-pw");
    assert_eq!(done.status, 200, "{}", done.body);
    let again = cp
        .audit_search("admin.group_changed")
        .lines()
        .filter(|l| l.contains("\"sso\""))
        .count();
    assert_eq!(again, 3);
}
