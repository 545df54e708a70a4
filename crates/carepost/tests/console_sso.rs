//! Single sign-on into the console (issue 6, item 7) against a real OpenID provider: the
//! certified `oidc-provider` package from npm, running on loopback over HTTPS
//! (tests/oidc/provider.mjs). curl plays the browser, with one cookie jar for carepost and
//! one for the provider.
//!
//! A member of `staff` signs in and is created as a sender; a member of `carepost-admins`
//! becomes an admin but must still register a passkey; a member of no mapped group, a
//! tampered `state`, a replayed callback and a provider that is down are refused with a
//! generic page and an `auth.sso_failed` event naming the reason.
//!
//! Needs CAREPOST_INTEROP=1 (node with tests/oidc installed, curl).

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use support::http::{self, Reply};
use support::{Carepost, Config, TestDir, which, workspace_root};

const SECRET: &str = "console-sso-test-secret-0123456789";

/// The provider, killed on drop.
struct Provider {
    child: Child,
    issuer: String,
    ca_file: PathBuf,
    _dir: TestDir,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str) -> Provider {
    let dir = TestDir::new("oidc");
    let (ca, leaf, key) = http::loopback_pki("oidc");
    let ca_file = dir.join("ca.pem");
    fs::write(&ca_file, ca).expect("ca");
    fs::write(dir.join("leaf.pem"), leaf).expect("leaf");
    fs::write(dir.join("leaf.key"), key).expect("key");
    let config = json!({
        "host": "127.0.0.1",
        "tls_cert": dir.join("leaf.pem"),
        "tls_key": dir.join("leaf.key"),
        "id_token_ttl": 600,
        "clients": [{"client_id": "carepost", "client_secret": SECRET,
                     "redirect_uris": [redirect_uri], "id_token_signed_response_alg": "RS256"}],
        "accounts": {
            "bob": {"password": "bob-pw", "email": "bob@clinic.test", "name": "Bob Sender",
                    "groups": ["staff"]},
            "alice": {"password": "alice-pw", "email": "alice@clinic.test", "name": "Alice Admin",
                      "groups": ["staff", "carepost-admins"]},
            "carol": {"password": "carol-pw", "email": "carol@clinic.test", "name": "Carol Visitor",
                      "groups": ["visitors"]},
        },
    });
    let config_file = dir.join("provider.json");
    fs::write(&config_file, config.to_string()).expect("config");
    let oidc = workspace_root().join("tests/oidc");
    let stderr = fs::File::create(dir.join("provider.stderr")).expect("stderr");
    let mut child = Command::new("node")
        .arg(oidc.join("provider.mjs"))
        .arg(&config_file)
        .current_dir(&oidc)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start node");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| {
            panic!(
                "the provider did not start: {}",
                fs::read_to_string(dir.join("provider.stderr")).unwrap_or_default()
            )
        });
    let started: Value = serde_json::from_str(line.trim()).expect("provider JSON");
    Provider {
        child,
        issuer: started["issuer"].as_str().expect("issuer").to_string(),
        ca_file,
        _dir: dir,
    }
}

/// One request with curl (no redirects followed), keeping cookies in `jar`; a `form` body
/// makes it a POST.
fn request(url: &str, jar: &Path, ca: &Path, form: Option<&str>) -> Reply {
    let headers: Vec<String> = form
        .map(|_| vec!["Content-Type: application/x-www-form-urlencoded".to_string()])
        .unwrap_or_default();
    let method = if form.is_some() { "POST" } else { "GET" };
    http::request(method, url, ca, &headers, form, Some(jar))
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_string()
    } else {
        let origin: String = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        format!("{origin}{location}")
    }
}

struct World {
    cp: Carepost,
    provider: Provider,
    base: String,
    cp_ca: PathBuf,
    jars: TestDir,
}

