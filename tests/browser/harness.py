"""The browser test harness: live servers, and a watch on every page.

Every page a browser test opens is watched (see ``PageWatch``):

* every document the page loads must be checked with axe-core (WCAG 2.2 A
  and AA) and for sideways scrolling at 320 px (WCAG 1.4.10 Reflow)
  (``check_a11y``) before the next one loads, and by the end of the test;
  the helpers ``visit``, ``submit`` and ``follow`` check after each
  navigation, so a test that uses them cannot forget. A document already
  checked in this run (the same HTML, viewport and scripting) is not
  scanned again;
* the page may not request anything from a host other than our own live
  servers;
* the browser console may not show an error (a Content-Security-Policy
  violation, a failed script or stylesheet) and no script may throw.

Any of these fails the test with a readable message.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page
from playwright.sync_api import Request as PwRequest
from playwright.sync_api import Response as PwResponse
from werkzeug.serving import make_server

from crm.accounts.models import User
from crm.web.security import CSP

STATIC = Path(__file__).resolve().parents[2] / "crm" / "static"

# WCAG 2.2 level A and AA, and the earlier versions it builds on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Only violations are read; leaving out the details of passes keeps each scan quick.
AXE_OPTIONS: dict[str, Any] = {"runOnly": {"type": "tag", "values": AXE_TAGS},
                               "resultTypes": ["violations"]}

# Chromium logs this to the console for every response with a 4xx or 5xx
# status, including the page itself. Pages answered with an error status on
# purpose (a form with errors is 400, an error page is 403/404/429/500) are
# allowed this one message for their own address; the tests assert the
# status. Any other failed load (a stylesheet, a script) still fails.
_HTTP_ERROR_LOG = "Failed to load resource: the server responded with a status of"

# Origins ("http://127.0.0.1:port") of the live servers of this run.
LIVE_ORIGINS: set[str] = set()

_axe = Axe()

# WCAG 2.2 1.4.10 Reflow: content must fit 320 CSS pixels wide without
# scrolling sideways.
REFLOW_WIDTH = 320

# The per-session form token, different on every page load, tells axe
# nothing; nor does the live server's port.
_VOLATILE = re.compile(r'(name="csrf_token" value=")[^"]*(")|( nonce=")[^"]*(")'
                       r'|(//127\.0\.0\.1:)\d+()')
# Nor do the digits of a time of day ("Made at 7:18pm" in one run, 7:20pm in
# the next): each becomes 0, so the text keeps its length and layout.
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?=am|pm)")


def _assets_digest() -> str:
    """What else a scan's result depends on: our stylesheets, scripts and
    images, the Content-Security-Policy and axe-core itself."""
    digest = hashlib.sha256(CSP.encode() + _axe.axe_script.encode())
    for path in sorted(p for p in STATIC.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def _stable(html: str) -> str:
    html = _VOLATILE.sub(r"\1\2\3\4\5\6", html)
    return _CLOCK.sub(lambda time: re.sub(r"\d", "0", time.group()), html)


class CheckedDocuments:
    """Documents that passed the checks (see PageWatch.check). axe and the
    reflow check are deterministic for the same HTML, assets, viewport and
    scripting, so each distinct page and state is checked once, however
    often tests visit it.

    With CRM_AXE_RECORD naming a file (``make test`` sets one for its SQLite
    and PostgreSQL runs together), the record is shared by every test worker
    and by both runs: a page the SQLite run passed is not scanned again when
    the PostgreSQL run shows exactly the same document. Lines are appended
    whole (O_APPEND), so workers writing at once do not mix them up."""

    def __init__(self, record: str | None) -> None:
        self._record = Path(record) if record else None
        self._known: set[str] = set()
        self._salt = _assets_digest()

    def key(self, js_enabled: bool, viewport: object, html: str) -> str:
        return hashlib.sha256(f"{self._salt}|{js_enabled}|{viewport}|".encode()
                              + _stable(html).encode()).hexdigest()

    def __contains__(self, key: str) -> bool:
        if key not in self._known and self._record is not None and self._record.exists():
            self._known.update(self._record.read_text().split())
        return key in self._known

    def add(self, key: str) -> None:
        self._known.add(key)
        if self._record is not None:
            with self._record.open("a") as record:
                record.write(key + "\n")


_CHECKED = CheckedDocuments(os.environ.get("CRM_AXE_RECORD"))

# Finds what sticks out past the right edge, for the failure message.
# It waits two animation frames first: the NHS.UK header moves links under
# "More" from a ResizeObserver callback after the viewport changes.
_OVERFLOW_JS = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const limit = root.clientWidth + 1;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > limit)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} (right edge at ${Math.round(box.right)} px)`);
    if (out.length >= 5) break;
  }
  return out.length ? out : [`the page is ${root.scrollWidth} px wide`];
}"""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The app behind each live server, by base URL (for log_in).
LIVE_APPS: dict[str, Flask] = {}


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port in a background thread.
    Yields the base URL, like http://127.0.0.1:41234."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name=f"live-server {url}",
                              daemon=True)
    thread.start()
    LIVE_ORIGINS.add(url)
    LIVE_APPS[url] = app
    try:
        yield url
    finally:
        LIVE_ORIGINS.discard(url)
        LIVE_APPS.pop(url, None)
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class PageWatch:
    """Records what one page does; see the module docstring."""

    def __init__(self, page: Page, monitor: Monitor, js_enabled: bool) -> None:
        self.page = page
        self.monitor = monitor
        self.js_enabled = js_enabled
        self.unscanned: list[str] = []   # documents loaded and not checked yet
        self.missed: list[str] = []      # documents replaced before being checked
        self.scanned: list[str] = []
        self.external: list[str] = []
        self.console_errors: list[tuple[str, str]] = []  # (text, url it is about)
        self.page_errors: list[str] = []
        self.documents: set[str] = set()  # addresses of documents the page loaded
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("load", self._on_load)

    # -- events -----------------------------------------------------------

    def _on_request(self, request: PwRequest) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if origin_of(url) not in LIVE_ORIGINS:
            self.external.append(f"{request.method} {url} ({request.resource_type})")

    def _on_response(self, response: PwResponse) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self.documents.add(response.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def _on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def _on_load(self, page: Page) -> None:
        if page.url.startswith("about:"):
            return
        self.missed.extend(self.unscanned)
        self.unscanned = [page.url]

    # -- checks -----------------------------------------------------------

    def take_problems(self) -> list[str]:
        """Everything wrong so far except accessibility, then forget it."""
        problems = [f"request to another host: {r}" for r in self.external]
        for text, url in self.console_errors:
            if text.startswith(_HTTP_ERROR_LOG) and url in self.documents:
                continue
            problems.append(f"console error: {text}" + (f" (at {url})" if url else ""))
        problems += [f"uncaught script error: {e}" for e in self.page_errors]
        problems += [f"page loaded but never checked with axe: {u}" for u in self.missed]
        self.external, self.console_errors, self.page_errors, self.missed = [], [], [], []
        return problems

    def check(self) -> None:
        """Scan the current document with axe; fail on any violation or any
        problem recorded so far."""
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        html = page.content()
        key = _CHECKED.key(self.js_enabled, page.viewport_size, html)
        messages = []
        if key not in _CHECKED:
            response, overflow = (self._scan_with_js() if self.js_enabled
                                  else self._scan_without_js(html))
            violations = response["violations"]
            if violations:
                messages.append(format_violations(url, page.title(), violations))
            if overflow:
                messages.append(f"{url} scrolls sideways at {REFLOW_WIDTH} px wide "
                                "(WCAG 1.4.10 Reflow): " + "; ".join(overflow))
            if not messages:
                _CHECKED.add(key)
        self.scanned.append(url)
        self.unscanned = []
        problems = self.take_problems()
        if problems:
            messages.append(f"Problems on {url}:\n" + "\n".join(f"- {p}" for p in problems))
        if messages:
            raise AssertionError("\n\n".join(messages))

    def _scan_with_js(self) -> tuple[dict[str, Any], list[str]]:
        response = _axe.run(self.page, options=AXE_OPTIONS).response
        return response, self._overflow(self.page)

    @staticmethod
    def _overflow(page: Page) -> list[str]:
        """What scrolls sideways at 320 px; the viewport is put back after."""
        size = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        try:
            found: list[str] = page.evaluate(_OVERFLOW_JS)
        finally:
            if size:
                page.set_viewport_size(size)
        return found

    def _scan_without_js(self, html: str) -> tuple[dict[str, Any], list[str]]:
        """axe needs script timers, which never fire in a page with
        JavaScript turned off. So the page's HTML, exactly as the browser
        holds it, is shown at the same address in a page of a JavaScript
        context, with the same Content-Security-Policy and with every
        script replaced by an empty one (so it looks as it does without
        JavaScript), and scanned there."""
        url = self.page.url
        scanner = self.monitor.scanner_context().new_page()
        try:
            def answer(route: Any) -> None:
                request = route.request
                if request.is_navigation_request():  # the one document: this one
                    route.fulfill(status=200, body=html,
                                  headers={"Content-Type": "text/html; charset=utf-8",
                                           "Content-Security-Policy": CSP})
                elif request.resource_type == "script":
                    route.fulfill(status=200, body="",
                                  headers={"Content-Type": "text/javascript"})
                else:
                    route.continue_()

            scanner.route("**/*", answer)
            scanner.goto(url)
            return _axe.run(scanner, options=AXE_OPTIONS).response, self._overflow(scanner)
        finally:
            scanner.close()

    def leftovers(self) -> list[str]:
        """Problems still standing at the end of a test."""
        problems = self.take_problems()
        problems += [f"page loaded but never checked with axe: {u}" for u in self.unscanned]
        return problems


class Monitor:
    """The watches of one test's pages, and a JavaScript context to scan
    pages of contexts that have JavaScript turned off."""

    def __init__(self, browser: Browser, context_args: dict[str, Any]) -> None:
        self.browser = browser
        self.context_args = context_args
        self.watches: dict[Page, PageWatch] = {}
        self._scanner: BrowserContext | None = None

    def watch(self, page: Page, js_enabled: bool) -> PageWatch:
        if page not in self.watches:
            self.watches[page] = PageWatch(page, self, js_enabled)
            _WATCHES[page] = self.watches[page]
        return self.watches[page]

    def scanner_context(self) -> BrowserContext:
        if self._scanner is None:
            self._scanner = self.browser.new_context(
                **{**self.context_args, "java_script_enabled": True})
        return self._scanner

    def leftovers(self) -> list[str]:
        return [problem if watch.page.url in problem else f"{problem} (on {watch.page.url})"
                for watch in self.watches.values() for problem in watch.leftovers()]

    def close(self) -> None:
        for page in self.watches:
            _WATCHES.pop(page, None)
        self.watches.clear()
        if self._scanner is not None:
            self._scanner.close()
            self._scanner = None


_WATCHES: dict[Page, PageWatch] = {}


def format_violations(url: str, title: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url} ({title!r}):"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact') or 'no impact given'}]: "
                     f"{violation['help']} ({violation.get('helpUrl', '')})")
        for node in violation["nodes"]:
            target = " >>> ".join(
                t if isinstance(t, str) else " >> ".join(t) for t in node["target"])
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


