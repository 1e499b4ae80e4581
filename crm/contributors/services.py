"""Rules for contributor records. Services take the acting user, enforce
the rules, write the audit event and flush; they never commit.

Every change to a record goes through ``save_section``: it refuses the
change if someone else saved since the editor loaded the page (raising
``EditConflict``, so nothing is overwritten silently), applies it, bumps
the version and audits what changed, with special category values redacted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import diff, record
from crm.contributors.models import Contributor, Status
from crm.db import utcnow

# The only contributor fields whose values the audit log keeps: operational,
# not identifying, not special category. Every other field (names, contact
# details, lived experience, adjustments, free text, communication needs,
# and any field added later) is recorded as changed without its values.
AUDITED_VALUES = frozenset({"status", "key_contact_id", "attendance_mode",
                            "travel_max_miles", "notice_days"})


class ContributorError(Exception):
    """A rule was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(Exception):
    """Someone saved the record after this editor loaded it."""

    def __init__(self, contributor: Contributor, expected_version: int) -> None:
        super().__init__("edit conflict")
        self.contributor = contributor
        self.expected_version = expected_version


def snapshot(c: Contributor) -> dict[str, Any]:
    """Plain values of everything editable, for audit diffs and conflict pages."""
    comm = c.communication
    return {
        "full_name": c.full_name,
        "preferred_name": c.preferred_name,
        "pronouns": c.pronouns,
        "email": c.email,
        "phone": c.phone,
        "postal_address": c.postal_address,
        "postcode_area": c.postcode_area,
        "date_of_birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
        "prefers_living_experience": c.prefers_living_experience,
        "experiences": sorted(e.kind for e in c.experiences),
        "service_kinds": sorted(s.code for s in c.service_kinds),
        "what_i_bring": c.what_i_bring,
        "skills": sorted(s.code or f"other: {s.label}" for s in c.skills),
        "attendance_mode": c.attendance_mode,
        "travel_max_miles": c.travel_max_miles,
        "notice_days": c.notice_days,
        "availability": sorted(f"{a.day} {a.part}" for a in c.availability),
        "availability_note": c.availability_note,
        "status": c.status,
        "paused_until": c.paused_until.isoformat() if c.paused_until else None,
        "left_on": c.left_on.isoformat() if c.left_on else None,
        "key_contact_id": c.key_contact_id,
        "is_peer_support_worker": c.is_peer_support_worker,
        "peer_employer": c.peer_employer,
        "affiliations": sorted(f"{a.organisation}{' (user-led)' if a.is_user_led else ''}"
                               for a in c.affiliations),
        "consents": sorted(
            f"{x.kind}: {'given' if x.is_given else 'not given'} {x.recorded_on} ({x.method})"
            f"{', review ' + x.review_on.isoformat() if x.review_on else ''}"
            f"{', withdrawn ' + x.withdrawn_on.isoformat() if x.withdrawn_on else ''}"
            for x in c.consents),
        "adjustments": sorted(a.code for a in c.adjustments),
        "adjustment_notes": sorted(f"{a.code}: {a.note}" for a in c.adjustments if a.note),
        "adjustments_other": c.adjustments_other,
        "communication": None if comm is None else {
            "channel_order": list(comm.channel_order or []),
            "do_not_use": list(comm.do_not_use or []),
            "best_times": comm.best_times,
            "information_format": comm.information_format,
            "language": comm.language,
            "via_supporter": comm.via_supporter,
            "supporter_name": comm.supporter_name,
            "supporter_contact": comm.supporter_contact,
            "papers_days_before": comm.papers_days_before,
            "camera_optional": comm.camera_optional,
        },
        "training": sorted(f"{t.course_code} {t.completed_on}" for t in c.training),
        "support": sorted(s.kind for s in c.support),
        "support_notes": sorted(f"{s.kind}: {s.note}" for s in c.support if s.note),
        "prefers_easy_read": c.prefers_easy_read,
    }


