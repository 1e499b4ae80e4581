"""Equality monitoring's part in the duties in crm.hooks: the answers are in
the person's own data download, and go when their record is anonymised
(aggregate reports lose the person, as the domain rules ask)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from crm import hooks
from crm.equality import demo as _demo  # noqa: F401 (connects the demo receiver)
from crm.equality.models import EqualityAnswer
from crm.equality.questions import equality_questions
from crm.equality.services import answers_of


@hooks.personal_data_requested.connect
def _answers_for_download(session: Session, *, contributor_id: int,
                          **_: Any) -> dict[str, Any]:
    questions = equality_questions()
    out: dict[str, str] = {}
    for code, answer in answers_of(session, contributor_id).items():
        q = questions.get(code)
        option = q.option(answer) if q else None
        out[q.text if q else code] = option.label if option else answer
    return {"equality_monitoring": out}


@hooks.person_anonymised.connect
def _remove_answers(session: Session, *, contributor_id: int, **_: Any) -> None:
    session.execute(delete(EqualityAnswer).where(EqualityAnswer.contributor_id == contributor_id))
