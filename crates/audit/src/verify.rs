//! The export format and the offline verifier.
//!
//! An export is JSON Lines. Each line is canonical JSON (see `canonical.rs`) of either
//!
//! * an event: `{"type":"event", …every field of the event…}`, in `seq` order from 0; or
//! * a signed tree head: `{"type":"head","key_id":…,"root_hash":…,"signature":…,
//!   "timestamp":…,"tree_size":…}` (hex root, base64 signature), anywhere in the stream; or
//! * a purged event: `{"leaf_hash":"…","seq":…,"type":"purged"}`, standing in for an event
//!   whose content retention removed. Only its leaf hash remains, which is all the tree
//!   needs, so heads and proofs over later events still verify; the verifier cannot say
//!   anything about the purged content itself.
//!
//! The file must end with a head that covers every event. An event's leaf is the canonical
//! JSON of its line without the `type` member, so any JCS implementation can recompute it.
//!
//! [`verify_export`] recomputes the tree from the events and checks every head against it.
//! What it trusts: the public keys it is given, SHA-256 and Ed25519. Not the file, not the
//! database the file came from, not the key ids the file names.
//!
//! A cut made exactly after a head leaves a shorter export that is still valid: nothing in
//! the file can show that more existed. [`verify_export_against`] checks the export against
//! a head obtained independently (a witness, a published checkpoint, the previous export)
//! to catch that.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;
use serde_json::{Map, Value};

use model::Timestamp;

use crate::AuditError;
use crate::canonical::{parse_strict, write_canonical};
use crate::event::AuditEvent;
use crate::head::{
    SIGNATURE_LEN, SignedTreeHead, TreeHead, TrustedKeys, b64_sig, hex_hash, verify_head,
};
use crate::merkle::{EMPTY_ROOT, Hash, MerkleTree, leaf_hash};

/// The longest line the verifier reads; events are far smaller (details are bounded).
pub const MAX_LINE_LEN: usize = 64 * 1024;

/// What a successful verification establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events read (all covered by a verified head).
    pub events: u64,
    /// Signed heads read and verified.
    pub heads: u64,
    /// Size of the last (largest) verified head; equals `events`.
    pub last_size: u64,
    /// Root of the last verified head.
    pub last_root: Hash,
}

/// Why an export does not verify. The first problem in file order is reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Some event in `first_seq..=last_seq` is not what the head on line `head_line` signed
    /// (its content changed, or events were renumbered). With a head after every event the
    /// range is that one event; otherwise no file content can narrow it further.
    #[error(
        "event content changed: an event in seq {first_seq}..={last_seq} does not match the \
         signed head on line {head_line}"
    )]
    ModifiedEvent {
        /// First event not covered by an earlier verified head.
        first_seq: u64,
        /// Last event covered by the failing head.
        last_seq: u64,
        /// Line of the failing head.
        head_line: u64,
    },
    /// The event with this sequence number is not in the export.
    #[error("event {expected_seq} is missing")]
    MissingEvent {
        /// The first sequence number that should be there and is not.
        expected_seq: u64,
    },
    /// The event on `line` repeats an earlier sequence number or comes before an event that
    /// should precede it.
    #[error("event {seq} on line {line} is inserted or out of order")]
    InsertedOrReordered {
        /// Its sequence number.
        seq: u64,
        /// Its line.
        line: u64,
    },
    /// The export does not end with a signed head covering every event.
    #[error("truncated: {events} events but signed heads cover only {covered}")]
    Truncated {
        /// Events read.
        events: u64,
        /// Events covered by the largest verified head.
        covered: u64,
    },
    /// A head is signed by a key that is not among the trusted keys.
    #[error("head on line {line} is signed by unknown key {key_id}")]
    UnknownSigningKey {
        /// The key id the head names (16 hex digits).
        key_id: String,
        /// Its line (0 for the known head of [`verify_export_against`]).
        line: u64,
    },
    /// A head names a trusted key but its signature does not verify.
    #[error("head on line {line} has a bad signature")]
    BadSignature {
        /// Its line (0 for the known head of [`verify_export_against`]).
        line: u64,
    },
    /// A correctly signed head disagrees with an earlier verified head of this export (or,
    /// on line 0, the known head disagrees with the export) about events both cover: the
    /// signer signed two histories (key compromise or a split view).
    #[error("head on line {line} (size {tree_size}) contradicts another signed head")]
    ForkedHead {
        /// Its line (0 for the known head of [`verify_export_against`]).
        line: u64,
        /// Its size.
        tree_size: u64,
    },
    /// The export holds fewer events than a head known from elsewhere
    /// ([`verify_export_against`]): it was cut, or it predates that head.
    #[error("export has {events} events but a known head covers {known_size}")]
    ShorterThanKnownHead {
        /// The known head's size.
        known_size: u64,
        /// Events in the export.
        events: u64,
    },
    /// A line that is not a valid event or head.
    #[error("line {line} is malformed: {reason}")]
    Malformed {
        /// The line (from 1).
        line: u64,
        /// Which rule it breaks (never the line's content).
        reason: String,
    },
}

