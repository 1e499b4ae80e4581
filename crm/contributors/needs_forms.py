"""Section forms for what a contributor has agreed to and needs: consents,
reasonable adjustments, support in place, and how to communicate with them."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from wtforms import (
    BooleanField,
    SelectField,
)

from crm.contributors import editing
from crm.contributors.models import (
    CHANNEL_LABELS,
    CONSENT_LABELS,
    CONSENT_METHODS,
    FORMAT_LABELS,
    Channel,
    Contributor,
    InformationFormat,
)
from crm.contributors.section_forms import NOTE_LIMIT, SectionForm, checkboxes, radio, text
from crm.reference import Item, reference
from crm.web.fields import YES_NO, DateInputField, WholeNumberField, is_yes, yes_or_no
from crm.web.fields import choices as web_choices

# ---------------------------------------------------------------- consents


class ConsentForm(SectionForm):
    """One consent at a time, so recording one never disturbs another."""

    section = "consents"
    title = "Consent"

    kind = radio("Which consent is this?", [(k.value, v) for k, v in CONSENT_LABELS.items()],
                  "Select which consent this is")
    is_given = radio("Did they give consent?",
                      [("yes", "Yes, they gave consent"), ("no", "No, they did not")],
                      "Select whether they gave consent")
    recorded_on = DateInputField("Date of consent",
                                 required="Enter the date they gave or refused consent")
    method = radio("How was it given?", list(CONSENT_METHODS.items()),
                    "Select how consent was given")
    review_on = DateInputField("Review date")

    def load(self, c: Contributor, kind: str | None = None) -> None:
        super().load(c)
        self.kind.data = kind
        existing = next((x for x in c.consents if x.kind == kind), None)
        if existing is not None:
            self.is_given.data = yes_or_no(existing.is_given)
            self.recorded_on.set(existing.recorded_on)
            self.method.data = existing.method
            self.review_on.set(existing.review_on)

    def to_apply(self) -> editing.Apply:
        return editing.set_consent(self.kind.data or "", is_yes(self.is_given.data),
                                   self.method.data or "", self.recorded_on.data or dt.date.min,
                                   self.review_on.data)


# The page of the adjustments form for "anything else, in their words".
OTHER_GROUP = "other"


def adjustment_group(code: str) -> Item | None:
    return next((g for g in reference().adjustments.groups if g.code == code), None)

# ---------------------------------------------------------------- notes on chosen items


class _NotesMixin:
    """Per-item notes typed under each ticked box (inputs ``<prefix>-<code>``)."""

    note_prefix: ClassVar[str] = "note"
    notes: dict[str, str]
    note_errors: dict[str, str]

    def read_notes(self, formdata: Any, codes: frozenset[str]) -> None:
        self.notes = {code: (formdata.get(f"{self.note_prefix}-{code}") or "").strip()
                      for code in codes if formdata.get(f"{self.note_prefix}-{code}")}
        self.note_errors = {code: f"Each note must be {NOTE_LIMIT} characters or fewer"
                            for code, text in self.notes.items() if len(text) > NOTE_LIMIT}

    def note_id(self, code: str) -> str:
        return f"{self.note_prefix}-{code}"


class AdjustmentsForm(_NotesMixin, SectionForm):
    section = "adjustments"
    title = "Reasonable adjustments"
    note_prefix = "note"
    # Set by only_group() when the page shows one group.
    group: str | None = None
    group_title = ""
    group_codes: frozenset[str] = frozenset()

    adjustments = checkboxes("Reasonable adjustments")
    adjustments_other = text("Other adjustments, in their words", 2000, area=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes, self.note_errors = {}, {}
        if self.is_submitted():
            from flask import request

            self.read_notes(request.form, reference().adjustments.codes)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.adjustments.data = [a.code for a in c.adjustments]
        self.notes = {a.code: a.note for a in c.adjustments if a.note}
        self.adjustments_other.data = c.adjustments_other or ""

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and not self.note_errors

    def extra_errors(self) -> list[tuple[str, str]]:
        return [(self.note_id(code), message) for code, message in self.note_errors.items()]

    def only_group(self, group: str, c: Contributor) -> None:
        """Show and change only one group (or, for ``OTHER_GROUP``, only the
        words of their own); everything else is kept as saved in ``c``."""
        self.group = group
        catalogue = reference().adjustments
        self.group_codes = (frozenset() if group == OTHER_GROUP else
                            frozenset(i.code for i in catalogue.in_group(group)))
        found = adjustment_group(group)
        self.group_title = found.label if found else "Anything else, in their words"
        self.kept = {a.code: a.note or "" for a in c.adjustments
                     if a.code not in self.group_codes}
        self.kept_other = c.adjustments_other

    def to_apply(self) -> editing.Apply:
        chosen = self.adjustments.data or []
        if self.group is None:
            notes = {code: self.notes.get(code, "") for code in chosen}
            return editing.set_adjustments(chosen, notes, self.adjustments_other.data)
        here = [code for code in chosen if code in self.group_codes]
        notes = {**self.kept, **{code: self.notes.get(code, "") for code in here}}
        other = (self.adjustments_other.data if self.group == OTHER_GROUP
                 else self.kept_other)
        return editing.set_adjustments([*self.kept, *here], notes, other)


class SupportForm(_NotesMixin, SectionForm):
    section = "support"
    title = "Support in place"
    note_prefix = "support-note"

    support = checkboxes("Support in place")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes, self.note_errors = {}, {}
        if self.is_submitted():
            from flask import request

            self.read_notes(request.form, reference().support.codes)

    def load(self, c: Contributor) -> None:
        super().load(c)
        self.support.data = [s.kind for s in c.support]
        self.notes = {s.kind: s.note for s in c.support if s.note}

    def validate(self, extra_validators: Any = None) -> bool:
        return super().validate(extra_validators) and not self.note_errors

    def extra_errors(self) -> list[tuple[str, str]]:
        return [(self.note_id(code), message) for code, message in self.note_errors.items()]

    def to_apply(self) -> editing.Apply:
        chosen = self.support.data or []
        return editing.set_support(chosen, {k: self.notes.get(k, "") for k in chosen})


# ---------------------------------------------------------------- communication

RANK_CHOICES = [("", "No preference"), ("1", "1st choice"), ("2", "2nd choice"),
                ("3", "3rd choice"), ("4", "4th choice"), ("never", "Do not use")]


def _rank(label: str) -> SelectField:
    return SelectField(label, choices=web_choices(RANK_CHOICES), default="",
                       invalid_choice_message="Select a choice from the list",  # type: ignore[call-arg]
                       )


class CommunicationForm(SectionForm):
    section = "communication"
    title = "Communication preferences"
    error_fields = {"channel_order": "rank_email", "do_not_use": "rank_email"}

    rank_email = _rank(CHANNEL_LABELS[Channel.EMAIL])
    rank_phone = _rank(CHANNEL_LABELS[Channel.PHONE])
    rank_text = _rank(CHANNEL_LABELS[Channel.TEXT])
    rank_letter = _rank(CHANNEL_LABELS[Channel.LETTER])
    best_times = text("Best times to contact them", 300)
    information_format = radio("What format do they need information in?",
                                [(k.value, v) for k, v in FORMAT_LABELS.items()],
                                "Select a format")
    language = text("Which language?", 80)
    via_supporter = BooleanField("Contact them through a supporter or advocate")
    supporter_name = text("Supporter's name", 200)
    supporter_contact = text("Supporter's contact details", 300)
    papers_days_before = WholeNumberField(
        "How many days before a meeting do they need the papers?",
        message="Enter a whole number of days, like 7")
    camera_optional = radio("Remind them that cameras are optional in online meetings?",
                             YES_NO, "Select yes or no")

    RANK_FIELDS: ClassVar[dict[str, str]] = {
        "rank_email": Channel.EMAIL.value, "rank_phone": Channel.PHONE.value,
        "rank_text": Channel.TEXT.value, "rank_letter": Channel.LETTER.value}

    def load(self, c: Contributor) -> None:
        super().load(c)
        comm = c.communication
        order = list(comm.channel_order or []) if comm else []
        never = list(comm.do_not_use or []) if comm else []
        for name, channel in self.RANK_FIELDS.items():
            field = getattr(self, name)
            field.data = ("never" if channel in never
                          else str(order.index(channel) + 1) if channel in order else "")
        self.best_times.data = (comm.best_times if comm else None) or ""
        self.information_format.data = (comm.information_format if comm
                                        else InformationFormat.STANDARD.value)
        self.language.data = (comm.language if comm else None) or ""
        self.via_supporter.data = bool(comm and comm.via_supporter)
        self.supporter_name.data = (comm.supporter_name if comm else None) or ""
        self.supporter_contact.data = (comm.supporter_contact if comm else None) or ""
        self.papers_days_before.data = comm.papers_days_before if comm else None
        self.camera_optional.data = yes_or_no(comm.camera_optional if comm else True)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        seen: set[str] = set()
        for name in self.RANK_FIELDS:
            field = getattr(self, name)
            if field.data and field.data != "never":
                if field.data in seen and not field.errors:
                    field.errors = ["Give each way of contacting them a different place in "
                                    "the order"]
                    ok = False
                seen.add(field.data)
        return ok

    def to_apply(self) -> editing.Apply:
        ranked = sorted((int(getattr(self, n).data), ch) for n, ch in self.RANK_FIELDS.items()
                        if (getattr(self, n).data or "").isdigit())
        never = [ch for n, ch in self.RANK_FIELDS.items() if getattr(self, n).data == "never"]
        return editing.set_communication(editing.Communication(
            channel_order=[ch for _, ch in ranked],
            do_not_use=never,
            best_times=self.best_times.data,
            information_format=self.information_format.data or "",
            language=self.language.data,
            via_supporter=bool(self.via_supporter.data),
            supporter_name=self.supporter_name.data,
            supporter_contact=self.supporter_contact.data,
            papers_days_before=self.papers_days_before.data,
            camera_optional=is_yes(self.camera_optional.data),
        ))
