//! [`GroupStore`] and [`AccessPolicyStore`] for SQLite (tables from
//! `migrations/0011_groups_access.sql`).
//!
//! Writes go through the single writer as one [`GroupOp`] with their audit events in the
//! same savepoint. Because that writer runs one write at a time, the per-organisation
//! group limit (count, then insert) and the access-policy version (max + 1) cannot race.
//! Organisation checks are part of the statements themselves (a join on `tenant`), so a
//! group or person of another organisation is simply not found.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};
use sqlx::sqlite::SqliteRow;

use model::{GroupId, TenantId, Timestamp, UserId};
use storage::{
    AccessPolicyStore, AuditEvents, Group, GroupStore, MAX_GROUPS_PER_TENANT, PolicyRecord,
    StorageError, User, check_group_name,
};

use crate::SqliteStore;
use crate::rows::{self, get, map_err, map_sql, parse, ts};
use crate::writer::{Op, Reply};

/// One group or access-policy write, run by the writer thread.
pub(crate) enum GroupOp {
    Create(Group),
    Delete {
        tenant: TenantId,
        id: GroupId,
    },
    /// Replies `Changed(false)` if already a member.
    AddMember {
        tenant: TenantId,
        group: GroupId,
        user: UserId,
    },
    /// Replies `Changed(false)` if not a member.
    RemoveMember {
        tenant: TenantId,
        group: GroupId,
        user: UserId,
    },
    /// Replies `Count(version)`.
    PutAccessPolicy {
        tenant: TenantId,
        document: String,
        author: String,
        created: Timestamp,
    },
}

impl SqliteStore {
    async fn group_write(&self, op: GroupOp, audit: AuditEvents<'_>) -> storage::Result<Reply> {
        self.write(Op::Group(op), audit).await
    }

    async fn group_changed(&self, op: GroupOp, audit: AuditEvents<'_>) -> storage::Result<bool> {
        match self.group_write(op, audit).await? {
            Reply::Changed(c) => Ok(c),
            _ => Err(unexpected()),
        }
    }
}

fn unexpected() -> StorageError {
    StorageError::Other("unexpected writer reply".to_string())
}

#[async_trait]
impl GroupStore for SqliteStore {
    async fn create_group(&self, group: &Group, audit: AuditEvents<'_>) -> storage::Result<()> {
        if check_group_name(&group.name).is_err() {
            return Err(StorageError::Conflict {
                constraint: "groups.name_format".to_string(),
            });
        }
        self.group_write(GroupOp::Create(group.clone()), audit)
            .await
            .map(drop)
    }

    async fn group(&self, tenant: TenantId, id: GroupId) -> storage::Result<Group> {
        let row =
            sqlx::query("SELECT id, tenant, name, created FROM groups WHERE id = ? AND tenant = ?")
                .bind(id.to_string())
                .bind(tenant.to_string())
                .fetch_one(&self.read)
                .await
                .map_err(map_err)?;
        group(&row)
    }