/// The export line for an event (validated first).
pub fn event_line(event: &AuditEvent) -> Result<String, AuditError> {
    let mut bytes = event.canonical_bytes()?;
    // `type` sorts after every member of an event ("tenant" is the last), so the canonical
    // line is the canonical event with the member spliced in before the closing brace.
    bytes.pop();
    bytes.extend_from_slice(EVENT_LINE_SUFFIX.as_bytes());
    // Canonical output of valid UTF-8 strings is valid UTF-8.
    String::from_utf8(bytes).map_err(|_| AuditError::InvalidEvent("not UTF-8".into()))
}

/// The export line for an event already in canonical form (as a store keeps it), without
/// parsing it again. Text that is not a JSON object is passed on unchanged: the verifier
/// then reports the line as malformed, which is what it is.
pub fn event_line_from_canonical(canonical: &str) -> String {
    match canonical.strip_suffix('}') {
        Some(body) => {
            let mut line = String::with_capacity(canonical.len() + EVENT_LINE_SUFFIX.len());
            line.push_str(body);
            line.push_str(EVENT_LINE_SUFFIX);
            line
        }
        None => canonical.to_string(),
    }
}

/// How every canonical event line ends.
const EVENT_LINE_SUFFIX: &str = r#","type":"event"}"#;

/// The export line standing in for a purged event (only its leaf hash is left).
pub fn purged_line(seq: u64, leaf_hash: &Hash) -> String {
    format!(
        r#"{{"leaf_hash":"{}","seq":{seq},"type":"purged"}}"#,
        hex::encode(leaf_hash)
    )
}

/// [`verify_export`], then check the export against several heads known from elsewhere
/// (every head in a published head file, a witness's countersigned heads): each must be
/// signed by a trusted key and agree with the export's tree at its size.
pub fn verify_export_against_heads<I, S>(
    lines: I,
    trusted: &TrustedKeys,
    known: &[SignedTreeHead],
) -> Result<VerifyReport, VerifyError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let (report, tree) = verify_tree(lines, trusted)?;
    for head in known {
        check_known(&tree, &report, trusted, head)?;
    }
    Ok(report)
}

fn check_known(
    tree: &MerkleTree,
    report: &VerifyReport,
    trusted: &TrustedKeys,
    known: &SignedTreeHead,
) -> Result<(), VerifyError> {
    verify_head(known, trusted).map_err(|e| match e {
        AuditError::UnknownKey { key_id } => VerifyError::UnknownSigningKey { key_id, line: 0 },
        _ => VerifyError::BadSignature { line: 0 },
    })?;
    let size = known.head.tree_size;
    match tree.root_at(size) {
        Err(_) => Err(VerifyError::ShorterThanKnownHead {
            known_size: size,
            events: report.events,
        }),
        Ok(root) if root != known.head.root_hash => Err(VerifyError::ForkedHead {
            line: 0,
            tree_size: size,
        }),
        Ok(_) => Ok(()),
    }
}

/// Read one line as written by [`head_line`] (a published head file holds these). The
/// error names the rule broken, never the content.
pub fn parse_head_line(text: &str) -> Result<SignedTreeHead, String> {
    if text.len() > MAX_LINE_LEN {
        return Err(format!("longer than {MAX_LINE_LEN} bytes"));
    }
    let value = parse_strict(text).map_err(|e| describe(&e))?;
    let Value::Object(mut map) = value else {
        return Err("not a JSON object".into());
    };
    match map.remove("type") {
        Some(Value::String(kind)) if kind == "head" => {}
        _ => return Err("not a head line".into()),
    }
    match parse_head(map)? {
        Parsed::Head(sth) => Ok(sth),
        Parsed::Event { .. } => Err("not a head line".into()),
    }
}

/// The export line for a signed tree head.
pub fn head_line(sth: &SignedTreeHead) -> String {
    // Members in key order; the key id is the only free text, escaped as JSON.
    format!(
        r#"{{"key_id":{},"root_hash":"{}","signature":"{}","timestamp":{},"tree_size":{},"type":"head"}}"#,
        Value::from(sth.head.key_id.as_str()),
        hex::encode(sth.head.root_hash),
        B64.encode(sth.signature),
        sth.head.timestamp.as_millis(),
        sth.head.tree_size,
    )
}

