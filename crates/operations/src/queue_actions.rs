//! Queue actions on recipient copies: retry now, hold, release.
//!
//! Each copy changes with a conditional transition (only from the status it was read with,
//! which must be one the action accepts), and its audit event commits in the same
//! transaction: `admin.queue_changed` with the action and the statuses before and after, or
//! `quarantine.released` when a release ends a quarantine (that is a reviewer's decision
//! and is recorded as one).

use audit::EventKind;
use model::{RecipientId, RecipientStatus};
use storage::SharedStore;

use crate::{Error, Request, Scope};

/// What to do with the copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueAction {
    /// Try a deferred, held or awaiting-portal copy again now.
    Retry,
    /// Hold a queued or deferred copy: it is not delivered until released.
    Hold,
    /// Release a held or quarantined copy for delivery.
    Release,
}

impl QueueAction {
    /// The statuses a copy may have for this action to apply.
    pub fn from_statuses(self) -> &'static [RecipientStatus] {
        match self {
            Self::Retry => &[
                RecipientStatus::Deferred,
                RecipientStatus::Held,
                RecipientStatus::AwaitingPortal,
            ],
            Self::Hold => &[RecipientStatus::Queued, RecipientStatus::Deferred],
            Self::Release => &[RecipientStatus::Held, RecipientStatus::Quarantined],
        }
    }

    /// The status a copy gets.
    pub fn to_status(self) -> RecipientStatus {
        match self {
            Self::Retry | Self::Release => RecipientStatus::Queued,
            Self::Hold => RecipientStatus::Held,
        }
    }

    /// The action's name, as recorded in the audit event (`retry`, `hold`, `release`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Retry => "retry",
            Self::Hold => "hold",
            Self::Release => "release",
        }
    }

    /// What happened to a changed copy, for people ("queued for an immediate retry").
    pub fn verb(self) -> &'static str {
        match self {
            Self::Retry => "queued for an immediate retry",
            Self::Hold => "held",
            Self::Release => "released",
        }
    }

    /// Whether a copy with this status can take the action (for offering it in a list).
    pub fn applies_to(self, status: RecipientStatus) -> bool {
        self.from_statuses().contains(&status)
    }
}

impl std::str::FromStr for QueueAction {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "retry" => Ok(Self::Retry),
            "hold" => Ok(Self::Hold),
            "release" => Ok(Self::Release),
            _ => Err(()),
        }
    }
}

/// What an action did to one copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyOutcome {
    /// The copy.
    pub id: RecipientId,
    /// Its status before.
    pub before: RecipientStatus,
    /// Whether it changed (no: its status did not allow the action, or it changed meanwhile).
    pub changed: bool,
}

/// Whether a queue action may release quarantined copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quarantined {
    /// Yes: the operator at the command line (who holds the database anyway).
    MayRelease,
    /// No: a quarantined copy is left alone (reported unchanged). The console's queue
    /// page uses this, so releasing quarantined mail stays with people who review
    /// quarantine (an admin manages the queue but does not review quarantine), through
    /// `crate::quarantine`, which also tells the sender.
    LeaveAlone,
}

