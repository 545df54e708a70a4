use super::*;
use crate::action::Fallback;

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid test address")
}

/// A clean copy from a nurse to an external recipient; tests change what they need.
fn facts() -> CopyFacts {
    CopyFacts {
        categories: Vec::new(),
        phi: false,
        phi_in_subject: false,
        unscannable: Vec::new(),
        attachment_types: Vec::new(),
        size_bytes: 1000,
        sender: addr("nurse@clinic.example"),
        sender_groups: Vec::new(),
        recipient: addr("jane.patient@mail.example"),
        recipient_internal: false,
    }
}

fn hit(label: Label, count: u32, max_score: f32) -> CategoryHit {
    CategoryHit {
        label,
        count,
        max_score,
    }
}

fn policy(text: &str) -> Policy {
    Policy::new(PolicyDocument::parse(text).expect("valid test policy"), 7)
}

/// A policy with one rule `r` (action portal) whose conditions are `when`.
fn one_rule(when: &str) -> Policy {
    policy(&format!(
        "[default]\naction = \"deliver_any_tls\"\n[[rule]]\nname = \"r\"\naction = \"portal\"\nwhen = {{ {when} }}\n"
    ))
}

/// The `why` of rule `r` if it fired, `None` if it did not.
fn why(when: &str, f: &CopyFacts) -> Option<String> {
    let d = one_rule(when).evaluate(f);
    assert!(d.fired.len() <= 1);
    let fired = d.fired.into_iter().next();
    assert_eq!(
        d.action == Action::Portal,
        fired.is_some(),
        "action follows firing"
    );
    fired.map(|r| r.why)
}

// ── Each condition: a copy that matches and one that does not ─────────────────────────────────

#[test]
fn phi_condition() {
    let mut f = facts();
    assert_eq!(why("phi = true", &f), None);
    assert_eq!(why("phi = false", &f).as_deref(), Some("no PHI found"));
    f.phi = true;
    assert_eq!(why("phi = true", &f).as_deref(), Some("PHI found"));
    assert_eq!(why("phi = false", &f), None);
}

#[test]
fn phi_in_subject_condition() {
    let mut f = facts();
    assert_eq!(why("phi_in_subject = true", &f), None);
    f.phi_in_subject = true;
    assert_eq!(
        why("phi_in_subject = true", &f).as_deref(),
        Some("PHI in the subject")
    );
    assert_eq!(why("phi_in_subject = false", &f), None);
}

#[test]
fn category_condition_with_thresholds() {
    let mut f = facts();
    assert_eq!(why("categories = [\"SSN\"]", &f), None);
    f.categories = vec![hit(Label::Mrn, 1, 0.9), hit(Label::Ssn, 2, 0.97)];
    assert_eq!(
        why("categories = [\"SSN\"]", &f).as_deref(),
        Some("category SSN x2 (max score 0.97) found (rule needs score >= 0.50, count >= 1)")
    );
    assert_eq!(
        why("categories = [\"MRN\", \"SSN\", \"NPI\"]", &f).as_deref(),
        Some(
            "category MRN x1 (max score 0.90), SSN x2 (max score 0.97) found (rule needs score \
             >= 0.50, count >= 1)"
        )
    );
    assert_eq!(why("categories = [\"PHONE\"]", &f), None);
    // Score threshold: equal fires, below does not.
    assert!(why("categories = [\"SSN\"], min_score = 0.97", &f).is_some());
    assert_eq!(why("categories = [\"SSN\"], min_score = 0.98", &f), None);
    // Count threshold.
    assert!(why("categories = [\"SSN\"], min_count = 2", &f).is_some());
    assert_eq!(why("categories = [\"SSN\"], min_count = 3", &f), None);
    // Below the default threshold (dlp::PHI_THRESHOLD) does not count.
    f.categories = vec![hit(Label::Ssn, 1, 0.49)];
    assert_eq!(why("categories = [\"SSN\"]", &f), None);
    f.categories = vec![hit(Label::Ssn, 1, f32::NAN)];
    assert_eq!(why("categories = [\"SSN\"]", &f), None);
}

#[test]
fn recipient_scope_condition() {
    let mut f = facts();
    assert_eq!(
        why("recipient = \"external\"", &f).as_deref(),
        Some("recipient is external")
    );
    assert_eq!(why("recipient = \"internal\"", &f), None);
    f.recipient_internal = true;
    assert_eq!(
        why("recipient = \"internal\"", &f).as_deref(),
        Some("recipient is internal")
    );
    assert_eq!(why("recipient = \"external\"", &f), None);
}

