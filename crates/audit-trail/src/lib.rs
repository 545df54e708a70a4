//! The running audit trail: keeps the Merkle tree over the stored events, signs and
//! publishes tree heads, gathers witness countersignatures, and answers for proofs,
//! receipts, exports and verification of the live store.
//!
//! **What it does:** [`AuditTrail`] loads every leaf hash from the store at start-up and
//! follows the store as events are appended (by any process or node: the database is the
//! order). [`AuditTrail::sign_head`] signs a head over everything committed, keeps it in the
//! store and hands it to every [`HeadPublisher`]: the append-only [`HeadFile`] and each
//! [`WitnessClient`]. [`AuditTrail::receipt`] proves how one message travelled (each event
//! with its inclusion proof under one signed head). [`AuditTrail::export`] writes the JSON
//! Lines export that `audit::verify_export` checks offline, ending with a head over every
//! event in it. [`verify_store`] checks the live store the same way, recomputing every leaf
//! from the stored event rather than trusting the stored hash, and holds the result against
//! heads kept outside the database (the head file, witnesses).
//!
//! **What it does not do:** write events (the store does that in the transaction of each
//! change), decide who may read the trail (the CLI and API do), or run the witness's own
//! server (the `carepost witness` command does, with [`witness`] for its state).
//!
//! **Security:** the signing key is held in memory only as an [`audit::AuditSigner`] and is
//! loaded from a file of mode 0600 by the caller. Verification trusts only the public keys
//! it is handed, never keys, heads or hashes read from the database it checks. An insider
//! who rewrites the database and re-signs it produces heads that contradict the ones
//! already in the head file and at the witnesses: [`verify_store`] reports a forked head.
//!
//! **PHI:** none passes through here. Events hold ids, categories and keyed hashes only
//! (enforced by `audit::AuditEvent::validate` when the store writes them).

mod export;
mod publish;
mod trail;
pub mod witness;

pub use export::{ExportSummary, LiveLines, LiveReport, LiveVerifyError, verify_store};
pub use publish::{
    CountersignRequest, CountersignResponse, HeadFile, HeadPublisher, WitnessClient, WitnessLast,
};
pub use trail::{AuditTrail, Receipt, ReceiptEvent, SharedTrail, verify_receipt};

/// What went wrong in the trail.
#[derive(Debug, thiserror::Error)]
pub enum TrailError {
    /// The store failed.
    #[error("audit store: {0}")]
    Storage(#[from] storage::StorageError),
    /// A proof, key or event problem.
    #[error("audit: {0}")]
    Audit(#[from] audit::AuditError),
    /// A proof could not be made (e.g. a size beyond the tree).
    #[error("proof: {0}")]
    Proof(#[from] audit::ProofError),
    /// Reading or writing a file failed.
    #[error("{what}: {source}")]
    Io {
        /// Which file or action.
        what: String,
        /// The error.
        source: std::io::Error,
    },
    /// A witness refused or could not be reached.
    #[error("witness {url}: {reason}")]
    Witness {
        /// The witness's address.
        url: String,
        /// Why (no PHI: heads are public).
        reason: String,
    },
    /// The store's events disagree with the tree this process holds (an event was changed
    /// or removed under it).
    #[error("the stored audit log no longer matches the tree held in memory at size {size}")]
    Diverged {
        /// The size at which they disagree.
        size: u64,
    },
    /// No event mentions this message.
    #[error("no audit events for this message")]
    NoEvents,
}

/// Result of a trail call.
pub type Result<T> = std::result::Result<T, TrailError>;

pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> TrailError {
    let what = what.into();
    move |source| TrailError::Io { what, source }
}
