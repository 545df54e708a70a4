use super::*;

/// The error for `text`, as (line, column, kind).
fn refused(text: &str) -> (usize, usize, PolicyErrorKind) {
    match PolicyDocument::parse(text) {
        Ok(doc) => panic!("accepted: {doc:?}"),
        Err(e) => (e.line, e.column, e.kind),
    }
}

/// A one-rule document with `body` inside `[[rule]]` (the rule header is line 2).
fn rule(body: &str) -> String {
    format!("format = 1\n[[rule]]\n{body}\n")
}

#[test]
fn the_default_document_parses_with_its_rules_in_order() {
    let doc = PolicyDocument::parse(PolicyDocument::default_document()).expect("default is valid");
    let names: Vec<&str> = doc.rules().iter().map(Rule::name).collect();
    assert_eq!(
        names,
        [
            "ssn-external-portal",
            "unscannable-external-portal",
            "bulk-identifiers-external-review",
            "phi-in-subject-hidden",
            "phi-external-verified-tls",
            "phi-internal-verified-tls",
            "unscannable-internal-verified-tls",
        ]
    );
    assert_eq!(
        doc.default_action(),
        &Action::DeliverVerifiedTls {
            otherwise: Fallback::Portal
        }
    );
    assert!(
        doc.description()
            .is_some_and(|d| d.contains("verified TLS"))
    );
    let first = &doc.rules()[0];
    let text = PolicyDocument::default_document();
    let line = text.lines().nth(first.line() - 1).expect("line exists");
    assert_eq!(line, "name = \"ssn-external-portal\"");
}

#[test]
fn every_commented_example_in_the_default_document_is_valid() {
    let text = PolicyDocument::default_document();
    let mut out = String::new();
    let mut in_example = false;
    let mut uncommented = 0;
    for line in text.lines() {
        if line == "# [[rule]]" {
            in_example = true;
            uncommented += 1;
        }
        if in_example && let Some(rest) = line.strip_prefix("# ") {
            out.push_str(rest);
        } else {
            in_example = false;
            out.push_str(line);
        }
        out.push('\n');
    }
    assert_eq!(uncommented, 4);
    let doc = PolicyDocument::parse(&out).expect("examples are valid");
    assert_eq!(doc.rules().len(), 11);
    let reject = doc
        .rules()
        .iter()
        .find(|r| r.name() == "oversize-reject")
        .expect("present");
    assert!(matches!(reject.action(), Some(Action::Reject { .. })));
}

#[test]
fn an_empty_document_is_valid_and_defaults_to_verified_tls_or_portal() {
    let doc = PolicyDocument::parse("").expect("empty is valid");
    assert!(doc.rules().is_empty());
    assert_eq!(
        doc.default_action(),
        &Action::DeliverVerifiedTls {
            otherwise: Fallback::Portal
        }
    );
}

#[test]
fn parses_every_action_and_flag() {
    let text = r#"
[default]
action = "quarantine"

[[rule]]
name = "a"
action = "deliver_verified_tls"
otherwise = "bounce"

[[rule]]
name = "b"
action = "deliver_any_tls"
stop = true

[[rule]]
name = "c"
action = "portal"
hide_subject = true

[[rule]]
name = "d"
action = "reject"
reject_reason = "Please send this through the secure portal."
notify_compliance = true

[[rule]]
name = "e"
action = "deliver_verified_tls"
otherwise = "hold"
"#;
    let doc = PolicyDocument::parse(text).expect("valid");
    assert_eq!(doc.default_action(), &Action::Quarantine);
    let r = doc.rules();
    assert_eq!(
        r[0].action(),
        Some(&Action::DeliverVerifiedTls {
            otherwise: Fallback::Bounce
        })
    );
    assert_eq!(r[0].line(), 6);
    assert_eq!(r[1].action(), Some(&Action::DeliverAnyTls));
    assert!(r[1].stop() && !r[1].hide_subject());
    assert_eq!(r[2].action(), Some(&Action::Portal));
    assert!(r[2].hide_subject() && !r[2].stop());
    assert_eq!(
        r[3].action(),
        Some(&Action::Reject {
            reason: "Please send this through the secure portal.".into()
        })
    );
    assert!(r[3].notify_compliance());
    assert_eq!(
        r[4].action(),
        Some(&Action::DeliverVerifiedTls {
            otherwise: Fallback::Hold
        })
    );
}

