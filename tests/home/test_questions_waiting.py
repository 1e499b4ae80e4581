"""A contributor's question about an offer waits for the coordinator until
they mark it answered, whatever happens to the offer: the walk found Kit's
"Can I join online?" on no page once Kit said no, and the coordinator's home
page never showed a question."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.matching import offer_replies
from crm.matching.models import Offer, OfferStatus
from crm.permissions import Role
from tests.factories import communication, consent, log_in, make_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SOON = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0) + \
    dt.timedelta(days=40)
ASKED = "Can I join online?"


def person(db, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("consents", [consent("contact")])
    fields.setdefault("communication", communication())
    return make_contributor(db, **fields)


def asked_then_said_no(db, coordinator):  # type: ignore[no-untyped-def]
    role = make_role(db, title="Menu tasting", sessions=[role_session(SOON, 120)])
    who = person(db, full_name="Kit Example")
    offer = make_offer(db, role, who)
    offer_replies.ask(db, coordinator, offer, ASKED)
    offer_replies.answer(db, coordinator, offer, "no")
    db.commit()
    return role, who, offer


def token(client, path: str) -> str:  # type: ignore[no-untyped-def]
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)  # type: ignore[union-attr]


def questions_part(html: str) -> str:
    return html.split("Questions asked")[1].split("<h2")[0] if "Questions asked" in html else ""


def test_a_question_stays_on_both_offers_pages_after_a_no(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    role, who, offer = asked_then_said_no(db, coordinator)
    assert db.get(Offer, offer.id).status == OfferStatus.DECLINED.value
    log_in(client, coordinator)
    role_page = client.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    assert ASKED in questions_part(role_page)
    assert "Mark as answered" in questions_part(role_page)
    person_page = client.get(f"/matching/people/{who.id}/offers").get_data(as_text=True)
    assert ASKED in person_page and "Mark as answered" in person_page


def test_marking_it_answered_takes_it_off_the_lists_keeps_the_words_and_is_audited(
        client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    role, who, offer = asked_then_said_no(db, coordinator)
    log_in(client, coordinator)
    page = f"/matching/roles/{role.id}/offers"
    url = f"/to-do/questions/{offer.id}/answered"
    assert client.post(url, data={"back": "role"}).status_code == 400  # no CSRF token
    response = client.post(url, data={"csrf_token": token(client, page), "back": "role"})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    db.expire_all()
    marked = db.get(Offer, offer.id)
    assert marked.question == ASKED and marked.question_answered_at is not None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.UPDATE,
                                                AuditEvent.entity_type == EntityType.OFFER)).one()
    assert (event.entity_id, event.summary) == (offer.id, "marked their question answered")
    html = client.get(page).get_data(as_text=True)
    assert "question is marked as answered" in html and ASKED not in questions_part(html)
    person_page = client.get(f"/matching/people/{who.id}/offers").get_data(as_text=True)
    assert ASKED in person_page and "Marked as answered" in person_page
    assert f'action="{url}"' not in person_page
    # Twice is refused, and changes nothing.
    client.post(url, data={"csrf_token": token(client, page), "back": "role"})
    assert "There is no question waiting" in client.get(page).get_data(as_text=True)


def test_a_new_question_after_one_was_answered_waits_again(db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    role = make_role(db, sessions=[role_session(SOON, 120)])
    offer = make_offer(db, role, person(db))
    offer_replies.ask(db, coordinator, offer, "First?")
    offer_replies.mark_question_answered(db, coordinator, offer)
    offer_replies.ask(db, coordinator, offer, "Second?")
    db.commit()
    assert offer.question == "First?\n\nSecond?" and offer.question_answered_at is None


def test_the_coordinators_home_counts_questions_waiting_and_links_the_list(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    _role, who, offer = asked_then_said_no(db, coordinator)
    other = make_offer(db, make_role(db), person(db), question="Answered already",
                       question_at=SOON, question_answered_at=SOON)
    log_in(client, coordinator)
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/to-do/questions">Questions waiting: 1</a>' in home
    listing = client.get("/to-do/questions").get_data(as_text=True)
    assert ASKED in listing and who.full_name in listing and "Answered already" not in listing
    assert f"/to-do/questions/{offer.id}/answered" in listing
    assert f"/to-do/questions/{other.id}/answered" not in listing
    looks = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW,
                                                AuditEvent.endpoint == "home.questions")).all()
    assert {e.entity_id for e in looks} == {None, who.id}
    response = client.post(f"/to-do/questions/{offer.id}/answered",
                           data={"csrf_token": token(client, "/to-do/questions")})
    assert response.headers["Location"].endswith("/to-do/questions")
    assert "Questions waiting" not in client.get("/").get_data(as_text=True)


def test_other_roles_are_refused_the_questions_pages(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    _role, _who, offer = asked_then_said_no(db, coordinator)
    for role in (Role.FINANCE, Role.REPORT_VIEWER, Role.CONTRIBUTOR):
        log_in(client, make_user(db, role))
        assert client.get("/to-do/questions").status_code == 403
        assert client.post(f"/to-do/questions/{offer.id}/answered",
                           data={"csrf_token": token(client, "/")}).status_code == 403
