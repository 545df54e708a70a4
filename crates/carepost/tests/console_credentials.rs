//! Credentials and people in the console (issue 6 items 3 and 9), end to end over HTTPS
//! with curl against the real binary:
//!
//! * SMTP app passwords on `/console/credentials` and `/api/v1/me/app-passwords`: made
//!   with a label, the secret shown once (and working at SMTP AUTH), listed without secret
//!   or hash, revoked by their owner only;
//! * the organisation's API keys on the same page, for owners and admins only, the token
//!   shown once and working, revoked at once;
//! * people on `/console/users` and `/api/v1/users…`: added with a one-time password that
//!   must be changed, roles changed (sessions end), disabled and enabled, with the owner
//!   rules (only owners make or touch owners, the last owner stays, nobody disables
//!   themselves) and a step-up for each change.
//!
//! Every property has its refused case. Needs CAREPOST_INTEROP=1 (curl, swaks).

mod support;

use std::time::Duration;

use serde_json::{Value, json};

use support::console::{ConsoleClient, code_element, field};
use support::http::{basic_auth, bearer};
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config};

/// Whether SMTP AUTH with this app password is accepted (a message to a local test
/// domain is then queued).
fn smtp_auth_works(cp: &Carepost, address: &str, secret: &str) -> bool {
    let out = Swaks::new(cp.submission_port, address, "someone@elsewhere.test")
        .tls(SwaksTls::Starttls)
        .auth(address, secret)
        .run();
    if !out.success() {
        assert!(
            out.refused_with(535, Some("5.7")),
            "a refusal must be 535 5.7.x\n{}",
            out.transcript()
        );
    }
    out.success()
}

