//! The export file and verification of the live store, both built from the same stream
//! of lines so that what `audit verify` checks is exactly what an export would contain.

use std::collections::VecDeque;
use std::io::Write;

use audit::{SignedTreeHead, TrustedKeys, VerifyError, VerifyReport};
use storage::{SharedStore, StorageError};
use tokio::runtime::Handle;

use crate::trail::AuditTrail;
use crate::{Result, TrailError, io};

/// Events read per query.
const PAGE: u32 = 10_000;

/// The export lines of a store's events `0..end`, with every given head placed right after
/// the last event it covers, then `closing` (if any). Runs on a blocking thread: it waits
/// for each page with [`Handle::block_on`]. A storage error ends the stream early and is
/// kept in [`LiveLines::error`] (the verifier then reports the cut, and the caller the
/// cause).
pub struct LiveLines {
    handle: Handle,
    store: SharedStore,
    next_seq: u64,
    end: u64,
    heads: VecDeque<SignedTreeHead>,
    closing: Option<SignedTreeHead>,
    buffer: VecDeque<String>,
    error: Option<StorageError>,
    /// The next page, already being read while the caller verifies this one.
    prefetch: Option<(
        u64,
        tokio::task::JoinHandle<storage::Result<Vec<storage::StoredAuditEvent>>>,
    )>,
    /// Events written so far.
    pub events: u64,
    /// Heads written so far.
    pub heads_written: u64,
}

impl LiveLines {
    /// Lines for events `0..end`; `heads` larger than `end` are dropped.
    pub fn new(
        handle: Handle,
        store: SharedStore,
        end: u64,
        mut heads: Vec<SignedTreeHead>,
        closing: Option<SignedTreeHead>,
    ) -> Self {
        heads.retain(|h| h.head.tree_size <= end);
        heads.sort_by_key(|h| (h.head.tree_size, h.head.timestamp));
        Self {
            handle,
            store,
            next_seq: 0,
            end,
            heads: heads.into(),
            closing,
            buffer: VecDeque::new(),
            error: None,
            prefetch: None,
            events: 0,
            heads_written: 0,
        }
    }

    /// The storage error that ended the stream early, if any.
    pub fn error(&self) -> Option<&StorageError> {
        self.error.as_ref()
    }

    fn page_limit(&self, from: u64) -> u32 {
        PAGE.min(u32::try_from(self.end.saturating_sub(from)).unwrap_or(PAGE))
    }

    fn fill(&mut self) {
        if self.next_seq >= self.end || self.error.is_some() {
            return;
        }
        let from = self.next_seq;
        let fetched = match self.prefetch.take() {
            Some((at, task)) if at == from => self
                .handle
                .block_on(task)
                .unwrap_or_else(|e| Err(StorageError::Other(format!("reading the log: {e}")))),
            _ => {
                let store = self.store.clone();
                let limit = self.page_limit(from);
                self.handle
                    .block_on(async move { store.audit_range(from, limit).await })
            }
        };
        // Start reading the next page now, so the store and the verifier work at once.
        if let Ok(page) = &fetched
            && let Some(last) = page.last()
            && last.seq + 1 < self.end
        {
            let next = last.seq + 1;
            let store = self.store.clone();
            let limit = self.page_limit(next);
            let task = self
                .handle
                .spawn(async move { store.audit_range(next, limit).await });
            self.prefetch = Some((next, task));
        }
        match fetched {
            Ok(page) if page.is_empty() => {
                // Fewer events than the size promised: the verifier reports what is missing.
                self.next_seq = self.end;
            }
            Ok(page) => {
                for stored in page {
                    if stored.seq >= self.end {
                        self.next_seq = self.end;
                        break;
                    }
                    while self
                        .heads
                        .front()
                        .is_some_and(|h| h.head.tree_size <= stored.seq)
                    {
                        if let Some(h) = self.heads.pop_front() {
                            self.buffer.push_back(audit::head_line(&h));
                            self.heads_written += 1;
                        }
                    }
                    let line = match stored.line {
                        // The stored canonical text with the export's `type` member added
                        // (it sorts last), exactly what `audit::event_line` writes for a
                        // valid event. A line changed in the database is passed on as
                        // changed: the verifier recomputes its leaf and names it.
                        Some(text) => audit::event_line_from_canonical(&text),
                        None => audit::purged_line(stored.seq, &stored.leaf_hash),
                    };
                    self.buffer.push_back(line);
                    self.events += 1;
                    self.next_seq = stored.seq + 1;
                }
            }
            Err(e) => self.error = Some(e),
        }
    }
}

impl Iterator for LiveLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            if let Some(line) = self.buffer.pop_front() {
                return Some(line);
            }
            if self.next_seq < self.end && self.error.is_none() {
                self.fill();
                continue;
            }
            if let Some(h) = self.heads.pop_front() {
                self.heads_written += 1;
                return Some(audit::head_line(&h));
            }
            if let Some(h) = self.closing.take() {
                self.heads_written += 1;
                return Some(audit::head_line(&h));
            }
            return None;
        }
    }
}

