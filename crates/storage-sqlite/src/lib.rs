//! SQLite backend of the [`storage`] traits: the default for a single machine.
//!
//! **What it does:** [`SqliteStore::open`] creates or opens one database file, applies the
//! embedded migrations (`migrations/`, idempotent, tracked in `_sqlx_migrations`), and
//! implements [`storage::Store`]. All writes go through one writer thread that commits
//! concurrent requests together (group commit, see `writer.rs`); reads use separate
//! read-only connections, which WAL lets run alongside the writer: sqlx's pool, and for the
//! reads every delivery makes, rusqlite connections on tokio's blocking pool (`reader.rs`).
//!
//! **What it does not do:** no network I/O, no sharing between machines (use
//! `storage-postgres` for several nodes), no encryption: bodies arrive sealed and key
//! material arrives wrapped. It never opens message content.
//!
//! **Durability:** journal mode WAL with `synchronous=FULL`, so a commit is on disk when it
//! returns. [`storage::QueueStore::enqueue`] and every other write answers only after the
//! commit that holds it, even when it shares that commit with other callers. The log is
//! copied back into the database file by a checkpointer thread on a connection of its own,
//! not inside a commit (which would make that commit's callers wait for the copy); the
//! writer then copies the few frames committed meanwhile, so the log starts again from its
//! beginning instead of growing (`writer.rs`, `after_commit`). Sealed message bodies of
//! 64 KiB or more go to append-only segment files in `<database>-bodies/` instead
//! (`segments.rs`), synced before the commit that records where they are: written once,
//! not once into the log and again by the checkpoint. A thread of its own appends and syncs
//! them (`stager.rs`): before the enqueue's commit, or earlier, while the caller does other
//! work ([`storage::QueueStore::stage_body`]); a staged body whose message is refused is
//! overwritten with zeros ([`storage::QueueStore::discard_staged`]).
//!
//! **Schema conventions:** identifiers are `TEXT` holding the hyphenated lower-case UUID
//! (readable in the `sqlite3` shell; UUIDv7 message and recipient ids sort by time as text);
//! timestamps are `INTEGER` milliseconds since the Unix epoch; enums are their `as_str()`
//! text, except priority, stored as its rank so that `ORDER BY priority` puts clinical mail
//! first; `Principal`, `TlsRecord` and `AttemptOutcome` are JSON text. Foreign keys are
//! enforced: a user, key or message needs its tenant to exist. The exception is the audit
//! log (`audit_events`, see `migrations/0005_audit_compact.sql`), the one table that grows
//! by millions of rows: a rowid table keyed on `seq` holding the canonical line, its leaf
//! hash, `at`, and message and recipient ids as 16-byte blobs for their indexes; kind,
//! tenant and actor are read from the line when a search filters on them.
//!
//! **Portal** (`portal.rs`): `portal_copies` (sealed content in `portal_contents`),
//! `portal_codes`, `portal_sessions`, `portal_passkeys`, `portal_replies` (sealed); link
//! tokens, codes and session ids are kept only as hashes.
//!
//! **Security:** runs inside whichever process holds the store (gateway, delivery worker,
//! web). The database file is created with mode `0600` (and tightened to `0600` if it is
//! more open); SQLite gives its `-wal` and `-shm` files the same mode, and body segments
//! are `0600` in a `0700` directory. All SQL is static
//! with bound parameters (`find_audit` joins static fragments for the filter's fields).
//!
//! **PHI:** message bodies are stored sealed only. Recipient addresses and the envelope
//! sender are stored in clear, because the queue routes on them and operators list them;
//! protect the file accordingly (disk encryption, backups). No address or other value ever
//! appears in an error or log line from this crate: errors name constraints, columns and
//! SQLite result codes.
//!
//! **Errors:** unique violations become `Conflict { constraint: "table.column" }` (SQLite
//! names the columns, e.g. `users.address`), foreign-key violations `Conflict {
//! constraint: "foreign_key" }`, busy/locked/I/O/disk-full and a stopped writer
//! `Unavailable`, missing rows `NotFound`, anything else `Other`.

mod accounts;
mod api;
mod groups;
mod portal;
mod reader;
mod rows;
mod segments;
mod stager;
mod writer;

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::Row;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use audit::AuditEvent;
use model::{
    ApiKeyId, EmailAddress, MessageId, RecipientId, RecipientStatus, TenantId, Timestamp, UserId,
};
use storage::{
    AppPassword, AttemptOutcome, AttemptRecord, AuditEvents, AuditFilter, AuditRow, AuditStore,
    KeyStore, MessageRecord, NewMessage, PolicyRecord, PolicyStore, QueueStore, RecipientFilter,
    RecipientRecord, StagedBody, Staging, StorageError, Store, StoredAuditEvent, StoredTreeHead,
    Tenant, TenantStore, User, UserStore, WrappedKey,
};

use crate::reader::Readers;
use crate::rows::{map_err, map_sql, recipient_cols};
use crate::writer::{Op, Reply, Writer};

