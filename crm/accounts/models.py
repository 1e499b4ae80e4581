"""Accounts: people who sign in, their server-side sessions, sign-in attempts
and invitations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, TimestampMixin, intpk, timestamp, utcnow
from crm.permissions import Permission, Role, role_has


class User(TimestampMixin, Base):
    """Someone who can sign in. ``password_hash`` is None until they accept
    their invitation. ``role`` is one of ``Role``."""

    __tablename__ = "user_account"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[dt.datetime | None]
    last_sign_in_at: Mapped[dt.datetime | None]

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user")

    # Flask-Login: the id it stores is the server-side session token, set on
    # the instance by crm.accounts.sessions, never the user's row id.
    session_token = None  # type: str | None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def can(self, permission: Permission) -> bool:
        if not isinstance(permission, Permission):  # a string would hide a typo
            raise TypeError(f"can() needs a Permission, not {permission!r}")
        return self.is_active and role_has(self.role, permission)

    def __repr__(self) -> str:  # never includes the email address
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """A signed-in session, held on the server so it can be ended: by signing
    out, by a password change, by idling too long, or by an administrator."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[timestamp]
    last_seen_at: Mapped[timestamp]
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="sessions")


class SignInAttempt(Base):
    """One attempt to sign in, kept in the database so throttling holds across
    every worker. ``account_key`` is a hash of the normalised email address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_account_key_attempted_at", "account_key", "attempted_at"),
        Index("ix_sign_in_attempt_ip_address_attempted_at", "ip_address", "attempted_at"),
    )

    id: Mapped[intpk]
    account_key: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[timestamp]


INVITATION_STATE_LABELS = {
    "waiting": "Not used yet",
    "used": "Used",
    "replaced": "Stopped: a newer link was sent",
    "expired": "Ran out",
}


class Invitation(TimestampMixin, Base):
    """An invitation to set a password. The link carries a token; only its
    hash is stored. Single use; expires.

    With no mail server, ``link_seed`` lets the person who sent it show the
    link again to pass on (the token is an HMAC of the seed under the app's
    secret key, so the database alone cannot make it). It is cleared once
    the link is used or replaced."""

    __tablename__ = "invitation"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    expires_at: Mapped[timestamp]
    accepted_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    link_seed: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: dt.datetime | None = None) -> str:
        """waiting, used, replaced or expired."""
        if self.accepted_at:
            return "used"
        if self.revoked_at:
            return "replaced"
        if self.expires_at < (now or utcnow()):
            return "expired"
        return "waiting"

    def state_label(self) -> str:
        return INVITATION_STATE_LABELS[self.state()]
