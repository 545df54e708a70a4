//! The offline verifier against every kind of tampering the audit trail must reveal
//! (SEC-AU-2): each good case passes, each bad case fails with the precise error.

use std::net::{IpAddr, Ipv4Addr};

use serde_json::Value;

use audit::{
    Actor, AuditEvent, AuditLog, AuditSigner, EventKind, KeyedHashKey, Subject, TrustedKeys,
    VerifyError, event_line, event_line_from_canonical, head_line, keyed_hash, purged_line,
    verify_export,
};
use model::{Timestamp, UserId};

const T0: i64 = 1_796_000_000_000;

/// A synthetic event for `seq`: no PHI, a mix of kinds, actors and details.
fn event(seq: u64) -> AuditEvent {
    let kinds = EventKind::ALL;
    let kind = kinds[(seq as usize) % kinds.len()];
    let actor = match seq % 4 {
        0 => Actor::User { id: UserId::new() },
        1 => Actor::System {
            component: "delivery".into(),
        },
        2 => Actor::Device {
            name: "scanner-2".into(),
        },
        _ => Actor::ApiKey {
            id: model::ApiKeyId::new(),
        },
    };
    let key = KeyedHashKey::new(&[42; 32]).expect("32 bytes");
    AuditEvent::new(
        seq,
        Timestamp::from_millis(T0 + seq as i64 * 1_000),
        actor,
        kind,
    )
    .with_tenant(model::TenantId::new())
    .with_source_ip(IpAddr::V4(Ipv4Addr::new(198, 51, 100, (seq % 250) as u8)))
    .with_subject(Subject {
        message: Some(model::MessageId::new()),
        ..Subject::default()
    })
    .with_detail("attempt", seq % 7)
    .with_detail(
        "outcome",
        if seq.is_multiple_of(3) {
            "ok"
        } else {
            "deferred"
        },
    )
    .with_detail(
        "patient",
        keyed_hash(&key, format!("MRN-{seq:06}").as_bytes()),
    )
}

struct Export {
    lines: Vec<String>,
    signer: AuditSigner,
    trusted: TrustedKeys,
}

/// `n` events with a head after every `head_every` events and a final head.
fn build(n: u64, head_every: u64) -> Export {
    let signer = AuditSigner::generate().expect("rng");
    let trusted = TrustedKeys::new().with(signer.public_key());
    let lines = build_with(&signer, (0..n).map(event), head_every);
    Export {
        lines,
        signer,
        trusted,
    }
}

fn build_with(
    signer: &AuditSigner,
    events: impl Iterator<Item = AuditEvent>,
    head_every: u64,
) -> Vec<String> {
    let mut log = AuditLog::new();
    let mut lines = Vec::new();
    for e in events {
        log.append(&e).expect("in sequence and valid");
        lines.push(event_line(&e).expect("valid"));
        if log.next_seq().is_multiple_of(head_every) {
            lines.push(head_line(&log.sign_head(signer, ts_of(&log))));
        }
    }
    if lines.last().is_none_or(|l| !l.contains(r#""type":"head""#)) {
        lines.push(head_line(&log.sign_head(signer, ts_of(&log))));
    }
    lines
}

fn ts_of(log: &AuditLog) -> Timestamp {
    Timestamp::from_millis(T0 + log.next_seq() as i64 * 1_000 + 500)
}

fn line_of_seq(lines: &[String], seq: u64) -> usize {
    lines
        .iter()
        .position(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            v["type"] == "event" && v["seq"] == seq
        })
        .expect("seq present")
}

fn edit(line: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut v: Value = serde_json::from_str(line).expect("json");
    f(v.as_object_mut().expect("object"));
    serde_json::to_string(&v).expect("serializes")
}

