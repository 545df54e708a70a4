//! `carepost scan`: run the PHI detector (`dlp`) over a message or a JSON Lines corpus.
//!
//! * `carepost scan FILE.eml|-` prints a readable report with every value MASKED
//!   (`SSN  line 3  1**-**-***9  score 0.95  rule ssn.context`); `--json` prints the same as JSON.
//!   A MIME message is taken apart first (`message::extract`): the Subject, text and HTML bodies,
//!   text attachments (CSV, ...) and attached messages are scanned one by one and findings are
//!   reported per part (`[attachment 2 (labs.csv)]`); parts that cannot be read (PDF, images,
//!   encrypted, over a limit) are listed as `UNSCANNABLE  attachment 3 (report.pdf):
//!   application/pdf not readable yet`. A file that is not a MIME message is scanned as one text.
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
use message::extract::{self, ExtractLimits, Extracted, Origin, TextPart};
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
        report_message(&scanner, &buf, args.json, &mut out)?;
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
                                .phi_findings()
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

/// Scans a message (or a plain-text file) and writes the report.
fn report_message(
    scanner: &dlp::Scanner,
    raw: &[u8],
    as_json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if extract::looks_like_message(raw) {
        let ex = extract::extract_text(raw, &ExtractLimits::default());
        report_parts(scanner, &ex, true, as_json, out)
    } else {
        let ex = Extracted {
            header_lines: String::new(),
            parts: vec![TextPart {
                origin: Origin::BodyText,
                name: None,
                text: String::from_utf8_lossy(raw).into_owned(),
            }],
            unscannable: Vec::new(),
        };
        report_parts(scanner, &ex, false, as_json, out)
    }
}

/// `attachment 2 (labs.csv)`, `body text`, `subject`.
fn part_label(origin: Origin, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{origin} ({})", sanitize(n)),
        None => origin.to_string(),
    }
}

