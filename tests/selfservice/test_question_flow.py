"""Going through a section's questions: the "Saved" banner means the section
(or the one answer changed from the summary) is done, never "page 4 of 6";
and the caption says how far along the person is, or that they are changing
one answer."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.reference import reference
from tests.factories import make_signed_up_contributor, sign_in

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')
BANNER = "nhsuk-notification-banner--success"


@pytest.fixture
def me(db: Session) -> tuple[User, Contributor]:
    return make_signed_up_contributor(db, "Alex Example")


@pytest.fixture
def signed_in(client: FlaskClient, me: tuple[User, Contributor]) -> FlaskClient:
    assert sign_in(client, me[0]).status_code == 302
    return client


def save(client: FlaskClient, path: str, data: dict[str, object]) -> str:
    """Open the question, post the answer with its token and version, follow
    the redirect, and return the page the person lands on."""
    html = client.get(path).get_data(as_text=True)
    token, version = CSRF_RE.search(html), VERSION_RE.search(html)
    assert token and version, path
    data = {"csrf_token": token.group(1), "version": version.group(1), **data}
    response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    landed = client.get(response.headers["Location"])
    assert landed.status_code == 200
    return landed.get_data(as_text=True)


def test_no_saved_banner_part_way_through_a_section(signed_in) -> None:
    page = save(signed_in, "/my/communication/ways", {"channel_order": ["email"]})
    assert BANNER not in page
    assert "question 2 of 6" in page
    page = save(signed_in, "/my/communication/times", {"best_times": "Evenings"})
    assert BANNER not in page
    assert "question 3 of 6" in page


def test_the_banner_shows_when_the_last_question_is_saved(signed_in) -> None:
    page = save(signed_in, "/my/communication/camera", {"camera_optional": "yes"})
    assert BANNER in page
    assert "You have finished \u201cHow to contact me\u201d" in page


def test_the_banner_shows_when_one_answer_is_changed_from_the_summary(signed_in) -> None:
    page = save(signed_in, "/my/communication/times?then=summary",
                {"best_times": "Evenings", "then": "summary"})
    assert BANNER in page
    assert "Your answer has been saved." in page


def test_changing_one_adjustments_group_does_not_read_as_part_of_the_walk(signed_in) -> None:
    groups = reference().adjustments.groups
    total = len(groups) + 1
    walking = signed_in.get(f"/my/adjustments/choose?group={groups[2].code}")
    assert f"question 3 of {total}" in walking.get_data(as_text=True)
    one = signed_in.get(f"/my/adjustments/choose?group={groups[2].code}&then=summary")
    html = one.get_data(as_text=True)
    assert "changing one answer" in html
    assert f"of {total}" not in html
    # Saving it goes back to the summary with the banner, not to the next group.
    page = save(signed_in, f"/my/adjustments/choose?group={groups[2].code}&then=summary",
                {"then": "summary"})
    assert BANNER in page
    assert "My adjustments</h1>" in page


def test_easy_read_banner_at_the_end_of_a_section(db, signed_in, me) -> None:
    me[1].prefers_easy_read = True
    db.commit()
    page = save(signed_in, "/my/communication/papers", {"papers_days_before": "7"})
    assert BANNER not in page
    assert "page 6 of 6" in page
    page = save(signed_in, "/my/communication/camera", {"camera_optional": "no"})
    assert "Saved. You have answered all the questions." in page


def test_date_of_birth_uses_the_shared_date_field_and_its_messages(signed_in) -> None:
    """The one date field (crm.web.fields.DateInputField): the same messages
    as staff pages, only the missing box marked, what was typed kept."""
    html = signed_in.get("/my/details/date-of-birth").get_data(as_text=True)
    token, version = CSRF_RE.search(html), VERSION_RE.search(html)
    assert token and version
    response = signed_in.post("/my/details/date-of-birth", data={
        "csrf_token": token.group(1), "version": version.group(1),
        "date_of_birth-day": "15", "date_of_birth-month": "", "date_of_birth-year": "1984"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert body.count("Date of birth must include a month") >= 2
    assert 'href="#date_of_birth-month"' in body
    assert 'value="15"' in body and 'value="1984"' in body
    assert body.count("nhsuk-input--error") == 1
