"""A session with three confirmed people with different needs, for the
meetings tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.matching.models import OfferStatus
from crm.permissions import Role
from crm.projects.models import RoleSession
from tests.factories import (
    adjustment,
    communication,
    make_contributor,
    make_signed_up_contributor,
    make_user,
    support,
)
from tests.project_factories import make_offer, make_project, make_role, make_ward, role_session


@dataclass
class Meeting:
    coordinator: User
    row: RoleSession
    asha: tuple[User, Contributor]  # Easy Read, quiet room, 10 days' notice
    ben: Contributor  # BSL, step-free (the room has it), through a supporter
    cara: Contributor  # breaks, fidget items, a pre-meet


def make_meeting(db: Session, starts_at: dt.datetime | None = None) -> Meeting:
    starts_at = starts_at or dt.datetime(2027, 3, 10, 10, 0, tzinfo=dt.UTC)
    ward = make_ward(db, "Aire Ward", site="Oak House", room_provides=["step_free_access"])
    project = make_project(db, "Calmer evenings", wards=[ward])
    role = make_role(db, project, title="Project team member", places=3,
                     sessions=[role_session(starts_at, 120, ward_id=ward.id)])
    asha = make_signed_up_contributor(db, "Asha Patel")
    asha[1].adjustments = [adjustment("easy_read"), adjustment("quiet_room")]
    asha[1].communication = communication(information_format="easy_read", papers_days_before=10)
    ben = make_contributor(db, full_name="Ben Okafor", adjustments=[
        adjustment("bsl_interpreter"), adjustment("step_free_access")],
        communication=communication(via_supporter=True, supporter_name="Sam Okafor",
                                    papers_days_before=5))
    cara = make_contributor(db, full_name="Cara Lewis", adjustments=[
        adjustment("regular_breaks"), adjustment("fidget_toys"), adjustment("pre_meet")],
        support=[support("pre_meets_and_debriefs")])
    db.commit()
    for person in (asha[1], ben, cara):
        make_offer(db, role, person, OfferStatus.ACCEPTED)
    return Meeting(coordinator=make_user(db, Role.COORDINATOR, name="Kim Coordinator"),
                   row=role.sessions[0], asha=asha, ben=ben, cara=cara)
