"""What the audit trail says about a contributor's record, in words for them:
who (by staff role, never by name) looked at or changed it, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from crm.accounts.models import User
from crm.audit.models import AuditEvent
from crm.contributors.models import Contributor
from crm.web.templating import role_label

# Events shown on "Who has looked at my record": looking and changing. A
# refused attempt (permission_denied) is neither, and is left to the audit log.
SHOWN_ACTIONS = ("view", "update", "create", "removal_requested", "anonymise", "export")

SECTION_WORDS = {
    "details": "your details",
    "experience": "your lived experience",
    "adjustments": "your adjustments",
    "communication": "how to contact you",
    "availability": "when you can take part",
    "consents": "your consents",
    "easy read": "your Easy Read setting",
    "status": "your status",
    "skills": "your skills and interests",
    "affiliations": "the groups you belong to",
    "training": "your training",
    "support": "the support you get",
    "sign-in": "the link to your sign-in account",
}


def staff_events(contributor: Contributor, user: User) -> Select[Any]:
    """Looks and changes by anyone but the person themselves, newest first."""
    return (
        select(AuditEvent)
        .where(AuditEvent.entity_type == "contributor",
               AuditEvent.entity_id == contributor.id,
               AuditEvent.action.in_(SHOWN_ACTIONS),
               or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def all_events(contributor: Contributor) -> Select[Any]:
    """Everything recorded about the record, oldest first (for their own copy)."""
    return (
        select(AuditEvent)
        .where(AuditEvent.entity_type == "contributor", AuditEvent.entity_id == contributor.id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )


def who(event: AuditEvent, user: User) -> str:
    if event.actor_id is not None and event.actor_id == user.id:
        return "You"
    if event.actor_role:
        return role_label(event.actor_role)
    return "The system"


def what(event: AuditEvent) -> str:
    summary = event.summary or ""
    if event.action == "view":
        if summary.startswith("subject access download"):
            return "Downloaded a copy of the record"
        return "Looked at your record"
    if event.action == "update":
        section = summary.removeprefix("section: ").strip() if summary.startswith(
            "section: ") else ""
        words = SECTION_WORDS.get(section)
        return f"Changed {words}" if words else "Changed your record"
    return {
        "create": "Added you to the involvement bank",
        "removal_requested": "Asked for the record to be removed",
        "anonymise": "Removed names and contact details",
        "export": "Included your record in a download",
        "permission_denied": "Tried to open your record and was stopped",
    }.get(event.action, "Something else")


def summary_of(event: AuditEvent, user: User) -> dict[str, Any]:
    """One event for the person's own copy of their data: no staff names and
    no changed values, only which parts changed."""
    return {
        "when": event.occurred_at,
        "who": who(event, user),
        "what": what(event),
        "parts_changed": sorted((event.changes or {}).keys()),
    }
