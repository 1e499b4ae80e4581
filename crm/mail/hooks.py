"""The outbox's part in the duties in crm.hooks: when a record is
anonymised, emails to the person lose their address, subject and text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from crm import hooks
from crm.mail.models import OutboxMessage

REMOVED = "(removed)"


@hooks.person_anonymised.connect
def _scrub_outbox(session: Session, *, emails: set[str], **_: Any) -> None:
    if emails:
        session.execute(update(OutboxMessage).where(OutboxMessage.to_address.in_(emails))
                        .values(to_address=REMOVED, body=REMOVED, subject=REMOVED))
