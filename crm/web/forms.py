"""Forms every feature uses: the one CSRF-only form and the one versioned-form
base. Fields live beside them in crm/web/fields.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, HiddenField

from crm.web.fields import anchor_for

HIDDEN_FIELDS = frozenset({"version", "csrf_token"})


class CsrfForm(FlaskForm):
    """A button that changes something: a form with only the CSRF token.
    The one such form; features do not make their own."""


class VersionedForm(FlaskForm):
    """A form that changes a saved row, carrying the hidden ``version`` the
    page was loaded from so a change made on a stale page is refused rather
    than overwriting someone else's. Gives the NHS error summary its list
    (``error_list``), each message linking to the input it belongs to.

    ``error_fields`` maps a rule's field name (from a service's error) to the
    form field that shows it, where the two differ.
    """

    error_fields: ClassVar[dict[str, str]] = {}

    version = HiddenField()

    @property
    def expected_version(self) -> int:
        """The version this page was loaded from (-1 when missing or altered,
        which is treated as out of date)."""
        try:
            return int(self.version.data or "")
        except ValueError:
            return -1

    def add_error(self, field_name: str | None, message: str) -> None:
        """Attach a rule's message to the right field (else the first one)."""
        name = self.error_fields.get(field_name or "", field_name or "")
        field = getattr(self, name, None) if name else None
        if not isinstance(field, Field) or name in HIDDEN_FIELDS:
            field = next(f for f in self if f.name not in HIDDEN_FIELDS)
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]

    def error_list(self) -> list[dict[str, str]]:
        """Errors for the NHS error summary, each linking to its field."""
        items: list[dict[str, str]] = []
        for field, message in self._errors_with_fields():
            items.append({"text": message, "href": "#" + anchor_for(field)})
        items.extend({"text": m, "href": f"#{href}"} for href, m in self.extra_errors())
        return items

    def extra_errors(self) -> list[tuple[str, str]]:
        """Errors on inputs that are not WTForms fields: (element id, message)."""
        return []

    @property
    def has_errors(self) -> bool:
        return bool(self.error_list())

    def _errors_with_fields(self) -> Iterator[tuple[Field, str]]:
        for field in self:
            if field.name == "csrf_token":
                continue
            if isinstance(field, FieldList):
                for entry in field.entries:
                    for sub in entry.form:
                        for message in sub.errors:
                            yield sub, message
                continue
            for message in field.errors or []:
                if isinstance(message, str):
                    yield field, message
