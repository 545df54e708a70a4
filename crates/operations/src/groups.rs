//! Groups of people in an organisation: create, delete, list with members, add and remove
//! members by address, and keep memberships in step with an identity provider's group
//! claims at single sign-on. One implementation for the CLI (`carepost group …`), the
//! console (`/console/groups`) and its JSON twin (`/api/v1/groups`).
//!
//! **Security:** every call names the organisation it acts in. A group or person of another
//! organisation is answered exactly like an unknown one ([`GroupError::NotFound`],
//! [`GroupError::UnknownPerson`]); the store refuses such a membership too (see
//! `storage::GroupStore`), so a caller's mistake cannot cross organisations. Every change
//! is recorded (`admin.group_changed`, details `action` and `group`, the person in
//! `subject.user`) in the same transaction as the change.
//!
//! **PHI:** none. Addresses of staff are looked up, never written to the audit trail or an
//! error; group names are tokens ([`storage::check_group_name`]).

use std::collections::BTreeSet;

use audit::{EventKind, Subject};
use model::{EmailAddress, GroupId, Role, TenantId, UserId};
use serde::Serialize;
use storage::{Group, GroupNameError, SharedStore, StorageError, check_group_name};

use crate::Request;

/// Why a group operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// The name breaks the naming rule.
    #[error("{0}")]
    InvalidName(#[from] GroupNameError),
    /// The organisation has a group of that name.
    #[error("a group of that name exists")]
    NameTaken,
    /// The organisation has [`storage::MAX_GROUPS_PER_TENANT`] groups already.
    #[error(
        "an organisation has at most {} groups",
        storage::MAX_GROUPS_PER_TENANT
    )]
    TooMany,
    /// No such group in this organisation (another organisation's is answered the same).
    #[error("no such group")]
    NotFound,
    /// The address does not parse.
    #[error("not an e-mail address")]
    InvalidAddress,
    /// No person with this address in this organisation.
    #[error("no person with this address in the organisation")]
    UnknownPerson,
    /// The database failed.
    #[error("storage: {0}")]
    Storage(StorageError),
}

impl From<StorageError> for GroupError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => GroupError::NotFound,
            StorageError::Conflict { constraint } if constraint == "groups.name" => {
                GroupError::NameTaken
            }
            StorageError::Conflict { constraint } if constraint == "groups.limit" => {
                GroupError::TooMany
            }
            other => GroupError::Storage(other),
        }
    }
}

/// A group with its members, as the front ends show it.
#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    /// Its id.
    pub id: GroupId,
    /// Its name.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// Its members, by address.
    pub members: Vec<MemberView>,
}

/// One member of a group.
#[derive(Clone, Debug, Serialize)]
pub struct MemberView {
    /// The person's id.
    pub id: UserId,
    /// Their sign-in address.
    pub address: String,
    /// Their role.
    pub role: Role,
    /// Whether they are disabled.
    pub disabled: bool,
}

/// The organisation's groups with their members, by name.
pub async fn list(store: &SharedStore, tenant: TenantId) -> Result<Vec<GroupView>, GroupError> {
    let mut out = Vec::new();
    for g in store.groups(tenant).await? {
        let members = store
            .group_members(tenant, g.id)
            .await?
            .into_iter()
            .map(|u| MemberView {
                id: u.id,
                address: u.address.to_string(),
                role: u.role,
                disabled: u.disabled,
            })
            .collect();
        out.push(GroupView {
            id: g.id,
            name: g.name,
            created: g.created.to_rfc3339(),
            members,
        });
    }
    Ok(out)
}

/// A group of the organisation by id or name (a front end may take either).
pub async fn find(
    store: &SharedStore,
    tenant: TenantId,
    id_or_name: &str,
) -> Result<Group, GroupError> {
    let text = id_or_name.trim();
    let found = match text.parse::<GroupId>() {
        Ok(id) => store.group(tenant, id).await,
        Err(_) => store.group_by_name(tenant, text).await,
    };
    Ok(found?)
}

