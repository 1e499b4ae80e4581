"""The payment schedule pages: the person's own (plain words and Easy Read)
and the coordinator's on the person's record. Six months back and six ahead,
with earlier and later links; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, render_template, request, url_for

from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session
from crm.matching.offers import london_today
from crm.payments.benefits import BENEFIT_NAMES, advice, general_notes
from crm.payments.blueprint import bp
from crm.payments.choice_views import _person, own_bp, render_own
from crm.payments.own_names import page_name, page_names
from crm.payments.schedule import STATE_WORDS
from crm.payments.schedule_queries import schedule_for
from crm.permissions import Permission
from crm.web.decorators import requires

WINDOW = dt.timedelta(days=183)
# How far a ``from`` date may go: no payments before this app, and nothing is
# planned ten years ahead. Near the calendar's ends (0001, 9999) the window's
# sums overflow, so such a date is not a page.
EARLIEST = dt.date(2000, 1, 1)
AHEAD = dt.timedelta(days=3653)  # ten years
# The states as coordinators read them on a person's record (the person's
# own words, STATE_WORDS, speak to them).
STAFF_STATE_WORDS = {state: (words, words) for state, words in {
    "paid": "Paid on", "approved": "Approved, to be paid", "submitted": "Waiting for approval",
    "drafted": "Drafted, not yet sent to finance", "planned": "Planned"}.items()}


def _window() -> tuple[dt.date, dt.date]:
    """From the ``from`` date asked for (a plain date, not personal), else
    six months before today, to six months after today (a year's span).
    A date before 2000 or more than ten years ahead is 404."""
    today = london_today()
    asked = request.args.get("from", "")
    try:
        start = dt.date.fromisoformat(asked) if asked else today - WINDOW
    except ValueError:
        abort(404)
    if not EARLIEST <= start <= today + AHEAD:
        abort(404)
    return start, start + 2 * WINDOW


def _context(contributor_id: int, endpoint: str, args: dict[str, Any],
             staff: bool = False) -> dict[str, Any]:
    start, end = _window()
    schedule, profile = schedule_for(get_session(), contributor_id, start, end)
    return {"schedule": schedule, "profile": profile,
            "states": STAFF_STATE_WORDS if staff else STATE_WORDS, "today": london_today(),
            **({"names": page_names(False)} if staff else {}),
            "benefit_names": BENEFIT_NAMES, "advice": advice(),
            "notes": general_notes(profile),
            "earlier": url_for(endpoint, **{**args, "from": (start - 2 * WINDOW).isoformat()}),
            "later": url_for(endpoint, **{**args, "from": end.isoformat()})}


@own_bp.route("/payment-schedule")
@requires(Permission.OWN_PAYMENT_CHOICES)
@own
def schedule(c: Contributor) -> Any:
    return render_own("payments/schedule_mine.html", c,
                      title=page_name("schedule", c.prefers_easy_read),
                      **_context(c.id, "my_payments.schedule", {}))


@bp.route("/people/<int:contributor_id>/schedule")
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def person_schedule(contributor_id: int) -> Any:
    c = _person(contributor_id)
    record(get_session(), Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=c.id,
           summary="looked at the payment schedule of")
    return render_template("payments/schedule_person.html", title="Payment schedule", person=c,
                           **_context(c.id, "payments.person_schedule",
                                    {"contributor_id": c.id}, staff=True))


__all__ = ["STAFF_STATE_WORDS", "person_schedule", "schedule"]
