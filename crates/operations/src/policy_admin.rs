//! The organisation's policy: the version in force, storing a new version, the history,
//! and a dry run of a message against it (or against a draft).
//!
//! The policy is a TOML document (docs/POLICY.md) kept in the database, one row per version
//! (`storage::PolicyStore`). [`store_document`] validates a document with
//! `policy::PolicyDocument::parse` before anything is stored: an invalid one is refused
//! with its line, column and reason, and the version in force stays in force. Every stored
//! version carries an `admin.policy_changed` audit event, committed in the same
//! transaction.
//!
//! Until a document is stored, the built-in default ([`PolicyDocument::default_document`])
//! is in force as version 0. [`active_policy`] is the one place that makes that choice.
//!
//! **PHI:** [`dry_run`] reads a message, so it records an `audit.queried` event
//! (`query = "policy_test"`) before it screens it. What it returns names rules,
//! categories, counts and scores; never a matched value, and never an address.

use model::{EmailAddress, TenantId, Timestamp};
use policy::{Decision, Policy, PolicyDocument};
use screening::MessageVerdict;
use sha2::{Digest, Sha256};
use storage::{PolicyRecord, SharedStore, StorageError};

use crate::{Error, Request};

/// Largest message a dry run screens (the CLI's limit; front ends may set a lower one).
pub const MAX_MESSAGE_BYTES: usize = 50 * 1024 * 1024;
/// How much of a message's start is searched for its header section (the From: line).
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// The policy in force for `tenant`: its highest stored version, or the built-in default as
/// version 0 while none is stored. A stored document that no longer parses is an error,
/// never a silent fallback to the default: nobody must decide on mail with a policy nobody
/// chose.
pub async fn active_policy(store: &SharedStore, tenant: TenantId) -> Result<Policy, Error> {
    match store.current_policy(tenant).await? {
        Some(record) => {
            let doc = PolicyDocument::parse(&record.document).map_err(|e| {
                Error::StoredPolicyInvalid {
                    version: record.version,
                    reason: format!("line {}, column {}: {}", e.line, e.column, e.kind),
                }
            })?;
            Ok(Policy::new(doc, record.version))
        }
        None => Ok(default_policy()),
    }
}

/// The built-in default document as version 0.
pub fn default_policy() -> Policy {
    let doc = PolicyDocument::parse(PolicyDocument::default_document())
        .expect("the shipped default policy parses (tested in crates/policy)");
    Policy::new(doc, 0)
}

/// One version of the policy as people see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyVersion {
    /// The version (0: the built-in default).
    pub version: u64,
    /// Who stored it, as an actor key (`system:cli`, `user:ID`); `built-in` for version 0.
    pub author: String,
    /// When it was stored (`None` for the built-in default).
    pub created: Option<Timestamp>,
    /// The TOML document.
    pub document: String,
    /// The first 16 hex digits of the document's SHA-256 (enough to tell versions apart).
    pub sha256: String,
    /// Its number of rules (`None`: it no longer parses).
    pub rules: Option<usize>,
}

impl PolicyVersion {
    /// Whether this is the built-in default (no policy stored).
    pub fn is_built_in(&self) -> bool {
        self.version == 0
    }

    fn built_in() -> Self {
        Self::of_document(
            0,
            "built-in".to_string(),
            None,
            PolicyDocument::default_document(),
        )
    }

    fn from_record(r: &PolicyRecord) -> Self {
        Self::of_document(r.version, r.author.clone(), Some(r.created), &r.document)
    }

    fn of_document(
        version: u64,
        author: String,
        created: Option<Timestamp>,
        document: &str,
    ) -> Self {
        Self {
            version,
            author,
            created,
            sha256: sha256_prefix(document),
            rules: PolicyDocument::parse(document)
                .ok()
                .map(|d| d.rules().len()),
            document: document.to_string(),
        }
    }
}

