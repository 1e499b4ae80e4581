"""Rules for roles on projects and their sessions.

A role's status moves only along ``ROLE_TRANSITIONS``, one audited step at a
time, and cannot open without a session that is not cancelled (people must
know when it is). Session times are typed in UK local time and stored in
UTC; every change to a session bumps its ``sequence`` (for calendar updates)
and a session is cancelled, never deleted, so attendance and offers keep
what they refer to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import diff, record
from crm.contributors.models import ExperienceKind
from crm.projects.models import (
    ROLE_STATUS_LABELS,
    ROLE_TRANSITIONS,
    ConflictRule,
    Project,
    RoleMode,
    RoleOpening,
    RoleSession,
    RoleStatus,
    Ward,
)
from crm.projects.services import EditConflict, ProjectError, check_version, clean, codes, required
from crm.reference import reference

LONDON = ZoneInfo("Europe/London")
UNPAID = "unpaid"
MAX_PLACES = 500
MAX_MINUTES = 24 * 60


# Payments (a layer above) registers where the fee tiers come from: the rate
# card in force today, as [(code, words)] cheapest first. Without it (or if
# it has none), the distinct typical rates of the roles catalogue.
FeeTierSource = Callable[[], list[tuple[str, str]]]
_fee_tier_sources: list[FeeTierSource] = []


def register_fee_tiers(source: FeeTierSource) -> None:
    if source not in _fee_tier_sources:
        _fee_tier_sources.append(source)


def catalogue_fee_tier_codes() -> list[str]:
    """The distinct typical rates of the roles catalogue, in its order."""
    found = (i.extra.get("typical_rate_code") for i in reference().involvement_roles.items)
    return list(dict.fromkeys(str(c) for c in found if c))


def fee_tiers() -> list[tuple[str, str]]:
    """(code, words) of each fee tier a role may have; every tier the roles
    catalogue names is there."""
    tiers: dict[str, str] = {}
    for source in _fee_tier_sources:
        tiers.update(source())
    for code in catalogue_fee_tier_codes():
        tiers.setdefault(code, code.replace("tier_", "Tier ").replace("_", " "))
    return list(tiers.items())


def fee_tier_codes() -> list[str]:
    return [code for code, _words in fee_tiers()]


def fee_tier_label(code: str | None) -> str:
    """A role's fee tier in words ("Unpaid" when it has none)."""
    if not code or code == UNPAID:
        return "Unpaid"
    return dict(fee_tiers()).get(code, code.replace("tier_", "Tier ").replace("_", " "))


def default_fee_tier(kind: str) -> str:
    """The usual fee tier for a kind of role, or "unpaid"."""
    item = reference().involvement_roles.get(kind)
    code = item.extra.get("typical_rate_code") if item else None
    return str(code) if code else UNPAID


# ---------------------------------------------------------------- roles


@dataclass
class RoleInput:
    title: str
    kind: str
    level: str
    places: int | None = 1
    fee_tier: str = UNPAID
    required_experience: Sequence[str] = field(default_factory=list)
    required_service_kinds: Sequence[str] = field(default_factory=list)
    required_training: Sequence[str] = field(default_factory=list)
    desirable_skills: Sequence[str] = field(default_factory=list)
    mode: str = RoleMode.EITHER.value
    conflict_rules: Sequence[str] = field(default_factory=list)
    closes_on: dt.date | None = None
    description: str | None = None
    easy_read_description: str | None = None


def _role_values(data: RoleInput) -> dict[str, Any]:
    ref = reference()
    if data.kind not in ref.involvement_roles.codes:
        raise ProjectError("Select the kind of role", "kind")
    if data.level not in ref.involvement_levels.codes:
        raise ProjectError("Select the involvement level", "level")
    if data.places is None or not 1 <= data.places <= MAX_PLACES:
        raise ProjectError(f"Places must be a whole number from 1 to {MAX_PLACES}", "places")
    if data.fee_tier != UNPAID and data.fee_tier not in fee_tier_codes():
        raise ProjectError("Select a fee tier, or unpaid", "fee_tier")
    if data.mode not in {m.value for m in RoleMode}:
        raise ProjectError("Select online, in person or either", "mode")
    return {
        "title": required(data.title, 200, "title", "Title", "Enter the role's title"),
        "kind": data.kind, "level": data.level, "places": data.places,
        "fee_tier": None if data.fee_tier == UNPAID else data.fee_tier,
        "required_experience": codes(data.required_experience,
                                     [k.value for k in ExperienceKind], "required_experience"),
        "required_service_kinds": codes(data.required_service_kinds, ref.service_kinds.codes,
                                        "required_service_kinds"),
        "required_training": codes(data.required_training, ref.training.codes,
                                   "required_training"),
        "desirable_skills": codes(data.desirable_skills, ref.skills.codes, "desirable_skills"),
        "mode": data.mode,
        "conflict_rules": codes(data.conflict_rules, [c.value for c in ConflictRule],
                                "conflict_rules"),
        "closes_on": data.closes_on,
        "description": clean(data.description, 5000, "description", "Description"),
        "easy_read_description": clean(data.easy_read_description, 3000,
                                       "easy_read_description", "Easy Read description"),
    }


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def create_role(session: Session, actor: User, project: Project, data: RoleInput) -> RoleOpening:
    """Add a draft role to ``project``. Raises ProjectError."""
    role = RoleOpening(project=project, status=RoleStatus.DRAFT.value, **_role_values(data))
    session.add(role)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.ROLE, entity_id=role.id, actor=actor,
           summary=f"Added a role to project {project.id}")
    return role


