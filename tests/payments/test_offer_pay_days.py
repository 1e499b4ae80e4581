"""Where a benefit warning names a pay week, the person is told the day each
fee is expected to be paid, so they can see why a January session counts in
a February week (walk finding 11): on the offer's fee list and in the
schedule, in both versions; never for a fee they chose not to be paid."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.payments.choice_models import BenefitRecord, PaymentChoice
from crm.payments.schedule_queries import offer_money
from tests.factories import log_in, make_signed_up_contributor
from tests.project_factories import make_offer, make_role, role_session
from tests.selfservice.test_roles import text_of


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


@pytest.fixture
def kit(db: Session):  # type: ignore[no-untyped-def]
    """A person on Carer's Allowance and a paid role over the weekly limit."""
    user, me = make_signed_up_contributor(db, "Kit Example")
    db.add(BenefitRecord(contributor_id=me.id, benefits=["carers_allowance"], week_day=0))
    role = make_role(db, title="Night checks reviewer", fee_tier="tier_300",
                     sessions=[role_session(at(london_today() + dt.timedelta(days=20)))])
    db.commit()
    return user, me, role


@pytest.mark.parametrize(("easy", "sentence"), [
    (False, "We expect to pay it on or about {}."),
    (True, "We plan to pay you on or about {}."),
])
def test_the_offer_says_the_day_each_fee_is_paid_before_the_warning(
        client: FlaskClient, db: Session, kit, easy: bool, sentence: str) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    me.prefers_easy_read = easy
    db.commit()
    pay_on = offer_money(db, me.id, role, london_today()).sessions[0].pay_on
    assert pay_on > role.sessions[0].starts_at.date()  # paid later than the session
    offer = make_offer(db, role, me)
    log_in(client, user)
    words = text_of(client.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    told = sentence.format(day(pay_on))
    assert told in words
    warning = "This could affect your benefits" if easy else "This fee could affect your benefits"
    assert warning in words and words.index(told) < words.index(warning)


def test_no_day_for_a_fee_they_chose_not_to_be_paid(client: FlaskClient, db: Session,
                                                    kit) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    db.add(PaymentChoice(contributor_id=me.id, fee_mode="decline", chosen_days=[]))
    db.commit()
    offer = make_offer(db, role, me)
    log_in(client, user)
    words = text_of(client.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    assert "£330.00 for the session on" in words
    assert "on or about" not in words


def test_the_schedule_says_the_day_beside_the_warning(client: FlaskClient, db: Session,
                                                      kit) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    pay_on = offer_money(db, me.id, role, london_today()).sessions[0].pay_on
    make_offer(db, role, me, OfferStatus.ACCEPTED)
    log_in(client, user)
    words = text_of(client.get("/my/payment-schedule").get_data(as_text=True))
    told = f"Planned. We expect to pay it on or about {day(pay_on)}."
    assert told in words
    assert words.index(told) < words.index("Over a limit in this period")
