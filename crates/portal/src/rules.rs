//! Verification limits as data, and the pure decisions made from them.
//!
//! The adapter keeps the counters (codes sent in the last hour, wrong codes in the last hour,
//! attempts on the current code) in its store and asks these functions what to do; nothing
//! here reads a clock. All windows are closed at the start and open at the end: a code issued
//! at `t` with a 10-minute TTL is valid for `t <= now < t + 10 min`.

use std::time::Duration;

use model::Timestamp;

/// Limits on one-time codes for one portal copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRules {
    /// How long a code stays valid after it is issued.
    pub ttl: Duration,
    /// Wrong tries allowed on one code before it is used up.
    pub max_attempts_per_code: u32,
    /// Codes that may be sent for one copy in a rolling hour.
    pub max_codes_per_hour: u32,
    /// Wrong codes in a rolling hour after which the copy is locked (until the hour passes).
    pub lockout_failures_per_hour: u32,
}

impl Default for CodeRules {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(10 * 60),
            max_attempts_per_code: 5,
            max_codes_per_hour: 5,
            lockout_failures_per_hour: 10,
        }
    }
}

/// What to do when someone asks for a new code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueDecision {
    /// Send a new code (and forget any earlier one).
    Send,
    /// Enough codes were sent this hour; show [`crate::pages::CodeProblem::TooManyCodes`].
    TooManyCodes,
    /// The copy is locked by too many wrong codes; show [`crate::pages::Notice::Locked`].
    Locked,
}

/// The outcome of checking a code that someone typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right code, in time: start a session and consume the code.
    Accept,
    /// Wrong code: count one attempt and one failure.
    Wrong,
    /// The code's tries are used up; it can no longer be accepted, even if right.
    Exhausted,
    /// The code is older than the TTL.
    Expired,
    /// Too many wrong codes this hour; refuse without looking at the code.
    Locked,
}

impl CodeCheck {
    /// Whether the adapter should record a failed attempt (attempt and failure counters).
    ///
    /// Only a wrong guess at a live code counts; refusals that did not compare the code
    /// (locked, expired, exhausted) do not, so they cannot extend a lockout forever.
    pub fn counts_as_failure(self) -> bool {
        matches!(self, CodeCheck::Wrong)
    }
}

/// The current code's state, as stored by the adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveCode {
    /// When the code was issued.
    pub issued_at: Timestamp,
    /// Wrong tries on this code so far.
    pub attempts: u32,
}

impl CodeRules {
    /// Whether the copy is locked by wrong codes in the last hour.
    pub fn locked(&self, failures_last_hour: u32) -> bool {
        failures_last_hour >= self.lockout_failures_per_hour
    }

    /// Whether a new code may be sent now.
    pub fn may_issue(&self, codes_sent_last_hour: u32, failures_last_hour: u32) -> IssueDecision {
        if self.locked(failures_last_hour) {
            IssueDecision::Locked
        } else if codes_sent_last_hour >= self.max_codes_per_hour {
            IssueDecision::TooManyCodes
        } else {
            IssueDecision::Send
        }
    }

    /// Decides on a typed code. `matches` is the constant-time comparison of
    /// [`crate::secrets::code_hash`] with the stored hash; `code` is `None` when no code is
    /// outstanding (which is answered as [`CodeCheck::Expired`]).
    ///
    /// Order matters: lockout first, then expiry and exhaustion, and only then the comparison,
    /// so a right guess after the limits is still refused.
    pub fn check(
        &self,
        code: Option<ActiveCode>,
        failures_last_hour: u32,
        matches: bool,
        now: Timestamp,
    ) -> CodeCheck {
        if self.locked(failures_last_hour) {
            return CodeCheck::Locked;
        }
        let Some(code) = code else {
            return CodeCheck::Expired;
        };
        if now >= code.issued_at.plus(self.ttl) || now < code.issued_at {
            CodeCheck::Expired
        } else if code.attempts >= self.max_attempts_per_code {
            CodeCheck::Exhausted
        } else if matches {
            CodeCheck::Accept
        } else {
            CodeCheck::Wrong
        }
    }
}

