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
//! - policy versions are numbered per tenant from 1 without gaps (a failed put takes no
//!   number); a put for a missing tenant is `Conflict { constraint: "foreign_key" }`; the
//!   history is ordered by version;
//! - error texts never contain the values written (addresses are PHI).
//! - portal: `portal_pending` is ordered by recipient id (UUIDv7, so oldest first);
//!   `portal_copies` by `created` then id, descending; `portal_unnotified` by `created`,
//!   `portal_expired_unrecorded` by `expires` (a copy is expired at `expires <= now`, as
//!   in `PortalCopy::state`; revoked copies are included); codes are live while
//!   `expires > now`; a session is purged once `expires <= now` or `last_seen + idle <=
//!   now`; `touch_portal_session` never moves `last_seen` back;
//! - portal writes to a missing copy, code, session or passkey are `NotFound`
//!   (`count_portal_code_attempt` too); inserts referring to a missing tenant or copy are
//!   `Conflict { constraint: "foreign_key" }`; a write that changes nothing
//!   (`revoke_portal_copy` and `use_portal_code` returning false, `end_portal_session` of
//!   a missing session) records no event, while `mark_portal_copy` records its events
//!   every time;
//!
//! All stories use fixed timestamps (around [`T0`]) and pass `now` explicitly, so they
//! never depend on the wall clock or sleep.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use model::{
    ApiKeyId, DeliveryRoute, EmailAddress, MessageId, PortalCopyId, PortalItemId, Principal,
    Priority, RecipientId, RecipientStatus, Role, SubmissionChannel, TenantId, Timestamp,
    TlsRecord, UserId,
};

use audit::{Actor, AuditEvent, Cosignature, EventKind, Subject};

use crate::{
    AppPassword, AttemptOutcome, AttemptRecord, AuditFilter, KeyPurpose, MessageRecord, NewMessage,
    NewPortalCopy, NewRecipient, PolicyRecord, PortalCode, PortalCodeChannel, PortalCopy,
    PortalCopyState, PortalFilter, PortalLanding, PortalMilestone, PortalPasskey, PortalReading,
    PortalReply, PortalSession, RecipientFilter, RecipientRecord, SharedStore, Staging,
    StorageError, StoredTreeHead, Tenant, User, WrappedKey, actor_key,
};

pub use crate::conformance_groups::{
    access_policies_are_versioned_per_organisation, group_members_stay_within_their_organisation,
    groups_and_members_are_listed_in_byte_order, groups_are_unique_per_organisation_and_limited,
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
            staged_or_kept_bodies_round_trip,
            enqueue_is_atomic_and_failures_do_not_spill_over,
            claim_takes_only_due_copies_clinical_first,
            claim_respects_the_limit,
            concurrent_claimers_never_get_the_same_copy,
            expired_lease_is_reclaimed_by_another_worker,
            a_copy_enqueued_with_a_lease_is_delivering_until_the_lease_runs_out,
            complete_with_a_stale_lease_is_a_conflict,
            complete_delivered_stores_tls_and_an_attempt,
            complete_deferred_reschedules_and_counts_attempts,
            release_claim_makes_the_copy_due_again,
            a_restarting_node_releases_its_own_claims_only,
            transition_respects_from,
            count_by_status_and_next_due,
            list_recipients_filters_and_isolates_tenants,
            concurrent_enqueues_are_all_durable_and_readable,
            audit_events_are_numbered_without_gaps_and_hashed,
            audit_events_commit_and_roll_back_with_their_change,
            audit_events_are_found_by_filters,
            tree_heads_and_cosignatures_are_kept,
            purging_keeps_leaf_hashes_and_the_size,
            audit_cursors_are_saved,
            concurrent_audit_appends_never_share_or_skip_a_number,
            policies_are_versioned_per_tenant,
            policy_put_commits_its_audit_events_or_nothing,
            concurrent_policy_puts_get_distinct_consecutive_versions,
            portal_copies_round_trip_and_are_found_by_token,
            portal_pending_lists_awaiting_copies_without_a_portal_copy,
            portal_copies_are_filtered_newest_first,
            portal_work_lists_unnotified_and_expired_unrecorded,
            set_portal_token_replaces_the_link,
            portal_milestones_are_stamped_once_and_audited_every_time,
            revoking_a_portal_copy_twice_records_once,
            live_portal_code_honours_used_expired_and_attempts,
            portal_code_attempts_are_counted_and_codes_used_once,
            concurrent_portal_code_guesses_never_exceed_the_limit,
            portal_sessions_are_created_touched_and_ended,
            portal_sessions_are_purged_when_idle_or_past_their_end,
            portal_passkeys_are_added_listed_and_updated,
            portal_replies_are_kept_with_sealed_content,
            portal_writes_commit_their_audit_events_or_nothing,
            portal_sms_numbers_are_kept_sealed_and_codes_keep_their_channel,
            portal_landing_and_reading_answer_as_the_single_reads_do,
            api_keys_are_created_listed_and_revoked_per_organisation,
            idempotency_keys_commit_with_their_message_once,
            user_sessions_are_listed_stepped_up_and_ended_by_their_owner,
            sign_in_failures_are_counted_atomically_and_cleared,
            totp_steps_and_recovery_codes_are_accepted_once,
            disabling_a_user_ends_their_sessions_in_the_same_transaction,
            groups_are_unique_per_organisation_and_limited,
            group_members_stay_within_their_organisation,
            access_policies_are_versioned_per_organisation,
            groups_and_members_are_listed_in_byte_order,
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
    store.create_tenant(&b, &[]).await.expect("create b");
    store.create_tenant(&a, &[]).await.expect("create a");
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
        store.create_tenant(&same_id, &[]).await,
        Err(conflict("tenants.id"))
    );
    let same_name = tenant_rec("Clinic A", T0);
    assert_eq!(
        store.create_tenant(&same_name, &[]).await,
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
        store.create_user(u, &[]).await.expect("create user");
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
        store.create_user(&dup, &[]).await,
        Err(conflict("users.address"))
    );
    assert_eq!(store.user(dup.id).await, Err(StorageError::NotFound));
    assert_eq!(
        store.user_by_address(&addr("nobody@clinic.example")).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.user(UserId::new()).await, Err(StorageError::NotFound));

    store
        .set_password_hash(alice.id, "$argon2id$new", true, &[])
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
            .set_password_hash(UserId::new(), "$argon2id$x", false, &[])
            .await,
        Err(StorageError::NotFound)
    );
}

/// A user row refers to its tenant.
pub async fn user_needs_an_existing_tenant(store: SharedStore) {
    let orphan = user_rec(TenantId::new(), "orphan@clinic.example", T0);
    assert_eq!(
        store.create_user(&orphan, &[]).await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(store.user(orphan.id).await, Err(StorageError::NotFound));
}

/// Good case: a conflict names the constraint. Bad case it guards against: the error
/// echoing the patient address (PHI) that caused it.
pub async fn errors_never_contain_the_values_written(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let patient = user_rec(a, "jane.patient.4711@clinic.example", T0);
    store.create_user(&patient, &[]).await.expect("create");
    let err = store
        .create_user(&user_rec(a, "jane.patient.4711@clinic.example", T0), &[])
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
    store.create_user(&alice, &[]).await.expect("alice");
    store.create_user(&bob, &[]).await.expect("bob");
    let p1 = app_password(&alice, "scanner", T0);
    let p2 = app_password(&alice, "Thunderbird", T0.plus(ms(5)));
    store.add_app_password(&p2, &[]).await.expect("p2");
    store.add_app_password(&p1, &[]).await.expect("p1");
    assert_eq!(
        store.app_passwords(alice.id).await.expect("list"),
        vec![p1.clone(), p2.clone()]
    );
    assert_eq!(store.app_passwords(bob.id).await.expect("list"), vec![]);
    assert_eq!(
        store.add_app_password(&p1, &[]).await,
        Err(conflict("app_passwords.id"))
    );

    store.revoke_app_password(p1.id, &[]).await.expect("revoke");
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
        store.revoke_app_password(ApiKeyId::new(), &[]).await,
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
        store.put_key(k, &[]).await.expect("put key");
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
    assert_eq!(store.put_key(&k1, &[]).await, Err(conflict("keys.id")));
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
        .rewrap_keys(&[r1.clone(), r2.clone()], &[])
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
        store.rewrap_keys(&[r3, ghost], &[]).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.key("dkim1").await.expect("dkim").wrapping_key_id,
        "master-1"
    );
}

