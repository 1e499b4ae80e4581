"""Saving and deleting a person's equality monitoring answers.

Every answer is optional; no row means "not answered". The audit trail
records that answers changed, never which answer was given. Services flush
and audit; the request commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.equality.models import EqualityAnswer
from crm.equality.questions import QuestionSet, equality_questions


class AnswerError(ValueError):
    """An answer that is not one of the question's options."""


def answers_of(session: Session, contributor_id: int) -> dict[str, str]:
    """The person's answers, question code -> option code. Only for the
    person's own pages and their data download."""
    rows = session.execute(select(EqualityAnswer.question, EqualityAnswer.answer)
                           .where(EqualityAnswer.contributor_id == contributor_id))
    return {q: a for q, a in rows}


def _audit(session: Session, actor: User, contributor: Contributor, how: str) -> None:
    record(session, Action.EQUALITY_ANSWERS_CHANGED, entity_type=EntityType.CONTRIBUTOR,
           entity_id=contributor.id, actor=actor, summary=how)


def _check(questions: QuestionSet, question: str, answer: str) -> None:
    q = questions.get(question)
    if q is None or not q.asked:
        raise AnswerError(f"unknown question {question!r}")
    if answer not in q.codes:
        raise AnswerError("Choose one of the answers, or skip this question")


def _put(session: Session, contributor_id: int, question: str, answer: str,
         from_paper: bool) -> None:
    row = session.scalar(select(EqualityAnswer).where(
        EqualityAnswer.contributor_id == contributor_id, EqualityAnswer.question == question))
    if row is None:
        session.add(EqualityAnswer(contributor_id=contributor_id, question=question,
                                   answer=answer, entered_from_paper=from_paper))
    else:
        row.answer, row.answered_at, row.entered_from_paper = answer, utcnow(), from_paper


def _drop_orphans(session: Session, questions: QuestionSet, contributor_id: int) -> None:
    """Remove answers to follow-on questions that no longer apply (say "no"
    to a long-term condition, and the follow-on answer goes)."""
    answers = answers_of(session, contributor_id)
    stale = [q.code for q in questions.questions
             if q.code in answers and q.only_if and not questions.applies(q, answers)]
    if stale:
        session.execute(delete(EqualityAnswer).where(
            EqualityAnswer.contributor_id == contributor_id, EqualityAnswer.question.in_(stale)))


def save_answer(session: Session, actor: User, contributor: Contributor, question: str,
                answer: str, questions: QuestionSet | None = None) -> None:
    """The person's own answer to one question. Raises AnswerError."""
    questions = questions or equality_questions()
    _check(questions, question, answer)
    _put(session, contributor.id, question, answer, from_paper=False)
    session.flush()
    _drop_orphans(session, questions, contributor.id)
    _audit(session, actor, contributor, "answered a monitoring question")
    session.flush()


def delete_answer(session: Session, actor: User, contributor: Contributor,
                  question: str, questions: QuestionSet | None = None) -> bool:
    """Forget one answer (and follow-on answers that no longer apply).
    Returns False when there was nothing to delete."""
    questions = questions or equality_questions()
    gone = session.execute(delete(EqualityAnswer).where(
        EqualityAnswer.contributor_id == contributor.id, EqualityAnswer.question == question))
    if not gone.rowcount:  # type: ignore[attr-defined]
        return False
    _drop_orphans(session, questions, contributor.id)
    _audit(session, actor, contributor, "deleted a monitoring answer")
    session.flush()
    return True


def delete_all(session: Session, actor: User, contributor: Contributor) -> int:
    gone = session.execute(delete(EqualityAnswer).where(
        EqualityAnswer.contributor_id == contributor.id))
    count = int(gone.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        _audit(session, actor, contributor, "deleted all monitoring answers")
    session.flush()
    return count


def save_paper_form(session: Session, actor: User, contributor: Contributor,
                    answers: Mapping[str, str], questions: QuestionSet | None = None) -> int:
    """Answers a coordinator typed in from the person's paper form. Only the
    questions answered on paper are written (blank means not answered there);
    nothing is returned that would show the answers. Raises AnswerError
    before writing anything if any answer is not allowed."""
    questions = questions or equality_questions()
    given = {q: a for q, a in answers.items() if a}
    for question, answer in given.items():
        _check(questions, question, answer)
    for question, answer in given.items():
        _put(session, contributor.id, question, answer, from_paper=True)
    session.flush()
    _drop_orphans(session, questions, contributor.id)
    if given:
        _audit(session, actor, contributor, "typed in a paper monitoring form")
    session.flush()
    return len(given)
