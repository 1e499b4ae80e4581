"""The periods benefit earnings count in, and tax years. Pure: no database,
no config.

A benefit week starts on the person's benefit week day; a Universal Credit
assessment period starts on the person's day of the month (on the last day
of a month that has no such day); a calendar month is a month. Which rule
counts in which kind of period is config (crm.payments.benefits); the
checks that add up earnings per period are crm.payments.benefit_checks.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

WEEK = "week"
MONTH = "month"
ASSESSMENT_PERIOD = "uc_assessment_period"
PERIODS = (WEEK, MONTH, ASSESSMENT_PERIOD)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


def tax_year_of(on: dt.date) -> str:
    """'2026/27' for 6 April 2026 to 5 April 2027."""
    start = on.year if on >= dt.date(on.year, 4, 6) else on.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


__all__ = ["ASSESSMENT_PERIOD", "MONTH", "PERIODS", "WEEK", "WEEKDAYS", "Period",
           "assessment_period", "benefit_week", "calendar_month", "tax_year_of"]
