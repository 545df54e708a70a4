//! The audit event schema (version 1), its canonical bytes, and keyed hashes.
//!
//! An event says who ([`Actor`], `source_ip`) did what ([`EventKind`]) to which objects
//! ([`Subject`]) when (`at`), in which tenant, with a few structured `details`. It never
//! holds PHI: objects are named by opaque ids, outcomes by categories, and anything that
//! identifies a patient (an MRN, an address) only as a [`keyed_hash`].
//!
//! The leaf of the Merkle tree is the canonical JSON (see `canonical.rs`) of the event
//! object with every field present (`null` for absent options), e.g.
//! `{"actor":{"id":"…","type":"user"},"at":1796000000000,"details":{},"kind":"auth.login",
//! "schema":1,"seq":0,"source_ip":"192.0.2.1","subject":{"api_key":null,…},"tenant":null}`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use aws_lc_rs::hmac;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use model::{ApiKeyId, MessageId, RecipientId, TenantId, Timestamp, UnknownName, UserId};

use crate::AuditError;
use crate::canonical::{write_object, write_string};
use crate::merkle::{Hash, leaf_hash};

/// The schema version every event of this crate carries.
pub const SCHEMA_VERSION: u32 = 1;

/// At most this many entries in [`AuditEvent::details`].
pub const MAX_DETAILS: usize = 32;
/// At most this many bytes in a detail key (`[a-z][a-z0-9_]*`).
pub const MAX_DETAIL_KEY_LEN: usize = 40;
/// At most this many bytes in a string value (a token, see [`is_token`]).
pub const MAX_TOKEN_LEN: usize = 128;
/// At most this many items in a detail array.
pub const MAX_DETAIL_ARRAY_LEN: usize = 32;
/// At most this many bytes of canonical JSON per event (well under the export verifier's
/// line limit and a syslog frame).
pub const MAX_EVENT_BYTES: usize = 16 * 1024;

macro_rules! event_kinds {
    ($($(#[$doc:meta])* $variant:ident => $text:literal),+ $(,)?) => {
        /// What happened. The text form (`message.submitted`) is what is stored and hashed;
        /// it never changes for a given variant.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind {
            $($(#[$doc])* $variant),+
        }

        impl EventKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),+];

            /// The stable text form.
            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $text),+ }
            }
        }

        impl FromStr for EventKind {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(EventKind::$variant),)+
                    _ => Err(UnknownName(s.to_string())),
                }
            }
        }
    };
}

