//! `GeoDb` against small MaxMind DB files generated here with the test writer in
//! tests/support/mmdb_writer.rs (written from the format specification,
//! <https://maxmind.github.io/MaxMind-DB/>). Synthetic data only (documentation address
//! ranges).

use std::net::IpAddr;

use access::geo::{GeoDb, GeoError};
use access::{AccessPolicy, Outcome, PreviousSignIn, Reason, SignInContext};
use model::{Role, Timestamp};

#[path = "support/mmdb_writer.rs"]
mod mmdb_writer;

use mmdb_writer::{build_mmdb, city, country_only, map, s};

const NEW_YORK: (f64, f64) = (40.7128, -74.0060);
const LONDON: (f64, f64) = (51.5074, -0.1278);

fn city_db() -> Vec<u8> {
    build_mmdb(
        "GeoLite2-City",
        vec![
            ("192.0.2.0/24", city("US", NEW_YORK.0, NEW_YORK.1)),
            ("198.51.100.0/25", city("GB", LONDON.0, LONDON.1)),
            ("2001:db8:1::/48", city("DE", 52.52, 13.405)),
            ("203.0.113.0/24", country_only("fr")),
            ("2001:db8:2::/48", country_only("XYZ")),
        ],
    )
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test ip")
}

// ── Tests ───────────────────────────────────────────────────────────────────────────

#[test]
fn writer_metadata_round_trips() {
    let db = GeoDb::from_bytes(city_db()).expect("valid mmdb");
    assert_eq!(db.database_type(), "GeoLite2-City");
}

#[test]
fn city_lookup_v4_and_v6() {
    let db = GeoDb::from_bytes(city_db()).expect("valid mmdb");
    let us = db.lookup(ip("192.0.2.77")).expect("in db");
    assert_eq!(us.country, "US");
    assert_eq!(us.location, Some(NEW_YORK));

    let gb = db.lookup(ip("198.51.100.127")).expect("in db");
    assert_eq!(gb.country, "GB");
    assert!(db.lookup(ip("198.51.100.128")).is_none(), "outside the /25");

    let de = db.lookup(ip("2001:db8:1:abcd::1")).expect("in db");
    assert_eq!(de.country, "DE");
    assert_eq!(de.location, Some((52.52, 13.405)));

    // IPv4-mapped IPv6 finds the IPv4 record.
    assert_eq!(
        db.lookup(ip("::ffff:192.0.2.1")).map(|g| g.country),
        Some("US".to_string())
    );
}

#[test]
fn country_layout_and_bad_codes() {
    let db = GeoDb::from_bytes(city_db()).expect("valid mmdb");
    let fr = db.lookup(ip("203.0.113.5")).expect("in db");
    assert_eq!(fr.country, "FR");
    assert_eq!(fr.location, None);
    // A record whose code is not two letters counts as unknown.
    assert!(db.lookup(ip("2001:db8:2::1")).is_none());
    assert!(db.lookup(ip("10.0.0.1")).is_none());
    assert!(db.lookup(ip("2001:db8:3::1")).is_none());
}

#[test]
fn country_database_type() {
    let bytes = build_mmdb(
        "GeoLite2-Country",
        vec![("192.0.2.0/24", country_only("US"))],
    );
    let db = GeoDb::from_bytes(bytes).expect("valid mmdb");
    assert_eq!(db.database_type(), "GeoLite2-Country");
    assert_eq!(
        db.lookup(ip("192.0.2.9")).map(|g| g.country),
        Some("US".to_string())
    );
}

#[test]
fn open_from_file_and_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test-city.mmdb");
    std::fs::write(&path, city_db()).expect("write");
    let db = GeoDb::open(&path).expect("open");
    assert!(db.lookup(ip("192.0.2.1")).is_some());

    assert!(matches!(
        GeoDb::open(dir.path().join("missing.mmdb")),
        Err(GeoError::Io(_))
    ));
    let junk = dir.path().join("junk.mmdb");
    std::fs::write(&junk, b"not a database").expect("write");
    assert!(matches!(GeoDb::open(&junk), Err(GeoError::Invalid(_))));
}

#[test]
fn debug_does_not_show_personal_data() {
    let db = GeoDb::from_bytes(city_db()).expect("valid mmdb");
    let info = db.lookup(ip("192.0.2.77")).expect("in db");
    let text = format!("{info:?}");
    assert!(!text.contains("US") && !text.contains("40.7"), "{text}");
}

/// The whole path: addresses to countries and places, then the policy.
#[test]
fn policy_with_geo_lookups() {
    let db = GeoDb::from_bytes(city_db()).expect("valid mmdb");
    let policy = AccessPolicy::parse("[[rule]]\nname = \"us-only\"\nallow_countries = [\"US\"]\n")
        .expect("policy");
    let now = Timestamp::from_millis(1_764_514_800_000);
    let sign_in = |addr: &str, previous: Option<PreviousSignIn>| {
        let addr = ip(addr);
        let geo = db.lookup(addr);
        SignInContext {
            role: Role::Sender,
            ip: addr,
            country: geo.as_ref().map(|g| g.country.clone()),
            location: geo.and_then(|g| g.location),
            device_known: true,
            at: now,
            previous,
        }
    };

    assert_eq!(
        policy.evaluate(&sign_in("192.0.2.5", None)).outcome,
        Outcome::Allow
    );
    let d = policy.evaluate(&sign_in("198.51.100.5", None));
    assert_eq!(d.reasons, vec![Reason::CountryNotAllowed]);
    let d = policy.evaluate(&sign_in("10.9.9.9", None));
    assert_eq!(d.reasons, vec![Reason::UnknownCountry]);

    // New York an hour ago, London now: impossible travel on top of the country rule.
    let previous = PreviousSignIn {
        at: Timestamp::from_millis(now.as_millis() - 3_600_000),
        location: Some(NEW_YORK),
        country: Some("US".to_string()),
        ip: ip("192.0.2.5"),
    };
    let d = policy.evaluate(&sign_in("198.51.100.5", Some(previous)));
    assert_eq!(d.outcome, Outcome::Deny);
    assert!(d.alert);
    assert_eq!(
        d.reasons,
        vec![Reason::CountryNotAllowed, Reason::ImpossibleTravel]
    );
}

#[test]
fn many_networks_use_long_control_sizes() {
    // Strings over 28 and 284 bytes exercise the extended size encodings.
    let long = "x".repeat(300);
    let mid = "y".repeat(40);
    let bytes = build_mmdb(
        "GeoLite2-City",
        vec![(
            "192.0.2.0/24",
            map(vec![
                ("country", map(vec![("iso_code", s("US"))])),
                ("note", s(&long)),
                ("other", s(&mid)),
            ]),
        )],
    );
    let db = GeoDb::from_bytes(bytes).expect("valid mmdb");
    assert_eq!(
        db.lookup(ip("192.0.2.1")).map(|g| g.country),
        Some("US".to_string())
    );
}
