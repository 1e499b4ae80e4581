"""The benefits a person can tell us about, in their words and in Easy Read;
what they told us (``Profile``); the earnings rules for each benefit
(``config/payments/benefits/*.toml``, one file a tax year); the warnings a
check gives, in plain words, Easy Read and for finance; and the Benefits
Advice Service (``config/payments/benefits_advice.toml``). Pure: no
database.

The app never gives benefits advice. The periods earnings count in are
crm.payments.benefit_periods; adding up a person's fees in each period and
checking them against the rules (which gives the warnings here) is
crm.payments.benefit_checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.money import format_pence
from crm.payments.benefit_periods import (
    ASSESSMENT_PERIOD,
    MONTH,
    PERIODS,
    WEEK,
    WEEKDAYS,
    Period,
    assessment_period,
    benefit_week,
    calendar_month,
)
from crm.settings import CONFIG_DIR, ConfigError, read_toml

BENEFITS_DIR = CONFIG_DIR / "payments" / "benefits"
ADVICE_FILE = CONFIG_DIR / "payments" / "benefits_advice.toml"

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


# ---------------------------------------------------------------- what a person told us


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


# ---------------------------------------------------------------- warnings


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


# WEEKDAYS is crm.payments.benefit_periods'; it is named here too because
# choice_forms and choice_views import it from this module.
__all__ = ["ADVICE_FILE", "Advice", "BENEFITS_DIR", "BENEFIT_EASY_LABELS", "BENEFIT_LABELS",
           "BENEFIT_NAMES", "BenefitRules", "BenefitWarning", "CLIFF_EDGE",
           "CLIFF_EDGE_SENTENCES", "DISREGARD", "DISREGARD_LEVELS", "KINDS", "LIMIT_PERIODS",
           "NONE", "Profile", "RATHER_NOT_SAY", "Rule", "TAPER", "UNAFFECTED", "WEEKDAYS",
           "advice", "benefit_rules", "general_notes", "load_advice", "load_benefit_rules"]