/// Verify an export, line by line, trusting only `trusted` signer keys.
///
/// `lines` are the lines of the file without their line terminators. Memory is one leaf
/// hash per event (64 bytes with the tree's inner nodes).
pub fn verify_export<I, S>(lines: I, trusted: &TrustedKeys) -> Result<VerifyReport, VerifyError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    verify_tree(lines, trusted).map(|(report, _)| report)
}

/// [`verify_export`], then check the export against a head known from elsewhere (a
/// witness's last countersigned head, a published checkpoint, the head of the previous
/// export): the export must contain that head's tree. This is what catches a file cut
/// exactly after one of its heads, or an export that rewrites history the known head fixed.
pub fn verify_export_against<I, S>(
    lines: I,
    trusted: &TrustedKeys,
    known: &SignedTreeHead,
) -> Result<VerifyReport, VerifyError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    verify_export_against_heads(lines, trusted, std::slice::from_ref(known))
}

fn verify_tree<I, S>(
    lines: I,
    trusted: &TrustedKeys,
) -> Result<(VerifyReport, MerkleTree), VerifyError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut lines = lines.into_iter().zip(1u64..).peekable();
    let mut tree = MerkleTree::new();
    let mut heads = 0u64;
    let mut covered = 0u64;
    let mut last_root = EMPTY_ROOT;

    while let Some((text, line)) = lines.next() {
        let is_last = lines.peek().is_none();
        let parsed = parse_line(text.as_ref(), line, is_last).map_err(|e| match e {
            VerifyError::Truncated { .. } => VerifyError::Truncated {
                events: tree.size(),
                covered,
            },
            other => other,
        })?;
        match parsed {
            Parsed::Event { seq, leaf } => {
                let expected = tree.size();
                if seq == expected {
                    tree.push(leaf);
                } else if seq < expected {
                    return Err(VerifyError::InsertedOrReordered { seq, line });
                } else {
                    // A gap. If the missing event turns up later it was moved, not deleted.
                    let later =
                        lines.any(|(rest, _)| peek_event_seq(rest.as_ref()) == Some(expected));
                    return Err(if later {
                        VerifyError::InsertedOrReordered { seq, line }
                    } else {
                        VerifyError::MissingEvent {
                            expected_seq: expected,
                        }
                    });
                }
            }
            Parsed::Head(sth) => {
                verify_head(&sth, trusted).map_err(|e| match e {
                    AuditError::UnknownKey { key_id } => {
                        VerifyError::UnknownSigningKey { key_id, line }
                    }
                    _ => VerifyError::BadSignature { line },
                })?;
                heads += 1;
                let size = sth.head.tree_size;
                // A head counting more events than precede it: the next one is missing.
                let root = tree.root_at(size).map_err(|_| VerifyError::MissingEvent {
                    expected_seq: tree.size(),
                })?;
                if root != sth.head.root_hash {
                    // Events up to `covered` already matched a signed head; a head that
                    // disagrees about them contradicts that head, not the events.
                    return Err(if size <= covered {
                        VerifyError::ForkedHead {
                            line,
                            tree_size: size,
                        }
                    } else {
                        VerifyError::ModifiedEvent {
                            first_seq: covered,
                            last_seq: size - 1,
                            head_line: line,
                        }
                    });
                }
                if size >= covered {
                    covered = size;
                    last_root = root;
                }
            }
        }
    }
    if heads == 0 || covered != tree.size() {
        return Err(VerifyError::Truncated {
            events: tree.size(),
            covered,
        });
    }
    let report = VerifyReport {
        events: tree.size(),
        heads,
        last_size: covered,
        last_root,
    };
    Ok((report, tree))
}

enum Parsed {
    Event { seq: u64, leaf: Hash },
    Head(SignedTreeHead),
}

/// A head line without its `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadLine {
    tree_size: u64,
    #[serde(with = "hex_hash")]
    root_hash: Hash,
    timestamp: Timestamp,
    key_id: String,
    #[serde(with = "b64_sig")]
    signature: [u8; SIGNATURE_LEN],
}

