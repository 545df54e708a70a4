//! The accounting of disclosures (HIPAA 164.528) from the audit log.
//!
//! For a patient identifier, every message whose `message.submitted` event carries that
//! patient's keyed reference is a disclosure to each of its recipients. One CSV row per
//! recipient copy: when it was disclosed (delivered, or made available on the portal), to
//! whom, for what purpose, and how. The identifier itself is never stored: it is hashed
//! with the data directory's patient-ref key and matched against the references.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use audit::{AuditEvent, EventKind, KeyedHashKey};
use model::{MessageId, Timestamp};
use storage::{AuditFilter, SharedStore};

/// The CSV header.
pub const HEADER: &str = "date,recipient,purpose,description,message_id,recipient_id,status";

/// Build the report for `patient` between `from` (inclusive) and `until` (exclusive).
pub async fn report(
    store: &SharedStore,
    key: &KeyedHashKey,
    patient: &str,
    from: Timestamp,
    until: Timestamp,
) -> anyhow::Result<String> {
    let reference = queue::disclosure::patient_ref(key, patient);
    let submitted: Vec<AuditEvent> = store
        .find_audit_all(&AuditFilter {
            kinds: vec![EventKind::MessageSubmitted],
            patient_ref: Some(reference),
            ..AuditFilter::default()
        })
        .await?;
    let mut out = String::from(HEADER);
    out.push('\n');
    for sub in submitted {
        let Some(message) = sub.subject.message else {
            continue;
        };
        let purpose = sub
            .details
            .get("purpose")
            .and_then(|v| v.as_str())
            .unwrap_or("not stated")
            .to_string();
        for row in rows_for(store, message, &purpose, from, until).await? {
            out.push_str(&row);
            out.push('\n');
        }
    }
    Ok(out)
}

async fn rows_for(
    store: &SharedStore,
    message: MessageId,
    purpose: &str,
    from: Timestamp,
    until: Timestamp,
) -> anyhow::Result<Vec<String>> {
    let events = store
        .find_audit(&AuditFilter {
            message: Some(message),
            kinds: vec![
                EventKind::DeliveryDelivered,
                EventKind::DeliveryAwaitingPortal,
                EventKind::PortalOpened,
            ],
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await?;
    // The first disclosure event per copy in the range (a copy delivered once is one
    // disclosure, however many events follow).
    let mut first: BTreeMap<model::RecipientId, &AuditEvent> = BTreeMap::new();
    for e in &events {
        if e.at < from || e.at >= until {
            continue;
        }
        if let Some(r) = e.subject.recipient {
            first.entry(r).or_insert(e);
        }
    }
    let mut rows = Vec::new();
    for (recipient_id, e) in first {
        let address = match store.recipient(recipient_id).await {
            Ok(r) => r.address.to_string(),
            Err(_) => "(no longer in the queue)".to_string(),
        };
        let d = &e.details;
        let (description, status) = match e.kind {
            EventKind::DeliveryDelivered => (
                format!(
                    "Secure e-mail delivered to {} over {} ({}certificate verified)",
                    d.get("next_hop").and_then(|v| v.as_str()).unwrap_or("?"),
                    d.get("tls_version")
                        .and_then(|v| v.as_str())
                        .unwrap_or("TLS"),
                    if d.get("tls_verified").and_then(|v| v.as_bool()) == Some(true) {
                        ""
                    } else {
                        "not "
                    }
                ),
                "delivered",
            ),
            EventKind::DeliveryAwaitingPortal => (
                "Secure message made available on the carepost portal".to_string(),
                "portal",
            ),
            _ => (
                "Secure message opened on the carepost portal".to_string(),
                "opened",
            ),
        };
        let mut row = String::new();
        for (i, field) in [
            e.at.to_rfc3339(),
            address,
            purpose.to_string(),
            description,
            message.to_string(),
            recipient_id.to_string(),
            status.to_string(),
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                row.push(',');
            }
            let _ = write!(row, "{}", csv_field(field));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet
/// does not run it as a formula (CSV injection).
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
