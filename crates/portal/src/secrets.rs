//! Link tokens, session ids, CSRF tokens and one-time codes.
//!
//! Every secret comes from the operating system's CSPRNG (aws-lc-rs). The database keeps only
//! hashes: SHA-256 for the high-entropy link token and session id (a fast hash is fine for
//! 256 bits), and a keyed HMAC for the 6-digit code (20 bits of entropy would fall to an
//! offline guess against an unkeyed hash; the key is held by the adapter, not in the rows).

use aws_lc_rs::{digest, hmac, rand as lc_rand};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Length of a link token or session id: 32 bytes in base64url without padding.
pub const TOKEN_LEN: usize = 43;

/// A freshly issued secret: `secret` goes to the person (in a link or a cookie), `hash` to
/// the database.
#[derive(Clone, PartialEq, Eq)]
pub struct Issued {
    /// The secret itself (43 base64url characters). Never log it.
    pub secret: String,
    /// Lowercase hex SHA-256 of `secret`; safe to store and to look up by.
    pub hash: String,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("secret", &"[redacted]")
            .field("hash", &self.hash)
            .finish()
    }
}

/// A new link token for a portal copy (256 random bits).
pub fn new_link_token() -> Issued {
    let secret = random_b64(32);
    let hash = sha256_hex(&secret);
    Issued { secret, hash }
}

/// The hash to look up for a token taken from a URL, or `None` when the candidate does not
/// have the token format (exactly 43 base64url characters), so garbage never reaches the
/// database.
pub fn token_hash(candidate: &str) -> Option<String> {
    is_token_format(candidate).then(|| sha256_hex(candidate))
}

/// A new session id (256 random bits); the cookie carries `secret`, the store keeps `hash`.
pub fn new_session_id() -> Issued {
    new_link_token()
}

/// A new CSRF synchronizer token (256 random bits, base64url) to keep in the session.
pub fn new_csrf_token() -> String {
    random_b64(32)
}

/// A new one-time code: 6 decimal digits, uniformly distributed.
pub fn new_code() -> String {
    // Rejection sampling: 4 294 000 000 is the largest multiple of 10^6 that fits in a u32,
    // so reducing values below it modulo 10^6 has no bias.
    const LIMIT: u32 = 4_294_000_000;
    loop {
        let mut b = [0u8; 4];
        fill(&mut b);
        let v = u32::from_be_bytes(b);
        if v < LIMIT {
            return format!("{:06}", v % 1_000_000);
        }
    }
}

/// Normalises what a person typed as a code: spaces and dashes are removed, and the rest
/// must be exactly 6 ASCII digits.
pub fn normalise_code(input: &str) -> Option<String> {
    if input.len() > 64 {
        return None;
    }
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// Keyed hash of a code for one portal copy: HMAC-SHA256 over `copy_id`, a NUL separator and
/// the normalised code, as lowercase hex. A code that does not normalise is hashed as typed,
/// so it can never match a stored hash of a valid code.
pub fn code_hash(key: &[u8; 32], copy_id: &str, code: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(b"carepost-portal-code-v1\0");
    ctx.update(copy_id.as_bytes());
    ctx.update(b"\0");
    match normalise_code(code) {
        Some(c) => ctx.update(c.as_bytes()),
        None => {
            ctx.update(b"\xff invalid:");
            ctx.update(code.as_bytes());
        }
    }
    hex::encode(ctx.sign().as_ref())
}

/// Longest passcode taken into account.
pub const MAX_PASSCODE_CHARS: usize = 200;

/// Keyed hash (HMAC-SHA256, hex) of a passcode the sender chose for one copy. Spaces at
/// either end and letter case do not matter: passcodes are read out over the phone.
pub fn passcode_hash(key: &[u8; 32], copy_id: &str, passcode: &str) -> String {
    let normal: String = passcode
        .trim()
        .chars()
        .take(MAX_PASSCODE_CHARS)
        .flat_map(char::to_lowercase)
        .collect();
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(b"carepost-portal-passcode-v1\0");
    ctx.update(copy_id.as_bytes());
    ctx.update(b"\0");
    ctx.update(normal.as_bytes());
    hex::encode(ctx.sign().as_ref())
}

/// Compares two strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Masks an address for display, e.g. `jane.doe@example.org` → `j•••@e•••.org`: the first
/// character of the local part and of the domain, and the last label of the domain.
pub fn mask_address(addr: &str) -> String {
    const DOTS: &str = "•••";
    let addr = addr.trim();
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return match addr.chars().next() {
            Some(c) => format!("{c}{DOTS}"),
            None => DOTS.to_string(),
        };
    };
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let (host, tld) = match domain.rsplit_once('.') {
        Some((h, t)) if !h.is_empty() && !t.is_empty() => (h, Some(t)),
        _ => (domain, None),
    };
    let mut out = format!("{}{DOTS}@{}{DOTS}", first(local), first(host));
    if let Some(t) = tld {
        out.push('.');
        out.extend(t.chars().take(24));
    }
    out
}

