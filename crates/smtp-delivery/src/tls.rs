//! TLS client configuration, failure classification, and the record of a session.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme,
};
use sha2::{Digest, Sha256};

use crate::config::ConfigError;

/// The TLS side of [`crate::Deliverer`]: the shared client configuration and, for
/// `require_verified_tls = false`, the verifier used to record whether a session's
/// certificate would have verified.
pub(crate) struct TlsSetup {
    pub(crate) client: Arc<ClientConfig>,
    verifier: Arc<WebPkiServerVerifier>,
    permissive: bool,
}

/// What is known about an established session's TLS.
#[derive(Clone, Debug)]
pub(crate) struct TlsInfo {
    pub(crate) version: String,
    pub(crate) cipher: String,
    pub(crate) peer_cert_sha256: String,
    pub(crate) verified: bool,
}

impl TlsSetup {
    pub(crate) fn new(extra_ca_pem: Option<&[u8]>, verified: bool) -> Result<Self, ConfigError> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(pem) = extra_ca_pem {
            let mut added = 0;
            for cert in rustls_pemfile::certs(&mut &pem[..]) {
                let cert = cert.map_err(|e| ConfigError::BadCaBundle(e.to_string()))?;
                roots
                    .add(cert)
                    .map_err(|e| ConfigError::BadCaBundle(e.to_string()))?;
                added += 1;
            }
            if added == 0 {
                return Err(ConfigError::BadCaBundle("no certificates found".into()));
            }
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| ConfigError::Tls(e.to_string()))?;
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| ConfigError::Tls(e.to_string()))?;
        // Session resumption stays on (rustls's default in-memory store), which saves a
        // full handshake when a pooled session is replaced.
        let client = if verified {
            builder
                .with_webpki_verifier(verifier.clone())
                .with_no_client_auth()
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(RecordOnlyVerifier {
                    algorithms: provider.signature_verification_algorithms,
                }))
                .with_no_client_auth()
        };
        Ok(Self {
            client: Arc::new(client),
            verifier,
            permissive: !verified,
        })
    }

    /// The facts of an established session for `name`.
    pub(crate) fn info(&self, conn: &ClientConnection, name: &ServerName<'static>) -> TlsInfo {
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
            Some(v) => format!("{v:?}"),
            None => "unknown".to_string(),
        };
        let cipher = conn
            .negotiated_cipher_suite()
            .map(|s| {
                let suite = s.suite();
                suite
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{suite:?}"))
            })
            .unwrap_or_else(|| "unknown".to_string());
        let certs = conn.peer_certificates().unwrap_or_default();
        let peer_cert_sha256 = certs
            .first()
            .map(|c| hex::encode(Sha256::digest(c.as_ref())))
            .unwrap_or_default();
        let verified = match certs.split_first() {
            // The verifying configuration refuses any handshake that does not verify.
            Some(_) if !self.permissive => true,
            Some((end_entity, intermediates)) => self
                .verifier
                .verify_server_cert(end_entity, intermediates, name, &[], UnixTime::now())
                .is_ok(),
            None => false,
        };
        TlsInfo {
            version,
            cipher,
            peer_cert_sha256,
            verified,
        }
    }
}

/// A precise, PHI-free description of why a TLS handshake failed.
pub(crate) fn describe_tls_error(err: &std::io::Error) -> TlsFailure {
    let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return match err.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                TlsFailure::Network("connection closed during TLS handshake".into())
            }
            kind => TlsFailure::Network(format!("I/O error during TLS handshake: {kind}")),
        };
    };
    let text = match tls {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "certificate not valid for name".to_string()
            }
            CertificateError::UnknownIssuer => "certificate issuer not trusted".to_string(),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "certificate expired".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "certificate not yet valid".to_string()
            }
            CertificateError::Revoked => "certificate revoked".to_string(),
            CertificateError::BadSignature => "certificate signature invalid".to_string(),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                "certificate not valid for TLS server use".to_string()
            }
            CertificateError::BadEncoding => "certificate malformed".to_string(),
            other => format!("certificate invalid ({other:?})"),
        },
        rustls::Error::NoCertificatesPresented => "no certificate presented".to_string(),
        rustls::Error::AlertReceived(alert) => format!("peer sent TLS alert {alert:?}"),
        rustls::Error::PeerIncompatible(why) => format!("peer TLS incompatible ({why:?})"),
        rustls::Error::PeerMisbehaved(why) => format!("peer TLS misbehaved ({why:?})"),
        other => format!("TLS handshake failed ({other})"),
    };
    TlsFailure::Policy(text)
}

/// How a handshake failed: the peer's TLS is unacceptable, or the network failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TlsFailure {
    /// Certificate, protocol or alert: retrying will not help; the copy may need the portal.
    Policy(String),
    /// The connection broke or timed out during the handshake: worth a retry.
    Network(String),
}

/// For `require_verified_tls = false` only: accepts any certificate (the handshake
/// signatures are still checked, so the peer holds the key of the certificate it shows);
/// [`TlsSetup::info`] then records whether it would have verified.
#[derive(Debug)]
struct RecordOnlyVerifier {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for RecordOnlyVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
