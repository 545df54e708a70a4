//! An owner manages people and credentials in a real browser (Debian's chromium,
//! headless, driven by playwright-core: tests/browser/console_credentials.mjs): adds a
//! person (the one-time password shown once), changes their role, disables them, makes an
//! SMTP app password and an API key (each shown once, never again), and revokes the app
//! password. Afterwards the results are checked from outside the browser: the person is
//! an auditor and disabled, the revoked app password is refused at SMTP AUTH, and the API
//! key works. Screenshots go to target/test-artifacts/console/ (`cr-*.png`).
//!
//! Needs CAREPOST_INTEROP=1 (root, chromium, node with tests/browser installed, swaks).

mod support;

use std::time::Duration;

use serde_json::Value;

use support::browser::{artifacts, assert_screenshots, require_browser_tools, run_to_done, script};
use support::console::ConsoleClient;
use support::http::bearer;
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config, TestDir};

#[test]
fn an_owner_manages_people_and_credentials_in_chromium() {
    require_interop!();
    require_browser_tools(&["chromium", "node", "swaks"]);
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.start();
    let code = cp
        .cli_ok(&["user", "break-glass", "admin@localhost"])
        .stdout_text()
        .trim()
        .to_string();
    let work = TestDir::new("credentials-browser");
    let out_file = work.join("shown.json");
    let artifacts = artifacts("console");
    run_to_done(
        script("console_credentials.mjs")
            .env("CONSOLE_URL", format!("https://localhost:{}", cp.http_port))
            .env("OWNER_ADDRESS", "admin@localhost")
            .env("BREAK_GLASS_CODE", &code)
            .env("ARTIFACTS", &artifacts)
            .env("OUT_FILE", &out_file),
        Duration::from_secs(180),
        &cp,
    );
    assert_screenshots(
        &artifacts,
        &[
            "cr-01-person-added",
            "cr-02-role-changed",
            "cr-03-disabled",
            "cr-04-app-password",
            "cr-05-api-key",
            "cr-06-credentials",
            "cr-07-app-password-revoked",
        ],
    );
    let shown: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).expect("out file")).expect("json");

    // The person is an auditor now, and disabled.
    let users = cp.users();
    let reception = users
        .iter()
        .find(|u| u["address"] == "reception@clinic.test")
        .unwrap_or_else(|| panic!("not added: {users:?}"));
    assert_eq!(reception["role"], "auditor", "{reception}");
    assert_eq!(reception["disabled"], true, "{reception}");

    // The revoked app password is refused at SMTP AUTH.
    let smtp = Swaks::new(
        cp.submission_port,
        "admin@localhost",
        "someone@elsewhere.test",
    )
    .tls(SwaksTls::Starttls)
    .auth(
        "admin@localhost",
        shown["app_password"].as_str().expect("app password"),
    )
    .run();
    assert!(smtp.refused_with(535, Some("5.7")), "{}", smtp.transcript());

    // The API key works (an unknown message is "not found", not "unauthorised").
    let c = ConsoleClient::new(&cp);
    let token = shown["token"].as_str().expect("token");
    let r = c.call(
        "GET",
        "/api/v1/messages/00000000-0000-4000-8000-000000000000",
        &[bearer(token)],
        None,
        None,
    );
    assert_eq!(r.status, 404, "{}", r.body);

    // No secret shown in the browser reached the logs.
    let logs = String::from_utf8_lossy(&cp.logs()).into_owned();
    for key in ["one_time", "app_password", "token"] {
        let secret = shown[key].as_str().expect("secret");
        assert!(!logs.contains(secret), "{key} in the logs");
    }
}
