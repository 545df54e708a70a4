//! Console sign-in with curl for the tests: a first sign-in with a one-time password (new
//! password, an authenticator app set up from the secret on the page, recovery codes
//! kept), later sign-ins with the password and a recovery code, and break-glass sessions
//! (the one curl path for roles that must use a passkey); and a browser's session replayed
//! with curl ([`BrowserSession`]: its cookie and user agent). Requests may come from any
//! 127.0.0.0/8 address (`curl --interface`), so tests can sign in "from" several places.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::http::{Reply, request_via};
use super::{Carepost, TestDir};

/// The password every test person chooses at their first sign-in.
pub(crate) const NEW_PASSWORD: &str = "amber kettle orchard 5521 copper";
/// A reason for break-glass access (at least 20 characters).
const BREAK_GLASS_REASON: &str = "Identity provider outage during a clinical emergency";

/// What a first sign-in leaves: the session's anti-forgery token and unused recovery codes.
pub(crate) struct Enrolled {
    pub(crate) csrf: String,
    pub(crate) recovery: Vec<String>,
}

/// A curl client of one carepost's console, with cookie jars in its own temp directory.
pub(crate) struct ConsoleClient<'a> {
    pub(crate) cp: &'a Carepost,
    ca: PathBuf,
    dir: TestDir,
}

impl<'a> ConsoleClient<'a> {
    /// A client trusting carepost's own self-signed certificate.
    pub(crate) fn new(cp: &'a Carepost) -> Self {
        Self::trusting(cp, &cp.data_dir.join("tls").join("cert.pem"))
    }

    /// A client trusting `ca` (for a carepost serving a certificate from a test CA, e.g.
    /// [`super::portal::PortalFixture::start_with_peer_certificate`]).
    pub(crate) fn trusting(cp: &'a Carepost, ca: &Path) -> Self {
        Self {
            cp,
            ca: ca.to_path_buf(),
            dir: TestDir::new("console-jars"),
        }
    }

    /// A cookie jar (one per browser).
    pub(crate) fn jar(&self, name: &str) -> PathBuf {
        self.dir.join(&format!("{name}.jar"))
    }

