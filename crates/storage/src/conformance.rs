//! The storage conformance suite: one story per behaviour, run against every backend.
//!
//! Each story is a `pub async fn` taking a fresh, empty [`SharedStore`]. A backend's test
//! file implements [`Backend`] (how to make a fresh store and throw it away) and expands
//! [`conformance_tests!`](crate::conformance_tests) once, which generates one `#[test]`
//! per story, each with its own database:
//!
//! ```ignore
//! struct Sqlite { dir: tempfile::TempDir, store: SharedStore }
//! #[async_trait::async_trait]
//! impl storage::conformance::Backend for Sqlite { /* fresh, store, teardown */ }
//! storage::conformance_tests!(Sqlite);
//! ```
//!
//! The stories pin down what the trait docs leave open, so both backends agree:
//!
//! - every list "oldest first" is ordered by `created`, then id; `list_recipients` is
//!   ordered by id descending (ids are UUIDv7, so newest first);
//! - `count_by_status` returns every status in [`RecipientStatus::ALL`] order, zeros
//!   included;
//! - a write that refers to a missing tenant, user, message or recipient fails with
//!   `Conflict { constraint: "foreign_key" }`; an update of a missing row with `NotFound`;
//! - `complete` and `release_claim` on a copy that exists but is not `delivering` under
//!   this worker's lease fail with `Conflict { constraint: "lease" }`; the lease holder may
//!   still complete after its lease ran out, as long as nobody reclaimed the copy;
//! - `release_claim` puts the copy back to `queued` if it was never attempted, otherwise
//!   to `deferred`;
//! - `transition` of an unknown id is `NotFound`, and clears any lease;
//! - error texts never contain the values written (addresses are PHI).
//!
//! All stories use fixed timestamps (around [`T0`]) and pass `now` explicitly, so they
//! never depend on the wall clock or sleep.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use model::{
    ApiKeyId, EmailAddress, MessageId, Principal, Priority, RecipientId, RecipientStatus, Role,
    SubmissionChannel, TenantId, Timestamp, TlsRecord, UserId,
};

use crate::{
    AppPassword, AttemptOutcome, AttemptRecord, KeyPurpose, MessageRecord, NewMessage,
    NewRecipient, RecipientFilter, RecipientRecord, SharedStore, StorageError, Tenant, User,
    WrappedKey,
};

/// The suite's reference time (2027-01-15T08:00:00Z).
pub const T0: Timestamp = Timestamp(1_800_000_000_000);

/// How a backend's tests make and discard a fresh store.
#[async_trait]
pub trait Backend: Sized + Send + 'static {
    /// A fresh, empty store, or `None` to skip (print why; e.g. no database URL is set).
    async fn fresh() -> Option<Self>;
    /// The store under test.
    fn store(&self) -> SharedStore;
    /// Discard the store and its database (unless the user asked to keep it).
    async fn teardown(self);
}

/// Run one story against a fresh store of backend `B` on a new multi-threaded runtime,
/// tear the store down (also when the story panics), then report the story's panic.
pub fn run<B, F, Fut>(story: F)
where
    B: Backend,
    F: FnOnce(SharedStore) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime can be built in tests");
    runtime.block_on(async move {
        let Some(backend) = B::fresh().await else {
            return;
        };
        let outcome = tokio::spawn(story(backend.store())).await;
        backend.teardown().await;
        if let Err(e) = outcome {
            if e.is_panic() {
                std::panic::resume_unwind(e.into_panic());
            }
            panic!("story task was cancelled");
        }
    });
}

/// Generate one `#[test]` per conformance story for a type implementing
/// [`conformance::Backend`](crate::conformance::Backend).
#[macro_export]
macro_rules! conformance_tests {
    ($backend:ty) => {
        $crate::conformance_tests!(@each $backend;
            tenants_are_created_listed_and_unique,
            users_are_unique_by_address_and_found_by_id_and_address,
            user_needs_an_existing_tenant,
            errors_never_contain_the_values_written,
            app_passwords_are_added_listed_and_revoked,
            activating_a_key_deactivates_the_others_and_rewrap_is_atomic,
            enqueue_round_trips_message_body_and_recipients,
            enqueue_is_atomic_and_failures_do_not_spill_over,
            claim_takes_only_due_copies_clinical_first,
            claim_respects_the_limit,
            concurrent_claimers_never_get_the_same_copy,
            expired_lease_is_reclaimed_by_another_worker,
            complete_with_a_stale_lease_is_a_conflict,
            complete_delivered_stores_tls_and_an_attempt,
            complete_deferred_reschedules_and_counts_attempts,
            release_claim_makes_the_copy_due_again,
            a_restarting_node_releases_its_own_claims_only,
            transition_respects_from,
            count_by_status_and_next_due,
            list_recipients_filters_and_isolates_tenants,
            concurrent_enqueues_are_all_durable_and_readable,
        );
    };
    (@each $backend:ty; $($story:ident),+ $(,)?) => {
        $(
            #[test]
            fn $story() {
                $crate::conformance::run::<$backend, _, _>($crate::conformance::$story);
            }
        )+
    };
}

// ── Stories ────────────────────────────────────────────────────────────────────────────

/// Tenants: create, get, list oldest first, conflicts on id and name, missing is NotFound.
pub async fn tenants_are_created_listed_and_unique(store: SharedStore) {
    let a = tenant_rec("Clinic A", T0);
    let b = tenant_rec("Clinic B", T0.plus(ms(1)));
    store.create_tenant(&b).await.expect("create b");
    store.create_tenant(&a).await.expect("create a");
    assert_eq!(store.tenant(a.id).await.expect("get a"), a);
    assert_eq!(
        store.tenants().await.expect("list"),
        vec![a.clone(), b.clone()]
    );

    let same_id = Tenant {
        name: "Other".into(),
        ..a.clone()
    };
    assert_eq!(
        store.create_tenant(&same_id).await,
        Err(conflict("tenants.id"))
    );
    let same_name = tenant_rec("Clinic A", T0);
    assert_eq!(
        store.create_tenant(&same_name).await,
        Err(conflict("tenants.name"))
    );
    assert_eq!(
        store.tenant(TenantId::new()).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.tenants().await.expect("list").len(), 2);
}

