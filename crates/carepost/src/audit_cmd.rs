//! `carepost audit …`: verify the trail (live or an export), export it, prove how a message
//! travelled, search it, sign a head now, list a patient's disclosures, purge old content.
//!
//! Verification trusts only public keys from files (`--key`, default the data directory's
//! audit-signing.pub) and heads kept outside the database (the head file, witnesses),
//! never anything read from the database it checks.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use audit::{AuditEvent, EventKind, SignedTreeHead, Subject, TrustedKeys};
use audit_trail::{AuditTrail, HeadFile, HeadPublisher, Receipt, WitnessClient};
use clap::Subcommand;
use model::{MessageId, RecipientId, Timestamp};
use storage::{AuditFilter, SharedStore};

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify the audit log: the live store, or an export file offline (--file). Exits 1
    /// and says what is wrong on a modified, deleted, inserted, reordered or truncated
    /// event or a head signed by an unknown key.
    Verify {
        /// Check this export file instead of the live store (needs no database).
        #[arg(long, value_name = "EXPORT")]
        file: Option<PathBuf>,
        /// Trusted log public key (PEM); repeatable. Default: <data_dir>/audit-signing.pub.
        #[arg(long = "key", value_name = "PEM")]
        keys: Vec<PathBuf>,
        /// Check against every head in this head file (default for the live store: the
        /// configured audit.head_file).
        #[arg(long, value_name = "FILE")]
        head_file: Option<PathBuf>,
        /// Also check against the last head this witness countersigned; repeatable.
        /// Default for the live store: the configured audit.witnesses.
        #[arg(long = "witness", value_name = "URL")]
        witnesses: Vec<String>,
    },
    /// Export the whole log as JSON Lines (events, signed heads, a closing head over all).
    Export {
        /// Output file (created; refused if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print how each copy of a message travelled, with inclusion proofs and a signed head.
    Proof {
        /// The message id (from `queue list` or the SMTP reply).
        message_id: String,
        /// Print the receipt as JSON (what `audit verify-proof` checks).
        #[arg(long)]
        json: bool,
    },
    /// Check a receipt saved from `audit proof --json` offline.
    VerifyProof {
        /// The receipt file.
        file: PathBuf,
        /// Trusted log public key (PEM); repeatable. Default: <data_dir>/audit-signing.pub.
        #[arg(long = "key", value_name = "PEM")]
        keys: Vec<PathBuf>,
    },
    /// Find events (JSON lines), oldest first.
    Search {
        /// At or after (RFC 3339 or YYYY-MM-DD, UTC).
        #[arg(long)]
        from: Option<String>,
        /// Before (RFC 3339 or YYYY-MM-DD, UTC).
        #[arg(long)]
        until: Option<String>,
        /// Actor: user:ID, device:NAME, system:COMPONENT or api_key:ID.
        #[arg(long)]
        actor: Option<String>,
        /// Event kind (e.g. delivery.delivered); repeatable.
        #[arg(long = "kind")]
        kinds: Vec<String>,
        /// Message id.
        #[arg(long)]
        message: Option<String>,
        /// Recipient copy id.
        #[arg(long)]
        recipient: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 1000)]
        limit: u32,
    },
    /// Sign a tree head now, publish it, and print it.
    Head,
    /// Accounting of disclosures (HIPAA 164.528): every disclosure of a patient's
    /// information the log knows of, as CSV.
    Disclosures {
        /// The patient identifier the senders used (e.g. the MRN in X-Carepost-Patient).
        #[arg(long)]
        patient: String,
        /// From (RFC 3339 or YYYY-MM-DD). Default: six years ago.
        #[arg(long)]
        from: Option<String>,
        /// Until, exclusive (RFC 3339 or YYYY-MM-DD). Default: now.
        #[arg(long)]
        until: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Purge the content of events older than audit.retention_days (leaf hashes stay).
    Purge,
}

