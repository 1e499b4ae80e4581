"""The words of the emails that carry a sign-in link: an invitation, or a
new link to choose a password. A contributor's are written for them (the
name they like, who sent it, Easy Read if they chose it); staff get the
plain standard text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.permissions import Role
from crm.settings import Settings


@dataclass(frozen=True)
class Reader:
    """How the person an email is for likes to read it: the name they like
    to be called, and whether they chose Easy Read."""

    name: str
    easy_read: bool = False


# A feature above accounts that knows more about the person (their
# contributor record) adds a lookup here, so accounts imports no feature
# (crm.selfservice.services adds one for contributors).
READER_LOOKUPS: list[Callable[[Session, User], Reader | None]] = []


def reader_for(session: Session, user: User) -> Reader:
    for lookup in READER_LOOKUPS:
        found = lookup(session, user)
        if found is not None:
            return found
    return Reader(user.display_name)


def invitation_text(settings: Settings, user: User, link: str,
                     inviter: User | None = None, reader: Reader | None = None
                     ) -> tuple[str, str]:
    reader = reader or Reader(user.display_name)
    who = inviter.display_name if inviter is not None else "Someone"
    org, service, days = (settings.organisation_name, settings.service_name,
                          settings.invitation_valid_days)
    if user.role_enum is Role.CONTRIBUTOR:
        return _contributor_invitation_text(reader, who, org, service, days, link,
                                            new_password=bool(user.password_hash))
    if user.password_hash:
        return (f"Choose a new password for the {service}",
                f"Hello {reader.name},\n\n"
                f"{who} at {org} has sent you a link to choose a new "
                f"password for the {service}.\n\n"
                f"Open this link:\n{link}\n\n"
                f"The link works once and ends in {days} days. "
                "Your old password stops working when you choose a new one.\n"
                "If you did not ask for this, you can ignore this email and keep using "
                "your old password.\n")
    return (f"You are invited to the {service}",
            f"Hello {reader.name},\n\n"
            f"{who} has invited you to the {service} at {org}.\n\n"
            f"To choose your password, open this link:\n{link}\n\n"
            f"The link works once and ends in {days} days.\n"
            "If you did not expect this email, you can ignore it.\n")


def _contributor_invitation_text(reader: Reader, who: str, org: str, service: str,
                                 days: int, link: str, new_password: bool) -> tuple[str, str]:
    """Written for the person: plain words, who sent it, what they can do
    there, and Easy Read (short lines, one idea each) if they chose it."""
    if reader.easy_read and new_password:
        return (f"A new password for the {service}",
                f"Hello {reader.name}\n\n"
                f"{who} from {org} sent you this email.\n"
                "It helps you choose a new password.\n\n"
                "What to do:\n"
                f"1. Open this link:\n{link}\n"
                "2. Choose a new password.\n\n"
                "The link works one time only.\n"
                f"It stops working in {days} days.\n\n"
                "Did you not ask for a new password?\n"
                "You can forget this email. Your old password still works.\n\n"
                f"Not sure? Ask {who}.\n")
    if reader.easy_read:
        return (f"Join the {service}",
                f"Hello {reader.name}\n\n"
                f"{who} from {org} asks you to join the {service}.\n\n"
                f"On the {service} you can:\n"
                "- see your details\n"
                "- tell us what helps you take part\n"
                "- choose how we contact you\n\n"
                "What to do:\n"
                f"1. Open this link:\n{link}\n"
                "2. Choose a password.\n\n"
                "The link works one time only.\n"
                f"It stops working in {days} days.\n\n"
                "Did you not expect this email? You can forget it.\n\n"
                f"Not sure? Ask {who}.\n")
    if new_password:
        return (f"Choose a new password for the {service}",
                f"Hello {reader.name},\n\n"
                f"{who} at {org} has sent you a link to choose a new password for the "
                f"{service}.\n\n"
                f"Open this link:\n{link}\n\n"
                f"The link works once and stops working after {days} days. Your old "
                "password stops working when you choose a new one.\n\n"
                "If you did not ask for this, you can ignore this email and keep using your "
                f"old password. If you have a question, ask {who}.\n")
    return (f"{who} has invited you to the {service}",
            f"Hello {reader.name},\n\n"
            f"{who} at {org} has invited you to the {service}.\n\n"
            f"It is where you can see the details we keep about you, tell us what helps "
            "you take part, and choose how we contact you.\n\n"
            f"To start, open this link and choose a password:\n{link}\n\n"
            f"The link works once and stops working after {days} days.\n\n"
            "If you did not expect this email, you can ignore it. If you have a question, "
            f"ask {who}.\n")
