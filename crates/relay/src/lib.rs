//! The running relay: the glue between the SMTP listeners, the intake path, the queue and
//! outbound delivery.
//!
//! **What it does:** [`SubmissionService`] answers the SMTP gateway's questions (is this
//! app password valid, commit this message) using the user store and the one intake path.
//! [`DeliveryWorker`] claims due recipient copies under a lease, opens the sealed body,
//! signs it with the organisation's DKIM key, hands it to `smtp-delivery` (verified TLS
//! only), and records the outcome: delivered (with how it travelled), deferred on the retry
//! schedule, awaiting-portal when verified TLS cannot be had, or bounced with a DSN to the
//! sender that carries headers only. [`DirectHandoff`] lets intake give the worker a copy
//! it has just committed (leased to the worker in the same commit) together with the
//! message as sealed, while the worker has a slot free: no claim, no read, no decryption.
//!
//! **Security:** runs in the delivery/gateway process; it is the only place besides intake
//! where a body is opened, and it holds it in memory only for the attempt (a handed-over
//! body stays in memory from intake to the end of the attempt, zeroised when dropped). Logs carry queue
//! and recipient ids, never addresses or content.

mod service;
mod worker;

pub mod credentials;
pub mod notices;
pub use service::SubmissionService;
pub use worker::{DeliveryWorker, DirectHandoff, DkimSigning, WorkerConfig};
