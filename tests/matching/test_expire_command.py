"""The daily command that expires offers past their role's closing date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.matching.models import Offer, OfferStatus
from tests.factories import make_contributor
from tests.project_factories import make_offer, make_role


def test_offers_expire_marks_only_offers_past_the_closing_date(app, db) -> None:
    closed = make_role(db, closes_on=dt.date.today() - dt.timedelta(days=1))
    still_open = make_role(db, closes_on=dt.date.today() + dt.timedelta(days=5))
    late = make_offer(db, closed, make_contributor(db), expires_on=closed.closes_on)
    waiting = make_offer(db, closed, make_contributor(db), OfferStatus.WAITING,
                         expires_on=closed.closes_on, waiting_position=1)
    in_time = make_offer(db, still_open, make_contributor(db), expires_on=still_open.closes_on)
    said_yes = make_offer(db, closed, make_contributor(db), OfferStatus.ACCEPTED,
                          expires_on=closed.closes_on)
    result = app.test_cli_runner().invoke(args=["offers", "expire"])
    assert result.exit_code == 0 and "2 offers expired." in result.output
    db.expire_all()
    status = {o.id: o.status for o in db.scalars(select(Offer))}
    assert status[late.id] == status[waiting.id] == OfferStatus.EXPIRED.value
    assert status[in_time.id] == OfferStatus.OFFERED.value
    assert status[said_yes.id] == OfferStatus.ACCEPTED.value
    again = app.test_cli_runner().invoke(args=["offers", "expire"])
    assert "0 offers expired." in again.output
