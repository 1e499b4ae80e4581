"""The finance export file: the columns finance needs and nothing of a
person's record, every text cell formula-safe in CSV and XLSX, numbers as
numbers, one row per claim, and the same queries for 3 lines or 40."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from crm.payments import exports, ledger_approval
from crm.payments.ledger_models import ClaimKind
from crm.permissions import Role
from tests.factories import experience, log_in, make_contributor, make_user
from tests.payments.ledger_factories import make_claim, paid_role

NASTY = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTab", "\rCR"]


def _export(db, count: int, names=None):  # type: ignore[no-untyped-def]
    _role, when, _ = paid_role(db, people=0, cost_code=None)
    for n in range(count):
        name = (names or [])[n] if names and n < len(names) else f"Person {n}"
        person = make_contributor(db, full_name=name, experiences=[experience("carer")])
        make_claim(db, person, when, state="approved", pay_on=dt.date(2026, 5, 2),
                   kind=ClaimKind.FEE if n % 2 == 0 else ClaimKind.PRINTING,
                   pence=5000 + n)
    made = ledger_approval.export_period(db, make_user(db, Role.FINANCE), dt.date(2026, 5, 1),
                                         dt.date(2026, 5, 31))
    db.commit()
    return made


def test_csv_rows_are_formula_safe_and_hold_no_record_details(db) -> None:
    made = _export(db, len(NASTY), NASTY)
    out = io.BytesIO()
    assert exports.write_csv(exports.export_rows(db, made.id), out) == len(NASTY)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert tuple(rows[0]) == exports.HEADERS
    assert [r[2] for r in rows[1:]] == ["'" + n for n in NASTY]
    assert {r[8] for r in rows[1:]} == {"UNCODED"}  # no project code: finance.toml's
    assert [r[5] for r in rows[1:]][:2] == ["Earnings", "Expense (not earnings)"]
    text = out.getvalue().decode("utf-8-sig")
    assert "carer" not in text.lower()  # lived experience never leaves the record


def test_xlsx_is_a_workbook_with_numbers_and_safe_text(db) -> None:
    made = _export(db, len(NASTY), NASTY)
    out = io.BytesIO()
    assert exports.write_xlsx(exports.export_rows(db, made.id), out) == len(NASTY)
    book = load_workbook(io.BytesIO(out.getvalue()))
    sheet = book["Claims"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.HEADERS
    assert [r[2] for r in rows[1:]] == ["'" + n for n in NASTY]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [r[6] for r in rows[1:]] == [5000 + n for n in range(len(NASTY))]
    assert sheet.freeze_panes == "A2"


def test_xlsx_opens_whatever_characters_a_name_holds(db) -> None:
    """A name with U+FFFE or U+FFFF (not XML characters: the control-character
    filter let them in) made the whole workbook unreadable; they are dropped
    from the cell, and so is a lone surrogate, which UTF-8 cannot hold."""
    made = _export(db, 2, ["Ada \ufffe Alpha", "Ben\uffff Beta"])
    out = io.BytesIO()
    exports.write_xlsx(exports.export_rows(db, made.id), out)
    rows = list(load_workbook(io.BytesIO(out.getvalue()))["Claims"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["Ada  Alpha", "Ben Beta"]
    assert exports._xlsx_cell("A\ud800da\udfff\x01") == exports._xlsx_cell("Ada")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_queries_do_not_grow_with_the_lines(client, db, count_queries, fmt) -> None:
    small, big = _export(db, 3), None
    log_in(client, make_user(db, Role.FINANCE))
    before = count_queries.count
    assert client.get(f"/payments/finance/exports/{small.id}/{fmt}").status_code == 200
    few = count_queries.count - before
    big = _export(db, 40)
    before = count_queries.count
    response = client.get(f"/payments/finance/exports/{big.id}/{fmt}")
    assert response.status_code == 200
    assert count_queries.count - before == few
    assert response.headers["Content-Disposition"].endswith(f'export-{big.id}.{fmt}')


def test_the_session_date_is_the_day_in_the_uk(db) -> None:
    """00:30 on 2 June in British Summer Time is 23:30 on 1 June in UTC."""
    _role, when, (person,) = paid_role(db, starts_at=dt.datetime(2026, 6, 1, 23, 30,
                                                                 tzinfo=dt.UTC))
    make_claim(db, person, when, state="approved", pay_on=dt.date(2026, 6, 10))
    made = ledger_approval.export_period(db, make_user(db, Role.FINANCE), dt.date(2026, 6, 1),
                                         dt.date(2026, 6, 30))
    db.commit()
    [row] = list(exports.export_rows(db, made.id))
    assert row[exports.HEADERS.index("Session date")] == dt.date(2026, 6, 2)

