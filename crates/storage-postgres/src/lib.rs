//! PostgreSQL backend of the [`storage`] traits: for several carepost nodes sharing one
//! queue.
//!
//! **What it does:** [`PostgresStore::connect`] opens a connection pool (16 connections),
//! applies the embedded migrations (`migrations/`, idempotent, tracked in
//! `_sqlx_migrations`; sqlx takes an advisory lock, so nodes starting together migrate
//! once) and implements [`storage::Store`]. Each call is one statement or one transaction;
//! PostgreSQL already batches concurrent commits into one WAL flush (group commit), so
//! unlike `storage-sqlite` there is no writer thread.
//!
//! **What it does not do:** it does not create the database or role (the operator does),
//! does not encrypt (bodies arrive sealed, keys wrapped), and never opens message content.
//!
//! **Queue claims:** `claim_due` selects due copies `FOR UPDATE SKIP LOCKED` inside the
//! `UPDATE` that leases them, so concurrent claimers on any number of nodes never receive
//! the same copy and never wait for each other. `complete` re-checks the lease in the same
//! row-locking `UPDATE`.
//!
//! **Durability:** every write returns after its `COMMIT`; `enqueue` commits the message,
//! its body and all recipient copies in one transaction. Durability then depends on the
//! server (`synchronous_commit = on`, the default, is required).
//!
//! **Schema conventions:** identifiers are native `UUID` (UUIDv7 message and recipient ids
//! sort by time); timestamps are `BIGINT` milliseconds since the Unix epoch (as in SQLite,
//! so both backends order and compare time identically); enums are their `as_str()` text,
//! priority its rank (`SMALLINT`, 0 = clinical); `Principal`, `TlsRecord` and
//! `AttemptOutcome` are JSON text. Uniqueness constraints are named `table.column`, which
//! is what `StorageError::Conflict` reports.
//!
//! **Portal** (`portal.rs`): `portal_copies` (sealed content in `portal_contents`),
//! `portal_codes`, `portal_sessions`, `portal_passkeys`, `portal_replies` (sealed); link
//! tokens, codes and session ids are kept only as hashes.
//!
//! **Security:** the connection URL may carry a password: it is never logged or put in an
//! error. TLS to the server follows the URL's `sslmode` (rustls with aws-lc-rs). All SQL is
//! static with bound parameters (`find_audit` joins static fragments for the filter's
//! fields).
//!
//! **PHI:** message bodies are stored sealed only. Recipient addresses and the envelope
//! sender are stored in clear (the queue routes on them, operators list them); protect the
//! database accordingly. No value ever appears in an error or log line from this crate.
//!
//! **Errors:** unique violations become `Conflict { constraint }` with the constraint name,
//! foreign-key violations `Conflict { constraint: "foreign_key" }`, connection failures,
//! pool exhaustion, shutdown, serialization failures and deadlocks `Unavailable`, missing
//! rows `NotFound`, anything else `Other` with its SQLSTATE.

mod accounts;
mod api;
mod groups;
mod portal;
mod rows;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::types::Uuid;
use sqlx::{Postgres, Row, Transaction};

use audit::AuditEvent;
use model::{
    ApiKeyId, Clock, EmailAddress, MessageId, RecipientId, RecipientStatus, SystemClock, TenantId,
    Timestamp, UserId,
};
use storage::{
    AppPassword, AttemptOutcome, AttemptRecord, AuditEvents, AuditFilter, AuditRow, AuditStore,
    KeyStore, MessageRecord, NewMessage, PolicyRecord, PolicyStore, QueueStore, RecipientFilter,
    RecipientRecord, StorageError, Store, StoredAuditEvent, StoredTreeHead, Tenant, TenantStore,
    User, UserStore, WrappedKey,
};

use crate::rows::{map_err, rank, to_i64, to_json};

/// Connections per node. Modest: PostgreSQL's own limit (100 by default) is shared by all
/// nodes, and the queue's hot paths are short statements.
const POOL_SIZE: u32 = 16;
/// How long a caller waits for a free connection before `Unavailable`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// Rows returned by `list_recipients` when the filter's limit is 0.
const DEFAULT_LIST_LIMIT: u32 = 100;

