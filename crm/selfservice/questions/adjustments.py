"""My adjustments: one page per group in the catalogue, then anything else."""

from __future__ import annotations

from functools import partial
from typing import Any

from crm.contributors import editing
from crm.contributors.models import (
    Contributor,
)
from crm.reference import Item, reference
from crm.selfservice import forms
from crm.selfservice.questions.base import (
    Apply,
    Question,
    Row,
    given,
    listed,
)
from crm.selfservice.questions.words import GROUP_SYMBOLS, adjustment_text, group_title


def _adjustments_in(codes: list[str], c: Contributor) -> dict[str, Any]:
    return {"adjustments": [a.code for a in c.adjustments if a.code in codes]}

def adjustment_questions() -> list[Question]:
    ref = reference().adjustments
    questions = []
    for group in ref.groups:
        codes_in_group = [i.code for i in ref.in_group(group.code)]

        def change(c: Contributor, f: forms.AdjustmentGroupForm,
                   codes_in_group: list[str] = codes_in_group) -> Apply:
            keep = [a.code for a in c.adjustments if a.code not in codes_in_group]
            chosen = [code for code in codes_in_group if code in (f.adjustments.data or [])]
            # Anything sent that is not in this group goes to the rules too,
            # which refuse codes that are not in the catalogue.
            other = [v for v in (f.adjustments.data or []) if v not in codes_in_group]
            return editing.set_adjustments(keep + chosen + other, None, c.adjustments_other)

        def rows(c: Contributor, easy: bool, group: Item = group) -> list[Row]:
            chosen = {a.code: a for a in c.adjustments}
            lines = []
            for item in ref.in_group(group.code):
                if item.code in chosen:
                    text = adjustment_text(item, easy)
                    note = chosen[item.code].note
                    lines.append(f"{text} (note: {note})" if note else text)
            return [Row(group_title(group, easy), listed(lines, easy))]

        questions.append(Question(
            "adjustments", group.code, "my.adjustments_group", group_title(group, False),
            group_title(group, True), forms.AdjustmentGroupForm,
            "selfservice/questions/adjustments_group.html",
            partial(_adjustments_in, codes_in_group),
            change, rows, args={"group": group.code},
            symbol=GROUP_SYMBOLS.get(group.code, "adjustments"), extra={"group": group}))
    questions.append(Question(
        "adjustments", "in-your-words", "my.adjustments_other",
        "Anything else that helps you take part", "Anything else that helps you",
        forms.AdjustmentsOtherForm, "selfservice/questions/adjustments_other.html",
        lambda c: {"adjustments_other": c.adjustments_other},
        lambda c, f: editing.set_adjustments([a.code for a in c.adjustments], None,
                                             f.adjustments_other.data),
        lambda c, easy: [Row("In your own words", given(c.adjustments_other, easy))],
        symbol="pencil"))
    return questions
