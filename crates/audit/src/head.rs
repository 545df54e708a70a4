//! Signed tree heads (Ed25519, RFC 8032), trusted keys, witness cosignatures.
//!
//! A tree head says "the log had `tree_size` events and this root at `timestamp`". The
//! signature covers a fixed binary encoding of exactly those three values (see
//! [`TreeHead::signing_input`]), so no serializer choice can change what was signed. The key
//! id travels with the head only to pick the verifying key; the signature binds the key
//! because only that key verifies it.

use std::collections::BTreeMap;
use std::fmt;

use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use model::Timestamp;

use crate::merkle::{Hash, verify_consistency};
use crate::{AuditError, ProofError};

/// Domain separation for the signing input; a signature over a tree head cannot be replayed
/// as a signature over anything else carepost signs.
pub const SIGNING_CONTEXT: &[u8] = b"carepost-sth-v1\n";

/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4): SEQUENCE, algorithm
/// id 1.3.101.112, BIT STRING of 33 bytes; the 32-byte key follows.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// What the log commits to at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeHead {
    /// Number of events in the log.
    pub tree_size: u64,
    /// The Merkle root over those events (hex in JSON).
    #[serde(with = "hex_hash")]
    pub root_hash: Hash,
    /// When the head was signed.
    pub timestamp: Timestamp,
    /// Id of the signing key ([`PublicKey::key_id`]). Not signed; it only selects the key.
    pub key_id: String,
}

impl TreeHead {
    /// The bytes that are signed:
    /// `"carepost-sth-v1\n" || tree_size (u64 big-endian) || timestamp (i64 milliseconds,
    /// big-endian two's complement) || root_hash (32 bytes)`, 64 bytes in all.
    pub fn signing_input(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNING_CONTEXT.len() + 8 + 8 + 32);
        out.extend_from_slice(SIGNING_CONTEXT);
        out.extend_from_slice(&self.tree_size.to_be_bytes());
        out.extend_from_slice(&self.timestamp.as_millis().to_be_bytes());
        out.extend_from_slice(&self.root_hash);
        out
    }
}

/// A tree head and the log's signature over [`TreeHead::signing_input`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedTreeHead {
    /// What is signed.
    pub head: TreeHead,
    /// Ed25519 signature (standard base64 in JSON).
    #[serde(with = "b64_sig")]
    pub signature: [u8; SIGNATURE_LEN],
}

/// A witness's signature over the same signing input as the log's, made only after the
/// witness checked that the head extends the last head it countersigned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cosignature {
    /// Id of the witness key.
    pub witness_key_id: String,
    /// Ed25519 signature over the head's signing input (standard base64 in JSON).
    #[serde(with = "b64_sig")]
    pub signature: [u8; SIGNATURE_LEN],
}

/// An Ed25519 public key of a log signer or a witness.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// From the 32 raw bytes (RFC 8032 encoding).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// From 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Self, AuditError> {
        let bytes = hex::decode(text.trim()).map_err(|_| AuditError::BadPublicKey("not hex"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| AuditError::BadPublicKey("not 32 bytes"))?;
        Ok(Self(bytes))
    }

    /// From a PEM `PUBLIC KEY` block (SubjectPublicKeyInfo, RFC 8410).
    pub fn from_pem(text: &str) -> Result<Self, AuditError> {
        let body: String = text
            .lines()
            .map(str::trim)
            .skip_while(|l| *l != "-----BEGIN PUBLIC KEY-----")
            .skip(1)
            .take_while(|l| *l != "-----END PUBLIC KEY-----")
            .collect();
        let der = B64
            .decode(body)
            .map_err(|_| AuditError::BadPublicKey("bad PEM base64"))?;
        match der.strip_prefix(&SPKI_PREFIX[..]) {
            Some(key) if key.len() == 32 => {
                let mut bytes = [0u8; 32];
                bytes.copy_from_slice(key);
                Ok(Self(bytes))
            }
            _ => Err(AuditError::BadPublicKey(
                "not an Ed25519 SubjectPublicKeyInfo",
            )),
        }
    }

    /// The 32 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A PEM `PUBLIC KEY` block, readable by `openssl pkey -pubin`.
    pub fn to_pem(&self) -> String {
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(&self.0);
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            B64.encode(der)
        )
    }

    /// Hex of the first 8 bytes of SHA-256 of the raw key: 16 characters.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.0)[..8])
    }

    /// Check an Ed25519 signature by this key.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), AuditError> {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(message, signature)
            .map_err(|_| AuditError::BadSignature {
                key_id: self.key_id(),
            })
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// The only thing verification trusts: the public keys it is handed, by key id.
#[derive(Clone, Debug, Default)]
pub struct TrustedKeys {
    keys: BTreeMap<String, PublicKey>,
}

