//! Turning recipient copies that wait for the portal into portal copies, sending their
//! notifications, and recording expiries.
//!
//! Crash safety: a portal copy is stored before its notification is queued, and marked
//! notified after. A crash in between leaves it "unnotified"; the next pass gives it a
//! fresh link (the old one, never sent or sent once, stops working) and notifies again.

use audit::{Actor, AuditEvent, EventKind, Subject};
use model::PortalCopyId;
use storage::{NewPortalCopy, PortalCopy, PortalMilestone, RecipientRecord, StorageError};

use crate::Portal;

/// Copies handled per pass (a pass repeats until the backlog is gone).
const BATCH: u32 = 50;

/// Why a pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl Portal {
    /// One publishing pass: make portal copies for waiting recipient copies, then notify
    /// every copy not yet notified. Returns how many notifications were queued.
    pub async fn publish_once(&self) -> Result<usize, PublishError> {
        loop {
            let pending = self.store.portal_pending(BATCH).await?;
            let n = pending.len();
            let mut made = 0;
            for copy in pending {
                if self.make_copy(&copy).await? {
                    made += 1;
                }
            }
            // A copy that cannot be made stays pending; don't spin on it.
            if n < BATCH as usize || made == 0 {
                break;
            }
        }
        let mut notified = 0;
        loop {
            let unnotified = self.store.portal_unnotified(BATCH).await?;
            let n = unnotified.len();
            for copy in unnotified {
                if self.notify(&copy).await? {
                    notified += 1;
                }
            }
            if n < BATCH as usize || notified == 0 {
                break;
            }
        }
        Ok(notified)
    }

    /// Record expiries (once per copy) and drop dead sessions.
    pub async fn sweep_once(&self) -> Result<(), PublishError> {
        let now = self.clock.now();
        for copy in self.store.portal_expired_unrecorded(now, BATCH).await? {
            let event = copy_event(
                &copy,
                Actor::System {
                    component: "portal".into(),
                },
                EventKind::PortalExpired,
                now,
            );
            self.store
                .mark_portal_copy(copy.id, PortalMilestone::ExpiryRecorded, now, &[event])
                .await?;
        }
        self.store
            .purge_portal_sessions(now, self.settings.sessions.idle)
            .await?;
        Ok(())
    }

    async fn make_copy(&self, recipient: &RecipientRecord) -> Result<bool, PublishError> {
        let message = self.store.message(recipient.message).await?;
        let sealed = self.store.message_body(recipient.message).await?;
        let body = match self.keys.open(message.id.0.as_bytes(), &sealed) {
            Ok(b) => b,
            Err(e) => {
                // The queue copy cannot be opened (a missing key after a bad restore):
                // it stays waiting, and the operator sees why.
                tracing::error!(queue_id = %message.id, recipient_id = %recipient.id, error = %e, "cannot open a message for the portal");
                return Ok(false);
            }
        };
        let id = PortalCopyId::new();
        // The sender's passcode and read-notice request are for us, not for the reader.
        let read_notice = self.settings.read_notice || asks_for_read_notice(&body);
        let (body, passcodes) = match queue::disclosure::take_header(&body, PASSCODE_HEADER) {
            (Some(stripped), values) => (zeroize::Zeroizing::new(stripped), values),
            (None, values) => (body, values),
        };
        let body = match queue::disclosure::take_header(&body, READ_NOTICE_HEADER) {
            (Some(stripped), _) => zeroize::Zeroizing::new(stripped),
            (None, _) => body,
        };
        // The recipient's mobile number, for a code by text message: PHI, so sealed, and
        // the header never reaches the reader.
        let (body, sms_values) = match queue::disclosure::take_header(&body, SMS_HEADER) {
            (Some(stripped), values) => (zeroize::Zeroizing::new(stripped), values),
            (None, values) => (body, values),
        };
        let sms_values = zeroize::Zeroizing::new(sms_values);
        let sms_number = match sms_number_for(&sms_values, &recipient.address) {
            Ok(number) => number,
            Err(BadSmsHeader) => {
                // Neither the value nor the address is logged: both are the patient's.
                tracing::warn!(queue_id = %message.id, recipient_id = %recipient.id,
                    "the message's X-Carepost-Portal-Sms header holds no valid number for this recipient; codes go by e-mail only");
                None
            }
        };
        let sms_sealed = match &sms_number {
            Some(number) => match self.keys.seal(
                message.tenant,
                sms_aad(id).as_bytes(),
                number.as_e164().as_bytes(),
            ) {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::error!(queue_id = %message.id, error = %e, "cannot seal a portal copy");
                    return Ok(false);
                }
            },
            None => None,
        };
        let passcode_hash = passcodes
            .iter()
            .map(|p| p.trim())
            .find(|p| !p.is_empty())
            .map(|p| portal::secrets::passcode_hash(&self.code_key, &id.to_string(), p));
        let resealed = match self.keys.seal(message.tenant, id.0.as_bytes(), &body) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(queue_id = %message.id, error = %e, "cannot seal a portal copy");
                return Ok(false);
            }
        };
        let now = self.clock.now();
        let token = portal::secrets::new_link_token();
        let copy = PortalCopy {
            id,
            tenant: message.tenant,
            message: message.id,
            recipient: recipient.id,
            address: recipient.address.clone(),
            sender: message.envelope_from.clone(),
            token_hash: token.hash,
            created: now,
            expires: now.plus(self.settings.link_ttl),
            read_notice,
            passcode_hash,
            notified: None,
            verified: None,
            opened: None,
            downloaded: None,
            replied: None,
            revoked: None,
            expiry_recorded: None,
        };
        match self
            .store
            .create_portal_copy(
                &NewPortalCopy {
                    copy,
                    sealed: resealed,
                    sms_number: sms_sealed,
                },
                &[],
            )
            .await
        {
            // Another node made it first.
            Ok(()) | Err(StorageError::Conflict { .. }) => Ok(true),
            Err(e) => Err(e.into()),
        }
    }

    /// Give the copy a fresh link and queue its notification. False if it could not be
    /// sent now (it stays unnotified and is tried again).
    async fn notify(&self, copy: &PortalCopy) -> Result<bool, PublishError> {
        let token = portal::secrets::new_link_token();
        self.store
            .set_portal_token(copy.id, &token.hash, &[])
            .await?;
        let org = self.org_name(copy.tenant).await;
        let link = format!("{}/p/{}", self.settings.public_url, token.secret);
        match self
            .send_notification(copy.tenant, &org, &copy.address, &link, copy.expires)
            .await
        {
            Ok(notice) => {
                let now = self.clock.now();
                let event = copy_event(
                    copy,
                    Actor::System {
                        component: "portal".into(),
                    },
                    EventKind::PortalNotified,
                    now,
                )
                .with_detail("notice_message", notice.to_string());
                self.store
                    .mark_portal_copy(copy.id, PortalMilestone::Notified, now, &[event])
                    .await?;
                tracing::info!(portal_copy = %copy.id, queue_id = %copy.message, "portal notification queued");
                Ok(true)
            }
            Err(e) => {
                tracing::warn!(portal_copy = %copy.id, error = %e, "portal notification not queued; will retry");
                Ok(false)
            }
        }
    }

    pub(crate) async fn org_name(&self, tenant: model::TenantId) -> String {
        if let Some(name) = self
            .org_names
            .lock()
            .ok()
            .and_then(|m| m.get(&tenant).cloned())
        {
            return name;
        }
        match self.store.tenant(tenant).await {
            Ok(t) => {
                if let Ok(mut m) = self.org_names.lock() {
                    m.insert(tenant, t.name.clone());
                }
                t.name
            }
            Err(_) => "carepost".to_string(),
        }
    }
}

