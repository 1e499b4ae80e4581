"""Comparison populations a trust uploads (its inpatients by ethnic group
for a quarter, a local authority's census figures), beside the ones in
config/equality/populations/. Aggregate shares only, never people."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, UTCDateTime, intpk, utcnow


class UploadedPopulation(Base):
    __tablename__ = "uploaded_population"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    shares: Mapped[list[PopulationShare]] = relationship(
        back_populates="population", cascade="all, delete-orphan")

    @property
    def code(self) -> str:
        return f"uploaded-{self.id}"


class PopulationShare(Base):
    """One answer's share of an uploaded population, in percent."""

    __tablename__ = "population_share"
    __table_args__ = (UniqueConstraint("population_id", "question", "answer"),)

    id: Mapped[intpk]
    population_id: Mapped[int] = mapped_column(
        ForeignKey("uploaded_population.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(64))
    percent: Mapped[float] = mapped_column(Float)

    population: Mapped[UploadedPopulation] = relationship(back_populates="shares")