/// The PostgreSQL store. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl std::fmt::Debug for PostgresStore {
    // The pool's options hold the URL's password: print nothing of them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connect to `url` (`postgres://user:pass@host:port/db?sslmode=...`), apply pending
    /// migrations and return the store. Must be called inside a tokio runtime.
    pub async fn connect(url: &str) -> storage::Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StorageError::Other("invalid PostgreSQL URL".to_string()))?;
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(map_err)?;
        migrator().run(&pool).await.map_err(|e| {
            StorageError::Other(format!(
                "postgres migration failed: {}",
                migrate_summary(&e)
            ))
        })?;
        Ok(PostgresStore { pool })
    }

    /// Close every connection (waits for calls in flight). Later calls fail `Unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin(&self) -> storage::Result<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(map_err)
    }
}

/// The embedded migrations, by hand rather than `sqlx::migrate!` (which needs sqlx's
/// `macros` feature and a proc-macro build of sqlx): same embedding, checksums and
/// `_sqlx_migrations` table. A unit test checks the list against `migrations/`.
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
    ])
}

/// A migration error without driver text that might echo data.
fn migrate_summary(e: &sqlx::migrate::MigrateError) -> String {
    use sqlx::migrate::MigrateError;
    match e {
        MigrateError::Execute(inner) | MigrateError::ExecuteMigration(inner, _) => {
            match map_err_ref(inner) {
                Some(code) => format!("database error {code}"),
                None => "driver error".to_string(),
            }
        }
        other => other.to_string(),
    }
}

fn map_err_ref(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    }
}

