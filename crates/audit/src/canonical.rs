//! Canonical JSON for hashing, and a strict JSON parser for untrusted export lines.
//!
//! **The canonical form** (what a leaf hash covers) is the JSON text of a value with:
//! object members sorted by key (byte order of the UTF-8 key, which for the ASCII keys the
//! schema allows equals RFC 8785's UTF-16 order), no whitespace, strings escaped as
//! `serde_json` and RFC 8785 both escape them (`\"`, `\\`, `\b \f \n \r \t`, other controls
//! as `\u00xx`, everything else literal UTF-8), integers in plain decimal, and no floating
//! point numbers at all (they are refused, so no float formatting rule is needed). For the
//! values the audit schema admits this is exactly RFC 8785 (JCS) output, so a verifier in
//! another language can use any JCS library.
//!
//! We sort keys ourselves rather than rely on `serde_json::Map` being a `BTreeMap`: that
//! stops being true the day any crate in the build enables serde_json's `preserve_order`
//! feature (features unify across the workspace), and the leaf hashes would silently change.
//!
//! **The strict parser** refuses duplicate object keys and floating point numbers. Duplicate
//! keys matter: serde_json keeps the last one, other parsers keep the first, so a line
//! `{"kind":"forged",...,"kind":"real"}` would verify here and read as "forged" elsewhere.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a value has no canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CanonicalError {
    /// A floating point number (or an integer outside i64/u64).
    Float,
}

/// Append the canonical JSON text of `value` to `out`.
pub(crate) fn write_canonical(value: &Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                out.extend_from_slice(i.to_string().as_bytes());
            } else if let Some(i) = n.as_i64() {
                out.extend_from_slice(i.to_string().as_bytes());
            } else {
                return Err(CanonicalError::Float);
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(map.iter(), out)?,
    }
    Ok(())
}

/// Append the canonical text of an object given as (key, value) pairs in any order.
pub(crate) fn write_object<'a>(
    members: impl Iterator<Item = (&'a String, &'a Value)>,
    out: &mut Vec<u8>,
) -> Result<(), CanonicalError> {
    let mut members: Vec<_> = members.collect();
    members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push(b'{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        write_canonical(value, out)?;
    }
    out.push(b'}');
    Ok(())
}

pub(crate) fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    // Copy runs that need no escaping whole (nearly every string in an event is one run):
    // byte by byte is safe because every byte that needs escaping is ASCII, and the bytes
    // of a multi-byte character are all >= 0x80.
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Parse one JSON text, refusing duplicate keys and floating point numbers.
pub(crate) fn parse_strict(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = StrictSeed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct StrictSeed;

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON without duplicate keys or floating point numbers")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(E::custom("floating point numbers are not allowed"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom("duplicate object key"));
            }
            let value = access.next_value_seed(StrictSeed)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn strings_are_escaped_exactly_as_json_defines(s in proptest::prelude::any::<String>()) {
            let mut out = Vec::new();
            write_string(&s, &mut out);
            proptest::prop_assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                serde_json::to_string(&s).expect("json")
            );
        }
    }

    #[test]
    fn every_control_character_and_quote_is_escaped() {
        let all: String = (0u8..0x80)
            .map(char::from)
            .chain("é€😀\"\\".chars())
            .collect();
        let mut out = Vec::new();
        write_string(&all, &mut out);
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            serde_json::to_string(&all).expect("json")
        );
    }

    fn canon(v: &Value) -> String {
        let mut out = Vec::new();
        write_canonical(v, &mut out).expect("canonical");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn sorts_keys_and_drops_whitespace_whatever_the_insertion_order() {
        let mut m = Map::new();
        m.insert("zeta".into(), Value::from(1));
        m.insert(
            "alpha".into(),
            serde_json::json!({"b": [true, null], "a": -5}),
        );
        m.insert("mid".into(), Value::from("x"));
        assert_eq!(
            canon(&Value::Object(m)),
            r#"{"alpha":{"a":-5,"b":[true,null]},"mid":"x","zeta":1}"#
        );
        let members = [
            ("b".to_string(), Value::from(2)),
            ("a".to_string(), Value::from(1)),
        ];
        let mut out = Vec::new();
        write_object(members.iter().map(|(k, v)| (k, v)), &mut out).expect("ok");
        assert_eq!(out, br#"{"a":1,"b":2}"#);
    }

    #[test]
    fn escapes_strings_like_rfc8785() {
        let v = Value::from("q\"b\\s/\u{1}\n\t\u{7f}é😀");
        assert_eq!(canon(&v), "\"q\\\"b\\\\s/\\u0001\\n\\t\u{7f}é😀\"");
        // Same as serde_json's compact output for strings.
        assert_eq!(canon(&v), serde_json::to_string(&v).expect("ok"));
    }

    #[test]
    fn refuses_floats() {
        let mut out = Vec::new();
        assert_eq!(
            write_canonical(&serde_json::json!({"a": 1.5}), &mut out),
            Err(CanonicalError::Float)
        );
        assert!(parse_strict("1.0").is_err());
        assert!(parse_strict("1e3").is_err());
        assert!(parse_strict("18446744073709551616").is_err());
        assert_eq!(
            parse_strict("18446744073709551615").expect("u64"),
            Value::from(u64::MAX)
        );
        assert_eq!(parse_strict("-3").expect("i64"), Value::from(-3));
    }

    #[test]
    fn refuses_duplicate_keys_at_any_depth() {
        assert!(parse_strict(r#"{"a":1,"a":1}"#).is_err());
        assert!(parse_strict(r#"{"x":[{"a":1,"b":2,"a":3}]}"#).is_err());
        assert!(parse_strict(r#"{"a":1} {"b":2}"#).is_err());
        assert_eq!(
            parse_strict(r#" {"b":[1,"\u0041"],"a":{}} "#).expect("valid"),
            serde_json::json!({"a": {}, "b": [1, "A"]})
        );
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_value() {
        let v = serde_json::json!({"k": ["a", 1, -2, true, null, {"z": "\u{0}"}], "e": {}});
        let text = canon(&v);
        assert_eq!(parse_strict(&text).expect("parses"), v);
        assert_eq!(canon(&parse_strict(&text).expect("parses")), text);
    }
}
