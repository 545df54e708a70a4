//! Row mapping (SQL row -> storage record) and error mapping (sqlx and rusqlite ->
//! `StorageError`).
//!
//! Error texts built here name columns, constraints and SQLite result codes only, never a
//! value: a value could be a patient's address.

use std::str::FromStr;

use sqlx::Row;
use sqlx::error::ErrorKind;
use sqlx::sqlite::SqliteRow;

use model::{EmailAddress, Priority, Timestamp};
use storage::{
    AppPassword, AttemptOutcome, AttemptRecord, KeyPurpose, MessageRecord, PolicyRecord,
    RecipientRecord, StorageError, Tenant, User, WrappedKey,
};

/// Columns of `recipients` in the order [`recipient`] and [`recipient_sql`] read them (a
/// macro so it can be spliced into `concat!` and stay one `&'static str`).
macro_rules! recipient_cols {
    () => {
        "id, message, tenant, address, status, route, priority, attempts, next_attempt, \
         last_error, lease_owner, lease_until, tls, updated"
    };
}
pub(crate) use recipient_cols;

/// Map a driver error to a `StorageError` without leaking values.
pub(crate) fn map_err(err: sqlx::Error) -> StorageError {
    match err {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match db.kind() {
                ErrorKind::UniqueViolation => StorageError::Conflict {
                    constraint: unique_constraint(db.message()),
                },
                ErrorKind::ForeignKeyViolation => StorageError::Conflict {
                    constraint: "foreign_key".to_string(),
                },
                _ => {
                    // Primary result code is the low byte of the extended code.
                    let primary = code.parse::<i32>().map(|c| c & 0xff).unwrap_or(-1);
                    match primary {
                        // BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN, PROTOCOL
                        5 | 6 | 7 | 10 | 13 | 14 | 15 => {
                            StorageError::Unavailable(format!("sqlite result code {code}"))
                        }
                        _ => StorageError::Other(format!("sqlite result code {code}")),
                    }
                }
            }
        }
        sqlx::Error::Io(e) => StorageError::Unavailable(format!("i/o: {:?}", e.kind())),
        sqlx::Error::PoolTimedOut => StorageError::Unavailable("pool timed out".to_string()),
        sqlx::Error::PoolClosed => StorageError::Unavailable("pool closed".to_string()),
        sqlx::Error::WorkerCrashed => {
            StorageError::Unavailable("sqlite worker crashed".to_string())
        }
        sqlx::Error::ColumnDecode { index, .. } => {
            StorageError::Other(format!("cannot decode column {index}"))
        }
        sqlx::Error::ColumnNotFound(name) => StorageError::Other(format!("no column {name}")),
        sqlx::Error::Migrate(e) => StorageError::Other(format!("migration failed: {e}")),
        _ => StorageError::Other("sqlite driver error".to_string()),
    }
}

/// Map an error of the writer's own connection (rusqlite, see `writer.rs`) exactly as
/// [`map_err`] maps sqlx's: the same SQLite result codes give the same `StorageError`.
pub(crate) fn map_sql(err: rusqlite::Error) -> StorageError {
    match err {
        rusqlite::Error::QueryReturnedNoRows => StorageError::NotFound,
        rusqlite::Error::SqliteFailure(e, message) => {
            let code = e.extended_code;
            match code {
                // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
                2067 | 1555 => StorageError::Conflict {
                    constraint: unique_constraint(message.as_deref().unwrap_or_default()),
                },
                // SQLITE_CONSTRAINT_FOREIGNKEY
                787 => StorageError::Conflict {
                    constraint: "foreign_key".to_string(),
                },
                // Primary result code is the low byte of the extended code.
                _ => match code & 0xff {
                    // BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN, PROTOCOL
                    5 | 6 | 7 | 10 | 13 | 14 | 15 => {
                        StorageError::Unavailable(format!("sqlite result code {code}"))
                    }
                    _ => StorageError::Other(format!("sqlite result code {code}")),
                },
            }
        }
        rusqlite::Error::FromSqlConversionFailure(index, ..)
        | rusqlite::Error::InvalidColumnType(index, ..)
        | rusqlite::Error::IntegralValueOutOfRange(index, _) => {
            StorageError::Other(format!("cannot decode column {index}"))
        }
        rusqlite::Error::ToSqlConversionFailure(_) => {
            StorageError::Other("cannot encode a value".to_string())
        }
        _ => StorageError::Other("sqlite driver error".to_string()),
    }
}

/// `UNIQUE constraint failed: users.address` -> `users.address`. SQLite's message lists
/// only table and column names, never the offending value.
fn unique_constraint(message: &str) -> String {
    message
        .strip_prefix("UNIQUE constraint failed: ")
        .map(str::to_string)
        .unwrap_or_else(|| "unique".to_string())
}

