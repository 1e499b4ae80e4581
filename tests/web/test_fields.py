"""The shared fields and form base in crm/web: one date field with one set of
messages, one whole-number field, one yes/no helper, one versioned form."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from crm.web.fields import (
    DateInputField,
    WholeNumberField,
    anchor_for,
    is_yes,
    yes_no_field,
    yes_or_no,
)
from crm.web.forms import VersionedForm


class _Dates(Form):
    born = DateInputField("Date of birth", required="Enter their date of birth")
    days = WholeNumberField("Notice", message="Enter notice as a whole number of days")
    camera = yes_no_field("Cameras optional?", "Select yes or no")


def _form(**data: str) -> _Dates:
    form = _Dates(MultiDict(data))
    form.validate()
    return form


@pytest.mark.parametrize(("parts", "message", "anchor"), [
    ({}, "Enter their date of birth", "born-day"),
    ({"born-day": "3", "born-year": "1980"}, "Date of birth must include a month",
     "born-month"),
    ({"born-day": "31", "born-month": "2", "born-year": "1980"},
     "Date of birth must be a real date", "born-day"),
    ({"born-day": "3", "born-month": "x", "born-year": "1980"},
     "Date of birth must be a real date", "born-month"),
    ({"born-day": "3", "born-month": "2", "born-year": "80"}, "Year must include 4 numbers",
     "born-year"),
])
def test_date_messages(parts, message, anchor) -> None:
    form = _form(camera="yes", **parts)
    assert form.born.errors == [message]
    assert anchor_for(form.born) == anchor


def test_date_and_number_and_yes_no_read_their_values() -> None:
    form = _form(**{"born-day": "28", "born-month": "2", "born-year": "1980"},
                 days="1,200", camera="no")
    assert form.born.data == dt.date(1980, 2, 28)
    assert form.days.data == 1200
    assert is_yes(form.camera.data) is False and yes_or_no(True) == "yes"
    assert _form(days="1.5", camera="yes").days.errors == [
        "Enter notice as a whole number of days"]
    assert _form(camera="maybe").camera.errors == ["Select yes or no"]
    assert DateInputField.nhsuk_component == "dateInput"


class _Versioned(VersionedForm):
    class Meta:
        csrf = False

    name = StringField("Name")
    born = DateInputField("Date of birth")


def test_versioned_form_base(app) -> None:
    with app.test_request_context(method="POST", data={"version": "3", "born-day": "1"}):
        form = _Versioned()
        form.validate()
        assert form.expected_version == 3
        form.add_error("name", "Enter their name")
        assert form.error_list() == [
            {"text": "Enter their name", "href": "#name"},
            {"text": "Date of birth must include a month and a year", "href": "#born-month"}]
        assert form.has_errors
    with app.test_request_context(method="POST", data={"version": "x"}):
        assert _Versioned().expected_version == -1
