"""The demo claims: fees from the demo attendance on paid roles, priced by
the rate card of each session's date, in every state, the demo
contributor's own among them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.contributors.models import Contributor
from crm.demo import DEMO_CONTRIBUTOR_EMAIL
from crm.payments.ledger import session_date
from crm.payments.ledger_models import Claim, LedgerEntry
from crm.payments.rate_cards import fee_for
from crm.projects.models import RoleSession


@pytest.fixture
def loaded(app, db):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_claims_in_every_state(loaded, db) -> None:
    claims = list(db.scalars(select(Claim)))
    assert {c.state for c in claims} >= {"drafted", "submitted", "approved", "exported", "paid"}
    assert any(not c.is_earnings and c.kind == "public_transport" for c in claims)
    for claim in claims:
        assert sum(db.scalars(select(LedgerEntry.amount_pence).where(
            LedgerEntry.claim_id == claim.id))) == claim.amount_pence
        if claim.kind == "fee":
            sitting = db.get_one(RoleSession, claim.session_id)
            fee = fee_for(claim.tier_code or "", session_date(sitting))
            assert (claim.card_id, claim.card_pence) == (fee.card_id,
                                                         fee.amount_for(sitting.minutes))
        if claim.state == "paid":
            assert claim.payment_reference and claim.paid_on
        if claim.state in ("approved", "exported", "paid"):
            assert claim.approved_by_id not in (claim.recorded_by_id, claim.submitted_by_id)
    kit = db.scalar(select(Contributor.id).where(Contributor.email == DEMO_CONTRIBUTOR_EMAIL))
    assert any(c.contributor_id == kit for c in claims)