/// Apply `action` to the copies of `id` (a message: all its copies; a copy: that one) in
/// `scope`. Copies whose status does not allow it are left alone and reported unchanged.
pub async fn apply(
    store: &SharedStore,
    scope: Scope,
    id: &str,
    action: QueueAction,
    quarantined: Quarantined,
    request: &Request,
) -> Result<Vec<CopyOutcome>, Error> {
    let copies = crate::resolve(store, scope, id, request).await?;
    let to = action.to_status();
    let allowed: Vec<RecipientStatus> = action
        .from_statuses()
        .iter()
        .copied()
        .filter(|s| *s != RecipientStatus::Quarantined || quarantined == Quarantined::MayRelease)
        .collect();
    let mut outcomes = Vec::with_capacity(copies.len());
    for c in &copies {
        if !allowed.contains(&c.status) {
            // Not even tried (the transition below is conditional anyway; this keeps a
            // quarantined copy out of a console queue action for certain).
            outcomes.push(CopyOutcome {
                id: c.id,
                before: c.status,
                changed: false,
            });
            continue;
        }
        // A released quarantine is a reviewer's decision and is recorded as such.
        let kind = if action == QueueAction::Release && c.status == RecipientStatus::Quarantined {
            EventKind::QuarantineReleased
        } else {
            EventKind::AdminQueueChanged
        };
        let event = request
            .copy_event(kind, c)
            .with_detail("action", action.as_str())
            .with_detail("from", c.status.as_str())
            .with_detail("to", to.as_str());
        // Only from the status just read: the event names it as `from`, and a copy that
        // changed meanwhile (the delivery worker moved it on, say from deferred to
        // awaiting-portal) is a copy the person did not act on; it is reported unchanged.
        let changed = store
            .transition(c.id, &[c.status], to, request.now, &[event])
            .await?;
        outcomes.push(CopyOutcome {
            id: c.id,
            before: c.status,
            changed,
        });
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use audit::EventKind;
    use model::{RecipientStatus, Timestamp};

    use super::*;
    use crate::testing::{World, events, message, quarantined, request, status, world};

    /// [`apply`] in the test world, as the test request.
    async fn act(
        w: &World,
        scope: Scope,
        id: &str,
        action: QueueAction,
        quarantined: Quarantined,
    ) -> Result<Vec<CopyOutcome>, Error> {
        apply(&w.store, scope, id, action, quarantined, &request()).await
    }

    #[tokio::test]
    async fn hold_then_release_then_retry_follow_the_allowed_statuses() {
        let w = world().await;
        let m = message(&w, w.clinic, &["a@x.test"], None).await;
        let id = m.recipients[0].to_string();
        let scope = Scope::Organisation(w.clinic);
        let held = act(&w, scope, &id, QueueAction::Hold, Quarantined::MayRelease)
            .await
            .expect("hold");
        assert!(held[0].changed);
        assert_eq!(held[0].before, RecipientStatus::Queued);
        // Holding a held copy changes nothing.
        let again = act(&w, scope, &id, QueueAction::Hold, Quarantined::MayRelease)
            .await
            .expect("hold again");
        assert!(!again[0].changed);
        let released = act(
            &w,
            scope,
            &id,
            QueueAction::Release,
            Quarantined::MayRelease,
        )
        .await
        .expect("release");
        assert!(released[0].changed);
        assert_eq!(status(&w, m.recipients[0]).await, RecipientStatus::Queued);
        // A queued copy cannot be retried (it is due already).
        let retried = act(&w, scope, &id, QueueAction::Retry, Quarantined::MayRelease)
            .await
            .expect("retry");
        assert!(!retried[0].changed);
        let changed = events(&w, &[EventKind::AdminQueueChanged]).await;
        assert_eq!(changed.len(), 2, "only changes are recorded");
        assert_eq!(changed[0].details["action"], "hold");
        assert_eq!(changed[1].details["from"], "held");
    }

    #[tokio::test]
    async fn releasing_a_quarantined_copy_is_recorded_as_a_quarantine_release() {
        let w = world().await;
        let m = quarantined(&w, w.clinic, &["a@x.test"]).await;
        act(
            &w,
            Scope::AllOrganisations,
            &m.message_id.to_string(),
            QueueAction::Release,
            Quarantined::MayRelease,
        )
        .await
        .expect("release");
        assert_eq!(events(&w, &[EventKind::QuarantineReleased]).await.len(), 1);
        assert!(events(&w, &[EventKind::AdminQueueChanged]).await.is_empty());
    }

    #[tokio::test]
    async fn another_organisations_copy_is_not_found_and_unchanged() {
        let w = world().await;
        let theirs = message(&w, w.other, &["a@x.test"], None).await;
        let err = act(
            &w,
            Scope::Organisation(w.clinic),
            &theirs.recipients[0].to_string(),
            QueueAction::Hold,
            Quarantined::LeaveAlone,
        )
        .await
        .expect_err("other organisation");
        assert!(matches!(err, Error::NotFound), "{err}");
        assert_eq!(
            status(&w, theirs.recipients[0]).await,
            RecipientStatus::Queued
        );
        assert!(events(&w, &[EventKind::AdminQueueChanged]).await.is_empty());
    }

    #[tokio::test]
    async fn a_console_release_leaves_quarantined_copies_to_the_reviewers() {
        let w = world().await;
        let m = quarantined(&w, w.clinic, &["a@x.test"]).await;
        let outcomes = act(
            &w,
            Scope::Organisation(w.clinic),
            &m.message_id.to_string(),
            QueueAction::Release,
            Quarantined::LeaveAlone,
        )
        .await
        .expect("release");
        assert!(!outcomes[0].changed);
        assert_eq!(
            status(&w, m.recipients[0]).await,
            RecipientStatus::Quarantined
        );
        assert!(
            events(&w, &[EventKind::QuarantineReleased])
                .await
                .is_empty()
        );
    }

    #[tokio::test]
    async fn a_copy_that_changed_meanwhile_is_not_acted_on_under_its_old_status() {
        let w = world().await;
        for round in 0..10 {
            let m = message(&w, w.clinic, &["a@x.test"], Some(RecipientStatus::Deferred)).await;
            let copy = m.recipients[0];
            let id = copy.to_string();
            let req = request();
            // The worker's attempt ends while the person retries: the copy goes from
            // deferred to awaiting-portal.
            let (retried, worker) = tokio::join!(
                apply(
                    &w.store,
                    Scope::Organisation(w.clinic),
                    &id,
                    QueueAction::Retry,
                    Quarantined::LeaveAlone,
                    &req
                ),
                w.store.transition(
                    copy,
                    &[RecipientStatus::Deferred],
                    RecipientStatus::AwaitingPortal,
                    Timestamp::from_millis(2),
                    &[]
                ),
            );
            let retried = retried.expect("retry");
            let moved_on = worker.expect("worker");
            if retried[0].changed && moved_on {
                // Both changed it: the retry must have come after the worker, and say so.
                assert_eq!(
                    retried[0].before,
                    RecipientStatus::AwaitingPortal,
                    "round {round}: retried under a status it no longer had"
                );
            }
        }
    }

    #[test]
    fn actions_parse_from_their_names() {
        for a in [QueueAction::Retry, QueueAction::Hold, QueueAction::Release] {
            assert_eq!(a.as_str().parse::<QueueAction>(), Ok(a));
        }
        assert!("delete".parse::<QueueAction>().is_err());
        assert!(QueueAction::Release.applies_to(RecipientStatus::Quarantined));
        assert!(!QueueAction::Hold.applies_to(RecipientStatus::Delivered));
    }
}
