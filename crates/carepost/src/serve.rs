//! `carepost serve`: wire the listeners, the intake path and the delivery worker together.

use std::fs;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio_rustls::TlsAcceptor;

use queue::retry::RetrySchedule;
use queue::{Intake, IntakeConfig};
use relay::{DeliveryWorker, DkimSigning, SubmissionService, WorkerConfig};
use smtp_delivery::{Deliverer, DeliveryConfig as DelivererConfig};
use storage::KeyPurpose;

use crate::commands::print_init_report;
use crate::config::Config;
use crate::{gateway, http, setup};

pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let (rt, report) = setup::init(config).await?;
    print_init_report(config, &report);

    let wake = Arc::new(Notify::new());
    let intake = {
        let wake = wake.clone();
        Arc::new(
            Intake::new(
                rt.store.clone(),
                rt.keys.clone(),
                rt.clock.clone(),
                IntakeConfig {
                    hostname: config.hostname.clone(),
                    max_lifetime: Duration::from_secs(config.delivery.max_lifetime_secs),
                },
            )
            .with_wakeup(move || wake.notify_one()),
        )
    };

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let tls = Arc::new(server_tls_config(config)?);
    let deliverer = Arc::new(build_deliverer(config)?);

    // SMTP listeners.
    let service = Arc::new(SubmissionService::new(intake.clone(), rt.store.clone()));
    let gateway_task =
        gateway::start(config, &rt, service, tls.clone(), shutdown_rx.clone()).await?;

    // HTTPS listener.
    if !config.http.listen.is_empty() {
        let addr: SocketAddr = config.http.listen.parse().context("http.listen")?;
        let tcp = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding http.listen {addr}"))?;
        let mut http_tls = (*tls).clone();
        http_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let listener = http::TlsListener::new(tcp, TlsAcceptor::from(Arc::new(http_tls)))?;
        let app = http::router(rt.store.clone());
        let mut stop = shutdown_rx.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.changed().await;
                })
                .await;
        });
        tracing::info!(%addr, "https listening");
    }

    // Delivery (built before anything listens, so a bad delivery setting fails start-up
    // cleanly instead of after the ports are open).
    let dkim = if config.dkim.enabled {
        let mut keys = std::collections::HashMap::new();
        for k in rt.store.all_keys().await? {
            if k.purpose == KeyPurpose::Dkim && k.active {
                keys.insert(k.tenant, k.id);
            }
        }
        Some(DkimSigning {
            selector: config.dkim.selector.clone(),
            keys,
        })
    } else {
        None
    };
    // Claims left by this node's previous process (a crash or kill -9) are given back now
    // rather than after their lease runs out: nothing of that process is still in flight.
    let node = setup::node_id(&config.data_dir)?;
    let released = rt
        .store
        .release_claims_by_owner_prefix(&format!("{node}-"), rt.clock.now())
        .await?;
    if released > 0 {
        tracing::warn!(
            copies = released,
            "released claims left by an earlier run of this node; they will be retried"
        );
    }
    let worker = Arc::new(DeliveryWorker::new(
        rt.store.clone(),
        rt.keys.clone(),
        deliverer,
        intake.clone(),
        rt.clock.clone(),
        WorkerConfig {
            worker_id: format!("{node}-{}", uuid::Uuid::new_v4().simple()),
            concurrency: config.delivery.workers,
            lease: Duration::from_secs(300),
            hostname: config.hostname.clone(),
            schedule: RetrySchedule {
                lifetime: Duration::from_secs(config.delivery.max_lifetime_secs),
                ..RetrySchedule::default()
            },
            idle_poll: Duration::from_secs(1),
        },
        dkim,
        wake,
    ));
    let worker_task = tokio::spawn(worker.run(shutdown_rx.clone()));

    // Keys rotated by `carepost keys rotate` in another process are picked up here.
    {
        let keys = rt.keys.clone();
        let store = rt.store.clone();
        let dir = config.data_dir.clone();
        let mut stop = shutdown_rx.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(10)) => {}
                    _ = stop.changed() => break,
                }
                if let Err(e) = setup::reload_keys(&keys, &store, &dir).await {
                    tracing::warn!(error = %e, "reloading keys failed");
                }
            }
        });
    }

    tracing::info!(backend = rt.store.backend_name(), "carepost is running");
    wait_for_signal().await;
    tracing::info!("shutting down: no new connections; finishing transactions in progress");
    let _ = shutdown_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(20), async {
        let _ = gateway_task.await;
        let _ = worker_task.await;
    })
    .await;
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

fn build_deliverer(config: &Config) -> anyhow::Result<Deliverer> {
    let mut dc = DelivererConfig::new(config.hostname.clone());
    for (domain, route) in &config.delivery.routes {
        dc = dc
            .with_route(domain, route)
            .map_err(|e| anyhow::anyhow!("delivery.routes {domain:?}: {e}"))?;
    }
    if !config.delivery.extra_ca_file.is_empty() {
        let pem = fs::read(&config.delivery.extra_ca_file).with_context(|| {
            format!(
                "reading delivery.extra_ca_file {}",
                config.delivery.extra_ca_file
            )
        })?;
        dc.extra_ca_pem = Some(pem);
    }
    dc.max_connections_per_destination = config.delivery.max_connections_per_destination;
    dc.connect_timeout = Duration::from_secs(config.delivery.connect_timeout_secs);
    dc.smtp_port = config.delivery.smtp_port;
    for server in &config.delivery.dns_servers {
        dc.dns_servers.push(
            server
                .parse()
                .with_context(|| format!("delivery.dns_servers: {server:?} is not ip:port"))?,
        );
    }
    Deliverer::new(dc).map_err(|e| anyhow::anyhow!("delivery configuration: {e}"))
}

/// The listeners' TLS configuration: TLS 1.2 and 1.3 only, session tickets on.
pub fn server_tls_config(config: &Config) -> anyhow::Result<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let (cert_path, key_path) = setup::listener_cert_paths(config);
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .with_context(|| format!("reading {}", cert_path.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing {}", cert_path.display()))?;
    if certs.is_empty() {
        bail!("{} holds no certificate", cert_path.display());
    }
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .with_context(|| format!("reading {}", key_path.display()))?;
    let mut tls = rustls::ServerConfig::builder_with_protocol_versions(&[
        &rustls::version::TLS13,
        &rustls::version::TLS12,
    ])
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .context("TLS certificate and key do not match")?;
    tls.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new().context("TLS session tickets")?;
    Ok(tls)
}