impl TrustedKeys {
    /// No trusted keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trust `key` (for example, the log key before and after a rotation).
    pub fn add(&mut self, key: PublicKey) -> &mut Self {
        self.keys.insert(key.key_id(), key);
        self
    }

    /// Trust `key`, builder style.
    pub fn with(mut self, key: PublicKey) -> Self {
        self.add(key);
        self
    }

    /// The key with this id, if trusted.
    pub fn get(&self, key_id: &str) -> Option<&PublicKey> {
        self.keys.get(key_id)
    }

    /// True if no key is trusted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The private half of a signing key in PKCS#8 (v2) DER. Zeroized on drop; never printed.
pub struct Pkcs8Secret(aws_lc_rs::pkcs8::Document);

impl Pkcs8Secret {
    /// The DER bytes, to be kept as secret as the key itself.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }
}

impl fmt::Debug for Pkcs8Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pkcs8Secret([redacted])")
    }
}

/// An Ed25519 signing key: the log's (signs tree heads) or a witness's (cosigns them).
pub struct AuditSigner {
    key: Ed25519KeyPair,
    public: PublicKey,
    key_id: String,
}

impl AuditSigner {
    /// A fresh random key. Keep [`AuditSigner::to_pkcs8`] somewhere safe to reuse it.
    pub fn generate() -> Result<Self, AuditError> {
        let key = Ed25519KeyPair::generate().map_err(|_| AuditError::Rng)?;
        Ok(Self::from_key_pair(key))
    }

    /// Load a key from PKCS#8 DER (v1 or v2, as written by [`AuditSigner::to_pkcs8`] or
    /// `openssl genpkey -algorithm ed25519 -outform DER`).
    pub fn from_pkcs8(der: &[u8]) -> Result<Self, AuditError> {
        let key = Ed25519KeyPair::from_pkcs8(der).map_err(|_| AuditError::BadSigningKey)?;
        Ok(Self::from_key_pair(key))
    }

    /// The private key as PKCS#8 v2 DER.
    pub fn to_pkcs8(&self) -> Result<Pkcs8Secret, AuditError> {
        self.key
            .to_pkcs8()
            .map(Pkcs8Secret)
            .map_err(|_| AuditError::BadSigningKey)
    }

    /// The public key, to hand to verifiers.
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// The key id ([`PublicKey::key_id`]).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Sign a head over `tree_size` events with root `root_hash` at `timestamp`.
    pub fn sign_head(
        &self,
        tree_size: u64,
        root_hash: Hash,
        timestamp: Timestamp,
    ) -> SignedTreeHead {
        let head = TreeHead {
            tree_size,
            root_hash,
            timestamp,
            key_id: self.key_id.clone(),
        };
        let signature = self.sign(&head.signing_input());
        SignedTreeHead { head, signature }
    }

    /// Cosign a head (witness use): a signature over the same signing input.
    pub fn cosign(&self, head: &TreeHead) -> Cosignature {
        Cosignature {
            witness_key_id: self.key_id.clone(),
            signature: self.sign(&head.signing_input()),
        }
    }

    fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        let sig = self.key.sign(message);
        let mut out = [0u8; SIGNATURE_LEN];
        // Ed25519 signatures are always 64 bytes (RFC 8032 5.1.6).
        out.copy_from_slice(sig.as_ref());
        out
    }

    fn from_key_pair(key: Ed25519KeyPair) -> Self {
        let mut raw = [0u8; 32];
        // An Ed25519 public key is always 32 bytes (RFC 8032 5.1.5).
        raw.copy_from_slice(key.public_key().as_ref());
        let public = PublicKey(raw);
        Self {
            key,
            key_id: public.key_id(),
            public,
        }
    }
}

impl fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditSigner({})", self.key_id)
    }
}

