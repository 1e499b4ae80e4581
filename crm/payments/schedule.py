"""A person's payment schedule, per period: fees paid, approved, waiting and
planned, against the limits of the benefits they told us about and their own
limit. Pure: the lines come from crm.payments.schedule_queries.

Periods are the person's own (benefit week from their day, UC assessment
period from their day of the month, calendar month for a monthly limit), or
calendar months when they told us of no limit. Fees count in the period they
are paid in. Expenses are never earnings and never appear here. Nothing here
moves, splits or reduces a payment: it shows and warns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crm.money import format_pence
from crm.payments.benefit_checks import Earning, check, check_period
from crm.payments.benefit_periods import ASSESSMENT_PERIOD, MONTH, WEEK, Period, calendar_month
from crm.payments.benefits import (
    BENEFIT_NAMES,
    CLIFF_EDGE,
    DISREGARD,
    TAPER,
    UNAFFECTED,
    BenefitRules,
    BenefitWarning,
    Profile,
    benefit_rules,
)

PAID = "paid"
APPROVED = "approved"
SUBMITTED = "submitted"
DRAFTED = "drafted"
PLANNED = "planned"
STATES = (PAID, APPROVED, SUBMITTED, DRAFTED, PLANNED)
# What each state means to the person, (standard, Easy Read), the same words
# on My payments, the schedule and a fee's own page: where the fee is now and
# who has it. A paid fee's words are followed by the day it was paid.
STATE_WORDS = {
    PAID: ("Paid on", "We paid you on"),
    APPROVED: ("Approved, to be paid", "Our finance team said yes. We will pay you"),
    SUBMITTED: ("Waiting for our finance team to approve it", "Our finance team is checking it"),
    DRAFTED: ("Your coordinator is getting this ready to send for payment",
              "Your coordinator is getting this ready for us to pay"),
    PLANNED: ("Planned", "Planned"),
}
PERIOD_WORDS = {WEEK: "Benefit weeks", ASSESSMENT_PERIOD: "Universal Credit assessment periods",
                MONTH: "Calendar months"}


@dataclass(frozen=True)
class Line:
    """One fee in the schedule. ``pence`` is what the person would be paid
    (after their choice); ``counts`` is False for a fee paid to a charity."""

    pay_on: dt.date
    pence: int
    state: str
    what: str
    session_id: int | None = None
    claim_id: int | None = None
    note: str | None = None
    counts: bool = True

    @property
    def earning(self) -> Earning:
        return Earning(self.pay_on, self.pence if self.counts else 0)


@dataclass(frozen=True)
class Limit:
    label: str
    pence: int


@dataclass
class PeriodRow:
    period: Period
    lines: list[Line] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    warnings: list[BenefitWarning] = field(default_factory=list)

    def total(self, *states: str) -> int:
        return sum(x.pence for x in self.lines if x.counts and (not states or x.state in states))

    @property
    def paid(self) -> int:
        return self.total(PAID)

    @property
    def approved(self) -> int:
        return self.total(APPROVED)

    @property
    def waiting(self) -> int:
        return self.total(SUBMITTED, DRAFTED)

    @property
    def planned(self) -> int:
        return self.total(PLANNED)


@dataclass
class Schedule:
    kind: str
    rows: list[PeriodRow]
    start: dt.date
    end: dt.date

    @property
    def warnings(self) -> list[BenefitWarning]:
        return [w for r in self.rows for w in r.warnings]

    @property
    def heading(self) -> str:
        return PERIOD_WORDS[self.kind]


def limits_for(profile: Profile | None, kind: str, period: Period,
               rules: BenefitRules) -> list[Limit]:
    """The figures this person's earnings are compared with in ``period``."""
    if profile is None:
        return []
    out: list[Limit] = []
    for benefit in sorted(profile.benefits):
        rule = rules.rule_for(benefit, period.start)
        if rule is None or rule.period != kind or rule.kind == UNAFFECTED:
            continue
        name = BENEFIT_NAMES[benefit]
        if rule.kind == CLIFF_EDGE and rule.limit_pence is not None:
            out.append(Limit(f"{name} earnings limit", rule.limit_pence))
        elif rule.kind == TAPER:
            out.append(Limit(f"{name} work allowance", rule.allowance_pence or 0))
        elif rule.kind == DISREGARD:
            out.append(Limit(f"{name}: earnings not counted",
                             rule.disregard_for(profile.disregard_level)))
    if profile.limit_pence is not None and profile.limit_period == kind:
        out.append(Limit("Your own limit", profile.limit_pence))
    return out


def period_kind(profile: Profile | None, rules: BenefitRules) -> str:
    """The period the schedule is shown in: the person's first kind of
    period (week before assessment period before month), or calendar months."""
    kinds = profile.period_kinds(rules) if profile else []
    return kinds[0] if kinds else MONTH


def build(profile: Profile | None, lines: Iterable[Line], start: dt.date, end: dt.date,
          rules: BenefitRules | None = None, kind: str | None = None) -> Schedule:
    """The periods from ``start`` to ``end`` that hold a fee, each with its
    lines, totals, limits and warnings (for every kind of period the person's
    benefits use, so a monthly warning shows beside weekly rows too)."""
    rules = rules or benefit_rules()
    kind = kind or period_kind(profile, rules)
    chosen = sorted((x for x in lines if start <= x.pay_on <= end), key=lambda x: x.pay_on)
    rows: dict[Period, PeriodRow] = {}
    for line in chosen:
        period = profile.period(kind, line.pay_on) if profile else calendar_month(line.pay_on)
        row = rows.get(period)
        if row is None:
            row = rows[period] = PeriodRow(period, limits=limits_for(profile, kind, period, rules))
        row.lines.append(line)
    earnings = [x.earning for x in chosen]
    if profile is not None:
        for warning in check(profile, earnings, rules):
            holder = next((r for r in rows.values() if warning.period.start <= r.period.end
                           and r.period.start <= warning.period.end), None)
            if holder is not None:
                holder.warnings.append(warning)
    return Schedule(kind, [rows[p] for p in sorted(rows)], start, end)


def warnings_for_new(profile: Profile | None, lines: Sequence[Line], new: Sequence[Line],
                     rules: BenefitRules | None = None) -> list[BenefitWarning]:
    """The warnings that the ``new`` fees would cause or add to: every
    period holding one of their pay days, counting the other fees too."""
    if profile is None or not new:
        return []
    rules = rules or benefit_rules()
    earnings = [x.earning for x in (*lines, *new)]
    return check(profile, earnings, rules, only_around=[x.pay_on for x in new])


def over_without(profile: Profile, lines: Sequence[Line], new: Line,
                 rules: BenefitRules | None = None) -> bool:
    """Whether the other fees alone already go over in the new fee's periods
    (so the warning is not caused by it)."""
    rules = rules or benefit_rules()
    earnings = [x.earning for x in lines]
    for kind in profile.period_kinds(rules):
        period = profile.period(kind, new.pay_on)
        total = sum(e.pence for e in earnings if e.pay_date in period)
        if check_period(profile, kind, period, total, rules):
            return True
    return False


def money(pence: int) -> str:
    return format_pence(pence)


__all__ = ["APPROVED", "DRAFTED", "Limit", "Line", "PAID", "PLANNED", "PeriodRow", "STATES",
           "STATE_WORDS", "SUBMITTED", "Schedule", "build", "limits_for", "money",
           "over_without", "period_kind", "warnings_for_new"]
