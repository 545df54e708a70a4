//! `carepost quarantine …`: the compliance reviewer's view of copies policy held back.
//!
//! Release puts a copy back in the queue; reject ends it. Either way the sender is told,
//! without the subject or content, and the decision is recorded in the audit log in the
//! same transaction as the change.

use std::time::Duration;

use anyhow::{Context, bail};
use audit::{AuditEvent, EventKind, Subject};
use clap::Subcommand;
use model::RecipientStatus;
use queue::{Intake, IntakeConfig};
use serde_json::json;
use storage::{AuditFilter, RecipientFilter, RecipientRecord};

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum QuarantineCommand {
    /// List quarantined copies, newest first.
    List {
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Show why a message was quarantined: the scan verdict (categories and counts) and the
    /// policy decision per copy, with the rules that fired.
    Show {
        /// Message id or recipient id.
        id: String,
    },
    /// Release quarantined copies for delivery and tell the sender.
    Release {
        /// Message id (all its quarantined copies) or recipient id.
        id: String,
    },
    /// Reject quarantined copies (they are never sent) and tell the sender why.
    Reject {
        /// Message id (all its quarantined copies) or recipient id.
        id: String,
        /// The reason the sender is given (no patient details: it is sent by e-mail).
        #[arg(long)]
        reason: String,
    },
}

pub async fn quarantine(config: &Config, cmd: QuarantineCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    match cmd {
        QuarantineCommand::List { limit, json } => {
            let rows = rt
                .store
                .list_recipients(&RecipientFilter {
                    statuses: vec![RecipientStatus::Quarantined],
                    limit,
                    ..RecipientFilter::default()
                })
                .await?;
            for r in rows {
                if json {
                    println!(
                        "{}",
                        json!({"id": r.id, "message": r.message, "address": r.address, "since": r.updated.to_rfc3339()})
                    );
                } else {
                    println!("{}  {}  {}  {}", r.id, r.message, r.updated, r.address);
                }
            }
            Ok(())
        }
        QuarantineCommand::Show { id } => {
            let copies = crate::commands::resolve(&rt.store, &id).await?;
            let message = copies[0].message;
            let events = rt
                .store
                .find_audit(&AuditFilter {
                    message: Some(message),
                    kinds: vec![EventKind::MessageScanned, EventKind::PolicyDecided],
                    ..AuditFilter::default()
                })
                .await?;
            println!("message {message}");
            for e in &events {
                let d = &e.details;
                match e.kind {
                    EventKind::MessageScanned => println!(
                        "  scanned: PHI {}, PHI in subject {}, categories {}, unscannable {}",
                        yes(d.get("phi")),
                        yes(d.get("phi_in_subject")),
                        list(d.get("categories")),
                        list(d.get("unscannable")),
                    ),
                    _ => {
                        let copy = copies
                            .iter()
                            .find(|c| Some(c.id) == e.subject.recipient)
                            .map_or("(other copy)".to_string(), |c| {
                                format!("{} ({})", c.address, c.status)
                            });
                        println!(
                            "  {copy}: {} by policy version {} (rules: {})",
                            d.get("action").and_then(|v| v.as_str()).unwrap_or("?"),
                            d.get("policy_version")
                                .and_then(|v| v.as_u64())
                                .unwrap_or(0),
                            list(d.get("rules")),
                        );
                    }
                }
            }
            Ok(())
        }
        QuarantineCommand::Release { id } => decide(config, &rt, &id, true, None).await,
        QuarantineCommand::Reject { id, reason } => {
            if reason.trim().is_empty() || reason.len() > 300 {
                bail!("--reason must be 1 to 300 characters");
            }
            decide(config, &rt, &id, false, Some(reason)).await
        }
    }
}

fn yes(v: Option<&serde_json::Value>) -> &'static str {
    if v.and_then(|v| v.as_bool()) == Some(true) {
        "yes"
    } else {
        "no"
    }
}

fn list(v: Option<&serde_json::Value>) -> String {
    let items: Vec<&str> = v
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

async fn decide(
    config: &Config,
    rt: &setup::Runtime,
    id: &str,
    release: bool,
    reason: Option<String>,
) -> anyhow::Result<()> {
    let copies: Vec<RecipientRecord> = crate::commands::resolve(&rt.store, id)
        .await?
        .into_iter()
        .filter(|c| c.status == RecipientStatus::Quarantined)
        .collect();
    if copies.is_empty() {
        bail!("nothing quarantined under {id}");
    }
    let (to, kind) = if release {
        (RecipientStatus::Queued, EventKind::QuarantineReleased)
    } else {
        (RecipientStatus::Bounced, EventKind::QuarantineRejected)
    };
    let mut changed = 0usize;
    for c in &copies {
        let event = AuditEvent::new(0, rt.clock.now(), setup::audit_actor(), kind)
            .with_tenant(c.tenant)
            .with_subject(Subject {
                message: Some(c.message),
                recipient: Some(c.id),
                ..Subject::default()
            });
        if rt
            .store
            .transition(
                c.id,
                &[RecipientStatus::Quarantined],
                to,
                rt.clock.now(),
                &[event],
            )
            .await?
        {
            changed += 1;
            println!(
                "{}: {}",
                c.id,
                if release { "released" } else { "rejected" }
            );
        }
    }
    // Tell the sender (their own message; no subject or content in the notice).
    let message = rt.store.message(copies[0].message).await?;
    if let Some(sender) = &message.envelope_from {
        let intake = Intake::new(
            rt.store.clone(),
            rt.keys.clone(),
            rt.clock.clone(),
            IntakeConfig {
                hostname: config.hostname.clone(),
                max_lifetime: Duration::from_secs(config.delivery.max_lifetime_secs),
                disclosure: None,
            },
        );
        let data = relay::notices::sender_notice(
            &config.hostname,
            sender,
            message.id,
            message.received,
            release,
            changed,
            reason.as_deref(),
        );
        relay::notices::submit_notice(&intake, message.tenant, vec![sender.clone()], data)
            .await
            .context("queueing the notice to the sender")?;
        eprintln!("the sender was notified");
    }
    Ok(())
}
