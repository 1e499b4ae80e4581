"""earnings_between: a person's fees by expected pay date, for the benefits
schedule; never expenses, never withdrawn claims, never someone else's."""

from __future__ import annotations

import datetime as dt

from crm.payments.ledger_models import ClaimKind
from crm.payments.ledger_queries import earnings_between
from tests.factories import make_contributor
from tests.payments.ledger_factories import make_claim, paid_role

D = dt.date


def test_fees_in_the_period_by_expected_pay_date_and_state(db) -> None:
    _role, first, (person,) = paid_role(db)
    _role2, second, _ = paid_role(db)
    _role3, third, _ = paid_role(db)
    _role4, fourth, _ = paid_role(db)
    paid = make_claim(db, person, first, pence=2500, state="paid", pay_on=D(2026, 4, 1),
                      paid_on=D(2026, 4, 3))
    exported = make_claim(db, person, second, pence=5000, state="exported",
                          pay_on=D(2026, 4, 10))
    drafted = make_claim(db, person, third, pence=7500, pay_on=D(2026, 4, 20))
    make_claim(db, person, fourth, pence=15000, pay_on=D(2026, 5, 1))  # after the period
    make_claim(db, person, first, kind=ClaimKind.MILEAGE, pence=900, pay_on=D(2026, 4, 5))
    make_claim(db, person, fourth, kind=ClaimKind.TAXI, pence=1200, state="paid",
               pay_on=D(2026, 4, 5), paid_on=D(2026, 4, 6))
    lines = earnings_between(db, person.id, D(2026, 4, 1), D(2026, 4, 30))
    assert [(x.pay_on, x.pence, x.state, x.claim_id) for x in lines] == [
        (D(2026, 4, 3), 2500, "paid", paid.id),
        (D(2026, 4, 10), 5000, "approved", exported.id),
        (D(2026, 4, 20), 7500, "drafted", drafted.id),
    ]


def test_withdrawn_fees_and_other_people_are_left_out(db) -> None:
    _role, only, (person,) = paid_role(db)
    other = make_contributor(db)
    make_claim(db, person, only, state="withdrawn", pence=0, pay_on=D(2026, 4, 2))
    make_claim(db, other, only, pence=5000, state="submitted", pay_on=D(2026, 4, 2))
    assert earnings_between(db, person.id, D(2026, 4, 1), D(2026, 4, 30)) == []
    assert [x.state for x in earnings_between(db, other.id, D(2026, 4, 2), D(2026, 4, 2))
            ] == ["submitted"]
