//! The audit trail end to end, with a real Postfix as the next hop:
//!
//! * a delivered message has a receipt (`audit proof`) that names the TLS version, cipher
//!   and verified certificate, and that checks offline (`audit verify-proof`), while an
//!   edited receipt does not;
//! * `audit verify` passes on the live store; `audit export` writes a file that
//!   `audit verify --file` accepts, and each kind of tampering with the file (modified,
//!   deleted, inserted, reordered, truncated event; a head by an unknown key) is refused
//!   with its own precise message;
//! * the disclosure headers are stripped before delivery, kept only as keyed hashes, and
//!   the accounting of disclosures lists the delivery; no canary value reaches the audit
//!   store, the export or the logs;
//! * the HTTP API serves the latest head publicly and receipts only to auditors;
//! * an insider who rewrites an event in the database and re-signs is caught by the head
//!   file and by a `carepost witness` process that refuses the rewritten history.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks, openssl, curl, python3).

mod support;

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config, free_port, poll_for, run, unique_token, wait_for_port};

const SENDER: &str = "nurse@clinic.test";
const RECIPIENT: &str = "dr.jones@dest.test";

fn submit(cp: &Carepost, password: &str, patient: &str, body: &str) -> String {
    let out = Swaks::new(cp.submission_port, SENDER, RECIPIENT)
        .tls(SwaksTls::Starttls)
        .auth(SENDER, password)
        .header(&format!("X-Carepost-Patient: {patient}"))
        .header("X-Carepost-Purpose: treatment")
        .header("Subject: follow-up")
        .body(body)
        .run();
    assert!(out.success(), "submission refused\n{}", out.describe());
    let listing = cp.wait_for_status("delivered", 1, Duration::from_secs(90));
    support::find_field(&listing, "message")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .expect("message id in queue list")
}

/// Waits until `audit verify` passes with every event covered by a head.
fn wait_verified(cp: &Carepost) -> String {
    poll_for(Duration::from_secs(30), Duration::from_millis(500), || {
        let out = cp.cli(&["audit", "verify"]);
        let text = out.all_text();
        (out.success() && !text.contains("not yet covered")).then_some(text)
    })
    .unwrap_or_else(|| {
        panic!(
            "audit verify never passed\n{}",
            cp.cli(&["audit", "verify"]).describe()
        )
    })
}

