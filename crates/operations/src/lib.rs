//! Operations on an organisation's mail that people start by hand: policy administration
//! (the document in force, storing a version, history, a dry run), quarantine review
//! (list, detail, release, reject with a reason and the sender's notice) and queue actions
//! (retry, hold, release of recipient copies).
//!
//! **What it does:** one implementation of each action for every front end: the CLI
//! (`carepost policy|quarantine|queue …`), the REST API (`PUT /api/v1/policy`) and the
//! console (`/console/policy`, `/console/quarantine`, `/console/queue`). Every change is
//! recorded by an audit event committed in the same transaction as the change itself
//! (`storage` does both in one transaction); the caller names the actor, the source IP and
//! the time, so the record says who did it from where.
//!
//! **What it does not do:** no authentication and no role checks (the front end knows who
//! is asking and what their role allows); no network I/O of its own (a sender notice is
//! handed to the queue's [`queue::Intake`], which stores it for the delivery worker); no
//! printing. It does not pick a backend: it works on any [`storage::SharedStore`].
//!
//! **Security:** which organisation's data is touched is the caller's [`Scope`]. A signed-in
//! person acts in [`Scope::Organisation`]: a message or copy of another organisation is
//! answered exactly as an unknown id ([`Error::NotFound`]), and the attempt is recorded as
//! a refused access (`auth.access_decided`, outcome `deny`, reason `other_organisation`).
//! Only the operator's CLI, which holds the database and the master key anyway, uses
//! [`Scope::AllOrganisations`].
//!
//! **PHI:** a dry run reads a whole message (PHI), so it records an `audit.queried` event
//! (`query = "policy_test"`) before screening it; the message is screened in memory and
//! dropped, never stored or logged. What comes back names rules, categories, counts and
//! scores, never a matched value, a subject or an address of the message. Quarantine
//! details show recipient addresses (the reviewer's role sees message details) but no
//! subject or content. The sender notice of a release or rejection carries the message id,
//! the time, the number of copies and the reviewer's reason, never the subject or content.
//! Errors ([`Error`]) carry no message content and no addresses.
//!
//! **Errors:** [`Error`] keeps apart what the person asked wrongly (an invalid policy
//! document with its line and column, an address that does not parse, a message too
//! large, a reason out of bounds, an unknown id), what is inconsistent in the data (a
//! stored policy that no longer parses), and infrastructure faults (storage, queueing a
//! notice), so each front end can show a precise message.

#![warn(missing_docs)]

pub mod groups;
pub mod policy_admin;
pub mod quarantine;
pub mod queue_actions;

use std::net::IpAddr;

use audit::{Actor, AuditEvent, EventKind, Subject};
use model::{MessageId, RecipientId, TenantId, Timestamp};
use storage::{RecipientRecord, SharedStore, StorageError};

/// Whose data an operation may touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Any organisation's: the operator at the command line.
    AllOrganisations,
    /// Only this organisation's: a signed-in person of it.
    Organisation(TenantId),
}

impl Scope {
    /// Whether data of `tenant` is in this scope.
    pub fn covers(self, tenant: TenantId) -> bool {
        match self {
            Scope::AllOrganisations => true,
            Scope::Organisation(t) => t == tenant,
        }
    }
}

/// Who asks, from where, and when: recorded in every audit event an operation writes.
#[derive(Clone, Debug)]
pub struct Request {
    /// The person or component acting.
    pub actor: Actor,
    /// Their network address, when they came over the network.
    pub source_ip: Option<IpAddr>,
    /// The time of the request (the caller's clock, so tests can fix it).
    pub now: Timestamp,
}

impl Request {
    /// An audit event of `kind` with this request's actor, time and source IP.
    fn event(&self, kind: EventKind) -> AuditEvent {
        let event = AuditEvent::new(0, self.now, self.actor.clone(), kind);
        match self.source_ip {
            Some(ip) => event.with_source_ip(ip),
            None => event,
        }
    }

