"""A person's own copy of everything the involvement bank holds about them
(subject access): the record as stored, the same in plain words, training,
consents, their account and a summary of the audit trail about them.

Only their own record is read; staff appear by role, never by name (except
the key contact they are told about on their own pages).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.contributors import services
from crm.contributors.models import (
    CONSENT_METHODS,
    STATUS_LABELS,
    ConsentKind,
    Contributor,
    ExperienceKind,
)
from crm.db import utcnow
from crm.reference import reference
from crm.selfservice import history
from crm.selfservice.questions.words import (
    EXPERIENCE_MINE,
    attendance_text,
    channel_text,
    format_text,
    slot_lines,
)

CONSENT_WORDS = {
    ConsentKind.CONTACT: "Being contacted about ways to get involved",
    ConsentKind.RECORD_KEEPING: "Keeping your record in the involvement bank",
    ConsentKind.STORY_SHARING: "Sharing your story",
}
CONSENT_EASY = {
    ConsentKind.CONTACT: "We can tell you about ways to take part",
    ConsentKind.RECORD_KEEPING: "We can keep your record",
    ConsentKind.STORY_SHARING: "We can share your story",
}


def consent_rows(c: Contributor) -> list[dict[str, Any]]:
    """Each kind of consent, whether or not there is a record of it. Dates
    stay dates here (for pages); ``as_json`` writes them as 2026-03-14."""
    saved = {x.kind: x for x in c.consents}
    rows = []
    for kind in ConsentKind:
        x = saved.get(kind.value)
        rows.append({
            "kind": kind.value,
            "about": CONSENT_WORDS[kind],
            "about_easy": CONSENT_EASY[kind],
            "recorded": x is not None,
            "given": bool(x and x.is_given),
            "recorded_on": x.recorded_on if x else None,
            "how": CONSENT_METHODS.get(x.method, x.method) if x else None,
            "review_on": x.review_on if x else None,
            "withdrawn_on": x.withdrawn_on if x else None,
        })
    return rows


def training_rows(c: Contributor) -> list[dict[str, Any]]:
    courses = reference().training
    return [{
        "course_code": t.course_code,
        "course": courses.label(t.course_code),
        "completed_on": t.completed_on,
        "expires_on": t.expires_on,
        "provider": t.provider,
        "note": t.note,
    } for t in c.training]


def subject_access(session: Session, user: User, c: Contributor) -> dict[str, Any]:
    ref = reference()
    comm = c.communication
    adjustments = []
    for a in c.adjustments:
        item = ref.adjustments.get(a.code)
        adjustments.append({
            "code": a.code,
            "label": item.label if item else a.code,
            "group": next((g.label for g in ref.adjustments.groups
                           if item and g.code == item.group), None),
            "note": a.note,
        })
    events = session.scalars(history.all_events(c)).all()
    return {
        "about": "Everything the involvement bank holds about you, on the date shown.",
        "made_at": utcnow(),
        "record_id": c.id,
        "record": services.snapshot(c),
        "in_plain_words": {
            "name": c.full_name,
            "preferred_name": c.preferred_name,
            "experience_word": c.experience_word,
            "experiences": [EXPERIENCE_MINE[ExperienceKind(e.kind)] for e in c.experiences
                            if e.kind in {k.value for k in ExperienceKind}],
            "services_known": [ref.service_kinds.label(s.code) for s in c.service_kinds],
            "skills": [ref.skills.label(s.code) if s.code else s.label for s in c.skills],
            "adjustments": adjustments,
            "adjustments_in_your_words": c.adjustments_other,
            "ways_to_contact": [channel_text(ch, False)
                                for ch in (comm.channel_order if comm else [])],
            "ways_never_to_use": [channel_text(ch, False)
                                  for ch in (comm.do_not_use if comm else [])],
            "information_format": format_text(comm.information_format, False) if comm
            else None,
            "days_and_times": slot_lines(c),
            "how_you_take_part": attendance_text(c.attendance_mode, False),
            "status": next((v for k, v in STATUS_LABELS.items() if k == c.status), c.status),
            "support": [ref.support.label(s.kind) for s in c.support],
            "key_contact": c.key_contact.display_name if c.key_contact else None,
        },
        "consents": consent_rows(c),
        "training": training_rows(c),
        # The account, and what any other feature holds (crm.hooks).
        **hooks.personal_data_everywhere(session, c.id, user.id),
        "record_created_at": c.created_at,
        "record_updated_at": c.updated_at,
        "removal_requested_at": c.removal_requested_at,
        "history": [history.summary_of(e, user) for e in events],
    }


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def as_json(data: dict[str, Any]) -> str:
    """Dates and times as ISO 8601 (2026-03-14, 2026-03-14T09:30:00+00:00)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_plain)
