"""Asking to be removed, and anonymising a record.

A contributor asks (one step, from their own pages); a coordinator
completes it by anonymising: names, contact details and every free-text
field are removed, the sign-in account is closed, and personal values are
scrubbed from the audit trail. What is kept is only what counts need
(kinds of experience, services, adjustments and training, status), so
aggregate reports stay true.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm.accounts import throttle
from crm.accounts.models import SignInAttempt, User
from crm.audit.models import AuditEvent
from crm.audit.services import REDACTED, record
from crm.contributors.models import Contributor, Status
from crm.contributors.services import ContributorError, touch
from crm.db import utcnow
from crm.mail.models import OutboxMessage

REMOVED = "(removed)"


def request_removal(session: Session, actor: User, contributor: Contributor) -> None:
    """Record that the person asked to be removed. Idempotent."""
    if contributor.anonymised_at is not None:
        raise ContributorError("This record has already been removed")
    if contributor.removal_requested_at is None:
        contributor.removal_requested_at = utcnow()
        touch(contributor)
        record(session, "removal_requested", entity_type="contributor",
               entity_id=contributor.id, actor=actor)


def anonymise(session: Session, actor: User, contributor: Contributor) -> None:
    """Remove everything that identifies the person; keep counts."""
    if contributor.anonymised_at is not None:
        raise ContributorError("This record has already been anonymised")
    emails = {e for e in (contributor.email, contributor.user.email if contributor.user else None)
              if e}
    requested = contributor.removal_requested_at is not None
    contributor.full_name = f"Removed contributor {contributor.id}"
    for attr in ("preferred_name", "pronouns", "email", "phone", "postal_address",
                 "postcode_area", "date_of_birth", "what_i_bring", "availability_note",
                 "peer_employer", "adjustments_other"):
        setattr(contributor, attr, None)
    contributor.search_text = ""
    contributor.status = Status.LEFT.value
    contributor.paused_until = None
    contributor.affiliations.clear()
    for skill in [s for s in contributor.skills if s.code is None]:  # their own words
        contributor.skills.remove(skill)
    for adjustment in contributor.adjustments:
        adjustment.note = None
    for item in contributor.support:
        item.note = None
    for completion in contributor.training:
        completion.note = None
        completion.provider = None
    if contributor.communication is not None:
        session.delete(contributor.communication)
    user = contributor.user
    contributor.anonymised_at = utcnow()
    if user is not None:
        # The sign-in account goes altogether (its sessions and invitations
        # with it), so it can never be switched back on.
        contributor.user_id = None
        _scrub_audit(session, "user", user.id)
        session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id)
                        .values(ip_address=None))
        session.flush()
        # Core delete: the database cascades to sessions and invitations.
        session.execute(delete(User).where(User.id == user.id))
        session.expunge(user)
    session.flush()
    _scrub_audit(session, "contributor", contributor.id)
    if emails:
        session.execute(update(OutboxMessage).where(OutboxMessage.to_address.in_(emails))
                        .values(to_address=REMOVED, body=REMOVED, subject=REMOVED))
        session.execute(delete(SignInAttempt).where(
            SignInAttempt.account_key.in_([throttle.account_key(e) for e in emails])))
    record(session, "anonymise", entity_type="contributor", entity_id=contributor.id,
           actor=actor, summary="record anonymised" + (" at the person's request"
                                                         if requested else ""))


def _scrub_audit(session: Session, entity_type: str, entity_id: int) -> None:
    """Keep who did what and when, but not the values that were changed."""
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id,
        AuditEvent.changes.is_not(None)))
    for event in events:
        event.changes = {key: {"old": REDACTED, "new": REDACTED} for key in event.changes or {}}
