"""Sending email: through SMTP when configured, otherwise into the outbox
table that an administrator can read."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from sqlalchemy.orm import Session

from crm.accounts.models import OutboxMessage
from crm.db import utcnow
from crm.settings import Settings


def delivery_note(settings: Settings) -> str:
    """What to tell the person who triggered an email about where it went."""
    if settings.mail_host:
        return "It has been emailed."
    return ("No mail server is set up, so the email is waiting in the outbox for an "
            "administrator to pass on.")


def send(session: Session, settings: Settings, to: str, subject: str, body: str) -> OutboxMessage:
    """Send one plain-text message. Without SMTP it is held in the outbox for
    an administrator to pass on. With SMTP the outbox keeps only a record
    that it was sent, not the body, so links in it (invitations) are not
    left readable in the database."""
    message = OutboxMessage(to_address=to, subject=subject, body=body, created_at=utcnow())
    session.add(message)
    if settings.mail_host:
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
        message.sent_at = utcnow()
        message.body = "(Sent by email. The text is not kept here.)"
    return message
