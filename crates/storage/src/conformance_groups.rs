//! Conformance stories for [`GroupStore`](crate::GroupStore) and
//! [`AccessPolicyStore`](crate::AccessPolicyStore), run by
//! [`conformance_tests!`](crate::conformance_tests) with the others (re-exported from
//! [`conformance`](crate::conformance)).
//!
//! What they pin down beyond the trait docs: groups are listed by name, members by
//! address; a person of another organisation cannot be added to a group (`NotFound`, the
//! same as a missing group), nor can an organisation touch another's group by id; a write
//! that changes nothing records nothing; access-policy versions are numbered per
//! organisation from 1 without gaps.

use model::{GroupId, TenantId, UserId};

use audit::{Actor, AuditEvent, EventKind};

use crate::conformance::{T0, new_tenant, tenant_rec, user_rec};
use crate::{AuditFilter, Group, MAX_GROUPS_PER_TENANT, SharedStore, StorageError};

fn group_rec(tenant: TenantId, name: &str) -> Group {
    Group {
        id: GroupId::new(),
        tenant,
        name: name.to_string(),
        created: T0,
    }
}

fn group_event(tenant: TenantId) -> AuditEvent {
    AuditEvent::new(
        0,
        T0,
        Actor::System {
            component: "cli".into(),
        },
        EventKind::AdminConfigChanged,
    )
    .with_tenant(tenant)
}

/// An event `validate` refuses (a detail value that is not a token).
fn invalid_event(tenant: TenantId) -> AuditEvent {
    group_event(tenant).with_detail("name", "Bob Smith")
}

