//! The live store against tampering, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! a modified, deleted, inserted, reordered or truncated event and a head signed by an
//! unknown key are each reported precisely; an insider who rewrites an event, its leaf
//! hash and the stored heads and re-signs is caught by the head file and by a witness.

use std::io::Write;
use std::sync::Arc;

use audit::{Actor, AuditEvent, AuditSigner, EventKind, TrustedKeys, VerifyError};
use audit_trail::witness::{WitnessState, router};
use audit_trail::{
    AuditTrail, HeadFile, HeadPublisher, LiveVerifyError, WitnessClient, verify_store,
};
use model::{SystemClock, Timestamp};
use sqlx::Connection;
use storage::{AuditRow, SharedStore};

/// Where the test's database lives, for raw SQL (the insider's access).
enum Db {
    Sqlite(std::path::PathBuf),
    Postgres { admin: String, name: String },
}

impl Db {
    async fn exec(&self, sql: &str) {
        match self {
            Db::Sqlite(path) => {
                let mut c = sqlx::sqlite::SqliteConnection::connect(&format!(
                    "sqlite://{}",
                    path.display()
                ))
                .await
                .expect("open sqlite");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .expect("tamper sql");
                c.close().await.expect("close");
            }
            Db::Postgres { admin, name } => {
                let mut c = sqlx::postgres::PgConnection::connect(&with_database(admin, name))
                    .await
                    .expect("open postgres");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .expect("tamper sql");
                c.close().await.expect("close");
            }
        }
    }

    fn blob(&self, bytes: &[u8]) -> String {
        match self {
            Db::Sqlite(_) => format!("X'{}'", hex::encode(bytes)),
            Db::Postgres { .. } => format!("decode('{}', 'hex')", hex::encode(bytes)),
        }
    }
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let start = base.find("://").map_or(0, |i| i + 3);
    let path = base[start..].find('/').map_or(base.len(), |i| start + i);
    let mut out = format!("{}/{db}", &base[..path]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    store: SharedStore,
    signer_pkcs8: Vec<u8>,
    trusted: TrustedKeys,
    head_file: HeadFile,
}

/// Each test's PostgreSQL database is dropped when its fixture goes, even after a failed
/// assertion (the test's own connections are closed by `WITH (FORCE)`): runs on a developer's
/// long-lived server otherwise leave a database per test behind. `KEEP_TEST_DB=1` keeps it.
impl Drop for Fixture {
    fn drop(&mut self) {
        let Db::Postgres { admin, name } = &self.db else {
            return;
        };
        if std::env::var_os("KEEP_TEST_DB").is_some_and(|v| v == "1") {
            let _ = writeln!(std::io::stderr(), "KEEP_TEST_DB=1: kept database {name}");
            return;
        }
        let (admin, db_name) = (admin.clone(), name.clone());
        // Its own thread and runtime: `drop` may run inside the test's runtime, which must not
        // be blocked on from within.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let mut c = sqlx::postgres::PgConnection::connect(&admin).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"
                )))
                .execute(&mut c)
                .await?;
                c.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            let _ = writeln!(std::io::stderr(), "could not drop test database {name}");
        }
    }
}

impl Fixture {
    fn signer(&self) -> AuditSigner {
        AuditSigner::from_pkcs8(&self.signer_pkcs8).expect("key")
    }

    async fn trail(&self, publishers: Vec<Box<dyn HeadPublisher>>) -> AuditTrail {
        AuditTrail::open(
            self.store.clone(),
            self.signer(),
            Arc::new(SystemClock),
            publishers,
        )
        .await
        .expect("open trail")
    }
}

fn event(i: u64) -> AuditEvent {
    AuditEvent::new(
        0,
        Timestamp::from_millis(1_800_000_000_000 + i as i64),
        Actor::System {
            component: "test".into(),
        },
        if i.is_multiple_of(2) {
            EventKind::AuthLogin
        } else {
            EventKind::AuthLogout
        },
    )
    .with_detail("n", i)
}

