"""The rules and writes of the meetings pages: ticking checklist items,
pre-meets and check-ins, further thoughts, calendar feeds and "you said, we
did". Each flushes and audits; none commits (crm.db does, once a request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.meetings import checklist
from crm.meetings.config import meetings_config
from crm.meetings.models import (
    SUPPORT_KIND_LABELS,
    SUPPORT_STATUS_LABELS,
    CalendarFeed,
    ChecklistTick,
    FurtherThought,
    SessionSupport,
    SupportKind,
    SupportStatus,
    YouSaidWeDid,
)
from crm.projects.models import Project, RoleSession

THOUGHT_MAX = 4000
LOG_TEXT_MAX = 2000
NOTE_MAX = 1000


class MeetingError(Exception):
    """A rule was broken; ``field`` names the input it belongs to."""

    def __init__(self, message: str, field: str | None = None,
                 own_message: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.own_message = own_message or message


class StaleEdit(Exception):
    """Someone else saved this after the page was loaded."""


# ---------------------------------------------------------------- checklist


def set_arranged(session: Session, actor: User, role_session: RoleSession,
                 item: checklist.Item, arranged: bool, expected_version: int) -> None:
    """Mark ``item`` arranged (or not yet). ``expected_version`` is the tick's
    version the page showed (0 for none); anything else is StaleEdit, so a
    second coordinator is told rather than overwriting the first."""
    if item.by_room:
        raise MeetingError("The room already provides this")
    tick = session.scalar(select(ChecklistTick).where(
        ChecklistTick.session_id == role_session.id, ChecklistTick.item_key == item.key))
    if (tick.version if tick else 0) != expected_version:
        raise StaleEdit()
    if tick is None:
        tick = ChecklistTick(session_id=role_session.id, item_key=item.key,
                             contributor_id=item.contributor_id)
        session.add(tick)
    elif tick.is_arranged == arranged:
        return
    tick.is_arranged = arranged
    tick.arranged_by_id = actor.id
    tick.arranged_at = utcnow()
    session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.SESSION, entity_id=role_session.id,
           actor=actor, changes={f"checklist: {item.key}": {"old": not arranged, "new": arranged}},
           summary=("Marked a checklist item arranged" if arranged
                    else "Marked a checklist item not yet arranged"))


# ---------------------------------------------------------------- pre-meets and check-ins


def record_support(session: Session, actor: User, role_session: RoleSession,
                   person: Contributor, kind: str, status: str, expected_version: int,
                   note: str | None = None, note_agreed: bool = False,
                   now: dt.datetime | None = None) -> SessionSupport:
    """Record a pre-meet (before the session) or a check-in (after it) for
    one person confirmed. Only the fact is kept; a note only when the
    person agreed to it being kept."""
    now = now or utcnow()
    if kind not in {k.value for k in SupportKind}:
        raise MeetingError("Select pre-meet or check-in", "kind")
    if status not in {s.value for s in SupportStatus}:
        raise MeetingError("Select what happened", "status")
    if kind == SupportKind.CHECK_IN and role_session.starts_at > now:
        raise MeetingError("A check-in is after the session, which has not started yet",
                           "status")
    text = (note or "").strip() or None
    if text and not note_agreed:
        raise MeetingError("Only keep a note if the person agreed to it. Tick that they "
                           "agreed, or leave the note empty", "note")
    if text and len(text) > NOTE_MAX:
        raise MeetingError(f"The note must be {NOTE_MAX} characters or fewer", "note")
    row = session.scalar(select(SessionSupport).where(
        SessionSupport.session_id == role_session.id,
        SessionSupport.contributor_id == person.id, SessionSupport.kind == kind))
    if (row.version if row else 0) != expected_version:
        raise StaleEdit()
    old = row.status if row else None
    if row is None:
        row = SessionSupport(session_id=role_session.id, contributor_id=person.id, kind=kind)
        session.add(row)
    row.status = status
    row.note_agreed = bool(text)
    row.note = text
    row.recorded_by_id = actor.id
    row.recorded_at = now
    session.flush()
    label = SUPPORT_KIND_LABELS[SupportKind(kind)].lower()
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
           actor=actor, changes={label: {"old": old, "new": status}},
           summary=f"Recorded a {label} for session {role_session.id}: "
                   f"{SUPPORT_STATUS_LABELS[SupportStatus(status)].lower()}")
    return row


# ---------------------------------------------------------------- further thoughts


def thoughts_open_until(role_session: RoleSession) -> dt.datetime:
    return role_session.ends_at + dt.timedelta(days=meetings_config().thoughts_days)


def may_add_thoughts(role_session: RoleSession, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return (not role_session.is_cancelled and role_session.starts_at <= now
            <= thoughts_open_until(role_session))


def add_thought(session: Session, actor: User, person: Contributor, role_session: RoleSession,
                body: str | None, now: dt.datetime | None = None) -> FurtherThought:
    now = now or utcnow()
    if not may_add_thoughts(role_session, now):
        raise MeetingError("Further thoughts can be added only in the days after a session",
                           "body", "You can only add thoughts in the days after the meeting")
    text = (body or "").strip()
    if not text:
        raise MeetingError("Enter your thoughts", "body", "Write your thoughts in the box")
    if len(text) > THOUGHT_MAX:
        raise MeetingError(f"Your thoughts must be {THOUGHT_MAX} characters or fewer", "body",
                           "That is too long. Please make it shorter")
    row = FurtherThought(session_id=role_session.id, contributor_id=person.id, body=text,
                         created_at=now)
    session.add(row)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.SESSION, entity_id=role_session.id,
           actor=actor, summary="Added further thoughts about a session")
    return row


# ---------------------------------------------------------------- calendar feeds


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random token: 256 bits, URL-safe; only its hash is stored."""
    return secrets.token_urlsafe(32)