def search_text_for(c: Contributor) -> str:
    parts = [c.full_name, c.preferred_name or "", c.email or ""]
    return " ".join(p.strip().lower() for p in parts if p and p.strip())[:600]


def touch(c: Contributor) -> None:
    """Mark the record changed, so its version goes up even when only child
    rows changed (the version is what conflict detection compares)."""
    c.updated_at = utcnow()
    c.search_text = search_text_for(c)


def save_section(
    session: Session,
    actor: User,
    contributor: Contributor,
    expected_version: int | None,
    section: str,
    apply: Callable[[Contributor], None],
) -> dict[str, Any]:
    """Apply one section's changes to ``contributor``.

    Raises EditConflict when ``expected_version`` is not the saved version
    (someone else saved in between), and ContributorError from ``apply`` or
    when the record has been anonymised. Returns the audited changes.
    """
    if contributor.anonymised_at is not None:
        raise ContributorError("This record has been anonymised and cannot be changed")
    if expected_version is not None and expected_version != contributor.version:
        raise EditConflict(contributor, expected_version)
    before = snapshot(contributor)
    apply(contributor)
    touch(contributor)
    session.flush()
    changes = diff(before, snapshot(contributor), keep=AUDITED_VALUES)
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=contributor.id,
           changes=changes, summary=f"section: {section}", actor=actor)
    return changes


@dataclass
class NewContributor:
    full_name: str
    preferred_name: str | None = None
    email: str | None = None
    phone: str | None = None
    postcode_area: str | None = None
    key_contact_id: int | None = None


def create(session: Session, actor: User, data: NewContributor) -> Contributor:
    """Add someone to the involvement bank, active, with the actor's consent
    records left for the coordinator to complete."""
    if not data.full_name.strip():
        raise ContributorError("Enter their full name", field="full_name")
    if email_in_use(session, data.email):
        raise ContributorError(DUPLICATE_EMAIL, field="email")
    contributor = Contributor(
        full_name=data.full_name.strip(),
        preferred_name=(data.preferred_name or "").strip() or None,
        email=(data.email or "").strip().lower() or None,
        phone=(data.phone or "").strip() or None,
        postcode_area=(data.postcode_area or "").strip().upper() or None,
        key_contact_id=data.key_contact_id,
        status=Status.ACTIVE.value,
    )
    contributor.search_text = search_text_for(contributor)
    session.add(contributor)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.CONTRIBUTOR, entity_id=contributor.id,
           actor=actor, changes=diff({}, {"full_name": contributor.full_name,
                                          "status": contributor.status}, keep=AUDITED_VALUES))
    return contributor


def email_in_use(session: Session, email: str | None, except_id: int | None = None) -> bool:
    """Whether another current record already has this email address."""
    if not email:
        return False
    stmt = select(Contributor.id).where(func.lower(Contributor.email) == email.lower(),
                                        Contributor.anonymised_at.is_(None))
    if except_id is not None:
        stmt = stmt.where(Contributor.id != except_id)
    return session.scalar(stmt.limit(1)) is not None


DUPLICATE_EMAIL = "Another contributor already has this email address. Check the list first"


def record_view(session: Session, actor: User, contributor: Contributor, what: str) -> None:
    """Audit that ``actor`` looked at this record (who saw what)."""
    record(session, Action.VIEW, entity_type=EntityType.CONTRIBUTOR,
           entity_id=contributor.id, actor=actor,
           summary=what[:200])


def expiry_for(completed_on: dt.date, validity_months: int | None) -> dt.date | None:
    """The day a course stops being current: ``validity_months`` after
    ``completed_on`` (clamped to the month's last day), or None if it never expires."""
    if validity_months is None:
        return None
    month_index = completed_on.month - 1 + validity_months
    year, month = completed_on.year + month_index // 12, month_index % 12 + 1
    for day in (completed_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
