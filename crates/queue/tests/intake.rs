//! The intake path against the real default backend (SQLite in a temp dir).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use model::{
    Clock, EmailAddress, Principal, Priority, RecipientStatus, SubmissionChannel, SystemClock,
    TenantId,
};
use queue::{Intake, IntakeConfig, IntakeError, Submission};
use storage::RecipientFilter;

const CANARY: &str = "CANARY-7f3a-SSN-078-05-1120";

mod common;
use common::{intake, setup};

fn submission(tenant: TenantId, data: &str, rcpts: &[&str]) -> Submission {
    Submission {
        tenant,
        principal: Principal::Device {
            name: "scanner".into(),
        },
        channel: SubmissionChannel::SmtpStarttls,
        client_ip: "127.0.0.1".into(),
        helo: "scanner.local".into(),
        envelope_from: Some(EmailAddress::parse("scanner@clinic.test").expect("addr")),
        recipients: rcpts
            .iter()
            .map(|r| EmailAddress::parse(r).expect("addr"))
            .collect(),
        data: data.as_bytes().to_vec(),
        priority: None,
        route: None,
    }
}

#[tokio::test]
async fn accepted_message_is_sealed_and_every_copy_is_queued() {
    let (_dir, store, keys, tenant) = setup().await;
    let woken = Arc::new(AtomicUsize::new(0));
    let w = woken.clone();
    let intake = Intake::new(
        store.clone(),
        keys.clone(),
        Arc::new(SystemClock),
        IntakeConfig::default(),
    )
    .with_wakeup(move || {
        w.fetch_add(1, Ordering::SeqCst);
    });
    let data = format!("From: scanner@clinic.test\r\nSubject: {CANARY}\r\n\r\nbody {CANARY}\r\n");
    let accepted = intake
        .accept(submission(tenant, &data, &["a@one.test", "b@two.test"]))
        .await
        .expect("accepted");
    assert_eq!(accepted.recipients.len(), 2);
    assert_eq!(woken.load(Ordering::SeqCst), 1);

    let record = store.message(accepted.message_id).await.expect("message");
    assert_eq!(record.tenant, tenant);
    assert_eq!(record.priority, Priority::Clinical);
    assert_eq!(record.size, data.len() as u64);
    // The digest is of the message as submitted, without the trace headers carepost adds.
    use sha2::Digest;
    assert_eq!(
        record.body_sha256,
        hex::encode(sha2::Sha256::digest(data.as_bytes()))
    );
    let sealed = store.message_body(accepted.message_id).await.expect("body");
    assert!(
        !sealed.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
        "stored body must be sealed"
    );
    let opened = keys
        .open(accepted.message_id.0.as_bytes(), &sealed)
        .expect("open");
    let text = String::from_utf8(opened.to_vec()).expect("utf8");
    assert!(text.starts_with("Received: from scanner.local"));
    assert!(text.contains(CANARY));

    let copies = store
        .list_recipients(&RecipientFilter {
            message: Some(accepted.message_id),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(copies.len(), 2);
    assert!(copies.iter().all(|c| c.status == RecipientStatus::Queued));
}

#[tokio::test]
async fn bad_submissions_are_refused_and_nothing_is_queued() {
    let (_dir, store, keys, tenant) = setup().await;
    let intake = intake(&store, keys);
    let no_from = intake
        .accept(submission(tenant, "Subject: x\r\n\r\nx\r\n", &["a@b.test"]))
        .await;
    assert!(matches!(no_from, Err(IntakeError::Permanent(_))));
    let no_rcpt = intake
        .accept(submission(tenant, "From: a@b.test\r\n\r\nx\r\n", &[]))
        .await;
    assert!(matches!(no_rcpt, Err(IntakeError::Permanent(_))));
    // A tenant without a data key cannot seal: temporary, so the client retries.
    let other = intake
        .accept(submission(
            TenantId::new(),
            "From: a@b.test\r\n\r\nx\r\n",
            &["a@b.test"],
        ))
        .await;
    assert!(matches!(other, Err(IntakeError::Temporary(_))));
    let all = store
        .list_recipients(&RecipientFilter::default())
        .await
        .expect("list");
    assert!(all.is_empty());
}

#[tokio::test]
async fn bulk_header_lowers_priority() {
    let (_dir, store, keys, tenant) = setup().await;
    let intake = intake(&store, keys);
    let a = intake
        .accept(submission(
            tenant,
            "From: a@b.test\r\nPrecedence: bulk\r\n\r\nx\r\n",
            &["a@b.test"],
        ))
        .await
        .expect("accepted");
    assert_eq!(
        store.message(a.message_id).await.expect("m").priority,
        Priority::Bulk
    );
}

/// A delivery worker with `slots` slots that records what intake hands it.
struct Handoffs {
    permits: Arc<tokio::sync::Semaphore>,
    got: std::sync::Mutex<Vec<(storage::RecipientRecord, Vec<u8>)>>,
}

impl queue::DirectDelivery for Handoffs {
    fn reserve(&self, now: model::Timestamp) -> Option<queue::DeliverySlot> {
        Some(queue::DeliverySlot {
            lease: storage::Lease {
                owner: "node-a-worker".into(),
                until: now.plus(std::time::Duration::from_secs(300)),
            },
            permit: self.permits.clone().try_acquire_owned().ok()?,
        })
    }

    fn hand_over(
        &self,
        slot: queue::DeliverySlot,
        copy: storage::RecipientRecord,
        message: Arc<storage::MessageRecord>,
        body: Arc<zeroize::Zeroizing<Vec<u8>>>,
    ) {
        assert_eq!(copy.message, message.id);
        self.got
            .lock()
            .expect("lock")
            .push((copy, body.as_slice().to_vec()));
        // The slot stays taken, as it would while the attempt runs.
        std::mem::forget(slot);
    }
}

/// With a worker slot free, a copy is committed already leased and handed over with the
/// message as sealed, and the worker is not woken to claim it; a copy without a slot is
/// queued and the worker is woken. A failed commit hands nothing over and frees its slots.
#[tokio::test]
async fn copies_go_straight_to_a_worker_with_a_free_slot() {
    let (_dir, store, keys, tenant) = setup().await;
    let woken = Arc::new(AtomicUsize::new(0));
    let w = woken.clone();
    let handoffs = Arc::new(Handoffs {
        permits: Arc::new(tokio::sync::Semaphore::new(1)),
        got: std::sync::Mutex::new(Vec::new()),
    });
    let intake = intake(&store, keys.clone())
        .with_wakeup(move || {
            w.fetch_add(1, Ordering::SeqCst);
        })
        .with_direct_delivery(handoffs.clone());

    // One slot, one copy: handed over, nobody woken.
    let data = format!("From: scanner@clinic.test\r\nSubject: one\r\n\r\nbody {CANARY}\r\n");
    let first = intake
        .accept(submission(tenant, &data, &["a@one.test"]))
        .await
        .expect("accepted");
    assert_eq!(woken.load(Ordering::SeqCst), 0);
    let got = handoffs.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 1);
    let (copy, body) = &got[0];
    assert_eq!(copy.id, first.recipients[0]);
    assert_eq!(copy.status, RecipientStatus::Delivering);
    assert_eq!(copy.lease_owner.as_deref(), Some("node-a-worker"));
    // What the worker got is what was sealed, and the store says the same as the worker.
    let sealed = store.message_body(first.message_id).await.expect("body");
    let opened = keys
        .open(first.message_id.0.as_bytes(), &sealed)
        .expect("open");
    assert_eq!(body.as_slice(), opened.as_slice());
    let stored = store.recipient(copy.id).await.expect("stored copy");
    assert_eq!(stored.status, RecipientStatus::Delivering);
    assert_eq!(stored.lease_owner, copy.lease_owner);
    assert_eq!(stored.lease_until, copy.lease_until);
    // Nobody else claims it while the lease holds.
    assert_eq!(
        store
            .claim_due(
                "other",
                SystemClock.now(),
                std::time::Duration::from_secs(60),
                10
            )
            .await,
        Ok(vec![])
    );

    // The slot is taken: the next message's copies are queued and the worker woken.
    let second = intake
        .accept(submission(tenant, &data, &["b@two.test", "c@three.test"]))
        .await
        .expect("accepted");
    assert_eq!(woken.load(Ordering::SeqCst), 1);
    assert_eq!(handoffs.got.lock().expect("lock").len(), 1);
    for id in &second.recipients {
        assert_eq!(
            store.recipient(*id).await.expect("copy").status,
            RecipientStatus::Queued
        );
    }

    // A commit that fails (the organisation has a key but is not in the store, so the
    // message row breaks a foreign key) hands nothing over and gives its slot back.
    handoffs.permits.add_permits(1);
    let unknown = TenantId::new();
    keys.generate_tenant_key(unknown).expect("key");
    let refused = intake
        .accept(submission(unknown, &data, &["d@four.test"]))
        .await;
    assert!(
        matches!(refused, Err(IntakeError::Temporary(_))),
        "{refused:?}"
    );
    assert_eq!(handoffs.got.lock().expect("lock").len(), 1);
    assert_eq!(handoffs.permits.available_permits(), 1);
}
