//! `carepost policy …`: show, replace, list and dry-run the organisation's policy. A thin
//! command-line front end over `operations::policy_admin`, which holds the logic shared with
//! the REST API and the console: validation before anything is stored (an invalid document
//! is refused here with `FILE:LINE:COLUMN: reason` and the version in force stays), one
//! `admin.policy_changed` audit event per stored version in the same transaction, and the
//! built-in default in force as version 0 until a document is stored.
//!
//! **PHI:** `policy test` reads a message, so an `audit.queried` event
//! (`query = "policy_test"`) is recorded before anything is printed. What it prints names
//! rules, categories, counts and scores; never a matched value, and never an address.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use model::EmailAddress;
use operations::policy_admin::{self, Stored};
use policy::PolicyDocument;
use storage::{SharedStore, Tenant};

use crate::config::Config;
use crate::setup;

/// Largest message `policy test` reads.
const MAX_MESSAGE_BYTES: u64 = policy_admin::MAX_MESSAGE_BYTES as u64;

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
    /// otherwise it is external. When the sender is a person of the organisation, their
    /// groups apply, as they would for mail they submit with their app password.
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

async fn show(rt: &setup::Runtime, tenant: &Tenant, version: Option<u64>) -> anyhow::Result<()> {
    let v = match version {
        Some(n) => match policy_admin::version(&rt.store, tenant.id, n).await {
            Err(operations::Error::NoSuchVersion(n)) => {
                bail!("{} has no policy version {n}", tenant.name)
            }
            other => other?,
        },
        None => policy_admin::current(&rt.store, tenant.id).await?,
    };
    match (v.created, version) {
        (Some(created), _) => eprintln!(
            "policy version {} of {}, stored {} by {}",
            v.version,
            tenant.name,
            created.to_rfc3339(),
            v.author
        ),
        (None, None) => eprintln!(
            "no policy stored for {}: this is the built-in default policy (version 0)",
            tenant.name
        ),
        (None, Some(_)) => eprintln!("the built-in default policy (version 0)"),
    }
    print_document(&v.document);
    Ok(())
}

async fn set(rt: &setup::Runtime, tenant: &Tenant, file: &Path) -> anyhow::Result<()> {
    let (name, text) = read_document(file)?;
    parse_document(&name, &text)?;
    let request = operations::Request {
        actor: setup::audit_actor(),
        source_ip: None,
        now: rt.clock.now(),
    };
    let stored = match policy_admin::store_document(&rt.store, tenant.id, &text, &request).await {
        Err(operations::Error::InvalidPolicy(e)) => {
            bail!("{name}:{}:{}: {}", e.line, e.column, e.kind)
        }
        other => other?,
    };
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
    let versions = policy_admin::history(&rt.store, tenant.id).await?;
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
    for v in &versions {
        let rules = v
            .rules
            .map_or_else(|| "invalid".to_string(), |n| n.to_string());
        println!(
            "{:>7}  {:<24}  {:<20}  {:<16}  {rules}",
            v.version,
            v.created.map(|c| c.to_rfc3339()).unwrap_or_default(),
            v.author,
            v.sha256
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
    // The recipient is checked before the message is read (a typo fails fast).
    EmailAddress::parse(to).map_err(|e| anyhow!("--to: {e}"))?;
    let raw = read_message(message)?;
    let draft = match policy_file {
        Some(path) => {
            let (name, text) = read_document(path)?;
            parse_document(&name, &text)?;
            Some((name, text))
        }
        None => None,
    };
    let request = operations::Request {
        actor: setup::audit_actor(),
        source_ip: None,
        now: rt.clock.now(),
    };
    let input = policy_admin::DryRunInput {
        tenant: tenant.id,
        message: raw,
        to: to.to_string(),
        from: from.map(str::to_string),
        document: draft.as_ref().map(|(_, text)| text.clone()),
        // The sender's groups, as the gateway would see them.
        sender_groups: None,
    };
    let run = match policy_admin::dry_run(&rt.store, input, &request).await {
        Ok(run) => run,
        Err(operations::Error::InvalidAddress { field, reason }) => {
            bail!("--{field}: {reason}")
        }
        Err(operations::Error::NoSender) => {
            bail!("the message has no From: address carepost can read; name the sender with --from")
        }
        Err(e) => return Err(e.into()),
    };
    let source = match (&draft, run.source) {
        (Some((name, _)), _) => format!("{name} (not stored; shown as version 0)"),
        (None, source) => source.to_string(),
    };
    eprintln!("evaluating {} of {}", source, tenant.name);
    print!("{}", run.explanation);
    println!("{}", run.summary);
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        assert_eq!(line_col(b""), (1, 1));
        assert_eq!(line_col("a\nbé".as_bytes()), (2, 3));
    }
}
