"""The demo data answers the monitoring form in varied ways, so the reports
show real shapes, suppressed cells included."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.contributors.models import Contributor
from crm.equality.demo import demo_answers
from crm.equality.models import EqualityAnswer
from crm.equality.questions import equality_questions
from crm.reporting.disclosure import load_rules
from crm.reporting.populations import configured_populations
from crm.reporting.queries import Scope
from crm.reporting.representation import representation


def test_demo_people_answer_in_varied_ways(app, db) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    people = db.scalar(select(func.count()).select_from(Contributor))
    answered = db.scalar(select(func.count(func.distinct(EqualityAnswer.contributor_id))))
    assert 0.4 * people < answered < 0.9 * people  # some never answer
    kinds = set(db.scalars(select(EqualityAnswer.answer).where(
        EqualityAnswer.question == "ethnic_group")))
    assert len(kinds) >= 10 and "prefer_not_to_say" in set(db.scalars(
        select(EqualityAnswer.answer)))
    # Kit, the demo contributor with an account, answers for themselves.
    kit = db.scalar(select(Contributor).where(Contributor.user_id.is_not(None)))
    assert db.scalar(select(func.count()).where(EqualityAnswer.contributor_id == kit.id)) == 0
    report = representation(db, equality_questions().get("ethnic_group"), Scope(),
                            configured_populations()[0], load_rules())
    assert any(r.count is None for r in report.rows)  # small groups are hidden
    assert any(r.count for r in report.rows)


def test_demo_answers_are_deterministic_and_follow_on_questions_fit() -> None:
    first, again = demo_answers(list(range(1, 200)), 7), demo_answers(list(range(1, 200)), 7)
    assert first == again
    by_person: dict[int, dict[str, str]] = {}
    for row in first:
        by_person.setdefault(row["contributor_id"], {})[row["question"]] = row["answer"]
    for answers in by_person.values():
        if "activities_reduced" in answers:
            assert answers.get("long_term_condition") == "yes"
