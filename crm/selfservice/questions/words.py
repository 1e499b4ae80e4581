"""Words for the person, in standard and Easy Read, and the pictures used in
Easy Read. Templates read these as ``words``."""

from __future__ import annotations

from crm.contributors.models import (
    ATTENDANCE_LABELS,
    CHANNEL_LABELS,
    DAY_PARTS,
    DAYS,
    FORMAT_LABELS,
    AttendanceMode,
    Channel,
    Contributor,
    ExperienceKind,
    InformationFormat,
)
from crm.reference import Item
from crm.selfservice.questions.base import Section

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

# On the person's own pages, adjustment groups are named by what helps, not
# by a diagnosis ("Clear plans and no surprises", not "Autism-informed"):
# anyone may need any of them. Staff pages keep the catalogue labels. A group
# a trust adds without a heading here uses its catalogue label.
GROUP_MINE = {
    "autism_informed": "Clear plans and no surprises",
    "learning_disability": "Easier ways to share and understand",
    "trauma_informed": "Feeling safe and treated fairly",
    "sensory": "A comfortable room",
    "physical_access": "Getting there and getting around",
    "communication": "Speaking up, hearing and reading",
    "cultural_language": "Culture, faith and language",
}
# The same in Easy Read.
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



def group_title(group: Item, easy: bool) -> str:
    return (GROUP_EASY if easy else GROUP_MINE).get(group.code, group.label)


def adjustment_text(item: Item, easy: bool) -> str:
    return (item.easy_read or item.label) if easy else item.label


def channel_text(code: str, easy: bool) -> str:
    labels = CHANNEL_EASY if easy else CHANNEL_LABELS
    return next((v for k, v in labels.items() if k == code), code)


def format_text(code: str, easy: bool) -> str:
    labels = FORMAT_EASY if easy else FORMAT_LABELS
    return next((v for k, v in labels.items() if k == code), code)


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


def section_title(section: Section, contributor: Contributor, easy: bool) -> str:
    """The experience section uses the person's own word: lived or living."""
    if section.key == "experience" and not easy:
        return f"My {contributor.experience_word} in my words"
    return section.heading(easy)
