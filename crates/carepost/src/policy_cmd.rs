//! `carepost policy …`: show, replace, list and dry-run the organisation's policy.
//!
//! The policy is a TOML document (docs/POLICY.md) kept in the database, one row per version
//! (`storage::PolicyStore`). `set` validates a document with `policy::PolicyDocument::parse`
//! before anything is stored: an invalid one is refused with `FILE:LINE:COLUMN: reason` and
//! the version in force stays in force. Every stored version carries an
//! `admin.policy_changed` audit event, committed in the same transaction.
//!
//! Until a document is stored, the built-in default ([`PolicyDocument::default_document`])
//! is in force as version 0. [`active_policy`] is the one place that makes that choice, for
//! this command and for the services that decide on mail.
//!
//! **PHI:** `policy test` reads a message, so it records an `audit.queried` event
//! (`query = "policy_test"`) before it prints anything. What it prints names rules,
//! categories, counts and scores; never a matched value, and never an address.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use audit::{AuditEvent, EventKind};
use clap::Subcommand;
use model::{EmailAddress, TenantId};
use policy::{Policy, PolicyDocument};
use screening::MessageVerdict;
use sha2::{Digest, Sha256};
use storage::{SharedStore, StorageError, Tenant};

use crate::config::Config;
use crate::setup;

/// Largest message `policy test` reads.
const MAX_MESSAGE_BYTES: u64 = 50 * 1024 * 1024;
/// How much of a message's start is searched for its header section (the From: line).
const MAX_HEADER_BYTES: usize = 256 * 1024;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Print the policy document in force (or an older version) on standard output. While no
    /// policy is stored, prints the built-in default (version 0).
    Show {
        /// Print this stored version instead of the one in force (0: the built-in default).
        #[arg(long, value_name = "N")]
        version: Option<u64>,
        /// Organisation name (default: the first organisation).
        #[arg(long, value_name = "NAME")]
        tenant: Option<String>,
    },
    /// Validate a policy document and store it as the next version. An invalid document is
    /// refused with FILE:LINE:COLUMN and the reason, and nothing changes; a document identical
    /// to the one in force is not stored again.
    Set {
        /// The TOML document (`-` reads standard input).
        file: PathBuf,
        /// Organisation name (default: the first organisation).
        #[arg(long, value_name = "NAME")]
        tenant: Option<String>,
    },
    /// List the stored versions, oldest first: version, time, author, the first 16 hex
    /// digits of the document's SHA-256 and its number of rules.
    History {
        /// Organisation name (default: the first organisation).
        #[arg(long, value_name = "NAME")]
        tenant: Option<String>,
    },
    /// Dry run: screen a message and explain what the policy decides for one recipient and
    /// why. Nothing is sent or stored; the look at the message is recorded in the audit log.
    ///
    /// The message is screened exactly as the gateway screens mail. The sender is --from, or
    /// the address in the message's From: header. The recipient counts as internal when its
    /// domain is the sender's domain or the domain of one of the organisation's users;
    /// otherwise it is external. Sender groups are not applied (the rules see none).
    Test {
        /// The message as a file (RFC 5322, e.g. saved .eml), or `-` for standard input.
        /// At most 50 MiB.
        message: PathBuf,
        /// The recipient to decide for. Internal if its domain is the sender's or that of one
        /// of the organisation's users; otherwise external.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
        /// The sender (default: the address in the message's From: header).
        #[arg(long, value_name = "ADDRESS")]
        from: Option<String>,
        /// Organisation name (default: the first organisation).
        #[arg(long, value_name = "NAME")]
        tenant: Option<String>,
        /// Evaluate this document instead of the stored policy (validated, not stored; shown
        /// as version 0).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
}

