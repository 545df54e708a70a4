//! The Merkle tree of RFC 9162 section 2.1 (Certificate Transparency v2), with SHA-256.
//!
//! Two implementations of the same definitions live here:
//!
//! * free functions over a slice of leaf hashes ([`root`], [`inclusion_proof`],
//!   [`consistency_proof`]): a direct transcription of the recursive definitions in RFC 9162
//!   2.1.1, 2.1.3.1 and 2.1.4.1, O(n) per call. They are the reference the tests hold the
//!   fast structure to, and they are fine for small trees;
//! * [`MerkleTree`]: append-only, keeps every complete subtree hash, so a root at any
//!   earlier size and any proof cost O(log n) cached lookups plus at most O(log n) hashes per
//!   incomplete right-edge subtree.
//!
//! Verification ([`verify_inclusion`], [`verify_consistency`]) follows the iterative
//! algorithms of RFC 9162 2.1.3.2 and 2.1.4.2 step by step, so that a reader can hold the
//! code against the RFC text.
//!
//! An inclusion proof does not commit to the tree size by itself: the same path can prove a
//! leaf in trees of two different sizes whose shapes agree along that path. What binds the
//! size is the root, and what binds the root is the signed tree head. Always verify against
//! a `(tree_size, root)` pair taken from one verified head.

use sha2::{Digest, Sha256};

use crate::ProofError;

/// A SHA-256 output: a leaf hash, an interior node hash or a root.
pub type Hash = [u8; 32];

/// The root of the empty tree, `SHA-256()` (RFC 9162 2.1.1).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// `SHA-256(0x00 || leaf)` (RFC 9162 2.1.1). The prefix keeps a leaf from posing as a node.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    Sha256::new()
        .chain_update([0x00])
        .chain_update(leaf)
        .finalize()
        .into()
}

/// `SHA-256(0x01 || left || right)` (RFC 9162 2.1.1).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = 0x01;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    Sha256::digest(buf).into()
}

/// MTH over leaf hashes (RFC 9162 2.1.1): the root of the tree whose leaves are `leaves`.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// PATH(index, leaves) (RFC 9162 2.1.3.1): the inclusion proof of leaf `index` in the tree
/// of all of `leaves`, deepest sibling first. Use `&leaves[..size]` for an older tree.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProofError> {
    let size = leaves.len() as u64;
    if index >= size {
        return Err(ProofError::IndexOutOfRange {
            index,
            tree_size: size,
        });
    }
    Ok(inclusion_path(index, size, |start, len| {
        root(slice(leaves, start, len))
    }))
}

/// PROOF(m, leaves) (RFC 9162 2.1.4.1): the consistency proof from the tree of the first `m`
/// leaves to the tree of all of `leaves`. Empty when `m` is 0 or `m` equals the size.
pub fn consistency_proof(leaves: &[Hash], m: u64) -> Result<Vec<Hash>, ProofError> {
    let n = leaves.len() as u64;
    if m > n {
        return Err(ProofError::SizesOutOfOrder {
            first: m,
            second: n,
        });
    }
    Ok(consistency_path(m, n, |start, len| {
        root(slice(leaves, start, len))
    }))
}

