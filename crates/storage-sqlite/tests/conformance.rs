//! The shared storage conformance suite against SQLite, plus SQLite-only durability and
//! file-permission tests. Each test gets its own temporary directory and database file;
//! `KEEP_TEST_DB=1` keeps the directory and prints its path.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use storage::conformance::{self, Backend, T0};
use storage::{QueueStore, RecipientFilter, SharedStore, Staging, StorageError, TenantStore};
use storage_sqlite::SqliteStore;

struct Sqlite {
    dir: tempfile::TempDir,
    store: SharedStore,
}

#[async_trait::async_trait]
impl Backend for Sqlite {
    async fn fresh() -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("carepost.db"))
            .await
            .expect("open");
        Some(Sqlite {
            dir,
            store: Arc::new(store),
        })
    }

    fn store(&self) -> SharedStore {
        self.store.clone()
    }

    async fn teardown(self) {
        drop(self.store);
        if std::env::var_os("KEEP_TEST_DB").is_some_and(|v| v == "1") {
            eprintln!("KEEP_TEST_DB=1: kept {}", self.dir.keep().display());
        }
    }
}

storage::conformance_tests!(Sqlite);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// A clinical message to `to`, queued.
fn queued_message(tenant: model::TenantId, to: &str) -> storage::NewMessage {
    conformance::message(
        tenant,
        model::Priority::Clinical,
        &[(to, model::RecipientStatus::Queued, T0)],
    )
}

#[test]
fn enqueued_messages_survive_a_drop_without_shutdown_and_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    let (tenant, messages) = {
        // A runtime that is torn down right after the writes returned, and a store that is
        // never dropped: no clean close of the store, its read connections or its writer
        // (whose thread keeps its connection open for the rest of this test binary, like a
        // process that was killed after the replies).
        let rt = runtime();
        rt.block_on(async {
            let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("open"));
            let tenant = conformance::new_tenant(&store, "A").await;
            let mut messages = Vec::new();
            for i in 0..20 {
                let m = queued_message(tenant, &format!("r{i}@dest.example"));
                store.enqueue(m.clone()).await.expect("enqueue");
                messages.push(m);
            }
            std::mem::forget(store);
            (tenant, messages)
        })
    };
    runtime().block_on(async {
        let store = SqliteStore::open(&path).await.expect("reopen");
        assert_eq!(store.tenant(tenant).await.expect("tenant").id, tenant);
        for m in &messages {
            assert_eq!(store.message(m.record.id).await.expect("message"), m.record);
            assert_eq!(
                store.message_body(m.record.id).await.expect("body"),
                m.sealed_body
            );
        }
        let all = store
            .list_recipients(&RecipientFilter::default())
            .await
            .expect("list");
        assert_eq!(all.len(), 20);
    });
}

#[test]
fn opening_twice_applies_migrations_once_and_keeps_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    runtime().block_on(async {
        let first = SqliteStore::open(&path).await.expect("open");
        let t = conformance::tenant_rec("A", T0);
        first.create_tenant(&t, &[]).await.expect("create");
        // A second store on the same file while the first is open, then again after.
        let second = SqliteStore::open(&path).await.expect("open again");
        assert_eq!(second.tenant(t.id).await, Ok(t.clone()));
        drop(first);
        drop(second);
        let third = SqliteStore::open(&path).await.expect("open a third time");
        assert_eq!(third.tenants().await.expect("list"), vec![t]);
    });
}

#[test]
fn database_file_is_private_to_its_owner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    runtime().block_on(async {
        let store = SqliteStore::open(&path).await.expect("open");
        store
            .create_tenant(&conformance::tenant_rec("A", T0), &[])
            .await
            .expect("write");
        assert_eq!(mode(&path), 0o600);
        let wal = dir.path().join("carepost.db-wal");
        assert!(wal.exists(), "WAL mode");
        assert_eq!(mode(&wal), 0o600);
    });
}