event_kinds! {
    /// A message was accepted for sending (SMTP or API).
    MessageSubmitted => "message.submitted",
    /// The DLP scanner looked at a message (details: finding categories and counts).
    MessageScanned => "message.scanned",
    /// Policy decided what happens to one recipient copy.
    PolicyDecided => "policy.decided",
    /// A delivery attempt to the next hop started.
    DeliveryAttempted => "delivery.attempted",
    /// The next hop accepted a recipient copy.
    DeliveryDelivered => "delivery.delivered",
    /// A temporary failure; the copy will be retried.
    DeliveryDeferred => "delivery.deferred",
    /// A permanent failure; a DSN went to the sender.
    DeliveryBounced => "delivery.bounced",
    /// The copy waits for portal pickup.
    DeliveryAwaitingPortal => "delivery.awaiting_portal",
    /// The recipient was told a portal message waits (the notice carries no PHI).
    PortalNotified => "portal.notified",
    /// The recipient proved who they are to the portal.
    PortalVerified => "portal.verified",
    /// The recipient opened a portal message.
    PortalOpened => "portal.opened",
    /// The recipient downloaded an attachment.
    PortalDownloaded => "portal.downloaded",
    /// The recipient replied through the portal.
    PortalReplied => "portal.replied",
    /// A portal message expired unread or read.
    PortalExpired => "portal.expired",
    /// The sender or an administrator revoked a portal message.
    PortalRevoked => "portal.revoked",
    /// A one-time code was sent to a portal recipient's mailbox.
    PortalCodeSent => "portal.code_sent",
    /// A wrong code was entered on the portal (details: attempts so far, whether now locked).
    PortalCodeFailed => "portal.code_failed",
    /// The portal refused access (details: `reason` — expired, revoked, locked,
    /// unavailable, forbidden, unknown_link, session_ended).
    PortalAccessRefused => "portal.access_refused",
    /// A portal recipient registered a passkey.
    PortalPasskeyRegistered => "portal.passkey_registered",
    /// A portal recipient signed out.
    PortalSignedOut => "portal.signed_out",
    /// A message was put in quarantine.
    QuarantineHeld => "quarantine.held",
    /// A reviewer released a quarantined message.
    QuarantineReleased => "quarantine.released",
    /// A reviewer rejected a quarantined message.
    QuarantineRejected => "quarantine.rejected",
    /// A user signed in.
    AuthLogin => "auth.login",
    /// A sign-in failed (details: a reason category, never the attempted password).
    AuthLoginFailed => "auth.login_failed",
    /// A second factor was checked (details: method, outcome).
    AuthMfa => "auth.mfa",
    /// A user signed out.
    AuthLogout => "auth.logout",
    /// A user changed their password.
    AuthPasswordChanged => "auth.password_changed",
    /// A password-reset link was e-mailed to a user.
    AuthPasswordResetSent => "auth.password_reset_sent",
    /// A user's second factors were reset by an administrator (details: factor).
    AuthMfaReset => "auth.mfa_reset",
    /// Break-glass access was used (the IdP or MFA was unavailable); always alerted.
    AuthBreakGlass => "auth.break_glass",
    /// A conditional-access rule decided a sign-in or a request (details: outcome,
    /// reasons, rules).
    AuthAccessDecided => "auth.access_decided",
    /// Single sign-on failed (details: reason).
    AuthSsoFailed => "auth.sso_failed",
    /// A session ended other than by signing out (details: why: idle, expired, ended by
    /// the user or an administrator, replayed).
    AuthSessionEnded => "auth.session_ended",
    /// An administrator created a user.
    AdminUserCreated => "admin.user_created",
    /// An app password (SMTP credential) was created.
    AdminAppPasswordCreated => "admin.app_password_created",
    /// A user's role changed (details: old and new role).
    AdminRoleChanged => "admin.role_changed",
    /// A key was rotated (details: key kind and ids).
    AdminKeyRotated => "admin.key_rotated",
    /// Configuration changed (details: setting names, never values that may be secrets).
    AdminConfigChanged => "admin.config_changed",
    /// A policy or DLP rule changed.
    AdminPolicyChanged => "admin.policy_changed",
    /// An operator moved queued copies (details: action, status before and after).
    AdminQueueChanged => "admin.queue_changed",
    /// An organisation was created.
    AdminTenantCreated => "admin.tenant_created",
    /// An administrator created an organisation API key (details: name, scopes, expiry).
    AdminApiKeyCreated => "admin.api_key_created",
    /// An operator issued a person a new break-glass (emergency access) code.
    AdminBreakGlassIssued => "admin.break_glass_issued",
    /// An organisation API key was revoked.
    AdminApiKeyRevoked => "admin.api_key_revoked",
    /// A person's SMTP app password was revoked.
    AdminAppPasswordRevoked => "admin.app_password_revoked",
    /// An administrator disabled a person: they cannot sign in or send, and their
    /// sessions ended.
    AdminUserDisabled => "admin.user_disabled",
    /// An administrator enabled a disabled person again.
    AdminUserEnabled => "admin.user_enabled",
    /// A group was created or deleted, or a person added to or removed from one (details:
    /// `action` — created, deleted, member_added, member_removed; `group`, the group's
    /// name, a token; the person in `subject.user`).
    AdminGroupChanged => "admin.group_changed",
    /// An organisation stored a new conditional-access policy version (details:
    /// `version`).
    AdminAccessPolicyChanged => "admin.access_policy_changed",
    /// A REST API request was refused: unknown, expired or revoked key, missing scope, or
    /// another organisation's data (details: reason, route).
    ApiAccessRefused => "api.access_refused",
    /// Part of the audit log was exported.
    AuditExported => "audit.exported",
    /// Retention removed the content of old events (details: count, cut-off).
    AuditPurged => "audit.purged",
    /// Someone read the trail: a search, a receipt, a disclosure report (details: what).
    AuditQueried => "audit.queried",
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <&str>::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom("unknown event kind"))
    }
}