async fn events(store: &SharedStore) -> usize {
    store
        .find_audit_all(&AuditFilter {
            kinds: vec![EventKind::AdminConfigChanged],
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .expect("audit")
        .len()
}

fn conflict(constraint: &str) -> StorageError {
    StorageError::Conflict {
        constraint: constraint.to_string(),
    }
}

/// Groups: created with their event, listed by name, names unique per organisation only
/// and checked; at most [`MAX_GROUPS_PER_TENANT`] per organisation; read and deleted only
/// through their own organisation; an invalid event stores nothing.
pub async fn groups_are_unique_per_organisation_and_limited(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let billing = group_rec(a, "billing");
    let admins = group_rec(a, "admins");
    store
        .create_group(&billing, &[group_event(a)])
        .await
        .expect("create");
    store.create_group(&admins, &[]).await.expect("create");
    assert_eq!(events(&store).await, 1);
    assert_eq!(
        store.create_group(&group_rec(a, "billing"), &[]).await,
        Err(conflict("groups.name"))
    );
    // The same name in another organisation is a different group.
    let billing_b = group_rec(b, "billing");
    store.create_group(&billing_b, &[]).await.expect("create");
    assert_eq!(
        store.create_group(&group_rec(a, "Two Words"), &[]).await,
        Err(conflict("groups.name_format"))
    );
    assert_eq!(
        store
            .create_group(&group_rec(TenantId::new(), "x"), &[])
            .await,
        Err(conflict("foreign_key"))
    );
    assert!(
        store
            .create_group(&group_rec(a, "bad-event"), &[invalid_event(a)])
            .await
            .is_err()
    );
    assert_eq!(
        store.groups(a).await.expect("list"),
        vec![admins.clone(), billing.clone()]
    );
    assert_eq!(
        store.groups(b).await.expect("list"),
        vec![billing_b.clone()]
    );
    assert_eq!(store.group(a, billing.id).await, Ok(billing.clone()));
    assert_eq!(store.group_by_name(a, "billing").await, Ok(billing.clone()));
    assert_eq!(
        store.group(b, billing.id).await,
        Err(StorageError::NotFound),
        "another organisation's group by id"
    );

    // Deleting: not through another organisation; then gone, with its event.
    assert_eq!(
        store.delete_group(b, billing.id, &[group_event(b)]).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(events(&store).await, 1, "a refused delete records nothing");
    store
        .delete_group(a, billing.id, &[group_event(a)])
        .await
        .expect("delete");
    assert_eq!(events(&store).await, 2);
    assert_eq!(
        store.group(a, billing.id).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.groups(a).await.expect("list"), vec![admins]);
    // Its name is free again.
    store
        .create_group(&group_rec(a, "billing"), &[])
        .await
        .expect("re-create");

    // The limit counts per organisation: A has 2, so 198 more fit.
    for i in 0..MAX_GROUPS_PER_TENANT - 2 {
        store
            .create_group(&group_rec(a, &format!("g{i:03}")), &[])
            .await
            .expect("within the limit");
    }
    assert_eq!(
        store.create_group(&group_rec(a, "one-too-many"), &[]).await,
        Err(conflict("groups.limit"))
    );
    assert_eq!(
        store.groups(a).await.expect("list").len(),
        MAX_GROUPS_PER_TENANT
    );
    store
        .create_group(&group_rec(b, "one-more"), &[])
        .await
        .expect("B has its own limit");
}

/// Members: added with their event, listed by address, a second add or a removal of a
/// non-member changes and records nothing; a person of another organisation cannot be
/// added (NotFound), nor can another organisation add to or read a group; deleting a group
/// ends its memberships.
pub async fn group_members_stay_within_their_organisation(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    let carol = user_rec(a, "carol@clinic.example", T0);
    let bob = user_rec(b, "bob@other.example", T0);
    for u in [&alice, &carol, &bob] {
        store.create_user(u, &[]).await.expect("user");
    }
    let billing = group_rec(a, "billing");
    let nurses = group_rec(a, "nurses");
    let billing_b = group_rec(b, "billing");
    for g in [&billing, &nurses, &billing_b] {
        store.create_group(g, &[]).await.expect("group");
    }

    assert_eq!(
        store
            .add_group_member(a, billing.id, carol.id, &[group_event(a)])
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .add_group_member(a, billing.id, alice.id, &[group_event(a)])
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .add_group_member(a, billing.id, alice.id, &[group_event(a)])
            .await,
        Ok(false)
    );
    assert_eq!(events(&store).await, 2, "the second add records nothing");
    store
        .add_group_member(a, nurses.id, alice.id, &[])
        .await
        .expect("add");

    // Tenant isolation, refused by the store: a person of B into A's group (through either
    // organisation), and A's person into B's group.
    assert_eq!(
        store
            .add_group_member(a, billing.id, bob.id, &[group_event(a)])
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store
            .add_group_member(b, billing.id, bob.id, &[group_event(b)])
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store
            .add_group_member(b, billing_b.id, alice.id, &[group_event(b)])
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store
            .add_group_member(a, billing.id, UserId::new(), &[])
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(events(&store).await, 2, "refused adds record nothing");

    let members: Vec<UserId> = store
        .group_members(a, billing.id)
        .await
        .expect("members")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(members, vec![alice.id, carol.id], "by address");
    assert_eq!(
        store.group_members(b, billing.id).await,
        Err(StorageError::NotFound)
    );
    assert!(
        store
            .group_members(b, billing_b.id)
            .await
            .expect("members")
            .is_empty()
    );
    let names = |groups: Vec<Group>| groups.into_iter().map(|g| g.name).collect::<Vec<_>>();
    assert_eq!(
        names(store.groups_of_user(alice.id).await.expect("groups")),
        vec!["billing", "nurses"]
    );
    assert!(
        store
            .groups_of_user(bob.id)
            .await
            .expect("groups")
            .is_empty()
    );

    // Removing: not through another organisation; once; an invalid event undoes it.
    assert_eq!(
        store
            .remove_group_member(b, billing.id, alice.id, &[])
            .await,
        Err(StorageError::NotFound)
    );
    assert!(
        store
            .remove_group_member(a, billing.id, alice.id, &[invalid_event(a)])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .group_members(a, billing.id)
            .await
            .expect("members")
            .len(),
        2
    );
    assert_eq!(
        store
            .remove_group_member(a, billing.id, alice.id, &[group_event(a)])
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .remove_group_member(a, billing.id, alice.id, &[group_event(a)])
            .await,
        Ok(false)
    );
    assert_eq!(events(&store).await, 3);
    assert_eq!(
        names(store.groups_of_user(alice.id).await.expect("groups")),
        vec!["nurses"]
    );

    // Deleting a group ends its memberships.
    store.delete_group(a, nurses.id, &[]).await.expect("delete");
    assert!(
        store
            .groups_of_user(alice.id)
            .await
            .expect("groups")
            .is_empty()
    );
}

/// Access policies: versions per organisation from 1 without gaps (an invalid event takes
/// no number), the highest in force, history oldest first, a missing organisation is a
/// foreign-key conflict, and the mail policies are a separate series.
pub async fn access_policies_are_versioned_per_organisation(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    assert_eq!(store.current_access_policy(a).await, Ok(None));
    assert_eq!(
        store
            .put_access_policy(a, "# one", "system:cli", T0, &[group_event(a)])
            .await,
        Ok(1)
    );
    assert!(
        store
            .put_access_policy(a, "# bad", "system:cli", T0, &[invalid_event(a)])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .put_access_policy(
                a,
                "# two",
                "user:x",
                T0.plus(std::time::Duration::from_secs(1)),
                &[]
            )
            .await,
        Ok(2)
    );
    assert_eq!(
        store
            .put_access_policy(b, "# b", "system:cli", T0, &[])
            .await,
        Ok(1)
    );
    let current = store
        .current_access_policy(a)
        .await
        .expect("current")
        .expect("some");
    assert_eq!((current.version, current.document.as_str()), (2, "# two"));
    assert_eq!(current.author, "user:x");
    let history = store.access_policy_history(a).await.expect("history");
    assert_eq!(
        history.iter().map(|p| p.version).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(history[0].document, "# one");
    assert_eq!(events(&store).await, 1);
    assert_eq!(store.current_policy(a).await, Ok(None), "a separate series");
    let missing = tenant_rec("missing", T0).id;
    assert_eq!(
        store
            .put_access_policy(missing, "#", "system:cli", T0, &[])
            .await,
        Err(conflict("foreign_key"))
    );
}

/// Lists are in byte order on every backend (as SQLite sorts): `a-c` < `a1` < `a_b` < `ab`
/// for group names, and likewise for members' addresses. A PostgreSQL database created
/// with a linguistic collation (en_US, ICU) would otherwise sort `a_b` first and `a-c`
/// before `ab` ignoring the dash, so the same data would be listed differently.
pub async fn groups_and_members_are_listed_in_byte_order(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let names = ["ab", "a_b", "a1", "a-c"];
    let mut groups = Vec::new();
    for name in names {
        let g = group_rec(a, name);
        store.create_group(&g, &[]).await.expect("group");
        groups.push(g);
    }
    let listed: Vec<String> = store
        .groups(a)
        .await
        .expect("groups")
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(listed, ["a-c", "a1", "a_b", "ab"]);

    let people: Vec<_> = names
        .iter()
        .map(|n| user_rec(a, &format!("{n}@clinic.example"), T0))
        .collect();
    for p in &people {
        store.create_user(p, &[]).await.expect("user");
        store
            .add_group_member(a, groups[0].id, p.id, &[])
            .await
            .expect("member");
    }
    let members: Vec<String> = store
        .group_members(a, groups[0].id)
        .await
        .expect("members")
        .into_iter()
        .map(|u| u.address.to_string())
        .collect();
    assert_eq!(
        members,
        [
            "a-c@clinic.example",
            "a1@clinic.example",
            "a_b@clinic.example",
            "ab@clinic.example"
        ]
    );
    for g in &groups {
        store
            .add_group_member(a, g.id, people[0].id, &[])
            .await
            .expect("member");
    }
    let of_user: Vec<String> = store
        .groups_of_user(people[0].id)
        .await
        .expect("groups of user")
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(of_user, ["a-c", "a1", "a_b", "ab"]);
}