impl World {
    /// The provider's part of a sign-in, up to the URL of carepost's callback.
    fn to_callback(&self, jar_name: &str, user: &str, password: &str) -> String {
        let cp_jar = self.jars.join(&format!("{jar_name}-cp"));
        let idp_jar = self.jars.join(&format!("{jar_name}-idp"));
        let start = request(
            &format!("{}/console/sso", self.base),
            &cp_jar,
            &self.cp_ca,
            None,
        );
        assert_eq!(start.status, 303, "{}\n{}", start.body, self.cp.describe());
        assert!(
            start.headers.contains("cp_sso="),
            "the pending cookie is set"
        );
        let mut url = start.location.expect("to the provider");
        assert!(url.starts_with(&self.provider.issuer), "{url}");
        let mut posted = false;
        for _ in 0..12 {
            if url.starts_with(&self.base) {
                return url;
            }
            let page = request(&url, &idp_jar, &self.provider.ca_file, None);
            if let Some(next) = page.location {
                url = absolute(&url, &next);
                continue;
            }
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(
                !posted,
                "the provider showed its form again:\n{}",
                page.body
            );
            let action = page
                .body
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("login form");
            let answer = request(
                &absolute(&url, action),
                &idp_jar,
                &self.provider.ca_file,
                Some(&format!("username={user}&password={password}")),
            );
            posted = true;
            url = absolute(&url, &answer.location.expect("redirect after login"));
        }
        panic!("the provider never sent the browser back");
    }

    fn callback(&self, jar_name: &str, url: &str) -> Reply {
        request(
            url,
            &self.jars.join(&format!("{jar_name}-cp")),
            &self.cp_ca,
            None,
        )
    }

    fn me(&self, jar_name: &str) -> Value {
        let r = request(
            &format!("{}/api/v1/me", self.base),
            &self.jars.join(&format!("{jar_name}-cp")),
            &self.cp_ca,
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("json")
    }
}

fn world() -> World {
    assert!(
        which("node").is_some() && which("curl").is_some(),
        "node and curl are needed"
    );
    assert!(
        workspace_root()
            .join("tests/oidc/node_modules/oidc-provider")
            .is_dir(),
        "tests/oidc is not installed: run `npm ci` there (scripts/setup-peers.sh does)"
    );
    let jars = TestDir::new("jars");
    let mut cp = Carepost::new(&Config::default());
    let base = format!("https://localhost:{}", cp.http_port);
    let provider = start_provider(&format!("{base}/console/sso/callback"));
    let secret = jars.join("client-secret");
    fs::write(&secret, format!("{SECRET}\n")).expect("secret");
    let mut text = fs::read_to_string(&cp.config_file).expect("config");
    text.push_str(&format!(
        "\n[sso]\nenabled = true\nissuer = \"{}\"\nclient_id = \"carepost\"\n\
         client_secret_file = \"{}\"\nextra_ca_file = \"{}\"\n\
         group_roles = {{ \"carepost-admins\" = \"admin\", \"staff\" = \"sender\" }}\n",
        provider.issuer,
        secret.display(),
        provider.ca_file.display()
    ));
    fs::write(&cp.config_file, text).expect("config");
    cp.start();
    let cp_ca = cp.data_dir.join("tls").join("cert.pem");
    World {
        cp,
        provider,
        base,
        cp_ca,
        jars,
    }
}

fn sso_failures(cp: &Carepost) -> String {
    cp.cli_ok(&["audit", "search", "--kind", "auth.sso_failed"])
        .stdout_text()
}

#[test]
fn staff_sign_in_with_the_organisations_openid_provider() {
    require_interop!();
    let w = world();

    // The sign-in page offers it.
    let page = request(
        &format!("{}/console/sign-in", w.base),
        &w.jars.join("x"),
        &w.cp_ca,
        None,
    );
    assert!(page.body.contains("/console/sso"), "{}", page.body);

    // A member of `staff`: created as a sender and signed in.
    let callback = w.to_callback("bob", "bob", "bob-pw");
    let done = w.callback("bob", &callback);
    assert_eq!(done.status, 200, "{}\n{}", done.body, w.cp.describe());
    assert!(
        done.headers.contains("set-cookie: cp_console="),
        "{}",
        done.headers
    );
    assert!(
        done.headers.contains("refresh: 0;url=/console"),
        "{}",
        done.headers
    );
    let me = w.me("bob");
    assert_eq!(me["address"], "bob@clinic.test");
    assert_eq!(me["role"], "sender");
    assert_eq!(me["method"], "sso");
    // The same callback again: the pending sign-in was used up.
    let again = w.callback("bob", &callback);
    assert_eq!(again.status, 401, "a replayed callback is refused");

    // A member of `carepost-admins` is an admin, and must still register a passkey.
    let callback = w.to_callback("alice", "alice", "alice-pw");
    let done = w.callback("alice", &callback);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/console/enrol"));
    let users = w.cp.cli_ok(&["user", "list", "--json"]).stdout_text();
    assert!(
        users
            .lines()
            .any(|l| l.contains("alice@clinic.test") && l.contains("\"admin\"")),
        "{users}"
    );

    // A member of no mapped group is refused.
    let callback = w.to_callback("carol", "carol", "carol-pw");
    let refused = w.callback("carol", &callback);
    assert_eq!(refused.status, 401);
    assert!(refused.body.contains("did not work"), "{}", refused.body);
    assert!(
        !w.cp
            .cli_ok(&["user", "list"])
            .stdout_text()
            .contains("carol@")
    );

    // A tampered state is refused, and the code is never spent.
    let callback = w.to_callback("mallory", "bob", "bob-pw");
    let state = callback
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .expect("state")
        .to_string();
    let forged = callback.replace(&format!("state={state}"), "state=AAAAforgedAAAA");
    assert_eq!(w.callback("mallory", &forged).status, 401);

    let failures = sso_failures(&w.cp);
    for reason in ["no_role", "state_mismatch"] {
        assert!(
            failures.contains(reason),
            "{reason} not audited:\n{failures}"
        );
    }
    let logins =
        w.cp.cli_ok(&["audit", "search", "--kind", "auth.login"])
            .stdout_text();
    assert!(logins.contains("console-sso"), "{logins}");
    let trail =
        w.cp.cli_ok(&["audit", "search", "--limit", "10000"])
            .stdout_text();
    assert!(
        !trail.contains(SECRET) && !trail.contains("bob-pw"),
        "no secret in the trail"
    );
}

#[test]
fn a_provider_that_is_down_fails_with_a_generic_page_and_break_glass_still_works() {
    require_interop!();
    let mut w = world();
    let _ = w.provider.child.kill();
    let _ = w.provider.child.wait();
    let r = request(
        &format!("{}/console/sso", w.base),
        &w.jars.join("down"),
        &w.cp_ca,
        None,
    );
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("cannot be reached"), "{}", r.body);
    let failures = sso_failures(&w.cp);
    assert!(failures.contains("provider_unreachable"), "{failures}");
    // Password sign-in is unaffected.
    let page = request(
        &format!("{}/console/sign-in", w.base),
        &w.jars.join("down"),
        &w.cp_ca,
        None,
    );
    assert_eq!(page.status, 200);

