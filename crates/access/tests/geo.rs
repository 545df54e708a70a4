//! `GeoDb` against small MaxMind DB files generated here, from the format specification
//! (<https://maxmind.github.io/MaxMind-DB/>): a binary search tree of 24-bit records, a
//! 16-byte separator, a data section, and a metadata map after the
//! `\xAB\xCD\xEFMaxMind.com` marker. Synthetic data only (documentation address ranges).

use std::net::IpAddr;

use access::geo::{GeoDb, GeoError};
use access::{AccessPolicy, Outcome, PreviousSignIn, Reason, SignInContext};
use model::{Role, Timestamp};

// ── A minimal MaxMind DB writer ─────────────────────────────────────────────────────

/// A value in the data section.
enum Value {
    Str(String),
    Double(f64),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(String, Value)>),
    Array(Vec<Value>),
}

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Control byte(s) for type `kind` (1-15) and payload `size`.
fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
    let (size_bits, extra): (u8, Vec<u8>) = if size < 29 {
        (u8::try_from(size).expect("small"), Vec::new())
    } else if size < 29 + 256 {
        (29, vec![u8::try_from(size - 29).expect("fits")])
    } else {
        let n = u16::try_from(size - 285).expect("test data is small");
        (30, n.to_be_bytes().to_vec())
    };
    if kind <= 7 {
        out.push((kind << 5) | size_bits);
    } else {
        out.push(size_bits);
        out.push(kind - 7);
    }
    out.extend(extra);
}

fn uint(out: &mut Vec<u8>, kind: u8, value: u64) {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    control(out, kind, 8 - skip);
    out.extend(&bytes[skip..]);
}

fn encode(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Str(text) => {
            control(out, 2, text.len());
            out.extend(text.as_bytes());
        }
        Value::Double(x) => {
            control(out, 3, 8);
            out.extend(x.to_be_bytes());
        }
        Value::U16(x) => uint(out, 5, u64::from(*x)),
        Value::U32(x) => uint(out, 6, u64::from(*x)),
        Value::U64(x) => uint(out, 9, *x),
        Value::Map(entries) => {
            control(out, 7, entries.len());
            for (k, v) in entries {
                encode(out, &Value::Str(k.clone()));
                encode(out, v);
            }
        }
        Value::Array(items) => {
            control(out, 11, items.len());
            for item in items {
                encode(out, item);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Record {
    Empty,
    Node(usize),
    Data(usize),
}

/// Builds an IPv6 database (IPv4 lives at `::a.b.c.d/96+n`, as in GeoLite2) with 24-bit
/// records. Networks must not nest.
fn build_mmdb(database_type: &str, networks: Vec<(&str, Value)>) -> Vec<u8> {
    let mut nodes: Vec<[Record; 2]> = vec![[Record::Empty; 2]];
    let mut data = Vec::new();
    for (cidr, value) in networks {
        let (addr, len) = cidr.split_once('/').expect("cidr");
        let addr: IpAddr = addr.parse().expect("addr");
        let len: usize = len.parse().expect("len");
        let (bits, len) = match addr {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), len + 96),
            IpAddr::V6(v6) => (u128::from(v6), len),
        };
        let offset = data.len();
        encode(&mut data, &value);
        let mut node = 0;
        for depth in 0..len {
            let bit = usize::from((bits >> (127 - depth)) & 1 == 1);
            if depth + 1 == len {
                nodes[node][bit] = Record::Data(offset);
            } else {
                node = match nodes[node][bit] {
                    Record::Node(next) => next,
                    Record::Empty => {
                        nodes.push([Record::Empty; 2]);
                        let next = nodes.len() - 1;
                        nodes[node][bit] = Record::Node(next);
                        next
                    }
                    Record::Data(_) => panic!("nested networks are not supported"),
                };
            }
        }
    }
    let node_count = nodes.len();
    let mut out = Vec::new();
    for node in &nodes {
        for record in node {
            let value = match *record {
                Record::Empty => node_count,
                Record::Node(n) => n,
                Record::Data(offset) => node_count + 16 + offset,
            };
            let value = u32::try_from(value).expect("24-bit");
            assert!(value < 1 << 24);
            out.extend(&value.to_be_bytes()[1..]);
        }
    }
    out.extend([0u8; 16]);
    out.extend(&data);
    out.extend(b"\xAB\xCD\xEFMaxMind.com");
    let metadata = map(vec![
        ("binary_format_major_version", Value::U16(2)),
        ("binary_format_minor_version", Value::U16(0)),
        ("build_epoch", Value::U64(1_764_460_800)),
        ("database_type", s(database_type)),
        (
            "description",
            map(vec![("en", s("carepost synthetic test data"))]),
        ),
        ("ip_version", Value::U16(6)),
        ("languages", Value::Array(vec![s("en")])),
        (
            "node_count",
            Value::U32(u32::try_from(node_count).expect("small")),
        ),
        ("record_size", Value::U16(24)),
    ]);
    encode(&mut out, &metadata);
    out
}

fn city(iso: &str, lat: f64, lon: f64) -> Value {
    map(vec![
        (
            "country",
            map(vec![
                ("iso_code", s(iso)),
                ("names", map(vec![("en", s("Test"))])),
            ]),
        ),
        (
            "location",
            map(vec![
                ("latitude", Value::Double(lat)),
                ("longitude", Value::Double(lon)),
            ]),
        ),
    ])
}

fn country_only(iso: &str) -> Value {
    map(vec![("country", map(vec![("iso_code", s(iso))]))])
}

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
