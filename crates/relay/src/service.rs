//! SMTP AUTH and message commit for the gateway.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use std::net::IpAddr;

use audit::{Actor, AuditEvent, EventKind, Subject};
use model::{ApiKeyId, Clock, EmailAddress, MessageId, Principal, SystemClock, TenantId, UserId};
use queue::{Intake, IntakeError, Submission};
use smtp_gateway::{Envelope, SenderIdentity, SenderRules, SubmissionHandler, SubmitError};
use storage::SharedStore;

/// How long a verified app password is remembered, so a client that reconnects for every
/// message does not pay an argon2 verification each time. Revocation still takes effect at
/// once: every cache hit re-reads the credential's `revoked` flag.
const AUTH_CACHE_TTL: Duration = Duration::from_secs(300);
const AUTH_CACHE_MAX: usize = 10_000;

/// Whether a person of `role` may submit mail over SMTP (`Permission::SendMail`).
fn may_submit(role: model::Role) -> bool {
    identity::roles::allows(role, identity::roles::Permission::SendMail)
}

/// The gateway's view of users and the intake path.
pub struct SubmissionService {
    intake: Arc<Intake>,
    store: SharedStore,
    hostname: String,
    cache: Mutex<HashMap<[u8; 32], (SenderIdentity, ApiKeyId, Instant)>>,
}

