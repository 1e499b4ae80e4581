"""A coordinator in a real browser: import contributors from a CSV with some
bad rows, read the report, import only the valid rows; download the list.
Every page is checked with axe-core by the harness (tests/browser/harness.py)."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from crm.permissions import Role
from tests.browser.harness import check_a11y, follow, log_in, submit, visit
from tests.factories import make_contributor, make_user

CSV_WITH_PROBLEMS = "\n".join([
    "Full name,Email,Status,Lived experience,Services known,Attendance mode",
    "Ruth Okafor,ruth@example.org,active,Carer,picu,online",
    ",not-an-email,retired,Alien,Moon base,teleport",
    "Sam Patel,ruth@example.org,paused,Former patient,,",
    "Ade Mensah,ade@example.org,,Family member,Eating disorder services,In person only",
])


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return make_user(db, Role.COORDINATOR, name="Cora Ordinator")


def test_import_page_report_and_importing_the_valid_rows(page: Page, coordinator,
                                                         tmp_path) -> None:
    log_in(page, coordinator)
    visit(page, "/contributors/")
    follow(page, page.get_by_role("link", name="Import from CSV"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import contributors from CSV")
    expect(page.get_by_role("link", name="Download the import template (CSV)")).to_be_visible()

    # Nothing chosen: the NHS error summary and an inline error.
    response = submit(page, page.get_by_role("button", name="Check and import"))
    assert response.status == 400
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a CSV file")
    expect(page.locator("#file-error")).to_contain_text("Select a CSV file")

    upload = tmp_path / "people.csv"
    upload.write_text(CSV_WITH_PROBLEMS, encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(upload)
    response = submit(page, page.get_by_role("button", name="Check and import"))
    assert response.status == 400
    expect(page).to_have_title("Error: There is a problem with your file – Involvement bank")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("2 of 4 rows have problems. Nothing has been imported yet.")
    expect(summary.get_by_role("link", name="Row 3, Full name: Enter a full name")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("The same email address is on row 2")
    expect(page.get_by_text("Rows 3 and 4 will be skipped")).to_be_visible()

    # The error summary links go to the problem in the table.
    follow_link = summary.get_by_role("link", name="Row 3, Status: Status must be active, "
                                                   "paused or left")
    follow_link.click()
    assert page.url.endswith("#problem-3")
    check_a11y(page)

    submit(page, page.get_by_role("button", name="Import only the 2 valid rows"))
    expect(page.get_by_text("2 contributors imported. 2 rows were skipped.")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Ruth Okafor")
    expect(table).to_contain_text("Ade Mensah")
    expect(table).not_to_contain_text("Sam Patel")


def test_import_pages_without_javascript(new_context, coordinator, tmp_path) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, coordinator)
    visit(page, "/contributors/import")
    upload = tmp_path / "people.csv"
    upload.write_text(CSV_WITH_PROBLEMS, encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(upload)
    response = submit(page, page.get_by_role("button", name="Check and import"))
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Fix the problems in your file")


def test_download_the_filtered_list(page: Page, db, coordinator) -> None:
    make_contributor(db, full_name="=Formula Person", status="active")
    make_contributor(db, full_name="Left Person", status="left")
    log_in(page, coordinator)
    visit(page, "/contributors/?status=active")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("contributors-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.reader(io.StringIO(fh.read())))
    assert [r[1] for r in rows[1:]] == ["'=Formula Person"]
