"""How a message reaches a person: the first channel in their order of
preference that they have not said never to use, that we hold an address
for, and (when one is) that is set up to send; in the format they chose;
or through their named supporter when they asked for that.

Pure: reads a contributor and what is set up, decides, writes nothing.

* email goes by SMTP when a mail server is set up, else by GOV.UK Notify
  when it is, else waits in the outbox for an administrator (as before);
* text messages go by Notify (and wait in the outbox without it);
* letters go on the print list for staff (large print when chosen);
* a phone call goes on the same list, as a call for staff to make.

A channel that is set up comes before one that is not, so someone whose
first choice is text still gets an email when only SMTP is set up; with
nothing set up, their first choice is kept and the message waits.
"Do not use" is never broken, for the person or their supporter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from crm.contributors.models import Channel, Contributor, InformationFormat
from crm.settings import Settings

BY_HAND = "by_hand"  # nothing we can use: the coordinator tells them another way


class Transport(StrEnum):
    SMTP = "smtp"
    NOTIFY = "notify"
    OUTBOX = "outbox"  # nothing set up: held for an administrator
    PRINT = "print"    # a letter on the print list
    STAFF = "staff"    # a call for staff to make


@dataclass(frozen=True)
class Route:
    channel: str            # email, text, letter, phone
    transport: Transport
    address: str            # email address, phone number, or the name for a letter
    information_format: str
    postal_address: str | None = None
    via_supporter: str | None = None  # the supporter's name when it goes through them


@dataclass(frozen=True)
class SetUp:
    """Which ways of sending are configured."""

    smtp: bool
    notify_email: bool
    notify_text: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> SetUp:
        notify = bool(settings.notify_api_key)
        return cls(smtp=bool(settings.mail_host),
                   notify_email=notify and bool(settings.notify_email_template_id),
                   notify_text=notify and bool(settings.notify_sms_template_id))


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d ()-]{10,20}")


def information_format(c: Contributor) -> str:
    """Easy Read when they asked for it anywhere on their record, else the
    format in their communication needs (standard when none)."""
    pref = c.communication
    if c.prefers_easy_read or (pref is not None
                               and pref.information_format == InformationFormat.EASY_READ):
        return InformationFormat.EASY_READ.value
    return pref.information_format if pref else InformationFormat.STANDARD.value


def _transport(channel: str, set_up: SetUp) -> tuple[Transport, bool]:
    """(transport, is it really set up)."""
    if channel == Channel.EMAIL:
        if set_up.smtp:
            return Transport.SMTP, True
        if set_up.notify_email:
            return Transport.NOTIFY, True
        return Transport.OUTBOX, False
    if channel == Channel.TEXT:
        return (Transport.NOTIFY, True) if set_up.notify_text else (Transport.OUTBOX, False)
    if channel == Channel.LETTER:
        return Transport.PRINT, True
    return Transport.STAFF, True


def _address(c: Contributor, channel: str) -> str | None:
    if channel == Channel.EMAIL:
        return c.email or None
    if channel in (Channel.TEXT, Channel.PHONE):
        return c.phone or None
    if channel == Channel.LETTER:
        return c.full_name if c.postal_address else None
    return None


def _supporter_channel(contact: str) -> str:
    if _EMAIL.fullmatch(contact):
        return Channel.EMAIL.value
    if _PHONE.fullmatch(contact):
        return Channel.TEXT.value
    return Channel.LETTER.value


def route_for(c: Contributor, set_up: SetUp, *, needs_consent: bool = True) -> Route | None:
    """The way to reach ``c``, or None when there is none (the coordinator
    tells them another way). ``needs_consent``: only with their consent to
    be contacted (offers, reminders); a change to a session they said yes
    to is told to them whatever."""
    if needs_consent and not c.may_contact:
        return None
    fmt = information_format(c)
    pref = c.communication
    never = set(pref.do_not_use) if pref else set()
    if pref is not None and pref.via_supporter and pref.supporter_contact:
        return _via_supporter(pref.supporter_name or "their supporter",
                              pref.supporter_contact.strip(), never, set_up, fmt)
    order = list(pref.channel_order) if pref and pref.channel_order else [Channel.EMAIL.value]
    usable: list[Route] = []
    for channel in order:
        address = _address(c, channel) if channel not in never else None
        if address is None:
            continue
        transport, ready = _transport(channel, set_up)
        route = Route(channel, transport, address, fmt,
                      postal_address=c.postal_address if channel == Channel.LETTER else None)
        if ready:
            return route
        usable.append(route)
    return usable[0] if usable else None


def _via_supporter(name: str, contact: str, never: set[str], set_up: SetUp,
                   fmt: str) -> Route | None:
    """Their supporter's contact is one line: an email address, a phone
    number (a text, or a call when texts are not to be used) or a postal
    address (a letter)."""
    channel = _supporter_channel(contact)
    if channel == Channel.TEXT and channel in never:
        channel = Channel.PHONE.value
    if channel in never:
        return None
    transport, _ready = _transport(channel, set_up)
    if channel == Channel.LETTER:
        return Route(channel, transport, name, fmt, postal_address=contact, via_supporter=name)
    return Route(channel, transport, contact, fmt, via_supporter=name)