#[test]
fn an_existing_world_readable_file_is_tightened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    std::fs::write(&path, b"").expect("create empty file");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    runtime().block_on(async {
        let _store = SqliteStore::open(&path).await.expect("open");
        assert_eq!(mode(&path), 0o600);
    });
}

#[test]
fn a_missing_directory_is_unavailable_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-dir").join("carepost.db");
    runtime().block_on(async {
        let err = SqliteStore::open(&path).await.expect_err("cannot open");
        assert!(matches!(err, StorageError::Unavailable(_)), "{err:?}");
    });
}

/// Group commit: many concurrent enqueue + claim + complete cycles finish quickly. Not a
/// benchmark (debug build, shared CI machine); it prints the rate and fails only if group
/// commit is clearly broken (one fsync per call would take far longer on most disks).
#[test]
fn group_commit_sustains_many_concurrent_round_trips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    runtime().block_on(async {
        let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("open"));
        let tenant = conformance::new_tenant(&store, "A").await;
        let start = std::time::Instant::now();
        let n_tasks = 50;
        let per_task = 20;
        let mut tasks = Vec::new();
        for t in 0..n_tasks {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let worker = format!("w{t}");
                for i in 0..per_task {
                    let m = queued_message(tenant, &format!("t{t}m{i}@dest.example"));
                    store.enqueue(m).await.expect("enqueue");
                    for r in store
                        .claim_due(&worker, T0, Duration::from_secs(60), 1)
                        .await
                        .expect("claim")
                    {
                        let outcome = storage::AttemptOutcome::Bounced {
                            error: "550".into(),
                        };
                        store
                            .complete(r.id, &worker, &outcome, T0, &[])
                            .await
                            .expect("complete");
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        let elapsed = start.elapsed();
        let total = n_tasks * per_task;
        let rate = f64::from(total) / elapsed.as_secs_f64();
        eprintln!(
            "{total} enqueue+claim+complete in {elapsed:?}: {rate:.0} messages/s (debug build)"
        );
        assert!(
            elapsed < Duration::from_secs(60),
            "group commit looks broken: {elapsed:?}"
        );
    });
}

/// The writer copies the write-ahead log into the database in the background (`writer.rs`):
/// under a steady stream of large bodies the log must still restart from its beginning
/// instead of growing (a background checkpoint alone never catches up with a writer that
/// keeps committing), and every body must be in the database file after a reopen.
#[test]
fn the_write_ahead_log_stays_short_under_a_stream_of_large_bodies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    let wal = dir.path().join("carepost.db-wal");
    // (Bodies under the segment threshold: larger ones do not go through the log at all,
    // see `large_bodies_live_in_segment_files_beside_the_database`.)
    let body_len = 60 * 1024;
    let count = 500; // 30 MB of bodies, about 7,500 log frames of 4 KiB
    let (tenant, ids, largest_log) = runtime().block_on(async {
        let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("open"));
        let tenant = conformance::new_tenant(&store, "A").await;
        let mut ids = Vec::new();
        let mut largest_log = 0;
        for i in 0..count {
            let mut m = queued_message(tenant, &format!("r{i}@dest.example"));
            m.sealed_body = vec![(i % 251) as u8; body_len];
            ids.push(m.record.id);
            store.enqueue(m).await.expect("enqueue");
            largest_log = largest_log.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        (tenant, ids, largest_log)
    });
    // Without checkpoints the log would hold all 30 MB; with SQLite's own it stays near
    // 4 MB. Allow for commits made while a background copy runs on a slow machine.
    assert!(
        largest_log < 16 * 1024 * 1024,
        "write-ahead log grew to {largest_log} bytes"
    );
    runtime().block_on(async {
        let store = SqliteStore::open(&path).await.expect("reopen");
        assert_eq!(store.tenant(tenant).await.expect("tenant").id, tenant);
        for (i, id) in ids.iter().enumerate() {
            let body = store.message_body(*id).await.expect("body");
            assert_eq!(body.len(), body_len);
            assert!(
                body.iter().all(|&b| b == (i % 251) as u8),
                "body {i} changed"
            );
        }
    });
    // (Most of them, at least: the last few may still be in the log when this looks.)
    assert!(
        std::fs::metadata(&path).expect("db").len() >= (count * body_len / 2) as u64,
        "the bodies are not in the database file"
    );
}

