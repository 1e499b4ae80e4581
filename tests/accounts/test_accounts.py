"""Accounts: server-side sessions, password hashing and policy, invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm.accounts.models import Invitation, User, UserSession
from crm.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from crm.accounts.sessions import _hash as session_token_hash
from crm.audit.models import AuditEvent
from crm.db import Base, utcnow
from crm.mail.models import OutboxMessage
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import PASSWORD, invitation_token, log_in, make_contributor, make_user, sign_in

NEW_PASSWORD = "lantern orchid gravel tide"


def fresh(db: Session) -> Session:
    """End the test session's transaction so it sees what the app committed."""
    db.commit()
    db.expire_all()
    return db


def sessions_of(db: Session, user: User) -> list[UserSession]:
    return list(fresh(db).scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)))


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert "/sign-in" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def copy_session_cookie(source: FlaskClient, target: FlaskClient) -> None:
    target.set_cookie("crm_session", source.get_cookie("crm_session").value)


def error_next_to(html: str, field: str, message: str) -> bool:
    """The NHS.UK inline error for ``field`` carries ``message``."""
    pattern = (rf'id="{field}-error"[^>]*>\s*<span class="nhsuk-u-visually-hidden">'
               rf"Error: </span>{re.escape(message)}")
    return re.search(pattern, html) is not None


# --- sessions -----------------------------------------------------------------

def test_sign_in_rotates_the_session(client, db) -> None:
    user = make_user(db)
    csrf_token(client, "/sign-in")
    with client.session_transaction() as cookie:
        cookie["planted"] = "set before sign-in"
        before_csrf = cookie["csrf_token"]
        cookie["_user_id"] = "a-token-an-attacker-fixed"
    assert sign_in(client, user).status_code == 302
    with client.session_transaction() as cookie:
        assert "planted" not in cookie
        assert cookie.get("csrf_token") != before_csrf
        token = cookie["_user_id"]
    assert token != "a-token-an-attacker-fixed"
    assert token != str(user.id)
    rows = sessions_of(db, user)
    assert len(rows) == 1
    assert rows[0].token_hash == session_token_hash(token)  # only the hash is stored
    assert rows[0].ended_at is None
    assert signed_in(client)


def test_each_sign_in_gets_its_own_session(app, client, db) -> None:
    user = make_user(db)
    other = app.test_client()
    log_in(client, user)
    log_in(other, user)
    rows = sessions_of(db, user)
    assert len(rows) == 2
    assert rows[0].token_hash != rows[1].token_hash


def test_sign_out_ends_the_session_on_the_server(app, client, db) -> None:
    user = make_user(db)
    log_in(client, user)
    replay = app.test_client()
    copy_session_cookie(client, replay)
    assert signed_in(replay)  # the copied cookie works while the session is open
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(replay)
    assert not signed_in(client)
    [row] = sessions_of(db, user)
    assert row.ended_at is not None
    assert row.end_reason == "signed_out"


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, db) -> None:
    user = make_user(db)
    elsewhere = app.test_client()
    log_in(client, user)
    log_in(elsewhere, user)
    old_hash = user.password_hash
    response = client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"),
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(elsewhere)
    mine, theirs = sessions_of(db, user)
    assert mine.ended_at is None
    assert (theirs.end_reason, theirs.ended_at is not None) == ("password_changed", True)
    stored = fresh(db).get(User, user.id)
    assert stored.password_hash != old_hash
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    assert stored.password_changed_at is not None


def test_idle_session_times_out(client, db, settings) -> None:
    user = make_user(db)
    log_in(client, user)
    db.execute(update(UserSession).values(
        last_seen_at=utcnow() - dt.timedelta(minutes=settings.session_idle_minutes + 1)))
    db.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    [row] = sessions_of(db, user)
    assert row.ended_at is not None
    assert row.end_reason == "timed_out"


def test_activity_keeps_a_session_alive(client, db, settings) -> None:
    user = make_user(db)
    log_in(client, user)
    nearly = utcnow() - dt.timedelta(minutes=settings.session_idle_minutes - 1)
    db.execute(update(UserSession).values(last_seen_at=nearly))
    db.commit()
    assert signed_in(client)
    [row] = sessions_of(db, user)
    assert row.ended_at is None
    assert row.last_seen_at > nearly + dt.timedelta(minutes=settings.session_idle_minutes - 2)