#[test]
fn an_untouched_export_of_1000_events_verifies() {
    let x = build(1_000, 100);
    let report = verify_export(&x.lines, &x.trusted).expect("verifies");
    assert_eq!(report.events, 1_000);
    assert_eq!(report.heads, 10);
    assert_eq!(report.last_size, 1_000);
    // The root the verifier recomputed is the one the log signed.
    let last: Value = serde_json::from_str(x.lines.last().expect("head")).expect("json");
    assert_eq!(last["root_hash"], hex::encode(report.last_root));
}

#[test]
fn a_modified_detail_is_reported_within_the_span_of_its_head() {
    let x = build(1_000, 100);
    let mut lines = x.lines.clone();
    let i = line_of_seq(&lines, 437);
    lines[i] = edit(&lines[i], |m| {
        m["details"]["outcome"] = Value::from("delivered");
    });
    let err = verify_export(&lines, &x.trusted).expect_err("tampered");
    let head_line = line_of_seq(&lines, 499) + 2; // the head after seq 499, 1-based
    assert_eq!(
        err,
        VerifyError::ModifiedEvent {
            first_seq: 400,
            last_seq: 499,
            head_line: head_line as u64
        }
    );
}

#[test]
fn with_a_head_after_every_event_a_modified_event_is_pinpointed() {
    let x = build(50, 1);
    for field in ["at", "kind", "actor", "tenant", "source_ip"] {
        let mut lines = x.lines.clone();
        let i = line_of_seq(&lines, 17);
        lines[i] = edit(&lines[i], |m| {
            m[field] = match field {
                "at" => Value::from(T0 + 5),
                "kind" => Value::from("auth.login_failed"),
                "actor" => serde_json::json!({"type": "system", "component": "retention"}),
                "tenant" => Value::Null,
                _ => Value::from("203.0.113.9"),
            };
        });
        assert_eq!(
            verify_export(&lines, &x.trusted),
            Err(VerifyError::ModifiedEvent {
                first_seq: 17,
                last_seq: 17,
                head_line: i as u64 + 2
            }),
            "field {field}"
        );
    }
}

#[test]
fn a_deleted_event_is_missing() {
    let x = build(1_000, 100);
    let mut lines = x.lines.clone();
    lines.remove(line_of_seq(&lines, 437));
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::MissingEvent { expected_seq: 437 })
    );

    // The last event before a head: the head counts it.
    let mut lines = x.lines.clone();
    lines.remove(line_of_seq(&lines, 499));
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::MissingEvent { expected_seq: 499 })
    );

    // The very first event.
    let mut lines = x.lines.clone();
    lines.remove(line_of_seq(&lines, 0));
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::MissingEvent { expected_seq: 0 })
    );
}

/// Delete seq 437 and renumber every later event, as an attacker with write access to the
/// events (but not the signing key) would to hide the gap.
fn delete_and_renumber(lines: &[String]) -> (Vec<String>, Vec<(u64, String)>) {
    let mut events = Vec::new();
    let mut heads = Vec::new();
    for line in lines {
        let v: Value = serde_json::from_str(line).expect("json");
        if v["type"] == "head" {
            heads.push((v["tree_size"].as_u64().expect("size"), line.clone()));
            continue;
        }
        let seq = v["seq"].as_u64().expect("seq");
        match seq {
            437 => {}
            s if s > 437 => events.push(edit(line, |m| m["seq"] = Value::from(s - 1))),
            _ => events.push(line.clone()),
        }
    }
    (events, heads)
}