/// Who acted. Every event names exactly one principal (SEC-AC-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Actor {
    /// A person signed in to carepost.
    User {
        /// The user.
        id: UserId,
    },
    /// A device that relays mail with an app password (scanner, EHR interface): its
    /// configured name, a token (see [`is_token`]) such as `fax-3rd-floor`.
    Device {
        /// The device's name.
        name: String,
    },
    /// carepost itself: a component name token such as `delivery` or `retention`.
    System {
        /// The component.
        component: String,
    },
    /// A program using an API key.
    ApiKey {
        /// The key.
        id: ApiKeyId,
    },
    /// The recipient of a portal copy, named by the queue's recipient copy (the address
    /// stays in the queue, out of the trail).
    PortalRecipient {
        /// The recipient copy the portal copy was made from.
        recipient: RecipientId,
    },
}

/// The objects an event is about. Ids only; all optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// A queued message.
    pub message: Option<MessageId>,
    /// One recipient copy of a message.
    pub recipient: Option<RecipientId>,
    /// A user acted upon (created, role changed), not the actor.
    pub user: Option<UserId>,
    /// An API key or app password acted upon.
    pub api_key: Option<ApiKeyId>,
}

/// One audit event, schema version 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u32,
    /// Position in the log, from 0, without gaps: event `seq` is Merkle leaf `seq`.
    pub seq: u64,
    /// When it happened (UTC milliseconds).
    pub at: Timestamp,
    /// The tenant, if the event belongs to one (system events may not).
    pub tenant: Option<TenantId>,
    /// Who acted.
    pub actor: Actor,
    /// The network address the action came from, if any.
    pub source_ip: Option<IpAddr>,
    /// What happened.
    pub kind: EventKind,
    /// What it happened to.
    pub subject: Subject,
    /// Structured, non-PHI facts: categories, counts, flags, ids, keyed hashes. See
    /// [`AuditEvent::validate`] for what is admitted.
    pub details: Map<String, Value>,
}

