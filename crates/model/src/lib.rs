//! Shared vocabulary of carepost: identifiers, validated e-mail addresses, PHI markers,
//! time, and the states a recipient copy moves through.
//!
//! **What it does not do:** no I/O, no async runtime, no database, no network. Every other
//! crate depends on this one, so it stays small.
//!
//! **Security and PHI:** values that may hold PHI are wrapped in [`Phi`], whose `Debug` and
//! `Display` print `[redacted]`, so a stray `{:?}` in a log line cannot leak them.
//! [`EmailAddress`]'s `Debug` hides the local part for the same reason; its `Display`
//! shows the whole address because protocols and operator tools need it.

mod address;
mod ids;
mod phi;
mod status;
mod time;

pub use address::{AddressError, Domain, EmailAddress};
pub use ids::{
    ApiKeyId, GroupId, MessageId, PortalCopyId, PortalItemId, RecipientId, TenantId, UserId,
};
pub use phi::{Phi, escape_for_log};
pub use status::{
    DeliveryRoute, Principal, Priority, RecipientStatus, Role, SubmissionChannel, TlsRecord,
    UnknownName,
};
pub use time::{Clock, SystemClock, Timestamp};