/// A body offered to `stage_body` (what the intake does while it screens) comes back from
/// `message_body` whether the store staged it or gave it back to go in the transaction; a
/// staged body that is discarded takes nothing else with it.
pub async fn staged_or_kept_bodies_round_trip(store: SharedStore) {
    let tenant = new_tenant(&store, "A").await;
    let body = |i: usize, len: usize| -> Vec<u8> {
        (0..len).map(|k| ((k * 3 + i * 7) % 251) as u8).collect()
    };
    let sizes = [1024, 64 * 1024, 200 * 1024];
    let mut ids = Vec::new();
    for (i, len) in sizes.iter().enumerate() {
        let mut m = message(
            tenant,
            Priority::Normal,
            &[(&format!("s{i}@dest.example"), RecipientStatus::Queued, T0)],
        );
        match store.stage_body(body(i, *len)).await.expect("stage") {
            Staging::Kept(b) => m.sealed_body = b,
            Staging::Staged(s) => m.staged_body = Some(s),
        }
        ids.push(m.record.id);
        store.enqueue(m).await.expect("enqueue");
    }
    if let Staging::Staged(unused) = store.stage_body(body(9, 200 * 1024)).await.expect("stage") {
        store.discard_staged(unused).await;
    }
    // A token this store did not make is refused, and nothing is committed.
    let mut foreign = message(
        tenant,
        Priority::Normal,
        &[("foreign@dest.example", RecipientStatus::Queued, T0)],
    );
    foreign.staged_body = Some(crate::StagedBody::new(42u32));
    assert!(matches!(
        store.enqueue(foreign.clone()).await,
        Err(StorageError::Other(_))
    ));
    assert_eq!(
        store.message(foreign.record.id).await,
        Err(StorageError::NotFound)
    );
    for (i, (id, len)) in ids.iter().zip(sizes).enumerate() {
        assert_eq!(store.message_body(*id).await.expect("body"), body(i, len));
    }
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
    assert_eq!(
        store.message_with_body(msg.record.id).await,
        Ok((msg.record.clone(), msg.sealed_body.clone()))
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
    assert_eq!(
        store.message_with_body(unknown).await,
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

/// A copy committed already leased (taken straight from intake by a worker) is
/// `delivering`: no other worker claims it while the lease holds, its holder records the
/// outcome, and once the lease runs out (the holder crashed) anyone claims it. A restarting
/// node releases its own. A `delivering` copy without a lease is stored `queued`.
pub async fn a_copy_enqueued_with_a_lease_is_delivering_until_the_lease_runs_out(
    store: SharedStore,
) {
    let a = new_tenant(&store, "A").await;
    let mut m = message(
        a,
        Priority::Normal,
        &[
            ("held@d.example", RecipientStatus::Queued, T0),
            ("free@d.example", RecipientStatus::Queued, T0),
            ("odd@d.example", RecipientStatus::Delivering, T0),
        ],
    );
    let lease = crate::Lease {
        owner: "node-1/w".to_string(),
        until: T0.plus(secs(30)),
    };
    m.recipients[0].lease = Some(lease.clone());
    store.enqueue(m.clone()).await.expect("enqueue");
    let (held, free, odd) = (m.recipients[0].id, m.recipients[1].id, m.recipients[2].id);
    let got = store.recipient(held).await.expect("held");
    assert_eq!(got.status, RecipientStatus::Delivering);
    assert_eq!(got.lease_owner.as_deref(), Some("node-1/w"));
    assert_eq!(got.lease_until, Some(T0.plus(secs(30))));
    assert_eq!(
        store.recipient(odd).await.expect("odd").status,
        RecipientStatus::Queued
    );
    let mut expected = expected_records(&m);
    expected.sort_by_key(|r| r.id);
    assert_eq!(
        strip_updated(store.recipients_of(m.record.id).await.expect("all")),
        expected
    );

    // Another worker gets only the two unleased copies.
    let mut claimed: Vec<RecipientId> = store
        .claim_due("w2", T0, secs(30), 10)
        .await
        .expect("w2")
        .into_iter()
        .map(|r| r.id)
        .collect();
    claimed.sort();
    let mut want = vec![free, odd];
    want.sort();
    assert_eq!(claimed, want);

    // The holder records its outcome.
    let delivered = AttemptOutcome::Delivered {
        tls: tls_record(T0.plus(secs(1))),
    };
    assert_eq!(
        store
            .complete(held, "node-1/w", &delivered, T0.plus(secs(1)), &[])
            .await,
        Ok(())
    );
    assert_eq!(
        store.recipient(held).await.expect("held").status,
        RecipientStatus::Delivered
    );

    // A second leased copy whose holder crashed: claimed by anyone once the lease runs
    // out, or released at once when its own node restarts.
    let mut crashed = message(
        a,
        Priority::Normal,
        &[("late@d.example", RecipientStatus::Queued, T0)],
    );
    crashed.recipients[0].lease = Some(lease);
    store.enqueue(crashed.clone()).await.expect("enqueue");
    let late = crashed.recipients[0].id;
    assert_eq!(
        store.claim_due("w2", T0.plus(secs(10)), secs(30), 10).await,
        Ok(vec![])
    );
    assert_eq!(
        store
            .release_claims_by_owner_prefix("node-1/", T0.plus(secs(10)))
            .await,
        Ok(1)
    );
    let reclaimed = store
        .claim_due("w2", T0.plus(secs(11)), secs(30), 10)
        .await
        .expect("w2 again");
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(reclaimed[0].id, late);
    assert_eq!(reclaimed[0].attempts, 0);
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
            .complete(id, "w1", &delivered, T0.plus(secs(32)), &[])
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
        .complete(id, "w2", &delivered, T0.plus(secs(33)), &[])
        .await
        .expect("w2 completes");
    // Completed: nobody holds a lease any more.
    assert_eq!(
        store
            .complete(id, "w2", &delivered, T0.plus(secs(34)), &[])
            .await,
        Err(conflict("lease"))
    );
    assert_eq!(
        store
            .complete(RecipientId::new(), "w2", &delivered, T0, &[])
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
            .complete(m2.recipients[0].id, "w1", &delivered, T0, &[])
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
        .complete(id, "w1", &outcome, at, &[])
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
        .complete(id, "w1", &deferred, T0.plus(secs(2)), &[])
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
        .complete(id, "w2", &bounced, retry_at.plus(secs(1)), &[])
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
        .complete(m2.recipients[0].id, "w3", &portal, T0, &[])
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
        .complete(id, "w1", &deferred, T0.plus(secs(5)), &[])
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
        store
            .transition(id, &[Queued, Deferred], Held, T0, &[])
            .await,
        Ok(true)
    );
    assert_eq!(store.recipient(id).await.expect("r").status, Held);
    assert_eq!(
        store
            .transition(id, &[Queued, Deferred], Held, T0, &[])
            .await,
        Ok(false),
        "already held"
    );
    assert_eq!(
        store.transition(id, &[Queued], Deferred, T0, &[]).await,
        Ok(false)
    );
    assert_eq!(store.transition(id, &[], Queued, T0, &[]).await, Ok(false));
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
            .transition(id, &[Held], Queued, T0.plus(secs(100)), &[])
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
        store.transition(other, &[Delivering], Held, T0, &[]).await,
        Ok(true)
    );
    let r = store.recipient(other).await.expect("r");
    assert_eq!((r.status, r.lease_owner, r.lease_until), (Held, None, None));
    let delivered = AttemptOutcome::Delivered {
        tls: tls_record(T0),
    };
    assert_eq!(
        store.complete(other, "w", &delivered, T0, &[]).await,
        Err(conflict("lease"))
    );

    // retry now
    assert_eq!(
        store
            .transition(id, &[Queued, Deferred, Held], Queued, T0, &[])
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
            .transition(RecipientId::new(), &[Queued], Held, T0, &[])
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
    store.create_tenant(&t, &[]).await.expect("create tenant");
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
        staged_body: None,
        recipients: recipients
            .iter()
            .enumerate()
            .map(|(i, (a, status, next_attempt))| NewRecipient {
                id: RecipientId::new(),
                address: addr(a),
                status: *status,
                // Every other copy with a non-default route, so both round-trip.
                route: if i.is_multiple_of(2) {
                    DeliveryRoute::default()
                } else {
                    DeliveryRoute::AnyTls
                },
                next_attempt: *next_attempt,
                lease: None,
            })
            .collect(),
        audit: Vec::new(),
        idempotency: None,
    }
}

fn expected_records(m: &NewMessage) -> Vec<RecipientRecord> {
    m.recipients
        .iter()
        .map(|r| r.stored_record(&m.record, Timestamp(0)))
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

// ── Audit stories ──────────────────────────────────────────────────────────────────────

fn event(kind: EventKind, at: Timestamp) -> AuditEvent {
    // seq is ignored by the store; a wrong one here proves it.
    AuditEvent::new(
        u64::MAX,
        at,
        Actor::System {
            component: "conformance".into(),
        },
        kind,
    )
}

async fn all_events(store: &SharedStore) -> Vec<AuditEvent> {
    store
        .find_audit(&AuditFilter {
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .expect("find all")
}

/// Events get 0, 1, 2, ... whatever seq the caller wrote; leaf hashes are the events'
/// own; an invalid event fails the whole append and takes no number.
pub async fn audit_events_are_numbered_without_gaps_and_hashed(store: SharedStore) {
    assert_eq!(store.audit_size().await.expect("size"), 0);
    assert_eq!(store.audit_range(0, 10).await.expect("range"), vec![]);
    let first = store
        .append_audit(&[
            event(EventKind::AuthLogin, T0),
            event(EventKind::AuthLogout, T0.plus(ms(1))),
        ])
        .await
        .expect("append");
    assert_eq!(first, 0);
    let next = store
        .append_audit(&[event(EventKind::AuditExported, T0.plus(ms(2)))])
        .await
        .expect("append");
    assert_eq!(next, 2);
    assert_eq!(store.audit_size().await.expect("size"), 3);

    let stored = store.audit_range(0, 10).await.expect("range");
    assert_eq!(stored.len(), 3);
    for (i, s) in stored.iter().enumerate() {
        assert_eq!(s.seq, i as u64);
        let e = s.event().expect("not purged").expect("parses");
        assert_eq!(e.seq, i as u64, "the store numbers events");
        assert_eq!(s.leaf_hash, e.leaf_hash().expect("valid"));
    }
    assert_eq!(
        stored[1].event().map(|e| e.expect("parses").kind),
        Some(EventKind::AuthLogout)
    );
    let leaves = store.audit_leaf_hashes(1, 10).await.expect("leaves");
    assert_eq!(leaves, vec![stored[1].leaf_hash, stored[2].leaf_hash]);
    assert_eq!(store.audit_range(2, 1).await.expect("range").len(), 1);
    assert_eq!(store.audit_range(3, 10).await.expect("range"), vec![]);

    // A device name with a space is not a token: refused, and nothing of the batch stays.
    let bad = AuditEvent::new(
        0,
        T0,
        Actor::Device {
            name: "Jane Doe".into(),
        },
        EventKind::MessageSubmitted,
    );
    let err = store
        .append_audit(&[event(EventKind::AuthLogin, T0), bad])
        .await
        .expect_err("invalid event");
    assert!(
        !format!("{err}").contains("Jane"),
        "no value in the error: {err}"
    );
    assert_eq!(store.audit_size().await.expect("size"), 3);
}

/// The events passed with a change are committed with it, and vanish with it when the
/// change fails; a change whose event is invalid does not happen.
pub async fn audit_events_commit_and_roll_back_with_their_change(store: SharedStore) {
    let t = tenant_rec("Clinic A", T0);
    store
        .create_tenant(&t, &[event(EventKind::AdminConfigChanged, T0)])
        .await
        .expect("tenant");
    let alice = user_rec(t.id, "alice@clinic.example", T0);
    let created = event(EventKind::AdminUserCreated, T0).with_subject(Subject {
        user: Some(alice.id),
        ..Subject::default()
    });
    store
        .create_user(&alice, std::slice::from_ref(&created))
        .await
        .expect("user");
    assert_eq!(store.audit_size().await.expect("size"), 2);

    // Same address again: the user insert fails, so its event must not be stored.
    let dup = user_rec(t.id, "alice@clinic.example", T0);
    assert_eq!(
        store
            .create_user(&dup, std::slice::from_ref(&created))
            .await,
        Err(conflict("users.address"))
    );
    assert_eq!(store.audit_size().await.expect("size"), 2);

    // An invalid event stops the change itself.
    let bob = user_rec(t.id, "bob@clinic.example", T0);
    let bad = event(EventKind::AdminUserCreated, T0).with_detail("name", "Bob Smith");
    assert!(store.create_user(&bob, &[bad]).await.is_err());
    assert_eq!(store.user(bob.id).await, Err(StorageError::NotFound));
    assert_eq!(store.audit_size().await.expect("size"), 2);

    // Enqueue carries its events; a failed enqueue (unknown tenant) stores none.
    let mut m = message(
        t.id,
        Priority::Normal,
        &[("x@example.net", RecipientStatus::Queued, T0)],
    );
    m.audit = vec![
        event(EventKind::MessageSubmitted, T0).with_subject(Subject {
            message: Some(m.record.id),
            ..Subject::default()
        }),
    ];
    store.enqueue(m.clone()).await.expect("enqueue");
    let mut orphan = message(
        TenantId::new(),
        Priority::Normal,
        &[("y@example.net", RecipientStatus::Queued, T0)],
    );
    orphan.audit = m.audit.clone();
    assert!(store.enqueue(orphan).await.is_err());
    assert_eq!(store.audit_size().await.expect("size"), 3);

    // complete: a stale lease fails and keeps no event; the holder's outcome keeps one.
    let id = m.recipients[0].id;
    let claimed = store
        .claim_due("w1", T0, Duration::from_secs(30), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    let delivered = AttemptOutcome::Delivered {
        tls: tls_record(T0),
    };
    let attempt = event(EventKind::DeliveryDelivered, T0).with_subject(Subject {
        message: Some(m.record.id),
        recipient: Some(id),
        ..Subject::default()
    });
    assert_eq!(
        store
            .complete(id, "w2", &delivered, T0, std::slice::from_ref(&attempt))
            .await,
        Err(conflict("lease"))
    );
    assert_eq!(store.audit_size().await.expect("size"), 3);
    store
        .complete(id, "w1", &delivered, T0, std::slice::from_ref(&attempt))
        .await
        .expect("complete");
    assert_eq!(store.audit_size().await.expect("size"), 4);

    // transition that changes nothing records nothing.
    let held = event(EventKind::QuarantineHeld, T0);
    assert_eq!(
        store
            .transition(
                id,
                &[RecipientStatus::Queued],
                RecipientStatus::Held,
                T0,
                std::slice::from_ref(&held)
            )
            .await,
        Ok(false)
    );
    assert_eq!(store.audit_size().await.expect("size"), 4);
    let kinds: Vec<EventKind> = all_events(&store).await.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::AdminConfigChanged,
            EventKind::AdminUserCreated,
            EventKind::MessageSubmitted,
            EventKind::DeliveryDelivered
        ]
    );
}

/// Filters by time, kind, actor, message, recipient, tenant, patient reference and paging.
pub async fn audit_events_are_found_by_filters(store: SharedStore) {
    let (ta, tb) = (TenantId::new(), TenantId::new());
    let (m1, m2) = (MessageId::new(), MessageId::new());
    let r1 = RecipientId::new();
    let alice = UserId::new();
    let events = vec![
        AuditEvent::new(0, T0, Actor::User { id: alice }, EventKind::AuthLogin).with_tenant(ta),
        event(EventKind::MessageSubmitted, T0.plus(secs(1)))
            .with_tenant(ta)
            .with_subject(Subject {
                message: Some(m1),
                ..Subject::default()
            })
            .with_detail("patient_refs", vec!["hmac-aaaa", "hmac-bbbb"]),
        event(EventKind::DeliveryDelivered, T0.plus(secs(2)))
            .with_tenant(ta)
            .with_subject(Subject {
                message: Some(m1),
                recipient: Some(r1),
                ..Subject::default()
            })
            .with_detail("patient_refs", vec!["hmac-aaaa"]),
        event(EventKind::MessageSubmitted, T0.plus(secs(3)))
            .with_tenant(tb)
            .with_subject(Subject {
                message: Some(m2),
                ..Subject::default()
            })
            .with_detail("patient_refs", vec!["hmac-cccc"]),
    ];
    store.append_audit(&events).await.expect("append");
    let seqs = |found: Vec<AuditEvent>| found.iter().map(|e| e.seq).collect::<Vec<_>>();
    let find = |f: AuditFilter| {
        let store = store.clone();
        async move { seqs(store.find_audit(&f).await.expect("find")) }
    };
    assert_eq!(find(AuditFilter::default()).await, vec![0, 1, 2, 3]);
    assert_eq!(
        find(AuditFilter {
            from: Some(T0.plus(secs(1))),
            until: Some(T0.plus(secs(3))),
            ..AuditFilter::default()
        })
        .await,
        vec![1, 2]
    );
    assert_eq!(
        find(AuditFilter {
            kinds: vec![EventKind::MessageSubmitted],
            ..AuditFilter::default()
        })
        .await,
        vec![1, 3]
    );
    assert_eq!(
        find(AuditFilter {
            actor: Some(actor_key(&Actor::User { id: alice })),
            ..AuditFilter::default()
        })
        .await,
        vec![0]
    );
    assert_eq!(
        find(AuditFilter {
            message: Some(m1),
            ..AuditFilter::default()
        })
        .await,
        vec![1, 2]
    );
    assert_eq!(
        find(AuditFilter {
            recipient: Some(r1),
            ..AuditFilter::default()
        })
        .await,
        vec![2]
    );
    assert_eq!(
        find(AuditFilter {
            tenant: Some(tb),
            ..AuditFilter::default()
        })
        .await,
        vec![3]
    );
    assert_eq!(
        find(AuditFilter {
            patient_ref: Some("hmac-aaaa".into()),
            ..AuditFilter::default()
        })
        .await,
        vec![1, 2]
    );
    assert_eq!(
        find(AuditFilter {
            after_seq: Some(1),
            limit: 1,
            ..AuditFilter::default()
        })
        .await,
        vec![2]
    );
    let found = store
        .find_audit(&AuditFilter {
            message: Some(m1),
            ..AuditFilter::default()
        })
        .await
        .expect("find");
    assert_eq!(
        found[0],
        AuditEvent {
            seq: 1,
            ..events[1].clone()
        }
    );
}

/// Heads are kept with their cosignatures; the latest is the largest.
pub async fn tree_heads_and_cosignatures_are_kept(store: SharedStore) {
    assert_eq!(store.latest_tree_head().await.expect("latest"), None);
    let signer = audit::AuditSigner::generate().expect("rng");
    let witness = audit::AuditSigner::generate().expect("rng");
    let h1 = signer.sign_head(1, [1; 32], T0);
    let h2 = signer.sign_head(5, [5; 32], T0.plus(secs(1)));
    let plain2 = StoredTreeHead {
        head: h2.clone(),
        cosignatures: vec![],
    };
    store.put_tree_head(&plain2).await.expect("h2");
    store
        .put_tree_head(&StoredTreeHead {
            head: h1.clone(),
            cosignatures: vec![],
        })
        .await
        .expect("h1");
    assert_eq!(
        store.latest_tree_head().await.expect("latest"),
        Some(plain2)
    );
    let cosigned: Cosignature = witness.cosign(&h2.head);
    let with_cosig = StoredTreeHead {
        head: h2.clone(),
        cosignatures: vec![cosigned],
    };
    store.put_tree_head(&with_cosig).await.expect("again");
    assert_eq!(
        store.latest_tree_head().await.expect("latest"),
        Some(with_cosig.clone())
    );
    let all = store.tree_heads(0, 10).await.expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].head, h1);
    assert_eq!(all[1], with_cosig);
    assert_eq!(
        store.tree_heads(2, 10).await.expect("from 2"),
        vec![with_cosig]
    );
}

/// Retention drops content but not leaf hashes, numbers or later events.
pub async fn purging_keeps_leaf_hashes_and_the_size(store: SharedStore) {
    let events: Vec<AuditEvent> = (0..6)
        .map(|i| event(EventKind::AuthLogin, T0.plus(secs(i))))
        .collect();
    store.append_audit(&events).await.expect("append");
    let before = store.audit_range(0, 10).await.expect("range");
    // Older than T0+4s, but only below seq 3: events 0, 1, 2.
    let purged = store
        .purge_audit(
            T0.plus(secs(4)),
            3,
            &[event(EventKind::AdminConfigChanged, T0.plus(secs(10)))],
        )
        .await
        .expect("purge");
    assert_eq!(purged, 3);
    let after = store.audit_range(0, 10).await.expect("range");
    assert_eq!(after.len(), 7, "the purge itself is recorded");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.seq, b.seq);
        assert_eq!(a.leaf_hash, b.leaf_hash);
    }
    assert!(after[..3].iter().all(|s| s.line.is_none()));
    assert!(after[3..].iter().all(|s| s.line.is_some()));
    assert_eq!(store.audit_size().await.expect("size"), 7);
    let seqs: Vec<u64> = all_events(&store).await.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![3, 4, 5, 6]);
    // Again: nothing more is older.
    assert_eq!(
        store
            .purge_audit(T0.plus(secs(4)), 7, &[])
            .await
            .expect("again"),
        1
    );
}

