"""Demo meetings data: "you said, we did" entries on the demo projects, the
papers ticked on the next sessions' checklists, and check-ins and a further
thought on sessions already held (the demo contributor's among them, so
their own pages have something to show). Synthetic; caller commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.matching.models import Offer, OfferStatus
from crm.meetings.models import ChecklistTick, FurtherThought, SessionSupport, YouSaidWeDid
from crm.projects.models import Attendance, Project, RoleSession

LOG = [
    ("Evenings on the ward are long and there is little to do.",
     "We started a film night every Friday, chosen by the people on the ward.",
     "Evenings are boring.", "Now there is a film every Friday."),
    ("Meeting papers arrive too late to read them properly.",
     "Papers now go out at least a week before every meeting, in Easy Read too.",
     "Papers come too late.", "Now papers come a week before."),
    ("It is hard to find the quiet room during meetings.", None,
     "I cannot find the quiet room.", None),
]


def load_meetings(session: Session, today: dt.date, *, coordinator_id: int) -> int:
    """Returns how many rows were added."""
    added = 0
    projects = list(session.scalars(select(Project).order_by(Project.id).limit(3)))
    for n, project in enumerate(projects):
        for k, (said, did, easy_said, easy_did) in enumerate(LOG):
            raised = today - dt.timedelta(days=60 - 10 * k + n)
            session.add(YouSaidWeDid(
                project_id=project.id, raised_on=raised, you_said=said, we_did=did,
                done_on=raised + dt.timedelta(days=14) if did else None,
                easy_read_you_said=easy_said, easy_read_we_did=easy_did,
                updated_by_id=coordinator_id))
            added += 1
    now = utcnow()
    booked = select(Offer.role_id).where(Offer.status == OfferStatus.ACCEPTED.value)
    for row in session.scalars(select(RoleSession).where(
            RoleSession.starts_at >= now, RoleSession.is_cancelled.is_(False),
            RoleSession.role_id.in_(booked)).order_by(RoleSession.starts_at).limit(3)):
        session.add(ChecklistTick(session_id=row.id, item_key="papers",
                                  arranged_by_id=coordinator_id, arranged_at=now))
        added += 1
    held = session.execute(
        select(Attendance.session_id, Attendance.contributor_id)
        .join(RoleSession, RoleSession.id == Attendance.session_id)
        .where(Attendance.outcome == "attended", RoleSession.starts_at < now)
        .order_by(RoleSession.starts_at.desc(), Attendance.id).limit(12)).all()
    for i, (session_id, contributor_id) in enumerate(held):
        session.add(SessionSupport(session_id=session_id, contributor_id=contributor_id,
                                   kind="check_in", status=("done", "offered", "declined",
                                                            "follow_up")[i % 4],
                                   recorded_by_id=coordinator_id, recorded_at=now))
        added += 1
    if held:
        session.add(FurtherThought(session_id=held[0][0], contributor_id=held[0][1],
                                   body="I thought of something after: could we try a "
                                        "shorter agenda with a break in the middle?",
                                   created_at=now))
        added += 1
    session.flush()
    return added
