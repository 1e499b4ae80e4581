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
    BigInteger,
    Boolean,
    Date,
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
    ``question`` is what they asked the coordinator about it (each
    question kept, the newest last); it is kept whatever happens to the
    offer, and waits for the coordinator until ``question_answered_at`` is
    set (a new question makes it wait again)."""

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
    question_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
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


class MatchingProfile(Base):
    """One narrow row a contributor: what ranking reads, kept in step with
    the record by ``crm.matching.profile`` (never edited by hand).

    Lists become bit masks: ``experience_mask`` in ExperienceKind order,
    ``slot_mask`` day by part of day (DAYS x DAY_PARTS; 0 = no availability
    recorded), and skills, service kinds and adjustments by the bit each
    code was given in ``matching_code_bit``. ``postcode_district`` is
    normalised as crm.matching.postcodes does. Date- and role-dependent
    facts (training, bookings, offers, ward connections) are not here."""

    __tablename__ = "matching_profile"
    __table_args__ = (Index("ix_matching_profile_is_listed_may_contact", "is_listed",
                            "may_contact"),)

    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    full_name: Mapped[str] = mapped_column(String(200))
    # Active, not anonymised, no removal asked for (a pause is by date: paused_until).
    is_listed: Mapped[bool] = mapped_column(Boolean)
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    may_contact: Mapped[bool] = mapped_column(Boolean)
    experience_mask: Mapped[int] = mapped_column(BigInteger)
    slot_mask: Mapped[int] = mapped_column(BigInteger)
    service_mask: Mapped[int] = mapped_column(BigInteger)
    skill_mask: Mapped[int] = mapped_column(BigInteger)
    adjustment_mask: Mapped[int] = mapped_column(BigInteger)
    adjustment_count: Mapped[int] = mapped_column(Integer)
    attendance_mode: Mapped[str] = mapped_column(String(16))
    travel_max_miles: Mapped[int | None] = mapped_column(Integer)
    postcode_district: Mapped[str | None] = mapped_column(String(20))
    notice_days: Mapped[int | None] = mapped_column(Integer)
    max_roles_at_once: Mapped[int | None] = mapped_column(Integer)
    # Attended (or left early) any session, ever.
    has_attended: Mapped[bool] = mapped_column(Boolean)


class MatchingCodeBit(Base):
    """The bit a catalogue code has in a profile's masks, given the first
    time the code is seen and never changed or reused, so masks stay right
    when catalogues gain codes (anywhere in their files). Bits 0 to 62."""

    __tablename__ = "matching_code_bit"
    __table_args__ = (UniqueConstraint("kind", "code"), UniqueConstraint("kind", "bit"))

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(32))  # "skill", "service_kind", "adjustment"
    code: Mapped[str] = mapped_column(String(64))
    bit: Mapped[int] = mapped_column(Integer)
