//! The witness's side: its key and the last head it countersigned, kept on disk, and the
//! HTTP endpoints `carepost witness` serves.
//!
//! The state is written (to a temporary file, synced, then renamed) before a cosignature
//! is returned, so a witness that crashes never forgets a head it vouched for and can never
//! be talked into countersigning a conflicting history after a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use audit::{AuditSigner, Hash, SignedTreeHead, TrustedKeys, Witness};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use tokio::sync::Mutex;

use crate::publish::{CountersignRequest, CountersignResponse, WitnessLast};
use crate::{Result, TrailError, io};

/// File names inside the witness's directory.
const KEY_FILE: &str = "witness.key";
const LAST_FILE: &str = "witness-last.json";

/// A witness and where it keeps its state.
pub struct WitnessState {
    dir: PathBuf,
    log_keys: TrustedKeys,
    witness: Witness,
}

impl std::fmt::Debug for WitnessState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WitnessState")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl WitnessState {
    /// Open (creating on first use, mode 0700/0600) the witness kept in `dir`, which
    /// countersigns heads signed by `log_keys`.
    pub fn open(dir: &Path, log_keys: TrustedKeys) -> Result<Self> {
        create_private_dir(dir)?;
        let signer = load_or_create_key(&dir.join(KEY_FILE))?;
        let last_path = dir.join(LAST_FILE);
        let witness = match std::fs::read_to_string(&last_path) {
            Ok(text) => {
                let last: SignedTreeHead =
                    serde_json::from_str(&text).map_err(|_| TrailError::Io {
                        what: format!("reading {}", last_path.display()),
                        source: std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "not a signed head",
                        ),
                    })?;
                Witness::resume(signer, log_keys.clone(), last)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Witness::new(signer, log_keys.clone())
            }
            Err(e) => return Err(io(format!("reading {}", last_path.display()))(e)),
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            log_keys,
            witness,
        })
    }

    /// The witness's public key.
    pub fn public_key(&self) -> audit::PublicKey {
        self.witness.public_key()
    }

    /// The last countersigned head.
    pub fn last(&self) -> Option<&SignedTreeHead> {
        self.witness.last()
    }

    /// Countersign `head` if it extends the last one; the new state is on disk before
    /// the cosignature is returned. Nothing changes on refusal.
    pub fn countersign(
        &mut self,
        head: &SignedTreeHead,
        proof: &[Hash],
    ) -> Result<audit::Cosignature> {
        let previous = self.witness.last().cloned();
        let cosignature = self.witness.countersign(head, proof)?;
        if let Err(e) = self.persist(head) {
            // Could not remember it: take it back rather than vouch without a record.
            let signer = load_or_create_key(&self.dir.join(KEY_FILE))?;
            let keys = self.log_keys.clone();
            self.witness = match previous {
                Some(prev) => Witness::resume(signer, keys, prev)?,
                None => Witness::new(signer, keys),
            };
            return Err(e);
        }
        Ok(cosignature)
    }

    fn persist(&self, head: &SignedTreeHead) -> Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.dir.join(LAST_FILE);
        let tmp = self.dir.join(format!("{LAST_FILE}.tmp"));
        let what = format!("writing {}", path.display());
        let text = serde_json::to_string(head).map_err(|e| TrailError::Io {
            what: what.clone(),
            source: std::io::Error::other(e),
        })?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io(what.clone()))?;
        file.write_all(text.as_bytes()).map_err(io(what.clone()))?;
        file.sync_all().map_err(io(what.clone()))?;
        std::fs::rename(&tmp, &path).map_err(io(what.clone()))?;
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(io(what))
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io(format!("creating {}", dir.display())))?;
    }
    Ok(())
}

/// Load an Ed25519 key from a PKCS#8 PEM file, or create one (mode 0600).
pub fn load_or_create_key(path: &Path) -> Result<AuditSigner> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            check_private(path)?;
            let der = pem_decode(&text, "PRIVATE KEY").ok_or_else(|| TrailError::Io {
                what: format!("reading {}", path.display()),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "not a PEM PRIVATE KEY",
                ),
            })?;
            Ok(AuditSigner::from_pkcs8(&der)?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let signer = AuditSigner::generate()?;
            let der = signer.to_pkcs8()?;
            let pem = pem_encode(der.as_bytes(), "PRIVATE KEY");
            let what = format!("writing {}", path.display());
            let mut file = std::fs::OpenOptions::new()
                .create_new(true)
                .write(true)
                .mode(0o600)
                .open(path)
                .map_err(io(what.clone()))?;
            file.write_all(pem.as_bytes()).map_err(io(what.clone()))?;
            file.sync_all().map_err(io(what))?;
            Ok(signer)
        }
        Err(e) => Err(io(format!("reading {}", path.display()))(e)),
    }
}

fn check_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(io(format!("reading {}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(TrailError::Io {
            what: format!(
                "{} is readable by group or others (mode {:o})",
                path.display(),
                mode & 0o777
            ),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        });
    }
    Ok(())
}

/// PEM armour (RFC 7468) around DER.
pub fn pem_encode(der: &[u8], label: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The DER inside the first PEM block with `label`.
pub fn pem_decode(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    let b64: String = text[start..stop].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// The witness's HTTP endpoints: `GET /witness/v1/last` and `POST /witness/v1/countersign`.
pub fn router(state: Arc<Mutex<WitnessState>>) -> Router {
    Router::new()
        .route("/witness/v1/last", get(last))
        .route("/witness/v1/countersign", post(countersign))
        .with_state(state)
}

async fn last(State(state): State<Arc<Mutex<WitnessState>>>) -> Json<WitnessLast> {
    let state = state.lock().await;
    Json(WitnessLast {
        last: state.last().cloned(),
        witness_key: state.public_key().to_hex(),
    })
}

async fn countersign(
    State(state): State<Arc<Mutex<WitnessState>>>,
    Json(request): Json<CountersignRequest>,
) -> (StatusCode, Json<CountersignResponse>) {
    let refuse = |status, error: String| {
        (
            status,
            Json(CountersignResponse {
                cosignature: None,
                error: Some(error),
            }),
        )
    };
    let mut proof = Vec::with_capacity(request.proof.len());
    for h in &request.proof {
        let mut out = [0u8; 32];
        if hex::decode_to_slice(h, &mut out).is_err() {
            return refuse(
                StatusCode::BAD_REQUEST,
                "proof hash is not 64 hex digits".into(),
            );
        }
        proof.push(out);
    }
    let mut state = state.lock().await;
    match state.countersign(&request.head, &proof) {
        Ok(cosignature) => {
            tracing::info!(
                tree_size = request.head.head.tree_size,
                "witness countersigned a head"
            );
            (
                StatusCode::OK,
                Json(CountersignResponse {
                    cosignature: Some(cosignature),
                    error: None,
                }),
            )
        }
        Err(TrailError::Audit(e)) => {
            tracing::warn!(tree_size = request.head.head.tree_size, error = %e, "witness refused a head");
            refuse(StatusCode::CONFLICT, e.to_string())
        }
        Err(e) => {
            tracing::error!(error = %e, "witness could not record a head");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "witness storage failed".into(),
            )
        }
    }
}
