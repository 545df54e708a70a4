//! [`PortalStore`] for SQLite (tables from `migrations/0006_portal.sql` and
//! `migrations/0007_portal_sms.sql`).
//!
//! Reads use the read pool. Every write, including those without audit events (a session
//! touch, a counted code guess), goes through the single writer as one [`PortalOp`], so it
//! shares the group commit and the audit events commit in the same savepoint as the change
//! (see `writer.rs`). A write that changes nothing replies `Reply::Changed(false)`, which
//! the writer takes as "append no events"; `mark_portal_copy` instead replies
//! `Reply::Count(0 | 1)` because its events are recorded whether or not it stamped.

use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use model::{EmailAddress, PortalCopyId, PortalItemId, TenantId, Timestamp};
use storage::{
    AuditEvents, NewPortalCopy, PortalCode, PortalCodeChannel, PortalCopy, PortalFilter,
    PortalLanding, PortalMilestone, PortalPasskey, PortalReading, PortalReply, PortalSession,
    PortalStore, RecipientRecord, StorageError,
};

use crate::SqliteStore;
use crate::rows::{
    self, corrupt, get, map_err, map_sql, parse, recipient_cols, ts, ts_opt, u32_col,
};
use crate::writer::{Op, Reply};

/// Rows returned by `portal_copies` when the filter's limit is 0.
const DEFAULT_PORTAL_LIMIT: u32 = 100;

/// Columns of `portal_copies` in the order [`copy`] reads them.
macro_rules! copy_cols {
    () => {
        "id, tenant, message, recipient, address, sender, token_hash, created, expires, \
         read_notice, notified, verified, opened, downloaded, replied, revoked, expiry_recorded, \
         passcode_hash"
    };
}

macro_rules! code_cols {
    () => {
        "id, copy, code_hash, created, expires, attempts, used, channel"
    };
}

macro_rules! session_cols {
    () => {
        "id_hash, tenant, address, method, csrf_token, created, last_seen, expires, ceremony"
    };
}

macro_rules! passkey_cols {
    () => {
        "credential_id, tenant, address, passkey, created, last_used"
    };
}

/// One portal write, run by the writer thread.
pub(crate) enum PortalOp {
    /// Boxed: a copy is far larger than every other op (it carries the sealed content).
    CreateCopy(Box<NewPortalCopy>),
    SetToken {
        id: PortalCopyId,
        token_hash: String,
    },
    /// Replies `Count(1)` if it stamped the milestone, `Count(0)` if it was stamped already.
    Mark {
        id: PortalCopyId,
        milestone: PortalMilestone,
        at: Timestamp,
    },
    Revoke {
        id: PortalCopyId,
        at: Timestamp,
    },
    CreateCode(PortalCode),
    /// Replies `Count(attempts)`, or `Count(0)` if the code was locked already.
    CountAttempt {
        id: PortalItemId,
        max_attempts: u32,
    },
    UseCode {
        id: PortalItemId,
        at: Timestamp,
    },
    CreateSession(PortalSession),
    Touch {
        id_hash: String,
        at: Timestamp,
    },
    SetCeremony {
        id_hash: String,
        ceremony: Option<String>,
    },
    EndSession {
        id_hash: String,
    },
    PurgeSessions {
        now: Timestamp,
        idle: Duration,
    },
    AddPasskey(PortalPasskey),
    UpdatePasskey {
        credential_id: String,
        passkey: String,
        at: Timestamp,
    },
    AddReply {
        reply: PortalReply,
        sealed: Vec<u8>,
    },
}

impl PortalOp {
    /// Sealed bytes carried (counts toward the writer's batch size limit).
    pub(crate) fn body_bytes(&self) -> usize {
        match self {
            PortalOp::CreateCopy(c) => c.sealed.len() + c.sms_number.as_ref().map_or(0, Vec::len),
            PortalOp::AddReply { sealed, .. } => sealed.len(),
            _ => 0,
        }
    }
}

