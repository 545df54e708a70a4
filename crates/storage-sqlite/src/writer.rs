//! The single writer: one task, one connection, group commit.
//!
//! SQLite allows one writer at a time and, with `synchronous=FULL`, every commit costs an
//! fsync. One transaction per call would cap the queue at a few hundred commits per second
//! on ordinary disks, and concurrent writers would also fight over the write lock
//! (`SQLITE_BUSY`). So every write goes through a bounded channel to this task, which
//! takes every request that is waiting (up to [`MAX_BATCH`] requests or [`MAX_BATCH_BYTES`]
//! of message bodies), runs them in ONE `BEGIN IMMEDIATE` transaction, commits once, and
//! only then answers each caller. A caller therefore never hears "done" before the commit
//! that holds its write is on disk.
//!
//! Each request in a batch of more than one runs inside its own `SAVEPOINT`, so a request
//! that fails (a duplicate address, a stale lease) is rolled back alone and the others
//! still commit. If SQLite itself aborts the transaction (disk full, I/O error) or the
//! commit fails, every request of the batch gets that error: none of them is durable.
//!
//! Rejected alternative: a pool of writer connections with `busy_timeout`. It works, but
//! each call pays its own fsync and writers serialise on the lock anyway.

use std::sync::OnceLock;
use std::task::Poll;
use std::time::Duration;

use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;
use tokio::sync::{mpsc, oneshot};

use audit::AuditEvent;
use model::{
    ApiKeyId, Clock, RecipientId, RecipientStatus, SystemClock, TenantId, Timestamp, UserId,
};
use sqlx::Row;
use storage::{
    AppPassword, AttemptOutcome, NewMessage, RecipientRecord, StorageError, StoredTreeHead, Tenant,
    User, WrappedKey,
};

use crate::rows::{self, map_err, recipient_cols, to_i64, to_json};

/// Most requests committed in one transaction.
pub(crate) const MAX_BATCH: usize = 256;
/// Soft limit on the sealed body bytes committed in one transaction.
pub(crate) const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;
/// Requests that may wait in the channel before callers wait to send.
pub(crate) const CHANNEL_CAPACITY: usize = 1024;

/// One write.
pub(crate) enum Op {
    CreateTenant(Tenant),
    CreateUser(User),
    SetPasswordHash {
        id: UserId,
        hash: String,
        must_change: bool,
    },
    AddAppPassword(AppPassword),
    RevokeAppPassword(ApiKeyId),
    PutKey(WrappedKey),
    RewrapKeys(Vec<WrappedKey>),
    Enqueue(NewMessage),
    Claim {
        worker: String,
        now: Timestamp,
        lease: Duration,
        limit: u32,
    },
    Complete {
        id: RecipientId,
        worker: String,
        outcome: AttemptOutcome,
        now: Timestamp,
    },
    Release {
        id: RecipientId,
        worker: String,
        at: Timestamp,
    },
    ReleaseByOwnerPrefix {
        prefix: String,
        at: Timestamp,
    },
    Transition {
        id: RecipientId,
        from: Vec<RecipientStatus>,
        to: RecipientStatus,
        next_attempt: Timestamp,
    },
    /// Only the request's audit events.
    AppendAudit,
    PurgeAudit {
        before: Timestamp,
        below_seq: u64,
    },
    PutTreeHead(StoredTreeHead),
    SetAuditCursor {
        consumer: String,
        seq: u64,
    },
    /// A new policy version: the tenant's highest + 1. Replies `Count(version)`.
    PutPolicy {
        tenant: TenantId,
        document: String,
        author: String,
        created: Timestamp,
    },
    /// A secure-portal write (see `portal.rs`).
    Portal(crate::portal::PortalOp),
    /// An API-key write (see `api.rs`).
    Api(crate::api::ApiOp),
    /// A console sign-in write (see `accounts.rs`).
    Account(crate::accounts::AccountOp),
    /// A group or access-policy write (see `groups.rs`).
    Group(crate::groups::GroupOp),
}