/// An event about one portal copy: the copy's message and recipient copy as subject.
pub(crate) fn copy_event(
    copy: &PortalCopy,
    actor: Actor,
    kind: EventKind,
    at: model::Timestamp,
) -> AuditEvent {
    AuditEvent::new(0, at, actor, kind)
        .with_tenant(copy.tenant)
        .with_subject(Subject {
            message: Some(copy.message),
            recipient: Some(copy.recipient),
            ..Subject::default()
        })
        .with_detail("portal_copy", copy.id.to_string())
}

/// A passcode the sender chose and gave the recipient another way (phone, in person).
pub(crate) const PASSCODE_HEADER: &str = "X-Carepost-Portal-Passcode";
/// The recipient's mobile number, for a code by text message: `+15555550123` for every
/// recipient of the message, or `address=+number` pairs separated by commas.
pub(crate) const SMS_HEADER: &str = "X-Carepost-Portal-Sms";

/// The associated data a copy's mobile number is sealed with: bound to the copy, and apart
/// from its content (sealed with the copy id alone), so neither opens as the other.
pub(crate) fn sms_aad(id: PortalCopyId) -> String {
    format!("{id}/sms")
}

/// The header is there but holds no valid number for this recipient.
#[derive(Debug, PartialEq, Eq)]
struct BadSmsHeader;