    /// An audit event of `kind` about one recipient copy, in the copy's organisation's
    /// trail (the record of a change to that copy).
    fn copy_event(&self, kind: EventKind, copy: &RecipientRecord) -> AuditEvent {
        self.event(kind)
            .with_tenant(copy.tenant)
            .with_subject(Subject {
                message: Some(copy.message),
                recipient: Some(copy.id),
                ..Subject::default()
            })
    }
}

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The policy document is not valid; nothing was stored. The error has the line,
    /// column and reason.
    #[error("line {}, column {}: {}", .0.line, .0.column, .0.kind)]
    InvalidPolicy(policy::PolicyError),
    /// The organisation's stored policy no longer parses (a newer carepost tightened a rule,
    /// or the database was edited by hand). Never silently replaced by the default.
    #[error(
        "the stored policy version {version} does not parse ({reason}); store a valid one with \
         `carepost policy set` or in the console"
    )]
    StoredPolicyInvalid {
        /// The version in force.
        version: u64,
        /// What is wrong with it (line, column and reason; no content).
        reason: String,
    },
    /// The organisation has no stored policy version of this number.
    #[error("there is no policy version {0}")]
    NoSuchVersion(u64),
    /// The document was edited from version `base`, but version `current` has been stored
    /// since (by someone else); nothing was stored, so their change is not lost unseen.
    #[error("version {current} was stored while this was edited from version {base}")]
    PolicySuperseded {
        /// The version the edit started from.
        base: u64,
        /// The version in force now.
        current: u64,
    },
    /// An address given for a dry run does not parse.
    #[error("{field}: {reason}")]
    InvalidAddress {
        /// Which one: `to` or `from`.
        field: &'static str,
        /// Why (from `model::EmailAddress::parse`; it does not echo the address).
        reason: String,
    },
    /// No sender was named and the message's From: header has no address carepost reads.
    #[error("the message has no From: address carepost can read; name the sender")]
    NoSender,
    /// The message for a dry run is over the limit.
    #[error("the message is larger than {limit} bytes")]
    MessageTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Screening the message failed unexpectedly (the screening task panicked).
    #[error("screening the message failed")]
    Screening,
    /// A rejection reason must be 1 to [`quarantine::MAX_REASON_CHARS`] characters.
    #[error("the reason must be 1 to {} characters", quarantine::MAX_REASON_CHARS)]
    InvalidReason,
    /// The id is neither a message id nor a recipient copy id (not a UUID).
    #[error("not a message or recipient id")]
    BadId,
    /// No message or copy with this id in the caller's scope (another organisation's is
    /// answered the same way).
    #[error("no message or recipient with this id")]
    NotFound,
    /// The message has no copy in quarantine (any more).
    #[error("nothing is quarantined under this id")]
    NothingQuarantined,
    /// The copies changed, but the notice to the sender could not be queued.
    #[error("{changed} cop{} changed, but queueing the notice to the sender failed: {source}",
        if *.changed == 1 { "y" } else { "ies" })]
    Notice {
        /// How many copies were released or rejected (committed, with their audit events).
        changed: usize,
        /// Why the notice was not queued.
        source: queue::IntakeError,
    },
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
}

/// A message id (all its copies) or a recipient copy id (that copy), within `scope`. An id
/// of another organisation is [`Error::NotFound`], like an unknown one, and the attempt is
/// audited as a refused access.
pub async fn resolve(
    store: &SharedStore,
    scope: Scope,
    id: &str,
    request: &Request,
) -> Result<Vec<RecipientRecord>, Error> {
    let uuid: uuid::Uuid = id.trim().parse().map_err(|_| Error::BadId)?;
    let copies = match store.recipient(RecipientId(uuid)).await {
        Ok(r) => vec![r],
        Err(StorageError::NotFound) => store.recipients_of(MessageId(uuid)).await?,
        Err(e) => return Err(e.into()),
    };
    let Some(first) = copies.first() else {
        return Err(Error::NotFound);
    };
    if let Scope::Organisation(tenant) = scope
        && first.tenant != tenant
    {
        refuse_other_organisation(store, tenant, first, request).await?;
        return Err(Error::NotFound);
    }
    Ok(copies)
}

