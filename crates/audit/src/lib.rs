//! The audit trail: a log anyone can verify offline (HIPAA 164.312(b) audit controls,
//! 164.312(c)(1) integrity).
//!
//! **What it does:** defines the audit event (a fixed, versioned schema, [`AuditEvent`]) and
//! its canonical bytes; keeps the events in an append-only Merkle tree in the style of
//! Certificate Transparency v2 ([`MerkleTree`], [`AuditLog`]); signs tree heads with Ed25519
//! ([`AuditSigner`], [`SignedTreeHead`]); produces and checks inclusion proofs (this event is
//! in the log) and consistency proofs (this log only grew since that head); lets a witness
//! countersign heads only while they extend one another ([`Witness`]); and verifies a whole
//! export offline ([`verify_export`]), reporting a modified, missing, inserted, reordered or
//! truncated event, or a head signed by an unknown key, precisely.
//!
//! **What it does not do:** no I/O of any kind: no files, no network, no database, no async
//! runtime, no clock (callers pass timestamps). Storage comes later and lives elsewhere: the
//! store writes each event in the same database transaction as the change it records, keeps
//! its leaf hash, and signs heads periodically; the CLI (`carepost audit verify`) feeds an
//! export's lines to [`verify_export`].
//!
//! **Security:** verification trusts only the signer public keys it is handed
//! ([`TrustedKeys`]) and the primitives (SHA-256, Ed25519), never the database or the file
//! being checked: key ids in a file only select among trusted keys, and an unknown key is
//! reported as such ([`VerifyError::UnknownSigningKey`]), apart from a bad signature. The
//! signing key is needed only by the process that appends events and signs heads; it is
//! loaded from PKCS#8 and never printed. Anyone holding the signing key can sign a different
//! history; witnesses ([`Witness`]) and heads kept outside carepost are the defence against
//! that (a split view cannot get both versions countersigned). Parsing of untrusted lines is
//! strict: duplicate JSON keys, floats, unknown fields and overlong lines are refused, so a
//! line cannot read one way here and another way in a different JSON parser.
//!
//! **Standards:** RFC 9162 section 2.1 (Merkle tree hash 2.1.1, inclusion proofs 2.1.3 with
//! the verification algorithm of 2.1.3.2, consistency proofs 2.1.4 with 2.1.4.2), checked
//! against the RFC 6962 reference vectors; RFC 8032 (Ed25519; TEST 1 of 7.1 is a unit test);
//! RFC 8410 (Ed25519 public keys in PEM); RFC 2104 HMAC with SHA-256 for keyed hashes; the
//! canonical JSON is the subset of RFC 8785 (JCS) without floating point numbers.
//!
//! **PHI:** none. Events hold ids (tenant, user, API key, message, recipient), a category
//! ([`EventKind`]), the actor, the source address, and `details` restricted by
//! [`AuditEvent::validate`] to booleans, integers and short tokens (no spaces, no `@`), so
//! names, free text and e-mail addresses cannot be written; patient identifiers go in only
//! as a [`keyed_hash`]. Error messages name the rule broken, never the value.
//!
//! **Errors:** [`AuditError`] for building, signing and checking (an invalid event, a key
//! problem, an unknown key versus a bad signature, a witness refusing a rollback, a
//! timestamp regression or an inconsistent head); [`ProofError`] says why a Merkle proof
//! failed; [`VerifyError`] is the verdict on an export, naming the sequence number or line.

// STYLE.md asks for missing_docs on library crates; the workspace table does not set it yet.
#![warn(missing_docs)]

mod canonical;
mod event;
mod head;
mod log;
mod merkle;
pub mod record;
mod verify;

