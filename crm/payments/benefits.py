"""Benefit earnings rules (``config/payments/benefits/*.toml``), the periods they
count in, and plain-words warnings. Pure: no database.

The app never gives benefits advice. It adds up the fees a person would be
paid in each period (expenses are never earnings), compares them with the
figures for the benefits the person told us about (with their consent) and
with any limit they chose, and says what the figure is, by how much and in
which period; and it always points to the free, confidential Benefits Advice
Service for Involvement.

Periods: a benefit week starts on the person's benefit week day; a Universal
Credit assessment period starts on the person's day of the month (on the last
day of a month that has no such day); a calendar month is a month. Earnings
count in the period they are paid in (the expected pay date), so a fee paid in
another week can change the answer. The figures for a period are the ones in
force on the day the period starts (the April change of tax year, and UC's
change from assessment periods starting on or after a date).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.money import format_pence
from crm.settings import CONFIG_DIR, ConfigError, read_toml

BENEFITS_DIR = CONFIG_DIR / "payments" / "benefits"
ADVICE_FILE = CONFIG_DIR / "payments" / "benefits_advice.toml"

WEEK = "week"
MONTH = "month"
ASSESSMENT_PERIOD = "uc_assessment_period"
PERIODS = (WEEK, MONTH, ASSESSMENT_PERIOD)

CLIFF_EDGE = "cliff_edge"
TAPER = "taper"
DISREGARD = "disregard"
UNAFFECTED = "unaffected"
KINDS = (CLIFF_EDGE, TAPER, DISREGARD, UNAFFECTED)

NONE = "none"
RATHER_NOT_SAY = "rather_not_say"

# What a person can tell us, in their words, in the order shown.
BENEFIT_LABELS: dict[str, str] = {
    "uc_work_allowance_housing": ("Universal Credit with a work allowance, and help with "
                                  "housing costs"),
    "uc_work_allowance": "Universal Credit with a work allowance, and no help with housing costs",
    "uc_no_work_allowance": "Universal Credit with no work allowance",
    "esa_higher": "ESA, doing permitted work (the higher limit)",
    "esa_lower": "ESA, doing permitted work (the lower limit)",
    "carers_allowance": "Carer's Allowance",
    "legacy_income_related": "Housing Benefit, or another older benefit based on income",
    "pension_credit": "Pension Credit",
    "pip_dla": "PIP or DLA",
    NONE: "None",
    RATHER_NOT_SAY: "I'd rather not say",
}
# The same in Easy Read.
BENEFIT_EASY_LABELS: dict[str, str] = {
    "uc_work_allowance_housing": "Universal Credit. I have a work allowance. I get help with rent.",
    "uc_work_allowance": "Universal Credit. I have a work allowance. No help with rent.",
    "uc_no_work_allowance": "Universal Credit. No work allowance.",
    "esa_higher": "ESA. Permitted work. The higher limit.",
    "esa_lower": "ESA. Permitted work. The lower limit.",
    "carers_allowance": "Carer's Allowance",
    "legacy_income_related": "Housing Benefit, or an older benefit",
    "pension_credit": "Pension Credit",
    "pip_dla": "PIP or DLA",
    NONE: "None",
    RATHER_NOT_SAY: "I'd rather not say",
}
# Short names used inside sentences.
BENEFIT_NAMES: dict[str, str] = {
    "uc_work_allowance_housing": "Universal Credit",
    "uc_work_allowance": "Universal Credit",
    "uc_no_work_allowance": "Universal Credit",
    "esa_higher": "ESA",
    "esa_lower": "ESA",
    "carers_allowance": "Carer's Allowance",
    "legacy_income_related": "Housing Benefit or your other benefit",
    "pension_credit": "Pension Credit",
    "pip_dla": "PIP or DLA",
}
# The one-sentence explanations of the two cliff edges (no advice, just the rule).
CLIFF_EDGE_SENTENCES: dict[str, str] = {
    "carers_allowance": ("If your earnings in a benefit week are over the limit, you get no "
                         "Carer's Allowance at all for that week."),
    "esa_higher": ("If your earnings in a week are over the permitted work limit, you may get "
                   "no ESA for that week."),
    "esa_lower": ("If your earnings in a week are over the permitted work limit, you may get "
                  "no ESA for that week."),
}
DISREGARD_LEVELS: dict[str, str] = {
    "single": "Single (the lowest amount: we use this if you are not sure)",
    "couple": "Couple",
    "higher": "Higher amount (some disability or carer cases)",
    "lone_parent": "Lone parent on Housing Benefit",
}
LIMIT_PERIODS: dict[str, str] = {WEEK: "a week", MONTH: "a calendar month"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---------------------------------------------------------------- periods


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str = field(compare=False)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def words(self) -> str:
        """'the week of Monday 2 March to Sunday 8 March 2026', in plain words."""
        def day(d: dt.date, year: bool) -> str:
            text = f"{WEEKDAYS[d.weekday()]} {d.day} {calendar.month_name[d.month]}"
            return f"{text} {d.year}" if year else text

        if self.kind == MONTH:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        same_year = self.start.year == self.end.year
        span = f"{day(self.start, not same_year)} to {day(self.end, True)}"
        return (f"the week of {span}" if self.kind == WEEK
                else f"the assessment period {span}")


def benefit_week(on: dt.date, start_weekday: int) -> Period:
    """The benefit week holding ``on`` that starts on ``start_weekday`` (0 is Monday)."""
    if not 0 <= start_weekday <= 6:
        raise ValueError("a benefit week starts on a day from 0 (Monday) to 6 (Sunday)")
    start = on - dt.timedelta(days=(on.weekday() - start_weekday) % 7)
    return Period(start, start + dt.timedelta(days=6), WEEK)


def _ap_start(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def assessment_period(on: dt.date, start_day: int) -> Period:
    """The Universal Credit assessment period holding ``on``: it starts on
    ``start_day`` of the month, or the month's last day if it has no such day."""
    if not 1 <= start_day <= 31:
        raise ValueError("an assessment period starts on a day of the month from 1 to 31")
    start = _ap_start(on.year, on.month, start_day)
    if on < start:
        start = _ap_start(*_add_months(on.year, on.month, -1), start_day)
    next_start = _ap_start(*_add_months(start.year, start.month, 1), start_day)
    return Period(start, next_start - dt.timedelta(days=1), ASSESSMENT_PERIOD)


