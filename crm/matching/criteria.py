"""Who may be offered a role, and how well they fit: pure rules, no database.

``hard_rule_failures`` gives every rule a person does not meet for a role,
each as a ``Reason`` in plain words a coordinator can read out; an empty
list means they may be offered it. ``score`` gives the parts of their fit,
each 0 to 1 times its weight (config/matching.toml says what each part is).
``crm.matching.ranking`` does the same in SQL for speed, and a test holds
the two to the same answers; change both together.

The rules read only the facts in ``crm.matching.criteria_facts`` (what
matching reads about a person and a role, which of its sessions count and
how their times are read). Equality monitoring answers are not among them,
and must never be (domain rules 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crm.matching.config import Weights
from crm.matching.criteria_facts import (
    IN_PERSON,
    ONLINE,
    PersonFacts,
    Reason,
    RoleFacts,
    SessionFacts,
)
from crm.matching.postcodes import distance_miles

PART_WORDS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}
INPATIENT_ON_WARD, WORKS_ON_WARD = "inpatient_on_ward", "works_on_ward"
CONNECTION_FOR_RULE = {INPATIENT_ON_WARD: "inpatient_now", WORKS_ON_WARD: "works_on"}


# ------------------------------------------------------------------ words

def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def session_words(s: SessionFacts) -> str:
    return f"{s.local:%A} {s.day.day} {s.local:%B}"


def _or_words(words: Iterable[str]) -> str:
    items = sorted(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# ------------------------------------------------------------------ the rules

def hard_rule_failures(person: PersonFacts, role: RoleFacts, today: dt.date) -> list[Reason]:
    """Every rule ``person`` does not meet for ``role``, in the order a
    coordinator would check them. Empty: they may be offered the role."""
    out: list[Reason] = []
    out += _active(person, today)
    if not person.may_contact:
        out.append(Reason("no_consent", "Has not given consent to be contacted"))
    if role.required_experience and not role.required_experience & person.experiences:
        words = _or_words(role.label(k) for k in role.required_experience)
        out.append(Reason("experience", f"Does not have the lived experience the role asks "
                                        f"for ({words.lower()})"))
    if role.required_service_kinds and not role.required_service_kinds & person.service_kinds:
        words = _or_words(role.label(k) for k in role.required_service_kinds)
        out.append(Reason("service_kinds", f"Has not told us they know the services the role "
                                           f"asks for ({words})"))
    out += _training(person, role)
    out += _times(person, role, today)
    out += _ways_and_travel(person, role)
    out += _conflicts(person, role)
    out += _bookings(person, role)
    return out


def _active(person: PersonFacts, today: dt.date) -> list[Reason]:
    if person.anonymised or person.status == "left":
        return [Reason("left", "Has left the involvement bank")]
    out = []
    if person.removal_requested:
        out.append(Reason("removal", "Has asked to be removed from the involvement bank"))
    if person.paused_until is not None and person.paused_until > today:
        out.append(Reason("paused", f"Paused until {long_date(person.paused_until)}"))
    elif person.status == "paused":
        out.append(Reason("paused", "Paused (their record says so; no end date)"))
    return out


def _training(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    out = []
    for course in role.required_training:
        done = [t for t in person.training if t.course == course]
        label = role.label(course)
        # "Safeguarding" becomes "Safeguarding training"; "Recruitment panel
        # training" stays as it is.
        name = label if label.lower().endswith("training") else f"{label} training"
        if not done:
            out.append(Reason("training", f"Has not completed {name} — could take "
                                          "part after completing it"))
            continue
        for s in sorted(role.sessions, key=lambda s: s.starts_at):
            if not any(t.covers(s.day) for t in done):
                ends = max((t.expires_on for t in done if t.expires_on), default=None)
                when = (f"runs out on {long_date(ends)}, before the session on "
                        f"{long_date(s.day)}" if ends else f"is not valid on {long_date(s.day)}")
                out.append(Reason("training", f"{name} {when} — could take part "
                                              "after renewing it"))
                break
    return out


def _times(person: PersonFacts, role: RoleFacts, today: dt.date) -> list[Reason]:
    out = []
    if person.slots:
        for s in sorted(role.sessions, key=lambda s: s.starts_at):
            missing = [p for d, p in s.slots if (d, p) not in person.slots]
            if missing:
                when = " or ".join(PART_WORDS[p] for p in missing)
                out.append(Reason("availability", f"Not available on {s.local:%A} {when} "
                                                  f"(session on {session_words(s)})"))
    if person.notice_days is not None and role.sessions:
        first = min(s.day for s in role.sessions)
        gap = (first - today).days
        if gap < person.notice_days:
            out.append(Reason("notice", f"Needs {person.notice_days} days' notice; the first "
                                        f"session is on {long_date(first)}, in {gap} "
                                        f"day{'s' if gap != 1 else ''}"))
    return out


def _ways_and_travel(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    out = []
    for s in sorted(role.sessions, key=lambda s: s.starts_at):
        ways = role.ways(s)
        if person.attendance_mode == ONLINE and ONLINE not in ways:
            out.append(Reason("mode", f"Takes part online only; the session on "
                                      f"{session_words(s)} is in person"))
        elif person.attendance_mode == IN_PERSON and IN_PERSON not in ways:
            out.append(Reason("mode", f"Takes part in person only; the session on "
                                      f"{session_words(s)} is online"))
        elif person.travel_max_miles is not None and role.goes_in_person(s, person.attendance_mode):
            miles = distance_miles(person.postcode_district, s.postcode_district)
            if miles is not None and miles > person.travel_max_miles:
                out.append(Reason("travel", f"Lives about {round(miles)} miles away; will "
                                            f"travel up to {person.travel_max_miles}"))
    return _unique(out)


def _conflicts(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    out = []
    for rule in role.conflict_rules:
        kind = CONNECTION_FOR_RULE.get(rule)
        for ward_id, connection in sorted(person.ward_connections):
            if connection == kind and ward_id in role.ward_ids:
                ward = role.ward_names.get(ward_id, "the project's ward")
                text = (f"Currently an inpatient on {ward}" if rule == INPATIENT_ON_WARD
                        else f"Works on {ward}")
                out.append(Reason("conflict", text))
    return out


def _bookings(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    out = []
    for s in sorted(role.sessions, key=lambda s: s.starts_at):
        if any(b.overlaps(s.interval) for b in person.booked):
            out.append(Reason("booked", f"Already booked for another role at the same time "
                                        f"as the session on {session_words(s)}"))
    if person.max_roles_at_once is not None and person.current_roles >= person.max_roles_at_once:
        n = person.current_roles
        out.append(Reason("max_roles", f"Already doing {n} role{'s' if n != 1 else ''}; their "
                                       f"own limit is {person.max_roles_at_once} at once"))
    return out


def _unique(reasons: list[Reason]) -> list[Reason]:
    return list(dict.fromkeys(reasons))


# ------------------------------------------------------------------ notes

# Payments (a layer above) registers the function that gives the "may affect
# benefits" notes for offers about to be made, for a page at once:
# (session, the roles' facts, [(role id, person id)]) -> {(role id, person
# id): [Reason]}. The pairs are offered together (a batch), so a person's
# other pairs count towards the same limits. person_facts calls
# benefit_notes_for for one role and keeps the notes in
# PersonFacts.benefit_notes; the batch page calls benefit_notes_for_offers.
Pair = tuple[int, int]
BenefitNoteSource = Callable[[Any, Sequence["RoleFacts"], Sequence[Pair]],
                             dict[Pair, list[Reason]]]
_benefit_note_sources: list[BenefitNoteSource] = []


def register_benefit_notes(source: BenefitNoteSource) -> None:
    if source not in _benefit_note_sources:
        _benefit_note_sources.append(source)


def benefit_notes_for_offers(session: Any, roles: Sequence[RoleFacts], pairs: Sequence[Pair]
                             ) -> dict[Pair, tuple[Reason, ...]]:
    """The notes for offering each (role id, person id) pair, all at once."""
    found: dict[Pair, list[Reason]] = {}
    if not pairs:
        return {}
    for source in _benefit_note_sources:
        for pair, reasons in source(session, roles, pairs).items():
            found.setdefault(pair, []).extend(reasons)
    return {pair: tuple(reasons) for pair, reasons in found.items()}


def benefit_notes_for(session: Any, role: RoleFacts, ids: Sequence[int]
                      ) -> dict[int, tuple[Reason, ...]]:
    """The notes for offering ``role`` to each of ``ids``."""
    found = benefit_notes_for_offers(session, [role], [(role.id, cid) for cid in ids])
    return {cid: reasons for (_, cid), reasons in found.items()}


def benefit_notes(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    """The "may affect benefits" notes payments gave for this person and role
    (a fee that may take them over a limit they told us about). It NEVER
    excludes anyone: it is shown beside the person so the coordinator can
    talk it through before offering."""
    return list(person.benefit_notes)


def notes(person: PersonFacts, role: RoleFacts) -> list[Reason]:
    """Things a coordinator should know that never leave anyone out."""
    out = []
    if not person.slots:
        out.append(Reason("availability_unknown", "Availability not recorded"))
    if person.travel_max_miles is not None and any(
            role.goes_in_person(s, person.attendance_mode)
            and distance_miles(person.postcode_district, s.postcode_district) is None
            for s in role.sessions):
        out.append(Reason("distance_unknown", "Distance to the session not known"))
    return out + benefit_notes(person, role)


# ------------------------------------------------------------------ the score

@dataclass(frozen=True)
class Part:
    name: str
    label: str
    value: float  # 0 to 1
    weight: float
    detail: str

    @property
    def points(self) -> float:
        return self.weight * self.value


@dataclass(frozen=True)
class ScoreParts:
    parts: tuple[Part, ...]

    @property
    def total(self) -> float:
        return sum(p.points for p in self.parts)


def adjustment_shares(role: RoleFacts) -> dict[str, float]:
    """Adjustment code -> share of the role's sessions whose room provides it."""
    if not role.sessions:
        return {}
    counts: dict[str, int] = {}
    for s in role.sessions:
        if IN_PERSON in role.ways(s):
            for code in s.room_provides:
                counts[code] = counts.get(code, 0) + 1
    return {code: n / len(role.sessions) for code, n in counts.items()}


