"""Who may see and change which contributor record: the one place for
object-level checks, used by views and templates alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.permissions import Permission


def can_view(user: User, contributor: Contributor) -> bool:
    """Coordinators see every record; a contributor sees only their own;
    nobody else sees individual records."""
    if user.can(Permission.CONTRIBUTORS_VIEW):
        return True
    return user.can(Permission.OWN_RECORD_VIEW) and contributor.user_id == user.id


def can_edit(user: User, contributor: Contributor) -> bool:
    if contributor.anonymised_at is not None:
        return False
    if user.can(Permission.CONTRIBUTORS_EDIT):
        return True
    return user.can(Permission.OWN_RECORD_EDIT) and contributor.user_id == user.id


def own_record(session: Session, user: User) -> Contributor | None:
    """The contributor record linked to this signed-in contributor, if any."""
    if not user.can(Permission.OWN_RECORD_VIEW):
        return None
    return session.execute(
        select(Contributor).where(Contributor.user_id == user.id,
                                  Contributor.anonymised_at.is_(None))
    ).scalar_one_or_none()