/// Consumers' cursors are kept and replaced.
pub async fn audit_cursors_are_saved(store: SharedStore) {
    assert_eq!(store.audit_cursor("siem").await.expect("none"), None);
    store.set_audit_cursor("siem", 4).await.expect("set");
    store.set_audit_cursor("other", 1).await.expect("set");
    store.set_audit_cursor("siem", 9).await.expect("set");
    assert_eq!(store.audit_cursor("siem").await.expect("get"), Some(9));
    assert_eq!(store.audit_cursor("other").await.expect("get"), Some(1));
}

/// Many concurrent writers: every number from 0 is used exactly once.
pub async fn concurrent_audit_appends_never_share_or_skip_a_number(store: SharedStore) {
    let mut tasks = Vec::new();
    for task in 0..8u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10u64 {
                store
                    .append_audit(&[
                        event(EventKind::AuthLogin, T0.plus(ms(task * 100 + i))),
                        event(EventKind::AuthLogout, T0.plus(ms(task * 100 + i))),
                    ])
                    .await
                    .expect("append");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let stored = store.audit_range(0, 1000).await.expect("range");
    assert_eq!(stored.len(), 160);
    for (i, s) in stored.iter().enumerate() {
        assert_eq!(s.seq, i as u64);
    }
    // Each append's two events are adjacent: a batch is one transaction.
    for pair in stored.chunks(2) {
        let kinds: Vec<_> = pair
            .iter()
            .map(|s| s.event().map(|e| e.expect("parses").kind))
            .collect();
        assert_eq!(
            kinds,
            vec![Some(EventKind::AuthLogin), Some(EventKind::AuthLogout)]
        );
    }
}

// ── Policy stories ─────────────────────────────────────────────────────────────────────

const POLICY_AUTHOR: &str = "system:cli";

fn policy_event(tenant: TenantId, at: Timestamp) -> AuditEvent {
    event(EventKind::AdminPolicyChanged, at).with_tenant(tenant)
}

fn policy_rec(tenant: TenantId, version: u64, document: &str, created: Timestamp) -> PolicyRecord {
    PolicyRecord {
        tenant,
        version,
        document: document.to_string(),
        author: POLICY_AUTHOR.to_string(),
        created,
    }
}

/// Versions 1, 2, 3 per tenant, independent across tenants; the current version is the
/// highest; one version by number; history oldest first; missing versions are NotFound and
/// a tenant without a policy has none.
pub async fn policies_are_versioned_per_tenant(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let c = new_tenant(&store, "C").await;
    assert_eq!(store.current_policy(a).await.expect("none yet"), None);
    assert_eq!(store.policy_history(a).await.expect("empty"), vec![]);

    // Documents are kept byte for byte: comments, blank lines, non-ASCII, no final newline.
    let docs = [
        "format = 1\n# first\n",
        "format = 1\n\n# second: Zürich clinic\n",
        "format = 1\n# third",
    ];
    let mut expected_a = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let at = T0.plus(secs(i as u64));
        let v = store
            .put_policy(a, doc, POLICY_AUTHOR, at, &[])
            .await
            .expect("put a");
        assert_eq!(v, i as u64 + 1, "versions count from 1 per tenant");
        expected_a.push(policy_rec(a, v, doc, at));
        if i == 0 {
            // Another tenant's first version is 1 too, whatever A has.
            let vb = store
                .put_policy(b, "format = 1 # b", "user:b-admin", T0, &[])
                .await
                .expect("put b");
            assert_eq!(vb, 1);
        }
    }
    assert_eq!(
        store.current_policy(a).await.expect("current a"),
        Some(expected_a[2].clone())
    );
    assert_eq!(
        store.policy_version(a, 2).await.expect("version 2"),
        expected_a[1]
    );
    assert_eq!(
        store.policy_history(a).await.expect("history a"),
        expected_a
    );
    let b_current = store
        .current_policy(b)
        .await
        .expect("current b")
        .expect("b has one");
    assert_eq!(
        (
            b_current.version,
            b_current.document.as_str(),
            b_current.author.as_str()
        ),
        (1, "format = 1 # b", "user:b-admin")
    );
    assert_eq!(store.policy_history(b).await.expect("history b").len(), 1);

    assert_eq!(
        store.policy_version(a, 4).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.policy_version(a, 0).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.policy_version(b, 2).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.policy_version(c, 1).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.current_policy(c).await.expect("none"), None);
    let unknown = TenantId::new();
    assert_eq!(store.current_policy(unknown).await.expect("none"), None);
    assert_eq!(store.policy_history(unknown).await.expect("empty"), vec![]);
    assert_eq!(
        store.policy_version(unknown, 1).await,
        Err(StorageError::NotFound)
    );
}

