//! A copy the next hop refuses permanently bounces, and the sender gets an RFC 3464 DSN
//! that carries the original headers but never the body; the copy the next hop accepts
//! arrives DKIM-signed with the organisation's key for the From: domain.
//!
//! Needs CAREPOST_INTEROP=1 (root, postfix, swaks, openssl).

mod support;

use std::time::Duration;

use support::postfix::{PeerTls, PostfixPeer};
use support::smtp::{Swaks, SwaksTls};
use support::{Carepost, Config, poll_for, unique_token};

const SENDER: &str = "nurse@clinic.test";

#[test]
fn refused_copy_bounces_with_a_headers_only_dsn_and_accepted_copy_is_dkim_signed() {
    require_interop!();
    // The peer refuses one recipient at RCPT time, and accepts everything else (including
    // the DSN back to the sender, routed to the same peer).
    let peer = PostfixPeer::start_with(
        PeerTls::Offered,
        "smtpd_recipient_restrictions = check_recipient_access \
         inline:{ {gone@dest.test = REJECT 5.1.1 no such user here} }, permit_mynetworks, reject",
    );
    let mut cfg = Config::delivering_to("dest.test", &peer);
    cfg.routes.push(("clinic.test".into(), peer.addr()));
    let mut cp = Carepost::new(&cfg);
    cp.start();
    let password = cp.user_with_app_password(SENDER);

    let id = unique_token("bounce");
    let body_canary = unique_token("BODY-CANARY");
    let out = Swaks::new(cp.submission_port, SENDER, "ok@dest.test,gone@dest.test")
        .tls(SwaksTls::Starttls)
        .auth(SENDER, &password)
        .header(&format!("X-Carepost-Test-Id: {id}"))
        .header(&format!("Subject: bounce test {id}"))
        .body(&format!("{body_canary}\nEND-OF-TEST-MESSAGE {id}\n"))
        .run();
    assert!(out.success(), "submission refused\n{}", out.describe());

    // Two messages reach the sink: the accepted copy and the DSN.
    let messages = poll_for(Duration::from_secs(90), Duration::from_millis(300), || {
        let m = peer.messages();
        let dsn = m.iter().any(|m| m.contains("multipart/report"));
        let copy = m.iter().any(|m| m.contains(&body_canary));
        (dsn && copy).then_some(m)
    })
    .unwrap_or_else(|| {
        panic!(
            "expected the accepted copy and a DSN at the sink; got {} message(s)\n{}\n{}",
            peer.messages().len(),
            peer.maillog(),
            cp.describe()
        )
    });

    let copy = messages
        .iter()
        .find(|m| m.contains(&body_canary))
        .expect("copy");
    let text = copy.text();
    assert!(
        text.contains("DKIM-Signature:"),
        "delivered copy must be DKIM-signed:\n{text}"
    );
    assert!(
        text.contains("d=clinic.test"),
        "signed for the From: domain:\n{text}"
    );
    assert!(
        text.contains("s=carepost"),
        "with the configured selector:\n{text}"
    );

    let dsn = messages
        .iter()
        .find(|m| m.contains("multipart/report"))
        .expect("dsn");
    let dsn_text = dsn.text();
    for needle in [
        "report-type=delivery-status",
        "Final-Recipient: rfc822; gone@dest.test",
        "Action: failed",
        "Status: 5.1.1",
        "text/rfc822-headers",
        &format!("X-Carepost-Test-Id: {id}"),
    ] {
        assert!(
            dsn_text.contains(needle),
            "DSN lacks {needle:?}:\n{dsn_text}"
        );
    }
    assert!(
        !dsn.contains(&body_canary),
        "the DSN must not carry the body:\n{dsn_text}"
    );
    assert_eq!(
        dsn_text.matches("Final-Recipient:").count(),
        1,
        "the DSN reports only the failed copy:\n{dsn_text}"
    );

    // The queue shows one delivered and one bounced copy of the original message.
    let listing = cp.queue_json();
    let statuses: Vec<String> = support::records(&listing)
        .iter()
        .filter(|r| {
            r["address"]
                .as_str()
                .is_some_and(|a| a.ends_with("@dest.test"))
        })
        .map(|r| r["status"].as_str().unwrap_or_default().to_string())
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(sorted, ["bounced", "delivered"], "copies: {statuses:?}");
    cp.stop();
}