#[test]
fn parses_every_condition() {
    let text = r#"
[[rule]]
name = "all"
action = "portal"
[rule.when]
phi = true
phi_in_subject = false
categories = ["ssn", "MEMBER_ID", "SSN"]
min_score = 0.9
min_count = 3
recipient = "external"
recipient_domains = ["Payer.Example", "*.hospital.example"]
recipient_addresses = ["Claims@Payer.Example"]
senders = ["ehr@clinic.example"]
sender_domains = ["clinic.example"]
sender_groups = ["Billing"]
attachment_types = ["application/PDF", "image/*", ".ZIP"]
min_size_bytes = 0x10
max_size_bytes = 1_000_000
unscannable = true
unscannable_reasons = ["encrypted", "binary"]
"#;
    let doc = PolicyDocument::parse(text).expect("valid");
    let w = &doc.rules()[0].when;
    assert_eq!(w.phi, Some(true));
    assert_eq!(w.phi_in_subject, Some(false));
    let cat = w.categories.as_ref().expect("categories");
    assert_eq!(cat.labels, [Label::Ssn, Label::MemberId]);
    assert_eq!((cat.min_score, cat.min_count), (0.9, 3));
    assert_eq!(w.recipient, Some(Scope::External));
    let d = w.recipient_domains.as_ref().expect("domains");
    assert!(d.exact.contains("payer.example"));
    assert!(d.subdomains_of.contains("hospital.example"));
    assert!(
        w.recipient_addresses
            .as_ref()
            .expect("addresses")
            .expose()
            .contains("claims@payer.example")
    );
    assert!(
        w.senders
            .as_ref()
            .expect("senders")
            .expose()
            .contains("ehr@clinic.example")
    );
    assert_eq!(
        w.sender_groups.as_deref(),
        Some(&["billing".to_string()][..])
    );
    assert_eq!(
        w.attachment_types.as_deref(),
        Some(
            &[
                TypePattern::Mime("application/pdf".into()),
                TypePattern::MimePrefix("image/".into()),
                TypePattern::Extension("zip".into()),
            ][..]
        )
    );
    assert_eq!(w.min_size_bytes, Some(16));
    assert_eq!(w.max_size_bytes, Some(1_000_000));
    assert_eq!(w.unscannable, Some(true));
    assert_eq!(
        w.unscannable_reasons.as_deref(),
        Some(&["encrypted".to_string(), "binary".to_string()][..])
    );
}

#[test]
fn category_thresholds_default_to_the_dlp_phi_threshold_and_one() {
    let doc = PolicyDocument::parse(&rule(
        "name = \"a\"\naction = \"portal\"\nwhen.categories = [\"SSN\"]",
    ))
    .expect("valid");
    let cat = doc.rules()[0].when.categories.as_ref().expect("categories");
    assert_eq!((cat.min_score, cat.min_count), (dlp::PHI_THRESHOLD, 1));
}

#[test]
fn every_label_name_round_trips() {
    // Exhaustive on purpose: a new dlp label breaks this test until label_from_name knows it.
    fn all(l: Label) -> Label {
        match l {
            Label::Person
            | Label::Date
            | Label::Age
            | Label::Phone
            | Label::Fax
            | Label::Email
            | Label::Ssn
            | Label::Mrn
            | Label::MemberId
            | Label::Account
            | Label::License
            | Label::Vehicle
            | Label::Device
            | Label::Url
            | Label::Ip
            | Label::Address
            | Label::Zip
            | Label::OtherId
            | Label::Npi
            | Label::Dea
            | Label::Icd10
            | Label::Medication => l,
        }
    }
    let mut seen = 0;
    for name in LABEL_NAMES {
        let l = label_from_name(name).expect("known");
        assert_eq!(all(l).as_str(), name);
        assert_eq!(label_from_name(&name.to_ascii_lowercase()), Some(l));
        seen += 1;
    }
    assert_eq!(seen, 22);
    assert_eq!(label_from_name("SOCIAL"), None);
    assert_eq!(label_from_name(""), None);
    assert_eq!(label_from_name(&"S".repeat(10_000)), None);
}

// ── Errors: each kind, with its exact position ───────────────────────────────────────────────

