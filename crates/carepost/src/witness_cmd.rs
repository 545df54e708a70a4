//! `carepost witness`: a small process that countersigns another carepost's tree heads.
//!
//! It keeps its own key and the last head it countersigned in its own directory (not the
//! log's database), and countersigns a new head only if the log proves it extends that one.
//! Run it on a different machine, or at least under a different account, from the log: an
//! insider who can rewrite the log's database and re-sign it cannot also rewrite what the
//! witness remembers.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use audit::TrustedKeys;
use audit_trail::witness::{WitnessState, router};
use clap::Args;
use tokio::net::TcpListener;
use tokio::sync::Mutex;

#[derive(Args)]
pub struct WitnessArgs {
    /// Address to listen on (HTTP; heads are public, signatures protect them).
    #[arg(long, default_value = "127.0.0.1:9020")]
    listen: String,
    /// Directory for the witness's key and state (created, mode 0700).
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// The log's public key (PEM, the log's audit-signing.pub); repeatable.
    #[arg(long = "log-key", value_name = "PEM", required = true)]
    log_keys: Vec<PathBuf>,
}

pub async fn run(args: WitnessArgs) -> anyhow::Result<()> {
    let mut keys = TrustedKeys::new();
    for path in &args.log_keys {
        let pem =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        keys.add(
            audit::PublicKey::from_pem(&pem)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        );
    }
    let state = WitnessState::open(&args.dir, keys)?;
    let key = state.public_key();
    let addr: SocketAddr = args.listen.parse().context("--listen")?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    // Printed on stdout so an operator (or a test) can configure the log with it.
    println!("witness key {}", key.to_hex());
    println!("listening on http://{}", listener.local_addr()?);
    tracing::info!(%addr, key = %key.to_hex(), "witness listening");
    let app = router(Arc::new(Mutex::new(state)));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
