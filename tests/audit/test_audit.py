"""The audit trail: sign-ins, refusals and changes are recorded, and no
password ever reaches the audit trail, the database or the logs."""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.audit.services import REDACTED, diff, record
from crm.db import Base
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import PASSWORD, invitation_token, log_in, make_user, sign_in
from tests.pages import table_rows


def fresh(db: Session) -> Session:
    db.commit()
    db.expire_all()
    return db


def events(db: Session, action: str | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(fresh(db).scalars(stmt))


def test_sign_in_is_audited(client, db) -> None:
    user = make_user(db, Role.FINANCE)
    sign_in(client, user)
    [event] = events(db, "sign_in")
    assert event.actor_id == user.id
    assert event.actor_role == "finance"
    assert (event.entity_type, event.entity_id) == ("user", user.id)
    assert event.endpoint == "accounts.sign_in"
    assert event.ip_address == "127.0.0.1"
    assert event.occurred_at is not None


def test_failed_sign_in_is_audited_and_kept_despite_the_error(client, db) -> None:
    user = make_user(db)
    token = csrf_token(client)
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong-one-1234",
                                             "csrf_token": token},
                           environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert response.status_code == 400
    response = client.post("/sign-in", data={"email": "nobody@example.org",
                                             "password": "wrong-one-1234",
                                             "csrf_token": token})
    assert response.status_code == 400
    known, unknown = events(db, "sign_in_failed")
    assert (known.entity_type, known.entity_id) == ("user", user.id)
    assert known.actor_id is None  # nobody is signed in
    assert known.ip_address == "203.0.113.5"
    assert unknown.entity_id is None
    assert events(db, "sign_in") == []


def test_permission_denied_is_audited_with_the_actor(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    log_in(client, coordinator)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)
    [event] = events(db, "permission_denied")
    assert event.actor_id == coordinator.id
    assert event.actor_role == "coordinator"
    assert event.endpoint == "admin.users"
    assert event.summary == "needs users:view"


def test_sign_out_is_audited(client, db) -> None:
    user = make_user(db)
    sign_in(client, user)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    [event] = events(db, "sign_out")
    assert event.actor_id == user.id


