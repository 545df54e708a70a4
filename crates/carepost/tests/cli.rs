//! The operator interface of the binary (docs/CONTRACTS.md "Binary: CLI"): first start,
//! idempotent init, `config defaults`, and `--help` on every subcommand. Needs no peers.

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{TestDir, carepost_command, poll_for, run, terminate_child};

const ADMIN_PASSWORD_LINE: &str = "admin password:";

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn in_dir(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = carepost_command();
    cmd.args(args).current_dir(dir);
    cmd
}

#[test]
fn serve_without_config_initialises_the_data_dir_and_prints_the_admin_password_once() {
    let dir = TestDir::new("cp-first");
    // No config file and no flags: every key at its default, data in ./carepost-data.
    // The default listeners (0.0.0.0:2587/2465/8443) may be taken on a shared machine; the
    // first-start work happens before binding, which is what this test checks.
    let stdout_path = dir.join("serve.stdout");
    let stderr_path = dir.join("serve.stderr");
    let mut child = in_dir(dir.path(), &["serve"])
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).expect("create stdout file"))
        .stderr(fs::File::create(&stderr_path).expect("create stderr file"))
        .spawn()
        .expect("spawn carepost serve");
    let data = dir.join("carepost-data");
    let initialised = poll_for(Duration::from_secs(90), Duration::from_millis(100), || {
        let printed = fs::read_to_string(&stdout_path)
            .unwrap_or_default()
            .contains(ADMIN_PASSWORD_LINE);
        let listening = support::wait_for_port(2587, Duration::from_millis(1));
        let exited = matches!(child.try_wait(), Ok(Some(_)));
        ((printed && listening) || exited).then_some(())
    });
    terminate_child(&mut child, Duration::from_secs(10));
    let stdout = fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    let context = format!("--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    assert!(
        initialised.is_some(),
        "serve did not initialise within 90 s\n{context}"
    );

    assert!(
        data.is_dir(),
        "carepost-data/ was not created in the working directory\n{context}"
    );
    assert_eq!(
        mode(&data) & 0o077,
        0,
        "data dir must not be accessible to group/others"
    );
    let key = data.join("master.key");
    assert!(key.is_file(), "no master.key\n{context}");
    assert_eq!(mode(&key), 0o600, "master.key must be mode 0600");
    assert!(
        fs::metadata(&key).expect("stat master.key").len() > 0,
        "master.key is empty"
    );
    assert!(
        data.join("tls/cert.pem").is_file(),
        "no self-signed TLS certificate\n{context}"
    );
    let tls_key = data.join("tls/key.pem");
    assert!(tls_key.is_file(), "no TLS key\n{context}");
    assert_eq!(
        mode(&tls_key) & 0o077,
        0,
        "TLS key must not be readable by group/others"
    );
    let printed = format!("{stdout}{stderr}")
        .matches(ADMIN_PASSWORD_LINE)
        .count();
    assert_eq!(
        printed, 1,
        "the admin one-time password must be printed exactly once\n{context}"
    );
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix(ADMIN_PASSWORD_LINE))
        .map(str::trim)
        .unwrap_or_default();
    assert!(
        password.len() >= 12,
        "admin password looks too short: {password:?}"
    );
    assert!(
        !stderr.contains(password),
        "the admin password must not go to the log (stderr)"
    );

    // A second `init` changes nothing and prints no new password.
    let key_before = fs::read(&key).expect("read master.key");
    let again = run(&mut in_dir(dir.path(), &["init"]), Duration::from_secs(60));
    again.assert_success();
    assert_eq!(
        fs::read(&key).expect("read master.key"),
        key_before,
        "init changed master.key"
    );
    assert!(
        !again.all_text().contains(ADMIN_PASSWORD_LINE),
        "a second init must not print a new admin password\n{}",
        again.describe()
    );
    assert_eq!(mode(&key), 0o600);
}

#[test]
fn init_creates_once_and_is_idempotent() {
    let dir = TestDir::new("cp-init");
    let data = dir.join("data");
    let data_arg = data.to_str().expect("utf-8 path");
    let first = run(
        &mut in_dir(dir.path(), &["--data-dir", data_arg, "init"]),
        Duration::from_secs(60),
    );
    first.assert_success();
    assert_eq!(
        first.stdout_text().matches(ADMIN_PASSWORD_LINE).count(),
        1,
        "first init prints the admin password once on stdout\n{}",
        first.describe()
    );
    let key = fs::read(data.join("master.key")).expect("master.key exists");
    let cert = fs::read(data.join("tls/cert.pem")).expect("tls/cert.pem exists");
    for _ in 0..2 {
        let again = run(
            &mut in_dir(dir.path(), &["--data-dir", data_arg, "init"]),
            Duration::from_secs(60),
        );
        again.assert_success();
        assert!(
            !again.all_text().contains(ADMIN_PASSWORD_LINE),
            "{}",
            again.describe()
        );
        assert_eq!(
            fs::read(data.join("master.key")).expect("read"),
            key,
            "master key changed"
        );
        assert_eq!(
            fs::read(data.join("tls/cert.pem")).expect("read"),
            cert,
            "certificate changed"
        );
    }
    assert!(
        !dir.join("carepost-data").exists(),
        "--data-dir must be used instead of ./carepost-data"
    );
}

