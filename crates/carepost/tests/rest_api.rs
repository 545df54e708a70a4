//! REST submission for systems (issue 6, item 10) with organisation API keys (item 6):
//! a system with a scoped key submits over `POST /api/v1/messages`, retries (one after
//! another and all at once) never send twice, the copy reaches a real Postfix over
//! verified TLS, and `GET /api/v1/messages/{id}` shows each recipient's status. Refused
//! keys, scopes, senders, bodies and another organisation's data fail closed with a
//! generic answer and an audit event.
//!
//! Needs CAREPOST_INTEROP=1 (Postfix as the receiving MTA, curl as the client).

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use support::postfix::{PeerTls, PostfixPeer};
use support::{Carepost, Config, run, unique_token};

const DOMAIN: &str = "dest.test";

struct Reply {
    code: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One HTTPS request with curl, trusting carepost's own certificate.
fn curl(cp: &Carepost, method: &str, path: &str, headers: &[String], body: Option<&str>) -> Reply {
    let cacert = cp.data_dir.join("tls").join("cert.pem");
    let url = format!("https://localhost:{}{path}", cp.http_port);
    let mut cmd = Command::new("curl");
    cmd.args([
        "-sS",
        "-D",
        "-",
        "-w",
        "\n%{http_code}",
        "-X",
        method,
        "--cacert",
    ])
    .arg(&cacert);
    for h in headers {
        cmd.args(["-H", h]);
    }
    if let Some(b) = body {
        cmd.args(["--data-binary", b]);
    }
    cmd.arg(&url);
    let out = run(&mut cmd, Duration::from_secs(30));
    let text = out.stdout_text();
    let (rest, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    let (head, body) = rest.split_once("\r\n\r\n").unwrap_or((rest, ""));
    Reply {
        code: code.trim().parse().unwrap_or(0),
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

fn submit(cp: &Carepost, token: &str, key: &str, body: &Value) -> Reply {
    curl(
        cp,
        "POST",
        "/api/v1/messages",
        &[
            bearer(token),
            format!("Idempotency-Key: {key}"),
            "Content-Type: application/json".to_string(),
        ],
        Some(&body.to_string()),
    )
}

fn create_key(cp: &Carepost, args: &[&str]) -> (String, String) {
    let mut all = vec!["api-key", "create", "--json"];
    all.extend_from_slice(args);
    let out = cp.cli_ok(&all);
    let v: Value = serde_json::from_str(out.stdout_text().trim()).expect("json");
    (
        v["token"].as_str().expect("token").to_string(),
        v["id"].as_str().expect("id").to_string(),
    )
}

fn message_body(token_id: &str) -> Value {
    json!({
        "from": "billing@clinic.test",
        "from_name": "Sunnyvale Billing",
        "to": [format!("pat@{DOMAIN}")],
        "subject": format!("Your statement {token_id}"),
        "text": format!("Your statement is attached.\nEND-OF-TEST-MESSAGE {token_id}\n"),
        "attachments": [{
            "filename": "statement.txt",
            "content_type": "text/plain",
            "content": "U3ludGhldGljIHN0YXRlbWVudA==",
        }],
        "headers": {"X-Carepost-Purpose": "payment"},
    })
}

#[test]
fn a_system_submits_over_rest_and_retries_never_send_twice() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cp = Carepost::new(&Config::delivering_to(DOMAIN, &peer));
    cp.start();
    let (token, key_id) = create_key(
        &cp,
        &[
            "--name",
            "EHR interface",
            "--scopes",
            "messages:send,messages:read",
            "--senders",
            "@clinic.test",
        ],
    );

    // First request, then the same request again (a client retrying after a timeout).
    let first_id = unique_token("rest");
    let body = message_body(&first_id);
    let idem = unique_token("order");
    let first = submit(&cp, &token, &idem, &body);
    assert_eq!(first.code, 202, "{}\n{}", first.body, cp.describe());
    let id = first.json()["id"].as_str().expect("id").to_string();
    assert!(
        first
            .headers
            .contains(&format!("location: /api/v1/messages/{id}")),
        "{}",
        first.headers
    );
    let again = submit(&cp, &token, &idem, &body);
    assert_eq!(again.code, 202, "{}", again.body);
    assert_eq!(
        again.json()["id"],
        first.json()["id"],
        "a retry answers with the first message"
    );
    assert!(
        again.headers.contains("idempotent-replayed: true"),
        "{}",
        again.headers
    );

    // The same key with another body is refused and sends nothing.
    let other = submit(&cp, &token, &idem, &message_body(&unique_token("other")));
    assert_eq!(other.code, 422, "{}", other.body);

    // Eight identical requests at once with a new key: one message.
    let race_id = unique_token("race");
    let race_body = message_body(&race_id);
    let race_key = unique_token("order");
    let answers: Vec<Reply> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| submit(&cp, &token, &race_key, &race_body)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let ids: std::collections::HashSet<String> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.code, 202, "{}", a.body);
            a.json()["id"].as_str().expect("id").to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "all racing retries name one message: {ids:?}");

    // Delivered once each, over verified TLS, with the attachment.
    let delivered = peer.wait_for_message(&first_id, Duration::from_secs(90));
    assert!(delivered.contains("statement.txt"), "{}", delivered.text());
    assert!(
        !delivered.contains("X-Carepost-Purpose"),
        "control headers are stripped"
    );
    peer.wait_for_message(&race_id, Duration::from_secs(90));
    std::thread::sleep(Duration::from_secs(3));
    let count = |needle: &str| {
        peer.messages()
            .iter()
            .filter(|m| m.contains(needle))
            .count()
    };
    assert_eq!(count(&first_id), 1, "sent once\n{}", peer.describe());
    assert_eq!(count(&race_id), 1, "sent once\n{}", peer.describe());

    // Per-recipient status over GET.
    let status = support::wait_until(
        "the API to show the copy delivered",
        Duration::from_secs(60),
        Duration::from_millis(500),
        || {
            let r = curl(
                &cp,
                "GET",
                &format!("/api/v1/messages/{id}"),
                &[bearer(&token)],
                None,
            );
            (r.code == 200 && r.json()["recipients"][0]["status"] == "delivered").then(|| r.json())
        },
    );
    let rcpt = &status["recipients"][0];
    assert_eq!(rcpt["address"], format!("pat@{DOMAIN}"));
    assert!(
        rcpt["tls_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("TLS")),
        "{status:#}"
    );

    // The trail names the key and the channel.
    let found = cp
        .cli_ok(&["audit", "search", "--message", &id])
        .stdout_text();
    assert!(found.contains("\"channel\":\"api\""), "{found}");
    assert!(found.contains(&key_id), "{found}");
    assert!(found.contains("\"auth\":\"api-key\""), "{found}");
}

#[test]
fn refused_keys_scopes_senders_and_bodies_fail_closed_and_are_audited() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["org", "add", "Other Clinic"]);
    cp.start();
    let (token, key_id) = create_key(
        &cp,
        &[
            "--name",
            "EHR",
            "--scopes",
            "messages:send messages:read",
            "--senders",
            "billing@clinic.test",
        ],
    );
    let (read_only, _) = create_key(&cp, &["--name", "reporting", "--scopes", "messages:read"]);
    let (other_org, _) = create_key(
        &cp,
        &[
            "--name",
            "EHR",
            "--scopes",
            "messages:send,messages:read",
            "--senders",
            "@other.test",
            "--organisation",
            "Other Clinic",
        ],
    );
    let body = json!({
        "from": "billing@clinic.test",
        "to": ["pat@dest.test"],
        "subject": "Appointment",
        "text": "See you on Tuesday.",
    });

