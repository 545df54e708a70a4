//! Login throttling rules (NIST SP 800-63B-4 §3.2.2 "Rate Limiting").
//!
//! Pure arithmetic over the number of *consecutive* failed attempts for one account; the
//! caller keeps the counter (reset on success) and the time of the last failure. The
//! first few failures cost nothing (people mistype), then each further failure doubles the
//! wait, up to a cap, and at the hundredth consecutive failure the account locks until an
//! administrator or a recovery flow unlocks it (NIST: no more than 100 consecutive failed
//! attempts on one account).

use std::time::Duration;

/// The throttling rules. [`Default`] is the carepost policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures that cost no delay.
    pub free_failures: u32,
    /// The delay after the first failure past the free ones; it doubles after each further one.
    pub base_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Consecutive failures at which the account locks (NIST: at most 100).
    pub lock_after: u32,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            free_failures: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
            lock_after: 100,
        }
    }
}

impl LoginThrottle {
    /// How long to wait after `failures` consecutive failures before accepting the next
    /// attempt: zero for the free ones, then `base_delay`, doubling, capped at `max_delay`.
    pub fn delay(&self, failures: u32) -> Duration {
        let Some(past_free) = failures.checked_sub(self.free_failures) else {
            return Duration::ZERO;
        };
        if past_free == 0 {
            return Duration::ZERO;
        }
        // past_free >= 1: base × 2^(past_free − 1), without overflow.
        2u32.checked_pow(past_free - 1)
            .and_then(|factor| self.base_delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// True once `failures` consecutive failures reach `lock_after`.
    pub fn locked(&self, failures: u32) -> bool {
        failures >= self.lock_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_five_failures_cost_nothing() {
        let t = LoginThrottle::default();
        for f in 0..=5 {
            assert_eq!(t.delay(f), Duration::ZERO, "{f}");
        }
    }

    #[test]
    fn delay_doubles_from_one_second_and_is_capped_at_fifteen_minutes() {
        let t = LoginThrottle::default();
        assert_eq!(t.delay(6), Duration::from_secs(1));
        assert_eq!(t.delay(7), Duration::from_secs(2));
        assert_eq!(t.delay(8), Duration::from_secs(4));
        assert_eq!(t.delay(15), Duration::from_secs(512));
        assert_eq!(t.delay(16), Duration::from_secs(900));
        assert_eq!(t.delay(99), Duration::from_secs(900));
        assert_eq!(t.delay(u32::MAX), Duration::from_secs(900));
        let mut last = Duration::ZERO;
        for f in 0..200 {
            assert!(t.delay(f) >= last, "never shrinks");
            last = t.delay(f);
        }
    }

    #[test]
    fn locks_at_one_hundred_consecutive_failures() {
        let t = LoginThrottle::default();
        assert!(!t.locked(0));
        assert!(!t.locked(99));
        assert!(t.locked(100));
        assert!(t.locked(u32::MAX));
    }
}
