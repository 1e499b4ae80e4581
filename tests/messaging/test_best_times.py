"""Reading the best days and times on a record, and the next moment that fits."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.messaging.best_times import LONDON, Window, next_good_time, read

ALL = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


@pytest.mark.parametrize(("text", "expected"), [
    (None, (ALL, "09:00", "20:00")),
    ("", (ALL, "09:00", "20:00")),
    ("Weekday mornings", (WEEKDAYS, "09:00", "12:00")),
    ("After 2pm", (ALL, "14:00", "20:00")),
    ("Evenings are best", (ALL, "17:00", "20:00")),
    ("Any time except Wednesdays", (ALL - {2}, "09:00", "20:00")),
    ("Between 10am and 12pm", (ALL, "10:00", "12:00")),
    ("Mondays and Fridays, afternoons", (frozenset({0, 4}), "12:00", "17:00")),
    ("Mornings or evenings", (ALL, "09:00", "20:00")),
    ("before 11am", (ALL, "09:00", "11:00")),
    ("weekends", (frozenset({5, 6}), "09:00", "20:00")),
    ("Please ring my sister", (ALL, "09:00", "20:00")),
    ("after 9pm", (ALL, "09:00", "20:00")),  # makes no window: the default
])
def test_read(text: str | None, expected: tuple[frozenset[int], str, str]) -> None:
    w = read(text)
    assert (w.days, f"{w.start:%H:%M}", f"{w.end:%H:%M}") == expected


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """London time on Monday 1 March 2027 + ``day`` days."""
    return dt.datetime(2027, 3, 1 + day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(("text", "now", "expected"), [
    ("Weekday mornings", at(0, 10), at(0, 10)),       # inside: now
    ("Weekday mornings", at(0, 7), at(0, 9)),         # before: opens at 9
    ("Weekday mornings", at(0, 13), at(1, 9)),        # after: tomorrow
    ("Weekday mornings", at(4, 13), at(7, 9)),        # Friday afternoon: Monday
    ("Any time except Wednesdays", at(2, 10), at(3, 9)),
    ("", at(0, 23, 30), at(1, 9)),                    # never in the night
    ("After 2pm", at(0, 14, 30), at(0, 14, 30)),
])
def test_next_good_time(text: str, now: dt.datetime, expected: dt.datetime) -> None:
    assert next_good_time(now.astimezone(dt.UTC), read(text)) == expected.astimezone(dt.UTC)


def test_an_empty_window_never_holds_a_message_back() -> None:
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    assert next_good_time(now, Window(frozenset(), dt.time(9), dt.time(10))) == now
