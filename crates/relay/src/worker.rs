//! The delivery worker: claim, open, sign, deliver, record.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, watch};
use zeroize::Zeroizing;

use crypto::KeyRing;
use message::dkim::{self, DkimKey};
use message::dsn::{self, DsnAction, DsnParams, DsnRecipient};
use model::{Clock, DeliveryRoute, Domain, Principal, Priority, SubmissionChannel, TenantId};
use queue::retry::RetrySchedule;
use queue::{DeliverySlot, DirectDelivery, Intake, Submission};
use smtp_delivery::{Deliverer, DeliveryResult, TlsRequirement};
use storage::{AttemptOutcome, Lease, MessageRecord, RecipientRecord, SharedStore, StorageError};

/// DKIM signing settings: the selector, and each tenant's key id in the key ring.
#[derive(Clone, Debug, Default)]
pub struct DkimSigning {
    /// The selector published in DNS.
    pub selector: String,
    /// Tenant → id of its DKIM key material in the key ring.
    pub keys: HashMap<TenantId, String>,
}

/// Worker settings.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Name recorded as lease owner (unique per process).
    pub worker_id: String,
    /// Copies delivered at once.
    pub concurrency: usize,
    /// How long a claim is held before another worker may take it over.
    pub lease: Duration,
    /// Our host name (DSN Reporting-MTA).
    pub hostname: String,
    /// When deferred copies are retried.
    pub schedule: RetrySchedule,
    /// Longest sleep when nothing is due (a safety net; new mail wakes the worker).
    pub idle_poll: Duration,
}

/// Drives delivery of every due recipient copy.
pub struct DeliveryWorker {
    store: SharedStore,
    keys: Arc<KeyRing>,
    deliverer: Arc<Deliverer>,
    intake: Arc<Intake>,
    clock: Arc<dyn Clock>,
    config: WorkerConfig,
    dkim: Option<DkimSigning>,
    dkim_cache: Mutex<HashMap<TenantId, Arc<DkimKey>>>,
    wake: Arc<Notify>,
    /// One permit per copy in flight, claimed or handed over by intake.
    permits: Arc<Semaphore>,
    /// Set when `run` stops: intake hands nothing more over.
    stopping: AtomicBool,
}

/// A message handed over by intake: its record and its content exactly as it was sealed.
type HandedOver = (Arc<MessageRecord>, Arc<Zeroizing<Vec<u8>>>);

