"""When I can take part: days and times, how, travel, notice, anything else."""

from __future__ import annotations

from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
)
from crm.selfservice import forms
from crm.selfservice.questions.base import (
    Apply,
    Question,
    Row,
    given,
    listed,
)
from crm.selfservice.questions.words import attendance_text, slot_lines


def _availability(c: Contributor, **changes: Any) -> Apply:
    values: dict[str, Any] = {
        "slots": [f"{a.day} {a.part}" for a in c.availability],
        "attendance_mode": c.attendance_mode,
        "travel_max_miles": c.travel_max_miles,
        "notice_days": c.notice_days,
        "note": c.availability_note,
    }
    values.update(changes)
    return editing.set_availability(**values)


def availability_questions() -> list[Question]:
    def number(value: int | None, unit: str, easy: bool) -> list[str]:
        if value is None:
            return given(None, easy)
        return [f"{value} {unit}{'' if value == 1 else 's'}"]

    return [
        Question(
            "availability", "days", "my.availability_days",
            "Which days and times usually suit you?", "When can you take part?",
            forms.SlotsForm, "selfservice/questions/availability_days.html",
            lambda c: {"slots": [f"{a.day} {a.part}" for a in c.availability]},
            lambda c, f: _availability(c, slots=f.slots.data),
            lambda c, easy: [Row("Days and times", listed(slot_lines(c), easy))],
            symbol="calendar"),
        Question(
            "availability", "how", "my.availability_how", "How can you take part?",
            "How can you take part?", forms.AttendanceForm,
            "selfservice/questions/availability_how.html",
            lambda c: {"attendance_mode": c.attendance_mode},
            lambda c, f: _availability(c, attendance_mode=f.attendance_mode.data or ""),
            lambda c, easy: [Row("How you take part",
                                 [attendance_text(c.attendance_mode, easy)])],
            symbol="either"),
        Question(
            "availability", "travel", "my.availability_travel",
            "How far can you travel to a meeting?", "How far can you travel?",
            forms.TravelForm, "selfservice/questions/availability_travel.html",
            lambda c: {"travel_max_miles": c.travel_max_miles},
            lambda c, f: _availability(c, travel_max_miles=f.travel_max_miles.data),
            lambda c, easy: [Row("How far you can travel",
                                 number(c.travel_max_miles, "mile", easy))],
            symbol="access"),
        Question(
            "availability", "notice", "my.availability_notice",
            "How much notice do you need?", "How much warning do you need?",
            forms.NoticeForm, "selfservice/questions/availability_notice.html",
            lambda c: {"notice_days": c.notice_days},
            lambda c, f: _availability(c, notice_days=f.notice_days.data),
            lambda c, easy: [Row("Notice you need", number(c.notice_days, "day", easy))],
            symbol="clock"),
        Question(
            "availability", "anything-else", "my.availability_note",
            "Anything else about when you can take part", "Anything else about when",
            forms.AvailabilityNoteForm, "selfservice/questions/availability_note.html",
            lambda c: {"availability_note": c.availability_note},
            lambda c, f: _availability(c, note=f.availability_note.data),
            lambda c, easy: [Row("Anything else", given(c.availability_note, easy))],
            symbol="pencil"),
    ]