pub async fn audit(config: &Config, cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify {
            file: Some(file),
            keys,
            head_file,
            witnesses,
        } => {
            let trusted = trusted_keys(config, &keys)?;
            let mut known = match &head_file {
                Some(path) => HeadFile::new(path).read()?,
                None => Vec::new(),
            };
            known.extend(witness_heads(&witnesses, &[]).await?);
            verify_file(&file, &trusted, &known)
        }
        AuditCommand::VerifyProof { file, keys } => {
            let trusted = trusted_keys(config, &keys)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let receipt: Receipt = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!("{} is not a receipt (line {})", file.display(), e.line())
            })?;
            match audit_trail::verify_receipt(&receipt, &trusted) {
                Ok(()) => {
                    println!(
                        "receipt OK: {} events of message {} are in the log of size {} signed by {}",
                        receipt.events.len(),
                        receipt.message,
                        receipt.head.head.tree_size,
                        receipt.head.head.key_id
                    );
                    Ok(())
                }
                Err(e) => bail!("receipt FAILED verification: {e}"),
            }
        }
        other => {
            let rt = setup::open(config).await?;
            live(config, &rt, other).await
        }
    }
}

async fn live(config: &Config, rt: &setup::Runtime, cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify {
            keys,
            head_file,
            witnesses,
            ..
        } => {
            let trusted = trusted_keys(config, &keys)?;
            let head_path = head_file.unwrap_or_else(|| config.audit_head_file());
            let mut external = HeadFile::new(&head_path).read()?;
            let from_file = external.len();
            let configured: Vec<(String, String)> = config
                .audit
                .witnesses
                .iter()
                .map(|w| (w.url.clone(), w.key.clone()))
                .collect();
            let witness_heads = if witnesses.is_empty() {
                witness_heads(&[], &configured).await?
            } else {
                witness_heads(&witnesses, &[]).await?
            };
            let from_witnesses = witness_heads.len();
            external.extend(witness_heads);
            match audit_trail::verify_store(rt.store.clone(), trusted, external).await {
                Ok(report) => {
                    println!(
                        "audit log OK: {} events verified under {} signed heads (last size {}, root {}); \
                         checked against {from_file} heads in {} and {from_witnesses} witness heads",
                        report.verified.events,
                        report.verified.heads,
                        report.verified.last_size,
                        hex::encode(report.verified.last_root),
                        head_path.display(),
                    );
                    if report.uncovered > 0 {
                        println!(
                            "{} newer events are not yet covered by a signed head (the next is due within audit.sign_interval_secs)",
                            report.uncovered
                        );
                    }
                    Ok(())
                }
                Err(e) => bail!("audit log FAILED verification: {e}"),
            }
        }
        AuditCommand::Export { out } => {
            let trail = open_trail(config, rt, false).await?;
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .with_context(|| format!("creating {}", out.display()))?;
            let summary = trail.export(Box::new(file)).await?;
            let event = AuditEvent::new(
                0,
                rt.clock.now(),
                setup::audit_actor(),
                EventKind::AuditExported,
            )
            .with_detail("events", summary.events)
            .with_detail("tree_size", summary.closing.head.tree_size);
            rt.store.append_audit(&[event]).await?;
            eprintln!(
                "exported {} events and {} heads to {} (closing head: size {}, key {})",
                summary.events,
                summary.heads,
                out.display(),
                summary.closing.head.tree_size,
                summary.closing.head.key_id
            );
            Ok(())
        }
        AuditCommand::Proof { message_id, json } => {
            let id = MessageId(
                message_id
                    .parse()
                    .map_err(|_| anyhow::anyhow!("{message_id:?} is not a message id"))?,
            );
            let trail = open_trail(config, rt, true).await?;
            let receipt = match trail.receipt(id).await {
                Ok(r) => r,
                Err(audit_trail::TrailError::NoEvents) => {
                    bail!("no audit events for message {id}")
                }
                Err(e) => return Err(e.into()),
            };
            record_query(rt, "proof", Some(id)).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&receipt)?);
            } else {
                print!("{}", describe_receipt(&rt.store, &receipt).await?);
            }
            Ok(())
        }
        AuditCommand::Search {
            from,
            until,
            actor,
            kinds,
            message,
            recipient,
            limit,
        } => {
            let filter = AuditFilter {
                from: from.as_deref().map(parse_time).transpose()?,
                until: until.as_deref().map(parse_time).transpose()?,
                kinds: kinds
                    .iter()
                    .map(|k| {
                        k.parse::<EventKind>()
                            .map_err(|_| anyhow::anyhow!("unknown event kind {k:?}"))
                    })
                    .collect::<anyhow::Result<_>>()?,
                actor,
                message: message
                    .as_deref()
                    .map(|m| m.parse().map(MessageId))
                    .transpose()
                    .map_err(|_| anyhow::anyhow!("--message is not a message id"))?,
                recipient: recipient
                    .as_deref()
                    .map(|r| r.parse().map(RecipientId))
                    .transpose()
                    .map_err(|_| anyhow::anyhow!("--recipient is not a recipient id"))?,
                limit,
                ..AuditFilter::default()
            };
            let found = rt.store.find_audit(&filter).await?;
            record_query(rt, "search", filter.message).await?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for e in found {
                writeln!(out, "{}", audit::event_line(&e)?)?;
            }
            Ok(())
        }
        AuditCommand::Head => {
            let trail = open_trail(config, rt, true).await?;
            let (stored, failures) = trail.sign_head().await?;
            println!("{}", audit::head_line(&stored.head));
            for c in &stored.cosignatures {
                eprintln!("countersigned by witness {}", c.witness_key_id);
            }
            for f in &failures {
                eprintln!("publishing failed: {f}");
            }
            if !failures.is_empty() {
                bail!("the head was signed and stored, but not every publisher took it");
            }
            Ok(())
        }
        AuditCommand::Disclosures {
            patient,
            from,
            until,
            out,
        } => {
            let now = rt.clock.now();
            let from = match from {
                Some(f) => parse_time(&f)?,
                None => now.minus(std::time::Duration::from_secs(6 * 366 * 86_400)),
            };
            let until = match until {
                Some(u) => parse_time(&u)?,
                None => now.plus(std::time::Duration::from_secs(1)),
            };
            let key = setup::patient_ref_key(&config.data_dir)?;
            let csv = crate::disclosures::report(&rt.store, &key, &patient, from, until).await?;
            record_query(rt, "disclosures", None).await?;
            match out {
                Some(path) => {
                    std::fs::write(&path, csv)
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{csv}"),
            }
            Ok(())
        }
        AuditCommand::Purge => {
            let purged = purge(config, rt).await?;
            println!(
                "purged the content of {purged} events older than {} days",
                config.audit.retention_days
            );
            Ok(())
        }
        AuditCommand::VerifyProof { .. } => Ok(()),
    }
}

