"""Importing contributors from CSV and exporting the filtered list to CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading

import openpyxl
import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.contributors import exports, imports
from crm.contributors.models import (
    Consent,
    Contributor,
    ImportBatch,
    LivedExperience,
    ServiceKnown,
    Skill,
)
from crm.contributors.transfer import UPLOAD_SALT, row_ranges
from crm.permissions import Role
from crm.reference import reference
from tests.conftest import TEST_SECRET, csrf_token
from tests.factories import log_in, make_contributor, make_user, sign_in
from tests.pages import table_rows

HEADER = ("Full name,Email,Status,Paused until,Lived experience,Services known,Skills,"
          "Attendance mode,Availability,Key contact")
TOKEN_RE = re.compile(r'name="upload" value="([^"]+)"')


@pytest.fixture
def coordinator(db):
    return make_user(db, Role.COORDINATOR, name="Cal Coordinator", email="cal@example.org")


@pytest.fixture
def coordinator_client(client, db, coordinator):
    log_in(client, coordinator)
    return client


def upload(client, text: str, filename: str = "people.csv"):
    token = csrf_token(client, "/contributors/import")
    return client.post("/contributors/import", data={
        "csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), filename)},
        content_type="multipart/form-data")


def confirm(client, upload_token: str):
    return client.post("/contributors/import/confirm", data={
        "csrf_token": csrf_token(client, "/contributors/import"), "upload": upload_token})


def count(db, model=Contributor) -> int:
    db.expire_all()
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def audit(db, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)))


def text_of(response) -> str:
    """The page's words, without tags, spaces collapsed."""
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


MIXED = "\n".join([
    HEADER,
    "Ruth Okafor,ruth@example.org,active,,Carer; former patient,picu,Interview panels,online,"
    "Monday morning,Cal Coordinator",                                   # row 2: fine
    ",not-an-email,retired,,Alien,Moon base,Juggling,teleport,Someday,Nobody",  # row 3
    "Sam Patel,ruth@example.org,paused,2001-01-01,,,,,,",               # row 4: dup, past date
    "Ade Mensah,ade@example.org,paused,2099-05-01,Family member,Eating disorder services,"
    "writing,In person only,Tuesday evening; Friday morning,cal@example.org",  # row 5: fine
])


# --- import: checking --------------------------------------------------------


def test_bad_rows_import_nothing_and_each_row_and_field_is_reported(coordinator_client,
                                                                    db) -> None:
    response = upload(coordinator_client, MIXED)
    assert response.status_code == 400
    assert count(db) == 0
    page = text_of(response)
    assert "There is a problem with your file" in page
    assert "2 of 4 rows have problems. Nothing has been imported yet." in page
    for expected in [
        "Row 3, Full name: Enter a full name",
        "Row 3, Email: Enter an email address in the correct format",
        "Row 3, Status: Status must be active, paused or left",
        "Row 3, Lived experience: ‘Alien’ is not a kind of lived experience",
        "Row 3, Services known: ‘Moon base’ is not on the list of services",
        "Row 3, Skills: ‘Juggling’ is not on the list of skills",
        "Row 3, Attendance mode: Attendance mode must be online, in person or either",
    ]:
        assert expected in page, expected
    # Beyond the first ten in the summary, every problem is in the table.
    for row, column, message in [
        ("3", "Availability", "‘Someday’ is not a day and a time of day"),
        ("3", "Key contact", "No coordinator is called ‘Nobody’"),
        ("4", "Email", "The same email address is on row 2"),
        ("4", "Paused until", "The return date must be in the future"),
    ]:
        assert any(r[:2] == [row, column] and r[2].startswith(message)
                   for r in table_rows(response.get_data(as_text=True))), (row, column)
    assert "Rows 3 and 4 will be skipped" in page
    assert "Import only the 2 valid rows" in page


def check_one(db, row: str, header: str = HEADER) -> imports.CheckedFile:
    return imports.check(db, f"{header}\n{row}\n", today=dt.date(2026, 6, 1))