def test_last_seen_is_not_written_on_every_request(client, db, count_queries) -> None:
    log_in(client, make_user(db))
    assert signed_in(client)
    count_queries.statements.clear()
    assert signed_in(client)
    assert not [s for s in count_queries.statements if s.lstrip().upper().startswith("UPDATE")]


def test_session_ends_after_the_absolute_limit_even_when_active(client, db, settings) -> None:
    user = make_user(db)
    log_in(client, user)
    db.execute(update(UserSession).values(
        created_at=utcnow() - dt.timedelta(hours=settings.session_absolute_hours, minutes=1),
        last_seen_at=utcnow()))
    db.commit()
    assert not signed_in(client)
    [row] = sessions_of(db, user)
    assert row.end_reason == "timed_out"


def test_deactivating_a_user_ends_their_sessions(app, client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    user = make_user(db, Role.CONTRIBUTOR)
    theirs = app.test_client()
    log_in(theirs, user)
    assert signed_in(theirs)
    log_in(client, admin)
    response = client.post(f"/admin/users/{user.id}/active", data={
        "csrf_token": csrf_token(client, "/admin/users"), "active": "false"})
    assert response.status_code == 302
    assert not signed_in(theirs)
    [row] = sessions_of(db, user)
    assert (row.end_reason, row.ended_at is not None) == ("deactivated", True)
    assert fresh(db).get(User, user.id).is_active is False
    # And they cannot sign in again, even with the right password.
    again = app.test_client()
    assert sign_in(again, user).status_code == 400
    assert not signed_in(again)
    assert len(sessions_of(db, user)) == 1


def test_an_administrator_cannot_deactivate_themselves(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(client, admin)
    client.post(f"/admin/users/{admin.id}/active", data={
        "csrf_token": csrf_token(client, "/admin/users"), "active": "false"})
    assert fresh(db).get(User, admin.id).is_active is True
    assert signed_in(client)


# --- argon2id -----------------------------------------------------------------

def argon2_parameters(stored: str) -> dict[str, int]:
    match = re.fullmatch(r"\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", stored)
    assert match, f"not an argon2id hash: {stored[:20]}..."
    v, m, t, p = (int(x) for x in match.groups())
    return {"v": v, "m": m, "t": t, "p": p}


def test_passwords_are_hashed_with_argon2id_at_or_above_owasp_minimums() -> None:
    stored = hash_password(NEW_PASSWORD)
    params = argon2_parameters(stored)
    assert params["v"] == 19
    assert params["m"] >= 19456  # KiB
    assert params["t"] >= 2
    assert params["p"] >= 1
    assert NEW_PASSWORD not in stored
    assert verify_password(stored, NEW_PASSWORD)
    assert not verify_password(stored, NEW_PASSWORD + "x")
    assert not verify_password(None, NEW_PASSWORD)
    assert not verify_password("not-a-hash", NEW_PASSWORD)
    assert not needs_rehash(stored)
    assert hash_password(NEW_PASSWORD) != stored  # a new random salt each time


def test_a_weaker_old_hash_is_upgraded_at_sign_in(make_app, db) -> None:
    # An app with production hashing (the suite's apps use the cheapest).
    client = make_app(cheapest_password_hashing=False).test_client()
    user = make_user(db)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    assert needs_rehash(weak)
    user.password_hash = weak
    db.commit()
    assert sign_in(client, user).status_code == 302
    upgraded = fresh(db).get(User, user.id).password_hash
    assert upgraded != weak
    assert argon2_parameters(upgraded)["m"] >= 19456
    assert verify_password(upgraded, PASSWORD)


def test_only_a_test_app_may_use_the_cheapest_hashing(make_app, tmp_path, app) -> None:
    """The suite hashes cheaply; production always uses the parameters above."""
    with make_app(cheapest_password_hashing=False).app_context():
        assert argon2_parameters(hash_password(NEW_PASSWORD))["m"] >= 19456
    with app.app_context():
        assert argon2_parameters(hash_password(NEW_PASSWORD))["m"] < 19456
    with pytest.raises(RuntimeError, match="test suite only"):
        make_app(testing=False, cheapest_password_hashing=True)


# --- password policy ------------------------------------------------------------

def problem(settings, password: str, words: tuple[str, ...] = ()) -> str | None:  # type: ignore[no-untyped-def]
    return password_problem(password, settings.password_min_length,
                            settings.password_max_length, words)


def test_policy_minimum_is_twelve_characters(settings) -> None:
    assert settings.password_min_length == 12
    assert "at least 12 characters" in problem(settings, "gravel tide")  # 11
    assert problem(settings, "gravel tides") is None  # 12


@pytest.mark.parametrize("common", ["qwerty123456", "password1234", "QWERTY123456",
                                    "1qaz2wsx3edc"])
def test_policy_rejects_common_passwords(settings, common: str) -> None:
    assert len(common) >= 12
    assert "too easy to guess" in problem(settings, common)


def test_policy_accepts_64_characters_and_no_composition_rules(settings) -> None:
    sixty_four = "the quick brown fox jumps over the lazy dog near a calm riverbed"
    assert len(sixty_four) == 64
    assert problem(settings, sixty_four) is None
    assert problem(settings, "correcthorsebatterystaple") is None  # all lower case
    assert problem(settings, "émile zola über straße ✓") is None  # any characters
    assert problem(settings, "x" * 5 + "y" * 5 + "z" * 5) is not None  # too repetitive


def test_policy_maximum_length(settings) -> None:
    assert settings.password_max_length >= 64
    longest = ("abcd-" * 100)[: settings.password_max_length]
    assert problem(settings, longest) is None
    assert "or fewer" in problem(settings, longest + "e")


def test_policy_rejects_a_password_containing_your_name(settings) -> None:
    assert "your name" in problem(settings, "rhiannon-gravel-tide", ("Rhiannon", "Jones"))


def change_password(client: FlaskClient, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": current,
        "new_password": new, "confirm_password": new if confirm is None else confirm})


def test_wrong_current_passwords_are_limited_like_sign_in(client, db, settings) -> None:
    """Someone at an unlocked screen cannot keep guessing the password."""
    user = make_user(db)
    log_in(client, user)
    for _ in range(settings.max_failures_per_account):
        assert change_password(client, "not-my-password-at-all", NEW_PASSWORD).status_code == 400
    response = change_password(client, PASSWORD, NEW_PASSWORD)  # even the right one now
    assert response.status_code == 429
    assert "stopped password changes for now" in response.get_data(as_text=True)
    assert fresh(db).get(User, user.id).password_hash == user.password_hash
    actions = [e.action for e in fresh(db).scalars(select(AuditEvent))]
    assert actions.count("password_change_failed") == settings.max_failures_per_account
    assert actions.count("password_change_throttled") == 1


def test_change_password_needs_the_right_current_password(client, db) -> None:
    user = make_user(db)
    log_in(client, user)
    response = change_password(client, "not-my-password-at-all", NEW_PASSWORD)
    assert response.status_code == 400
    assert error_next_to(response.get_data(as_text=True), "current_password",
                         "Your current password is not right")
    assert fresh(db).get(User, user.id).password_hash == user.password_hash


@pytest.mark.parametrize(("new", "confirm", "message"), [
    ("short pass", None, "must be at least 12 characters"),
    ("qwerty123456", None, "too easy to guess"),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords do not match"),
])
def test_change_password_shows_policy_errors_next_to_the_field(client, db, new, confirm,
                                                               message) -> None:
    user = make_user(db)
    log_in(client, user)
    response = change_password(client, PASSWORD, new, confirm)
    assert response.status_code == 400
    field = "confirm_password" if confirm else "new_password"
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"[^>]*>\s*<span[^>]*>Error: </span>[^<]*{message}',
                     html), message
    assert fresh(db).get(User, user.id).password_hash == user.password_hash