/// Bodies of 64 KiB or more are appended to segment files in `carepost.db-bodies/` (synced
/// before the commit that records where they are), not written into the database twice
/// (log and checkpoint). They come back after a crash-like exit and a reopen; bytes a crash
/// left unreferenced at a segment's end change nothing; a second store on the same file
/// writes segments of its own; smaller bodies stay in the database.
#[test]
fn large_bodies_live_in_segment_files_beside_the_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    let segments = dir.path().join("carepost.db-bodies");
    let body = |i: usize, len: usize| -> Vec<u8> {
        (0..len).map(|k| ((k * 7 + i * 13) % 251) as u8).collect()
    };
    let sizes = [64 * 1024, 200 * 1024, 64 * 1024 - 1, 1024, 2 * 1024 * 1024];
    let (tenant, ids) = {
        let rt = runtime();
        rt.block_on(async {
            let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("open"));
            let tenant = conformance::new_tenant(&store, "A").await;
            // Concurrent enqueues, so that several large bodies share a batch.
            let mut tasks = Vec::new();
            for (i, len) in sizes.iter().enumerate() {
                let store = store.clone();
                let mut m = queued_message(tenant, &format!("r{i}@dest.example"));
                m.sealed_body = body(i, *len);
                tasks.push(tokio::spawn(async move {
                    let id = m.record.id;
                    store.enqueue(m).await.expect("enqueue");
                    id
                }));
            }
            let mut ids = Vec::new();
            for t in tasks {
                ids.push(t.await.expect("task"));
            }
            std::mem::forget(store);
            (tenant, ids)
        })
    };
    assert_eq!(mode(&segments), 0o700);
    let files: Vec<_> = std::fs::read_dir(&segments)
        .expect("segments dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(!files.is_empty());
    let mut in_segments = 0;
    for f in &files {
        assert_eq!(mode(f), 0o600);
        in_segments += std::fs::metadata(f).expect("segment").len();
    }
    // The three large bodies, and nothing else.
    assert_eq!(
        in_segments,
        (64 * 1024 + 200 * 1024 + 2 * 1024 * 1024) as u64
    );
    // A crash between appending and committing leaves bytes nothing refers to.
    let mut lengths = Vec::new();
    for f in &files {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(f)
            .expect("segment")
            .write_all(&[0xAB; 5000])
            .expect("garbage");
        lengths.push(std::fs::metadata(f).expect("segment").len());
    }
    runtime().block_on(async {
        let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("reopen"));
        for (i, (id, len)) in ids.iter().zip(sizes).enumerate() {
            assert_eq!(store.message_body(*id).await.expect("body"), body(i, len));
            let (record, with) = store.message_with_body(*id).await.expect("with body");
            assert_eq!(record.id, *id);
            assert_eq!(with, body(i, len));
        }
        // After the reopen: a new segment, and the old ones untouched.
        let mut m = queued_message(tenant, "later@dest.example");
        m.sealed_body = body(99, 100 * 1024);
        store.enqueue(m.clone()).await.expect("enqueue");
        assert_eq!(
            store.message_body(m.record.id).await.expect("body"),
            m.sealed_body
        );
        let now: Vec<_> = std::fs::read_dir(&segments)
            .expect("segments dir")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(now.len(), files.len() + 1);
        for (f, len) in files.iter().zip(&lengths) {
            assert_eq!(std::fs::metadata(f).expect("segment").len(), *len);
        }
    });
    // The database file holds the small bodies only.
    assert!(std::fs::metadata(&path).expect("db").len() < 1024 * 1024);
}

