"""One planned fee's own page: each session of a role paid its own way,
chosen by the person (plain and Easy Read) or recorded by a coordinator;
bad input beside the field with nothing saved; only their own sessions;
not once the fee is in the ledger; a change made meanwhile is told."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.audit.models import AuditEvent
from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.payments.choice_models import BenefitRecord, SessionFeeChoice
from crm.payments.ledger_models import Claim
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_signed_up_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


@pytest.fixture
def booked(db: Session):  # type: ignore[no-untyped-def]
    """A person on Carer's Allowance who said yes to a paid role with two
    sessions, a week apart: (account, record, role)."""
    user, me = make_signed_up_contributor(db, "Kim Example")
    db.add(BenefitRecord(contributor_id=me.id, benefits=["carers_allowance"], week_day=0))
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    role = make_role(db, title="Food panel", fee_tier="tier_150", sessions=[
        role_session(at(monday)), role_session(at(monday + dt.timedelta(days=7)))])
    make_offer(db, role, me, OfferStatus.ACCEPTED)
    db.commit()
    return user, me, role


def page_of(client: FlaskClient, path: str) -> tuple[str, str]:
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    stamp = re.search(r'name="stamp" value="([^"]*)"', html)
    assert token and stamp, html
    return token.group(1), stamp.group(1)


def choices(db: Session) -> list[SessionFeeChoice]:
    db.expire_all()
    return list(db.scalars(select(SessionFeeChoice).order_by(SessionFeeChoice.id)))


def test_the_person_pays_one_session_on_a_later_date_and_the_other_in_full(
        client: FlaskClient, db: Session, booked) -> None:  # type: ignore[no-untyped-def]
    user, me, role = booked
    first, second = role.sessions
    log_in(client, user)
    schedule = client.get("/my/payment-schedule").get_data(as_text=True)
    assert schedule.count("/my/payment-schedule/sessions/") == 2
    path = f"/my/payment-schedule/sessions/{first.id}"
    html = client.get(path).get_data(as_text=True)
    assert "Food panel" in html and "What would you like to happen to this fee?" in html
    token, stamp = page_of(client, path)
    later = first.starts_at.date() + dt.timedelta(days=14)
    response = client.post(path, data={
        "csrf_token": token, "stamp": stamp, "fee_choice": "other_period",
        "fee_pay_on-day": str(later.day), "fee_pay_on-month": str(later.month),
        "fee_pay_on-year": str(later.year)})
    assert response.status_code == 302 and response.location.endswith("/my/payment-schedule")
    [saved] = choices(db)
    assert (saved.role_session_id, saved.choice, saved.pay_on) == (first.id, "other_period",
                                                                   later)
    assert saved.chosen_by_id == user.id
    schedule = client.get("/my/payment-schedule").get_data(as_text=True)
    assert schedule.count(f"Chosen to be paid on {later.day} {later:%B %Y}") == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"fee_choice": "other_period"}, "Write the date you would like to be paid on"),
    ({"fee_choice": "take_less", "fee_amount": "500"},
     "The amount must be more than £0 and less than the full fee"),
    ({"fee_choice": "take_less", "fee_amount": "lots"}, "The amount"),
    ({"fee_choice": "charity", "fee_charity": " "}, "Write the name of the charity"),
    ({"fee_choice": "sometimes"}, "Choose what you would like to happen to the fee"),
])
def test_bad_input_is_told_beside_the_field_and_nothing_is_saved(
        client: FlaskClient, db: Session, booked, data, message) -> None:  # type: ignore[no-untyped-def]
    user, _me, role = booked
    log_in(client, user)
    path = f"/my/payment-schedule/sessions/{role.sessions[0].id}"
    token, stamp = page_of(client, path)
    response = client.post(path, data={"csrf_token": token, "stamp": stamp, **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert choices(db) == []


def test_only_their_own_yes_to_a_paid_role(client: FlaskClient, db: Session,
                                           booked) -> None:  # type: ignore[no-untyped-def]
    user, me, role = booked
    other_user, other = make_signed_up_contributor(db, "Sam Example")
    offered = make_role(db, fee_tier="tier_150",
                        sessions=[role_session(role.sessions[0].starts_at)])
    make_offer(db, offered, me)  # offered, not yet a yes
    unpaid = make_role(db, sessions=[role_session(role.sessions[0].starts_at)])
    make_offer(db, unpaid, me, OfferStatus.ACCEPTED)
    db.commit()
    log_in(client, other_user)
    path = f"/my/payment-schedule/sessions/{role.sessions[0].id}"
    assert client.get(path).status_code == 404
    assert client.post(path, data={"csrf_token": csrf_token(client, "/my/payment-choices"),
                                   "fee_choice": "decline"}).status_code == 404
    log_in(client, user)
    for s in (offered.sessions[0], unpaid.sessions[0]):
        assert client.get(f"/my/payment-schedule/sessions/{s.id}").status_code == 404
    assert choices(db) == [] and other.id != me.id


def test_not_once_the_fee_is_in_the_ledger(client: FlaskClient, db: Session,
                                           booked) -> None:  # type: ignore[no-untyped-def]
    user, me, role = booked
    first = role.sessions[0]
    log_in(client, user)
    path = f"/my/payment-schedule/sessions/{first.id}"
    token, stamp = page_of(client, path)
    db.add(Claim(contributor_id=me.id, session_id=first.id, kind="fee", is_earnings=True,
                 state="submitted", amount_pence=15000, pay_on=first.starts_at.date()))
    db.commit()
    html = client.get(path).get_data(as_text=True)
    assert "already with finance" in html and 'name="fee_choice"' not in html
    response = client.post(path, data={"csrf_token": token, "stamp": stamp,
                                       "fee_choice": "decline"})
    assert response.status_code == 400 and "already with finance" in response.get_data(
        as_text=True)
    assert choices(db) == []


def test_a_change_made_meanwhile_is_told_and_can_then_be_saved(
        client: FlaskClient, db: Session, booked) -> None:  # type: ignore[no-untyped-def]
    user, me, role = booked
    first = role.sessions[0]
    coordinator = make_user(db, Role.COORDINATOR)
    own_path = f"/my/payment-schedule/sessions/{first.id}"
    staff_path = f"/payments/people/{me.id}/sessions/{first.id}/fee"
    log_in(client, user)
    token, stamp = page_of(client, own_path)
    with client.application.test_client() as staff:
        log_in(staff, coordinator)
        staff_token, staff_stamp = page_of(staff, staff_path)
        assert staff.post(staff_path, data={"csrf_token": staff_token, "stamp": staff_stamp,
                                            "fee_choice": "decline"}).status_code == 302
    response = client.post(own_path, data={"csrf_token": token, "stamp": stamp,
                                           "fee_choice": "charity", "fee_charity": "Mind"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Someone else changed these choices" in html
    [saved] = choices(db)
    assert saved.choice == "decline" and saved.chosen_by_id == coordinator.id
    fresh = re.search(r'name="stamp" value="([^"]*)"', html)
    assert fresh and fresh.group(1) != stamp
    response = client.post(own_path, data={"csrf_token": token, "stamp": fresh.group(1),
                                           "fee_choice": "charity", "fee_charity": "Mind"})
    assert response.status_code == 302
    [saved] = choices(db)
    assert (saved.choice, saved.charity_name) == ("charity", "Mind")


def test_the_coordinator_records_their_choice_from_the_schedule_with_an_audit(
        client: FlaskClient, db: Session, booked) -> None:  # type: ignore[no-untyped-def]
    _user, me, role = booked
    second = role.sessions[1]
    coordinator = make_user(db, Role.COORDINATOR)
    log_in(client, coordinator)
    schedule = client.get(f"/payments/people/{me.id}/schedule").get_data(as_text=True)
    path = f"/payments/people/{me.id}/sessions/{second.id}/fee"
    assert schedule.count(f"/payments/people/{me.id}/sessions/") == 2 and path in schedule
    html = client.get(path).get_data(as_text=True)
    assert "What did they choose for this fee?" in html and "Less than the full fee" in html
    assert "Pay me" not in html
    assert "Carer" in html  # the period as it stands, with its limit
    token, stamp = page_of(client, path)
    response = client.post(path, data={"csrf_token": token, "stamp": stamp,
                                       "fee_choice": "take_less", "fee_amount": "40"})
    assert response.status_code == 302
    [saved] = choices(db)
    assert (saved.role_session_id, saved.amount_pence) == (second.id, 4000)
    words = list(db.scalars(select(AuditEvent.summary).where(
        AuditEvent.actor_id == coordinator.id)))
    assert any("fee choice (take less)" in w for w in words)
    assert any(f"fee choice for session {second.id}" in w for w in words)
    finance = make_user(db, Role.FINANCE)
    log_in(client, finance)
    assert client.get(path).status_code == 403
    assert db.scalar(select(func.count()).select_from(SessionFeeChoice)) == 1


def test_the_coordinators_page_shown_again_after_bad_input_is_audited(
        client: FlaskClient, db: Session, booked) -> None:  # type: ignore[no-untyped-def]
    """Refused, the page shows the fee and its benefit warnings again: one
    view event for each showing, kept though nothing else is."""
    _user, me, role = booked
    path = f"/payments/people/{me.id}/sessions/{role.sessions[0].id}/fee"
    log_in(client, make_user(db, Role.COORDINATOR))

    def views() -> int:
        db.expire_all()
        return db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "view", AuditEvent.entity_id == me.id,
            AuditEvent.summary.like("looked at the fee choice for session%")))

    token, stamp = page_of(client, path)
    assert views() == 1
    response = client.post(path, data={"csrf_token": token, "stamp": stamp,
                                       "fee_choice": "take_less", "fee_amount": "lots"})
    assert response.status_code == 400 and "Carer" in response.get_data(as_text=True)
    assert views() == 2 and choices(db) == []


def test_the_own_page_in_easy_read(client: FlaskClient, db: Session,
                                   booked) -> None:  # type: ignore[no-untyped-def]
    user, me, role = booked
    me.prefers_easy_read = True
    db.commit()
    log_in(client, user)
    html = client.get(f"/my/payment-schedule/sessions/{role.sessions[0].id}").get_data(
        as_text=True)
    assert "app-easy-read" in html and "What should we do with this fee?" in html
    assert "It is your choice." in html


def test_two_first_choices_for_one_fee_at_once_keep_one(app, db: Session,
                                                        booked) -> None:  # type: ignore[no-untyped-def]
    """The person and a coordinator both make the first choice for a fee at
    the same moment, each from a page that showed none: one is saved, the
    other is told (ChoiceConflict), never a second row or an error page.
    On PostgreSQL the second insert waits on the unique index, then fails."""
    from crm.contributors.models import Contributor
    from crm.payments import choice_services
    from crm.payments.choice_services import ChoiceConflict, FeeChoiceInput
    from crm.projects.models import RoleSession
    from tests.matching.test_offer_race import at_once

    user, me, role = booked
    coordinator = make_user(db, Role.COORDINATOR)
    session_id, day = role.sessions[0].id, role.sessions[0].starts_at.date()

    def choose(actor, kind: str):  # type: ignore[no-untyped-def]
        def job(session: Session) -> None:
            choice_services.set_fee_choice(
                session, session.merge(actor, load=False), session.get_one(Contributor, me.id),
                session.get_one(RoleSession, session_id), FeeChoiceInput(kind=kind),
                full_pence=16500, session_day=day, expected_stamp="")
        return job

    errors = at_once(app, [choose(user, "decline"), choose(coordinator, "expenses_only")])
    assert len(errors) == 1 and isinstance(errors[0], ChoiceConflict), errors
    assert len(choices(db)) == 1
