"""A coordinator's search stays: filters kept when going back from a record,
each applied filter removable, and on a phone the results come first with
the filters behind a "Filter" control (no JavaScript needed). Every page is
checked with axe-core and for reflow by the harness."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from crm.contributors.models import ServiceKnown
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_contributor, make_user


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    user = make_user(db, Role.COORDINATOR, name="Cora Ordinator")
    picu = make_contributor(db, full_name="Ruth Okafor", status="active",
                            attendance_mode="online")
    crisis = make_contributor(db, full_name="Ade Mensah", status="active",
                              attendance_mode="in_person")
    db.add_all([ServiceKnown(code="picu", contributor=picu),
                ServiceKnown(code="crisis_home_treatment", contributor=crisis)])
    make_contributor(db, full_name="Sam Patel", status="paused")
    db.commit()
    return user


def test_filters_kept_going_back_and_each_removable(page: Page, coordinator) -> None:
    log_in(page, coordinator)
    visit(page, "/contributors/")
    page.locator("input[name=status][value=active]").check()
    page.locator("input[name=service_kind][value=picu]").check()
    page.locator("input[name=service_kind][value=crisis_home_treatment]").check()
    page.locator("input[name=attendance][value=online]").check()
    submit(page, page.get_by_role("button", name="Apply filters"))
    results = page.get_by_role("table")
    expect(results).to_contain_text("Ruth Okafor")
    expect(results).not_to_contain_text("Ade Mensah")  # not online
    expect(results).not_to_contain_text("Sam Patel")
    # The columns that matter for these filters.
    expect(results.get_by_role("columnheader", name="Services they know")).to_be_visible()
    expect(results.get_by_role("columnheader", name="Can take part")).to_be_visible()
    applied = page.locator(".app-applied-filters")
    expect(applied).to_contain_text("Can take part: Online")
    expect(applied).to_contain_text("any of those options")

    # Open a record and go back: the same filters.
    filtered_url = page.url
    follow(page, page.get_by_role("link", name="Ruth Okafor"))
    follow(page, page.get_by_role("link", name="Back to contributors"))
    assert page.url == filtered_url
    expect(page.locator("input[name=service_kind][value=picu]")).to_be_checked()

    # Remove one filter with its link: the others stay.
    follow(page, applied.get_by_role("link", name="Remove filter Can take part: Online"))
    applied = page.locator(".app-applied-filters")
    expect(applied).not_to_contain_text("Can take part")
    expect(applied).to_contain_text("Status: Active")
    expect(page.get_by_role("table")).to_contain_text("Ade Mensah")
    assert "attendance" not in page.url and "service_kind=picu" in page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_shows_results_first(new_context, live_server, coordinator,
                                   javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context = new_context(viewport={"width": 375, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, coordinator)
    visit(page, "/contributors/?status=active")
    control = page.locator("#filters > summary")
    expect(control).to_be_visible()
    expect(control).to_contain_text("Filter (1 used)")
    # The filter form is collapsed, and the results start on the first screen.
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    expect(page.get_by_role("link", name="Ade Mensah")).to_be_visible()
    results = page.get_by_role("table").bounding_box()
    assert results is not None and results["y"] < 740, results
    form = page.locator("#filters").bounding_box()
    assert form is not None and form["height"] < 100, form
    # Opening the control shows the filters.
    control.click()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def test_wide_screen_shows_filters_without_the_control(page: Page, coordinator) -> None:
    log_in(page, coordinator)
    visit(page, "/contributors/")
    expect(page.locator("#filters > summary")).to_be_hidden()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
