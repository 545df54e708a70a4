//! What each [`Role`] may do: a fixed permission matrix (least privilege, HIPAA "minimum
//! necessary").
//!
//! The matrix is data, pinned by tests, so a change to it shows in review. Scoping (a
//! sender seeing the status of their *own* messages, a tenant seeing only its own data) is
//! an ownership check made where the data is, not a role permission.
//!
//! | Role | Permissions |
//! |---|---|
//! | owner | everything, including keys, break-glass and the organisation itself |
//! | admin | mail, queue, users, credentials, conditional access, audit (read), aggregates, message details |
//! | compliance | mail, queue (read), audit (read, export), quarantine review, policy, aggregates, message details |
//! | sender | send mail |
//! | marketer | campaigns and aggregates only: never per-patient or per-message details |
//! | auditor | audit trail (read, export) and aggregates: read-only |

use std::fmt;

use model::Role;

/// One thing a user may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Submit mail (SMTP submission, portal compose).
    SendMail,
    /// See queue state: ids, statuses, counts, retry times.
    ReadQueue,
    /// Hold, release, retry, delete queued copies.
    ManageQueue,
    /// Read the audit trail.
    ReadAuditTrail,
    /// Export the audit trail (with its hash chain) for an outside reviewer.
    ExportAuditTrail,
    /// Review quarantined messages and release or reject them (sees content).
    ReviewQuarantine,
    /// Edit routing, encryption and DLP policy.
    EditPolicy,
    /// Create, disable and change the roles of users.
    ManageUsers,
    /// Reset passwords, revoke app passwords, passkeys and TOTP for other users.
    ManageCredentials,
    /// Edit conditional-access rules (networks, devices, MFA requirements).
    ManageConditionalAccess,
    /// Create and send campaigns to consenting lists.
    ManageCampaigns,
    /// See counts and rates without per-message or per-patient details.
    ViewAggregates,
    /// See per-message details: addresses, subjects, delivery records (PHI).
    ViewMessageDetails,
    /// Create, rotate and retire encryption keys.
    ManageKeys,
    /// Emergency access past normal controls (always audited, time-limited).
    BreakGlass,
    /// Change the organisation itself: domains, billing contact, ownership.
    ManageOrganisation,
}

impl Permission {
    /// Every permission, in declaration order.
    pub const ALL: &'static [Permission] = &[
        Permission::SendMail,
        Permission::ReadQueue,
        Permission::ManageQueue,
        Permission::ReadAuditTrail,
        Permission::ExportAuditTrail,
        Permission::ReviewQuarantine,
        Permission::EditPolicy,
        Permission::ManageUsers,
        Permission::ManageCredentials,
        Permission::ManageConditionalAccess,
        Permission::ManageCampaigns,
        Permission::ViewAggregates,
        Permission::ViewMessageDetails,
        Permission::ManageKeys,
        Permission::BreakGlass,
        Permission::ManageOrganisation,
    ];

    /// The stable text form (for audit records and the API).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SendMail => "send-mail",
            Self::ReadQueue => "read-queue",
            Self::ManageQueue => "manage-queue",
            Self::ReadAuditTrail => "read-audit-trail",
            Self::ExportAuditTrail => "export-audit-trail",
            Self::ReviewQuarantine => "review-quarantine",
            Self::EditPolicy => "edit-policy",
            Self::ManageUsers => "manage-users",
            Self::ManageCredentials => "manage-credentials",
            Self::ManageConditionalAccess => "manage-conditional-access",
            Self::ManageCampaigns => "manage-campaigns",
            Self::ViewAggregates => "view-aggregates",
            Self::ViewMessageDetails => "view-message-details",
            Self::ManageKeys => "manage-keys",
            Self::BreakGlass => "break-glass",
            Self::ManageOrganisation => "manage-organisation",
        }
    }

    /// True for permissions that only read (exporting produces a copy, changes nothing).
    pub fn is_read_only(self) -> bool {
        matches!(
            self,
            Self::ReadQueue
                | Self::ReadAuditTrail
                | Self::ExportAuditTrail
                | Self::ViewAggregates
                | Self::ViewMessageDetails
        )
    }

    /// True for permissions that expose per-message or per-patient data (PHI).
    pub fn exposes_phi(self) -> bool {
        matches!(
            self,
            Self::ReviewQuarantine | Self::ViewMessageDetails | Self::BreakGlass
        )
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The permissions a role grants.
pub fn permissions(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Owner => Permission::ALL,
        Role::Admin => &[
            SendMail,
            ReadQueue,
            ManageQueue,
            ReadAuditTrail,
            ManageUsers,
            ManageCredentials,
            ManageConditionalAccess,
            ViewAggregates,
            ViewMessageDetails,
        ],
        Role::Compliance => &[
            SendMail,
            ReadQueue,
            ReadAuditTrail,
            ExportAuditTrail,
            ReviewQuarantine,
            EditPolicy,
            ViewAggregates,
            ViewMessageDetails,
        ],
        Role::Sender => &[SendMail],
        Role::Marketer => &[ManageCampaigns, ViewAggregates],
        Role::Auditor => &[ReadAuditTrail, ExportAuditTrail, ViewAggregates],
    }
}

