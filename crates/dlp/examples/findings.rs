//! Writes every finding for a fixed, deterministic set of inputs, to check that a change to the
//! detector leaves its output alone (`cargo run --release -p dlp --example findings -- OUT`).
//! Run it on two commits (for example in a `git worktree` of the older one) and compare the two
//! files byte for byte.
//!
//! The inputs: the dev corpus (`testdata/dev.jsonl`), its texts joined into ~30 KB and ~100 KB
//! messages, random strings of mail fragments, of characters (with non-ASCII letters and
//! punctuation) and of digit groups and separators, corpus windows with mutated bytes, each
//! text upper-cased, lower-cased and with its separators swapped, and adversarial inputs (long
//! runs of digits, letters, keywords, newlines and non-ASCII text; 1 MB of random bytes as lossy
//! UTF-8; 1 MB of random printable ASCII, of digits and separators, and of both with letters).
//! Each finding is written with its label, byte and code-point spans, score, rule and reason.
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: findings OUT")?;
    let cases = inputs();
    let scanner = dlp::Scanner::new();
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for (i, c) in cases.iter().enumerate() {
        let r = scanner.scan(c);
        let cats: Vec<&str> = r.categories.iter().map(|l| l.as_str()).collect();
        writeln!(
            w,
            "#{i} len={} phi={} cats={cats:?}",
            c.len(),
            r.contains_phi
        )?;
        for f in &r.findings {
            writeln!(
                w,
                "{} b{}-{} c{}-{} {:?} {} {}",
                f.label.as_str(),
                f.start_byte,
                f.end_byte,
                f.start_char,
                f.end_char,
                f.score,
                f.rule,
                f.reason
            )?;
        }
    }
    w.flush()?;
    let bytes: usize = cases.iter().map(String::len).sum();
    eprintln!("{} inputs, {bytes} bytes", cases.len());
    Ok(())
}

/// The dev corpus texts.
fn corpus() -> Vec<String> {
    include_str!("../testdata/dev.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect()
}

/// xorshift64: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `n` strings of up to `max - 1` pieces of `atoms`.
    fn strings(&mut self, atoms: &[&str], n: usize, max: usize, out: &mut Vec<String>) {
        for _ in 0..n {
            let k = self.below(max);
            let mut s = String::new();
            for _ in 0..k {
                s.push_str(atoms[self.below(atoms.len())]);
            }
            out.push(s);
        }
    }
}