/// A put's audit events are committed with it; a put that fails (unknown tenant, invalid
/// event) stores neither the version nor the events, and takes no version number.
pub async fn policy_put_commits_its_audit_events_or_nothing(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let before = store.audit_size().await.expect("size");
    let v1 = store
        .put_policy(a, "format = 1\n", POLICY_AUTHOR, T0, &[policy_event(a, T0)])
        .await
        .expect("put");
    assert_eq!(v1, 1);
    assert_eq!(store.audit_size().await.expect("size"), before + 1);
    let found = store
        .find_audit(&AuditFilter {
            kinds: vec![EventKind::AdminPolicyChanged],
            tenant: Some(a),
            ..AuditFilter::default()
        })
        .await
        .expect("find");
    assert_eq!(found.len(), 1);

    // Unknown tenant: a foreign key conflict, and its event is not stored.
    let orphan = TenantId::new();
    assert_eq!(
        store
            .put_policy(
                orphan,
                "format = 1\n",
                POLICY_AUTHOR,
                T0,
                &[policy_event(orphan, T0)]
            )
            .await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(store.audit_size().await.expect("size"), before + 1);
    assert_eq!(store.policy_history(orphan).await.expect("empty"), vec![]);

    // An invalid event stops the put itself.
    let bad = policy_event(a, T0).with_detail("note", "Dr. Jane Doe");
    assert!(
        store
            .put_policy(a, "format = 1\n# bad\n", POLICY_AUTHOR, T0, &[bad])
            .await
            .is_err()
    );
    assert_eq!(store.audit_size().await.expect("size"), before + 1);
    assert_eq!(
        store
            .current_policy(a)
            .await
            .expect("current")
            .map(|p| p.version),
        Some(1)
    );

    // The failed puts took no number.
    let v2 = store
        .put_policy(
            a,
            "format = 1\n# two\n",
            POLICY_AUTHOR,
            T0.plus(ms(1)),
            &[policy_event(a, T0.plus(ms(1)))],
        )
        .await
        .expect("put");
    assert_eq!(v2, 2);
    assert_eq!(store.audit_size().await.expect("size"), before + 2);
}

/// Many concurrent puts for one tenant (and some for another): every put gets its own
/// version, the versions are 1..=n without gaps, and each version holds its put's document.
pub async fn concurrent_policy_puts_get_distinct_consecutive_versions(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let mut tasks = Vec::new();
    for task in 0..8u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for i in 0..5u64 {
                let tenant = if task == 7 { b } else { a };
                let doc = format!("format = 1\n# task {task} put {i}\n");
                let at = T0.plus(ms(task * 100 + i));
                let v = store
                    .put_policy(tenant, &doc, POLICY_AUTHOR, at, &[policy_event(tenant, at)])
                    .await
                    .expect("put");
                got.push((tenant, v, doc));
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    for (tenant, n) in [(a, 35u64), (b, 5u64)] {
        let mut versions: Vec<u64> = all
            .iter()
            .filter(|(t, _, _)| *t == tenant)
            .map(|(_, v, _)| *v)
            .collect();
        versions.sort_unstable();
        assert_eq!(versions, (1..=n).collect::<Vec<_>>(), "distinct, no gaps");
        let history = store.policy_history(tenant).await.expect("history");
        assert_eq!(
            history.iter().map(|p| p.version).collect::<Vec<_>>(),
            (1..=n).collect::<Vec<_>>()
        );
        for p in &history {
            let (_, _, doc) = all
                .iter()
                .find(|(t, v, _)| *t == tenant && *v == p.version)
                .expect("every stored version was returned to a put");
            assert_eq!(&p.document, doc);
        }
        assert_eq!(
            store
                .current_policy(tenant)
                .await
                .expect("current")
                .map(|p| p.version),
            Some(n)
        );
    }
    assert_eq!(store.audit_size().await.expect("size"), 40);
}

// ── Portal stories ─────────────────────────────────────────────────────────────────────

/// Enqueue a message for `tenant` with one copy per address, all awaiting the portal.
async fn portal_message(store: &SharedStore, tenant: TenantId, addresses: &[&str]) -> NewMessage {
    let copies: Vec<(&str, RecipientStatus, Timestamp)> = addresses
        .iter()
        .map(|a| (*a, RecipientStatus::AwaitingPortal, T0))
        .collect();
    let m = message(tenant, Priority::Normal, &copies);
    store.enqueue(m.clone()).await.expect("enqueue");
    m
}

/// A fresh 64-character hex string standing for a token, code or session id hash.
fn fresh_hash() -> String {
    PortalItemId::new().0.simple().to_string().repeat(2)
}

/// A new portal copy for copy `i` of `m`, made at `created`, open for a week.
fn portal_copy_rec(m: &NewMessage, i: usize, created: Timestamp) -> NewPortalCopy {
    let r = &m.recipients[i];
    NewPortalCopy {
        copy: PortalCopy {
            id: PortalCopyId::new(),
            tenant: m.record.tenant,
            message: m.record.id,
            recipient: r.id,
            address: r.address.clone(),
            sender: m.record.envelope_from.clone(),
            token_hash: fresh_hash(),
            created,
            expires: created.plus(secs(7 * 24 * 3600)),
            read_notice: false,
            notified: None,
            verified: None,
            opened: None,
            downloaded: None,
            replied: None,
            revoked: None,
            expiry_recorded: None,
            passcode_hash: None,
        },
        sealed: format!("sealed portal copy {i}").into_bytes(),
        sms_number: None,
    }
}

/// Create a tenant, a message with one copy per address and a portal copy for each (made
/// at `T0`, `T0 + 1ms`, ...).
async fn portal_copies_for(
    store: &SharedStore,
    tenant_name: &str,
    addresses: &[&str],
) -> Vec<PortalCopy> {
    let t = new_tenant(store, tenant_name).await;
    let m = portal_message(store, t, addresses).await;
    let mut out = Vec::new();
    for i in 0..addresses.len() {
        let c = portal_copy_rec(&m, i, T0.plus(ms(i as u64)));
        store
            .create_portal_copy(&c, &[])
            .await
            .expect("create copy");
        out.push(c.copy);
    }
    out
}

fn portal_event(kind: EventKind, copy: &PortalCopy, at: Timestamp) -> AuditEvent {
    event(kind, at)
        .with_tenant(copy.tenant)
        .with_subject(Subject {
            message: Some(copy.message),
            recipient: Some(copy.recipient),
            ..Subject::default()
        })
}

/// An event `validate` refuses (a detail value that is not a token).
fn invalid_event(kind: EventKind) -> AuditEvent {
    event(kind, T0).with_detail("name", "Bob Smith")
}

fn code_rec(copy: PortalCopyId, created: Timestamp, expires: Timestamp) -> PortalCode {
    PortalCode {
        id: PortalItemId::new(),
        copy,
        code_hash: fresh_hash(),
        created,
        expires,
        attempts: 0,
        used: None,
        channel: PortalCodeChannel::Email,
    }
}

fn session_rec(copy: &PortalCopy, last_seen: Timestamp, expires: Timestamp) -> PortalSession {
    PortalSession {
        id_hash: fresh_hash(),
        tenant: copy.tenant,
        address: copy.address.clone(),
        method: "email-code".to_string(),
        csrf_token: fresh_hash(),
        created: last_seen,
        last_seen,
        expires,
        ceremony: None,
    }
}

fn passkey_rec(tenant: TenantId, address: &str, created: Timestamp) -> PortalPasskey {
    let credential_id = fresh_hash();
    PortalPasskey {
        passkey: format!("{{\"cred\":\"{credential_id}\",\"counter\":0}}"),
        credential_id,
        tenant,
        address: addr(address),
        created,
        last_used: None,
    }
}

fn reply_rec(copy: PortalCopyId, created: Timestamp) -> PortalReply {
    PortalReply {
        id: PortalItemId::new(),
        copy,
        message: MessageId::new(),
        created,
    }
}

async fn audit_size(store: &SharedStore) -> u64 {
    store.audit_size().await.expect("audit size")
}

/// A copy and its sealed content round-trip exactly, every optional field set or not; the
/// link token finds it; unknown ids and tokens are NotFound; a recipient copy gets at most
/// one portal copy, a token hash belongs to one copy, and a copy needs its recipient.
pub async fn portal_copies_round_trip_and_are_found_by_token(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    let m = portal_message(
        &store,
        t,
        &[
            "pat1@dest.example",
            "pat2@dest.example",
            "pat3@dest.example",
        ],
    )
    .await;
    let mut plain = portal_copy_rec(&m, 0, T0);
    // Sealed content is binary: NUL and high bytes survive.
    plain.sealed = vec![0, 1, 2, 0xff, 0xfe, 0, 0x80];
    let mut full = portal_copy_rec(&m, 1, T0.plus(ms(1)));
    full.copy.sender = None;
    full.copy.read_notice = true;
    full.copy.notified = Some(T0.plus(secs(1)));
    full.copy.verified = Some(T0.plus(secs(2)));
    full.copy.opened = Some(T0.plus(secs(3)));
    full.copy.downloaded = Some(T0.plus(secs(4)));
    full.copy.replied = Some(T0.plus(secs(5)));
    full.copy.revoked = Some(T0.plus(secs(6)));
    full.copy.expiry_recorded = Some(T0.plus(secs(7)));
    full.copy.passcode_hash = Some("ab".repeat(32));
    store
        .create_portal_copy(&plain, &[])
        .await
        .expect("create plain");
    store
        .create_portal_copy(&full, &[])
        .await
        .expect("create full");

    assert_eq!(
        store.portal_copy(plain.copy.id).await.expect("plain"),
        plain.copy
    );
    assert_eq!(
        store.portal_copy(full.copy.id).await.expect("full"),
        full.copy
    );
    assert_eq!(
        store.portal_content(plain.copy.id).await.expect("content"),
        plain.sealed
    );
    assert_eq!(
        store.portal_content(full.copy.id).await.expect("content"),
        full.sealed
    );
    assert_eq!(
        store
            .portal_copy_by_token(&full.copy.token_hash)
            .await
            .expect("by token"),
        full.copy
    );
    assert_eq!(
        store
            .portal_copy_by_token(&plain.copy.token_hash)
            .await
            .expect("by token"),
        plain.copy
    );

    assert_eq!(
        store.portal_copy(PortalCopyId::new()).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.portal_copy_by_token(&fresh_hash()).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.portal_content(PortalCopyId::new()).await,
        Err(StorageError::NotFound)
    );

    // A second portal copy of the same recipient copy: refused, and nothing of it stays.
    let again = portal_copy_rec(&m, 0, T0.plus(secs(10)));
    assert_eq!(
        store.create_portal_copy(&again, &[]).await,
        Err(conflict("portal_copies.recipient"))
    );
    assert_eq!(
        store.portal_copy(again.copy.id).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.portal_content(again.copy.id).await,
        Err(StorageError::NotFound)
    );
    // Another copy cannot reuse a token hash.
    let mut same_token = portal_copy_rec(&m, 2, T0);
    same_token.copy.token_hash = plain.copy.token_hash.clone();
    assert_eq!(
        store.create_portal_copy(&same_token, &[]).await,
        Err(conflict("portal_copies.token_hash"))
    );
    // A copy refers to its recipient copy (and message and tenant).
    let mut orphan = portal_copy_rec(&m, 2, T0);
    orphan.copy.recipient = RecipientId::new();
    assert_eq!(
        store.create_portal_copy(&orphan, &[]).await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(
        store
            .portal_copies(&PortalFilter::default())
            .await
            .expect("list")
            .len(),
        2
    );
}

/// `portal_pending` lists copies in status `awaiting-portal` that have no portal copy,
/// oldest (lowest id) first, at most `limit`; other statuses never appear.
pub async fn portal_pending_lists_awaiting_copies_without_a_portal_copy(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    assert_eq!(store.portal_pending(10).await.expect("empty"), vec![]);
    let m = message(
        t,
        Priority::Normal,
        &[
            ("a@dest.example", RecipientStatus::AwaitingPortal, T0),
            ("b@dest.example", RecipientStatus::AwaitingPortal, T0),
            ("c@dest.example", RecipientStatus::Queued, T0),
            ("d@dest.example", RecipientStatus::Deferred, T0),
            ("e@dest.example", RecipientStatus::AwaitingPortal, T0),
        ],
    );
    store.enqueue(m.clone()).await.expect("enqueue");
    let later = portal_message(&store, t, &["f@dest.example"]).await;
    let expected = expected_records(&m);
    let later_expected = expected_records(&later);

    let pending = strip_updated(store.portal_pending(10).await.expect("pending"));
    assert_eq!(
        pending,
        vec![
            expected[0].clone(),
            expected[1].clone(),
            expected[4].clone(),
            later_expected[0].clone()
        ]
    );
    assert_eq!(
        strip_updated(store.portal_pending(2).await.expect("pending")),
        vec![expected[0].clone(), expected[1].clone()]
    );

    // Once a copy has its portal copy it is no longer pending.
    let made = portal_copy_rec(&m, 1, T0);
    store.create_portal_copy(&made, &[]).await.expect("create");
    let made_first = portal_copy_rec(&m, 0, T0);
    store
        .create_portal_copy(&made_first, &[])
        .await
        .expect("create");
    assert_eq!(
        strip_updated(store.portal_pending(10).await.expect("pending")),
        vec![expected[4].clone(), later_expected[0].clone()]
    );
    // A copy that leaves `awaiting-portal` leaves the list too.
    assert_eq!(
        store
            .transition(
                m.recipients[4].id,
                &[RecipientStatus::AwaitingPortal],
                RecipientStatus::Held,
                T0,
                &[],
            )
            .await,
        Ok(true)
    );
    assert_eq!(
        strip_updated(store.portal_pending(10).await.expect("pending")),
        vec![later_expected[0].clone()]
    );
}

/// Listing by tenant, message and address (alone or together), newest first, limited;
/// a limit of 0 means the default.
pub async fn portal_copies_are_filtered_newest_first(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let m1 = portal_message(
        &store,
        a,
        &["x@dest.example", "y@dest.example", "z@dest.example"],
    )
    .await;
    let m2 = portal_message(&store, a, &["x@dest.example"]).await;
    let m3 = portal_message(&store, b, &["x@dest.example"]).await;
    // Created out of id order, so the order must come from `created`.
    let made = [
        portal_copy_rec(&m1, 0, T0.plus(ms(4))),
        portal_copy_rec(&m1, 1, T0),
        portal_copy_rec(&m1, 2, T0.plus(ms(2))),
        portal_copy_rec(&m2, 0, T0.plus(ms(3))),
        portal_copy_rec(&m3, 0, T0.plus(ms(1))),
    ];
    for c in &made {
        store.create_portal_copy(c, &[]).await.expect("create");
    }
    let ids = |list: Vec<PortalCopy>| -> Vec<PortalCopyId> { list.iter().map(|c| c.id).collect() };
    let id = |i: usize| made[i].copy.id;
    let list = |filter: PortalFilter| {
        let store = store.clone();
        async move { store.portal_copies(&filter).await.expect("list") }
    };

    assert_eq!(
        ids(list(PortalFilter::default()).await),
        vec![id(0), id(3), id(2), id(4), id(1)]
    );
    assert_eq!(
        list(PortalFilter::default()).await[0],
        made[0].copy,
        "whole records"
    );
    assert_eq!(
        ids(list(PortalFilter {
            tenant: Some(a),
            ..PortalFilter::default()
        })
        .await),
        vec![id(0), id(3), id(2), id(1)]
    );
    assert_eq!(
        ids(list(PortalFilter {
            message: Some(m1.record.id),
            ..PortalFilter::default()
        })
        .await),
        vec![id(0), id(2), id(1)]
    );
    assert_eq!(
        ids(list(PortalFilter {
            address: Some(addr("x@dest.example")),
            ..PortalFilter::default()
        })
        .await),
        vec![id(0), id(3), id(4)]
    );
    assert_eq!(
        ids(list(PortalFilter {
            tenant: Some(a),
            address: Some(addr("x@dest.example")),
            ..PortalFilter::default()
        })
        .await),
        vec![id(0), id(3)]
    );
    assert_eq!(
        ids(list(PortalFilter {
            tenant: Some(b),
            message: Some(m1.record.id),
            ..PortalFilter::default()
        })
        .await),
        vec![]
    );
    assert_eq!(
        ids(list(PortalFilter {
            limit: 2,
            ..PortalFilter::default()
        })
        .await),
        vec![id(0), id(3)]
    );
    assert_eq!(
        ids(list(PortalFilter {
            tenant: Some(TenantId::new()),
            ..PortalFilter::default()
        })
        .await),
        vec![]
    );
}

/// The notifier's list (not notified, not revoked; oldest first) and the sweeper's
/// (expired at `now`, expiry not recorded, revoked or not; earliest expiry first).
pub async fn portal_work_lists_unnotified_and_expired_unrecorded(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    let m = portal_message(
        &store,
        t,
        &["a@dest.example", "b@dest.example", "c@dest.example"],
    )
    .await;
    let mut made = Vec::new();
    for (i, expires_in) in [(0usize, 10u64), (1, 5), (2, 20)] {
        let mut c = portal_copy_rec(&m, i, T0.plus(ms(i as u64)));
        c.copy.expires = T0.plus(secs(expires_in));
        store.create_portal_copy(&c, &[]).await.expect("create");
        made.push(c.copy);
    }
    let ids = |list: Vec<PortalCopy>| -> Vec<PortalCopyId> { list.iter().map(|c| c.id).collect() };
    let (c1, c2, c3) = (made[0].id, made[1].id, made[2].id);

    assert_eq!(
        store.portal_unnotified(10).await.expect("unnotified"),
        made.clone()
    );
    assert_eq!(
        ids(store.portal_unnotified(1).await.expect("unnotified")),
        vec![c1]
    );
    store
        .mark_portal_copy(c2, PortalMilestone::Notified, T0, &[])
        .await
        .expect("notified");
    assert_eq!(
        ids(store.portal_unnotified(10).await.expect("unnotified")),
        vec![c1, c3]
    );
    store.revoke_portal_copy(c3, T0, &[]).await.expect("revoke");
    assert_eq!(
        ids(store.portal_unnotified(10).await.expect("unnotified")),
        vec![c1]
    );

    let expired = |now: Timestamp, limit: u32| {
        let store = store.clone();
        async move {
            ids(store
                .portal_expired_unrecorded(now, limit)
                .await
                .expect("expired"))
        }
    };
    assert_eq!(expired(T0.plus(secs(4)), 10).await, vec![]);
    // Expired at the instant it expires, as `PortalCopy::state` says.
    assert_eq!(expired(T0.plus(secs(5)), 10).await, vec![c2]);
    assert_eq!(expired(T0.plus(secs(10)), 10).await, vec![c2, c1]);
    assert_eq!(expired(T0.plus(secs(10)), 1).await, vec![c2]);
    store
        .mark_portal_copy(c2, PortalMilestone::ExpiryRecorded, T0.plus(secs(10)), &[])
        .await
        .expect("recorded");
    assert_eq!(expired(T0.plus(secs(10)), 10).await, vec![c1]);
    assert_eq!(expired(T0.plus(secs(3600)), 10).await, vec![c1, c3]);
}

/// A new link token replaces the old one: the old hash finds nothing. Unknown copies are
/// NotFound; a hash already used by another copy is a conflict.
pub async fn set_portal_token_replaces_the_link(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example", "b@dest.example"]).await;
    let c = &copies[0];
    let before = audit_size(&store).await;
    let new_hash = fresh_hash();
    store
        .set_portal_token(
            c.id,
            &new_hash,
            &[portal_event(EventKind::PortalNotified, c, T0)],
        )
        .await
        .expect("set token");
    assert_eq!(audit_size(&store).await, before + 1);
    assert_eq!(
        store.portal_copy_by_token(&c.token_hash).await,
        Err(StorageError::NotFound)
    );
    let found = store
        .portal_copy_by_token(&new_hash)
        .await
        .expect("by new token");
    assert_eq!(
        found,
        PortalCopy {
            token_hash: new_hash.clone(),
            ..c.clone()
        }
    );
    assert_eq!(
        store.portal_copy(copies[1].id).await.expect("other"),
        copies[1],
        "other copies untouched"
    );
    assert_eq!(
        store
            .set_portal_token(PortalCopyId::new(), &fresh_hash(), &[])
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.set_portal_token(copies[1].id, &new_hash, &[]).await,
        Err(conflict("portal_copies.token_hash"))
    );
    assert_eq!(audit_size(&store).await, before + 1);
}

/// Each milestone is stamped the first time only (the call says whether it stamped),
/// while the events of every call are recorded; an unknown copy is NotFound and records
/// nothing.
pub async fn portal_milestones_are_stamped_once_and_audited_every_time(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example", "b@dest.example"]).await;
    let c = &copies[0];
    let steps = [
        (PortalMilestone::Notified, EventKind::PortalNotified),
        (PortalMilestone::Verified, EventKind::PortalVerified),
        (PortalMilestone::Opened, EventKind::PortalOpened),
        (PortalMilestone::Downloaded, EventKind::PortalDownloaded),
        (PortalMilestone::Replied, EventKind::PortalReplied),
        (PortalMilestone::ExpiryRecorded, EventKind::PortalExpired),
    ];
    let mut size = audit_size(&store).await;
    for (i, (milestone, kind)) in steps.iter().enumerate() {
        let first = T0.plus(secs(i as u64 + 1));
        let later = first.plus(secs(100));
        assert_eq!(
            store
                .mark_portal_copy(c.id, *milestone, first, &[portal_event(*kind, c, first)])
                .await,
            Ok(true),
            "{milestone:?} first time"
        );
        assert_eq!(
            store
                .mark_portal_copy(c.id, *milestone, later, &[portal_event(*kind, c, later)])
                .await,
            Ok(false),
            "{milestone:?} again"
        );
        size += 2;
        assert_eq!(audit_size(&store).await, size, "both calls recorded");
    }
    let stamped = store.portal_copy(c.id).await.expect("copy");
    assert_eq!(
        stamped,
        PortalCopy {
            notified: Some(T0.plus(secs(1))),
            verified: Some(T0.plus(secs(2))),
            opened: Some(T0.plus(secs(3))),
            downloaded: Some(T0.plus(secs(4))),
            replied: Some(T0.plus(secs(5))),
            expiry_recorded: Some(T0.plus(secs(6))),
            ..c.clone()
        },
        "the first time of each step, nothing else"
    );
    assert_eq!(
        store.portal_copy(copies[1].id).await.expect("other"),
        copies[1],
        "other copies untouched"
    );
    let kinds: Vec<EventKind> = all_events(&store).await.iter().map(|e| e.kind).collect();
    let expected: Vec<EventKind> = steps.iter().flat_map(|(_, k)| [*k, *k]).collect();
    assert_eq!(kinds, expected);

    assert_eq!(
        store
            .mark_portal_copy(
                PortalCopyId::new(),
                PortalMilestone::Opened,
                T0,
                &[portal_event(EventKind::PortalOpened, c, T0)]
            )
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(audit_size(&store).await, size);
}

/// Revoking stamps the time once; a second revoke returns false, keeps the first time and
/// records nothing; an unknown copy is NotFound.
pub async fn revoking_a_portal_copy_twice_records_once(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example"]).await;
    let c = &copies[0];
    let before = audit_size(&store).await;
    let first = T0.plus(secs(1));
    assert_eq!(
        store
            .revoke_portal_copy(
                c.id,
                first,
                &[portal_event(EventKind::PortalRevoked, c, first)]
            )
            .await,
        Ok(true)
    );
    assert_eq!(audit_size(&store).await, before + 1);
    let revoked = store.portal_copy(c.id).await.expect("copy");
    assert_eq!(revoked.revoked, Some(first));
    assert_eq!(revoked.state(first), PortalCopyState::Revoked);
    assert!(!revoked.is_open(first));

    let later = T0.plus(secs(2));
    assert_eq!(
        store
            .revoke_portal_copy(
                c.id,
                later,
                &[portal_event(EventKind::PortalRevoked, c, later)]
            )
            .await,
        Ok(false)
    );
    assert_eq!(audit_size(&store).await, before + 1);
    assert_eq!(
        store.portal_copy(c.id).await.expect("copy").revoked,
        Some(first)
    );
    assert_eq!(
        store
            .revoke_portal_copy(PortalCopyId::new(), later, &[])
            .await,
        Err(StorageError::NotFound)
    );
}

/// `live_portal_code` returns the newest code that is unused, unexpired at `now` and below
/// the attempt limit; codes of other copies never match.
pub async fn live_portal_code_honours_used_expired_and_attempts(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example", "b@dest.example"]).await;
    let (c, other) = (copies[0].id, copies[1].id);
    let ten_min = T0.plus(secs(600));
    assert_eq!(store.live_portal_code(c, T0, 5).await.expect("none"), None);
    let k1 = code_rec(c, T0, ten_min);
    let k2 = code_rec(c, T0.plus(secs(1)), ten_min);
    let locked = PortalCode {
        attempts: 5,
        ..code_rec(c, T0.plus(secs(3)), ten_min)
    };
    let short = code_rec(c, T0.plus(secs(4)), T0.plus(secs(5)));
    let others = code_rec(other, T0.plus(secs(9)), ten_min);
    for k in [&k1, &k2, &locked, &short, &others] {
        store.create_portal_code(k, &[]).await.expect("create code");
    }
    let live = |now: Timestamp, max: u32| {
        let store = store.clone();
        async move { store.live_portal_code(c, now, max).await.expect("live") }
    };
    // At T0 + 4.5s the short-lived code is the newest live one (whole record back).
    assert_eq!(live(T0.plus(ms(4500)), 5).await, Some(short.clone()));
    // It expires at T0 + 5s; the locked one is skipped at max 5, taken at max 6.
    assert_eq!(live(T0.plus(secs(5)), 5).await, Some(k2.clone()));
    assert_eq!(live(T0.plus(secs(5)), 6).await, Some(locked.clone()));
    // A used code is never live.
    assert_eq!(
        store.use_portal_code(k2.id, T0.plus(secs(6)), &[]).await,
        Ok(true)
    );
    assert_eq!(live(T0.plus(secs(6)), 5).await, Some(k1.clone()));
    assert_eq!(live(ten_min, 6).await, None, "all expired");
    assert_eq!(
        store
            .live_portal_code(PortalCopyId::new(), T0, 5)
            .await
            .expect("unknown copy"),
        None
    );
    // A code needs its copy.
    assert_eq!(
        store
            .create_portal_code(&code_rec(PortalCopyId::new(), T0, ten_min), &[])
            .await,
        Err(conflict("foreign_key"))
    );
}

/// Guesses are counted 1..=max, then refused (`None`) without counting; counts and
/// wrong-guess totals per copy since a time; a code is used once.
pub async fn portal_code_attempts_are_counted_and_codes_used_once(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example", "b@dest.example"]).await;
    let (c, other) = (copies[0].id, copies[1].id);
    let ten_min = T0.plus(secs(600));
    let k1 = code_rec(c, T0, ten_min);
    let before = audit_size(&store).await;
    store
        .create_portal_code(
            &k1,
            &[portal_event(EventKind::PortalNotified, &copies[0], T0)],
        )
        .await
        .expect("create");
    assert_eq!(audit_size(&store).await, before + 1);

    for expected in 1..=3u32 {
        assert_eq!(
            store.count_portal_code_attempt(k1.id, 3).await,
            Ok(Some(expected))
        );
    }
    assert_eq!(store.count_portal_code_attempt(k1.id, 3).await, Ok(None));
    assert_eq!(store.count_portal_code_attempt(k1.id, 3).await, Ok(None));
    assert_eq!(
        store.live_portal_code(c, T0, 3).await.expect("live"),
        None,
        "locked"
    );
    assert_eq!(
        store
            .live_portal_code(c, T0, 4)
            .await
            .expect("live")
            .map(|k| k.attempts),
        Some(3),
        "refused guesses were not counted"
    );
    assert_eq!(
        store
            .count_portal_code_attempt(PortalItemId::new(), 3)
            .await,
        Err(StorageError::NotFound)
    );

    let k2 = code_rec(c, T0.plus(secs(60)), ten_min);
    store.create_portal_code(&k2, &[]).await.expect("create");
    store
        .create_portal_code(&code_rec(other, T0.plus(secs(60)), ten_min), &[])
        .await
        .expect("create");
    assert_eq!(store.portal_codes_since(c, T0).await, Ok(2));
    assert_eq!(store.portal_codes_since(c, T0.plus(secs(30))).await, Ok(1));
    assert_eq!(store.portal_codes_since(c, T0.plus(secs(61))).await, Ok(0));
    assert_eq!(
        store.portal_codes_since(PortalCopyId::new(), T0).await,
        Ok(0)
    );

    assert_eq!(store.count_portal_code_attempt(k2.id, 3).await, Ok(Some(1)));
    assert_eq!(store.portal_failed_attempts_since(c, T0).await, Ok(4));
    assert_eq!(
        store
            .portal_failed_attempts_since(c, T0.plus(secs(30)))
            .await,
        Ok(1)
    );
    assert_eq!(store.portal_failed_attempts_since(other, T0).await, Ok(0));
    assert_eq!(
        store
            .portal_failed_attempts_since(PortalCopyId::new(), T0)
            .await,
        Ok(0)
    );

    // Two tabs, one code: the first use wins and is recorded, the second changes nothing.
    let size = audit_size(&store).await;
    let used = portal_event(EventKind::PortalVerified, &copies[0], T0.plus(secs(61)));
    assert_eq!(
        store
            .use_portal_code(k2.id, T0.plus(secs(61)), std::slice::from_ref(&used))
            .await,
        Ok(true)
    );
    assert_eq!(audit_size(&store).await, size + 1);
    assert_eq!(
        store
            .use_portal_code(k2.id, T0.plus(secs(62)), std::slice::from_ref(&used))
            .await,
        Ok(false)
    );
    assert_eq!(audit_size(&store).await, size + 1);
    assert_eq!(
        store.use_portal_code(PortalItemId::new(), T0, &[]).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store
            .live_portal_code(c, T0.plus(secs(62)), 10)
            .await
            .expect("live")
            .map(|k| k.id),
        Some(k1.id),
        "the used code is no longer live"
    );
}

/// Twenty guesses at once against a limit of five: exactly five are counted (1..=5) and
/// the rest refused, on every backend and however the calls interleave.
pub async fn concurrent_portal_code_guesses_never_exceed_the_limit(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example"]).await;
    let k = code_rec(copies[0].id, T0, T0.plus(secs(600)));
    store.create_portal_code(&k, &[]).await.expect("create");
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .count_portal_code_attempt(k.id, 5)
                .await
                .expect("count")
        }));
    }
    let mut counted = Vec::new();
    let mut refused = 0;
    for t in tasks {
        match t.await.expect("task") {
            Some(n) => counted.push(n),
            None => refused += 1,
        }
    }
    counted.sort_unstable();
    assert_eq!(counted, vec![1, 2, 3, 4, 5]);
    assert_eq!(refused, 15);
    assert_eq!(
        store.portal_failed_attempts_since(copies[0].id, T0).await,
        Ok(5)
    );
}

