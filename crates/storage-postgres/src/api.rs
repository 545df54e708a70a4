//! [`ApiStore`] for PostgreSQL (tables from `migrations/0008_api.sql`). Each write is one
//! transaction with its audit events, as elsewhere in this crate; idempotency keys are
//! written by `enqueue` in the message's own transaction.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::types::Uuid;
use sqlx::{Postgres, Row, Transaction};

use model::{ApiKeyId, MessageId, TenantId, Timestamp};
use storage::{ApiKey, ApiStore, AuditEvents, StorageError, SubmissionKey, SubmittedKey};

use crate::rows::map_err;
use crate::{PostgresStore, append_events};

/// Columns of `api_keys` in the order [`api_key`] reads them.
macro_rules! key_cols {
    () => {
        "id, tenant, name, scopes, senders, secret_sha256, created_by, created, expires, revoked"
    };
}

#[async_trait]
impl ApiStore for PostgresStore {
    async fn create_api_key(&self, k: &ApiKey, audit: AuditEvents<'_>) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(concat!(
            "INSERT INTO api_keys (",
            key_cols!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(k.id.0)
        .bind(k.tenant.0)
        .bind(&k.name)
        .bind(&k.scopes)
        .bind(&k.senders)
        .bind(&k.secret_sha256)
        .bind(k.created_by.map(|u| u.0))
        .bind(k.created.as_millis())
        .bind(k.expires.as_millis())
        .bind(k.revoked.map(Timestamp::as_millis))
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn api_key(&self, id: ApiKeyId) -> storage::Result<ApiKey> {
        let row = sqlx::query(concat!(
            "SELECT ",
            key_cols!(),
            " FROM api_keys WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        api_key(&row)
    }

    async fn api_keys(&self, tenant: TenantId) -> storage::Result<Vec<ApiKey>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            key_cols!(),
            " FROM api_keys WHERE tenant = $1 ORDER BY created DESC, id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
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
        let mut tx = self.begin().await?;
        let owner: Option<Uuid> =
            sqlx::query_scalar("SELECT tenant FROM api_keys WHERE id = $1 FOR UPDATE")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        if owner != Some(tenant.0) {
            return Err(StorageError::NotFound);
        }
        let done = sqlx::query(
            "UPDATE api_keys SET revoked = $1 WHERE id = $2 AND tenant = $3 AND revoked IS NULL",
        )
        .bind(at.as_millis())
        .bind(id.0)
        .bind(tenant.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        // Revoking twice is not an error, but records no second event.
        if done.rows_affected() == 1 {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn submitted_key(
        &self,
        credential: ApiKeyId,
        key: &str,
    ) -> storage::Result<Option<SubmittedKey>> {
        let row = sqlx::query(
            "SELECT credential, key, request_sha256, message, created FROM submission_keys \
             WHERE credential = $1 AND key = $2",
        )
        .bind(credential.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|row| {
            Ok(SubmittedKey {
                key: SubmissionKey {
                    credential: ApiKeyId(row.try_get("credential").map_err(map_err)?),
                    key: row.try_get("key").map_err(map_err)?,
                    request_sha256: row.try_get("request_sha256").map_err(map_err)?,
                },
                message: MessageId(row.try_get("message").map_err(map_err)?),
                created: Timestamp::from_millis(row.try_get("created").map_err(map_err)?),
            })
        })
        .transpose()
    }
}

/// Record a message's idempotency key in the message's transaction.
pub(crate) async fn insert_submission_key(
    tx: &mut Transaction<'static, Postgres>,
    key: &SubmissionKey,
    tenant: TenantId,
    message: MessageId,
    created: Timestamp,
) -> storage::Result<()> {
    sqlx::query(
        "INSERT INTO submission_keys (credential, key, tenant, request_sha256, message, created) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.credential.0)
    .bind(&key.key)
    .bind(tenant.0)
    .bind(&key.request_sha256)
    .bind(message.0)
    .bind(created.as_millis())
    .execute(&mut **tx)
    .await
    .map_err(|e| match map_err(e) {
        StorageError::Conflict { .. } => StorageError::Conflict {
            constraint: storage::SUBMISSION_KEY_CONSTRAINT.to_string(),
        },
        other => other,
    })?;
    Ok(())
}

fn api_key(row: &PgRow) -> storage::Result<ApiKey> {
    let created_by: Option<Uuid> = row.try_get("created_by").map_err(map_err)?;
    let revoked: Option<i64> = row.try_get("revoked").map_err(map_err)?;
    Ok(ApiKey {
        id: ApiKeyId(row.try_get("id").map_err(map_err)?),
        tenant: TenantId(row.try_get("tenant").map_err(map_err)?),
        name: row.try_get("name").map_err(map_err)?,
        scopes: row.try_get("scopes").map_err(map_err)?,
        senders: row.try_get("senders").map_err(map_err)?,
        secret_sha256: row.try_get("secret_sha256").map_err(map_err)?,
        created_by: created_by.map(model::UserId),
        created: Timestamp::from_millis(row.try_get("created").map_err(map_err)?),
        expires: Timestamp::from_millis(row.try_get("expires").map_err(map_err)?),
        revoked: revoked.map(Timestamp::from_millis),
    })
}
