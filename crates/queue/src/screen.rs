//! Screening at intake: the message is scanned once, and the organisation's policy decides
//! each recipient copy's route before anything is committed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use model::{DeliveryRoute, Domain, EmailAddress, Principal, RecipientStatus, TenantId, UserId};
use policy::{Action, Decision, Fallback, Policy, PolicyDocument};
use screening::{MessageVerdict, Screener, is_internal};
use storage::SharedStore;

use crate::IntakeError;

/// Where intake gets an organisation's policy and its own domains.
#[async_trait]
pub trait PolicySource: Send + Sync {
    /// The policy in force for `tenant`.
    async fn policy(&self, tenant: TenantId) -> Result<Arc<Policy>, String>;
    /// The organisation's own mail domains (recipients there are "internal").
    async fn internal_domains(&self, tenant: TenantId) -> Result<Arc<Vec<Domain>>, String>;
    /// The names of the groups the submitting principal belongs to (the policy's
    /// `sender_groups` condition). Only a person has groups: a device, an API key, a portal
    /// recipient or carepost itself has none.
    async fn sender_groups(&self, principal: &Principal) -> Result<Arc<Vec<String>>, String>;
}

/// Screening settings for [`crate::Intake::with_screening`].
#[derive(Clone)]
pub struct Screening {
    /// The detector.
    pub screener: Arc<Screener>,
    /// The policies.
    pub policies: Arc<dyn PolicySource>,
}

impl std::fmt::Debug for Screening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screening").finish_non_exhaustive()
    }
}

/// The outcome for one message.
pub(crate) struct Screened {
    pub(crate) verdict: MessageVerdict,
    /// Per recipient, in order: the decision and whether the recipient is internal.
    pub(crate) decisions: Vec<(Decision, bool)>,
}

impl Screened {
    /// The first reject reason, if any copy is rejected.
    pub(crate) fn reject_reason(&self) -> Option<String> {
        self.decisions.iter().find_map(|(d, _)| match &d.action {
            Action::Reject { reason } => Some(reason.clone()),
            _ => None,
        })
    }

    /// How a queued copy may travel.
    pub(crate) fn route(&self, index: usize) -> DeliveryRoute {
        match self.decisions.get(index).map(|(d, _)| &d.action) {
            Some(Action::DeliverAnyTls) => DeliveryRoute::AnyTls,
            Some(Action::DeliverVerifiedTls { otherwise }) => match otherwise {
                Fallback::Portal => DeliveryRoute::VerifiedTlsOrPortal,
                Fallback::Hold => DeliveryRoute::VerifiedTlsOrHold,
                Fallback::Bounce => DeliveryRoute::VerifiedTlsOrBounce,
            },
            _ => DeliveryRoute::default(),
        }
    }

    /// The status a copy starts in.
    pub(crate) fn initial_status(&self, index: usize) -> RecipientStatus {
        match self.decisions.get(index).map(|(d, _)| &d.action) {
            Some(Action::Portal) => RecipientStatus::AwaitingPortal,
            Some(Action::Quarantine) => RecipientStatus::Quarantined,
            _ => RecipientStatus::Queued,
        }
    }
}

/// Messages up to this size are screened on the session's own task (see [`Screening::decide`]):
/// the detector reads about 40 MB/s, so 8 KiB costs about 0.2 ms of that thread.
const INLINE_SCREEN_MAX: usize = 8 * 1024;

impl Screening {
    /// Scan `data` (on a blocking thread: the detector is CPU-bound) and decide each copy.
    /// Takes the message and hands it back, so the blocking thread can read it without a
    /// copy (bodies may be tens of megabytes).
    pub(crate) async fn decide(
        &self,
        tenant: TenantId,
        principal: &Principal,
        sender: Option<&EmailAddress>,
        recipients: &[EmailAddress],
        data: Vec<u8>,
    ) -> Result<(Screened, Vec<u8>), IntakeError> {
        let policy = self
            .policies
            .policy(tenant)
            .await
            .map_err(|e| IntakeError::Temporary(format!("policy unavailable: {e}")))?;
        let internal = self
            .policies
            .internal_domains(tenant)
            .await
            .map_err(|e| IntakeError::Temporary(format!("policy unavailable: {e}")))?;
        let groups = self
            .policies
            .sender_groups(principal)
            .await
            .map_err(|e| IntakeError::Temporary(format!("sender groups unavailable: {e}")))?;
        // A small message is scanned where it is: its scan takes tens of microseconds, less
        // than the hand-off to a blocking thread and back, which also waits for a free core
        // while deliveries sign and encrypt. Larger ones go to the blocking pool.
        let (verdict, data) = if data.len() <= INLINE_SCREEN_MAX {
            (self.screener.screen(&data), data)
        } else {
            let screener = self.screener.clone();
            tokio::task::spawn_blocking(move || (screener.screen(&data), data))
                .await
                .map_err(|_| IntakeError::Temporary("screening failed".to_string()))?
        };
        let postmaster = EmailAddress::parse("postmaster@localhost")
            .map_err(|_| IntakeError::Temporary("internal address".to_string()))?;
        let sender = sender.unwrap_or(&postmaster);
        let decisions = recipients
            .iter()
            .map(|r| {
                let internal = is_internal(r, &internal);
                let facts = verdict.facts(sender, groups.to_vec(), r, internal);
                (policy.evaluate(&facts), internal)
            })
            .collect();
        Ok((Screened { verdict, decisions }, data))
    }
}