#[async_trait]
impl PortalStore for SqliteStore {
    async fn portal_pending(&self, limit: u32) -> storage::Result<Vec<RecipientRecord>> {
        // Oldest first: recipient ids are UUIDv7, so id order is arrival order.
        let rows = sqlx::query(concat!(
            "SELECT ",
            recipient_cols!(),
            " FROM recipients r WHERE r.status = 'awaiting-portal' \
               AND NOT EXISTS (SELECT 1 FROM portal_copies c WHERE c.recipient = r.id) \
             ORDER BY r.id LIMIT ?"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::recipient).collect()
    }

    async fn create_portal_copy(
        &self,
        copy: &NewPortalCopy,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.portal_done(PortalOp::CreateCopy(Box::new(copy.clone())), audit)
            .await
    }

    async fn portal_copy(&self, id: PortalCopyId) -> storage::Result<PortalCopy> {
        let row = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        copy(&row)
    }

    async fn portal_copy_by_token(&self, token_hash: &str) -> storage::Result<PortalCopy> {
        let row = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        copy(&row)
    }

    async fn portal_content(&self, id: PortalCopyId) -> storage::Result<Vec<u8>> {
        let row = sqlx::query("SELECT sealed FROM portal_contents WHERE copy = ?")
            .bind(id.to_string())
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }

    async fn portal_sms_number(&self, id: PortalCopyId) -> storage::Result<Option<Vec<u8>>> {
        // One query answers both "no copy" (NotFound) and "no number" (NULL).
        let row = sqlx::query(
            "SELECT s.sealed AS sealed FROM portal_copies c \
             LEFT JOIN portal_sms_numbers s ON s.copy = c.id WHERE c.id = ?",
        )
        .bind(id.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }

    async fn portal_copies(&self, filter: &PortalFilter) -> storage::Result<Vec<PortalCopy>> {
        let limit = if filter.limit == 0 {
            DEFAULT_PORTAL_LIMIT
        } else {
            filter.limit
        };
        // One static statement: every condition is disabled by a NULL parameter.
        let rows = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies \
             WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR message = ?2) \
               AND (?3 IS NULL OR address = ?3) \
             ORDER BY created DESC, id DESC LIMIT ?4"
        ))
        .bind(filter.tenant.map(|t| t.to_string()))
        .bind(filter.message.map(|m| m.to_string()))
        .bind(filter.address.as_ref().map(|a| a.to_string()))
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(copy).collect()
    }

    async fn portal_unnotified(&self, limit: u32) -> storage::Result<Vec<PortalCopy>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE notified IS NULL AND revoked IS NULL \
             ORDER BY created, id LIMIT ?"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(copy).collect()
    }

    async fn portal_expired_unrecorded(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> storage::Result<Vec<PortalCopy>> {
        // Oldest expiry first; `expires <= now` is "expired", as in `PortalCopy::state`.
        let rows = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE expiry_recorded IS NULL AND expires <= ? \
             ORDER BY expires, id LIMIT ?"
        ))
        .bind(now.as_millis())
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(copy).collect()
    }

    async fn set_portal_token(
        &self,
        id: PortalCopyId,
        token_hash: &str,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let op = PortalOp::SetToken {
            id,
            token_hash: token_hash.to_string(),
        };
        self.portal_done(op, audit).await
    }

    async fn mark_portal_copy(
        &self,
        id: PortalCopyId,
        milestone: PortalMilestone,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let op = PortalOp::Mark { id, milestone, at };
        match self.write(Op::Portal(op), audit).await? {
            Reply::Count(n) => Ok(n == 1),
            _ => Err(unexpected()),
        }
    }

    async fn revoke_portal_copy(
        &self,
        id: PortalCopyId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        self.portal_changed(PortalOp::Revoke { id, at }, audit)
            .await
    }

    async fn create_portal_code(
        &self,
        code: &PortalCode,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.portal_done(PortalOp::CreateCode(code.clone()), audit)
            .await
    }

    async fn portal_codes_since(
        &self,
        copy: PortalCopyId,
        since: Timestamp,
    ) -> storage::Result<u32> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM portal_codes WHERE copy = ? AND created >= ?")
                .bind(copy.to_string())
                .bind(since.as_millis())
                .fetch_one(&self.read)
                .await
                .map_err(map_err)?;
        u32_col(&row, "n")
    }

    async fn live_portal_code(
        &self,
        copy: PortalCopyId,
        now: Timestamp,
        max_attempts: u32,
    ) -> storage::Result<Option<PortalCode>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            code_cols!(),
            " FROM portal_codes \
             WHERE copy = ? AND used IS NULL AND expires > ? AND attempts < ? \
             ORDER BY created DESC, id DESC LIMIT 1"
        ))
        .bind(copy.to_string())
        .bind(now.as_millis())
        .bind(i64::from(max_attempts))
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.as_ref().map(code).transpose()
    }

    async fn count_portal_code_attempt(
        &self,
        id: PortalItemId,
        max_attempts: u32,
    ) -> storage::Result<Option<u32>> {
        let op = PortalOp::CountAttempt { id, max_attempts };
        match self.write(Op::Portal(op), &[]).await? {
            Reply::Count(0) => Ok(None),
            Reply::Count(n) => u32::try_from(n).map(Some).map_err(|_| corrupt("attempts")),
            _ => Err(unexpected()),
        }
    }

    async fn portal_failed_attempts_since(
        &self,
        copy: PortalCopyId,
        since: Timestamp,
    ) -> storage::Result<u32> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(attempts), 0) AS n FROM portal_codes \
             WHERE copy = ? AND created >= ?",
        )
        .bind(copy.to_string())
        .bind(since.as_millis())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        u32_col(&row, "n")
    }

    async fn use_portal_code(
        &self,
        id: PortalItemId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        self.portal_changed(PortalOp::UseCode { id, at }, audit)
            .await
    }

    async fn create_portal_session(
        &self,
        session: &PortalSession,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.portal_done(PortalOp::CreateSession(session.clone()), audit)
            .await
    }

    async fn portal_session(&self, id_hash: &str) -> storage::Result<PortalSession> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM portal_sessions WHERE id_hash = ?"
        ))
        .bind(id_hash)
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        session(&row)
    }

    async fn touch_portal_session(&self, id_hash: &str, at: Timestamp) -> storage::Result<()> {
        let op = PortalOp::Touch {
            id_hash: id_hash.to_string(),
            at,
        };
        self.portal_done(op, &[]).await
    }

    async fn set_portal_ceremony(
        &self,
        id_hash: &str,
        ceremony: Option<&str>,
    ) -> storage::Result<()> {
        let op = PortalOp::SetCeremony {
            id_hash: id_hash.to_string(),
            ceremony: ceremony.map(str::to_string),
        };
        self.portal_done(op, &[]).await
    }

    async fn end_portal_session(
        &self,
        id_hash: &str,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let op = PortalOp::EndSession {
            id_hash: id_hash.to_string(),
        };
        self.portal_changed(op, audit).await.map(|_| ())
    }

    async fn purge_portal_sessions(&self, now: Timestamp, idle: Duration) -> storage::Result<u64> {
        match self
            .write(Op::Portal(PortalOp::PurgeSessions { now, idle }), &[])
            .await?
        {
            Reply::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    async fn add_portal_passkey(
        &self,
        passkey: &PortalPasskey,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.portal_done(PortalOp::AddPasskey(passkey.clone()), audit)
            .await
    }

    async fn portal_passkeys(
        &self,
        tenant: TenantId,
        address: &EmailAddress,
    ) -> storage::Result<Vec<PortalPasskey>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            passkey_cols!(),
            " FROM portal_passkeys WHERE tenant = ? AND address = ? \
             ORDER BY created, credential_id"
        ))
        .bind(tenant.to_string())
        .bind(address.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(passkey).collect()
    }

    async fn update_portal_passkey(
        &self,
        credential_id: &str,
        passkey: &str,
        at: Timestamp,
    ) -> storage::Result<()> {
        let op = PortalOp::UpdatePasskey {
            credential_id: credential_id.to_string(),
            passkey: passkey.to_string(),
            at,
        };
        self.portal_done(op, &[]).await
    }

    async fn add_portal_reply(
        &self,
        reply: &PortalReply,
        sealed: &[u8],
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let op = PortalOp::AddReply {
            reply: reply.clone(),
            sealed: sealed.to_vec(),
        };
        self.portal_done(op, audit).await
    }

    async fn portal_replies(&self, copy: PortalCopyId) -> storage::Result<Vec<PortalReply>> {
        let rows = sqlx::query(
            "SELECT id, copy, message, created FROM portal_replies WHERE copy = ? \
             ORDER BY created, id",
        )
        .bind(copy.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(reply).collect()
    }

    async fn portal_reply_content(&self, id: PortalItemId) -> storage::Result<Vec<u8>> {
        let row = sqlx::query("SELECT sealed FROM portal_replies WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }

    // One statement instead of four: every pooled query costs a round trip to the
    // connection's thread plus a ping on acquire and on release (sqlx's default), and that,
    // not SQLite, is most of a portal page's time under load.
    async fn portal_landing(
        &self,
        token_hash: &str,
        failed_since: Timestamp,
    ) -> storage::Result<PortalLanding> {
        let row = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            ", (SELECT COALESCE(SUM(k.attempts), 0) FROM portal_codes k \
                 WHERE k.copy = portal_copies.id AND k.created >= ?2) AS failed_attempts, \
               EXISTS (SELECT 1 FROM portal_passkeys p WHERE p.tenant = portal_copies.tenant \
                 AND p.address = portal_copies.address) AS has_passkey, \
               (SELECT n.sealed FROM portal_sms_numbers n WHERE n.copy = portal_copies.id) \
                 AS sms_sealed \
             FROM portal_copies WHERE token_hash = ?1"
        ))
        .bind(token_hash)
        .bind(failed_since.as_millis())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        Ok(PortalLanding {
            copy: copy(&row)?,
            failed_attempts: u32_col(&row, "failed_attempts")?,
            has_passkey: get(&row, "has_passkey")?,
            sms_number: get(&row, "sms_sealed")?,
        })
    }

    async fn portal_reading(
        &self,
        session_hash: &str,
        copy_id: PortalCopyId,
    ) -> storage::Result<PortalReading> {
        // The session's columns keep their names; the copy's are prefixed `c_` (both have
        // `tenant`, `address`, `created` and `expires`).
        let row = sqlx::query(
            "SELECT s.id_hash AS id_hash, s.tenant AS tenant, s.address AS address, \
               s.method AS method, s.csrf_token AS csrf_token, s.created AS created, \
               s.last_seen AS last_seen, s.expires AS expires, s.ceremony AS ceremony, \
               c.id AS c_id, c.tenant AS c_tenant, c.message AS c_message, \
               c.recipient AS c_recipient, c.address AS c_address, c.sender AS c_sender, \
               c.token_hash AS c_token_hash, c.created AS c_created, c.expires AS c_expires, \
               c.read_notice AS c_read_notice, c.notified AS c_notified, \
               c.verified AS c_verified, c.opened AS c_opened, c.downloaded AS c_downloaded, \
               c.replied AS c_replied, c.revoked AS c_revoked, \
               c.expiry_recorded AS c_expiry_recorded, c.passcode_hash AS c_passcode_hash, \
               CASE WHEN c.id IS NULL THEN 0 ELSE EXISTS (SELECT 1 FROM portal_passkeys p \
                 WHERE p.tenant = c.tenant AND p.address = c.address) END AS has_passkey, \
               (SELECT COUNT(*) FROM portal_replies r WHERE r.copy = c.id) AS replies, \
               (SELECT t.sealed FROM portal_contents t WHERE t.copy = c.id) AS sealed \
             FROM portal_sessions s LEFT JOIN portal_copies c ON c.id = ?2 \
             WHERE s.id_hash = ?1",
        )
        .bind(session_hash)
        .bind(copy_id.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        let copy = if get::<Option<String>>(&row, "c_id")?.is_some() {
            Some(prefixed_copy(&row)?)
        } else {
            None
        };
        Ok(PortalReading {
            session: session(&row)?,
            copy,
            has_passkey: get(&row, "has_passkey")?,
            replies: u32_col(&row, "replies")?,
            sealed: get(&row, "sealed")?,
        })
    }
}

impl SqliteStore {
    async fn portal_done(&self, op: PortalOp, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write_done(Op::Portal(op), audit).await
    }

    async fn portal_changed(&self, op: PortalOp, audit: AuditEvents<'_>) -> storage::Result<bool> {
        match self.write(Op::Portal(op), audit).await? {
            Reply::Changed(changed) => Ok(changed),
            _ => Err(unexpected()),
        }
    }
}

fn unexpected() -> StorageError {
    StorageError::Other("unexpected writer reply".to_string())
}

/// Apply one portal write on the writer's connection, inside its transaction (or savepoint).
pub(crate) fn apply(conn: &Connection, op: &PortalOp) -> storage::Result<Reply> {
    match op {
        PortalOp::CreateCopy(new) => {
            let c = &new.copy;
            let id = c.id.to_string();
            conn.prepare_cached(concat!(
                "INSERT INTO portal_copies (",
                copy_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .map_err(map_sql)?
            .execute(params![
                &id,
                c.tenant.to_string(),
                c.message.to_string(),
                c.recipient.to_string(),
                c.address.to_string(),
                c.sender.as_ref().map(|a| a.to_string()),
                &c.token_hash,
                c.created.as_millis(),
                c.expires.as_millis(),
                c.read_notice,
                millis(c.notified),
                millis(c.verified),
                millis(c.opened),
                millis(c.downloaded),
                millis(c.replied),
                millis(c.revoked),
                millis(c.expiry_recorded),
                c.passcode_hash.as_deref(),
            ])
            .map_err(map_sql)?;
            conn.prepare_cached("INSERT INTO portal_contents (copy, sealed) VALUES (?, ?)")
                .map_err(map_sql)?
                .execute(params![&id, &new.sealed])
                .map_err(map_sql)?;
            if let Some(number) = &new.sms_number {
                conn.prepare_cached("INSERT INTO portal_sms_numbers (copy, sealed) VALUES (?, ?)")
                    .map_err(map_sql)?
                    .execute(params![&id, number])
                    .map_err(map_sql)?;
            }
            Ok(Reply::Done)
        }
        PortalOp::SetToken { id, token_hash } => {
            let rows = conn
                .prepare_cached("UPDATE portal_copies SET token_hash = ? WHERE id = ?")
                .map_err(map_sql)?
                .execute(params![token_hash, id.to_string()])
                .map_err(map_sql)?;
            found(rows)
        }
        PortalOp::Mark { id, milestone, at } => {
            let rows = conn
                .prepare_cached(mark_sql(*milestone))
                .map_err(map_sql)?
                .execute(params![at.as_millis(), id.to_string()])
                .map_err(map_sql)?;
            if rows > 0 {
                return Ok(Reply::Count(1));
            }
            if copy_exists(conn, *id)? {
                Ok(Reply::Count(0))
            } else {
                Err(StorageError::NotFound)
            }
        }
        PortalOp::Revoke { id, at } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE portal_copies SET revoked = ? WHERE id = ? AND revoked IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), id.to_string()])
                .map_err(map_sql)?;
            if rows > 0 {
                return Ok(Reply::Changed(true));
            }
            if copy_exists(conn, *id)? {
                Ok(Reply::Changed(false))
            } else {
                Err(StorageError::NotFound)
            }
        }
        PortalOp::CreateCode(c) => {
            conn.prepare_cached(concat!(
                "INSERT INTO portal_codes (",
                code_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .map_err(map_sql)?
            .execute(params![
                c.id.to_string(),
                c.copy.to_string(),
                &c.code_hash,
                c.created.as_millis(),
                c.expires.as_millis(),
                i64::from(c.attempts),
                millis(c.used),
                c.channel.as_str(),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        PortalOp::CountAttempt { id, max_attempts } => {
            // One statement: the guess is counted only while the code is below the limit.
            let attempts = conn
                .prepare_cached(
                    "UPDATE portal_codes SET attempts = attempts + 1 \
                     WHERE id = ? AND attempts < ? RETURNING attempts",
                )
                .map_err(map_sql)?
                .query_row(params![id.to_string(), i64::from(*max_attempts)], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()
                .map_err(map_sql)?;
            match attempts {
                Some(n) => Ok(Reply::Count(
                    u64::try_from(n).map_err(|_| corrupt("attempts"))?,
                )),
                None if code_exists(conn, *id)? => Ok(Reply::Count(0)),
                None => Err(StorageError::NotFound),
            }
        }
        PortalOp::UseCode { id, at } => {
            let rows = conn
                .prepare_cached("UPDATE portal_codes SET used = ? WHERE id = ? AND used IS NULL")
                .map_err(map_sql)?
                .execute(params![at.as_millis(), id.to_string()])
                .map_err(map_sql)?;
            if rows > 0 {
                return Ok(Reply::Changed(true));
            }
            if code_exists(conn, *id)? {
                Ok(Reply::Changed(false))
            } else {
                Err(StorageError::NotFound)
            }
        }
        PortalOp::CreateSession(s) => {
            conn.prepare_cached(concat!(
                "INSERT INTO portal_sessions (",
                session_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .map_err(map_sql)?
            .execute(params![
                &s.id_hash,
                s.tenant.to_string(),
                s.address.to_string(),
                &s.method,
                &s.csrf_token,
                s.created.as_millis(),
                s.last_seen.as_millis(),
                s.expires.as_millis(),
                s.ceremony.as_deref(),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        PortalOp::Touch { id_hash, at } => {
            // Requests may finish out of order: last_seen never moves back.
            let rows = conn
                .prepare_cached(
                    "UPDATE portal_sessions SET last_seen = MAX(last_seen, ?) WHERE id_hash = ?",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), id_hash])
                .map_err(map_sql)?;
            found(rows)
        }
        PortalOp::SetCeremony { id_hash, ceremony } => {
            let rows = conn
                .prepare_cached("UPDATE portal_sessions SET ceremony = ? WHERE id_hash = ?")
                .map_err(map_sql)?
                .execute(params![ceremony.as_deref(), id_hash])
                .map_err(map_sql)?;
            found(rows)
        }
        PortalOp::EndSession { id_hash } => {
            let rows = conn
                .prepare_cached("DELETE FROM portal_sessions WHERE id_hash = ?")
                .map_err(map_sql)?
                .execute(params![id_hash])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows > 0))
        }
        PortalOp::PurgeSessions { now, idle } => {
            let rows = conn
                .prepare_cached("DELETE FROM portal_sessions WHERE expires <= ? OR last_seen <= ?")
                .map_err(map_sql)?
                .execute(params![now.as_millis(), now.minus(*idle).as_millis()])
                .map_err(map_sql)?;
            Ok(Reply::Count(count(rows)))
        }
        PortalOp::AddPasskey(p) => {
            conn.prepare_cached(concat!(
                "INSERT INTO portal_passkeys (",
                passkey_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?)"
            ))
            .map_err(map_sql)?
            .execute(params![
                &p.credential_id,
                p.tenant.to_string(),
                p.address.to_string(),
                &p.passkey,
                p.created.as_millis(),
                millis(p.last_used),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        PortalOp::UpdatePasskey {
            credential_id,
            passkey,
            at,
        } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE portal_passkeys SET passkey = ?, last_used = ? WHERE credential_id = ?",
                )
                .map_err(map_sql)?
                .execute(params![passkey, at.as_millis(), credential_id])
                .map_err(map_sql)?;
            found(rows)
        }
        PortalOp::AddReply { reply, sealed } => {
            conn.prepare_cached(
                "INSERT INTO portal_replies (id, copy, message, created, sealed) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .map_err(map_sql)?
            .execute(params![
                reply.id.to_string(),
                reply.copy.to_string(),
                reply.message.to_string(),
                reply.created.as_millis(),
                sealed,
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
    }
}

/// The statement that stamps `milestone` only if it is not stamped yet (`?1` = at, `?2` =
/// id). One static statement per column: SQL is never built from values.
fn mark_sql(milestone: PortalMilestone) -> &'static str {
    macro_rules! stamp {
        ($col:literal) => {
            concat!(
                "UPDATE portal_copies SET ",
                $col,
                " = ?1 WHERE id = ?2 AND ",
                $col,
                " IS NULL"
            )
        };
    }
    match milestone {
        PortalMilestone::Notified => stamp!("notified"),
        PortalMilestone::Verified => stamp!("verified"),
        PortalMilestone::Opened => stamp!("opened"),
        PortalMilestone::Downloaded => stamp!("downloaded"),
        PortalMilestone::Replied => stamp!("replied"),
        PortalMilestone::ExpiryRecorded => stamp!("expiry_recorded"),
    }
}

fn found(rows: usize) -> storage::Result<Reply> {
    if rows == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(Reply::Done)
    }
}

/// Rows changed, as the writer's reply counts them.
fn count(rows: usize) -> u64 {
    u64::try_from(rows).unwrap_or(u64::MAX)
}

fn copy_exists(conn: &Connection, id: PortalCopyId) -> storage::Result<bool> {
    let row = conn
        .prepare_cached("SELECT 1 AS one FROM portal_copies WHERE id = ?")
        .map_err(map_sql)?
        .query_row(params![id.to_string()], |r| r.get::<_, i64>(0))
        .optional()
        .map_err(map_sql)?;
    Ok(row.is_some())
}

fn code_exists(conn: &Connection, id: PortalItemId) -> storage::Result<bool> {
    let row = conn
        .prepare_cached("SELECT 1 AS one FROM portal_codes WHERE id = ?")
        .map_err(map_sql)?
        .query_row(params![id.to_string()], |r| r.get::<_, i64>(0))
        .optional()
        .map_err(map_sql)?;
    Ok(row.is_some())
}

fn millis(t: Option<Timestamp>) -> Option<i64> {
    t.map(Timestamp::as_millis)
}

// ── Row mapping ────────────────────────────────────────────────────────────────────────

fn copy(row: &SqliteRow) -> storage::Result<PortalCopy> {
    let sender: Option<String> = get(row, "sender")?;
    Ok(PortalCopy {
        id: parse(row, "id")?,
        tenant: parse(row, "tenant")?,
        message: parse(row, "message")?,
        recipient: parse(row, "recipient")?,
        address: parse(row, "address")?,
        sender: sender
            .map(|s| s.parse().map_err(|_| corrupt("sender")))
            .transpose()?,
        token_hash: get(row, "token_hash")?,
        created: ts(row, "created")?,
        expires: ts(row, "expires")?,
        read_notice: get(row, "read_notice")?,
        notified: ts_opt(row, "notified")?,
        verified: ts_opt(row, "verified")?,
        opened: ts_opt(row, "opened")?,
        downloaded: ts_opt(row, "downloaded")?,
        replied: ts_opt(row, "replied")?,
        revoked: ts_opt(row, "revoked")?,
        expiry_recorded: ts_opt(row, "expiry_recorded")?,
        passcode_hash: get(row, "passcode_hash")?,
    })
}

/// A copy read with its columns prefixed `c_` (see `portal_reading`).
fn prefixed_copy(row: &SqliteRow) -> storage::Result<PortalCopy> {
    let sender: Option<String> = get(row, "c_sender")?;
    Ok(PortalCopy {
        id: parse(row, "c_id")?,
        tenant: parse(row, "c_tenant")?,
        message: parse(row, "c_message")?,
        recipient: parse(row, "c_recipient")?,
        address: parse(row, "c_address")?,
        sender: sender
            .map(|s| s.parse().map_err(|_| corrupt("sender")))
            .transpose()?,
        token_hash: get(row, "c_token_hash")?,
        created: ts(row, "c_created")?,
        expires: ts(row, "c_expires")?,
        read_notice: get(row, "c_read_notice")?,
        notified: ts_opt(row, "c_notified")?,
        verified: ts_opt(row, "c_verified")?,
        opened: ts_opt(row, "c_opened")?,
        downloaded: ts_opt(row, "c_downloaded")?,
        replied: ts_opt(row, "c_replied")?,
        revoked: ts_opt(row, "c_revoked")?,
        expiry_recorded: ts_opt(row, "c_expiry_recorded")?,
        passcode_hash: get(row, "c_passcode_hash")?,
    })
}

fn code(row: &SqliteRow) -> storage::Result<PortalCode> {
    Ok(PortalCode {
        id: parse(row, "id")?,
        copy: parse(row, "copy")?,
        code_hash: get(row, "code_hash")?,
        created: ts(row, "created")?,
        expires: ts(row, "expires")?,
        attempts: u32_col(row, "attempts")?,
        used: ts_opt(row, "used")?,
        channel: {
            let text: String = get(row, "channel")?;
            PortalCodeChannel::parse(&text).ok_or_else(|| corrupt("portal_codes.channel"))?
        },
    })
}

fn session(row: &SqliteRow) -> storage::Result<PortalSession> {
    Ok(PortalSession {
        id_hash: get(row, "id_hash")?,
        tenant: parse(row, "tenant")?,
        address: parse(row, "address")?,
        method: get(row, "method")?,
        csrf_token: get(row, "csrf_token")?,
        created: ts(row, "created")?,
        last_seen: ts(row, "last_seen")?,
        expires: ts(row, "expires")?,
        ceremony: get(row, "ceremony")?,
    })
}

fn passkey(row: &SqliteRow) -> storage::Result<PortalPasskey> {
    Ok(PortalPasskey {
        credential_id: get(row, "credential_id")?,
        tenant: parse(row, "tenant")?,
        address: parse(row, "address")?,
        passkey: get(row, "passkey")?,
        created: ts(row, "created")?,
        last_used: ts_opt(row, "last_used")?,
    })
}

fn reply(row: &SqliteRow) -> storage::Result<PortalReply> {
    Ok(PortalReply {
        id: parse(row, "id")?,
        copy: parse(row, "copy")?,
        message: parse(row, "message")?,
        created: ts(row, "created")?,
    })
}