def turn_on_feed(session: Session, actor: User, person: Contributor) -> str:
    """Turn the person's feed on, or give it a new address (the old one
    stops working at once). Returns the token, shown once."""
    token = new_token()
    feed = session.get(CalendarFeed, person.id)
    if feed is None:
        session.add(CalendarFeed(contributor_id=person.id, token_hash=hash_token(token)))
        summary = "Turned on their calendar feed"
    else:
        feed.token_hash = hash_token(token)
        feed.reset_at = utcnow()
        summary = "Reset the address of their calendar feed"
    session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
           actor=actor, summary=summary)
    return token


def turn_off_feed(session: Session, actor: User, person: Contributor) -> None:
    feed = session.get(CalendarFeed, person.id)
    if feed is not None:
        session.delete(feed)
        session.flush()
        record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
               actor=actor, summary="Turned off their calendar feed")


def set_feed_words(session: Session, actor: User, person: Contributor, *, plain: bool) -> None:
    """What the person's feed shows: the role, project and place, or (plain)
    only "Involvement meeting", the time and online or in person."""
    feed = session.get(CalendarFeed, person.id)
    if feed is None:
        raise MeetingError("Turn on your calendar link first", "plain_words")
    if feed.plain_words != plain:
        feed.plain_words = plain
        session.flush()
        record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
               actor=actor, summary="Chose plain words only in their calendar feed" if plain
               else "Chose the role, project and place in their calendar feed")


def feed_for_token(session: Session, token: str) -> CalendarFeed | None:
    """The feed of this token, while its owner may still sign in: a stopped
    account's feed stops too."""
    if not token or len(token) > 100:
        return None
    return session.scalar(
        select(CalendarFeed)
        .join(Contributor, Contributor.id == CalendarFeed.contributor_id)
        .join(User, User.id == Contributor.user_id)
        .where(CalendarFeed.token_hash == hash_token(token), User.is_active.is_(True)))


# ---------------------------------------------------------------- you said, we did


@dataclass
class LogInput:
    raised_on: dt.date | None
    you_said: str | None
    we_did: str | None = None
    done_on: dt.date | None = None
    easy_read_you_said: str | None = None
    easy_read_we_did: str | None = None


def _text(value: str | None, field: str, label: str, required: bool = False) -> str | None:
    text = (value or "").strip() or None
    if required and not text:
        raise MeetingError(f"Enter {label}", field)
    if text and len(text) > LOG_TEXT_MAX:
        raise MeetingError(f"{label.capitalize()} must be {LOG_TEXT_MAX} characters or fewer",
                           field)
    return text


def _log_values(data: LogInput, today: dt.date) -> dict[str, object]:
    if data.raised_on is None:
        raise MeetingError("Enter the date it was raised", "raised_on")
    if data.raised_on > today:
        raise MeetingError("The date it was raised must be today or in the past", "raised_on")
    we_did = _text(data.we_did, "we_did", "what was done")
    if data.done_on and not we_did:
        raise MeetingError("Enter what was done, or leave its date empty", "we_did")
    if data.done_on and data.done_on < data.raised_on:
        raise MeetingError("The date it was done must be on or after the date it was raised",
                           "done_on")
    return {"raised_on": data.raised_on,
            "you_said": _text(data.you_said, "you_said", "what was said", required=True),
            "we_did": we_did, "done_on": data.done_on,
            "easy_read_you_said": _text(data.easy_read_you_said, "easy_read_you_said",
                                        "the Easy Read words"),
            "easy_read_we_did": _text(data.easy_read_we_did, "easy_read_we_did",
                                      "the Easy Read words")}


def add_log_entry(session: Session, actor: User, project: Project, data: LogInput,
                  today: dt.date) -> YouSaidWeDid:
    row = YouSaidWeDid(project_id=project.id, updated_by_id=actor.id, updated_at=utcnow(),
                       **_log_values(data, today))
    session.add(row)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.PROJECT, entity_id=project.id,
           actor=actor, summary=f'Added to "you said, we did" (entry {row.id})')
    return row


def update_log_entry(session: Session, actor: User, row: YouSaidWeDid, expected_version: int,
                     data: LogInput, today: dt.date) -> None:
    if row.version != expected_version:
        raise StaleEdit()
    values = _log_values(data, today)
    changed = {k: {"old": str(getattr(row, k)), "new": str(v)} for k, v in values.items()
               if getattr(row, k) != v}
    if not changed:
        return
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by_id = actor.id
    row.updated_at = utcnow()
    session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.PROJECT, entity_id=row.project_id,
           actor=actor, changes=changed, summary=f'Changed "you said, we did" entry {row.id}')