/// A column that holds text in a known format but did not parse.
pub(crate) fn corrupt(column: &str) -> StorageError {
    StorageError::Other(format!("corrupt value in column {column}"))
}

pub(crate) fn get<'r, T>(row: &'r SqliteRow, column: &str) -> storage::Result<T>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(column).map_err(map_err)
}

pub(crate) fn parse<T: FromStr>(row: &SqliteRow, column: &str) -> storage::Result<T> {
    let text: String = get(row, column)?;
    text.parse().map_err(|_| corrupt(column))
}

fn json<T: serde::de::DeserializeOwned>(row: &SqliteRow, column: &str) -> storage::Result<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|_| corrupt(column))
}

fn json_opt<T: serde::de::DeserializeOwned>(
    row: &SqliteRow,
    column: &str,
) -> storage::Result<Option<T>> {
    let text: Option<String> = get(row, column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|_| corrupt(column)))
        .transpose()
}

pub(crate) fn ts(row: &SqliteRow, column: &str) -> storage::Result<Timestamp> {
    get::<i64>(row, column).map(Timestamp::from_millis)
}

/// An optional time column.
pub(crate) fn ts_opt(row: &SqliteRow, column: &str) -> storage::Result<Option<Timestamp>> {
    Ok(get::<Option<i64>>(row, column)?.map(Timestamp::from_millis))
}

pub(crate) fn u32_col(row: &SqliteRow, column: &str) -> storage::Result<u32> {
    u32::try_from(get::<i64>(row, column)?).map_err(|_| corrupt(column))
}

