"""The audit trail: who saw and changed what, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, intpk, timestamp


class AuditEvent(Base):
    """One thing that happened. ``changes`` maps field names to
    ``{"old": ..., "new": ...}``; values of secret or special category fields
    are never stored, only the fact that they changed."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity_type_entity_id", "entity_type", "entity_id"),
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_actor_id", "actor_id"),
    )

    id: Mapped[intpk]
    occurred_at: Mapped[timestamp]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    endpoint: Mapped[str | None] = mapped_column(String(120))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(String(200))
