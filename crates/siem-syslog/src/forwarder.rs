//! The forwarder loop: read events after the cursor, send them, save the cursor, repeat.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use audit::AuditEvent;
use serde::Serialize;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use crate::config::{ConfigError, SyslogConfig};
use crate::format::{FormatError, format_rfc5424_with, frame};
use crate::transport::{Connection, Connector};

/// First wait after a failure; doubled after each further failure.
const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// Longest wait between attempts.
const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// After a connection fails, every batch written on it in the last `SETTLE` before the
/// failure was noticed is sent again: bytes flushed to the socket may still sit in kernel
/// buffers, and a receiver that stays connected this long after a write has read it.
const SETTLE: Duration = Duration::from_secs(2);
/// Bound on the polite close at shutdown.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Where the forwarder reads events and keeps its cursor (the audit store implements it).
///
/// The cursor is the `seq` of the last event handed to the SIEM; it belongs to the
/// forwarder, and should live next to the events (same database) so that a restore brings
/// both back together.
#[async_trait]
pub trait AuditFeed: Send + Sync {
    /// Up to `limit` events with `seq` greater than `after_seq` (from the first event if
    /// `None`), in increasing `seq` order. Gaps (purged events) are allowed; going
    /// backwards is refused with [`FeedError::OutOfOrder`].
    async fn events_after(
        &self,
        after_seq: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, FeedError>;
    /// The saved cursor, `None` if nothing was ever sent.
    async fn load_cursor(&self) -> Result<Option<u64>, FeedError>;
    /// Save the cursor: every event up to `seq` has been written to the SIEM. Store it as
    /// given: after a failed connection it can move back (batches are resent), and keeping
    /// the maximum instead would skip them after a restart.
    async fn save_cursor(&self, seq: u64) -> Result<(), FeedError>;
}

/// What an [`AuditFeed`] can fail with. Descriptions must not contain event content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// The store could not be read or written (worth retrying).
    #[error("audit feed unavailable: {0}")]
    Unavailable(String),
    /// The feed returned events that do not follow the cursor in increasing order.
    #[error("audit feed returned seq {got} after {after:?}")]
    OutOfOrder {
        /// The cursor (or previous event of the batch).
        after: Option<u64>,
        /// The offending event's seq.
        got: u64,
    },
}

/// The class of the last failure, for health checks and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorCategory {
    /// TCP connect failed (refused, unreachable, name not resolved).
    Connect,
    /// The TLS handshake failed (untrusted or wrong certificate, protocol, alert).
    Tls,
    /// A write failed or the SIEM closed the connection.
    Write,
    /// Connecting or writing exceeded its bound.
    Timeout,
    /// The audit feed failed (reading events or saving the cursor) or misbehaved.
    Feed,
    /// An event could not be formatted (invalid, or over the length limit); the forwarder
    /// is stalled on it.
    Format,
}

impl ErrorCategory {
    /// The lower-case name (`"tls"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCategory::Connect => "connect",
            ErrorCategory::Tls => "tls",
            ErrorCategory::Write => "write",
            ErrorCategory::Timeout => "timeout",
            ErrorCategory::Feed => "feed",
            ErrorCategory::Format => "format",
        }
    }
}

/// A snapshot of the forwarder's state for health checks. No PHI: sequence numbers,
/// counters and error categories.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyslogStatus {
    /// A connection to the SIEM is open (as far as the last check could tell).
    pub connected: bool,
    /// The stream is plain TCP (`insecure_plaintext`): callers should warn.
    pub insecure_plaintext: bool,
    /// `seq` of the last event written and flushed to the SIEM.
    pub last_sent_seq: Option<u64>,
    /// The last cursor the feed confirmed saving.
    pub saved_cursor: Option<u64>,
    /// Events written since start (resends included).
    pub events_sent: u64,
    /// Connections established since start.
    pub connections: u64,
    /// The category of the most recent failure (kept after recovery).
    pub last_error: Option<ErrorCategory>,
    /// The `seq` the forwarder was trying to send when that failure happened, if any.
    pub last_error_seq: Option<u64>,
    /// Failures since the last successful step; 0 when healthy.
    pub consecutive_failures: u32,
    /// The run loop has ended (shutdown).
    pub stopped: bool,
}