/// Record that someone of `tenant` asked for a copy of another organisation. The event is
/// in the asker's organisation's trail (theirs is the attempt) and names only ids.
async fn refuse_other_organisation(
    store: &SharedStore,
    tenant: TenantId,
    copy: &RecipientRecord,
    request: &Request,
) -> Result<(), Error> {
    let event = request
        .event(EventKind::AuthAccessDecided)
        .with_tenant(tenant)
        .with_subject(Subject {
            message: Some(copy.message),
            recipient: Some(copy.id),
            ..Subject::default()
        })
        .with_detail("outcome", "deny")
        .with_detail(
            "reasons",
            vec![serde_json::Value::from("other_organisation")],
        );
    store.append_audit(&[event]).await?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod testing {
    //! A fresh SQLite store with two organisations and queued copies, for the unit tests.

    use std::sync::Arc;

    use crypto::{KeyRing, MasterKey};
    use model::{
        EmailAddress, Principal, RecipientStatus, SubmissionChannel, SystemClock, TenantId,
        Timestamp,
    };
    use queue::{Intake, IntakeConfig, Submission};
    use storage::{AuditFilter, SharedStore};

    use crate::Request;

    pub(crate) struct World {
        pub(crate) _dir: tempfile::TempDir,
        pub(crate) store: SharedStore,
        pub(crate) intake: Intake,
        pub(crate) clinic: TenantId,
        pub(crate) other: TenantId,
    }

    pub(crate) async fn world() -> World {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("ops.db"))
                .await
                .expect("open"),
        );
        let keys = Arc::new(KeyRing::new(MasterKey::generate().expect("rng")));
        let mut ids = Vec::new();
        for name in ["Clinic", "Other"] {
            let id = TenantId::new();
            store
                .create_tenant(
                    &storage::Tenant {
                        id,
                        name: name.into(),
                        created: Timestamp::from_millis(0),
                    },
                    &[],
                )
                .await
                .expect("tenant");
            keys.generate_tenant_key(id).expect("tenant key");
            ids.push(id);
        }
        let intake = Intake::new(
            store.clone(),
            keys,
            Arc::new(SystemClock),
            IntakeConfig::default(),
        );
        World {
            _dir: dir,
            store,
            intake,
            clinic: ids[0],
            other: ids[1],
        }
    }

    pub(crate) fn request() -> Request {
        Request {
            actor: audit::Actor::System {
                component: "test".into(),
            },
            source_ip: Some("192.0.2.7".parse().expect("ip")),
            now: Timestamp::from_millis(1_800_000_000_000),
        }
    }

    /// Queue a message from `sender@clinic.test` to `rcpts`, optionally moved to `status`.
    pub(crate) async fn message(
        w: &World,
        tenant: TenantId,
        rcpts: &[&str],
        status: Option<RecipientStatus>,
    ) -> queue::Accepted {
        let accepted = w
            .intake
            .accept(Submission {
                tenant,
                principal: Principal::Device {
                    name: "scanner".into(),
                },
                channel: SubmissionChannel::SmtpStarttls,
                client_ip: "127.0.0.1".into(),
                helo: "scanner.local".into(),
                envelope_from: Some(EmailAddress::parse("sender@clinic.test").expect("addr")),
                recipients: rcpts
                    .iter()
                    .map(|r| EmailAddress::parse(r).expect("addr"))
                    .collect(),
                data: b"From: sender@clinic.test\r\nSubject: Secret subject\r\n\r\nbody\r\n"
                    .to_vec(),
                priority: None,
                route: None,
            })
            .await
            .expect("accepted");
        if let Some(status) = status {
            for r in &accepted.recipients {
                assert!(
                    w.store
                        .transition(
                            *r,
                            &[RecipientStatus::Queued],
                            status,
                            Timestamp::from_millis(1),
                            &[]
                        )
                        .await
                        .expect("transition")
                );
            }
        }
        accepted
    }

    /// Queue a message to `rcpts` and move its copies to quarantine.
    pub(crate) async fn quarantined(
        w: &World,
        tenant: TenantId,
        rcpts: &[&str],
    ) -> queue::Accepted {
        message(w, tenant, rcpts, Some(RecipientStatus::Quarantined)).await
    }

    /// A copy's status now.
    pub(crate) async fn status(w: &World, copy: model::RecipientId) -> RecipientStatus {
        w.store.recipient(copy).await.expect("copy").status
    }

    /// The audit events of these kinds, in order.
    pub(crate) async fn events(w: &World, kinds: &[audit::EventKind]) -> Vec<audit::AuditEvent> {
        w.store
            .find_audit(&AuditFilter {
                kinds: kinds.to_vec(),
                ..AuditFilter::default()
            })
            .await
            .expect("audit")
    }
}