@pytest.mark.parametrize(("row", "column", "message"), [
    ("Pat,,,,,,,,,", None, None),
    ("Pat,pat@example,,,,,,,,", "Email", "Enter an email address in the correct format"),
    ("Pat,,Gone,,,,,,,", "Status", "Status must be active, paused or left"),
    ("Pat,,LEFT,,,,,,,", None, None),
    ("Pat,,active,2026-07-01,,,,,,", "Paused until", "Only paused contributors have a return"),
    ("Pat,,paused,31/12/2026,,,,,,", None, None),
    ("Pat,,paused,tomorrow,,,,,,", "Paused until", "Enter the return date as a real date"),
    ("Pat,,,,CARER;Patient now,,,,,", None, None),
    ("Pat,,,,carer,,,,,", None, None),
    ("Pat,,,,carer,,,,,", None, None),
    ("Pat,,,,\"carer, patient\",,,,,", "Lived experience", "Separate several with a semicolon"),
    ("Pat,,,,,PSYCHIATRIC INTENSIVE CARE UNIT (PICU);older_adults,,,,", None, None),
    ("Pat,,,,,ward 7,,,,", "Services known", "‘ward 7’ is not on the list of services"),
    ("Pat,,,,,,interview panels; MENTORING,,,", None, None),
    ("Pat,,,,,,knitting,,,", "Skills", "‘knitting’ is not on the list of skills"),
    ("Pat,,,,,,,Online or in person,,", None, None),
    ("Pat,,,,,,,in_person,,", None, None),
    ("Pat,,,,,,,sometimes,,", "Attendance mode", "must be online, in person or either"),
    ("Pat,,,,,,,,monday Evening;sunday_morning,", None, None),
    ("Pat,,,,,,,,weekends,", "Availability", "is not a day and a time of day"),
    ("Pat,,,,,,,,,Someone Else", "Key contact", "No coordinator is called"),
    ("Pat,,,,,,,,,nobody@example.org", "Key contact", "No coordinator has this email address"),
    ("x" * 201 + ",,,,,,,,,", "Full name", "Full name must be 200 characters or fewer"),
])
def test_each_rule(db, row, column, message) -> None:
    checked = check_one(db, row)
    if column is None:
        assert checked.errors == [] and len(checked.valid) == 1
    else:
        assert [e.column for e in checked.errors] == [column]
        assert message in checked.errors[0].message
        assert checked.errors[0].row == 2
        assert checked.valid == []


def test_duplicate_emails_within_the_file_and_against_records(db) -> None:
    make_contributor(db, full_name="Already Here", email="here@example.org")
    checked = imports.check(db, "\n".join([
        "full_name,EMAIL",
        "One,one@example.org",
        "Two,ONE@example.org",
        "Three,Here@Example.org",
        "Four,one@example.org",
    ]))
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (3, "Email", "The same email address is on row 2"),
        (4, "Email", "Someone in the involvement bank already has this email address"),
        (5, "Email", "The same email address is on row 2"),
    ]
    assert [v.row for v in checked.valid] == [2]


def test_blank_rows_are_skipped_and_common_spellings_of_headings_accepted(db) -> None:
    checked = imports.check(db, "Full name,E-mail address,phone_number\n"
                                     "Pat,pat@example.org,0113\n,,\nLee,lee@example.org,\n")
    assert checked.total == 2 and [v.row for v in checked.valid] == [2, 4]
    assert checked.errors == []


def test_a_field_holding_a_line_break_is_refused(db) -> None:
    """A closed quote can still hide a merged row: a name across two lines."""
    checked = imports.check(db, 'Full name,Email\n"Ann\nLee",ann@example.org\nBo,\n')
    assert [(e.row, e.column) for e in checked.errors] == [(2, "Full name")]
    assert "must be on one line" in checked.errors[0].message
    assert [v.row for v in checked.valid] == [3]


