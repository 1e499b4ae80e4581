"""Forms for monitoring questions: one question per page for the person,
and the whole paper form for a coordinator. The choices come from the
question file; the service checks each answer again."""

from __future__ import annotations

from wtforms import RadioField, SelectField
from wtforms.validators import Optional

from crm.equality.questions import Question, QuestionSet
from crm.web.fields import choices
from crm.web.forms import CsrfForm

SAVE, SKIP = "save", "skip"


class AnswerForm(CsrfForm):
    answer = RadioField(validators=[Optional()], validate_choice=False)


def answer_form(question: Question, easy: bool, **kwargs: object) -> AnswerForm:
    form = AnswerForm(**kwargs)
    form.answer.choices = choices([(o.code, o.text(easy)) for o in question.options])
    return form


class PaperForm(CsrfForm):
    """One select per asked question; blank means not answered on paper."""


def paper_form(questions: QuestionSet, **kwargs: object) -> PaperForm:
    fields = {
        q.code: SelectField(q.text, choices=choices(
            [("", "Not answered on the form")]
            + [(o.code, (f"{o.group}: " if o.group else "") + o.label) for o in q.options]),
            validators=[Optional()])
        for q in questions.asked
    }
    form_class = type("PaperFormFor", (PaperForm,), fields)
    return form_class(**kwargs)