/// True if `role` grants `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    permissions(role).contains(&permission)
}

/// True if the role must sign in with a phishing-resistant authenticator (a passkey /
/// WebAuthn), not a password plus TOTP: the roles that can change who gets in or what
/// policy applies (NIST SP 800-63B-4 AAL3-style requirement for privileged users).
pub fn requires_phishing_resistant_mfa(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Compliance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn the_matrix_is_pinned() {
        // (role, permissions) exactly; a change here is a security review item.
        let expected: &[(Role, &[Permission])] = &[
            (Role::Owner, Permission::ALL),
            (
                Role::Admin,
                &[
                    SendMail,
                    ReadQueue,
                    ManageQueue,
                    ReadAuditTrail,
                    ManageUsers,
                    ManageCredentials,
                    ManageConditionalAccess,
                    ViewAggregates,
                    ViewMessageDetails,
                ],
            ),
            (
                Role::Compliance,
                &[
                    SendMail,
                    ReadQueue,
                    ReadAuditTrail,
                    ExportAuditTrail,
                    ReviewQuarantine,
                    EditPolicy,
                    ViewAggregates,
                    ViewMessageDetails,
                ],
            ),
            (Role::Sender, &[SendMail]),
            (Role::Marketer, &[ManageCampaigns, ViewAggregates]),
            (
                Role::Auditor,
                &[ReadAuditTrail, ExportAuditTrail, ViewAggregates],
            ),
        ];
        assert_eq!(expected.len(), Role::ALL.len(), "every role is pinned");
        for (role, perms) in expected {
            assert_eq!(permissions(*role), *perms, "{role}");
        }
    }

    #[test]
    fn owner_has_every_permission() {
        for p in Permission::ALL {
            assert!(allows(Role::Owner, *p), "{p}");
        }
    }

    #[test]
    fn marketer_sees_aggregates_but_never_phi() {
        assert!(allows(Role::Marketer, ViewAggregates));
        assert!(!allows(Role::Marketer, ViewMessageDetails));
        assert!(!allows(Role::Marketer, ReviewQuarantine));
        assert!(!allows(Role::Marketer, ReadQueue));
        assert!(!allows(Role::Marketer, ReadAuditTrail));
        assert!(permissions(Role::Marketer).iter().all(|p| !p.exposes_phi()));
    }

    #[test]
    fn auditor_reads_the_audit_trail_and_changes_nothing() {
        assert!(allows(Role::Auditor, ReadAuditTrail));
        assert!(!allows(Role::Auditor, ManageUsers));
        assert!(!allows(Role::Auditor, SendMail));
        assert!(permissions(Role::Auditor).iter().all(|p| p.is_read_only()));
    }

    #[test]
    fn only_the_owner_holds_keys_break_glass_and_the_organisation() {
        for role in Role::ALL {
            let owner = *role == Role::Owner;
            assert_eq!(allows(*role, ManageKeys), owner, "{role}");
            assert_eq!(allows(*role, BreakGlass), owner, "{role}");
            assert_eq!(allows(*role, ManageOrganisation), owner, "{role}");
        }
    }

    #[test]
    fn sender_only_sends() {
        assert!(allows(Role::Sender, SendMail));
        assert!(!allows(Role::Sender, ReadAuditTrail));
        assert!(!allows(Role::Sender, ViewAggregates));
    }

    #[test]
    fn privileged_roles_need_phishing_resistant_mfa() {
        assert!(requires_phishing_resistant_mfa(Role::Owner));
        assert!(requires_phishing_resistant_mfa(Role::Admin));
        assert!(requires_phishing_resistant_mfa(Role::Compliance));
        assert!(!requires_phishing_resistant_mfa(Role::Sender));
        assert!(!requires_phishing_resistant_mfa(Role::Marketer));
        assert!(!requires_phishing_resistant_mfa(Role::Auditor));
    }

    #[test]
    fn permission_names_are_unique_and_all_is_complete() {
        let mut names: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Permission::ALL.len());
        assert_eq!(Permission::ALL.len(), 16);
    }
}
