//! [`PortalStore`] for PostgreSQL (tables from `migrations/0006_portal.sql` and
//! `migrations/0007_portal_sms.sql`).
//!
//! Each write that carries audit events is one transaction: the change, then
//! `append_events`, then `COMMIT`, as elsewhere in this crate. A write that changes
//! nothing (a revoked copy revoked again, a used code used again, a missing session ended)
//! rolls back and records nothing; `mark_portal_copy` records its events whether or not it
//! stamped. Writes without events (a session touch, a counted code guess) are single
//! statements. Concurrent calls on any number of nodes are safe: every conditional update
//! re-checks its `WHERE` clause after taking the row lock (READ COMMITTED), so a milestone
//! is stamped once, a code used once, and guesses beyond the limit are never counted.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::types::Uuid;
use sqlx::{Postgres, Row, Transaction};

use model::{
    EmailAddress, MessageId, PortalCopyId, PortalItemId, RecipientId, TenantId, Timestamp,
};
use storage::{
    AuditEvents, NewPortalCopy, PortalCode, PortalCodeChannel, PortalCopy, PortalFilter,
    PortalMilestone, PortalPasskey, PortalReply, PortalSession, PortalStore, RecipientRecord,
    StorageError,
};

use crate::rows::{self, corrupt, map_err};
use crate::{PostgresStore, append_events, found};

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

