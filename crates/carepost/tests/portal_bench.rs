//! Portal page latency under load (issue: p99 under 20 ms at 200 concurrent connections),
//! measured with wrk from Debian against a real carepost with a real portal copy, and with
//! `/healthz` on the same server as the anchor in the same run. Not a pass/fail test: it
//! prints the figures for BENCHMARKS.md.
//!
//!     CAREPOST_INTEROP=1 cargo test --release -p carepost --test portal_bench -- --ignored --nocapture
//!
//! With `CAREPOST_BENCH_PIN=1` the server (all its threads) is pinned to CPU 0 and wrk,
//! with one thread, to CPU 1 (`taskset`), so that load generator and server do not take
//! turns on the same cores; the anchors run the same way in the same run.
//!
//! Needs root, postfix, curl, python3 and wrk (and util-linux's taskset for the pinned run).

mod support;

use std::process::Command;
use std::time::Duration;

use support::portal::{Browser, PortalFixture, mime_message};
use support::{run, which};

const TO: &str = "bench.patient@dest.test";
const SECONDS: &str = "15";
const CONNECTIONS: &str = "200";

/// Whether to pin the server and wrk to one CPU each (see the top of the file).
fn pinned() -> bool {
    std::env::var("CAREPOST_BENCH_PIN").is_ok_and(|v| v == "1")
}

/// wrk's latency percentiles (ms) and requests per second.
fn wrk(url: &str, cookie: Option<&str>) -> (f64, f64, f64, f64, String) {
    let mut cmd = if pinned() {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", "wrk", "-t1"]);
        c
    } else {
        let mut c = Command::new("wrk");
        c.arg("-t2");
        c
    };
    cmd.args(["-c", CONNECTIONS, "-d", &format!("{SECONDS}s"), "--latency"]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    cmd.arg(url);
    let out = run(&mut cmd, Duration::from_secs(120)).stdout_text();
    let ms = |label: &str| -> f64 {
        out.lines()
            .find(|l| l.trim_start().starts_with(label))
            .and_then(|l| l.split_whitespace().nth(1))
            .map(|v| {
                if let Some(x) = v.strip_suffix("us") {
                    x.parse::<f64>().unwrap_or(f64::NAN) / 1000.0
                } else if let Some(x) = v.strip_suffix("ms") {
                    x.parse().unwrap_or(f64::NAN)
                } else if let Some(x) = v.strip_suffix('s') {
                    x.parse::<f64>().unwrap_or(f64::NAN) * 1000.0
                } else {
                    f64::NAN
                }
            })
            .unwrap_or(f64::NAN)
    };
    let rps = out
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    (ms("50%"), ms("90%"), ms("99%"), rps, out)
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture (prints figures for BENCHMARKS.md)"]
fn portal_pages_under_200_concurrent_connections() {
    require_interop!();
    assert!(
        which("wrk").is_some(),
        "wrk is not installed (apt-get install wrk)"
    );
    let fx = PortalFixture::start("[portal]\nrequests_per_minute_per_ip = 100000000\n");
    fx.send(
        TO,
        &mime_message(
            TO,
            "Lab results",
            "Patient: Pat Example\nSSN: 219-09-9999\nResults attached. Synthetic text for the benchmark.\n",
            "<p>Dear Pat, your results are <b>normal</b>.</p><p>Synthetic text for the benchmark.</p>",
            ("results.pdf", b"%PDF-1.4 synthetic\n"),
        ),
    );
    let link = fx.portal_link(TO, 0);
    let base = link.split("/p/").next().expect("base").to_string();
    let browser = Browser::new(&fx);
    let landing = browser.get(&link);
    browser.post(&format!("{link}/code"), &[("csrf", &landing.csrf())]);
    let code = fx.code(TO, 0);
    let form = browser.get(&format!("{link}/code"));
    let verified = browser.post(
        &format!("{link}/verify"),
        &[("csrf", &form.csrf()), ("code", &code)],
    );
    let message = format!("{base}{}", verified.header("location").expect("location"));
    let jar = std::fs::read_to_string(browser.jar()).expect("jar");
    let session = jar
        .lines()
        .find(|l| l.contains("cp_session"))
        .and_then(|l| l.split('\t').nth(6))
        .expect("session cookie")
        .to_string();
    // The idle limit is 15 minutes: the session outlives the run.
    let cookie = format!("cp_session={session}");

    if pinned() {
        let pid = fx.cp.pid().expect("server pid").to_string();
        run(
            Command::new("taskset").args(["-a", "-p", "-c", "0", &pid]),
            Duration::from_secs(10),
        );
        println!(
            "portal benchmark: server pinned to CPU 0, taskset -c 1 wrk -t1 -c{CONNECTIONS} -d{SECONDS}s --latency"
        );
    } else {
        println!("portal benchmark: wrk -t2 -c{CONNECTIONS} -d{SECONDS}s --latency");
    }
    println!("| page | p50 ms | p90 ms | p99 ms | requests/s |");
    println!("|---|---|---|---|---|");
    for (name, url, cookie) in [
        ("/healthz (anchor)", format!("{base}/healthz"), None),
        ("landing page behind the link", link, None),
        (
            "message page (session, sanitised HTML, audited opening)",
            message,
            Some(cookie.as_str()),
        ),
        (
            "stylesheet",
            format!("{base}/portal/static/portal.css"),
            None,
        ),
    ] {
        let (p50, p90, p99, rps, raw) = wrk(&url, cookie);
        assert!(rps.is_finite(), "wrk failed:\n{raw}");
        println!("| {name} | {p50:.2} | {p90:.2} | {p99:.2} | {rps:.0} |");
    }
    // Every opening is audited: the run leaves one event per message-page request.
    let opened = fx
        .cp
        .cli_ok(&["audit", "search", "--kind", "portal.opened", "--limit", "1"])
        .stdout_text();
    assert!(opened.contains("portal.opened"));
}
