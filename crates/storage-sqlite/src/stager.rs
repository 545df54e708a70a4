//! Writing large sealed bodies to segments ahead of the commits that reference them.
//!
//! A body of `SEGMENT_THRESHOLD` bytes or more is appended to a segment file and synced
//! before the transaction that records where it is commits (see `segments.rs`). This thread
//! does the appending, for two callers: `SqliteStore::enqueue`, for a large body nobody
//! staged, just before it hands the message to the writer thread; and
//! `QueueStore::stage_body`, which the intake calls while the message is screened (the body
//! is known well before policy has decided whether the message may go), so that the
//! segment's sync does not follow the screening on the path every message waits on.
//!
//! One thread with its own segments (a new file per store, opened with `create_new`),
//! staging in groups as the writer commits: every body waiting when it wakes is appended
//! and covered by one `fdatasync`.
//!
//! **Does not:** decide anything about the body (it is ciphertext), or keep it after
//! replying. A body staged for a message that is then not enqueued is erased
//! ([`crate::segments::erase`]) when the intake says so; one a crash or a failed enqueue
//! leaves stays unreferenced, as at a segment's end.

use std::path::PathBuf;
use std::sync::Arc;

use storage::{StagedBody, Staging, StorageError};
use tokio::sync::{mpsc, oneshot};

use crate::segments::{BodyRef, SegmentWriter};

/// Bodies waiting to be staged before a sender waits for room: at most this many sealed
/// bodies are held here (the intake's own limits bound their size and number in flight).
const CHANNEL_CAPACITY: usize = 256;
/// Bytes appended under one sync at most; the rest wait for the next round.
const MAX_ROUND_BYTES: usize = 64 * 1024 * 1024;

/// A body staged by this store: where it is, and which directory that is in (a token from
/// another store, or another database, is refused by `enqueue`).
#[derive(Clone, Debug)]
pub(crate) struct StagedSegmentBody {
    pub(crate) dir: Arc<PathBuf>,
    pub(crate) body: BodyRef,
}

struct StageRequest {
    sealed: Vec<u8>,
    /// Where it went, or the body back when it could not be staged.
    reply: oneshot::Sender<Result<BodyRef, Vec<u8>>>,
}

/// The sending side, held by the store (clones share the thread; it ends with the last).
#[derive(Clone)]
pub(crate) struct Stager {
    tx: mpsc::Sender<StageRequest>,
    dir: Arc<PathBuf>,
}

impl Stager {
    /// Start the staging thread for the segments directory `dir`.
    pub(crate) fn spawn(dir: PathBuf) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let segments = SegmentWriter::new(dir.clone());
        let dir = Arc::new(dir);
        std::thread::Builder::new()
            .name("sqlite-bodies".to_string())
            .spawn(move || run(rx, segments))?;
        Ok(Self { tx, dir })
    }

    /// The segments directory.
    pub(crate) fn dir(&self) -> &Arc<PathBuf> {
        &self.dir
    }

    /// Append `sealed` to a segment and sync it. [`Staging::Kept`] gives the body back when
    /// the disk refused (logged by the thread): the caller keeps it in the transaction
    /// instead. An error means the thread is gone.
    pub(crate) async fn stage(&self, sealed: Vec<u8>) -> storage::Result<Staging> {
        let gone = || StorageError::Unavailable("sqlite body stager stopped".to_string());
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(StageRequest { sealed, reply })
            .await
            .map_err(|_| gone())?;
        Ok(match answer.await.map_err(|_| gone())? {
            Ok(body) => Staging::Staged(StagedBody::new(StagedSegmentBody {
                dir: Arc::clone(&self.dir),
                body,
            })),
            Err(sealed) => Staging::Kept(sealed),
        })
    }
}

/// The staging thread: append every waiting body, sync once, answer; until every sender is
/// gone.
fn run(mut rx: mpsc::Receiver<StageRequest>, mut segments: SegmentWriter) {
    let mut round: Vec<StageRequest> = Vec::new();
    while let Some(first) = rx.blocking_recv() {
        let mut bytes = first.sealed.len();
        round.push(first);
        while bytes < MAX_ROUND_BYTES {
            match rx.try_recv() {
                Ok(req) => {
                    bytes += req.sealed.len();
                    round.push(req);
                }
                Err(_) => break,
            }
        }
        let bodies: Vec<&[u8]> = round.iter().map(|r| r.sealed.as_slice()).collect();
        match segments.append(&bodies) {
            Ok(refs) => {
                for (req, at) in round.drain(..).zip(refs) {
                    let _ = req.reply.send(Ok(at));
                }
            }
            Err(e) => {
                tracing::warn!(error = ?e.kind(), "staging message bodies in a segment failed; keeping them in the database");
                for req in round.drain(..) {
                    let _ = req.reply.send(Err(req.sealed));
                }
            }
        }
    }
}
