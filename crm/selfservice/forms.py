"""Forms for a contributor's own pages. They check shape only (a number is a
number, a date is a date); the rules for what a record may hold live in
crm.contributors.editing and are applied through services.save_section.

Every form that changes the record carries the ``version`` it was loaded
from, so a change made by a coordinator in the meantime is never overwritten.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from crm.web import forms as web_forms
from crm.web.fields import DateInputField, anchor_for, yes_no_field

THEN_NEXT = "next"
THEN_SUMMARY = "summary"


def _many(label: str = "") -> SelectMultipleField:
    """Checkboxes: choices come from the catalogues and are checked by the rules."""
    return SelectMultipleField(label, choices=[], validate_choice=False, coerce=str)


def _one(label: str = "") -> RadioField:
    return RadioField(label, choices=[], validate_choice=False, coerce=str)


# Fields that are hidden on the page: their errors have nothing to link to.
_UNLINKED = frozenset({"version", "kind"})
_NOT_SHOWN = frozenset({"csrf_token", "then"})


class VersionedForm(web_forms.VersionedForm):
    """The shared versioned form (crm.web.forms), with the version required
    as a whole number (a missing one means the page is out of date) and where
    to go next. ``error_list`` feeds the one error summary
    (templates/macros/forms.html), including messages for the whole page."""

    version = IntegerField(widget=HiddenInput(), validators=[  # type: ignore[assignment]
        InputRequired("This page is out of date. Go back to your record and try again."),
        NumberRange(min=1, message="This page is out of date. Go back to your record and "
                                   "try again.")])
    then = HiddenField(default=THEN_NEXT)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if isinstance(field, IntegerField) and field.name != "version" and field.errors:
                # Our wording, not the library's "Not a valid integer value".
                field.errors = [field.description or "Enter a whole number, like 7"]
        if self.then.data not in (THEN_NEXT, THEN_SUMMARY):
            self.then.data = THEN_NEXT
        return ok

    def error_list(self) -> list[dict[str, str]]:
        items: list[dict[str, str]] = []
        for field, message in self._errors_with_fields():
            if field.name in _NOT_SHOWN:
                continue
            item = {"text": message}
            if field.name not in _UNLINKED:
                item["href"] = "#" + anchor_for(field)
            items.append(item)
        items.extend({"text": message} for message in self.form_errors)
        return items


# --- My details -----------------------------------------------------------

class NameForm(VersionedForm):
    full_name = StringField()
    preferred_name = StringField()
    pronouns = StringField()


class ContactForm(VersionedForm):
    email = EmailField(validators=[
        Optional(),
        Email("Enter an email address in the correct format, like name@example.com",
              check_deliverability=False)])
    phone = StringField()
    postal_address = TextAreaField()
    postcode_area = StringField()


class BirthForm(VersionedForm):
    """Date of birth as day, month and year boxes (the shared date field, with
    its messages), all empty for "not given"."""

    date_of_birth = DateInputField("Date of birth")


# --- My lived experience --------------------------------------------------

class ExperienceWordForm(VersionedForm):
    experience_word = _one()

    def validate_experience_word(self, field: RadioField) -> None:
        if field.data not in ("lived", "living"):
            raise ValidationError("Select the words you prefer")


class ExperienceKindsForm(VersionedForm):
    experiences = _many()


class ServicesForm(VersionedForm):
    service_kinds = _many()


class WhatIBringForm(VersionedForm):
    what_i_bring = TextAreaField()


# --- My adjustments -------------------------------------------------------

class AdjustmentGroupForm(VersionedForm):
    adjustments = _many()


class AdjustmentsOtherForm(VersionedForm):
    adjustments_other = TextAreaField()


# --- How to contact me ----------------------------------------------------

class ChannelsForm(VersionedForm):
    channel_order = _many()
    do_not_use = _many()


class BestTimesForm(VersionedForm):
    best_times = TextAreaField()


class FormatForm(VersionedForm):
    information_format = _one()
    language = StringField()


def _yes_no(message: str) -> RadioField:
    return yes_no_field(message=message)


class SupporterForm(VersionedForm):
    via_supporter = _yes_no("Select yes if we should contact you through someone who helps you")
    supporter_name = StringField()
    supporter_contact = TextAreaField()


class PapersForm(VersionedForm):
    papers_days_before = IntegerField(
        validators=[Optional()],
        description="Enter the number of days as a whole number, like 7")


class CameraForm(VersionedForm):
    camera_optional = _yes_no("Select yes or no")


# --- When I can take part -------------------------------------------------

class SlotsForm(VersionedForm):
    slots = _many()


class AttendanceForm(VersionedForm):
    attendance_mode = _one()


class TravelForm(VersionedForm):
    travel_max_miles = IntegerField(
        validators=[Optional()],
        description="Enter the number of miles as a whole number, like 10")


class NoticeForm(VersionedForm):
    notice_days = IntegerField(
        validators=[Optional()],
        description="Enter the number of days as a whole number, like 14")


class AvailabilityNoteForm(VersionedForm):
    availability_note = TextAreaField()


# --- Buttons --------------------------------------------------------------

class ConsentForm(VersionedForm):
    """Give or withdraw one consent: a single button."""

    kind = HiddenField()


class EasyReadForm(FlaskForm):
    """The Easy Read switch. Not versioned: it sets one preference the person
    has just chosen and can overwrite nothing anyone else saved."""

    enabled = HiddenField()
    next = HiddenField()

