//! When to try a deferred recipient copy again, and when to give up.
//!
//! RFC 5321 section 4.5.4.1 asks for a retry interval of at least 30 minutes and a give-up
//! time of at least 4–5 days. Clinical mail cannot wait 30 minutes for a greylisting
//! server, so the first retries come sooner (1, 5, 10 and 20 minutes by default); from then
//! on the interval is never shorter than [`RetrySchedule::late_interval`] (30 minutes by
//! default). The copy bounces once its lifetime (5 days by default) has run out.
//!
//! Jitter spreads the retries of a burst of deferred copies (a whole domain greylisted at
//! once) over a window so they do not hit the next hop in lock step. It only ever
//! *lengthens* an interval, so the 30-minute floor holds. The randomness comes from a seed
//! the caller supplies (a recipient id's bits, say), which keeps this module pure and its
//! results reproducible.
//!
//! Everything here is pure: no clock, no I/O. Callers pass `now`.

use std::time::Duration;

use model::Timestamp;

/// A retry schedule: early steps, then a fixed late interval, within a lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule {
    /// Intervals after the 1st, 2nd, … failed attempt. Default: 1, 5, 10, 20 minutes.
    pub early: Vec<Duration>,
    /// Interval after every later failed attempt. Default: 30 minutes. Values below the
    /// last early step are raised to it, so the schedule never speeds up again.
    pub late_interval: Duration,
    /// How long a copy may stay undelivered before it bounces. Default: 5 days.
    pub lifetime: Duration,
    /// Largest jitter, in per cent of the interval, added by
    /// [`RetrySchedule::next_attempt_jittered`]. Default: 10.
    pub jitter_percent: u8,
    /// After how long undelivered a "delayed" DSN is due (RFC 3464 `Action: delayed`).
    /// Default: 4 hours. `None` = never send one.
    pub delay_warning_after: Option<Duration>,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self {
            early: [1, 5, 10, 20].map(|m| Duration::from_secs(m * 60)).to_vec(),
            late_interval: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(5 * 24 * 3600),
            jitter_percent: 10,
            delay_warning_after: Some(Duration::from_secs(4 * 3600)),
        }
    }
}

impl RetrySchedule {
    /// The wait after `attempts_so_far` failed attempts (0 = no wait: first attempt).
    pub fn interval(&self, attempts_so_far: u32) -> Duration {
        let Some(index) = attempts_so_far.checked_sub(1) else {
            return Duration::ZERO;
        };
        let floor = self.early.last().copied().unwrap_or(Duration::ZERO);
        match self.early.get(index as usize) {
            Some(step) => *step,
            None => self.late_interval.max(floor),
        }
    }

    /// When to try again after `attempts_so_far` failed attempts, without jitter.
    pub fn next_attempt(&self, attempts_so_far: u32, now: Timestamp) -> Timestamp {
        now.plus(self.interval(attempts_so_far))
    }

    /// Like [`RetrySchedule::next_attempt`], plus up to `jitter_percent` of the interval
    /// chosen from `seed` (the same seed and attempt always give the same time).
    pub fn next_attempt_jittered(
        &self,
        attempts_so_far: u32,
        now: Timestamp,
        seed: u64,
    ) -> Timestamp {
        let base = self.interval(attempts_so_far);
        let max_extra_ms = base.as_millis() * u128::from(self.jitter_percent) / 100;
        let extra_ms = match u64::try_from(max_extra_ms) {
            Ok(0) | Err(_) => 0,
            Ok(max) => splitmix64(seed ^ u64::from(attempts_so_far)) % (max + 1),
        };
        now.plus(base + Duration::from_millis(extra_ms))
    }

    /// When a copy received at `received` expires under this schedule's lifetime.
    pub fn expires(&self, received: Timestamp) -> Timestamp {
        received.plus(self.lifetime)
    }

    /// True once a copy should stop being retried and bounce: `now` has reached the
    /// message's stored `expires`, or its lifetime under this schedule has run out
    /// (whichever comes first, so shortening the lifetime in configuration applies to
    /// mail already queued).
    pub fn gives_up(&self, received: Timestamp, expires: Timestamp, now: Timestamp) -> bool {
        now >= expires || now >= self.expires(received)
    }

