//! First run and start-up: the data directory, the master key, the listener certificate,
//! the store, the first organisation and admin, and the key ring.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};

use audit::{AuditEvent, EventKind, Subject};
use crypto::{KeyKind, KeyRing, MasterKey};
use model::{Clock, EmailAddress, Role, SystemClock, TenantId, UserId};
use storage::{KeyPurpose, SharedStore, StorageError, Tenant, User, WrappedKey};

use crate::config::Config;

pub const MASTER_KEY_FILE: &str = "master.key";
const MASTER_KEY_NEW_FILE: &str = "master.key.new";
const DB_FILE: &str = "carepost.db";

/// Everything a command needs once start-up is done.
pub struct Runtime {
    pub config: Config,
    pub store: SharedStore,
    pub keys: Arc<KeyRing>,
    pub clock: Arc<dyn Clock>,
}

/// What `init` did, for its report.
pub struct InitReport {
    pub created_data_dir: bool,
    pub created_master_key: bool,
    pub created_certificate: bool,
    /// Set only when the organisation and admin were created now.
    pub first_admin: Option<(String, zeroize::Zeroizing<String>)>,
    pub dkim_record: Option<String>,
}

/// The first-run step, idempotent: creates only what is missing.
pub async fn init(config: &Config) -> anyhow::Result<(Runtime, InitReport)> {
    let dir = &config.data_dir;
    let created_data_dir = !dir.exists();
    fs::create_dir_all(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("restricting {}", dir.display()))?;

    let db_exists = config.database.url.is_empty() && dir.join(DB_FILE).exists();
    let key_path = dir.join(MASTER_KEY_FILE);
    let created_master_key = if key_path.exists() {
        false
    } else {
        if db_exists {
            bail!(
                "{} is missing but the database exists: without the master key the sealed data \
                 cannot be read. Restore the key file from your backup; refusing to create a new one.",
                key_path.display()
            );
        }
        let master = MasterKey::generate()?;
        write_secret_file(&key_path, master.to_text().as_bytes())?;
        true
    };

    let created_certificate = ensure_listener_certificate(config)?;
    // The audit signing key and the patient-reference key, so verifiers and witnesses can
    // be given audit-signing.pub before the first `serve`.
    audit_signer(dir)?;
    patient_ref_key(dir)?;
    portal_code_key(dir)?;
    let store = open_store(config).await?;
    let keys = Arc::new(load_key_ring(dir, &store).await?);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);

    let mut first_admin = None;
    let mut dkim_record = None;
    if store.tenants().await?.is_empty() {
        let now = clock.now();
        let (tenant, record) =
            create_organisation(&store, &keys, clock.as_ref(), &config.organisation).await?;
        dkim_record = Some(record);
        let admin_address = admin_address(config)?;
        let password = auth::generate_one_time_password()?;
        let hash = auth::hash_secret(&password)?;
        let admin_id = UserId::new();
        let admin_created = AuditEvent::new(0, now, audit_actor(), EventKind::AdminUserCreated)
            .with_tenant(tenant.id)
            .with_subject(Subject {
                user: Some(admin_id),
                ..Subject::default()
            })
            .with_detail("role", Role::Owner.as_str());
        store
            .create_user(
                &User {
                    id: admin_id,
                    tenant: tenant.id,
                    address: admin_address.clone(),
                    role: Role::Owner,
                    password_hash: Some(hash),
                    must_change_password: true,
                    disabled: false,
                    created: now,
                },
                &[admin_created],
            )
            .await?;
        first_admin = Some((admin_address.to_string(), password));
    }
    let report = InitReport {
        created_data_dir,
        created_master_key,
        created_certificate,
        first_admin,
        dkim_record,
    };
    Ok((
        Runtime {
            config: config.clone(),
            store,
            keys,
            clock,
        },
        report,
    ))
}

/// Create an organisation with its data key and DKIM key; returns it and the DKIM DNS TXT
/// record to publish. Keys are made first, so an interruption never leaves an
/// organisation that cannot seal.
pub async fn create_organisation(
    store: &SharedStore,
    keys: &KeyRing,
    clock: &dyn Clock,
    name: &str,
) -> anyhow::Result<(Tenant, String)> {
    let now = clock.now();
    let tenant = Tenant {
        id: TenantId::new(),
        name: name.to_string(),
        created: now,
    };
    let data_key = keys.generate_tenant_key(tenant.id)?;
    let dkim_pkcs8 = message::dkim::generate_rsa_pkcs8()?;
    let dkim_key = keys.wrap_material(tenant.id, &dkim_pkcs8)?;
    let dkim_record = message::dkim::dns_txt_record(&dkim_pkcs8)?;
    let created = AuditEvent::new(0, now, audit_actor(), EventKind::AdminTenantCreated)
        .with_tenant(tenant.id);
    store.create_tenant(&tenant, &[created]).await?;
    for (k, purpose, active) in [
        (data_key, KeyPurpose::TenantData, true),
        (dkim_key, KeyPurpose::Dkim, true),
    ] {
        let event = key_event(now, tenant.id, purpose, &k.id, "created");
        store
            .put_key(
                &WrappedKey {
                    id: k.id,
                    tenant: tenant.id,
                    purpose,
                    wrapped: k.wrapped,
                    wrapping_key_id: k.wrapping_key_id,
                    active,
                    created: now,
                },
                &[event],
            )
            .await?;
    }
    Ok((tenant, dkim_record))
}