#[test]
fn a_deletion_hidden_by_renumbering_is_still_caught() {
    let x = build(1_000, 100);
    let (events, heads) = delete_and_renumber(&x.lines);

    // Heads left where they were: the head of size 500 now follows only 499 events.
    let mut in_place = x.lines.clone();
    in_place.remove(line_of_seq(&in_place, 437));
    let mut e = events.iter();
    for line in in_place.iter_mut() {
        if line.contains(r#""type":"event""#) {
            *line = e.next().expect("same count").clone();
        }
    }
    assert_eq!(
        verify_export(&in_place, &x.trusted),
        Err(VerifyError::MissingEvent { expected_seq: 499 })
    );

    // Heads moved so that each follows as many events as it counts: the signed root no
    // longer matches. Which event changed cannot be known, only the span of the head.
    let mut moved = Vec::new();
    let mut heads = heads.into_iter().peekable();
    for (n, line) in events.into_iter().enumerate() {
        moved.push(line);
        while heads.peek().is_some_and(|(size, _)| *size == n as u64 + 1) {
            moved.push(heads.next().expect("peeked").1);
        }
    }
    assert!(matches!(
        verify_export(&moved, &x.trusted),
        Err(VerifyError::ModifiedEvent {
            first_seq: 400,
            last_seq: 499,
            ..
        })
    ));
}

#[test]
fn a_forged_event_is_reported_as_inserted() {
    let x = build(1_000, 100);
    // A forged copy of seq 437 placed after the real one.
    let mut lines = x.lines.clone();
    let i = line_of_seq(&lines, 437);
    let forged = event_line(&event(437).with_detail("outcome", "released")).expect("valid");
    lines.insert(i + 1, forged.clone());
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::InsertedOrReordered {
            seq: 437,
            line: i as u64 + 2
        })
    );

    // Placed before the real one, it takes its place and its content does not match.
    let mut lines = x.lines.clone();
    lines.insert(i, forged);
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::InsertedOrReordered {
            seq: 437,
            line: i as u64 + 2
        })
    );

    // Appended after the final head, it is not covered by any signed head.
    let mut lines = x.lines.clone();
    lines.push(event_line(&event(1_000)).expect("valid"));
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::Truncated {
            events: 1_001,
            covered: 1_000
        })
    );
}

#[test]
fn swapped_events_are_reported_as_reordered() {
    let x = build(1_000, 100);
    let mut lines = x.lines.clone();
    let (a, b) = (line_of_seq(&lines, 437), line_of_seq(&lines, 438));
    lines.swap(a, b);
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::InsertedOrReordered {
            seq: 438,
            line: a as u64 + 1
        })
    );

    // Far apart, and across a head.
    let mut lines = x.lines.clone();
    let (a, b) = (line_of_seq(&lines, 437), line_of_seq(&lines, 612));
    lines.swap(a, b);
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::InsertedOrReordered {
            seq: 612,
            line: a as u64 + 1
        })
    );
}

#[test]
fn a_file_cut_mid_way_is_truncated() {
    let x = build(1_000, 100);
    let text = x.lines.join("\n") + "\n";

    // Cut in the middle of a line.
    let cut = &text[..text.len() / 2];
    assert!(!cut.ends_with('\n'));
    let err = verify_export(cut.lines(), &x.trusted).expect_err("cut");
    assert!(matches!(err, VerifyError::Truncated { .. }), "{err:?}");

    // Cut at a line boundary between two events.
    let lines = &x.lines[..line_of_seq(&x.lines, 750)];
    assert_eq!(
        verify_export(lines, &x.trusted),
        Err(VerifyError::Truncated {
            events: 750,
            covered: 700
        })
    );

    // Only the final head removed.
    let lines = &x.lines[..x.lines.len() - 1];
    assert_eq!(
        verify_export(lines, &x.trusted),
        Err(VerifyError::Truncated {
            events: 1_000,
            covered: 900
        })
    );

    // Nothing at all.
    assert_eq!(
        verify_export(Vec::<String>::new(), &x.trusted),
        Err(VerifyError::Truncated {
            events: 0,
            covered: 0
        })
    );
}

