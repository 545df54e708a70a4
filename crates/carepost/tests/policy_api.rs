//! The policy over the HTTPS API: compliance reads and replaces it, an invalid document is
//! refused with its line and column while the version in force stays, a sender is
//! forbidden, and every change is in the audit log with the API user as actor.
//!
//! Needs CAREPOST_INTEROP=1 (curl).

mod support;

use std::process::Command;
use std::time::Duration;

use support::{Carepost, Config, run};

fn curl(cp: &Carepost, args: &[&str]) -> (u16, String) {
    let cacert = cp.data_dir.join("tls").join("cert.pem");
    let out = run(
        Command::new("curl")
            .args(["-sS", "-w", "\n%{http_code}", "--cacert"])
            .arg(&cacert)
            .args(args),
        Duration::from_secs(30),
    );
    let text = out.stdout_text();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

/// A running carepost, its policy API URL and a compliance officer's `user:app-password`.
fn start_with_compliance_officer() -> (Carepost, String, String) {
    let mut cp = Carepost::new(&Config::default());
    cp.start();
    let url = format!("https://localhost:{}/api/v1/policy", cp.http_port);
    cp.cli_ok(&["user", "add", "privacy@clinic.test", "--role", "compliance"]);
    let compliance = format!(
        "privacy@clinic.test:{}",
        cp.app_password("privacy@clinic.test")
    );
    (cp, url, compliance)
}

#[test]
fn compliance_reads_and_replaces_the_policy_over_the_api() {
    require_interop!();
    let (cp, url, compliance) = start_with_compliance_officer();
    cp.cli_ok(&["user", "add", "nurse@clinic.test", "--role", "sender"]);
    let sender = format!("nurse@clinic.test:{}", cp.app_password("nurse@clinic.test"));

    let (code, _) = curl(&cp, &[&url]);
    assert_eq!(code, 401);
    let (code, _) = curl(&cp, &["-u", &sender, &url]);
    assert_eq!(code, 403, "a sender may not read the policy");
    let (code, body) = curl(&cp, &["-u", &compliance, &url]);
    assert_eq!(code, 200, "{body}");
    let current: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(current["version"], 0, "the built-in default");

    let doc = "[[rule]]\nname = \"ssn-review\"\nwhen = { categories = [\"SSN\"] }\naction = \"quarantine\"\n";
    let (code, body) = curl(
        &cp,
        &["-u", &compliance, "-X", "PUT", "--data-binary", doc, &url],
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"version\":1"), "{body}");

    let bad = "[[rule]]\nname = \"x\"\nwhen = { categories = [\"SOCIAL\"] }\naction = \"portal\"\n";
    let (code, body) = curl(
        &cp,
        &["-u", &compliance, "-X", "PUT", "--data-binary", bad, &url],
    );
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("\"line\":3"), "{body}");
    let (code, _) = curl(
        &cp,
        &["-u", &sender, "-X", "PUT", "--data-binary", doc, &url],
    );
    assert_eq!(code, 403, "a sender may not change the policy");

    let (_, body) = curl(&cp, &["-u", &compliance, &url]);
    let current: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        current["version"], 1,
        "the invalid document changed nothing"
    );
    assert_eq!(current["document"], doc);
    let (_, history) = curl(&cp, &["-u", &compliance, &format!("{url}/history")]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&history)
            .expect("json")
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let events = cp
        .cli_ok(&["audit", "search", "--kind", "admin.policy_changed"])
        .stdout_text();
    assert_eq!(events.lines().count(), 1, "{events}");
    assert!(
        events.contains("\"type\":\"user\"") && events.contains("\"source_ip\":\"127.0.0.1\""),
        "{events}"
    );
}

/// Two scripts editing the policy: each reads it with its version as the entity tag and
/// stores with `If-Match`; the one whose version is no longer in force gets 412 and the
/// current version, and nothing it sent is stored. A malformed tag is a 400.
#[test]
fn a_put_based_on_a_superseded_version_is_refused() {
    require_interop!();
    let (cp, url, compliance) = start_with_compliance_officer();
    // -i: the status line and headers come before the body.
    let (code, head_and_body) = curl(&cp, &["-i", "-u", &compliance, &url]);
    assert_eq!(code, 200, "{head_and_body}");
    assert!(
        head_and_body.to_ascii_lowercase().contains("etag: \"0\""),
        "{head_and_body}"
    );

    let first = "[[rule]]\nname = \"ssn-review\"\nwhen = { categories = [\"SSN\"] }\naction = \"quarantine\"\n";
    let second =
        "[[rule]]\nname = \"ssn-portal\"\nwhen = { categories = [\"SSN\"] }\naction = \"portal\"\n";
    let put = |doc: &str, if_match: &str| {
        curl(
            &cp,
            &[
                "-u",
                &compliance,
                "-X",
                "PUT",
                "-H",
                &format!("If-Match: {if_match}"),
                "--data-binary",
                doc,
                &url,
            ],
        )
    };
    // Both scripts read version 0; the first stores version 1.
    let (code, body) = put(first, "\"0\"");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"version\":1"), "{body}");
    // The second still believes version 0 is in force: refused, version 1 stays.
    let (code, body) = put(second, "\"0\"");
    assert_eq!(code, 412, "{body}");
    assert!(body.contains("\"current_version\":1"), "{body}");
    let (_, body) = curl(&cp, &["-u", &compliance, &url]);
    let current: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(current["version"], 1);
    assert_eq!(current["document"], first);
    // Based on version 1 it is stored.
    let (code, body) = put(second, "\"1\"");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"version\":2"), "{body}");
    // Tags that do not name one version are refused before anything is looked at.
    for bad in ["W/\"2\"", "2", "\"2\", \"3\"", "\"two\""] {
        let (code, body) = put(first, bad);
        assert_eq!(code, 400, "{bad}: {body}");
    }
    let (_, body) = curl(&cp, &["-u", &compliance, &url]);
    let current: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(current["version"], 2, "no refused PUT stored anything");
}
