"""Forms on a contributor's offer page: their answer, and a question.
Shape only; the rules are crm.matching.offer_replies'."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from crm.matching.offers import QUESTION_MAX
from crm.web.fields import choices


class AnswerForm(FlaskForm):
    reply = RadioField(choices=choices([("yes", "Yes"), ("no", "No"),
                                        ("not_this_time", "Not this time")]),
                       validate_choice=False)

    def validate_reply(self, field: RadioField) -> None:
        if field.data not in ("yes", "no", "not_this_time"):
            raise ValidationError("Choose yes, no or not this time")

    def error_list(self) -> list[dict[str, str]]:
        return [{"text": m, "href": "#reply"} for m in self.reply.errors]


class AskForm(FlaskForm):
    question = TextAreaField(validators=[
        InputRequired("Write your question"),
        Length(max=QUESTION_MAX,
               message=f"Your question must be {QUESTION_MAX} characters or fewer")])

    def error_list(self) -> list[dict[str, str]]:
        return [{"text": m, "href": "#question"} for m in self.question.errors]
