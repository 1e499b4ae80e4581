"""Finding contributors: the filters of the coordinator list (and its
export) as one indexed ``select()``.

The filters are one table, ``LIST_FILTERS``: each has its name (the URL
parameter), its label, its choices (codes and labels) and its query clause.
The list view, its template and the export all read this table, so a new
filter is one row here. Values are always codes from the choices (never
names), so URLs hold no personal data; the name or email search is not in
the table and never in a URL: the view keeps it on the server side and
passes it in. Nothing here reads ``flask.session``.

Each list filter is an EXISTS against a child table's (code, contributor_id)
index, so a filtered page stays fast at 100,000 contributors. A filter that
takes several values matches people with ANY of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from crm.contributors.models import (
    ATTENDANCE_LABELS,
    DAYS,
    EXPERIENCE_LABELS,
    STATUS_LABELS,
    Adjustment,
    AttendanceMode,
    AvailabilitySlot,
    Consent,
    ConsentKind,
    Contributor,
    LivedExperience,
    ServiceKnown,
    Skill,
    Status,
    TrainingCompletion,
)
from crm.reference import reference

Choices = list[tuple[str, str]]
MAX_SEARCH = 100

ATTENTION_LABELS = {
    "removal_requested": "Asked to be removed",
    "no_contact": "Do not contact: consent withdrawn or not given",
    "consent_review_due": "Consent review due",
    "pause_ending": "Pause ending soon",
}
# How far ahead the home page and the attention filters look.
CONSENT_REVIEW_DAYS = 30
PAUSE_ENDING_DAYS = 14
ATTENDANCE_FILTER_LABELS = {AttendanceMode.ONLINE.value: "Online",
                            AttendanceMode.IN_PERSON.value: "In person"}


def no_contact_consent() -> Any:
    """People who may not be contacted: consent withdrawn, refused, or never
    recorded (as for people imported from a spreadsheet). The same rule as
    ``Contributor.may_contact``."""
    return ~exists().where(Consent.contributor_id == Contributor.id,
                           Consent.kind == ConsentKind.CONTACT.value,
                           Consent.is_given.is_(True))


def consent_review_due(today: dt.date) -> Any:
    """A consent still given whose review date has come or comes within
    ``CONSENT_REVIEW_DAYS`` days (overdue reviews included)."""
    return exists().where(Consent.contributor_id == Contributor.id,
                          Consent.is_given.is_(True),
                          Consent.review_on.is_not(None),
                          Consent.review_on <= today + dt.timedelta(days=CONSENT_REVIEW_DAYS))


def pause_ending(today: dt.date) -> Any:
    """Paused people whose pause ends within ``PAUSE_ENDING_DAYS`` days, or
    has already ended without anyone changing their status."""
    return and_(Contributor.status == Status.PAUSED.value,
                Contributor.paused_until.is_not(None),
                Contributor.paused_until <= today + dt.timedelta(days=PAUSE_ENDING_DAYS))


def _child(column: Any, owner: Any) -> Callable[[list[str], dt.date], Any]:
    def clause(values: list[str], today: dt.date) -> Any:
        return exists().where(column.in_(values), owner == Contributor.id)
    return clause


def _training(values: list[str], today: dt.date) -> Any:
    # Completed, and still current today.
    return exists().where(
        TrainingCompletion.course_code.in_(values),
        TrainingCompletion.contributor_id == Contributor.id,
        or_(TrainingCompletion.expires_on.is_(None), TrainingCompletion.expires_on >= today))


def _attendance(values: list[str], today: dt.date) -> Any:
    # "Online" matches people who said online only or either.
    return Contributor.attendance_mode.in_([*values, AttendanceMode.EITHER.value])


def _attention(values: list[str], today: dt.date) -> Any:
    clauses = {
        "removal_requested": lambda: Contributor.removal_requested_at.is_not(None),
        "no_contact": no_contact_consent,
        "consent_review_due": lambda: consent_review_due(today),
        "pause_ending": lambda: pause_ending(today),
    }
    return or_(*(clauses[v]() for v in values))


@dataclass(frozen=True)
class ListFilter:
    """One filter of the contributor list."""

    name: str  # the URL parameter
    label: str
    choices: Callable[[], Choices]
    clause: Callable[[list[str], dt.date], Any]
    multiple: bool = False  # several values may be chosen: any of them matches
    # The results column this filter brings in when used, and the
    # relationship that column needs loaded.
    column: str | None = None
    load: str | None = None


LIST_FILTERS: tuple[ListFilter, ...] = (
    ListFilter("status", "Status", lambda: list(STATUS_LABELS.items()),
               lambda values, today: Contributor.status.in_(values)),
    ListFilter("experience", "Lived experience", lambda: list(EXPERIENCE_LABELS.items()),
               _child(LivedExperience.kind, LivedExperience.contributor_id)),
    ListFilter("service_kind", "Services they know", lambda: reference().service_kinds.choices(),
               _child(ServiceKnown.code, ServiceKnown.contributor_id), multiple=True,
               column="Services they know", load="service_kinds"),
    ListFilter("skill", "Skills and interests", lambda: reference().skills.choices(),
               _child(Skill.code, Skill.contributor_id), multiple=True,
               column="Skills", load="skills"),
    ListFilter("adjustment", "Needs these adjustments", lambda: reference().adjustments.choices(),
               _child(Adjustment.code, Adjustment.contributor_id), multiple=True,
               column="Adjustments", load="adjustments"),
    ListFilter("training", "Has current training", lambda: reference().training.choices(),
               _training, column="Training", load="training"),
    ListFilter("day", "Available on", lambda: [(d, d.capitalize()) for d in DAYS],
               _child(AvailabilitySlot.day, AvailabilitySlot.contributor_id),
               column="Available", load="availability"),
    ListFilter("attendance", "Can take part", lambda: list(ATTENDANCE_FILTER_LABELS.items()),
               _attendance, column="Can take part"),
    ListFilter("attention", "Needs attention", lambda: list(ATTENTION_LABELS.items()),
               _attention),
)
FILTERS_BY_NAME = {f.name: f for f in LIST_FILTERS}


@dataclass
class ContributorFilters:
    """The filters in use: codes by filter name, and the search text (which
    comes from the server-side session, never a URL: the view passes it)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""

    @classmethod
    def from_args(cls, args: Any, q: str = "") -> ContributorFilters:
        """Filters from query arguments (a ``MultiDict``, or a plain mapping
        in tests): only known codes are kept, so nothing else (no names, no
        control characters) reaches a query, a link or the audit log."""
        values: dict[str, list[str]] = {}
        for flt in LIST_FILTERS:
            raw = args.getlist(flt.name) if hasattr(args, "getlist") else (
                [args[flt.name]] if args.get(flt.name) else [])
            known = {code for code, _ in flt.choices()}
            chosen = list(dict.fromkeys(v for v in raw if v in known))
            if chosen:
                values[flt.name] = chosen if flt.multiple else chosen[:1]
        return cls(values=values, q=q.strip()[:MAX_SEARCH])

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def as_args(self) -> dict[str, Any]:
        """The filters that may go in a URL (everything but the search text)."""
        return {name: list(v) for name, v in self.values.items()}

    def without(self, name: str, value: str) -> dict[str, list[str]]:
        """URL arguments for these filters with one value taken away."""
        args = self.as_args()
        args[name] = [v for v in args.get(name, []) if v != value]
        return {k: v for k, v in args.items() if v}

    def applied(self) -> list[tuple[ListFilter, str, str]]:
        """(filter, code, label) for every value in use, in table order."""
        out = []
        for flt in LIST_FILTERS:
            labels = dict(flt.choices())
            out += [(flt, code, labels.get(code, code)) for code in self.get(flt.name)]
        return out

    def columns(self) -> list[ListFilter]:
        """The filters in use that bring a column into the results."""
        return [f for f in LIST_FILTERS if f.column and f.name in self.values]

    @property
    def active_count(self) -> int:
        return sum(len(v) for v in self.values.values()) + (1 if self.q else 0)