def calendar_month(on: dt.date) -> Period:
    last = calendar.monthrange(on.year, on.month)[1]
    return Period(on.replace(day=1), on.replace(day=last), MONTH)


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    benefit: str
    kind: str
    period: str
    applies_from: dt.date
    tax_year: str
    source: str
    verified: bool = True
    limit_pence: int | None = None
    allowance_pence: int | None = None
    taper_percent: int | None = None
    withdrawal_percent: int | None = None
    disregards_pence: dict[str, int] = field(default_factory=dict)

    def disregard_for(self, level: str) -> int:
        return self.disregards_pence.get(level, self.disregards_pence.get("single", 0))


@dataclass(frozen=True)
class BenefitRules:
    rules: tuple[Rule, ...]  # by applies_from

    def rule_for(self, benefit: str, period_start: dt.date) -> Rule | None:
        """The rule for ``benefit`` in force for a period starting on ``period_start``."""
        found = None
        for rule in self.rules:
            if rule.benefit == benefit and rule.applies_from <= period_start:
                found = rule
        return found

    def benefits(self) -> set[str]:
        return {r.benefit for r in self.rules}


@dataclass(frozen=True)
class Advice:
    name: str
    description: str
    how_to_reach: str

    @property
    def sentence(self) -> str:
        return (f"The {self.name} is {self.description}: it can tell you how fees affect your "
                f"benefits. {self.how_to_reach}")


def _pence(path: Path, row: dict[str, Any], key: str, where: str) -> int:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{path}: [{where}] key '{key}' must be a whole number of pence, "
                          "0 or more")
    return value


def _percent(path: Path, row: dict[str, Any], key: str, where: str) -> int:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100:
        raise ConfigError(f"{path}: [{where}] key '{key}' must be a whole percent from 1 to 100")
    return value


