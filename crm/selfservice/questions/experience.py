"""My lived experience: the words the person prefers, how they know services,
which services, and what they bring in their own words."""

from __future__ import annotations

from crm.contributors import editing
from crm.contributors.models import (
    EXPERIENCE_LABELS,
    Contributor,
    ExperienceKind,
)
from crm.reference import reference
from crm.selfservice import forms
from crm.selfservice.questions.base import (
    Apply,
    Question,
    Row,
    given,
    listed,
)
from crm.selfservice.questions.words import EXPERIENCE_EASY, EXPERIENCE_MINE


def _experience(c: Contributor, *, kinds: list[str] | None = None,
                services: list[str] | None = None, words: str | None | bool = False,
                living: bool | None = None) -> Apply:
    return editing.set_experience(
        kinds if kinds is not None else [e.kind for e in c.experiences],
        services if services is not None else [s.code for s in c.service_kinds],
        c.what_i_bring if words is False else words,  # type: ignore[arg-type]
        c.prefers_living_experience if living is None else living)


def experience_questions() -> list[Question]:
    ref = reference()
    return [
        Question(
            "experience", "words", "my.experience_words", "Which words do you prefer?",
            "Which words do you like?", forms.ExperienceWordForm,
            "selfservice/questions/experience_words.html",
            lambda c: {"experience_word": "living" if c.prefers_living_experience
                       else "lived"},
            lambda c, f: _experience(c, living=f.experience_word.data == "living"),
            lambda c, easy: [Row("Words you like" if easy else "Words you prefer",
                                 [c.experience_word.capitalize()])],
            symbol="talk"),
        Question(
            "experience", "kinds", "my.experience_kinds", "How do you know mental health services?",
            "How do you know mental health services?", forms.ExperienceKindsForm,
            "selfservice/questions/experience_kinds.html",
            lambda c: {"experiences": [e.kind for e in c.experiences]},
            lambda c, f: _experience(c, kinds=f.experiences.data),
            lambda c, easy: [Row("How you know services", listed(
                [(EXPERIENCE_EASY if easy else EXPERIENCE_MINE)[ExperienceKind(e.kind)]
                 for e in c.experiences if e.kind in EXPERIENCE_LABELS], easy))],
            symbol="experience"),
        Question(
            "experience", "services", "my.experience_services",
            "Which kinds of service do you know?", "Which services do you know?",
            forms.ServicesForm, "selfservice/questions/experience_services.html",
            lambda c: {"service_kinds": [s.code for s in c.service_kinds]},
            lambda c, f: _experience(c, services=f.service_kinds.data),
            lambda c, easy: [Row("Services you know", listed(
                [ref.service_kinds.label(s.code) for s in c.service_kinds], easy))],
            symbol="building"),
        Question(
            "experience", "in-your-words", "my.experience_in_your_words",
            "In your own words", "In your own words", forms.WhatIBringForm,
            "selfservice/questions/experience_in_your_words.html",
            lambda c: {"what_i_bring": c.what_i_bring},
            lambda c, f: _experience(c, words=f.what_i_bring.data),
            lambda c, easy: [Row("Your words", given(c.what_i_bring, easy))],
            symbol="pencil"),
    ]
