"""Forms for adding a contributor. Shape only; rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

TEL_HINT = "For example 07700 900 982"


class NewContributorForm(FlaskForm):
    full_name = StringField("Full name", validators=[
        DataRequired("Enter their full name"),
        Length(max=200, message="Full name must be 200 characters or fewer")])
    preferred_name = StringField("Preferred name (optional)", validators=[
        Optional(), Length(max=100, message="Preferred name must be 100 characters or fewer")])
    email = EmailField("Email address (optional)", validators=[
        Optional(),
        Email("Enter an email address in the correct format, like name@example.com",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    phone = StringField("Phone number (optional)", validators=[
        Optional(), Length(max=40, message="Phone number must be 40 characters or fewer")])
    postcode_area = StringField("Postcode district or area (optional)", validators=[
        Optional(), Length(max=20, message="Postcode district must be 20 characters or fewer")])
    key_contact_id = SelectField("Key contact", coerce=str, validators=[Optional()])


FILE_FORMATS = (("csv", "CSV (for most programs)"), ("xlsx", "Excel (XLSX)"))


class ExportContactForm(FlaskForm):
    """Include the contact details of people who may not be contacted: only
    with a reason, which goes in the audit trail."""

    file_format = RadioField("Which kind of file?", choices=[
        SelectChoice(value, label) for value, label in FILE_FORMATS], default="csv",
        validators=[InputRequired("Choose which kind of file")])
    reason = StringField("Why do you need their contact details?", validators=[
        DataRequired("Say why you need the contact details of people who may not be contacted"),
        Length(min=10, max=120, message="Write your reason in 10 to 120 characters")])
