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
use crate::{audit_cmd, gateway, http, setup};

pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let (rt, report) = setup::init(config).await?;
    print_init_report(config, &report);

    if let Err(e) = record_config(config, &rt.store).await {
        tracing::error!(error = %e, "recording the configuration in the audit log failed");
    }

    let wake = Arc::new(Notify::new());
    // Copies go straight from intake to this node's delivery worker while it has slots
    // free (attached below, once the worker exists).
    let handoff = Arc::new(relay::DirectHandoff::default());
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
                    disclosure: Some(queue::DisclosureHeaders {
                        patient_header: config.audit.patient_header.clone(),
                        purpose_header: config.audit.purpose_header.clone(),
                        key: Arc::new(setup::patient_ref_key(&config.data_dir)?),
                    }),
                },
            )
            .with_wakeup(move || wake.notify_one())
            .with_direct_delivery(handoff.clone())
            .with_screening(queue::Screening {
                screener: Arc::new(screening::Screener::new()),
                policies: Arc::new(
                    queue::StorePolicySource::new(rt.store.clone()).map_err(anyhow::Error::msg)?,
                ),
            }),
        )
    };

    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    // The audit trail: a head over whatever is already stored (including this start-up's
    // own events), then one every audit.sign_interval_secs.
    let trail = audit_cmd::open_trail(config, &rt, true).await?;
    match trail.check_prefix().await {
        Ok(size) => {
            tracing::info!(events = size, key = %trail.public_key().key_id(), "audit trail loaded")
        }
        Err(e) => tracing::error!(error = %e, "audit trail check failed"),
    }
    let siem_task = crate::siem::start(config, rt.store.clone(), shutdown_rx.clone())?;
    // Security alerts (issue 6 item 11): sign-in events from the audit log, e-mailed to
    // each organisation's owners and admins as notices.
    let _alerts_task = crate::alerts::start(
        config,
        rt.store.clone(),
        intake.clone(),
        shutdown_rx.clone(),
    )?;
    let audit_task = tokio::spawn(audit_loop(
        config.clone(),
        trail.clone(),
        shutdown_rx.clone(),
    ));
    let tls = Arc::new(server_tls_config(config)?);
    let deliverer = Arc::new(build_deliverer(config)?);

    // The secure portal: publishing copies that wait for it, and the recipients' pages
    // (built before any listener opens, so all of them open together).
    let portal = if config.portal.enabled {
        let portal = Arc::new(
            portal_web::Portal::new(
                rt.store.clone(),
                rt.keys.clone(),
                intake.clone(),
                rt.clock.clone(),
                portal_settings(config),
                setup::portal_code_key(&config.data_dir)?,
                Some(&config.portal_languages_dir()),
            )
            .and_then(|p| match sms_sender(config)? {
                Some(sender) => p.with_sms(sender),
                None => Ok(p),
            })
            .context("portal")?,
        );
        let portal_wake = Arc::new(Notify::new());
        tokio::spawn(portal.clone().run(portal_wake, shutdown_rx.clone()));
        Some(portal)
    } else {
        None
    };

    // The admin console (built before any listener opens, like the portal).
    let console = if config.console.enabled {
        Some(Arc::new(
            build_console(config, &rt)
                .await?
                .with_mail(intake.clone(), &config.hostname)
                .with_trail(trail.clone()),
        ))
    } else {
        None
    };

    // SMTP listeners.
    let service = Arc::new(SubmissionService::new(
        intake.clone(),
        rt.store.clone(),
        &config.hostname,
    ));
    let gateway_task = gateway::start(
        config,
        &rt,
        service.clone(),
        tls.clone(),
        shutdown_rx.clone(),
    )
    .await?;

    // HTTPS listener.
    if !config.http.listen.is_empty() {
        let addr: SocketAddr = config.http.listen.parse().context("http.listen")?;
        let tcp = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding http.listen {addr}"))?;
        let mut http_tls = (*tls).clone();
        http_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let listener = http::TlsListener::new(tcp, TlsAcceptor::from(Arc::new(http_tls)))?;
        let state = http::AppState {
            clock: rt.clock.clone(),
            submissions: Some(service.clone()),
            hostname: config.hostname.clone(),
            max_message_bytes: config.smtp.max_message_size,
            // base64 grows attachments by a third; JSON adds a little.
            max_request_bytes: config.smtp.max_message_size / 3 * 4 + 64 * 1024,
            ..http::AppState::new(rt.store.clone(), trail.clone())
        };
        let app = http::router(state, portal.clone(), console.clone())
            .into_make_service_with_connect_info::<http::PeerAddr>();
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
    handoff.attach(&worker);
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
        let _ = audit_task.await;
        if let Some(t) = siem_task {
            let _ = t.await;
        }
    })
    .await;
    Ok(())
}

