"""Forms for the sections of a contributor record (coordinators' pages).

Forms check shape only (something chosen, a real date, a whole number, not
too long); the rules live in ``crm.contributors.editing``, whose ``set_*``
functions each form calls in ``to_apply()``. Every section form carries the
hidden ``version`` the page was loaded from, so an edit made on a stale page
is refused rather than overwriting someone else's change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in the stubs
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from crm.contributors import editing
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
    Channel,
    Contributor,
    InformationFormat,
    Status,
)
from crm.reference import reference

YES_NO = [("yes", "Yes"), ("no", "No")]
NOTE_LIMIT = 500

# ---------------------------------------------------------------- fields

DATE_PARTS = ("day", "month", "year")


class DateInputField(Field):
    """A date typed as day, month and year boxes (the NHS date input).

    The boxes are named ``<name>-day``, ``<name>-month`` and ``<name>-year``.
    Errors follow the NHS pattern: "<Label> must include a month", "<Label>
    must be a real date". ``required`` is the message when all boxes are empty.
    """

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 required: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.parts: dict[str, str] = dict.fromkeys(DATE_PARTS, "")
        self.error_parts: set[str] = set()

    @property
    def anchor(self) -> str:
        first = next((p for p in DATE_PARTS if p in self.error_parts), "day")
        return f"{self.id}-{first}"

    def set(self, value: dt.date | None) -> None:
        self.data = value
        self.parts = ({"day": str(value.day), "month": str(value.month), "year": str(value.year)}
                      if value else dict.fromkeys(DATE_PARTS, ""))

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.error_parts = set()
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.set(data if isinstance(data, dt.date) else None)
        if formdata is None:
            return
        self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip()[:10]
                      for p in DATE_PARTS}
        self.raw_data = [v for v in self.parts.values() if v]
        self.data = None
        name = str(self.label.text)
        missing = [p for p in DATE_PARTS if not self.parts[p]]
        if len(missing) == 3:
            if self.required:
                self.error_parts = set(DATE_PARTS)
                self.process_errors.append(self.required)
            return
        if missing:
            self.error_parts = set(missing)
            self.process_errors.append(
                f"{name} must include a {' and a '.join(missing)}")
            return
        if not all(v.isdigit() for v in self.parts.values()):
            self.error_parts = {p for p in DATE_PARTS if not self.parts[p].isdigit()}
            self.process_errors.append(f"{name} must be a real date")
            return
        if len(self.parts["year"]) != 4:
            self.error_parts = {"year"}
            self.process_errors.append("Year must include 4 numbers")
            return
        try:
            self.data = dt.date(int(self.parts["year"]), int(self.parts["month"]),
                                int(self.parts["day"]))
        except ValueError:
            self.error_parts = set(DATE_PARTS)
            self.process_errors.append(f"{name} must be a real date")


class WholeNumberField(Field):
    """A whole number typed in a text box (inputmode numeric), or nothing."""

    widget = TextInput()
    data: int | None

    def __init__(self, label: str | None = None, validators: Any = None, *, message: str,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_data(self, value: Any) -> None:
        self.data = value

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        self.data = None
        if not text:
            return
        if not text.isdigit() or len(text) > 6:
            raise ValueError(self.message)
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _radio(label: str, choices: list[tuple[str, str]], message: str) -> RadioField:
    return RadioField(label, choices=_choices(choices),
                      invalid_choice_message=message)  # type: ignore[call-arg]  # not in the stubs


def _checkboxes(label: str) -> SelectMultipleField:
    # Choices are checked against the catalogue by editing.py, with a plain message.
    return SelectMultipleField(label, choices=[], validate_choice=False)


def _text(label: str, limit: int, *, area: bool = False) -> Field:
    kind = TextAreaField if area else StringField
    return kind(label, validators=[
        Optional(), Length(max=limit, message=f"{label} must be {limit} characters or fewer")])


def _yes(value: str | None) -> bool:
    return value == "yes"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# ---------------------------------------------------------------- base form


class SectionForm(FlaskForm):
    """One section of the record. Subclasses say what they edit."""

    section: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # Field names in ContributorError.field that belong to another form field.
    error_fields: ClassVar[dict[str, str]] = {}

    version = HiddenField()

    def load(self, c: Contributor) -> None:
        """Fill the form from the saved record (for a GET)."""
        self.version.data = str(c.version)

    def to_apply(self) -> editing.Apply:
        raise NotImplementedError

    @property
    def expected_version(self) -> int:
        """The version this page was loaded from (-1 when missing or altered,
        which is treated as out of date)."""
        try:
            return int(self.version.data or "")
        except ValueError:
            return -1

    def add_error(self, field_name: str | None, message: str) -> None:
        """Attach a rule's message (``ContributorError``) to the right field."""
        name = self.error_fields.get(field_name or "", field_name or "")
        field = getattr(self, name, None) if name else None
        if not isinstance(field, Field) or name in {"version", "csrf_token"}:
            field = next(f for f in self if f.name not in {"version", "csrf_token"})
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]

    def error_list(self) -> list[dict[str, str]]:
        """Errors for the NHS error summary, each linking to its field."""
        items: list[dict[str, str]] = []
        for field, message in self._errors_with_fields():
            items.append({"text": message, "href": "#" + anchor_for(field)})
        items.extend({"text": m, "href": f"#{href}"} for href, m in self.extra_errors())
        return items

    def extra_errors(self) -> list[tuple[str, str]]:
        """Errors on inputs that are not WTForms fields: (element id, message)."""
        return []

    @property
    def has_errors(self) -> bool:
        return bool(self.error_list())

    def _errors_with_fields(self) -> Iterator[tuple[Field, str]]:
        for field in self:
            if field.name in {"csrf_token"}:
                continue
            if isinstance(field, FieldList):
                for entry in field.entries:
                    for sub in entry.form:
                        for message in sub.errors:
                            yield sub, message
                continue
            for message in field.errors or []:
                if isinstance(message, str):
                    yield field, message


