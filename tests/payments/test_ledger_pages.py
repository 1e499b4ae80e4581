"""The coordinators' ledger pages: a session's claims after attendance, a
different fee only with a reason (the error beside the field), a stale
page refused, the public body staff declaration before a fee is sent, and
sending drafted claims to finance; a constant query count."""

from __future__ import annotations

from sqlalchemy import select

from crm.payments.ledger_models import Claim, ClaimKind
from crm.permissions import Role
from tests.factories import log_in, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def _claim(db, claim_id: int) -> Claim:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.get_one(Claim, claim_id)


def test_session_page_lists_the_fees_drafted_from_attendance(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    user = coordinator(db, client)
    path = f"/matching/sessions/{when.id}/attendance"
    assert "Fees and expenses for this session" in text_of(client.get(path))
    assert post(client, path, {f"outcome-{ada.id}": "attended",
                               f"version-{ada.id}": "0"}).status_code == 302
    page = text_of(client.get(f"/payments/sessions/{when.id}/claims"))
    claim = db.scalars(select(Claim)).one()
    assert claim.recorded_by_id == user.id and claim.state == "drafted"
    assert "£55.00" in page and "NIHR involvement rates from 16 December 2025" in page
    # the trust's rule for each outcome (finance.toml), so "left early" paying
    # the whole fee is no surprise
    assert "attended 100%, did not attend 0%, cancelled by us 100%, left early 100%" in page


def test_a_different_fee_needs_a_reason_and_a_fresh_page(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, pence=5500)
    coordinator(db, client)
    path = f"/payments/claims/{claim.id}/amount"
    missing = post(client, path, {"version": str(claim.version), "amount": "60", "reason": ""})
    assert missing.status_code == 400
    assert field_error(missing, "reason") == "Enter the reason for the different amount"
    bad = post(client, path, {"version": str(claim.version), "amount": "six", "reason": "x"})
    assert bad.status_code == 400 and "must be an amount of money" in field_error(bad, "amount")
    stale = post(client, path, {"version": "0", "amount": "60", "reason": "More prep"})
    assert stale.status_code == 400 and "Someone else changed this claim" in text_of(stale)
    assert _claim(db, claim.id).amount_pence == 5500
    assert post(client, path, {"version": str(claim.version), "amount": "60",
                               "reason": "More preparation than the tier"}).status_code == 302
    changed = _claim(db, claim.id)
    assert (changed.amount_pence, changed.override_reason) == (6000,
                                                               "More preparation than the tier")
    assert len(events(db, "claim_amount_changed", "claim")) == 1
    # at most 3 times the rate card's fee (finance.toml)
    too_much = post(client, path, {"version": str(changed.version), "amount": "165.01",
                                   "reason": "A very long day"})
    assert too_much.status_code == 400
    assert "at most £165.00 (3 times the rate card's £55.00)" in field_error(too_much,
                                                                            "amount")
    assert _claim(db, claim.id).amount_pence == 6000


def test_public_body_staff_declaration_then_send_to_finance(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when, pence=5500)
    coordinator(db, client)
    stale = post(client, f"/payments/claims/{claim.id}/declaration",
                 {"version": "0", "public_body": "y"})
    assert stale.status_code == 400 and "Someone else changed this claim" in text_of(stale)
    assert not _claim(db, claim.id).public_body_staff
    assert post(client, f"/payments/claims/{claim.id}/declaration",
                {"version": str(claim.version), "public_body": "y"}).status_code == 302
    version = _claim(db, claim.id).version
    refused = post(client, f"/payments/claims/{claim.id}/submit", {"version": str(version)})
    assert refused.status_code == 400 and "works for a public body" in text_of(refused)
    assert post(client, f"/payments/claims/{claim.id}/declaration",
                {"version": str(version), "public_body": "y", "declared": "y"}
                ).status_code == 302
    version = _claim(db, claim.id).version
    assert post(client, f"/payments/claims/{claim.id}/submit",
                {"version": str(version)}).status_code == 302
    assert _claim(db, claim.id).state == "submitted"


def test_send_all_drafted_claims_of_a_session(client, db) -> None:
    _role, when, (ada, ben) = paid_role(db, people=2)
    fees = [make_claim(db, p, when) for p in (ada, ben)]
    taxi = make_claim(db, ada, when, kind=ClaimKind.TAXI, pence=0)  # nothing to pay
    user = coordinator(db, client)
    response = post(client, f"/payments/sessions/{when.id}/claims/submit", {})
    assert response.status_code == 302
    db.expire_all()
    assert [db.get_one(Claim, c.id).state for c in fees] == ["submitted", "submitted"]
    assert db.get_one(Claim, taxi.id).state == "drafted"
    assert {db.get_one(Claim, c.id).submitted_by_id for c in fees} == {user.id}


def test_the_session_page_runs_the_same_queries_for_few_or_many(client, db,
                                                               count_queries) -> None:
    _r1, small, (one,) = paid_role(db)
    _r2, big, many = paid_role(db, people=9)
    make_claim(db, one, small)
    for person in many:
        make_claim(db, person, big)
        make_claim(db, person, big, kind=ClaimKind.MILEAGE, pence=900, miles=20)
    coordinator(db, client)
    counts = []
    for sitting in (small, big):
        before = count_queries.count
        assert client.get(f"/payments/sessions/{sitting.id}/claims").status_code == 200
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1]


def test_finance_and_contributors_cannot_use_the_coordinator_pages(client, db) -> None:
    _role, when, (ada,) = paid_role(db)
    claim = make_claim(db, ada, when)
    for role in (Role.FINANCE, Role.CONTRIBUTOR, Role.REPORT_VIEWER):
        log_in(client, make_user(db, role))
        assert client.get(f"/payments/sessions/{when.id}/claims").status_code == 403
        assert client.get(f"/payments/claims/{claim.id}").status_code == 403


def test_a_printable_claim_form_for_one_person_and_session(client, db) -> None:
    _role, when, (ada, ben) = paid_role(db, people=2)
    ada.full_name = "Ada Lovel"
    db.commit()
    make_claim(db, ada, when, pence=5500)
    make_claim(db, ada, when, kind=ClaimKind.MILEAGE, pence=900, miles=20)
    coordinator(db, client)
    page = text_of(client.get(f"/payments/sessions/{when.id}/people/{ada.id}/claim-form"))
    assert "Claim form for Ada Lovel" in page and "CC-1234" in page
    assert "£64.00" in page and "20 miles" in page
    assert client.get(f"/payments/sessions/{when.id}/people/{ben.id}/claim-form"
                      ).status_code == 404  # no claim for Ben
