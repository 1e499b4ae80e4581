"""Sign in and out, your account, invitations."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from crm.accounts import emails, services
from crm.accounts.forms import (
    ChangePasswordForm,
    InvitationForm,
    SetPasswordForm,
    SignInForm,
)
from crm.accounts.models import Invitation, User
from crm.audit.actions import EntityType
from crm.audit.services import client_ip
from crm.db import get_session
from crm.permissions import Permission, Role
from crm.web.decorators import deny, public, requires
from crm.web.errors import render_error
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate

bp = Blueprint("accounts", __name__)


def _settings():
    return current_app.config["CRM_SETTINGS"]


def _safe_next(target: str | None) -> str:
    """Only local paths, never another site (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target \
                and all(32 <= ord(ch) < 127 for ch in target):
            return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.sign_in(get_session(), _settings(), form.email.data or "",
                             form.password.data or "", client_ip() or "unknown")
        except services.SignInLocked as locked:
            return render_error(429, minutes=locked.lockout.minutes_left())
        except services.AccountError as error:
            form.email.errors = [error.message]
            status = 400
        else:
            return redirect(_safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/sign_in.html", form=form, title="Sign in"), status


@bp.route("/sign-out", methods=["POST"])
@requires(Permission.HOME_VIEW)
def sign_out() -> Response:
    services.sign_out(get_session(), current_user._get_current_object())
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/account")
@requires(Permission.ACCOUNT_MANAGE_OWN)
def account() -> str:
    return render_template("accounts/account.html", title="Your account")


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.ACCOUNT_MANAGE_OWN)
def change_password() -> Response | str | tuple[str, int]:
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(get_session(), _settings(), current_user._get_current_object(),
                                     form.current_password.data or "", form.new_password.data or "",
                                     client_ip() or "unknown")
        except services.SignInLocked as locked:
            return render_error(429, minutes=locked.lockout.minutes_left(), password_change=True)
        except services.AccountError as error:
            getattr(form, error.field or "new_password").errors = [error.message]
            status = 400
        else:
            flash("Your password has been changed. You have been signed out everywhere else.",
                  "success")
            return redirect(url_for("accounts.account"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/change_password.html", form=form,
                           title="Change your password", settings=_settings()), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> Response | str | tuple[str, int]:
    session = get_session()
    invitation = services.find_open_invitation(session, token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html",
                               title="This link has expired or has already been used"), 404
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.accept_invitation(session, _settings(), token, form.new_password.data or "")
        except services.AccountError as error:
            form.new_password.errors = [error.message]
            status = 400
        else:
            flash("Your password is set and you are signed in.", "success")
            return redirect(url_for("home.index"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation,
                           reader=emails.reader_for(session, invitation.user),
                           title="Choose your password", settings=_settings()), status


def _invitable_roles() -> list[Role]:
    """Staff roles only: contributors are invited from their record, so the
    account is linked to it (crm.contributors.sections.invite)."""
    return [r for r in Role if r is not Role.CONTRIBUTOR and services.may_invite(current_user, r)]


@bp.route("/invitations")
@requires(Permission.INVITATIONS_VIEW)
def invitations() -> str:
    stmt = (select(User).where(User.password_hash.is_(None), User.is_active.is_(True))
            .order_by(User.created_at.desc(), User.id.desc()))
    if not current_user.can(Permission.INVITATIONS_SEND_STAFF):
        stmt = stmt.where(User.role == Role.CONTRIBUTOR.value)
    page = paginate(get_session(), stmt)
    return render_template("accounts/invitations.html", page=page, title="Invitations",
                           resend_form=CsrfForm())


@bp.route("/invitations/new", methods=["GET", "POST"])
@requires(Permission.INVITATIONS_SEND_STAFF)
def new_invitation() -> Response | str | tuple[str, int]:
    form = InvitationForm()
    form.set_roles(_invitable_roles())
    status = 200
    if form.validate_on_submit():
        try:
            sent = services.invite(get_session(), _settings(), current_user._get_current_object(),
                                   form.email.data or "", form.display_name.data or "",
                                   Role(form.role.data))
        except services.AccountError as error:
            getattr(form, error.field or "email").errors = [error.message]
            status = 400
        else:
            flash(f"Invitation created for {sent.invitation.user.display_name}. "
                  f"{services.link_note(_settings())}", "success")
            return redirect(url_for("accounts.invitations"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/new_invitation.html", form=form,
                           title="Invite someone"), status


@bp.route("/invitations/<int:user_id>/resend", methods=["POST"])
@requires(Permission.INVITATIONS_VIEW)
def resend_invitation(user_id: int) -> Response | tuple[str, int]:
    """Send a new sign-in link: a repeat invitation, or a forgotten password."""
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        return render_error(404)
    if not services.may_invite(current_user, user.role_enum):
        deny("may not send a link to this role", EntityType.USER, user.id)
    form = CsrfForm()
    if form.validate_on_submit():
        try:
            services.send_sign_in_link(session, _settings(), current_user._get_current_object(),
                                       user)
        except services.AccountError as error:
            flash(error.message, "error")
        else:
            flash(f"A new sign-in link has been created for {user.display_name}. "
                  f"{services.link_note(_settings())}", "success")
    back = request.form.get("back")
    if back == "users":
        return redirect(url_for("admin.users"))
    if back and back.startswith("/"):  # the page the form was on, such as their record
        return redirect(_safe_next(back))
    return redirect(url_for("accounts.invitations"))


@bp.route("/invitations/sent")
@requires(Permission.INVITATIONS_VIEW)
def sent_links() -> str:
    """The sign-in links this person has sent, newest first, with their state."""
    stmt = (select(Invitation).options(selectinload(Invitation.user))
            .where(Invitation.invited_by_id == current_user.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc()))
    page = paginate(get_session(), stmt)
    return render_template("accounts/sent_links.html", page=page, title="Links you have sent",
                           can_show=lambda i: services.can_show_link(current_user, i))


@bp.route("/invitations/sent/<int:invitation_id>/link", methods=["POST"])
@requires(Permission.INVITATIONS_VIEW)
def show_link(invitation_id: int) -> Response | str | tuple[str, int]:
    """Show a live link to the person who sent it, so they can pass it on.
    A POST, audited, never cached; the link is not in any URL of ours."""
    session = get_session()
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.invited_by_id != current_user.id:
        return render_error(404)
    form = CsrfForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.sent_links"))
    try:
        link = services.show_link(session, _settings(), current_user._get_current_object(),
                                  invitation)
    except services.AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.sent_links"))
    return render_template("accounts/show_link.html", invitation=invitation, link=link,
                           title=f"The link for {invitation.user.display_name}")
