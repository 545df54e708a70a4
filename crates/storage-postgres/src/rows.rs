//! Row mapping (SQL row -> storage record) and error mapping (sqlx -> `StorageError`).
//!
//! Error texts built here name constraints, columns and SQLSTATE codes only, never a value
//! (a value could be a patient's address) and never the connection URL (it may hold a
//! password).

use std::str::FromStr;

use sqlx::Row;
use sqlx::error::ErrorKind;
use sqlx::postgres::PgRow;
use sqlx::types::Uuid;

use model::{ApiKeyId, MessageId, Priority, RecipientId, TenantId, Timestamp, UserId};
use storage::{
    AppPassword, AttemptOutcome, AttemptRecord, KeyPurpose, MessageRecord, PolicyRecord,
    RecipientRecord, StorageError, Tenant, User, WrappedKey,
};

/// Map a driver error to a `StorageError` without leaking values.
pub(crate) fn map_err(err: sqlx::Error) -> StorageError {
    match err {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match db.kind() {
                // Our constraints are named `table.column` (see the migrations).
                ErrorKind::UniqueViolation => StorageError::Conflict {
                    constraint: db.constraint().unwrap_or("unique").to_string(),
                },
                ErrorKind::ForeignKeyViolation => StorageError::Conflict {
                    constraint: "foreign_key".to_string(),
                },
                _ if retryable(&code) => {
                    StorageError::Unavailable(format!("postgres error {code}"))
                }
                _ => StorageError::Other(format!("postgres error {code}")),
            }
        }
        sqlx::Error::Io(e) => StorageError::Unavailable(format!("i/o: {:?}", e.kind())),
        sqlx::Error::Tls(_) => StorageError::Unavailable("tls handshake failed".to_string()),
        sqlx::Error::Protocol(_) => StorageError::Unavailable("protocol error".to_string()),
        sqlx::Error::PoolTimedOut => StorageError::Unavailable("pool timed out".to_string()),
        sqlx::Error::PoolClosed => StorageError::Unavailable("pool closed".to_string()),
        sqlx::Error::WorkerCrashed => StorageError::Unavailable("worker crashed".to_string()),
        sqlx::Error::Configuration(_) => {
            StorageError::Other("invalid database configuration".to_string())
        }
        sqlx::Error::ColumnDecode { index, .. } => {
            StorageError::Other(format!("cannot decode column {index}"))
        }
        sqlx::Error::ColumnNotFound(name) => StorageError::Other(format!("no column {name}")),
        _ => StorageError::Other("postgres driver error".to_string()),
    }
}

/// SQLSTATEs worth retrying later: connection exceptions (08), insufficient resources
/// (53), operator intervention such as shutdown (57P01-57P03), serialization failure and
/// deadlock (40001, 40P01).
fn retryable(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "40001" | "40P01")
}

/// A column that holds text in a known format but did not parse.
pub(crate) fn corrupt(column: &str) -> StorageError {
    StorageError::Other(format!("corrupt value in column {column}"))
}

fn get<'r, T>(row: &'r PgRow, column: &str) -> storage::Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(map_err)
}

fn uuid(row: &PgRow, column: &str) -> storage::Result<Uuid> {
    get(row, column)
}

fn parse<T: FromStr>(row: &PgRow, column: &str) -> storage::Result<T> {
    let text: String = get(row, column)?;
    text.parse().map_err(|_| corrupt(column))
}

fn parse_opt<T: FromStr>(row: &PgRow, column: &str) -> storage::Result<Option<T>> {
    let text: Option<String> = get(row, column)?;
    text.map(|t| t.parse().map_err(|_| corrupt(column)))
        .transpose()
}

fn json<T: serde::de::DeserializeOwned>(row: &PgRow, column: &str) -> storage::Result<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|_| corrupt(column))
}

fn json_opt<T: serde::de::DeserializeOwned>(
    row: &PgRow,
    column: &str,
) -> storage::Result<Option<T>> {
    let text: Option<String> = get(row, column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|_| corrupt(column)))
        .transpose()
}

fn ts(row: &PgRow, column: &str) -> storage::Result<Timestamp> {
    get::<i64>(row, column).map(Timestamp::from_millis)
}

fn priority(row: &PgRow) -> storage::Result<Priority> {
    get::<i16>(row, "priority").map(|p| Priority::from_rank(i64::from(p)))
}