/// This node's stable id (data_dir/node.id, created on first use): the prefix of every
/// lease it takes, so a restarted node can recognise its own orphaned claims.
pub fn node_id(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join("node.id");
    if let Ok(text) = fs::read_to_string(&path) {
        let id = text.trim().to_string();
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(id);
        }
        bail!(
            "{} is malformed: delete it to get a new node id",
            path.display()
        );
    }
    let id = format!("node{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    // Written whole or not at all: serve writes it after the ports open, so a stop at that
    // moment once left an empty node.id that refused every later start.
    write_file_atomically(&path, format!("{id}\n").as_bytes(), 0o644)?;
    Ok(id)
}

/// Start-up for commands other than init/serve: the data directory must exist.
pub async fn open(config: &Config) -> anyhow::Result<Runtime> {
    let dir = &config.data_dir;
    if !dir.join(MASTER_KEY_FILE).exists() {
        bail!(
            "no master key in {}: run `carepost init` first (or pass --data-dir)",
            dir.display()
        );
    }
    let store = open_store(config).await?;
    let keys = Arc::new(load_key_ring(dir, &store).await?);
    Ok(Runtime {
        config: config.clone(),
        store,
        keys,
        clock: Arc::new(SystemClock),
    })
}

fn admin_address(config: &Config) -> anyhow::Result<EmailAddress> {
    let text = if config.admin_address.is_empty() {
        format!("admin@{}", config.hostname)
    } else {
        config.admin_address.clone()
    };
    EmailAddress::parse(&text).map_err(|e| anyhow::anyhow!("admin_address {text:?}: {e}"))
}

pub async fn open_store(config: &Config) -> anyhow::Result<SharedStore> {
    if config.database.url.is_empty() {
        let path = config.data_dir.join(DB_FILE);
        let store = storage_sqlite::SqliteStore::open(&path)
            .await
            .with_context(|| format!("opening SQLite database {}", path.display()))?;
        Ok(Arc::new(store))
    } else if config.database.url.starts_with("postgres://")
        || config.database.url.starts_with("postgresql://")
    {
        let store = storage_postgres::PostgresStore::connect(&config.database.url)
            .await
            .context("connecting to PostgreSQL (database.url)")?;
        Ok(Arc::new(store))
    } else {
        bail!("database.url must be empty (SQLite) or start with postgres://")
    }
}

/// Read the master key file(s) and unwrap every stored key.
pub async fn load_key_ring(dir: &Path, store: &SharedStore) -> anyhow::Result<KeyRing> {
    let master = read_master_key(&dir.join(MASTER_KEY_FILE))?;
    let ring = KeyRing::new(master);
    // A rotation interrupted after writing the new key but before renaming it: keys may be
    // wrapped by either, so hold both.
    let new_path = dir.join(MASTER_KEY_NEW_FILE);
    if new_path.exists() {
        ring.add_master(read_master_key(&new_path)?, false);
    }
    reload_keys(&ring, store, dir).await?;
    Ok(ring)
}

/// Load (or reload) every stored key into the ring: picks up keys rotated by another
/// process (`carepost keys rotate` while `serve` runs), including a new master key file.
pub async fn reload_keys(ring: &KeyRing, store: &SharedStore, dir: &Path) -> anyhow::Result<()> {
    let keys = store.all_keys().await?;
    if keys.iter().any(|k| !ring.has_master(&k.wrapping_key_id)) {
        for (file, active) in [(MASTER_KEY_FILE, true), (MASTER_KEY_NEW_FILE, false)] {
            let path = dir.join(file);
            if path.exists() {
                let master = read_master_key(&path)?;
                if !ring.has_master(master.id()) {
                    ring.add_master(master, active);
                }
            }
        }
    }
    for key in keys {
        let kind = match key.purpose {
            KeyPurpose::TenantData => KeyKind::TenantData,
            KeyPurpose::Dkim => KeyKind::Material,
        };
        ring.load(
            &key.id,
            key.tenant,
            kind,
            &key.wrapped,
            &key.wrapping_key_id,
            key.active,
        )
        .with_context(|| format!("unwrapping key {}", key.id))?;
    }
    Ok(())
}