/// A cheap, cloneable handle on the forwarder's [`SyslogStatus`].
#[derive(Clone, Debug, Default)]
pub struct StatusHandle(Arc<Mutex<SyslogStatus>>);

impl StatusHandle {
    /// The current status.
    pub fn snapshot(&self) -> SyslogStatus {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, SyslogStatus> {
        // The status is plain data; a panic while it was held cannot leave it inconsistent
        // in a way that matters for a health check.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut SyslogStatus)) {
        f(&mut self.lock());
    }

    fn fail(&self, category: ErrorCategory, seq: Option<u64>) {
        self.update(|s| {
            s.last_error = Some(category);
            s.last_error_seq = seq;
            s.consecutive_failures = s.consecutive_failures.saturating_add(1);
        });
    }
}

/// Streams audit events from an [`AuditFeed`] to a SIEM. See the crate docs for the
/// delivery guarantee.
pub struct SyslogForwarder {
    config: SyslogConfig,
    connector: Connector,
    status: StatusHandle,
    nudge: Arc<Notify>,
}

impl SyslogForwarder {
    /// Check the configuration and build the TLS client. Nothing is connected yet.
    pub fn new(config: SyslogConfig) -> Result<Self, ConfigError> {
        let connector = Connector::new(&config)?;
        let status = StatusHandle::default();
        status.update(|s| s.insecure_plaintext = connector.is_plaintext());
        Ok(Self {
            config,
            connector,
            status,
            nudge: Arc::new(Notify::new()),
        })
    }

    /// True when the stream will be plain TCP (`insecure_plaintext = true`). This crate does
    /// not log that; the caller should warn.
    pub fn insecure_plaintext(&self) -> bool {
        self.connector.is_plaintext()
    }

    /// A handle on the status, valid during and after [`SyslogForwarder::run`].
    pub fn status(&self) -> StatusHandle {
        self.status.clone()
    }

    /// Call `notify_one()` on this after appending events to have them sent without waiting
    /// for the next poll. A nudge while the forwarder is busy is remembered (one permit).
    pub fn nudger(&self) -> Arc<Notify> {
        self.nudge.clone()
    }

    /// Run until `shutdown` becomes `true` (or its sender is dropped). Failures are retried
    /// with backoff and reported through [`SyslogForwarder::status`]; this never gives up.
    pub async fn run(self, feed: Arc<dyn AuditFeed>, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = Backoff::new();
        let Some(cursor) = self.load_cursor(&*feed, &mut shutdown, &mut backoff).await else {
            self.status.update(|s| s.stopped = true);
            return;
        };
        let mut state = State {
            cursor,
            conn: None,
            unsettled: VecDeque::new(),
        };
        while !stop_requested(&shutdown) {
            let wait = self.step(&*feed, &mut state, &mut backoff).await;
            let pause = match wait {
                Wait::No => continue,
                Wait::Poll => self.config.poll_interval(),
                Wait::Backoff => backoff.next_delay(),
            };
            let nudge = matches!(wait, Wait::Poll).then_some(&*self.nudge);
            if pause_for(&mut shutdown, pause, nudge).await {
                break;
            }
        }
        if let Some(conn) = state.conn.take() {
            conn.close(CLOSE_TIMEOUT).await;
        }
        self.status.update(|s| {
            s.connected = false;
            s.stopped = true;
        });
    }

    async fn load_cursor(
        &self,
        feed: &dyn AuditFeed,
        shutdown: &mut watch::Receiver<bool>,
        backoff: &mut Backoff,
    ) -> Option<Option<u64>> {
        loop {
            match feed.load_cursor().await {
                Ok(cursor) => {
                    self.status.update(|s| s.saved_cursor = cursor);
                    return Some(cursor);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "syslog forwarder: cannot load the cursor");
                    self.status.fail(ErrorCategory::Feed, None);
                    if pause_for(shutdown, backoff.next_delay(), None).await {
                        return None;
                    }
                }
            }
        }
    }

