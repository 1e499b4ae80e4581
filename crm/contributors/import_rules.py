"""The rules for one row of a contributor CSV: the columns we know, their
limits, and the check that turns a row into a new record or a list of
problems in plain words (crm.contributors.imports reads the file)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors import editing, services
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    DAY_PARTS,
    DAYS,
    EXPERIENCE_LABELS,
    STATUS_LABELS,
    AttendanceMode,
    Contributor,
    Status,
)
from crm.permissions import Role
from crm.reference import Catalogue, reference

# --- import ------------------------------------------------------------------


def text_key(text: str) -> str:
    """Headings and names compared without case, spaces, hyphens or underscores."""
    return " ".join(re.sub(r"[_\-]", " ", text.strip().lower()).split())


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    help: str


IMPORT_COLUMNS = (
    Column("full_name", "Full name", ("name",), True,
           "Required. Up to 200 characters."),
    Column("preferred_name", "Preferred name", (), False,
           "What they like to be called. Up to 100 characters."),
    Column("pronouns", "Pronouns", (), False, "For example she/her, he/him or they/them."),
    Column("email", "Email", ("email address", "e mail", "e mail address"), False,
           "Each email address can be in the involvement bank only once."),
    Column("phone", "Phone", ("phone number", "telephone"), False, "Up to 40 characters."),
    Column("postcode_area", "Postcode area", ("postcode district", "postcode"), False,
           "The first part of their postcode, like LS6, or a town."),
    Column("status", "Status", (), False,
           "Active, paused or left. Leave it blank for active."),
    Column("paused_until", "Paused until", ("return date",), False,
           "Only for paused contributors: the date they plan to come back, in the future, "
           "like 2027-03-31 or 31/03/2027."),
    Column("experiences", "Lived experience", ("lived experience kinds", "experience",
                                               "experience kinds"), False,
           "One or more of: " + ", ".join(EXPERIENCE_LABELS.values()) + "."),
    Column("service_kinds", "Services known", ("service kinds", "services"), False,
           "Kinds of service from the list below."),
    Column("skills", "Skills", ("skills and interests",), False,
           "Skills and interests from the list below."),
    Column("attendance_mode", "Attendance mode", ("attendance", "can take part"), False,
           ", ".join(ATTENDANCE_LABELS.values()) + ". Leave it blank for either."),
    Column("availability", "Availability", (), False,
           "Days and times, like Monday morning; Tuesday evening."),
    Column("key_contact", "Key contact", (), False,
           "The name or email address of a coordinator."),
)
COLUMN_BY_KEY = {c.key: c for c in IMPORT_COLUMNS}


@dataclass
class ValidRow:
    row: int
    new: services.NewContributor
    apply: Callable[[Contributor], None]



class _Lookup:
    """Matches a code or a label, case-insensitively."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.by_text: dict[str, str] = {}
        for code, label in pairs:
            for text in (code, code.replace("_", " "), label):
                self.by_text[text_key(text)] = code

    def find(self, text: str) -> str | None:
        return self.by_text.get(text_key(text))


def _catalogue_lookup(catalogue: Catalogue) -> _Lookup:
    return _Lookup(catalogue.choices())


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _or(values: Iterable[str]) -> str:
    items = list(values)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass
class _Context:
    today: dt.date
    coordinators_by_email: dict[str, int]
    coordinators_by_name: dict[str, list[int]]
    experiences: _Lookup
    services: _Lookup
    skills: _Lookup
    statuses: _Lookup
    attendance: _Lookup


def row_context(session: Session, today: dt.date) -> _Context:
    ref = reference()
    by_email: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for user_id, email, name in session.execute(
            select(User.id, User.email, User.display_name)
            .where(User.role == Role.COORDINATOR.value, User.is_active.is_(True))):
        by_email[email.strip().lower()] = user_id
        by_name.setdefault(text_key(name), []).append(user_id)
    return _Context(
        today=today, coordinators_by_email=by_email, coordinators_by_name=by_name,
        experiences=_Lookup((k.value, v) for k, v in EXPERIENCE_LABELS.items()),
        services=_catalogue_lookup(ref.service_kinds),
        skills=_catalogue_lookup(ref.skills),
        statuses=_Lookup((k.value, v) for k, v in STATUS_LABELS.items()),
        attendance=_Lookup([*((k.value, v) for k, v in ATTENDANCE_LABELS.items()),
                            (AttendanceMode.ONLINE.value, "online"),
                            (AttendanceMode.IN_PERSON.value, "in person"),
                            (AttendanceMode.EITHER.value, "either")]),
    )


_LIMITS = {"full_name": 200, "preferred_name": 100, "pronouns": 50, "email": 254,
           "phone": 40, "postcode_area": 20}


def _codes(value: str, lookup: _Lookup, what: str, errors: list[str]) -> list[str]:
    codes: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        code = lookup.find(part)
        if code is None:
            hint = ". Separate several with a semicolon (;)" if "," in part else ""
            errors.append(f"‘{_short(part)}’ is not {what}{hint}")
        elif code not in codes:
            codes.append(code)
    return codes


