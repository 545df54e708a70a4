//! Identifiers in machine-made text pasted into mail: HL7 v2 segments and JSON records.
//!
//! An analyst forwards a failed interface message, a developer pastes an API response: the
//! patient's identifiers sit in fields whose position (HL7) or key (JSON) says what they are,
//! with no words around them for the prose rules to read. Both passes are gated by a cheap
//! search (`PID|`-style segment starts, `":`), so mail without such text pays one `memmem`
//! each.

use crate::rules::{column_label, push};
use crate::{Cand, Label};

/// The fields of an HL7 v2 segment that hold a patient's (or next of kin's, or insured's)
/// identifiers: (segment, field number, label). Field numbers count from the segment name
/// (`PID|1|...`: field 1 is `1`). Components of names and addresses stay in one span.
const HL7_FIELDS: &[(&[u8; 3], usize, Label)] = &[
    (b"PID", 2, Label::Mrn),
    // PID-3, the identifier list, is read per repetition (see `hl7_identifiers`).
    (b"PID", 4, Label::Mrn),
    (b"PID", 5, Label::Person),
    (b"PID", 6, Label::Person),
    (b"PID", 7, Label::Date),
    (b"PID", 9, Label::Person),
    (b"PID", 11, Label::Address),
    (b"PID", 13, Label::Phone),
    (b"PID", 14, Label::Phone),
    (b"PID", 18, Label::Account),
    (b"PID", 19, Label::Ssn),
    (b"PID", 20, Label::License),
    (b"NK1", 2, Label::Person),
    (b"NK1", 4, Label::Address),
    (b"NK1", 5, Label::Phone),
    (b"NK1", 6, Label::Phone),
    (b"PV1", 19, Label::OtherId),
    (b"ORC", 2, Label::OtherId),
    (b"ORC", 3, Label::OtherId),
    (b"OBR", 2, Label::OtherId),
    (b"OBR", 3, Label::OtherId),
    (b"OBR", 7, Label::Date),
    (b"IN1", 16, Label::Person),
    (b"IN1", 18, Label::Date),
    (b"IN1", 19, Label::Address),
    (b"IN1", 36, Label::MemberId),
    (b"IN1", 49, Label::MemberId),
];

/// Every HL7 v2 segment line (`PID|`, `NK1|`, `PV1|`, `ORC|`, `OBR|`, `IN1|` at a line start)
/// labels its identifier fields. Linear: each line is split once.
pub(crate) fn hl7_segments(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // The gate: a patient segment must be there for any of it to be a pasted message (a `|`
    // first: a one-byte search is the cheaper pass over prose).
    if memchr::memchr(b'|', b).is_none() || memchr::memmem::find(b, b"PID|").is_none() {
        return;
    }
    let mut ls = 0;
    while ls < b.len() {
        let le = memchr::memchr2(b'\n', b'\r', &b[ls..]).map_or(b.len(), |i| ls + i);
        let line = &b[ls..le];
        if line.len() > 4 && line[3] == b'|' {
            let seg = &line[..3];
            if HL7_FIELDS.iter().any(|(s, _, _)| &s[..] == seg) {
                hl7_line(text, ls, le, seg, out);
            }
        }
        ls = le + 1;
    }
}

/// One segment line `text[ls..le]` whose name is `seg`.
fn hl7_line(text: &str, ls: usize, le: usize, seg: &[u8], out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut field = 0;
    let mut fs = ls + 4;
    while fs <= le {
        field += 1;
        let fe = memchr::memchr(b'|', &b[fs..le]).map_or(le, |i| fs + i);
        if fe > fs {
            if seg == b"PID" && field == 3 {
                hl7_identifiers(text, fs, fe, out);
            } else if let Some(&(_, _, label)) = HL7_FIELDS
                .iter()
                .find(|(s, f, _)| &s[..] == seg && *f == field)
            {
                hl7_field(text, fs, fe, label, out);
            }
        }
        fs = fe + 1;
    }
}

/// A field's first repetition, as one span: a name's components together ("NAKAMURA^KENJI^T"),
/// an address's street to state with the ZIP apart, an identifier without its check digit and
/// assigning authority.
fn hl7_field(text: &str, fs: usize, fe: usize, label: Label, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let fe = memchr::memchr(b'~', &b[fs..fe]).map_or(fe, |i| fs + i);
    let comps = component_bounds(b, fs, fe);
    let why = "HL7 v2 field that holds a patient identifier";
    match label {
        Label::Address => {
            // street ^ other ^ city ^ state ^ zip ^ country
            let Some(&(s0, _)) = comps.first() else {
                return;
            };
            let end = comps
                .iter()
                .take(4)
                .rev()
                .find(|(s, e)| e > s)
                .map(|&(_, e)| e);
            if let Some(e0) = end.filter(|&e| e > s0) {
                push(out, Some(Label::Address), s0, e0, 0.95, "hl7.field", why);
            }
            if let Some(&(zs, ze)) = comps.get(4).filter(|(s, e)| e > s) {
                push(out, Some(Label::Zip), zs, ze, 0.95, "hl7.field", why);
            }
        }
        Label::Person => {
            let end = comps.iter().rev().find(|(s, e)| e > s).map(|&(_, e)| e);
            if let Some(e) = end.filter(|&e| e > fs) {
                push(out, Some(label), fs, e, 0.95, "hl7.field", why);
            }
        }
        _ => {
            // The value is the first component (an identifier's `^check^^authority^type`
            // and a phone's `^PRN^PH` follow it).
            let Some(&(s0, e0)) = comps.first().filter(|(s, e)| e > s) else {
                return;
            };
            if b[s0..e0].iter().any(u8::is_ascii_digit) {
                push(out, Some(label), s0, e0, 0.95, "hl7.field", why);
            }
        }
    }
}

