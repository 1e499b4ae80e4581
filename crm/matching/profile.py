"""Matching profiles: one narrow row a contributor that ranking scans instead
of the child tables (crm.matching.ranking), kept in step automatically.

``refresh_profiles`` recomputes rows from the record with Core statements
(an upsert from one SELECT, so it is the same code for one person and for
120,000). An ``after_flush`` listener on every ``Session`` (registered when
this module is imported; crm.matching imports it) refreshes the people
whose record, lived experience, services known, skills, availability,
consents, adjustments or attendance changed in the flush, in the same
transaction, so a ranking never reads a stale profile. Writers that bypass
the ORM (the demo and benchmark bulk loaders) call ``refresh_profiles``
once after loading; ``refresh_missing`` builds the profiles of anyone
without one (after the migration that added the table).

Codes become bits: experience kinds in ExperienceKind order, availability
day by part of day (DAYS x DAY_PARTS), both fixed in code; skills, service
kinds and adjustments by the bit ``matching_code_bit`` gave each code the
first time it was seen (bits 0 to 62, never changed or reused), so a code
added anywhere in a catalogue file never moves another's bit.

Never reads equality monitoring answers (domain rules 6).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    case,
    delete,
    event,
    exists,
    func,
    inspect,
    literal,
    literal_column,
    not_,
    select,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from crm.contributors.models import (
    DAY_PARTS,
    DAYS,
    Adjustment,
    AvailabilitySlot,
    Consent,
    ConsentKind,
    Contributor,
    ExperienceKind,
    LivedExperience,
    ServiceKnown,
    Skill,
)
from crm.matching.models import MatchingCodeBit, MatchingProfile
from crm.projects.models import Attendance, AttendanceOutcome

__all__ = ["CodeBitsFull", "code_bits", "experience_bits", "refresh_missing",
           "refresh_profiles", "slot_bits"]

MAX_BIT = 62  # bit 63 is the sign of a BIGINT
BATCH = 500  # ids a statement in the listener's refresh (well inside SQLite's limits)
FULL_BATCH = 20_000  # contributors a statement when refreshing everyone
SKILL, SERVICE_KIND, ADJUSTMENT = "skill", "service_kind", "adjustment"
_CODE_COLUMNS: dict[str, Any] = {SKILL: Skill.code, SERVICE_KIND: ServiceKnown.code,
                                 ADJUSTMENT: Adjustment.code}
EXPERIENCE_BIT = {k.value: 1 << i for i, k in enumerate(ExperienceKind)}
SLOT_BIT = {(d, p): 1 << (i * len(DAY_PARTS) + j)
            for i, d in enumerate(DAYS) for j, p in enumerate(DAY_PARTS)}
ATTENDED = (AttendanceOutcome.ATTENDED.value, AttendanceOutcome.LEFT_EARLY.value)
_WATCHED = (LivedExperience, ServiceKnown, Skill, AvailabilitySlot, Consent, Adjustment,
            Attendance)
C: Table = Contributor.__table__  # type: ignore[assignment]
P: Table = MatchingProfile.__table__  # type: ignore[assignment]
B: Table = MatchingCodeBit.__table__  # type: ignore[assignment]


class CodeBitsFull(RuntimeError):
    """A kind of code has more than 63 codes: its mask column cannot hold them
    (add a second mask column and a migration)."""


def experience_bits(kinds: Iterable[str]) -> int:
    return sum(EXPERIENCE_BIT.get(k, 0) for k in set(kinds))


def slot_bits(slots: Iterable[tuple[str, str]]) -> int:
    return sum(SLOT_BIT.get(s, 0) for s in set(slots))


def number(value: int) -> Any:
    """An integer written into the SQL (ours, never user input): no bind
    parameter types to guess for the bitwise operators, on either database."""
    return literal_column(str(int(value)))


# ------------------------------------------------------------------ code bits

def code_bits(conn: Connection | Session) -> dict[str, dict[str, int]]:
    """Kind -> code -> bit number, as given so far (one query)."""
    out: dict[str, dict[str, int]] = {SKILL: {}, SERVICE_KIND: {}, ADJUSTMENT: {}}
    for kind, code, bit in conn.execute(select(B.c.kind, B.c.code, B.c.bit)):
        out.setdefault(kind, {})[code] = bit
    return out


def _insert(conn: Connection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _give_bits(conn: Connection, seen: Mapping[str, set[str]]) -> None:
    """Give a bit to each code seen that has none yet. Two transactions giving
    bits at once: the unique constraints refuse the second's row (it waits
    for the first to commit), which then reads again and takes the next bit.

    Raises CodeBitsFull when a kind would need a 64th bit."""
    known = code_bits(conn)
    for kind, codes in seen.items():
        for code in sorted(codes - set(known[kind])):
            while True:
                used = set(code_bits(conn)[kind].values())
                bit = next(b for b in itertools.count() if b not in used)
                if bit > MAX_BIT:
                    raise CodeBitsFull(f"More than {MAX_BIT + 1} {kind} codes: matching_profile "
                                       f"cannot hold {code!r}")
                conn.execute(_insert(conn, B).values(kind=kind, code=code, bit=bit)
                             .on_conflict_do_nothing())
                if code in code_bits(conn)[kind]:
                    break


def _codes_seen(conn: Connection, where: Any) -> dict[str, set[str]]:
    """Kind -> the codes recorded for the people ``where`` picks (a condition
    on a contributor_id column, or None for everyone)."""
    parts = [select(literal(kind).label("kind"), column.label("code"))
             .where(column.is_not(None), *([where(column.class_.contributor_id)]
                                           if where is not None else []))
             for kind, column in _CODE_COLUMNS.items()]
    out: dict[str, set[str]] = {kind: set() for kind in _CODE_COLUMNS}
    for kind, code in conn.execute(union(*parts)):
        out[kind].add(code)
    return out


# ------------------------------------------------------------------ profiles

def _mask(model: Any, value: ColumnElement[Any]) -> Any:
    """Per person: the OR of ``value``'s bits over their rows (a sum of the
    distinct bits, which is the same and works on both databases)."""
    return func.coalesce(select(func.sum(func.distinct(value)))
                         .where(model.contributor_id == C.c.id).scalar_subquery(), 0)


def _code_mask(model: Any, column: Any, bits: Mapping[str, int]) -> Any:
    if not bits:
        return number(0)
    return _mask(model, case({code: number(1 << bit) for code, bit in bits.items()},
                             value=column, else_=number(0)))


def _profile_select(bits: Mapping[str, Mapping[str, int]], where: ColumnElement[bool]) -> Any:
    """What each picked contributor's profile row should be."""
    slot = AvailabilitySlot.day.concat(":").concat(AvailabilitySlot.part)
    return select(
        C.c.id, C.c.full_name,
        and_(C.c.status == "active", C.c.anonymised_at.is_(None),
             C.c.removal_requested_at.is_(None)),
        C.c.paused_until,
        exists().where(Consent.contributor_id == C.c.id,
                       Consent.kind == ConsentKind.CONTACT.value, Consent.is_given.is_(True)),
        _mask(LivedExperience, case({k: number(v) for k, v in EXPERIENCE_BIT.items()},
                                    value=LivedExperience.kind, else_=number(0))),
        _mask(AvailabilitySlot, case({f"{d}:{p}": number(v) for (d, p), v in SLOT_BIT.items()},
                                     value=slot, else_=number(0))),
        _code_mask(ServiceKnown, ServiceKnown.code, bits[SERVICE_KIND]),
        _code_mask(Skill, Skill.code, bits[SKILL]),
        _code_mask(Adjustment, Adjustment.code, bits[ADJUSTMENT]),
        select(func.count()).where(Adjustment.contributor_id == C.c.id).scalar_subquery(),
        C.c.attendance_mode, C.c.travel_max_miles,
        func.nullif(func.upper(func.trim(C.c.postcode_area)), ""),
        C.c.notice_days, C.c.max_roles_at_once,
        exists().where(Attendance.contributor_id == C.c.id, Attendance.outcome.in_(ATTENDED)),
    ).where(where)


