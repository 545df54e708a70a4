//! DKIM signing (RFC 6376) of outbound messages with RSA-SHA256, relaxed/relaxed.
//!
//! RSA-2048 is the default because every verifier supports it; Ed25519 (RFC 8463) is still
//! not verified by several large receivers. The signature itself is computed by
//! `mail-auth` (canonicalisation, body hash, RSA PKCS#1 v1.5 over SHA-256); this module
//! feeds it the message and an explicit signing time, so tests are reproducible and the
//! `t=` tag comes from the caller's [`model::Clock`], not from the system clock behind its
//! back.
//!
//! Line endings are normalised to CRLF *before* signing, and the normalised message is
//! what [`sign`] returns: what is signed is byte for byte what `smtp-delivery` sends
//! (it performs the same normalisation, which is then a no-op).
//!
//! **PHI:** the message passes through in memory; nothing is logged. Private keys are held
//! in [`DkimKey`], whose `Debug` does not print them.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_auth::common::crypto::{RsaKey, Sha256, SigningKey};
use mail_auth::common::headers::{HeaderStream, HeaderWriter, Writable, Writer};
use mail_auth::dkim::{Canonicalization, DkimSigner, Signature};

use model::Timestamp;

/// Header fields signed when present (and over-signed when absent, so they cannot be
/// added in transit). `Received`, `Return-Path` and other trace fields are not signed:
/// relays add them.
pub const SIGNED_HEADERS: &[&str] = &[
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Reply-To",
    "In-Reply-To",
    "References",
];

/// What went wrong while preparing or using a DKIM key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DkimError {
    /// The key bytes are not an RSA private key in PKCS#8 DER, or are too weak.
    #[error("invalid DKIM private key")]
    InvalidKey,
    /// Generating a key pair failed in the crypto library.
    #[error("DKIM key generation failed")]
    KeyGeneration,
    /// The message has no `From` header field (RFC 6376 section 5.4 requires signing it).
    #[error("message has no From header field")]
    NoFromHeader,
    /// The domain or selector is not a valid DNS label sequence.
    #[error("invalid DKIM domain or selector")]
    InvalidIdentity,
    /// The signature computation failed in the crypto library.
    #[error("DKIM signing failed: {0}")]
    Signing(String),
}

/// An RSA private key for DKIM signing, loaded from PKCS#8 DER.
pub struct DkimKey {
    inner: RsaKey<Sha256>,
}

impl DkimKey {
    /// Load an RSA private key (PKCS#8 DER, at least 2048 bits).
    pub fn from_pkcs8_der(pkcs8: &[u8]) -> Result<Self, DkimError> {
        // Check the size ourselves: aws-lc-rs accepts 1024-bit keys for signing, which
        // RFC 8301 forbids.
        let pair = KeyPair::from_pkcs8(pkcs8).map_err(|_| DkimError::InvalidKey)?;
        if pair.public_modulus_len() < 256 {
            return Err(DkimError::InvalidKey);
        }
        // `from_pkcs8_der` is deprecated in favour of `from_key_der(PrivateKeyDer)`, which
        // would pull `rustls-pki-types` into this pure crate just to name the input type.
        #[allow(deprecated)]
        let inner = RsaKey::<Sha256>::from_pkcs8_der(pkcs8).map_err(|_| DkimError::InvalidKey)?;
        Ok(Self { inner })
    }
}

impl fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DkimKey([redacted])")
    }
}

/// Generate a fresh RSA-2048 private key, PKCS#8 DER.
pub fn generate_rsa_pkcs8() -> Result<Vec<u8>, DkimError> {
    let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| DkimError::KeyGeneration)?;
    let der = pair.as_der().map_err(|_| DkimError::KeyGeneration)?;
    Ok(der.as_ref().to_vec())
}

