"""The harness itself: each check it promises must really fail a test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.harness import check_a11y, visit


def test_an_accessibility_violation_is_reported_readably(page: Page) -> None:
    visit(page, "/sign-in")
    page.evaluate("""() => {
        const img = document.createElement("img");
        img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
        img.id = "no-alt";
        document.querySelector("main").append(img);
    }""")

    with pytest.raises(AssertionError) as failure:
        check_a11y(page)

    message = str(failure.value)
    assert "accessibility violation" in message
    assert "image-alt [critical]" in message
    assert "Images must have alternative text" in message
    assert "at #no-alt" in message


def test_a_violation_is_found_without_javascript_too(new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    visit(page, "/sign-in")
    page.evaluate("""() => document.querySelector("label[for=email]").remove()""")

    with pytest.raises(AssertionError, match=r"label \[critical\]"):
        check_a11y(page)


def test_sideways_scrolling_at_320_px_is_reported(page: Page) -> None:
    visit(page, "/sign-in")
    page.evaluate("""() => {
        const wide = document.createElement("p");
        wide.id = "too-wide";
        wide.style.width = "600px";
        wide.textContent = "wide";
        document.querySelector("main").append(wide);
    }""")

    with pytest.raises(AssertionError) as failure:
        check_a11y(page)

    message = str(failure.value)
    assert "scrolls sideways at 320 px wide (WCAG 1.4.10 Reflow)" in message
    assert "p#too-wide" in message
    assert page.viewport_size and page.viewport_size["width"] > 320  # put back after


def test_a_page_checked_once_is_not_scanned_again(page: Page, monkeypatch) -> None:
    from tests.browser import harness

    runs: list[str] = []
    real_run = harness._axe.run

    def counting_run(target, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(target.url)
        return real_run(target, **kwargs)

    monkeypatch.setattr(harness._axe, "run", counting_run)
    # A record of its own: the run's shared one may hold these pages already
    # (the SQLite run passed them before the PostgreSQL run).
    monkeypatch.setattr(harness, "_CHECKED", harness.CheckedDocuments(None))
    visit(page, "/sign-in")
    first = len(runs)
    assert first == 1
    visit(page, "/sign-in")  # the same document again (only the form token differs)
    assert len(runs) == first
    page.evaluate("() => document.querySelector('h1').textContent = 'Changed'")
    check_a11y(page)  # a different document is scanned
    assert len(runs) == first + 1


def test_a_request_to_another_host_is_reported(page: Page) -> None:
    # Answered here, so nothing leaves the machine.
    page.route("http://elsewhere.invalid/**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!DOCTYPE html><html lang=en><title>Elsewhere</title><main><h1>Hi</h1></main>"))
    page.goto("http://elsewhere.invalid/page")

    with pytest.raises(AssertionError, match=r"request to another host: GET "
                                             r"http://elsewhere.invalid/page"):
        check_a11y(page)


def test_a_content_security_policy_violation_is_reported(page: Page) -> None:
    visit(page, "/sign-in")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inline = true";
        document.body.append(script);
    }""")

    with pytest.raises(AssertionError, match=r"console error: .*Content Security Policy"):
        check_a11y(page)


def test_a_missing_image_is_reported_but_an_error_page_is_not(page: Page) -> None:
    response = visit(page, "/no-such-page")  # a 404 page on purpose: that is fine
    assert response.status == 404
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate("""() => {
            const img = document.createElement("img");
            img.src = "/static/no-such-image.png";
            img.alt = "";
            document.querySelector("main").append(img);
        }""")

    with pytest.raises(AssertionError, match=r"console error: Failed to load resource.*404.*"
                                             r"/static/no-such-image.png"):
        check_a11y(page)


def test_a_page_left_unchecked_is_reported(page: Page) -> None:
    page.goto("/sign-in")
    page.goto("/accessibility")

    with pytest.raises(AssertionError,
                       match=r"page loaded but never checked with axe: http://\S+/sign-in"):
        check_a11y(page)  # checks /accessibility, and reports /sign-in


def test_a_page_still_unchecked_at_the_end_is_reported(page: Page) -> None:
    from tests.browser.harness import _WATCHES

    page.goto("/privacy")

    # What the new_context fixture fails the test with at teardown.
    assert [p for p in _WATCHES[page].leftovers() if p.endswith("/privacy")] == [
        f"page loaded but never checked with axe: {page.url}"]
    check_a11y(page)
    assert _WATCHES[page].leftovers() == []


def test_a_page_another_worker_or_run_passed_is_not_scanned_again(
        page: Page, monkeypatch, tmp_path) -> None:
    from tests.browser import harness

    record = tmp_path / "checked"
    runs: list[str] = []
    real_run = harness._axe.run

    def counting_run(target, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(target.url)
        return real_run(target, **kwargs)

    monkeypatch.setattr(harness._axe, "run", counting_run)
    first_worker = harness.CheckedDocuments(str(record))
    monkeypatch.setattr(harness, "_CHECKED", first_worker)
    page.goto("/sign-in")
    page.evaluate("() => document.querySelector('h1').textContent = 'Only in this test'")
    check_a11y(page)
    assert len(runs) == 1 and record.read_text().count("\n") == 1

    # Another worker (or the PostgreSQL run) reads the same record.
    monkeypatch.setattr(harness, "_CHECKED", harness.CheckedDocuments(str(record)))
    page.goto("/sign-in")
    page.evaluate("() => document.querySelector('h1').textContent = 'Only in this test'")
    check_a11y(page)
    assert len(runs) == 1
    page.evaluate("() => document.querySelector('h1').textContent = 'Something else'")
    check_a11y(page)
    assert len(runs) == 2
