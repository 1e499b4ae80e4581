"""What the sign-in account holds about a person, for the duties in
crm.hooks: removed when their record is anonymised, and included in their
data download."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts import throttle
from crm.accounts.models import SignInAttempt, User
from crm.audit.models import AuditEvent
from crm.audit.services import scrub_values
from crm.web.templating import role_label


@hooks.person_anonymised.connect
def _remove_account(session: Session, *, contributor_id: int, user_id: int | None,
                    emails: set[str], **_: Any) -> None:
    """The sign-in account goes altogether (its sessions and invitations with
    it), so it can never be switched back on; so do sign-in attempts."""
    if user_id is not None:
        scrub_values(session, "user", user_id)
        session.execute(update(AuditEvent).where(AuditEvent.actor_id == user_id)
                        .values(ip_address=None))
        session.flush()
        user = session.get(User, user_id)
        # Core delete: the database cascades to sessions and invitations.
        session.execute(delete(User).where(User.id == user_id))
        if user is not None:
            session.expunge(user)
    if emails:
        session.execute(delete(SignInAttempt).where(
            SignInAttempt.account_key.in_([throttle.account_key(e) for e in emails])))


@hooks.personal_data_requested.connect
def _account_data(session: Session, *, contributor_id: int, user_id: int,
                  **_: Any) -> dict[str, Any]:
    user = session.scalar(select(User).where(User.id == user_id))
    if user is None:
        return {}
    return {"account": {
        "email": user.email,
        "name": user.display_name,
        "role": role_label(user.role),
        "created_at": user.created_at,
        "last_sign_in_at": user.last_sign_in_at,
    }}