impl AuditEvent {
    /// An event with no tenant, address, subject or details.
    pub fn new(seq: u64, at: Timestamp, actor: Actor, kind: EventKind) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            seq,
            at,
            tenant: None,
            actor,
            source_ip: None,
            kind,
            subject: Subject::default(),
            details: Map::new(),
        }
    }

    /// Set the tenant.
    pub fn with_tenant(mut self, tenant: TenantId) -> Self {
        self.tenant = Some(tenant);
        self
    }

    /// Set the source address.
    pub fn with_source_ip(mut self, ip: IpAddr) -> Self {
        self.source_ip = Some(ip);
        self
    }

    /// Set the subject.
    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = subject;
        self
    }

    /// Add a detail. Checked by [`AuditEvent::validate`] when the event is hashed.
    pub fn with_detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_string(), value.into());
        self
    }

    /// Check the schema rules that keep free text (and so PHI) out of an event:
    ///
    /// * `schema` is [`SCHEMA_VERSION`];
    /// * device and component names are tokens (see [`is_token`]);
    /// * at most [`MAX_DETAILS`] details; keys are `[a-z][a-z0-9_]*`, at most
    ///   [`MAX_DETAIL_KEY_LEN`] bytes;
    /// * detail values are booleans, integers, tokens, or arrays of at most
    ///   [`MAX_DETAIL_ARRAY_LEN`] of those; no `null`, no floats, no nested objects.
    ///
    /// Tokens have no spaces and no `@`, so names, sentences and e-mail addresses cannot be
    /// written. A bare number (an MRN, a phone number) is still a valid token or integer:
    /// the schema cannot tell it from a count, which is why identifiers that relate to a
    /// patient must go through [`keyed_hash`]. Error messages name the rule broken, never
    /// the offending value.
    pub fn validate(&self) -> Result<(), AuditError> {
        if self.schema != SCHEMA_VERSION {
            return Err(AuditError::InvalidEvent(
                "unsupported schema version".into(),
            ));
        }
        match &self.actor {
            Actor::Device { name } if !is_token(name) => {
                return Err(AuditError::InvalidEvent(
                    "device name is not a token".into(),
                ));
            }
            Actor::System { component } if !is_token(component) => {
                return Err(AuditError::InvalidEvent(
                    "component name is not a token".into(),
                ));
            }
            _ => {}
        }
        if self.details.len() > MAX_DETAILS {
            return Err(AuditError::InvalidEvent("too many details".into()));
        }
        for (key, value) in &self.details {
            if !is_detail_key(key) {
                return Err(AuditError::InvalidEvent(
                    "detail key is not [a-z][a-z0-9_]*".into(),
                ));
            }
            let ok = match value {
                Value::Array(items) => {
                    items.len() <= MAX_DETAIL_ARRAY_LEN && items.iter().all(is_scalar_detail)
                }
                other => is_scalar_detail(other),
            };
            if !ok {
                return Err(AuditError::InvalidEvent(format!(
                    "detail {key:?} is not a boolean, integer, token or array of those"
                )));
            }
        }
        Ok(())
    }

    /// The canonical bytes the leaf hash covers (validates first): the canonical JSON of
    /// this event's serde form, every field present.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, AuditError> {
        self.validate()?;
        let mut out = Vec::with_capacity(512);
        self.write_canonical(&mut out)?;
        // Every consumer (the export verifier, a SIEM's syslog frame) has a line limit; an
        // event that would not fit any of them is refused here, where it is made.
        if out.len() > MAX_EVENT_BYTES {
            return Err(AuditError::InvalidEvent(format!(
                "canonical event is larger than {MAX_EVENT_BYTES} bytes"
            )));
        }
        Ok(out)
    }

    /// Write the canonical JSON directly, members in key order, without building a
    /// `serde_json::Value` first (appending and verifying a million events spend most of
    /// their time here). A unit test holds it equal to canonicalising `to_value(self)`.
    fn write_canonical(&self, out: &mut Vec<u8>) -> Result<(), AuditError> {
        out.extend_from_slice(b"{\"actor\":");
        match &self.actor {
            Actor::User { id } => write_tagged(out, "id", &id.to_string(), "user"),
            Actor::Device { name } => write_tagged(out, "name", name, "device"),
            Actor::System { component } => write_tagged(out, "component", component, "system"),
            Actor::ApiKey { id } => write_tagged(out, "id", &id.to_string(), "api_key"),
            Actor::PortalRecipient { recipient } => {
                write_tagged(out, "recipient", &recipient.to_string(), "portal_recipient")
            }
        }
        out.extend_from_slice(b",\"at\":");
        out.extend_from_slice(self.at.as_millis().to_string().as_bytes());
        out.extend_from_slice(b",\"details\":");
        write_object(self.details.iter(), out)
            .map_err(|_| AuditError::InvalidEvent("contains a floating point number".into()))?;
        out.extend_from_slice(b",\"kind\":");
        write_string(self.kind.as_str(), out);
        out.extend_from_slice(b",\"schema\":");
        out.extend_from_slice(self.schema.to_string().as_bytes());
        out.extend_from_slice(b",\"seq\":");
        out.extend_from_slice(self.seq.to_string().as_bytes());
        out.extend_from_slice(b",\"source_ip\":");
        write_opt(out, self.source_ip.as_ref());
        out.extend_from_slice(b",\"subject\":{\"api_key\":");
        write_opt(out, self.subject.api_key.as_ref());
        out.extend_from_slice(b",\"message\":");
        write_opt(out, self.subject.message.as_ref());
        out.extend_from_slice(b",\"recipient\":");
        write_opt(out, self.subject.recipient.as_ref());
        out.extend_from_slice(b",\"user\":");
        write_opt(out, self.subject.user.as_ref());
        out.extend_from_slice(b"},\"tenant\":");
        write_opt(out, self.tenant.as_ref());
        out.push(b'}');
        Ok(())
    }

    /// The Merkle leaf hash of this event: `SHA-256(0x00 || canonical_bytes)`.
    pub fn leaf_hash(&self) -> Result<Hash, AuditError> {
        Ok(leaf_hash(&self.canonical_bytes()?))
    }
}

