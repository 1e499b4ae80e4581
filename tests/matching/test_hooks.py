"""A person's offers, attendance, interest and ward connections are in their
own data download, and go (or lose their words) on anonymisation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.contributors.removal import anonymise
from crm.db import utcnow
from crm.hooks import personal_data_everywhere
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.permissions import Role
from crm.projects.models import Attendance, WardConnection
from tests.factories import make_signed_up_contributor, make_user
from tests.project_factories import (
    make_attendance,
    make_offer,
    make_role,
    make_ward,
    role_session,
)


def arrange(db):  # type: ignore[no-untyped-def]
    user, person = make_signed_up_contributor(db)
    ward = make_ward(db, "Aspen Ward")
    role = make_role(db, title="Menu panel",
                     sessions=[role_session(utcnow() - dt.timedelta(days=2))])
    make_offer(db, role, person, OfferStatus.ACCEPTED, question="Is there a lift?")
    make_attendance(db, role.sessions[0], person, "left_early")
    db.add(RoleInterest(role_id=make_role(db, title="Food group").id, contributor_id=person.id))
    db.add(WardConnection(contributor_id=person.id, ward_id=ward.id, kind="inpatient_now",
                          noted_on=dt.date(2026, 11, 1)))
    db.commit()
    return user, person


def test_the_data_download_holds_their_roles(app, db) -> None:
    user, person = arrange(db)
    with app.app_context():
        data = personal_data_everywhere(db, person.id, user.id)
    assert data["offers_of_roles"][0]["role"] == "Menu panel"
    assert data["offers_of_roles"][0]["status"] == "Said yes"
    assert data["offers_of_roles"][0]["your_question"] == "Is there a lift?"
    assert data["sessions_attended"][0]["what_happened"] == "Left early"
    assert data["roles_you_were_interested_in"] == ["Food group"]
    assert data["ward_connections"][0]["ward"] == "Aspen Ward"


def test_anonymising_removes_their_words_and_ward_connections(app, db) -> None:
    _user, person = arrange(db)
    with app.app_context():
        anonymise(db, make_user(db, Role.COORDINATOR), person)
        db.commit()
    assert db.scalar(select(Offer.question)) is None
    assert db.scalars(select(RoleInterest)).all() == []
    assert db.scalars(select(WardConnection)).all() == []
    assert len(db.scalars(select(Attendance)).all()) == 1  # kept, for counts
