"""Coordinators: a role on a project (adding, changing, its page, its
status buttons) and the role's sessions (adding, changing, cancelling)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.contributors.models import EXPERIENCE_LABELS
from crm.db import get_session
from crm.permissions import Permission
from crm.projects import queries, roles
from crm.projects.blueprint import bp
from crm.projects.forms import (
    MODE_LABELS,
    PLACE_LABELS,
    USUAL_FEE,
    ProjectsForm,
    RoleForm,
    RoleStatusForm,
    SessionForm,
)
from crm.projects.models import CONFLICT_LABELS, ROLE_STATUS_LABELS, RoleOpening, RoleSession
from crm.projects.views import Page, actor, save
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.templating import format_date

# ---------------------------------------------------------------- roles


def _role_input(form: RoleForm) -> roles.RoleInput:
    return roles.RoleInput(
        title=form.title.data or "", kind=form.kind.data or "", level=form.level.data or "",
        places=form.places.data, fee_tier=form.fee_tier_code(),
        required_experience=form.required_experience.data or [],
        required_service_kinds=form.required_service_kinds.data or [],
        required_training=form.required_training.data or [],
        desirable_skills=form.desirable_skills.data or [], mode=form.mode.data or "",
        conflict_rules=form.conflict_rules.data or [], closes_on=form.closes_on.data,
        description=form.description.data,
        easy_read_description=form.easy_read_description.data)


@bp.route("/<int:project_id>/roles/new", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def new_role(project_id: int) -> Page:
    project = queries.project_for_page(get_session(), project_id)
    form = RoleForm()
    created: list[RoleOpening] = []
    if not form.is_submitted():
        # The fee tier starts as "the usual one for the kind chosen" (the
        # catalogue's typical_rate_code), so no script is needed to fill it in.
        kind = request.args.get("kind", "")
        form.kind.data = kind if kind in reference().involvement_roles.codes else ""
        form.fee_tier.data = USUAL_FEE
        form.places.data = 1
        form.mode.data = "either"
    elif form.validate() and save(form, lambda: created.append(roles.create_role(
            get_session(), actor(), project, _role_input(form)))):
        flash(f"{created[0].title} has been added as a draft. Add its sessions, then open it.",
              "success")
        return redirect(url_for("projects.role", role_id=created[0].id))
    return _role_form_page(form, project.title, None, project.id)


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def edit_role(role_id: int) -> Page:
    role = queries.role_for_page(get_session(), role_id)
    form = RoleForm()
    if not form.is_submitted():
        form.process(obj=role)
        form.version.data = str(role.version)
        form.fee_tier.data = role.fee_tier or roles.UNPAID
    elif form.validate() and save(form, lambda: roles.update_role(
            get_session(), actor(), role, form.expected_version, _role_input(form))):
        flash(f"{role.title} has been saved.", "success")
        return redirect(url_for("projects.role", role_id=role.id))
    return _role_form_page(form, role.project.title, role, role.project_id)


def _role_form_page(form: RoleForm, project_title: str, role: RoleOpening | None,
                    project_id: int) -> Page:
    html = render_template("projects/role_form.html", form=form, role=role,
                           project_title=project_title, project_id=project_id,
                           options=form.options(), modes=MODE_LABELS,
                           title="Change a role" if role else "Add a role")
    return (html, 400) if form.is_submitted() else html


@bp.route("/roles/<int:role_id>")
@requires(Permission.PROJECTS_VIEW)
def role(role_id: int) -> Page:
    return _role_page(queries.role_for_page(get_session(), role_id), RoleStatusForm())


def _role_page(role: RoleOpening, form: RoleStatusForm, status: int = 200) -> Page:
    if not form.is_submitted():
        form.version.data = str(role.version)
    ref = reference()
    return render_template(
        "projects/role.html", title=role.title, role=role, form=form, ref=ref,
        next_statuses=roles.next_statuses(role), role_statuses=ROLE_STATUS_LABELS,
        modes=MODE_LABELS, conflicts=CONFLICT_LABELS, experience=EXPERIENCE_LABELS,
        fee_tier_label=roles.fee_tier_label, local=roles.local), status


@bp.route("/roles/<int:role_id>/status", methods=["POST"])
@requires(Permission.PROJECTS_MANAGE)
def role_status(role_id: int) -> Page:
    """One step along the role's status ladder, from a button on its page."""
    role = queries.role_for_page(get_session(), role_id)
    form = RoleStatusForm()
    if form.validate() and save(form, lambda: roles.change_role_status(
            get_session(), actor(), role, form.expected_version, form.status.data or "")):
        flash(f"{role.title} is now {ROLE_STATUS_LABELS[role.status].lower()}.",  # type: ignore[index]
              "success")
        return redirect(url_for("projects.role", role_id=role.id))
    return _role_page(queries.role_for_page(get_session(), role_id), form, 400)


