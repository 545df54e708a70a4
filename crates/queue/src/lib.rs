//! The outbound queue's domain logic: the one intake path every submission takes, and the
//! retry schedule.
//!
//! **What it does:** [`Intake::accept`] is the single function through which SMTP
//! submission (and later the REST API and campaigns) put mail into carepost: it checks and
//! prepares the message, screens it (with [`Screening`]), seals it with the tenant's key,
//! and commits the message with one entry per recipient copy. The seal and the body's
//! write run while the message is screened: the store may make a large sealed body durable
//! before policy has decided (`storage::QueueStore::stage_body`), and erases it if policy
//! refuses the message. It returns only after the store has made the message durable, so
//! the caller may then say `250`. With a [`DirectDelivery`] worker attached, copies it has a
//! slot for are committed already leased to it and handed over after the commit.
//! [`retry::RetrySchedule`] says when a deferred copy is tried again and when it gives up.
//!
//! **What it does not do:** no sockets, no SQL: storage is behind `storage::QueueStore`,
//! sealing behind `crypto::KeyRing`. Delivery lives in `smtp-delivery` and the worker that
//! drives it in `relay`.
//!
//! **Security and PHI:** the message body exists in clear only in memory between
//! [`Intake::accept`]'s entry and the seal, or, for a copy handed to a [`DirectDelivery`]
//! worker, until that worker's attempt ends (held in `Zeroizing`, never written anywhere
//! but the sealed store). Logs carry the queue id, tenant, sizes and counts, never
//! addresses or content.
//!
//! **Errors:** [`IntakeError`] says whether the submitter should retry (`Temporary`, mapped
//! to SMTP 451 / HTTP 503) or not (`Permanent`, mapped to 554 / 422).

pub mod disclosure;
pub mod retry;
mod screen;

pub use screen::{PolicySource, Screening, StorePolicySource};

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crypto::KeyRing;
use message::submission::{TraceInfo, prepare};
use model::{
    Clock, DeliveryRoute, EmailAddress, MessageId, Principal, Priority, RecipientId,
    RecipientStatus, SubmissionChannel, TenantId,
};
use storage::{
    Lease, MessageRecord, NewMessage, NewRecipient, RecipientRecord, SharedStore, Staging,
};
use zeroize::Zeroizing;

/// Intake settings.
#[derive(Clone, Debug)]
pub struct IntakeConfig {
    /// Our host name, for the `Received:` header and generated `Message-ID`s.
    pub hostname: String,
    /// How long undelivered copies are retried before they bounce.
    pub max_lifetime: Duration,
    /// The disclosure headers and the key for patient references (see [`disclosure`]);
    /// `None` leaves the headers in the message untouched.
    pub disclosure: Option<DisclosureHeaders>,
}

/// Which headers carry the patient and purpose of a disclosure, and the key that turns the
/// patient identifier into a reference.
#[derive(Clone, Debug)]
pub struct DisclosureHeaders {
    /// e.g. `X-Carepost-Patient`.
    pub patient_header: String,
    /// e.g. `X-Carepost-Purpose`.
    pub purpose_header: String,
    /// Key for [`disclosure::patient_ref`].
    pub key: Arc<audit::KeyedHashKey>,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        Self {
            hostname: "localhost".to_string(),
            max_lifetime: Duration::from_secs(5 * 24 * 3600),
            disclosure: None,
        }
    }
}

/// A message handed to carepost by any submission path.
pub struct Submission {
    /// Organisation.
    pub tenant: TenantId,
    /// Who submitted it.
    pub principal: Principal,
    /// How.
    pub channel: SubmissionChannel,
    /// Client IP address.
    pub client_ip: String,
    /// HELO/EHLO name (or the API client's name).
    pub helo: String,
    /// `MAIL FROM`; `None` for the null sender (only carepost's own DSNs).
    pub envelope_from: Option<EmailAddress>,
    /// Recipients (at least one).
    pub recipients: Vec<EmailAddress>,
    /// The message as received (header and body, CRLF line ends).
    pub data: Vec<u8>,
    /// Priority chosen by the caller; `None` lets the headers decide.
    pub priority: Option<Priority>,
    /// For carepost's own messages (not screened): how every copy travels. `None` is the
    /// default route. Ignored for screened messages, where policy decides.
    pub route: Option<DeliveryRoute>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submission")
            .field("tenant", &self.tenant)
            .field("principal", &self.principal)
            .field("channel", &self.channel)
            .field("recipients", &self.recipients.len())
            .field("size", &self.data.len())
            .finish_non_exhaustive()
    }
}

