"""Coordinators' offers pages: sending from the candidates page, a role's
offers and replies, the waiting list and "offer the next person", replies
recorded for someone, withdrawing, dropping out, and one person's offers."""

from __future__ import annotations

import datetime as dt
import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.mail.models import OutboxMessage
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.permissions import Role
from crm.projects.models import RoleOpening
from tests.factories import communication, consent, log_in, make_contributor, make_user
from tests.pages import table_rows
from tests.project_factories import make_attendance, make_offer, make_role, role_session

S = OfferStatus
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SOON = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0) + \
    dt.timedelta(days=40)


def person(db: Session, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("consents", [consent("contact")])
    fields.setdefault("communication", communication())
    return make_contributor(db, **fields)


def a_role(db: Session, places: int = 1, **fields) -> RoleOpening:  # type: ignore[no-untyped-def]
    fields.setdefault("sessions", [role_session(SOON, 120)])
    return make_role(db, places=places, **fields)


def staff_client(client: FlaskClient, db: Session) -> FlaskClient:
    return log_in(client, make_user(db, Role.COORDINATOR))


def token(client: FlaskClient, path: str) -> str:
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)  # type: ignore[union-attr]


def test_send_offers_from_the_candidates_page(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    a, b = person(db), person(db, communication=communication(channel_order=["phone"]))
    page = f"/matching/roles/{role.id}/offers"
    response = c.post(f"{page}/send", data={"csrf_token": token(c, page), "action": "offer",
                                            "contributor_id": [str(a.id), str(b.id)]})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    offers = db.scalars(select(Offer).order_by(Offer.contributor_id)).all()
    assert [(o.contributor_id, o.channel) for o in offers] == [(a.id, "email"), (b.id, "by_hand")]
    assert len(db.scalars(select(OutboxMessage)).all()) == 1
    html = c.get(page).get_data(as_text=True)
    assert "2 offered. Tell 1 of them another way" in html
    another_way = html.split("Tell them another way (phone or letter)")[1].split("</ul>")[0]
    assert b.full_name in another_way and a.full_name not in another_way


def test_send_refused_for_someone_who_breaks_a_rule_sends_nothing(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    ok, no = person(db), person(db, consents=[])
    page = f"/matching/roles/{role.id}/offers"
    c.post(f"{page}/send", data={"csrf_token": token(c, page), "action": "offer",
                                 "contributor_id": [str(ok.id), str(no.id)]})
    assert db.scalars(select(Offer)).all() == []
    assert "Has not given consent to be contacted" in c.get(page).get_data(as_text=True)


def test_waiting_list_then_offer_the_next_person_after_a_drop_out(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    holder, first, second = person(db), person(db), person(db)
    held = make_offer(db, role, holder, S.ACCEPTED)
    role.status = "filled"
    db.commit()
    page = f"/matching/roles/{role.id}/offers"
    csrf = token(c, page)
    for p in (first, second):
        c.post(f"{page}/send", data={"csrf_token": csrf, "action": "wait",
                                     "contributor_id": [str(p.id)]})
    html = c.get(page).get_data(as_text=True)
    assert "Offer the place to the next person" not in html  # no free place yet
    waiting = table_rows(html.split('id="group-waiting"')[1])[1:]
    assert [r[:2] for r in waiting] == [["1", f"{first.full_name}Record {first.id}"],
                                        ["2", f"{second.full_name}Record {second.id}"]]

    assert c.post(f"/matching/offers/{held.id}/drop-out", data={"csrf_token": csrf}
                  ).status_code == 302
    html = c.get(page).get_data(as_text=True)
    assert "Offer the place to the next person" in html
    c.post(f"{page}/next", data={"csrf_token": csrf})
    db.expire_all()
    nxt = db.scalars(select(Offer).where(Offer.contributor_id == first.id)).one()
    assert nxt.status == "offered"
    assert db.get(RoleOpening, role.id).status == "open"


def test_record_a_reply_for_someone_and_the_audit_says_who(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    offer = make_offer(db, role, person(db))
    page = f"/matching/roles/{role.id}/offers"
    c.post(f"/matching/offers/{offer.id}/reply", data={"csrf_token": token(c, page),
                                                       "reply": "yes"})
    db.expire_all()
    assert db.get(Offer, offer.id).status == "accepted"
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.OFFER_ANSWERED))
    assert "recorded for them by staff" in event.summary
    html = c.get(page).get_data(as_text=True)
    assert "Said yes (1)" in html and "1 of 1 place taken" in html


def test_withdraw_asks_first_then_withdraws(client, db) -> None:
    c = staff_client(client, db)
    offer = make_offer(db, a_role(db), person(db))
    confirm = c.get(f"/matching/offers/{offer.id}/withdraw").get_data(as_text=True)
    assert "Withdraw the offer to" in confirm
    db.expire_all()
    assert db.get(Offer, offer.id).status == "offered"  # nothing changes on GET
    c.post(f"/matching/offers/{offer.id}/withdraw",
           data={"csrf_token": CSRF_RE.search(confirm).group(1)})  # type: ignore[union-attr]
    db.expire_all()
    assert db.get(Offer, offer.id).status == "withdrawn"
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == Action.OFFER_WITHDRAWN)).one()