def update_role(session: Session, actor: User, role: RoleOpening, expected_version: int | None,
                data: RoleInput) -> None:
    """Change a role's details (not its status). Raises EditConflict, ProjectError."""
    check_version(role.version, expected_version)
    values = _role_values(data)
    before = _audit_values({k: getattr(role, k) for k in values})
    for key, value in values.items():
        setattr(role, key, value)
    session.flush()
    changes = diff(before, _audit_values(values))
    if changes:
        record(session, Action.UPDATE, entity_type=EntityType.ROLE, entity_id=role.id,
               actor=actor, changes=changes, summary="Changed a role")


def next_statuses(role: RoleOpening) -> list[RoleStatus]:
    """Where ``role`` may go from here, in the ladder's order."""
    allowed = ROLE_TRANSITIONS[RoleStatus(role.status)]
    return [s for s in RoleStatus if s in allowed]


NO_SESSION = "Add at least one session before opening the role, so people know when it is"


def change_role_status(session: Session, actor: User, role: RoleOpening,
                       expected_version: int | None, new_status: str) -> None:
    """Move ``role`` one step along ROLE_TRANSITIONS, audited.

    Raises ProjectError for a step not allowed (or opening with no session
    that is not cancelled), EditConflict for a stale page.
    """
    check_version(role.version, expected_version)
    try:
        target = RoleStatus(new_status)
    except ValueError:
        raise ProjectError("Choose a status from the buttons", "status") from None
    if target not in ROLE_TRANSITIONS[RoleStatus(role.status)]:
        raise ProjectError(
            f"A role that is {ROLE_STATUS_LABELS[RoleStatus(role.status)].lower()} cannot be "
            f"made {ROLE_STATUS_LABELS[target].lower()}", "status")
    if target == RoleStatus.OPEN and not any(not s.is_cancelled for s in role.sessions):
        raise ProjectError(NO_SESSION, "status")
    old = role.status
    role.status = target.value
    session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.ROLE, entity_id=role.id, actor=actor,
           changes={"status": {"old": old, "new": target.value}},
           summary=f"Role made {ROLE_STATUS_LABELS[target].lower()}")


# ---------------------------------------------------------------- sessions


class PlaceKind:
    WARD = "ward"
    VENUE = "venue"
    ONLINE = "online"


@dataclass
class SessionInput:
    day: dt.date | None
    start: dt.time | None
    minutes: int | None
    place: str = PlaceKind.WARD
    ward_id: int | None = None
    venue: str | None = None
    papers_ready_on: dt.date | None = None


def to_utc(day: dt.date, start: dt.time) -> dt.datetime:
    """A UK local date and time as UTC (British Summer Time taken into account)."""
    return dt.datetime.combine(day, start, tzinfo=LONDON).astimezone(dt.UTC)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LONDON)


