"""Account forms: they check shape only; rules live in services."""

from __future__ import annotations

from typing import cast

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    StopValidation,
    ValidationError,
)

from crm.permissions import ROLE_LABELS, Role


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
    ])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"),
        Length(max=1024, message="Password is too long"),
    ])


class _NewPasswordMixin:
    new_password = PasswordField("New password", validators=[
        DataRequired("Enter a new password"),
        Length(max=1024, message="Password is too long"),
    ])
    confirm_password = PasswordField("Type your new password again", validators=[
        DataRequired("Type your new password again"),
        EqualTo("new_password", message="The two passwords do not match"),
    ])


class ChangePasswordForm(_NewPasswordMixin, FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"),
        Length(max=1024, message="Password is too long"),
    ])


class SetPasswordForm(_NewPasswordMixin, FlaskForm):
    pass


class _RoleField(SelectField):
    def pre_validate(self, form: object) -> None:
        if not self.data:
            raise StopValidation("Select a role")
        choices = cast("list[tuple[str, str]]", self.choices or [])
        if self.data not in {value for value, _label in choices if value}:
            raise ValidationError("Select a role you are allowed to invite")


class InvitationForm(FlaskForm):
    display_name = StringField("Full name", validators=[
        DataRequired("Enter their full name"),
        Length(max=120, message="Full name must be 120 characters or fewer"),
    ])
    email = EmailField("Email address", validators=[
        DataRequired("Enter their email address"),
        Email("Enter an email address in the correct format, like name@example.nhs.uk",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer"),
    ])
    role = _RoleField("Role", validators=[DataRequired("Select a role")])

    def set_roles(self, roles: list[Role]) -> None:
        # No role is chosen for them: an empty first choice they must change.
        self.role.choices = [("", "Select a role")] + [(r.value, ROLE_LABELS[r]) for r in roles]

