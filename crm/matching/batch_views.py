"""Coordinators: batches of several roles filled at once. Propose (the
solver picks who fills which places), review, remove or add people, then
confirm to send the offers, or discard. Nothing is sent before confirming.

Errors are shown on the page with a 400 (409 when someone else changed the
batch first), so the request's changes are rolled back, never half-kept."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import get_session
from crm.matching import batch_confirm, batches, ranking
from crm.matching.batch_forms import BatchActionForm, BatchChangeForm, NewBatchForm
from crm.matching.batch_queries import batch_page, batches_for_list
from crm.matching.blueprint import bp
from crm.matching.config import matching_config
from crm.matching.models import OFFER_STATUS_LABELS, BatchStatus, MatchBatch
from crm.matching.offers import london_today
from crm.permissions import Permission
from crm.projects.models import Project
from crm.web.decorators import requires
from crm.web.fields import choices
from crm.web.pagination import paginate

Page = Response | str | tuple[str, int]

STATUS_LABELS = {BatchStatus.PROPOSED.value: "Proposed, not sent",
                 BatchStatus.CONFIRMED.value: "Confirmed, offers sent",
                 BatchStatus.DISCARDED.value: "Discarded"}
SOLVER_LABELS = {"optimal": "Best possible", "feasible": "Stopped at the time limit",
                 "infeasible": "Could not fill every role"}


class PageErrors:
    """Messages for the error summary of a page with several small forms."""

    def __init__(self, items: list[tuple[str, str]] | None = None) -> None:
        self.items = items or []

    def error_list(self) -> list[dict[str, str]]:
        return [{"text": text, "href": f"#{anchor}"} for anchor, text in self.items]


def actor() -> User:
    return current_user._get_current_object()


def _batch(match_batch_id: int) -> MatchBatch:
    batch = batches.load_batch(get_session(), match_batch_id)
    if batch is None:
        abort(404)
    return batch


def _labels() -> dict[str, Any]:
    return {"batch_statuses": STATUS_LABELS, "solver_labels": SOLVER_LABELS,
            "candidates_per_role": matching_config().candidates_per_role}


# ---------------------------------------------------------------- the list

@bp.route("/batches", endpoint="batches")
@requires(Permission.MATCHING_RUN)
def batches_list() -> Page:
    page = paginate(get_session(), batches_for_list(), scalars=False)
    return render_template("matching/batches.html", title="Batches", page=page, **_labels())


# ---------------------------------------------------------------- a new batch

@bp.route("/batches/new", methods=["GET", "POST"])
@requires(Permission.MATCHING_RUN)
def new_batch() -> Page:
    session = get_session()
    project_id = request.args.get("project_id", type=int)
    project = session.get(Project, project_id) if project_id else None
    if project_id and project is None:
        abort(404)
    roles = batches.open_roles(session, project_id=project.id if project else None)
    form = NewBatchForm()
    form.role_ids.choices = choices([(str(r.id), r.title) for r in roles])
    if request.method == "GET":
        form.max_roles_per_person.data = matching_config().max_roles_per_person
        if project:
            form.role_ids.data = [r.id for r in roles]
    status = 200
    if form.validate_on_submit():
        chosen = batches.load_roles(session, form.role_ids.data or [])
        try:
            batch = batches.propose(session, actor(), chosen,
                                    max_roles_per_person=form.max_roles_per_person.data or 0,
                                    fill_every_role=bool(form.fill_every_role.data),
                                    today=london_today())
        except batches.BatchError as error:
            getattr(form, error.field or "role_ids").errors = [error.message]
        else:
            flash("The proposal is ready. Nothing has been sent: check it, then confirm.",
                  "success")
            return redirect(url_for("matching.batch", match_batch_id=batch.id))
    if form.is_submitted():
        status = 400
    held = batches.places_held(session, [r.id for r in roles])
    return render_template("matching/batch_new.html", title="Fill several roles at once",
                           form=form, roles=roles, project=project,
                           free={r.id: max(0, r.places - held.get(r.id, 0)) for r in roles},
                           max_roles=batches.MAX_BATCH_ROLES, listed=batches.ROLES_LISTED,
                           **_labels()), status


# ---------------------------------------------------------------- one batch

def _show(batch: MatchBatch, errors: PageErrors | None = None, status: int = 200) -> Page:
    form = BatchActionForm()
    form.version.data = str(batch.version)
    html = render_template(
        "matching/batch.html", title=f"Batch {batch.id}",
        page=batch_page(get_session(), batch, london_today()),
        form=form, errors=errors or PageErrors(), **_labels())
    return html, status


@bp.route("/batches/<int:match_batch_id>")
@requires(Permission.MATCHING_RUN)
def batch(match_batch_id: int) -> Page:
    found = _batch(match_batch_id)
    # The page names people and their fit, like a ranked list: audited.
    record(get_session(), Action.VIEW, entity_type=EntityType.BATCH, entity_id=found.id,
           summary=f"batch {found.id} with {len(found.proposals)} people proposed")
    return _show(found)


def _refused(batch: MatchBatch, error: batches.BatchError, anchor: str) -> Page:
    get_session().rollback()
    fresh = _batch(batch.id)
    return _show(fresh, PageErrors([(anchor, error.message)]), 409 if error.conflict else 400)


@bp.route("/batches/<int:match_batch_id>/remove", methods=["POST"])
@requires(Permission.MATCHING_RUN)
def remove_from_batch(match_batch_id: int) -> Page:
    batch = _batch(match_batch_id)
    form = BatchChangeForm()
    ids = form.ids() if form.validate_on_submit() else None
    if ids is None:
        return _show(batch, PageErrors([("confirm", "Choose someone to remove")]), 400)
    role_id, contributor_id = ids
    try:
        batches.remove_person(get_session(), actor(), batch, role_id=role_id,
                              contributor_id=contributor_id,
                              expected_version=form.expected_version)
    except batches.BatchError as error:
        return _refused(batch, error, f"role-{role_id}")
    flash("They have been taken out of this batch.", "success")
    return redirect(url_for("matching.batch", match_batch_id=batch.id) + f"#role-{role_id}")


@bp.route("/batches/<int:match_batch_id>/roles/<int:role_id>/people")
@requires(Permission.MATCHING_RUN)
def batch_people(match_batch_id: int, role_id: int) -> Page:
    """The role's ranked eligible people, to add one to the batch."""
    return _people_page(_batch(match_batch_id), role_id)


