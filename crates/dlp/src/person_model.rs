//! The person-name model: in a message the detector calls PHI, it reads each word the rules left
//! alone that could be part of a name (capitalised, or in the name lists, and not an everyday
//! word of the weak-verdict model's vocabulary) and says whether it is one, from the word's shape
//! and the words and punctuation around it.
//!
//! **Why:** the rules find a name by a cue ("Patient:", "Mr.", "his wife", a greeting, a
//! signature) or by the name lists with words about care near it. New customers' mail names
//! patients in ways no cue was written for ("Rider: Delacroix, Amari", "hey its mike",
//! "Baby Pham (NICU Pod A)"), and by surnames the lists lack. Trained on the style corpus's gold
//! PERSON spans (`testdata/train_person_model.py`: a logistic regression over 173,223 candidate
//! words, 5,611 of them names), with batches 23 and 24 (twelve customers' days) left out of
//! training and read as the rules read them at first contact, it raised their PERSON recall
//! from 0.750 to 0.812 and its F1 from 0.803 to 0.835 (precision 0.863 to 0.860) at
//! [`THRESHOLD`]; on batch 25, six more customers' days held out from everything, PERSON F1 went
//! from 0.829 to 0.864 (BENCHMARKS.md, section 3, "Session 36").
//!
//! **Cost:** 27% more instructions on the dev corpus when it came (55.5 to 70.7 million), and
//! the ~100 KB message's median scan from 2.7 to 3.8 ms: each candidate is about twenty weight
//! look-ups. Since session 37 it reads the words from the rules' tokens (most words are one
//! token: span and key as the tokenizer found them) and each candidate's neighbours where they
//! lie, instead of listing every word again: 5% fewer instructions for the whole scan on the dev
//! corpus (72.7 to 69.1 million), the same findings.
//! A text's first [`MAX_CANDIDATES`] candidates are read, no more.
//!
//! **Does not:** change the document verdict (it runs after it, only on messages already called
//! PHI: a name found in mail without PHI is no patient's), look at a word a finding covers, read
//! non-ASCII letters (a word is ASCII letters, apostrophes and hyphens; a name it finds takes
//! the letters outside ASCII on either side with it, "Sofía", not "Sof"), or keep anything.
//!
//! **Security:** pure; reads the text it is given. Its findings are values like any other's:
//! the caller masks them, never logs them.
//!
//! **Where PHI flows:** the text in, spans of it out (as [`Finding`]s, without their values).

use crate::weak_verdict::WeakVerdictModel;
use crate::{Finding, Label, Scanner, rules};

/// The trained weights: `threshold<TAB>p`, then `feature<TAB>weight` lines.
const WEIGHTS: &str = include_str!("../data/person_model.tsv");

/// The probability at which a word is called part of a name, chosen on batches 23 and 24 at
/// first contact (F1 0.841 at 0.5 and at 0.6, fewer words added at 0.6; 0.828 at 0.7; retrained
/// on the final corpus's verdicts, 0.841 at 0.5 and 0.835 at 0.6). The file's `threshold` line
/// wins.
pub const THRESHOLD: f32 = 0.6;

/// Most candidate words read in one text: the cost of a pathological text (megabytes of
/// capitalised words in mail about a patient) stays a few milliseconds. No message of the style
/// corpus has more than 50; the rules still read the words past the limit.
pub const MAX_CANDIDATES: usize = 2_000;

/// The rule id of its findings.
pub const RULE: &str = "person.model";

/// Whitespace the training script strips (Python's `str.strip(" \t\r\n\x0b\x0c")`).
fn ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0B' | b'\x0C')
}

