"""Easy Read words for adjustments: each option reads as itself, so a person
choosing in Easy Read can tell them apart."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from crm.permissions import Role
from crm.reference import reference
from tests.factories import log_in, make_contributor, make_user

# Words that carry no meaning of their own in these sentences.
_FILLER_WORDS = ("i a an the to my me of in at on and or for with is be can want need "
                 "will who where what how it we you if not no please")
FILLER = frozenset(_FILLER_WORDS.split(" "))


def _normal(sentence: str) -> str:
    return " ".join(re.findall(r"[a-z']+", sentence.lower()))


def _content(sentence: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z']+", sentence.lower()) if w not in FILLER)


def test_every_adjustment_has_an_easy_read_sentence() -> None:
    missing = [i.code for i in reference().adjustments.items if not i.easy_read]
    assert missing == []


def test_no_two_easy_read_sentences_are_the_same() -> None:
    items = reference().adjustments.items
    for key in (_normal, _content):
        counts = Counter(key(i.easy_read or "") for i in items)
        same = {k: [i.code for i in items if key(i.easy_read or "") == k]
                for k, n in counts.items() if n > 1}
        assert same == {}


def test_a_quiet_meeting_place_and_a_room_for_time_out_read_differently() -> None:
    """The two read as one ("a quiet place without background noise" and "a
    quiet room"): now only one of them says "quiet", and the time-out room
    says what it is for."""
    adjustments = reference().adjustments
    noise = adjustments.get("low_background_noise")
    time_out = adjustments.get("quiet_room")
    assert noise and time_out and noise.easy_read and time_out.easy_read
    assert "quiet" in noise.easy_read
    assert "quiet" not in time_out.easy_read
    assert "alone" in time_out.easy_read
    assert not (_content(noise.easy_read) & _content(time_out.easy_read))


@pytest.mark.parametrize("easy", [False, True])
def test_the_persons_own_view_groups_needs_by_what_helps(db, client, easy) -> None:
    user = make_user(db, Role.CONTRIBUTOR, name="Alex Example")
    make_contributor(db, full_name="Alex Example", user=user, prefers_easy_read=easy)
    log_in(client, user)
    summary = client.get("/my/adjustments").get_data(as_text=True)
    question = client.get("/my/adjustments/choose?group=autism_informed").get_data(as_text=True)
    for html in (summary, question):
        assert "Clear plans and no surprises" in html
        for diagnosis in ("Autism-informed", "Learning disability", "Trauma-informed"):
            assert diagnosis not in html