def _rule(path: Path, row: dict[str, Any], year: dict[str, Any], where: str) -> Rule:
    benefit, kind, period = row.get("benefit"), row.get("kind"), row.get("period")
    if benefit not in BENEFIT_NAMES:
        raise ConfigError(f"{path}: [{where}] key 'benefit' must be one of {sorted(BENEFIT_NAMES)}")
    if kind not in KINDS:
        raise ConfigError(f"{path}: [{where}] key 'kind' must be one of {list(KINDS)}")
    if period not in PERIODS:
        raise ConfigError(f"{path}: [{where}] key 'period' must be one of {list(PERIODS)}")
    applies = row.get("applies_from", year["applies_from"])
    if not isinstance(applies, dt.date) or isinstance(applies, dt.datetime):
        raise ConfigError(f"{path}: [{where}] key 'applies_from' must be a date")
    source = row.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{path}: [{where}] key 'source' must say where the figure comes from")
    verified = row.get("verified", True)
    if not isinstance(verified, bool):
        raise ConfigError(f"{path}: [{where}] key 'verified' must be true or false")
    values: dict[str, Any] = {}
    if kind == CLIFF_EDGE:
        values["limit_pence"] = _pence(path, row, "limit_pence", where)
    elif kind == TAPER:
        values["allowance_pence"] = _pence(path, row, "allowance_pence", where)
        values["taper_percent"] = _percent(path, row, "taper_percent", where)
    elif kind == DISREGARD:
        values["withdrawal_percent"] = _percent(path, row, "withdrawal_percent", where)
        table = row.get("disregards_pence")
        if not isinstance(table, dict) or "single" not in table:
            raise ConfigError(f"{path}: [{where}] key 'disregards_pence' needs at least 'single'")
        unknown = set(table) - set(DISREGARD_LEVELS)
        if unknown:
            raise ConfigError(f"{path}: [{where}] 'disregards_pence' has unknown levels "
                              f"{sorted(unknown)}")
        values["disregards_pence"] = {k: _pence(path, table, k, where) for k in table}
    return Rule(benefit=str(benefit), kind=str(kind), period=str(period), applies_from=applies,
                tax_year=str(year["tax_year"]), source=source.strip(), verified=verified,
                **values)


def load_benefit_rules(folder: Path = BENEFITS_DIR) -> BenefitRules:
    """Read and check every tax year's file; a bad file stops start-up."""
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise ConfigError(f"{folder}: no benefit rules (*.toml) found")
    rules: list[Rule] = []
    for path in paths:
        raw = read_toml(path)
        year = raw.get("year")
        if not isinstance(year, dict):
            raise ConfigError(f"{path}: table [year] is missing")
        if not isinstance(year.get("tax_year"), str) or not year.get("source"):
            raise ConfigError(f"{path}: [year] needs tax_year (like \"2026/27\") and source")
        if not isinstance(year.get("applies_from"), dt.date):
            raise ConfigError(f"{path}: [year] key 'applies_from' must be a date")
        rows = raw.get("rule")
        if not isinstance(rows, list) or not rows:
            raise ConfigError(f"{path}: no [[rule]] entries")
        seen: set[str] = set()
        for number, row in enumerate(rows, start=1):
            rule = _rule(path, row, year, f"rule {number}")
            if rule.benefit in seen:
                raise ConfigError(f"{path}: [rule {number}] benefit '{rule.benefit}' is "
                                  "listed twice")
            seen.add(rule.benefit)
            rules.append(rule)
    return BenefitRules(tuple(sorted(rules, key=lambda r: r.applies_from)))


