"""The permission matrix for this feature's pages alone (the full matrix in
tests/test_permissions.py walks every route; this one runs the same checks
on the projects pages and attendance so a failure elsewhere cannot hide
ours)."""

from __future__ import annotations

import pytest
from flask import Flask

from crm.permissions import ROLE_PERMISSIONS, Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_user
from tests.test_permissions import _url_and_method, project_objects, protected_endpoints

OURS = ("projects.", "matching.attendance")


@pytest.mark.parametrize("role", list(Role))
def test_our_pages_render_for_coordinators_and_refuse_everyone_else(app: Flask, client, db,
                                                                    role: Role) -> None:
    user = make_user(db, role)
    record = make_contributor(db)
    objects = project_objects(db, record)
    log_in(client, user)
    token = csrf_token(client, "/")
    endpoints = [(e, p) for e, p in protected_endpoints(app) if e.startswith(OURS)]
    assert len(endpoints) >= 15
    for endpoint, permission in endpoints:
        path, method = _url_and_method(app, endpoint, {"contributor_id": record.id, **objects})
        response = client.open(path, method=method,
                               data={"csrf_token": token} if method == "POST" else None)
        if permission in ROLE_PERMISSIONS[role]:
            assert response.status_code != 403, f"{role} should reach {endpoint}"
            if method == "GET":
                assert response.status_code < 400, f"{role} {endpoint}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must be refused {endpoint}"