/// Limits on a portal session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRules {
    /// Idle time after which the session ends.
    pub idle: Duration,
    /// Total lifetime of a session, however active.
    pub absolute: Duration,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(15 * 60),
            absolute: Duration::from_secs(4 * 60 * 60),
        }
    }
}

impl SessionRules {
    /// Whether a session created at `created` and last used at `last_seen` is still alive at
    /// `now`. A session stamped in the future (clock stepped back) is treated as ended.
    pub fn session_alive(&self, created: Timestamp, last_seen: Timestamp, now: Timestamp) -> bool {
        now >= created
            && now >= last_seen
            && now < created.plus(self.absolute)
            && now < last_seen.plus(self.idle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_796_000_000_000);
    fn mins(m: u64) -> Duration {
        Duration::from_secs(m * 60)
    }
    fn live(attempts: u32) -> Option<ActiveCode> {
        Some(ActiveCode {
            issued_at: T0,
            attempts,
        })
    }

    #[test]
    fn defaults_match_the_policy() {
        let r = CodeRules::default();
        assert_eq!(r.ttl, mins(10));
        assert_eq!(
            (
                r.max_attempts_per_code,
                r.max_codes_per_hour,
                r.lockout_failures_per_hour
            ),
            (5, 5, 10)
        );
        let s = SessionRules::default();
        assert_eq!((s.idle, s.absolute), (mins(15), mins(240)));
    }

    #[test]
    fn right_code_in_time_is_accepted_and_wrong_code_is_not() {
        let r = CodeRules::default();
        assert_eq!(
            r.check(live(0), 0, true, T0.plus(mins(9))),
            CodeCheck::Accept
        );
        assert_eq!(
            r.check(live(0), 0, false, T0.plus(mins(9))),
            CodeCheck::Wrong
        );
        assert!(CodeCheck::Wrong.counts_as_failure());
        assert!(!CodeCheck::Accept.counts_as_failure());
    }

    #[test]
    fn code_expires_at_ttl() {
        let r = CodeRules::default();
        let almost = T0.plus(mins(10)).minus(Duration::from_millis(1));
        assert_eq!(r.check(live(0), 0, true, almost), CodeCheck::Accept);
        assert_eq!(
            r.check(live(0), 0, true, T0.plus(mins(10))),
            CodeCheck::Expired
        );
        assert_eq!(r.check(None, 0, true, T0), CodeCheck::Expired);
        assert_eq!(
            r.check(live(0), 0, true, T0.minus(mins(1))),
            CodeCheck::Expired
        );
    }

    #[test]
    fn code_is_used_up_after_max_attempts_even_if_right() {
        let r = CodeRules::default();
        assert_eq!(r.check(live(4), 4, true, T0), CodeCheck::Accept);
        assert_eq!(r.check(live(5), 5, true, T0), CodeCheck::Exhausted);
        assert!(!CodeCheck::Exhausted.counts_as_failure());
    }

    #[test]
    fn lockout_refuses_even_the_right_code() {
        let r = CodeRules::default();
        assert_eq!(r.check(live(0), 9, true, T0), CodeCheck::Accept);
        assert_eq!(r.check(live(0), 10, true, T0), CodeCheck::Locked);
        assert!(!CodeCheck::Locked.counts_as_failure());
    }

    #[test]
    fn issuing_is_limited_per_hour_and_by_lockout() {
        let r = CodeRules::default();
        assert_eq!(r.may_issue(4, 0), IssueDecision::Send);
        assert_eq!(r.may_issue(5, 0), IssueDecision::TooManyCodes);
        assert_eq!(r.may_issue(0, 10), IssueDecision::Locked);
    }

    #[test]
    fn session_ends_when_idle_or_too_old() {
        let s = SessionRules::default();
        assert!(s.session_alive(T0, T0, T0.plus(mins(14))));
        assert!(!s.session_alive(T0, T0, T0.plus(mins(15))));
        // Active every 10 minutes: alive until the absolute limit.
        let last = T0.plus(mins(235));
        assert!(s.session_alive(T0, last, T0.plus(mins(239))));
        assert!(!s.session_alive(T0, last, T0.plus(mins(240))));
        // Clock went backwards.
        assert!(!s.session_alive(T0, T0, T0.minus(mins(1))));
    }
}
