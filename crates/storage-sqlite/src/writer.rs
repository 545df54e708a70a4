//! The single writer: one thread, one connection, group commit.
//!
//! SQLite allows one writer at a time and, with `synchronous=FULL`, every commit costs an
//! fsync. One transaction per call would cap the queue at a few hundred commits per second
//! on ordinary disks, and concurrent writers would also fight over the write lock
//! (`SQLITE_BUSY`). So every write goes through a bounded channel to this thread, which
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
//! The writer owns a synchronous `rusqlite` connection on a thread of its own, while reads
//! use sqlx's pool. Both drive the same bundled SQLite library (rusqlite is pinned to the
//! `libsqlite3-sys` that sqlx links), so SQLite's locks see one process, one library. The
//! reason: sqlx runs each statement on a worker thread and hands every statement and result
//! across threads; an enqueue is about a dozen statements, and those hand-offs (futex waits
//! and wake-ups) cost more CPU than SQLite's own work and added to every message's
//! acknowledgement time. Here a whole batch costs one hand-off in and one reply per caller.
//!
//! Rejected alternatives: a pool of writer connections with `busy_timeout` (each call pays
//! its own fsync and writers serialise on the lock anyway); the whole store on rusqlite
//! (the read side is cold next to the writes, and sqlx also serves PostgreSQL).

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use audit::AuditEvent;
use model::{
    ApiKeyId, Clock, RecipientId, RecipientStatus, SystemClock, TenantId, Timestamp, UserId,
};
use storage::{
    AppPassword, AttemptOutcome, NewMessage, RecipientRecord, StorageError, StoredTreeHead, Tenant,
    User, WrappedKey,
};

use crate::rows::{self, map_sql, recipient_cols, to_i64, to_json};
use crate::segments::BodyRef;
use crate::stager::StagedSegmentBody;

/// WAL frames (pages) after which the writer asks the checkpointer thread to copy the log
/// back into the database file: SQLite's own default for its automatic checkpoint.
const CHECKPOINT_FRAMES: i32 = 1000;
/// WAL frames after which the writer checkpoints itself, as SQLite would: the checkpointer
/// has fallen far behind (or could not run), and the log must not grow without bound.
const WRITER_CHECKPOINT_FRAMES: i32 = 16 * CHECKPOINT_FRAMES;

/// Most requests committed in one transaction.
pub(crate) const MAX_BATCH: usize = 256;
/// Soft limit on the sealed body bytes committed in one transaction.
pub(crate) const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;
/// A batch that takes this long to commit is logged as a warning.
const SLOW_COMMIT: Duration = Duration::from_secs(1);
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
            // Empty when the body was staged: it is on disk already.
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
    /// Start the writer thread on `conn` (opened on a migrated database, see
    /// `SqliteStore::open`).
    ///
    /// `checkpointer` is a second connection to the same file: a thread of its own copies the
    /// write-ahead log back into the database on it, so that no commit waits for that copy
    /// (SQLite's automatic checkpoint runs inside the commit that crosses its threshold: with
    /// 200 KB bodies, one commit in twenty paid for copying 4 MB and syncing the database
    /// file before its callers heard "done").
    pub(crate) fn spawn(conn: Connection, checkpointer: Connection) -> storage::Result<Self> {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        // One pending request is enough: the checkpoint copies whatever the log holds by then.
        let (wake, wanted) = std::sync::mpsc::sync_channel::<()>(1);
        let start_error = |e: std::io::Error| {
            StorageError::Unavailable(format!("cannot start the sqlite writer: {:?}", e.kind()))
        };
        let state = CheckpointState::default();
        let shared = state.clone();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".to_string())
            .spawn(move || checkpoint_loop(checkpointer, wanted, shared))
            .map_err(start_error)?;
        std::thread::Builder::new()
            .name("sqlite-writer".to_string())
            .spawn(move || run(conn, rx, wake, state))
            .map_err(start_error)?;
        Ok(Self { tx })
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

thread_local! {
    /// Frames in the write-ahead log after the writer thread's last commit, as SQLite's WAL
    /// hook reports it (the hook takes a plain function, so the count lives here, on the one
    /// thread that commits on the writer's connection).
    static WAL_FRAMES: std::cell::Cell<i32> = const { std::cell::Cell::new(0) };
}

/// The writer connection's WAL hook: note the log's length. Registering it also turns off
/// SQLite's automatic checkpoint on this connection ([`checkpoint_loop`] does that work).
fn note_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.set(frames);
    Ok(())
}

