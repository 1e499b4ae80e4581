"""What the batch pages show, each in a fixed number of queries however many
roles and people a batch has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.matching import criteria
from crm.matching.batches import load_roles, places_held
from crm.matching.criteria_facts import Reason
from crm.matching.models import BatchStatus, MatchBatch, MatchProposal
from crm.matching.ranking_facts import role_facts
from crm.projects.models import RoleOpening


@dataclass
class ProposedPerson:
    contributor_id: int
    name: str
    score: float
    # "May affect benefits" notes, while the batch is still a proposal.
    notes: tuple[str, ...] = ()


@dataclass
class RoleInBatch:
    role: RoleOpening
    free_places: int
    people: list[ProposedPerson] = field(default_factory=list)


@dataclass
class BatchPage:
    batch: MatchBatch
    created_by: str | None
    roles: list[RoleInBatch]

    @property
    def total(self) -> float:
        """The total fit of the proposal as it is now (after any changes)."""
        return sum(p.score for r in self.roles for p in r.people)

    @property
    def proposed_count(self) -> int:
        return sum(len(r.people) for r in self.roles)

    @property
    def changed(self) -> bool:
        """Whether the coordinator changed the solver's proposal."""
        return self.batch.objective is not None and abs(self.total - self.batch.objective) > 1e-9


def batch_page(session: Session, batch: MatchBatch, today: dt.date) -> BatchPage:
    """The batch with its roles (project, sessions), the people proposed
    for each (names, scores, and while it is a proposal, the "may affect
    benefits" notes for offering them all their roles together) and each
    role's free places."""
    roles = load_roles(session, batch.role_ids)
    notes: dict[tuple[int, int], tuple[Reason, ...]] = {}
    if batch.status == BatchStatus.PROPOSED.value:
        notes = criteria.benefit_notes_for_offers(
            session, [role_facts(session, r, today=today) for r in roles],
            [(p.role_id, p.contributor_id) for p in batch.proposals])
    held = places_held(session, [r.id for r in roles])
    ids = sorted({p.contributor_id for p in batch.proposals})
    names: dict[int, str] = {}
    if ids:
        names = {cid: name for cid, name in session.execute(
            select(Contributor.id, Contributor.full_name).where(Contributor.id.in_(ids)))}
    by_role: dict[int, list[ProposedPerson]] = {}
    for p in sorted(batch.proposals, key=lambda p: (-p.score, p.contributor_id)):
        by_role.setdefault(p.role_id, []).append(
            ProposedPerson(p.contributor_id, names.get(p.contributor_id, "Removed record"),
                           p.score, tuple(n.text for n in notes.get(
                               (p.role_id, p.contributor_id), ()))))
    creator = session.get(User, batch.created_by_id) if batch.created_by_id else None
    return BatchPage(batch, creator.display_name if creator else None, [
        RoleInBatch(r, max(0, r.places - held.get(r.id, 0)), by_role.get(r.id, []))
        for r in roles])


def batches_for_list() -> Select[Any]:
    """Every batch, newest first, with who made it and how many people it proposes."""
    people = (select(func.count()).where(MatchProposal.batch_id == MatchBatch.id)
              .correlate(MatchBatch).scalar_subquery())
    return (select(MatchBatch, User.display_name, people.label("people"))
            .outerjoin(User, User.id == MatchBatch.created_by_id)
            .order_by(MatchBatch.created_at.desc(), MatchBatch.id.desc()))
