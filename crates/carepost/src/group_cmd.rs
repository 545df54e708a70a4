//! `carepost group …`: groups of people in an organisation (policy rules match them with
//! `sender_groups`; single sign-on keeps memberships in step with the provider's claims).
//!
//! Every change is recorded in the audit log (`admin.group_changed`, actor `system:cli`) in
//! the same transaction as the change. Members are named by address and must be people of
//! the same organisation. The logic is `operations::groups`, shared with the console.

use anyhow::{Context, bail};
use clap::Subcommand;

use operations::Request;
use operations::groups::{self, GroupError};

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum GroupCommand {
    /// Create a group: 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit).
    Add {
        /// Its name.
        name: String,
        /// Organisation name or id (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// List the groups with their members.
    List {
        /// Organisation name or id (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Delete a group (its memberships end with it).
    Delete {
        /// Its name or id.
        name: String,
        /// Organisation name or id (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Add a person of the organisation to a group.
    AddMember {
        /// The group's name or id.
        name: String,
        /// The person's sign-in address.
        address: String,
        /// Organisation name or id (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Remove a person from a group.
    RemoveMember {
        /// The group's name or id.
        name: String,
        /// The person's sign-in address.
        address: String,
        /// Organisation name or id (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
    },
}

pub async fn group(config: &Config, cmd: GroupCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    let request = Request {
        actor: audit::record::system("cli"),
        source_ip: None,
        now: rt.clock.now(),
    };
    let organisation = |wanted: Option<String>| {
        let store = rt.store.clone();
        async move {
            let tenants = store.tenants().await?;
            match wanted {
                Some(w) => tenants
                    .into_iter()
                    .find(|t| t.name == w || t.id.to_string() == w)
                    .with_context(|| format!("no organisation {w:?}")),
                None => tenants
                    .into_iter()
                    .next()
                    .context("no organisation yet: run `carepost init`"),
            }
        }
    };
    match cmd {
        GroupCommand::Add { name, tenant } => {
            let tenant = organisation(tenant).await?;
            let g = groups::create(&rt.store, tenant.id, &name, &request)
                .await
                .map_err(explain)?;
            println!("created group {} ({}) in {}", g.name, g.id, tenant.name);
        }
        GroupCommand::List { tenant, json } => {
            let tenant = organisation(tenant).await?;
            let listed = groups::list(&rt.store, tenant.id).await.map_err(explain)?;
            if json {
                for g in &listed {
                    println!("{}", serde_json::to_string(g)?);
                }
            } else if listed.is_empty() {
                println!("no groups");
            } else {
                for g in &listed {
                    let members: Vec<&str> = g.members.iter().map(|m| m.address.as_str()).collect();
                    println!("{}\t{}\t{}", g.id, g.name, members.join(" "));
                }
            }
        }
        GroupCommand::Delete { name, tenant } => {
            let tenant = organisation(tenant).await?;
            let g = groups::find(&rt.store, tenant.id, &name)
                .await
                .map_err(explain)?;
            groups::delete(&rt.store, tenant.id, &g, &request)
                .await
                .map_err(explain)?;
            println!("deleted group {}", g.name);
        }
        GroupCommand::AddMember {
            name,
            address,
            tenant,
        } => {
            let tenant = organisation(tenant).await?;
            let g = groups::find(&rt.store, tenant.id, &name)
                .await
                .map_err(explain)?;
            if groups::add_member(&rt.store, tenant.id, &g, &address, &request)
                .await
                .map_err(explain)?
            {
                println!("added to {}", g.name);
            } else {
                println!("already a member of {}", g.name);
            }
        }
        GroupCommand::RemoveMember {
            name,
            address,
            tenant,
        } => {
            let tenant = organisation(tenant).await?;
            let g = groups::find(&rt.store, tenant.id, &name)
                .await
                .map_err(explain)?;
            if !groups::remove_member(&rt.store, tenant.id, &g, &address, &request)
                .await
                .map_err(explain)?
            {
                bail!("not a member of {}", g.name);
            }
            println!("removed from {}", g.name);
        }
    }
    Ok(())
}

/// The error as the operator reads it (no address is echoed: the person typed it).
fn explain(e: GroupError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}
