//! Quarantine review: the copies policy held back, why (the scan verdict and the policy
//! decision per copy, from the audit trail), and the reviewer's decision.
//!
//! Release puts a copy back in the queue; reject ends it (it is never sent). Either way the
//! change and its audit event (`quarantine.released` / `quarantine.rejected`) commit in one
//! transaction, and then the sender is told by a notice without the subject or content.

use audit::EventKind;
use model::{MessageId, RecipientStatus};
use queue::Intake;
use serde_json::Value;
use storage::{AuditFilter, RecipientFilter, RecipientRecord, SharedStore};

use crate::{Error, Request, Scope};

/// Most characters of a rejection reason (it is e-mailed to the sender).
pub const MAX_REASON_CHARS: usize = 300;
/// Most quarantined copies listed at once.
pub const MAX_LIST: u32 = 1000;

/// Quarantined copies in `scope`, newest first, at most `limit` (capped at [`MAX_LIST`]).
pub async fn list(
    store: &SharedStore,
    scope: Scope,
    limit: u32,
) -> Result<Vec<RecipientRecord>, Error> {
    let tenant = match scope {
        Scope::AllOrganisations => None,
        Scope::Organisation(t) => Some(t),
    };
    Ok(store
        .list_recipients(&RecipientFilter {
            tenant,
            statuses: vec![RecipientStatus::Quarantined],
            message: None,
            limit: limit.clamp(1, MAX_LIST),
        })
        .await?)
}

/// What the scan found, as recorded in the `message.scanned` event: flags and category
/// names, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanSummary {
    /// A patient identifier was found.
    pub phi: bool,
    /// The subject holds PHI.
    pub phi_in_subject: bool,
    /// Category names found.
    pub categories: Vec<String>,
    /// Reasons parts could not be read.
    pub unscannable: Vec<String>,
    /// Why the message counts as PHI (`identifier`, `weak_evidence_across_parts`,
    /// `model_read_words`; see `screening::PhiBasis`). Empty in records written before it was
    /// recorded.
    pub phi_basis: Vec<String>,
    /// The detector's model took back the rules' verdict on some part.
    pub model_took_back: bool,
}

impl ScanSummary {
    /// [`Self::phi_basis`] in words, for a person.
    pub fn phi_basis_described(&self) -> Vec<&'static str> {
        self.phi_basis
            .iter()
            .map(|b| {
                screening::PhiBasis::from_token(b)
                    .map_or("unknown evidence", screening::PhiBasis::description)
            })
            .collect()
    }
}

/// What policy decided for one copy, as recorded in its `policy.decided` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyDecision {
    /// The copy the decision is about (`None`: a copy not among those asked about). Boxed:
    /// a record is large next to the scan summary.
    pub copy: Option<Box<RecipientRecord>>,
    /// The action's name (`quarantine`, `portal`, ...).
    pub action: String,
    /// The policy version that decided.
    pub policy_version: u64,
    /// The rules that fired.
    pub rules: Vec<String>,
}

/// One recorded step of a message's screening, in the order of the trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The message was scanned.
    Scanned(ScanSummary),
    /// Policy decided for a copy.
    Decided(CopyDecision),
}

/// Why a message was quarantined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// The message.
    pub message: MessageId,
    /// The copies asked about (all the message's, or the one copy named).
    pub copies: Vec<RecipientRecord>,
    /// The scan verdict and the decisions, in the order they were recorded.
    pub findings: Vec<Finding>,
}

/// Why `id` (a message or a copy) was quarantined: its scan verdict and policy decisions.
pub async fn detail(
    store: &SharedStore,
    scope: Scope,
    id: &str,
    request: &Request,
) -> Result<Detail, Error> {
    let copies = crate::resolve(store, scope, id, request).await?;
    let message = copies[0].message;
    let events = store
        .find_audit(&AuditFilter {
            message: Some(message),
            tenant: Some(copies[0].tenant),
            kinds: vec![EventKind::MessageScanned, EventKind::PolicyDecided],
            ..AuditFilter::default()
        })
        .await?;
    let findings = events
        .iter()
        .map(|e| {
            let d = &e.details;
            match e.kind {
                EventKind::MessageScanned => Finding::Scanned(ScanSummary {
                    phi: flag(d.get("phi")),
                    phi_in_subject: flag(d.get("phi_in_subject")),
                    categories: strings(d.get("categories")),
                    unscannable: strings(d.get("unscannable")),
                    phi_basis: strings(d.get("phi_basis")),
                    model_took_back: flag(d.get("model_took_back")),
                }),
                _ => Finding::Decided(CopyDecision {
                    copy: copies
                        .iter()
                        .find(|c| Some(c.id) == e.subject.recipient)
                        .map(|c| Box::new(c.clone())),
                    action: d
                        .get("action")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string(),
                    policy_version: d.get("policy_version").and_then(Value::as_u64).unwrap_or(0),
                    rules: strings(d.get("rules")),
                }),
            }
        })
        .collect();
    Ok(Detail {
        message,
        copies,
        findings,
    })
}

