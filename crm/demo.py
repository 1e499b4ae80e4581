"""Synthetic demo data. Every name is invented; nothing here is a real person.

Loaded by ``flask --app crm demo load`` (and ``make run``) only into an
empty database, so it never mixes with real records. It creates one account
per role and a few hundred SYNTHETIC contributors (names drawn at random
from ``crm.demo_people``, email addresses on the reserved ``.example``
domain, phone numbers from Ofcom's range kept for drama, 07700 900xxx), with
varied experience, services, skills, availability, adjustments,
communication preferences, consents, training and support. The demo
contributor account is linked to one of them, so its own pages show data.

``bulk_contributors`` is the same generator for large volumes (the
benchmark loads 100,000): it writes with Core ``insert()`` in batches,
bypassing the services (no audit events), which is only right for
synthetic data. Both are deterministic for a given seed and ``today``.

This module holds the demo accounts and the loading order; the generated
contributor records (the generator and the bulk writer) live in
``crm.demo_records`` and the invented words in ``crm.demo_people``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.accounts.services import create_user
from crm.contributors.models import Status
from crm.contributors.services import expiry_for, search_text_for
from crm.demo_projects import load_projects
from crm.demo_records import DEMO_SEED, Person, _months_before, bulk_contributors, generate
from crm.matching.profile import refresh_profiles
from crm.meetings.demo import load_meetings
from crm.payments.choice_demo import load_choices
from crm.payments.demo import load_claims
from crm.permissions import Role
from crm.reference import reference
from crm.settings import Settings

__all__ = ["DEMO_SEED", "bulk_contributors", "generate", "load"]

# Shared by every demo account, shown by `make run`. Never use outside a demo.
DEMO_PASSWORD = "lantern-harbour-blue-7"  # noqa: S105 (demo only, printed on purpose)
DEMO_CONTRIBUTORS = 300
DEMO_CONTRIBUTOR_EMAIL = "contributor@demo.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.example", "Ada Demo", Role.ADMINISTRATOR),
    DemoAccount("coordinator@demo.example", "Cal Demo", Role.COORDINATOR),
    DemoAccount("finance@demo.example", "Fin Demo", Role.FINANCE),
    DemoAccount("reports@demo.example", "Rae Demo", Role.REPORT_VIEWER),
    DemoAccount(DEMO_CONTRIBUTOR_EMAIL, "Kit Demo", Role.CONTRIBUTOR),
]


def database_is_empty(session: Session) -> bool:
    return session.execute(select(func.count()).select_from(User)).scalar_one() == 0


def load(session: Session, settings: Settings, today: dt.date | None = None
         ) -> list[DemoAccount]:
    """Create the demo accounts (one per role) and the synthetic contributors,
    the demo contributor account linked to the first of them. Caller commits."""
    users = {a.email: create_user(session, settings, a.email, a.name, a.role, DEMO_PASSWORD)
             for a in DEMO_ACCOUNTS}
    coordinator = users["coordinator@demo.example"]
    kit = users[DEMO_CONTRIBUTOR_EMAIL]

    def make_kit(person: Person) -> None:
        # The demo contributor's own record: a full one, under the account's name.
        person.row.update(full_name=kit.display_name, preferred_name="Kit",
                          pronouns="they/them", email=kit.email, user_id=kit.id,
                          status=Status.ACTIVE.value, paused_until=None, left_on=None,
                          key_contact_id=coordinator.id)
        person.row["search_text"] = search_text_for(SimpleNamespace(**person.row))  # type: ignore[arg-type]
        today_ = today or dt.date.today()
        person.adjustments = person.adjustments or [
            {"code": "agenda_in_advance", "note": "Please send papers a week ahead if possible."},
            {"code": "regular_breaks", "note": None}]
        person.communication = person.communication or [{
            "channel_order": ["email", "text"], "do_not_use": ["phone"],
            "best_times": "Weekday mornings", "information_format": "standard",
            "language": None, "via_supporter": False, "supporter_name": None,
            "supporter_contact": None, "papers_days_before": 7, "camera_optional": True}]
        person.support = person.support or [{"kind": "pre_meets_and_debriefs", "note": None}]
        if not any(t["expires_on"] for t in person.training):
            course = reference().training.get("safeguarding")
            if course and course.validity_months:
                completed = _months_before(today_ + dt.timedelta(days=40), course.validity_months)
                person.training = [t for t in person.training if t["course_code"] != course.code]
                person.training.append({"course_code": course.code, "completed_on": completed,
                                        "provider": "Trust learning and development team",
                                        "note": None,
                                        "expires_on": expiry_for(completed,
                                                                 course.validity_months)})

    bulk_contributors(session, DEMO_CONTRIBUTORS, DEMO_SEED, key_contact_ids=[coordinator.id],
                      today=today, first_person=make_kit)
    load_projects(session, today or dt.date.today(), coordinator_id=coordinator.id,
                  own_user_id=kit.id)
    load_choices(session, today or dt.date.today(), coordinator_id=coordinator.id,
                 own_user_id=kit.id)
    load_claims(session, today or dt.date.today(), coordinator=coordinator,
                finance=users["finance@demo.example"], own_user_id=kit.id)
    load_meetings(session, today or dt.date.today(), coordinator_id=coordinator.id)
    refresh_profiles(session)  # the bulk rows bypassed the ORM listener that keeps these
    # Features that may not be imported here (equality monitoring) add theirs.
    hooks.demo_loaded.send(session, today=today or dt.date.today(), seed=DEMO_SEED)
    return DEMO_ACCOUNTS


# --- the generator ----------------------------------------------------------
