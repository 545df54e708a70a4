//! A minimal MaxMind DB writer for tests, written from the format specification
//! (<https://maxmind.github.io/MaxMind-DB/>): a binary search tree of 24-bit records, a
//! 16-byte separator, a data section and a metadata map after the
//! `\xAB\xCD\xEFMaxMind.com` marker. Synthetic data only.
//!
//! The one copy: `crates/access/tests/geo.rs` includes it as `mod mmdb_writer` and the
//! carepost integration tests as `support::mmdb` (both with `#[path]`), so no production
//! crate carries test code. Tests write small databases mapping address ranges to
//! countries (and, for the city layout, coordinates).

use std::net::IpAddr;

/// A value in the data section.
pub(crate) enum Value {
    Str(String),
    Double(f64),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(String, Value)>),
    Array(Vec<Value>),
}

pub(crate) fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

pub(crate) fn map(entries: Vec<(&str, Value)>) -> Value {
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
pub(crate) fn build_mmdb(database_type: &str, networks: Vec<(&str, Value)>) -> Vec<u8> {
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

/// A City-layout record: a country (with an English name) and a location.
pub(crate) fn city(iso: &str, lat: f64, lon: f64) -> Value {
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

/// A Country-layout record: a country alone.
pub(crate) fn country_only(iso: &str) -> Value {
    map(vec![("country", map(vec![("iso_code", s(iso))]))])
}
