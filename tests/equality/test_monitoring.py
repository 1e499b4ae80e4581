"""Equality monitoring: the person's own questions (one per page, optional,
skippable, deletable), the coordinator's write-only paper form, the NHS
ethnic category mapping, the audit trail without values, the data download
and anonymisation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.contributors.removal import anonymise
from crm.equality.models import EqualityAnswer
from crm.equality.questions import (
    PREFER_NOT,
    QUESTIONS_FILE,
    equality_questions,
    load_questions,
    nhs_ethnic_category,
)
from crm.permissions import Role
from crm.settings import ConfigError
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_signed_up_contributor, make_user


def answers(db, contributor_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return {a.question: a.answer for a in db.scalars(
        select(EqualityAnswer).where(EqualityAnswer.contributor_id == contributor_id))}


@pytest.fixture
def person(client, db):  # type: ignore[no-untyped-def]
    user, record = make_signed_up_contributor(db)
    log_in(client, user)
    return record


def post(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, "/my/equality"), **data})


# --- the Census to NHS Data Dictionary mapping, every option ----------------

@pytest.mark.parametrize(("census", "nhs"), [
    ("white_british", "A"), ("white_irish", "B"), ("white_gypsy_traveller", "C"),
    ("white_roma", "C"), ("white_other", "C"), ("mixed_white_black_caribbean", "D"),
    ("mixed_white_black_african", "E"), ("mixed_white_asian", "F"), ("mixed_other", "G"),
    ("asian_indian", "H"), ("asian_pakistani", "J"), ("asian_bangladeshi", "K"),
    ("asian_other", "L"), ("black_caribbean", "M"), ("black_african", "N"),
    ("black_other", "P"), ("asian_chinese", "R"), ("other_arab", "S"), ("other_any", "S"),
    (PREFER_NOT, "Z"), (None, "99"),
])
def test_census_ethnic_group_maps_to_the_nhs_ethnic_category(census: str | None,
                                                             nhs: str) -> None:
    assert nhs_ethnic_category(census) == nhs


def test_the_ethnic_group_question_has_the_19_census_options_in_5_groups() -> None:
    q = equality_questions().get("ethnic_group")
    assert q is not None
    census = [o for o in q.options if o.code != PREFER_NOT]
    assert len(census) == 19
    assert len({o.group for o in census}) == 5


def test_every_question_offers_id_rather_not_say() -> None:
    assert all(q.options[-1].code == PREFER_NOT for q in equality_questions().questions)


def test_pregnancy_and_marriage_are_not_asked_by_default() -> None:
    asked = {q.code for q in equality_questions().asked}
    assert "pregnancy" not in asked and "marriage" not in asked and "ethnic_group" in asked


@pytest.mark.parametrize(("old", "new", "message"), [
    ("asked = true", "asked = 1", "key 'asked' must be true or false"),
    ('{ code = "female", label = "Female" },', '{ code = "prefer_not_to_say", label = "x" },',
     "is repeated or reserved"),
    ('answer = "yes" }', 'answer = "maybe" }', "key 'only_if'"),
])
def test_a_bad_question_file_names_the_key(tmp_path: Path, old: str, new: str,
                                           message: str) -> None:
    bad = tmp_path / "questions.toml"
    text = QUESTIONS_FILE.read_text()
    assert old in text
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_questions(bad)


# --- the person's own pages ---------------------------------------------------

def test_the_start_page_says_why_and_who_sees_what(client, person) -> None:
    body = client.get("/my/equality").get_data(as_text=True)
    assert "Only you can see your answers" in body
    assert "never used to decide anything about you" in body


def test_answer_skip_and_continue_one_question_per_page(client, db, person) -> None:
    first = equality_questions().asked[0].code
    response = post(client, f"/my/equality/{first}", answer="25_34", action="save")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/equality/sex")
    response = post(client, "/my/equality/sex", action="skip")
    assert response.headers["Location"].endswith("/my/equality/gender_identity")
    post(client, "/my/equality/gender_identity", answer=PREFER_NOT, action="save")
    assert answers(db, person.id) == {"age_band": "25_34", "gender_identity": PREFER_NOT}


def test_saving_with_no_choice_asks_for_one_and_saves_nothing(client, db, person) -> None:
    response = post(client, "/my/equality/sex", action="save")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "Choose an answer, or skip this question" in body
    assert answers(db, person.id) == {}


def test_an_answer_not_on_the_list_is_refused(client, db, person) -> None:
    response = post(client, "/my/equality/sex", answer="robot", action="save")
    assert response.status_code == 400
    assert answers(db, person.id) == {}


def test_the_follow_on_disability_question_only_after_yes(client, db, person) -> None:
    response = post(client, "/my/equality/long_term_condition", answer="no", action="save")
    assert "activities_reduced" not in response.headers["Location"]
    post(client, "/my/equality/long_term_condition", answer="yes", action="save")
    post(client, "/my/equality/activities_reduced", answer="a_little", action="save")
    assert answers(db, person.id)["activities_reduced"] == "a_little"
    # Changing the first answer to "no" forgets the follow-on one.
    post(client, "/my/equality/long_term_condition", answer="no", action="save", then="summary")
    assert "activities_reduced" not in answers(db, person.id)


def test_a_question_not_asked_is_not_found(client, person) -> None:
    assert client.get("/my/equality/pregnancy").status_code == 404
    assert client.get("/my/equality/nonsense").status_code == 404


def test_the_person_sees_their_own_answers_and_can_delete_one_or_all(client, db,
                                                                    person) -> None:
    post(client, "/my/equality/sex", answer="female", action="save")
    post(client, "/my/equality/religion", answer="buddhist", action="save")
    body = client.get("/my/equality").get_data(as_text=True)
    assert "Buddhist" in body and "Female" in body
    assert client.get("/my/equality/religion/delete").status_code == 200
    post(client, "/my/equality/religion/delete")
    assert answers(db, person.id) == {"sex": "female"}
    post(client, "/my/equality/delete-all")
    assert answers(db, person.id) == {}


def test_easy_read_words(client, db, person) -> None:
    person.prefers_easy_read = True
    db.merge(person)
    db.commit()
    body = client.get("/my/equality/sexual_orientation").get_data(as_text=True)
    assert "Who are you attracted to?" in body
    assert "Straight: people of a different sex" in body
    assert "You do not have to answer." in body


def test_the_audit_trail_says_answers_changed_never_what_they_are(client, db, person) -> None:
    post(client, "/my/equality/religion", answer="jewish", action="save")
    events = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "equality_answers_changed")).all()
    assert len(events) == 1 and events[0].entity_id == person.id
    text = json.dumps([e.summary for e in events]) + json.dumps([e.changes for e in events])
    assert "jewish" not in text.lower() and "religion" not in text.lower()


def test_answers_are_in_the_persons_data_download(client, person) -> None:
    post(client, "/my/equality/religion", answer="sikh", action="save")
    data = json.loads(client.get("/my/data.json").get_data(as_text=True))
    assert data["equality_monitoring"] == {"What is your religion?": "Sikh"}


def test_anonymising_the_person_removes_their_answers(client, db, person) -> None:
    post(client, "/my/equality/religion", answer="sikh", action="save")
    coordinator = make_user(db, Role.COORDINATOR)
    anonymise(db, coordinator, db.get(type(person), person.id))
    db.commit()
    assert answers(db, person.id) == {}


# --- a coordinator typing in a paper form -------------------------------------

def test_a_coordinator_types_in_a_paper_form_and_cannot_read_it_back(app, client,
                                                                     db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    record = make_contributor(db)
    log_in(client, coordinator)
    path = f"/equality/paper/{record.id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "religion": "hindu", "ethnic_group": "asian_indian",
                                       "sex": ""})
    assert response.status_code == 302
    assert answers(db, record.id) == {"religion": "hindu", "ethnic_group": "asian_indian"}
    assert db.scalars(select(EqualityAnswer.entered_from_paper)).all() == [True, True]
    # The form is blank again: the answers are not shown, or even pre-selected.
    body = client.get(path).get_data(as_text=True)
    assert set(re.findall(r'value="([^"]*)"\s+selected', body)) == {""}
    # No page a coordinator can reach shows them: the record, and every GET
    # route of the app the coordinator's role can open with this record.
    leaks = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in {"static", "equality.paper"} \
                or rule.endpoint.startswith("reports."):
            # The paper form lists every option (checked above for none
            # chosen); reports name every group, with counts, never a person.
            continue
        if set(rule.arguments) - {"contributor_id"}:
            continue
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **({"contributor_id": record.id}
                                            if rule.arguments else {}))
        page = client.get(url)
        text = page.get_data(as_text=True)
        if page.status_code == 200 and ("Hindu" in text or "Indian" in text):
            leaks.append(rule.endpoint)
    assert leaks == []


def test_a_paper_answer_not_on_the_list_saves_nothing(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    record = make_contributor(db)
    log_in(client, coordinator)
    path = f"/equality/paper/{record.id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "religion": "hindu", "sex": "robot"})
    assert response.status_code == 400
    assert answers(db, record.id) == {}


def test_coordinators_cannot_open_the_persons_own_pages(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    assert client.get("/my/equality").status_code == 403