/// The DNS TXT record value to publish at `<selector>._domainkey.<domain>` for a private
/// key: `v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>`.
pub fn dns_txt_record(pkcs8: &[u8]) -> Result<String, DkimError> {
    let pair = KeyPair::from_pkcs8(pkcs8).map_err(|_| DkimError::InvalidKey)?;
    let spki = pair
        .public_key()
        .as_der()
        .map_err(|_| DkimError::InvalidKey)?;
    Ok(format!(
        "v=DKIM1; k=rsa; p={}",
        BASE64.encode(spki.as_ref())
    ))
}

/// Sign `message` for `domain` with `selector` at time `now`, and return the message
/// (line endings normalised to CRLF) with a `DKIM-Signature` header field prepended.
pub fn sign(
    message: &[u8],
    signer: &DkimKey,
    domain: &str,
    selector: &str,
    now: Timestamp,
) -> Result<Vec<u8>, DkimError> {
    if !valid_dns_name(domain) || !valid_dns_name(selector) {
        return Err(DkimError::InvalidIdentity);
    }
    let message = normalize_crlf(message);
    if !Headers::new(&message).any(|(name, _)| name.eq_ignore_ascii_case(b"From")) {
        return Err(DkimError::NoFromHeader);
    }

    // The builder gives us a template with v, a, d, s, h set; we then do what
    // `DkimSigner::sign` does, but with our `now` for the t= tag.
    let template = DkimSigner::from_key(NoKey)
        .domain(domain)
        .selector(selector)
        .headers(SIGNED_HEADERS.iter().copied())
        .header_canonicalization(Canonicalization::Relaxed)
        .body_canonicalization(Canonicalization::Relaxed)
        .template;

    let (_body_len, canonical_headers, signed_headers, canonical_body) =
        template.canonicalize(Headers::new(&message));
    let mut signature = template;
    signature.bh = signer.inner.hash(canonical_body).as_ref().to_vec();
    signature.t = u64::try_from(now.as_millis() / 1000).unwrap_or(0);
    signature.h = signed_headers;
    signature.b = signer
        .inner
        .sign(Signable {
            headers: canonical_headers,
            signature: &signature,
        })
        .map_err(|e| DkimError::Signing(e.to_string()))?;

    let header = signature.to_header();
    let mut out = Vec::with_capacity(header.len() + message.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&message);
    Ok(out)
}

/// Convert bare LF and bare CR to CRLF (RFC 5322 line endings).
pub fn normalize_crlf(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 32);
    // Copy whole runs between line-end bytes (memchr finds them with SIMD).
    let mut rest = message;
    while let Some(end) = memchr::memchr2(b'\r', b'\n', rest) {
        out.extend_from_slice(&rest[..end]);
        out.extend_from_slice(b"\r\n");
        let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
        rest = &rest[end + if crlf { 2 } else { 1 }..];
    }
    out.extend_from_slice(rest);
    out
}

fn valid_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The canonical headers followed by the signature with an empty `b=` (RFC 6376 3.7).
struct Signable<'a> {
    headers: mail_auth::dkim::canonicalize::CanonicalHeaders<'a>,
    signature: &'a Signature,
}

impl Writable for Signable<'_> {
    fn write(self, writer: &mut impl Writer) {
        self.headers.write(writer);
        self.signature.write(writer, false);
    }
}

/// A stand-in key so the builder can produce a template; it never signs.
struct NoKey;

impl SigningKey for NoKey {
    type Hasher = Sha256;

    fn sign(&self, _input: impl Writable) -> mail_auth::Result<Vec<u8>> {
        Err(mail_auth::Error::Io("template key cannot sign".into()))
    }

    fn algorithm(&self) -> mail_auth::common::crypto::Algorithm {
        mail_auth::common::crypto::Algorithm::RsaSha256
    }
}

/// Header fields of a CRLF message, as `(name, value-including-CRLF)`, then the body.
/// Same contract as mail-auth's internal iterator: a line without a colon is a field with
/// an empty value, and the header block ends at the first empty line.
struct Headers<'a> {
    message: &'a [u8],
    pos: usize,
    body_start: Option<usize>,
}

impl<'a> Headers<'a> {
    fn new(message: &'a [u8]) -> Self {
        Self {
            message,
            pos: 0,
            body_start: None,
        }
    }

