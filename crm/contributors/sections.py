"""Coordinators: one contributor's record, its sections, and the pages that
act on it (consent withdrawal, training, the adjustments checklist, the
invitation to sign in, anonymising), plus the list of training due.

Every page that shows a record checks the object-level rule in
``crm.contributors.access`` and is audited as a view. Edits go through
``services.save_section``, which refuses a change made on a page loaded
before someone else saved (the person then sees both versions side by side
and nothing is overwritten).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.accounts import services as account_services
from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.audit.services import record, record_each
from crm.contributors import access, editing, exports, queries, removal, services
from crm.contributors.blueprint import bp
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    CHANNEL_LABELS,
    CONSENT_LABELS,
    CONSENT_METHODS,
    DAY_PARTS,
    DAYS,
    EXPERIENCE_LABELS,
    FORMAT_LABELS,
    STATUS_LABELS,
    ConsentKind,
    Contributor,
)
from crm.contributors.section_forms import (
    SECTION_FORMS,
    AnonymiseForm,
    ConsentForm,
    SectionForm,
    StatusForm,
    TrainingForm,
)
from crm.contributors.views import coordinators
from crm.db import get_session
from crm.permissions import Permission, Role
from crm.reference import Item, reference
from crm.web.decorators import deny, requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate
from crm.web.templating import format_date, format_datetime

# Everything the record page shows, loaded up front: one query per kind of
# child row, however many rows there are.
RECORD_OPTIONS = (
    joinedload(Contributor.user),
    joinedload(Contributor.key_contact),
    selectinload(Contributor.experiences),
    selectinload(Contributor.service_kinds),
    selectinload(Contributor.skills),
    selectinload(Contributor.availability),
    selectinload(Contributor.affiliations),
    selectinload(Contributor.consents),
    selectinload(Contributor.adjustments),
    selectinload(Contributor.communication),
    selectinload(Contributor.training),
    selectinload(Contributor.support),
)


def _actor() -> User:
    return current_user._get_current_object()


def _load(contributor_id: int) -> Contributor:
    contributor = get_session().get(Contributor, contributor_id, options=list(RECORD_OPTIONS))
    if contributor is None:
        abort(404)
    return contributor


def _may_view(contributor: Contributor) -> None:
    if not access.can_view(_actor(), contributor):
        deny("may not view this contributor", EntityType.CONTRIBUTOR, contributor.id)


def _may_edit(contributor: Contributor) -> None:
    if not access.can_edit(_actor(), contributor):
        deny("may not change this contributor", EntityType.CONTRIBUTOR, contributor.id)


def _record_url(contributor: Contributor, anchor: str | None = None) -> str:
    return url_for("contributors.show", contributor_id=contributor.id,
                   _anchor=anchor or None)


# ---------------------------------------------------------------- the record


@dataclass
class TrainingState:
    """How a completion stands today, in words (never colour alone)."""

    label: str
    tag: str | None = None
    tag_class: str | None = None


def training_state(expires_on: dt.date | None, today: dt.date) -> TrainingState:
    if expires_on is None:
        return TrainingState("Does not expire")
    days = (expires_on - today).days
    if days < 0:
        ago = -days
        return TrainingState(f"Expired on {format_date(expires_on)} "
                             f"({ago} day{'s' if ago != 1 else ''} ago)", "Expired",
                             "nhsuk-tag--red")
    if days == 0:
        return TrainingState(f"Expires today ({format_date(expires_on)})", "Expires today",
                             "nhsuk-tag--orange")
    if days <= queries.TRAINING_DUE_DAYS:
        return TrainingState(f"Expires on {format_date(expires_on)} "
                             f"(in {days} day{'s' if days != 1 else ''})", "Due soon",
                             "nhsuk-tag--orange")
    return TrainingState(f"Current until {format_date(expires_on)}")


AdjustmentGroups = list[tuple[Item | None, list[tuple[str, str | None]]]]


def adjustment_groups(contributor: Contributor) -> AdjustmentGroups:
    """The person's adjustments grouped in catalogue order: (group, [(label, note)]).
    Codes no longer in the catalogue are kept, under a group of None."""
    catalogue = reference().adjustments
    chosen = {a.code: a.note for a in contributor.adjustments}
    groups: AdjustmentGroups = []
    for group in catalogue.groups:
        rows = [(item.label, chosen[item.code]) for item in catalogue.in_group(group.code)
                if item.code in chosen]
        if rows:
            groups.append((group, rows))
    unknown = [(code, note) for code, note in chosen.items() if catalogue.get(code) is None]
    if unknown:
        groups.append((None, unknown))
    return groups


def _record_context(contributor: Contributor) -> dict[str, Any]:
    today = dt.date.today()
    ref = reference()
    consents = {x.kind: x for x in contributor.consents}
    return {
        "c": contributor,
        "ref": ref,
        "today": today,
        "experiences": EXPERIENCE_LABELS,
        "statuses": STATUS_LABELS,
        "attendance": ATTENDANCE_LABELS,
        "channels": CHANNEL_LABELS,
        "formats": FORMAT_LABELS,
        "methods": CONSENT_METHODS,
        "consents": [(k.value, CONSENT_LABELS[k], consents.get(k.value)) for k in ConsentKind],
        "days": DAYS,
        "day_parts": DAY_PARTS,
        "slots": {f"{a.day} {a.part}" for a in contributor.availability},
        "adjustment_groups": adjustment_groups(contributor),
        "training": [(t, ref.training.label(t.course_code), training_state(t.expires_on, today))
                     for t in contributor.training],
        "can_edit": access.can_edit(_actor(), contributor),
        "can_anonymise": _actor().can(Permission.CONTRIBUTORS_ANONYMISE),
    }


@bp.route("/<int:contributor_id>")
@requires(Permission.CONTRIBUTORS_VIEW)
def show(contributor_id: int) -> str:
    contributor = _load(contributor_id)
    _may_view(contributor)
    services.record_view(get_session(), _actor(), contributor, "record")
    return render_template("contributors/show.html", title=contributor.name,
                           **_record_context(contributor))


@bp.route("/<int:contributor_id>/adjustments/checklist")
@requires(Permission.CONTRIBUTORS_VIEW)
def checklist(contributor_id: int) -> str:
    contributor = _load(contributor_id)
    _may_view(contributor)
    services.record_view(get_session(), _actor(), contributor, "adjustments checklist")
    return render_template("contributors/checklist.html",
                           title=f"Adjustments checklist for {contributor.name}",
                           **_record_context(contributor))


# ---------------------------------------------------------------- editing a section


def _prepare(form: SectionForm, contributor: Contributor) -> None:
    """Choices that come from the database or the catalogues."""
    ref = reference()
    if isinstance(form, StatusForm):
        people = coordinators()
        if contributor.key_contact and contributor.key_contact not in people:
            people.append(contributor.key_contact)
        form.key_contact_id.choices = [("", "No key contact")] + [
            (str(u.id), u.display_name) for u in people]
    elif form.section == "experience":
        form.service_kinds.choices = ref.service_kinds.choices()
    elif form.section == "skills":
        form.skills.choices = ref.skills.choices()


def _edit_template(form: SectionForm, contributor: Contributor, **extra: Any) -> str:
    return render_template(f"contributors/edit_{form.section}.html", form=form, c=contributor,
                           ref=reference(), title=form.title, **extra)


@bp.route("/<int:contributor_id>/edit/<section>", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def edit_section(contributor_id: int, section: str) -> Response | str | tuple[str, int]:
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        abort(404)
    session = get_session()
    contributor = _load(contributor_id)
    _may_edit(contributor)
    form = form_class()
    _prepare(form, contributor)
    extra: dict[str, Any] = {}
    if isinstance(form, ConsentForm):
        extra["consent_labels"] = {k.value: v for k, v in CONSENT_LABELS.items()}
    if request.method == "GET":
        if isinstance(form, ConsentForm):
            form.load(contributor, request.args.get("kind"))
        else:
            form.load(contributor)
        services.record_view(session, _actor(), contributor, f"edit {section}")
        return _edit_template(form, contributor, **extra)
    if form.validate_on_submit():
        try:
            apply = form.to_apply()
        except services.ContributorError as error:
            form.add_error(error.field, error.message)
        else:
            try:
                services.save_section(session, _actor(), contributor, form.expected_version,
                                      section, apply)
            except services.EditConflict:
                return _conflict(contributor, section, apply)
            except StaleDataError:
                # Someone saved between our check and our write.
                session.rollback()
                return _conflict(_load(contributor_id), section, apply)
            except services.ContributorError as error:
                form.add_error(error.field, error.message)
            else:
                flash(f"{form.title} saved.", "success")
                return redirect(_record_url(contributor, section))
    return _edit_template(form, contributor, **extra), 400


# ---------------------------------------------------------------- conflicts

SECTION_KEYS: dict[str, list[tuple[str, str]]] = {
    "details": [("full_name", "Full name"), ("preferred_name", "Preferred name"),
                ("pronouns", "Pronouns"), ("email", "Email address"), ("phone", "Phone number"),
                ("postal_address", "Postal address"), ("postcode_area", "Postcode district"),
                ("date_of_birth", "Date of birth")],
    "experience": [("experiences", "Experience"), ("service_kinds", "Services they know"),
                   ("what_i_bring", "What they bring"),
                   ("prefers_living_experience", "Prefers \u201cliving experience\u201d")],
    "skills": [("skills", "Skills and interests")],
    "availability": [("availability", "When they are free"),
                     ("attendance_mode", "How they take part"),
                     ("travel_max_miles", "How far they can travel (miles)"),
                     ("notice_days", "Notice they need (days)"),
                     ("availability_note", "Anything else")],
    "status": [("status", "Status"), ("paused_until", "Return date"),
               ("left_on", "Date they left"), ("key_contact_id", "Key contact")],
    "affiliations": [("is_peer_support_worker", "Peer support worker"),
                     ("peer_employer", "Employer"), ("affiliations", "Organisations")],
    "consents": [("consents", "Consents")],
    "adjustments": [("adjustments", "Adjustments"), ("adjustment_notes", "Notes"),
                    ("adjustments_other", "Other adjustments, in their words")],
    "communication": [("communication.channel_order", "Ways to contact them, in order"),
                      ("communication.do_not_use", "Do not use"),
                      ("communication.best_times", "Best times"),
                      ("communication.information_format", "Format"),
                      ("communication.language", "Language"),
                      ("communication.via_supporter", "Through a supporter"),
                      ("communication.supporter_name", "Supporter's name"),
                      ("communication.supporter_contact", "Supporter's contact details"),
                      ("communication.papers_days_before", "Papers sent (days before)"),
                      ("communication.camera_optional", "Cameras optional reminder")],
    "support": [("support", "Support in place"), ("support_notes", "Notes")],
}

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _flat(snapshot: dict[str, Any]) -> dict[str, Any]:
    out = dict(snapshot)
    comm = out.pop("communication", None) or {}
    for key, value in comm.items():
        out[f"communication.{key}"] = value
    return out


def _dates_in_words(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return format_date(dt.date(*(int(g) for g in match.groups())))
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(one, text)


def _coded_note(text: str, label: Any) -> str:
    code, _, note = text.partition(": ")
    return f"{label(code)}: {note}"


def describe(key: str, value: Any, users: dict[int, str]) -> list[str]:
    """A snapshot value in words, one line per item."""
    ref = reference()
    if value is None or value == "" or value == []:
        return ["Not recorded"]
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    one_of: dict[str, Any] = {
        "experiences": lambda v: EXPERIENCE_LABELS.get(v, v),
        "service_kinds": ref.service_kinds.label,
        "skills": lambda v: v[len("other: "):] if v.startswith("other: ")
        else ref.skills.label(v),
        "availability": lambda v: v.capitalize(),
        "attendance_mode": lambda v: ATTENDANCE_LABELS.get(v, v),
        "status": lambda v: STATUS_LABELS.get(v, v),
        "key_contact_id": lambda v: users.get(v, "Someone no longer listed"),
        "adjustments": ref.adjustments.label,
        "adjustment_notes": lambda v: _coded_note(v, ref.adjustments.label),
        "support": ref.support.label,
        "support_notes": lambda v: _coded_note(v, ref.support.label),
        "consents": _consent_in_words,
        "communication.channel_order": lambda v: CHANNEL_LABELS.get(v, v),
        "communication.do_not_use": lambda v: CHANNEL_LABELS.get(v, v),
        "communication.information_format": lambda v: FORMAT_LABELS.get(v, v),
        "affiliations": str,
    }
    word = one_of.get(key, lambda v: _dates_in_words(str(v)))
    values = value if isinstance(value, list) else [value]
    return [word(v) for v in values]


def _consent_in_words(text: str) -> str:
    kind, _, rest = text.partition(": ")
    label = CONSENT_LABELS.get(kind, kind)  # type: ignore[call-overload]
    for code, method in CONSENT_METHODS.items():
        rest = rest.replace(f"({code})", f"({method.lower()})")
    return f"{label}: {_dates_in_words(rest)}"


def _last_saved(contributor_id: int) -> tuple[str | None, dt.datetime | None]:
    row = get_session().execute(
        select(AuditEvent.occurred_at, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.entity_type == "contributor", AuditEvent.entity_id == contributor_id,
               AuditEvent.action == "update")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(1)
    ).first()
    return (row[1], row[0]) if row else (None, None)


def _conflict(contributor: Contributor, section: str, apply: editing.Apply
              ) -> tuple[str, int]:
    """Show what is saved now beside what this person submitted; keep the saved one."""
    session = get_session()
    contributor_id, name = contributor.id, contributor.name
    saved = _flat(services.snapshot(contributor))
    with session.no_autoflush:
        # If the submitted change breaks a rule it is shown as unchanged; the
        # editor starts again from the saved version anyway.
        with suppress(services.ContributorError):
            apply(contributor)
        submitted = _flat(services.snapshot(contributor))
    # Throw the submitted change away: nothing of it is written.
    session.rollback()
    ids = {v for v in (saved.get("key_contact_id"), submitted.get("key_contact_id")) if v}
    users = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_(ids))).all()) if ids else {}
    rows = [{
        "label": label,
        "saved": describe(key, saved.get(key), users),
        "submitted": describe(key, submitted.get(key), users),
        "differs": saved.get(key) != submitted.get(key),
    } for key, label in SECTION_KEYS[section]]
    who, when = _last_saved(contributor_id)
    title = SECTION_FORMS[section].title
    return render_template(
        "contributors/conflict.html", title="Someone else changed this record",
        rows=rows, name=name, contributor_id=contributor_id, section=section,
        section_title=title, saved_by=who, saved_at=format_datetime(when) if when else None,
        kind=request.form.get("kind") if section == "consents" else None,
    ), 409


# ---------------------------------------------------------------- one-step actions


@bp.route("/<int:contributor_id>/consents/withdraw", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def withdraw_consent(contributor_id: int) -> Response | str:
    """Withdrawing a consent: a page that asks first (GET changes nothing),
    then the change (POST)."""
    contributor = _load(contributor_id)
    _may_edit(contributor)
    kind = (request.form if request.method == "POST" else request.args).get("kind", "")
    if request.method == "GET" or not CsrfForm().validate_on_submit():
        consent = next((x for x in contributor.consents if x.kind == kind and x.is_given), None)
        if consent is None:
            flash("There is no consent to withdraw", "error")
            return redirect(_record_url(contributor, "consents"))
        return render_template("contributors/withdraw_consent.html", c=contributor, kind=kind,
                               label=CONSENT_LABELS[ConsentKind(kind)], form=CsrfForm(),
                               title=f"Withdraw consent for {contributor.name}")
    try:
        services.save_section(get_session(), _actor(), contributor, None, "consents",
                              editing.withdraw_consent(kind))
    except services.ContributorError as error:
        flash(error.message, "error")
    else:
        label = CONSENT_LABELS.get(kind, kind)  # type: ignore[call-overload]
        flash(f"Consent withdrawn: {label[:1].lower()}{label[1:]}.", "success")
    return redirect(_record_url(contributor, "consents"))


@bp.route("/<int:contributor_id>/training/new", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def add_training(contributor_id: int) -> Response | str | tuple[str, int]:
    contributor = _load(contributor_id)
    _may_edit(contributor)
    form = TrainingForm()
    if request.method == "GET":
        return _edit_template(form, contributor, courses=reference().training.items)
    if form.validate_on_submit():
        try:
            services.save_section(get_session(), _actor(), contributor, None, "training",
                                  form.to_apply())
        except services.ContributorError as error:
            form.add_error(error.field, error.message)
        else:
            added = max(contributor.training, key=lambda t: t.id)
            course = reference().training.label(added.course_code)
            ends = (f"It is current until {format_date(added.expires_on)}."
                    if added.expires_on else "It does not expire.")
            flash(f"{course} added. {ends}", "success")
            return redirect(_record_url(contributor, "training"))
    return _edit_template(form, contributor, courses=reference().training.items), 400


@bp.route("/<int:contributor_id>/training/<int:completion_id>/remove", methods=["POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def remove_training(contributor_id: int, completion_id: int) -> Response:
    contributor = _load(contributor_id)
    _may_edit(contributor)
    found = next((t for t in contributor.training if t.id == completion_id), None)
    course = reference().training.label(found.course_code) if found else ""
    try:
        services.save_section(get_session(), _actor(), contributor, None, "training",
                              editing.remove_training(completion_id))
    except services.ContributorError as error:
        flash(error.message, "error")
    else:
        flash(f"{course} removed from their training.", "success")
    return redirect(_record_url(contributor, "training"))


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
    contributor = _load(contributor_id)
    _may_edit(contributor)
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
                        session, settings, _actor(), contributor.email,
                        contributor.name[:120], Role.CONTRIBUTOR).invitation.user
                elif user.password_hash is None:
                    account_services.send_sign_in_link(session, settings, _actor(), user)
                else:
                    message = ("They already had an account with this email address. It is "
                               "now linked to this record, so they see it when they sign in.")
            except account_services.AccountError as problem:
                error = problem.message
            else:
                def link(c: Contributor) -> None:
                    c.user = user

                services.save_section(session, _actor(), contributor, None, "sign-in", link)
                flash(message, "success")
                return redirect(_record_url(contributor, "sign-in"))
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
    contributor = _load(contributor_id)
    _may_view(contributor)
    if contributor.anonymised_at is None:
        _may_edit(contributor)
    form = AnonymiseForm()
    status = 200
    if form.is_submitted():
        status = 400
        if contributor.anonymised_at is not None:
            form.confirm.errors = ["This record has already been anonymised"]
        elif form.validate():
            try:
                removal.anonymise(session, _actor(), contributor)
            except services.ContributorError as error:
                form.confirm.errors = [error.message]
            else:
                flash("The record has been anonymised. Only what is needed for counts is kept.",
                      "success")
                return redirect(_record_url(contributor))
    return render_template("contributors/anonymise.html", c=contributor, form=form,
                           title=f"Anonymise {contributor.name}"
                           if contributor.anonymised_at is None else "Already anonymised"), \
        status
