//! Limits and identity of a session. Every key has a default here and nowhere else.

/// Settings of the SMTP server session. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionConfig {
    /// Host name in the greeting and the EHLO reply. Default `"localhost"`.
    pub hostname: String,
    /// Longest command line in bytes, CRLF included; also bounds AUTH continuation lines
    /// (RFC 5321 section 4.5.3.1.4 asks for at least 512, RFC 4954 for 12288 in AUTH; a
    /// 2 KiB AUTH PLAIN line holds a 1.5 KiB secret, which is plenty). Default 2048.
    pub max_command_line: usize,
    /// Longest DATA line in bytes, CRLF excluded. Longer lines are not a hang: the message is
    /// read to its end and then refused with `554 5.6.0`. RFC 5321 section 4.5.3.1.6 says
    /// 1000 with CRLF; real clients exceed it, so the default is 10_000.
    pub max_data_line: usize,
    /// Largest message in bytes (after dot-unstuffing), advertised as `SIZE`. Past it we stop
    /// buffering, read to the end of DATA and reply `552 5.3.4`. Default 25 MiB.
    pub max_message_size: usize,
    /// Most recipients per message; the next one gets `452 4.5.3`. Default 100.
    pub max_recipients: usize,
    /// Error replies (5xx) before the session says `421 4.7.0` and closes. Default 10.
    pub max_errors: u32,
    /// Failed AUTH attempts per session before `421 4.7.0` and close. Default 3.
    pub max_auth_attempts: u32,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            hostname: "localhost".to_string(),
            max_command_line: 2048,
            max_data_line: 10_000,
            max_message_size: 25 * 1024 * 1024,
            max_recipients: 100,
            max_errors: 10,
            max_auth_attempts: 3,
        }
    }
}

/// What the adapter knows about the connection when the session starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// TLS is already active (implicit-TLS port, RFC 8314).
    pub tls: bool,
    /// The adapter can upgrade with STARTTLS (it has a certificate and a plaintext stream).
    pub starttls_available: bool,
    /// The client address is on a trusted network: it may send without AUTH.
    pub trusted: Option<TrustedClient>,
}

/// A client on a trusted network (a scanner, an EHR system).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrustedClient {
    /// The network's entry allows mail without TLS (`insecure_allow_plaintext`).
    pub insecure_allow_plaintext: bool,
}
