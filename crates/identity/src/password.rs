//! Password rules after NIST SP 800-63B-4 §3.1.1.2 ("Password Verifiers").
//!
//! What the rules are, and why:
//!
//! * **Length, not composition.** At least 15 characters when the password is the only
//!   factor, at least 8 when the account also has a second factor, and at most 256. No
//!   "one upper-case letter, one digit" rules: SP 800-63B-4 says verifiers SHALL NOT impose
//!   them.
//! * **Length is counted in Unicode code points after NFKC normalisation**, so a password
//!   typed with a composed "é" and one typed with "e" + combining accent have the same
//!   length, and full-width digits count as digits.
//! * **Never truncated.** A password longer than the maximum is refused with
//!   [`PasswordProblem::TooLong`]; it is not silently cut.
//! * **Blocklist.** Refused if it appears in the breached-password list shipped with this
//!   crate (`data/breached-passwords.txt`, see `data/README.md`), compared case-insensitively,
//!   if it is or contains a context word (the user's e-mail local part, the organisation's
//!   name, and always "carepost"), if it is one character repeated, or a straight sequence.
//!
//! **Secrets:** the password is only borrowed; nothing here stores, logs or prints it.
//! [`PasswordProblem`] carries no part of the password.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// The service's own name: always a context word, whatever the caller passes.
pub const SERVICE_NAME: &str = "carepost";

/// Context words shorter than this are ignored (NIST's examples are names and user names;
/// a two- or three-letter word would refuse too many good passwords).
pub const MIN_CONTEXT_WORD_LEN: usize = 4;

/// The length rules. [`Default`] is the NIST SP 800-63B-4 policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length (code points after NFKC) when the password is the only factor.
    pub min_len_single_factor: usize,
    /// Minimum length when the account also has a second factor.
    pub min_len_with_mfa: usize,
    /// Maximum length. Longer passwords are refused, never truncated.
    pub max_len: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_len_single_factor: 15,
            min_len_with_mfa: 8,
            max_len: 256,
        }
    }
}

/// A sentence for a settings page, e.g. "at least 15 characters (8 with a second factor), at
/// most 256".
impl fmt::Display for PasswordPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at least {} characters ({} with a second factor), at most {}",
            self.min_len_single_factor, self.min_len_with_mfa, self.max_len
        )
    }
}

/// Why a new password was refused. `Display` is short English for the person choosing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Shorter than the policy's minimum for this account.
    #[error("Use at least {min} characters")]
    TooShort {
        /// The minimum that applied.
        min: usize,
    },
    /// Longer than the policy's maximum (refused rather than truncated).
    #[error("Use at most {max} characters")]
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// On the breached-password list.
    #[error("This password has appeared in a data breach; choose another")]
    Breached,
    /// Is or contains the e-mail name, the organisation's name or the service's name.
    #[error(
        "Don't use your e-mail name, your organisation's name or \"carepost\" in your password"
    )]
    ContainsContextWord,
    /// One character repeated.
    #[error("Don't use one character over and over; choose another password")]
    RepeatedCharacter,
    /// A straight run such as "123456789012345" or "abcdefghijklmnop".
    #[error("Don't use a sequence such as 12345 or abcde; choose another password")]
    Sequence,
}

impl PasswordPolicy {
    /// Check a new password. `has_mfa` selects the minimum length; `context` holds words the
    /// password must not contain: the user's e-mail local part (a whole address is also
    /// fine: its local part is used), the organisation's name. "carepost" is always added.
    ///
    /// Returns the first problem found: length, then the breached list, then context words,
    /// then repetition and sequences.
    pub fn check(
        &self,
        password: &str,
        has_mfa: bool,
        context: &[&str],
    ) -> Result<(), PasswordProblem> {
        // Bound the work before normalising: NFKC composition can shrink a string, but not
        // by more than a few code points into one (e.g. a Greek letter with three marks), so
        // 8× the maximum is a safe pre-check that keeps a megabyte-sized input cheap.
        if password.chars().count() > self.max_len.saturating_mul(8) {
            return Err(PasswordProblem::TooLong { max: self.max_len });
        }
        let normalised: String = password.nfkc().collect();
        let len = normalised.chars().count();
        if len > self.max_len {
            return Err(PasswordProblem::TooLong { max: self.max_len });
        }
        let min = if has_mfa {
            self.min_len_with_mfa
        } else {
            self.min_len_single_factor
        };
        if len < min {
            return Err(PasswordProblem::TooShort { min });
        }
        let folded = normalised.to_lowercase();
        if is_breached_folded(&folded) {
            return Err(PasswordProblem::Breached);
        }
        if contains_context_word(&folded, context) {
            return Err(PasswordProblem::ContainsContextWord);
        }
        if is_repeated_character(&folded) {
            return Err(PasswordProblem::RepeatedCharacter);
        }
        if is_sequence(&folded) {
            return Err(PasswordProblem::Sequence);
        }
        Ok(())
    }
}