/// Users: create, lookups, per-tenant list, duplicate address, password hash updates.
pub async fn users_are_unique_by_address_and_found_by_id_and_address(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    let bob = user_rec(a, "bob@clinic.example", T0.plus(ms(1)));
    let carol = User {
        role: Role::Admin,
        ..user_rec(b, "carol@other.example", T0)
    };
    for u in [&bob, &alice, &carol] {
        store.create_user(u).await.expect("create user");
    }
    assert_eq!(store.user(alice.id).await.expect("by id"), alice);
    assert_eq!(
        store
            .user_by_address(&alice.address)
            .await
            .expect("by address"),
        alice
    );
    assert_eq!(
        store.users(a).await.expect("list a"),
        vec![alice.clone(), bob.clone()]
    );
    assert_eq!(store.users(b).await.expect("list b"), vec![carol.clone()]);

    // Addresses are logins: unique across tenants.
    let dup = user_rec(b, "alice@clinic.example", T0);
    assert_eq!(
        store.create_user(&dup).await,
        Err(conflict("users.address"))
    );
    assert_eq!(store.user(dup.id).await, Err(StorageError::NotFound));
    assert_eq!(
        store.user_by_address(&addr("nobody@clinic.example")).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.user(UserId::new()).await, Err(StorageError::NotFound));

    store
        .set_password_hash(alice.id, "$argon2id$new", true)
        .await
        .expect("set hash");
    let changed = store.user(alice.id).await.expect("by id");
    assert_eq!(changed.password_hash.as_deref(), Some("$argon2id$new"));
    assert!(changed.must_change_password);
    assert_eq!(
        store.user(bob.id).await.expect("bob"),
        bob,
        "other users untouched"
    );
    assert_eq!(
        store
            .set_password_hash(UserId::new(), "$argon2id$x", false)
            .await,
        Err(StorageError::NotFound)
    );
}

/// A user row refers to its tenant.
pub async fn user_needs_an_existing_tenant(store: SharedStore) {
    let orphan = user_rec(TenantId::new(), "orphan@clinic.example", T0);
    assert_eq!(
        store.create_user(&orphan).await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(store.user(orphan.id).await, Err(StorageError::NotFound));
}

/// Good case: a conflict names the constraint. Bad case it guards against: the error
/// echoing the patient address (PHI) that caused it.
pub async fn errors_never_contain_the_values_written(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let patient = user_rec(a, "jane.patient.4711@clinic.example", T0);
    store.create_user(&patient).await.expect("create");
    let err = store
        .create_user(&user_rec(a, "jane.patient.4711@clinic.example", T0))
        .await
        .expect_err("duplicate address");
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("users.address"),
        "names the constraint: {text}"
    );
    assert!(
        !text.contains("jane.patient"),
        "must not echo the address: {text}"
    );
}

/// App passwords: add, list oldest first (revoked included), revoke, missing is NotFound.
pub async fn app_passwords_are_added_listed_and_revoked(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    let bob = user_rec(a, "bob@clinic.example", T0);
    store.create_user(&alice).await.expect("alice");
    store.create_user(&bob).await.expect("bob");
    let p1 = app_password(&alice, "scanner", T0);
    let p2 = app_password(&alice, "Thunderbird", T0.plus(ms(5)));
    store.add_app_password(&p2).await.expect("p2");
    store.add_app_password(&p1).await.expect("p1");
    assert_eq!(
        store.app_passwords(alice.id).await.expect("list"),
        vec![p1.clone(), p2.clone()]
    );
    assert_eq!(store.app_passwords(bob.id).await.expect("list"), vec![]);
    assert_eq!(
        store.add_app_password(&p1).await,
        Err(conflict("app_passwords.id"))
    );

    store.revoke_app_password(p1.id).await.expect("revoke");
    let listed = store.app_passwords(alice.id).await.expect("list");
    assert_eq!(
        listed,
        vec![
            AppPassword {
                revoked: true,
                ..p1.clone()
            },
            p2.clone()
        ]
    );
    assert_eq!(
        store.revoke_app_password(ApiKeyId::new()).await,
        Err(StorageError::NotFound)
    );
}

