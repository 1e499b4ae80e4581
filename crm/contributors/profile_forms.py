"""Section forms for who a contributor is: details, experience, skills,
availability, status and the organisations they belong to."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from crm.contributors import editing
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    DAY_PARTS,
    DAYS,
    EXPERIENCE_LABELS,
    STATUS_LABELS,
    Contributor,
    Status,
)
from crm.contributors.section_forms import SectionForm, checkboxes, radio, text
from crm.web.fields import DateInputField, WholeNumberField

# ---------------------------------------------------------------- details


class DetailsForm(SectionForm):
    section = "details"
    title = "Personal details"

    full_name = StringField("Full name", validators=[
        DataRequired("Enter their full name"),
        Length(max=200, message="Full name must be 200 characters or fewer")])
    preferred_name = text("Preferred name", 100)
    pronouns = text("Pronouns", 50)
    email = EmailField("Email address", validators=[
        Optional(),
        Email("Enter an email address in the correct format, like name@example.com",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    phone = text("Phone number", 40)
    postal_address = text("Postal address", 500, area=True)
    postcode_area = text("Postcode district", 20)
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

    experiences = checkboxes("Their experience")
    service_kinds = checkboxes("Services they know")
    what_i_bring = text("What they bring", 2000, area=True)
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

    skills = checkboxes("Skills and interests")
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

    slots = checkboxes("When they are usually free")
    attendance_mode = radio("How can they take part?",
                             [(k.value, v) for k, v in ATTENDANCE_LABELS.items()],
                             "Select how they can take part")
    travel_max_miles = WholeNumberField(
        "How far can they travel?", message="Travel distance must be a whole number of miles, "
        "like 10")
    notice_days = WholeNumberField(
        "How much notice do they need?", message="Notice must be a whole number of days, like 7")
    availability_note = text("Anything else about when they can take part", 1000, area=True)

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

    status = radio("Status", [(k.value, v) for k, v in STATUS_LABELS.items()],
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
    peer_employer = text("Who employs them as a peer support worker?", 200)
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
