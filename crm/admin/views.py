"""Administrators: users, the outbox and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.accounts import services
from crm.accounts.models import Invitation, User
from crm.admin import queries
from crm.db import get_session
from crm.mail.models import OutboxMessage
from crm.permissions import ROLE_LABELS, Permission, Role
from crm.web.decorators import requires
from crm.web.errors import render_error
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires(Permission.USERS_VIEW)
def users() -> str:
    stmt = select(User).order_by(User.display_name, User.id)
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == role)
    page = paginate(get_session(), stmt)
    return render_template("admin/users.html", page=page, title="Users", role=role,
                           roles=ROLE_LABELS, form=CsrfForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@requires(Permission.USERS_MANAGE)
def set_user_active(user_id: int) -> Response | tuple[str, int]:
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        return render_error(404)
    form = CsrfForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "true"
        try:
            services.set_active(session, current_user._get_current_object(), user, active)
        except services.AccountError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.display_name} can {'now' if active else 'no longer'} sign in.",
                  "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@requires(Permission.USERS_MANAGE)
def change_role(user_id: int) -> Response | tuple[str, int]:
    """Give a staff member another role (a page of its own: it changes what
    they can see)."""
    session = get_session()
    user = session.get(User, user_id)
    if user is None or user.role == Role.CONTRIBUTOR.value:
        return render_error(404)
    form = CsrfForm()
    error: str | None = None
    status = 200
    choice = request.form.get("role", "")
    if form.validate_on_submit():
        try:
            if choice not in set(Role):
                raise services.AccountError("Select their new role", field="role")
            services.change_role(session, current_user._get_current_object(), user,
                                 Role(choice))
        except services.AccountError as problem:
            error, status = problem.message, 400
        else:
            flash(f"{user.display_name} is now {ROLE_LABELS[user.role_enum].lower()}. They "
                  "have been signed out, and have the new role when they sign in again.",
                  "success")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        status = 400
    staff_roles = [(r.value, ROLE_LABELS[r]) for r in Role if r is not Role.CONTRIBUTOR]
    return render_template("admin/change_role.html", user=user, form=form, error=error,
                           roles=staff_roles, chosen=choice or user.role,
                           title=f"Change the role of {user.display_name}"), status


@bp.route("/outbox")
@requires(Permission.OUTBOX_VIEW)
def outbox() -> str:
    session = get_session()
    # Sign-in emails only: messages to contributors carry their personal
    # data, which administrators do not see (coordinators' Messages page).
    stmt = (select(OutboxMessage).where(OutboxMessage.contributor_id.is_(None))
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    page = paginate(session, stmt, per_page=10)
    ids = {m.invitation_id for m in page.items if m.invitation_id}
    invitations = {i.id: i for i in session.scalars(
        select(Invitation).where(Invitation.id.in_(ids)))} if ids else {}
    return render_template("admin/outbox.html", page=page, invitations=invitations,
                           title="Outbox")


@bp.route("/audit")
@requires(Permission.AUDIT_VIEW)
def audit_log() -> str:
    session = get_session()
    filters = queries.AuditFilters.from_args(request.args)
    page = paginate(session, queries.events(filters), per_page=50, scalars=False)
    return render_template("admin/audit_log.html", page=page, title="Audit log",
                           lines=queries.in_words(session, page.items), filters=filters,
                           staff=queries.staff_choices(session),
                           actions=queries.action_choices())
