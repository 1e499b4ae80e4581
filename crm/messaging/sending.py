"""Sending queued messages: claim, send, record; retries with back-off;
Notify's delivery status.

A message is sent at most once:

* a sender first **claims** the row: one UPDATE ... WHERE status = 'queued'
  (and due) sets it to 'sending' and counts the attempt, committed before
  anything is sent. Of two senders only one UPDATE matches the row; the
  other sees 0 rows and leaves it. On PostgreSQL the batch of due rows is
  picked with SELECT ... FOR UPDATE SKIP LOCKED, so several ``send-due``
  runs at once share the work without waiting for each other.
* the result is then written in a second transaction (sent, or back to
  'queued' with a later ``next_attempt_at``, or 'failed' after the last
  attempt, shown to the coordinator).
* a claim left behind by a sender that died between sending and writing
  (``STALE_AFTER``) is never simply sent again: a Notify message is looked
  up by its reference (sent: recorded; not there: queued again); an SMTP
  one is marked failed for the coordinator to check, since it may have gone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.mail import smtp
from crm.mail.models import MessageStatus, OutboxMessage
from crm.messaging import notify
from crm.messaging.notify import NotifyRefused
from crm.settings import Settings

log = logging.getLogger(__name__)

M = MessageStatus
MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th is the last.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
           dt.timedelta(hours=2))
STALE_AFTER = dt.timedelta(minutes=10)
STATUS_CHECK_EVERY = dt.timedelta(minutes=5)
STATUS_CHECK_FOR = dt.timedelta(days=3)
NOT_SENT_SMTP = "The mail server could not be reached"


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    statuses_checked: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after ``attempts`` failed attempts."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _due(now: dt.datetime):
    return (OutboxMessage.status == M.QUEUED.value,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))


def claim(engine: Engine, message_ids: Iterable[int], now: dt.datetime) -> list[int]:
    """Claim the given messages that are due and not claimed by anyone else
    (committed at once). Returns those this caller now holds."""
    held = []
    with Session(engine) as session, session.begin():
        for message_id in message_ids:
            result = session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
                .values(status=M.SENDING.value, claimed_at=now,
                        attempts=OutboxMessage.attempts + 1))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                held.append(message_id)
    return held


def claim_due(engine: Engine, now: dt.datetime, limit: int = 100) -> list[int]:
    """Claim up to ``limit`` due messages, oldest due first."""
    pick = (select(OutboxMessage.id).where(*_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if engine.dialect.name != "postgresql":
        with Session(engine) as session:
            ids = list(session.scalars(pick))
        return claim(engine, ids, now)
    with Session(engine) as session, session.begin():
        ids = list(session.scalars(pick.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), *_due(now))
                            .values(status=M.SENDING.value, claimed_at=now,
                                    attempts=OutboxMessage.attempts + 1))
    return ids


def _record(engine: Engine, message_id: int, **values: object) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                    OutboxMessage.status == M.SENDING.value)
                        .values(**values))


def _deliver_one(settings: Settings, message: OutboxMessage) -> notify.Sent | None:
    """Send now through the message's transport. Raises on failure."""
    if message.transport == "smtp":
        attachment = None
        if message.attachment is not None and message.attachment_filename:
            attachment = (message.attachment_filename,
                          message.attachment_content_type or "application/octet-stream",
                          message.attachment)
        smtp.send_email(settings, message.to_address, message.subject, message.body,
                        attachment=attachment, message_id=f"<{message.reference}@crm>")
        return None
    if message.transport == "notify" and message.channel == "text":
        return notify.send_text(settings, message.to_address, message.body, message.reference)
    if message.transport == "notify":
        return notify.send_email(settings, message.to_address, message.subject, message.body,
                                 message.reference)
    raise RuntimeError(f"message {message.id} has no transport that sends")


def _send_claimed(engine: Engine, settings: Settings, message_id: int, report: Report,
                  now: dt.datetime) -> None:
    with Session(engine, expire_on_commit=False) as session:
        message = session.get_one(OutboxMessage, message_id)
        session.expunge(message)
    try:
        sent = _deliver_one(settings, message)
    except NotifyRefused as error:
        _failed(engine, message, error.text, now, report, permanent=error.permanent)
        return
    except Exception as error:  # a server down: try again later
        text = NOT_SENT_SMTP if message.transport == "smtp" else "Could not reach GOV.UK Notify"
        _failed(engine, message, f"{text} ({type(error).__name__})", now, report)
        return
    _record(engine, message_id, status=M.SENT.value, sent_at=now, last_error=None,
            provider_id=sent.provider_id if sent else None,
            delivery_status=sent.status if sent else None,
            delivery_checked_at=now if sent else None)
    report.sent += 1