@pytest.mark.parametrize(("text", "message"), [
    ("", "The selected file is empty"),
    ("Name only\nPat\n", "must have a ‘Full name’ column"),
    ("Full name,Email,Full name\nPat,,\n", "The column ‘Full name’ appears twice"),
    ("Full name\n", "no rows of contributors"),
    ("Full name\n" + "Pat\n" * (imports.MAX_ROWS + 1), "Import at most"),
    # Data in a column we do not know would be lost without a word.
    ("Full name,E-mail adress\nPat,pat@example.org\n",
     "The column ‘E-mail adress’ is not one the involvement bank knows"),
    ("Ref,Full name,Shoe size\n1,Pat,9\n", "The columns ‘Ref’, ‘Shoe size’ are not one"),
    # A quote never closed would make the rest of the file one cell.
    ('Full name,Email\nBo,bo@example.org\n"Ann,ann@example.org\nLee,lee@example.org\n',
     "the row on line 3 has a quote mark (&#34;) that is never closed"),
])
def test_file_problems(coordinator_client, db, text, message) -> None:
    response = upload(coordinator_client, text)
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert count(db) == 0


def test_no_file_and_not_a_csv(coordinator_client) -> None:
    token = csrf_token(coordinator_client, "/contributors/import")
    response = coordinator_client.post("/contributors/import", data={"csrf_token": token},
                                       content_type="multipart/form-data")
    assert response.status_code == 400 and "Select a CSV file" in text_of(response)
    xlsx = io.BytesIO()
    openpyxl.Workbook().save(xlsx)
    response = coordinator_client.post("/contributors/import", data={
        "csrf_token": token, "file": (io.BytesIO(xlsx.getvalue()), "people.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "must be a CSV" in text_of(response)


def test_windows_1252_file_is_read(coordinator_client, db) -> None:
    token = csrf_token(coordinator_client, "/contributors/import")
    data = "Full name\nZoë Brontë\n".encode("cp1252")
    response = coordinator_client.post("/contributors/import", data={
        "csrf_token": token, "file": (io.BytesIO(data), "people.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.scalars(select(Contributor.full_name)).one() == "Zoë Brontë"


# --- import: importing -------------------------------------------------------


def test_all_valid_file_imports_every_row_with_audit(coordinator_client, db,
                                                     coordinator) -> None:
    text = "\n".join([
        "Full name,Preferred name,Pronouns,Email,Phone,Postcode area,Status,Paused until,"
        "Lived experience,Services known,Skills,Attendance mode,Availability,Key contact",
        "Ruth Okafor,Ruthie,she/her,Ruth@Example.org,07700 900123,ls6,Active,,"
        "Carer;Former patient,picu;Eating disorder services,Interview panels;writing,online,"
        "Monday morning;Friday evening,Cal Coordinator",
        "Sam Patel,,,,,,paused,2099-01-31,patient_now,,,,,",
        "Lee Wong,,,,,,left,,,,,,,",
    ])
    text = text.replace("patient_now", "Patient now")
    response = upload(coordinator_client, text)
    assert response.status_code == 302
    assert re.search(r"/contributors/imports/\d+$", response.headers["Location"])
    landing = text_of(coordinator_client.get(response.headers["Location"]))
    assert "3 contributors imported." in landing and "Ruth Okafor" in landing

    db.expire_all()
    people = {c.full_name: c for c in db.scalars(select(Contributor))}
    assert set(people) == {"Ruth Okafor", "Sam Patel", "Lee Wong"}
    ruth = people["Ruth Okafor"]
    assert (ruth.preferred_name, ruth.pronouns, ruth.email, ruth.phone, ruth.postcode_area) == (
        "Ruthie", "she/her", "ruth@example.org", "07700 900123", "LS6")
    assert sorted(e.kind for e in ruth.experiences) == ["carer", "patient_former"]
    assert sorted(s.code for s in ruth.service_kinds) == ["eating_disorders", "picu"]
    assert sorted(s.code for s in ruth.skills) == ["interview_panels", "writing"]
    assert sorted(f"{a.day} {a.part}" for a in ruth.availability) == [
        "friday evening", "monday morning"]
    assert ruth.attendance_mode == "online" and ruth.key_contact_id == coordinator.id
    assert "ruthie" in ruth.search_text
    sam = people["Sam Patel"]
    assert sam.status == "paused" and sam.paused_until == dt.date(2099, 1, 31)
    assert [e.kind for e in sam.experiences] == ["patient_current"]
    assert people["Lee Wong"].status == "left" and people["Lee Wong"].left_on == dt.date.today()

    creates = audit(db, "create")
    assert sorted(e.entity_id for e in creates if e.entity_type == "contributor") == sorted(
        c.id for c in people.values())
    updates = [e for e in audit(db, "update") if e.entity_type == "contributor"]
    assert len(updates) == 3 and all(e.summary == "section: import" for e in updates)
    ruth_update = next(e for e in updates if e.entity_id == ruth.id)
    # Special category values are never in the audit log.
    assert ruth_update.changes["experiences"]["new"] == "(changed, value not recorded)"
    assert "carer" not in str(ruth_update.changes)
    (summary,) = audit(db, "import")
    assert summary.summary == "3 rows imported from CSV, 0 rows skipped"
    assert summary.actor_id == coordinator.id


def test_import_only_the_valid_rows(coordinator_client, db) -> None:
    response = upload(coordinator_client, MIXED)
    token = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    assert count(db) == 0

    response = confirm(coordinator_client, token)
    assert response.status_code == 302
    assert "2 contributors imported. 2 rows were skipped." in text_of(
        coordinator_client.get("/contributors/"))
    db.expire_all()
    assert sorted(db.scalars(select(Contributor.full_name))) == ["Ade Mensah", "Ruth Okafor"]
    ade = db.scalars(select(Contributor).where(Contributor.full_name == "Ade Mensah")).one()
    assert ade.status == "paused" and ade.paused_until == dt.date(2099, 5, 1)
    assert ade.attendance_mode == "in_person"
    assert [s.code for s in ade.skills] == ["writing"]
    assert audit(db, "import")[0].summary == "2 rows imported from CSV, 2 rows skipped"
    assert len(audit(db, "create")) == 2


def test_a_checked_file_can_be_imported_only_once(coordinator_client, db) -> None:
    response = upload(coordinator_client, MIXED)
    token = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    assert confirm(coordinator_client, token).status_code == 302
    again = confirm(coordinator_client, token)
    assert again.status_code == 400
    # The second press is told what the first one did.
    assert "already been imported: 2 contributors imported by" in text_of(again)
    assert count(db) == 2


def test_two_presses_at_once_import_a_checked_file_once(app, db) -> None:
    """Both requests run together (two threads, as two workers would); the
    unique key on the checked file lets only one of them import. The
    second waits for the first to commit, then is told what it did."""
    coordinator = make_user(db, Role.COORDINATOR, name="Cal Coordinator")
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        log_in(client, coordinator)
    rows = "".join(f"Person {n},person{n}@example.org\n" for n in range(40))
    response = upload(clients[0], "Full name,Email\n" + rows + "No email at all,bad\n")
    token = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    forms = [{"csrf_token": csrf_token(c, "/contributors/import"), "upload": token}
             for c in clients]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def press(client, form) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        statuses.append(client.post("/contributors/import/confirm", data=form).status_code)

    threads = [threading.Thread(target=press, args=(c, f)) for c, f in zip(clients, forms,
                                                                          strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 400]
    assert count(db) == 40
    assert count(db, ImportBatch) == 1


def test_a_tampered_payload_is_refused(coordinator_client, db) -> None:
    response = upload(coordinator_client, MIXED)
    token = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    payload, _, signature = token.rpartition(".")
    # Change one character of the signed data.
    flipped = payload[:-3] + ("A" if payload[-3] != "A" else "B") + payload[-2:]
    forged = URLSafeTimedSerializer("not-the-key", salt=UPLOAD_SALT).dumps(
        {"user": 1, "csv": "Full name\nMallory\n", "skip": []})
    for bad in (f"{flipped}.{signature}", forged, "", "garbage"):
        response = confirm(coordinator_client, bad)
        assert response.status_code == 400
        assert "We could not use the checked file" in text_of(response)
    assert count(db) == 0
    refusals = audit(db, "import_refused")
    assert len(refusals) == 4  # kept although the response was an error


def test_a_payload_checked_for_someone_else_is_refused(coordinator_client, db) -> None:
    other = make_user(db, Role.COORDINATOR)
    token = URLSafeTimedSerializer(TEST_SECRET, salt=UPLOAD_SALT).dumps(
        {"user": other.id, "csv": "Full name\nPat\n,x\n", "skip": [3]})
    response = confirm(coordinator_client, token)
    assert response.status_code == 400
    assert count(db) == 0


def test_confirming_after_records_changed_shows_the_report_again(coordinator_client,
                                                                 db) -> None:
    response = upload(coordinator_client, MIXED)
    token = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    make_contributor(db, full_name="Someone Else", email="ade@example.org")
    response = confirm(coordinator_client, token)
    assert response.status_code == 400
    page = text_of(response)
    assert "Something changed since you checked the file" in page
    assert ["5", "Email", "Someone in the involvement bank already has this email address"] in (
        table_rows(response.get_data(as_text=True)))
    assert count(db) == 1


def test_a_large_confirmation_form_is_accepted(coordinator_client, db) -> None:
    """The signed file can be larger than the 500 kB Werkzeug allows a field of a
    multipart form: the confirmation form is URL-encoded, where it does not apply."""
    response = confirm(coordinator_client, "x" * 600_000)
    assert response.status_code == 400
    assert "We could not use the checked file" in text_of(response)


def test_template_downloads_and_imports_once_filled(coordinator_client, db) -> None:
    response = coordinator_client.get("/contributors/import/template.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    header = next(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert header == [c.header for c in imports.IMPORT_COLUMNS]
    filled = response.get_data().decode("utf-8-sig") + "Pat Lee" + "," * (len(header) - 1)
    assert upload(coordinator_client, filled).status_code == 302
    assert count(db) == 1


def test_import_page_shows_template_link_and_upload_form(coordinator_client) -> None:
    html = coordinator_client.get("/contributors/import").get_data(as_text=True)
    assert 'href="/contributors/import/template.csv"' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert 'name="csrf_token"' in html


def test_row_ranges() -> None:
    assert row_ranges([7]) == "7"
    assert row_ranges([3, 4]) == "3 and 4"
    assert row_ranges([4, 9, 12, 13, 14, 20]) == "4, 9, 12 to 14 and 20"


# --- export --------------------------------------------------------------------


@pytest.fixture
def people(db, coordinator):
    carer = make_contributor(db, full_name="Carer Person", email="carer@example.org",
                             phone="07700 900001", postcode_area="LS6", pronouns="she/her",
                             attendance_mode="online", key_contact=coordinator,
                             what_i_bring="A private story about my health")
    db.add_all([LivedExperience(kind="carer", contributor=carer),
                LivedExperience(kind="patient_former", contributor=carer),
                ServiceKnown(code="picu", contributor=carer),
                Skill(code="interview_panels", contributor=carer),
                Skill(label="Gardening", contributor=carer),
                Consent(kind="contact", is_given=True, recorded_on=dt.date(2025, 1, 1),
                        method="paper", contributor=carer)])
    paused = make_contributor(db, full_name="Paused Person", status="paused",
                              paused_until=dt.date(2099, 1, 1))
    db.add(LivedExperience(kind="family_member", contributor=paused))
    from crm.db import utcnow

    make_contributor(db, full_name="Removed Person", anonymised_at=utcnow())
    db.commit()
    return {"carer": carer, "paused": paused}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_export_csv_has_the_filtered_rows_only(coordinator_client, people, db) -> None:
    response = coordinator_client.get("/contributors/export.csv?experience=carer")
    assert re.fullmatch(r'attachment; filename=contributors-\d{4}-\d{2}-\d{2}\.csv',
                        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert rows[0] == list(exports.EXPORT_HEADERS)
    assert rows[1:] == [[
        str(people["carer"].id), "Carer Person", "", "she/her", "carer@example.org",
        "07700 900001", "LS6", "Active", "", "Interview panels",
        "Online only", "", "", "Cal Coordinator", "Yes"]]
    text = response.get_data(as_text=True)
    # No special category data in an export of individuals (domain rules 6):
    # not their lived experience, services known, or skills in their own words.
    assert "private story" not in text
    for sensitive in ("Carer", "Former patient", "PICU", "Gardening"):
        assert sensitive not in text.replace("Carer Person", "").replace("carer@", ""), sensitive

    everyone = read_csv(coordinator_client.get("/contributors/export.csv"))
    assert [r[1] for r in everyone[1:]] == ["Carer Person", "Paused Person"]  # not anonymised
    assert everyone[2][7:9] == ["Paused", "2099-01-01"]


def test_export_xlsx_has_the_filtered_rows_only(coordinator_client, people) -> None:
    response = coordinator_client.get("/contributors/export.xlsx?status=paused")
    assert response.headers["Content-Type"] == spreadsheets_mimetype()
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    rows = read_xlsx(response)
    assert rows[0] == list(exports.EXPORT_HEADERS)
    assert len(rows) == 2
    assert rows[1][:2] == [people["paused"].id, "Paused Person"]
    assert rows[1][7] == "Paused" and rows[1][8].date() == dt.date(2099, 1, 1)
    assert "Family member" not in [str(cell) for cell in rows[1]]


def test_the_xlsx_export_opens_whatever_characters_a_name_holds(coordinator_client,
                                                                 db) -> None:
    """A name stored with a character XML cannot hold (from an import, or
    from before forms refused them) is dropped from the cell, not the file."""
    make_contributor(db, full_name="Ada \ufffe Alpha\x07", email=None)
    rows = read_xlsx(coordinator_client.get("/contributors/export.xlsx"))
    assert rows[1][1] == "Ada  Alpha"


def spreadsheets_mimetype() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("dangerous", [
    "=HYPERLINK(\"http://example.org\",\"x\")", "+44 7700 900000", "-2+3", "@SUM(1+1)",
    "\tTabbed", "\rReturn",
])
def test_export_neutralises_formula_cells(coordinator_client, db, dangerous) -> None:
    person = make_contributor(db, full_name=dangerous, phone=dangerous, email=None)
    db.add(Consent(kind="contact", is_given=True, recorded_on=dt.date(2025, 1, 1),
                   method="paper", contributor=person))
    db.commit()
    csv_row = read_csv(coordinator_client.get("/contributors/export.csv"))[1]
    assert csv_row[1] == "'" + dangerous and csv_row[5] == "'" + dangerous
    sheet = openpyxl.load_workbook(io.BytesIO(
        coordinator_client.get("/contributors/export.xlsx").get_data())).active
    for cell in (sheet["B2"], sheet["F2"]):
        assert cell.data_type == "s"  # text, never a formula
        # (XML reads a carriage return back as a line feed.)
        assert cell.value == "'" + dangerous.replace("\r", "\n")


def test_safe_cells_are_unchanged(coordinator_client, db) -> None:
    make_contributor(db, full_name="Ann O'Neil-Smith = fine", email=None)
    assert read_csv(coordinator_client.get("/contributors/export.csv"))[1][1] == (
        "Ann O'Neil-Smith = fine")


def test_exported_file_can_be_imported_again(coordinator_client, db, people) -> None:
    exported = coordinator_client.get("/contributors/export.csv?experience=carer").get_data()
    text = exported.decode("utf-8-sig").replace("carer@example.org", "new@example.org")
    text = text.replace("07700 900001", "+44 7700 900001")
    text = text.replace("Carer Person", "Carer Person Again")
    # Exported as "'+44 ...", read back without the quote.
    assert upload(coordinator_client, text.replace(",+44", ",'+44")).status_code == 302
    again = db.scalars(select(Contributor).where(
        Contributor.full_name == "Carer Person Again")).one()
    assert again.phone == "+44 7700 900001"
    assert [s.code for s in again.skills] == ["interview_panels"]


def test_export_is_audited_without_personal_data(coordinator_client, db, people,
                                                 coordinator) -> None:
    coordinator_client.get("/contributors/export.xlsx")
    # The name search is kept in the session, never in the URL; the export uses it.
    coordinator_client.post("/contributors/search", data={
        "q": "Carer Pers", "csrf_token": csrf_token(coordinator_client, "/contributors/")})
    rows = read_csv(coordinator_client.get("/contributors/export.csv?experience=carer"))
    assert [r[1] for r in rows[1:]] == ["Carer Person"]
    events = audit(db, "export")
    first, second = [e for e in events if e.entity_id is None]
    assert first.summary == "2 rows as XLSX, filters: none"
    assert first.actor_id == coordinator.id and first.entity_type == "contributor"
    assert second.summary == "1 rows as CSV, filters: name or email search, experience=carer"
    assert "Carer Pers" not in second.summary
    # And once per person exported, so "who has looked at my record" shows it.
    carer = db.scalars(select(Contributor).where(Contributor.full_name == "Carer Person")).one()
    paused = db.scalars(select(Contributor).where(Contributor.full_name == "Paused Person")).one()
    per_person = sorted((e.entity_id, e.summary) for e in events if e.entity_id is not None)
    assert per_person == sorted([(carer.id, "included in a XLSX export"),
                                 (paused.id, "included in a XLSX export"),
                                 (carer.id, "included in a CSV export")])
    assert all(e.actor_id == coordinator.id for e in events)


def test_export_reads_in_batches(db, people) -> None:
    from crm.contributors.queries import ContributorFilters, filtered

    for n in range(5):
        make_contributor(db, full_name=f"Batch {n}")
    rows = list(exports.export_rows(db, filtered(ContributorFilters()), batch_size=2))
    assert [r[1] for r in rows] == ["Batch 0", "Batch 1", "Batch 2", "Batch 3", "Batch 4",
                                    "Carer Person", "Paused Person"]
    assert rows[5][9] == "Interview panels"


# --- who may --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FINANCE, Role.REPORT_VIEWER,
                                  Role.CONTRIBUTOR])
def test_roles_without_the_permissions_are_refused(client, db, role) -> None:
    make_contributor(db, full_name="Someone")
    sign_in(client, make_user(db, role))
    token = csrf_token(client, "/")
    for path in ("/contributors/export.csv", "/contributors/export.xlsx",
                 "/contributors/import", "/contributors/import/template.csv"):
        assert client.get(path).status_code == 403, path
    response = client.post("/contributors/import", data={
        "csrf_token": token, "file": (io.BytesIO(b"Full name\nPat\n"), "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.post("/contributors/import/confirm",
                       data={"csrf_token": token, "upload": "x"}).status_code == 403
    assert count(db) == 1
    assert audit(db, "export") == []


def test_export_csv_names_its_charset_once(coordinator_client, people) -> None:
    response = coordinator_client.get("/contributors/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_people_who_may_not_be_contacted_are_marked_and_their_contact_details_left_out(
        coordinator_client, db, people) -> None:
    """The paused person has no consent recorded (as after an import)."""
    quiet = make_contributor(db, full_name="Quiet Person", email="quiet@example.org",
                             phone="07700 900009")
    db.add(Consent(kind="contact", is_given=False, recorded_on=dt.date(2025, 1, 1),
                   method="paper", withdrawn_on=dt.date(2025, 6, 1), contributor=quiet))
    db.commit()
    rows = read_csv(coordinator_client.get("/contributors/export.csv"))
    header, body = rows[0], {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[-1] == "May be contacted"
    assert body["Carer Person"]["May be contacted"] == "Yes"
    assert body["Carer Person"]["Email"] == "carer@example.org"
    for name in ("Paused Person", "Quiet Person"):
        assert body[name]["May be contacted"] == "No: do not contact"
        assert body[name]["Email"] == "" and body[name]["Phone"] == ""


def test_template_has_one_marked_example_row_that_is_never_imported(db) -> None:
    from crm.contributors import imports

    rows = list(csv.reader(io.StringIO(imports.template_csv())))
    assert len(rows) == 2 and "EXAMPLE ROW" in ",".join(rows[1])
    with pytest.raises(imports.FileProblem):
        imports.check(db, imports.template_csv())  # no rows of people: nothing imported
    real = {"full_name": "Real Person", "email": "real@example.org"}
    line = ",".join(real.get(c.key, "") for c in imports.IMPORT_COLUMNS)
    checked = imports.check(db, imports.template_csv() + line + "\n")
    assert checked.total == 1


def test_the_export_has_current_training_and_no_special_category_columns(
        coordinator_client, db) -> None:
    """Training is filtered on and exported (expired courses left out);
    lived experience, services known and adjustments are filtered on screen
    but never exported (domain rules 6)."""
    from tests.factories import adjustment, training

    make_contributor(db, full_name="Trained Person", training=[
        training("safeguarding", dt.date.today() - dt.timedelta(days=30)),
        training("information_governance", dt.date(2001, 1, 1))],
        adjustments=[adjustment("bsl_interpreter")])
    rows = read_csv(coordinator_client.get("/contributors/export.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    courses = {c.code: c for c in reference().training.items}
    assert row["Current training"] == courses["safeguarding"].label
    for header in ("Lived experience", "Services known", "Adjustments"):
        assert header not in rows[0]
    assert "BSL" not in ",".join(rows[1])


def quiet_person(db):  # type: ignore[no-untyped-def]
    from tests.factories import consent

    return make_contributor(db, full_name="Quiet Person", email="quiet@example.org",
                            phone="07700 900009", consents=[consent(
                                "contact", given=False, withdrawn_on=dt.date(2025, 6, 1))])


def test_contact_details_of_people_who_may_not_be_contacted_need_a_reason(
        coordinator_client, db) -> None:
    quiet = quiet_person(db)
    page = coordinator_client.get("/contributors/export/contact-details?status=active")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<strong>1 person</strong>" in html
    token = csrf_token(coordinator_client, "/contributors/export/contact-details")

    refused = coordinator_client.post("/contributors/export/contact-details?status=active",
                                      data={"csrf_token": token, "file_format": "csv",
                                            "reason": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "nhsuk-error-summary" in html
    assert "Say why you need the contact details" in html
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export_contact_override")) == 0

    reason = "Returning a coat left at the ward meeting"
    sent = coordinator_client.post("/contributors/export/contact-details?status=active",
                                   data={"csrf_token": token, "file_format": "csv",
                                         "reason": reason})
    rows = read_csv(sent)
    row = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}["Quiet Person"]
    assert row["Email"] == "quiet@example.org" and row["Phone"] == "07700 900009"
    assert row["May be contacted"] == "No: do not contact"  # still marked
    db.expire_all()
    [event] = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "export_contact_override")).all()
    assert reason in (event.summary or "") and "status=active" in (event.summary or "")
    assert "quiet@example.org" not in (event.summary or "")
    mine = db.scalars(select(AuditEvent).where(AuditEvent.entity_id == quiet.id,
                                               AuditEvent.action == "export")).all()
    assert [e.summary for e in mine] == ["included in a CSV export with contact details"]


def test_the_contact_details_override_cannot_be_used_by_a_get(coordinator_client, db) -> None:
    quiet_person(db)
    response = coordinator_client.get("/contributors/export/contact-details",
                                      query_string={"reason": "A reason in the address",
                                                    "file_format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/html"


def test_the_import_page_lists_only_the_people_that_import_added(coordinator_client, db
                                                                 ) -> None:
    from crm.db import utcnow
    from tests.factories import make_import_batch

    mine = [make_contributor(db, full_name="Ina Imported"),
            make_contributor(db, full_name="Gone Person", anonymised_at=utcnow())]
    make_contributor(db, full_name="Other Person")
    batch = make_import_batch(db, None, mine)
    html = text_of(coordinator_client.get(f"/contributors/imports/{batch.id}"))
    assert "Ina Imported" in html
    assert "Other Person" not in html and "Gone Person" not in html
    assert coordinator_client.get(f"/contributors/imports/{batch.id + 1}").status_code == 404