impl SubmissionService {
    /// A service over the intake path and the user store.
    pub fn new(intake: Arc<Intake>, store: SharedStore, hostname: &str) -> Self {
        Self {
            intake,
            store,
            hostname: hostname.to_string(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    async fn verify(
        &self,
        username: &str,
        secret: &str,
    ) -> Result<(SenderIdentity, ApiKeyId), AuthFailure> {
        let unknown = AuthFailure {
            reason: "unknown-user",
            user: None,
        };
        let address = EmailAddress::parse(username).map_err(|_| unknown.clone())?;
        let user = self
            .store
            .user_by_address(&address)
            .await
            .map_err(|_| unknown)?;
        let failure = |reason| AuthFailure {
            reason,
            user: Some((user.id, user.tenant)),
        };
        if user.disabled {
            return Err(failure("disabled"));
        }
        let candidates: Vec<_> = self
            .store
            .app_passwords(user.id)
            .await
            .map_err(|_| failure("unavailable"))?
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
        .ok()
        .flatten()
        .ok_or_else(|| failure("bad-secret"))?;
        // Checked after the secret, so the audit reason is only given for a right one.
        // SMTP submission is sending mail: only roles with `SendMail`. Marketers and
        // auditors hold app passwords too (for the read-only `/api/v1` and `/audit/v1`
        // routes, and they can make them in the console), but must not send with them.
        if !may_submit(user.role) {
            return Err(failure("role-may-not-send"));
        }
        let identity = SenderIdentity {
            tenant: user.tenant,
            principal: Principal::User {
                user_id: user.id,
                credential: found.id,
            },
            allowed_senders: SenderRules::only(user.address.clone()),
            rate_key: format!("user:{}", user.id),
        };
        Ok((identity, found.id))
    }

    /// Tell the organisation's compliance officers (owners and admins if it has none) when
    /// policy quarantined a copy or asked for a notice. A failure is logged; the message
    /// itself is already committed.
    async fn notify_compliance(
        &self,
        tenant: TenantId,
        sender: Option<&EmailAddress>,
        accepted: &queue::Accepted,
    ) {
        let wanted = accepted
            .decisions
            .iter()
            .any(|d| d.notify_compliance || matches!(d.action, policy::Action::Quarantine));
        if !wanted {
            return;
        }
        let users = match self.store.users(tenant).await {
            Ok(u) => u,
            Err(e) => {
                tracing::error!(error = %e, "compliance notice: cannot list users");
                return;
            }
        };
        let pick = |roles: &[model::Role]| -> Vec<EmailAddress> {
            users
                .iter()
                .filter(|u| !u.disabled && roles.contains(&u.role))
                .map(|u| u.address.clone())
                .collect()
        };
        let mut to = pick(&[model::Role::Compliance]);
        if to.is_empty() {
            to = pick(&[model::Role::Owner, model::Role::Admin]);
        }
        if to.is_empty() {
            tracing::warn!(queue_id = %accepted.message_id, "compliance notice: nobody to tell");
            return;
        }
        let data = crate::notices::compliance_notice(
            &self.hostname,
            &to,
            accepted.message_id,
            sender,
            &accepted.decisions,
            SystemClock.now(),
        );
        if let Err(e) = crate::notices::submit_notice(&self.intake, tenant, to, data).await {
            tracing::error!(queue_id = %accepted.message_id, error = %e, "compliance notice could not be queued");
        }
    }

    /// Record a sign-in event; a failure to record is logged, never fatal to the session
    /// (the gateway's own throttling still applies).
    async fn record(&self, event: AuditEvent) {
        if let Err(e) = self.store.append_audit(std::slice::from_ref(&event)).await {
            tracing::error!(error = %e, kind = %event.kind, "recording an audit event failed");
        }
    }
}

/// Why an SMTP AUTH failed, for the audit event (never the name or secret tried).
#[derive(Clone, Debug)]
struct AuthFailure {
    reason: &'static str,
    user: Option<(UserId, TenantId)>,
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
    async fn authenticate(
        &self,
        username: &str,
        secret: &str,
        client_ip: IpAddr,
    ) -> Option<SenderIdentity> {
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
                        .map(|u| !u.disabled && may_submit(u.role))
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
        // Sign-ins are recorded when the secret is verified, not on each cache hit: a client
        // that reconnects per message would otherwise add an event per message.
        let (identity, credential) = match self.verify(username, secret).await {
            Ok(found) => found,
            Err(failure) => {
                let actor = match failure.user {
                    Some((id, _)) => Actor::User { id },
                    None => audit::record::system("smtp-auth"),
                };
                let mut event =
                    AuditEvent::new(0, SystemClock.now(), actor, EventKind::AuthLoginFailed)
                        .with_source_ip(client_ip)
                        .with_detail("method", "smtp-app-password")
                        .with_detail("reason", failure.reason);
                if let Some((_, tenant)) = failure.user {
                    event = event.with_tenant(tenant);
                }
                self.record(event).await;
                return None;
            }
        };
        if let Principal::User { user_id, .. } = &identity.principal {
            let event = AuditEvent::new(
                0,
                SystemClock.now(),
                Actor::User { id: *user_id },
                EventKind::AuthLogin,
            )
            .with_tenant(identity.tenant)
            .with_source_ip(client_ip)
            .with_subject(Subject {
                api_key: Some(credential),
                ..Subject::default()
            })
            .with_detail("method", "smtp-app-password");
            self.record(event).await;
        }
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
            route: None,
        };
        let tenant = submission.tenant;
        let sender = submission.envelope_from.clone();
        match self.intake.accept(submission).await {
            Ok(accepted) => {
                self.notify_compliance(tenant, sender.as_ref(), &accepted)
                    .await;
                Ok(accepted.message_id)
            }
            Err(IntakeError::Temporary(e)) => Err(SubmitError::Temporary(e)),
            Err(IntakeError::Permanent(e)) => Err(SubmitError::Permanent(e)),
            Err(IntakeError::Rejected(reason)) => Err(SubmitError::PolicyRefused(reason)),
            // Only REST submissions carry an idempotency key.
            Err(IntakeError::AlreadySubmitted) => Err(SubmitError::Temporary(
                "unexpected idempotency conflict".to_string(),
            )),
        }
    }
}

impl SubmissionService {
    /// Commit a REST submission through the same intake path as SMTP (screening, policy,
    /// sealing, audit), with its idempotency key, and tell compliance officers what policy
    /// asked them to be told, as for SMTP.
    pub async fn submit_api(
        &self,
        submission: Submission,
        idempotency: storage::SubmissionKey,
    ) -> Result<queue::Accepted, IntakeError> {
        let tenant = submission.tenant;
        let sender = submission.envelope_from.clone();
        let accepted = self
            .intake
            .accept_once(submission, Some(idempotency))
            .await?;
        self.notify_compliance(tenant, sender.as_ref(), &accepted)
            .await;
        Ok(accepted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Role, Timestamp};
    use storage::{Tenant, User};

    /// SMTP AUTH with a right app password: accepted for roles that send mail, refused
    /// for those that do not (marketers, auditors), also once the role changes while a
    /// verified password is remembered.
    #[tokio::test]
    async fn only_roles_that_send_mail_submit_with_an_app_password() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("r.db"))
                .await
                .expect("open"),
        );
        let tenant = TenantId::new();
        store
            .create_tenant(
                &Tenant {
                    id: tenant,
                    name: "Clinic".into(),
                    created: Timestamp::from_millis(0),
                },
                &[],
            )
            .await
            .expect("tenant");
        let keys = Arc::new(crypto::KeyRing::new(
            crypto::MasterKey::generate().expect("rng"),
        ));
        let intake = Arc::new(Intake::new(
            store.clone(),
            keys,
            Arc::new(SystemClock),
            queue::IntakeConfig::default(),
        ));
        let service = SubmissionService::new(intake, store.clone(), "mx.clinic.test");
        let ip: IpAddr = [192, 0, 2, 7].into();
        let mut people = Vec::new();
        for (address, role) in [
            ("nurse@clinic.test", Role::Sender),
            ("privacy@clinic.test", Role::Compliance),
            ("news@clinic.test", Role::Marketer),
            ("review@clinic.test", Role::Auditor),
        ] {
            let user = User {
                id: UserId::new(),
                tenant,
                address: EmailAddress::parse(address).expect("address"),
                role,
                password_hash: None,
                must_change_password: false,
                disabled: false,
                created: Timestamp::from_millis(0),
            };
            store.create_user(&user, &[]).await.expect("user");
            let made = crate::credentials::create_app_password(
                &store,
                SystemClock.now(),
                Actor::User { id: user.id },
                None,
                &user,
                "mail program",
            )
            .await
            .expect("app password");
            people.push((user, made.secret));
        }
        for (user, secret) in &people {
            let accepted = service
                .authenticate(&user.address.to_string(), secret, ip)
                .await
                .is_some();
            assert_eq!(
                accepted,
                matches!(user.role, Role::Sender | Role::Compliance),
                "{}",
                user.role
            );
        }
        // A remembered sign-in stops working when the person's role no longer sends.
        let (nurse, secret) = &people[0];
        store
            .set_user_role(nurse.id, Role::Auditor, &[])
            .await
            .expect("role");
        assert!(
            service
                .authenticate(&nurse.address.to_string(), secret, ip)
                .await
                .is_none()
        );
    }
}