/// True if the password (compared after NFKC and lower-casing) is on the breached list.
pub fn is_breached(password: &str) -> bool {
    let folded = password.nfkc().collect::<String>().to_lowercase();
    is_breached_folded(&folded)
}

/// How many entries the shipped breached-password list has.
pub fn breached_list_len() -> usize {
    BREACHED.len()
}

/// The list ships as data (see `data/README.md`): one lower-case password per line, most
/// common first. Parsed once, on first use.
static BREACHED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/breached-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

fn is_breached_folded(folded: &str) -> bool {
    BREACHED.contains(folded)
}

fn contains_context_word(folded: &str, context: &[&str]) -> bool {
    let words = context
        .iter()
        .map(|w| match w.split_once('@') {
            Some((local, _domain)) => local,
            None => w,
        })
        .chain(std::iter::once(SERVICE_NAME));
    words
        .map(|w| w.trim().nfkc().collect::<String>().to_lowercase())
        .filter(|w| w.chars().count() >= MIN_CONTEXT_WORD_LEN)
        .any(|w| folded.contains(&w))
}

fn is_repeated_character(folded: &str) -> bool {
    let mut chars = folded.chars();
    match chars.next() {
        Some(first) => chars.all(|c| c == first),
        None => false,
    }
}

/// A run where every character is the next (or every one the previous) of the one before.
/// Digits wrap (…8, 9, 0, 1…) and so do letters (…y, z, a…), so "123456789012345" counts.
fn is_sequence(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    if chars.len() < 2 {
        return false;
    }
    let pairs = || chars.windows(2).map(|w| (w[0], w[1]));
    pairs().all(|(a, b)| next_of(a) == Some(b)) || pairs().all(|(a, b)| next_of(b) == Some(a))
}

