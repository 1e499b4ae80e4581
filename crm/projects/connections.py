"""A contributor's current connections to wards (an inpatient there now,
works there), which roles' conflict rules look at.

Being an inpatient is health data (special category), so the audit event
says only that the connections changed, on the contributor, never which
ward or what kind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import REDACTED, record
from crm.contributors.models import Contributor
from crm.projects.models import Ward, WardConnection, WardConnectionKind
from crm.projects.services import ProjectError

CONNECTION_LABELS = {
    WardConnectionKind.INPATIENT_NOW: "An inpatient there now",
    WardConnectionKind.WORKS_ON: "Works there",
}

ALREADY = "This connection is already recorded"


def connections_of(session: Session, contributor_id: int) -> list[tuple[WardConnection, Ward]]:
    """Their connections with each ward, by ward name (one query)."""
    rows = session.execute(
        select(WardConnection, Ward).join(Ward, Ward.id == WardConnection.ward_id)
        .where(WardConnection.contributor_id == contributor_id)
        .order_by(Ward.name, WardConnection.kind))
    return [(c, w) for c, w in rows]


def _audit(session: Session, actor: User, contributor: Contributor, summary: str) -> None:
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=contributor.id,
           actor=actor, summary=summary,
           changes={"ward_connections": {"old": REDACTED, "new": REDACTED}})


def add_connection(session: Session, actor: User, contributor: Contributor, ward_id: int | None,
                   kind: str, today: dt.date | None = None) -> WardConnection:
    """Record a connection. Raises ProjectError (unknown ward or kind, or
    already recorded)."""
    if ward_id is None or session.get(Ward, ward_id) is None:
        raise ProjectError("Select a ward", "ward_id")
    if kind not in {k.value for k in WardConnectionKind}:
        raise ProjectError("Select how they are connected to the ward", "kind")
    exists = session.scalar(select(WardConnection.id).where(
        WardConnection.contributor_id == contributor.id, WardConnection.ward_id == ward_id,
        WardConnection.kind == kind))
    if exists is not None:
        raise ProjectError(ALREADY, "ward_id")
    connection = WardConnection(contributor_id=contributor.id, ward_id=ward_id, kind=kind,
                                noted_on=today or dt.date.today())
    session.add(connection)
    session.flush()
    _audit(session, actor, contributor, "Added a ward connection")
    return connection


def remove_connection(session: Session, actor: User, contributor: Contributor,
                      connection_id: int) -> bool:
    """Remove one of their connections; False when it was not theirs or is
    already gone (another coordinator removed it)."""
    connection = session.get(WardConnection, connection_id)
    if connection is None or connection.contributor_id != contributor.id:
        return False
    session.delete(connection)
    session.flush()
    _audit(session, actor, contributor, "Removed a ward connection")
    return True