    /// True if a "delayed" DSN is due: the copy has waited longer than
    /// `delay_warning_after` and none was sent yet.
    pub fn delay_warning_due(
        &self,
        received: Timestamp,
        now: Timestamp,
        already_warned: bool,
    ) -> bool {
        match self.delay_warning_after {
            Some(after) => !already_warned && now >= received.plus(after),
            None => false,
        }
    }
}

/// SplitMix64: a tiny, well-mixed hash of the seed (not for cryptography).
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const T0: Timestamp = Timestamp(1_796_000_000_000);

    #[test]
    fn first_attempt_is_immediate_and_early_retries_come_within_minutes() {
        let s = RetrySchedule::default();
        assert_eq!(s.next_attempt(0, T0), T0);
        assert_eq!(s.next_attempt(1, T0), T0.plus(MIN));
        assert_eq!(s.next_attempt(2, T0), T0.plus(5 * MIN));
        assert_eq!(s.next_attempt(3, T0), T0.plus(10 * MIN));
        assert_eq!(s.next_attempt(4, T0), T0.plus(20 * MIN));
    }

    #[test]
    fn late_retries_are_at_least_thirty_minutes_apart() {
        let s = RetrySchedule::default();
        for attempts in 5..500 {
            assert_eq!(s.interval(attempts), 30 * MIN, "attempt {attempts}");
        }
        assert_eq!(s.interval(u32::MAX), 30 * MIN);
    }

    #[test]
    fn late_interval_never_drops_below_the_last_early_step() {
        let s = RetrySchedule {
            late_interval: MIN,
            ..RetrySchedule::default()
        };
        assert_eq!(s.interval(10), 20 * MIN);
    }

    #[test]
    fn jitter_only_lengthens_and_is_bounded_and_reproducible() {
        let s = RetrySchedule::default();
        let mut seen_extra = false;
        for seed in 0..200u64 {
            for attempts in 1..8 {
                let base = s.next_attempt(attempts, T0);
                let j = s.next_attempt_jittered(attempts, T0, seed);
                assert!(j >= base);
                let limit = s.interval(attempts) / 10;
                assert!(j.since(base) <= limit, "{:?} > {limit:?}", j.since(base));
                assert_eq!(j, s.next_attempt_jittered(attempts, T0, seed));
                seen_extra |= j > base;
            }
        }
        assert!(seen_extra, "jitter never added anything");
        assert_eq!(s.next_attempt_jittered(0, T0, 42), T0);
    }

    #[test]
    fn zero_jitter_gives_the_plain_schedule() {
        let s = RetrySchedule {
            jitter_percent: 0,
            ..RetrySchedule::default()
        };
        assert_eq!(s.next_attempt_jittered(3, T0, 7), s.next_attempt(3, T0));
    }

    #[test]
    fn gives_up_after_five_days_or_at_stored_expiry() {
        let s = RetrySchedule::default();
        let five_days = Duration::from_secs(5 * 24 * 3600);
        let far = T0.plus(10 * five_days);
        assert!(!s.gives_up(T0, far, T0.plus(five_days - MIN)));
        assert!(s.gives_up(T0, far, T0.plus(five_days)));
        // A stored expiry earlier than the lifetime wins.
        let early = T0.plus(MIN);
        assert!(!s.gives_up(T0, early, T0));
        assert!(s.gives_up(T0, early, early));
        assert_eq!(s.expires(T0), T0.plus(five_days));
    }

    #[test]
    fn lifetime_is_configurable() {
        let s = RetrySchedule {
            lifetime: Duration::from_secs(3600),
            ..RetrySchedule::default()
        };
        let far = T0.plus(Duration::from_secs(1_000_000));
        assert!(!s.gives_up(T0, far, T0.plus(59 * MIN)));
        assert!(s.gives_up(T0, far, T0.plus(60 * MIN)));
    }

    #[test]
    fn delay_warning_is_due_once_after_four_hours() {
        let s = RetrySchedule::default();
        let four_h = Duration::from_secs(4 * 3600);
        assert!(!s.delay_warning_due(T0, T0.plus(four_h - MIN), false));
        assert!(s.delay_warning_due(T0, T0.plus(four_h), false));
        assert!(!s.delay_warning_due(T0, T0.plus(four_h), true));
        let never = RetrySchedule {
            delay_warning_after: None,
            ..RetrySchedule::default()
        };
        assert!(!never.delay_warning_due(T0, T0.plus(10 * four_h), false));
    }
}
