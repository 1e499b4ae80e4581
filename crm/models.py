"""Imports every feature's models so Base.metadata (and Alembic) sees them all."""

from crm.accounts.models import Invitation, OutboxMessage, SignInAttempt, User, UserSession
from crm.audit.models import AuditEvent

__all__ = ["AuditEvent", "Invitation", "OutboxMessage", "SignInAttempt", "User", "UserSession"]
