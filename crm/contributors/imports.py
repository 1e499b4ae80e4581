"""Contributors from a CSV, with every row checked first. No Flask here;
transfer.py has the pages.

``check`` reads a CSV and checks every row, returning the rows it can import
and the problems of the others, each with the row number (as a spreadsheet
shows it: the heading row is row 1), the column and a plain message.
``import_rows`` creates the records through the services, so the rules and
the audit apply.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, attributes

from crm.accounts.models import User
from crm.contributors import services
from crm.contributors.exports import EXPORT_HEADERS, unneutralise
from crm.contributors.import_rules import (
    COLUMN_BY_KEY,
    IMPORT_COLUMNS,
    ValidRow,
    check_row,
    row_context,
    text_key,
)
from crm.contributors.models import Contributor, ImportBatch

# --- import ------------------------------------------------------------------

MAX_BYTES = 2 * 1024 * 1024
# Each row is created through the services (two flushes and two audit events
# a row, about 5 ms each on SQLite): 2,000 rows take about 10 seconds, well
# inside a web worker's timeout. Larger files are split.
MAX_ROWS = 2000




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


# The template's one example row. A row with this full name is never
# imported, so the unchanged template imports nobody.
EXAMPLE_NAME = "EXAMPLE ROW (delete this row) Alex Example"
EXAMPLE_VALUES = {"full_name": EXAMPLE_NAME, "email": "alex.example@example.org"}


def template_csv() -> str:
    """The heading row and one example row, clearly marked as an example."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in IMPORT_COLUMNS])
    writer.writerow([EXAMPLE_VALUES.get(c.key, "") for c in IMPORT_COLUMNS])
    return out.getvalue()


def _is_example(record: list[str], positions: dict[int, str]) -> bool:
    return any(key == "full_name" and index < len(record)
               and record[index].strip() == EXAMPLE_NAME for index, key in positions.items())


def _headers(header_row: list[str]) -> dict[int, str]:
    """Where each known column is. A heading we do not know is an error, so
    no column of data is silently left out."""
    names: dict[str, str] = {}
    for column in IMPORT_COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            names[text_key(name)] = column.key
    # Columns of our own export that are not imported (the record's id), so
    # an exported file can be imported again.
    export_only = {text_key(h) for h in EXPORT_HEADERS} - set(names)
    positions: dict[int, str] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header_row):
        key = names.get(text_key(raw))
        if key is None:
            if raw.strip() and text_key(raw) not in export_only:
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
            if any(cell.strip() for cell in record) and not _is_example(record, positions)]
    if len(data) > MAX_ROWS:
        raise FileProblem(f"The file has {len(data):,} rows. Import at most {MAX_ROWS:,} rows "
                          "at a time: split it into smaller files")
    if not data:
        raise FileProblem("The file has no rows of contributors under the headings")

    ctx = row_context(session, today)
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
        valid = None if problems else check_row(number, values, ctx, problems)
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


def import_rows(session: Session, actor: User, rows: Sequence[ValidRow],
                batch: ImportBatch | None = None) -> list[Contributor]:
    """Create a contributor for each checked row, through the services (so
    each is audited as created and updated), as part of ``batch``. Caller
    commits."""
    created: list[Contributor] = []
    for row in rows:
        contributor = services.create(session, actor, row.new)
        if batch is not None:
            contributor.import_batch_id = batch.id
        # A brand-new record has no child rows: say so, rather than have the
        # audit snapshot load each empty collection with a query.
        for name in _COLLECTIONS:
            attributes.set_committed_value(contributor, name, [])
        attributes.set_committed_value(contributor, "communication", None)
        services.save_section(session, actor, contributor, None, "import", row.apply)
        created.append(contributor)
    return created