def check_row(number: int, values: dict[str, str], ctx: _Context,
               problems: list[tuple[str, str]]) -> ValidRow | None:
    """Check one row, adding each problem to ``problems`` as (column key,
    message). Returns the row ready to import, or None."""

    def add(key: str, message: str) -> None:
        problems.append((key, message))

    for key, limit in _LIMITS.items():
        if len(values.get(key, "")) > limit:
            add(key, f"{COLUMN_BY_KEY[key].header} must be {limit} characters or fewer")
    if not values.get("full_name"):
        add("full_name", "Enter a full name")

    email = values.get("email", "").lower()
    if email and len(email) <= _LIMITS["email"]:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            add("email", "Enter an email address in the correct format, like name@example.com")

    status = Status.ACTIVE.value
    if values.get("status"):
        found = ctx.statuses.find(values["status"])
        if found is None:
            add("status", "Status must be active, paused or left")
        else:
            status = found

    paused_until: dt.date | None = None
    if values.get("paused_until"):
        paused_until = _parse_date(values["paused_until"])
        if paused_until is None:
            add("paused_until", "Enter the return date as a real date, like 2027-03-31 "
                                "or 31/03/2027")
        elif status != Status.PAUSED:
            add("paused_until", "Only paused contributors have a return date. Leave it blank "
                                "or set their status to paused")
        elif paused_until <= ctx.today:
            add("paused_until", "The return date must be in the future")

    errors: list[str] = []
    experiences = _codes(values.get("experiences", ""), ctx.experiences,
                         "a kind of lived experience", errors)
    for message in errors:
        add("experiences", f"{message}. Use {_or(EXPERIENCE_LABELS.values())}")
    errors = []
    service_kinds = _codes(values.get("service_kinds", ""), ctx.services,
                           "on the list of services", errors)
    for message in errors:
        add("service_kinds", message)
    errors = []
    skills = _codes(values.get("skills", ""), ctx.skills, "on the list of skills", errors)
    for message in errors:
        add("skills", message)

    attendance = AttendanceMode.EITHER.value
    if values.get("attendance_mode"):
        found = ctx.attendance.find(values["attendance_mode"])
        if found is None:
            add("attendance_mode", "Attendance mode must be online, in person or either")
        else:
            attendance = found

    slots: list[str] = []
    for part in values.get("availability", "").split(";"):
        words_ = part.strip().lower().replace("_", " ").split()
        if not words_:
            continue
        if len(words_) != 2 or words_[0] not in DAYS or words_[1] not in DAY_PARTS:
            add("availability", f"‘{_short(part.strip())}’ is not a day and a time of day, "
                                "like Monday morning or Tuesday evening")
        elif " ".join(words_) not in slots:
            slots.append(" ".join(words_))

    key_contact_id: int | None = None
    contact = values.get("key_contact", "")
    if contact:
        if "@" in contact:
            key_contact_id = ctx.coordinators_by_email.get(contact.lower())
            if key_contact_id is None:
                add("key_contact", "No coordinator has this email address")
        else:
            matches = ctx.coordinators_by_name.get(text_key(contact), [])
            if len(matches) > 1:
                add("key_contact", "More than one coordinator has this name. Use their email "
                                   "address")
            elif not matches:
                add("key_contact", f"No coordinator is called ‘{_short(contact)}’")
            else:
                key_contact_id = matches[0]

    if problems:
        return None
    # The same rules the record's pages use, as a final check.
    try:
        applies = [
            editing.set_details(editing.Details(
                full_name=values.get("full_name", ""), preferred_name=values.get("preferred_name"),
                pronouns=values.get("pronouns"), email=email or None, phone=values.get("phone"),
                postcode_area=values.get("postcode_area")), today=ctx.today),
            editing.set_experience(experiences, service_kinds, None, False),
            editing.set_skills(skills, []),
            editing.set_availability(slots, attendance, None, None, None),
            editing.set_status(status, paused_until, None, key_contact_id, today=ctx.today),
        ]
    except services.ContributorError as error:
        add(_ERROR_FIELDS.get(error.field or "", "full_name"), error.message)
        return None

    def apply(contributor: Contributor) -> None:
        for each in applies:
            each(contributor)

    return ValidRow(row=number, apply=apply, new=services.NewContributor(
        full_name=values["full_name"], preferred_name=values.get("preferred_name") or None,
        email=email or None, phone=values.get("phone") or None,
        postcode_area=values.get("postcode_area") or None, key_contact_id=key_contact_id))


# Fields named by editing's ContributorError, mapped to import columns.
_ERROR_FIELDS = {"experiences": "experiences", "service_kinds": "service_kinds",
                 "skills": "skills", "slots": "availability", "attendance_mode": "attendance_mode",
                 "status": "status", "paused_until": "paused_until", **{k: k for k in _LIMITS}}