#[test]
fn refuses_toml_syntax_errors_with_their_line() {
    let (line, col, kind) = refused("format = 1\n[[rule]]\nname = = \"a\"\n");
    assert_eq!((line, col), (3, 8));
    assert_eq!(
        kind,
        PolicyErrorKind::Syntax("extra `=`, expected nothing".into())
    );
    let (line, _, kind) = refused("format = 1\n[[rule]]\nname = \"a\nx");
    assert!(line == 3 || line == 4, "{line}");
    assert!(matches!(kind, PolicyErrorKind::Syntax(_)), "{kind:?}");
    let (line, _, kind) = refused("format = 1\nformat = 2\n");
    assert_eq!(line, 2);
    assert!(matches!(kind, PolicyErrorKind::Syntax(_)), "{kind:?}");
}

#[test]
fn refuses_unknown_keys_at_the_key() {
    assert_eq!(
        refused("format = 1\ncolour = \"red\"\n"),
        (
            2,
            1,
            PolicyErrorKind::UnknownKey {
                key: "colour".into(),
                table: "the document"
            }
        )
    );
    assert_eq!(
        refused(&rule("name = \"a\"\naction = \"portal\"\nacton = \"x\"")),
        (
            5,
            1,
            PolicyErrorKind::UnknownKey {
                key: "acton".into(),
                table: "[[rule]]"
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen = { phi = true, ph = false }"
        )),
        (
            5,
            22,
            PolicyErrorKind::UnknownKey {
                key: "ph".into(),
                table: "[rule.when]"
            }
        )
    );
    assert_eq!(
        refused("[default]\naction = \"portal\"\nelse = \"x\"\n"),
        (
            3,
            1,
            PolicyErrorKind::UnknownKey {
                key: "else".into(),
                table: "[default]"
            }
        )
    );
    // The first problem in the text is reported, not the first in key order.
    assert_eq!(
        refused("zzz = 1\naaa = 2\n").0,
        1,
        "keys are checked in document order"
    );
}

#[test]
fn refuses_unknown_category_names() {
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.categories = [\"SSN\", \"SOCIAL\"]"
        )),
        (
            5,
            27,
            PolicyErrorKind::UnknownCategory {
                name: "SOCIAL".into()
            }
        )
    );
}

#[test]
fn refuses_bad_actions_and_fallbacks() {
    assert_eq!(
        refused(&rule("name = \"a\"\naction = \"encrypt\"")),
        (
            4,
            10,
            PolicyErrorKind::UnknownAction {
                name: "encrypt".into()
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"deliver_verified_tls\"\notherwise = \"plain\""
        )),
        (
            5,
            13,
            PolicyErrorKind::UnknownFallback {
                name: "plain".into()
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\notherwise = \"hold\""
        )),
        (5, 13, PolicyErrorKind::OtherwiseWithoutVerifiedTls)
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nreject_reason = \"no\""
        )),
        (5, 17, PolicyErrorKind::ReasonWithoutReject)
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\nnotify_compliance = true\notherwise = \"hold\""
        )),
        (
            5,
            13,
            PolicyErrorKind::RequiresKey {
                key: "otherwise",
                needs: "action"
            }
        )
    );
    assert_eq!(
        refused(&rule("name = \"a\"\naction = \"reject\"")),
        (
            4,
            10,
            PolicyErrorKind::MissingKey {
                key: "reject_reason",
                table: "a rule with action = \"reject\""
            }
        )
    );
    assert_eq!(
        refused("[default]\notherwise = \"hold\"\n").2,
        PolicyErrorKind::RequiresKey {
            key: "otherwise",
            needs: "action"
        }
    );
    assert_eq!(
        refused("[default]\n"),
        (
            1,
            1,
            PolicyErrorKind::MissingKey {
                key: "action",
                table: "[default]"
            }
        )
    );
}

#[test]
fn refuses_phi_shaped_or_unprintable_reject_reasons() {
    let cases = [
        ("\"\"", "it is empty"),
        ("\"   \"", "it is empty"),
        (
            "\"Call 555-0100 ext 12\"",
            "it must not contain long numbers (they look like identifiers)",
        ),
        (
            "\"SSN 123-45-6789 found\"",
            "it must not contain long numbers (they look like identifiers)",
        ),
        (
            "\"ask jane@clinic.example\"",
            "it must not contain an e-mail address",
        ),
        ("\"line\\nbreak\"", "it must be printable ASCII on one line"),
        ("\"caf\u{e9}\"", "it must be printable ASCII on one line"),
    ];
    for (reason, problem) in cases {
        let text = rule(&format!(
            "name = \"a\"\naction = \"reject\"\nreject_reason = {reason}"
        ));
        assert_eq!(
            refused(&text),
            (5, 17, PolicyErrorKind::BadRejectReason { problem }),
            "{reason}"
        );
    }
    let long = format!("\"{}\"", "a".repeat(201));
    let text = rule(&format!(
        "name = \"a\"\naction = \"reject\"\nreject_reason = {long}"
    ));
    assert_eq!(
        refused(&text).2,
        PolicyErrorKind::BadRejectReason {
            problem: "it is longer than 200 characters"
        }
    );
    // Short numbers are fine ("25 MB").
    let ok =
        rule("name = \"a\"\naction = \"reject\"\nreject_reason = \"Over 25 MB; use the portal.\"");
    assert!(PolicyDocument::parse(&ok).is_ok());
}

