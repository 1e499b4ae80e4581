"""Reading the lines of a person's payment schedule, and the warnings shown
before a role is offered, before the person says yes, and before finance
approves a payment.

Past and waiting fees come from the ledger (``earnings_between``); planned
fees are the sessions of roles the person said yes to that have no claim yet,
priced from the rate card in force on the session's date, after their choice
about the fee, on the day it is expected to be paid. A fixed number of queries
however many fees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.matching.criteria_facts import Reason, RoleFacts
from crm.matching.models import Offer, OfferStatus
from crm.matching.offer_words import day_words
from crm.money import format_pence
from crm.payments.benefits import BenefitWarning, Profile, benefit_rules
from crm.payments.choice_models import FeeChoiceKind, PaymentChoice, SessionFeeChoice
from crm.payments.choice_queries import (
    FeeChoice,
    planned_pay_on,
    planned_pence,
    profiles_of,
    session_day,
)
from crm.payments.ledger_models import Claim, ClaimState
from crm.payments.ledger_queries import earnings_between
from crm.payments.rate_cards import Fee, RateCardError, fee_for
from crm.payments.schedule import PLANNED, Line, PeriodRow, Schedule, build, warnings_for_new
from crm.projects.models import RoleOpening, RoleSession

# How far either side of a fee's pay day other fees are read: more than the
# longest period (an assessment period of 31 days).
MARGIN = dt.timedelta(days=40)
# How far before a period planned sessions are read (their fee is paid later).
LEAD = dt.timedelta(days=70)

_LEDGER_STATE = {ClaimState.DRAFTED.value: "drafted", ClaimState.SUBMITTED.value: "submitted",
                 ClaimState.APPROVED.value: "approved", ClaimState.EXPORTED.value: "approved",
                 ClaimState.PAID.value: "paid"}


def _what(title: str, starts_at: dt.datetime) -> str:
    return f"{title}, {day_words(starts_at)}"


def _note(fee_choice: FeeChoice | None, full: int) -> str | None:
    if fee_choice is None:
        return None
    kind = fee_choice.kind
    if kind == FeeChoiceKind.OTHER_PERIOD.value and fee_choice.pay_on:
        return f"Chosen to be paid on {fee_choice.pay_on.day} {fee_choice.pay_on:%B %Y}"
    if kind == FeeChoiceKind.TAKE_LESS.value:
        return f"Taking less: {format_pence(fee_choice.amount_pence or 0)} of {format_pence(full)}"
    if kind == FeeChoiceKind.CHARITY.value:
        return f"Paid to {fee_choice.charity or 'a charity'}: not counted as earnings"
    if kind == FeeChoiceKind.DECLINE.value:
        return "Fee declined"
    if kind == FeeChoiceKind.EXPENSES_ONLY.value:
        return "Expenses only"
    return None


def _fee(tier: str | None, starts_at: dt.datetime, minutes: int) -> int | None:
    if tier is None:
        return None
    try:
        return fee_for(tier, session_day(starts_at)).amount_for(minutes)
    except RateCardError:
        return None


def planned_lines(session: Session, ids: Sequence[int], start: dt.date, end: dt.date, *,
                  exclude_role_ids: Sequence[int] = ()) -> dict[int, list[Line]]:
    """Planned fees of each person, paid from ``start`` to ``end``: the
    sessions of paid roles they said yes to, not cancelled, with no claim yet.
    Four queries however many people and sessions."""
    if not ids:
        return {}
    ids = list(ids)
    stmt = (select(Offer.contributor_id, RoleSession.id, RoleSession.starts_at,
                   RoleSession.minutes, RoleOpening.id, RoleOpening.title, RoleOpening.fee_tier)
            .join(RoleOpening, RoleOpening.id == Offer.role_id)
            .join(RoleSession, RoleSession.role_id == RoleOpening.id)
            .where(Offer.contributor_id.in_(ids), Offer.status == OfferStatus.ACCEPTED.value,
                   RoleOpening.fee_tier.is_not(None), RoleSession.is_cancelled.is_(False),
                   RoleSession.starts_at >= dt.datetime.combine(start - LEAD, dt.time(),
                                                                dt.UTC),
                   RoleSession.starts_at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                               dt.time(), dt.UTC)))
    if exclude_role_ids:
        stmt = stmt.where(RoleOpening.id.not_in(list(exclude_role_ids)))
    rows = session.execute(stmt).all()
    if not rows:
        return {}
    session_ids = list({r[1] for r in rows})
    claimed = set(session.execute(select(Claim.contributor_id, Claim.session_id).where(
        Claim.contributor_id.in_(ids), Claim.session_id.in_(session_ids),
        Claim.kind == "fee")).all())
    standing = {c.contributor_id: c for c in session.scalars(
        select(PaymentChoice).where(PaymentChoice.contributor_id.in_(ids)))}
    own = {(r.contributor_id, r.role_session_id): r for r in session.scalars(
        select(SessionFeeChoice).where(SessionFeeChoice.contributor_id.in_(ids),
                                       SessionFeeChoice.role_session_id.in_(session_ids)))}
    out: dict[int, list[Line]] = defaultdict(list)
    for cid, sid, starts_at, minutes, _role_id, title, tier in rows:
        if (cid, sid) in claimed:
            continue
        full = _fee(tier, starts_at, minutes)
        if full is None:
            continue
        row = own.get((cid, sid))
        fee_choice = (FeeChoice(row.choice, row.amount_pence, row.charity_name, row.pay_on)
                      if row else None)
        choice = standing.get(cid)
        pay_on = planned_pay_on(choice, fee_choice, session_day(starts_at))
        if not start <= pay_on <= end:
            continue
        pence, counts = planned_pence(choice, fee_choice, full)
        out[cid].append(Line(pay_on, pence, PLANNED, _what(title, starts_at), session_id=sid,
                             note=_note(fee_choice, full), counts=counts))
    return out


def _titles(session: Session, session_ids: Sequence[int]) -> dict[int, str]:
    if not session_ids:
        return {}
    rows = session.execute(select(RoleSession.id, RoleSession.starts_at, RoleOpening.title)
                           .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
                           .where(RoleSession.id.in_(list(session_ids))))
    return {sid: _what(title, starts_at) for sid, starts_at, title in rows}


def person_lines(session: Session, contributor_id: int, start: dt.date, end: dt.date, *,
                 exclude_role_id: int | None = None,
                 exclude_claim_id: int | None = None) -> list[Line]:
    """Every fee of one person paid (or to be paid) from ``start`` to ``end``:
    the ledger's and the planned ones."""
    ledger = [x for x in earnings_between(session, contributor_id, start, end)
              if x.claim_id != exclude_claim_id]
    titles = _titles(session, list({x.session_id for x in ledger}))
    lines = [Line(x.pay_on, x.pence, x.state, titles.get(x.session_id, "A session"),
                  session_id=x.session_id, claim_id=x.claim_id) for x in ledger]
    planned = planned_lines(session, [contributor_id], start, end,
                            exclude_role_ids=() if exclude_role_id is None
                            else (exclude_role_id,))
    return lines + planned.get(contributor_id, [])


