"""The equality monitoring questions from ``config/equality/questions.toml``.

Loaded and checked once; a bad file stops start-up with the file and key
named. Every question gets "I'd rather not say" (``PREFER_NOT``) as its last
option. ``asked`` questions are shown in the order of the file; a question
with ``only_if`` is asked only after the given answer to an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.settings import CONFIG_DIR, ConfigError, read_toml

QUESTIONS_FILE = CONFIG_DIR / "equality" / "questions.toml"
PREFER_NOT = "prefer_not_to_say"
PREFER_NOT_LABEL = "I'd rather not say"


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    easy_read: str | None = None
    hint: str | None = None
    group: str | None = None
    nhs_code: str | None = None

    def text(self, easy: bool) -> str:
        return (self.easy_read or self.label) if easy else self.label


@dataclass(frozen=True)
class Question:
    code: str
    asked: bool
    text: str
    easy_read: str
    hint: str | None
    options: tuple[Option, ...]
    only_if: tuple[str, str] | None = None

    def heading(self, easy: bool) -> str:
        return self.easy_read if easy else self.text

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(o.code for o in self.options)

    def groups(self) -> list[tuple[str | None, list[Option]]]:
        """Options under their group headings, in file order (ethnic group)."""
        out: list[tuple[str | None, list[Option]]] = []
        for option in self.options:
            if out and out[-1][0] == option.group:
                out[-1][1].append(option)
            else:
                out.append((option.group, [option]))
        return out


@dataclass(frozen=True)
class QuestionSet:
    questions: tuple[Question, ...]
    source: str

    def get(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    @property
    def asked(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.asked)

    def applies(self, question: Question, answers: dict[str, str]) -> bool:
        """Whether to ask ``question`` given the person's other answers."""
        if question.only_if is None:
            return True
        other, answer = question.only_if
        return answers.get(other) == answer

    def next_after(self, code: str | None, answers: dict[str, str]) -> Question | None:
        """The next asked question that applies after ``code`` (first if None)."""
        asked = list(self.asked)
        start = 0 if code is None else next(
            (i + 1 for i, q in enumerate(asked) if q.code == code), len(asked))
        return next((q for q in asked[start:] if self.applies(q, answers)), None)

    def before(self, code: str, answers: dict[str, str]) -> Question | None:
        asked = list(self.asked)
        index = next((i for i, q in enumerate(asked) if q.code == code), 0)
        return next((q for q in reversed(asked[:index]) if self.applies(q, answers)), None)


def nhs_ethnic_category(option_code: str | None, questions: QuestionSet | None = None) -> str:
    """The NHS Data Dictionary ETHNIC CATEGORY code for a Census 2021 answer:
    ``Z`` (not stated) for "I'd rather not say", ``99`` (not known) for no answer."""
    if option_code is None:
        return "99"
    if option_code == PREFER_NOT:
        return "Z"
    q = (questions or equality_questions()).get("ethnic_group")
    option = q.option(option_code) if q else None
    if option is None or option.nhs_code is None:
        return "99"
    return option.nhs_code


def _text(path: Path, raw: dict[str, Any], key: str, where: str, required: bool = True
          ) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {where} key '{key}' must be non-empty text")
    return value.strip()


def load_questions(path: Path = QUESTIONS_FILE) -> QuestionSet:
    raw = read_toml(path)
    meta = raw.get("meta") or {}
    source = _text(path, meta, "source", "[meta]")
    questions: list[Question] = []
    for n, q in enumerate(raw.get("question") or [], start=1):
        where = f"[[question]] {n}"
        code = _text(path, q, "code", where)
        assert code is not None
        where = f"[[question]] {code}"
        if any(other.code == code for other in questions):
            raise ConfigError(f"{path}: {where} appears twice")
        if not isinstance(q.get("asked"), bool):
            raise ConfigError(f"{path}: {where} key 'asked' must be true or false")
        options: list[Option] = []
        for o in q.get("options") or []:
            ocode = _text(path, o, "code", f"{where} option")
            if ocode == PREFER_NOT or any(x.code == ocode for x in options):
                raise ConfigError(f"{path}: {where} option '{ocode}' is repeated or reserved")
            options.append(Option(
                code=ocode or "", label=_text(path, o, "label", f"{where} option {ocode}") or "",
                easy_read=o.get("easy_read"), hint=o.get("hint"), group=o.get("group"),
                nhs_code=o.get("nhs_code")))
        if len(options) < 2:
            raise ConfigError(f"{path}: {where} needs at least two options")
        options.append(Option(code=PREFER_NOT, label=PREFER_NOT_LABEL, nhs_code="Z"
                              if code == "ethnic_group" else None))
        only_if = q.get("only_if")
        condition: tuple[str, str] | None = None
        if only_if is not None:
            earlier = next((x for x in questions if x.code == only_if.get("question")), None)
            if earlier is None or only_if.get("answer") not in earlier.codes:
                raise ConfigError(f"{path}: {where} key 'only_if' must name an earlier "
                                  "question and one of its answers")
            condition = (earlier.code, only_if["answer"])
        questions.append(Question(
            code=code, asked=q["asked"], text=_text(path, q, "text", where) or "",
            easy_read=_text(path, q, "easy_read", where) or "",
            hint=_text(path, q, "hint", where, required=False), options=tuple(options),
            only_if=condition))
    if not questions:
        raise ConfigError(f"{path}: no [[question]] tables")
    return QuestionSet(questions=tuple(questions), source=source or "")


@lru_cache(maxsize=1)
def equality_questions() -> QuestionSet:
    return load_questions()