/// Create a group named `name`.
pub async fn create(
    store: &SharedStore,
    tenant: TenantId,
    name: &str,
    request: &Request,
) -> Result<Group, GroupError> {
    let name = name.trim();
    check_group_name(name)?;
    let group = Group {
        id: GroupId::new(),
        tenant,
        name: name.to_string(),
        created: request.now,
    };
    let event = changed(request, tenant, "created", &group.name, None);
    store.create_group(&group, &[event]).await?;
    Ok(group)
}

/// Delete a group (its memberships end with it).
pub async fn delete(
    store: &SharedStore,
    tenant: TenantId,
    group: &Group,
    request: &Request,
) -> Result<(), GroupError> {
    let event = changed(request, tenant, "deleted", &group.name, None);
    store.delete_group(tenant, group.id, &[event]).await?;
    Ok(())
}

/// Add the organisation's person with this address: `Ok(false)` if already a member.
pub async fn add_member(
    store: &SharedStore,
    tenant: TenantId,
    group: &Group,
    address: &str,
    request: &Request,
) -> Result<bool, GroupError> {
    let user = person(store, tenant, address).await?;
    set_member(store, tenant, group, user, true, request).await
}

/// Remove the organisation's person with this address: `Ok(false)` if not a member.
pub async fn remove_member(
    store: &SharedStore,
    tenant: TenantId,
    group: &Group,
    address: &str,
    request: &Request,
) -> Result<bool, GroupError> {
    let user = person(store, tenant, address).await?;
    set_member(store, tenant, group, user, false, request).await
}

/// Add (`member`) or remove `user` in `group`, audited in the same transaction; whether
/// the membership changed (adding a member or removing a non-member changes nothing).
async fn set_member(
    store: &SharedStore,
    tenant: TenantId,
    group: &Group,
    user: UserId,
    member: bool,
    request: &Request,
) -> Result<bool, GroupError> {
    let action = if member {
        "member_added"
    } else {
        "member_removed"
    };
    let event = changed(request, tenant, action, &group.name, Some(user));
    let done = if member {
        store
            .add_group_member(tenant, group.id, user, &[event])
            .await?
    } else {
        store
            .remove_group_member(tenant, group.id, user, &[event])
            .await?
    };
    Ok(done)
}

/// Single sign-on: make `user`'s memberships match the identity provider's claims, for
/// the organisation's groups only. A claimed name that is one of the organisation's groups
/// adds the person; a group the person is in whose name is no longer claimed removes them
/// (the provider is the source of truth for people who sign in through it). Claims that
/// name no group of the organisation are ignored (groups are not created here). Returns
/// (added, removed).
pub async fn sync_with_claims(
    store: &SharedStore,
    tenant: TenantId,
    user: UserId,
    claims: &[String],
    request: &Request,
) -> Result<(usize, usize), GroupError> {
    let claimed: BTreeSet<&str> = claims.iter().map(String::as_str).collect();
    let current: BTreeSet<String> = store
        .groups_of_user(user)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let (mut added, mut removed) = (0, 0);
    for g in store.groups(tenant).await? {
        let wanted = claimed.contains(g.name.as_str());
        let member = current.contains(&g.name);
        if wanted != member && set_member(store, tenant, &g, user, wanted, request).await? {
            if wanted {
                added += 1;
            } else {
                removed += 1;
            }
        }
    }
    Ok((added, removed))
}

/// The id of the organisation's person with this address.
async fn person(
    store: &SharedStore,
    tenant: TenantId,
    address: &str,
) -> Result<UserId, GroupError> {
    let address = EmailAddress::parse(address.trim()).map_err(|_| GroupError::InvalidAddress)?;
    match store.user_by_address(&address).await {
        Ok(u) if u.tenant == tenant => Ok(u.id),
        Ok(_) | Err(StorageError::NotFound) => Err(GroupError::UnknownPerson),
        Err(e) => Err(GroupError::Storage(e)),
    }
}

fn changed(
    request: &Request,
    tenant: TenantId,
    action: &str,
    group: &str,
    user: Option<UserId>,
) -> audit::AuditEvent {
    request
        .event(EventKind::AdminGroupChanged)
        .with_tenant(tenant)
        .with_subject(Subject {
            user,
            ..Subject::default()
        })
        .with_detail("action", action)
        .with_detail("group", group)
}

