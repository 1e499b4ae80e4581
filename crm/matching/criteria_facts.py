"""What matching reads about a person, a role and the role's sessions, as
frozen dataclasses, pure, no database: the facts the rules and the score in
``crm.matching.criteria`` judge, loaded by ``crm.matching.ranking_facts``.
A ``Reason`` is one rule not met, or a note, in words.

Only ``PersonFacts`` fields are read about a person. Equality monitoring
answers are not among them, and must never be (domain rules 6).

Sessions: a role's sessions that count are those not cancelled, on or
after ``today`` (``RoleFacts.sessions`` holds only those). Times
are read in UK local time. A session covers each part of the day it
overlaps: morning before 12:00, afternoon before 17:00, evening after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PART_ENDS = (("morning", 12 * 60), ("afternoon", 17 * 60), ("evening", 24 * 60))
ONLINE, IN_PERSON, EITHER = "online", "in_person", "either"


@dataclass(frozen=True)
class Reason:
    """One rule not met (or a note): a stable ``code`` and words for people."""

    code: str
    text: str


@dataclass(frozen=True)
class Completion:
    course: str
    completed_on: dt.date
    expires_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        # Valid on its expiry date itself, as the record page says ("expires today").
        return self.completed_on <= day and (self.expires_on is None or self.expires_on >= day)


@dataclass(frozen=True)
class Interval:
    starts_at: dt.datetime
    ends_at: dt.datetime

    def overlaps(self, other: Interval) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(frozen=True)
class PersonFacts:
    """Everything about a contributor that matching reads (and nothing else).

    ``booked`` are the sessions (not cancelled) of roles they said yes to,
    other than this role; ``current_roles`` counts those roles that are open
    or filled; ``recent_offers`` counts offers made to them in the fairness
    window (not "not this time", not withdrawn by us)."""

    id: int
    name: str = ""
    status: str = "active"
    paused_until: dt.date | None = None
    removal_requested: bool = False
    anonymised: bool = False
    may_contact: bool = True
    experiences: frozenset[str] = frozenset()
    service_kinds: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    slots: frozenset[tuple[str, str]] = frozenset()
    attendance_mode: str = EITHER
    travel_max_miles: int | None = None
    postcode_district: str | None = None
    notice_days: int | None = None
    max_roles_at_once: int | None = None
    adjustments: frozenset[str] = frozenset()
    training: tuple[Completion, ...] = ()
    ward_connections: frozenset[tuple[int, str]] = frozenset()
    booked: tuple[Interval, ...] = ()
    current_roles: int = 0
    recent_offers: int = 0
    has_attended: bool = False
    # "May affect benefits" notes from payments (benefit_notes_for); never a rule.
    benefit_notes: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class SessionFacts:
    starts_at: dt.datetime  # aware, UTC
    minutes: int
    is_online: bool = False
    ward_id: int | None = None
    ward_name: str | None = None
    postcode_district: str | None = None
    room_provides: frozenset[str] = frozenset()

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)

    @property
    def interval(self) -> Interval:
        return Interval(self.starts_at, self.ends_at)

    @property
    def local(self) -> dt.datetime:
        return self.starts_at.astimezone(LONDON)

    @property
    def day(self) -> dt.date:
        return self.local.date()

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.local.weekday()]

    @property
    def parts(self) -> tuple[str, ...]:
        """Parts of the day it overlaps, on the day it starts."""
        start = self.local.hour * 60 + self.local.minute
        end = min(start + self.minutes, 24 * 60)
        out, begin = [], 0
        for part, part_end in PART_ENDS:
            if start < part_end and end > begin:
                out.append(part)
            begin = part_end
        return tuple(out)

    @property
    def slots(self) -> tuple[tuple[str, str], ...]:
        return tuple((self.day_name, p) for p in self.parts)


@dataclass(frozen=True)
class RoleFacts:
    """What a role asks for. ``target_service_kinds`` are what the service
    kinds part of the score compares with: the role's required ones, or
    else its wards'. ``ward_ids`` are the project's and sessions' wards,
    for the conflict rules. ``labels`` turn codes into words."""

    id: int
    mode: str = EITHER
    required_experience: frozenset[str] = frozenset()
    required_service_kinds: frozenset[str] = frozenset()
    required_training: tuple[str, ...] = ()
    desirable_skills: frozenset[str] = frozenset()
    target_service_kinds: frozenset[str] = frozenset()
    # The rate card tier of its fee (None when unpaid): payments' notes read it.
    fee_tier: str | None = None
    conflict_rules: tuple[str, ...] = ()
    ward_ids: frozenset[int] = frozenset()
    ward_names: dict[int, str] = field(default_factory=dict)
    sessions: tuple[SessionFacts, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, code: str) -> str:
        return self.labels.get(code, code.replace("_", " "))

    def ways(self, s: SessionFacts) -> frozenset[str]:
        """How one can take part in a session: online, in person, or both
        (a role open to either way, at a place)."""
        if s.is_online or self.mode == ONLINE:
            return frozenset({ONLINE})
        if self.mode == EITHER:
            return frozenset({ONLINE, IN_PERSON})
        return frozenset({IN_PERSON})

    def goes_in_person(self, s: SessionFacts, attendance_mode: str) -> bool:
        """Whether someone with this preference would travel to the session."""
        ways = self.ways(s)
        return IN_PERSON in ways and (ONLINE not in ways or attendance_mode == IN_PERSON)

    @property
    def session_days(self) -> tuple[dt.date, ...]:
        return tuple(sorted({s.day for s in self.sessions}))

    @property
    def needed_slots(self) -> frozenset[tuple[str, str]]:
        return frozenset(slot for s in self.sessions for slot in s.slots)
