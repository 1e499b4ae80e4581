"""Writing audit events. Called by services (changes) and by the web layer
(sign-ins, denials, views of records)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.db import keep_whatever_happens, utcnow

REDACTED = "(changed, value not recorded)"


def client_ip() -> str | None:
    if not has_request_context():
        return None
    return request.remote_addr


def diff(old: Mapping[str, Any], new: Mapping[str, Any], redact: Iterable[str] = (),
         keep: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Fields whose values differ, as ``{field: {"old": a, "new": b}}``.
    Fields named in ``redact`` (secrets, special category data) are recorded
    as changed without their values; when ``keep`` is given, every field not
    named in it is redacted too (an allow-list, safe for new fields)."""
    hidden = set(redact)
    if keep is not None:
        hidden |= (set(old) | set(new)) - set(keep)
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in hidden:
            out[key] = {"old": REDACTED, "new": REDACTED}
        else:
            out[key] = {"old": _plain(before), "new": _plain(after)}
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def record(
    session: Session,
    action: Action,
    *,
    entity_type: EntityType | None = None,
    entity_id: int | None = None,
    changes: dict[str, Any] | None = None,
    summary: str | None = None,
    actor: Any = None,
    security: bool = False,
) -> AuditEvent:
    """Add an audit event to ``session``. ``security=True`` keeps it whatever
    the request's outcome (a refused sign-in, a denied request): it is then
    written in a session of its own, never with the request's changes."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        endpoint=request.endpoint if has_request_context() else None,
        ip_address=client_ip(),
        changes=changes or None,
        summary=summary,
    )
    if security:
        keep_whatever_happens(session, lambda kept: kept.add(event))
    else:
        session.add(event)
    return event


def record_each(session: Session, action: Action, entity_type: EntityType,
                entity_ids: Iterable[int],
                summary: str) -> int:
    """One audit event per record (an export of many people), written in
    batches, so each person's history shows it. Returns how many."""
    actor = current_user if has_request_context() and current_user.is_authenticated else None
    common = {
        "occurred_at": utcnow(), "actor_id": getattr(actor, "id", None),
        "actor_role": getattr(actor, "role", None), "action": action,
        "entity_type": entity_type, "summary": summary,
        "endpoint": request.endpoint if has_request_context() else None,
        "ip_address": client_ip(), "changes": None,
    }
    rows = [{**common, "entity_id": entity_id} for entity_id in entity_ids]
    for start in range(0, len(rows), 5000):
        session.execute(insert(AuditEvent), rows[start:start + 5000])
    return len(rows)


def record_list_view(session: Session, what: str, page_no: int, people: Iterable[int],
                     counted: str | None = None) -> None:
    """A look at page ``page_no`` of a list naming people (``what``, say
    "calls to make"): one event for the list, saying how many (``counted``
    if given, else the people), then one in each person's history."""
    ids = sorted(set(people))
    n = len(ids)
    record(session, Action.VIEW, entity_type=EntityType.CONTRIBUTOR,
           summary=f"{what}, page {page_no}: "
                   f"{counted or str(n) + (' person' if n == 1 else ' people')}")
    record_each(session, Action.VIEW, EntityType.CONTRIBUTOR, ids, summary=f"listed in {what}")


def scrub_values(session: Session, entity_type: str, entity_id: int) -> None:
    """Keep who did what to a record and when, but not the values changed
    (for anonymisation)."""
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id,
        AuditEvent.changes.is_not(None)))
    for event in events:
        event.changes = {key: {"old": REDACTED, "new": REDACTED} for key in event.changes or {}}
