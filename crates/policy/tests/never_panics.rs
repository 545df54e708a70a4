//! Property tests: the parser never panics on any input (arbitrary text, TOML-shaped text and
//! mutations of the shipped document), evaluation never panics on any facts, and the default
//! policy's safety properties hold for every copy.

use dlp::Label;
use model::EmailAddress;
use policy::{Action, CategoryHit, CopyFacts, Fallback, Policy, PolicyDocument};
use proptest::prelude::*;

const LABELS: [Label; 8] = [
    Label::Ssn,
    Label::Mrn,
    Label::MemberId,
    Label::Account,
    Label::Person,
    Label::Date,
    Label::Npi,
    Label::Medication,
];

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid test address")
}

fn facts_strategy() -> impl Strategy<Value = CopyFacts> {
    let cats = prop::collection::vec(
        (
            prop::sample::select(&LABELS[..]),
            0u32..40,
            prop::num::f32::ANY,
        ),
        0..5,
    );
    let words = prop::collection::vec(
        prop::sample::select(vec![
            "encrypted",
            "binary",
            "too_large",
            "weird",
            "",
            "zip",
            ".pdf",
            "application/pdf",
            "image/png",
            "billing",
            "strict",
        ]),
        0..4,
    );
    (
        cats,
        any::<bool>(),
        any::<bool>(),
        words.clone(),
        words.clone(),
        any::<u64>(),
        words,
        prop::sample::select(vec![
            "a@clinic.example",
            "claims@clearinghouse.example",
            "x@mail.example",
            "y@deep.sub.partner.example",
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(cats, phi, phi_in_subject, unscannable, types, size, groups, rcpt, internal)| {
                CopyFacts {
                    categories: cats
                        .into_iter()
                        .map(|(label, count, max_score)| CategoryHit {
                            label,
                            count,
                            max_score,
                        })
                        .collect(),
                    phi,
                    phi_in_subject,
                    unscannable: unscannable.into_iter().map(String::from).collect(),
                    attachment_types: types.into_iter().map(String::from).collect(),
                    size_bytes: size,
                    sender: addr("sender@clinic.example"),
                    sender_groups: groups.into_iter().map(String::from).collect(),
                    recipient: addr(rcpt),
                    recipient_internal: internal,
                }
            },
        )
}

/// Edits applied to the shipped document: (position fraction, length, replacement snippet).
fn mutated_default() -> impl Strategy<Value = String> {
    let snippet = prop::sample::select(vec![
        "",
        "=",
        "\"",
        "[",
        "]]",
        "{",
        "}",
        ",",
        "\n",
        "[[rule]]\n",
        "name = \"ssn-external-portal\"\n",
        "action = \"reject\"\n",
        "reject_reason = \"1234\"\n",
        "otherwise = \"hold\"\n",
        "when = {}\n",
        "categories = []",
        "min_score = 7",
        "min_count = -1",
        "recipient_domains = [\"*.\"]",
        "x.y.z = 1\n",
        "\u{0}",
        "é",
        "🦀",
        "0x7fffffffffffffffff",
        "1e999",
        "nan",
        "[default]\n",
        "stop = true\n",
    ]);
    let edit = (0.0f64..=1.0, 0usize..40, snippet);
    prop::collection::vec(edit, 1..6).prop_map(|edits| {
        let mut chars: Vec<char> = PolicyDocument::default_document().chars().collect();
        for (at, len, with) in edits {
            // Truncation is intended: a fraction of the length picks a position.
            let start = ((chars.len() as f64) * at) as usize;
            let start = start.min(chars.len());
            let end = (start + len).min(chars.len());
            chars.splice(start..end, with.chars());
        }
        chars.into_iter().collect()
    })
}

/// Line-level edits that mostly keep the TOML well-formed, so the semantic checks are exercised:
/// replace a value or a key, delete or duplicate a line, or insert a line.
fn line_mutated_default() -> impl Strategy<Value = String> {
    let values = prop::sample::select(vec![
        "\"portal\"",
        "\"reject\"",
        "\"hold\"",
        "\"deliver_any_tls\"",
        "\"quarantine\"",
        "\"bogus\"",
        "\"\"",
        "\"Use the portal.\"",
        "\"call 5550100\"",
        "\"a@b.example\"",
        "true",
        "false",
        "1",
        "0",
        "-3",
        "1.5",
        "0.75",
        "nan",
        "0x10",
        "[]",
        "[1, 2]",
        "[\"SSN\", \"FOO\"]",
        "[\"*.x.example\", \"bad domain\"]",
        "[\"a@b.example\", \"nope\"]",
        "[\"image/*\", \"a/b/c\"]",
        "{ phi = true }",
        "{ categories = [\"SSN\"], min_count = 0 }",
        "{ min_size_bytes = 9, max_size_bytes = 1 }",
        "{ min_score = 0.5 }",
        "{}",
    ]);
    let keys = prop::sample::select(vec![
        "name",
        "action",
        "otherwise",
        "reject_reason",
        "stop",
        "hide_subject",
        "notify_compliance",
        "when",
        "when.phi",
        "when.categories",
        "when.min_score",
        "when.recipient_domains",
        "description",
        "format",
        "bogus",
    ]);
    let edit = (0.0f64..=1.0, 0u8..5, keys, values);
    prop::collection::vec(edit, 1..4).prop_map(|edits| {
        let mut lines: Vec<String> = PolicyDocument::default_document()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(String::from)
            .collect();
        for (at, op, key, value) in edits {
            // Truncation is intended: a fraction of the length picks a line.
            let i = (((lines.len() as f64) * at) as usize).min(lines.len().saturating_sub(1));
            let Some(line) = lines.get(i).cloned() else {
                continue;
            };
            match op {
                0 => {
                    if let Some((k, _)) = line.split_once(" = ") {
                        lines[i] = format!("{k} = {value}");
                    }
                }
                1 => {
                    if let Some((_, v)) = line.split_once(" = ") {
                        lines[i] = format!("{key} = {v}");
                    }
                }
                2 => {
                    lines.remove(i);
                }
                3 => lines.insert(i, line),
                _ => lines.insert(i, format!("{key} = {value}")),
            }
        }
        lines.join("\n")
    })
}

fn check(text: &str, facts: &[CopyFacts]) {
    match PolicyDocument::parse(text) {
        Ok(doc) => {
            let p = Policy::new(doc, 9);
            for f in facts {
                let d = p.evaluate(f);
                assert_eq!(d.version, 9);
                let _ = d.explain();
            }
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1);
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "one line: {msg:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        check(&text, &[]);
    }

    #[test]
    fn parse_never_panics_on_toml_shaped_text(
        text in "([a-z_.*]{0,12}|\\[\\[rule\\]\\]|\\[default\\]|when|name|action|\"[a-zA-Z0-9@.* _-]{0,10}\"|[0-9.e+-]{1,6}|[=\\[\\]{},\n #])*"
    ) {
        check(&text, &[]);
    }

    #[test]
    fn parse_never_panics_on_mutated_default_documents(
        text in mutated_default(),
        facts in prop::collection::vec(facts_strategy(), 1..4),
    ) {
        check(&text, &facts);
    }

    #[test]
    fn parse_never_panics_on_line_edits_of_the_default_document(
        text in line_mutated_default(),
        facts in prop::collection::vec(facts_strategy(), 1..4),
    ) {
        check(&text, &facts);
    }

    #[test]
    fn the_default_policy_never_sends_external_phi_without_verified_tls(f in facts_strategy()) {
        let p = Policy::new(
            PolicyDocument::parse(PolicyDocument::default_document()).expect("valid"),
            1,
        );
        let d = p.evaluate(&f);
        if f.phi_in_subject {
            prop_assert!(d.hide_subject);
        }
        if (f.phi || !f.unscannable.is_empty()) && !f.recipient_internal {
            prop_assert!(
                matches!(
                    d.action,
                    Action::DeliverVerifiedTls { otherwise: Fallback::Portal }
                        | Action::Portal
                        | Action::Quarantine
                ),
                "{:?}",
                d.action
            );
        }
        if f.phi || !f.unscannable.is_empty() {
            prop_assert_ne!(&d.action, &Action::DeliverAnyTls);
        }
        let ssn = f
            .categories
            .iter()
            .any(|c| c.label == Label::Ssn && c.count >= 1 && c.max_score >= dlp::PHI_THRESHOLD);
        if ssn && !f.recipient_internal {
            prop_assert!(matches!(d.action, Action::Portal | Action::Quarantine), "{:?}", d.action);
        }
    }
}