/// Where the checkpointer thread is, shared with the writer: [`CHECKPOINT_IDLE`],
/// [`CHECKPOINT_ASKED`] (asked and not done yet) or [`CHECKPOINT_DONE`].
type CheckpointState = std::sync::Arc<std::sync::atomic::AtomicU8>;
const CHECKPOINT_IDLE: u8 = 0;
const CHECKPOINT_ASKED: u8 = 1;
/// The checkpointer copied the log as it stood when it started; the writer copies what was
/// committed since (see [`after_commit`]).
const CHECKPOINT_DONE: u8 = 2;

/// The checkpointer thread: on each request from the writer, copy the committed log into the
/// database file (`PASSIVE`: never waits for the writer or for readers, copies what it can).
/// Ends when the writer is gone.
fn checkpoint_loop(
    conn: Connection,
    wanted: std::sync::mpsc::Receiver<()>,
    state: CheckpointState,
) {
    use std::sync::atomic::Ordering;
    while wanted.recv().is_ok() {
        checkpoint(&conn);
        state.store(CHECKPOINT_DONE, Ordering::Release);
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %map_sql(e), "closing the sqlite checkpoint connection failed");
    }
}

/// A `PASSIVE` checkpoint on `conn`; a failure is logged (the log stays, nothing is lost, and
/// the next checkpoint copies it).
fn checkpoint(conn: &Connection) {
    if let Err(e) = conn.pragma_query(None, "wal_checkpoint", |_| Ok(())) {
        tracing::warn!(error = %map_sql(e), "sqlite checkpoint failed");
    }
}

/// After a commit, keep the write-ahead log short without making a commit wait for a long
/// copy:
/// - once the log holds [`CHECKPOINT_FRAMES`] more than at the last request, ask the
///   checkpointer to copy it (in the background, while commits go on);
/// - once it has, copy here the few frames committed meanwhile: with the writer itself
///   copying, no commit can slip in, the whole log is in the database file, and SQLite starts
///   the log again from its beginning at the next commit (a background checkpoint alone never
///   catches up with a writer that keeps committing, and the log would only grow);
/// - past [`WRITER_CHECKPOINT_FRAMES`] (the checkpointer is far behind), copy it all here.
///
/// `asked` is the log's length at the last request (0 once the log restarted).
fn after_commit(
    conn: &Connection,
    wake: &std::sync::mpsc::SyncSender<()>,
    state: &CheckpointState,
    asked: &mut i32,
) {
    use std::sync::atomic::Ordering;
    let frames = WAL_FRAMES.get();
    if frames < *asked {
        // The log restarted from its beginning.
        *asked = 0;
    }
    if frames >= WRITER_CHECKPOINT_FRAMES {
        checkpoint(conn);
        *asked = frames;
    } else if state
        .compare_exchange(
            CHECKPOINT_DONE,
            CHECKPOINT_IDLE,
            Ordering::AcqRel,
            Ordering::Acquire,
        )
        .is_ok()
    {
        checkpoint(conn);
    } else if frames - *asked >= CHECKPOINT_FRAMES
        && state.load(Ordering::Acquire) == CHECKPOINT_IDLE
    {
        state.store(CHECKPOINT_ASKED, Ordering::Release);
        if wake.try_send(()).is_err() {
            // The checkpointer is gone (it never stops before the writer): no request pending.
            state.store(CHECKPOINT_IDLE, Ordering::Release);
        }
        *asked = frames;
    }
}

