//! HTTPS to the provider: verified TLS, timeouts, no redirects, bounded response bodies,
//! and errors classified without leaking request contents.

use std::time::Duration;

use reqwest::{Certificate, Client, Response, Url};

use crate::config::SsoConfig;
use crate::error::{Error, Reason};

/// The largest response we read from the provider (discovery, JWKS, token).
pub(crate) const MAX_RESPONSE: usize = 256 * 1024;

/// Builds the HTTP client for one provider.
pub(crate) fn client(config: &SsoConfig) -> Result<Client, Error> {
    let mut builder = Client::builder()
        .timeout(Duration::from_secs(config.http_timeout_secs))
        .connect_timeout(Duration::from_secs(config.http_timeout_secs.min(5)))
        // A provider that redirects its metadata or token endpoint is misconfigured; not
        // following keeps a code or secret from travelling to a second host.
        .redirect(reqwest::redirect::Policy::none())
        .https_only(!config.insecure_allow_http_loopback)
        // A sign-in makes one or two requests: a fresh connection each time costs little
        // and avoids reusing a connection the provider has just closed (a POST on a reset
        // connection is not retried, and the code would be lost).
        .pool_max_idle_per_host(0)
        .user_agent(concat!("carepost-sso/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = &config.extra_root_certificates {
        let pem = std::fs::read(path).map_err(|e| {
            Error::new(
                Reason::Config,
                format!(
                    "sso.extra_root_certificates {}: {}",
                    path.display(),
                    e.kind()
                ),
            )
        })?;
        let certs = Certificate::from_pem_bundle(&pem).map_err(|_| {
            Error::new(
                Reason::Config,
                format!(
                    "sso.extra_root_certificates {}: not PEM certificates",
                    path.display()
                ),
            )
        })?;
        if certs.is_empty() {
            return Err(Error::new(
                Reason::Config,
                format!(
                    "sso.extra_root_certificates {}: no certificate",
                    path.display()
                ),
            ));
        }
        builder = builder.tls_certs_merge(certs);
    }
    builder
        .build()
        .map_err(|e| Error::new(Reason::Config, format!("HTTP client: {}", e.without_url())))
}

/// Classifies a transport error. The URL is ours (an endpoint from discovery) and carries
/// no secret, but reqwest's text is dropped anyway in favour of our own words.
pub(crate) fn transport_error(what: &str, url: &Url, e: &reqwest::Error) -> Error {
    if is_untrusted_certificate(e) {
        return Error::new(
            Reason::TlsUntrusted,
            format!(
                "{what} {}: the provider's TLS certificate is not trusted",
                origin(url)
            ),
        );
    }
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let mut chain = String::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(err) = current {
        chain.push_str(": ");
        chain.push_str(&err.to_string());
        current = err.source();
    }
    Error::new(
        Reason::ProviderUnreachable,
        format!("{what} {}: {kind}{chain}", origin(url)),
    )
}

/// Reads a body of at most [`MAX_RESPONSE`] bytes.
pub(crate) async fn read_limited(
    what: &str,
    url: &Url,
    mut resp: Response,
) -> Result<Vec<u8>, Error> {
    let too_large = || {
        Error::new(
            Reason::ResponseTooLarge,
            format!(
                "{what} {}: response larger than {MAX_RESPONSE} bytes",
                origin(url)
            ),
        )
    };
    if resp
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| transport_error(what, url, &e))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `scheme://host:port` of a URL: enough to say which provider, never a path or query.
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// True when a rustls certificate error is somewhere in the chain. `io::Error::source`
/// skips the error it wraps, and the TLS error arrives as an `io::Error` inside another, so
/// look inside each `io::Error` with `get_ref` too.
fn is_untrusted_certificate(e: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    for _ in 0..16 {
        let Some(err) = current else {
            return false;
        };
        let mut inner: &(dyn std::error::Error + 'static) = err;
        for _ in 0..4 {
            if is_rustls_cert_error(inner) {
                return true;
            }
            match inner
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(wrapped) => inner = wrapped,
                None => break,
            }
        }
        current = err.source();
    }
    false
}

fn is_rustls_cert_error(err: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        err.downcast_ref::<rustls::Error>(),
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
    )
}