def test_deactivating_a_user_records_old_and_new_values(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    user = make_user(db, Role.CONTRIBUTOR)
    log_in(client, admin)
    client.post(f"/admin/users/{user.id}/active", data={
        "csrf_token": csrf_token(client, "/admin/users"), "active": "false"})
    [event] = events(db, "update")
    assert event.actor_id == admin.id
    assert (event.entity_type, event.entity_id) == ("user", user.id)
    assert event.changes == {"is_active": {"old": True, "new": False}}
    # Reactivating is recorded the other way round.
    client.post(f"/admin/users/{user.id}/active", data={
        "csrf_token": csrf_token(client, "/admin/users"), "active": "true"})
    assert [e.changes for e in events(db, "update")][-1] == {
        "is_active": {"old": False, "new": True}}


def test_audit_log_page_lists_events_for_administrators(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR, name="Ada Admin")
    sign_in(client, admin)
    html = client.get("/admin/audit?action=sign_in").get_data(as_text=True)
    assert "Ada Admin (Administrator) signed in to their own account" in html


def test_the_audit_log_reads_in_words_and_never_names_a_contributor(client, db) -> None:
    from crm.contributors.models import Contributor
    from crm.contributors.services import record_view

    admin = make_user(db, Role.ADMINISTRATOR, name="Ada Admin")
    coordinator = make_user(db, Role.COORDINATOR, name="Cal Demo")
    finance = make_user(db, Role.FINANCE, name="Sam Lee")
    account = make_user(db, Role.CONTRIBUTOR, name="Ruth Okafor")
    ruth = Contributor(full_name="Ruth Okafor", email="ruth@example.org", search_text="ruth",
                       user=account)
    db.add(ruth)
    db.commit()
    record_view(db, coordinator, ruth, "record")
    record(db, Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=ruth.id,
           actor=account, summary="their own record")
    record(db, Action.UPDATE, entity_type=EntityType.USER, entity_id=finance.id, actor=admin,
           changes={"is_active": {"old": True, "new": False}})
    record(db, Action.INVITATION_SENT, entity_type=EntityType.USER, entity_id=account.id,
           actor=coordinator)
    db.commit()
    log_in(client, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f"Cal Demo (Involvement coordinator) looked at contributor record {ruth.id}" in page
    assert f"A contributor looked at contributor record {ruth.id}" in page
    assert "Ada Admin (Administrator) changed the account of Sam Lee (Finance)" in page
    assert "Cal Demo (Involvement coordinator) sent a sign-in link to a contributor&#39;s" in page
    assert "Ruth" not in page and "ruth@" not in page

    # Filters: staff member, action, record and dates; they combine.
    def sentences(query: str) -> str:
        html = client.get(f"/admin/audit?{query}").get_data(as_text=True)
        return "\n".join(" ".join(row) for row in table_rows(html))

    by_cal = sentences(f"staff={coordinator.id}")
    assert "looked at contributor record" in by_cal and "Sam Lee (Finance)" not in by_cal
    assert "Sam Lee" in sentences("action=update") and "looked at" not in sentences(
        "action=update")
    on_record = sentences(f"record={ruth.id}")
    assert on_record.count(f"looked at contributor record {ruth.id}") == 2
    assert "sent a sign-in link" not in on_record
    today = dt.date.today()
    assert "looked at" in sentences(f"from={today}&to={today}")
    assert "No events match these filters." in sentences(
        f"to={today - dt.timedelta(days=2)}")
    # Nonsense in a filter is ignored, not an error.
    assert client.get("/admin/audit?staff=x&action=nope&record=-1&from=31/02").status_code \
        == 200


def test_diff_records_changed_fields_and_redacts_secrets() -> None:
    changes = diff({"name": "A", "notes": "old secret", "same": 1},
                   {"name": "B", "notes": "new secret", "same": 1}, redact=["notes"])
    assert changes == {"name": {"old": "A", "new": "B"},
                       "notes": {"old": REDACTED, "new": REDACTED}}
    assert "secret" not in repr(changes)


def test_no_password_reaches_the_audit_trail_the_database_or_the_logs(app, client, db,
                                                                      caplog) -> None:
    caplog.set_level(logging.DEBUG)
    # SQL statements and their parameters too: nothing sends a password to the database.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    wrong = "Wrong-Horse-Guess-1"
    new = "violet harbour kestrel"
    chosen = "amber meadow lantern"
    admin = make_user(db, Role.ADMINISTRATOR)

    # A failed and a good sign-in, a password change and an invitation accepted.
    assert sign_in(client, admin, wrong).status_code == 400
    assert sign_in(client, admin).status_code == 302
    response = client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": PASSWORD,
        "new_password": new, "confirm_password": new})
    assert response.status_code == 302
    client.post("/invitations/new", data={
        "csrf_token": csrf_token(client, "/invitations/new"), "display_name": "Nia Evans",
        "email": "nia@example.org", "role": "finance"})
    link = f"/invitation/{invitation_token(db, 'nia@example.org')}"
    newcomer = app.test_client()
    page = newcomer.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert newcomer.post(link, data={"csrf_token": token, "new_password": chosen,
                                     "confirm_password": chosen}).status_code == 302

    passwords = [PASSWORD, wrong, new, chosen]
    audit = events(db)
    assert {"sign_in_failed", "sign_in", "password_changed", "invitation_accepted"} <= {
        e.action for e in audit}
    for event in audit:
        text = f"{event.changes!r} {event.summary!r}"
        for password in passwords:
            assert password not in text, event.action
    for table in Base.metadata.sorted_tables:
        rows = repr(db.execute(table.select()).all())
        for password in passwords:
            assert password not in rows, table.name
    assert fresh(db).get(User, admin.id).password_hash.startswith("$argon2id$")

    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    logged = caplog.text + " ".join(repr(r.args) for r in caplog.records)
    for password in passwords:
        assert password not in logged


def test_an_unhandled_error_logs_no_request_data(app, client, db, caplog, monkeypatch) -> None:
    """The error log names the error but not the form that was sent."""
    user = make_user(db)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr("crm.accounts.services.sign_in", broken)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": csrf_token(client)})
    assert response.status_code == 500
    assert "RuntimeError" in caplog.text
    assert PASSWORD not in caplog.text
    assert all(PASSWORD not in repr(r.args) for r in caplog.records)
