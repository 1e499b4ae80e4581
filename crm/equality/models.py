"""Equality monitoring answers: special category data, in a table of their
own, read only by the person themselves (their pages and their data
download) and by aggregate reports. Never by matching, payments or any page
about a person (the import contract in .importlinter)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, intpk, utcnow


class EqualityAnswer(Base):
    """One answer to one monitoring question. ``entered_from_paper`` marks
    answers a coordinator typed in from a paper form (they cannot read them
    back). No row means the question was not answered (skipped)."""

    __tablename__ = "equality_answer"
    __table_args__ = (
        UniqueConstraint("contributor_id", "question"),
        # Reports group by question and answer.
        Index("ix_equality_answer_question_answer", "question", "answer"),
    )

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_from_paper: Mapped[bool] = mapped_column(Boolean, default=False)