/// Check a signed tree head against the trusted keys. An unknown key id and a signature
/// that does not verify are different errors: the first usually means a missing or rotated
/// key in the verifier's configuration, the second means forgery or corruption.
pub fn verify_head(sth: &SignedTreeHead, trusted: &TrustedKeys) -> Result<(), AuditError> {
    let key = trusted
        .get(&sth.head.key_id)
        .ok_or_else(|| AuditError::UnknownKey {
            key_id: sth.head.key_id.clone(),
        })?;
    key.verify(&sth.head.signing_input(), &sth.signature)
}

/// Check a witness cosignature on `head` against trusted witness keys.
pub fn verify_cosignature(
    head: &TreeHead,
    cosignature: &Cosignature,
    witnesses: &TrustedKeys,
) -> Result<(), AuditError> {
    let key = witnesses
        .get(&cosignature.witness_key_id)
        .ok_or_else(|| AuditError::UnknownKey {
            key_id: cosignature.witness_key_id.clone(),
        })?;
    key.verify(&head.signing_input(), &cosignature.signature)
}

/// A witness: countersigns a log's heads only while they extend one another.
///
/// It holds the last head it countersigned. A new head is countersigned only if it is
/// signed by a trusted log key, is not smaller or older, and comes with a consistency proof
/// from the last head (RFC 9162 2.1.4). A log that shows two different histories (a split
/// view) to this witness can therefore not get both countersigned. The first head is taken
/// on trust; [`Witness::resume`] starts from a stored head instead.
#[derive(Debug)]
pub struct Witness {
    signer: AuditSigner,
    log_keys: TrustedKeys,
    last: Option<SignedTreeHead>,
}

impl Witness {
    /// A witness with no history, countersigning heads signed by `log_keys`.
    pub fn new(signer: AuditSigner, log_keys: TrustedKeys) -> Self {
        Self {
            signer,
            log_keys,
            last: None,
        }
    }

    /// A witness that resumes from the last head it countersigned (re-verified here).
    pub fn resume(
        signer: AuditSigner,
        log_keys: TrustedKeys,
        last: SignedTreeHead,
    ) -> Result<Self, AuditError> {
        verify_head(&last, &log_keys)?;
        Ok(Self {
            signer,
            log_keys,
            last: Some(last),
        })
    }

    /// The last head this witness countersigned.
    pub fn last(&self) -> Option<&SignedTreeHead> {
        self.last.as_ref()
    }

    /// The witness's public key.
    pub fn public_key(&self) -> PublicKey {
        self.signer.public_key()
    }

    /// Countersign `new` if it extends the last countersigned head; `proof` is the
    /// consistency proof from the last head's size to `new`'s size (empty for the first
    /// head or an unchanged size). Nothing changes on error.
    pub fn countersign(
        &mut self,
        new: &SignedTreeHead,
        proof: &[Hash],
    ) -> Result<Cosignature, AuditError> {
        verify_head(new, &self.log_keys)?;
        if let Some(last) = &self.last {
            let (old, cur) = (&last.head, &new.head);
            if cur.tree_size < old.tree_size {
                return Err(AuditError::HeadRollback {
                    last_size: old.tree_size,
                    new_size: cur.tree_size,
                });
            }
            if cur.timestamp < old.timestamp {
                return Err(AuditError::HeadTimestampRegressed {
                    last: old.timestamp,
                    new: cur.timestamp,
                });
            }
            verify_consistency(
                old.tree_size,
                cur.tree_size,
                &old.root_hash,
                &cur.root_hash,
                proof,
            )
            .map_err(|reason| AuditError::InconsistentHead {
                last_size: old.tree_size,
                new_size: cur.tree_size,
                reason,
            })?;
        } else if !proof.is_empty() {
            return Err(AuditError::InconsistentHead {
                last_size: 0,
                new_size: new.head.tree_size,
                reason: ProofError::WrongLength,
            });
        }
        let cosignature = self.signer.cosign(&new.head);
        self.last = Some(new.clone());
        Ok(cosignature)
    }
}

/// Strict lowercase-or-uppercase hex for 32-byte hashes in JSON.
pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::merkle::Hash;

    pub(crate) fn serialize<S: Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        let text = <&str>::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).map_err(|_| D::Error::custom("not 64 hex digits"))?;
        Ok(out)
    }
}

/// Standard base64 (with padding) for 64-byte signatures in JSON.
pub(crate) mod b64_sig {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as B64;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::SIGNATURE_LEN;