impl Op {
    /// Whether the commit that carries this write must reach stable storage before the
    /// caller is answered. Queue bookkeeping by delivery workers (claims, outcomes,
    /// released leases) need not: a process crash keeps it (it is in the OS page cache),
    /// and after a power loss a lost claim is simply claimed again and a lost outcome means
    /// the copy is tried again -- SMTP's at-least-once rule, never a lost message. Saving
    /// those fsyncs keeps the one writer free for the commits that acknowledge mail.
    fn needs_fsync(&self) -> bool {
        !matches!(
            self,
            Op::Claim { .. }
                | Op::Complete { .. }
                | Op::Release { .. }
                | Op::ReleaseByOwnerPrefix { .. }
                // Session activity: losing the last few seconds of it to a power cut only
                // makes an idle session end a little sooner.
                | Op::Account(crate::accounts::AccountOp::Touch { .. })
        )
    }

    fn body_bytes(&self) -> usize {
        match self {
            Op::Enqueue(m) => m.sealed_body.len(),
            Op::Portal(p) => p.body_bytes(),
            _ => 0,
        }
    }
}

/// What a write returns.
pub(crate) enum Reply {
    Done,
    Changed(bool),
    Claimed(Vec<RecipientRecord>),
    Count(u64),
}

pub(crate) struct Request {
    pub(crate) op: Op,
    /// Audit events committed with the op, in the same savepoint (see `storage::AuditStore`).
    pub(crate) audit: Vec<AuditEvent>,
    pub(crate) reply: oneshot::Sender<storage::Result<Reply>>,
}

/// The sending side, held by the store.
#[derive(Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<Request>,
}

impl Writer {
    /// Start the writer task on `conn` (already migrated).
    pub(crate) fn spawn(conn: SqliteConnection) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        tokio::spawn(run(conn, rx));
        Self { tx }
    }

    /// Submit one write and wait until the transaction holding it has committed.
    pub(crate) async fn call(&self, op: Op, audit: Vec<AuditEvent>) -> storage::Result<Reply> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Request { op, audit, reply })
            .await
            .map_err(|_| StorageError::Unavailable("sqlite writer stopped".to_string()))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("sqlite writer stopped".to_string()))?
    }
}

async fn run(mut conn: SqliteConnection, mut rx: mpsc::Receiver<Request>) {
    let mut batch: Vec<Request> = Vec::with_capacity(MAX_BATCH);
    // The connection opens with synchronous=FULL.
    let mut synchronous_full = true;
    while let Some(first) = rx.recv().await {
        let mut bytes = first.op.body_bytes();
        batch.push(first);
        while batch.len() < MAX_BATCH && bytes < MAX_BATCH_BYTES {
            match rx.try_recv() {
                Ok(req) => {
                    bytes += req.op.body_bytes();
                    batch.push(req);
                }
                Err(_) => break,
            }
        }
        // In WAL mode a FULL commit syncs the whole log, including frames of earlier NORMAL
        // commits, so switching per batch never reorders what reaches the disk.
        let want_full = batch.iter().any(|r| r.op.needs_fsync());
        if want_full != synchronous_full {
            let pragma = if want_full {
                "PRAGMA synchronous = FULL"
            } else {
                "PRAGMA synchronous = NORMAL"
            };
            match exec(&mut conn, pragma).await {
                Ok(()) => synchronous_full = want_full,
                Err(e) => tracing::warn!(error = %e, "changing sqlite synchronous mode failed"),
            }
        }
        if !synchronous_full && want_full {
            // Could not switch back to FULL: do not acknowledge durable writes.
            let e = StorageError::Unavailable("cannot make the commit durable".to_string());
            for req in batch.drain(..) {
                let _ = req.reply.send(Err(e.clone()));
            }
            continue;
        }
        commit_batch(&mut conn, &mut batch).await;
    }
    // Every sender is gone: the store was dropped. Nothing is pending, so closing is clean.
    if let Err(e) = conn.close().await {
        tracing::warn!(error = %map_err(e), "closing the sqlite writer connection failed");
    }
}

