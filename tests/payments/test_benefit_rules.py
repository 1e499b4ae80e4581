"""Benefit rules: every rule in config/payments/benefits (cliff edge, taper,
disregard, unaffected), the periods they count in (benefit week and UC
assessment period starting on the person's day, calendar month), the April
change of tax year, the person's own limit, and expenses never counted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crm.payments.benefit_checks import Earning, check, check_period, earnings_in
from crm.payments.benefit_periods import (
    ASSESSMENT_PERIOD,
    MONTH,
    WEEK,
    assessment_period,
    benefit_week,
    calendar_month,
    tax_year_of,
)
from crm.payments.benefits import (
    BENEFIT_LABELS,
    BENEFITS_DIR,
    CLIFF_EDGE,
    DISREGARD,
    TAPER,
    UNAFFECTED,
    Profile,
    Rule,
    advice,
    benefit_rules,
    general_notes,
    load_benefit_rules,
)
from crm.settings import ConfigError

D = dt.date
RULES = benefit_rules()


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize(("on", "start_weekday", "start", "end"), [
    (D(2026, 3, 4), 0, D(2026, 3, 2), D(2026, 3, 8)),     # Wednesday, weeks from Monday
    (D(2026, 3, 2), 0, D(2026, 3, 2), D(2026, 3, 8)),     # the first day itself
    (D(2026, 3, 8), 0, D(2026, 3, 2), D(2026, 3, 8)),     # the last day itself
    (D(2026, 3, 4), 3, D(2026, 2, 26), D(2026, 3, 4)),    # weeks from Thursday
    (D(2026, 3, 5), 3, D(2026, 3, 5), D(2026, 3, 11)),
    (D(2026, 1, 1), 6, D(2025, 12, 28), D(2026, 1, 3)),   # across a year
])
def test_a_benefit_week_starts_on_the_persons_day(on: dt.date, start_weekday: int,
                                                  start: dt.date, end: dt.date) -> None:
    week = benefit_week(on, start_weekday)
    assert (week.start, week.end, week.kind) == (start, end, WEEK)
    assert week.start.weekday() == start_weekday and on in week


@pytest.mark.parametrize(("on", "day", "start", "end"), [
    (D(2026, 3, 20), 13, D(2026, 3, 13), D(2026, 4, 12)),
    (D(2026, 3, 12), 13, D(2026, 2, 13), D(2026, 3, 12)),
    (D(2026, 3, 13), 13, D(2026, 3, 13), D(2026, 4, 12)),
    (D(2026, 3, 1), 1, D(2026, 3, 1), D(2026, 3, 31)),
    # starting on the 31st: in short months on the last day
    (D(2026, 2, 15), 31, D(2026, 1, 31), D(2026, 2, 27)),
    (D(2026, 2, 28), 31, D(2026, 2, 28), D(2026, 3, 30)),
    (D(2026, 4, 30), 31, D(2026, 4, 30), D(2026, 5, 30)),
    (D(2026, 5, 31), 31, D(2026, 5, 31), D(2026, 6, 29)),
    # the 29th in a leap year and a common year
    (D(2028, 2, 29), 29, D(2028, 2, 29), D(2028, 3, 28)),
    (D(2027, 3, 1), 29, D(2027, 2, 28), D(2027, 3, 28)),
    (D(2026, 12, 31), 15, D(2026, 12, 15), D(2027, 1, 14)),
    (D(2027, 1, 3), 15, D(2026, 12, 15), D(2027, 1, 14)),
])
def test_an_assessment_period_starts_on_the_persons_day(on: dt.date, day: int, start: dt.date,
                                                        end: dt.date) -> None:
    period = assessment_period(on, day)
    assert (period.start, period.end, period.kind) == (start, end, ASSESSMENT_PERIOD)
    assert on in period


@pytest.mark.parametrize(("on", "start", "end"), [
    (D(2026, 2, 10), D(2026, 2, 1), D(2026, 2, 28)),
    (D(2028, 2, 29), D(2028, 2, 1), D(2028, 2, 29)),
    (D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
])
def test_a_calendar_month(on: dt.date, start: dt.date, end: dt.date) -> None:
    period = calendar_month(on)
    assert (period.start, period.end, period.kind) == (start, end, MONTH)


def test_periods_in_words() -> None:
    assert (benefit_week(D(2026, 3, 4), 0).words
            == "the week of Monday 2 March to Sunday 8 March 2026")
    assert (assessment_period(D(2026, 12, 20), 15).words
            == "the assessment period Tuesday 15 December 2026 to Thursday 14 January 2027")
    assert calendar_month(D(2026, 2, 3)).words == "February 2026"


def test_bad_period_days_are_refused() -> None:
    with pytest.raises(ValueError):
        benefit_week(D(2026, 1, 1), 7)
    with pytest.raises(ValueError):
        assessment_period(D(2026, 1, 1), 0)


@pytest.mark.parametrize(("on", "year"), [
    (D(2026, 4, 5), "2025/26"), (D(2026, 4, 6), "2026/27"), (D(2027, 1, 1), "2026/27"),
    (D(2030, 4, 6), "2030/31"), (D(2099, 4, 6), "2099/00"),
])
def test_tax_year_of(on: dt.date, year: str) -> None:
    assert tax_year_of(on) == year


# ---------------------------------------------------------------- figures by date

# (benefit, period start, figure in pence, tax year): the April changes.
@pytest.mark.parametrize(("benefit", "start", "figure", "year"), [
    ("carers_allowance", D(2025, 4, 7), 19600, "2025/26"),
    ("carers_allowance", D(2026, 4, 5), 19600, "2025/26"),
    ("carers_allowance", D(2026, 4, 6), 20400, "2026/27"),
    ("esa_higher", D(2026, 1, 5), 19550, "2025/26"),
    ("esa_higher", D(2026, 4, 6), 20350, "2026/27"),
    ("esa_lower", D(2026, 4, 6), 2000, "2026/27"),
    ("uc_work_allowance_housing", D(2026, 4, 12), 41100, "2025/26"),
    ("uc_work_allowance_housing", D(2026, 4, 13), 42700, "2026/27"),
    ("uc_work_allowance", D(2026, 4, 6), 68400, "2025/26"),
    ("uc_work_allowance", D(2026, 4, 13), 71000, "2026/27"),
    ("uc_no_work_allowance", D(2026, 5, 1), 0, "2026/27"),
    ("legacy_income_related", D(2026, 4, 6), 500, "2026/27"),
    ("pension_credit", D(2025, 5, 5), 500, "2025/26"),
])
def test_the_figure_in_force_for_a_period_is_the_one_when_it_starts(
        benefit: str, start: dt.date, figure: int, year: str) -> None:
    rule = RULES.rule_for(benefit, start)
    assert rule is not None and rule.tax_year == year
    assert figure == (rule.limit_pence if rule.kind == CLIFF_EDGE else
                      rule.allowance_pence if rule.kind == TAPER else rule.disregard_for("single"))


def test_no_rule_before_the_first_year() -> None:
    assert RULES.rule_for("carers_allowance", D(2025, 4, 6)) is None


def test_the_unverified_esa_figure_says_so() -> None:
    rule = RULES.rule_for("esa_higher", D(2026, 4, 6))
    assert rule is not None and not rule.verified and "verify" in rule.source


# ---------------------------------------------------------------- every rule in config

def _case_profile(rule: Rule) -> Profile:
    return Profile(benefits=frozenset({rule.benefit}), week_day=rule.applies_from.weekday(),
                   assessment_day=rule.applies_from.day)


def _rule_id(rule: Rule) -> str:
    return f"{rule.tax_year}-{rule.benefit}"


@pytest.mark.parametrize("rule", RULES.rules, ids=_rule_id)
def test_every_rule_in_config_warns_one_penny_past_its_figure(rule: Rule) -> None:
    profile = _case_profile(rule)
    period = profile.period(rule.period, rule.applies_from)
    assert period.start == rule.applies_from
    assert RULES.rule_for(rule.benefit, period.start) == rule
    if rule.kind == UNAFFECTED:
        assert check_period(profile, rule.period, period, 10_000_000, RULES) == []
        return
    figure = {CLIFF_EDGE: rule.limit_pence, TAPER: rule.allowance_pence,
              DISREGARD: rule.disregard_for("single")}[rule.kind]
    assert figure is not None
    at_figure = check_period(profile, rule.period, period, figure, RULES)
    assert at_figure == []
    over = check_period(profile, rule.period, period, figure + 101, RULES)
    assert len(over) == 1
    warning = over[0]
    assert (warning.benefit, warning.kind, warning.over_pence) == (rule.benefit, rule.kind, 101)
    assert warning.figure_pence == figure and warning.period == period
    if rule.kind == CLIFF_EDGE:
        assert warning.effect_pence is None and warning.explanation
    elif rule.kind == TAPER:
        assert warning.effect_pence == 101 * (rule.taper_percent or 0) // 100
    else:
        assert warning.effect_pence == 101 * (rule.withdrawal_percent or 0) // 100
    assert period.words in warning.person_text and "£1.01" in warning.person_text
    # in another kind of period the rule says nothing
    other = MONTH if rule.period != MONTH else WEEK
    assert check_period(profile, other, period, figure + 101, RULES) == []


# ---------------------------------------------------------------- worked examples

# (benefits, week day, AP day, [(pay date, pence, is expense)], expected
#  [(benefit, kind, period start, earnings, over, effect)])
EXAMPLES = [
    # Carer's Allowance 2026/27: two £110 fees paid in one Monday week: £220, £16 over
    ({"carers_allowance"}, 0, None, [(D(2026, 6, 1), 11000, False), (D(2026, 6, 7), 11000, False)],
     [("carers_allowance", CLIFF_EDGE, D(2026, 6, 1), 22000, 1600, None)]),
    # the same fees in weeks starting on Thursday fall in two weeks: no warning
    ({"carers_allowance"}, 3, None, [(D(2026, 6, 1), 11000, False), (D(2026, 6, 7), 11000, False)],
     []),
    # exactly at the limit is not over
    ({"carers_allowance"}, 0, None, [(D(2026, 6, 2), 20400, False)], []),
    # the week before the April change uses £196
    ({"carers_allowance"}, 0, None, [(D(2026, 3, 31), 20000, False)],
     [("carers_allowance", CLIFF_EDGE, D(2026, 3, 30), 20000, 400, None)]),
    # expenses are never earnings
    ({"carers_allowance"}, 0, None, [(D(2026, 6, 2), 15000, False), (D(2026, 6, 3), 9000, True)],
     []),
    # ESA lower limit £20
    ({"esa_lower"}, 0, None, [(D(2026, 6, 2), 2500, False)],
     [("esa_lower", CLIFF_EDGE, D(2026, 6, 1), 2500, 500, None)]),
    # UC with work allowance and housing, AP from the 13th: £500 in the AP, £73 over, 55% = £40.15
    ({"uc_work_allowance_housing"}, None, 13,
     [(D(2026, 5, 13), 25000, False), (D(2026, 6, 12), 25000, False)],
     [("uc_work_allowance_housing", TAPER, D(2026, 5, 13), 50000, 7300, 4015)]),
    # ... the same fees a day later fall in two assessment periods: no warning
    ({"uc_work_allowance_housing"}, None, 13,
     [(D(2026, 5, 13), 25000, False), (D(2026, 6, 13), 25000, False)], []),
    # UC with no work allowance: from the first pound
    ({"uc_no_work_allowance"}, None, 1, [(D(2026, 6, 5), 5000, False)],
     [("uc_no_work_allowance", TAPER, D(2026, 6, 1), 5000, 5000, 2750)]),
    # UC assessment period starting 13 April 2026 uses the new £710; 12 April the old £684
    ({"uc_work_allowance"}, None, 13, [(D(2026, 4, 20), 70000, False)], []),
    ({"uc_work_allowance"}, None, 12, [(D(2026, 4, 20), 70000, False)],
     [("uc_work_allowance", TAPER, D(2026, 4, 12), 70000, 1600, 880)]),
    # Housing Benefit: £5 disregard then £1 for £1
    ({"legacy_income_related"}, 0, None, [(D(2026, 6, 2), 2500, False)],
     [("legacy_income_related", DISREGARD, D(2026, 6, 1), 2500, 2000, 2000)]),
    # Pension Credit
    ({"pension_credit"}, 0, None, [(D(2026, 6, 2), 700, False)],
     [("pension_credit", DISREGARD, D(2026, 6, 1), 700, 200, 200)]),
    # PIP or DLA: never
    ({"pip_dla"}, 0, None, [(D(2026, 6, 2), 90000, False)], []),
    # none, and rather not say: no benefit warnings
    ({"none"}, 0, None, [(D(2026, 6, 2), 90000, False)], []),
    ({"rather_not_say"}, 0, None, [(D(2026, 6, 2), 90000, False)], []),
    # two benefits: both checked
    ({"carers_allowance", "uc_no_work_allowance"}, 0, 1, [(D(2026, 6, 2), 21000, False)],
     [("carers_allowance", CLIFF_EDGE, D(2026, 6, 1), 21000, 600, None),
      ("uc_no_work_allowance", TAPER, D(2026, 6, 1), 21000, 21000, 11550)]),
]


@pytest.mark.parametrize(("benefits", "week_day", "ap_day", "pay", "expected"), EXAMPLES)
def test_worked_examples(benefits: set[str], week_day: int | None, ap_day: int | None,
                         pay: list[tuple[dt.date, int, bool]],
                         expected: list[tuple[str, str, dt.date, int, int, int | None]]) -> None:
    profile = Profile(benefits=frozenset(benefits), week_day=week_day, assessment_day=ap_day)
    earnings = [Earning(d, p, e) for d, p, e in pay]
    found = [(w.benefit, w.kind, w.period.start, w.earnings_pence, w.over_pence, w.effect_pence)
             for w in check(profile, earnings)]
    assert sorted(found, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(("level", "pence", "over"), [
    ("single", 2500, 2000), ("couple", 2500, 1500), ("higher", 2500, 500),
    ("lone_parent", 2500, 0),
])
def test_only_the_one_disregard_that_applies_is_used(level: str, pence: int, over: int) -> None:
    profile = Profile(benefits=frozenset({"legacy_income_related"}), week_day=0,
                      disregard_level=level)
    found = check(profile, [Earning(D(2026, 6, 2), pence)])
    assert [w.over_pence for w in found] == ([over] if over else [])


def test_pension_credit_has_no_lone_parent_amount_so_the_single_one_is_used() -> None:
    profile = Profile(benefits=frozenset({"pension_credit"}), week_day=0,
                      disregard_level="lone_parent")
    assert [w.figure_pence for w in check(profile, [Earning(D(2026, 6, 2), 2500)])] == [500]


@pytest.mark.parametrize(("period", "pay", "expected_over"), [
    (WEEK, [(D(2026, 6, 1), 6000), (D(2026, 6, 7), 5000)], [1000]),
    (WEEK, [(D(2026, 6, 1), 6000), (D(2026, 6, 8), 5000)], []),
    (MONTH, [(D(2026, 6, 1), 6000), (D(2026, 6, 30), 5000)], [1000]),
    (MONTH, [(D(2026, 6, 30), 6000), (D(2026, 7, 1), 5000)], []),
])
def test_the_persons_own_limit(period: str, pay: list[tuple[dt.date, int]],
                               expected_over: list[int]) -> None:
    profile = Profile(benefits=frozenset({"none"}), week_day=0, limit_pence=10000,
                      limit_period=period)
    found = check(profile, [Earning(d, p) for d, p in pay])
    assert [w.over_pence for w in found] == expected_over
    for w in found:
        assert "the limit you chose of £100.00" in w.person_text
        assert "this person chose" in w.staff_text


def test_only_around_checks_just_the_periods_holding_those_days() -> None:
    profile = Profile(benefits=frozenset({"carers_allowance"}), week_day=0)
    earnings = [Earning(D(2026, 6, 2), 30000), Earning(D(2026, 6, 9), 30000)]
    assert len(check(profile, earnings)) == 2
    only = check(profile, earnings, only_around=[D(2026, 6, 10)])
    assert [w.period.start for w in only] == [D(2026, 6, 8)]


def test_earnings_in_a_period_leave_out_expenses() -> None:
    week = benefit_week(D(2026, 6, 2), 0)
    assert earnings_in(week, [Earning(D(2026, 6, 2), 100), Earning(D(2026, 6, 3), 50, True),
                              Earning(D(2026, 6, 8), 70)]) == 100


def test_the_words_explain_the_cliff_edge_and_never_name_the_benefit_to_finance() -> None:
    profile = Profile(benefits=frozenset({"carers_allowance"}), week_day=0)
    [warning] = check(profile, [Earning(D(2026, 6, 2), 22000)])
    assert warning.person_text == ("£220.00 in the week of Monday 1 June to Sunday 7 June 2026 "
                                   "is £16.00 over the Carer's Allowance earnings limit of "
                                   "£204.00 a week.")
    assert warning.explanation == ("If your earnings in a benefit week are over the limit, you "
                                   "get no Carer's Allowance at all for that week.")
    # Finance: that there is a limit, not which (no benefit, period kind or figures).
    assert "over a limit they told us about" in warning.finance_text
    for clue in ("Carer", "week", "assessment", "£"):
        assert clue not in warning.finance_text
    assert warning.easy_text == ("You would get £220.00 in the week of Monday 1 June to Sunday "
                                 "7 June 2026. The Carer's Allowance limit is £204.00 a week. "
                                 "This is over the limit.")
    assert warning.easy_explanation == ("If you go over the limit in a week, you get no "
                                        "Carer's Allowance for that week.")
    [esa] = check(Profile(benefits=frozenset({"esa_higher"}), week_day=0),
                  [Earning(D(2026, 6, 2), 22000)])
    assert "no ESA for that week" in esa.explanation
    assert "you may get no ESA for that week" in esa.easy_explanation
    [uc] = check(Profile(benefits=frozenset({"uc_no_work_allowance"}), assessment_day=1),
                 [Earning(D(2026, 6, 2), 2000)])
    assert uc.easy_text.endswith("Your Universal Credit may go down by about £11.00.")
    assert uc.easy_explanation == ""


def test_general_notes_and_the_advice_service() -> None:
    assert "tell us which benefits" in general_notes(None)[0]
    assert "chose not to tell us" in general_notes(Profile(frozenset({"rather_not_say"})))[0]
    assert "do not change" in general_notes(Profile(frozenset({"pip_dla"})))[0]
    assert general_notes(Profile(frozenset({"none"}))) == []
    assert general_notes(Profile(frozenset({"carers_allowance"}), week_day=2)) == []
    assert "count weeks from Monday" in general_notes(Profile(frozenset({"carers_allowance"})))[0]
    assert "from the 1st of the month" in general_notes(
        Profile(frozenset({"uc_no_work_allowance"})))[0]
    assert "Benefits Advice Service for Involvement is free and confidential" in advice().sentence


def test_every_benefit_a_person_can_choose_has_a_rule_or_is_none() -> None:
    assert set(BENEFIT_LABELS) - RULES.benefits() == {"none", "rather_not_say"}


@pytest.mark.parametrize(("old", "new", "message"), [
    ("limit_pence = 19600", "limit_pence = 196.0", "'limit_pence' must be a whole number"),
    ('kind = "taper"', 'kind = "slope"', "'kind' must be one of"),
    ('period = "uc_assessment_period"', 'period = "fortnight"', "'period' must be one of"),
    ("taper_percent = 55", "taper_percent = 0", "'taper_percent' must be a whole percent"),
    ('benefit = "pip_dla"', 'benefit = "lottery"', "'benefit' must be one of"),
    ('benefit = "pip_dla"', 'benefit = "pension_credit"', "listed twice"),
    ("single = 500, couple = 1000, higher = 2000 }", "couple = 1000 }", "needs at least 'single'"),
    ("[year]", "[years]", "table [year] is missing"),
])
def test_a_bad_rules_file_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (BENEFITS_DIR / "2025_26.toml").read_text()
    assert old in text
    (tmp_path / "2025_26.toml").write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_benefit_rules(tmp_path)


def test_rules_files_without_sources_are_refused(tmp_path: Path) -> None:
    text = (BENEFITS_DIR / "2026_27.toml").read_text()
    bad = re.sub(r'(?m)^source = "UC Regs.*$', 'source = ""', text, count=1)
    (tmp_path / "2026_27.toml").write_text(bad)
    with pytest.raises(ConfigError, match="must say where the figure comes from"):
        load_benefit_rules(tmp_path)