    // Keys: none, malformed, wrong secret, another key's scope.
    let no_key = curl(
        &cp,
        "POST",
        "/api/v1/messages",
        &["Idempotency-Key: a".into()],
        Some("{}"),
    );
    assert_eq!(no_key.code, 401);
    assert!(
        no_key.headers.contains("www-authenticate: bearer"),
        "{}",
        no_key.headers
    );
    assert_eq!(submit(&cp, "cpk_nonsense", "a", &body).code, 401);
    let mut wrong = token.clone();
    let last = wrong.pop().expect("char");
    wrong.push(if last == 'A' { 'B' } else { 'A' });
    let wrong_reply = submit(&cp, &wrong, "a", &body);
    assert_eq!(wrong_reply.code, 401);
    assert_eq!(
        wrong_reply.json(),
        json!({"error": "unauthorised"}),
        "one generic answer"
    );
    assert_eq!(
        submit(&cp, &read_only, "a", &body).code,
        403,
        "no messages:send scope"
    );

    // Senders, headers, bodies: precise errors that never echo a value.
    let mut spoof = body.clone();
    spoof["from"] = json!("ceo@clinic.test");
    assert_eq!(submit(&cp, &token, "b", &spoof).code, 403);
    let missing = curl(
        &cp,
        "POST",
        "/api/v1/messages",
        &[bearer(&token), "Content-Type: application/json".into()],
        Some(&body.to_string()),
    );
    assert_eq!(missing.code, 400);
    assert!(missing.body.contains("Idempotency-Key"), "{}", missing.body);
    let mut injected = body.clone();
    injected["subject"] = json!("SSN 123-45-6789\r\nBcc: thief@evil.test");
    let r = submit(&cp, &token, "c", &injected);
    assert_eq!(r.code, 400);
    assert!(
        r.body.contains("subject") && !r.body.contains("123-45-6789"),
        "{}",
        r.body
    );
    let mut forged = body.clone();
    forged["headers"] = json!({"Received": "from trusted"});
    assert_eq!(submit(&cp, &token, "d", &forged).code, 400);
    let mut typo = body.clone();
    typo["too"] = json!(["x@dest.test"]);
    let r = submit(&cp, &token, "e", &typo);
    assert_eq!(r.code, 400);
    assert!(
        r.body.contains("too"),
        "names the unknown field: {}",
        r.body
    );
    let mut bad_type = body.clone();
    bad_type["to"] = json!("MRN 55501234");
    let r = submit(&cp, &token, "f", &bad_type);
    assert_eq!(r.code, 400);
    assert!(!r.body.contains("55501234"), "{}", r.body);
    let bad_key = submit(&cp, &token, "has space", &body);
    assert_eq!(bad_key.code, 400, "{}", bad_key.body);