/// The version in force: the highest stored one, or the built-in default.
pub async fn current(store: &SharedStore, tenant: TenantId) -> Result<PolicyVersion, Error> {
    Ok(match store.current_policy(tenant).await? {
        Some(r) => PolicyVersion::from_record(&r),
        None => PolicyVersion::built_in(),
    })
}

/// Version `n` (0: the built-in default); [`Error::NoSuchVersion`] if it was never stored.
pub async fn version(
    store: &SharedStore,
    tenant: TenantId,
    n: u64,
) -> Result<PolicyVersion, Error> {
    if n == 0 {
        return Ok(PolicyVersion::built_in());
    }
    match store.policy_version(tenant, n).await {
        Ok(r) => Ok(PolicyVersion::from_record(&r)),
        Err(StorageError::NotFound) => Err(Error::NoSuchVersion(n)),
        Err(e) => Err(e.into()),
    }
}

/// Every stored version, oldest first (empty while the built-in default is in force).
pub async fn history(store: &SharedStore, tenant: TenantId) -> Result<Vec<PolicyVersion>, Error> {
    Ok(store
        .policy_history(tenant)
        .await?
        .iter()
        .map(PolicyVersion::from_record)
        .collect())
}

/// What storing a document did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Identical to the version in force (given); nothing stored.
    Unchanged(u64),
    /// Stored as `version`, replacing `previous` (0 = the built-in default).
    Version {
        /// The new version.
        version: u64,
        /// The version it replaced.
        previous: u64,
    },
}

/// Validate `text` and store it as the tenant's next policy version, with its
/// `admin.policy_changed` audit event in the same transaction. An invalid document is
/// [`Error::InvalidPolicy`], and nothing is stored.
pub async fn store_document(
    store: &SharedStore,
    tenant: TenantId,
    text: &str,
    request: &Request,
) -> Result<Stored, Error> {
    store_edit(store, tenant, text, None, request).await
}

/// [`store_document`] for an edit of version `base` (0: the built-in default): refused with
/// [`Error::PolicySuperseded`] when another version has been stored since, so one editor
/// never replaces another's new version without seeing it. (Two saves in the same instant
/// can still both pass this check; the audit trail's `previous_version` then shows it.)
pub async fn store_edit(
    store: &SharedStore,
    tenant: TenantId,
    text: &str,
    base: Option<u64>,
    request: &Request,
) -> Result<Stored, Error> {
    let doc = PolicyDocument::parse(text).map_err(Error::InvalidPolicy)?;
    let current = store.current_policy(tenant).await?;
    if let Some(c) = &current
        && c.document == text
    {
        return Ok(Stored::Unchanged(c.version));
    }
    let previous = current.as_ref().map_or(0, |c| c.version);
    if let Some(base) = base
        && base != previous
    {
        return Err(Error::PolicySuperseded {
            base,
            current: previous,
        });
    }
    // The store numbers the version inside its transaction, after this event is built, so
    // the event names the version the change replaced (as read just now) and the document's
    // hash; the history ties the hash to the number. Recording a precomputed "new version"
    // instead could be wrong if two administrators store at the same moment.
    let event = request
        .event(audit::EventKind::AdminPolicyChanged)
        .with_tenant(tenant)
        .with_detail("previous_version", previous)
        .with_detail("rules", doc.rules().len() as u64)
        .with_detail("sha256", sha256_prefix(text));
    let author = storage::actor_key(&request.actor);
    let version = store
        .put_policy(tenant, text, &author, request.now, &[event])
        .await?;
    Ok(Stored::Version { version, previous })
}

