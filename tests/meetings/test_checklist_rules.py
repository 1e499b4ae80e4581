"""The checklist rules, table by table: needs -> items, what the room
ticks, online and in-person items, one-person items, the longest notice."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.meetings.checklist import Person, Where, build, papers_by
from crm.meetings.config import load_meetings_config, meetings_config

START = dt.datetime(2027, 3, 10, 10, 0, tzinfo=dt.UTC)
ROOM = Where(is_online=False)
ONLINE = Where(is_online=True)


def keys(people, where=ROOM):  # type: ignore[no-untyped-def]
    config = meetings_config()
    return {i.key for i in build(START, people, where, config.items,
                                 config.papers_default_days).items}


def person(cid=1, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("name", f"Person {cid}")
    if "adjustments" in fields:
        fields["adjustments"] = frozenset(fields["adjustments"])
    if "support" in fields:
        fields["support"] = frozenset(fields["support"])
    return Person(contributor_id=cid, **fields)


@pytest.mark.parametrize(("needs", "where", "wanted", "not_wanted"), [
    ({"adjustments": ["easy_read"]}, ROOM, {"easy_read_papers"}, {"large_print_papers"}),
    ({"information_format": "easy_read"}, ROOM, {"easy_read_papers"}, set()),
    ({"information_format": "large_print"}, ROOM, {"large_print_papers"}, set()),
    ({"adjustments": ["large_print"]}, ONLINE, {"large_print_papers"}, set()),
    ({"information_format": "bsl"}, ROOM, {"bsl_interpreter"}, set()),
    ({"adjustments": ["bsl_interpreter"]}, ONLINE, {"bsl_interpreter"}, set()),
    ({"adjustments": ["spoken_language_interpreter"]}, ROOM, {"spoken_interpreter"}, set()),
    ({"adjustments": ["quiet_room"]}, ROOM, {"quiet_room"}, set()),
    ({"adjustments": ["quiet_room"]}, ONLINE, set(), {"quiet_room"}),
    ({"adjustments": ["step_free_access"]}, ROOM, {"step_free"}, set()),
    ({"adjustments": ["step_free_access"]}, ONLINE, set(), {"step_free"}),
    ({"adjustments": ["regular_breaks"]}, ONLINE, {"breaks"}, set()),
    ({"adjustments": ["fidget_toys"]}, ROOM, {"fidget_items"}, set()),
    ({"adjustments": ["camera_optional"]}, ONLINE, {"camera_optional"}, set()),
    ({"camera_optional": True}, ONLINE, {"camera_optional"}, set()),
    ({"camera_optional": True}, ROOM, set(), {"camera_optional"}),
    ({"adjustments": ["live_captions"]}, ONLINE, {"live_captions"}, set()),
    ({"adjustments": ["attendee_list_with_photos"]}, ROOM, {"attendance_list_photos"}, set()),
    ({"adjustments": ["name_badges_with_photos"]}, ROOM, {"name_badges_photos"}, set()),
    ({"adjustments": ["hearing_loop"]}, ROOM, {"hearing_loop"}, set()),
    ({"adjustments": ["hearing_loop"]}, ONLINE, set(), {"hearing_loop"}),
    ({"adjustments": ["talking_mats"]}, ROOM, {"communication_aids"}, set()),
    ({"adjustments": ["bring_carer_or_personal_assistant"]}, ROOM, {"companions"}, set()),
    ({"via_supporter": True, "supporter_name": "Sam"}, ROOM, {"supporter_papers.1"}, set()),
    ({"adjustments": ["pre_meet"]}, ROOM, {"pre_meet.1"}, set()),
    ({"support": ["pre_meets_and_debriefs"]}, ROOM, {"pre_meet.1", "debrief.1"}, set()),
    ({"adjustments": ["one_to_one_debrief"]}, ONLINE, {"debrief.1"}, {"pre_meet.1"}),
    ({"adjustments": ["travel_support"]}, ROOM, {"travel.1"}, set()),
    ({"adjustments": ["travel_support"]}, ONLINE, set(), {"travel.1"}),
    ({"support": ["invoicing_help"]}, ROOM, {"forms_help.1"}, set()),
    ({}, ROOM, {"papers"}, {"quiet_room", "easy_read_papers", "breaks", "supporter_papers.1"}),
])
def test_needs_bring_in_items(needs, where, wanted, not_wanted) -> None:  # type: ignore[no-untyped-def]
    found = keys([person(**needs)], where)
    assert wanted <= found
    assert not (not_wanted & found)


def test_nobody_confirmed_means_an_empty_checklist() -> None:
    assert keys([]) == set()


@pytest.mark.parametrize(("provides", "needs", "ticked"), [
    (["step_free_access"], ["step_free_access"], True),
    (["quiet_room"], ["quiet_room"], True),
    ([], ["quiet_room"], False),
    (["hearing_loop"], ["quiet_room"], False),
    # An item brought in by two needs is ticked only when the room has both.
    (["natural_light"], ["natural_light", "low_background_noise"], False),
    (["natural_light", "low_background_noise"], ["natural_light", "low_background_noise"], True),
])
def test_the_room_ticks_what_it_provides(provides, needs, ticked) -> None:  # type: ignore[no-untyped-def]
    config = meetings_config()
    where = Where(is_online=False, room_provides=frozenset(provides))
    items = build(START, [person(adjustments=needs)], where, config.items,
                  config.papers_default_days).items
    room_items = [i for i in items if i.key not in ("papers",)]
    assert room_items and all(i.by_room is ticked for i in room_items)


def test_online_rooms_tick_nothing() -> None:
    config = meetings_config()
    where = Where(is_online=True, room_provides=frozenset({"regular_breaks"}))
    items = build(START, [person(adjustments=["regular_breaks"])], where, config.items, 7).items
    assert not any(i.by_room for i in items)


@pytest.mark.parametrize(("notices", "default", "day", "days"), [
    ([None], 7, dt.date(2027, 3, 3), 7),
    ([3, 10, None], 7, dt.date(2027, 2, 28), 10),
    ([2, None], 7, dt.date(2027, 3, 3), 7),
    ([2, 1], 7, dt.date(2027, 3, 8), 2),
    ([0], 7, dt.date(2027, 3, 10), 0),
])
def test_papers_by_is_the_session_date_less_the_longest_notice(notices, default, day,
                                                              days) -> None:  # type: ignore[no-untyped-def]
    people = [person(n, papers_days_before=d) for n, d in enumerate(notices, 1)]
    assert papers_by(START, people, default) == (day, days)


def test_papers_by_uses_the_london_date() -> None:
    late = dt.datetime(2027, 6, 9, 23, 30, tzinfo=dt.UTC)  # 00:30 on 10 June in London
    assert papers_by(late, [person(papers_days_before=1)], 7) == (dt.date(2027, 6, 9), 1)


def test_items_say_what_not_whose_except_for_one_person_items() -> None:
    config = meetings_config()
    people = [person(1, name="Asha Patel", adjustments=["quiet_room", "pre_meet"]),
              person(2, name="Ben Okafor", via_supporter=True, supporter_name="Sam")]
    items = build(START, people, ROOM, config.items, 7).items
    for item in items:
        named = "Asha" in item.text or "Ben" in item.text
        assert named == (item.contributor_id is not None), item
    assert any(i.text == "Send the papers and any changes to Ben Okafor's supporter, Sam"
               for i in items)


def test_config_refuses_unknown_adjustment_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crm.settings import ConfigError

    text = (meetings_config_text().replace('adjustments = ["quiet_room"]',
                                           'adjustments = ["no_such_code"]'))
    path = tmp_path / "meetings.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="no_such_code"):
        load_meetings_config(path)


def meetings_config_text() -> str:
    from crm.meetings.config import MEETINGS_FILE

    return MEETINGS_FILE.read_text()
