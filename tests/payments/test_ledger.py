"""The ledger's rules: fees drafted from attendance and the card in force on
the session date, outcomes paid by the finance rule, a coordinator's amount
with a reason, amounts changed only by reversing entries, approved fees
never changed, approval never by the person who recorded it, one claim per
person, session and kind in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.db import utcnow
from crm.matching import attendance
from crm.payments import ledger, ledger_approval
from crm.payments.ledger_models import Claim, ClaimKind, LedgerEntry
from crm.payments.rate_cards import fee_for
from crm.permissions import Role
from crm.projects import roles
from tests.factories import make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.projects.helpers import events

UTC = dt.UTC


def fees(db) -> dict[int, Claim]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return {c.contributor_id: c for c in db.scalars(
        select(Claim).where(Claim.kind == "fee"))}


def entries(db, claim: Claim) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(e.kind, e.amount_pence) for e in db.scalars(
        select(LedgerEntry).where(LedgerEntry.claim_id == claim.id).order_by(LedgerEntry.id))]


def record(db, user, role_session, outcomes):  # type: ignore[no-untyped-def]
    """Record attendance as the page would, with the versions saved now."""
    versions = {line.contributor.id: line.version
                for line in attendance.sheet(db, role_session)}
    attendance.record_attendance(db, user, role_session, outcomes, versions)
    db.commit()


@pytest.mark.parametrize(("outcome", "pence", "state"), [
    ("attended", 5000, "drafted"),
    ("left_early", 5000, "drafted"),
    ("cancelled_by_us", 5000, "drafted"),  # by the trust, at short notice: paid in full
    ("did_not_attend", 0, "withdrawn"),
])
def test_attendance_drafts_the_fee_each_outcome_pays(db, outcome, pence, state) -> None:
    _role, when, (person,) = paid_role(db, starts_at=dt.datetime(2025, 6, 3, 10, tzinfo=UTC),
                                       tier="tier_50")
    user = make_user(db)
    record(db, user, when, {person.id: outcome})
    claim = fees(db)[person.id]
    assert (claim.amount_pence, claim.state, claim.is_earnings) == (pence, state, True)
    assert claim.card_id == "nihr_2024_08" and claim.card_pence == 5000
    assert claim.attendance_by_id == user.id
    assert claim.pay_on == dt.date(2025, 6, 17)  # 14 days after, finance.toml
    assert entries(db, claim) == ([("original", pence)] if pence else [])
    assert [e.entity_id for e in events(db, "claim_drafted", "claim")] == [claim.id]


def test_a_card_change_between_two_sessions_prices_each_by_its_own_date(db) -> None:
    """NIHR's December 2025 card starts on the 16th: a session on the 15th
    keeps the August 2024 amount, one on the 16th (in the UK) gets the new one."""
    user = make_user(db)
    _r1, before, (ada,) = paid_role(db, starts_at=dt.datetime(2025, 12, 15, 23, 30, tzinfo=UTC))
    _r2, after, (ben,) = paid_role(db, starts_at=dt.datetime(2025, 12, 16, 9, tzinfo=UTC))
    record(db, user, before, {ada.id: "attended"})
    record(db, user, after, {ben.id: "attended"})
    drafted = fees(db)
    assert (drafted[ada.id].card_id, drafted[ada.id].amount_pence) == ("nihr_2024_08", 5000)
    assert (drafted[ben.id].card_id, drafted[ben.id].amount_pence) == ("nihr_2025_12", 5500)


def test_an_unpaid_role_drafts_nothing(db) -> None:
    _role, when, (person,) = paid_role(db, tier="tier_50")
    when.role.fee_tier = None
    db.commit()
    record(db, make_user(db), when, {person.id: "attended"})
    assert fees(db) == {}


def test_a_changed_outcome_reverses_the_fee_and_an_approved_fee_never_changes(db) -> None:
    _role, when, (ada, ben) = paid_role(db, people=2)
    user = make_user(db)
    record(db, user, when, {ada.id: "attended", ben.id: "attended"})
    claim = fees(db)[ada.id]
    record(db, user, when, {ada.id: "did_not_attend"})
    claim = fees(db)[ada.id]
    assert (claim.state, claim.amount_pence) == ("withdrawn", 0)
    assert entries(db, claim) == [("original", 5500), ("reversal", -5500)]
    record(db, user, when, {ada.id: "attended"})
    claim = fees(db)[ada.id]
    assert (claim.state, claim.amount_pence) == ("drafted", 5500)
    assert sum(p for _k, p in entries(db, claim)) == claim.amount_pence
    # Ben's fee is approved: a later change of attendance leaves it alone.
    settled = fees(db)[ben.id]
    settled.state = "approved"
    db.commit()
    record(db, user, when, {ben.id: "did_not_attend"})
    assert (fees(db)[ben.id].state, fees(db)[ben.id].amount_pence) == ("approved", 5500)


@pytest.mark.parametrize(("kind", "amount", "expected"), [
    (None, None, (5000, True, None)),
    ("accept", None, (5000, True, None)),
    ("take_less", 2000, (2000, True, None)),
    ("take_less", 9000, (5000, True, None)),  # never more than is due
    ("decline", None, (0, True, None)),
    ("expenses_only", None, (0, True, None)),
    ("charity", None, (5000, False, "Mind")),  # paid to the charity, not theirs
    ("other_period", None, (5000, True, None)),
])
def test_the_persons_choice_for_a_fee(kind, amount, expected) -> None:
    choice = None if kind is None else ledger.FeeChoice(kind, amount_pence=amount,
                                                         charity="Mind")
    assert ledger.apply_choice(5000, choice) == expected


def test_a_coordinator_sets_another_amount_only_with_a_reason(db) -> None:
    _role, when, (person,) = paid_role(db)
    user = make_user(db)
    record(db, user, when, {person.id: "attended"})
    claim = fees(db)[person.id]
    with pytest.raises(ledger.ClaimError, match="reason"):
        ledger.set_fee_amount(db, user, claim, 6000, "  ", claim.version)
    with pytest.raises(ledger.StaleClaim):
        ledger.set_fee_amount(db, user, claim, 6000, "Extra preparation", claim.version - 1)
    ledger.set_fee_amount(db, user, claim, 6000, "Extra preparation", claim.version)
    db.commit()
    claim = fees(db)[person.id]
    assert claim.amount_pence == 6000 and claim.override_reason == "Extra preparation"
    assert entries(db, claim) == [("original", 5500), ("reversal", -5500), ("correction", 6000)]
    audited = events(db, "claim_amount_changed", "claim")[-1]
    assert audited.changes["amount_pence"] == {"old": 5500, "new": 6000}
    # Recording attendance again keeps the coordinator's amount.
    record(db, user, when, {person.id: "left_early"})
    assert fees(db)[person.id].amount_pence == 6000
    claim = fees(db)[person.id]
    claim.state = "approved"
    db.commit()
    with pytest.raises(ledger.ClaimError, match="already approved"):
        ledger.set_fee_amount(db, user, claim, 100, "Late change", claim.version)


def test_approval_is_refused_to_whoever_recorded_drafted_or_submitted_it(db) -> None:
    _role, when, (person,) = paid_role(db)
    recorder = make_user(db, Role.FINANCE)  # also allowed to record, say
    submitter = make_user(db, Role.FINANCE)
    approver = make_user(db, Role.FINANCE)
    record(db, recorder, when, {person.id: "attended"})
    claim = fees(db)[person.id]
    with pytest.raises(ledger.ClaimError, match="not waiting"):
        ledger_approval.approve(db, approver, claim.id)  # still drafted
    ledger_approval.submit(db, submitter, claim, claim.version)
    db.commit()
    for who in (recorder, submitter):
        with pytest.raises(ledger.ClaimError, match="cannot approve"):
            ledger_approval.approve(db, who, claim.id)
    ledger_approval.approve(db, approver, claim.id)
    db.commit()
    claim = fees(db)[person.id]
    assert (claim.state, claim.approved_by_id) == ("approved", approver.id)
    with pytest.raises(ledger.ClaimError, match="not waiting"):
        ledger_approval.approve(db, make_user(db, Role.FINANCE), claim.id)


def test_approval_is_refused_to_whoever_set_the_amount_even_after_others_touched_it(db) -> None:
    """Someone who set a different fee, then moved to finance, may not
    approve it, although another person recorded the attendance again and a
    third submitted it."""
    _role, when, (person,) = paid_role(db)
    recorder, setter, other, submitter = (make_user(db), make_user(db), make_user(db),
                                          make_user(db))
    record(db, recorder, when, {person.id: "attended"})
    claim = fees(db)[person.id]
    ledger.set_fee_amount(db, setter, claim, 15000, "Long day, agreed with the ward",
                          claim.version)
    db.commit()
    record(db, other, when, {person.id: "attended"})
    claim = fees(db)[person.id]
    ledger_approval.submit(db, submitter, claim, claim.version)
    db.commit()
    setter.role = Role.FINANCE.value
    db.commit()
    with pytest.raises(ledger.ClaimError, match="set its amount"):
        ledger_approval.approve(db, setter, claim.id)
    ledger_approval.approve(db, make_user(db, Role.FINANCE), claim.id)


def test_staff_of_a_public_body_need_the_declaration_before_the_fee_is_submitted(db) -> None:
    _role, when, (person,) = paid_role(db)
    user = make_user(db)
    record(db, user, when, {person.id: "attended"})
    claim = fees(db)[person.id]
    ledger_approval.set_staff_declaration(db, user, claim, public_body=True, declared=False,
                                          expected_version=claim.version)
    with pytest.raises(ledger.ClaimError, match="public body"):
        ledger_approval.submit(db, user, claim, claim.version)
    ledger_approval.set_staff_declaration(db, user, claim, public_body=True, declared=True,
                                          expected_version=claim.version)
    ledger_approval.submit(db, user, claim, claim.version)
    db.commit()
    assert fees(db)[person.id].state == "submitted"


def test_nothing_to_pay_cannot_be_submitted(db) -> None:
    _role, when, (person,) = paid_role(db)
    user = make_user(db)
    record(db, user, when, {person.id: "did_not_attend"})
    claim = fees(db)[person.id]
    with pytest.raises(ledger.ClaimError):
        ledger_approval.submit(db, user, claim, claim.version)


def test_an_approved_claim_left_from_an_earlier_period_goes_in_the_next_export(db) -> None:
    """Approved after its own month was exported: the next export takes it."""
    _role, when, (ada, ben) = paid_role(db, people=2)
    finance = make_user(db, Role.FINANCE)
    late = make_claim(db, ada, when, state="approved", pay_on=dt.date(2026, 4, 20))
    due = make_claim(db, ben, when, state="approved", pay_on=dt.date(2026, 5, 4))
    export = ledger_approval.export_period(db, finance, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    db.commit()
    assert (export.claim_count, export.total_pence) == (2, 10000)
    db.expire_all()
    assert {db.get_one(Claim, c.id).export_id for c in (late, due)} == {export.id}


def test_export_then_paid_with_date_and_reference(db) -> None:
    _role, when, (ada, ben) = paid_role(db, people=2)
    finance = make_user(db, Role.FINANCE)
    first = make_claim(db, ada, when, state="approved", pay_on=dt.date(2026, 5, 4))
    later = make_claim(db, ben, when, state="approved", pay_on=dt.date(2026, 6, 4))
    with pytest.raises(ledger.ClaimError, match="no approved claims"):
        ledger_approval.export_period(db, finance, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    export = ledger_approval.export_period(db, finance, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    db.commit()
    assert (export.claim_count, export.total_pence) == (1, 5000)
    db.expire_all()
    assert (db.get(Claim, first.id).state, db.get(Claim, later.id).state) == (
        "exported", "approved")
    claim = db.get_one(Claim, first.id)
    with pytest.raises(ledger.ClaimError, match="reference"):
        ledger_approval.mark_paid(db, finance, claim, dt.date(2026, 5, 20), " ", claim.version)
    with pytest.raises(ledger.ClaimError, match="future"):
        ledger_approval.mark_paid(db, finance, claim, dt.date(2099, 1, 1), "BACS 1", claim.version)
    ledger_approval.mark_paid(db, finance, claim, dt.date(2026, 5, 20), "BACS 123", claim.version)
    db.commit()
    db.expire_all()
    paid = db.get_one(Claim, first.id)
    assert (paid.state, paid.paid_on, paid.payment_reference) == (
        "paid", dt.date(2026, 5, 20), "BACS 123")
    assert len(events(db, "claims_exported", "payment_export")) == 1


def test_the_database_allows_one_claim_per_person_session_and_kind(db) -> None:
    _role, when, (person,) = paid_role(db)
    make_claim(db, person, when)
    with pytest.raises(IntegrityError):
        make_claim(db, person, when)
    db.rollback()
    make_claim(db, person, when, kind=ClaimKind.MILEAGE, pence=900)  # another kind is fine


def test_the_database_refuses_an_expense_counted_as_earnings(db) -> None:
    _role, when, (person,) = paid_role(db)
    with pytest.raises(IntegrityError):
        make_claim(db, person, when, kind=ClaimKind.TAXI, is_earnings=True)


@pytest.mark.parametrize(("hours_before", "drafted"), [(2, 5500), (48, 5500), (49, None),
                                                       (24 * 7, None),
                                                       # already started, or long past
                                                       (0, None), (-24 * 10, None)])
def test_a_session_the_trust_cancels_at_short_notice_is_paid_by_the_rule(
        db, hours_before, drafted) -> None:
    """finance.toml [cancelled_session]: 48 hours or less before the start,
    everyone who had said yes is paid the whole fee; a session cancelled
    after it started (marked cancelled afterwards) drafts nothing."""
    starts = utcnow().replace(microsecond=0) + dt.timedelta(hours=hours_before, minutes=-1)
    _role, when, (person,) = paid_role(db, starts_at=starts)
    roles.cancel_session(db, make_user(db), when, when.sequence)
    db.commit()
    claim = fees(db).get(person.id)
    assert (claim.amount_pence if claim else None) == drafted
    if claim:
        assert claim.state == "drafted"
        assert claim.card_id == fee_for("tier_50", ledger.session_date(when)).card_id