pub async fn policy(config: &Config, cmd: PolicyCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    match cmd {
        PolicyCommand::Show { version, tenant } => {
            let tenant = tenant_named(&rt.store, tenant.as_deref()).await?;
            show(&rt, &tenant, version).await
        }
        PolicyCommand::Set { file, tenant } => {
            let tenant = tenant_named(&rt.store, tenant.as_deref()).await?;
            set(&rt, &tenant, &file).await
        }
        PolicyCommand::History { tenant } => {
            let tenant = tenant_named(&rt.store, tenant.as_deref()).await?;
            history(&rt, &tenant).await
        }
        PolicyCommand::Test {
            message,
            to,
            from,
            tenant,
            policy,
        } => {
            let tenant = tenant_named(&rt.store, tenant.as_deref()).await?;
            dry_run(
                &rt,
                &tenant,
                &message,
                &to,
                from.as_deref(),
                policy.as_deref(),
            )
            .await
        }
    }
}

/// The policy in force for `tenant`: its highest stored version, or the built-in default as
/// version 0 while none is stored. A stored document that no longer parses (a newer carepost
/// tightened a rule, or the database was edited by hand) is an error, never a silent
/// fallback to the default: the caller must not decide on mail with a policy nobody chose.
pub async fn active_policy(store: &SharedStore, tenant: TenantId) -> anyhow::Result<Policy> {
    match store.current_policy(tenant).await? {
        Some(record) => {
            let doc = PolicyDocument::parse(&record.document).map_err(|e| {
                anyhow!(
                    "the stored policy version {} does not parse ({e}); store a valid one with \
                     `carepost policy set`",
                    record.version
                )
            })?;
            Ok(Policy::new(doc, record.version))
        }
        None => Ok(default_policy()),
    }
}

/// The built-in default document as version 0.
fn default_policy() -> Policy {
    let doc = PolicyDocument::parse(PolicyDocument::default_document())
        .expect("the shipped default policy parses (tested in crates/policy)");
    Policy::new(doc, 0)
}

async fn show(rt: &setup::Runtime, tenant: &Tenant, version: Option<u64>) -> anyhow::Result<()> {
    let record = match version {
        Some(0) => None,
        Some(n) => match rt.store.policy_version(tenant.id, n).await {
            Ok(r) => Some(r),
            Err(StorageError::NotFound) => {
                bail!("{} has no policy version {n}", tenant.name)
            }
            Err(e) => return Err(e.into()),
        },
        None => rt.store.current_policy(tenant.id).await?,
    };
    match record {
        Some(r) => {
            eprintln!(
                "policy version {} of {}, stored {} by {}",
                r.version,
                tenant.name,
                r.created.to_rfc3339(),
                r.author
            );
            print_document(&r.document);
        }
        None => {
            if version.is_none() {
                eprintln!(
                    "no policy stored for {}: this is the built-in default policy (version 0)",
                    tenant.name
                );
            } else {
                eprintln!("the built-in default policy (version 0)");
            }
            print_document(PolicyDocument::default_document());
        }
    }
    Ok(())
}

/// What storing a document did.
pub enum Stored {
    /// Identical to the version in force (given); nothing stored.
    Unchanged(u64),
    /// Stored as `version`, replacing `previous` (0 = the built-in default).
    Version { version: u64, previous: u64 },
}

/// Validate `text` and store it as the tenant's next policy version, with its audit event
/// in the same transaction. The CLI (`policy set`) and the API (`PUT /api/v1/policy`) both
/// come here. An invalid document is returned as `Err(PolicyError)` inside `Ok`, and
/// nothing is stored.
pub async fn store_document(
    store: &SharedStore,
    tenant: TenantId,
    text: &str,
    actor: audit::Actor,
    source_ip: Option<std::net::IpAddr>,
    now: model::Timestamp,
) -> anyhow::Result<Result<Stored, policy::PolicyError>> {
    let doc = match PolicyDocument::parse(text) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let current = store.current_policy(tenant).await?;
    if let Some(c) = &current
        && c.document == text
    {
        return Ok(Ok(Stored::Unchanged(c.version)));
    }
    let previous = current.as_ref().map_or(0, |c| c.version);
    // The store numbers the version inside its transaction, after this event is built, so
    // the event names the version the change replaced (as read just now) and the document's
    // hash; `policy history` ties the hash to the number. Recording a precomputed "new
    // version" instead could be wrong if two administrators store at the same moment.
    let mut event = AuditEvent::new(0, now, actor.clone(), EventKind::AdminPolicyChanged)
        .with_tenant(tenant)
        .with_detail("previous_version", previous)
        .with_detail("rules", doc.rules().len() as u64)
        .with_detail("sha256", sha256_prefix(text));
    if let Some(ip) = source_ip {
        event = event.with_source_ip(ip);
    }
    let author = storage::actor_key(&actor);
    let version = store
        .put_policy(tenant, text, &author, now, &[event])
        .await?;
    Ok(Ok(Stored::Version { version, previous }))
}

