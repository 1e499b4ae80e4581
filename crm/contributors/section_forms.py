"""Forms for the sections of a contributor record (coordinators' pages): the
section base, the small field helpers, and the forms that are not one section
(adding training, anonymising). The section forms themselves are in
``profile_forms`` (who they are, when they are free, their status) and
``needs_forms`` (consents, adjustments, support, communication); ``SECTION_FORMS``
names them all.

Forms check shape only (something chosen, a real date, a whole number, not
too long); the rules live in ``crm.contributors.editing``, whose ``set_*``
functions each form calls in ``to_apply()``. Every section form carries the
hidden ``version`` the page was loaded from (``crm.web.forms.VersionedForm``),
so an edit made on a stale page is refused rather than overwriting someone
else's change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
)
from crm.reference import reference
from crm.web.fields import DateInputField
from crm.web.fields import choices as web_choices
from crm.web.forms import VersionedForm

NOTE_LIMIT = 500


def radio(label: str, choices: list[tuple[str, str]], message: str) -> RadioField:
    return RadioField(label, choices=web_choices(choices),
                      invalid_choice_message=message)  # type: ignore[call-arg]  # not in the stubs


def checkboxes(label: str) -> SelectMultipleField:
    # Choices are checked against the catalogue by editing.py, with a plain message.
    return SelectMultipleField(label, choices=[], validate_choice=False)


def text(label: str, limit: int, *, area: bool = False) -> Field:
    kind = TextAreaField if area else StringField
    return kind(label, validators=[
        Optional(), Length(max=limit, message=f"{label} must be {limit} characters or fewer")])


# ---------------------------------------------------------------- base form


class SectionForm(VersionedForm):
    """One section of the record. Subclasses say what they edit."""

    section: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # Field names in ContributorError.field that belong to another form field.
    error_fields: ClassVar[dict[str, str]] = {}

    def load(self, c: Contributor) -> None:
        """Fill the form from the saved record (for a GET)."""
        self.version.data = str(c.version)

    def to_apply(self) -> editing.Apply:
        raise NotImplementedError


# ---------------------------------------------------------------- the other forms


class TrainingForm(SectionForm):
    """Adding a completed course. Adding never overwrites anything, so it is
    not checked against the loaded version."""

    section = "training"
    title = "Add training"

    course_code = SelectField("Course", choices=[], validate_choice=False)
    completed_on = DateInputField("Date completed",
                                  required="Enter the date they completed the course")
    provider = text("Who ran the course", 200)
    note = text("Note", 500, area=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course_code.choices = [("", "Select a course"), *reference().training.choices()]

    def to_apply(self) -> editing.Apply:
        return editing.add_training(self.course_code.data or "",
                                    self.completed_on.data or dt.date.min,
                                    self.provider.data, self.note.data)

    def validate_course_code(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select a course")



class AnonymiseForm(FlaskForm):
    confirm = BooleanField("I understand that this cannot be undone", validators=[
        DataRequired("Confirm that you understand this cannot be undone")])

    def error_list(self) -> list[dict[str, str]]:
        return [{"text": m, "href": f"#{f.id}"} for f in self for m in f.errors]