#[test]
fn recipient_domain_condition_exact_and_subdomains() {
    let mut f = facts();
    assert_eq!(
        why(
            "recipient_domains = [\"other.example\", \"MAIL.example\"]",
            &f
        )
        .as_deref(),
        Some("recipient domain matches mail.example")
    );
    assert_eq!(why("recipient_domains = [\"example\"]", &f), None);
    assert_eq!(
        why("recipient_domains = [\"*.example\"]", &f).as_deref(),
        Some("recipient domain matches *.example")
    );
    // `*.x` covers subdomains, not x itself.
    assert_eq!(why("recipient_domains = [\"*.mail.example\"]", &f), None);
    f.recipient = addr("a@deep.er.mail.example");
    assert_eq!(
        why("recipient_domains = [\"*.mail.example\"]", &f).as_deref(),
        Some("recipient domain matches *.mail.example")
    );
    assert_eq!(why("recipient_domains = [\"mail.example\"]", &f), None);
}

#[test]
fn recipient_address_condition_is_case_insensitive_and_never_quoted() {
    let f = facts();
    let w = why("recipient_addresses = [\"Jane.Patient@Mail.Example\"]", &f);
    assert_eq!(
        w.as_deref(),
        Some("recipient address is on the rule's list")
    );
    assert_eq!(
        why("recipient_addresses = [\"john@mail.example\"]", &f),
        None
    );
}

#[test]
fn sender_conditions() {
    let mut f = facts();
    assert_eq!(
        why("senders = [\"NURSE@clinic.example\"]", &f).as_deref(),
        Some("sender address is on the rule's list")
    );
    assert_eq!(why("senders = [\"doctor@clinic.example\"]", &f), None);
    assert_eq!(
        why("sender_domains = [\"clinic.example\"]", &f).as_deref(),
        Some("sender domain matches clinic.example")
    );
    assert_eq!(why("sender_domains = [\"other.example\"]", &f), None);
    assert_eq!(why("sender_groups = [\"billing\"]", &f), None);
    f.sender_groups = vec!["Nursing".into(), "Billing".into()];
    assert_eq!(
        why("sender_groups = [\"billing\", \"admin\"]", &f).as_deref(),
        Some("sender is in group billing")
    );
    assert_eq!(why("sender_groups = [\"admin\"]", &f), None);
}

#[test]
fn attachment_type_condition() {
    let mut f = facts();
    assert_eq!(why("attachment_types = [\"pdf\"]", &f), None);
    f.attachment_types = vec!["application/pdf".into(), ".ZIP".into()];
    assert_eq!(
        why("attachment_types = [\"application/pdf\"]", &f).as_deref(),
        Some("an attachment matches application/pdf")
    );
    assert_eq!(
        why("attachment_types = [\"application/*\"]", &f).as_deref(),
        Some("an attachment matches application/*")
    );
    assert_eq!(
        why("attachment_types = [\"zip\"]", &f).as_deref(),
        Some("an attachment matches .zip")
    );
    assert_eq!(
        why("attachment_types = [\"pdf\"]", &f),
        None,
        "extension is not a MIME type"
    );
    assert_eq!(why("attachment_types = [\"image/*\", \"exe\"]", &f), None);
    f.attachment_types = vec!["app".into()];
    assert_eq!(why("attachment_types = [\"application/*\"]", &f), None);
}

#[test]
fn size_conditions_include_their_bounds() {
    let mut f = facts();
    f.size_bytes = 100;
    assert_eq!(
        why("min_size_bytes = 100", &f).as_deref(),
        Some("size 100 bytes >= 100")
    );
    assert_eq!(why("min_size_bytes = 101", &f), None);
    assert_eq!(
        why("max_size_bytes = 100", &f).as_deref(),
        Some("size 100 bytes <= 100")
    );
    assert_eq!(why("max_size_bytes = 99", &f), None);
    assert!(why("min_size_bytes = 50, max_size_bytes = 150", &f).is_some());
}

#[test]
fn unscannable_conditions() {
    let mut f = facts();
    assert_eq!(
        why("unscannable = false", &f).as_deref(),
        Some("all content was scanned")
    );
    assert_eq!(why("unscannable = true", &f), None);
    assert_eq!(why("unscannable_reasons = [\"encrypted\"]", &f), None);
    f.unscannable = vec![
        "encrypted".into(),
        "binary".into(),
        "encrypted".into(),
        "new_code".into(),
    ];
    assert_eq!(
        why("unscannable = true", &f).as_deref(),
        Some("content could not be scanned (binary, encrypted, other)")
    );
    assert_eq!(why("unscannable = false", &f), None);
    assert_eq!(
        why("unscannable_reasons = [\"too_large\", \"encrypted\"]", &f).as_deref(),
        Some("a part could not be scanned: encrypted")
    );
    assert_eq!(why("unscannable_reasons = [\"too_large\"]", &f), None);
}