def test_questions_and_interest_show_on_the_offers_page(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    make_offer(db, role, person(db), question="Is there a hearing loop?", question_at=SOON)
    keen = person(db, full_name="Keen Person")
    db.add(RoleInterest(role_id=role.id, contributor_id=keen.id))
    db.commit()
    html = c.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    assert "Questions asked" in html and "Is there a hearing loop?" in html
    assert "Said they are interested" in html and "Keen Person" in html


def test_each_look_at_the_offers_page_is_audited_on_the_role(client, db) -> None:
    """The page names the people offered, waiting and interested (with notes
    that a fee may affect their benefits): one event on the role a look,
    saying how many people, never who."""
    c = staff_client(client, db)
    role = a_role(db, places=2)
    make_offer(db, role, person(db, full_name="Ada Alpha"), S.OFFERED)
    make_offer(db, role, person(db), S.WAITING)
    db.add(RoleInterest(role_id=role.id, contributor_id=person(db).id))
    db.commit()
    for _ in range(2):
        assert c.get(f"/matching/roles/{role.id}/offers").status_code == 200
    db.expire_all()
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW)).all()
    assert [(e.entity_type, e.entity_id) for e in events] == [(EntityType.ROLE, role.id)] * 2
    assert events[0].summary == "offers, replies and waiting list: 3 people listed"
    assert events[0].endpoint == "matching.offers"


def test_the_offers_page_query_count_does_not_grow(client, db, count_queries) -> None:
    c = staff_client(client, db)
    role = a_role(db, places=20)
    path = f"/matching/roles/{role.id}/offers"

    def count() -> int:
        count_queries.statements.clear()
        assert c.get(path).status_code == 200
        return count_queries.count

    for status in (S.ACCEPTED, S.OFFERED, S.WAITING, S.DECLINED):
        make_offer(db, role, person(db), status)
    few = count()
    for status in (S.ACCEPTED, S.OFFERED, S.WAITING, S.DECLINED) * 3:
        make_offer(db, role, person(db), status, waiting_position=None)
    assert count() == few


def test_person_offers_lists_offers_and_attendance_and_is_audited(client, db) -> None:
    c = staff_client(client, db)
    who = person(db)
    role = a_role(db, title="Menu tasting")
    make_offer(db, role, who, S.ACCEPTED)
    make_attendance(db, role.sessions[0], who, "left_early")
    html = c.get(f"/matching/people/{who.id}/offers").get_data(as_text=True)
    assert "Menu tasting" in html and "Said yes (place 1)" in html and "Left early" in html
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW)).one()
    assert (event.entity_type, event.entity_id) == (EntityType.CONTRIBUTOR, who.id)


def test_finance_and_report_viewers_see_no_offers_page(client, db) -> None:
    role = a_role(db)
    for r in (Role.FINANCE, Role.REPORT_VIEWER):
        log_in(client, make_user(db, r))
        assert client.get(f"/matching/roles/{role.id}/offers").status_code == 403


def test_an_offer_past_its_closing_date_reads_as_closed(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db, closes_on=dt.date.today() - dt.timedelta(days=3))
    make_offer(db, role, person(db), expires_on=role.closes_on)
    html = c.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    assert "No reply by the closing date" in html and "Record reply" not in html


def test_drop_out_button_is_an_action_and_names_the_person_for_screen_readers(client,
                                                                              db) -> None:
    c = staff_client(client, db)
    role = a_role(db)
    ryan = person(db, full_name="Ryan Clarke")
    make_offer(db, role, ryan, S.ACCEPTED)
    html = c.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    assert ('Mark as dropped out<span class="nhsuk-u-visually-hidden"> Ryan Clarke '
            f'(record {ryan.id})</span>' in html)
    assert ">Dropped out<" not in html


def test_an_offer_that_cannot_be_withdrawn_says_why_in_a_sentence(client, db) -> None:
    c = staff_client(client, db)
    role = a_role(db, places=4)
    words = {S.ACCEPTED: "They have said yes.", S.DECLINED: "They have said no.",
             S.EXPIRED: "It has expired: there was no reply by the closing date.",
             S.DROPPED_OUT: "They said yes, then dropped out."}
    for status, sentence in words.items():
        offer = make_offer(db, role, person(db), status)
        html = c.get(f"/matching/offers/{offer.id}/withdraw").get_data(as_text=True)
        assert "This offer cannot be withdrawn" in html
        assert f"<p>{sentence} Only an offer waiting" in html, status
        assert "It is said" not in html and "It is dropped" not in html


def test_two_people_of_the_same_name_are_told_apart_by_record_number(client, db) -> None:
    """Two Ryan Clarkes on the candidates and offers pages and their own
    offers pages: each name has its record number under it."""
    c = staff_client(client, db)
    role = a_role(db, places=3)
    first, second = (person(db, full_name="Ryan Clarke") for _ in range(2))
    make_offer(db, role, first, S.ACCEPTED)
    make_offer(db, role, second)
    html = c.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    for ryan in (first, second):
        assert f"Ryan Clarke</a><br><span class=\"nhsuk-u-font-size-16 " \
               f"nhsuk-u-secondary-text-colour\">Record {ryan.id}</span>" in html
        own = c.get(f"/matching/people/{ryan.id}/offers").get_data(as_text=True)
        assert f"Ryan Clarke, record {ryan.id}</span>" in own