pub(crate) fn tenant(row: &PgRow) -> storage::Result<Tenant> {
    Ok(Tenant {
        id: TenantId(uuid(row, "id")?),
        name: get(row, "name")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn user(row: &PgRow) -> storage::Result<User> {
    Ok(User {
        id: UserId(uuid(row, "id")?),
        tenant: TenantId(uuid(row, "tenant")?),
        address: parse(row, "address")?,
        role: parse(row, "role")?,
        password_hash: get(row, "password_hash")?,
        must_change_password: get(row, "must_change_password")?,
        disabled: get(row, "disabled")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn app_password(row: &PgRow) -> storage::Result<AppPassword> {
    Ok(AppPassword {
        id: ApiKeyId(uuid(row, "id")?),
        user: UserId(uuid(row, "user_id")?),
        tenant: TenantId(uuid(row, "tenant")?),
        label: get(row, "label")?,
        hash: get(row, "hash")?,
        created: ts(row, "created")?,
        revoked: get(row, "revoked")?,
    })
}

pub(crate) fn key(row: &PgRow) -> storage::Result<WrappedKey> {
    let purpose: String = get(row, "purpose")?;
    Ok(WrappedKey {
        id: get(row, "id")?,
        tenant: TenantId(uuid(row, "tenant")?),
        purpose: KeyPurpose::parse(&purpose).ok_or_else(|| corrupt("purpose"))?,
        wrapped: get(row, "wrapped")?,
        wrapping_key_id: get(row, "wrapping_key_id")?,
        active: get(row, "active")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn message(row: &PgRow) -> storage::Result<MessageRecord> {
    Ok(MessageRecord {
        id: MessageId(uuid(row, "id")?),
        tenant: TenantId(uuid(row, "tenant")?),
        principal: json(row, "principal")?,
        channel: parse(row, "channel")?,
        client_ip: get(row, "client_ip")?,
        envelope_from: parse_opt(row, "envelope_from")?,
        size: u64::try_from(get::<i64>(row, "size")?).map_err(|_| corrupt("size"))?,
        priority: priority(row)?,
        received: ts(row, "received")?,
        expires: ts(row, "expires")?,
        body_sha256: get(row, "body_sha256")?,
    })
}

pub(crate) fn recipient(row: &PgRow) -> storage::Result<RecipientRecord> {
    Ok(RecipientRecord {
        id: RecipientId(uuid(row, "id")?),
        message: MessageId(uuid(row, "message")?),
        tenant: TenantId(uuid(row, "tenant")?),
        address: parse(row, "address")?,
        status: parse(row, "status")?,
        route: parse(row, "route")?,
        priority: priority(row)?,
        attempts: u32::try_from(get::<i32>(row, "attempts")?).map_err(|_| corrupt("attempts"))?,
        next_attempt: ts(row, "next_attempt")?,
        last_error: get(row, "last_error")?,
        lease_owner: get(row, "lease_owner")?,
        lease_until: get::<Option<i64>>(row, "lease_until")?.map(Timestamp::from_millis),
        tls: json_opt(row, "tls")?,
        updated: ts(row, "updated")?,
    })
}

pub(crate) fn attempt(row: &PgRow) -> storage::Result<AttemptRecord> {
    Ok(AttemptRecord {
        recipient: RecipientId(uuid(row, "recipient")?),
        at: ts(row, "at")?,
        worker: get(row, "worker")?,
        outcome: json::<AttemptOutcome>(row, "outcome")?,
    })
}

pub(crate) fn policy(row: &PgRow) -> storage::Result<PolicyRecord> {
    Ok(PolicyRecord {
        tenant: TenantId(uuid(row, "tenant")?),
        version: u64::try_from(get::<i64>(row, "version")?).map_err(|_| corrupt("version"))?,
        document: get(row, "document")?,
        author: get(row, "author")?,
        created: ts(row, "created")?,
    })
}

/// Serialise a value stored as JSON text. Our records always serialise.
pub(crate) fn to_json<T: serde::Serialize>(value: &T, column: &str) -> storage::Result<String> {
    serde_json::to_string(value)
        .map_err(|_| StorageError::Other(format!("cannot encode column {column}")))
}

/// Convert an unsigned size to BIGINT.
pub(crate) fn to_i64(value: u64, column: &str) -> storage::Result<i64> {
    i64::try_from(value).map_err(|_| StorageError::Other(format!("value too large for {column}")))
}

/// A priority's rank as SMALLINT.
pub(crate) fn rank(p: Priority) -> i16 {
    // Ranks are 0..=2 (see `model::Priority::rank`).
    i16::try_from(p.rank()).unwrap_or(i16::MAX)
}

/// An `audit_heads` row.
pub(crate) fn tree_head(row: &PgRow) -> Result<storage::StoredTreeHead, StorageError> {
    let head: &str = row.try_get("head").map_err(map_err)?;
    let cosignatures: &str = row.try_get("cosignatures").map_err(map_err)?;
    Ok(storage::StoredTreeHead {
        head: serde_json::from_str(head).map_err(|_| corrupt("head"))?,
        cosignatures: serde_json::from_str(cosignatures).map_err(|_| corrupt("cosignatures"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_and_contention_errors_are_retryable() {
        for code in ["08006", "53300", "57P01", "40001", "40P01"] {
            assert!(retryable(code), "{code}");
        }
        for code in ["23505", "42P01", "22P02"] {
            assert!(!retryable(code), "{code}");
        }
    }
}