    pub(crate) fn serialize<S: Serializer>(
        sig: &[u8; SIGNATURE_LEN],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(sig))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<[u8; SIGNATURE_LEN], D::Error> {
        let text = <&str>::deserialize(d)?;
        let bytes = B64
            .decode(text)
            .map_err(|_| D::Error::custom("signature is not base64"))?;
        bytes
            .try_into()
            .map_err(|_| D::Error::custom("signature is not 64 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MerkleTree, leaf_hash};

    fn ts(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn signing_input_is_fixed_and_64_bytes() {
        let head = TreeHead {
            tree_size: 0x0102,
            root_hash: [0xab; 32],
            timestamp: ts(0x0304),
            key_id: "ignored".into(),
        };
        let input = head.signing_input();
        assert_eq!(input.len(), 64);
        assert_eq!(&input[..16], b"carepost-sth-v1\n");
        assert_eq!(&input[16..24], &[0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(&input[24..32], &[0, 0, 0, 0, 0, 0, 3, 4]);
        assert_eq!(&input[32..], &[0xab; 32]);
    }

    #[test]
    fn a_signed_head_verifies_and_any_change_fails() {
        let signer = AuditSigner::generate().expect("rng");
        let trusted = TrustedKeys::new().with(signer.public_key());
        let sth = signer.sign_head(10, [7; 32], ts(1_000));
        assert_eq!(verify_head(&sth, &trusted), Ok(()));

        let mut bad = sth.clone();
        bad.head.tree_size = 11;
        assert!(matches!(
            verify_head(&bad, &trusted),
            Err(AuditError::BadSignature { .. })
        ));
        let mut bad = sth.clone();
        bad.head.root_hash[31] ^= 1;
        assert!(matches!(
            verify_head(&bad, &trusted),
            Err(AuditError::BadSignature { .. })
        ));
        let mut bad = sth.clone();
        bad.head.timestamp = ts(1_001);
        assert!(matches!(
            verify_head(&bad, &trusted),
            Err(AuditError::BadSignature { .. })
        ));
        let mut bad = sth;
        bad.signature[0] ^= 1;
        assert!(matches!(
            verify_head(&bad, &trusted),
            Err(AuditError::BadSignature { .. })
        ));
    }

    #[test]
    fn a_head_from_an_unknown_key_is_not_a_bad_signature() {
        let signer = AuditSigner::generate().expect("rng");
        let other = AuditSigner::generate().expect("rng");
        let trusted = TrustedKeys::new().with(signer.public_key());
        let sth = other.sign_head(1, [1; 32], ts(5));
        assert_eq!(
            verify_head(&sth, &trusted),
            Err(AuditError::UnknownKey {
                key_id: other.key_id().to_string()
            })
        );
        // Claiming a trusted key id does not help a foreign key.
        let mut claimed = sth;
        claimed.head.key_id = signer.key_id().to_string();
        assert!(matches!(
            verify_head(&claimed, &trusted),
            Err(AuditError::BadSignature { .. })
        ));
    }

    #[test]
    fn keys_round_trip_through_pkcs8_pem_and_hex() {
        let signer = AuditSigner::generate().expect("rng");
        let der = signer.to_pkcs8().expect("encodes");
        let again = AuditSigner::from_pkcs8(der.as_bytes()).expect("decodes");
        assert_eq!(again.public_key(), signer.public_key());
        assert_eq!(again.key_id(), signer.key_id());
        assert_eq!(signer.key_id().len(), 16);
        assert_eq!(format!("{der:?}"), "Pkcs8Secret([redacted])");
        assert!(!format!("{signer:?}").contains(&hex::encode(der.as_bytes())));

        let pk = signer.public_key();
        assert_eq!(PublicKey::from_pem(&pk.to_pem()).expect("pem"), pk);
        assert_eq!(PublicKey::from_hex(&pk.to_hex()).expect("hex"), pk);
        assert!(PublicKey::from_hex("abcd").is_err());
        assert!(
            PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .is_err()
        );
        assert!(AuditSigner::from_pkcs8(b"not a key").is_err());
    }

    #[test]
    fn rfc8032_test_1_verifies() {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        let pk =
            PublicKey::from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
                .expect("hex");
        let sig = hex::decode(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb882\
             1590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        )
        .expect("hex");
        assert_eq!(pk.verify(b"", &sig), Ok(()));
        assert!(pk.verify(b"\x00", &sig).is_err());
    }

    #[test]
    fn signed_heads_round_trip_through_json() {
        let signer = AuditSigner::generate().expect("rng");
        let sth = signer.sign_head(3, [9; 32], ts(42));
        let json = serde_json::to_string(&sth).expect("serializes");
        let back: SignedTreeHead = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, sth);
    }

    struct Log {
        tree: MerkleTree,
        signer: AuditSigner,
    }

    impl Log {
        fn grow_to(&mut self, n: u64) -> SignedTreeHead {
            while self.tree.size() < n {
                let i = self.tree.size();
                self.tree.push(leaf_hash(&i.to_be_bytes()));
            }
            self.signer
                .sign_head(n, self.tree.root(), ts(1_000 + n as i64))
        }
    }

    #[test]
    fn witness_countersigns_only_consistent_growth() {
        let mut log = Log {
            tree: MerkleTree::new(),
            signer: AuditSigner::generate().expect("rng"),
        };
        let log_keys = TrustedKeys::new().with(log.signer.public_key());
        let witness_signer = AuditSigner::generate().expect("rng");
        let witness_keys = TrustedKeys::new().with(witness_signer.public_key());
        let mut witness = Witness::new(witness_signer, log_keys.clone());

        let h5 = log.grow_to(5);
        let c5 = witness
            .countersign(&h5, &[])
            .expect("first head is taken on trust");
        assert_eq!(verify_cosignature(&h5.head, &c5, &witness_keys), Ok(()));

        let h9 = log.grow_to(9);
        let proof = log.tree.consistency_proof(5, 9).expect("in tree");
        let c9 = witness.countersign(&h9, &proof).expect("consistent");
        assert_eq!(verify_cosignature(&h9.head, &c9, &witness_keys), Ok(()));
        assert!(verify_cosignature(&h5.head, &c9, &witness_keys).is_err());
        assert_eq!(witness.last(), Some(&h9));

        // Smaller head: refused, state unchanged.
        assert_eq!(
            witness.countersign(&h5, &[]),
            Err(AuditError::HeadRollback {
                last_size: 9,
                new_size: 5
            })
        );

        // A forked log (different event 7) with a valid signature: refused.
        let mut fork = MerkleTree::from_leaves(
            (0..9u64).map(|i| leaf_hash(&(if i == 7 { 700u64 } else { i }).to_be_bytes())),
        );
        fork.push(leaf_hash(b"x"));
        let forked = log.signer.sign_head(10, fork.root(), ts(2_000));
        let fork_proof = fork.consistency_proof(9, 10).expect("in tree");
        assert!(matches!(
            witness.countersign(&forked, &fork_proof),
            Err(AuditError::InconsistentHead {
                last_size: 9,
                new_size: 10,
                ..
            })
        ));

        // Same size, different root (a split view): refused.
        let split = log
            .signer
            .sign_head(9, fork.root_at(9).expect("in"), ts(2_000));
        assert!(matches!(
            witness.countersign(&split, &[]),
            Err(AuditError::InconsistentHead {
                last_size: 9,
                new_size: 9,
                ..
            })
        ));

        // A head whose timestamp goes backwards: refused.
        let h12 = log.grow_to(12);
        let mut old = h12.clone();
        old.head.timestamp = ts(1);
        let old = log
            .signer
            .sign_head(12, old.head.root_hash, old.head.timestamp);
        let p = log.tree.consistency_proof(9, 12).expect("in tree");
        assert!(matches!(
            witness.countersign(&old, &p),
            Err(AuditError::HeadTimestampRegressed { .. })
        ));
        // A head from a key the witness does not know: refused.
        let stranger = AuditSigner::generate().expect("rng");
        let foreign = stranger.sign_head(12, h12.head.root_hash, h12.head.timestamp);
        assert!(matches!(
            witness.countersign(&foreign, &p),
            Err(AuditError::UnknownKey { .. })
        ));
        // Still at 9, and the honest head with its proof is accepted.
        assert_eq!(witness.last(), Some(&h9));
        witness.countersign(&h12, &p).expect("consistent");
        assert_eq!(witness.last(), Some(&h12));

        // Resuming from storage re-verifies the stored head.
        let resumed = Witness::resume(AuditSigner::generate().expect("rng"), log_keys, h12.clone());
        assert!(resumed.is_ok());
    }
}
