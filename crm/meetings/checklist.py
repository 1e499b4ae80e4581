"""The access checklist of one session, worked out from the needs of the
people confirmed for it. Pure rules: no database here (see services.py).

Each item says what is needed, not whose need it is ("A quiet room..."),
except where the coordinator must do something for one person ("Send the
papers to Asha Patel's supporter"): those items carry ``contributor_id``.

- Papers: needed by the session's (London) date less the longest notice
  anyone confirmed asked for (``papers_days_before``; the policy default
  when nobody said).
- Items from config/meetings.toml, brought in by an adjustment code or an
  information format; room items only for a session in a room, online
  items only online.
- An item is ticked by the room when the session's ward room already
  provides every code that brought it in (``Ward.room_provides``).
- One-person items: papers through their supporter, a pre-meet, a
  one-to-one debrief, help with travel, help with forms and payment.
- Supporters, carers or assistants coming: one item with how many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from crm.meetings.config import ItemRule

LONDON = ZoneInfo("Europe/London")

# Adjustment codes (and support-in-place kinds) behind the one-person items.
PRE_MEET = frozenset({"pre_meet", "pre_meets_and_debriefs"})
DEBRIEF = frozenset({"one_to_one_debrief", "pre_meets_and_debriefs"})
TRAVEL = frozenset({"travel_support"})
FORMS_HELP = frozenset({"help_with_paperwork_and_payments", "invoicing_help", "admin_help"})
COMPANION = frozenset({"bring_carer_or_personal_assistant", "advocate_or_peer_supporter"})


@dataclass(frozen=True)
class Person:
    """What the checklist needs to know about one person confirmed."""

    contributor_id: int
    name: str
    adjustments: frozenset[str] = frozenset()
    support: frozenset[str] = frozenset()
    information_format: str | None = None
    papers_days_before: int | None = None
    via_supporter: bool = False
    supporter_name: str | None = None
    camera_optional: bool = False

    @property
    def needs(self) -> frozenset[str]:
        """Adjustment codes, with "camera can stay off" from their preferences."""
        return self.adjustments | ({"camera_optional"} if self.camera_optional else set())


@dataclass(frozen=True)
class Where:
    is_online: bool
    room_provides: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    contributor_id: int | None = None
    by_room: bool = False  # the venue already provides it
    # "pre_meet" / "check_in": ticked when that is recorded for the person.
    support_kind: str | None = None


@dataclass(frozen=True)
class Checklist:
    papers_by: dt.date | None
    notice_days: int | None
    items: tuple[Item, ...] = field(default_factory=tuple)


def papers_by(starts_at: dt.datetime, people: Sequence[Person], default_days: int
              ) -> tuple[dt.date, int] | None:
    """The day papers must go out and the notice it allows (the longest
    anyone asked for), or None with nobody confirmed."""
    if not people:
        return None
    days = max((p.papers_days_before if p.papers_days_before is not None else default_days)
               for p in people)
    return starts_at.astimezone(LONDON).date() - dt.timedelta(days=days), days


def _applies(rule: ItemRule, where: Where) -> bool:
    return rule.place == "any" or (rule.place == "online") == where.is_online


def _rule_items(rules: Iterable[ItemRule], people: Sequence[Person], where: Where) -> list[Item]:
    items = []
    for rule in rules:
        if not _applies(rule, where):
            continue
        wanted: set[str] = set()
        for p in people:
            wanted |= p.needs & rule.adjustments
            if p.information_format in rule.formats:
                wanted.add(f"format:{p.information_format}")
        if not wanted:
            continue
        by_room = (not where.is_online and all(code in where.room_provides for code in wanted))
        items.append(Item(rule.key, rule.text, by_room=by_room))
    return items


def _person_items(people: Sequence[Person], where: Where) -> list[Item]:
    items = []
    for p in sorted(people, key=lambda p: (p.name, p.contributor_id)):
        cid, asked = p.contributor_id, p.needs | p.support
        if p.via_supporter:
            who = f", {p.supporter_name}" if p.supporter_name else ""
            items.append(Item(f"supporter_papers.{cid}",
                              f"Send the papers and any changes to {p.name}'s supporter{who}",
                              contributor_id=cid))
        if asked & PRE_MEET:
            items.append(Item(f"pre_meet.{cid}", f"Offer {p.name} a pre-meet",
                              contributor_id=cid, support_kind="pre_meet"))
        if asked & DEBRIEF:
            items.append(Item(f"debrief.{cid}", f"Offer {p.name} a one-to-one debrief afterwards",
                              contributor_id=cid, support_kind="check_in"))
        if asked & TRAVEL and not where.is_online:
            items.append(Item(f"travel.{cid}", f"Arrange help with travel for {p.name}",
                              contributor_id=cid))
        if asked & FORMS_HELP:
            items.append(Item(f"forms_help.{cid}",
                              f"Help {p.name} with forms and the payment claim",
                              contributor_id=cid))
    return items


def build(starts_at: dt.datetime, people: Sequence[Person], where: Where,
          rules: Sequence[ItemRule], default_days: int) -> Checklist:
    """The checklist for a session starting at ``starts_at`` with ``people``."""
    due = papers_by(starts_at, people, default_days)
    items: list[Item] = []
    if due:
        day, days = due
        plural = "" if days == 1 else "s"
        items.append(Item("papers", f"Papers and agenda sent by {day:%A} {day.day} {day:%B %Y} "
                                    f"({days} day{plural} before, the longest notice anyone "
                                    "asked for)"))
    items += _rule_items(rules, people, where)
    companions = sum(1 for p in people if p.needs & COMPANION)
    if companions:
        places = "a place" if companions == 1 else f"{companions} places"
        items.append(Item("companions", f"A named supporter, carer or assistant coming: "
                                        f"{places} for them, and their names told beforehand"))
    items += _person_items(people, where)
    return Checklist(papers_by=due[0] if due else None, notice_days=due[1] if due else None,
                     items=tuple(items))
