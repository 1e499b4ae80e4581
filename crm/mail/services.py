"""Sign-in emails (accounts): through SMTP when configured, otherwise held in
the outbox that an administrator can read.

Nothing is sent during the request: the SMTP send waits until the request's
changes have committed (``crm.db.after_commit``), so a link is never emailed
for a token that was then rolled back. The outbox keeps ``kept_body``, which
callers use to leave out anything secret (a live sign-in link); so a sign-in
email is sent once and never retried (its text is not kept to retry with):
when the server cannot be reached it shows as failed, and the sender makes a
new link. Every other message goes through crm.messaging."""

from __future__ import annotations

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from crm.db import after_commit, utcnow
from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.smtp import send_email
from crm.settings import Settings

NOT_KEPT = "(Sent by email. The text is not kept here.)"


def delivery_note(settings: Settings) -> str:
    """What to tell the person who triggered an email about where it went."""
    if settings.mail_host:
        return "It is being emailed."
    return ("No mail server is set up, so the email is waiting in the outbox for an "
            "administrator to pass on.")


def send(session: Session, settings: Settings, to: str, subject: str, body: str, *,
         kept_body: str | None = None, invitation_id: int | None = None) -> OutboxMessage:
    """Queue one plain-text sign-in email, sent after the commit.

    Without SMTP the outbox holds ``kept_body`` (``body`` if not given) for
    an administrator to pass on. With SMTP it keeps only a record that it was
    sent, not the text."""
    message = OutboxMessage(to_address=to, subject=subject, created_at=utcnow(),
                            body=NOT_KEPT if settings.mail_host else (kept_body or body),
                            invitation_id=invitation_id, kind="sign_in", channel="email",
                            transport="smtp" if settings.mail_host else "outbox",
                            status=(MessageStatus.SENDING if settings.mail_host
                                    else MessageStatus.HELD).value)
    session.add(message)
    if settings.mail_host:
        message.claimed_at = utcnow()
        message.attempts = 1
        session.flush()
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        message_id = message.id
        after_commit(session, lambda: _deliver(engine, settings, message_id, to, subject, body))
    return message


def _deliver(engine: Engine, settings: Settings, message_id: int, to: str, subject: str,
             body: str) -> None:
    try:
        send_email(settings, to, subject, body)
    except Exception as error:
        _record(engine, message_id, status=MessageStatus.FAILED.value,
                last_error=f"The mail server could not be reached ({type(error).__name__})")
        raise
    _record(engine, message_id, status=MessageStatus.SENT.value, sent_at=utcnow())


def _record(engine: Engine, message_id: int, **values: object) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                        .values(**values))