/// Weights by [`feature_key`], in an open-addressing table (a key of 0 marks an empty slot).
pub(crate) struct PersonModel {
    keys: Box<[u64]>,
    weights: Box<[f32]>,
    threshold: f32,
    /// The weights of the features whose text is fixed, read once (each would otherwise be
    /// hashed and looked up for every candidate).
    fixed: FixedWeights,
    /// [`rules::key_filter`] of the name lists: most lower-case words are passed over on one
    /// bit, unread.
    name_keys: Box<rules::KeyFilter>,
}

/// Weights of the features with a fixed text: `b`, `fn`, `sn`, `ls`, `le`, `s:<shape>`,
/// `len:<n>`, and for each neighbour slot `<tag>:NONE`, `<tag>:NL` and `<tag>s:<shape>`.
struct FixedWeights {
    bias: f32,
    first: f32,
    sur: f32,
    line_start: f32,
    line_end: f32,
    shape: [f32; 4],
    len: [f32; 11],
    none: [f32; 4],
    line_break: [f32; 4],
    slot_shape: [[f32; 4]; 4],
}

/// The shapes [`shape_of`] gives, in the order [`FixedWeights`] keeps them.
const SHAPES: [&[u8]; 4] = [b"X", b"XX", b"Xx", b"xx"];

/// The neighbour slots' tags, in the order [`FixedWeights`] keeps them.
const SLOTS: [&[u8]; 4] = [b"p1", b"p2", b"n1", b"n2"];

/// A feature's key: a polynomial hash of its bytes (given in parts, read where they lie: no
/// copy), then MurmurHash3's finaliser, so that the low bits that pick a slot depend on every
/// byte. Two of the file's features with one key are refused when it is read.
fn feature_key(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .fold(KeyBuilder::START, |k, part| k.push(part))
        .key()
}

/// [`feature_key`] a part at a time, so that features that share a beginning ("p1:smith",
/// "p1:smith|,") hash it once.
#[derive(Clone, Copy)]
struct KeyBuilder(u64);

impl KeyBuilder {
    const START: KeyBuilder = KeyBuilder(0x243f_6a88_85a3_08d3);

    fn push(self, bytes: &[u8]) -> KeyBuilder {
        KeyBuilder(bytes.iter().fold(self.0, |h, &c| {
            h.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(u64::from(c))
        }))
    }

