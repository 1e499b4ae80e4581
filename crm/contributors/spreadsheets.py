"""Contributors to and from spreadsheets: export to CSV or XLSX, and import
from CSV with every row checked first. No Flask here; transfer.py has the
pages.

Export
    One row per contributor of a filtered list (crm.contributors.queries),
    read in batches so 100,000 rows never sit in memory at once. The
    columns are what coordinators need to plan involvement. Lived experience
    kinds and the kinds of service someone knows are special category data
    (health): they are exported because coordinators filter and match on
    them, and the export is audited and needs its own permission. Free text
    that may hold more (what they bring, adjustment notes, date of birth,
    postal address, equality monitoring) is never exported.

    Every text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'`` so a spreadsheet shows it as text
    and never runs it as a formula (OWASP, CSV injection).

Import
    ``check`` reads a CSV and checks every row, returning the rows it can
    import and the problems of the others, each with the row number (as a
    spreadsheet shows it: the heading row is row 1), the column and a plain
    message. ``import_rows`` creates the records through the services, so
    the rules and the audit apply.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Integer, Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, attributes

from crm.accounts.models import User
from crm.contributors import editing, services
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    DAY_PARTS,
    DAYS,
    EXPERIENCE_LABELS,
    STATUS_LABELS,
    AttendanceMode,
    AvailabilitySlot,
    Contributor,
    Skill,
    Status,
)
from crm.permissions import Role
from crm.reference import Catalogue, reference

# --- neutralising cells (CSV injection) ------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text starting with a formula trigger, prefixed with ``'``. Other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo ``neutralise`` on a value read back from one of our exports."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# --- export ------------------------------------------------------------------

# No special category data (domain rules, section 6: never in exports of
# individuals): lived experience, services known and skill tags that reveal
# health or ethnicity stay out, as do skills in the person's own words.
EXPORT_HEADERS = (
    "ID", "Full name", "Preferred name", "Pronouns", "Email", "Phone", "Postcode area",
    "Status", "Paused until", "Skills", "Attendance mode", "Availability", "Key contact",
)
SENSITIVE_SKILL_PREFIX = "lived_experience_"
LIST_SEPARATOR = "; "


def export_rows(session: Session, stmt: Select[Any], batch_size: int = 1000
                ) -> Iterator[list[Any]]:
    """The rows of an export of ``stmt`` (a ``select(Contributor)`` such as
    ``queries.filtered(...)``), in its order. Reads ``batch_size`` contributors
    at a time (a server-side cursor on PostgreSQL) and their child rows with
    one query per kind per batch."""
    ref = reference()
    # Labels in catalogue order: (position, label) by code.
    skill_labels = {code: label for code, label in ref.skills.choices()
                    if not code.startswith(SENSITIVE_SKILL_PREFIX)}
    slot_labels = _ordered(((d, p), f"{d.capitalize()} {p}") for d in DAYS for p in DAY_PARTS)
    columns = stmt.with_only_columns(
        Contributor.id, Contributor.full_name, Contributor.preferred_name, Contributor.pronouns,
        Contributor.email, Contributor.phone, Contributor.postcode_area, Contributor.status,
        Contributor.paused_until, Contributor.attendance_mode, Contributor.key_contact_id)
    key_contacts: dict[int, str] = {}
    # Core execution on the session's connection: plain rows, no ORM loading.
    result = session.connection().execute(columns,
                                          execution_options={"yield_per": batch_size})
    for batch in result.partitions():
        ids = [row.id for row in batch]
        skills = _grouped(session, Skill.contributor_id, ids, Skill.code,
                          order_by=Skill.id)
        slots = _grouped(session, AvailabilitySlot.contributor_id, ids, AvailabilitySlot.day,
                         AvailabilitySlot.part)
        wanted = {row.key_contact_id for row in batch} - set(key_contacts) - {None}
        if wanted:
            key_contacts.update(session.execute(
                select(User.id, User.display_name).where(User.id.in_(wanted))).all())
        for row in batch:
            yield [
                row.id, row.full_name, row.preferred_name, row.pronouns, row.email, row.phone,
                row.postcode_area,
                STATUS_LABELS.get(row.status, row.status),
                row.paused_until,
                _join(skill_labels[code] for (code,) in skills.get(row.id, ())
                      if code in skill_labels),
                ATTENDANCE_LABELS.get(row.attendance_mode,
                                      row.attendance_mode),
                _labels(slot_labels, slots.get(row.id, ())),
                key_contacts.get(row.key_contact_id) if row.key_contact_id else None,
            ]


def _ordered(pairs: Iterable[tuple[Any, str]]) -> dict[Any, tuple[int, str]]:
    return {key: (n, label) for n, (key, label) in enumerate(pairs)}


def _labels(known: dict[Any, tuple[int, str]], keys: Iterable[Any]) -> str:
    """Labels of ``keys`` in catalogue order; unknown keys last, as they are."""
    found = sorted(known.get(k, (len(known), str(k))) for k in keys)
    return LIST_SEPARATOR.join(label for _, label in found)


def _grouped(session: Session, contributor_id: Any, ids: list[int], *values: Any,
             order_by: Any = None) -> dict[int, list[tuple]]:
    """``values`` of the child rows of contributors ``ids``, by contributor."""
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter, not a thousand: much quicker to send and plan.
        where = contributor_id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    else:
        where = contributor_id.in_(ids)
    stmt = select(contributor_id, *values).where(where)
    if order_by is not None:
        stmt = stmt.order_by(order_by)
    out: dict[int, list[tuple]] = {}
    for row in session.connection().execute(stmt):
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def _join(values: Iterable[str | None]) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(rows: Iterable[Sequence[Any]], out: IO[bytes]) -> int:
    """Write the header and ``rows`` as UTF-8 CSV (with a byte order mark, so
    Excel reads it right) to the binary file ``out``. Returns the row count."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(EXPORT_HEADERS)
    count = 0
    for row in rows:
        writer.writerow([neutralise(_cell_text(v)) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_XLSX_WIDTHS = (8, 28, 18, 12, 32, 16, 12, 10, 12, 40, 20, 40, 20)


def write_xlsx(rows: Iterable[Sequence[Any]], out: IO[bytes]) -> int:
    """Write the header and ``rows`` as an Excel workbook to ``out``, in
    openpyxl's write-only mode (rows go to disk as they come). Returns the
    row count."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contributors")
    for number, width in enumerate(_XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(list(EXPORT_HEADERS))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        count += 1
    book.save(out)
    return count


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        # Characters XML cannot hold (control characters) would break the file.
        return neutralise(_ILLEGAL_XML.sub("", value)) or None
    return value


# --- import ------------------------------------------------------------------

MAX_BYTES = 2 * 1024 * 1024
# Each row is created through the services (two flushes and two audit events
# a row, about 5 ms each on SQLite): 2,000 rows take about 10 seconds, well
# inside a web worker's timeout. Larger files are split.
MAX_ROWS = 2000


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


class FileProblem(Exception):
    """The file as a whole cannot be read or used."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ValidRow:
    row: int
    new: services.NewContributor
    apply: Callable[[Contributor], None]


@dataclass
class CheckedFile:
    valid: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def is_all_valid(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without a byte order mark),
    or Windows-1252 as older Excel saves it."""
    if len(data) > MAX_BYTES:
        raise FileProblem("The file must be smaller than 2 MB. Split it into smaller files")
    if not data.strip():
        raise FileProblem("The selected file is empty")
    if b"\0" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise FileProblem("The selected file must be a CSV. In Excel, use Save as and choose "
                          "CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def template_csv() -> str:
    """An empty import file: just the heading row."""
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in IMPORT_COLUMNS])
    return out.getvalue()


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", text.strip().lower()).split())


def _headers(header_row: list[str]) -> dict[int, str]:
    """Where each known column is. A heading we do not know is an error, so
    no column of data is silently left out."""
    names: dict[str, str] = {}
    for column in IMPORT_COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            names[_header_key(name)] = column.key
    # Columns of our own export that are not imported (the record's id), so
    # an exported file can be imported again.
    export_only = {_header_key(h) for h in EXPORT_HEADERS} - set(names)
    positions: dict[int, str] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header_row):
        key = names.get(_header_key(raw))
        if key is None:
            if raw.strip() and _header_key(raw) not in export_only:
                unknown.append(f"‘{raw.strip()[:60]}’")
            continue
        if key in seen:
            raise FileProblem(f"The column ‘{COLUMN_BY_KEY[key].header}’ appears twice. "
                              "Remove one of them")
        seen.add(key)
        positions[index] = key
    if "full_name" not in seen:
        raise FileProblem("The file must have a ‘Full name’ column in its first row. "
                          "Download the template to see the columns")
    if unknown:
        which = (f"The column {unknown[0]} is" if len(unknown) == 1
                 else f"The columns {', '.join(unknown)} are")
        raise FileProblem(f"{which} not one the involvement bank knows, so its data would be "
                          "lost. Rename or remove it. The column headings are: "
                          + ", ".join(c.header for c in IMPORT_COLUMNS))
    return positions


class _Lookup:
    """Matches a code or a label, case-insensitively."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.by_text: dict[str, str] = {}
        for code, label in pairs:
            for text in (code, code.replace("_", " "), label):
                self.by_text[_header_key(text)] = code

    def find(self, text: str) -> str | None:
        return self.by_text.get(_header_key(text))


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


def _context(session: Session, today: dt.date) -> _Context:
    ref = reference()
    by_email: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for user_id, email, name in session.execute(
            select(User.id, User.email, User.display_name)
            .where(User.role == Role.COORDINATOR.value, User.is_active.is_(True))):
        by_email[email.strip().lower()] = user_id
        by_name.setdefault(_header_key(name), []).append(user_id)
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


def _check_row(number: int, values: dict[str, str], ctx: _Context,
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
            matches = ctx.coordinators_by_name.get(_header_key(contact), [])
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


def _records(text: str) -> list[list[str]]:
    """The CSV's records. A quote mark never closed is reported with the line
    its row starts on (strict parsing: without it, the rest of the file would
    silently become one cell)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    while True:
        start = reader.line_num + 1
        try:
            records.append(next(reader))
        except StopIteration:
            return records
        except csv.Error as exc:
            raise FileProblem(
                f"The file is not a well-formed CSV: the row on line {start} has a quote "
                "mark (\") that is never closed. Correct it, or save the file again as CSV "
                "UTF-8, and upload it") from exc


def check(session: Session, text: str, today: dt.date | None = None) -> CheckedFile:
    """Check every row of the CSV ``text``. Raises FileProblem when the file
    as a whole cannot be used (no heading row, too many rows)."""
    today = today or dt.date.today()
    records = _records(text)
    if not records or not any(cell.strip() for cell in records[0]):
        raise FileProblem("The first row of the file must hold the column headings. "
                          "Download the template to see them")
    positions = _headers(records[0])
    data = [(number, record) for number, record in enumerate(records[1:], start=2)
            if any(cell.strip() for cell in record)]
    if len(data) > MAX_ROWS:
        raise FileProblem(f"The file has {len(data):,} rows. Import at most {MAX_ROWS:,} rows "
                          "at a time: split it into smaller files")
    if not data:
        raise FileProblem("The file has no rows of contributors under the headings")

    ctx = _context(session, today)
    checked = CheckedFile(total=len(data))
    first_row_of_email: dict[str, int] = {}
    rows: list[tuple[int, str, ValidRow | None, list[tuple[str, str]]]] = []
    for number, record in data:
        values = {key: unneutralise(record[index].strip()) if index < len(record) else ""
                  for index, key in positions.items()}
        problems: list[tuple[str, str]] = [
            (key, f"{COLUMN_BY_KEY[key].header} must be on one line. Check this row and the "
                  "one above for a quote mark (\") that is not closed")
            for key, value in values.items() if "\n" in value or "\r" in value]
        valid = None if problems else _check_row(number, values, ctx, problems)
        email = values.get("email", "").lower()
        if email in first_row_of_email:
            problems.append(("email", "The same email address is on row "
                                      f"{first_row_of_email[email]}"))
        elif email:
            first_row_of_email[email] = number
        rows.append((number, email, valid, problems))

    existing = _existing_emails(session, set(first_row_of_email))
    for number, email, valid, problems in rows:
        if email in existing and first_row_of_email[email] == number:
            problems.append(("email", "Someone in the involvement bank already has this "
                                      "email address"))
        if problems:
            order = [c.key for c in IMPORT_COLUMNS]
            checked.errors.extend(RowError(number, COLUMN_BY_KEY[key].header, message)
                                  for key, message in sorted(problems,
                                                             key=lambda p: order.index(p[0])))
        elif valid is not None:
            checked.valid.append(valid)
    return checked


def _existing_emails(session: Session, emails: set[str]) -> set[str]:
    found: set[str] = set()
    wanted = sorted(emails)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(e.lower() for e in session.scalars(
            select(Contributor.email).where(Contributor.email.in_(chunk))) if e)
    return found


_COLLECTIONS = ("experiences", "service_kinds", "skills", "availability", "affiliations",
                "consents", "adjustments", "training", "support")


def import_rows(session: Session, actor: User, rows: Sequence[ValidRow]) -> list[Contributor]:
    """Create a contributor for each checked row, through the services (so
    each is audited as created and updated). Caller commits."""
    created: list[Contributor] = []
    for row in rows:
        contributor = services.create(session, actor, row.new)
        # A brand-new record has no child rows: say so, rather than have the
        # audit snapshot load each empty collection with a query.
        for name in _COLLECTIONS:
            attributes.set_committed_value(contributor, name, [])
        attributes.set_committed_value(contributor, "communication", None)
        services.save_section(session, actor, contributor, None, "import", row.apply)
        created.append(contributor)
    return created
