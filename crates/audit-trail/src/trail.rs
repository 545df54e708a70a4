//! The in-memory tree over the stored log, head signing and receipts.

use std::sync::Arc;

use audit::{AuditEvent, AuditSigner, Hash, MerkleTree, SignedTreeHead};
use model::{Clock, MessageId};
use serde::{Deserialize, Serialize};
use storage::{AuditFilter, SharedStore, StoredTreeHead};
use tokio::sync::Mutex;

use crate::publish::HeadPublisher;
use crate::{Result, TrailError};

/// Leaf hashes read per query while following the store.
const PAGE: u32 = 50_000;

/// The trail shared by the services of one process.
pub type SharedTrail = Arc<AuditTrail>;

/// The Merkle tree over the stored events, and the key that signs its heads.
pub struct AuditTrail {
    store: SharedStore,
    signer: AuditSigner,
    clock: Arc<dyn Clock>,
    tree: Mutex<MerkleTree>,
    publishers: Vec<Box<dyn HeadPublisher>>,
}

impl std::fmt::Debug for AuditTrail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditTrail")
            .field("key_id", &self.signer.key_id())
            .finish_non_exhaustive()
    }
}

/// One event of a receipt, with its proof of inclusion under the receipt's head.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReceiptEvent {
    /// The event.
    pub event: AuditEvent,
    /// Its leaf index (= `event.seq`).
    pub leaf_index: u64,
    /// RFC 9162 inclusion proof, hex hashes, from the leaf up.
    pub inclusion_proof: Vec<String>,
}

/// How a message travelled, provably: its events and a signed head covering them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Receipt {
    /// The message.
    pub message: MessageId,
    /// Every event about it, in log order.
    pub events: Vec<ReceiptEvent>,
    /// The signed head the proofs lead to.
    pub head: SignedTreeHead,
    /// Witness countersignatures of that head gathered so far.
    pub cosignatures: Vec<audit::Cosignature>,
}

impl AuditTrail {
    /// Load the tree from the store. `publishers` receive every head this trail signs.
    pub async fn open(
        store: SharedStore,
        signer: AuditSigner,
        clock: Arc<dyn Clock>,
        publishers: Vec<Box<dyn HeadPublisher>>,
    ) -> Result<Self> {
        let trail = Self {
            store,
            signer,
            clock,
            tree: Mutex::new(MerkleTree::new()),
            publishers,
        };
        trail.sync().await?;
        Ok(trail)
    }

    /// The store this trail follows.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// The signer's public key (what verifiers must trust).
    pub fn public_key(&self) -> audit::PublicKey {
        self.signer.public_key()
    }

    /// Read leaf hashes appended since the last call. Returns the tree size.
    pub async fn sync(&self) -> Result<u64> {
        let mut tree = self.tree.lock().await;
        loop {
            let page = self.store.audit_leaf_hashes(tree.size(), PAGE).await?;
            let done = (page.len() as u64) < u64::from(PAGE);
            for leaf in page {
                tree.push(leaf);
            }
            if done {
                return Ok(tree.size());
            }
        }
    }

    /// Sign a head over every committed event, keep it, and publish it. Publishing
    /// failures are returned after the head is stored (the head stays valid; the caller
    /// logs and retries at the next interval).
    pub async fn sign_head(&self) -> Result<(StoredTreeHead, Vec<TrailError>)> {
        self.sync().await?;
        let head = {
            let tree = self.tree.lock().await;
            self.signer
                .sign_head(tree.size(), tree.root(), self.clock.now())
        };
        let mut stored = StoredTreeHead {
            head,
            cosignatures: Vec::new(),
        };
        self.store.put_tree_head(&stored).await?;
        let mut failures = Vec::new();
        for publisher in &self.publishers {
            match publisher.publish(self, &stored.head).await {
                Ok(Some(cosignature)) => stored.cosignatures.push(cosignature),
                Ok(None) => {}
                Err(e) => failures.push(e),
            }
        }
        if !stored.cosignatures.is_empty() {
            self.store.put_tree_head(&stored).await?;
        }
        Ok((stored, failures))
    }

