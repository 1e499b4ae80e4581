"""Coordinators: the pages that act on a record in one step (withdrawing
consent, adding and removing training, the invitation to sign in,
anonymising), and the list of training due."""

from __future__ import annotations

import datetime as dt
import io

from flask import current_app, flash, redirect, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from crm.accounts import services as account_services
from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record, record_each
from crm.contributors import editing, exports, queries, removal, services
from crm.contributors.blueprint import bp
from crm.contributors.models import (
    CONSENT_LABELS,
    STATUS_LABELS,
    ConsentKind,
    Contributor,
)
from crm.contributors.section_forms import (
    AnonymiseForm,
    TrainingForm,
)
from crm.contributors.sections import (
    actor,
    edit_template,
    load,
    may_edit,
    may_view,
    record_url,
    training_state,
)
from crm.db import get_session
from crm.permissions import Permission, Role
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate
from crm.web.templating import format_date

# ---------------------------------------------------------------- one-step actions


@bp.route("/<int:contributor_id>/consents/withdraw", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def withdraw_consent(contributor_id: int) -> Response | str:
    """Withdrawing a consent: a page that asks first (GET changes nothing),
    then the change (POST)."""
    contributor = load(contributor_id)
    may_edit(contributor)
    kind = (request.form if request.method == "POST" else request.args).get("kind", "")
    if request.method == "GET" or not CsrfForm().validate_on_submit():
        consent = next((x for x in contributor.consents if x.kind == kind and x.is_given), None)
        if consent is None:
            flash("There is no consent to withdraw", "error")
            return redirect(record_url(contributor))
        return render_template("contributors/withdraw_consent.html", c=contributor, kind=kind,
                               label=CONSENT_LABELS[ConsentKind(kind)], form=CsrfForm(),
                               title=f"Withdraw consent for {contributor.name}")
    try:
        services.save_section(get_session(), actor(), contributor, None, "consents",
                              editing.withdraw_consent(kind))
    except services.ContributorError as error:
        flash(error.message, "error")
    else:
        label = CONSENT_LABELS.get(kind, kind)  # type: ignore[call-overload]
        flash(f"Consent withdrawn: {label[:1].lower()}{label[1:]}.", "success")
    return redirect(record_url(contributor))


@bp.route("/<int:contributor_id>/training/new", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def add_training(contributor_id: int) -> Response | str | tuple[str, int]:
    contributor = load(contributor_id)
    may_edit(contributor)
    form = TrainingForm()
    if request.method == "GET":
        return edit_template(form, contributor, courses=reference().training.items)
    if form.validate_on_submit():
        try:
            services.save_section(get_session(), actor(), contributor, None, "training",
                                  form.to_apply())
        except services.ContributorError as error:
            form.add_error(error.field, error.message)
        else:
            added = max(contributor.training, key=lambda t: t.id)
            course = reference().training.label(added.course_code)
            ends = (f"It is current until {format_date(added.expires_on)}."
                    if added.expires_on else "It does not expire.")
            flash(f"{course} added. {ends}", "success")
            return redirect(record_url(contributor))
    return edit_template(form, contributor, courses=reference().training.items), 400


@bp.route("/<int:contributor_id>/training/<int:completion_id>/remove", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def remove_training(contributor_id: int, completion_id: int) -> Response | str:
    """Removing a course they completed: a page that asks first (GET changes
    nothing), then the change (POST), which says what was removed."""
    contributor = load(contributor_id)
    may_edit(contributor)
    found = next((t for t in contributor.training if t.id == completion_id), None)
    if found is None:
        flash("That training record was not found", "error")
        return redirect(record_url(contributor))
    course = reference().training.label(found.course_code)
    completed = format_date(found.completed_on)
    if request.method == "GET" or not CsrfForm().validate_on_submit():
        return render_template("contributors/remove_training.html", c=contributor, t=found,
                               course=course, completed=completed, form=CsrfForm(),
                               title=f"Remove training for {contributor.name}")
    try:
        services.save_section(get_session(), actor(), contributor, None, "training",
                              editing.remove_training(completion_id))
    except services.ContributorError as error:
        flash(error.message, "error")
    else:
        flash(f"{course} (completed {completed}) removed from their training.", "success")
    return redirect(record_url(contributor))


# ---------------------------------------------------------------- training due


@bp.route("/training-due")
@requires(Permission.TRAINING_VIEW)
def training_due() -> str:
    today = dt.date.today()
    course = _course_filter()
    page = paginate(get_session(), queries.training_due(today, course), scalars=False)
    rows = [(t, c, reference().training.label(t.course_code), training_state(t.expires_on, today))
            for t, c in page.items]
    start, end = queries.training_period(today)
    return render_template("contributors/training_due.html", title="Training due", page=page,
                           rows=rows, today=today, ref=reference(), course=course or "",
                           statuses=STATUS_LABELS, period_start=start, period_end=end)


def _course_filter() -> str | None:
    course = request.args.get("course", "")[:64]
    return course if course in reference().training.codes else None


TRAINING_DUE_HEADERS = ("Name", "Course", "Completed", "Runs out", "Where it stands")


@bp.route("/training-due.csv")
@requires(Permission.CONTRIBUTORS_EXPORT)
def training_due_export() -> Response:
    """The training-due list as a CSV (formula-safe), audited for each person
    in it, so their history shows it."""
    session = get_session()
    today = dt.date.today()
    rows = session.execute(queries.training_due(today, _course_filter())).all()
    out = io.BytesIO()
    exports.write_csv(([c.full_name, reference().training.label(t.course_code), t.completed_on,
                        t.expires_on, training_state(t.expires_on, today).label]
                       for t, c in rows), out, headers=TRAINING_DUE_HEADERS)
    record(session, Action.EXPORT, entity_type=EntityType.CONTRIBUTOR,
           summary=f"training due: {len(rows)} rows as CSV")
    record_each(session, Action.EXPORT, EntityType.CONTRIBUTOR, sorted({c.id for _, c in rows}),
                summary="included in a training due export")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=training-due-{today.isoformat()}.csv"})


# ---------------------------------------------------------------- signing in


@bp.route("/<int:contributor_id>/invite", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def invite(contributor_id: int) -> Response | str | tuple[str, int]:
    session = get_session()
    contributor = load(contributor_id)
    may_edit(contributor)
    form = CsrfForm()
    error: str | None = None
    status = 200
    if form.validate_on_submit():
        status = 400
        if contributor.user_id is not None:
            error = "They can already sign in"
        elif not contributor.email:
            error = "Add their email address before inviting them to sign in"
        else:
            settings = current_app.config["CRM_SETTINGS"]
            message = (f"Invitation created for {contributor.email}. The link works for "
                       f"{settings.invitation_valid_days} days. "
                       f"{account_services.link_note(settings)}")
            try:
                user = _account_to_link(session, contributor)
                if user is None:
                    user = account_services.invite(
                        session, settings, actor(), contributor.email,
                        contributor.name[:120], Role.CONTRIBUTOR).invitation.user
                elif user.password_hash is None:
                    account_services.send_sign_in_link(session, settings, actor(), user)
                else:
                    message = ("They already had an account with this email address. It is "
                               "now linked to this record, so they see it when they sign in.")
            except account_services.AccountError as problem:
                error = problem.message
            else:
                def link(c: Contributor) -> None:
                    c.user = user

                services.save_section(session, actor(), contributor, None, "sign-in", link)
                flash(message, "success")
                return redirect(record_url(contributor))
    return render_template("contributors/invite.html", c=contributor, form=form, error=error,
                           title=f"Invite {contributor.name} to sign in"), status


def _account_to_link(session: Session, contributor: Contributor) -> User | None:
    """An existing contributor account with this record's email address that no
    other record uses: link it rather than refuse. Staff accounts and accounts
    linked elsewhere are refused."""
    user = account_services.find_user_by_email(session, contributor.email or "")
    if user is None:
        return None
    taken = session.scalar(select(Contributor.id).where(Contributor.user_id == user.id))
    if user.role != Role.CONTRIBUTOR.value or taken is not None:
        raise account_services.AccountError(
            "Someone else's account uses this email address. Check the email address")
    return user


# ---------------------------------------------------------------- anonymising


@bp.route("/<int:contributor_id>/anonymise", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_ANONYMISE)
def anonymise(contributor_id: int) -> Response | str | tuple[str, int]:
    session = get_session()
    contributor = load(contributor_id)
    may_view(contributor)
    if contributor.anonymised_at is None:
        may_edit(contributor)
    form = AnonymiseForm()
    status = 200
    if form.is_submitted():
        status = 400
        if contributor.anonymised_at is not None:
            form.confirm.errors = ["This record has already been anonymised"]
        elif form.validate():
            try:
                removal.anonymise(session, actor(), contributor)
            except services.ContributorError as error:
                form.confirm.errors = [error.message]
            else:
                flash("The record has been anonymised. Only what is needed for counts is kept.",
                      "success")
                return redirect(record_url(contributor))
    return render_template("contributors/anonymise.html", c=contributor, form=form,
                           title=f"Anonymise {contributor.name}"
                           if contributor.anonymised_at is None else "Already anonymised"), \
        status