#[async_trait]
impl PortalStore for PostgresStore {
    async fn portal_pending(&self, limit: u32) -> storage::Result<Vec<RecipientRecord>> {
        // Oldest first: recipient ids are UUIDv7, so id order is arrival order.
        let rows = sqlx::query(
            "SELECT r.id, r.message, r.tenant, r.address, r.status, r.route, r.priority, \
               r.attempts, r.next_attempt, r.last_error, r.lease_owner, r.lease_until, r.tls, \
               r.updated \
             FROM recipients r WHERE r.status = 'awaiting-portal' \
               AND NOT EXISTS (SELECT 1 FROM portal_copies c WHERE c.recipient = r.id) \
             ORDER BY r.id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::recipient).collect()
    }

    async fn create_portal_copy(
        &self,
        copy: &NewPortalCopy,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let c = &copy.copy;
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO portal_copies (",
            copy_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18)"
        ))
        .bind(c.id.0)
        .bind(c.tenant.0)
        .bind(c.message.0)
        .bind(c.recipient.0)
        .bind(c.address.to_string())
        .bind(c.sender.as_ref().map(|a| a.to_string()))
        .bind(&c.token_hash)
        .bind(c.created.as_millis())
        .bind(c.expires.as_millis())
        .bind(c.read_notice)
        .bind(millis(c.notified))
        .bind(millis(c.verified))
        .bind(millis(c.opened))
        .bind(millis(c.downloaded))
        .bind(millis(c.replied))
        .bind(millis(c.revoked))
        .bind(millis(c.expiry_recorded))
        .bind(c.passcode_hash.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("INSERT INTO portal_contents (copy, sealed) VALUES ($1, $2)")
            .bind(c.id.0)
            .bind(&copy.sealed)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if let Some(number) = &copy.sms_number {
            sqlx::query("INSERT INTO portal_sms_numbers (copy, sealed) VALUES ($1, $2)")
                .bind(c.id.0)
                .bind(number)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_copy(&self, id: PortalCopyId) -> storage::Result<PortalCopy> {
        let row = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        copy(&row)
    }

    async fn portal_copy_by_token(&self, token_hash: &str) -> storage::Result<PortalCopy> {
        let row = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        copy(&row)
    }

    async fn portal_content(&self, id: PortalCopyId) -> storage::Result<Vec<u8>> {
        let row = sqlx::query("SELECT sealed FROM portal_contents WHERE copy = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }

    async fn portal_sms_number(&self, id: PortalCopyId) -> storage::Result<Option<Vec<u8>>> {
        // One query answers both "no copy" (NotFound) and "no number" (NULL).
        let row = sqlx::query(
            "SELECT s.sealed AS sealed FROM portal_copies c \
             LEFT JOIN portal_sms_numbers s ON s.copy = c.id WHERE c.id = $1",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
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
        // Static SQL with optional filters: NULL means "any".
        let rows = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies \
             WHERE ($1::uuid IS NULL OR tenant = $1) AND ($2::uuid IS NULL OR message = $2) \
               AND ($3::text IS NULL OR address = $3) \
             ORDER BY created DESC, id DESC LIMIT $4"
        ))
        .bind(filter.tenant.map(|t| t.0))
        .bind(filter.message.map(|m| m.0))
        .bind(filter.address.as_ref().map(|a| a.to_string()))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(copy).collect()
    }

    async fn portal_unnotified(&self, limit: u32) -> storage::Result<Vec<PortalCopy>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            copy_cols!(),
            " FROM portal_copies WHERE notified IS NULL AND revoked IS NULL \
             ORDER BY created, id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            " FROM portal_copies WHERE expiry_recorded IS NULL AND expires <= $1 \
             ORDER BY expires, id LIMIT $2"
        ))
        .bind(now.as_millis())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE portal_copies SET token_hash = $1 WHERE id = $2")
            .bind(token_hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn mark_portal_copy(
        &self,
        id: PortalCopyId,
        milestone: PortalMilestone,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(mark_sql(milestone))
            .bind(at.as_millis())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let stamped = done.rows_affected() > 0;
        if !stamped && !copy_exists(&mut tx, id).await? {
            return Err(StorageError::NotFound);
        }
        // Every occurrence is recorded, the first and the later ones alike.
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(stamped)
    }

    async fn revoke_portal_copy(
        &self,
        id: PortalCopyId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let done =
            sqlx::query("UPDATE portal_copies SET revoked = $1 WHERE id = $2 AND revoked IS NULL")
                .bind(at.as_millis())
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return if copy_exists(&mut tx, id).await? {
                Ok(false)
            } else {
                Err(StorageError::NotFound)
            };
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn create_portal_code(
        &self,
        code: &PortalCode,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let attempts = i32::try_from(code.attempts)
            .map_err(|_| StorageError::Other("value too large for attempts".to_string()))?;
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO portal_codes (",
            code_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(code.id.0)
        .bind(code.copy.0)
        .bind(&code.code_hash)
        .bind(code.created.as_millis())
        .bind(code.expires.as_millis())
        .bind(attempts)
        .bind(millis(code.used))
        .bind(code.channel.as_str())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_codes_since(
        &self,
        copy: PortalCopyId,
        since: Timestamp,
    ) -> storage::Result<u32> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM portal_codes WHERE copy = $1 AND created >= $2")
                .bind(copy.0)
                .bind(since.as_millis())
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
        count(&row)
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
             WHERE copy = $1 AND used IS NULL AND expires > $2 AND attempts < $3 \
             ORDER BY created DESC, id DESC LIMIT 1"
        ))
        .bind(copy.0)
        .bind(now.as_millis())
        .bind(i64::from(max_attempts))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(code).transpose()
    }

    async fn count_portal_code_attempt(
        &self,
        id: PortalItemId,
        max_attempts: u32,
    ) -> storage::Result<Option<u32>> {
        // One statement: concurrent guesses queue on the row lock and each re-checks the
        // limit after it, so no more than `max_attempts` are ever counted.
        let row = sqlx::query(
            "UPDATE portal_codes SET attempts = attempts + 1 \
             WHERE id = $1 AND attempts < $2 RETURNING attempts",
        )
        .bind(id.0)
        .bind(i64::from(max_attempts))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        if let Some(row) = row {
            let n: i32 = row.try_get("attempts").map_err(map_err)?;
            return u32::try_from(n).map(Some).map_err(|_| corrupt("attempts"));
        }
        let exists = sqlx::query("SELECT 1 AS one FROM portal_codes WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match exists {
            Some(_) => Ok(None),
            None => Err(StorageError::NotFound),
        }
    }

    async fn portal_failed_attempts_since(
        &self,
        copy: PortalCopyId,
        since: Timestamp,
    ) -> storage::Result<u32> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(attempts), 0)::bigint AS n FROM portal_codes \
             WHERE copy = $1 AND created >= $2",
        )
        .bind(copy.0)
        .bind(since.as_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        count(&row)
    }

