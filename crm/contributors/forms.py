"""Forms for adding a contributor. Shape only; rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

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
