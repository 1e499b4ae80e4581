"""Forms for organisations, wards, projects, roles, sessions and ward
connections. Forms check the shape of what was typed; the rules (duplicate
names, dates in order, catalogue codes, status steps) are the services'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

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

from crm.contributors.models import EXPERIENCE_LABELS
from crm.projects.connections import CONNECTION_LABELS
from crm.projects.models import (
    CONFLICT_LABELS,
    ORGANISATION_KIND_LABELS,
    PROJECT_STATUS_LABELS,
    RoleMode,
)
from crm.projects.roles import UNPAID, PlaceKind, default_fee_tier, fee_tiers
from crm.reference import reference
from crm.web.fields import DateInputField, WholeNumberField, choices
from crm.web.forms import HIDDEN_FIELDS, VersionedForm

MODE_LABELS = {RoleMode.IN_PERSON.value: "In person", RoleMode.ONLINE.value: "Online",
               RoleMode.EITHER.value: "Either: in person or online"}
# The fee tier choice meaning "the kind of role's typical_rate_code".
USUAL_FEE = "usual"
PLACE_LABELS = {PlaceKind.WARD: "In a ward's usual meeting room",
                PlaceKind.VENUE: "At another venue", PlaceKind.ONLINE: "Online"}


def text(label: str, limit: int, *, area: bool = False) -> Field:
    kind = TextAreaField if area else StringField
    return kind(label, validators=[
        Optional(), Length(max=limit, message=f"{label} must be {limit} characters or fewer")])


def checkboxes(label: str) -> SelectMultipleField:
    # Codes are checked by the services against the catalogue, with a plain message.
    return SelectMultipleField(label, choices=[], validate_choice=False)


def radio(label: str, pairs: list[tuple[str, str]], message: str) -> RadioField:
    return RadioField(label, choices=choices(pairs),
                      invalid_choice_message=message)  # type: ignore[call-arg]  # not in the stubs


STALE = ("Someone else saved a change here after you opened this page, so nothing has "
         "been saved. Open the page again to see what is saved now.")


class ProjectsForm(VersionedForm):
    """A versioned form that, on a stale save, says so at the top of the page
    (``conflict``) instead of beside one field: the clash is with the whole page."""

    conflict = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_errors: list[str] = []

    def add_error(self, field_name: str | None, message: str) -> None:
        """As VersionedForm, but a form with no inputs of its own (a
        confirmation) shows the message at the top of the page."""
        if all(f.name in HIDDEN_FIELDS for f in self):
            self.page_errors.append(message)
        else:
            super().add_error(field_name, message)

    def extra_errors(self) -> list[tuple[str, str]]:
        errors = [("conflict", STALE)] if self.conflict else []
        return errors + [("page-error", m) for m in self.page_errors]


# ---------------------------------------------------------------- organisations


class OrganisationForm(ProjectsForm):
    name = StringField("Name", validators=[
        DataRequired("Enter the organisation's name"),
        Length(max=200, message="Name must be 200 characters or fewer")])
    kind = radio("Kind", [(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()],
                 "Select what kind of organisation it is")
    communities = text("Communities served", 2000, area=True)
    website = text("Website", 300)
    is_active = BooleanField("We still work with them")

    def validate_kind(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select what kind of organisation it is")


# ---------------------------------------------------------------- wards


class WardForm(ProjectsForm):
    name = StringField("Ward name", validators=[
        DataRequired("Enter the ward's name"),
        Length(max=200, message="Ward name must be 200 characters or fewer")])
    site = StringField("Site", validators=[
        DataRequired("Enter the site or hospital"),
        Length(max=200, message="Site must be 200 characters or fewer")])
    postcode_district = text("Postcode district", 8)
    service_kind = SelectField("Kind of service", choices=[], validate_choice=False)
    room_provides = checkboxes("What the usual meeting room provides")
    room_note = text("Note about the room", 2000, area=True)
    is_active = BooleanField("The ward is open")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_kind.choices = [("", "Not recorded"),
                                     *reference().service_kinds.choices()]

    def validate_postcode_district(self, field: Field) -> None:
        value = (field.data or "").strip().upper().replace(" ", "")
        if value and not re.match(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$", value):
            raise ValidationError("Enter the first part of a postcode, like LS1 or SW1A")


# ---------------------------------------------------------------- projects


class ProjectForm(ProjectsForm):
    title = StringField("Title", validators=[
        DataRequired("Enter the project's title"),
        Length(max=200, message="Title must be 200 characters or fewer")])
    ward_ids = checkboxes("Wards")
    is_trust_wide = BooleanField("Trust-wide: not about particular wards")
    lead_id = SelectField("Lead coordinator", choices=[], validate_choice=False)
    starts_on = DateInputField("Start date")
    ends_on = DateInputField("End date")
    status = radio("Status", [(k.value, v) for k, v in PROJECT_STATUS_LABELS.items()],
                   "Select the project's status")
    description = text("Description", 5000, area=True)
    easy_read_summary = text("Easy Read summary", 3000, area=True)
    cost_code = text("Cost code", 40)

    def ward_id_list(self) -> list[int]:
        return [int(v) for v in self.ward_ids.data or [] if str(v).isdigit()]

    def lead(self) -> int | None:
        value = self.lead_id.data or ""
        return int(value) if value.isdigit() else None


# ---------------------------------------------------------------- roles


class RoleForm(ProjectsForm):
    title = StringField("Title", validators=[
        DataRequired("Enter the role's title"),
        Length(max=200, message="Title must be 200 characters or fewer")])
    kind = SelectField("Kind of role", choices=[], validate_choice=False)
    level = SelectField("Involvement level", choices=[], validate_choice=False)
    places = WholeNumberField("Places", message="Places must be a whole number, like 2")
    fee_tier = SelectField("Fee tier", choices=[], validate_choice=False)
    required_experience = checkboxes("Lived experience needed")
    required_service_kinds = checkboxes("Experience of services needed")
    required_training = checkboxes("Training needed")
    desirable_skills = checkboxes("Skills that would help")
    mode = radio("Online or in person", list(MODE_LABELS.items()),
                 "Select online, in person or either")
    conflict_rules = checkboxes("Who may not take this role")
    closes_on = DateInputField("Closing date")
    description = text("Description", 5000, area=True)
    easy_read_description = text("Easy Read description", 3000, area=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ref = reference()
        self.kind.choices = [("", "Select the kind of role"), *ref.involvement_roles.choices()]
        self.level.choices = [("", "Select the level"), *ref.involvement_levels.choices()]
        self.fee_tier.choices = [(USUAL_FEE, "The usual tier for this kind of role"),
                                 (UNPAID, "Unpaid"),
                                 *fee_tiers()]

    def validate_kind(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select the kind of role")

    def validate_level(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select the involvement level")

    def fee_tier_code(self) -> str:
        """The chosen tier, with "usual" read from the roles catalogue."""
        chosen = self.fee_tier.data or UNPAID
        return default_fee_tier(self.kind.data or "") if chosen == USUAL_FEE else chosen

    def validate_places(self, field: Field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Enter how many places there are")

    @staticmethod
    def options() -> dict[str, list[dict[str, str]]]:
        """The checkbox options of each list, for the template."""
        ref = reference()

        def items(pairs: Any) -> list[dict[str, str]]:
            return [{"value": str(v), "text": str(t)} for v, t in pairs]

        return {
            "required_experience": items((k.value, v) for k, v in EXPERIENCE_LABELS.items()),
            "required_service_kinds": items(ref.service_kinds.choices()),
            "required_training": items(ref.training.choices()),
            "desirable_skills": items(ref.skills.choices()),
            "conflict_rules": items((k.value, v) for k, v in CONFLICT_LABELS.items()),
        }


class RoleStatusForm(ProjectsForm):
    status = StringField("Status")


# ---------------------------------------------------------------- sessions

TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text_: str) -> dt.time | None:
    """"10:00", "14:30", "9.15", "2pm", "2:30pm" as a time; None when not a time."""
    match = TIME_RE.match(text_.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # "10" alone could be morning or evening
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class SessionForm(ProjectsForm):
    """``version`` carries the session's ``sequence``."""

    error_fields = {"minutes": "hours"}

    day = DateInputField("Date", required="Enter the date of the session")
    start = StringField("Start time", validators=[DataRequired(
        "Enter the start time, like 10:00 or 2:30pm")])
    hours = WholeNumberField("Hours", message="Hours must be a whole number, like 2")
    minutes = WholeNumberField("Minutes", message="Minutes must be a whole number, like 30")
    place = radio("Where", list(PLACE_LABELS.items()), "Select where the session is")
    ward_id = SelectField("Ward", choices=[], validate_choice=False)
    venue = text("Venue", 300)
    papers_ready_on = DateInputField("Date papers will be ready")

    def validate_start(self, field: Field) -> None:
        if field.data and parse_time(field.data) is None:
            raise ValidationError("Enter a real start time, like 10:00 or 2:30pm")

    def validate_minutes(self, field: Field) -> None:
        if field.data is not None and field.data > 59:
            raise ValidationError("Minutes must be 59 or fewer")

    def validate_place(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select where the session is")

    def start_time(self) -> dt.time | None:
        return parse_time(self.start.data or "")

    def length(self) -> int | None:
        hours, minutes = self.hours.data, self.minutes.data
        if hours is None and minutes is None:
            return None
        return (hours or 0) * 60 + (minutes or 0)

    def ward(self) -> int | None:
        value = self.ward_id.data or ""
        return int(value) if value.isdigit() else None


# ---------------------------------------------------------------- ward connections


class ConnectionForm(ProjectsForm):
    ward_id = SelectField("Ward", choices=[], validate_choice=False)
    kind = radio("How are they connected to it?", [(k.value, v) for k, v
                                                    in CONNECTION_LABELS.items()],
                 "Select how they are connected to the ward")

    def validate_ward_id(self, field: Field) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("Select a ward")

    def validate_kind(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Select how they are connected to the ward")
