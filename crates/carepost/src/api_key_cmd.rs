//! `carepost api-key …`: organisation API keys for systems (EHRs, billing) on the REST API.
//!
//! `create` prints the token once; `list` never shows a secret; `revoke` stops a key at
//! once. Each change is recorded in the audit log with the change.

use anyhow::{Context, bail};
use clap::Subcommand;
use model::ApiKeyId;

use crate::api_keys::{self, KeyRequest, KeyView};
use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key and print its token (shown once; store it in the system's secret store).
    Create {
        /// What the key is for ("Epic interface"); unique in the organisation.
        #[arg(long)]
        name: String,
        /// Scopes, comma- or space-separated: messages:send, messages:read.
        #[arg(long, value_name = "SCOPES")]
        scopes: String,
        /// Addresses and @domains the key may send as (needed with messages:send).
        #[arg(long, value_name = "SENDERS", default_value = "")]
        senders: String,
        /// Days until the key expires (1 to 366).
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// Organisation name (default: the first organisation).
        #[arg(long)]
        organisation: Option<String>,
        /// Print JSON (with the token) instead of the token alone.
        #[arg(long)]
        json: bool,
    },
    /// List an organisation's keys (never their secrets).
    List {
        /// Organisation name (default: the first organisation).
        #[arg(long)]
        organisation: Option<String>,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key: requests with it fail from now on.
    Revoke {
        /// The key's id.
        id: String,
        /// Organisation name (default: the first organisation).
        #[arg(long)]
        organisation: Option<String>,
    },
}

pub async fn api_key(config: &Config, cmd: ApiKeyCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    let tenant_named = |name: Option<String>| {
        let store = rt.store.clone();
        async move {
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
    };
    match cmd {
        ApiKeyCommand::Create {
            name,
            scopes,
            senders,
            days,
            organisation,
            json,
        } => {
            let tenant = tenant_named(organisation).await?;
            let created = api_keys::create_key(
                &rt.store,
                rt.clock.as_ref(),
                audit::record::system("cli"),
                KeyRequest {
                    tenant: tenant.id,
                    name,
                    scopes,
                    senders,
                    days,
                    created_by: None,
                },
            )
            .await?;
            if json {
                let mut v = serde_json::to_value(KeyView::of(&created.key, rt.clock.now()))?;
                v["token"] = serde_json::json!(created.token.as_str());
                println!("{v}");
            } else {
                println!("{}", created.token.as_str());
            }
        }
        ApiKeyCommand::List { organisation, json } => {
            let tenant = tenant_named(organisation).await?;
            let now = rt.clock.now();
            let keys = rt.store.api_keys(tenant.id).await?;
            if json {
                for k in &keys {
                    println!("{}", serde_json::to_string(&KeyView::of(k, now))?);
                }
            } else if keys.is_empty() {
                println!("no API keys");
            } else {
                println!(
                    "{:<36}  {:<8}  {:<20}  {:<40}  NAME",
                    "ID", "STATE", "EXPIRES", "SCOPES"
                );
                for k in &keys {
                    let v = KeyView::of(k, now);
                    println!(
                        "{:<36}  {:<8}  {:<20}  {:<40}  {}",
                        v.id,
                        v.state,
                        &v.expires[..v.expires.len().min(19)],
                        v.scopes.join(" "),
                        v.name
                    );
                }
            }
        }
        ApiKeyCommand::Revoke { id, organisation } => {
            let Ok(id) = id.parse::<ApiKeyId>() else {
                bail!("{id:?} is not an API key id");
            };
            let tenant = tenant_named(organisation).await?;
            match api_keys::revoke_key(
                &rt.store,
                rt.clock.as_ref(),
                audit::record::system("cli"),
                tenant.id,
                id,
            )
            .await
            {
                Ok(()) => println!("revoked {id}"),
                Err(storage::StorageError::NotFound) => {
                    bail!("the organisation {:?} has no API key {id}", tenant.name)
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
