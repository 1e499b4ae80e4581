"""A contributor's own payments: only their own claims, paid and waiting;
a yearly statement per UK tax year with the tax note; the download; a claim
form for their own session only; Easy Read; nobody else reaches them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crm.payments.ledger_models import ClaimKind
from crm.payments.statement import statement_for, tax_year_of
from crm.permissions import Role
from tests.factories import log_in, make_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.projects.helpers import post, text_of

D = dt.date


def words(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def signed_in_person(db, client, **fields):  # type: ignore[no-untyped-def]
    user = make_user(db, Role.CONTRIBUTOR)
    person = make_contributor(db, user=user, **fields)
    log_in(client, user)
    return person


@pytest.mark.parametrize(("day", "year"), [
    (D(2026, 4, 5), 2025), (D(2026, 4, 6), 2026), (D(2027, 1, 1), 2026), (D(2027, 4, 6), 2027)])
def test_tax_years_start_on_6_april(day, year) -> None:
    assert tax_year_of(day) == year


def test_my_payments_shows_only_my_own_paid_and_waiting(client, db) -> None:
    _role, when, _ = paid_role(db, people=0)
    me = signed_in_person(db, client, full_name="Kim Own")
    other = make_contributor(db, full_name="Lou Other")
    make_claim(db, me, when, pence=5000, state="paid", paid_on=D(2026, 5, 1))
    make_claim(db, me, when, kind=ClaimKind.MILEAGE, pence=900, state="approved")
    make_claim(db, me, when, kind=ClaimKind.TAXI, pence=700, state="withdrawn")
    make_claim(db, other, when, pence=99900, state="paid", paid_on=D(2026, 5, 1))
    page = words(client.get("/payments/my"))
    assert "Paid to you so far: £50.00" in page and "Waiting to be paid: £9.00" in page
    assert "£999.00" not in page and "Lou Other" not in page
    assert "£7.00" not in page  # withdrawn claims are not shown
    assert "Your statement for 2026 to 2027" in page


def test_yearly_statement_totals_fees_and_expenses_with_the_tax_note(client, db) -> None:
    _role, when, _ = paid_role(db, people=0)
    _r2, other_session, _ = paid_role(db, people=0)
    me = signed_in_person(db, client)
    make_claim(db, me, when, pence=60000, state="paid", paid_on=D(2026, 4, 6))
    make_claim(db, me, other_session, pence=45000, state="paid", paid_on=D(2027, 4, 5))
    make_claim(db, me, when, kind=ClaimKind.PRINTING, pence=1000, state="paid",
               paid_on=D(2026, 6, 1))
    make_claim(db, me, other_session, kind=ClaimKind.TAXI, pence=1000, state="paid",
               paid_on=D(2026, 4, 5))  # the tax year before
    st = statement_for(db, me.id, 2026)
    assert (st.fees_pence, st.expenses_pence, st.over_allowance) == (105000, 1000, True)
    page = words(client.get("/payments/my/statement/2026"))
    assert "Fees paid to you: £1,050.00" in page and "Expenses paid back: £10.00" in page
    assert "Fees may be taxable" in page
    assert "more than £1,000.00 in a tax year, you may need to fill in a tax return" in page
    download = client.get("/payments/my/statement/2026/download")
    assert download.status_code == 200
    assert 'filename="payments-statement-2026-2027.html"' in download.headers[
        "Content-Disposition"]
    assert "£1,050.00" in download.get_data(as_text=True)
    assert client.get("/payments/my/statement/1900").status_code == 404


def test_easy_read_statement_says_it_simply(client, db) -> None:
    _role, when, _ = paid_role(db, people=0)
    me = signed_in_person(db, client, prefers_easy_read=True)
    make_claim(db, me, when, pence=5000, state="paid", paid_on=D(2026, 5, 1))
    page = words(client.get("/payments/my/statement/2026"))
    assert "You may pay tax on fees." in page and "Money back for costs is not pay." in page
    switched = post(client, "/my/easy-read", {"enabled": "0",
                                         "next": "/payments/my/statement/2026"})
    assert switched.headers["Location"].endswith("/payments/my/statement/2026")
    assert "Fees may be taxable" in words(client.get("/payments/my/statement/2026"))


def test_claim_form_only_for_my_own_session(client, db) -> None:
    _role, when, _ = paid_role(db, people=0)
    _r2, theirs, _ = paid_role(db, people=0)
    me = signed_in_person(db, client, full_name="Kim Own")
    make_claim(db, me, when, pence=5000)
    make_claim(db, me, when, kind=ClaimKind.MILEAGE, pence=900, miles=20)
    make_claim(db, make_contributor(db), theirs, pence=5000)
    page = words(client.get(f"/payments/my/sessions/{when.id}/claim-form"))
    assert "Kim Own" in page and "CC-1234" in page and "Total: £59.00" in page
    assert client.get(f"/payments/my/sessions/{theirs.id}/claim-form").status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FINANCE, Role.REPORT_VIEWER,
                                  Role.ADMINISTRATOR])
def test_nobody_else_has_my_payments(client, db, role) -> None:
    log_in(client, make_user(db, role))
    for path in ("/payments/my", "/payments/my/statement/2026"):
        assert client.get(path).status_code == 403


def test_a_contributor_without_a_record_is_told_it_is_not_set_up(client, db) -> None:
    log_in(client, make_user(db, Role.CONTRIBUTOR))
    assert "not set up yet" in text_of(client.get("/payments/my"))