fn curl(args: &[&str]) -> (u16, String) {
    let out = run(
        Command::new("curl")
            .args(["-sS", "-w", "\n%{http_code}"])
            .args(args),
        Duration::from_secs(30),
    );
    let text = out.stdout_text();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

#[test]
fn delivery_is_proven_exported_verified_and_disclosed() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cfg = Config::delivering_to("dest.test", &peer);
    cfg.extra_toml = "[audit]\nsign_interval_secs = 1\n".into();
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    let patient = unique_token("MRN-CANARY");
    let body_canary = unique_token("BODY-CANARY");
    let id = submit(&cp, &password, &patient, &format!("{body_canary}\n"));

    // The disclosure headers never leave carepost.
    let delivered = poll_for(Duration::from_secs(30), Duration::from_millis(300), || {
        peer.messages()
            .into_iter()
            .find(|m| m.contains(&body_canary))
    })
    .expect("delivered copy at the peer");
    assert!(
        !delivered.contains("X-Carepost-Patient"),
        "{}",
        delivered.text()
    );
    assert!(!delivered.contains(&patient));

    // The receipt, human and JSON; the JSON checks offline and an edit is caught.
    let proof = cp.cli_ok(&["audit", "proof", &id]).stdout_text();
    assert!(
        proof.contains(&format!("delivered to {RECIPIENT}")),
        "{proof}"
    );
    assert!(
        proof.contains("TLSv1.3") && proof.contains("certificate verified"),
        "{proof}"
    );
    assert!(proof.contains("submitted by user:"), "{proof}");
    let receipt = cp.cli_ok(&["audit", "proof", &id, "--json"]).stdout_text();
    let receipt_file = cp.dir().join("receipt.json");
    fs::write(&receipt_file, &receipt).expect("write receipt");
    let ok = cp.cli_ok(&[
        "audit",
        "verify-proof",
        receipt_file.to_str().expect("utf8"),
    ]);
    assert!(ok.stdout_text().contains("receipt OK"), "{}", ok.describe());
    let edited = receipt.replacen("\"tls_verified\": true", "\"tls_verified\": false", 1);
    assert_ne!(
        edited, receipt,
        "the receipt records certificate verification"
    );
    fs::write(&receipt_file, edited).expect("write receipt");
    let bad = cp.cli(&[
        "audit",
        "verify-proof",
        receipt_file.to_str().expect("utf8"),
    ]);
    assert!(
        !bad.success() && bad.all_text().contains("FAILED"),
        "{}",
        bad.describe()
    );

    // The live store verifies.
    let verified = wait_verified(&cp);
    assert!(verified.contains("audit log OK"), "{verified}");

    // Search by message: submission and delivery, in order.
    let found = cp
        .cli_ok(&["audit", "search", "--message", &id])
        .stdout_text();
    let kinds: Vec<&str> = ["message.submitted", "delivery.delivered"]
        .into_iter()
        .filter(|k| found.contains(k))
        .collect();
    assert_eq!(kinds.len(), 2, "{found}");

    // Export and verify offline; every kind of tampering is named.
    let export = cp.dir().join("audit.jsonl");
    let export_arg = export.to_str().expect("utf8").to_string();
    cp.cli_ok(&["audit", "export", "--out", &export_arg]);
    let ok = cp.cli_ok(&["audit", "verify", "--file", &export_arg]);
    assert!(ok.stdout_text().contains("export OK"), "{}", ok.describe());
    let lines: Vec<String> = fs::read_to_string(&export)
        .expect("export")
        .lines()
        .map(str::to_string)
        .collect();
    let events: Vec<usize> = (0..lines.len())
        .filter(|i| lines[*i].ends_with(r#""type":"event"}"#))
        .collect();
    assert!(events.len() >= 6, "{} events", events.len());
    let (a, b) = (events[1], events[2]);
    let tampered: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "modified",
            {
                let mut l = lines.clone();
                l[a] = l[a].replacen("\"at\":", "\"at\":1", 1);
                l
            },
            "event content changed",
        ),
        (
            "deleted",
            {
                let mut l = lines.clone();
                l.remove(a);
                l
            },
            "is missing",
        ),
        (
            "inserted",
            {
                let mut l = lines.clone();
                l.insert(b, lines[a].clone());
                l
            },
            "inserted or out of order",
        ),
        (
            "reordered",
            {
                let mut l = lines.clone();
                l.swap(a, b);
                l
            },
            "inserted or out of order",
        ),
        // Everything after the last event (the heads covering it) cut off.
        (
            "truncated",
            lines[..=*events.last().expect("events")].to_vec(),
            "truncated",
        ),
        (
            "cut mid-line",
            {
                let mut l = lines.clone();
                let last = l.len() - 1;
                l[last].truncate(20);
                l
            },
            "truncated",
        ),
    ];
    for (what, content, expect) in tampered {
        let path = cp
            .dir()
            .join(format!("tampered-{}.jsonl", what.replace(' ', "-")));
        fs::write(&path, content.join("\n") + "\n").expect("write");
        let out = cp.cli(&["audit", "verify", "--file", path.to_str().expect("utf8")]);
        assert!(!out.success(), "{what} export passed verification");
        assert!(
            out.all_text().contains(expect),
            "{what}: expected {expect:?}\n{}",
            out.describe()
        );
    }
    // A cut exactly after an early head is a valid-looking shorter log on its own; the
    // heads the log published elsewhere show that it is short.
    let first_head = lines
        .iter()
        .position(|l| l.ends_with(r#""type":"head"}"#))
        .expect("a head");
    let short = cp.dir().join("tampered-cut-after-head.jsonl");
    fs::write(&short, lines[..=first_head].join("\n") + "\n").expect("write");
    let short_arg = short.to_str().expect("utf8");
    cp.cli_ok(&["audit", "verify", "--file", short_arg]);
    let head_file = cp.data_dir.join("audit-heads.jsonl");
    let out = cp.cli(&[
        "audit",
        "verify",
        "--file",
        short_arg,
        "--head-file",
        head_file.to_str().expect("utf8"),
    ]);
    assert!(
        !out.success() && out.all_text().contains("a known head covers"),
        "{}",
        out.describe()
    );

    // A head signed by a key the verifier does not trust.
    let stranger = cp.dir().join("stranger.pub");
    let key = cp.dir().join("stranger.key");
    run(
        Command::new("openssl")
            .args(["genpkey", "-algorithm", "ed25519", "-out"])
            .arg(&key),
        Duration::from_secs(30),
    )
    .assert_success();
    run(
        Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(&key)
            .arg("-out")
            .arg(&stranger),
        Duration::from_secs(30),
    )
    .assert_success();
    let out = cp.cli(&[
        "audit",
        "verify",
        "--file",
        &export_arg,
        "--key",
        stranger.to_str().expect("utf8"),
    ]);
    assert!(
        !out.success() && out.all_text().contains("unknown key"),
        "{}",
        out.describe()
    );

    // Accounting of disclosures: one delivered disclosure for this patient, none for another.
    let csv = cp
        .cli_ok(&["audit", "disclosures", "--patient", &patient.to_lowercase()])
        .stdout_text();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].starts_with("date,recipient,purpose"), "{csv}");
    assert!(
        rows[1].contains(RECIPIENT)
            && rows[1].contains("treatment")
            && rows[1].contains("delivered"),
        "{csv}"
    );
    assert!(rows[1].contains(&id), "{csv}");
    let none = cp
        .cli_ok(&["audit", "disclosures", "--patient", "MRN-SOMEONE-ELSE"])
        .stdout_text();
    assert_eq!(none.lines().count(), 1, "{none}");

    // HTTP: the head is public; receipts need an auditor's credential.
    let cacert = cp.data_dir.join("tls").join("cert.pem");
    let base = format!("https://localhost:{}", cp.http_port);
    let cacert_arg = cacert.to_str().expect("utf8").to_string();
    let (code, head) = curl(&["--cacert", &cacert_arg, &format!("{base}/audit/v1/head")]);
    assert_eq!(code, 200, "{head}");
    assert!(head.contains("\"type\":\"head\""), "{head}");
    let (code, _) = curl(&[
        "--cacert",
        &cacert_arg,
        &format!("{base}/audit/v1/proof/{id}"),
    ]);
    assert_eq!(code, 401);
    let sender_auth = format!("{SENDER}:{password}");
    let (code, _) = curl(&[
        "--cacert",
        &cacert_arg,
        "-u",
        &sender_auth,
        &format!("{base}/audit/v1/proof/{id}"),
    ]);
    assert_eq!(code, 403, "a sender is not an auditor");
    cp.cli_ok(&["user", "add", "auditor@clinic.test", "--role", "auditor"]);
    let auditor_password = cp.app_password("auditor@clinic.test");
    let auditor_auth = format!("auditor@clinic.test:{auditor_password}");
    let (code, api_receipt) = curl(&[
        "--cacert",
        &cacert_arg,
        "-u",
        &auditor_auth,
        &format!("{base}/audit/v1/proof/{id}"),
    ]);
    assert_eq!(code, 200, "{api_receipt}");
    assert!(api_receipt.contains("delivery.delivered"), "{api_receipt}");
    // Search over the API: by message and kind, and by a time window that excludes it.
    let (code, found) = curl(&[
        "--cacert",
        &cacert_arg,
        "-u",
        &auditor_auth,
        &format!("{base}/audit/v1/events?message={id}&kind=delivery.delivered"),
    ]);
    assert_eq!(code, 200, "{found}");
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(found.contains("\"kind\":\"delivery.delivered\""), "{found}");
    let (code, none) = curl(&[
        "--cacert",
        &cacert_arg,
        "-u",
        &auditor_auth,
        &format!("{base}/audit/v1/events?message={id}&until=2001-01-01"),
    ]);
    assert_eq!(code, 200, "{none}");
    assert!(none.trim().is_empty(), "{none}");
    let (code, _) = curl(&[
        "--cacert",
        &cacert_arg,
        "-u",
        &auditor_auth,
        &format!("{base}/audit/v1/events?kind=nonsense"),
    ]);
    assert_eq!(code, 400);

    // No canary anywhere in the audit store, the export, the head file or the logs.
    let found = cp
        .cli_ok(&["audit", "search", "--limit", "10000"])
        .stdout_text();
    let export_text = fs::read_to_string(&export).expect("export");
    for canary in [&patient, &body_canary, &patient.to_lowercase()] {
        assert!(!found.contains(canary.as_str()), "canary in audit events");
        assert!(!export_text.contains(canary.as_str()), "canary in export");
        assert!(
            !support::contains_bytes(&cp.logs(), canary.as_bytes()),
            "canary in logs"
        );
    }
    assert!(
        !found.contains(RECIPIENT) && !export_text.contains(RECIPIENT),
        "address in audit"
    );
}