def profile_for(session: Session, contributor_id: int) -> Profile | None:
    return profiles_of(session, [contributor_id]).get(contributor_id)


def schedule_for(session: Session, contributor_id: int, start: dt.date, end: dt.date
                 ) -> tuple[Schedule, Profile | None]:
    """The person's schedule from ``start`` to ``end``."""
    profile = profile_for(session, contributor_id)
    lines = person_lines(session, contributor_id, start, end)
    return build(profile, lines, start, end), profile


# --------------------------------------------------------------- one planned fee

@dataclass
class PlannedFee:
    """A fee the person can still choose about: a session, not cancelled, of
    a paid role they said yes to. ``own`` is the choice made for this
    session (None: their standing choices apply); ``claimed`` when the fee
    is in the ledger already (changed there, by a coordinator, with a
    reason); ``period`` the schedule row it is paid in."""

    role_session: RoleSession
    role: RoleOpening
    full_pence: int
    own: SessionFeeChoice | None
    claimed: bool
    period: PeriodRow | None = None


def planned_fee(session: Session, contributor_id: int, role_session_id: int
                ) -> PlannedFee | None:
    """The person's planned fee for one session, with the period it falls
    in as it stands; None when it is not one of theirs (or has no fee)."""
    found = session.execute(
        select(RoleSession, RoleOpening)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .join(Offer, (Offer.role_id == RoleOpening.id)
              & (Offer.contributor_id == contributor_id)
              & (Offer.status == OfferStatus.ACCEPTED.value))
        .where(RoleSession.id == role_session_id, RoleSession.is_cancelled.is_(False),
               RoleOpening.fee_tier.is_not(None))).first()
    if found is None:
        return None
    role_session, role = found
    full = _fee(role.fee_tier, role_session.starts_at, role_session.minutes)
    if full is None:
        return None
    claimed = session.scalar(select(Claim.id).where(
        Claim.contributor_id == contributor_id, Claim.session_id == role_session_id,
        Claim.kind == "fee").limit(1)) is not None
    own = session.scalar(select(SessionFeeChoice).where(
        SessionFeeChoice.contributor_id == contributor_id,
        SessionFeeChoice.role_session_id == role_session_id))
    out = PlannedFee(role_session, role, full, own, claimed)
    day = session_day(role_session.starts_at)
    schedule, _profile = schedule_for(session, contributor_id, day - MARGIN, day + LEAD)
    out.period = next((row for row in schedule.rows
                       if any(x.session_id == role_session_id for x in row.lines)), None)
    return out


