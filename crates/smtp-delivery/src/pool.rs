//! Idle sessions kept per next hop, and the cap on connections per next hop.
//!
//! Every live session (busy or idle) holds one permit of its destination's semaphore, so
//! `max_connections_per_destination` bounds what the next hop sees. A caller that finds no
//! idle session waits for either a free permit (then opens a new session) or a session
//! coming back to the pool (then reuses it), whichever is first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::session::Session;

/// What [`Destination::checkout`] hands out.
pub(crate) enum Checkout {
    /// An idle session, already through STARTTLS and EHLO.
    Idle(Box<Session>),
    /// A free connection slot: open a new session with it.
    New(OwnedSemaphorePermit),
}

/// One next hop (`host:port`).
pub(crate) struct Destination {
    slots: Arc<Semaphore>,
    idle: Mutex<Vec<Session>>,
    returned: Notify,
}

impl Destination {
    fn new(max_connections: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max_connections)),
            idle: Mutex::new(Vec::new()),
            returned: Notify::new(),
        }
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Session>> {
        // A panic while holding this lock cannot leave the Vec inconsistent.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The most recently used idle session younger than `ttl`; older ones are dropped
    /// (which frees their slots).
    fn take_idle(&self, ttl: Duration) -> Option<Box<Session>> {
        let mut idle = self.idle();
        while let Some(s) = idle.pop() {
            if s.idle_since.elapsed() < ttl {
                return Some(Box::new(s));
            }
        }
        None
    }

    /// An idle session, or a slot for a new one (waiting while all slots are busy).
    pub(crate) async fn checkout(&self, ttl: Duration) -> Checkout {
        loop {
            if let Some(s) = self.take_idle(ttl) {
                return Checkout::Idle(s);
            }
            let returned = self.returned.notified();
            tokio::pin!(returned);
            returned.as_mut().enable();
            if let Some(s) = self.take_idle(ttl) {
                return Checkout::Idle(s);
            }
            tokio::select! {
                permit = self.slots.clone().acquire_owned() => {
                    // The semaphore is never closed.
                    return Checkout::New(permit.expect("destination semaphore is never closed"));
                }
                () = &mut returned => {}
            }
        }
    }

    /// Give a healthy session back for reuse.
    pub(crate) fn put_back(&self, session: Box<Session>) {
        self.idle().push(*session);
        self.returned.notify_one();
    }

    /// Drop idle sessions older than `ttl`; returns how many are left.
    fn sweep(&self, ttl: Duration) -> usize {
        let mut idle = self.idle();
        idle.retain(|s| s.idle_since.elapsed() < ttl);
        idle.len()
    }

    fn take_all(&self) -> Vec<Session> {
        std::mem::take(&mut *self.idle())
    }
}

/// All destinations.
pub(crate) struct Pool {
    max_connections: usize,
    destinations: Mutex<HashMap<String, Arc<Destination>>>,
}

impl Pool {
    pub(crate) fn new(max_connections: usize) -> Self {
        Self {
            max_connections,
            destinations: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, Arc<Destination>>> {
        self.destinations.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The destination for a `host:port` key, created on first use.
    pub(crate) fn destination(&self, key: &str) -> Arc<Destination> {
        let mut map = self.map();
        if let Some(d) = map.get(key) {
            return d.clone();
        }
        let d = Arc::new(Destination::new(self.max_connections));
        map.insert(key.to_string(), d.clone());
        d
    }

    /// Drop expired idle sessions, and forget destinations nobody uses.
    pub(crate) fn sweep(&self, ttl: Duration) {
        self.map().retain(|_, d| {
            let left = d.sweep(ttl);
            // Only the map holds it and it has no idle sessions: no session can hold its
            // slots (a busy session's caller holds an Arc), so it is safe to forget.
            left > 0 || Arc::strong_count(d) > 1
        });
    }

    /// Number of idle sessions over all destinations.
    pub(crate) fn idle_count(&self) -> usize {
        self.map().values().map(|d| d.idle().len()).sum()
    }

    /// Remove every idle session (for shutdown).
    pub(crate) fn drain(&self) -> Vec<Session> {
        self.map().values().flat_map(|d| d.take_all()).collect()
    }
}
