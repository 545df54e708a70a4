//! The disclosure headers: a sender (usually an EHR integration) names the patient a
//! message is about and the purpose of the disclosure in two headers. Intake records them
//! for the accounting of disclosures (HIPAA 164.528) and removes them before the message
//! is sealed, so they never leave carepost.
//!
//! The patient identifier is PHI: it is kept only as a keyed hash (`audit::keyed_hash`,
//! normalised by [`patient_ref`]); the purpose is reduced to one of [`PURPOSES`].

use audit::KeyedHashKey;

/// Purposes recorded as such; anything else is recorded as `other`.
pub const PURPOSES: &[&str] = &[
    "treatment",
    "payment",
    "operations",
    "patient-request",
    "public-health",
    "research",
    "legal",
    "other",
];

/// Most patient references recorded per message (the audit schema's array limit).
pub const MAX_PATIENT_REFS: usize = 32;

/// The keyed hash that stands for a patient identifier: case and inner spacing do not
/// matter (`mrn 00123` = `MRN  00123`), surrounding space is ignored.
pub fn patient_ref(key: &KeyedHashKey, identifier: &str) -> String {
    let normalised: Vec<String> = identifier
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    audit::keyed_hash(key, normalised.join(" ").as_bytes())
}

/// A purpose token from a header value.
pub fn purpose(value: &str) -> &'static str {
    let v = value.trim().to_ascii_lowercase();
    PURPOSES
        .iter()
        .find(|p| **p == v)
        .copied()
        .unwrap_or("other")
}

/// Remove every field named `name` (any case) from the header section of `data`, with its
/// folded continuation lines. Returns the message without them (`None` if there were
/// none, to avoid a copy) and the unfolded values.
pub fn take_header(data: &[u8], name: &str) -> (Option<Vec<u8>>, Vec<String>) {
    let mut values = Vec::new();
    let mut out: Vec<u8> = Vec::new();
    let mut removing = false;
    let mut found = false;
    let mut pos = 0;
    while pos < data.len() {
        let end = memchr_newline(&data[pos..]).map_or(data.len(), |i| pos + i + 1);
        let line = &data[pos..end];
        let content = trim_eol(line);
        if content.is_empty() {
            // End of the header section: copy the rest as is.
            if found {
                out.extend_from_slice(&data[pos..]);
            }
            break;
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if continuation && removing {
            if let Some(last) = values.last_mut() {
                let last: &mut String = last;
                last.push(' ');
                last.push_str(String::from_utf8_lossy(content).trim());
            }
        } else if !continuation && is_field(content, name) {
            removing = true;
            if !found {
                found = true;
                out.extend_from_slice(&data[..pos]);
            }
            let value = &content[name.len() + 1..];
            values.push(String::from_utf8_lossy(value).trim().to_string());
        } else {
            removing = false;
            if found {
                out.extend_from_slice(line);
            }
        }
        pos = end;
    }
    (found.then_some(out), values)
}

fn is_field(line: &[u8], name: &str) -> bool {
    line.len() > name.len()
        && line[name.len()] == b':'
        && line[..name.len()].eq_ignore_ascii_case(name.as_bytes())
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_every_instance_with_its_continuation_lines() {
        let data = b"From: a@example.org\r\nX-Carepost-Patient: MRN\r\n 00123\r\nSubject: hi\r\nx-carepost-patient: 777\r\n\r\nX-Carepost-Patient: body text stays\r\n";
        let (stripped, values) = take_header(data, "X-Carepost-Patient");
        assert_eq!(values, vec!["MRN 00123".to_string(), "777".to_string()]);
        assert_eq!(
            stripped.expect("found"),
            b"From: a@example.org\r\nSubject: hi\r\n\r\nX-Carepost-Patient: body text stays\r\n"
                .to_vec()
        );
        let (none, values) = take_header(b"Subject: x\r\n\r\nbody", "X-Carepost-Patient");
        assert!(none.is_none() && values.is_empty());
        // A longer field name that starts the same is not this field.
        let (none, _) = take_header(b"X-Carepost-Patients: 1\r\n\r\n", "X-Carepost-Patient");
        assert!(none.is_none());
    }

    #[test]
    fn references_ignore_case_and_spacing_and_purposes_are_closed() {
        let key = KeyedHashKey::new(&[7u8; 32]).expect("key");
        assert_eq!(
            patient_ref(&key, " MRN  00123 "),
            patient_ref(&key, "mrn 00123")
        );
        assert_ne!(
            patient_ref(&key, "mrn 00123"),
            patient_ref(&key, "mrn 00124")
        );
        assert!(audit::is_token(&patient_ref(&key, "Jane Doe")));
        assert_eq!(purpose(" Treatment "), "treatment");
        assert_eq!(purpose("marketing to Jane"), "other");
    }
}