/// How long a connection waits for a lock before reporting `Unavailable`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read-only connections (WAL readers never block the writer or each other).
const READ_POOL_SIZE: u32 = 8;
/// Page size of a new database file (an existing file keeps its own: SQLite cannot change
/// it in WAL mode). Every commit writes each page it touched to the WAL, and the checkpoint
/// writes it again: a queued 1 KB message touches about 23 pages over its three commits
/// (enqueue, claim, outcome), so 4 KiB pages write half the bytes of 8 KiB ones. Measured
/// side by side (BENCHMARKS.md section 1): relay CPU per message at one session 8% lower.
/// The price is in the audit log, whose ~540-byte rows fit seven to a 4 KiB page and leave
/// 7% of it empty: 663 instead of 626 bytes per event, and appends 7% slower (still above
/// the 50,000 events/s the trail needs).
const PAGE_SIZE: u32 = 4096;
/// Rows a read connection's SQLite thread may hand over before the reader takes them. sqlx's
/// default (50) makes the two threads take turns every 50 rows, which cost more than reading
/// the rows when the audit trail reads its log in pages of 10,000 and 50,000.
const READ_ROW_BUFFER: usize = 4096;
/// Rows returned by `list_recipients` when the filter's limit is 0.
const DEFAULT_LIST_LIMIT: u32 = 100;

/// The SQLite store. Cheap to clone: clones share the writer thread and the read pool.
///
/// Dropping the last clone stops the writer after it has answered every pending request;
/// there is no separate shutdown step, and nothing acknowledged is lost.
#[derive(Clone)]
pub struct SqliteStore {
    writer: Writer,
    read: SqlitePool,
    /// rusqlite read connections for the reads on the delivery path (see `reader.rs`).
    readers: Arc<Readers>,
    /// Writes large bodies to segments ahead of the commits that reference them, and knows
    /// where the segments are (see `stager.rs`).
    stager: stager::Stager,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Open (creating if needed, mode `0600`) the database at `path`, apply pending
    /// migrations and start the writer thread. Must be called inside a tokio runtime (the
    /// read pool lives on it). The writer thread ends once the last clone is dropped and
    /// every pending write is answered.
    ///
    /// Several stores (or processes) may open the same file: each batch runs under
    /// `BEGIN IMMEDIATE`, so SQLite's write lock still serialises claims and no copy is
    /// claimed twice; they merely share the write throughput.
    pub async fn open(path: &Path) -> storage::Result<SqliteStore> {
        secure_file(path)?;
        let base = SqliteConnectOptions::new()
            .filename(path)
            .page_size(PAGE_SIZE)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        // Migrate over a one-connection pool (sqlx's `Migrator::run` on a bare connection
        // is not `Send` inside `async_trait` futures), then open the writer's connection.
        let migrate_pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(base.clone().create_if_missing(true))
            .await
            .map_err(map_err)?;
        let migrated = migrator().run(&migrate_pool).await;
        migrate_pool.close().await;
        migrated.map_err(|e| {
            StorageError::Other(format!("sqlite migration failed: {}", migrate_summary(&e)))
        })?;
        let conn = open_writer_connection(path)?;
        let read = SqlitePoolOptions::new()
            .max_connections(READ_POOL_SIZE)
            .min_connections(1)
            // No ping before each use: a connection to a local file cannot go stale the way
            // a network connection does, and the ping costs a hand-off to the connection's
            // thread on every read (a third of a page's store time under load). A
            // connection that did fail would fail its query, which reports the store
            // unavailable, as any read error does.
            .test_before_acquire(false)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(path)
                    .read_only(true)
                    .busy_timeout(BUSY_TIMEOUT)
                    .row_buffer_size(READ_ROW_BUFFER),
            )
            .await
            .map_err(map_err)?;
        let stager = stager::Stager::spawn(segments::segments_dir(path)).map_err(|e| {
            StorageError::Unavailable(format!(
                "cannot start the sqlite body stager: {:?}",
                e.kind()
            ))
        })?;
        Ok(SqliteStore {
            writer: Writer::spawn(conn, open_writer_connection(path)?)?,
            read,
            readers: Readers::new(path.to_path_buf()),
            stager,
        })
    }

    /// The segment reference inside `staged`, if this store staged it (in its own
    /// directory): never one from another store or database.
    fn own_staged<'a>(&self, staged: &'a StagedBody) -> Option<&'a stager::StagedSegmentBody> {
        staged
            .token::<stager::StagedSegmentBody>()
            .filter(|s| s.dir.as_path() == self.stager.dir().as_path())
    }

    async fn write(&self, op: Op, audit: AuditEvents<'_>) -> storage::Result<Reply> {
        self.writer.call(op, audit.to_vec()).await
    }

    async fn write_done(&self, op: Op, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write(op, audit).await.map(|_| ())
    }
}

