//! Identifier newtypes. UUIDv7 for rows that are listed by time (messages, recipients),
//! so their natural order is the order of arrival.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $ctor:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn new() -> Self {
                Self(Uuid::$ctor())
            }
            /// The identifier as a UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An organisation (tenant). Every row that holds customer data carries one.
    TenantId,
    new_v4
);
id_type!(
    /// A user account (a person) within a tenant.
    UserId,
    new_v4
);
id_type!(
    /// An API key or app password.
    ApiKeyId,
    new_v4
);
id_type!(
    /// A message accepted into the queue (time-ordered).
    MessageId,
    now_v7
);
id_type!(
    /// One recipient copy of a message (time-ordered).
    RecipientId,
    now_v7
);
id_type!(
    /// A copy of a message made available on the secure portal (time-ordered).
    PortalCopyId,
    now_v7
);
id_type!(
    /// A one-time code sent to a portal recipient, or a reply written on the portal.
    PortalItemId,
    now_v7
);
id_type!(
    /// A group of users within an organisation (policy conditions, access rules).
    GroupId,
    new_v4
);