/// The writer thread: waits for requests, commits them in batches, until every sender is
/// gone.
fn run(
    conn: Connection,
    mut rx: mpsc::Receiver<Request>,
    wake: std::sync::mpsc::SyncSender<()>,
    state: CheckpointState,
) {
    conn.wal_hook(Some(note_wal_frames));
    let mut asked = 0;
    let mut batch: Vec<Request> = Vec::with_capacity(MAX_BATCH);
    // The connection opens with synchronous=FULL.
    let mut synchronous_full = true;
    while let Some(first) = rx.blocking_recv() {
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
            match exec(&conn, pragma) {
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
        let (requests, started) = (batch.len(), std::time::Instant::now());
        let bodies: Vec<Option<BodyRef>> = batch.iter().map(staged_body).collect();
        commit_batch(&conn, &mut batch, &bodies);
        after_commit(&conn, &wake, &state, &mut asked);
        // sqlx logged statements slower than a second; this connection is not sqlx's, so
        // the writer says it itself (a long wait for the lock, a slow disk). No SQL, no
        // values: only the size of the batch and the time.
        let elapsed = started.elapsed();
        if elapsed >= SLOW_COMMIT {
            tracing::warn!(
                requests,
                elapsed_ms = elapsed.as_millis() as u64,
                "slow sqlite commit"
            );
        }
    }
    // Every sender is gone: the store was dropped. Nothing is pending, so closing is clean.
    // (The checkpointer ends when `wake` is dropped; the last connection to close copies
    // what is left of the log.)
    drop(wake);
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %map_sql(e), "closing the sqlite writer connection failed");
    }
}

/// Where a request's body already is, when it was staged in a segment (`stager.rs`; large
/// bodies always are, `SqliteStore::enqueue` sees to it and checks the token is this
/// store's). `None`: no body, or one that goes into `message_bodies`.
fn staged_body(req: &Request) -> Option<BodyRef> {
    match &req.op {
        Op::Enqueue(m) => m
            .staged_body
            .as_ref()
            .and_then(|s| s.token::<StagedSegmentBody>())
            .map(|s| s.body.clone()),
        _ => None,
    }
}

/// Run `batch` in one transaction and answer every request. Drains `batch`. `bodies`: where
/// each request's body was staged ([`staged_body`]).
fn commit_batch(conn: &Connection, batch: &mut Vec<Request>, bodies: &[Option<BodyRef>]) {
    let single = batch.len() == 1;
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
        fail_all(batch, &e);
        return;
    }
    let mut results = Vec::with_capacity(batch.len());
    let mut aborted = None;
    for (req, body) in batch.iter().zip(bodies) {
        let body = body.as_ref();
        if single {
            // No savepoint needed: a failure rolls back the whole (one-request) transaction.
            results.push(apply_audited(conn, req, body));
            continue;
        }
        if let Err(e) = exec(conn, "SAVEPOINT req") {
            aborted = Some(e);
            break;
        }
        let result = apply_audited(conn, req, body);
        let end = match &result {
            Ok(_) => exec(conn, "RELEASE req"),
            Err(_) => exec(conn, "ROLLBACK TO req").and_then(|()| exec(conn, "RELEASE req")),
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
        let _ = exec(conn, "ROLLBACK");
        for (req, result) in batch.drain(..).zip(results) {
            let _ = req.reply.send(result);
        }
        return;
    }
    let outcome = match aborted {
        Some(e) => Err(e),
        None => exec(conn, "COMMIT"),
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
            let _ = exec(conn, "ROLLBACK");
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

/// Run one statement without parameters (transaction control, pragmas).
fn exec(conn: &Connection, sql: &'static str) -> storage::Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.raw_execute())
        .map(|_| ())
        .map_err(map_sql)
}

/// Run one statement with `params`; returns the number of rows it changed.
fn run_sql(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> storage::Result<usize> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute(params))
        .map_err(map_sql)
}

/// Apply a request's op, then append its audit events (unless the op changed nothing).
fn apply_audited(
    conn: &Connection,
    req: &Request,
    body: Option<&BodyRef>,
) -> storage::Result<Reply> {
    let reply = apply(conn, &req.op, body)?;
    let append_only = matches!(req.op, Op::AppendAudit);
    if matches!(reply, Reply::Changed(false)) || (req.audit.is_empty() && !append_only) {
        return Ok(reply);
    }
    let first = append_events(conn, &req.audit)?;
    Ok(match req.op {
        Op::AppendAudit => Reply::Count(first),
        _ => reply,
    })
}

/// Number, hash and insert `events` after the last stored one. Returns the first number.
/// Runs inside the writer's transaction, so numbers are gap-free and in commit order.
fn append_events(conn: &Connection, events: &[AuditEvent]) -> storage::Result<u64> {
    let next: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_events")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(map_sql)?;
    let first = u64::try_from(next)
        .map_err(|_| StorageError::Other("audit seq out of range".to_string()))?;
    // One prepared single-row INSERT, run once per event: with the statement cached and
    // no thread between this code and SQLite, a row costs a bind and a step, so the
    // multi-row statements the async driver needed (one hand-off per statement) gain
    // nothing here.
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO audit_events (seq, at, message, recipient, leaf_hash, line) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .map_err(map_sql)?;
    let mut refs = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let r = storage::AuditRow::new(event, first + i as u64)?;
        let seq = to_i64(r.seq, "seq")?;
        for p in &r.patient_refs {
            refs.push((p.clone(), seq));
        }
        insert
            .execute(params![
                seq,
                r.at,
                event.subject.message.map(|m| m.0.as_bytes().to_vec()),
                event.subject.recipient.map(|r| r.0.as_bytes().to_vec()),
                &r.leaf_hash[..],
                r.line,
            ])
            .map_err(map_sql)?;
    }
    if !refs.is_empty() {
        let mut insert_ref = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO audit_patient_refs (patient_ref, seq) VALUES (?, ?)",
            )
            .map_err(map_sql)?;
        for (patient_ref, seq) in &refs {
            insert_ref
                .execute(params![patient_ref, seq])
                .map_err(map_sql)?;
        }
    }
    Ok(first)
}