/// `{"<key>":"<value>","type":"<tag>"}`: an internally tagged variant with one string field
/// whose name sorts before `type` (all of [`Actor`]'s do).
fn write_tagged(out: &mut Vec<u8>, key: &str, value: &str, tag: &str) {
    out.push(b'{');
    write_string(key, out);
    out.push(b':');
    write_string(value, out);
    out.extend_from_slice(b",\"type\":");
    write_string(tag, out);
    out.push(b'}');
}

/// `null`, or the value's `Display` as a JSON string (how serde writes ids and addresses).
fn write_opt(out: &mut Vec<u8>, value: Option<&impl fmt::Display>) {
    match value {
        Some(v) => write_string(&v.to_string(), out),
        None => out.extend_from_slice(b"null"),
    }
}

/// True for a token: 1 to [`MAX_TOKEN_LEN`] bytes of `A-Z a-z 0-9 . _ : / + = -`.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TOKEN_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:/+=".contains(&b))
}

fn is_detail_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_DETAIL_KEY_LEN
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
}

fn is_scalar_detail(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::String(s) => is_token(s),
        Value::Null | Value::Array(_) | Value::Object(_) => false,
    }
}

/// A secret key for [`keyed_hash`]. `Debug` does not show it.
pub struct KeyedHashKey(hmac::Key);

impl KeyedHashKey {
    /// Minimum key length in bytes.
    pub const MIN_LEN: usize = 32;

    /// A key from secret bytes (at least [`KeyedHashKey::MIN_LEN`]).
    pub fn new(secret: &[u8]) -> Result<Self, AuditError> {
        if secret.len() < Self::MIN_LEN {
            return Err(AuditError::WeakKey);
        }
        Ok(Self(hmac::Key::new(hmac::HMAC_SHA256, secret)))
    }
}

impl fmt::Debug for KeyedHashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyedHashKey([redacted])")
    }
}