impl DeliveryWorker {
    /// A worker. `wake` is notified by intake after each commit.
    #[allow(clippy::too_many_arguments)] // Each is a distinct collaborator; a builder adds nothing.
    pub fn new(
        store: SharedStore,
        keys: Arc<KeyRing>,
        deliverer: Arc<Deliverer>,
        intake: Arc<Intake>,
        clock: Arc<dyn Clock>,
        config: WorkerConfig,
        dkim: Option<DkimSigning>,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            keys,
            deliverer,
            intake,
            clock,
            dkim,
            dkim_cache: Mutex::new(HashMap::new()),
            wake,
            permits: Arc::new(Semaphore::new(config.concurrency.max(1))),
            stopping: AtomicBool::new(false),
            config,
        }
    }

    /// Run until `shutdown` turns true. Copies in flight finish their attempt; nothing
    /// claimed is dropped (an unfinished claim's lease simply runs out and it is retried).
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let permits = self.permits.clone();
        // True when the last claim took everything that was due. Then the worker waits for
        // new mail (intake wakes it), the next due copy or the safety poll instead of asking
        // again at once: at one SMTP session that second, empty claim was a write
        // transaction for every message delivered.
        let mut drained = false;
        loop {
            if *shutdown.borrow() {
                break;
            }
            if drained {
                drained = false;
                let now = self.clock.now();
                let sleep = match self.store.next_due().await {
                    Ok(Some(at)) => at.since(now).min(self.config.idle_poll),
                    _ => self.config.idle_poll,
                }
                .max(Duration::from_millis(5));
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(sleep) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let free = permits.available_permits();
            if free == 0 {
                // Wait until one in-flight copy finishes.
                tokio::select! {
                    p = permits.clone().acquire_owned() => drop(p),
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let now = self.clock.now();
            let limit = u32::try_from(free.min(256)).unwrap_or(256);
            let claimed = match self
                .store
                .claim_due(&self.config.worker_id, now, self.config.lease, limit)
                .await
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "claiming due copies failed; retrying shortly");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            };
            drained = claimed.len() < limit as usize;
            for copy in claimed {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    return;
                };
                let this = self.clone();
                tokio::spawn(async move {
                    this.deliver_one(copy, None).await;
                    drop(permit);
                });
            }
        }
        self.stopping.store(true, Ordering::SeqCst);
        // Let in-flight attempts finish (bounded by the delivery timeouts).
        let _ = permits
            .acquire_many(u32::try_from(self.config.concurrency.max(1)).unwrap_or(1))
            .await;
    }

    /// Attempt one leased copy and record the outcome. `handed_over` carries the message
    /// when intake handed the copy over; otherwise it is read from the store.
    async fn deliver_one(&self, copy: RecipientRecord, handed_over: Option<HandedOver>) {
        let outcome = match self.attempt(&copy, handed_over).await {
            Ok(o) => o,
            Err(reason) => {
                // Our own failure (storage, keys): try again later, never drop.
                let now = self.clock.now();
                AttemptOutcome::Deferred {
                    next_attempt: self.config.schedule.next_attempt(copy.attempts + 1, now),
                    error: reason,
                }
            }
        };
        let now = self.clock.now();
        let bounced = matches!(outcome, AttemptOutcome::Bounced { .. });
        let recorded = audit::record::delivery_outcome(
            now,
            copy.tenant,
            copy.message,
            copy.id,
            copy.attempts + 1,
            match &outcome {
                AttemptOutcome::Delivered { tls } => audit::record::DeliveryOutcome::Delivered(tls),
                AttemptOutcome::Deferred { error, .. } => {
                    audit::record::DeliveryOutcome::Deferred(error)
                }
                AttemptOutcome::Bounced { error } => audit::record::DeliveryOutcome::Bounced(error),
                AttemptOutcome::AwaitingPortal { reason } => {
                    audit::record::DeliveryOutcome::AwaitingPortal(reason)
                }
            },
        );
        match self
            .store
            .complete(
                copy.id,
                &self.config.worker_id,
                &outcome,
                now,
                std::slice::from_ref(&recorded),
            )
            .await
        {
            Ok(()) => {
                tracing::info!(
                    queue_id = %copy.message,
                    recipient_id = %copy.id,
                    status = %outcome.status(),
                    attempt = copy.attempts + 1,
                    "delivery attempt recorded"
                );
                if bounced {
                    self.send_dsn(&copy, &outcome).await;
                }
            }
            Err(StorageError::Conflict { .. }) => {
                tracing::warn!(recipient_id = %copy.id, "lease lost before the outcome was recorded; another worker owns the copy");
            }
            Err(e) => {
                tracing::error!(recipient_id = %copy.id, error = %e, "recording the outcome failed; the lease will expire and the copy will be retried");
            }
        }
    }

    async fn attempt(
        &self,
        copy: &RecipientRecord,
        handed_over: Option<HandedOver>,
    ) -> Result<AttemptOutcome, String> {
        let (message, body) = match handed_over {
            // The last holder of the shared body takes it without a copy.
            Some((message, body)) => (
                message,
                Arc::try_unwrap(body).unwrap_or_else(|b| Zeroizing::new(b.as_slice().to_vec())),
            ),
            None => {
                let (message, sealed) = self
                    .store
                    .message_with_body(copy.message)
                    .await
                    .map_err(|e| e.to_string())?;
                let body = self
                    .keys
                    .open(message.id.0.as_bytes(), &sealed)
                    .map_err(|e| format!("opening sealed body failed: {e}"))?;
                (Arc::new(message), body)
            }
        };
        let now = self.clock.now();
        if self
            .config
            .schedule
            .gives_up(message.received, message.expires, now)
        {
            return Ok(AttemptOutcome::Bounced {
                error: "5.4.7 delivery time expired: the message could not be delivered within its lifetime"
                    .to_string(),
            });
        }
        let body = strip_portal_headers(body);
        let (body, signed) = self.sign(&message, body).await?;
        let data: &[u8] = signed.as_deref().unwrap_or(&body);
        let requirement = match copy.route {
            DeliveryRoute::AnyTls | DeliveryRoute::Notice => TlsRequirement::AnyCertificate,
            _ => TlsRequirement::Verified,
        };
        let result = self
            .deliverer
            .deliver_with(
                message.envelope_from.as_ref(),
                std::slice::from_ref(&copy.address),
                data,
                requirement,
            )
            .await
            .into_iter()
            .next();
        let now = self.clock.now();
        Ok(match result {
            Some(DeliveryResult::Delivered(tls)) => AttemptOutcome::Delivered { tls },
            Some(DeliveryResult::PermFailure(error)) => AttemptOutcome::Bounced { error },
            // What policy said to do when TLS (verified, or for any-TLS copies, any TLS at
            // all) cannot be had. Never plaintext.
            Some(DeliveryResult::NoVerifiedTls(reason)) => match copy.route {
                DeliveryRoute::VerifiedTlsOrPortal | DeliveryRoute::AnyTls => {
                    AttemptOutcome::AwaitingPortal { reason }
                }
                DeliveryRoute::VerifiedTlsOrBounce => AttemptOutcome::Bounced {
                    error: format!(
                        "5.7.10 policy requires verified TLS, which the recipient's server does not offer: {reason}"
                    ),
                },
                // A notice about a portal copy cannot itself wait on the portal.
                DeliveryRoute::Notice => AttemptOutcome::Bounced {
                    error: format!(
                        "5.7.10 notices travel only over TLS, which the recipient's server does not offer: {reason}"
                    ),
                },
                DeliveryRoute::VerifiedTlsOrHold => {
                    if self
                        .config
                        .schedule
                        .gives_up(message.received, message.expires, now)
                    {
                        AttemptOutcome::Bounced {
                            error: format!(
                                "4.7.10 lifetime expired waiting for verified TLS: {reason}"
                            ),
                        }
                    } else {
                        AttemptOutcome::Deferred {
                            next_attempt: self.config.schedule.next_attempt_jittered(
                                copy.attempts + 1,
                                now,
                                copy.id.0.as_u128() as u64,
                            ),
                            error: format!("4.7.10 waiting for verified TLS: {reason}"),
                        }
                    }
                }
            },
            Some(DeliveryResult::TempFailure(error)) => {
                if self
                    .config
                    .schedule
                    .gives_up(message.received, message.expires, now)
                {
                    AttemptOutcome::Bounced {
                        error: format!("4.4.7 lifetime expired; last error: {error}"),
                    }
                } else {
                    let seed = copy.id.0.as_u128() as u64;
                    AttemptOutcome::Deferred {
                        next_attempt: self.config.schedule.next_attempt_jittered(
                            copy.attempts + 1,
                            now,
                            seed,
                        ),
                        error,
                    }
                }
            }
            None => AttemptOutcome::Deferred {
                next_attempt: self.config.schedule.next_attempt(copy.attempts + 1, now),
                error: "no result from delivery".to_string(),
            },
        })
    }

    /// DKIM-sign with the tenant's key and the From: domain. A message we cannot sign is
    /// sent unsigned rather than held: the signature is for reputation, not secrecy.
    ///
    /// The RSA signature is CPU work of about a millisecond: it runs on the blocking pool so
    /// the async workers stay free for SMTP sessions (on two cores, signing inline delayed
    /// every session's replies). The body moves there and back rather than being copied.
    async fn sign(
        &self,
        message: &MessageRecord,
        body: Zeroizing<Vec<u8>>,
    ) -> Result<(Zeroizing<Vec<u8>>, Option<Vec<u8>>), String> {
        let Some(dkim) = self.dkim.as_ref() else {
            return Ok((body, None));
        };
        let (Some(key), Some(domain)) = (self.dkim_key(message.tenant, dkim), from_domain(&body))
        else {
            return Ok((body, None));
        };
        let selector = dkim.selector.clone();
        let now = self.clock.now();
        let joined = tokio::task::spawn_blocking(move || {
            let signed = dkim::sign(&body, &key, domain.as_str(), &selector, now);
            (body, signed)
        })
        .await;
        match joined {
            Ok((body, Ok(signed))) => Ok((body, Some(signed))),
            Ok((body, Err(e))) => {
                tracing::warn!(queue_id = %message.id, error = %e, "DKIM signing failed; sending unsigned");
                Ok((body, None))
            }
            // The blocking task panicked or was cancelled and took the body with it: this
            // attempt fails as our own temporary error and the copy is retried.
            Err(_) => Err("DKIM signing task failed".to_string()),
        }
    }

    fn dkim_key(&self, tenant: TenantId, dkim: &DkimSigning) -> Option<Arc<DkimKey>> {
        let mut cache = self.dkim_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = cache.get(&tenant) {
            return Some(k.clone());
        }
        let id = dkim.keys.get(&tenant)?;
        let material = self.keys.material(id)?;
        let key = Arc::new(DkimKey::from_pkcs8_der(&material).ok()?);
        cache.insert(tenant, key.clone());
        Some(key)
    }

    async fn send_dsn(&self, copy: &RecipientRecord, outcome: &AttemptOutcome) {
        let Ok(message) = self.store.message(copy.message).await else {
            return;
        };
        // Never answer a bounce with a bounce (RFC 5321 section 6.1: null sender).
        let Some(sender) = message.envelope_from.clone() else {
            return;
        };
        let Ok(sealed) = self.store.message_body(copy.message).await else {
            return;
        };
        let Ok(original) = self.keys.open(message.id.0.as_bytes(), &sealed) else {
            return;
        };
        let error = match outcome {
            AttemptOutcome::Bounced { error } => error.clone(),
            _ => return,
        };
        let now = self.clock.now();
        let recipients = [DsnRecipient {
            address: copy.address.clone(),
            action: DsnAction::Failed,
            status: None,
            diagnostic: Some(error),
            remote_mta: None,
            last_attempt: Some(now),
            will_retry_until: None,
        }];
        let built = dsn::build(&DsnParams {
            reporting_mta: &self.config.hostname,
            original_sender: &sender,
            arrival_date: message.received,
            now,
            recipients: &recipients,
            original_message: &original,
        });
        let submission = Submission {
            tenant: message.tenant,
            principal: Principal::System,
            channel: SubmissionChannel::Internal,
            client_ip: "127.0.0.1".to_string(),
            helo: self.config.hostname.clone(),
            envelope_from: None,
            recipients: vec![built.envelope_to],
            data: built.message,
            priority: Some(Priority::Clinical),
            route: None,
        };
        match self.intake.accept(submission).await {
            Ok(a) => {
                tracing::info!(queue_id = %message.id, dsn_id = %a.message_id, "bounce notice queued to the sender")
            }
            Err(e) => {
                tracing::error!(queue_id = %message.id, error = %e, "queueing the bounce notice failed")
            }
        }
    }
}

