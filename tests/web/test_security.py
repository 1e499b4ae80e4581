"""Web security of the foundation: CSRF, no state change on GET, sign-in
throttling, cookies, security headers, open redirects and the one place
that commits."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Blueprint, Flask, abort
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm import create_app
from crm.accounts import throttle
from crm.accounts.models import Invitation, SignInAttempt, User, UserSession
from crm.audit.models import AuditEvent
from crm.audit.services import record
from crm.db import get_session, utcnow
from crm.mail.models import OutboxMessage
from crm.permissions import Role
from crm.web.decorators import public
from crm.web.security import CSP
from tests.conftest import CSRF_RE, csrf_token
from tests.factories import PASSWORD, log_in, make_user, sign_in

WRONG = "not-the-right-password-42"


# --- helpers ----------------------------------------------------------------

def fresh(db: Session) -> Session:
    """End the test session's transaction so it sees what the app committed."""
    db.commit()
    db.expire_all()
    return db


def count(db: Session, model: type) -> int:
    return fresh(db).scalar(select(func.count()).select_from(model)) or 0


def post_sign_in(client: FlaskClient, email: str, password: str, ip: str = "127.0.0.1",
                 next_url: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/sign-in")
    path = "/sign-in" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(path, data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


def add_failures(db: Session, n: int, *, email: str | None = None, ip: str = "198.51.100.1",
                 ago: dt.timedelta = dt.timedelta(seconds=5)) -> None:
    """Record ``n`` failed attempts directly (each for its own account if no email)."""
    at = utcnow() - ago
    for i in range(n):
        key = throttle.account_key(email or f"someone-{i}@example.org")
        db.add(SignInAttempt(account_key=key, ip_address=ip, succeeded=False, attempted_at=at))
    db.commit()


def session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    """The Set-Cookie header of the session cookie."""
    headers = [h for h in response.headers.getlist("Set-Cookie")
               if h.startswith("crm_session=")]
    assert headers, "no session cookie was set"
    return headers[-1]


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


# --- CSRF -------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "wrong-token", "other-session"])
def test_csrf_sign_in_without_valid_token_is_rejected_and_starts_no_session(
        client, db, app, token) -> None:
    user = make_user(db)
    csrf_token(client, "/sign-in")  # the client has a session and a real token
    data = {"email": user.email, "password": PASSWORD}
    if token == "other-session":
        data["csrf_token"] = csrf_token(app.test_client(), "/sign-in")
    elif token:
        data["csrf_token"] = token
    response = client.post("/sign-in", data=data)
    assert response.status_code == 400
    assert "could not save what you sent" in response.get_data(as_text=True)
    assert count(db, UserSession) == 0
    assert count(db, SignInAttempt) == 0
    assert client.get("/").status_code == 302  # still not signed in


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_csrf_change_password_without_valid_token_is_rejected_and_password_unchanged(
        client, db, token) -> None:
    user = make_user(db)
    log_in(client, user)
    before = user.password_hash
    data = {"current_password": PASSWORD, "new_password": "lantern orchid gravel tide",
            "confirm_password": "lantern orchid gravel tide"}
    if token:
        data["csrf_token"] = token
    assert client.post("/account/password", data=data).status_code == 400
    assert fresh(db).get(User, user.id).password_hash == before
    assert client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_csrf_new_invitation_without_valid_token_creates_nobody(client, db, token) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(client, admin)
    data = {"display_name": "Nia Evans", "email": "nia@example.org", "role": "finance"}
    if token:
        data["csrf_token"] = token
    assert client.post("/invitations/new", data=data).status_code == 400
    assert count(db, User) == 1
    assert count(db, Invitation) == 0
    assert count(db, OutboxMessage) == 0


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_csrf_sign_out_without_valid_token_is_rejected_and_session_continues(
        client, db, token) -> None:
    user = make_user(db)
    log_in(client, user)
    data = {"csrf_token": token} if token else {}
    assert client.post("/sign-out", data=data).status_code == 400
    assert client.get("/").status_code == 200
    assert fresh(db).scalars(select(UserSession.ended_at)).all() == [None]


def test_csrf_deactivate_user_without_token_changes_nothing(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    other = make_user(db, Role.CONTRIBUTOR)
    log_in(client, admin)
    response = client.post(f"/admin/users/{other.id}/active", data={"active": "false"})
    assert response.status_code == 400
    assert fresh(db).get(User, other.id).is_active is True


# --- no state change on GET -------------------------------------------------

def test_sign_out_by_get_is_not_allowed(client, db) -> None:
    user = make_user(db)
    log_in(client, user)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200
    assert fresh(db).scalars(select(UserSession.ended_at)).all() == [None]


def test_get_on_post_only_routes_changes_nothing(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    invited = make_user(db, Role.CONTRIBUTOR, with_password=False)
    log_in(client, admin)
    assert client.get(f"/admin/users/{invited.id}/active?active=false").status_code == 405
    assert client.get(f"/invitations/{invited.id}/resend").status_code == 405
    assert fresh(db).get(User, invited.id).is_active is True
    assert count(db, Invitation) == 0
    assert count(db, OutboxMessage) == 0


def test_get_with_credentials_in_the_query_string_does_not_sign_in(client, db) -> None:
    user = make_user(db)
    response = client.get(f"/sign-in?email={user.email}&password={PASSWORD}")
    assert response.status_code == 200
    assert count(db, UserSession) == 0
    assert count(db, SignInAttempt) == 0


# --- throttling ---------------------------------------------------------------

def test_throttle_limits_are_ten_failures_in_five_minutes(settings) -> None:
    assert settings.max_failures_per_account == 10
    assert settings.sign_in_window_minutes == 5
    assert settings.max_failures_per_ip > settings.max_failures_per_account


def test_throttle_eleventh_attempt_is_refused_even_with_the_right_password(client, db) -> None:
    user = make_user(db, email="locked@example.org")
    other = make_user(db, email="other@example.org")
    # Ten failures; the address is matched however it is typed.
    for i in range(10):
        email = user.email if i % 2 else "  LOCKED@Example.org "
        assert post_sign_in(client, email, WRONG).status_code == 400
    response = post_sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many attempts" in html
    assert "try again in 5 minutes" in html
    assert count(db, UserSession) == 0
    assert fresh(db).scalar(select(func.count()).where(
        AuditEvent.action == "sign_in_throttled")) == 1
    # Another account is not locked, from another address or from the same one.
    assert post_sign_in(app_client(client), other.email, PASSWORD,
                        ip="203.0.113.9").status_code == 302
    assert post_sign_in(app_client(client), other.email, PASSWORD).status_code == 302


def app_client(client: FlaskClient) -> FlaskClient:
    """A new browser on the same app."""
    return client.application.test_client()


def test_throttle_per_ip_limit_locks_an_address_trying_many_accounts(client, db,
                                                                    settings) -> None:
    user = make_user(db)
    ip = "192.0.2.44"
    add_failures(db, settings.max_failures_per_ip - 1, ip=ip)  # each a different account
    assert post_sign_in(client, "nobody@example.org", WRONG, ip=ip).status_code == 400
    response = post_sign_in(client, user.email, PASSWORD, ip=ip)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # The same account from another address is fine.
    assert post_sign_in(app_client(client), user.email, PASSWORD,
                        ip="192.0.2.45").status_code == 302


def test_throttle_failures_older_than_the_window_do_not_count(client, db, settings) -> None:
    user = make_user(db)
    window = dt.timedelta(minutes=settings.sign_in_window_minutes)
    add_failures(db, settings.max_failures_per_account * 2, email=user.email,
                 ago=window + dt.timedelta(minutes=1))
    add_failures(db, settings.max_failures_per_account - 1, email=user.email)
    assert post_sign_in(client, user.email, PASSWORD).status_code == 302


def test_throttle_lockout_ends_when_the_oldest_failure_leaves_the_window(client, db,
                                                                        settings) -> None:
    user = make_user(db)
    add_failures(db, settings.max_failures_per_account, email=user.email,
                 ago=dt.timedelta(minutes=settings.sign_in_window_minutes - 2))
    response = post_sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "try again in 2 minutes" in response.get_data(as_text=True)


def test_throttle_is_shared_by_app_instances_on_one_database(client, db, settings,
                                                            make_app) -> None:
    user = make_user(db)
    worker_b = make_app().test_client()
    add_failures(db, settings.max_failures_per_account - 1, email=user.email)
    # Below the limit: throttle.check (as either worker would run it) finds no lockout.
    assert throttle.check(fresh(db), settings, user.email, "127.0.0.1") is None
    # One more failure, on worker A only...
    assert post_sign_in(client, user.email, WRONG).status_code == 400
    # ...and worker B refuses the right password too.
    assert post_sign_in(worker_b, user.email, PASSWORD).status_code == 429
    assert post_sign_in(app_client(client), user.email, PASSWORD).status_code == 429
    assert count(db, UserSession) == 0


def test_a_session_from_one_app_instance_is_honoured_and_ended_by_another(client, db,
                                                                         make_app) -> None:
    user = make_user(db)
    log_in(client, user)
    worker_b = make_app().test_client()
    worker_b.set_cookie("crm_session", client.get_cookie("crm_session").value)
    assert worker_b.get("/").status_code == 200
    worker_b.post("/sign-out", data={"csrf_token": csrf_token(worker_b, "/account")})
    assert client.get("/").status_code == 302


# --- cookies ----------------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(client,
                                                                            db) -> None:
    user = make_user(db)
    attrs = cookie_attributes(session_cookie(sign_in(client, user)))
    assert "httponly" in attrs
    assert "samesite=lax" in attrs
    assert "secure" not in attrs


def test_session_cookie_is_secure_when_the_request_came_over_https(client) -> None:
    response = client.get("/sign-in", base_url="https://localhost")
    attrs = cookie_attributes(session_cookie(response))
    assert {"secure", "httponly", "samesite=lax"} <= attrs
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_secure_when_https_only_is_configured(make_app) -> None:
    response = make_app(https_only=True).test_client().get("/sign-in")
    assert "secure" in cookie_attributes(session_cookie(response))


def test_the_session_cookie_holds_only_a_random_key(client, db) -> None:
    """A saved search (a person's name) and messages naming someone are kept
    on the server; the cookie is a random key whose hash alone is stored, and
    it changes at sign-in and ends at sign-out."""
    from crm.web.sessions import BrowserSession, _hash

    client.get("/sign-in")
    before = client.get_cookie("crm_session").value
    user = make_user(db, Role.COORDINATOR)
    response = sign_in(client, user)
    key = client.get_cookie("crm_session").value
    assert key != before  # a new key once signed in
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key)
    client.post("/contributors/search", data={
        "q": "Ruth Okafor", "csrf_token": csrf_token(client, "/contributors/")})
    assert client.get_cookie("crm_session").value == key
    assert "Ruth Okafor" not in session_cookie(response)
    rows = fresh(db).scalars(select(BrowserSession)).all()
    assert [r.key_hash for r in rows] == [_hash(key)]  # the old one is gone
    assert rows[0].data["contributor_search"] == "Ruth Okafor"
    assert key not in rows[0].key_hash

    # A cookie from before sign-in is worth nothing now.
    thief = client.application.test_client()
    thief.set_cookie("crm_session", before)
    assert thief.get("/contributors/").status_code == 302

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert client.get_cookie("crm_session").value != key
    left = fresh(db).scalars(select(BrowserSession)).all()
    assert _hash(key) not in {r.key_hash for r in left}
    assert all("contributor_search" not in r.data and "_user_id" not in r.data for r in left)
    assert client.get("/contributors/").status_code == 302


def test_no_hsts_over_plain_http(client) -> None:
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


# --- headers and inline script ----------------------------------------------

def csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_pages_have_security_headers(client) -> None:
    for path in ["/sign-in", "/privacy", "/no-such-page"]:
        response = client.get(path)
        csp = csp_directives(response.headers["Content-Security-Policy"])
        script = csp.get("script-src", csp.get("default-src"))
        assert script == ["'self'"], path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["object-src"] == ["'none'"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] in {"no-referrer", "same-origin",
                                                       "strict-origin-when-cross-origin"}
        assert "no-store" in response.headers["Cache-Control"], path


def test_signed_in_pages_are_not_cached(app, client, db) -> None:
    log_in(client, make_user(db, Role.ADMINISTRATOR))
    for path in ["/", "/account", "/admin/users", "/admin/audit"]:
        assert client.get(path).status_code == 200, path
    for path in page_paths(app) + ["/health"]:
        response = client.get(path)
        assert "no-store" in response.headers["Cache-Control"], path
        assert response.headers["Content-Security-Policy"] == CSP, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_static_files_may_be_cached_and_still_have_nosniff(client) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


class _ScriptFinder(HTMLParser):
    """Finds what the CSP would block: inline <script> and on* handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts_with_src = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script":
            if "src" in names:
                self.scripts_with_src += 1
            else:
                self.problems.append("inline <script>")
        self.problems += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]
        self.problems += [f"javascript: URL on <{tag}>" for name, value in attrs
                          if name in {"href", "src", "action"}
                          and (value or "").strip().lower().startswith("javascript:")]


def _check_no_inline_script(response, where: str) -> None:  # type: ignore[no-untyped-def]
    finder = _ScriptFinder()
    finder.feed(response.get_data(as_text=True))
    assert finder.problems == [], where
    assert finder.scripts_with_src >= 1, f"{where}: expected the page's script file"


def page_paths(app: Flask) -> list[str]:
    """Every GET route that needs no URL arguments: new pages are checked too."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in (rule.methods or ()) and not rule.arguments
                   and rule.endpoint not in {"static", "home.health"}})


