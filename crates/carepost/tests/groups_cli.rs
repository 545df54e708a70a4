//! `carepost group …`: groups are created, listed with members, changed and deleted, every
//! change audited (`admin.group_changed`, no addresses in the trail); bad names, unknown
//! groups and people of another organisation are refused. Needs no peers.

mod support;

use serde_json::Value;

use support::{Carepost, CmdOutput, Config};

fn lines_as_json(out: &CmdOutput) -> Vec<Value> {
    out.stdout_text()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn refused(cp: &Carepost, args: &[&str], why: &str) {
    let out = cp.cli(args);
    assert!(
        !out.success(),
        "`carepost {}` should fail\n{}",
        args.join(" "),
        out.all_text()
    );
    assert!(
        out.all_text().contains(why),
        "`carepost {}` should say {why:?}\n{}",
        args.join(" "),
        out.all_text()
    );
}

#[test]
fn groups_are_managed_audited_and_kept_within_their_organisation() {
    let cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["user", "add", "billing@clinic.example"]);
    cp.cli_ok(&["user", "add", "nurse@clinic.example"]);
    cp.cli_ok(&["org", "add", "Other Clinic"]);
    cp.cli_ok(&[
        "user",
        "add",
        "stranger@other.example",
        "--tenant",
        "Other Clinic",
    ]);

    cp.cli_ok(&["group", "add", "billing"]);
    cp.cli_ok(&["group", "add", "nurses"]);
    refused(&cp, &["group", "add", "billing"], "exists");
    refused(&cp, &["group", "add", "Two Words"], "lower-case");
    refused(&cp, &["group", "add", &"x".repeat(65)], "at most 64");

    cp.cli_ok(&["group", "add-member", "billing", "billing@clinic.example"]);
    let again = cp.cli_ok(&["group", "add-member", "billing", "billing@clinic.example"]);
    assert!(again.stdout_text().contains("already a member"));
    refused(
        &cp,
        &["group", "add-member", "billing", "stranger@other.example"],
        "no person with this address",
    );
    refused(
        &cp,
        &[
            "group",
            "add-member",
            "no-such-group",
            "nurse@clinic.example",
        ],
        "no such group",
    );
    // The other organisation has no group "billing", and cannot reach this one's.
    refused(
        &cp,
        &[
            "group",
            "add-member",
            "billing",
            "stranger@other.example",
            "--tenant",
            "Other Clinic",
        ],
        "no such group",
    );

    let listed = lines_as_json(&cp.cli_ok(&["group", "list", "--json"]));
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["name"], "billing");
    assert_eq!(listed[0]["members"][0]["address"], "billing@clinic.example");
    assert_eq!(listed[0]["members"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed[1]["name"], "nurses");
    let other = cp.cli_ok(&["group", "list", "--tenant", "Other Clinic"]);
    assert!(other.stdout_text().contains("no groups"));

    cp.cli_ok(&[
        "group",
        "remove-member",
        "billing",
        "billing@clinic.example",
    ]);
    refused(
        &cp,
        &[
            "group",
            "remove-member",
            "billing",
            "billing@clinic.example",
        ],
        "not a member",
    );
    cp.cli_ok(&["group", "delete", "nurses"]);
    refused(&cp, &["group", "delete", "nurses"], "no such group");
    let listed = lines_as_json(&cp.cli_ok(&["group", "list", "--json"]));
    assert_eq!(listed.len(), 1);
    assert!(listed[0]["members"].as_array().is_some_and(Vec::is_empty));

    // Each change once in the trail, with the action and group name, never an address.
    let out = cp.cli_ok(&["audit", "search", "--kind", "admin.group_changed"]);
    let events = lines_as_json(&out);
    let actions: Vec<&str> = events
        .iter()
        .filter_map(|e| e["details"]["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "created",
            "created",
            "member_added",
            "member_removed",
            "deleted"
        ]
    );
    assert!(events.iter().all(|e| e["actor"]["component"] == "cli"));
    assert!(
        events[2]["subject"]["user"].is_string(),
        "the member is named by id"
    );
    assert!(
        !out.stdout_text().contains("@clinic.example"),
        "no address in the trail"
    );
}