/// Sessions: create (recorded), read by id hash, touch (never backwards), keep and clear a
/// ceremony, end (recorded; ending again is fine and records nothing).
pub async fn portal_sessions_are_created_touched_and_ended(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example"]).await;
    let c = &copies[0];
    let s = session_rec(c, T0, T0.plus(secs(12 * 3600)));
    let before = audit_size(&store).await;
    store
        .create_portal_session(&s, &[portal_event(EventKind::PortalVerified, c, T0)])
        .await
        .expect("create");
    assert_eq!(audit_size(&store).await, before + 1);
    assert_eq!(store.portal_session(&s.id_hash).await.expect("read"), s);
    assert_eq!(
        store.create_portal_session(&s, &[]).await,
        Err(conflict("portal_sessions.id_hash"))
    );
    assert_eq!(
        store.portal_session(&fresh_hash()).await,
        Err(StorageError::NotFound)
    );

    store
        .touch_portal_session(&s.id_hash, T0.plus(secs(60)))
        .await
        .expect("touch");
    // A slower, earlier request finishing late does not move last_seen back.
    store
        .touch_portal_session(&s.id_hash, T0.plus(secs(30)))
        .await
        .expect("touch");
    let touched = store.portal_session(&s.id_hash).await.expect("read");
    assert_eq!(
        touched,
        PortalSession {
            last_seen: T0.plus(secs(60)),
            ..s.clone()
        }
    );

    let ceremony = r#"{"rs":{"challenge":"abc","user_id":"x"}}"#;
    store
        .set_portal_ceremony(&s.id_hash, Some(ceremony))
        .await
        .expect("ceremony");
    assert_eq!(
        store
            .portal_session(&s.id_hash)
            .await
            .expect("read")
            .ceremony
            .as_deref(),
        Some(ceremony)
    );
    store
        .set_portal_ceremony(&s.id_hash, None)
        .await
        .expect("clear");
    assert_eq!(
        store.portal_session(&s.id_hash).await.expect("read"),
        touched
    );

    let missing = fresh_hash();
    assert_eq!(
        store.touch_portal_session(&missing, T0).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.set_portal_ceremony(&missing, Some(ceremony)).await,
        Err(StorageError::NotFound)
    );

    let size = audit_size(&store).await;
    let logout = event(EventKind::AuthLogout, T0.plus(secs(90))).with_tenant(c.tenant);
    store
        .end_portal_session(&s.id_hash, std::slice::from_ref(&logout))
        .await
        .expect("end");
    assert_eq!(audit_size(&store).await, size + 1);
    assert_eq!(
        store.portal_session(&s.id_hash).await,
        Err(StorageError::NotFound)
    );
    store
        .end_portal_session(&s.id_hash, std::slice::from_ref(&logout))
        .await
        .expect("ending again is not an error");
    assert_eq!(audit_size(&store).await, size + 1);
}

