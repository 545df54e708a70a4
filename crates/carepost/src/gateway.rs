//! Building and starting the SMTP submission gateway from the configuration.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use relay::SubmissionService;
use smtp_gateway::{
    Cidr, Gateway, GatewayConfig, Listeners, SenderRules, SessionConfig, TrustedNetwork,
};

use crate::config::Config;
use crate::setup::Runtime;

/// Bind the configured listeners and serve them until `shutdown` turns true.
pub async fn start(
    config: &Config,
    rt: &Runtime,
    service: Arc<SubmissionService>,
    tls: Arc<rustls::ServerConfig>,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<JoinHandle<()>> {
    let gateway_config = gateway_config(config, rt).await?;
    let listeners = Listeners {
        starttls: bind(&config.smtp.submission_listen, "smtp.submission_listen").await?,
        implicit_tls: bind(&config.smtp.submissions_listen, "smtp.submissions_listen").await?,
    };
    let gateway = Gateway::new(gateway_config, tls, service);
    Ok(tokio::spawn(async move {
        let stop = async move {
            let _ = shutdown.changed().await;
        };
        if let Err(e) = gateway.serve(listeners, stop).await {
            tracing::error!(error = %e, "SMTP gateway stopped with an error");
        }
    }))
}

async fn bind(addr: &str, key: &str) -> anyhow::Result<Option<TcpListener>> {
    if addr.is_empty() {
        return Ok(None);
    }
    let sock: SocketAddr = addr
        .parse()
        .with_context(|| format!("{key}: {addr:?} is not ip:port"))?;
    let l = TcpListener::bind(sock)
        .await
        .with_context(|| format!("binding {key} {sock}"))?;
    Ok(Some(l))
}

async fn gateway_config(config: &Config, rt: &Runtime) -> anyhow::Result<GatewayConfig> {
    let smtp = &config.smtp;
    let session = SessionConfig {
        hostname: config.hostname.clone(),
        max_data_line: smtp.max_line_length,
        max_message_size: smtp.max_message_size,
        max_recipients: smtp.max_recipients,
        max_errors: u32::try_from(smtp.max_errors).unwrap_or(u32::MAX),
        ..SessionConfig::default()
    };
    let tenants = rt.store.tenants().await?;
    let mut trusted = Vec::new();
    for entry in &smtp.trusted_networks {
        let cidr = Cidr::parse(&entry.cidr)
            .map_err(|e| anyhow::anyhow!("smtp.trusted_networks {:?}: {e}", entry.name))?;
        let tenant = if entry.organisation.is_empty() {
            tenants.first().context("no organisation yet")?.id
        } else {
            tenants
                .iter()
                .find(|t| t.name == entry.organisation)
                .with_context(|| {
                    format!(
                        "smtp.trusted_networks {:?}: no organisation {:?}",
                        entry.name, entry.organisation
                    )
                })?
                .id
        };
        let allowed_senders = SenderRules::parse(&entry.allowed_senders)
            .map_err(|e| anyhow::anyhow!("smtp.trusted_networks {:?}: {e}", entry.name))?;
        if allowed_senders.is_empty() {
            bail!(
                "smtp.trusted_networks {:?}: allowed_senders is empty, so the device could send nothing",
                entry.name
            );
        }
        if entry.insecure_allow_plaintext {
            tracing::warn!(
                network = %entry.cidr,
                device = %entry.name,
                "insecure_allow_plaintext is set: this network may submit mail WITHOUT TLS; \
                 each such message is recorded as channel smtp-plaintext. Use only on an isolated segment."
            );
        }
        trusted.push(TrustedNetwork {
            cidr,
            name: entry.name.clone(),
            tenant,
            allowed_senders,
            max_messages_per_minute: entry.max_messages_per_minute,
            insecure_allow_plaintext: entry.insecure_allow_plaintext,
        });
    }
    Ok(GatewayConfig {
        session,
        idle_timeout: Duration::from_secs(smtp.idle_timeout_secs),
        max_connections: smtp.max_connections,
        max_connections_per_ip: smtp.max_connections_per_ip,
        messages_per_minute_per_ip: smtp.max_messages_per_minute_per_ip,
        messages_per_minute_per_user: smtp.max_messages_per_minute_per_user,
        trusted_networks: trusted,
        ..GatewayConfig::default()
    })
}
