//! Time-based one-time passwords (RFC 6238) and single-use recovery codes.
//!
//! **TOTP:** HMAC-SHA-1, 6 digits, 30-second steps: the parameters every authenticator app
//! supports (some apps silently fall back to SHA-1 when offered SHA-256). Secrets are 160
//! random bits (RFC 4226 §4). [`TotpSecret::verify`] accepts one step of clock skew either way
//! (RFC 6238 §5.2) and refuses any step at or before the last one accepted, so a code works
//! once (§5.2: "the verifier MUST NOT accept the second attempt of the same OTP"). The
//! caller stores the returned step with the user.
//!
//! **Recovery codes:** 12 symbols from a 32-symbol alphabet without look-alikes (60 bits
//! each), shown once as `xxxx-xxxx-xxxx`, stored only as argon2id PHC strings. Typed input
//! is normalised (case, spaces, dashes) before checking.
//!
//! **Secrets:** [`TotpSecret`] and [`RecoveryCodes`] redact themselves in `Debug`; the
//! secret leaves only through [`TotpSecret::to_base32`] (for sealed storage) and
//! [`TotpSecret::otpauth_url`] (for enrolment, once), both wrapped in [`Zeroizing`].

use std::fmt;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use totp_rs::{Algorithm, Builder, Secret, Totp};
use zeroize::Zeroizing;

use crate::Error;

/// Digits in a code.
pub const DIGITS: u8 = 6;
/// Seconds in a step.
pub const STEP_SECONDS: u64 = 30;
/// Steps of clock skew accepted either way.
pub const SKEW_STEPS: u64 = 1;

/// A user's TOTP shared secret.
#[derive(Clone)]
pub struct TotpSecret {
    // Built with skew 0: `verify` walks the window itself to apply the replay rule.
    totp: Totp,
}

impl TotpSecret {
    /// A fresh 160-bit secret from the system CSPRNG.
    pub fn generate() -> Self {
        Self::build(Secret::generate())
            .expect("a generated 160-bit secret with RFC parameters always builds")
    }

    /// Restore a stored secret (RFC 4648 base32, as [`to_base32`](Self::to_base32) writes
    /// it). Refuses secrets under 128 bits.
    pub fn from_base32(text: &str) -> Result<Self, Error> {
        let secret = Secret::try_from_base32(text.trim()).map_err(|_| Error::InvalidTotpSecret)?;
        Self::build(secret)
    }

