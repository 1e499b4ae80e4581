"""Duties about one person that cross features, as signals (blinker).

Contributors own the record, but other features hold data about the same
person: the sign-in account, the outbox, and next payments and equality
monitoring. Each feature connects its own receivers here, so the record's
package never imports the features that hold the rest (the layer contract,
.importlinter, would refuse it).

Receivers run in the request's SQLAlchemy session (the sender), add and
flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from blinker import Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

person_anonymised = _signals.signal("person-anonymised")
"""A contributor's record is being anonymised. Sent with the session and
``contributor_id``, ``user_id`` (their sign-in account, or None) and
``emails`` (every address they were known by). Each receiver removes or
scrubs what its feature holds about them."""

personal_data_requested = _signals.signal("personal-data-requested")
"""A person is downloading everything held about them. Sent with the
session, ``contributor_id`` and ``user_id``; each receiver returns a dict of
sections (name: data) for what its feature holds."""

attendance_recorded = _signals.signal("attendance-recorded")
"""Attendance at a session has just been saved (crm.matching.attendance).
Sent with the session, ``role_session`` (the RoleSession), ``actor`` (who
recorded it) and ``outcomes`` (contributor id to the outcome saved, only
the answers that changed). Payments drafts or withdraws each person's fee."""

session_changed = _signals.signal("session-changed")
"""A role session's time, place or papers have just changed, or it was
cancelled (crm.projects.roles). Sent with the session, ``role_session``
(the RoleSession, its ``sequence`` already raised), ``actor`` and
``changed`` (the names of what changed: "starts_at", "minutes", "place",
"papers_ready_on", "cancelled"). Matching tells everyone confirmed for it
(crm.matching.session_messages)."""

reminders_due = _signals.signal("reminders-due")
"""``flask messages send-due`` is making today's reminders (crm.messaging.
reminders). Sent with the session, ``settings`` and ``today``; a feature
above messaging queues its own (matching: the day before a session, papers
ready) with crm.messaging.reminders.queue_once, and returns how many."""


demo_loaded = _signals.signal("demo-loaded")
"""Synthetic demo data has just been loaded (``flask demo load``). Sent with
the session, ``today`` and ``seed``; a feature the demo may not import
(equality monitoring) adds its own synthetic rows."""


def anonymise_everywhere(session: Session, contributor_id: int, user_id: int | None,
                         emails: Iterable[str]) -> None:
    person_anonymised.send(session, contributor_id=contributor_id, user_id=user_id,
                           emails=set(emails))


def personal_data_everywhere(session: Session, contributor_id: int,
                             user_id: int) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for _receiver, answer in personal_data_requested.send(
            session, contributor_id=contributor_id, user_id=user_id):
        sections.update(answer or {})
    return sections