    /// One round: check the connection, read a batch, send it, save the cursor.
    async fn step(&self, feed: &dyn AuditFeed, state: &mut State, backoff: &mut Backoff) -> Wait {
        state.check_connection(&self.status);

        let batch = match feed
            .events_after(state.cursor, self.config.batch_size)
            .await
        {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(error = %e, "syslog forwarder: cannot read the audit feed");
                self.status.fail(ErrorCategory::Feed, None);
                return Wait::Backoff;
            }
        };
        // Never trust the feed to honour `limit` or the order: a longer batch would break
        // the bound on one write, a disordered one the cursor.
        let batch = &batch[..batch.len().min(self.config.batch_size)];
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Wait::Poll;
        };
        let mut previous = state.cursor;
        for event in batch {
            if previous.is_some_and(|p| event.seq <= p) {
                let e = FeedError::OutOfOrder {
                    after: previous,
                    got: event.seq,
                };
                tracing::warn!(error = %e, "syslog forwarder: audit feed out of order");
                self.status.fail(ErrorCategory::Feed, Some(event.seq));
                return Wait::Backoff;
            }
            previous = Some(event.seq);
        }

        let bytes = match self.frames(batch) {
            Ok(bytes) => bytes,
            Err((seq, e)) => {
                tracing::error!(error = %e, seq, "syslog forwarder: stalled on an event");
                self.status.fail(ErrorCategory::Format, Some(seq));
                return Wait::Backoff;
            }
        };

        let conn = match &mut state.conn {
            Some(conn) => conn,
            slot @ None => match self.connector.connect().await {
                Ok(conn) => {
                    tracing::info!("syslog forwarder: connected to the SIEM");
                    self.status.update(|s| {
                        s.connected = true;
                        s.connections += 1;
                    });
                    slot.insert(conn)
                }
                Err(e) => {
                    tracing::warn!(error = %e, seq = first.seq, "syslog forwarder: cannot connect");
                    self.status.fail(e.category(), Some(first.seq));
                    return Wait::Backoff;
                }
            },
        };

        if let Err(e) = conn.send(&bytes, self.config.write_timeout()).await {
            tracing::warn!(error = %e, seq = first.seq, "syslog forwarder: write failed");
            self.status.fail(e.category(), Some(first.seq));
            state.drop_connection(&self.status);
            return Wait::Backoff;
        }
        state.unsettled.push_back(Unsettled {
            cursor_before: state.cursor,
            sent_at: Instant::now(),
        });
        state.cursor = Some(last.seq);
        backoff.reset();
        self.status.update(|s| {
            s.last_sent_seq = Some(last.seq);
            s.events_sent += batch.len() as u64;
            s.consecutive_failures = 0;
        });

        // At least once: the cursor moves only after the batch is flushed. If saving fails
        // the in-memory cursor still moves on (no resend in this process); a restart would
        // resend from the last saved cursor.
        match feed.save_cursor(last.seq).await {
            Ok(()) => self.status.update(|s| s.saved_cursor = Some(last.seq)),
            Err(e) => {
                tracing::warn!(error = %e, seq = last.seq, "syslog forwarder: cannot save the cursor");
                self.status.fail(ErrorCategory::Feed, Some(last.seq));
            }
        }
        Wait::No
    }

    /// The frames of a whole batch, back to back; or the first event that cannot be sent.
    fn frames(&self, batch: &[AuditEvent]) -> Result<Vec<u8>, (u64, FormatError)> {
        let mut out = Vec::with_capacity(batch.len() * 700);
        for event in batch {
            let framed = format_rfc5424_with(
                event,
                self.config.facility,
                &self.config.hostname,
                &self.config.app_name,
                self.config.max_message_len,
            )
            .and_then(|message| frame(&message, self.config.max_message_len))
            .map_err(|e| (event.seq, e))?;
            out.extend_from_slice(&framed);
        }
        Ok(out)
    }
}

/// What the run loop does after a step.
enum Wait {
    /// Go on at once (a batch was sent; there may be more).
    No,
    /// Nothing to send: wait for the poll interval or a nudge.
    Poll,
    /// Something failed: wait for the backoff delay.
    Backoff,
}

/// The loop's state between steps.
struct State {
    /// `seq` of the last event written, `None` before the first.
    cursor: Option<u64>,
    conn: Option<Connection>,
    /// The batches written on `conn` less than [`SETTLE`] ago, oldest first.
    unsettled: VecDeque<Unsettled>,
}