    fn key(self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

impl PersonModel {
    /// The model, with the name lists (a word a line) for its look-ups.
    pub(crate) fn new(name_lists: &[&str]) -> Self {
        let name_keys = rules::key_filter(name_lists.iter().flat_map(|l| l.lines()).map(str::trim));
        let mut threshold = THRESHOLD;
        let mut features = Vec::new();
        for (name, weight) in crate::weights_file(WEIGHTS) {
            if name == "threshold" {
                threshold = weight;
            } else {
                features.push((feature_key(&[name.as_bytes()]), weight));
            }
        }
        // At most a third full: a look-up rarely reads a second slot.
        let slots = (features.len() * 3).next_power_of_two().max(16);
        let mut keys = vec![0u64; slots].into_boxed_slice();
        let mut weights = vec![0f32; slots].into_boxed_slice();
        for (key, weight) in features {
            assert!(
                key != 0,
                "person_model.tsv: a feature's key is 0 (covered by tests)"
            );
            let mut i = key as usize & (slots - 1);
            while keys[i] != 0 {
                assert!(
                    keys[i] != key,
                    "person_model.tsv: two features with one key (covered by tests)"
                );
                i = (i + 1) & (slots - 1);
            }
            keys[i] = key;
            weights[i] = weight;
        }
        let mut model = PersonModel {
            keys,
            weights,
            threshold,
            fixed: FixedWeights {
                bias: 0.0,
                first: 0.0,
                sur: 0.0,
                line_start: 0.0,
                line_end: 0.0,
                shape: [0.0; 4],
                len: [0.0; 11],
                none: [0.0; 4],
                line_break: [0.0; 4],
                slot_shape: [[0.0; 4]; 4],
            },
            name_keys,
        };
        let w = |parts: &[&[u8]]| model.weight(feature_key(parts));
        let lengths = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
        let fixed = FixedWeights {
            bias: w(&[b"b"]),
            first: w(&[b"fn"]),
            sur: w(&[b"sn"]),
            line_start: w(&[b"ls"]),
            line_end: w(&[b"le"]),
            shape: SHAPES.map(|sh| w(&[b"s:", sh])),
            len: lengths.map(|n| w(&[b"len:", n.as_bytes()])),
            none: SLOTS.map(|tag| w(&[tag, b":NONE"])),
            line_break: SLOTS.map(|tag| w(&[tag, b":NL"])),
            slot_shape: SLOTS.map(|tag| SHAPES.map(|sh| w(&[tag, b"s:", sh]))),
        };
        model.fixed = fixed;
        model
    }

    /// The weight of the feature with key `key` (0 for one the file lacks).
    #[inline]
    fn weight(&self, key: u64) -> f32 {
        let mask = self.keys.len() - 1;
        let mut i = key as usize & mask;
        loop {
            match self.keys[i] {
                k if k == key => return self.weights[i],
                0 => return 0.0,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// The PERSON findings the model adds to `findings` (sorted, non-overlapping, a message
    /// called PHI), in text order: each a word it reads as part of a name at [`THRESHOLD`] or
    /// more, its probability as the score. `tokens` are the rules' tokens of `text` and its
    /// ASCII-lower-cased copy: the words are found from them (see [`for_each_word`]).
    pub(crate) fn names(
        &self,
        s: &Scanner,
        vocabulary: &WeakVerdictModel,
        text: &str,
        (toks, lc): (&[rules::Tok], &str),
        (findings, staff): (&[Finding], &[rules::Span]),
    ) -> Vec<Finding> {
        let b = text.as_bytes();
        let lb = lc.as_bytes();
        let mut out = Vec::new();
        let mut next_finding = 0;
        let mut next_staff = 0;
        let mut read = 0;
        // Code points before `char_at.0` (bytes): offsets are counted forward, once.
        let mut char_at = (0usize, 0usize);
        // Where the last name found ends, its letters outside ASCII read with it (below).
        let mut covered_to = 0;
        for_each_word(b, toks, |ws, we, key| {
            // (Nor a part of a hyphenated code: "JOB NAME : RR-DAILY-0311-B", blind batch 55.)
            if we - ws < 2
                || ws < covered_to
                || b.get(we) == Some(&b'-') && b.get(we + 1).is_some_and(u8::is_ascii_digit)
            {
                return true;
            }
            // Cheapest tests first: a lower-case word is a candidate only in the name lists, a
            // capitalised one only outside the vocabulary of everyday words.
            let word = &b[ws..we];
            let upper = word[0].is_ascii_uppercase();
            // (The key reads the word in lower case.)
            let maybe_name = rules::bit(&self.name_keys[..], key);
            // (Most capitalised words start a sentence or a line: everyday words.)
            if !(upper || maybe_name) || upper && (vocabulary.knows(word) || rules::microbe(word)) {
                return true;
            }
            let first = maybe_name && s.first_names.get_any_case(word, key).is_some();
            let sur = maybe_name && s.surnames.get_any_case(word, key).is_some();
            if !upper && (!(first || sur) || vocabulary.knows(word)) {
                return true;
            }
            while next_finding < findings.len() && findings[next_finding].end_byte <= ws {
                next_finding += 1;
            }
            if findings
                .get(next_finding)
                .is_some_and(|f| f.start_byte < we)
            {
                return true;
            }
            while next_staff < staff.len() && staff[next_staff].1 <= ws {
                next_staff += 1;
            }
            if staff.get(next_staff).is_some_and(|&(s0, _)| s0 < we) {
                return true;
            }
            read += 1;
            if read > MAX_CANDIDATES {
                return false;
            }
            let lower = &lb[ws..we];
            let fixed = &self.fixed;
            let shape = shape_of(word);
            let mut z = fixed.bias + fixed.shape[shape] + fixed.len[(we - ws).min(10)];
            if first {
                z += fixed.first;
            }
            if sur {
                z += fixed.sur;
            }
            z += self.weight(feature_key(&[
                b"suf:",
                &lower[lower.len().saturating_sub(3)..],
            ]));
            // (Only whitespace back to the line's start, or on to its end.)
            let mut k = ws;
            while k > 0 && b[k - 1] != b'\n' && ascii_space(b[k - 1]) {
                k -= 1;
            }
            let line_start = k == 0 || b[k - 1] == b'\n';
            let mut k = we;
            while k < b.len() && b[k] != b'\n' && ascii_space(b[k]) {
                k += 1;
            }
            let line_end = k == b.len() || b[k] == b'\n';
            // The two words on each side: (the slot, and the word with the gap read with it,
            // from the word nearer the candidate).
            let p1 = word_before(b, ws);
            let p2 = p1.and_then(|(s1, _)| word_before(b, s1));
            let n1 = word_after(b, we);
            let n2 = n1.and_then(|(_, e1)| word_after(b, e1));
            let slots: [Option<Neighbour>; 4] = [
                p1.map(|w| (w, w.1, ws)),
                p2.zip(p1).map(|(w, w1)| (w, w.1, w1.0)),
                n1.map(|w| (w, we, w.0)),
                n2.zip(n1).map(|(w, w1)| (w, w1.1, w.0)),
            ];
            for (k, slot) in slots.into_iter().enumerate() {
                let Some(((s0, e0), g0, g1)) = slot else {
                    z += fixed.none[k];
                    continue;
                };
                let gap = &text[g0..g1];
                if gap.contains('\n') {
                    z += fixed.line_break[k];
                    continue;
                }
                let tag = SLOTS[k];
                let word_part = KeyBuilder::START.push(tag).push(b":").push(&lb[s0..e0]);
                z += self.weight(word_part.key());
                z += fixed.slot_shape[k][shape_of(&b[s0..e0])];
                // (The nearer words: "p1", "n1".)
                if k % 2 == 0 {
                    let (g, n) = punct(gap);
                    z += self.weight(feature_key(&[tag, b"g:", &g[..n]]));
                    z += self.weight(word_part.push(b"|").push(&g[..n.min(2)]).key());
                }
            }
            let before = p1.map_or(&[][..], |(s1, e1)| &lb[s1..e1]);
            z += self.weight(feature_key(&[b"s:", SHAPES[shape], b"|p1:", before]));
            if line_start {
                z += fixed.line_start;
            }
            if line_end {
                z += fixed.line_end;
            }
            let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
            // ("- Resupply (A7030-A7039) - order placed": a supply list's item before its range
            // of codes, as the rules read it.)
            if p < self.threshold || rules::code_range_in_brackets(&text[we..]) {
                return true;
            }
            // "Sofía", "Calderón", "Ángel": the model reads a word's ASCII letters (as its
            // training script does); a name found so takes the rest of its word, the letters
            // on either side that run on past ASCII (blind batch 39, the style corpus).
            let letter_outside_ascii =
                |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphabetic());
            let mut ws = ws;
            if letter_outside_ascii(text[..ws].chars().next_back()) {
                // (Never back past the last name found: its letters are its own.)
                while let Some(c) = text[char_at.0..ws]
                    .chars()
                    .next_back()
                    .filter(|c| c.is_alphabetic())
                {
                    ws -= c.len_utf8();
                }
            }
            let mut we = we;
            if letter_outside_ascii(text[we..].chars().next()) {
                while let Some(c) = text[we..].chars().next().filter(|c| c.is_alphabetic()) {
                    we += c.len_utf8();
                }
            }
            // "Employee:   Brandon T. Kettering", "Member:   PATRICIA L GINGRICH", "Caller:
            // June Haverkamp (patient)": a first name the model found, then (an initial and) a
            // word in its case that no everyday word is, is one name: the surname, read
            // alone, may score under the threshold (blind batch 49).
            // (Not into a finding of the rules, nor a name they judged staff.)
            if first
                && !b[ws..we].iter().any(|c| !c.is_ascii())
                && let Some(e) = surname_after(b, we, shape, vocabulary)
                && findings[next_finding..]
                    .first()
                    .is_none_or(|f| f.start_byte >= e)
                && staff[next_staff..].first().is_none_or(|&(s0, _)| s0 >= e)
            {
                we = e;
            }
            covered_to = we;
            // (`str::chars().count()` counts a word of bytes at a time; both ends are char
            // boundaries.)
            let start_char = char_at.1 + text[char_at.0..ws].chars().count();
            let end_char = start_char + text[ws..we].chars().count();
            char_at = (we, end_char);
            out.push(Finding {
                label: Label::Person,
                start_char,
                end_char,
                start_byte: ws,
                end_byte: we,
                score: p,
                rule: RULE,
                reason: "a word the person-name model reads as part of a name",
            });
            true
        });
        out
    }
}

/// The end of a surname right after a first name that ends at `at` (of shape `shape`): one
/// space, perhaps an initial ("T. ", "L "), then a word of two letters or more written like
/// the first name (capitalised after a capitalised one, in capitals after one in capitals)
/// that the vocabulary of everyday words does not know, on the same line and ending the word
/// there (a hyphen or an apostrophe may join its parts: "Achterberg-Holt", "O'Neill").
fn surname_after(
    b: &[u8],
    at: usize,
    shape: usize,
    vocabulary: &WeakVerdictModel,
) -> Option<usize> {
    let capitals = SHAPES[shape] == b"XX";
    if !(capitals || SHAPES[shape] == b"Xx") || b.get(at) != Some(&b' ') {
        return None;
    }
    let mut k = at + 1;
    // (An initial: a capital, then a dot and a space, or a space.)
    if b.get(k).is_some_and(u8::is_ascii_uppercase) {
        match (b.get(k + 1), b.get(k + 2)) {
            (Some(b'.'), Some(b' ')) => k += 3,
            (Some(b' '), _) => k += 2,
            _ => {}
        }
    }
    let st = k;
    let mut e = k;
    while e < b.len() && (b[e].is_ascii_alphabetic() || matches!(b[e], b'-' | b'\'') && e > st) {
        e += 1;
    }
    while e > st && matches!(b[e - 1], b'-' | b'\'') {
        e -= 1;
    }
    // (Not a possessive ("for Liam O'Sullivan-Park's care"): the model reads the word with
    // its "'s" as its training script does, and judges it itself.)
    if e >= st + 2 && b[e - 2] == b'\'' && b[e - 1].eq_ignore_ascii_case(&b's') {
        return None;
    }
    let word = &b[st..e];
    let written_alike = word.len() >= 2
        && word[0].is_ascii_uppercase()
        && if capitals {
            word.iter().all(|c| !c.is_ascii_lowercase())
        } else {
            word[1..].iter().any(u8::is_ascii_lowercase)
        };
    let ends = b
        .get(e)
        .is_none_or(|&c| !c.is_ascii_alphanumeric() && c < 0x80);
    (written_alike && ends && !vocabulary.knows(word)).then_some(e)
}

/// A neighbouring word's span, and where the gap read with it starts and ends.
type Neighbour = ((usize, usize), usize, usize);

/// A word's shape, an index into [`SHAPES`]: `XX` (no lower-case letter, two or more bytes),
/// `X` (one capital), `Xx` (capitalised), `xx`.
fn shape_of(w: &[u8]) -> usize {
    if !w.iter().any(u8::is_ascii_lowercase) {
        if w.len() > 1 { 1 } else { 0 }
    } else if w[0].is_ascii_uppercase() {
        2
    } else {
        3
    }
}

/// The first three characters of `gap` without its ASCII whitespace at either end (and how
/// many there are), each non-ASCII one written `~` and each control character a space.
fn punct(gap: &str) -> ([u8; 3], usize) {
    let mut out = [0u8; 3];
    let mut n = 0;
    for c in gap
        .trim_matches(|c: char| c.is_ascii() && ascii_space(c as u8))
        .chars()
        .take(3)
    {
        out[n] = match c {
            // (A tab inside the gap would split the weights file's line.)
            c if c.is_ascii_control() => b' ',
            c if c.is_ascii() => c as u8,
            _ => b'~',
        };
        n += 1;
    }
    (out, n)
}

/// Can the byte be inside a word: an ASCII letter, an apostrophe or a hyphen?
#[inline(always)]
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'\'' || c == b'-'
}

/// The end of the word whose first letter is at `at`: over letters, apostrophes and hyphens,
/// ending on the last letter (an apostrophe or a hyphen goes on with the word when a letter
/// follows it, after any more of them). Letters eight at a time.
fn word_end_from(b: &[u8], at: usize) -> usize {
    let mut end = rules::letters_end(b, at + 1);
    loop {
        let mut j = end;
        while j < b.len() && matches!(b[j], b'\'' | b'-') {
            j += 1;
        }
        if j > end && b.get(j).is_some_and(u8::is_ascii_alphabetic) {
            end = rules::letters_end(b, j + 1);
        } else {
            return end;
        }
    }
}

/// Calls `f(start, end, key)` with each ASCII word of `b` as the training script reads them
/// (`[A-Za-z][A-Za-z'\-]*[A-Za-z]` or one letter), in order, with its [`rules::word_key`],
/// until it returns false. Read from the rules' tokens (`toks`, which hold every ASCII letter of
/// `b`): a token that is a word by itself (ASCII, with no letter, apostrophe or hyphen on
/// either side: most are) gives its span and the key the tokenizer computed; the others (a
/// possessive's "'s", "x--y", a word with a non-ASCII letter) are read byte by byte, on over a
/// word that runs past the token. The same words as [`ascii_words`] (a property test).
fn for_each_word(b: &[u8], toks: &[rules::Tok], mut f: impl FnMut(usize, usize, usize) -> bool) {
    // Where the last word read ended: tokens inside it are passed over.
    let mut done = 0;
    for t in toks {
        if t.e <= done {
            continue;
        }
        if t.ascii
            && t.s >= done
            && (t.s == 0 || !word_byte(b[t.s - 1]))
            && !b.get(t.e).is_some_and(|&c| word_byte(c))
        {
            done = t.e;
            if !f(t.s, t.e, t.key as usize) {
                return;
            }
            continue;
        }
        let mut p = t.s.max(done);
        while p < t.e {
            if !b[p].is_ascii_alphabetic() {
                p += 1;
                continue;
            }
            let e = word_end_from(b, p);
            if !f(p, e, rules::word_key(&b[p..e])) {
                return;
            }
            p = e;
        }
        done = done.max(p);
    }
}

/// The word that ends last at or before byte `at` (a word's start, or the end of the text).
fn word_before(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut e = at;
    while e > 0 && !b[e - 1].is_ascii_alphabetic() {
        e -= 1;
    }
    if e == 0 {
        return None;
    }
    // Back over the word's run of letters, apostrophes and hyphens, then on to its first letter.
    let mut s = e - 1;
    while s > 0 && word_byte(b[s - 1]) {
        s -= 1;
    }
    while !b[s].is_ascii_alphabetic() {
        s += 1;
    }
    Some((s, e))
}

/// The first word that starts at or after byte `at` (a word's end).
fn word_after(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let s = at + b.get(at..)?.iter().position(u8::is_ascii_alphabetic)?;
    Some((s, word_end_from(b, s)))
}

/// The ASCII words of `b` as the training script reads them (`[A-Za-z][A-Za-z'\-]*[A-Za-z]` or
/// one letter): from a letter over letters, apostrophes and hyphens, ending on the last letter.
/// (The reference [`for_each_word`], [`word_before`] and [`word_after`] are tested against.)
#[cfg(test)]
fn ascii_words(b: &[u8]) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let end = word_end_from(b, i);
        words.push((i, end));
        i = end;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words [`for_each_word`] reads from the rules' tokens of `text`, and each one's
    /// neighbours by [`word_before`] and [`word_after`], against [`ascii_words`].
    fn words_from_tokens_agree(text: &str) {
        static SCANNER: std::sync::LazyLock<Scanner> = std::sync::LazyLock::new(Scanner::new);
        let mut sc = rules::Scratch::default();
        rules::collect(&SCANNER, text, &mut sc);
        let (toks, _) = sc.tokens_and_lower();
        let b = text.as_bytes();
        let reference = ascii_words(b);
        let mut read = Vec::new();
        for_each_word(b, toks, |ws, we, key| {
            assert_eq!(key, rules::word_key(&b[ws..we]), "{text:?}");
            read.push((ws, we));
            true
        });
        assert_eq!(read, reference, "{text:?}");
        for (i, &(ws, we)) in reference.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| reference[j]);
            assert_eq!(word_before(b, ws), before, "{text:?} before {i}");
            assert_eq!(
                word_after(b, we),
                reference.get(i + 1).copied(),
                "{text:?} after {i}"
            );
        }
    }

