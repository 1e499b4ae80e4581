"""Matching reads only what it should: changing anything that is not one of
its inputs changes no ranking, and equality monitoring is never touched.

When equality monitoring tables exist (crm.equality.models), every statement
the ranking runs is checked not to name them; add their answers to
``bank`` below when they can be written by a factory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import random
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, bindparam, event, update

from crm.contributors.models import Affiliation, CommunicationPreference, Contributor
from crm.db import Base, get_db
from crm.matching import ranking
from tests.conftest import ROOT
from tests.matching.test_ranking import TODAY, bank  # noqa: F401 (the shared fixture)

# The contributor columns matching reads (crm.matching.ranking.person_facts
# and eligible_conditions). Every other column must not change a ranking.
INPUTS = {
    "id", "full_name",  # full_name only breaks ties in the order
    "status", "paused_until", "left_on", "removal_requested_at", "anonymised_at",
    "attendance_mode", "travel_max_miles", "postcode_area", "notice_days",
    "max_roles_at_once",
}


def rankings(db, roles) -> list[list[tuple[int, float]]]:  # type: ignore[no-untyped-def]
    return [ranking.eligible_scores(db, role, today=TODAY) for role in roles]


def scramble_everything_but_the_inputs(db) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    changed = []
    table = Contributor.__table__
    for column in table.columns:
        if column.name in INPUTS or column.name == "left_on":
            continue
        changed.append(column.name)
        kind = getattr(column.type, "impl", column.type)
        rows = []
        for cid in db.scalars(table.select().with_only_columns(table.c.id)):
            if column.name == "email":
                value: object = f"changed{cid}@example.net"
            elif column.foreign_keys:
                value = None
            elif isinstance(kind, Boolean):
                value = rng.random() < 0.5
            elif isinstance(kind, DateTime):
                value = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                    days=rng.randint(0, 2000))
            elif isinstance(kind, Date):
                value = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
            elif isinstance(kind, Integer):
                value = rng.randint(1, 50)
            elif isinstance(kind, String | Text):
                value = "zz " + str(rng.randint(0, 10 ** 6))
            else:  # pragma: no cover (a new column type: teach this test about it)
                raise AssertionError(f"no scrambled value for {column.name}")
            rows.append({"cid": cid, "v": value})
        db.execute(update(table).where(table.c.id == bindparam("cid"))
                   .values({column.name: bindparam("v")}), rows)
    db.commit()
    return changed


def test_changing_anything_but_the_inputs_changes_no_ranking(db, bank) -> None:  # noqa: F811
    people, roles = bank
    before = rankings(db, roles)
    assert any(before)
    changed = scramble_everything_but_the_inputs(db)
    assert {"date_of_birth", "pronouns", "preferred_name", "prefers_easy_read"} <= set(changed)
    for person in people[:40]:  # rows matching never reads
        db.add(Affiliation(contributor_id=person.id, organisation="A group", is_user_led=True))
        db.add(CommunicationPreference(contributor_id=person.id, channel_order=["letter"],
                                       do_not_use=[], information_format="easy_read"))
    db.commit()
    assert rankings(db, roles) == before


def test_ranking_never_touches_equality_tables(app, db, bank) -> None:  # noqa: F811
    _, roles = bank
    with contextlib.suppress(ModuleNotFoundError):  # the monitoring tables, once they land
        importlib.import_module("crm.equality.models")
    names = {t.name for t in Base.metadata.sorted_tables if t.name.startswith("equality")}
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lower())

    engine = get_db(app).engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        rankings(db, roles)
        for role in roles:
            ranking.rank(db, role, today=TODAY, page=1, per_page=10)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements
    assert not [n for n in names if any(n in s for s in statements)]


def test_matching_source_does_not_import_equality() -> None:
    for path in sorted(Path(ROOT, "crm", "matching").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "crm.equality" not in source and "from crm import equality" not in source, path
