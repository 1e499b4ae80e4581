"""Expenses: mileage at the configured rate, a taxi only when agreed in
advance, one claim per person, session and kind, and a form sent twice
(the same idempotency key) making one claim. Expenses are never earnings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from crm.payments import ledger
from crm.payments.ledger_models import Claim, Receipt
from crm.payments.ledger_queries import earnings_between
from tests.conftest import csrf_token
from tests.factories import make_contributor, make_user
from tests.payments.ledger_factories import paid_role
from tests.projects.helpers import coordinator, events, post, text_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def expense(kind: str, *, pence: int | None = 1240, miles: int | None = None,
            agreed: bool = False, key: str = "k" * 32) -> ledger.ExpenseInput:
    return ledger.ExpenseInput(kind=kind, pence=pence, miles=miles, description="Bus",
                               agreed_in_advance=agreed, idempotency_key=key)


@pytest.mark.parametrize(("data", "pence", "error"), [
    (expense("mileage", pence=None, miles=20), 900, None),  # 45p a mile, finance.toml
    (expense("mileage", pence=None, miles=None), None, "miles"),
    (expense("public_transport"), 1240, None),
    (expense("public_transport", pence=None), None, "amount"),
    (expense("taxi"), None, "agreed in advance"),
    (expense("taxi", agreed=True), 1240, None),
    (expense("care_cover"), 1240, None),
    (expense("supporter"), 1240, None),
    (expense("phone_data"), 1240, None),
    (expense("printing"), 1240, None),
    (expense("fee"), None, "kind of expense"),  # a fee is never added as an expense
    (expense("printing", pence=50000), 50000, None),  # the largest, finance.toml
    (expense("printing", pence=50001), None, "at most £500.00"),
    (expense("mileage", pence=None, miles=1111), 49995, None),
    (expense("mileage", pence=None, miles=1112), None, "at most £500.00"),
])
def test_each_kind_of_expense(db, data, pence, error) -> None:
    _role, when, (person,) = paid_role(db)
    user = make_user(db)
    if error:
        with pytest.raises(ledger.ClaimError, match=error):
            ledger.add_expense(db, user, person.id, when, data)
        return
    claim, created = ledger.add_expense(db, user, person.id, when, data)
    db.commit()
    assert created and (claim.amount_pence, claim.is_earnings, claim.state) == (
        pence, False, "drafted")
    assert [e.entity_id for e in events(db, "claim_drafted")] == [claim.id]


def test_the_same_form_twice_makes_one_claim_and_another_kind_is_refused(db) -> None:
    _role, when, (person,) = paid_role(db)
    user = make_user(db)
    first, created = ledger.add_expense(db, user, person.id, when, expense("printing"))
    again, created_again = ledger.add_expense(db, user, person.id, when, expense("printing"))
    db.commit()
    assert (created, created_again, again.id) == (True, False, first.id)
    with pytest.raises(ledger.ClaimError, match="already has a claim"):
        ledger.add_expense(db, user, person.id, when, expense("printing", key="z" * 32))
    # the same key again for another kind or person is not "already added"
    other = make_contributor(db)
    for person_id, kind in ((person.id, "phone_data"), (other.id, "printing")):
        with pytest.raises(ledger.ClaimError, match="already used for another expense"):
            ledger.add_expense(db, user, person_id, when, expense(kind))
    assert db.scalar(select(func.count()).select_from(Claim)) == 1


def test_expenses_are_never_earnings(db) -> None:
    _role, when, (person,) = paid_role(db)
    claim, _ = ledger.add_expense(db, make_user(db), person.id, when, expense("taxi",
                                                                            agreed=True))
    claim.state = "paid"
    claim.paid_on = claim.pay_on
    db.commit()
    assert earnings_between(db, person.id, dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == []


def _form(client, path):  # type: ignore[no-untyped-def]
    page = text_of(client.get(path))
    return page.split('name="idempotency_key" value="')[1].split('"')[0]


def test_the_page_adds_an_expense_with_a_receipt_once_when_sent_twice(app, client, db) -> None:
    _role, when, (person,) = paid_role(db)
    stranger = make_contributor(db)
    coordinator(db, client)
    path = f"/payments/sessions/{when.id}/expenses/new"
    key = _form(client, path)
    data = {"contributor": str(person.id), "kind": "public_transport", "amount": "8.60",
            "description": "Train", "idempotency_key": key}
    for _ in range(2):
        response = client.post(path, data={**data, "csrf_token": csrf_token(client, "/"),
                                           "receipt": (io.BytesIO(PNG), "ticket.png")},
                               content_type="multipart/form-data")
        assert response.status_code == 302
    claims = list(db.scalars(select(Claim)))
    assert [(c.kind, c.amount_pence) for c in claims] == [("public_transport", 860)]
    receipt = db.scalars(select(Receipt)).one()
    assert receipt.content_type == "image/png" and receipt.original_name == "ticket.png"
    stored = app.instance_path + "/receipts/" + receipt.stored_name
    with open(stored, "rb") as fh:
        assert fh.read() == PNG
    refused = post(client, path, {**data, "contributor": str(stranger.id),
                                  "idempotency_key": "y" * 32})
    assert refused.status_code == 400
    assert "Select someone who said yes to this role" in text_of(refused)

