"""Synthetic demo data. Every name is invented; nothing here is a real person.

Loaded by ``flask --app crm demo load`` (and ``make run``) only into an
empty database, so it never mixes with real records.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.accounts.permissions import Role
from crm.accounts.services import create_user
from crm.settings import Settings

# Shared by every demo account, shown by `make run`. Never use outside a demo.
DEMO_PASSWORD = "lantern-harbour-blue-7"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.invalid", "Ada Demo", Role.ADMINISTRATOR),
    DemoAccount("coordinator@demo.invalid", "Cal Demo", Role.COORDINATOR),
    DemoAccount("finance@demo.invalid", "Fin Demo", Role.FINANCE),
    DemoAccount("reports@demo.invalid", "Rae Demo", Role.REPORT_VIEWER),
    DemoAccount("contributor@demo.invalid", "Kit Demo", Role.CONTRIBUTOR),
]


def database_is_empty(session: Session) -> bool:
    return session.execute(select(func.count()).select_from(User)).scalar_one() == 0


def load(session: Session, settings: Settings) -> list[DemoAccount]:
    """Create the demo accounts (one per role). Caller commits."""
    for account in DEMO_ACCOUNTS:
        create_user(session, settings, account.email, account.name, account.role, DEMO_PASSWORD)
    return DEMO_ACCOUNTS
