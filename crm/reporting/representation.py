"""Reports built from the aggregate counts: the make-up of the bank or of
participants against a population, the PCREF view (ethnic group by
involvement level), trends by quarter and "who is missing".

Every count passes through ``disclosure.protect`` before anything else
reads it: shares, ratios, flags and charts are all worked out from the
protected, rounded figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.equality.questions import PREFER_NOT, Question, equality_questions
from crm.projects.models import Organisation
from crm.reference import reference
from crm.reporting import queries
from crm.reporting.disclosure import Protected, Rules, percent, protect, protect_column
from crm.reporting.populations import Population
from crm.reporting.queries import Quarter, Scope, Stage

BROAD = "broad"  # ethnic groups in their five Census groups


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    answers: tuple[str, ...]  # the answer codes counted in this group


def groups_of(question: Question, grouping: str | None = None) -> list[Group]:
    """The stated answers of ``question`` (not "I'd rather not say"), one
    group each, or the Census five groups for ethnic group when ``broad``."""
    stated = [o for o in question.options if o.code != PREFER_NOT]
    if grouping == BROAD and any(o.group for o in stated):
        out: dict[str, list[str]] = {}
        for o in stated:
            out.setdefault(o.group or o.label, []).append(o.code)
        return [Group(code=label, label=label, answers=tuple(codes))
                for label, codes in out.items()]
    return [Group(code=o.code, label=o.label, answers=(o.code,)) for o in stated]


@dataclass(frozen=True)
class Row:
    group: Group
    count: int | None  # protected: None is hidden
    share: float | None  # percent of people who answered
    population_share: float | None
    ratio: float | None
    is_under: bool


@dataclass(frozen=True)
class Representation:
    question: Question
    scope: Scope
    population: Population | None
    rows: list[Row]
    answered: int | None  # protected total of people who gave an answer
    not_stated: int | None  # protected: "rather not say" or not answered
    rules: Rules

    @property
    def too_few(self) -> bool:
        """Too few people to show anything without risk of identifying someone."""
        return self.answered is None

    @property
    def under(self) -> list[Row]:
        return [r for r in self.rows if r.is_under]

    def summary(self) -> str:
        """The chart's findings in one or two plain sentences."""
        if self.too_few:
            return "Too few people match these choices to show their answers safely."
        if self.population is None:
            shown = [r for r in self.rows if r.count]
            top = max(shown, key=lambda r: r.count or 0) if shown else None
            return (f"About {self.answered} people answered. The largest group is "
                    f"{top.group.label} ({top.share}%)." if top else
                    f"About {self.answered} people answered.")
        if not self.under:
            return (f"About {self.answered} people answered. No group is under-represented "
                    f"compared with {self.population.title}, by the margin we use.")
        names = ", ".join(f"{r.group.label} ({r.share}% against {r.population_share}%)"
                          for r in self.under)
        return (f"About {self.answered} people answered. Compared with "
                f"{self.population.title}, these groups are under-represented: {names}.")


def representation(session: Session, question: Question, scope: Scope,
                   population: Population | None, rules: Rules,
                   grouping: str | None = None) -> Representation:
    counts = queries.counts_by_answer(session, question.code, scope)
    groups = groups_of(question, grouping)
    cells, answered = protect_column([sum(counts.get(a, 0) for a in g.answers)
                                      for g in groups], rules)
    not_stated_true = counts.get(PREFER_NOT, 0) + counts.get(None, 0)
    not_stated = protect_column([not_stated_true], rules)[1]
    base = population.stated_shares(question.code) if population else {}
    rows = []
    for group, count in zip(groups, cells, strict=True):
        share = percent(count, answered)
        pop = round(100 * sum(base.get(a, 0.0) for a in group.answers), 1) if base else None
        ratio = round(share / pop, 2) if share is not None and pop else None
        rows.append(Row(group=group, count=count, share=share, population_share=pop,
                        ratio=ratio, is_under=ratio is not None
                        and ratio < rules.under_represented_below))
    return Representation(question=question, scope=scope, population=population, rows=rows,
                          answered=answered, not_stated=not_stated, rules=rules)


@dataclass(frozen=True)
class Grid:
    """A protected two-way table with its labels."""

    row_labels: list[str]
    column_labels: list[str]
    table: Protected

    @property
    def too_few(self) -> bool:
        return self.table.total is None


def pcref(session: Session, scope: Scope, rules: Rules) -> Grid:
    """Ethnic group (the five Census groups) by involvement level, for the
    stage in ``scope`` (people who said yes, by default)."""
    question = equality_questions().get("ethnic_group")
    assert question is not None
    groups = groups_of(question, BROAD)
    levels = list(reference().involvement_levels.items)
    counts = queries.counts_by_answer_and_level(session, question.code, scope)
    grid = [[sum(counts.get((a, level.code), 0) for a in g.answers) for level in levels]
            for g in groups]
    return Grid([g.label for g in groups], [level.label for level in levels],
                protect(grid, rules))


def trend(session: Session, scope: Scope, latest: Quarter, rules: Rules,
          quarters: int = 4) -> Grid:
    """Ethnic group by quarter, the last ``quarters`` quarters to ``latest``."""
    question = equality_questions().get("ethnic_group")
    assert question is not None
    groups = groups_of(question, BROAD)
    span = [latest.previous(n) for n in reversed(range(quarters))]
    columns = []
    for quarter in span:
        counts = queries.counts_by_answer(session, question.code,
                                          Scope(stage=scope.stage, level=scope.level,
                                                project_id=scope.project_id,
                                                ward_id=scope.ward_id, quarter=quarter))
        columns.append([sum(counts.get(a, 0) for a in g.answers) for g in groups])
    grid = [[columns[j][i] for j in range(len(span))] for i in range(len(groups))]
    return Grid([g.label for g in groups], [q.label for q in span], protect(grid, rules))


@dataclass(frozen=True)
class Missing:
    report: Representation
    organisations: dict[str, list[Organisation]]  # group label -> who works with them


def who_is_missing(session: Session, population: Population, rules: Rules) -> list[Missing]:
    """For each question the population covers, the groups under-represented
    in the bank, with partner organisations whose communities mention them.
    Never lists people."""
    questions = equality_questions()
    organisations = list(session.scalars(select(Organisation).where(
        Organisation.is_active.is_(True), Organisation.communities.is_not(None))
        .order_by(Organisation.name)))
    out = []
    for code in population.shares:
        question = questions.get(code)
        if question is None or not question.asked:
            continue
        grouping = BROAD if code == "ethnic_group" else None
        report = representation(session, question, Scope(stage=Stage.BANK), population, rules,
                                grouping)
        if report.too_few or not report.under:
            continue
        matches = {row.group.label: [o for o in organisations
                                     if _mentions(o.communities or "", row.group.label)]
                   for row in report.under}
        out.append(Missing(report=report, organisations=matches))
    return out


def _mentions(text: str, label: str) -> bool:
    """Whether a partner's communities mention a group: any word of its
    label of four letters or more ("Black", "Asian", "Muslim", "Gypsy")."""
    words = [w.strip(",()").lower() for w in label.split() if len(w.strip(",()")) >= 4]
    lowered = text.lower()
    return any(w in lowered for w in words if w not in {"other", "background", "group",
                                                        "british", "welsh", "multiple"})
