"""Payment choice rules without pages: when a fee not claimed yet is
expected to be paid (after each activity, monthly, chosen days, short
months), the routes file, and the checks on one fee's choice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crm.payments.choice_config import ROUTES_FILE, expected_pay_on, load_routes, routes_config
from crm.payments.choice_services import ChoiceError, FeeChoiceInput, check_fee_choice
from crm.settings import ConfigError

D = dt.date


@pytest.mark.parametrize(("day", "when", "days", "expected"), [
    (D(2026, 6, 1), "after_each", [], D(2026, 6, 15)),
    (D(2026, 6, 1), None, [], D(2026, 6, 15)),
    (D(2026, 6, 30), "monthly", [], D(2026, 7, 28)),
    (D(2026, 12, 5), "monthly", [], D(2027, 1, 28)),
    (D(2026, 6, 1), "chosen_dates", [20, 1], D(2026, 6, 20)),
    (D(2026, 6, 10), "chosen_dates", [20, 1], D(2026, 7, 1)),
    (D(2027, 2, 1), "chosen_dates", [31], D(2027, 2, 28)),   # a short month: its last day
    (D(2027, 2, 20), "chosen_dates", [31], D(2027, 3, 31)),
    (D(2026, 12, 25), "chosen_dates", [2], D(2027, 2, 2)),    # 8 January, then the 2nd
    (D(2026, 6, 1), "chosen_dates", [], D(2026, 6, 15)),      # no days: as after each
])
def test_when_a_fee_is_expected_to_be_paid(day: dt.date, when: str | None, days: list[int],
                                           expected: dt.date) -> None:
    assert expected_pay_on(day, when, days) == expected


def test_the_shipped_routes() -> None:
    config = routes_config()
    assert config.codes == ["payroll", "claim_form", "invoice"]
    assert config.get("invoice") is not None and config.get("cash") is None


@pytest.mark.parametrize(("old", "new", "message"), [
    ("monthly_pay_day = 28", "monthly_pay_day = 32", "'monthly_pay_day' must be 1 to 31"),
    ("days_after_activity = 14", "days_after_activity = -1", "'days_after_activity'"),
    ('code = "invoice"', 'code = "payroll"', "two routes have the same code"),
    ('label = "Invoice"', 'label = ""', "[route 3] key 'label'"),
    ("[timing]", "[timings]", "table [timing] is missing"),
])
def test_a_bad_routes_file_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = ROUTES_FILE.read_text()
    assert old in text
    bad = tmp_path / "routes.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_routes(bad)


FIRST, LAST = D(2027, 3, 1), D(2027, 3, 8)


@pytest.mark.parametrize(("data", "field", "message"), [
    (FeeChoiceInput("sometimes"), "fee_choice", "Choose what you would like"),
    (FeeChoiceInput("take_less"), "fee_amount", "Write how much"),
    (FeeChoiceInput("take_less", amount_pence=16500), "fee_amount", "less than the full fee"),
    (FeeChoiceInput("take_less", amount_pence=0), "fee_amount", "more than £0"),
    (FeeChoiceInput("charity", charity_name="  "), "fee_charity", "name of the charity"),
    (FeeChoiceInput("charity", charity_name="x" * 201), "fee_charity", "200 characters"),
    (FeeChoiceInput("other_period"), "fee_pay_on", "Write the date"),
    (FeeChoiceInput("other_period", pay_on=D(2027, 3, 7)), "fee_pay_on", "on or after"),
    (FeeChoiceInput("other_period", pay_on=D(2028, 3, 2)), "fee_pay_on", "within a year"),
])
def test_a_fee_choice_that_does_not_fit_is_refused(data: FeeChoiceInput, field: str,
                                                   message: str) -> None:
    with pytest.raises(ChoiceError, match=message) as raised:
        check_fee_choice(data, full_pence=16500, first_day=FIRST, last_day=LAST)
    assert raised.value.field == field


@pytest.mark.parametrize(("data", "saved"), [
    (FeeChoiceInput("accept", amount_pence=100, charity_name="Mind", pay_on=LAST),
     FeeChoiceInput("accept")),
    (FeeChoiceInput("take_less", amount_pence=5000), FeeChoiceInput("take_less", 5000)),
    (FeeChoiceInput("charity", charity_name=" Mind "), FeeChoiceInput("charity", None, "Mind")),
    (FeeChoiceInput("other_period", pay_on=LAST), FeeChoiceInput("other_period", pay_on=LAST)),
    (FeeChoiceInput("decline", amount_pence=5), FeeChoiceInput("decline")),
    (FeeChoiceInput("expenses_only"), FeeChoiceInput("expenses_only")),
])
def test_a_fee_choice_keeps_only_what_it_needs(data: FeeChoiceInput,
                                               saved: FeeChoiceInput) -> None:
    assert check_fee_choice(data, full_pence=16500, first_day=FIRST, last_day=LAST) == saved
