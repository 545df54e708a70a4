//! SMTP AUTH and message commit for the gateway.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use model::{ApiKeyId, EmailAddress, MessageId, Principal};
use queue::{Intake, IntakeError, Submission};
use smtp_gateway::{Envelope, SenderIdentity, SenderRules, SubmissionHandler, SubmitError};
use storage::SharedStore;

/// How long a verified app password is remembered, so a client that reconnects for every
/// message does not pay an argon2 verification each time. Revocation still takes effect at
/// once: every cache hit re-reads the credential's `revoked` flag.
const AUTH_CACHE_TTL: Duration = Duration::from_secs(300);
const AUTH_CACHE_MAX: usize = 10_000;

/// The gateway's view of users and the intake path.
pub struct SubmissionService {
    intake: Arc<Intake>,
    store: SharedStore,
    cache: Mutex<HashMap<[u8; 32], (SenderIdentity, ApiKeyId, Instant)>>,
}

impl SubmissionService {
    /// A service over the intake path and the user store.
    pub fn new(intake: Arc<Intake>, store: SharedStore) -> Self {
        Self {
            intake,
            store,
            cache: Mutex::new(HashMap::new()),
        }
    }

    async fn verify(&self, username: &str, secret: &str) -> Option<(SenderIdentity, ApiKeyId)> {
        let address = EmailAddress::parse(username).ok()?;
        let user = self.store.user_by_address(&address).await.ok()?;
        if user.disabled {
            return None;
        }
        let candidates: Vec<_> = self
            .store
            .app_passwords(user.id)
            .await
            .ok()?
            .into_iter()
            .filter(|p| !p.revoked)
            .collect();
        let secret = secret.to_string();
        // argon2 is deliberately slow: keep it off the async workers.
        let found = tokio::task::spawn_blocking(move || {
            candidates
                .into_iter()
                .find(|p| auth::verify_secret(&secret, &p.hash).unwrap_or(false))
        })
        .await
        .ok()??;
        let identity = SenderIdentity {
            tenant: user.tenant,
            principal: Principal::User {
                user_id: user.id,
                credential: found.id,
            },
            allowed_senders: SenderRules::only(user.address.clone()),
            rate_key: format!("user:{}", user.id),
        };
        Some((identity, found.id))
    }
}

fn cache_key(username: &str, secret: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(username.as_bytes());
    h.update([0u8]);
    h.update(secret.as_bytes());
    h.finalize().into()
}

#[async_trait]
impl SubmissionHandler for SubmissionService {
    async fn authenticate(&self, username: &str, secret: &str) -> Option<SenderIdentity> {
        let key = cache_key(username, secret);
        let cached = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .get(&key)
                .filter(|(_, _, at)| at.elapsed() < AUTH_CACHE_TTL)
                .cloned()
        };
        if let Some((identity, credential, _)) = cached {
            // Re-check that the credential and user are still valid.
            let still_valid = match &identity.principal {
                Principal::User { user_id, .. } => {
                    let user_ok = self
                        .store
                        .user(*user_id)
                        .await
                        .map(|u| !u.disabled)
                        .unwrap_or(false);
                    let cred_ok = self
                        .store
                        .app_passwords(*user_id)
                        .await
                        .map(|ps| ps.iter().any(|p| p.id == credential && !p.revoked))
                        .unwrap_or(false);
                    user_ok && cred_ok
                }
                _ => false,
            };
            if still_valid {
                return Some(identity);
            }
            self.cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&key);
            return None;
        }
        let (identity, credential) = self.verify(username, secret).await?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= AUTH_CACHE_MAX {
            cache.retain(|_, (_, _, at)| at.elapsed() < AUTH_CACHE_TTL);
            if cache.len() >= AUTH_CACHE_MAX {
                cache.clear();
            }
        }
        cache.insert(key, (identity.clone(), credential, Instant::now()));
        Some(identity)
    }

    async fn submit(&self, envelope: Envelope, data: Vec<u8>) -> Result<MessageId, SubmitError> {
        let submission = Submission {
            tenant: envelope.identity.tenant,
            principal: envelope.identity.principal,
            channel: envelope.channel,
            client_ip: envelope.client_ip.to_string(),
            helo: envelope.helo,
            envelope_from: envelope.mail_from,
            recipients: envelope.recipients,
            data,
            priority: None,
        };
        match self.intake.accept(submission).await {
            Ok(accepted) => Ok(accepted.message_id),
            Err(IntakeError::Temporary(e)) => Err(SubmitError::Temporary(e)),
            Err(IntakeError::Permanent(e)) => Err(SubmitError::Permanent(e)),
        }
    }
}
