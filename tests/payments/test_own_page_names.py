"""A contributor's own payment pages each have one name per version: the
page's <title>, its <h1> and every link to it say the same words (a link
"How you are paid" opened "How I get paid"; "When I get paid" was headed
"When you will be paid": walk finding 24). The standard schedule keeps the
staff-like totals to the coordinator's page."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.payments.statement import tax_year_label, tax_year_of
from crm.permissions import Role
from tests.factories import log_in, make_signed_up_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.payments.test_my_payments import words
from tests.project_factories import make_offer, make_role, role_session


class Page(HTMLParser):
    """The <title>, the <h1> and each link (its path and the words it shows,
    less any visually hidden words) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = self.h1 = ""
        self.links: list[tuple[str, str]] = []
        self._in: list[str] = []
        self._hidden = 0
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._hidden or "nhsuk-u-visually-hidden" in (found.get("class") or ""):
            self._hidden += 1
        self._in.append(tag)
        if tag == "a" and found.get("href"):
            self._href, self._text = found["href"], []

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
        if tag == "a" and self._href is not None:
            url = urlsplit(self._href)
            if not url.query:  # "Earlier" and "Later" page through the same page
                self.links.append((url.path, " ".join("".join(self._text).split())))
            self._href = None
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        if self._href is not None and not self._hidden:
            self._text.append(data)


def parse(client: FlaskClient, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, path
    page = Page()
    page.feed(response.get_data(as_text=True))
    return page


# One name per page per version: standard speaks to "you", Easy Read may say "I".
NAMES = {
    "my_payments": ("My payments", "My payments"),
    "choices": ("How you are paid", "How I get paid"),
    "benefits": ("Benefits you get", "My benefits"),
    "schedule": ("When you will be paid", "When I get paid"),
    "session_fee": ("Change what happens to this fee", "Change what we do with my fee"),
    "statement": ("Your statement for {}", "My money for {}"),
    "claim_form": ("Claim form", "Your claim form"),
}


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


@pytest.fixture
def kit(db: Session):  # type: ignore[no-untyped-def]
    """A person with a paid fee (a statement, a claim form) and a yes to a
    paid role still to come (a planned fee with its own page)."""
    user, me = make_signed_up_contributor(db, "Kit Example")
    today = london_today()
    _role, done, _ = paid_role(db, starts_at=at(today - dt.timedelta(days=20)), people=0)
    make_claim(db, me, done, state="paid", pay_on=today - dt.timedelta(days=6),
               paid_on=today - dt.timedelta(days=6))
    coming = make_role(db, title="Food panel", fee_tier="tier_150",
                       sessions=[role_session(at(today + dt.timedelta(days=12)))])
    offer = make_offer(db, coming, me, OfferStatus.ACCEPTED)
    return user, me, done.id, coming.sessions[0].id, offer.id


@pytest.mark.parametrize("easy", [False, True])
def test_each_pages_title_heading_and_links_say_the_same(client: FlaskClient, db: Session,
                                                         kit, easy: bool) -> None:  # type: ignore[no-untyped-def]
    user, me, done_id, coming_id, offer_id = kit
    me.prefers_easy_read = easy
    db.commit()
    log_in(client, user)
    year = tax_year_of(london_today())
    name = {key: pair[1 if easy else 0] for key, pair in NAMES.items()}
    targets = {
        "/payments/my": name["my_payments"],
        "/my/payment-choices": name["choices"],
        "/my/benefits": name["benefits"],
        "/my/payment-schedule": name["schedule"],
        f"/my/payment-schedule/sessions/{coming_id}": name["session_fee"],
        f"/payments/my/statement/{year}": name["statement"].format(tax_year_label(year)),
        f"/payments/my/sessions/{done_id}/claim-form": name["claim_form"],
    }
    assert len(set(targets.values())) == len(targets)
    seen: dict[str, set[str]] = {path: set() for path in targets}
    for path in [*targets, f"/my/offers/{offer_id}"]:
        page = parse(client, path)
        if path in targets:
            assert page.title.split(" – ")[0].strip() == targets[path], path
            assert " ".join(page.h1.split()) == targets[path], path
        for href, text in page.links:
            if href in targets:
                seen[href].add(text)
    for path, texts in seen.items():
        wanted = targets[path]
        back = f"Back to {wanted[:1].lower()}{wanted[1:]}"
        assert texts <= {wanted, back}, (path, texts)
    # every page is linked to from another one
    assert all(seen.values()), seen


def test_the_standard_schedule_has_no_staff_totals(client: FlaskClient, db: Session,
                                                   kit) -> None:  # type: ignore[no-untyped-def]
    user, me, *_ = kit
    log_in(client, user)
    mine = words(client.get("/my/payment-schedule"))
    assert "Total: £" in mine
    assert not re.search(r"paid £[\d.,]+, approved", mine)
    log_in(client, make_user(db, Role.COORDINATOR))
    staff = words(client.get(f"/payments/people/{me.id}/schedule"))
    assert re.search(r"\(paid £[\d.,]+, approved £[\d.,]+, waiting £[\d.,]+, planned", staff)