/// The purge deletes sessions past their absolute end or idle for the limit (both at the
/// boundary instant), keeps the others, and reports how many it deleted.
pub async fn portal_sessions_are_purged_when_idle_or_past_their_end(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example"]).await;
    let c = &copies[0];
    let now = T0.plus(secs(3600));
    let idle = secs(15 * 60);
    let fresh = session_rec(c, now.minus(secs(60)), now.plus(secs(3600)));
    let idle_too_long = session_rec(c, now.minus(secs(20 * 60)), now.plus(secs(3600)));
    let idle_exactly = session_rec(c, now.minus(idle), now.plus(secs(3600)));
    let past_end = session_rec(c, now.minus(secs(60)), now.minus(secs(1)));
    let ends_now = session_rec(c, now.minus(secs(60)), now);
    for s in [&fresh, &idle_too_long, &idle_exactly, &past_end, &ends_now] {
        store.create_portal_session(s, &[]).await.expect("create");
    }
    assert_eq!(store.purge_portal_sessions(now, idle).await, Ok(4));
    assert_eq!(
        store.portal_session(&fresh.id_hash).await.expect("kept"),
        fresh
    );
    for gone in [&idle_too_long, &idle_exactly, &past_end, &ends_now] {
        assert_eq!(
            store.portal_session(&gone.id_hash).await,
            Err(StorageError::NotFound)
        );
    }
    assert_eq!(store.purge_portal_sessions(now, idle).await, Ok(0));
}

/// Passkeys: registered (recorded), listed per organisation and address oldest first,
/// unique by credential id across organisations, updated after a sign-in.
pub async fn portal_passkeys_are_added_listed_and_updated(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let newer = passkey_rec(a, "alice@dest.example", T0.plus(secs(1)));
    let older = passkey_rec(a, "alice@dest.example", T0);
    let elsewhere = passkey_rec(b, "alice@dest.example", T0);
    let bobs = passkey_rec(a, "bob@dest.example", T0);
    let before = audit_size(&store).await;
    for p in [&newer, &older, &elsewhere, &bobs] {
        store
            .add_portal_passkey(
                p,
                &[event(EventKind::AdminConfigChanged, T0).with_tenant(p.tenant)],
            )
            .await
            .expect("add");
    }
    assert_eq!(audit_size(&store).await, before + 4);
    let alice = addr("alice@dest.example");
    assert_eq!(
        store.portal_passkeys(a, &alice).await.expect("list"),
        vec![older.clone(), newer.clone()]
    );
    assert_eq!(
        store.portal_passkeys(b, &alice).await.expect("list"),
        vec![elsewhere.clone()]
    );
    assert_eq!(
        store
            .portal_passkeys(a, &addr("nobody@dest.example"))
            .await
            .expect("list"),
        vec![]
    );
    // The same credential cannot be registered twice, even for another organisation.
    let dup = PortalPasskey {
        tenant: b,
        address: addr("carol@dest.example"),
        ..older.clone()
    };
    assert_eq!(
        store.add_portal_passkey(&dup, &[]).await,
        Err(conflict("portal_passkeys.credential_id"))
    );
    assert_eq!(
        store
            .add_portal_passkey(&passkey_rec(TenantId::new(), "x@dest.example", T0), &[])
            .await,
        Err(conflict("foreign_key"))
    );

    let at = T0.plus(secs(600));
    store
        .update_portal_passkey(&newer.credential_id, r#"{"counter":7}"#, at)
        .await
        .expect("update");
    assert_eq!(
        store.portal_passkeys(a, &alice).await.expect("list"),
        vec![
            older.clone(),
            PortalPasskey {
                passkey: r#"{"counter":7}"#.to_string(),
                last_used: Some(at),
                ..newer.clone()
            }
        ]
    );
    assert_eq!(
        store.update_portal_passkey(&fresh_hash(), "{}", at).await,
        Err(StorageError::NotFound)
    );
}

/// Replies: kept with their sealed content (recorded), listed per copy oldest first, read
/// back byte for byte; unknown replies are NotFound; a reply needs its copy.
pub async fn portal_replies_are_kept_with_sealed_content(store: SharedStore) {
    let copies = portal_copies_for(&store, "A", &["a@dest.example", "b@dest.example"]).await;
    let c = &copies[0];
    let later = reply_rec(c.id, T0.plus(secs(2)));
    let earlier = reply_rec(c.id, T0.plus(secs(1)));
    let later_content = vec![0u8, 0xff, 7, 0, 42];
    let earlier_content = b"sealed reply".to_vec();
    let before = audit_size(&store).await;
    store
        .add_portal_reply(
            &later,
            &later_content,
            &[portal_event(EventKind::PortalReplied, c, later.created)],
        )
        .await
        .expect("add");
    store
        .add_portal_reply(
            &earlier,
            &earlier_content,
            &[portal_event(EventKind::PortalReplied, c, earlier.created)],
        )
        .await
        .expect("add");
    assert_eq!(audit_size(&store).await, before + 2);
    assert_eq!(
        store.portal_replies(c.id).await.expect("list"),
        vec![earlier.clone(), later.clone()]
    );
    assert_eq!(
        store.portal_reply_content(later.id).await.expect("content"),
        later_content
    );
    assert_eq!(
        store
            .portal_reply_content(earlier.id)
            .await
            .expect("content"),
        earlier_content
    );
    assert_eq!(
        store.portal_replies(copies[1].id).await.expect("list"),
        vec![]
    );
    assert_eq!(
        store.portal_reply_content(PortalItemId::new()).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store
            .add_portal_reply(&reply_rec(PortalCopyId::new(), T0), b"x", &[])
            .await,
        Err(conflict("foreign_key"))
    );
    assert_eq!(
        store.add_portal_reply(&later, b"again", &[]).await,
        Err(conflict("portal_replies.id"))
    );
    assert_eq!(
        store.portal_reply_content(later.id).await.expect("content"),
        later_content,
        "the first reply is kept"
    );
}

/// A copy's sealed mobile number round-trips byte for byte and is kept apart from the
/// copy (listing and lookups never carry it); a copy without one answers `None`, an
/// unknown copy `NotFound`; a failed copy creation leaves no number behind. Codes keep the
/// channel they were sent by, and SMS and e-mail codes share one count and one lockout.
pub async fn portal_sms_numbers_are_kept_sealed_and_codes_keep_their_channel(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    let m = portal_message(&store, t, &["a@dest.example", "b@dest.example"]).await;
    let mut with = portal_copy_rec(&m, 0, T0);
    // Sealed bytes are binary: NUL and high bytes survive.
    let sealed = vec![0u8, 0xff, 0x10, 0, 0x80, 7];
    with.sms_number = Some(sealed.clone());
    let without = portal_copy_rec(&m, 1, T0.plus(ms(1)));
    store.create_portal_copy(&with, &[]).await.expect("create");
    store
        .create_portal_copy(&without, &[])
        .await
        .expect("create");
    assert_eq!(
        store.portal_sms_number(with.copy.id).await,
        Ok(Some(sealed.clone()))
    );
    assert_eq!(store.portal_sms_number(without.copy.id).await, Ok(None));
    assert_eq!(
        store.portal_sms_number(PortalCopyId::new()).await,
        Err(StorageError::NotFound)
    );
    // The copy itself is unchanged by carrying a number.
    assert_eq!(
        store.portal_copy(with.copy.id).await.expect("copy"),
        with.copy
    );
    // A second copy for the same recipient copy fails whole: its number is not kept.
    let mut again = portal_copy_rec(&m, 0, T0.plus(ms(2)));
    again.sms_number = Some(b"other".to_vec());
    assert_eq!(
        store.create_portal_copy(&again, &[]).await,
        Err(conflict("portal_copies.recipient"))
    );
    assert_eq!(
        store.portal_sms_number(again.copy.id).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.portal_sms_number(with.copy.id).await,
        Ok(Some(sealed))
    );

    // Codes keep their channel; both channels count toward one limit and one lockout.
    let c = with.copy.id;
    let ten_min = T0.plus(secs(600));
    let by_mail = code_rec(c, T0, ten_min);
    let by_text = PortalCode {
        channel: PortalCodeChannel::Sms,
        ..code_rec(c, T0.plus(secs(1)), ten_min)
    };
    for k in [&by_mail, &by_text] {
        store.create_portal_code(k, &[]).await.expect("create code");
    }
    assert_eq!(
        store.live_portal_code(c, T0.plus(secs(2)), 5).await,
        Ok(Some(by_text.clone())),
        "the newest code, whatever its channel"
    );
    assert_eq!(store.portal_codes_since(c, T0).await, Ok(2));
    assert_eq!(
        store.count_portal_code_attempt(by_text.id, 5).await,
        Ok(Some(1))
    );
    assert_eq!(
        store.count_portal_code_attempt(by_mail.id, 5).await,
        Ok(Some(1))
    );
    assert_eq!(store.portal_failed_attempts_since(c, T0).await, Ok(2));
    assert_eq!(
        store
            .use_portal_code(by_text.id, T0.plus(secs(3)), &[])
            .await,
        Ok(true)
    );
    assert_eq!(
        store.live_portal_code(c, T0.plus(secs(3)), 5).await,
        Ok(Some(PortalCode {
            attempts: 1,
            ..by_mail
        }))
    );
}

/// The combined reads of the landing and message pages answer exactly what the single
/// reads answer: the copy by token with its wrong guesses since a time, whether its
/// recipient has a passkey (in its own organisation) and its sealed number; a session with
/// the copy it asks for (any copy: the caller decides access), the passkey flag, the
/// reply count and the sealed content. Unknown tokens and sessions are `NotFound`; an unknown copy is `None`.
pub async fn portal_landing_and_reading_answer_as_the_single_reads_do(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    let other = new_tenant(&store, "B").await;
    let m = portal_message(&store, t, &["a@dest.example", "b@dest.example"]).await;
    let mut with = portal_copy_rec(&m, 0, T0);
    let sealed = vec![0u8, 0xff, 3, 0];
    with.sms_number = Some(sealed.clone());
    let without = portal_copy_rec(&m, 1, T0.plus(ms(1)));
    for c in [&with, &without] {
        store.create_portal_copy(c, &[]).await.expect("create");
    }
    let (a, b) = (with.copy.clone(), without.copy.clone());
    // Wrong guesses: one code before `since` (not counted), one after.
    let since = T0.plus(secs(60));
    let old = code_rec(a.id, T0, T0.plus(secs(600)));
    let new = code_rec(a.id, since.plus(secs(1)), since.plus(secs(600)));
    for k in [&old, &new] {
        store.create_portal_code(k, &[]).await.expect("code");
    }
    for k in [&old, &old, &new, &new, &new] {
        store
            .count_portal_code_attempt(k.id, 10)
            .await
            .expect("attempt");
    }
    // a@ has a passkey in A; b@ only in another organisation.
    for p in [
        passkey_rec(t, "a@dest.example", T0),
        passkey_rec(other, "b@dest.example", T0),
    ] {
        store.add_portal_passkey(&p, &[]).await.expect("passkey");
    }
    for i in 0..2 {
        store
            .add_portal_reply(&reply_rec(a.id, T0.plus(secs(i))), b"r", &[])
            .await
            .expect("reply");
    }

    let landing = store
        .portal_landing(&a.token_hash, since)
        .await
        .expect("landing");
    assert_eq!(
        landing,
        PortalLanding {
            copy: a.clone(),
            failed_attempts: 3,
            has_passkey: true,
            sms_number: Some(sealed),
        }
    );
    assert_eq!(
        landing.failed_attempts,
        store
            .portal_failed_attempts_since(a.id, since)
            .await
            .expect("n")
    );
    assert_eq!(
        store
            .portal_landing(&a.token_hash, T0)
            .await
            .expect("all")
            .failed_attempts,
        5
    );
    assert_eq!(
        store.portal_landing(&b.token_hash, since).await,
        Ok(PortalLanding {
            copy: b.clone(),
            failed_attempts: 0,
            has_passkey: false,
            sms_number: None,
        })
    );
    assert_eq!(
        store.portal_landing(&fresh_hash(), since).await,
        Err(StorageError::NotFound)
    );

    let session = session_rec(&a, T0, T0.plus(secs(3600)));
    store
        .create_portal_session(&session, &[])
        .await
        .expect("session");
    assert_eq!(
        store.portal_reading(&session.id_hash, a.id).await,
        Ok(PortalReading {
            session: session.clone(),
            copy: Some(a.clone()),
            has_passkey: true,
            replies: 2,
            sealed: Some(with.sealed.clone()),
        })
    );
    // Another recipient's copy is read as it is: refusing it is the caller's decision.
    assert_eq!(
        store.portal_reading(&session.id_hash, b.id).await,
        Ok(PortalReading {
            session: session.clone(),
            copy: Some(b),
            has_passkey: false,
            replies: 0,
            sealed: Some(without.sealed.clone()),
        })
    );
    assert_eq!(
        store
            .portal_reading(&session.id_hash, PortalCopyId::new())
            .await,
        Ok(PortalReading {
            session,
            copy: None,
            has_passkey: false,
            replies: 0,
            sealed: None,
        })
    );
    assert_eq!(
        store.portal_reading(&fresh_hash(), a.id).await,
        Err(StorageError::NotFound)
    );
}

/// Every portal write that carries audit events commits them with the change; a write
/// whose change fails stores no event; a write with an invalid event does not happen.
pub async fn portal_writes_commit_their_audit_events_or_nothing(store: SharedStore) {
    let t = new_tenant(&store, "A").await;
    let m = portal_message(&store, t, &["a@dest.example", "b@dest.example"]).await;
    let size = audit_size(&store).await;

    // create_portal_copy: invalid event, then a valid one, then a conflicting copy.
    let copy = portal_copy_rec(&m, 0, T0);
    assert!(
        store
            .create_portal_copy(&copy, &[invalid_event(EventKind::DeliveryAwaitingPortal)])
            .await
            .is_err()
    );
    assert_eq!(
        store.portal_copy(copy.copy.id).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(
        store.portal_content(copy.copy.id).await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.portal_pending(10).await.expect("pending").len(), 2);
    assert_eq!(audit_size(&store).await, size);
    let c = copy.copy.clone();
    let ok = |kind: EventKind| vec![portal_event(kind, &c, T0)];
    store
        .create_portal_copy(&copy, &ok(EventKind::DeliveryAwaitingPortal))
        .await
        .expect("create");
    assert_eq!(audit_size(&store).await, size + 1);
    let dup = portal_copy_rec(&m, 0, T0);
    assert_eq!(
        store
            .create_portal_copy(&dup, &ok(EventKind::DeliveryAwaitingPortal))
            .await,
        Err(conflict("portal_copies.recipient"))
    );
    assert_eq!(audit_size(&store).await, size + 1);

    // set_portal_token
    let hash = fresh_hash();
    assert!(
        store
            .set_portal_token(c.id, &hash, &[invalid_event(EventKind::PortalNotified)])
            .await
            .is_err()
    );
    assert_eq!(
        store.portal_copy(c.id).await.expect("copy").token_hash,
        c.token_hash
    );

    // mark_portal_copy: neither the stamp nor the events.
    assert!(
        store
            .mark_portal_copy(
                c.id,
                PortalMilestone::Opened,
                T0,
                &[invalid_event(EventKind::PortalOpened)]
            )
            .await
            .is_err()
    );
    assert_eq!(store.portal_copy(c.id).await.expect("copy").opened, None);

    // revoke_portal_copy
    assert!(
        store
            .revoke_portal_copy(c.id, T0, &[invalid_event(EventKind::PortalRevoked)])
            .await
            .is_err()
    );
    assert_eq!(store.portal_copy(c.id).await.expect("copy").revoked, None);

    // create_portal_code and use_portal_code
    let code = code_rec(c.id, T0, T0.plus(secs(600)));
    assert!(
        store
            .create_portal_code(&code, &[invalid_event(EventKind::PortalNotified)])
            .await
            .is_err()
    );
    assert_eq!(store.portal_codes_since(c.id, T0).await, Ok(0));
    store
        .create_portal_code(&code, &ok(EventKind::PortalNotified))
        .await
        .expect("code");
    assert!(
        store
            .use_portal_code(code.id, T0, &[invalid_event(EventKind::PortalVerified)])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .live_portal_code(c.id, T0, 5)
            .await
            .expect("live")
            .map(|k| k.id),
        Some(code.id),
        "still unused"
    );

    // create_portal_session and end_portal_session
    let session = session_rec(&c, T0, T0.plus(secs(3600)));
    assert!(
        store
            .create_portal_session(&session, &[invalid_event(EventKind::PortalVerified)])
            .await
            .is_err()
    );
    assert_eq!(
        store.portal_session(&session.id_hash).await,
        Err(StorageError::NotFound)
    );
    store
        .create_portal_session(&session, &ok(EventKind::PortalVerified))
        .await
        .expect("session");
    assert!(
        store
            .end_portal_session(&session.id_hash, &[invalid_event(EventKind::AuthLogout)])
            .await
            .is_err()
    );
    assert_eq!(
        store.portal_session(&session.id_hash).await.expect("kept"),
        session
    );

    // add_portal_passkey
    let passkey = passkey_rec(t, "a@dest.example", T0);
    assert!(
        store
            .add_portal_passkey(&passkey, &[invalid_event(EventKind::AdminConfigChanged)])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .portal_passkeys(t, &passkey.address)
            .await
            .expect("list"),
        vec![]
    );

    // add_portal_reply
    let reply = reply_rec(c.id, T0);
    assert!(
        store
            .add_portal_reply(
                &reply,
                b"sealed",
                &[invalid_event(EventKind::PortalReplied)]
            )
            .await
            .is_err()
    );
    assert_eq!(store.portal_replies(c.id).await.expect("list"), vec![]);
    assert_eq!(
        store.portal_reply_content(reply.id).await,
        Err(StorageError::NotFound)
    );

    // Only the three valid writes left events.
    assert_eq!(audit_size(&store).await, size + 3);
    let kinds: Vec<EventKind> = all_events(&store).await.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::DeliveryAwaitingPortal,
            EventKind::PortalNotified,
            EventKind::PortalVerified
        ]
    );
}