#[test]
fn all_conditions_must_hold_and_an_empty_when_matches_everything() {
    let mut f = facts();
    f.phi = true;
    assert_eq!(
        why("phi = true, recipient = \"external\"", &f).as_deref(),
        Some("PHI found and recipient is external")
    );
    f.recipient_internal = true;
    assert_eq!(why("phi = true, recipient = \"external\"", &f), None);
    assert_eq!(
        why("", &f).as_deref(),
        Some("the rule has no conditions, so it matches every copy")
    );
    let no_when = policy("[[rule]]\nname = \"all\"\naction = \"quarantine\"\n");
    assert_eq!(no_when.evaluate(&f).action, Action::Quarantine);
}

// ── Actions and combination ────────────────────────────────────────────────────────────────────

#[test]
fn each_action_is_returned_as_written() {
    let cases = [
        (
            "action = \"deliver_verified_tls\"\notherwise = \"bounce\"",
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Bounce,
            },
        ),
        (
            "action = \"deliver_verified_tls\"",
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Portal,
            },
        ),
        ("action = \"deliver_any_tls\"", Action::DeliverAnyTls),
        ("action = \"portal\"", Action::Portal),
        ("action = \"quarantine\"", Action::Quarantine),
        (
            "action = \"reject\"\nreject_reason = \"Use the portal.\"",
            Action::Reject {
                reason: "Use the portal.".into(),
            },
        ),
    ];
    for (text, want) in cases {
        let p = policy(&format!(
            "[default]\naction = \"quarantine\"\n[[rule]]\nname = \"r\"\n{text}\n"
        ));
        let d = p.evaluate(&facts());
        assert_eq!(d.action, want);
        assert_eq!(d.decided_by.as_deref(), Some("r"));
    }
}

#[test]
fn the_default_action_applies_when_no_rule_fires() {
    let p = policy(
        "[default]\naction = \"reject\"\nreject_reason = \"No rule allows this.\"\n\
         [[rule]]\nname = \"r\"\naction = \"portal\"\nwhen.phi = true\n",
    );
    let d = p.evaluate(&facts());
    assert_eq!(
        d.action,
        Action::Reject {
            reason: "No rule allows this.".into()
        }
    );
    assert_eq!(d.decided_by, None);
    assert!(d.fired.is_empty());
    let empty = policy("");
    assert_eq!(
        empty.evaluate(&facts()).action,
        Action::DeliverVerifiedTls {
            otherwise: Fallback::Portal
        }
    );
}

#[test]
fn flag_only_rules_leave_the_action_to_the_default() {
    let p = policy(
        "[default]\naction = \"portal\"\n[[rule]]\nname = \"tell\"\nnotify_compliance = true\n",
    );
    let d = p.evaluate(&facts());
    assert_eq!(d.action, Action::Portal);
    assert_eq!(d.decided_by, None);
    assert!(d.notify_compliance);
    assert_eq!(d.fired.len(), 1);
    assert_eq!(d.fired[0].action, None);
}

const LADDER: &str = r#"
[[rule]]
name = "any"
action = "deliver_any_tls"

[[rule]]
name = "verified-portal"
action = "deliver_verified_tls"
otherwise = "portal"
when.phi = true

[[rule]]
name = "verified-hold"
action = "deliver_verified_tls"
otherwise = "hold"
when.recipient = "internal"

[[rule]]
name = "verified-bounce"
action = "deliver_verified_tls"
otherwise = "bounce"
when.sender_groups = ["strict"]

[[rule]]
name = "portal"
action = "portal"
when.categories = ["SSN"]

[[rule]]
name = "quarantine"
action = "quarantine"
when.unscannable = true

[[rule]]
name = "reject-big"
action = "reject"
reject_reason = "Too large."
when.min_size_bytes = 5000

[[rule]]
name = "reject-zip"
action = "reject"
reject_reason = "No archives."
when.attachment_types = ["zip"]
"#;

