//! `carepost quarantine …`: the compliance reviewer's view of copies policy held back. A
//! thin command-line front end over `operations::quarantine` (shared with the console).
//!
//! Release puts a copy back in the queue; reject ends it. Either way the sender is told,
//! without the subject or content, and the decision is recorded in the audit log in the
//! same transaction as the change. The operator acts across organisations.

use std::time::Duration;

use anyhow::bail;
use clap::Subcommand;
use operations::quarantine::{self, Finding, Notices};
use operations::{Request, Scope};
use queue::{Intake, IntakeConfig};
use serde_json::json;

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
    let request = Request {
        actor: setup::audit_actor(),
        source_ip: None,
        now: rt.clock.now(),
    };
    match cmd {
        QuarantineCommand::List { limit, json } => {
            let rows = quarantine::list(&rt.store, Scope::AllOrganisations, limit).await?;
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
            let detail = quarantine::detail(&rt.store, Scope::AllOrganisations, &id, &request)
                .await
                .map_err(|e| crate::commands::id_error(&id, e))?;
            println!("message {}", detail.message);
            for f in &detail.findings {
                match f {
                    Finding::Scanned(s) => {
                        println!(
                            "  scanned: PHI {}, PHI in subject {}, categories {}, unscannable {}",
                            yes(s.phi),
                            yes(s.phi_in_subject),
                            list(&s.categories),
                            list(&s.unscannable),
                        );
                        for b in s.phi_basis_described() {
                            println!("  PHI on: {b}");
                        }
                        if s.model_took_back {
                            println!(
                                "  the detector's model judged some identifier-shaped findings \
                                 not a patient's"
                            );
                        }
                    }
                    Finding::Decided(d) => {
                        let copy = d.copy.as_ref().map_or("(other copy)".to_string(), |c| {
                            format!("{} ({})", c.address, c.status)
                        });
                        println!(
                            "  {copy}: {} by policy version {} (rules: {})",
                            d.action,
                            d.policy_version,
                            list(&d.rules),
                        );
                    }
                }
            }
            Ok(())
        }
        QuarantineCommand::Release { id } => decide(config, &rt, &request, &id, None).await,
        QuarantineCommand::Reject { id, reason } => {
            if reason.trim().is_empty() || reason.chars().count() > quarantine::MAX_REASON_CHARS {
                bail!("--reason must be 1 to 300 characters");
            }
            decide(config, &rt, &request, &id, Some(reason)).await
        }
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

async fn decide(
    config: &Config,
    rt: &setup::Runtime,
    request: &Request,
    id: &str,
    reason: Option<String>,
) -> anyhow::Result<()> {
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
    let notices = Notices {
        intake: &intake,
        hostname: &config.hostname,
    };
    let scope = Scope::AllOrganisations;
    let outcome = match &reason {
        None => quarantine::release(&rt.store, notices, scope, id, request).await,
        Some(reason) => quarantine::reject(&rt.store, notices, scope, id, reason, request).await,
    };
    let decided = match outcome {
        Ok(d) => d,
        Err(operations::Error::NothingQuarantined) => bail!("nothing quarantined under {id}"),
        Err(e) => return Err(crate::commands::id_error(id, e)),
    };
    for c in &decided.changed {
        println!(
            "{c}: {}",
            if reason.is_none() {
                "released"
            } else {
                "rejected"
            }
        );
    }
    if decided.sender_notified {
        eprintln!("the sender was notified");
    }
    Ok(())
}