    // Break-glass works while the provider is down: a single-use code and a reason.
    let code =
        w.cp.cli_ok(&["user", "break-glass", "admin@localhost"])
            .stdout_text()
            .trim()
            .to_string();
    let reason = "Provider outage; urgent referral release for the oncology clinic";
    let attempt = |jar: &str, code: &str, reason: &str| {
        let jar = w.jars.join(jar);
        let page = request(
            &format!("{}/console/break-glass", w.base),
            &jar,
            &w.cp_ca,
            None,
        );
        assert_eq!(page.status, 200);
        let csrf = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf field")
            .to_string();
        let form = format!(
            "csrf={csrf}&address=admin%40localhost&code={}&reason={}",
            code.replace(' ', "+").replace('-', "%2D"),
            reason.replace(' ', "+").replace(';', "%3B")
        );
        request(
            &format!("{}/console/break-glass", w.base),
            &jar,
            &w.cp_ca,
            Some(&form),
        )
    };
    let wrong = attempt("bg-wrong", "not-the-code-at-all", reason);
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    let short = attempt("bg-short", &code, "because");
    assert_eq!(short.status, 422, "a reason is required");
    let used = attempt("bg-cp", &code, reason);
    assert_eq!(used.status, 303, "{}\n{}", used.body, w.cp.describe());
    let me = w.me("bg");
    assert_eq!(me["method"], "break-glass");
    let again = attempt("bg-again", &code, reason);
    assert_eq!(again.status, 401, "a break-glass code works once");
    let glass =
        w.cp.cli_ok(&["audit", "search", "--kind", "auth.break_glass"])
            .stdout_text();
    assert_eq!(glass.lines().count(), 1, "{glass}");
    assert!(glass.contains("reason_chars"), "{glass}");
    let trail =
        w.cp.cli_ok(&["audit", "search", "--limit", "10000"])
            .stdout_text();
    assert!(
        !trail.contains("oncology"),
        "the reason is sealed, not in the trail"
    );
    assert!(!trail.contains(&code), "the code never reaches the trail");
}
