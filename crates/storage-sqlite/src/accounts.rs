//! [`AccountStore`] for SQLite (tables from `migrations/0009_accounts.sql`).
//!
//! Every write goes through the single writer as one [`AccountOp`] (with its audit events
//! in the same savepoint); a write that changes nothing replies `Changed(false)` so its
//! events are not recorded. Compare-and-set writes (a TOTP step, a recovery code) are one
//! conditional `UPDATE`, so two racing uses cannot both succeed.

use async_trait::async_trait;
use rusqlite::{Connection, params};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use model::{Clock, Role, SystemClock, Timestamp, UserId};
use storage::{AccountStore, AuditEvents, StorageError, UserPasskey, UserSession, UserTotp};

use crate::SqliteStore;
use crate::rows::{corrupt, get, map_err, map_sql, parse, ts, ts_opt};
use crate::writer::{Op, Reply};

/// Columns of `user_sessions` in the order [`session`] reads them.
macro_rules! session_cols {
    () => {
        "id_hash, tenant, user_id, method, csrf_token, created, last_seen, expires, stepped_up, \
         ip, device, device_label, ended, ceremony"
    };
}

/// One account write, run by the writer thread.
pub(crate) enum AccountOp {
    CreateSession(UserSession),
    Touch {
        id_hash: String,
        at: Timestamp,
    },
    StepUp {
        id_hash: String,
        at: Timestamp,
    },
    EndSession {
        user: UserId,
        id_hash: String,
        at: Timestamp,
    },
    EndSessions {
        user: UserId,
        keep: Option<String>,
        at: Timestamp,
    },
    RecordFailure {
        user: UserId,
        at: Timestamp,
    },
    ClearFailures {
        user: UserId,
    },
    PutTotp(UserTotp),
    AcceptStep {
        user: UserId,
        step: u64,
        at: Timestamp,
    },
    ResetFactors {
        user: UserId,
    },
    SetRole {
        user: UserId,
        role: Role,
    },
    SetDisabled {
        user: UserId,
        disabled: bool,
        at: Timestamp,
    },
    PutBreakGlass {
        user: UserId,
        hash: String,
        at: Timestamp,
    },
    UseBreakGlass {
        user: UserId,
        at: Timestamp,
        sealed_reason: Vec<u8>,
    },
    SetCeremony {
        id_hash: String,
        ceremony: Option<String>,
    },
    AddPasskey(UserPasskey),
    UpdatePasskey {
        credential_id: String,
        passkey: String,
        at: Timestamp,
    },
    PutRecoveryCodes {
        user: UserId,
        hashes: Vec<String>,
        at: Timestamp,
    },
    UseRecoveryCode {
        user: UserId,
        index: u32,
        at: Timestamp,
    },
}

impl SqliteStore {
    async fn account(&self, op: AccountOp, audit: AuditEvents<'_>) -> storage::Result<Reply> {
        self.write(Op::Account(op), audit).await
    }

    async fn account_changed(
        &self,
        op: AccountOp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        match self.account(op, audit).await? {
            Reply::Changed(c) => Ok(c),
            _ => Err(unexpected()),
        }
    }

