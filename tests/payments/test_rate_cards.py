"""Rate cards: the card in force on a session's date prices the fee; a card
change between two sessions changes only the later one; hourly cards pay the
session's minutes; bad cards stop start-up naming the file and key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crm import create_app
from crm.payments.rate_cards import (
    RATE_CARD_DIR,
    RateCardError,
    fee_for,
    load_rate_cards,
    rate_cards,
)
from crm.projects.roles import catalogue_fee_tier_codes, fee_tier_codes
from crm.settings import ConfigError

D = dt.date


@pytest.mark.parametrize(("tier", "on_date", "pence", "card_id", "unit"), [
    ("tier_25", D(2024, 8, 1), 2500, "nihr_2024_08", "activity"),
    ("tier_50", D(2025, 6, 30), 5000, "nihr_2024_08", "activity"),
    ("tier_75", D(2025, 12, 15), 7500, "nihr_2024_08", "half_day"),
    ("tier_150", D(2025, 12, 15), 15000, "nihr_2024_08", "day"),
    ("tier_300", D(2025, 12, 15), 30000, "nihr_2024_08", "day"),
    ("tier_25", D(2025, 12, 16), 2750, "nihr_2025_12", "activity"),
    ("tier_50", D(2026, 4, 6), 5500, "nihr_2025_12", "activity"),
    ("tier_75", D(2026, 12, 3), 8250, "nihr_2025_12", "half_day"),
    ("tier_150", D(2027, 1, 1), 16500, "nihr_2025_12", "day"),
    ("tier_300", D(2030, 1, 1), 33000, "nihr_2025_12", "day"),
])
def test_the_shipped_cards_price_each_tier_by_date(tier: str, on_date: dt.date, pence: int,
                                                   card_id: str, unit: str) -> None:
    fee = fee_for(tier, on_date)
    assert (fee.pence, fee.card_id, fee.unit, fee.tier_code) == (pence, card_id, unit, tier)
    assert fee.amount_for(None) == pence and fee.amount_for(600) == pence
    assert fee.tier_label and fee.card_label


def test_every_tier_a_role_can_have_is_on_every_card() -> None:
    for card in rate_cards().cards:
        assert set(fee_tier_codes()) <= set(card.tiers), card.id
        assert card.source


def test_the_uplift_card_says_its_figures_are_not_checked() -> None:
    fee = fee_for("tier_50", D(2026, 1, 5))
    assert not fee.verified
    assert "not yet checked" in fee.explain()
    assert "£55.00 for an activity" in fee.explain()
    assert fee_for("tier_50", D(2025, 1, 5)).verified


def test_a_card_change_between_two_sessions_changes_only_the_later_fee() -> None:
    before = fee_for("tier_75", D(2025, 12, 15))
    after = fee_for("tier_75", D(2025, 12, 16))
    assert (before.pence, before.card_id) == (7500, "nihr_2024_08")
    assert (after.pence, after.card_id) == (8250, "nihr_2025_12")


def test_no_card_before_the_first_one_and_no_unknown_tier() -> None:
    with pytest.raises(RateCardError, match="no rate card is in force on 2024-07-31"):
        fee_for("tier_25", D(2024, 7, 31))
    with pytest.raises(RateCardError, match="no tier 'tier_999'"):
        fee_for("tier_999", D(2026, 1, 1))
    with pytest.raises(RateCardError):
        fee_for("unpaid", D(2026, 1, 1))


TRUST_CARD = """
[card]
id = "trust_2027"
label = "Our trust's own card from April 2027"
effective_from = 2027-04-01
source = "Trust involvement policy 2027"
round_up_minutes = 30

[[tier]]
code = "tier_25"
label = "Short activity"
pence = 3000
unit = "activity"

[[tier]]
code = "tier_hourly"
label = "Paid by the hour"
pence = 1500
unit = "hour"
"""


def _cards(tmp_path: Path, extra: str = TRUST_CARD) -> Path:
    for path in RATE_CARD_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "trust_2027.toml").write_text(extra)
    return tmp_path


@pytest.mark.parametrize(("minutes", "billed", "pence"), [
    (0, 0, 0),
    (1, 30, 750),
    (30, 30, 750),
    (31, 60, 1500),
    (90, 90, 2250),
    (100, 120, 3000),
    (195, 210, 5250),
])
def test_an_hourly_card_pays_the_minutes_rounded_up(tmp_path: Path, minutes: int, billed: int,
                                                    pence: int) -> None:
    cards = load_rate_cards(_cards(tmp_path), required_codes=frozenset({"tier_25"}))
    fee = cards.fee_for("tier_hourly", D(2027, 4, 1))
    assert fee.hourly and fee.unit_label == "an hour"
    assert fee.billed_minutes(minutes) == billed
    assert fee.amount_for(minutes) == pence
    assert f"for {billed} minutes" in fee.explain(minutes)


def test_an_hourly_fee_needs_the_minutes(tmp_path: Path) -> None:
    cards = load_rate_cards(_cards(tmp_path), required_codes=frozenset({"tier_25"}))
    with pytest.raises(ValueError, match="give the session's minutes"):
        cards.fee_for("tier_hourly", D(2027, 5, 1)).amount_for(None)


def test_a_trust_card_takes_over_from_its_date(tmp_path: Path) -> None:
    cards = load_rate_cards(_cards(tmp_path), required_codes=frozenset({"tier_25"}))
    assert cards.fee_for("tier_25", D(2027, 3, 31)).pence == 2750
    assert cards.fee_for("tier_25", D(2027, 4, 1)).pence == 3000
    assert cards.by_id("nihr_2024_08").tiers["tier_25"].pence == 2500


@pytest.mark.parametrize(("old", "new", "message"), [
    ("effective_from = 2027-04-01", "effective_from = \"soon\"", "'effective_from' must be a date"),
    ("pence = 3000", "pence = 30.5", "'pence' must be a whole number"),
    ("pence = 3000", "pence = 0", "'pence' must be a whole number"),
    ('unit = "hour"', 'unit = "fortnight"', "'unit' must be one of"),
    ('source = "Trust involvement policy 2027"', 'source = ""', "'source' must be some text"),
    ('code = "tier_hourly"', 'code = "tier_25"', "code 'tier_25' is listed twice"),
    ("round_up_minutes = 30", "round_up_minutes = 0", "'round_up_minutes'"),
    ("[card]", "[cards]", "table [card] is missing"),
    ('id = "trust_2027"', 'id = "nihr_2024_08"', "same id"),
    ("effective_from = 2027-04-01", "effective_from = 2025-12-16", "start on the same date"),
])
def test_a_bad_card_is_refused_naming_the_problem(tmp_path: Path, old: str, new: str,
                                                  message: str) -> None:
    assert old in TRUST_CARD
    folder = _cards(tmp_path, TRUST_CARD.replace(old, new, 1))
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_rate_cards(folder, required_codes=frozenset({"tier_25"}))


def test_a_card_missing_a_tier_roles_use_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no tier for \['tier_300'"):
        load_rate_cards(_cards(tmp_path),
                        required_codes=frozenset(catalogue_fee_tier_codes()))


def test_the_app_reads_the_cards_at_start_up(tmp_path: Path) -> None:
    rate_cards.cache_clear()
    create_app({"database_url": f"sqlite:///{tmp_path / 'start.db'}", "testing": True,
                "secret_key": "x" * 40, "instance_path": str(tmp_path), "mail_host": ""})
    assert rate_cards.cache_info().currsize == 1
