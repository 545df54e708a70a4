//! Audit events reach a SIEM: `carepost serve` with `audit.syslog_address` streams every
//! event as RFC 5424 over TLS (RFC 5425 framing) to a private rsyslogd from Debian, which
//! verifies nothing of ours but whose certificate carepost verifies. The events of a
//! delivered message arrive with their kind as MSGID and their canonical JSON as MSG, and
//! no message content does.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks, rsyslog with rsyslog-gnutls).

mod support;

use std::fs;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls};
use support::{
    Carepost, Config, PortListener, TestDir, free_port, poll_for, unique_token,
    wait_for_own_listener,
};

struct Rsyslogd(Child);

impl Drop for Rsyslogd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn audit_events_stream_to_rsyslog_over_verified_tls() {
    require_interop!();
    let peer = PostfixPeer::start(PeerTls::Offered);
    // rsyslog serves the peer's test certificate (issued for localhost by the test CA).
    let peer_dir = peer
        .ca_file()
        .parent()
        .and_then(|p| p.parent())
        .expect("peer dir")
        .to_path_buf();
    let dir = TestDir::new("rsyslog");
    let d = dir.path().display().to_string();
    fs::create_dir_all(dir.join("work")).expect("work dir");
    // A port `free_port` released may be taken by another test binary before rsyslogd binds
    // it; rsyslogd then runs on without a listener while the other process answers. A few
    // fresh ports, each checked to be rsyslogd's own listener.
    let (port, _rsyslogd) = (0..5)
        .find_map(|_| {
            let port = free_port();
            let conf = format!(
                r#"global(workDirectory="{d}/work" maxMessageSize="64k"
  DefaultNetstreamDriver="gtls"
  DefaultNetstreamDriverCAFile="{ca}"
  DefaultNetstreamDriverCertFile="{cert}"
  DefaultNetstreamDriverKeyFile="{key}")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.Authmode="anon")
input(type="imtcp" port="{port}" address="127.0.0.1" ruleset="siem")
template(name="fields" type="string" string="%msgid%|%structured-data%|%msg%\n")
ruleset(name="siem") {{
  action(type="omfile" file="{d}/siem.log" template="fields" flushOnTXEnd="on")
}}
"#,
                ca = peer.ca_file().display(),
                cert = peer_dir.join("conf/cert.pem").display(),
                key = peer_dir.join("conf/key.pem").display(),
            );
            fs::write(dir.join("rsyslog.conf"), conf).expect("write rsyslog.conf");
            let child = Command::new("/usr/sbin/rsyslogd")
                .arg("-n")
                .arg("-f")
                .arg(dir.join("rsyslog.conf"))
                .arg("-i")
                .arg(dir.join("rsyslogd.pid"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn rsyslogd");
            let pid = child.id();
            let rsyslogd = Rsyslogd(child);
            match wait_for_own_listener(pid, port, Duration::from_secs(30)) {
                PortListener::Own => Some((port, rsyslogd)),
                PortListener::Other => None,
                PortListener::Nobody => panic!("rsyslogd did not listen on {port}"),
            }
        })
        .expect("five ports in a row were taken by other processes");

    let mut cfg = Config::delivering_to("dest.test", &peer);
    cfg.extra_toml = format!(
        "[audit]\nsyslog_address = \"127.0.0.1:{port}\"\nsyslog_server_name = \"localhost\"\n\
         syslog_ca_file = \"{}\"\n",
        peer.ca_file().display()
    );
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let sender = "nurse@clinic.test";
    let password = cp.user_with_app_password(sender);
    let canary = unique_token("SIEM-CANARY");
    let out = Swaks::new(cp.submission_port, sender, "records@dest.test")
        .tls(SwaksTls::Starttls)
        .auth(sender, &password)
        .header(&format!("Subject: {canary}"))
        .body(&format!("{canary}\n"))
        .run();
    assert!(out.success(), "{}", out.transcript());
    let listing = cp.wait_for_status("delivered", 1, Duration::from_secs(90));
    let message = support::find_field(&listing, "message")
        .and_then(|v| v.as_str())
        .expect("message id")
        .to_string();

    let log = poll_for(Duration::from_secs(60), Duration::from_millis(500), || {
        let text = fs::read_to_string(dir.join("siem.log")).unwrap_or_default();
        (text.contains("delivery.delivered|") && text.contains(&message)).then_some(text)
    })
    .unwrap_or_else(|| {
        panic!(
            "the delivery event never reached rsyslog:\n{}\n{}",
            fs::read_to_string(dir.join("siem.log")).unwrap_or_default(),
            cp.describe()
        )
    });
    for kind in [
        "message.submitted",
        "message.scanned",
        "policy.decided",
        "delivery.delivered",
        "auth.login",
    ] {
        assert!(
            log.contains(&format!("{kind}|[carepost@32473 seq=")),
            "{kind} missing:\n{log}"
        );
    }
    let delivered = log
        .lines()
        .find(|l| l.starts_with("delivery.delivered|") && l.contains(&message))
        .expect("delivered line");
    // MSGID | STRUCTURED-DATA | MSG, as the rsyslog template writes them.
    let json = delivered.splitn(3, '|').nth(2).expect("MSG part").trim();
    let event: serde_json::Value = serde_json::from_str(json).expect("MSG is the event's JSON");
    assert_eq!(event["kind"], "delivery.delivered");
    assert_eq!(event["details"]["tls_verified"], true);
    assert!(!log.contains(&canary), "message content reached the SIEM");
    assert!(
        !log.contains("records@dest.test"),
        "a recipient address reached the SIEM"
    );
}
