"""The payment schedule: pure building per period, and the lines read from
the ledger and from sessions booked (planned, priced from the rate card on
the session date, after the person's choice), warnings before saying yes and
for finance (never naming the benefit)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from crm.matching.models import OfferStatus
from crm.payments.benefit_periods import ASSESSMENT_PERIOD, MONTH, WEEK
from crm.payments.benefits import Profile
from crm.payments.choice_models import BenefitRecord, PaymentChoice, SessionFeeChoice
from crm.payments.choice_queries import FeeChoice
from crm.payments.ledger_models import Claim
from crm.payments.schedule import PLANNED, Line, build, warnings_for_new
from crm.payments.schedule_queries import (
    offer_money,
    person_lines,
    schedule_for,
    warnings_for_claim,
)
from tests.factories import make_contributor
from tests.project_factories import make_offer, make_role, role_session

D = dt.date
CA = Profile(benefits=frozenset({"carers_allowance"}), week_day=0)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


# ---------------------------------------------------------------- pure

@pytest.mark.parametrize(("profile", "kind", "starts"), [
    (CA, WEEK, [D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 15)]),
    (Profile(frozenset({"uc_work_allowance"}), assessment_day=15), ASSESSMENT_PERIOD,
     [D(2026, 5, 15), D(2026, 6, 15)]),
    (Profile(frozenset({"none"}), limit_pence=5000, limit_period=MONTH), MONTH,
     [D(2026, 6, 1)]),
    (None, MONTH, [D(2026, 6, 1)]),
])
def test_rows_are_the_persons_periods(profile: Profile | None, kind: str,
                                      starts: list[dt.date]) -> None:
    lines = [Line(D(2026, 6, 2), 1000, "paid", "a"), Line(D(2026, 6, 9), 1000, PLANNED, "b"),
             Line(D(2026, 6, 20), 500, "approved", "c")]
    schedule = build(profile, lines, D(2026, 1, 1), D(2026, 12, 31))
    assert schedule.kind == kind
    assert [r.period.start for r in schedule.rows] == starts
    assert sum(r.total() for r in schedule.rows) == 2500


def test_totals_by_state_and_limits() -> None:
    lines = [Line(D(2026, 6, 1), 10000, "paid", "a"), Line(D(2026, 6, 2), 5000, "approved", "b"),
             Line(D(2026, 6, 3), 3000, "submitted", "c"), Line(D(2026, 6, 4), 2000, "drafted", "d"),
             Line(D(2026, 6, 5), 16500, PLANNED, "e"),
             Line(D(2026, 6, 6), 9999, PLANNED, "to a charity", counts=False)]
    [row] = build(CA, lines, D(2026, 6, 1), D(2026, 6, 30)).rows
    assert (row.paid, row.approved, row.waiting, row.planned) == (10000, 5000, 5000, 16500)
    assert [(x.label, x.pence) for x in row.limits] == [("Carer's Allowance earnings limit", 20400)]
    [warning] = row.warnings
    assert warning.earnings_pence == 36500 and warning.over_pence == 16100


def test_a_fee_moved_to_another_week_clears_the_warning() -> None:
    first = Line(D(2026, 6, 2), 16500, PLANNED, "first")
    second = Line(D(2026, 6, 4), 16500, PLANNED, "second")
    assert [w.over_pence for w in warnings_for_new(CA, [first], [second])] == [12600]
    moved = Line(D(2026, 6, 9), 16500, PLANNED, "second")
    assert warnings_for_new(CA, [first], [moved]) == []
    rows = build(CA, [first, moved], D(2026, 6, 1), D(2026, 6, 30)).rows
    assert [(r.period.start, r.total(), r.warnings) for r in rows] == [
        (D(2026, 6, 1), 16500, []), (D(2026, 6, 8), 16500, [])]


# ---------------------------------------------------------------- from the database

def _claim(db: Session, person_id: int, session_id: int, pay_on: dt.date, pence: int,
           state: str = "paid", kind: str = "fee") -> Claim:
    claim = Claim(contributor_id=person_id, session_id=session_id, kind=kind,
                  is_earnings=kind == "fee", state=state, amount_pence=pence, pay_on=pay_on,
                  paid_on=pay_on if state == "paid" else None)
    db.add(claim)
    db.commit()
    return claim


def _ca(db: Session, person_id: int, **fields: object) -> None:
    db.add(BenefitRecord(contributor_id=person_id, benefits=["carers_allowance"], week_day=0,
                         **fields))
    db.commit()


def test_planned_fees_come_from_the_card_on_the_session_date(db: Session) -> None:
    person = make_contributor(db)
    # tier_75 is £75 before 16 December 2025 and £82.50 from it
    role = make_role(db, fee_tier="tier_75", title="Interview panel", sessions=[
        role_session(at(D(2025, 12, 15))), role_session(at(D(2025, 12, 16)))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    lines = person_lines(db, person.id, D(2025, 12, 1), D(2026, 1, 31))
    assert sorted((x.pay_on, x.pence, x.state) for x in lines) == [
        (D(2025, 12, 29), 7500, PLANNED), (D(2025, 12, 30), 8250, PLANNED)]
    assert lines[0].what.startswith("Interview panel, ")


def test_unpaid_cancelled_unaccepted_and_claimed_sessions_are_not_planned(db: Session) -> None:
    person = make_contributor(db)
    day = D(2026, 6, 1)
    unpaid = make_role(db, sessions=[role_session(at(day))])
    cancelled = make_role(db, fee_tier="tier_25", sessions=[role_session(at(day),
                                                                         is_cancelled=True)])
    offered = make_role(db, fee_tier="tier_25", sessions=[role_session(at(day))])
    claimed = make_role(db, fee_tier="tier_25", sessions=[role_session(at(day))])
    for role in (unpaid, cancelled, claimed):
        make_offer(db, role, person, OfferStatus.ACCEPTED)
    make_offer(db, offered, person)
    claim = _claim(db, person.id, claimed.sessions[0].id, D(2026, 6, 20), 2750, "approved")
    _claim(db, person.id, claimed.sessions[0].id, D(2026, 6, 20), 900, "drafted", kind="travel")
    lines = person_lines(db, person.id, D(2026, 5, 1), D(2026, 7, 31))
    assert [(x.state, x.pence, x.claim_id) for x in lines] == [("approved", 2750, claim.id)]


@pytest.mark.parametrize(("choice", "pence", "counts", "pay_on", "note"), [
    (dict(choice="take_less", amount_pence=1000), 1000, True, D(2026, 6, 15), "Taking less"),
    (dict(choice="decline"), 0, True, D(2026, 6, 15), "Fee declined"),
    (dict(choice="charity", charity_name="Mind"), 2750, False, D(2026, 6, 15), "Paid to Mind"),
    (dict(choice="expenses_only"), 0, True, D(2026, 6, 15), "Expenses only"),
    (dict(choice="other_period", pay_on=D(2026, 7, 3)), 2750, True, D(2026, 7, 3),
     "Chosen to be paid on 3 July 2026"),
    (dict(choice="accept"), 2750, True, D(2026, 6, 15), None),
])
def test_a_persons_fee_choice_shapes_the_planned_line(db: Session, choice: dict[str, object],
                                                      pence: int, counts: bool,
                                                      pay_on: dt.date, note: str | None) -> None:
    person = make_contributor(db)
    role = make_role(db, fee_tier="tier_25", sessions=[role_session(at(D(2026, 6, 1)))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    db.add(SessionFeeChoice(contributor_id=person.id, role_session_id=role.sessions[0].id,
                            **choice))
    db.commit()
    [line] = person_lines(db, person.id, D(2026, 5, 1), D(2026, 8, 31))
    assert (line.pence, line.counts, line.pay_on) == (pence, counts, pay_on)
    assert (line.note is None) if note is None else (note in (line.note or ""))


@pytest.mark.parametrize(("when", "days", "pay_on"), [
    ("after_each", [], D(2026, 6, 15)),
    ("monthly", [], D(2026, 7, 28)),
    ("chosen_dates", [1, 20], D(2026, 6, 20)),
    ("chosen_dates", [10], D(2026, 7, 10)),
])
def test_when_they_chose_to_be_paid(db: Session, when: str, days: list[int],
                                    pay_on: dt.date) -> None:
    person = make_contributor(db)
    role = make_role(db, fee_tier="tier_25", sessions=[role_session(at(D(2026, 6, 1)))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    db.add(PaymentChoice(contributor_id=person.id, when_paid=when, chosen_days=days))
    db.commit()
    [line] = person_lines(db, person.id, D(2026, 5, 1), D(2026, 8, 31))
    assert line.pay_on == pay_on


def test_the_offer_warns_before_the_second_session_in_one_week(db: Session) -> None:
    person = make_contributor(db)
    _ca(db, person.id)
    first = make_role(db, fee_tier="tier_150", sessions=[role_session(at(D(2027, 3, 1)))])
    make_offer(db, first, person, OfferStatus.ACCEPTED)
    second = make_role(db, fee_tier="tier_150", sessions=[role_session(at(D(2027, 3, 3)))])
    money = offer_money(db, person.id, second, D(2027, 2, 1))
    assert [s.pence for s in money.sessions] == [16500]
    [warning] = money.warnings
    assert warning.benefit == "carers_allowance" and warning.over_pence == 33000 - 20400
    assert "the week of Monday 15 March to Sunday 21 March 2027" in warning.person_text
    # paid in another week: no warning
    moved = {second.sessions[0].id: FeeChoice("other_period", pay_on=D(2027, 3, 22))}
    assert offer_money(db, person.id, second, D(2027, 2, 1), moved).warnings == []


def test_finance_sees_the_warning_not_the_benefit(db: Session) -> None:
    person = make_contributor(db)
    _ca(db, person.id)
    role = make_role(db, fee_tier="tier_150", sessions=[role_session(at(D(2026, 6, 1))),
                                                         role_session(at(D(2026, 6, 2)))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    _claim(db, person.id, role.sessions[0].id, D(2026, 6, 15), 16500, "approved")
    claim = _claim(db, person.id, role.sessions[1].id, D(2026, 6, 16), 16500, "submitted")
    [text] = warnings_for_claim(db, claim)
    assert "would take this person over a limit they told us about" in text
    for clue in ("Carer", "benefit", "week", "assessment", "£"):
        assert clue.lower() not in text.lower()
    other = make_contributor(db)
    alone = _claim(db, other.id, role.sessions[1].id, D(2026, 6, 16), 16500, "submitted")
    assert warnings_for_claim(db, alone) == []


def test_schedule_reads_paid_and_planned_together(db: Session) -> None:
    person = make_contributor(db)
    _ca(db, person.id)
    role = make_role(db, fee_tier="tier_150", sessions=[role_session(at(D(2026, 6, 1))),
                                                         role_session(at(D(2026, 6, 3)))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    _claim(db, person.id, role.sessions[0].id, D(2026, 6, 15), 16500, "paid")
    schedule, profile = schedule_for(db, person.id, D(2026, 6, 1), D(2026, 7, 31))
    assert profile == Profile(frozenset({"carers_allowance"}), week_day=0)
    [row] = schedule.rows
    assert (row.paid, row.planned) == (16500, 16500) and row.warnings
