"""The words of an offer: when its sessions are, in plain London-time
phrases, and the messages that tell a person about it (the offer, a
confirmation of their yes, a withdrawn offer), each in standard words and in
Easy Read, with a short version for a text message or a phone call.

The email never carries a sign-in link (a link in an email is what a
phishing message looks like, and it would let whoever reads the inbox in):
it tells the person to sign in as they usually do and look at "My roles".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from crm.contributors.models import Contributor
from crm.messaging.services import Version, Words
from crm.projects.models import RoleOpening, RoleSession
from crm.settings import Settings

LONDON = ZoneInfo("Europe/London")


def clock(value: dt.datetime) -> str:
    """10am, 12pm, 2:30pm (London time)."""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def day_words(value: dt.datetime | dt.date) -> str:
    """Tuesday 9 March 2027 (London date)."""
    day = value.astimezone(LONDON).date() if isinstance(value, dt.datetime) else value
    return f"{day:%A} {day.day} {day:%B %Y}"


def session_when(session: RoleSession) -> str:
    """Tuesday 9 March 2027, 10am to 12pm."""
    start, end = session.starts_at, session.ends_at
    if start.astimezone(LONDON).date() == end.astimezone(LONDON).date():
        return f"{day_words(start)}, {clock(start)} to {clock(end)}"
    return f"{day_words(start)}, {clock(start)} to {day_words(end)}, {clock(end)}"


def session_where(session: RoleSession, easy: bool = False) -> str:
    if session.is_online:
        return "Online" if easy else "Online (you will get the link before the meeting)"
    if session.ward is not None:
        return f"{session.ward.name}, {session.ward.site}"
    return session.venue or "To be confirmed"


def live_sessions(role: RoleOpening, today: dt.date | None = None) -> list[RoleSession]:
    """The role's sessions still to come (not cancelled, on or after
    ``today``, the UK date): what an offer, a confirmation or "first
    session" tells the person about. One that has happened is never named
    as coming."""
    today = today or dt.datetime.now(LONDON).date()
    return [s for s in role.sessions
            if not s.is_cancelled and s.starts_at.astimezone(LONDON).date() >= today]


def role_words(role: RoleOpening, easy: bool) -> str:
    """What the role is, in the words the person chose: the Easy Read
    description when they chose Easy Read and one is written, else the plain one."""
    if easy and role.easy_read_description:
        return role.easy_read_description
    return role.description or role.title


def project_words(role: RoleOpening, easy: bool) -> str | None:
    project = role.project
    if easy and project.easy_read_summary:
        return project.easy_read_summary
    return project.description


def offer_email(settings: Settings, contributor: Contributor, role: RoleOpening,
                easy: bool, today: dt.date | None = None) -> tuple[str, str]:
    """Subject and body of the email telling ``contributor`` about an offer."""
    name = contributor.name
    service = settings.service_name
    sessions = live_sessions(role, today)
    if easy:
        when = "\n".join(f"- {session_when(s)}" for s in sessions) or "- We will tell you the dates"
        paid = "You will be paid for this." if role.is_paid else "This is not paid."
        return (f"A role for you: {role.title}",
                f"Hello {name}\n\n"
                f"We want to ask you to be part of something.\n\n"
                f"The role is: {role.title}\n"
                f"{role_words(role, True)}\n\n"
                f"When:\n{when}\n\n"
                f"{paid}\n\n"
                "What to do:\n"
                f"1. Sign in to the {service} like you always do.\n"
                "2. Go to My roles.\n"
                "3. Say yes, no, or not this time.\n\n"
                "You can also ask us a question there.\n\n"
                "We did not put a link in this email. That keeps you safe.\n")
    when = "\n".join(f"- {session_when(s)}" for s in sessions) or "- Dates to be confirmed"
    paid = ("This role is paid. Your coordinator will tell you the fee."
            if role.is_paid else "This role is unpaid. We pay your travel and other expenses.")
    closes = (f"Please reply by {day_words(role.closes_on)}.\n\n" if role.closes_on else "")
    return (f"You are offered a role: {role.title}",
            f"Hello {name},\n\n"
            f"We would like to offer you a role: {role.title}.\n\n"
            f"{role_words(role, False)}\n\n"
            f"Sessions:\n{when}\n\n"
            f"{paid}\n\n"
            f"To reply, sign in to the {service} as you usually do and go to My roles. "
            "You can say yes, no or not this time, or ask a question first.\n\n"
            f"{closes}"
            "This email has no link in it on purpose, to keep your account safe.\n")


def offer_message(settings: Settings, contributor: Contributor, role: RoleOpening,
                  today: dt.date | None = None) -> Words:
    """The offer in both formats (the email or letter, and a short version)."""
    service = settings.service_name
    plain, easy = (offer_email(settings, contributor, role, e, today) for e in (False, True))
    return Words(
        Version(*plain, f"{service}: you are offered a role, {role.title}. To reply, sign in "
                        "as you usually do and go to My roles."),
        Version(*easy, f"{service}: a role for you, {role.title}. Sign in and go to My roles. "
                       "Say yes or no there."))


def withdrawn_message(settings: Settings, contributor: Contributor,
                      role: RoleOpening) -> Words:
    """We are taking back an offer the person was told about."""
    name, service = contributor.name, settings.service_name
    return Words(
        Version(f"Offer withdrawn: {role.title}",
                f"Hello {name},\n\nWe are sorry: we have had to withdraw our offer of the "
                f"role {role.title}. You do not need to do anything.\n\nThank you for your "
                "interest. We will tell you about other roles that suit you.\n",
                f"{service}: sorry, we have withdrawn the offer of {role.title}. You do not "
                "need to do anything."),
        Version(f"The role {role.title} is not going ahead for you",
                f"Hello {name}\n\nWe are sorry.\nWe cannot give you this role now: "
                f"{role.title}.\n\nYou do not need to do anything.\n\nWe will tell you "
                "about other roles.\n",
                f"{service}: sorry, we cannot give you the role {role.title} now. You do not "
                "need to do anything."))


def confirmation_message(settings: Settings, contributor: Contributor,
                         role: RoleOpening, today: dt.date | None = None) -> Words:
    """Their place is confirmed: when and where each session is."""
    name, service = contributor.name, settings.service_name
    sessions = live_sessions(role, today)
    plain = "\n".join(f"- {session_when(s)}: {session_where(s)}" for s in sessions) \
        or "- We will tell you the dates"
    easy = "\n".join(f"- {session_when(s)}\n  Where: {session_where(s, True)}"
                     for s in sessions) or "- We will tell you the dates"
    first = f" The first is {session_when(sessions[0])}." if sessions else ""
    return Words(
        Version(f"Your place is confirmed: {role.title}",
                f"Hello {name},\n\nThank you for saying yes. Your place on {role.title} is "
                f"confirmed.\n\nSessions:\n{plain}\n\nIf anything changes we will tell you "
                "straight away.\n\nTo see the details or ask a question, sign in to the "
                f"{service} and go to My roles.\n",
                f"{service}: your place on {role.title} is confirmed.{first} Details in My "
                "roles."),
        Version(f"You have a place: {role.title}",
                f"Hello {name}\n\nThank you for saying yes.\nYou have a place.\n\n"
                f"The role is: {role.title}\n\nWhen and where:\n{easy}\n\n"
                "If anything changes, we will tell you.\n",
                f"{service}: you have a place on {role.title}.{first} We will tell you if "
                "anything changes."))