#[test]
fn app_passwords_are_made_once_listed_without_secrets_and_revoked_by_their_owner_only() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["user", "add", "nurse@localhost", "--role", "sender"]);
    cp.cli_ok(&["user", "add", "clerk@localhost", "--role", "sender"]);
    cp.start();
    let c = ConsoleClient::new(&cp);
    let nurse = c.jar("nurse");
    let csrf = c
        .first_sign_in_after_reset(None, "nurse@localhost", &nurse)
        .csrf;

    let r = c.call("GET", "/api/v1/me/app-passwords", &[], None, Some(&nurse));
    assert_eq!(r.status, 200, "{}\n{}", r.body, cp.describe());
    assert_eq!(r.json(), json!([]));

    // Made with the anti-forgery header only; the secret is in the answer, once.
    let label = json!({"label": "Thunderbird"});
    let r = c.post_json("/api/v1/me/app-passwords", &nurse, None, &label);
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c.post_json(
        "/api/v1/me/app-passwords",
        &nurse,
        Some(&csrf),
        &json!({"label": "x".repeat(81)}),
    );
    assert_eq!(r.status, 422, "an 81-character label: {}", r.body);
    let r = c.post_json("/api/v1/me/app-passwords", &nurse, Some(&csrf), &label);
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(
        r.headers.contains("cache-control: no-store"),
        "{}",
        r.headers
    );
    let made = r.json();
    let secret = made["secret"].as_str().expect("secret").to_string();
    let id = made["id"].as_str().expect("id").to_string();
    assert!(smtp_auth_works(&cp, "nurse@localhost", &secret));
    assert!(
        !smtp_auth_works(&cp, "nurse@localhost", "not-the-app-password"),
        "a wrong secret is refused"
    );

    // Listed by label, never with the secret or its hash; the page does not show it again.
    let r = c.call("GET", "/api/v1/me/app-passwords", &[], None, Some(&nurse));
    let list = r.json();
    assert_eq!(list[0]["label"], "Thunderbird", "{}", r.body);
    assert_eq!(list[0]["revoked"], false);
    assert!(
        !r.body.contains(&secret) && !r.body.contains("argon2"),
        "{}",
        r.body
    );
    let page = c.call("GET", "/console/credentials", &[], None, Some(&nurse));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Thunderbird"), "{}", page.body);
    assert!(!page.body.contains(&secret));
    assert!(
        !page.body.contains("The organisation's API keys"),
        "a sender sees no API keys"
    );

    // The page's form makes one too, shown on that answer only.
    let page_csrf = field(&page.body, "name=\"csrf\" value=\"");
    let r = c.form(
        None,
        "/console/credentials/app-passwords",
        &nurse,
        &[("csrf", &page_csrf), ("label", "Scanner on floor 2")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = code_element(&r.body, "new-app-password");
    assert!(smtp_auth_works(&cp, "nurse@localhost", &shown));
    let again = c.call("GET", "/console/credentials", &[], None, Some(&nurse));
    assert!(again.body.contains("Scanner on floor 2"));
    assert!(!again.body.contains(&shown), "shown once only");
    let r = c.form(
        None,
        "/console/credentials/app-passwords",
        &nurse,
        &[("csrf", "forged"), ("label", "Forged")],
    );
    assert_eq!(r.status, 403, "a forged form: {}", r.body);

    // Another person cannot revoke it (not found), and it keeps working.
    let clerk = c.jar("clerk");
    let clerk_csrf = c
        .first_sign_in_after_reset(None, "clerk@localhost", &clerk)
        .csrf;
    let r = c.post_json(
        &format!("/api/v1/me/app-passwords/{id}/revoke"),
        &clerk,
        Some(&clerk_csrf),
        &json!({}),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(smtp_auth_works(&cp, "nurse@localhost", &secret));

    // Its owner revokes it (with the header): it stops working at once.
    let path = format!("/api/v1/me/app-passwords/{id}/revoke");
    let r = c.post_json(&path, &nurse, None, &json!({}));
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c.post_json(&path, &nurse, Some(&csrf), &json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["changed"], true);
    let r = c.post_json(&path, &nurse, Some(&csrf), &json!({}));
    assert_eq!(r.json()["changed"], false, "already revoked");
    assert!(!smtp_auth_works(&cp, "nurse@localhost", &secret));
    assert!(
        smtp_auth_works(&cp, "nurse@localhost", &shown),
        "only that one"
    );

    let created = cp.audit_search("admin.app_password_created");
    let revoked = cp.audit_search("admin.app_password_revoked");
    assert!(created.contains(&id), "{created}");
    assert!(revoked.contains(&id), "{revoked}");
    assert_eq!(revoked.matches(&id).count(), 1, "one revocation: {revoked}");
    for text in [&created, &revoked] {
        assert!(!text.contains(&secret) && !text.contains(&shown));
    }
    let logs = String::from_utf8_lossy(&cp.logs()).into_owned();
    assert!(
        !logs.contains(&secret) && !logs.contains(&shown),
        "no secret in the logs"
    );
}

#[test]
fn only_owners_and_admins_make_api_keys_in_the_console_and_a_token_is_shown_once() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["user", "add", "it@localhost", "--role", "admin"]);
    cp.cli_ok(&["user", "add", "nurse@localhost", "--role", "sender"]);
    cp.start();
    let c = ConsoleClient::new(&cp);
    let admin = c.jar("admin");
    let csrf = c.break_glass("it@localhost", &admin);

    let page = c.call("GET", "/console/credentials", &[], None, Some(&admin));
    assert!(
        page.body.contains("The organisation's API keys"),
        "{}",
        page.body
    );
    let make = |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        c.form(None, "/console/credentials/api-keys", &admin, &all)
    };
    // Refused: over a year, no scope, send without senders.
    let r = make(&[
        ("name", "Too long"),
        ("scope", "messages:read"),
        ("days", "400"),
    ]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("1 to 366 days"), "{}", r.body);
    let r = make(&[("name", "No scope"), ("days", "30")]);
    assert_eq!(r.status, 422, "{}", r.body);
    let r = make(&[
        ("name", "No senders"),
        ("scope", "messages:send"),
        ("days", "30"),
    ]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("sender"), "{}", r.body);

    let r = make(&[
        ("name", "Billing system"),
        ("scope", "messages:send"),
        ("scope", "messages:read"),
        ("senders", "billing@localhost"),
        ("days", "30"),
    ]);
    assert_eq!(r.status, 200, "{}", r.body);
    let token = code_element(&r.body, "new-api-key");
    assert!(token.starts_with("cpk_"), "{token}");
    let bearer = bearer(&token);
    let unknown = "/api/v1/messages/00000000-0000-4000-8000-000000000000";
    let r = c.call("GET", unknown, std::slice::from_ref(&bearer), None, None);
    assert_eq!(
        r.status, 404,
        "the key is accepted (no such message): {}",
        r.body
    );

    // Listed without the token, here and over the API (with the same session).
    let r = c.call("GET", "/api/v1/api-keys", &[], None, Some(&admin));
    assert_eq!(r.status, 200, "{}", r.body);
    let keys: Vec<Value> = r.json().as_array().cloned().unwrap_or_default();
    let key = keys
        .iter()
        .find(|k| k["name"] == "Billing system")
        .expect("listed");
    assert_eq!(key["scopes"], json!(["messages:send", "messages:read"]));
    assert!(
        !r.body.contains(&token) && !r.body.contains("secret"),
        "{}",
        r.body
    );
    let key_id = key["id"].as_str().expect("id").to_string();
    let page = c.call("GET", "/console/credentials", &[], None, Some(&admin));
    assert!(page.body.contains("Billing system") && !page.body.contains(&token));

    // A sender neither sees nor makes nor revokes keys.
    let nurse = c.jar("nurse");
    let nurse_csrf = c
        .first_sign_in_after_reset(None, "nurse@localhost", &nurse)
        .csrf;
    let r = c.form(
        None,
        "/console/credentials/api-keys",
        &nurse,
        &[
            ("csrf", &nurse_csrf),
            ("name", "Mine"),
            ("scope", "messages:read"),
            ("days", "30"),
        ],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c.form(
        None,
        &format!("/console/credentials/api-keys/{key_id}/revoke"),
        &nurse,
        &[("csrf", &nurse_csrf)],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c.call("GET", unknown, std::slice::from_ref(&bearer), None, None);
    assert_eq!(r.status, 404, "still works: {}", r.body);

    // The admin revokes it: refused at once.
    let r = c.form(
        None,
        &format!("/console/credentials/api-keys/{key_id}/revoke"),
        &admin,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("no longer works"), "{}", r.body);
    let r = c.call("GET", unknown, std::slice::from_ref(&bearer), None, None);
    assert_eq!(r.status, 401, "{}", r.body);

    let me = c.me(&admin).json();
    let created = cp.audit_search("admin.api_key_created");
    assert!(
        created.contains(&key_id) && created.contains(me["id"].as_str().expect("id")),
        "made by the admin: {created}"
    );
    assert!(cp.audit_search("admin.api_key_revoked").contains(&key_id));
    let logs = String::from_utf8_lossy(&cp.logs()).into_owned();
    assert!(!logs.contains(&token), "no token in the logs");
}

#[test]
fn admins_add_people_change_roles_and_disable_them_under_the_owner_rules() {
    require_interop!();
    let mut cp = Carepost::new(&Config::default());
    cp.cli_ok(&["init"]); // admin@localhost, the owner
    cp.cli_ok(&["user", "add", "it@localhost", "--role", "admin"]);
    cp.start();
    let c = ConsoleClient::new(&cp);
    let admin = c.jar("admin");
    let csrf = c.break_glass("it@localhost", &admin);
    let users = c
        .call("GET", "/api/v1/users", &[], None, Some(&admin))
        .json();
    let id_of = |address: &str| -> String {
        let users = c
            .call("GET", "/api/v1/users", &[], None, Some(&admin))
            .json();
        users
            .as_array()
            .and_then(|l| l.iter().find(|u| u["address"] == address))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("{address} not listed: {users}"))
            .to_string()
    };
    assert!(users.as_array().is_some_and(|l| l.len() == 2), "{users}");
    let owner_id = id_of("admin@localhost");
    let admin_id = id_of("it@localhost");

    // Adding: the header, a valid new address, a role this admin may give.
    let add = |body: Value, token: Option<&str>| c.post_json("/api/v1/users", &admin, token, &body);
    let new = json!({"address": "new.nurse@localhost", "role": "sender"});
    assert_eq!(add(new.clone(), None).status, 403);
    let r = add(
        json!({"address": "not an address", "role": "sender"}),
        Some(&csrf),
    );
    assert_eq!(r.status_and_error(), (422, json!("bad_address")));
    let r = add(
        json!({"address": "x@localhost", "role": "superuser"}),
        Some(&csrf),
    );
    assert_eq!(r.status_and_error(), (422, json!("bad_role")));
    let r = add(
        json!({"address": "boss@localhost", "role": "owner"}),
        Some(&csrf),
    );
    assert_eq!(
        r.status_and_error(),
        (403, json!("owners_only")),
        "an admin makes no owner"
    );
    let r = add(new.clone(), Some(&csrf));
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.headers.contains("cache-control: no-store"));
    let one_time = r.json()["one_time_password"]
        .as_str()
        .expect("one-time password")
        .to_string();
    let nurse_id = r.json()["id"].as_str().expect("id").to_string();
    let r = add(new, Some(&csrf));
    assert_eq!(r.status_and_error(), (409, json!("address_in_use")));

    // The new person must change the one-time password at their first sign-in.
    let nurse = c.jar("nurse");
    let enrolled = c.first_sign_in(None, "new.nurse@localhost", &one_time, &nurse);
    assert_eq!(c.me(&nurse).json()["role"], "sender");
    let app_password = cp.app_password("new.nurse@localhost");

    // Changing a role ends the person's sessions; the new role holds at the next sign-in.
    let role = |id: &str, r: &str| {
        c.post_json(
            &format!("/api/v1/users/{id}/role"),
            &admin,
            Some(&csrf),
            &json!({ "role": r }),
        )
    };
    let r = c.post_json(
        &format!("/api/v1/users/{nurse_id}/role"),
        &admin,
        None,
        &json!({"role": "auditor"}),
    );
    assert_eq!(r.status, 403, "no header: {}", r.body);
    let r = role(&nurse_id, "auditor");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["changed"], true);
    assert_eq!(c.me(&nurse).status, 401, "their session ended");
    let r = c.sign_in(None, "new.nurse@localhost", &enrolled.recovery[0], &nurse);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.me(&nurse).json()["role"], "auditor");
    let changed = cp.audit_search("admin.role_changed");
    assert!(
        changed.contains(&nurse_id)
            && changed.contains("\"from\":\"sender\"")
            && changed.contains("\"to\":\"auditor\""),
        "{changed}"
    );

    // Owner rules for an admin: no owner role given, no owner changed or disabled.
    let r = role(&nurse_id, "owner");
    assert_eq!(r.status_and_error(), (403, json!("owners_only")));
    let r = role(&owner_id, "sender");
    assert_eq!(r.status_and_error(), (403, json!("owners_only")));
    let flag = |id: &str, what: &str, jar: &std::path::Path, token: &str| {
        c.post_json(
            &format!("/api/v1/users/{id}/{what}"),
            jar,
            Some(token),
            &json!({}),
        )
    };
    let r = flag(&owner_id, "disable", &admin, &csrf);
    assert_eq!(r.status_and_error(), (403, json!("owners_only")));
    let r = flag(&admin_id, "disable", &admin, &csrf);
    assert_eq!(r.status_and_error(), (409, json!("not_yourself")));

    // Disabling: sessions end, no sign-in, no app password; enabling restores sign-in.
    let r = c.post_json(
        &format!("/api/v1/users/{nurse_id}/disable"),
        &admin,
        None,
        &json!({}),
    );
    assert_eq!(r.status, 403, "no header: {}", r.body);
    let r = flag(&nurse_id, "disable", &admin, &csrf);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(c.me(&nurse).status, 401, "their session ended");
    let r = c.sign_in(None, "new.nurse@localhost", &enrolled.recovery[1], &nurse);
    assert_ne!(
        r.status, 303,
        "a disabled person cannot sign in: {}",
        r.body
    );
    let basic = basic_auth("new.nurse@localhost", &app_password);
    let r = c.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&basic),
        None,
        None,
    );
    assert_eq!(r.status, 401, "nor use an app password: {}", r.body);
    let r = flag(&nurse_id, "enable", &admin, &csrf);
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.sign_in(None, "new.nurse@localhost", &enrolled.recovery[1], &nurse);
    assert_eq!(r.status, 303, "enabled again: {}", r.body);
    let r = c.call(
        "GET",
        "/api/v1/policy",
        std::slice::from_ref(&basic),
        None,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(cp.audit_search("admin.user_disabled").contains(&nurse_id));
    assert!(cp.audit_search("admin.user_enabled").contains(&nurse_id));
    assert!(cp.audit_search("admin.user_created").contains(&nurse_id));

    // Another organisation's person, or an unknown id, is not found.
    let r = flag(
        "00000000-0000-4000-8000-000000000000",
        "disable",
        &admin,
        &csrf,
    );
    assert_eq!(r.status, 404, "{}", r.body);

    // The owner: cannot demote themselves while the only owner; can make another owner,
    // and then step down.
    let owner = c.jar("owner");
    let owner_csrf = c.break_glass("admin@localhost", &owner);
    let r = flag(&nurse_id, "disable", &owner, &owner_csrf);
    assert_eq!(r.status, 200, "an owner disables anyone but themselves");
    let r = c.post_json(
        &format!("/api/v1/users/{owner_id}/role"),
        &owner,
        Some(&owner_csrf),
        &json!({"role": "admin"}),
    );
    assert_eq!(r.status_and_error(), (409, json!("last_owner")));
    let r = c.post_json(
        &format!("/api/v1/users/{admin_id}/role"),
        &owner,
        Some(&owner_csrf),
        &json!({"role": "owner"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        c.me(&admin).status,
        401,
        "the promoted admin's sessions ended"
    );
    let r = c.post_json(
        &format!("/api/v1/users/{owner_id}/role"),
        &owner,
        Some(&owner_csrf),
        &json!({"role": "admin"}),
    );
    assert_eq!(r.status, 200, "another owner exists now: {}", r.body);
    assert_eq!(
        c.me(&owner).json()["role"],
        "admin",
        "their own session goes on"
    );

    // The page's form adds a person and shows the one-time password on that answer only.
    let page = c.call("GET", "/console/users", &[], None, Some(&owner));
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("<option value=\"owner\">"),
        "an admin is offered no owner role"
    );
    let r = c.form(
        None,
        "/console/users/add",
        &owner,
        &[
            ("csrf", &owner_csrf),
            ("address", "reception@localhost"),
            ("role", "sender"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = code_element(&r.body, "one-time-password");
    let page = c.call("GET", "/console/users", &[], None, Some(&owner));
    assert!(page.body.contains("reception@localhost") && !page.body.contains(&shown));
    let logs = String::from_utf8_lossy(&cp.logs()).into_owned();
    assert!(
        !logs.contains(&shown) && !logs.contains(&one_time),
        "no password in the logs"
    );
}

#[test]
fn people_changes_need_a_recent_step_up() {
    require_interop!();
    let cfg = Config {
        extra_toml: "[console]\nstep_up_secs = 3\n".to_string(),
        ..Config::default()
    };
    let mut cp = Carepost::new(&cfg);
    cp.cli_ok(&["init"]);
    cp.cli_ok(&["user", "add", "nurse@localhost", "--role", "sender"]);
    cp.start();
    let c = ConsoleClient::new(&cp);
    let owner = c.jar("owner");
    let csrf = c.break_glass("admin@localhost", &owner);
    std::thread::sleep(Duration::from_secs(4));
    let r = c.post_json(
        "/api/v1/users",
        &owner,
        Some(&csrf),
        &json!({"address": "late@localhost", "role": "sender"}),
    );
    assert_eq!(r.status_and_error(), (403, json!("step_up_required")));
    let r = c.post_json(
        "/api/v1/me/app-passwords",
        &owner,
        Some(&csrf),
        &json!({"label": "late"}),
    );
    assert_eq!(r.status_and_error(), (403, json!("step_up_required")));
    let r = c.form(
        None,
        "/console/users/add",
        &owner,
        &[
            ("csrf", &csrf),
            ("address", "late@localhost"),
            ("role", "sender"),
        ],
    );
    assert_eq!(
        r.location.as_deref(),
        Some("/console/step-up"),
        "{}",
        r.body
    );
    let r = c.form(
        None,
        "/console/credentials/app-passwords",
        &owner,
        &[("csrf", &csrf), ("label", "late")],
    );
    assert_eq!(
        r.location.as_deref(),
        Some("/console/step-up"),
        "{}",
        r.body
    );
    let users = c
        .call("GET", "/api/v1/users", &[], None, Some(&owner))
        .json();
    assert!(
        !users.to_string().contains("late@localhost"),
        "nobody was added: {users}"
    );
    let r = c.call("GET", "/api/v1/me/app-passwords", &[], None, Some(&owner));
    assert_eq!(r.json(), json!([]), "no app password was made");
}
