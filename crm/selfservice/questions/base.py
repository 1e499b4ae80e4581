"""The shapes shared by every section: a question, a section, and the rows
on its "check your answers" page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
)
from crm.selfservice import forms

Apply = editing.Apply

NOT_GIVEN = "Not given"


# --- Rows on "check your answers" pages -------------------------------------

@dataclass
class Row:
    key: str
    lines: list[str]


def given(value: object, easy: bool) -> list[str]:
    if value is None or value == "":
        return [NOT_GIVEN]
    return [str(value)]


def listed(values: list[str], easy: bool, none: str = "None chosen") -> list[str]:
    return values or [none]


# --- Questions --------------------------------------------------------------

@dataclass
class Question:
    """One page with one question. ``endpoint`` is in the ``my`` blueprint;
    ``args`` are its query-string arguments (never a record id)."""

    section: str
    slug: str
    endpoint: str
    title: str
    easy_title: str
    form_class: type[forms.VersionedForm]
    template: str
    initial: Callable[[Contributor], dict[str, Any]]
    change: Callable[[Contributor, Any], Apply]
    rows: Callable[[Contributor, bool], list[Row]]
    args: dict[str, str] = field(default_factory=dict)
    symbol: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def heading(self, easy: bool) -> str:
        return self.easy_title if easy else self.title


@dataclass
class Section:
    key: str
    title: str
    easy_title: str
    summary_endpoint: str
    symbol: str
    questions: Callable[[], list[Question]]

    def heading(self, easy: bool) -> str:
        return self.easy_title if easy else self.title

    def find(self, endpoint: str, args: dict[str, str]) -> Question | None:
        for q in self.questions():
            if q.endpoint == endpoint and all(args.get(k) == v for k, v in q.args.items()):
                return q
        # A question reached without its arguments (such as the first
        # adjustments group): the first question with that endpoint.
        return next((q for q in self.questions() if q.endpoint == endpoint), None)

    def after(self, q: Question) -> Question | None:
        qs = self.questions()
        i = _index(qs, q)
        return qs[i + 1] if i + 1 < len(qs) else None

    def before(self, q: Question) -> Question | None:
        qs = self.questions()
        i = _index(qs, q)
        return qs[i - 1] if i > 0 else None


def _index(qs: list[Question], q: Question) -> int:
    return next(i for i, other in enumerate(qs) if other.endpoint == q.endpoint
                and other.args == q.args)
