//! Operator subcommands other than `serve`.

use anyhow::{Context, bail};
use clap::Subcommand;
use serde_json::json;

use audit::{AuditEvent, EventKind, Subject};
use model::{EmailAddress, RecipientStatus, Role, UserId};
use operations::queue_actions::{self, QueueAction};
use storage::{RecipientFilter, RecipientRecord, User};

use crate::config::Config;
use crate::setup;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user to an organisation.
    Add {
        /// The user's e-mail address (their login and sender address).
        address: String,
        /// owner, admin, compliance, sender, marketer or auditor.
        #[arg(long, default_value = "sender")]
        role: String,
        /// Organisation name (default: the first organisation).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Create a new SMTP app password for a user and print it (only it) on stdout.
    AppPassword {
        /// The user's e-mail address.
        address: String,
        /// A label to recognise it by ("scanner", "Thunderbird").
        #[arg(long, default_value = "smtp")]
        label: String,
    },
    /// Give a user a one-time console password and print it (only it) on stdout; they
    /// must choose their own at the next sign-in. Their sessions end.
    ResetPassword {
        /// The user's e-mail address.
        address: String,
    },
    /// Issue a user a single-use break-glass (emergency access) code and print it (only
    /// it) on stdout; it replaces any earlier code. Keep it somewhere safe, offline.
    BreakGlass {
        /// The user's e-mail address.
        address: String,
    },
    /// List users.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum QueueCommand {
    /// List recipient copies.
    List {
        /// Only copies with this status (queued, delivering, delivered, deferred, bounced,
        /// awaiting-portal, quarantined, held).
        #[arg(long)]
        status: Option<String>,
        /// At most this many (newest first).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a message (all its copies) or one recipient copy, with its attempts.
    Show {
        /// Message id or recipient id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Try a deferred, held or awaiting-portal copy again now.
    Retry {
        /// Message id or recipient id.
        id: String,
    },
    /// Hold a queued or deferred copy: it is not delivered until released.
    Hold {
        /// Message id or recipient id.
        id: String,
    },
    /// Release a held or quarantined copy for delivery.
    Release {
        /// Message id or recipient id.
        id: String,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Rotate keys. Without flags, both the tenant data keys and the master key rotate.
    Rotate {
        /// Rotate the master key (re-wraps every stored key).
        #[arg(long)]
        master: bool,
        /// Give every organisation a new data key (old keys stay to read old data).
        #[arg(long)]
        tenant: bool,
    },
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print every configuration key with its default and meaning.
    Defaults,
}

pub async fn init(config: &Config) -> anyhow::Result<()> {
    let (_, report) = setup::init(config).await?;
    print_init_report(config, &report);
    Ok(())
}

pub fn print_init_report(config: &Config, report: &setup::InitReport) {
    let dir = config.data_dir.display();
    if report.created_data_dir {
        eprintln!("created data directory {dir}");
    }
    if report.created_master_key {
        eprintln!(
            "created master key {dir}/{} (mode 0600): back it up apart from the data",
            setup::MASTER_KEY_FILE
        );
    }
    if report.created_certificate {
        eprintln!(
            "created a self-signed TLS certificate in {dir}/tls (set smtp.tls_cert_file to use your own)"
        );
    }
    match &report.first_admin {
        Some((address, password)) => {
            println!("organisation: {}", config.organisation);
            println!("admin address: {address}");
            println!("admin password: {}", password.as_str());
            eprintln!(
                "the admin password is shown only this once and must be changed at first sign-in"
            );
        }
        None => eprintln!("already initialised: nothing to create"),
    }
    if let Some(record) = &report.dkim_record {
        println!(
            "DKIM: publish TXT at {}._domainkey.<your-domain>: \"{record}\"",
            config.dkim.selector
        );
    }
}

pub async fn user(config: &Config, cmd: UserCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    match cmd {
        UserCommand::Add {
            address,
            role,
            tenant,
        } => {
            let address =
                EmailAddress::parse(&address).map_err(|e| anyhow::anyhow!("address: {e}"))?;
            let role: Role = role
                .parse()
                .map_err(|_| anyhow::anyhow!("unknown role {role:?}: use owner, admin, compliance, sender, marketer or auditor"))?;
            let tenants = rt.store.tenants().await?;
            let tenant = match tenant {
                Some(name) => tenants
                    .into_iter()
                    .find(|t| t.name == name)
                    .with_context(|| format!("no organisation named {name:?}"))?,
                None => tenants
                    .into_iter()
                    .next()
                    .context("no organisation yet: run `carepost init`")?,
            };
            let user = User {
                id: UserId::new(),
                tenant: tenant.id,
                address: address.clone(),
                role,
                password_hash: None,
                must_change_password: false,
                disabled: false,
                created: rt.clock.now(),
            };
            let event = AuditEvent::new(
                0,
                rt.clock.now(),
                setup::audit_actor(),
                EventKind::AdminUserCreated,
            )
            .with_tenant(tenant.id)
            .with_subject(Subject {
                user: Some(user.id),
                ..Subject::default()
            })
            .with_detail("role", role.as_str());
            match rt.store.create_user(&user, &[event]).await {
                Ok(()) => {}
                Err(storage::StorageError::Conflict { .. }) => {
                    bail!("a user with this address already exists")
                }
                Err(e) => return Err(e.into()),
            }
            eprintln!("added {address} as {role} in {}", tenant.name);
        }
        UserCommand::AppPassword { address, label } => {
            let user = user_named(&rt, &address).await?;
            let made = relay::credentials::create_app_password(
                &rt.store,
                rt.clock.now(),
                setup::audit_actor(),
                None,
                &user,
                &label,
            )
            .await?;
            println!("{}", made.secret.as_str());
        }
        UserCommand::ResetPassword { address } => {
            let user = user_named(&rt, &address).await?;
            let password = auth::generate_one_time_password()?;
            let hash = auth::hash_secret(&password)?;
            let now = rt.clock.now();
            let event =
                AuditEvent::new(0, now, setup::audit_actor(), EventKind::AuthPasswordChanged)
                    .with_tenant(user.tenant)
                    .with_subject(Subject {
                        user: Some(user.id),
                        ..Subject::default()
                    })
                    .with_detail("how", "reset_by_operator");
            rt.store
                .set_password_hash(user.id, &hash, true, &[event])
                .await?;
            rt.store.clear_sign_in_failures(user.id).await?;
            rt.store.end_user_sessions(user.id, None, now, &[]).await?;
            println!("{}", password.as_str());
        }
        UserCommand::BreakGlass { address } => {
            let user = user_named(&rt, &address).await?;
            let code = auth::generate_app_password()?;
            let hash = auth::hash_secret(&code)?;
            let now = rt.clock.now();
            let event = AuditEvent::new(
                0,
                now,
                setup::audit_actor(),
                EventKind::AdminBreakGlassIssued,
            )
            .with_tenant(user.tenant)
            .with_subject(Subject {
                user: Some(user.id),
                ..Subject::default()
            });
            rt.store
                .put_break_glass(user.id, &hash, now, &[event])
                .await?;
            println!("{}", code.as_str());
        }
        UserCommand::List { json } => {
            for t in rt.store.tenants().await? {
                for u in rt.store.users(t.id).await? {
                    if json {
                        println!(
                            "{}",
                            json!({"id": u.id, "organisation": t.name, "address": u.address, "role": u.role, "disabled": u.disabled})
                        );
                    } else {
                        println!("{}\t{}\t{}\t{}", u.id, t.name, u.role, u.address);
                    }
                }
            }
        }
    }
    Ok(())
}

/// The user with this address, or a message saying there is none.
async fn user_named(rt: &setup::Runtime, address: &str) -> anyhow::Result<User> {
    let address = EmailAddress::parse(address).map_err(|e| anyhow::anyhow!("address: {e}"))?;
    rt.store
        .user_by_address(&address)
        .await
        .map_err(|e| match e {
            storage::StorageError::NotFound => anyhow::anyhow!("no user with this address"),
            e => e.into(),
        })
}

pub async fn queue(config: &Config, cmd: QueueCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    let store = &rt.store;
    match cmd {
        QueueCommand::List {
            status,
            limit,
            json,
        } => {
            let statuses = match status {
                Some(s) => vec![
                    s.parse::<RecipientStatus>()
                        .map_err(|_| anyhow::anyhow!("unknown status {s:?}"))?,
                ],
                None => Vec::new(),
            };
            let rows = store
                .list_recipients(&RecipientFilter {
                    tenant: None,
                    statuses,
                    message: None,
                    limit,
                })
                .await?;
            if !json {
                println!(
                    "{:<36}  {:<36}  {:<15}  {:>3}  {:<24}  RECIPIENT",
                    "RECIPIENT-ID", "MESSAGE-ID", "STATUS", "TRY", "NEXT/UPDATED"
                );
            }
            for r in rows {
                if json {
                    println!("{}", recipient_json(&r));
                } else {
                    let when = if r.status.is_final() {
                        r.updated
                    } else {
                        r.next_attempt
                    };
                    println!(
                        "{:<36}  {:<36}  {:<15}  {:>3}  {:<24}  {}",
                        r.id, r.message, r.status, r.attempts, when, r.address
                    );
                }
            }
            let counts = store.count_by_status(None).await?;
            if !json {
                let summary: Vec<String> = counts.iter().map(|(s, n)| format!("{s}={n}")).collect();
                eprintln!(
                    "totals: {}",
                    if summary.is_empty() {
                        "empty".to_string()
                    } else {
                        summary.join(" ")
                    }
                );
            }
        }
        QueueCommand::Show { id, json } => {
            let copies = resolve(&rt, &id).await?;
            let message = store.message(copies[0].message).await?;
            let mut out_copies = Vec::new();
            for c in &copies {
                let attempts = store.attempts(c.id).await?;
                out_copies.push(json!({"copy": recipient_json(c), "attempts": attempts}));
            }
            let doc = json!({
                "message": {
                    "id": message.id, "tenant": message.tenant, "principal": message.principal.to_string(),
                    "channel": message.channel, "client_ip": message.client_ip,
                    "envelope_from": message.envelope_from, "size": message.size, "priority": message.priority,
                    "received": message.received.to_rfc3339(), "expires": message.expires.to_rfc3339(),
                    "body_sha256": message.body_sha256,
                },
                "recipients": out_copies,
            });
            if json {
                println!("{doc}");
            } else {
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
        }
        QueueCommand::Retry { id } => transition_all(&rt, &id, QueueAction::Retry).await?,
        QueueCommand::Hold { id } => transition_all(&rt, &id, QueueAction::Hold).await?,
        QueueCommand::Release { id } => transition_all(&rt, &id, QueueAction::Release).await?,
    }
    Ok(())
}

/// Apply a queue action (`operations::queue_actions`) to every copy of `id`, in any
/// organisation, printing what became of each copy.
async fn transition_all(rt: &setup::Runtime, id: &str, action: QueueAction) -> anyhow::Result<()> {
    let outcomes = queue_actions::apply(
        &rt.store,
        operations::Scope::AllOrganisations,
        id,
        action,
        queue_actions::Quarantined::MayRelease,
        &cli_request(rt),
    )
    .await
    .map_err(|e| id_error(id, e))?;
    let verb = action.verb();
    for o in &outcomes {
        if o.changed {
            println!("{}: {verb}", o.id);
        } else {
            println!("{}: unchanged (status is {})", o.id, o.before);
        }
    }
    if !outcomes.iter().any(|o| o.changed) {
        bail!("no copy could be {verb}");
    }
    Ok(())
}

/// The operator at the command line, now.
fn cli_request(rt: &setup::Runtime) -> operations::Request {
    operations::Request {
        actor: setup::audit_actor(),
        source_ip: None,
        now: rt.clock.now(),
    }
}

/// A message id (all its copies) or a recipient id (that copy), in any organisation.
pub async fn resolve(rt: &setup::Runtime, id: &str) -> anyhow::Result<Vec<RecipientRecord>> {
    operations::resolve(
        &rt.store,
        operations::Scope::AllOrganisations,
        id,
        &cli_request(rt),
    )
    .await
    .map_err(|e| id_error(id, e))
}

/// An operations error about the id the operator typed, worded for the command line.
pub fn id_error(id: &str, e: operations::Error) -> anyhow::Error {
    match e {
        operations::Error::BadId => anyhow::anyhow!("{id:?} is not a message or recipient id"),
        operations::Error::NotFound => anyhow::anyhow!("no message or recipient with id {id}"),
        e => e.into(),
    }
}

fn recipient_json(r: &RecipientRecord) -> serde_json::Value {
    json!({
        "id": r.id, "message": r.message, "tenant": r.tenant, "address": r.address,
        "status": r.status, "route": r.route, "priority": r.priority, "attempts": r.attempts,
        "next_attempt": r.next_attempt.to_rfc3339(), "last_error": r.last_error,
        "tls": r.tls, "updated": r.updated.to_rfc3339(),
    })
}

pub async fn keys(config: &Config, cmd: KeysCommand) -> anyhow::Result<()> {
    let rt = setup::open(config).await?;
    match cmd {
        KeysCommand::Rotate { master, tenant } => {
            let (master, tenant) = if !master && !tenant {
                (true, true)
            } else {
                (master, tenant)
            };
            for line in setup::rotate_keys(&rt, master, tenant).await? {
                println!("{line}");
            }
        }
    }
    Ok(())
}
