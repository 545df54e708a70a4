//! `carepost`: the one binary. It parses the command line, loads the configuration, and
//! hands over to the libraries; it holds no logic of its own beyond wiring.
//!
//! **Security:** this process holds the master key (read from `data_dir/master.key`, mode
//! 0600) and therefore everything it unwraps. Logs go to stderr and never carry message
//! content or addresses; operator commands print addresses to stdout only when asked to
//! show the queue.

// A binary has no public API: `pub` here only marks what sibling modules use.
#![allow(unreachable_pub)]

mod alerts;
mod api_key_cmd;
mod api_keys;
mod audit_cmd;
mod commands;
mod config;
mod disclosures;
mod gateway;
mod group_cmd;
mod http;
mod messages_api;
mod org_cmd;
mod policy_cmd;
mod portal_cmd;
mod quarantine_cmd;
mod scan;
mod serve;
mod setup;
mod siem;
mod witness_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;

/// carepost: a secure e-mail gateway for healthcare.
#[derive(Parser)]
#[command(name = "carepost", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct GlobalArgs {
    /// Configuration file (TOML). Without it, every key has its default.
    #[arg(long, global = true, value_name = "FILE", env = "CAREPOST_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides `data_dir` in the configuration).
    #[arg(long, global = true, value_name = "DIR", env = "CAREPOST_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Create the data directory, master key, certificate, first organisation and admin
    /// (only what is missing), then exit.
    Init,
    /// Initialise if needed, then accept, queue and deliver mail until stopped.
    Serve,
    /// Create and list organisations (each with its own keys, users and policy).
    #[command(subcommand)]
    Org(org_cmd::OrgCommand),
    /// Manage users and their SMTP app passwords.
    #[command(subcommand)]
    User(commands::UserCommand),
    /// Inspect and act on the outbound queue.
    #[command(subcommand)]
    Queue(commands::QueueCommand),
    /// Rotate encryption keys.
    #[command(subcommand)]
    Keys(commands::KeysCommand),
    /// Show configuration.
    #[command(subcommand)]
    Config(commands::ConfigCommand),
    /// Scan text or a message for PHI (values are masked in the report).
    Scan(scan::ScanArgs),
    /// Review copies that policy quarantined: show, release or reject them.
    #[command(subcommand)]
    Quarantine(quarantine_cmd::QuarantineCommand),
    /// Verify, export, search and prove from the tamper-evident audit log.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCommand),
    /// Show, replace, list and dry-run the organisation's policy (versioned in the database).
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// See where portal copies stand (notified, opened, replied, ...) and revoke them.
    #[command(subcommand)]
    Portal(portal_cmd::PortalCommand),
    /// Make, list and revoke organisation API keys for systems (EHRs, billing) on the
    /// REST API.
    #[command(subcommand)]
    ApiKey(api_key_cmd::ApiKeyCommand),
    /// Create, list and delete groups of people, and add or remove members (policy rules
    /// match groups with `sender_groups`).
    #[command(subcommand)]
    Group(group_cmd::GroupCommand),
    /// Run a witness: countersign another carepost's audit heads after checking that each
    /// extends the last one, and refuse any that does not.
    Witness(witness_cmd::WitnessArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Config(commands::ConfigCommand::Defaults) => {
            print!("{}", Config::defaults_text());
            return ExitCode::SUCCESS;
        }
        // Scanning needs no data directory, keys or runtime.
        Command::Scan(args) => {
            return match scan::scan(args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("carepost: {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let config = match Config::load(cli.global.config.as_deref(), cli.global.data_dir.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("carepost: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    // One crypto provider for every TLS connection (see DEPENDENCIES.md: aws-lc-rs only).
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("carepost: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Init => commands::init(&config).await,
            Command::Serve => serve::serve(&config).await,
            Command::Org(cmd) => org_cmd::org(&config, cmd).await,
            Command::User(cmd) => commands::user(&config, cmd).await,
            Command::Queue(cmd) => commands::queue(&config, cmd).await,
            Command::Keys(cmd) => commands::keys(&config, cmd).await,
            Command::Audit(cmd) => audit_cmd::audit(&config, cmd).await,
            Command::Policy(cmd) => policy_cmd::policy(&config, cmd).await,
            Command::Quarantine(cmd) => quarantine_cmd::quarantine(&config, cmd).await,
            Command::Portal(cmd) => portal_cmd::portal(&config, cmd).await,
            Command::ApiKey(cmd) => api_key_cmd::api_key(&config, cmd).await,
            Command::Group(cmd) => group_cmd::group(&config, cmd).await,
            Command::Witness(args) => witness_cmd::run(args).await,
            Command::Config(_) | Command::Scan(_) => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("carepost: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    // lopdf logs warnings about malformed PDFs that can quote document content: off.
    let filter = EnvFilter::try_from_env("CAREPOST_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info"))
        .add_directive("lopdf=off".parse().expect("static directive"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.with_ansi(false).init();
    }
}
