"""Two people say yes to the last place at the same moment: one gets it,
the other goes on the waiting list, and the role is never overbooked.

Run on PostgreSQL (``--db=postgresql``), where the two transactions really
overlap and the role's row lock makes the second wait; on SQLite it runs
too, and the one-writer lock serialises them."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import get_db
from crm.matching import offer_replies
from crm.matching.models import Offer, OfferStatus
from crm.permissions import Role
from crm.projects.models import RoleOpening
from tests.factories import consent, make_contributor, make_user
from tests.project_factories import make_offer, make_role

S = OfferStatus


def at_once(app: Flask, work: list[Callable[[Session], None]]) -> list[BaseException]:
    """Run each piece of work in its own thread and session, all starting
    together; commit each. Returns the errors raised."""
    engine = get_db(app).engine
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[Session], None]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                barrier.wait(timeout=10)
                job(session)
                session.commit()
            except BaseException as error:  # reported to the test
                session.rollback()
                errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.parametrize("places", [1, 3])
def test_two_yeses_for_the_last_place_at_once(app: Flask, db: Session, places: int) -> None:
    staff = make_user(db, Role.COORDINATOR)
    role = make_role(db, places=places)
    for _ in range(places - 1):  # all but one place already taken
        make_offer(db, role, make_contributor(db, consents=[consent()]), S.ACCEPTED)
    ids = [make_offer(db, role, make_contributor(db, consents=[consent()])).id
           for _ in range(2)]

    def yes(offer_id: int) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            offer = session.get_one(Offer, offer_id)
            offer_replies.answer(session, session.merge(staff, load=False), offer, "yes")
        return job

    assert at_once(app, [yes(i) for i in ids]) == []
    db.expire_all()
    mine = db.scalars(select(Offer).where(Offer.id.in_(ids)).order_by(Offer.id)).all()
    assert sorted(o.status for o in mine) == ["accepted", "waiting"]
    winner = next(o for o in mine if o.status == "accepted")
    loser = next(o for o in mine if o.status == "waiting")
    assert winner.place_no == places and loser.place_no is None
    assert loser.waiting_position == 1
    held = db.scalars(select(Offer.place_no).where(Offer.role_id == role.id,
                                                   Offer.status == "accepted")).all()
    assert sorted(held) == list(range(1, places + 1))
    assert db.get_one(RoleOpening, role.id).status == "filled"


def test_the_same_offer_answered_twice_at_once_is_answered_once(app: Flask, db: Session) -> None:
    """A coordinator recording "yes" while the person says "no": one wins,
    the other is told the offer changed."""
    staff = make_user(db, Role.COORDINATOR)
    role = make_role(db, places=2)
    offer_id = make_offer(db, role, make_contributor(db, consents=[consent()])).id

    def reply(word: str) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            offer = session.get_one(Offer, offer_id)
            offer_replies.answer(session, session.merge(staff, load=False), offer, word)
        return job

    errors = at_once(app, [reply("yes"), reply("no")])
    assert len(errors) == 1
    db.expire_all()
    offer = db.get_one(Offer, offer_id)
    assert offer.status in ("accepted", "declined")
    assert (offer.place_no is not None) == (offer.status == "accepted")