def _people_page(batch: MatchBatch, role_id: int, errors: PageErrors | None = None,
                 status: int = 200) -> Page:
    session = get_session()
    if role_id not in batch.role_ids:
        abort(404)
    role = ranking.load_role(session, role_id)
    if role is None:
        abort(404)
    page = ranking.rank(session, role, today=london_today(),
                        page=request.args.get("page", 1, type=int) or 1)
    record(session, Action.CANDIDATES_VIEWED, entity_type=EntityType.ROLE, entity_id=role.id,
           summary=f"ranked list for batch {batch.id}, page {page.page}")
    form = BatchChangeForm()
    form.version.data = str(batch.version)
    proposed = {p.contributor_id for p in batch.proposals if p.role_id == role_id}
    titles = {r.id: r.title for r in batches.load_roles(session, batch.role_ids)}
    elsewhere: dict[int, list[str]] = {}
    for p in batch.proposals:
        if p.role_id != role_id:
            elsewhere.setdefault(p.contributor_id, []).append(titles.get(p.role_id, ""))
    places_left = (role.places - batches.places_held(session, [role.id]).get(role.id, 0)
                   - len(proposed))
    return render_template(
        "matching/batch_people.html", title=f"Add someone to {role.title}", batch=batch,
        role=role, page=page, proposed=proposed, elsewhere=elsewhere, form=form,
        places_left=places_left,
        errors=errors or PageErrors(),
        offer_labels=OFFER_STATUS_LABELS, **_labels()), status


@bp.route("/batches/<int:match_batch_id>/add", methods=["POST"])
@requires(Permission.MATCHING_RUN)
def add_to_batch(match_batch_id: int) -> Page:
    batch = _batch(match_batch_id)
    form = BatchChangeForm()
    ids = form.ids() if form.validate_on_submit() else None
    if ids is None or ids[0] not in batch.role_ids:
        return _show(batch, PageErrors([("confirm", "Choose someone to add")]), 400)
    role_id, contributor_id = ids
    try:
        batches.add_person(get_session(), actor(), batch, role_id=role_id,
                           contributor_id=contributor_id, expected_version=form.expected_version,
                           today=london_today())
    except batches.BatchError as error:
        get_session().rollback()
        return _people_page(_batch(match_batch_id), role_id,
                            PageErrors([(f"person-{contributor_id}", error.message)]),
                            409 if error.conflict else 400)
    flash("They have been added to this batch.", "success")
    return redirect(url_for("matching.batch", match_batch_id=batch.id) + f"#role-{role_id}")


@bp.route("/batches/<int:match_batch_id>/confirm", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def confirm_batch(match_batch_id: int) -> Page:
    batch = _batch(match_batch_id)
    form = BatchActionForm()
    if not form.validate_on_submit():
        return _show(batch, PageErrors([("confirm", "Open the page again and confirm")]), 400)
    try:
        made = batch_confirm.confirm(get_session(), current_app.config["CRM_SETTINGS"], actor(),
                                     batch, expected_version=form.expected_version,
                                     today=london_today())
    except batches.BatchError as error:
        return _refused(batch, error, "confirm")
    flash(f"Confirmed. {len(made)} offer{'s' if len(made) != 1 else ''} sent.", "success")
    return redirect(url_for("matching.batch", match_batch_id=batch.id))


@bp.route("/batches/<int:match_batch_id>/discard", methods=["POST"])
@requires(Permission.MATCHING_RUN)
def discard_batch(match_batch_id: int) -> Page:
    batch = _batch(match_batch_id)
    form = BatchActionForm()
    if not form.validate_on_submit():
        return _show(batch, PageErrors([("confirm", "Open the page again and discard")]), 400)
    try:
        batch_confirm.discard(get_session(), actor(), batch, expected_version=form.expected_version)
    except batches.BatchError as error:
        return _refused(batch, error, "confirm")
    flash("The batch has been discarded. Nothing was sent.", "success")
    return redirect(url_for("matching.batch", match_batch_id=batch.id))
