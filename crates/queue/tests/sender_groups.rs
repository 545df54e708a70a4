//! The policy's `sender_groups` condition at intake, against the real default backend: the
//! submitting person's groups come from the store (`storage::GroupStore`), so a rule for
//! a group fires for its members and for nobody else (not a non-member, not a device).

use std::sync::Arc;

use model::{
    ApiKeyId, EmailAddress, Principal, RecipientStatus, SubmissionChannel, TenantId, UserId,
};
use queue::{StorePolicySource, Submission};

const POLICY: &str = r#"
format = 1
[default]
action = "deliver_any_tls"

[[rule]]
name = "billing-held"
when = { sender_groups = ["billing"] }
action = "quarantine"
"#;

mod common;
use common::{intake_screened_by, people_and_group, put_policy, screened_intake, setup, user};

fn submission(tenant: TenantId, principal: Principal, from: &str) -> Submission {
    Submission {
        tenant,
        principal,
        channel: SubmissionChannel::SmtpStarttls,
        client_ip: "127.0.0.1".into(),
        helo: "desk.local".into(),
        envelope_from: Some(EmailAddress::parse(from).expect("addr")),
        recipients: vec![EmailAddress::parse("payer@insurer.test").expect("addr")],
        data: format!("From: {from}\r\nSubject: invoice\r\n\r\nplease pay\r\n").into_bytes(),
        priority: None,
        route: None,
    }
}

fn person(id: UserId) -> Principal {
    Principal::User {
        user_id: id,
        credential: ApiKeyId::new(),
    }
}

#[tokio::test]
async fn a_sender_groups_rule_fires_for_members_only() {
    let (_dir, store, keys, tenant) = setup().await;
    let member = user(tenant, "billing@clinic.test");
    let other = user(tenant, "nurse@clinic.test");
    people_and_group(&store, tenant, &[&member, &other], "billing").await;
    put_policy(&store, tenant, POLICY).await;
    let intake = screened_intake(&store, keys);

    let status_of = |accepted: queue::Accepted| {
        let store = store.clone();
        async move {
            store
                .recipient(accepted.recipients[0])
                .await
                .expect("copy")
                .status
        }
    };

    let held = intake
        .accept(submission(tenant, person(member.id), "billing@clinic.test"))
        .await
        .expect("accepted");
    assert_eq!(held.decisions[0].action, policy::Action::Quarantine);
    assert!(
        held.decisions[0]
            .fired
            .iter()
            .any(|r| r.name == "billing-held")
    );
    assert_eq!(status_of(held).await, RecipientStatus::Quarantined);

    let sent = intake
        .accept(submission(tenant, person(other.id), "nurse@clinic.test"))
        .await
        .expect("accepted");
    assert_eq!(sent.decisions[0].action, policy::Action::DeliverAnyTls);
    assert_eq!(status_of(sent).await, RecipientStatus::Queued);

    // A device, an API key or a portal reply has no groups, even with a member's address
    // as sender.
    for principal in [
        Principal::Device {
            name: "scanner".into(),
        },
        Principal::ApiKey {
            key: ApiKeyId::new(),
        },
        Principal::PortalRecipient {
            recipient: model::RecipientId::new(),
        },
    ] {
        let shown = principal.to_string();
        let accepted = intake
            .accept(submission(tenant, principal, "billing@clinic.test"))
            .await
            .expect("accepted");
        assert_eq!(
            accepted.decisions[0].action,
            policy::Action::DeliverAnyTls,
            "{shown}"
        );
    }
}

/// The store's policy and domains, but the person's groups cannot be read (the database
/// failed just then).
struct GroupsUnavailable(StorePolicySource);

#[async_trait::async_trait]
impl queue::PolicySource for GroupsUnavailable {
    async fn policy(&self, tenant: TenantId) -> Result<Arc<policy::Policy>, String> {
        self.0.policy(tenant).await
    }

    async fn internal_domains(&self, tenant: TenantId) -> Result<Arc<Vec<model::Domain>>, String> {
        self.0.internal_domains(tenant).await
    }

    async fn sender_groups(&self, _: &Principal) -> Result<Arc<Vec<String>>, String> {
        Err("database unavailable".into())
    }
}

#[tokio::test]
async fn unreadable_groups_fail_the_submission_temporarily_and_store_nothing() {
    let (_dir, store, keys, tenant) = setup().await;
    let member = user(tenant, "billing@clinic.test");
    store.create_user(&member, &[]).await.expect("user");
    put_policy(&store, tenant, POLICY).await;
    let source = StorePolicySource::new(store.clone()).expect("source");
    let intake = intake_screened_by(&store, keys, Arc::new(GroupsUnavailable(source)));

    // Fail closed: a rule for the person's group might have held this message, so it is
    // not decided without the groups; the client is told to try again later.
    let err = intake
        .accept(submission(tenant, person(member.id), "billing@clinic.test"))
        .await
        .expect_err("no groups, no decision");
    assert!(matches!(err, queue::IntakeError::Temporary(_)), "{err}");
    let stored = store
        .list_recipients(&storage::RecipientFilter::default())
        .await
        .expect("list");
    assert!(stored.is_empty(), "nothing committed: {stored:?}");
}