/// Keys: an active key deactivates the tenant's other keys of the same purpose only;
/// rewrap changes only the wrapping and is all-or-nothing.
pub async fn activating_a_key_deactivates_the_others_and_rewrap_is_atomic(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let k1 = key_rec("k1", a, KeyPurpose::TenantData, true, T0);
    let dkim = key_rec("dkim1", a, KeyPurpose::Dkim, true, T0.plus(ms(1)));
    let other = key_rec("kb", b, KeyPurpose::TenantData, true, T0.plus(ms(2)));
    let k2 = key_rec("k2", a, KeyPurpose::TenantData, true, T0.plus(ms(3)));
    let spare = key_rec("k3", a, KeyPurpose::TenantData, false, T0.plus(ms(4)));
    for k in [&k1, &dkim, &other, &k2, &spare] {
        store.put_key(k).await.expect("put key");
    }
    assert!(!store.key("k1").await.expect("k1").active, "k2 replaced k1");
    assert!(
        store.key("k2").await.expect("k2").active,
        "an inactive put leaves k2 active"
    );
    assert!(
        store.key("dkim1").await.expect("dkim").active,
        "other purpose untouched"
    );
    assert!(
        store.key("kb").await.expect("kb").active,
        "other tenant untouched"
    );
    assert_eq!(store.key("k1").await.expect("k1").wrapped, k1.wrapped);
    let ids: Vec<String> = store
        .all_keys()
        .await
        .expect("all")
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(ids, ["k1", "dkim1", "kb", "k2", "k3"]);
    assert_eq!(store.put_key(&k1).await, Err(conflict("keys.id")));
    assert_eq!(store.key("nope").await, Err(StorageError::NotFound));

    // Rewrap: only `wrapped` and `wrapping_key_id` change, whatever else the caller passes.
    let mut r1 = store.key("k1").await.expect("k1");
    r1.wrapped = vec![9, 9, 9];
    r1.wrapping_key_id = "master-2".into();
    r1.active = true;
    let mut r2 = store.key("k2").await.expect("k2");
    r2.wrapped = vec![8, 8];
    r2.wrapping_key_id = "master-2".into();
    store
        .rewrap_keys(&[r1.clone(), r2.clone()])
        .await
        .expect("rewrap");
    let got1 = store.key("k1").await.expect("k1");
    assert_eq!(
        (got1.wrapped.as_slice(), got1.wrapping_key_id.as_str()),
        (&[9u8, 9, 9][..], "master-2")
    );
    assert!(!got1.active, "rewrap does not touch `active`");
    assert_eq!(store.key("k2").await.expect("k2").wrapped, vec![8, 8]);

    // One unknown id: nothing changes.
    let mut r3 = store.key("dkim1").await.expect("dkim");
    r3.wrapped = vec![7];
    r3.wrapping_key_id = "master-3".into();
    let ghost = key_rec("ghost", a, KeyPurpose::Dkim, false, T0);
    assert_eq!(
        store.rewrap_keys(&[r3, ghost]).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.key("dkim1").await.expect("dkim").wrapping_key_id,
        "master-1"
    );
}

/// Enqueue: message, sealed body and recipient copies read back exactly.
pub async fn enqueue_round_trips_message_body_and_recipients(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let mut msg = message(
        a,
        Priority::Clinical,
        &[
            ("p1@dest.example", RecipientStatus::Queued, T0),
            (
                "p2@dest.example",
                RecipientStatus::Quarantined,
                T0.plus(ms(10)),
            ),
        ],
    );
    msg.record.principal = Principal::User {
        user_id: UserId::new(),
        credential: ApiKeyId::new(),
    };
    msg.sealed_body = (0..=255u8).chain([0, 0, 255]).collect();
    store.enqueue(msg.clone()).await.expect("enqueue");

    assert_eq!(
        store.message(msg.record.id).await.expect("message"),
        msg.record
    );
    assert_eq!(
        store.message_body(msg.record.id).await.expect("body"),
        msg.sealed_body
    );
    let got = store
        .recipients_of(msg.record.id)
        .await
        .expect("recipients");
    let mut expected = expected_records(&msg);
    expected.sort_by_key(|r| r.id);
    assert_eq!(strip_updated(got), expected);
    for r in &expected {
        assert_eq!(
            strip_updated(vec![store.recipient(r.id).await.expect("one")]),
            vec![r.clone()]
        );
    }

    // Null sender, system principal, bulk.
    let mut dsn = message(
        a,
        Priority::Bulk,
        &[("p3@dest.example", RecipientStatus::Queued, T0)],
    );
    dsn.record.envelope_from = None;
    dsn.record.principal = Principal::System;
    dsn.record.channel = SubmissionChannel::Internal;
    store.enqueue(dsn.clone()).await.expect("enqueue dsn");
    assert_eq!(store.message(dsn.record.id).await.expect("dsn"), dsn.record);

    let unknown = MessageId::new();
    assert_eq!(store.message(unknown).await, Err(StorageError::NotFound));
    assert_eq!(
        store.message_body(unknown).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.recipients_of(unknown).await, Ok(vec![]));
    assert_eq!(
        store.recipient(RecipientId::new()).await,
        Err(StorageError::NotFound)
    );
}

/// A failing enqueue leaves nothing behind, and concurrent good enqueues (which a backend
/// may commit in the same batch) are unaffected.
pub async fn enqueue_is_atomic_and_failures_do_not_spill_over(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut m = message(
                a,
                Priority::Normal,
                &[
                    ("x@dest.example", RecipientStatus::Queued, T0),
                    ("y@dest.example", RecipientStatus::Queued, T0),
                ],
            );
            let good = i % 2 == 0;
            if !good {
                // The same recipient id twice: the second insert fails.
                m.recipients[1].id = m.recipients[0].id;
            }
            let result = store.enqueue(m.clone()).await;
            (good, m, result)
        }));
    }
    for t in tasks {
        let (good, m, result) = t.await.expect("task");
        if good {
            result.expect("good enqueue commits");
            assert_eq!(
                store.recipients_of(m.record.id).await.expect("rcpts").len(),
                2
            );
        } else {
            assert_eq!(result, Err(conflict("recipients.id")));
            assert_eq!(
                store.message(m.record.id).await,
                Err(StorageError::NotFound)
            );
            assert_eq!(
                store.message_body(m.record.id).await,
                Err(StorageError::NotFound)
            );
            assert_eq!(
                store.recipient(m.recipients[0].id).await,
                Err(StorageError::NotFound)
            );
        }
    }
    assert_eq!(
        total(&store.count_by_status(None).await.expect("count")),
        40
    );

    // A message for a tenant that does not exist is refused.
    let orphan = message(
        TenantId::new(),
        Priority::Normal,
        &[("z@d.example", RecipientStatus::Queued, T0)],
    );
    assert_eq!(
        store.enqueue(orphan.clone()).await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(
        store.message(orphan.record.id).await,
        Err(StorageError::NotFound)
    );
}