/// Verify an inclusion proof with the algorithm of RFC 9162 2.1.3.2.
///
/// `Ok(())` means: `leaf_hash` is leaf number `index` of a tree of `tree_size` leaves whose
/// root is `root`, or SHA-256 is broken.
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    tree_size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    // Step 1.
    if index >= tree_size {
        return Err(ProofError::IndexOutOfRange { index, tree_size });
    }
    // Steps 2 and 3.
    let (mut fn_, mut sn) = (index, tree_size - 1);
    let mut r = *leaf_hash;
    // Step 4.
    for p in proof {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 5.
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if &r != root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Verify a consistency proof from the tree of `first` leaves (root `first_root`) to the
/// tree of `second` leaves (root `second_root`), with the algorithm of RFC 9162 2.1.4.2.
///
/// `Ok(())` means the first tree is a prefix of the second. The cases the RFC leaves to the
/// caller are decided as Trillian and the RFC 6962 reference code do: the empty tree is a
/// prefix of every tree (empty proof, `first_root` must be the empty root), and a tree is
/// consistent with itself (empty proof, equal roots).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if first > second {
        return Err(ProofError::SizesOutOfOrder { first, second });
    }
    if first == 0 || first == second {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        let expected_first = if first == 0 { &EMPTY_ROOT } else { second_root };
        if first_root != expected_first {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    // Step 1.
    if proof.is_empty() {
        return Err(ProofError::WrongLength);
    }
    // Step 2: a power-of-two first tree is a complete subtree of the second, so the proof
    // leaves out its root and the verifier puts it back.
    let mut path = proof.iter();
    let seed = if first.is_power_of_two() {
        *first_root
    } else {
        // Non-empty: checked in step 1.
        match path.next() {
            Some(h) => *h,
            None => return Err(ProofError::WrongLength),
        }
    };
    // Step 3.
    let (mut fn_, mut sn) = (first - 1, second - 1);
    // Step 4.
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 5.
    let (mut fr, mut sr) = (seed, seed);
    // Step 6.
    for c in path {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 7.
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if &fr != first_root || &sr != second_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// An append-only Merkle tree that keeps every complete subtree.
///
/// `levels[l][i]` is the hash of the complete subtree of `2^l` leaves starting at leaf
/// `i * 2^l`; `levels[0]` holds the leaf hashes. A push costs one leaf plus, amortised, one
/// node hash. Memory is about `2 * 32 * n` bytes (64 MB for a million events).
#[derive(Clone, Debug, Default)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree over the given leaf hashes, in order.
    pub fn from_leaves(leaves: impl IntoIterator<Item = Hash>) -> Self {
        let mut tree = Self::new();
        for leaf in leaves {
            tree.push(leaf);
        }
        tree
    }

    /// Append a leaf hash (from [`leaf_hash`]); returns its index.
    pub fn push(&mut self, leaf_hash: Hash) -> u64 {
        let index = self.size();
        let mut level = 0;
        let mut hash = leaf_hash;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(hash);
            let len = self.levels[level].len();
            if len % 2 == 1 {
                break;
            }
            hash = node_hash(&self.levels[level][len - 2], &self.levels[level][len - 1]);
            level += 1;
        }
        index
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// True if the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// The leaf hash at `index`, if there is one.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        let index = usize::try_from(index).ok()?;
        self.levels.first()?.get(index).copied()
    }

    /// The root of the whole tree.
    pub fn root(&self) -> Hash {
        self.root_at_unchecked(self.size())
    }

    /// The root the tree had when it held `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        self.check_size(size)?;
        Ok(self.root_at_unchecked(size))
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        self.check_size(size)?;
        if index >= size {
            return Err(ProofError::IndexOutOfRange {
                index,
                tree_size: size,
            });
        }
        Ok(inclusion_path(index, size, |start, len| {
            self.subtree(start, len)
        }))
    }

    /// The consistency proof from the tree of the first `m` leaves to that of the first `n`.
    pub fn consistency_proof(&self, m: u64, n: u64) -> Result<Vec<Hash>, ProofError> {
        self.check_size(n)?;
        if m > n {
            return Err(ProofError::SizesOutOfOrder {
                first: m,
                second: n,
            });
        }
        Ok(consistency_path(m, n, |start, len| {
            self.subtree(start, len)
        }))
    }

    fn check_size(&self, size: u64) -> Result<(), ProofError> {
        if size > self.size() {
            return Err(ProofError::SizeBeyondTree {
                size,
                tree_size: self.size(),
            });
        }
        Ok(())
    }

    fn root_at_unchecked(&self, size: u64) -> Hash {
        if size == 0 {
            EMPTY_ROOT
        } else {
            self.subtree(0, size)
        }
    }

    /// MTH of leaves `start..start + len` (`len >= 1`, within the tree). Complete aligned
    /// subtrees come from the cache; others are split as MTH splits them. Every range the
    /// RFC recursions ask for is aligned to its largest power of two, so only the incomplete
    /// right edge is recomputed.
    fn subtree(&self, start: u64, len: u64) -> Hash {
        if len.is_power_of_two() && start.is_multiple_of(len) {
            let level = len.trailing_zeros() as usize;
            // Invariant: levels[l] has one entry per complete aligned block of 2^l leaves,
            // and callers stay within the tree (checked by check_size/index checks).
            return self.levels[level][(start >> level) as usize];
        }
        let k = split(len);
        node_hash(&self.subtree(start, k), &self.subtree(start + k, len - k))
    }
}