def _failed(engine: Engine, message: OutboxMessage, text: str, now: dt.datetime,
            report: Report, *, permanent: bool = False) -> None:
    if permanent or message.attempts >= MAX_ATTEMPTS:
        _record(engine, message.id, status=M.FAILED.value, last_error=text[:300])
        report.failed += 1
    else:
        _record(engine, message.id, status=M.QUEUED.value, last_error=text[:300],
                next_attempt_at=now + backoff(message.attempts))
        report.retrying += 1
    report.errors.append(f"message {message.id}: {text}")


def send_now(engine: Engine, settings: Settings, message_ids: Iterable[int]) -> Report:
    """Send these messages if they are due and nobody else has claimed them
    (run after the commit of the request that queued them)."""
    report = Report()
    now = utcnow()
    for message_id in claim(engine, message_ids, now):
        _send_claimed(engine, settings, message_id, report, now)
    return report


def recover_stale(engine: Engine, settings: Settings, now: dt.datetime, report: Report) -> None:
    """Claims older than ``STALE_AFTER``: their sender stopped part way."""
    with Session(engine) as session:
        stale = list(session.scalars(select(OutboxMessage).where(
            OutboxMessage.status == M.SENDING.value, OutboxMessage.kind != "sign_in",
            OutboxMessage.claimed_at < now - STALE_AFTER)))
    for message in stale:
        if message.transport != "notify" or not settings.notify_api_key:
            _record(engine, message.id, status=M.FAILED.value,
                    last_error="Sending stopped part way: it may have been sent. Check with "
                               "them before sending it again")
            report.failed += 1
            continue
        try:
            found = notify.find_by_reference(settings, message.reference)
        except NotifyRefused as error:
            report.errors.append(f"message {message.id}: {error.text}")
            continue
        if found is not None:
            _record(engine, message.id, status=M.SENT.value, sent_at=now,
                    provider_id=found.provider_id, delivery_status=found.status,
                    delivery_checked_at=now)
        else:
            _record(engine, message.id, status=M.QUEUED.value, next_attempt_at=now)
        report.recovered += 1


def check_statuses(engine: Engine, settings: Settings, now: dt.datetime, report: Report,
                   limit: int = 200) -> None:
    """Ask Notify how messages sent in the last few days are getting on, and
    record it; one that could not be delivered is shown to the coordinator."""
    with Session(engine) as session:
        rows = session.execute(select(OutboxMessage.id, OutboxMessage.provider_id).where(
            OutboxMessage.status == M.SENT.value, OutboxMessage.transport == "notify",
            OutboxMessage.provider_id.is_not(None),
            or_(OutboxMessage.delivery_status.is_(None),
                OutboxMessage.delivery_status.not_in(notify.FINAL)),
            OutboxMessage.sent_at > now - STATUS_CHECK_FOR,
            or_(OutboxMessage.delivery_checked_at.is_(None),
                OutboxMessage.delivery_checked_at <= now - STATUS_CHECK_EVERY))
            .order_by(OutboxMessage.id).limit(limit)).all()
    for message_id, provider_id in rows:
        try:
            status = notify.status_of(settings, str(provider_id))
        except NotifyRefused as error:
            report.errors.append(f"message {message_id}: {error.text}")
            continue
        values: dict[str, object] = {"delivery_status": status, "delivery_checked_at": now}
        if status in notify.NOT_DELIVERED:
            values.update(status=M.FAILED.value,
                          last_error=f"GOV.UK Notify could not deliver it ({status})")
            report.failed += 1
        with Session(engine) as session, session.begin():
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                            .values(**values))
        report.statuses_checked += 1


def send_due(engine: Engine, settings: Settings, *, now: dt.datetime | None = None,
             limit: int = 100) -> Report:
    """Everything ``flask messages send-due`` does once: recover stale
    claims, send what is due (batch by batch), check Notify statuses."""
    now = now or utcnow()
    report = Report()
    recover_stale(engine, settings, now, report)
    while ids := claim_due(engine, now, limit):
        for message_id in ids:
            _send_claimed(engine, settings, message_id, report, now)
    if settings.notify_api_key:
        check_statuses(engine, settings, now, report)
    return report
