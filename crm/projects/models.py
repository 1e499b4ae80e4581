"""Organisations, wards, projects, roles on projects and their sessions, and
attendance.

A ``RoleOpening`` is one role on a project (an interview panel place, a
co-chair) with a number of places; its ``RoleSession`` rows are the dates.
What a role requires (lived experience, service kinds, training, skills,
conflicts) is stored as lists of catalogue codes, read by the pure rules in
``crm.matching.criteria``. ``version`` columns guard against two people
overwriting each other's edits.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.db import Base, TimestampMixin, UTCDateTime, intpk, utcnow


class OrganisationKind(StrEnum):
    TRUST = "trust"
    VCSE = "vcse"
    USER_LED = "user_led"
    RECOVERY_COLLEGE = "recovery_college"
    PEER_SUPPORT = "peer_support"
    OTHER = "other"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.TRUST: "The trust",
    OrganisationKind.VCSE: "Voluntary or community group",
    OrganisationKind.USER_LED: "User-led group",
    OrganisationKind.RECOVERY_COLLEGE: "Recovery college",
    OrganisationKind.PEER_SUPPORT: "Peer support service",
    OrganisationKind.OTHER: "Other",
}


class Organisation(TimestampMixin, Base):
    """The trust or a partner organisation. ``communities`` says who it works
    with, in its own words, so reports can suggest it for outreach."""

    __tablename__ = "organisation"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default=OrganisationKind.VCSE.value)
    communities: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Ward(TimestampMixin, Base):
    """An inpatient ward. ``room_provides`` lists adjustment catalogue codes
    the usual meeting room already provides (step-free, hearing loop...), so
    matching can tell what is in place and what must be arranged."""

    __tablename__ = "ward"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    site: Mapped[str] = mapped_column(String(200))
    postcode_district: Mapped[str | None] = mapped_column(String(8))
    service_kind: Mapped[str | None] = mapped_column(String(64))
    room_provides: Mapped[list[str]] = mapped_column(JSON, default=list)
    room_note: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ProjectStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    FINISHED = "finished"
    CANCELLED = "cancelled"


PROJECT_STATUS_LABELS = {
    ProjectStatus.PLANNING: "Planning",
    ProjectStatus.ACTIVE: "Active",
    ProjectStatus.FINISHED: "Finished",
    ProjectStatus.CANCELLED: "Cancelled",
}

project_ward = Table(
    "project_ward",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("ward.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Project(TimestampMixin, Base):
    """A piece of improvement work on one or more wards, or trust-wide."""

    __tablename__ = "project"
    __table_args__ = (Index("ix_project_status_starts_on", "status", "starts_on"),)

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    is_trust_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ProjectStatus.PLANNING.value)
    description: Mapped[str | None] = mapped_column(Text)
    easy_read_summary: Mapped[str | None] = mapped_column(Text)
    # The finance cost code fees are charged to (payments).
    cost_code: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    lead: Mapped[User | None] = relationship()
    wards: Mapped[list[Ward]] = relationship(secondary=project_ward, order_by="Ward.name")
    roles: Mapped[list[RoleOpening]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="RoleOpening.id")


class RoleStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


ROLE_STATUS_LABELS = {
    RoleStatus.DRAFT: "Draft",
    RoleStatus.OPEN: "Open",
    RoleStatus.FILLED: "Filled",
    RoleStatus.CLOSED: "Closed",
    RoleStatus.CANCELLED: "Cancelled",
}

# Where a role may go next (draft -> open -> filled -> closed, or cancelled).
ROLE_TRANSITIONS: dict[RoleStatus, frozenset[RoleStatus]] = {
    RoleStatus.DRAFT: frozenset({RoleStatus.OPEN, RoleStatus.CANCELLED}),
    RoleStatus.OPEN: frozenset({RoleStatus.FILLED, RoleStatus.CLOSED, RoleStatus.CANCELLED}),
    RoleStatus.FILLED: frozenset({RoleStatus.OPEN, RoleStatus.CLOSED, RoleStatus.CANCELLED}),
    RoleStatus.CLOSED: frozenset(),
    RoleStatus.CANCELLED: frozenset(),
}


class ConflictRule(StrEnum):
    """Who may not take a role, because of their connection to its wards."""

    INPATIENT_ON_WARD = "inpatient_on_ward"
    WORKS_ON_WARD = "works_on_ward"


CONFLICT_LABELS = {
    ConflictRule.INPATIENT_ON_WARD: "Currently an inpatient on the project's ward",
    ConflictRule.WORKS_ON_WARD: "Works on the project's ward",
}


class RoleMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    EITHER = "either"


class RoleOpening(TimestampMixin, Base):
    """One role on a project, with ``places`` people wanted.

    ``fee_tier`` is a rate card tier code, or None for an unpaid role.
    ``level`` is a code from the involvement levels catalogue. The lists are
    catalogue codes: ``required_experience`` holds ``ExperienceKind`` values
    (any one of them will do), ``required_service_kinds`` service kind codes
    (any one), ``required_training`` course codes (all, valid on every
    session date), ``desirable_skills`` skill codes (scored, not required).
    """

    __tablename__ = "role_opening"
    __table_args__ = (
        Index("ix_role_opening_status_closes_on", "status", "closes_on"),
        CheckConstraint("places >= 1", name="places_positive"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(64))
    places: Mapped[int] = mapped_column(Integer, default=1)
    fee_tier: Mapped[str | None] = mapped_column(String(32))
    required_experience: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_service_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_training: Mapped[list[str]] = mapped_column(JSON, default=list)
    desirable_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(16), default=RoleMode.EITHER.value)
    conflict_rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RoleStatus.DRAFT.value)
    description: Mapped[str | None] = mapped_column(Text)
    easy_read_description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    project: Mapped[Project] = relationship(back_populates="roles")
    sessions: Mapped[list[RoleSession]] = relationship(
        back_populates="role", cascade="all, delete-orphan",
        order_by="RoleSession.starts_at")

    @property
    def is_paid(self) -> bool:
        return self.fee_tier is not None


class RoleSession(Base):
    """One meeting of a role: when, how long, and where (a ward's room,
    another venue, or online). ``sequence`` goes up on every change, for
    calendar updates."""

    __tablename__ = "role_session"
    __table_args__ = (
        Index("ix_role_session_role_id_starts_at", "role_id", "starts_at"),
        Index("ix_role_session_starts_at", "starts_at"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
    )

    id: Mapped[intpk]
    role_id: Mapped[int] = mapped_column(ForeignKey("role_opening.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="SET NULL"),
                                                index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    papers_ready_on: Mapped[dt.date | None] = mapped_column(Date)
    is_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)

    role: Mapped[RoleOpening] = relationship(back_populates="sessions")
    ward: Mapped[Ward | None] = relationship()

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


class WardConnectionKind(StrEnum):
    INPATIENT_NOW = "inpatient_now"
    WORKS_ON = "works_on"


class WardConnection(Base):
    """A contributor's current connection to a ward that a role's conflict
    rules look at (an inpatient there now, or works there)."""

    __tablename__ = "ward_connection"
    __table_args__ = (
        UniqueConstraint("contributor_id", "ward_id", "kind"),
        Index("ix_ward_connection_ward_id_kind_contributor_id", "ward_id", "kind",
              "contributor_id"),
    )

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    noted_on: Mapped[dt.date] = mapped_column(Date)


class AttendanceOutcome(StrEnum):
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_BY_US = "cancelled_by_us"
    LEFT_EARLY = "left_early"


ATTENDANCE_OUTCOME_LABELS = {
    AttendanceOutcome.ATTENDED: "Attended",
    AttendanceOutcome.DID_NOT_ATTEND: "Did not attend",
    AttendanceOutcome.CANCELLED_BY_US: "Cancelled by us",
    AttendanceOutcome.LEFT_EARLY: "Left early",
}


class Attendance(Base):
    """What happened at one session for one person. Feeds the fairness part
    of matching ("never yet involved") and the fees of payments."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "contributor_id"),
        Index("ix_attendance_contributor_id_outcome", "contributor_id", "outcome"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("role_session.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    session: Mapped[RoleSession] = relationship()
