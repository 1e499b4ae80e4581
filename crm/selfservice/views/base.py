"""The blueprint for a contributor's own pages and what every page shares:
loading the person's own record, rendering with Easy Read, and putting a
rule's message in the person's own words next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from crm.accounts.models import User
from crm.contributors import access
from crm.contributors.models import (
    DAY_PARTS,
    DAYS,
    AttendanceMode,
    Channel,
    Contributor,
    ExperienceKind,
    InformationFormat,
)
from crm.contributors.own_pages import own as own  # one decorator for every own page
from crm.contributors.services import ContributorError
from crm.db import get_session
from crm.reference import reference
from crm.selfservice import forms
from crm.selfservice.questions import words

bp = Blueprint("my", __name__, url_prefix="/my")

View = Callable[..., Any]

# Choices for the templates.
CHOICES = {
    "channels": [ch.value for ch in Channel],
    "formats": [f.value for f in InformationFormat],
    "attendance": [m.value for m in AttendanceMode],
    "experiences": [k.value for k in ExperienceKind],
    "days": DAYS,
    "parts": DAY_PARTS,
}


# Pages outside /my that a contributor sees in their Easy Read choice, with
# the Easy Read switch, which may bring them back there.
SHARED_PAGES = frozenset({"home.index", "accounts.account", "accounts.change_password",
                          "home.privacy", "home.accessibility"})


# A person's own pages served by another package's blueprint (equality
# monitoring lives apart, behind its own wall); that package adds their
# endpoints here so the Easy Read switch can bring the person back to them.
OWN_PAGES_ELSEWHERE: set[str] = set()


# --- Helpers ----------------------------------------------------------------

def me() -> User:
    return current_user._get_current_object()


def return_to() -> str:
    """Where the Easy Read switch brings the person back to: this page, if it
    is one of ours that can be shown again; otherwise the overview."""
    return safe_return(request.path)


def safe_return(path: str | None) -> str:
    """Only our own pages, never another site: a path on this site whose page
    is one of the person's own (under /my but the download, or one another
    package added to OWN_PAGES_ELSEWHERE), or a shared page they see."""
    if path and path.startswith("/") and "//" not in path and "\\" not in path:
        adapter = current_app.url_map.bind("localhost")
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except HTTPException:
            endpoint = ""
        if (endpoint.startswith("my.") and endpoint != "my.data_json") \
                or endpoint in OWN_PAGES_ELSEWHERE:
            return path
    if path in _shared_paths():
        return path
    return url_for("my.index")


def _shared_paths() -> set[str]:
    return {url_for(endpoint) for endpoint in SHARED_PAGES}


def render(template: str, c: Contributor | None, status: int = 200,
           **context: Any) -> tuple[str, int]:
    easy = bool(c and c.prefers_easy_read)
    return render_template(template, contributor=c, easy=easy, return_to=return_to(),
                           ref=reference(), words=words, choices=CHOICES,
                           **context), status


def not_set_up() -> tuple[str, int]:
    return render("selfservice/not_set_up.html", None, title="Your record is not set up yet",
                  back_href=url_for("home.index"), back_text="Back to home")


# The rules are shared with coordinators' pages and speak about "them"; here
# the person reads about themselves.
OWN_WORDS = {
    "Select how they can take part": "Select how you can take part",
    "A way to contact them cannot be both preferred and not to use":
        "You chose the same way in both lists. Untick it in one of them",
    "Leave at least one way to contact them": "Leave at least one way we can contact you",
    "Enter the name of their supporter or advocate":
        "Enter the name of the person who helps you",
    "Enter a full name": "Enter your full name",
}


def field_error(form: forms.VersionedForm, error: ContributorError) -> None:
    """Put a rule's message next to its field, or at the top if the field is
    not on this page."""
    message = OWN_WORDS.get(error.message, error.message)
    name = error.field
    target = form._fields.get(name) if name and name not in ("version", "then") else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def fresh() -> Contributor:
    """After a failed save, forget what this request did and read the record again."""
    session = get_session()
    session.rollback()
    record = access.own_record(session, me())
    if record is None:
        abort(409)
    return record
