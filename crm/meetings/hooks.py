"""Meetings' part in the duties in crm.hooks: a person's pre-meets and
check-ins, further thoughts and calendar feed are in their own data
download; anonymising removes what they wrote (thoughts), any note kept
with their agreement, the checklist items done for them by name, and their
calendar feed (its address stops working). The facts of pre-meets and
check-ins stay, without notes, for counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm import hooks
from crm.meetings.models import (
    SUPPORT_KIND_LABELS,
    SUPPORT_STATUS_LABELS,
    CalendarFeed,
    ChecklistTick,
    FurtherThought,
    SessionSupport,
    SupportKind,
    SupportStatus,
)
from crm.projects.models import RoleOpening, RoleSession


@hooks.personal_data_requested.connect
def _meetings_for_download(session: Session, *, contributor_id: int,
                           **_: Any) -> dict[str, Any]:
    supports = session.execute(
        select(SessionSupport, RoleSession.starts_at, RoleOpening.title)
        .join(RoleSession, RoleSession.id == SessionSupport.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(SessionSupport.contributor_id == contributor_id)
        .order_by(RoleSession.starts_at, SessionSupport.id)).all()
    thoughts = session.execute(
        select(FurtherThought, RoleSession.starts_at, RoleOpening.title)
        .join(RoleSession, RoleSession.id == FurtherThought.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(FurtherThought.contributor_id == contributor_id)
        .order_by(FurtherThought.created_at, FurtherThought.id)).all()
    feed = session.get(CalendarFeed, contributor_id)
    return {
        "pre_meets_and_check_ins": [{
            "role": title, "session_at": starts_at,
            "what": SUPPORT_KIND_LABELS[SupportKind(s.kind)],
            "status": SUPPORT_STATUS_LABELS[SupportStatus(s.status)],
            "note_you_agreed_to": s.note} for s, starts_at, title in supports],
        "your_further_thoughts": [{"role": title, "session_at": starts_at,
                                   "written_at": t.created_at, "your_words": t.body}
                                  for t, starts_at, title in thoughts],
        "calendar_feed": ({"turned_on_at": feed.created_at, "address_reset_at": feed.reset_at}
                          if feed else None),
    }


@hooks.person_anonymised.connect
def _scrub_meetings(session: Session, *, contributor_id: int, **_: Any) -> None:
    session.execute(delete(FurtherThought).where(FurtherThought.contributor_id == contributor_id))
    session.execute(delete(CalendarFeed).where(CalendarFeed.contributor_id == contributor_id))
    session.execute(delete(ChecklistTick).where(ChecklistTick.contributor_id == contributor_id))
    session.execute(update(SessionSupport).where(SessionSupport.contributor_id == contributor_id)
                    .values(note=None, note_agreed=False))