#[cfg(test)]
mod tests {
    use audit::EventKind;
    use model::RecipientStatus;

    use super::*;
    use crate::testing::{events, message, request, world};

    #[tokio::test]
    async fn an_id_resolves_to_its_message_or_copy_within_the_scope() {
        let w = world().await;
        let m = message(&w, w.clinic, &["a@x.test", "b@y.test"], None).await;
        let by_message = resolve(
            &w.store,
            Scope::Organisation(w.clinic),
            &m.message_id.to_string(),
            &request(),
        )
        .await
        .expect("message");
        assert_eq!(by_message.len(), 2);
        let by_copy = resolve(
            &w.store,
            Scope::AllOrganisations,
            &m.recipients[1].to_string(),
            &request(),
        )
        .await
        .expect("copy");
        assert_eq!(by_copy.len(), 1);
        assert_eq!(by_copy[0].id, m.recipients[1]);
        assert_eq!(by_copy[0].status, RecipientStatus::Queued);
    }

    #[tokio::test]
    async fn another_organisations_id_is_not_found_and_the_attempt_is_audited() {
        let w = world().await;
        let m = message(&w, w.other, &["a@x.test"], None).await;
        let err = resolve(
            &w.store,
            Scope::Organisation(w.clinic),
            &m.message_id.to_string(),
            &request(),
        )
        .await
        .expect_err("other organisation");
        assert!(matches!(err, Error::NotFound), "{err}");
        let refused = events(&w, &[EventKind::AuthAccessDecided]).await;
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].tenant, Some(w.clinic));
        assert_eq!(refused[0].details["outcome"], "deny");
        assert_eq!(refused[0].details["reasons"][0], "other_organisation");
    }

    #[tokio::test]
    async fn unknown_and_malformed_ids_are_refused_without_an_audit_event() {
        let w = world().await;
        let unknown = uuid::Uuid::new_v4().to_string();
        let err = resolve(&w.store, Scope::AllOrganisations, &unknown, &request())
            .await
            .expect_err("unknown");
        assert!(matches!(err, Error::NotFound), "{err}");
        let err = resolve(&w.store, Scope::AllOrganisations, "nope", &request())
            .await
            .expect_err("malformed");
        assert!(matches!(err, Error::BadId), "{err}");
        assert!(events(&w, &[EventKind::AuthAccessDecided]).await.is_empty());
    }

    #[test]
    fn a_scope_covers_its_own_organisation_only() {
        let a = TenantId::new();
        let b = TenantId::new();
        assert!(Scope::Organisation(a).covers(a));
        assert!(!Scope::Organisation(a).covers(b));
        assert!(Scope::AllOrganisations.covers(b));
    }
}
