//! [`AccountStore`] for PostgreSQL (tables from `migrations/0009_accounts.sql`). Each
//! write is one transaction with its audit events; compare-and-set writes (a TOTP step, a
//! recovery code) are one conditional `UPDATE`, which PostgreSQL re-checks after taking
//! the row lock, so two racing uses cannot both succeed.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Uuid;

use model::{Clock, Role, SystemClock, TenantId, Timestamp, UserId};
use storage::{AccountStore, AuditEvents, StorageError, UserPasskey, UserSession, UserTotp};

use crate::rows::{corrupt, map_err};
use crate::{PostgresStore, append_events, found};

/// Columns of `user_sessions` in the order [`session`] reads them.
macro_rules! session_cols {
    () => {
        "id_hash, tenant, user_id, method, csrf_token, created, last_seen, expires, stepped_up, \
         ip, device, device_label, ended, ceremony"
    };
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn create_user_session(
        &self,
        s: &UserSession,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO user_sessions (",
            session_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&s.id_hash)
        .bind(s.tenant.0)
        .bind(s.user.0)
        .bind(&s.method)
        .bind(&s.csrf_token)
        .bind(s.created.as_millis())
        .bind(s.last_seen.as_millis())
        .bind(s.expires.as_millis())
        .bind(s.stepped_up.map(Timestamp::as_millis))
        .bind(&s.ip)
        .bind(&s.device)
        .bind(&s.device_label)
        .bind(s.ended.map(Timestamp::as_millis))
        .bind(s.ceremony.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn user_session(&self, id_hash: &str) -> storage::Result<UserSession> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM user_sessions WHERE id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        session(&row)
    }

    async fn user_sessions(&self, user: UserId) -> storage::Result<Vec<UserSession>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM user_sessions WHERE user_id = $1 AND ended IS NULL ORDER BY created DESC"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(session).collect()
    }

    async fn touch_user_session(&self, id_hash: &str, at: Timestamp) -> storage::Result<()> {
        sqlx::query(
            "UPDATE user_sessions SET last_seen = greatest(last_seen, $1) \
             WHERE id_hash = $2 AND ended IS NULL",
        )
        .bind(at.as_millis())
        .bind(id_hash)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn step_up_user_session(
        &self,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE user_sessions SET stepped_up = $1, last_seen = greatest(last_seen, $1) \
             WHERE id_hash = $2 AND ended IS NULL",
        )
        .bind(at.as_millis())
        .bind(id_hash)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn end_user_session(
        &self,
        user: UserId,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let owner: Option<Uuid> =
            sqlx::query_scalar("SELECT user_id FROM user_sessions WHERE id_hash = $1 FOR UPDATE")
                .bind(id_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        if owner != Some(user.0) {
            return Err(StorageError::NotFound);
        }
        let done =
            sqlx::query("UPDATE user_sessions SET ended = $1 WHERE id_hash = $2 AND ended IS NULL")
                .bind(at.as_millis())
                .bind(id_hash)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        let ended = done.rows_affected() == 1;
        if ended {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(ended)
    }

    async fn end_user_sessions(
        &self,
        user: UserId,
        keep: Option<&str>,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE user_sessions SET ended = $1 \
             WHERE user_id = $2 AND ended IS NULL AND id_hash IS DISTINCT FROM $3",
        )
        .bind(at.as_millis())
        .bind(user.0)
        .bind(keep)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let n = done.rows_affected();
        if n > 0 {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(n)
    }

    async fn record_sign_in_failure(&self, user: UserId, at: Timestamp) -> storage::Result<u32> {
        let n: i32 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (user_id, consecutive, last_failed) VALUES ($1, 1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET \
             consecutive = sign_in_failures.consecutive + 1, last_failed = excluded.last_failed \
             RETURNING consecutive",
        )
        .bind(user.0)
        .bind(at.as_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    async fn sign_in_failures(&self, user: UserId) -> storage::Result<(u32, Option<Timestamp>)> {
        let row =
            sqlx::query("SELECT consecutive, last_failed FROM sign_in_failures WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        match row {
            None => Ok((0, None)),
            Some(row) => {
                let n: i32 = row.try_get("consecutive").map_err(map_err)?;
                let at: i64 = row.try_get("last_failed").map_err(map_err)?;
                Ok((
                    u32::try_from(n).map_err(|_| corrupt("consecutive"))?,
                    Some(Timestamp::from_millis(at)),
                ))
            }
        }
    }

    async fn clear_sign_in_failures(&self, user: UserId) -> storage::Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE user_id = $1")
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn put_user_totp(&self, t: &UserTotp, audit: AuditEvents<'_>) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO user_totp (user_id, sealed_secret, last_step, created, confirmed) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET \
             sealed_secret = excluded.sealed_secret, last_step = excluded.last_step, \
             created = excluded.created, confirmed = excluded.confirmed",
        )
        .bind(t.user.0)
        .bind(&t.sealed_secret)
        .bind(t.last_step.map(|s| i64::try_from(s).unwrap_or(i64::MAX)))
        .bind(t.created.as_millis())
        .bind(t.confirmed.map(Timestamp::as_millis))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn user_totp(&self, user: UserId) -> storage::Result<Option<UserTotp>> {
        let row = sqlx::query(
            "SELECT sealed_secret, last_step, created, confirmed FROM user_totp WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|row| {
            let last_step: Option<i64> = row.try_get("last_step").map_err(map_err)?;
            let confirmed: Option<i64> = row.try_get("confirmed").map_err(map_err)?;
            Ok(UserTotp {
                user,
                sealed_secret: row.try_get("sealed_secret").map_err(map_err)?,
                last_step: last_step
                    .map(|s| u64::try_from(s).map_err(|_| corrupt("last_step")))
                    .transpose()?,
                created: Timestamp::from_millis(row.try_get("created").map_err(map_err)?),
                confirmed: confirmed.map(Timestamp::from_millis),
            })
        })
        .transpose()
    }

    async fn accept_totp_step(
        &self,
        user: UserId,
        step: u64,
        at: Timestamp,
    ) -> storage::Result<bool> {
        let step = i64::try_from(step).map_err(|_| corrupt("step"))?;
        let done = sqlx::query(
            "UPDATE user_totp SET last_step = $1, confirmed = coalesce(confirmed, $2) \
             WHERE user_id = $3 AND (last_step IS NULL OR last_step < $1)",
        )
        .bind(step)
        .bind(at.as_millis())
        .bind(user.0)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn reset_user_factors(
        &self,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        for statement in [
            "DELETE FROM user_totp WHERE user_id = $1",
            "DELETE FROM recovery_codes WHERE user_id = $1",
            "DELETE FROM user_passkeys WHERE user_id = $1",
        ] {
            sqlx::query(statement)
                .bind(user.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn put_break_glass(
        &self,
        user: UserId,
        hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO break_glass (user_id, hash, created) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, \
             created = excluded.created, used = NULL, sealed_reason = NULL",
        )
        .bind(user.0)
        .bind(hash)
        .bind(at.as_millis())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn unused_break_glass(&self, user: UserId) -> storage::Result<Option<String>> {
        sqlx::query_scalar("SELECT hash FROM break_glass WHERE user_id = $1 AND used IS NULL")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)
    }

    async fn use_break_glass(
        &self,
        user: UserId,
        at: Timestamp,
        sealed_reason: &[u8],
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE break_glass SET used = $1, sealed_reason = $2 \
             WHERE user_id = $3 AND used IS NULL",
        )
        .bind(at.as_millis())
        .bind(sealed_reason)
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let used = done.rows_affected() == 1;
        if used {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(used)
    }

    async fn set_user_role(
        &self,
        user: UserId,
        role: Role,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_user_disabled(
        &self,
        user: UserId,
        disabled: bool,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let at = audit
            .first()
            .map_or_else(|| SystemClock.now(), |event| event.at);
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())?;
        if disabled {
            sqlx::query("UPDATE user_sessions SET ended = $1 WHERE user_id = $2 AND ended IS NULL")
                .bind(at.as_millis())
                .bind(user.0)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_user_session_ceremony(
        &self,
        id_hash: &str,
        ceremony: Option<&str>,
    ) -> storage::Result<()> {
        let done = sqlx::query(
            "UPDATE user_sessions SET ceremony = $1 WHERE id_hash = $2 AND ended IS NULL",
        )
        .bind(ceremony)
        .bind(id_hash)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())
    }

    async fn add_user_passkey(
        &self,
        k: &UserPasskey,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO user_passkeys (credential_id, tenant, user_id, name, passkey, created, \
             last_used) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&k.credential_id)
        .bind(k.tenant.0)
        .bind(k.user.0)
        .bind(&k.name)
        .bind(&k.passkey)
        .bind(k.created.as_millis())
        .bind(k.last_used.map(Timestamp::as_millis))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn user_passkeys(&self, user: UserId) -> storage::Result<Vec<UserPasskey>> {
        let rows = sqlx::query(
            "SELECT credential_id, tenant, user_id, name, passkey, created, last_used \
             FROM user_passkeys WHERE user_id = $1 ORDER BY created, credential_id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let last_used: Option<i64> = r.try_get("last_used").map_err(map_err)?;
                Ok(UserPasskey {
                    credential_id: r.try_get("credential_id").map_err(map_err)?,
                    tenant: TenantId(r.try_get("tenant").map_err(map_err)?),
                    user: UserId(r.try_get("user_id").map_err(map_err)?),
                    name: r.try_get("name").map_err(map_err)?,
                    passkey: r.try_get("passkey").map_err(map_err)?,
                    created: Timestamp::from_millis(r.try_get("created").map_err(map_err)?),
                    last_used: last_used.map(Timestamp::from_millis),
                })
            })
            .collect()
    }

    async fn update_user_passkey(
        &self,
        credential_id: &str,
        passkey: &str,
        at: Timestamp,
    ) -> storage::Result<()> {
        let done = sqlx::query(
            "UPDATE user_passkeys SET passkey = $1, last_used = $2 WHERE credential_id = $3",
        )
        .bind(passkey)
        .bind(at.as_millis())
        .bind(credential_id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        found(done.rows_affected())
    }

    async fn put_recovery_codes(
        &self,
        user: UserId,
        hashes: &[String],
        at: Timestamp,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for (i, hash) in hashes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO recovery_codes (user_id, idx, hash, created) VALUES ($1, $2, $3, $4)",
            )
            .bind(user.0)
            .bind(i32::try_from(i).unwrap_or(i32::MAX))
            .bind(hash)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn unused_recovery_codes(&self, user: UserId) -> storage::Result<Vec<(u32, String)>> {
        let rows = sqlx::query(
            "SELECT idx, hash FROM recovery_codes WHERE user_id = $1 AND used IS NULL ORDER BY idx",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let idx: i32 = r.try_get("idx").map_err(map_err)?;
                Ok((
                    u32::try_from(idx).map_err(|_| corrupt("idx"))?,
                    r.try_get("hash").map_err(map_err)?,
                ))
            })
            .collect()
    }

    async fn use_recovery_code(
        &self,
        user: UserId,
        index: u32,
        at: Timestamp,
    ) -> storage::Result<bool> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used = $1 WHERE user_id = $2 AND idx = $3 AND used IS NULL",
        )
        .bind(at.as_millis())
        .bind(user.0)
        .bind(i32::try_from(index).map_err(|_| corrupt("idx"))?)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }
}

fn session(row: &PgRow) -> storage::Result<UserSession> {
    let opt_millis = |c: &str| -> storage::Result<Option<Timestamp>> {
        row.try_get::<Option<i64>, _>(c)
            .map(|v| v.map(Timestamp::from_millis))
            .map_err(map_err)
    };
    let millis = |c: &str| -> storage::Result<Timestamp> {
        row.try_get::<i64, _>(c)
            .map(Timestamp::from_millis)
            .map_err(map_err)
    };
    Ok(UserSession {
        id_hash: row.try_get("id_hash").map_err(map_err)?,
        tenant: TenantId(row.try_get("tenant").map_err(map_err)?),
        user: UserId(row.try_get("user_id").map_err(map_err)?),
        method: row.try_get("method").map_err(map_err)?,
        csrf_token: row.try_get("csrf_token").map_err(map_err)?,
        created: millis("created")?,
        last_seen: millis("last_seen")?,
        expires: millis("expires")?,
        stepped_up: opt_millis("stepped_up")?,
        ip: row.try_get("ip").map_err(map_err)?,
        device: row.try_get("device").map_err(map_err)?,
        device_label: row.try_get("device_label").map_err(map_err)?,
        ended: opt_millis("ended")?,
        ceremony: row.try_get("ceremony").map_err(map_err)?,
    })
}
