"""The ledger's part in a person's data download and in anonymising them:
their claims are in the download; anonymising removes the words on their
claims and their receipts (rows now, files once committed) and keeps the
amounts, dates and states finance must keep. Nobody else's claims change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm import hooks
from crm.payments import receipts
from crm.payments.ledger_models import Claim, ClaimKind, Receipt
from tests.factories import make_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role

PDF = b"%PDF-1.4\n" + b"\0" * 20


def test_claims_are_in_the_persons_data_download(db) -> None:
    _role, when, (person,) = paid_role(db)
    make_claim(db, person, when, pence=5000, state="paid", paid_on=dt.date(2026, 5, 1),
               payment_reference="BACS 9")
    make_claim(db, person, when, kind=ClaimKind.PRINTING, pence=300, description="Papers")
    make_claim(db, make_contributor(db), when, pence=7700)
    sections = hooks.personal_data_everywhere(db, person.id, 0)
    got = [(p["what_for"], p["amount"], p["where_it_is"], p["payment_reference"], p["details"])
           for p in sections["payments"]]
    assert got == [("Fee", "£50.00", "Paid", "BACS 9", None),
                   ("Printing", "£3.00", "Drafted", None, "Papers")]


def test_anonymising_removes_words_and_receipts_and_keeps_amounts(app, db) -> None:
    _role, when, (person, other) = paid_role(db, people=2)
    claim = make_claim(db, person, when, kind=ClaimKind.TAXI, pence=1800, state="paid",
                       paid_on=dt.date(2026, 5, 1), description="Taxi from home",
                       charity=None, override_reason="Agreed by phone")
    kept = make_claim(db, other, when, kind=ClaimKind.TAXI, description="Their taxi")
    with app.test_request_context():
        mine = receipts.add_receipt(db, make_user(db), claim, receipts.check("t.pdf", PDF))
        theirs = receipts.add_receipt(db, make_user(db), kept, receipts.check("u.pdf", PDF))
        db.commit()
        path, their_path = receipts.path_of(mine), receipts.path_of(theirs)
        assert path.exists()
        hooks.anonymise_everywhere(db, person.id, None, [])
        assert path.exists()  # until the commit
        db.commit()
    assert not path.exists() and their_path.exists()
    db.expire_all()
    scrubbed = db.get_one(Claim, claim.id)
    assert (scrubbed.description, scrubbed.override_reason) == (None, None)
    assert (scrubbed.amount_pence, scrubbed.state, scrubbed.paid_on) == (
        1800, "paid", dt.date(2026, 5, 1))
    assert [r.claim_id for r in db.scalars(select(Receipt))] == [kept.id]
    assert db.get_one(Claim, kept.id).description == "Their taxi"


def test_a_coordinators_reason_stays_on_the_claim_and_goes_when_anonymised(app, db) -> None:
    """A different fee's reason can be about the person's health: it is kept
    on the claim only, not in the ledger's entries or the audit log (which
    administrators read), and anonymising removes it and every value the
    claim's audit events hold."""
    from crm.audit.models import AuditEvent
    from crm.audit.services import REDACTED
    from crm.payments import ledger
    from crm.payments.ledger_models import LedgerEntry
    from crm.permissions import Role

    _role, when, (person,) = paid_role(db)
    claim = make_claim(db, person, when, pence=5500)
    words = "Left early: panic attack"
    ledger.set_fee_amount(db, make_user(db, Role.COORDINATOR), claim, 2000, words,
                          claim.version)
    db.commit()
    entries = list(db.scalars(select(LedgerEntry).where(LedgerEntry.claim_id == claim.id)))
    assert entries and all(words not in (e.reason or "") for e in entries)
    events = list(db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "claim",
                                                      AuditEvent.entity_id == claim.id)))
    assert events and all(words not in repr(e.changes) + e.summary for e in events)
    assert any((e.changes or {}).get("amount_pence") == {"old": 5500, "new": 2000}
               for e in events)
    assert db.get_one(Claim, claim.id).override_reason == words
    hooks.anonymise_everywhere(db, person.id, None, [])
    db.commit()
    db.expire_all()
    assert all(e.reason is None for e in db.scalars(
        select(LedgerEntry).where(LedgerEntry.claim_id == claim.id)))
    for event in db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "claim",
                                                     AuditEvent.entity_id == claim.id)):
        assert all(v == {"old": REDACTED, "new": REDACTED}
                   for v in (event.changes or {}).values())