#[test]
fn the_most_restrictive_action_wins_whatever_the_order() {
    let p = policy(LADDER);
    let mut f = facts();
    let step = |f: &CopyFacts| {
        let d = p.evaluate(f);
        (d.action, d.decided_by.unwrap_or_default())
    };
    assert_eq!(step(&f), (Action::DeliverAnyTls, "any".into()));
    f.phi = true;
    assert_eq!(
        step(&f),
        (
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Portal
            },
            "verified-portal".into()
        )
    );
    f.recipient_internal = true;
    assert_eq!(
        step(&f),
        (
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Hold
            },
            "verified-hold".into()
        )
    );
    f.sender_groups = vec!["strict".into()];
    assert_eq!(
        step(&f),
        (
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Bounce
            },
            "verified-bounce".into()
        )
    );
    f.categories = vec![hit(Label::Ssn, 1, 0.9)];
    assert_eq!(step(&f), (Action::Portal, "portal".into()));
    f.unscannable = vec!["encrypted".into()];
    assert_eq!(step(&f), (Action::Quarantine, "quarantine".into()));
    f.attachment_types = vec!["zip".into()];
    f.size_bytes = 9000;
    // Both rejects fire; the earlier one's reason is used.
    let d = p.evaluate(&f);
    assert_eq!(
        d.action,
        Action::Reject {
            reason: "Too large.".into()
        }
    );
    assert_eq!(d.decided_by.as_deref(), Some("reject-big"));
    assert_eq!(d.fired.len(), 8);

    // Reversing the document changes which reject reason is used, nothing else.
    let mut blocks: Vec<&str> = LADDER.split("\n[[rule]]").skip(1).collect();
    blocks.reverse();
    let reversed: String = blocks.iter().map(|b| format!("\n[[rule]]{b}")).collect();
    let d = policy(&reversed).evaluate(&f);
    assert_eq!(
        d.action,
        Action::Reject {
            reason: "No archives.".into()
        }
    );
    f.attachment_types.clear();
    assert_eq!(
        policy(&reversed).evaluate(&f).action,
        Action::Reject {
            reason: "Too large.".into()
        }
    );
    f.size_bytes = 10;
    assert_eq!(policy(&reversed).evaluate(&f).action, Action::Quarantine);
}

#[test]
fn notify_and_hide_subject_are_ored() {
    let p = policy(
        "[[rule]]\nname = \"a\"\nnotify_compliance = true\nwhen.phi = true\n\
         [[rule]]\nname = \"b\"\nhide_subject = true\nwhen.recipient = \"external\"\n\
         [[rule]]\nname = \"c\"\naction = \"portal\"\nnotify_compliance = false\n",
    );
    let mut f = facts();
    let d = p.evaluate(&f);
    assert!(!d.notify_compliance);
    assert!(d.hide_subject);
    f.phi = true;
    f.recipient_internal = true;
    let d = p.evaluate(&f);
    assert!(d.notify_compliance);
    assert!(!d.hide_subject);
    assert_eq!(d.action, Action::Portal);
}

#[test]
fn stop_ends_evaluation_but_earlier_rules_still_count() {
    let p = policy(
        r#"
[[rule]]
name = "floor"
action = "portal"
when.categories = ["SSN"]

[[rule]]
name = "partner"
action = "deliver_any_tls"
when.recipient_domains = ["partner.example"]
stop = true

[[rule]]
name = "phi"
action = "deliver_verified_tls"
when.phi = true
notify_compliance = true
"#,
    );
    let mut f = facts();
    f.phi = true;
    f.recipient = addr("billing@partner.example");
    let d = p.evaluate(&f);
    assert_eq!(d.action, Action::DeliverAnyTls);
    assert_eq!(d.stopped_by.as_deref(), Some("partner"));
    assert!(!d.notify_compliance, "the rule after stop did not run");
    assert_eq!(d.fired.len(), 1);
    // The floor comes first, so the exception cannot relax it.
    f.categories = vec![hit(Label::Ssn, 1, 0.99)];
    let d = p.evaluate(&f);
    assert_eq!(d.action, Action::Portal);
    assert_eq!(d.decided_by.as_deref(), Some("floor"));
    assert_eq!(d.stopped_by.as_deref(), Some("partner"));
    // A stop rule that does not fire stops nothing.
    f.recipient = addr("someone@else.example");
    let d = p.evaluate(&f);
    assert_eq!(d.stopped_by, None);
    assert!(d.notify_compliance);
    assert_eq!(d.fired.len(), 2);
}

#[test]
fn phi_in_the_subject_is_always_hidden_even_without_a_rule() {
    let p = policy("[[rule]]\nname = \"a\"\naction = \"deliver_any_tls\"\n");
    let mut f = facts();
    assert!(!p.evaluate(&f).hide_subject);
    f.phi_in_subject = true;
    assert!(p.evaluate(&f).hide_subject);
    assert!(policy("").evaluate(&f).hide_subject);
}

