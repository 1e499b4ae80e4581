"""The questions on a contributor's own pages: one question per page,
grouped in sections (My details, My lived experience, My adjustments, How to
contact me, When I can take part).

Each question knows its form, what the record holds for it now (to fill the
form and to show on the section's "check your answers" page) and how to turn
what was entered into a change through the rules in
crm.contributors.editing. A question changes only its own part of a section:
everything else in the section is passed through as it is saved now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    CHANNEL_LABELS,
    DAY_PARTS,
    DAYS,
    EXPERIENCE_LABELS,
    FORMAT_LABELS,
    AttendanceMode,
    Channel,
    Contributor,
    ExperienceKind,
    InformationFormat,
)
from crm.reference import Item, reference
from crm.selfservice import forms

Apply = editing.Apply

NOT_GIVEN = "Not given"

# --- Words for the person, in standard and Easy Read ------------------------

EXPERIENCE_EASY = {
    ExperienceKind.PATIENT_CURRENT: "I use services now",
    ExperienceKind.PATIENT_FORMER: "I used services before",
    ExperienceKind.CARER: "I care for someone",
    ExperienceKind.FAMILY_MEMBER: "I am family of someone who uses services",
}
EXPERIENCE_MINE = {
    ExperienceKind.PATIENT_CURRENT: "I use mental health services now",
    ExperienceKind.PATIENT_FORMER: "I used mental health services in the past",
    ExperienceKind.CARER: "I am a carer for someone who uses services",
    ExperienceKind.FAMILY_MEMBER: "I am a family member of someone who uses services",
}

CHANNEL_EASY = {
    Channel.EMAIL: "Email",
    Channel.PHONE: "Phone call",
    Channel.TEXT: "Text message",
    Channel.LETTER: "Letter in the post",
}

FORMAT_EASY = {
    InformationFormat.STANDARD: "Normal writing",
    InformationFormat.EASY_READ: "Easy Read",
    InformationFormat.LARGE_PRINT: "Big writing",
    InformationFormat.AUDIO: "Something to listen to",
    InformationFormat.TRANSLATED: "In my language",
    InformationFormat.BSL: "Sign language (BSL)",
}
FORMAT_HINTS = {
    InformationFormat.STANDARD: "Written information as we usually send it.",
    InformationFormat.EASY_READ: "Short sentences and simple words, with a picture for each idea.",
    InformationFormat.LARGE_PRINT: "Bigger text on paper, or a file you can make bigger.",
    InformationFormat.AUDIO: "A recording you can listen to.",
    InformationFormat.TRANSLATED: "Written in the language you read best.",
    InformationFormat.BSL: "A video in British Sign Language.",
}

ATTENDANCE_EASY = {
    AttendanceMode.ONLINE: "Online, from home",
    AttendanceMode.IN_PERSON: "In person, in a room",
    AttendanceMode.EITHER: "Both are fine",
}

DAY_LABELS = {d: d.capitalize() for d in DAYS}
PART_LABELS = {p: p.capitalize() for p in DAY_PARTS}

# Easy Read headings for the adjustment groups in the catalogue. A group a
# trust adds without one here uses its catalogue label.
GROUP_EASY = {
    "autism_informed": "Clear plans and no surprises",
    "learning_disability": "Easy ways to share and understand",
    "trauma_informed": "Feeling safe",
    "sensory": "The room",
    "physical_access": "Getting there and getting around",
    "communication": "Talking, listening and reading",
    "cultural_language": "My culture, faith and language",
}

# Pictures used in Easy Read (files under crm/static/img/easy-read/).
CHANNEL_SYMBOLS = {Channel.EMAIL: "email", Channel.PHONE: "phone", Channel.TEXT: "text",
                   Channel.LETTER: "letter"}
FORMAT_SYMBOLS = {
    InformationFormat.STANDARD: "page", InformationFormat.EASY_READ: "easy-read",
    InformationFormat.LARGE_PRINT: "large-print", InformationFormat.AUDIO: "audio",
    InformationFormat.TRANSLATED: "language", InformationFormat.BSL: "sign",
}
ATTENDANCE_SYMBOLS = {AttendanceMode.ONLINE: "online", AttendanceMode.IN_PERSON: "in-person",
                      AttendanceMode.EITHER: "either"}
PART_SYMBOLS = {"morning": "morning", "afternoon": "afternoon", "evening": "evening"}
GROUP_SYMBOLS = {
    "autism_informed": "plan", "learning_disability": "picture", "trauma_informed": "safe",
    "sensory": "room", "physical_access": "access", "communication": "talk",
    "cultural_language": "language",
}



def _adjustments_in(codes: list[str], c: Contributor) -> dict[str, Any]:
    return {"adjustments": [a.code for a in c.adjustments if a.code in codes]}

def group_title(group: Item, easy: bool) -> str:
    return GROUP_EASY.get(group.code, group.label) if easy else group.label


def adjustment_text(item: Item, easy: bool) -> str:
    return (item.easy_read or item.label) if easy else item.label


# --- Rows on "check your answers" pages -------------------------------------

@dataclass
class Row:
    key: str
    lines: list[str]


def _text(value: object, easy: bool) -> list[str]:
    if value is None or value == "":
        return [NOT_GIVEN]
    return [str(value)]


def _list(values: list[str], easy: bool, none: str = "None chosen") -> list[str]:
    return values or [none]


# --- Questions --------------------------------------------------------------

@dataclass
class Question:
    """One page with one question. ``endpoint`` is in the ``my`` blueprint;
    ``args`` are its query-string arguments (never a record id)."""

    section: str
    slug: str
    endpoint: str
    title: str
    easy_title: str
    form_class: type[forms.VersionedForm]
    template: str
    initial: Callable[[Contributor], dict[str, Any]]
    change: Callable[[Contributor, Any], Apply]
    rows: Callable[[Contributor, bool], list[Row]]
    args: dict[str, str] = field(default_factory=dict)
    symbol: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def heading(self, easy: bool) -> str:
        return self.easy_title if easy else self.title


@dataclass
class Section:
    key: str
    title: str
    easy_title: str
    summary_endpoint: str
    symbol: str
    questions: Callable[[], list[Question]]

    def heading(self, easy: bool) -> str:
        return self.easy_title if easy else self.title

    def find(self, endpoint: str, args: dict[str, str]) -> Question | None:
        for q in self.questions():
            if q.endpoint == endpoint and all(args.get(k) == v for k, v in q.args.items()):
                return q
        # A question reached without its arguments (such as the first
        # adjustments group): the first question with that endpoint.
        return next((q for q in self.questions() if q.endpoint == endpoint), None)

    def after(self, q: Question) -> Question | None:
        qs = self.questions()
        i = _index(qs, q)
        return qs[i + 1] if i + 1 < len(qs) else None

    def before(self, q: Question) -> Question | None:
        qs = self.questions()
        i = _index(qs, q)
        return qs[i - 1] if i > 0 else None


def _index(qs: list[Question], q: Question) -> int:
    return next(i for i, other in enumerate(qs) if other.endpoint == q.endpoint
                and other.args == q.args)


# --- My details --------------------------------------------------------------

def _details_of(c: Contributor) -> editing.Details:
    return editing.Details(full_name=c.full_name, preferred_name=c.preferred_name,
                           pronouns=c.pronouns, email=c.email, phone=c.phone,
                           postal_address=c.postal_address, postcode_area=c.postcode_area,
                           date_of_birth=c.date_of_birth)


def _details_questions() -> list[Question]:
    def name_change(c: Contributor, f: forms.NameForm) -> Apply:
        d = _details_of(c)
        d.full_name = f.full_name.data or ""
        d.preferred_name = f.preferred_name.data
        d.pronouns = f.pronouns.data
        return editing.set_details(d)

    def contact_change(c: Contributor, f: forms.ContactForm) -> Apply:
        d = _details_of(c)
        d.email, d.phone = f.email.data, f.phone.data
        d.postal_address, d.postcode_area = f.postal_address.data, f.postcode_area.data
        return editing.set_details(d)

    def birth_change(c: Contributor, f: forms.BirthForm) -> Apply:
        d = _details_of(c)
        d.date_of_birth = f.date_of_birth()
        return editing.set_details(d)

    def birth_initial(c: Contributor) -> dict[str, Any]:
        b = c.date_of_birth
        return {"date_of_birth_day": str(b.day) if b else "",
                "date_of_birth_month": str(b.month) if b else "",
                "date_of_birth_year": str(b.year) if b else ""}

    return [
        Question(
            "details", "name", "my.details_name", "Your name", "Your name", forms.NameForm,
            "my/questions/details_name.html",
            lambda c: {"full_name": c.full_name, "preferred_name": c.preferred_name,
                       "pronouns": c.pronouns},
            name_change,
            lambda c, easy: [
                Row("Your full name", _text(c.full_name, easy)),
                Row("Name you like to be called" if easy else "Preferred name",
                    _text(c.preferred_name, easy)),
                Row("Pronouns", _text(c.pronouns, easy)),
            ], symbol="details"),
        Question(
            "details", "contact", "my.details_contact", "Your contact details",
            "How we reach you", forms.ContactForm, "my/questions/details_contact.html",
            lambda c: {"email": c.email, "phone": c.phone, "postal_address": c.postal_address,
                       "postcode_area": c.postcode_area},
            contact_change,
            lambda c, easy: [
                Row("Email", _text(c.email, easy)),
                Row("Phone", _text(c.phone, easy)),
                Row("Address" if easy else "Postal address", _text(c.postal_address, easy)),
                Row("Start of postcode" if easy else "Postcode district",
                    _text(c.postcode_area, easy)),
            ], symbol="contact"),
        Question(
            "details", "date-of-birth", "my.details_birth", "Your date of birth",
            "When you were born", forms.BirthForm, "my/questions/details_birth.html",
            birth_initial, birth_change,
            lambda c, easy: [
                Row("Birthday" if easy else "Date of birth",
                    _text(_long_date(c.date_of_birth), easy)),
            ], symbol="calendar"),
    ]


def _long_date(value: dt.date | None) -> str | None:
    return f"{value.day} {value:%B %Y}" if value else None


# --- My lived experience -------------------------------------------------------

def _experience(c: Contributor, *, kinds: list[str] | None = None,
                services: list[str] | None = None, words: str | None | bool = False,
                living: bool | None = None) -> Apply:
    return editing.set_experience(
        kinds if kinds is not None else [e.kind for e in c.experiences],
        services if services is not None else [s.code for s in c.service_kinds],
        c.what_i_bring if words is False else words,  # type: ignore[arg-type]
        c.prefers_living_experience if living is None else living)


def _experience_questions() -> list[Question]:
    ref = reference()
    return [
        Question(
            "experience", "words", "my.experience_words", "Which words do you prefer?",
            "Which words do you like?", forms.ExperienceWordForm,
            "my/questions/experience_words.html",
            lambda c: {"experience_word": "living" if c.prefers_living_experience
                       else "lived"},
            lambda c, f: _experience(c, living=f.experience_word.data == "living"),
            lambda c, easy: [Row("Words you like" if easy else "Words you prefer",
                                 [c.experience_word.capitalize()])],
            symbol="talk"),
        Question(
            "experience", "kinds", "my.experience_kinds", "How do you know mental health services?",
            "How do you know mental health services?", forms.ExperienceKindsForm,
            "my/questions/experience_kinds.html",
            lambda c: {"experiences": [e.kind for e in c.experiences]},
            lambda c, f: _experience(c, kinds=f.experiences.data),
            lambda c, easy: [Row("How you know services", _list(
                [(EXPERIENCE_EASY if easy else EXPERIENCE_MINE)[ExperienceKind(e.kind)]
                 for e in c.experiences if e.kind in EXPERIENCE_LABELS], easy))],
            symbol="experience"),
        Question(
            "experience", "services", "my.experience_services",
            "Which kinds of service do you know?", "Which services do you know?",
            forms.ServicesForm, "my/questions/experience_services.html",
            lambda c: {"service_kinds": [s.code for s in c.service_kinds]},
            lambda c, f: _experience(c, services=f.service_kinds.data),
            lambda c, easy: [Row("Services you know", _list(
                [ref.service_kinds.label(s.code) for s in c.service_kinds], easy))],
            symbol="building"),
        Question(
            "experience", "in-your-words", "my.experience_in_your_words",
            "In your own words", "In your own words", forms.WhatIBringForm,
            "my/questions/experience_in_your_words.html",
            lambda c: {"what_i_bring": c.what_i_bring},
            lambda c, f: _experience(c, words=f.what_i_bring.data),
            lambda c, easy: [Row("Your words", _text(c.what_i_bring, easy))],
            symbol="pencil"),
    ]


# --- My adjustments ----------------------------------------------------------

def _adjustment_questions() -> list[Question]:
    ref = reference().adjustments
    questions = []
    for group in ref.groups:
        codes_in_group = [i.code for i in ref.in_group(group.code)]

        def change(c: Contributor, f: forms.AdjustmentGroupForm,
                   codes_in_group: list[str] = codes_in_group) -> Apply:
            keep = [a.code for a in c.adjustments if a.code not in codes_in_group]
            chosen = [code for code in codes_in_group if code in (f.adjustments.data or [])]
            # Anything sent that is not in this group goes to the rules too,
            # which refuse codes that are not in the catalogue.
            other = [v for v in (f.adjustments.data or []) if v not in codes_in_group]
            return editing.set_adjustments(keep + chosen + other, None, c.adjustments_other)

        def rows(c: Contributor, easy: bool, group: Item = group) -> list[Row]:
            chosen = {a.code: a for a in c.adjustments}
            lines = []
            for item in ref.in_group(group.code):
                if item.code in chosen:
                    text = adjustment_text(item, easy)
                    note = chosen[item.code].note
                    lines.append(f"{text} (note: {note})" if note else text)
            return [Row(group_title(group, easy), _list(lines, easy))]

        questions.append(Question(
            "adjustments", group.code, "my.adjustments_group", group.label,
            GROUP_EASY.get(group.code, group.label), forms.AdjustmentGroupForm,
            "my/questions/adjustments_group.html",
            partial(_adjustments_in, codes_in_group),
            change, rows, args={"group": group.code},
            symbol=GROUP_SYMBOLS.get(group.code, "adjustments"), extra={"group": group}))
    questions.append(Question(
        "adjustments", "in-your-words", "my.adjustments_other",
        "Anything else that helps you take part", "Anything else that helps you",
        forms.AdjustmentsOtherForm, "my/questions/adjustments_other.html",
        lambda c: {"adjustments_other": c.adjustments_other},
        lambda c, f: editing.set_adjustments([a.code for a in c.adjustments], None,
                                             f.adjustments_other.data),
        lambda c, easy: [Row("In your own words", _text(c.adjustments_other, easy))],
        symbol="pencil"))
    return questions


# --- How to contact me -----------------------------------------------------------

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


def channel_text(code: str, easy: bool) -> str:
    labels = CHANNEL_EASY if easy else CHANNEL_LABELS
    return next((v for k, v in labels.items() if k == code), code)


def format_text(code: str, easy: bool) -> str:
    labels = FORMAT_EASY if easy else FORMAT_LABELS
    return next((v for k, v in labels.items() if k == code), code)


def _ordered(chosen: list[str], before: list[str]) -> list[str]:
    """Keep the order of preference already saved; add new choices after it."""
    kept = [ch for ch in before if ch in chosen]
    return kept + [ch for ch in chosen if ch not in kept]


def _communication_questions() -> list[Question]:
    def comm(c: Contributor) -> editing.Communication:
        return _communication_of(c)

    def channels_rows(c: Contributor, easy: bool) -> list[Row]:
        data = comm(c)
        return [
            Row("Ways to contact you" if easy else "Ways we can contact you",
                _list([channel_text(ch, easy) for ch in data.channel_order], easy,
                      "None chosen")),
            Row("Do not contact you by" if easy else "Ways we must never use",
                _list([channel_text(ch, easy) for ch in data.do_not_use], easy, "None")),
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
        return [Row("Papers before a meeting", _text(value, easy))]

    def camera_rows(c: Contributor, easy: bool) -> list[Row]:
        optional = comm(c).camera_optional
        if easy:
            return [Row("Camera off online", ["Yes" if optional else "No"])]
        return [Row("Choice to keep your camera off",
                    ["Yes, I would like the choice" if optional else "No, I do not need this"])]

    def yes_no(value: bool) -> str:
        return "yes" if value else "no"

    return [
        Question(
            "communication", "ways", "my.communication_ways", "How should we contact you?",
            "How can we contact you?", forms.ChannelsForm,
            "my/questions/communication_ways.html",
            lambda c: {"channel_order": comm(c).channel_order,
                       "do_not_use": comm(c).do_not_use},
            lambda c, f: _communication(
                c, channel_order=_ordered(f.channel_order.data, comm(c).channel_order),
                do_not_use=f.do_not_use.data),
            channels_rows, symbol="contact"),
        Question(
            "communication", "times", "my.communication_times",
            "When is the best time to contact you?", "When is a good time to contact you?",
            forms.BestTimesForm, "my/questions/communication_times.html",
            lambda c: {"best_times": comm(c).best_times},
            lambda c, f: _communication(c, best_times=f.best_times.data),
            lambda c, easy: [Row("Good times" if easy else "Best days and times",
                                 _text(comm(c).best_times, easy))],
            symbol="clock"),
        Question(
            "communication", "format", "my.communication_format",
            "How would you like information?", "How do you like information?",
            forms.FormatForm, "my/questions/communication_format.html",
            lambda c: {"information_format": comm(c).information_format,
                       "language": comm(c).language},
            lambda c, f: _communication(c, information_format=f.information_format.data or "",
                                        language=f.language.data),
            format_rows, symbol="page"),
        Question(
            "communication", "supporter", "my.communication_supporter",
            "Should we contact you through a supporter or advocate?",
            "Should we talk to someone who helps you?", forms.SupporterForm,
            "my/questions/communication_supporter.html",
            lambda c: {"via_supporter": yes_no(comm(c).via_supporter),
                       "supporter_name": comm(c).supporter_name,
                       "supporter_contact": comm(c).supporter_contact},
            lambda c, f: _communication(c, via_supporter=f.via_supporter.data == "yes",
                                        supporter_name=f.supporter_name.data,
                                        supporter_contact=f.supporter_contact.data),
            supporter_rows, symbol="supporter"),
        Question(
            "communication", "papers", "my.communication_papers",
            "When would you like papers for a meeting?", "When do you want the papers?",
            forms.PapersForm, "my/questions/communication_papers.html",
            lambda c: {"papers_days_before": comm(c).papers_days_before},
            lambda c, f: _communication(c, papers_days_before=f.papers_days_before.data),
            papers_rows, symbol="papers"),
        Question(
            "communication", "camera", "my.communication_camera",
            "Would you like the choice to keep your camera off?",
            "Do you want to keep your camera off?", forms.CameraForm,
            "my/questions/communication_camera.html",
            lambda c: {"camera_optional": yes_no(comm(c).camera_optional)},
            lambda c, f: _communication(c, camera_optional=f.camera_optional.data == "yes"),
            camera_rows, symbol="camera"),
    ]


# --- When I can take part ---------------------------------------------------------

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


def slot_lines(c: Contributor) -> list[str]:
    chosen = {(a.day, a.part) for a in c.availability}
    lines = []
    for day in DAYS:
        parts = [PART_LABELS[p].lower() for p in DAY_PARTS if (day, p) in chosen]
        if parts:
            lines.append(f"{DAY_LABELS[day]}: {', '.join(parts)}")
    return lines


def attendance_text(code: str, easy: bool) -> str:
    labels = ATTENDANCE_EASY if easy else ATTENDANCE_LABELS
    return next((v for k, v in labels.items() if k == code), code)


def _availability_questions() -> list[Question]:
    def number(value: int | None, unit: str, easy: bool) -> list[str]:
        if value is None:
            return _text(None, easy)
        return [f"{value} {unit}{'' if value == 1 else 's'}"]

    return [
        Question(
            "availability", "days", "my.availability_days",
            "Which days and times usually suit you?", "When can you take part?",
            forms.SlotsForm, "my/questions/availability_days.html",
            lambda c: {"slots": [f"{a.day} {a.part}" for a in c.availability]},
            lambda c, f: _availability(c, slots=f.slots.data),
            lambda c, easy: [Row("Days and times", _list(slot_lines(c), easy))],
            symbol="calendar"),
        Question(
            "availability", "how", "my.availability_how", "How can you take part?",
            "How can you take part?", forms.AttendanceForm,
            "my/questions/availability_how.html",
            lambda c: {"attendance_mode": c.attendance_mode},
            lambda c, f: _availability(c, attendance_mode=f.attendance_mode.data or ""),
            lambda c, easy: [Row("How you take part",
                                 [attendance_text(c.attendance_mode, easy)])],
            symbol="either"),
        Question(
            "availability", "travel", "my.availability_travel",
            "How far can you travel to a meeting?", "How far can you travel?",
            forms.TravelForm, "my/questions/availability_travel.html",
            lambda c: {"travel_max_miles": c.travel_max_miles},
            lambda c, f: _availability(c, travel_max_miles=f.travel_max_miles.data),
            lambda c, easy: [Row("How far you can travel",
                                 number(c.travel_max_miles, "mile", easy))],
            symbol="access"),
        Question(
            "availability", "notice", "my.availability_notice",
            "How much notice do you need?", "How much warning do you need?",
            forms.NoticeForm, "my/questions/availability_notice.html",
            lambda c: {"notice_days": c.notice_days},
            lambda c, f: _availability(c, notice_days=f.notice_days.data),
            lambda c, easy: [Row("Notice you need", number(c.notice_days, "day", easy))],
            symbol="clock"),
        Question(
            "availability", "anything-else", "my.availability_note",
            "Anything else about when you can take part", "Anything else about when",
            forms.AvailabilityNoteForm, "my/questions/availability_note.html",
            lambda c: {"availability_note": c.availability_note},
            lambda c, f: _availability(c, note=f.availability_note.data),
            lambda c, easy: [Row("Anything else", _text(c.availability_note, easy))],
            symbol="pencil"),
    ]


SECTIONS: dict[str, Section] = {
    s.key: s for s in (
        Section("details", "My details", "My details", "my.details", "details",
                _details_questions),
        Section("experience", "My lived experience in my words",
                "My experience", "my.experience", "experience", _experience_questions),
        Section("adjustments", "My adjustments", "What helps me take part",
                "my.adjustments", "adjustments", _adjustment_questions),
        Section("communication", "How to contact me", "How to contact me",
                "my.communication", "contact", _communication_questions),
        Section("availability", "When I can take part", "When I can take part",
                "my.availability", "calendar", _availability_questions),
    )
}


def section_title(section: Section, contributor: Contributor, easy: bool) -> str:
    """The experience section uses the person's own word: lived or living."""
    if section.key == "experience" and not easy:
        return f"My {contributor.experience_word} in my words"
    return section.heading(easy)