/// Intake's way to hand copies straight to this node's [`DeliveryWorker`]
/// ([`queue::DirectDelivery`]). Intake is built before the worker (the worker queues bounce
/// notices through it), so the worker is attached afterwards; until then, and once the
/// worker stops, nothing is handed over and copies are queued as usual.
#[derive(Default)]
pub struct DirectHandoff {
    worker: OnceLock<Weak<DeliveryWorker>>,
}

impl DirectHandoff {
    /// Start handing copies to `worker`.
    pub fn attach(&self, worker: &Arc<DeliveryWorker>) {
        let _ = self.worker.set(Arc::downgrade(worker));
    }

    fn worker(&self) -> Option<Arc<DeliveryWorker>> {
        self.worker
            .get()
            .and_then(Weak::upgrade)
            .filter(|w| !w.stopping.load(Ordering::SeqCst))
    }
}

impl DirectDelivery for DirectHandoff {
    fn reserve(&self, now: model::Timestamp) -> Option<DeliverySlot> {
        let worker = self.worker()?;
        let permit = worker.permits.clone().try_acquire_owned().ok()?;
        Some(DeliverySlot {
            lease: Lease {
                owner: worker.config.worker_id.clone(),
                until: now.plus(worker.config.lease),
            },
            permit,
        })
    }

