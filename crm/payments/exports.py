"""A finance export as a spreadsheet: one row per claim in the export, CSV
or XLSX, read in batches (server-side, by claim id) and written as they
come, so 50,000 rows never sit in memory. Every text cell is made
formula-safe (crm.contributors.exports.neutralise: OWASP, CSV injection).

The columns are what finance needs to pay: the person's name and payment
route, what the claim is for, the amount, the project's cost code, the
dates and the reference. Never lived experience, adjustments or any other
part of the person's record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contributors.exports import neutralise
from crm.contributors.models import Contributor
from crm.money import format_pence
from crm.payments.choice_config import routes_config
from crm.payments.choice_models import PaymentChoice
from crm.payments.finance_config import finance_config
from crm.payments.ledger_models import CLAIM_KIND_LABELS, Claim, ClaimKind
from crm.projects.models import Project, RoleOpening, RoleSession

HEADERS = (
    "Claim", "Export", "Name", "Payment route", "What for", "Earnings or expense",
    "Amount (pence)", "Amount", "Cost code", "Project", "Session date", "Pay on",
    "Paid to charity", "Paid on", "Payment reference",
)
BATCH = 2000
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_WIDTHS = (8, 8, 28, 18, 26, 12, 12, 12, 14, 30, 12, 12, 20, 12, 20)


def _routes(session: Session, contributor_ids: list[int]) -> dict[int, str]:
    """Each person's payment route, in words, from their payment choices."""
    routes = routes_config()
    out: dict[int, str] = {}
    for contributor_id, code in session.execute(
            select(PaymentChoice.contributor_id, PaymentChoice.route)
            .where(PaymentChoice.contributor_id.in_(contributor_ids))):
        route = routes.get(code)
        out[contributor_id] = route.label if route else (code or "")
    return out


def export_rows(session: Session, export_id: int, batch: int = BATCH) -> Iterator[list[Any]]:
    """The rows of one export, in claim order, ``batch`` claims a query."""
    default_code = finance_config().default_cost_code
    after = 0
    while True:
        rows = session.execute(
            select(Claim.id, Claim.export_id, Contributor.full_name, Claim.contributor_id,
                   Claim.kind, Claim.is_earnings, Claim.amount_pence, Project.cost_code,
                   Project.title, RoleSession.starts_at, Claim.pay_on, Claim.charity,
                   Claim.paid_on, Claim.payment_reference)
            .join(Contributor, Contributor.id == Claim.contributor_id)
            .join(RoleSession, RoleSession.id == Claim.session_id)
            .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
            .join(Project, Project.id == RoleOpening.project_id)
            .where(Claim.export_id == export_id, Claim.id > after)
            .order_by(Claim.id).limit(batch)).all()
        if not rows:
            return
        routes = _routes(session, sorted({r.contributor_id for r in rows}))
        for r in rows:
            yield [r.id, r.export_id, r.full_name, routes.get(r.contributor_id, ""),
                   CLAIM_KIND_LABELS[ClaimKind(r.kind)],
                   "Fee" if r.kind == ClaimKind.FEE.value else "Expense",
                   r.amount_pence, format_pence(r.amount_pence), r.cost_code or default_code,
                   r.title, r.starts_at.date(), r.pay_on, r.charity or "", r.paid_on,
                   r.payment_reference or ""]
        after = rows[-1].id


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def write_csv(rows: Iterator[Sequence[Any]], out: IO[bytes]) -> int:
    """UTF-8 CSV with a byte order mark (Excel reads it right), formula-safe."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value)) or None
    return value


def write_xlsx(rows: Iterator[Sequence[Any]], out: IO[bytes]) -> int:
    """An Excel workbook in openpyxl's write-only mode (rows go to disk as
    they come), formula-safe."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Claims")
    for number, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(list(HEADERS))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        count += 1
    book.save(out)
    return count


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
MIMETYPES = {"csv": "text/csv",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
