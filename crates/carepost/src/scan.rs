//! `carepost scan`: run the PHI detector (`dlp`) over a message or a JSON Lines corpus.
//!
//! * `carepost scan FILE.eml|-` prints a readable report with every value MASKED
//!   (`SSN  line 3  1**-**-***9  score 0.95  rule ssn.context`); `--json` prints the same as JSON.
//! * `carepost scan --jsonl FILE|-` reads `{"id":..., "text":...}` lines and writes one
//!   `{"id":..., "phi": bool, "spans":[{"start","end","label","score"}]}` line per input, in input
//!   order, with Unicode code-point offsets (the format `score.py` reads). It streams: memory is
//!   bounded by `--max-line-bytes`; a longer line (or a line that is not valid JSON) yields
//!   `{"id":..., "error": "..."}` for that line and scanning goes on.
//!
//! Security: the report never prints an unmasked value; the JSONL output carries offsets only.
//! Needs no configuration, keys, storage or network.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use anyhow::Context as _;
use serde_json::{Value, json};

/// Arguments of `carepost scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// A message file (`.eml` or text), a JSON Lines corpus with `--jsonl`, or `-` for stdin.
    pub input: String,
    /// Input is JSON Lines (`{"id":..., "text":...}`); write one prediction line per input.
    #[arg(long)]
    pub jsonl: bool,
    /// Print the report as JSON (values still masked). Ignored with `--jsonl`.
    #[arg(long)]
    pub json: bool,
    /// Longest accepted input line (JSONL) or message (report mode), in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_bytes: usize,
}