/// Only due copies (queued/deferred with next_attempt <= now) are claimed, clinical first,
/// then by next_attempt; held, quarantined and future copies stay.
pub async fn claim_takes_only_due_copies_clinical_first(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let bulk = message(
        a,
        Priority::Bulk,
        &[("b@d.example", RecipientStatus::Queued, T0.minus(secs(60)))],
    );
    let normal = message(
        a,
        Priority::Normal,
        &[("n@d.example", RecipientStatus::Queued, T0.minus(secs(5)))],
    );
    let clinical = message(
        a,
        Priority::Clinical,
        &[
            ("c@d.example", RecipientStatus::Queued, T0),
            ("later@d.example", RecipientStatus::Queued, T0.plus(secs(1))),
            ("held@d.example", RecipientStatus::Held, T0.minus(secs(60))),
            (
                "quar@d.example",
                RecipientStatus::Quarantined,
                T0.minus(secs(60)),
            ),
            (
                "portal@d.example",
                RecipientStatus::AwaitingPortal,
                T0.minus(secs(60)),
            ),
        ],
    );
    for m in [&bulk, &normal, &clinical] {
        store.enqueue(m.clone()).await.expect("enqueue");
    }
    let claimed = store
        .claim_due("w1", T0, secs(60), 10)
        .await
        .expect("claim");
    let ids: Vec<RecipientId> = claimed.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        vec![
            clinical.recipients[0].id,
            normal.recipients[0].id,
            bulk.recipients[0].id
        ]
    );
    for r in &claimed {
        assert_eq!(r.status, RecipientStatus::Delivering);
        assert_eq!(r.lease_owner.as_deref(), Some("w1"));
        assert_eq!(r.lease_until, Some(T0.plus(secs(60))));
        assert_eq!(r.attempts, 0);
        let stored = store.recipient(r.id).await.expect("stored");
        assert_eq!(
            (stored.status, stored.lease_owner.as_deref()),
            (RecipientStatus::Delivering, Some("w1"))
        );
    }
    assert_eq!(claimed[0].priority, Priority::Clinical);
    assert_eq!(claimed[0].address, addr("c@d.example"));

    // Claimed copies are not claimed again while their lease runs.
    assert_eq!(
        store
            .claim_due("w2", T0, secs(60), 10)
            .await
            .expect("claim"),
        vec![]
    );
    // The future copy becomes due on time.
    let later = store
        .claim_due("w2", T0.plus(secs(1)), secs(60), 10)
        .await
        .expect("claim");
    assert_eq!(
        later.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![clinical.recipients[1].id]
    );
    for r in &clinical.recipients[2..] {
        assert_eq!(
            store.recipient(r.id).await.expect("r").status,
            r.status,
            "not claimable"
        );
    }
    assert_eq!(
        store
            .claim_due("w2", T0.plus(secs(3600)), secs(60), 0)
            .await,
        Ok(vec![])
    );
}

/// `limit` caps a claim; the rest stays for the next one.
pub async fn claim_respects_the_limit(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let spec: Vec<(String, RecipientStatus, Timestamp)> = (0..5)
        .map(|i| {
            (
                format!("r{i}@d.example"),
                RecipientStatus::Queued,
                T0.minus(ms(10 - i)),
            )
        })
        .collect();
    let m = message_owned(a, Priority::Normal, &spec);
    store.enqueue(m.clone()).await.expect("enqueue");
    let first = store.claim_due("w", T0, secs(30), 2).await.expect("claim");
    assert_eq!(
        first.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![m.recipients[0].id, m.recipients[1].id]
    );
    let rest = store.claim_due("w", T0, secs(30), 10).await.expect("claim");
    assert_eq!(rest.len(), 3);
}