/// What a dry run is asked to do.
#[derive(Clone)]
pub struct DryRunInput {
    /// The organisation whose policy (and users, for "internal") apply.
    pub tenant: TenantId,
    /// The message (RFC 5322), at most [`MAX_MESSAGE_BYTES`].
    pub message: Vec<u8>,
    /// The recipient to decide for.
    pub to: String,
    /// The sender (default: the address in the message's From: header).
    pub from: Option<String>,
    /// Evaluate this document instead of the policy in force (validated, not stored;
    /// shown as version 0).
    pub document: Option<String>,
    /// The sender's groups. `None`: as the gateway would see them, i.e. the groups of the
    /// organisation's person with the sender's address, if there is one (the gateway gives
    /// groups to a person who submits with their own app password).
    pub sender_groups: Option<Vec<String>>,
}

impl std::fmt::Debug for DryRunInput {
    // The message and the addresses are PHI: never in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DryRunInput")
            .field("tenant", &self.tenant)
            .field("message_bytes", &self.message.len())
            .field("draft", &self.document.is_some())
            .field("sender_groups", &self.sender_groups.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

/// Which policy a dry run evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource {
    /// The built-in default (no policy stored), version 0.
    BuiltInDefault,
    /// The stored version in force.
    Stored(u64),
    /// A draft that was validated but not stored (shown as version 0).
    Draft,
}

impl std::fmt::Display for PolicySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BuiltInDefault => f.write_str("the built-in default (no policy stored)"),
            Self::Stored(v) => write!(f, "stored version {v}"),
            Self::Draft => f.write_str("the draft (not stored; shown as version 0)"),
        }
    }
}

/// The outcome of a dry run. PHI-free: rule names, lines, reasons, categories, counts.
#[derive(Clone, Debug)]
pub struct DryRun {
    /// Which policy was evaluated.
    pub source: PolicySource,
    /// Whether the recipient counted as internal.
    pub internal: bool,
    /// The decision for the recipient (action, deciding rule, rules that fired and why).
    pub decision: Decision,
    /// [`Decision::explain`]: the decision in lines of text.
    pub explanation: String,
    /// One line about what screening found ([`verdict_summary`]).
    pub summary: String,
}

/// Screen a message and decide for one recipient, as the gateway would; nothing is sent or
/// stored. The look at the message is recorded (`audit.queried`, `query = "policy_test"`)
/// before it is screened. The recipient counts as internal when its domain is the sender's
/// or that of one of the organisation's users.
pub async fn dry_run(
    store: &SharedStore,
    input: DryRunInput,
    request: &Request,
) -> Result<DryRun, Error> {
    let DryRunInput {
        tenant,
        message,
        to,
        from,
        document,
        sender_groups,
    } = input;
    let recipient = EmailAddress::parse(to.trim()).map_err(|e| Error::InvalidAddress {
        field: "to",
        reason: e.to_string(),
    })?;
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(Error::MessageTooLarge {
            limit: MAX_MESSAGE_BYTES,
        });
    }
    let sender = match from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => EmailAddress::parse(f).map_err(|e| Error::InvalidAddress {
            field: "from",
            reason: e.to_string(),
        })?,
        None => header_from(&message).ok_or(Error::NoSender)?,
    };
    let (policy, source) = match document {
        Some(text) => {
            let doc = PolicyDocument::parse(&text).map_err(Error::InvalidPolicy)?;
            (Policy::new(doc, 0), PolicySource::Draft)
        }
        None => {
            let p = active_policy(store, tenant).await?;
            let source = match p.version() {
                0 => PolicySource::BuiltInDefault,
                v => PolicySource::Stored(v),
            };
            (p, source)
        }
    };
    let users = store.users(tenant).await?;
    let internal = recipient.domain() == sender.domain()
        || users
            .iter()
            .any(|u| u.address.domain() == recipient.domain());
    let sender_groups = match sender_groups {
        Some(groups) => groups,
        None => match users.iter().find(|u| u.address == sender) {
            Some(person) => store
                .groups_of_user(person.id)
                .await?
                .into_iter()
                .map(|g| g.name)
                .collect(),
            None => Vec::new(),
        },
    };

    // The look at the message is recorded before anything derived from it is shown.
    let event = request
        .event(audit::EventKind::AuditQueried)
        .with_tenant(tenant)
        .with_detail("query", "policy_test")
        .with_detail("policy_version", policy.version());
    store.append_audit(&[event]).await?;

    // CPU-bound (text extraction, PDF and office documents, the detector).
    let verdict = tokio::task::spawn_blocking(move || screening::Screener::new().screen(&message))
        .await
        .map_err(|_| Error::Screening)?;
    let facts = verdict.facts(&sender, sender_groups, &recipient, internal);
    let decision = policy.evaluate(&facts);
    Ok(DryRun {
        source,
        internal,
        explanation: decision.explain(),
        decision,
        summary: verdict_summary(&verdict, internal),
    })
}