# --------------------------------------------------------------- before saying yes

@dataclass
class SessionMoney:
    role_session: RoleSession
    fee: Fee | None
    pence: int
    pay_on: dt.date


@dataclass
class OfferMoney:
    """What one role would pay, and what it would do to the person's limits."""

    sessions: list[SessionMoney] = field(default_factory=list)
    warnings: list[BenefitWarning] = field(default_factory=list)
    profile: Profile | None = None

    @property
    def total(self) -> int:
        return sum(s.pence for s in self.sessions)


def offer_money(session: Session, contributor_id: int, role: RoleOpening, today: dt.date,
                fee_choices: dict[int, FeeChoice] | None = None) -> OfferMoney:
    """The role's fee for each coming session (card in force on its date) and
    the warnings saying yes would bring, counting the person's other fees."""
    profile = profile_for(session, contributor_id)
    if role.fee_tier is None:
        return OfferMoney(profile=profile)
    live = [s for s in role.sessions if not s.is_cancelled and session_day(s.starts_at) >= today]
    if not live:
        return OfferMoney(profile=profile)
    choice = session.scalar(select(PaymentChoice).where(
        PaymentChoice.contributor_id == contributor_id))
    chosen = fee_choices or {}
    out = OfferMoney(profile=profile)
    new: list[Line] = []
    for s in live:
        day = session_day(s.starts_at)
        try:
            fee: Fee | None = fee_for(role.fee_tier, day)
        except RateCardError:
            fee = None
        full = fee.amount_for(s.minutes) if fee else 0
        fee_choice = chosen.get(s.id)
        pay_on = planned_pay_on(choice, fee_choice, day)
        pence, counts = planned_pence(choice, fee_choice, full)
        out.sessions.append(SessionMoney(s, fee, full, pay_on))
        new.append(Line(pay_on, pence, PLANNED, _what(role.title, s.starts_at), session_id=s.id,
                        counts=counts))
    if profile is not None:
        start = min(x.pay_on for x in new) - MARGIN
        end = max(x.pay_on for x in new) + MARGIN
        others = person_lines(session, contributor_id, start, end, exclude_role_id=role.id)
        out.warnings = warnings_for_new(profile, others, new)
    return out


# --------------------------------------------------------------- before approval

def warnings_for_claim(session: Session, claim: Any) -> list[str]:
    """For finance before approving ``claim`` (a ledger Claim, or anything
    with contributor_id, pay_on, amount_pence, is_earnings and id): the
    warnings, in words, that never say which benefit. Empty when none."""
    if not getattr(claim, "is_earnings", True) or not claim.amount_pence:
        return []
    profile = profile_for(session, claim.contributor_id)
    if profile is None:
        return []
    pay_on: dt.date = claim.pay_on
    others = person_lines(session, claim.contributor_id, pay_on - MARGIN, pay_on + MARGIN,
                          exclude_claim_id=getattr(claim, "id", None))
    others = [x for x in others if not (x.state == PLANNED
                                        and x.session_id == getattr(claim, "session_id", None))]
    new = [Line(pay_on, claim.amount_pence, "submitted", "This claim")]
    texts = [w.finance_text for w in warnings_for_new(profile, others, new)]
    return list(dict.fromkeys(texts))