// ── API stories ────────────────────────────────────────────────────────────────────────

fn api_key_rec(tenant: TenantId, name: &str) -> crate::ApiKey {
    crate::ApiKey {
        id: ApiKeyId::new(),
        tenant,
        name: name.to_string(),
        scopes: "messages:send messages:read".to_string(),
        senders: "@clinic.example".to_string(),
        secret_sha256: "cd".repeat(32),
        created_by: None,
        created: T0,
        expires: T0.plus(secs(90 * 86_400)),
        revoked: None,
    }
}

fn key_event(kind: EventKind, key: &crate::ApiKey) -> AuditEvent {
    AuditEvent::new(
        0,
        T0,
        Actor::System {
            component: "cli".into(),
        },
        kind,
    )
    .with_tenant(key.tenant)
    .with_subject(Subject {
        api_key: Some(key.id),
        ..Subject::default()
    })
}

async fn count_kind(store: &SharedStore, kind: EventKind) -> usize {
    store
        .find_audit_all(&AuditFilter {
            kinds: vec![kind],
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .expect("audit")
        .len()
}

/// API keys: created with their event, found by id, listed per organisation newest first,
/// names unique per organisation only; revoking needs the owning organisation (another
/// one's id is NotFound), and a second revocation changes nothing and records nothing.
pub async fn api_keys_are_created_listed_and_revoked_per_organisation(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let b = new_tenant(&store, "B").await;
    let k1 = api_key_rec(a, "EHR interface");
    let mut k2 = api_key_rec(a, "billing export");
    k2.created = T0.plus(secs(5));
    k2.created_by = None;
    let kb = api_key_rec(b, "EHR interface");
    for k in [&k1, &k2, &kb] {
        store
            .create_api_key(k, &[key_event(EventKind::AdminApiKeyCreated, k)])
            .await
            .expect("create");
    }
    assert_eq!(store.api_key(k1.id).await.expect("get"), k1);
    assert_eq!(
        store.api_keys(a).await.expect("list"),
        vec![k2.clone(), k1.clone()]
    );
    assert_eq!(store.api_keys(b).await.expect("list"), vec![kb.clone()]);
    assert_eq!(count_kind(&store, EventKind::AdminApiKeyCreated).await, 3);
    let mut dup = api_key_rec(a, "EHR interface");
    dup.id = ApiKeyId::new();
    assert!(matches!(
        store.create_api_key(&dup, &[]).await,
        Err(StorageError::Conflict { .. })
    ));
    assert_eq!(
        store.api_key(ApiKeyId::new()).await,
        Err(StorageError::NotFound)
    );

    // Organisation B cannot revoke A's key.
    let at = T0.plus(secs(60));
    assert_eq!(
        store
            .revoke_api_key(
                b,
                k1.id,
                at,
                &[key_event(EventKind::AdminApiKeyRevoked, &k1)]
            )
            .await,
        Err(StorageError::NotFound)
    );
    assert_eq!(store.api_key(k1.id).await.expect("get").revoked, None);
    store
        .revoke_api_key(
            a,
            k1.id,
            at,
            &[key_event(EventKind::AdminApiKeyRevoked, &k1)],
        )
        .await
        .expect("revoke");
    store
        .revoke_api_key(
            a,
            k1.id,
            at.plus(secs(1)),
            &[key_event(EventKind::AdminApiKeyRevoked, &k1)],
        )
        .await
        .expect("second revoke succeeds");
    let revoked = store.api_key(k1.id).await.expect("get");
    assert_eq!(revoked.revoked, Some(at));
    assert!(!revoked.usable_at(at));
    assert!(k2.usable_at(at) && !k2.usable_at(k2.expires));
    assert_eq!(count_kind(&store, EventKind::AdminApiKeyRevoked).await, 1);
}

/// An idempotency key commits with its message; a second message with the same key and
/// API key is refused whole (no message, no body, no copies, no events), also when many
/// race; the same key under another API key is another key.
pub async fn idempotency_keys_commit_with_their_message_once(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let credential = ApiKeyId::new();
    let key = |request: &str| crate::SubmissionKey {
        credential,
        key: "order-4711".to_string(),
        request_sha256: request.repeat(64),
    };
    let first = {
        let mut m = message(
            a,
            Priority::Normal,
            &[("x@dest.example", RecipientStatus::Queued, T0)],
        );
        m.idempotency = Some(key("1"));
        m
    };
    assert_eq!(
        store.submitted_key(credential, "order-4711").await,
        Ok(None)
    );
    store.enqueue(first.clone()).await.expect("first");
    let found = store
        .submitted_key(credential, "order-4711")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(found.message, first.record.id);
    assert_eq!(found.key, key("1"));
    assert_eq!(found.created, first.record.received);

    let events_before = store.audit_size().await.expect("size");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let mut m = message(
            a,
            Priority::Normal,
            &[("y@dest.example", RecipientStatus::Queued, T0)],
        );
        m.audit = vec![
            AuditEvent::new(
                0,
                T0,
                Actor::System {
                    component: "test".into(),
                },
                EventKind::MessageSubmitted,
            )
            .with_tenant(a),
        ];
        m.idempotency = Some(key("2"));
        tasks.push(tokio::spawn(
            async move { (store.enqueue(m.clone()).await, m) },
        ));
    }
    for t in tasks {
        let (result, m) = t.await.expect("task");
        assert_eq!(result, Err(conflict(crate::SUBMISSION_KEY_CONSTRAINT)));
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
    assert_eq!(store.audit_size().await.expect("size"), events_before);
    // The stored key still names the first message and the first request.
    assert_eq!(
        store
            .submitted_key(credential, "order-4711")
            .await
            .expect("read")
            .map(|k| k.message),
        Some(first.record.id)
    );

    // Racing first submissions of a new key: exactly one commits.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let mut m = message(
            a,
            Priority::Normal,
            &[("z@dest.example", RecipientStatus::Queued, T0)],
        );
        m.idempotency = Some(crate::SubmissionKey {
            key: "order-4712".to_string(),
            ..key("3")
        });
        tasks.push(tokio::spawn(async move { store.enqueue(m).await }));
    }
    let mut committed = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(()) => committed += 1,
            Err(e) => assert_eq!(e, conflict(crate::SUBMISSION_KEY_CONSTRAINT)),
        }
    }
    assert_eq!(committed, 1);

    // Another API key may use the same string.
    let mut other = message(
        a,
        Priority::Normal,
        &[("x@dest.example", RecipientStatus::Queued, T0)],
    );
    other.idempotency = Some(crate::SubmissionKey {
        credential: ApiKeyId::new(),
        ..key("1")
    });
    store.enqueue(other).await.expect("another credential");
}

// ── Account stories ────────────────────────────────────────────────────────────────────

fn user_session_rec(u: &User, n: u8, created: Timestamp) -> crate::UserSession {
    crate::UserSession {
        id_hash: format!("{n:02x}").repeat(32),
        tenant: u.tenant,
        user: u.id,
        method: "password+totp".to_string(),
        csrf_token: format!("csrf-{n}"),
        created,
        last_seen: created,
        expires: created.plus(secs(12 * 3600)),
        stepped_up: None,
        ip: "192.0.2.7".to_string(),
        device: "ab".repeat(32),
        device_label: "Chromium on Linux".to_string(),
        ended: None,
        ceremony: None,
    }
}

fn session_event(kind: EventKind, u: &User) -> AuditEvent {
    AuditEvent::new(0, T0, Actor::User { id: u.id }, kind).with_tenant(u.tenant)
}