/// The signed head on the last line of an export.
fn final_head(lines: &[String]) -> audit::SignedTreeHead {
    let v: Value = serde_json::from_str(lines.last().expect("head")).expect("json");
    let hash = |s: &Value| -> [u8; 32] {
        hex::decode(s.as_str().expect("hex"))
            .expect("hex")
            .try_into()
            .expect("32 bytes")
    };
    use base64::Engine;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(v["signature"].as_str().expect("b64"))
        .expect("b64");
    audit::SignedTreeHead {
        head: audit::TreeHead {
            tree_size: v["tree_size"].as_u64().expect("size"),
            root_hash: hash(&v["root_hash"]),
            timestamp: Timestamp::from_millis(v["timestamp"].as_i64().expect("ms")),
            key_id: v["key_id"].as_str().expect("id").to_string(),
        },
        signature: sig.try_into().expect("64 bytes"),
    }
}

#[test]
fn a_cut_right_after_a_head_is_caught_against_a_known_head() {
    // The shorter file is a valid export of an older log: nothing inside it can tell.
    let x = build(1_000, 100);
    let cut = &x.lines[..line_of_seq(&x.lines, 500)];
    let report = verify_export(cut, &x.trusted).expect("a valid shorter export");
    assert_eq!(report.last_size, 500);

    // A head kept elsewhere (a witness's, the last export's) shows the difference.
    let latest = final_head(&x.lines);
    assert_eq!(
        audit::verify_export_against(cut, &x.trusted, &latest),
        Err(VerifyError::ShorterThanKnownHead {
            known_size: 1_000,
            events: 500
        })
    );
    let full = audit::verify_export_against(&x.lines, &x.trusted, &latest).expect("ok");
    assert_eq!(full.events, 1_000);
    // An older known head inside the export is fine too.
    let older = final_head(&x.lines[..line_of_seq(&x.lines, 300)]);
    assert!(audit::verify_export_against(&x.lines, &x.trusted, &older).is_ok());

    // A rewritten history re-signed with the real key contradicts the known head.
    let events = (0..1_000).map(|s| {
        if s == 250 {
            event(s).with_detail("outcome", "released")
        } else {
            event(s)
        }
    });
    let rewritten = build_with(&x.signer, events, 100);
    assert!(verify_export(&rewritten, &x.trusted).is_ok());
    assert_eq!(
        audit::verify_export_against(&rewritten, &x.trusted, &older),
        Err(VerifyError::ForkedHead {
            line: 0,
            tree_size: 300
        })
    );
}

#[test]
fn a_log_re_signed_with_an_unknown_key_is_refused() {
    let x = build(1_000, 100);
    // The attacker rewrites event 437 and re-signs every head with their own key.
    let attacker = AuditSigner::generate().expect("rng");
    let events = (0..1_000).map(|s| {
        if s == 437 {
            event(s).with_detail("outcome", "released")
        } else {
            event(s)
        }
    });
    let lines = build_with(&attacker, events, 100);
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::UnknownSigningKey {
            key_id: attacker.key_id().to_string(),
            line: 101
        })
    );
    // Under the attacker's key the forgery is self-consistent: trust is in the key.
    let attacker_keys = TrustedKeys::new().with(attacker.public_key());
    assert!(verify_export(&lines, &attacker_keys).is_ok());

    // Claiming the real key id does not help.
    let claimed: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.contains(r#""type":"head""#) {
                edit(l, |m| m["key_id"] = Value::from(x.signer.key_id()))
            } else {
                l.clone()
            }
        })
        .collect();
    assert_eq!(
        verify_export(&claimed, &x.trusted),
        Err(VerifyError::BadSignature { line: 101 })
    );
}

#[test]
fn an_altered_head_has_a_bad_signature() {
    let x = build(1_000, 100);
    let i = line_of_seq(&x.lines, 299) + 1;
    for field in ["timestamp", "tree_size", "root_hash", "signature"] {
        let mut lines = x.lines.clone();
        lines[i] = edit(&lines[i], |m| {
            m[field] = match field {
                "timestamp" => Value::from(T0),
                "tree_size" => Value::from(299),
                "root_hash" => Value::from("00".repeat(32)),
                _ => Value::from(base64_of_zeroes()),
            };
        });
        assert_eq!(
            verify_export(&lines, &x.trusted),
            Err(VerifyError::BadSignature { line: i as u64 + 1 }),
            "field {field}"
        );
    }
}