fn inputs() -> Vec<String> {
    let texts = corpus();
    let mut cases: Vec<String> = texts.clone();
    let mut cur = String::new();
    for t in &texts {
        cur.push_str(t);
        cur.push_str("\n\n");
        if cur.len() > 30000 {
            cases.push(std::mem::take(&mut cur));
        }
    }
    cases.push(cur);
    // The 100 KB message of the benchmarks.
    let mut m = String::new();
    for t in texts.iter().cycle() {
        if m.len() >= 100 * 1024 {
            break;
        }
        m.push_str(t);
        m.push_str("\n\n");
    }
    cases.push(m);
    let mut r = Rng(0x1234567);
    let pieces = [
        "Dear ",
        "Mr. ",
        "MRN: ",
        "SSN ",
        "DOB ",
        "Hi ",
        "Thanks,\n",
        "Ann ",
        "Lee ",
        "Smith",
        "José ",
        "é",
        "’s ",
        "12",
        "3456",
        "-",
        "/",
        ".",
        ":",
        "#",
        "(",
        ")",
        ",",
        "@",
        " ",
        "\n",
        "From: ",
        "To: ",
        "gmail.com",
        "invoice",
        "Order ",
        "Dr. ",
        "NPI ",
        "1234567893",
        "Z95.0",
        "metformin ",
        "555-123-4567",
        "123 Main St",
        "Austin, TX",
        "http://x.org/a1B2c3",
        "plate ",
        "  ",
        "\t",
        "Regards\n",
        "-- \n",
        "Member ID ",
        "Hello ",
        "Patient ",
        "wife ",
        "MD",
        ", RN",
        "Street",
        "age 95",
        "3:30 pm",
        "on 4/5/2023",
        "CLAIM",
        "rx",
        "Rx",
    ];
    r.strings(&pieces, 20000, 60, &mut cases);
    let atoms = [
        "a",
        "B",
        "k",
        "\u{212A}",
        "\u{17F}",
        "\u{130}",
        "\u{2019}",
        "'",
        "-",
        "s",
        " ",
        "  ",
        "\n",
        "\r\n",
        "1",
        "7",
        "0",
        "@",
        ":",
        ".",
        ",",
        "#",
        "/",
        "www.",
        "http://",
        "MRN",
        "mrn",
        "Mr",
        "Dr",
        "O'Brien",
        "Jean-Luc",
        "\u{e9}",
        "Smith",
        "Garcia",
        "Maria",
        "ID",
        "id",
        "no",
        "SN",
        "sn",
        "Rx",
        "rx",
        "plate",
        "VIN",
        "1HGCM82633A004352",
        "AB1234563",
        "Z95.0",
        "E11.9",
        "May",
        "June",
        "Sept",
        "March 3",
        "gmail.com",
        "Thanks",
        "--",
        "Dear",
        "Hi",
        "wife",
        "Patient",
        "MD",
        "RN",
        "Street",
        "St",
        "Ave",
        "TX",
        "(555) 123-4567",
        "90210",
        "\t",
        "\u{a0}",
        "\u{2014}",
        "Zo\u{eb}",
        "\u{141}ukasz",
    ];
    r.strings(&atoms, 20000, 80, &mut cases);
    // Digit-shaped: the patterns built from digit runs and separators.
    let digits = [
        "1",
        "2",
        "0",
        "9",
        "12",
        "123",
        "1234",
        "12345",
        "123456",
        "1234567",
        "1234567890",
        "5551234567",
        "1234567893",
        "-",
        ".",
        "/",
        " ",
        "  ",
        ":",
        "(",
        ")",
        "+1",
        "+1 ",
        "1-",
        "1 ",
        "am",
        " pm",
        "P.M.",
        "AM",
        "st",
        "th",
        "nd",
        "rd",
        "Jan",
        "March",
        "Sept.",
        ", ",
        "2023",
        "y/o",
        "-year-old",
        " years old",
        "yo",
        "yoM",
        "Age",
        "aged ",
        "AGE:",
        "#",
        "x",
        "A",
        "Z",
        "AB",
        "E11",
        "\n",
        "a",
        "_",
        "é",
        "@",
        "1A",
        "C3",
        "::",
        "fe80",
        "a1b2",
        "Street",
        "St ",
        "Main ",
        "Apt 4",
        ", TX",
        "\n",
        "www.",
        "http://",
        "1EG4-TE5-MK73",
        "1HG",
        "X",
    ];
    r.strings(&digits, 30000, 40, &mut cases);
    // Corpus windows with digits, letters and separators mutated, and whole-text variants.
    let swaps = [
        '0', '5', '9', '-', '.', '/', ' ', 'A', 'x', '\n', ':', 'é', '@',
    ];
    for t in &texts {
        let chars: Vec<char> = t.chars().collect();
        for _ in 0..6 {
            let (a, b) = (r.below(chars.len()), r.below(chars.len()));
            let mut s: Vec<char> = chars[a.min(b)..a.max(b)].to_vec();
            for _ in 0..(1 + r.below(8)) {
                if s.is_empty() {
                    break;
                }
                let i = r.below(s.len());
                s[i] = swaps[r.below(swaps.len())];
            }
            cases.push(s.into_iter().collect());
        }
        cases.push(t.to_uppercase());
        cases.push(t.to_lowercase());
        cases.push(t.replace('\n', " "));
        cases.push(t.replace(' ', "\n"));
        cases.push(t.replace('-', " "));
        cases.push(t.replace(['.', '-'], "/"));
    }
    // Adversarial: long runs.
    let big = 100_000;
    for unit in [
        "1",
        "0123456789",
        "123-45-6789 ",
        "1/2/",
        "1.",
        "1-",
        "12:",
        "555 ",
        "(555) ",
        "1 ",
        "a",
        "A",
        "Smith ",
        "AB",
        "A1",
        "ABCDEFGHJKLMNPRST",
        "\n",
        "\r\n",
        "a\n",
        " ",
        "é",
        "\u{2019}",
        "Zoë Łukasz’s ",
        "日本語",
        "😀",
        "e\u{301}",
        "MRN ",
        "SSN: ",
        "Member ID ",
        "@",
        "a@",
        "www.",
        "http://",
        "::",
        "1.1.1.",
        "Dear ",
        "Thanks,\n",
        "Mr. ",
        "-- \n",
        "'",
        "-a",
        "a-",
        "Jan 1, ",
        "1st ",
        "90 y/o ",
        "123 Main St ",
        "x@gmail.com ",
        "Order #",
    ] {
        cases.push(unit.repeat(big / unit.len().max(1)));
    }
    let mut bytes = vec![0u8; 1 << 20];
    for b in bytes.iter_mut() {
        *b = r.next() as u8;
    }
    cases.push(String::from_utf8_lossy(&bytes).into_owned());
    let mut from = |alphabet: &[u8]| -> String {
        (0..(1 << 20))
            .map(|_| char::from(alphabet[r.below(alphabet.len())]))
            .collect()
    };
    let printable: Vec<u8> = (32..127).collect();
    cases.push(from(&printable));
    cases.push(from(b"0123456789-./ ():\n"));
    cases.push(from(b"0123456789-./ ():\nAaZz,#@"));
    cases
}