def _free_for(fits: int, coming: int) -> str:
    """The availability part in words. ``role.sessions`` holds only the
    sessions still to come, so the words say so: "1 of 1 sessions" read
    wrong for a 2-session role whose first session had happened."""
    if not coming:
        return "No sessions still to come"
    return f"Free for {fits} of the {coming} coming session{'s' if coming != 1 else ''}"


def score(person: PersonFacts, role: RoleFacts, weights: Weights) -> ScoreParts:
    """The parts of a person's fit for a role (see config/matching.toml)."""
    have = role.desirable_skills & person.skills
    skills = len(have) / len(role.desirable_skills) if role.desirable_skills else 0.0
    known = role.target_service_kinds & person.service_kinds
    kinds = len(known) / len(role.target_service_kinds) if role.target_service_kinds else 0.0
    fits = [s for s in role.sessions if all(x in person.slots for x in s.slots)]
    availability = len(fits) / len(role.sessions) if role.sessions and person.slots else 0.0
    shares = adjustment_shares(role)
    if person.adjustments:
        adjustments = sum(shares.get(c, 0.0) for c in person.adjustments) / len(person.adjustments)
        provided = sum(1 for c in person.adjustments if shares.get(c, 0.0) == 1.0)
        adj_detail = f"{provided} of their {len(person.adjustments)} provided by the room"
    else:
        adjustments, adj_detail = 1.0, "Needs none"
    n = person.recent_offers
    return ScoreParts((
        Part("skills", "Skills", skills, weights.skills,
             f"{len(have)} of {len(role.desirable_skills)} wanted" if role.desirable_skills
             else "None asked for"),
        Part("service_kinds", "Services known", kinds, weights.service_kinds,
             f"{len(known)} of {len(role.target_service_kinds)}" if role.target_service_kinds
             else "None to compare"),
        Part("availability", "Availability", availability, weights.availability,
             _free_for(len(fits), len(role.sessions)) if person.slots
             else "Availability not recorded"),
        Part("adjustments_provided", "Adjustments in place", adjustments,
             weights.adjustments_provided, adj_detail),
        Part("fewer_recent_offers", "Fewer recent offers", 1.0 / (1 + n),
             weights.fewer_recent_offers, f"{n} offer{'s' if n != 1 else ''} lately"),
        Part("never_involved", "Not yet involved", 0.0 if person.has_attended else 1.0,
             weights.never_involved,
             "Has taken part before" if person.has_attended else "Never taken part yet"),
    ))