/// 20 events, heads at 10 and 20 (both also in the head file).
async fn fixture(postgres: bool) -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, store): (Db, SharedStore) = if postgres {
        let admin = match std::env::var("TEST_DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => {
                let _ = writeln!(
                    std::io::stderr(),
                    "TEST_DATABASE_URL not set: PostgreSQL tamper tests skipped"
                );
                return None;
            }
        };
        let name = format!("carepost_audit_{}", uuid_simple());
        let mut c = sqlx::postgres::PgConnection::connect(&admin)
            .await
            .expect("connect admin");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut c)
            .await
            .expect("create db");
        c.close().await.expect("close");
        let store = storage_postgres::PostgresStore::connect(&with_database(&admin, &name))
            .await
            .expect("connect store");
        (Db::Postgres { admin, name }, Arc::new(store))
    } else {
        let path = dir.path().join("carepost.db");
        let store = storage_sqlite::SqliteStore::open(&path)
            .await
            .expect("open sqlite");
        (Db::Sqlite(path), Arc::new(store))
    };
    let signer = AuditSigner::generate().expect("rng");
    let fixture = Fixture {
        db,
        store,
        signer_pkcs8: signer.to_pkcs8().expect("pkcs8").as_bytes().to_vec(),
        trusted: TrustedKeys::new().with(signer.public_key()),
        head_file: HeadFile::new(dir.path().join("heads.jsonl")),
        _dir: dir,
    };
    let trail = fixture
        .trail(vec![Box::new(fixture.head_file.clone())])
        .await;
    for half in 0..2u64 {
        let events: Vec<AuditEvent> = (half * 10..half * 10 + 10).map(event).collect();
        fixture.store.append_audit(&events).await.expect("append");
        let (_, failures) = trail.sign_head().await.expect("sign");
        assert!(failures.is_empty());
    }
    Some(fixture)
}

fn uuid_simple() -> String {
    model::TenantId::new().as_uuid().simple().to_string()
}

async fn verify(f: &Fixture) -> Result<audit_trail::LiveReport, LiveVerifyError> {
    verify_store(f.store.clone(), f.trusted.clone(), Vec::new()).await
}

fn invalid(r: Result<audit_trail::LiveReport, LiveVerifyError>) -> VerifyError {
    match r {
        Err(LiveVerifyError::Invalid(e)) => e,
        other => panic!("expected a verification failure, got {other:?}"),
    }
}

async fn clean_log_verifies(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    let report = verify(&f).await.expect("clean log verifies");
    assert_eq!(report.verified.events, 20);
    assert_eq!(report.verified.heads, 2);
    assert_eq!(report.uncovered, 0);
    let external = f.head_file.read().expect("head file");
    assert_eq!(external.len(), 2);
    verify_store(f.store.clone(), f.trusted.clone(), external)
        .await
        .expect("agrees with the head file");
    // An event appended after the last head is reported as not yet covered.
    f.store.append_audit(&[event(99)]).await.expect("append");
    assert_eq!(verify(&f).await.expect("still ok").uncovered, 1);
}

async fn modified_event_is_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    f.db.exec(r#"UPDATE audit_events SET line = replace(line, '"n":4', '"n":5') WHERE seq = 4"#)
        .await;
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::ModifiedEvent {
            first_seq: 0,
            last_seq: 9,
            head_line: 11
        }
    );
}

async fn deleted_event_is_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    f.db.exec("DELETE FROM audit_events WHERE seq = 13").await;
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::MissingEvent { expected_seq: 13 }
    );
}

async fn inserted_event_is_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    // Make room at 5 and put a copy of an event there.
    f.db.exec(
        "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 5; \
             UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000; \
             INSERT INTO audit_events (seq, at, message, recipient, leaf_hash, line) \
               SELECT 5, at, message, recipient, leaf_hash, line \
               FROM audit_events WHERE seq = 2",
    )
    .await;
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::InsertedOrReordered { seq: 2, line: 6 }
    );
}

async fn reordered_events_are_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    f.db.exec(
        "UPDATE audit_events SET seq = 1003 WHERE seq = 3; \
             UPDATE audit_events SET seq = 3 WHERE seq = 4; \
             UPDATE audit_events SET seq = 4 WHERE seq = 1003",
    )
    .await;
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::InsertedOrReordered { seq: 4, line: 4 }
    );
}

async fn truncated_log_is_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    f.db.exec("DELETE FROM audit_events WHERE seq >= 15").await;
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::MissingEvent { expected_seq: 15 }
    );
    // With the head file, the same cut is named against the published head too.
    let external = f.head_file.read().expect("head file");
    assert!(matches!(
        verify_store(f.store.clone(), f.trusted.clone(), external).await,
        Err(LiveVerifyError::Invalid(VerifyError::MissingEvent {
            expected_seq: 15
        }))
    ));
}

async fn head_by_an_unknown_key_is_reported(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    let stranger = AuditSigner::generate().expect("rng");
    let trail = f.trail(Vec::new()).await;
    let size = trail.sync().await.expect("sync");
    let genuine = trail.sign_head_at(size).await.expect("head").head;
    // A millisecond after the genuine head: heads are keyed by size and time, and one signed in
    // the same millisecond would take the genuine head's place instead of following it.
    let forged = stranger.sign_head(
        size,
        genuine.root_hash,
        Timestamp::from_millis(genuine.timestamp.as_millis() + 1),
    );
    f.store
        .put_tree_head(&storage::StoredTreeHead {
            head: forged.clone(),
            cosignatures: Vec::new(),
        })
        .await
        .expect("put");
    assert_eq!(
        invalid(verify(&f).await),
        VerifyError::UnknownSigningKey {
            key_id: forged.head.key_id,
            line: 23
        }
    );
}

