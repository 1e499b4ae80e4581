"""The protected report tables as CSV or Excel: the same figures the page
shows (hidden cells stay hidden), every cell formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from crm.contributors.exports import neutralise

HIDDEN_TEXT = "Hidden (fewer than 8)"


def cell(value: Any) -> Any:
    if value is None:
        return HIDDEN_TEXT
    return neutralise(value) if isinstance(value, str) else value


def as_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
            note: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([cell(note)])
    sheet.append([cell(h) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