/// The embedded migrations. `sqlx::migrate!` would need sqlx's `macros` feature (a
/// proc-macro build of all of sqlx, bundled SQLite included, for the host); this list is
/// the same thing by hand: the SQL is embedded at compile time, checksummed and recorded in
/// `_sqlx_migrations` exactly as the macro would. A unit test checks that it names every
/// file in `migrations/`.
fn migrator() -> Migrator {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType};
    Migrator::with_migrations(vec![
        Migration::new(
            1,
            "initial".into(),
            MigrationType::Simple,
            include_str!("../migrations/0001_initial.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            "audit".into(),
            MigrationType::Simple,
            include_str!("../migrations/0002_audit.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            3,
            "policies".into(),
            MigrationType::Simple,
            include_str!("../migrations/0003_policies.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            4,
            "routes".into(),
            MigrationType::Simple,
            include_str!("../migrations/0004_routes.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            5,
            "audit compact".into(),
            MigrationType::Simple,
            include_str!("../migrations/0005_audit_compact.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            6,
            "portal".into(),
            MigrationType::Simple,
            include_str!("../migrations/0006_portal.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            7,
            "portal sms".into(),
            MigrationType::Simple,
            include_str!("../migrations/0007_portal_sms.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            8,
            "api".into(),
            MigrationType::Simple,
            include_str!("../migrations/0008_api.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            9,
            "accounts".into(),
            MigrationType::Simple,
            include_str!("../migrations/0009_accounts.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            10,
            "break_glass".into(),
            MigrationType::Simple,
            include_str!("../migrations/0010_break_glass.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            11,
            "groups access".into(),
            MigrationType::Simple,
            include_str!("../migrations/0011_groups_access.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            12,
            "body segments".into(),
            MigrationType::Simple,
            include_str!("../migrations/0012_body_segments.sql").into_sql_str(),
            false,
        ),
    ])
}

/// A migration error without any driver text that might echo data.
fn migrate_summary(e: &sqlx::migrate::MigrateError) -> String {
    use sqlx::migrate::MigrateError;
    match e {
        MigrateError::Execute(inner) | MigrateError::ExecuteMigration(inner, _) => {
            map_err_ref(inner)
        }
        other => other.to_string(),
    }
}

fn map_err_ref(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => {
            format!(
                "database error {}",
                db.code().map(|c| c.into_owned()).unwrap_or_default()
            )
        }
        _ => "driver error".to_string(),
    }
}

/// The writer's connection (see `writer.rs`): the same settings as sqlx's connections
/// (`synchronous=FULL`, foreign keys, busy timeout), on a database already migrated.
/// The writer thread is its only user, hence no SQLite mutex on it. (The checkpointer's
/// connection is opened the same way and has one user too.)
fn open_writer_connection(path: &Path) -> storage::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(map_sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(map_sql)?;
    // WAL is a property of the file, set when the migration pool created it.
    for (pragma, value) in [("synchronous", "FULL"), ("foreign_keys", "ON")] {
        conn.pragma_update(None, pragma, value).map_err(map_sql)?;
    }
    // Every statement the writer runs stays prepared (about a hundred distinct ones).
    conn.set_prepared_statement_cache_capacity(256);
    // Plans must not depend on bound values. Without this, SQLite marks a statement for
    // re-preparation whenever a parameter its planner looked at is bound to a new value:
    // `LIMIT ?` (the claim's batch size) is one, so every claim with a different number of
    // free delivery slots parsed and planned its statement again (8% of carepost's CPU at
    // one SMTP session in a profile).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(map_sql)?;
    Ok(conn)
}

/// Create the database file with mode 0600 before SQLite does (SQLite would use the umask),
/// or tighten an existing one.
fn secure_file(path: &Path) -> storage::Result<()> {
    let io =
        |e: std::io::Error| StorageError::Unavailable(format!("database file: {:?}", e.kind()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::metadata(path).map_err(io)?;
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!("database file was readable by others; setting mode 0600");
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .map_err(io)?;
            }
            Ok(())
        }
        Err(e) => Err(io(e)),
    }
}

#[async_trait]
impl TenantStore for SqliteStore {
    async fn create_tenant(&self, tenant: &Tenant, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write_done(Op::CreateTenant(tenant.clone()), audit)
            .await
    }

    async fn tenant(&self, id: TenantId) -> storage::Result<Tenant> {
        let row = sqlx::query("SELECT id, name, created FROM tenants WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        rows::tenant(&row)
    }

    async fn tenants(&self) -> storage::Result<Vec<Tenant>> {
        let rows = sqlx::query("SELECT id, name, created FROM tenants ORDER BY created, id")
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(rows::tenant).collect()
    }
}

macro_rules! user_cols {
    () => {
        "id, tenant, address, role, password_hash, must_change_password, disabled, created"
    };
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn create_user(&self, user: &User, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write_done(Op::CreateUser(user.clone()), audit).await
    }

    async fn user_by_address(&self, address: &EmailAddress) -> storage::Result<User> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE address = ?"
        ))
        .bind(address.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        rows::user(&row)
    }

    async fn user(&self, id: UserId) -> storage::Result<User> {
        let row = sqlx::query(concat!("SELECT ", user_cols!(), " FROM users WHERE id = ?"))
            .bind(id.to_string())
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        rows::user(&row)
    }

    async fn users(&self, tenant: TenantId) -> storage::Result<Vec<User>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE tenant = ? ORDER BY created, id"
        ))
        .bind(tenant.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::user).collect()
    }

    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        must_change: bool,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.write_done(
            Op::SetPasswordHash {
                id,
                hash: hash.to_string(),
                must_change,
            },
            audit,
        )
        .await
    }

    async fn add_app_password(
        &self,
        password: &AppPassword,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.write_done(Op::AddAppPassword(password.clone()), audit)
            .await
    }

    async fn app_passwords(&self, user: UserId) -> storage::Result<Vec<AppPassword>> {
        let rows = sqlx::query(
            "SELECT id, user_id, tenant, label, hash, created, revoked FROM app_passwords \
             WHERE user_id = ? ORDER BY created, id",
        )
        .bind(user.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::app_password).collect()
    }

    async fn revoke_app_password(
        &self,
        id: ApiKeyId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.write_done(Op::RevokeAppPassword(id), audit).await
    }
}

macro_rules! key_cols {
    () => {
        "id, tenant, purpose, wrapped, wrapping_key_id, active, created"
    };
}

#[async_trait]
impl KeyStore for SqliteStore {
    async fn put_key(&self, key: &WrappedKey, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write_done(Op::PutKey(key.clone()), audit).await
    }

    async fn key(&self, id: &str) -> storage::Result<WrappedKey> {
        let row = sqlx::query(concat!("SELECT ", key_cols!(), " FROM keys WHERE id = ?"))
            .bind(id)
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        rows::key(&row)
    }

    async fn all_keys(&self) -> storage::Result<Vec<WrappedKey>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            key_cols!(),
            " FROM keys ORDER BY created, id"
        ))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::key).collect()
    }

    async fn rewrap_keys(
        &self,
        keys: &[WrappedKey],
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.write_done(Op::RewrapKeys(keys.to_vec()), audit).await
    }
}

