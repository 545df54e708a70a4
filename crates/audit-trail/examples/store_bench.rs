//! The audit trail on a real store: batched appends through `AuditStore::append_audit`,
//! loading the tree, proofs, and verifying the live store (every leaf recomputed from the
//! stored event).
//!
//! ```text
//! cargo run --release -p audit-trail --example store_bench -- 1000000          # SQLite
//! TEST_DATABASE_URL=postgres://… cargo run --release -p audit-trail --example store_bench -- 200000 postgres
//! cargo run --release -p audit-trail --example store_bench -- 1000000 sqlite 5000   # batch size
//! ```
//!
//! Issue targets: append >= 50,000 events/s in batches; verify 1,000,000 events in < 10 s;
//! a proof for any event in < 1 ms.

use std::sync::Arc;
use std::time::Instant;

use audit::{Actor, AuditEvent, AuditSigner, EventKind, Subject, TrustedKeys};
use audit_trail::{AuditTrail, verify_store};
use model::{MessageId, RecipientId, SystemClock, TenantId, Timestamp};
use storage::SharedStore;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let backend = args.next().unwrap_or_else(|| "sqlite".into());
    let batch: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000);
    let dir = tempfile::tempdir()?;
    let store: SharedStore = if backend == "postgres" {
        let admin = std::env::var("TEST_DATABASE_URL")?;
        let name = format!("carepost_bench_{}", TenantId::new().as_uuid().simple());
        {
            use sqlx::Connection;
            let mut c = sqlx::postgres::PgConnection::connect(&admin).await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut c)
                .await?;
        }
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => admin.clone(),
        };
        Arc::new(storage_postgres::PostgresStore::connect(&url).await?)
    } else {
        Arc::new(storage_sqlite::SqliteStore::open(&dir.path().join("bench.db")).await?)
    };
    println!("store_bench: {n} events on {backend}, batches of {batch}");

    let tenant = TenantId::new();
    // Events as the delivery worker writes them: each about a new message and copy (ids are
    // UUIDv7, time-ordered, as in production).
    let make_batch = |base: usize, len: usize| -> Vec<AuditEvent> {
        (0..len)
            .map(|i| {
                AuditEvent::new(
                    0,
                    Timestamp::from_millis(1_800_000_000_000 + (base + i) as i64),
                    Actor::System {
                        component: "delivery".into(),
                    },
                    EventKind::DeliveryDelivered,
                )
                .with_tenant(tenant)
                .with_subject(Subject {
                    message: Some(MessageId::new()),
                    recipient: Some(RecipientId::new()),
                    ..Subject::default()
                })
                .with_detail("next_hop", "mx1.example.net")
                .with_detail("tls_version", "TLSv1.3")
                .with_detail("cipher", "TLS13_AES_256_GCM_SHA384")
                .with_detail("tls_verified", true)
                .with_detail("attempt", 1u64)
            })
            .collect()
    };

    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let take = batch.min(n - done);
        store.append_audit(&make_batch(done, take)).await?;
        done += take;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "append (batches of {batch}, durable commits): {dt:>8.2} s  {:>10.0} events/s",
        n as f64 / dt
    );

    if backend != "postgres" {
        let bytes: u64 = ["bench.db", "bench.db-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(dir.path().join(f)).ok())
            .map(|m| m.len())
            .sum();
        println!(
            "database size after append:               {:>8.1} MB  {:>6.0} bytes/event",
            bytes as f64 / 1e6,
            bytes as f64 / n as f64
        );
    }
    let signer = AuditSigner::generate()?;
    let trusted = TrustedKeys::new().with(signer.public_key());
    let t = Instant::now();
    let trail = AuditTrail::open(store.clone(), signer, Arc::new(SystemClock), Vec::new()).await?;
    println!(
        "load tree from the store:                 {:>8.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    trail.sign_head().await?;
    println!(
        "sign + store a head:                      {:>8.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let size = n as u64;
    let probes = 10_000u64;
    let t = Instant::now();
    for i in 0..probes {
        let seq = (i * 7_919) % size;
        std::hint::black_box(trail.inclusion_proof(seq, size).await?);
    }
    println!(
        "inclusion proof (any event):              {:>8.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / probes as f64
    );

    let t = Instant::now();
    let report = verify_store(store.clone(), trusted, Vec::new()).await?;
    println!(
        "verify the live store ({} events):   {:>8.2} s",
        report.verified.events,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
