"""The questions on a contributor's own pages: one question per page,
grouped in sections (My details, My lived experience, My adjustments, How to
contact me, When I can take part).

Each question knows its form, what the record holds for it now (to fill the
form and to show on the section's "check your answers" page) and how to turn
what was entered into a change through the rules in
crm.contributors.editing. A question changes only its own part of a section:
everything else in the section is passed through as it is saved now.

This package keeps one module per section (the reason a question changes is
its section), with the shared shapes in ``base`` and the words in ``words``.
"""

from __future__ import annotations

from crm.selfservice.questions.adjustments import adjustment_questions
from crm.selfservice.questions.availability import availability_questions
from crm.selfservice.questions.base import NOT_GIVEN, Question, Row, Section
from crm.selfservice.questions.communication import communication_questions
from crm.selfservice.questions.details import details_questions
from crm.selfservice.questions.experience import experience_questions

__all__ = ["NOT_GIVEN", "SECTIONS", "Question", "Row", "Section"]

SECTIONS: dict[str, Section] = {
    s.key: s for s in (
        Section("details", "My details", "My details", "my.details", "details",
                details_questions),
        Section("experience", "My lived experience in my words",
                "My experience", "my.experience", "experience", experience_questions),
        Section("adjustments", "My adjustments", "What helps me take part",
                "my.adjustments", "adjustments", adjustment_questions),
        Section("communication", "How to contact me", "How to contact me",
                "my.communication", "contact", communication_questions),
        Section("availability", "When I can take part", "When I can take part",
                "my.availability", "calendar", availability_questions),
    )
}

