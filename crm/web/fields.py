"""Fields every feature's forms use, each knowing the NHS.UK component that
shows it (``nhsuk_component``, the macro in templates/macros/forms.html).

- ``DateInputField``: day, month and year boxes, with one set of messages
  ("Date of birth must include a month", "... must be a real date").
- ``WholeNumberField``: a whole number in a text box, or nothing.
- ``yes_no_field``, ``is_yes`` and ``yes_or_no``: the one yes/no question.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from wtforms import Field, RadioField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in the stubs
from wtforms.utils import unset_value
from wtforms.widgets import TextInput

DATE_PARTS = ("day", "month", "year")


class DateInputField(Field):
    """A date typed as day, month and year boxes (the NHS date input).

    The one date field: staff and contributor forms both use it, so the
    messages are the same everywhere.

    The boxes are named ``<name>-day``, ``<name>-month`` and ``<name>-year``.
    Errors follow the NHS pattern: "<Label> must include a month", "<Label>
    must be a real date". ``required`` is the message when all boxes are empty.
    """

    nhsuk_component: ClassVar[str] = "dateInput"

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 required: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.parts: dict[str, str] = dict.fromkeys(DATE_PARTS, "")
        self.error_parts: set[str] = set()

    @property
    def anchor(self) -> str:
        first = next((p for p in DATE_PARTS if p in self.error_parts), "day")
        return f"{self.id}-{first}"

    def set(self, value: dt.date | None) -> None:
        self.data = value
        self.parts = ({"day": str(value.day), "month": str(value.month), "year": str(value.year)}
                      if value else dict.fromkeys(DATE_PARTS, ""))

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.error_parts = set()
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.set(data if isinstance(data, dt.date) else None)
        if formdata is None:
            return
        self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip()[:10]
                      for p in DATE_PARTS}
        self.raw_data = [v for v in self.parts.values() if v]
        self.data = None
        name = str(self.label.text)
        missing = [p for p in DATE_PARTS if not self.parts[p]]
        if len(missing) == 3:
            if self.required:
                self.error_parts = set(DATE_PARTS)
                self.process_errors.append(self.required)
            return
        if missing:
            self.error_parts = set(missing)
            self.process_errors.append(
                f"{name} must include a {' and a '.join(missing)}")
            return
        if not all(v.isdigit() for v in self.parts.values()):
            self.error_parts = {p for p in DATE_PARTS if not self.parts[p].isdigit()}
            self.process_errors.append(f"{name} must be a real date")
            return
        if len(self.parts["year"]) != 4:
            self.error_parts = {"year"}
            self.process_errors.append("Year must include 4 numbers")
            return
        try:
            self.data = dt.date(int(self.parts["year"]), int(self.parts["month"]),
                                int(self.parts["day"]))
        except ValueError:
            self.error_parts = set(DATE_PARTS)
            self.process_errors.append(f"{name} must be a real date")


class WholeNumberField(Field):
    """A whole number typed in a text box (inputmode numeric), or nothing."""

    nhsuk_component: ClassVar[str] = "input"
    inputmode: ClassVar[str] = "numeric"
    widget = TextInput()
    data: int | None

    def __init__(self, label: str | None = None, validators: Any = None, *, message: str,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_data(self, value: Any) -> None:
        self.data = value

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        self.data = None
        if not text:
            return
        if not text.isdigit() or len(text) > 6:
            raise ValueError(self.message)
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(label: str = "", message: str = "Select yes or no") -> RadioField:
    """A yes/no question as NHS radios; anything but "yes" or "no" is refused
    with ``message``."""
    return RadioField(label, choices=choices(YES_NO),
                      invalid_choice_message=message)  # type: ignore[call-arg]  # not in the stubs


def is_yes(value: str | None) -> bool:
    return value == "yes"


def yes_or_no(value: bool) -> str:
    return "yes" if value else "no"


def anchor_for(field: Field) -> str:
    """The id of the element an error should link to."""
    if isinstance(field, DateInputField):
        return field.anchor
    return field.id
