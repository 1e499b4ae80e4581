"""The one outgoing message service: ``queue`` a message to a contributor
and it goes the way they asked (crm.messaging.channels), in their format,
after the request has committed.

A message is a row in the outbox (crm.mail.models.OutboxMessage), written
in the request's session: if the request rolls back, the row goes too and
nothing is sent. Rows that can be sent now are handed to
crm.messaging.sending once the commit is done (``after_commit``); anything
not sent then (a server down, a later time) is sent by ``flask messages
send-due``. Letters go on the print list and calls on the list of calls to
make; with nothing set up, messages wait in the outbox.

Services flush and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.contributors.models import Channel, Contributor, InformationFormat
from crm.db import after_commit, utcnow
from crm.mail.models import MessageStatus, OutboxMessage
from crm.messaging import best_times, channels, sending
from crm.messaging.channels import Route, SetUp, Transport
from crm.settings import Settings

_STATUS = {Transport.SMTP: MessageStatus.QUEUED, Transport.NOTIFY: MessageStatus.QUEUED,
           Transport.OUTBOX: MessageStatus.HELD, Transport.PRINT: MessageStatus.TO_PRINT,
           Transport.STAFF: MessageStatus.BY_HAND}


@dataclass(frozen=True)
class Version:
    """A message in one format: ``short`` is what a text message or a
    phone call says (a few lines), ``body`` the email or letter."""

    subject: str
    body: str
    short: str


@dataclass(frozen=True)
class Words:
    standard: Version
    easy_read: Version

    def chosen(self, information_format: str) -> Version:
        easy = information_format == InformationFormat.EASY_READ
        return self.easy_read if easy else self.standard


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


# What an email says about the calendar file: attached (SMTP), or where to
# get it (GOV.UK Notify sends no calendar files). Letters and texts say nothing.
_CALENDAR_ATTACHED = {
    False: "\nThe calendar file attached to this email puts it in your calendar (or updates "
           "it there).\n",
    True: "\nOpen the file with this email to put it in your calendar.\n"}
_CALENDAR_ONLINE = {
    False: "\nTo put it in your calendar, sign in and go to My roles, then My meetings, "
           "and download the calendar file.\n",
    True: "\nYou can put it in your calendar. Sign in. Go to My roles, then My meetings.\n"}


def _for_supporter(route: Route, c: Contributor, version: Version) -> Version:
    easy = route.information_format == InformationFormat.EASY_READ
    name = c.name
    if easy:
        intro = (f"This message is for {name}.\nYou are their supporter.\n"
                 f"Please tell {name} about it.\n\n")
        short = f"For {name}, from their involvement team: "
    else:
        intro = (f"This message is for {name}. They asked us to contact them through you, "
                 "their named supporter. Please pass it on to them.\n\n")
        short = f"For {name} (you are their supporter): "
    return Version(f"For {name}: {version.subject}"[:200], intro + version.body,
                   short + version.short)


def _text_for(route: Route, version: Version) -> str:
    if route.channel in (Channel.TEXT, Channel.PHONE):
        return version.short
    return version.body


def queue(session: Session, settings: Settings, c: Contributor, kind: str, words: Words, *,
          attachment: Attachment | None = None, dedupe_key: str | None = None,
          needs_consent: bool = True, not_before: dt.datetime | None = None,
          at_best_time: bool = False, latest: dt.datetime | None = None
          ) -> OutboxMessage | None:
    """Queue one message to ``c`` by their first usable channel, in their
    format (the Easy Read version for those who asked), through their
    supporter when they asked. Returns None when there is no way to reach
    them (the caller tells the coordinator), or the message already queued
    with the same ``dedupe_key`` (never queued twice).

    An attachment (a calendar file) goes with an email sent by SMTP;
    other channels say where to find it instead.

    ``at_best_time`` (offers, reminders: messages that can wait): a text
    message waits for the best days and times on their record
    (crm.messaging.best_times), but never past ``latest``."""
    if dedupe_key is not None:
        found = session.scalars(select(OutboxMessage)
                                .where(OutboxMessage.dedupe_key == dedupe_key)).first()
        if found is not None:
            return found
    route = channels.route_for(c, SetUp.from_settings(settings), needs_consent=needs_consent)
    if route is None:
        return None
    version = words.chosen(route.information_format)
    if route.via_supporter:
        version = _for_supporter(route, c, version)
    status = _STATUS[route.transport]
    now = utcnow()
    if at_best_time and route.channel == Channel.TEXT and status == MessageStatus.QUEUED:
        good = best_times.next_good_time(
            not_before or now, best_times.read(c.communication.best_times
                                               if c.communication else None))
        not_before = good if latest is None or good <= latest else (not_before or now)
    message = OutboxMessage(
        to_address=route.address[:254], subject=version.subject[:200],
        body=_text_for(route, version), created_at=now, contributor_id=c.id, kind=kind,
        channel=route.channel, transport=route.transport.value,
        information_format=route.information_format,
        to_name=route.via_supporter or c.full_name, postal_address=route.postal_address,
        via_supporter=route.via_supporter, status=status.value,
        next_attempt_at=(not_before or now) if status == MessageStatus.QUEUED else None,
        dedupe_key=dedupe_key)
    if attachment is not None and route.transport == Transport.SMTP:
        message.attachment_filename = attachment.filename
        message.attachment_content_type = attachment.content_type
        message.attachment = attachment.data
        message.body += _CALENDAR_ATTACHED[route.information_format == InformationFormat.EASY_READ]
    elif attachment is not None and route.channel == Channel.EMAIL:
        message.body += _CALENDAR_ONLINE[route.information_format == InformationFormat.EASY_READ]
    session.add(message)
    session.flush()
    if status == MessageStatus.QUEUED and message.next_attempt_at is not None \
            and message.next_attempt_at <= now:
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        message_id = message.id
        def send() -> None:
            sending.send_now(engine, settings, [message_id])

        after_commit(session, send)
    return message


def delivery_words(message: OutboxMessage | None) -> str:
    """How a message went, for the coordinator's page and the audit log."""
    if message is None:
        return "no way to reach them: tell them another way"
    who = f" through their supporter {message.via_supporter}" if message.via_supporter else ""
    return {
        MessageStatus.TO_PRINT.value: f"a letter on the print list{who}",
        MessageStatus.BY_HAND.value: f"a phone call for staff to make{who}",
        MessageStatus.HELD.value: f"{message.channel} waiting in the outbox{who}",
    }.get(message.status, f"{'text message' if message.channel == 'text' else message.channel}"
                          f"{who}")
