"""Benefit checks: a person's earnings in each period against the rules for
the benefits they told us about (with their consent) and any limit they
chose, and the warnings (crm.payments.benefits.BenefitWarning) that gives.
Pure: no database.

The app never gives benefits advice. It adds up the fees a person would be
paid in each period (expenses are never earnings), compares them with the
figures for the person's benefits and with their own limit, and says what
the figure is, by how much and in which period; and it always points to the
free, confidential Benefits Advice Service for Involvement
(crm.payments.benefits.advice).

Earnings count in the period they are paid in (the expected pay date), so a
fee paid in another week can change the answer. The figures for a period
are the ones in force on the day the period starts (the April change of tax
year, and UC's change from assessment periods starting on or after a date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crm.money import format_pence
from crm.payments.benefit_periods import ASSESSMENT_PERIOD, MONTH, WEEK, Period
from crm.payments.benefits import (
    BENEFIT_NAMES,
    CLIFF_EDGE,
    CLIFF_EDGE_SENTENCES,
    DISREGARD,
    TAPER,
    UNAFFECTED,
    BenefitRules,
    BenefitWarning,
    Profile,
    benefit_rules,
)


@dataclass(frozen=True)
class Earning:
    """Money a person is paid or would be paid, on its (expected) pay date."""

    pay_date: dt.date
    pence: int
    is_expense: bool = False


def earnings_in(period: Period, earnings: Iterable[Earning]) -> int:
    """Fees paid in the period. Expenses are never earnings."""
    return sum(e.pence for e in earnings if not e.is_expense and e.pay_date in period)


def _limit_words(kind: str) -> str:
    return {WEEK: "a week", MONTH: "a month", ASSESSMENT_PERIOD: "an assessment period"}[kind]


def check_period(profile: Profile, period_kind: str, period: Period, earnings_pence: int,
                 rules: BenefitRules) -> list[BenefitWarning]:
    """Warnings for one period's earnings, for this person's benefits and limit."""
    warnings: list[BenefitWarning] = []
    total = format_pence(earnings_pence)
    for benefit in sorted(profile.benefits):
        rule = rules.rule_for(benefit, period.start)
        if rule is None or rule.period != period_kind or rule.kind == UNAFFECTED:
            continue
        name = BENEFIT_NAMES[benefit]
        if rule.kind == CLIFF_EDGE:
            limit = rule.limit_pence or 0
            if earnings_pence <= limit:
                continue
            over = earnings_pence - limit
            text = (f"{total} in {period.words} is {format_pence(over)} over the {name} "
                    f"earnings limit of {format_pence(limit)} a week.")
            warnings.append(BenefitWarning(benefit, rule.kind, period, earnings_pence, limit, over,
                                    None, text, text, CLIFF_EDGE_SENTENCES.get(benefit, "")))
        elif rule.kind == TAPER:
            allowance = rule.allowance_pence or 0
            over = earnings_pence - allowance
            if over <= 0:
                continue
            effect = over * (rule.taper_percent or 0) // 100
            pennies = rule.taper_percent or 0
            if allowance:
                how = (f"{total} in {period.words} is {format_pence(over)} over the work "
                       f"allowance of {format_pence(allowance)}. ")
            else:
                how = f"{total} in {period.words} counts as earnings. "
            text = (how + f"{name} may go down by about {format_pence(effect)} "
                    f"({pennies}p for each £1).")
            warnings.append(BenefitWarning(benefit, rule.kind, period, earnings_pence, allowance,
                                    over, effect, text, text))
        elif rule.kind == DISREGARD:
            disregard = rule.disregard_for(profile.disregard_level)
            over = earnings_pence - disregard
            if over <= 0:
                continue
            effect = over * (rule.withdrawal_percent or 0) // 100
            text = (f"{total} in {period.words} is {format_pence(over)} over the "
                    f"{format_pence(disregard)} a week that is not counted. {name} may go "
                    f"down by about {format_pence(effect)} that week.")
            warnings.append(BenefitWarning(benefit, rule.kind, period, earnings_pence, disregard,
                                    over, effect, text, text))
    if (profile.limit_pence is not None and profile.limit_period == period_kind
            and earnings_pence > profile.limit_pence):
        over = earnings_pence - profile.limit_pence
        text = (f"{total} in {period.words} is {format_pence(over)} over the limit you chose "
                f"of {format_pence(profile.limit_pence)} {_limit_words(period_kind)}.")
        staff = (f"{total} in {period.words} is {format_pence(over)} over the limit this "
                 f"person chose of {format_pence(profile.limit_pence)} "
                 f"{_limit_words(period_kind)}.")
        warnings.append(BenefitWarning(None, "personal_limit", period, earnings_pence,
                                profile.limit_pence, over, None, text, staff))
    return warnings


def check(profile: Profile, earnings: Sequence[Earning], rules: BenefitRules | None = None,
          *, only_around: Iterable[dt.date] | None = None) -> list[BenefitWarning]:
    """Warnings for every period holding a fee (or only the periods holding the
    given dates, such as a new fee's pay date), in date order."""
    rules = rules or benefit_rules()
    days = sorted(set(only_around if only_around is not None
                      else (e.pay_date for e in earnings if not e.is_expense)))
    warnings: list[BenefitWarning] = []
    for kind in profile.period_kinds(rules):
        fees = [e for e in earnings if not e.is_expense]
        period_of = {d: profile.period(kind, d) for d in {*days, *(e.pay_date for e in fees)}}
        totals: dict[Period, int] = {}  # one pass: each fee into its period
        for e in fees:
            period = period_of[e.pay_date]
            totals[period] = totals.get(period, 0) + e.pence
        for period in sorted({period_of[d] for d in days}):
            warnings.extend(check_period(profile, kind, period, totals.get(period, 0), rules))
    return sorted(warnings, key=lambda w: (w.period.start, w.kind))


__all__ = ["Earning", "check", "check_period", "earnings_in"]
