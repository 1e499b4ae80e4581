"""config/payments/finance.toml: the shipped file loads with its source, and
a wrong value stops with a message naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.payments.finance_config import FINANCE_FILE, LATE_CANCELLED, load_finance_config
from crm.settings import ConfigError


def test_the_shipped_rules() -> None:
    config = load_finance_config()
    assert config.source and config.days_after_session == 14
    assert config.percent_by_outcome == {"attended": 100, "left_early": 100,
                                         "did_not_attend": 0, "cancelled_by_us": 100,
                                         LATE_CANCELLED: 100}
    assert (config.pence_per_mile, config.short_notice_hours) == (45, 48)


@pytest.mark.parametrize(("pence", "percent", "expected"), [
    (5500, 100, 5500), (5500, 50, 2750), (2501, 50, 1251), (5500, 0, 0)])
def test_the_share_of_a_fee_rounds_half_a_penny_up(pence, percent, expected) -> None:
    config = load_finance_config()
    shares = {**config.percent_by_outcome, "attended": percent}
    assert type(config)(**{**config.__dict__, "percent_by_outcome": shares}).fee_share(
        "attended", pence) == expected


@pytest.mark.parametrize(("old", "new", "message"), [
    ("days_after_session = 14", "days_after_session = -1", "days_after_session"),
    ("attended = 100", "attended = 101", "attended"),
    ("did_not_attend = 0", "did_not_attend = 0\nno_show = 5", "unknown keys"),
    ("pence_per_mile = 45", "pence_per_mile = 0.45", "pence_per_mile"),
    ('default_cost_code = "UNCODED"', 'default_cost_code = ""', "default_cost_code"),
    ("short_notice_hours = 48", "", "short_notice_hours"),
    ("[receipts]", "[receipt]", "[receipts]"),
])
def test_a_wrong_value_names_the_key(tmp_path: Path, old, new, message) -> None:
    text = FINANCE_FILE.read_text()
    assert old in text
    bad = tmp_path / "finance.toml"
    bad.write_text(text.replace(old, new))
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_finance_config(bad)