/// A body staged before its enqueue (`QueueStore::stage_body`, what the intake does while
/// it screens) is recorded where it already is: not appended again, read back after a
/// crash-like exit and a reopen. Concurrent stagings share segments and syncs. A small body
/// is given back (it belongs in the transaction); a token staged by another store is
/// refused and commits nothing; a discarded body is zeros.
#[test]
fn bodies_staged_before_their_enqueue_are_referenced_where_they_are() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("carepost.db");
    let segments = dir.path().join("carepost.db-bodies");
    let body = |i: usize, len: usize| -> Vec<u8> {
        (0..len)
            .map(|k| ((k * 5 + i * 11) % 251) as u8 | 1)
            .collect()
    };
    let segment_bytes = || -> u64 {
        std::fs::read_dir(&segments)
            .map(|d| {
                d.map(|e| {
                    std::fs::metadata(e.expect("entry").path())
                        .expect("seg")
                        .len()
                })
                .sum()
            })
            .unwrap_or(0)
    };
    let count = 40;
    let ids = runtime().block_on(async {
        let store: SharedStore = Arc::new(SqliteStore::open(&path).await.expect("open"));
        let tenant = conformance::new_tenant(&store, "A").await;
        let mut tasks = Vec::new();
        for i in 0..count {
            let store = store.clone();
            let mut m = queued_message(tenant, &format!("r{i}@dest.example"));
            tasks.push(tokio::spawn(async move {
                match store.stage_body(body(i, 70_000 + i * 1000)).await {
                    Ok(Staging::Staged(staged)) => m.staged_body = Some(staged),
                    other => panic!("not staged: {other:?}"),
                }
                let id = m.record.id;
                store.enqueue(m).await.expect("enqueue");
                id
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.expect("task"));
        }
        let staged_total: u64 = (0..count).map(|i| (70_000 + i * 1000) as u64).sum();
        assert_eq!(segment_bytes(), staged_total, "each body written once");

        // Small: given back as it is, and nothing written.
        match store.stage_body(vec![7; 1000]).await {
            Ok(Staging::Kept(b)) => assert_eq!(b, vec![7; 1000]),
            other => panic!("a small body was staged: {other:?}"),
        }
        assert_eq!(segment_bytes(), staged_total);

        // Another store's token (another database, another directory) is refused.
        let other_dir = tempfile::tempdir().expect("temp dir");
        let other = SqliteStore::open(&other_dir.path().join("other.db"))
            .await
            .expect("open other");
        let Ok(Staging::Staged(foreign)) = other.stage_body(body(500, 80_000)).await else {
            panic!("other store did not stage");
        };
        let mut m = queued_message(tenant, "foreign@dest.example");
        m.staged_body = Some(foreign);
        assert!(matches!(
            store.enqueue(m.clone()).await,
            Err(StorageError::Other(_))
        ));
        assert_eq!(
            store.message(m.record.id).await,
            Err(StorageError::NotFound)
        );
        // A token of some other kind altogether, too.
        m.staged_body = Some(storage::StagedBody::new(42u32));
        assert!(store.enqueue(m.clone()).await.is_err());

        // Discarded: staged, then zeros, and nothing else touched.
        let Ok(Staging::Staged(dropped)) = store.stage_body(body(600, 90_000)).await else {
            panic!("not staged");
        };
        store.discard_staged(dropped).await;
        assert_eq!(segment_bytes(), staged_total + 90_000);
        let mut nonzero = 0;
        for e in std::fs::read_dir(&segments).expect("segments") {
            let bytes = std::fs::read(e.expect("entry").path()).expect("segment");
            nonzero += bytes.iter().filter(|b| **b != 0).count() as u64;
        }
        assert_eq!(nonzero, staged_total, "the discarded body is zeros");
        std::mem::forget(store);
        ids
    });
    runtime().block_on(async {
        let store = SqliteStore::open(&path).await.expect("reopen");
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                store.message_body(*id).await.expect("body"),
                body(i, 70_000 + i * 1000)
            );
        }
    });
}
