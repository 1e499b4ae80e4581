"""Server-side sessions: the cookie holds only a random key.

Flask's default session is a signed cookie, readable by anyone holding it:
a saved search (a person's name) or a message naming someone would sit in
the browser. Here the data is kept in the ``browser_session`` table and the
cookie carries a random key (only its hash is stored). Clearing the session
(sign-in, sign-out) also changes the key, so a key seen before signing in is
useless after.

The table is read and written on connections of its own: reading before the
request's work, writing after its commit (Flask saves the session after the
``after_request`` functions), so it never holds a lock the request needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import JSON, String, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from crm.db import Base, get_db, intpk, timestamp, utcnow

# A session seen within this long is not touched again (fewer writes).
_TOUCH_EVERY = dt.timedelta(minutes=5)
# Sessions left this long are deleted, at most once per _PURGE_EVERY per process.
_PURGE_EVERY = dt.timedelta(minutes=10)


class BrowserSession(Base):
    __tablename__ = "browser_session"

    id: Mapped[intpk]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[timestamp] = mapped_column(index=True)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """The session's values; ``key`` is None until it is first saved."""

    def __init__(self, initial: dict[str, Any] | None = None, key: str | None = None,
                 seen_at: dt.datetime | None = None) -> None:
        def on_update(this: ServerSession) -> None:
            this.modified = True
            this.accessed = True

        super().__init__(initial, on_update)
        self.key = key
        self.seen_at = seen_at
        self.modified = False
        self.accessed = False
        self.rotate = False

    def clear(self) -> None:
        super().clear()
        self.rotate = True  # a new key when it is next saved

    def __getitem__(self, name: str) -> Any:
        self.accessed = True
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.accessed = True
        return super().get(name, default)


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Flask's flashes are tuples; JSON brings them back as lists, which
    # get_flashed_messages reads the same way.
    return json.loads(json.dumps(data))


class ServerSessionInterface(SessionInterface):
    def __init__(self) -> None:
        self._last_purge: dt.datetime | None = None

    def _secure(self, app: Flask, request: Request) -> bool:
        try:
            secure = request.is_secure
        except RuntimeError:
            secure = False
        return bool(app.config["SESSION_COOKIE_SECURE"]) or secure

    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        if request.path.startswith(f"{app.static_url_path}/"):
            return None  # static files: no session (Flask uses a null session)
        key = request.cookies.get(self.get_cookie_name(app))
        if not key or len(key) > 100:
            return ServerSession()
        with get_db(app).engine.connect() as conn:
            row = conn.execute(select(BrowserSession.data, BrowserSession.updated_at)
                               .where(BrowserSession.key_hash == _hash(key))).first()
        if row is None or utcnow() - row.updated_at > app.permanent_session_lifetime:
            return ServerSession()
        return ServerSession(dict(row.data), key=key, seen_at=row.updated_at)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        name, domain, path = (self.get_cookie_name(app), self.get_cookie_domain(app),
                              self.get_cookie_path(app))
        if session.accessed:
            response.vary.add("Cookie")
        engine = get_db(app).engine
        now = utcnow()
        with engine.begin() as conn:
            if session.key and (session.rotate or not session):
                conn.execute(delete(BrowserSession)
                             .where(BrowserSession.key_hash == _hash(session.key)))
                session.key = None
            if not session:
                if name in request.cookies:
                    response.delete_cookie(name, domain=domain, path=path)
                return
            if session.key is None:
                session.key = secrets.token_urlsafe(32)
                conn.execute(insert(BrowserSession).values(
                    key_hash=_hash(session.key), data=_json_safe(dict(session)),
                    updated_at=now))
            elif session.modified:
                conn.execute(update(BrowserSession)
                             .where(BrowserSession.key_hash == _hash(session.key))
                             .values(data=_json_safe(dict(session)), updated_at=now))
            elif session.seen_at is None or now - session.seen_at > _TOUCH_EVERY:
                conn.execute(update(BrowserSession)
                             .where(BrowserSession.key_hash == _hash(session.key))
                             .values(updated_at=now))
            else:
                return
            self._purge(app, conn, now)
        response.set_cookie(
            name, session.key, domain=domain, path=path,
            httponly=self.get_cookie_httponly(app), secure=self._secure(app, request),
            samesite=self.get_cookie_samesite(app),
            max_age=int(app.permanent_session_lifetime.total_seconds()))

    def _purge(self, app: Flask, conn: Any, now: dt.datetime) -> None:
        if self._last_purge and now - self._last_purge < _PURGE_EVERY:
            return
        self._last_purge = now
        conn.execute(delete(BrowserSession).where(
            BrowserSession.updated_at < now - app.permanent_session_lifetime))