    /// Sign a head only if events were appended since the latest stored head.
    pub async fn sign_head_if_grown(&self) -> Result<Option<(StoredTreeHead, Vec<TrailError>)>> {
        let size = self.sync().await?;
        let latest = self.store.latest_tree_head().await?;
        if latest.is_some_and(|h| h.head.head.tree_size == size) {
            return Ok(None);
        }
        self.sign_head().await.map(Some)
    }

    /// A head over exactly the first `size` events, signed now (for exports).
    pub async fn sign_head_at(&self, size: u64) -> Result<SignedTreeHead> {
        let tree = self.tree.lock().await;
        let root = tree.root_at(size)?;
        Ok(self.signer.sign_head(size, root, self.clock.now()))
    }

    /// The RFC 9162 consistency proof between two sizes.
    pub async fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>> {
        self.sync().await?;
        let tree = self.tree.lock().await;
        Ok(tree.consistency_proof(first, second)?)
    }

    /// The inclusion proof of event `seq` in the tree of `size` events.
    pub async fn inclusion_proof(&self, seq: u64, size: u64) -> Result<Vec<Hash>> {
        let tree = self.tree.lock().await;
        Ok(tree.inclusion_proof(seq, size)?)
    }

    /// Check that the stored leaf hashes still match the tree this process holds, up to
    /// its size (a cheap tamper alarm for a running node; [`crate::verify_store`] is the
    /// full check).
    pub async fn check_prefix(&self) -> Result<u64> {
        let tree = self.tree.lock().await;
        let size = tree.size();
        let mut at = 0u64;
        while at < size {
            let page = self.store.audit_leaf_hashes(at, PAGE).await?;
            if page.is_empty() {
                return Err(TrailError::Diverged { size: at });
            }
            for leaf in page {
                if at >= size {
                    break;
                }
                if tree.leaf(at) != Some(leaf) {
                    return Err(TrailError::Diverged { size: at });
                }
                at += 1;
            }
        }
        Ok(size)
    }

    /// A receipt for `message`: its events with inclusion proofs under a head signed now.
    pub async fn receipt(&self, message: MessageId) -> Result<Receipt> {
        let events = self
            .store
            .find_audit_all(&AuditFilter {
                message: Some(message),
                ..AuditFilter::default()
            })
            .await?;
        if events.is_empty() {
            return Err(TrailError::NoEvents);
        }
        let (stored, _) = self.sign_head().await?;
        let size = stored.head.head.tree_size;
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            let proof = self.inclusion_proof(event.seq, size).await?;
            out.push(ReceiptEvent {
                leaf_index: event.seq,
                inclusion_proof: proof.iter().map(hex::encode).collect(),
                event,
            });
        }
        Ok(Receipt {
            message,
            events: out,
            head: stored.head,
            cosignatures: stored.cosignatures,
        })
    }
}

/// Check a receipt offline: each event's leaf hash leads to the head's root through its
/// proof, and the head is signed by a trusted key.
pub fn verify_receipt(receipt: &Receipt, trusted: &audit::TrustedKeys) -> Result<()> {
    audit::verify_head(&receipt.head, trusted)?;
    let size = receipt.head.head.tree_size;
    for item in &receipt.events {
        let leaf = item.event.leaf_hash()?;
        let proof = item
            .inclusion_proof
            .iter()
            .map(|h| {
                let mut out = [0u8; 32];
                hex::decode_to_slice(h, &mut out)
                    .map(|()| out)
                    .map_err(|_| TrailError::Proof(audit::ProofError::WrongLength))
            })
            .collect::<Result<Vec<Hash>>>()?;
        audit::verify_inclusion(
            &leaf,
            item.leaf_index,
            size,
            &proof,
            &receipt.head.head.root_hash,
        )?;
    }
    Ok(())
}
