"""The trust's payment routes and pay timings (``config/payments/payment_routes.toml``),
and when a fee not yet claimed is expected to be paid. Pure, read once."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crm.settings import CONFIG_DIR, ConfigError, read_toml

ROUTES_FILE = CONFIG_DIR / "payments" / "payment_routes.toml"


@dataclass(frozen=True)
class Route:
    code: str
    label: str
    easy_read: str
    description: str


@dataclass(frozen=True)
class RoutesConfig:
    routes: tuple[Route, ...]
    days_after_activity: int
    monthly_pay_day: int

    def get(self, code: str | None) -> Route | None:
        return next((r for r in self.routes if r.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.routes]


def load_routes(path: Path = ROUTES_FILE) -> RoutesConfig:
    raw = read_toml(path)
    timing = raw.get("timing")
    if not isinstance(timing, dict):
        raise ConfigError(f"{path}: table [timing] is missing")
    days, pay_day = timing.get("days_after_activity"), timing.get("monthly_pay_day")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 90:
        raise ConfigError(f"{path}: [timing] key 'days_after_activity' must be 0 to 90")
    if isinstance(pay_day, bool) or not isinstance(pay_day, int) or not 1 <= pay_day <= 31:
        raise ConfigError(f"{path}: [timing] key 'monthly_pay_day' must be 1 to 31")
    rows = raw.get("route")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{path}: no [[route]] entries")
    routes = []
    for number, row in enumerate(rows, start=1):
        for key in ("code", "label", "easy_read", "description"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise ConfigError(f"{path}: [route {number}] key '{key}' must be some text")
        routes.append(Route(row["code"], row["label"], row["easy_read"], row["description"]))
    if len({r.code for r in routes}) != len(routes):
        raise ConfigError(f"{path}: two routes have the same code")
    return RoutesConfig(tuple(routes), days, pay_day)


@lru_cache(maxsize=1)
def routes_config() -> RoutesConfig:
    return load_routes()


def _on_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def expected_pay_on(session_day: dt.date, when_paid: str | None, chosen_days: Sequence[int],
                    config: RoutesConfig | None = None) -> dt.date:
    """When a fee for an activity on ``session_day`` is expected to be paid:
    after each activity (the usual delay), monthly (on the pay day of the
    month after), or on the next of the person's chosen days of the month
    once the usual delay has passed."""
    config = config or routes_config()
    usual = session_day + dt.timedelta(days=config.days_after_activity)
    if when_paid == "monthly":
        return _on_day(*_next_month(session_day.year, session_day.month), config.monthly_pay_day)
    if when_paid == "chosen_dates" and chosen_days:
        year, month = usual.year, usual.month
        for _ in range(3):
            for day in sorted(set(chosen_days)):
                candidate = _on_day(year, month, day)
                if candidate >= usual:
                    return candidate
            year, month = _next_month(year, month)
    return usual


__all__ = ["Route", "RoutesConfig", "expected_pay_on", "load_routes", "routes_config"]
