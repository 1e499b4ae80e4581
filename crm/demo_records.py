"""Demo contributor records: invented people, generated from a seed and
written in bulk (COPY on PostgreSQL). Changes when the demo people change;
the accounts and the loading order live in ``crm.demo``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from crm import demo_people as words
from crm.contributors.models import (
    CONSENT_METHODS,
    DAY_PARTS,
    DAYS,
    Adjustment,
    Affiliation,
    AttendanceMode,
    AvailabilitySlot,
    Channel,
    CommunicationPreference,
    Consent,
    ConsentKind,
    Contributor,
    ExperienceKind,
    InformationFormat,
    LivedExperience,
    ServiceKnown,
    Skill,
    Status,
    SupportInPlace,
    TrainingCompletion,
)
from crm.contributors.services import expiry_for, search_text_for
from crm.db import utcnow
from crm.reference import reference

# Shared by every demo account, shown by `make run`. Never use outside a demo.

DEMO_SEED = 2026


@dataclass
class Person:
    """One synthetic contributor: the contributor row and its child rows
    (without ``contributor_id``, filled in once the row has an id)."""

    row: dict[str, Any]
    experiences: list[dict[str, Any]] = field(default_factory=list)
    service_kinds: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    availability: list[dict[str, Any]] = field(default_factory=list)
    affiliations: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    communication: list[dict[str, Any]] = field(default_factory=list)
    training: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)


CHILD_TABLES: dict[str, Any] = {
    "experiences": LivedExperience.__table__,
    "service_kinds": ServiceKnown.__table__,
    "skills": Skill.__table__,
    "availability": AvailabilitySlot.__table__,
    "affiliations": Affiliation.__table__,
    "consents": Consent.__table__,
    "adjustments": Adjustment.__table__,
    "communication": CommunicationPreference.__table__,
    "training": TrainingCompletion.__table__,
    "support": SupportInPlace.__table__,
}

_EXPERIENCE_WEIGHTS = {
    ExperienceKind.PATIENT_FORMER: 45, ExperienceKind.PATIENT_CURRENT: 15,
    ExperienceKind.CARER: 30, ExperienceKind.FAMILY_MEMBER: 25,
}
_FORMAT_WEIGHTS = {
    InformationFormat.STANDARD: 74, InformationFormat.EASY_READ: 9,
    InformationFormat.LARGE_PRINT: 6, InformationFormat.TRANSLATED: 5,
    InformationFormat.AUDIO: 3, InformationFormat.BSL: 3,
}
_NICKNAMES = {
    "Margaret": "Peggy", "Thomas": "Tom", "Daniel": "Dan", "Stephen": "Steve",
    "Jacqueline": "Jackie", "Katarzyna": "Kasia", "Agnieszka": "Aga", "Magdalena": "Magda",
    "Oliver": "Ollie", "Alex": "Lex", "Chiamaka": "Chi", "Adaeze": "Daisy", "Rukhsana": "Ruki",
    "Patrick": "Paddy", "Harpreet": "Preet", "Vytautas": "Vytas", "Andrei": "Andy",
    "Tharshini": "Tharsh", "Mohamed": "Mo", "Elizabeth": "Liz",
}
_OWN_SKILLS = ("Gardening", "Baking", "Knitting", "Cycling", "Music", "Cooking for groups",
               "Fixing bikes", "Poetry")


class _Weighted:
    """Picks one of ``items`` with the given weights (one random number a pick)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


_STATUS = _Weighted([Status.ACTIVE, Status.PAUSED, Status.LEFT], [80, 13, 7])
_ATTENDANCE = _Weighted([AttendanceMode.EITHER, AttendanceMode.ONLINE, AttendanceMode.IN_PERSON],
                        [55, 25, 20])
_EXPERIENCE_COUNT = _Weighted([1, 2, 3], [70, 25, 5])
_SERVICE_COUNT = _Weighted([1, 2, 3], [50, 35, 15])
_FORMAT = _Weighted(list(_FORMAT_WEIGHTS), list(_FORMAT_WEIGHTS.values()))


