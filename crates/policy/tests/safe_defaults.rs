//! The shipped default policy, through the public API: the issue's three safe defaults and the
//! rest of what a compliance officer expects from it. Each property has its good and bad case.

use dlp::Label;
use model::EmailAddress;
use policy::{Action, CategoryHit, CopyFacts, Decision, Fallback, Policy, PolicyDocument};

fn default_policy() -> Policy {
    Policy::new(
        PolicyDocument::parse(PolicyDocument::default_document()).expect("default is valid"),
        1,
    )
}

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid test address")
}

fn clean(internal: bool) -> CopyFacts {
    CopyFacts {
        categories: Vec::new(),
        phi: false,
        phi_in_subject: false,
        unscannable: Vec::new(),
        attachment_types: Vec::new(),
        size_bytes: 20_000,
        sender: addr("scheduler@clinic.example"),
        sender_groups: vec!["front-desk".into()],
        recipient: if internal {
            addr("nurse@clinic.example")
        } else {
            addr("someone@mail.example")
        },
        recipient_internal: internal,
    }
}

fn with_phi(internal: bool, categories: &[(Label, u32)]) -> CopyFacts {
    let mut f = clean(internal);
    f.phi = true;
    f.categories = categories
        .iter()
        .map(|&(label, count)| CategoryHit {
            label,
            count,
            max_score: 0.95,
        })
        .collect();
    f
}

fn fired(d: &Decision) -> Vec<&str> {
    d.fired.iter().map(|r| r.name.as_str()).collect()
}

const VERIFIED_OR_PORTAL: Action = Action::DeliverVerifiedTls {
    otherwise: Fallback::Portal,
};

#[test]
fn phi_to_an_external_recipient_goes_over_verified_tls_or_to_the_portal() {
    let p = default_policy();
    let d = p.evaluate(&with_phi(false, &[(Label::Person, 1), (Label::Date, 1)]));
    assert_eq!(d.action, VERIFIED_OR_PORTAL);
    assert_eq!(d.decided_by.as_deref(), Some("phi-external-verified-tls"));
    assert_eq!(fired(&d), ["phi-external-verified-tls"]);
    assert_eq!(d.version, 1);
    // The same message without PHI fires no rule and takes the default, which is just as
    // strict: the detector's recall is high, not perfect.
    let d = p.evaluate(&clean(false));
    assert_eq!(d.action, VERIFIED_OR_PORTAL);
    assert!(fired(&d).is_empty(), "{:?}", fired(&d));
    // Uncommenting the shipped clean-any-tls example relaxes clean mail only.
    let relaxed = uncomment(
        PolicyDocument::default_document(),
        "# name = \"clean-any-tls\"",
        3,
    );
    let p = Policy::new(PolicyDocument::parse(&relaxed).expect("valid"), 2);
    let d = p.evaluate(&clean(false));
    assert_eq!(d.action, Action::DeliverAnyTls);
    assert_eq!(fired(&d), ["clean-any-tls"]);
    let d = p.evaluate(&with_phi(false, &[(Label::Person, 1), (Label::Date, 1)]));
    assert_eq!(d.action, VERIFIED_OR_PORTAL);
}

/// `text` with the commented block around `marker` (its `[[rule]]` line before it and
/// `after` lines after it) uncommented.
fn uncomment(text: &str, marker: &str, after: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == marker)
        .expect("example present");
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = if (at - 1..=at + after).contains(&i) {
                l.strip_prefix("# ").expect("commented example line")
            } else {
                l
            };
            format!("{l}\n")
        })
        .collect()
}

#[test]
fn ssns_to_an_external_recipient_go_to_the_portal_even_when_tls_is_available() {
    let p = default_policy();
    let d = p.evaluate(&with_phi(false, &[(Label::Ssn, 1), (Label::Person, 1)]));
    assert_eq!(d.action, Action::Portal);
    assert_eq!(d.decided_by.as_deref(), Some("ssn-external-portal"));
    // The verified-TLS rule fired too; portal is more restrictive, so it wins.
    assert_eq!(
        fired(&d),
        ["ssn-external-portal", "phi-external-verified-tls"]
    );
    // Internal recipients get SSNs over verified TLS (held if it is missing), not the portal.
    let d = p.evaluate(&with_phi(true, &[(Label::Ssn, 1)]));
    assert_eq!(
        d.action,
        Action::DeliverVerifiedTls {
            otherwise: Fallback::Hold
        }
    );
    // A low-confidence SSN candidate does not trigger the SSN rule.
    let mut f = with_phi(false, &[(Label::Person, 1)]);
    f.categories.push(CategoryHit {
        label: Label::Ssn,
        count: 1,
        max_score: 0.3,
    });
    assert_eq!(p.evaluate(&f).action, VERIFIED_OR_PORTAL);
}

#[test]
fn phi_in_the_subject_is_never_shown_in_a_notification() {
    let p = default_policy();
    let mut f = with_phi(false, &[(Label::Mrn, 1)]);
    f.phi_in_subject = true;
    let d = p.evaluate(&f);
    assert!(d.hide_subject);
    assert!(fired(&d).contains(&"phi-in-subject-hidden"));
    assert_eq!(d.action, VERIFIED_OR_PORTAL);
    // PHI only in the body: the subject may be shown.
    let d = p.evaluate(&with_phi(false, &[(Label::Mrn, 1)]));
    assert!(!d.hide_subject);
}

