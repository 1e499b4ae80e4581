"""Contributors to spreadsheets: one row per contributor of a filtered list
(crm.contributors.queries), as CSV or XLSX. No Flask here; transfer.py has
the pages.

Rows are read in batches so 100,000 rows never sit in memory at once. The
columns are what coordinators need to plan involvement, including the list's
filters that are not special category data (status, skills, how and when
they can take part, current training). Lived experience, the kinds of
service someone knows and their adjustments say something about their
health, so, like free text (what they bring, notes, date of birth, postal
address) and equality monitoring, they are never in an export of
individuals (domain rules, section 6); the list filters on them on screen.
People who may not be contacted
(crm.contributors.models.Contributor.may_contact) are marked in the last
column, and their email address and phone number are left out unless the
coordinator chose to include them, with a reason (see transfer.py).

Every text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'`` so a spreadsheet shows it as text and
never runs it as a formula (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from sqlalchemy import Integer, Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    DAY_PARTS,
    DAYS,
    STATUS_LABELS,
    AvailabilitySlot,
    Consent,
    ConsentKind,
    Contributor,
    Skill,
    TrainingCompletion,
)
from crm.reference import reference

# --- neutralising cells (CSV injection) ------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text starting with a formula trigger, prefixed with ``'``. Other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Characters outside XML 1.0's Char: C0 controls but tab, LF and CR; lone
# surrogates (which UTF-8 cannot hold either); U+FFFE and U+FFFF. One in a
# cell would make a whole workbook unreadable, so XLSX exports drop them.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XLSX (XML) file cannot hold."""
    return XML_ILLEGAL.sub("", text)


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
    "Status", "Paused until", "Skills", "Attendance mode", "Availability",
    "Current training", "Key contact", "May be contacted",
)
SENSITIVE_SKILL_PREFIX = "lived_experience_"
LIST_SEPARATOR = "; "


def export_rows(session: Session, stmt: Select[Any], batch_size: int = 1000, *,
                include_contact: bool = False, today: dt.date | None = None
                ) -> Iterator[list[Any]]:
    """The rows of an export of ``stmt`` (a ``select(Contributor)`` such as
    ``queries.filtered(...)``), in its order. Reads ``batch_size`` contributors
    at a time (a server-side cursor on PostgreSQL) and their child rows with
    one query per kind per batch. ``include_contact`` keeps the email and
    phone of people who may not be contacted (the coordinator gave a reason)."""
    ref = reference()
    today = today or dt.date.today()
    training_labels = _ordered(ref.training.choices())
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
        current = _grouped(session, TrainingCompletion.contributor_id, ids,
                           TrainingCompletion.course_code,
                           where=(TrainingCompletion.expires_on.is_(None)
                                  | (TrainingCompletion.expires_on >= today)))
        wanted = {row.key_contact_id for row in batch} - set(key_contacts) - {None}
        if wanted:
            key_contacts.update(session.execute(
                select(User.id, User.display_name).where(User.id.in_(wanted))).all())
        may_contact = set(session.scalars(select(Consent.contributor_id).where(
            Consent.contributor_id.in_(ids), Consent.kind == ConsentKind.CONTACT.value,
            Consent.is_given.is_(True))))
        for row in batch:
            # People who may not be contacted: marked, and their email and
            # phone left out, so a mail merge cannot reach them by mistake.
            contact = row.id in may_contact
            shown = contact or include_contact
            yield [
                row.id, row.full_name, row.preferred_name, row.pronouns,
                row.email if shown else None, row.phone if shown else None,
                row.postcode_area,
                STATUS_LABELS.get(row.status, row.status),
                row.paused_until,
                _join(skill_labels[code] for (code,) in skills.get(row.id, ())
                      if code in skill_labels),
                ATTENDANCE_LABELS.get(row.attendance_mode,
                                      row.attendance_mode),
                _labels(slot_labels, slots.get(row.id, ())),
                _labels(training_labels, {c for (c,) in current.get(row.id, ())}),
                key_contacts.get(row.key_contact_id) if row.key_contact_id else None,
                "Yes" if contact else "No: do not contact",
            ]


def _ordered(pairs: Iterable[tuple[Any, str]]) -> dict[Any, tuple[int, str]]:
    return {key: (n, label) for n, (key, label) in enumerate(pairs)}


def _labels(known: dict[Any, tuple[int, str]], keys: Iterable[Any]) -> str:
    """Labels of ``keys`` in catalogue order; unknown keys last, as they are."""
    found = sorted(known.get(k, (len(known), str(k))) for k in keys)
    return LIST_SEPARATOR.join(label for _, label in found)


def _grouped(session: Session, contributor_id: Any, ids: list[int], *values: Any,
             order_by: Any = None, where: Any = None) -> dict[int, list[tuple]]:
    """``values`` of the child rows of contributors ``ids``, by contributor."""
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter, not a thousand: much quicker to send and plan.
        of_these = contributor_id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    else:
        of_these = contributor_id.in_(ids)
    stmt = select(contributor_id, *values).where(of_these)
    if where is not None:
        stmt = stmt.where(where)
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


def write_csv(rows: Iterable[Sequence[Any]], out: IO[bytes],
              headers: Sequence[str] = EXPORT_HEADERS) -> int:
    """Write ``headers`` and ``rows`` as UTF-8 CSV (with a byte order mark, so
    Excel reads it right) to the binary file ``out``, every cell made
    formula-safe. Returns the row count."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([neutralise(_cell_text(v)) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


_XLSX_WIDTHS = (8, 28, 18, 12, 32, 16, 12, 10, 12, 40, 20, 40, 20, 22)


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
        return neutralise(xml_safe(value)) or None
    return value
