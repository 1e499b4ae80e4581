"""Forms of the batch pages. They check shape only; the batch service
(crm.matching.batches) checks the rules and says what is wrong."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField

from crm.web.fields import WholeNumberField
from crm.web.forms import VersionedForm


class NewBatchForm(FlaskForm):
    """Which open roles, how many roles one person may take, and whether
    every role must be filled."""

    role_ids = SelectMultipleField("Roles", choices=[], coerce=int, validate_choice=False)
    max_roles_per_person = WholeNumberField(
        "Most roles for one person in this batch",
        message="Most roles for one person must be a whole number, like 2")
    fill_every_role = BooleanField("Every role must be filled")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.role_ids.errors and not self.role_ids.data:
            self.role_ids.errors = ["Choose at least one open role"]
            ok = False
        if not self.max_roles_per_person.errors and self.max_roles_per_person.data is None:
            self.max_roles_per_person.errors = ["Enter the most roles for one person, like 2"]
            ok = False
        return ok

    def error_list(self) -> list[dict[str, str]]:
        """For the NHS error summary: the roles link to their first box."""
        items = []
        for field in (self.role_ids, self.max_roles_per_person, self.fill_every_role):
            for message in field.errors or []:
                items.append({"text": str(message), "href": f"#{field.id}"})
        return items


class BatchChangeForm(VersionedForm):
    """Remove or add one person for one role (hidden fields from a button)."""

    role_id = HiddenField()
    contributor_id = HiddenField()

    def ids(self) -> tuple[int, int] | None:
        try:
            return int(self.role_id.data or ""), int(self.contributor_id.data or "")
        except ValueError:
            return None


class BatchActionForm(VersionedForm):
    """Confirm or discard the whole batch."""
