"""Confirming a batch (which alone sends its offers, once) or discarding
it. Before anything is sent the batch must still fit: its roles open, and
no role's places or person's time taken by other offers since the proposal.

Like crm.matching.batches: flushes and audits, never commits, and raises
``BatchError`` with words for the coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching import offers
from crm.matching.batches import (
    HOLDING,
    RUNNING,
    BatchError,
    check_open,
    flush_batch,
    intervals,
    load_roles,
    places_held,
    role_name,
)
from crm.matching.models import BatchStatus, MatchBatch, Offer
from crm.projects.models import RoleOpening, RoleSession, RoleStatus
from crm.settings import Settings


def confirm(session: Session, settings: Settings, actor: User, batch: MatchBatch, *,
            expected_version: int, today: dt.date | None = None) -> list[Offer]:
    """Confirm the batch and send its offers, role by role. A second
    confirmation (or one from a page loaded before a change) is refused and
    sends nothing. Raises BatchError when a role is no longer open or a
    person no longer meets its rules; the caller must then not commit."""
    check_open(batch, expected_version)
    if batch.solver_status == "infeasible" and not batch.proposals:
        raise BatchError("There is nobody to send offers to in this batch.")
    roles = {r.id: r for r in load_roles(session, {p.role_id for p in batch.proposals})}
    closed = [r for r in roles.values() if r.status != RoleStatus.OPEN.value]
    if closed:
        raise BatchError("Nothing was sent. " + ", ".join(role_name(r) for r in closed)
                         + " is no longer open: take its people out of the batch, or discard "
                           "the batch.")
    _check_still_fits(session, batch, roles, today or utcnow().date())
    # Mark it confirmed first: a second confirmation at the same moment then
    # fails on the version before it can send anything.
    batch.status = BatchStatus.CONFIRMED.value
    batch.confirmed_at = utcnow()
    flush_batch(session)
    by_role: dict[int, list[int]] = defaultdict(list)
    for p in batch.proposals:
        by_role[p.role_id].append(p.contributor_id)
    made: list[Offer] = []
    for role_id in sorted(by_role):
        try:
            made += offers.send_offers(session, settings, actor, roles[role_id], by_role[role_id],
                                       batch_id=batch.id, today=today)
        except offers.OfferError as error:
            raise BatchError(f"Nothing was sent. {role_name(roles[role_id])}: "
                             f"{error.message}") from error
    record(session, Action.BATCH_CONFIRMED, entity_type=EntityType.BATCH, entity_id=batch.id,
           actor=actor, summary=f"confirmed: {len(made)} offers sent for {len(by_role)} roles")
    return made


def _check_still_fits(session: Session, batch: MatchBatch, roles: dict[int, RoleOpening],
                      today: dt.date) -> None:
    """Since the proposal, other offers (another batch, or by hand) may have
    taken a role's places, or offered someone another role at the same
    time: refuse, saying which, rather than offer more people than places or
    two meetings at once."""
    proposed: dict[int, list[int]] = defaultdict(list)
    for p in batch.proposals:
        proposed[p.role_id].append(p.contributor_id)
    held = places_held(session, list(proposed))
    full = [f"{role_name(roles[r])} has {max(0, roles[r].places - held.get(r, 0))} free "
            f"place{'s' if roles[r].places - held.get(r, 0) != 1 else ''} now and "
            f"{len(people)} people proposed"
            for r, people in sorted(proposed.items())
            if len(people) > roles[r].places - held.get(r, 0)]
    if full:
        raise BatchError("Nothing was sent. Other offers have taken places since this "
                         "proposal: " + "; ".join(full) + ". Take people out, or discard the "
                         "batch.", conflict=True)
    people = sorted({p.contributor_id for p in batch.proposals})
    rows = session.execute(
        select(Offer.contributor_id, Contributor.full_name, RoleOpening.id, RoleOpening.title,
               RoleSession.starts_at, RoleSession.minutes)
        .join(RoleOpening, RoleOpening.id == Offer.role_id)
        .join(RoleSession, RoleSession.role_id == RoleOpening.id)
        .join(Contributor, Contributor.id == Offer.contributor_id)
        .where(Offer.contributor_id.in_(people), Offer.status.in_(HOLDING),
               Offer.role_id.not_in(list(proposed)), RoleSession.is_cancelled.is_(False),
               RoleOpening.status.in_(RUNNING))).all() if people else []
    clashes: list[str] = []
    for cid, name, other_id, other_title, starts_at, minutes in rows:
        ends_at = starts_at + dt.timedelta(minutes=minutes)
        for p in batch.proposals:
            if p.contributor_id == cid and any(
                    s < ends_at and starts_at < e for s, e in intervals(roles[p.role_id],
                                                                          today)):
                clashes.append(f"{name} already has {other_title} (role {other_id}) at the "
                               f"same time as {role_name(roles[p.role_id])}")
    if clashes:
        raise BatchError("Nothing was sent. " + "; ".join(dict.fromkeys(clashes)) + ". Take "
                         "them out of this batch, or discard it.", conflict=True)


def discard(session: Session, actor: User, batch: MatchBatch, *, expected_version: int) -> None:
    """Set a proposed batch aside; nothing is sent."""
    check_open(batch, expected_version)
    batch.status = BatchStatus.DISCARDED.value
    flush_batch(session)
    record(session, Action.UPDATE, entity_type=EntityType.BATCH, entity_id=batch.id,
           actor=actor, summary="discarded; nothing sent")