    pub(crate) fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[String],
        body: Option<&str>,
        jar: Option<&Path>,
    ) -> Reply {
        self.call_from(None, method, path, headers, body, jar)
    }

    pub(crate) fn call_from(
        &self,
        from: Option<&str>,
        method: &str,
        path: &str,
        headers: &[String],
        body: Option<&str>,
        jar: Option<&Path>,
    ) -> Reply {
        let url = format!("https://localhost:{}{path}", self.cp.http_port);
        request_via(from, method, &url, &self.ca, headers, body, jar)
    }

    /// A form post (`fields` are encoded here).
    pub(crate) fn form(
        &self,
        from: Option<&str>,
        path: &str,
        jar: &Path,
        fields: &[(&str, &str)],
    ) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.call_from(
            from,
            "POST",
            path,
            &["Content-Type: application/x-www-form-urlencoded".to_string()],
            Some(&body),
            Some(jar),
        )
    }

    /// A JSON post with the session's anti-forgery token (`None`: without the header).
    pub(crate) fn post_json(
        &self,
        path: &str,
        jar: &Path,
        csrf: Option<&str>,
        body: &Value,
    ) -> Reply {
        let mut headers = vec!["Content-Type: application/json".to_string()];
        if let Some(t) = csrf {
            headers.push(csrf_header(t));
        }
        self.call("POST", path, &headers, Some(&body.to_string()), Some(jar))
    }

    /// `GET /api/v1/me` with this jar.
    pub(crate) fn me(&self, jar: &Path) -> Reply {
        self.call("GET", "/api/v1/me", &[], None, Some(jar))
    }

    /// Opens the form page at `path` and posts `fields` back to it with the page's
    /// anti-forgery token, as a browser does.
    pub(crate) fn fill_in(
        &self,
        from: Option<&str>,
        path: &str,
        jar: &Path,
        fields: &[(&str, &str)],
    ) -> Reply {
        let csrf = self.page_csrf(from, path, jar);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.form(from, path, jar, &all)
    }

    /// The anti-forgery token of the live session in `jar` (from `GET /api/v1/me`).
    fn session_csrf(&self, jar: &Path) -> String {
        let me = self.me(jar);
        assert_eq!(me.status, 200, "{}", me.body);
        me.json()["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_string()
    }

    /// The anti-forgery token of a page's first form.
    fn page_csrf(&self, from: Option<&str>, path: &str, jar: &Path) -> String {
        let page = self.call_from(from, "GET", path, &[], None, Some(jar));
        field(&page.body, "name=\"csrf\" value=\"")
    }

    /// A break-glass session for `address` (any role, stepped up now). Returns its
    /// anti-forgery token.
    pub(crate) fn break_glass(&self, address: &str, jar: &Path) -> String {
        let code = self
            .cp
            .cli_ok(&["user", "break-glass", address])
            .stdout_text()
            .trim()
            .to_string();
        let r = self.fill_in(
            None,
            "/console/break-glass",
            jar,
            &[
                ("address", address),
                ("code", &code),
                ("reason", BREAK_GLASS_REASON),
            ],
        );
        assert_eq!(
            r.status,
            303,
            "break-glass: {}\n{}",
            r.body,
            self.cp.describe()
        );
        self.session_csrf(jar)
    }

    /// The sign-in form's first step: `address` and `password`, with the page's token.
    fn password_step(
        &self,
        from: Option<&str>,
        address: &str,
        password: &str,
        jar: &Path,
    ) -> Reply {
        self.fill_in(
            from,
            "/console/sign-in",
            jar,
            &[("address", address), ("password", password)],
        )
    }

    /// A person's first sign-in with `one_time` (from `carepost user reset-password` or an
    /// admin's "add a person"): choose [`NEW_PASSWORD`], set up an authenticator app, keep
    /// the recovery codes.
    pub(crate) fn first_sign_in(
        &self,
        from: Option<&str>,
        address: &str,
        one_time: &str,
        jar: &Path,
    ) -> Enrolled {
        let r = self.password_step(from, address, one_time, jar);
        assert_eq!(
            r.location.as_deref(),
            Some("/console/password"),
            "{}\n{}",
            r.body,
            self.cp.describe()
        );
        let r = self.fill_in(
            from,
            "/console/password",
            jar,
            &[("new", NEW_PASSWORD), ("again", NEW_PASSWORD)],
        );
        assert_eq!(r.location.as_deref(), Some("/console/enrol"), "{}", r.body);
        let page = self.call_from(from, "GET", "/console/enrol", &[], None, Some(jar));
        let csrf = field(&page.body, "name=\"csrf\" value=\"");
        let secret = code_element(&page.body, "totp-secret");
        let totp = identity::totp::TotpSecret::from_base32(&secret).expect("secret");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_secs();
        let r = self.form(
            from,
            "/console/enrol/totp",
            jar,
            &[("csrf", &csrf), ("code", totp.code_at(now).as_str())],
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let recovery = r
            .body
            .split("<li><code>")
            .skip(1)
            .filter_map(|c| c.split('<').next())
            .map(str::to_string)
            .collect::<Vec<_>>();
        assert!(!recovery.is_empty(), "recovery codes shown: {}", r.body);
        Enrolled {
            csrf: self.session_csrf(jar),
            recovery,
        }
    }

    /// [`ConsoleClient::first_sign_in`] with a one-time password set now at the command
    /// line (`carepost user reset-password`).
    pub(crate) fn first_sign_in_after_reset(
        &self,
        from: Option<&str>,
        address: &str,
        jar: &Path,
    ) -> Enrolled {
        let one_time = self.cp.reset_password(address);
        self.first_sign_in(from, address, &one_time, jar)
    }

    /// A later sign-in with [`NEW_PASSWORD`] and a recovery code (no waiting for the next
    /// TOTP step), in a browser (`jar`) with no live session. Returns the answer to the
    /// password step when it did not lead to the second factor (a refusal), else the answer
    /// to the second factor.
    pub(crate) fn sign_in(
        &self,
        from: Option<&str>,
        address: &str,
        recovery: &str,
        jar: &Path,
    ) -> Reply {
        let r = self.password_step(from, address, NEW_PASSWORD, jar);
        if r.location.as_deref() != Some("/console/factor") {
            return r;
        }
        let csrf = self.page_csrf(from, "/console/factor", jar);
        self.form(
            from,
            "/console/factor/recovery",
            jar,
            &[("csrf", &csrf), ("code", recovery)],
        )
    }
}

/// The header that carries a session's anti-forgery token on JSON writes.
pub(crate) fn csrf_header(token: &str) -> String {
    format!("x-csrf-token: {token}")
}

/// A browser's console session replayed with curl from 127.0.0.1 (the browser's own
/// network): its cookie and user agent go with every request.
pub(crate) struct BrowserSession<'a> {
    client: &'a ConsoleClient<'a>,
    /// `Cookie: cp_console=…`
    pub(crate) cookie: String,
    /// `User-Agent: …` of the browser.
    pub(crate) user_agent: String,
}

impl<'a> BrowserSession<'a> {
    /// The session a browser script left in its state file (`OUT_FILE`: `cookie`,
    /// `user_agent`).
    pub(crate) fn from_state_file(client: &'a ConsoleClient<'a>, state_file: &Path) -> Self {
        let state: Value =
            serde_json::from_str(&std::fs::read_to_string(state_file).expect("state"))
                .expect("json");
        Self {
            client,
            cookie: format!(
                "Cookie: cp_console={}",
                state["cookie"].as_str().expect("cookie")
            ),
            user_agent: format!("User-Agent: {}", state["user_agent"].as_str().expect("ua")),
        }
    }

    /// `GET /api/v1/me` (must answer 200), parsed.
    pub(crate) fn me(&self) -> Value {
        let (status, body) = self
            .request("GET", "/api/v1/me", &[], None)
            .status_and_body();
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("json")
    }

    /// The header with the session's anti-forgery token, for writes.
    pub(crate) fn csrf_header(&self) -> String {
        csrf_header(self.me()["csrf_token"].as_str().expect("csrf"))
    }

    /// One request with the session's cookie and user agent, and `headers`.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[String],
        body: Option<&str>,
    ) -> Reply {
        let mut all = vec![self.cookie.clone(), self.user_agent.clone()];
        all.extend_from_slice(headers);
        self.client
            .call_from(Some("127.0.0.1"), method, path, &all, body, None)
    }
}

/// The text of the page's `<code id="ID">` element (a secret shown once, for example).
pub(crate) fn code_element(html: &str, id: &str) -> String {
    html.split(&format!("<code id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no <code id=\"{id}\"> in\n{html}"))
        .to_string()
}

/// The text after `marker` up to the next `"`.
pub(crate) fn field(html: &str, marker: &str) -> String {
    html.split(marker)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("{marker} not in\n{html}"))
        .to_string()
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
