"""Every route declares its permission, and each role gets exactly what the
role map gives it."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Blueprint, Flask, url_for
from werkzeug.exceptions import MethodNotAllowed

from crm import create_app
from crm.db import utcnow
from crm.matching.models import MatchBatch
from crm.meetings.models import YouSaidWeDid
from crm.payments.ledger_models import Claim, PaymentExport
from crm.permissions import ROLE_PERMISSIONS, Permission, Role
from crm.web.decorators import PUBLIC, public, requires
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_import_batch, make_user, sign_in
from tests.project_factories import (
    make_offer,
    make_organisation,
    make_project,
    make_role,
    make_ward,
    role_session,
)

# Endpoints with no view function of ours.
FRAMEWORK_ENDPOINTS = {"static"}

# Public on purpose: listed here so adding a public route is a visible decision.
EXPECTED_PUBLIC = {
    "accounts.sign_in",
    "accounts.accept_invitation",
    "home.health",
    "home.accessibility",
    "home.privacy",
    # A personal calendar feed: calendar apps cannot sign in; the secret
    # token in the address is the key (tests/meetings/test_feed.py).
    "meetings.feed",
}


def undeclared_endpoints(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint not in FRAMEWORK_ENDPOINTS
        and not hasattr(app.view_functions[rule.endpoint], "required_permission")
    )


def declared(app: Flask) -> dict[str, str]:
    return {
        rule.endpoint: app.view_functions[rule.endpoint].required_permission
        for rule in app.url_map.iter_rules() if rule.endpoint not in FRAMEWORK_ENDPOINTS
    }


def test_every_route_declares_a_permission(app: Flask) -> None:
    assert undeclared_endpoints(app) == []


def test_public_routes_are_exactly_the_expected_ones(app: Flask) -> None:
    assert {e for e, p in declared(app).items() if p == PUBLIC} == EXPECTED_PUBLIC


def test_the_walk_catches_a_route_without_a_permission(database_url: str, tmp_path) -> None:
    """The check above must fail when someone adds an undeclared route."""
    app = create_app({"database_url": database_url, "instance_path": str(tmp_path),
                      "secret_key": "x"})
    extra = Blueprint("extra", __name__)

    @extra.route("/forgotten")
    def forgotten() -> str:
        return "no permission declared"

    @extra.route("/declared")
    @requires(Permission.HOME_VIEW)
    def declared_view() -> str:
        return "fine"

    @extra.route("/open")
    @public
    def open_view() -> str:
        return "fine"

    app.register_blueprint(extra)
    assert undeclared_endpoints(app) == ["extra.forgotten"]


# --- the matrix -----------------------------------------------------------

# Routes where a role with the permission may still be refused for a
# particular object; their object rules are tested beside them
# (tests/accounts/test_accounts.py: who may send a sign-in link to whom).
OBJECT_CHECKED = {"accounts.resend_invitation"}

# GET routes whose sample arguments name nothing that exists in the matrix.
# (admin.change_role: the sample user is a contributor, whose role never changes.)
GET_MAY_NOT_FIND = {"accounts.accept_invitation", "admin.change_role",
                    "payments.receipt",  # (no receipt file in the matrix)
                    # (the matrix's offer is not a yes to a paid role)
                    "payments.person_session_fee"}

# Values for URL arguments; a route with a new argument name must add one here.
SAMPLE_ARGS: dict[str, object] = {
    "user_id": 1,
    "contributor_id": 1,
    "token": "not-a-real-token",
    "format": "csv",
    "section": "details",
    "completion_id": 1,
    "invitation_id": 1,
    "group": "sensory",
    "batch_id": 1,
    "organisation_id": 1,
    "ward_id": 1,
    "project_id": 1,
    "role_id": 1,
    "session_id": 1,
    "offer_id": 1,
    "match_batch_id": 1,
    "question": "sex",
    "claim_id": 1,
    "receipt_id": 1,
    "export_id": 1,
    "year": 2026,
    "entry_id": 1,
    "message_id": 1,
}


def _url_and_method(app: Flask, endpoint: str, args: dict[str, object] | None = None
                    ) -> tuple[str, str]:
    values = {**SAMPLE_ARGS, **(args or {})}
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    missing = set(rule.arguments) - set(values)
    assert not missing, f"add sample values for {missing} ({endpoint}) to SAMPLE_ARGS"
    with app.test_request_context():
        path = url_for(endpoint, **{k: values[k] for k in rule.arguments})
    method = "GET" if "GET" in (rule.methods or ()) else "POST"
    return path, method


def project_objects(db, person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """One of each project and matching object, for the id-based routes."""
    ward = make_ward(db)
    role = make_role(db, make_project(db, wards=[ward]), sessions=[
        role_session(utcnow() + dt.timedelta(days=20), ward_id=ward.id)])
    offer = make_offer(db, role, person)
    batch = MatchBatch(role_ids=[role.id], max_roles_per_person=1, solver_status="optimal")
    db.add(batch)
    db.commit()
    claim = Claim(contributor_id=person.id, session_id=role.sessions[0].id, kind="fee",
                  is_earnings=True, state="exported", amount_pence=5000,
                  pay_on=dt.date(2026, 5, 1))
    export = PaymentExport(period_start=dt.date(2026, 5, 1), period_end=dt.date(2026, 5, 31))
    db.add_all([claim, export])
    db.commit()
    claim.export_id = export.id
    db.commit()
    entry = YouSaidWeDid(project_id=role.project_id, raised_on=dt.date(2026, 11, 1),
                         you_said="More evening activities")
    db.add(entry)
    db.commit()
    return {"organisation_id": make_organisation(db).id, "ward_id": ward.id, "entry_id": entry.id,
            "project_id": role.project_id, "role_id": role.id,
            "session_id": role.sessions[0].id, "offer_id": offer.id,
            "match_batch_id": batch.id, "claim_id": claim.id, "export_id": export.id}


def protected_endpoints(app: Flask) -> list[tuple[str, Permission]]:
    return sorted((e, p) for e, p in declared(app).items() if p != PUBLIC)


@pytest.mark.parametrize("role", list(Role))
def test_matrix_each_role_allowed_or_denied(app: Flask, client, db, role: Role) -> None:
    user = make_user(db, role)
    other = make_user(db, Role.CONTRIBUTOR, with_password=False)  # for id-based routes
    record = make_contributor(db)
    batch = make_import_batch(db, user, [record])
    objects = project_objects(db, record)
    assert sign_in(client, user).status_code == 302
    token = csrf_token(client, "/")
    for endpoint, permission in protected_endpoints(app):
        if endpoint == "accounts.sign_out":
            continue  # would end the session the matrix is using; see tests/web/test_security.py
        path, method = _url_and_method(app, endpoint, {"user_id": other.id,
                                                       "contributor_id": record.id,
                                                       "batch_id": batch.id, **objects})
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        allowed = permission in ROLE_PERMISSIONS[role]
        if allowed:
            if endpoint not in OBJECT_CHECKED:
                assert response.status_code != 403, f"{role} should reach {endpoint}"
            if method == "GET" and endpoint not in GET_MAY_NOT_FIND:
                # Really served: not a 404 or a 500 hiding behind "not 403".
                assert response.status_code < 400, f"{role} {endpoint}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must be refused {endpoint}"


def test_signed_out_people_are_sent_to_sign_in_for_every_protected_route(app: Flask,
                                                                          client) -> None:
    for endpoint, _permission in protected_endpoints(app):
        path, method = _url_and_method(app, endpoint)
        response = client.open(path, method=method)
        if method == "POST":
            # Refused before any state change: CSRF (400) or redirect to sign in.
            assert response.status_code in {302, 400}, endpoint
        else:
            assert response.status_code == 302, endpoint
            assert "/sign-in" in response.headers["Location"], endpoint



def test_no_post_only_route_answers_a_get(app: Flask, client, db) -> None:
    """No state change on GET: every route that changes something refuses GET."""
    user = make_user(db, Role.COORDINATOR)
    other = make_user(db, Role.CONTRIBUTOR, with_password=False)
    record = make_contributor(db)
    log_in(client, user)
    post_only = [rule.endpoint for rule in app.url_map.iter_rules()
                 if "POST" in (rule.methods or ()) and "GET" not in (rule.methods or ())]
    assert "accounts.sign_out" in post_only
    for endpoint in post_only:
        path, _method = _url_and_method(app, endpoint, {"user_id": other.id,
                                                       "contributor_id": record.id})
        try:  # Some URLs have a separate GET page (a confirmation); that is fine.
            get_endpoint, _ = app.url_map.bind("localhost").match(path, method="GET")
        except MethodNotAllowed:
            get_endpoint = None
        assert get_endpoint != endpoint
        if get_endpoint is None:
            assert client.get(path).status_code == 405, endpoint
