"""What staff do with messages the app cannot send by itself: print the
letters (and mark them printed), make the calls (and mark them made), and
look at messages that failed after their last retry or wait in the outbox
because nothing is set up to send them (and try again, or mark them done
another way). Services: they flush and audit, never commit."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import utcnow
from crm.mail.models import MessageStatus, OutboxMessage

M = MessageStatus
FOR_STAFF = (M.TO_PRINT.value, M.BY_HAND.value, M.FAILED.value, M.HELD.value)


class MessageError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def listing(status: str) -> Select[OutboxMessage]:
    """Contributors' messages in ``status``, oldest first (a queue)."""
    return (select(OutboxMessage)
            .where(OutboxMessage.status == status, OutboxMessage.contributor_id.is_not(None))
            .order_by(OutboxMessage.created_at, OutboxMessage.id))


def counts(session: Session) -> dict[str, int]:
    """How many contributors' messages wait in each status for staff."""
    rows = session.execute(
        select(OutboxMessage.status, func.count()).where(
            OutboxMessage.status.in_(FOR_STAFF), OutboxMessage.contributor_id.is_not(None))
        .group_by(OutboxMessage.status)).all()
    found = {status: n for status, n in rows}
    return {status: found.get(status, 0) for status in FOR_STAFF}


def _take(session: Session, ids: Iterable[int], status: str) -> list[OutboxMessage]:
    wanted = sorted(set(ids))
    rows = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(wanted), OutboxMessage.contributor_id.is_not(None))
        .with_for_update()))
    if not wanted or len(rows) != len(wanted):
        raise MessageError("Choose messages from the list")
    if any(m.status != status for m in rows):
        raise MessageError("Some of these messages changed since you opened the page. "
                           "Look at the list again")
    return rows


def _audit(session: Session, actor: User, message: OutboxMessage, what: str) -> None:
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR,
           entity_id=message.contributor_id, actor=actor,
           summary=f"{what} (message {message.id}, {message.kind.replace('_', ' ')})")


def mark_printed(session: Session, actor: User, ids: Iterable[int]) -> int:
    """Letters printed and posted (or handed over). Raises MessageError."""
    rows = _take(session, ids, M.TO_PRINT.value)
    now = utcnow()
    for m in rows:
        m.status, m.printed_at, m.printed_by_id, m.sent_at = M.PRINTED.value, now, actor.id, now
        _audit(session, actor, m, "letter printed")
    session.flush()
    return len(rows)


def mark_done_by_hand(session: Session, actor: User, message_id: int) -> OutboxMessage:
    """A call made, or a held or failed message passed on another way."""
    [m] = _take_any(session, message_id, (M.BY_HAND.value, M.HELD.value, M.FAILED.value))
    m.status, m.sent_at = M.DONE_BY_HAND.value, utcnow()
    _audit(session, actor, m, "told by staff another way")
    session.flush()
    return m


def try_again(session: Session, actor: User, message_id: int) -> OutboxMessage:
    """Send a failed message again (send-due picks it up at once)."""
    [m] = _take_any(session, message_id, (M.FAILED.value,))
    if m.transport not in ("smtp", "notify"):
        raise MessageError("This message cannot be sent again from here")
    m.status, m.attempts, m.next_attempt_at, m.last_error = M.QUEUED.value, 0, utcnow(), None
    _audit(session, actor, m, "sending tried again")
    session.flush()
    return m


def _take_any(session: Session, message_id: int, statuses: tuple[str, ...]
              ) -> list[OutboxMessage]:
    m = session.scalars(select(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.contributor_id.is_not(None))
        .with_for_update()).first()
    if m is None:
        raise MessageError("That message is not there any more")
    if m.status not in statuses:
        raise MessageError("This message changed since you opened the page. Look at it again")
    return [m]