#[async_trait]
impl QueueStore for SqliteStore {
    async fn enqueue(&self, mut message: NewMessage) -> storage::Result<()> {
        match &message.staged_body {
            // Only a body this store staged, in its own directory, may be referenced.
            Some(staged) if self.own_staged(staged).is_none() => {
                return Err(StorageError::Other(
                    "a body staged by another store".to_string(),
                ));
            }
            Some(_) => {}
            // A large body nobody staged is staged now, before the commit that records it.
            None => match self
                .stage_body(std::mem::take(&mut message.sealed_body))
                .await?
            {
                Staging::Kept(body) => message.sealed_body = body,
                Staging::Staged(staged) => message.staged_body = Some(staged),
            },
        }
        let audit = std::mem::take(&mut message.audit);
        self.write_done(Op::Enqueue(message), &audit).await
    }

    async fn stage_body(&self, sealed: Vec<u8>) -> storage::Result<Staging> {
        // A small body costs one WAL write in the enqueue's transaction and no sync of its
        // own: staging it would add one.
        if sealed.len() < segments::SEGMENT_THRESHOLD {
            return Ok(Staging::Kept(sealed));
        }
        self.stager.stage(sealed).await
    }

    async fn discard_staged(&self, staged: StagedBody) {
        let Some(staged) = self.own_staged(&staged) else {
            return;
        };
        let (dir, body) = (Arc::clone(self.stager.dir()), staged.body.clone());
        let erased = tokio::task::spawn_blocking(move || segments::erase(&dir, &body)).await;
        if let Ok(Err(e)) = erased {
            tracing::warn!(error = ?e.kind(), "erasing a discarded message body failed; it stays unreferenced");
        }
    }

    async fn message(&self, id: MessageId) -> storage::Result<MessageRecord> {
        self.readers.read(move |conn| read_message(conn, id)).await
    }

    async fn message_body(&self, id: MessageId) -> storage::Result<Vec<u8>> {
        let segments = Arc::clone(self.stager.dir());
        self.readers
            .read(move |conn| read_body(conn, &segments, id))
            .await
    }

    async fn message_with_body(&self, id: MessageId) -> storage::Result<(MessageRecord, Vec<u8>)> {
        let segments = Arc::clone(self.stager.dir());
        self.readers
            .read(move |conn| {
                // One read transaction, so the body is the message's as of the same commit
                // (it ends when `tx` drops).
                let _tx = conn.unchecked_transaction().map_err(map_sql)?;
                Ok((read_message(conn, id)?, read_body(conn, &segments, id)?))
            })
            .await
    }

    async fn recipient(&self, id: RecipientId) -> storage::Result<RecipientRecord> {
        let row = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        rows::recipient(&row)
    }

