"""Comparison populations: who the bank is compared with.

The defaults are TOML files in ``config/equality/populations/`` (Census
2021 for England and Wales ships). Each gives, per question, the percentage
of people with each answer. Comparisons use shares among people who gave an
answer, so the figures need not add up to 100: they are scaled to the
answers they cover.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from crm.equality.questions import QuestionSet, equality_questions
from crm.settings import CONFIG_DIR, ConfigError, read_toml

POPULATIONS_DIR = CONFIG_DIR / "equality" / "populations"


@dataclass(frozen=True)
class Population:
    code: str
    title: str
    source: str
    effective_from: dt.date | None
    # question code -> answer code -> percentage
    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    def stated_shares(self, question: str) -> dict[str, float]:
        """Each answer's share among those given, as a fraction (sums to 1)."""
        raw = self.shares.get(question) or {}
        total = sum(raw.values())
        return {answer: share / total for answer, share in raw.items()} if total else {}


def check_shares(where: str, questions: QuestionSet, question: str,
                 shares: dict[str, float]) -> None:
    q = questions.get(question)
    if q is None:
        raise ConfigError(f"{where}: unknown question '{question}'")
    for answer, share in shares.items():
        if answer not in q.codes:
            raise ConfigError(f"{where}: [{question}] '{answer}' is not one of its answers")
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 100:
            raise ConfigError(f"{where}: [{question}] '{answer}' must be a percentage, 0 to 100")
    if sum(shares.values()) > 100.5:
        raise ConfigError(f"{where}: [{question}] adds up to more than 100")


def load_population(path: Path, questions: QuestionSet | None = None) -> Population:
    questions = questions or equality_questions()
    raw = read_toml(path)
    meta = raw.pop("meta", None) or {}
    for key in ("code", "title", "source"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ConfigError(f"{path}: [meta] key '{key}' must be non-empty text")
    shares: dict[str, dict[str, float]] = {}
    tables: dict[str, str] = {}
    for question, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{question}' must be a table")
        table = dict(table)
        if "table" in table:
            tables[question] = str(table.pop("table"))
        check_shares(str(path), questions, question, table)
        shares[question] = {k: float(v) for k, v in table.items()}
    return Population(code=meta["code"], title=meta["title"], source=meta["source"],
                      effective_from=meta.get("effective_from"), shares=shares, tables=tables)


@lru_cache(maxsize=1)
def configured_populations() -> tuple[Population, ...]:
    found = tuple(load_population(p) for p in sorted(POPULATIONS_DIR.glob("*.toml")))
    codes = [p.code for p in found]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{POPULATIONS_DIR}: two populations share a code")
    return found
