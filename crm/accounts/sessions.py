"""Server-side sessions behind Flask-Login.

The signed cookie holds only a random token; the ``user_session`` row says
whether it is still good. Signing in clears the cookie session and starts a
new row (no fixation); signing out, a password change and idling end rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import partial
from typing import Any, cast

from flask import current_app
from flask import session as cookie_session
from flask_login import login_user, logout_user
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from crm.accounts.models import User, UserSession
from crm.db import get_session, keep_whatever_happens, utcnow

# Write last_seen_at at most this often, not on every request.
_TOUCH_EVERY = dt.timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User) -> UserSession:
    """Begin a new server-side session for ``user`` and sign them in."""
    cookie_session.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(token_hash=_hash(token), user=user, created_at=now, last_seen_at=now)
    session.add(row)
    session.flush()
    user.session_token = token
    login_user(user)
    cookie_session.permanent = True
    return row


def end_current(session: Session, user: User, reason: str = "signed_out") -> None:
    token = getattr(user, "session_token", None)
    if token:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow(), end_reason=reason)
        )
    logout_user()
    cookie_session.clear()


def end_all_for(session: Session, user: User, reason: str, keep_current: bool) -> int:
    """End every open session of ``user`` (except this one if ``keep_current``)."""
    stmt = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    token = getattr(user, "session_token", None)
    if keep_current and token:
        stmt = stmt.where(UserSession.token_hash != _hash(token))
    result = cast("CursorResult[Any]",
                  session.execute(stmt.values(ended_at=utcnow(), end_reason=reason)))
    return result.rowcount or 0


def _end_timed_out(session_id: int, now: dt.datetime, session: Session) -> None:
    session.execute(update(UserSession).where(UserSession.id == session_id,
                                              UserSession.ended_at.is_(None))
                    .values(ended_at=now, end_reason="timed_out"))


def load_user(token: str) -> User | None:
    """Flask-Login user loader: the token must name an open, fresh session."""
    session = get_session()
    row = session.execute(
        select(UserSession).where(UserSession.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None or row.ended_at is not None:
        return None
    settings = current_app.config["CRM_SETTINGS"]
    now = utcnow()
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    absolute = dt.timedelta(hours=settings.session_absolute_hours)
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        # Keep the ending even though this request will be refused.
        keep_whatever_happens(session, partial(_end_timed_out, row.id, now))
        return None
    user = row.user
    if not user.is_active:
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    user.session_token = token
    return user
