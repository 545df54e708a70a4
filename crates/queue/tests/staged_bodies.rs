//! Large bodies staged while their message is screened (`QueueStore::stage_body`), against
//! the real default backend: an accepted message's body is in a segment beside the
//! database and reads back; a refused one's staged body is erased, whether policy refused
//! it, screening could not decide, or a REST retry found its key taken.

use std::path::Path;

use model::{ApiKeyId, EmailAddress, Principal, SubmissionChannel, TenantId, UserId};
use queue::{Intake, IntakeError, Submission};
use storage::SharedStore;

mod common;
use common::{people_and_group, put_policy, screened_intake, user};

const CANARY: &str = "CANARY-5e1d-SSN-219-09-9999";

/// Everyone may send over TLS, except the "blocked" group, whose mail policy refuses.
const POLICY: &str = r#"
format = 1
[default]
action = "deliver_any_tls"

[[rule]]
name = "blocked-refused"
when = { sender_groups = ["blocked"] }
action = "reject"
reject_reason = "This sender may not e-mail outside the clinic."
"#;

struct Setup {
    dir: tempfile::TempDir,
    store: SharedStore,
    intake: Intake,
    tenant: TenantId,
    allowed: UserId,
    blocked: UserId,
}

async fn setup() -> Setup {
    let (dir, store, keys, tenant) = common::setup().await;
    let allowed = user(tenant, "nurse@clinic.test");
    let blocked = user(tenant, "temp@clinic.test");
    people_and_group(&store, tenant, &[&blocked, &allowed], "blocked").await;
    put_policy(&store, tenant, POLICY).await;
    let intake = screened_intake(&store, keys);
    Setup {
        dir,
        store,
        intake,
        tenant,
        allowed: allowed.id,
        blocked: blocked.id,
    }
}

/// A message of about `kb` KB from `user`, with the canary in every line.
fn large(tenant: TenantId, user: UserId, from: &str, kb: usize) -> Submission {
    let mut data =
        format!("From: {from}\r\nTo: someone@elsewhere.test\r\nSubject: Records\r\n\r\n");
    while data.len() < kb * 1024 {
        data.push_str("Follow-up for the patient, reference ");
        data.push_str(CANARY);
        data.push_str("\r\n");
    }
    Submission {
        tenant,
        principal: Principal::User {
            user_id: user,
            credential: ApiKeyId::new(),
        },
        channel: SubmissionChannel::SmtpStarttls,
        client_ip: "127.0.0.1".into(),
        helo: "workstation.local".into(),
        envelope_from: Some(EmailAddress::parse(from).expect("addr")),
        recipients: vec![EmailAddress::parse("someone@elsewhere.test").expect("addr")],
        data: data.into_bytes(),
        priority: None,
        route: None,
    }
}

/// Every byte of every segment file, and how many of them are not zero.
fn segment_bytes(dir: &Path) -> (usize, usize) {
    let Ok(entries) = std::fs::read_dir(dir.join("q.db-bodies")) else {
        return (0, 0);
    };
    let mut total = (0, 0);
    for entry in entries {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("segment");
        total.0 += bytes.len();
        total.1 += bytes.iter().filter(|b| **b != 0).count();
    }
    total
}

#[tokio::test]
async fn an_accepted_large_body_is_staged_and_reads_back() {
    let s = setup().await;
    let accepted = s
        .intake
        .accept(large(s.tenant, s.allowed, "nurse@clinic.test", 200))
        .await
        .expect("accepted");
    let (bytes, nonzero) = segment_bytes(s.dir.path());
    assert!(
        bytes > 200 * 1024,
        "the body is in a segment ({bytes} bytes)"
    );
    assert!(nonzero > bytes / 2, "and it is there, not erased");
    let sealed = s
        .store
        .message_body(accepted.message_id)
        .await
        .expect("body");
    assert!(sealed.len() > 200 * 1024);
    assert!(!sealed.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()));
    // A small one stays in the database: no segment grows.
    s.intake
        .accept(large(s.tenant, s.allowed, "nurse@clinic.test", 2))
        .await
        .expect("accepted");
    assert_eq!(segment_bytes(s.dir.path()).0, bytes);
}

#[tokio::test]
async fn a_refused_large_body_does_not_stay_on_disk() {
    let s = setup().await;
    let refused = s
        .intake
        .accept(large(s.tenant, s.blocked, "temp@clinic.test", 200))
        .await;
    assert!(
        matches!(&refused, Err(IntakeError::Rejected(r)) if r.contains("outside the clinic")),
        "{refused:?}"
    );
    let (bytes, nonzero) = segment_bytes(s.dir.path());
    assert!(bytes > 200 * 1024, "the body was staged ({bytes} bytes)");
    assert_eq!(nonzero, 0, "and erased once policy refused it");
    assert!(
        s.store
            .list_recipients(&storage::RecipientFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn a_retried_rest_submission_erases_its_second_body() {
    let s = setup().await;
    let key = storage::SubmissionKey {
        credential: ApiKeyId::new(),
        key: "retry-1".into(),
        request_sha256: "ab".repeat(32),
    };
    let first = s
        .intake
        .accept_once(
            large(s.tenant, s.allowed, "nurse@clinic.test", 100),
            Some(key.clone()),
        )
        .await
        .expect("accepted");
    let (before, nonzero_before) = segment_bytes(s.dir.path());
    let again = s
        .intake
        .accept_once(
            large(s.tenant, s.allowed, "nurse@clinic.test", 100),
            Some(key),
        )
        .await;
    assert_eq!(
        again.map(|a| a.message_id),
        Err(IntakeError::AlreadySubmitted)
    );
    let (after, nonzero_after) = segment_bytes(s.dir.path());
    assert!(after > before, "the retry's body was staged too");
    assert_eq!(nonzero_after, nonzero_before, "and erased");
    assert!(
        s.store
            .message_body(first.message_id)
            .await
            .expect("first body")
            .len()
            > 100 * 1024
    );
}
