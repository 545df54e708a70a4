//! `carepost policy …` (docs/POLICY.md "The CLI"): versions stored and audited, invalid
//! documents refused with FILE:LINE:COLUMN while the version in force stays, history, and
//! the dry run that explains a decision without printing PHI. Needs no peers.

mod support;

use std::fs;

use serde_json::Value;
use sha2::{Digest, Sha256};

use support::{Carepost, CmdOutput, Config};

const V1: &str = r#"format = 1
description = "test policy, first version"

[[rule]]
name = "ssn-external-portal"
when = { categories = ["SSN"], recipient = "external" }
action = "portal"

[[rule]]
name = "clean-any-tls"
when = { phi = false, unscannable = false }
action = "deliver_any_tls"
"#;

/// V1 plus one rule.
const V2_EXTRA: &str = r#"
[[rule]]
name = "bulk-identifiers-review"
when = { categories = ["SSN", "MRN"], min_count = 25, recipient = "external" }
action = "quarantine"
notify_compliance = true
"#;

/// Line 5, column 24 is the unknown category.
const INVALID: &str = r#"format = 1

[[rule]]
name = "bad"
when = { categories = ["SOCIAL"] }
action = "portal"
"#;

/// Synthetic: the SSN is the SSA's well-known invalid example range, the rest is made up.
const SSN: &str = "219-09-9999";
const MRN: &str = "00456712";
const SSN_MAIL: &str = "From: Front Desk <frontdesk@clinic.example>\r\n\
To: jdoe@mail.example\r\nSubject: Intake\r\nContent-Type: text/plain\r\n\r\n\
Patient: Maria Gonzalez\r\nSSN: 219-09-9999\r\nMRN: 00456712\r\n";
const CLEAN_MAIL: &str = "From: Front Desk <frontdesk@clinic.example>\r\n\
To: vendor@supplies.example\r\nSubject: Printer toner\r\nContent-Type: text/plain\r\n\r\n\
Please send two boxes of toner to the front office by Friday. Thanks.\r\n";

fn initialised() -> Carepost {
    let cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp
}

fn write(cp: &Carepost, name: &str, text: &str) -> String {
    let path = cp.dir().join(name);
    fs::write(&path, text).expect("write test file");
    path.to_str().expect("UTF-8 temp path").to_string()
}

