"""Dated rate cards from ``config/payments/rate_cards/*.toml``.

Each file is one card: an ``effective_from`` date, its source, and one amount
for each fee tier code (the codes roles carry in ``Role.fee_tier``). The card in
force on a session's date is the one with the latest ``effective_from`` on or
before that date, so a new card never changes a fee for an earlier session, and
a fee already drafted or approved keeps the amount and the card id it was given.

A tier's ``unit`` says what its amount pays for: ``activity`` (one session),
``half_day`` or ``day`` (one session of that length) are flat amounts a session;
``hour`` is an amount an hour, paid for the session's minutes rounded up to the
card's ``round_up_minutes`` (15 unless the card says otherwise), to the nearest
penny (half a penny up). All of it is pure: no database, read once and cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.money import MAX_PENCE, format_pence
from crm.projects.roles import catalogue_fee_tier_codes
from crm.settings import CONFIG_DIR, ConfigError, read_toml

RATE_CARD_DIR = CONFIG_DIR / "payments" / "rate_cards"

UNITS: dict[str, str] = {
    "activity": "an activity",
    "half_day": "a half day",
    "day": "a day",
    "hour": "an hour",
}
HOURLY = "hour"
DEFAULT_ROUND_UP_MINUTES = 15


class RateCardError(LookupError):
    """No card is in force on that date, or the card has no such tier."""


@dataclass(frozen=True)
class Fee:
    """The fee for one tier on one date, and where it came from.

    ``pence`` is the card's amount for one ``unit``. For a flat unit that is the
    fee for the session; for ``hour`` use :meth:`amount_for` with the minutes.
    """

    pence: int
    card_id: str
    card_label: str
    tier_code: str
    tier_label: str
    unit: str
    verified: bool
    round_up_minutes: int = DEFAULT_ROUND_UP_MINUTES

    @property
    def hourly(self) -> bool:
        return self.unit == HOURLY

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    def billed_minutes(self, minutes: int) -> int:
        """The minutes paid for: for an hourly card, rounded up to the card's step."""
        if minutes < 0:
            raise ValueError("a session cannot last less than 0 minutes")
        step = self.round_up_minutes
        return -(-minutes // step) * step

    def amount_for(self, minutes: int | None = None) -> int:
        """The fee in pence for a session of ``minutes`` (needed if hourly)."""
        if not self.hourly:
            return self.pence
        if minutes is None:
            raise ValueError(f"the {self.card_id} card pays {self.tier_code} by the hour: "
                             "give the session's minutes")
        return (self.pence * self.billed_minutes(minutes) * 2 + 60) // 120

    def explain(self, minutes: int | None = None) -> str:
        """One line for staff: how the amount follows from the card."""
        check = "" if self.verified else " (figures not yet checked against NIHR's page)"
        if self.hourly and minutes is not None:
            billed = self.billed_minutes(minutes)
            how = (f"{format_pence(self.pence)} an hour for {billed} minutes = "
                   f"{format_pence(self.amount_for(minutes))}")
        else:
            how = f"{format_pence(self.pence)} for {self.unit_label}"
        return f"{self.tier_label}: {how}, from {self.card_label}{check}"


@dataclass(frozen=True)
class Tier:
    code: str
    label: str
    pence: int
    unit: str


@dataclass(frozen=True)
class RateCard:
    id: str
    label: str
    effective_from: dt.date
    source: str
    verified: bool
    round_up_minutes: int
    tiers: dict[str, Tier]

    def fee(self, tier_code: str) -> Fee:
        tier = self.tiers.get(tier_code)
        if tier is None:
            raise RateCardError(f"rate card {self.id} has no tier {tier_code!r}")
        return Fee(pence=tier.pence, card_id=self.id, card_label=self.label,
                   tier_code=tier.code, tier_label=tier.label, unit=tier.unit,
                   verified=self.verified, round_up_minutes=self.round_up_minutes)


@dataclass(frozen=True)
class RateCards:
    cards: tuple[RateCard, ...]  # oldest first

    def in_force(self, on_date: dt.date) -> RateCard:
        found = None
        for card in self.cards:
            if card.effective_from <= on_date:
                found = card
        if found is None:
            raise RateCardError(f"no rate card is in force on {on_date.isoformat()}")
        return found

    def fee_for(self, tier_code: str, on_date: dt.date) -> Fee:
        return self.in_force(on_date).fee(tier_code)

    def by_id(self, card_id: str) -> RateCard:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise RateCardError(f"no rate card {card_id!r}")


def _text(path: Path, table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: [{where}] key '{key}' must be some text")
    return value.strip()


def _card(path: Path, required_codes: frozenset[str]) -> RateCard:
    raw = read_toml(path)
    card = raw.get("card")
    if not isinstance(card, dict):
        raise ConfigError(f"{path}: table [card] is missing")
    if not isinstance(card.get("effective_from"), dt.date) or isinstance(
            card.get("effective_from"), dt.datetime):
        raise ConfigError(f"{path}: [card] key 'effective_from' must be a date, like 2026-04-06")
    verified = card.get("verified", True)
    if not isinstance(verified, bool):
        raise ConfigError(f"{path}: [card] key 'verified' must be true or false")
    step = card.get("round_up_minutes", DEFAULT_ROUND_UP_MINUTES)
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= 60:
        raise ConfigError(f"{path}: [card] key 'round_up_minutes' must be a whole number "
                          "from 1 to 60")
    rows = raw.get("tier")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{path}: the card has no [[tier]] entries")
    tiers: dict[str, Tier] = {}
    for number, row in enumerate(rows, start=1):
        where = f"tier {number}"
        code = _text(path, row, "code", where)
        if code in tiers:
            raise ConfigError(f"{path}: [{where}] code '{code}' is listed twice")
        pence = row.get("pence")
        if isinstance(pence, bool) or not isinstance(pence, int) or not 0 < pence <= MAX_PENCE:
            raise ConfigError(f"{path}: [{where}] key 'pence' must be a whole number of pence "
                              "more than 0 (2500 is £25)")
        unit = row.get("unit")
        if unit not in UNITS:
            raise ConfigError(f"{path}: [{where}] key 'unit' must be one of {sorted(UNITS)}")
        tiers[code] = Tier(code=code, label=_text(path, row, "label", where), pence=pence,
                           unit=str(unit))
    missing = required_codes - set(tiers)
    if missing:
        raise ConfigError(f"{path}: the card has no tier for {sorted(missing)}, which roles use")
    return RateCard(id=_text(path, card, "id", "card"), label=_text(path, card, "label", "card"),
                    effective_from=card["effective_from"],
                    source=_text(path, card, "source", "card"), verified=verified,
                    round_up_minutes=step, tiers=tiers)


def load_rate_cards(folder: Path = RATE_CARD_DIR,
                    required_codes: frozenset[str] | None = None) -> RateCards:
    """Read and check every card in ``folder``; a bad card stops start-up.

    ``required_codes`` are the tier codes every card must price (by default
    the typical rate codes of the roles catalogue, which role forms offer).
    """
    if required_codes is None:
        required_codes = frozenset(catalogue_fee_tier_codes())
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise ConfigError(f"{folder}: no rate cards (*.toml) found")
    cards = [_card(path, required_codes) for path in paths]
    ids = [c.id for c in cards]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{folder}: two rate cards have the same id")
    dates = [c.effective_from for c in cards]
    if len(set(dates)) != len(dates):
        raise ConfigError(f"{folder}: two rate cards start on the same date")
    return RateCards(cards=tuple(sorted(cards, key=lambda c: c.effective_from)))


@lru_cache(maxsize=1)
def rate_cards() -> RateCards:
    """The shipped cards, read once (create_app calls this so a bad card stops start-up)."""
    return load_rate_cards()


def tiers_in_force(on_date: dt.date) -> list[tuple[str, str]]:
    """(code, words) of each tier of the card in force on ``on_date``,
    cheapest first: "All day: £165.00 a day". None in force: none."""
    try:
        card = rate_cards().in_force(on_date)
    except RateCardError:
        return []
    order = sorted(card.tiers.values(), key=lambda t: (t.unit == HOURLY, t.pence, t.code))
    return [(t.code, f"{t.label}: {format_pence(t.pence)} {UNITS[t.unit]}") for t in order]


def fee_for(tier_code: str, on_date: dt.date) -> Fee:
    """The fee for ``tier_code`` from the card in force on ``on_date`` (the session's
    date in Europe/London). Raises RateCardError if there is none."""
    return rate_cards().fee_for(tier_code, on_date)


__all__ = ["Fee", "RateCard", "RateCardError", "RateCards", "Tier", "UNITS", "fee_for",
           "load_rate_cards", "rate_cards", "tiers_in_force"]