/// What a release or rejection did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    /// The message.
    pub message: MessageId,
    /// The copies released or rejected, never none (a copy another reviewer decided on in
    /// the meantime is not among them; when that is every copy, the answer is
    /// [`Error::NothingQuarantined`]).
    pub changed: Vec<model::RecipientId>,
    /// Whether a notice was queued to the sender (not when the message has no sender, as a
    /// bounce has not).
    pub sender_notified: bool,
}

/// Where sender notices go: the queue's intake and our host name (the notice's sender).
#[derive(Clone, Copy)]
pub struct Notices<'a> {
    /// The intake that stores the notice for delivery.
    pub intake: &'a Intake,
    /// Our host name (`postmaster@HOST` signs the notice).
    pub hostname: &'a str,
}

/// Release the quarantined copies of `id` (a message: all of them; a copy: that one) for
/// delivery, and tell the sender.
pub async fn release(
    store: &SharedStore,
    notices: Notices<'_>,
    scope: Scope,
    id: &str,
    request: &Request,
) -> Result<Decided, Error> {
    decide(store, notices, scope, id, None, request).await
}

/// Reject the quarantined copies of `id`: they are never sent, and the sender is told
/// `reason` (1 to [`MAX_REASON_CHARS`] characters; no patient details, it is e-mailed).
pub async fn reject(
    store: &SharedStore,
    notices: Notices<'_>,
    scope: Scope,
    id: &str,
    reason: &str,
    request: &Request,
) -> Result<Decided, Error> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::InvalidReason);
    }
    decide(store, notices, scope, id, Some(reason), request).await
}

/// Release (`reason` is `None`) or reject.
async fn decide(
    store: &SharedStore,
    notices: Notices<'_>,
    scope: Scope,
    id: &str,
    reason: Option<&str>,
    request: &Request,
) -> Result<Decided, Error> {
    let copies: Vec<RecipientRecord> = crate::resolve(store, scope, id, request)
        .await?
        .into_iter()
        .filter(|c| c.status == RecipientStatus::Quarantined)
        .collect();
    let Some(first) = copies.first() else {
        return Err(Error::NothingQuarantined);
    };
    let message_id = first.message;
    let release = reason.is_none();
    let (to, kind) = if release {
        (RecipientStatus::Queued, EventKind::QuarantineReleased)
    } else {
        (RecipientStatus::Bounced, EventKind::QuarantineRejected)
    };
    let mut changed = Vec::new();
    for c in &copies {
        let event = request.copy_event(kind, c);
        // Conditional on the copy still being quarantined: two reviewers deciding at once
        // change it once.
        if store
            .transition(
                c.id,
                &[RecipientStatus::Quarantined],
                to,
                request.now,
                &[event],
            )
            .await?
        {
            changed.push(c.id);
        }
    }
    // Every copy was decided by another reviewer between our read and our write: this
    // reviewer decided nothing and must hear so (as after the other's decision), not a
    // success that names their decision while the other one (perhaps the opposite) holds.
    if changed.is_empty() {
        return Err(Error::NothingQuarantined);
    }
    // Tell the sender (their own message; no subject or content in the notice).
    let message = store.message(message_id).await?;
    let mut sender_notified = false;
    if let Some(sender) = message
        .envelope_from
        .as_ref()
        .filter(|_| !changed.is_empty())
    {
        let data = relay::notices::sender_notice(
            notices.hostname,
            sender,
            message.id,
            message.received,
            release,
            changed.len(),
            reason,
        );
        relay::notices::submit_notice(notices.intake, message.tenant, vec![sender.clone()], data)
            .await
            .map_err(|source| Error::Notice {
                changed: changed.len(),
                source,
            })?;
        sender_notified = true;
    }
    Ok(Decided {
        message: message_id,
        changed,
        sender_notified,
    })
}

