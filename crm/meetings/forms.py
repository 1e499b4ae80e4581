"""Forms of the meetings pages. Each carries the CSRF token; those that
change a saved row carry its ``version`` (VersionedForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField, ValidationError

from crm.meetings.models import SUPPORT_STATUS_LABELS
from crm.web.fields import DateInputField, choices
from crm.web.forms import VersionedForm


class TickForm(VersionedForm):
    item_key = HiddenField()
    arranged = HiddenField()  # "1" arranged, "0" not yet


class SupportForm(VersionedForm):
    """A pre-meet or check-in for one person (``person`` is their contributor
    id, sent in the form body, never in the URL)."""

    person = HiddenField()
    kind = HiddenField()
    status = RadioField("What happened", choices=choices(
        [(s.value, label) for s, label in SUPPORT_STATUS_LABELS.items()]),
        validate_choice=False)
    note_agreed = BooleanField("They agreed to a note being kept")
    note = TextAreaField("Note (only if they agreed)")

    def validate_status(self, field: RadioField) -> None:
        if field.data not in {s.value for s in SUPPORT_STATUS_LABELS}:
            raise ValidationError("Select what happened")


FEED_WORDS = {"full": ("The role, the project and the place", "What the meeting is, and where"),
              "plain": ('Only "Involvement meeting", the time, and online or in person',
                        'Only "Involvement meeting" and the time')}


class FeedWordsForm(FlaskForm):
    """What the person's calendar feed shows (crm.meetings.services.set_feed_words)."""

    words = RadioField(choices=choices([(k, v[0]) for k, v in FEED_WORDS.items()]),
                       validate_choice=False)

    def validate_words(self, field: RadioField) -> None:
        if field.data not in FEED_WORDS:
            raise ValidationError("Choose what your calendar should show")


class ThoughtForm(FlaskForm):
    body = TextAreaField("Your thoughts")


class LogForm(VersionedForm):
    raised_on = DateInputField("Date it was raised", required="Enter the date it was raised")
    you_said = TextAreaField("You said")
    we_did = TextAreaField("We did (optional)")
    done_on = DateInputField("Date it was done (optional)")
    easy_read_you_said = TextAreaField("You said, in Easy Read (optional)")
    easy_read_we_did = TextAreaField("We did, in Easy Read (optional)")
