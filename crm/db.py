"""Database: the declarative Base, the engine, and the one place that commits.

Each request gets one SQLAlchemy session (``get_session()``). Services add,
flush and audit but never commit; ``_finish_request`` commits once when the
response is a success (status below 400) and rolls back otherwise, so a
failed request leaves nothing half-saved.

Two kinds of work wait for the outcome:

* ``after_commit(session, work)``: side effects (email, text messages,
  files) run only once the session's transaction has committed, and are
  dropped if it rolls back.
* ``keep_whatever_happens(session, work)``: security records (a refused
  sign-in, a denied request, a timed-out session) are written in a session
  of their own at the end of the request, whatever its outcome, so keeping
  them can never also keep a half-done change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from flask import Flask, Response, current_app, g, has_request_context
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, types
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(types.TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on SQLite (which stores them naive) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use crm.db.utcnow()")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime())]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout.
    Bound values are left out of error messages, which may reach logs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True,
                               connect_args={"timeout": 15, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=15000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session outside a request (CLI, tests): commits on success."""
        with self.sessionmaker() as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise


def get_db(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["crm_db"]


def get_session() -> Session:
    """The request's session, created on first use."""
    if "db_session" not in g:
        g.db_session = get_db().sessionmaker()
    return g.db_session


log = logging.getLogger(__name__)

_AFTER_COMMIT = "crm_after_commit"


def after_commit(session: Session, work: Callable[[], None]) -> None:
    """Run ``work`` once ``session`` has committed; forget it on rollback.
    ``work`` must not use ``session`` (open a new one if it writes)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(work)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer commit decides
        return
    for work in session.info.pop(_AFTER_COMMIT, []):
        try:
            work()
        except Exception:  # one failed send must not stop the others
            log.exception("work after commit failed")


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_commit(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)


def keep_whatever_happens(session: Session, work: Callable[[Session], None]) -> None:
    """Write a security record that must survive the request's outcome.

    In a request, ``work`` runs at its end in a new session that commits on
    its own; objects it adds must not belong to the request's session.
    Outside a request (CLI, tests) it runs now, in ``session``."""
    if has_request_context():
        g.setdefault("db_kept", []).append(work)
    else:
        work(session)


def _write_kept() -> None:
    kept: list[Callable[[Session], None]] = g.pop("db_kept", [])
    if not kept:
        return
    try:
        with get_db().session() as session:
            for work in kept:
                work(session)
    except Exception:
        log.exception("could not keep security records")


def _finish_request(response: Response) -> Response:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        try:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
    _write_kept()
    return response


def _teardown(exc: BaseException | None) -> None:
    # Reached with a session still open only when the request failed before a
    # response was made; roll back so nothing half-done is kept.
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
    _write_kept()


def init_app(app: Flask, url: str) -> None:
    app.extensions["crm_db"] = Database(url)
    app.after_request(_finish_request)
    app.teardown_request(_teardown)