fn sha256_prefix(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

fn policy_changed_events(cp: &Carepost) -> Vec<Value> {
    let out = cp.cli_ok(&["audit", "search", "--kind", "admin.policy_changed"]);
    lines_as_json(&out)
}

fn lines_as_json(out: &CmdOutput) -> Vec<Value> {
    out.stdout_text()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn assert_no_phi(out: &CmdOutput) {
    let text = out.all_text();
    for value in [
        SSN,
        "219099999",
        MRN,
        "Gonzalez",
        "frontdesk",
        "jdoe",
        "vendor",
    ] {
        assert!(
            !text.contains(value),
            "{value:?} printed:\n{}",
            out.describe()
        );
    }
}

#[test]
fn policy_versions_are_stored_refused_when_invalid_listed_and_audited() {
    let cp = initialised();

    // Nothing stored: the built-in default, as version 0.
    let out = cp.cli_ok(&["policy", "show"]);
    assert!(
        out.stdout_text().contains("ssn-external-portal"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr_text().contains("default") && out.stderr_text().contains("version 0"),
        "{}",
        out.describe()
    );

    let v1 = write(&cp, "v1.toml", V1);
    let out = cp.cli_ok(&["policy", "set", &v1]);
    assert_eq!(
        out.stdout_text().trim(),
        "policy version 1 stored",
        "{}",
        out.describe()
    );

    let v2_text = format!("{V1}{V2_EXTRA}");
    let v2 = write(&cp, "v2.toml", &v2_text);
    let out = cp.cli_ok(&["policy", "set", &v2]);
    assert_eq!(
        out.stdout_text().trim(),
        "policy version 2 stored",
        "{}",
        out.describe()
    );

    // The same document again changes nothing.
    let out = cp.cli_ok(&["policy", "set", &v2]);
    assert!(
        out.stdout_text().contains("unchanged"),
        "{}",
        out.describe()
    );

    // Invalid: refused with file, line, column and reason; version 2 stays in force.
    let bad = write(&cp, "bad.toml", INVALID);
    let out = cp.cli(&["policy", "set", &bad]);
    assert!(
        !out.success(),
        "an invalid policy must be refused\n{}",
        out.describe()
    );
    assert!(
        out.stderr_text().contains(&format!(
            "carepost: {bad}:5:24: unknown PHI category `SOCIAL`"
        )),
        "{}",
        out.describe()
    );
    let out = cp.cli_ok(&["policy", "show"]);
    assert_eq!(out.stdout_text(), v2_text, "version 2 is still in force");
    assert!(
        out.stderr_text().contains("policy version 2"),
        "{}",
        out.describe()
    );
    let out = cp.cli_ok(&["policy", "show", "--version", "1"]);
    assert_eq!(out.stdout_text(), V1);
    assert!(!cp.cli(&["policy", "show", "--version", "3"]).success());

    // History: two versions, oldest first, with author, hash and rule count.
    let out = cp.cli_ok(&["policy", "history"]);
    let rows: Vec<Vec<String>> = out
        .stdout_text()
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{}", out.describe());
    for (row, (version, text, rules)) in rows.iter().zip([("1", V1, "2"), ("2", &*v2_text, "3")]) {
        assert_eq!(row[0], version, "{}", out.describe());
        assert_eq!(row[2], "system:cli", "{}", out.describe());
        assert_eq!(row[3], sha256_prefix(text), "{}", out.describe());
        assert_eq!(row[4], rules, "{}", out.describe());
    }

    // One audit event per stored version (none for the unchanged or the invalid document).
    let events = policy_changed_events(&cp);
    assert_eq!(events.len(), 2, "{events:?}");
    for (e, (previous, text, rules)) in events.iter().zip([(0, V1, 2), (1, &*v2_text, 3)]) {
        let details = &e["details"];
        assert_eq!(details["previous_version"], previous, "{e}");
        assert_eq!(details["rules"], rules, "{e}");
        assert_eq!(details["sha256"], sha256_prefix(text), "{e}");
        assert_eq!(e["actor"]["component"], "cli", "{e}");
        assert!(e["tenant"].is_string(), "{e}");
    }

    // The dry run now uses the stored version 2.
    let mail = write(&cp, "clean.eml", CLEAN_MAIL);
    let out = cp.cli_ok(&["policy", "test", &mail, "--to", "vendor@supplies.example"]);
    assert!(
        out.stdout_text().contains("Policy version 2"),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout_text().contains("clean-any-tls"),
        "{}",
        out.describe()
    );
}

#[test]
fn policy_test_sends_an_ssn_to_an_outside_recipient_through_the_portal_without_printing_it() {
    let cp = initialised();
    let ssn = write(&cp, "ssn.eml", SSN_MAIL);

    // Bad case for PHI: outside recipient -> portal, and the explanation says why.
    let out = cp.cli_ok(&["policy", "test", &ssn, "--to", "jdoe@mail.example"]);
    let text = out.stdout_text();
    assert!(
        text.contains("Policy version 0"),
        "default policy: {}",
        out.describe()
    );
    assert!(
        text.contains("Action: send through the portal"),
        "{}",
        out.describe()
    );
    assert!(
        text.contains("decided by rule \"ssn-external-portal\""),
        "{}",
        out.describe()
    );
    assert!(text.contains("category SSN x1"), "{}", out.describe());
    assert!(
        text.contains("Screening: PHI yes on a patient's identifier"),
        "{}",
        out.describe()
    );
    assert!(text.contains("recipient is external"), "{}", out.describe());
    assert_no_phi(&out);

    // Same message to a colleague (the sender's domain): internal, verified TLS, no portal.
    let out = cp.cli_ok(&["policy", "test", &ssn, "--to", "dr.who@clinic.example"]);
    let text = out.stdout_text();
    assert!(text.contains("recipient is internal"), "{}", out.describe());
    assert!(
        text.contains("Action: deliver over verified TLS, otherwise hold and retry"),
        "{}",
        out.describe()
    );
    assert!(!text.contains("ssn-external-portal"), "{}", out.describe());
    assert_no_phi(&out);

    // A clean message fires no rule of the default policy and takes its default: verified
    // TLS, otherwise the portal (clean mail is not trusted to be clean enough to relax it).
    let clean = write(&cp, "clean.eml", CLEAN_MAIL);
    let out = cp.cli_ok(&["policy", "test", &clean, "--to", "vendor@supplies.example"]);
    let text = out.stdout_text();
    assert!(
        text.contains("Action: deliver over verified TLS, otherwise send through the portal"),
        "{}",
        out.describe()
    );
    assert!(!text.contains("clean-any-tls"), "{}", out.describe());
    assert!(text.contains("Screening: PHI no (in"), "{}", out.describe());
    assert_no_phi(&out);

    // Each dry run read a message: recorded as a query, without values.
    let out = cp.cli_ok(&["audit", "search", "--kind", "audit.queried"]);
    let runs = lines_as_json(&out)
        .into_iter()
        .filter(|e| e["details"]["query"] == "policy_test")
        .count();
    assert_eq!(runs, 3, "{}", out.describe());
    assert_no_phi(&out);
    // A dry run stores no policy.
    assert!(policy_changed_events(&cp).is_empty());
}

#[test]
fn policy_test_takes_a_candidate_document_and_needs_a_sender() {
    let cp = initialised();
    let ssn = write(&cp, "ssn.eml", SSN_MAIL);

    // A candidate document is evaluated without being stored.
    let candidate = write(
        &cp,
        "candidate.toml",
        "format = 1\n\n[[rule]]\nname = \"ssn-quarantine\"\nwhen = { categories = [\"SSN\"] }\n\
         action = \"quarantine\"\n",
    );
    let out = cp.cli_ok(&[
        "policy",
        "test",
        &ssn,
        "--to",
        "jdoe@mail.example",
        "--policy",
        &candidate,
    ]);
    assert!(
        out.stdout_text().contains("Action: quarantine for review"),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout_text().contains("Policy version 0"),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout_text().contains("ssn-quarantine (line 4)"),
        "{}",
        out.describe()
    );
    assert!(policy_changed_events(&cp).is_empty(), "nothing stored");
    let out = cp.cli_ok(&["policy", "history"]);
    assert!(out.stdout_text().trim().is_empty(), "{}", out.describe());

    // An invalid candidate is refused like `policy set` refuses it.
    let bad = write(&cp, "bad.toml", INVALID);
    let out = cp.cli(&[
        "policy",
        "test",
        &ssn,
        "--to",
        "jdoe@mail.example",
        "--policy",
        &bad,
    ]);
    assert!(!out.success(), "{}", out.describe());
    assert!(
        out.stderr_text().contains(&format!("{bad}:5:24:")),
        "{}",
        out.describe()
    );

    // No From: header: the sender must be named.
    let no_from = write(
        &cp,
        "nofrom.eml",
        &SSN_MAIL.replacen("From:", "X-Old-From:", 1),
    );
    let out = cp.cli(&["policy", "test", &no_from, "--to", "jdoe@mail.example"]);
    assert!(!out.success(), "{}", out.describe());
    assert!(out.stderr_text().contains("--from"), "{}", out.describe());
    let out = cp.cli_ok(&[
        "policy",
        "test",
        &no_from,
        "--to",
        "jdoe@mail.example",
        "--from",
        "desk@clinic.example",
    ]);
    assert!(
        out.stdout_text().contains("ssn-external-portal"),
        "{}",
        out.describe()
    );
}

#[test]
fn every_policy_subcommand_has_help_and_test_says_what_internal_means() {
    let cp = Carepost::new(&Config::default());
    for sub in ["show", "set", "history", "test"] {
        let out = cp.cli_ok(&["policy", sub, "--help"]);
        assert!(out.stdout_text().contains("Usage"), "{}", out.describe());
        assert!(out.stdout_text().contains("--tenant"), "{}", out.describe());
    }
    let out = cp.cli_ok(&["policy", "test", "--help"]);
    let help = out.stdout_text();
    assert!(
        help.contains("internal") && help.contains("organisation's users"),
        "{help}"
    );
    assert!(!cp.data_dir.exists(), "--help must not initialise anything");
}