/// Every key of docs/CONTRACTS.md's configuration section.
const CONTRACT_KEYS: &[&str] = &[
    "data_dir",
    "hostname",
    "database.url",
    "smtp.submission_listen",
    "smtp.submissions_listen",
    "smtp.tls_cert_file",
    "smtp.tls_key_file",
    "smtp.max_message_size",
    "smtp.max_recipients",
    "smtp.trusted_networks",
    "http.listen",
    "delivery.extra_ca_file",
    "delivery.routes",
    "dkim.selector",
];

#[test]
fn config_defaults_lists_every_contract_key_and_is_itself_a_valid_config() {
    let dir = TestDir::new("cp-defaults");
    let out = run(
        &mut in_dir(dir.path(), &["config", "defaults"]),
        Duration::from_secs(60),
    );
    out.assert_success();
    let text = out.stdout_text();
    for key in CONTRACT_KEYS {
        let listed = text.lines().any(|l| {
            let l = l.trim_start();
            !l.starts_with('#') && l.split('=').next().is_some_and(|k| k.trim() == *key)
        });
        assert!(listed, "`config defaults` does not list {key}\n{text}");
    }
    // No listener or data is created by `config defaults`.
    assert!(
        !dir.join("carepost-data").exists(),
        "`config defaults` must not initialise anything"
    );

    // The printed defaults are a config file carepost accepts.
    let file = dir.join("defaults.toml");
    fs::write(&file, &text).expect("write defaults.toml");
    let data = dir.join("d");
    let init = run(
        &mut in_dir(
            dir.path(),
            &[
                "--config",
                file.to_str().expect("utf-8"),
                "--data-dir",
                data.to_str().expect("utf-8"),
                "init",
            ],
        ),
        Duration::from_secs(60),
    );
    assert!(
        init.success(),
        "`config defaults` output is not a usable config file\n{}",
        init.describe()
    );
}

#[test]
fn every_subcommand_has_help() {
    let dir = TestDir::new("cp-help");
    // The commands every operator script relies on; the rest are found from the help
    // itself, so a new subcommand is covered without being listed here.
    let required: &[&[&str]] = &[
        &["init"],
        &["serve"],
        &["user", "add"],
        &["user", "app-password"],
        &["queue", "list"],
        &["queue", "retry"],
        &["queue", "hold"],
        &["queue", "release"],
        &["keys", "rotate"],
        &["config", "defaults"],
        &["group", "add"],
        &["api-key", "create"],
        &["policy", "test"],
        &["quarantine", "release"],
    ];
    let listed = |words: &[&str]| -> Vec<String> {
        let mut args: Vec<&str> = words.to_vec();
        args.push("--help");
        let out = run(&mut in_dir(dir.path(), &args), Duration::from_secs(30));
        let text = out.stdout_text();
        text.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            // A command's own line is indented by two; a wrapped description by more.
            .filter(|l| !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|c| c != "help")
            .collect()
    };
    let mut commands: Vec<Vec<String>> = vec![Vec::new()];
    for top in listed(&[]) {
        let subs = listed(&[top.as_str()]);
        commands.push(vec![top.clone()]);
        for sub in subs {
            commands.push(vec![top.clone(), sub]);
        }
    }
    for words in required {
        assert!(
            commands.iter().any(|c| c == words),
            "`carepost {}` is not listed in the help",
            words.join(" ")
        );
    }
    assert!(
        commands.len() > 40,
        "found only {} commands",
        commands.len()
    );
    let commands: Vec<Vec<&str>> = commands
        .iter()
        .map(|c| c.iter().map(String::as_str).collect())
        .collect();
    for words in &commands {
        let mut args: Vec<&str> = words.clone();
        args.push("--help");
        let out = run(&mut in_dir(dir.path(), &args), Duration::from_secs(30));
        assert!(
            out.success(),
            "`carepost {}` failed\n{}",
            args.join(" "),
            out.describe()
        );
        let text = out.stdout_text();
        assert!(
            text.contains("Usage"),
            "`carepost {}` prints no usage\n{text}",
            args.join(" ")
        );
        for flag in ["--config", "--data-dir"] {
            assert!(
                text.contains(flag),
                "`carepost {}` does not mention global {flag}",
                args.join(" ")
            );
        }
    }
    assert!(
        !dir.join("carepost-data").exists(),
        "--help must not initialise anything"
    );
}

/// A configuration is recorded in the audit trail (section digests, never values) once per
/// change: a restart with the same file adds nothing, a changed section is named.
#[test]
fn configuration_changes_are_recorded_once_per_change() {
    let mut cp = support::Carepost::new(&support::Config::default());
    let records = |cp: &support::Carepost| -> Vec<serde_json::Value> {
        cp.cli_ok(&["audit", "search", "--kind", "admin.config_changed"])
            .stdout_text()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    cp.start();
    cp.stop();
    cp.start();
    cp.stop();
    let first = records(&cp);
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["details"]["first"], true);

    fs::write(
        &cp.config_file,
        format!("{}\n[portal]\nlink_days = 7\n", cp.config_text()),
    )
    .expect("write config");
    cp.start();
    cp.stop();
    let after = records(&cp);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(
        after[1]["details"]["changed"],
        serde_json::json!(["portal"])
    );
    assert_eq!(after[1]["details"]["first"], false);
    assert!(
        !after[1].to_string().contains("link_days"),
        "values never enter the trail"
    );
}
