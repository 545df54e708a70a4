//! `carepost org …`: organisations (tenants). Each has its own data key and DKIM key, its
//! own users, policy, API keys and audit records; no data is shared between them.

use anyhow::bail;
use clap::Subcommand;
use serde_json::json;

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organisation with its own keys; prints the DKIM DNS record to publish.
    Add {
        /// Its name (unique).
        name: String,
    },
    /// List organisations.
    List {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
}

/// Longest organisation name.
const MAX_NAME_CHARS: usize = 100;

pub async fn org(config: &Config, cmd: OrgCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    match cmd {
        OrgCommand::Add { name } => {
            let name = name.trim().to_string();
            if name.is_empty()
                || name.chars().count() > MAX_NAME_CHARS
                || name.chars().any(char::is_control)
            {
                bail!(
                    "an organisation name is 1 to {MAX_NAME_CHARS} characters without control characters"
                );
            }
            if rt.store.tenants().await?.iter().any(|t| t.name == name) {
                bail!("an organisation named {name:?} exists");
            }
            let (tenant, dkim) =
                setup::create_organisation(&rt.store, &rt.keys, rt.clock.as_ref(), &name).await?;
            println!("organisation: {} ({})", tenant.name, tenant.id);
            println!(
                "DKIM: publish this TXT record at {}._domainkey.<your domain>:",
                config.dkim.selector
            );
            println!("{dkim}");
        }
        OrgCommand::List { json } => {
            for t in rt.store.tenants().await? {
                if json {
                    println!(
                        "{}",
                        json!({"id": t.id, "name": t.name, "created": t.created.to_rfc3339()})
                    );
                } else {
                    println!("{}\t{}", t.id, t.name);
                }
            }
        }
    }
    Ok(())
}