/// What was committed.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// The queue id.
    pub message_id: MessageId,
    /// One id per recipient copy, in submission order.
    pub recipients: Vec<RecipientId>,
    /// What policy decided for each copy (same order), when the message was screened.
    pub decisions: Vec<policy::Decision>,
}

/// Why a submission was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// Try again later (storage or keys unavailable); nothing was committed.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// The message itself is unacceptable.
    #[error("{0}")]
    Permanent(String),
    /// The organisation's policy refuses the message; the text is the policy's reason for
    /// the sender (no PHI).
    #[error("refused by policy: {0}")]
    Rejected(String),
    /// A message with the same idempotency key was committed already (nothing new was).
    #[error("a message with this idempotency key was already accepted")]
    AlreadySubmitted,
}

/// A delivery worker on this node that takes copies straight from intake.
///
/// For each copy it is about to commit as `queued`, intake asks for a free slot. A copy that
/// gets one is committed already leased to the worker ([`storage::Lease`]) and handed over
/// right after the commit with the message as it was sealed, so the worker neither claims
/// it nor reads and opens it again: one write transaction, one read and one decryption less
/// per copy. A copy that gets no slot is queued and claimed as before. Nothing is lost if
/// the process dies between the commit and the attempt: the lease runs out (or the node
/// releases its own leases when it starts) and the copy is claimed like any other.
pub trait DirectDelivery: Send + Sync {
    /// A free delivery slot and the lease for a copy committed at `now`, or `None` when
    /// the worker has no slot free.
    fn reserve(&self, now: model::Timestamp) -> Option<DeliverySlot>;
    /// Deliver a committed copy leased through `slot`. `body` is the message exactly as it
    /// was sealed.
    fn hand_over(
        &self,
        slot: DeliverySlot,
        copy: RecipientRecord,
        message: Arc<MessageRecord>,
        body: Arc<Zeroizing<Vec<u8>>>,
    );
}

/// A delivery slot reserved for one copy. Dropping it (the commit failed) frees the slot.
#[derive(Debug)]
pub struct DeliverySlot {
    /// The lease the copy is committed with.
    pub lease: Lease,
    /// Holds the worker's slot until the attempt is over.
    pub permit: tokio::sync::OwnedSemaphorePermit,
}

/// The single intake path.
pub struct Intake {
    store: SharedStore,
    keys: Arc<KeyRing>,
    clock: Arc<dyn Clock>,
    config: IntakeConfig,
    on_enqueued: Option<Box<dyn Fn() + Send + Sync>>,
    screening: Option<Screening>,
    direct: Option<Arc<dyn DirectDelivery>>,
}

impl Intake {
    /// An intake over a store and a key ring.
    pub fn new(
        store: SharedStore,
        keys: Arc<KeyRing>,
        clock: Arc<dyn Clock>,
        config: IntakeConfig,
    ) -> Self {
        Self {
            store,
            keys,
            clock,
            config,
            on_enqueued: None,
            screening: None,
            direct: None,
        }
    }

    /// Hand copies straight to this node's delivery worker when it has a slot free (see
    /// [`DirectDelivery`]).
    pub fn with_direct_delivery(mut self, direct: Arc<dyn DirectDelivery>) -> Self {
        self.direct = Some(direct);
        self
    }

    /// Screen every submission (except carepost's own notices) for PHI and let the
    /// organisation's policy decide each copy's route.
    pub fn with_screening(mut self, screening: Screening) -> Self {
        self.screening = Some(screening);
        self
    }

    /// Call `f` after every committed message (the binary wakes the delivery worker).
    pub fn with_wakeup(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_enqueued = Some(Box::new(f));
        self
    }

    /// Check, prepare, seal and durably enqueue a message.
    pub async fn accept(&self, submission: Submission) -> Result<Accepted, IntakeError> {
        self.accept_once(submission, None).await
    }