/// One line about what screening found: PHI or not, categories with counts and best scores,
/// unscannable reasons, attachment types, size, the recipient's scope. Never a value.
pub fn verdict_summary(v: &MessageVerdict, internal: bool) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let categories = if v.categories.is_empty() {
        "none".to_string()
    } else {
        v.categories
            .iter()
            .map(|c| {
                format!(
                    "{} x{} (max score {:.2})",
                    c.label.as_str(),
                    c.count,
                    c.max_score
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let basis = if v.phi_basis.is_empty() {
        String::new()
    } else {
        format!(
            " on {}",
            v.phi_basis
                .iter()
                .map(|b| b.description())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    let taken_back = if v.model_took_back {
        "; the detector's model judged some identifier-shaped findings not a patient's"
    } else {
        ""
    };
    format!(
        "Screening: PHI {}{basis} (in the subject: {}); categories: {}; unscannable: {}; \
         attachment types: {}; size {} bytes; recipient is {}{taken_back}",
        yes_no(v.phi),
        yes_no(v.phi_in_subject),
        categories,
        list(&v.unscannable),
        list(&v.attachment_types),
        v.size_bytes,
        if internal { "internal" } else { "external" }
    )
}

/// The first 16 hex digits of the SHA-256 of `text` (enough to tell versions apart).
pub fn sha256_prefix(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

/// The first mailbox of the message's From: header, read from the header section only
/// (folded lines joined). Handles `Name <local@domain>` and a bare `local@domain`; anything
/// else (no From:, a group, an encoded address) gives `None` and the caller must name the
/// sender.
pub fn header_from(raw: &[u8]) -> Option<EmailAddress> {
    let head = &raw[..raw.len().min(MAX_HEADER_BYTES)];
    let mut value: Option<String> = None;
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break; // end of the header section
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            if let Some(v) = value.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if value.is_some() {
            break; // the From: field ended
        }
        if let Some((field, rest)) = line.split_once(':')
            && field.trim_end().eq_ignore_ascii_case("from")
        {
            value = Some(rest.trim().to_string());
        }
    }
    let value = value?;
    let candidate = match value.rfind('<') {
        Some(open) => {
            let rest = &value[open + 1..];
            &rest[..rest.find('>')?]
        }
        None => value
            .split([' ', '\t', ','])
            .find(|w| w.contains('@'))?
            .trim_matches(|c| matches!(c, '"' | '\'' | '(' | ')' | ';')),
    };
    EmailAddress::parse(candidate.trim()).ok()
}

#[cfg(test)]
mod tests {
    use audit::EventKind;

    use super::*;
    use crate::testing::{events, request, world};

    /// Synthetic: the SSN is in the SSA's well-known invalid example range.
    const SSN_MESSAGE: &str = "From: Front Desk <frontdesk@clinic.test>\r\nTo: x@elsewhere.test\r\n\
        Subject: Zebra results\r\nContent-Type: text/plain\r\n\r\nPatient: Maria Gonzalez\r\n\
        SSN: 219-09-9999\r\n";

    const QUARANTINE_SSN: &str = "format = 1\n\n[[rule]]\nname = \"ssn-quarantine\"\n\
        when = { categories = [\"SSN\"] }\naction = \"quarantine\"\n";

    fn from(raw: &str) -> Option<String> {
        header_from(raw.as_bytes()).map(|a| a.to_string())
    }

    fn input(w: &crate::testing::World, to: &str) -> DryRunInput {
        DryRunInput {
            tenant: w.clinic,
            message: SSN_MESSAGE.as_bytes().to_vec(),
            to: to.into(),
            from: None,
            document: None,
            sender_groups: None,
        }
    }

    #[test]
    fn from_header_is_read_in_its_common_forms() {
        assert_eq!(
            from("From: Front Desk <frontdesk@clinic.example>\r\nTo: x@y.example\r\n\r\nhi"),
            Some("frontdesk@clinic.example".into())
        );
        assert_eq!(
            from("Subject: s\nfrom: frontdesk@clinic.example\n\nbody"),
            Some("frontdesk@clinic.example".into())
        );
        assert_eq!(
            from("From: \"Doe, J <x>\"\r\n <dr.doe@clinic.example>\r\nTo: a@b.example\r\n\r\n"),
            Some("dr.doe@clinic.example".into())
        );
    }

    #[test]
    fn from_header_missing_or_unusable_gives_none() {
        assert_eq!(from("To: a@b.example\r\n\r\nFrom: x@y.example\r\n"), None);
        assert_eq!(from("From: undisclosed-recipients:;\r\n\r\n"), None);
        assert_eq!(from("From: <>\r\n\r\n"), None);
        assert_eq!(from(""), None);
    }

    #[test]
    fn the_default_policy_is_version_0() {
        assert_eq!(default_policy().version(), 0);
    }

    #[test]
    fn sha256_prefix_is_16_hex_digits() {
        let p = sha256_prefix("format = 1\n");
        assert_eq!(p.len(), 16);
        assert!(p.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[tokio::test]
    async fn a_valid_document_is_stored_as_the_next_version_with_its_audit_event() {
        let w = world().await;
        assert!(
            current(&w.store, w.clinic)
                .await
                .expect("current")
                .is_built_in()
        );
        let stored = store_document(&w.store, w.clinic, QUARANTINE_SSN, &request())
            .await
            .expect("stored");
        assert_eq!(
            stored,
            Stored::Version {
                version: 1,
                previous: 0
            }
        );
        let now = current(&w.store, w.clinic).await.expect("current");
        assert_eq!((now.version, now.rules), (1, Some(1)));
        assert_eq!(now.author, "system:test");
        let again = store_document(&w.store, w.clinic, QUARANTINE_SSN, &request())
            .await
            .expect("unchanged");
        assert_eq!(again, Stored::Unchanged(1));
        let changed = events(&w, &[EventKind::AdminPolicyChanged]).await;
        assert_eq!(
            changed.len(),
            1,
            "an unchanged document is not stored again"
        );
        assert_eq!(changed[0].details["sha256"], sha256_prefix(QUARANTINE_SSN));
        assert_eq!(changed[0].source_ip, request().source_ip);
        // The other organisation still has the built-in default.
        assert_eq!(current(&w.store, w.other).await.expect("other").version, 0);
    }

    #[tokio::test]
    async fn an_invalid_document_is_refused_with_its_line_and_nothing_changes() {
        let w = world().await;
        let bad = "format = 1\n\n[[rule]]\nname = \"x\"\naction = \"teleport\"\n";
        let err = store_document(&w.store, w.clinic, bad, &request())
            .await
            .expect_err("invalid");
        let Error::InvalidPolicy(e) = &err else {
            panic!("expected an invalid policy, got {err}");
        };
        assert_eq!(e.line, 5, "{err}");
        assert!(err.to_string().starts_with("line 5, column "), "{err}");
        assert_eq!(
            current(&w.store, w.clinic).await.expect("current").version,
            0
        );
        assert!(
            events(&w, &[EventKind::AdminPolicyChanged])
                .await
                .is_empty()
        );
        assert!(matches!(
            version(&w.store, w.clinic, 1).await,
            Err(Error::NoSuchVersion(1))
        ));
    }

    #[tokio::test]
    async fn a_dry_run_explains_the_decision_and_is_audited_before_anything_is_shown() {
        let w = world().await;
        let run = dry_run(&w.store, input(&w, "someone@elsewhere.test"), &request())
            .await
            .expect("dry run");
        assert_eq!(run.source, PolicySource::BuiltInDefault);
        assert!(!run.internal);
        assert!(
            run.explanation.contains("Policy version 0"),
            "{}",
            run.explanation
        );
        assert!(
            run.explanation.contains("ssn-external-portal"),
            "{}",
            run.explanation
        );
        assert!(
            run.summary.contains("recipient is external"),
            "{}",
            run.summary
        );
        // PHI-free: no SSN digits, no address, no subject.
        for text in [&run.explanation, &run.summary] {
            for phi in [
                "219-09-9999",
                "elsewhere.test",
                "Zebra",
                "Gonzalez",
                "frontdesk",
            ] {
                assert!(!text.contains(phi), "{phi} leaked into {text}");
            }
        }
        let queried = events(&w, &[EventKind::AuditQueried]).await;
        assert_eq!(queried.len(), 1);
        assert_eq!(queried[0].details["query"], "policy_test");
    }

    #[tokio::test]
    async fn a_dry_run_of_a_draft_uses_the_draft_and_an_invalid_draft_is_refused() {
        let w = world().await;
        let mut draft = input(&w, "someone@elsewhere.test");
        draft.document = Some(QUARANTINE_SSN.into());
        let run = dry_run(&w.store, draft, &request()).await.expect("draft");
        assert_eq!(run.source, PolicySource::Draft);
        assert_eq!(run.decision.action, policy::Action::Quarantine);
        assert_eq!(run.decision.decided_by.as_deref(), Some("ssn-quarantine"));

        let mut bad = input(&w, "someone@elsewhere.test");
        bad.document = Some("format = 1\nnonsense = [\n".into());
        assert!(matches!(
            dry_run(&w.store, bad, &request()).await,
            Err(Error::InvalidPolicy(_))
        ));
        // The refused draft never looked at the message.
        assert_eq!(events(&w, &[EventKind::AuditQueried]).await.len(), 1);
    }

    #[tokio::test]
    async fn an_edit_of_an_older_version_is_refused_and_the_newer_one_stays() {
        let w = world().await;
        // Two editors open version 0 (the default); the first stores version 1.
        let first = store_edit(&w.store, w.clinic, QUARANTINE_SSN, Some(0), &request())
            .await
            .expect("first");
        assert_eq!(
            first,
            Stored::Version {
                version: 1,
                previous: 0
            }
        );
        // The second, still editing from version 0, is told and nothing is stored.
        let other = "format = 1\n";
        match store_edit(&w.store, w.clinic, other, Some(0), &request()).await {
            Err(Error::PolicySuperseded {
                base: 0,
                current: 1,
            }) => {}
            other => panic!("not refused: {other:?}"),
        }
        assert_eq!(
            current(&w.store, w.clinic).await.expect("current").version,
            1
        );
        // Editing from version 1 works.
        let again = store_edit(&w.store, w.clinic, other, Some(1), &request())
            .await
            .expect("based on 1");
        assert_eq!(
            again,
            Stored::Version {
                version: 2,
                previous: 1
            }
        );
    }

    /// Quarantines mail from the billing group; everyone else keeps the default rules.
    const BILLING_QUARANTINE: &str = "format = 1\n\n[[rule]]\nname = \"billing-held\"\n\
        when = { sender_groups = [\"billing\"] }\naction = \"quarantine\"\n";

    #[tokio::test]
    async fn a_dry_run_applies_the_groups_of_the_sender_as_the_gateway_would() {
        let w = world().await;
        let member = |address: &str| storage::User {
            id: model::UserId::new(),
            tenant: w.clinic,
            address: EmailAddress::parse(address).expect("address"),
            role: model::Role::Sender,
            password_hash: None,
            must_change_password: false,
            disabled: false,
            created: Timestamp::from_millis(0),
        };
        let frontdesk = member("frontdesk@clinic.test");
        let billing_clerk = member("billing@clinic.test");
        for u in [&frontdesk, &billing_clerk] {
            w.store.create_user(u, &[]).await.expect("user");
        }
        let group = crate::groups::create(&w.store, w.clinic, "billing", &request())
            .await
            .expect("group");
        crate::groups::add_member(
            &w.store,
            w.clinic,
            &group,
            "billing@clinic.test",
            &request(),
        )
        .await
        .expect("member");
        let run_from = |from: &str, groups: Option<Vec<String>>| {
            let mut i = input(&w, "someone@elsewhere.test");
            i.from = Some(from.into());
            i.document = Some(BILLING_QUARANTINE.into());
            i.sender_groups = groups;
            i
        };
        // A member: the rule fires. Not a member, or not a person of the organisation: not.
        let run = dry_run(&w.store, run_from("billing@clinic.test", None), &request())
            .await
            .expect("member");
        assert_eq!(run.decision.decided_by.as_deref(), Some("billing-held"));
        for from in ["frontdesk@clinic.test", "billing@elsewhere.test"] {
            let run = dry_run(&w.store, run_from(from, None), &request())
                .await
                .expect("non-member");
            assert_ne!(run.decision.action, policy::Action::Quarantine, "{from}");
        }
        // Groups given explicitly replace the look-up.
        let run = dry_run(
            &w.store,
            run_from("frontdesk@clinic.test", Some(vec!["billing".into()])),
            &request(),
        )
        .await
        .expect("explicit");
        assert_eq!(run.decision.decided_by.as_deref(), Some("billing-held"));
    }

    #[tokio::test]
    async fn a_dry_run_to_the_senders_own_domain_is_internal() {
        let w = world().await;
        let run = dry_run(&w.store, input(&w, "colleague@clinic.test"), &request())
            .await
            .expect("dry run");
        assert!(run.internal);
        assert!(
            !run.explanation.contains("ssn-external-portal"),
            "{}",
            run.explanation
        );
    }

    #[tokio::test]
    async fn a_dry_run_refuses_bad_addresses_and_a_missing_sender_without_reading() {
        let w = world().await;
        let err = dry_run(&w.store, input(&w, "not an address"), &request())
            .await
            .expect_err("bad to");
        assert!(
            matches!(err, Error::InvalidAddress { field: "to", .. }),
            "{err}"
        );
        let mut no_from = input(&w, "a@elsewhere.test");
        no_from.message = b"Subject: x\r\n\r\nbody\r\n".to_vec();
        let err = dry_run(&w.store, no_from, &request())
            .await
            .expect_err("no sender");
        assert!(matches!(err, Error::NoSender), "{err}");
        let mut bad_from = input(&w, "a@elsewhere.test");
        bad_from.from = Some("@@".into());
        let err = dry_run(&w.store, bad_from, &request())
            .await
            .expect_err("bad from");
        assert!(
            matches!(err, Error::InvalidAddress { field: "from", .. }),
            "{err}"
        );
        assert!(events(&w, &[EventKind::AuditQueried]).await.is_empty());
    }

    #[tokio::test]
    async fn a_stored_policy_that_no_longer_parses_is_an_error_not_the_default() {
        let w = world().await;
        w.store
            .put_policy(
                w.clinic,
                "format = 1\nbroken = [\n",
                "system:test",
                request().now,
                &[],
            )
            .await
            .expect("stored by hand");
        let err = active_policy(&w.store, w.clinic).await.expect_err("broken");
        assert!(
            matches!(err, Error::StoredPolicyInvalid { version: 1, .. }),
            "{err}"
        );
    }
}