    /// The secret as RFC 4648 base32 without padding, for sealed storage.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(self.totp.secret().to_base32())
    }

    /// The `otpauth://totp/…` URL for enrolment (rendered as a QR code by the client).
    /// Neither `issuer` nor `account` may contain ':' or be empty.
    pub fn otpauth_url(&self, issuer: &str, account: &str) -> Result<Zeroizing<String>, Error> {
        if issuer.is_empty() || account.is_empty() {
            return Err(Error::InvalidOtpauthLabel);
        }
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_step_duration(STEP_SECONDS)
            .with_secret(self.totp.secret().clone())
            .with_issuer(Some(issuer))
            .with_account_name(account)
            .build()
            .map_err(|_| Error::InvalidOtpauthLabel)?;
        totp.to_url()
            .map(Zeroizing::new)
            .map_err(|_| Error::InvalidOtpauthLabel)
    }

    /// The code for the step containing `unix_seconds` (for tests and enrolment checks).
    pub fn code_at(&self, unix_seconds: u64) -> Zeroizing<String> {
        Zeroizing::new(self.totp.generate(unix_seconds).to_string())
    }

    /// Check `code` at `now_unix`. Accepts the current step and one either side, but only
    /// steps after `last_used_step` (replay protection). Returns the matched step, which the
    /// caller must store as the new `last_used_step`. Spaces in the code are ignored.
    pub fn verify(&self, code: &str, now_unix: u64, last_used_step: Option<u64>) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let now_step = now_unix / STEP_SECONDS;
        let first = now_step.saturating_sub(SKEW_STEPS);
        let last = now_step.saturating_add(SKEW_STEPS);
        (first..=last)
            .filter(|&step| last_used_step.is_none_or(|used| step > used))
            .find(|&step| {
                step.checked_mul(STEP_SECONDS)
                    .and_then(|t| self.totp.check(&code, t))
                    .is_some()
            })
    }

    fn build(secret: Secret) -> Result<Self, Error> {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_step_duration(STEP_SECONDS)
            .with_skew(0)
            .with_secret(secret)
            .build()
            .map_err(|_| Error::InvalidTotpSecret)?;
        Ok(Self { totp })
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

/// One-time recovery codes: the display strings (show once, then drop) and their hashes
/// (store).
pub struct RecoveryCodes {
    codes: Vec<Zeroizing<String>>,
    hashes: Vec<String>,
}

/// Symbols in a recovery code: no 0/o, 1/l, so nothing reads as something else.
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// Symbols per code: 12 × 5 bits = 60 bits.
const RECOVERY_SYMBOLS: usize = 12;
/// Symbols per dash-separated group.
const RECOVERY_GROUP: usize = 4;

impl RecoveryCodes {
    /// How many codes a user normally gets.
    pub const DEFAULT_COUNT: usize = 10;

    /// `n` fresh codes, e.g. `k3v9-x2p7-mq4d`, and their argon2id hashes (same order).
    pub fn generate(n: usize) -> Result<Self, Error> {
        let rng = SystemRandom::new();
        let mut codes = Vec::with_capacity(n);
        let mut hashes = Vec::with_capacity(n);
        for _ in 0..n {
            let mut raw = Zeroizing::new([0u8; RECOVERY_SYMBOLS]);
            rng.fill(raw.as_mut()).map_err(|_| Error::Random)?;
            let mut symbols = Zeroizing::new(String::with_capacity(RECOVERY_SYMBOLS));
            for b in raw.iter() {
                // 256 is a multiple of 32, so masking keeps the symbols uniform.
                symbols.push(char::from(RECOVERY_ALPHABET[usize::from(b & 31)]));
            }
            // The same argon2id hashing as every other secret carepost keeps.
            let hash = auth::hash_secret(&symbols).map_err(|_| Error::Hashing)?;
            let mut display = Zeroizing::new(String::with_capacity(RECOVERY_SYMBOLS + 2));
            for (i, c) in symbols.chars().enumerate() {
                if i > 0 && i % RECOVERY_GROUP == 0 {
                    display.push('-');
                }
                display.push(c);
            }
            codes.push(display);
            hashes.push(hash);
        }
        Ok(Self { codes, hashes })
    }

    /// The codes to show the user, once.
    pub fn codes(&self) -> &[Zeroizing<String>] {
        &self.codes
    }

    /// The argon2id PHC strings to store, in the same order as [`codes`](Self::codes).
    pub fn hashes(&self) -> &[String] {
        &self.hashes
    }

    /// Drop the codes and keep the hashes.
    pub fn into_hashes(self) -> Vec<String> {
        self.hashes
    }

    /// Check typed input against stored hashes; returns the index of the matching hash,
    /// which the caller must then delete (each code works once). Case, spaces and dashes
    /// in the input are ignored. Malformed stored hashes never match. Each stored hash costs
    /// one argon2id verification, so throttle attempts like logins
    /// ([`LoginThrottle`](crate::throttle::LoginThrottle)).
    pub fn verify(input: &str, hashes: &[impl AsRef<str>]) -> Option<usize> {
        let normalised: Zeroizing<String> = Zeroizing::new(
            input
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_lowercase())
                .collect(),
        );
        // Refuse anything that cannot be a code before spending argon2 time on it.
        if normalised.len() != RECOVERY_SYMBOLS
            || !normalised.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
        {
            return None;
        }
        hashes
            .iter()
            .position(|phc| auth::verify_secret(&normalised, phc.as_ref()) == Ok(true))
    }
}