    /// [`Intake::accept`] for a REST client's retried request: the idempotency key is
    /// committed in the message's own transaction, so two requests with the same key never
    /// commit two messages. The second gets [`IntakeError::AlreadySubmitted`]; the caller
    /// then answers with the first message (`storage::ApiStore::submitted_key`).
    pub async fn accept_once(
        &self,
        mut submission: Submission,
        idempotency: Option<storage::SubmissionKey>,
    ) -> Result<Accepted, IntakeError> {
        if submission.recipients.is_empty() {
            return Err(IntakeError::Permanent("no recipients".to_string()));
        }
        let mut patient_refs = Vec::new();
        let mut purpose = None;
        if let Some(d) = &self.config.disclosure {
            let (stripped, patients) = disclosure::take_header(&submission.data, &d.patient_header);
            if let Some(data) = stripped {
                submission.data = data;
            }
            let (stripped, purposes) = disclosure::take_header(&submission.data, &d.purpose_header);
            if let Some(data) = stripped {
                submission.data = data;
            }
            for p in patients.iter().filter(|p| !p.trim().is_empty()) {
                let r = disclosure::patient_ref(&d.key, p);
                if !patient_refs.contains(&r) && patient_refs.len() < disclosure::MAX_PATIENT_REFS {
                    patient_refs.push(r);
                }
            }
            purpose = purposes.first().map(|p| disclosure::purpose(p));
        }
        let id = MessageId::new();
        let now = self.clock.now();
        let protocol = match submission.channel {
            SubmissionChannel::SmtpStarttls | SubmissionChannel::SmtpImplicitTls => {
                if matches!(submission.principal, Principal::User { .. }) {
                    "ESMTPSA"
                } else {
                    "ESMTPS"
                }
            }
            SubmissionChannel::SmtpPlaintext => "ESMTP",
            SubmissionChannel::Api | SubmissionChannel::Portal => "HTTPS",
            SubmissionChannel::Internal => "local",
        };
        let trace = TraceInfo {
            hostname: &self.config.hostname,
            helo: &submission.helo,
            client_ip: &submission.client_ip,
            protocol,
            id,
            at: now,
        };
        let prepared =
            prepare(&submission.data, &trace).map_err(|e| IntakeError::Permanent(e.to_string()))?;
        // Screening and policy, per copy, while the body is sealed and staged: the store
        // can make a large body durable before policy has spoken (`QueueStore::stage_body`),
        // so one message's wait for the disk overlaps its screening instead of following
        // it. carepost's own notices and DSNs are not screened: they are built from fixed
        // text and ids.
        let data = std::mem::take(&mut submission.data);
        let screening = async {
            match (&self.screening, &submission.principal) {
                (Some(screening), principal) if !matches!(principal, Principal::System) => {
                    let (screened, data) = screening
                        .decide(
                            submission.tenant,
                            principal,
                            submission.envelope_from.as_ref(),
                            &submission.recipients,
                            data,
                        )
                        .await?;
                    Ok::<_, IntakeError>((Some(screened), data))
                }
                _ => Ok((None, data)),
            }
        };
        // The digest of the message as submitted, from the prepared copy (the trace
        // headers are only prepended), also off the screening's path.
        let sealing = async {
            let body_sha256 = hex::encode(Sha256::digest(prepared.submitted()));
            let sealed = self
                .keys
                .seal(submission.tenant, id.0.as_bytes(), &prepared.bytes)
                .map_err(|e| IntakeError::Temporary(format!("sealing failed: {e}")))?;
            let staged = self
                .store
                .stage_body(sealed)
                .await
                .map_err(|e| IntakeError::Temporary(e.to_string()))?;
            Ok((staged, body_sha256))
        };
        let (screened, sealed) = tokio::join!(screening, sealing);
        // One answer at DATA: a reject for any copy refuses the message, with the policy's
        // reason (validated by the policy engine to carry no PHI). A body staged for a
        // refused message is erased, not left on disk.
        let refusal = match &screened {
            Ok((screened, _)) => screened
                .as_ref()
                .and_then(|s| s.reject_reason())
                .map(IntakeError::Rejected),
            Err(e) => Some(e.clone()),
        };
        if let Some(refusal) = refusal {
            if let Ok((Staging::Staged(staged), _)) = sealed {
                self.store.discard_staged(staged).await;
            }
            return Err(refusal);
        }
        let (screened, data) = screened?;
        submission.data = data;
        let (sealed, body_sha256) = sealed?;
        let (sealed_body, staged_body) = match sealed {
            Staging::Kept(sealed) => (sealed, None),
            Staging::Staged(staged) => (Vec::new(), Some(staged)),
        };

        let mut recipients: Vec<NewRecipient> = submission
            .recipients
            .into_iter()
            .enumerate()
            .map(|(i, address)| NewRecipient {
                id: RecipientId::new(),
                address,
                // Without screening every copy starts queued: delivery itself refuses
                // anything but verified TLS and moves the copy to awaiting-portal when that
                // cannot be had.
                status: screened
                    .as_ref()
                    .map_or(RecipientStatus::Queued, |s| s.initial_status(i)),
                route: screened
                    .as_ref()
                    .map_or(submission.route.unwrap_or_default(), |s| s.route(i)),
                next_attempt: now,
                lease: None,
            })
            .collect();
        // Reserve a worker slot for each copy that is due now. Copies policy held back
        // (portal, quarantine) are not delivered and need none.
        let mut slots: Vec<Option<DeliverySlot>> = Vec::new();
        if let Some(direct) = &self.direct {
            for r in &mut recipients {
                let slot = if r.status == RecipientStatus::Queued {
                    direct.reserve(now)
                } else {
                    None
                };
                r.lease = slot.as_ref().map(|s| s.lease.clone());
                slots.push(slot);
            }
        }
        let recipient_ids = recipients.iter().map(|r| r.id).collect();
        let record = MessageRecord {
            id,
            tenant: submission.tenant,
            principal: submission.principal,
            channel: submission.channel,
            client_ip: submission.client_ip,
            envelope_from: submission.envelope_from,
            size: submission.data.len() as u64,
            priority: submission.priority.unwrap_or(prepared.priority),
            received: now,
            expires: now.plus(self.config.max_lifetime),
            body_sha256,
        };
        let count = recipients.len();
        // Recorded in the same transaction as the message: no message without its event.
        let mut submitted = audit::record::message_submitted(
            now,
            record.tenant,
            &record.principal,
            &record.client_ip,
            record.channel,
            id,
            record.size,
            count,
            record.priority,
        );
        if !patient_refs.is_empty() {
            submitted = submitted.with_detail(storage::PATIENT_REFS_DETAIL, patient_refs);
        }
        if let Some(purpose) = purpose {
            submitted = submitted.with_detail("purpose", purpose);
        }
        let mut audit_events = vec![submitted];
        if let Some(s) = &screened {
            audit_events.push(s.verdict.scanned_event(now, record.tenant, id));
            for (copy, (decision, internal)) in recipients.iter().zip(&s.decisions) {
                audit_events.push(screening::decided_event(
                    now,
                    record.tenant,
                    id,
                    copy.id,
                    *internal,
                    decision,
                ));
            }
        }
        // What a handed-over copy needs after the commit (the store takes the originals).
        let handed_over: Vec<(DeliverySlot, RecipientRecord)> = slots
            .into_iter()
            .zip(&recipients)
            .filter_map(|(slot, r)| slot.map(|slot| (slot, r.stored_record(&record, now))))
            .collect();
        let all_handed_over = handed_over.len() == recipients.len();
        let message_for_worker = (!handed_over.is_empty()).then(|| Arc::new(record.clone()));
        let staged = staged_body.clone();
        let committed = self
            .store
            .enqueue(NewMessage {
                record,
                sealed_body,
                staged_body,
                recipients,
                audit: audit_events,
                idempotency,
            })
            .await;
        if let Err(e) = committed {
            // A conflict (a REST client's retry) rolled the message back: its staged body
            // will never be referenced. After other errors the commit's fate may be unknown
            // (a writer gone mid-batch), so the body is left as it is, unreferenced or not.
            if let (storage::StorageError::Conflict { .. }, Some(staged)) = (&e, staged) {
                self.store.discard_staged(staged).await;
            }
            return Err(match e {
                storage::StorageError::Conflict { constraint }
                    if constraint == storage::SUBMISSION_KEY_CONSTRAINT =>
                {
                    IntakeError::AlreadySubmitted
                }
                e => IntakeError::Temporary(e.to_string()),
            });
        }
        tracing::info!(queue_id = %id, recipients = count, size = submission.data.len(), "message queued");
        if let (Some(direct), Some(message)) = (&self.direct, message_for_worker) {
            let body = Arc::new(Zeroizing::new(prepared.bytes));
            for (slot, copy) in handed_over {
                direct.hand_over(slot, copy, message.clone(), body.clone());
            }
        }
        // Copies left queued wait for the worker to claim them.
        if !all_handed_over && let Some(f) = &self.on_enqueued {
            f();
        }
        Ok(Accepted {
            message_id: id,
            recipients: recipient_ids,
            decisions: screened
                .map(|s| s.decisions.into_iter().map(|(d, _)| d).collect())
                .unwrap_or_default(),
        })
    }
}