# -- what tests use ----------------------------------------------------------

def check_a11y(page: Page) -> None:
    """Scan the page's current document with axe (WCAG 2.2 A and AA) and
    fail on any violation, request to another host or console error."""
    watch = _WATCHES.get(page)
    if watch is None:
        raise AssertionError("this page is not watched: make pages with the page, context "
                             "or new_context fixtures")
    watch.check()


def visit(page: Page, path: str) -> PwResponse:
    """Go to ``path`` (relative to the live server) and check the page."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    check_a11y(page)
    return response


def submit(page: Page, button: Locator) -> PwResponse:
    """Click a button (or link) that loads a new page, and check that page.
    Returns the response for the page (after any redirect)."""
    with page.expect_navigation() as navigation:
        button.click()
    check_a11y(page)
    return navigation.value


follow = submit  # a link: the same thing


def sign_in(page: Page, email: str, password: str) -> PwResponse:
    """Sign in through the form; returns the response of the page landed on."""
    visit(page, "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    return submit(page, page.get_by_role("button", name="Sign in"))


def log_in(page: Page, user: User, path: str = "/") -> PwResponse:
    """Sign ``user`` in by setting the session cookie the sign-in page would
    set (tests.factories.session_cookie), then open ``path`` and check it.
    For every test but those of signing in itself."""
    from tests.factories import session_cookie

    origin = origin_of(page.url)
    if origin not in LIVE_APPS:
        [origin] = LIVE_APPS  # one live server per test session
    name, value = session_cookie(LIVE_APPS[origin], user)
    page.context.add_cookies([{"name": name, "value": value, "url": origin}])
    return visit(page, path)


def nav_labels(page: Page) -> list[str]:
    """The header navigation, as shown (JavaScript may move items under 'More')."""
    links = page.get_by_role("navigation", name="Menu").locator("a.nhsuk-header__navigation-link")
    return [(text or "").strip() for text in links.all_text_contents()]
