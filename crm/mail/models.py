"""The outbox: the one queue of outgoing messages for the whole app, one row
a message to one person (sign-in emails from accounts, and every message
crm.messaging sends to contributors: offers, confirmations, changes,
reminders).

Foreign keys are by table name, so this module imports no feature."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, intpk, timestamp


class MessageStatus(StrEnum):
    """Where a message is. ``QUEUED`` waits for its ``next_attempt_at``;
    ``SENDING`` is claimed by one sender (never two); ``HELD`` stays in the
    outbox because no way of sending it is set up; ``TO_PRINT`` and
    ``BY_HAND`` are for staff (a letter to print, a call to make);
    ``FAILED`` gave up after the last retry and is shown to the coordinator."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    HELD = "held"
    TO_PRINT = "to_print"
    PRINTED = "printed"
    BY_HAND = "by_hand"
    DONE_BY_HAND = "done_by_hand"
    FAILED = "failed"


class OutboxMessage(Base):
    """One message to one person by one channel, in their format.

    ``body`` is the text in the person's format (Easy Read for those who
    asked). A sign-in email keeps ``kept_body`` only (never a live link):
    with SMTP its body is a note that it was sent. ``invitation_id`` names
    the sign-in link it carried, if any.

    Sending is idempotent: a sender first claims the row with a conditional
    update (status queued -> sending, ``attempts`` + 1), so two senders
    never both send it; Notify is given ``reference`` = ``crm-<id>``, and a
    claim left by a sender that died is looked up there before any retry.
    ``dedupe_key`` (unique) stops the same reminder or change notice being
    queued twice."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[intpk]
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp] = mapped_column(index=True)
    sent_at: Mapped[dt.datetime | None]
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True)
    # Who it is for, and how it goes.
    contributor_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributor.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="sign_in")
    channel: Mapped[str] = mapped_column(String(16), default="email")
    transport: Mapped[str] = mapped_column(String(16), default="smtp")
    information_format: Mapped[str] = mapped_column(String(16), default="standard")
    to_name: Mapped[str | None] = mapped_column(String(200))
    postal_address: Mapped[str | None] = mapped_column(Text)
    via_supporter: Mapped[str | None] = mapped_column(String(200))
    attachment_filename: Mapped[str | None] = mapped_column(String(200))
    attachment_content_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Sending: status, retries with back-off, the failure after the last one.
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.HELD.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    delivery_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    printed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)

    @property
    def reference(self) -> str:
        """The idempotency key given to Notify."""
        return f"crm-{self.id}"
