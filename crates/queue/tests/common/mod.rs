//! What the intake tests share: a real SQLite store in a temporary directory with one
//! organisation and its key, people, and a policy.

#![allow(
    dead_code,
    reason = "each test binary uses its own part of these helpers"
)]

use std::sync::Arc;

use crypto::{KeyRing, MasterKey};
use model::{EmailAddress, GroupId, Role, SystemClock, TenantId, Timestamp, UserId};
use queue::{Intake, IntakeConfig, PolicySource, Screening, StorePolicySource};
use storage::{Group, SharedStore, User};

/// A store with one organisation ("Clinic") whose key is in the returned key ring.
pub(crate) async fn setup() -> (tempfile::TempDir, SharedStore, Arc<KeyRing>, TenantId) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store: SharedStore = Arc::new(
        storage_sqlite::SqliteStore::open(&dir.path().join("q.db"))
            .await
            .expect("open"),
    );
    let keys = Arc::new(KeyRing::new(MasterKey::generate().expect("rng")));
    let tenant = TenantId::new();
    store
        .create_tenant(
            &storage::Tenant {
                id: tenant,
                name: "Clinic".into(),
                created: Timestamp::from_millis(0),
            },
            &[],
        )
        .await
        .expect("tenant");
    keys.generate_tenant_key(tenant).expect("tenant key");
    (dir, store, keys, tenant)
}

/// A person who may send mail, not yet stored.
pub(crate) fn user(tenant: TenantId, address: &str) -> User {
    User {
        id: UserId::new(),
        tenant,
        address: EmailAddress::parse(address).expect("address"),
        role: Role::Sender,
        password_hash: None,
        must_change_password: false,
        disabled: false,
        created: Timestamp::from_millis(0),
    }
}

/// Make `policy` the organisation's mail policy.
pub(crate) async fn put_policy(store: &SharedStore, tenant: TenantId, policy: &str) {
    store
        .put_policy(
            tenant,
            policy,
            "system:test",
            Timestamp::from_millis(0),
            &[],
        )
        .await
        .expect("policy");
}

/// Store `users`, and a group `name` of the first of them.
pub(crate) async fn people_and_group(
    store: &SharedStore,
    tenant: TenantId,
    users: &[&User],
    name: &str,
) {
    for u in users {
        store.create_user(u, &[]).await.expect("user");
    }
    let group = Group {
        id: GroupId::new(),
        tenant,
        name: name.into(),
        created: Timestamp::from_millis(0),
    };
    store.create_group(&group, &[]).await.expect("group");
    store
        .add_group_member(tenant, group.id, users[0].id, &[])
        .await
        .expect("member");
}

/// An intake with the default settings and no screening.
pub(crate) fn intake(store: &SharedStore, keys: Arc<KeyRing>) -> Intake {
    Intake::new(
        store.clone(),
        keys,
        Arc::new(SystemClock),
        IntakeConfig::default(),
    )
}

/// An intake that screens every message with the real screener and `policies`.
pub(crate) fn intake_screened_by(
    store: &SharedStore,
    keys: Arc<KeyRing>,
    policies: Arc<dyn PolicySource>,
) -> Intake {
    intake(store, keys).with_screening(Screening {
        screener: Arc::new(screening::Screener::new()),
        policies,
    })
}

/// An intake that screens every message with the real screener and the store's policy.
pub(crate) fn screened_intake(store: &SharedStore, keys: Arc<KeyRing>) -> Intake {
    let policies = StorePolicySource::new(store.clone()).expect("source");
    intake_screened_by(store, keys, Arc::new(policies))
}
