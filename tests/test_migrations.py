"""Migrations: one head; empty -> head -> base -> head; and the models match
the migrated schema (no pending autogenerate diff). Runs on whichever
database the suite is on, in a database (SQLite) or schema (PostgreSQL) of
its own so the rest of the suite is not disturbed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from crm import migrate
from crm.db import Base
from tests.conftest import fresh_schema, worker_name

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    schema = f"crm_migration_test_{worker_name()}"
    yield fresh_schema(database_url, schema)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_single_head(database_url: str) -> None:
    assert len(migrate.heads(database_url)) == 1


def test_every_revision_has_a_message_and_a_dated_file_name(database_url: str) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(database_url))
    revisions = list(script.walk_revisions())
    assert revisions
    for revision in revisions:
        assert revision.doc and revision.doc.strip(), revision.revision
        assert re.fullmatch(r"\d{8}_\w+\.py", Path(revision.path).name), revision.path


def test_upgrade_downgrade_upgrade_and_models_match(scratch_url: str) -> None:
    model_tables = {t.name for t in Base.metadata.sorted_tables}

    migrate.upgrade(scratch_url)
    assert model_tables <= _tables(scratch_url)
    assert _diff(scratch_url) == []

    migrate.downgrade(scratch_url, "base")
    assert _tables(scratch_url) - {"alembic_version"} == set()

    migrate.upgrade(scratch_url)
    assert model_tables <= _tables(scratch_url)
    assert _diff(scratch_url) == []
