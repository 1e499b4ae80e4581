"""Comparison populations: who the bank is compared with.

The defaults are TOML files in ``config/equality/populations/`` (Census
2021 for England and Wales ships). Each gives, per question, the percentage
of people with each answer. Comparisons use shares among people who gave an
answer, so the figures need not add up to 100: they are scaled to the
answers they cover.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
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


# --- populations a trust uploads ---------------------------------------------

CSV_HEADERS = ("question", "answer", "percent")
MAX_UPLOAD_BYTES = 1_000_000


class UploadError(ValueError):
    """A CSV that cannot be used, with every problem found (row, message)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_population_csv(data: bytes, questions: QuestionSet | None = None
                         ) -> dict[str, dict[str, float]]:
    """Shares from a CSV with the columns question, answer, percent (codes as
    in the question file). Raises UploadError listing every problem, by row."""
    questions = questions or equality_questions()
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(["The file is larger than 1 MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(["The file must be a CSV saved as UTF-8"]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(h.strip().lower() for h in rows[0]) != CSV_HEADERS:
        raise UploadError(["The first row must be the headings: question,answer,percent"])
    problems: list[str] = []
    shares: dict[str, dict[str, float]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            problems.append(f"Row {number}: needs 3 values (question, answer, percent)")
            continue
        question, answer, raw = (cell.strip() for cell in row)
        q = questions.get(question)
        if q is None:
            problems.append(f"Row {number}: '{question}' is not a question code")
            continue
        if answer not in q.codes:
            problems.append(f"Row {number}: '{answer}' is not an answer to {question}")
            continue
        try:
            share = float(raw)
        except ValueError:
            problems.append(f"Row {number}: the percent must be a number, like 12.5")
            continue
        if not 0 <= share <= 100:
            problems.append(f"Row {number}: the percent must be from 0 to 100")
            continue
        if answer in shares.setdefault(question, {}):
            problems.append(f"Row {number}: {question} {answer} appears twice")
            continue
        shares[question][answer] = share
    for question, table in shares.items():
        if sum(table.values()) > 100.5:
            problems.append(f"The shares for {question} add up to more than 100")
    if not problems and not shares:
        problems.append("The file has no rows of figures")
    if problems:
        raise UploadError(problems)
    return shares
