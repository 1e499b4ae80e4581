"""Sign-in throttling, stored in the database so every worker sees it.

OWASP ASVS 5.0 V6.3.1: at most ``max_failures_per_account`` failed attempts
per account, and ``max_failures_per_ip`` per address, in a sliding window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crm.accounts.models import SignInAttempt
from crm.db import keep_whatever_happens, utcnow
from crm.settings import Settings


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@dataclass(frozen=True)
class Lockout:
    retry_at: dt.datetime

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        seconds = (self.retry_at - (now or utcnow())).total_seconds()
        return max(1, int(-(-seconds // 60)))


def _lockout(session: Session, column: InstrumentedAttribute[str], value: str, limit: int,
             window: dt.timedelta, now: dt.datetime) -> Lockout | None:
    since = now - window
    count, oldest = session.execute(
        select(func.count(), func.min(SignInAttempt.attempted_at)).where(
            column == value,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.attempted_at > since,
        )
    ).one()
    if count < limit:
        return None
    # Locked until the oldest failure in the window drops out of it.
    oldest_at = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
    return Lockout(retry_at=oldest_at + window)


def check(session: Session, settings: Settings, email: str, ip: str) -> Lockout | None:
    """A lockout if this account or address has failed too often recently."""
    now = utcnow()
    window = dt.timedelta(minutes=settings.sign_in_window_minutes)
    locks = [
        _lockout(session, SignInAttempt.account_key, account_key(email),
                 settings.max_failures_per_account, window, now),
        _lockout(session, SignInAttempt.ip_address, ip, settings.max_failures_per_ip, window, now),
    ]
    found = [lock for lock in locks if lock]
    return max(found, key=lambda lock: lock.retry_at) if found else None


def note(session: Session, email: str, ip: str, succeeded: bool) -> None:
    """Record an attempt; kept even though a failed sign-in is refused."""
    attempt = SignInAttempt(account_key=account_key(email), ip_address=ip,
                            succeeded=succeeded, attempted_at=utcnow())
    keep_whatever_happens(session, lambda kept: kept.add(attempt))
