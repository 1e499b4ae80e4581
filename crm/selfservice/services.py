"""The rules for a person changing their own record.

Every change goes through the same rules as coordinators' pages
(crm.contributors.editing and ``save_section``); this module adds only what
is particular to a person acting for themselves: a consent they give here is
given online, today; how their invitation email reads. Like all services it
flushes and audits, and never commits.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts import emails
from crm.accounts.models import User
from crm.contributors import editing
from crm.contributors import services as records
from crm.contributors.models import ConsentKind, Contributor
from crm.permissions import Role

if TYPE_CHECKING:
    from crm.selfservice.questions import Question, Section

# How a consent given on the person's own pages is recorded.
OWN_CONSENT_METHOD = "online"


def save_answer(session: Session, actor: User, c: Contributor, section: Section,
                q: Question, form: Any) -> None:
    """Save one question's answer. Raises EditConflict or ContributorError."""
    records.save_section(session, actor, c, form.version.data, section.key, q.change(c, form))


def change_own_consent(session: Session, actor: User, c: Contributor,
                       expected_version: int | None, kind: ConsentKind, give: bool,
                       today: dt.date | None = None) -> None:
    """Give (online, today, with no review date) or withdraw one consent."""
    today = today or dt.date.today()
    apply = (editing.set_consent(kind.value, True, OWN_CONSENT_METHOD, today, None, today)
             if give else editing.withdraw_consent(kind.value, today))
    records.save_section(session, actor, c, expected_version, "consents", apply)


def set_easy_read(session: Session, actor: User, c: Contributor, enabled: bool) -> None:
    """No version check: this sets one preference the person has just chosen
    and cannot overwrite anything a coordinator saved."""
    records.save_section(session, actor, c, None, "easy read", editing.set_easy_read(enabled))


def record_own_download(session: Session, actor: User, c: Contributor, what: str) -> None:
    """Audit that the person downloaded their own data (it shows in "who has
    looked at my record" like any other look)."""
    records.record_view(session, actor, c, what)
    session.flush()


def invitation_reader(session: Session, user: User) -> emails.Reader | None:
    """For the invitation and sign-in link emails: the name a contributor
    likes to be called and their Easy Read choice. At the first invitation the
    account is not linked to the record yet, so the record is found by the
    email address the invitation goes to."""
    if user.role != Role.CONTRIBUTOR.value:
        return None
    c = session.scalars(select(Contributor).where(
        Contributor.user_id == user.id, Contributor.anonymised_at.is_(None))).first()
    if c is None:
        c = session.scalars(select(Contributor).where(
            func.lower(Contributor.email) == user.email.lower(),
            Contributor.user_id.is_(None), Contributor.anonymised_at.is_(None))).first()
    if c is None:
        return None
    return emails.Reader(c.preferred_name or c.full_name or user.display_name,
                           easy_read=c.prefers_easy_read)


if invitation_reader not in emails.READER_LOOKUPS:
    emails.READER_LOOKUPS.append(invitation_reader)