def _session_values(session: Session, data: SessionInput) -> dict[str, Any]:
    if data.day is None:
        raise ProjectError("Enter the date of the session", "day")
    if data.start is None:
        raise ProjectError("Enter the start time, like 10:00 or 2:30pm", "start")
    if data.minutes is None or not 1 <= data.minutes <= MAX_MINUTES:
        raise ProjectError("Enter how long the session is, up to 24 hours", "minutes")
    ward_id: int | None = None
    venue: str | None = None
    if data.place == PlaceKind.WARD:
        if data.ward_id is None or session.get(Ward, data.ward_id) is None:
            raise ProjectError("Select the ward whose room it is in", "ward_id")
        ward_id = data.ward_id
    elif data.place == PlaceKind.VENUE:
        venue = required(data.venue, 300, "venue", "Venue", "Enter where the session is")
    elif data.place != PlaceKind.ONLINE:
        raise ProjectError("Select where the session is", "place")
    if data.papers_ready_on and data.papers_ready_on > data.day:
        raise ProjectError("Papers must be ready on or before the day of the session",
                           "papers_ready_on")
    return {"starts_at": to_utc(data.day, data.start), "minutes": data.minutes,
            "ward_id": ward_id, "venue": venue, "is_online": data.place == PlaceKind.ONLINE,
            "papers_ready_on": data.papers_ready_on}


def outside_project_dates(project: Project, day: dt.date) -> tuple[str, dt.date] | None:
    """For a session day before the project starts or after it ends: which
    ("starts" or "ends") and the project's date; else None. The views warn,
    not refuse: project dates are often a plan, and a planning meeting or a
    pre-meet can fall just outside them."""
    if project.starts_on and day < project.starts_on:
        return "starts", project.starts_on
    if project.ends_on and day > project.ends_on:
        return "ends", project.ends_on
    return None


# What a change to a session means to the people confirmed for it.
_TOLD = {"starts_at": "starts_at", "minutes": "minutes", "ward_id": "place", "venue": "place",
         "is_online": "place", "papers_ready_on": "papers_ready_on"}


def _session_audit(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def add_session(session: Session, actor: User, role: RoleOpening,
                data: SessionInput, *, now: dt.datetime | None = None) -> RoleSession:
    """Add a session to ``role``. Raises ProjectError, and refuses a new
    session that starts before ``now`` (a typing slip: nobody can be
    offered, reminded or ready for it). Changing a session that has
    happened may keep its date (``update_session``)."""
    values = _session_values(session, data)
    now = now or dt.datetime.now(dt.UTC)
    if values["starts_at"] < now:
        if data.day is not None and data.day < local(now).date():
            raise ProjectError("The date of a new session must be today or in the future", "day")
        raise ProjectError("That time today has passed: a new session must start later "
                           "than now", "start")
    row = RoleSession(role=role, **values)
    session.add(row)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.SESSION, entity_id=row.id,
           actor=actor, summary=f"Added a session to role {role.id}")
    return row


def update_session(session: Session, actor: User, row: RoleSession, expected_sequence: int | None,
                   data: SessionInput) -> None:
    """Change a session, bumping its sequence. Raises EditConflict,
    ProjectError (and refuses a cancelled session)."""
    check_version(row.sequence, expected_sequence)
    if row.is_cancelled:
        raise ProjectError("This session has been cancelled and cannot be changed", "day")
    values = _session_values(session, data)
    before = _session_audit({k: getattr(row, k) for k in values})
    for key, value in values.items():
        setattr(row, key, value)
    changes = diff(before, _session_audit(values))
    if changes:
        row.sequence += 1
        session.flush()
        record(session, Action.UPDATE, entity_type=EntityType.SESSION, entity_id=row.id,
               actor=actor, changes=changes, summary="Changed a session")
        told = sorted({_TOLD.get(name, name) for name in changes} & set(_TOLD.values()))
        if told:  # matching tells everyone confirmed (crm.matching.session_messages)
            hooks.session_changed.send(session, role_session=row, actor=actor, changed=told)


def cancel_session(session: Session, actor: User, row: RoleSession,
                   expected_sequence: int | None) -> None:
    """Mark a session cancelled (kept, never deleted). Raises EditConflict,
    ProjectError when it was already cancelled."""
    check_version(row.sequence, expected_sequence)
    if row.is_cancelled:
        raise ProjectError("This session has already been cancelled")
    row.is_cancelled = True
    row.sequence += 1
    session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.SESSION, entity_id=row.id,
           actor=actor, changes={"is_cancelled": {"old": False, "new": True}},
           summary="Cancelled a session")
    hooks.session_changed.send(session, role_session=row, actor=actor, changed=["cancelled"])


__all__ = ["NO_SESSION", "UNPAID", "EditConflict", "PlaceKind", "ProjectError", "RoleInput",
           "SessionInput", "add_session", "cancel_session", "change_role_status", "create_role",
           "catalogue_fee_tier_codes", "default_fee_tier", "fee_tier_codes", "fee_tier_label",
           "fee_tiers", "register_fee_tiers", "local", "next_statuses",
           "outside_project_dates", "to_utc",
           "update_role", "update_session"]
