"""The coordinator's "you said, we did" log: add with errors beside the
fields (nothing half-saved), edit with a version check, printable."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.meetings.models import YouSaidWeDid
from tests.conftest import csrf_token
from tests.factories import log_in, make_user
from tests.project_factories import make_project


def test_add_edit_and_print(client, db) -> None:
    project = make_project(db, "Calmer evenings")
    log_in(client, make_user(db))
    url = f"/meetings/projects/{project.id}/you-said-we-did"
    token = csrf_token(client, url)
    form = {"csrf_token": token, "raised_on-day": "2", "raised_on-month": "11",
            "raised_on-year": "2026", "you_said": ""}
    bad = client.post(url, data=form)
    assert bad.status_code == 400 and "Enter what was said" in bad.get_data(as_text=True)
    future = client.post(url, data={**form, "you_said": "Long evenings",
                                    "raised_on-year": str(dt.date.today().year + 1)})
    assert future.status_code == 400
    assert db.scalars(select(YouSaidWeDid)).all() == []
    ok = client.post(url, data={**form, "you_said": "Long evenings", "we_did": "Film night",
                                "done_on-day": "20", "done_on-month": "11",
                                "done_on-year": "2026"})
    assert ok.status_code == 302
    row = db.scalars(select(YouSaidWeDid)).one()
    assert (row.you_said, row.we_did, row.done_on) == ("Long evenings", "Film night",
                                                        dt.date(2026, 11, 20))
    edit = f"/meetings/you-said-we-did/{row.id}"
    changed = client.post(edit, data={**form, "version": "1", "you_said": "Long, dull evenings"})
    assert changed.status_code == 302
    stale = client.post(edit, data={**form, "version": "1", "you_said": "Other words"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.get_data(as_text=True)
    db.expire_all()
    assert db.get(YouSaidWeDid, row.id).you_said == "Long, dull evenings"
    printed = client.get(f"{url}/print").get_data(as_text=True)
    assert "Long, dull evenings" in printed and "css/print.css" in printed
