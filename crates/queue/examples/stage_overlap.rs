//! What staging a large body during screening saves one session: the time from a 200 KB
//! message's arrival at the intake to its durable commit, done the old way (screen, seal,
//! then an enqueue that appends the body to a segment, syncs it and commits) and the new
//! way (screen while the body is sealed and staged, then an enqueue that only commits),
//! alternating message by message so that both see the same disk and the same neighbours.
//! Both use the real SQLite store, screener and key ring; the body is the relay
//! benchmark's (Postfix's `smtp-source -l 204800`). The old way is spelled out here, since
//! the intake no longer takes it.
//!
//! ```text
//! cargo run --release -p queue --example stage_overlap [MESSAGES] [DIR]
//! ```
//! `DIR` (default: a temporary directory under the current one) should be on the disk
//! carepost's data directory uses.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crypto::{KeyRing, MasterKey};
use model::{Priority, RecipientStatus};
use storage::conformance::{self, T0};
use storage::{SharedStore, Staging};

fn main() {
    let mut args = std::env::args().skip(1);
    let messages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(400);
    let parent = args.next().unwrap_or_else(|| ".".to_string());
    let dir = tempfile::tempdir_in(parent).expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let body = smtp_source_message(204_800);
    let (old, new) = rt.block_on(async {
        let store: SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("carepost.db"))
                .await
                .expect("open"),
        );
        let tenant = conformance::new_tenant(&store, "Clinic").await;
        let keys = Arc::new(KeyRing::new(MasterKey::generate().expect("rng")));
        keys.generate_tenant_key(tenant).expect("tenant key");
        let screener = Arc::new(screening::Screener::new());
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for i in 0..messages {
            let mut m = conformance::message(
                tenant,
                Priority::Normal,
                &[("someone@dest.example", RecipientStatus::Queued, T0)],
            );
            let id = m.record.id;
            let data = body.clone();
            let started = Instant::now();
            let screen = {
                let screener = Arc::clone(&screener);
                tokio::task::spawn_blocking(move || screener.screen(&data).phi)
            };
            let seal = || keys.seal(tenant, id.0.as_bytes(), &body).expect("seal");
            if i % 2 == 0 {
                screen.await.expect("screen");
                m.sealed_body = seal();
            } else {
                let (screened, staged) = tokio::join!(screen, store.stage_body(seal()));
                screened.expect("screen");
                match staged.expect("stage") {
                    Staging::Staged(s) => m.staged_body = Some(s),
                    Staging::Kept(b) => m.sealed_body = b,
                }
            }
            store.enqueue(m).await.expect("enqueue");
            let took = started.elapsed();
            // The first few warm the caches and create the segments.
            if i >= 10 {
                if i % 2 == 0 { &mut old } else { &mut new }.push(took);
            }
        }
        (old, new)
    });
    let (old_p50, new_p50) = (percentile(&old, 50), percentile(&new, 50));
    println!(
        "200 KB, {} messages each way, intake to durable commit (ms): \
         old p50 {:.3} p90 {:.3} | staged during screening p50 {:.3} p90 {:.3} | p50 ratio {:.2}",
        old.len(),
        ms(old_p50),
        ms(percentile(&old, 90)),
        ms(new_p50),
        ms(percentile(&new, 90)),
        new_p50.as_secs_f64() / old_p50.as_secs_f64()
    );
}

/// What `smtp-source -l SIZE` sends: a plain header, then lines of a digit and 77 `X`.
fn smtp_source_message(size: usize) -> Vec<u8> {
    let mut m = b"From: <foo@origin.bench.test>\r\nTo: <bar@dest.bench.test>\r\n\
Date: Thu, 3 Dec 2026 10:00:00 +0000\r\nMessage-Id: <1@origin.bench.test>\r\n\r\n"
        .to_vec();
    let mut digit = b'1';
    while m.len() < size {
        m.push(digit);
        m.extend_from_slice(&[b'X'; 77]);
        m.extend_from_slice(b"\r\n");
        digit = if digit == b'9' { b'0' } else { digit + 1 };
    }
    m
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let mut v = sorted.to_vec();
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
