"""Matching reads only what it should: changing anything that is not one of
its inputs changes no ranking, and equality monitoring is never touched.

Every statement the ranking runs is checked not to name the equality
monitoring tables, and writing, changing and deleting monitoring answers for
everyone in the bank changes no ranking, no "why not" and no batch.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    Text,
    bindparam,
    delete,
    event,
    update,
)

from crm.contributors.models import Affiliation, CommunicationPreference, Contributor
from crm.db import Base, get_db
from crm.equality.models import EqualityAnswer
from crm.equality.questions import equality_questions
from crm.matching import batches, ranking
from crm.permissions import Role
from tests.conftest import ROOT
from tests.factories import make_user
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


def answer_everything(db, people, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Give every person a random answer to every monitoring question."""
    rng = random.Random(seed)
    db.execute(delete(EqualityAnswer))
    for person in people:
        for q in equality_questions().questions:
            db.add(EqualityAnswer(contributor_id=person.id, question=q.code,
                                  answer=rng.choice([o.code for o in q.options])))
    db.commit()


def test_equality_answers_change_no_ranking_why_not_or_batch(db, bank) -> None:  # noqa: F811
    people, roles = bank
    coordinator = make_user(db, Role.COORDINATOR)

    def everything() -> tuple[object, ...]:
        batch = batches.propose(db, coordinator, roles[:4], max_roles_per_person=1,
                                fill_every_role=False, today=TODAY)
        proposed = sorted((p.role_id, p.contributor_id) for p in batch.proposals)
        db.rollback()
        return (rankings(db, roles),
                [[r.text for r in ranking.why_not(db, roles[0], p.id, today=TODAY)]
                 for p in people[:30]],
                proposed)

    before = everything()
    answer_everything(db, people, seed=1)
    assert everything() == before
    answer_everything(db, people, seed=2)  # every answer changed
    assert everything() == before
    db.execute(delete(EqualityAnswer))
    db.commit()
    assert everything() == before


def test_ranking_never_touches_equality_tables(app, db, bank) -> None:  # noqa: F811
    _, roles = bank
    names = {t.name for t in Base.metadata.sorted_tables if t.name.startswith("equality")}
    assert names == {"equality_answer"}
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