    fn hand_over(
        &self,
        slot: DeliverySlot,
        copy: RecipientRecord,
        message: Arc<MessageRecord>,
        body: Arc<Zeroizing<Vec<u8>>>,
    ) {
        // A worker gone since the reservation leaves the copy to its lease: it is claimed
        // when the lease runs out, or released when this node starts again.
        let Some(worker) = self.worker.get().and_then(Weak::upgrade) else {
            return;
        };
        tokio::spawn(async move {
            worker.deliver_one(copy, Some((message, body))).await;
            drop(slot);
        });
    }
}

fn from_domain(body: &[u8]) -> Option<Domain> {
    let parsed = mail_parser::MessageParser::default().parse_headers(body)?;
    let addr = parsed.from()?.first()?.address()?;
    model::EmailAddress::parse(addr)
        .ok()
        .map(|a| a.domain().clone())
}

/// Headers a sender sets for the portal (a passcode for the recipient, a read-notice
/// request, the recipient's mobile number) are for carepost only: they never leave with a
/// delivered copy.
const PORTAL_ONLY_HEADERS: [&str; 3] = [
    "X-Carepost-Portal-Passcode",
    "X-Carepost-Read-Notice",
    // The recipient's mobile number (PHI), for portal codes by text message.
    "X-Carepost-Portal-Sms",
];

fn strip_portal_headers(mut body: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    for name in PORTAL_ONLY_HEADERS {
        if let (Some(stripped), _) = queue::disclosure::take_header(&body, name) {
            body = Zeroizing::new(stripped);
        }
    }
    body
}