_COLUMNS = ("contributor_id", "full_name", "is_listed", "paused_until", "may_contact",
            "experience_mask", "slot_mask", "service_mask", "skill_mask", "adjustment_mask",
            "adjustment_count", "attendance_mode", "travel_max_miles", "postcode_district",
            "notice_days", "max_roles_at_once", "has_attended")


def _upsert(conn: Connection, bits: Mapping[str, Mapping[str, int]],
            where: ColumnElement[bool]) -> None:
    stmt = _insert(conn, P).from_select(list(_COLUMNS), _profile_select(bits, where))
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[P.c.contributor_id],
        set_={name: stmt.excluded[name] for name in _COLUMNS[1:]}))


def refresh_profiles(session: Session, contributor_ids: Iterable[int] | None = None) -> None:
    """Recompute the profiles of ``contributor_ids`` (None: everyone, in
    batches), giving bits to codes seen for the first time, and remove
    those of people no longer there. Core statements on the session's
    connection: safe inside a flush. Caller commits."""
    conn = session.connection()
    if contributor_ids is None:
        bits = _bits_for(conn, None)
        low, high = conn.execute(select(func.min(C.c.id), func.max(C.c.id))).one()
        if low is not None:
            for start in range(low - 1, high, FULL_BATCH):
                _upsert(conn, bits, and_(C.c.id > start, C.c.id <= start + FULL_BATCH))
        conn.execute(delete(P).where(~exists().where(C.c.id == P.c.contributor_id)))
        return
    ids = sorted(set(contributor_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        bits = _bits_for(conn, lambda column, chunk=chunk: column.in_(chunk))
        _upsert(conn, bits, C.c.id.in_(chunk))
        conn.execute(delete(P).where(P.c.contributor_id.in_(chunk),
                                     ~exists().where(C.c.id == P.c.contributor_id)))


def _bits_for(conn: Connection, where: Any) -> dict[str, dict[str, int]]:
    _give_bits(conn, _codes_seen(conn, where))
    return code_bits(conn)


def refresh_missing(session: Session) -> int:
    """Build the profiles of contributors who have none (after the migration
    that added them, or a bulk load that forgot). Returns how many."""
    missing = list(session.connection().execute(
        select(C.c.id).where(not_(exists().where(P.c.contributor_id == C.c.id)))).scalars())
    if len(missing) > FULL_BATCH // 4:
        refresh_profiles(session)  # many (a new table): the batched full pass is quicker
    elif missing:
        refresh_profiles(session, missing)
    return len(missing)


# ------------------------------------------------------------------ the listener

def _changed_people(session: Session) -> set[int]:
    """Contributors whose profile may change with this flush. Reads only
    what is loaded (no lazy loads inside a flush)."""
    ids: set[int | None] = set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Contributor):
            state = inspect(obj)
            ids.update(state.identity or ())
        elif isinstance(obj, _WATCHED):
            state = inspect(obj)
            ids.add(state.dict.get("contributor_id"))
            ids.update(state.attrs.contributor_id.history.deleted or ())
            parent = state.dict.get("contributor")
            if parent is not None:
                ids.update(inspect(parent).identity or ())
    return {i for i in ids if i is not None}


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, flush_context: UOWTransaction) -> None:
    ids = _changed_people(session)
    if ids:
        refresh_profiles(session, ids)
