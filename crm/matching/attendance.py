"""Recording what happened at a session for each person who said yes to
its role: attended, did not attend, cancelled by us, left early.

One ``Attendance`` row per session and person. Each row's ``version`` is
sent with the page; a save made from a page loaded before someone else
saved is refused whole (``StaleAttendance``), so nobody's record is
overwritten unseen. A session that has not started yet cannot have
attendance. This feeds the fairness part of matching and, later, fees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching.models import Offer, OfferStatus
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS, Attendance, RoleSession

OUTCOMES = frozenset(o.value for o in ATTENDANCE_OUTCOME_LABELS)
NOT_YET = ("This session has not started yet. You can record attendance once it has "
           "started.")
CANCELLED = "This session was cancelled, so there is no attendance to record."


class AttendanceError(Exception):
    """A rule was broken. ``contributor_id`` names the person's answer it
    belongs to, or None for the whole page."""

    def __init__(self, message: str, contributor_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.contributor_id = contributor_id


class StaleAttendance(Exception):
    """Someone saved attendance for this session after the page was loaded."""


@dataclass(frozen=True)
class Line:
    """One person who said yes, and what is recorded for them (if anything)."""

    contributor: Contributor
    attendance: Attendance | None

    @property
    def version(self) -> int:
        return self.attendance.version if self.attendance else 0


def sheet(session: Session, role_session: RoleSession) -> list[Line]:
    """Everyone with an accepted offer on the session's role, by name, with
    their attendance at this session: one query however many people."""
    rows = session.execute(
        select(Contributor, Attendance)
        .join(Offer, and_(Offer.contributor_id == Contributor.id,
                          Offer.role_id == role_session.role_id,
                          Offer.status == OfferStatus.ACCEPTED.value))
        .outerjoin(Attendance, and_(Attendance.contributor_id == Contributor.id,
                                    Attendance.session_id == role_session.id))
        .order_by(Contributor.full_name, Contributor.id))
    return [Line(c, a) for c, a in rows]


def may_record(role_session: RoleSession, now: dt.datetime | None = None) -> str | None:
    """Why attendance cannot be recorded for the session now, or None."""
    if role_session.is_cancelled:
        return CANCELLED
    if role_session.starts_at > (now or utcnow()):
        return NOT_YET
    return None


def record_attendance(session: Session, actor: User, role_session: RoleSession,
                      outcomes: Mapping[int, str], versions: Mapping[int, int],
                      now: dt.datetime | None = None) -> int:
    """Save the chosen outcome for each person in ``outcomes`` (contributor
    id to outcome); people with no answer are left as they are.

    ``versions`` holds, per person, the version of their row the page showed
    (0 for none). Raises AttendanceError (session not started or cancelled,
    an outcome not in the list, someone without an accepted offer) and
    StaleAttendance, both before changing anything. Returns how many
    answers changed; audits ATTENDANCE_RECORDED on the session.
    """
    now = now or utcnow()
    reason = may_record(role_session, now)
    if reason:
        raise AttendanceError(reason)
    lines = {line.contributor.id: line for line in sheet(session, role_session)}
    for contributor_id, outcome in outcomes.items():
        if contributor_id not in lines:
            raise AttendanceError("This person has not said yes to the role", contributor_id)
        if outcome not in OUTCOMES:
            raise AttendanceError("Select what happened", contributor_id)
    if any(versions.get(cid, 0) != line.version for cid, line in lines.items()):
        raise StaleAttendance()
    changes: dict[str, dict[str, str | None]] = {}
    for contributor_id, outcome in outcomes.items():
        row = lines[contributor_id].attendance
        if row is not None and row.outcome == outcome:
            continue
        changes[f"contributor {contributor_id}"] = {"old": row.outcome if row else None,
                                                    "new": outcome}
        if row is None:
            session.add(Attendance(session_id=role_session.id, contributor_id=contributor_id,
                                   outcome=outcome, recorded_by_id=actor.id, recorded_at=now))
        else:
            row.outcome = outcome
            row.recorded_by_id = actor.id
            row.recorded_at = now
    if changes:
        session.flush()
        record(session, Action.ATTENDANCE_RECORDED, entity_type=EntityType.SESSION,
               entity_id=role_session.id, actor=actor, changes=changes,
               summary=f"Recorded attendance for {len(changes)} "
                       f"{'person' if len(changes) == 1 else 'people'}")
        changed = {cid: outcome for cid, outcome in outcomes.items()
                   if f"contributor {cid}" in changes}
        hooks.attendance_recorded.send(session, role_session=role_session, actor=actor,
                                       outcomes=changed)
    return len(changes)