/// Run `batch` in one transaction and answer every request. Drains `batch`.
async fn commit_batch(conn: &mut SqliteConnection, batch: &mut Vec<Request>) {
    let single = batch.len() == 1;
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE").await {
        fail_all(batch, &e);
        return;
    }
    let mut results = Vec::with_capacity(batch.len());
    let mut aborted = None;
    for req in batch.iter() {
        if single {
            // No savepoint needed: a failure rolls back the whole (one-request) transaction.
            let result = apply_audited(conn, req).await;
            results.push(result);
            continue;
        }
        if let Err(e) = exec(conn, "SAVEPOINT req").await {
            aborted = Some(e);
            break;
        }
        let result = apply_audited(conn, req).await;
        let end = match &result {
            Ok(_) => exec(conn, "RELEASE req").await,
            Err(_) => match exec(conn, "ROLLBACK TO req").await {
                Ok(()) => exec(conn, "RELEASE req").await,
                Err(e) => Err(e),
            },
        };
        if let Err(e) = end {
            // SQLite rolled the whole transaction back (e.g. disk full): nothing survives.
            aborted = Some(e);
            break;
        }
        results.push(result);
    }
    if single && results.first().is_some_and(|r| r.is_err()) {
        // Nothing to keep. SQLite may already have rolled back on its own (disk full, I/O),
        // in which case this ROLLBACK fails harmlessly; the caller gets the original error.
        let _ = exec(conn, "ROLLBACK").await;
        for (req, result) in batch.drain(..).zip(results) {
            let _ = req.reply.send(result);
        }
        return;
    }
    let outcome = match aborted {
        Some(e) => Err(e),
        None => exec(conn, "COMMIT").await,
    };
    match outcome {
        Ok(()) => {
            for (req, result) in batch.drain(..).zip(results) {
                // The caller may have gone away (cancelled); its write is committed anyway.
                let _ = req.reply.send(result);
            }
        }
        Err(e) => {
            // Best effort: the transaction may already be gone.
            let _ = exec(conn, "ROLLBACK").await;
            tracing::warn!(error = %e, requests = batch.len(), "sqlite group commit failed");
            fail_all(batch, &e);
        }
    }
}

fn fail_all(batch: &mut Vec<Request>, err: &StorageError) {
    for req in batch.drain(..) {
        let _ = req.reply.send(Err(err.clone()));
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &'static str) -> storage::Result<()> {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(map_err)
}

/// Apply a request's op, then append its audit events (unless the op changed nothing).
async fn apply_audited(conn: &mut SqliteConnection, req: &Request) -> storage::Result<Reply> {
    let reply = apply(conn, &req.op).await?;
    if matches!(reply, Reply::Changed(false)) {
        return Ok(reply);
    }
    let first = append_events(conn, &req.audit).await?;
    Ok(match req.op {
        Op::AppendAudit => Reply::Count(first),
        _ => reply,
    })
}

/// Number, hash and insert `events` after the last stored one. Returns the first number.
/// Runs inside the writer's transaction, so numbers are gap-free and in commit order.
async fn append_events(conn: &mut SqliteConnection, events: &[AuditEvent]) -> storage::Result<u64> {
    let row = sqlx::query("SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM audit_events")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    let first = u64::try_from(row.get::<i64, _>("next"))
        .map_err(|_| StorageError::Other("audit seq out of range".to_string()))?;
    // Multi-row `INSERT … VALUES` statements of a few fixed sizes, every value bound: a
    // thousand events cost about a dozen statements, each prepared once per connection.
    // While SQLite's thread inserts one chunk, this task numbers, validates and hashes the
    // next, so the two cores share the work instead of taking turns.
    // Rejected: one JSON array per batch unpacked by `json_each` (the previous way), which
    // made SQLite parse every line a second time, inside the array and its escaping.
    let mut refs = Vec::new();
    let mut chunks = audit_insert_chunks(events.len());
    let mut offset = 0;
    let Some(&(size, _)) = chunks.peek() else {
        return Ok(first);
    };
    let mut rows = audit_rows(&events[..size], first, &mut refs)?;
    while let Some((size, sql)) = chunks.next() {
        let mut query = sqlx::query(sql);
        for r in rows {
            query = query
                .bind(r.seq)
                .bind(r.at)
                .bind(r.message)
                .bind(r.recipient)
                .bind(r.leaf_hash)
                .bind(r.line);
        }
        offset += size;
        let mut insert = std::pin::pin!(query.execute(&mut *conn));
        // The first poll hands the statement to SQLite's thread.
        let started = std::future::poll_fn(|cx| Poll::Ready(insert.as_mut().poll(cx))).await;
        let next = match chunks.peek() {
            Some(&(n, _)) => audit_rows(
                &events[offset..offset + n],
                first + offset as u64,
                &mut refs,
            ),
            None => Ok(Vec::new()),
        };
        match started {
            Poll::Ready(done) => done,
            Poll::Pending => insert.await,
        }
        .map_err(map_err)?;
        rows = next?;
    }
    if !refs.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO audit_patient_refs (patient_ref, seq) \
             SELECT value ->> 0, value ->> 1 FROM json_each(?)",
        )
        .bind(to_json(&refs, "audit_patient_refs")?)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(first)
}

