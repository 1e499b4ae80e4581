"""My details: name, contact details, date of birth."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
)
from crm.selfservice import forms
from crm.selfservice.questions.base import (
    Apply,
    Question,
    Row,
    given,
)


def _details_of(c: Contributor) -> editing.Details:
    return editing.Details(full_name=c.full_name, preferred_name=c.preferred_name,
                           pronouns=c.pronouns, email=c.email, phone=c.phone,
                           postal_address=c.postal_address, postcode_area=c.postcode_area,
                           date_of_birth=c.date_of_birth)


def details_questions() -> list[Question]:
    def name_change(c: Contributor, f: forms.NameForm) -> Apply:
        d = _details_of(c)
        d.full_name = f.full_name.data or ""
        d.preferred_name = f.preferred_name.data
        d.pronouns = f.pronouns.data
        return editing.set_details(d)

    def contact_change(c: Contributor, f: forms.ContactForm) -> Apply:
        d = _details_of(c)
        d.email, d.phone = f.email.data, f.phone.data
        d.postal_address, d.postcode_area = f.postal_address.data, f.postcode_area.data
        return editing.set_details(d)

    def birth_change(c: Contributor, f: forms.BirthForm) -> Apply:
        d = _details_of(c)
        d.date_of_birth = f.date_of_birth.data
        return editing.set_details(d)

    def birth_initial(c: Contributor) -> dict[str, Any]:
        return {"date_of_birth": c.date_of_birth}

    return [
        Question(
            "details", "name", "my.details_name", "Your name", "Your name", forms.NameForm,
            "selfservice/questions/details_name.html",
            lambda c: {"full_name": c.full_name, "preferred_name": c.preferred_name,
                       "pronouns": c.pronouns},
            name_change,
            lambda c, easy: [
                Row("Your full name", given(c.full_name, easy)),
                Row("Name you like to be called" if easy else "Preferred name",
                    given(c.preferred_name, easy)),
                Row("Pronouns", given(c.pronouns, easy)),
            ], symbol="details"),
        Question(
            "details", "contact", "my.details_contact", "Your contact details",
            "How we reach you", forms.ContactForm, "selfservice/questions/details_contact.html",
            lambda c: {"email": c.email, "phone": c.phone, "postal_address": c.postal_address,
                       "postcode_area": c.postcode_area},
            contact_change,
            lambda c, easy: [
                Row("Email", given(c.email, easy)),
                Row("Phone", given(c.phone, easy)),
                Row("Address" if easy else "Postal address", given(c.postal_address, easy)),
                Row("Start of postcode" if easy else "Postcode district",
                    given(c.postcode_area, easy)),
            ], symbol="contact"),
        Question(
            "details", "date-of-birth", "my.details_birth", "Your date of birth",
            "When you were born", forms.BirthForm, "selfservice/questions/details_birth.html",
            birth_initial, birth_change,
            lambda c, easy: [
                Row("Birthday" if easy else "Date of birth",
                    given(_long_date(c.date_of_birth), easy)),
            ], symbol="calendar"),
    ]


def _long_date(value: dt.date | None) -> str | None:
    return f"{value.day} {value:%B %Y}" if value else None
