"""The outbox's part in the duties in crm.hooks.

Anonymising a person: emails to any address they were known by lose their
address, subject and text; messages to them (by contributor) that were
never sent are deleted (nothing is sent to an anonymised record) and the
sent ones are kept, without words or addresses, for counts.

Their data download lists the messages sent to them: what, how and when,
not the words (those were sent to them already) nor any sign-in link."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm import hooks
from crm.mail.models import MessageStatus, OutboxMessage

REMOVED = "(removed)"
M = MessageStatus
NEVER_SENT = (M.QUEUED.value, M.HELD.value, M.TO_PRINT.value, M.BY_HAND.value, M.FAILED.value)
SCRUBBED = {"to_address": REMOVED, "body": REMOVED, "subject": REMOVED, "to_name": None,
            "postal_address": None, "via_supporter": None, "attachment": None,
            "attachment_filename": None}


@hooks.person_anonymised.connect
def _scrub_outbox(session: Session, *, contributor_id: int | None = None,
                  emails: set[str], **_: Any) -> None:
    if emails:
        session.execute(update(OutboxMessage).where(OutboxMessage.to_address.in_(emails))
                        .values(to_address=REMOVED, body=REMOVED, subject=REMOVED))
    if contributor_id is not None:
        session.execute(delete(OutboxMessage).where(
            OutboxMessage.contributor_id == contributor_id,
            OutboxMessage.status.in_(NEVER_SENT)))
        session.execute(update(OutboxMessage).where(
            OutboxMessage.contributor_id == contributor_id).values(**SCRUBBED))


@hooks.personal_data_requested.connect
def _messages_for_download(session: Session, *, contributor_id: int,
                           **_: Any) -> dict[str, Any]:
    rows = session.execute(
        select(OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.information_format,
               OutboxMessage.via_supporter, OutboxMessage.subject, OutboxMessage.created_at,
               OutboxMessage.sent_at, OutboxMessage.status, OutboxMessage.delivery_status)
        .where(OutboxMessage.contributor_id == contributor_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)).all()
    return {"messages_to_you": [{
        "what": kind.replace("_", " "), "how": channel, "format": fmt,
        "through_your_supporter": supporter, "subject": subject, "queued_at": created,
        "sent_at": sent, "status": status, "delivery": delivery}
        for kind, channel, fmt, supporter, subject, created, sent, status, delivery in rows]}