def filtered(filters: ContributorFilters, today: dt.date | None = None) -> Select[Any]:
    """Contributors matching ``filters``, not anonymised, ordered by name."""
    today = today or dt.date.today()
    stmt = select(Contributor).where(Contributor.anonymised_at.is_(None))
    if filters.q:
        stmt = stmt.where(Contributor.search_text.contains(filters.q.lower(), autoescape=True))
    for flt in LIST_FILTERS:
        if values := filters.get(flt.name):
            stmt = stmt.where(flt.clause(values, today))
    return stmt.order_by(Contributor.full_name, Contributor.id)


def attention_counts(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """How many records need a coordinator's attention, by reason."""
    today = today or dt.date.today()
    live = Contributor.anonymised_at.is_(None)
    return {
        name: session.scalar(select(func.count()).select_from(Contributor).where(
            live, _attention([name], today))) or 0
        for name in ATTENTION_LABELS
    }


def for_list(filters: ContributorFilters) -> Select[Any]:
    """The list page: also loads what each row shows, in one query per kind
    (the columns of the filters in use included)."""
    loads = [selectinload(Contributor.experiences), selectinload(Contributor.consents),
             selectinload(Contributor.key_contact)]
    loads += [selectinload(getattr(Contributor, f.load)) for f in filters.columns() if f.load]
    return filtered(filters).options(*loads)


def column_text(flt: ListFilter, contributor: Contributor, labels: Mapping[str, str]) -> str:
    """What the results column of ``flt`` shows for one person."""
    if flt.name == "attendance":
        modes: dict[str, str] = {str(k): v for k, v in ATTENDANCE_LABELS.items()}
        return modes.get(contributor.attendance_mode, contributor.attendance_mode)
    if flt.name == "day":
        days = dict.fromkeys(s.day for s in contributor.availability)
        return ", ".join(labels.get(d, d) for d in days) or "None given"
    if flt.name == "training":
        codes = [t.course_code for t in contributor.training]
    else:
        # a skill they named themselves has words but no code
        codes = [c.code or getattr(c, "label", None) or "" for c in
                 getattr(contributor, flt.load or "")]
    return ", ".join(labels.get(c, c) for c in dict.fromkeys(codes) if c) or "None recorded"


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
