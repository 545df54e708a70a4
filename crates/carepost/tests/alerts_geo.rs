//! Security alerts from where people sign in (issue 6 items 8 and 11), end to end: carepost
//! runs with a small MaxMind database written here (`console.geoip_database`) that places
//! 127.0.0.0/24 in the US (New York), 127.0.1.0/24 in Germany (country only) and
//! 127.0.2.0/24 in Berlin. People sign in to the console with curl from those loopback
//! addresses (`--interface`), with a password and a second factor.
//!
//! * A sign-in from a new country (DE after US) e-mails one "new country" alert to the
//!   organisation's admins at a private Postfix peer; a second sign-in from that country,
//!   and one from the first country again, alert nobody.
//! * A sign-in from Berlin seconds after one from New York (6,400 km) is impossible travel:
//!   denied at the password step, audited with its reason, and alerted. The New York
//!   session's cookie presented from Berlin is refused on use the same way, and the
//!   session ends.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, curl).

mod support;

use std::time::Duration;

use support::console::ConsoleClient;
use support::mmdb::{build_mmdb, city, country_only};
use support::postfix::{PeerTls, PostfixPeer, SinkMessage};
use support::{Carepost, Config, TestDir};

const ADMIN_DOMAIN: &str = "dest.test";
const ADMIN: &str = "security-admin@dest.test";
/// Signs in from the US, then twice from Germany, then from the US again.
const NURSE: &str = "nurse@clinic.test";
/// Signs in from New York, then "from Berlin" seconds later.
const TRAVELLER: &str = "doctor@clinic.test";
const US: &str = "127.0.0.1";
const US_AGAIN: &str = "127.0.0.7";
const DE: &str = "127.0.1.1";
const BERLIN: &str = "127.0.2.1";
const NEW_COUNTRY: &str = "new country";
const ALERT_TIMEOUT: Duration = Duration::from_secs(90);

fn geo_database(dir: &TestDir) -> std::path::PathBuf {
    let bytes = build_mmdb(
        "GeoLite2-City",
        vec![
            ("127.0.0.0/24", city("US", 40.7128, -74.0060)),
            ("127.0.1.0/24", country_only("DE")),
            ("127.0.2.0/24", city("DE", 52.52, 13.405)),
        ],
    );
    let path = dir.join("test-city.mmdb");
    std::fs::write(&path, bytes).expect("write the test database");
    path
}

fn new_country_mails(peer: &PostfixPeer) -> Vec<SinkMessage> {
    peer.messages()
        .into_iter()
        .filter(|m| m.contains(NEW_COUNTRY))
        .collect()
}

