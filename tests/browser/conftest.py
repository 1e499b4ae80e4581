"""Browser tests: pytest-playwright driving the system Chromium against the
app served on 127.0.0.1 (see tests/browser/harness.py for the checks made
on every page).

Without Chromium the tests are skipped, with the reason shown; with
CRM_REQUIRE_BROWSER=1 (as in CI) they fail instead. CRM_CHROMIUM_PATH
points at another Chromium (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext

from tests.browser.harness import Monitor, serve

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CRM_CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRED = os.environ.get("CRM_REQUIRE_BROWSER") == "1"

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright waits up to 30 seconds by default; our pages answer in well under one.
TIMEOUT_MS = 10_000


def chromium_problem() -> str | None:
    """Why Chromium cannot be used, or None."""
    path = Path(CHROMIUM)
    if not path.is_file():
        return f"Chromium not found at {CHROMIUM}"
    if not os.access(path, os.X_OK):
        return f"Chromium at {CHROMIUM} is not executable"
    return None


def _is_browser_test(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = chromium_problem()
    for item in items:
        if not _is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        if problem and not REQUIRED:
            item.add_marker(pytest.mark.skip(
                reason=f"browser test skipped: {problem} "
                       "(set CRM_CHROMIUM_PATH, or CRM_REQUIRE_BROWSER=1 to fail instead)"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture, so the failure is this message and not a launch error.
    if REQUIRED and _is_browser_test(item):
        problem = chromium_problem()
        if problem:
            pytest.fail(f"{problem}, and CRM_REQUIRE_BROWSER=1 says the browser tests "
                        "must run. Install Chromium or set CRM_CHROMIUM_PATH.", pytrace=False)


# -- pytest-playwright settings ----------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # The system Chromium: Playwright's own browser download is not reachable.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The session's app on 127.0.0.1, on a free port. It shares the test
    database, so data committed by a test (tests/factories.py) is visible."""
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright gives contexts this base URL: page.goto("/sign-in")."""
    return live_server


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], browser: Browser,
                browser_context_args: dict[str, Any],
                request: pytest.FixtureRequest) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's new_context, with every page of every context
    watched (tests/browser/harness.py). The ``context`` and ``page``
    fixtures are built on this, so they are watched too."""
    monitor = Monitor(browser, {**browser_context_args})
    marker = request.node.get_closest_marker("browser_context_args")
    marker_args = marker.kwargs if marker else {}

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        js_enabled = kwargs.get("java_script_enabled",
                                marker_args.get("java_script_enabled", True))
        context.on("page", lambda page: monitor.watch(page, js_enabled))
        original_new_page = context.new_page

        def new_page(*args: Any, **kw: Any):  # type: ignore[no-untyped-def]
            page = original_new_page(*args, **kw)
            monitor.watch(page, js_enabled)
            return page

        context.new_page = new_page  # type: ignore[method-assign]
        return context

    yield make
    leftovers = monitor.leftovers()
    monitor.close()
    rep_call = getattr(request.node, "rep_call", None)
    if leftovers and not (rep_call is not None and rep_call.failed):
        pytest.fail("At the end of the test:\n" + "\n".join(f"- {p}" for p in leftovers),
                    pytrace=False)