    async fn group_by_name(&self, tenant: TenantId, name: &str) -> storage::Result<Group> {
        let row = sqlx::query(
            "SELECT id, tenant, name, created FROM groups WHERE tenant = ? AND name = ?",
        )
        .bind(tenant.to_string())
        .bind(name)
        .fetch_one(&self.read)
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
        if self
            .group_changed(GroupOp::Delete { tenant, id }, audit)
            .await?
        {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn groups(&self, tenant: TenantId) -> storage::Result<Vec<Group>> {
        let rows = sqlx::query(
            "SELECT id, tenant, name, created FROM groups WHERE tenant = ? ORDER BY name",
        )
        .bind(tenant.to_string())
        .fetch_all(&self.read)
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
        self.group_changed(
            GroupOp::AddMember {
                tenant,
                group,
                user,
            },
            audit,
        )
        .await
    }

    async fn remove_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> storage::Result<bool> {
        self.group_changed(
            GroupOp::RemoveMember {
                tenant,
                group,
                user,
            },
            audit,
        )
        .await
    }

    async fn group_members(&self, tenant: TenantId, group: GroupId) -> storage::Result<Vec<User>> {
        // Not found (rather than an empty list) for another organisation's group.
        self.group(tenant, group).await?;
        let rows = sqlx::query(
            "SELECT u.id, u.tenant, u.address, u.role, u.password_hash, \
             u.must_change_password, u.disabled, u.created \
             FROM group_members m JOIN users u ON u.id = m.user_id \
             WHERE m.group_id = ? AND u.tenant = ? ORDER BY u.address",
        )
        .bind(group.to_string())
        .bind(tenant.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::user).collect()
    }

    async fn groups_of_user(&self, user: UserId) -> storage::Result<Vec<Group>> {
        let rows = sqlx::query(
            "SELECT g.id, g.tenant, g.name, g.created \
             FROM group_members m JOIN groups g ON g.id = m.group_id \
             JOIN users u ON u.id = m.user_id AND u.tenant = g.tenant \
             WHERE m.user_id = ? ORDER BY g.name",
        )
        .bind(user.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(group).collect()
    }
}

#[async_trait]
impl AccessPolicyStore for SqliteStore {
    async fn put_access_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> storage::Result<u64> {
        let op = GroupOp::PutAccessPolicy {
            tenant,
            document: document.to_string(),
            author: author.to_string(),
            created,
        };
        match self.group_write(op, audit).await? {
            Reply::Count(version) => Ok(version),
            _ => Err(unexpected()),
        }
    }

    async fn current_access_policy(
        &self,
        tenant: TenantId,
    ) -> storage::Result<Option<PolicyRecord>> {
        let row = sqlx::query(
            "SELECT tenant, version, document, author, created FROM access_policies \
             WHERE tenant = ? ORDER BY version DESC LIMIT 1",
        )
        .bind(tenant.to_string())
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.as_ref().map(rows::policy).transpose()
    }

    async fn access_policy_history(&self, tenant: TenantId) -> storage::Result<Vec<PolicyRecord>> {
        let rows = sqlx::query(
            "SELECT tenant, version, document, author, created FROM access_policies \
             WHERE tenant = ? ORDER BY version",
        )
        .bind(tenant.to_string())
        .fetch_all(&self.read)
        .await
        .map_err(map_err)?;
        rows.iter().map(rows::policy).collect()
    }
}

/// Apply one write on the writer's connection, inside its transaction (or savepoint).
pub(crate) fn apply(conn: &rusqlite::Connection, op: &GroupOp) -> storage::Result<Reply> {
    match op {
        GroupOp::Create(g) => {
            let count: i64 = conn
                .prepare_cached("SELECT count(*) FROM groups WHERE tenant = ?")
                .and_then(|mut s| s.query_row(params![g.tenant.to_string()], |r| r.get(0)))
                .map_err(map_sql)?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_GROUPS_PER_TENANT {
                return Err(StorageError::Conflict {
                    constraint: "groups.limit".to_string(),
                });
            }
            conn.prepare_cached(
                "INSERT INTO groups (id, tenant, name, created) VALUES (?, ?, ?, ?)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    g.id.to_string(),
                    g.tenant.to_string(),
                    g.name,
                    g.created.as_millis()
                ])
            })
            .map_err(|e| match map_sql(e) {
                // SQLite names the pair of columns; both backends say `groups.name`.
                StorageError::Conflict { constraint } if constraint.contains("groups.name") => {
                    StorageError::Conflict {
                        constraint: "groups.name".to_string(),
                    }
                }
                other => other,
            })?;
            Ok(Reply::Done)
        }
        GroupOp::Delete { tenant, id } => {
            if !group_owned(conn, *tenant, *id)? {
                return Ok(Reply::Changed(false));
            }
            for statement in [
                "DELETE FROM group_members WHERE group_id = ?",
                "DELETE FROM groups WHERE id = ?",
            ] {
                conn.prepare_cached(statement)
                    .and_then(|mut s| s.execute(params![id.to_string()]))
                    .map_err(map_sql)?;
            }
            Ok(Reply::Changed(true))
        }
        GroupOp::AddMember {
            tenant,
            group,
            user,
        } => {
            // Both the group and the person must be this organisation's.
            let both: Option<i64> = conn
                .prepare_cached(
                    "SELECT 1 FROM groups g JOIN users u ON u.tenant = g.tenant \
                     WHERE g.id = ? AND u.id = ? AND g.tenant = ?",
                )
                .and_then(|mut s| {
                    s.query_row(
                        params![group.to_string(), user.to_string(), tenant.to_string()],
                        |r| r.get(0),
                    )
                    .optional()
                })
                .map_err(map_sql)?;
            if both.is_none() {
                return Err(StorageError::NotFound);
            }
            let done = conn
                .prepare_cached(
                    "INSERT INTO group_members (group_id, user_id) VALUES (?, ?) \
                     ON CONFLICT (group_id, user_id) DO NOTHING",
                )
                .and_then(|mut s| s.execute(params![group.to_string(), user.to_string()]))
                .map_err(map_sql)?;
            Ok(Reply::Changed(done == 1))
        }
        GroupOp::RemoveMember {
            tenant,
            group,
            user,
        } => {
            if !group_owned(conn, *tenant, *group)? {
                return Err(StorageError::NotFound);
            }
            let done = conn
                .prepare_cached("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
                .and_then(|mut s| s.execute(params![group.to_string(), user.to_string()]))
                .map_err(map_sql)?;
            Ok(Reply::Changed(done == 1))
        }
        GroupOp::PutAccessPolicy {
            tenant,
            document,
            author,
            created,
        } => {
            // The single writer runs select-and-insert with no other write in between.
            crate::writer::insert_next_version(
                conn,
                "INSERT INTO access_policies (tenant, version, document, author, created) \
                 SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4 FROM access_policies \
                 WHERE tenant = ?1 RETURNING version",
                (*tenant, document, author, *created),
                "access policy version",
            )
            .map(Reply::Count)
        }
    }
}

/// Whether group `id` exists and belongs to `tenant`.
fn group_owned(
    conn: &rusqlite::Connection,
    tenant: TenantId,
    id: GroupId,
) -> storage::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM groups WHERE id = ? AND tenant = ?")
        .and_then(|mut s| {
            s.query_row(params![id.to_string(), tenant.to_string()], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
        })
        .map(|row| row.is_some())
        .map_err(map_sql)
}

fn group(row: &SqliteRow) -> storage::Result<Group> {
    Ok(Group {
        id: parse(row, "id")?,
        tenant: parse(row, "tenant")?,
        name: get(row, "name")?,
        created: ts(row, "created")?,
    })
}
