"""Offers of roles to people, their replies, interest shown, and batches of
proposed assignments.

An accepted offer holds one of the role's places: ``place_no`` runs from 1
to the role's ``places`` and is unique per role, so the database itself
refuses two people in one place, even when two coordinators (or a
coordinator and the person) say yes for the last place at the same moment.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.contributors.models import Contributor
from crm.db import Base, TimestampMixin, UTCDateTime, intpk, utcnow
from crm.projects.models import RoleOpening


class OfferStatus(StrEnum):
    WAITING = "waiting"  # on the waiting list, not yet offered
    OFFERED = "offered"  # sent, no answer yet
    ACCEPTED = "accepted"  # holds a place
    DECLINED = "declined"
    NOT_THIS_TIME = "not_this_time"  # not "never": fairness does not count it against them
    WITHDRAWN = "withdrawn"  # by the coordinator
    EXPIRED = "expired"  # the closing date passed without an answer
    DROPPED_OUT = "dropped_out"  # accepted, then could not do it


OFFER_STATUS_LABELS = {
    OfferStatus.WAITING: "On the waiting list",
    OfferStatus.OFFERED: "Offered, waiting for a reply",
    OfferStatus.ACCEPTED: "Said yes",
    OfferStatus.DECLINED: "Said no",
    OfferStatus.NOT_THIS_TIME: "Not this time",
    OfferStatus.WITHDRAWN: "Offer withdrawn",
    OfferStatus.EXPIRED: "Offer expired",
    OfferStatus.DROPPED_OUT: "Dropped out",
}

OPEN_STATUSES = frozenset({OfferStatus.WAITING, OfferStatus.OFFERED})


class Offer(TimestampMixin, Base):
    """One person and one role: offered, answered, on the waiting list.

    ``channel`` is how the offer went out ("email", or "by_hand" when no
    channel we can use today is open to them, so the coordinator tells them
    another way). ``information_format`` is the format it went in.
    ``question`` is a question they asked the coordinator instead of
    answering."""

    __tablename__ = "offer"
    __table_args__ = (
        UniqueConstraint("role_id", "contributor_id"),
        UniqueConstraint("role_id", "place_no"),
        Index("ix_offer_contributor_id_status", "contributor_id", "status"),
        Index("ix_offer_contributor_id_offered_at", "contributor_id", "offered_at"),
        Index("ix_offer_role_id_status", "role_id", "status"),
    )

    id: Mapped[intpk]
    role_id: Mapped[int] = mapped_column(ForeignKey("role_opening.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.WAITING.value)
    place_no: Mapped[int | None] = mapped_column(Integer)
    waiting_position: Mapped[int | None] = mapped_column(Integer)
    offered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    offered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(16))
    information_format: Mapped[str | None] = mapped_column(String(16))
    question: Mapped[str | None] = mapped_column(Text)
    question_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    expires_on: Mapped[dt.date | None]
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_batch.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    role: Mapped[RoleOpening] = relationship()
    contributor: Mapped[Contributor] = relationship()


class RoleInterest(Base):
    """A contributor pressed "I'm interested" on an open role."""

    __tablename__ = "role_interest"
    __table_args__ = (UniqueConstraint("role_id", "contributor_id"),
                      Index("ix_role_interest_contributor_id", "contributor_id"))

    id: Mapped[intpk]
    role_id: Mapped[int] = mapped_column(ForeignKey("role_opening.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BatchStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISCARDED = "discarded"


class MatchBatch(Base):
    """A proposal of who fills which places across several roles, from the
    solver. Nothing is sent until a coordinator confirms it.

    ``solver_status`` is "optimal", "feasible" (stopped at the time limit,
    with ``gap``) or "infeasible" (with ``explanation`` in plain words)."""

    __tablename__ = "match_batch"

    id: Mapped[intpk]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=BatchStatus.PROPOSED.value)
    role_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    max_roles_per_person: Mapped[int] = mapped_column(Integer)
    solver_status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    proposals: Mapped[list[MatchProposal]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="MatchProposal.id")


class MatchProposal(Base):
    """One proposed person for one role in a batch."""

    __tablename__ = "match_proposal"
    __table_args__ = (UniqueConstraint("batch_id", "role_id", "contributor_id"),
                      Index("ix_match_proposal_role_id", "role_id"))

    id: Mapped[intpk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("match_batch.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(ForeignKey("role_opening.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)

    batch: Mapped[MatchBatch] = relationship(back_populates="proposals")