#[test]
fn refuses_bad_domains_addresses_groups_and_types() {
    let base = "name = \"a\"\naction = \"portal\"\n";
    for bad in [
        "exa mple.org",
        "-bad.org",
        "*.*.org",
        "a@b.org",
        "*example.org",
        "",
    ] {
        let text = rule(&format!("{base}when.recipient_domains = [\"{bad}\"]"));
        assert_eq!(
            refused(&text),
            (5, 27, PolicyErrorKind::BadDomain { entry: bad.into() }),
            "{bad}"
        );
    }
    assert_eq!(
        refused(&rule(&format!(
            "{base}when.sender_domains = [\"ok.org\", \"b d\"]"
        ))),
        (
            5,
            34,
            PolicyErrorKind::BadDomain {
                entry: "b d".into()
            }
        )
    );
    assert_eq!(
        refused(&rule(&format!(
            "{base}when.recipient_addresses = [\"patient\"]"
        ))),
        (5, 29, PolicyErrorKind::BadAddress(AddressError::MissingAt))
    );
    assert_eq!(
        refused(&rule(&format!("{base}when.senders = [\"a b@x.org\"]"))),
        (5, 17, PolicyErrorKind::BadAddress(AddressError::BadLocal))
    );
    assert_eq!(
        refused(&rule(&format!("{base}when.sender_groups = [\"bill ing\"]"))),
        (
            5,
            23,
            PolicyErrorKind::BadGroup {
                entry: "bill ing".into()
            }
        )
    );
    for bad in ["application/", "/pdf", "a/b/c", "", ".", "x y", "image/**"] {
        let text = rule(&format!("{base}when.attachment_types = [\"{bad}\"]"));
        assert_eq!(
            refused(&text),
            (
                5,
                26,
                PolicyErrorKind::BadAttachmentType { entry: bad.into() }
            ),
            "{bad}"
        );
    }
    assert_eq!(
        refused(&rule(&format!(
            "{base}when.unscannable_reasons = [\"corrupt\"]"
        ))),
        (
            5,
            29,
            PolicyErrorKind::UnknownUnscannableReason {
                name: "corrupt".into()
            }
        )
    );
    assert_eq!(
        refused(&rule(&format!("{base}when.recipient = \"partner\""))),
        (
            5,
            18,
            PolicyErrorKind::UnknownScope {
                name: "partner".into()
            }
        )
    );
}

#[test]
fn refuses_bad_and_duplicate_rule_names_and_missing_names() {
    assert_eq!(
        refused(&rule("name = \"Has Space\"\naction = \"portal\"")),
        (
            3,
            8,
            PolicyErrorKind::BadRuleName {
                name: "Has Space".into()
            }
        )
    );
    assert_eq!(
        refused(&rule(&format!(
            "name = \"{}\"\naction = \"portal\"",
            "a".repeat(65)
        )))
        .2,
        PolicyErrorKind::BadRuleName {
            name: format!("{}...", "a".repeat(64))
        }
    );
    let text = "[[rule]]\nname = \"same\"\naction = \"portal\"\n\n[[rule]]\nname = \"other\"\n\
                action = \"portal\"\n\n[[rule]]\nname = \"same\"\naction = \"quarantine\"\n";
    assert_eq!(
        refused(text),
        (
            10,
            8,
            PolicyErrorKind::DuplicateRuleName {
                name: "same".into(),
                first_line: 2
            }
        )
    );
    let (line, _, kind) = refused("format = 1\n\n[[rule]]\naction = \"portal\"\n");
    assert_eq!(line, 3);
    assert_eq!(
        kind,
        PolicyErrorKind::MissingKey {
            key: "name",
            table: "[[rule]]"
        }
    );
}

