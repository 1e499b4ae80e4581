"""The audit log for administrators: filters, and each event in words.

It never names a contributor (being in an involvement bank says something
about a person's health): a contributor who acted is "A contributor", and a
record is "contributor record 86".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from crm.accounts.models import User
from crm.audit.actions import ACTION_WORDS, ENTITY_WORDS, Action, EntityType, verb
from crm.audit.models import AuditEvent
from crm.permissions import Role
from crm.web.templating import LONDON, role_label


def _whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilters:
    staff: int | None = None      # the user who acted
    action: Action | None = None
    record: int | None = None     # a contributor record number
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> AuditFilters:
        action = args.get("action", "")
        return cls(staff=_whole_number(args.get("staff")),
                   action=Action(action) if action in set(Action) else None,
                   record=_whole_number(args.get("record")),
                   date_from=_date(args.get("from")), date_to=_date(args.get("to")))

    def apply(self, stmt: Select[Any, Any]) -> Select[Any, Any]:
        if self.staff is not None:
            stmt = stmt.where(AuditEvent.actor_id == self.staff)
        if self.action is not None:
            stmt = stmt.where(AuditEvent.action == self.action.value)
        if self.record is not None:
            stmt = stmt.where(AuditEvent.entity_type == EntityType.CONTRIBUTOR.value,
                              AuditEvent.entity_id == self.record)
        if self.date_from is not None:  # days as people in England count them
            stmt = stmt.where(AuditEvent.occurred_at >= _start_of(self.date_from))
        if self.date_to is not None:
            stmt = stmt.where(AuditEvent.occurred_at < _start_of(self.date_to
                                                                 + dt.timedelta(days=1)))
        return stmt


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)


def events(filters: AuditFilters) -> Select[Any, Any]:
    return filters.apply(
        select(AuditEvent, User).outerjoin(User, AuditEvent.actor_id == User.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()))


def staff_choices(session: Session) -> list[tuple[str, str]]:
    """Staff who can act, for the filter (never contributors)."""
    return [(str(u.id), f"{u.display_name} ({role_label(u.role)})") for u in session.scalars(
        select(User).where(User.role != Role.CONTRIBUTOR.value)
        .order_by(User.display_name, User.id))]


def action_choices() -> list[tuple[str, str]]:
    return [(a.value, label) for a, (_verb, label) in ACTION_WORDS.items()]


@dataclass(frozen=True)
class Line:
    event: AuditEvent
    sentence: str
    actor_id: int | None  # to link to the staff member, when it is one


def in_words(session: Session, rows: list[tuple[AuditEvent, User | None]]) -> list[Line]:
    """Each event as a sentence; the accounts events are about are loaded in
    one query."""
    ids = {e.entity_id for e, _ in rows if e.entity_type == EntityType.USER and e.entity_id}
    subjects = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} \
        if ids else {}
    return [_line(event, actor, subjects) for event, actor in rows]


def _is_contributor(role: str | None) -> bool:
    return role == Role.CONTRIBUTOR.value


def _line(event: AuditEvent, actor: User | None, subjects: dict[int, User]) -> Line:
    if event.actor_id is None:
        who, link = "Someone not signed in", None
    elif _is_contributor(event.actor_role):
        who, link = "A contributor", None
    elif actor is None:
        who, link = f"A former {role_label(event.actor_role or '').lower()}", None
    else:
        who, link = f"{actor.display_name} ({role_label(event.actor_role or actor.role)})", \
            actor.id
    what = ""
    if event.entity_type == EntityType.CONTRIBUTOR:
        what = (f"contributor record {event.entity_id}" if event.entity_id
                else "contributor records")
    elif event.entity_type == EntityType.USER and event.entity_id:
        subject = subjects.get(event.entity_id)
        if event.entity_id == event.actor_id:
            what = "their own account"
        elif subject is None:
            what = f"account {event.entity_id} (since removed)"
        elif _is_contributor(subject.role):
            what = "a contributor's sign-in account"
        else:
            what = f"the account of {subject.display_name} ({role_label(subject.role)})"
    elif event.entity_type in ENTITY_WORDS:
        noun = ENTITY_WORDS[EntityType(event.entity_type)]
        what = f"{noun} {event.entity_id}" if event.entity_id else f"{noun}s"
    sentence = " ".join(part for part in (who, verb(event.action), what) if part)
    return Line(event, sentence, link)