/// Purge event content older than the retention period, below the newest signed head
/// (an event not yet covered by a head is never purged). Records what it did.
pub async fn purge(config: &Config, rt: &setup::Runtime) -> anyhow::Result<u64> {
    purge_store(config, &rt.store).await
}

/// [`purge`] for a store (the server's daily run).
pub async fn purge_store(config: &Config, store: &SharedStore) -> anyhow::Result<u64> {
    use model::Clock;
    let now = model::SystemClock.now();
    let cutoff = now.minus(std::time::Duration::from_secs(
        config.audit.retention_days.saturating_mul(86_400),
    ));
    let covered = store
        .latest_tree_head()
        .await?
        .map(|h| h.head.head.tree_size)
        .unwrap_or(0);
    let event = AuditEvent::new(
        0,
        now,
        audit::record::system("retention"),
        EventKind::AuditPurged,
    )
    .with_detail("before", cutoff.as_millis())
    .with_detail("retention_days", config.audit.retention_days);
    let purged = store.purge_audit(cutoff, covered, &[]).await?;
    if purged > 0 {
        // Recorded only when something was purged, so an idle server adds no event a day.
        store
            .append_audit(&[event.with_detail("purged", purged)])
            .await?;
    }
    Ok(purged)
}

async fn record_query(
    rt: &setup::Runtime,
    what: &str,
    message: Option<MessageId>,
) -> anyhow::Result<()> {
    let event = AuditEvent::new(
        0,
        rt.clock.now(),
        setup::audit_actor(),
        EventKind::AuditQueried,
    )
    .with_subject(Subject {
        message,
        ..Subject::default()
    })
    .with_detail("query", what);
    rt.store.append_audit(&[event]).await?;
    Ok(())
}

