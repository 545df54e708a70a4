//! Envelope encryption for everything carepost keeps at rest.
//!
//! **What it does:** every object (a queued message body, later a portal copy or a form
//! answer) is sealed with its own random 256-bit data key under AES-256-GCM. The data key
//! is wrapped (AES-256-GCM) by the tenant's active key; tenant keys and other key material
//! (DKIM private keys) are wrapped by the master key. Each sealed object names the key that
//! wrapped its data key, so tenant keys rotate without touching old objects, and the master
//! key rotates by re-wrapping the (few) tenant keys.
//!
//! **What it does not do:** no file or network I/O: the binary reads the master key file and
//! the storage layer keeps wrapped keys. Key custody behind a KMS is a later adapter that
//! produces a [`MasterKey`].
//!
//! **Security:** primitives come from aws-lc-rs (AES-256-GCM, system RNG). Nonces are 96-bit
//! random values; a data key seals exactly one object, so nonce reuse under one key cannot
//! happen. The object header (format version, key id, wrapped data key) is authenticated as
//! associated data, so swapping a key id or a wrapped key is detected, and callers bind
//! each object to its row with their own associated data (e.g. the message id), so swapping
//! two sealed bodies between rows is detected too. Secrets are zeroized on drop and never
//! printed (`Debug` shows only ids).
//!
//! **PHI:** plaintext passes through [`KeyRing::seal`] and [`KeyRing::open`] in memory only.
//!
//! **Errors:** [`CryptoError`] separates an unknown key, a missing active key, a malformed
//! object and an integrity failure (wrong key, tampered bytes).

mod keyring;

pub use keyring::{KeyKind, KeyRing, MasterKey, NewKey, sealed_key_id};

/// What went wrong while sealing or opening.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The object names a key this ring does not hold.
    #[error("unknown key {0}")]
    UnknownKey(String),
    /// The tenant has no active data key yet.
    #[error("tenant has no active data key")]
    NoActiveKey,
    /// The bytes are not a sealed object of a known format.
    #[error("malformed sealed object: {0}")]
    Malformed(&'static str),
    /// Authentication failed: wrong key, or the bytes were altered.
    #[error("integrity check failed (wrong key or altered data)")]
    Integrity,
    /// The system random number generator failed.
    #[error("random number generator failed")]
    Rng,
    /// A master key in text form could not be read.
    #[error("invalid master key: {0}")]
    BadMasterKey(&'static str),
}