pub use event::{
    Actor, AuditEvent, EventKind, KeyedHashKey, MAX_DETAIL_ARRAY_LEN, MAX_DETAIL_KEY_LEN,
    MAX_DETAILS, MAX_EVENT_BYTES, MAX_TOKEN_LEN, SCHEMA_VERSION, Subject, is_token, keyed_hash,
};
pub use head::{
    AuditSigner, Cosignature, Pkcs8Secret, PublicKey, SIGNATURE_LEN, SIGNING_CONTEXT,
    SignedTreeHead, TreeHead, TrustedKeys, Witness, verify_cosignature, verify_head,
};
pub use log::AuditLog;
pub use merkle::{
    EMPTY_ROOT, Hash, MerkleTree, consistency_proof, inclusion_proof, leaf_hash, node_hash, root,
    verify_consistency, verify_inclusion,
};
pub use verify::{
    MAX_LINE_LEN, VerifyError, VerifyReport, event_line, event_line_from_canonical, head_line,
    parse_head_line, purged_line, verify_export, verify_export_against,
    verify_export_against_heads,
};

use model::Timestamp;

/// What went wrong while building, signing or checking audit data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// The event breaks a schema rule (the message names the rule, not the value).
    #[error("invalid audit event: {0}")]
    InvalidEvent(String),
    /// The event's sequence number is not the next one.
    #[error("event out of sequence: expected seq {expected}, got {got}")]
    OutOfSequence {
        /// The next sequence number of the log.
        expected: u64,
        /// The event's.
        got: u64,
    },
    /// A keyed-hash key shorter than [`KeyedHashKey::MIN_LEN`].
    #[error("keyed-hash key is too short")]
    WeakKey,
    /// A Merkle proof did not verify or could not be produced.
    #[error("Merkle proof: {0}")]
    Proof(#[from] ProofError),
    /// A head or cosignature names a key that is not trusted.
    #[error("unknown signing key {key_id}")]
    UnknownKey {
        /// The key id it names.
        key_id: String,
    },
    /// A signature by a trusted key does not verify.
    #[error("bad signature for key {key_id}")]
    BadSignature {
        /// The key that was expected to have signed.
        key_id: String,
    },
    /// A public key could not be read.
    #[error("invalid public key: {0}")]
    BadPublicKey(&'static str),
    /// A private key could not be read or written as PKCS#8 Ed25519.
    #[error("invalid Ed25519 signing key")]
    BadSigningKey,
    /// The system random number generator failed.
    #[error("random number generator failed")]
    Rng,
    /// A witness was shown a head smaller than the last one it countersigned.
    #[error("head of size {new_size} is smaller than the countersigned size {last_size}")]
    HeadRollback {
        /// The size the witness holds.
        last_size: u64,
        /// The size offered.
        new_size: u64,
    },
    /// A witness was shown a head older than the last one it countersigned.
    #[error("head timestamp {new} is before the countersigned head's {last}")]
    HeadTimestampRegressed {
        /// The timestamp the witness holds.
        last: Timestamp,
        /// The timestamp offered.
        new: Timestamp,
    },
    /// A witness was shown a head that does not extend the last one it countersigned.
    #[error("head of size {new_size} is not consistent with size {last_size}: {reason}")]
    InconsistentHead {
        /// The size the witness holds.
        last_size: u64,
        /// The size offered.
        new_size: u64,
        /// Why the consistency proof failed.
        reason: ProofError,
    },
}

/// Why a Merkle proof was refused or could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is not in a tree of size {tree_size}")]
    IndexOutOfRange {
        /// The index.
        index: u64,
        /// The tree size.
        tree_size: u64,
    },
    /// A size beyond the leaves the tree holds.
    #[error("size {size} is beyond the tree's {tree_size} leaves")]
    SizeBeyondTree {
        /// The size asked for.
        size: u64,
        /// Leaves held.
        tree_size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one.
    #[error("first size {first} is larger than second size {second}")]
    SizesOutOfOrder {
        /// The first (older) size.
        first: u64,
        /// The second (newer) size.
        second: u64,
    },
    /// The proof has the wrong number of hashes for these sizes.
    #[error("proof has the wrong length")]
    WrongLength,
    /// The proof does not lead to the given root(s).
    #[error("proof does not match the root")]
    RootMismatch,
}