/// `hmac-sha256:` followed by the hex HMAC-SHA256 of `value` under `key` (a valid detail
/// token).
///
/// Use it to record *that* an event concerns a given patient identifier without writing
/// the identifier: whoever holds the key can recompute the hash of a known identifier and
/// find its events; nobody without the key can go from the hash back to the identifier,
/// even for small identifier spaces (which a plain SHA-256 would not resist). Normalise
/// `value` (case, spacing) the same way every time, or the hashes will not match.
pub fn keyed_hash(key: &KeyedHashKey, value: &[u8]) -> String {
    let tag = hmac::sign(&key.0, value);
    format!("hmac-sha256:{}", hex::encode(tag.as_ref()))
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn sample() -> AuditEvent {
        AuditEvent::new(
            7,
            Timestamp::from_millis(1_796_000_000_000),
            Actor::User { id: id(1) },
            EventKind::PortalOpened,
        )
        .with_tenant(id(2))
        .with_source_ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))
        .with_subject(Subject {
            message: Some(id(3)),
            ..Subject::default()
        })
        .with_detail("channel", "portal")
        .with_detail("attachments", 2)
        .with_detail("categories", vec!["ssn", "mrn"])
    }

    /// An id of type `T` whose UUID is the number `n` (deterministic fixtures).
    fn id<T: FromStr>(n: u128) -> T
    where
        T::Err: fmt::Debug,
    {
        let h = format!("{n:032x}");
        let text = format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        );
        text.parse().expect("valid uuid text")
    }

    #[test]
    fn an_event_too_large_for_any_consumer_is_refused() {
        let mut e = AuditEvent::new(
            0,
            Timestamp::from_millis(0),
            Actor::System {
                component: "test".into(),
            },
            EventKind::AuthLogin,
        );
        for i in 0..MAX_DETAILS {
            let items: Vec<String> = (0..MAX_DETAIL_ARRAY_LEN)
                .map(|_| "x".repeat(MAX_TOKEN_LEN))
                .collect();
            e.details.insert(format!("k{i}"), items.into());
        }
        e.validate().expect("each detail is within its own limits");
        assert!(matches!(
            e.canonical_bytes(),
            Err(AuditError::InvalidEvent(_))
        ));
    }

    #[test]
    fn the_canonical_form_is_pinned() {
        let bytes = sample().canonical_bytes().expect("valid");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(
            text,
            concat!(
                r#"{"actor":{"id":"00000000-0000-0000-0000-000000000001","type":"user"},"#,
                r#""at":1796000000000,"#,
                r#""details":{"attachments":2,"categories":["ssn","mrn"],"channel":"portal"},"#,
                r#""kind":"portal.opened","schema":1,"seq":7,"source_ip":"192.0.2.1","#,
                r#""subject":{"api_key":null,"message":"00000000-0000-0000-0000-000000000003","#,
                r#""recipient":null,"user":null},"#,
                r#""tenant":"00000000-0000-0000-0000-000000000002"}"#
            )
        );
        // A pinned leaf hash: changing the schema's serialization changes this on purpose.
        assert_eq!(
            sample().leaf_hash().expect("valid"),
            leaf_hash(text.as_bytes())
        );
    }

    /// The definition: canonical JSON of the serde form.
    fn reference_canonical(e: &AuditEvent) -> Vec<u8> {
        let mut out = Vec::new();
        crate::canonical::write_canonical(&serde_json::to_value(e).expect("json"), &mut out)
            .expect("no floats");
        out
    }

    use proptest::prelude::{Strategy, any};

    proptest::proptest! {
        #[test]
        fn the_direct_encoder_matches_the_definition(
            seq: u64, at: i64, actor in 0u8..5, kind in 0usize..EventKind::ALL.len(),
            tenant: bool, ip: Option<u32>, ip6: bool, subject in proptest::bits::u8::masked(0xf),
            details in proptest::collection::btree_map(
                "[a-z][a-z0-9_]{0,10}",
                proptest::prop_oneof![
                    any::<i64>().prop_map(Value::from),
                    any::<u64>().prop_map(Value::from),
                    any::<bool>().prop_map(Value::from),
                    "[A-Za-z0-9._:/+=-]{1,20}".prop_map(Value::from),
                    proptest::collection::vec("[a-z]{1,5}", 0..4).prop_map(Value::from),
                ],
                0..8,
            ),
        ) {
            let actor = match actor {
                0 => Actor::User { id: id(u128::from(seq)) },
                1 => Actor::Device { name: "fax-1".into() },
                2 => Actor::System { component: "queue".into() },
                3 => Actor::PortalRecipient { recipient: id(11) },
                _ => Actor::ApiKey { id: id(7) },
            };
            let mut e = AuditEvent::new(seq, Timestamp::from_millis(at), actor, EventKind::ALL[kind]);
            if tenant {
                e = e.with_tenant(id(9));
            }
            if let Some(ip) = ip {
                e = e.with_source_ip(if ip6 {
                    IpAddr::V6(std::net::Ipv6Addr::from(u128::from(ip) << 64 | 1))
                } else {
                    IpAddr::V4(Ipv4Addr::from(ip))
                });
            }
            e.subject = Subject {
                message: (subject & 1 != 0).then(|| id(1)),
                recipient: (subject & 2 != 0).then(|| id(2)),
                user: (subject & 4 != 0).then(|| id(3)),
                api_key: (subject & 8 != 0).then(|| id(4)),
            };
            // Insert in reverse order, so the encoder cannot rely on insertion order.
            for (k, v) in details.into_iter().rev() {
                e.details.insert(k, v);
            }
            let bytes = e.canonical_bytes().expect("valid");
            proptest::prop_assert_eq!(&bytes, &reference_canonical(&e));
            let back: AuditEvent = serde_json::from_slice(&bytes).expect("parses");
            proptest::prop_assert_eq!(back, e);
        }
    }

    #[test]
    fn events_round_trip_through_json() {
        let e = sample();
        let json = serde_json::to_string(&e).expect("serializes");
        let back: AuditEvent = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, e);
        assert_eq!(
            back.canonical_bytes().expect("ok"),
            e.canonical_bytes().expect("ok")
        );
    }

    #[test]
    fn every_kind_round_trips_through_its_text_form() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(*kind));
            let json = serde_json::to_string(kind).expect("serializes");
            assert_eq!(
                serde_json::from_str::<EventKind>(&json).expect("parses"),
                *kind
            );
        }
        assert!("message.exploded".parse::<EventKind>().is_err());
        assert_eq!(
            EventKind::DeliveryAwaitingPortal.to_string(),
            "delivery.awaiting_portal"
        );
    }

    #[test]
    fn details_that_could_carry_free_text_are_refused() {
        let base = || {
            AuditEvent::new(
                0,
                Timestamp::from_millis(0),
                Actor::System {
                    component: "queue".into(),
                },
                EventKind::AuthLogin,
            )
        };
        let refused: [(&str, Value); 9] = [
            ("patient_name", Value::from("John Smith")),
            ("email", Value::from("jane@example.org")),
            ("note", Value::from("")),
            ("score", Value::from(0.5)),
            ("nested", serde_json::json!({"a": 1})),
            ("nothing", Value::Null),
            ("Upper", Value::from(1)),
            ("list", serde_json::json!(["ok", "not ok"])),
            ("long", Value::from("x".repeat(MAX_TOKEN_LEN + 1))),
        ];
        for (key, value) in refused {
            let e = base().with_detail(key, value);
            assert!(e.validate().is_err(), "{key} should be refused");
            assert!(e.canonical_bytes().is_err());
        }
        let mut many = base();
        for i in 0..=MAX_DETAILS {
            many = many.with_detail(&format!("k{i}"), i as u64);
        }
        assert!(many.validate().is_err());
        let device = AuditEvent::new(
            0,
            Timestamp::from_millis(0),
            Actor::Device {
                name: "Dr Smith's phone".into(),
            },
            EventKind::AuthLogin,
        );
        assert!(device.validate().is_err());
        let old = AuditEvent {
            schema: 2,
            ..base()
        };
        assert!(old.validate().is_err());

        let fine = base()
            .with_detail("outcome", "bad_password")
            .with_detail("attempts", 3)
            .with_detail("locked", true)
            .with_detail("delta", -1)
            .with_detail("tls", "TLSv1.3")
            .with_detail(
                "patient",
                keyed_hash(&KeyedHashKey::new(&[7; 32]).expect("len"), b"MRN-1"),
            );
        assert_eq!(fine.validate(), Ok(()));
    }

    #[test]
    fn error_messages_do_not_echo_values() {
        let e = AuditEvent::new(
            0,
            Timestamp::from_millis(0),
            Actor::System {
                component: "web".into(),
            },
            EventKind::AuthLogin,
        )
        .with_detail("who", "Jane Doe 1970-01-01");
        let msg = e.validate().expect_err("refused").to_string();
        assert!(!msg.contains("Jane"), "{msg}");
    }

    #[test]
    fn keyed_hash_is_hmac_sha256_and_a_valid_token() {
        // RFC 4231 test case 2 uses a 4-byte key, below our minimum; check against the
        // aws-lc-rs primitive directly and against a known-answer for a 32-byte key instead.
        assert!(KeyedHashKey::new(b"Jefe").is_err());
        let key = KeyedHashKey::new(&[0x0b; 32]).expect("len");
        let h1 = keyed_hash(&key, b"MRN-000123");
        let h2 = keyed_hash(&key, b"MRN-000123");
        let h3 = keyed_hash(&key, b"MRN-000124");
        assert_eq!(h1, h2);
        assert_ne!(h1, h3);
        assert!(is_token(&h1));
        assert_eq!(h1.len(), "hmac-sha256:".len() + 64);
        let other = KeyedHashKey::new(&[0x0c; 32]).expect("len");
        assert_ne!(keyed_hash(&other, b"MRN-000123"), h1);
        assert_eq!(format!("{key:?}"), "KeyedHashKey([redacted])");
    }
}