# --------------------------------------------------------------- before offering

def benefit_notes_for_offers(session: Session, roles: Sequence[RoleFacts],
                             pairs: Sequence[tuple[int, int]]
                             ) -> dict[tuple[int, int], list[Reason]]:
    """Notes for the coordinator beside each person before offering paid
    roles: these fees may take them over a limit they told us about. ``pairs``
    are (role id, person id) offered together (one role to a page of people,
    or a batch's proposals), so a person's other roles among them count
    towards the same limits. Never leaves anyone out. A fixed number of
    queries however many roles and people."""
    profiles = profiles_of(session, sorted({cid for _, cid in pairs}))
    paid = {r.id: r for r in roles if r.fee_tier is not None and r.sessions}
    wanted = [(rid, cid) for rid, cid in pairs if cid in profiles and rid in paid]
    if not wanted:
        return {}
    people = sorted({cid for _, cid in wanted})
    days = [session_day(s.starts_at) for r in paid.values() for s in r.sessions]
    start, end = min(days) - MARGIN, max(days) + LEAD
    planned = planned_lines(session, people, start, end, exclude_role_ids=list(paid))
    ledger = _ledger_lines(session, people, start, end)
    standing = {c.contributor_id: c for c in session.scalars(
        select(PaymentChoice).where(PaymentChoice.contributor_id.in_(people)))}
    offered: dict[int, dict[int, list[Line]]] = defaultdict(dict)
    for rid, cid in wanted:
        offered[cid][rid] = _role_lines(paid[rid], standing.get(cid))
    rules = benefit_rules()
    notes: dict[tuple[int, int], list[Reason]] = {}
    for cid, by_role in offered.items():
        known = [*ledger.get(cid, []), *planned.get(cid, [])]
        for rid, new in by_role.items():
            together = [x for other, lines in by_role.items() if other != rid for x in lines]
            found = warnings_for_new(profiles[cid], known + together, new, rules)
            if found:
                notes[(rid, cid)] = [Reason(
                    "may_affect_benefits", "May affect benefits: " + w.staff_text
                    + " Talk it through before offering; the choice is theirs.") for w in found]
    return notes


def _role_lines(role: RoleFacts, choice: PaymentChoice | None) -> list[Line]:
    """The planned fee of each of the role's sessions, after the person's
    standing choice about fees, on the day it would be paid."""
    out = []
    for s in role.sessions:
        pence, counts = planned_pence(choice, None, _fee(role.fee_tier, s.starts_at,
                                                         s.minutes) or 0)
        out.append(Line(planned_pay_on(choice, None, session_day(s.starts_at)), pence, PLANNED,
                        "This role", counts=counts))
    return out


def _ledger_lines(session: Session, ids: Sequence[int], start: dt.date, end: dt.date
                  ) -> dict[int, list[Line]]:
    """The ledger's fees for several people at once (the same rule as
    ``earnings_between``: fees only, by the day paid or expected)."""
    day = func.coalesce(Claim.paid_on, Claim.pay_on)
    out: dict[int, list[Line]] = defaultdict(list)
    for cid, pay_on, pence, state, claim_id in session.execute(
            select(Claim.contributor_id, day, Claim.amount_pence, Claim.state, Claim.id)
            .where(Claim.contributor_id.in_(list(ids)), Claim.is_earnings.is_(True),
                   Claim.state.in_(list(_LEDGER_STATE)), day >= start, day <= end)):
        out[cid].append(Line(pay_on, pence, _LEDGER_STATE[state], "A fee", claim_id=claim_id))
    return out


__all__ = ["OfferMoney", "PlannedFee", "SessionMoney", "benefit_notes_for_offers",
           "offer_money", "person_lines", "planned_fee", "planned_lines", "profile_for",
           "schedule_for", "warnings_for_claim"]
