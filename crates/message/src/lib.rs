//! Message handling without I/O: preparing a submitted message for the queue (trace and
//! identity headers), DKIM signing, and building delivery status notifications.
//!
//! **What it does not do:** no network, no disk, no decisions. It parses with
//! `mail-parser`, builds with `mail-builder` and signs with `mail-auth`; [`extract`] reads
//! attachment documents with `lopdf` (PDF) and `zip` + `quick-xml` (DOCX, XLSX, PPTX), all
//! pure Rust, under decompression limits.
//!
//! **PHI:** message bytes pass through here in memory only; nothing is logged (but `lopdf`
//! logs about malformed PDFs through `log`: see [`extract`]). DSNs carry the original
//! headers, never the body (RFC 3464 `text/rfc822-headers`).

pub mod compose;
pub mod dkim;
pub mod dsn;
pub mod extract;
pub mod notice;
pub mod submission;
