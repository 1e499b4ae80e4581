"""Aggregate counts for the reports, done in SQL: the database returns one
row per answer (and per involvement level or quarter), never a row per
person. Each count is of distinct people.

Stages of participation: the bank itself (everyone current), people
offered a role, people who said yes (including those who later dropped
out), and people who attended (or left early). Payments come later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor, Status
from crm.db import UTCDateTime
from crm.equality.models import EqualityAnswer
from crm.matching.models import Offer, OfferStatus
from crm.projects.models import (
    Attendance,
    AttendanceOutcome,
    RoleOpening,
    RoleSession,
    project_ward,
)


class Stage(StrEnum):
    BANK = "bank"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    ATTENDED = "attended"


STAGE_LABELS = {
    Stage.BANK: "Everyone in the involvement bank",
    Stage.OFFERED: "People offered a role",
    Stage.ACCEPTED: "People who said yes to a role",
    Stage.ATTENDED: "People who attended a session",
}


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 = January to March

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime(self.year, 3 * self.number - 2, 1, tzinfo=dt.UTC)

    @property
    def ends(self) -> dt.datetime:
        return (Quarter(self.year + 1, 1) if self.number == 4
                else Quarter(self.year, self.number + 1)).starts

    @property
    def code(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        months = ("January to March", "April to June", "July to September",
                  "October to December")
        return f"{months[self.number - 1]} {self.year}"

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        try:
            year, q = (text or "").lower().split("-q")
            quarter = cls(int(year), int(q))
        except ValueError:
            return None
        return quarter if 1 <= quarter.number <= 4 and 2000 <= quarter.year <= 2100 else None

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self, n: int = 1) -> Quarter:
        index = self.year * 4 + self.number - 1 - n
        return Quarter(index // 4, index % 4 + 1)


@dataclass(frozen=True)
class Scope:
    stage: Stage = Stage.BANK
    level: str | None = None
    project_id: int | None = None
    ward_id: int | None = None
    quarter: Quarter | None = None

    @property
    def is_narrowed(self) -> bool:
        return any((self.level, self.project_id, self.ward_id, self.quarter))


def _people(scope: Scope) -> Select[*tuple[Any, ...]]:
    """The distinct people in scope, as a one-column select of contributor ids."""
    if scope.stage == Stage.BANK:
        return select(Contributor.id.label("person_id")).where(
            Contributor.anonymised_at.is_(None), Contributor.status != Status.LEFT.value)
    stmt: Select[int, str]
    when: Any
    if scope.stage == Stage.ATTENDED:
        stmt = (select(Attendance.contributor_id.label("person_id"), RoleOpening.level)
                .join(RoleSession, RoleSession.id == Attendance.session_id)
                .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
                .where(Attendance.outcome.in_([AttendanceOutcome.ATTENDED.value,
                                               AttendanceOutcome.LEFT_EARLY.value])))
        when = RoleSession.starts_at
    else:
        stmt = (select(Offer.contributor_id.label("person_id"), RoleOpening.level)
                .join(RoleOpening, RoleOpening.id == Offer.role_id))
        if scope.stage == Stage.OFFERED:
            stmt = stmt.where(Offer.offered_at.is_not(None))
            when = Offer.offered_at
        else:
            stmt = stmt.where(Offer.status.in_([OfferStatus.ACCEPTED.value,
                                                OfferStatus.DROPPED_OUT.value]))
            when = func.coalesce(Offer.answered_at, Offer.offered_at)
    if scope.level:
        stmt = stmt.where(RoleOpening.level == scope.level)
    if scope.project_id:
        stmt = stmt.where(RoleOpening.project_id == scope.project_id)
    if scope.ward_id:
        stmt = stmt.where(RoleOpening.project_id.in_(
            select(project_ward.c.project_id).where(project_ward.c.ward_id == scope.ward_id)))
    if scope.quarter:
        stmt = stmt.where(when >= literal(scope.quarter.starts, UTCDateTime()),
                          when < literal(scope.quarter.ends, UTCDateTime()))
    return stmt


def counts_by_answer(session: Session, question: str, scope: Scope) -> dict[str | None, int]:
    """Distinct people in ``scope`` per answer to ``question``; ``None`` is
    people who have not answered it."""
    everyone = _people(scope)
    people = everyone.with_only_columns(everyone.selected_columns[0]).distinct().subquery()
    stmt = (select(EqualityAnswer.answer, func.count())
            .select_from(people)
            .outerjoin(EqualityAnswer, and_(EqualityAnswer.contributor_id == people.c.person_id,
                                            EqualityAnswer.question == question))
            .group_by(EqualityAnswer.answer))
    return {answer: int(n) for answer, n in session.execute(stmt)}


def counts_by_answer_and_level(session: Session, question: str,
                               scope: Scope) -> dict[tuple[str | None, str], int]:
    """Distinct people per (answer, involvement level) among participants:
    someone in roles at two levels counts once at each."""
    if scope.stage == Stage.BANK:
        raise ValueError("levels need a stage of participation")
    people = _people(scope).distinct().subquery()
    stmt = (select(EqualityAnswer.answer, people.c.level, func.count())
            .select_from(people)
            .outerjoin(EqualityAnswer, and_(EqualityAnswer.contributor_id == people.c.person_id,
                                            EqualityAnswer.question == question))
            .group_by(EqualityAnswer.answer, people.c.level))
    return {(answer, level): int(n) for answer, level, n in session.execute(stmt)}