/// Runs `carepost scan`.
pub fn scan(args: ScanArgs) -> anyhow::Result<()> {
    let input: Box<dyn Read> = if args.input == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(&args.input).with_context(|| format!("opening {}", args.input))?)
    };
    let scanner = dlp::Scanner::new();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.jsonl {
        scan_jsonl(&scanner, BufReader::new(input), &mut out, args.max_bytes)?;
    } else {
        let mut buf = Vec::new();
        input
            .take(args.max_bytes as u64 + 1)
            .read_to_end(&mut buf)
            .context("reading the message")?;
        anyhow::ensure!(
            buf.len() <= args.max_bytes,
            "message is larger than --max-bytes ({} bytes)",
            args.max_bytes
        );
        let text = String::from_utf8_lossy(&buf);
        report(&scanner, &text, args.json, &mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// One line read with a length cap.
enum Line {
    Ok,
    TooLong,
    Eof,
}

/// Reads one `\n`-terminated line into `buf` (without the newline), keeping at most `max` bytes;
/// the rest of an over-long line is read and discarded.
fn read_line_capped(r: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > max {
                too_long = true;
                // Keep a prefix so the id can still be reported.
                let keep = max.min(4096).saturating_sub(buf.len()).min(take);
                buf.extend_from_slice(&chunk[..keep]);
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => Line::Eof,
        (true, true) => Line::TooLong,
        (true, false) => Line::Ok,
    })
}

/// Best-effort `"id"` from the start of a line too long to parse.
fn id_from_prefix(prefix: &[u8]) -> Value {
    let s = String::from_utf8_lossy(prefix);
    let Some(i) = s.find("\"id\"") else {
        return Value::Null;
    };
    let rest = s[i + 4..]
        .trim_start()
        .strip_prefix(':')
        .unwrap_or("")
        .trim_start();
    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    match de.next() {
        Some(Ok(v @ (Value::String(_) | Value::Number(_)))) => v,
        _ => Value::Null,
    }
}

fn scan_jsonl(
    scanner: &dlp::Scanner,
    mut input: impl BufRead,
    out: &mut impl Write,
    max: usize,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        let line = read_line_capped(&mut input, &mut buf, max).context("reading input")?;
        n += 1;
        let obj = match line {
            Line::Eof => break,
            Line::TooLong => {
                json!({"id": id_from_prefix(&buf), "line": n, "error": "line exceeds --max-bytes"})
            }
            Line::Ok => {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<Value>(&buf) {
                    Err(_) => json!({"id": Value::Null, "line": n, "error": "not valid JSON"}),
                    Ok(v) => match v.get("text").and_then(Value::as_str) {
                        None => {
                            json!({"id": v.get("id").cloned().unwrap_or(Value::Null), "line": n,
                                       "error": "missing string field \"text\""})
                        }
                        Some(text) => {
                            let r = scanner.scan(text);
                            let spans: Vec<Value> = r
                                .findings
                                .iter()
                                .map(|f| {
                                    json!({"start": f.start_char, "end": f.end_char,
                                           "label": f.label.as_str(),
                                           "score": (f64::from(f.score) * 1000.0).round() / 1000.0})
                                })
                                .collect();
                            json!({"id": v.get("id").cloned().unwrap_or(Value::Null),
                                   "phi": r.contains_phi, "spans": spans})
                        }
                    },
                }
            }
        };
        serde_json::to_writer(&mut *out, &obj)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Masks a value: letters and digits become `*`, except the first and last when the value has
/// more than four of them (`123-45-6789` -> `1**-**-***9`).
fn mask(value: &str) -> String {
    let alnum = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if alnum > 4 && (seen == 1 || seen == alnum) {
                    c
                } else {
                    '*'
                }
            } else if c == '\n' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn report(
    scanner: &dlp::Scanner,
    text: &str,
    as_json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let r = scanner.scan(text);
    // Findings are in text order: count newlines incrementally (linear overall).
    let (mut line, mut pos) = (1usize, 0usize);
    let mut line_of = |byte: usize| {
        line += text.as_bytes()[pos..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        pos = byte;
        line
    };
    if as_json {
        let findings: Vec<Value> = r
            .findings
            .iter()
            .map(|f| {
                json!({"label": f.label.as_str(), "line": line_of(f.start_byte),
                       "start": f.start_char, "end": f.end_char,
                       "masked": mask(&text[f.start_byte..f.end_byte]),
                       "score": (f64::from(f.score) * 1000.0).round() / 1000.0,
                       "rule": f.rule, "reason": f.reason})
            })
            .collect();
        let cats: Vec<&str> = r.categories.iter().map(|l| l.as_str()).collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({"phi": r.contains_phi, "categories": cats, "findings": findings}),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "PHI: {}  ({} findings)",
        if r.contains_phi { "yes" } else { "no" },
        r.findings.len()
    )?;
    for f in &r.findings {
        writeln!(
            out,
            "{:<11} line {:<4} {:<28} score {:.2}  rule {}",
            f.label.as_str(),
            line_of(f.start_byte),
            mask(&text[f.start_byte..f.end_byte]),
            f.score,
            f.rule
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_only_first_and_last_character() {
        assert_eq!(mask("123-45-6789"), "1**-**-***9");
        assert_eq!(mask("1234"), "****");
    }

    #[test]
    fn jsonl_reports_an_error_for_an_over_long_line_and_goes_on() {
        let scanner = dlp::Scanner::new();
        let long = format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n", "a".repeat(5000));
        let input = format!("{long}{{\"id\": \"ok\", \"text\": \"SSN: 123-45-6789\"}}\nnot json\n");
        let mut out = Vec::new();
        scan_jsonl(&scanner, input.as_bytes(), &mut out, 1000).expect("scan");
        let lines: Vec<Value> = String::from_utf8(out)
            .expect("utf8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], "big");
        assert!(lines[0]["error"].is_string());
        assert_eq!(lines[1]["id"], "ok");
        assert_eq!(lines[1]["phi"], true);
        assert!(lines[2]["error"].is_string());
    }

    #[test]
    fn report_masks_values() {
        let scanner = dlp::Scanner::new();
        let mut out = Vec::new();
        report(&scanner, "Patient SSN: 123-45-6789\n", false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.contains("1**-**-***9"), "{s}");
        assert!(!s.contains("123-45-6789"));
    }
}
