"""Roles, permissions and the one map between them.

Every view declares the permission it needs with ``@requires(...)`` (or is
listed as ``@public``); tests walk the URL map and fail on any view that
does neither. Object-level checks (may this person see this record?) live
beside the objects they protect.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    FINANCE = "finance"
    REPORT_VIEWER = "report_viewer"
    CONTRIBUTOR = "contributor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.COORDINATOR: "Involvement coordinator",
    Role.FINANCE: "Finance",
    Role.REPORT_VIEWER: "Report viewer",
    Role.CONTRIBUTOR: "Contributor",
}


class Permission(StrEnum):
    """Named ``resource:action``."""

    HOME_VIEW = "home:view"
    ACCOUNT_MANAGE_OWN = "account:manage_own"
    USERS_VIEW = "users:view"
    USERS_MANAGE = "users:manage"
    INVITATIONS_SEND_STAFF = "invitations:send_staff"
    INVITATIONS_SEND_CONTRIBUTOR = "invitations:send_contributor"
    INVITATIONS_VIEW = "invitations:view"
    OUTBOX_VIEW = "outbox:view"
    AUDIT_VIEW = "audit:view"
    CONTRIBUTORS_VIEW = "contributors:view"
    CONTRIBUTORS_EDIT = "contributors:edit"
    CONTRIBUTORS_IMPORT = "contributors:import"
    CONTRIBUTORS_EXPORT = "contributors:export"
    CONTRIBUTORS_ANONYMISE = "contributors:anonymise"
    TRAINING_VIEW = "training:view"
    OWN_RECORD_VIEW = "own_record:view"
    OWN_RECORD_EDIT = "own_record:edit"
    # Projects, roles, sessions, wards and organisations.
    PROJECTS_VIEW = "projects:view"
    PROJECTS_MANAGE = "projects:manage"
    # Ranked candidates, "why not", batches: pages that show people.
    MATCHING_RUN = "matching:run"
    OFFERS_MANAGE = "offers:manage"
    # Messages to contributors: the print list of letters, calls to make,
    # messages not sent (their words and addresses, so coordinators only).
    MESSAGES_MANAGE = "messages:manage"
    ATTENDANCE_RECORD = "attendance:record"
    # Meetings: a session's access checklist, pre-meets and check-ins, further
    # thoughts and "you said, we did" (coordinators); a contributor's own
    # sessions, their .ics, calendar feed and thoughts (only their own).
    MEETINGS_MANAGE = "meetings:manage"
    OWN_SESSIONS_USE = "own_sessions:use"
    # A contributor's own offers and roles, and the open roles they could do.
    OWN_ROLES_VIEW = "own_roles:view"
    OWN_OFFERS_ANSWER = "own_offers:answer"
    # Equality monitoring: a person's own answers (only they see them), and a
    # coordinator typing in a paper form (write-only: never read back).
    OWN_EQUALITY_ANSWER = "own_equality:answer"
    EQUALITY_ENTER_PAPER = "equality:enter_paper"
    # Aggregate, protected reports (never a list of people).
    REPORTS_VIEW = "reports:view"
    # Uploading a comparison population (aggregate figures, no people).
    POPULATIONS_UPLOAD = "populations:upload"
    # Payments ledger: coordinators draft and submit claims for a session;
    # finance approves, exports and marks paid (names, routes and amounts,
    # never lived experience or adjustments); both may open a receipt; a
    # contributor sees only their own payments and statement.
    CLAIMS_MANAGE = "claims:manage"
    PAYMENTS_APPROVE = "payments:approve"
    RECEIPTS_VIEW = "receipts:view"
    OWN_PAYMENTS_VIEW = "own_payments:view"
    # Payment choices and benefits: coordinators see and change a person's payment
    # choices, the benefits they told us about (with consent) and their schedule;
    # a contributor their own. Never finance, never report viewers.
    PAYMENT_CHOICES_MANAGE = "payment_choices:manage"
    OWN_PAYMENT_CHOICES = "own_payment_choices:edit"


_EVERYONE = {Permission.HOME_VIEW, Permission.ACCOUNT_MANAGE_OWN}

# Administrators manage accounts, not contributors' records: they see no
# personal or special category data about contributors (least privilege).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        _EVERYONE
        | {
            Permission.USERS_VIEW,
            Permission.USERS_MANAGE,
            Permission.INVITATIONS_SEND_STAFF,
            # Not INVITATIONS_SEND_CONTRIBUTOR: administrators read the outbox,
            # so a sign-in link they sent to a contributor would let them into
            # that contributor's record. Coordinators send those links.
            Permission.INVITATIONS_VIEW,
            Permission.OUTBOX_VIEW,
            Permission.AUDIT_VIEW,
        }
    ),
    Role.COORDINATOR: frozenset(
        _EVERYONE
        | {
            Permission.INVITATIONS_SEND_CONTRIBUTOR,
            Permission.INVITATIONS_VIEW,
            Permission.CONTRIBUTORS_VIEW,
            Permission.CONTRIBUTORS_EDIT,
            Permission.CONTRIBUTORS_IMPORT,
            Permission.CONTRIBUTORS_EXPORT,
            Permission.CONTRIBUTORS_ANONYMISE,
            Permission.TRAINING_VIEW,
            Permission.PROJECTS_VIEW,
            Permission.PROJECTS_MANAGE,
            Permission.MATCHING_RUN,
            Permission.OFFERS_MANAGE,
            Permission.MESSAGES_MANAGE,
            Permission.ATTENDANCE_RECORD,
            Permission.MEETINGS_MANAGE,
            Permission.EQUALITY_ENTER_PAPER,
            Permission.REPORTS_VIEW,
            Permission.POPULATIONS_UPLOAD,
            Permission.CLAIMS_MANAGE,
            Permission.RECEIPTS_VIEW,
            Permission.PAYMENT_CHOICES_MANAGE,
        }
    ),
    Role.FINANCE: frozenset(_EVERYONE | {Permission.PAYMENTS_APPROVE,
                                         Permission.RECEIPTS_VIEW}),
    Role.REPORT_VIEWER: frozenset(_EVERYONE | {Permission.REPORTS_VIEW,
                                               Permission.POPULATIONS_UPLOAD}),
    # Contributors see and change only their own record (checked per object
    # in crm.contributors.access).
    Role.CONTRIBUTOR: frozenset(
        _EVERYONE | {Permission.OWN_RECORD_VIEW, Permission.OWN_RECORD_EDIT,
                     Permission.OWN_ROLES_VIEW, Permission.OWN_OFFERS_ANSWER,
                     Permission.OWN_SESSIONS_USE,
                     Permission.OWN_EQUALITY_ANSWER, Permission.OWN_PAYMENTS_VIEW,
                     Permission.OWN_PAYMENT_CHOICES}
    ),
}


def role_has(role: Role | str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[Role(role)]