/// `body`: where an enqueued message's body was staged, if in a segment.
fn apply(conn: &Connection, op: &Op, body: Option<&BodyRef>) -> storage::Result<Reply> {
    match op {
        Op::CreateTenant(t) => {
            run_sql(
                conn,
                "INSERT INTO tenants (id, name, created) VALUES (?, ?, ?)",
                params![t.id.to_string(), t.name, t.created.as_millis()],
            )?;
            Ok(Reply::Done)
        }
        Op::CreateUser(u) => {
            run_sql(
                conn,
                "INSERT INTO users (id, tenant, address, role, password_hash, \
                 must_change_password, disabled, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    u.id.to_string(),
                    u.tenant.to_string(),
                    u.address.to_string(),
                    u.role.as_str(),
                    u.password_hash,
                    u.must_change_password,
                    u.disabled,
                    u.created.as_millis(),
                ],
            )?;
            Ok(Reply::Done)
        }
        Op::SetPasswordHash {
            id,
            hash,
            must_change,
        } => found(run_sql(
            conn,
            "UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            params![hash, must_change, id.to_string()],
        )?),
        Op::AddAppPassword(p) => {
            run_sql(
                conn,
                "INSERT INTO app_passwords (id, user_id, tenant, label, hash, created, revoked) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    p.id.to_string(),
                    p.user.to_string(),
                    p.tenant.to_string(),
                    p.label,
                    p.hash,
                    p.created.as_millis(),
                    p.revoked,
                ],
            )?;
            Ok(Reply::Done)
        }
        Op::RevokeAppPassword(id) => found(run_sql(
            conn,
            "UPDATE app_passwords SET revoked = 1 WHERE id = ?",
            params![id.to_string()],
        )?),
        Op::PutKey(k) => {
            if k.active {
                run_sql(
                    conn,
                    "UPDATE keys SET active = 0 WHERE tenant = ? AND purpose = ? AND active = 1",
                    params![k.tenant.to_string(), k.purpose.as_str()],
                )?;
            }
            run_sql(
                conn,
                "INSERT INTO keys (id, tenant, purpose, wrapped, wrapping_key_id, active, created) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    k.id,
                    k.tenant.to_string(),
                    k.purpose.as_str(),
                    k.wrapped,
                    k.wrapping_key_id,
                    k.active,
                    k.created.as_millis(),
                ],
            )?;
            Ok(Reply::Done)
        }
        Op::RewrapKeys(keys) => {
            for k in keys {
                let done = run_sql(
                    conn,
                    "UPDATE keys SET wrapped = ?, wrapping_key_id = ? WHERE id = ?",
                    params![k.wrapped, k.wrapping_key_id, k.id],
                )?;
                // The savepoint (or the one-request transaction) undoes earlier keys.
                found(done)?;
            }
            Ok(Reply::Done)
        }
        Op::Enqueue(m) => enqueue(conn, m, body).map(|()| Reply::Done),
        Op::Portal(p) => crate::portal::apply(conn, p),
        Op::Api(a) => crate::api::apply(conn, a),
        Op::Account(a) => crate::accounts::apply(conn, a),
        Op::Group(g) => crate::groups::apply(conn, g),
        Op::Claim {
            worker,
            now,
            lease,
            limit,
        } => claim(conn, worker, *now, *lease, *limit).map(Reply::Claimed),
        Op::Complete {
            id,
            worker,
            outcome,
            now,
        } => complete(conn, *id, worker, outcome, *now).map(|()| Reply::Done),
        Op::Release { id, worker, at } => {
            let done = run_sql(
                conn,
                "UPDATE recipients SET \
                   status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
                   next_attempt = ?, lease_owner = NULL, lease_until = NULL, updated = ? \
                 WHERE id = ? AND status = 'delivering' AND lease_owner = ?",
                params![
                    at.as_millis(),
                    SystemClock.now().as_millis(),
                    id.to_string(),
                    worker
                ],
            )?;
            if done == 0 {
                return Err(missing_or_lease(conn, *id));
            }
            Ok(Reply::Done)
        }
        Op::ReleaseByOwnerPrefix { prefix, at } => {
            let done = run_sql(
                conn,
                "UPDATE recipients SET \
                   status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, \
                   next_attempt = ?, lease_owner = NULL, lease_until = NULL, updated = ? \
                 WHERE status = 'delivering' AND substr(lease_owner, 1, length(?)) = ?",
                params![
                    at.as_millis(),
                    SystemClock.now().as_millis(),
                    prefix.as_str(),
                    prefix.as_str()
                ],
            )?;
            Ok(Reply::Count(done as u64))
        }
        Op::Transition {
            id,
            from,
            to,
            next_attempt,
        } => {
            let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
            let done = run_sql(
                conn,
                "UPDATE recipients SET status = ?, next_attempt = ?, lease_owner = NULL, \
                   lease_until = NULL, updated = ? \
                 WHERE id = ? AND status IN (SELECT value FROM json_each(?))",
                params![
                    to.as_str(),
                    next_attempt.as_millis(),
                    SystemClock.now().as_millis(),
                    id.to_string(),
                    to_json(&from, "status")?,
                ],
            )?;
            if done == 0 {
                if exists(conn, *id)? {
                    return Ok(Reply::Changed(false));
                }
                return Err(StorageError::NotFound);
            }
            Ok(Reply::Changed(true))
        }
        Op::AppendAudit => Ok(Reply::Done),
        Op::PurgeAudit { before, below_seq } => {
            let below = to_i64(*below_seq, "seq")?;
            run_sql(
                conn,
                "DELETE FROM audit_patient_refs WHERE seq IN (SELECT seq FROM audit_events \
                 WHERE seq < ? AND at < ? AND line IS NOT NULL)",
                params![below, before.as_millis()],
            )?;
            let done = run_sql(
                conn,
                "UPDATE audit_events SET line = NULL, message = NULL, recipient = NULL \
                 WHERE seq < ? AND at < ? AND line IS NOT NULL",
                params![below, before.as_millis()],
            )?;
            Ok(Reply::Count(done as u64))
        }
        Op::PutTreeHead(h) => {
            run_sql(
                conn,
                "INSERT INTO audit_heads (tree_size, timestamp, head, cosignatures) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (tree_size, timestamp) \
                 DO UPDATE SET head = excluded.head, cosignatures = excluded.cosignatures",
                params![
                    to_i64(h.head.head.tree_size, "tree_size")?,
                    h.head.head.timestamp.as_millis(),
                    to_json(&h.head, "head")?,
                    to_json(&h.cosignatures, "cosignatures")?,
                ],
            )?;
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
            insert_next_version(
                conn,
                "INSERT INTO policies (tenant, version, document, author, created) \
                 SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4 FROM policies \
                 WHERE tenant = ?1 RETURNING version",
                (*tenant, document, author, *created),
                "policy version",
            )
            .map(Reply::Count)
        }
        Op::SetAuditCursor { consumer, seq } => {
            run_sql(
                conn,
                "INSERT INTO audit_cursors (consumer, seq) VALUES (?, ?) \
                 ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq",
                params![consumer, to_i64(*seq, "seq")?],
            )?;
            Ok(Reply::Done)
        }
    }
}