fn base64_of_zeroes() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([0u8; 64])
}

#[test]
fn a_second_history_signed_by_the_real_key_is_a_forked_head() {
    let x = build(1_000, 100);
    // The signer (or a thief of its key) signs a head for size 300 over different events.
    let mut other = AuditLog::new();
    for s in 0..300 {
        let e = if s == 250 {
            event(s).with_detail("outcome", "released")
        } else {
            event(s)
        };
        other.append(&e).expect("valid");
    }
    let fork = head_line(&other.sign_head(&x.signer, Timestamp::from_millis(T0)));
    let mut lines = x.lines.clone();
    let at = line_of_seq(&lines, 600);
    lines.insert(at, fork);
    assert_eq!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::ForkedHead {
            line: at as u64 + 1,
            tree_size: 300
        })
    );
}

#[test]
fn heads_from_a_rotated_key_verify_when_both_keys_are_trusted() {
    let old = AuditSigner::generate().expect("rng");
    let new = AuditSigner::generate().expect("rng");
    let mut lines = build_with(&old, (0..200).map(event), 100);
    // Re-sign the final head with the new key: both heads cover the same history.
    let last: Value = serde_json::from_str(lines.last().expect("head")).expect("json");
    let root: [u8; 32] = hex::decode(last["root_hash"].as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    lines.push(head_line(&new.sign_head(
        200,
        root,
        Timestamp::from_millis(T0 + 1),
    )));
    let both = TrustedKeys::new()
        .with(old.public_key())
        .with(new.public_key());
    assert_eq!(verify_export(&lines, &both).expect("verifies").heads, 3);
    let only_old = TrustedKeys::new().with(old.public_key());
    assert!(matches!(
        verify_export(&lines, &only_old),
        Err(VerifyError::UnknownSigningKey { .. })
    ));
}

#[test]
fn malformed_lines_are_refused_without_echoing_their_content() {
    let x = build(20, 10);
    let i = line_of_seq(&x.lines, 5);
    let secret = "Jane Doe DOB 1970-01-01";
    let cases: Vec<(String, &str)> = vec![
        (format!("not json {secret}"), "not valid JSON"),
        (
            x.lines[i].replacen('{', r#"{"seq":5,"#, 1),
            "duplicate object key",
        ),
        (
            edit(&x.lines[i], |m| m["details"]["note"] = Value::from(secret)),
            "detail",
        ),
        (
            edit(&x.lines[i], |m| m["details"]["score"] = Value::from(0.5)),
            "floating point",
        ),
        (
            edit(&x.lines[i], |m| {
                m.insert("comment".into(), Value::from(secret));
            }),
            "unknown field",
        ),
        (
            edit(&x.lines[i], |m| m["kind"] = Value::from(secret)),
            "unknown event kind",
        ),
        (
            edit(&x.lines[i], |m| m["type"] = Value::from("note")),
            "\"type\" is not",
        ),
        (
            edit(&x.lines[i], |m| {
                m.remove("type");
            }),
            "no \"type\"",
        ),
        ("[1,2]".to_string(), "not a JSON object"),
        ("x".repeat(70_000), "longer than"),
    ];
    for (bad, want) in cases {
        let mut lines = x.lines.clone();
        lines[i] = bad;
        match verify_export(&lines, &x.trusted) {
            Err(VerifyError::Malformed { line, reason }) => {
                assert_eq!(line, i as u64 + 1);
                assert!(reason.contains(want), "{reason:?} should mention {want:?}");
                assert!(!reason.contains("Jane"), "{reason:?} echoes content");
            }
            other => panic!("expected Malformed for {want}, got {other:?}"),
        }
    }
    // A malformed head: bad key id.
    let h = line_of_seq(&x.lines, 9) + 1;
    let mut lines = x.lines.clone();
    lines[h] = edit(&lines[h], |m| m["key_id"] = Value::from("../../etc/passwd"));
    assert!(matches!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::Malformed { .. })
    ));
}

