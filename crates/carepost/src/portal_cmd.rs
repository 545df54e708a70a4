//! `carepost portal …`: the sender's and administrator's view of portal copies.
//!
//! `list` shows where every copy stands (notified, verified, opened, downloaded, replied,
//! expired, revoked); `revoke` stops a link at once (by copy id, or every copy of a
//! message). Revocations are recorded in the audit log with the change.

use anyhow::bail;
use clap::Subcommand;
use model::{EmailAddress, MessageId, PortalCopyId};
use storage::PortalFilter;

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum PortalCommand {
    /// List portal copies, newest first, with their state and when each step happened.
    List {
        /// Only the copies of this message.
        #[arg(long)]
        message: Option<String>,
        /// Only the copies for this recipient address.
        #[arg(long)]
        address: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a portal copy (its link stops working), or every copy of a message.
    Revoke {
        /// Portal copy id or message id.
        id: String,
    },
}

pub async fn portal(config: &Config, cmd: PortalCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    let now = rt.clock.now();
    match cmd {
        PortalCommand::List {
            message,
            address,
            limit,
            json,
        } => {
            let message = match message {
                Some(m) => Some(
                    m.parse::<MessageId>()
                        .map_err(|_| anyhow::anyhow!("--message must be a message id"))?,
                ),
                None => None,
            };
            let address = match address {
                Some(a) => Some(
                    EmailAddress::parse(&a)
                        .map_err(|_| anyhow::anyhow!("--address must be an e-mail address"))?,
                ),
                None => None,
            };
            let filter = PortalFilter {
                tenant: None,
                message,
                address,
                limit,
            };
            let copies = portal_web::copies(rt.store.as_ref(), &filter, now).await?;
            if json {
                for c in &copies {
                    println!("{}", serde_json::to_string(c)?);
                }
            } else if copies.is_empty() {
                println!("no portal copies");
            } else {
                println!(
                    "{:<36}  {:<36}  {:<10}  {:<20}  RECIPIENT",
                    "PORTAL COPY", "MESSAGE", "STATE", "EXPIRES"
                );
                for c in &copies {
                    println!(
                        "{:<36}  {:<36}  {:<10}  {:<20}  {}",
                        c.id,
                        c.message,
                        c.state,
                        &c.expires[..c.expires.len().min(19)],
                        c.recipient
                    );
                }
            }
        }
        PortalCommand::Revoke { id } => {
            let actor = audit::record::system("cli");
            let targets: Vec<PortalCopyId> = if let Ok(copy) = id.parse::<PortalCopyId>() {
                match rt.store.portal_copy(copy).await {
                    Ok(_) => vec![copy],
                    Err(storage::StorageError::NotFound) => {
                        // A message id: every copy of it.
                        let message: MessageId = id.parse()?;
                        rt.store
                            .portal_copies(&PortalFilter {
                                message: Some(message),
                                limit: 1000,
                                ..PortalFilter::default()
                            })
                            .await?
                            .into_iter()
                            .map(|c| c.id)
                            .collect()
                    }
                    Err(e) => return Err(e.into()),
                }
            } else {
                bail!("{id:?} is not a portal copy id or message id");
            };
            if targets.is_empty() {
                bail!("no portal copy or message with id {id}");
            }
            for copy in targets {
                match portal_web::revoke(rt.store.as_ref(), copy, None, actor.clone(), now).await {
                    Ok(true) => println!("revoked {copy}"),
                    Ok(false) => println!("{copy} was already revoked"),
                    Err(e) => bail!("revoking {copy}: {e}"),
                }
            }
        }
    }
    Ok(())
}