/// Two claimers racing over 200 copies: every copy goes to exactly one of them.
pub async fn concurrent_claimers_never_get_the_same_copy(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let mut all = HashSet::new();
    for m in 0..20 {
        let spec: Vec<(String, RecipientStatus, Timestamp)> = (0..10)
            .map(|i| {
                (
                    format!("m{m}r{i}@d.example"),
                    RecipientStatus::Queued,
                    T0.minus(ms(i)),
                )
            })
            .collect();
        let msg = message_owned(a, Priority::Normal, &spec);
        all.extend(msg.recipients.iter().map(|r| r.id));
        store.enqueue(msg).await.expect("enqueue");
    }
    let mut claimers = Vec::new();
    for worker in ["w1", "w2"] {
        let store = store.clone();
        claimers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_due(worker, T0, secs(300), 7)
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                for r in batch {
                    assert_eq!(r.lease_owner.as_deref(), Some(worker));
                    mine.push(r.id);
                }
                tokio::task::yield_now().await;
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut per_worker = Vec::new();
    for c in claimers {
        let mine = c.await.expect("claimer");
        per_worker.push(mine.len());
        for id in mine {
            assert!(seen.insert(id), "a copy was claimed twice");
        }
    }
    assert_eq!(seen, all, "every copy claimed exactly once");
    assert_eq!(per_worker.iter().sum::<usize>(), 200);
}

/// A crashed worker's claim: once its lease runs out another worker takes the copy.
pub async fn expired_lease_is_reclaimed_by_another_worker(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Clinical,
        &[("r@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let id = m.recipients[0].id;
    assert_eq!(
        store
            .claim_due("w1", T0, secs(30), 5)
            .await
            .expect("w1")
            .len(),
        1
    );
    assert_eq!(
        store.claim_due("w2", T0.plus(secs(10)), secs(30), 5).await,
        Ok(vec![])
    );
    assert_eq!(store.next_due().await, Ok(Some(T0.plus(secs(30)))));
    let reclaimed = store
        .claim_due("w2", T0.plus(secs(31)), secs(30), 5)
        .await
        .expect("w2");
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(reclaimed[0].id, id);
    assert_eq!(reclaimed[0].lease_owner.as_deref(), Some("w2"));
    assert_eq!(reclaimed[0].lease_until, Some(T0.plus(secs(61))));
    assert_eq!(reclaimed[0].attempts, 0, "a reclaim is not an attempt");
}

/// The worker whose lease was taken over cannot record an outcome; the new holder can.
pub async fn complete_with_a_stale_lease_is_a_conflict(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Normal,
        &[("r@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let id = m.recipients[0].id;
    store.claim_due("w1", T0, secs(30), 1).await.expect("w1");
    store
        .claim_due("w2", T0.plus(secs(31)), secs(30), 1)
        .await
        .expect("w2");
    let delivered = AttemptOutcome::Delivered {
        tls: tls_record(T0.plus(secs(32))),
    };
    assert_eq!(
        store
            .complete(id, "w1", &delivered, T0.plus(secs(32)))
            .await,
        Err(conflict("lease"))
    );
    assert_eq!(
        store.attempts(id).await,
        Ok(vec![]),
        "a refused outcome is not recorded"
    );
    assert_eq!(
        store.recipient(id).await.expect("r").lease_owner.as_deref(),
        Some("w2")
    );
    store
        .complete(id, "w2", &delivered, T0.plus(secs(33)))
        .await
        .expect("w2 completes");
    // Completed: nobody holds a lease any more.
    assert_eq!(
        store
            .complete(id, "w2", &delivered, T0.plus(secs(34)))
            .await,
        Err(conflict("lease"))
    );
    assert_eq!(
        store
            .complete(RecipientId::new(), "w2", &delivered, T0)
            .await,
        Err(StorageError::NotFound)
    );
    // Never claimed at all.
    let m2 = message(
        a,
        Priority::Normal,
        &[("s@d.example", RecipientStatus::Queued, T0.plus(secs(999)))],
    );
    store.enqueue(m2.clone()).await.expect("enqueue");
    assert_eq!(
        store
            .complete(m2.recipients[0].id, "w1", &delivered, T0)
            .await,
        Err(conflict("lease"))
    );
}

/// Delivered: the TLS record and one attempt row are stored, the lease is cleared.
pub async fn complete_delivered_stores_tls_and_an_attempt(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Clinical,
        &[("r@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let id = m.recipients[0].id;
    store.claim_due("w1", T0, secs(30), 1).await.expect("claim");
    // The holder may still complete after its lease ran out if nobody reclaimed the copy.
    let at = T0.plus(secs(45));
    let outcome = AttemptOutcome::Delivered {
        tls: tls_record(at),
    };
    store
        .complete(id, "w1", &outcome, at)
        .await
        .expect("complete");
    let r = store.recipient(id).await.expect("r");
    assert_eq!(r.status, RecipientStatus::Delivered);
    assert_eq!(r.tls, Some(tls_record(at)));
    assert_eq!(r.attempts, 1);
    assert_eq!((r.lease_owner, r.lease_until), (None, None));
    assert_eq!(r.updated, at);
    assert_eq!(
        store.attempts(id).await.expect("attempts"),
        vec![AttemptRecord {
            recipient: id,
            at,
            worker: "w1".into(),
            outcome
        }]
    );
    assert_eq!(
        store
            .claim_due("w2", T0.plus(secs(3600)), secs(30), 10)
            .await,
        Ok(vec![])
    );
    assert_eq!(store.next_due().await, Ok(None));
}

/// Deferred: next_attempt moves, attempts grow, the error is kept; the history is ordered.
pub async fn complete_deferred_reschedules_and_counts_attempts(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Normal,
        &[("r@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let id = m.recipients[0].id;
    store.claim_due("w1", T0, secs(30), 1).await.expect("claim");
    let retry_at = T0.plus(secs(600));
    let deferred = AttemptOutcome::Deferred {
        next_attempt: retry_at,
        error: "451 4.7.0 try later".into(),
    };
    store
        .complete(id, "w1", &deferred, T0.plus(secs(2)))
        .await
        .expect("defer");
    let r = store.recipient(id).await.expect("r");
    assert_eq!(r.status, RecipientStatus::Deferred);
    assert_eq!(r.next_attempt, retry_at);
    assert_eq!(r.attempts, 1);
    assert_eq!(r.last_error.as_deref(), Some("451 4.7.0 try later"));
    assert_eq!((r.lease_owner, r.lease_until), (None, None));
    assert_eq!(store.next_due().await, Ok(Some(retry_at)));

    assert_eq!(
        store
            .claim_due("w1", retry_at.minus(ms(1)), secs(30), 1)
            .await,
        Ok(vec![])
    );
    let again = store
        .claim_due("w2", retry_at, secs(30), 1)
        .await
        .expect("claim");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    let bounced = AttemptOutcome::Bounced {
        error: "550 5.1.1 no such user".into(),
    };
    store
        .complete(id, "w2", &bounced, retry_at.plus(secs(1)))
        .await
        .expect("bounce");
    let r = store.recipient(id).await.expect("r");
    assert_eq!((r.status, r.attempts), (RecipientStatus::Bounced, 2));
    assert_eq!(r.last_error.as_deref(), Some("550 5.1.1 no such user"));
    let history = store.attempts(id).await.expect("history");
    assert_eq!(
        history.iter().map(|h| &h.outcome).collect::<Vec<_>>(),
        vec![&deferred, &bounced]
    );
    assert_eq!(
        history
            .iter()
            .map(|h| h.worker.as_str())
            .collect::<Vec<_>>(),
        vec!["w1", "w2"]
    );

    // Awaiting portal is an outcome like any other.
    let m2 = message(
        a,
        Priority::Normal,
        &[("s@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m2.clone()).await.expect("enqueue");
    store.claim_due("w3", T0, secs(30), 1).await.expect("claim");
    let portal = AttemptOutcome::AwaitingPortal {
        reason: "no verified TLS".into(),
    };
    store
        .complete(m2.recipients[0].id, "w3", &portal, T0)
        .await
        .expect("portal");
    let r = store.recipient(m2.recipients[0].id).await.expect("r");
    assert_eq!((r.status, r.attempts), (RecipientStatus::AwaitingPortal, 1));
}

/// Release: only the holder; back to queued (never attempted) or deferred, due at `at`.
pub async fn release_claim_makes_the_copy_due_again(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Normal,
        &[("r@d.example", RecipientStatus::Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let id = m.recipients[0].id;
    store.claim_due("w1", T0, secs(30), 1).await.expect("claim");
    assert_eq!(
        store.release_claim(id, "w2", T0).await,
        Err(conflict("lease"))
    );
    store
        .release_claim(id, "w1", T0.plus(secs(5)))
        .await
        .expect("release");
    let r = store.recipient(id).await.expect("r");
    assert_eq!(
        (r.status, r.next_attempt),
        (RecipientStatus::Queued, T0.plus(secs(5)))
    );
    assert_eq!((r.lease_owner, r.lease_until, r.attempts), (None, None, 0));
    assert_eq!(
        store.release_claim(id, "w1", T0).await,
        Err(conflict("lease")),
        "not claimed now"
    );
    assert_eq!(
        store.release_claim(RecipientId::new(), "w1", T0).await,
        Err(StorageError::NotFound)
    );

    let deferred = AttemptOutcome::Deferred {
        next_attempt: T0.plus(secs(6)),
        error: "421".into(),
    };
    store
        .claim_due("w1", T0.plus(secs(5)), secs(30), 1)
        .await
        .expect("claim");
    store
        .complete(id, "w1", &deferred, T0.plus(secs(5)))
        .await
        .expect("defer");
    store
        .claim_due("w1", T0.plus(secs(6)), secs(30), 1)
        .await
        .expect("claim");
    store
        .release_claim(id, "w1", T0.plus(secs(7)))
        .await
        .expect("release");
    let r = store.recipient(id).await.expect("r");
    assert_eq!((r.status, r.attempts), (RecipientStatus::Deferred, 1));
}

/// A node restarting after a crash gives back its own claims at once (not another node's).
pub async fn a_restarting_node_releases_its_own_claims_only(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let addr = format!("r{i}@d.example");
        let m = message(
            a,
            Priority::Normal,
            &[(addr.as_str(), RecipientStatus::Queued, T0)],
        );
        ids.push(m.recipients[0].id);
        store.enqueue(m).await.expect("enqueue");
    }
    let mine = store
        .claim_due("node-a-1", T0, secs(300), 3)
        .await
        .expect("claim");
    let theirs = store
        .claim_due("node-b-1", T0, secs(300), 1)
        .await
        .expect("claim");
    assert_eq!((mine.len(), theirs.len()), (3, 1));
    // "node-a" must not match "node-ab-..." style owners by accident: the prefix includes
    // the separator.
    let n = store
        .release_claims_by_owner_prefix("node-a-", T0.plus(secs(1)))
        .await
        .expect("release");
    assert_eq!(n, 3);
    for r in &mine {
        let r = store.recipient(r.id).await.expect("r");
        assert_eq!(r.status, RecipientStatus::Queued);
        assert_eq!((r.lease_owner, r.next_attempt), (None, T0.plus(secs(1))));
    }
    let other = store.recipient(theirs[0].id).await.expect("r");
    assert_eq!(other.status, RecipientStatus::Delivering);
    assert_eq!(
        store
            .release_claims_by_owner_prefix("node-a-", T0)
            .await
            .expect("again"),
        0
    );
    // The released copies are due again for anyone.
    let again = store
        .claim_due("node-a-2", T0.plus(secs(1)), secs(300), 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 3);
}

/// Operator hold/release/retry: only from the listed statuses; clears any lease.
pub async fn transition_respects_from(store: SharedStore) {
    use RecipientStatus::*;
    let a = new_tenant(&store, "A").await;
    let m = message(
        a,
        Priority::Normal,
        &[("r@d.example", Queued, T0), ("s@d.example", Queued, T0)],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let (id, other) = (m.recipients[0].id, m.recipients[1].id);

    // hold
    assert_eq!(
        store.transition(id, &[Queued, Deferred], Held, T0).await,
        Ok(true)
    );
    assert_eq!(store.recipient(id).await.expect("r").status, Held);
    assert_eq!(
        store.transition(id, &[Queued, Deferred], Held, T0).await,
        Ok(false),
        "already held"
    );
    assert_eq!(
        store.transition(id, &[Queued], Deferred, T0).await,
        Ok(false)
    );
    assert_eq!(store.transition(id, &[], Queued, T0).await, Ok(false));
    assert_eq!(
        store.recipient(id).await.expect("r").status,
        Held,
        "unchanged"
    );
    let claimed = store
        .claim_due("w", T0.plus(secs(1)), secs(3600), 10)
        .await
        .expect("claim");
    assert_eq!(
        claimed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![other],
        "held is not due"
    );

    // release to a later time
    assert_eq!(
        store
            .transition(id, &[Held], Queued, T0.plus(secs(100)))
            .await,
        Ok(true)
    );
    let r = store.recipient(id).await.expect("r");
    assert_eq!((r.status, r.next_attempt), (Queued, T0.plus(secs(100))));
    assert_eq!(
        store.claim_due("w", T0.plus(secs(99)), secs(30), 10).await,
        Ok(vec![])
    );

    // hold a copy being delivered: the lease goes, and the worker's outcome is refused.
    assert_eq!(
        store.transition(other, &[Delivering], Held, T0).await,
        Ok(true)
    );
    let r = store.recipient(other).await.expect("r");
    assert_eq!((r.status, r.lease_owner, r.lease_until), (Held, None, None));
    let delivered = AttemptOutcome::Delivered {
        tls: tls_record(T0),
    };
    assert_eq!(
        store.complete(other, "w", &delivered, T0).await,
        Err(conflict("lease"))
    );

    // retry now
    assert_eq!(
        store
            .transition(id, &[Queued, Deferred, Held], Queued, T0)
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .claim_due("w", T0, secs(30), 10)
            .await
            .expect("claim")
            .len(),
        1
    );
    assert_eq!(
        store
            .transition(RecipientId::new(), &[Queued], Held, T0)
            .await,
        Err(StorageError::NotFound)
    );
}

/// Counts per status (per tenant or all, zeros included) and the next wake-up time.
pub async fn count_by_status_and_next_due(store: SharedStore) {
    use RecipientStatus::*;
    let empty = store.count_by_status(None).await.expect("count");
    assert_eq!(
        empty,
        RecipientStatus::ALL
            .iter()
            .map(|s| (*s, 0))
            .collect::<Vec<_>>()
    );
    assert_eq!(store.next_due().await, Ok(None));

    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let ma = message(
        a,
        Priority::Normal,
        &[
            ("1@d.example", Queued, T0.plus(secs(50))),
            ("2@d.example", Queued, T0.plus(secs(20))),
            ("3@d.example", Quarantined, T0),
            ("4@d.example", Held, T0),
        ],
    );
    let mb = message(
        b,
        Priority::Normal,
        &[("5@d.example", Queued, T0.plus(secs(40)))],
    );
    store.enqueue(ma).await.expect("enqueue");
    store.enqueue(mb).await.expect("enqueue");

    let count_of = |counts: &[(RecipientStatus, u64)], s| {
        counts
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, n)| *n)
            .expect("every status listed")
    };
    let all = store.count_by_status(None).await.expect("count");
    assert_eq!(
        all.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        RecipientStatus::ALL.to_vec()
    );
    assert_eq!(
        (
            count_of(&all, Queued),
            count_of(&all, Quarantined),
            count_of(&all, Held)
        ),
        (3, 1, 1)
    );
    let only_b = store.count_by_status(Some(b)).await.expect("count");
    assert_eq!((count_of(&only_b, Queued), total(&only_b)), (1, 1));
    assert_eq!(
        total(
            &store
                .count_by_status(Some(TenantId::new()))
                .await
                .expect("count")
        ),
        0
    );

    // Held and quarantined copies never wake the queue.
    assert_eq!(store.next_due().await, Ok(Some(T0.plus(secs(20)))));
    // A claim with a short lease: its expiry is now the earliest event.
    let claimed = store
        .claim_due("w", T0.plus(secs(20)), secs(5), 1)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(store.next_due().await, Ok(Some(T0.plus(secs(25)))));
    let after = store.count_by_status(None).await.expect("count");
    assert_eq!(
        (count_of(&after, Queued), count_of(&after, Delivering)),
        (2, 1)
    );
}

/// Filters by tenant, statuses, message and limit; never crosses tenants.
pub async fn list_recipients_filters_and_isolates_tenants(store: SharedStore) {
    use RecipientStatus::*;
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let m1 = message(
        a,
        Priority::Normal,
        &[
            ("1@d.example", Queued, T0),
            ("2@d.example", Quarantined, T0),
            ("3@d.example", Held, T0),
        ],
    );
    let m2 = message(
        a,
        Priority::Bulk,
        &[
            ("4@d.example", Queued, T0),
            ("5@d.example", Quarantined, T0),
        ],
    );
    let m3 = message(
        b,
        Priority::Normal,
        &[
            ("6@d.example", Queued, T0),
            ("7@d.example", Quarantined, T0),
        ],
    );
    for m in [&m1, &m2, &m3] {
        store.enqueue(m.clone()).await.expect("enqueue");
    }
    let ids = |v: Vec<RecipientRecord>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let list = |f: RecipientFilter| {
        let store = store.clone();
        async move { store.list_recipients(&f).await.expect("list") }
    };

    let everything = list(RecipientFilter::default()).await;
    assert_eq!(everything.len(), 7);
    let mut newest_first = ids(everything.clone());
    newest_first.sort_by(|x, y| y.cmp(x));
    assert_eq!(
        ids(everything),
        newest_first,
        "newest (highest UUIDv7) first"
    );

    let only_a = list(RecipientFilter {
        tenant: Some(a),
        ..Default::default()
    })
    .await;
    assert_eq!(only_a.len(), 5);
    assert!(only_a.iter().all(|r| r.tenant == a));
    let only_b = list(RecipientFilter {
        tenant: Some(b),
        ..Default::default()
    })
    .await;
    assert_eq!(
        ids(only_b).into_iter().collect::<HashSet<_>>(),
        m3.recipients.iter().map(|r| r.id).collect()
    );

    let quarantined_a = list(RecipientFilter {
        tenant: Some(a),
        statuses: vec![Quarantined],
        ..Default::default()
    })
    .await;
    assert_eq!(
        ids(quarantined_a).into_iter().collect::<HashSet<_>>(),
        HashSet::from([m1.recipients[1].id, m2.recipients[1].id])
    );
    let two_statuses = list(RecipientFilter {
        statuses: vec![Held, Queued],
        ..Default::default()
    })
    .await;
    assert_eq!(two_statuses.len(), 4);
    assert!(
        two_statuses
            .iter()
            .all(|r| matches!(r.status, Held | Queued))
    );

    let of_m1 = list(RecipientFilter {
        message: Some(m1.record.id),
        ..Default::default()
    })
    .await;
    assert_eq!(of_m1.len(), 3);
    assert!(of_m1.iter().all(|r| r.message == m1.record.id));
    // Tenant isolation: tenant A asking for tenant B's message sees nothing.
    let cross = list(RecipientFilter {
        tenant: Some(a),
        message: Some(m3.record.id),
        ..Default::default()
    })
    .await;
    assert_eq!(cross, vec![]);

    let limited = list(RecipientFilter {
        limit: 2,
        ..Default::default()
    })
    .await;
    assert_eq!(limited.len(), 2);
    assert_eq!(
        list(RecipientFilter {
            statuses: vec![Delivered],
            ..Default::default()
        })
        .await,
        vec![]
    );
}

/// 50 tasks enqueue 10 messages each at the same time: all 500 are durable and readable.
pub async fn concurrent_enqueues_are_all_durable_and_readable(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let mut tasks = Vec::new();
    for t in 0..50 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut sent = Vec::new();
            for i in 0..10 {
                let mut m = message_owned(
                    a,
                    Priority::Normal,
                    &[(format!("t{t}m{i}@d.example"), RecipientStatus::Queued, T0)],
                );
                m.sealed_body = format!("sealed-{t}-{i}").into_bytes();
                store.enqueue(m.clone()).await.expect("enqueue");
                sent.push(m);
            }
            sent
        }));
    }
    let mut sent = Vec::new();
    for t in tasks {
        sent.extend(t.await.expect("task"));
    }
    assert_eq!(sent.len(), 500);
    for m in &sent {
        assert_eq!(store.message(m.record.id).await.expect("message"), m.record);
        assert_eq!(
            store.message_body(m.record.id).await.expect("body"),
            m.sealed_body
        );
        assert_eq!(
            store.recipients_of(m.record.id).await.expect("rcpts").len(),
            1
        );
    }
    let counts = store.count_by_status(Some(a)).await.expect("count");
    assert_eq!(total(&counts), 500);
    let claimed = store
        .claim_due("w", T0, secs(60), 1000)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 500);
}

// ── Builders ───────────────────────────────────────────────────────────────────────────

/// A tenant record.
pub fn tenant_rec(name: &str, created: Timestamp) -> Tenant {
    Tenant {
        id: TenantId::new(),
        name: name.to_string(),
        created,
    }
}

/// Create a tenant named `name` and return its id.
pub async fn new_tenant(store: &SharedStore, name: &str) -> TenantId {
    let t = tenant_rec(name, T0);
    store.create_tenant(&t).await.expect("create tenant");
    t.id
}

/// A sender user record.
pub fn user_rec(tenant: TenantId, address: &str, created: Timestamp) -> User {
    User {
        id: UserId::new(),
        tenant,
        address: addr(address),
        role: Role::Sender,
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string()),
        must_change_password: false,
        disabled: false,
        created,
    }
}

fn app_password(user: &User, label: &str, created: Timestamp) -> AppPassword {
    AppPassword {
        id: ApiKeyId::new(),
        user: user.id,
        tenant: user.tenant,
        label: label.to_string(),
        hash: format!("$argon2id$app-{label}"),
        created,
        revoked: false,
    }
}

fn key_rec(
    id: &str,
    tenant: TenantId,
    purpose: KeyPurpose,
    active: bool,
    created: Timestamp,
) -> WrappedKey {
    WrappedKey {
        id: id.to_string(),
        tenant,
        purpose,
        wrapped: format!("wrapped-{id}").into_bytes(),
        wrapping_key_id: "master-1".to_string(),
        active,
        created,
    }
}

/// A message with one copy per `(address, status, next_attempt)`.
pub fn message(
    tenant: TenantId,
    priority: Priority,
    recipients: &[(&str, RecipientStatus, Timestamp)],
) -> NewMessage {
    let owned: Vec<(String, RecipientStatus, Timestamp)> = recipients
        .iter()
        .map(|(a, s, t)| (a.to_string(), *s, *t))
        .collect();
    message_owned(tenant, priority, &owned)
}

fn message_owned(
    tenant: TenantId,
    priority: Priority,
    recipients: &[(String, RecipientStatus, Timestamp)],
) -> NewMessage {
    NewMessage {
        record: MessageRecord {
            id: MessageId::new(),
            tenant,
            principal: Principal::Device {
                name: "scanner-2nd-floor".to_string(),
            },
            channel: SubmissionChannel::SmtpStarttls,
            client_ip: "192.0.2.10".to_string(),
            envelope_from: Some(addr("sender@clinic.example")),
            size: 1234,
            priority,
            received: T0.minus(secs(1)),
            expires: T0.plus(secs(5 * 24 * 3600)),
            body_sha256: "ab".repeat(32),
        },
        sealed_body: b"sealed body".to_vec(),
        recipients: recipients
            .iter()
            .map(|(a, status, next_attempt)| NewRecipient {
                id: RecipientId::new(),
                address: addr(a),
                status: *status,
                next_attempt: *next_attempt,
            })
            .collect(),
    }
}

fn expected_records(m: &NewMessage) -> Vec<RecipientRecord> {
    m.recipients
        .iter()
        .map(|r| RecipientRecord {
            id: r.id,
            message: m.record.id,
            tenant: m.record.tenant,
            address: r.address.clone(),
            status: r.status,
            priority: m.record.priority,
            attempts: 0,
            next_attempt: r.next_attempt,
            last_error: None,
            lease_owner: None,
            lease_until: None,
            tls: None,
            updated: Timestamp(0),
        })
        .collect()
}

/// `updated` is the backend's business on insert; compare everything else.
fn strip_updated(records: Vec<RecipientRecord>) -> Vec<RecipientRecord> {
    records
        .into_iter()
        .map(|r| RecipientRecord {
            updated: Timestamp(0),
            ..r
        })
        .collect()
}

fn tls_record(at: Timestamp) -> TlsRecord {
    TlsRecord {
        next_hop_host: "mx.dest.example".to_string(),
        next_hop_addr: "198.51.100.7:25".to_string(),
        tls_version: "TLSv1.3".to_string(),
        cipher: "TLS13_AES_256_GCM_SHA384".to_string(),
        peer_cert_sha256: "cd".repeat(32),
        verified: true,
        remote_reply: "250 2.0.0 Ok: queued".to_string(),
        at,
    }
}

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("test addresses are valid")
}

fn conflict(constraint: &str) -> StorageError {
    StorageError::Conflict {
        constraint: constraint.to_string(),
    }
}

fn total(counts: &[(RecipientStatus, u64)]) -> u64 {
    counts.iter().map(|(_, n)| n).sum()
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn ms(m: u64) -> Duration {
    Duration::from_millis(m)
}