/// Run a versioned-document insert (`… SELECT ?1, MAX(version) + 1, ?2, ?3, ?4 …
/// RETURNING version`) and return the new version number.
pub(crate) fn insert_next_version(
    conn: &Connection,
    sql: &'static str,
    (tenant, document, author, created): (TenantId, &str, &str, Timestamp),
    what: &str,
) -> storage::Result<u64> {
    let version: i64 = conn
        .prepare_cached(sql)
        .and_then(|mut s| {
            s.query_row(
                params![tenant.to_string(), document, author, created.as_millis()],
                |r| r.get(0),
            )
        })
        .map_err(map_sql)?;
    u64::try_from(version).map_err(|_| StorageError::Other(format!("{what} out of range")))
}

fn found(rows: usize) -> storage::Result<Reply> {
    if rows == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(Reply::Done)
    }
}

fn enqueue(conn: &Connection, m: &NewMessage, body: Option<&BodyRef>) -> storage::Result<()> {
    let r = &m.record;
    let message_id = r.id.to_string();
    let tenant = r.tenant.to_string();
    run_sql(
        conn,
        "INSERT INTO messages (id, tenant, principal, channel, client_ip, envelope_from, size, \
         priority, received, expires, body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            message_id,
            tenant,
            to_json(&r.principal, "principal")?,
            r.channel.as_str(),
            r.client_ip,
            r.envelope_from.as_ref().map(|a| a.to_string()),
            to_i64(r.size, "size")?,
            r.priority.rank(),
            r.received.as_millis(),
            r.expires.as_millis(),
            r.body_sha256,
        ],
    )?;
    match body {
        Some(at) => run_sql(
            conn,
            "INSERT INTO message_body_segments (message, segment, offset, len) \
             VALUES (?, ?, ?, ?)",
            params![
                message_id,
                at.segment,
                to_i64(at.offset, "body offset")?,
                to_i64(at.len, "body length")?
            ],
        )?,
        None => run_sql(
            conn,
            "INSERT INTO message_bodies (message, sealed) VALUES (?, ?)",
            params![message_id, m.sealed_body],
        )?,
    };
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO recipients (id, message, tenant, address, status, route, priority, \
             attempts, next_attempt, lease_owner, lease_until, updated) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        )
        .map_err(map_sql)?;
    for rcpt in &m.recipients {
        insert
            .execute(params![
                rcpt.id.to_string(),
                message_id,
                tenant,
                rcpt.address.to_string(),
                rcpt.stored_status().as_str(),
                rcpt.route.as_str(),
                r.priority.rank(),
                rcpt.next_attempt.as_millis(),
                rcpt.lease.as_ref().map(|l| l.owner.as_str()),
                rcpt.lease.as_ref().map(|l| l.until.as_millis()),
                r.received.as_millis(),
            ])
            .map_err(map_sql)?;
    }
    if let Some(key) = &m.idempotency {
        crate::api::insert_submission_key(conn, key, r.tenant, &message_id, r.received)?;
    }
    Ok(())
}