#[test]
fn refuses_scores_counts_and_sizes_out_of_range() {
    let base = "name = \"a\"\naction = \"portal\"\nwhen.categories = [\"SSN\"]\n";
    for (v, shown) in [
        ("1.5", "1.5"),
        ("-0.1", "-0.1"),
        ("nan", "nan"),
        ("2", "2"),
        ("inf", "inf"),
    ] {
        assert_eq!(
            refused(&rule(&format!("{base}when.min_score = {v}"))),
            (
                6,
                18,
                PolicyErrorKind::ScoreOutOfRange {
                    key: "min_score".into(),
                    value: shown.into()
                }
            ),
            "{v}"
        );
    }
    assert!(PolicyDocument::parse(&rule(&format!("{base}when.min_score = 1"))).is_ok());
    assert!(PolicyDocument::parse(&rule(&format!("{base}when.min_score = 0.0"))).is_ok());
    assert_eq!(
        refused(&rule(&format!("{base}when.min_count = 0"))),
        (
            6,
            6,
            PolicyErrorKind::IntegerOutOfRange {
                key: "min_count".into(),
                min: 1,
                max: u64::from(u32::MAX)
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.min_size_bytes = -1"
        ))
        .2,
        PolicyErrorKind::IntegerOutOfRange {
            key: "min_size_bytes".into(),
            min: 0,
            max: i64::MAX.unsigned_abs()
        }
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen = { min_size_bytes = 10, max_size_bytes = 5 }"
        ))
        .2,
        PolicyErrorKind::EmptySizeRange
    );
    assert_eq!(
        refused("format = 2\n"),
        (1, 10, PolicyErrorKind::UnsupportedFormat("2".into()))
    );
}

#[test]
fn refuses_thresholds_without_categories() {
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.min_score = 0.5"
        )),
        (
            5,
            6,
            PolicyErrorKind::RequiresKey {
                key: "min_score",
                needs: "categories"
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.min_count = 2"
        ))
        .2,
        PolicyErrorKind::RequiresKey {
            key: "min_count",
            needs: "categories"
        }
    );
}

#[test]
fn refuses_wrong_types_and_empty_lists() {
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.phi = \"yes\""
        )),
        (
            5,
            12,
            PolicyErrorKind::WrongType {
                key: "phi".into(),
                expected: "true or false",
                found: "string"
            }
        )
    );
    assert_eq!(
        refused(&rule("name = 7\naction = \"portal\"")).2,
        PolicyErrorKind::WrongType {
            key: "name".into(),
            expected: "a string",
            found: "integer"
        }
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.categories = [\"SSN\", 1]"
        )),
        (
            5,
            27,
            PolicyErrorKind::WrongType {
                key: "categories".into(),
                expected: "a list of strings",
                found: "integer"
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen = \"always\""
        ))
        .2,
        PolicyErrorKind::WrongType {
            key: "when".into(),
            expected: "a table",
            found: "string"
        }
    );
    assert_eq!(
        refused("rule = \"x\"\n").2,
        PolicyErrorKind::WrongType {
            key: "rule".into(),
            expected: "an array of tables ([[rule]])",
            found: "string"
        }
    );
    assert_eq!(
        refused("rule = [1]\n"),
        (
            1,
            9,
            PolicyErrorKind::WrongType {
                key: "rule".into(),
                expected: "a table",
                found: "integer"
            }
        )
    );
    assert_eq!(
        refused(&rule(
            "name = \"a\"\naction = \"portal\"\nwhen.recipient_domains = []"
        )),
        (
            5,
            26,
            PolicyErrorKind::EmptyList {
                key: "recipient_domains".into()
            }
        )
    );
}

#[test]
fn refuses_rules_that_do_nothing() {
    assert_eq!(
        refused(&rule("name = \"idle\"\nwhen.phi = true\nstop = false")),
        (
            2,
            1,
            PolicyErrorKind::RuleDoesNothing {
                name: "idle".into()
            }
        )
    );
    for flag in ["notify_compliance", "hide_subject", "stop"] {
        let ok = rule(&format!("name = \"a\"\n{flag} = true"));
        assert!(PolicyDocument::parse(&ok).is_ok(), "{flag}");
    }
}

// ── Limits ─────────────────────────────────────────────────────────────────────────────────────

