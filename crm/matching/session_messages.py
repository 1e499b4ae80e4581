"""When a session's time, place or papers change, or it is cancelled,
everyone confirmed for its role (their yes took a place) is told straight
away, each in their own way (crm.messaging): by text, email, letter, a call,
or through their supporter, in Easy Read for those who asked, with the
updated calendar file (its SEQUENCE raised, or STATUS:CANCELLED).

Projects sits below matching, so the projects service sends
``crm.hooks.session_changed`` and this receiver (connected from
crm.matching.hooks) queues one message a person. Each is keyed by session,
change (its sequence) and person, so the same change is never told twice.

It also makes the reminders about sessions for ``flask messages send-due``
(``crm.hooks.reminders_due``): the day before, and papers ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm import hooks
from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.matching.models import Offer, OfferStatus
from crm.matching.offer_words import LONDON, session_when, session_where
from crm.messaging import reminders
from crm.messaging import services as messages
from crm.messaging.models import ReminderKind
from crm.messaging.services import Attachment, Version, Words
from crm.projects import calendar
from crm.projects.models import RoleSession
from crm.settings import Settings, load_settings


def _settings() -> Settings:
    # The signal comes from a projects service, which has no settings to
    # pass; in a request (or CLI) the app's settings are the ones in use.
    return current_app.config["CRM_SETTINGS"] if has_app_context() else load_settings()


def change_words(settings: Settings, c: Contributor, row: RoleSession,
                 changed: list[str]) -> Words:
    """What changed, and the session as it is now, in both formats."""
    role, name, service = row.role, c.name, settings.service_name
    when, where = session_when(row), session_where(row)
    if "cancelled" in changed:
        return Words(
            Version(f"Cancelled: {role.title}, {when}",
                    f"Hello {name},\n\nWe are sorry: the session of {role.title} on {when} is "
                    "cancelled. Please do not come to it.\n\nYour place on the role "
                    "stays.\n",
                    f"{service}: sorry, the {role.title} session on {when} is cancelled. "
                    "Please do not come."),
            Version(f"Cancelled: {role.title}",
                    f"Hello {name}\n\nWe are sorry.\nThis meeting is not happening:\n"
                    f"{role.title}\n{when}\n\nPlease do not come.\nYou still have your place.\n",
                    f"{service}: sorry, the meeting on {when} is not happening. Please do "
                    "not come."))
    papers = (f" Papers will be ready on {row.papers_ready_on:%A} {row.papers_ready_on.day} "
              f"{row.papers_ready_on:%B}." if row.papers_ready_on else "")
    what = " and ".join(sorted({"time" if c_ in ("starts_at", "minutes") else
                                "place" if c_ == "place" else "papers" for c_ in changed}))
    return Words(
        Version(f"Changed: {role.title} session ({what})",
                f"Hello {name},\n\nThe {what} of a session of {role.title} has changed. "
                f"It is now:\n\nWhen: {when}\nWhere: {where}\n{papers.strip()}\n\n"
                "If you can no longer come, "
                f"please tell us: sign in to the {service} and go to My roles, or reply to "
                "your coordinator.\n",
                f"{service}: the {role.title} session has changed. Now: {when}, {where}."
                f"{papers}"),
        Version(f"A change to your meeting: {role.title}",
                f"Hello {name}\n\nYour meeting has changed.\n\nWhen: {when}\n"
                f"Where: {session_where(row, True)}\n{papers.strip()}\n\n"
                "If you cannot come now, tell us.\n",
                f"{service}: your meeting has changed. Now: {when}, "
                f"{session_where(row, True)}."))


def confirmed_people(session: Session, row: RoleSession) -> list[Contributor]:
    """Everyone whose yes took a place on the session's role."""
    return list(session.scalars(
        select(Contributor).join(Offer, Offer.contributor_id == Contributor.id)
        .where(Offer.role_id == row.role_id, Offer.status == OfferStatus.ACCEPTED.value,
               Contributor.anonymised_at.is_(None))
        .options(selectinload(Contributor.communication), selectinload(Contributor.consents))
        .order_by(Contributor.id)))


def tell_confirmed(session: Session, settings: Settings, row: RoleSession,
                   changed: list[str]) -> int:
    """Queue the change for everyone confirmed. Returns how many were told
    (those with no way to reach them are left to the coordinator)."""
    host = calendar.uid_host(settings.base_url)
    ics = Attachment(calendar.ics_filename(row), calendar.ICS_MIMETYPE,
                     calendar.session_calendar(row, host))
    told = 0
    for c in confirmed_people(session, row):
        message = messages.queue(
            session, settings, c, "session_changed", change_words(settings, c, row, changed),
            attachment=ics, needs_consent=False,
            dedupe_key=f"session_changed:{row.id}:{row.sequence}:{c.id}")
        told += message is not None
    return told


