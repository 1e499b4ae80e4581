"""Synthetic equality monitoring answers for the demo data, so the reports
show real shapes: some people answer nothing, most skip a question or two,
a few say "I'd rather not say", and small groups appear (suppressed cells).
The mix leans towards an urban mental health trust (more Black and Asian
people than England and Wales as a whole, fewer older people). Invented,
like every demo record."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from crm import hooks
from crm.contributors.models import Contributor
from crm.equality.models import EqualityAnswer
from crm.equality.questions import PREFER_NOT, equality_questions

WEIGHTS: dict[str, dict[str, float]] = {
    "age_band": {"16_24": 12, "25_34": 22, "35_49": 30, "50_64": 24, "65_74": 8, "75_84": 3,
                 "85_plus": 1},
    "sex": {"female": 55, "male": 45},
    "gender_identity": {"same": 96, "different": 4},
    "sexual_orientation": {"straight": 82, "gay_lesbian": 7, "bisexual": 8, "other": 3},
    "ethnic_group": {
        "white_british": 52, "white_irish": 2, "white_gypsy_traveller": 0.4, "white_roma": 0.3,
        "white_other": 7, "black_african": 8, "black_caribbean": 7, "black_other": 1.5,
        "asian_indian": 5, "asian_pakistani": 4, "asian_bangladeshi": 2, "asian_chinese": 1,
        "asian_other": 2, "mixed_white_black_caribbean": 2.5, "mixed_white_black_african": 1,
        "mixed_white_asian": 1, "mixed_other": 1, "other_arab": 1, "other_any": 1.3},
    "religion": {"none": 40, "christian": 38, "muslim": 10, "hindu": 2, "sikh": 1,
                 "buddhist": 1.5, "jewish": 1, "other": 2},
    "long_term_condition": {"yes": 72, "no": 28},
    "activities_reduced": {"a_lot": 30, "a_little": 45, "not_at_all": 25},
}


def demo_answers(contributor_ids: list[int], seed: int) -> list[dict[str, Any]]:
    """The rows to insert: deterministic for the same people and seed."""
    rng = random.Random(seed * 7 + 11)  # noqa: S311 (synthetic data, not secrets)
    questions = equality_questions()
    rows: list[dict[str, Any]] = []
    for contributor_id in contributor_ids:
        if rng.random() < 0.35:  # never filled the form in
            continue
        given: dict[str, str] = {}
        for q in questions.asked:
            if not questions.applies(q, given) or rng.random() < 0.12:  # skipped
                continue
            if rng.random() < 0.05:
                answer = PREFER_NOT
            else:
                weights = WEIGHTS.get(q.code) or {o.code: 1.0 for o in q.options
                                                  if o.code != PREFER_NOT}
                answer = rng.choices(list(weights), weights=list(weights.values()))[0]
            given[q.code] = answer
            rows.append({"contributor_id": contributor_id, "question": q.code,
                         "answer": answer, "entered_from_paper": rng.random() < 0.1})
    return rows


@hooks.demo_loaded.connect
def _answer_for_the_demo(session: Session, *, today: dt.date, seed: int, **_: Any) -> None:
    ids = list(session.scalars(select(Contributor.id).where(Contributor.user_id.is_(None))
                               .order_by(Contributor.id)))
    rows = demo_answers(ids, seed)
    if rows:
        session.execute(insert(EqualityAnswer), rows)
