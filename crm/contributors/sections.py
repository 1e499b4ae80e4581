"""Coordinators: one contributor's record, its sections, and the pages that
act on it (consent withdrawal, training, the adjustments checklist, the
invitation to sign in, anonymising), plus the list of training due.

The conflict page is in ``conflicts``; the pages that act on a record in one
step (withdrawing consent, training, inviting, anonymising) are in
``record_actions``. Every page that shows a record checks the object-level rule in
``crm.contributors.access`` and is audited as a view. Edits go through
``services.save_section``, which refuses a change made on a page loaded
before someone else saved (the person then sees both versions side by side
and nothing is overwritten).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.audit.actions import EntityType
from crm.contributors import access, queries, services
from crm.contributors.blueprint import bp
from crm.contributors.conflicts import conflict_page
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
from crm.contributors.needs_forms import (
    OTHER_GROUP,
    AdjustmentsForm,
    CommunicationForm,
    ConsentForm,
    SupportForm,
    adjustment_group,
)
from crm.contributors.profile_forms import (
    AffiliationsForm,
    AvailabilityForm,
    DetailsForm,
    ExperienceForm,
    SkillsForm,
    StatusForm,
)
from crm.contributors.section_forms import SectionForm
from crm.contributors.summary import record_summary
from crm.contributors.views import coordinators
from crm.db import get_session
from crm.permissions import Permission
from crm.reference import Item, reference
from crm.web.decorators import deny, requires
from crm.web.templating import format_date

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


SECTION_FORMS: dict[str, type[SectionForm]] = {
    form.section: form for form in (
        DetailsForm, ExperienceForm, SkillsForm, AvailabilityForm, StatusForm,
        AffiliationsForm, ConsentForm, AdjustmentsForm, CommunicationForm, SupportForm)
}


def actor() -> User:
    return current_user._get_current_object()


def load(contributor_id: int) -> Contributor:
    contributor = get_session().get(Contributor, contributor_id, options=list(RECORD_OPTIONS))
    if contributor is None:
        abort(404)
    return contributor


def may_view(contributor: Contributor) -> None:
    if not access.can_view(actor(), contributor):
        deny("may not view this contributor", EntityType.CONTRIBUTOR, contributor.id)


def may_edit(contributor: Contributor) -> None:
    if not access.can_edit(actor(), contributor):
        deny("may not change this contributor", EntityType.CONTRIBUTOR, contributor.id)


def record_url(contributor: Contributor, anchor: str | None = None) -> str:
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
        "summary": record_summary(contributor, today),
        "can_edit": access.can_edit(actor(), contributor),
        "can_anonymise": actor().can(Permission.CONTRIBUTORS_ANONYMISE),
    }


@bp.route("/<int:contributor_id>")
@requires(Permission.CONTRIBUTORS_VIEW)
def show(contributor_id: int) -> str:
    contributor = load(contributor_id)
    may_view(contributor)
    services.record_view(get_session(), actor(), contributor, "record")
    return render_template("contributors/show.html", title=contributor.name,
                           **_record_context(contributor))


@bp.route("/<int:contributor_id>/adjustments/checklist")
@requires(Permission.CONTRIBUTORS_VIEW)
def checklist(contributor_id: int) -> str:
    contributor = load(contributor_id)
    may_view(contributor)
    services.record_view(get_session(), actor(), contributor, "adjustments checklist")
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


def edit_template(form: SectionForm, contributor: Contributor, **extra: Any) -> str:
    return render_template(f"contributors/edit_{form.section}.html", form=form, c=contributor,
                           ref=reference(), title=form.title, **extra)


@bp.route("/<int:contributor_id>/edit/<section>", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def edit_section(contributor_id: int, section: str) -> Response | str | tuple[str, int]:
    if section == "adjustments" and request.method == "GET":
        return _adjustments_summary(contributor_id)
    return _edit(contributor_id, section)


@bp.route("/<int:contributor_id>/edit/adjustments/<group>", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def edit_adjustment_group(contributor_id: int, group: str
                          ) -> Response | str | tuple[str, int]:
    """One group of adjustments per page (the long list is hard to take in at
    once); saving changes only this group and goes back to the summary."""
    if group != OTHER_GROUP and adjustment_group(group) is None:
        abort(404)
    return _edit(contributor_id, "adjustments", group)


def _adjustments_summary(contributor_id: int) -> str:
    """The adjustments by group, each with a link to its own page."""
    contributor = load(contributor_id)
    may_edit(contributor)
    services.record_view(get_session(), actor(), contributor, "edit adjustments")
    chosen = {a.code: a.note for a in contributor.adjustments}
    catalogue = reference().adjustments
    groups = [(g, [(item.label, chosen[item.code]) for item in catalogue.in_group(g.code)
                   if item.code in chosen]) for g in catalogue.groups]
    return render_template("contributors/adjustments_summary.html", c=contributor,
                           groups=groups, other_group=OTHER_GROUP,
                           title=f"Reasonable adjustments for {contributor.name}")


def _edit(contributor_id: int, section: str, group: str | None = None
          ) -> Response | str | tuple[str, int]:
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        abort(404)
    session = get_session()
    contributor = load(contributor_id)
    may_edit(contributor)
    form = form_class()
    _prepare(form, contributor)
    if group and isinstance(form, AdjustmentsForm):
        form.only_group(group, contributor)
    extra: dict[str, Any] = {}
    if isinstance(form, ConsentForm):
        extra["consent_labels"] = {k.value: v for k, v in CONSENT_LABELS.items()}
    if request.method == "GET":
        if isinstance(form, ConsentForm):
            form.load(contributor, request.args.get("kind"))
        else:
            form.load(contributor)
        services.record_view(session, actor(), contributor, f"edit {section}")
        return edit_template(form, contributor, **extra)
    if form.validate_on_submit():
        try:
            apply = form.to_apply()
        except services.ContributorError as error:
            form.add_error(error.field, error.message)
        else:
            try:
                services.save_section(session, actor(), contributor, form.expected_version,
                                      section, apply)
            except services.EditConflict:
                return conflict_page(contributor, section, form.title, apply)
            except StaleDataError:
                # Someone saved between our check and our write.
                session.rollback()
                return conflict_page(load(contributor_id), section, form.title, apply)
            except services.ContributorError as error:
                form.add_error(error.field, error.message)
            else:
                if isinstance(form, AdjustmentsForm) and form.group:
                    flash(f"{form.group_title} saved.", "success")
                    return redirect(url_for("contributors.edit_section",
                                            contributor_id=contributor.id,
                                            section="adjustments"))
                flash(f"{form.title} saved.", "success")
                return redirect(record_url(contributor))
    return edit_template(form, contributor, **extra), 400
