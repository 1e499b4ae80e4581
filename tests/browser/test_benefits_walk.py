"""Issue 10's benefits-aware schedule tried as a new user would, in a real
browser: a contributor on Carer's Allowance tells us so (with consent) on
their own benefits page, says yes to a paid day, then opens a second offer
whose session is in the same week. Before saying yes they see that the two
fees would take them over the weekly earnings limit, with the one-sentence
explanation of the cliff edge and the Benefits Advice Service; they choose
to be paid in another week, say yes, and their schedule shows the two fees
in two weeks, with no warning. Every page is checked with axe (WCAG 2.2 A
and AA), at 320 px and for console errors by the harness.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.payments.choice_models import BenefitRecord, SessionFeeChoice
from crm.projects.roles import to_utc
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_signed_up_contributor
from tests.project_factories import make_offer, make_role, role_session


def _monday_in_three_weeks() -> dt.date:
    today = london_today()
    return today + dt.timedelta(days=21 - today.weekday())


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def test_a_carer_moves_a_fee_to_another_week_before_saying_yes(page: Page, db: Session) -> None:
    user, me = make_signed_up_contributor(db, "Robin Carer")
    monday = _monday_in_three_weeks()
    first = make_role(db, fee_tier="tier_150", title="Training day for ward staff",
                      sessions=[role_session(to_utc(monday, dt.time(9, 30)), minutes=390)])
    second = make_role(db, fee_tier="tier_150", title="Menu planning day",
                       sessions=[role_session(to_utc(monday + dt.timedelta(days=2),
                                                     dt.time(9, 30)), minutes=390)])
    first_offer = make_offer(db, first, me)
    second_offer = make_offer(db, second, me)
    main = page.get_by_role("main")

    # 1. They tell us about their Carer's Allowance, with consent.
    log_in(page, user, "/my/benefits")
    page.get_by_role("group", name="Do you agree to us keeping a note of your benefits?") \
        .get_by_label("Yes").check()
    page.get_by_role("group", name="Which benefits do you get?").get_by_label(
        "Carer's Allowance").check()
    page.get_by_label("Which day does your benefit week start on?").select_option(label="Monday")
    submit(page, page.get_by_role("button", name="Save"))
    expect(main).to_contain_text("Saved. Thank you for telling us.")
    held = db.scalar(select(BenefitRecord).where(BenefitRecord.contributor_id == me.id))
    assert held is not None and held.benefits == ["carers_allowance"] and held.week_day == 0

    # 2. The first paid day: £165, under the weekly limit: no warning. Yes.
    visit(page, f"/my/offers/{first_offer.id}")
    expect(main).to_contain_text("£165.00 for the session on")
    expect(main).not_to_contain_text("This fee could affect your benefits")
    expect(main).to_contain_text("Benefits Advice Service for Involvement")
    page.get_by_role("group", name="Would you like to do this role?").get_by_label("Yes").check()
    submit(page, page.get_by_role("button", name="Send my answer"))
    expect(main).to_contain_text("Thank you for saying yes.")

    # 3. The second, in the same week: the warning before saying yes.
    visit(page, f"/my/offers/{second_offer.id}")
    warning = main.locator(".nhsuk-card--warning")
    expect(warning).to_contain_text("This fee could affect your benefits")
    expect(warning).to_contain_text("£330.00 in the week of")
    expect(warning).to_contain_text("£126.00 over the Carer's Allowance earnings limit of "
                                    "£204.00 a week")
    expect(warning).to_contain_text("you get no Carer's Allowance at all for that week")
    expect(warning).to_contain_text("Benefits Advice Service for Involvement")

    # 4. They choose to be paid a week later, and say yes.
    page.get_by_role("group", name="Would you like to do this role?").get_by_label("Yes").check()
    choices = page.get_by_role("group", name="If you say yes, how would you like to be paid "
                                             "for this?")
    choices.get_by_label("Pay me on a later date I choose").check()
    later = monday + dt.timedelta(days=21)
    fill_date(page, "If you chose a later date: the date you would like to be paid on", later)
    submit(page, page.get_by_role("button", name="Send my answer"))
    expect(main).to_contain_text("Thank you for saying yes.")
    chosen = db.scalar(select(SessionFeeChoice).where(
        SessionFeeChoice.role_session_id == second.sessions[0].id))
    assert chosen is not None and (chosen.choice, chosen.pay_on) == ("other_period", later)
    db.expire_all()
    assert db.get(type(second_offer), second_offer.id).status == OfferStatus.ACCEPTED.value  # type: ignore[union-attr]

    # 5. The schedule shows the two fees in two weeks, and no warning.
    visit(page, "/my/payment-schedule")
    expect(main).to_contain_text("Benefit weeks")
    periods = main.locator(".app-schedule-period")
    expect(periods).to_have_count(2)
    expect(periods.nth(0)).to_contain_text("Training day for ward staff")
    expect(periods.nth(1)).to_contain_text("Menu planning day")
    expect(periods.nth(1)).to_contain_text(f"Chosen to be paid on {later.day} {later:%B %Y}")
    expect(main).not_to_contain_text("Over a limit")

    # 6. One fee on its own page, from the schedule: they take less for the
    # first day; the other fee stays as it was.
    follow(page, main.get_by_role("link", name=re.compile(
        "^Change what happens to this fee for Training day for ward staff")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change what happens to this fee")
    page.get_by_role("group", name="What would you like to happen to this fee?").get_by_label(
        "Pay me less").check()
    page.get_by_label("If you chose less: how much would you like?").fill("100")
    submit(page, page.get_by_role("button", name="Save the choice"))
    expect(main).to_contain_text("Your choice for this fee is saved.")
    expect(periods.nth(0)).to_contain_text("Taking less: £100.00 of £165.00")
    expect(periods.nth(1)).to_contain_text(f"Chosen to be paid on {later.day} {later:%B %Y}")
    follow(page, main.get_by_role("link", name="How you are paid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How you are paid")
