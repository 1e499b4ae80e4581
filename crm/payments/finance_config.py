"""The finance rules from ``config/payments/finance.toml``: when a claim is
expected to be paid, what share of the fee each attendance outcome pays
(a cancellation by the trust at short notice included), the mileage rate,
the receipt size limit and the cost code used when a project has none.
Read once and checked; a bad file stops with a message naming the key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.settings import CONFIG_DIR, ConfigError, read_toml

FINANCE_FILE = CONFIG_DIR / "payments" / "finance.toml"
OUTCOMES = ("attended", "left_early", "did_not_attend", "cancelled_by_us")
# The share paid when the trust cancels a whole session at short notice.
LATE_CANCELLED = "session_cancelled_late"


@dataclass(frozen=True)
class FinanceConfig:
    effective_from: dt.date
    source: str
    days_after_session: int
    percent_by_outcome: dict[str, int]
    short_notice_hours: int
    pence_per_mile: int
    receipt_max_bytes: int
    default_cost_code: str
    fee_most_times_card: int = 3
    expense_most_pence: int = 50000

    def fee_share(self, outcome: str, card_pence: int) -> int:
        """The fee due for ``outcome``: the card's amount times its percent,
        rounded to the nearest penny (half a penny up)."""
        percent = self.percent_by_outcome.get(outcome, 0)
        return (card_pence * percent * 2 + 100) // 200


def _whole(path: Path, table: dict[str, Any], key: str, where: str, *,
           maximum: int | None = None) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or (
            maximum is not None and value > maximum):
        top = f" and {maximum} or less" if maximum is not None else ""
        raise ConfigError(f"{path}: [{where}] key '{key}' must be a whole number, 0 or "
                          f"more{top}")
    return value


def _table(path: Path, raw: dict[str, Any], name: str) -> dict[str, Any]:
    table = raw.get(name)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: table [{name}] is missing")
    return table


def load_finance_config(path: Path = FINANCE_FILE) -> FinanceConfig:
    raw = read_toml(path)
    meta = _table(path, raw, "meta")
    if not isinstance(meta.get("effective_from"), dt.date) or not meta.get("source"):
        raise ConfigError(f"{path}: [meta] needs an effective_from date and a source")
    attendance = _table(path, raw, "attendance")
    unknown = set(attendance) - set(OUTCOMES)
    if unknown:
        raise ConfigError(f"{path}: [attendance] has unknown keys {sorted(unknown)}")
    receipts = _table(path, raw, "receipts")
    limits = _table(path, raw, "limits")
    cancelled = _table(path, raw, "cancelled_session")
    export = _table(path, raw, "export")
    cost_code = export.get("default_cost_code")
    if not isinstance(cost_code, str) or not cost_code.strip():
        raise ConfigError(f"{path}: [export] key 'default_cost_code' must be some text")
    return FinanceConfig(
        effective_from=meta["effective_from"], source=str(meta["source"]),
        days_after_session=_whole(path, _table(path, raw, "pay"), "days_after_session", "pay",
                                  maximum=366),
        percent_by_outcome={**{o: _whole(path, attendance, o, "attendance", maximum=100)
                               for o in OUTCOMES},
                            LATE_CANCELLED: _whole(path, cancelled, "percent",
                                                   "cancelled_session", maximum=100)},
        short_notice_hours=_whole(path, cancelled, "short_notice_hours", "cancelled_session",
                                  maximum=24 * 60),
        pence_per_mile=_whole(path, _table(path, raw, "mileage"), "pence_per_mile", "mileage",
                              maximum=1000),
        receipt_max_bytes=_whole(path, receipts, "max_bytes", "receipts",
                                 maximum=50 * 1024 * 1024),
        default_cost_code=cost_code.strip(),
        fee_most_times_card=_whole(path, limits, "fee_most_times_card", "limits", maximum=100),
        expense_most_pence=_whole(path, limits, "expense_most_pence", "limits",
                                  maximum=10_000_000))


@lru_cache(maxsize=1)
def finance_config() -> FinanceConfig:
    return load_finance_config()
