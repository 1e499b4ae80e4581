"""Forms of the messages pages (shape only; rules in crm.messaging.staff)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField


class PrintedForm(FlaskForm):
    """The letters ticked as printed on the print list."""

    message_id = SelectMultipleField(validate_choice=False, coerce=str)

    def ids(self) -> list[int]:
        return [int(v) for v in self.message_id.data or [] if str(v).isdigit()]


class RemindersForm(FlaskForm):
    """The reminders a person wants (ticked) on their own page."""

    wanted = SelectMultipleField(validate_choice=False, coerce=str)
