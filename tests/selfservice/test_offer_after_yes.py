"""After a yes, the offer page says they are doing the role, shows each
coming session's fee with what they chose, and links each fee not yet in the
ledger to its own page to change it; it no longer says "choose below" with
nothing below (walk finding 9). Before a yes the form and its words stay."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.payments.choice_models import BenefitRecord, SessionFeeChoice
from tests.factories import log_in, make_signed_up_contributor
from tests.payments.ledger_factories import make_claim
from tests.project_factories import make_offer, make_role, role_session
from tests.selfservice.test_roles import text_of


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


@pytest.fixture
def kit(db: Session):  # type: ignore[no-untyped-def]
    """A person on Carer's Allowance and a paid role with two coming sessions
    (a fee that goes over the weekly limit): (account, person, role)."""
    user, me = make_signed_up_contributor(db, "Kit Example")
    db.add(BenefitRecord(contributor_id=me.id, benefits=["carers_allowance"], week_day=0))
    today = london_today()
    role = make_role(db, title="Night checks reviewer", fee_tier="tier_300", sessions=[
        role_session(at(today + dt.timedelta(days=20))),
        role_session(at(today + dt.timedelta(days=48)))])
    db.commit()
    return user, me, role


def page(client: FlaskClient, offer_id: int) -> tuple[str, str]:
    html = client.get(f"/my/offers/{offer_id}").get_data(as_text=True)
    return html, text_of(html)


@pytest.mark.parametrize("easy", [False, True])
def test_after_yes_the_page_says_they_are_doing_it_and_links_each_fee(
        client: FlaskClient, db: Session, kit, easy: bool) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    me.prefers_easy_read = easy
    first, second = role.sessions
    offer = make_offer(db, role, me, OfferStatus.ACCEPTED)
    db.add(SessionFeeChoice(contributor_id=me.id, role_session_id=first.id, choice="take_less",
                            amount_pence=5000))
    db.commit()
    make_claim(db, me, second, pence=33000)  # already in the ledger: changed there
    log_in(client, user)
    html, words = page(client, offer.id)
    assert ("A role I am doing" if easy else "A role you are doing") in words
    assert "An offer for you" not in words and "A role for you" not in words
    assert ("You said yes. You are doing this role." if easy
            else "You said yes, so you are doing this role.") in words
    assert "choose below" not in words and "You can choose what to do." not in words
    assert 'name="reply"' not in html
    # each coming session's fee, with what they chose for it
    assert words.count("£330.00 for") == 2
    assert ("You chose less: £50.00." if easy else "You chose to be paid less: £50.00.") in words
    # a link to change the fee not yet in the ledger, and only that one
    assert f'href="/my/payment-schedule/sessions/{first.id}"' in html
    assert f'href="/my/payment-schedule/sessions/{second.id}"' not in html
    assert ("Change what we do with my fee" if easy else "Change what happens to this fee") in words
    assert ("Use the link next to it." if easy else "use the link beside it.") in words
    # and the link opens that fee's page
    assert client.get(f"/my/payment-schedule/sessions/{first.id}").status_code == 200


def test_before_yes_the_form_and_its_words_stay(client: FlaskClient, db: Session,
                                                kit) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    offer = make_offer(db, role, me)
    log_in(client, user)
    html, words = page(client, offer.id)
    assert "An offer for you" in words and "choose below" in words
    assert 'name="reply"' in html
    assert "/my/payment-schedule/sessions/" not in html


@pytest.mark.parametrize("status", [OfferStatus.DECLINED, OfferStatus.NOT_THIS_TIME])
def test_after_no_there_is_no_benefit_warning_or_choice(client: FlaskClient, db: Session, kit,
                                                        status: OfferStatus) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    offer = make_offer(db, role, me, status)
    log_in(client, user)
    html, words = page(client, offer.id)
    assert "could affect your benefits" not in words and "choose below" not in words
    assert "/my/payment-schedule/sessions/" not in html


def test_on_the_waiting_list_they_are_told_when_they_can_change_a_fee(
        client: FlaskClient, db: Session, kit) -> None:  # type: ignore[no-untyped-def]
    user, me, role = kit
    offer = make_offer(db, role, me, OfferStatus.WAITING)
    log_in(client, user)
    _html, words = page(client, offer.id)
    assert "If a place comes free, you can then change what happens to each fee." in words
    assert "choose below" not in words