def _weighted_sample(rng: random.Random, weights: dict[Any, int], k: int) -> list[Any]:
    pool = dict(weights)
    chosen: list[Any] = []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def _email_part(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def generate(rng: random.Random, n: int, today: dt.date, key_contact_ids: Sequence[int] = (),
             start: int = 0, now: dt.datetime | None = None) -> Iterator[Person]:
    """Yield ``n`` synthetic people. ``start`` numbers them (for email addresses);
    ``now`` (default: the time now) is when records were last changed at the latest."""
    ref = reference()
    service_codes = [i.code for i in ref.service_kinds.items]
    skill_codes = [i.code for i in ref.skills.items]
    adjustment_codes = [i.code for i in ref.adjustments.items]
    support_codes = [i.code for i in ref.support.items]
    expiring = [i for i in ref.training.items if i.validity_months]
    courses = list(ref.training.items)
    channels = [c.value for c in Channel]
    slots = [(d, p) for d in DAYS for p in DAY_PARTS]
    slot_weights = [1 if d in ("saturday", "sunday") or p == "evening" else 3 for d, p in slots]
    groups = _Weighted(words.NAME_GROUPS, [g[0] for g in words.NAME_GROUPS])
    slot_picker = _Weighted(slots, slot_weights)
    now = now or utcnow()
    for number in range(start, start + n):
        _, firsts, lasts = groups.pick(rng)
        if rng.random() < 0.12:  # families mix
            _, _, lasts = groups.pick(rng)
        first, usual_pronouns = rng.choice(firsts)
        last = rng.choice(lasts)
        if rng.random() < 0.04:
            last = f"{last}-{rng.choice(words.LAST_NAMES)}"
        full_name = f"{first} {last}"
        roll = rng.random()
        pronouns = (usual_pronouns if roll < 0.65 else "they/them" if roll < 0.72 else None) \
            or None
        preferred = _NICKNAMES.get(first) if rng.random() < 0.4 else None
        email = (f"{_email_part(first)}.{_email_part(last)}{number + 1}@demo.example"
                 if rng.random() < 0.88 else None)
        status = _STATUS.pick(rng)
        paused_until = (today + dt.timedelta(days=rng.randint(14, 180))
                        if status == Status.PAUSED and rng.random() < 0.7 else None)
        left_on = (today - dt.timedelta(days=rng.randint(20, 700))
                   if status == Status.LEFT else None)
        attendance = _ATTENDANCE.pick(rng)
        is_peer = rng.random() < 0.08
        created = now - dt.timedelta(days=rng.randint(0, 1000), minutes=rng.randint(0, 1440))
        row: dict[str, Any] = {
            "user_id": None,
            "full_name": full_name,
            "preferred_name": preferred,
            "pronouns": pronouns,
            "email": email,
            "phone": f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.75 else None,
            # Invented addresses (no random draw, so the rest of the demo is
            # unchanged) for a third of people, so letters reach the print list.
            "postal_address": (f"{number % 97 + 1} Example Road\nDemo Town\nZZ99 "
                               f"{number % 9 + 1}ZZ" if number % 3 == 0 else None),
            "postcode_area": rng.choice(words.POSTCODE_AREAS) if rng.random() < 0.9 else None,
            "date_of_birth": (today - dt.timedelta(days=rng.randint(18 * 365 + 5, 84 * 365))
                              if rng.random() < 0.8 else None),
            "prefers_living_experience": rng.random() < 0.2,
            "what_i_bring": rng.choice(words.WHAT_I_BRING) if rng.random() < 0.6 else None,
            "attendance_mode": attendance.value,
            "travel_max_miles": (rng.choice([5, 10, 15, 20, 30, None])
                                 if attendance != AttendanceMode.ONLINE else None),
            "notice_days": rng.choice([None, 3, 7, 7, 14]),
            "availability_note": (rng.choice(words.AVAILABILITY_NOTES)
                                  if rng.random() < 0.15 else None),
            "status": status.value,
            "paused_until": paused_until,
            "left_on": left_on,
            "key_contact_id": (rng.choice(key_contact_ids)
                               if key_contact_ids and rng.random() < 0.85 else None),
            "is_peer_support_worker": is_peer,
            "peer_employer": rng.choice(words.PEER_EMPLOYERS) if is_peer else None,
            "adjustments_other": (rng.choice(words.ADJUSTMENTS_OTHER)
                                  if rng.random() < 0.08 else None),
            "prefers_easy_read": False,
            "removal_requested_at": None,
            "anonymised_at": None,
            "version": 1,
            "created_at": created,
            "updated_at": created,
        }
        row["search_text"] = search_text_for(SimpleNamespace(**row))  # type: ignore[arg-type]
        person = Person(row=row)

        k = _EXPERIENCE_COUNT.pick(rng)
        person.experiences = [{"kind": e.value} for e in _weighted_sample(
            rng, _EXPERIENCE_WEIGHTS, k)]
        person.service_kinds = [{"code": c} for c in rng.sample(
            service_codes, _SERVICE_COUNT.pick(rng))]
        person.skills = [{"code": c, "label": None}
                         for c in rng.sample(skill_codes, rng.randint(0, 4))]
        if rng.random() < 0.1:
            person.skills.append({"code": None, "label": rng.choice(_OWN_SKILLS)})
        chosen_slots: set[tuple[str, str]] = set()
        for _ in range(rng.randint(0, 7)):
            chosen_slots.add(slot_picker.pick(rng))
        person.availability = [{"day": d, "part": p} for d, p in sorted(chosen_slots)]
        if rng.random() < 0.3:
            person.affiliations = [{"organisation": o, "is_user_led": u}
                                   for o, u in rng.sample(words.ORGANISATIONS, rng.randint(1, 2))]
        if rng.random() < 0.55:
            codes = rng.sample(adjustment_codes, rng.randint(1, 4))
            person.adjustments = [
                {"code": c, "note": rng.choice(words.ADJUSTMENT_NOTES)
                 if rng.random() < 0.15 else None} for c in codes]
        person.consents = _consents(rng, today)
        if rng.random() < 0.9:
            person.communication = [_communication(rng, channels, last)]
            row["prefers_easy_read"] = (person.communication[0]["information_format"]
                                        == InformationFormat.EASY_READ.value)
        person.training = _training(rng, today, courses, expiring)
        if rng.random() < 0.5:
            kinds = rng.sample(support_codes, rng.randint(1, 3))
            person.support = [{"kind": s, "note": "Agreed at last check-in."
                               if rng.random() < 0.1 else None} for s in kinds]
        yield person


def _consents(rng: random.Random, today: dt.date) -> list[dict[str, Any]]:
    out = []
    recorded = today - dt.timedelta(days=rng.randint(10, 900))
    method = rng.choice(list(CONSENT_METHODS))
    for kind, given_chance in ((ConsentKind.RECORD_KEEPING, 0.98), (ConsentKind.CONTACT, 0.93),
                               (ConsentKind.STORY_SHARING, 0.45)):
        if kind == ConsentKind.STORY_SHARING and rng.random() < 0.3:
            continue  # not asked yet
        given = rng.random() < given_chance
        withdrawn = None
        if kind != ConsentKind.RECORD_KEEPING and given and rng.random() < 0.04:
            given, withdrawn = False, recorded + dt.timedelta(
                days=rng.randint(1, max(1, (today - recorded).days)))
        review = (recorded + dt.timedelta(days=rng.choice([365, 540, 730]))
                  if given and rng.random() < 0.4 else None)
        out.append({"kind": kind.value, "is_given": given, "recorded_on": recorded,
                    "method": method, "review_on": review, "withdrawn_on": withdrawn})
    return out


def _communication(rng: random.Random, channels: list[str], last: str) -> dict[str, Any]:
    order = rng.sample(channels, rng.randint(1, 3))
    rest = [c for c in channels if c not in order]
    never = [rng.choice(rest)] if rest and rng.random() < 0.15 else []
    fmt = _FORMAT.pick(rng)
    via = rng.random() < 0.08
    supporter = None
    if via:
        first, _ = rng.choice(words.FIRST_NAMES)
        supporter = f"{first} {last} ({rng.choice(words.SUPPORTER_RELATIONS)})"
    return {
        "channel_order": order,
        "do_not_use": never,
        "best_times": rng.choice(words.BEST_TIMES) if rng.random() < 0.4 else None,
        "information_format": fmt.value,
        "language": rng.choice(words.LANGUAGES) if fmt == InformationFormat.TRANSLATED else None,
        "via_supporter": via,
        "supporter_name": supporter,
        "supporter_contact": f"07700 900{rng.randrange(1000):03d}" if via else None,
        "papers_days_before": rng.choice([None, None, 3, 5, 7]),
        "camera_optional": rng.random() < 0.95,
    }


def _training(rng: random.Random, today: dt.date, courses: list[Any], expiring: list[Any]
              ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if rng.random() >= 0.6:
        return out
    for course in rng.sample(courses, rng.randint(1, 3)):
        completed = today - dt.timedelta(days=rng.randint(10, 1500))
        out.append(_completion(rng, course, completed))
    if expiring and rng.random() < 0.2:
        # Due to expire within the next 60 days, so "training due" has rows.
        course = rng.choice(expiring)
        if all(t["course_code"] != course.code for t in out):
            ends = today + dt.timedelta(days=rng.randint(1, 59))
            out.append(_completion(rng, course, _months_before(ends, course.validity_months)))
    return out


def _completion(rng: random.Random, course: Any, completed: dt.date) -> dict[str, Any]:
    return {"course_code": course.code, "completed_on": completed,
            "provider": rng.choice(words.TRAINING_PROVIDERS), "note": None,
            "expires_on": expiry_for(completed, course.validity_months)}


# --- writing ------------------------------------------------------------------


def bulk_contributors(session: Session, n: int, seed: int = DEMO_SEED, *,
                      key_contact_ids: Sequence[int] = (), today: dt.date | None = None,
                      batch_size: int = 5000, first_person: Any = None) -> int:
    """Insert ``n`` synthetic contributors with their child rows, in batches of
    ``batch_size`` (Core ``insert()`` executemany; no services, no audit).
    ``first_person`` may adjust the first generated person before it is
    written. Returns the id of the first contributor written. Caller commits."""
    rng = random.Random(seed)  # noqa: S311 (repeatable demo data, not secrets)
    today = today or dt.date.today()
    first_id = 0
    batch: list[Person] = []
    for index, person in enumerate(generate(rng, n, today, key_contact_ids)):
        if index == 0 and first_person is not None:
            first_person(person)
        batch.append(person)
        if len(batch) >= batch_size:
            written = _write(session, batch)
            first_id = first_id or written
            batch = []
    if batch:
        written = _write(session, batch)
        first_id = first_id or written
    return first_id


def _write(session: Session, people: list[Person]) -> int:
    if session.get_bind().dialect.name == "postgresql":
        return _copy_postgresql(session, people)
    table = cast(Table, Contributor.__table__)
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [p.row for p in people],
    ).scalars().all()
    for name, child in CHILD_TABLES.items():
        rows = [{**r, "contributor_id": cid} for p, cid in zip(people, ids, strict=True)
                for r in getattr(p, name)]
        if rows:
            session.execute(insert(child), rows)
    return ids[0]


def _copy_postgresql(session: Session, people: list[Person]) -> int:
    """PostgreSQL: the same rows with COPY, several times faster than
    executemany. Ids are taken from the table's sequence first, so it stays
    in step with the rows written."""
    ids = sorted(session.execute(
        text("SELECT nextval(pg_get_serial_sequence('contributor', 'id')) "
             "FROM generate_series(1, :n)"), {"n": len(people)}).scalars())
    raw = session.connection().connection.driver_connection
    _copy(raw, cast(Table, Contributor.__table__).name,
          [{"id": cid, **p.row} for p, cid in zip(people, ids, strict=True)])
    for name, child in CHILD_TABLES.items():
        _copy(raw, child.name, [{**r, "contributor_id": cid}
                                for p, cid in zip(people, ids, strict=True)
                                for r in getattr(p, name)])
    return ids[0]


def _copy(raw: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    as_json = [c for c in columns if isinstance(rows[0][c], list | dict)]
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(
            f'COPY "{table}" ({names}) FROM STDIN') as copy:  # names are our own columns
        for row in rows:
            if as_json:
                row = {**row, **{c: json.dumps(row[c]) for c in as_json}}
            copy.write_row([row[c] for c in columns])
