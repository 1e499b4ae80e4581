"""Asking to be removed, and anonymising a record.

A contributor asks (one step, from their own pages); a coordinator
completes it by anonymising: names, contact details and every free-text
field are removed, the sign-in account is closed, and personal values are
scrubbed from the audit trail. What is kept is only what counts need
(kinds of experience, services, adjustments and training, status), so
aggregate reports stay true.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record, scrub_values
from crm.contributors.models import Contributor, Status
from crm.contributors.services import ContributorError, touch
from crm.db import utcnow


def request_removal(session: Session, actor: User, contributor: Contributor) -> None:
    """Record that the person asked to be removed. Idempotent."""
    if contributor.anonymised_at is not None:
        raise ContributorError("This record has already been removed")
    if contributor.removal_requested_at is None:
        contributor.removal_requested_at = utcnow()
        touch(contributor)
        record(session, Action.REMOVAL_REQUESTED, entity_type=EntityType.CONTRIBUTOR,
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
    user_id = contributor.user_id
    contributor.anonymised_at = utcnow()
    contributor.user_id = None
    session.flush()
    scrub_values(session, "contributor", contributor.id)
    # The other features remove what they hold about the person (crm.hooks).
    hooks.anonymise_everywhere(session, contributor.id, user_id, emails)
    record(session, Action.ANONYMISE, entity_type=EntityType.CONTRIBUTOR, entity_id=contributor.id,
           actor=actor, summary="record anonymised" + (" at the person's request"
                                                         if requested else ""))

