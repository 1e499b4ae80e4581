"""Who may open the meetings pages, role by role (the matrix in
tests/test_permissions.py walks every route too; this names the intent)."""

from __future__ import annotations

import pytest

from crm.permissions import Role
from tests.factories import log_in, make_signed_up_contributor, make_user
from tests.meetings.helpers import make_meeting

COORDINATOR_PAGES = ["/meetings/sessions", "/meetings/sessions/{sid}",
                     "/meetings/sessions/{sid}/checklist/print",
                     "/meetings/sessions/{sid}/calendar.ics",
                     "/meetings/projects/{pid}/you-said-we-did",
                     "/meetings/projects/{pid}/you-said-we-did/print"]
OWN_PAGES = ["/meetings/my/sessions", "/meetings/my/calendar-feed",
             "/meetings/my/you-said-we-did", "/meetings/my/sessions/{sid}/calendar.ics"]


@pytest.mark.parametrize("role", list(Role))
def test_each_role(client, db, role: Role) -> None:
    m = make_meeting(db)
    user = m.coordinator if role == Role.COORDINATOR else (
        m.asha[0] if role == Role.CONTRIBUTOR else make_user(db, role))
    log_in(client, user)
    ids = {"sid": m.row.id, "pid": m.row.role.project_id}
    for path in COORDINATOR_PAGES:
        status = client.get(path.format(**ids)).status_code
        assert status == (200 if role == Role.COORDINATOR else 403), (role, path)
    for path in OWN_PAGES:
        status = client.get(path.format(**ids)).status_code
        assert status == (200 if role == Role.CONTRIBUTOR else 403), (role, path)
    # The feed is public, and says nothing without a real token.
    assert client.get("/meetings/feed/guess.ics").status_code == 404


def test_a_contributor_sees_only_their_own(client, db) -> None:
    m = make_meeting(db)
    other = make_signed_up_contributor(db, "Dee Stranger")
    log_in(client, other[0])
    assert client.get(f"/meetings/my/sessions/{m.row.id}/calendar.ics").status_code == 404
    assert "Project team member" not in client.get("/meetings/my/sessions").get_data(
        as_text=True)