pub(crate) fn tenant(row: &SqliteRow) -> storage::Result<Tenant> {
    Ok(Tenant {
        id: parse(row, "id")?,
        name: get(row, "name")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn user(row: &SqliteRow) -> storage::Result<User> {
    Ok(User {
        id: parse(row, "id")?,
        tenant: parse(row, "tenant")?,
        address: parse::<EmailAddress>(row, "address")?,
        role: parse(row, "role")?,
        password_hash: get(row, "password_hash")?,
        must_change_password: get(row, "must_change_password")?,
        disabled: get(row, "disabled")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn app_password(row: &SqliteRow) -> storage::Result<AppPassword> {
    Ok(AppPassword {
        id: parse(row, "id")?,
        user: parse(row, "user_id")?,
        tenant: parse(row, "tenant")?,
        label: get(row, "label")?,
        hash: get(row, "hash")?,
        created: ts(row, "created")?,
        revoked: get(row, "revoked")?,
    })
}

pub(crate) fn key(row: &SqliteRow) -> storage::Result<WrappedKey> {
    let purpose: String = get(row, "purpose")?;
    Ok(WrappedKey {
        id: get(row, "id")?,
        tenant: parse(row, "tenant")?,
        purpose: KeyPurpose::parse(&purpose).ok_or_else(|| corrupt("purpose"))?,
        wrapped: get(row, "wrapped")?,
        wrapping_key_id: get(row, "wrapping_key_id")?,
        active: get(row, "active")?,
        created: ts(row, "created")?,
    })
}

pub(crate) fn recipient(row: &SqliteRow) -> storage::Result<RecipientRecord> {
    Ok(RecipientRecord {
        id: parse(row, "id")?,
        message: parse(row, "message")?,
        tenant: parse(row, "tenant")?,
        address: parse(row, "address")?,
        status: parse(row, "status")?,
        route: parse(row, "route")?,
        priority: Priority::from_rank(get(row, "priority")?),
        attempts: u32_col(row, "attempts")?,
        next_attempt: ts(row, "next_attempt")?,
        last_error: get(row, "last_error")?,
        lease_owner: get(row, "lease_owner")?,
        lease_until: get::<Option<i64>>(row, "lease_until")?.map(Timestamp::from_millis),
        tls: json_opt(row, "tls")?,
        updated: ts(row, "updated")?,
    })
}

/// Columns of `messages` in the order [`message_sql`] reads them.
macro_rules! message_cols {
    () => {
        "id, tenant, principal, channel, client_ip, envelope_from, size, priority, received, \
         expires, body_sha256"
    };
}
pub(crate) use message_cols;

/// A `messages` row of a rusqlite connection, its columns in [`message_cols`] order.
pub(crate) fn message_sql(row: &rusqlite::Row<'_>) -> storage::Result<MessageRecord> {
    let principal: String = row.get(2).map_err(map_sql)?;
    let envelope_from: Option<String> = row.get(5).map_err(map_sql)?;
    Ok(MessageRecord {
        id: text_sql(row, 0, "id")?,
        tenant: text_sql(row, 1, "tenant")?,
        principal: serde_json::from_str(&principal).map_err(|_| corrupt("principal"))?,
        channel: text_sql(row, 3, "channel")?,
        client_ip: row.get(4).map_err(map_sql)?,
        envelope_from: envelope_from
            .map(|a| a.parse().map_err(|_| corrupt("envelope_from")))
            .transpose()?,
        size: u64::try_from(int_sql(row, 6, "size")?).map_err(|_| corrupt("size"))?,
        priority: Priority::from_rank(int_sql(row, 7, "priority")?),
        received: Timestamp::from_millis(int_sql(row, 8, "received")?),
        expires: Timestamp::from_millis(int_sql(row, 9, "expires")?),
        body_sha256: row.get(10).map_err(map_sql)?,
    })
}

/// Column `i` of a rusqlite row, parsed from its text.
fn text_sql<T: FromStr>(row: &rusqlite::Row<'_>, i: usize, column: &str) -> storage::Result<T> {
    let t: String = row.get(i).map_err(map_sql)?;
    t.parse().map_err(|_| corrupt(column))
}

/// Integer column `i` of a rusqlite row.
fn int_sql(row: &rusqlite::Row<'_>, i: usize, column: &str) -> storage::Result<i64> {
    row.get_ref(i)
        .map_err(map_sql)?
        .as_i64()
        .map_err(|_| corrupt(column))
}

/// [`recipient`] for a row of the writer's own connection (claims return the rows they
/// lease), reading the columns in [`recipient_cols`] order.
pub(crate) fn recipient_sql(row: &rusqlite::Row<'_>) -> storage::Result<RecipientRecord> {
    let int = |i: usize, column: &str| int_sql(row, i, column);
    let int_opt = |i: usize, column: &str| -> storage::Result<Option<i64>> {
        row.get_ref(i)
            .map_err(map_sql)?
            .as_i64_or_null()
            .map_err(|_| corrupt(column))
    };
    let text_opt = |i: usize| -> storage::Result<Option<String>> {
        row.get::<_, Option<String>>(i).map_err(map_sql)
    };
    Ok(RecipientRecord {
        id: text_sql(row, 0, "id")?,
        message: text_sql(row, 1, "message")?,
        tenant: text_sql(row, 2, "tenant")?,
        address: text_sql(row, 3, "address")?,
        status: text_sql(row, 4, "status")?,
        route: text_sql(row, 5, "route")?,
        priority: Priority::from_rank(int(6, "priority")?),
        attempts: u32::try_from(int(7, "attempts")?).map_err(|_| corrupt("attempts"))?,
        next_attempt: Timestamp::from_millis(int(8, "next_attempt")?),
        last_error: text_opt(9)?,
        lease_owner: text_opt(10)?,
        lease_until: int_opt(11, "lease_until")?.map(Timestamp::from_millis),
        tls: text_opt(12)?
            .map(|t| serde_json::from_str(&t).map_err(|_| corrupt("tls")))
            .transpose()?,
        updated: Timestamp::from_millis(int(13, "updated")?),
    })
}

pub(crate) fn attempt(row: &SqliteRow) -> storage::Result<AttemptRecord> {
    Ok(AttemptRecord {
        recipient: parse(row, "recipient")?,
        at: ts(row, "at")?,
        worker: get(row, "worker")?,
        outcome: json::<AttemptOutcome>(row, "outcome")?,
    })
}

pub(crate) fn policy(row: &SqliteRow) -> storage::Result<PolicyRecord> {
    Ok(PolicyRecord {
        tenant: parse(row, "tenant")?,
        version: u64::try_from(get::<i64>(row, "version")?).map_err(|_| corrupt("version"))?,
        document: get(row, "document")?,
        author: get(row, "author")?,
        created: ts(row, "created")?,
    })
}

/// Serialise a value stored as JSON text. Our records always serialise; a failure is a bug.
pub(crate) fn to_json<T: serde::Serialize>(value: &T, column: &str) -> storage::Result<String> {
    serde_json::to_string(value)
        .map_err(|_| StorageError::Other(format!("cannot encode column {column}")))
}

/// Convert an unsigned count or size to SQLite's INTEGER.
pub(crate) fn to_i64(value: u64, column: &str) -> storage::Result<i64> {
    i64::try_from(value).map_err(|_| StorageError::Other(format!("value too large for {column}")))
}

/// An `audit_heads` row.
pub(crate) fn tree_head(row: &SqliteRow) -> Result<storage::StoredTreeHead, StorageError> {
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
    fn unique_violation_names_table_and_column_only() {
        assert_eq!(
            unique_constraint("UNIQUE constraint failed: users.address"),
            "users.address"
        );
        assert_eq!(unique_constraint("something else"), "unique");
    }
}
