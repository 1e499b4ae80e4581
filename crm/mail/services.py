"""Sending email: through SMTP when configured, otherwise into the outbox
table that an administrator can read.

Nothing is sent during the request: the SMTP send waits until the request's
changes have committed (``crm.db.after_commit``), so a link is never emailed
for a token that was then rolled back. The outbox keeps ``kept_body``, which
callers use to leave out anything secret (a live sign-in link)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from crm.db import after_commit, utcnow
from crm.mail.models import OutboxMessage
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
    """Queue one plain-text message, sent after the commit.

    Without SMTP the outbox holds ``kept_body`` (``body`` if not given) for
    an administrator to pass on. With SMTP it keeps only a record that it was
    sent, not the text."""
    message = OutboxMessage(to_address=to, subject=subject, created_at=utcnow(),
                            body=NOT_KEPT if settings.mail_host else (kept_body or body),
                            invitation_id=invitation_id)
    session.add(message)
    if settings.mail_host:
        session.flush()
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        message_id = message.id
        after_commit(session, lambda: _deliver(engine, settings, message_id, to, subject, body))
    return message


def _deliver(engine: Engine, settings: Settings, message_id: int, to: str, subject: str,
             body: str) -> None:
    email = EmailMessage()
    email["From"] = settings.mail_sender
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(settings.mail_host, settings.mail_port, timeout=20) as smtp:
        if settings.mail_use_tls:
            smtp.starttls()
        if settings.mail_username:
            smtp.login(settings.mail_username, settings.mail_password)
        smtp.send_message(email)
    with Session(engine) as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                        .values(sent_at=utcnow()))
