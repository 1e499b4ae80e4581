"""Reminders, made by ``flask messages send-due`` and queued like any other
message (each person's own way and format). Each is keyed (``dedupe_key``)
by what it is about, so however often send-due runs, a reminder is queued
once. Each kind can be turned off by the person (ReminderTurnedOff, from
their own pages).

* the day before a session, to everyone confirmed for it;
* papers ready: once a session's papers are ready, to each person
  confirmed, no later than their own notice (``papers_days_before``);
* consent review due in the next 14 days;
* training about to expire in the next 30 days: to the person, and to their
  coordinator (their key contact on the record) by email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm import hooks
from crm.accounts.models import User
from crm.contributors.models import Consent, ConsentKind, Contributor, TrainingCompletion
from crm.db import utcnow
from crm.mail.models import MessageStatus, OutboxMessage
from crm.messaging import services as messages
from crm.messaging.channels import SetUp
from crm.messaging.models import ReminderKind, ReminderTurnedOff
from crm.messaging.services import Version, Words
from crm.permissions import Permission
from crm.reference import reference
from crm.settings import Settings

LONDON = ZoneInfo("Europe/London")
CONSENT_AHEAD = dt.timedelta(days=14)
TRAINING_AHEAD = dt.timedelta(days=30)

REMINDER_LABELS = {
    ReminderKind.DAY_BEFORE: ("The day before a meeting", "The day before a meeting"),
    ReminderKind.PAPERS_READY: ("When the papers for a meeting are ready",
                                "When the papers are ready"),
    ReminderKind.CONSENT_REVIEW: ("When it is time to check your consent",
                                  "When it is time to check what you agreed to"),
    ReminderKind.TRAINING_EXPIRING: ("When your training is about to run out",
                                     "When your training runs out soon"),
}


def _day(value: dt.date | None) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}" if value else "soon"


def turned_off(session: Session, contributor_ids: Iterable[int], kind: ReminderKind) -> set[int]:
    ids = set(contributor_ids)
    if not ids:
        return set()
    return set(session.scalars(select(ReminderTurnedOff.contributor_id).where(
        ReminderTurnedOff.contributor_id.in_(ids), ReminderTurnedOff.kind == kind.value)))


def kinds_turned_off(session: Session, contributor_id: int) -> set[ReminderKind]:
    return {ReminderKind(k) for k in session.scalars(select(ReminderTurnedOff.kind).where(
        ReminderTurnedOff.contributor_id == contributor_id))}


def set_reminders(session: Session, c: Contributor, off: Iterable[str]) -> None:
    """The person's choice: the kinds in ``off`` are turned off, the rest on."""
    wanted = {ReminderKind(k) for k in off}
    rows = {r.kind: r for r in session.scalars(
        select(ReminderTurnedOff).where(ReminderTurnedOff.contributor_id == c.id))}
    for kind in ReminderKind:
        if kind in wanted and kind.value not in rows:
            session.add(ReminderTurnedOff(contributor_id=c.id, kind=kind.value))
        elif kind not in wanted and kind.value in rows:
            session.delete(rows[kind.value])
    session.flush()


def _people(session: Session, ids: Iterable[int]) -> dict[int, Contributor]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(
        select(Contributor).where(Contributor.id.in_(wanted), Contributor.anonymised_at.is_(None))
        .options(selectinload(Contributor.communication), selectinload(Contributor.consents)))}


def create_due(session: Session, settings: Settings, *, today: dt.date | None = None) -> int:
    """Queue every reminder due today that has not been queued before.
    Returns how many were queued. Reminders about sessions need the
    projects and matching tables, which sit above this package: their
    feature answers ``crm.hooks.reminders_due`` (crm.matching.session_messages)."""
    today = today or dt.datetime.now(LONDON).date()
    made = sum(int(n or 0) for _receiver, n in hooks.reminders_due.send(
        session, settings=settings, today=today))
    made += _consent_reviews(session, settings, today)
    made += _training(session, settings, today)
    return made


def queue_once(session: Session, settings: Settings, c: Contributor, kind: ReminderKind,
               words: Words, key: str, *, latest: dt.datetime | None = None) -> bool:
    """Queue a reminder unless one with ``key`` exists, at the person's best
    time (never after ``latest``). True when queued."""
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key))
    if exists is not None:
        return False
    return messages.queue(session, settings, c, f"reminder_{kind.value}", words,
                          dedupe_key=key, at_best_time=True, latest=latest) is not None


