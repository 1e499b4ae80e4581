"""Sending one email through the SMTP server in the settings."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from crm.settings import Settings


def send_email(settings: Settings, to: str, subject: str, body: str, *,
               attachment: tuple[str, str, bytes] | None = None,
               message_id: str | None = None) -> None:
    """Send now. ``attachment`` is (filename, content type, bytes).
    Raises OSError or smtplib.SMTPException when the server refuses or
    cannot be reached."""
    email = EmailMessage()
    email["From"] = settings.mail_sender
    email["To"] = to
    email["Subject"] = subject
    if message_id:
        email["Message-ID"] = message_id
    email.set_content(body)
    if attachment is not None:
        filename, content_type, data = attachment
        main, _, sub = content_type.partition("/")
        email.add_attachment(data, maintype=main, subtype=(sub.split(";")[0] or "octet-stream"),
                             filename=filename)
    with smtplib.SMTP(settings.mail_host, settings.mail_port, timeout=20) as smtp:
        if settings.mail_use_tls:
            smtp.starttls()
        if settings.mail_username:
            smtp.login(settings.mail_username, settings.mail_password)
        smtp.send_message(email)