def anchor_for(field: Field) -> str:
    """The id of the element an error should link to."""
    if isinstance(field, DateInputField):
        return field.anchor
    return field.id


# ---------------------------------------------------------------- details


class DetailsForm(SectionForm):
    section = "details"
    title = "Personal details"

    full_name = StringField("Full name", validators=[
        DataRequired("Enter their full name"),
        Length(max=200, message="Full name must be 200 characters or fewer")])
    preferred_name = _text("Preferred name", 100)
    pronouns = _text("Pronouns", 50)
    email = EmailField("Email address", validators=[
        Optional(),
        Email("Enter an email address in the correct format, like name@example.com",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    phone = _text("Phone number", 40)
    postal_address = _text("Postal address", 500, area=True)
    postcode_area = _text("Postcode district", 20)
    date_of_birth = DateInputField("Date of birth")

    def load(self, c: Contributor) -> None:
        super().load(c)
        for name in ("full_name", "preferred_name", "pronouns", "email", "phone",
                     "postal_address", "postcode_area"):
            getattr(self, name).data = getattr(c, name) or ""
        self.date_of_birth.set(c.date_of_birth)

    def to_apply(self) -> editing.Apply:
        return editing.set_details(editing.Details(
            full_name=self.full_name.data or "",
            preferred_name=self.preferred_name.data,
            pronouns=self.pronouns.data,
            email=self.email.data,
            phone=self.phone.data,
            postal_address=self.postal_address.data,
            postcode_area=self.postcode_area.data,
            date_of_birth=self.date_of_birth.data,
        ))


# ---------------------------------------------------------------- experience


class ExperienceForm(SectionForm):
    section = "experience"
    title = "Lived experience"

    experiences = _checkboxes("Their experience")
    service_kinds = _checkboxes("Services they know")
    what_i_bring = _text("What they bring", 2000, area=True)
    prefers_living_experience = BooleanField("They prefer to say \u201cliving experience\u201d")

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.experiences.data = [e.kind for e in c.experiences]
        self.service_kinds.data = [s.code for s in c.service_kinds]
        self.what_i_bring.data = c.what_i_bring or ""
        self.prefers_living_experience.data = c.prefers_living_experience

    def to_apply(self) -> editing.Apply:
        return editing.set_experience(self.experiences.data or [],
                                      self.service_kinds.data or [],
                                      self.what_i_bring.data,
                                      bool(self.prefers_living_experience.data))

    @staticmethod
    def experience_items() -> list[tuple[str, str]]:
        return [(k.value, label) for k, label in EXPERIENCE_LABELS.items()]


# ---------------------------------------------------------------- skills


class SkillsForm(SectionForm):
    section = "skills"
    title = "Skills and interests"

    skills = _checkboxes("Skills and interests")
    other_skills = TextAreaField("Other skills or interests, in their words", validators=[
        Optional(), Length(max=2100, message="Other skills must be 2,000 characters or fewer")])

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.skills.data = [s.code for s in c.skills if s.code]
        self.other_skills.data = "\n".join(s.label for s in c.skills if not s.code and s.label)

    def to_apply(self) -> editing.Apply:
        others = (self.other_skills.data or "").splitlines()
        return editing.set_skills(self.skills.data or [], others)


# ---------------------------------------------------------------- availability


class AvailabilityForm(SectionForm):
    section = "availability"
    title = "Availability"
    error_fields = {"slots": "slots"}

    slots = _checkboxes("When they are usually free")
    attendance_mode = _radio("How can they take part?",
                             [(k.value, v) for k, v in ATTENDANCE_LABELS.items()],
                             "Select how they can take part")
    travel_max_miles = WholeNumberField(
        "How far can they travel?", message="Travel distance must be a whole number of miles, "
        "like 10")
    notice_days = WholeNumberField(
        "How much notice do they need?", message="Notice must be a whole number of days, like 7")
    availability_note = _text("Anything else about when they can take part", 1000, area=True)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.slots.data = [f"{a.day} {a.part}" for a in c.availability]
        self.attendance_mode.data = c.attendance_mode
        self.travel_max_miles.data = c.travel_max_miles
        self.notice_days.data = c.notice_days
        self.availability_note.data = c.availability_note or ""

    def to_apply(self) -> editing.Apply:
        return editing.set_availability(self.slots.data or [], self.attendance_mode.data or "",
                                        self.travel_max_miles.data, self.notice_days.data,
                                        self.availability_note.data)

    @staticmethod
    def grid() -> list[tuple[str, list[str]]]:
        return [(day, [f"{day} {part}" for part in DAY_PARTS]) for day in DAYS]


# ---------------------------------------------------------------- status


class StatusForm(SectionForm):
    section = "status"
    title = "Status and key contact"

    status = _radio("Status", [(k.value, v) for k, v in STATUS_LABELS.items()],
                    "Select a status")
    paused_until = DateInputField("Return date")
    left_on = DateInputField("Date they left")
    key_contact_id = SelectField("Key contact", choices=[], validate_choice=False)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.status.data = c.status
        self.paused_until.set(c.paused_until)
        self.left_on.set(c.left_on)
        self.key_contact_id.data = str(c.key_contact_id or "")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        # A date only matters for the status it belongs to (the other may be
        # hidden on the page, left over from an earlier choice).
        if self.status.data != Status.PAUSED:
            self.paused_until.errors = []
        if self.status.data != Status.LEFT:
            self.left_on.errors = []
        return ok or not any(f.errors for f in self)

    def validate_key_contact_id(self, field: Field) -> None:
        allowed = {choice.value for choice in field.iter_choices()}  # type: ignore[attr-defined]
        if (field.data or "") not in allowed:
            raise ValidationError("Select a key contact from the list")

    def to_apply(self) -> editing.Apply:
        key = self.key_contact_id.data
        return editing.set_status(self.status.data or "",
                                  self.paused_until.data if self.status.data == Status.PAUSED
                                  else None,
                                  self.left_on.data if self.status.data == Status.LEFT else None,
                                  int(key) if key else None)


# ---------------------------------------------------------------- affiliations


class OrganisationForm(Form):
    name = StringField("Name of the organisation", validators=[
        Optional(), Length(max=200, message="Organisation name must be 200 characters or fewer")])
    user_led = BooleanField("It is user-led (run by people with lived experience)")


class AffiliationsForm(SectionForm):
    section = "affiliations"
    title = "Peer work and organisations"
    error_fields = {"organisations": "organisations"}

    is_peer_support_worker = BooleanField("They work as a peer support worker")
    peer_employer = _text("Who employs them as a peer support worker?", 200)
    organisations = FieldList(FormField(OrganisationForm), min_entries=3, max_entries=30)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.is_peer_support_worker.data = c.is_peer_support_worker
        self.peer_employer.data = c.peer_employer or ""
        while self.organisations.entries:
            self.organisations.pop_entry()
        for a in c.affiliations:
            self.organisations.append_entry({"name": a.organisation, "user_led": a.is_user_led})
        for _ in range(2 if c.affiliations else 3):
            self.organisations.append_entry()

    def add_error(self, field_name: str | None, message: str) -> None:
        if field_name == "organisations":
            for entry in self.organisations.entries:
                if len((entry.form.name.data or "").strip()) > 200:
                    entry.form.name.errors = [message]
                    return
            self.organisations.entries[0].form.name.errors = [message]
            return
        super().add_error(field_name, message)

    def to_apply(self) -> editing.Apply:
        rows = [(e.form.name.data or "", bool(e.form.user_led.data))
                for e in self.organisations.entries]
        return editing.set_affiliations(bool(self.is_peer_support_worker.data),
                                        self.peer_employer.data, rows)


# ---------------------------------------------------------------- consents


class ConsentForm(SectionForm):
    """One consent at a time, so recording one never disturbs another."""

    section = "consents"
    title = "Consent"

    kind = _radio("Which consent is this?", [(k.value, v) for k, v in CONSENT_LABELS.items()],
                  "Select which consent this is")
    is_given = _radio("Did they give consent?",
                      [("yes", "Yes, they gave consent"), ("no", "No, they did not")],
                      "Select whether they gave consent")
    recorded_on = DateInputField("Date of consent",
                                 required="Enter the date they gave or refused consent")
    method = _radio("How was it given?", list(CONSENT_METHODS.items()),
                    "Select how consent was given")
    review_on = DateInputField("Review date")

    def load(self, c: Contributor, kind: str | None = None) -> None:
        super().load(c)
        self.kind.data = kind
        existing = next((x for x in c.consents if x.kind == kind), None)
        if existing is not None:
            self.is_given.data = _yes_no(existing.is_given)
            self.recorded_on.set(existing.recorded_on)
            self.method.data = existing.method
            self.review_on.set(existing.review_on)

    def to_apply(self) -> editing.Apply:
        return editing.set_consent(self.kind.data or "", _yes(self.is_given.data),
                                   self.method.data or "", self.recorded_on.data or dt.date.min,
                                   self.review_on.data)


# ---------------------------------------------------------------- notes on chosen items


class _NotesMixin:
    """Per-item notes typed under each ticked box (inputs ``<prefix>-<code>``)."""

    note_prefix: ClassVar[str] = "note"
    notes: dict[str, str]
    note_errors: dict[str, str]

    def read_notes(self, formdata: Any, codes: frozenset[str]) -> None:
        self.notes = {code: (formdata.get(f"{self.note_prefix}-{code}") or "").strip()
                      for code in codes if formdata.get(f"{self.note_prefix}-{code}")}
        self.note_errors = {code: f"Each note must be {NOTE_LIMIT} characters or fewer"
                            for code, text in self.notes.items() if len(text) > NOTE_LIMIT}

    def note_id(self, code: str) -> str:
        return f"{self.note_prefix}-{code}"


class AdjustmentsForm(_NotesMixin, SectionForm):
    section = "adjustments"
    title = "Reasonable adjustments"
    note_prefix = "note"

    adjustments = _checkboxes("Reasonable adjustments")
    adjustments_other = _text("Other adjustments, in their words", 2000, area=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes, self.note_errors = {}, {}
        if self.is_submitted():
            from flask import request

            self.read_notes(request.form, reference().adjustments.codes)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.adjustments.data = [a.code for a in c.adjustments]
        self.notes = {a.code: a.note for a in c.adjustments if a.note}
        self.adjustments_other.data = c.adjustments_other or ""

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and not self.note_errors

    def extra_errors(self) -> list[tuple[str, str]]:
        return [(self.note_id(code), message) for code, message in self.note_errors.items()]

    def to_apply(self) -> editing.Apply:
        chosen = self.adjustments.data or []
        notes = {code: self.notes.get(code, "") for code in chosen}
        return editing.set_adjustments(chosen, notes, self.adjustments_other.data)


class SupportForm(_NotesMixin, SectionForm):
    section = "support"
    title = "Support in place"
    note_prefix = "support-note"

    support = _checkboxes("Support in place")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes, self.note_errors = {}, {}
        if self.is_submitted():
            from flask import request

            self.read_notes(request.form, reference().support.codes)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.support.data = [s.kind for s in c.support]
        self.notes = {s.kind: s.note for s in c.support if s.note}

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and not self.note_errors

    def extra_errors(self) -> list[tuple[str, str]]:
        return [(self.note_id(code), message) for code, message in self.note_errors.items()]

    def to_apply(self) -> editing.Apply:
        chosen = self.support.data or []
        return editing.set_support(chosen, {k: self.notes.get(k, "") for k in chosen})


# ---------------------------------------------------------------- communication

RANK_CHOICES = [("", "No preference"), ("1", "1st choice"), ("2", "2nd choice"),
                ("3", "3rd choice"), ("4", "4th choice"), ("never", "Do not use")]


def _rank(label: str) -> SelectField:
    return SelectField(label, choices=_choices(RANK_CHOICES), default="",
                       invalid_choice_message="Select a choice from the list",  # type: ignore[call-arg]
                       )


class CommunicationForm(SectionForm):
    section = "communication"
    title = "Communication preferences"
    error_fields = {"channel_order": "rank_email", "do_not_use": "rank_email"}

    rank_email = _rank(CHANNEL_LABELS[Channel.EMAIL])
    rank_phone = _rank(CHANNEL_LABELS[Channel.PHONE])
    rank_text = _rank(CHANNEL_LABELS[Channel.TEXT])
    rank_letter = _rank(CHANNEL_LABELS[Channel.LETTER])
    best_times = _text("Best times to contact them", 300)
    information_format = _radio("What format do they need information in?",
                                [(k.value, v) for k, v in FORMAT_LABELS.items()],
                                "Select a format")
    language = _text("Which language?", 80)
    via_supporter = BooleanField("Contact them through a supporter or advocate")
    supporter_name = _text("Supporter's name", 200)
    supporter_contact = _text("Supporter's contact details", 300)
    papers_days_before = WholeNumberField(
        "How many days before a meeting do they need the papers?",
        message="Enter a whole number of days, like 7")
    camera_optional = _radio("Remind them that cameras are optional in online meetings?",
                             YES_NO, "Select yes or no")

    RANK_FIELDS: ClassVar[dict[str, str]] = {
        "rank_email": Channel.EMAIL.value, "rank_phone": Channel.PHONE.value,
        "rank_text": Channel.TEXT.value, "rank_letter": Channel.LETTER.value}

    def load(self, c: Contributor) -> None:
        super().load(c)
        comm = c.communication
        order = list(comm.channel_order or []) if comm else []
        never = list(comm.do_not_use or []) if comm else []
        for name, channel in self.RANK_FIELDS.items():
            field = getattr(self, name)
            field.data = ("never" if channel in never
                          else str(order.index(channel) + 1) if channel in order else "")
        self.best_times.data = (comm.best_times if comm else None) or ""
        self.information_format.data = (comm.information_format if comm
                                        else InformationFormat.STANDARD.value)
        self.language.data = (comm.language if comm else None) or ""
        self.via_supporter.data = bool(comm and comm.via_supporter)
        self.supporter_name.data = (comm.supporter_name if comm else None) or ""
        self.supporter_contact.data = (comm.supporter_contact if comm else None) or ""
        self.papers_days_before.data = comm.papers_days_before if comm else None
        self.camera_optional.data = _yes_no(comm.camera_optional if comm else True)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        seen: set[str] = set()
        for name in self.RANK_FIELDS:
            field = getattr(self, name)
            if field.data and field.data != "never":
                if field.data in seen and not field.errors:
                    field.errors = ["Give each way of contacting them a different place in "
                                    "the order"]
                    ok = False
                seen.add(field.data)
        return ok

    def to_apply(self) -> editing.Apply:
        ranked = sorted((int(getattr(self, n).data), ch) for n, ch in self.RANK_FIELDS.items()
                        if (getattr(self, n).data or "").isdigit())
        never = [ch for n, ch in self.RANK_FIELDS.items() if getattr(self, n).data == "never"]
        return editing.set_communication(editing.Communication(
            channel_order=[ch for _, ch in ranked],
            do_not_use=never,
            best_times=self.best_times.data,
            information_format=self.information_format.data or "",
            language=self.language.data,
            via_supporter=bool(self.via_supporter.data),
            supporter_name=self.supporter_name.data,
            supporter_contact=self.supporter_contact.data,
            papers_days_before=self.papers_days_before.data,
            camera_optional=_yes(self.camera_optional.data),
        ))


# ---------------------------------------------------------------- the other forms


class TrainingForm(SectionForm):
    """Adding a completed course. Adding never overwrites anything, so it is
    not checked against the loaded version."""

    section = "training"
    title = "Add training"

    course_code = SelectField("Course", choices=[], validate_choice=False)
    completed_on = DateInputField("Date completed",
                                  required="Enter the date they completed the course")
    provider = _text("Who ran the course", 200)
    note = _text("Note", 500, area=True)

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


SECTION_FORMS: dict[str, type[SectionForm]] = {
    form.section: form for form in (
        DetailsForm, ExperienceForm, SkillsForm, AvailabilityForm, StatusForm,
        AffiliationsForm, ConsentForm, AdjustmentsForm, CommunicationForm, SupportForm)
}