def test_no_page_has_inline_script(app, client, db) -> None:
    make_user(db, Role.CONTRIBUTOR, with_password=False)  # an "Invited" row on lists
    for path, status in [("/sign-in", 200), ("/privacy", 200), ("/accessibility", 200),
                         ("/no-such-page", 404), ("/invitation/not-a-token", 404)]:
        response = client.get(path)
        assert response.status_code == status, path
        _check_no_inline_script(response, path)
    _check_no_inline_script(client.post("/sign-in", data={}), "sign-in errors (CSRF)")
    paths = page_paths(app)
    assert {"/", "/account", "/admin/users", "/invitations/new"} <= set(paths)
    for role in Role:
        browser = app.test_client()
        sign_in(browser, make_user(db, role))
        checked = set()
        for path in paths:
            response = browser.get(path)
            if response.status_code != 302 and response.mimetype == "text/html":
                _check_no_inline_script(response, f"{role} {path}")
                checked.add(path)
            response.close()  # downloads are streamed
        assert {"/", "/account", "/account/password"} <= checked, role
        token = csrf_token(browser, "/account/password")
        response = browser.post("/account/password", data={"csrf_token": token})
        assert response.status_code == 400
        _check_no_inline_script(response, f"{role} form errors")


# --- open redirect -------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
])
def test_sign_in_never_redirects_to_another_site(client, db, target) -> None:
    user = make_user(db)
    response = post_sign_in(client, user.email, PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_honours_a_local_next_page(client, db) -> None:
    user = make_user(db)
    response = post_sign_in(client, user.email, PASSWORD, next_url="/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_protected_page_sends_to_sign_in_with_next(client) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query)["next"][0].startswith("/account")


# --- one place commits --------------------------------------------------------

def _app_with_test_routes(make_app: Callable[..., Flask]) -> Flask:
    other = make_app()
    bp = Blueprint("test_only", __name__)

    def _add_user(email: str) -> None:
        session = get_session()
        session.add(User(email=email, display_name="Half Saved", role=Role.CONTRIBUTOR.value))
        session.flush()  # the row is in the database's transaction now

    @bp.route("/test/crash")
    @public
    def crash() -> str:
        _add_user("crash@example.org")
        raise RuntimeError("boom")

    @bp.route("/test/refuse")
    @public
    def refuse() -> str:
        _add_user("refuse@example.org")
        abort(404)

    @bp.route("/test/keep-then-crash")
    @public
    def keep_then_crash() -> str:
        record(get_session(), "test_kept", summary="a security record", security=True)
        _add_user("kept@example.org")
        raise RuntimeError("boom")

    @bp.route("/test/ok")
    @public
    def ok() -> str:
        _add_user("ok@example.org")
        return "saved"

    other.register_blueprint(bp)
    return other


def test_an_unhandled_error_leaves_nothing_half_saved(db, make_app, caplog) -> None:
    browser = _app_with_test_routes(make_app).test_client()
    response = browser.get("/test/crash")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    # A security record survives the crash; the change made beside it does not.
    response = browser.get("/test/keep-then-crash")
    assert response.status_code == 500
    assert fresh(db).scalars(select(AuditEvent.action)).all() == ["test_kept"]
    assert browser.get("/test/refuse").status_code == 404
    assert count(db, User) == 0
    # The same code path does save when the request succeeds.
    assert browser.get("/test/ok").status_code == 200
    assert fresh(db).scalars(select(User.email)).all() == ["ok@example.org"]


def test_failed_sign_in_keeps_its_security_rows(client, db) -> None:
    user = make_user(db)
    assert post_sign_in(client, user.email, WRONG).status_code == 400
    attempts = fresh(db).scalars(select(SignInAttempt)).all()
    assert [(a.account_key, a.succeeded) for a in attempts] == [
        (throttle.account_key(user.email), False)]
    assert fresh(db).scalars(select(AuditEvent.action)).all() == ["sign_in_failed"]


# --- health -------------------------------------------------------------------

def test_health(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}



def test_user_text_is_escaped_in_nhs_components_and_flashes(client, db) -> None:
    """NHS.UK component templates are .jinja files; they must be autoescaped
    too, or a contributor's name could inject HTML into a coordinator's page."""
    from tests.factories import communication, make_contributor

    payload = '<meta http-equiv="refresh" content="0;url=/privacy"><b>x</b>'
    person = make_contributor(db, full_name=payload, preferred_name=payload,
                              communication=communication(
                                  information_format="translated", language=payload,
                                  via_supporter=True, supporter_name=payload,
                                  supporter_contact=payload, channel_order=[]))
    coordinator = make_user(db, Role.COORDINATOR, name=payload)
    log_in(client, coordinator)
    for path in (f"/contributors/{person.id}", f"/contributors/{person.id}/edit/details",
                 f"/contributors/{person.id}/adjustments/checklist", "/contributors/", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "<meta http-equiv" not in html and "<b>x</b>" not in html, path
        assert "&lt;b&gt;x&lt;/b&gt;" in html, path


def test_behind_a_trusted_proxy_the_forwarded_address_and_scheme_are_used(
        database_url, tmp_path, db) -> None:
    app = create_app({"database_url": database_url, "instance_path": str(tmp_path),
                      "secret_key": "x", "trusted_hops": 1})
    page = app.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in page.headers  # seen as HTTPS
    client = app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.7"}
    page = client.get("/sign-in", headers=headers)
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    client.post("/sign-in", headers=headers, data={
        "email": "nobody@example.org", "password": "wrong-password-here", "csrf_token": token})
    assert db.scalars(select(SignInAttempt.ip_address)).all() == ["203.0.113.7"]


# --- control characters, oversized bodies (defects found from outside) ---------


# U+FFFE and U+FFFF are not characters: XML cannot hold them, so one in a name
# made finance's Excel export unreadable.
@pytest.mark.parametrize("email", ["a\x00@example.org", "a\x1b@example.org", "a\x7f@example.org",
                                   "a\ufffe@example.org", "a\uffff@example.org"])
def test_control_characters_in_a_form_are_refused_in_words_and_nothing_stored(
        client, db, email) -> None:
    token = csrf_token(client, "/sign-in")
    before = count(db, SignInAttempt)
    response = client.post("/sign-in", data={"email": email, "password": "x" * 12,
                                             "csrf_token": token})
    assert response.status_code == 400
    assert "hidden control character" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == CSP
    assert count(fresh(db), SignInAttempt) == before


def test_control_characters_in_a_query_are_refused(client, db) -> None:
    log_in(client, make_user(db, Role.ADMINISTRATOR))
    assert client.get("/admin/audit?action=sign_in").status_code == 200
    for bad in ("%00", "%EF%BF%BE", "%EF%BF%BF"):  # NUL, U+FFFE, U+FFFF
        response = client.get(f"/admin/audit?action={bad}")
        assert response.status_code == 400, bad
        assert "hidden control character" in response.get_data(as_text=True)


def test_tabs_and_line_breaks_are_not_control_characters_here(client, db) -> None:
    # Text areas legitimately hold line breaks; the sign-in form then answers as usual.
    before = count(db, SignInAttempt)
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": "a@example.org",
                                             "password": "one\ttwo\r\nthree",
                                             "csrf_token": token})
    assert "hidden control character" not in response.get_data(as_text=True)
    assert count(fresh(db), SignInAttempt) == before + 1  # the form was processed


def test_a_body_over_the_limit_gets_a_plain_page_with_security_headers(client) -> None:
    response = client.post("/sign-in", data=b"x" * (10 * 1024 * 1024 + 1),
                           content_type="application/octet-stream")
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "larger than 10 MB" in text and "nhsuk-header" in text
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["Cache-Control"] == "no-store"