#[test]
fn a_new_country_alerts_the_admins_once_and_impossible_travel_is_denied() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let dir = TestDir::new("geo");
    let db = geo_database(&dir);
    let mut cfg = Config::delivering_to(ADMIN_DOMAIN, &peer);
    cfg.extra_toml = format!(
        "[alerts]\npoll_interval_secs = 1\n\n[console]\ngeoip_database = \"{}\"\n",
        db.display()
    );
    let mut cp = Carepost::new(&cfg);
    cp.start();
    cp.cli_ok(&["user", "add", ADMIN, "--role", "admin"]);
    cp.cli_ok(&["user", "add", NURSE, "--role", "sender"]);
    cp.cli_ok(&["user", "add", TRAVELLER, "--role", "sender"]);
    let c = ConsoleClient::new(&cp);

    // The nurse's first sign-in, from the US: their first country is no alert.
    let nurse = c.jar("nurse");
    let enrolled = c.first_sign_in_after_reset(Some(US), NURSE, &nurse);
    // Then from Germany (each sign-in in a new browser: a fresh cookie jar): a new country.
    let r = c.sign_in(Some(DE), NURSE, &enrolled.recovery[0], &c.jar("nurse-de"));
    assert_eq!(
        r.location.as_deref(),
        Some("/console"),
        "{}\n{}",
        r.body,
        cp.describe()
    );

    let mail = peer.wait_for_message(NEW_COUNTRY, ALERT_TIMEOUT);
    let text = mail.text();
    let ctx = || format!("alert mail:\n{text}\n{}", cp.describe());
    assert!(text.contains("Security alert"), "{}", ctx());
    assert!(text.contains("new country (DE)"), "{}", ctx());
    assert!(
        text.contains(&format!("<{ADMIN}>")),
        "to the admin\n{}",
        ctx()
    );
    assert!(text.contains(NURSE), "names the person\n{}", ctx());
    assert!(text.contains(DE), "names the address\n{}", ctx());

    // Germany again, and the US again: both known now, no further alert.
    let r = c.sign_in(Some(DE), NURSE, &enrolled.recovery[1], &c.jar("nurse-de-2"));
    assert_eq!(r.location.as_deref(), Some("/console"), "{}", r.body);
    let r = c.sign_in(
        Some(US_AGAIN),
        NURSE,
        &enrolled.recovery[2],
        &c.jar("nurse-us"),
    );
    assert_eq!(r.location.as_deref(), Some("/console"), "{}", r.body);

    // The traveller: New York, then Berlin seconds later (about 6,400 km).
    let traveller = c.jar("traveller");
    let travelling = c.first_sign_in_after_reset(Some(US), TRAVELLER, &traveller);
    let berlin = c.jar("traveller-in-berlin");
    let r = c.sign_in(Some(BERLIN), TRAVELLER, &travelling.recovery[0], &berlin);
    assert_ne!(
        r.location.as_deref(),
        Some("/console/factor"),
        "impossible travel is stopped at the password step: {}",
        r.body
    );
    assert!(
        r.body.contains("does not allow signing in from here"),
        "{}\n{}",
        r.body,
        cp.describe()
    );
    assert_eq!(c.me(&berlin).status, 401, "no session from Berlin");
    let decided = cp.audit_search("auth.access_decided");
    let denial = decided
        .lines()
        .find(|l| l.contains("impossible_travel"))
        .unwrap_or_else(|| panic!("no impossible-travel decision audited:\n{decided}"));
    assert!(denial.contains("\"deny\""), "{denial}");
    assert!(denial.contains(BERLIN), "from Berlin's address: {denial}");
    let travel = peer.wait_for_message("impossible_travel", ALERT_TIMEOUT);
    assert!(travel.contains(TRAVELLER), "{}", travel.text());

    // On use as well: the New York session works from New York, and the same cookie
    // presented from Berlin seconds later is impossible travel: refused, and the session
    // ended (New York gets nothing more from it either).
    assert_eq!(c.me(&traveller).status, 200, "the New York session works");
    let stolen = c.call_from(
        Some(BERLIN),
        "GET",
        "/api/v1/me",
        &[],
        None,
        Some(&traveller),
    );
    assert_eq!(stolen.status, 401, "{}", stolen.body);
    assert_eq!(c.me(&traveller).status, 401, "the session was ended");
    let on_use: Vec<_> = cp
        .audit_events("auth.access_decided")
        .into_iter()
        .filter(|e| e["details"]["on_use"] == true)
        .collect();
    assert_eq!(on_use.len(), 1, "{on_use:?}");
    assert_eq!(on_use[0]["details"]["outcome"], "deny", "{on_use:?}");
    assert_eq!(
        on_use[0]["details"]["reasons"][0], "impossible_travel",
        "{on_use:?}"
    );
    assert!(
        cp.audit_search("auth.session_ended")
            .contains("access_denied"),
        "the ended session is recorded"
    );

    // Exactly one new-country alert: give the task several more polls.
    std::thread::sleep(Duration::from_secs(8));
    let all = new_country_mails(&peer);
    assert_eq!(
        all.len(),
        1,
        "one new-country alert, got {}:\n{}\n{}",
        all.len(),
        all.iter()
            .map(SinkMessage::text)
            .collect::<Vec<_>>()
            .join("\n-----\n"),
        cp.describe()
    );
    let logins = cp.audit_search("auth.login");
    assert_eq!(
        logins.matches("\"new_country\":true").count(),
        1,
        "one sign-in is marked new:\n{logins}"
    );
    assert!(logins.contains("\"country\":\"US\"") && logins.contains("\"country\":\"DE\""));
}