def _consent_reviews(session: Session, settings: Settings, today: dt.date) -> int:
    rows = list(session.scalars(select(Consent).where(
        Consent.is_given.is_(True), Consent.withdrawn_on.is_(None),
        Consent.review_on.is_not(None), Consent.review_on >= today,
        Consent.review_on <= today + CONSENT_AHEAD)))
    off = turned_off(session, (r.contributor_id for r in rows), ReminderKind.CONSENT_REVIEW)
    people = _people(session, (r.contributor_id for r in rows if r.contributor_id not in off))
    made = 0
    service = settings.service_name
    for r in rows:
        c = people.get(r.contributor_id)
        if c is None:
            continue
        what = {ConsentKind.CONTACT.value: "to be contacted about involvement",
                ConsentKind.RECORD_KEEPING.value: "to have your record kept",
                ConsentKind.STORY_SHARING.value: "to share your story"}.get(r.kind, "")
        day = _day(r.review_on)
        words = Words(
            Version("Time to check what you agreed to",
                    f"Hello {c.name},\n\nYou agreed {what}. We said we would check with you "
                    f"by {day} that you are still happy with it.\n\nSign in to the {service} "
                    "and go to Your record, then Consents, to keep it or change it. You can "
                    "also ask your coordinator.\n",
                    f"{service}: please check by {day} that you are still happy for us {what}. "
                    "Sign in and go to Your record."),
            Version("Please check what you said yes to",
                    f"Hello {c.name}\n\nSome time ago you said yes {what}.\n"
                    f"Please check by {day}.\nIs it still OK?\n\nSign in. Go to Your record.\n",
                    f"{service}: is it still OK {what}? Please check by {day}."))
        made += queue_once(session, settings, c, ReminderKind.CONSENT_REVIEW, words,
                           f"reminder:consent_review:{r.id}:{r.review_on}")
    return made


def _training(session: Session, settings: Settings, today: dt.date) -> int:
    rows = list(session.scalars(select(TrainingCompletion).where(
        TrainingCompletion.expires_on >= today,
        TrainingCompletion.expires_on <= today + TRAINING_AHEAD)))
    off = turned_off(session, (r.contributor_id for r in rows), ReminderKind.TRAINING_EXPIRING)
    people = _people(session, (r.contributor_id for r in rows))
    made = 0
    service = settings.service_name
    for r in rows:
        c = people.get(r.contributor_id)
        if c is None:
            continue
        course = reference().training.label(r.course_code)
        day = _day(r.expires_on)
        if c.id not in off:
            words = Words(
                Version(f"Your {course} runs out soon",
                        f"Hello {c.name},\n\nYour {course} runs out on {day}. Some roles need "
                        "it. Ask your coordinator about doing it again.\n",
                        f"{service}: your {course} runs out on {day}. Ask your coordinator "
                        "about doing it again."),
                Version(f"Your training runs out soon: {course}",
                        f"Hello {c.name}\n\nYour training runs out on {day}:\n{course}\n\n"
                        "Ask us if you want to do it again.\n",
                        f"{service}: your training runs out on {day}. Ask us about it."))
            made += queue_once(session, settings, c, ReminderKind.TRAINING_EXPIRING, words,
                               f"reminder:training:{r.id}:{r.expires_on}")
        made += _tell_coordinator(session, settings, c, course, day,
                                  f"reminder:training_staff:{r.id}:{r.expires_on}")
    return made


def _tell_coordinator(session: Session, settings: Settings, c: Contributor, course: str,
                      day: str, key: str) -> int:
    """An email to the person's key contact (a staff account), by SMTP or
    Notify, or held for them in the outbox; no name in the subject.

    Only while the key contact may still see the record: a stopped account
    (they left) or one whose role changed (an administrator, finance) is not
    told a contributor's name. The involvement team's address is told
    instead, if there is one, with a word to choose another key contact;
    otherwise nobody is (the training-due list still shows it)."""
    if c.key_contact_id is None:
        return 0
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return 0
    staff = session.get(User, c.key_contact_id)
    if staff is None:
        return 0
    if staff.can(Permission.CONTRIBUTORS_VIEW):
        if not staff.email:
            return 0
        to_address, to_name, hello, extra = (staff.email, staff.display_name,
                                             f"Hello {staff.display_name},", "")
    else:
        if not settings.involvement_team_email:
            return 0
        to_address, to_name, hello = (settings.involvement_team_email, "Involvement team",
                                      "Hello,")
        extra = ("\nTheir key contact on the record can no longer see it. Please choose "
                 "another key contact on their record.\n")
    set_up = SetUp.from_settings(settings)
    transport = "smtp" if set_up.smtp else "notify" if set_up.notify_email else "outbox"
    now = utcnow()
    message = OutboxMessage(
        to_address=to_address, to_name=to_name, contributor_id=c.id,
        kind="training_expiring_staff", channel="email", transport=transport,
        subject="Training about to run out for someone you support",
        body=(f"{hello}\n\nThe {course} of {c.full_name} runs out on "
              f"{day}. Sign in to the {settings.service_name} and look at Training due.\n"
              f"{extra}"),
        created_at=now, dedupe_key=key,
        status=(MessageStatus.HELD if transport == "outbox" else MessageStatus.QUEUED).value,
        next_attempt_at=None if transport == "outbox" else now)
    session.add(message)
    session.flush()
    return 1