impl fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryCodes")
            .field("codes", &format_args!("[{} redacted]", self.codes.len()))
            .field("hashes", &self.hashes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::build(Secret::from(*b"12345678901234567890")).expect("rfc secret")
    }

    #[test]
    fn rfc6238_sha1_vectors_truncated_to_six_digits() {
        // (time, 8-digit code from RFC 6238 Appendix B). Dynamic truncation gives
        // value mod 10^digits, so the 6-digit code is the last six digits of the 8-digit one.
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        let secret = rfc_secret();
        for (time, eight) in vectors {
            let six = &eight[2..];
            assert_eq!(secret.code_at(time).as_str(), six, "t={time}");
            assert_eq!(secret.verify(six, time, None), Some(time / 30), "t={time}");
        }
    }

    #[test]
    fn one_step_of_skew_is_accepted_and_two_are_not() {
        let secret = rfc_secret();
        let t = 1_111_111_109; // step 37037036
        let code = secret.code_at(t);
        assert_eq!(secret.verify(&code, t + 30, None), Some(t / 30));
        assert_eq!(secret.verify(&code, t - 30, None), Some(t / 30));
        assert_eq!(secret.verify(&code, t + 60, None), None);
        assert_eq!(secret.verify(&code, t - 60, None), None);
    }

    #[test]
    fn a_used_step_is_refused_but_a_later_one_is_accepted() {
        let secret = rfc_secret();
        let t = 1_234_567_890;
        let code = secret.code_at(t);
        let step = secret.verify(&code, t, None).expect("first use");
        assert_eq!(secret.verify(&code, t, Some(step)), None, "replay");
        assert_eq!(
            secret.verify(&code, t + 30, Some(step)),
            None,
            "replay in skew"
        );
        let later = secret.code_at(t + 30);
        assert_eq!(secret.verify(&later, t + 30, Some(step)), Some(step + 1));
    }

    #[test]
    fn wrong_or_malformed_codes_are_refused() {
        let secret = rfc_secret();
        assert_eq!(secret.verify("287083", 59, None), None);
        assert_eq!(secret.verify("28708", 59, None), None);
        assert_eq!(secret.verify("+87082", 59, None), None);
        assert_eq!(secret.verify("", 59, None), None);
        assert_eq!(secret.verify("287 082", 59, None), Some(1));
        assert_eq!(secret.verify(&"9".repeat(10_000), 59, None), None);
    }

    #[test]
    fn generated_secrets_round_trip_and_differ() {
        let a = TotpSecret::generate();
        let b = TotpSecret::generate();
        assert_ne!(a.to_base32(), b.to_base32());
        assert_eq!(a.to_base32().len(), 32, "160 bits in base32");
        let restored = TotpSecret::from_base32(&a.to_base32()).expect("restore");
        assert_eq!(restored.code_at(1_000_000), a.code_at(1_000_000));
        assert_eq!(
            TotpSecret::from_base32("GEZDGNBV").map(|_| ()),
            Err(Error::InvalidTotpSecret),
            "40 bits is too short"
        );
        assert_eq!(
            TotpSecret::from_base32("not base32!").map(|_| ()),
            Err(Error::InvalidTotpSecret)
        );
        assert_eq!(format!("{a:?}"), "TotpSecret([redacted])");
    }

    #[test]
    fn otpauth_url_names_issuer_and_account() {
        let secret = rfc_secret();
        let url = secret
            .otpauth_url("Sunrise Clinic", "jdoe@example.org")
            .expect("url");
        assert!(
            url.starts_with("otpauth://totp/Sunrise%20Clinic:jdoe%40example.org?"),
            "{}",
            *url
        );
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{}",
            *url
        );
        assert!(url.contains("issuer=Sunrise%20Clinic"), "{}", *url);
        assert_eq!(
            secret.otpauth_url("Bad:Issuer", "a").map(|_| ()),
            Err(Error::InvalidOtpauthLabel)
        );
        assert_eq!(
            secret.otpauth_url("Sunrise", "").map(|_| ()),
            Err(Error::InvalidOtpauthLabel)
        );
    }

    #[test]
    fn recovery_codes_look_right_and_verify_once_each() {
        let codes = RecoveryCodes::generate(3).expect("codes");
        assert_eq!(codes.codes().len(), 3);
        assert_eq!(codes.hashes().len(), 3);
        for code in codes.codes() {
            assert_eq!(code.len(), 14, "{}", code.as_str());
            let parts: Vec<&str> = code.split('-').collect();
            assert_eq!(parts.len(), 3);
            assert!(parts.iter().all(|p| p.len() == 4));
            assert!(
                code.bytes()
                    .all(|b| b == b'-' || RECOVERY_ALPHABET.contains(&b))
            );
        }
        assert!(codes.hashes().iter().all(|h| h.starts_with("$argon2id$")));
        assert_ne!(codes.codes()[0], codes.codes()[1]);

        let second = codes.codes()[1].to_string();
        let sloppy = format!(" {} ", second.to_uppercase().replace('-', " "));
        assert_eq!(RecoveryCodes::verify(&sloppy, codes.hashes()), Some(1));
        assert_eq!(RecoveryCodes::verify(&second, codes.hashes()), Some(1));

        // After the caller deletes the used hash, the code no longer works.
        let mut remaining = codes.into_hashes();
        remaining.remove(1);
        assert_eq!(RecoveryCodes::verify(&second, &remaining), None);
    }

    #[test]
    fn wrong_or_malformed_recovery_codes_are_refused() {
        let codes = RecoveryCodes::generate(1).expect("codes");
        assert_eq!(
            RecoveryCodes::verify("aaaa-aaaa-aaaa", codes.hashes()),
            None
        );
        assert_eq!(RecoveryCodes::verify("", codes.hashes()), None);
        assert_eq!(
            RecoveryCodes::verify("0000-0000-0000", codes.hashes()),
            None
        );
        assert_eq!(
            RecoveryCodes::verify(&"a".repeat(5000), codes.hashes()),
            None
        );
        let code = codes.codes()[0].to_string();
        assert_eq!(RecoveryCodes::verify(&code, &["not a hash"]), None);
        let debug = format!("{codes:?}");
        assert!(!debug.contains(code.as_str()), "{debug}");
    }

    #[test]
    fn default_count_is_ten() {
        assert_eq!(RecoveryCodes::DEFAULT_COUNT, 10);
    }
}