/// Sign (and publish) a head whenever events were added, every `sign_interval_secs`, and
/// once more at shutdown; check the stored prefix against the held tree hourly; purge
/// content past retention daily.
async fn audit_loop(
    config: Config,
    trail: Arc<audit_trail::AuditTrail>,
    mut stop: watch::Receiver<bool>,
) {
    let interval = Duration::from_secs(config.audit.sign_interval_secs);
    let mut last_check = std::time::Instant::now();
    let mut last_purge: Option<std::time::Instant> = None;
    loop {
        match trail.sign_head_if_grown().await {
            Ok(Some((head, failures))) => {
                tracing::info!(
                    tree_size = head.head.head.tree_size,
                    cosignatures = head.cosignatures.len(),
                    "signed an audit tree head"
                );
                for f in failures {
                    tracing::error!(error = %f, "publishing an audit head failed");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "signing an audit head failed"),
        }
        if last_check.elapsed() >= Duration::from_secs(3600) {
            last_check = std::time::Instant::now();
            if let Err(e) = trail.check_prefix().await {
                tracing::error!(error = %e, "AUDIT LOG TAMPERING SUSPECTED: the stored log no longer matches the signed tree");
            }
        }
        if last_purge.is_none_or(|t| t.elapsed() >= Duration::from_secs(86_400)) {
            last_purge = Some(std::time::Instant::now());
            match audit_cmd::purge_store(&config, trail.store()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "purged audit event content past retention"),
                Err(e) => tracing::warn!(error = %e, "audit retention purge failed"),
            }
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}

/// The SMS sender for portal codes, when `[sms]` is enabled. The auth token is read from
/// its file (never from the configuration) into a zeroizing buffer.
fn sms_sender(
    config: &Config,
) -> Result<Option<Arc<dyn portal_web::sms::SmsSender>>, portal_web::SetupError> {
    use portal_web::SetupError;
    use portal_web::sms::twilio::{TwilioConfig, TwilioSender};
    if !config.sms.enabled {
        return Ok(None);
    }
    let read = |what: &str, path: &str| {
        fs::read(path).map_err(|e| SetupError::Setting(format!("sms.{what} {path}: {}", e.kind())))
    };
    let token = zeroize::Zeroizing::new(read("auth_token_file", &config.sms.auth_token_file)?);
    let token = std::str::from_utf8(&token)
        .map_err(|_| SetupError::Setting("sms.auth_token_file is not UTF-8 text".into()))?;
    let extra_roots_pem = if config.sms.extra_ca_file.is_empty() {
        None
    } else {
        Some(read("extra_ca_file", &config.sms.extra_ca_file)?)
    };
    let sender = TwilioSender::new(&TwilioConfig {
        api_base: config.sms.api_base.clone(),
        account_sid: config.sms.account_sid.clone(),
        auth_token: zeroize::Zeroizing::new(token.trim().to_string()),
        from: config.sms.from.clone(),
        extra_roots_pem,
        timeout: Duration::from_secs(config.sms.timeout_secs),
    })
    .map_err(|e| SetupError::Setting(e.to_string()))?;
    tracing::info!(url = sender.url(), "portal codes by text message are on");
    Ok(Some(Arc::new(sender)))
}

fn portal_settings(config: &Config) -> portal_web::PortalSettings {
    portal_web::PortalSettings {
        public_url: config.portal_public_url(),
        link_ttl: Duration::from_secs(config.portal.link_days * 86_400),
        sessions: portal::rules::SessionRules {
            idle: Duration::from_secs(config.portal.session_idle_secs),
            absolute: Duration::from_secs(config.portal.session_max_secs),
        },
        accent: config.portal.accent_colour.clone(),
        read_notice: config.portal.read_notice,
        max_reply_bytes: config.portal.max_reply_bytes,
        hostname: config.hostname.clone(),
        requests_per_minute_per_ip: config.portal.requests_per_minute_per_ip,
        ..portal_web::PortalSettings::default()
    }
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

/// Record the configuration this server runs with, when it differs from the one recorded
/// last: a digest per section (values never: they may hold a database password), and which
/// sections changed.
async fn record_config(config: &Config, store: &storage::SharedStore) -> anyhow::Result<()> {
    use audit::{AuditEvent, EventKind};
    use sha2::{Digest, Sha256};
    let digest = |text: String| hex::encode(&Sha256::digest(text.as_bytes())[..8]);
    let sections: Vec<(&str, String)> = vec![
        (
            "general",
            digest(format!(
                "{:?}{:?}{:?}{:?}{:?}",
                config.data_dir,
                config.hostname,
                config.organisation,
                config.admin_address,
                config.log_format
            )),
        ),
        ("database", digest(format!("{:?}", config.database))),
        ("smtp", digest(format!("{:?}", config.smtp))),
        ("http", digest(format!("{:?}", config.http))),
        ("delivery", digest(format!("{:?}", config.delivery))),
        ("dkim", digest(format!("{:?}", config.dkim))),
        ("audit", digest(format!("{:?}", config.audit))),
        ("portal", digest(format!("{:?}", config.portal))),
        ("sms", digest(format!("{:?}", config.sms))),
    ];
    let tokens: Vec<String> = sections.iter().map(|(n, d)| format!("{n}:{d}")).collect();
    // The newest earlier record, if any: found through a cursor that remembers its
    // position (reading the whole log at every start would grow with the log).
    let sections_of = |event: &AuditEvent| -> Option<Vec<String>> {
        event
            .details
            .get("sections")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
    };
    let previous: Option<Vec<String>> = match store.audit_cursor(CONFIG_CURSOR).await? {
        Some(seq) => store
            .audit_range(seq, 1)
            .await?
            .first()
            .and_then(|stored| stored.event())
            .and_then(|e| e.ok())
            .filter(|e| e.kind == EventKind::AdminConfigChanged)
            .and_then(|e| sections_of(&e)),
        None => store
            .find_audit_all(&storage::AuditFilter {
                kinds: vec![EventKind::AdminConfigChanged],
                actor: Some("system:config".into()),
                ..storage::AuditFilter::default()
            })
            .await?
            .last()
            .and_then(sections_of),
    };
    if previous.as_ref() == Some(&tokens) {
        return Ok(());
    }
    let changed: Vec<&str> = sections
        .iter()
        .zip(&tokens)
        .filter(|(_, t)| previous.as_ref().is_none_or(|p| !p.contains(t)))
        .map(|((n, _), _)| *n)
        .collect();
    let event = AuditEvent::new(
        0,
        model::Clock::now(&model::SystemClock),
        audit::record::system("config"),
        EventKind::AdminConfigChanged,
    )
    .with_detail("sections", tokens)
    .with_detail("changed", changed)
    .with_detail("first", previous.is_none());
    let seq = store.append_audit(&[event]).await?;
    store.set_audit_cursor(CONFIG_CURSOR, seq).await?;
    Ok(())
}

/// The audit cursor holding the position of the newest configuration record.
const CONFIG_CURSOR: &str = "config-record";

async fn build_console(
    config: &Config,
    rt: &setup::Runtime,
) -> anyhow::Result<console_web::Console> {
    let access = if config.console.access_policy_file.is_empty() {
        access::AccessPolicy::default()
    } else {
        let text = fs::read_to_string(&config.console.access_policy_file).with_context(|| {
            format!(
                "reading console.access_policy_file {}",
                config.console.access_policy_file
            )
        })?;
        access::AccessPolicy::parse(&text)
            .map_err(|e| anyhow::anyhow!("console.access_policy_file: {e}"))?
    };
    let geo = if config.console.geoip_database.is_empty() {
        None
    } else {
        Some(
            access::geo::GeoDb::open(&config.console.geoip_database)
                .map_err(|e| anyhow::anyhow!("console.geoip_database: {e}"))?,
        )
    };
    let console = console_web::Console::new(
        rt.store.clone(),
        rt.keys.clone(),
        rt.clock.clone(),
        console_web::ConsoleSettings {
            public_url: config.console_public_url(),
            session_idle: Duration::from_secs(config.console.session_idle_secs),
            session_max: Duration::from_secs(config.console.session_max_secs),
            step_up_window: Duration::from_secs(config.console.step_up_secs),
            issuer: format!("carepost {}", config.organisation),
        },
        access,
        geo,
    )
    .map_err(|e| anyhow::anyhow!("console: {e}"))?;
    if !config.sso.enabled {
        return Ok(console);
    }
    let sso = &config.sso;
    let redirect = if sso.redirect_uri.is_empty() {
        format!("{}/console/sso/callback", config.console_public_url())
    } else {
        sso.redirect_uri.clone()
    };
    let mut settings = sso::SsoConfig::new(
        &sso.issuer,
        &sso.client_id,
        std::path::PathBuf::from(&sso.client_secret_file),
        &redirect,
    );
    settings.groups_claim = sso.groups_claim.clone();
    settings.group_roles = sso.group_roles.clone();
    if !sso.extra_ca_file.is_empty() {
        settings.extra_root_certificates = Some(std::path::PathBuf::from(&sso.extra_ca_file));
    }
    settings
        .validate()
        .map_err(|e| anyhow::anyhow!("sso: {}", e.detail()))?;
    let tenants = rt.store.tenants().await?;
    let tenant = if sso.organisation.is_empty() {
        tenants.first()
    } else {
        tenants.iter().find(|t| t.name == sso.organisation)
    }
    .with_context(|| {
        format!(
            "sso.organisation {:?}: no such organisation",
            sso.organisation
        )
    })?;
    Ok(console.with_sso(console_web::SsoSetup::new(
        settings,
        tenant.id,
        sso.passkey_for_privileged,
    )))
}
