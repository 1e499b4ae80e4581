"""Coordinators: organisations and wards, and what every projects page
shares (saving through a service, the ``has_endpoint`` template global).
Projects are in project_views.py, roles and sessions in role_views.py,
ward connections in connection_views.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.db import get_session
from crm.permissions import Permission
from crm.projects import queries, services
from crm.projects.blueprint import bp
from crm.projects.forms import OrganisationForm, ProjectsForm, WardForm
from crm.projects.models import ORGANISATION_KIND_LABELS, Organisation, Ward
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.pagination import paginate

Page = Response | str | tuple[str, int]


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """Whether a page exists, so links to pages other features add appear
    only once they do."""
    return name in current_app.view_functions


def actor() -> User:
    return current_user._get_current_object()


def save(form: ProjectsForm, work: Callable[[], Any]) -> bool:
    """Run a service call for a submitted ``form``; on a rule broken or a
    stale page, put the message on the form, undo anything half-done and
    return False."""
    session = get_session()
    try:
        work()
    except services.ProjectError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return False
    except (services.EditConflict, StaleDataError):
        session.rollback()
        form.conflict = True
        return False
    return True


# ---------------------------------------------------------------- organisations


def _organisation_input(form: OrganisationForm) -> services.OrganisationInput:
    return services.OrganisationInput(
        name=form.name.data or "", kind=form.kind.data or "", communities=form.communities.data,
        website=form.website.data, is_active=bool(form.is_active.data))


@bp.route("/organisations")
@requires(Permission.PROJECTS_VIEW)
def organisations() -> str:
    page = paginate(get_session(), queries.organisations())
    return render_template("projects/organisations.html", title="Organisations", page=page,
                           kinds=ORGANISATION_KIND_LABELS)


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def new_organisation() -> Page:
    form = OrganisationForm()
    if not form.is_submitted():
        form.is_active.data = True
    elif form.validate() and save(form, lambda: services.create_organisation(
            get_session(), actor(), _organisation_input(form))):
        flash(f"{(form.name.data or '').strip()} has been added.", "success")
        return redirect(url_for("projects.organisations"))
    return _organisation_page(form, None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def edit_organisation(organisation_id: int) -> Page:
    organisation = queries.get_or_404(get_session(), Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if not form.is_submitted():
        form.version.data = str(organisation.version)
    elif form.validate() and save(form, lambda: services.update_organisation(
            get_session(), actor(), organisation, form.expected_version,
            _organisation_input(form))):
        flash(f"{organisation.name} has been saved.", "success")
        return redirect(url_for("projects.organisations"))
    return _organisation_page(form, organisation)


def _organisation_page(form: OrganisationForm, organisation: Organisation | None) -> Page:
    html = render_template("projects/organisation_form.html", form=form,
                           organisation=organisation, kinds=ORGANISATION_KIND_LABELS,
                           title="Change an organisation" if organisation
                           else "Add an organisation")
    return (html, 400) if form.is_submitted() else html


# ---------------------------------------------------------------- wards


def _ward_input(form: WardForm) -> services.WardInput:
    return services.WardInput(
        name=form.name.data or "", site=form.site.data or "",
        postcode_district=form.postcode_district.data, service_kind=form.service_kind.data,
        room_provides=form.room_provides.data or [], room_note=form.room_note.data,
        is_active=bool(form.is_active.data))


@bp.route("/wards")
@requires(Permission.PROJECTS_VIEW)
def wards() -> str:
    page = paginate(get_session(), queries.wards())
    return render_template("projects/wards.html", title="Wards", page=page, ref=reference())


@bp.route("/wards/new", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def new_ward() -> Page:
    form = WardForm()
    if not form.is_submitted():
        form.is_active.data = True
    elif form.validate() and save(form, lambda: services.create_ward(
            get_session(), actor(), _ward_input(form))):
        flash(f"{(form.name.data or '').strip()} has been added.", "success")
        return redirect(url_for("projects.wards"))
    return _ward_page(form, None)


@bp.route("/wards/<int:ward_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def edit_ward(ward_id: int) -> Page:
    ward = queries.get_or_404(get_session(), Ward, ward_id)
    form = WardForm(obj=ward)
    if not form.is_submitted():
        form.version.data = str(ward.version)
        form.service_kind.data = ward.service_kind or ""
    elif form.validate() and save(form, lambda: services.update_ward(
            get_session(), actor(), ward, form.expected_version, _ward_input(form))):
        flash(f"{ward.name} has been saved.", "success")
        return redirect(url_for("projects.wards"))
    return _ward_page(form, ward)


def _ward_page(form: WardForm, ward: Ward | None) -> Page:
    html = render_template("projects/ward_form.html", form=form, ward=ward, ref=reference(),
                           title="Change a ward" if ward else "Add a ward")
    return (html, 400) if form.is_submitted() else html