/// The columns of one `audit_events` row (see `migrations/0005_audit_compact.sql`).
struct AuditInsert {
    seq: i64,
    at: i64,
    /// 16-byte UUID.
    message: Option<Vec<u8>>,
    /// 16-byte UUID.
    recipient: Option<Vec<u8>>,
    leaf_hash: Vec<u8>,
    line: String,
}

/// Number, validate and hash `events` as `first..`, noting their patient references.
fn audit_rows(
    events: &[AuditEvent],
    first: u64,
    refs: &mut Vec<serde_json::Value>,
) -> storage::Result<Vec<AuditInsert>> {
    let mut rows = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        let r = storage::AuditRow::new(event, first + i as u64)?;
        let seq = to_i64(r.seq, "seq")?;
        for p in &r.patient_refs {
            refs.push(serde_json::json!([p, seq]));
        }
        rows.push(AuditInsert {
            seq,
            at: r.at,
            message: event.subject.message.map(|m| m.0.as_bytes().to_vec()),
            recipient: event.subject.recipient.map(|r| r.0.as_bytes().to_vec()),
            leaf_hash: r.leaf_hash.to_vec(),
            line: r.line,
        });
    }
    Ok(rows)
}

/// Rows per `INSERT` statement, largest first; any count is a sum of these. The largest
/// binds 6 × 256 values, far below SQLite's limit of 32,766.
const AUDIT_INSERT_ROWS: [usize; 4] = [256, 32, 4, 1];

/// How to insert `count` rows: (rows, statement) for each statement, largest first.
fn audit_insert_chunks(
    count: usize,
) -> std::iter::Peekable<impl Iterator<Item = (usize, &'static str)>> {
    let sql = audit_insert_sql();
    let mut left = count;
    AUDIT_INSERT_ROWS
        .iter()
        .zip(sql.iter())
        .flat_map(move |(&size, sql)| {
            let n = left / size;
            left %= size;
            std::iter::repeat_n((size, sql.as_str()), n)
        })
        .peekable()
}

/// The `INSERT` statement for each size of [`AUDIT_INSERT_ROWS`], built once.
fn audit_insert_sql() -> &'static [String; 4] {
    static SQL: OnceLock<[String; 4]> = OnceLock::new();
    SQL.get_or_init(|| {
        AUDIT_INSERT_ROWS.map(|rows| {
            let mut sql = String::from(
                "INSERT INTO audit_events (seq, at, message, recipient, leaf_hash, line) VALUES ",
            );
            for i in 0..rows {
                sql.push_str(if i == 0 {
                    "(?, ?, ?, ?, ?, ?)"
                } else {
                    ", (?, ?, ?, ?, ?, ?)"
                });
            }
            sql
        })
    })
}

