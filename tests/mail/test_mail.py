"""Email is sent only after the request's changes have committed."""

from __future__ import annotations

import socketserver

from flask import Blueprint, Flask, abort
from sqlalchemy import select

from crm.accounts import services
from crm.accounts.models import Invitation, User
from crm.db import get_session
from crm.mail.models import OutboxMessage
from crm.mail.services import NOT_KEPT
from crm.permissions import Role
from crm.web.decorators import public
from tests.factories import make_user


def _mailing_app(make_app, port: int) -> Flask:  # type: ignore[no-untyped-def]
    app = make_app(mail_host="127.0.0.1", mail_port=port, mail_use_tls=False)
    bp = Blueprint("mailtest", __name__)

    def _invite(email: str) -> None:
        session = get_session()
        inviter = session.scalars(select(User).where(User.role == "administrator")).one()
        services.invite(session, app.config["CRM_SETTINGS"], inviter, email, "Nia Evans",
                        Role.FINANCE)

    @bp.route("/test/invite-then-fail")
    @public
    def invite_then_fail() -> str:
        _invite("rolled.back@example.org")
        abort(400)

    @bp.route("/test/invite-then-crash")
    @public
    def invite_then_crash() -> str:
        _invite("crashed@example.org")
        raise RuntimeError("boom")

    @bp.route("/test/invite")
    @public
    def invite() -> str:
        _invite("kept@example.org")
        return "sent"

    app.register_blueprint(bp)
    return app


def test_a_rolled_back_request_sends_no_email(db, make_app, smtp) -> None:
    port, received = smtp
    make_user(db, Role.ADMINISTRATOR)
    browser = _mailing_app(make_app, port).test_client()

    assert browser.get("/test/invite-then-fail").status_code == 400
    assert browser.get("/test/invite-then-crash").status_code == 500
    assert received.messages == []
    db.expire_all()
    assert db.scalars(select(Invitation)).all() == []
    assert db.scalars(select(OutboxMessage)).all() == []

    # The same code sends once the request commits, and only then.
    assert browser.get("/test/invite").status_code == 200
    [sent] = received.messages
    assert "To: kept@example.org" in sent
    assert "http://localhost/invitation/" in sent
    db.expire_all()
    [message] = db.scalars(select(OutboxMessage)).all()
    assert message.sent_at is not None
    assert message.body == NOT_KEPT  # the link is not kept in the database
    [invitation] = db.scalars(select(Invitation)).all()
    assert invitation.link_seed is None  # emailed, so nobody can show it again


def test_a_mail_server_that_is_down_does_not_undo_the_change(db, make_app) -> None:
    make_user(db, Role.ADMINISTRATOR)
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]
    browser = _mailing_app(make_app, port).test_client()
    assert browser.get("/test/invite").status_code == 200
    db.expire_all()
    [message] = db.scalars(select(OutboxMessage)).all()
    assert message.sent_at is None  # the outbox shows it as not sent
    assert db.scalars(select(User.email).where(User.email == "kept@example.org")).one()
