"""Saving an uploaded comparison population (flush and audit; the request
commits)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.accounts.models import User
from crm.audit.actions import Action
from crm.audit.services import record
from crm.reporting.models import PopulationShare, UploadedPopulation
from crm.reporting.populations import Population, UploadError, configured_populations


def save_population(session: Session, actor: User, title: str, source: str,
                    shares: dict[str, dict[str, float]]) -> UploadedPopulation:
    title = title.strip()
    if session.scalar(select(UploadedPopulation.id).where(UploadedPopulation.title == title)) \
            or any(p.title == title for p in configured_populations()):
        raise UploadError(["A population with this name already exists: choose another name"])
    population = UploadedPopulation(title=title, source=source.strip(), uploaded_by_id=actor.id,
                                    shares=[PopulationShare(question=q, answer=a, percent=v)
                                            for q, table in shares.items()
                                            for a, v in table.items()])
    session.add(population)
    session.flush()
    record(session, Action.CREATE, actor=actor,
           summary=f"uploaded comparison population {population.id}")
    return population


def all_populations(session: Session) -> list[Population]:
    """The configured populations, then those uploaded, newest first."""
    uploaded = session.scalars(select(UploadedPopulation)
                               .options(selectinload(UploadedPopulation.shares))
                               .order_by(UploadedPopulation.uploaded_at.desc()))
    out = list(configured_populations())
    for p in uploaded:
        shares: dict[str, dict[str, float]] = {}
        for s in p.shares:
            shares.setdefault(s.question, {})[s.answer] = s.percent
        out.append(Population(code=p.code, title=p.title, source=p.source,
                              effective_from=p.uploaded_at.date(), shares=shares))
    return out