    // Another organisation's message is "not found", and the attempt is audited.
    let ours = submit(&cp, &token, "ours-1", &body);
    assert_eq!(ours.code, 202, "{}\n{}", ours.body, cp.describe());
    let id = ours.json()["id"].as_str().expect("id").to_string();
    let theirs = curl(
        &cp,
        "GET",
        &format!("/api/v1/messages/{id}"),
        &[bearer(&other_org)],
        None,
    );
    assert_eq!(theirs.code, 404, "{}", theirs.body);
    let mine = curl(
        &cp,
        "GET",
        &format!("/api/v1/messages/{id}"),
        &[bearer(&token)],
        None,
    );
    assert_eq!(mine.code, 200, "{}", mine.body);
    // The other organisation's key cannot send as this one's sender either.
    assert_eq!(submit(&cp, &other_org, "x", &body).code, 403);

    // Revoked keys stop at once.
    cp.cli_ok(&["api-key", "revoke", &key_id]);
    assert_eq!(submit(&cp, &token, "ours-2", &body).code, 401);
    let listed = cp.cli_ok(&["api-key", "list", "--json"]).stdout_text();
    assert!(listed.contains("\"state\":\"revoked\""), "{listed}");
    assert!(
        // `cpk_<id>_<secret>`: the secret is base64url and may itself contain `_` (the last
        // `_`-separated piece alone was sometimes a few characters, or empty, and then
        // "found" in the listing).
        !listed.contains(token.splitn(3, '_').nth(2).expect("secret")),
        "no secret listed"
    );

