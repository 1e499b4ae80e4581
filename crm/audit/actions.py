"""What can be recorded in the audit trail, and how to say it in words.

Every event's ``action`` is an ``Action`` and its ``entity_type`` an
``EntityType``; the administrator's audit log reads each event as a
sentence ("Cal Demo (Involvement coordinator) looked at contributor record
86"). It never names a contributor: being in an involvement bank says
something about a person's health, and administrators do not need it.
"""

from __future__ import annotations

from enum import StrEnum


class EntityType(StrEnum):
    CONTRIBUTOR = "contributor"
    USER = "user"
    ORGANISATION = "organisation"
    WARD = "ward"
    PROJECT = "project"
    ROLE = "role"
    SESSION = "session"
    OFFER = "offer"
    BATCH = "batch"
    CLAIM = "claim"  # payments: a fee or expense claim
    PAYMENT_EXPORT = "payment_export"


# How the audit log names an entity that is not a person ("role 12").
ENTITY_WORDS: dict[EntityType, str] = {
    EntityType.ORGANISATION: "organisation",
    EntityType.WARD: "ward",
    EntityType.PROJECT: "project",
    EntityType.ROLE: "role",
    EntityType.SESSION: "session",
    EntityType.OFFER: "offer",
    EntityType.BATCH: "batch of proposed places",
    EntityType.CLAIM: "payment claim",
    EntityType.PAYMENT_EXPORT: "finance export",
}


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    EXPORT = "export"
    EXPORT_CONTACT_OVERRIDE = "export_contact_override"
    IMPORT = "import"
    IMPORT_REFUSED = "import_refused"
    REMOVAL_REQUESTED = "removal_requested"
    ANONYMISE = "anonymise"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    SIGN_OUT = "sign_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event name)
    PASSWORD_CHANGE_FAILED = "password_change_failed"  # noqa: S105 (an event name)
    PASSWORD_CHANGE_THROTTLED = "password_change_throttled"  # noqa: S105 (an event name)
    INVITATION_SENT = "invitation_sent"
    INVITATION_LINK_SHOWN = "invitation_link_shown"
    INVITATION_ACCEPTED = "invitation_accepted"
    PERMISSION_DENIED = "permission_denied"
    CANDIDATES_VIEWED = "candidates_viewed"
    OFFER_SENT = "offer_sent"
    OFFER_ANSWERED = "offer_answered"
    OFFER_WITHDRAWN = "offer_withdrawn"
    INTEREST_SHOWN = "interest_shown"
    BATCH_PROPOSED = "batch_proposed"
    BATCH_CONFIRMED = "batch_confirmed"
    ATTENDANCE_RECORDED = "attendance_recorded"
    EQUALITY_ANSWERS_CHANGED = "equality_answers_changed"
    # Payments: the ledger (claims, receipts, approval, export, paid).
    CLAIM_DRAFTED = "claim_drafted"
    CLAIM_AMOUNT_CHANGED = "claim_amount_changed"
    CLAIM_SUBMITTED = "claim_submitted"
    CLAIM_APPROVED = "claim_approved"
    CLAIM_WITHDRAWN = "claim_withdrawn"
    CLAIM_PAID = "claim_paid"
    CLAIMS_EXPORTED = "claims_exported"
    RECEIPT_ADDED = "receipt_added"
    RECEIPT_VIEWED = "receipt_viewed"


# The verb of each sentence, and the label in the audit log's filter.
ACTION_WORDS: dict[Action, tuple[str, str]] = {
    Action.VIEW: ("looked at", "Looked at a record"),
    Action.CREATE: ("added", "Added a record or account"),
    Action.UPDATE: ("changed", "Changed a record or account"),
    Action.EXPORT: ("exported", "Exported contributors"),
    Action.EXPORT_CONTACT_OVERRIDE: (
        'exported, giving a reason, contact details marked "do not contact" from',
        "Exported contact details of people who may not be contacted"),
    Action.IMPORT: ("imported contributors into", "Imported contributors"),
    Action.IMPORT_REFUSED: ("was refused an import of", "Import refused"),
    Action.REMOVAL_REQUESTED: ("asked for the removal of", "Asked to be removed"),
    Action.ANONYMISE: ("anonymised", "Anonymised a record"),
    Action.SIGN_IN: ("signed in to", "Signed in"),
    Action.SIGN_IN_FAILED: ("failed to sign in to", "Sign-in failed"),
    Action.SIGN_IN_THROTTLED: ("was stopped from signing in", "Sign-in stopped: too many tries"),
    Action.SIGN_OUT: ("signed out of", "Signed out"),
    Action.PASSWORD_CHANGED: ("changed the password of", "Password changed"),
    Action.PASSWORD_CHANGE_FAILED: ("gave a wrong current password for",
                                    "Password change: wrong current password"),
    Action.PASSWORD_CHANGE_THROTTLED: ("was stopped from changing the password of",
                                       "Password change stopped: too many tries"),
    Action.INVITATION_SENT: ("sent a sign-in link to", "Sign-in link sent"),
    Action.INVITATION_LINK_SHOWN: ("looked at the sign-in link for", "Sign-in link shown"),
    Action.INVITATION_ACCEPTED: ("chose a password for", "Password chosen from a link"),
    Action.PERMISSION_DENIED: ("was refused access to", "Refused access"),
    Action.CANDIDATES_VIEWED: ("looked at the ranked candidates for", "Looked at candidates"),
    Action.OFFER_SENT: ("offered a place in", "Offered a role"),
    Action.OFFER_ANSWERED: ("recorded a reply to", "Reply to an offer"),
    Action.OFFER_WITHDRAWN: ("withdrew", "Withdrew an offer"),
    Action.INTEREST_SHOWN: ("said they were interested in", "Interest in a role"),
    Action.BATCH_PROPOSED: ("asked the solver for", "Proposed places for several roles"),
    Action.BATCH_CONFIRMED: ("confirmed", "Confirmed proposed places"),
    Action.ATTENDANCE_RECORDED: ("recorded attendance at", "Recorded attendance"),
    # Never the answers themselves: only that they changed.
    Action.EQUALITY_ANSWERS_CHANGED: ("changed the equality monitoring answers of",
                                      "Equality monitoring answers changed"),
    Action.CLAIM_DRAFTED: ("drafted", "Drafted a fee or expense claim"),
    Action.CLAIM_AMOUNT_CHANGED: ("changed the amount of", "Changed a claim's amount"),
    Action.CLAIM_SUBMITTED: ("submitted for approval", "Submitted a claim"),
    Action.CLAIM_APPROVED: ("approved", "Approved a claim"),
    Action.CLAIM_WITHDRAWN: ("withdrew", "Withdrew a claim"),
    Action.CLAIM_PAID: ("marked as paid", "Marked a claim paid"),
    Action.CLAIMS_EXPORTED: ("made", "Exported claims for payment"),
    Action.RECEIPT_ADDED: ("added a receipt to", "Added a receipt"),
    Action.RECEIPT_VIEWED: ("looked at a receipt of", "Looked at a receipt"),
}


def action_label(action: str) -> str:
    """The filter label of ``action`` (unknown codes shown as they are)."""
    try:
        return ACTION_WORDS[Action(action)][1]
    except ValueError:
        return action


def verb(action: str) -> str:
    try:
        return ACTION_WORDS[Action(action)][0]
    except ValueError:
        return action.replace("_", " ")