/// The trail with this node's signing key; `publish` adds the head file and witnesses.
pub async fn open_trail(
    config: &Config,
    rt: &setup::Runtime,
    publish: bool,
) -> anyhow::Result<Arc<AuditTrail>> {
    let signer = setup::audit_signer(&config.data_dir)?;
    let mut publishers: Vec<Box<dyn HeadPublisher>> = Vec::new();
    if publish {
        publishers.push(Box::new(HeadFile::new(config.audit_head_file())));
        for w in &config.audit.witnesses {
            let key = if w.key.is_empty() {
                None
            } else {
                Some(audit::PublicKey::from_hex(&w.key)?)
            };
            publishers.push(Box::new(WitnessClient::new(&w.url, key)?));
        }
    }
    Ok(Arc::new(
        AuditTrail::open(rt.store.clone(), signer, rt.clock.clone(), publishers).await?,
    ))
}

fn trusted_keys(config: &Config, keys: &[PathBuf]) -> anyhow::Result<TrustedKeys> {
    let mut trusted = TrustedKeys::new();
    let default = config.data_dir.join(setup::AUDIT_PUB_FILE);
    let paths: Vec<&Path> = if keys.is_empty() {
        vec![default.as_path()]
    } else {
        keys.iter().map(PathBuf::as_path).collect()
    };
    for path in paths {
        let pem = std::fs::read_to_string(path)
            .with_context(|| format!("reading the trusted key {}", path.display()))?;
        trusted.add(
            audit::PublicKey::from_pem(&pem)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        );
    }
    Ok(trusted)
}

/// The last head each witness countersigned (witnesses that have none are skipped).
async fn witness_heads(
    urls: &[String],
    configured: &[(String, String)],
) -> anyhow::Result<Vec<SignedTreeHead>> {
    let mut out = Vec::new();
    let all = urls
        .iter()
        .map(|u| (u.clone(), String::new()))
        .chain(configured.iter().cloned());
    for (url, _key) in all {
        let client = WitnessClient::new(&url, None)?;
        let last = client
            .last()
            .await
            .with_context(|| format!("asking witness {url} for its last head"))?;
        if let Some(head) = last.last {
            out.push(head);
        }
    }
    Ok(out)
}

fn verify_file(path: &Path, trusted: &TrustedKeys, known: &[SignedTreeHead]) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader = std::io::BufReader::new(file);
    // Lines are split on \n only and read lossily: a line that is not UTF-8 fails as
    // malformed instead of stopping the reader.
    let lines = reader.split(b'\n').map_while(Result::ok).map(|mut bytes| {
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        String::from_utf8_lossy(&bytes).into_owned()
    });
    match audit::verify_export_against_heads(lines, trusted, known) {
        Ok(report) => {
            println!(
                "export OK: {} events verified under {} signed heads (last size {}, root {}); {} external heads agree",
                report.events,
                report.heads,
                report.last_size,
                hex::encode(report.last_root),
                known.len()
            );
            Ok(())
        }
        Err(e) => bail!("export FAILED verification: {e}"),
    }
}