/// A batch that may still be in transit.
struct Unsettled {
    /// The cursor before the batch.
    cursor_before: Option<u64>,
    sent_at: Instant,
}

impl State {
    /// Drop the connection if the SIEM has ended the session; forget batches that have
    /// settled.
    fn check_connection(&mut self, status: &StatusHandle) {
        let Some(conn) = &mut self.conn else { return };
        if let Err(e) = conn.check_alive() {
            tracing::warn!(error = %e, "syslog forwarder: connection lost");
            status.fail(e.category(), None);
            self.drop_connection(status);
            return;
        }
        while self
            .unsettled
            .front()
            .is_some_and(|b| b.sent_at.elapsed() >= SETTLE)
        {
            self.unsettled.pop_front();
        }
    }

    /// Forget a failed connection, and rewind to resend its unsettled batches.
    fn drop_connection(&mut self, status: &StatusHandle) {
        self.conn = None;
        if let Some(oldest) = self.unsettled.front() {
            self.cursor = oldest.cursor_before;
        }
        self.unsettled.clear();
        status.update(|s| s.connected = false);
    }
}

/// 1 s, 2 s, 4 s, … up to 60 s.
struct Backoff {
    next: Duration,
}

impl Backoff {
    fn new() -> Self {
        Self { next: BACKOFF_MIN }
    }

    fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(BACKOFF_MAX);
        delay
    }

    fn reset(&mut self) {
        self.next = BACKOFF_MIN;
    }
}

fn stop_requested(shutdown: &watch::Receiver<bool>) -> bool {
    // A dropped sender means nobody can ask for shutdown any more: treat it as asked.
    *shutdown.borrow() || shutdown.has_changed().is_err()
}

