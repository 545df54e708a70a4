//! Quick measure of the audit core at a million events (no criterion; numbers are rough).
//!
//! ```text
//! cargo run -p audit --example audit_bench            # dev profile (our crate unoptimised)
//! cargo run -p audit --example audit_bench -- 100000  # a smaller log
//! ```
//!
//! Targets from the issue: append >= 50,000 events/s, proof < 1 ms, verify 1,000,000 events
//! in < 10 s.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use audit::{
    Actor, AuditEvent, AuditLog, AuditSigner, EventKind, KeyedHashKey, MerkleTree, Subject,
    TrustedKeys, event_line, head_line, keyed_hash, leaf_hash, verify_consistency, verify_export,
    verify_inclusion,
};
use model::{MessageId, TenantId, Timestamp, UserId};

const HEAD_EVERY: u64 = 10_000;
const PROOFS: u64 = 1_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    println!("audit_bench: {n} events");

    // 1. Raw tree appends of precomputed leaf hashes.
    let leaves: Vec<_> = (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let t = Instant::now();
    let tree = MerkleTree::from_leaves(leaves.iter().copied());
    let dt = t.elapsed();
    println!(
        "tree push (leaf hashes given): {:>8.3} s  {:>12.0} leaves/s",
        dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64()
    );
    let t = Instant::now();
    let root = tree.root();
    println!(
        "root of {n}: {:>8.1} µs  {}",
        t.elapsed().as_secs_f64() * 1e6,
        hex::encode(root)
    );
    let t = Instant::now();
    let reference = audit::root(&leaves);
    println!(
        "root recomputed from all leaves: {:>8.3} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(reference, root);

    // 2. Inclusion proofs for spread-out events, each verified.
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let picks: Vec<u64> = (0..PROOFS).map(|_| next() % n).collect();
    let t = Instant::now();
    let proofs: Vec<_> = picks
        .iter()
        .map(|&i| tree.inclusion_proof(i, n).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let dt = t.elapsed();
    println!(
        "inclusion proof: {:>8.2} µs/proof ({} hashes each)",
        dt.as_secs_f64() * 1e6 / PROOFS as f64,
        proofs[0].len()
    );
    let t = Instant::now();
    for (&i, proof) in picks.iter().zip(&proofs) {
        verify_inclusion(&leaves[i as usize], i, n, proof, &root).map_err(|e| e.to_string())?;
    }
    println!(
        "inclusion verify: {:>7.2} µs/proof",
        t.elapsed().as_secs_f64() * 1e6 / PROOFS as f64
    );
    let t = Instant::now();
    for &m in &picks {
        let m = m.max(1);
        let proof = tree.consistency_proof(m, n).map_err(|e| e.to_string())?;
        let rm = tree.root_at(m).map_err(|e| e.to_string())?;
        verify_consistency(m, n, &rm, &root, &proof).map_err(|e| e.to_string())?;
    }
    println!(
        "consistency proof + root_at + verify: {:>7.2} µs each",
        t.elapsed().as_secs_f64() * 1e6 / PROOFS as f64
    );
    drop(leaves);
    drop(tree);

    // 3. Appending real events: validate, canonical bytes, leaf hash, tree push.
    let events = make_events(n);
    let signer = AuditSigner::generate()?;
    let mut log = AuditLog::new();
    let t = Instant::now();
    for e in &events {
        black_box(log.append(e)?);
    }
    let dt = t.elapsed();
    println!(
        "append events: {:>8.3} s  {:>12.0} events/s",
        dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64()
    );

    // 4. Export, then verify from the canonical lines.
    let mut export = String::with_capacity(n as usize * 480);
    let mut written = AuditLog::new();
    for e in &events {
        written.append(e)?;
        export.push_str(&event_line(e)?);
        export.push('\n');
        if written.next_seq().is_multiple_of(HEAD_EVERY) || written.next_seq() == n {
            let at = Timestamp::from_millis(e.at.as_millis() + 1);
            export.push_str(&head_line(&written.sign_head(&signer, at)));
            export.push('\n');
        }
    }
    drop(events);
    println!(
        "export: {:.0} MB, {} bytes/event",
        export.len() as f64 / 1e6,
        export.len() as u64 / n
    );
    let trusted = TrustedKeys::new().with(signer.public_key());
    let t = Instant::now();
    let report = verify_export(export.lines(), &trusted)?;
    let dt = t.elapsed();
    println!(
        "verify export: {:>8.3} s  {:>12.0} events/s  ({} heads)",
        dt.as_secs_f64(),
        report.events as f64 / dt.as_secs_f64(),
        report.heads
    );
    assert_eq!(report.last_root, log.tree().root());
    Ok(())
}

fn make_events(n: u64) -> Vec<AuditEvent> {
    let key = KeyedHashKey::new(&[42; 32]).unwrap_or_else(|_| unreachable!("32 bytes"));
    let tenant = TenantId::new();
    (0..n)
        .map(|seq| {
            let kind = EventKind::ALL[seq as usize % EventKind::ALL.len()];
            AuditEvent::new(
                seq,
                Timestamp::from_millis(1_796_000_000_000 + seq as i64),
                Actor::User { id: UserId::new() },
                kind,
            )
            .with_tenant(tenant)
            .with_source_ip(IpAddr::V4(Ipv4Addr::new(
                10,
                0,
                (seq >> 8) as u8,
                seq as u8,
            )))
            .with_subject(Subject {
                message: Some(MessageId::new()),
                ..Subject::default()
            })
            .with_detail("attempt", seq % 5)
            .with_detail("outcome", "ok")
            .with_detail("patient", keyed_hash(&key, &seq.to_be_bytes()))
        })
        .collect()
}