@hooks.session_changed.connect
def _on_session_changed(session: Session, *, role_session: RoleSession, actor: User,
                        changed: list[str], **_: Any) -> None:
    tell_confirmed(session, _settings(), role_session, changed)


# --- Reminders ------------------------------------------------------------------

def _sessions_with_people(session: Session, where: Any) -> list[tuple[RoleSession, int]]:
    """(session, contributor id) for people confirmed for the sessions chosen."""
    rows = session.execute(
        select(RoleSession, Offer.contributor_id)
        .join(Offer, Offer.role_id == RoleSession.role_id)
        .where(Offer.status == OfferStatus.ACCEPTED.value, RoleSession.is_cancelled.is_(False),
               *where)
        .options(selectinload(RoleSession.role), selectinload(RoleSession.ward))
        .order_by(RoleSession.id, Offer.contributor_id)).all()
    return [(r, cid) for r, cid in rows]


def _people(session: Session, ids: set[int]) -> dict[int, Contributor]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(
        select(Contributor).where(Contributor.id.in_(ids), Contributor.anonymised_at.is_(None))
        .options(selectinload(Contributor.communication), selectinload(Contributor.consents)))}


def _london_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)


def day_before_words(settings: Settings, c: Contributor, row: RoleSession) -> Words:
    service, when = settings.service_name, session_when(row)
    return Words(
        Version(f"Tomorrow: {row.role.title}",
                f"Hello {c.name},\n\nA reminder: {row.role.title} is tomorrow.\n\nWhen: "
                f"{when}\nWhere: {session_where(row)}\n\nIf you cannot come, please tell "
                "your coordinator. Thank you.\n",
                f"{service}: a reminder, {row.role.title} is tomorrow, {when}, "
                f"{session_where(row)}."),
        Version(f"Your meeting is tomorrow: {row.role.title}",
                f"Hello {c.name}\n\nYour meeting is tomorrow.\n\nWhen: {when}\n"
                f"Where: {session_where(row, True)}\n\nIf you cannot come, tell us.\n",
                f"{service}: your meeting is tomorrow, {when}."))


def papers_words(settings: Settings, c: Contributor, row: RoleSession) -> Words:
    service, when = settings.service_name, session_when(row)
    return Words(
        Version(f"Papers ready: {row.role.title}",
                f"Hello {c.name},\n\nThe papers for {row.role.title} on {when} are ready. "
                "Your coordinator will send them in the format you asked for, or you can ask "
                "them for a copy.\n",
                f"{service}: the papers for {row.role.title} on {when} are ready."),
        Version(f"Papers for your meeting are ready: {row.role.title}",
                f"Hello {c.name}\n\nThe papers for your meeting are ready.\n\nMeeting: "
                f"{when}\n\nWe will send them to you the way you asked.\n",
                f"{service}: the papers for your meeting on {when} are ready."))


@hooks.reminders_due.connect
def session_reminders(session: Session, *, settings: Settings, today: dt.date,
                      **_: Any) -> int:
    """The day before each session, and papers ready (no later than each
    person's own notice, ``papers_days_before``), once each."""
    tomorrow = today + dt.timedelta(days=1)
    day_before = _sessions_with_people(session, (
        RoleSession.starts_at >= _london_midnight(tomorrow),
        RoleSession.starts_at < _london_midnight(tomorrow + dt.timedelta(days=1))))
    papers = _sessions_with_people(session, (
        RoleSession.papers_ready_on.is_not(None), RoleSession.papers_ready_on <= today,
        RoleSession.starts_at >= _london_midnight(today)))
    ids = {cid for _r, cid in day_before + papers}
    people = _people(session, ids)
    off_day = reminders.turned_off(session, ids, ReminderKind.DAY_BEFORE)
    off_papers = reminders.turned_off(session, ids, ReminderKind.PAPERS_READY)
    made = 0
    for row, cid in day_before:
        c = people.get(cid)
        if c is not None and cid not in off_day:
            made += reminders.queue_once(session, settings, c, ReminderKind.DAY_BEFORE,
                                         day_before_words(settings, c, row),
                                         f"reminder:day_before:{row.id}:{cid}",
                                         latest=row.starts_at - dt.timedelta(hours=3))
    for row, cid in papers:
        c = people.get(cid)
        if c is not None and cid not in off_papers:
            made += reminders.queue_once(session, settings, c, ReminderKind.PAPERS_READY,
                                         papers_words(settings, c, row),
                                         f"reminder:papers_ready:{row.id}:{row.papers_ready_on}"
                                         f":{cid}")
    return made
