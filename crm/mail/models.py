"""The outbox: a record of every email, and its text when no mail server is
set up (for an administrator to pass on)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, intpk, timestamp


class OutboxMessage(Base):
    """One email. Without SMTP, ``body`` holds the text to pass on (never a
    live sign-in link); with SMTP, only a note that it was sent.
    ``invitation_id`` names the sign-in link it carried, if any (the foreign
    key is by table name, so this module imports no feature)."""

    __tablename__ = "outbox_message"

    id: Mapped[intpk]
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp] = mapped_column(index=True)
    sent_at: Mapped[dt.datetime | None]
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True)