    #[test]
    fn words_from_the_rules_tokens_are_the_training_scripts_words() {
        for text in [
            "O'Brien-Smith's x--y ab'- 9c José",
            "Núñez-Ortiz ñandú Zoë's  'quoted' -dash- rock--solid it's d'Arcy",
            "Pt's wife's mom ' - '' -- a b c\nline\n\nMary-Kate O'Neil-Smith,Jr.",
            "x",
            "",
            "ÉÉ éé 123 --- ''",
        ] {
            words_from_tokens_agree(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn words_from_tokens_agree_on_any_text(text in "[a-zA-Z'\\- .,\n0-9éñ’]{0,80}") {
            words_from_tokens_agree(&text);
        }
    }

    #[test]
    fn words_are_read_as_the_training_script_reads_them() {
        let text = "O'Brien-Smith's x--y ab'- 9c José";
        let w: Vec<&str> = ascii_words(text.as_bytes())
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        // (Python: re.findall(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]", text).)
        assert_eq!(w, ["O'Brien-Smith's", "x--y", "ab", "c", "Jos"]);
    }

    #[test]
    fn gaps_are_stripped_and_cut_as_the_training_script_does() {
        let cut = |gap: &str| {
            let (g, n) = punct(gap);
            g[..n].to_vec()
        };
        assert_eq!(cut("  : (  "), b": (");
        assert_eq!(cut(" \u{a0}, "), b"~,");
        assert_eq!(cut("\t"), b"");
        assert_eq!(cut(",\t:"), b", :");
        assert_eq!(cut(" (see "), b"(se");
    }

    #[test]
    fn the_weights_file_reads_and_keys_do_not_collide() {
        let m = PersonModel::new(&[crate::FIRST_NAMES]);
        let features = m.keys.iter().filter(|&&k| k != 0).count();
        assert!(features > 10_000, "{features}");
        assert!(features * 3 <= m.keys.len(), "a third full at most");
        // A feature of the file has its weight; one it lacks weighs nothing.
        assert!(m.weight(feature_key(&[b"b"])) != 0.0);
        assert_eq!(m.weight(feature_key(&[b"p1:no-such-word-here"])), 0.0);
        assert!((0.3..=0.9).contains(&m.threshold));
    }
}
