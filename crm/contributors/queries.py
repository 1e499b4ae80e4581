"""Finding contributors: the filters of the coordinator list (and its
export) as one indexed ``select()``.

Each list filter is an EXISTS against a child table's (code, contributor_id)
index, so a filtered page stays fast at 100,000 contributors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from flask import has_request_context, session
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from crm.contributors.models import (
    DAYS,
    Adjustment,
    AttendanceMode,
    AvailabilitySlot,
    Consent,
    ConsentKind,
    Contributor,
    ExperienceKind,
    LivedExperience,
    ServiceKnown,
    Skill,
    Status,
    TrainingCompletion,
)


@dataclass
class ContributorFilters:
    q: str = ""
    status: str = ""
    experience: str = ""
    service_kind: str = ""
    skill: str = ""
    adjustment: str = ""
    training: str = ""
    day: str = ""
    attendance: str = ""
    attention: str = ""

    @classmethod
    def from_args(cls, args: Any) -> ContributorFilters:
        """Filters from query arguments; the name or email search comes from
        the session instead (see ``remember_search``), so that names and email
        addresses never appear in URLs, browser history or server logs."""
        values = {f.name: (args.get(f.name) or "").strip()[:100] for f in fields(cls)
                  if f.name != "q"}
        if has_request_context():
            values["q"] = str(session.get(SEARCH_KEY, ""))[:100]
        return cls(**values)

    def as_args(self) -> dict[str, Any]:
        """The filters that may go in a URL (everything but the search text)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "q" and getattr(self, f.name)}

    @property
    def active_count(self) -> int:
        return len(self.as_args()) + (1 if self.q else 0)


SEARCH_KEY = "contributor_search"


def remember_search(text: str) -> None:
    """Keep the search text in the signed session cookie, not the URL."""
    text = text.strip()[:100]
    if text:
        session[SEARCH_KEY] = text
    else:
        session.pop(SEARCH_KEY, None)


def filtered(filters: ContributorFilters, today: dt.date | None = None) -> Select[Any]:
    """Contributors matching ``filters``, not anonymised, ordered by name."""
    today = today or dt.date.today()
    stmt = select(Contributor).where(Contributor.anonymised_at.is_(None))
    if filters.q:
        stmt = stmt.where(Contributor.search_text.contains(filters.q.lower(), autoescape=True))
    if filters.status in {s.value for s in Status}:
        stmt = stmt.where(Contributor.status == filters.status)
    if filters.experience in {e.value for e in ExperienceKind}:
        stmt = stmt.where(exists().where(LivedExperience.kind == filters.experience,
                                         LivedExperience.contributor_id == Contributor.id))
    if filters.service_kind:
        stmt = stmt.where(exists().where(ServiceKnown.code == filters.service_kind,
                                         ServiceKnown.contributor_id == Contributor.id))
    if filters.skill:
        stmt = stmt.where(exists().where(Skill.code == filters.skill,
                                         Skill.contributor_id == Contributor.id))
    if filters.adjustment:
        stmt = stmt.where(exists().where(Adjustment.code == filters.adjustment,
                                         Adjustment.contributor_id == Contributor.id))
    if filters.training:
        # Completed, and still current today.
        stmt = stmt.where(exists().where(
            TrainingCompletion.course_code == filters.training,
            TrainingCompletion.contributor_id == Contributor.id,
            or_(TrainingCompletion.expires_on.is_(None), TrainingCompletion.expires_on >= today),
        ))
    if filters.day in DAYS:
        stmt = stmt.where(exists().where(AvailabilitySlot.day == filters.day,
                                         AvailabilitySlot.contributor_id == Contributor.id))
    if filters.attention == "removal_requested":
        stmt = stmt.where(Contributor.removal_requested_at.is_not(None))
    elif filters.attention == "no_contact":
        stmt = stmt.where(no_contact_consent())
    if filters.attendance in {AttendanceMode.ONLINE.value, AttendanceMode.IN_PERSON.value}:
        stmt = stmt.where(Contributor.attendance_mode.in_(
            [filters.attendance, AttendanceMode.EITHER.value]))
    return stmt.order_by(Contributor.full_name, Contributor.id)


ATTENTION_LABELS = {
    "removal_requested": "Asked to be removed",
    "no_contact": "Do not contact: consent withdrawn or not given",
}


def no_contact_consent() -> Any:
    """People who may not be contacted: consent withdrawn, refused, or never
    recorded (as for people imported from a spreadsheet). The same rule as
    ``Contributor.may_contact``."""
    return ~exists().where(Consent.contributor_id == Contributor.id,
                           Consent.kind == ConsentKind.CONTACT.value,
                           Consent.is_given.is_(True))


def attention_counts(session: Session) -> dict[str, int]:
    """How many records need a coordinator's attention, by reason."""
    live = Contributor.anonymised_at.is_(None)
    return {
        "removal_requested": session.scalar(select(func.count()).select_from(Contributor).where(
            live, Contributor.removal_requested_at.is_not(None))) or 0,
        "no_contact": session.scalar(select(func.count()).select_from(Contributor).where(
            live, no_contact_consent())) or 0,
    }


def for_list(filters: ContributorFilters) -> Select[Any]:
    """The list page: also loads what each row shows, in one query per kind."""
    return filtered(filters).options(selectinload(Contributor.experiences),
                                     selectinload(Contributor.consents),
                                     selectinload(Contributor.key_contact))


# Training due: courses that run out in the next TRAINING_DUE_DAYS days, or
# ran out in the last TRAINING_EXPIRED_DAYS.
TRAINING_DUE_DAYS = 60
TRAINING_EXPIRED_DAYS = 30


def training_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last expiry dates the training-due list covers."""
    return (today - dt.timedelta(days=TRAINING_EXPIRED_DAYS),
            today + dt.timedelta(days=TRAINING_DUE_DAYS))


def training_due(today: dt.date, course: str | None = None) -> Select[Any, Any]:
    """(completion, contributor) pairs due or recently expired, earliest
    first: people still in the bank (not left, not anonymised) who have not
    done the course again since."""
    start, end = training_period(today)
    newer = aliased(TrainingCompletion)
    stmt = (
        select(TrainingCompletion, Contributor)
        .join(Contributor, Contributor.id == TrainingCompletion.contributor_id)
        .where(
            Contributor.anonymised_at.is_(None),
            Contributor.status != Status.LEFT.value,
            TrainingCompletion.expires_on.is_not(None),
            TrainingCompletion.expires_on >= start,
            TrainingCompletion.expires_on <= end,
            ~exists().where(and_(newer.contributor_id == TrainingCompletion.contributor_id,
                                 newer.course_code == TrainingCompletion.course_code,
                                 newer.completed_on > TrainingCompletion.completed_on)),
        )
        .order_by(TrainingCompletion.expires_on, Contributor.full_name, TrainingCompletion.id)
    )
    if course:
        stmt = stmt.where(TrainingCompletion.course_code == course)
    return stmt