    async fn account_count(&self, op: AccountOp) -> storage::Result<u64> {
        match self.account(op, &[]).await? {
            Reply::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }
}

fn unexpected() -> StorageError {
    StorageError::Other("unexpected writer reply".to_string())
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_user_session(
        &self,
        session: &UserSession,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.account(AccountOp::CreateSession(session.clone()), audit)
            .await
            .map(|_| ())
    }

    async fn user_session(&self, id_hash: &str) -> storage::Result<UserSession> {
        let row = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM user_sessions WHERE id_hash = ?"
        ))
        .bind(id_hash)
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        session(&row)
    }

    async fn user_sessions(&self, user: UserId) -> storage::Result<Vec<UserSession>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM user_sessions WHERE user_id = ? AND ended IS NULL ORDER BY created DESC"
        ))
        .bind(user.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(session).collect()
    }

    async fn touch_user_session(&self, id_hash: &str, at: Timestamp) -> storage::Result<()> {
        self.account(
            AccountOp::Touch {
                id_hash: id_hash.to_string(),
                at,
            },
            &[],
        )
        .await
        .map(|_| ())
    }

    async fn step_up_user_session(
        &self,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        if self
            .account_changed(
                AccountOp::StepUp {
                    id_hash: id_hash.to_string(),
                    at,
                },
                audit,
            )
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn end_user_session(
        &self,
        user: UserId,
        id_hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT user_id FROM user_sessions WHERE id_hash = ?")
                .bind(id_hash)
                .fetch_optional(&self.read)
                .await
                .map_err(map_err)?;
        if owner.as_deref() != Some(user.to_string().as_str()) {
            return Err(StorageError::NotFound);
        }
        self.account_changed(
            AccountOp::EndSession {
                user,
                id_hash: id_hash.to_string(),
                at,
            },
            audit,
        )
        .await
    }

    async fn end_user_sessions(
        &self,
        user: UserId,
        keep: Option<&str>,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        match self
            .account(
                AccountOp::EndSessions {
                    user,
                    keep: keep.map(str::to_string),
                    at,
                },
                audit,
            )
            .await?
        {
            Reply::Count(n) => Ok(n),
            Reply::Changed(false) => Ok(0),
            _ => Err(unexpected()),
        }
    }

    async fn record_sign_in_failure(&self, user: UserId, at: Timestamp) -> storage::Result<u32> {
        let n = self
            .account_count(AccountOp::RecordFailure { user, at })
            .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn sign_in_failures(&self, user: UserId) -> storage::Result<(u32, Option<Timestamp>)> {
        let row =
            sqlx::query("SELECT consecutive, last_failed FROM sign_in_failures WHERE user_id = ?")
                .bind(user.to_string())
                .fetch_optional(&self.read)
                .await
                .map_err(map_err)?;
        match row {
            None => Ok((0, None)),
            Some(row) => {
                let n: i64 = row.try_get("consecutive").map_err(map_err)?;
                let at: i64 = row.try_get("last_failed").map_err(map_err)?;
                Ok((
                    u32::try_from(n).map_err(|_| corrupt("consecutive"))?,
                    Some(Timestamp::from_millis(at)),
                ))
            }
        }
    }

    async fn clear_sign_in_failures(&self, user: UserId) -> storage::Result<()> {
        self.account(AccountOp::ClearFailures { user }, &[])
            .await
            .map(|_| ())
    }

    async fn put_user_totp(&self, totp: &UserTotp, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.account(AccountOp::PutTotp(totp.clone()), audit)
            .await
            .map(|_| ())
    }

    async fn user_totp(&self, user: UserId) -> storage::Result<Option<UserTotp>> {
        let row = sqlx::query(
            "SELECT user_id, sealed_secret, last_step, created, confirmed FROM user_totp \
             WHERE user_id = ?",
        )
        .bind(user.to_string())
        .fetch_optional(&self.read)
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
        self.account_changed(AccountOp::AcceptStep { user, step, at }, &[])
            .await
    }

    async fn reset_user_factors(
        &self,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.account(AccountOp::ResetFactors { user }, audit)
            .await
            .map(|_| ())
    }

    async fn put_break_glass(
        &self,
        user: UserId,
        hash: &str,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.account(
            AccountOp::PutBreakGlass {
                user,
                hash: hash.to_string(),
                at,
            },
            audit,
        )
        .await
        .map(|_| ())
    }

    async fn unused_break_glass(&self, user: UserId) -> storage::Result<Option<String>> {
        sqlx::query_scalar("SELECT hash FROM break_glass WHERE user_id = ? AND used IS NULL")
            .bind(user.to_string())
            .fetch_optional(&self.read)
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
        self.account_changed(
            AccountOp::UseBreakGlass {
                user,
                at,
                sealed_reason: sealed_reason.to_vec(),
            },
            audit,
        )
        .await
    }

    async fn set_user_role(
        &self,
        user: UserId,
        role: Role,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        if self
            .account_changed(AccountOp::SetRole { user, role }, audit)
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
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
        if self
            .account_changed(AccountOp::SetDisabled { user, disabled, at }, audit)
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn set_user_session_ceremony(
        &self,
        id_hash: &str,
        ceremony: Option<&str>,
    ) -> storage::Result<()> {
        if self
            .account_changed(
                AccountOp::SetCeremony {
                    id_hash: id_hash.to_string(),
                    ceremony: ceremony.map(str::to_string),
                },
                &[],
            )
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn add_user_passkey(
        &self,
        passkey: &UserPasskey,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        self.account(AccountOp::AddPasskey(passkey.clone()), audit)
            .await
            .map(|_| ())
    }

    async fn user_passkeys(&self, user: UserId) -> storage::Result<Vec<UserPasskey>> {
        let rows = sqlx::query(
            "SELECT credential_id, tenant, user_id, name, passkey, created, last_used \
             FROM user_passkeys WHERE user_id = ? ORDER BY created, credential_id",
        )
        .bind(user.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let text = |c: &str| -> storage::Result<String> { r.try_get(c).map_err(map_err) };
                let last_used: Option<i64> = r.try_get("last_used").map_err(map_err)?;
                Ok(UserPasskey {
                    credential_id: text("credential_id")?,
                    tenant: text("tenant")?.parse().map_err(|_| corrupt("tenant"))?,
                    user: text("user_id")?.parse().map_err(|_| corrupt("user_id"))?,
                    name: text("name")?,
                    passkey: text("passkey")?,
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
        if self
            .account_changed(
                AccountOp::UpdatePasskey {
                    credential_id: credential_id.to_string(),
                    passkey: passkey.to_string(),
                    at,
                },
                &[],
            )
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn put_recovery_codes(
        &self,
        user: UserId,
        hashes: &[String],
        at: Timestamp,
    ) -> storage::Result<()> {
        self.account(
            AccountOp::PutRecoveryCodes {
                user,
                hashes: hashes.to_vec(),
                at,
            },
            &[],
        )
        .await
        .map(|_| ())
    }

    async fn unused_recovery_codes(&self, user: UserId) -> storage::Result<Vec<(u32, String)>> {
        let rows = sqlx::query(
            "SELECT idx, hash FROM recovery_codes WHERE user_id = ? AND used IS NULL ORDER BY idx",
        )
        .bind(user.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let idx: i64 = r.try_get("idx").map_err(map_err)?;
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
        self.account_changed(AccountOp::UseRecoveryCode { user, index, at }, &[])
            .await
    }
}

/// Apply one account write on the writer's connection, inside its transaction (or savepoint).
pub(crate) fn apply(conn: &Connection, op: &AccountOp) -> storage::Result<Reply> {
    match op {
        AccountOp::CreateSession(s) => {
            conn.prepare_cached(concat!(
                "INSERT INTO user_sessions (",
                session_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .map_err(map_sql)?
            .execute(params![
                &s.id_hash,
                s.tenant.to_string(),
                s.user.to_string(),
                &s.method,
                &s.csrf_token,
                s.created.as_millis(),
                s.last_seen.as_millis(),
                s.expires.as_millis(),
                s.stepped_up.map(Timestamp::as_millis),
                &s.ip,
                &s.device,
                &s.device_label,
                s.ended.map(Timestamp::as_millis),
                s.ceremony.as_deref(),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::Touch { id_hash, at } => {
            conn.prepare_cached(
                "UPDATE user_sessions SET last_seen = max(last_seen, ?) \
                 WHERE id_hash = ? AND ended IS NULL",
            )
            .map_err(map_sql)?
            .execute(params![at.as_millis(), id_hash])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::StepUp { id_hash, at } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE user_sessions SET stepped_up = ?, last_seen = max(last_seen, ?) \
                     WHERE id_hash = ? AND ended IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), at.as_millis(), id_hash])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::EndSession { user, id_hash, at } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE user_sessions SET ended = ? \
                     WHERE id_hash = ? AND user_id = ? AND ended IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), id_hash, user.to_string()])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::EndSessions { user, keep, at } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE user_sessions SET ended = ? \
                     WHERE user_id = ? AND ended IS NULL AND id_hash IS NOT ?",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), user.to_string(), keep.as_deref()])
                .map_err(map_sql)?;
            // No session ended: record no events (the writer drops them for Changed(false)).
            if rows == 0 {
                return Ok(Reply::Changed(false));
            }
            Ok(Reply::Count(u64::try_from(rows).unwrap_or(u64::MAX)))
        }
        AccountOp::RecordFailure { user, at } => {
            let n: i64 = conn
                .prepare_cached(
                    "INSERT INTO sign_in_failures (user_id, consecutive, last_failed) VALUES (?, 1, ?) \
                     ON CONFLICT (user_id) DO UPDATE SET consecutive = consecutive + 1, \
                     last_failed = excluded.last_failed RETURNING consecutive",
                )
                .map_err(map_sql)?
                .query_row(params![user.to_string(), at.as_millis()], |r| r.get(0))
                .map_err(map_sql)?;
            Ok(Reply::Count(u64::try_from(n).unwrap_or(0)))
        }
        AccountOp::ClearFailures { user } => {
            conn.prepare_cached("DELETE FROM sign_in_failures WHERE user_id = ?")
                .map_err(map_sql)?
                .execute(params![user.to_string()])
                .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::PutTotp(t) => {
            conn.prepare_cached(
                "INSERT INTO user_totp (user_id, sealed_secret, last_step, created, confirmed) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET \
                 sealed_secret = excluded.sealed_secret, last_step = excluded.last_step, \
                 created = excluded.created, confirmed = excluded.confirmed",
            )
            .map_err(map_sql)?
            .execute(params![
                t.user.to_string(),
                &t.sealed_secret,
                t.last_step.map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
                t.created.as_millis(),
                t.confirmed.map(Timestamp::as_millis),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::AcceptStep { user, step, at } => {
            let step = i64::try_from(*step).map_err(|_| corrupt("step"))?;
            let rows = conn
                .prepare_cached(
                    "UPDATE user_totp SET last_step = ?, confirmed = coalesce(confirmed, ?) \
                     WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)",
                )
                .map_err(map_sql)?
                .execute(params![step, at.as_millis(), user.to_string(), step])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::ResetFactors { user } => {
            for statement in [
                "DELETE FROM user_totp WHERE user_id = ?",
                "DELETE FROM recovery_codes WHERE user_id = ?",
                "DELETE FROM user_passkeys WHERE user_id = ?",
            ] {
                conn.prepare_cached(statement)
                    .map_err(map_sql)?
                    .execute(params![user.to_string()])
                    .map_err(map_sql)?;
            }
            Ok(Reply::Done)
        }
        AccountOp::PutBreakGlass { user, hash, at } => {
            conn.prepare_cached(
                "INSERT INTO break_glass (user_id, hash, created) VALUES (?, ?, ?) \
                 ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, \
                 created = excluded.created, used = NULL, sealed_reason = NULL",
            )
            .map_err(map_sql)?
            .execute(params![user.to_string(), hash, at.as_millis()])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::UseBreakGlass {
            user,
            at,
            sealed_reason,
        } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE break_glass SET used = ?, sealed_reason = ? \
                     WHERE user_id = ? AND used IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), sealed_reason, user.to_string()])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::SetRole { user, role } => {
            let rows = conn
                .prepare_cached("UPDATE users SET role = ? WHERE id = ?")
                .map_err(map_sql)?
                .execute(params![role.as_str(), user.to_string()])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::SetDisabled { user, disabled, at } => {
            let rows = conn
                .prepare_cached("UPDATE users SET disabled = ? WHERE id = ?")
                .map_err(map_sql)?
                .execute(params![disabled, user.to_string()])
                .map_err(map_sql)?;
            if rows != 1 {
                return Ok(Reply::Changed(false));
            }
            if *disabled {
                conn.prepare_cached(
                    "UPDATE user_sessions SET ended = ? WHERE user_id = ? AND ended IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), user.to_string()])
                .map_err(map_sql)?;
            }
            Ok(Reply::Changed(true))
        }
        AccountOp::SetCeremony { id_hash, ceremony } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE user_sessions SET ceremony = ? WHERE id_hash = ? AND ended IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![ceremony.as_deref(), id_hash])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::AddPasskey(k) => {
            conn.prepare_cached(
                "INSERT INTO user_passkeys (credential_id, tenant, user_id, name, passkey, created, \
                 last_used) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .map_err(map_sql)?
            .execute(params![
                &k.credential_id,
                k.tenant.to_string(),
                k.user.to_string(),
                &k.name,
                &k.passkey,
                k.created.as_millis(),
                k.last_used.map(Timestamp::as_millis),
            ])
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        AccountOp::UpdatePasskey {
            credential_id,
            passkey,
            at,
        } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE user_passkeys SET passkey = ?, last_used = ? WHERE credential_id = ?",
                )
                .map_err(map_sql)?
                .execute(params![passkey, at.as_millis(), credential_id])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
        AccountOp::PutRecoveryCodes { user, hashes, at } => {
            conn.prepare_cached("DELETE FROM recovery_codes WHERE user_id = ?")
                .map_err(map_sql)?
                .execute(params![user.to_string()])
                .map_err(map_sql)?;
            // One prepared statement for every code.
            let mut insert = conn
                .prepare_cached(
                    "INSERT INTO recovery_codes (user_id, idx, hash, created) VALUES (?, ?, ?, ?)",
                )
                .map_err(map_sql)?;
            for (i, hash) in hashes.iter().enumerate() {
                insert
                    .execute(params![
                        user.to_string(),
                        i64::try_from(i).unwrap_or(i64::MAX),
                        hash,
                        at.as_millis(),
                    ])
                    .map_err(map_sql)?;
            }
            Ok(Reply::Done)
        }
        AccountOp::UseRecoveryCode { user, index, at } => {
            let rows = conn
                .prepare_cached(
                    "UPDATE recovery_codes SET used = ? WHERE user_id = ? AND idx = ? AND used IS NULL",
                )
                .map_err(map_sql)?
                .execute(params![at.as_millis(), user.to_string(), i64::from(*index)])
                .map_err(map_sql)?;
            Ok(Reply::Changed(rows == 1))
        }
    }
}

fn session(row: &SqliteRow) -> storage::Result<UserSession> {
    Ok(UserSession {
        id_hash: get(row, "id_hash")?,
        tenant: parse(row, "tenant")?,
        user: parse(row, "user_id")?,
        method: get(row, "method")?,
        csrf_token: get(row, "csrf_token")?,
        created: ts(row, "created")?,
        last_seen: ts(row, "last_seen")?,
        expires: ts(row, "expires")?,
        stepped_up: ts_opt(row, "stepped_up")?,
        ip: get(row, "ip")?,
        device: get(row, "device")?,
        device_label: get(row, "device_label")?,
        ended: ts_opt(row, "ended")?,
        ceremony: get(row, "ceremony")?,
    })
}
