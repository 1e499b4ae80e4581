"""What a contributor's pages need to know about the person: the name to
greet them by and who to ask for help."""

from __future__ import annotations

from dataclasses import dataclass

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.settings import Settings


@dataclass(frozen=True)
class Helper:
    """Who "ask your coordinator" means for this person, and how to reach
    them. ``name`` is the coordinator's name, or None for the team."""

    name: str | None
    email: str
    phone: str


def who_to_ask(c: Contributor | None, settings: Settings) -> Helper:
    """The person's key contact when their record names one who can still
    sign in; otherwise the trust's involvement team (from settings). The team
    phone is given either way, as a second way to reach someone."""
    key = c.key_contact if c is not None else None
    if key is not None and key.is_active:
        return Helper(key.display_name, key.email, settings.involvement_team_phone)
    return Helper(None, settings.involvement_team_email, settings.involvement_team_phone)


def greeting_name(c: Contributor | None, user: User) -> str:
    """The name the person likes to be called, else the one they signed up with."""
    if c is not None and c.preferred_name:
        return c.preferred_name
    if c is not None and c.full_name:
        return c.full_name
    return user.display_name