/// Wait for `delay`, a nudge (if given) or shutdown; true on shutdown.
async fn pause_for(
    shutdown: &mut watch::Receiver<bool>,
    delay: Duration,
    nudge: Option<&Notify>,
) -> bool {
    if stop_requested(shutdown) {
        return true;
    }
    let nudged = async {
        match nudge {
            Some(n) => n.notified().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = tokio::time::sleep(delay) => false,
        () = nudged => false,
        // `Err` (sender dropped) is a shutdown too.
        _ = shutdown.wait_for(|stop| *stop) => true,
    }
}

#[cfg(test)]
mod tests {
    use audit::{Actor, EventKind};
    use model::Timestamp;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    use super::*;

    /// Events in memory; `events_after` returns what is stored, in storage order, so a test
    /// can store a disordered log.
    #[derive(Default)]
    struct Feed {
        events: Mutex<Vec<AuditEvent>>,
        cursor: Mutex<Option<u64>>,
    }

    #[async_trait]
    impl AuditFeed for Feed {
        async fn events_after(
            &self,
            after: Option<u64>,
            limit: usize,
        ) -> Result<Vec<AuditEvent>, FeedError> {
            let events = self.events.lock().expect("lock");
            let start = events
                .iter()
                .position(|e| after.is_none_or(|a| e.seq > a))
                .unwrap_or(events.len());
            Ok(events[start..].iter().take(limit).cloned().collect())
        }
        async fn load_cursor(&self) -> Result<Option<u64>, FeedError> {
            Ok(*self.cursor.lock().expect("lock"))
        }
        async fn save_cursor(&self, seq: u64) -> Result<(), FeedError> {
            *self.cursor.lock().expect("lock") = Some(seq);
            Ok(())
        }
    }

    fn event(seq: u64) -> AuditEvent {
        AuditEvent::new(
            seq,
            Timestamp::from_millis(1_796_000_000_000),
            Actor::System {
                component: "test".into(),
            },
            EventKind::AuthLogin,
        )
    }

    /// A plaintext receiver on a free loopback port that keeps every byte it reads.
    async fn receiver() -> (String, Arc<Mutex<Vec<u8>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("addr").to_string();
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let sink = sink.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = stream.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        sink.lock().expect("lock").extend_from_slice(&buf[..n]);
                    }
                });
            }
        });
        (address, received)
    }

    /// The seqs of the frames received so far.
    fn seqs(received: &Mutex<Vec<u8>>) -> Vec<u64> {
        let bytes = received.lock().expect("lock").clone();
        let text = String::from_utf8(bytes).expect("utf-8");
        let mut rest = text.as_str();
        let mut out = Vec::new();
        while let Some((len, after)) = rest.split_once(' ') {
            let len: usize = len.parse().expect("octet count");
            let (message, tail) = after.split_at(len);
            let seq = message
                .split("seq=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .expect("seq");
            out.push(seq);
            rest = tail;
        }
        out
    }

    async fn run_until(
        feed: Arc<Feed>,
        address: String,
        done: impl Fn(&SyslogStatus) -> bool,
    ) -> SyslogStatus {
        let mut config = SyslogConfig::new(address);
        config.insecure_plaintext = true;
        config.batch_size = 2;
        config.poll_interval_ms = 20;
        let fwd = SyslogForwarder::new(config).expect("config");
        let status = fwd.status();
        let (stop, rx) = watch::channel(false);
        let task = tokio::spawn(fwd.run(feed, rx));
        let start = Instant::now();
        while !done(&status.snapshot()) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{:?}",
                status.snapshot()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stop.send(true).expect("running");
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("stops promptly, even in a backoff wait")
            .expect("no panic");
        status.snapshot()
    }

    #[tokio::test]
    async fn an_event_that_cannot_be_formatted_stalls_the_stream_instead_of_being_skipped() {
        let (address, received) = receiver().await;
        let feed = Arc::new(Feed::default());
        let bad = event(3).with_detail("note", "free text");
        *feed.events.lock().expect("lock") = vec![event(0), event(1), event(2), bad, event(4)];
        let status = run_until(feed.clone(), address, |s| {
            s.last_error == Some(ErrorCategory::Format)
        })
        .await;
        // The batch holding the bad event (2 and 3) is not sent at all; 4 is never reached.
        assert_eq!(status.last_error_seq, Some(3));
        assert_eq!(status.last_sent_seq, Some(1));
        assert_eq!(*feed.cursor.lock().expect("lock"), Some(1));
        assert_eq!(seqs(&received), [0, 1]);
    }

    #[tokio::test]
    async fn a_feed_that_returns_events_out_of_order_is_not_followed() {
        let (address, received) = receiver().await;
        let feed = Arc::new(Feed::default());
        *feed.events.lock().expect("lock") = vec![event(0), event(1), event(5), event(4)];
        let status = run_until(feed.clone(), address, |s| {
            s.last_error == Some(ErrorCategory::Feed)
        })
        .await;
        assert_eq!(
            (status.last_error_seq, status.last_sent_seq),
            (Some(4), Some(1))
        );
        assert_eq!(seqs(&received), [0, 1]);
    }

    #[tokio::test]
    async fn a_saved_cursor_is_where_sending_resumes() {
        let (address, received) = receiver().await;
        let feed = Arc::new(Feed::default());
        *feed.events.lock().expect("lock") = (0..7).map(event).collect();
        *feed.cursor.lock().expect("lock") = Some(3);
        let status = run_until(feed.clone(), address, |s| s.saved_cursor == Some(6)).await;
        assert_eq!((status.events_sent, status.connections), (3, 1));
        assert_eq!(seqs(&received), [4, 5, 6]);
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_and_reported() {
        // A port that was free a moment ago: connecting is refused.
        let address = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").to_string()
        };
        let feed = Arc::new(Feed::default());
        *feed.events.lock().expect("lock") = vec![event(0)];
        let status = run_until(feed.clone(), address, |s| s.consecutive_failures >= 2).await;
        assert_eq!(status.last_error, Some(ErrorCategory::Connect));
        assert_eq!((status.last_sent_seq, status.connected), (None, false));
        assert_eq!(*feed.cursor.lock().expect("lock"), None);
    }

    #[test]
    fn backoff_doubles_from_one_second_to_a_minute() {
        let mut b = Backoff::new();
        let delays: Vec<u64> = (0..9).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        b.reset();
        assert_eq!(b.next_delay(), BACKOFF_MIN);
    }

    #[test]
    fn error_categories_have_stable_names() {
        let all = [
            ErrorCategory::Connect,
            ErrorCategory::Tls,
            ErrorCategory::Write,
            ErrorCategory::Timeout,
            ErrorCategory::Feed,
            ErrorCategory::Format,
        ];
        for c in all {
            let json = serde_json::to_string(&c).expect("json");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }
}