/// Console sessions: created with their sign-in event, listed newest first without ended
/// ones, touched, stepped up; only their owner ends them; ending twice records once;
/// "end all but this one" spares the caller's session and records only when it ended some.
pub async fn user_sessions_are_listed_stepped_up_and_ended_by_their_owner(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    let bob = user_rec(a, "bob@clinic.example", T0);
    for u in [&alice, &bob] {
        store.create_user(u, &[]).await.expect("user");
    }
    let s1 = user_session_rec(&alice, 1, T0);
    let s2 = user_session_rec(&alice, 2, T0.plus(secs(1)));
    let s3 = user_session_rec(&alice, 3, T0.plus(secs(2)));
    let sb = user_session_rec(&bob, 4, T0);
    for s in [&s1, &s2, &s3, &sb] {
        store
            .create_user_session(s, &[session_event(EventKind::AuthLogin, &alice)])
            .await
            .expect("create");
    }
    assert_eq!(store.user_session(&s1.id_hash).await.expect("get"), s1);
    assert_eq!(
        store.user_sessions(alice.id).await.expect("list"),
        vec![s3.clone(), s2.clone(), s1.clone()]
    );
    assert_eq!(
        store.user_session(&"ff".repeat(32)).await,
        Err(StorageError::NotFound)
    );

    let later = T0.plus(secs(60));
    store
        .touch_user_session(&s1.id_hash, later)
        .await
        .expect("touch");
    // An older touch never moves activity back.
    store
        .touch_user_session(&s1.id_hash, T0)
        .await
        .expect("touch");
    assert_eq!(
        store
            .user_session(&s1.id_hash)
            .await
            .expect("get")
            .last_seen,
        later
    );
    store
        .step_up_user_session(
            &s1.id_hash,
            later,
            &[session_event(EventKind::AuthMfa, &alice)],
        )
        .await
        .expect("step up");
    assert_eq!(
        store
            .user_session(&s1.id_hash)
            .await
            .expect("get")
            .stepped_up,
        Some(later)
    );
    let idle = Duration::from_secs(900);
    assert!(
        store
            .user_session(&s1.id_hash)
            .await
            .expect("get")
            .live_at(later, idle)
    );
    assert!(!s1.live_at(T0.plus(secs(901)), idle), "idle limit");
    assert!(
        !s1.live_at(s1.expires, Duration::from_secs(86_400)),
        "absolute limit"
    );

    // Bob cannot end Alice's session.
    assert_eq!(
        store
            .end_user_session(
                bob.id,
                &s1.id_hash,
                later,
                &[session_event(EventKind::AuthSessionEnded, &bob)]
            )
            .await,
        Err(StorageError::NotFound)
    );
    let ended_before = count_kind(&store, EventKind::AuthSessionEnded).await;
    assert_eq!(
        store
            .end_user_session(
                alice.id,
                &s1.id_hash,
                later,
                &[session_event(EventKind::AuthSessionEnded, &alice)]
            )
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .end_user_session(
                alice.id,
                &s1.id_hash,
                later,
                &[session_event(EventKind::AuthSessionEnded, &alice)]
            )
            .await,
        Ok(false)
    );
    assert_eq!(
        count_kind(&store, EventKind::AuthSessionEnded).await,
        ended_before + 1
    );
    let ended = store.user_session(&s1.id_hash).await.expect("get");
    assert_eq!(ended.ended, Some(later));
    assert!(!ended.live_at(later, idle));
    assert!(
        store
            .step_up_user_session(&s1.id_hash, later, &[])
            .await
            .is_err(),
        "an ended session cannot step up"
    );

    // End all of Alice's other sessions, keeping s3; Bob's stays.
    let n = store
        .end_user_sessions(
            alice.id,
            Some(&s3.id_hash),
            later,
            &[session_event(EventKind::AuthSessionEnded, &alice)],
        )
        .await
        .expect("end others");
    assert_eq!(n, 1);
    assert_eq!(
        store.user_sessions(alice.id).await.expect("list"),
        vec![s3.clone()]
    );
    assert_eq!(store.user_sessions(bob.id).await.expect("list").len(), 1);
    let before = count_kind(&store, EventKind::AuthSessionEnded).await;
    assert_eq!(
        store
            .end_user_sessions(
                alice.id,
                Some(&s3.id_hash),
                later,
                &[session_event(EventKind::AuthSessionEnded, &alice)]
            )
            .await,
        Ok(0)
    );
    assert_eq!(
        count_kind(&store, EventKind::AuthSessionEnded).await,
        before,
        "nothing ended, nothing recorded"
    );
    assert_eq!(
        store.end_user_sessions(alice.id, None, later, &[]).await,
        Ok(1),
        "an administrator ends them all"
    );
    assert!(
        store
            .user_sessions(alice.id)
            .await
            .expect("list")
            .is_empty()
    );
}

/// Consecutive sign-in failures: counted atomically (no lost increments under races),
/// with the time of the last one, and cleared.
pub async fn sign_in_failures_are_counted_atomically_and_cleared(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    store.create_user(&alice, &[]).await.expect("user");
    assert_eq!(store.sign_in_failures(alice.id).await, Ok((0, None)));
    store
        .set_user_role(alice.id, Role::Auditor, &[])
        .await
        .expect("role");
    assert_eq!(
        store.user(alice.id).await.expect("user").role,
        Role::Auditor
    );
    assert_eq!(
        store.set_user_role(UserId::new(), Role::Admin, &[]).await,
        Err(StorageError::NotFound)
    );
    // Break-glass: one unused code; used once, also when raced; a new code replaces it.
    assert_eq!(store.unused_break_glass(alice.id).await, Ok(None));
    store
        .put_break_glass(alice.id, "hash-1", T0, &[])
        .await
        .expect("break-glass");
    assert_eq!(
        store.unused_break_glass(alice.id).await,
        Ok(Some("hash-1".to_string()))
    );
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        let id = alice.id;
        tasks.push(tokio::spawn(async move {
            store.use_break_glass(id, T0, b"sealed", &[]).await
        }));
    }
    let mut uses = 0;
    for t in tasks {
        if t.await.expect("task").expect("use") {
            uses += 1;
        }
    }
    assert_eq!(uses, 1, "a break-glass code works once");
    assert_eq!(store.unused_break_glass(alice.id).await, Ok(None));
    store
        .put_break_glass(alice.id, "hash-2", T0, &[])
        .await
        .expect("new code");
    assert_eq!(
        store.unused_break_glass(alice.id).await,
        Ok(Some("hash-2".to_string()))
    );
    assert_eq!(store.record_sign_in_failure(alice.id, T0).await, Ok(1));
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        let id = alice.id;
        tasks.push(tokio::spawn(async move {
            store.record_sign_in_failure(id, T0.plus(secs(i))).await
        }));
    }
    let mut seen = HashSet::new();
    for t in tasks {
        let n = t.await.expect("task").expect("count");
        assert!(seen.insert(n), "each failure got its own count");
    }
    let (n, last) = store.sign_in_failures(alice.id).await.expect("read");
    assert_eq!(n, 21);
    assert!(last.is_some());
    store.clear_sign_in_failures(alice.id).await.expect("clear");
    assert_eq!(store.sign_in_failures(alice.id).await, Ok((0, None)));
}

/// TOTP: a time step is accepted only if later than the last (also when raced), which
/// confirms the factor; recovery codes are used once each (also when raced); an MFA
/// reset removes both.
pub async fn totp_steps_and_recovery_codes_are_accepted_once(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    store.create_user(&alice, &[]).await.expect("user");
    assert_eq!(store.user_totp(alice.id).await, Ok(None));
    let totp = crate::UserTotp {
        user: alice.id,
        sealed_secret: b"sealed secret".to_vec(),
        last_step: None,
        created: T0,
        confirmed: None,
    };
    store.put_user_totp(&totp, &[]).await.expect("put");
    assert_eq!(store.user_totp(alice.id).await, Ok(Some(totp.clone())));
    assert_eq!(
        store
            .accept_totp_step(alice.id, 100, T0.plus(secs(1)))
            .await,
        Ok(true)
    );
    let confirmed = store
        .user_totp(alice.id)
        .await
        .expect("read")
        .expect("some");
    assert_eq!(confirmed.last_step, Some(100));
    assert_eq!(confirmed.confirmed, Some(T0.plus(secs(1))));
    assert_eq!(
        store.accept_totp_step(alice.id, 100, T0).await,
        Ok(false),
        "replay"
    );
    assert_eq!(
        store.accept_totp_step(alice.id, 99, T0).await,
        Ok(false),
        "older"
    );
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let id = alice.id;
        tasks.push(tokio::spawn(async move {
            store.accept_totp_step(id, 101, T0).await
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        if t.await.expect("task").expect("accept") {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1, "a code raced eight times is accepted once");
    assert_eq!(
        store
            .user_totp(alice.id)
            .await
            .expect("read")
            .expect("some")
            .confirmed,
        Some(T0.plus(secs(1))),
        "confirmation keeps its first time"
    );

    let hashes: Vec<String> = (0..3).map(|i| format!("hash-{i}")).collect();
    store
        .put_recovery_codes(alice.id, &hashes, T0)
        .await
        .expect("codes");
    assert_eq!(
        store.unused_recovery_codes(alice.id).await.expect("list"),
        vec![
            (0, "hash-0".to_string()),
            (1, "hash-1".to_string()),
            (2, "hash-2".to_string())
        ]
    );
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let id = alice.id;
        tasks.push(tokio::spawn(async move {
            store.use_recovery_code(id, 1, T0).await
        }));
    }
    let mut used = 0;
    for t in tasks {
        if t.await.expect("task").expect("use") {
            used += 1;
        }
    }
    assert_eq!(used, 1);
    assert_eq!(
        store.unused_recovery_codes(alice.id).await.expect("list"),
        vec![(0, "hash-0".to_string()), (2, "hash-2".to_string())]
    );
    // New codes replace all old ones.
    store
        .put_recovery_codes(alice.id, &hashes[..1], T0)
        .await
        .expect("codes");
    assert_eq!(
        store
            .unused_recovery_codes(alice.id)
            .await
            .expect("list")
            .len(),
        1
    );

    let reset = AuditEvent::new(
        0,
        T0,
        Actor::System {
            component: "cli".into(),
        },
        EventKind::AuthMfaReset,
    )
    .with_tenant(a);
    let key = crate::UserPasskey {
        credential_id: "Y3JlZGVudGlhbA".to_string(),
        tenant: a,
        user: alice.id,
        name: "YubiKey".to_string(),
        passkey: "{}".to_string(),
        created: T0,
        last_used: None,
    };
    store.add_user_passkey(&key, &[]).await.expect("passkey");
    assert!(matches!(
        store.add_user_passkey(&key, &[]).await,
        Err(StorageError::Conflict { .. })
    ));
    store
        .update_user_passkey(&key.credential_id, "{\"counter\":1}", T0.plus(secs(5)))
        .await
        .expect("update");
    let listed = store.user_passkeys(alice.id).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].passkey, "{\"counter\":1}");
    assert_eq!(listed[0].last_used, Some(T0.plus(secs(5))));
    assert_eq!(
        store.update_user_passkey("bm9uZQ", "{}", T0).await,
        Err(StorageError::NotFound)
    );
    store
        .reset_user_factors(alice.id, &[reset])
        .await
        .expect("reset");
    assert!(
        store
            .user_passkeys(alice.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(store.user_totp(alice.id).await, Ok(None));
    assert!(
        store
            .unused_recovery_codes(alice.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(count_kind(&store, EventKind::AuthMfaReset).await, 1);
}

/// Disabling a person: the flag is kept with its event, every live session of theirs ends
/// at the event's time in the same transaction (another person's stay), enabling again
/// restores the flag but no session; an unknown person is NotFound; an invalid event
/// fails the whole write (the flag and the sessions stay as they were).
pub async fn disabling_a_user_ends_their_sessions_in_the_same_transaction(store: SharedStore) {
    let a = new_tenant(&store, "A").await;
    let alice = user_rec(a, "alice@clinic.example", T0);
    let bob = user_rec(a, "bob@clinic.example", T0);
    for u in [&alice, &bob] {
        store.create_user(u, &[]).await.expect("user");
    }
    let s1 = user_session_rec(&alice, 1, T0);
    let s2 = user_session_rec(&alice, 2, T0);
    let sb = user_session_rec(&bob, 3, T0);
    for s in [&s1, &s2, &sb] {
        store.create_user_session(s, &[]).await.expect("session");
    }
    let when = T0.plus(secs(30));
    let disable = AuditEvent::new(
        0,
        when,
        Actor::User { id: bob.id },
        EventKind::AdminRoleChanged,
    )
    .with_tenant(a)
    .with_subject(Subject {
        user: Some(alice.id),
        ..Subject::default()
    });

    // An invalid event: nothing changes.
    assert!(
        store
            .set_user_disabled(
                alice.id,
                true,
                &[invalid_event(EventKind::AdminRoleChanged)]
            )
            .await
            .is_err()
    );
    assert!(!store.user(alice.id).await.expect("user").disabled);
    assert_eq!(store.user_sessions(alice.id).await.expect("list").len(), 2);

    let before = count_kind(&store, EventKind::AdminRoleChanged).await;
    store
        .set_user_disabled(alice.id, true, std::slice::from_ref(&disable))
        .await
        .expect("disable");
    assert!(store.user(alice.id).await.expect("user").disabled);
    assert!(
        store
            .user_sessions(alice.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        store.user_session(&s1.id_hash).await.expect("get").ended,
        Some(when)
    );
    assert_eq!(store.user_sessions(bob.id).await.expect("list"), vec![sb]);
    assert_eq!(
        count_kind(&store, EventKind::AdminRoleChanged).await,
        before + 1
    );

    store
        .set_user_disabled(alice.id, false, std::slice::from_ref(&disable))
        .await
        .expect("enable");
    assert!(!store.user(alice.id).await.expect("user").disabled);
    assert!(
        store
            .user_sessions(alice.id)
            .await
            .expect("list")
            .is_empty(),
        "enabling does not revive ended sessions"
    );
    assert_eq!(
        store.set_user_disabled(UserId::new(), true, &[]).await,
        Err(StorageError::NotFound)
    );
}
