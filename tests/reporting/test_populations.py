"""Comparison populations: the shipped Census file, and a trust's own
uploaded by a validated CSV, then chosen in the reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm.equality.models import EqualityAnswer
from crm.permissions import Role
from crm.reporting.models import UploadedPopulation
from crm.reporting.populations import (
    POPULATIONS_DIR,
    UploadError,
    configured_populations,
    load_population,
    parse_population_csv,
)
from crm.settings import ConfigError
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_user

GOOD = b"question,answer,percent\nsex,female,60\nsex,male,40\nreligion,muslim,20\n"


def test_census_2021_ships_with_its_table_codes() -> None:
    census = configured_populations()[0]
    assert census.tables["ethnic_group"] == "TS021" and census.tables["religion"] == "TS030"
    assert census.shares["ethnic_group"]["white_british"] == 74.4
    assert round(sum(census.stated_shares("sex").values()), 9) == 1


def test_a_population_file_with_an_unknown_answer_is_refused(tmp_path: Path) -> None:
    source = next(POPULATIONS_DIR.glob("*.toml")).read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(source.replace("female = 51.0", "robots = 51.0"))
    with pytest.raises(ConfigError, match="'robots' is not one of its answers"):
        load_population(bad)


@pytest.mark.parametrize(("data", "problem"), [
    (b"q,a,p\nsex,female,1\n", "The first row must be the headings"),
    (b"question,answer,percent\nshoe,female,1\n", "Row 2: 'shoe' is not a question code"),
    (b"question,answer,percent\nsex,robot,1\n", "Row 2: 'robot' is not an answer to sex"),
    (b"question,answer,percent\nsex,female,lots\n", "Row 2: the percent must be a number"),
    (b"question,answer,percent\nsex,female,140\n", "Row 2: the percent must be from 0 to 100"),
    (b"question,answer,percent\nsex,female,10\nsex,female,10\n", "Row 3: sex female appears"),
    (b"question,answer,percent\nsex,female,70\nsex,male,70\n", "add up to more than 100"),
    (b"question,answer,percent\n", "no rows of figures"),
    (b"question,answer,percent\nsex,female\n", "Row 2: needs 3 values"),
    ("question,answer,percent\nsex,female,1\n".encode("utf-16"), "saved as UTF-8"),
])
def test_a_bad_csv_says_what_is_wrong_by_row(data: bytes, problem: str) -> None:
    with pytest.raises(UploadError) as raised:
        parse_population_csv(data)
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def upload(client, title: str, data: bytes, source: str = "Trust PAS, Q3 2026"):  # type: ignore[no-untyped-def]
    return client.post("/reports/populations", data={
        "csrf_token": csrf_token(client, "/reports/populations"), "title": title,
        "source": source, "file": (io.BytesIO(data), "population.csv")},
        content_type="multipart/form-data")


def test_a_report_viewer_uploads_a_population_and_compares_with_it(client, db) -> None:
    log_in(client, make_user(db, Role.REPORT_VIEWER))
    assert upload(client, "Our inpatients", GOOD).status_code == 302
    population = db.scalar(select(UploadedPopulation))
    assert population.title == "Our inpatients" and len(population.shares) == 3
    for _ in range(10):
        person = make_contributor(db)
        db.add(EqualityAnswer(contributor_id=person.id, question="sex", answer="male"))
    db.commit()
    body = client.get(f"/reports/representation?question=sex&population={population.code}"
                      ).get_data(as_text=True)
    assert "Our inpatients" in body and "60.0%" in body


def test_a_bad_upload_saves_nothing_and_keeps_what_was_typed(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    response = upload(client, "Broken", b"question,answer,percent\nsex,robot,3\n")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Row 2: &#39;robot&#39; is not an answer to sex" in body or \
        "Row 2: 'robot' is not an answer to sex" in body
    assert 'value="Broken"' in body
    assert db.scalar(select(func.count()).select_from(UploadedPopulation)) == 0


def test_names_must_be_new_and_fields_filled(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    assert upload(client, "England and Wales, Census 2021", GOOD).status_code == 400
    response = upload(client, "", GOOD, source="")
    body = response.get_data(as_text=True)
    assert "Enter a name for the population" in body and "Say where the figures come from" in body


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.FINANCE, Role.ADMINISTRATOR])
def test_others_cannot_upload(client, db, role: Role) -> None:
    log_in(client, make_user(db, role))
    assert client.get("/reports/populations").status_code == 403