fn parse_line(text: &str, line: u64, is_last: bool) -> Result<Parsed, VerifyError> {
    let malformed = |reason: String| VerifyError::Malformed { line, reason };
    if text.len() > MAX_LINE_LEN {
        return Err(malformed(format!("longer than {MAX_LINE_LEN} bytes")));
    }
    if let Some(parsed) = parse_canonical_event(text) {
        return Ok(parsed);
    }
    let value = match parse_strict(text) {
        Ok(v) => v,
        // An incomplete last line is what cutting a file mid-line leaves behind. The
        // caller fills in the counts.
        Err(e) if is_last && e.is_eof() => {
            return Err(VerifyError::Truncated {
                events: 0,
                covered: 0,
            });
        }
        Err(e) => return Err(malformed(describe(&e))),
    };
    let Value::Object(mut map) = value else {
        return Err(malformed("not a JSON object".into()));
    };
    let Some(Value::String(kind)) = map.remove("type") else {
        return Err(malformed("no \"type\" member".into()));
    };
    match kind.as_str() {
        "event" => parse_event(map).map_err(malformed),
        "head" => parse_head(map).map_err(malformed),
        "purged" => parse_purged(map).map_err(malformed),
        _ => Err(malformed(
            "\"type\" is not \"event\", \"head\" or \"purged\"".into(),
        )),
    }
}

/// The fast path for a line exactly as [`event_line`] writes it (every line of an honest
/// export): parse the event straight into its struct and check that its canonical bytes are
/// the line minus its `type` member. If they are, the general path would compute the same
/// leaf (canonical text has no duplicate keys and re-canonicalises to itself) and accept
/// the same event; anything else, including every malformed line, takes the general path.
fn parse_canonical_event(text: &str) -> Option<Parsed> {
    let body = text.strip_suffix(EVENT_LINE_SUFFIX)?;
    let mut candidate = String::with_capacity(body.len() + 1);
    candidate.push_str(body);
    candidate.push('}');
    let event: AuditEvent = serde_json::from_str(&candidate).ok()?;
    let bytes = event.canonical_bytes().ok()?;
    (bytes == candidate.as_bytes()).then(|| Parsed::Event {
        seq: event.seq,
        leaf: leaf_hash(&bytes),
    })
}

fn parse_event(map: Map<String, Value>) -> Result<Parsed, String> {
    let value = Value::Object(map);
    let event = AuditEvent::deserialize(&value).map_err(|e| describe(&e))?;
    event.validate().map_err(|e| e.to_string())?;
    // The leaf covers the line as written (minus `type`), not a re-serialization of the
    // parsed struct, so a verifier in another language computes the same bytes.
    let mut bytes = Vec::with_capacity(512);
    write_canonical(&value, &mut bytes).map_err(|_| "floating point number".to_string())?;
    Ok(Parsed::Event {
        seq: event.seq,
        leaf: leaf_hash(&bytes),
    })
}

fn parse_purged(map: Map<String, Value>) -> Result<Parsed, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PurgedLine {
        seq: u64,
        #[serde(with = "hex_hash")]
        leaf_hash: Hash,
    }
    let line = PurgedLine::deserialize(&Value::Object(map)).map_err(|e| describe(&e))?;
    Ok(Parsed::Event {
        seq: line.seq,
        leaf: line.leaf_hash,
    })
}

fn parse_head(map: Map<String, Value>) -> Result<Parsed, String> {
    let line = HeadLine::deserialize(&Value::Object(map)).map_err(|e| describe(&e))?;
    if line.key_id.len() != 16 || !line.key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("key_id is not 16 hex digits".into());
    }
    let head = TreeHead {
        tree_size: line.tree_size,
        root_hash: line.root_hash,
        timestamp: line.timestamp,
        key_id: line.key_id,
    };
    Ok(Parsed::Head(SignedTreeHead {
        head,
        signature: line.signature,
    }))
}

/// The `seq` of an event line, for the look-ahead after a gap; `None` for anything else.
fn peek_event_seq(text: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Peek {
        #[serde(rename = "type")]
        kind: String,
        seq: Option<u64>,
    }
    let peek: Peek = serde_json::from_str(text).ok()?;
    if peek.kind == "event" || peek.kind == "purged" {
        peek.seq
    } else {
        None
    }
}

/// A reason for a JSON error that never repeats the line's content (which may be anything,
/// including PHI someone tried to smuggle in): the error class, column, and only the
/// messages we wrote ourselves or serde's fixed prefixes.
fn describe(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    const KNOWN: [&str; 10] = [
        "duplicate object key",
        "floating point numbers are not allowed",
        "unknown event kind",
        "not 64 hex digits",
        "signature is not base64",
        "signature is not 64 bytes",
        "missing field",
        "unknown field",
        "unknown variant",
        "invalid type",
    ];
    let what = KNOWN
        .iter()
        .find(|k| msg.starts_with(*k))
        .copied()
        .unwrap_or(match e.classify() {
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Eof => "incomplete JSON",
            _ => "does not match the schema",
        });
    if e.column() > 0 {
        format!("{what} (column {})", e.column())
    } else {
        what.to_string()
    }
}