/// The largest power of two strictly smaller than `n` (`n >= 2`), where MTH splits.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

fn slice(leaves: &[Hash], start: u64, len: u64) -> &[Hash] {
    // Callers pass ranges inside `leaves` (derived from its length), so the casts are exact.
    &leaves[start as usize..(start + len) as usize]
}

/// `PATH(index, D[0:size])` with `subtree(start, len)` giving `MTH(D[start:start+len])`.
fn inclusion_path(index: u64, size: u64, subtree: impl Fn(u64, u64) -> Hash) -> Vec<Hash> {
    let mut path = Vec::with_capacity(64);
    let (mut start, mut len, mut m) = (0, size, index);
    // The recursion appends the sibling after the deeper path, so walk down and reverse.
    while len > 1 {
        let k = split(len);
        if m < k {
            path.push(subtree(start + k, len - k));
            len = k;
        } else {
            path.push(subtree(start, k));
            start += k;
            m -= k;
            len -= k;
        }
    }
    path.reverse();
    path
}

/// `SUBPROOF(m, D[0:n], true)`, or empty when `m` is 0 or `n`.
fn consistency_path(m: u64, n: u64, subtree: impl Fn(u64, u64) -> Hash) -> Vec<Hash> {
    if m == 0 || m == n {
        return Vec::new();
    }
    let mut path = Vec::with_capacity(64);
    let (mut start, mut len, mut m, mut whole) = (0, n, m, true);
    while m != len {
        let k = split(len);
        if m <= k {
            path.push(subtree(start + k, len - k));
            len = k;
        } else {
            path.push(subtree(start, k));
            start += k;
            m -= k;
            len -= k;
            whole = false;
        }
    }
    // SUBPROOF(m, D[m], b): nothing if this is the whole first tree (the verifier has its
    // root), else the root of this subtree.
    if !whole {
        path.push(subtree(start, len));
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn h(s: &str) -> Hash {
        let v = hex::decode(s).expect("test vector is hex");
        v.try_into().expect("test vector is 32 bytes")
    }

    // The RFC 6962 / CT reference leaves and roots, as published with the Go reference
    // code (Trillian, transparency-dev/merkle testonly) and reproduced by many ports.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    fn reference_leaves() -> Vec<Hash> {
        LEAVES
            .iter()
            .map(|l| leaf_hash(&hex::decode(l).expect("hex")))
            .collect()
    }

    fn synthetic(n: usize) -> Vec<Hash> {
        (0..n as u64).map(|i| leaf_hash(&i.to_be_bytes())).collect()
    }

    #[test]
    fn roots_match_the_rfc6962_reference_vectors() {
        let leaves = reference_leaves();
        assert_eq!(EMPTY_ROOT, h(ROOTS[0]));
        assert_eq!(EMPTY_ROOT, <[u8; 32]>::from(Sha256::digest(b"")));
        let tree = MerkleTree::from_leaves(leaves.iter().copied());
        for n in 0..=8 {
            assert_eq!(root(&leaves[..n]), h(ROOTS[n]), "slice root at size {n}");
            assert_eq!(
                tree.root_at(n as u64).expect("in tree"),
                h(ROOTS[n]),
                "cached {n}"
            );
        }
        assert_eq!(tree.root(), h(ROOTS[8]));
    }

    #[test]
    fn inclusion_proofs_match_the_reference_vectors() {
        let leaves = reference_leaves();
        let tree = MerkleTree::from_leaves(leaves.iter().copied());
        let cases: [(u64, u64, &[&str]); 4] = [
            (0, 1, &[]),
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
        ];
        for (index, size, want) in cases {
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            let n = size as usize;
            assert_eq!(
                inclusion_proof(&leaves[..n], index).expect("in range"),
                want
            );
            assert_eq!(tree.inclusion_proof(index, size).expect("in range"), want);
            verify_inclusion(&leaves[index as usize], index, size, &want, &h(ROOTS[n]))
                .expect("reference proof verifies");
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference_vectors() {
        let leaves = reference_leaves();
        let tree = MerkleTree::from_leaves(leaves.iter().copied());
        let cases: [(u64, u64, &[&str]); 5] = [
            (1, 1, &[]),
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                2,
                8,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (m, n, want) in cases {
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            assert_eq!(
                consistency_proof(&leaves[..n as usize], m).expect("m <= n"),
                want
            );
            assert_eq!(tree.consistency_proof(m, n).expect("m <= n"), want);
            verify_consistency(m, n, &h(ROOTS[m as usize]), &h(ROOTS[n as usize]), &want)
                .expect("reference proof verifies");
        }
    }

    #[test]
    fn split_is_the_largest_power_of_two_below_n() {
        for (n, k) in [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (1000, 512)] {
            assert_eq!(split(n), k, "n = {n}");
        }
        assert_eq!(split(1 << 40), 1 << 39);
        assert_eq!(split((1 << 63) + 1), 1 << 63);
    }

    #[test]
    fn degenerate_consistency_cases() {
        let leaves = synthetic(8);
        let r4 = root(&leaves[..4]);
        let r5 = root(&leaves[..5]);
        assert_eq!(verify_consistency(4, 4, &r4, &r4, &[]), Ok(()));
        assert_eq!(
            verify_consistency(4, 4, &r4, &r5, &[]),
            Err(ProofError::RootMismatch)
        );
        assert_eq!(
            verify_consistency(4, 4, &r4, &r4, &[r4]),
            Err(ProofError::WrongLength)
        );
        assert_eq!(verify_consistency(0, 5, &EMPTY_ROOT, &r5, &[]), Ok(()));
        assert_eq!(
            verify_consistency(0, 5, &r4, &r5, &[]),
            Err(ProofError::RootMismatch)
        );
        assert_eq!(
            verify_consistency(5, 4, &r5, &r4, &[]),
            Err(ProofError::SizesOutOfOrder {
                first: 5,
                second: 4
            })
        );
        assert_eq!(
            verify_consistency(4, 5, &r4, &r5, &[]),
            Err(ProofError::WrongLength)
        );
        assert_eq!(
            verify_inclusion(&leaves[0], 5, 5, &[], &r5),
            Err(ProofError::IndexOutOfRange {
                index: 5,
                tree_size: 5
            })
        );
    }

    #[test]
    fn cached_tree_agrees_with_the_recursive_definition_for_every_small_size() {
        let leaves = synthetic(70);
        let tree = MerkleTree::from_leaves(leaves.iter().copied());
        for n in 0..=70u64 {
            let slice = &leaves[..n as usize];
            let r = root(slice);
            assert_eq!(tree.root_at(n).expect("in tree"), r);
            for i in 0..n {
                let proof = tree.inclusion_proof(i, n).expect("in range");
                assert_eq!(proof, inclusion_proof(slice, i).expect("in range"));
                verify_inclusion(&leaves[i as usize], i, n, &proof, &r).expect("verifies");
            }
            for m in 0..=n {
                let proof = tree.consistency_proof(m, n).expect("m <= n");
                assert_eq!(proof, consistency_proof(slice, m).expect("m <= n"));
                let rm = root(&leaves[..m as usize]);
                verify_consistency(m, n, &rm, &r, &proof).expect("verifies");
            }
        }
        assert!(tree.root_at(71).is_err());
        assert!(tree.inclusion_proof(0, 71).is_err());
        assert!(tree.consistency_proof(3, 71).is_err());
    }

    fn flip(h: &mut Hash, bit: usize) {
        h[bit / 8 % 32] ^= 1 << (bit % 8);
    }

    // Tree of 512 leaves; sizes below 300, so a flipped size bit (< 2^9) stays in the tree
    // and is checked against the root the log really had at that size.
    const BIG: u64 = 512;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn inclusion_proofs_verify_and_every_bit_flip_fails(
            size in 1u64..300, index_seed: u64, which: usize, bit in 0usize..256, sbit in 0u32..9,
        ) {
            let leaves = synthetic(BIG as usize);
            let tree = MerkleTree::from_leaves(leaves.iter().copied());
            let index = index_seed % size;
            let leaf = leaves[index as usize];
            let r = tree.root_at(size).expect("in tree");
            let proof = tree.inclusion_proof(index, size).expect("in range");
            prop_assert_eq!(&proof, &inclusion_proof(&leaves[..size as usize], index).expect("ok"));
            prop_assert!(verify_inclusion(&leaf, index, size, &proof, &r).is_ok());

            // A flipped bit in one proof element.
            if !proof.is_empty() {
                let mut bad = proof.clone();
                let i = which % bad.len();
                flip(&mut bad[i], bit);
                prop_assert!(verify_inclusion(&leaf, index, size, &bad, &r).is_err());
                // A dropped or an extra element.
                prop_assert!(verify_inclusion(&leaf, index, size, &proof[1..], &r).is_err());
            }
            let mut longer = proof.clone();
            longer.push(leaf);
            prop_assert!(verify_inclusion(&leaf, index, size, &longer, &r).is_err());
            // A flipped bit in the root or the leaf.
            let mut bad_root = r;
            flip(&mut bad_root, bit);
            prop_assert!(verify_inclusion(&leaf, index, size, &proof, &bad_root).is_err());
            let mut bad_leaf = leaf;
            flip(&mut bad_leaf, bit);
            prop_assert!(verify_inclusion(&bad_leaf, index, size, &proof, &r).is_err());
            // A flipped bit in the index.
            let bad_index = index ^ (1 << (bit % 64));
            prop_assert!(verify_inclusion(&leaf, bad_index, size, &proof, &r).is_err());
            // A flipped bit in the size, checked against the root the log had at that size.
            // The claim "leaf is at index in that tree" may well be true (same log), so the
            // proof must fail only where it differs from the honest proof for that size.
            let bad_size = size ^ (1 << sbit);
            let bad_size_root = tree.root_at(bad_size).expect("below BIG");
            let honest = tree.inclusion_proof(index, bad_size).ok();
            if honest.as_ref() != Some(&proof) {
                prop_assert!(
                    verify_inclusion(&leaf, index, bad_size, &proof, &bad_size_root).is_err()
                );
            }
        }

        #[test]
        fn consistency_proofs_verify_and_every_bit_flip_fails(
            n in 1u64..300, m_seed: u64, which: usize, bit in 0usize..256, sbit in 0u32..9,
        ) {
            let leaves = synthetic(BIG as usize);
            let tree = MerkleTree::from_leaves(leaves.iter().copied());
            let m = m_seed % (n + 1);
            let (rm, rn) = (tree.root_at(m).expect("in"), tree.root_at(n).expect("in"));
            let proof = tree.consistency_proof(m, n).expect("m <= n");
            prop_assert_eq!(&proof, &consistency_proof(&leaves[..n as usize], m).expect("ok"));
            prop_assert!(verify_consistency(m, n, &rm, &rn, &proof).is_ok());

            if !proof.is_empty() {
                let mut bad = proof.clone();
                let i = which % bad.len();
                flip(&mut bad[i], bit);
                prop_assert!(verify_consistency(m, n, &rm, &rn, &bad).is_err());
                prop_assert!(verify_consistency(m, n, &rm, &rn, &proof[1..]).is_err());
            }
            let mut longer = proof.clone();
            longer.push(rm);
            prop_assert!(verify_consistency(m, n, &rm, &rn, &longer).is_err());
            let (mut bad_rm, mut bad_rn) = (rm, rn);
            flip(&mut bad_rm, bit);
            flip(&mut bad_rn, bit);
            prop_assert!(verify_consistency(m, n, &bad_rm, &rn, &proof).is_err());
            // From the empty tree nothing about the second root can be checked: every tree
            // extends the empty one.
            if m > 0 {
                prop_assert!(verify_consistency(m, n, &rm, &bad_rn, &proof).is_err());
            }
            // Flipped sizes, each checked against the true root at the flipped size; as for
            // inclusion, only a proof that differs from the honest one must fail.
            let bad_m = m ^ (1 << sbit);
            let r = tree.root_at(bad_m).expect("below BIG");
            if tree.consistency_proof(bad_m, n).ok().as_ref() != Some(&proof) {
                prop_assert!(verify_consistency(bad_m, n, &r, &rn, &proof).is_err());
            }
            let bad_n = n ^ (1 << sbit);
            let r = tree.root_at(bad_n).expect("below BIG");
            if tree.consistency_proof(m, bad_n).ok().as_ref() != Some(&proof) {
                prop_assert!(verify_consistency(m, bad_n, &rm, &r, &proof).is_err());
            }
        }
    }
}
