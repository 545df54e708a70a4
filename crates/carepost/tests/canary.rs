//! PHI at rest and in logs: a unique canary in the Subject and body passes through
//! submission and delivery (it must arrive), yet appears in plaintext in no file under the
//! data directory (SQLite db, -wal, -shm, keys, anything else) and nowhere in carepost's
//! stdout/stderr -- even with debug logging.
//!
//! Needs CAREPOST_INTEROP=1.

mod support;

use std::fs;
use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config, contains_bytes, files_under, unique_token};

/// Files under `dir` (recursively) that contain `needle` in plaintext.
fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| fs::read(p).is_ok_and(|bytes| contains_bytes(&bytes, needle.as_bytes())))
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn canary_in_subject_and_body_is_delivered_but_never_stored_or_logged_in_plaintext() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cp = Carepost::new(&Config::delivering_to("dest.test", &peer));
    cp.serve_env.push(("CAREPOST_LOG".into(), "debug".into()));
    cp.start();
    let sender = "nurse@clinic.test";
    let password = cp.user_with_app_password(sender);

    let canary = unique_token("CANARY");
    let out = Swaks::new(cp.submission_port, sender, "records@dest.test")
        .tls(SwaksTls::Starttls)
        .auth(sender, &password)
        .header(&format!("Subject: Lab result {canary}"))
        .header(&format!("X-Carepost-Test-Id: {canary}-id"))
        // The patient identifier header: kept only as a keyed hash, stripped before delivery.
        .header(&format!("X-Carepost-Patient: {canary}-patient"))
        // Over 64 KiB, so that the sealed body goes to a segment file beside the database
        // (storage-sqlite's `segments.rs`), which the scans below must cover too.
        .body(&format!(
            "Patient note (synthetic): {canary}\nSecond line {canary}\n{}Last line {canary}\n\
             END-OF-TEST-MESSAGE\n",
            (0..1500)
                .map(|i| format!("Filler line {i:04} of the note, for the at-rest check.\n"))
                .collect::<String>()
        ))
        .run();
    assert!(out.success(), "{}\n{}", out.describe(), cp.describe());

    // It must arrive, intact, in subject and body.
    let msg = peer.wait_for_message(
        &format!("Patient note (synthetic): {canary}"),
        Duration::from_secs(90),
    );
    assert!(
        msg.contains(&format!("Subject: Lab result {canary}")),
        "{}",
        msg.text()
    );
    cp.wait_for_status("delivered", 1, Duration::from_secs(90));

    // While running (database, WAL and shared-memory files all live) ...
    let running = files_containing(&cp.data_dir, &canary);
    // ... and after a crash, which leaves the -wal/-shm files behind.
    cp.kill9();
    let after_kill = files_containing(&cp.data_dir, &canary);
    let files_seen = files_under(&cp.data_dir);
    println!(
        "scanned {} files under the data dir: {:?}",
        files_seen.len(),
        files_seen
            .iter()
            .map(|p| p
                .strip_prefix(&cp.data_dir)
                .unwrap_or(p)
                .display()
                .to_string())
            .collect::<Vec<_>>()
    );
    assert!(!files_seen.is_empty(), "data dir is empty?");
    assert!(
        files_seen
            .iter()
            .any(|p| p.to_string_lossy().contains("-bodies/")),
        "no body segment under the data dir"
    );
    assert!(
        running.is_empty(),
        "canary in plaintext while running: {running:?}"
    );
    assert!(
        after_kill.is_empty(),
        "canary in plaintext after kill -9: {after_kill:?}"
    );

    let logs = cp.logs();
    println!(
        "scanned {} bytes of carepost stdout/stderr (CAREPOST_LOG=debug)",
        logs.len()
    );
    assert!(
        !contains_bytes(&logs, canary.as_bytes()),
        "canary in carepost's logs:\n{}",
        String::from_utf8_lossy(&logs)
            .lines()
            .filter(|l| l.contains(&canary))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );

    // Operator tools show metadata, not content.
    cp.start();
    let listing = cp.cli_ok(&["queue", "list", "--json"]);
    assert!(
        !listing.all_text().contains(&canary),
        "`queue list` shows content"
    );
    let id = support::first_id(&cp.queue_json()).expect("a queue record");
    let shown = cp.cli_ok(&["queue", "show", &id, "--json"]);
    assert!(
        !shown.all_text().contains(&canary),
        "`queue show` shows content:\n{}",
        shown.describe()
    );
    // The audit trail: its store (scanned above with the data directory), an export, a
    // receipt and a search hold ids and categories only.
    let export = cp.dir().join("audit-export.jsonl");
    cp.cli_ok(&["audit", "export", "--out", export.to_str().expect("utf8")]);
    let exported = fs::read(&export).expect("export");
    assert!(!exported.is_empty());
    assert!(
        !contains_bytes(&exported, canary.as_bytes()),
        "canary in the audit export"
    );
    let message = cp.queue_show_json(&id)["message"]["id"]
        .as_str()
        .map(str::to_string)
        .expect("message id");
    for args in [
        vec!["audit", "proof", message.as_str(), "--json"],
        vec!["audit", "search", "--limit", "10000"],
    ] {
        let out = cp.cli_ok(&args);
        assert!(
            !out.all_text().contains(&canary),
            "`{}` shows content",
            args.join(" ")
        );
    }
    cp.kill9();
    let final_scan = files_containing(&cp.data_dir, &canary);
    assert!(
        final_scan.is_empty(),
        "canary in plaintext after restart: {final_scan:?}"
    );
    assert!(
        !contains_bytes(&cp.logs(), canary.as_bytes()),
        "canary in logs after restart"
    );
}
