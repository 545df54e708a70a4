//! What a decision tells the gateway to do with one recipient copy, and how actions rank.

use std::fmt;

use serde::Serialize;

/// What to do with a recipient copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Deliver only over TLS (1.2 or later) with a certificate verified for the next hop (or
    /// authenticated by MTA-STS/DANE); if that cannot be had, do `otherwise`.
    DeliverVerifiedTls {
        /// What to do when the next hop offers no verified TLS.
        otherwise: Fallback,
    },
    /// Deliver over TLS with any certificate (encrypted, not authenticated).
    DeliverAnyTls,
    /// Seal the copy and send the recipient a portal notification instead.
    Portal,
    /// Hold the copy for review by compliance.
    Quarantine,
    /// Refuse the copy and tell the sender `reason`.
    Reject {
        /// Shown to the sender (validated: short printable ASCII, no PHI-shaped content).
        reason: String,
    },
}

/// What a [`Action::DeliverVerifiedTls`] copy does when the next hop has no verified TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Send it through the portal instead.
    Portal,
    /// Keep it queued and retry until verified TLS is available (or the queue gives up).
    Hold,
    /// Return it to the sender.
    Bounce,
}

impl Action {
    /// Restrictiveness rank: higher wins when rules combine. `reject` > `quarantine` > `portal` >
    /// `deliver_verified_tls` (fallback `bounce` > `hold` > `portal`) > `deliver_any_tls`.
    pub fn rank(&self) -> u8 {
        match self {
            Action::DeliverAnyTls => 0,
            Action::DeliverVerifiedTls { otherwise } => match otherwise {
                Fallback::Portal => 1,
                Fallback::Hold => 2,
                Fallback::Bounce => 3,
            },
            Action::Portal => 4,
            Action::Quarantine => 5,
            Action::Reject { .. } => 6,
        }
    }

    /// The name used in policy documents (`"deliver_verified_tls"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Action::DeliverVerifiedTls { .. } => "deliver_verified_tls",
            Action::DeliverAnyTls => "deliver_any_tls",
            Action::Portal => "portal",
            Action::Quarantine => "quarantine",
            Action::Reject { .. } => "reject",
        }
    }
}

impl Fallback {
    /// The name used in policy documents (`"portal"`, `"hold"`, `"bounce"`).
    pub fn name(self) -> &'static str {
        match self {
            Fallback::Portal => "portal",
            Fallback::Hold => "hold",
            Fallback::Bounce => "bounce",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::DeliverVerifiedTls { otherwise } => write!(
                f,
                "deliver over verified TLS, otherwise {}",
                match otherwise {
                    Fallback::Portal => "send through the portal",
                    Fallback::Hold => "hold and retry",
                    Fallback::Bounce => "bounce to the sender",
                }
            ),
            Action::DeliverAnyTls => f.write_str("deliver over TLS (any certificate)"),
            Action::Portal => f.write_str("send through the portal"),
            Action::Quarantine => f.write_str("quarantine for review"),
            Action::Reject { reason } => write!(f, "reject (sender is told: \"{reason}\")"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_documented_order() {
        let order = [
            Action::DeliverAnyTls,
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Portal,
            },
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Hold,
            },
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Bounce,
            },
            Action::Portal,
            Action::Quarantine,
            Action::Reject {
                reason: "no".into(),
            },
        ];
        for w in order.windows(2) {
            assert!(w[0].rank() < w[1].rank(), "{:?} !< {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn display_and_names() {
        let a = Action::DeliverVerifiedTls {
            otherwise: Fallback::Hold,
        };
        assert_eq!(
            a.to_string(),
            "deliver over verified TLS, otherwise hold and retry"
        );
        assert_eq!(a.name(), "deliver_verified_tls");
        assert_eq!(Fallback::Bounce.name(), "bounce");
        assert_eq!(Action::Quarantine.to_string(), "quarantine for review");
    }
}