    async fn use_portal_code(
        &self,
        id: PortalItemId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE portal_codes SET used = $1 WHERE id = $2 AND used IS NULL")
            .bind(at.as_millis())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            let exists = sqlx::query("SELECT 1 AS one FROM portal_codes WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            return match exists {
                Some(_) => Ok(false),
                None => Err(StorageError::NotFound),
            };
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn create_portal_session(
        &self,
        session: &PortalSession,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO portal_sessions (",
            session_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(&session.id_hash)
        .bind(session.tenant.0)
        .bind(session.address.to_string())
        .bind(&session.method)
        .bind(&session.csrf_token)
        .bind(session.created.as_millis())
        .bind(session.last_seen.as_millis())
        .bind(session.expires.as_millis())
        .bind(session.ceremony.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_session(&self, id_hash: &str) -> storage::Result<PortalSession> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM portal_sessions WHERE id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        session(&row)
    }

    async fn touch_portal_session(&self, id_hash: &str, at: Timestamp) -> storage::Result<()> {
        // Requests may finish out of order: last_seen never moves back.
        let done = sqlx::query(
            "UPDATE portal_sessions SET last_seen = GREATEST(last_seen, $1) WHERE id_hash = $2",
        )
        .bind(at.as_millis())
        .bind(id_hash)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())
    }

    async fn set_portal_ceremony(
        &self,
        id_hash: &str,
        ceremony: Option<&str>,
    ) -> storage::Result<()> {
        let done = sqlx::query("UPDATE portal_sessions SET ceremony = $1 WHERE id_hash = $2")
            .bind(ceremony)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())
    }

    async fn end_portal_session(
        &self,
        id_hash: &str,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("DELETE FROM portal_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            // Already gone (purged, or ended in another tab): nothing to record.
            return Ok(());
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn purge_portal_sessions(&self, now: Timestamp, idle: Duration) -> storage::Result<u64> {
        let done =
            sqlx::query("DELETE FROM portal_sessions WHERE expires <= $1 OR last_seen <= $2")
                .bind(now.as_millis())
                .bind(now.minus(idle).as_millis())
                .execute(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn add_portal_passkey(
        &self,
        passkey: &PortalPasskey,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO portal_passkeys (",
            passkey_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&passkey.credential_id)
        .bind(passkey.tenant.0)
        .bind(passkey.address.to_string())
        .bind(&passkey.passkey)
        .bind(passkey.created.as_millis())
        .bind(millis(passkey.last_used))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_passkeys(
        &self,
        tenant: TenantId,
        address: &EmailAddress,
    ) -> storage::Result<Vec<PortalPasskey>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            passkey_cols!(),
            " FROM portal_passkeys WHERE tenant = $1 AND address = $2 \
             ORDER BY created, credential_id"
        ))
        .bind(tenant.0)
        .bind(address.to_string())
        .fetch_all(&self.pool)
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
        let done = sqlx::query(
            "UPDATE portal_passkeys SET passkey = $1, last_used = $2 WHERE credential_id = $3",
        )
        .bind(passkey)
        .bind(at.as_millis())
        .bind(credential_id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())
    }

    async fn add_portal_reply(
        &self,
        reply: &PortalReply,
        sealed: &[u8],
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO portal_replies (id, copy, message, created, sealed) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(reply.id.0)
        .bind(reply.copy.0)
        .bind(reply.message.0)
        .bind(reply.created.as_millis())
        .bind(sealed)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_replies(&self, copy: PortalCopyId) -> storage::Result<Vec<PortalReply>> {
        let rows = sqlx::query(
            "SELECT id, copy, message, created FROM portal_replies WHERE copy = $1 \
             ORDER BY created, id",
        )
        .bind(copy.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(reply).collect()
    }

    async fn portal_reply_content(&self, id: PortalItemId) -> storage::Result<Vec<u8>> {
        let row = sqlx::query("SELECT sealed FROM portal_replies WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        row.try_get("sealed").map_err(map_err)
    }
}

/// The statement that stamps `milestone` only if it is not stamped yet (`$1` = at, `$2` =
/// id). One static statement per column: SQL is never built from values.
fn mark_sql(milestone: PortalMilestone) -> &'static str {
    macro_rules! stamp {
        ($col:literal) => {
            concat!(
                "UPDATE portal_copies SET ",
                $col,
                " = $1 WHERE id = $2 AND ",
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

async fn copy_exists(
    tx: &mut Transaction<'static, Postgres>,
    id: PortalCopyId,
) -> storage::Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM portal_copies WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(row.is_some())
}

fn millis(t: Option<Timestamp>) -> Option<i64> {
    t.map(Timestamp::as_millis)
}

// ── Row mapping ────────────────────────────────────────────────────────────────────────

fn get<'r, T>(row: &'r PgRow, column: &str) -> storage::Result<T>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(column).map_err(map_err)
}

fn uuid(row: &PgRow, column: &str) -> storage::Result<Uuid> {
    get(row, column)
}

fn parse<T: std::str::FromStr>(row: &PgRow, column: &str) -> storage::Result<T> {
    let text: String = get(row, column)?;
    text.parse().map_err(|_| corrupt(column))
}

fn ts(row: &PgRow, column: &str) -> storage::Result<Timestamp> {
    get::<i64>(row, column).map(Timestamp::from_millis)
}

fn ts_opt(row: &PgRow, column: &str) -> storage::Result<Option<Timestamp>> {
    Ok(get::<Option<i64>>(row, column)?.map(Timestamp::from_millis))
}

fn count(row: &PgRow) -> storage::Result<u32> {
    u32::try_from(get::<i64>(row, "n")?).map_err(|_| corrupt("count"))
}

fn copy(row: &PgRow) -> storage::Result<PortalCopy> {
    let sender: Option<String> = get(row, "sender")?;
    Ok(PortalCopy {
        id: PortalCopyId(uuid(row, "id")?),
        tenant: TenantId(uuid(row, "tenant")?),
        message: MessageId(uuid(row, "message")?),
        recipient: RecipientId(uuid(row, "recipient")?),
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

fn code(row: &PgRow) -> storage::Result<PortalCode> {
    Ok(PortalCode {
        id: PortalItemId(uuid(row, "id")?),
        copy: PortalCopyId(uuid(row, "copy")?),
        code_hash: get(row, "code_hash")?,
        created: ts(row, "created")?,
        expires: ts(row, "expires")?,
        attempts: u32::try_from(get::<i32>(row, "attempts")?).map_err(|_| corrupt("attempts"))?,
        used: ts_opt(row, "used")?,
        channel: {
            let text: String = get(row, "channel")?;
            PortalCodeChannel::parse(&text).ok_or_else(|| corrupt("portal_codes.channel"))?
        },
    })
}

fn session(row: &PgRow) -> storage::Result<PortalSession> {
    Ok(PortalSession {
        id_hash: get(row, "id_hash")?,
        tenant: TenantId(uuid(row, "tenant")?),
        address: parse(row, "address")?,
        method: get(row, "method")?,
        csrf_token: get(row, "csrf_token")?,
        created: ts(row, "created")?,
        last_seen: ts(row, "last_seen")?,
        expires: ts(row, "expires")?,
        ceremony: get(row, "ceremony")?,
    })
}

fn passkey(row: &PgRow) -> storage::Result<PortalPasskey> {
    Ok(PortalPasskey {
        credential_id: get(row, "credential_id")?,
        tenant: TenantId(uuid(row, "tenant")?),
        address: parse(row, "address")?,
        passkey: get(row, "passkey")?,
        created: ts(row, "created")?,
        last_used: ts_opt(row, "last_used")?,
    })
}

fn reply(row: &PgRow) -> storage::Result<PortalReply> {
    Ok(PortalReply {
        id: PortalItemId(uuid(row, "id")?),
        copy: PortalCopyId(uuid(row, "copy")?),
        message: MessageId(uuid(row, "message")?),
        created: ts(row, "created")?,
    })
}
