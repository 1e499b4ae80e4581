"""Money: whole pence (int) everywhere; one formatter and one parser.

Amounts are stored and added as integer pence, never floats. ``PenceType``
is the column type (an Integer that refuses anything but a whole number of
pence); ``format_pence`` is the one way to show an amount ("£1,234.50",
negative amounts as "-£12.50", plainly for finance); ``parse_pence`` reads
form input ("12.5", "£12.50", "1,234" -> pence) with plain messages.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# The largest amount a 32-bit Integer column holds on every database.
MAX_PENCE = 2**31 - 1

_AMOUNT = re.compile(r"(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<pence>\d*))?")


class MoneyError(ValueError):
    """Form input that is not an amount of money; the message is for the person."""


def format_pence(pence: int) -> str:
    """1234550 -> "£12,345.50"; 0 -> "£0.00"; -1250 -> "-£12.50"."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"amounts are whole pence (int), not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def parse_pence(text: str, what: str = "Amount", maximum: int = MAX_PENCE) -> int:
    """Pence from what a person typed, or MoneyError with a plain message."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise MoneyError(f"Enter {what.lower()}")
    if cleaned[0] in "-−(" or cleaned.endswith(")"):
        raise MoneyError(f"{what} cannot be less than £0")
    cleaned = cleaned.removeprefix("£")
    match = _AMOUNT.fullmatch(cleaned)
    if not match or not (match["pounds"] or match["pence"]):
        raise MoneyError(f"{what} must be an amount of money in pounds, like 12 or 12.50")
    pence_text = match["pence"] or ""
    if len(pence_text) > 2:
        raise MoneyError(f"{what} must be in pounds and pence, with no more than 2 numbers "
                         "after the point, like 12.50")
    pounds = int((match["pounds"] or "0").replace(",", ""))
    pence = pounds * 100 + int(pence_text.ljust(2, "0"))
    if pence > maximum:
        raise MoneyError(f"{what} must be {format_pence(maximum)} or less")
    return pence


class PenceType(TypeDecorator[int]):
    """An Integer column of whole pence: refuses floats, Decimals and bools,
    so an amount in pounds cannot slip in by mistake.

    Use ``mapped_column(PenceType())`` with ``Mapped[int]``, and add
    ``not_negative("column")`` to the table's constraints where it applies.
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"amounts are whole pence (int), not {type(value).__name__}")
        return value


def not_negative(column: str) -> CheckConstraint:
    """A CHECK that an amount column holds no negative amount (named by the convention)."""
    return CheckConstraint(f"{column} >= 0", name=f"{column}_not_negative")