    async fn recipients_of(&self, id: MessageId) -> storage::Result<Vec<RecipientRecord>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients WHERE message = ? ORDER BY id"
        ))
        .bind(id.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::recipient).collect()
    }

    async fn list_recipients(
        &self,
        filter: &RecipientFilter,
    ) -> storage::Result<Vec<RecipientRecord>> {
        let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        let limit = if filter.limit == 0 {
            DEFAULT_LIST_LIMIT
        } else {
            filter.limit
        };
        // Static SQL with optional filters: NULL (or an empty list) means "any".
        let rows = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients \
             WHERE (?1 IS NULL OR tenant = ?1) \
               AND (?2 IS NULL OR message = ?2) \
               AND (?3 = 0 OR status IN (SELECT value FROM json_each(?4))) \
             ORDER BY id DESC LIMIT ?5"
        ))
        .bind(filter.tenant.map(|t| t.to_string()))
        .bind(filter.message.map(|m| m.to_string()))
        .bind(i64::try_from(statuses.len()).unwrap_or(i64::MAX))
        .bind(rows::to_json(&statuses, "status")?)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::recipient).collect()
    }

    async fn claim_due(
        &self,
        worker: &str,
        now: Timestamp,
        lease: Duration,
        limit: u32,
    ) -> storage::Result<Vec<RecipientRecord>> {
        let op = Op::Claim {
            worker: worker.to_string(),
            now,
            lease,
            limit,
        };
        match self.write(op, &[]).await? {
            Reply::Claimed(records) => Ok(records),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn complete(
        &self,
        id: RecipientId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let op = Op::Complete {
            id,
            worker: worker.to_string(),
            outcome: outcome.clone(),
            now,
        };
        self.write_done(op, audit).await
    }

    async fn release_claim(
        &self,
        id: RecipientId,
        worker: &str,
        at: Timestamp,
    ) -> storage::Result<()> {
        self.write_done(
            Op::Release {
                id,
                worker: worker.to_string(),
                at,
            },
            &[],
        )
        .await
    }

    async fn release_claims_by_owner_prefix(
        &self,
        owner_prefix: &str,
        at: Timestamp,
    ) -> storage::Result<u64> {
        let op = Op::ReleaseByOwnerPrefix {
            prefix: owner_prefix.to_string(),
            at,
        };
        match self.write(op, &[]).await? {
            Reply::Count(n) => Ok(n),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn transition(
        &self,
        id: RecipientId,
        from: &[RecipientStatus],
        to: RecipientStatus,
        next_attempt: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let op = Op::Transition {
            id,
            from: from.to_vec(),
            to,
            next_attempt,
        };
        match self.write(op, audit).await? {
            Reply::Changed(changed) => Ok(changed),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn attempts(&self, id: RecipientId) -> storage::Result<Vec<AttemptRecord>> {
        let rows = sqlx::query(
            "SELECT recipient, at, worker, outcome FROM attempts WHERE recipient = ? ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::attempt).collect()
    }

    async fn count_by_status(
        &self,
        tenant: Option<TenantId>,
    ) -> storage::Result<Vec<(RecipientStatus, u64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM recipients WHERE (?1 IS NULL OR tenant = ?1) \
             GROUP BY status",
        )
        .bind(tenant.map(|t| t.to_string()))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        let mut counts: Vec<(RecipientStatus, u64)> =
            RecipientStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for row in &rows {
            let status: String = row.try_get("status").map_err(map_err)?;
            let status = RecipientStatus::from_str(&status).map_err(|_| rows::corrupt("status"))?;
            let n: i64 = row.try_get("n").map_err(map_err)?;
            if let Some(slot) = counts.iter_mut().find(|(s, _)| *s == status) {
                slot.1 = u64::try_from(n).map_err(|_| rows::corrupt("count"))?;
            }
        }
        Ok(counts)
    }

    async fn next_due(&self) -> storage::Result<Option<Timestamp>> {
        self.readers
            .read(|conn| {
                conn.prepare_cached(
                    "SELECT MIN(t) AS t FROM ( \
                       SELECT MIN(next_attempt) AS t FROM recipients \
                         WHERE status IN ('queued', 'deferred') \
                       UNION ALL \
                       SELECT MIN(lease_until) AS t FROM recipients WHERE status = 'delivering')",
                )
                .map_err(map_sql)?
                .query_row([], |row| row.get::<_, Option<i64>>(0))
                .map(|t| t.map(Timestamp::from_millis))
                .map_err(map_sql)
            })
            .await
    }
}

/// A message's row, on a read connection of [`Readers`].
fn read_message(conn: &rusqlite::Connection, id: MessageId) -> storage::Result<MessageRecord> {
    conn.prepare_cached(concat!(
        "SELECT ",
        rows::message_cols!(),
        " FROM messages WHERE id = ?"
    ))
    .map_err(map_sql)?
    .query_row([id.to_string()], |row| Ok(rows::message_sql(row)))
    .map_err(map_sql)?
}

/// A message's sealed body, on a read connection of [`Readers`]: from its segment file when
/// it is large (see `segments.rs`), else from `message_bodies`.
fn read_body(
    conn: &rusqlite::Connection,
    segments: &Path,
    id: MessageId,
) -> storage::Result<Vec<u8>> {
    use rusqlite::OptionalExtension;
    let at = conn
        .prepare_cached("SELECT segment, offset, len FROM message_body_segments WHERE message = ?")
        .map_err(map_sql)?
        .query_row([id.to_string()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .optional()
        .map_err(map_sql)?;
    if let Some((segment, offset, len)) = at {
        let (Ok(offset), Ok(len)) = (u64::try_from(offset), u64::try_from(len)) else {
            return Err(StorageError::Other(
                "body segment reference out of range".into(),
            ));
        };
        let r = segments::BodyRef {
            segment,
            offset,
            len,
        };
        return segments::read(segments, &r).map_err(|e| {
            StorageError::Unavailable(format!("message body segment unreadable: {:?}", e.kind()))
        });
    }
    conn.prepare_cached("SELECT sealed FROM message_bodies WHERE message = ?")
        .map_err(map_sql)?
        .query_row([id.to_string()], |row| row.get(0))
        .map_err(map_sql)
}

/// Rows returned by `find_audit` when the filter's limit is 0.
const DEFAULT_AUDIT_LIMIT: u32 = 1000;

/// SQL for an event's actor in [`storage::actor_key`] form (`system:delivery`), read from
/// its canonical line: the actor object's `type`, then its one other member. A test holds it
/// against `actor_key` for every kind of actor.
macro_rules! audit_actor_key {
    () => {
        "(line ->> '$.actor.type') || ':' || COALESCE(line ->> '$.actor.id', \
         line ->> '$.actor.name', line ->> '$.actor.component', \
         line ->> '$.actor.recipient')"
    };
}

/// A `find_audit` statement being assembled: fixed fragments and their bound values.
struct AuditQuery {
    sql: String,
    args: sqlx::sqlite::SqliteArguments,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            sql: String::from("SELECT line FROM audit_events WHERE line IS NOT NULL"),
            args: sqlx::sqlite::SqliteArguments::default(),
        }
    }
}

impl AuditQuery {
    /// Append `fragment` (static text with one `?`) and bind `value` to it.
    fn and<T>(&mut self, fragment: &'static str, value: T) -> storage::Result<()>
    where
        T: for<'t> sqlx::Encode<'t, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    {
        use sqlx::Arguments;
        self.sql.push_str(fragment);
        self.args
            .add(value)
            .map_err(|_| StorageError::Other("cannot bind an audit filter value".to_string()))
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> storage::Result<u64> {
        match self.write(Op::AppendAudit, events).await? {
            Reply::Count(first) => Ok(first),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn audit_size(&self) -> storage::Result<u64> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM audit_events")
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        u64::try_from(row.try_get::<i64, _>("n").map_err(map_err)?)
            .map_err(|_| rows::corrupt("seq"))
    }

    async fn audit_range(
        &self,
        from_seq: u64,
        limit: u32,
    ) -> storage::Result<Vec<StoredAuditEvent>> {
        let rows = sqlx::query(
            "SELECT seq, leaf_hash, line FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?",
        )
        .bind(rows::to_i64(from_seq, "seq")?)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get("seq").map_err(map_err)?;
                let hash: Vec<u8> = row.try_get("leaf_hash").map_err(map_err)?;
                let line: Option<String> = row.try_get("line").map_err(map_err)?;
                Ok(StoredAuditEvent {
                    seq: u64::try_from(seq).map_err(|_| rows::corrupt("seq"))?,
                    leaf_hash: AuditRow::leaf_hash_from(&hash)?,
                    line,
                })
            })
            .collect()
    }

    async fn audit_leaf_hashes(&self, from_seq: u64, limit: u32) -> storage::Result<Vec<[u8; 32]>> {
        let rows =
            sqlx::query("SELECT leaf_hash FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?")
                .bind(rows::to_i64(from_seq, "seq")?)
                .bind(i64::from(limit))
                .fetch_all(&self.read)
                .await
                .map_err(map_err)?;
        rows.iter()
            .map(|row| {
                let hash: &[u8] = row.try_get("leaf_hash").map_err(map_err)?;
                AuditRow::leaf_hash_from(hash)
            })
            .collect()
    }

    async fn find_audit(&self, filter: &AuditFilter) -> storage::Result<Vec<AuditEvent>> {
        let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
        let limit = if filter.limit == 0 {
            DEFAULT_AUDIT_LIMIT
        } else {
            filter.limit
        };
        // The statement holds only the conditions the filter sets, so that SQLite can pick
        // the message, recipient, patient or time index. (One static statement with every
        // condition disabled by a NULL parameter, as before, always scanned the whole log.)
        // Its text comes from the fixed fragments below only; every value is bound.
        let mut q = AuditQuery::default();
        if let Some(from) = filter.from {
            q.and(" AND at >= ?", from.as_millis())?;
        }
        if let Some(until) = filter.until {
            q.and(" AND at < ?", until.as_millis())?;
        }
        if !kinds.is_empty() {
            q.and(
                " AND line ->> '$.kind' IN (SELECT value FROM json_each(?))",
                rows::to_json(&kinds, "kinds")?,
            )?;
        }
        if let Some(actor) = &filter.actor {
            q.and(concat!(" AND ", audit_actor_key!(), " = ?"), actor.clone())?;
        }
        if let Some(message) = filter.message {
            q.and(" AND message = ?", message.0.as_bytes().to_vec())?;
        }
        if let Some(recipient) = filter.recipient {
            q.and(" AND recipient = ?", recipient.0.as_bytes().to_vec())?;
        }
        if let Some(tenant) = filter.tenant {
            q.and(" AND line ->> '$.tenant' = ?", tenant.to_string())?;
        }
        if let Some(patient_ref) = &filter.patient_ref {
            q.and(
                " AND seq IN (SELECT seq FROM audit_patient_refs WHERE patient_ref = ?)",
                patient_ref.clone(),
            )?;
        }
        if let Some(after) = filter.after_seq {
            q.and(" AND seq > ?", rows::to_i64(after, "seq")?)?;
        }
        q.and(" ORDER BY seq LIMIT ?", i64::from(limit))?;
        let AuditQuery { sql, args } = q;
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|row| {
                let line: &str = row.try_get("line").map_err(map_err)?;
                AuditRow::parse_line(line)
            })
            .collect()
    }

    async fn put_tree_head(&self, head: &StoredTreeHead) -> storage::Result<()> {
        self.write_done(Op::PutTreeHead(head.clone()), &[]).await
    }

    async fn latest_tree_head(&self) -> storage::Result<Option<StoredTreeHead>> {
        let row = sqlx::query(
            "SELECT head, cosignatures FROM audit_heads \
             ORDER BY tree_size DESC, timestamp DESC LIMIT 1",
        )
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::tree_head).transpose()
    }

    async fn tree_heads(&self, min_size: u64, limit: u32) -> storage::Result<Vec<StoredTreeHead>> {
        let rows = sqlx::query(
            "SELECT head, cosignatures FROM audit_heads WHERE tree_size >= ? \
             ORDER BY tree_size, timestamp LIMIT ?",
        )
        .bind(rows::to_i64(min_size, "tree_size")?)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::tree_head).collect()
    }

    async fn purge_audit(
        &self,
        before: Timestamp,
        below_seq: u64,
        events: &[AuditEvent],
    ) -> storage::Result<u64> {
        match self
            .write(Op::PurgeAudit { before, below_seq }, events)
            .await?
        {
            Reply::Count(n) => Ok(n),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn audit_cursor(&self, consumer: &str) -> storage::Result<Option<u64>> {
        let row = sqlx::query("SELECT seq FROM audit_cursors WHERE consumer = ?")
            .bind(consumer)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        row.map(|r| {
            let seq: i64 = r.try_get("seq").map_err(map_err)?;
            u64::try_from(seq).map_err(|_| rows::corrupt("seq"))
        })
        .transpose()
    }

    async fn set_audit_cursor(&self, consumer: &str, seq: u64) -> storage::Result<()> {
        self.write_done(
            Op::SetAuditCursor {
                consumer: consumer.to_string(),
                seq,
            },
            &[],
        )
        .await
    }
}

#[async_trait]
impl PolicyStore for SqliteStore {
    async fn put_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        let op = Op::PutPolicy {
            tenant,
            document: document.to_string(),
            author: author.to_string(),
            created,
        };
        match self.write(op, audit).await? {
            Reply::Count(version) => Ok(version),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn current_policy(&self, tenant: TenantId) -> storage::Result<Option<PolicyRecord>> {
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = ? ORDER BY version DESC LIMIT 1",
        )
        .bind(tenant.to_string())
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::policy).transpose()
    }

    async fn policy_version(
        &self,
        tenant: TenantId,
        version: u64,
    ) -> storage::Result<PolicyRecord> {
        // A version beyond i64 cannot exist.
        let Ok(version) = i64::try_from(version) else {
            return Err(StorageError::NotFound);
        };
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = ? AND version = ?",
        )
        .bind(tenant.to_string())
        .bind(version)
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        rows::policy(&row)
    }

    async fn policy_history(&self, tenant: TenantId) -> storage::Result<Vec<PolicyRecord>> {
        let rows = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = ? ORDER BY version",
        )
        .bind(tenant.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::policy).collect()
    }
}

impl Store for SqliteStore {
    fn backend_name(&self) -> &'static str {
        "sqlite"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::ConnectOptions;
    use sqlx::sqlite::SqliteConnection;

    /// Three writes that queue while the writer waits end up in one batch (one
    /// transaction): the middle one fails on its own, the other two commit.
    #[test]
    fn a_failing_request_in_a_batch_does_not_fail_the_others() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("t.db");
            let store = SqliteStore::open(&path).await.expect("open");
            let t = |name: &str, ms| Tenant {
                id: TenantId::new(),
                name: name.to_string(),
                created: Timestamp::from_millis(ms),
            };
            let (blocker, first, dup, last) = (t("Z", 0), t("A", 1), t("A", 2), t("C", 3));
            // Another connection holds the write lock, so the writer waits in the blocker's
            // BEGIN IMMEDIATE while the three queue up behind it; they form the next batch.
            let lock = rusqlite::Connection::open(&path).expect("second connection");
            lock.execute_batch("BEGIN IMMEDIATE")
                .expect("take the write lock");
            let blocked = store.create_tenant(&blocker, &[]);
            let queued = async {
                // Time for the writer to take the blocker alone and wait on the lock.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let three = async {
                    tokio::join!(
                        store.create_tenant(&first, &[]),
                        store.create_tenant(&dup, &[]),
                        store.create_tenant(&last, &[])
                    )
                };
                let release = async {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    lock.execute_batch("COMMIT")
                        .expect("release the write lock");
                };
                tokio::join!(three, release).0
            };
            let (z, (a, b, c)) = tokio::join!(blocked, queued);
            assert_eq!(z, Ok(()));
            assert_eq!(a, Ok(()));
            assert_eq!(
                b,
                Err(StorageError::Conflict {
                    constraint: "tenants.name".into()
                })
            );
            assert_eq!(c, Ok(()));
            // The stored "A" is the first request's, not the duplicate's.
            assert_eq!(
                store.tenants().await.expect("list"),
                vec![blocker, first, last]
            );
        });
    }

    #[test]
    fn migrator_embeds_every_file_in_migrations_dir() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations dir exists")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<i64> = migrator().iter().map(|m| m.version).collect();
        let on_disk: Vec<i64> = files
            .iter()
            .map(|n| {
                n.split('_')
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("NNNN_name.sql")
            })
            .collect();
        assert_eq!(embedded, on_disk);
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    }

    /// `find_audit` reads the actor from the canonical line (`audit_actor_key!`); it must
    /// agree with `storage::actor_key` for every kind of actor. A new kind of actor fails to
    /// compile here until it is added (the match has no catch-all).
    #[test]
    fn actor_filter_matches_actor_key_for_every_kind_of_actor() {
        use audit::{Actor, EventKind};
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
            let dir = tempfile::tempdir().expect("temp dir");
            let store = SqliteStore::open(&dir.path().join("t.db"))
                .await
                .expect("open");
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
        });
    }

    /// Migration 5 rebuilds `audit_events`: rows written under version 2's layout keep their
    /// numbers, lines and leaf hashes, and are found again by message, recipient and patient.
    #[test]
    fn compacting_the_audit_table_carries_every_row_over() {
        use audit::{Actor, EventKind, Subject};
        runtime().block_on(async {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("old.db");
            // A database as version 4 left it.
            let old = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(
                    SqliteConnectOptions::new()
                        .filename(&path)
                        .create_if_missing(true)
                        .foreign_keys(true),
                )
                .await
                .expect("create");
            let up_to_4: Vec<_> = migrator()
                .iter()
                .filter(|m| m.version <= 4)
                .cloned()
                .collect();
            Migrator::with_migrations(up_to_4)
                .run(&old)
                .await
                .expect("migrate to 4");
            let (message, recipient, tenant) =
                (MessageId::new(), RecipientId::new(), TenantId::new());
            let events = [
                AuditEvent::new(
                    0,
                    Timestamp::from_millis(10),
                    Actor::System {
                        component: "delivery".into(),
                    },
                    EventKind::DeliveryDelivered,
                )
                .with_tenant(tenant)
                .with_subject(Subject {
                    message: Some(message),
                    recipient: Some(recipient),
                    ..Subject::default()
                })
                .with_detail(storage::PATIENT_REFS_DETAIL, vec!["hmac-aaaa"]),
                AuditEvent::new(
                    0,
                    Timestamp::from_millis(20),
                    Actor::System {
                        component: "retention".into(),
                    },
                    EventKind::AuthLogin,
                ),
            ];
            let mut rows = Vec::new();
            for (seq, event) in events.iter().enumerate() {
                let r = AuditRow::new(event, seq as u64).expect("row");
                sqlx::query(
                    "INSERT INTO audit_events (seq, at, kind, tenant, actor, message, recipient, \
                     leaf_hash, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(seq as i64)
                .bind(r.at)
                .bind(r.kind)
                .bind(&r.tenant)
                .bind(&r.actor)
                .bind(&r.message)
                .bind(&r.recipient)
                .bind(r.leaf_hash.to_vec())
                .bind(&r.line)
                .execute(&old)
                .await
                .expect("old row");
                for p in &r.patient_refs {
                    sqlx::query("INSERT INTO audit_patient_refs (patient_ref, seq) VALUES (?, ?)")
                        .bind(p)
                        .bind(seq as i64)
                        .execute(&old)
                        .await
                        .expect("old ref");
                }
                rows.push(r);
            }
            old.close().await;

            let store = SqliteStore::open(&path).await.expect("open and migrate");
            let stored = store.audit_range(0, 10).await.expect("range");
            assert_eq!(stored.len(), 2);
            for (s, r) in stored.iter().zip(&rows) {
                assert_eq!(s.seq, r.seq);
                assert_eq!(s.leaf_hash, r.leaf_hash);
                assert_eq!(s.line.as_deref(), Some(r.line.as_str()));
            }
            let by = |filter: AuditFilter| {
                let store = store.clone();
                async move {
                    let found = store.find_audit(&filter).await.expect("find");
                    found.iter().map(|e| e.seq).collect::<Vec<_>>()
                }
            };
            let first = vec![0];
            assert_eq!(
                by(AuditFilter {
                    message: Some(message),
                    ..AuditFilter::default()
                })
                .await,
                first
            );
            assert_eq!(
                by(AuditFilter {
                    recipient: Some(recipient),
                    ..AuditFilter::default()
                })
                .await,
                first
            );
            assert_eq!(
                by(AuditFilter {
                    patient_ref: Some("hmac-aaaa".into()),
                    ..AuditFilter::default()
                })
                .await,
                first
            );
            assert_eq!(
                by(AuditFilter {
                    tenant: Some(tenant),
                    ..AuditFilter::default()
                })
                .await,
                first
            );
            // Numbering goes on after the carried-over rows.
            let next = store
                .append_audit(&[events[1].clone()])
                .await
                .expect("append after migration");
            assert_eq!(next, 2);
            assert_eq!(store.audit_size().await.expect("size"), 3);
            // The rebuilt patient references still point at audit_events.
            let mut raw: SqliteConnection = SqliteConnectOptions::new()
                .filename(&path)
                .foreign_keys(true)
                .connect()
                .await
                .expect("raw connection");
            let orphan =
                sqlx::query("INSERT INTO audit_patient_refs (patient_ref, seq) VALUES (?, ?)")
                    .bind("hmac-bbbb")
                    .bind(999_i64)
                    .execute(&mut raw)
                    .await;
            assert!(
                orphan.is_err(),
                "a reference to a missing event was accepted"
            );
        });
    }
}