fn next_of(c: char) -> Option<char> {
    match c {
        '9' => Some('0'),
        'z' => Some('a'),
        _ => char::from_u32(u32::from(c) + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "violet harbour lantern quietly";

    fn check(pw: &str, mfa: bool) -> Result<(), PasswordProblem> {
        PasswordPolicy::default().check(pw, mfa, &["jdoe@example.org", "Sunrise Clinic"])
    }

    #[test]
    fn a_long_uncommon_passphrase_is_accepted() {
        assert_eq!(check(GOOD, false), Ok(()));
    }

    #[test]
    fn minimum_depends_on_a_second_factor() {
        let fourteen = "kq7vzmr2pwx9tb";
        assert_eq!(fourteen.chars().count(), 14);
        assert_eq!(
            check(fourteen, false),
            Err(PasswordProblem::TooShort { min: 15 })
        );
        assert_eq!(check(fourteen, true), Ok(()));
        assert_eq!(
            check("kq7vzmr", true),
            Err(PasswordProblem::TooShort { min: 8 })
        );
        assert_eq!(check("kq7vzmr2", true), Ok(()));
    }

    #[test]
    fn exactly_the_maximum_is_accepted_and_one_more_is_refused_not_truncated() {
        let policy = PasswordPolicy::default();
        let base: String = "kq7vzmr2pwx9tb".chars().cycle().take(256).collect();
        assert_eq!(policy.check(&base, false, &[]), Ok(()));
        let longer = format!("{base}x");
        assert_eq!(
            policy.check(&longer, false, &[]),
            Err(PasswordProblem::TooLong { max: 256 })
        );
        let huge = "x".repeat(1 << 20);
        assert_eq!(
            policy.check(&huge, false, &[]),
            Err(PasswordProblem::TooLong { max: 256 })
        );
    }

    #[test]
    fn length_counts_code_points_after_nfkc() {
        let policy = PasswordPolicy {
            min_len_single_factor: 4,
            min_len_with_mfa: 4,
            max_len: 4,
        };
        // "e" + U+0301 composes to one code point: 4 code points after NFKC, 5 before.
        assert_eq!(policy.check("qe\u{301}zk", false, &[]), Ok(()));
        // Multi-byte characters count once each.
        assert_eq!(policy.check("äöüß", false, &[]), Ok(()));
        // U+FB03 (ffi ligature) is three letters after NFKC.
        assert_eq!(
            policy.check("\u{FB03}zk", false, &[]),
            Err(PasswordProblem::TooLong { max: 4 })
        );
        assert_eq!(
            policy.check("\u{FB03}", false, &[]),
            Err(PasswordProblem::TooShort { min: 4 })
        );
    }

    #[test]
    fn breached_passwords_are_refused_case_insensitively() {
        assert_eq!(check("password", true), Err(PasswordProblem::Breached));
        assert_eq!(check("PassWord", true), Err(PasswordProblem::Breached));
        assert_eq!(check("baseball", true), Err(PasswordProblem::Breached));
        assert!(is_breached("QWERTY"));
        assert!(!is_breached(GOOD));
    }

    #[test]
    fn breached_list_has_the_shipped_entry_count() {
        // data/README.md records this count; update both together.
        assert_eq!(breached_list_len(), 49_233);
    }

    #[test]
    fn context_words_are_refused_and_short_ones_ignored() {
        assert_eq!(
            check("my jdoe password is long", false),
            Err(PasswordProblem::ContainsContextWord)
        );
        assert_eq!(
            check("i work at SUNRISE CLINIC now", false),
            Err(PasswordProblem::ContainsContextWord)
        );
        assert_eq!(
            check("CarePost-is-my-mail-service", false),
            Err(PasswordProblem::ContainsContextWord)
        );
        // A context word under four characters does not count.
        let policy = PasswordPolicy::default();
        assert_eq!(
            policy.check("violet abc harbour lantern", false, &["abc"]),
            Ok(())
        );
        assert_eq!(
            policy.check("violet abcd harbour lantern", false, &["abcd"]),
            Err(PasswordProblem::ContainsContextWord)
        );
    }

    #[test]
    fn repeated_characters_are_refused() {
        assert_eq!(
            check(&"a".repeat(20), false),
            Err(PasswordProblem::RepeatedCharacter)
        );
        assert_eq!(
            check(&"Zz".repeat(10), false),
            Err(PasswordProblem::RepeatedCharacter)
        );
    }

    #[test]
    fn straight_sequences_are_refused_in_both_directions() {
        for seq in [
            "123456789012345",
            "abcdefghijklmnop",
            "ZYXWVUTSRQPONMLK",
            "987654321098765",
            "uvwxyzabcdefghij",
        ] {
            assert_eq!(check(seq, false), Err(PasswordProblem::Sequence), "{seq}");
        }
        assert_eq!(check("123456789012346", false), Ok(()));
    }

    #[test]
    fn policy_describes_itself() {
        assert_eq!(
            PasswordPolicy::default().to_string(),
            "at least 15 characters (8 with a second factor), at most 256"
        );
    }

    proptest::proptest! {
        #[test]
        fn check_never_panics_and_accepted_passwords_fit_the_length_rules(
            pw in "\\PC{0,300}",
            mfa in proptest::bool::ANY,
        ) {
            let policy = PasswordPolicy::default();
            if policy.check(&pw, mfa, &["jdoe", "Sunrise Clinic"]).is_ok() {
                let len = pw.nfkc().count();
                let min = if mfa { 8 } else { 15 };
                proptest::prop_assert!((min..=256).contains(&len));
            }
        }
    }

    #[test]
    fn problems_never_contain_the_password() {
        let secret = "my jdoe password is long";
        let problem = check(secret, false).expect_err("context word");
        assert!(!problem.to_string().contains("jdoe"));
        assert!(!format!("{problem:?}").contains("jdoe"));
        assert_eq!(
            PasswordProblem::TooShort { min: 15 }.to_string(),
            "Use at least 15 characters"
        );
        assert_eq!(
            PasswordProblem::Breached.to_string(),
            "This password has appeared in a data breach; choose another"
        );
    }
}
