"""Forms for payment choices, benefits, the vouchers conversation and one
offer's fee choice. Shape and typing only; the rules are choice_services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from crm.money import MoneyError, parse_pence
from crm.payments.benefits import BENEFIT_LABELS, DISREGARD_LEVELS, LIMIT_PERIODS, WEEKDAYS
from crm.payments.choice_config import routes_config
from crm.payments.choice_models import FeeChoiceKind, FeeMode, WhenPaid
from crm.payments.choice_services import BenefitsInput, ChoicesInput, FeeChoiceInput
from crm.web.fields import DateInputField, WholeNumberField, choices, is_yes, yes_no_field
from crm.web.forms import VersionedForm

FEE_MODE_WORDS = {
    FeeMode.FEES.value: ("Pay me my fees", "Pay me."),
    FeeMode.DECLINE.value: ("I do not want to be paid fees", "Do not pay me."),
    FeeMode.CHARITY.value: ("Pay my fees to a charity", "Pay a charity instead of me."),
    FeeMode.VOUCHERS.value: ("Pay me in vouchers", "Give me vouchers."),
    FeeMode.EXPENSES_ONLY.value: ("Pay my expenses only, no fees", "Pay my costs only."),
}
WHEN_WORDS = {
    WhenPaid.AFTER_EACH.value: ("After each activity", "After each time."),
    WhenPaid.MONTHLY.value: ("Once a month", "Once a month."),
    WhenPaid.CHOSEN_DATES.value: ("On days of the month I choose", "On days I choose."),
}
FEE_CHOICE_WORDS = {
    FeeChoiceKind.ACCEPT.value: ("Pay me the full fee", "Pay me all of it."),
    FeeChoiceKind.TAKE_LESS.value: ("Pay me less", "Pay me less."),
    FeeChoiceKind.DECLINE.value: ("Do not pay me a fee", "Do not pay me."),
    FeeChoiceKind.CHARITY.value: ("Pay the fee to a charity", "Pay a charity."),
    FeeChoiceKind.EXPENSES_ONLY.value: ("Pay my expenses only", "Pay my costs only."),
    FeeChoiceKind.OTHER_PERIOD.value: ("Pay me on a later date I choose",
                                       "Pay me on another day."),
}
# The same choices as a coordinator records them for someone.
FEE_CHOICE_STAFF_WORDS = {
    FeeChoiceKind.ACCEPT.value: "The full fee",
    FeeChoiceKind.TAKE_LESS.value: "Less than the full fee",
    FeeChoiceKind.DECLINE.value: "No fee",
    FeeChoiceKind.CHARITY.value: "The fee paid to a charity",
    FeeChoiceKind.EXPENSES_ONLY.value: "Expenses only",
    FeeChoiceKind.OTHER_PERIOD.value: "Paid on a later date they chose",
}


def _money(form_field: StringField, what: str) -> int | None:
    text = (form_field.data or "").strip()
    if not text:
        return None
    try:
        return parse_pence(text, what)
    except MoneyError as error:
        form_field.errors = [str(error)]
        raise


class ChoicesForm(VersionedForm):
    route = RadioField(validate_choice=False)
    fee_mode = RadioField(validate_choice=False,
                          choices=choices([(k, v[0]) for k, v in FEE_MODE_WORDS.items()]))
    charity_name = StringField()
    when_paid = RadioField(validate_choice=False,
                           choices=choices([(k, v[0]) for k, v in WHEN_WORDS.items()]))
    chosen_days = StringField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.route.choices = choices([(r.code, r.label) for r in routes_config().routes])

    def to_input(self) -> ChoicesInput | None:
        days: list[int] = []
        text = (self.chosen_days.data or "").replace(" and ", ",").replace(" ", ",")
        for part in filter(None, (p.strip() for p in text.split(","))):
            if not part.isdigit():
                self.chosen_days.errors = ["Write days of the month as numbers, like 1, 15"]
                return None
            days.append(int(part))
        return ChoicesInput(route=self.route.data or None,
                            fee_mode=self.fee_mode.data or FeeMode.FEES.value,
                            charity_name=self.charity_name.data,
                            when_paid=self.when_paid.data or WhenPaid.AFTER_EACH.value,
                            chosen_days=days)


class BenefitsForm(VersionedForm):
    consent = yes_no_field("", "Say yes or no")
    benefits = SelectMultipleField(validate_choice=False,
                                   choices=choices(list(BENEFIT_LABELS.items())))
    week_day = SelectField(validate_choice=False, choices=choices(
        [("", "I do not know"), *((str(i), d) for i, d in enumerate(WEEKDAYS))]))
    assessment_day = WholeNumberField(message="Write the day as a number from 1 to 31")
    disregard_level = RadioField(validate_choice=False,
                                 choices=choices(list(DISREGARD_LEVELS.items())))
    limit_amount = StringField()
    limit_period = RadioField(validate_choice=False, choices=choices(
        [(k, v) for k, v in LIMIT_PERIODS.items()]))

    def to_input(self) -> BenefitsInput | None:
        try:
            limit = _money(self.limit_amount, "Your limit")
        except MoneyError:
            return None
        week = self.week_day.data
        return BenefitsInput(consent=is_yes(self.consent.data),
                             benefits=list(self.benefits.data or []),
                             week_day=int(week) if week and week.isdigit() else None,
                             assessment_day=self.assessment_day.data,
                             disregard_level=self.disregard_level.data or "single",
                             limit_pence=limit,
                             limit_period=(self.limit_period.data or None) if limit is not None
                             else None)


class ConversationForm(VersionedForm):
    conversation_on = DateInputField("Date of the conversation",
                                     required="Enter the date you talked")
    conversation_note = TextAreaField()


class FeeChoiceForm(FlaskForm):
    """The person's choice about one offer's fee, sent with their answer
    (the answer form carries the CSRF token)."""

    class Meta:
        csrf = False

    fee_choice = RadioField(validate_choice=False,
                            choices=choices([(k, v[0]) for k, v in FEE_CHOICE_WORDS.items()]))
    fee_amount = StringField()
    fee_charity = StringField()
    fee_pay_on = DateInputField("The date")

    def to_input(self) -> FeeChoiceInput | None:
        kind = self.fee_choice.data or FeeChoiceKind.ACCEPT.value
        if kind not in FEE_CHOICE_WORDS:
            self.fee_choice.errors = ["Choose what you would like to happen to the fee"]
            return None
        amount = None
        if kind == FeeChoiceKind.TAKE_LESS.value:
            try:
                amount = _money(self.fee_amount, "The amount")
            except MoneyError:
                return None
        if self.fee_pay_on.errors and kind == FeeChoiceKind.OTHER_PERIOD.value:
            return None
        pay_on: dt.date | None = self.fee_pay_on.data
        return FeeChoiceInput(kind=kind, amount_pence=amount, charity_name=self.fee_charity.data,
                              pay_on=pay_on)

    def error_list(self) -> list[dict[str, str]]:
        out = []
        for name in ("fee_choice", "fee_amount", "fee_charity"):
            out += [{"text": m, "href": f"#{name}"} for m in getattr(self, name).errors]
        out += [{"text": m, "href": f"#{self.fee_pay_on.anchor}"} for m in self.fee_pay_on.errors]
        return out


class SessionFeeForm(FeeChoiceForm):
    """One planned session's fee choice on its own page, with what the editor
    saw (choice_services.fee_choice_stamp): a change made meanwhile is told,
    not overwritten. (The app's CSRF protection checks every POST.)"""

    stamp = HiddenField()


__all__ = ["BenefitsForm", "ChoicesForm", "ConversationForm", "FEE_CHOICE_STAFF_WORDS",
           "FEE_CHOICE_WORDS",
           "FEE_MODE_WORDS", "FeeChoiceForm", "SessionFeeForm", "WHEN_WORDS"]
