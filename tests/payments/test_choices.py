"""Payment choices and benefits: the person's own pages and the coordinator's,
who may see what (every role; another person's record; finance never sees
benefits), consent, the recorded conversation for vouchers or expenses only,
the offer page's warning and fee choice, audit, data download and anonymising."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm import hooks
from crm.audit.models import AuditEvent
from crm.matching.models import OfferStatus
from crm.payments.choice_models import BenefitRecord, PaymentChoice, SessionFeeChoice
from crm.payments.choice_queries import fee_choice_for
from crm.permissions import Role
from tests.conftest import CSRF_RE
from tests.factories import log_in, make_contributor, make_signed_up_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session

NOW = dt.datetime.now(dt.UTC)


def token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, path
    return match.group(1)


@pytest.fixture
def me(db: Session):  # type: ignore[no-untyped-def]
    return make_signed_up_contributor(db, "Sam Lee")


# ---------------------------------------------------------------- who sees what

@pytest.mark.parametrize(("role", "status"), [
    (Role.COORDINATOR, 200), (Role.FINANCE, 403), (Role.REPORT_VIEWER, 403),
    (Role.ADMINISTRATOR, 403), (Role.CONTRIBUTOR, 403),
])
def test_only_coordinators_see_a_persons_choices_and_benefits(client: FlaskClient, db: Session,
                                                             role: Role, status: int) -> None:
    person = make_contributor(db, full_name="Pat Example")
    db.add(BenefitRecord(contributor_id=person.id, benefits=["carers_allowance"], week_day=2))
    db.commit()
    log_in(client, make_user(db, role))
    for path in (f"/payments/people/{person.id}/choices",
                 f"/payments/people/{person.id}/schedule"):
        response = client.get(path)
        assert response.status_code == status, (role, path)
        if status == 403:
            assert "Carer" not in response.get_data(as_text=True)
    if status == 200:
        assert "Carer&#39;s Allowance" in client.get(
            f"/payments/people/{person.id}/schedule").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FINANCE, Role.REPORT_VIEWER,
                                  Role.ADMINISTRATOR])
def test_staff_have_no_own_payment_pages(client: FlaskClient, db: Session, role: Role) -> None:
    log_in(client, make_user(db, role))
    for path in ("/my/payment-choices", "/my/benefits", "/my/payment-schedule"):
        assert client.get(path).status_code == 403, (role, path)


def test_a_contributor_cannot_reach_another_persons_record(client: FlaskClient, db: Session,
                                                           me) -> None:  # type: ignore[no-untyped-def]
    other = make_contributor(db, full_name="Other Person")
    db.add(BenefitRecord(contributor_id=other.id, benefits=["esa_higher"]))
    db.commit()
    log_in(client, me[0])
    for path in (f"/payments/people/{other.id}/choices", f"/payments/people/{other.id}/schedule"):
        assert client.get(path).status_code == 403
    csrf = token(client, "/my/benefits")
    response = client.post(f"/payments/people/{other.id}/benefits",
                           data={"csrf_token": csrf, "consent": "no"})
    assert response.status_code == 403
    assert db.scalar(select(BenefitRecord).where(BenefitRecord.contributor_id == other.id))
    # their own pages show only their own
    assert "ESA" not in client.get("/my/benefits").get_data(as_text=True).split("<main")[1] \
        .split("Which benefits")[0]


# ---------------------------------------------------------------- the person's own

def test_a_person_records_their_benefits_only_with_consent(client: FlaskClient, db: Session,
                                                           me) -> None:  # type: ignore[no-untyped-def]
    user, c = me
    log_in(client, user)
    csrf = token(client, "/my/benefits")
    refused = client.post("/my/benefits", data={"csrf_token": csrf, "consent": "yes"})
    assert refused.status_code == 400
    assert "Choose the benefits you get" in refused.get_data(as_text=True)
    assert db.scalar(select(BenefitRecord)) is None
    saved = client.post("/my/benefits", data={
        "csrf_token": csrf, "consent": "yes", "benefits": ["carers_allowance"], "week_day": "3",
        "limit_amount": "150", "limit_period": "week", "disregard_level": "single"})
    assert saved.status_code == 302
    held = db.scalar(select(BenefitRecord).where(BenefitRecord.contributor_id == c.id))
    assert held is not None
    assert (held.benefits, held.week_day, held.limit_pence, held.limit_period) == (
        ["carers_allowance"], 3, 15000, "week")
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity_id == c.id)).all()
    assert any("benefits information" in (e.summary or "") for e in events)
    assert all("carers" not in str(e.changes or "") for e in events)
    # withdrawing consent deletes it
    withdrawn = client.post("/my/benefits", data={"csrf_token": csrf, "consent": "no",
                                                  "version": str(held.version)})
    assert withdrawn.status_code == 302
    db.expire_all()
    assert db.scalar(select(BenefitRecord)) is None


@pytest.mark.parametrize(("data", "message"), [
    ({"benefits": ["none", "carers_allowance"]}, "cannot go with other answers"),
    ({"benefits": ["uc_work_allowance", "uc_no_work_allowance"]}, "one kind of Universal Credit"),
    ({"benefits": ["esa_higher", "esa_lower"]}, "Choose one ESA limit"),
    ({"benefits": ["carers_allowance"], "assessment_day": "32"}, "from 1 to 31"),
    ({"benefits": ["none"], "limit_amount": "50"}, "Give both an amount and how often"),
    ({"benefits": ["none"], "limit_amount": "lots", "limit_period": "week"},
     "must be an amount of money"),
])
def test_benefit_answers_that_do_not_fit_are_refused(client: FlaskClient, db: Session, me,  # type: ignore[no-untyped-def]
                                                     data: dict[str, object],
                                                     message: str) -> None:
    log_in(client, me[0])
    csrf = token(client, "/my/benefits")
    response = client.post("/my/benefits", data={"csrf_token": csrf, "consent": "yes", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(BenefitRecord)) is None


def test_a_person_chooses_how_and_when_they_are_paid(client: FlaskClient, db: Session,
                                                     me) -> None:  # type: ignore[no-untyped-def]
    user, c = me
    log_in(client, user)
    csrf = token(client, "/my/payment-choices")
    response = client.post("/my/payment-choices", data={
        "csrf_token": csrf, "route": "claim_form", "fee_mode": "charity", "charity_name": "Mind",
        "when_paid": "chosen_dates", "chosen_days": "1, 15"})
    assert response.status_code == 302
    choice = db.scalar(select(PaymentChoice))
    assert choice is not None
    assert (choice.route, choice.fee_mode, choice.charity_name, choice.chosen_days) == (
        "claim_form", "charity", "Mind", [1, 15])
    # the audit log (which administrators read) names what changed, but not
    # the fee choice or the charity, which can hint at benefits
    from crm.audit.models import AuditEvent
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.summary == "changed the payment choices of")).one()
    assert event.changes is not None and {"fee_mode", "charity_name", "route"} <= set(
        event.changes)
    assert "Mind" not in repr(event.changes) and "charity" not in repr(
        event.changes["fee_mode"])
    # a second, stale edit is refused
    stale = client.post("/my/payment-choices", data={
        "csrf_token": csrf, "version": "0", "route": "payroll", "fee_mode": "fees",
        "when_paid": "monthly"})
    assert stale.status_code == 400 and "Someone else changed" in stale.get_data(as_text=True)
    # a form without its version (an old page, or made by hand) is out of date too
    unversioned = client.post("/my/payment-choices", data={
        "csrf_token": csrf, "route": "payroll", "fee_mode": "fees", "when_paid": "monthly"})
    assert unversioned.status_code == 400
    assert "Someone else changed" in unversioned.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(PaymentChoice)).route == "claim_form"


def test_vouchers_or_expenses_only_need_a_recorded_conversation(client: FlaskClient,
                                                                db: Session, me) -> None:  # type: ignore[no-untyped-def]
    user, c = me
    log_in(client, user)
    csrf = token(client, "/my/payment-choices")
    refused = client.post("/my/payment-choices", data={
        "csrf_token": csrf, "route": "payroll", "fee_mode": "expenses_only",
        "when_paid": "after_each"})
    assert refused.status_code == 400
    assert "need a talk with your coordinator first" in refused.get_data(as_text=True)
    assert db.scalar(select(PaymentChoice)) is None
    coordinator = make_user(db, Role.COORDINATOR)
    staff = client.application.test_client()
    log_in(staff, coordinator)
    path = f"/payments/people/{c.id}/choices"
    staff_csrf = token(staff, path)
    noted = staff.post(f"/payments/people/{c.id}/conversation", data={
        "csrf_token": staff_csrf, "conversation_on-day": "1", "conversation_on-month": "12",
        "conversation_on-year": "2026", "conversation_note": "Talked about vouchers and pay dates"})
    assert noted.status_code == 302
    choice = db.scalar(select(PaymentChoice))
    assert choice is not None and choice.conversation_by_id == coordinator.id
    ok = client.post("/my/payment-choices", data={
        "csrf_token": csrf, "version": str(choice.version), "route": "payroll",
        "fee_mode": "expenses_only", "when_paid": "after_each"})
    assert ok.status_code == 302


def test_a_coordinator_records_benefits_on_the_persons_record(client: FlaskClient,
                                                              db: Session) -> None:
    person = make_contributor(db)
    log_in(client, make_user(db, Role.COORDINATOR))
    path = f"/payments/people/{person.id}/choices"
    csrf = token(client, path)
    response = client.post(f"/payments/people/{person.id}/benefits", data={
        "csrf_token": csrf, "consent": "yes", "benefits": ["uc_work_allowance_housing"],
        "assessment_day": "13"})
    assert response.status_code == 302
    held = db.scalar(select(BenefitRecord))
    assert held is not None and held.assessment_day == 13
    assert f"/payments/people/{person.id}/choices" in client.get(
        f"/contributors/{person.id}").get_data(as_text=True)


def test_each_showing_of_a_persons_benefits_is_audited_once_even_after_a_refusal(
        client: FlaskClient, db: Session) -> None:
    """A change that cannot be saved shows the page again, with the benefits
    they told us about: that view is audited too (it was not), and the first
    look writes one event, not two."""
    person = make_contributor(db)
    db.add(BenefitRecord(contributor_id=person.id, benefits=["esa_higher"]))
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    path = f"/payments/people/{person.id}/choices"

    def views() -> int:
        db.expire_all()
        return len(db.scalars(select(AuditEvent).where(
            AuditEvent.action == "view", AuditEvent.entity_type == "contributor",
            AuditEvent.entity_id == person.id,
            AuditEvent.summary == "looked at the payment choices and benefits information of"
        )).all())

    csrf = token(client, path)
    assert views() == 1
    for where, data in ((path, {"route": "nonsense"}),
                        (f"/payments/people/{person.id}/benefits",
                         {"consent": "yes", "benefits": ["nonsense"]}),
                        (f"/payments/people/{person.id}/conversation",
                         {"conversation_on-day": "31", "conversation_on-month": "2",
                          "conversation_on-year": "2026"})):
        before = views()
        refused = client.post(where, data={"csrf_token": csrf, **data})
        assert refused.status_code == 400, where
        assert views() == before + 1, where


# ---------------------------------------------------------------- the offer page

def test_the_offer_page_warns_and_keeps_the_chosen_date(client: FlaskClient, db: Session,
                                                        me) -> None:  # type: ignore[no-untyped-def]
    user, c = me
    db.add(BenefitRecord(contributor_id=c.id, benefits=["carers_allowance"], week_day=0))
    db.commit()
    monday = (NOW + dt.timedelta(days=30 - NOW.weekday())).replace(hour=10, minute=0)
    first = make_role(db, fee_tier="tier_150", sessions=[role_session(monday)])
    make_offer(db, first, c, OfferStatus.ACCEPTED)
    second = make_role(db, fee_tier="tier_150", title="Second day",
                       sessions=[role_session(monday + dt.timedelta(days=2))])
    offer = make_offer(db, second, c)
    log_in(client, user)
    html = client.get(f"/my/offers/{offer.id}").get_data(as_text=True)
    assert "This fee could affect your benefits" in html
    assert "over the Carer&#39;s Allowance earnings limit" in html
    assert "Benefits Advice Service for Involvement" in html
    csrf = CSRF_RE.search(html).group(1)  # type: ignore[union-attr]
    later = (monday + dt.timedelta(days=21)).date()
    # a date before the session is refused, nothing saved
    early = client.post(f"/my/offers/{offer.id}/answer", data={
        "csrf_token": csrf, "reply": "yes", "fee_choice": "other_period",
        "fee_pay_on-day": "1", "fee_pay_on-month": "1", "fee_pay_on-year": "2020"})
    assert early.status_code == 400
    assert "on or after the day of the session" in early.get_data(as_text=True)
    db.expire_all()
    assert db.get(type(offer), offer.id).status == "offered"  # type: ignore[union-attr]
    assert db.scalar(select(SessionFeeChoice)) is None
    answered = client.post(f"/my/offers/{offer.id}/answer", data={
        "csrf_token": csrf, "reply": "yes", "fee_choice": "other_period",
        "fee_pay_on-day": str(later.day), "fee_pay_on-month": str(later.month),
        "fee_pay_on-year": str(later.year)})
    assert answered.status_code == 302
    choice = fee_choice_for(db, c.id, second.sessions[0].id)
    assert choice is not None and (choice.kind, choice.pay_on) == ("other_period", later)
    schedule = client.get("/my/payment-schedule").get_data(as_text=True)
    assert f"Chosen to be paid on {later.day} {later:%B %Y}" in schedule
    assert "Over a limit" not in schedule


def test_fee_choice_for_falls_back_to_standing_choices(db: Session) -> None:
    person = make_contributor(db)
    role = make_role(db, fee_tier="tier_25", sessions=[role_session(NOW + dt.timedelta(days=9))])
    sid = role.sessions[0].id
    assert fee_choice_for(db, person.id, sid) is None
    db.add(PaymentChoice(contributor_id=person.id, fee_mode="decline", chosen_days=[]))
    db.commit()
    found = fee_choice_for(db, person.id, sid)
    assert found is not None and (found.kind, found.from_session) == ("decline", False)


# ---------------------------------------------------------------- data duties

def test_download_and_anonymise(db: Session) -> None:
    person = make_contributor(db)
    role = make_role(db, fee_tier="tier_25", sessions=[role_session(NOW + dt.timedelta(days=9))])
    db.add_all([PaymentChoice(contributor_id=person.id, route="payroll", chosen_days=[]),
                BenefitRecord(contributor_id=person.id, benefits=["pip_dla"]),
                SessionFeeChoice(contributor_id=person.id, role_session_id=role.sessions[0].id,
                                 choice="decline")])
    db.commit()
    sections: dict[str, object] = {}
    for _, result in hooks.personal_data_requested.send(db, contributor_id=person.id,
                                                        user_id=None):
        sections.update(result or {})
    assert sections["benefits_you_told_us_about"]["benefits"] == ["PIP or DLA"]  # type: ignore[index]
    assert sections["fee_choices"][0]["choice"] == "decline"  # type: ignore[index]
    hooks.person_anonymised.send(db, contributor_id=person.id, user_id=None, emails=[])
    db.commit()
    for model in (PaymentChoice, BenefitRecord, SessionFeeChoice):
        assert db.scalar(select(model)) is None


def test_demo_choices_give_kit_carers_allowance(db: Session) -> None:
    from crm.payments.choice_demo import load_choices

    user, kit = make_signed_up_contributor(db, "Kit Demo")
    others = [make_contributor(db) for _ in range(5)]
    for person in others:
        make_offer(db, make_role(db, fee_tier="tier_50", places=1,
                                 sessions=[role_session(NOW + dt.timedelta(days=5))]),
                   person, OfferStatus.ACCEPTED)
    coordinator = make_user(db, Role.COORDINATOR)
    assert load_choices(db, dt.date(2026, 12, 3), coordinator_id=coordinator.id,
                        own_user_id=user.id) == 5
    db.commit()
    held = db.scalar(select(BenefitRecord).where(BenefitRecord.contributor_id == kit.id))
    assert held is not None and held.benefits == ["carers_allowance"]
    assert {tuple(b.benefits) for b in db.scalars(select(BenefitRecord))} >= {
        ("uc_work_allowance_housing",), ("esa_higher",), ("pip_dla",), ("rather_not_say",)}


def test_the_offer_warning_in_easy_read(client: FlaskClient, db: Session, me) -> None:  # type: ignore[no-untyped-def]
    user, c = me
    c.prefers_easy_read = True
    db.add(BenefitRecord(contributor_id=c.id, benefits=["carers_allowance"], week_day=0))
    db.commit()
    role = make_role(db, fee_tier="tier_300",
                     sessions=[role_session(NOW + dt.timedelta(days=20))])
    offer = make_offer(db, role, c)
    log_in(client, user)
    html = client.get(f"/my/offers/{offer.id}").get_data(as_text=True)
    assert "This could affect your benefits" in html
    assert "The Carer&#39;s Allowance limit is £204.00 a week. This is over the limit." in html
    assert "If you go over the limit in a week, you get no Carer&#39;s Allowance" in html
    assert "Pay me on another day." in html


@pytest.mark.parametrize(("standing", "sent", "saved"), [
    (None, "accept", None),                       # the usual: nothing to record
    ("decline", None, "decline"),                 # the page starts from their standing choice
    ("decline", "accept", "accept"),              # and they may choose otherwise
    ("charity", None, "charity"),
])
def test_the_offer_starts_from_their_standing_choice(client: FlaskClient, db: Session, me,  # type: ignore[no-untyped-def]
                                                      standing: str | None, sent: str | None,
                                                      saved: str | None) -> None:
    user, c = me
    if standing:
        db.add(PaymentChoice(contributor_id=c.id, fee_mode=standing, chosen_days=[],
                             charity_name="Mind" if standing == "charity" else None))
        db.commit()
    role = make_role(db, fee_tier="tier_25", sessions=[role_session(NOW + dt.timedelta(days=9))])
    offer = make_offer(db, role, c)
    log_in(client, user)
    html = client.get(f"/my/offers/{offer.id}").get_data(as_text=True)
    checked = re.search(r'value="(\w+)" checked', html.split('name="fee_choice"', 1)[1]) \
        if standing else None
    if standing:
        assert checked and checked.group(1) == standing
    data = {"csrf_token": CSRF_RE.search(html).group(1), "reply": "yes"}  # type: ignore[union-attr]
    data["fee_choice"] = sent or standing or "accept"
    if data["fee_choice"] == "charity":
        data["fee_charity"] = "Mind"
    assert client.post(f"/my/offers/{offer.id}/answer", data=data).status_code == 302
    row = db.scalar(select(SessionFeeChoice))
    assert (row.choice if row else None) == saved


def test_a_fee_choice_is_paid_when_they_chose_to_be_paid(db: Session) -> None:
    person = make_contributor(db)
    role = make_role(db, fee_tier="tier_25",
                     sessions=[role_session(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))])
    db.add_all([PaymentChoice(contributor_id=person.id, when_paid="monthly", chosen_days=[]),
                SessionFeeChoice(contributor_id=person.id, role_session_id=role.sessions[0].id,
                                 choice="take_less", amount_pence=1000)])
    db.commit()
    found = fee_choice_for(db, person.id, role.sessions[0].id)
    assert found is not None
    assert (found.kind, found.amount_pence, found.pay_on) == ("take_less", 1000,
                                                              dt.date(2026, 7, 28))


def test_a_refused_benefits_form_shows_the_saved_choices_beside_it(client: FlaskClient,
                                                                    db: Session) -> None:
    """The coordinator's page shows two forms; when one is refused, the other
    still shows what is saved (it was shown empty)."""
    person = make_contributor(db, full_name="Pat Lee")
    db.add(PaymentChoice(contributor_id=person.id, route="payroll", fee_mode="fees",
                         when_paid="monthly", chosen_days=[]))
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    path = f"/payments/people/{person.id}/choices"
    refused = client.post(f"/payments/people/{person.id}/benefits", data={
        "csrf_token": token(client, path), "consent": "maybe"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert re.search(r'value="monthly"[^>]*checked', html)
    assert re.search(r'name="version" value="\d+"', html)