/// PID-3: each repetition's ID, labelled by its identifier type (component 5).
fn hl7_identifiers(text: &str, fs: usize, fe: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut rs = fs;
    while rs < fe {
        let re = memchr::memchr(b'~', &b[rs..fe]).map_or(fe, |i| rs + i);
        let comps = component_bounds(b, rs, re);
        if let Some(&(s0, e0)) = comps.first().filter(|(s, e)| e > s) {
            let kind = comps.get(4).map_or(&b""[..], |&(s, e)| &b[s..e]);
            let label = match kind {
                b"SS" => Label::Ssn,
                b"AN" => Label::Account,
                b"DL" => Label::License,
                // Health card, member, Medicare/Medicaid numbers.
                b"HC" | b"MB" | b"MC" | b"MA" | b"MI" | b"SN" => Label::MemberId,
                _ => Label::Mrn,
            };
            let why = "HL7 v2 patient identifier list entry";
            push(out, Some(label), s0, e0, 0.95, "hl7.identifier", why);
        }
        rs = re + 1;
    }
}

/// The `^`-separated components of `b[fs..fe]`, as byte ranges (at most 8: no field this module
/// reads goes further).
fn component_bounds(b: &[u8], fs: usize, fe: usize) -> Vec<(usize, usize)> {
    let mut comps = Vec::with_capacity(6);
    let mut cs = fs;
    while cs <= fe && comps.len() < 8 {
        let ce = memchr::memchr(b'^', &b[cs..fe]).map_or(fe, |i| cs + i);
        comps.push((cs, ce));
        cs = ce + 1;
    }
    comps
}

/// JSON keys of a patient record ("family", "given", "city") that a table heading would not
/// use, with their labels; other keys go through [`column_label`] like table headings.
fn json_key_label(key: &str) -> Option<Label> {
    let k = key.to_ascii_lowercase();
    Some(match k.as_str() {
        "family" | "given" | "firstname" | "lastname" | "fullname" | "first name" | "last name" => {
            Label::Person
        }
        "line" | "city" | "street" | "address1" | "addressline1" => Label::Address,
        "postalcode" | "postal code" => Label::Zip,
        "birthdate" | "dateofbirth" => Label::Date,
        "guarantoraccount" | "accountnumber" => Label::Account,
        "memberid" | "subscriberid" => Label::MemberId,
        _ => return column_label(key),
    })
}

/// `"key": "value"` pairs (and `"key": 123`) in a pasted JSON record: a value under a key that
/// names an identifier is labelled, but only when the record has a key only a patient record
/// has (MRN, SSN, date of birth, member ID, ...): a clinic's `"phone"` in a directory export is
/// not a patient's.
pub(crate) fn json_fields(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // The gate: a record has braces (a one-byte search, the cheaper pass over prose) and a
    // quoted key.
    if memchr::memchr(b'{', b).is_none() {
        return;
    }
    let finder = memchr::memmem::Finder::new(b"\":");
    if finder.find(b).is_none() {
        return;
    }
    // (value start, value end, label) for each recognised pair.
    let mut pairs: Vec<(usize, usize, Label)> = Vec::new();
    let mut patient_only = false;
    for colon in finder.find_iter(b) {
        // The key: back from the closing quote to its opening quote, at most 32 bytes.
        let from = colon.saturating_sub(33);
        let Some(open) = memchr::memrchr(b'"', &b[from..colon]).map(|i| from + i) else {
            continue;
        };
        let Some(key) = text.get(open + 1..colon) else {
            continue;
        };
        let Some(label) = json_key_label(key) else {
            continue;
        };
        // The value: spaces, then a string or a bare number.
        let mut vs = colon + 2;
        while b.get(vs).is_some_and(|&c| c == b' ' || c == b'\t') {
            vs += 1;
        }
        let (vs, ve) = match b.get(vs) {
            Some(b'"') => {
                let Some(close) = memchr::memchr(b'"', &b[vs + 1..]) else {
                    continue;
                };
                (vs + 1, vs + 1 + close)
            }
            Some(c) if c.is_ascii_digit() || *c == b'+' => {
                let len = b[vs..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == b'+')
                    .count();
                (vs, vs + len)
            }
            _ => continue,
        };
        if ve <= vs || ve - vs > 80 || !text.is_char_boundary(vs) || !text.is_char_boundary(ve) {
            continue;
        }
        patient_only |= matches!(
            label,
            Label::Mrn | Label::Ssn | Label::MemberId | Label::Date | Label::Account
        );
        pairs.push((vs, ve, label));
    }
    if !patient_only {
        return;
    }
    for (vs, ve, label) in pairs {
        let v = &b[vs..ve];
        let digits = v.iter().any(u8::is_ascii_digit);
        let ok = match label {
            Label::Person | Label::Address => v.iter().any(u8::is_ascii_alphabetic),
            Label::Email => v.contains(&b'@'),
            _ => digits,
        };
        if ok {
            let why = "JSON value under an identifier key in a patient record";
            push(out, Some(label), vs, ve, 0.9, "json.field", why);
        }
    }
}
