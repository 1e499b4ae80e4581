"""What crm.messaging keeps besides the outbox itself (crm.mail.models):
the reminders a person has turned off."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, intpk, utcnow


class ReminderKind(StrEnum):
    DAY_BEFORE = "day_before"
    PAPERS_READY = "papers_ready"
    CONSENT_REVIEW = "consent_review"
    TRAINING_EXPIRING = "training_expiring"


class ReminderTurnedOff(Base):
    """A reminder the person asked us not to send them. No row: it is on."""

    __tablename__ = "reminder_turned_off"
    __table_args__ = (UniqueConstraint("contributor_id", "kind"),)

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    turned_off_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
