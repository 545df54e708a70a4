//! Groups of console users within an organisation, and the organisations' stored
//! conditional-access policies.
//!
//! **Groups** name sets of people ("billing", "radiology") that policy rules
//! (`sender_groups`) and single sign-on refer to. A group and its members always belong to
//! one organisation: the store refuses to add a person of another organisation to a group
//! (`NotFound`, the same answer as for a group that does not exist, so the caller learns
//! nothing about other organisations), and every write names the organisation it acts in.
//!
//! **Access policies** are versioned documents (the `access` crate's TOML) kept like the
//! mail policies ([`crate::PolicyStore`]): every version is kept and never changed; the
//! highest is in force. Storage does not parse them; callers validate before storing.
//!
//! **PHI:** none. Group names are short tokens chosen by administrators (checked by
//! [`check_group_name`], which keeps them fit for audit details); members are user ids.

use async_trait::async_trait;
use model::{GroupId, TenantId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

use crate::{AuditEvents, PolicyRecord, Result, User};

/// At most this many groups per organisation (the store refuses more with
/// `Conflict { constraint: "groups.limit" }`, counted in the same transaction as the
/// insert so concurrent creations cannot overshoot).
pub const MAX_GROUPS_PER_TENANT: usize = 200;

/// At most this many bytes in a group name.
pub const MAX_GROUP_NAME_LEN: usize = 64;

/// A group of users in one organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Identifier.
    pub id: GroupId,
    /// Organisation.
    pub tenant: TenantId,
    /// Its name, unique within the organisation (see [`check_group_name`]).
    pub name: String,
    /// When it was created.
    pub created: Timestamp,
}

/// Why a group name is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GroupNameError {
    /// Empty.
    #[error("a group name cannot be empty")]
    Empty,
    /// Longer than [`MAX_GROUP_NAME_LEN`].
    #[error("a group name has at most 64 characters")]
    TooLong,
    /// A character outside `a-z 0-9 . _ -`, or not starting with a letter or digit.
    #[error(
        "a group name uses only lower-case letters, digits, '.', '_' and '-', and starts \
         with a letter or digit"
    )]
    Characters,
}

/// Check a group name: 1 to [`MAX_GROUP_NAME_LEN`] characters of `a-z 0-9 . _ -`, starting
/// with a letter or digit. No spaces and no upper case: names are compared exactly (with
/// policy rules and identity-provider group claims), and they are written into audit
/// details, which admit only tokens.
pub fn check_group_name(name: &str) -> std::result::Result<(), GroupNameError> {
    let Some(first) = name.bytes().next() else {
        return Err(GroupNameError::Empty);
    };
    if name.len() > MAX_GROUP_NAME_LEN {
        return Err(GroupNameError::TooLong);
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b);
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) || !name.bytes().all(allowed) {
        return Err(GroupNameError::Characters);
    }
    Ok(())
}

/// Groups and their members.
///
/// Lists are ordered by name (groups) or address (members). Writes take the audit events
/// that record them and commit them in the same transaction; a write that changes nothing
/// (adding a member twice, removing a non-member) records no event.
#[async_trait]
pub trait GroupStore: Send + Sync {
    /// Create a group. `Conflict { constraint: "groups.name" }` if the organisation has a
    /// group of that name, `Conflict { constraint: "groups.limit" }` if it has
    /// [`MAX_GROUPS_PER_TENANT`] already, `Conflict { constraint: "groups.name_format" }`
    /// for a name [`check_group_name`] refuses, `Conflict { constraint: "foreign_key" }`
    /// if the organisation does not exist.
    async fn create_group(&self, group: &Group, audit: AuditEvents<'_>) -> Result<()>;
    /// One group of `tenant` (`NotFound` if it does not exist or is another's).
    async fn group(&self, tenant: TenantId, id: GroupId) -> Result<Group>;
    /// One group of `tenant` by name.
    async fn group_by_name(&self, tenant: TenantId, name: &str) -> Result<Group>;
    /// Delete a group of `tenant` and its memberships. `NotFound` if it does not exist or
    /// is another organisation's.
    async fn delete_group(
        &self,
        tenant: TenantId,
        id: GroupId,
        audit: AuditEvents<'_>,
    ) -> Result<()>;
    /// An organisation's groups, by name.
    async fn groups(&self, tenant: TenantId) -> Result<Vec<Group>>;
    /// Add `user` to a group of `tenant`: `Ok(true)` if added, `Ok(false)` (no events) if
    /// already a member. `NotFound` unless both the group and the user belong to `tenant`.
    async fn add_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// Remove `user` from a group of `tenant`: `Ok(true)` if removed, `Ok(false)` (no
    /// events) if not a member. `NotFound` if the group is not `tenant`'s.
    async fn remove_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        user: UserId,
        audit: AuditEvents<'_>,
    ) -> Result<bool>;
    /// The members of a group of `tenant`, by address (`NotFound` if not `tenant`'s).
    async fn group_members(&self, tenant: TenantId, group: GroupId) -> Result<Vec<User>>;
    /// The groups a person belongs to, by name.
    async fn groups_of_user(&self, user: UserId) -> Result<Vec<Group>>;
}

/// The organisations' conditional-access policies (console sign-in rules), versioned like
/// [`crate::PolicyStore`]: version numbers per organisation from 1 without gaps, assigned
/// in the transaction; the highest is in force.
#[async_trait]
pub trait AccessPolicyStore: Send + Sync {
    /// Store a new version and return its number. `Conflict { constraint: "foreign_key" }`
    /// if the organisation does not exist.
    async fn put_access_policy(
        &self,
        tenant: TenantId,
        document: &str,
        author: &str,
        created: Timestamp,
        audit: AuditEvents<'_>,
    ) -> Result<u64>;
    /// The version in force, or `None` if the organisation stored none.
    async fn current_access_policy(&self, tenant: TenantId) -> Result<Option<PolicyRecord>>;
    /// Every version, oldest (version 1) first.
    async fn access_policy_history(&self, tenant: TenantId) -> Result<Vec<PolicyRecord>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_are_short_lower_case_tokens() {
        for good in ["billing", "a", "team-2", "ward_7.north", &"x".repeat(64)] {
            assert_eq!(check_group_name(good), Ok(()), "{good}");
        }
        assert_eq!(check_group_name(""), Err(GroupNameError::Empty));
        assert_eq!(
            check_group_name(&"x".repeat(65)),
            Err(GroupNameError::TooLong)
        );
        for bad in ["Billing", "two words", "-lead", ".x", "a@b", "ärzte", "x\n"] {
            assert_eq!(
                check_group_name(bad),
                Err(GroupNameError::Characters),
                "{bad:?}"
            );
        }
        // Every accepted name is an audit token.
        assert!(audit::is_token("ward_7.north"));
    }
}
