"""The report viewer's home page leads to the reports that exist (it said
"There are no reports yet" while /reports/ had three)."""

from __future__ import annotations

from crm.permissions import Role
from tests.factories import log_in, make_user


def test_report_viewer_home_links_every_report(client, db) -> None:
    log_in(client, make_user(db, Role.REPORT_VIEWER))
    html = client.get("/").get_data(as_text=True)
    assert "no reports yet" not in html
    for path in ("/reports/representation", "/reports/pcref", "/reports/missing",
                 "/reports/populations"):
        assert f'href="{path}"' in html, path
        assert client.get(path).status_code == 200, path