fn found(rows: u64) -> storage::Result<()> {
    if rows == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl TenantStore for PostgresStore {
    async fn create_tenant(&self, tenant: &Tenant, audit: AuditEvents<'_>) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO tenants (id, name, created) VALUES ($1, $2, $3)")
            .bind(tenant.id.0)
            .bind(&tenant.name)
            .bind(tenant.created.as_millis())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn tenant(&self, id: TenantId) -> storage::Result<Tenant> {
        let row = sqlx::query("SELECT id, name, created FROM tenants WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        rows::tenant(&row)
    }

    async fn tenants(&self) -> storage::Result<Vec<Tenant>> {
        let rows = sqlx::query("SELECT id, name, created FROM tenants ORDER BY created, id")
            .fetch_all(&self.pool)
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
impl UserStore for PostgresStore {
    async fn create_user(&self, user: &User, audit: AuditEvents<'_>) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, tenant, address, role, password_hash, must_change_password, \
             disabled, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(user.id.0)
        .bind(user.tenant.0)
        .bind(user.address.to_string())
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(user.must_change_password)
        .bind(user.disabled)
        .bind(user.created.as_millis())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn user_by_address(&self, address: &EmailAddress) -> storage::Result<User> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE address = $1"
        ))
        .bind(address.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        rows::user(&row)
    }

    async fn user(&self, id: UserId) -> storage::Result<User> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        rows::user(&row)
    }

    async fn users(&self, tenant: TenantId) -> storage::Result<Vec<User>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE tenant = $1 ORDER BY created, id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
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
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(hash)
        .bind(must_change)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn add_app_password(
        &self,
        password: &AppPassword,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO app_passwords (id, user_id, tenant, label, hash, created, revoked) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(password.id.0)
        .bind(password.user.0)
        .bind(password.tenant.0)
        .bind(&password.label)
        .bind(&password.hash)
        .bind(password.created.as_millis())
        .bind(password.revoked)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn app_passwords(&self, user: UserId) -> storage::Result<Vec<AppPassword>> {
        let rows = sqlx::query(
            "SELECT id, user_id, tenant, label, hash, created, revoked FROM app_passwords \
             WHERE user_id = $1 ORDER BY created, id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::app_password).collect()
    }

    async fn revoke_app_password(
        &self,
        id: ApiKeyId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE app_passwords SET revoked = TRUE WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }
}

macro_rules! key_cols {
    () => {
        "id, tenant, purpose, wrapped, wrapping_key_id, active, created"
    };
}

#[async_trait]
impl KeyStore for PostgresStore {
    async fn put_key(&self, key: &WrappedKey, audit: AuditEvents<'_>) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        if key.active {
            sqlx::query(
                "UPDATE keys SET active = FALSE WHERE tenant = $1 AND purpose = $2 AND active",
            )
            .bind(key.tenant.0)
            .bind(key.purpose.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        sqlx::query(
            "INSERT INTO keys (id, tenant, purpose, wrapped, wrapping_key_id, active, created) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&key.id)
        .bind(key.tenant.0)
        .bind(key.purpose.as_str())
        .bind(&key.wrapped)
        .bind(&key.wrapping_key_id)
        .bind(key.active)
        .bind(key.created.as_millis())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn key(&self, id: &str) -> storage::Result<WrappedKey> {
        let row = sqlx::query(concat!("SELECT ", key_cols!(), " FROM keys WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
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
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::key).collect()
    }

    async fn rewrap_keys(
        &self,
        keys: &[WrappedKey],
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        for k in keys {
            let done =
                sqlx::query("UPDATE keys SET wrapped = $1, wrapping_key_id = $2 WHERE id = $3")
                    .bind(&k.wrapped)
                    .bind(&k.wrapping_key_id)
                    .bind(&k.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            // Dropping `tx` without commit rolls back the keys already rewrapped.
            found(done.rows_affected())?;
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }
}

macro_rules! recipient_cols {
    () => {
        "id, message, tenant, address, status, route, priority, attempts, next_attempt, \
         last_error, lease_owner, lease_until, tls, updated"
    };
}

#[async_trait]
impl QueueStore for PostgresStore {
    async fn enqueue(&self, message: NewMessage) -> storage::Result<()> {
        // This store keeps bodies in the transaction and never stages one (the trait's
        // default `stage_body`): a staged body is some other store's.
        if message.staged_body.is_some() {
            return Err(StorageError::Other(
                "a body staged by another store".to_string(),
            ));
        }
        let r = &message.record;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO messages (id, tenant, principal, channel, client_ip, envelope_from, \
             size, priority, received, expires, body_sha256) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.id.0)
        .bind(r.tenant.0)
        .bind(to_json(&r.principal, "principal")?)
        .bind(r.channel.as_str())
        .bind(&r.client_ip)
        .bind(r.envelope_from.as_ref().map(|a| a.to_string()))
        .bind(to_i64(r.size, "size")?)
        .bind(rank(r.priority))
        .bind(r.received.as_millis())
        .bind(r.expires.as_millis())
        .bind(&r.body_sha256)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("INSERT INTO message_bodies (message, sealed) VALUES ($1, $2)")
            .bind(r.id.0)
            .bind(&message.sealed_body)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // All copies in one statement: one round trip whatever the recipient count.
        let ids: Vec<Uuid> = message.recipients.iter().map(|c| c.id.0).collect();
        let addresses: Vec<String> = message
            .recipients
            .iter()
            .map(|c| c.address.to_string())
            .collect();
        let statuses: Vec<String> = message
            .recipients
            .iter()
            .map(|c| c.stored_status().as_str().to_string())
            .collect();
        let due: Vec<i64> = message
            .recipients
            .iter()
            .map(|c| c.next_attempt.as_millis())
            .collect();
        let routes: Vec<String> = message
            .recipients
            .iter()
            .map(|c| c.route.as_str().to_string())
            .collect();
        let lease_owners: Vec<Option<String>> = message
            .recipients
            .iter()
            .map(|c| c.lease.as_ref().map(|l| l.owner.clone()))
            .collect();
        let lease_untils: Vec<Option<i64>> = message
            .recipients
            .iter()
            .map(|c| c.lease.as_ref().map(|l| l.until.as_millis()))
            .collect();
        sqlx::query(
            "INSERT INTO recipients (id, message, tenant, address, status, route, priority, \
               attempts, next_attempt, lease_owner, lease_until, updated) \
             SELECT c.id, $1, $2, c.address, c.status, c.route, $3, 0, c.next_attempt, \
               c.lease_owner, c.lease_until, $4 \
             FROM UNNEST($5::uuid[], $6::text[], $7::text[], $8::bigint[], $9::text[], \
               $10::text[], $11::bigint[]) \
               AS c (id, address, status, next_attempt, route, lease_owner, lease_until)",
        )
        .bind(r.id.0)
        .bind(r.tenant.0)
        .bind(rank(r.priority))
        .bind(r.received.as_millis())
        .bind(ids)
        .bind(addresses)
        .bind(statuses)
        .bind(due)
        .bind(routes)
        .bind(lease_owners)
        .bind(lease_untils)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if let Some(key) = &message.idempotency {
            api::insert_submission_key(&mut tx, key, r.tenant, r.id, r.received).await?;
        }
        append_events(&mut tx, &message.audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn message(&self, id: MessageId) -> storage::Result<MessageRecord> {
        let row = sqlx::query(
            "SELECT id, tenant, principal, channel, client_ip, envelope_from, size, priority, \
             received, expires, body_sha256 FROM messages WHERE id = $1",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        rows::message(&row)
    }

    async fn message_body(&self, id: MessageId) -> storage::Result<Vec<u8>> {
        let row = sqlx::query("SELECT sealed FROM message_bodies WHERE message = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }

    async fn recipient(&self, id: RecipientId) -> storage::Result<RecipientRecord> {
        let row = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        rows::recipient(&row)
    }

    async fn recipients_of(&self, id: MessageId) -> storage::Result<Vec<RecipientRecord>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients WHERE message = $1 ORDER BY id"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::recipient).collect()
    }

    async fn list_recipients(
        &self,
        filter: &RecipientFilter,
    ) -> storage::Result<Vec<RecipientRecord>> {
        let statuses: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        let limit = if filter.limit == 0 {
            DEFAULT_LIST_LIMIT
        } else {
            filter.limit
        };
        // Static SQL with optional filters: NULL (or an empty array) means "any".
        let rows = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients \
             WHERE ($1::uuid IS NULL OR tenant = $1) \
               AND ($2::uuid IS NULL OR message = $2) \
               AND (cardinality($3::text[]) = 0 OR status = ANY($3)) \
             ORDER BY id DESC LIMIT $4"
        ))
        .bind(filter.tenant.map(|t| t.0))
        .bind(filter.message.map(|m| m.0))
        .bind(statuses)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
        if limit == 0 {
            return Ok(Vec::new());
        }
        // SKIP LOCKED: rows another claimer is leasing right now are skipped, not waited
        // for; a row whose lease a concurrent transaction has just taken is re-checked
        // against the WHERE clause after the lock (READ COMMITTED), so it is not taken twice.
        let rows = sqlx::query(
            "WITH due AS ( \
               SELECT id FROM recipients \
               WHERE (status IN ('queued', 'deferred') AND next_attempt <= $1) \
                  OR (status = 'delivering' AND lease_until < $1) \
               ORDER BY priority, next_attempt \
               LIMIT $2 \
               FOR UPDATE SKIP LOCKED) \
             UPDATE recipients AS r \
             SET status = 'delivering', lease_owner = $3, lease_until = $4, updated = $1 \
             FROM due WHERE r.id = due.id \
             RETURNING r.*",
        )
        .bind(now.as_millis())
        .bind(i64::from(limit))
        .bind(worker)
        .bind(now.plus(lease).as_millis())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut claimed = rows
            .iter()
            .map(rows::recipient)
            .collect::<storage::Result<Vec<_>>>()?;
        // RETURNING has no defined order; give callers the claim order.
        claimed.sort_by_key(|r| (r.priority.rank(), r.next_attempt, r.id));
        Ok(claimed)
    }

    async fn complete(
        &self,
        id: RecipientId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let (next_attempt, last_error, tls) = match outcome {
            AttemptOutcome::Delivered { tls } => (None, None, Some(to_json(tls, "tls")?)),
            AttemptOutcome::Deferred {
                next_attempt,
                error,
            } => (Some(next_attempt.as_millis()), Some(error.as_str()), None),
            AttemptOutcome::Bounced { error } => (None, Some(error.as_str()), None),
            AttemptOutcome::AwaitingPortal { reason } => (None, Some(reason.as_str()), None),
        };
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE recipients SET status = $1, attempts = attempts + 1, \
               next_attempt = COALESCE($2, next_attempt), last_error = $3, \
               tls = COALESCE($4, tls), lease_owner = NULL, lease_until = NULL, updated = $5 \
             WHERE id = $6 AND status = 'delivering' AND lease_owner = $7",
        )
        .bind(outcome.status().as_str())
        .bind(next_attempt)
        .bind(last_error)
        .bind(tls)
        .bind(now.as_millis())
        .bind(id.0)
        .bind(worker)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(self.missing_or_lease(id).await);
        }
        sqlx::query(
            "INSERT INTO attempts (recipient, at, worker, outcome) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(now.as_millis())
        .bind(worker)
        .bind(to_json(outcome, "outcome")?)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn release_claim(
        &self,
        id: RecipientId,
        worker: &str,
        at: Timestamp,
    ) -> storage::Result<()> {
        let done = sqlx::query(
            "UPDATE recipients SET \
               status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
               next_attempt = $1, lease_owner = NULL, lease_until = NULL, updated = $2 \
             WHERE id = $3 AND status = 'delivering' AND lease_owner = $4",
        )
        .bind(at.as_millis())
        .bind(SystemClock.now().as_millis())
        .bind(id.0)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(self.missing_or_lease(id).await);
        }
        Ok(())
    }

    async fn release_claims_by_owner_prefix(
        &self,
        owner_prefix: &str,
        at: Timestamp,
    ) -> storage::Result<u64> {
        let done = sqlx::query(
            "UPDATE recipients SET \
               status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
               next_attempt = $1, lease_owner = NULL, lease_until = NULL, updated = $2 \
             WHERE status = 'delivering' AND substr(lease_owner, 1, length($3)) = $3",
        )
        .bind(at.as_millis())
        .bind(SystemClock.now().as_millis())
        .bind(owner_prefix)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn transition(
        &self,
        id: RecipientId,
        from: &[RecipientStatus],
        to: RecipientStatus,
        next_attempt: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let from: Vec<String> = from.iter().map(|s| s.as_str().to_string()).collect();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE recipients SET status = $1, next_attempt = $2, lease_owner = NULL, \
               lease_until = NULL, updated = $3 \
             WHERE id = $4 AND status = ANY($5)",
        )
        .bind(to.as_str())
        .bind(next_attempt.as_millis())
        .bind(SystemClock.now().as_millis())
        .bind(id.0)
        .bind(from)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() > 0 {
            append_events(&mut tx, audit).await?;
            tx.commit().await.map_err(map_err)?;
            return Ok(true);
        }
        drop(tx);
        if self.exists(id).await? {
            Ok(false)
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn attempts(&self, id: RecipientId) -> storage::Result<Vec<AttemptRecord>> {
        let rows = sqlx::query(
            "SELECT recipient, at, worker, outcome FROM attempts WHERE recipient = $1 \
             ORDER BY seq",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::attempt).collect()
    }

    async fn count_by_status(
        &self,
        tenant: Option<TenantId>,
    ) -> storage::Result<Vec<(RecipientStatus, u64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM recipients \
             WHERE ($1::uuid IS NULL OR tenant = $1) GROUP BY status",
        )
        .bind(tenant.map(|t| t.0))
        .fetch_all(&self.pool)
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
        let row = sqlx::query(
            "SELECT LEAST( \
               (SELECT MIN(next_attempt) FROM recipients \
                  WHERE status IN ('queued', 'deferred')), \
               (SELECT MIN(lease_until) FROM recipients WHERE status = 'delivering')) AS t",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let t: Option<i64> = row.try_get("t").map_err(map_err)?;
        Ok(t.map(Timestamp::from_millis))
    }
}

impl PostgresStore {
    async fn exists(&self, id: RecipientId) -> storage::Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM recipients WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.is_some())
    }

    /// After a lease-guarded update matched nothing: `NotFound` or `Conflict { "lease" }`.
    async fn missing_or_lease(&self, id: RecipientId) -> StorageError {
        match self.exists(id).await {
            Ok(true) => StorageError::Conflict {
                constraint: "lease".to_string(),
            },
            Ok(false) => StorageError::NotFound,
            Err(e) => e,
        }
    }
}

/// Number, hash and insert `events` inside `tx`. Returns the first number (the current
/// size if `events` is empty, without taking the counter's lock).
async fn append_events(
    tx: &mut Transaction<'static, Postgres>,
    events: &[AuditEvent],
) -> storage::Result<u64> {
    if events.is_empty() {
        let row = sqlx::query("SELECT next_seq FROM audit_state")
            .fetch_one(&mut **tx)
            .await
            .map_err(map_err)?;
        return u64::try_from(row.try_get::<i64, _>("next_seq").map_err(map_err)?)
            .map_err(|_| rows::corrupt("next_seq"));
    }
    let count = to_i64(events.len() as u64, "seq")?;
    // The row lock taken here is held until COMMIT: numbers follow commit order.
    let row = sqlx::query(
        "UPDATE audit_state SET next_seq = next_seq + $1 RETURNING next_seq - $1 AS first",
    )
    .bind(count)
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    let first = u64::try_from(row.try_get::<i64, _>("first").map_err(map_err)?)
        .map_err(|_| rows::corrupt("next_seq"))?;
    let mut refs: (Vec<String>, Vec<i64>) = (Vec::new(), Vec::new());
    let cols = AuditColumns::build(events, first, &mut refs)?;
    // One `UNNEST` insert for the whole batch. Rejected: chunks sent while the next chunk
    // is hashed (as the SQLite writer does); on PostgreSQL it measured slower.
    sqlx::query(
        "INSERT INTO audit_events (seq, at, message, recipient, leaf_hash, line) \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::uuid[], $4::uuid[], \
           $5::bytea[], $6::text[])",
    )
    .bind(cols.seq)
    .bind(cols.at)
    .bind(cols.message)
    .bind(cols.recipient)
    .bind(cols.leaf_hash)
    .bind(cols.line)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    if !refs.0.is_empty() {
        sqlx::query(
            "INSERT INTO audit_patient_refs (patient_ref, seq) \
             SELECT * FROM UNNEST($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING",
        )
        .bind(refs.0)
        .bind(refs.1)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    Ok(first)
}

/// Column arrays for one multi-row `UNNEST` insert.
#[derive(Default)]
struct AuditColumns {
    seq: Vec<i64>,
    at: Vec<i64>,
    message: Vec<Option<Uuid>>,
    recipient: Vec<Option<Uuid>>,
    leaf_hash: Vec<Vec<u8>>,
    line: Vec<String>,
}

impl AuditColumns {
    /// Number, validate and hash `events` as `first..`, noting their patient references.
    fn build(
        events: &[AuditEvent],
        first: u64,
        refs: &mut (Vec<String>, Vec<i64>),
    ) -> storage::Result<Self> {
        let mut cols = Self::default();
        for (i, event) in events.iter().enumerate() {
            let r = AuditRow::new(event, first + i as u64)?;
            let seq = to_i64(r.seq, "seq")?;
            for p in r.patient_refs {
                refs.0.push(p);
                refs.1.push(seq);
            }
            cols.seq.push(seq);
            cols.at.push(r.at);
            cols.message.push(event.subject.message.map(|m| m.0));
            cols.recipient.push(event.subject.recipient.map(|r| r.0));
            cols.leaf_hash.push(r.leaf_hash.to_vec());
            cols.line.push(r.line);
        }
        Ok(cols)
    }
}

/// Rows returned by `find_audit` when the filter's limit is 0.
const DEFAULT_AUDIT_LIMIT: u32 = 1000;

/// SQL for an event's actor in [`storage::actor_key`] form (`system:delivery`), read from
/// its canonical line: the actor object's `type`, then its one other member. A test holds it
/// against `actor_key` for every kind of actor.
macro_rules! audit_actor_key {
    () => {
        "((line::jsonb -> 'actor' ->> 'type') || ':' || COALESCE(line::jsonb -> 'actor' ->> 'id', \
         line::jsonb -> 'actor' ->> 'name', line::jsonb -> 'actor' ->> 'component', \
         line::jsonb -> 'actor' ->> 'recipient'))"
    };
}

/// A `find_audit` statement being assembled: fixed fragments and their bound values.
struct AuditQuery {
    sql: String,
    args: sqlx::postgres::PgArguments,
    params: usize,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            sql: String::from("SELECT line FROM audit_events WHERE line IS NOT NULL"),
            args: sqlx::postgres::PgArguments::default(),
            params: 0,
        }
    }
}

impl AuditQuery {
    /// Append `before`, the next parameter (`$n`) bound to `value`, then `after`.
    fn and<T>(&mut self, before: &'static str, after: &'static str, value: T) -> storage::Result<()>
    where
        T: for<'t> sqlx::Encode<'t, Postgres> + sqlx::Type<Postgres>,
    {
        use sqlx::Arguments;
        use std::fmt::Write;
        self.params += 1;
        self.sql.push_str(before);
        let _ = write!(self.sql, "${}", self.params);
        self.sql.push_str(after);
        self.args
            .add(value)
            .map_err(|_| StorageError::Other("cannot bind an audit filter value".to_string()))
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> storage::Result<u64> {
        let mut tx = self.begin().await?;
        let first = append_events(&mut tx, events).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(first)
    }

    async fn audit_size(&self) -> storage::Result<u64> {
        // Committed rows, not the counter: a transaction may hold numbers it has not yet
        // committed. Numbers follow commit order, so committed rows have no gaps.
        let row = sqlx::query("SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM audit_events")
            .fetch_one(&self.pool)
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
            "SELECT seq, leaf_hash, line FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(to_i64(from_seq, "seq")?)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            sqlx::query("SELECT leaf_hash FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2")
                .bind(to_i64(from_seq, "seq")?)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
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
        let limit = if filter.limit == 0 {
            DEFAULT_AUDIT_LIMIT
        } else {
            filter.limit
        };
        // Only the conditions the filter sets, so that a generic plan (which PostgreSQL
        // may settle on after a few calls) can still use the message, recipient, patient or
        // time index. Its text comes from the fixed fragments below only; every value is
        // bound. kind, tenant and actor are read from the canonical line (never indexed).
        let mut q = AuditQuery::default();
        if let Some(from) = filter.from {
            q.and(" AND at >= ", "", from.as_millis())?;
        }
        if let Some(until) = filter.until {
            q.and(" AND at < ", "", until.as_millis())?;
        }
        if !filter.kinds.is_empty() {
            let kinds: Vec<String> = filter
                .kinds
                .iter()
                .map(|k| k.as_str().to_string())
                .collect();
            q.and(" AND (line::jsonb ->> 'kind') = ANY(", "::text[])", kinds)?;
        }
        if let Some(actor) = &filter.actor {
            q.and(
                concat!(" AND ", audit_actor_key!(), " = "),
                "::text",
                actor.clone(),
            )?;
        }
        if let Some(message) = filter.message {
            q.and(" AND message = ", "::uuid", message.0)?;
        }
        if let Some(recipient) = filter.recipient {
            q.and(" AND recipient = ", "::uuid", recipient.0)?;
        }
        if let Some(tenant) = filter.tenant {
            q.and(
                " AND (line::jsonb ->> 'tenant') = ",
                "::text",
                tenant.to_string(),
            )?;
        }
        if let Some(patient_ref) = &filter.patient_ref {
            q.and(
                " AND seq IN (SELECT seq FROM audit_patient_refs WHERE patient_ref = ",
                "::text)",
                patient_ref.clone(),
            )?;
        }
        if let Some(after) = filter.after_seq {
            q.and(" AND seq > ", "::bigint", to_i64(after, "seq")?)?;
        }
        q.and(" ORDER BY seq LIMIT ", "::bigint", i64::from(limit))?;
        let AuditQuery { sql, args, .. } = q;
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .fetch_all(&self.pool)
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
        sqlx::query(
            "INSERT INTO audit_heads (tree_size, timestamp, head, cosignatures) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size, timestamp) \
             DO UPDATE SET head = excluded.head, cosignatures = excluded.cosignatures",
        )
        .bind(to_i64(head.head.head.tree_size, "tree_size")?)
        .bind(head.head.head.timestamp.as_millis())
        .bind(to_json(&head.head, "head")?)
        .bind(to_json(&head.cosignatures, "cosignatures")?)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn latest_tree_head(&self) -> storage::Result<Option<StoredTreeHead>> {
        let row = sqlx::query(
            "SELECT head, cosignatures FROM audit_heads \
             ORDER BY tree_size DESC, timestamp DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::tree_head).transpose()
    }

    async fn tree_heads(&self, min_size: u64, limit: u32) -> storage::Result<Vec<StoredTreeHead>> {
        let rows = sqlx::query(
            "SELECT head, cosignatures FROM audit_heads WHERE tree_size >= $1 \
             ORDER BY tree_size, timestamp LIMIT $2",
        )
        .bind(to_i64(min_size, "tree_size")?)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
        let below = to_i64(below_seq, "seq")?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM audit_patient_refs WHERE seq IN (SELECT seq FROM audit_events \
             WHERE seq < $1 AND at < $2 AND line IS NOT NULL)",
        )
        .bind(below)
        .bind(before.as_millis())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let done = sqlx::query(
            "UPDATE audit_events SET line = NULL, message = NULL, recipient = NULL \
             WHERE seq < $1 AND at < $2 AND line IS NOT NULL",
        )
        .bind(below)
        .bind(before.as_millis())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, events).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn audit_cursor(&self, consumer: &str) -> storage::Result<Option<u64>> {
        let row = sqlx::query("SELECT seq FROM audit_cursors WHERE consumer = $1")
            .bind(consumer)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.map(|r| {
            let seq: i64 = r.try_get("seq").map_err(map_err)?;
            u64::try_from(seq).map_err(|_| rows::corrupt("seq"))
        })
        .transpose()
    }

    async fn set_audit_cursor(&self, consumer: &str, seq: u64) -> storage::Result<()> {
        sqlx::query(
            "INSERT INTO audit_cursors (consumer, seq) VALUES ($1, $2) \
             ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq",
        )
        .bind(consumer)
        .bind(to_i64(seq, "seq")?)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }
}

impl PostgresStore {
    /// Store the next version of a tenant's versioned document (`sql` inserts `MAX + 1`
    /// and returns it) with its audit events, in one transaction under the tenant's lock.
    pub(crate) async fn put_versioned(
        &self,
        sql: &'static str,
        (tenant, document, author, created): (TenantId, &str, &str, Timestamp),
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        let mut tx = self.begin().await?;
        lock_tenant(&mut tx, tenant).await?;
        let row = sqlx::query(sql)
            .bind(tenant.0)
            .bind(document)
            .bind(author)
            .bind(created.as_millis())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let version = u64::try_from(row.try_get::<i64, _>("version").map_err(map_err)?)
            .map_err(|_| rows::corrupt("version"))?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(version)
    }
}

/// Serialise writes that count or number a tenant's rows (policy versions, the group
/// limit) on the tenant's row, held until COMMIT. FOR NO KEY UPDATE does not conflict with
/// the FOR KEY SHARE locks of foreign-key checks, so users and messages of the tenant are
/// not held up. Under READ COMMITTED the statements after it take a fresh snapshot once
/// the lock is granted, so they see what the previous holder committed. Rejected
/// alternative: insert MAX + 1 and retry on a unique violation (works, but retries under
/// contention and needs a loop). A missing organisation is a foreign-key conflict, as an
/// insert naming it would be.
pub(crate) async fn lock_tenant(
    tx: &mut Transaction<'static, Postgres>,
    tenant: TenantId,
) -> storage::Result<()> {
    let locked = sqlx::query("SELECT 1 AS one FROM tenants WHERE id = $1 FOR NO KEY UPDATE")
        .bind(tenant.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?;
    if locked.is_none() {
        return Err(StorageError::Conflict {
            constraint: "foreign_key".to_string(),
        });
    }
    Ok(())
}

#[async_trait]
impl PolicyStore for PostgresStore {
    async fn put_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        self.put_versioned(
            "INSERT INTO policies (tenant, version, document, author, created) \
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM policies \
             WHERE tenant = $1 RETURNING version",
            (tenant, document, author, created),
            audit,
        )
        .await
    }

    async fn current_policy(&self, tenant: TenantId) -> storage::Result<Option<PolicyRecord>> {
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(tenant.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::policy).transpose()
    }

    async fn policy_version(
        &self,
        tenant: TenantId,
        version: u64,
    ) -> storage::Result<PolicyRecord> {
        // A version beyond BIGINT cannot exist.
        let Ok(version) = i64::try_from(version) else {
            return Err(StorageError::NotFound);
        };
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = $1 AND version = $2",
        )
        .bind(tenant.0)
        .bind(version)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        rows::policy(&row)
    }

    async fn policy_history(&self, tenant: TenantId) -> storage::Result<Vec<PolicyRecord>> {
        let rows = sqlx::query(
            "SELECT tenant, version, document, author, created FROM policies \
             WHERE tenant = $1 ORDER BY version",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::policy).collect()
    }
}

impl Store for PostgresStore {
    fn backend_name(&self) -> &'static str {
        "postgres"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrator_embeds_every_file_in_migrations_dir() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
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

    #[test]
    fn a_bad_url_error_does_not_echo_the_url() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let err = rt
            .block_on(PostgresStore::connect("postgres://u:s3cret@[bad"))
            .expect_err("invalid URL");
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
