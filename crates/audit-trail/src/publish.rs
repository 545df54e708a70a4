//! Publishing signed heads outside the database: an append-only file and witnesses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use audit::{Cosignature, PublicKey, SignedTreeHead};
use serde::{Deserialize, Serialize};

use crate::trail::AuditTrail;
use crate::{Result, TrailError, io};

/// Somewhere a signed head goes when it is made.
#[async_trait]
pub trait HeadPublisher: Send + Sync {
    /// Publish `head`. A witness returns its cosignature.
    async fn publish(
        &self,
        trail: &AuditTrail,
        head: &SignedTreeHead,
    ) -> Result<Option<Cosignature>>;
}

/// An append-only file of head lines (`audit::head_line`), one per signed head: a copy of
/// the log's commitments that an operator can keep on other storage (a WORM volume, a log
/// shipper). `carepost audit verify` checks the live store against every head in it.
#[derive(Clone, Debug)]
pub struct HeadFile {
    path: PathBuf,
}

impl HeadFile {
    /// The file at `path` (created on first publish, mode 0600).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every head in the file, in order. A missing file is empty. A line that is not a
    /// head is an error naming its line number.
    pub fn read(&self) -> Result<Vec<SignedTreeHead>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(format!("reading {}", self.path.display()))(e)),
        };
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                audit::parse_head_line(l).map_err(|reason| TrailError::Io {
                    what: format!("{} line {}", self.path.display(), i + 1),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, reason),
                })
            })
            .collect()
    }

    fn append(&self, head: &SignedTreeHead) -> Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        let what = format!("appending to {}", self.path.display());
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(io(what.clone()))?;
        let mut line = audit::head_line(head);
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io(what.clone()))?;
        file.sync_data().map_err(io(what))
    }
}

#[async_trait]
impl HeadPublisher for HeadFile {
    async fn publish(
        &self,
        _trail: &AuditTrail,
        head: &SignedTreeHead,
    ) -> Result<Option<Cosignature>> {
        let this = self.clone();
        let head = head.clone();
        tokio::task::spawn_blocking(move || this.append(&head))
            .await
            .map_err(|_| TrailError::Io {
                what: "head file writer".into(),
                source: std::io::Error::other("task failed"),
            })??;
        Ok(None)
    }
}

/// What a witness says about the last head it countersigned.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WitnessLast {
    /// The head, if it has countersigned any.
    pub last: Option<SignedTreeHead>,
    /// The witness's public key (hex).
    pub witness_key: String,
}

/// A request to countersign.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CountersignRequest {
    /// The new head.
    pub head: SignedTreeHead,
    /// Consistency proof from the witness's last head (hex hashes).
    pub proof: Vec<String>,
}

/// A witness's answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CountersignResponse {
    /// The cosignature, when given.
    pub cosignature: Option<Cosignature>,
    /// Why it was refused.
    pub error: Option<String>,
}

/// Timeout for one witness exchange.
const WITNESS_TIMEOUT: Duration = Duration::from_secs(10);

/// A `carepost witness` (or another log's witness endpoint) reached over HTTP(S).
///
/// Heads are public: the exchange needs integrity, which the signatures give, not
/// secrecy. A configured `witness_key` makes the client check each cosignature.
#[derive(Clone, Debug)]
pub struct WitnessClient {
    url: String,
    key: Option<PublicKey>,
    http: reqwest::Client,
}

impl WitnessClient {
    /// A witness at `url` (e.g. `http://127.0.0.1:9020`), whose cosignatures are checked
    /// against `key` when given.
    pub fn new(url: &str, key: Option<PublicKey>) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(WITNESS_TIMEOUT)
            .build()
            .map_err(|e| TrailError::Witness {
                url: url.to_string(),
                reason: format!("client: {e}"),
            })?;
        Ok(Self {
            url: url.trim_end_matches('/').to_string(),
            key,
            http,
        })
    }

    /// Its address.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn fail(&self, reason: impl Into<String>) -> TrailError {
        TrailError::Witness {
            url: self.url.clone(),
            reason: reason.into(),
        }
    }

    /// The last head the witness countersigned.
    pub async fn last(&self) -> Result<WitnessLast> {
        let response = self
            .http
            .get(format!("{}/witness/v1/last", self.url))
            .send()
            .await
            .map_err(|e| self.fail(format!("unreachable: {}", e.without_url())))?;
        if !response.status().is_success() {
            return Err(self.fail(format!("status {}", response.status())));
        }
        response
            .json()
            .await
            .map_err(|_| self.fail("malformed answer"))
    }

    /// Ask the witness to countersign `head`, proving it extends the witness's last head.
    pub async fn countersign(
        &self,
        trail: &AuditTrail,
        head: &SignedTreeHead,
    ) -> Result<Cosignature> {
        let last = self.last().await?;
        let proof = match &last.last {
            Some(prev) if prev.head.tree_size > head.head.tree_size => {
                return Err(self.fail(format!(
                    "witness holds a larger head ({} > {})",
                    prev.head.tree_size, head.head.tree_size
                )));
            }
            Some(prev) => trail
                .consistency_proof(prev.head.tree_size, head.head.tree_size)
                .await?
                .iter()
                .map(hex::encode)
                .collect(),
            None => Vec::new(),
        };
        let response = self
            .http
            .post(format!("{}/witness/v1/countersign", self.url))
            .json(&CountersignRequest {
                head: head.clone(),
                proof,
            })
            .send()
            .await
            .map_err(|e| self.fail(format!("unreachable: {}", e.without_url())))?;
        let status = response.status();
        let answer: CountersignResponse = response
            .json()
            .await
            .map_err(|_| self.fail(format!("malformed answer (status {status})")))?;
        let cosignature = match (answer.cosignature, answer.error) {
            (Some(c), _) if status.is_success() => c,
            (_, Some(e)) => return Err(self.fail(format!("refused: {e}"))),
            _ => return Err(self.fail(format!("status {status}"))),
        };
        if let Some(key) = &self.key {
            audit::verify_cosignature(
                &head.head,
                &cosignature,
                &audit::TrustedKeys::new().with(*key),
            )
            .map_err(|e| self.fail(format!("bad cosignature: {e}")))?;
        }
        Ok(cosignature)
    }
}

#[async_trait]
impl HeadPublisher for WitnessClient {
    async fn publish(
        &self,
        trail: &AuditTrail,
        head: &SignedTreeHead,
    ) -> Result<Option<Cosignature>> {
        self.countersign(trail, head).await.map(Some)
    }
}
