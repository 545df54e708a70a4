//! Durability: 1000 messages are submitted over several connections; carepost is killed
//! with SIGKILL while it is delivering; after a restart every accepted message arrives.
//! Loss must be 0; duplicates must not exceed what was in flight at the kill (delivery
//! connections to the peer plus submission connections, counted from /proc/net/tcp just
//! before the kill). Messages are counted at the sink by their unique
//! `X-Carepost-Test-Id` header, and only when complete (end marker present).
//!
//! Needs CAREPOST_INTEROP=1.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{PyLoad, read_ids};
use support::{Carepost, Config, established_connections_to, kill_child, poll_for};

const TOTAL: usize = 1000;
const CONNECTIONS: usize = 8;
/// Kill once this many messages reached the sink (delivery is then under way) ...
const KILL_AFTER_DELIVERED: usize = 25;
/// ... and this many were accepted (so a backlog sits in the queue), or the client is done.
const KILL_AFTER_ACCEPTED: usize = TOTAL / 2;
const SENDER: &str = "lab@clinic.test";
/// Seconds to wait after the restart for every message to arrive (override with
/// CAREPOST_CRASH_WAIT_SECS, e.g. to outlast a delivery lease).
const DEFAULT_WAIT_SECS: u64 = 180;
const RCPT: &str = "archive@dest.test";