/// `2027-01-15` (midnight UTC) or an RFC 3339 timestamp.
pub fn parse_time(text: &str) -> anyhow::Result<Timestamp> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(Timestamp::from_millis(ts.as_millisecond()));
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        let ts = date
            .at(0, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_err(|e| anyhow::anyhow!("{text:?}: {e}"))?
            .timestamp();
        return Ok(Timestamp::from_millis(ts.as_millisecond()));
    }
    bail!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 time")
}

/// The human-readable receipt: per copy, how it travelled, then the proof's anchor.
async fn describe_receipt(store: &SharedStore, receipt: &Receipt) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    let mut out = String::new();
    writeln!(out, "message {}", receipt.message)?;
    for item in &receipt.events {
        let e = &item.event;
        let d = &e.details;
        let copy = match e.subject.recipient {
            Some(r) => match store.recipient(r).await {
                Ok(rec) => format!(" to {}", rec.address),
                Err(_) => format!(" copy {r}"),
            },
            None => String::new(),
        };
        let line = match e.kind {
            EventKind::MessageSubmitted => format!(
                "submitted by {} via {} ({} recipients, {} bytes)",
                storage::actor_key(&e.actor),
                d.get("channel").and_then(|v| v.as_str()).unwrap_or("?"),
                d.get("recipients").and_then(|v| v.as_u64()).unwrap_or(0),
                d.get("size").and_then(|v| v.as_u64()).unwrap_or(0),
            ),
            EventKind::DeliveryDelivered => format!(
                "delivered{copy} to {} over {} ({}), certificate {} sha256 {}, reply {}",
                d.get("next_hop").and_then(|v| v.as_str()).unwrap_or("?"),
                d.get("tls_version").and_then(|v| v.as_str()).unwrap_or("?"),
                d.get("cipher").and_then(|v| v.as_str()).unwrap_or("?"),
                if d.get("tls_verified").and_then(|v| v.as_bool()) == Some(true) {
                    "verified"
                } else {
                    "NOT verified"
                },
                d.get("peer_cert_sha256")
                    .and_then(|v| v.as_str())
                    .unwrap_or("?"),
                d.get("reply_code").and_then(|v| v.as_u64()).unwrap_or(0),
            ),
            EventKind::PortalNotified => format!("portal: notification sent{copy} (no content)"),
            EventKind::PortalCodeSent => format!("portal: one-time code sent{copy}"),
            EventKind::PortalVerified => format!(
                "portal: recipient{copy} proved who they are ({})",
                d.get("method").and_then(|v| v.as_str()).unwrap_or("?")
            ),
            EventKind::PortalOpened => format!("portal: opened{copy}"),
            EventKind::PortalDownloaded => format!(
                "portal: attachment {} downloaded{copy}",
                d.get("attachment").and_then(|v| v.as_u64()).unwrap_or(0)
            ),
            EventKind::PortalReplied => format!("portal: recipient{copy} replied"),
            EventKind::PortalRevoked => {
                format!("portal: revoked{copy} by {}", storage::actor_key(&e.actor))
            }
            EventKind::PortalExpired => format!("portal: link expired{copy}"),
            other => format!("{}{copy}", other.as_str()),
        };
        writeln!(out, "  {}  #{}  {line}", e.at.to_rfc3339(), item.leaf_index)?;
    }
    writeln!(
        out,
        "proof: {} events included in the log of size {} with root {}, signed {} by key {}{}",
        receipt.events.len(),
        receipt.head.head.tree_size,
        hex::encode(receipt.head.head.root_hash),
        receipt.head.head.timestamp.to_rfc3339(),
        receipt.head.head.key_id,
        if receipt.cosignatures.is_empty() {
            String::new()
        } else {
            format!(
                ", countersigned by {}",
                receipt
                    .cosignatures
                    .iter()
                    .map(|c| c.witness_key_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )?;
    writeln!(
        out,
        "(save with --json and check offline with `carepost audit verify-proof`)"
    )?;
    Ok(out)
}
