"""Factories for the ledger tests: a paid role with a past session, a person
who said yes to it, and claims in any state. Each commits, like tests.factories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching.models import OfferStatus
from crm.payments.ledger_models import Claim, ClaimKind, EntryKind, LedgerEntry
from crm.projects.models import RoleOpening, RoleSession
from tests.factories import make_contributor
from tests.project_factories import make_offer, make_project, make_role, role_session


def paid_role(db: Session, *, starts_at: dt.datetime | None = None, tier: str = "tier_50",
              minutes: int = 120, cost_code: str | None = "CC-1234",
              people: int = 1) -> tuple[RoleOpening, RoleSession, list[Contributor]]:
    """A paid role with one session (yesterday unless given) and ``people``
    who said yes to it."""
    role = make_role(db, make_project(db, cost_code=cost_code), places=max(people, 1),
                     fee_tier=tier, sessions=[role_session(
                         starts_at or utcnow() - dt.timedelta(days=1), minutes=minutes)])
    contributors = []
    for _ in range(people):
        person = make_contributor(db)
        make_offer(db, role, person, OfferStatus.ACCEPTED)
        contributors.append(person)
    return role, role.sessions[0], contributors


def make_claim(db: Session, person: Contributor, role_session_: RoleSession, *,
               kind: ClaimKind = ClaimKind.FEE, pence: int = 5000, state: str = "drafted",
               pay_on: dt.date | None = None, **fields: Any) -> Claim:
    fields.setdefault("is_earnings", kind == ClaimKind.FEE)
    fields.setdefault("card_pence", pence if kind == ClaimKind.FEE else None)
    claim = Claim(contributor_id=person.id, session_id=role_session_.id, kind=kind.value,
                  state=state, amount_pence=pence,
                  pay_on=pay_on or role_session_.starts_at.date(), **fields)
    claim.entries.append(LedgerEntry(kind=EntryKind.ORIGINAL.value, amount_pence=pence))
    db.add(claim)
    db.commit()
    return claim