async fn apply(conn: &mut SqliteConnection, op: &Op) -> storage::Result<Reply> {
    match op {
        Op::CreateTenant(t) => {
            sqlx::query("INSERT INTO tenants (id, name, created) VALUES (?, ?, ?)")
                .bind(t.id.to_string())
                .bind(&t.name)
                .bind(t.created.as_millis())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            Ok(Reply::Done)
        }
        Op::CreateUser(u) => {
            sqlx::query(
                "INSERT INTO users (id, tenant, address, role, password_hash, \
                 must_change_password, disabled, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(u.id.to_string())
            .bind(u.tenant.to_string())
            .bind(u.address.to_string())
            .bind(u.role.as_str())
            .bind(&u.password_hash)
            .bind(u.must_change_password)
            .bind(u.disabled)
            .bind(u.created.as_millis())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Done)
        }
        Op::SetPasswordHash {
            id,
            hash,
            must_change,
        } => {
            let done = sqlx::query(
                "UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            )
            .bind(hash)
            .bind(*must_change)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            found(done.rows_affected())
        }
        Op::AddAppPassword(p) => {
            sqlx::query(
                "INSERT INTO app_passwords (id, user_id, tenant, label, hash, created, revoked) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(p.id.to_string())
            .bind(p.user.to_string())
            .bind(p.tenant.to_string())
            .bind(&p.label)
            .bind(&p.hash)
            .bind(p.created.as_millis())
            .bind(p.revoked)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Done)
        }
        Op::RevokeAppPassword(id) => {
            let done = sqlx::query("UPDATE app_passwords SET revoked = 1 WHERE id = ?")
                .bind(id.to_string())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            found(done.rows_affected())
        }
        Op::PutKey(k) => {
            if k.active {
                sqlx::query(
                    "UPDATE keys SET active = 0 WHERE tenant = ? AND purpose = ? AND active = 1",
                )
                .bind(k.tenant.to_string())
                .bind(k.purpose.as_str())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            }
            sqlx::query(
                "INSERT INTO keys (id, tenant, purpose, wrapped, wrapping_key_id, active, created) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&k.id)
            .bind(k.tenant.to_string())
            .bind(k.purpose.as_str())
            .bind(&k.wrapped)
            .bind(&k.wrapping_key_id)
            .bind(k.active)
            .bind(k.created.as_millis())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Done)
        }
        Op::RewrapKeys(keys) => {
            for k in keys {
                let done =
                    sqlx::query("UPDATE keys SET wrapped = ?, wrapping_key_id = ? WHERE id = ?")
                        .bind(&k.wrapped)
                        .bind(&k.wrapping_key_id)
                        .bind(&k.id)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                // The savepoint (or the one-request transaction) undoes earlier keys.
                found(done.rows_affected())?;
            }
            Ok(Reply::Done)
        }
        Op::Enqueue(m) => enqueue(conn, m).await.map(|()| Reply::Done),
        Op::Portal(p) => crate::portal::apply(conn, p).await,
        Op::Api(a) => crate::api::apply(conn, a).await,
        Op::Account(a) => crate::accounts::apply(conn, a).await,
        Op::Group(g) => crate::groups::apply(conn, g).await,
        Op::Claim {
            worker,
            now,
            lease,
            limit,
        } => claim(conn, worker, *now, *lease, *limit)
            .await
            .map(Reply::Claimed),
        Op::Complete {
            id,
            worker,
            outcome,
            now,
        } => complete(conn, *id, worker, outcome, *now)
            .await
            .map(|()| Reply::Done),
        Op::Release { id, worker, at } => {
            let done = sqlx::query(
                "UPDATE recipients SET \
                   status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
                   next_attempt = ?, lease_owner = NULL, lease_until = NULL, updated = ? \
                 WHERE id = ? AND status = 'delivering' AND lease_owner = ?",
            )
            .bind(at.as_millis())
            .bind(SystemClock.now().as_millis())
            .bind(id.to_string())
            .bind(worker)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            if done.rows_affected() == 0 {
                return Err(missing_or_lease(conn, *id).await);
            }
            Ok(Reply::Done)
        }
        Op::ReleaseByOwnerPrefix { prefix, at } => {
            let done = sqlx::query(
                "UPDATE recipients SET \
                   status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
                   next_attempt = ?, lease_owner = NULL, lease_until = NULL, updated = ? \
                 WHERE status = 'delivering' AND substr(lease_owner, 1, length(?)) = ?",
            )
            .bind(at.as_millis())
            .bind(SystemClock.now().as_millis())
            .bind(prefix.as_str())
            .bind(prefix.as_str())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Count(done.rows_affected()))
        }
        Op::Transition {
            id,
            from,
            to,
            next_attempt,
        } => {
            let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
            let done = sqlx::query(
                "UPDATE recipients SET status = ?, next_attempt = ?, lease_owner = NULL, \
                   lease_until = NULL, updated = ? \
                 WHERE id = ? AND status IN (SELECT value FROM json_each(?))",
            )
            .bind(to.as_str())
            .bind(next_attempt.as_millis())
            .bind(SystemClock.now().as_millis())
            .bind(id.to_string())
            .bind(to_json(&from, "status")?)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            if done.rows_affected() == 0 {
                if exists(conn, *id).await? {
                    return Ok(Reply::Changed(false));
                }
                return Err(StorageError::NotFound);
            }
            Ok(Reply::Changed(true))
        }
        Op::AppendAudit => Ok(Reply::Done),
        Op::PurgeAudit { before, below_seq } => {
            let below = to_i64(*below_seq, "seq")?;
            sqlx::query(
                "DELETE FROM audit_patient_refs WHERE seq IN (SELECT seq FROM audit_events \
                 WHERE seq < ? AND at < ? AND line IS NOT NULL)",
            )
            .bind(below)
            .bind(before.as_millis())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            let done = sqlx::query(
                "UPDATE audit_events SET line = NULL, message = NULL, recipient = NULL \
                 WHERE seq < ? AND at < ? AND line IS NOT NULL",
            )
            .bind(below)
            .bind(before.as_millis())
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Count(done.rows_affected()))
        }
        Op::PutTreeHead(h) => {
            sqlx::query(
                "INSERT INTO audit_heads (tree_size, timestamp, head, cosignatures) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (tree_size, timestamp) \
                 DO UPDATE SET head = excluded.head, cosignatures = excluded.cosignatures",
            )
            .bind(to_i64(h.head.head.tree_size, "tree_size")?)
            .bind(h.head.head.timestamp.as_millis())
            .bind(to_json(&h.head, "head")?)
            .bind(to_json(&h.cosignatures, "cosignatures")?)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Done)
        }
        Op::PutPolicy {
            tenant,
            document,
            author,
            created,
        } => {
            // The single writer runs this select-and-insert with no other write in between,
            // so the number is the next one; the primary key guards a second process
            // sharing the file (its BEGIN IMMEDIATE serialises with ours anyway).
            let row = sqlx::query(
                "INSERT INTO policies (tenant, version, document, author, created) \
                 SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4 FROM policies \
                 WHERE tenant = ?1 RETURNING version",
            )
            .bind(tenant.to_string())
            .bind(document)
            .bind(author)
            .bind(created.as_millis())
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
            let version: i64 = row.try_get("version").map_err(map_err)?;
            let version = u64::try_from(version)
                .map_err(|_| StorageError::Other("policy version out of range".to_string()))?;
            Ok(Reply::Count(version))
        }
        Op::SetAuditCursor { consumer, seq } => {
            sqlx::query(
                "INSERT INTO audit_cursors (consumer, seq) VALUES (?, ?) \
                 ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq",
            )
            .bind(consumer)
            .bind(to_i64(*seq, "seq")?)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
            Ok(Reply::Done)
        }
    }
}

