//! [`GroupStore`] and [`AccessPolicyStore`] for PostgreSQL (tables from
//! `migrations/0011_groups_access.sql`). Each write is one transaction with its audit
//! events. Creating a group and storing an access policy first lock the organisation's row
//! (`FOR NO KEY UPDATE`, see `lock_tenant`), so the group limit and the version numbers
//! hold when several nodes write at once. Organisation checks are part of the statements
//! (a join on `tenant`), so another organisation's group or person is simply not found.
//!
//! Lists are sorted `COLLATE "C"` (by bytes, as SQLite sorts): with the database's own
//! collation (say en_US or ICU, which put `a_b` before `a1`) the two backends would list
//! groups and members in different orders.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Uuid;

use model::{GroupId, TenantId, Timestamp, UserId};
use storage::{
    AccessPolicyStore, AuditEvents, Group, GroupStore, MAX_GROUPS_PER_TENANT, PolicyRecord,
    StorageError, User, check_group_name,
};

use crate::rows::{self, map_err};
use crate::{PostgresStore, append_events, found, lock_tenant};

#[async_trait]
impl GroupStore for PostgresStore {
    async fn create_group(&self, group: &Group, audit: AuditEvents<'_>) -> storage::Result<()> {
        if check_group_name(&group.name).is_err() {
            return Err(StorageError::Conflict {
                constraint: "groups.name_format".to_string(),
            });
        }
        let mut tx = self.begin().await?;
        lock_tenant(&mut tx, group.tenant).await?;
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM groups WHERE tenant = $1")
            .bind(group.tenant.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_GROUPS_PER_TENANT {
            return Err(StorageError::Conflict {
                constraint: "groups.limit".to_string(),
            });
        }
        sqlx::query("INSERT INTO groups (id, tenant, name, created) VALUES ($1, $2, $3, $4)")
            .bind(group.id.0)
            .bind(group.tenant.0)
            .bind(&group.name)
            .bind(group.created.as_millis())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn group(&self, tenant: TenantId, id: GroupId) -> storage::Result<Group> {
        let row = sqlx::query(
            "SELECT id, tenant, name, created FROM groups WHERE id = $1 AND tenant = $2",
        )
        .bind(id.0)
        .bind(tenant.0)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        group(&row)
    }

    async fn group_by_name(&self, tenant: TenantId, name: &str) -> storage::Result<Group> {
        let row = sqlx::query(
            "SELECT id, tenant, name, created FROM groups WHERE tenant = $1 AND name = $2",
        )
        .bind(tenant.0)
        .bind(name)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        group(&row)
    }

    async fn delete_group(
        &self,
        tenant: TenantId,
        id: GroupId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<()> {
        let mut tx = self.begin().await?;
        // Lock the group (and check it is this organisation's) before touching members, so
        // a concurrent add_group_member either commits first or finds no group.
        let owned =
            sqlx::query("SELECT 1 AS one FROM groups WHERE id = $1 AND tenant = $2 FOR UPDATE")
                .bind(id.0)
                .bind(tenant.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        if owned.is_none() {
            return Err(StorageError::NotFound);
        }
        sqlx::query("DELETE FROM group_members WHERE group_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let done = sqlx::query("DELETE FROM groups WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        found(done.rows_affected())?;
        append_events(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn groups(&self, tenant: TenantId) -> storage::Result<Vec<Group>> {
        let rows = sqlx::query(
            "SELECT id, tenant, name, created FROM groups WHERE tenant = $1 \
             ORDER BY name COLLATE \"C\"",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(group).collect()
    }

    async fn add_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        // Both the group and the person must be this organisation's. The share lock on the
        // group keeps a concurrent delete_group from removing it under us.
        let both = sqlx::query(
            "SELECT 1 AS one FROM groups g JOIN users u ON u.tenant = g.tenant \
             WHERE g.id = $1 AND u.id = $2 AND g.tenant = $3 FOR SHARE OF g",
        )
        .bind(group.0)
        .bind(user.0)
        .bind(tenant.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        if both.is_none() {
            return Err(StorageError::NotFound);
        }
        let done = sqlx::query(
            "INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) \
             ON CONFLICT (group_id, user_id) DO NOTHING",
        )
        .bind(group.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let added = done.rows_affected() == 1;
        if added {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(added)
    }

    async fn remove_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        let mut tx = self.begin().await?;
        let owned = sqlx::query("SELECT 1 AS one FROM groups WHERE id = $1 AND tenant = $2")
            .bind(group.0)
            .bind(tenant.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if owned.is_none() {
            return Err(StorageError::NotFound);
        }
        let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let removed = done.rows_affected() == 1;
        if removed {
            append_events(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(removed)
    }

    async fn group_members(&self, tenant: TenantId, group: GroupId) -> storage::Result<Vec<User>> {
        // Not found (rather than an empty list) for another organisation's group.
        self.group(tenant, group).await?;
        let rows = sqlx::query(
            "SELECT u.id, u.tenant, u.address, u.role, u.password_hash, \
             u.must_change_password, u.disabled, u.created \
             FROM group_members m JOIN users u ON u.id = m.user_id \
             WHERE m.group_id = $1 AND u.tenant = $2 ORDER BY u.address COLLATE \"C\"",
        )
        .bind(group.0)
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::user).collect()
    }

    async fn groups_of_user(&self, user: UserId) -> storage::Result<Vec<Group>> {
        let rows = sqlx::query(
            "SELECT g.id, g.tenant, g.name, g.created \
             FROM group_members m JOIN groups g ON g.id = m.group_id \
             JOIN users u ON u.id = m.user_id AND u.tenant = g.tenant \
             WHERE m.user_id = $1 ORDER BY g.name COLLATE \"C\"",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(group).collect()
    }
}

#[async_trait]
impl AccessPolicyStore for PostgresStore {
    async fn put_access_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        self.put_versioned(
            "INSERT INTO access_policies (tenant, version, document, author, created) \
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM access_policies \
             WHERE tenant = $1 RETURNING version",
            (tenant, document, author, created),
            audit,
        )
        .await
    }

    async fn current_access_policy(
        &self,
        tenant: TenantId,
    ) -> storage::Result<Option<PolicyRecord>> {
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM access_policies \
             WHERE tenant = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(tenant.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::policy).transpose()
    }

    async fn access_policy_history(&self, tenant: TenantId) -> storage::Result<Vec<PolicyRecord>> {
        let rows = sqlx::query(
            "SELECT tenant, version, document, author, created FROM access_policies \
             WHERE tenant = $1 ORDER BY version",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::policy).collect()
    }
}

fn group(row: &PgRow) -> storage::Result<Group> {
    let uuid = |column: &str| row.try_get::<Uuid, _>(column).map_err(map_err);
    Ok(Group {
        id: GroupId(uuid("id")?),
        tenant: TenantId(uuid("tenant")?),
        name: row.try_get("name").map_err(map_err)?,
        created: Timestamp::from_millis(row.try_get("created").map_err(map_err)?),
    })
}
