"""Issue 10 from the coordinator's side, in a real browser: from a person's
record to their payment choices and benefits (recorded with their consent),
to their payment schedule with its warning, to one planned fee's own page,
where the coordinator records that the person chose to be paid on a later
date for that fee only; then the batch page, where a person proposed for two
paid roles in one week has a "may affect benefits" note beside each. Every
page is checked with axe (WCAG 2.2 A and AA) and at 320 px by the harness.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.matching.models import MatchBatch, MatchProposal, OfferStatus
from crm.matching.offers import london_today
from crm.payments.choice_models import BenefitRecord, SessionFeeChoice
from crm.permissions import Role
from crm.projects.roles import to_utc
from tests.browser.harness import follow, log_in, submit, visit
from tests.browser.test_benefits_walk import fill_date
from tests.factories import consent, make_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session


def test_a_coordinator_records_a_later_date_for_one_fee(page: Page, db: Session) -> None:
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    person = make_contributor(db, full_name="Robin Carer", consents=[consent("contact")])
    first = make_role(db, fee_tier="tier_150", title="Training day for ward staff",
                      sessions=[role_session(to_utc(monday, dt.time(9, 30)), minutes=390)])
    second = make_role(db, fee_tier="tier_150", title="Menu planning day",
                       sessions=[role_session(to_utc(monday + dt.timedelta(days=2),
                                                     dt.time(9, 30)), minutes=390)])
    for role in (first, second):
        make_offer(db, role, person, OfferStatus.ACCEPTED)
    coordinator = make_user(db, Role.COORDINATOR, name="Casey Coordinator")
    main = page.get_by_role("main")

    # 1. From their record to their payment choices and benefits.
    log_in(page, coordinator, f"/contributors/{person.id}")
    follow(page, main.get_by_role("link", name="Their payment choices and benefits"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment choices and benefits")
    page.get_by_role("group", name="Have they given explicit consent to keep a note of "
                                   "their benefits?").get_by_label("Yes").check()
    page.get_by_role("group", name="Benefits", exact=True).get_by_label(
        "Carer's Allowance").check()
    page.get_by_label("Benefit week starts on").select_option(label="Monday")
    submit(page, page.get_by_role("button", name="Save benefits information"))
    expect(main).to_contain_text("Benefits information saved.")
    held = db.scalar(select(BenefitRecord).where(BenefitRecord.contributor_id == person.id))
    assert held is not None and held.benefits == ["carers_allowance"]

    # 2. Their schedule: two days in one week, over the weekly limit.
    follow(page, main.get_by_role("link", name="see their payment schedule"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment schedule")
    warning = main.locator(".nhsuk-card--warning")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("Carer's Allowance earnings limit")

    # 3. One fee on its own page: they chose to be paid three weeks later.
    follow(page, main.get_by_role("link", name=re.compile(
        "^Change what happens to this fee for Menu planning day")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change what happens to this fee")
    expect(main).to_contain_text("Over a limit in this period")
    page.get_by_role("group", name="What did they choose for this fee?").get_by_label(
        "Paid on a later date they chose").check()
    later = monday + dt.timedelta(days=21)
    fill_date(page, "If a later date: the date they chose to be paid on", later)
    submit(page, page.get_by_role("button", name="Save the choice"))
    expect(main).to_contain_text("Their choice for this fee is saved.")
    expect(main.locator(".nhsuk-card--warning")).to_have_count(0)
    expect(main).to_contain_text(f"Chosen to be paid on {later.day} {later:%B %Y}")
    chosen = db.scalars(select(SessionFeeChoice)).one()
    assert (chosen.role_session_id, chosen.pay_on, chosen.chosen_by_id) == (
        second.sessions[0].id, later, coordinator.id)

    # 4. A batch proposing someone else on Carer's Allowance for two paid
    # roles in one week: a note beside each, before anything is sent.
    other = make_contributor(db, full_name="Sam Carer", consents=[consent("contact")])
    db.add(BenefitRecord(contributor_id=other.id, benefits=["carers_allowance"], week_day=0))
    third = make_role(db, fee_tier="tier_150", title="Interview panel", places=2,
                      sessions=[role_session(to_utc(monday + dt.timedelta(days=7),
                                                     dt.time(9, 30)), minutes=390)])
    fourth = make_role(db, fee_tier="tier_150", title="Ward visit", places=2,
                       sessions=[role_session(to_utc(monday + dt.timedelta(days=9),
                                                     dt.time(9, 30)), minutes=390)])
    batch = MatchBatch(role_ids=[third.id, fourth.id], max_roles_per_person=2,
                       solver_status="optimal", objective=2.0)
    batch.proposals = [MatchProposal(role_id=r.id, contributor_id=other.id, score=1.0)
                       for r in (third, fourth)]
    db.add(batch)
    db.commit()
    visit(page, f"/matching/batches/{batch.id}")
    expect(main.get_by_text(re.compile("^May affect benefits"))).to_have_count(2)
    expect(main).to_contain_text("Talk it through before offering; the choice is theirs.")
