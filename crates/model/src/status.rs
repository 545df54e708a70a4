//! States and small enums shared by the queue, storage, delivery and operator tools.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{ApiKeyId, RecipientId, Timestamp, UserId};

/// A name that is not one of an enum's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownName(pub String);

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable text form (used in storage, CLI and API).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName(s.to_string())),
                }
            }
        }
    };
}

named_enum!(
    /// Where one recipient copy stands.
    RecipientStatus {
        /// Waiting for its first delivery attempt.
        Queued => "queued",
        /// Claimed by a delivery worker (under a lease).
        Delivering => "delivering",
        /// Accepted by the next hop over TLS.
        Delivered => "delivered",
        /// A temporary failure; retried at `next_attempt`.
        Deferred => "deferred",
        /// A permanent failure or the lifetime ran out; a DSN went to the sender.
        Bounced => "bounced",
        /// Cannot travel by e-mail under policy (no verified TLS); waits for the portal.
        AwaitingPortal => "awaiting-portal",
        /// Held for compliance review.
        Quarantined => "quarantined",
        /// Held by an operator (`carepost queue hold`).
        Held => "held",
    }
);

impl RecipientStatus {
    /// True for states that never change again by themselves.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Bounced)
    }
}

named_enum!(
    /// Delivery priority: clinical mail always goes ahead of bulk mail.
    Priority {
        /// Clinical and transactional mail (the default for staff and systems).
        Clinical => "clinical",
        /// Ordinary mail.
        Normal => "normal",
        /// Campaigns and newsletters.
        Bulk => "bulk",
    }
);

impl Priority {
    /// Lower sorts first in the queue.
    pub fn rank(self) -> i64 {
        match self {
            Self::Clinical => 0,
            Self::Normal => 1,
            Self::Bulk => 2,
        }
    }
    /// The priority with a given rank, defaulting to `Normal`.
    pub fn from_rank(rank: i64) -> Self {
        match rank {
            0 => Self::Clinical,
            2 => Self::Bulk,
            _ => Self::Normal,
        }
    }
}

named_enum!(
    /// What a user may do.
    Role {
        /// Everything, including keys and other admins.
        Owner => "owner",
        /// Users, credentials, configuration.
        Admin => "admin",
        /// Quarantine review, audit, policy.
        Compliance => "compliance",
        /// Sends mail.
        Sender => "sender",
        /// Campaigns; aggregates only, never per-patient data.
        Marketer => "marketer",
        /// Reads the audit trail.
        Auditor => "auditor",
    }
);

named_enum!(
    /// How policy lets a queued copy travel (see the `policy` crate's actions).
    DeliveryRoute {
        /// TLS with a verified certificate; without it the copy waits for the portal.
        VerifiedTlsOrPortal => "verified-tls-or-portal",
        /// TLS with a verified certificate; without it the copy stays queued and is
        /// retried until its lifetime runs out.
        VerifiedTlsOrHold => "verified-tls-or-hold",
        /// TLS with a verified certificate; without it the copy bounces to the sender.
        VerifiedTlsOrBounce => "verified-tls-or-bounce",
        /// TLS with any certificate (recorded as unverified); never plaintext.
        AnyTls => "any-tls",
        /// carepost's own notice that carries no PHI (a portal notification or code):
        /// verified TLS when offered, otherwise TLS with any certificate; never plaintext,
        /// and never the portal (a notice about a portal copy cannot wait on the portal).
        /// Without TLS it bounces.
        Notice => "notice",
    }
);

impl Default for DeliveryRoute {
    /// What carepost did before policy existed, and still does without one.
    fn default() -> Self {
        Self::VerifiedTlsOrPortal
    }
}

named_enum!(
    /// How a message entered carepost.
    SubmissionChannel {
        /// SMTP with STARTTLS on the submission port.
        SmtpStarttls => "smtp-starttls",
        /// SMTP with implicit TLS.
        SmtpImplicitTls => "smtp-implicit-tls",
        /// SMTP without TLS, from a trusted network that explicitly allows it.
        SmtpPlaintext => "smtp-plaintext",
        /// The REST API.
        Api => "api",
        /// Generated by carepost itself (DSNs, notices).
        Internal => "internal",
        /// Written by a recipient on the secure portal (a reply).
        Portal => "portal",
    }
);

/// Who submitted a message: a user with an app password, an API key, a trusted device, or
/// carepost itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Principal {
    /// A user who authenticated with an app password.
    User {
        /// The user.
        user_id: UserId,
        /// The app password used.
        credential: ApiKeyId,
    },
    /// A device on a trusted network (`[smtp] trusted_networks`).
    Device {
        /// The device name from configuration.
        name: String,
    },
    /// carepost itself (bounces, notices).
    System,
    /// The recipient of a portal copy, replying on the portal after proving who they are.
    PortalRecipient {
        /// The queue's recipient copy the portal copy was made from.
        recipient: RecipientId,
    },
    /// A system (EHR, billing) using a scoped organisation API key on the REST API.
    ApiKey {
        /// The key.
        key: ApiKeyId,
    },
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User { user_id, .. } => write!(f, "user:{user_id}"),
            Principal::Device { name } => write!(f, "device:{name}"),
            Principal::System => f.write_str("system"),
            Principal::PortalRecipient { recipient } => write!(f, "portal-recipient:{recipient}"),
            Principal::ApiKey { key } => write!(f, "api-key:{key}"),
        }
    }
}

/// How one recipient copy travelled to the next hop: the raw material of a delivery proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsRecord {
    /// Host name the certificate was verified against (MX name or route host).
    pub next_hop_host: String,
    /// IP address and port connected to.
    pub next_hop_addr: String,
    /// Negotiated protocol, e.g. `TLSv1.3`.
    pub tls_version: String,
    /// Negotiated cipher suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// SHA-256 of the peer's end-entity certificate (DER), lower-case hex.
    pub peer_cert_sha256: String,
    /// Whether the certificate chain and name were verified.
    pub verified: bool,
    /// The next hop's reply to the end of DATA (escaped, truncated).
    pub remote_reply: String,
    /// When the next hop accepted the message.
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_through_text() {
        for s in RecipientStatus::ALL {
            assert_eq!(s.as_str().parse::<RecipientStatus>(), Ok(*s));
        }
        assert!("nope".parse::<RecipientStatus>().is_err());
        assert_eq!(RecipientStatus::AwaitingPortal.as_str(), "awaiting-portal");
    }

    #[test]
    fn clinical_sorts_before_bulk() {
        assert!(Priority::Clinical.rank() < Priority::Bulk.rank());
        assert_eq!(Priority::from_rank(Priority::Bulk.rank()), Priority::Bulk);
    }
}
