"""Forms for the ledger: a coordinator's fee amount (with a reason) and the
public body staff declaration, an expense with its receipt, a finance
export's period and a payment's date and reference. Forms check what was
typed; the rules are crm.payments.ledger's and ledger_approval's."""

from __future__ import annotations

import secrets
from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from crm.money import MoneyError, parse_pence
from crm.payments.ledger_models import CLAIM_KIND_LABELS, EXPENSE_KINDS
from crm.web.fields import DateInputField, WholeNumberField, choices
from crm.web.forms import VersionedForm


class MoneyField(StringField):
    """An amount typed in pounds, read into whole pence (``pence``)."""

    pence: int | None = None

    def pre_validate(self, form: Any) -> None:
        self.pence = None
        text = (self.data or "").strip()
        if not text:
            return
        try:
            self.pence = parse_pence(text, str(self.label.text))
        except MoneyError as error:
            raise ValidationError(str(error)) from error


class FeeAmountForm(VersionedForm):
    amount = MoneyField("Amount")
    reason = TextAreaField("Reason for the different amount", validators=[
        Optional(), Length(max=500, message="The reason must be 500 characters or fewer")])

    def validate_amount(self, field: MoneyField) -> None:
        if field.pence is None and not field.errors:
            raise ValidationError("Enter the amount, like 50 or 27.50")


class DeclarationForm(VersionedForm):
    public_body = BooleanField("This person works for a public body (for example the NHS or "
                               "a council)")
    declared = BooleanField("They declared this work is unrelated to their job and done in "
                            "their own time")


class ExpenseForm(VersionedForm):
    contributor = SelectField("Who is claiming", choices=[], validate_choice=False)
    kind = RadioField("What is it for", choices=choices(
        [(k.value, CLAIM_KIND_LABELS[k]) for k in EXPENSE_KINDS]),
        invalid_choice_message="Select what the expense is for")  # type: ignore[call-arg]
    amount = MoneyField("Amount spent")
    miles = WholeNumberField("Miles driven", message="Enter the miles as a whole number, "
                                                     "like 12")
    description = TextAreaField("Details (optional)", validators=[
        Optional(), Length(max=500, message="Details must be 500 characters or fewer")])
    agreed = BooleanField("The taxi was agreed in advance")
    receipt = FileField("Receipt (optional): a photo or a PDF")
    idempotency_key = HiddenField()

    error_fields = {"kind": "kind", "amount": "amount", "miles": "miles",
                    "agreed": "agreed", "receipt": "receipt"}

    def new_key(self) -> None:
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_hex(16)

    def validate_contributor(self, field: SelectField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("Select who is claiming")

    def validate_idempotency_key(self, field: HiddenField) -> None:
        key = field.data or ""
        if not (16 <= len(key) <= 64 and key.isalnum()):
            raise ValidationError("The page had expired. Please try again.")


class ExportForm(VersionedForm):
    start = DateInputField("Start of the period", required="Enter the start of the period")
    end = DateInputField("End of the period", required="Enter the end of the period")


class ApproveForm(VersionedForm):
    """Approve: only the version of the claim finance was shown."""


class PaidForm(VersionedForm):
    paid_on = DateInputField("Day it was paid", required="Enter the day it was paid")
    reference = StringField("Payment reference", validators=[
        Optional(), Length(max=100, message="The reference must be 100 characters or fewer")])
