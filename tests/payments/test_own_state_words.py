"""Where each fee is, told truthfully and in the same words on My payments,
the schedule and (for paid fees) the statement: a drafted claim is with the
coordinator, not "being checked" or "soon"; a day that has passed is said
calmly, with who can tell them more (walk finding 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.matching.offers import london_today
from crm.permissions import Role
from tests.factories import log_in, make_signed_up_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.payments.test_my_payments import words

LATE = "It is later than we planned. Your coordinator can tell you more."


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def at(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, 10, tzinfo=dt.UTC)


@pytest.fixture
def fees(db: Session):  # type: ignore[no-untyped-def]
    """One fee in each state, each for its own session: (account, person, days)."""
    today = london_today()
    user, me = make_signed_up_contributor(db, "Kit Example")
    days = {"late": today - dt.timedelta(days=29), "drafted": today + dt.timedelta(days=9),
            "submitted": today + dt.timedelta(days=10), "approved": today + dt.timedelta(days=11),
            "exported": today + dt.timedelta(days=12), "paid": today - dt.timedelta(days=20)}
    for name, pay_on in days.items():
        _role, when, _ = paid_role(db, starts_at=at(pay_on - dt.timedelta(days=14)), people=0)
        state = "drafted" if name == "late" else name
        make_claim(db, me, when, pence=16500, state=state, pay_on=pay_on,
                   paid_on=pay_on if name == "paid" else None)
    return user, me, days


STANDARD = {
    "late": "Your coordinator is getting this ready to send for payment. "
            "We expected to pay it by {}. " + LATE,
    "drafted": "Your coordinator is getting this ready to send for payment. "
               "We expect to pay it on or about {}.",
    "submitted": "Waiting for our finance team to approve it. We expect to pay it on or about {}.",
    "approved": "Approved, to be paid. We expect to pay it on or about {}.",
    "exported": "Approved, to be paid. We expect to pay it on or about {}.",
    "paid": "Paid on {}.",
}
EASY = {
    "late": "Your coordinator is getting this ready for us to pay. "
            "We wanted to pay you by {}. " + LATE,
    "drafted": "Your coordinator is getting this ready for us to pay. "
               "We plan to pay you on or about {}.",
    "submitted": "Our finance team is checking it. We plan to pay you on or about {}.",
    "approved": "Our finance team said yes. We will pay you. We plan to pay you on or about {}.",
    "exported": "Our finance team said yes. We will pay you. We plan to pay you on or about {}.",
    "paid": "We paid you on {}.",
}


@pytest.mark.parametrize("easy", [False, True])
def test_each_state_is_told_the_same_way_on_my_payments_and_the_schedule(
        client: FlaskClient, db: Session, fees, easy: bool) -> None:  # type: ignore[no-untyped-def]
    user, me, days = fees
    me.prefers_easy_read = easy
    db.commit()
    log_in(client, user)
    mine = words(client.get("/payments/my"))
    schedule = words(client.get("/my/payment-schedule"))
    for name, sentence in (EASY if easy else STANDARD).items():
        expected = sentence.format(day(days[name]))
        assert expected in mine, (name, mine)
        assert expected in schedule, (name, schedule)
    for page in (mine, schedule):
        assert "Being checked" not in page and "soon" not in page
        assert page.count(LATE) == 1  # only the fee whose day has passed
        assert "Not paid yet. We expect to pay it by" not in page


def test_the_statement_says_paid_on_as_my_payments_does(client: FlaskClient, db: Session,
                                                        fees) -> None:  # type: ignore[no-untyped-def]
    user, _me, days = fees
    log_in(client, user)
    paid = days["paid"]
    year = paid.year if (paid.month, paid.day) >= (4, 6) else paid.year - 1
    statement = words(client.get(f"/payments/my/statement/{year}"))
    assert f"Paid on {day(paid)}" in statement
    assert f"Paid on {day(paid)}." in words(client.get("/payments/my"))


def test_the_coordinator_reads_the_states_in_staff_words(client: FlaskClient, db: Session,
                                                         fees) -> None:  # type: ignore[no-untyped-def]
    _user, me, days = fees
    log_in(client, make_user(db, Role.COORDINATOR))
    page = words(client.get(f"/payments/people/{me.id}/schedule"))
    assert (f"Drafted, not yet sent to finance. Expected {day(days['late'])}: "
            "later than planned.") in page
    assert f"Waiting for approval. Expected {day(days['submitted'])}." in page
    assert "Your coordinator" not in page
