"""The best days and times to contact someone, read from the words on their
record (``CommunicationPreference.best_times``, free text such as "Weekday
mornings", "After 2pm", "Any time except Wednesdays", "Between 10am and
12pm"), and the next moment that fits.

Pure. Words it cannot read mean any day, 9am to 8pm: a text never arrives
in the night. Used for messages that can wait (offers, reminders), and
only for text messages, which reach a phone at once; a change to a session
goes straight away whatever the time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PARTS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 20)}
DEFAULT = (9, 20)
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"


@dataclass(frozen=True)
class Window:
    days: frozenset[int]  # 0 is Monday
    start: dt.time
    end: dt.time


def _hour(h: str, m: str | None, suffix: str | None) -> dt.time:
    hour = int(h) % 12 + (12 if suffix == "pm" else 0) if suffix else int(h)
    return dt.time(min(hour, 23), int(m or 0))


def read(text: str | None) -> Window:
    """The window the words describe (any day, 9am to 8pm, when unclear)."""
    words = (text or "").lower()
    days: set[int] = set()
    if "weekday" in words:
        days |= {0, 1, 2, 3, 4}
    if "weekend" in words:
        days |= {5, 6}
    except_part = re.split(r"\b(?:except|not|apart from|but not)\b", words, maxsplit=1)
    for n, name in enumerate(DAYS):
        if re.search(rf"\b{name[:3]}(?:{name[3:]})?s?\b", except_part[0]):
            days.add(n)
    days = days or set(range(7))
    if len(except_part) > 1:
        days -= {n for n, name in enumerate(DAYS) if re.search(rf"\b{name[:3]}", except_part[1])}
    hours = [PARTS[p] for p in PARTS if p in words]
    start, end = (min(h[0] for h in hours), max(h[1] for h in hours)) if hours else DEFAULT
    start_t, end_t = dt.time(start), dt.time(end)
    if m := re.search(rf"between\s+{_TIME}\s+and\s+{_TIME}", words):
        start_t, end_t = _hour(*m.group(1, 2, 3)), _hour(*m.group(4, 5, 6))
    else:
        if m := re.search(rf"after\s+{_TIME}", words):
            start_t = _hour(*m.group(1, 2, 3))
        if m := re.search(rf"before\s+{_TIME}", words):
            end_t = _hour(*m.group(1, 2, 3))
    if end_t <= start_t:
        start_t, end_t = dt.time(DEFAULT[0]), dt.time(DEFAULT[1])
    return Window(frozenset(days or range(7)), start_t, end_t)


def next_good_time(now: dt.datetime, window: Window) -> dt.datetime:
    """``now`` if it is inside the window, else the next start of it (UTC)."""
    local = now.astimezone(LONDON)
    for ahead in range(8):
        day = local.date() + dt.timedelta(days=ahead)
        if day.weekday() not in window.days:
            continue
        opens = dt.datetime.combine(day, window.start, LONDON)
        closes = dt.datetime.combine(day, window.end, LONDON)
        if local < closes:
            return max(local, opens).astimezone(dt.UTC)
    return now