/// Leases up to `?4` due copies to worker `?1` until `?2`; `?3` is now.
const CLAIM_SQL: &str = concat!(
    "UPDATE recipients SET status = 'delivering', lease_owner = ?1, lease_until = ?2, \
       updated = ?3 \
     WHERE id IN (SELECT id FROM recipients \
       WHERE (status IN ('queued', 'deferred') AND next_attempt <= ?3) \
          OR (status = 'delivering' AND lease_until < ?3) \
       ORDER BY priority, next_attempt LIMIT ?4) \
     RETURNING ",
    recipient_cols!()
);

fn claim(
    conn: &Connection,
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
    let mut stmt = conn.prepare_cached(CLAIM_SQL).map_err(map_sql)?;
    let mut rows = stmt
        .query(params![
            worker,
            now.plus(lease).as_millis(),
            now.as_millis(),
            i64::from(limit)
        ])
        .map_err(map_sql)?;
    let mut claimed = Vec::new();
    while let Some(row) = rows.next().map_err(map_sql)? {
        claimed.push(rows::recipient_sql(row)?);
    }
    // RETURNING has no defined order; give callers the claim order.
    claimed.sort_by_key(|r| (r.priority.rank(), r.next_attempt, r.id));
    Ok(claimed)
}

fn complete(
    conn: &Connection,
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
    let done = run_sql(
        conn,
        "UPDATE recipients SET status = ?, attempts = attempts + 1, \
           next_attempt = COALESCE(?, next_attempt), last_error = ?, tls = COALESCE(?, tls), \
           lease_owner = NULL, lease_until = NULL, updated = ? \
         WHERE id = ? AND status = 'delivering' AND lease_owner = ?",
        params![
            outcome.status().as_str(),
            next_attempt,
            last_error,
            tls,
            now.as_millis(),
            id.to_string(),
            worker,
        ],
    )?;
    if done == 0 {
        return Err(missing_or_lease(conn, id));
    }
    run_sql(
        conn,
        "INSERT INTO attempts (recipient, at, worker, outcome) VALUES (?, ?, ?, ?)",
        params![
            id.to_string(),
            now.as_millis(),
            worker,
            to_json(outcome, "outcome")?
        ],
    )?;
    Ok(())
}