async fn set(rt: &setup::Runtime, tenant: &Tenant, file: &Path) -> anyhow::Result<()> {
    let (name, text) = read_document(file)?;
    parse_document(&name, &text)?;
    let stored = store_document(
        &rt.store,
        tenant.id,
        &text,
        setup::audit_actor(),
        None,
        rt.clock.now(),
    )
    .await?
    .map_err(|e| anyhow!("{name}:{}:{}: {}", e.line, e.column, e.kind))?;
    let (version, previous) = match stored {
        Stored::Unchanged(v) => {
            println!("policy unchanged: identical to version {v}; nothing stored");
            return Ok(());
        }
        Stored::Version { version, previous } => (version, previous),
    };
    if version != previous + 1 {
        eprintln!(
            "note: another policy change was stored at the same time; this document is version \
             {version}, replacing version {}",
            version - 1
        );
    }
    println!("policy version {version} stored");
    Ok(())
}

async fn history(rt: &setup::Runtime, tenant: &Tenant) -> anyhow::Result<()> {
    let versions = rt.store.policy_history(tenant.id).await?;
    if versions.is_empty() {
        eprintln!(
            "no policy stored for {}: the built-in default policy (version 0) is in force",
            tenant.name
        );
        return Ok(());
    }
    println!(
        "{:>7}  {:<24}  {:<20}  {:<16}  RULES",
        "VERSION", "CREATED", "AUTHOR", "SHA256"
    );
    for r in &versions {
        let rules = PolicyDocument::parse(&r.document)
            .map_or_else(|_| "invalid".to_string(), |d| d.rules().len().to_string());
        println!(
            "{:>7}  {:<24}  {:<20}  {:<16}  {rules}",
            r.version,
            r.created.to_rfc3339(),
            r.author,
            sha256_prefix(&r.document)
        );
    }
    Ok(())
}

async fn dry_run(
    rt: &setup::Runtime,
    tenant: &Tenant,
    message: &Path,
    to: &str,
    from: Option<&str>,
    policy_file: Option<&Path>,
) -> anyhow::Result<()> {
    let recipient = EmailAddress::parse(to).map_err(|e| anyhow!("--to: {e}"))?;
    let raw = read_message(message)?;
    let sender = match from {
        Some(f) => EmailAddress::parse(f).map_err(|e| anyhow!("--from: {e}"))?,
        None => header_from(&raw).context(
            "the message has no From: address carepost can read; name the sender with --from",
        )?,
    };
    let (policy, source) = match policy_file {
        Some(path) => {
            let (name, text) = read_document(path)?;
            let doc = parse_document(&name, &text)?;
            (
                Policy::new(doc, 0),
                format!("{name} (not stored; shown as version 0)"),
            )
        }
        None => {
            let p = active_policy(&rt.store, tenant.id).await?;
            let source = if p.version() == 0 {
                "the built-in default (no policy stored)".to_string()
            } else {
                format!("stored version {}", p.version())
            };
            (p, source)
        }
    };
    let users = rt.store.users(tenant.id).await?;
    let internal = recipient.domain() == sender.domain()
        || users
            .iter()
            .any(|u| u.address.domain() == recipient.domain());

    // The look at the message is recorded before anything derived from it is shown.
    let event = AuditEvent::new(
        0,
        rt.clock.now(),
        setup::audit_actor(),
        EventKind::AuditQueried,
    )
    .with_tenant(tenant.id)
    .with_detail("query", "policy_test")
    .with_detail("policy_version", policy.version());
    rt.store.append_audit(&[event]).await?;

    // CPU-bound (text extraction, PDF and office documents, the detector).
    let verdict = tokio::task::spawn_blocking(move || screening::Screener::new().screen(&raw))
        .await
        .context("screening the message")?;
    let facts = verdict.facts(&sender, Vec::new(), &recipient, internal);
    let decision = policy.evaluate(&facts);
    eprintln!("evaluating {} of {}", source, tenant.name);
    print!("{}", decision.explain());
    println!("{}", verdict_summary(&verdict, internal));
    Ok(())
}