#[test]
fn enforces_the_document_size_limit() {
    let mut text = String::from("format = 1\n");
    while text.len() <= MAX_DOCUMENT_BYTES {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let (line, _, kind) = refused(&text);
    assert_eq!(
        kind,
        PolicyErrorKind::TooLarge {
            size: text.len(),
            limit: MAX_DOCUMENT_BYTES
        }
    );
    assert!(line > 1000, "{line}");
    text.truncate(MAX_DOCUMENT_BYTES);
    let cut = text.rfind('\n').expect("has lines");
    text.truncate(cut + 1);
    assert!(PolicyDocument::parse(&text).is_ok());
}

#[test]
fn enforces_the_rule_count_limit() {
    let one = |i: usize| format!("[[rule]]\nname = \"r{i}\"\nstop = false\nhide_subject = true\n");
    let ok: String = (0..MAX_RULES).map(one).collect();
    assert_eq!(
        PolicyDocument::parse(&ok).expect("500 rules").rules().len(),
        MAX_RULES
    );
    let too_many: String = (0..=MAX_RULES).map(one).collect();
    assert_eq!(
        refused(&too_many),
        (
            4 * MAX_RULES + 1,
            1,
            PolicyErrorKind::TooManyRules { limit: MAX_RULES }
        )
    );
}

#[test]
fn enforces_the_list_length_limit() {
    let list = |n: usize| {
        let entries: Vec<String> = (0..n).map(|i| format!("\"d{i}.example\"")).collect();
        rule(&format!(
            "name = \"a\"\naction = \"portal\"\nwhen.recipient_domains = [{}]",
            entries.join(",")
        ))
    };
    assert!(PolicyDocument::parse(&list(MAX_LIST_ENTRIES)).is_ok());
    assert_eq!(
        refused(&list(MAX_LIST_ENTRIES + 1)),
        (
            5,
            26,
            PolicyErrorKind::ListTooLong {
                key: "recipient_domains".into(),
                len: MAX_LIST_ENTRIES + 1,
                limit: MAX_LIST_ENTRIES
            }
        )
    );
}

#[test]
fn enforces_string_length_limits() {
    let text = format!(
        "description = \"{}\"\n",
        "x".repeat(MAX_DESCRIPTION_CHARS + 1)
    );
    assert_eq!(
        refused(&text),
        (
            1,
            15,
            PolicyErrorKind::StringTooLong {
                key: "description".into(),
                limit: MAX_DESCRIPTION_CHARS
            }
        )
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("x = {}", "[".repeat(100_000));
    assert!(matches!(refused(&text).2, PolicyErrorKind::Syntax(_)));
    let text = format!("x = {}", "{ a = ".repeat(20_000));
    assert!(matches!(refused(&text).2, PolicyErrorKind::Syntax(_)));
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────

#[test]
fn line_col_counts_lines_and_characters() {
    assert_eq!(line_col("", 0), (1, 1));
    assert_eq!(line_col("ab\ncd", 4), (2, 2));
    assert_eq!(line_col("é\né x", 5), (2, 2));
    assert_eq!(line_col("ab", 99), (1, 3));
}

#[test]
fn errors_quote_document_text_on_one_escaped_line() {
    let (_, _, kind) = refused("[[rule]]\nname = \"a\"\naction = \"x\\ny\\u001b[31m\"\n");
    let msg = kind.to_string();
    assert_eq!(
        msg,
        "unknown action `x\\ny\\u{1b}[31m` (expected deliver_verified_tls, deliver_any_tls, \
         portal, quarantine or reject)"
    );
    assert!(clip(&"z".repeat(100)).ends_with("..."));
    let e = PolicyDocument::parse("colour = 1").expect_err("refused");
    assert_eq!(
        e.to_string(),
        "line 1, column 1: unknown key `colour` in the document"
    );
}

#[test]
fn address_errors_never_quote_the_address() {
    let e = PolicyDocument::parse(&rule(
        "name = \"a\"\naction = \"portal\"\nwhen.recipient_addresses = [\"jane..doe@x.org\"]",
    ))
    .expect_err("refused");
    assert!(!e.to_string().contains("jane"), "{e}");
}

#[test]
fn debug_of_a_document_never_prints_listed_addresses() {
    let doc = PolicyDocument::parse(&rule(
        "name = \"a\"\naction = \"portal\"\nwhen = { recipient_addresses = [\"jane.patient@mail.example\"], senders = [\"dr.who@clinic.example\"] }",
    ))
    .expect("valid");
    let dbg = format!("{doc:?}");
    assert!(
        !dbg.contains("jane.patient") && !dbg.contains("dr.who"),
        "{dbg}"
    );
    assert!(dbg.contains("[redacted]"), "{dbg}");
}