#[cfg(test)]
mod tests {
    use audit::Actor;
    use model::Timestamp;
    use storage::User;

    use super::*;
    use crate::testing::{World, world};

    /// The test world's two organisations, with a person in each (alice in the first, bob
    /// in the second).
    async fn fixture() -> (tempfile::TempDir, SharedStore, TenantId, TenantId) {
        let World {
            _dir: dir,
            store,
            clinic,
            other,
            ..
        } = world().await;
        for (tenant, address) in [(clinic, "alice@a.test"), (other, "bob@b.test")] {
            let u = User {
                id: UserId::new(),
                tenant,
                address: EmailAddress::parse(address).expect("address"),
                role: Role::Sender,
                password_hash: None,
                must_change_password: false,
                disabled: false,
                created: Timestamp::from_millis(0),
            };
            store.create_user(&u, &[]).await.expect("user");
        }
        (dir, store, clinic, other)
    }

    fn request() -> Request {
        Request {
            actor: Actor::System {
                component: "test".into(),
            },
            source_ip: None,
            now: Timestamp::from_millis(1),
        }
    }

    #[tokio::test]
    async fn members_are_people_of_the_same_organisation_only() {
        let (_dir, store, a, b) = fixture().await;
        let r = request();
        let g = create(&store, a, "billing", &r).await.expect("create");
        assert!(matches!(
            create(&store, a, "billing", &r).await,
            Err(GroupError::NameTaken)
        ));
        assert!(matches!(
            create(&store, a, "Billing Team", &r).await,
            Err(GroupError::InvalidName(_))
        ));
        assert!(
            add_member(&store, a, &g, "alice@a.test", &r)
                .await
                .expect("add")
        );
        assert!(
            !add_member(&store, a, &g, "alice@a.test", &r)
                .await
                .expect("again")
        );
        assert!(matches!(
            add_member(&store, a, &g, "bob@b.test", &r).await,
            Err(GroupError::UnknownPerson)
        ));
        assert!(matches!(
            add_member(&store, a, &g, "not an address", &r).await,
            Err(GroupError::InvalidAddress)
        ));
        assert!(matches!(
            find(&store, b, &g.id.to_string()).await,
            Err(GroupError::NotFound)
        ));
        assert!(matches!(
            find(&store, b, "billing").await,
            Err(GroupError::NotFound)
        ));
        let listed = list(&store, a).await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].members[0].address, "alice@a.test");
        assert!(list(&store, b).await.expect("list").is_empty());
        let events = store
            .find_audit_all(&storage::AuditFilter {
                kinds: vec![EventKind::AdminGroupChanged],
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("audit");
        assert_eq!(
            events.len(),
            2,
            "created and member_added, nothing for refusals"
        );
        assert_eq!(events[1].details["action"], "member_added");
        assert_eq!(events[1].details["group"], "billing");
        assert!(
            remove_member(&store, a, &g, "alice@a.test", &r)
                .await
                .expect("remove")
        );
        delete(&store, a, &g, &r).await.expect("delete");
        assert!(matches!(
            find(&store, a, "billing").await,
            Err(GroupError::NotFound)
        ));
    }

    #[tokio::test]
    async fn sign_in_claims_add_and_remove_memberships_of_existing_groups() {
        let (_dir, store, a, _b) = fixture().await;
        let r = request();
        let billing = create(&store, a, "billing", &r).await.expect("create");
        create(&store, a, "nurses", &r).await.expect("create");
        let alice = store
            .user_by_address(&EmailAddress::parse("alice@a.test").expect("address"))
            .await
            .expect("alice");
        add_member(&store, a, &billing, "alice@a.test", &r)
            .await
            .expect("add");
        let claims = vec!["nurses".to_string(), "unknown-idp-group".to_string()];
        assert_eq!(
            sync_with_claims(&store, a, alice.id, &claims, &r)
                .await
                .expect("sync"),
            (1, 1)
        );
        let names: Vec<String> = store
            .groups_of_user(alice.id)
            .await
            .expect("groups")
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(names, vec!["nurses"], "no group is created from a claim");
        assert_eq!(
            sync_with_claims(&store, a, alice.id, &claims, &r)
                .await
                .expect("sync"),
            (0, 0)
        );
    }
}