fn found(rows: u64) -> storage::Result<Reply> {
    if rows == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(Reply::Done)
    }
}

async fn enqueue(conn: &mut SqliteConnection, m: &NewMessage) -> storage::Result<()> {
    let r = &m.record;
    let message_id = r.id.to_string();
    let tenant = r.tenant.to_string();
    sqlx::query(
        "INSERT INTO messages (id, tenant, principal, channel, client_ip, envelope_from, size, \
         priority, received, expires, body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&message_id)
    .bind(&tenant)
    .bind(to_json(&r.principal, "principal")?)
    .bind(r.channel.as_str())
    .bind(&r.client_ip)
    .bind(r.envelope_from.as_ref().map(|a| a.to_string()))
    .bind(to_i64(r.size, "size")?)
    .bind(r.priority.rank())
    .bind(r.received.as_millis())
    .bind(r.expires.as_millis())
    .bind(&r.body_sha256)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    sqlx::query("INSERT INTO message_bodies (message, sealed) VALUES (?, ?)")
        .bind(&message_id)
        .bind(&m.sealed_body)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    for rcpt in &m.recipients {
        sqlx::query(
            "INSERT INTO recipients (id, message, tenant, address, status, route, priority, \
             attempts, next_attempt, updated) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        )
        .bind(rcpt.id.to_string())
        .bind(&message_id)
        .bind(&tenant)
        .bind(rcpt.address.to_string())
        .bind(rcpt.status.as_str())
        .bind(rcpt.route.as_str())
        .bind(r.priority.rank())
        .bind(rcpt.next_attempt.as_millis())
        .bind(r.received.as_millis())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    if let Some(key) = &m.idempotency {
        crate::api::insert_submission_key(conn, key, r.tenant, &message_id, r.received).await?;
    }
    Ok(())
}

async fn claim(
    conn: &mut SqliteConnection,
    worker: &str,
    now: Timestamp,
    lease: Duration,
    limit: u32,
) -> storage::Result<Vec<RecipientRecord>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    // Runs in the single writer, so the select and the update cannot interleave with
    // another claimer: no two workers get the same copy.
    let rows = sqlx::query(concat!(
        "UPDATE recipients SET status = 'delivering', lease_owner = ?1, lease_until = ?2, \
           updated = ?3 \
         WHERE id IN (SELECT id FROM recipients \
           WHERE (status IN ('queued', 'deferred') AND next_attempt <= ?3) \
              OR (status = 'delivering' AND lease_until < ?3) \
           ORDER BY priority, next_attempt LIMIT ?4) \
         RETURNING ",
        recipient_cols!()
    ))
    .bind(worker)
    .bind(now.plus(lease).as_millis())
    .bind(now.as_millis())
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
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
    conn: &mut SqliteConnection,
    id: RecipientId,
    worker: &str,
    outcome: &AttemptOutcome,
    now: Timestamp,
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
    let done = sqlx::query(
        "UPDATE recipients SET status = ?, attempts = attempts + 1, \
           next_attempt = COALESCE(?, next_attempt), last_error = ?, tls = COALESCE(?, tls), \
           lease_owner = NULL, lease_until = NULL, updated = ? \
         WHERE id = ? AND status = 'delivering' AND lease_owner = ?",
    )
    .bind(outcome.status().as_str())
    .bind(next_attempt)
    .bind(last_error)
    .bind(tls)
    .bind(now.as_millis())
    .bind(id.to_string())
    .bind(worker)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() == 0 {
        return Err(missing_or_lease(conn, id).await);
    }
    sqlx::query("INSERT INTO attempts (recipient, at, worker, outcome) VALUES (?, ?, ?, ?)")
        .bind(id.to_string())
        .bind(now.as_millis())
        .bind(worker)
        .bind(to_json(outcome, "outcome")?)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

async fn exists(conn: &mut SqliteConnection, id: RecipientId) -> storage::Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM recipients WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(row.is_some())
}

/// After a lease-guarded update matched nothing: `NotFound` or `Conflict { "lease" }`.
async fn missing_or_lease(conn: &mut SqliteConnection, id: RecipientId) -> StorageError {
    match exists(conn, id).await {
        Ok(true) => StorageError::Conflict {
            constraint: "lease".to_string(),
        },
        Ok(false) => StorageError::NotFound,
        Err(e) => e,
    }
}
