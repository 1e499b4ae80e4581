"""Matching's and projects' part in the duties in crm.hooks: a person's
offers, roles, attendance, interest and ward connections are in their own
data download, and when their record is anonymised what they wrote (a
question about an offer) and where they are an inpatient go; attendance and
offers stay, without words, for counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm import hooks
from crm.matching import session_messages as _session_messages  # noqa: F401 (connects it)
from crm.matching.models import OFFER_STATUS_LABELS, Offer, OfferStatus, RoleInterest
from crm.projects.models import (
    ATTENDANCE_OUTCOME_LABELS,
    Attendance,
    AttendanceOutcome,
    RoleOpening,
    RoleSession,
    Ward,
    WardConnection,
)


@hooks.personal_data_requested.connect
def _roles_for_download(session: Session, *, contributor_id: int, **_: Any) -> dict[str, Any]:
    offers = session.execute(
        select(Offer, RoleOpening.title).join(RoleOpening, RoleOpening.id == Offer.role_id)
        .where(Offer.contributor_id == contributor_id).order_by(Offer.id)).all()
    attended = session.execute(
        select(Attendance.outcome, RoleSession.starts_at, RoleOpening.title)
        .join(RoleSession, RoleSession.id == Attendance.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(Attendance.contributor_id == contributor_id)
        .order_by(RoleSession.starts_at)).all()
    interested = session.scalars(
        select(RoleOpening.title).join(RoleInterest, RoleInterest.role_id == RoleOpening.id)
        .where(RoleInterest.contributor_id == contributor_id)).all()
    wards = session.execute(
        select(Ward.name, WardConnection.kind, WardConnection.noted_on)
        .join(Ward, Ward.id == WardConnection.ward_id)
        .where(WardConnection.contributor_id == contributor_id)).all()
    return {
        "offers_of_roles": [{
            "role": title, "status": OFFER_STATUS_LABELS[OfferStatus(o.status)],
            "offered_at": o.offered_at, "answered_at": o.answered_at,
            "your_question": o.question} for o, title in offers],
        "sessions_attended": [{
            "role": title, "session_at": starts_at,
            "what_happened": ATTENDANCE_OUTCOME_LABELS[AttendanceOutcome(outcome)]}
            for outcome, starts_at, title in attended],
        "roles_you_were_interested_in": list(interested),
        "ward_connections": [{"ward": name, "kind": kind, "noted_on": noted}
                             for name, kind, noted in wards],
    }


@hooks.person_anonymised.connect
def _scrub_roles(session: Session, *, contributor_id: int, **_: Any) -> None:
    session.execute(update(Offer).where(Offer.contributor_id == contributor_id)
                    .values(question=None))
    session.execute(delete(RoleInterest).where(RoleInterest.contributor_id == contributor_id))
    session.execute(delete(WardConnection).where(WardConnection.contributor_id == contributor_id))