def test_change_password_accepts_a_long_lower_case_passphrase(client, db) -> None:
    user = make_user(db)
    log_in(client, user)
    passphrase = "the quick brown fox jumps over the lazy dog near a calm riverbed"
    assert change_password(client, PASSWORD, passphrase).status_code == 302
    assert verify_password(fresh(db).get(User, user.id).password_hash, passphrase)


# --- invitations ----------------------------------------------------------------

def invite(client: FlaskClient, email: str, role: Role | str, name: str = "Nia Evans"):  # type: ignore[no-untyped-def]
    return client.post("/invitations/new", data={
        "csrf_token": csrf_token(client, "/invitations/new"), "display_name": name,
        "email": email, "role": str(role)})


def link_token(db: Session, email: str) -> str:
    """The token of the newest link sent to ``email``; never in the outbox."""
    token = invitation_token(db, email)
    for message in fresh(db).scalars(select(OutboxMessage)):
        assert token not in message.body
        assert "/invitation/" not in message.body
    return token


STAFF_ROLES = [r for r in Role if r is not Role.CONTRIBUTOR]


def test_admin_can_invite_every_staff_role(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(client, admin)
    for role in STAFF_ROLES:
        response = invite(client, f"new-{role}@example.org", role)
        assert response.status_code == 302, role
        assert response.headers["Location"] == "/invitations"
    invited = fresh(db).scalars(select(User).where(User.id != admin.id)).all()
    assert sorted(u.role for u in invited) == sorted(r.value for r in STAFF_ROLES)
    assert all(u.password_hash is None and u.is_active for u in invited)
    invitations = db.scalars(select(Invitation)).all()
    assert len(invitations) == len(STAFF_ROLES)
    assert {i.invited_by_id for i in invitations} == {admin.id}


def test_contributors_are_not_invited_from_the_staff_form(client, db) -> None:
    """A contributor's account must be linked to their record, so they are
    invited from the record (tests/contributors/test_record.py)."""
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(client, admin)
    assert 'value="contributor"' not in client.get("/invitations/new").get_data(as_text=True)
    assert invite(client, "unlinked@example.org", Role.CONTRIBUTOR).status_code == 400
    assert fresh(db).scalars(select(User.email)).all() == [admin.email]


def test_coordinator_cannot_use_the_staff_invitation_form(client, db) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    log_in(client, coordinator)
    assert client.get("/invitations/new").status_code == 403
    for role in Role:
        assert invite(client, f"sneaky-{role}@example.org", role).status_code == 403, role
    assert fresh(db).scalars(select(User.email)).all() == [coordinator.email]


def test_inviting_an_existing_address_is_refused(client, db) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    existing = make_user(db, Role.CONTRIBUTOR)
    log_in(client, admin)
    response = invite(client, existing.email.upper(), Role.FINANCE)
    assert response.status_code == 400
    assert "already has an account" in response.get_data(as_text=True)
    assert len(fresh(db).scalars(select(User)).all()) == 2


def test_invitation_email_goes_to_the_outbox_when_no_smtp_host(client, db, settings) -> None:
    assert settings.mail_host == ""
    log_in(client, make_user(db, Role.ADMINISTRATOR))
    invite(client, "Nia.Evans@Example.org", Role.FINANCE)
    [message] = fresh(db).scalars(select(OutboxMessage)).all()
    assert message.to_address == "nia.evans@example.org"
    assert message.sent_at is None
    assert "invited" in message.subject
    assert link_token(db, "nia.evans@example.org")
    assert "nia.evans@example.org" in client.get("/admin/outbox").get_data(as_text=True)


def test_invitation_token_is_stored_only_as_a_hash(client, db) -> None:
    log_in(client, make_user(db, Role.ADMINISTRATOR))
    invite(client, "nia@example.org", Role.FINANCE)
    token = link_token(db, "nia@example.org")
    [invitation] = db.scalars(select(Invitation)).all()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert db.scalars(select(AuditEvent)).all()  # the invitation was audited...
    # ...and no table but the outbox (which holds the email itself) has the token.
    for table in Base.metadata.sorted_tables:
        if table.name != "outbox_message":
            assert token not in repr(db.execute(table.select()).all()), table.name


def accept(client: FlaskClient, token: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get(f"/invitation/{token}")
    if page.status_code != 200:
        return page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    return client.post(f"/invitation/{token}", data={
        "csrf_token": csrf.group(1) if csrf else "", "new_password": password,
        "confirm_password": password})


def _invited(app, db) -> tuple[User, str]:  # type: ignore[no-untyped-def]
    admin_client = app.test_client()
    log_in(admin_client, make_user(db, Role.ADMINISTRATOR))
    assert invite(admin_client, "nia@example.org", Role.FINANCE).status_code == 302
    user = fresh(db).scalars(select(User).where(User.email == "nia@example.org")).one()
    return user, link_token(db, "nia@example.org")


def test_accepting_an_invitation_sets_the_password_and_signs_in(app, client, db) -> None:
    user, token = _invited(app, db)
    assert not signed_in(client)
    response = accept(client, token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)
    stored = fresh(db).get(User, user.id)
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    assert len(sessions_of(db, user)) == 1
    assert db.scalars(select(Invitation.accepted_at)).one() is not None


def test_invitation_password_must_meet_the_policy(app, client, db) -> None:
    user, token = _invited(app, db)
    response = accept(client, token, "qwerty123456")
    assert response.status_code == 400
    assert error_next_to(response.get_data(as_text=True), "new_password",
                         "This password is too easy to guess. Try a few unrelated words together")
    assert fresh(db).get(User, user.id).password_hash is None
    assert accept(app.test_client(), token).status_code == 302  # still usable


def test_an_invitation_link_works_only_once(app, client, db) -> None:
    user, token = _invited(app, db)
    assert accept(client, token).status_code == 302
    hash_after_first_use = fresh(db).get(User, user.id).password_hash
    again = app.test_client()
    response = again.get(f"/invitation/{token}")
    assert response.status_code == 404
    assert "This link has expired or has already been used" in response.get_data(as_text=True)
    response = again.post(f"/invitation/{token}", data={
        "csrf_token": csrf_token(again, "/sign-in"), "new_password": "another pass phrase",
        "confirm_password": "another pass phrase"})
    assert response.status_code == 404
    assert fresh(db).get(User, user.id).password_hash == hash_after_first_use
    assert not signed_in(again)


def test_an_invitation_link_expires(app, client, db) -> None:
    user, token = _invited(app, db)
    db.execute(update(Invitation).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    db.commit()
    response = accept(client, token)
    assert response.status_code == 404
    assert "This link has expired or has already been used" in response.get_data(as_text=True)
    assert fresh(db).get(User, user.id).password_hash is None


def test_invitation_lasts_the_configured_days(app, db, settings) -> None:
    _invited(app, db)
    expires = fresh(db).scalars(select(Invitation.expires_at)).one()
    expected = utcnow() + dt.timedelta(days=settings.invitation_valid_days)
    assert abs(expires - expected) < dt.timedelta(minutes=1)


def test_resending_an_invitation_revokes_the_old_link(app, client, db) -> None:
    user, old_token = _invited(app, db)
    admin_client = app.test_client()
    log_in(admin_client, make_user(db, Role.ADMINISTRATOR))
    response = admin_client.post(f"/invitations/{user.id}/resend", data={
        "csrf_token": csrf_token(admin_client, "/invitations")})
    assert response.status_code == 302
    new_token = link_token(db, user.email)
    assert new_token != old_token
    old, new = fresh(db).scalars(select(Invitation).order_by(Invitation.id)).all()
    assert old.revoked_at is not None
    assert new.revoked_at is None
    assert len(db.scalars(select(OutboxMessage)).all()) == 2
    assert client.get(f"/invitation/{old_token}").status_code == 404
    assert accept(client, new_token).status_code == 302


def test_coordinator_cannot_resend_a_staff_invitation(client, db) -> None:
    staff = make_user(db, Role.FINANCE, with_password=False)
    log_in(client, make_user(db, Role.COORDINATOR))
    response = client.post(f"/invitations/{staff.id}/resend", data={
        "csrf_token": csrf_token(client, "/invitations")})
    assert response.status_code == 403
    assert fresh(db).scalars(select(Invitation)).all() == []


def test_a_new_sign_in_link_lets_someone_back_in_and_ends_old_sessions(app, client,
                                                                     db) -> None:
    """A forgotten password: an administrator sends a new link."""
    user = make_user(db, Role.FINANCE)
    old_hash = user.password_hash
    old_device = app.test_client()
    log_in(old_device, user)
    admin_client = app.test_client()
    log_in(admin_client, make_user(db, Role.ADMINISTRATOR))
    response = admin_client.post(f"/invitations/{user.id}/resend", data={
        "csrf_token": csrf_token(admin_client, "/admin/users"), "back": "users"})
    assert response.headers["Location"] == "/admin/users"
    message = fresh(db).scalars(select(OutboxMessage)).one()
    assert message.subject.startswith("Choose a new password")
    assert accept(client, link_token(db, user.email)).status_code == 302
    assert fresh(db).get(User, user.id).password_hash != old_hash
    # The old device's session has ended; the new one works.
    assert old_device.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_administrators_cannot_send_links_to_contributor_accounts(app, db) -> None:
    """They read the outbox, so such a link would let them into a record."""
    contributor = make_user(db, Role.CONTRIBUTOR)
    admin_client = app.test_client()
    log_in(admin_client, make_user(db, Role.ADMINISTRATOR))
    assert "Send a new sign-in link<span class=\"nhsuk-u-visually-hidden\"> to " + \
        contributor.display_name not in admin_client.get("/admin/users").get_data(as_text=True)
    response = admin_client.post(f"/invitations/{contributor.id}/resend", data={
        "csrf_token": csrf_token(admin_client, "/admin/users")})
    assert response.status_code == 403
    assert fresh(db).scalars(select(Invitation)).all() == []


def test_coordinators_send_contributors_a_new_link_from_their_record(app, db) -> None:
    from tests.factories import make_contributor

    account = make_user(db, Role.CONTRIBUTOR)
    record = make_contributor(db, user=account)
    coordinator = app.test_client()
    log_in(coordinator, make_user(db, Role.COORDINATOR))
    response = coordinator.post(f"/invitations/{account.id}/resend", data={
        "csrf_token": csrf_token(coordinator, f"/contributors/{record.id}"),
        "back": f"/contributors/{record.id}"})
    assert response.headers["Location"] == f"/contributors/{record.id}"
    assert len(fresh(db).scalars(select(Invitation)).all()) == 1
    # Never back to another site.
    response = coordinator.post(f"/invitations/{account.id}/resend", data={
        "csrf_token": csrf_token(coordinator, f"/contributors/{record.id}"),
        "back": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_no_sign_in_link_for_an_account_that_cannot_sign_in(app, db) -> None:
    user = make_user(db, Role.FINANCE, active=False)
    admin_client = app.test_client()
    log_in(admin_client, make_user(db, Role.ADMINISTRATOR))
    admin_client.post(f"/invitations/{user.id}/resend", data={
        "csrf_token": csrf_token(admin_client, "/admin/users")})
    assert fresh(db).scalars(select(Invitation)).all() == []


def test_an_invitation_for_a_deactivated_account_does_not_work(app, client, db) -> None:
    user, token = _invited(app, db)
    db.get(User, user.id).is_active = False
    db.commit()
    assert accept(client, token).status_code == 404
    assert fresh(db).get(User, user.id).password_hash is None


# --- live links: never in the outbox, shown only to their sender -----------------

def _invite_contributor(app, db):  # type: ignore[no-untyped-def]
    """A coordinator invites a contributor from their record; returns both clients."""
    coordinator = make_user(db, Role.COORDINATOR)
    record = make_contributor(db, email="ruth@example.org")
    sender = app.test_client()
    log_in(sender, coordinator)
    response = sender.post(f"/contributors/{record.id}/invite", data={
        "csrf_token": csrf_token(sender, f"/contributors/{record.id}/invite")})
    assert response.status_code == 302
    return coordinator, sender


def _show_link(client: FlaskClient, invitation_id: int):  # type: ignore[no-untyped-def]
    return client.post(f"/invitations/sent/{invitation_id}/link", data={
        "csrf_token": csrf_token(client, "/invitations/sent")})


def test_the_outbox_never_shows_a_live_link_to_an_administrator(app, db) -> None:
    _invite_contributor(app, db)
    token = invitation_token(db, "ruth@example.org")
    admin = app.test_client()
    log_in(admin, make_user(db, Role.ADMINISTRATOR))
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "ruth@example.org" in page
    assert "Sign-in link:</strong> Not used yet" in page
    assert token not in page and "/invitation/" not in page
    # Nor can the administrator show it: only its sender can.
    [invitation] = fresh(db).scalars(select(Invitation)).all()
    assert _show_link(admin, invitation.id).status_code == 404
    assert token not in admin.get("/invitations/sent").get_data(as_text=True)


def test_the_sender_can_show_the_link_while_unused_and_it_is_audited(app, client, db) -> None:
    coordinator, sender = _invite_contributor(app, db)
    token = invitation_token(db, "ruth@example.org")
    [invitation] = fresh(db).scalars(select(Invitation)).all()
    listing = sender.get("/invitations/sent").get_data(as_text=True)
    assert "Not used yet" in listing and token not in listing
    response = _show_link(sender, invitation.id)
    assert response.status_code == 200
    assert f"http://localhost/invitation/{token}" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    shown = fresh(db).scalars(select(AuditEvent).where(
        AuditEvent.action == "invitation_link_shown")).one()
    assert (shown.actor_id, shown.entity_id) == (coordinator.id, invitation.user_id)

    # Another coordinator cannot show it.
    other = app.test_client()
    log_in(other, make_user(db, Role.COORDINATOR))
    assert _show_link(other, invitation.id).status_code == 404

    # Once used, it is marked and cannot be shown again.
    assert accept(client, token).status_code == 302
    assert fresh(db).get(Invitation, invitation.id).link_seed is None
    assert "Used" in sender.get("/invitations/sent").get_data(as_text=True)
    response = _show_link(sender, invitation.id)
    assert response.status_code == 302
    assert token not in sender.get(response.headers["Location"]).get_data(as_text=True)


def test_a_replaced_or_expired_link_is_marked_and_cannot_be_shown(app, db) -> None:
    coordinator, sender = _invite_contributor(app, db)
    [first] = fresh(db).scalars(select(Invitation)).all()
    response = sender.post(f"/invitations/{first.user_id}/resend", data={
        "csrf_token": csrf_token(sender, "/invitations")})
    assert response.status_code == 302
    old, new = fresh(db).scalars(select(Invitation).order_by(Invitation.id)).all()
    assert old.link_seed is None
    listing = sender.get("/invitations/sent").get_data(as_text=True)
    assert "Stopped: a newer link was sent" in listing
    assert _show_link(sender, old.id).status_code == 302
    db.execute(update(Invitation).where(Invitation.id == new.id)
               .values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    db.commit()
    assert "Ran out" in sender.get("/invitations/sent").get_data(as_text=True)
    assert _show_link(sender, new.id).status_code == 302
    assert fresh(db).scalars(select(AuditEvent).where(
        AuditEvent.action == "invitation_link_shown")).all() == []


# --- roles ------------------------------------------------------------------------

def test_an_administrator_changes_a_staff_role_which_ends_their_sessions(app, client,
                                                                         db) -> None:
    staff = make_user(db, Role.FINANCE, name="Sam Lee")
    theirs = app.test_client()
    log_in(theirs, staff)
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(client, admin)
    users = client.get("/admin/users").get_data(as_text=True)
    assert "Invite someone" in users and "Last signed in" in users
    assert f"/admin/users/{staff.id}/role" in users
    page = client.get(f"/admin/users/{staff.id}/role")
    assert page.status_code == 200
    response = client.post(f"/admin/users/{staff.id}/role", data={
        "csrf_token": csrf_token(client, f"/admin/users/{staff.id}/role"),
        "role": "coordinator"})
    assert response.status_code == 302
    assert fresh(db).get(User, staff.id).role == "coordinator"
    assert theirs.get("/").status_code == 302  # signed out
    event = fresh(db).scalars(select(AuditEvent).where(
        AuditEvent.action == "update", AuditEvent.entity_id == staff.id)).one()
    assert event.changes == {"role": {"old": "finance", "new": "coordinator"}}
    assert event.actor_id == admin.id


@pytest.mark.parametrize("case", ["own", "contributor", "to_contributor", "same", "nonsense"])
def test_roles_that_cannot_change(client, db, case) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    target = {"own": admin, "contributor": make_user(db, Role.CONTRIBUTOR)}.get(
        case) or make_user(db, Role.FINANCE)
    role = {"to_contributor": "contributor", "same": "finance", "nonsense": "owner"}.get(
        case, "coordinator")
    log_in(client, admin)
    response = client.post(f"/admin/users/{target.id}/role", data={
        "csrf_token": csrf_token(client, "/admin/users"), "role": role})
    assert response.status_code == (404 if case == "contributor" else 400)
    assert fresh(db).get(User, target.id).role == target.role


def test_permissions_are_checked_with_members_never_strings(db) -> None:
    user = make_user(db, Role.ADMINISTRATOR)
    with pytest.raises(TypeError):
        user.can("users:manage")  # type: ignore[arg-type]
