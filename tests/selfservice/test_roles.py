"""A contributor's "My roles", their offers and "Opportunities": they see
and answer only their own offers (someone else's offer is "not found" at
every URL), answers fill places, Easy Read words show when chosen, and the
pages' query counts do not grow with the number of offers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.audit.actions import Action
from crm.audit.models import AuditEvent
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.projects.models import RoleOpening
from tests.factories import communication, consent, log_in, make_signed_up_contributor
from tests.project_factories import (
    make_attendance,
    make_offer,
    make_project,
    make_role,
    role_session,
)

S = OfferStatus
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SOON = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0) + \
    dt.timedelta(days=40)


def text_of(html: str) -> str:
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    body = re.sub(r"<[^>]+>", " ", main.group(1) if main else html)
    return " ".join(body.split())


def role(db: Session, places: int = 1, **fields) -> RoleOpening:  # type: ignore[no-untyped-def]
    fields.setdefault("sessions", [role_session(SOON, 120)])
    fields.setdefault("closes_on", (SOON - dt.timedelta(days=10)).date())
    project = make_project(db, description="We want the ward to feel safer.",
                           easy_read_summary="We want the ward to be safe.")
    return make_role(db, project, places=places,
                     description="Sit on the panel that chooses a new ward manager.",
                     easy_read_description="Help choose a new boss for the ward.", **fields)


@pytest.fixture
def me(db: Session):  # type: ignore[no-untyped-def]
    user, c = make_signed_up_contributor(db, "Sam Lee")
    c.consents.append(consent("contact"))
    c.communication = communication()
    db.commit()
    return user, c


@pytest.fixture
def other(db: Session):  # type: ignore[no-untyped-def]
    return make_signed_up_contributor(db, "Zanele Otherperson")


@pytest.fixture
def signed_in(client: FlaskClient, me) -> FlaskClient:  # type: ignore[no-untyped-def]
    return log_in(client, me[0])


def token(client: FlaskClient, path: str = "/my/roles") -> str:
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)  # type: ignore[union-attr]


# --- Nobody else's offers ------------------------------------------------------------

def test_every_offer_url_with_someone_elses_offer_is_not_found(
        app: Flask, db, signed_in, me, other) -> None:
    theirs = make_offer(db, role(db), other[1])
    csrf = token(signed_in)
    rules = [r for r in app.url_map.iter_rules() if "offer_id" in r.arguments
             and r.endpoint.startswith("my.")]
    assert {r.endpoint for r in rules} == {"my.offer", "my.answer_offer", "my.ask_about_offer"}
    for rule in rules:
        path = rule.rule.replace("<int:offer_id>", str(theirs.id))
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        data = {"csrf_token": csrf, "reply": "yes", "question": "Hello?"}
        response = signed_in.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, rule.endpoint
    db.expire_all()
    assert db.get(Offer, theirs.id).status == "offered"
    assert db.get(Offer, theirs.id).question is None


def test_my_roles_shows_only_my_own_offers(db, signed_in, me, other) -> None:
    mine = make_offer(db, role(db, title="Interview panel"), me[1])
    make_offer(db, role(db, title="Secret other role"), other[1])
    html = signed_in.get("/my/roles").get_data(as_text=True)
    assert "Interview panel" in html and f"/my/offers/{mine.id}" in html
    assert "Secret other role" not in html


# --- My roles -------------------------------------------------------------------------------

def test_my_roles_has_waiting_offers_roles_i_do_and_what_i_did(db, signed_in, me) -> None:
    c = me[1]
    make_offer(db, role(db, title="Food focus group"), c)
    doing = role(db, title="Culture of Care team",
                 sessions=[role_session(dt.datetime(2027, 3, 9, 10, tzinfo=dt.UTC), 120,
                                        venue="Room 4, Main Building")])
    make_offer(db, doing, c, S.ACCEPTED)
    past = role(db, title="Menu tasting", status="closed",
                sessions=[role_session(SOON - dt.timedelta(days=90))])
    make_offer(db, past, c, S.ACCEPTED)
    make_attendance(db, past.sessions[0], c, "attended")
    page = text_of(signed_in.get("/my/roles").get_data(as_text=True))
    assert "Food focus group" in page.split("Roles I am doing")[0]
    assert "Tuesday 9 March 2027, 10am to 12pm. Room 4, Main Building." in page
    doing, done = page.split("Roles I am doing")[1].split("What I have done before")
    assert "Culture of Care team" in doing and "Menu tasting" not in doing  # it is over
    assert "Menu tasting" in done and "You took part" in done


def test_my_roles_query_count_does_not_grow_with_offers(db, signed_in, me,
                                                        count_queries) -> None:
    def count() -> int:
        count_queries.statements.clear()
        assert signed_in.get("/my/roles").status_code == 200
        return count_queries.count

    make_offer(db, role(db), me[1])
    first = role(db)
    make_offer(db, first, me[1], S.ACCEPTED)
    make_attendance(db, first.sessions[0], me[1])
    few = count()
    for _ in range(4):
        make_offer(db, role(db), me[1])
        r = role(db, sessions=[role_session(SOON + dt.timedelta(days=5))])
        make_offer(db, r, me[1], S.ACCEPTED)
        make_attendance(db, r.sessions[0], me[1])
    assert count() == few


# --- One offer -------------------------------------------------------------------------------

def test_the_offer_page_in_standard_and_easy_read(db, signed_in, me) -> None:
    offer = make_offer(db, role(db, fee_tier="tier_75"), me[1])
    offer.expires_on = offer.role.closes_on
    db.commit()
    page = text_of(signed_in.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    assert "Sit on the panel" in page and "We want the ward to feel safer." in page
    assert "This role is paid" in page and "Not this time is not the same as never" in page
    assert "Ask a question" in page
    # the date to reply by comes before the answer form, not after its button
    assert page.index("Please reply by") < page.index("Send my answer")
    me[1].prefers_easy_read = True
    db.commit()
    easy = text_of(signed_in.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    assert "Help choose a new boss for the ward." in easy and "Sit on the panel" not in easy
    assert "We want the ward to be safe." in easy and "You get paid for this." in easy


@pytest.mark.parametrize(("reply", "status", "words"), [
    ("yes", "accepted", "Thank you for saying yes."),
    ("no", "declined", "Thank you for letting us know."),
    ("not_this_time", "not_this_time", "We will still ask you about other roles."),
])
def test_answering_an_offer(db, signed_in, me, reply, status, words) -> None:
    offer = make_offer(db, role(db), me[1])
    path = f"/my/offers/{offer.id}"
    response = signed_in.post(f"{path}/answer", data={"csrf_token": token(signed_in, path),
                                                      "reply": reply})
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    db.expire_all()
    assert db.get(Offer, offer.id).status == status
    after = text_of(signed_in.get(path).get_data(as_text=True))
    assert words in after and "Would you like to do this role?" not in after
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.OFFER_ANSWERED))
    assert event.actor_id == me[0].id


def test_saying_yes_when_the_places_are_gone_puts_me_on_the_waiting_list(db, signed_in, me,
                                                                          other) -> None:
    r = role(db)
    make_offer(db, r, other[1], S.ACCEPTED)
    offer = make_offer(db, r, me[1])
    path = f"/my/offers/{offer.id}"
    signed_in.post(f"{path}/answer", data={"csrf_token": token(signed_in, path), "reply": "yes"})
    page = text_of(signed_in.get(path).get_data(as_text=True))
    assert "All the places have been taken, so you are on the waiting list" in page
    db.expire_all()
    assert db.get(Offer, offer.id).status == "waiting"


def test_no_answer_chosen_shows_the_error_and_changes_nothing(db, signed_in, me) -> None:
    offer = make_offer(db, role(db), me[1])
    path = f"/my/offers/{offer.id}"
    response = signed_in.post(f"{path}/answer", data={"csrf_token": token(signed_in, path)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and 'href="#reply"' in html
    assert html.count("Choose yes, no or not this time") == 2  # summary and beside the radios
    db.expire_all()
    assert db.get(Offer, offer.id).status == "offered"


def test_an_expired_offer_cannot_be_answered(db, signed_in, me) -> None:
    r = role(db, closes_on=dt.date.today() - dt.timedelta(days=2))
    offer = make_offer(db, r, me[1], expires_on=r.closes_on)
    path = f"/my/offers/{offer.id}"
    page = text_of(signed_in.get(path).get_data(as_text=True))
    assert "This offer has closed" in page and "Would you like to do this role?" not in page
    response = signed_in.post(f"{path}/answer", data={"csrf_token": token(signed_in, path),
                                                      "reply": "yes"})
    assert response.status_code == 400 and "Sorry, this closed on" in response.get_data(
        as_text=True)


def test_asking_a_question_keeps_the_offer_open(db, signed_in, me) -> None:
    offer = make_offer(db, role(db), me[1])
    path = f"/my/offers/{offer.id}"
    response = signed_in.post(f"{path}/ask", data={"csrf_token": token(signed_in, path),
                                                   "question": "Is there a lift?"})
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(Offer, offer.id)
    assert (saved.status, saved.question) == ("offered", "Is there a lift?")
    empty = signed_in.post(f"{path}/ask", data={"csrf_token": token(signed_in, path),
                                                "question": "  "})
    assert empty.status_code == 400 and "Write your question" in empty.get_data(as_text=True)


# --- Opportunities ----------------------------------------------------------------------

def test_opportunities_lists_open_roles_i_could_do_and_interest_sticks(db, signed_in,
                                                                      me) -> None:
    could = role(db, title="Open panel")
    role(db, title="Needs training", required_training=["safeguarding"])
    role(db, title="Closed already", closes_on=dt.date.today() - dt.timedelta(days=1))
    role(db, title="A draft", status="draft")
    offered = role(db, title="Already offered to me")
    make_offer(db, offered, me[1])
    page = text_of(signed_in.get("/my/opportunities").get_data(as_text=True))
    assert "Open panel" in page and "Help choose" not in page
    for hidden in ("Needs training", "Closed already", "A draft", "Already offered to me"):
        assert hidden not in page
    csrf = token(signed_in, "/my/opportunities")
    for _ in range(2):
        response = signed_in.post(f"/my/opportunities/{could.id}/interested",
                                  data={"csrf_token": csrf})
        assert response.status_code == 302
    assert len(db.scalars(select(RoleInterest)).all()) == 1
    page = text_of(signed_in.get("/my/opportunities").get_data(as_text=True))
    assert "You told us you're interested" in page


def test_interest_in_a_role_not_open_to_me_is_not_found(db, signed_in, me) -> None:
    needs = role(db, required_training=["safeguarding"])
    response = signed_in.post(f"/my/opportunities/{needs.id}/interested",
                              data={"csrf_token": token(signed_in)})
    assert response.status_code == 404
    assert db.scalars(select(RoleInterest)).all() == []


def test_an_offer_says_when_another_of_my_roles_meets_at_the_same_time(db, signed_in,
                                                                        me) -> None:
    """Offered two roles at one time (two batches, or by hand): the offer
    page says so, in both versions, and that the choice is theirs. A role at
    another time, or one they said no to, is not named."""
    offer = make_offer(db, role(db, title="Interview panel"), me[1])
    make_offer(db, role(db, title="Ward visit",
                        sessions=[role_session(SOON + dt.timedelta(minutes=30), 60)]),
               me[1], S.ACCEPTED)
    make_offer(db, role(db, title="Evening group",
                        sessions=[role_session(SOON + dt.timedelta(hours=5), 60)]), me[1])
    make_offer(db, role(db, title="Food panel"), me[1], S.DECLINED)
    db.commit()
    page = text_of(signed_in.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    assert "Ward visit, which you have said yes to, meets at the same time" in page
    assert "The choice is yours" in page
    assert "Evening group" not in page and "Food panel" not in page
    me[1].prefers_easy_read = True
    db.commit()
    easy = text_of(signed_in.get(f"/my/offers/{offer.id}").get_data(as_text=True))
    assert "Ward visit is at the same time" in easy and "You choose." in easy
