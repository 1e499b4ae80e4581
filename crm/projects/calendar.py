"""Role sessions as iCalendar (RFC 5545) files, with the ``icalendar`` library.

One builder for the three places a calendar is wanted: the ``.ics`` a
coordinator or a contributor downloads for one session, the ``.ics`` attached
to a confirmation message, and a contributor's personal calendar feed of all
their sessions.

What goes in is only what a calendar needs: the role and project titles,
when (DTSTART/DTEND in UTC, so calendars show it in the reader's own time
zone and British Summer Time never shifts it), and where in words (the
ward's room, another venue, or online). Never a person's name, health,
adjustments, lived experience or anything else of special category: a feed
address can be forwarded, and calendars sync to phones and other services.

Updates: the UID is stable per session (``session-<id>@<host>``) and
SEQUENCE is ``RoleSession.sequence``, which goes up on every change, so a
calendar replaces the event it already has; a cancelled session is kept in
the feed with STATUS:CANCELLED so the calendar strikes it out rather than
quietly keeping the old event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from crm.projects.models import RoleSession

PRODID = "-//Involvement bank//Role sessions//EN"
ICS_MIMETYPE = "text/calendar; charset=utf-8"
DEFAULT_HOST = "involvement-bank.invalid"


def uid_host(base_url: str) -> str:
    """The host part of UIDs: the app's own host name, so UIDs never clash
    with another system's; a made-up reserved name when none is set."""
    host = urlsplit(base_url).hostname if base_url else None
    return host or DEFAULT_HOST


def session_uid(session_id: int, host: str) -> str:
    return f"session-{session_id}@{host}"


def where_words(session: RoleSession) -> str:
    """Where the session is, in words: the ward and site, the venue, or online."""
    if session.is_online:
        return "Online (the link comes before the meeting)"
    if session.ward is not None:
        return f"{session.ward.name}, {session.ward.site}"
    return session.venue or "To be confirmed"


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:  # SQLite hands back naive values; they are UTC.
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


PLAIN_SUMMARY = "Involvement meeting"


def plain_where(session: RoleSession) -> str:
    """Where, without naming a ward or venue: online or in person."""
    return "Online" if session.is_online else "In person"


def session_event(session: RoleSession, host: str, *, stamp: dt.datetime | None = None,
                  plain: bool = False) -> Event:
    """One VEVENT for ``session``. Its words are the role and project only;
    with ``plain``, only "Involvement meeting" and online or in person (a
    ward's or project's name can say something about a person's health to
    whoever sees their calendar)."""
    role = session.role
    event = Event()
    event.add("uid", session_uid(session.id, host))
    event.add("dtstamp", _as_utc(stamp or dt.datetime.now(dt.UTC)))
    event.add("dtstart", _as_utc(session.starts_at))
    event.add("dtend", _as_utc(session.ends_at))
    event.add("sequence", session.sequence)
    if plain:
        event.add("summary", PLAIN_SUMMARY)
        event.add("location", plain_where(session))
        event.add("description", "Sign in and look at My roles for the details.")
    else:
        event.add("summary", f"{role.title}: {role.project.title}")
        event.add("location", where_words(session))
        event.add("description", f"Role: {role.title}\nProject: {role.project.title}\n"
                                 "Sign in and look at My roles for the details.")
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if session.is_cancelled else "OPAQUE")
    return event


def _calendar(name: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def session_calendar(session: RoleSession, host: str, *,
                     stamp: dt.datetime | None = None) -> bytes:
    """A VCALENDAR with one session, as bytes ready to send or attach."""
    cal = _calendar(None)
    cal.add_component(session_event(session, host, stamp=stamp))
    return cal.to_ical()


def feed_calendar(sessions: Iterable[RoleSession], host: str, name: str, *,
                  stamp: dt.datetime | None = None,
                  refresh: dt.timedelta = dt.timedelta(hours=6), plain: bool = False) -> bytes:
    """A VCALENDAR with many sessions (a personal feed), cancelled ones kept
    with STATUS:CANCELLED so subscribed calendars update; ``plain`` as in
    ``session_event``."""
    cal = _calendar(name)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", refresh)
    when = stamp or dt.datetime.now(dt.UTC)
    for session in sessions:
        cal.add_component(session_event(session, host, stamp=when, plain=plain))
    return cal.to_ical()


def ics_filename(session: RoleSession) -> str:
    """A file name with no personal data: the session number and its date."""
    return f"session-{session.id}-{_as_utc(session.starts_at):%Y-%m-%d}.ics"


__all__ = ["ICS_MIMETYPE", "PLAIN_SUMMARY", "PRODID", "feed_calendar", "ics_filename",
           "plain_where", "session_calendar", "session_event", "session_uid", "uid_host",
           "where_words"]