fn is_token_format(s: &str) -> bool {
    // The decoder rejects non-alphabet characters and non-canonical trailing bits, so each
    // 32-byte token has exactly one accepted spelling.
    s.len() == TOKEN_LEN && URL_SAFE_NO_PAD.decode(s).is_ok_and(|d| d.len() == 32)
}

fn random_b64(n: usize) -> String {
    let mut b = vec![0u8; n];
    fill(&mut b);
    URL_SAFE_NO_PAD.encode(&b)
}

fn fill(buf: &mut [u8]) {
    // The OS random source failing is not something a caller can recover from, and
    // continuing with a predictable secret would be worse than stopping.
    lc_rand::fill(buf).expect("the operating system's random number generator failed");
}

fn sha256_hex(s: &str) -> String {
    hex::encode(digest::digest(&digest::SHA256, s.as_bytes()).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passcodes_ignore_case_and_outer_spaces_but_not_the_copy() {
        let k = [7u8; 32];
        let a = passcode_hash(&k, "copy-1", "Blue Heron 42");
        assert_eq!(a, passcode_hash(&k, "copy-1", "  blue heron 42 "));
        assert_ne!(a, passcode_hash(&k, "copy-1", "blue heron 43"));
        assert_ne!(a, passcode_hash(&k, "copy-2", "Blue Heron 42"));
        assert_ne!(a, code_hash(&k, "copy-1", "Blue Heron 42"));
    }

    #[test]
    fn link_tokens_are_43_chars_and_hash_to_sha256_hex() {
        let t = new_link_token();
        assert_eq!(t.secret.len(), TOKEN_LEN);
        assert_eq!(t.hash.len(), 64);
        assert!(
            t.hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(token_hash(&t.secret).as_deref(), Some(t.hash.as_str()));
        assert_ne!(new_link_token().secret, t.secret);
        assert!(!format!("{t:?}").contains(&t.secret));
    }

    #[test]
    fn token_hash_rejects_anything_not_token_shaped() {
        let good = new_link_token().secret;
        assert!(token_hash(&good).is_some());
        assert!(token_hash("").is_none());
        assert!(token_hash(&good[..42]).is_none());
        assert!(token_hash(&format!("{good}A")).is_none());
        assert!(token_hash(&format!("{}+", &good[..42])).is_none());
        assert!(token_hash(&format!("{}=", &good[..42])).is_none());
        assert!(token_hash("' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_none());
        // Non-canonical last character (low bits set) is refused.
        let mut bytes = good.into_bytes();
        bytes[42] = b'B';
        assert!(token_hash(std::str::from_utf8(&bytes).expect("ascii")).is_none());
    }

    #[test]
    fn session_ids_and_csrf_tokens_are_fresh() {
        let a = new_session_id();
        assert_eq!(a.secret.len(), 43);
        assert_ne!(a.secret, new_session_id().secret);
        assert_eq!(new_csrf_token().len(), 43);
        assert_ne!(new_csrf_token(), new_csrf_token());
    }

    #[test]
    fn codes_are_six_digits_and_spread_over_all_digits() {
        let mut seen = [0u32; 10];
        for _ in 0..2000 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            for b in c.bytes() {
                assert!(b.is_ascii_digit());
                seen[usize::from(b - b'0')] += 1;
            }
        }
        // 12 000 digits: each should appear about 1200 times.
        assert!(seen.iter().all(|&n| n > 900 && n < 1500), "{seen:?}");
    }

    #[test]
    fn normalise_code_accepts_spaces_and_dashes_only() {
        assert_eq!(normalise_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalise_code("123-456").as_deref(), Some("123456"));
        assert_eq!(normalise_code("12345"), None);
        assert_eq!(normalise_code("1234567"), None);
        assert_eq!(normalise_code("12a456"), None);
        assert_eq!(normalise_code("١٢٣٤٥٦"), None); // non-ASCII digits
        assert_eq!(normalise_code(""), None);
    }

    #[test]
    fn code_hash_is_keyed_bound_to_the_copy_and_normalised() {
        let k = [7u8; 32];
        let h = code_hash(&k, "copy-1", "123456");
        assert_eq!(h.len(), 64);
        assert_eq!(h, code_hash(&k, "copy-1", "123 456"));
        assert_ne!(h, code_hash(&k, "copy-2", "123456"));
        assert_ne!(h, code_hash(&[8u8; 32], "copy-1", "123456"));
        assert_ne!(h, code_hash(&k, "copy-1", "123457"));
        assert_ne!(
            code_hash(&k, "copy-1", "abc"),
            code_hash(&k, "copy-1", "abd")
        );
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
        assert!(constant_time_eq("", ""));
    }

    #[test]
    fn mask_address_shows_only_initials_and_tld() {
        assert_eq!(mask_address("jane.doe@example.org"), "j•••@e•••.org");
        assert_eq!(mask_address("x@mail.clinic.co.uk"), "x•••@m•••.uk");
        assert_eq!(mask_address("ana@localhost"), "a•••@l•••");
        assert_eq!(mask_address("nobody"), "n•••");
        assert_eq!(mask_address(""), "•••");
        assert!(!mask_address("jane.doe@example.org").contains("doe"));
    }
}
