"""How a message reaches each person (crm.messaging.channels.route_for):
their channel order, "do not use" always honoured, their format, their
supporter, and what is set up to send. Pure: records built in memory."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from crm.contributors.models import CommunicationPreference, Consent, Contributor
from crm.messaging.channels import Route, SetUp, Transport, route_for

NOTHING = SetUp(smtp=False, notify_email=False, notify_text=False)
SMTP = SetUp(smtp=True, notify_email=False, notify_text=False)
NOTIFY = SetUp(smtp=False, notify_email=True, notify_text=True)
ALL = SetUp(smtp=True, notify_email=True, notify_text=True)
CHANNELS = ("email", "text", "letter", "phone")
ADDRESS = "1 High Street\nLeeds\nLS1 1AA"


def person(*, order: list[str] | None = None, never: list[str] | None = None,
           consent: bool = True, **fields: Any) -> Contributor:
    comm = fields.pop("comm", {})
    c = Contributor(full_name="Sam Field", email=fields.pop("email", "sam@example.org"),
                    phone=fields.pop("phone", "07700 900123"),
                    postal_address=fields.pop("postal_address", ADDRESS),
                    prefers_easy_read=fields.pop("prefers_easy_read", False))
    c.consents = [Consent(kind="contact", is_given=consent, method="online")]
    if order is not None or never is not None or comm:
        c.communication = CommunicationPreference(channel_order=order or [],
                                                  do_not_use=never or [], **comm)
    return c


def where(route: Route | None) -> tuple[str, str] | None:
    return None if route is None else (route.channel, route.transport.value)


@pytest.mark.parametrize(("c", "set_up", "expected"), [
    # No order recorded: email will do, as before.
    (person(), NOTHING, ("email", "outbox")),
    (person(), SMTP, ("email", "smtp")),
    (person(), NOTIFY, ("email", "notify")),
    (person(order=[]), SMTP, ("email", "smtp")),
    # Their order, first usable channel.
    (person(order=["text", "email"]), NOTIFY, ("text", "notify")),
    (person(order=["text", "email"]), ALL, ("text", "notify")),
    # A channel that is set up comes before one that is not...
    (person(order=["text", "email"]), SMTP, ("email", "smtp")),
    # ...but with nothing set up their first choice waits in the outbox.
    (person(order=["text", "email"]), NOTHING, ("text", "outbox")),
    (person(order=["letter", "email"]), SMTP, ("letter", "print")),
    (person(order=["phone", "email"]), SMTP, ("phone", "staff")),
    # No address for a channel: the next one.
    (person(order=["text", "email"], phone=None), NOTIFY, ("email", "notify")),
    (person(order=["letter", "email"], postal_address=None), SMTP, ("email", "smtp")),
    (person(order=["email", "letter"], email=None), SMTP, ("letter", "print")),
    (person(order=["phone", "letter"], phone=None, postal_address=None), ALL, None),
    (person(email=None), ALL, None),
    # "Do not use".
    (person(order=["email", "text"], never=["email"]), ALL, ("text", "notify")),
    (person(order=["email"], never=["email"]), ALL, None),
    (person(order=["text", "letter"], never=["text"]), NOTIFY, ("letter", "print")),
    # No consent to be contacted: nobody is sent an offer or a reminder.
    (person(consent=False), ALL, None),
])
def test_route(c: Contributor, set_up: SetUp, expected: tuple[str, str] | None) -> None:
    assert where(route_for(c, set_up)) == expected


def test_a_change_to_a_session_they_said_yes_to_goes_without_contact_consent() -> None:
    c = person(consent=False)
    assert route_for(c, SMTP) is None
    assert where(route_for(c, SMTP, needs_consent=False)) == ("email", "smtp")


@pytest.mark.parametrize(("contact", "never", "set_up", "expected"), [
    ("alex.helper@example.org", [], SMTP, ("email", "smtp", "alex.helper@example.org")),
    ("alex.helper@example.org", [], NOTHING, ("email", "outbox", "alex.helper@example.org")),
    ("07700 900456", [], NOTIFY, ("text", "notify", "07700 900456")),
    ("07700 900456", ["text"], NOTIFY, ("phone", "staff", "07700 900456")),
    ("07700 900456", ["text", "phone"], ALL, None),
    ("2 Low Road, Bradford BD1 2BB", [], ALL, ("letter", "print", "Alex Helper")),
    ("2 Low Road, Bradford BD1 2BB", ["letter"], ALL, None),
    ("alex.helper@example.org", ["email"], ALL, None),
])
def test_through_their_supporter(contact: str, never: list[str], set_up: SetUp,
                                 expected: tuple[str, str, str] | None) -> None:
    c = person(order=["email"], never=never,
               comm={"via_supporter": True, "supporter_name": "Alex Helper",
                     "supporter_contact": contact})
    route = route_for(c, set_up)
    if expected is None:
        assert route is None
        return
    assert route is not None
    assert (route.channel, route.transport.value, route.address) == expected
    assert route.via_supporter == "Alex Helper"
    if route.channel == "letter":
        assert route.postal_address == contact


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, "standard"),
    ({"prefers_easy_read": True}, "easy_read"),
    ({"order": ["email"], "comm": {"information_format": "easy_read"}}, "easy_read"),
    ({"order": ["email"], "comm": {"information_format": "large_print"}}, "large_print"),
    ({"prefers_easy_read": True, "order": ["email"],
      "comm": {"information_format": "large_print"}}, "easy_read"),
])
def test_format(fields: dict[str, Any], expected: str) -> None:
    route = route_for(person(**fields), SMTP)
    assert route is not None and route.information_format == expected


def _subsets(items: tuple[str, ...]) -> list[list[str]]:
    return [list(s) for n in range(len(items) + 1) for s in itertools.combinations(items, n)]


@pytest.mark.parametrize("set_up", [NOTHING, SMTP, NOTIFY, ALL])
def test_do_not_use_is_never_broken_for_any_order(set_up: SetUp) -> None:
    """Every order of every set of channels, with every "do not use" set,
    for the person and through a supporter: the route never uses one."""
    checked = 0
    for order in itertools.chain.from_iterable(
            itertools.permutations(s) for s in _subsets(CHANNELS)):
        for never in _subsets(CHANNELS):
            route = route_for(person(order=list(order), never=never), set_up)
            assert route is None or route.channel not in never, (order, never)
            assert route is None or route.channel in order or not order
            checked += 1
    for contact in ("a@example.org", "07700 900456", "1 Road, Leeds"):
        for never in _subsets(CHANNELS):
            route = route_for(person(order=["email"], never=never, comm={
                "via_supporter": True, "supporter_name": "A", "supporter_contact": contact}),
                set_up)
            assert route is None or route.channel not in never, (contact, never)
    assert checked == 65 * 16


def test_transport_values() -> None:
    assert {t.value for t in Transport} == {"smtp", "notify", "outbox", "print", "staff"}