    let refused = cp
        .cli_ok(&[
            "audit",
            "search",
            "--kind",
            "api.access_refused",
            "--limit",
            "100",
        ])
        .stdout_text();
    for reason in [
        "no_key",
        "malformed_key",
        "wrong_secret",
        "missing_scope",
        "other_organisation",
        "revoked",
    ] {
        assert!(refused.contains(reason), "{reason} not audited:\n{refused}");
    }
    assert!(!refused.contains(&token), "tokens never reach the trail");
}

#[test]
fn only_admins_make_list_and_revoke_api_keys_over_the_api() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.start();
    cp.cli_ok(&["user", "add", "it@clinic.test", "--role", "admin"]);
    let admin = format!("it@clinic.test:{}", cp.app_password("it@clinic.test"));
    cp.cli_ok(&["user", "add", "nurse@clinic.test", "--role", "sender"]);
    let sender = format!("nurse@clinic.test:{}", cp.app_password("nurse@clinic.test"));
    let basic = |creds: &str| {
        use base64::Engine;
        format!(
            "Authorization: Basic {}",
            base64::engine::general_purpose::STANDARD.encode(creds)
        )
    };
    let request = json!({"name": "billing", "scopes": "messages:send", "senders": "@clinic.test", "days": 30}).to_string();
    let json_type = "Content-Type: application/json".to_string();

    let r = curl(
        &cp,
        "POST",
        "/api/v1/api-keys",
        &[basic(&sender), json_type.clone()],
        Some(&request),
    );
    assert_eq!(r.code, 403, "a sender cannot grant API access: {}", r.body);
    let r = curl(
        &cp,
        "POST",
        "/api/v1/api-keys",
        &[basic(&admin), json_type.clone()],
        Some(&request),
    );
    assert_eq!(r.code, 201, "{}", r.body);
    assert!(r.headers.contains("cache-control: no-store"));
    let made = r.json();
    let token = made["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("cpk_"));
    let bad = json!({"name": "x", "scopes": "messages:send admin", "days": 30}).to_string();
    let r = curl(
        &cp,
        "POST",
        "/api/v1/api-keys",
        &[basic(&admin), json_type.clone()],
        Some(&bad),
    );
    assert_eq!(r.code, 400, "{}", r.body);
    let forever = json!({"name": "y", "scopes": "messages:read", "days": 5000}).to_string();
    let r = curl(
        &cp,
        "POST",
        "/api/v1/api-keys",
        &[basic(&admin), json_type],
        Some(&forever),
    );
    assert_eq!(r.code, 400, "keys must expire: {}", r.body);

    let list = curl(&cp, "GET", "/api/v1/api-keys", &[basic(&admin)], None);
    assert_eq!(list.code, 200);
    assert!(
        !list.body.contains(&token) && !list.body.contains("sha256"),
        "{}",
        list.body
    );
    assert_eq!(list.json()[0]["scopes"], json!(["messages:send"]));
    assert_eq!(
        curl(&cp, "GET", "/api/v1/api-keys", &[basic(&sender)], None).code,
        403
    );

    let id = made["id"].as_str().expect("id");
    let r = curl(
        &cp,
        "POST",
        &format!("/api/v1/api-keys/{id}/revoke"),
        &[basic(&sender)],
        None,
    );
    assert_eq!(r.code, 403);
    let r = curl(
        &cp,
        "POST",
        &format!("/api/v1/api-keys/{id}/revoke"),
        &[basic(&admin)],
        None,
    );
    assert_eq!(r.code, 200, "{}", r.body);
    let r = curl(
        &cp,
        "POST",
        "/api/v1/messages",
        &[
            bearer(&token),
            "Idempotency-Key: 1".into(),
            "Content-Type: application/json".into(),
        ],
        Some("{}"),
    );
    assert_eq!(r.code, 401, "a revoked key authenticates nothing");
}
