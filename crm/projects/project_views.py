"""Coordinators: the project list (by status, in pages), adding and
changing a project, and a project's page with its roles."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.accounts.models import User
from crm.db import get_session
from crm.permissions import Permission
from crm.projects import queries, services
from crm.projects.blueprint import bp
from crm.projects.forms import ProjectForm
from crm.projects.models import PROJECT_STATUS_LABELS, ROLE_STATUS_LABELS, Project, ProjectStatus
from crm.projects.views import Page, actor, save
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.pagination import paginate


@bp.route("/")
@requires(Permission.PROJECTS_VIEW)
def index() -> str:
    session = get_session()
    status = queries.project_status(request.args.get("status"))
    page = paginate(session, queries.projects(status))
    counts = queries.role_counts(session, [p.id for p in page.items])
    return render_template("projects/index.html", title="Projects", page=page, status=status,
                           statuses=PROJECT_STATUS_LABELS, role_counts=counts)


def _prepare(form: ProjectForm, project: Project | None = None) -> None:
    """Choices: active coordinators (with the project's lead if they are no
    longer one, so saving does not drop them), and open wards (with any
    closed ward the project already has, for the same reason)."""
    session = get_session()
    linked = {w.id for w in project.wards} if project else set()
    leads = [(str(u.id), u.display_name) for u in queries.coordinators(session)]
    if project and project.lead_id and str(project.lead_id) not in dict(leads):
        former = session.get(User, project.lead_id)
        if former is not None:
            leads.append((str(former.id), f"{former.display_name} (no longer active)"))
    form.lead_id.choices = [("", "No lead yet"), *leads]
    form.ward_choices = [{"value": str(w.id), "text": w.name, "hint": w.site}
                         for w in queries.all_wards(session) if w.is_active or w.id in linked]


def _project_input(form: ProjectForm) -> services.ProjectInput:
    return services.ProjectInput(
        title=form.title.data or "", ward_ids=form.ward_id_list(),
        is_trust_wide=bool(form.is_trust_wide.data), lead_id=form.lead(),
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        status=form.status.data or "", description=form.description.data,
        easy_read_summary=form.easy_read_summary.data, cost_code=form.cost_code.data)


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def new() -> Page:
    form = ProjectForm()
    _prepare(form)
    created: list[Project] = []
    if not form.is_submitted():
        form.status.data = ProjectStatus.PLANNING.value
        form.lead_id.data = str(actor().id)
    elif form.validate() and save(form, lambda: created.append(services.create_project(
            get_session(), actor(), _project_input(form)))):
        flash(f"{created[0].title} has been added. Add its roles next.", "success")
        return redirect(url_for("projects.show", project_id=created[0].id))
    return _form_page(form, None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@requires(Permission.PROJECTS_MANAGE)
def edit(project_id: int) -> Page:
    project = queries.project_for_page(get_session(), project_id)
    form = ProjectForm()
    _prepare(form, project)
    if not form.is_submitted():
        form.process(obj=project)
        form.version.data = str(project.version)
        form.ward_ids.data = [str(w.id) for w in project.wards]
        form.lead_id.data = str(project.lead_id or "")
        form.starts_on.set(project.starts_on)
        form.ends_on.set(project.ends_on)
    elif form.validate() and save(form, lambda: services.update_project(
            get_session(), actor(), project, form.expected_version, _project_input(form))):
        flash(f"{project.title} has been saved.", "success")
        return redirect(url_for("projects.show", project_id=project.id))
    return _form_page(form, project)


def _form_page(form: ProjectForm, project: Project | None) -> Page:
    html = render_template("projects/project_form.html", form=form, project=project,
                           statuses=PROJECT_STATUS_LABELS,
                           title="Change a project" if project else "Add a project")
    return (html, 400) if form.is_submitted() else html


@bp.route("/<int:project_id>")
@requires(Permission.PROJECTS_VIEW)
def show(project_id: int) -> str:
    session = get_session()
    project = queries.project_for_page(session, project_id)
    return render_template("projects/show.html", title=project.title, project=project,
                           roles=queries.roles_of(session, project.id),
                           statuses=PROJECT_STATUS_LABELS, role_statuses=ROLE_STATUS_LABELS,
                           ref=reference())
