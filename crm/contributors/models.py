"""Contributors: people with lived experience in the involvement bank.

A ``Contributor`` holds who they are and how to work with them; lists of
things (experience, services known, skills, availability, adjustments,
consents, training, support) live in child tables so they can be filtered
with indexed queries. ``version`` guards against two people overwriting each
other's edits: every section edit bumps it (see services.touch).

Special category data (health, including lived experience, service kinds and
adjustments) is never copied into the audit log, only the fact it changed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.db import Base, TimestampMixin, intpk


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # stepping back for wellbeing; not the same as leaving
    LEFT = "left"


STATUS_LABELS = {Status.ACTIVE: "Active", Status.PAUSED: "Paused", Status.LEFT: "Left"}


class ExperienceKind(StrEnum):
    PATIENT_CURRENT = "patient_current"
    PATIENT_FORMER = "patient_former"
    CARER = "carer"
    FAMILY_MEMBER = "family_member"


EXPERIENCE_LABELS = {
    ExperienceKind.PATIENT_CURRENT: "Patient now",
    ExperienceKind.PATIENT_FORMER: "Former patient",
    ExperienceKind.CARER: "Carer",
    ExperienceKind.FAMILY_MEMBER: "Family member",
}


class AttendanceMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    EITHER = "either"


ATTENDANCE_LABELS = {
    AttendanceMode.ONLINE: "Online only",
    AttendanceMode.IN_PERSON: "In person only",
    AttendanceMode.EITHER: "Online or in person",
}

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_PARTS = ("morning", "afternoon", "evening")


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    TEXT = "text"
    LETTER = "letter"


CHANNEL_LABELS = {Channel.EMAIL: "Email", Channel.PHONE: "Phone call",
                  Channel.TEXT: "Text message", Channel.LETTER: "Letter"}


class InformationFormat(StrEnum):
    STANDARD = "standard"
    EASY_READ = "easy_read"
    LARGE_PRINT = "large_print"
    AUDIO = "audio"
    TRANSLATED = "translated"
    BSL = "bsl"


FORMAT_LABELS = {
    InformationFormat.STANDARD: "Standard",
    InformationFormat.EASY_READ: "Easy Read",
    InformationFormat.LARGE_PRINT: "Large print",
    InformationFormat.AUDIO: "Audio",
    InformationFormat.TRANSLATED: "Translated into another language",
    InformationFormat.BSL: "British Sign Language (BSL)",
}


class ConsentKind(StrEnum):
    CONTACT = "contact"
    RECORD_KEEPING = "record_keeping"
    STORY_SHARING = "story_sharing"


CONSENT_LABELS = {
    ConsentKind.CONTACT: "To be contacted about involvement opportunities",
    ConsentKind.RECORD_KEEPING: "To have their record kept in the involvement bank",
    ConsentKind.STORY_SHARING: "To share their story",
}

CONSENT_METHODS = {
    "online": "Online, by the person",
    "paper": "Signed paper form",
    "verbal": "Spoken, recorded by staff",
    "email": "By email",
}


class Contributor(TimestampMixin, Base):
    __tablename__ = "contributor"
    __table_args__ = (
        Index("ix_contributor_status_full_name", "status", "full_name"),
        Index("ix_contributor_search_text", "search_text"),
        # One current record per email address, enforced by the database:
        # emails are stored in lower case (so unique means case-insensitive),
        # and anonymised records do not count.
        Index("uq_contributor_email_current", "email", unique=True,
              sqlite_where=text("anonymised_at IS NULL"),
              postgresql_where=text("anonymised_at IS NULL")),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    pronouns: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    postal_address: Mapped[str | None] = mapped_column(Text)
    postcode_area: Mapped[str | None] = mapped_column(String(20))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    # Lower-cased names and email, for search.
    search_text: Mapped[str] = mapped_column(String(600), default="")

    prefers_living_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    what_i_bring: Mapped[str | None] = mapped_column(Text)

    attendance_mode: Mapped[str] = mapped_column(String(16), default=AttendanceMode.EITHER.value,
                                                 index=True)
    travel_max_miles: Mapped[int | None] = mapped_column(Integer)
    notice_days: Mapped[int | None] = mapped_column(Integer)
    availability_note: Mapped[str | None] = mapped_column(Text)
    # Their own limit on how many roles they take on at once (None: no limit).
    max_roles_at_once: Mapped[int | None] = mapped_column(Integer)

    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE.value)
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    key_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    is_peer_support_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    peer_employer: Mapped[str | None] = mapped_column(String(200))

    adjustments_other: Mapped[str | None] = mapped_column(Text)
    prefers_easy_read: Mapped[bool] = mapped_column(Boolean, default=False)

    removal_requested_at: Mapped[dt.datetime | None]
    anonymised_at: Mapped[dt.datetime | None]
    # The CSV import that created the record, if any ("the people just imported").
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True)

    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    key_contact: Mapped[User | None] = relationship(foreign_keys=[key_contact_id])
    experiences: Mapped[list[LivedExperience]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="LivedExperience.kind")
    service_kinds: Mapped[list[ServiceKnown]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="ServiceKnown.code")
    skills: Mapped[list[Skill]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="Skill.id")
    availability: Mapped[list[AvailabilitySlot]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan",
        order_by="(AvailabilitySlot.day, AvailabilitySlot.part)")
    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="Affiliation.id")
    consents: Mapped[list[Consent]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="Consent.kind")
    adjustments: Mapped[list[Adjustment]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="Adjustment.id")
    communication: Mapped[CommunicationPreference | None] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", uselist=False)
    training: Mapped[list[TrainingCompletion]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan",
        order_by="TrainingCompletion.completed_on.desc()")
    support: Mapped[list[SupportInPlace]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", order_by="SupportInPlace.id")

    @property
    def name(self) -> str:
        """The name to use when talking to or about them."""
        return self.preferred_name or self.full_name

    @property
    def may_contact(self) -> bool:
        """Only with their consent to be contacted recorded as given. No
        consent recorded (for example, imported from a spreadsheet) counts
        as not given. Loads ``consents`` if not loaded."""
        return any(c.kind == ConsentKind.CONTACT.value and c.is_given for c in self.consents)

    @property
    def experience_word(self) -> str:
        return "living experience" if self.prefers_living_experience else "lived experience"

    def __repr__(self) -> str:  # never includes names
        return f"<Contributor {self.id}>"


class _Child:
    """Rows that belong to one contributor."""

    id: Mapped[intpk]


def _contributor_fk() -> Any:
    return mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))


class LivedExperience(_Child, Base):
    __tablename__ = "contributor_experience"
    __table_args__ = (
        UniqueConstraint("contributor_id", "kind"),
        Index("ix_contributor_experience_kind_contributor_id", "kind", "contributor_id"),
    )
    contributor_id: Mapped[int] = _contributor_fk()
    kind: Mapped[str] = mapped_column(String(32))
    contributor: Mapped[Contributor] = relationship(back_populates="experiences")


class ServiceKnown(_Child, Base):
    __tablename__ = "contributor_service_kind"
    __table_args__ = (
        UniqueConstraint("contributor_id", "code"),
        Index("ix_contributor_service_kind_code_contributor_id", "code", "contributor_id"),
    )
    contributor_id: Mapped[int] = _contributor_fk()
    code: Mapped[str] = mapped_column(String(64))
    contributor: Mapped[Contributor] = relationship(back_populates="service_kinds")


class Skill(_Child, Base):
    """A skill or interest: a catalogue ``code``, or a free ``label`` in their words."""

    __tablename__ = "contributor_skill"
    __table_args__ = (Index("ix_contributor_skill_code_contributor_id", "code", "contributor_id"),
                      Index("ix_contributor_skill_contributor_id", "contributor_id"))
    contributor_id: Mapped[int] = _contributor_fk()
    code: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(100))
    contributor: Mapped[Contributor] = relationship(back_populates="skills")


class AvailabilitySlot(_Child, Base):
    __tablename__ = "contributor_availability"
    __table_args__ = (
        UniqueConstraint("contributor_id", "day", "part"),
        Index("ix_contributor_availability_day_part_contributor_id", "day", "part",
              "contributor_id"),
    )
    contributor_id: Mapped[int] = _contributor_fk()
    day: Mapped[str] = mapped_column(String(10))
    part: Mapped[str] = mapped_column(String(10))
    contributor: Mapped[Contributor] = relationship(back_populates="availability")


class Affiliation(_Child, Base):
    """A community or user-led organisation (VCSE) the person belongs to."""

    __tablename__ = "contributor_affiliation"
    __table_args__ = (Index("ix_contributor_affiliation_contributor_id", "contributor_id"),)
    contributor_id: Mapped[int] = _contributor_fk()
    organisation: Mapped[str] = mapped_column(String(200))
    # The partner organisation in crm.projects, when it is one we work with.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    is_user_led: Mapped[bool] = mapped_column(Boolean, default=False)
    contributor: Mapped[Contributor] = relationship(back_populates="affiliations")


class Consent(_Child, Base):
    """One consent: given or not, when, how, and when to review it."""

    __tablename__ = "contributor_consent"
    __table_args__ = (UniqueConstraint("contributor_id", "kind"),)
    contributor_id: Mapped[int] = _contributor_fk()
    kind: Mapped[str] = mapped_column(String(32))
    is_given: Mapped[bool] = mapped_column(Boolean)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    contributor: Mapped[Contributor] = relationship(back_populates="consents")


class Adjustment(_Child, Base):
    """A reasonable adjustment from the catalogue, with an optional note."""

    __tablename__ = "contributor_adjustment"
    __table_args__ = (
        UniqueConstraint("contributor_id", "code"),
        Index("ix_contributor_adjustment_code_contributor_id", "code", "contributor_id"),
    )
    contributor_id: Mapped[int] = _contributor_fk()
    code: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    contributor: Mapped[Contributor] = relationship(back_populates="adjustments")


class CommunicationPreference(Base):
    """How and when to contact the person (one row per contributor)."""

    __tablename__ = "communication_preference"

    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    # Channels in order of preference, and channels never to use.
    channel_order: Mapped[list[str]] = mapped_column(JSON, default=list)
    do_not_use: Mapped[list[str]] = mapped_column(JSON, default=list)
    best_times: Mapped[str | None] = mapped_column(String(300))
    information_format: Mapped[str] = mapped_column(String(16),
                                                    default=InformationFormat.STANDARD.value)
    language: Mapped[str | None] = mapped_column(String(80))
    via_supporter: Mapped[bool] = mapped_column(Boolean, default=False)
    supporter_name: Mapped[str | None] = mapped_column(String(200))
    supporter_contact: Mapped[str | None] = mapped_column(String(300))
    papers_days_before: Mapped[int | None] = mapped_column(Integer)
    camera_optional: Mapped[bool] = mapped_column(Boolean, default=True)
    contributor: Mapped[Contributor] = relationship(back_populates="communication")


class TrainingCompletion(_Child, Base):
    """A course someone finished. ``expires_on`` is computed from the course's
    validity when saved, so "due to expire" is an indexed query."""

    __tablename__ = "training_completion"
    __table_args__ = (
        Index("ix_training_completion_course_code_contributor_id", "course_code",
              "contributor_id"),
        Index("ix_training_completion_expires_on", "expires_on"),
        Index("ix_training_completion_contributor_id", "contributor_id"),
    )
    contributor_id: Mapped[int] = _contributor_fk()
    course_code: Mapped[str] = mapped_column(String(64))
    completed_on: Mapped[dt.date] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(500))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    contributor: Mapped[Contributor] = relationship(back_populates="training")


class SupportInPlace(_Child, Base):
    __tablename__ = "contributor_support"
    __table_args__ = (UniqueConstraint("contributor_id", "kind"),)
    contributor_id: Mapped[int] = _contributor_fk()
    kind: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    contributor: Mapped[Contributor] = relationship(back_populates="support")


class ImportBatch(Base):
    """One confirmed CSV import. ``upload_key`` is the hash of the checked
    file's one-time id: unique, so the database itself refuses to import the
    same checked file twice, even from two presses at the same moment."""

    __tablename__ = "import_batch"

    id: Mapped[intpk]
    upload_key: Mapped[str] = mapped_column(String(64), unique=True)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    imported_at: Mapped[dt.datetime]
    rows_imported: Mapped[int]
    rows_skipped: Mapped[int]

    imported_by: Mapped[User | None] = relationship()
