"""Test harness.

The suite runs on SQLite by default and on PostgreSQL with ``--db=postgresql``
(the URL comes from CRM_TEST_DATABASE_URL). The schema is built once per run
by the real migrations; every test starts with empty tables.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from crm import create_app, migrate
from crm.db import Base, get_db

TEST_SECRET = "test-secret-key-not-for-production"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=["sqlite", "postgresql"], default="sqlite",
                     help="database to run the suite on (postgresql needs CRM_TEST_DATABASE_URL)")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('--db')}"


def worker_name() -> str:
    """"gw0", "gw1"... under pytest-xdist; "main" without it."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def in_schema(url: str, schema: str) -> str:
    """The same PostgreSQL database, with ``schema`` first on the search path."""
    return make_url(url).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def fresh_schema(url: str, schema: str) -> str:
    """Create ``schema`` empty (dropping any left from an earlier run)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return in_schema(url, schema)


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of this worker's own: a schema per worker on PostgreSQL, a
    file under the worker's own temporary directory on SQLite."""
    if request.config.getoption("--db") == "postgresql":
        base = os.environ.get("CRM_TEST_DATABASE_URL", "")
        if not base.startswith("postgresql"):
            pytest.exit("--db=postgresql needs CRM_TEST_DATABASE_URL=postgresql+psycopg://...", 2)
        url = fresh_schema(base, f"crm_test_{worker_name()}")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return quicker_for_tests(create_app({
        "database_url": database_url,
        "testing": True,
        "secret_key": TEST_SECRET,
        "instance_path": str(tmp_path_factory.mktemp("instance")),
        "base_url": "http://localhost",
        "mail_host": "",
        "cheapest_password_hashing": True,
    }))


# Compiled templates, shared by every worker and run (Jinja checks each
# against its source, so a changed template is compiled again). Compiling
# the NHS.UK macros and our pages took seconds in each worker.
JINJA_CACHE = Path(tempfile.gettempdir()) / f"crm-test-jinja-{os.getuid()}"


# Our own markup printed as text: a template joined tags to escaped text
# with ``~`` (the join then escapes the tags too). User text in tests never
# holds these tags.
ESCAPED_MARKUP = re.compile(r"&lt;/?(?:p|span|ul|li|strong|br|a)(?:\s|&gt;|/)")


def _no_escaped_markup(response: Any) -> Any:
    if response.mimetype == "text/html" and not response.direct_passthrough:
        found = ESCAPED_MARKUP.search(response.get_data(as_text=True))
        assert found is None, f"our markup shows as text: {found.group(0) if found else ''}"
    return response


def quicker_for_tests(app: Flask) -> Flask:
    """Two things that cost time and test nothing: compiling the same
    templates in every worker, and SQLite waiting for the disk at each
    commit (the test database is thrown away). Also: no page shows our own
    markup as text (``_no_escaped_markup``)."""
    app.after_request(_no_escaped_markup)
    JINJA_CACHE.mkdir(exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(JINJA_CACHE))
    engine = get_db(app).engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_disk_waits)
        engine.dispose()
    return app


def _no_disk_waits(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    engine = get_db(app).engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # One round trip of DELETEs (children first) and sequence resets:
            # TRUNCATE of every table was over a second a test (it makes new
            # files for each table and index), DELETE of a few rows is
            # milliseconds.
            conn.exec_driver_sql(_empty_postgresql())
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


_RESET_SEQUENCES = ("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                    "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace")


@functools.cache
def _empty_postgresql() -> str:
    dialect = postgresql.dialect()
    statements = [str(table.delete().compile(dialect=dialect))
                  for table in reversed(Base.metadata.sorted_tables)]
    return ";".join([*statements, _RESET_SEQUENCES])


@pytest.fixture
def make_app(app: Flask, database_url: str, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build another app instance (another worker) on the same database."""
    made: list[Flask] = []

    def build(**overrides: object) -> Flask:
        new = quicker_for_tests(create_app({
            "database_url": database_url, "testing": True, "secret_key": TEST_SECRET,
            "instance_path": str(tmp_path), "base_url": "http://localhost", "mail_host": "",
            "cheapest_password_hashing": True, **overrides,
        }))
        made.append(new)
        return new

    yield build
    for other in made:
        get_db(other).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for arranging and checking data; commit to make it visible."""
    with get_db(app).sessionmaker() as session:
        yield session


@pytest.fixture
def settings(app: Flask):  # type: ignore[no-untyped-def]
    return app.config["CRM_SETTINGS"]


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    """The CSRF token of this client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    """Counts SQL statements the app's engine runs while the test body runs
    (not those of the server-side session store)."""
    counter = QueryCounter()
    engine = get_db(app).engine

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        # The server-side session's own read and write (crm.web.sessions) are
        # one or two per request whatever the page, and may include a purge:
        # left out so counts compare the page's work.
        if "browser_session" not in statement:
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    yield counter
    event.remove(engine, "before_cursor_execute", before)


ROOT = Path(__file__).resolve().parent.parent
