"""Forms of the coordinators' offers pages. Shape only: the rules live in
crm.matching.offers and crm.matching.offer_replies."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from crm.web.fields import choices

REPLY_CHOICES = [("yes", "Yes, they will do it"), ("no", "No"),
                 ("not_this_time", "Not this time (they may want others later)")]


class SendOffersForm(FlaskForm):
    """From the candidates page: the people ticked, and whether to offer
    them the role now or put them on the waiting list."""

    contributor_id = SelectMultipleField(validate_choice=False, coerce=str)
    action = StringField()

    def ids(self) -> list[int]:
        return [int(v) for v in self.contributor_id.data or [] if str(v).isdigit()]


class RecordReplyForm(FlaskForm):
    """A reply the person gave another way (on the phone, in person)."""

    reply = RadioField(choices=choices(REPLY_CHOICES), validate_choice=False)

    def validate_reply(self, field: RadioField) -> None:
        if field.data not in {v for v, _ in REPLY_CHOICES}:
            raise ValidationError("Select their reply")