#[test]
fn insider_who_rewrites_the_database_and_resigns_is_caught() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let witness_port = free_port();
    let mut cfg = Config::delivering_to("dest.test", &peer);
    cfg.extra_toml = format!(
        "[audit]\nsign_interval_secs = 1\n\n[[audit.witnesses]]\nurl = \"http://127.0.0.1:{witness_port}\"\n"
    );
    let mut cp = Carepost::new(&cfg);
    cp.cli_ok(&["init"]);

    // The witness trusts the log's public key and keeps its own state elsewhere.
    let witness_dir = cp.dir().join("witness");
    let mut witness = support::carepost_command()
        .args([
            "witness",
            "--listen",
            &format!("127.0.0.1:{witness_port}"),
            "--dir",
        ])
        .arg(&witness_dir)
        .arg("--log-key")
        .arg(cp.data_dir.join("audit-signing.pub"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn witness");
    assert!(
        wait_for_port(witness_port, Duration::from_secs(30)),
        "witness did not start"
    );

    cp.start();
    let password = cp.user_with_app_password(SENDER);
    submit(&cp, &password, "MRN 1", "hello\n");
    wait_verified(&cp);
    // The witness has countersigned at least one head.
    let witnessed = poll_for(Duration::from_secs(30), Duration::from_millis(300), || {
        fs::read_to_string(witness_dir.join("witness-last.json")).ok()
    })
    .expect("witness state");
    assert!(witnessed.contains("tree_size"), "{witnessed}");
    cp.stop();

    // The insider: change the first admin's recorded role, fix its leaf hash, drop the
    // stored heads, and sign a fresh head with the (stolen) signing key.
    let db = cp.data_dir.join("carepost.db");
    let script = r#"
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
seq, line = c.execute("SELECT seq, line FROM audit_events WHERE line LIKE '%\"role\":\"owner\"%' ORDER BY seq LIMIT 1").fetchone()
forged = line.replace('"role":"owner"', '"role":"sender"')
assert forged != line
leaf = hashlib.sha256(b"\x00" + forged.encode()).digest()
c.execute("UPDATE audit_events SET line = ?, leaf_hash = ? WHERE seq = ?", (forged, leaf, seq))
c.execute("DELETE FROM audit_heads")
c.commit()
"#;
    run(
        Command::new("python3").args(["-c", script]).arg(&db),
        Duration::from_secs(30),
    )
    .assert_success();
    let resign = cp.cli(&["audit", "head"]);
    assert!(
        !resign.success(),
        "the witness must refuse the rewritten head\n{}",
        resign.describe()
    );
    assert!(
        resign.all_text().contains("not consistent"),
        "{}",
        resign.describe()
    );

    // The head file the log published earlier contradicts the rewritten store.
    let out = cp.cli(&["audit", "verify"]);
    assert!(!out.success(), "rewritten store passed\n{}", out.describe());
    assert!(
        out.all_text().contains("contradicts another signed head"),
        "{}",
        out.describe()
    );
    // Even with the head file also rewritten, the witness's memory catches it.
    fs::write(cp.data_dir.join("audit-heads.jsonl"), "").expect("wipe head file");
    let out = cp.cli(&["audit", "verify"]);
    assert!(
        !out.success(),
        "rewritten store passed with the head file gone\n{}",
        out.describe()
    );
    assert!(
        out.all_text().contains("contradicts another signed head"),
        "{}",
        out.describe()
    );

    let _ = witness.kill();
    let _ = witness.wait();
}