fn read_master_key(path: &Path) -> anyhow::Result<MasterKey> {
    let meta = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        bail!(
            "{} is readable by other users (mode {:o}); run `chmod 600 {}`",
            path.display(),
            meta.permissions().mode() & 0o777,
            path.display()
        );
    }
    let text = zeroize::Zeroizing::new(
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    );
    MasterKey::from_text(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Write a file readable only by its owner, durably.
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    if let Some(parent) = path.parent() {
        fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

/// Replaces `path` with `bytes` so that a crash or kill leaves either the old file or the
/// new one, never a part: written to a sibling temporary file, synced, then renamed.
pub fn write_file_atomically(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let _ = fs::remove_file(&tmp);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    if let Some(parent) = path.parent() {
        fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

/// The listener certificate and key paths: configured, or self-signed in data_dir/tls.
pub fn listener_cert_paths(config: &Config) -> (PathBuf, PathBuf) {
    if config.smtp.tls_cert_file.is_empty() {
        let dir = config.data_dir.join("tls");
        (dir.join("cert.pem"), dir.join("key.pem"))
    } else {
        (
            PathBuf::from(&config.smtp.tls_cert_file),
            PathBuf::from(&config.smtp.tls_key_file),
        )
    }
}

fn ensure_listener_certificate(config: &Config) -> anyhow::Result<bool> {
    let (cert, key) = listener_cert_paths(config);
    if !config.smtp.tls_cert_file.is_empty() {
        if !cert.exists() || !key.exists() {
            bail!(
                "configured TLS certificate or key not found: {} / {}",
                cert.display(),
                key.display()
            );
        }
        return Ok(false);
    }
    if cert.exists() && key.exists() {
        return Ok(false);
    }
    let dir = config.data_dir.join("tls");
    fs::create_dir_all(&dir)?;
    let mut names = vec![config.hostname.clone()];
    if config.hostname != "localhost" {
        names.push("localhost".to_string());
    }
    let certified = rcgen::generate_simple_self_signed(names)
        .context("generating a self-signed certificate")?;
    let _ = fs::remove_file(&key);
    write_secret_file(&key, certified.signing_key.serialize_pem().as_bytes())?;
    write_file_atomically(&cert, certified.cert.pem().as_bytes(), 0o644)?;
    Ok(true)
}

/// Rotate keys: new tenant data keys and/or a new master key.
pub async fn rotate_keys(rt: &Runtime, master: bool, tenant: bool) -> anyhow::Result<Vec<String>> {
    let mut done = Vec::new();
    if tenant {
        for t in rt.store.tenants().await? {
            let k = rt.keys.generate_tenant_key(t.id)?;
            let id = k.id.clone();
            let event = key_event(rt.clock.now(), t.id, KeyPurpose::TenantData, &id, "rotated");
            rt.store
                .put_key(
                    &WrappedKey {
                        id: k.id,
                        tenant: t.id,
                        purpose: KeyPurpose::TenantData,
                        wrapped: k.wrapped,
                        wrapping_key_id: k.wrapping_key_id,
                        active: true,
                        created: rt.clock.now(),
                    },
                    &[event],
                )
                .await?;
            done.push(format!(
                "tenant {} data key is now {id} (older keys kept to read existing data)",
                t.name
            ));
        }
    }
    if master {
        let dir = &rt.config.data_dir;
        let new_path = dir.join(MASTER_KEY_NEW_FILE);
        let new_master = MasterKey::generate()?;
        let new_id = new_master.id().to_string();
        let _ = fs::remove_file(&new_path);
        write_secret_file(&new_path, new_master.to_text().as_bytes())?;
        rt.keys.add_master(new_master, true);
        let rewrapped = rt.keys.rewrap_all()?;
        let stored = rt.store.all_keys().await?;
        let updated: Vec<WrappedKey> = stored
            .into_iter()
            .filter_map(|mut k| {
                let (_, wrapped) = rewrapped.iter().find(|(id, _)| *id == k.id)?;
                k.wrapped = wrapped.clone();
                k.wrapping_key_id = new_id.clone();
                Some(k)
            })
            .collect();
        let event = AuditEvent::new(0, rt.clock.now(), audit_actor(), EventKind::AdminKeyRotated)
            .with_detail("key_kind", "master")
            .with_detail("key_id", audit::record::token_or_placeholder(&new_id))
            .with_detail("rewrapped", updated.len() as u64);
        match rt.store.rewrap_keys(&updated, &[event]).await {
            Ok(()) => {}
            Err(StorageError::Unavailable(e)) => bail!("database unavailable during rotation: {e}"),
            Err(e) => return Err(e.into()),
        }
        fs::rename(&new_path, dir.join(MASTER_KEY_FILE))?;
        fs::File::open(dir)?.sync_all()?;
        done.push(format!(
            "master key is now {new_id}; {} keys re-wrapped; the old master key was destroyed",
            updated.len()
        ));
    }
    Ok(done)
}

/// The actor for changes made from the command line: the operator is whoever can run
/// carepost against this data directory (the OS account), which the log cannot name.
pub fn audit_actor() -> audit::Actor {
    audit::record::system("cli")
}

fn key_event(
    at: model::Timestamp,
    tenant: TenantId,
    purpose: KeyPurpose,
    key_id: &str,
    action: &str,
) -> AuditEvent {
    AuditEvent::new(0, at, audit_actor(), EventKind::AdminKeyRotated)
        .with_tenant(tenant)
        .with_detail("key_kind", purpose.as_str())
        .with_detail("key_id", audit::record::token_or_placeholder(key_id))
        .with_detail("action", action)
}

/// The audit signing key (data_dir/audit-signing.key, PKCS#8 PEM, mode 0600), created on
/// first use together with its public half (audit-signing.pub), which verifiers trust.
pub fn audit_signer(dir: &Path) -> anyhow::Result<audit::AuditSigner> {
    let signer = audit_trail::witness::load_or_create_key(&dir.join(AUDIT_KEY_FILE))?;
    let public = dir.join(AUDIT_PUB_FILE);
    if !public.exists() {
        write_file_atomically(&public, signer.public_key().to_pem().as_bytes(), 0o644)?;
    }
    Ok(signer)
}

pub const AUDIT_KEY_FILE: &str = "audit-signing.key";
pub const AUDIT_PUB_FILE: &str = "audit-signing.pub";
pub const AUDIT_HEADS_FILE: &str = "audit-heads.jsonl";

pub const PATIENT_REF_KEY_FILE: &str = "patient-ref.key";

/// The secret for patient references in the audit log (data_dir/patient-ref.key, 32 random
/// bytes as hex, mode 0600), created on first use. Losing it makes earlier references
/// unmatchable: the accounting of disclosures could no longer find them. Back it up with
/// the master key.
pub fn patient_ref_key(dir: &Path) -> anyhow::Result<audit::KeyedHashKey> {
    let path = dir.join(PATIENT_REF_KEY_FILE);
    let secret = secret_key_file(&path)?;
    audit::KeyedHashKey::new(secret.as_ref())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The key that hashes portal one-time codes (every node of a cluster needs the same one:
/// copy the file with the master key).
pub const PORTAL_CODE_KEY_FILE: &str = "portal-code.key";

pub fn portal_code_key(dir: &Path) -> anyhow::Result<[u8; 32]> {
    let path = dir.join(PORTAL_CODE_KEY_FILE);
    let secret = secret_key_file(&path)?;
    <[u8; 32]>::try_from(secret.as_slice())
        .map_err(|_| anyhow::anyhow!("{} must hold 32 bytes (64 hex digits)", path.display()))
}

/// A 32-byte secret kept as hex in a file readable only by us, created on first use.
fn secret_key_file(path: &Path) -> anyhow::Result<zeroize::Zeroizing<Vec<u8>>> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let mode = fs::metadata(path)?.permissions().mode();
            if mode & 0o077 != 0 {
                bail!("{} must not be readable by group or others", path.display());
            }
            Ok(zeroize::Zeroizing::new(
                hex::decode(text.trim())
                    .with_context(|| format!("{} is not hex", path.display()))?,
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = zeroize::Zeroizing::new(vec![0u8; 32]);
            aws_lc_rs::rand::fill(&mut secret)
                .map_err(|_| anyhow::anyhow!("random number generator failed"))?;
            write_secret_file(path, hex::encode(secret.as_slice()).as_bytes())?;
            Ok(secret)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_id_is_created_once_and_a_leftover_temporary_file_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        // What a kill between create and rename leaves behind.
        fs::write(dir.path().join("node.id.tmp"), "").expect("write");
        let first = node_id(dir.path()).expect("create");
        assert!(first.starts_with("node") && first.len() == 16, "{first}");
        assert_eq!(node_id(dir.path()).expect("read"), first);
        assert!(!dir.path().join("node.id.tmp").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("node.id")]);
    }

    #[test]
    fn a_damaged_node_id_is_refused_with_the_fix_in_the_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("node.id"), "node/../x\n").expect("write");
        let err = node_id(dir.path()).expect_err("malformed").to_string();
        assert!(err.contains("malformed: delete it"), "{err}");
    }

    #[test]
    fn an_atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cert.pem");
        write_file_atomically(&path, b"a much longer first version", 0o644).expect("first");
        write_file_atomically(&path, b"second", 0o644).expect("second");
        assert_eq!(fs::read(&path).expect("read"), b"second");
        let mode = fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o022, 0, "never group- or world-writable: {mode:o}");
    }
}