    /// End (exclusive, after CRLF) of the field starting at `start`, with continuations.
    fn field_end(&self, start: usize) -> usize {
        let mut cur = start;
        loop {
            match self.message[cur..].iter().position(|&b| b == b'\n') {
                Some(off) => {
                    let end = cur + off + 1;
                    match self.message.get(end) {
                        Some(b' ' | b'\t') => cur = end,
                        _ => return end,
                    }
                }
                None => return self.message.len(),
            }
        }
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.body_start.is_some() || self.pos >= self.message.len() {
            self.body_start.get_or_insert(self.message.len());
            return None;
        }
        let rest = &self.message[self.pos..];
        if rest.starts_with(b"\r\n") {
            self.body_start = Some(self.pos + 2);
            return None;
        }
        let start = self.pos;
        let end = self.field_end(start);
        self.pos = end;
        let field = &self.message[start..end];
        match field.iter().position(|&b| b == b':') {
            Some(colon) => Some((&field[..colon], &field[colon + 1..])),
            None => Some((field, b"")),
        }
    }
}

impl<'a> HeaderStream<'a> for Headers<'a> {
    fn next_header(&mut self) -> Option<(&'a [u8], &'a [u8])> {
        self.next()
    }

    fn body(&mut self) -> &'a [u8] {
        while self.next().is_some() {}
        let start = self.body_start.unwrap_or(self.message.len());
        self.message.get(start..).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Borrow;
    use std::collections::HashMap;
    use std::hash::Hash;
    use std::sync::{Mutex, OnceLock};

    use mail_auth::common::parse::TxtRecordParser;
    use mail_auth::common::verify::DomainKey;
    use mail_auth::{
        AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters, ResolverCache, Txt,
    };
    use model::{Clock, SystemClock};

    use super::*;

    const MSG: &[u8] = b"From: Clinic <doctor@clinic.example>\r\n\
To: lab@lab.example\r\n\
Subject: Results\r\n\
Date: Sun, 29 Nov 2026 20:00:00 +0000\r\n\
Message-ID: <1@clinic.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Hello,\r\n\
.dotted line\r\n\
\r\n";

    /// RSA key generation is slow in debug builds: share one key across tests.
    fn key() -> &'static Vec<u8> {
        static KEY: OnceLock<Vec<u8>> = OnceLock::new();
        KEY.get_or_init(|| generate_rsa_pkcs8().expect("keygen"))
    }

    struct TxtCache(Mutex<HashMap<Box<str>, Txt>>);

    impl ResolverCache<Box<str>, Txt> for TxtCache {
        fn get<Q>(&self, name: &Q) -> Option<Txt>
        where
            Box<str>: Borrow<Q>,
            Q: Hash + Eq + ?Sized,
        {
            self.0.lock().expect("lock").get(name).cloned()
        }
        fn remove<Q>(&self, name: &Q) -> Option<Txt>
        where
            Box<str>: Borrow<Q>,
            Q: Hash + Eq + ?Sized,
        {
            self.0.lock().expect("lock").remove(name)
        }
        fn insert(&self, key: Box<str>, value: Txt, _: std::time::Instant) {
            self.0.lock().expect("lock").insert(key, value);
        }
    }

    async fn verify(signed: &[u8], txt: &str) -> Vec<DkimResult> {
        let cache = TxtCache(Mutex::new(HashMap::new()));
        let dk = DomainKey::parse(txt.as_bytes()).expect("txt record parses");
        cache.insert(
            "sel._domainkey.clinic.example.".into(),
            Txt::from(dk),
            std::time::Instant::now(),
        );
        // Never queried: every lookup is answered from the cache above.
        let resolver = MessageAuthenticator::new_cloudflare().expect("resolver");
        let msg = AuthenticatedMessage::parse(signed).expect("parses");
        resolver
            .verify_dkim(Parameters::new(&msg).with_txt_cache(&cache))
            .await
            .into_iter()
            .map(|o| o.result().clone())
            .collect()
    }

    #[tokio::test]
    async fn signature_verifies_with_the_published_record() {
        let k = DkimKey::from_pkcs8_der(key()).expect("key");
        let signed = sign(MSG, &k, "clinic.example", "sel", SystemClock.now()).expect("signs");
        assert!(signed.starts_with(
            b"DKIM-Signature: v=1; a=rsa-sha256; s=sel; d=clinic.example; c=relaxed/relaxed;"
        ));
        assert!(signed.ends_with(MSG));
        let txt = dns_txt_record(key()).expect("txt");
        assert!(txt.starts_with("v=DKIM1; k=rsa; p=MIIBIjAN"), "{txt}");
        assert_eq!(verify(&signed, &txt).await, vec![DkimResult::Pass]);
    }

    #[tokio::test]
    async fn tampered_body_or_header_fails_verification() {
        let k = DkimKey::from_pkcs8_der(key()).expect("key");
        let signed = sign(MSG, &k, "clinic.example", "sel", SystemClock.now()).expect("signs");
        let txt = dns_txt_record(key()).expect("txt");
        let body = String::from_utf8(signed.clone())
            .expect("ascii")
            .replace("Hello", "Hellp");
        // mail-auth reports a body hash mismatch as neutral (RFC 6376 6.3 leaves it open);
        // what matters is that it does not pass.
        let res = verify(body.as_bytes(), &txt).await;
        assert!(
            matches!(
                res.as_slice(),
                [DkimResult::Fail(_) | DkimResult::Neutral(_)]
            ),
            "{res:?}"
        );
        let subj = String::from_utf8(signed)
            .expect("ascii")
            .replace("Results", "Result");
        let res = verify(subj.as_bytes(), &txt).await;
        assert!(matches!(res.as_slice(), [DkimResult::Fail(_)]), "{res:?}");
    }

    #[tokio::test]
    async fn bare_lf_message_is_normalised_and_still_verifies() {
        let k = DkimKey::from_pkcs8_der(key()).expect("key");
        let lf = String::from_utf8(MSG.to_vec())
            .expect("ascii")
            .replace("\r\n", "\n");
        let signed = sign(
            lf.as_bytes(),
            &k,
            "clinic.example",
            "sel",
            SystemClock.now(),
        )
        .expect("signs");
        assert!(signed.ends_with(MSG));
        let txt = dns_txt_record(key()).expect("txt");
        assert_eq!(verify(&signed, &txt).await, vec![DkimResult::Pass]);
    }

    #[test]
    fn signing_time_comes_from_the_caller() {
        let k = DkimKey::from_pkcs8_der(key()).expect("key");
        let signed = sign(
            MSG,
            &k,
            "clinic.example",
            "sel",
            Timestamp(1_796_000_000_123),
        )
        .expect("signs");
        let text = String::from_utf8(signed).expect("ascii");
        assert!(text.contains("t=1796000000;"), "{text}");
    }

    #[test]
    fn refuses_bad_keys_identities_and_messages_without_from() {
        assert_eq!(
            DkimKey::from_pkcs8_der(b"not a key").map(|_| ()),
            Err(DkimError::InvalidKey)
        );
        let k = DkimKey::from_pkcs8_der(key()).expect("key");
        assert!(!format!("{k:?}").contains("MII"));
        let now = Timestamp(0);
        assert_eq!(
            sign(MSG, &k, "clinic.example; x=1", "sel", now),
            Err(DkimError::InvalidIdentity)
        );
        assert_eq!(
            sign(MSG, &k, "clinic.example", "", now),
            Err(DkimError::InvalidIdentity)
        );
        assert_eq!(
            sign(
                b"To: a@b.example\r\n\r\nbody\r\n",
                &k,
                "clinic.example",
                "sel",
                now
            ),
            Err(DkimError::NoFromHeader)
        );
    }

    #[test]
    fn normalises_every_line_ending_to_crlf() {
        assert_eq!(
            normalize_crlf(b"a\nb\rc\r\nd"),
            b"a\r\nb\r\nc\r\nd".to_vec()
        );
        assert_eq!(normalize_crlf(b"\r\r\n\n"), b"\r\n\r\n\r\n".to_vec());
    }
}
