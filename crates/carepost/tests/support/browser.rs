//! The browser tests' harness: Debian's chromium, headless, driven by playwright-core
//! scripts in tests/browser (one script per test file). It checks the tools are there,
//! makes a HOME whose NSS database trusts a test CA (WebAuthn refuses pages with
//! certificate errors, so the browser must trust carepost's certificate for real), runs a
//! script to its last step and checks the screenshots it was to save.
//!
//! What it does not do: drive the browser itself (the scripts do), or reach anything but
//! loopback. Screenshots hold synthetic data only.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::{Carepost, CmdOutput, TestDir, run, which, workspace_root};

/// Panics unless `tools` are installed and tests/browser has its node modules.
pub(crate) fn require_browser_tools(tools: &[&str]) {
    for tool in tools {
        assert!(
            which(tool).is_some(),
            "CAREPOST_INTEROP=1 but `{tool}` is missing (scripts/setup-peers.sh installs it)"
        );
    }
    assert!(
        workspace_root()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "tests/browser is not installed: run `npm ci` in tests/browser (scripts/setup-peers.sh does)"
    );
}

/// A HOME whose NSS database trusts the test CA `ca` (WebAuthn needs a certificate the
/// browser really trusts).
pub(crate) fn chrome_home(ca: &Path) -> TestDir {
    let home = TestDir::new("chrome-home");
    let nssdb = home.join(".pki/nssdb");
    std::fs::create_dir_all(&nssdb).expect("nssdb dir");
    let db = format!("sql:{}", nssdb.display());
    run(
        Command::new("certutil").args(["-d", &db, "-N", "--empty-password"]),
        Duration::from_secs(30),
    )
    .assert_success();
    run(
        Command::new("certutil")
            .args(["-d", &db, "-A", "-t", "C,,", "-n", "carepost-test-ca", "-i"])
            .arg(ca),
        Duration::from_secs(30),
    )
    .assert_success();
    home
}

/// Where a test's screenshots go: target/test-artifacts/`name`.
pub(crate) fn artifacts(name: &str) -> PathBuf {
    workspace_root().join("target/test-artifacts").join(name)
}

/// `node tests/browser/SCRIPT`, run in tests/browser; the caller adds the environment.
pub(crate) fn script(name: &str) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(workspace_root().join("tests/browser").join(name))
        .current_dir(workspace_root().join("tests/browser"));
    cmd
}

/// The password the first admin chooses in the console scripts.
pub(crate) const ADMIN_NEW_PASSWORD: &str = "violet harbour lantern 1947";

/// A console script signed in as `cp`'s first admin: CONSOLE_URL, ADMIN_ADDRESS,
/// ADMIN_PASSWORD (the generated one), ADMIN_NEW_PASSWORD, ARTIFACTS, CHROME_HOME (a HOME
/// from [`chrome_home`]) and OUT_FILE (where the script leaves the admin's session) are
/// set; the caller adds the rest.
pub(crate) fn first_admin_script(
    name: &str,
    cp: &Carepost,
    chrome_home: &Path,
    artifacts: &Path,
    out_file: &Path,
) -> Command {
    let mut cmd = script(name);
    cmd.env("CONSOLE_URL", format!("https://localhost:{}", cp.http_port))
        .env("ADMIN_ADDRESS", "admin@localhost")
        .env("ADMIN_PASSWORD", cp.first_admin_password())
        .env("ADMIN_NEW_PASSWORD", ADMIN_NEW_PASSWORD)
        .env("ARTIFACTS", artifacts)
        .env("CHROME_HOME", chrome_home)
        .env("OUT_FILE", out_file);
    cmd
}

/// Runs a browser script for at most `timeout` and panics (with its output and `cp`'s
/// logs) unless it exited cleanly after printing its last step, `step: done`.
pub(crate) fn run_to_done(script: &mut Command, timeout: Duration, cp: &Carepost) -> CmdOutput {
    let out = run(script, timeout);
    assert!(
        out.success(),
        "the browser run failed:\n{}\n{}",
        out.all_text(),
        cp.describe()
    );
    assert!(
        out.stdout_text().contains("step: done"),
        "{}",
        out.all_text()
    );
    out
}

/// Panics unless every screenshot `SHOT.png` is in `artifacts`.
pub(crate) fn assert_screenshots(artifacts: &Path, shots: &[&str]) {
    for shot in shots {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "{shot}.png missing"
        );
    }
}
