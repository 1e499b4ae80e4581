"""Coordinators: a contributor's current connections to wards (inpatient
there now, works there), which roles' conflict rules look at."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.audit.actions import EntityType
from crm.contributors import access
from crm.contributors.models import Contributor
from crm.contributors.services import record_view
from crm.db import get_session
from crm.permissions import Permission
from crm.projects import connections, queries
from crm.projects.blueprint import bp
from crm.projects.forms import ConnectionForm, ProjectsForm
from crm.projects.views import Page, actor, save
from crm.web.decorators import deny, requires


def _contributor(contributor_id: int) -> Contributor:
    contributor = get_session().get(Contributor, contributor_id)
    if contributor is None:
        abort(404)
    if not access.can_edit(actor(), contributor):
        deny("may not change this contributor", EntityType.CONTRIBUTOR, contributor.id)
    return contributor


@bp.route("/people/<int:contributor_id>/wards", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def contributor_wards(contributor_id: int) -> Page:
    contributor = _contributor(contributor_id)
    session = get_session()
    form = ConnectionForm()
    form.ward_id.choices = [("", "Select a ward")] + [
        (str(w.id), f"{w.name}, {w.site}") for w in queries.all_wards(session)]
    if form.is_submitted() and form.validate() and save(form, lambda: connections.add_connection(
            session, actor(), contributor, int(form.ward_id.data or 0), form.kind.data or "")):
        flash("The connection has been added.", "success")
        return redirect(url_for("projects.contributor_wards", contributor_id=contributor.id))
    if not form.is_submitted():
        # Who saw that someone is an inpatient where, like any look at a record.
        record_view(session, actor(), contributor, "ward connections")
    html = render_template("projects/contributor_wards.html", form=form, c=contributor,
                           rows=connections.connections_of(session, contributor.id),
                           labels=connections.CONNECTION_LABELS,
                           title=f"Ward connections for {contributor.name}")
    return (html, 400) if form.is_submitted() else html


@bp.route("/people/<int:contributor_id>/wards/remove", methods=["POST"])
@requires(Permission.PROJECTS_MANAGE)
def remove_contributor_ward(contributor_id: int) -> Response:
    contributor = _contributor(contributor_id)
    form = ProjectsForm()
    value = request.form.get("connection_id", "")
    if form.validate() and value.isdigit() and connections.remove_connection(
            get_session(), actor(), contributor, int(value)):
        flash("The connection has been removed.", "success")
    else:
        flash("That connection had already been removed.", "info")
    return redirect(url_for("projects.contributor_wards", contributor_id=contributor.id))
