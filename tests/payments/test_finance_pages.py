"""Finance's pages: the home page's counts, the claims waiting, a claim with
the approve button (refused plainly for their own entry), exports made for
a period and downloaded, and marking paid with the day and the reference.
Finance sees names, routes and amounts, never lived experience or
adjustments; statement counts stay flat as lists grow."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.payments.choice_models import BenefitRecord
from crm.payments.ledger_models import Claim, ClaimKind
from crm.permissions import Role
from tests.factories import adjustment, experience, log_in, make_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.projects.helpers import events, post, text_of


def words(response) -> str:  # type: ignore[no-untyped-def]
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split()).replace(" (", " (")


def finance(db, client):  # type: ignore[no-untyped-def]
    user = make_user(db, Role.FINANCE)
    log_in(client, user)
    return user


def test_home_counts_each_list_and_links_to_it(client, db) -> None:
    _role, when, (ada, ben, cy) = paid_role(db, people=3)
    make_claim(db, ada, when, state="submitted", pence=5000)
    make_claim(db, ben, when, state="submitted", pence=2500)
    make_claim(db, cy, when, state="exported", pence=7500)
    finance(db, client)
    page = words(client.get("/"))
    assert "2 claims waiting for approval (£75.00)" in page
    assert "0 approved claims to export (£0.00)" in page
    assert "1 payment to mark as paid (£75.00)" in page


def test_finance_never_sees_lived_experience_or_adjustments(client, db) -> None:
    _role, when, _ = paid_role(db, people=0)
    person = make_contributor(db, full_name="Dee Private",
                              experiences=[experience("patient_former")],
                              adjustments=[adjustment("quiet_room", note="Needs a break hourly")])
    claim = make_claim(db, person, when, state="submitted")
    # A coordinator's reason for a different fee may speak of health: finance
    # is told there is one, not what it says.
    claim.override_reason = "Extra hour as her anxiety was bad"
    db.commit()
    finance(db, client)
    assert "The coordinator recorded why" in text_of(
        client.get(f"/payments/finance/claims/{claim.id}"))
    for path in ("/payments/finance/waiting", f"/payments/finance/claims/{claim.id}"):
        page = text_of(client.get(path))
        assert "Dee Private" in page and "£50.00" in page
        for secret in ("Needs a break hourly", "quiet", "Former patient", "patient",
                       "anxiety"):
            assert secret not in page, (path, secret)


def test_approve_from_the_page_and_refused_for_their_own_entry(client, db) -> None:
    _role, when, (ada, ben) = paid_role(db, people=2)
    me = finance(db, client)
    other = make_claim(db, ada, when, state="submitted")
    mine = make_claim(db, ben, when, state="submitted", recorded_by_id=me.id)
    page = text_of(client.get(f"/payments/finance/claims/{mine.id}"))
    assert "you cannot approve it" in page and "Approve this claim" not in page
    refused = post(client, f"/payments/finance/claims/{mine.id}/approve",
                   {"version": str(mine.version)})
    assert refused.status_code == 400
    assert "Another member of the finance team must approve it" in text_of(refused)
    assert "Approve this claim" in text_of(client.get(f"/payments/finance/claims/{other.id}"))
    assert post(client, f"/payments/finance/claims/{other.id}/approve",
                {"version": str(other.version)}).status_code == 302
    db.expire_all()
    assert (db.get(Claim, other.id).state, db.get(Claim, mine.id).state) == (
        "approved", "submitted")
    assert [e.entity_id for e in events(db, "claim_approved")] == [other.id]


def test_a_claim_changed_after_finance_opened_it_is_not_approved(client, db) -> None:
    """Finance approves the amount they were shown, never a later one."""
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, state="submitted", pence=5500)
    finance(db, client)
    page = text_of(client.get(f"/payments/finance/claims/{claim.id}"))
    shown = re.search(r'type="hidden" name="version" value="(\d+)"', page)
    assert shown is not None and "£55.00" in page
    claim.amount_pence, claim.version = 25000, claim.version + 1  # changed meanwhile
    db.commit()
    refused = post(client, f"/payments/finance/claims/{claim.id}/approve",
                   {"version": shown.group(1)})
    assert refused.status_code == 400
    assert "Someone else changed this claim after you opened this page" in text_of(refused)
    db.expire_all()
    assert db.get_one(Claim, claim.id).state == "submitted"
    assert events(db, "claim_approved") == []


def test_export_a_period_then_download_csv_and_xlsx_formula_safe(client, db) -> None:
    _role, when, (ada,) = paid_role(db, cost_code="=HYPERLINK(1)")
    ada.full_name = "=cmd|' /C calc'!A0"
    db.commit()
    claim = make_claim(db, ada, when, state="approved", pay_on=dt.date(2026, 5, 4))
    finance(db, client)
    bad = post(client, "/payments/finance/exports", {
        "start-day": "1", "start-month": "1", "start-year": "2026",
        "end-day": "31", "end-month": "1", "end-year": "2026"})
    assert bad.status_code == 400 and "no approved claims" in text_of(bad)
    made = post(client, "/payments/finance/exports", {
        "start-day": "1", "start-month": "5", "start-year": "2026",
        "end-day": "31", "end-month": "5", "end-year": "2026"})
    assert made.status_code == 302
    db.expire_all()
    export_id = db.get_one(Claim, claim.id).export_id
    assert export_id is not None
    listing = text_of(client.get("/payments/finance/exports"))
    assert "£50.00" in listing
    csv_text = client.get(f"/payments/finance/exports/{export_id}/csv").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Claim,Export,Name,Payment route")
    assert "'=cmd|' /C calc'!A0" in lines[1] and "'=HYPERLINK(1)" in lines[1]
    assert ",5000,£50.00," in lines[1]
    book = load_workbook(io.BytesIO(
        client.get(f"/payments/finance/exports/{export_id}/xlsx").data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][2] == "'=cmd|' /C calc'!A0" and rows[1][8] == "'=HYPERLINK(1)"
    assert rows[1][6] == 5000


def test_mark_paid_needs_a_reference_and_saves_day_and_reference(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, state="exported")
    finance(db, client)
    path = f"/payments/finance/claims/{claim.id}/paid"
    missing = post(client, path, {"version": str(claim.version), "paid_on-day": "2",
                                  "paid_on-month": "6", "paid_on-year": "2026", "reference": ""})
    assert missing.status_code == 400 and "Enter the payment reference" in text_of(missing)
    done = post(client, path, {"version": str(claim.version), "paid_on-day": "2",
                               "paid_on-month": "6", "paid_on-year": "2026",
                               "reference": "BACS-77"})
    assert done.status_code == 302
    db.expire_all()
    paid = db.get_one(Claim, claim.id)
    assert (paid.state, paid.paid_on, paid.payment_reference) == (
        "paid", dt.date(2026, 6, 2), "BACS-77")


@pytest.mark.parametrize("path", ["/", "/payments/finance/waiting"])
def test_statement_counts_do_not_grow_with_the_list(client, db, count_queries, path) -> None:
    _role, when, people = paid_role(db, people=12)
    finance(db, client)
    make_claim(db, people[0], when, state="submitted")
    before = count_queries.count
    assert client.get(path).status_code == 200
    few = count_queries.count - before
    for person in people[1:]:
        make_claim(db, person, when, state="submitted")
    before = count_queries.count
    assert client.get(path).status_code == 200
    assert count_queries.count - before == few


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REPORT_VIEWER, Role.CONTRIBUTOR,
                                  Role.ADMINISTRATOR])
def test_only_finance_reaches_the_finance_pages(client, db, role) -> None:
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, state="submitted")
    log_in(client, make_user(db, role))
    for path in ("/payments/finance/waiting", f"/payments/finance/claims/{claim.id}",
                 "/payments/finance/exports", "/payments/finance/to-pay"):
        assert client.get(path).status_code == 403, (role, path)
    assert db.scalars(select(Claim.state)).one() == "submitted"


def test_finance_sees_the_benefits_warning_before_approving_not_the_benefit(client, db
                                                                           ) -> None:
    """A person on Carer's Allowance (told us, with consent): two £165 fees
    paid in one week. Finance is warned on the claim page, in words that
    never say which benefit."""
    _role, first, (person,) = paid_role(db, tier="tier_150")
    _role2, second, _ = paid_role(db, tier="tier_150", people=0)
    db.add(BenefitRecord(contributor_id=person.id, benefits=["carers_allowance"], week_day=0))
    db.commit()
    make_claim(db, person, first, pence=16500, state="approved", pay_on=dt.date(2026, 6, 15))
    claim = make_claim(db, person, second, pence=16500, state="submitted",
                       pay_on=dt.date(2026, 6, 16))
    finance(db, client)
    page = words(client.get(f"/payments/finance/claims/{claim.id}"))
    assert "Before you approve" in page and "over a limit they told us about" in page
    assert "Carer" not in page and "benefit" not in page.lower()
    assert "Approve this claim" in page  # warned, never blocked


def test_finance_sees_how_a_different_fee_compares_with_the_card_and_who_set_it(client,
                                                                               db) -> None:
    """Not the reason (it can be about the person's health): the amount
    against the rate card's and the coordinator who set it. Opening the
    claim is in the person's history, as is each list that names them."""
    from crm.payments import ledger

    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, pence=5500)
    setter = make_user(db, Role.COORDINATOR, name="Casey Coordinator")
    ledger.set_fee_amount(db, setter, claim, 9000, "Extra preparation, agreed", claim.version)
    claim.state = "submitted"
    db.commit()
    finance(db, client)
    page = text_of(client.get(f"/payments/finance/claims/{claim.id}"))
    assert "£90.00 instead of the rate card's £55.00, set by Casey Coordinator" in page
    assert "Extra preparation" not in page
    text_of(client.get("/payments/finance/waiting"))
    views = [e for e in events(db, "view", "contributor") if e.entity_id == ada.id]
    assert len(views) == 2
    assert any(f"payment claim {claim.id}" in e.summary for e in views)