/// How long a policy and the domain list are reused before the store is asked again: a new
/// policy version takes effect within this time on every node.
const CACHE_TTL: Duration = Duration::from_secs(15);

/// Policies from the store (`storage::PolicyStore`), or the built-in default as version 0
/// when an organisation has stored none; internal domains are the domains of the
/// organisation's users; a person's groups from `storage::GroupStore`. Cached for
/// [`CACHE_TTL`] (so a membership change reaches the policy within that time too).
pub struct StorePolicySource {
    store: SharedStore,
    default: Arc<Policy>,
    policies: Cache<Arc<Policy>>,
    domains: Cache<Arc<Vec<Domain>>>,
    groups: Cache<Arc<Vec<String>>, UserId>,
}

/// Per-tenant (or per-person) values with the time they were read.
type Cache<T, K = TenantId> = Mutex<HashMap<K, (Instant, T)>>;

/// Past this many cached people, expired entries are dropped before adding one (the map
/// would otherwise keep every person who ever sent).
const MAX_CACHED_SENDERS: usize = 10_000;

impl StorePolicySource {
    /// A source over `store`.
    pub fn new(store: SharedStore) -> Result<Self, String> {
        let doc = PolicyDocument::parse(PolicyDocument::default_document())
            .map_err(|e| format!("built-in default policy: {e}"))?;
        Ok(Self {
            store,
            default: Arc::new(Policy::new(doc, 0)),
            policies: Mutex::new(HashMap::new()),
            domains: Mutex::new(HashMap::new()),
            groups: Mutex::new(HashMap::new()),
        })
    }
}

fn cached<T: Clone, K: std::hash::Hash + Eq>(map: &Cache<T, K>, key: K) -> Option<T> {
    let map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.get(&key)
        .filter(|(at, _)| at.elapsed() < CACHE_TTL)
        .map(|(_, v)| v.clone())
}

#[async_trait]
impl PolicySource for StorePolicySource {
    async fn policy(&self, tenant: TenantId) -> Result<Arc<Policy>, String> {
        if let Some(p) = cached(&self.policies, tenant) {
            return Ok(p);
        }
        let policy = match self
            .store
            .current_policy(tenant)
            .await
            .map_err(|e| e.to_string())?
        {
            Some(record) => {
                let doc = PolicyDocument::parse(&record.document).map_err(|e| {
                    format!("stored policy version {} is invalid: {e}", record.version)
                })?;
                Arc::new(Policy::new(doc, record.version))
            }
            None => self.default.clone(),
        };
        self.policies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(tenant, (Instant::now(), policy.clone()));
        Ok(policy)
    }

    async fn internal_domains(&self, tenant: TenantId) -> Result<Arc<Vec<Domain>>, String> {
        if let Some(d) = cached(&self.domains, tenant) {
            return Ok(d);
        }
        let mut domains: Vec<Domain> = self
            .store
            .users(tenant)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|u| u.address.domain().clone())
            .collect();
        domains.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        domains.dedup();
        let domains = Arc::new(domains);
        self.domains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(tenant, (Instant::now(), domains.clone()));
        Ok(domains)
    }

    async fn sender_groups(&self, principal: &Principal) -> Result<Arc<Vec<String>>, String> {
        let Principal::User { user_id, .. } = principal else {
            return Ok(Arc::new(Vec::new()));
        };
        if let Some(g) = cached(&self.groups, *user_id) {
            return Ok(g);
        }
        // The store joins on the organisation, so only groups of the person's own
        // organisation come back.
        let names: Vec<String> = self
            .store
            .groups_of_user(*user_id)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|g| g.name)
            .collect();
        let names = Arc::new(names);
        let mut map = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CACHED_SENDERS {
            map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            if map.len() >= MAX_CACHED_SENDERS {
                map.clear();
            }
        }
        map.insert(*user_id, (Instant::now(), names.clone()));
        Ok(names)
    }
}
