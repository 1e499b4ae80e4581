"""How to contact me: ways, times, format, supporter, papers, camera."""

from __future__ import annotations

from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
    InformationFormat,
)
from crm.selfservice import forms
from crm.selfservice.questions.base import (
    Apply,
    Question,
    Row,
    given,
    listed,
)
from crm.selfservice.questions.words import channel_text, format_text
from crm.web.fields import is_yes, yes_or_no


def _communication_of(c: Contributor) -> editing.Communication:
    comm = c.communication
    if comm is None:
        return editing.Communication()
    return editing.Communication(
        channel_order=list(comm.channel_order or []), do_not_use=list(comm.do_not_use or []),
        best_times=comm.best_times, information_format=comm.information_format,
        language=comm.language, via_supporter=comm.via_supporter,
        supporter_name=comm.supporter_name, supporter_contact=comm.supporter_contact,
        papers_days_before=comm.papers_days_before, camera_optional=comm.camera_optional)


def _communication(c: Contributor, **changes: Any) -> Apply:
    data = _communication_of(c)
    for key, value in changes.items():
        setattr(data, key, value)
    return editing.set_communication(data)


def _ordered(chosen: list[str], before: list[str]) -> list[str]:
    """Keep the order of preference already saved; add new choices after it."""
    kept = [ch for ch in before if ch in chosen]
    return kept + [ch for ch in chosen if ch not in kept]


def communication_questions() -> list[Question]:
    def comm(c: Contributor) -> editing.Communication:
        return _communication_of(c)

    def channels_rows(c: Contributor, easy: bool) -> list[Row]:
        data = comm(c)
        return [
            Row("Ways to contact you" if easy else "Ways we can contact you",
                listed([channel_text(ch, easy) for ch in data.channel_order], easy,
                      "None chosen")),
            Row("Do not contact you by" if easy else "Ways we must never use",
                listed([channel_text(ch, easy) for ch in data.do_not_use], easy, "None")),
        ]

    def format_rows(c: Contributor, easy: bool) -> list[Row]:
        data = comm(c)
        text = format_text(data.information_format, easy)
        if data.information_format == InformationFormat.TRANSLATED and data.language:
            text = f"{text}: {data.language}"
        return [Row("How you like information", [text])]

    def supporter_rows(c: Contributor, easy: bool) -> list[Row]:
        data = comm(c)
        if not data.via_supporter:
            return [Row("Someone who helps you" if easy else "Supporter or advocate", ["No"])]
        lines = [f"Yes: {data.supporter_name}"]
        if data.supporter_contact:
            lines.append(data.supporter_contact)
        return [Row("Someone who helps you" if easy else "Supporter or advocate", lines)]

    def papers_rows(c: Contributor, easy: bool) -> list[Row]:
        days = comm(c).papers_days_before
        value = None if days is None else f"{days} day{'s' if days != 1 else ''} before"
        return [Row("Papers before a meeting", given(value, easy))]

    def camera_rows(c: Contributor, easy: bool) -> list[Row]:
        optional = comm(c).camera_optional
        if easy:
            return [Row("Camera off online", ["Yes" if optional else "No"])]
        return [Row("Choice to keep your camera off",
                    ["Yes, I would like the choice" if optional else "No, I do not need this"])]

    return [
        Question(
            "communication", "ways", "my.communication_ways", "How should we contact you?",
            "How can we contact you?", forms.ChannelsForm,
            "selfservice/questions/communication_ways.html",
            lambda c: {"channel_order": comm(c).channel_order,
                       "do_not_use": comm(c).do_not_use},
            lambda c, f: _communication(
                c, channel_order=_ordered(f.channel_order.data, comm(c).channel_order),
                do_not_use=f.do_not_use.data),
            channels_rows, symbol="contact"),
        Question(
            "communication", "times", "my.communication_times",
            "When is the best time to contact you?", "When is a good time to contact you?",
            forms.BestTimesForm, "selfservice/questions/communication_times.html",
            lambda c: {"best_times": comm(c).best_times},
            lambda c, f: _communication(c, best_times=f.best_times.data),
            lambda c, easy: [Row("Good times" if easy else "Best days and times",
                                 given(comm(c).best_times, easy))],
            symbol="clock"),
        Question(
            "communication", "format", "my.communication_format",
            "How would you like information?", "How do you like information?",
            forms.FormatForm, "selfservice/questions/communication_format.html",
            lambda c: {"information_format": comm(c).information_format,
                       "language": comm(c).language},
            lambda c, f: _communication(c, information_format=f.information_format.data or "",
                                        language=f.language.data),
            format_rows, symbol="page"),
        Question(
            "communication", "supporter", "my.communication_supporter",
            "Should we contact you through a supporter or advocate?",
            "Should we talk to someone who helps you?", forms.SupporterForm,
            "selfservice/questions/communication_supporter.html",
            lambda c: {"via_supporter": yes_or_no(comm(c).via_supporter),
                       "supporter_name": comm(c).supporter_name,
                       "supporter_contact": comm(c).supporter_contact},
            lambda c, f: _communication(c, via_supporter=is_yes(f.via_supporter.data),
                                        supporter_name=f.supporter_name.data,
                                        supporter_contact=f.supporter_contact.data),
            supporter_rows, symbol="supporter"),
        Question(
            "communication", "papers", "my.communication_papers",
            "When would you like papers for a meeting?", "When do you want the papers?",
            forms.PapersForm, "selfservice/questions/communication_papers.html",
            lambda c: {"papers_days_before": comm(c).papers_days_before},
            lambda c, f: _communication(c, papers_days_before=f.papers_days_before.data),
            papers_rows, symbol="papers"),
        Question(
            "communication", "camera", "my.communication_camera",
            "Would you like the choice to keep your camera off?",
            "Do you want to keep your camera off?", forms.CameraForm,
            "selfservice/questions/communication_camera.html",
            lambda c: {"camera_optional": yes_or_no(comm(c).camera_optional)},
            lambda c, f: _communication(c, camera_optional=is_yes(f.camera_optional.data)),
            camera_rows, symbol="camera"),
    ]