/// What an export wrote.
#[derive(Clone, Debug)]
pub struct ExportSummary {
    /// Events written.
    pub events: u64,
    /// Heads written, the closing one included.
    pub heads: u64,
    /// The closing head, covering every event of the export.
    pub closing: SignedTreeHead,
}

async fn all_heads(store: &SharedStore) -> Result<Vec<SignedTreeHead>> {
    let mut out = Vec::new();
    let mut min = 0u64;
    loop {
        let page = store.tree_heads(min, 1000).await?;
        let done = page.len() < 1000;
        for h in page {
            min = h.head.head.tree_size;
            if out.last() != Some(&h.head) {
                out.push(h.head);
            }
        }
        if done {
            break;
        }
        // Heads of equal size may straddle the page; the dedup above keeps one copy.
    }
    out.sort_by_key(|h| (h.head.tree_size, h.head.timestamp));
    out.dedup();
    Ok(out)
}

impl AuditTrail {
    /// Write the whole log as an export to `out`: every event (purged ones as leaf-hash
    /// stand-ins), every stored head in place, and a closing head signed now over all of
    /// them, also kept in the store.
    pub async fn export(&self, out: Box<dyn Write + Send>) -> Result<ExportSummary> {
        let size = self.sync().await?;
        let closing = self.sign_head_at(size).await?;
        self.store()
            .put_tree_head(&storage::StoredTreeHead {
                head: closing.clone(),
                cosignatures: Vec::new(),
            })
            .await?;
        let heads = all_heads(self.store()).await?;
        let handle = Handle::current();
        let store = self.store().clone();
        let closing_for_task = closing.clone();
        let (events, heads_written) = tokio::task::spawn_blocking(move || {
            let mut lines = LiveLines::new(handle, store, size, heads, Some(closing_for_task));
            let mut out = std::io::BufWriter::new(out);
            for line in lines.by_ref() {
                out.write_all(line.as_bytes())
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(io("writing the export"))?;
            }
            if let Some(e) = lines.error() {
                return Err(TrailError::Storage(e.clone()));
            }
            out.flush().map_err(io("writing the export"))?;
            Ok((lines.events, lines.heads_written))
        })
        .await
        .map_err(|_| TrailError::Io {
            what: "export writer".into(),
            source: std::io::Error::other("task failed"),
        })??;
        Ok(ExportSummary {
            events,
            heads: heads_written,
            closing,
        })
    }
}

/// The result of checking the live store.
#[derive(Clone, Debug)]
pub struct LiveReport {
    /// What the verifier established over the events the stored heads cover.
    pub verified: VerifyReport,
    /// Events appended after the newest stored head (not yet covered by any head).
    pub uncovered: u64,
    /// Heads from outside the database that were checked against the store.
    pub external_heads: usize,
}

/// Why the live store did not verify.
#[derive(Debug, thiserror::Error)]
pub enum LiveVerifyError {
    /// The store could not be read.
    #[error("{0}")]
    Store(#[from] TrailError),
    /// The log is not what its heads (stored or external) say.
    #[error("{0}")]
    Invalid(#[from] VerifyError),
    /// No head has been signed yet, so nothing can be checked.
    #[error("no signed tree head in the store yet ({events} events uncovered)")]
    NoHead {
        /// Events in the store.
        events: u64,
    },
}

/// Check the live store: recompute every leaf from the stored events (never trusting
/// stored hashes, except for purged events, which have nothing else), check every stored
/// head against `trusted` and the recomputed tree, then check every `external` head (a
/// head file, a witness) against the same tree.
pub async fn verify_store(
    store: SharedStore,
    trusted: TrustedKeys,
    external: Vec<SignedTreeHead>,
) -> std::result::Result<LiveReport, LiveVerifyError> {
    let size = store.audit_size().await.map_err(TrailError::from)?;
    let heads = all_heads(&store).await?;
    let Some(end) = heads.iter().map(|h| h.head.tree_size).max() else {
        return Err(LiveVerifyError::NoHead { events: size });
    };
    let handle = Handle::current();
    let task_store = store.clone();
    let external_count = external.len();
    let result = tokio::task::spawn_blocking(move || {
        let mut lines = LiveLines::new(handle, task_store, end, heads, None);
        let verdict = audit::verify_export_against_heads(lines.by_ref(), &trusted, &external);
        match lines.error() {
            Some(e) => Err(LiveVerifyError::Store(TrailError::Storage(e.clone()))),
            None => verdict.map_err(LiveVerifyError::Invalid),
        }
    })
    .await
    .map_err(|_| {
        LiveVerifyError::Store(TrailError::Io {
            what: "verifier".into(),
            source: std::io::Error::other("task failed"),
        })
    })??;
    Ok(LiveReport {
        verified: result,
        uncovered: size.saturating_sub(end),
        external_heads: external_count,
    })
}