/// The number for `address` in the header's values: its own `address=+number` pair if one
/// names it, else a bare number meant for everyone; `Ok(None)` without the header. A value
/// that names this recipient (or everyone) with an invalid number is an error: the sender
/// asked for SMS and should learn (from the log) that it is off.
fn sms_number_for(
    values: &[String],
    address: &model::EmailAddress,
) -> Result<Option<sms::PhoneNumber>, BadSmsHeader> {
    if values.is_empty() {
        return Ok(None);
    }
    let wanted = address.to_string();
    let mut everyone = None;
    let mut malformed = false;
    for item in values.iter().flat_map(|v| v.split(',')) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        match item.rsplit_once('=') {
            Some((who, number)) => {
                let who = who.trim().trim_start_matches('<').trim_end_matches('>');
                if who.eq_ignore_ascii_case(&wanted) {
                    return sms::PhoneNumber::parse(number)
                        .map(Some)
                        .map_err(|_| BadSmsHeader);
                }
            }
            None => match sms::PhoneNumber::parse(item) {
                Ok(n) if everyone.is_none() => everyone = Some(n),
                Ok(_) => {}
                Err(_) => malformed = true,
            },
        }
    }
    match (everyone, malformed) {
        (Some(n), _) => Ok(Some(n)),
        (None, true) => Err(BadSmsHeader),
        (None, false) => Ok(None),
    }
}

/// The sender asks to be told when the copy is first opened.
const READ_NOTICE_HEADER: &str = "X-Carepost-Read-Notice";
/// `X-Carepost-Read-Notice: yes` in the message's header.
fn asks_for_read_notice(raw: &[u8]) -> bool {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len().min(64 * 1024));
    String::from_utf8_lossy(&raw[..end]).lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("x-carepost-read-notice")
                && matches!(
                    value.trim().to_ascii_lowercase().as_str(),
                    "yes" | "true" | "1"
                )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn number_for(v: &[&str], address: &str) -> Result<Option<String>, BadSmsHeader> {
        let address = model::EmailAddress::parse(address).expect("address");
        sms_number_for(&values(v), &address).map(|n| n.map(|n| n.as_e164().to_string()))
    }

    #[test]
    fn the_sms_header_names_one_number_or_one_per_recipient() {
        assert_eq!(number_for(&[], "a@x.test"), Ok(None));
        assert_eq!(
            number_for(&[" +1 555 555 0123 "], "a@x.test"),
            Ok(Some("+15555550123".into()))
        );
        let pairs = ["a@x.test=+15555550123, <B@X.test> = +442079460958"];
        assert_eq!(
            number_for(&pairs, "a@x.test"),
            Ok(Some("+15555550123".into()))
        );
        assert_eq!(
            number_for(&pairs, "b@x.test"),
            Ok(Some("+442079460958".into()))
        );
        // Pairs for others only: this recipient gets codes by e-mail.
        assert_eq!(number_for(&pairs, "c@x.test"), Ok(None));
        // Its own pair wins over a number for everyone; a local part may hold '='.
        assert_eq!(
            number_for(&["+15555550100", "a=b@x.test=+15555550123"], "a=b@x.test"),
            Ok(Some("+15555550123".into()))
        );
        assert_eq!(
            number_for(&["+15555550100", "a=b@x.test=+15555550123"], "c@x.test"),
            Ok(Some("+15555550100".into()))
        );
    }

    #[test]
    fn an_invalid_number_offers_no_sms() {
        assert_eq!(number_for(&["555-0123"], "a@x.test"), Err(BadSmsHeader));
        assert_eq!(
            number_for(&["a@x.test=call me"], "a@x.test"),
            Err(BadSmsHeader)
        );
        assert_eq!(number_for(&["a@x.test=call me"], "b@x.test"), Ok(None));
    }

    #[test]
    fn the_read_notice_header_is_found_only_in_the_header() {
        assert!(asks_for_read_notice(
            b"Subject: x\r\nX-Carepost-Read-Notice: yes\r\n\r\nbody"
        ));
        assert!(asks_for_read_notice(b"x-carepost-read-notice:TRUE\r\n\r\n"));
        assert!(!asks_for_read_notice(
            b"Subject: x\r\nX-Carepost-Read-Notice: no\r\n\r\nbody"
        ));
        assert!(!asks_for_read_notice(
            b"Subject: x\r\n\r\nX-Carepost-Read-Notice: yes\r\n"
        ));
    }
}
