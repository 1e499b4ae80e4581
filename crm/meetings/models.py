"""What makes each session work for the people in it.

- ``ChecklistTick``: one item of a session's access checklist marked
  arranged (by whom, when). The items themselves are worked out each time
  from the people confirmed (crm.meetings.checklist), so a tick for an item
  nobody needs any more is simply not shown. ``contributor_id`` is set only
  for an item the coordinator does for one person ("send papers to their
  supporter"), so anonymising can remove it.
- ``CalendarFeed``: a contributor's personal calendar feed. Only the
  SHA-256 of the secret token is stored; resetting replaces it, so the old
  address stops working at once.
- ``SessionSupport``: a pre-meet before, or a check-in (debrief) after, a
  session for one person: offered, done, declined, follow-up needed. Only
  the fact; a note only when the person agreed to it being kept.
- ``FurtherThought``: what a contributor adds about a session afterwards,
  in their own words, for a set number of days (config/meetings.toml).
- ``YouSaidWeDid``: per project, what contributors raised and what the ward
  did about it, with dates (no names: it is read by everyone involved and
  printed for ward notice boards).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.db import Base, UTCDateTime, intpk, utcnow


class ChecklistTick(Base):
    __tablename__ = "meeting_checklist_tick"
    __table_args__ = (UniqueConstraint("session_id", "item_key"),
                      Index("ix_meeting_checklist_tick_contributor_id", "contributor_id"))

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("role_session.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(120))
    contributor_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"))
    is_arranged: Mapped[bool] = mapped_column(Boolean, default=True)
    arranged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    arranged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    arranged_by: Mapped[User | None] = relationship()


class CalendarFeed(Base):
    __tablename__ = "calendar_feed"

    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reset_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Only "Involvement meeting", the time and online or in person: no role,
    # project or place, which could tell whoever sees the calendar about
    # their health.
    plain_words: Mapped[bool] = mapped_column(Boolean, default=False)


class SupportKind(StrEnum):
    PRE_MEET = "pre_meet"
    CHECK_IN = "check_in"


SUPPORT_KIND_LABELS = {SupportKind.PRE_MEET: "Pre-meet", SupportKind.CHECK_IN: "Check-in"}


class SupportStatus(StrEnum):
    OFFERED = "offered"
    DONE = "done"
    DECLINED = "declined"
    FOLLOW_UP = "follow_up"


SUPPORT_STATUS_LABELS = {
    SupportStatus.OFFERED: "Offered",
    SupportStatus.DONE: "Done",
    SupportStatus.DECLINED: "Declined",
    SupportStatus.FOLLOW_UP: "Follow-up needed",
}


class SessionSupport(Base):
    __tablename__ = "meeting_support"
    __table_args__ = (
        UniqueConstraint("session_id", "contributor_id", "kind"),
        Index("ix_meeting_support_contributor_id", "contributor_id"),
        CheckConstraint("note IS NULL OR note_agreed", name="note_only_if_agreed"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("role_session.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    # Kept only when the person agreed to a note being kept.
    note_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class FurtherThought(Base):
    __tablename__ = "meeting_thought"
    __table_args__ = (Index("ix_meeting_thought_session_id_created_at", "session_id",
                            "created_at"),
                      Index("ix_meeting_thought_contributor_id", "contributor_id"))

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("role_session.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class YouSaidWeDid(Base):
    __tablename__ = "you_said_we_did"
    __table_args__ = (Index("ix_you_said_we_did_project_id_raised_on", "project_id",
                            "raised_on"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    raised_on: Mapped[dt.date] = mapped_column(Date)
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    easy_read_you_said: Mapped[str | None] = mapped_column(Text)
    easy_read_we_did: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


__all__ = ["SUPPORT_KIND_LABELS", "SUPPORT_STATUS_LABELS", "CalendarFeed", "ChecklistTick",
           "FurtherThought", "SessionSupport", "SupportKind", "SupportStatus", "YouSaidWeDid"]
