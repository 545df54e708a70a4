//! The shared storage conformance suite against PostgreSQL.
//!
//! Runs only when `TEST_DATABASE_URL` is set (CI always sets it), e.g.
//! `TEST_DATABASE_URL=postgres://carepost:carepost@127.0.0.1:5432/postgres`. The URL's role
//! must be allowed to create databases: every test creates its own database
//! `carepost_test_<random>` through that URL and drops it at the end, unless
//! `KEEP_TEST_DB=1`, which keeps it and prints its name.

use std::io::Write;
use std::sync::{Arc, Once};

use sqlx::Connection;
use sqlx::postgres::PgConnection;

use storage::conformance::{self, Backend, T0};
use storage::{SharedStore, TenantStore};
use storage_postgres::PostgresStore;

const SKIP: &str = "TEST_DATABASE_URL not set: PostgreSQL conformance skipped";

/// The admin URL, or `None` after saying (once, past the test harness's output capture)
/// that the PostgreSQL tests are skipped.
fn admin_url() -> Option<String> {
    static SAY_ONCE: Once = Once::new();
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            SAY_ONCE.call_once(|| {
                // Written to the stream directly: `eprintln!` output of passing tests is
                // captured by libtest and would never be seen.
                let _ = writeln!(std::io::stderr(), "{SKIP}");
            });
            None
        }
    }
}

/// `url` with its database name replaced by `db` (query parameters kept).
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

struct TestDb {
    admin_url: String,
    name: String,
}

impl TestDb {
    async fn create() -> Option<TestDb> {
        Self::create_with("").await
    }

    /// A fresh database created with these extra `CREATE DATABASE` options.
    async fn create_with(options: &str) -> Option<TestDb> {
        let admin_url = admin_url()?;
        let name = format!(
            "carepost_test_{}",
            model::TenantId::new().as_uuid().simple()
        );
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\" {options}"
        )))
        .execute(&mut admin)
        .await
        .expect("create test database");
        admin.close().await.expect("close admin connection");
        Some(TestDb { admin_url, name })
    }

    fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    async fn drop_db(self) {
        if std::env::var_os("KEEP_TEST_DB").is_some_and(|v| v == "1") {
            let _ = writeln!(
                std::io::stderr(),
                "KEEP_TEST_DB=1: kept database {}",
                self.name
            );
            return;
        }
        let mut admin = PgConnection::connect(&self.admin_url)
            .await
            .expect("connect admin");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("drop test database");
        let _ = admin.close().await;
    }
}

struct Postgres {
    db: TestDb,
    store: Arc<PostgresStore>,
}

#[async_trait::async_trait]
impl Backend for Postgres {
    async fn fresh() -> Option<Self> {
        let db = TestDb::create().await?;
        let store = PostgresStore::connect(&db.url())
            .await
            .expect("connect store");
        Some(Postgres {
            db,
            store: Arc::new(store),
        })
    }

    fn store(&self) -> SharedStore {
        self.store.clone()
    }

    async fn teardown(self) {
        self.store.close().await;
        self.db.drop_db().await;
    }
}

storage::conformance_tests!(Postgres);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn nodes_connecting_together_migrate_once_and_share_data() {
    runtime().block_on(async {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let url = db.url();
        // Four "nodes" start at the same time: sqlx's advisory lock serialises migration.
        let nodes = futures_join(&url, 4).await;
        let t = conformance::tenant_rec("A", T0);
        nodes[0].create_tenant(&t, &[]).await.expect("create");
        for n in &nodes {
            assert_eq!(n.tenant(t.id).await, Ok(t.clone()));
            n.close().await;
        }
        // And once more after everything is applied.
        let again = PostgresStore::connect(&url).await.expect("reconnect");
        assert_eq!(again.tenants().await.expect("list"), vec![t]);
        again.close().await;
        db.drop_db().await;
    });
}

#[test]
fn lists_are_in_byte_order_in_a_database_with_a_linguistic_collation() {
    // The conformance databases use the server's default collation (C.UTF-8 here); many
    // servers default to en_US or ICU, which sort `a_b` before `a1`. SQLite sorts by bytes.
    runtime().block_on(async {
        let Some(db) =
            TestDb::create_with("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en'").await
        else {
            return;
        };
        let store = Arc::new(PostgresStore::connect(&db.url()).await.expect("connect"));
        conformance::groups_and_members_are_listed_in_byte_order(store.clone()).await;
        store.close().await;
        db.drop_db().await;
    });
}

async fn futures_join(url: &str, n: usize) -> Vec<PostgresStore> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let url = url.to_string();
            tokio::spawn(async move { PostgresStore::connect(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for t in tasks {
        stores.push(t.await.expect("task").expect("connect and migrate"));
    }
    stores
}

#[test]
fn an_unreachable_server_is_unavailable_and_the_password_is_not_echoed() {
    // Port 1 on loopback: nothing listens there. Needs no database, so it always runs.
    runtime().block_on(async {
        let err = PostgresStore::connect("postgres://carepost:s3cret@127.0.0.1:1/carepost")
            .await
            .expect_err("nothing listens on port 1");
        assert!(
            matches!(err, storage::StorageError::Unavailable(_)),
            "{err:?}"
        );
        assert!(!format!("{err} {err:?}").contains("s3cret"));
    });
}

#[test]
fn database_name_is_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/postgres?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}

/// `find_audit` reads the actor from the canonical line; it must agree with
/// `storage::actor_key` for every kind of actor. A new kind of actor fails to compile here
/// until it is added (the match has no catch-all).
#[test]
fn actor_filter_matches_actor_key_for_every_kind_of_actor() {
    use audit::{Actor, AuditEvent, EventKind};
    use model::{ApiKeyId, RecipientId, Timestamp, UserId};
    use storage::{AuditFilter, AuditStore};
    let actors = [
        Actor::User { id: UserId::new() },
        Actor::Device {
            name: "fax-3rd-floor".into(),
        },
        Actor::System {
            component: "delivery".into(),
        },
        Actor::ApiKey {
            id: ApiKeyId::new(),
        },
        Actor::PortalRecipient {
            recipient: RecipientId::new(),
        },
    ];
    for actor in &actors {
        match actor {
            Actor::User { .. }
            | Actor::Device { .. }
            | Actor::System { .. }
            | Actor::ApiKey { .. }
            | Actor::PortalRecipient { .. } => {}
        }
    }
    runtime().block_on(async {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::connect(&db.url()).await.expect("connect");
        let events: Vec<AuditEvent> = actors
            .iter()
            .map(|a| {
                AuditEvent::new(
                    0,
                    Timestamp::from_millis(1),
                    a.clone(),
                    EventKind::AuthLogin,
                )
            })
            .collect();
        store.append_audit(&events).await.expect("append");
        for (seq, actor) in actors.iter().enumerate() {
            let found = store
                .find_audit(&AuditFilter {
                    actor: Some(storage::actor_key(actor)),
                    ..AuditFilter::default()
                })
                .await
                .expect("find");
            assert_eq!(found.len(), 1, "{}", storage::actor_key(actor));
            assert_eq!(found[0].seq, seq as u64);
            assert_eq!(&found[0].actor, actor);
        }
        store.close().await;
        db.drop_db().await;
    });
}