fn flag(v: Option<&Value>) -> bool {
    v.and_then(Value::as_bool) == Some(true)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use audit::{EventKind, Subject};
    use model::{RecipientStatus, Timestamp};
    use storage::RecipientFilter;

    use super::*;
    use crate::testing::{World, events, message, quarantined, request, status, world};

    fn notices(w: &World) -> Notices<'_> {
        Notices {
            intake: &w.intake,
            hostname: "mx.clinic.test",
        }
    }

    /// The notices queued to the sender (messages with the system principal).
    async fn notices_to_sender(w: &World) -> Vec<RecipientRecord> {
        w.store
            .list_recipients(&RecipientFilter::default())
            .await
            .expect("list")
            .into_iter()
            .filter(|r| r.address.to_string() == "sender@clinic.test")
            .collect()
    }

    #[tokio::test]
    async fn only_the_organisations_own_quarantined_copies_are_listed() {
        let w = world().await;
        let mine = quarantined(&w, w.clinic, &["a@x.test"]).await;
        quarantined(&w, w.other, &["b@x.test"]).await;
        message(&w, w.clinic, &["c@x.test"], None).await;
        let listed = list(&w.store, Scope::Organisation(w.clinic), 100)
            .await
            .expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, mine.recipients[0]);
        let all = list(&w.store, Scope::AllOrganisations, 100)
            .await
            .expect("all");
        assert_eq!(all.len(), 2);
    }

    #[tokio::test]
    async fn release_queues_the_copies_audits_each_and_notifies_the_sender_without_subject() {
        let w = world().await;
        let m = quarantined(&w, w.clinic, &["a@x.test", "b@y.test"]).await;
        let (scope, id) = (Scope::Organisation(w.clinic), m.message_id.to_string());
        let done = release(&w.store, notices(&w), scope, &id, &request())
            .await
            .expect("released");
        assert_eq!(done.changed.len(), 2);
        assert!(done.sender_notified);
        for r in &m.recipients {
            assert_eq!(status(&w, *r).await, RecipientStatus::Queued);
        }
        let released = events(&w, &[EventKind::QuarantineReleased]).await;
        assert_eq!(released.len(), 2);
        assert!(released.iter().all(|e| e.source_ip == request().source_ip));
        assert_eq!(notices_to_sender(&w).await.len(), 1);

        // Nothing is left to release: a second reviewer is told so, and nobody is notified
        // twice.
        let again = release(&w.store, notices(&w), scope, &id, &request())
            .await
            .expect_err("nothing left");
        assert!(matches!(again, Error::NothingQuarantined), "{again}");
        assert_eq!(notices_to_sender(&w).await.len(), 1);
    }

    #[tokio::test]
    async fn two_reviewers_deciding_at_once_make_one_decision_and_the_other_is_told_so() {
        let w = world().await;
        // Several rounds: the two reads usually both see the copy quarantined before
        // either write, which is the race this is about.
        for round in 0..10 {
            let m = quarantined(&w, w.clinic, &["a@x.test"]).await;
            let (scope, id) = (Scope::Organisation(w.clinic), m.message_id.to_string());
            let req = request();
            let (released, rejected) = tokio::join!(
                release(&w.store, notices(&w), scope, &id, &req),
                reject(&w.store, notices(&w), scope, &id, "not allowed", &req),
            );
            let winners = [released.is_ok(), rejected.is_ok()];
            assert_eq!(
                winners.iter().filter(|ok| **ok).count(),
                1,
                "round {round}: exactly one decision: {released:?} / {rejected:?}"
            );
            let (won, lost) = if released.is_ok() {
                (released, rejected)
            } else {
                (rejected, released)
            };
            assert_eq!(won.expect("winner").changed, vec![m.recipients[0]]);
            assert!(
                matches!(lost, Err(Error::NothingQuarantined)),
                "round {round}: the other reviewer is told nothing was left: {lost:?}"
            );
            let expected = if winners[0] {
                RecipientStatus::Queued
            } else {
                RecipientStatus::Bounced
            };
            assert_eq!(status(&w, m.recipients[0]).await, expected);
            assert_eq!(notices_to_sender(&w).await.len(), round + 1, "one notice");
        }
        let decided = events(
            &w,
            &[EventKind::QuarantineReleased, EventKind::QuarantineRejected],
        )
        .await;
        assert_eq!(decided.len(), 10, "one audit event per decision");
    }

    #[tokio::test]
    async fn reject_bounces_the_copy_and_needs_a_reason_of_bounded_length() {
        let w = world().await;
        let m = quarantined(&w, w.clinic, &["a@x.test"]).await;
        let (scope, id) = (Scope::Organisation(w.clinic), m.recipients[0].to_string());
        for bad in ["", "   ", &"x".repeat(MAX_REASON_CHARS + 1)] {
            let err = reject(&w.store, notices(&w), scope, &id, bad, &request())
                .await
                .expect_err("bad reason");
            assert!(matches!(err, Error::InvalidReason), "{err}");
        }
        assert_eq!(
            status(&w, m.recipients[0]).await,
            RecipientStatus::Quarantined
        );
        let reason = "y".repeat(MAX_REASON_CHARS);
        let done = reject(&w.store, notices(&w), scope, &id, &reason, &request())
            .await
            .expect("rejected");
        assert_eq!(done.changed, vec![m.recipients[0]]);
        assert_eq!(status(&w, m.recipients[0]).await, RecipientStatus::Bounced);
        assert_eq!(events(&w, &[EventKind::QuarantineRejected]).await.len(), 1);
        assert_eq!(notices_to_sender(&w).await.len(), 1);
    }

    #[tokio::test]
    async fn another_organisations_copy_cannot_be_released_rejected_or_read() {
        let w = world().await;
        let theirs = quarantined(&w, w.other, &["a@x.test"]).await;
        let id = theirs.message_id.to_string();
        let scope = Scope::Organisation(w.clinic);
        let r = release(&w.store, notices(&w), scope, &id, &request()).await;
        assert!(matches!(r, Err(Error::NotFound)), "{r:?}");
        let r = reject(&w.store, notices(&w), scope, &id, "no", &request()).await;
        assert!(matches!(r, Err(Error::NotFound)), "{r:?}");
        let r = detail(&w.store, scope, &id, &request()).await;
        assert!(matches!(r, Err(Error::NotFound)), "{r:?}");
        assert_eq!(
            status(&w, theirs.recipients[0]).await,
            RecipientStatus::Quarantined
        );
        assert_eq!(events(&w, &[EventKind::AuthAccessDecided]).await.len(), 3);
        assert!(notices_to_sender(&w).await.is_empty());
    }

    #[tokio::test]
    async fn the_detail_reads_the_scan_and_the_decisions_from_the_trail() {
        let w = world().await;
        let m = quarantined(&w, w.clinic, &["a@x.test"]).await;
        let at = Timestamp::from_millis(5);
        let subject = Subject {
            message: Some(m.message_id),
            ..Subject::default()
        };
        let actor = audit::Actor::System {
            component: "gateway".into(),
        };
        w.store
            .append_audit(&[
                audit::AuditEvent::new(0, at, actor.clone(), EventKind::MessageScanned)
                    .with_tenant(w.clinic)
                    .with_subject(subject.clone())
                    .with_detail("phi", true)
                    .with_detail("phi_in_subject", false)
                    .with_detail("categories", vec![Value::from("SSN")])
                    .with_detail("phi_basis", vec![Value::from("identifier")]),
                audit::AuditEvent::new(0, at, actor, EventKind::PolicyDecided)
                    .with_tenant(w.clinic)
                    .with_subject(Subject {
                        recipient: Some(m.recipients[0]),
                        ..subject
                    })
                    .with_detail("action", "quarantine")
                    .with_detail("policy_version", 3u64)
                    .with_detail("rules", vec![Value::from("ssn-quarantine")]),
            ])
            .await
            .expect("events");
        let d = detail(
            &w.store,
            Scope::Organisation(w.clinic),
            &m.message_id.to_string(),
            &request(),
        )
        .await
        .expect("detail");
        assert_eq!(d.findings.len(), 2, "{:?}", d.findings);
        assert_eq!(
            d.findings[0],
            Finding::Scanned(ScanSummary {
                phi: true,
                phi_in_subject: false,
                categories: vec!["SSN".into()],
                unscannable: Vec::new(),
                phi_basis: vec!["identifier".into()],
                model_took_back: false,
            })
        );
        let Finding::Decided(decision) = &d.findings[1] else {
            panic!("expected a decision: {:?}", d.findings[1]);
        };
        assert_eq!(decision.action, "quarantine");
        assert_eq!(decision.policy_version, 3);
        assert_eq!(decision.rules, vec!["ssn-quarantine".to_string()]);
        assert_eq!(decision.copy.as_ref().map(|c| c.id), Some(m.recipients[0]));
    }
}
