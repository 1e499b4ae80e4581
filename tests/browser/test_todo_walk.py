"""The coordinator's to-do, in a real browser: from the home page to each
list (questions waiting, offers to make by phone or letter, claims not sent
to finance, past sessions with no attendance), and a question marked as
answered. Every page is checked with axe (WCAG 2.2 A and AA) and at 320 px
by the harness; the contributor's home says how many offers wait for them."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from crm.matching.models import Offer, OfferStatus
from crm.payments.ledger_models import Claim
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_contributor, make_signed_up_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session

NOW = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def test_a_coordinator_works_through_the_to_do(page: Page, db: Session) -> None:
    coming = make_role(db, title="Food panel", places=2,
                       sessions=[role_session(NOW + dt.timedelta(days=20))])
    user, asker = make_signed_up_contributor(db, "Kit Asker")
    offer = make_offer(db, coming, asker)
    offer.question, offer.question_at = "Can I join online?", NOW
    by_hand = make_offer(db, coming, make_contributor(db, full_name="Frankie Letter"))
    by_hand.channel = "by_hand"
    past = make_role(db, title="Menu tasting",
                     sessions=[role_session(NOW - dt.timedelta(days=3), 120)])
    booked = make_contributor(db, full_name="Sam Booked")
    make_offer(db, past, booked, OfferStatus.ACCEPTED, place_no=1)
    db.add(Claim(contributor_id=booked.id, session_id=past.sessions[0].id, kind="fee",
                 is_earnings=True, state="drafted", amount_pence=5000,
                 pay_on=past.sessions[0].starts_at.date()))
    db.commit()
    main = page.get_by_role("main")

    log_in(page, make_user(db, Role.COORDINATOR, name="Casey Coordinator"))
    for link, shows in (("Questions waiting: 1", "Can I join online?"),
                        ("Offers to make by phone or letter: 1", "Frankie Letter"),
                        ("Claims not yet sent to finance: 1", "Menu tasting"),
                        ("Past sessions with no attendance recorded: 1", "Menu tasting")):
        visit(page, "/")
        follow(page, main.get_by_role("link", name=link))
        expect(main).to_contain_text(shows)
    visit(page, "/")
    follow(page, main.get_by_role("link", name="Questions waiting: 1"))
    submit(page, main.get_by_role("button", name=re.compile("^Mark as answered")))
    db.expire_all()
    assert db.get_one(Offer, offer.id).question_answered_at is not None
    visit(page, "/")
    expect(main.get_by_role("link", name=re.compile("^Questions waiting"))).to_have_count(0)

    log_in(page, user)
    expect(main).to_contain_text("You have 1 offer to answer")
