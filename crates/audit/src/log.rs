//! The in-memory append side of the log: sequence numbers, leaf hashes, the tree, heads.
//!
//! The store (later) keeps events and their leaf hashes in the database and rebuilds an
//! [`AuditLog`] from the stored leaf hashes at start-up ([`AuditLog::from_leaf_hashes`]);
//! an append then happens in the same transaction as the change it records.

use model::Timestamp;

use crate::AuditError;
use crate::event::AuditEvent;
use crate::head::{AuditSigner, SignedTreeHead};
use crate::merkle::{Hash, MerkleTree};

/// Events appended so far, as a Merkle tree of their leaf hashes.
#[derive(Clone, Debug, Default)]
pub struct AuditLog {
    tree: MerkleTree,
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// A log holding these leaf hashes, in sequence order (for example, read back from
    /// storage). The hashes are taken as given; the offline verifier is what checks them.
    pub fn from_leaf_hashes(leaves: impl IntoIterator<Item = Hash>) -> Self {
        Self {
            tree: MerkleTree::from_leaves(leaves),
        }
    }

    /// The sequence number the next event must carry.
    pub fn next_seq(&self) -> u64 {
        self.tree.size()
    }

    /// Append an event: it must carry [`AuditLog::next_seq`] and pass
    /// [`AuditEvent::validate`]. Returns its leaf hash, to be stored with it.
    pub fn append(&mut self, event: &AuditEvent) -> Result<Hash, AuditError> {
        let expected = self.next_seq();
        if event.seq != expected {
            return Err(AuditError::OutOfSequence {
                expected,
                got: event.seq,
            });
        }
        let leaf = event.leaf_hash()?;
        self.tree.push(leaf);
        Ok(leaf)
    }

    /// The Merkle tree, for roots at earlier sizes and proofs.
    pub fn tree(&self) -> &MerkleTree {
        &self.tree
    }

    /// Sign a head over everything appended so far.
    pub fn sign_head(&self, signer: &AuditSigner, now: Timestamp) -> SignedTreeHead {
        signer.sign_head(self.tree.size(), self.tree.root(), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Actor, EventKind};
    use crate::head::{TrustedKeys, verify_head};
    use crate::merkle::verify_inclusion;

    #[test]
    fn appends_in_sequence_and_proves_each_event() {
        let mut log = AuditLog::new();
        let actor = Actor::System {
            component: "test".into(),
        };
        let mut leaves = Vec::new();
        for seq in 0..10 {
            let e = AuditEvent::new(
                seq,
                Timestamp::from_millis(0),
                actor.clone(),
                EventKind::AuthLogin,
            );
            leaves.push(log.append(&e).expect("in sequence"));
        }
        let skip = AuditEvent::new(11, Timestamp::from_millis(0), actor, EventKind::AuthLogin);
        assert_eq!(
            log.append(&skip),
            Err(AuditError::OutOfSequence {
                expected: 10,
                got: 11
            })
        );

        let signer = AuditSigner::generate().expect("rng");
        let sth = log.sign_head(&signer, Timestamp::from_millis(1));
        verify_head(&sth, &TrustedKeys::new().with(signer.public_key())).expect("valid");
        for (i, leaf) in leaves.iter().enumerate() {
            let proof = log.tree().inclusion_proof(i as u64, 10).expect("in range");
            verify_inclusion(leaf, i as u64, 10, &proof, &sth.head.root_hash).expect("included");
        }
        let again = AuditLog::from_leaf_hashes(leaves);
        assert_eq!(again.tree().root(), sth.head.root_hash);
    }
}