#[test]
fn an_empty_log_with_its_head_verifies() {
    let signer = AuditSigner::generate().expect("rng");
    let lines = vec![head_line(
        &AuditLog::new().sign_head(&signer, Timestamp::from_millis(T0)),
    )];
    let report = verify_export(&lines, &TrustedKeys::new().with(signer.public_key())).expect("ok");
    assert_eq!((report.events, report.heads, report.last_size), (0, 1, 0));
}

#[test]
fn the_leaf_covers_content_not_formatting() {
    let x = build(200, 50);
    // Same content, different key order and whitespace: still the same leaves.
    let reformatted: Vec<String> = x
        .lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            let mut out = String::from("{ \"type\" : ");
            out.push_str(&serde_json::to_string(&v["type"]).expect("json"));
            for (k, val) in v.as_object().expect("object").iter().rev() {
                if k != "type" {
                    out.push_str(&format!(
                        ", {} : {}",
                        serde_json::to_string(k).expect("k"),
                        val
                    ));
                }
            }
            out.push_str(" }");
            out
        })
        .collect();
    assert_ne!(reformatted, x.lines);
    assert_eq!(
        verify_export(&reformatted, &x.trusted)
            .expect("verifies")
            .events,
        200
    );

    // An absent optional member is not the same content as an explicit null, although
    // both parse to the same struct: the leaf covers what the line says.
    let mut lines = x.lines.clone();
    let i = line_of_seq(&lines, 3);
    assert!(lines[i].contains(r#""recipient":null"#));
    lines[i] = edit(&lines[i], |m| {
        m["subject"]
            .as_object_mut()
            .expect("object")
            .remove("recipient");
    });
    assert!(matches!(
        verify_export(&lines, &x.trusted),
        Err(VerifyError::ModifiedEvent {
            first_seq: 0,
            last_seq: 49,
            ..
        })
    ));
}

#[test]
fn purged_events_keep_the_export_verifiable_and_are_still_bound_by_the_head() {
    let signer = AuditSigner::generate().expect("rng");
    let trusted = TrustedKeys::new().with(signer.public_key());
    let mut log = AuditLog::new();
    let mut lines = Vec::new();
    let mut leaves = Vec::new();
    for seq in 0..6 {
        let e = AuditEvent::new(
            seq,
            Timestamp::from_millis(seq as i64),
            Actor::System {
                component: "test".into(),
            },
            EventKind::AuthLogin,
        );
        leaves.push(log.append(&e).expect("append"));
        lines.push(event_line(&e).expect("line"));
    }
    lines.push(head_line(
        &log.sign_head(&signer, Timestamp::from_millis(9)),
    ));
    // Purge the first three: their lines become leaf-hash stand-ins.
    let mut purged = lines.clone();
    for seq in 0..3 {
        purged[seq] = purged_line(seq as u64, &leaves[seq]);
    }
    let report = verify_export(&purged, &trusted).expect("still verifies");
    assert_eq!(report.events, 6);
    // A stand-in with a different hash is caught like a modified event.
    let mut forged = purged.clone();
    forged[1] = purged_line(1, &[7u8; 32]);
    assert!(matches!(
        verify_export(&forged, &trusted),
        Err(VerifyError::ModifiedEvent { .. })
    ));
}

#[test]
fn an_export_line_from_stored_canonical_text_equals_the_one_from_the_event() {
    let e = AuditEvent::new(
        3,
        Timestamp::from_millis(7),
        Actor::System {
            component: "test".into(),
        },
        EventKind::AuthLogin,
    )
    .with_detail("n", 1u64);
    let canonical = String::from_utf8(e.canonical_bytes().expect("valid")).expect("utf8");
    assert_eq!(
        event_line_from_canonical(&canonical),
        event_line(&e).expect("line")
    );
}