def load_advice(path: Path = ADVICE_FILE) -> Advice:
    raw = read_toml(path).get("advice")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: table [advice] is missing")
    for key in ("name", "description", "how_to_reach", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{path}: [advice] key '{key}' must be some text")
    return Advice(name=raw["name"], description=raw["description"],
                  how_to_reach=raw["how_to_reach"])


@lru_cache(maxsize=1)
def benefit_rules() -> BenefitRules:
    return load_benefit_rules()


@lru_cache(maxsize=1)
def advice() -> Advice:
    return load_advice()


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class Profile:
    """What a person told us (with consent): benefit codes, their benefit week
    day (0 Monday) and assessment period day, disregard level and own limit."""

    benefits: frozenset[str] = frozenset()
    week_day: int | None = None
    assessment_day: int | None = None
    disregard_level: str = "single"
    limit_pence: int | None = None
    limit_period: str | None = None

    @property
    def rather_not_say(self) -> bool:
        return RATHER_NOT_SAY in self.benefits

    def period(self, kind: str, on: dt.date) -> Period:
        if kind == WEEK:
            return benefit_week(on, 0 if self.week_day is None else self.week_day)
        if kind == ASSESSMENT_PERIOD:
            return assessment_period(on, self.assessment_day or 1)
        return calendar_month(on)

    def period_kinds(self, rules: BenefitRules) -> list[str]:
        """The kinds of period this person's schedule is shown in."""
        kinds = {r.period for r in rules.rules if r.benefit in self.benefits
                 and r.kind != UNAFFECTED}
        if self.limit_pence is not None and self.limit_period:
            kinds.add(self.limit_period)
        return [k for k in PERIODS if k in kinds]


@dataclass(frozen=True)
class Earning:
    """Money a person is paid or would be paid, on its (expected) pay date."""

    pay_date: dt.date
    pence: int
    is_expense: bool = False


def earnings_in(period: Period, earnings: Iterable[Earning]) -> int:
    """Fees paid in the period. Expenses are never earnings."""
    return sum(e.pence for e in earnings if not e.is_expense and e.pay_date in period)


@dataclass(frozen=True)
class BenefitWarning:
    benefit: str | None  # None for the person's own limit
    kind: str
    period: Period
    earnings_pence: int
    figure_pence: int  # the limit, allowance or disregard
    over_pence: int
    effect_pence: int | None  # about how much less benefit (taper, disregard)
    person_text: str
    staff_text: str
    explanation: str = ""

    @property
    def easy_text(self) -> str:
        """The same in Easy Read: short sentences."""
        total, figure = format_pence(self.earnings_pence), format_pence(self.figure_pence)
        start = f"You would get {total} in {self.period.words}."
        name = BENEFIT_NAMES.get(self.benefit or "", "")
        if self.kind == CLIFF_EDGE:
            return f"{start} The {name} limit is {figure} a week. This is over the limit."
        if self.kind in (TAPER, DISREGARD):
            effect = format_pence(self.effect_pence or 0)
            return f"{start} Your {name} may go down by about {effect}."
        return f"{start} This is over your own limit of {figure}."

    @property
    def easy_explanation(self) -> str:
        if not self.explanation:
            return ""
        name = BENEFIT_NAMES.get(self.benefit or "", "")
        may = "" if self.benefit == "carers_allowance" else "may "
        return f"If you go over the limit in a week, you {may}get no {name} for that week."

    @property
    def finance_text(self) -> str:
        """For finance: the warning, never which benefit. Not the period's
        words (an assessment period means Universal Credit) nor the amount
        over (with the earnings it gives the limit, and so the benefit)."""
        return ("Paying this when planned would take this person over a limit they told us "
                "about. Ask their coordinator before approving; do not change the payment.")


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


def general_notes(profile: Profile | None) -> list[str]:
    """Plain sentences that do not depend on amounts."""
    notes: list[str] = []
    if profile is None:
        notes.append("If you get benefits, a fee can change them. You can tell us which "
                     "benefits you get, and we will warn you before a fee could affect them.")
    elif profile.rather_not_say:
        notes.append("You chose not to tell us about benefits. That is fine. If you get "
                     "benefits, a fee can change them.")
    elif "pip_dla" in profile.benefits:
        notes.append("PIP and DLA do not change when you earn money.")
    if profile is not None:
        weekly = {"carers_allowance", "esa_higher", "esa_lower", "legacy_income_related",
                  "pension_credit"}
        if profile.week_day is None and weekly & profile.benefits:
            notes.append("We do not know the day your benefit week starts, so we count weeks "
                         "from Monday. You can tell us the day.")
        if profile.assessment_day is None and any(b.startswith("uc_")
                                                  for b in profile.benefits):
            notes.append("We do not know the day your Universal Credit assessment period "
                         "starts, so we count from the 1st of the month. You can tell us the "
                         "day.")
    return notes


def tax_year_of(on: dt.date) -> str:
    """'2026/27' for 6 April 2026 to 5 April 2027."""
    start = on.year if on >= dt.date(on.year, 4, 6) else on.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


__all__ = ["ASSESSMENT_PERIOD", "Advice", "BENEFIT_EASY_LABELS", "BENEFIT_LABELS", "BENEFIT_NAMES",
           "BenefitRules",
           "CLIFF_EDGE_SENTENCES", "DISREGARD_LEVELS", "Earning", "LIMIT_PERIODS", "MONTH",
           "NONE", "Period", "Profile", "RATHER_NOT_SAY", "Rule", "WEEK", "WEEKDAYS",
           "BenefitWarning",
           "advice", "assessment_period", "benefit_rules", "benefit_week", "calendar_month",
           "check", "check_period", "earnings_in", "general_notes", "load_advice",
           "load_benefit_rules", "tax_year_of"]
