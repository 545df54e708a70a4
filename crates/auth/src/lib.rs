//! Secrets people and programs authenticate with: generating them and checking them.
//!
//! **What it does:** argon2id hashing (PHC strings) and verification of login passwords and
//! SMTP app passwords; generation of random app passwords and one-time passwords.
//!
//! **What it does not do:** no storage and no I/O: callers keep the PHC strings. Sessions,
//! MFA, passkeys and conditional access are later additions to this crate.
//!
//! **Security:** argon2id with the crate's defaults (RFC 9106 second recommended option:
//! m = 19 MiB, t = 2, p = 1), a random 16-byte salt per hash, constant-time comparison
//! inside the verifier. Passwords are never truncated. Generated secrets come from the
//! system RNG through aws-lc-rs: 128 bits for app passwords.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The stored hash is not a PHC string we understand.
    #[error("stored hash is malformed")]
    MalformedHash,
    /// Hashing failed (RNG or parameters).
    #[error("hashing failed")]
    Hashing,
}

/// Hash a secret with argon2id into a PHC string.
pub fn hash_secret(secret: &str) -> Result<String, AuthError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| AuthError::Hashing)
}

/// Check a secret against a PHC string. `Ok(false)` for a wrong secret.
pub fn verify_secret(secret: &str, phc: &str) -> Result<bool, AuthError> {
    let hash = PasswordHash::new(phc).map_err(|_| AuthError::MalformedHash)?;
    Ok(Argon2::default()
        .verify_password(secret.as_bytes(), &hash)
        .is_ok())
}

/// A random app password: 16 random bytes as 4 groups of lower-case letters and digits
/// (easy to paste into a scanner's settings page), e.g. `k3v9-x2p7-...`.
pub fn generate_app_password() -> Result<Zeroizing<String>, AuthError> {
    random_grouped(16, 4)
}

/// A random one-time login password for a new account (128 bits).
pub fn generate_one_time_password() -> Result<Zeroizing<String>, AuthError> {
    random_grouped(16, 5)
}

fn random_grouped(bytes: usize, group: usize) -> Result<Zeroizing<String>, AuthError> {
    // 32 symbols: 5 bits each; no 0/o/1/l to avoid misreading.
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut raw = Zeroizing::new(vec![0u8; bytes]);
    SystemRandom::new()
        .fill(&mut raw)
        .map_err(|_| AuthError::Hashing)?;
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut chars = Zeroizing::new(String::new());
    for &b in raw.iter() {
        bits = (bits << 8) | u32::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            chars.push(char::from(ALPHABET[((bits >> nbits) & 31) as usize]));
        }
    }
    if nbits > 0 {
        chars.push(char::from(ALPHABET[((bits << (5 - nbits)) & 31) as usize]));
    }
    let mut out = Zeroizing::new(String::with_capacity(chars.len() + chars.len() / group));
    for (i, c) in chars.chars().enumerate() {
        if i > 0 && i % group == 0 {
            out.push('-');
        }
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_secret_verifies_and_wrong_one_does_not() {
        let phc = hash_secret("correct horse battery staple").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert_eq!(
            verify_secret("correct horse battery staple", &phc),
            Ok(true)
        );
        assert_eq!(
            verify_secret("correct horse battery stapl", &phc),
            Ok(false)
        );
        assert_eq!(
            verify_secret("x", "not a hash"),
            Err(AuthError::MalformedHash)
        );
    }

    #[test]
    fn long_secrets_are_not_truncated() {
        let long = "a".repeat(200);
        let phc = hash_secret(&long).expect("hash");
        assert_eq!(verify_secret(&"a".repeat(199), &phc), Ok(false));
        assert_eq!(verify_secret(&long, &phc), Ok(true));
    }

    #[test]
    fn generated_passwords_are_random_and_long_enough() {
        let a = generate_app_password().expect("rng");
        let b = generate_app_password().expect("rng");
        assert_ne!(*a, *b);
        assert!(
            a.replace('-', "").len() >= 26,
            "128 bits at 5 bits per char"
        );
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