#[test]
fn the_decision_records_the_policy_version() {
    let doc = PolicyDocument::parse("").expect("valid");
    let p = Policy::new(doc, 42);
    assert_eq!(p.version(), 42);
    assert_eq!(p.evaluate(&facts()).version, 42);
    assert!(p.document().rules().is_empty());
}

// ── Explanations and PHI ───────────────────────────────────────────────────────────────────────

#[test]
fn explain_names_the_rules_the_winner_and_the_flags() {
    let p = policy(
        r#"
[[rule]]
name = "ssn-portal"
action = "portal"
when = { categories = ["SSN"], recipient = "external" }

[[rule]]
name = "phi-tls"
action = "deliver_verified_tls"
when.phi = true

[[rule]]
name = "tell"
notify_compliance = true
when.phi = true
stop = true
"#,
    );
    let mut f = facts();
    f.phi = true;
    f.phi_in_subject = true;
    f.categories = vec![hit(Label::Ssn, 1, 0.95)];
    let d = p.evaluate(&f);
    assert_eq!(
        d.explain(),
        "Policy version 7\n\
         Action: send through the portal\n  \
           decided by rule \"ssn-portal\" (the most restrictive action among the rules that fired)\n\
         Subject in notifications: hidden\n\
         Notify compliance: yes\n\
         Rules that fired (3), in document order:\n  \
           - ssn-portal (line 3) -> send through the portal\n      \
               because category SSN x1 (max score 0.95) found (rule needs score >= 0.50, count >= 1) and recipient is external\n  \
           - phi-tls (line 8) -> deliver over verified TLS, otherwise send through the portal\n      \
               because PHI found\n  \
           - tell (line 13) -> no action\n      \
               because PHI found\n\
         Evaluation stopped at rule \"tell\" (stop = true); later rules were not evaluated.\n"
    );
    let quiet = policy("").evaluate(&facts()).explain();
    assert_eq!(
        quiet,
        "Policy version 7\n\
         Action: deliver over verified TLS, otherwise send through the portal\n  \
           no rule that fired sets an action, so the policy's default applies\n\
         Subject in notifications: shown\n\
         Notify compliance: no\n\
         No rule fired.\n"
    );
}

#[test]
fn decisions_explanations_and_facts_never_show_the_recipient_local_part() {
    let p = policy(PolicyDocument::default_document());
    let mut f = facts();
    f.phi = true;
    f.recipient = addr("jane.patient@mail.example");
    f.sender = addr("dr.who@clinic.example");
    let d = p.evaluate(&f);
    for text in [d.explain(), format!("{d:?}"), format!("{f:?}")] {
        assert!(!text.contains("jane.patient"), "{text}");
        assert!(!text.contains("dr.who"), "{text}");
    }
}

#[test]
fn tally_counts_findings_per_label_with_the_highest_score() {
    let finding = |label, score| Finding {
        label,
        start_char: 0,
        end_char: 1,
        start_byte: 0,
        end_byte: 1,
        score,
        rule: "test",
        reason: "test",
    };
    let a = [finding(Label::Ssn, 0.6), finding(Label::Mrn, 0.9)];
    let b = [finding(Label::Ssn, 0.95), finding(Label::Ssn, 0.7)];
    let hits = CategoryHit::tally(a.iter().chain(b.iter()));
    assert_eq!(hits, [hit(Label::Ssn, 3, 0.95), hit(Label::Mrn, 1, 0.9)]);
    assert!(CategoryHit::tally([]).is_empty());
}

#[test]
fn decisions_serialise_for_the_audit_record() {
    let p = policy(
        "[[rule]]\nname = \"r\"\naction = \"deliver_verified_tls\"\notherwise = \"hold\"\n\
         notify_compliance = true\n",
    );
    let d = p.evaluate(&facts());
    let json = serde_json::to_value(&d).expect("serialisable");
    assert_eq!(
        json,
        serde_json::json!({
            "action": { "kind": "deliver_verified_tls", "otherwise": "hold" },
            "decided_by": "r",
            "notify_compliance": true,
            "hide_subject": false,
            "fired": [{
                "name": "r",
                "line": 2,
                "why": "the rule has no conditions, so it matches every copy",
                "action": { "kind": "deliver_verified_tls", "otherwise": "hold" }
            }],
            "stopped_by": null,
            "version": 7
        })
    );
    let reject = Action::Reject {
        reason: "Use the portal.".into(),
    };
    assert_eq!(
        serde_json::to_value(&reject).expect("serialisable"),
        serde_json::json!({ "kind": "reject", "reason": "Use the portal." })
    );
}

#[test]
fn a_policy_can_be_shared_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<Policy>();
    check::<Decision>();
}