# ---------------------------------------------------------------- sessions


def _session_input(form: SessionForm) -> roles.SessionInput:
    return roles.SessionInput(
        day=form.day.data, start=form.start_time(), minutes=form.length(),
        place=form.place.data or "", ward_id=form.ward(), venue=form.venue.data,
        papers_ready_on=form.papers_ready_on.data)


def _prepare_session(form: SessionForm, role: RoleOpening) -> None:
    project_wards = {w.id for w in role.project.wards}
    form.ward_id.choices = [("", "Select a ward")] + [
        (str(w.id), w.name + (" (this project's ward)" if w.id in project_wards else ""))
        for w in queries.all_wards(get_session()) if w.is_active or w.id in project_wards]


@bp.route("/roles/<int:role_id>/sessions/new", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def new_session(role_id: int) -> Page:
    role = queries.role_for_page(get_session(), role_id)
    form = SessionForm()
    _prepare_session(form, role)
    if not form.is_submitted():
        wards = role.project.wards
        form.place.data = "ward" if wards else "venue"
        form.ward_id.data = str(wards[0].id) if len(wards) == 1 else ""
        form.hours.data = 2
        form.minutes.data = 0
    elif form.validate() and save(form, lambda: roles.add_session(
            get_session(), actor(), role, _session_input(form))):
        flash("The session has been added.", "success")
        _warn_outside_project(role, form)
        return redirect(url_for("projects.role", role_id=role.id, _anchor="sessions"))
    return _session_form_page(form, role, None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def edit_session(session_id: int) -> Page:
    row = queries.session_for_page(get_session(), session_id)
    form = SessionForm()
    _prepare_session(form, row.role)
    if not form.is_submitted():
        starts = roles.local(row.starts_at)
        form.version.data = str(row.sequence)
        form.day.set(starts.date())
        form.start.data = f"{starts:%H:%M}"
        form.hours.data, form.minutes.data = divmod(row.minutes, 60)
        form.place.data = "online" if row.is_online else "ward" if row.ward_id else "venue"
        form.ward_id.data = str(row.ward_id or "")
        form.venue.data = row.venue or ""
        form.papers_ready_on.set(row.papers_ready_on)
    elif form.validate() and save(form, lambda: roles.update_session(
            get_session(), actor(), row, form.expected_version, _session_input(form))):
        flash("The session has been saved.", "success")
        _warn_outside_project(row.role, form)
        return redirect(url_for("projects.role", role_id=row.role_id, _anchor="sessions"))
    return _session_form_page(form, row.role, row)


def _warn_outside_project(role: RoleOpening, form: SessionForm) -> None:
    """Saved, but said plainly when the day is outside the project's dates."""
    day = form.day.data
    outside = roles.outside_project_dates(role.project, day) if day else None
    if day and outside:
        which, limit = outside
        flash(f"The session is on {format_date(day)}, "
              f"{'before' if which == 'starts' else 'after'} the project {which} on "
              f"{format_date(limit)}. If that is wrong, change the session or the "
              "project's dates.", "info")


def _session_form_page(form: SessionForm, role: RoleOpening, row: RoleSession | None) -> Page:
    html = render_template("projects/session_form.html", form=form, role=role, row=row,
                           places=PLACE_LABELS,
                           title="Change a session" if row else "Add a session")
    return (html, 400) if form.is_submitted() else html


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def cancel_session(session_id: int) -> Page:
    """A page asking to confirm, then (POST) the session is marked cancelled."""
    row = queries.session_for_page(get_session(), session_id)
    form = ProjectsForm()
    if not form.is_submitted():
        form.version.data = str(row.sequence)
    elif form.validate() and save(form, lambda: roles.cancel_session(
            get_session(), actor(), row, form.expected_version)):
        flash("The session has been cancelled. Tell the people taking part.", "success")
        return redirect(url_for("projects.role", role_id=row.role_id, _anchor="sessions"))
    html = render_template("projects/cancel_session.html", form=form, row=row, role=row.role,
                           local=roles.local, title="Cancel this session")
    return (html, 400) if form.is_submitted() else html


