"""A person's yearly statement: the fees and the expenses paid to them in
one UK tax year (6 April to 5 April), with totals, and the claim form (or
invoice) for one session filled in for them. Fees may be taxable; expenses
are paid back and are not income."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.payments.ledger_models import CLAIM_KIND_LABELS, Claim, ClaimKind, ClaimState
from crm.projects.models import Project, RoleOpening, RoleSession

# HMRC trading allowance (domain rules, section 3: verify): above this in a
# tax year, a person may need to fill in a Self Assessment tax return.
TRADING_ALLOWANCE_PENCE = 100_000


def tax_year_of(day: dt.date) -> int:
    """The year a UK tax year starts in: 5 April 2027 is in 2026, 6 April in 2027."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def tax_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 6), dt.date(year + 1, 4, 5)


def tax_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


@dataclass(frozen=True)
class StatementLine:
    paid_on: dt.date
    what: str
    role: str
    session_on: dt.datetime
    pence: int
    is_fee: bool
    reference: str | None
    charity: str | None


@dataclass
class Statement:
    year: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return tax_year_label(self.year)

    @property
    def fees_pence(self) -> int:
        return sum(x.pence for x in self.lines if x.is_fee and not x.charity)

    @property
    def charity_pence(self) -> int:
        return sum(x.pence for x in self.lines if x.is_fee and x.charity)

    @property
    def expenses_pence(self) -> int:
        return sum(x.pence for x in self.lines if not x.is_fee)

    @property
    def over_allowance(self) -> bool:
        return self.fees_pence > TRADING_ALLOWANCE_PENCE


def statement_for(session: Session, contributor_id: int, year: int) -> Statement:
    """Everything paid to the person in tax year ``year``, by day paid (one query)."""
    start, end = tax_year_bounds(year)
    rows = session.execute(
        select(Claim, RoleOpening.title, RoleSession.starts_at)
        .join(RoleSession, RoleSession.id == Claim.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(Claim.contributor_id == contributor_id, Claim.state == ClaimState.PAID.value,
               Claim.paid_on >= start, Claim.paid_on <= end)
        .order_by(Claim.paid_on, Claim.id))
    out = Statement(year)
    for claim, title, starts_at in rows:
        assert claim.paid_on is not None
        out.lines.append(StatementLine(
            claim.paid_on, CLAIM_KIND_LABELS[ClaimKind(claim.kind)], title, starts_at,
            claim.amount_pence, claim.kind == ClaimKind.FEE.value, claim.payment_reference,
            claim.charity))
    return out


def statement_years(session: Session, contributor_id: int, today: dt.date) -> list[int]:
    """Tax years with a payment, newest first, always including this one."""
    days = session.scalars(select(Claim.paid_on).where(
        Claim.contributor_id == contributor_id, Claim.state == ClaimState.PAID.value)
        .distinct())
    years = {tax_year_of(d) for d in days if d is not None} | {tax_year_of(today)}
    return sorted(years, reverse=True)


def claim_form_for(session: Session, contributor_id: int, session_id: int
                   ) -> tuple[RoleSession, RoleOpening, Project, list[Claim]] | None:
    """The session, its role and project, and the person's claims for it
    (not withdrawn), or None when they have none."""
    row = session.execute(
        select(RoleSession, RoleOpening, Project)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .join(Project, Project.id == RoleOpening.project_id)
        .where(RoleSession.id == session_id)).first()
    if row is None:
        return None
    claims = list(session.scalars(
        select(Claim).where(Claim.contributor_id == contributor_id,
                            Claim.session_id == session_id,
                            Claim.state != ClaimState.WITHDRAWN.value)
        .order_by(Claim.kind != ClaimKind.FEE.value, Claim.id)))
    if not claims:
        return None
    return row[0], row[1], row[2], claims