/// id -> number of complete copies at the sink.
fn sink_counts(peer: &PostfixPeer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for m in peer.messages() {
        if m.is_complete() {
            for id in m.test_ids() {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
    }
    counts
}

#[test]
fn kill_9_while_delivering_loses_nothing_and_duplicates_at_most_what_was_in_flight() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    let mut cp = Carepost::new(&Config::delivering_to("dest.test", &peer));
    cp.start();
    let password = cp.user_with_app_password(SENDER);
    let tag = support::unique_token("crash-");
    let accepted_file = cp.dir().join("accepted-1.txt");

    // Phase 1: submit 1000 messages over 8 connections; kill -9 once deliveries flow.
    let mut load = PyLoad::new(cp.submission_port, SENDER, RCPT, &tag);
    load.auth = Some((SENDER.to_owned(), password.clone()));
    load.count = TOTAL;
    load.connections = CONNECTIONS;
    load.accepted_file = Some(accepted_file.clone());
    load.deadline_secs = 240;
    let started = Instant::now();
    let mut client = load
        .command()
        .stdin(Stdio::null())
        .stdout(fs::File::create(cp.dir().join("load-1.out")).expect("create"))
        .stderr(fs::File::create(cp.dir().join("load-1.err")).expect("create"))
        .spawn()
        .expect("spawn scripts/smtp_load.py");

    let mut in_flight = None;
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let delivered: usize = sink_counts(&peer).len();
        let accepted = read_ids(&accepted_file).len();
        let client_done = matches!(client.try_wait(), Ok(Some(_)));
        if delivered >= KILL_AFTER_DELIVERED
            && (accepted >= KILL_AFTER_ACCEPTED || client_done)
            && delivered < TOTAL
        {
            let deliveries = established_connections_to(peer.port);
            let submissions = established_connections_to(cp.submission_port);
            cp.kill9();
            in_flight = Some((deliveries, submissions, delivered));
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let (deliveries, submissions, delivered_at_kill) = in_flight.unwrap_or_else(|| {
        kill_child(&mut client);
        panic!(
            "fewer than {KILL_AFTER_DELIVERED} messages delivered in 300 s\n{}\n{}",
            peer.describe(),
            cp.describe()
        )
    });
    let killed_after = started.elapsed();
    // The client now fails fast on the dead server; give it a bounded time to finish.
    let client_done = poll_for(Duration::from_secs(120), Duration::from_millis(100), || {
        client.try_wait().ok().flatten()
    });
    if client_done.is_none() {
        kill_child(&mut client);
    }
    let accepted_before = read_ids(&accepted_file);
    assert!(
        delivered_at_kill < TOTAL,
        "everything was delivered before the kill; the crash test proved nothing"
    );

    // Phase 2: restart; resubmit what was not accepted (as a real client would retry).
    cp.start();
    let all: Vec<String> = (0..TOTAL).map(|i| format!("{tag}-{i}")).collect();
    let accepted_set: BTreeSet<&String> = accepted_before.iter().collect();
    let rest: Vec<&String> = all.iter().filter(|id| !accepted_set.contains(id)).collect();
    if !rest.is_empty() {
        let ids_file = cp.dir().join("resubmit.txt");
        fs::write(
            &ids_file,
            rest.iter().map(|s| format!("{s}\n")).collect::<String>(),
        )
        .expect("write");
        let mut again = PyLoad::new(cp.submission_port, SENDER, RCPT, &tag);
        again.auth = Some((SENDER.to_owned(), password));
        again.ids_file = Some(ids_file);
        again.connections = CONNECTIONS;
        again.accepted_file = Some(cp.dir().join("accepted-2.txt"));
        again.deadline_secs = 240;
        let out = again.run();
        assert!(
            out.success(),
            "resubmission after restart failed\n{}\n{}",
            out.describe(),
            cp.describe()
        );
    }

    // Phase 3: wait (bounded) until every message arrived, then let stragglers settle.
    let wait_secs = std::env::var("CAREPOST_CRASH_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_WAIT_SECS);
    let restarted = Instant::now();
    let arrived = poll_for(
        Duration::from_secs(wait_secs),
        Duration::from_millis(250),
        || {
            let counts = sink_counts(&peer);
            all.iter().all(|id| counts.contains_key(id)).then_some(())
        },
    );
    if arrived.is_some() {
        // Whatever is still queued (e.g. a copy whose 250 was lost at the kill) goes out now.
        let _ = poll_for(Duration::from_secs(60), Duration::from_millis(500), || {
            let q = cp.queue_json();
            (support::count_status(&q, "delivered") >= TOTAL).then_some(())
        });
        std::thread::sleep(Duration::from_secs(2));
    }
    let counts = sink_counts(&peer);
    let lost: Vec<&String> = all.iter().filter(|id| !counts.contains_key(*id)).collect();
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    let in_flight_total = deliveries + submissions;
    let incomplete = peer.messages().iter().filter(|m| !m.is_complete()).count();
    let mut by_status = BTreeMap::new();
    for st in support::statuses(&cp.queue_json()) {
        *by_status.entry(st).or_insert(0usize) += 1;
    }
    println!(
        "crash test: {TOTAL} messages over {CONNECTIONS} connections; kill -9 after {:.1} s with \
         {delivered_at_kill} delivered; {} accepted before the kill, {} resubmitted; in flight at the \
         kill: {deliveries} delivery + {submissions} submission connections = {in_flight_total}; \
         LOSS = {}, DUPLICATES = {duplicates} (after waiting {:.0} s of at most {wait_secs} s); \
         truncated transfers at the sink: {incomplete}; carepost queue by status: {by_status:?}",
        killed_after.as_secs_f64(),
        accepted_before.len(),
        rest.len(),
        lost.len(),
        restarted.elapsed().as_secs_f64(),
    );
    assert!(
        lost.is_empty(),
        "{} accepted message(s) did not arrive within {wait_secs} s of the restart, e.g. {:?}; \
         carepost queue by status: {by_status:?} (copies still `delivering` were claimed by the \
         killed process and wait for their lease to run out)\n{}\n{}",
        lost.len(),
        lost.iter().take(5).collect::<Vec<_>>(),
        peer.describe()
            .lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .join("\n"),
        cp.describe()
    );
    assert!(
        duplicates <= in_flight_total,
        "{duplicates} duplicates, but only {in_flight_total} messages were in flight at the kill: {:?}",
        counts
            .iter()
            .filter(|(_, n)| **n > 1)
            .take(10)
            .collect::<Vec<_>>()
    );
}
