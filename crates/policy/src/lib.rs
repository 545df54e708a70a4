//! The organisation's policy engine: a versioned TOML document of rules in, one [`Decision`] per
//! recipient copy out, with an explanation of which rules fired and why.
//!
//! **Does:** parses and validates a policy document ([`PolicyDocument::parse`]), refusing an
//! invalid one with the 1-based line and column of the offending key and a precise reason
//! ([`PolicyError`]); evaluates the rules against the facts about one recipient copy
//! ([`CopyFacts`]: PHI verdict and categories from `dlp`, unscannable parts, attachment types,
//! size, sender, recipient) and returns the [`Action`] to take, whether to notify compliance,
//! whether to hide the subject, the rules that fired and the policy version used
//! ([`Policy::evaluate`]); renders a dry-run explanation for `carepost policy test`
//! ([`Decision::explain`]). Ships a commented default policy
//! ([`PolicyDocument::default_document`]).
//!
//! **Does not:** do I/O, store documents, assign version numbers (storage does; the caller passes
//! the version to [`Policy::new`]), audit changes, scan text (`dlp` does), or carry out the
//! decision (the gateway and delivery do). Plaintext delivery is not an action of this engine.
//!
//! # How rules combine
//!
//! 1. Rules are evaluated **in document order**. A rule *fires* when **all** of its conditions
//!    hold (a list condition holds when **any** entry matches; a rule without conditions fires for
//!    every copy).
//! 2. Among the rules that fired, **the most restrictive action wins**:
//!    `reject` > `quarantine` > `portal` > `deliver_verified_tls` > `deliver_any_tls`. Within
//!    `deliver_verified_tls` the fallback orders the same way: `otherwise = "bounce"` >
//!    `"hold"` > `"portal"`. On a tie the earliest rule wins (its reject reason is the one used).
//! 3. `notify_compliance` and `hide_subject` are OR-ed over the rules that fired.
//! 4. A rule with `stop = true` that fires ends evaluation: rules **after** it are not evaluated,
//!    rules before it still count. This is how an exception is written: put it after the rules it
//!    must never override and before the general rules it relaxes.
//! 5. If no rule that fired has an action, the document's `[default]` action applies (itself
//!    defaulting to `deliver_verified_tls` with `otherwise = "portal"`). The default is *not*
//!    combined with fired actions, so a rule can relax it (e.g. clean mail over any TLS).
//! 6. One invariant no document can switch off: when the subject contains PHI,
//!    [`Decision::hide_subject`] is true.
//!
//! The full format, with the default document, is in `docs/POLICY.md`.
//!
//! ```
//! use policy::{Action, CategoryHit, CopyFacts, Policy, PolicyDocument};
//! use model::EmailAddress;
//!
//! // Storage hands over the text and the version it assigned.
//! let doc = PolicyDocument::parse(PolicyDocument::default_document())?;
//! let policy = Policy::new(doc, 3);
//! let facts = CopyFacts {
//!     categories: vec![CategoryHit { label: dlp::Label::Ssn, count: 1, max_score: 0.97 }],
//!     phi: true,
//!     phi_in_subject: false,
//!     unscannable: vec![],
//!     attachment_types: vec!["application/pdf".into()],
//!     size_bytes: 48_000,
//!     sender: EmailAddress::parse("frontdesk@clinic.example")?,
//!     sender_groups: vec!["front-desk".into()],
//!     recipient: EmailAddress::parse("patient@mail.example")?,
//!     recipient_internal: false,
//! };
//! let decision = policy.evaluate(&facts);
//! assert_eq!(decision.action, Action::Portal); // SSN to an outside mailbox
//! assert_eq!(decision.version, 3);
//! println!("{}", decision.explain());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Security:** runs in whichever process decides routing (gateway or worker) and in the CLI dry
//! run; needs no keys, storage or network. The document is trusted configuration written by an
//! administrator but parsed as untrusted input: it is size- and count-limited
//! ([`MAX_DOCUMENT_BYTES`], [`MAX_RULES`], [`MAX_LIST_ENTRIES`]) and the parser never panics
//! (property-tested).
//!
//! **PHI:** facts carry categories, counts and scores, never matched values. Addresses in
//! [`CopyFacts`] are [`model::EmailAddress`], whose `Debug` hides the local part. Explanations
//! ([`FiredRule::why`]) name conditions, categories and policy entries (domains, groups,
//! types), never an address from the facts. Errors quote at most a clipped, escaped piece of the
//! document, and never an address entry. A reject reason (shown to the sender) is validated to be
//! short printable ASCII without `@` or long digit runs.
//!
//! **Errors:** [`PolicyError`] = position + [`PolicyErrorKind`], which separates TOML syntax,
//! unknown keys, wrong types, unknown names (category, action, fallback, unscannable reason),
//! malformed entries (domain, address, group, attachment type, rule name, reject reason),
//! out-of-range numbers, duplicates, and our own limits.

#![warn(missing_docs)]

mod action;
mod eval;
mod parse;

pub use action::{Action, Fallback};
pub use eval::{CategoryHit, CopyFacts, Decision, FiredRule, Policy};
pub use parse::{
    MAX_DESCRIPTION_CHARS, MAX_DOCUMENT_BYTES, MAX_LIST_ENTRIES, MAX_NAME_CHARS,
    MAX_REJECT_REASON_CHARS, MAX_RULES, PolicyDocument, PolicyError, PolicyErrorKind, Rule,
    UNSCANNABLE_REASONS, label_from_name,
};
