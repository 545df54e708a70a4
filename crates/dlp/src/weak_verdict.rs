//! A second opinion on a message the rules call PHI on weak evidence alone.
//!
//! Weak evidence (a name from the name lists, a date or a number with no rule that says whose
//! it is) counts only beside words about someone's care ([`crate::ScanResult::contains_phi`]).
//! That test is a list of words and a distance, and it is where most false alarms come from:
//! on the style corpus 120 of the 177 messages without PHI that the rules called PHI had only
//! weak evidence (a peer counsellors' roster beside "breastfeeding", an on-call list beside
//! "patients"). Each new kind of customer brought such alarms of its own kind, and rules
//! written for one kind did not carry to the next.
//!
//! This module is a logistic regression over the words of the message and the rules that
//! fired, trained offline on the style corpus's messages with weak evidence only
//! (`testdata/train_weak_verdict.py`; the weights are `data/weak_verdict.tsv`). It can only
//! take a PHI verdict back, never give one, and only when it is nearly sure
//! ([`VETO_BELOW`]): the rules' decision is itself one of its inputs, so it overrules them
//! only where the words of the message speak strongly against a patient (rosters, schedules,
//! orders, meetings, vendors). Grouped by author (eight folds, each author's set held out in
//! turn), it took back 76 of those 120 false alarms and lost none of the 9,090 messages with
//! PHI (retrained in session 31 on 16,710 e-mails: 89 of 133, and one of 9,619 lost; in session 32 on
//! 17,430: 95 of 143, and none of 10,033 lost; in session 33 on 18,390: 121 of 173, and one of
//! 10,585 lost; in session 34 on 18,870: 137 of 193, and none of 10,861 lost; on 19,110: 133 of 196, and four
//! of 10,999 lost; on 19,350: 149 of 205, and three of 11,137 lost); on two batches of twelve new customers' days scored before they were added, it halved
//! the false-positive rate (0.059 and 0.049 to 0.029) and lost nothing. See BENCHMARKS.md,
//! section 3, "Session 30".
//!
//! **Does not:** see the text beyond its ASCII words (lower-cased, letters and apostrophes, at
//! least two long: what the training script reads), keep anything, or run on a message with
//! strong evidence. Its vocabulary leaves out words that are mostly written capitalised and are
//! in the name lists, so it does not learn the names of the corpus's people.
//!
//! **Security:** pure; reads the text it is given and returns a number.

use crate::{FastMap, FastSet, Finding};

/// The model's probability under which a weak-evidence PHI verdict is taken back.
pub const VETO_BELOW: f32 = 0.05;

/// The trained weights (see the module doc); a line is `feature<TAB>weight`.
const WEIGHTS: &str = include_str!("../data/weak_verdict.tsv");

/// Weights by feature name: `bias`, `rule` (the rules said PHI), `F:<rule id>` (a finding of
/// that rule, score at least 0.5, not a clinical item) and `W:<word>`.
pub(crate) struct WeakVerdictModel {
    bias: f32,
    rules_say_phi: f32,
    finding_rules: FastMap<&'static str, f32>,
    words: FastMap<&'static str, f32>,
}

impl WeakVerdictModel {
    pub(crate) fn new() -> Self {
        let mut model = WeakVerdictModel {
            bias: 0.0,
            rules_say_phi: 0.0,
            finding_rules: FastMap::default(),
            words: FastMap::default(),
        };
        for line in WEIGHTS.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, weight) = line
                .split_once('\t')
                .expect("weak_verdict.tsv: feature<TAB>weight (covered by tests)");
            let weight: f32 = weight
                .parse()
                .expect("weak_verdict.tsv: a weight is a number (covered by tests)");
            if name == "bias" {
                model.bias = weight;
            } else if name == "rule" {
                model.rules_say_phi = weight;
            } else if let Some(rule) = name.strip_prefix("F:") {
                model.finding_rules.insert(rule, weight);
            } else if let Some(word) = name.strip_prefix("W:") {
                model.words.insert(word, weight);
            } else {
                panic!("weak_verdict.tsv: unknown feature kind (covered by tests)");
            }
        }
        model
    }

    /// The probability that a message with weak evidence only, which the rules call PHI, is a
    /// patient's, given the findings and the text.
    pub(crate) fn probability(&self, text: &str, findings: &[Finding]) -> f32 {
        // (The model is asked only where the rules said PHI: their decision is one input.)
        let mut z = self.bias + self.rules_say_phi;
        let mut seen_rules: FastSet<&str> = FastSet::default();
        for f in findings {
            if f.label.is_identifier()
                && f.score >= 0.5
                && seen_rules.insert(f.rule)
                && let Some(w) = self.finding_rules.get(f.rule)
            {
                z += w;
            }
        }
        let mut seen_words: FastSet<&str> = FastSet::default();
        let mut lower = [0u8; MAX_WORD];
        for_each_word(text, |word| {
            if word.len() > MAX_WORD {
                return;
            }
            for (l, b) in lower.iter_mut().zip(word) {
                *l = b.to_ascii_lowercase();
            }
            // ASCII letters and apostrophes only: always UTF-8.
            let Ok(w) = std::str::from_utf8(&lower[..word.len()]) else {
                return;
            };
            if let Some((&key, &weight)) = self.words.get_key_value(w)
                && seen_words.insert(key)
            {
                z += weight;
            }
        });
        1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
    }
}

/// No word of the vocabulary is longer (longer ones are skipped unread).
const MAX_WORD: usize = 40;

/// Calls `f` with each word of `text` as the training script reads them: a run that starts with
/// an ASCII letter and goes on over ASCII letters and apostrophes, at least two bytes long
/// (Python's `re.findall(rb"[a-z][a-z']+", text.encode().lower())`).
fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'\'') {
                i += 1;
            }
            if i - start >= 2 {
                f(&bytes[start..i]);
            }
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| {
            out.push(String::from_utf8_lossy(w).to_lowercase())
        });
        out
    }

    #[test]
    fn words_are_read_as_the_training_script_reads_them() {
        assert_eq!(
            words("Pt's BP 120/80; I'm ok. café a 'quoted' x"),
            ["pt's", "bp", "i'm", "ok", "caf", "quoted'"]
        );
    }

    #[test]
    fn the_shipped_weights_parse_and_have_every_kind_of_feature() {
        let m = WeakVerdictModel::new();
        assert!(m.rules_say_phi > 0.0, "the rules' decision weighs for PHI");
        assert!(!m.finding_rules.is_empty());
        assert!(m.words.len() > 1000);
        assert!(m.words.keys().all(|w| w.len() <= MAX_WORD));
    }
}
