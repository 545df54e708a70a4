//! Reads on the delivery path through synchronous connections on tokio's blocking pool.
//!
//! sqlx runs each of its SQLite connections on a thread of its own and hands the statement,
//! every row and the end of the result between that thread and the caller's task: about
//! 100 µs of CPU for a one-row read, 9% of carepost's CPU at one SMTP session for the three
//! reads each delivered copy makes (the message, its sealed body, the next due time). Here
//! a read is one hand-off to a blocking-pool thread that owns a connection for the
//! duration of the closure, and one back.
//!
//! The connections are read-only (`SQLITE_OPEN_READ_ONLY`): WAL lets them read alongside
//! the writer thread, each seeing the last committed state when its statement starts. They
//! are opened lazily and kept idle for reuse, at most [`MAX_IDLE`] of them; a burst beyond
//! that opens extra connections that are closed after their read.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use storage::StorageError;

use crate::rows::map_sql;

/// Idle read connections kept open (the blocking pool runs more threads than this only in
/// bursts, and two cores gain nothing from more readers).
const MAX_IDLE: usize = 8;

/// Prepared statements kept per connection: the reads this module serves.
const STATEMENT_CACHE: usize = 16;

/// A pool of read-only rusqlite connections to one database file.
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub(crate) fn new(path: PathBuf) -> Arc<Readers> {
        Arc::new(Readers {
            path,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Run `read` on a blocking-pool thread with a connection of the pool.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, read: F) -> storage::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> storage::Result<T> + Send + 'static,
    {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = this.take()?;
            let out = read(&conn);
            this.give_back(conn);
            out
        })
        .await
        .map_err(|_| StorageError::Unavailable("sqlite read task failed".into()))?
    }

    fn take(&self) -> storage::Result<Connection> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(map_sql)?;
        conn.busy_timeout(crate::BUSY_TIMEOUT).map_err(map_sql)?;
        // As on the writer: plans never depend on bound values (see open_writer_connection).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(map_sql)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }
}
