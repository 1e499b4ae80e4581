"""Issue 10's ledger tried as a new user would, in a real browser:

1. a coordinator records attendance at yesterday's session of a paid role;
   the fee is drafted from the rate card in force on the session's date;
   they add an expense with a photo of the receipt and send both to finance;
2. finance opens the claims waiting, is refused approving a claim they
   recorded themselves, approves the fee and the expense, makes an export
   for the period and downloads it, and marks both paid with a reference;
3. the contributor sees them under "My payments", opens their yearly
   statement (in Easy Read too) and downloads it.

Every page is checked with axe (WCAG 2.2 A and AA), at 320 px, and for
console errors by the harness (tests/browser/harness.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.matching.models import OfferStatus
from crm.payments.ledger import LONDON, session_date
from crm.payments.ledger_models import Claim
from crm.payments.rate_cards import fee_for
from crm.payments.statement import tax_year_label, tax_year_of
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_signed_up_contributor, make_user
from tests.payments.ledger_factories import make_claim
from tests.project_factories import make_offer, make_project, make_role, role_session

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def test_fee_and_expense_from_attendance_to_my_payments(page: Page, new_context, db: Session,
                                                        tmp_path: Path) -> None:
    coordinator = make_user(db, Role.COORDINATOR, name="Kim Coordinator")
    finance = make_user(db, Role.FINANCE, name="Fay Finance")
    user, asha = make_signed_up_contributor(db, "Asha Patel")
    _other_user, ola = make_signed_up_contributor(db, "Ola Brown")
    role = make_role(db, make_project(db, "Better ward food", cost_code="NHS-4471"),
                     title="Food group member", fee_tier="tier_50", places=2,
                     sessions=[role_session(utcnow() - dt.timedelta(hours=26), minutes=120)])
    sitting = role.sessions[0]
    make_offer(db, role, asha, OfferStatus.ACCEPTED)
    # A claim finance keyed in themselves, which they may not approve.
    own_entry = make_claim(db, ola, sitting, state="submitted", recorded_by_id=finance.id)
    card = fee_for("tier_50", session_date(sitting))

    # 1. The coordinator records attendance; the fee is drafted.
    log_in(page, coordinator, f"/matching/sessions/{sitting.id}/attendance")
    page.get_by_role("group", name="Asha Patel").get_by_label("Attended").check()
    submit(page, page.get_by_role("button", name="Save attendance"))
    follow(page, main(page).get_by_role("link", name="Fees and expenses for this session"))
    fee_row = main(page).get_by_role("row").filter(has_text="Asha Patel").filter(has_text="Fee")
    expect(fee_row).to_contain_text(f"£{card.pence / 100:.2f}")
    expect(fee_row).to_contain_text(card.card_label)
    expect(fee_row).to_contain_text("Drafted")

    follow(page, main(page).get_by_role("link", name="Add an expense"))
    page.get_by_label("Who is claiming").select_option(label="Asha Patel")
    page.get_by_role("group", name="What is it for").get_by_label("Public transport").check()
    page.get_by_label("Amount spent, in pounds").fill("8.60")
    receipt = tmp_path / "bus-ticket.png"
    receipt.write_bytes(PNG)
    page.get_by_label("Receipt (optional)").set_input_files(str(receipt))
    submit(page, page.get_by_role("button", name="Add the expense"))
    expect(main(page)).to_contain_text("The expense is added.")
    submit(page, page.get_by_role("button", name="Send drafted claims to finance"))
    expect(main(page)).to_contain_text("2 claims sent to finance for approval.")
    visit(page, f"/payments/sessions/{sitting.id}/people/{asha.id}/claim-form")
    expect(main(page)).to_contain_text("Claim form for Asha Patel")

    # 2. Finance approves (not their own entry), exports and marks paid.
    money = new_context().new_page()
    log_in(money, finance, "/")
    expect(main(money)).to_contain_text("3 claims waiting for approval")
    follow(money, main(money).get_by_role("link", name="3 claims waiting for approval"))
    follow(money, main(money).get_by_role("link", name="Ola Brown"))
    expect(main(money)).to_contain_text("you cannot approve it")
    expect(main(money).get_by_role("button", name="Approve this claim")).to_have_count(0)
    for what in ("Fee", "Public transport"):
        visit(money, "/payments/finance/waiting")
        follow(money, main(money).get_by_role("row").filter(has_text="Asha Patel")
               .filter(has_text=what).get_by_role("link"))
        expect(main(money)).to_contain_text("NHS-4471")
        submit(money, money.get_by_role("button", name="Approve this claim"))
        expect(main(money)).to_contain_text("The claim is approved.")

    follow(money, money.get_by_role("navigation", name="Menu")
           .get_by_role("link", name="Exports for payment"))
    today = utcnow().astimezone(LONDON).date()
    fill_date(money, "Start of the period", today - dt.timedelta(days=30))
    fill_date(money, "End of the period", today + dt.timedelta(days=60))
    submit(money, money.get_by_role("button", name="Make an export"))
    expect(main(money)).to_contain_text("2 claims")
    with money.expect_download() as download:
        main(money).get_by_role("link", name="CSV").first.click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Asha Patel" in exported and "NHS-4471" in exported and "Ola Brown" not in exported

    # One claim on its own, then the rest of the export as one payment run.
    visit(money, "/payments/finance/to-pay")
    follow(money, main(money).get_by_role("link", name="Asha Patel").first)
    fill_date(money, "Day it was paid", today)
    money.get_by_label("Payment reference").fill("BACS-2291")
    submit(money, money.get_by_role("button", name="Mark as paid"))
    expect(main(money)).to_contain_text("The payment is marked as paid.")
    visit(money, "/payments/finance/exports")
    follow(money, main(money).get_by_role("link", name=re.compile("^Mark as paid")))
    expect(main(money)).to_contain_text("1 claim of this export is not yet marked as paid")
    fill_date(money, "Day it was paid", today)
    money.get_by_label("Payment reference").fill("BACS-2291")
    submit(money, money.get_by_role("button", name="Mark 1 claim as paid"))
    expect(main(money)).to_contain_text("1 claim of export")
    db.expire_all()
    states = dict(db.execute(select(Claim.kind, Claim.state)
                             .where(Claim.contributor_id == asha.id)).all())
    assert states == {"fee": "paid", "public_transport": "paid"}
    assert db.get_one(Claim, own_entry.id).state == "submitted"

    # 3. The contributor sees it under "My payments" and gets the statement.
    mine = new_context().new_page()
    log_in(mine, user, "/")
    follow(mine, mine.get_by_role("navigation", name="Menu")
           .get_by_role("link", name="My payments"))
    total = f"£{(card.pence + 860) / 100:.2f}"
    expect(main(mine)).to_contain_text(f"Paid to you so far: {total}")
    year = tax_year_of(today)
    follow(mine, main(mine).get_by_role("link", name=f"Your statement for {tax_year_label(year)}"))
    expect(main(mine)).to_contain_text("Fees may be taxable")
    submit(mine, mine.get_by_role("button", name="Switch to Easy Read"))
    expect(main(mine)).to_contain_text("You may pay tax on fees.")
    with mine.expect_download() as statement:
        main(mine).get_by_role("link", name="Save this on your device").click()
    saved = Path(statement.value.path()).read_text(encoding="utf-8")
    assert f"£{card.pence / 100:.2f}" in saved and "£8.60" in saved
    # The claim form, filled in for them (in Easy Read, as they chose now).
    visit(mine, "/payments/my")
    follow(mine, main(mine).get_by_role("link", name="Your claim form").first)
    expect(main(mine)).to_contain_text("Asha Patel")
    expect(main(mine)).to_contain_text(f"Total: {total}")