#[test]
fn phi_to_an_internal_recipient_needs_verified_tls_and_waits_for_it() {
    let p = default_policy();
    let d = p.evaluate(&with_phi(true, &[(Label::Mrn, 2)]));
    assert_eq!(
        d.action,
        Action::DeliverVerifiedTls {
            otherwise: Fallback::Hold
        }
    );
    assert_eq!(fired(&d), ["phi-internal-verified-tls"]);
    assert_eq!(p.evaluate(&clean(true)).action, VERIFIED_OR_PORTAL);
}

#[test]
fn unscannable_content_goes_to_external_recipients_through_the_portal() {
    let p = default_policy();
    let mut f = clean(false);
    f.unscannable = vec!["encrypted".into()];
    let d = p.evaluate(&f);
    assert_eq!(d.action, Action::Portal);
    assert_eq!(fired(&d), ["unscannable-external-portal"]);
    // Internal: verified TLS, held if missing; never "any TLS".
    let mut f = clean(true);
    f.unscannable = vec!["binary".into()];
    let d = p.evaluate(&f);
    assert_eq!(
        d.action,
        Action::DeliverVerifiedTls {
            otherwise: Fallback::Hold
        }
    );
}

#[test]
fn bulk_identifiers_to_an_external_recipient_are_quarantined_and_reported() {
    let p = default_policy();
    let d = p.evaluate(&with_phi(false, &[(Label::MemberId, 25)]));
    assert_eq!(d.action, Action::Quarantine);
    assert!(d.notify_compliance);
    let d = p.evaluate(&with_phi(false, &[(Label::MemberId, 24)]));
    assert_eq!(d.action, VERIFIED_OR_PORTAL);
    assert!(!d.notify_compliance);
    // Internally, bulk lists are normal work (billing, care coordination).
    let d = p.evaluate(&with_phi(true, &[(Label::MemberId, 500)]));
    assert!(!d.notify_compliance);
}

#[test]
fn an_exception_after_the_floors_cannot_relax_them() {
    // Uncomment the shipped clearinghouse example in place.
    let text = PolicyDocument::default_document();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "# name = \"clearinghouse-any-tls\"")
        .expect("example present");
    let edited: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = if (at - 1..=at + 4).contains(&i) {
                l.strip_prefix("# ").expect("commented example line")
            } else {
                l
            };
            format!("{l}\n")
        })
        .collect();
    let p = Policy::new(PolicyDocument::parse(&edited).expect("valid"), 2);
    let mut f = with_phi(false, &[(Label::MemberId, 3)]);
    f.recipient = addr("claims@clearinghouse.example");
    f.sender_groups = vec!["billing".into()];
    let d = p.evaluate(&f);
    assert_eq!(d.action, Action::DeliverAnyTls);
    assert_eq!(d.stopped_by.as_deref(), Some("clearinghouse-any-tls"));
    f.categories.push(CategoryHit {
        label: Label::Ssn,
        count: 1,
        max_score: 0.9,
    });
    let d = p.evaluate(&f);
    assert_eq!(d.action, Action::Portal);
    assert_eq!(d.decided_by.as_deref(), Some("ssn-external-portal"));
    // Someone outside the billing group gets the general rule.
    f.categories.pop();
    f.sender_groups.clear();
    assert_eq!(p.evaluate(&f).action, VERIFIED_OR_PORTAL);
}

#[test]
fn the_dry_run_explains_the_default_decision() {
    let p = default_policy();
    let mut f = with_phi(false, &[(Label::Ssn, 1)]);
    f.phi_in_subject = true;
    let text = p.evaluate(&f).explain();
    assert!(
        text.starts_with("Policy version 1\nAction: send through the portal\n"),
        "{text}"
    );
    assert!(text.contains("  - ssn-external-portal (line "), "{text}");
    assert!(
        text.contains("Subject in notifications: hidden\n"),
        "{text}"
    );
    assert!(!text.contains("someone"), "{text}");
}

const POLICY_MD: &str = include_str!("../../../docs/POLICY.md");

#[test]
fn the_dry_run_example_in_docs_policy_md_is_what_the_engine_prints() {
    let start = POLICY_MD
        .find("$ carepost policy test referral.eml")
        .expect("example present");
    let block = &POLICY_MD[start..];
    let block = &block[block.find('\n').expect("newline") + 1..];
    let block = &block[..block.find("```").expect("closing fence")];
    let p = Policy::new(
        PolicyDocument::parse(PolicyDocument::default_document()).expect("valid"),
        12,
    );
    let mut f = with_phi(false, &[(Label::Ssn, 1)]);
    f.categories[0].max_score = 0.97;
    f.phi_in_subject = true;
    f.recipient = addr("billing@payer.example");
    // The CLI adds one `Screening:` summary line after the engine's explanation.
    let (engine, cli) = block
        .split_once("Screening: ")
        .expect("the CLI's screening line");
    assert!(cli.lines().count() == 1, "{cli}");
    assert_eq!(p.evaluate(&f).explain(), engine);
}

#[test]
fn docs_policy_md_documents_every_condition_and_every_default_rule() {
    for key in [
        "phi",
        "phi_in_subject",
        "categories",
        "min_score",
        "min_count",
        "recipient",
        "recipient_domains",
        "recipient_addresses",
        "senders",
        "sender_domains",
        "sender_groups",
        "attachment_types",
        "min_size_bytes",
        "max_size_bytes",
        "unscannable",
        "unscannable_reasons",
    ] {
        assert!(POLICY_MD.contains(&format!("| `{key}` |")), "{key}");
    }
    let doc = PolicyDocument::parse(PolicyDocument::default_document()).expect("valid");
    for rule in doc.rules() {
        assert!(
            POLICY_MD.contains(&format!("| `{}` |", rule.name())),
            "{}",
            rule.name()
        );
    }
}