/// The insider holds the database and the signing key: they rewrite event 4 and its leaf
/// hash, delete every stored head and sign new ones. The store alone now looks clean; the
/// head file and the witness do not agree with it.
async fn insider_who_rewrites_and_resigns_is_caught(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };

    // A witness that has countersigned the honest log.
    let witness_dir = tempfile::tempdir().expect("tempdir");
    let state = WitnessState::open(witness_dir.path(), f.trusted.clone()).expect("witness");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = router(Arc::new(tokio::sync::Mutex::new(state)));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let witness = WitnessClient::new(&url, None).expect("client");
    let honest = f.trail(vec![Box::new(witness.clone())]).await;
    let (head, failures) = honest.sign_head().await.expect("sign");
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(head.cosignatures.len(), 1);

    // The rewrite.
    let mut forged = f.store.audit_range(4, 1).await.expect("read")[0]
        .event()
        .expect("not purged")
        .expect("event");
    forged.details.insert("n".into(), 444.into());
    let row = AuditRow::new(&forged, 4).expect("row");
    f.db
        .exec(&format!(
            "UPDATE audit_events SET line = '{}', leaf_hash = {} WHERE seq = 4; DELETE FROM audit_heads",
            row.line.replace('\'', "''"),
            f.db.blob(&row.leaf_hash)
        ))
        .await;
    let insider = f.trail(vec![Box::new(witness.clone())]).await;
    let (_, failures) = insider.sign_head().await.expect("re-sign");
    // The witness refuses the rewritten history.
    assert_eq!(failures.len(), 1);
    let refusal = failures[0].to_string();
    assert!(
        refusal.contains("refused") && refusal.contains("not consistent"),
        "{refusal}"
    );

    // The database alone is self-consistent again...
    verify(&f).await.expect("the store alone cannot tell");
    // ...but not with the head file it published before,
    let from_file = f.head_file.read().expect("head file");
    assert!(matches!(
        verify_store(f.store.clone(), f.trusted.clone(), from_file).await,
        Err(LiveVerifyError::Invalid(VerifyError::ForkedHead {
            line: 0,
            tree_size: 10
        }))
    ));
    // ...nor with the witness's last countersigned head.
    let last = witness.last().await.expect("witness").last.expect("a head");
    assert!(matches!(
        verify_store(f.store.clone(), f.trusted.clone(), vec![last]).await,
        Err(LiveVerifyError::Invalid(VerifyError::ForkedHead {
            line: 0,
            tree_size: 20
        }))
    ));
    server.abort();
}

/// Retention drops the content of old events; the store, later heads, later receipts and
/// an export still verify.
async fn purged_events_keep_later_proofs_verifiable(postgres: bool) {
    let Some(f) = fixture(postgres).await else {
        return;
    };
    // The fixture's events are dated 2027; purge everything before 2027-01-15T08:00:00.010Z
    // below the covered size: events 0..=9.
    let purged = f
        .store
        .purge_audit(Timestamp::from_millis(1_800_000_000_010), 20, &[])
        .await
        .expect("purge");
    assert_eq!(purged, 10);
    let trail = f.trail(vec![Box::new(f.head_file.clone())]).await;
    // A later event about a message, and its receipt.
    let message = model::MessageId::new();
    f.store
        .append_audit(&[event(50).with_subject(audit::Subject {
            message: Some(message),
            ..audit::Subject::default()
        })])
        .await
        .expect("append");
    let receipt = trail.receipt(message).await.expect("receipt");
    audit_trail::verify_receipt(&receipt, &f.trusted).expect("receipt verifies");
    let report = verify_store(
        f.store.clone(),
        f.trusted.clone(),
        f.head_file.read().expect("heads"),
    )
    .await
    .expect("store verifies after purge");
    assert_eq!(report.verified.events, 21);
    // And an export, with stand-ins for the purged events, verifies offline.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("export.jsonl");
    let file = std::fs::File::create(&path).expect("create");
    trail.export(Box::new(file)).await.expect("export");
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        text.lines()
            .filter(|l| l.ends_with(r#""type":"purged"}"#))
            .count(),
        10
    );
    audit::verify_export(text.lines(), &f.trusted).expect("export verifies");
}

macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(false).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(true).await;
                }
            )+
        }
    };
}

on_both_backends!(
    clean_log_verifies,
    modified_event_is_reported,
    deleted_event_is_reported,
    inserted_event_is_reported,
    reordered_events_are_reported,
    truncated_log_is_reported,
    head_by_an_unknown_key_is_reported,
    insider_who_rewrites_and_resigns_is_caught,
    purged_events_keep_later_proofs_verifiable,
);