fn exists(conn: &Connection, id: RecipientId) -> storage::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM recipients WHERE id = ?")
        .and_then(|mut s| {
            s.query_row(params![id.to_string()], |r| r.get::<_, i64>(0))
                .optional()
        })
        .map(|row| row.is_some())
        .map_err(map_sql)
}

/// After a lease-guarded update matched nothing: `NotFound` or `Conflict { "lease" }`.
fn missing_or_lease(conn: &Connection, id: RecipientId) -> StorageError {
    match exists(conn, id) {
        Ok(true) => StorageError::Conflict {
            constraint: "lease".to_string(),
        },
        Ok(false) => StorageError::NotFound,
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim binds a different `LIMIT` whenever the number of free delivery slots
    /// changes. On the writer's connection that must not make SQLite parse and plan the
    /// statement again (it did, at 8% of the relay's CPU); on a connection with default
    /// settings it does, which shows the check can see it.
    #[test]
    fn claims_with_different_limits_reuse_the_prepared_statement() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.db");
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async {
                drop(
                    crate::SqliteStore::open(&path)
                        .await
                        .expect("create and migrate"),
                );
            });
        let reprepared = |conn: &Connection| {
            for limit in [1, 2, 3, 2] {
                claim(
                    conn,
                    "w",
                    Timestamp::from_millis(1_000),
                    Duration::from_secs(60),
                    limit,
                )
                .expect("claim");
            }
            conn.prepare_cached(CLAIM_SQL)
                .expect("cached")
                .get_status(rusqlite::StatementStatus::RePrepare)
        };
        let writer = crate::open_writer_connection(&path).expect("writer connection");
        assert_eq!(reprepared(&writer), 0);
        let plain = Connection::open(&path).expect("plain connection");
        assert!(reprepared(&plain) > 0);
    }
}