/// One line about what screening found: PHI or not, categories with counts and best scores,
/// unscannable reasons, attachment types, size, the recipient's scope. Never a value.
fn verdict_summary(v: &MessageVerdict, internal: bool) -> String {
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
    format!(
        "Screening: PHI {} (in the subject: {}); categories: {}; unscannable: {}; attachment \
         types: {}; size {} bytes; recipient is {}",
        yes_no(v.phi),
        yes_no(v.phi_in_subject),
        categories,
        list(&v.unscannable),
        list(&v.attachment_types),
        v.size_bytes,
        if internal { "internal" } else { "external" }
    )
}

/// The organisation named `name`, or the first one.
async fn tenant_named(store: &SharedStore, name: Option<&str>) -> anyhow::Result<Tenant> {
    let tenants = store.tenants().await?;
    match name {
        Some(name) => tenants
            .into_iter()
            .find(|t| t.name == name)
            .with_context(|| format!("no organisation named {name:?}")),
        None => tenants
            .into_iter()
            .next()
            .context("no organisation yet: run `carepost init`"),
    }
}

/// A policy document from a file (or `-`, standard input): its name for messages and its
/// text. Over the parser's size limit or not UTF-8 is refused here, without reading on.
fn read_document(path: &Path) -> anyhow::Result<(String, String)> {
    let limit = policy::MAX_DOCUMENT_BYTES as u64;
    let (name, bytes) = read_limited(path, limit, "<stdin>")?;
    if bytes.len() as u64 > limit {
        bail!("{name}: the document is larger than the limit of {limit} bytes");
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        anyhow!("{name}:{line}:{column}: the document is not UTF-8 text")
    })?;
    Ok((name, text))
}

/// Parse a document, reporting `NAME:LINE:COLUMN: reason` on failure.
fn parse_document(name: &str, text: &str) -> anyhow::Result<PolicyDocument> {
    PolicyDocument::parse(text).map_err(|e| anyhow!("{name}:{}:{}: {}", e.line, e.column, e.kind))
}

/// A message from a file or `-` (standard input), at most [`MAX_MESSAGE_BYTES`].
fn read_message(path: &Path) -> anyhow::Result<Vec<u8>> {
    let (name, bytes) = read_limited(path, MAX_MESSAGE_BYTES, "standard input")?;
    if bytes.len() as u64 > MAX_MESSAGE_BYTES {
        bail!(
            "{name} is larger than {} MiB",
            MAX_MESSAGE_BYTES / 1024 / 1024
        );
    }
    Ok(bytes)
}

/// Read at most `limit + 1` bytes (so the caller can tell "too large") from `path`, or from
/// standard input for `-`. Returns the name to use in messages.
fn read_limited(path: &Path, limit: u64, stdin_name: &str) -> anyhow::Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        return Ok((stdin_name.to_string(), bytes));
    }
    let name = path.display().to_string();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .with_context(|| format!("reading {name}"))?;
    Ok((name, bytes))
}

/// 1-based line and column (in characters) just after `prefix`.
fn line_col(prefix: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn print_document(text: &str) {
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
}

/// The first 16 hex digits of the SHA-256 of `text` (enough to tell versions apart).
fn sha256_prefix(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

/// The first mailbox of the message's From: header, read from the header section only
/// (folded lines joined). Handles `Name <local@domain>` and a bare `local@domain`; anything
/// else (no From:, a group, an encoded address) gives `None` and the caller asks for
/// `--from`.
fn header_from(raw: &[u8]) -> Option<EmailAddress> {
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
    use super::*;

    fn from(raw: &str) -> Option<String> {
        header_from(raw.as_bytes()).map(|a| a.to_string())
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

    #[test]
    fn line_col_counts_lines_and_characters() {
        assert_eq!(line_col(b""), (1, 1));
        assert_eq!(line_col("a\nbé".as_bytes()), (2, 3));
    }
}