/// A file name made safe for a one-line report (control characters replaced, length capped).
fn sanitize(name: &str) -> String {
    name.chars()
        .take(120)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// One report line: line number, label, masked value, score, rule.
type Row = (usize, &'static str, String, f32, &'static str);

/// Per-finding JSON and text lines for one part; findings are in text order.
fn part_findings(text: &str, r: &dlp::ScanResult, part: &str) -> (Vec<Value>, Vec<Row>) {
    // Count newlines incrementally (linear overall).
    let (mut line, mut pos) = (1usize, 0usize);
    let mut line_of = |byte: usize| {
        line += text.as_bytes()[pos..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        pos = byte;
        line
    };
    let mut json_rows = Vec::new();
    let mut rows = Vec::new();
    for f in &r.findings {
        let l = line_of(f.start_byte);
        let masked = mask(&text[f.start_byte..f.end_byte]);
        json_rows.push(json!({"part": part, "label": f.label.as_str(), "line": l,
               "start": f.start_char, "end": f.end_char,
               "masked": masked,
               "score": (f64::from(f.score) * 1000.0).round() / 1000.0,
               "rule": f.rule, "reason": f.reason}));
        rows.push((l, f.label.as_str(), masked, f.score, f.rule));
    }
    (json_rows, rows)
}

fn report_parts(
    scanner: &dlp::Scanner,
    ex: &Extracted,
    is_mime: bool,
    as_json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut phi = false;
    let mut cats = std::collections::BTreeSet::new();
    let mut all_json = Vec::new();
    let mut parts_json = Vec::new();
    let mut text_sections = Vec::new();
    let mut total = 0usize;
    // Parts with only weak evidence count when another part speaks of a patient's care (as in
    // screening, `screening::weak_parts_that_count`).
    let mut weak = Vec::new();
    // The first body is read with the message's header lines and subject, as screening reads
    // it (`screening::body_with_headers`); its lines and offsets are those of that text.
    let with_headers = screening::body_with_headers(ex);
    // Parts the rules called PHI on weak evidence and the detector's weak-verdict model took
    // back (said in the report, so a reader sees why a name and a date are not PHI).
    let mut taken_back = Vec::new();
    // Parts the rules did not call PHI and the model did (said in the report: such a verdict
    // may stand with no identifier found, so a reader sees why the message is PHI).
    let mut given = Vec::new();
    let results = screening::scan_parts(scanner, ex, with_headers.as_ref());
    for ((i, p), (scanned, r)) in ex.parts.iter().enumerate().zip(results) {
        let read_with_headers = with_headers.as_ref().filter(|w| w.part == i);
        phi |= r.contains_phi;
        if !r.contains_phi && r.weak_evidence_for_other_parts() {
            weak.push(i);
        }
        if let Some(v) = r.weak_verdict.filter(|v| v.taken_back()) {
            taken_back.push((part_label(p.origin, p.name.as_deref()), v));
        }
        if let Some(v) = r.weak_verdict.filter(|v| v.given()) {
            given.push((part_label(p.origin, p.name.as_deref()), v));
        }
        cats.extend(r.categories.iter().map(|l| l.as_str()));
        let label = part_label(p.origin, p.name.as_deref());
        let (js, rows) = part_findings(scanned, &r, &label);
        total += rows.len();
        let (origin, index) = match p.origin {
            Origin::Subject => ("subject", None),
            Origin::BodyText => ("body_text", None),
            Origin::BodyHtml => ("body_html", None),
            Origin::Attachment { index } => ("attachment", Some(index)),
        };
        parts_json.push(json!({"part": label, "origin": origin, "index": index,
                               "name": p.name.as_deref().map(sanitize), "bytes": p.text.len(),
                               "phi": r.contains_phi, "findings": rows.len(),
                               "read_with_header_lines": read_with_headers.is_some(),
                               "weak_verdict": r.weak_verdict.map(|v| json!({
                                   "rules_say_phi": v.rules_say_phi,
                                   "strong_evidence": v.strong_evidence,
                                   "model_probability": v.model_probability
                                       .map(|p| (f64::from(p) * 10000.0).round() / 10000.0),
                                   "taken_back": v.taken_back(),
                                   "given": v.given()}))}));
        all_json.extend(js);
        if !rows.is_empty() {
            let label = if read_with_headers.is_some() {
                format!("{label}, read after the message's From, To, Cc, Date and Subject lines")
            } else {
                label
            };
            text_sections.push((label, rows));
        }
    }
    let unscannable: Vec<(String, &extract::Unscannable)> = ex
        .unscannable
        .iter()
        .map(|u| {
            let origin = if u.index == 0 {
                "message".to_string()
            } else {
                Origin::Attachment { index: u.index }.to_string()
            };
            let label = match &u.name {
                Some(n) => format!("{origin} ({})", sanitize(n)),
                None => origin,
            };
            (label, u)
        })
        .collect();
    phi |= !screening::weak_parts_that_count(ex, &weak, with_headers.as_ref()).is_empty();
    if as_json {
        let unsc: Vec<Value> = unscannable
            .iter()
            .map(|(label, u)| {
                json!({"part": label, "index": u.index, "name": u.name.as_deref().map(sanitize),
                       "content_type": u.content_type, "reason": u.reason.code(),
                       "message": u.reason.as_str()})
            })
            .collect();
        let cats: Vec<&str> = cats.into_iter().collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({"phi": phi, "categories": cats, "findings": all_json,
                    "parts": parts_json, "unscannable": unsc}),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    if unscannable.is_empty() {
        writeln!(
            out,
            "PHI: {}  ({} findings)",
            if phi { "yes" } else { "no" },
            total
        )?;
    } else {
        writeln!(
            out,
            "PHI: {}  ({} findings, {} unscannable parts)",
            if phi { "yes" } else { "no" },
            total,
            unscannable.len()
        )?;
    }
    for (label, v) in &taken_back {
        let (evidence, below) = if v.strong_evidence {
            ("strong evidence", dlp::VETO_STRONG_BELOW)
        } else {
            ("weak evidence only", dlp::VETO_BELOW)
        };
        writeln!(
            out,
            "{label}: {evidence}; the rules called it PHI, the weak-verdict model took that back \
             (probability {:.4}, under {below})",
            v.model_probability.unwrap_or_default(),
        )?;
    }
    for (label, v) in &given {
        writeln!(
            out,
            "{label}: {}; the weak-verdict model reads its words as a patient's and calls it \
             PHI (probability {:.3}, at least {})",
            if v.weak_evidence {
                "weak evidence the rules did not count"
            } else {
                "no identifier the rules count"
            },
            v.model_probability.unwrap_or_default(),
            dlp::GIVE_AT
        )?;
    }
    for (label, rows) in &text_sections {
        if is_mime {
            writeln!(out, "[{label}]")?;
        }
        for (line, lab, masked, score, rule) in rows {
            writeln!(
                out,
                "{:<11} line {:<4} {:<28} score {:.2}  rule {}",
                lab, line, masked, score, rule
            )?;
        }
    }
    for (label, u) in &unscannable {
        writeln!(
            out,
            "UNSCANNABLE  {label}: {} {}",
            u.content_type,
            u.reason.as_str()
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
        report_message(&scanner, b"Patient SSN: 123-45-6789\n", false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.contains("1**-**-***9"), "{s}");
        assert!(!s.contains("123-45-6789"));
    }

    /// `carepost scan --json` of `raw`: the parsed report and its text.
    fn json_report(scanner: &dlp::Scanner, raw: &[u8]) -> (Value, String) {
        let mut out = Vec::new();
        report_message(scanner, raw, true, &mut out).expect("report");
        let v = serde_json::from_slice(&out).expect("json");
        (v, String::from_utf8(out).expect("utf8"))
    }

    /// The report's `text/plain` body part.
    fn body_part(v: &Value) -> &Value {
        v["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .find(|p| p["origin"] == "body_text")
            .expect("body part")
    }

    #[test]
    fn report_says_when_the_weak_verdict_model_took_a_verdict_back() {
        let scanner = dlp::Scanner::new();
        // A shift schedule: dates near "med-passer", no patient.
        let shifts = b"From: rokoye@harborviewgh.example\r\nTo: leads@harborviewgh.example\r\n\
Subject: weekend coverage - 2 open shifts\r\n\r\nhi all\r\n\r\n\
still two open shifts on the weekend schedule, can anyone spare staff? OT approved by Delphine.\r\n\r\n\
Sat 11/8  7a-3p   Birch House  (need med-passer)\r\n\
Sun 11/9  3p-11p  Birch House  (need med-passer + driver)\r\n\r\n\
Marcus said he can take Sunday if someone covers his Friday. Tamsin is on PTO. If nobody by \
Wednesday noon I'll post to the float pool.\r\n\r\nRenata\r\nBirch House | (614) 555-0190\r\n";
        let mut out = Vec::new();
        report_message(&scanner, shifts, false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.starts_with("PHI: no"), "{s}");
        assert!(s.contains("the weak-verdict model took that back"), "{s}");
        let (v, _) = json_report(&scanner, shifts);
        assert_eq!(body_part(&v)["weak_verdict"]["taken_back"], true, "{v}");
        assert_eq!(body_part(&v)["weak_verdict"]["given"], false, "{v}");
        // A patient's note: nothing taken back.
        let mut out = Vec::new();
        report_message(&scanner, b"Patient SSN: 123-45-6789\n", false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(!s.contains("weak-verdict"), "{s}");
    }

    #[test]
    fn report_says_when_the_weak_verdict_model_gave_a_verdict() {
        let scanner = dlp::Scanner::new();
        // Pasted texts about a patient named by a surname no rule knows: no identifier counts.
        let texts = b"From: mquintana@eastgatemc.example\r\nTo: interp@eastgatemc.example\r\n\
Subject: Fw: texts from ED\r\n\r\n\
[07:41] Charge RN: need portuguese interp rm 6 asap, Okwuosa chest pain, wife not here yet\r\n\
[07:42] Me: on my way\r\n\
[07:55] Charge RN: rm 6 done, dr wants you back for dispo when troponin is back\r\n\r\nM\r\n";
        let mut out = Vec::new();
        report_message(&scanner, texts, false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.starts_with("PHI: yes  (0 findings)"), "{s}");
        assert!(
            s.contains("no identifier the rules count; the weak-verdict model reads its words"),
            "{s}"
        );
        let (v, _) = json_report(&scanner, texts);
        assert_eq!(v["phi"], true, "{v}");
        assert_eq!(body_part(&v)["weak_verdict"]["given"], true, "{v}");
        // The supply room's stock: words about IVs and meds, no patient; nothing given.
        let supplies =
            b"From: bsoto@lakeshoremed.example\r\nTo: nightcharge@lakeshoremed.example\r\n\
Subject: supply room\r\n\r\n\
the supply room is out of 20g IV catheters and saline flushes again. I borrowed a box from 4 \
West, can you put in an order with central supply before day shift. also the badge reader on \
the med room door is sticking.\r\n\r\nBri\r\n";
        let mut out = Vec::new();
        report_message(&scanner, supplies, false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.starts_with("PHI: no"), "{s}");
        assert!(!s.contains("weak-verdict"), "{s}");
    }

    #[test]
    fn a_message_body_is_read_with_its_header_lines_as_in_screening() {
        let scanner = dlp::Scanner::new();
        let raw = b"From: Ines Valderrama <ivalderrama77@gmail.com>\r\n\
To: delivery@willowcreekinfusion.example\r\nSubject: friday delivery\r\n\r\n\
hi its ines (tpn). can my delivery friday come after 3? i have my GI appt friday morning.\r\n\
503-555-0139\r\n";
        let (v, text) = json_report(&scanner, raw);
        assert_eq!(v["phi"], true, "{v}");
        assert_eq!(body_part(&v)["read_with_header_lines"], true, "{v}");
        assert!(!text.contains("ivalderrama77@gmail.com"));
    }

    const CSV_MESSAGE: &str = "From: clinic@example.test\r\nTo: lab@example.test\r\n\
Subject: Weekly labs\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nPlease see the attached file.\r\n\
--b\r\nContent-Type: text/csv; name=\"labs.csv\"\r\n\
Content-Disposition: attachment; filename=\"labs.csv\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n\
TODO_B64\r\n\
--b\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n\
Content-Disposition: attachment; filename=\"report.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n\
--b--\r\n";

    fn csv_message() -> Vec<u8> {
        use base64::Engine as _;
        let csv = "patient,field,value\nsynthetic,Patient SSN,123-45-6789\n";
        let b64 = base64::engine::general_purpose::STANDARD.encode(csv);
        CSV_MESSAGE.replace("TODO_B64", &b64).into_bytes()
    }

    #[test]
    fn csv_attachment_ssn_is_found_and_masked() {
        let scanner = dlp::Scanner::new();
        let raw = csv_message();
        let mut out = Vec::new();
        report_message(&scanner, &raw, false, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(s.starts_with("PHI: yes"), "{s}");
        assert!(s.contains("[attachment 2 (labs.csv)]"), "{s}");
        assert!(s.contains("SSN"), "{s}");
        assert!(s.contains("1**-**-***9"), "{s}");
        assert!(!s.contains("123-45-6789"), "{s}");
        assert!(
            s.contains(
                "UNSCANNABLE  attachment 3 (report.pdf): application/pdf could not be decoded"
            ),
            "{s}"
        );

        let mut out = Vec::new();
        report_message(&scanner, &raw, true, &mut out).expect("report");
        let s = String::from_utf8(out).expect("utf8");
        assert!(!s.contains("123-45-6789"), "{s}");
        let v: Value = serde_json::from_str(&s).expect("json");
        assert_eq!(v["phi"], true);
        let ssn = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["label"] == "SSN")
            .expect("ssn finding");
        assert_eq!(ssn["part"], "attachment 2 (labs.csv)");
        assert_eq!(ssn["masked"], "1**-**-***9");
        assert!(v["parts"].as_array().expect("parts").len() >= 3);
        assert_eq!(v["unscannable"][0]["content_type"], "application/pdf");
        assert_eq!(v["unscannable"][0]["reason"], "undecodable");
    }
}