def test_a_whole_export_is_marked_paid_in_one_go(client, db) -> None:
    """A payment run: every claim of the export still waiting gets one day
    and one reference; each claim's history says so; nothing is left to mark."""
    from crm.payments.ledger_models import PaymentExport

    _role, when, people = paid_role(db, people=3)
    made = PaymentExport(period_start=dt.date(2026, 5, 1), period_end=dt.date(2026, 5, 31))
    db.add(made)
    db.commit()
    claims = [make_claim(db, p, when, state="exported", export_id=made.id) for p in people]
    other = make_claim(db, people[0], when, kind=ClaimKind.PRINTING, state="exported")
    finance(db, client)
    listing = text_of(client.get("/payments/finance/exports"))
    assert "3 to mark" in listing
    nav = client.get("/").get_data(as_text=True)
    assert ">Payments to mark as paid<" in nav
    path = f"/payments/finance/exports/{made.id}/mark-paid"
    assert "3 claims of this export are not yet marked as paid" in text_of(client.get(path))
    missing = post(client, path, {"paid_on-day": "2", "paid_on-month": "6",
                                  "paid_on-year": "2026", "reference": ""})
    assert missing.status_code == 400 and "Enter the payment reference" in text_of(missing)
    assert post(client, path, {"paid_on-day": "2", "paid_on-month": "6",
                               "paid_on-year": "2026", "reference": "RUN-12"}).status_code == 302
    db.expire_all()
    assert [(c.state, c.paid_on, c.payment_reference) for c in
            (db.get_one(Claim, c.id) for c in claims)] == [
        ("paid", dt.date(2026, 6, 2), "RUN-12")] * 3
    assert db.get_one(Claim, other.id).state == "exported"  # another export's, or none
    assert {e.entity_id for e in events(db, "claim_paid", "claim")} == {c.id for c in claims}
    assert "All marked paid" in text_of(client.get("/payments/finance/exports"))
    again = post(client, path, {"paid_on-day": "2", "paid_on-month": "6",
                                "paid_on-year": "2026", "reference": "RUN-12"})
    assert again.status_code == 400 and "Every claim of this export is" in text_of(again)


def test_finance_words_for_route_earnings_and_the_card(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    fee = make_claim(db, ada, when, state="submitted", card_id="nihr_2025_12",
                     card_label="NIHR involvement rates from 16 December 2025")
    taxi = make_claim(db, ada, when, kind=ClaimKind.TAXI, state="submitted", pence=1200)
    finance(db, client)
    page = text_of(client.get(f"/payments/finance/claims/{fee.id}"))
    assert "Not chosen yet: ask their coordinator" in page and "Earnings (a fee)" in page
    assert "its figures are not yet checked against NIHR's page" in page
    page = text_of(client.get(f"/payments/finance/claims/{taxi.id}"))
    assert "Not used: an expense is paid as claimed" in page
