//! [`ApiStore`] for SQLite (tables from `migrations/0008_api.sql`).
//!
//! Key writes go through the single writer (with their audit events, in one savepoint);
//! idempotency keys are written by `enqueue` in the message's own savepoint (see
//! `writer.rs`). Reads use the read pool.

use async_trait::async_trait;
use rusqlite::params;
use sqlx::sqlite::SqliteRow;

use model::{ApiKeyId, TenantId, Timestamp};
use storage::{ApiKey, ApiStore, AuditEvents, StorageError, SubmissionKey, SubmittedKey};

use crate::SqliteStore;
use crate::rows::{corrupt, get, map_err, map_sql, parse, ts, ts_opt};
use crate::writer::{Op, Reply};

/// Columns of `api_keys` in the order [`api_key`] reads them.
macro_rules! key_cols {
    () => {
        "id, tenant, name, scopes, senders, secret_sha256, created_by, created, expires, revoked"
    };
}

/// One API-key write, run by the writer thread.
pub(crate) enum ApiOp {
    CreateKey(ApiKey),
    /// Replies `Changed(true)` when it revoked the key now.
    RevokeKey {
        tenant: TenantId,
        id: ApiKeyId,
        at: Timestamp,
    },
}

#[async_trait]
impl ApiStore for SqliteStore {
    async fn create_api_key(&self, key: &ApiKey, audit: AuditEvents<'_>) -> storage::Result<()> {
        self.write_done(Op::Api(ApiOp::CreateKey(key.clone())), audit)
            .await
    }

    async fn api_key(&self, id: ApiKeyId) -> storage::Result<ApiKey> {
        let row = sqlx::query(concat!(
            "SELECT ",
            key_cols!(),
            " FROM api_keys WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_one(&self.read)
        .await
        .map_err(map_err)?;
        api_key(&row)
    }

    async fn api_keys(&self, tenant: TenantId) -> storage::Result<Vec<ApiKey>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            key_cols!(),
            " FROM api_keys WHERE tenant = ? ORDER BY created DESC, id"
        ))
        .bind(tenant.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(api_key).collect()
    }

    async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        at: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        // The key must belong to the organisation; checked first so another organisation's
        // id gets NotFound, like an unknown one.
        let owner: Option<String> = sqlx::query_scalar("SELECT tenant FROM api_keys WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        if owner.as_deref() != Some(tenant.to_string().as_str()) {
            return Err(StorageError::NotFound);
        }
        match self
            .write(Op::Api(ApiOp::RevokeKey { tenant, id, at }), audit)
            .await?
        {
            Reply::Changed(_) | Reply::Done => Ok(()),
            _ => Err(StorageError::Other("unexpected writer reply".to_string())),
        }
    }

    async fn submitted_key(
        &self,
        credential: ApiKeyId,
        key: &str,
    ) -> storage::Result<Option<SubmittedKey>> {
        let row = sqlx::query(
            "SELECT credential, key, request_sha256, message, created FROM submission_keys \
             WHERE credential = ? AND key = ?",
        )
        .bind(credential.to_string())
        .bind(key)
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.map(|row| {
            Ok(SubmittedKey {
                key: SubmissionKey {
                    credential: parse(&row, "credential")?,
                    key: get(&row, "key")?,
                    request_sha256: get(&row, "request_sha256")?,
                },
                message: parse(&row, "message")?,
                created: ts(&row, "created")?,
            })
        })
        .transpose()
    }
}

/// Apply one API-key write on the writer's connection, inside its transaction (or savepoint).
pub(crate) fn apply(conn: &rusqlite::Connection, op: &ApiOp) -> storage::Result<Reply> {
    match op {
        ApiOp::CreateKey(k) => {
            conn.prepare_cached(concat!(
                "INSERT INTO api_keys (",
                key_cols!(),
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .and_then(|mut s| {
                s.execute(params![
                    k.id.to_string(),
                    k.tenant.to_string(),
                    k.name,
                    k.scopes,
                    k.senders,
                    k.secret_sha256,
                    k.created_by.map(|u| u.to_string()),
                    k.created.as_millis(),
                    k.expires.as_millis(),
                    k.revoked.map(Timestamp::as_millis),
                ])
            })
            .map_err(map_sql)?;
            Ok(Reply::Done)
        }
        ApiOp::RevokeKey { tenant, id, at } => {
            let done = conn
                .prepare_cached(
                    "UPDATE api_keys SET revoked = ? WHERE id = ? AND tenant = ? AND revoked IS NULL",
                )
                .and_then(|mut s| {
                    s.execute(params![at.as_millis(), id.to_string(), tenant.to_string()])
                })
                .map_err(map_sql)?;
            // Revoking twice is not an error, but records no second event.
            Ok(Reply::Changed(done == 1))
        }
    }
}

/// Record a message's idempotency key, in the message's savepoint.
pub(crate) fn insert_submission_key(
    conn: &rusqlite::Connection,
    key: &SubmissionKey,
    tenant: TenantId,
    message: &str,
    created: Timestamp,
) -> storage::Result<()> {
    conn.prepare_cached(
        "INSERT INTO submission_keys (credential, key, tenant, request_sha256, message, created) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .and_then(|mut s| {
        s.execute(params![
            key.credential.to_string(),
            key.key,
            tenant.to_string(),
            key.request_sha256,
            message,
            created.as_millis(),
        ])
    })
    .map_err(|e| match map_sql(e) {
        StorageError::Conflict { .. } => StorageError::Conflict {
            constraint: storage::SUBMISSION_KEY_CONSTRAINT.to_string(),
        },
        other => other,
    })?;
    Ok(())
}

fn api_key(row: &SqliteRow) -> storage::Result<ApiKey> {
    let created_by: Option<String> = get(row, "created_by")?;
    Ok(ApiKey {
        id: parse(row, "id")?,
        tenant: parse(row, "tenant")?,
        name: get(row, "name")?,
        scopes: get(row, "scopes")?,
        senders: get(row, "senders")?,
        secret_sha256: get(row, "secret_sha256")?,
        created_by: created_by
            .map(|u| u.parse().map_err(|_| corrupt("created_by")))
            .transpose()?,
        created: ts(row, "created")?,
        expires: ts(row, "expires")?,
        revoked: ts_opt(row, "revoked")?,
    })
}
